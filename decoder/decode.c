/*
 * Message decoding: the ISAKMP header (RFC 2408 3.1, RFC 7296 3.1), the
 * generic payload header and the payload chain (RFC 2408 3.2, RFC 7296 3.2),
 * dispatching each payload body to its parser.
 */
#include <string.h>

#include "core/ike_types.h"
#include "core/internal.h"
#include "core/names.h"
#include "keying/decrypt.h"
#include "keying/derive.h"
#include "keys/keys.h"
#include "state/state.h"

#define ISAKMP_HDR_LEN 28

/* ---------------------------------------------------------------- payloads */

/* The generic payload header: next payload, critical bit (v2) or reserved
 * (v1), length.  Returns false when the chain cannot go on. */
static bool payload_header(dec_t *d, cur_t *p, payload_info *pi)
{
    static const int v2_bits[] = { F_CRITICALPAYLOAD, F_RESERVED7, -1 };
    if (d->version != 2) {
        dec_plain_header(d, pi->item, p, payload_type_names(d->version));
        return cur_ok(p);
    }
    pi->critical = cur_peek_u8(p, 1) & 0x80;
    if (!dec_header_wanted(d)) {   /* none of its items is built */
        cur_skip(p, 4);
        return cur_ok(p);
    }
    uint32_t n = dec_u8(d, pi->item, p, F_NEXTPAYLOAD);
    if (n)
        tree_set_vals(d->m, n, payload_type_names(2));
    dec_bits(d, pi->item, p, 1, v2_bits);
    cur_skip(p, 1);
    dec_u16(d, pi->item, p, F_PAYLOADLENGTH);
    return cur_ok(p);
}

/* A payload whose header cannot be read is still a payload of the message:
 * the facts list it as the tree does (the summary and the report count it). */
static void broken_payload_fact(dec_t *d, const payload_info *pi, size_t len, uint32_t src)
{
    if (!facts_on(d))
        return;
    uint32_t up = facts_cur(d);
    facts_payload_open(d, pi, len, src);
    facts_payload_close(d, up);
}

/* Decodes one payload at the cursor; returns its next-payload type, or -1
 * when the chain has to stop. */
static int one_payload(dec_t *d, uint32_t parent, cur_t *c, uint8_t type)
{
    payload_info pi = { .type = type, .off = cur_off(c) };
    size_t left = cur_left(c);
    pi.next = cur_peek_u8(c, 0);
    pi.len = cur_peek_u16(c, 2);
    /* built whatever is wanted: the decoder reads payload items back */
    pi.item = tree_put(d->m, parent, F_TYPEPAYLOAD, c->src, pi.off,
                       pi.len && pi.len <= left ? pi.len : left);
    tree_item(d->m, pi.item)->uval = type;
    tree_set_vals(d->m, pi.item, payload_type_names(d->version));
    const char *name = payload_type_name(d->version, type);
    tree_set_payload_label(d->m, pi.item, d->version, type);
    if (left < 4) {
        tree_note(d->m, pi.item, ISAKMP_SEV_ERROR, left ? ISAKMP_NOTE_MALFORMED : ISAKMP_NOTE_TRUNCATED,
                  "Payload header needs 4 bytes, %zu left", left);
        broken_payload_fact(d, &pi, left, c->src);
        return -1;
    }
    if (pi.len < 4) {
        payload_header(d, c, &pi);
        tree_note(d->m, pi.item, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED,
                  "Invalid payload length %zu (less than the 4-byte header)", pi.len);
        broken_payload_fact(d, &pi, pi.len && pi.len <= left ? pi.len : left, c->src);
        return -1;
    }
    cur_t p;
    cur_child(c, pi.len, &p);
    payload_header(d, &p, &pi);
    uint32_t up = facts_cur(d);   /* whose plaintext holds this payload */
    if (facts_on(d))
        facts_payload_open(d, &pi, pi.len <= left ? pi.len : left, c->src);
    payload_fn fn = d->version == 2 ? v2_payload_parser(type) : v1_payload_parser(type);
    cur_t body;
    cur_rest(&p, &body);
    body.clip = p.clip;
    if (name && fn && dec_skip_body(d, type, &body)) {
        /* holds nothing wanted: stepped over */
    } else if (!name || !fn) {
        tree_note(d->m, pi.item, ISAKMP_SEV_NOTE, ISAKMP_NOTE_UNKNOWN,
                  "Unknown payload type %u: body shown as data", type);
        dec_rest(d, pi.item, &body, F_DATAPAYLOAD);
    } else {
        fn(d, &body, &pi);
        dec_trailing(d, pi.item, &body, "Payload");
    }
    facts_payload_close(d, up);
    bool read_ok = dec_check(d, pi.item, &body, "Payload");
    if (read_ok && body.clip != CUR_OK)   /* the parser stayed inside, but the length lies */
        tree_note(d->m, pi.item, ISAKMP_SEV_ERROR,
                  body.clip == CUR_TRUNCATED ? ISAKMP_NOTE_TRUNCATED : ISAKMP_NOTE_MALFORMED,
                  "Payload length %zu runs past the end of its container (%zu bytes left)",
                  pi.len, left);
    if (d->version == 2 && (type == V2_PAYLOAD_SK || type == V2_PAYLOAD_SKF))
        return -1;   /* its next payload names the first inner payload */
    return pi.next;
}

