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

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "obuf.h"
#include "output.h"

#define SCHEMA_ID "isakmpdump-json/2"

/* ---------------------------------------------------------------- scalars */

/* What each byte needs in a JSON string: 0 itself, 1 an escape, 2 not
 * ASCII (itself in valid UTF-8, else \u00XX). */
static const uint8_t jclass[256] = {
    [0 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0x7f] = 1, [0x80 ... 0xff] = 2,
};

/* A bit per byte of p[0..16) that needs more than itself (jclass not 0). */
static inline unsigned json_special16(const char *p)
{
#ifdef __SSE2__
    /* (x86-64 always has SSE2): a signed compare below 0x20 also catches
     * the bytes from 0x80 up */
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i bad = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
                               _mm_cmpeq_epi8(v, _mm_set1_epi8('"')));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)));
    return (unsigned)_mm_movemask_epi8(bad);
#else
    unsigned bad = 0;
    for (int i = 0; i < 16; i++)
        bad |= (unsigned)(jclass[(unsigned char)p[i]] != 0) << i;
    return bad;
#endif
}

/* One byte that needs more than itself, at o; returns the new end. */
static char *json_escape(char *o, unsigned char ch)
{
    static const char hx[] = "0123456789abcdef";
    *o++ = '\\';
    switch (ch) {
    case '"': *o++ = '"'; break;
    case '\\': *o++ = '\\'; break;
    case '\n': *o++ = 'n'; break;
    case '\r': *o++ = 'r'; break;
    case '\t': *o++ = 't'; break;
    default:
        memcpy(o, "u00", 3);
        o[3] = hx[ch >> 4];
        o[4] = hx[ch & 15];
        o += 5;
    }
    return o;
}

/* The room a string of n bytes may need, quoted and escaped (16 more: the
 * tail is stored as a whole block). */
#define JSTR_ROOM(n) (6 * (n) + 2 + 16)

/* p[0..n) as a JSON string at o, with JSTR_ROOM(n) of room; returns the end. */
static char *jstr_at(char *o, const char *p, size_t n)
{
    /* invalid UTF-8 is written byte by byte as \u00XX (Latin-1) so the
     * output stays valid JSON whatever the packet holds; the check runs
     * only for a string with a byte that is not ASCII */
    int utf8 = -1;   /* not checked yet */
    *o++ = '"';
    size_t i = 0;
    while (i < n) {
        /* sixteen bytes at a time, copied up to the first that needs more
         * than itself (labels and names are plain ASCII: byte by byte was a
         * tenth of -T json's instructions, the tails of strings most of it) */
        size_t take = n - i < 16 ? n - i : 16;
        char block[16];
        const char *q = p + i;
        if (take < 16) {   /* the tail, in a block of its own: p[n] may not be readable */
            memset(block, 0, sizeof block);   /* (defined: valgrind reads all sixteen) */
            ob_copy_short(block, q, take);
            q = block;
        }
        unsigned special = json_special16(q) & (unsigned)((1u << take) - 1);
        memcpy(o, q, 16);   /* all sixteen: the room is there */
        if (!special) {
            o += take;
            i += take;
            continue;
        }
        unsigned k = (unsigned)__builtin_ctz(special);
        o += k;
        i += k;
        unsigned char ch = (unsigned char)p[i++];
        if (jclass[ch] == 2) {
            if (utf8 < 0)
                utf8 = g_utf8_validate(p, (gssize)n, NULL);
            if (utf8) {
                *o++ = (char)ch;
                continue;
            }
        }
        o = json_escape(o, ch);
    }
    *o++ = '"';
    return o;
}

static void jstr_len(GString *s, const char *p, size_t n)
{
    char *o = ob_room(s, JSTR_ROOM(n));
    ob_commit(s, (size_t)(jstr_at(o, p, n) - o));
}

static void jstr(GString *s, const char *p) { jstr_len(s, p, strlen(p)); }

