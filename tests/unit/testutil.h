/* Helpers shared by the unit tests: build messages from bytes, find items. */
#ifndef ISAKMP_TESTUTIL_H
#define ISAKMP_TESTUTIL_H

#include <glib.h>

#include "isakmp/isakmp.h"

/* Decodes `len` bytes placed at the very end of a heap block, so that any
 * read past them is caught by ASan. The caller frees the message. */
isakmp_msg *tu_decode(isakmp_ctx *ctx, const uint8_t *bytes, size_t len);

/* Decodes a hex string (spaces allowed) the same way. */
isakmp_msg *tu_decode_hex(isakmp_ctx *ctx, const char *hex);

/* Bytes from a hex string (spaces allowed); *len gets the count. */
uint8_t *tu_hex(const char *hex, size_t *len);

/* All values of field `abbrev` in tree order, formatted as -T fields does,
 * joined by ','; the caller frees the string. */
char *tu_values(const isakmp_msg *m, const char *abbrev);

/* The first item of field `abbrev` in tree order, or NULL. */
const isakmp_item *tu_find(const isakmp_msg *m, const char *abbrev);

/* Number of notes whose code is `code`. */
size_t tu_note_count(const isakmp_msg *m, isakmp_note_code code);

/* The text of the first note with `code`, or NULL. */
const char *tu_note_text(const isakmp_msg *m, isakmp_note_code code);

#endif