static void payload_chain(dec_t *d, uint32_t parent, cur_t *c, uint8_t first)
{
    int type = first;
    while (type > 0) {
        if (d->payloads >= ISAKMP_MAX_PAYLOADS) {
            tree_note(d->m, parent, ISAKMP_SEV_WARN, ISAKMP_NOTE_LIMIT,
                      "Payload limit of %d reached; the rest is not decoded", ISAKMP_MAX_PAYLOADS);
            return;
        }
        if (cur_left(c) == 0) {
            tree_note(d->m, parent, ISAKMP_SEV_ERROR,
                      c->clip == CUR_TRUNCATED ? ISAKMP_NOTE_TRUNCATED : ISAKMP_NOTE_MALFORMED,
                      "Next payload is %d but the message ends", type);
            return;
        }
        d->payloads++;
        type = one_payload(d, parent, c, (uint8_t)type);
    }
}

/* ---------------------------------------------------------------- header */

/* The fixed header's items in tree order: field, offset, length. */
typedef struct {
    int field;
    uint8_t off, len;
} header_item;

static const header_item header_items[] = {
    { F_ISPI, 0, 8 },      { F_RSPI, 8, 8 },    { F_NEXTPAYLOAD, 16, 1 }, { F_MJVER, 17, 1 },
    { F_MNVER, 17, 1 },    { F_VERSION, 17, 1 }, { F_EXCHTYPE, 18, 1 },   { F_FLAGS, 19, 1 },
    { F_MESSAGEID, 20, 4 }, { F_LENGTH, 24, 4 },
};

static uint32_t be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* Adds one header item; h holds the header, zero past the `avail` captured
 * bytes.  Items stay inside the captured bytes: an SPI covers what there is
 * of it, an integer is there only when all of it is. */
static uint32_t header_add(dec_t *d, uint32_t root, const cur_t *c, const uint8_t *h,
                           size_t avail, const header_item *hi)
{
    isakmp_msg *m = d->m;
    size_t off = cur_off(c) + hi->off;
    if (!tree_wants(m, hi->field))
        return TREE_GHOST | root;
    if (hi->len == 8)   /* an SPI / cookie */
        return tree_add(m, root, hi->field, c->src, off,
                        avail - hi->off < 8 ? avail - hi->off : 8);
    uint64_t raw = hi->len == 1 ? h[hi->off] : be32(h + hi->off);
    return tree_add_uint(m, root, hi->field, c->src, off, hi->len, raw);
}

/* Reads the fixed header; returns the declared message length (0 when it
 * was not captured).  Bytes past the capture read as zero, as peeks do. */
