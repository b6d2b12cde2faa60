/* ESP SAs from `ip xfrm state` output: plain, `ip -s`, `ip -o` and `ip xfrm
 * monitor`, detected by content through isakmp_ctx_load_keys_mem; into the
 * ESP SA list (the plugin's hand-off) and the esp_sa export.  The texts are
 * written in the format of iproute2's printers (ip/ipxfrm.c): the kernel of
 * the machine these tests were written on has no ESP, so `ip xfrm state add`
 * could not make real ones. */
#include <glib.h>
#include <string.h>

#include "keys/keys.h"
#include "keys/xfrm.h"
#include "testutil.h"

#define EKEY "0x00112233445566778899aabbccddeeff"
#define AKEY "0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define GKEY "0x00112233445566778899aabbccddeeff01020304"
#define CKEY "0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f01020304"

/* `ip xfrm state`: CBC + HMAC with NAT-T, GCM over IPv6, ChaCha20 (no
 * esp_sa name: loaded under its IANA name for ESP decryption, not
 * exported). */
static const char *plain =
    "src 192.0.2.1 dst 192.0.2.2\n"
    "\tproto esp spi 0xc0ffee01 reqid 1 mode tunnel\n"
    "\treplay-window 0 flag af-unspec\n"
    "\tauth-trunc hmac(sha256) " AKEY " 128\n"
    "\tenc cbc(aes) " EKEY "\n"
    "\tencap type espinudp sport 4500 dport 4500 addr 0.0.0.0\n"
    "\tanti-replay context: seq 0x0, oseq 0x0, bitmap 0x00000000\n"
    "\tsel src 0.0.0.0/0 dst 0.0.0.0/0 \n"
    "src 2001:db8::2 dst 2001:db8::1\n"
    "\tproto esp spi 0x0000abcd reqid 2 mode transport\n"
    "\treplay-window 32 \n"
    "\taead rfc4106(gcm(aes)) " GKEY " 128\n"
    "\tsel src ::/0 dst ::/0 \n"
    "src 192.0.2.2 dst 192.0.2.1\n"
    "\tproto esp spi 0x0badcafe reqid 3 mode tunnel\n"
    "\treplay-window 0 \n"
    "\taead rfc7539esp(chacha20,poly1305) " CKEY " 128\n";

/* `ip -s xfrm state`: decimal SPI and key sizes, lifetimes, statistics. */
static const char *stats =
    "src 198.51.100.1 dst 198.51.100.2\n"
    "\tproto esp spi 0x00001001(4097) reqid 1(0x00000001) mode tunnel\n"
    "\treplay-window 0 seq 0x00000000 flag af-unspec (0x00100000)\n"
    "\tauth-trunc hmac(sha1) 0x0102030405060708090a0b0c0d0e0f1011121314 (160 bits) 96\n"
    "\tenc cbc(des3_ede) 0x0102030405060708090a0b0c0d0e0f101112131415161718 (192 bits)\n"
    "\tanti-replay context: seq 0x0, oseq 0x2, bitmap 0x00000000\n"
    "\tlifetime config:\n"
    "\t  limit: soft (INF)(bytes), hard (INF)(bytes)\n"
    "\t  limit: soft (INF)(packets), hard (INF)(packets)\n"
    "\t  expire add: soft 2839(sec), hard 3600(sec)\n"
    "\t  expire use: soft 0(sec), hard 0(sec)\n"
    "\tlifetime current:\n"
    "\t  168(bytes), 2(packets)\n"
    "\t  add 2026-12-06 23:00:00 use 2026-12-06 23:00:01\n"
    "\tstats:\n"
    "\t  replay-window 0 replay 0 failed 0\n"
    "\tsel src 0.0.0.0/0 dst 0.0.0.0/0 uid 0\n";

/* `ip -o xfrm state`: a state per line, '\' where the newlines were. */
static const char *oneline =
    "src 203.0.113.1 dst 203.0.113.2\\\tproto esp spi 0x00000042 reqid 1 mode tunnel\\"
    "\treplay-window 0 \\\tauth hmac(md5) 0x000102030405060708090a0b0c0d0e0f\\"
    "\tenc rfc3686(ctr(aes)) 0x00112233445566778899aabbccddeeff01020304\\"
    "\tsel src 0.0.0.0/0 dst 0.0.0.0/0 \n";

