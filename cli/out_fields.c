/* -T fields (DESIGN.md contract 2) and -G fields. */
#include <stdlib.h>
#include <string.h>

#include "output.h"

/* Fields that come from the capture, not from the decoder. */
typedef enum { X_NONE, X_FRAME, X_IPSRC, X_IPDST, X_SPORT, X_DPORT } extra_kind;

struct out_fields {
    size_t n;
    char **names;
    const isakmp_field **fields;   /* NULL for the capture fields */
    extra_kind *extra;
    char sep, occ;
    bool header;
    GString *line, *cell;
};

static extra_kind extra_field(const char *name)
{
    static const struct { const char *name; extra_kind k; } tab[] = {
        { "frame.number", X_FRAME }, { "ip.src", X_IPSRC }, { "ipv6.src", X_IPSRC },
        { "ip.dst", X_IPDST }, { "ipv6.dst", X_IPDST }, { "udp.srcport", X_SPORT },
        { "udp.dstport", X_DPORT }, { "tcp.srcport", X_SPORT }, { "tcp.dstport", X_DPORT },
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (strcmp(tab[i].name, name) == 0)
            return tab[i].k;
    return X_NONE;
}

/* The known field whose name is closest to `name` (for "did you mean"). */
static const char *suggest(const char *name)
{
    size_t n;
    const isakmp_field *t = isakmp_fields(&n);
    const char *best = NULL;
    size_t best_score = 0;
    for (size_t i = 0; i < n; i++) {
        size_t s = 0;
        const char *a = name, *b = t[i].abbrev;
        while (*a && *b && *a == *b) { a++; b++; s++; }
        const char *sa = strrchr(name, '.'), *sb = strrchr(t[i].abbrev, '.');
        if (sa && sb && strcmp(sa, sb) == 0)
            s += 10;
        if (strstr(t[i].abbrev, name + (strncmp(name, "isakmp.", 7) == 0 ? 7 : 0)))
            s += 20;
        if (s > best_score) { best_score = s; best = t[i].abbrev; }
    }
    return best;
}

out_fields *out_fields_new(const char *const *names, size_t n, char sep, char occ, bool header,
                           char *err, size_t errlen)
{
    out_fields *o = calloc(1, sizeof *o);
    o->n = n;
    o->names = calloc(n ? n : 1, sizeof *o->names);
    o->fields = calloc(n ? n : 1, sizeof *o->fields);
    o->extra = calloc(n ? n : 1, sizeof *o->extra);
    o->sep = sep;
    o->occ = occ;
    o->header = header;
    o->line = g_string_sized_new(256);
    o->cell = g_string_sized_new(64);
    for (size_t i = 0; i < n; i++) {
        o->names[i] = strdup(names[i]);
        o->extra[i] = extra_field(names[i]);
        if (o->extra[i] != X_NONE)
            continue;
        o->fields[i] = isakmp_field_by_abbrev(names[i]);
        if (!o->fields[i]) {
            const char *s = suggest(names[i]);
            snprintf(err, errlen, "unknown field '%s'%s%s%s", names[i], s ? " (did you mean '" : "",
                     s ? s : "", s ? "'?)" : "");
            out_fields_free(o);
            return NULL;
        }
    }
    return o;
}

void out_fields_free(out_fields *o)
{
    if (!o)
        return;
    for (size_t i = 0; i < o->n; i++)
        free(o->names[i]);
    free(o->names);
    free(o->fields);
    free(o->extra);
    g_string_free(o->line, TRUE);
    g_string_free(o->cell, TRUE);
    free(o);
}

void out_fields_header(out_fields *o, FILE *out)
{
    if (!o->header)
        return;
    for (size_t i = 0; i < o->n; i++)
        fprintf(out, "%s%s", i ? (char[]){ o->sep, 0 } : "", o->names[i]);
    fputc('\n', out);
}

/* Appends every occurrence of field f under `it`, in tree order. */
static void collect(out_fields *o, const isakmp_item *it, const isakmp_field *f, bool *first)
{
    char buf[8192];
    for (const isakmp_item *c = isakmp_item_first_child(it); c; c = isakmp_item_next(c)) {
        if (isakmp_item_field(c) == f) {
            size_t len = isakmp_item_format_value(c, buf, sizeof buf);
            if (!*first)
                g_string_append_c(o->cell, o->occ);
            if (len < sizeof buf)
                g_string_append_len(o->cell, buf, (gssize)len);
            else {
                char *big = g_malloc(len + 1);
                isakmp_item_format_value(c, big, len + 1);
                g_string_append_len(o->cell, big, (gssize)len);
                g_free(big);
            }
            *first = false;
        }
        collect(o, c, f, first);
    }
}

static void extra_value(out_fields *o, extra_kind k, const capture_frame *f)
{
    char buf[64];
    const isakmp_packet *p = f->nmsgs ? &f->msgs[0] : NULL;
    switch (k) {
    case X_FRAME: g_string_append_printf(o->cell, "%u", f->frame); break;
    case X_IPSRC: if (p) { out_addr(buf, sizeof buf, p->af, p->src); g_string_append(o->cell, buf); } break;
    case X_IPDST: if (p) { out_addr(buf, sizeof buf, p->af, p->dst); g_string_append(o->cell, buf); } break;
    case X_SPORT: if (p) g_string_append_printf(o->cell, "%u", p->sport); break;
    case X_DPORT: if (p) g_string_append_printf(o->cell, "%u", p->dport); break;
    case X_NONE: break;
    }
}

void out_fields_frame(out_fields *o, FILE *out, const capture_frame *f, isakmp_msg *const *msgs,
                      size_t n)
{
    g_string_truncate(o->line, 0);
    for (size_t i = 0; i < o->n; i++) {
        g_string_truncate(o->cell, 0);
        if (o->extra[i] != X_NONE) {
            extra_value(o, o->extra[i], f);
        } else {
            bool first = true;
            for (size_t m = 0; m < n; m++) {
                const isakmp_item *root = isakmp_msg_root(msgs[m]);
                if (isakmp_item_field(root) == o->fields[i]) {
                    if (!first)
                        g_string_append_c(o->cell, o->occ);
                    first = false;
                }
                collect(o, root, o->fields[i], &first);
            }
        }
        if (i)
            g_string_append_c(o->line, o->sep);
        g_string_append_len(o->line, o->cell->str, (gssize)o->cell->len);
    }
    g_string_append_c(o->line, '\n');
    fwrite(o->line->str, 1, o->line->len, out);
}

static const char *ftype_name(isakmp_ftype t)
{
    static const char *const names[] = { "FT_NONE", "FT_UINT8", "FT_UINT16", "FT_UINT24",
                                         "FT_UINT32", "FT_UINT64", "FT_BOOLEAN", "FT_BYTES",
                                         "FT_STRING", "FT_IPv4", "FT_IPv6", "FT_FRAMENUM" };
    return (unsigned)t < sizeof names / sizeof names[0] ? names[t] : "FT_NONE";
}

static void base_name(char *buf, size_t size, const isakmp_field *f)
{
    static const char *const bases[] = { "", "BASE_DEC", "BASE_HEX", "BASE_DEC_HEX", "BASE_HEX_DEC" };
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
    for (size_t i = 0; i < n; i++) {
        char base[32];
        base_name(base, sizeof base, &t[i]);
        fprintf(out, "F\t%s\t%s\t%s\tike\t%s\t0x%llx\t%s\n", t[i].name, t[i].abbrev,
                ftype_name(t[i].type), base, (unsigned long long)t[i].bitmask, t[i].desc);
    }
}
