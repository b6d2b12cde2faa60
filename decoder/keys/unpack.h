/*
 * Compressed key files (unpack.c): logrotate leaves charon.log.1.gz, journal
 * exports come as .xz or .zst.  Recognised by their magic bytes, whatever
 * the name; each method is there when the library was built with its
 * library (zlib, liblzma, libzstd).
 */
#ifndef ISAKMP_UNPACK_H
#define ISAKMP_UNPACK_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>

/* Not compressed; decompressed into *out (the caller wipes and frees it);
 * compressed but not readable (*why says why). */
typedef enum { UNPACK_NONE, UNPACK_OK, UNPACK_FAILED } unpack_result;

/* At most this much text comes out of one file. */
#define UNPACK_MAX ((size_t)1 << 30)

unpack_result keys_unpack(const char *data, size_t len, GByteArray **out, const char **why);

#endif
