/*
 * The key store: keys loaded with isakmp_ctx_load_keys (keys.c) or derived
 * later, looked up by the decryption modules.
 *
 * Ownership: the store owns every entry; key bytes live in libgcrypt secure
 * memory and are wiped when the store is freed.  Lookups return borrowed
 * pointers valid until keys_free.  Nothing here prints a secret.
 *
 * Formats are modular: keys.c keeps a table of loaders, each with a content
 * detector; a new format (secrets file, daemon logs) is one more row.
 */
#ifndef ISAKMP_KEYS_H
#define ISAKMP_KEYS_H

#include "crypto.h"
#include "internal.h"

/* A secret byte string in secure memory. */
typedef struct {
    uint8_t *p;
    size_t len;
} secret_t;

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
} key_v2;

/* Wireshark's esp_sa line, kept for export (fields as written, unquoted). */
typedef struct {
    char *proto, *src, *dst, *spi, *enc_alg, *auth_alg;
    secret_t enc_key, auth_key;   /* as the hex text of the line */
} key_esp;

struct isakmp_keys *keys_new(void);
void keys_free(struct isakmp_keys *k);

const key_v1 *keys_v1_find(const struct isakmp_keys *k, const uint8_t icookie[8]);
const key_v2 *keys_v2_find(const struct isakmp_keys *k, const uint8_t ispi[8],
                           const uint8_t rspi[8]);
size_t keys_esp_count(const struct isakmp_keys *k);
const key_esp *keys_esp_get(const struct isakmp_keys *k, size_t i);

/* Adds entries (the store takes the secrets; later entries replace earlier
 * ones for the same SA).  For derived keys too. */
void keys_v1_add(struct isakmp_keys *k, key_v1 *e);
void keys_v2_add(struct isakmp_keys *k, key_v2 *e);

/* A secret from hex text ("0x" prefix allowed); false when not hex. */
bool secret_from_hex(secret_t *s, const char *hex);
void secret_wipe(secret_t *s);

#endif
