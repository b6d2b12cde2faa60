/*
 * -T fields (DESIGN.md contract 2) and -G fields.
 *
 * One line per frame that carries ISAKMP; values as `tshark -T fields`
 * prints them; occurrences in tree order (inner decrypted payloads too)
 * joined by the aggregator.  One walk of the trees lists the items of the
 * wanted fields with their columns; each column is then formatted straight
 * into the line.  The per-line path does not allocate once its buffers
 * have grown to the largest line.
 */
#include <stdlib.h>
#include <string.h>

#include "filter/filter.h"
#include "output.h"

/* Fields that come from the capture, not from the decoder (tshark's names). */
typedef enum {
    X_NONE, X_FRAME, X_EPOCH, X_IP4SRC, X_IP4DST, X_IP6SRC, X_IP6DST, X_UDPSRC, X_UDPDST,
    X_TCPSRC, X_TCPDST
} extra_kind;

struct out_fields {
    size_t n;
    char **names;
    const isakmp_field **fields;   /* NULL for the capture fields */
    extra_kind *extra;
    out_fields_opts fo;
    GString *line;
    int *first_col;                /* per field id: the first column showing it, or -1 */
    int *next_col;                 /* per column: the next column with the same field */
    struct hit *hits;              /* the items of one line, in tree order */
    size_t nhits, hits_cap;
    int *col_head, *col_tail;      /* per column: its first and last hit, or -1 */
};

/* An item a column shows, and the column's next one. */
typedef struct hit {
    const isakmp_item *it;
    int next;
} hit;

static extra_kind extra_field(const char *name)
{
    static const struct { const char *name; extra_kind k; } tab[] = {
        { "frame.number", X_FRAME }, { "frame.time_epoch", X_EPOCH },
        { "ip.src", X_IP4SRC }, { "ip.dst", X_IP4DST },
        { "ipv6.src", X_IP6SRC }, { "ipv6.dst", X_IP6DST },
        { "udp.srcport", X_UDPSRC }, { "udp.dstport", X_UDPDST },
        { "tcp.srcport", X_TCPSRC }, { "tcp.dstport", X_TCPDST },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(tab); i++)
        if (strcmp(tab[i].name, name) == 0)
            return tab[i].k;
    return X_NONE;
}

/* Edit distance, for suggestions; names longer than 127 are not compared. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 127 || lb > 127)
        return (size_t)-1;
    size_t row[128];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *out_suggest_field(const char *name)
{
    /* a tshark name: isakmp.X is ike.X here */
    if (strncmp(name, "isakmp.", 7) == 0) {
        char alt[256];
        snprintf(alt, sizeof alt, "ike.%s", name + 7);
        const isakmp_field *f = isakmp_field_by_abbrev(alt);
        if (f)
            return f->abbrev;
        name += 7;
    }
    size_t n;
    const isakmp_field *t = isakmp_fields(&n);
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        const char *cand = t[i].abbrev;
        size_t d = distance(name, cand);
        if (strncmp(cand, "ike.", 4) == 0) {
            size_t d2 = distance(name, cand + 4);   /* the prefix forgotten */
            if (d2 < d)
                d = d2;
        }
        if (d < best_d) {
            best_d = d;
            best = cand;
        }
    }
    /* only close names: at most a third of the name changed */
    return best && best_d <= strlen(name) / 3 + 1 ? best : NULL;
}

out_fields *out_fields_new(const char *const *names, size_t n, const out_fields_opts *fo,
                           char *err, size_t errlen)
{
    out_fields *o = g_new0(out_fields, 1);
    o->n = n;
    o->names = g_new0(char *, n ? n : 1);
    o->fields = g_new0(const isakmp_field *, n ? n : 1);
    o->extra = g_new0(extra_kind, n ? n : 1);
    o->fo = *fo;
    o->line = g_string_sized_new(1024);
    o->hits_cap = 64;
    o->hits = g_new(hit, o->hits_cap);
    o->col_head = g_new(int, n ? n : 1);
    o->col_tail = g_new(int, n ? n : 1);
    size_t nf;
    isakmp_fields(&nf);
    o->first_col = g_new(int, nf);
    o->next_col = g_new(int, n ? n : 1);
    for (size_t k = 0; k < nf; k++)
        o->first_col[k] = -1;
    for (size_t i = 0; i < n; i++)
        o->next_col[i] = -1;
    for (size_t i = 0; i < n; i++) {
        o->names[i] = g_strdup(names[i]);
        o->extra[i] = extra_field(names[i]);
        if (o->extra[i] != X_NONE)
            continue;
        o->fields[i] = isakmp_field_by_abbrev(names[i]);
        if (!o->fields[i]) {
            const char *s = out_suggest_field(names[i]);
            if (s)
                snprintf(err, errlen, "unknown field '%s' (did you mean '%s'?)", names[i], s);
            else
                snprintf(err, errlen, "unknown field '%s' (isakmpdump -G fields lists them)",
                         names[i]);
            out_fields_free(o);
            return NULL;
        }
        /* chain the column after the earlier ones showing the same field */
        int *at = &o->first_col[o->fields[i]->id];
        while (*at >= 0)
            at = &o->next_col[*at];
        *at = (int)i;
    }
    return o;
}

