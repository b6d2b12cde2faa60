/*
 * Pseudo-random functions and key derivation for IKEv1 (RFC 2409 5, 5.5,
 * Appendix B) and IKEv2 (RFC 7296 2.13, 2.14, 2.17, 2.18), all on libgcrypt.
 *
 * Conventions: PRFs are named by their IKEv2 transform ids (IANA "Transform
 * Type 2 - Pseudorandom Function Transform IDs"); IKEv1 maps its negotiated
 * hash onto the HMAC of the same hash (kdf_prf_from_v1_hash).  Outputs go to
 * caller buffers of at least KDF_MAX_PRF bytes (or the length asked for);
 * functions return false when the PRF is unknown or libgcrypt fails, and
 * then leave the output undefined.  Nothing here keeps state.
 */
#ifndef ISAKMP_KDF_H
#define ISAKMP_KDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    PRF_HMAC_MD5 = 1,        /* RFC 2104 */
    PRF_HMAC_SHA1 = 2,       /* RFC 2104 */
    PRF_AES128_XCBC = 4,     /* RFC 4434 */
    PRF_HMAC_SHA2_256 = 5,   /* RFC 4868 */
    PRF_HMAC_SHA2_384 = 6,
    PRF_HMAC_SHA2_512 = 7,
    PRF_AES128_CMAC = 8      /* RFC 4615 */
};

#define KDF_MAX_PRF 64       /* the longest PRF output (HMAC-SHA2-512) */
#define KDF_MAX_KEY 64       /* the longest key one SK_* / SKEYID_* holds */

/* One piece of a PRF input; inputs are lists of pieces, concatenated. */
typedef struct {
    const uint8_t *p;
    size_t n;
} kdf_chunk;

/* Makes sure libgcrypt is initialised (idempotent, cheap). */
void kdf_crypto_init(void);

/* Output length of `prf` in bytes, 0 when unknown. */
size_t kdf_prf_size(int prf);

/* The PRF's preferred key length (RFC 7296 2.13: SK_d, SK_pi, SK_pr). */
size_t kdf_prf_key_size(int prf);

/* IKEv1 hash algorithm (RFC 2409 Appendix A: 1 MD5, 2 SHA, 4-6 SHA2) -> PRF id,
 * 0 when unsupported. */
int kdf_prf_from_v1_hash(int hash_alg);

/* libgcrypt message digest behind an HMAC PRF (for IKEv1 IVs), 0 for others. */
int kdf_prf_md(int prf);

/* out = prf(key, parts[0] | parts[1] | ...). */
bool kdf_prf(int prf, const uint8_t *key, size_t klen, const kdf_chunk *parts, size_t n,
             uint8_t *out);

/* prf+ of RFC 7296 2.13: T1 | T2 | ... truncated to outlen,
 * Ti = prf(key, T(i-1) | seed | i). */
bool kdf_prf_plus(int prf, const uint8_t *key, size_t klen, const kdf_chunk *seed, size_t n,
                  uint8_t *out, size_t outlen);

/* ---------------------------------------------------------------- IKEv2 */

/* Key lengths for one IKE SA: integrity key (0 with AEAD), encryption key
 * (salt included, e.g. 36 for AES-256-GCM). SK_d/pi/pr get the PRF key size. */
typedef struct {
    size_t integ, encr;
} kdf_v2_lens;

typedef struct {
    uint8_t skeyseed[KDF_MAX_PRF];
    uint8_t d[KDF_MAX_KEY], ai[KDF_MAX_KEY], ar[KDF_MAX_KEY], ei[KDF_MAX_KEY],
        er[KDF_MAX_KEY], pi[KDF_MAX_KEY], pr[KDF_MAX_KEY];
    size_t skeyseed_len, prf_len, integ_len, encr_len;
} kdf_v2_keys;

/* SKEYSEED = prf(Ni | Nr, g^ir) (RFC 7296 2.14; only the first 64 bits of
 * each nonce for AES-XCBC / AES-CMAC). */
bool kdf_v2_skeyseed(int prf, const kdf_chunk *ni, const kdf_chunk *nr, const kdf_chunk *gir,
                     uint8_t *out);

/* SKEYSEED of an IKE SA made by rekeying (RFC 7296 2.18):
 * prf(SK_d (old), g^ir (new) | Ni | Nr); `prf` is the old SA's PRF. */
