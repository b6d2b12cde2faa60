/*
 * IKEv1 decryption (RFC 2409 Appendix B, RFC 2408 3.1 E flag).
 *
 * Key:  the encryption key from Wireshark's ikev1_decryption_table, per
 *       initiator cookie; the cipher is the one the Phase 1 SA negotiated.
 * IVs:  Phase 1: hash(g^xi | g^xr) truncated to the block size, then the
 *       last ciphertext block of the previous message.  Any other exchange
 *       (Quick Mode, Informational, Transaction, New Group): hash(last
 *       Phase 1 block | M-ID), then chained the same way per M-ID.
 * Retransmissions re-use the IV of the message they repeat; a message that
 * decrypts to garbage is tried with the other candidate IVs.  The IV that
 * worked is remembered per frame so that decoding again gives the same tree.
 */
#include <gcrypt.h>
#include <string.h>

#include "keying/crypto_tree.h"
#include "keying/decrypt.h"

/* ---------------------------------------------------------------- algorithms */

/* IKEv1 Encryption Algorithm attribute values (IANA ipsec-registry). */
static int v1_cipher(uint16_t encr, size_t key_len)
{
    switch (encr) {
    case 1: return GCRY_CIPHER_DES;
    case 3: return GCRY_CIPHER_BLOWFISH;
    case 5: return GCRY_CIPHER_3DES;
    case 6: return GCRY_CIPHER_CAST5;
    case 7:
        return key_len == 16 ? GCRY_CIPHER_AES128 : key_len == 24 ? GCRY_CIPHER_AES192
             : key_len == 32 ? GCRY_CIPHER_AES256 : 0;
    case 8:
        return key_len == 16 ? GCRY_CIPHER_CAMELLIA128 : key_len == 24 ? GCRY_CIPHER_CAMELLIA192
             : key_len == 32 ? GCRY_CIPHER_CAMELLIA256 : 0;
    default: return 0;
    }
}

/* Hash Algorithm attribute values (IANA ipsec-registry). */
static int v1_md(uint16_t hash)
{
    static const int md[] = { 0, GCRY_MD_MD5, GCRY_MD_SHA1, GCRY_MD_TIGER, GCRY_MD_SHA256,
                              GCRY_MD_SHA384, GCRY_MD_SHA512 };
    return hash < G_N_ELEMENTS(md) ? md[hash] : 0;
}

/* The SA's encryption algorithm, hash algorithm and key length (bits), as
 * the SA's record has them (state/sa_facts.c): 0 when unknown. */
static uint16_t sa_encr(const struct isakmp_state *sa)
{
    const isakmp_sa_policy *p = state_policy(sa);
    return p ? p->encr : 0;
}

static uint16_t sa_hash(const struct isakmp_state *sa)
{
    const isakmp_sa_policy *p = state_policy(sa);
    return p ? p->prf : 0;
}

/* The key length in bytes: the Key Length attribute (bits) when it fits the
 * table's key, else the table's key as given; fixed for DES / 3DES / CAST. */
static size_t v1_key_len(const struct isakmp_state *sa, const key_v1 *k)
{
    const isakmp_sa_policy *p = state_policy(sa);
    uint16_t bits = p ? p->key_length : 0;
    switch (sa_encr(sa)) {
    case 1: return 8;
    case 5: return 24;
    case 6: return 16;
    default:
        if (bits && bits / 8u <= k->enc.len)
            return bits / 8u;
        return k->enc.len;
    }
}

/* ---------------------------------------------------------------- learning */

/* Phase 1 clear messages: the KE data, by sender (the SA's record knows the
 * initiator's address from its first message; before that, the first KE is
 * the initiator's).  What the messages negotiated is in the record. */
void ikev1_msg_done(dec_t *d)
{
    /* KE values serve decryption: a stateless context has no keys (with
     * keys every message needed state already) */
    if ((d->flags & 0x01) || d->msgid != 0 || d->depth || d->m->lean || d->ctx->stateless)
        return;
    /* without keys the SA holds nothing decryption needs: it is dropped and
     * made again quietly, as state_fold does, so that the notes do not
     * depend on which messages a context with state saw (isakmp_ctx_seen) */
    struct isakmp_state *sa = d->keyed ? state_sa(d, d->ispi) : state_sa_quiet(d, d->ispi);
    const isakmp_facts *f = &d->m->facts.pub;
    const uint8_t *ke = f->n_kes ? isakmp_msg_span(d->m, f->kes[0].data) : NULL;
    if (!ke || f->kes[0].data.len == 0)
        return;
    static const uint8_t zero[8];
    bool from_i = sa->rec.af ? memcmp(d->m->pkt.src, sa->rec.initiator, 16) == 0
                             : memcmp(d->rspi, zero, 8) == 0 || !sa->ke_i;
    GByteArray **slot = from_i ? &sa->ke_i : &sa->ke_r;
    if (*slot)
        g_byte_array_set_size(*slot, 0);
    else
        *slot = g_byte_array_new();
    g_byte_array_append(*slot, ke, f->kes[0].data.len);
}

