/*
 * PRFs and key derivation: HMAC (RFC 2104) over MD5 / SHA-1 / SHA-2,
 * AES-XCBC-PRF-128 (RFC 4434 over RFC 3566), AES-CMAC-PRF-128 (RFC 4615),
 * prf+ (RFC 7296 2.13), the IKEv2 KDF (RFC 7296 2.14, 2.17, 2.18) and the
 * IKEv1 KDF (RFC 2409 5, 5.5, Appendix B).
 */
#include <gcrypt.h>
#include <string.h>

#include "crypto/crypto.h"
#include "crypto/kdf.h"

#define AES_BLOCK 16

/* One libgcrypt set-up for the whole library (crypto.c owns it: secure
 * memory pool, thread-safe once). */
void kdf_crypto_init(void) { crypto_init(); }

/* PRF id -> (libgcrypt MAC, output size, preferred key size). */
static const struct {
    int prf;
    int mac;
    int md;
    size_t out, key;
} prfs[] = {
    { PRF_HMAC_MD5, GCRY_MAC_HMAC_MD5, GCRY_MD_MD5, 16, 16 },
    { PRF_HMAC_SHA1, GCRY_MAC_HMAC_SHA1, GCRY_MD_SHA1, 20, 20 },
    { PRF_AES128_XCBC, 0, 0, 16, 16 },
    { PRF_HMAC_SHA2_256, GCRY_MAC_HMAC_SHA256, GCRY_MD_SHA256, 32, 32 },
    { PRF_HMAC_SHA2_384, GCRY_MAC_HMAC_SHA384, GCRY_MD_SHA384, 48, 48 },
    { PRF_HMAC_SHA2_512, GCRY_MAC_HMAC_SHA512, GCRY_MD_SHA512, 64, 64 },
    { PRF_AES128_CMAC, GCRY_MAC_CMAC_AES, 0, 16, 16 },
};

static int prf_index(int prf)
{
    for (size_t i = 0; i < sizeof prfs / sizeof prfs[0]; i++)
        if (prfs[i].prf == prf)
            return (int)i;
    return -1;
}

size_t kdf_prf_size(int prf)
{
    int i = prf_index(prf);
    return i < 0 ? 0 : prfs[i].out;
}

size_t kdf_prf_key_size(int prf)
{
    int i = prf_index(prf);
    return i < 0 ? 0 : prfs[i].key;
}

int kdf_prf_md(int prf)
{
    int i = prf_index(prf);
    return i < 0 ? 0 : prfs[i].md;
}

int kdf_prf_from_v1_hash(int hash_alg)
{
    /* RFC 2409 Appendix A "Hash Algorithm"; 3 (Tiger) is not supported. */
    switch (hash_alg) {
    case 1: return PRF_HMAC_MD5;
    case 2: return PRF_HMAC_SHA1;
    case 4: return PRF_HMAC_SHA2_256;
    case 5: return PRF_HMAC_SHA2_384;
    case 6: return PRF_HMAC_SHA2_512;
    default: return 0;
    }
}

/* ---------------------------------------------------------------- MACs */

static bool mac_run(int algo, const uint8_t *key, size_t klen, const kdf_chunk *parts,
                    size_t n, uint8_t *out, size_t outlen)
{
    gcry_mac_hd_t h;
    if (gcry_mac_open(&h, algo, 0, NULL))
        return false;
    bool ok = !gcry_mac_setkey(h, key, klen);
    for (size_t i = 0; ok && i < n; i++)
        if (parts[i].n)
            ok = !gcry_mac_write(h, parts[i].p, parts[i].n);
    size_t len = outlen;
    ok = ok && !gcry_mac_read(h, out, &len) && len == outlen;
    gcry_mac_close(h);
    return ok;
}

static bool aes_ecb(const uint8_t key[AES_BLOCK], const uint8_t in[AES_BLOCK],
                    uint8_t out[AES_BLOCK])
{
    gcry_cipher_hd_t h;
    if (gcry_cipher_open(&h, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_ECB, 0))
        return false;
    bool ok = !gcry_cipher_setkey(h, key, AES_BLOCK) &&
              !gcry_cipher_encrypt(h, out, AES_BLOCK, in, AES_BLOCK);
    gcry_cipher_close(h);
    return ok;
}

