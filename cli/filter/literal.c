/*
 * Display filters: a literal's text converted to the type of the field it
 * is compared with (wireshark-filter(4), "Protocol field types"):
 *
 *   integers   decimal, 0x hex, 0 octal (strtoull base 0, as Wireshark);
 *              a value name ("IKE_SA_INIT", quoted or not, any case)
 *   booleans   1 / 0, true / false in any case
 *   bytes      1d:7c:87, 1d-7c-87, 1d.7c.87 or plain hex 1d7c87; 0xff for
 *              one byte; a quoted string stands for its own bytes
 *   strings    "quoted" (escapes \n \" \xhh \ooo ...) or a bare word
 *   addresses  192.0.2.1, 2001:db8::1, with /N for a network (CIDR)
 *   times      seconds with a fraction, 1.25 (frame.time_relative)
 *   absolute   "2026-11-28 06:26:47.5", "2026-11-28T06:26:47", "Nov 28, 2026
 *   times      06:26:47.5", a date alone: local time, UTC with a Z or " UTC"
 *              after it; or seconds since 1970 (frame.time, frame.time_epoch)
 *   Ethernet   00:11:22:33:44:55 (or - . separators, or plain hex): 6 bytes
 *
 * Value names: a field whose names are in the field table (vals) takes
 * only those, as Wireshark does; one whose names depend on the message (the
 * exchange type's IKEv1 / IKEv2 names) compares the name of each
 * occurrence at run time (isakmp_item_value_name), for ==, !=, === and
 * in only.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "filter_int.h"

void filter_literal_clear(literal *l)
{
    g_free(l->own);
    g_free(l->name);
    if (l->re)
        g_regex_unref(l->re);
    memset(l, 0, sizeof *l);
}

static const char *type_name(fv_type t)
{
    static const char *const names[] = { "no value", "an unsigned integer", "a boolean",
                                         "a byte sequence", "a character string",
                                         "an IPv4 address", "an IPv6 address", "a time",
                                         "an absolute time", "an Ethernet address" };
    return names[t];
}

static bool parse_uint(const char *s, uint64_t *v)
{
    if (!g_ascii_isdigit(s[0]))
        return false;
    char *end;
    errno = 0;
    *v = g_ascii_strtoull(s, &end, 0);
    return !*end && errno == 0;
}

/* A name of the field's table, any case. */
static bool name_value(const isakmp_value_name *vals, const char *s, uint64_t *lo, uint64_t *hi)
{
    for (; vals && vals->name; vals++)
        if (g_ascii_strcasecmp(vals->name, s) == 0) {
            *lo = vals->lo;
            *hi = vals->hi;
            return true;
        }
    return false;
}

static bool uint_literal(const flt_field *r, const token *t, cmp_op op, literal *l,
                         fval *v, filter_error *e)
{
    uint64_t max = r->bits >= 64 ? UINT64_MAX : (UINT64_C(1) << r->bits) - 1;
    if (t->kind == T_WORD && parse_uint(t->text, &v->u)) {
        if (v->u > max) {
            filter_fail(e, t->col, t->len, "%s is too large for %s (at most %llu)", t->text,
                        r->name, (unsigned long long)max);
            return false;
        }
        return true;
    }
    uint64_t hi;
    if (r->field && r->field->vals) {
        if (name_value(r->field->vals, t->text, &v->u, &hi)) {
            if (hi != v->u && v == &l->lo) {   /* a name for a range of values */
                l->hi.u = hi;
                l->range = true;
            }
            return true;
        }
        filter_fail(e, t->col, t->len, "\"%s\" cannot be found among the values of %s", t->text,
                    r->name);
        return false;
    }
    if (r->src == SRC_IKE && v == &l->lo && strlen(t->text) == t->text_len &&
        (op == OP_EQ || op == OP_ALL_NE || op == OP_ANY_NE || op == OP_ALL_EQ)) {
        l->name = g_strdup(t->text);   /* names that depend on the message */
        return true;
    }
    filter_fail(e, t->col, t->len, "\"%s\" is not a valid number for %s", t->text, r->name);
    return false;
}

