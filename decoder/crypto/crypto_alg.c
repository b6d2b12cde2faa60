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

#define ROW_GMAC(bits) \
    { "NULL-AUTH-AES-GMAC-" #bits " [RFC4543]", "ENCR_NULL_AUTH_AES_GMAC", 21, CK_GMAC, \
      GCRY_CIPHER_AES##bits, bits / 8, 4, 1, 8, 16 }

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
    /* RFC 4543, ESP only: integrity without encryption.  Wireshark (4.0 to
     * 4.4) has no name for it in esp_sa nor in its IKEv2 table; these names
     * are ours, in the style of the AES-GCM rows. */
    ROW_GMAC(128), ROW_GMAC(192), ROW_GMAC(256),
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

/* Other names for the same ciphers, each with the IANA name it stands for:
 * strongSwan proposal keywords and Wireshark's esp_sa names, whose key size
 * comes from the key (bits 0) or from the keyword (the digits after the
 * family: "aes256gcm16" = family "aes", 256 bits, mode "gcm16"). */
static const struct {
    const char *name, *iana;
} cipher_aliases[] = {
    { "3des", "ENCR_3DES" }, { "des", "ENCR_DES" }, { "null", "ENCR_NULL" },
    { "aes", "ENCR_AES_CBC" }, { "camellia", "ENCR_CAMELLIA_CBC" },
    { "chacha20poly1305", "ENCR_CHACHA20_POLY1305" },
    /* Wireshark's esp_sa names (bracketed suffix already dropped) */
    { "TripleDES-CBC", "ENCR_3DES" }, { "DES-CBC", "ENCR_DES" }, { "AES-CBC", "ENCR_AES_CBC" },
    { "AES-CTR", "ENCR_AES_CTR" }, { "AES-GCM with 8 octet ICV", "ENCR_AES_GCM_8" },
    { "AES-GCM with 12 octet ICV", "ENCR_AES_GCM_12" },
    { "AES-GCM with 16 octet ICV", "ENCR_AES_GCM_16" },
};

/* strongSwan keyword families "<family><bits><mode>" (aes128, aes256gcm16,
 * aes192ctr, aes128ccm12, camellia256); the ICV may be given in bits too
 * (aes128gcm128). */
static const struct {
    const char *family, *mode, *iana;
} cipher_keywords[] = {
    { "aes", "", "ENCR_AES_CBC" }, { "aes", "ctr", "ENCR_AES_CTR" },
    { "aes", "gcm8", "ENCR_AES_GCM_8" }, { "aes", "gcm64", "ENCR_AES_GCM_8" },
    { "aes", "gcm12", "ENCR_AES_GCM_12" }, { "aes", "gcm96", "ENCR_AES_GCM_12" },
    { "aes", "gcm16", "ENCR_AES_GCM_16" }, { "aes", "gcm128", "ENCR_AES_GCM_16" },
    { "aes", "gcm", "ENCR_AES_GCM_16" },
    { "aes", "ccm8", "ENCR_AES_CCM_8" }, { "aes", "ccm64", "ENCR_AES_CCM_8" },
    { "aes", "ccm12", "ENCR_AES_CCM_12" }, { "aes", "ccm96", "ENCR_AES_CCM_12" },
    { "aes", "ccm16", "ENCR_AES_CCM_16" }, { "aes", "ccm128", "ENCR_AES_CCM_16" },
    { "aes", "ccm", "ENCR_AES_CCM_16" },
    { "aes", "gmac", "ENCR_NULL_AUTH_AES_GMAC" },
    { "camellia", "", "ENCR_CAMELLIA_CBC" },
};

/* The length of `name` without a trailing " [RFC...]" (or any bracketed tag). */
static size_t bare_len(const char *name)
{
    size_t n = strlen(name);
    const char *br = strrchr(name, '[');
    if (n && name[n - 1] == ']' && br && br > name && br[-1] == ' ')
        return (size_t)(br - name - 1);
    return n;
}

/* Names equal once both lose their bracketed suffix (case-insensitive). */
static bool bare_match(const char *row, const char *name)
{
    size_t a = bare_len(row), b = bare_len(name);
    return a == b && strncasecmp(row, name, a) == 0;
}

/* The row of an IANA name: by key bits when given, else by key + salt bytes. */
static const cipher_alg *cipher_by_iana(const char *iana, size_t bits, size_t key_bytes)
{
    for (size_t i = 0; i < sizeof ciphers / sizeof ciphers[0]; i++) {
        const cipher_alg *a = &ciphers[i];
        if (!iana_match(a->iana_name, iana, "ENCR_"))
            continue;
        if (a->kind == CK_NULL || (bits ? a->key_len * 8u == bits
                                        : (size_t)a->key_len + a->salt_len == key_bytes))
            return a;
    }
    return NULL;
}

/* "aes256gcm16": family, key bits, mode. */
static const cipher_alg *cipher_by_keyword(const char *name, size_t key_bytes)
{
    for (size_t i = 0; i < sizeof cipher_keywords / sizeof cipher_keywords[0]; i++) {
        size_t fl = strlen(cipher_keywords[i].family);
        if (strncasecmp(name, cipher_keywords[i].family, fl) != 0)
            continue;
        const char *p = name + fl;
        size_t bits = 0;
        while (*p >= '0' && *p <= '9' && bits < 100000)
            bits = bits * 10 + (size_t)(*p++ - '0');
        if (bits && strcasecmp(p, cipher_keywords[i].mode) == 0)
            return cipher_by_iana(cipher_keywords[i].iana, bits, key_bytes);
    }
    return NULL;
}

/* The last name looked up, per thread: a table of thousands of SAs names
 * the same few algorithms on every line, and the search (string compares
 * over the tables and their aliases) was a twentieth of loading it. */
#define NAME_MEMO 64
typedef struct {
    char name[NAME_MEMO];
    size_t key_bytes;
    const void *alg;
} name_memo;

static const void *memo_get(const name_memo *m, const char *name, size_t key_bytes)
{
    return m->alg && m->key_bytes == key_bytes && strcmp(m->name, name) == 0 ? m->alg : NULL;
}

static void memo_put(name_memo *m, const char *name, size_t key_bytes, const void *alg)
{
    if (!alg || strlen(name) >= NAME_MEMO)
        return;   /* (unknown names are not kept: each gets its error) */
    strcpy(m->name, name);
    m->key_bytes = key_bytes;
    m->alg = alg;
}

static const cipher_alg *cipher_search(const char *name, size_t key_bytes)
{
    for (size_t i = 0; i < sizeof ciphers / sizeof ciphers[0]; i++)
        if (strcmp(ciphers[i].ws_name, name) == 0)
            return &ciphers[i];
    for (size_t i = 0; i < sizeof ciphers / sizeof ciphers[0]; i++)
        if (bare_match(ciphers[i].ws_name, name))
            return &ciphers[i];
    const cipher_alg *a = cipher_by_iana(name, 0, key_bytes);
    for (size_t i = 0; !a && i < sizeof cipher_aliases / sizeof cipher_aliases[0]; i++)
        if (bare_match(cipher_aliases[i].name, name))
            a = cipher_by_iana(cipher_aliases[i].iana, 0, key_bytes);
    return a ? a : cipher_by_keyword(name, key_bytes);
}

const cipher_alg *cipher_by_name(const char *name, size_t key_bytes)
{
    static __thread name_memo memo;
    const cipher_alg *a = memo_get(&memo, name, key_bytes);
    if (!a) {
        a = cipher_search(name, key_bytes);
        memo_put(&memo, name, key_bytes, a);
    }
    return a;
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

/* Other names for the integrity algorithms: strongSwan proposal keywords
 * and Wireshark's esp_sa names. */
static const struct {
    const char *name, *iana;
} integ_aliases[] = {
    { "md5", "AUTH_HMAC_MD5_96" }, { "md5_128", "AUTH_HMAC_MD5_128" },
    { "sha", "AUTH_HMAC_SHA1_96" }, { "sha1", "AUTH_HMAC_SHA1_96" },
    { "sha1_160", "AUTH_HMAC_SHA1_160" },
    { "sha256", "AUTH_HMAC_SHA2_256_128" }, { "sha2_256", "AUTH_HMAC_SHA2_256_128" },
    { "sha384", "AUTH_HMAC_SHA2_384_192" }, { "sha2_384", "AUTH_HMAC_SHA2_384_192" },
    { "sha512", "AUTH_HMAC_SHA2_512_256" }, { "sha2_512", "AUTH_HMAC_SHA2_512_256" },
    { "aesxcbc", "AUTH_AES_XCBC_96" }, { "aescmac", "AUTH_AES_CMAC_96" },
    { "none", "NONE" }, { "NULL", "NONE" },
    { "HMAC-MD5-96", "AUTH_HMAC_MD5_96" }, { "HMAC-SHA-1-96", "AUTH_HMAC_SHA1_96" },
    { "HMAC-SHA-256-128", "AUTH_HMAC_SHA2_256_128" },
    { "HMAC-SHA-384-192", "AUTH_HMAC_SHA2_384_192" },
    { "HMAC-SHA-512-256", "AUTH_HMAC_SHA2_512_256" },
};

static const integ_alg *integ_search(const char *name)
{
    for (size_t i = 0; i < sizeof integs / sizeof integs[0]; i++)
        if (strcmp(integs[i].ws_name, name) == 0 || iana_match(integs[i].iana_name, name, "AUTH_"))
            return &integs[i];
    for (size_t i = 0; i < sizeof integs / sizeof integs[0]; i++)
        if (bare_match(integs[i].ws_name, name))
            return &integs[i];
    for (size_t j = 0; j < sizeof integ_aliases / sizeof integ_aliases[0]; j++) {
        if (!bare_match(integ_aliases[j].name, name))
            continue;
        for (size_t i = 0; i < sizeof integs / sizeof integs[0]; i++)
            if (iana_match(integs[i].iana_name, integ_aliases[j].iana, "AUTH_"))
                return &integs[i];
    }
    return NULL;
}

const integ_alg *integ_by_name(const char *name)
{
    static __thread name_memo memo;
    const integ_alg *a = memo_get(&memo, name, 0);
    if (!a) {
        a = integ_search(name);
        memo_put(&memo, name, 0, a);
    }
    return a;
}
