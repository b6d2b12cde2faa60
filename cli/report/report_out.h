/* Internal to the report: its two writers (report_out.c), a text table and
 * JSON lines (docs/report.md describes both). */
#ifndef ISAKMPDUMP_REPORT_OUT_H
#define ISAKMPDUMP_REPORT_OUT_H

#include "report.h"

typedef struct {
    size_t rows, dropped, max_rows;   /* dropped: messages of SAs not listed */
    int worst;   /* the highest finding's severity (unlisted SAs too), -1 when none */
    size_t unlisted_rows;                   /* SAs beyond max_rows: audited, not listed */
    size_t unlisted_found[RPT_SEV_COUNT];   /* their findings, by severity */
} rpt_out_summary;

/* `rows`: every rpt_row in order of first sight. */
void rpt_out_text(FILE *out, const GPtrArray *rows, const rpt_out_summary *sum);
void rpt_out_json(FILE *out, const GPtrArray *rows, const rpt_out_summary *sum);

#endif