/* The room a key needs (comma, quotes, colon). */
#define JKEY_ROOM(klen, slen) ((klen) + (slen) + 4)

/* `,"KEYSUFFIX":` at o (no comma for the first); returns the end. */
static inline char *jkey_at(char *o, bool *first, const char *key, size_t klen, const char *suffix,
                            size_t slen)
{
    if (!*first)
        *o++ = ',';
    *first = false;
    *o++ = '"';
    ob_copy_short(o, key, klen);   /* filter names are plain ASCII */
    o += klen;
    ob_copy_short(o, suffix, slen);
    o += slen;
    *o++ = '"';
    *o++ = ':';
    return o;
}

static inline void jkey_len(GString *s, bool *first, const char *key, size_t klen, const char *suffix,
                            size_t slen)
{
    char *o = ob_room(s, JKEY_ROOM(klen, slen));
    ob_commit(s, (size_t)(jkey_at(o, first, key, klen, suffix, slen) - o));
}

/* A key of the record's head (a literal). */
#define JKEY(s, first, lit) jkey_len((s), (first), "" lit, sizeof(lit) - 1, "", 0)

/* ---------------------------------------------------------------- tree */

typedef struct {
    out_ctx *c;
    const isakmp_msg *m;
} jw;

/* n more places on the kids stack (shared by all levels; plain stores:
 * GArray's calls were a percent of -T json); returns the first. */
static const isakmp_item **kids_push(out_ctx *c, size_t n)
{
    if (c->kids.len + n > c->kids.cap) {
        c->kids.cap = MAX(2 * c->kids.cap, c->kids.len + n);
        c->kids.v = g_renew(const isakmp_item *, c->kids.v, c->kids.cap);
    }
    c->kids.len += n;
    return c->kids.v + c->kids.len - n;
}

static void object(jw *w, const isakmp_item *parent);

/* The room first made for a byte field's hex or an address: values
 * longer (certificates) are formatted again into room for all of them. */
enum { JSON_GUESS = 512 };

static void value(jw *w, const isakmp_item *it)
{
    GString *s = w->c->buf;
    const isakmp_field *f = isakmp_item_field(it);
    switch (f->type) {
    case ISAKMP_FT_NONE:
        object(w, it);   /* a subtree head: its value is its children */
        return;
    case ISAKMP_FT_BOOLEAN:
        if (isakmp_item_uint(it))
            OB_LIT(s, "true");
        else
            OB_LIT(s, "false");
        return;
    case ISAKMP_FT_UINT8:
    case ISAKMP_FT_UINT16:
    case ISAKMP_FT_UINT24:
    case ISAKMP_FT_UINT32:
    case ISAKMP_FT_UINT64:
    case ISAKMP_FT_FRAMENUM:
        ob_u64(s, isakmp_item_uint(it));
        return;
    case ISAKMP_FT_BYTES:
    case ISAKMP_FT_IPV4:
    case ISAKMP_FT_IPV6: {
        /* hex digits (or <MISSING>) and addresses need no escape: formatted
         * straight into the line, between quotes */
        ob_c(s, '"');
        size_t n = isakmp_item_format_value(it, ob_room(s, JSON_GUESS), JSON_GUESS + 1);
        if (n > JSON_GUESS)   /* long values (certificates): room for all of it */
            isakmp_item_format_value(it, ob_room(s, n), n + 1);
        ob_commit(s, n);
        ob_c(s, '"');
        return;
    }
    default: {
        /* strings as text (the -T fields form), escaped */
        char tmp[512];
        size_t n = isakmp_item_format_value(it, tmp, sizeof tmp);
        if (n < sizeof tmp) {
            jstr_len(s, tmp, n);
            return;
        }
        GString *x = w->c->scratch;   /* long strings */
        g_string_set_size(x, n);
        isakmp_item_format_value(it, x->str, n + 1);
        jstr_len(s, x->str, n);
        return;
    }
    }
}