/* ---------------------------------------------------------------- IVs */

typedef struct {
    int algo;
    size_t blk, key_len;
    const key_v1 *key;
    struct isakmp_state *sa;
} v1_cipher_ctx;

/* RFC 2409 Appendix B: the first IV of an exchange. */
static bool first_iv(const v1_cipher_ctx *cc, uint32_t msgid, uint8_t *iv)
{
    struct isakmp_state *sa = cc->sa;
    uint8_t h[64];
    size_t hl;
    int md = v1_md(sa_hash(sa));
    if (!md)
        return false;
    if (msgid == 0) {
        if (!sa->ke_i || !sa->ke_r ||
            !crypto_hash2(md, sa->ke_i->data, sa->ke_i->len, sa->ke_r->data, sa->ke_r->len, h,
                          sizeof h, &hl))
            return false;
    } else {
        /* no encrypted Phase 1 message (Aggressive Mode): Phase 1's IV is the base */
        bool created;
        v1_ivs *p1 = state_v1_chain(sa, 0, &created);
        if (created && !first_iv(cc, 0, p1->iv)) {
            g_hash_table_remove(state_sa_chains(sa), GUINT_TO_POINTER(0));
            return false;
        }
        uint8_t mid[4] = { msgid >> 24, msgid >> 16, msgid >> 8, msgid };
        if (!crypto_hash2(md, p1->iv, cc->blk, mid, 4, h, sizeof h, &hl))
            return false;
    }
    if (hl < cc->blk)
        return false;
    memcpy(iv, h, cc->blk);
    return true;
}

static bool try_iv(const v1_cipher_ctx *cc, const uint8_t *iv, const uint8_t *ct, size_t n,
                   uint8_t *out, uint8_t first)
{
    return crypto_block_decrypt(cc->algo, GCRY_CIPHER_MODE_CBC, cc->key->enc.p, cc->key_len, iv,
                                ct, n, out) &&
           dec_chain_span(out, n, first, &(size_t){ 0 });
}

/* First pass: picks the IV (chained, the retransmitted original's, or a
 * fresh one) and moves the chain on; false when none decrypts sensibly. */
static bool choose_iv(dec_t *d, const v1_cipher_ctx *cc, const uint8_t *ct, size_t n,
                      uint8_t *out, uint8_t first, uint8_t *used)
{
    bool created;
    v1_ivs *ch = state_v1_chain(cc->sa, d->msgid, &created);
    if (created && !first_iv(cc, d->msgid, ch->iv)) {
        g_hash_table_remove(state_sa_chains(cc->sa), GUINT_TO_POINTER(d->msgid));
        return false;
    }
    const uint8_t *last = ct + n - cc->blk;
    bool repeat = ch->have_before && memcmp(last, ch->last_in, cc->blk) == 0;
    uint8_t fresh[16];
    const uint8_t *cand[3] = { repeat ? ch->before : ch->iv, repeat ? ch->iv : ch->before, NULL };
    for (int i = 0; i < 3; i++) {
        /* the fresh IV (a hash) only when the chain's fail: most messages
         * decrypt with the first candidate; a chain just made holds it */
        if (i == 2 && !created && first_iv(cc, d->msgid, fresh))
            cand[2] = fresh;
        if (!cand[i] || (i == 1 && !ch->have_before) || !try_iv(cc, cand[i], ct, n, out, first))
            continue;
        memcpy(used, cand[i], cc->blk);
        if (!(repeat && i == 0)) {   /* a new message: the chain moves on */
            memcpy(ch->before, used, cc->blk);
            memcpy(ch->iv, last, cc->blk);
            memcpy(ch->last_in, last, cc->blk);
            ch->have_before = true;
        }
        return true;
    }
    if (!repeat) {
        /* Not decrypted (a wrong candidate key, or earlier messages missing):
         * the chain still moves on, as it needs no key (the next IV is this
         * message's last block), so the right key, found later, decrypts the
         * next message and every later exchange's first IV is right. */
        memcpy(ch->before, ch->iv, cc->blk);
        memcpy(ch->iv, last, cc->blk);
        memcpy(ch->last_in, last, cc->blk);
        ch->have_before = true;
    }
    return false;
}