static size_t header(dec_t *d, uint32_t root, cur_t *c, uint8_t *next)
{
    static const int v1_bits[] = { F_FLAG_E, F_FLAG_C, F_FLAG_A };
    static const int v2_bits[] = { F_FLAG_I, F_FLAG_V, F_FLAG_R };
    uint8_t h[ISAKMP_HDR_LEN];
    size_t avail = cur_left(c) < sizeof h ? cur_left(c) : sizeof h;
    if (avail == sizeof h) {   /* a whole header: a copy of known length, no call */
        memcpy(h, cur_view(c, cur_off(c), sizeof h), sizeof h);
    } else {
        memset(h, 0, sizeof h);
        if (avail)
            memcpy(h, cur_view(c, cur_off(c), avail), avail);
    }
    if (d->depth == 0) {
        memcpy(d->ispi, h, 8);
        memcpy(d->rspi, h + 8, 8);
    } else if (memcmp(d->ispi, h, 8) != 0 || memcmp(d->rspi, h + 8, 8) != 0) {
        /* a message reassembled from IKEv1 fragments is of the SA its
         * fragments came in (state, keys): another SA's cookies in its
         * header would make it touch an SA no message of the frame names */
        tree_note(d->m, root, ISAKMP_SEV_WARN, ISAKMP_NOTE_MALFORMED,
                  "The reassembled message's cookies are not its fragments': it is decoded "
                  "as a message of the fragments' SA");
    }
    *next = h[16];
    d->version = h[17] >> 4;
    d->m->version = (d->version == 1 || d->version == 2) ? d->version : 0;
    d->exch = h[18];
    d->flags = h[19];
    d->msgid = be32(h + 20);
    facts_header(d, h, avail == ISAKMP_HDR_LEN);
    ctx_direct_header(d, &d->m->facts.pub.header);
    /* unrolled, the table's constants fold into straight-line code */
#pragma GCC unroll 16
    for (size_t i = 0; i < G_N_ELEMENTS(header_items); i++) {
        const header_item *hi = &header_items[i];
        if (hi->off >= avail || (hi->len != 8 && hi->off + hi->len > avail))
            break;   /* in offset order: the rest was not captured either */
        uint32_t x = header_add(d, root, c, h, avail, hi);
        if (hi->field == F_NEXTPAYLOAD)
            tree_set_vals(d->m, x, payload_type_names(d->version));
        else if (hi->field == F_EXCHTYPE)
            tree_set_vals(d->m, x, d->version == 2 ? names_v2_exchange : names_v1_exchange);
        else if (hi->field == F_FLAGS)
            for (size_t k = 0; k < 3; k++) {
                int bit = d->version == 2 ? v2_bits[k] : v1_bits[k];
                if (tree_wants(d->m, bit))
                    tree_add_uint(d->m, x, bit, c->src, cur_off(c) + 19, 1, h[19]);
            }
    }
    cur_skip(c, ISAKMP_HDR_LEN);   /* sets the error when the header is short */
    return avail == ISAKMP_HDR_LEN ? be32(h + 24) : 0;
}

/* Decodes the body after the header: clear payloads, or encrypted data. */
static void body(dec_t *d, uint32_t root, cur_t *c, uint8_t next)
{
    if (d->version == 1 && (d->flags & 0x01)) {
        if (!crypto_v1_encrypted(d, root, c, next)) {
            uint32_t e = dec_rest(d, root, c, F_ENC_DATA);
            tree_note(d->m, e, ISAKMP_SEV_NOTE, ISAKMP_NOTE_DECRYPT,
                      "Encrypted; no key for this SA");
        }
        return;
    }
    if (d->version != 1 && d->version != 2) {
        tree_note(d->m, root, ISAKMP_SEV_WARN, ISAKMP_NOTE_UNKNOWN,
                  "Unknown IKE major version %d: payloads not decoded", d->version);
        dec_rest(d, root, c, F_DATAPAYLOAD);
        return;
    }
    payload_chain(d, root, c, next);
}

/* In a stateless context, a message its header shows to need state (IKEv1
 * Aggressive Mode, followed for psk-crack lines: kdf_msg_done; any message
 * of a context with keys) is marked so and its body not decoded: its tree
 * is decoded again with state, this one thrown away (on a dense capture
 * the wasted decoding was 1 % of -T fields). */
static bool needs_state_now(dec_t *d)
{
    if (d->depth || !d->ctx || !d->ctx->stateless)
        return false;
    if (d->version == 1 && d->exch == V1_EXCH_AGGRESSIVE)
        dec_stateless(d);
    return d->m->needs_state;
}

