/*
 * Cryptographic primitives for decryption and verification, all on libgcrypt.
 *
 * Algorithm properties are tables (crypto_alg.c): each IKEv2 cipher and
 * integrity algorithm is one row carrying the names Wireshark's
 * ikev2_decryption_table writes, the IANA name, the transform id, the
 * libgcrypt ids and the sizes.  The functions here never read packet bytes
 * through anything but plain buffers the caller took from a cursor view.
 *
 * Secrets: buffers made with crypto_secure_alloc live in libgcrypt's secure
 * memory (when available) and are wiped by crypto_secure_free.
 */
#ifndef ISAKMP_CRYPTO_H
#define ISAKMP_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/secure.h"

/* How a cipher turns ciphertext into plaintext. */
typedef enum {
    CK_NULL,    /* RFC 2410: no encryption, no IV */
    CK_CBC,     /* RFC 3602 / 2451: IV = one block, padded to the block */
    CK_CTR,     /* RFC 5930 / 3686: counter block = nonce(4) | IV(8) | 1 */
    CK_GCM,     /* RFC 5282 / 4106: nonce = salt(4) | IV(8), AAD, tag */
    CK_CCM,     /* RFC 5282 / 4309: nonce = salt(3) | IV(8), AAD, tag */
    CK_CHACHA,  /* RFC 7634: nonce = salt(4) | IV(8), Poly1305 tag */
    CK_GMAC     /* RFC 4543 (ESP only): no encryption, nonce = salt(4) | IV(8); the
                   GCM tag over AAD = SPI | seq | IV | payload (crypto_keyed_gmac) */
} cipher_kind;

typedef struct {
    const char *ws_name;    /* Wireshark's name in ikev2_decryption_table */
    const char *iana_name;  /* IANA Transform Type 1 name */
    uint16_t v2_id;         /* IKEv2 transform id */
    cipher_kind kind;
    int gcry_algo;
    uint16_t key_len;       /* cipher key without salt */
    uint8_t salt_len;       /* key material after the key (nonce / salt) */
    uint8_t block_len;      /* CBC block, else 1 (padding alignment) */
    uint8_t iv_len;         /* IV on the wire */
    uint8_t icv_len;        /* AEAD tag, 0 for non-AEAD */
} cipher_alg;

/* How an integrity algorithm computes the ICV. */
typedef enum {
    IK_NONE,    /* nothing to check (AEAD ciphers) */
    IK_HMAC,    /* RFC 2104 HMAC, truncated */
    IK_XCBC,    /* RFC 3566 AES-XCBC-MAC-96 */
    IK_CMAC,    /* RFC 4494 AES-CMAC-96 */
    IK_ANY      /* Wireshark's "ANY n-bits [No Checking]": length only */
} integ_kind;

typedef struct {
    const char *ws_name;
    const char *iana_name;  /* IANA Transform Type 3 name, or NULL */
    uint16_t v2_id;
    integ_kind kind;
    int gcry_md;            /* GCRY_MD_* for HMAC */
    uint8_t icv_len;
} integ_alg;

/* Initialises libgcrypt once (thread-safe), with secure memory. */
void crypto_init(void);

/* Closes the cipher and HMAC handles this thread keeps for reuse (their
 * keys set, per algorithm, mode and key: no key schedule per message) and
 * wipes their keys; a thread's are closed when it ends as well. */
void crypto_cache_flush(void);

/* False once the secure pool has run out (then contexts use plain memory). */
bool crypto_secure_available(void);

/* Secure memory for keys (core/secure.h, once libgcrypt is set up); wiped on
 * free.  Never returns NULL. */
void *crypto_secure_alloc(size_t n);
void crypto_secure_free(void *p, size_t n);

/* Table lookups by Wireshark or IANA name; for IANA names (which do not fix
 * the key size) key_bytes (key + salt) picks the row.  NULL when unknown. */
const cipher_alg *cipher_by_name(const char *name, size_t key_bytes);
const integ_alg *integ_by_name(const char *name);
const cipher_alg *cipher_by_v2_id(uint16_t id, size_t key_bits);
const cipher_alg *cipher_table(size_t *n);
const integ_alg *integ_table(size_t *n);

