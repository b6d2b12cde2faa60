/*
 * -T json: one JSON object per message per line (JSON Lines).  The schema is
 * cli/isakmpdump-json.schema.json, described in cli/isakmpdump-json.md:
 * each tree level is an object keyed by field filter names; a field that
 * occurs more than once at a level has arrays as values; "F/name",
 * "F/tree", "F/notes", "F/label" and "F/source" carry what goes with F.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output.h"

#define SCHEMA_ID "isakmpdump-json/2"

/* ---------------------------------------------------------------- scalars */

static void jstr_len(GString *s, const char *p, size_t n)
{
    /* invalid UTF-8 is written byte by byte as \u00XX (Latin-1) so the
     * output stays valid JSON whatever the packet holds */
    bool utf8 = g_utf8_validate(p, (gssize)n, NULL);
    g_string_append_c(s, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)p[i];
        switch (ch) {
        case '"': g_string_append(s, "\\\""); break;
        case '\\': g_string_append(s, "\\\\"); break;
        case '\n': g_string_append(s, "\\n"); break;
        case '\r': g_string_append(s, "\\r"); break;
        case '\t': g_string_append(s, "\\t"); break;
        default:
            if (ch < 0x20 || (ch >= 0x80 && !utf8) || ch == 0x7f)
                g_string_append_printf(s, "\\u%04x", ch);
            else
                g_string_append_c(s, (char)ch);
        }
    }
    g_string_append_c(s, '"');
}

static void jstr(GString *s, const char *p) { jstr_len(s, p, strlen(p)); }

static void jkey(GString *s, bool *first, const char *key, const char *suffix)
{
    if (!*first)
        g_string_append_c(s, ',');
    *first = false;
    g_string_append_c(s, '"');
    g_string_append(s, key);   /* filter names are plain ASCII */
    g_string_append(s, suffix);
    g_string_append(s, "\":");
}

/* ---------------------------------------------------------------- tree */

typedef struct {
    out_ctx *c;
    const isakmp_msg *m;
    GArray *kids;   /* const isakmp_item *, a stack shared by all levels */
} jw;

static void object(jw *w, const isakmp_item *parent);

static void value(jw *w, const isakmp_item *it)
{
    GString *s = w->c->buf;
    const isakmp_field *f = isakmp_item_field(it);
    switch (f->type) {
    case ISAKMP_FT_NONE:
        object(w, it);   /* a subtree head: its value is its children */
        return;
    case ISAKMP_FT_BOOLEAN:
        g_string_append(s, isakmp_item_uint(it) ? "true" : "false");
        return;
    case ISAKMP_FT_UINT8:
    case ISAKMP_FT_UINT16:
    case ISAKMP_FT_UINT24:
    case ISAKMP_FT_UINT32:
    case ISAKMP_FT_UINT64:
    case ISAKMP_FT_FRAMENUM:
        g_string_append_printf(s, "%" PRIu64, isakmp_item_uint(it));
        return;
    default: {
        /* bytes as hex, strings and addresses as text: the -T fields form */
        size_t n = isakmp_item_format_value(it, NULL, 0);
        size_t at = s->len;
        g_string_set_size(s, at + n + 1);
        isakmp_item_format_value(it, s->str + at, n + 1);
        char *copy = g_strndup(s->str + at, n);
        g_string_truncate(s, at);
        jstr_len(s, copy, n);
        g_free(copy);
        return;
    }
    }
}

static void notes(jw *w, const isakmp_item *it)
{
    GString *s = w->c->buf;
    size_t count, k = note_index_find(&w->c->notes, it, &count);
    g_string_append_c(s, '[');
    for (size_t i = 0; i < count; i++) {
        const isakmp_note *n = note_index_get(&w->c->notes, k + i);
        if (i)
            g_string_append_c(s, ',');
        g_string_append(s, "{\"severity\":");
        jstr(s, isakmp_severity_name(n->severity));
        g_string_append(s, ",\"code\":");
        jstr(s, isakmp_note_code_name(n->code));
        g_string_append(s, ",\"text\":");
        jstr(s, n->text);
        g_string_append_c(s, '}');
    }
    g_string_append_c(s, ']');
}

typedef enum { A_VALUE, A_NAME, A_TREE, A_NOTES, A_LABEL, A_SOURCE } aspect;

/* Whether `it` has the aspect (for arrays: null where one occurrence lacks it). */
static bool has(jw *w, const isakmp_item *it, const isakmp_item *parent, aspect a)
{
    size_t count;
    switch (a) {
    case A_VALUE: return true;
    case A_NAME: return isakmp_item_field(it)->type != ISAKMP_FT_BOOLEAN &&
                        isakmp_item_value_name(it) != NULL;
    case A_TREE: return isakmp_item_field(it)->type != ISAKMP_FT_NONE &&
                        isakmp_item_first_child(it) != NULL;
    case A_NOTES: note_index_find(&w->c->notes, it, &count); return count > 0;
    case A_LABEL: return isakmp_item_label(it) != NULL;
    case A_SOURCE: return parent && isakmp_item_source(it) != isakmp_item_source(parent);
    }
    return false;
}

