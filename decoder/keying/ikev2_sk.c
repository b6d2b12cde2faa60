/*
 * IKEv2 Encrypted and Authenticated payload (RFC 7296 3.14), its AEAD forms
 * (RFC 5282, RFC 7634) and the Encrypted Fragment payload with reassembly
 * (RFC 7383 2.5).
 *
 *   SK body:  IV | ciphertext (plaintext = payloads | padding | pad length) | ICV
 *   SKF body: Fragment Number (2) | Total Fragments (2) | the same
 *   (the SKF parser in v2_payloads.c shows the numbers and hands us the rest)
 *
 * The ICV covers the message from the IKE header to the end of the
 * ciphertext; for AEAD ciphers the AAD is the message up to the IV.
 */
#include <string.h>

#include "keying/crypto_tree.h"
#include "keying/decrypt.h"
#include "core/ike_types.h"

#define SKF_MAX_PARTS 64          /* fragments per message (RFC 7383 sets none) */
#define SKF_MAX_BYTES 65535       /* reassembled plaintext per message */
#define SKF_MAX_SETS 16           /* incomplete messages per SA */
#define SKF_KEY_LEN 13            /* set key: SPIr, Response flag, Message ID */

typedef struct {
    const key_v2 *key;
    size_t epoch, n_keys;          /* the key's index among the SPI pair's key sets, their number */
    const secret_t *ek, *ak;
    size_t iv_off, iv_len, ct_off, ct_len, icv_off, icv_len;
} sk_layout;

/* Splits the body into IV, ciphertext and ICV for l->key, in the direction
 * of the message; false when the sizes cannot be right. */
static bool sk_fit(const dec_t *d, const cur_t *b, sk_layout *l)
{
    const cipher_alg *c = l->key->enc;
    bool aead = c->icv_len > 0, initiator = d->flags & 0x08;
    l->ek = initiator ? &l->key->ei : &l->key->er;
    l->ak = initiator ? &l->key->ai : &l->key->ar;
    l->iv_len = c->iv_len;
    l->icv_len = aead ? c->icv_len : l->key->integ->icv_len;
    l->iv_off = cur_off(b);
    size_t n = cur_left(b);
    if (n < l->iv_len + l->icv_len + 1)
        return false;
    l->ct_off = l->iv_off + l->iv_len;
    l->ct_len = n - l->iv_len - l->icv_len;
    l->icv_off = l->ct_off + l->ct_len;
    return true;
}

/* sk_fit, with a note when the sizes cannot be right. */
static bool sk_layout_of(dec_t *d, const cur_t *b, const payload_info *pi, sk_layout *l)
{
    if (sk_fit(d, b, l))
        return true;
    tree_note(d->m, pi->item, ISAKMP_SEV_ERROR, ISAKMP_NOTE_DECRYPT,
              "Not enough data in the Encrypted payload: %zu bytes for a %zu-byte IV "
              "and a %zu-byte ICV", cur_left(b), l->iv_len, l->icv_len);
    return false;
}

/* The ICD item, and ike.verify.icv when it can be checked. */
static void sk_icd(dec_t *d, const payload_info *pi, const cur_t *b, const sk_layout *l,
                   int ok, const uint8_t *expected)
{
    if (l->icv_len == 0)
        return;
    const uint8_t *icv = cur_view(b, l->icv_off, l->icv_len);
    uint32_t it = tree_add(d->m, pi->item, F_ENC_ICD, b->src, l->icv_off, l->icv_len);
    const char *alg = l->key->enc->icv_len ? "" : l->key->integ->ws_name;
    tree_set_label(d->m, it, "Integrity Checksum Data: %s (%zu bytes)%s%s%s [%s]",
                   ct_hex(d, icv, l->icv_len), l->icv_len, *alg ? " <" : "", alg,
                   *alg ? ">" : "", ok < 0 ? "not validated" : ok ? "correct" : "incorrect");
    if (ok < 0)
        return;
    uint32_t v = tree_add_uint(d->m, it, F_VERIFY_ICV, b->src, l->icv_off, l->icv_len, ok);
    tree_set_generated(d->m, v);
    isakmp_fact_checks *counts = &facts_used(&d->m->facts)->icv;
    if (ok)
        counts->ok++;
    else
        counts->bad++;
    if (!ok)
        tree_note(d->m, v, ISAKMP_SEV_WARN, ISAKMP_NOTE_VERIFY,
                  "ICV is incorrect%s%s", expected ? "; expected " : "",
                  expected ? ct_hex(d, expected, l->icv_len) : "");
}

