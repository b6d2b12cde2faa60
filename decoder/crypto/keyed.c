/*
 * One SA's cipher and integrity algorithm keyed once (crypto.h, "Keyed
 * handles"): the libgcrypt handles are opened and their keys set when the
 * SA's keys are read, then every packet only resets the handle, sets its IV
 * and runs the data through.  No key schedule, HMAC pad or XCBC subkey per
 * packet, no look-up by key bytes: ESP decryption costs what the cipher and
 * the MAC cost.
 *
 * AES-XCBC-MAC-96 (RFC 3566 4) is a CBC-MAC under K1 with the last block
 * XORed with K2 or K3 first: a CBC handle keyed with K1 chains the blocks
 * itself, so the whole message goes through it in large pieces.
 */
#include <gcrypt.h>
#include <glib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "crypto/gcry_open.h"

#define XCBC_CHUNK 512

struct crypto_keyed {
    const cipher_alg *ca;
    const integ_alg *ia;
    gcry_cipher_hd_t cipher;   /* ca's, keyed; NULL for ENCR_NULL */
    uint8_t *salt;             /* ca->salt_len bytes after the key (secure memory) */
    gcry_md_hd_t hmac;         /* IK_HMAC, keyed */
    gcry_mac_hd_t cmac;        /* IK_CMAC, keyed */
    gcry_cipher_hd_t xcbc;     /* IK_XCBC: AES-128-CBC keyed with K1 */
    uint8_t *k23;              /* IK_XCBC: K2 | K3 (secure memory) */
};

/* RFC 3566 4 (1)-(3): K1 = E(K, 0x01..), K2 = E(K, 0x02..), K3 = E(K, 0x03..). */
static bool xcbc_setup(crypto_keyed *k, const uint8_t *key, size_t len)
{
    if (len != 16)
        return false;
    uint8_t sub[3][16];
    gcry_cipher_hd_t e = crypto_open_cipher(GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_ECB, key, 16);
    if (!e)
        return false;
    for (int i = 0; i < 3; i++)
        memset(sub[i], i + 1, 16);
    bool ok = !gcry_cipher_encrypt(e, sub, sizeof sub, NULL, 0);
    gcry_cipher_close(e);
    if (ok) {
        k->xcbc = crypto_open_cipher(GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CBC, sub[0], 16);
        k->k23 = secure_alloc(32);
        memcpy(k->k23, sub[1], 32);
    }
    secure_wipe(sub, sizeof sub);
    return ok && k->xcbc;
}

static bool integ_setup(crypto_keyed *k, const uint8_t *key, size_t len)
{
    switch (k->ia->kind) {
    case IK_HMAC:
        return !gcry_md_open(&k->hmac, k->ia->gcry_md, GCRY_MD_FLAG_HMAC) &&
               !gcry_md_setkey(k->hmac, key, len);
    case IK_CMAC:
        return !gcry_mac_open(&k->cmac, GCRY_MAC_CMAC_AES, 0, NULL) &&
               !gcry_mac_setkey(k->cmac, key, len);
    case IK_XCBC:
        return xcbc_setup(k, key, len);
    default:
        return true;
    }
}

crypto_keyed *crypto_keyed_new(const cipher_alg *ca, const uint8_t *ekey, size_t elen,
                               const integ_alg *ia, const uint8_t *akey, size_t alen)
{
    crypto_init();
    if (elen != (size_t)ca->key_len + ca->salt_len)
        return NULL;
    crypto_keyed *k = g_new0(crypto_keyed, 1);
    k->ca = ca;
    k->ia = ia;
    bool ok = true;
    if (ca->kind != CK_NULL)
        ok = (k->cipher = crypto_open_cipher(ca->gcry_algo, crypto_cipher_mode(ca->kind), ekey,
                                       ca->key_len)) != NULL;
    k->salt = secure_alloc(ca->salt_len);
    if (ca->salt_len)
        memcpy(k->salt, ekey + ca->key_len, ca->salt_len);
    if (!ok || !integ_setup(k, akey, alen)) {
        crypto_keyed_free(k);
        return NULL;
    }
    return k;
}

void crypto_keyed_free(crypto_keyed *k)
{
    if (!k)
        return;
    if (k->cipher)
        gcry_cipher_close(k->cipher);
    if (k->hmac)
        gcry_md_close(k->hmac);
    if (k->cmac)
        gcry_mac_close(k->cmac);
    if (k->xcbc)
        gcry_cipher_close(k->xcbc);
    secure_free(k->salt, k->ca->salt_len);
    secure_free(k->k23, 32);
    g_free(k);
}

/* nonce = salt | IV (RFC 4106 4, 4309 4, 4543 3.1, 7634 2). */
static size_t nonce_of(const crypto_keyed *k, const uint8_t *iv, uint8_t nonce[16])
{
    memcpy(nonce, k->salt, k->ca->salt_len);
    memcpy(nonce + k->ca->salt_len, iv, k->ca->iv_len);
    return (size_t)k->ca->salt_len + k->ca->iv_len;
}

