/*
 * Encryption for the edit API: an IKEv2 SK payload (RFC 7296 3.14, RFC 5282,
 * RFC 7634) and an IKEv1 message with the E flag (RFC 2409 Appendix B) are
 * parsed from their plaintext and, on encoding, padded, encrypted with the
 * SA's keys and (IKEv2) given their ICV or AEAD tag again.
 *
 * The IV: IKEv2 carries it, and the edit keeps it.  IKEv1 derives it from
 * the exchange (the last block of the previous message, or a hash for a new
 * exchange); the edit keeps the one the message was decrypted with, worked
 * back from the decoded plaintext (CBC: IV = D(C1) xor P1), so that an
 * edited message is what the receiver, having seen the same messages before
 * it, decrypts.
 */
#include <gcrypt.h>
#include <string.h>

#include "keying/edit_int.h"

static GByteArray *bytes_of(const uint8_t *p, size_t n)
{
    GByteArray *b = g_byte_array_new();
    g_byte_array_append(b, p, (guint)n);
    return b;
}

/* The message's data source holding exactly these plaintext bytes (for
 * mapping items to nodes), or EDIT_NO_SRC. */
static uint32_t plain_source(const isakmp_msg *m, const uint8_t *p, size_t n)
{
    for (size_t i = 1; i < isakmp_msg_source_count(m); i++) {
        size_t len = 0;
        const uint8_t *d = isakmp_msg_source_data(m, i, &len);
        if (len == n && d && memcmp(d, p, n) == 0)
            return (uint32_t)i;
    }
    return EDIT_NO_SRC;
}

/* ---------------------------------------------------------------- IKEv2 */

typedef struct {
    size_t iv_len, ct_len, icv_len;
} sk_sizes;

static bool sk_sizes_of(const key_v2 *k, size_t n, sk_sizes *s)
{
    bool aead = k->enc->icv_len > 0;
    s->iv_len = k->enc->iv_len;
    s->icv_len = aead ? k->enc->icv_len : k->integ->icv_len;
    if (n < s->iv_len + s->icv_len + 1)
        return false;
    s->ct_len = n - s->iv_len - s->icv_len;
    return true;
}

/* Decrypts the body at `off` of the message msg..mlen with key k into out
 * (ct_len bytes); true when the ICV or tag verifies (or cannot be checked:
 * Wireshark's "ANY" integrity). */
static bool sk_open(const key_v2 *k, bool initiator, const uint8_t *msg, size_t off,
                    const sk_sizes *s, uint8_t *out)
{
    const uint8_t *iv = msg + off, *ct = iv + s->iv_len, *icv = ct + s->ct_len;
    const secret_t *ek = initiator ? &k->ei : &k->er, *ak = initiator ? &k->ai : &k->ar;
    bool tag_ok = false;
    if (!crypto_decrypt(k->enc, ek->p, iv, msg, off, ct, s->ct_len, out, icv, &tag_ok))
        return false;
    if (k->enc->icv_len)
        return tag_ok;
    if (k->integ->kind == IK_ANY || k->integ->kind == IK_NONE)
        return true;
    uint8_t want[64];
    return crypto_integ(k->integ, ak->p, ak->len, msg, (size_t)(icv - msg), want) &&
           memcmp(want, icv, s->icv_len) == 0;
}

edit_crypt *edit_sk_open(const isakmp_edit *e, const uint8_t *p, size_t n, size_t off,
                         bool skf, edit_accept_fn accept, void *user)
{
    size_t mlen = 0, head = skf ? 4 : 0;
    const uint8_t *msg = isakmp_msg_source_data(e->msg, 0, &mlen);
    if (!e->ctx || mlen < 28 || off + n > mlen || n < head)
        return NULL;
    bool initiator = msg[19] & 0x08;
    size_t nk = 0;
    const key_v2 *const *all = keys_v2_find_all(e->ctx->keys, msg, msg + 8, &nk);
    for (size_t i = 0; i < nk; i++) {
        sk_sizes s;
        if (!sk_sizes_of(all[i], n - head, &s))
            continue;
        uint8_t *plain = crypto_secure_alloc(s.ct_len);
        bool ok = sk_open(all[i], initiator, msg, off + head, &s, plain);
        size_t pad = plain[s.ct_len - 1], used = 0;
        ok = ok && pad + 1 <= s.ct_len;
        size_t clen = ok ? s.ct_len - pad - 1 : 0;
        uint32_t psrc = ok ? plain_source(e->msg, plain, s.ct_len) : EDIT_NO_SRC;
        ok = ok && accept(user, plain, clen, psrc, &used) && used == clen;
        edit_crypt *c = NULL;
        if (ok) {
            c = g_new0(edit_crypt, 1);
            c->skf = skf;
            c->key = all[i];
            c->initiator = initiator;
            c->iv = bytes_of(p + head, s.iv_len);
            c->pad = bytes_of(plain + clen, pad);
            c->icv = bytes_of(p + n - s.icv_len, s.icv_len);
        }
        crypto_secure_free(plain, s.ct_len);
        if (c)
            return c;
    }
    return NULL;
}

