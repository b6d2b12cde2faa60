/* The capture fields (cli/output/frame_fields.c): values and their tshark
 * formats, name resolution (isakmp.X as ike.X), suggestions. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "../../cli/output/frame_fields.c"
#include "../../cli/output/esp_fields.c"
#include "../../cli/output/obuf.h"

/* A frame at 2026-11-28 06:26:46.9477 UTC, the file's first at 06:26:45.5. */
static void frame_init(capture_frame *f, isakmp_packet *p)
{
    memset(f, 0, sizeof *f);
    memset(p, 0, sizeof *p);
    f->frame = 7;
    f->ts_sec = 1795847206;
    f->ts_nsec = 947718000;
    f->meta.first_sec = 1795847205;
    f->meta.first_nsec = 500000000;
    f->meta.prev_sec = 1795847206;
    f->meta.prev_nsec = 949000000;   /* after this one: a negative delta */
    f->meta.wire_len = 526;
    f->meta.cap_len = 200;
    f->meta.eth = true;
    memcpy(f->meta.eth_src, "\x9e\x3d\xbf\xd3\xe0\x91", 6);
    memcpy(f->meta.eth_dst, "\x76\x03\xec\x5f\x97\x5e", 6);
    f->meta.nvlan = 2;
    f->meta.vlan[0] = 100;
    f->meta.vlan[1] = 10;
    p->af = 4;
    memcpy(p->src, "\x0a\x63\x00\x01", 4);
    memcpy(p->dst, "\x0a\x63\x00\x02", 4);
    p->sport = 4500;
    p->dport = 500;
}

/* The values of `name` formatted and joined with ','. */
static char *values(const char *name, const ff_frame *fr)
{
    const frame_field *ff = frame_field_by_name(name);
    g_assert_nonnull(ff);
    ff_value v[FF_MAX_VALUES];
    size_t n = frame_field_values(ff, fr, v);
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < n; i++) {
        char buf[128];
        g_assert_cmpuint(ff_value_format(&v[i], buf, sizeof buf), <, sizeof buf);
        g_string_append_printf(s, "%s%s", i ? "," : "", buf);
    }
    return g_string_free(s, FALSE);
}

static void check(const char *name, const ff_frame *fr, const char *want)
{
    char *got = values(name, fr);
    g_assert_cmpstr(got, ==, want);
    g_free(got);
}

static void test_values(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    capture_frame f;
    isakmp_packet p;
    frame_init(&f, &p);
    ff_frame fr = ff_frame_of(&f, &p);
    fr.file = "x.pcap";
    fr.disp_sec = 1795847200;
    fr.disp_nsec = 0;
    check("frame.number", &fr, "7");
    check("frame.time", &fr, "Nov 28, 2026 06:26:46.947718000 UTC");
    check("frame.time_epoch", &fr, "1795847206.947718000");
    check("frame.time_relative", &fr, "1.447718000");
    check("frame.time_delta", &fr, "-0.001282000");
    check("frame.time_delta_displayed", &fr, "6.947718000");
    check("frame.len", &fr, "526");
    check("frame.cap_len", &fr, "200");
    check("eth.src", &fr, "9e:3d:bf:d3:e0:91");
    check("eth.dst", &fr, "76:03:ec:5f:97:5e");
    check("vlan.id", &fr, "100,10");
    check("ip.src", &fr, "10.99.0.1");
    check("ip.addr", &fr, "10.99.0.1,10.99.0.2");
    check("ipv6.addr", &fr, "");
    check("udp.port", &fr, "4500,500");
    check("udp.dstport", &fr, "500");
    check("tcp.port", &fr, "");
    check("file", &fr, "x.pcap");
    /* local time: the zone's abbreviation, the day padded with a space */
    setenv("TZ", "Europe/Paris", 1);
    tzset();
    fr.ts_sec = 1780000000;   /* 2026-05-28 20:26:40 UTC: summer time */
    check("frame.time", &fr, "May 28, 2026 22:26:40.947718000 CEST");
    fr.ts_sec = 1767657600;   /* 2026-01-06 00:00:00 UTC */
    check("frame.time", &fr, "Jan  6, 2026 01:00:00.947718000 CET");
    /* IPv6 over TCP */
    p.af = 6;
    p.tcp = true;
    memset(p.src, 0, 16);
    p.src[0] = 0x20, p.src[1] = 0x01, p.src[2] = 0x0d, p.src[3] = 0xb8, p.src[15] = 1;
    check("ipv6.src", &fr, "2001:db8::1");
    check("ip.src", &fr, "");
    check("tcp.srcport", &fr, "4500");
    check("udp.srcport", &fr, "");
    f.meta.eth = false;
    check("eth.src", &fr, "");
}

