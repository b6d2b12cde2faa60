/* Key loading: Wireshark's UAT tables detected by content, bad lines
 * reported as file:line and skipped, IANA names accepted, esp_sa kept. */
#include <glib.h>
#include <string.h>

#include "keying/derive.h"
#include "keys/export.h"
#include "keys/keys.h"
#include "testutil.h"

typedef struct {
    GPtrArray *errs;
} errs_t;

static void on_err(void *user, const char *where, const char *reason)
{
    errs_t *e = user;
    g_ptr_array_add(e->errs, g_strdup_printf("%s: %s", where, reason));
}

static int load(isakmp_ctx *ctx, const char *text, errs_t *e)
{
    return isakmp_ctx_load_keys_mem(ctx, "keys.txt", text, strlen(text), on_err, e);
}

static void test_v1_table(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    errs_t e = { g_ptr_array_new_with_free_func(g_free) };
    const char *t = "# comment\n"
                    "fafaeb49382a763c,735be0cb62f82675c4f7bf8fbab9b56834ba76d6ab4fa240\r\n"
                    "\"ab3e0f1f8bc3be8e\",\"928392441e00ece5e8af3bc545416e86\"\n"
                    "xyz,00\n"
                    "29f6006212625def,abc\n";
    g_assert_cmpint(load(ctx, t, &e), ==, 2);
    g_assert_cmpuint(e.errs->len, ==, 2);
    g_assert_cmpstr(e.errs->pdata[0], ==, "keys.txt:4: the initiator cookie must be 16 hex digits");
    g_assert_true(g_str_has_prefix(e.errs->pdata[1], "keys.txt:5: "));
    uint8_t ck[8] = { 0xfa, 0xfa, 0xeb, 0x49, 0x38, 0x2a, 0x76, 0x3c };
    const key_v1 *k = keys_v1_find(ctx->keys, ck);
    g_assert_nonnull(k);
    g_assert_cmpuint(k->enc.len, ==, 24);
    g_assert_cmpuint(k->enc.p[0], ==, 0x73);
    g_ptr_array_free(e.errs, TRUE);
    isakmp_ctx_free(ctx);
}

static void test_v2_table(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    errs_t e = { g_ptr_array_new_with_free_func(g_free) };
    const char *t =
        "1234567890123456,0987654321098765,,,\"NULL [RFC2410]\",,,\"NONE [RFC4306]\"\n"
        /* IANA names, key length picks AES-CBC-128 */
        "0000000000000001,0000000000000002,00112233445566778899aabbccddeeff,"
        "00112233445566778899aabbccddeeff,ENCR_AES_CBC,0011,2233,AUTH_HMAC_SHA1_96\n"
        "0000000000000003,0000000000000004,00,00,\"ROT13\",,,\"NONE [RFC4306]\"\n"
        "0000000000000005,0000000000000006,0011,0011,\"AES-CBC-256 [RFC3602]\",,,\"NONE [RFC4306]\"\n"
        "0000000000000007,0000000000000008,,,\"NULL [RFC2410]\",,,\"HMAC_SHA1_96 [RFC2404]\"\n"
        "\"unterminated\n";
    g_assert_cmpint(load(ctx, t, &e), ==, 2);
    g_assert_cmpuint(e.errs->len, ==, 4);
    g_assert_cmpstr(e.errs->pdata[0], ==, "keys.txt:3: unknown encryption algorithm");
    g_assert_cmpstr(e.errs->pdata[1], ==,
                    "keys.txt:4: SK_ei / SK_er length does not match the encryption algorithm");
    g_assert_cmpstr(e.errs->pdata[2], ==,
                    "keys.txt:5: SK_ai / SK_ar are required by the integrity algorithm");
    g_assert_true(g_str_has_prefix(e.errs->pdata[3], "keys.txt:6: malformed"));
    uint8_t i[8] = { 0, 0, 0, 0, 0, 0, 0, 1 }, r[8] = { 0, 0, 0, 0, 0, 0, 0, 2 };
    const key_v2 *k = keys_v2_find(ctx->keys, i, r);
    g_assert_nonnull(k);
    g_assert_cmpstr(k->enc->ws_name, ==, "AES-CBC-128 [RFC3602]");
    g_assert_cmpstr(k->integ->ws_name, ==, "HMAC_SHA1_96 [RFC2404]");
    g_assert_cmpuint(k->ai.len, ==, 2);
    g_ptr_array_free(e.errs, TRUE);
    isakmp_ctx_free(ctx);
}

