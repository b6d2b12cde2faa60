/* Hex and address text (hex.h). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "core/hex.h"

/* Two characters per byte value (hex_encode in hex.h writes with it). */
const char hex_pairs[513] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
    "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
    "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
    "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
    "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

size_t isakmp_format_hex(const uint8_t *b, size_t n, char *buf, size_t size)
{
    return hex_encode(b, n, buf, size);
}

void hex_append(GString *out, const uint8_t *b, size_t n)
{
    size_t at = out->len;
    g_string_set_size(out, at + 2 * n);   /* room for the NUL too */
    hex_encode(b, n, out->str + at, 2 * n + 1);
}

/* Each byte's value as a hex digit plus one, 0 when it is none: a load per
 * digit where comparisons cost ~25 instructions a byte, which key tables of
 * 100,000 lines felt.  The one place hex digit values are written. */
static const uint8_t hex_value1[256] = {
    ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
    ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15,
    ['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

int hex_digit(char c)
{
    return hex_value1[(unsigned char)c] - 1;
}

bool hex_decode(const char *s, size_t n, uint8_t *out)
{
    for (size_t i = 0; i < n; i++) {
        unsigned hi = hex_value1[(unsigned char)s[2 * i]];
        if (!hi)   /* (a NUL too: the byte after it is not read) */
            return false;
        unsigned lo = hex_value1[(unsigned char)s[2 * i + 1]];
        if (!lo)
            return false;
        out[i] = (uint8_t)((hi - 1) << 4 | (lo - 1));
    }
    return true;
}

/* "192.0.2.1" without inet_ntop and snprintf (every record of every
 * output has two); returns its length (at most 15). */
static size_t format_ipv4(const uint8_t *a, char *s)
{
    size_t n = 0;
    for (int i = 0; i < 4; i++) {
        unsigned v = a[i];
        if (i)
            s[n++] = '.';
        if (v >= 100)
            s[n++] = (char)('0' + v / 100);
        if (v >= 10)
            s[n++] = (char)('0' + v / 10 % 10);
        s[n++] = (char)('0' + v % 10);
    }
    s[n] = 0;
    return n;
}

size_t isakmp_format_addr(int af, const uint8_t *addr, char *buf, size_t size)
{
    char s[INET6_ADDRSTRLEN] = "";
    size_t n = 0;
    if (af == 4)
        n = format_ipv4(addr, s);
    else if (af == 6 && inet_ntop(AF_INET6, addr, s, sizeof s))
        n = strlen(s);
    if (size) {
        size_t c = n < size ? n : size - 1;
        memcpy(buf, s, c);
        buf[c] = 0;
    }
    return n;
}