/* Checks a non-AEAD ICV: 1 right, 0 wrong, -1 cannot be checked. */
static int sk_integ(dec_t *d, const cur_t *b, const sk_layout *l, uint8_t *expected)
{
    const integ_alg *ia = l->key->integ;
    if (ia->kind == IK_NONE || ia->kind == IK_ANY)
        return -1;
    const uint8_t *msg = cur_view(b, d->hdr_off, l->icv_off - d->hdr_off);
    const uint8_t *icv = cur_view(b, l->icv_off, l->icv_len);
    if (!msg || !icv || !crypto_integ(ia, l->ak->p, l->ak->len, msg, l->icv_off - d->hdr_off,
                                      expected))
        return -1;
    return memcmp(expected, icv, l->icv_len) == 0;
}

/* Decrypts into a new secure buffer; *tag_ok for AEAD. NULL on failure. */
static uint8_t *sk_decrypt(dec_t *d, const cur_t *b, const sk_layout *l, bool *tag_ok)
{
    const uint8_t *iv = cur_view(b, l->iv_off, l->iv_len ? l->iv_len : 1);
    const uint8_t *ct = cur_view(b, l->ct_off, l->ct_len);
    const uint8_t *aad = cur_view(b, d->hdr_off, l->iv_off - d->hdr_off);
    const uint8_t *tag = cur_view(b, l->icv_off, l->icv_len);
    if ((l->iv_len && !iv) || !ct || !aad || (l->icv_len && !tag))
        return NULL;
    uint8_t *out = crypto_secure_alloc(l->ct_len);
    if (!crypto_decrypt(l->key->enc, l->ek->p, iv, aad, l->iv_off - d->hdr_off, ct, l->ct_len,
                        out, tag, tag_ok)) {
        crypto_secure_free(out, l->ct_len);
        return NULL;
    }
    return out;
}

/* Decrypted Data { Contained Data, Padding, Pad Length }; returns the
 * Contained item (0 when empty) and its length through *clen. */
static uint32_t sk_plain_items(dec_t *d, const payload_info *pi, uint32_t src, const uint8_t *p,
                               size_t n, size_t *clen)
{
    uint32_t dd = tree_add(d->m, pi->item, F_ENC_DECRYPTED, src, 0, n);
    tree_set_label(d->m, dd, "Decrypted Data (%zu byte%s)", n, n == 1 ? "" : "s");
    size_t pad = p[n - 1];
    if (pad + 1 > n) {
        tree_note(d->m, dd, ISAKMP_SEV_ERROR, ISAKMP_NOTE_DECRYPT,
                  "Pad length %zu is too big for %zu bytes of plaintext (wrong key?)", pad, n);
        pad = n - 1;
    }
    *clen = n - pad - 1;
    uint32_t cont = 0;
    if (*clen) {
        cont = tree_add(d->m, dd, F_ENC_CONTAINED, src, 0, *clen);
        tree_set_label(d->m, cont, "Contained Data (%zu byte%s)", *clen, *clen == 1 ? "" : "s");
    }
    if (pad) {
        uint32_t pi2 = tree_add(d->m, dd, F_ENC_PADDING, src, *clen, pad);
        tree_set_label(d->m, pi2, "Padding (%zu byte%s)", pad, pad == 1 ? "" : "s");
    }
    tree_add_uint(d->m, dd, F_ENC_PAD_LENGTH, src, n - 1, 1, p[n - 1]);
    return cont;
}

/* The message's inner payloads (for IntAuth, derive.c). */
static void inner_keep(dec_t *d, const payload_info *pi, uint32_t src, size_t len, uint8_t first,
                       bool frag)
{
    d->have_inner = true;
    d->inner_frag = frag;
    d->inner_src = src;
    d->inner_len = len;
    d->inner_first = first;
    d->sk_off = pi->off;
}

/* Makes room for a new set of fragments in the SA: at most SKF_MAX_SETS
 * incomplete messages (IKEv1's sets in the same table have keys of another
 * length and are left alone); one is dropped, with a note. */
