/*
 * Algorithm tables for IKEv2 SK decryption and integrity (RFC 7296 3.3.2,
 * IANA "Transform Type 1" and "Transform Type 3").  ws_name is the string
 * Wireshark 4.0 writes in its ikev2_decryption_table UAT (observed in the
 * peer suite's tables); iana_name the registry name.
 */
#include <gcrypt.h>
#include <string.h>
#include <strings.h>

#include "crypto/crypto.h"

#define ROW_CBC(ws, iana, id, algo, klen, blk) \
    { ws, iana, id, CK_CBC, algo, klen, 0, blk, blk, 0 }
#define ROW_CTR(ws, klen) \
    { ws, "ENCR_AES_CTR", 13, CK_CTR, GCRY_CIPHER_AES##klen, klen / 8, 4, 1, 8, 0 }
#define ROW_GCM(bits, icv, id) \
    { "AES-GCM-" #bits " with " #icv " octet ICV [RFC5282]", "ENCR_AES_GCM_" #icv, id, CK_GCM, \
      GCRY_CIPHER_AES##bits, bits / 8, 4, 1, 8, icv }
#define ROW_CCM(bits, icv, id) \
    { "AES-CCM-" #bits " with " #icv " octet ICV [RFC5282]", "ENCR_AES_CCM_" #icv, id, CK_CCM, \
      GCRY_CIPHER_AES##bits, bits / 8, 3, 1, 8, icv }

static const cipher_alg ciphers[] = {
    { "NULL [RFC2410]", "ENCR_NULL", 11, CK_NULL, 0, 0, 0, 1, 0, 0 },
    ROW_CBC("3DES [RFC2451]", "ENCR_3DES", 3, GCRY_CIPHER_3DES, 24, 8),
    ROW_CBC("DES [RFC2405]", "ENCR_DES", 2, GCRY_CIPHER_DES, 8, 8),
    ROW_CBC("AES-CBC-128 [RFC3602]", "ENCR_AES_CBC", 12, GCRY_CIPHER_AES128, 16, 16),
    ROW_CBC("AES-CBC-192 [RFC3602]", "ENCR_AES_CBC", 12, GCRY_CIPHER_AES192, 24, 16),
    ROW_CBC("AES-CBC-256 [RFC3602]", "ENCR_AES_CBC", 12, GCRY_CIPHER_AES256, 32, 16),
    ROW_CTR("AES-CTR-128 [RFC5930]", 128),
    ROW_CTR("AES-CTR-192 [RFC5930]", 192),
    ROW_CTR("AES-CTR-256 [RFC5930]", 256),
    ROW_GCM(128, 8, 18), ROW_GCM(192, 8, 18), ROW_GCM(256, 8, 18),
    ROW_GCM(128, 12, 19), ROW_GCM(192, 12, 19), ROW_GCM(256, 12, 19),
    ROW_GCM(128, 16, 20), ROW_GCM(192, 16, 20), ROW_GCM(256, 16, 20),
    ROW_CCM(128, 8, 14), ROW_CCM(192, 8, 14), ROW_CCM(256, 8, 14),
    ROW_CCM(128, 12, 15), ROW_CCM(192, 12, 15), ROW_CCM(256, 12, 15),
    ROW_CCM(128, 16, 16), ROW_CCM(192, 16, 16), ROW_CCM(256, 16, 16),
    /* beyond Wireshark 4.0: RFC 7634 and RFC 5529 */
    { "CHACHA20-POLY1305 [RFC7634]", "ENCR_CHACHA20_POLY1305", 28, CK_CHACHA,
      GCRY_CIPHER_CHACHA20, 32, 4, 1, 8, 16 },
    ROW_CBC("CAMELLIA-CBC-128 [RFC5529]", "ENCR_CAMELLIA_CBC", 23, GCRY_CIPHER_CAMELLIA128, 16, 16),
    ROW_CBC("CAMELLIA-CBC-192 [RFC5529]", "ENCR_CAMELLIA_CBC", 23, GCRY_CIPHER_CAMELLIA192, 24, 16),
    ROW_CBC("CAMELLIA-CBC-256 [RFC5529]", "ENCR_CAMELLIA_CBC", 23, GCRY_CIPHER_CAMELLIA256, 32, 16),
};

#define ROW_ANY(bits) \
    { "ANY " #bits "-bits of Authentication [No Checking]", NULL, 0, IK_ANY, 0, bits / 8 }

static const integ_alg integs[] = {
    { "NONE [RFC4306]", "NONE", 0, IK_NONE, 0, 0 },
    { "HMAC_MD5_96 [RFC2403]", "AUTH_HMAC_MD5_96", 1, IK_HMAC, GCRY_MD_MD5, 12 },
    { "HMAC_SHA1_96 [RFC2404]", "AUTH_HMAC_SHA1_96", 2, IK_HMAC, GCRY_MD_SHA1, 12 },
    { "AES-XCBC-96 [RFC3566]", "AUTH_AES_XCBC_96", 5, IK_XCBC, 0, 12 },
    { "HMAC_MD5_128 [RFC4595]", "AUTH_HMAC_MD5_128", 6, IK_HMAC, GCRY_MD_MD5, 16 },
    { "HMAC_SHA1_160 [RFC4595]", "AUTH_HMAC_SHA1_160", 7, IK_HMAC, GCRY_MD_SHA1, 20 },
    { "AES-CMAC-96 [RFC4494]", "AUTH_AES_CMAC_96", 8, IK_CMAC, 0, 12 },
    { "HMAC_SHA2_256_128 [RFC4868]", "AUTH_HMAC_SHA2_256_128", 12, IK_HMAC, GCRY_MD_SHA256, 16 },
    { "HMAC_SHA2_384_192 [RFC4868]", "AUTH_HMAC_SHA2_384_192", 13, IK_HMAC, GCRY_MD_SHA384, 24 },
    { "HMAC_SHA2_512_256 [RFC4868]", "AUTH_HMAC_SHA2_512_256", 14, IK_HMAC, GCRY_MD_SHA512, 32 },
    ROW_ANY(64), ROW_ANY(96), ROW_ANY(128), ROW_ANY(160), ROW_ANY(192), ROW_ANY(256),
};

const cipher_alg *cipher_table(size_t *n)
{
    *n = sizeof ciphers / sizeof ciphers[0];
    return ciphers;
}

const integ_alg *integ_table(size_t *n)
{
    *n = sizeof integs / sizeof integs[0];
    return integs;
}

/* "ENCR_AES_CBC" and "AES_CBC" name the same thing. */
static bool iana_match(const char *row, const char *name, const char *prefix)
{
    if (!row)
        return false;
    if (strcasecmp(row, name) == 0)
        return true;
    size_t pl = strlen(prefix);
    return strncmp(row, prefix, pl) == 0 && strcasecmp(row + pl, name) == 0;
}

const cipher_alg *cipher_by_name(const char *name, size_t key_bytes)
{
    for (size_t i = 0; i < sizeof ciphers / sizeof ciphers[0]; i++)
        if (strcmp(ciphers[i].ws_name, name) == 0)
            return &ciphers[i];
    for (size_t i = 0; i < sizeof ciphers / sizeof ciphers[0]; i++) {
        const cipher_alg *a = &ciphers[i];
        if (iana_match(a->iana_name, name, "ENCR_") &&
            (a->kind == CK_NULL || (size_t)a->key_len + a->salt_len == key_bytes))
            return a;
    }
    return NULL;
}

const cipher_alg *cipher_by_v2_id(uint16_t id, size_t key_bits)
{
    for (size_t i = 0; i < sizeof ciphers / sizeof ciphers[0]; i++) {
        const cipher_alg *a = &ciphers[i];
        if (a->v2_id == id && (key_bits == 0 || a->key_len * 8u == key_bits))
            return a;
    }
    return NULL;
}

const integ_alg *integ_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof integs / sizeof integs[0]; i++)
        if (strcmp(integs[i].ws_name, name) == 0 || iana_match(integs[i].iana_name, name, "AUTH_"))
            return &integs[i];
    return NULL;
}
