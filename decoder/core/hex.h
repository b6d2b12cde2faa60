/*
 * Hex and address text, the library's one copy of each: lowercase hex of
 * bytes (byte fields' values, key tables, notes), hex digits back into bytes
 * (key tables, secrets files, daemon logs), addresses as text.  The encoder
 * and the address formatter are public (isakmp_format_hex,
 * isakmp_format_addr in isakmp.h), for the CLI and other programs.
 */
#ifndef ISAKMP_HEX_H
#define ISAKMP_HEX_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "isakmp/isakmp.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

extern const char hex_pairs[513];

#ifdef __SSE2__
/* The 32 hex digits of in[0..16) at out (x86-64 always has SSE2): nibbles
 * split and interleaved, then '0' added, and 'a' - '0' - 10 more to those
 * above 9.  Keys, nonces, hashes and encrypted data are hundreds of bytes:
 * a table look-up per byte was most of -T json's value formatting. */
/* The sixteen digits of the eight bytes in v's low half, in a register. */
static inline __m128i hex_digits8(__m128i v)
{
    const __m128i low4 = _mm_set1_epi8(0x0f);
    __m128i d = _mm_unpacklo_epi8(_mm_and_si128(_mm_srli_epi16(v, 4), low4),
                                  _mm_and_si128(v, low4));
    __m128i letters = _mm_and_si128(_mm_cmpgt_epi8(d, _mm_set1_epi8(9)),
                                    _mm_set1_epi8('a' - '0' - 10));
    return _mm_add_epi8(_mm_add_epi8(d, _mm_set1_epi8('0')), letters);
}

static inline void hex16(char *out, const uint8_t *in)
{
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)in);
    _mm_storeu_si128((__m128i *)(void *)out, hex_digits8(v));
    _mm_storeu_si128((__m128i *)(void *)(out + 16), hex_digits8(_mm_srli_si128(v, 8)));
}

/* The same for in[0..8): SPIs and IKEv1 cookies, in every message. */
static inline void hex8(char *out, const uint8_t *in)
{
    __m128i v = _mm_loadl_epi64((const __m128i *)(const void *)in);
    _mm_storeu_si128((__m128i *)(void *)out, hex_digits8(v));
}
#endif

/* Lowercase hex of b[0..n) into buf, NUL-terminated, cut to whole bytes;
 * returns 2n (snprintf semantics).  Inline: -T fields formats the SPIs and
 * vendor IDs of every message with it (isakmp_format_hex is its public form). */
static inline size_t hex_encode(const uint8_t *b, size_t n, char *buf, size_t size)
{
    size_t need = 2 * n;
    if (size == 0)
        return need;
    size_t fit = need < size ? n : (size - 1) / 2;
    size_t i = 0;
#ifdef __SSE2__
    for (; i + 16 <= fit; i += 16)
        hex16(buf + 2 * i, b + i);
    if (i + 8 <= fit) {
        hex8(buf + 2 * i, b + i);
        i += 8;
    }
#endif
    for (; i + 4 <= fit; i += 4) {   /* one store per byte, four bytes a round */
        memcpy(buf + 2 * i, hex_pairs + 2 * b[i], 2);
        memcpy(buf + 2 * i + 2, hex_pairs + 2 * b[i + 1], 2);
        memcpy(buf + 2 * i + 4, hex_pairs + 2 * b[i + 2], 2);
        memcpy(buf + 2 * i + 6, hex_pairs + 2 * b[i + 3], 2);
    }
    char *o = buf + 2 * i;   /* (a pointer: gcc's LTO warned that 2 * i could overflow) */
    for (; i < fit; i++, o += 2)
        memcpy(o, hex_pairs + 2 * b[i], 2);
    *o = 0;
    return need;
}

/* Appends the lowercase hex of b[0..n) to out. */
void hex_append(GString *out, const uint8_t *b, size_t n);

/* The value of the hex digit c (either case), or -1. */
int hex_digit(char c);

/* n bytes from the 2n hex digits at s into out; false when one of them is
 * not a hex digit (reading stops there, so a shorter string is safe). */
bool hex_decode(const char *s, size_t n, uint8_t *out);

#endif