static void notes(jw *w, const isakmp_item *it)
{
    GString *s = w->c->buf;
    size_t count, k = note_index_find(&w->c->notes, it, &count);
    ob_c(s, '[');
    for (size_t i = 0; i < count; i++) {
        const isakmp_note *n = note_index_get(&w->c->notes, k + i);
        if (i)
            ob_c(s, ',');
        OB_LIT(s, "{\"severity\":");
        jstr(s, isakmp_severity_name(n->severity));
        OB_LIT(s, ",\"code\":");
        jstr(s, isakmp_note_code_name(n->code));
        OB_LIT(s, ",\"text\":");
        jstr(s, n->text);
        ob_c(s, '}');
    }
    ob_c(s, ']');
}

typedef enum { A_VALUE, A_NAME, A_TREE, A_NOTES, A_LABEL, A_SOURCE, A_COUNT } aspect;

/* What one item has to say: a bit per aspect (arrays: null where one
 * occurrence lacks it), and its value's name, looked up once. */
typedef struct {
    unsigned has;
    const char *name;
} item_aspects;

static item_aspects aspects(jw *w, const isakmp_item *it, const isakmp_item *parent)
{
    const isakmp_field *f = isakmp_item_field(it);
    item_aspects ia = { 1u << A_VALUE, NULL };
    size_t count;
    if (f->type != ISAKMP_FT_BOOLEAN && (ia.name = isakmp_item_value_name(it)) != NULL)
        ia.has |= 1u << A_NAME;
    if (f->type != ISAKMP_FT_NONE && isakmp_item_first_child(it) != NULL)
        ia.has |= 1u << A_TREE;
    note_index_find(&w->c->notes, it, &count);
    if (count > 0)
        ia.has |= 1u << A_NOTES;
    if (isakmp_item_label(it) != NULL)
        ia.has |= 1u << A_LABEL;
    if (parent && isakmp_item_source(it) != isakmp_item_source(parent))
        ia.has |= 1u << A_SOURCE;
    return ia;
}

static void emit(jw *w, const isakmp_item *it, const item_aspects *ia, aspect a)
{
    GString *s = w->c->buf;
    switch (a) {
    case A_VALUE: value(w, it); break;
    case A_NAME: jstr(s, ia->name); break;
    case A_TREE: object(w, it); break;
    case A_NOTES: notes(w, it); break;
    case A_LABEL: jstr(s, isakmp_item_label(it)); break;
    case A_SOURCE: jstr(s, isakmp_msg_source_name(w->m, isakmp_item_source(it))); break;
    case A_COUNT: break;
    }
}

/* A single item's key and value in one reservation, for numbers,
 * booleans and the byte fields' hex (and addresses) up to JSON_GUESS
 * characters: the commonest pieces of the output ("ike.payloadlength":36);
 * false, and nothing written, for the other values. */
