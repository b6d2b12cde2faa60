/* Output writers: each one a walker over decoded messages through the
 * public API (include/isakmp/isakmp.h); none of them looks inside the decoder. */
#ifndef ISAKMPDUMP_OUTPUT_H
#define ISAKMPDUMP_OUTPUT_H

#include <glib.h>
#include <stdio.h>

#include "capture/capture.h"
#include "esp/esp_cli.h"
#include "isakmp/isakmp.h"

/* ---------------------------------------------------------------- common */

/* Formats an address ("1.2.3.4" or IPv6 text; "?" when it cannot);
 * returns its length. */
size_t out_addr(char *buf, size_t size, int af, const uint8_t *addr);

/* Notes of one message, looked up by item in O(log n). */
typedef struct {
    const isakmp_note *notes;
    size_t n;
    GArray *order;   /* note_ref: the notes sorted by item; reused */
} note_index;
void note_index_init(note_index *ni);
void note_index_set(note_index *ni, const isakmp_msg *m);
/* The first note of `it` (index into ni->notes) and how many it has. */
size_t note_index_find(const note_index *ni, const isakmp_item *it, size_t *count);
const isakmp_note *note_index_get(const note_index *ni, size_t k);
void note_index_clear(note_index *ni);

/* Appends "IKE_SA_INIT MID=0x00000000 Initiator Request": the library's
 * summary (isakmp_msg_summary, the plugin's Info column): the exchange, the
 * message ID as 0x%08x (IKEv1 and IKEv2, text and JSON alike) and the IKEv2
 * flags I and R. */
void out_msg_headline(GString *s, const isakmp_msg *m);

/* Appends " ERROR(NO_PROPOSAL_CHOSEN)": the error notify types of the
 * message (inner decrypted ones too), so that the answer comes before the
 * payload list; nothing when there is none. */
void out_msg_errors(GString *s, const isakmp_msg *m);

/* Appends the payload list ("Security Association, Key Exchange,
 * Encrypted and Authenticated {Identification - Initiator, ...}"). */
void out_payload_list(GString *s, const isakmp_msg *m);

/* ---------------------------------------------------------------- writers */

/* -t: the time column of the summary and the -V frame line, as tshark's
 * -t formats (the default: seconds since 1970, as tcpdump -tt). */
typedef enum {
    TF_EPOCH,       /* e: 1795847206.947718 */
    TF_ABS,         /* a: 06:26:46.947718 (local) */
    TF_ABS_DATE,    /* ad: 2026-11-28 06:26:46.947718 */
    TF_ABS_DOY,     /* adoy: 2026/332 06:26:46.947718 */
    TF_UTC,         /* u, ud, udoy: the same in UTC */
    TF_UTC_DATE,
    TF_UTC_DOY,
    TF_RELATIVE,    /* r: since the first frame */
    TF_DELTA,       /* d: since the previous captured frame */
    TF_DELTA_DISP,  /* dd: since the previous displayed frame */
} time_format;

/* The -t value ("ad") as a time_format; -1 when unknown. */
int out_time_format(const char *name);

/* Prefix lines with the file name when several inputs are read. */
typedef struct {
    FILE *out;
    time_format time;
    bool displayed;          /* a frame was shown: disp_* is its time (-t dd) */
    int64_t disp_sec;
    int32_t disp_nsec;
    const char *file;        /* NULL for a single input */
    bool hex;                /* -x: hex dump of every data source (text tree) */
    int verbose;             /* -v: the first note's text in the summary; -vv: all */
    GString *buf;            /* what the out_*_frame writers append to */
    GString *scratch;        /* a writer's own, reused */
    struct {                 /* -T json: the items of the levels being written, a stack */
        const isakmp_item **v;
        size_t len, cap;
    } kids;
    uint32_t *kid_seen;      /* -T json: per field id, the stamp of the level that has it */
    uint8_t *key_len;        /* -T json: per field id, strlen of its name (0: not yet) */
    uint32_t kid_stamp;
    bool jt_valid, jt_ok;    /* -T json: the last second's UTC text (jt_ok: gmtime knew it) */
    int64_t jt_sec;
    size_t jt_len;
    char jt_text[64];
    const isakmp_field *f_version, *f_flags;   /* -V: the header fields shown as tshark */
    note_index notes;
    const esp_run *esp;      /* --esp: the frame's ESP verdict on its line; NULL: none */
} out_ctx;

void out_ctx_init(out_ctx *c, FILE *out);
void out_ctx_clear(out_ctx *c);

/* One line per message, like tshark's summary. */
void out_summary(out_ctx *c, const capture_frame *f, isakmp_msg *const *msgs, size_t n);

/* The full tree, indented (-V). */
void out_tree(out_ctx *c, const capture_frame *f, isakmp_msg *const *msgs, size_t n);

/* -T json: one JSON object per message per line (cli/isakmpdump-json.md). */
void out_json(out_ctx *c, const capture_frame *f, isakmp_msg *const *msgs, size_t n);

/* The same three, appending a frame's text to c->buf instead of writing
 * it (the threads of shard.c write into their chunks' buffers). */
void out_summary_frame(out_ctx *c, const capture_frame *f, isakmp_msg *const *msgs, size_t n);
void out_tree_frame(out_ctx *c, const capture_frame *f, isakmp_msg *const *msgs, size_t n);
void out_json_frame(out_ctx *c, const capture_frame *f, isakmp_msg *const *msgs, size_t n);

/* -T fields (DESIGN.md contract 2). */
typedef struct out_fields out_fields;
typedef struct {
    char sep;          /* between fields */
    char agg;          /* between occurrences */
    char occurrence;   /* 'a' all, 'f' first, 'l' last */
    char quote;        /* 0, '"' or '\'' */
    bool header;
    isakmp_tshark_style style;   /* whose tshark's values: -E compat=4.0 */
    const char *file;  /* the input's name: the field `file` */
} out_fields_opts;
/* NULL with a one-line reason in err (e.g. an unknown field and a suggestion). */
out_fields *out_fields_new(const char *const *names, size_t n, const out_fields_opts *fo,
                           char *err, size_t errlen);
void out_fields_header(out_fields *o, FILE *out);
void out_fields_frame(out_fields *o, FILE *out, const capture_frame *f, isakmp_msg *const *msgs,
                      size_t n);
/* Appends the same line ('\n' included) to dst; returns its length, 0 for
 * a frame without ISAKMP (no line). */
size_t out_fields_line(out_fields *o, const capture_frame *f, isakmp_msg *const *msgs, size_t n,
                       GString *dst);
/* Tells ctx to build only the items of the -e fields and those the -Y
 * filter flt reads (NULL: none) (isakmp_ctx_set_fields). */
struct filter;
void out_fields_want(const out_fields *o, isakmp_ctx *ctx, const struct filter *flt);
void out_fields_free(out_fields *o);
/* The ESP decryptions of the next frame's ESP packets, one per record
 * (esp.pad_len, esp.protocol, esp.icv_*), or NULL; true from wants_esp
 * when an -e field is esp.*. */
void out_fields_esp(out_fields *o, const isakmp_esp_result *r);
bool out_fields_wants_esp(const out_fields *o);

/* True when a field of names needs every frame in order (it reads the
 * previous displayed frame: frame.time_delta_displayed). */
bool out_fields_ordered(const char *const *names, size_t n);

/* The field name closest to `name`, for "did you mean" (NULL when none is close). */
const char *out_suggest_field(const char *name);

/* -G fields: the field table in the shape of tshark -G fields. */
void out_field_table(FILE *out);

#endif
