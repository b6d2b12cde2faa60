/*
 * Keys out (export.c): the Wireshark 4.0 UAT files ikev1_decryption_table,
 * ikev2_decryption_table and esp_sa for every SA whose keys were derived,
 * in the exact formats tshark reads, and the names Wireshark's tables use
 * for each IKE / ESP algorithm.
 *
 * Ownership: the store owns copies of the keys and wipes them when freed.
 */
#ifndef ISAKMP_EXPORT_H
#define ISAKMP_EXPORT_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isakmp/isakmp.h"

#define EXPORT_MAX_KEY 64

typedef struct {
    uint8_t icookie[8];
    uint8_t key[EXPORT_MAX_KEY];
    size_t len;
} export_v1;

typedef struct {
    uint8_t spii[8], spir[8];
    uint8_t ei[EXPORT_MAX_KEY], er[EXPORT_MAX_KEY], ai[EXPORT_MAX_KEY], ar[EXPORT_MAX_KEY];
    size_t enc_len, integ_len;
    const char *encr_name, *integ_name;   /* Wireshark ikev2_decryption_table names */
    unsigned epoch;                       /* RFC 9370: 0, or after the n-th additional key exchange */
} export_v2;

typedef struct {
    int af;                               /* 4 or 6 */
    char src[46], dst[46];                /* addresses as text, or "*" */
    uint32_t spi;
    const char *encr_name, *integ_name;   /* Wireshark esp_sa names */
    uint8_t ekey[EXPORT_MAX_KEY], akey[EXPORT_MAX_KEY];
    size_t elen, alen;
    char ehex[2 * EXPORT_MAX_KEY + 3], ahex[2 * EXPORT_MAX_KEY + 3];   /* "0x..." or "" (filled on add) */
} export_esp;

struct export_store *export_store_new(void);
void export_store_free(struct export_store *s);

/* Adds a copy; an entry for the same SA (cookie, SPI pair, SPI + destination)
 * replaces the earlier one. */
void export_add_v1(struct export_store *s, const export_v1 *e);
void export_add_v2(struct export_store *s, const export_v2 *e);
void export_add_esp(struct export_store *s, const export_esp *e);

size_t export_esp_count(const struct export_store *s);
const export_esp *export_esp_get(const struct export_store *s, size_t i);

/* One UAT line each (with the newline) appended to out. */
void export_format_v1(GString *out, const export_v1 *e);
void export_format_v2(GString *out, const export_v2 *e);
void export_format_esp(GString *out, const export_esp *e);

/* Writes the three files into `dir` (created 0700 when missing), merged with
 * the tables already there (export_merge_dir).  Returns 0, or -1 with a
 * reason in err. */
int export_write(const struct export_store *s, const char *dir, char *err, size_t errlen);

/* The files exports merge into; a row's SA is its first fields (the cookie;
 * the SPI pair; protocol, addresses and SPI) or a psk-crack line's cookies. */
typedef enum { EXPORT_V1, EXPORT_V2, EXPORT_ESP, EXPORT_PSK, EXPORT_KIND_COUNT } export_kind;

/* `old` (a file's text) with our rows merged in: its rows for other SAs (and
 * comments) kept in place, a row for an SA of ours replaced by ours, our
 * other rows appended; the last of our rows for one SA wins.  Wipe the
 * result with export_text_free. */
GString *export_merge(const char *old, size_t old_len, const char *ours, size_t ours_len,
                      export_kind kind);

/* Merges our rows into the file `path`: read without following a symbolic
 * link (a link is an error: nothing written), written to a new 0600 file
 * in the same folder and renamed over it.  0, or -1 with a reason. */
int export_merge_file(const char *path, const char *ours, size_t len, export_kind kind,
                      char *err, size_t errlen);

/* The same for the three tables of `dir` (created 0700 when missing): all
 * are read before any is written, so a refused one leaves all as they were. */
int export_merge_dir(const char *dir, GString *const ours[3], char *err, size_t errlen);

/* The same from a text as export_text makes it ("# <table>" sections, in
 * any number and order). */
int export_merge_text(const char *dir, const char *text, size_t len, char *err, size_t errlen);

/* The three files as one text, each after a "# <file name>" line. */
GString *export_text(const struct export_store *s);

/* Copies t into buf (NUL-terminated, cut to fit), then wipes and frees t;
 * returns t's length (snprintf semantics). */
size_t export_text_out(GString *t, char *buf, size_t size);

/* Wipes and frees a text that holds keys. */
void export_text_free(GString *t);

/* Wireshark's esp_sa names for ESP transforms (IANA "Transform Type 1/3"
 * ids, which IKEv1's ESP transform ids share for these algorithms) and
 * IKEv1's Authentication Algorithm attribute (RFC 2407 4.5).  NULL when
 * Wireshark 4.0 has no name for it. */
const char *export_esp_encr_name(uint16_t encr_id, size_t key_bits);
const char *export_esp_integ_name(uint16_t integ_id);
uint16_t export_v1_auth_to_integ(uint16_t auth_alg);

/* Every ESP SA the context knows, in the public form: the key store's
 * (esp_sa lines, keys_esp_add) first, then the export store's derived SAs
 * that the key store does not already have (same destination and SPI).
 * Backs isakmp_ctx_esp_sa_count / isakmp_ctx_esp_sa_get.  Strings point
 * into the stores.  A wildcard protocol gives af 0, a wildcard SPI spi 0. */
size_t keys_esp_sa_count(isakmp_ctx *ctx);
bool keys_esp_sa_get(isakmp_ctx *ctx, size_t i, isakmp_esp_sa *out);

#endif