static void queue(edit_out *o, const edit_crypt *c, size_t iv_off, size_t ct_off, size_t ct_len,
                  size_t icv_len)
{
    o->jobs = g_renew(edit_job, o->jobs, o->n_jobs + 1);
    o->jobs[o->n_jobs++] = (edit_job){ c, iv_off, ct_off, ct_len, icv_len };
}

/* Padding: the original when the new length still fits the block, else the
 * fewest zero bytes that make it fit (`extra`: the Pad Length byte). */
static void put_pad(edit_out *o, const GByteArray *orig, size_t inner, size_t extra, size_t blk)
{
    if (blk <= 1 || (inner + orig->len + extra) % blk == 0) {
        if (blk > 1 || orig->len)
            g_byte_array_append(o->b, orig->data, orig->len);
        if (extra)
            g_byte_array_append(o->b, &(uint8_t){ (uint8_t)orig->len }, 1);
        return;
    }
    size_t pad = (blk - (inner + extra) % blk) % blk;
    static const uint8_t zero[16];
    g_byte_array_append(o->b, zero, (guint)pad);
    if (extra)
        g_byte_array_append(o->b, &(uint8_t){ (uint8_t)pad }, 1);
}

size_t edit_crypt_begin(edit_out *o, const edit_crypt *c)
{
    if (!c->v1)
        g_byte_array_append(o->b, c->iv->data, c->iv->len);
    return o->b->len;
}

void edit_crypt_end(edit_out *o, const edit_crypt *c, size_t ct_off)
{
    size_t inner = o->b->len - ct_off;
    if (c->v1) {
        put_pad(o, c->pad, inner, 0, c->c1.blk);
        queue(o, c, 0, ct_off, o->b->len - ct_off, 0);
        return;
    }
    size_t blk = c->key->enc->block_len ? c->key->enc->block_len : 1;
    put_pad(o, c->pad, inner, 1, blk);
    size_t ct_len = o->b->len - ct_off;
    g_byte_array_append(o->b, c->icv->data, c->icv->len);
    queue(o, c, ct_off - c->iv->len, ct_off, ct_len, c->icv->len);
}

static bool sk_seal(edit_out *o, const edit_job *j)
{
    const edit_crypt *c = j->c;
    const key_v2 *k = c->key;
    const secret_t *ek = c->initiator ? &k->ei : &k->er, *ak = c->initiator ? &k->ai : &k->ar;
    uint8_t *b = o->b->data, *icv = b + j->ct_off + j->ct_len;
    if (!crypto_encrypt(k->enc, ek->p, b + j->iv_off, b, j->iv_off, b + j->ct_off, j->ct_len,
                        b + j->ct_off, icv))
        return false;
    if (k->enc->icv_len || k->integ->kind == IK_ANY || k->integ->kind == IK_NONE)
        return true;   /* AEAD: the tag is written; "ANY": the ICV kept as it was */
    return crypto_integ(k->integ, ak->p, ak->len, b, (size_t)(icv - b), icv);
}

/* ---------------------------------------------------------------- IKEv1 */