void out_fields_free(out_fields *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->n; i++)
        g_free(o->names[i]);
    g_free(o->names);
    g_free(o->fields);
    g_free(o->extra);
    g_free(o->hits);
    g_free(o->col_head);
    g_free(o->col_tail);
    g_free(o->first_col);
    g_free(o->next_col);
    g_string_free(o->line, TRUE);
    g_free(o);
}

void out_fields_header(out_fields *o, FILE *out)
{
    if (!o->fo.header)
        return;
    for (size_t i = 0; i < o->n; i++) {
        if (i)
            fputc(o->fo.sep, out);
        fputs(o->names[i], out);
    }
    fputc('\n', out);
}

/* Room for n more bytes at the end of s (its length unchanged). */
static inline char *room(GString *s, size_t n)
{
    if (s->len + n >= s->allocated_len) {
        size_t len = s->len;
        g_string_set_size(s, len + n);
        s->len = len;
    }
    return s->str + s->len;
}

/* Appends to the line, without a terminator (added once at its end): glib's
 * append (a call and its checks per value) was a tenth of the -T fields
 * time. */
static inline void line_add(GString *s, const char *p, size_t n)
{
    memcpy(room(s, n), p, n);
    s->len += n;
}

static inline void line_add_c(GString *s, char c)
{
    *room(s, 1) = c;
    s->len++;
}

/* Formats the value straight into s: one call when the usual room for a
 * number or a short byte string is there, two when it is longer. */
static inline void append_value(GString *s, const isakmp_item *it, isakmp_tshark_style style)
{
    size_t have = s->allocated_len - s->len;
    if (have < 64) {
        room(s, 64);
        have = s->allocated_len - s->len;
    }
    size_t len = isakmp_item_format_tshark(it, style, s->str + s->len, have);
    if (len >= have)
        isakmp_item_format_tshark(it, style, room(s, len + 1), len + 1);
    s->len += len;
}

/* Adds the item to every column that shows its field (a list per column,
 * in tree order). */
static void collect(const isakmp_item *it, void *user)
{
    out_fields *o = user;
    for (int col = o->first_col[isakmp_item_field(it)->id]; col >= 0; col = o->next_col[col]) {
        if (o->nhits == o->hits_cap) {
            o->hits_cap *= 2;
            o->hits = g_renew(hit, o->hits, o->hits_cap);
        }
        int k = (int)o->nhits++;
        o->hits[k] = (hit){ it, -1 };
        if (o->col_tail[col] >= 0)
            o->hits[o->col_tail[col]].next = k;
        else
            o->col_head[col] = k;
        o->col_tail[col] = k;
    }
}

/* One column's value: its occurrences joined, or only the first or last. */
static void column(out_fields *o, int col, GString *dst)
{
    const hit *h = o->hits;
    int i = o->col_head[col];
    if (i < 0)
        return;
    if (o->fo.occurrence == 'l') {
        append_value(dst, h[o->col_tail[col]].it, o->fo.style);
        return;
    }
    append_value(dst, h[i].it, o->fo.style);
    if (o->fo.occurrence == 'f')
        return;
    for (i = h[i].next; i >= 0; i = h[i].next) {
        line_add_c(dst, o->fo.agg);
        append_value(dst, h[i].it, o->fo.style);
    }
}

static void append_uint(GString *s, uint64_t v)
{
    char buf[24];
    size_t n = sizeof buf;
    do   /* no printf per frame number */
        buf[--n] = (char)('0' + v % 10);
    while (v /= 10);
    line_add(s, buf + n, sizeof buf - n);
}

