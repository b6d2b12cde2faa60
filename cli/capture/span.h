/*
 * span: a bounded view of captured bytes.  The capture layer reads packet
 * bytes only through these helpers; a read past the end yields zero (or an
 * empty span) instead of touching memory outside what was captured.
 */
#ifndef ISAKMPDUMP_SPAN_H
#define ISAKMPDUMP_SPAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    const uint8_t *p;
    size_t len;
} span;

static inline span span_of(const uint8_t *p, size_t len) { return (span){ p, p ? len : 0 }; }
static inline bool span_has(span s, size_t n) { return n <= s.len; }
static inline uint8_t span_u8(span s, size_t at) { return at < s.len ? s.p[at] : 0; }

static inline uint16_t span_u16(span s, size_t at)
{
    return at < s.len && s.len - at >= 2 ? (uint16_t)((s.p[at] << 8) | s.p[at + 1]) : 0;
}

static inline uint32_t span_u32(span s, size_t at)
{
    if (at >= s.len || s.len - at < 4)
        return 0;
    return ((uint32_t)s.p[at] << 24) | ((uint32_t)s.p[at + 1] << 16) |
           ((uint32_t)s.p[at + 2] << 8) | s.p[at + 3];
}

/* Little-endian reads, for pcapng blocks and BSD loopback headers. */
static inline uint16_t span_u16le(span s, size_t at)
{
    return at < s.len && s.len - at >= 2 ? (uint16_t)(s.p[at] | (s.p[at + 1] << 8)) : 0;
}

static inline uint32_t span_u32le(span s, size_t at)
{
    if (at >= s.len || s.len - at < 4)
        return 0;
    return s.p[at] | ((uint32_t)s.p[at + 1] << 8) | ((uint32_t)s.p[at + 2] << 16) |
           ((uint32_t)s.p[at + 3] << 24);
}

/* The bytes from `at` to the end (empty when `at` is past it). */
static inline span span_from(span s, size_t at)
{
    return at <= s.len ? (span){ s.p + at, s.len - at } : (span){ s.p + s.len, 0 };
}

/* At most the first n bytes. */
static inline span span_cut(span s, size_t n) { return n < s.len ? (span){ s.p, n } : s; }

/* n bytes from `at`, clipped to what is there. */
static inline span span_sub(span s, size_t at, size_t n) { return span_cut(span_from(s, at), n); }

/* Copies n bytes at `at` into out; false (out zeroed) when they are not all there. */
static inline bool span_copy(span s, size_t at, void *out, size_t n)
{
    if (at > s.len || s.len - at < n) {
        memset(out, 0, n);
        return false;
    }
    memcpy(out, s.p + at, n);
    return true;
}

static inline bool span_eq(span s, size_t at, const void *what, size_t n)
{
    return at <= s.len && s.len - at >= n && memcmp(s.p + at, what, n) == 0;
}

#endif