static bool jkey_scalar(GString *s, bool *first, const char *key, size_t klen,
                        const isakmp_field *f, const isakmp_item *it)
{
    char *start, *o;
    uint64_t v;
    switch (f->type) {
    case ISAKMP_FT_UINT8:
    case ISAKMP_FT_UINT16:
    case ISAKMP_FT_UINT24:
    case ISAKMP_FT_UINT32:
    case ISAKMP_FT_UINT64:
    case ISAKMP_FT_FRAMENUM:
        start = ob_room(s, JKEY_ROOM(klen, 0) + OB_U64_MAX);
        o = ob_u64_at(jkey_at(start, first, key, klen, "", 0), isakmp_item_uint(it));
        break;
    case ISAKMP_FT_BOOLEAN:
        start = ob_room(s, JKEY_ROOM(klen, 0) + 5);
        o = jkey_at(start, first, key, klen, "", 0);
        v = isakmp_item_uint(it);
        memcpy(o, v ? "true" : "false", v ? 4 : 5);
        o += v ? 4 : 5;
        break;
    case ISAKMP_FT_BYTES:
    case ISAKMP_FT_IPV4:
    case ISAKMP_FT_IPV6: {
        /* hex digits (or <MISSING>) and addresses need no escape; the
         * value is formatted first, after the key's place, so that a long
         * one (certificates) leaves nothing written for value() to redo */
        size_t at = (*first ? 0 : 1) + klen + 3 + 1;   /* [,]"KEY": and the quote */
        start = ob_room(s, at + JSON_GUESS + 2);
        size_t n = isakmp_item_format_value(it, start + at, JSON_GUESS + 1);
        if (n > JSON_GUESS)
            return false;
        o = jkey_at(start, first, key, klen, "", 0);
        *o++ = '"';
        o += n;   /* (o == start + at before this) */
        *o++ = '"';
        break;
    }
    default:
        return false;
    }
    ob_commit(s, (size_t)(o - start));
    return true;
}

/* Writes the group of items [from, to) of the kids stack (all of one field). */
static void group(jw *w, const isakmp_item *parent, size_t from, size_t to, bool *first)
{
    static const char *const suffix[] = { "", "/name", "/tree", "/notes", "/label", "/source" };
    static const uint8_t suffix_len[] = { 0, 5, 5, 6, 6, 7 };
    const isakmp_field *f = isakmp_item_field(w->c->kids.v[from]);
    GString *s = w->c->buf;
    size_t n = to - from, klen = w->c->key_len[f->id];
    if (!klen) {   /* (names are a few dozen bytes: a byte holds their length) */
        klen = strlen(f->abbrev);
        if (klen <= UINT8_MAX)
            w->c->key_len[f->id] = (uint8_t)klen;
    }
    item_aspects one[16], *ia = n <= G_N_ELEMENTS(one) ? one : g_new(item_aspects, n);
    unsigned any = 0;
    for (size_t i = 0; i < n; i++) {
        ia[i] = aspects(w, w->c->kids.v[from + i], parent);
        any |= ia[i].has;
    }
    unsigned todo = any;
    if (n == 1 && jkey_scalar(s, first, f->abbrev, klen, f, w->c->kids.v[from]))
        todo &= ~(1u << A_VALUE);   /* (every item has a value: it comes first) */
    for (; todo; todo &= todo - 1) {   /* each aspect any item has, in order */
        int a = __builtin_ctz(todo);
        jkey_len(s, first, f->abbrev, klen, suffix[a], suffix_len[a]);
        if (n > 1)
            ob_c(s, '[');
        for (size_t i = 0; i < n; i++) {
            if (i)
                ob_c(s, ',');
            /* (kids is read again: object() below may have grown it) */
            const isakmp_item *it = w->c->kids.v[from + i];
            if (a == A_VALUE)   /* every item has one */
                value(w, it);
            else if (ia[i].has & (1u << a))
                emit(w, it, &ia[i], (aspect)a);
            else
                OB_LIT(s, "null");
        }
        if (n > 1)
            ob_c(s, ']');
    }
    if (ia != one)
        g_free(ia);
}

/* A child and its sort key: its field's id, then its place (items of a
 * message live in one array in creation order, tree order among siblings). */
typedef struct {
    int field;
    const isakmp_item *it;
} kid_key;

static bool kid_before(const kid_key *x, const kid_key *y)
{
    return x->field != y->field ? x->field < y->field : (uintptr_t)x->it < (uintptr_t)y->it;
}

static int cmp_kid(const void *a, const void *b)
{
    const kid_key *x = a, *y = b;
    return kid_before(x, y) ? -1 : kid_before(y, x);
}

/* Sorts the keys (a total order, so any sort gives the same order):
 * insertion for the few children most items have, qsort for many. */
