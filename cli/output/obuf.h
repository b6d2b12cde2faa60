/*
 * Appending to a writer's line buffer (a GString) without a call per
 * piece: room is made once, bytes are stored, the length moves.  The JSON,
 * tree and summary writers format every value through these; GLib's
 * g_string_append / _printf cost a function call, a strlen and (printf) a
 * format parse per value, which was most of -T json's time.
 */
#ifndef ISAKMPDUMP_OBUF_H
#define ISAKMPDUMP_OBUF_H

#include <glib.h>
#include <stdint.h>
#include <string.h>

/* ob_room's growth, out of line so that the check itself is always
 * inlined (LTO left a called copy of the whole in -T json: 1.4 % of it). */
static __attribute__((noinline, unused)) void ob_grow(GString *s, size_t n)
{
    size_t at = s->len;
    g_string_set_size(s, at + n);
    s->len = at;
}

/* Makes room for n more bytes (and the NUL); returns where they go. */
__attribute__((always_inline)) static inline char *ob_room(GString *s, size_t n)
{
    if (G_UNLIKELY(s->len + n >= s->allocated_len))
        ob_grow(s, n);
    return s->str + s->len;
}

/* The n bytes at src to dst without a call to memcpy (whose call was a
 * twentieth of -T json, copying keys of a few dozen bytes): sixteen at a
 * time, the last block overlapping the one before; under sixteen, two
 * overlapping loads of eight or four.  Reads and writes src[0..n),
 * dst[0..n) only. */
static inline void ob_copy_short(char *dst, const char *src, size_t n)
{
    if (n >= 16) {
        size_t i = 0;
        for (; i + 16 <= n; i += 16)
            memcpy(dst + i, src + i, 16);
        if (i < n)
            memcpy(dst + n - 16, src + n - 16, 16);
    } else if (n >= 8) {
        uint64_t a, b;
        memcpy(&a, src, 8);
        memcpy(&b, src + n - 8, 8);
        memcpy(dst, &a, 8);
        memcpy(dst + n - 8, &b, 8);
    } else if (n >= 4) {
        uint32_t a, b;
        memcpy(&a, src, 4);
        memcpy(&b, src + n - 4, 4);
        memcpy(dst, &a, 4);
        memcpy(dst + n - 4, &b, 4);
    } else if (n) {
        dst[0] = src[0];
        dst[n / 2] = src[n / 2];
        dst[n - 1] = src[n - 1];
    }
}

/* n bytes were stored at ob_room's pointer. */
static inline void ob_commit(GString *s, size_t n)
{
    s->len += n;
    s->str[s->len] = 0;
}

static inline void ob_put(GString *s, const char *p, size_t n)
{
    memcpy(ob_room(s, n), p, n);
    ob_commit(s, n);
}

static inline void ob_puts(GString *s, const char *p) { ob_put(s, p, strlen(p)); }

/* A string literal, its length known at compile time. */
#define OB_LIT(s, lit) ob_put((s), "" lit, sizeof(lit) - 1)

static inline void ob_c(GString *s, char ch)
{
    *ob_room(s, 1) = ch;
    ob_commit(s, 1);
}

/* n copies of ch (indentation). */
static inline void ob_fill(GString *s, char ch, size_t n)
{
    memset(ob_room(s, n), ch, n);
    ob_commit(s, n);
}

/* The most digits of a uint64_t. */
#define OB_U64_MAX 20

/* Decimal, as %llu, at o (room for OB_U64_MAX); returns the end.  Two
 * digits a division (a number is the commonest value of every output). */
static inline char *ob_u64_at(char *o, uint64_t v)
{
    static const char pairs[] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
        "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    char tmp[OB_U64_MAX];
    size_t n = sizeof tmp;
    while (v >= 100) {
        n -= 2;
        memcpy(tmp + n, pairs + 2 * (v % 100), 2);
        v /= 100;
    }
    if (v >= 10) {
        n -= 2;
        memcpy(tmp + n, pairs + 2 * v, 2);
    } else {
        tmp[--n] = (char)('0' + v);
    }
    memcpy(o, tmp + n, sizeof tmp - n);
    return o + (sizeof tmp - n);
}

/* Decimal, as %lld, at o (room for 1 + OB_U64_MAX); returns the end. */
static inline char *ob_i64_at(char *o, int64_t v)
{
    if (v < 0) {
        *o++ = '-';
        return ob_u64_at(o, (uint64_t)0 - (uint64_t)v);
    }
    return ob_u64_at(o, (uint64_t)v);
}

/* Decimal, as %llu. */
static inline void ob_u64(GString *s, uint64_t v)
{
    char *o = ob_room(s, OB_U64_MAX);
    ob_commit(s, (size_t)(ob_u64_at(o, v) - o));
}

/* Decimal, as %lld. */
static inline void ob_i64(GString *s, int64_t v)
{
    char *o = ob_room(s, 1 + OB_U64_MAX);
    ob_commit(s, (size_t)(ob_i64_at(o, v) - o));
}

/* Decimal with at least `width` digits, zeros before (as %0*u; width <=
 * 20), at o (room for OB_U64_MAX); returns the end. */
static inline char *ob_u64_0_at(char *o, uint64_t v, int width)
{
    char tmp[OB_U64_MAX];
    int n = (int)sizeof tmp;
    do
        tmp[--n] = (char)('0' + v % 10);
    while ((v /= 10) || (int)sizeof tmp - n < width);
    memcpy(o, tmp + n, sizeof tmp - (size_t)n);
    return o + (sizeof tmp - (size_t)n);
}

static inline void ob_u64_0(GString *s, uint64_t v, int width)
{
    char *o = ob_room(s, OB_U64_MAX);
    ob_commit(s, (size_t)(ob_u64_0_at(o, v, width) - o));
}

/* Hex with `width` digits, lower case (as %0*x, width <= 16). */
static inline void ob_hex(GString *s, uint64_t v, int width)
{
    static const char hx[] = "0123456789abcdef";
    int digits = width;
    while (digits < 16 && (v >> (4 * digits)))
        digits++;
    char *p = ob_room(s, (size_t)digits);
    for (int i = digits - 1; i >= 0; i--)
        *p++ = hx[(v >> (4 * i)) & 15];
    ob_commit(s, (size_t)digits);
}

#endif