/* Feeds the message pieces to AES-XCBC block by block (RFC 3566 2.3). */
typedef struct {
    uint8_t k1[AES_BLOCK], e[AES_BLOCK], buf[AES_BLOCK];
    size_t fill;
    bool ok;
} xcbc_t;

static void xcbc_block(xcbc_t *x)
{
    for (int i = 0; i < AES_BLOCK; i++)
        x->buf[i] ^= x->e[i];
    x->ok = x->ok && aes_ecb(x->k1, x->buf, x->e);
    x->fill = 0;
}

static void xcbc_write(xcbc_t *x, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (x->fill == AES_BLOCK)   /* keep the last block back: it is special */
            xcbc_block(x);
        x->buf[x->fill++] = p[i];
    }
}

/* AES-XCBC-MAC-96 without truncation (RFC 3566), 16-byte key. */
static bool xcbc_mac(const uint8_t key[AES_BLOCK], const kdf_chunk *parts, size_t n,
                     uint8_t out[AES_BLOCK])
{
    uint8_t c[AES_BLOCK], k2[AES_BLOCK], k3[AES_BLOCK];
    xcbc_t x = { .ok = true };
    memset(c, 1, sizeof c);
    x.ok = aes_ecb(key, c, x.k1);
    memset(c, 2, sizeof c);
    x.ok = x.ok && aes_ecb(key, c, k2);
    memset(c, 3, sizeof c);
    x.ok = x.ok && aes_ecb(key, c, k3);
    for (size_t i = 0; i < n; i++)
        xcbc_write(&x, parts[i].p, parts[i].n);
    const uint8_t *k = k2;
    if (x.fill < AES_BLOCK) {          /* pad 10* and use K3 (also for empty input) */
        x.buf[x.fill++] = 0x80;
        memset(x.buf + x.fill, 0, AES_BLOCK - x.fill);
        k = k3;
    }
    for (int i = 0; i < AES_BLOCK; i++)
        x.buf[i] ^= k[i];
    xcbc_block(&x);
    memcpy(out, x.e, AES_BLOCK);
    bool ok = x.ok;
    secure_wipe(&x, sizeof x);
    secure_wipe(k2, sizeof k2);
    secure_wipe(k3, sizeof k3);
    return ok;
}

/* Keys of other than 128 bits: RFC 4434 2 zero-pads shorter keys for XCBC;
 * longer XCBC keys, and every other CMAC key (RFC 4615 3), are replaced by
 * their MAC under the all-zero key. */
static bool aes_prf_key(int prf, const uint8_t *key, size_t klen, uint8_t out[AES_BLOCK])
{
    static const uint8_t zero[AES_BLOCK];
    if (klen == AES_BLOCK || (klen < AES_BLOCK && prf == PRF_AES128_XCBC)) {
        memset(out, 0, AES_BLOCK);
        if (klen)
            memcpy(out, key, klen);
        return true;
    }
    kdf_chunk k = { key, klen };
    if (prf == PRF_AES128_XCBC)
        return xcbc_mac(zero, &k, 1, out);
    return mac_run(GCRY_MAC_CMAC_AES, zero, AES_BLOCK, &k, 1, out, AES_BLOCK);
}

bool kdf_prf(int prf, const uint8_t *key, size_t klen, const kdf_chunk *parts, size_t n,
             uint8_t *out)
{
    int i = prf_index(prf);
    if (i < 0)
        return false;
    kdf_crypto_init();
    if (prf != PRF_AES128_XCBC && prf != PRF_AES128_CMAC)
        return mac_run(prfs[i].mac, key, klen, parts, n, out, prfs[i].out);
    uint8_t k[AES_BLOCK];
    bool ok = aes_prf_key(prf, key, klen, k);
    if (ok && prf == PRF_AES128_XCBC)
        ok = xcbc_mac(k, parts, n, out);
    else if (ok)
        ok = mac_run(GCRY_MAC_CMAC_AES, k, AES_BLOCK, parts, n, out, AES_BLOCK);
    secure_wipe(k, sizeof k);
    return ok;
}