bool crypto_keyed_decrypt(crypto_keyed *k, const uint8_t *iv, const uint8_t *aad,
                          size_t aad_len, const uint8_t *in, size_t len, uint8_t *out,
                          const uint8_t *tag, bool *tag_ok)
{
    const cipher_alg *a = k->ca;
    gcry_cipher_hd_t h = k->cipher;
    uint8_t nonce[16] = { 0 };
    *tag_ok = false;
    switch (a->kind) {
    case CK_NULL:
        memmove(out, in, len);
        return true;
    case CK_CBC:
        return len % a->block_len == 0 && !gcry_cipher_setiv(h, iv, a->block_len) &&
               !gcry_cipher_decrypt(h, out, len, in, len);
    case CK_CTR:   /* RFC 3686 4: nonce | IV | block counter from 1 */
        nonce_of(k, iv, nonce);
        nonce[15] = 1;
        return !gcry_cipher_setctr(h, nonce, 16) && !gcry_cipher_decrypt(h, out, len, in, len);
    case CK_GMAC:
        return false;   /* nothing to decrypt: crypto_keyed_gmac */
    default:
        break;
    }
    gcry_cipher_reset(h);
    bool ok = !gcry_cipher_setiv(h, nonce, nonce_of(k, iv, nonce));
    if (ok && a->kind == CK_CCM) {
        uint64_t params[3] = { len, aad_len, a->icv_len };
        ok = !gcry_cipher_ctl(h, GCRYCTL_SET_CCM_LENGTHS, params, sizeof params);
    }
    ok = ok && !gcry_cipher_authenticate(h, aad, aad_len);
    ok = ok && !gcry_cipher_decrypt(h, out, len, in, len);
    if (ok)
        *tag_ok = gcry_cipher_checktag(h, tag, a->icv_len) == 0;
    return ok;
}

bool crypto_keyed_gmac(crypto_keyed *k, const uint8_t *iv, const uint8_t *a, size_t alen,
                       const uint8_t *b, size_t blen, const uint8_t *tag, bool *tag_ok)
{
    uint8_t nonce[16];
    *tag_ok = false;
    if (k->ca->kind != CK_GMAC)
        return false;
    gcry_cipher_hd_t h = k->cipher;
    gcry_cipher_reset(h);
    bool ok = !gcry_cipher_setiv(h, nonce, nonce_of(k, iv, nonce)) &&
              !gcry_cipher_authenticate(h, a, alen) &&
              (!blen || !gcry_cipher_authenticate(h, b, blen));
    if (ok)
        *tag_ok = gcry_cipher_checktag(h, tag, k->ca->icv_len) == 0;
    return ok;
}

/* RFC 3566 4: the CBC-MAC of a | b under K1, the last block (padded with
 * 0x80 0x00.. when short) XORed with K2 (whole) or K3 (padded) first. */
static bool xcbc_mac(crypto_keyed *k, const uint8_t *a, size_t alen, const uint8_t *b,
                     size_t blen, uint8_t out[16])
{
    uint8_t scratch[XCBC_CHUNK], tail[64] = { 0 }, zero[16] = { 0 };
    size_t total = alen + blen;
    size_t before = total ? (total - 1) / 16 * 16 : 0;   /* the blocks before the last */
    size_t direct = MIN(before, alen - alen % 16);      /* of them, whole in a */
    size_t tl = alen - direct;   /* a's bytes for the tail, then b's */
    if (tl > 32 || blen > 16 || gcry_cipher_setiv(k->xcbc, zero, 16))
        return false;
    for (size_t off = 0; off < direct; off += XCBC_CHUNK) {
        size_t n = MIN((size_t)XCBC_CHUNK, direct - off);
        if (gcry_cipher_encrypt(k->xcbc, scratch, n, a + off, n))
            return false;
    }
    memcpy(tail, a + direct, tl);
    if (blen)
        memcpy(tail + tl, b, blen);
    tl += blen;
    size_t mid = before - direct, last = tl - mid;   /* last: 1..16 (0 for an empty message) */
    uint8_t *lb = tail + mid;
    if (last < 16)
        lb[last] = 0x80;
    const uint8_t *kx = k->k23 + (last == 16 ? 0 : 16);
    for (int i = 0; i < 16; i++)
        lb[i] ^= kx[i];
    bool ok = !gcry_cipher_encrypt(k->xcbc, scratch, mid + 16, tail, mid + 16);
    memcpy(out, scratch + mid, 16);
    return ok;
}

bool crypto_keyed_icv(crypto_keyed *k, const uint8_t *a, size_t alen, const uint8_t *b,
                      size_t blen, uint8_t *out)
{
    uint8_t full[16];
    size_t fl = sizeof full;
    switch (k->ia->kind) {
    case IK_HMAC:
        gcry_md_reset(k->hmac);   /* back to the keyed state */
        gcry_md_write(k->hmac, a, alen);
        if (blen)
            gcry_md_write(k->hmac, b, blen);
        memcpy(out, gcry_md_read(k->hmac, k->ia->gcry_md), k->ia->icv_len);
        return true;
    case IK_CMAC:
        if (gcry_mac_reset(k->cmac) || gcry_mac_write(k->cmac, a, alen) ||
            (blen && gcry_mac_write(k->cmac, b, blen)) || gcry_mac_read(k->cmac, full, &fl))
            return false;
        break;
    case IK_XCBC:
        if (!xcbc_mac(k, a, alen, b, blen, full))
            return false;
        break;
    default:
        return false;
    }
    memcpy(out, full, k->ia->icv_len);
    return true;
}
