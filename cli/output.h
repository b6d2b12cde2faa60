/* Output writers: each one a walker over decoded messages. */
#ifndef ISAKMPDUMP_OUTPUT_H
#define ISAKMPDUMP_OUTPUT_H

#include <glib.h>
#include <stdio.h>

#include "capture.h"
#include "isakmp/isakmp.h"

/* One line per message, like tshark's summary. */
void out_summary(FILE *out, const capture_frame *f, isakmp_msg *const *msgs, size_t n);

/* The full tree, indented (-V). */
void out_tree(FILE *out, const capture_frame *f, isakmp_msg *const *msgs, size_t n);

/* -T fields: set up once with the -e names; returns 0 or -1 with a reason. */
typedef struct out_fields out_fields;
out_fields *out_fields_new(const char *const *names, size_t n, char sep, char occ, bool header,
                           char *err, size_t errlen);
void out_fields_header(out_fields *o, FILE *out);
void out_fields_frame(out_fields *o, FILE *out, const capture_frame *f, isakmp_msg *const *msgs,
                      size_t n);
void out_fields_free(out_fields *o);

/* -G fields: the field table in the shape of tshark -G fields. */
void out_field_table(FILE *out);

/* Formats an address of a packet ("1.2.3.4" or IPv6 text). */
void out_addr(char *buf, size_t size, int af, const uint8_t *addr);

#endif