/* `ip xfrm monitor`: a policy (no keys), a new state, a deleted one. */
static const char *monitor =
    "src 10.1.0.0/24 dst 10.2.0.0/24 \n"
    "\tdir out priority 375423 ptype main \n"
    "\ttmpl src 192.0.2.1 dst 192.0.2.2\n"
    "\t\tproto esp spi 0x00000000 reqid 1 mode tunnel\n"
    "src 192.0.2.2 dst 192.0.2.1\n"
    "\tproto esp spi 0xdeadbeef reqid 1 mode tunnel\n"
    "\treplay-window 0 flag af-unspec\n"
    "\tauth-trunc hmac(sha512) " AKEY "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f 256\n"
    "\tenc cbc(aes) " AKEY "\n"
    "\tsel src 0.0.0.0/0 dst 0.0.0.0/0 \n"
    "Deleted src 192.0.2.1 dst 192.0.2.2\n"
    "\tproto esp spi 0x00000077 reqid 1 mode tunnel\n"
    "\treplay-window 0 \n"
    "\tenc ecb(cipher_null) \n"
    "\tauth-trunc hmac(sha384) 0x" "000102030405060708090a0b0c0d0e0f1011121314151617"
    "18191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f 192\n";

typedef struct {
    GPtrArray *msgs;
} errs_t;

static void on_err(void *user, const char *where, const char *reason)
{
    errs_t *e = user;
    g_ptr_array_add(e->msgs, g_strdup_printf("%s: %s", where, reason));
}

static isakmp_ctx *load(const char *text, int want, errs_t *e)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    g_assert_cmpint(isakmp_ctx_load_keys_mem(ctx, "xfrm.txt", text, strlen(text), on_err, e), ==,
                    want);
    return ctx;
}

static void assert_sa(isakmp_ctx *ctx, size_t i, int af, const char *src, const char *dst,
                      uint32_t spi, const char *encr, const char *ekey, const char *integ,
                      const char *akey)
{
    isakmp_esp_sa sa;
    g_assert_true(isakmp_ctx_esp_sa_get(ctx, i, &sa));
    g_assert_cmpint(sa.af, ==, af);
    g_assert_cmpstr(sa.src, ==, src);
    g_assert_cmpstr(sa.dst, ==, dst);
    g_assert_cmphex(sa.spi, ==, spi);
    g_assert_cmpstr(sa.encr_alg, ==, encr);
    g_assert_cmpstr(sa.encr_key, ==, ekey);
    g_assert_cmpstr(sa.integ_alg, ==, integ);
    g_assert_cmpstr(sa.integ_key, ==, akey);
}

static void test_plain(void)
{
    errs_t e = { g_ptr_array_new_with_free_func(g_free) };
    isakmp_ctx *ctx = load(plain, 3, &e);
    g_assert_cmpuint(isakmp_ctx_esp_sa_count(ctx), ==, 3);
    assert_sa(ctx, 0, 4, "192.0.2.1", "192.0.2.2", 0xc0ffee01, "AES-CBC [RFC3602]", EKEY,
              "HMAC-SHA-256-128 [RFC4868]", AKEY);
    assert_sa(ctx, 1, 6, "2001:db8::2", "2001:db8::1", 0xabcd,
              "AES-GCM with 16 octet ICV [RFC4106]", GKEY, "NULL", "");
    assert_sa(ctx, 2, 4, "192.0.2.2", "192.0.2.1", 0x0badcafe, "ENCR_CHACHA20_POLY1305", CKEY,
              "NULL", "");
    g_assert_cmpuint(e.msgs->len, ==, 0);
    /* --export-keys writes them in esp_sa */
    char buf[4096];
    isakmp_ctx_export_keys_mem(ctx, buf, sizeof buf);
    g_assert_nonnull(strstr(buf, "# esp_sa\n\"IPv4\",\"192.0.2.1\",\"192.0.2.2\",\"0xc0ffee01\","
                                 "\"AES-CBC [RFC3602]\",\"" EKEY "\",\"HMAC-SHA-256-128 [RFC4868]\",\""
                                 AKEY "\"\n\"IPv6\",\"2001:db8::2\",\"2001:db8::1\",\"0x0000abcd\","
                                 "\"AES-GCM with 16 octet ICV [RFC4106]\",\"" GKEY "\",\"NULL\",\"\"\n"));
    g_assert_null(strstr(buf, "0x0badcafe"));   /* Wireshark cannot read its name */
    explicit_bzero(buf, sizeof buf);
    g_ptr_array_free(e.msgs, TRUE);
    isakmp_ctx_free(ctx);
}

