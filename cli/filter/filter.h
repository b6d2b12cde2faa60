/*
 * Display filters (isakmpdump -Y): Wireshark's display-filter syntax over
 * the library's ike.* fields and the capture's frame / ip / ipv6 / udp /
 * tcp fields (docs/filters.md).
 *
 * A filter is compiled once (filter_compile) into an immutable program that
 * any number of threads may evaluate at the same time, each with its own
 * scratch (filter_scratch).  The program says which ike.* fields it reads
 * (filter_ike_fields), so that a field-directed decoder (isakmp_ctx_set_fields)
 * builds them.  Each message is decided on its own (filter_match): a frame
 * carrying several messages shows those that pass.
 */
#ifndef ISAKMPDUMP_FILTER_H
#define ISAKMPDUMP_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "isakmp/isakmp.h"

/* An ESP packet on its own line (the esp.* fields, cli/filter/esp_fields.c). */
typedef struct {
    uint32_t spi, seq;
    bool ip;                      /* IP protocol 50: no UDP / TCP */
    const isakmp_esp_result *dec; /* its decryption, or NULL when ESP was not decrypted */
} filter_esp;

/* What the non-ike fields of one message are read from. */
typedef struct {
    uint32_t number;              /* frame number, from 1 */
    int64_t ts_sec;               /* capture time */
    int32_t ts_nsec;
    int64_t ref_sec;              /* the first frame's time (frame.time_relative) */
    int32_t ref_nsec;
    uint32_t len, caplen;         /* frame length on the wire and captured; 0: unknown */
    const isakmp_packet *pkt;     /* the message's addresses and ports; NULL: none */
    const filter_esp *esp;        /* an ESP line: its header and decryption; NULL otherwise */
} filter_frame;

/* Value kinds of filter fields and literals (Wireshark's FT_* families). */
typedef enum {
    FV_NONE,      /* presence only (protocols, labels) */
    FV_UINT,
    FV_BOOL,
    FV_BYTES,
    FV_STRING,
    FV_IPV4,
    FV_IPV6,
    FV_TIME       /* relative time, nanoseconds */
} fv_type;

/* One value: u for UINT / BOOL, ns for TIME, p / len for the others
 * (addresses: 4 or 16 bytes in network order). */
typedef struct {
    uint64_t u;
    int64_t ns;
    const uint8_t *p;
    size_t len;
} fval;

#define FILTER_MAX_FRAME_VALUES 2   /* ip.addr: source and destination */

/* The provider of the non-ike fields: a table one can swap for another.
 * lookup: the field called `name` (its type, bit width for integers, and a
 * key for values), or false when it is not one of them.  values: the
 * field's values for one message into out (at most
 * FILTER_MAX_FRAME_VALUES); their number, 0 when absent. */
typedef struct {
    bool (*lookup)(const char *name, fv_type *type, unsigned *bits, int *key);
    size_t (*values)(int key, const filter_frame *fr, fval *out);
} filter_frame_fields;

/* The frame / ip / ipv6 / udp / tcp fields of cli/filter/frame_fields.c. */
extern const filter_frame_fields filter_frame_fields_default;

/* Where and why a filter does not compile: col and len (bytes, from 0) mark
 * the offending part of the expression, as Wireshark's caret does. */
typedef struct {
    char msg[256];
    size_t col, len;
} filter_error;

typedef struct filter filter;
typedef struct filter_scratch filter_scratch;

/* Compiles `expr`; NULL with *e set when it is not a valid filter.
 * frame_fields NULL means filter_frame_fields_default. */
filter *filter_compile(const char *expr, const filter_frame_fields *frame_fields,
                       filter_error *e);
void filter_free(filter *f);

/* "isakmpdump: -Y: <msg> at column N", the expression and a caret line. */
void filter_error_print(FILE *out, const char *what, const char *expr, const filter_error *e);

/* The ike.* field ids the filter reads into ids (room for max); their
 * number (may exceed max). */
size_t filter_ike_fields(const filter *f, int *ids, size_t max);

/* Per-thread working memory for filter_match. */
filter_scratch *filter_scratch_new(const filter *f);
void filter_scratch_free(filter_scratch *s);

/* True when message m (with its frame fr) passes. */
bool filter_match(const filter *f, filter_scratch *s, const isakmp_msg *m, const filter_frame *fr);

#endif