/* Decrypts `len` bytes (in may equal out).  For AEAD kinds `aad` and `tag`
 * are used and *tag_ok says whether the tag is right; plaintext is produced
 * either way.  key holds key_len + salt_len bytes.  Returns false when the
 * inputs do not fit the algorithm (sizes) or libgcrypt fails. */
bool crypto_decrypt(const cipher_alg *a, const uint8_t *key, const uint8_t *iv,
                    const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                    uint8_t *out, const uint8_t *tag, bool *tag_ok);

/* Generic block-cipher decryption for IKEv1: gcry algo and mode (CBC/ECB),
 * key of key_len, IV of the block size.  Returns false on failure. */
bool crypto_block_decrypt(int gcry_algo, int mode, const uint8_t *key, size_t key_len,
                          const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out);

/* The reverse of the two above, for re-encrypting edited messages: AEAD
 * kinds write their icv_len-byte tag into tag.  False when the inputs do not
 * fit the algorithm or libgcrypt fails. */
bool crypto_encrypt(const cipher_alg *a, const uint8_t *key, const uint8_t *iv,
                    const uint8_t *aad, size_t aad_len, const uint8_t *in, size_t len,
                    uint8_t *out, uint8_t *tag);
bool crypto_block_encrypt(int gcry_algo, int mode, const uint8_t *key, size_t key_len,
                          const uint8_t *iv, const uint8_t *in, size_t len, uint8_t *out);

/* The integrity checksum of `data` with `key` (icv_len bytes into out).
 * Returns false for IK_NONE / IK_ANY or on failure. */
bool crypto_integ(const integ_alg *a, const uint8_t *key, size_t key_len, const uint8_t *data,
                  size_t len, uint8_t *out);

/* Primitives, exposed for the known-answer tests. */
bool crypto_hmac(int gcry_md, const uint8_t *key, size_t key_len, const uint8_t *data,
                 size_t len, uint8_t *out, size_t out_len);
bool crypto_aes_xcbc(const uint8_t key[16], const uint8_t *data, size_t len, uint8_t out[16]);
bool crypto_aes_cmac(const uint8_t *key, size_t key_len, const uint8_t *data, size_t len,
                     uint8_t out[16]);
/* Hash of the concatenation of two buffers (b may be NULL). */
bool crypto_hash2(int gcry_md, const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
                  uint8_t *out, size_t out_max, size_t *out_len);

/* ---- Keyed handles: one SA's algorithms with their keys set once (keyed.c).
 * ESP decrypts thousands of packets per SA; a crypto_keyed holds the SA's
 * libgcrypt handles with their keys scheduled (HMAC pads, XCBC subkeys,
 * the salt), each packet only resets them and sets its IV.  Secrets live in
 * secure memory or in libgcrypt's handles and are wiped by crypto_keyed_free.
 * Not shared between threads. */
typedef struct crypto_keyed crypto_keyed;

/* ekey holds ca's key then its salt (elen = key_len + salt_len); akey the
 * integrity key (ia NONE / ANY: unused).  NULL when a key does not fit or
 * libgcrypt refuses it. */
crypto_keyed *crypto_keyed_new(const cipher_alg *ca, const uint8_t *ekey, size_t elen,
                               const integ_alg *ia, const uint8_t *akey, size_t alen);
void crypto_keyed_free(crypto_keyed *k);

/* crypto_decrypt with the SA's handle (iv: the IV on the wire). */
bool crypto_keyed_decrypt(crypto_keyed *k, const uint8_t *iv, const uint8_t *aad,
                          size_t aad_len, const uint8_t *in, size_t len, uint8_t *out,
                          const uint8_t *tag, bool *tag_ok);

/* RFC 4543 3: GMAC of the SA (CK_GMAC) with nonce salt | iv over the AAD
 * a | b (b may be empty), checked against the tag (*tag_ok).  False when
 * the SA is no GMAC one or libgcrypt fails. */
bool crypto_keyed_gmac(crypto_keyed *k, const uint8_t *iv, const uint8_t *a, size_t alen,
                       const uint8_t *b, size_t blen, const uint8_t *tag, bool *tag_ok);

/* The ICV (ia->icv_len bytes into out) of a followed by b (blen 0: none;
 * blen at most 16); false for NONE / ANY or on failure. */
bool crypto_keyed_icv(crypto_keyed *k, const uint8_t *a, size_t alen, const uint8_t *b,
                      size_t blen, uint8_t *out);

#endif
