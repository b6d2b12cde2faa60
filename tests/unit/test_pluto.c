/* libreswan pluto logs as key sources: the lines libreswan 4.10 and 5.2
 * print (their programs/pluto/state.c "ikev2 I/R" tcpdump lines, kernel.c
 * ESP key dumps and add_sa lines) in a log file with timestamps, syslog and
 * the journal; a log without plutodebug=private says so.  libreswan cannot
 * be installed beside the strongSwan of the build rooms, so the logs are
 * written from those printers' formats, not captured from a running pluto. */
#include <gcrypt.h>
#include <glib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "keys/keys.h"
#include "testutil.h"

#define SPII "0x1122334455667788"
#define SPIR "0x99aabbccddeeff00"
#define EI "0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define ER "0x202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
#define AI "0xa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
#define AR "0xc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"

/* libreswan 5.2, logfile= with logtime, plutodebug="private routing". */
static const char *v5_file =
    "Dec 06 23:00:00.000001: Starting Pluto (Libreswan Version 5.2 IKEv2 IKEv1 XFRM)\n"
    "Dec 06 23:00:01.000002: \"west-east\" #1: initiating IKEv2 connection to 192.0.2.2\n"
    "Dec 06 23:00:01.100000: | ikev2 I " SPII " " SPIR " sha256:" AI " aes256:" EI "\n"
    "Dec 06 23:00:01.100001: | ikev2 R " SPII " " SPIR " sha256:" AR " aes256:" ER "\n"
    "Dec 06 23:00:01.200000: | ESP encrypt key:\n"
    "Dec 06 23:00:01.200001: |   00 11 22 33  44 55 66 77  88 99 aa bb  cc dd ee ff   .\"3DUfw........\n"
    "Dec 06 23:00:01.200002: | ESP integrity key:\n"
    "Dec 06 23:00:01.200003: |   01 02 03 04  05 06 07 08  09 0a 0b 0c  0d 0e 0f 10   ................\n"
    "Dec 06 23:00:01.200004: |   11 12 13 14                                          ....\n"
    "Dec 06 23:00:01.200005: | \"west-east\" #2: routing:  kernel_ops_add_sa() level=1 inbound tunnel\n"
    "Dec 06 23:00:01.200006: | \"west-east\" #2: routing:   (src) 10.0.2.0/24 -> 192.0.2.2[c0ffee01] ==> "
    "192.0.2.1 -> 10.0.1.0/24 (dst)\n"
    "Dec 06 23:00:01.200007: | \"west-east\" #2: routing:   HMAC_SHA1_96:20 AES_CBC:16\n"
    "Dec 06 23:00:01.300000: \"west-east\" #2: initiator established Child SA using #1; IPsec "
    "tunnel [10.0.1.0/24===10.0.2.0/24] {ESP/ESN=>0xc0ffee02 <0xc0ffee01 xfrm=AES_CBC_128-HMAC_SHA1_96 "
    "DPD=passive}\n";

/* libreswan 4.10 through syslog, plutodebug="base private": its 4.x dump
 * labels and add_sa line. */
static const char *v4_syslog =
    "Dec  6 23:00:01 west pluto[1234]: | ikev2 I " SPII " " SPIR " sha1:0x0102030405060708090a0b0c0d0e0f1011121314 "
    "aes128:0x00112233445566778899aabbccddeeff\n"
    "Dec  6 23:00:01 west pluto[1234]: | ikev2 R " SPII " " SPIR " sha1:0x1112131415161718191a1b1c1d1e1f2021222324 "
    "aes128:0xffeeddccbbaa99887766554433221100\n"
    "Dec  6 23:00:01 west pluto[1234]: | ESP enckey:\n"
    "Dec  6 23:00:01 west pluto[1234]: |   00 11 22 33  44 55 66 77  88 99 aa bb  cc dd ee ff   .\"3DUfw........\n"
    "Dec  6 23:00:01 west pluto[1234]: |   01 02 03 04                                          ....\n"
    "Dec  6 23:00:01 west pluto[1234]: | ESP authkey:\n"
    "Dec  6 23:00:01 west pluto[1234]: |   a0 a1 a2 a3  a4 a5 a6 a7  a8 a9 aa ab  ac ad ae af   ................\n"
    "Dec  6 23:00:01 west pluto[1234]: |   b0 b1 b2 b3  b4 b5 b6 b7  b8 b9 ba bb  bc bd be bf   ................\n"
    "Dec  6 23:00:01 west pluto[1234]: | kernel: add_sa() level=1 outbound tunnel 10.0.1.0/24-0->192.0.2.1[0000abcd]"
    "==>192.0.2.2-0->10.0.2.0/24 replay_window=32 HMAC_SHA2_256_128:32 AES_GCM_16:20\n";

