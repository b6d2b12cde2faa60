/* Internal to the report: its two writers (report_out.c), a text table and
 * JSON lines (docs/report.md describes both). */
#ifndef ISAKMPDUMP_REPORT_OUT_H
#define ISAKMPDUMP_REPORT_OUT_H

#include "report.h"

typedef struct {
    size_t rows, dropped, max_rows;
    int worst;   /* the highest finding's severity, -1 when none */
} rpt_out_summary;

/* `rows`: every rpt_row in order of first sight. */
void rpt_out_text(FILE *out, const GPtrArray *rows, const rpt_out_summary *sum);
void rpt_out_json(FILE *out, const GPtrArray *rows, const rpt_out_summary *sum);

#endif