static void skf_evict(dec_t *d, const payload_info *pi, struct isakmp_state *sa,
                      const uint8_t key[SKF_KEY_LEN])
{
    GBytes *k = g_bytes_new_static(key, SKF_KEY_LEN);
    bool known = g_hash_table_contains(state_sa_frags(sa), k);
    g_bytes_unref(k);
    if (known)
        return;
    state_frag_evict(d, pi->item, sa, SKF_KEY_LEN, SKF_MAX_SETS);
}

/* RFC 7383 2.5: collects a fragment; on the frame that completes the set
 * (or when decoding that frame again) decodes the reassembled message. */
static void skf_fragment(dec_t *d, const payload_info *pi, uint16_t num, uint16_t total,
                         const uint8_t *p, size_t n)
{
    uint32_t frame = d->m->pkt.frame;
    uint32_t tag = state_msg_tag(d);
    frame_rec *r = state_frame(d->ctx, frame, tag, FR_REASSEMBLED, false);
    bool tmp = false;
    if (!r) {
        if (ct_frag_seen(d, pi, tag))
            return;
        state_frame(d->ctx, frame, tag, FR_FRAGMENT, true);
        uint8_t key[SKF_KEY_LEN];
        memcpy(key, d->rspi, 8);
        key[8] = d->flags & 0x20;
        memcpy(key + 9, &d->msgid, 4);
        struct isakmp_state *sa = state_sa(d, d->ispi);
        skf_evict(d, pi, sa, key);
        frag_set *s = state_frags(sa, key, sizeof key);
        state_frag_budget(d, pi->item, s->seq);   /* a new set costs too */
        if (s->done || total > s->total)
            frag_set_reset(s);
        if (total < s->total)
            return;   /* RFC 7383 2.6.2: fragments of an older, smaller set */
        if (total > SKF_MAX_PARTS || s->bytes + n > SKF_MAX_BYTES) {
            tree_note(d->m, pi->item, ISAKMP_SEV_WARN, ISAKMP_NOTE_LIMIT,
                      "Fragment %u of %u not reassembled: more than %d fragments or %d bytes",
                      num, total, SKF_MAX_PARTS, SKF_MAX_BYTES);
            return;
        }
        s->total = total;
        if (num == 1)
            s->first_payload = pi->next;
        ct_frag_add(s, num, frame, tag, p, n);
        state_frag_charge(s);
        if (!ct_frag_complete(s)) {
            state_frag_budget(d, pi->item, s->seq);
            return;
        }
        r = ct_reassemble(d, s, tag, &tmp);
        /* the record has the plaintext now; a late fragment starts a new set */
        GBytes *k = g_bytes_new_static(key, sizeof key);
        g_hash_table_remove(state_sa_frags(sa), k);
        g_bytes_unref(k);
    }
    uint32_t src = msg_add_source(d->m, "Reassembled IKE", r->plain.p, r->plain.len, true);
    inner_keep(d, pi, src, r->plain.len, r->first_payload, true);
    ct_fragment_items(d, pi->item, src, r->parts, r->plain.len);
    ct_decode_inner(d, pi->item, src, 0, r->plain.len, r->first_payload);
    if (tmp)
        ct_rec_free_tmp(r);
}

/* The SKF numbering (RFC 7383 2.5), as the payload parser read it into the
 * facts (the fragment entry of the payload being parsed).  False (with a
 * note) when it is invalid. */
static bool skf_numbers(dec_t *d, const payload_info *pi, uint16_t *num, uint16_t *total)
{
    const isakmp_facts *f = &d->m->facts.pub;
    const isakmp_fact_frag *fr = f->n_frags ? &f->frags[f->n_frags - 1] : NULL;
    if (!fr || fr->payload != facts_cur(d) || facts_cur(d) == ISAKMP_FACT_NONE)
        return false;
    *num = fr->number;
    *total = fr->total;
    if (*num == 0 || *total == 0 || *num > *total) {
        tree_note(d->m, pi->item, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED,
                  "Invalid fragment numbering: fragment %u of %u", *num, *total);
        return false;
    }
    return true;
}