static void emit(jw *w, const isakmp_item *it, aspect a)
{
    GString *s = w->c->buf;
    switch (a) {
    case A_VALUE: value(w, it); break;
    case A_NAME: jstr(s, isakmp_item_value_name(it)); break;
    case A_TREE: object(w, it); break;
    case A_NOTES: notes(w, it); break;
    case A_LABEL: jstr(s, isakmp_item_label(it)); break;
    case A_SOURCE: jstr(s, isakmp_msg_source_name(w->m, isakmp_item_source(it))); break;
    }
}

/* Writes the group of items [from, to) of the kids stack (all of one field). */
static void group(jw *w, const isakmp_item *parent, size_t from, size_t to, bool *first)
{
    static const char *const suffix[] = { "", "/name", "/tree", "/notes", "/label", "/source" };
    const isakmp_field *f = isakmp_item_field(g_array_index(w->kids, const isakmp_item *, from));
    GString *s = w->c->buf;
    for (int a = A_VALUE; a <= A_SOURCE; a++) {
        bool any = false;
        for (size_t i = from; i < to && !any; i++)
            any = has(w, g_array_index(w->kids, const isakmp_item *, i), parent, (aspect)a);
        if (!any)
            continue;
        jkey(s, first, f->abbrev, suffix[a]);
        if (to - from > 1)
            g_string_append_c(s, '[');
        for (size_t i = from; i < to; i++) {
            const isakmp_item *it = g_array_index(w->kids, const isakmp_item *, i);
            if (i > from)
                g_string_append_c(s, ',');
            if (has(w, it, parent, (aspect)a))
                emit(w, it, (aspect)a);
            else
                g_string_append(s, "null");
        }
        if (to - from > 1)
            g_string_append_c(s, ']');
    }
}

static int cmp_field_then_order(const void *a, const void *b)
{
    const isakmp_item *x = *(const isakmp_item *const *)a, *y = *(const isakmp_item *const *)b;
    int fx = isakmp_item_field(x)->id, fy = isakmp_item_field(y)->id;
    if (fx != fy)
        return fx < fy ? -1 : 1;
    return (uintptr_t)x < (uintptr_t)y ? -1 : (uintptr_t)x > (uintptr_t)y;
}

static int cmp_first(const void *a, const void *b)
{
    const size_t *x = a, *y = b;   /* (start, end, first item address) triples */
    return x[2] < y[2] ? -1 : x[2] > y[2];
}

/* The children of `parent` as one object, grouped by field in order of
 * first appearance.  Items of a message live in one array in creation
 * order, which is tree order among siblings. */
static void object(jw *w, const isakmp_item *parent)
{
    GString *s = w->c->buf;
    size_t base = w->kids->len;
    for (const isakmp_item *c = isakmp_item_first_child(parent); c; c = isakmp_item_next(c))
        g_array_append_val(w->kids, c);
    size_t n = w->kids->len - base;
    g_string_append_c(s, '{');
    if (n) {
        const isakmp_item **k = &g_array_index(w->kids, const isakmp_item *, base);
        qsort(k, n, sizeof *k, cmp_field_then_order);
        size_t ngroups = 0;
        size_t *groups = g_new(size_t, 3 * n);
        for (size_t i = 0; i < n;) {
            size_t j = i + 1;
            while (j < n && isakmp_item_field(k[j]) == isakmp_item_field(k[i]))
                j++;
            groups[3 * ngroups] = base + i;
            groups[3 * ngroups + 1] = base + j;
            groups[3 * ngroups + 2] = (size_t)(uintptr_t)k[i];
            ngroups++;
            i = j;
        }
        qsort(groups, ngroups, 3 * sizeof(size_t), cmp_first);
        bool first = true;
        for (size_t g = 0; g < ngroups; g++)
            group(w, parent, groups[3 * g], groups[3 * g + 1], &first);
        g_free(groups);
    }
    g_string_append_c(s, '}');
    g_array_set_size(w->kids, base);
}

/* ---------------------------------------------------------------- records */