static void sort_kids(kid_key *k, size_t n)
{
    if (n > 24) {
        qsort(k, n, sizeof *k, cmp_kid);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        kid_key t = k[i];
        size_t j = i;
        for (; j > 0 && kid_before(&t, &k[j - 1]); j--)
            k[j] = k[j - 1];
        k[j] = t;
    }
}

typedef struct {
    size_t from, to;
    uintptr_t first;   /* the first item's address: its place in tree order */
} kid_group;

static int cmp_first(const void *a, const void *b)
{
    const kid_group *x = a, *y = b;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* Sorts the groups by their first item (insertion for few). */
static void sort_groups(kid_group *g, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        kid_group t = g[i];
        size_t j = i;
        for (; j > 0 && g[j - 1].first > t.first; j--)
            g[j] = g[j - 1];
        g[j] = t;
    }
}

/* A new stamp for out_ctx's kid_seen (all of it cleared when they wrap). */
static uint32_t kid_stamp(out_ctx *c)
{
    if (++c->kid_stamp == 0) {
        size_t nf;
        isakmp_fields(&nf);
        memset(c->kid_seen, 0, nf * sizeof *c->kid_seen);
        c->kid_stamp = 1;
    }
    return c->kid_stamp;
}

/* How many children `parent` has; *distinct when no two have the same
 * field (most levels): then each is a group of one, and sibling order,
 * which is creation order, is the order of first appearance: no sorting. */
static size_t count_kids(jw *w, const isakmp_item *parent, bool *distinct)
{
    uint32_t stamp = kid_stamp(w->c), *seen = w->c->kid_seen;
    size_t n = 0;
    *distinct = true;
    for (const isakmp_item *c = isakmp_item_first_child(parent); c; c = isakmp_item_next(c)) {
        int f = isakmp_item_field(c)->id;
        *distinct &= seen[f] != stamp;
        seen[f] = stamp;
        n++;
    }
    return n;
}

/* The children of `parent` as one object, grouped by field in order of
 * first appearance. */
static void object(jw *w, const isakmp_item *parent)
{
    GString *s = w->c->buf;
    size_t base = w->c->kids.len;
    bool distinct;
    size_t n = count_kids(w, parent, &distinct);
    ob_c(s, '{');
    if (n && distinct) {
        const isakmp_item **kids = kids_push(w->c, n);
        size_t i = 0;
        for (const isakmp_item *c = isakmp_item_first_child(parent); c; c = isakmp_item_next(c))
            kids[i++] = c;
        bool first = true;
        for (i = 0; i < n; i++)
            group(w, parent, base + i, base + i + 1, &first);
    } else if (n) {
        kid_key few[32], *k = n <= G_N_ELEMENTS(few) ? few : g_new(kid_key, n);
        size_t i = 0;
        for (const isakmp_item *c = isakmp_item_first_child(parent); c; c = isakmp_item_next(c))
            k[i++] = (kid_key){ isakmp_item_field(c)->id, c };
        sort_kids(k, n);
        const isakmp_item **kids = kids_push(w->c, n);
        for (i = 0; i < n; i++)
            kids[i] = k[i].it;
        size_t ngroups = 0;
        kid_group fewg[32], *groups = n <= G_N_ELEMENTS(fewg) ? fewg : g_new(kid_group, n);
        for (i = 0; i < n;) {
            size_t j = i + 1;
            while (j < n && k[j].field == k[i].field)
                j++;
            groups[ngroups++] = (kid_group){ base + i, base + j, (uintptr_t)k[i].it };
            i = j;
        }
        if (k != few)
            g_free(k);
        if (ngroups > 24)
            qsort(groups, ngroups, sizeof *groups, cmp_first);
        else
            sort_groups(groups, ngroups);
        bool first = true;
        for (size_t g = 0; g < ngroups; g++)
            group(w, parent, groups[g].from, groups[g].to, &first);
        if (groups != fewg)
            g_free(groups);
    }
    ob_c(s, '}');
    w->c->kids.len = base;
}

