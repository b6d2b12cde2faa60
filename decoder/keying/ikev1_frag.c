/*
 * IKEv1 fragmentation: payload 132, the IKE fragment Cisco and strongSwan
 * use (never an RFC; the format is what both send):
 *
 *   Fragment ID (2) | Fragment Number (1, from 1) | Flags (1, bit 0 = last)
 *   | a piece of the whole message, its ISAKMP header included
 *
 * The IKEv1 parser (v1_payloads.c) shows the fields and hands the piece to
 * crypto_v1_fragment.  Pieces are collected per SA (initiator cookie),
 * responder cookie, sender and fragment ID, in any order.  The frame whose
 * piece completes the set shows the fragment list and the reassembled
 * message as a new data source ("Reassembled IKE"), decoded like any
 * message: usually it has the E flag and is decrypted through the normal
 * IKEv1 path, its IV chain going on from the messages before it.  Frames
 * decoded again show the same tree (per-frame records, state.h); the other
 * fragments show ike.reassembled.in once the set is complete.
 *
 * Memory is bounded: at most V1_FRAG_MAX_PARTS pieces and V1_FRAG_MAX_BYTES
 * bytes per message, V1_FRAG_MAX_SETS incomplete messages per SA (the
 * oldest is dropped, with a note), and the context's budget for pending
 * fragment bytes of all SAs together (state_frag_budget: the oldest set of
 * any SA is dropped, with a note); a completed set is freed at once.
 *
 * Cost: a fragment is looked up by a fixed-size key in its SA's short list
 * of sets and its bytes appended to the set's one buffer; fragments that
 * came in order are already the reassembled message.  Frame records (and
 * their copies) are only made when the context keeps them.
 */
#include <string.h>

#include "keying/crypto_tree.h"
#include "keying/decrypt.h"

#define V1_FRAG_MAX_PARTS 64
#define V1_FRAG_MAX_BYTES 65535
#define V1_FRAG_MAX_SETS 16

/* The set key: responder cookie, sender address and port, fragment ID. */
static void frag_key(const dec_t *d, uint16_t id, v1_frag_key *k)
{
    const isakmp_packet *p = &d->m->pkt;
    memcpy(k->rspi, d->rspi, 8);
    memcpy(k->src, p->src, 16);
    k->sport[0] = (uint8_t)(p->sport >> 8);
    k->sport[1] = (uint8_t)p->sport;
    k->id[0] = (uint8_t)(id >> 8);
    k->id[1] = (uint8_t)id;
}

/* Whether part seq (1..V1_FRAG_MAX_PARTS) is held. */
static bool part_held(const v1_frag_set *s, uint8_t seq)
{
    return (s->have >> (seq - 1)) & 1;
}

/* Whether the fragment can join the set; a note at the payload when not. */
static bool frag_fits(dec_t *d, const payload_info *pi, const v1_frag_set *s, uint8_t seq,
                      bool last, size_t n)
{
    const char *why = NULL;
    isakmp_note_code code = ISAKMP_NOTE_MALFORMED;
    if (seq == 0)
        why = "fragment number 0 (numbers start at 1)";
    else if (s->total && seq > s->total)
        why = "fragment number after the last fragment";
    else if (last && s->total && s->total != seq)
        why = "a second last fragment with another number";
    else if (last && s->top > seq)
        why = "last fragment, but a higher fragment number was seen";
    else if (seq > V1_FRAG_MAX_PARTS) {
        why = "more fragments than the limit";
        code = ISAKMP_NOTE_LIMIT;
    } else if (s->bytes + n > V1_FRAG_MAX_BYTES) {
        why = "reassembled message larger than the limit";
        code = ISAKMP_NOTE_LIMIT;
    } else if (part_held(s, seq)) {
        why = "fragment number already seen (retransmission)";
        code = ISAKMP_NOTE_INFO;
    }
    if (why)
        tree_note(d->m, pi->item, code == ISAKMP_NOTE_INFO ? ISAKMP_SEV_NOTE : ISAKMP_SEV_WARN,
                  code, "IKE fragment %u not reassembled: %s (limits: %d fragments, %d bytes)",
                  seq, why, V1_FRAG_MAX_PARTS, V1_FRAG_MAX_BYTES);
    return why == NULL;
}