static void extra_value(GString *s, extra_kind k, const capture_frame *f)
{
    char buf[64];
    const isakmp_packet *p = &f->msgs[0];
    switch (k) {
    case X_FRAME: append_uint(s, f->frame); return;
    case X_EPOCH: {
        int n = snprintf(buf, sizeof buf, "%lld.%09d", (long long)f->ts_sec, f->ts_nsec);
        line_add(s, buf, (size_t)n);
        return;
    }
    case X_IP4SRC: case X_IP6SRC:
        if (p->af == (k == X_IP4SRC ? 4 : 6)) {
            out_addr(buf, sizeof buf, p->af, p->src);
            line_add(s, buf, strlen(buf));
        }
        return;
    case X_IP4DST: case X_IP6DST:
        if (p->af == (k == X_IP4DST ? 4 : 6)) {
            out_addr(buf, sizeof buf, p->af, p->dst);
            line_add(s, buf, strlen(buf));
        }
        return;
    case X_UDPSRC: if (!p->tcp) append_uint(s, p->sport); return;
    case X_UDPDST: if (!p->tcp) append_uint(s, p->dport); return;
    case X_TCPSRC: if (p->tcp) append_uint(s, p->sport); return;
    case X_TCPDST: if (p->tcp) append_uint(s, p->dport); return;
    case X_NONE: return;
    }
}

void out_fields_want(const out_fields *o, isakmp_ctx *ctx, const struct filter *flt)
{
    size_t nf = flt ? filter_ike_fields(flt, NULL, 0) : 0;
    int *ids = g_new(int, o->n + nf + 1);
    size_t k = 0;
    for (size_t i = 0; i < o->n; i++)
        if (o->fields[i])   /* the others are capture fields (frame.number, ip.src, ...) */
            ids[k++] = o->fields[i]->id;
    if (flt)
        k += filter_ike_fields(flt, ids + k, nf);
    isakmp_ctx_set_fields(ctx, ids, k);
    g_free(ids);
}

void out_fields_frame(out_fields *o, FILE *out, const capture_frame *f, isakmp_msg *const *msgs,
                      size_t n)
{
    o->line->len = 0;
    if (out_fields_line(o, f, msgs, n, o->line))
        fwrite(o->line->str, 1, o->line->len, out);
}

size_t out_fields_line(out_fields *o, const capture_frame *f, isakmp_msg *const *msgs, size_t n,
                       GString *dst)
{
    if (n == 0)
        return 0;   /* only frames that carry ISAKMP (tshark -Y isakmp) */
    o->nhits = 0;
    for (size_t i = 0; i < o->n; i++)
        o->col_head[i] = o->col_tail[i] = -1;
    for (size_t m = 0; m < n; m++)
        isakmp_msg_walk(msgs[m], collect, o);
    size_t start = dst->len;
    for (size_t i = 0; i < o->n; i++) {
        if (i)
            line_add_c(dst, o->fo.sep);
        if (o->fo.quote)
            line_add_c(dst, o->fo.quote);
        if (o->extra[i] != X_NONE)
            extra_value(dst, o->extra[i], f);
        else
            column(o, (int)i, dst);
        if (o->fo.quote)
            line_add_c(dst, o->fo.quote);
    }
    line_add_c(dst, '\n');
    *room(dst, 1) = 0;   /* a C string too */
    return dst->len - start;
}

/* ---------------------------------------------------------------- -G fields */

static const char *ftype_name(isakmp_ftype t)
{
    static const char *const names[] = { "FT_NONE", "FT_UINT8", "FT_UINT16", "FT_UINT24",
                                         "FT_UINT32", "FT_UINT64", "FT_BOOLEAN", "FT_BYTES",
                                         "FT_STRING", "FT_IPv4", "FT_IPv6", "FT_FRAMENUM" };
    return (unsigned)t < G_N_ELEMENTS(names) ? names[t] : "FT_NONE";
}

static void base_name(char *buf, size_t size, const isakmp_field *f)
{
    static const char *const bases[] = { "", "BASE_DEC", "BASE_HEX", "BASE_DEC_HEX",
                                         "BASE_HEX_DEC" };
    if (f->type == ISAKMP_FT_BOOLEAN)
        snprintf(buf, size, "%d", f->base);
    else if (f->type >= ISAKMP_FT_UINT8 && f->type <= ISAKMP_FT_UINT64 && (unsigned)f->base < 5)
        snprintf(buf, size, "%s", bases[f->base]);
    else
        buf[0] = 0;
}

void out_field_table(FILE *out)
{
    size_t n;
    const isakmp_field *t = isakmp_fields(&n);
    fprintf(out, "P\tInternet Security Association and Key Management Protocol\tike\n");
    for (size_t i = 0; i < n; i++) {
        if (strcmp(t[i].abbrev, "ike") == 0)
            continue;
        char base[32];
        base_name(base, sizeof base, &t[i]);
        fprintf(out, "F\t%s\t%s\t%s\tike\t%s\t0x%llx\t%s\n", t[i].name, t[i].abbrev,
                ftype_name(t[i].type), base, (unsigned long long)t[i].bitmask, t[i].desc);
    }
}