/* ---------------------------------------------------------------- records */

/* "2026-11-28T06:26:46": the second's text, kept for the frames that
 * follow in the same second; false when gmtime cannot say. */
static bool utc_second(out_ctx *c, int64_t sec)
{
    if (!c->jt_valid || c->jt_sec != sec) {
        time_t t = (time_t)sec;
        struct tm tm;
        c->jt_ok = gmtime_r(&t, &tm) != NULL;
        c->jt_len = c->jt_ok ? strftime(c->jt_text, sizeof c->jt_text, "%Y-%m-%dT%H:%M:%S", &tm)
                             : 0;
        c->jt_sec = sec;
        c->jt_valid = true;
    }
    return c->jt_ok;
}

/* A literal at o; the end. */
#define PUT_LIT(o, lit) (memcpy((o), "" lit, sizeof(lit) - 1), (o) + sizeof(lit) - 1)

/* An address between quotes (plain text: no escapes), "?" when it cannot
 * be told (out_addr); at most 2 + 46 bytes. */
static char *addr_at(char *o, int af, const uint8_t *addr)
{
    *o++ = '"';
    o += out_addr(o, 47, af, addr);
    *o++ = '"';
    return o;
}

/* The time's text: "2026-11-28T06:26:46.947718000Z" (the nanoseconds as
 * %09d: at least nine digits; a negative count, from a broken capture, by
 * printf). */
static char *time_at(char *o, out_ctx *c, int64_t nsec)
{
    *o++ = '"';
    memcpy(o, c->jt_text, c->jt_len);
    o += c->jt_len;
    *o++ = '.';
    if (nsec >= 0) {
        o = ob_u64_0_at(o, (uint64_t)nsec, 9);
    } else {
        o += g_snprintf(o, 24, "%09" G_GINT64_FORMAT, nsec);
    }
    return PUT_LIT(o, "Z\"");
}

/* transport: "udp", "tcp", or "ip" (ESP as IP protocol 50: no ports).
 * type and transport are plain literals.  Written through one pointer in
 * one reservation but for the file's name: a record's head was 5 % of
 * -T json, a reservation per piece. */
static void head(out_ctx *c, bool *first, const capture_frame *f, const isakmp_packet *p,
                 const char *type, const char *transport)
{
    GString *s = c->buf;
    size_t tlen = strlen(type), trlen = strlen(transport);
    char *start = ob_room(s, 64 + tlen), *o = start;
    *first = false;   /* the schema is a record's first key */
    o = PUT_LIT(o, "\"schema\":\"" SCHEMA_ID "\",\"type\":\"");
    memcpy(o, type, tlen);
    o += tlen;
    *o++ = '"';
    ob_commit(s, (size_t)(o - start));
    if (c->file) {
        JKEY(s, first, "file");
        jstr(s, c->file);
    }
    /* 9 keys (~100 bytes), 6 numbers, 2 addresses, the time */
    o = start = ob_room(s, 160 + 6 * OB_U64_MAX + 2 * 48 + sizeof c->jt_text + 24 + trlen);
    o = ob_u64_at(PUT_LIT(o, ",\"frame\":"), f->frame);
    o = ob_i64_at(PUT_LIT(o, ",\"ts_sec\":"), f->ts_sec);
    o = ob_i64_at(PUT_LIT(o, ",\"ts_nsec\":"), f->ts_nsec);
    if (utc_second(c, f->ts_sec))
        o = time_at(PUT_LIT(o, ",\"time\":"), c, f->ts_nsec);
    o = ob_i64_at(PUT_LIT(o, ",\"ip_version\":"), p->af);
    o = addr_at(PUT_LIT(o, ",\"src\":"), p->af, p->src);
    o = addr_at(PUT_LIT(o, ",\"dst\":"), p->af, p->dst);
    o = PUT_LIT(o, ",\"transport\":\"");
    memcpy(o, transport, trlen);
    o += trlen;
    *o++ = '"';
    if (strcmp(transport, "ip") != 0) {
        o = ob_u64_at(PUT_LIT(o, ",\"srcport\":"), p->sport);
        o = ob_u64_at(PUT_LIT(o, ",\"dstport\":"), p->dport);
    }
    ob_commit(s, (size_t)(o - start));
}