/* Makes room for part seq and n more bytes.  The first part reserves four
 * times its size (the pieces before the last are mostly the same size, so
 * a set usually needs one allocation); never more than the message limit,
 * which frag_fits has checked. */
static void frag_reserve(v1_frag_set *s, uint8_t seq, size_t n)
{
    if (seq > s->parts_cap) {
        guint cap = MAX(s->parts_cap ? 2u * s->parts_cap : 4u, seq);
        s->parts_cap = (uint8_t)MIN(cap, V1_FRAG_MAX_PARTS);
        s->parts = g_renew(v1_frag_part, s->parts, s->parts_cap);
    }
    if (s->bytes + n > s->cap) {
        size_t cap = MAX(s->bytes + n, s->cap ? 2 * s->cap : 4 * n);
        s->cap = MIN(cap, V1_FRAG_MAX_BYTES);
        s->buf = g_realloc(s->buf, s->cap);
    }
}

/* Adds fragment seq (checked by frag_fits): a copy of n bytes at p. */
static void frag_add(v1_frag_set *s, uint8_t seq, uint32_t frame, uint32_t tag,
                     const uint8_t *p, size_t n)
{
    frag_reserve(s, seq, n);
    if (n)
        memcpy(s->buf + s->bytes, p, n);
    s->parts[seq - 1] = (v1_frag_part){ frame, tag, (uint32_t)s->bytes, (uint32_t)n };
    s->bytes += n;
    s->have |= 1ull << (seq - 1);
    s->held++;
    if (seq > s->top)
        s->top = seq;
}

/* The reassembled message of a complete set: its buffer when the parts
 * came in order (the usual case), else a copy in number order in *copy,
 * which the caller frees. */
static const uint8_t *frag_join(const v1_frag_set *s, uint8_t **copy)
{
    size_t off = 0;
    *copy = NULL;
    for (guint i = 0; i < s->total && !*copy; i++) {
        if (s->parts[i].off != off)
            *copy = g_malloc(s->bytes);
        off += s->parts[i].len;
    }
    if (!*copy)
        return s->buf;
    off = 0;
    for (guint i = 0; i < s->total; i++) {
        memcpy(*copy + off, s->buf + s->parts[i].off, s->parts[i].len);
        off += s->parts[i].len;
    }
    return *copy;
}

/* With frame records: the frame's FR_REASSEMBLED record (a copy of the
 * message and its fragment list) for decoding it again, and the other
 * fragments' frames pointed at this one. */
static void frag_record(dec_t *d, const v1_frag_set *s, const uint8_t *msg,
                        const frag_ref *refs, uint32_t tag)
{
    if (d->ctx->no_frame_records)
        return;
    uint32_t frame = d->m->pkt.frame;
    frame_rec *r = state_frame(d->ctx, frame, tag, FR_REASSEMBLED, true);
    if (r) {
        r->plain.p = crypto_secure_alloc(s->bytes);
        r->plain.len = s->bytes;
        if (s->bytes)
            memcpy(r->plain.p, msg, s->bytes);
        r->parts = g_array_sized_new(FALSE, TRUE, sizeof(frag_ref), s->total);
        g_array_append_vals(r->parts, refs, s->total);
    }
    for (guint i = 0; i < s->total; i++) {
        frame_rec *other = state_frame(d->ctx, s->parts[i].frame, s->parts[i].tag,
                                       FR_FRAGMENT, false);
        if (other)
            other->reassembled_in = frame;
    }
}

