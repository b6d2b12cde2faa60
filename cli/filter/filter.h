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

#include "../output/frame_fields.h"   /* the capture fields: one table for -e, -G and -Y */
#include "isakmp/isakmp.h"

/* What the non-ike fields of one message are read from: the capture
 * fields' frame (cli/output/frame_fields.h), with p the message's
 * addresses and ports and disp_* the previous frame that passed. */
typedef ff_frame filter_frame;
/* An ESP packet on its own line (the esp.* fields, cli/filter/esp_fields.c). */
typedef ff_esp filter_esp;

/* Value kinds of filter fields and literals (Wireshark's FT_* families). */
typedef enum {
    FV_NONE,      /* presence only (protocols, labels) */
    FV_UINT,
    FV_BOOL,
    FV_BYTES,
    FV_STRING,
    FV_IPV4,
    FV_IPV6,
    FV_TIME,      /* relative time, nanoseconds */
    FV_ABSTIME,   /* absolute time, nanoseconds since 1970 (UTC) */
    FV_ETHER      /* 6 bytes */
} fv_type;

/* One value: u for UINT / BOOL, ns for TIME / ABSTIME, p / len for the
 * others (addresses: 4, 6 or 16 bytes in network order; a provider may
 * point p at buf). */
typedef struct {
    uint64_t u;
    int64_t ns;
    const uint8_t *p;
    size_t len;
    uint8_t buf[16];
} fval;

#define FILTER_MAX_FRAME_VALUES FF_MAX_VALUES   /* vlan.id: a tag each; ip.addr: two */

/* The provider of the non-ike fields: a table one can swap for another.
 * lookup: the field called `name` (its type, bit width for integers, and a
 * key for values), or false when it is not one of them.  values: the
 * field's values for one message into out (at most
 * FILTER_MAX_FRAME_VALUES); their number, 0 when absent.  ordered: the
 * field's value depends on which frames passed before (NULL: never). */
typedef struct {
    bool (*lookup)(const char *name, fv_type *type, unsigned *bits, int *key);
    size_t (*values)(int key, const filter_frame *fr, fval *out);
    bool (*ordered)(int key);   /* needs fr->disp_* (NULL: none does) */
} filter_frame_fields;

/* The capture fields of cli/output/frame_fields.c (frame.*, eth.*, vlan.id,
 * ip.*, ipv6.*, udp.*, tcp.*, file), read through cli/filter/frame_fields.c. */
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

/* True when the filter reads a field that needs the frames in order
 * (frame.time_delta_displayed: fr->disp_* must be the previous frame that
 * passed). */
bool filter_ordered(const filter *f);

/* True when message m (with its frame fr) passes. */
bool filter_match(const filter *f, filter_scratch *s, const isakmp_msg *m, const filter_frame *fr);

#endif