#define KDF_MAX_PARTS 8

bool kdf_prf_plus(int prf, const uint8_t *key, size_t klen, const kdf_chunk *seed, size_t n,
                  uint8_t *out, size_t outlen)
{
    size_t bs = kdf_prf_size(prf);
    if (!bs || n + 2 > KDF_MAX_PARTS || outlen > 255 * bs)
        return false;
    uint8_t t[KDF_MAX_PRF], counter = 0;
    kdf_chunk parts[KDF_MAX_PARTS];
    size_t done = 0;
    bool ok = true;
    while (ok && done < outlen) {
        size_t k = 0;
        if (counter)
            parts[k++] = (kdf_chunk){ t, bs };   /* T(i-1); nothing before T1 */
        for (size_t j = 0; j < n; j++)
            parts[k++] = seed[j];
        counter++;
        parts[k++] = (kdf_chunk){ &counter, 1 };
        ok = kdf_prf(prf, key, klen, parts, k, t);
        size_t take = outlen - done < bs ? outlen - done : bs;
        memcpy(out + done, t, take);
        done += take;
    }
    secure_wipe(t, sizeof t);
    return ok;
}

/* memcpy of n bytes that may be none: an empty chunk (an empty Nonce
 * payload) has no bytes and may have no pointer, which memcpy must not get. */
static void put(uint8_t *dst, const uint8_t *src, size_t n)
{
    if (n)
        memcpy(dst, src, n);
}

/* ---------------------------------------------------------------- IKEv2 */

bool kdf_v2_skeyseed(int prf, const kdf_chunk *ni, const kdf_chunk *nr, const kdf_chunk *gir,
                     uint8_t *out)
{
    uint8_t key[1024];
    size_t li = ni->n, lr = nr->n;
    if (prf == PRF_AES128_XCBC || prf == PRF_AES128_CMAC) {
        li = li < 8 ? li : 8;   /* RFC 7296 2.14: only 64 bits of each nonce */
        lr = lr < 8 ? lr : 8;
    }
    if (li + lr > sizeof key)
        return false;
    put(key, ni->p, li);
    put(key + li, nr->p, lr);
    bool ok = kdf_prf(prf, key, li + lr, gir, 1, out);
    secure_wipe(key, sizeof key);
    return ok;
}

bool kdf_v2_rekey_skeyseed(int prf, const kdf_chunk *old_skd, const kdf_chunk *gir,
                           const kdf_chunk *ni, const kdf_chunk *nr, uint8_t *out)
{
    kdf_chunk parts[3] = { *gir, *ni, *nr };
    return kdf_prf(prf, old_skd->p, old_skd->n, parts, 3, out);
}

/* Copies the next `n` bytes of a key stream into dst. */
static const uint8_t *take(const uint8_t *src, uint8_t *dst, size_t n)
{
    if (n)
        memcpy(dst, src, n);
    return src + n;
}

bool kdf_v2_sa_keys(int prf, const kdf_chunk *ni, const kdf_chunk *nr, const uint8_t spii[8],
                    const uint8_t spir[8], const kdf_v2_lens *lens, kdf_v2_keys *keys)
{
    size_t pk = kdf_prf_key_size(prf);
    if (!pk || lens->integ > KDF_MAX_KEY || lens->encr > KDF_MAX_KEY)
        return false;
    keys->skeyseed_len = kdf_prf_size(prf);
    keys->prf_len = pk;
    keys->integ_len = lens->integ;
    keys->encr_len = lens->encr;
    size_t total = 3 * pk + 2 * lens->integ + 2 * lens->encr;
    uint8_t stream[7 * KDF_MAX_KEY];
    kdf_chunk seed[4] = { *ni, *nr, { spii, 8 }, { spir, 8 } };
    if (!kdf_prf_plus(prf, keys->skeyseed, keys->skeyseed_len, seed, 4, stream, total))
        return false;
    const uint8_t *s = stream;
    s = take(s, keys->d, pk);
    s = take(s, keys->ai, lens->integ);
    s = take(s, keys->ar, lens->integ);
    s = take(s, keys->ei, lens->encr);
    s = take(s, keys->er, lens->encr);
    s = take(s, keys->pi, pk);
    take(s, keys->pr, pk);
    secure_wipe(stream, sizeof stream);
    return true;
}