/* The fragment list and the reassembled message, decoded under the payload. */
static void frag_show(dec_t *d, const payload_info *pi, const uint8_t *msg, size_t len,
                      const frag_ref *refs, guint n)
{
    uint32_t src = msg_add_source(d->m, "Reassembled IKE", msg, len, true);
    ct_fragment_list(d, pi->item, src, refs, n, len);
    uint32_t root = tree_add(d->m, pi->item, F_PROTO, src, 0, len);
    size_t sn;
    const uint8_t *data = isakmp_msg_source_data(d->m, src, &sn);
    cur_t c;
    cur_init(&c, data, sn, sn, src);
    /* the reassembled message is the frame's message: its header values
     * stay in d for the end-of-message hooks (IKEv1 learning, key derivation) */
    d->depth++;
    dec_message(d, root, &c);
    d->depth--;
}

/* A complete set (already out of its SA's list): recorded, then shown. */
static void frag_complete(dec_t *d, const payload_info *pi, const v1_frag_set *s, uint32_t tag)
{
    frag_ref refs[V1_FRAG_MAX_PARTS];
    for (guint i = 0; i < s->total; i++)
        refs[i] = (frag_ref){ s->parts[i].frame, s->parts[i].len };
    uint8_t *copy;
    const uint8_t *msg = frag_join(s, &copy);
    frag_record(d, s, msg, refs, tag);
    frag_show(d, pi, msg, s->bytes, refs, s->total);
    g_free(copy);
}

/* First pass over a frame: adds the fragment to its set; decodes the
 * reassembled message when this fragment completed the set. */
static void frag_collect(dec_t *d, const cur_t *data, const payload_info *pi, uint16_t id,
                         uint8_t seq, bool last, uint32_t tag)
{
    size_t n = cur_left(data);
    const uint8_t *p = cur_view(data, cur_off(data), n);
    if (!p || data->clip != CUR_OK) {
        tree_note(d->m, pi->item, ISAKMP_SEV_WARN, ISAKMP_NOTE_TRUNCATED,
                  "IKE fragment %u is incomplete: not reassembled", seq);
        return;
    }
    state_frame(d->ctx, d->m->pkt.frame, tag, FR_FRAGMENT, true);
    struct isakmp_state *sa = state_sa(d, d->ispi);
    v1_frag_key k;
    frag_key(d, id, &k);
    /* made before the checks: a set whose fragments are all refused still
     * counts towards V1_FRAG_MAX_SETS */
    v1_frag_set *s = state_v1_frag_set(d, pi->item, sa, &k, V1_FRAG_MAX_SETS);
    if (!frag_fits(d, pi, s, seq, last, n))
        return;
    if (last)
        s->total = seq;
    frag_add(s, seq, d->m->pkt.frame, tag, p, n);
    state_v1_frag_charge(s);
    if (!s->total || s->held < s->total) {
        state_frag_budget(d, pi->item, s->seq);   /* may move s: not used after */
        return;
    }
    /* out of the SA first: decoding the message may change the SA table */
    v1_frag_set done;
    state_v1_frag_take(sa, s, &done);
    frag_complete(d, pi, &done, tag);
    state_v1_frag_free(&done);
}

void ikev1_fragment(dec_t *d, cur_t *data, const payload_info *pi, uint16_t id, uint8_t seq,
                    bool last)
{
    if (d->depth) {
        tree_note(d->m, pi->item, ISAKMP_SEV_WARN, ISAKMP_NOTE_MALFORMED,
                  "IKE fragment inside decrypted or reassembled data: not reassembled");
        return;
    }
    uint32_t tag = state_msg_tag(d);
    const frame_rec *r = state_frame(d->ctx, d->m->pkt.frame, tag, FR_REASSEMBLED, false);
    if (r)
        frag_show(d, pi, r->plain.p, r->plain.len, &g_array_index(r->parts, frag_ref, 0),
                  r->parts->len);
    else if (!ct_frag_seen(d, pi, tag))
        frag_collect(d, data, pi, id, seq, last, tag);
}