/* Decrypts and shows the plaintext; decodes it (SK) or collects it (SKF). */
static void sk_show(dec_t *d, const cur_t *b, const payload_info *pi, const sk_layout *l,
                    uint16_t num, uint16_t total)
{
    uint8_t expected[64];
    int ok = sk_integ(d, b, l, expected);
    bool tag_ok = false;
    uint8_t *plain = sk_decrypt(d, b, l, &tag_ok);
    if (l->key->enc->icv_len)
        ok = plain ? tag_ok : -1;
    if (ok == 1)
        d->sk_epoch = (int)l->epoch;
    if (l->n_keys > 1 || l->key->epochs) {   /* RFC 9370: which key epoch this message belongs to */
        uint32_t ep = tree_add_uint(d->m, pi->item, F_ENC_EPOCH, b->src, l->iv_off, 0,
                                    (uint32_t)l->epoch);
        tree_set_generated(d->m, ep);
    }
    if (!plain) {
        tree_note(d->m, pi->item, ISAKMP_SEV_ERROR, ISAKMP_NOTE_DECRYPT,
                  "Decryption failed (%zu bytes do not fit %s)", l->ct_len, l->key->enc->ws_name);
    } else {
        uint32_t src = ct_take_source(d, "Decrypted IKE", plain, l->ct_len);   /* the message's now */
        size_t clen;
        uint32_t cont = sk_plain_items(d, pi, src, plain, l->ct_len, &clen);
        if (pi->type == V2_PAYLOAD_SKF)
            skf_fragment(d, pi, num, total, plain, clen);
        else if (cont)
            ct_decode_inner(d, cont, src, 0, clen, pi->next);
        if (pi->type != V2_PAYLOAD_SKF && ok == 1)
            inner_keep(d, pi, src, clen, pi->next, false);
    }
    sk_icd(d, pi, b, l, ok, ok == 0 && !l->key->enc->icv_len ? expected : NULL);
}

/* True when key l->key's ICV (or AEAD tag) verifies on this message. */
static bool sk_verifies(dec_t *d, const cur_t *b, sk_layout *l)
{
    uint8_t expected[64];
    if (!sk_fit(d, b, l))
        return false;
    if (!l->key->enc->icv_len)
        return sk_integ(d, b, l, expected) == 1;
    bool tag_ok = false;
    uint8_t *plain = sk_decrypt(d, b, l, &tag_ok);
    if (plain)
        crypto_secure_free(plain, l->ct_len);
    return plain && tag_ok;
}

/* The key for this message.  A table may give several for one SPI pair
 * (save-keys writes one line per key epoch, RFC 9370): the first whose ICV
 * verifies, else the first (whose failure is then shown).  One key, the
 * common case, costs nothing more. */
static const key_v2 *sk_key(dec_t *d, const cur_t *b, size_t *epoch, size_t *n)
{
    const key_v2 *const *all = keys_v2_find_all(d->ctx->keys, d->ispi, d->rspi, n);
    *epoch = 0;
    for (size_t i = 0; *n > 1 && i < *n; i++) {
        sk_layout l = { .key = all[i] };
        if (sk_verifies(d, b, &l)) {
            *epoch = i;
            return all[i];
        }
    }
    return *n ? all[0] : NULL;
}

bool ikev2_sk_decrypt(dec_t *d, cur_t *body, const payload_info *pi)
{
    uint16_t num = 0, total = 0;
    if (pi->type == V2_PAYLOAD_SKF && !skf_numbers(d, pi, &num, &total))
        return false;
    if (body->src != 0 || d->depth > 0)
        return false;
    sk_layout l = { 0 };
    l.key = sk_key(d, body, &l.epoch, &l.n_keys);
    if (!l.key)
        return false;
    if (!sk_layout_of(d, body, pi, &l))
        return false;
    if (l.iv_len)
        tree_add(d->m, pi->item, F_ENC_IV, body->src, l.iv_off, l.iv_len);
    uint32_t e = tree_add(d->m, pi->item, F_ENC_DATA, body->src, l.ct_off, l.ct_len);
    tree_set_label(d->m, e, "Encrypted Data (%zu bytes) <%s>", l.ct_len, l.key->enc->ws_name);
    sk_show(d, body, pi, &l, num, total);
    cur_skip(body, cur_left(body));
    return true;
}