/* ---------------------------------------------------------------- tree */

/* The payloads, then the padding after them as Extra data, as Wireshark
 * shows it (RFC 2409 B allows any padding up to 255 bytes; not a fault). */
static void v1_plain_tree(dec_t *d, uint32_t enc, uint8_t *p, size_t n, uint8_t first,
                          size_t used)
{
    uint32_t src = ct_take_source(d, "Decrypted IKE", p, n);   /* the message's now */
    ct_decode_inner(d, enc, src, 0, used, first);
    if (n > used)
        tree_add(d->m, enc, F_EXTRADATA, src, used, n - used);
    if (n - used > 255)
        tree_note(d->m, enc, ISAKMP_SEV_NOTE, ISAKMP_NOTE_DECRYPT,
                  "%zu bytes of padding after the payloads (RFC 2409 allows at most 255)",
                  n - used);
}

static bool cipher_ctx(dec_t *d, v1_cipher_ctx *cc)
{
    cc->key = keys_v1_find(d->ctx->keys, d->ispi);
    if (!cc->key)
        return false;
    cc->sa = state_sa(d, d->ispi);
    cc->key_len = v1_key_len(cc->sa, cc->key);
    cc->algo = v1_cipher(sa_encr(cc->sa), cc->key_len);
    cc->blk = cc->algo ? gcry_cipher_get_algo_blklen(cc->algo) : 0;
    return cc->algo && cc->blk && cc->blk <= 16 && cc->key_len <= cc->key->enc.len;
}

bool ikev1_cipher_of(const isakmp_ctx *ctx, const uint8_t ispi[8], ikev1_cipher *out)
{
    const key_v1 *key = keys_v1_find(ctx->keys, ispi);
    struct isakmp_state *sa = key ? state_sa_find(ctx, ispi) : NULL;
    if (!sa)
        return false;
    out->key = key->enc.p;
    out->key_len = v1_key_len(sa, key);
    out->algo = v1_cipher(sa_encr(sa), out->key_len);
    out->blk = out->algo ? gcry_cipher_get_algo_blklen(out->algo) : 0;
    out->md = v1_md(sa_hash(sa));
    return out->algo && out->blk && out->blk <= 16 && out->key_len <= key->enc.len;
}

bool ikev1_decrypt(dec_t *d, uint32_t parent, cur_t *c, uint8_t first)
{
    v1_cipher_ctx cc = { 0 };
    size_t n = cur_left(c);
    const uint8_t *ct = cur_view(c, cur_off(c), n);
    /* depth 1: a message reassembled from fragments (ikev1_frag.c) */
    if (d->depth > 1 || !ct || !cipher_ctx(d, &cc))
        return false;
    uint32_t enc = tree_add(d->m, parent, F_ENC_DATA, c->src, cur_off(c), n);
    tree_set_label(d->m, enc, "Encrypted Data (%zu bytes)", n);
    cur_skip(c, n);
    if (n == 0 || n % cc.blk) {
        tree_note(d->m, enc, ISAKMP_SEV_ERROR, ISAKMP_NOTE_DECRYPT,
                  "Encrypted data length %zu is not a multiple of the %zu-byte block", n, cc.blk);
        return true;
    }
    uint32_t tag = state_msg_tag(d);
    frame_rec *r = state_frame(d->ctx, d->m->pkt.frame, tag, FR_V1_IV, false);
    uint8_t *out = crypto_secure_alloc(n), iv[16];
    bool ok = r ? crypto_block_decrypt(cc.algo, GCRY_CIPHER_MODE_CBC, cc.key->enc.p, cc.key_len,
                                       r->iv, ct, n, out)
                : choose_iv(d, &cc, ct, n, out, first, iv);
    if (ok && !r && (r = state_frame(d->ctx, d->m->pkt.frame, tag, FR_V1_IV, true))) {
        memcpy(r->iv, iv, cc.blk);
        r->iv_len = (uint8_t)cc.blk;
    }
    size_t used = 0;
    if (ok && dec_chain_span(out, n, first, &used)) {
        v1_plain_tree(d, enc, out, n, first, used);   /* (it keeps out) */
        return true;
    }
    tree_note(d->m, enc, ISAKMP_SEV_WARN, ISAKMP_NOTE_DECRYPT,
              "Could not decrypt: no IV gives well-formed payloads (wrong key, or the "
              "exchange's earlier messages are missing)");
    crypto_secure_free(out, n);
    return true;
}
