/* The one hex encoder / decoder and address formatter (decoder/hex.c) and
 * their public forms isakmp_format_hex / isakmp_format_addr. */
#include <glib.h>
#include <string.h>

#include "core/hex.h"
#include "testutil.h"

static void test_format_hex(void)
{
    static const uint8_t b[] = { 0x00, 0x0f, 0xa0, 0xff, 0x12 };
    char buf[16];
    g_assert_cmpuint(isakmp_format_hex(b, 5, buf, sizeof buf), ==, 10);
    g_assert_cmpstr(buf, ==, "000fa0ff12");
    g_assert_cmpuint(isakmp_format_hex(b, 0, buf, sizeof buf), ==, 0);
    g_assert_cmpstr(buf, ==, "");
    /* too small: whole bytes only, the length it needs returned */
    g_assert_cmpuint(isakmp_format_hex(b, 5, buf, 6), ==, 10);
    g_assert_cmpstr(buf, ==, "000f");
    g_assert_cmpuint(isakmp_format_hex(b, 5, buf, 1), ==, 10);
    g_assert_cmpstr(buf, ==, "");
    g_assert_cmpuint(isakmp_format_hex(b, 5, NULL, 0), ==, 10);
}

/* Every length around the sixteen-byte blocks, every byte value, and
 * the cut to whole bytes, against a digit-at-a-time reference. */
static void test_format_hex_lengths(void)
{
    uint8_t b[300];
    for (size_t i = 0; i < sizeof b; i++)
        b[i] = (uint8_t)(i * 7 + 3);   /* all 256 values within the first 256 */
    char want[2 * sizeof b + 1], got[2 * sizeof b + 1];
    for (size_t n = 0; n <= sizeof b; n++) {
        for (size_t i = 0; i < n; i++)
            g_snprintf(want + 2 * i, 3, "%02x", b[i]);
        want[2 * n] = 0;
        g_assert_cmpuint(isakmp_format_hex(b, n, got, sizeof got), ==, 2 * n);
        g_assert_cmpstr(got, ==, want);
        if (n >= 20) {   /* room for 17 bytes and a half: 17 written */
            memset(got, '#', sizeof got);
            g_assert_cmpuint(isakmp_format_hex(b, n, got, 36), ==, 2 * n);
            g_assert_cmpuint(strlen(got), ==, 34);
            g_assert_cmpmem(got, 34, want, 34);
            g_assert_cmpint(got[35], ==, '#');
        }
    }
}

/* Every room from none to enough, for lengths around the eight- and
 * sixteen-byte blocks: the output is always the reference cut to whole
 * bytes, terminated, and nothing past the room is written. */
static void test_format_hex_cut(void)
{
    uint8_t b[40];
    for (size_t i = 0; i < sizeof b; i++)
        b[i] = (uint8_t)(0xf7 - i * 13);
    char want[2 * sizeof b + 1], got[2 * sizeof b + 8];
    for (size_t n = 0; n <= sizeof b; n++) {
        for (size_t i = 0; i < n; i++)
            g_snprintf(want + 2 * i, 3, "%02x", b[i]);
        for (size_t size = 0; size <= 2 * n + 1; size++) {
            memset(got, '#', sizeof got);
            g_assert_cmpuint(isakmp_format_hex(b, n, size ? got : NULL, size), ==, 2 * n);
            if (size == 0)
                continue;
            size_t whole = (size - 1) / 2 < n ? (size - 1) / 2 : n;
            g_assert_cmpuint(strlen(got), ==, 2 * whole);
            g_assert_cmpmem(got, 2 * whole, want, 2 * whole);
            for (size_t k = size; k < sizeof got; k++)
                g_assert_cmpint(got[k], ==, '#');
        }
    }
}

static void test_append(void)
{
    static const uint8_t b[] = { 0xde, 0xad, 0xbe, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89 };
    GString *s = g_string_new("x=");
    hex_append(s, b, sizeof b);
    hex_append(s, b, 0);
    g_assert_cmpstr(s->str, ==, "x=deadbeef0123456789");
    g_assert_cmpuint(s->len, ==, 20);
    g_string_free(s, TRUE);
}

