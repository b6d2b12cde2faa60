/*
 * The key store: keys loaded with isakmp_ctx_load_keys (keys.c) or derived
 * later, looked up by the decryption modules.
 *
 * Ownership: the store owns every entry; key bytes live in libgcrypt secure
 * memory and are wiped when the store is freed.  Lookups return borrowed
 * pointers valid until keys_free.  Nothing here prints a secret.
 *
 * Formats are modular: load.c keeps a table of whole-file loaders, each with
 * a content detector (keys.c's UAT tables, xfrm.c, pluto.c); a new format
 * is one more row.
 */
#ifndef ISAKMP_KEYS_H
#define ISAKMP_KEYS_H

#include "crypto/crypto.h"
#include "core/internal.h"

/* IKEv1: Wireshark's ikev1_decryption_table (initiator cookie, key). */
typedef struct {
    uint8_t icookie[8];
    secret_t enc;
} key_v1;

/* IKEv2: Wireshark's ikev2_decryption_table. */
typedef struct {
    uint8_t ispi[8], rspi[8];
    const cipher_alg *enc;
    const integ_alg *integ;
    secret_t ei, er, ai, ar;
    bool epochs;                  /* derived for an IKE SA with additional key
                                   * exchanges (RFC 9370): its messages name their epoch */
} key_v2;

/* One ESP SA (one direction) in the terms of Wireshark 4.0's esp_sa table:
 * loaded from an esp_sa line (fields as written, unquoted) or added with
 * keys_esp_add (derived keys). */
typedef struct {
    char *proto;                  /* "IPv4", "IPv6" or "Any" (or "*") */
    char *src, *dst;              /* addresses as text; "*" = any */
    char *spi;                    /* "0x%08x", or a wildcard pattern */
    char *enc_alg, *auth_alg;     /* esp_sa names, e.g. "AES-CBC [RFC3602]" */
    int af;                       /* 4, 6, or 0 for any */
    uint32_t spi_value;           /* the SPI when `spi` is "0x" + 1..8 hex digits, else 0 */
    secret_t enc_key, auth_key;   /* key bytes (len 0: none) */
    secret_t enc_hex, auth_hex;   /* "0x" + lowercase hex, NUL-terminated; "" when none */
} key_esp;

struct isakmp_keys *keys_new(void);
void keys_free(struct isakmp_keys *k);
/* k (empty: no source yet) uses the keys of `from` without a copy, and
 * copies its sources; the first key added to either while they share
 * gives the adder its own copy (isakmp_ctx_share_keys). */
void keys_share(struct isakmp_keys *k, const struct isakmp_keys *from);
/* A secret in secure memory holding a copy of p[0..n). */
void secret_copy(secret_t *s, const uint8_t *p, size_t n);
/* True when IKE SA keys (v1 or v2 tables) are loaded. */
bool keys_any_ike(const struct isakmp_keys *k);

const key_v1 *keys_v1_find(const struct isakmp_keys *k, const uint8_t icookie[8]);
/* The first entry for the SPI pair. */
const key_v2 *keys_v2_find(const struct isakmp_keys *k, const uint8_t ispi[8],
                           const uint8_t rspi[8]);
/* Every entry for the SPI pair, in the order loaded (*n of them; NULL when
 * none): a table may hold one line per key epoch (RFC 9370), and the ICV of
 * each message tells which is right. */
const key_v2 *const *keys_v2_find_all(const struct isakmp_keys *k, const uint8_t ispi[8],
                                      const uint8_t rspi[8], size_t *n);
size_t keys_esp_count(const struct isakmp_keys *k);
const key_esp *keys_esp_get(const struct isakmp_keys *k, size_t i);

/* Adds an ESP SA given in the public form (af 4 / 6, addresses as text, SPI,
 * esp_sa algorithm names, keys as hex text with or without "0x", "" for
 * none); strings are copied, keys go to secure memory.  An entry with the
 * same protocol, addresses and SPI is replaced.  For derived SAs
 * (derive.c).  Returns false, adding nothing, when a field is missing or a
 * key is not hex. */
bool keys_esp_add(struct isakmp_keys *k, const isakmp_esp_sa *sa);

/* The same from the eight fields of an esp_sa line (protocol "IPv4",
 * "IPv6" or "Any", addresses or "*", SPI "0x..." or "*", ...): NULL, or
 * why the line was not taken. */
const char *keys_esp_add_fields(struct isakmp_keys *k, const char *const f[8]);

/* Adds entries (the store takes the secrets; later entries replace earlier
 * ones for the same SA).  For derived keys too. */
void keys_v1_add(struct isakmp_keys *k, key_v1 *e);
void keys_v2_add(struct isakmp_keys *k, key_v2 *e);
/* Adds an entry beside those already there for the SPI pair (a table line
 * per key epoch); the same keys twice are kept once. */
void keys_v2_keep(struct isakmp_keys *k, key_v2 *e);

/* Wireshark's UAT tables (the lines of a file): true when the first data
 * line is one of theirs; loading returns the entries stored, reporting bad
 * lines as name:line.  keys_only_comments: nothing but blanks and '#'
 * comments (an empty table).  keys_load_uat sets *format to the table's name
 * (NULL when no line named one). */
bool keys_detect_uat(char **lines);
bool keys_only_comments(char **lines);
int keys_load_uat(struct isakmp_keys *k, const char *name, char **lines,
                  isakmp_key_error_fn on_error, void *user, const char **format);

/* Key sources, one per load (isakmp_ctx_key_source): added by the loader
 * that reads the file, with its format (NULL: unknown); a note says why
 * nothing usable was taken.  keys_source is NULL for a bad index. */
size_t keys_source_add(struct isakmp_keys *k, const char *name, const char *format);
isakmp_key_source *keys_source(struct isakmp_keys *k, size_t i);
void keys_source_note(struct isakmp_keys *k, size_t i, const char *note);

/* A secret from hex text ("0x" prefix allowed); false when not hex. */
bool secret_from_hex(secret_t *s, const char *hex);

#endif
