/*
 * ESP packets sealed with libgcrypt directly (its ciphers, HMAC and CMAC,
 * not the decoder's crypto.c): what the ESP unit tests open, and what the
 * ESP fuzz harness wraps its inputs in so that they pass the ICV.
 */
#ifndef ISAKMP_TEST_ESP_SEAL_H
#define ISAKMP_TEST_ESP_SEAL_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { S_CBC, S_CTR, S_NULL, S_GCM, S_CCM, S_CHACHA, S_GMAC } seal_kind;

typedef struct {
    seal_kind kind;
    int algo;              /* GCRY_CIPHER_* */
    size_t klen, salt;     /* key, then salt, in ekey */
    size_t iv, blk, tag;   /* IV on the wire, CBC block, AEAD tag */
    int mac;               /* GCRY_MAC_* for non-AEAD, 0: none */
    size_t icv;            /* truncated ICV */
    const uint8_t *ekey, *akey;
    size_t alen;
} sealer;

/* RFC 4303 2: header, IV, payload | padding 1,2,.. | pad length | next
 * header, ICV (over the rest, with the high bits after it when esn). */
GByteArray *esp_seal(const sealer *s, uint32_t spi, uint64_t seq64, bool esn,
                     const GByteArray *inner, uint8_t nh);

#endif