static void message(out_ctx *c, jw *w, const capture_frame *f, const isakmp_msg *m)
{
    GString *s = c->buf, *pl = c->scratch;
    const isakmp_packet *p = isakmp_msg_packet(m);
    bool first = true;
    ob_c(s, '{');
    head(c, &first, f, p, "ike", p->tcp ? "tcp" : "udp");
    JKEY(s, &first, "length");
    ob_u64(s, p->len);
    JKEY(s, &first, "ike_version");
    ob_i64(s, isakmp_msg_version(m));
    JKEY(s, &first, "summary");
    g_string_truncate(pl, 0);
    out_msg_headline(pl, m);   /* the text summary's head, the plugin's Info column */
    jstr_len(s, pl->str, pl->len);
    JKEY(s, &first, "payloads");
    g_string_truncate(pl, 0);
    out_payload_list(pl, m);
    jstr_len(s, pl->str, pl->len);
    JKEY(s, &first, "sources");
    ob_c(s, '[');
    for (size_t i = 0; i < isakmp_msg_source_count(m); i++) {
        size_t len;
        isakmp_msg_source_data(m, i, &len);
        if (i)
            OB_LIT(s, ",{\"name\":");
        else
            OB_LIT(s, "{\"name\":");
        jstr(s, isakmp_msg_source_name(m, i));
        OB_LIT(s, ",\"length\":");
        ob_u64(s, len);
        ob_c(s, '}');
    }
    ob_c(s, ']');
    /* the root item, by the same rules as every other item */
    const isakmp_item *root = isakmp_msg_root(m);
    c->kids.len = 0;
    *kids_push(c, 1) = root;
    group(w, NULL, 0, 1, &first);
    c->kids.len = 0;
    OB_LIT(s, "}\n");
}

void out_json_frame(out_ctx *c, const capture_frame *f, isakmp_msg *const *msgs, size_t n)
{
    GString *s = c->buf;
    if (f->keepalive) {
        bool first = true;
        ob_c(s, '{');
        head(c, &first, f, &f->ka, "nat-keepalive", "udp");
        OB_LIT(s, "}\n");
    }
    /* one record per ESP packet (a TCP segment may carry several) */
    for (size_t i = 0; f->esp_udp && i <= f->nesp_more; i++) {
        bool first = true;
        ob_c(s, '{');
        head(c, &first, f, &f->esp_pkt, "esp",
             f->esp_proto == 50 ? "ip" : f->esp_proto == 6 ? "tcp" : "udp");
        JKEY(s, &first, "spi");
        ob_c(s, '"');
        ob_hex(s, i ? f->esp_more_spi[i - 1] : f->esp_spi, 8);
        ob_c(s, '"');
        JKEY(s, &first, "seq");
        ob_u64(s, i ? f->esp_more_seq[i - 1] : f->esp_seq);
        if (c->esp)
            esp_describe_json(s, c->esp, i);
        OB_LIT(s, "}\n");
    }
    for (size_t i = 0; i < n; i++) {
        jw w = { c, msgs[i] };
        note_index_set(&c->notes, msgs[i]);
        message(c, &w, f, msgs[i]);
    }
}

void out_json(out_ctx *c, const capture_frame *f, isakmp_msg *const *msgs, size_t n)
{
    g_string_truncate(c->buf, 0);
    out_json_frame(c, f, msgs, n);
    fwrite(c->buf->str, 1, c->buf->len, c->out);
}