static void test_stats_and_oneline(void)
{
    errs_t e = { g_ptr_array_new_with_free_func(g_free) };
    isakmp_ctx *ctx = load(stats, 1, &e);
    assert_sa(ctx, 0, 4, "198.51.100.1", "198.51.100.2", 0x1001, "TripleDES-CBC [RFC2451]",
              "0x0102030405060708090a0b0c0d0e0f101112131415161718", "HMAC-SHA-1-96 [RFC2404]",
              "0x0102030405060708090a0b0c0d0e0f1011121314");
    isakmp_ctx_free(ctx);
    ctx = load(oneline, 1, &e);
    assert_sa(ctx, 0, 4, "203.0.113.1", "203.0.113.2", 0x42, "AES-CTR [RFC3686]",
              "0x00112233445566778899aabbccddeeff01020304", "HMAC-MD5-96 [RFC2403]",
              "0x000102030405060708090a0b0c0d0e0f");
    g_assert_cmpuint(e.msgs->len, ==, 0);
    g_ptr_array_free(e.msgs, TRUE);
    isakmp_ctx_free(ctx);
}

static void test_monitor(void)
{
    errs_t e = { g_ptr_array_new_with_free_func(g_free) };
    isakmp_ctx *ctx = load(monitor, 2, &e);
    g_assert_cmpuint(isakmp_ctx_esp_sa_count(ctx), ==, 2);
    isakmp_esp_sa sa;
    g_assert_true(isakmp_ctx_esp_sa_get(ctx, 0, &sa));
    g_assert_cmphex(sa.spi, ==, 0xdeadbeef);
    g_assert_cmpstr(sa.integ_alg, ==, "HMAC-SHA-512-256 [RFC4868]");
    g_assert_cmpuint(strlen(sa.integ_key), ==, 2 + 128);
    /* the keys of a deleted SA still decrypt what was captured before */
    assert_sa(ctx, 1, 4, "192.0.2.1", "192.0.2.2", 0x77, "NULL", "", "HMAC-SHA-384-192 [RFC4868]",
              "0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f");
    g_assert_cmpuint(e.msgs->len, ==, 0);
    g_ptr_array_free(e.msgs, TRUE);
    isakmp_ctx_free(ctx);
    /* policies only: detected, nothing in it, said */
    e.msgs = g_ptr_array_new_with_free_func(g_free);
    const char *policies = "src 10.1.0.0/24 dst 10.2.0.0/24 \n"
                           "\tdir out priority 375423 ptype main \n"
                           "\ttmpl src 192.0.2.1 dst 192.0.2.2\n"
                           "\t\tproto esp spi 0x00000000 reqid 1 mode tunnel\n";
    ctx = load(policies, 0, &e);
    g_assert_cmpuint(e.msgs->len, ==, 1);
    g_assert_cmpstr(e.msgs->pdata[0], ==,
                    "xfrm.txt:0: note: ip xfrm output without ESP / AH SA keys: nothing loaded");
    g_ptr_array_free(e.msgs, TRUE);
    isakmp_ctx_free(ctx);
}

/* The kernel's names against Wireshark's esp_sa names (and the IANA names
 * of what esp_sa cannot name, for ESP decryption). */
static void test_names(void)
{
    g_assert_cmpstr(xfrm_encr_name("cbc(aes)", 0), ==, "AES-CBC [RFC3602]");
    g_assert_cmpstr(xfrm_encr_name("rfc4106(gcm(aes))", 64), ==, "AES-GCM with 8 octet ICV [RFC4106]");
    g_assert_cmpstr(xfrm_encr_name("rfc4106(gcm(aes))", 96), ==, "AES-GCM with 12 octet ICV [RFC4106]");
    g_assert_null(xfrm_encr_name("rfc4106(gcm(aes))", 100));
    g_assert_cmpstr(xfrm_encr_name("rfc4309(ccm(aes))", 128), ==, "ENCR_AES_CCM_16");
    g_assert_cmpstr(xfrm_encr_name("cbc(camellia)", 0), ==, "ENCR_CAMELLIA_CBC");
    g_assert_null(xfrm_encr_name("cbc(serpent)", 0));
    g_assert_cmpstr(xfrm_integ_name("hmac(sha256)", 0), ==,
                    "HMAC-SHA-256-96 [draft-ietf-ipsec-ciph-sha-256-00]");
    g_assert_cmpstr(xfrm_integ_name("hmac(sha256)", 128), ==, "HMAC-SHA-256-128 [RFC4868]");
    g_assert_cmpstr(xfrm_integ_name("hmac(sha1)", 0), ==, "HMAC-SHA-1-96 [RFC2404]");
    g_assert_cmpstr(xfrm_integ_name("xcbc(aes)", 96), ==, "AUTH_AES_XCBC_96");
    g_assert_null(xfrm_integ_name("hmac(whirlpool)", 96));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/xfrm/plain", test_plain);
    g_test_add_func("/xfrm/stats-and-oneline", test_stats_and_oneline);
    g_test_add_func("/xfrm/monitor", test_monitor);
    g_test_add_func("/xfrm/names", test_names);
    return g_test_run();
}
