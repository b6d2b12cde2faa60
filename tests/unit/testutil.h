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

/* Decodes every prefix of each message (hex): no read past the end (ASan),
 * and a truncation note on each prefix that holds the 28-byte header. */
void tu_check_prefixes(const char *const *hex, size_t n);

/* Big-endian 16 / 32-bit values written over b at `at`. */
void tu_put16(GByteArray *b, size_t at, size_t v);
void tu_put32(GByteArray *b, size_t at, size_t v);

/* Asserts that tu_values(m, abbrev) is `want`. */
void tu_assert_values(const isakmp_msg *m, const char *abbrev, const char *want);

/* Decodes b as frame `frame` (IPv4, UDP 500 both ways); the caller frees. */
isakmp_msg *tu_decode_frame(isakmp_ctx *ctx, const GByteArray *b, uint32_t frame);

/* IKEv1 message building: the header's length field set to b's length; an
 * SA payload (RFC 2409 App. A: one proposal, one transform: AES-CBC 128,
 * SHA, PSK, group 2, life in seconds; next payload none); a KE payload of
 * 64 bytes of `fill` (next payload none). */
void tu_v1_fix_len(GByteArray *b);
void tu_v1_sa_payload(GByteArray *b);
void tu_v1_ke_payload(GByteArray *b, uint8_t fill);

/* A conversation: each tu_send decodes b as the next frame, between
 * 1.0.0.0 (the initiator) and 2.0.0.0 (the responder). */
typedef struct {
    isakmp_ctx *ctx;
    uint32_t frame;
} tu_run;
isakmp_msg *tu_send(tu_run *r, const GByteArray *b, bool from_init);

/* A frame of a sample capture: its ISAKMP message and packet metadata. */
typedef struct {
    GByteArray *data;
    isakmp_packet pkt;   /* pkt.data points into data */
} tu_frame;

/* The path of `file` in samples/<sample>/ (the caller frees). */
char *tu_sample_path(const char *sample, const char *file);

/* The IKE frames of samples/<sample>/capture.pcap (Ethernet, IPv4, UDP 500
 * and 4500 without its non-ESP marker; other frames are skipped but
 * counted for frame numbers), or NULL when the capture is missing.  Free
 * with tu_frames_free. */
GPtrArray *tu_sample_frames(const char *sample);
void tu_frames_free(GPtrArray *frames);

#endif