bool kdf_v2_rekey_skeyseed(int prf, const kdf_chunk *old_skd, const kdf_chunk *gir,
                           const kdf_chunk *ni, const kdf_chunk *nr, uint8_t *out);

/* SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr =
 * prf+(SKEYSEED, Ni | Nr | SPIi | SPIr).  keys->skeyseed must be filled. */
bool kdf_v2_sa_keys(int prf, const kdf_chunk *ni, const kdf_chunk *nr, const uint8_t spii[8],
                    const uint8_t spir[8], const kdf_v2_lens *lens, kdf_v2_keys *keys);

/* CHILD_SA KEYMAT = prf+(SK_d, [g^ir (new) |] Ni | Nr) (RFC 7296 2.17);
 * gir NULL without PFS.  Split it as encr_i | integ_i | encr_r | integ_r. */
bool kdf_v2_child_keymat(int prf, const kdf_chunk *skd, const kdf_chunk *gir,
                         const kdf_chunk *ni, const kdf_chunk *nr, uint8_t *out, size_t outlen);

/* ---------------------------------------------------------------- IKEv1 */

typedef struct {
    uint8_t skeyid[KDF_MAX_PRF], d[KDF_MAX_PRF], a[KDF_MAX_PRF], e[KDF_MAX_PRF];
    uint8_t ka[KDF_MAX_KEY];       /* the cipher key (Appendix B) */
    size_t len, ka_len;
} kdf_v1_keys;

/* SKEYID for pre-shared keys: prf(pre-shared-key, Ni_b | Nr_b). */
bool kdf_v1_skeyid_psk(int prf, const kdf_chunk *psk, const kdf_chunk *ni,
                       const kdf_chunk *nr, uint8_t *out);
/* SKEYID for signatures: prf(Ni_b | Nr_b, g^xy). */
bool kdf_v1_skeyid_sig(int prf, const kdf_chunk *ni, const kdf_chunk *nr,
                       const kdf_chunk *gxy, uint8_t *out);
/* SKEYID for public key encryption: prf(hash(Ni_b | Nr_b), CKY-I | CKY-R). */
bool kdf_v1_skeyid_pke(int prf, const kdf_chunk *ni, const kdf_chunk *nr,
                       const uint8_t ckyi[8], const uint8_t ckyr[8], uint8_t *out);

/* SKEYID_d, _a, _e from keys->skeyid (keys->len set), and Ka of ka_len bytes
 * (Appendix B: K1 = prf(SKEYID_e, 0), Ki = prf(SKEYID_e, K(i-1))). */
bool kdf_v1_sa_keys(int prf, const kdf_chunk *gxy, const uint8_t ckyi[8],
                    const uint8_t ckyr[8], size_t ka_len, kdf_v1_keys *keys);

/* Ka of ka_len bytes (at most KDF_MAX_KEY) from a known SKEYID_e of the
 * PRF's size, as kdf_v1_sa_keys makes it: for daemon logs that give
 * SKEYID_e (libreswan). */
bool kdf_v1_ka(int prf, const uint8_t *skeyid_e, size_t len, size_t ka_len, uint8_t *out);

/* Phase 1 IV: hash(g^xi | g^xr) truncated to `block` bytes (Appendix B). */
bool kdf_v1_phase1_iv(int prf, const kdf_chunk *gxi, const kdf_chunk *gxr, size_t block,
                      uint8_t *out);

/* Phase 2 / informational IV: hash(last Phase 1 CBC block | M-ID). */
bool kdf_v1_phase2_iv(int prf, const kdf_chunk *last_block, uint32_t msgid, size_t block,
                      uint8_t *out);

/* Quick Mode KEYMAT (RFC 2409 5.5): K1 = prf(SKEYID_d, [g(qm)^xy |] protocol |
 * SPI | Ni_b | Nr_b), Ki = prf(SKEYID_d, K(i-1) | [g(qm)^xy |] ...); gqm NULL
 * without PFS.  `spi` is the SPI of the direction (4 bytes for ESP / AH). */
bool kdf_v1_keymat(int prf, const kdf_chunk *skeyid_d, const kdf_chunk *gqm, uint8_t protocol,
                   const kdf_chunk *spi, const kdf_chunk *ni, const kdf_chunk *nr,
                   uint8_t *out, size_t outlen);

#endif