bool kdf_v2_child_keymat(int prf, const kdf_chunk *skd, const kdf_chunk *gir,
                         const kdf_chunk *ni, const kdf_chunk *nr, uint8_t *out, size_t outlen)
{
    kdf_chunk seed[3];
    size_t n = 0;
    if (gir)
        seed[n++] = *gir;
    seed[n++] = *ni;
    seed[n++] = *nr;
    return kdf_prf_plus(prf, skd->p, skd->n, seed, n, out, outlen);
}

/* ---------------------------------------------------------------- IKEv1 */

/* Concatenates two chunks into buf (for PRF keys made of nonces). */
static size_t join2(uint8_t *buf, size_t cap, const kdf_chunk *a, const kdf_chunk *b)
{
    if (a->n + b->n > cap)
        return 0;
    put(buf, a->p, a->n);
    put(buf + a->n, b->p, b->n);
    return a->n + b->n;
}

bool kdf_v1_skeyid_psk(int prf, const kdf_chunk *psk, const kdf_chunk *ni,
                       const kdf_chunk *nr, uint8_t *out)
{
    kdf_chunk parts[2] = { *ni, *nr };
    return kdf_prf(prf, psk->p, psk->n, parts, 2, out);
}

bool kdf_v1_skeyid_sig(int prf, const kdf_chunk *ni, const kdf_chunk *nr,
                       const kdf_chunk *gxy, uint8_t *out)
{
    uint8_t key[1024];
    size_t n = join2(key, sizeof key, ni, nr);
    bool ok = n && kdf_prf(prf, key, n, gxy, 1, out);
    secure_wipe(key, sizeof key);
    return ok;
}

/* hash(parts) with the digest behind the PRF. */
static bool md_run(int prf, const kdf_chunk *parts, size_t n, uint8_t *out, size_t *outlen)
{
    int md = kdf_prf_md(prf);
    gcry_md_hd_t h;
    kdf_crypto_init();
    if (!md || gcry_md_open(&h, md, 0))
        return false;
    for (size_t i = 0; i < n; i++)
        if (parts[i].n)
            gcry_md_write(h, parts[i].p, parts[i].n);
    *outlen = gcry_md_get_algo_dlen(md);
    memcpy(out, gcry_md_read(h, md), *outlen);
    gcry_md_close(h);
    return true;
}

bool kdf_v1_skeyid_pke(int prf, const kdf_chunk *ni, const kdf_chunk *nr,
                       const uint8_t ckyi[8], const uint8_t ckyr[8], uint8_t *out)
{
    uint8_t key[KDF_MAX_PRF];
    size_t klen = 0;
    kdf_chunk nonces[2] = { *ni, *nr };
    kdf_chunk cookies[2] = { { ckyi, 8 }, { ckyr, 8 } };
    bool ok = md_run(prf, nonces, 2, key, &klen) && kdf_prf(prf, key, klen, cookies, 2, out);
    secure_wipe(key, sizeof key);
    return ok;
}

/* Appendix B: Ka = K1 | K2 | ..., K1 = prf(SKEYID_e, 0), Ki = prf(SKEYID_e, K(i-1)),
 * used only when SKEYID_e is shorter than the cipher key. */
static bool v1_expand_ka(int prf, kdf_v1_keys *k, size_t ka_len)
{
    if (ka_len > KDF_MAX_KEY)
        return false;
    k->ka_len = ka_len;
    if (ka_len <= k->len) {
        memcpy(k->ka, k->e, ka_len);
        return true;
    }
    static const uint8_t zero = 0;
    uint8_t t[KDF_MAX_PRF];
    kdf_chunk in = { &zero, 1 };
    for (size_t done = 0; done < ka_len; done += k->len) {
        if (!kdf_prf(prf, k->e, k->len, &in, 1, t))
            return false;
        memcpy(k->ka + done, t, ka_len - done < k->len ? ka_len - done : k->len);
        in = (kdf_chunk){ t, k->len };
    }
    secure_wipe(t, sizeof t);
    return true;
}