static void test_names(void)
{
    field_ref r;
    g_assert_true(field_resolve("isakmp.ispi", &r));
    g_assert_cmpstr(r.ike->abbrev, ==, "ike.ispi");
    g_assert_true(field_resolve("isakmp", &r) && strcmp(r.ike->abbrev, "ike") == 0);
    g_assert_true(field_resolve("ike.ispi", &r) && r.frame == NULL);
    g_assert_true(field_resolve("udp.port", &r) && r.frame && !r.ike);
    g_assert_false(field_resolve("isakmpx.ispi", &r));
    g_assert_false(field_resolve("frame.numbr", &r));
    char buf[256];
    g_assert_cmpstr(field_suggest("frame.numbr", buf, sizeof buf), ==, "frame.number");
    g_assert_cmpstr(field_suggest("isakmp.nonse", buf, sizeof buf), ==, "isakmp.nonce");
    g_assert_cmpstr(field_suggest("ike.rsip", buf, sizeof buf), ==, "ike.rspi");
    g_assert_cmpstr(field_suggest("ispi", buf, sizeof buf), ==, "ike.ispi");
    g_assert_cmpstr(field_suggest("ip.adr", buf, sizeof buf), ==, "ip.addr");
    g_assert_null(field_suggest("zzzzzzzzzzzzzzzzzz", buf, sizeof buf));
    /* every table name resolves to its own entry */
    size_t n;
    const frame_field *t = frame_fields(&n);
    for (size_t i = 0; i < n; i++)
        g_assert_true(frame_field_by_name(t[i].abbrev) == &t[i]);
}

/* The writers' decimal (obuf.h), two digits at a time: every length of
 * digits, against printf. */
static void test_ob_u64(void)
{
    static const uint64_t v[] = { 0, 7, 9, 10, 42, 99, 100, 101, 109, 999, 1000, 1009, 65535,
                                  100000, 4294967295u, 18446744073709551615ull };
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(v); i++) {
        char want[32];
        g_snprintf(want, sizeof want, "%" G_GUINT64_FORMAT, v[i]);
        g_string_truncate(s, 0);
        ob_u64(s, v[i]);
        g_assert_cmpstr(s->str, ==, want);
        for (uint64_t p = 1; p <= v[i] / 10 && p < 100000000000000000ull; p *= 10) {
            g_string_truncate(s, 0);   /* and each power of ten below it */
            ob_u64(s, p);
            g_snprintf(want, sizeof want, "%" G_GUINT64_FORMAT, p);
            g_assert_cmpstr(s->str, ==, want);
        }
    }
    g_string_truncate(s, 0);
    ob_i64(s, -1234567);
    g_assert_cmpstr(s->str, ==, "-1234567");
    g_string_free(s, TRUE);
}

/* The writers' short copy (obuf.h): every length a key or a string's
 * tail has, the bytes copied and none around them touched. */
static void test_ob_copy_short(void)
{
    char src[80], dst[96];
    for (size_t i = 0; i < sizeof src; i++)
        src[i] = (char)('A' + i % 53);
    for (size_t n = 0; n <= 70; n++) {
        memset(dst, '#', sizeof dst);
        ob_copy_short(dst + 8, src, n);
        g_assert_cmpmem(dst + 8, n, src, n);
        for (size_t i = 0; i < 8; i++)
            g_assert_cmpint(dst[i], ==, '#');
        for (size_t i = 8 + n; i < sizeof dst; i++)
            g_assert_cmpint(dst[i], ==, '#');
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/frame_fields/values", test_values);
    g_test_add_func("/frame_fields/names", test_names);
    g_test_add_func("/frame_fields/ob_u64", test_ob_u64);
    g_test_add_func("/frame_fields/ob_copy_short", test_ob_copy_short);
    return g_test_run();
}