static void decode_message(dec_t *d, uint32_t parent, const cur_t *whole)
{
    size_t start = cur_off(whole), cap = cur_left(whole);
    cur_t c = *whole;
    uint8_t next;
    if (cap < ISAKMP_HDR_LEN) {
        /* too short for a header: decode what there is, say so */
        cur_t h;
        cur_child(&c, ISAKMP_HDR_LEN, &h);
        h.clip = CUR_TRUNCATED;
        header(d, parent, &h, &next);
        tree_note(d->m, parent, ISAKMP_SEV_ERROR, ISAKMP_NOTE_TRUNCATED,
                  "Message of %zu bytes is shorter than the 28-byte ISAKMP header", cap);
        return;
    }
    size_t declared = header(d, parent, &c, &next);
    if (needs_state_now(d))
        return;
    if (declared < ISAKMP_HDR_LEN) {
        tree_note(d->m, parent, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED,
                  "Length %zu is shorter than the ISAKMP header; using the captured length",
                  declared);
        declared = cap;
    }
    /* the declared length tells truncation (capture too short) from lies */
    if (c.wire < start + declared)
        c.wire = start + declared;
    cur_t bodyc;
    cur_child(&c, declared - ISAKMP_HDR_LEN, &bodyc);
    if (bodyc.clip == CUR_TRUNCATED)
        tree_note(d->m, parent, ISAKMP_SEV_ERROR, ISAKMP_NOTE_TRUNCATED,
                  "Message declares %zu bytes, %zu captured", declared, cap);
    body(d, parent, &bodyc, next);
    dec_trailing(d, parent, &c, "Message");
}

/* Reassembled and decrypted data come back here (see struct dec_hooks). */
static const struct dec_hooks hooks = {
    .payload_chain = payload_chain,
    .message = decode_message,
    .v2_sk = crypto_v2_sk,
    .v1_fragment = crypto_v1_fragment,
};

/* Decodings of one message while derivation tries candidate keys on it. */
#define DEC_MAX_REDO 16

isakmp_msg *isakmp_decode(isakmp_ctx *ctx, const isakmp_packet *pkt)
{
    /* a message over the limit: only its first ISAKMP_MAX_MSG_LEN bytes are
     * copied and decoded, as if the capture had stopped there */
    size_t full = pkt->len;
    isakmp_packet cut = *pkt;
    if (cut.len > ISAKMP_MAX_MSG_LEN)
        cut.len = ISAKMP_MAX_MSG_LEN;
    pkt = &cut;
    for (int n = 1;; n++) {
        isakmp_msg *m = ctx && ctx->borrow ? msg_new_borrowed(pkt) : msg_new(pkt);
        m->no_labels = ctx && ctx->no_labels;
        ctx_direct(ctx, m);
        /* without keys or secrets a message needs state only where the
         * decoder says so (dec_stateless: fragments, Aggressive Mode); with
         * them, every one may (isakmp_ctx_set_stateless) */
        bool keyed = ctx && ctx_keyed(ctx);
        m->needs_state = ctx && ctx->stateless && keyed;
        dec_t d = { .ctx = ctx, .m = m, .hooks = &hooks, .sk_epoch = -1, .keyed = keyed };
        cur_t c;
        cur_init(&c, m->pkt.data, m->pkt.len, m->pkt.len, 0);
        decode_message(&d, 0, &c);
        if (full > cut.len)
            tree_note(m, 0, ISAKMP_SEV_WARN, ISAKMP_NOTE_LIMIT,
                      "Message of %zu bytes is larger than the %u bytes decoded: the rest is "
                      "not decoded", full, ISAKMP_MAX_MSG_LEN);
        crypto_msg_done(&d);
        /* without keys, an SA's state holds only its record: dropped quietly */
        if (facts_on(&d))
            state_fold(&d, !keyed);
        kdf_msg_done(&d);
        if (!d.redo || n == DEC_MAX_REDO) {
            msg_finish(m);
            return m;
        }
        /* a wrong guess of a '*' secret failed this message: with the next
         * candidate's keys it is decoded again, so that it is not lost (its
         * AUTH, its nonces, the IKEv1 IV chain go on from it) */
        isakmp_msg_free(m);
    }
}

bool isakmp_ctx_folds_seen(const isakmp_ctx *ctx)
{
    /* a context that folds messages into its SA table: with state, and not
     * a field-directed one without keys */
    return ctx && !ctx->stateless && !(ctx->dir && !ctx_keyed(ctx));
}

void isakmp_ctx_seen(isakmp_ctx *ctx, const isakmp_packet *pkt)
{
    /* what decoding it would have done to the SA table: state_fold's touch
     * of the SA (made, or made the most recent), for a message of a known
     * version, in a context that folds; quiet: the note, if any, is the
     * decoding context's */
    if (pkt->len < 18 || !isakmp_ctx_folds_seen(ctx))
        return;
    int version = pkt->data[17] >> 4;
    if (version != 1 && version != 2)
        return;
    dec_t d = { .ctx = ctx };
    state_sa_quiet(&d, pkt->data);
}