static void test_decode(void)
{
    uint8_t out[4] = { 0 };
    g_assert_cmpint(hex_digit('0'), ==, 0);
    g_assert_cmpint(hex_digit('a'), ==, 10);
    g_assert_cmpint(hex_digit('F'), ==, 15);
    g_assert_cmpint(hex_digit('g'), ==, -1);
    g_assert_cmpint(hex_digit(0), ==, -1);
    g_assert_true(hex_decode("00aBfF", 3, out));
    g_assert_cmpmem(out, 3, "\x00\xab\xff", 3);
    g_assert_false(hex_decode("0g", 1, out));
    /* stops at the end of a shorter string (ASan catches a read past it) */
    char *odd = g_strdup("abc");
    g_assert_false(hex_decode(odd, 2, out));
    g_free(odd);
    /* a NUL where a byte's first digit should be: the byte after it is not
     * read (ASan) */
    char *even = g_strdup("ab");
    g_assert_false(hex_decode(even, 2, out));
    g_free(even);
    /* hex_digit and hex_decode (one table) agree with GLib's
     * g_ascii_xdigit_value on every byte value, as a first and as a second
     * digit */
    for (int c = 0; c < 256; c++) {
        char two[3] = { (char)c, '7', 0 }, lo[3] = { '7', (char)c, 0 };
        uint8_t b = 0;
        int d = g_ascii_xdigit_value((char)c);
        g_assert_cmpint(hex_digit((char)c), ==, d);
        g_assert_cmpint(hex_decode(two, 1, &b), ==, d >= 0);
        if (d >= 0)
            g_assert_cmpuint(b, ==, (unsigned)(d << 4 | 7));
        g_assert_cmpint(hex_decode(lo, 1, &b), ==, d >= 0 && c != 0);
        if (d >= 0)
            g_assert_cmpuint(b, ==, (unsigned)(7 << 4 | d));
    }
    g_assert_true(hex_decode("", 0, out));
}

static void test_format_addr(void)
{
    static const uint8_t v4[16] = { 192, 0, 2, 1 };
    static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
    char buf[64];
    g_assert_cmpuint(isakmp_format_addr(4, v4, buf, sizeof buf), ==, 9);
    g_assert_cmpstr(buf, ==, "192.0.2.1");
    g_assert_cmpuint(isakmp_format_addr(6, v6, buf, sizeof buf), ==, 11);
    g_assert_cmpstr(buf, ==, "2001:db8::1");
    g_assert_cmpuint(isakmp_format_addr(0, v4, buf, sizeof buf), ==, 0);
    g_assert_cmpstr(buf, ==, "");
    /* cut like snprintf, the full length returned */
    g_assert_cmpuint(isakmp_format_addr(4, v4, buf, 4), ==, 9);
    g_assert_cmpstr(buf, ==, "192");
    /* IPv4 without inet_ntop (issue 22): every digit count */
    static const uint8_t v4b[16] = { 0, 10, 255, 100 }, v4c[16] = { 255, 255, 255, 255 };
    g_assert_cmpuint(isakmp_format_addr(4, v4b, buf, sizeof buf), ==, 12);
    g_assert_cmpstr(buf, ==, "0.10.255.100");
    g_assert_cmpuint(isakmp_format_addr(4, v4c, buf, sizeof buf), ==, 15);
    g_assert_cmpstr(buf, ==, "255.255.255.255");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/hex/format_hex", test_format_hex);
    g_test_add_func("/hex/format_hex_lengths", test_format_hex_lengths);
    g_test_add_func("/hex/format_hex_cut", test_format_hex_cut);
    g_test_add_func("/hex/append", test_append);
    g_test_add_func("/hex/decode", test_decode);
    g_test_add_func("/hex/format_addr", test_format_addr);
    return g_test_run();
}
