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
#include "frame_fields.h"
#include "obuf.h"
#include "output.h"

struct out_fields {
    size_t n;
    char **names;
    const isakmp_field **fields;   /* NULL for the capture fields */
    const frame_field **frame;     /* the capture fields (frame_fields.h) */
    out_fields_opts fo;
    int64_t disp_sec;              /* the previous line's frame (frame.time_delta_displayed) */
    int32_t disp_nsec;
    bool displayed;
    GString *line;
    int *first_col;                /* per field id: the first column showing it, or -1 */
    int *next_col;                 /* per column: the next column with the same field */
    struct col_items *items;       /* per column: its items of one line, in tree order */
    bool esp_cols;                 /* an esp.* column: ESP frames get lines too */
    const isakmp_esp_result *esp_dec;   /* the current frame's ESP decryptions (out_fields_esp) */
};

/* The items a column shows on one line (an array per column: a list of
 * all the line's items linked per column cost twice as much a value). */
typedef struct col_items {
    const isakmp_item **v;
    uint32_t n, cap;
} col_items;

const char *out_suggest_field(const char *name)
{
    static char buf[256];   /* one caller at a time: the option check in main */
    return field_suggest(name, buf, sizeof buf);
}

out_fields *out_fields_new(const char *const *names, size_t n, const out_fields_opts *fo,
                           char *err, size_t errlen)
{
    out_fields *o = g_new0(out_fields, 1);
    o->n = n;
    o->names = g_new0(char *, n ? n : 1);
    o->fields = g_new0(const isakmp_field *, n ? n : 1);
    o->frame = g_new0(const frame_field *, n ? n : 1);
    o->fo = *fo;
    o->line = g_string_sized_new(1024);
    o->items = g_new0(col_items, n ? n : 1);
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
        field_ref ref;
        bool known = field_resolve(names[i], &ref);
        o->frame[i] = ref.frame;
        o->fields[i] = ref.ike;
        if (ref.frame && strcmp(ref.frame->proto, "esp") == 0)
            o->esp_cols = true;
        if (o->frame[i])
            continue;
        if (!known) {
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
    g_free(o->frame);
    for (size_t i = 0; i < o->n; i++)
        g_free(o->items[i].v);
    g_free(o->items);
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

/* Formats the value straight into s: one call when the usual room for a
 * number or a short byte string is there, two when it is longer. */
static inline void append_value(GString *s, const isakmp_item *it, isakmp_tshark_style style)
{
    size_t have = s->allocated_len - s->len;
    if (have < 64) {
        ob_room(s, 64);
        have = s->allocated_len - s->len;
    }
    size_t len = isakmp_item_format_tshark(it, style, s->str + s->len, have);
    if (len >= have)
        isakmp_item_format_tshark(it, style, ob_room(s, len), len + 1);
    s->len += len;
}

/* Out of line: collect itself then saves no registers (a tenth of its cost). */
static __attribute__((noinline)) void col_grow(col_items *c)
{
    c->cap = c->cap ? 2 * c->cap : 16;
    c->v = g_renew(const isakmp_item *, c->v, c->cap);
}

/* Adds the item to every column that shows its field. */
static void collect(const isakmp_item *it, void *user)
{
    out_fields *o = user;
    for (int col = o->first_col[isakmp_item_field(it)->id]; col >= 0; col = o->next_col[col]) {
        col_items *c = &o->items[col];
        if (G_UNLIKELY(c->n == c->cap))
            col_grow(c);
        c->v[c->n++] = it;
    }
}

/* One column's value: its occurrences joined, or only the first or last.
 * The options come as values: read through o they were read again after
 * every byte written (a char store may alias them). */
static void column(const col_items *c, GString *dst, char occurrence, char agg,
                   isakmp_tshark_style style)
{
    if (c->n == 0)
        return;
    if (occurrence == 'l') {
        append_value(dst, c->v[c->n - 1], style);
        return;
    }
    append_value(dst, c->v[0], style);
    if (occurrence == 'f')
        return;
    for (uint32_t k = 1; k < c->n; k++) {
        ob_c(dst, agg);
        append_value(dst, c->v[k], style);
    }
}

/* A capture field's values, joined like the decoder's. */
static void frame_value(out_fields *o, const frame_field *ff, const capture_frame *f,
                        GString *s)
{
    size_t nt;
    if (ff == frame_fields(&nt)) {   /* frame.number, the table's first: the common case */
        ob_u64(s, f->frame);
        return;
    }
    const isakmp_packet *p = f->nmsgs       ? &f->msgs[0]
                             : f->keepalive ? &f->ka
                             : f->esp_udp   ? &f->esp_pkt
                                            : NULL;
    ff_frame fr = ff_frame_of(f, p);
    ff_esp esp = ff_esp_of(f, o->esp_dec);
    esp.ip = !f->nmsgs && !f->keepalive && f->esp_proto == 50;
    if (f->esp_udp)
        fr.esp = &esp;
    fr.file = o->fo.file;
    if (o->displayed) {
        fr.disp_sec = o->disp_sec;
        fr.disp_nsec = o->disp_nsec;
    }
    ff_value v[FF_MAX_VALUES];
    size_t n = frame_field_values(ff, &fr, v);
    size_t first = o->fo.occurrence == 'l' && n ? n - 1 : 0;
    size_t last = o->fo.occurrence == 'f' && n ? 1 : n;
    char buf[128];
    for (size_t i = first; i < last; i++) {
        if (i > first)
            ob_c(s, o->fo.agg);
        size_t len = ff_value_format(&v[i], buf, sizeof buf);
        if (len < sizeof buf) {
            ob_put(s, buf, len);
        } else {   /* a long file name */
            ff_value_format(&v[i], ob_room(s, len), len + 1);
            ob_commit(s, len);
        }
    }
}

bool out_fields_ordered(const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        field_ref ref;
        if (field_resolve(names[i], &ref) && ref.frame && ref.frame->ordered)
            return true;
    }
    return false;
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

void out_fields_esp(out_fields *o, const isakmp_esp_result *r)
{
    o->esp_dec = r;
}

bool out_fields_wants_esp(const out_fields *o)
{
    return o->esp_cols;
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
    if (n == 0 && !(f->esp_udp && o->esp_cols))
        return 0;   /* only frames that carry ISAKMP (tshark -Y isakmp), and with esp.*
                       fields, ESP */
    for (size_t i = 0; i < o->n; i++)
        o->items[i].n = 0;
    for (size_t m = 0; m < n; m++)
        isakmp_msg_walk(msgs[m], collect, o);
    size_t start = dst->len;
    const out_fields_opts fo = o->fo;   /* (as column's) */
    const size_t ncols = o->n;
    const frame_field *const *frame = o->frame;
    const col_items *items = o->items;
    for (size_t i = 0; i < ncols; i++) {
        if (i)
            ob_c(dst, fo.sep);
        size_t at = dst->len;
        if (fo.quote)
            ob_c(dst, fo.quote);
        if (frame[i])
            frame_value(o, frame[i], f, dst);
        else
            column(&items[i], dst, fo.occurrence, fo.agg, fo.style);
        if (fo.quote && dst->len == at + 1)
            dst->len = at;   /* an empty value stays empty, quoted or not (as tshark) */
        else if (fo.quote)
            ob_c(dst, fo.quote);
    }
    ob_c(dst, '\n');
    o->displayed = true;
    o->disp_sec = f->ts_sec;
    o->disp_nsec = f->ts_nsec;
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

/* tshark's protocol names for the capture fields' protocols. */
static const char *proto_name(const char *abbrev)
{
    static const char *const names[][2] = {
        { "frame", "Frame" }, { "eth", "Ethernet" }, { "vlan", "802.1Q Virtual LAN" },
        { "ip", "Internet Protocol Version 4" }, { "ipv6", "Internet Protocol Version 6" },
        { "udp", "User Datagram Protocol" }, { "tcp", "Transmission Control Protocol" },
        { "file", "Input file (isakmpdump)" }, { "esp", "Encapsulating Security Payload" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        if (strcmp(names[i][0], abbrev) == 0)
            return names[i][1];
    return abbrev;
}

void out_field_table(FILE *out)
{
    size_t n;
    for (int t = 0; t < 2; t++) {   /* the capture fields, then the esp.* ones */
        const frame_field *ff = t ? esp_frame_fields(&n) : frame_fields(&n);
        for (size_t i = 0; i < n; i++) {
            if (i == 0 || strcmp(ff[i].proto, ff[i - 1].proto) != 0)
                fprintf(out, "P\t%s\t%s\n", proto_name(ff[i].proto), ff[i].proto);
            fprintf(out, "F\t%s\t%s\t%s\t%s\t%s\t0x%x\t%s\n", ff[i].name, ff[i].abbrev,
                    ff[i].ftype, ff[i].proto, ff[i].base, (unsigned)ff[i].bitmask, ff[i].desc);
        }
    }
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