static void test_esp_and_unknown(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    errs_t e = { g_ptr_array_new_with_free_func(g_free) };
    const char *t = "\"IPv4\",\"192.168.0.1\",\"192.168.0.100\",\"0x070883c2\",\"AES-CBC [RFC3602]\","
                    "\"0x5de1a4c2c72662c9fda7a7c78cd25623\",\"HMAC-SHA-1-96 [RFC2404]\","
                    "\"0x51c9213c18232f8f26c70c4dee6e0e6d56e31e8a\"\n";
    g_assert_cmpint(load(ctx, t, &e), ==, 1);
    g_assert_cmpuint(keys_esp_count(ctx->keys), ==, 1);
    const key_esp *k = keys_esp_get(ctx->keys, 0);
    g_assert_cmpstr(k->spi, ==, "0x070883c2");
    g_assert_cmpuint(k->enc_key.len, ==, 16);
    g_assert_cmpint(load(ctx, "hello world\n", &e), ==, 0);
    g_assert_cmpuint(e.errs->len, ==, 1);
    g_assert_cmpstr(e.errs->pdata[0], ==, "keys.txt:0: unknown key file format");
    g_assert_cmpint(isakmp_ctx_load_keys(ctx, "/nonexistent/keys", on_err, &e), ==, -1);
    g_assert_true(g_str_has_prefix(e.errs->pdata[1], "/nonexistent/keys:0: "));
    g_ptr_array_free(e.errs, TRUE);
    isakmp_ctx_free(ctx);
}

/* Regression (issue 18): bad esp_sa lines were taken without a word.  Now
 * a protocol other than IPv4 / IPv6 / Any, an SPI that is not * or 0x and
 * 1..8 hex digits, and a key over 64 bytes are reported; the good line loads. */
static void test_esp_bad_fields(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    errs_t e = { g_ptr_array_new_with_free_func(g_free) };
    GString *t = g_string_new(
        "\"IPv4\",\"*\",\"*\",\"*\",\"NULL\",\"\",\"NULL\",\"\"\n"
        "\"IPv5\",\"*\",\"*\",\"0x1\",\"NULL\",\"\",\"NULL\",\"\"\n"
        "\"IPv4\",\"*\",\"*\",\"0x123456789\",\"NULL\",\"\",\"NULL\",\"\"\n"
        "\"IPv4\",\"*\",\"*\",\"spi\",\"NULL\",\"\",\"NULL\",\"\"\n"
        "\"IPv6\",\"*\",\"*\",\"0x2\",\"NULL\",\"\",\"HMAC-SHA-1-96 [RFC2404]\",\"0x");
    for (int i = 0; i < 65; i++)
        g_string_append(t, "ab");
    g_string_append(t, "\"\n");
    g_assert_cmpint(load(ctx, t->str, &e), ==, 1);
    g_assert_cmpuint(keys_esp_count(ctx->keys), ==, 1);
    g_assert_cmpuint(e.errs->len, ==, 4);
    g_assert_nonnull(strstr(e.errs->pdata[0], ":2: protocol must be"));
    g_assert_nonnull(strstr(e.errs->pdata[1], ":3: SPI must be"));
    g_assert_nonnull(strstr(e.errs->pdata[2], ":4: SPI must be"));
    g_assert_nonnull(strstr(e.errs->pdata[3], ":5: key longer than 64 bytes"));
    g_string_free(t, TRUE);
    g_ptr_array_free(e.errs, TRUE);
    isakmp_ctx_free(ctx);
}

/* The peer suite's own tables load without a complaint. */
static void test_peer_tables(void)
{
    const char *files[] = { "ikev1_decryption_table", "ikev2_decryption_table", "esp_sa" };
    const int want[] = { 3, 9, 2 };
    for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
        char *path = g_build_filename(ISAKMP_SHARED_DIR, "peer-suite", "wireshark", files[i], NULL);
        if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
            g_free(path);
            g_test_skip("no peer suite");
            return;
        }
        isakmp_ctx *ctx = isakmp_ctx_new();
        errs_t e = { g_ptr_array_new_with_free_func(g_free) };
        g_assert_cmpint(isakmp_ctx_load_keys(ctx, path, on_err, &e), ==, want[i]);
        g_assert_cmpuint(e.errs->len, ==, 0);
        g_ptr_array_free(e.errs, TRUE);
        isakmp_ctx_free(ctx);
        g_free(path);
    }
}

/* One SA as the esp_sa line Wireshark 4.0 writes for it. */
static char *esp_line(const isakmp_esp_sa *sa, const char *spi_text)
{
    char spi[16];
    g_snprintf(spi, sizeof spi, "0x%08x", sa->spi);
    return g_strdup_printf("\"%s\",\"%s\",\"%s\",\"%s\",\"%s\",\"%s\",\"%s\",\"%s\"",
                           sa->af == 6 ? "IPv6" : sa->af == 4 ? "IPv4" : "Any", sa->src, sa->dst,
                           spi_text ? spi_text : spi, sa->encr_alg, sa->encr_key, sa->integ_alg,
                           sa->integ_key);
}

/* esp_sa files (a sample's, the Wireshark wiki's with wildcard addresses and
 * no integrity key) come back through the accessor exactly as written. */