static bool bool_literal(const flt_field *r, const token *t, fval *v, filter_error *e)
{
    if (g_ascii_strcasecmp(t->text, "true") == 0)
        v->u = 1;
    else if (g_ascii_strcasecmp(t->text, "false") == 0)
        v->u = 0;
    else if (t->kind == T_WORD && parse_uint(t->text, &v->u))
        v->u = v->u != 0;
    else {
        filter_fail(e, t->col, t->len, "\"%s\" is not a valid boolean for %s (true, false, 1, 0)",
                    t->text, r->name);
        return false;
    }
    return true;
}

/* Hex bytes: separated by ':', '-' or '.' (one or two digits each), or
 * plain pairs of digits.  NULL when the text is not that. */
static GByteArray *hex_bytes(const char *s)
{
    GByteArray *b = g_byte_array_new();
    char sep = 0;
    for (const char *c = s; *c; c++)
        if (*c == ':' || *c == '-' || *c == '.') {
            sep = *c;
            break;
        }
    const char *c = s;
    while (*c) {
        size_t n = 0;
        while (g_ascii_isxdigit(c[n]) && (sep || n < 2))
            n++;
        bool ok = n >= 1 && n <= 2 && (sep || n == 2 || (c == s && !c[n]));
        if (!ok) {
            g_byte_array_free(b, TRUE);
            return NULL;
        }
        guint8 v = (guint8)g_ascii_xdigit_value(c[0]);
        if (n == 2)
            v = (guint8)(v * 16 + g_ascii_xdigit_value(c[1]));
        g_byte_array_append(b, &v, 1);
        c += n;
        if (sep && *c == sep && c[1])
            c++;
        else if (*c && (sep || *c == ':' || *c == '-' || *c == '.')) {
            g_byte_array_free(b, TRUE);
            return NULL;
        }
    }
    if (b->len == 0) {
        g_byte_array_free(b, TRUE);
        return NULL;
    }
    return b;
}

static void own_bytes(literal *l, fval *v, const void *p, size_t n)
{
    uint8_t *copy = g_malloc(n ? n : 1);
    memcpy(copy, p, n);
    if (v == &l->hi) {   /* the low end's bytes stay owned too */
        uint8_t *both = g_malloc(l->lo.len + n + 1);
        memcpy(both, l->lo.p, l->lo.len);
        memcpy(both + l->lo.len, copy, n);
        g_free(copy);
        g_free(l->own);
        l->own = both;
        l->lo.p = both;
        v->p = both + l->lo.len;
    } else {
        g_free(l->own);
        l->own = copy;
        v->p = copy;
    }
    v->len = n;
}

static bool bytes_literal(const flt_field *r, const token *t, literal *l, fval *v,
                          filter_error *e)
{
    if (t->kind == T_STRING) {
        own_bytes(l, v, t->text, t->text_len);
        return true;
    }
    uint64_t byte;
    if ((t->text[0] == '0' && (t->text[1] == 'x' || t->text[1] == 'X')) &&
        parse_uint(t->text, &byte) && byte <= 0xff) {   /* 0xff: one byte, as Wireshark */
        uint8_t one = (uint8_t)byte;
        own_bytes(l, v, &one, 1);
        return true;
    }
    GByteArray *b = hex_bytes(t->text);
    if (!b) {
        filter_fail(e, t->col, t->len, "\"%s\" is not a valid byte sequence for %s", t->text,
                    r->name);
        return false;
    }
    own_bytes(l, v, b->data, b->len);
    g_byte_array_free(b, TRUE);
    return true;
}

static bool addr_literal(const flt_field *r, const token *t, literal *l, fval *v,
                         filter_error *e)
{
    bool v6 = r->type == FV_IPV6;
    unsigned full = v6 ? 128 : 32, prefix = full;
    char *text = g_strdup(t->text);
    char *slash = strchr(text, '/');
    bool ok = true;
    if (slash) {
        *slash = 0;
        uint64_t p;
        ok = parse_uint(slash + 1, &p) && p <= full;
        prefix = (unsigned)p;
    }
    uint8_t a[16];
    ok = ok && inet_pton(v6 ? AF_INET6 : AF_INET, text, a) == 1;
    g_free(text);
    if (!ok) {
        filter_fail(e, t->col, t->len, "\"%s\" is not a valid %s%s", t->text,
                    v6 ? "IPv6 address" : "IPv4 address", slash ? " / prefix length" : "");
        return false;
    }
    own_bytes(l, v, a, v6 ? 16 : 4);
    if (v == &l->lo)
        l->prefix = prefix;
    return true;
}

