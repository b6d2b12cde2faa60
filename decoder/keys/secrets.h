/*
 * Secrets from text (secrets.c): the libisakmp secrets file (docs/secrets.md),
 * strongSwan charon debug logs (level 4: DH secrets, SKEYSEED / SKEYID,
 * SK_*, Ka, the PSK, ESP keys) and libreswan plutodebug / tcpdump -E lines.
 *
 * Parsing turns each secret into one secret_entry handed to a sink; the
 * entry and its bytes belong to the parser and are wiped after the call, so
 * the sink copies what it keeps.  Bad lines of the secrets file are reported
 * as `file:line: reason` through the error callback and skipped; log lines
 * that are not about keys are ignored.
 */
#ifndef ISAKMP_SECRETS_H
#define ISAKMP_SECRETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isakmp/isakmp.h"
#include "keys/entry.h"

typedef enum { SECRETS_NONE, SECRETS_FILE, SECRETS_CHARON, SECRETS_PLUTO } secrets_format;

/* Which of the formats above `text` is, from its first lines. */
secrets_format secrets_detect(const char *text, size_t len);

/* Parses `text` in format `fmt`, calling sink for each secret; returns the
 * number of entries.  `name` is used in error locations. */
int secrets_parse(secrets_format fmt, const char *name, const char *text, size_t len,
                  secret_sink_fn sink, void *user, isakmp_key_error_fn on_error, void *euser);


/* Hex text (spaces, ':' and a 0x prefix allowed) into a new buffer; NULL when
 * it is not hex.  The caller wipes and frees it (secrets_free). */
uint8_t *secrets_hex(const char *hex, size_t *len);
void secrets_free(uint8_t *p, size_t len);

#endif