static void test_esp_accessor_files(void)
{
    const char *files[] = { "samples/ikev1-main-rsa-certs-frag/esp_sa",
                            "../shared/peer-suite/wireshark-wiki/ikev2-esp-natt/esp_sa",
                            "../shared/peer-suite/wireshark/esp_sa" };
    for (size_t f = 0; f < G_N_ELEMENTS(files); f++) {
        char *path = g_build_filename(ISAKMP_SOURCE_DIR, files[f], NULL);
        gchar *text;
        if (!g_file_get_contents(path, &text, NULL, NULL)) {
            g_free(path);
            continue;   /* the peer suite may be missing */
        }
        isakmp_ctx *ctx = isakmp_ctx_new();
        g_assert_cmpint(isakmp_ctx_load_keys(ctx, path, NULL, NULL), >, 0);
        g_assert_cmpint(isakmp_ctx_load_keys(ctx, path, NULL, NULL), >, 0);   /* replaces */
        char **lines = g_strsplit(text, "\n", -1);
        size_t n = 0;
        for (size_t i = 0; lines[i]; i++) {
            if (!lines[i][0] || lines[i][0] == '#')
                continue;
            isakmp_esp_sa sa;
            g_assert_true(keys_esp_sa_get(ctx, n++, &sa));
            char *line = esp_line(&sa, NULL);
            g_assert_cmpstr(line, ==, lines[i]);
            g_free(line);
        }
        g_assert_cmpuint(keys_esp_sa_count(ctx), ==, n);
        isakmp_esp_sa sa;
        g_assert_false(keys_esp_sa_get(ctx, n, &sa));
        g_strfreev(lines);
        g_free(text);
        g_free(path);
        isakmp_ctx_free(ctx);
    }
}

/* keys_esp_add (derived SAs) and the export store's SAs in one list. */
static void test_esp_accessor_add(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_esp_sa in = { .af = 6, .src = "fd99::1", .dst = "fd99::2", .spi = 0xc1a9656b,
                         .encr_alg = "AES-CBC [RFC3602]", .encr_key = "00112233AABBCCDD",
                         .integ_alg = "NULL", .integ_key = "" }, out;
    g_assert_true(keys_esp_add(ctx->keys, &in));
    g_assert_cmpuint(keys_esp_sa_count(ctx), ==, 1);
    g_assert_true(keys_esp_sa_get(ctx, 0, &out));
    char *line = esp_line(&out, NULL);
    g_assert_cmpstr(line, ==, "\"IPv6\",\"fd99::1\",\"fd99::2\",\"0xc1a9656b\",\"AES-CBC [RFC3602]\","
                              "\"0x00112233aabbccdd\",\"NULL\",\"\"");
    g_free(line);
    in.encr_key = "0x0011";   /* the same SA again: replaced */
    g_assert_true(keys_esp_add(ctx->keys, &in));
    g_assert_cmpuint(keys_esp_sa_count(ctx), ==, 1);
    g_assert_true(keys_esp_sa_get(ctx, 0, &out));
    g_assert_cmpstr(out.encr_key, ==, "0x0011");
    in.encr_key = "xyz";      /* not hex, no family: refused */
    g_assert_false(keys_esp_add(ctx->keys, &in));
    in.encr_key = "";
    in.af = 0;
    g_assert_false(keys_esp_add(ctx->keys, &in));
    g_assert_cmpuint(keys_esp_sa_count(ctx), ==, 1);
    /* derived SAs kept only for export are listed too, once */
    export_esp x = { .af = 4, .src = "10.0.0.1", .dst = "10.0.0.2", .spi = 0x1234,
                     .encr_name = "NULL", .integ_name = "HMAC-SHA-1-96 [RFC2404]", .alen = 2 };
    export_add_esp(kdf_exports(ctx), &x);
    x.spi = 0xc1a9656b;
    g_strlcpy(x.dst, "fd99::2", sizeof x.dst);
    export_add_esp(kdf_exports(ctx), &x);   /* the key store has it already */
    g_assert_cmpuint(keys_esp_sa_count(ctx), ==, 2);
    g_assert_true(keys_esp_sa_get(ctx, 1, &out));
    g_assert_cmpuint(out.spi, ==, 0x1234);
    g_assert_cmpstr(out.dst, ==, "10.0.0.2");
    g_assert_false(keys_esp_sa_get(ctx, 2, &out));
    isakmp_ctx_free(ctx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/keys/v1-table", test_v1_table);
    g_test_add_func("/keys/v2-table", test_v2_table);
    g_test_add_func("/keys/esp-and-unknown", test_esp_and_unknown);
    g_test_add_func("/keys/regress/esp-bad-fields", test_esp_bad_fields);
    g_test_add_func("/keys/peer-tables", test_peer_tables);
    g_test_add_func("/keys/esp-accessor-files", test_esp_accessor_files);
    g_test_add_func("/keys/esp-accessor-add", test_esp_accessor_add);
    return g_test_run();
}