static bool time_literal(const flt_field *r, const token *t, fval *v, filter_error *e)
{
    const char *s = t->text;
    bool neg = s[0] == '-';
    s += neg;
    int64_t sec = 0, frac = 0, scale = 1000000000;
    size_t digits = 0;
    while (g_ascii_isdigit(*s) && sec < INT64_MAX / 100) {
        sec = sec * 10 + (*s++ - '0');
        digits++;
    }
    if (*s == '.')
        for (s++; g_ascii_isdigit(*s); s++, digits++)
            if (scale > 1) {
                scale /= 10;
                frac += (*s - '0') * scale;
            }
    if (*s || !digits || sec > INT64_MAX / 1000000000 - 1) {
        filter_fail(e, t->col, t->len, "\"%s\" is not a valid time in seconds for %s", t->text,
                    r->name);
        return false;
    }
    v->ns = (sec * 1000000000 + frac) * (neg ? -1 : 1);
    return true;
}

/* "hh:mm:ss[.frac]" at *p into tm and *frac (nanoseconds). */
static bool clock_part(const char **p, struct tm *tm, int64_t *frac)
{
    int n = 0;
    if (sscanf(*p, "%2d:%2d:%2d%n", &tm->tm_hour, &tm->tm_min, &tm->tm_sec, &n) != 3 || n < 5)
        return false;
    *p += n;
    int64_t scale = 1000000000;
    if (**p == '.')
        for ((*p)++; g_ascii_isdigit(**p); (*p)++)
            if (scale > 1) {
                scale /= 10;
                *frac += (**p - '0') * scale;
            }
    return tm->tm_hour < 24 && tm->tm_min < 60 && tm->tm_sec <= 60;
}

/* Wireshark's absolute time literals: ISO 8601 "2026-11-28 06:26:47.5"
 * (or with a T), "Nov 28, 2026 06:26:47.5", a date alone; in local time,
 * or UTC when followed by "Z" or " UTC".  Nanoseconds since 1970. */
static bool abs_time(const char *s, int64_t *ns)
{
    static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    struct tm tm = { 0 };
    int y, mo = 0, d, n = 0;
    char mon[4] = "";
    const char *p;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) == 3 && n == 10) {
        p = s + n;
    } else if (sscanf(s, "%3[A-Za-z] %2d, %4d%n", mon, &d, &y, &n) == 3) {
        for (int i = 0; i < 12 && !mo; i++)
            if (g_ascii_strcasecmp(mon, months[i]) == 0)
                mo = i + 1;
        p = s + n;
    } else {
        return false;
    }
    int64_t frac = 0;
    if ((*p == ' ' || *p == 'T') && g_ascii_isdigit(p[1])) {
        p++;
        if (!clock_part(&p, &tm, &frac))
            return false;
    }
    bool utc = strcmp(p, "Z") == 0 || strcmp(p, " UTC") == 0 || strcmp(p, "UTC") == 0;
    if (*p && !utc)
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1900)
        return false;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_isdst = -1;
    time_t t = utc ? timegm(&tm) : mktime(&tm);
    if (t == (time_t)-1 && !(utc && y == 1969))
        return false;
    /* nanoseconds in 64 bits: up to the year 2262 (past it: an error, not
     * an overflow; found by fuzz_filter) */
    if ((int64_t)t >= INT64_MAX / 1000000000 || (int64_t)t <= INT64_MIN / 1000000000)
        return false;
    *ns = (int64_t)t * 1000000000 + frac;
    return true;
}

static bool abs_time_literal(const flt_field *r, const token *t, fval *v, filter_error *e)
{
    if (t->kind == T_WORD && g_ascii_isdigit(t->text[0])) {   /* seconds since 1970 */
        if (time_literal(r, t, v, e))
            return true;
    } else if (abs_time(t->text, &v->ns)) {
        return true;
    }
    filter_fail(e, t->col, t->len,
                "\"%s\" is not a valid absolute time for %s. Example: \"Nov 12, 1999 "
                "08:55:44.123\" or \"2011-07-04 12:34:56\"", t->text, r->name);
    return false;
}