edit_crypt *edit_v1_open(const isakmp_edit *e, const uint8_t *p, size_t n,
                         edit_accept_fn accept, void *user)
{
    ikev1_cipher c1;
    if (!e->ctx || n <= 28 || !ikev1_cipher_of(e->ctx, p, &c1) || (n - 28) % c1.blk)
        return NULL;
    size_t len = n - 28;
    const uint8_t *ct = p + 28;
    /* the decoded plaintext: a source of the ciphertext's length, whose first
     * block decrypts (ECB) to the IV xor itself */
    for (size_t i = 1; i < isakmp_msg_source_count(e->msg); i++) {
        size_t pl = 0;
        const uint8_t *plain = isakmp_msg_source_data(e->msg, i, &pl);
        uint8_t iv[16], *check;
        if (pl != len || !plain ||
            !crypto_block_decrypt(c1.algo, GCRY_CIPHER_MODE_ECB, c1.key, c1.key_len, NULL, ct,
                                  c1.blk, iv))
            continue;
        for (size_t k = 0; k < c1.blk; k++)
            iv[k] ^= plain[k];
        check = crypto_secure_alloc(len);
        bool same = crypto_block_decrypt(c1.algo, GCRY_CIPHER_MODE_CBC, c1.key, c1.key_len, iv,
                                         ct, len, check) &&
                    memcmp(check, plain, len) == 0;
        crypto_secure_free(check, len);
        size_t used = 0;
        if (!same || !accept(user, plain, len, (uint32_t)i, &used) || used > len)
            continue;
        edit_crypt *c = g_new0(edit_crypt, 1);
        c->v1 = true;
        c->c1 = c1;
        c->iv = bytes_of(iv, c1.blk);
        c->pad = bytes_of(plain + used, len - used);
        c->icv = g_byte_array_new();
        return c;
    }
    return NULL;
}

void edit_crypt_free(edit_crypt *c)
{
    if (!c)
        return;
    g_byte_array_free(c->iv, TRUE);
    g_byte_array_free(c->pad, TRUE);
    g_byte_array_free(c->icv, TRUE);
    g_free(c);
}

edit_crypt *edit_crypt_copy(const edit_crypt *from)
{
    edit_crypt *c = g_memdup2(from, sizeof *from);
    c->iv = bytes_of(from->iv->data, from->iv->len);
    c->pad = bytes_of(from->pad->data, from->pad->len);
    c->icv = bytes_of(from->icv->data, from->icv->len);
    return c;
}

bool edit_crypt_run(edit_out *o)
{
    for (size_t i = 0; i < o->n_jobs; i++) {
        const edit_job *j = &o->jobs[o->n_jobs - 1 - i];   /* inner first */
        const edit_crypt *c = j->c;
        uint8_t *b = o->b->data + j->ct_off;
        bool ok = c->v1 ? crypto_block_encrypt(c->c1.algo, GCRY_CIPHER_MODE_CBC, c->c1.key,
                                               c->c1.key_len, c->iv->data, b, j->ct_len, b)
                        : sk_seal(o, j);
        if (!ok)
            return false;
    }
    return true;
}

/* ---------------------------------------------------------------- IKEv1 IVs */

static const edit_crypt *v1_crypt(const isakmp_edit *e)
{
    const edit_crypt *c = e->root->crypt;
    return c && c->v1 && !e->root->raw ? c : NULL;
}

const uint8_t *isakmp_edit_iv(const isakmp_edit *e, size_t *len)
{
    const edit_crypt *c = v1_crypt(e);
    *len = c ? c->iv->len : 0;
    return c ? c->iv->data : NULL;
}

int isakmp_edit_set_iv(isakmp_edit *e, const uint8_t *iv, size_t len)
{
    const edit_crypt *c = v1_crypt(e);
    if (!c || len != c->iv->len)
        return -1;
    memcpy(c->iv->data, iv, len);
    return 0;
}

size_t isakmp_edit_v1_exchange_iv(const isakmp_edit *e, const uint8_t *p1_last, size_t len,
                                  uint32_t msgid, uint8_t *out, size_t size)
{
    const edit_crypt *c = v1_crypt(e);
    uint8_t h[64], mid[4] = { msgid >> 24, msgid >> 16, msgid >> 8, msgid };
    size_t hl = 0;
    if (!c || !c->c1.md || size < c->c1.blk ||
        !crypto_hash2(c->c1.md, p1_last, len, mid, 4, h, sizeof h, &hl) || hl < c->c1.blk)
        return 0;
    memcpy(out, h, c->c1.blk);
    return c->c1.blk;
}