bool kdf_v1_ka(int prf, const uint8_t *skeyid_e, size_t len, size_t ka_len, uint8_t *out)
{
    if (len == 0 || len > KDF_MAX_PRF || len != kdf_prf_size(prf))
        return false;
    kdf_v1_keys k = { .len = len };
    memcpy(k.e, skeyid_e, len);
    bool ok = v1_expand_ka(prf, &k, ka_len);
    if (ok)
        memcpy(out, k.ka, ka_len);
    secure_wipe(&k, sizeof k);
    return ok;
}

bool kdf_v1_sa_keys(int prf, const kdf_chunk *gxy, const uint8_t ckyi[8],
                    const uint8_t ckyr[8], size_t ka_len, kdf_v1_keys *k)
{
    static const uint8_t n0 = 0, n1 = 1, n2 = 2;
    k->len = kdf_prf_size(prf);
    if (!k->len)
        return false;
    kdf_chunk ci = { ckyi, 8 }, cr = { ckyr, 8 };
    kdf_chunk pd[4] = { *gxy, ci, cr, { &n0, 1 } };
    kdf_chunk pa[5] = { { k->d, k->len }, *gxy, ci, cr, { &n1, 1 } };
    kdf_chunk pe[5] = { { k->a, k->len }, *gxy, ci, cr, { &n2, 1 } };
    return kdf_prf(prf, k->skeyid, k->len, pd, 4, k->d) &&
           kdf_prf(prf, k->skeyid, k->len, pa, 5, k->a) &&
           kdf_prf(prf, k->skeyid, k->len, pe, 5, k->e) && v1_expand_ka(prf, k, ka_len);
}

bool kdf_v1_phase1_iv(int prf, const kdf_chunk *gxi, const kdf_chunk *gxr, size_t block,
                      uint8_t *out)
{
    uint8_t h[KDF_MAX_PRF];
    size_t n = 0;
    kdf_chunk parts[2] = { *gxi, *gxr };
    if (!md_run(prf, parts, 2, h, &n) || block > n)
        return false;
    memcpy(out, h, block);
    return true;
}

bool kdf_v1_phase2_iv(int prf, const kdf_chunk *last_block, uint32_t msgid, size_t block,
                      uint8_t *out)
{
    uint8_t h[KDF_MAX_PRF], mid[4] = { (uint8_t)(msgid >> 24), (uint8_t)(msgid >> 16),
                                       (uint8_t)(msgid >> 8), (uint8_t)msgid };
    size_t n = 0;
    kdf_chunk parts[2] = { *last_block, { mid, 4 } };
    if (!md_run(prf, parts, 2, h, &n) || block > n)
        return false;
    memcpy(out, h, block);
    return true;
}

bool kdf_v1_keymat(int prf, const kdf_chunk *skeyid_d, const kdf_chunk *gqm, uint8_t protocol,
                   const kdf_chunk *spi, const kdf_chunk *ni, const kdf_chunk *nr,
                   uint8_t *out, size_t outlen)
{
    size_t bs = kdf_prf_size(prf);
    if (!bs)
        return false;
    uint8_t t[KDF_MAX_PRF];
    kdf_chunk parts[6];
    bool ok = true;
    for (size_t done = 0; ok && done < outlen; done += bs) {
        size_t k = 0;
        if (done)
            parts[k++] = (kdf_chunk){ t, bs };   /* K(i-1) */
        if (gqm)
            parts[k++] = *gqm;
        parts[k++] = (kdf_chunk){ &protocol, 1 };
        parts[k++] = *spi;
        parts[k++] = *ni;
        parts[k++] = *nr;
        ok = kdf_prf(prf, skeyid_d->p, skeyid_d->n, parts, k, t);
        memcpy(out + done, t, outlen - done < bs ? outlen - done : bs);
    }
    secure_wipe(t, sizeof t);
    return ok;
}