/* Three groups of four hex digits separated by dots. */
static bool dotted_ether(const char *s, uint8_t a[6])
{
    if (strlen(s) != 14 || s[4] != '.' || s[9] != '.')
        return false;
    for (size_t i = 0, k = 0; i < 14; i += 5)
        for (size_t j = 0; j < 4; j += 2, k++) {
            if (!g_ascii_isxdigit(s[i + j]) || !g_ascii_isxdigit(s[i + j + 1]))
                return false;
            a[k] = (uint8_t)(g_ascii_xdigit_value(s[i + j]) * 16 +
                             g_ascii_xdigit_value(s[i + j + 1]));
        }
    return true;
}

static bool ether_literal(const flt_field *r, const token *t, literal *l, fval *v,
                          filter_error *e)
{
    uint8_t a[6];
    if (t->kind == T_WORD && dotted_ether(t->text, a)) {   /* 0011.2233.4455 (Cisco) */
        own_bytes(l, v, a, 6);
        return true;
    }
    if (t->kind == T_WORD && bytes_literal(r, t, l, v, e)) {
        if (v->len == 6)
            return true;
        filter_fail(e, t->col, t->len, "\"%s\" contains too %s bytes to be a valid Ethernet "
                    "address", t->text, v->len < 6 ? "few" : "many");
        return false;
    }
    if (t->kind == T_STRING)
        filter_fail(e, t->col, t->len, "\"%s\" is not a valid Ethernet address for %s", t->text,
                    r->name);
    return false;
}

/* One end of a literal (lo or hi). */
static bool convert(const flt_field *r, const token *t, cmp_op op, literal *l, fval *v,
                    filter_error *e)
{
    switch (r->type) {
    case FV_UINT: return uint_literal(r, t, op, l, v, e);
    case FV_BOOL: return bool_literal(r, t, v, e);
    case FV_BYTES: return bytes_literal(r, t, l, v, e);
    case FV_STRING: own_bytes(l, v, t->text, t->text_len); return true;
    case FV_IPV4: case FV_IPV6: return addr_literal(r, t, l, v, e);
    case FV_TIME: return time_literal(r, t, v, e);
    case FV_ABSTIME: return abs_time_literal(r, t, v, e);
    case FV_ETHER:   /* contains: any bytes */
        return op == OP_CONTAINS ? bytes_literal(r, t, l, v, e) : ether_literal(r, t, l, v, e);
    case FV_NONE: break;
    }
    filter_fail(e, t->col, t->len, "%s has no value to compare", r->name);
    return false;
}

/* contains / matches apply to strings and bytes, as in Wireshark. */
bool filter_op_fits(const flt_field *r, const token *t, cmp_op op, filter_error *e)
{
    bool bytes = r->type == FV_STRING || r->type == FV_BYTES || (r->type == FV_ETHER && op == OP_CONTAINS);
    if ((op == OP_CONTAINS || op == OP_MATCHES) && !bytes) {
        filter_fail(e, t->col, t->len, "%s (%s) cannot take part in a \"%s\" comparison", r->name,
                    type_name(r->type), op == OP_CONTAINS ? "contains" : "matches");
        return false;
    }
    return true;
}

bool filter_literal(const flt_field *r, const token *t, cmp_op op, literal *l, filter_error *e)
{
    memset(l, 0, sizeof *l);
    if (op == OP_MATCHES) {
        GError *ge = NULL;
        /* raw: field strings are bytes, not always UTF-8 */
        l->re = g_regex_new(t->text, G_REGEX_RAW | G_REGEX_OPTIMIZE, 0, &ge);
        if (!l->re) {
            filter_fail(e, t->col, t->len, "bad regular expression: %s", ge->message);
            g_error_free(ge);
            return false;
        }
        return true;
    }
    if (!convert(r, t, op, l, &l->lo, e))
        return false;
    if (!l->range)
        l->hi = l->lo;
    return true;
}

bool filter_literal_hi(const flt_field *r, const token *t, literal *l, filter_error *e)
{
    if (l->name || l->range || r->type == FV_BOOL) {
        filter_fail(e, t->col, t->len, "a range needs two values that can be ordered");
        return false;
    }
    if (!convert(r, t, OP_EQ, l, &l->hi, e))
        return false;
    l->range = true;
    return true;
}