typedef struct {
    GPtrArray *msgs;
} errs_t;

static void on_err(void *user, const char *where, const char *reason)
{
    errs_t *e = user;
    g_ptr_array_add(e->msgs, g_strdup_printf("%s: %s", where, reason));
}

static int load(isakmp_ctx *ctx, const char *text, errs_t *e)
{
    return isakmp_ctx_load_keys_mem(ctx, "pluto.log", text, strlen(text), on_err, e);
}

static void test_v5_file(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    errs_t e = { g_ptr_array_new_with_free_func(g_free) };
    g_assert_cmpint(load(ctx, v5_file, &e), ==, 2);
    g_assert_cmpuint(e.msgs->len, ==, 0);
    size_t n;
    uint8_t *i = tu_hex(SPII + 2, &n), *r = tu_hex(SPIR + 2, &n);
    const key_v2 *k = keys_v2_find(ctx->keys, i, r);
    g_assert_nonnull(k);
    g_assert_cmpstr(k->enc->ws_name, ==, "AES-CBC-256 [RFC3602]");
    g_assert_cmpstr(k->integ->ws_name, ==, "HMAC_SHA2_256_128 [RFC4868]");
    g_assert_cmpuint(k->er.p[0], ==, 0x20);
    g_assert_cmpuint(k->ar.p[0], ==, 0xc0);
    isakmp_esp_sa sa;
    g_assert_cmpuint(isakmp_ctx_esp_sa_count(ctx), ==, 1);
    g_assert_true(isakmp_ctx_esp_sa_get(ctx, 0, &sa));
    g_assert_cmpstr(sa.src, ==, "192.0.2.2");
    g_assert_cmpstr(sa.dst, ==, "192.0.2.1");
    g_assert_cmphex(sa.spi, ==, 0xc0ffee01);
    g_assert_cmpstr(sa.encr_alg, ==, "AES-CBC [RFC3602]");
    g_assert_cmpstr(sa.encr_key, ==, "0x00112233445566778899aabbccddeeff");
    g_assert_cmpstr(sa.integ_alg, ==, "HMAC-SHA-1-96 [RFC2404]");
    g_assert_cmpstr(sa.integ_key, ==, "0x0102030405060708090a0b0c0d0e0f1011121314");
    /* both go to --export-keys */
    char buf[4096];
    isakmp_ctx_export_keys_mem(ctx, buf, sizeof buf);
    g_assert_nonnull(strstr(buf, "# ikev2_decryption_table\n1122334455667788,99aabbccddeeff00,"
                                 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f,"));
    g_assert_nonnull(strstr(buf, "\"IPv4\",\"192.0.2.2\",\"192.0.2.1\",\"0xc0ffee01\""));
    explicit_bzero(buf, sizeof buf);
    g_free(i);
    g_free(r);
    g_ptr_array_free(e.msgs, TRUE);
    isakmp_ctx_free(ctx);
}

static void test_v4_syslog(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    errs_t e = { g_ptr_array_new_with_free_func(g_free) };
    g_assert_cmpint(load(ctx, v4_syslog, &e), ==, 2);
    g_assert_cmpuint(e.msgs->len, ==, 0);
    size_t n;
    uint8_t *i = tu_hex(SPII + 2, &n), *r = tu_hex(SPIR + 2, &n);
    const key_v2 *k = keys_v2_find(ctx->keys, i, r);
    g_assert_nonnull(k);
    g_assert_cmpstr(k->enc->ws_name, ==, "AES-CBC-128 [RFC3602]");
    g_assert_cmpstr(k->integ->ws_name, ==, "HMAC_SHA1_96 [RFC2404]");
    isakmp_esp_sa sa;
    g_assert_true(isakmp_ctx_esp_sa_get(ctx, 0, &sa));
    g_assert_cmpstr(sa.src, ==, "192.0.2.1");
    g_assert_cmpstr(sa.dst, ==, "192.0.2.2");
    g_assert_cmphex(sa.spi, ==, 0xabcd);
    g_assert_cmpstr(sa.encr_alg, ==, "AES-GCM with 16 octet ICV [RFC4106]");
    g_assert_cmpstr(sa.encr_key, ==, "0x00112233445566778899aabbccddeeff01020304");
    g_assert_cmpstr(sa.integ_alg, ==, "HMAC-SHA-256-128 [RFC4868]");
    g_assert_cmpuint(strlen(sa.integ_key), ==, 2 + 64);
    g_free(i);
    g_free(r);
    g_ptr_array_free(e.msgs, TRUE);
    isakmp_ctx_free(ctx);
}

/* IKEv1: the "ikev1 I" line gives SKEYID_e; the table's key is Ka (RFC 2409
 * Appendix B): SKEYID_e itself when long enough, else K1 | K2 ... */
static void test_v1(void)
{
    const char *e = "0x00112233445566778899aabbccddeeff01020304";
    char *log = g_strdup_printf(
        "pluto[1]: | ikev1 I 0x0102030405060708 0x1112131415161718 sha1:0x%s aes128:%s\n"
        "pluto[1]: | ikev1 R 0x0102030405060708 0x1112131415161718 sha1: aes128:\n"
        "pluto[1]: | ikev1 I 0x2122232425262728 0x3132333435363738 sha1:0x%s aes256:%s\n",
        "ab" "cdef0123456789abcdef0123456789abcdef01", e, "ab" "cdef0123456789abcdef0123456789abcdef01", e);
    isakmp_ctx *ctx = isakmp_ctx_new();
    errs_t er = { g_ptr_array_new_with_free_func(g_free) };
    g_assert_cmpint(load(ctx, log, &er), ==, 2);
    g_assert_cmpuint(er.msgs->len, ==, 0);
    size_t n;
    uint8_t *ck = tu_hex("0102030405060708", &n), *skeyid_e = tu_hex(e + 2, &n);
    const key_v1 *k = keys_v1_find(ctx->keys, ck);
    g_assert_nonnull(k);
    g_assert_cmpuint(k->enc.len, ==, 16);
    g_assert_cmpmem(k->enc.p, 16, skeyid_e, 16);
    g_free(ck);
    ck = tu_hex("2122232425262728", &n);
    k = keys_v1_find(ctx->keys, ck);
    g_assert_nonnull(k);
    g_assert_cmpuint(k->enc.len, ==, 32);
    uint8_t k1[20], k2[20], zero = 0;
    g_assert_true(crypto_hmac(GCRY_MD_SHA1, skeyid_e, 20, &zero, 1, k1, 20));
    g_assert_true(crypto_hmac(GCRY_MD_SHA1, skeyid_e, 20, k1, 20, k2, 20));
    g_assert_cmpmem(k->enc.p, 20, k1, 20);
    g_assert_cmpmem(k->enc.p + 20, 12, k2, 12);
    g_free(ck);
    g_free(skeyid_e);
    g_ptr_array_free(er.msgs, TRUE);
    isakmp_ctx_free(ctx);
    g_free(log);
}

/* What cannot be loaded is said, never silently dropped. */
static void test_notes(void)
{
    static const struct {
        const char *log, *note;
    } cases[] = {
        /* a journal without plutodebug=private */
        { "Dec 06 23:00:01 west pluto[1234]: \"west-east\" #1: initiating IKEv2 connection\n"
          "Dec 06 23:00:02 west pluto[1234]: \"west-east\" #1: initiator established IKE SA; "
          "authenticated peer using authby=secret\n",
          "pluto.log:0: note: pluto log without plutodebug=private: no keys in it" },
        /* AEAD IKE keys are logged without their salt */
        { "| ikev2 I " SPII " " SPIR " none: aes_gcm_16256:" EI "\n"
          "| ikev2 R " SPII " " SPIR " none: aes_gcm_16256:" ER "\n",
          "pluto.log:2: note: IKE SA 11223344...: libreswan logs aes_gcm_16256 keys without "
          "their salt: they cannot decrypt; give the DH secrets in a secrets file instead" },
        /* one direction only */
        { "pluto[1]: | ikev2 I " SPII " " SPIR " sha256:" AI " aes256:" EI "\n",
          "pluto.log:1: note: IKE SA keys of one direction only (the R line is missing): not "
          "loaded" },
        /* ESP keys, but no add_sa line to tie them to an SPI */
        { "pluto[1]: | ESP encrypt key:\npluto[1]: |   00 11 22 33   .\"3\n",
          "pluto.log:1: note: ESP keys without the line that adds their kernel SA "
          "(plutodebug=base on libreswan 4, routing on 5): not tied to an SPI, not loaded" },
    };
    for (size_t c = 0; c < G_N_ELEMENTS(cases); c++) {
        isakmp_ctx *ctx = isakmp_ctx_new();
        errs_t e = { g_ptr_array_new_with_free_func(g_free) };
        g_assert_cmpint(load(ctx, cases[c].log, &e), ==, 0);
        g_assert_cmpuint(e.msgs->len, ==, 1);
        g_assert_cmpstr(e.msgs->pdata[0], ==, cases[c].note);
        g_ptr_array_free(e.msgs, TRUE);
        isakmp_ctx_free(ctx);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/pluto/v5-file", test_v5_file);
    g_test_add_func("/pluto/v4-syslog", test_v4_syslog);
    g_test_add_func("/pluto/v1", test_v1);
    g_test_add_func("/pluto/notes", test_notes);
    return g_test_run();
}