/* transport: "udp", "tcp", or "ip" (ESP as IP protocol 50: no ports). */
static void head(out_ctx *c, bool *first, const capture_frame *f, const isakmp_packet *p,
                 const char *type, const char *transport)
{
    GString *s = c->buf;
    char a[64];
    jkey(s, first, "schema", "");
    jstr(s, SCHEMA_ID);
    jkey(s, first, "type", "");
    jstr(s, type);
    if (c->file) {
        jkey(s, first, "file", "");
        jstr(s, c->file);
    }
    jkey(s, first, "frame", "");
    g_string_append_printf(s, "%u", f->frame);
    jkey(s, first, "ts_sec", "");
    g_string_append_printf(s, "%lld", (long long)f->ts_sec);
    jkey(s, first, "ts_nsec", "");
    g_string_append_printf(s, "%d", f->ts_nsec);
    time_t t = (time_t)f->ts_sec;
    struct tm tm;
    if (gmtime_r(&t, &tm)) {
        char when[64];
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
        jkey(s, first, "time", "");
        g_string_append_printf(s, "\"%s.%09dZ\"", when, f->ts_nsec);
    }
    jkey(s, first, "ip_version", "");
    g_string_append_printf(s, "%d", p->af);
    out_addr(a, sizeof a, p->af, p->src);
    jkey(s, first, "src", "");
    jstr(s, a);
    out_addr(a, sizeof a, p->af, p->dst);
    jkey(s, first, "dst", "");
    jstr(s, a);
    jkey(s, first, "transport", "");
    jstr(s, transport);
    if (strcmp(transport, "ip") == 0)
        return;
    jkey(s, first, "srcport", "");
    g_string_append_printf(s, "%u", p->sport);
    jkey(s, first, "dstport", "");
    g_string_append_printf(s, "%u", p->dport);
}

static void message(out_ctx *c, jw *w, const capture_frame *f, const isakmp_msg *m)
{
    GString *s = c->buf;
    const isakmp_packet *p = isakmp_msg_packet(m);
    bool first = true;
    g_string_append_c(s, '{');
    head(c, &first, f, p, "ike", p->tcp ? "tcp" : "udp");
    jkey(s, &first, "length", "");
    g_string_append_printf(s, "%zu", p->len);
    jkey(s, &first, "ike_version", "");
    g_string_append_printf(s, "%d", isakmp_msg_version(m));
    jkey(s, &first, "summary", "");
    GString *pl = g_string_new(NULL);
    out_msg_headline(pl, m);   /* the text summary's, not the Info column's (MID=00) */
    jstr(s, pl->str);
    jkey(s, &first, "payloads", "");
    g_string_truncate(pl, 0);
    out_payload_list(pl, m);
    jstr(s, pl->str);
    g_string_free(pl, TRUE);
    jkey(s, &first, "sources", "");
    g_string_append_c(s, '[');
    for (size_t i = 0; i < isakmp_msg_source_count(m); i++) {
        size_t len;
        isakmp_msg_source_data(m, i, &len);
        g_string_append(s, i ? ",{\"name\":" : "{\"name\":");
        jstr(s, isakmp_msg_source_name(m, i));
        g_string_append_printf(s, ",\"length\":%zu}", len);
    }
    g_string_append_c(s, ']');
    /* the root item, by the same rules as every other item */
    const isakmp_item *root = isakmp_msg_root(m);
    g_array_set_size(w->kids, 0);
    g_array_append_val(w->kids, root);
    group(w, NULL, 0, 1, &first);
    g_array_set_size(w->kids, 0);
    g_string_append(s, "}\n");
}

void out_json(out_ctx *c, const capture_frame *f, isakmp_msg *const *msgs, size_t n)
{
    static GArray *kids;   /* reused; the writers run on one thread */
    if (!kids)
        kids = g_array_sized_new(FALSE, FALSE, sizeof(const isakmp_item *), 256);
    GString *s = c->buf;
    if (f->keepalive) {
        bool first = true;
        g_string_truncate(s, 0);
        g_string_append_c(s, '{');
        head(c, &first, f, &f->ka, "nat-keepalive", "udp");
        g_string_append(s, "}\n");
        fwrite(s->str, 1, s->len, c->out);
    }
    if (f->esp_udp) {
        bool first = true;
        g_string_truncate(s, 0);
        g_string_append_c(s, '{');
        head(c, &first, f, &f->esp_pkt, "esp",
             f->esp_proto == 50 ? "ip" : f->esp_proto == 6 ? "tcp" : "udp");
        jkey(s, &first, "spi", "");
        g_string_append_printf(s, "\"%08x\"", f->esp_spi);
        jkey(s, &first, "seq", "");
        g_string_append_printf(s, "%u", f->esp_seq);
        if (c->esp)
            esp_describe_json(s, c->esp);
        g_string_append(s, "}\n");
        fwrite(s->str, 1, s->len, c->out);
    }
    for (size_t i = 0; i < n; i++) {
        jw w = { c, msgs[i], kids };
        note_index_set(&c->notes, msgs[i]);
        g_string_truncate(s, 0);
        message(c, &w, f, msgs[i]);
        fwrite(s->str, 1, s->len, c->out);
    }
}
