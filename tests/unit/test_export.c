/* Keys out: each UAT line is formatted exactly as the Wireshark files of the
 * peer suite (tshark's own test keys) write it; names; the store; files. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "keying/derive.h"
#include "keys/export.h"
#include "keys/keys.h"
#include "testutil.h"

/* The line of a peer-suite file that contains `needle`, without newline. */
static gchar *peer_line(const char *file, const char *needle)
{
    gchar *path = g_build_filename(ISAKMP_SHARED_DIR, "peer-suite", file, NULL), *text = NULL;
    gchar *found = NULL;
    if (g_file_get_contents(path, &text, NULL, NULL)) {
        gchar **lines = g_strsplit(text, "\n", 0);
        for (gchar **l = lines; *l && !found; l++)
            if (strstr(*l, needle))
                found = g_strdup(g_strchomp(*l));
        g_strfreev(lines);
    }
    g_free(text);
    g_free(path);
    return found;
}

static void fill(uint8_t *dst, size_t *len, const char *hex)
{
    size_t n;
    uint8_t *b = tu_hex(hex, &n);
    memcpy(dst, b, n);
    if (len)
        *len = n;
    g_free(b);
}

static void test_v2_line(void)
{
    gchar *want = peer_line("wireshark/ikev2_decryption_table", "19ab98963486359f");
    if (!want) {
        g_test_skip("peer suite not found");
        return;
    }
    export_v2 e = { .encr_name = "3DES [RFC2451]", .integ_name = "HMAC_SHA1_160 [RFC4595]" };
    fill(e.spii, NULL, "19ab98963486359f");
    fill(e.spir, NULL, "78f13157ccd3b3d8");
    fill(e.ei, &e.enc_len, "2e0e194070fc658c2bfbfdbf8b956be4b2eaa33d02a43cca");
    fill(e.er, NULL, "219f3080e631774b8d5836d3a675b099b1e271c9bdcf6e15");
    fill(e.ai, &e.integ_len, "c96f5bad08aebbff60509c7495f11c183818b916");
    fill(e.ar, NULL, "e742ac415cdfdd709c9de92769a169e0a5224f79");
    GString *s = g_string_new(NULL);
    export_format_v2(s, &e);
    g_string_truncate(s, s->len - 1);
    g_assert_cmpstr(s->str, ==, want);
    g_string_free(s, TRUE);
    g_free(want);
}

static void check_esp(const char *file, const char *spi_text, uint32_t spi, uint16_t encr,
                      uint16_t integ, const char *ek, const char *ak)
{
    gchar *want = peer_line(file, spi_text);
    if (!want) {
        g_test_skip("peer suite not found");
        return;
    }
    export_esp e = { .af = 4, .spi = spi, .encr_name = export_esp_encr_name(encr, 0),
                     .integ_name = export_esp_integ_name(integ) };
    strcpy(e.src, "*");
    strcpy(e.dst, "*");
    fill(e.ekey, &e.elen, ek);
    if (ak)
        fill(e.akey, &e.alen, ak);
    GString *s = g_string_new(NULL);
    export_format_esp(s, &e);
    g_string_truncate(s, s->len - 1);
    g_assert_cmpstr(s->str, ==, want);
    g_string_free(s, TRUE);
    g_free(want);
}

static void test_esp_lines(void)
{
    check_esp("wireshark-wiki/ikev2-esp-natt/esp_sa", "0x78bd5377", 0x78bd5377, 13, 12,
              "9e93603f8c0e5406e7bf052518fec074c3ff06c9",
              "1cfd5c2079c7cab5a98cbe091e6d935832a3b410204313c3e15265567489b7c6");
    check_esp("wireshark-wiki/ikev2-esp-natt/esp_sa", "0xc1a9656b", 0xc1a9656b, 20, 0,
              "167fc4915921b24f27f71e7498b1978c238398d6", NULL);
}

static void test_v1_line(void)
{
    gchar *want = peer_line("wireshark/ikev1_decryption_table", "fafaeb49382a763c");
    if (!want) {
        g_test_skip("peer suite not found");
        return;
    }
    export_v1 e;
    fill(e.icookie, NULL, "fafaeb49382a763c");
    fill(e.key, &e.len, "735be0cb62f82675c4f7bf8fbab9b56834ba76d6ab4fa240");
    GString *s = g_string_new(NULL);
    export_format_v1(s, &e);
    g_string_truncate(s, s->len - 1);
    g_assert_cmpstr(s->str, ==, want);
    g_string_free(s, TRUE);
    g_free(want);
}

static void test_names(void)
{
    g_assert_cmpstr(export_esp_encr_name(3, 192), ==, "TripleDES-CBC [RFC2451]");
    g_assert_cmpstr(export_esp_encr_name(12, 128), ==, "AES-CBC [RFC3602]");
    g_assert_cmpstr(export_esp_encr_name(18, 128), ==, "AES-GCM with 8 octet ICV [RFC4106]");
    g_assert_null(export_esp_encr_name(99, 0));
    g_assert_cmpstr(export_esp_integ_name(2), ==, "HMAC-SHA-1-96 [RFC2404]");
    g_assert_cmpstr(export_esp_integ_name(14), ==, "HMAC-SHA-512-256 [RFC4868]");
    g_assert_cmpuint(export_v1_auth_to_integ(5), ==, 12);   /* HMAC-SHA2-256 */
    g_assert_cmpuint(export_v1_auth_to_integ(2), ==, 2);
}

/* Same SA twice: the later entry wins; the files are written and readable. */
static void test_store_and_files(void)
{
    struct export_store *st = export_store_new();
    export_esp e = { .af = 6, .spi = 0x1234, .encr_name = "NULL", .integ_name = "NULL" };
    strcpy(e.src, "2001:db8::1");
    strcpy(e.dst, "2001:db8::2");
    export_add_esp(st, &e);
    e.alen = 0;
    e.elen = 1;
    e.ekey[0] = 0xab;
    export_add_esp(st, &e);
    g_assert_cmpuint(export_esp_count(st), ==, 1);
    g_assert_cmpstr(export_esp_get(st, 0)->ehex, ==, "0xab");
    gchar *dir = g_dir_make_tmp("isakmp-export-XXXXXX", NULL);
    gchar *sub = g_build_filename(dir, "keys", NULL);
    char err[256];
    g_assert_cmpint(export_write(st, sub, err, sizeof err), ==, 0);
    gchar *p = g_build_filename(sub, "esp_sa", NULL), *text = NULL;
    g_assert_true(g_file_get_contents(p, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, "\"IPv6\",\"2001:db8::1\",\"2001:db8::2\",\"0x00001234\",\"NULL\",\"0xab\",\"NULL\",\"\"\n");
    g_free(text);
    const char *names[] = { "esp_sa", "ikev1_decryption_table", "ikev2_decryption_table" };
    for (size_t i = 0; i < 3; i++) {
        gchar *f = g_build_filename(sub, names[i], NULL);
        g_assert_true(g_file_test(f, G_FILE_TEST_EXISTS));
        g_remove(f);
        g_free(f);
    }
    g_rmdir(sub);
    g_rmdir(dir);
    /* an unwritable place is an error with a reason, not a crash */
    g_assert_cmpint(export_write(st, "/proc/nonexistent/dir", err, sizeof err), ==, -1);
    g_assert_cmpuint(strlen(err), >, 0);
    g_free(p);
    g_free(sub);
    g_free(dir);
    export_store_free(st);
}

static unsigned count_of(const char *text, const char *needle)
{
    unsigned n = 0;
    for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

/* Regression (issue 22): each add walked its table, so deriving the keys of
 * many SAs was quadratic; entries are indexed now.  An entry with the
 * identity of one before it (cookie; SPI pair and epoch; SPI and
 * destination) still replaces it in its place; any other is appended. */
static void test_many_entries(void)
{
    struct export_store *st = export_store_new();
    const unsigned n = 4000;
    for (unsigned round = 0; round < 2; round++)
        for (unsigned i = 0; i < n; i++) {
            export_v1 a = { .len = 1 };
            memcpy(a.icookie, &i, sizeof i);
            a.key[0] = (uint8_t)(0xa0 + round);
            export_add_v1(st, &a);
            export_v2 b = { .epoch = i % 2, .enc_len = 1, .encr_name = "NULL",
                            .integ_name = "NONE" };
            memcpy(b.spii, &i, sizeof i);
            b.spir[0] = 1;
            b.ei[0] = (uint8_t)(0xb0 + round);
            export_add_v2(st, &b);
            if (round == 1 && i % 100)
                continue;   /* ESP: every 100th again */
            export_esp e = { .af = 4, .spi = 0x7000 + i, .elen = 1, .encr_name = "NULL",
                             .integ_name = "NULL" };
            e.ekey[0] = (uint8_t)(round + 1);
            strcpy(e.src, "192.0.2.1");
            strcpy(e.dst, i % 2 ? "192.0.2.2" : "192.0.2.3");
            export_add_esp(st, &e);
        }
    GString *t = export_text(st);   /* each SA once, with its second round's keys */
    g_assert_cmpuint(count_of(t->str, ",a1\n"), ==, n);
    g_assert_cmpuint(count_of(t->str, ",a0\n"), ==, 0);
    g_assert_cmpuint(count_of(t->str, ",b1,"), ==, n);
    g_assert_cmpuint(count_of(t->str, ",b0,"), ==, 0);
    export_text_free(t);
    g_assert_cmpuint(export_esp_count(st), ==, n);
    for (unsigned i = 0; i < n; i += 97) {
        const export_esp *e = export_esp_get(st, i);
        g_assert_cmpuint(e->spi, ==, 0x7000 + i);   /* in its place */
        g_assert_cmpstr(e->ehex, ==, i % 100 ? "0x01" : "0x02");
    }
    /* the same SPI towards another destination: an entry of its own */
    export_esp e = { .af = 4, .spi = 0x7000, .encr_name = "NULL", .integ_name = "NULL" };
    strcpy(e.src, "192.0.2.1");
    strcpy(e.dst, "192.0.2.9");
    export_add_esp(st, &e);
    g_assert_cmpuint(export_esp_count(st), ==, n + 1);
    export_store_free(st);
}

/* Regression (issue 22): the ESP SA list (the key store's, then the derived
 * ones it lacks) walked every export and the key store for each look-up,
 * a packet's.  The list of derived ones is kept, made again when either
 * side grows; the list is what it was: loaded SAs first, then the derived
 * ones the store lacks (SPI and destination), in the order derived. */
static void test_esp_sa_list(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    struct export_store *x = kdf_exports(ctx);
    export_esp e = { .af = 4, .encr_name = "NULL", .integ_name = "NULL" };
    strcpy(e.src, "192.0.2.1");
    strcpy(e.dst, "192.0.2.2");
    for (unsigned i = 1; i <= 1000; i++) {
        e.spi = i;
        export_add_esp(x, &e);
    }
    isakmp_esp_sa sa = { .af = 4, .src = "192.0.2.1", .dst = "192.0.2.2", .encr_alg = "NULL",
                         .encr_key = "", .integ_alg = "NULL", .integ_key = "" };
    for (unsigned i = 500; i < 510; i++) {   /* ten of them loaded too */
        sa.spi = i;
        g_assert_true(keys_esp_add(ctx->keys, &sa));
    }
    isakmp_esp_sa got;
    g_assert_cmpuint(isakmp_ctx_esp_sa_count(ctx), ==, 1000);
    g_assert_true(isakmp_ctx_esp_sa_get(ctx, 0, &got));
    g_assert_cmpuint(got.spi, ==, 500);
    g_assert_true(isakmp_ctx_esp_sa_get(ctx, 10, &got));
    g_assert_cmpuint(got.spi, ==, 1);
    g_assert_true(isakmp_ctx_esp_sa_get(ctx, 10 + 499, &got));
    g_assert_cmpuint(got.spi, ==, 510);   /* 500..509 are the loaded ones */
    g_assert_true(isakmp_ctx_esp_sa_get(ctx, 999, &got));
    g_assert_cmpuint(got.spi, ==, 1000);
    g_assert_false(isakmp_ctx_esp_sa_get(ctx, 1000, &got));
    /* one more derived: at the end; one more loaded: among the first, and
     * the derived one it names is no longer listed as derived */
    e.spi = 2000;
    export_add_esp(x, &e);
    g_assert_cmpuint(isakmp_ctx_esp_sa_count(ctx), ==, 1001);
    g_assert_true(isakmp_ctx_esp_sa_get(ctx, 1000, &got));
    g_assert_cmpuint(got.spi, ==, 2000);
    sa.spi = 1;
    g_assert_true(keys_esp_add(ctx->keys, &sa));
    g_assert_cmpuint(isakmp_ctx_esp_sa_count(ctx), ==, 1001);
    g_assert_true(isakmp_ctx_esp_sa_get(ctx, 10, &got));
    g_assert_cmpuint(got.spi, ==, 1);   /* the eleventh loaded */
    g_assert_true(isakmp_ctx_esp_sa_get(ctx, 11, &got));
    g_assert_cmpuint(got.spi, ==, 2);   /* the first derived */
    isakmp_ctx_free(ctx);
}

/* The three tables as one text (what --export-keys - prints), and its copy
 * into a caller's buffer, cut like snprintf. */
static void test_text(void)
{
    struct export_store *st = export_store_new();
    export_esp e = { .af = 4, .spi = 0xc0ffee, .encr_name = "NULL", .integ_name = "NULL" };
    strcpy(e.src, "192.0.2.1");
    strcpy(e.dst, "192.0.2.2");
    export_add_esp(st, &e);
    static const char want[] = "# ikev1_decryption_table\n# ikev2_decryption_table\n# esp_sa\n"
                               "\"IPv4\",\"192.0.2.1\",\"192.0.2.2\",\"0x00c0ffee\",\"NULL\",\"\","
                               "\"NULL\",\"\"\n";
    GString *t = export_text(st);
    g_assert_cmpstr(t->str, ==, want);
    char buf[16];
    g_assert_cmpuint(export_text_out(t, buf, sizeof buf), ==, strlen(want));
    g_assert_cmpstr(buf, ==, "# ikev1_decrypt");
    g_assert_cmpuint(export_text_out(export_text(st), NULL, 0), ==, strlen(want));
    export_store_free(st);
}

/* Regression (issue 16): the library printed the tables and the psk-crack
 * lines to standard output when the path was "-"; that convention is the
 * CLI's now, and "-" is an ordinary name to the library. */
static void test_dash_is_a_name(void)
{
    gchar *dir = g_dir_make_tmp("isakmp-export-XXXXXX", NULL);
    gchar *cwd = g_get_current_dir();
    g_assert_cmpint(g_chdir(dir), ==, 0);
    isakmp_ctx *ctx = isakmp_ctx_new();
    char err[256];
    g_assert_cmpint(isakmp_ctx_export_keys(ctx, "-", err, sizeof err), ==, 0);
    g_assert_true(g_file_test("-/esp_sa", G_FILE_TEST_IS_REGULAR));
    const char *names[] = { "esp_sa", "ikev1_decryption_table", "ikev2_decryption_table" };
    for (size_t i = 0; i < 3; i++) {
        gchar *f = g_build_filename("-", names[i], NULL);
        g_remove(f);
        g_free(f);
    }
    g_rmdir("-");
    g_assert_cmpint(isakmp_ctx_export_psk_crack(ctx, "-", err, sizeof err), ==, 0);
    g_assert_true(g_file_test("-", G_FILE_TEST_IS_REGULAR));
    g_remove("-");
    /* the same texts in memory: the empty tables, no psk-crack line */
    char buf[128];
    g_assert_cmpuint(isakmp_ctx_export_keys_mem(ctx, buf, sizeof buf), ==, strlen(buf));
    g_assert_cmpstr(buf, ==, "# ikev1_decryption_table\n# ikev2_decryption_table\n# esp_sa\n");
    g_assert_cmpuint(isakmp_ctx_export_psk_crack_mem(ctx, buf, sizeof buf), ==, 0);
    g_assert_cmpstr(buf, ==, "");
    isakmp_ctx_free(ctx);
    g_assert_cmpint(g_chdir(cwd), ==, 0);
    g_rmdir(dir);
    g_free(cwd);
    g_free(dir);
}

/* Merging into a table: other SAs' rows and comments stay in place, a row
 * for one of our SAs is replaced where it was (duplicates of it dropped),
 * our new rows come last, the last of ours for one SA wins. */
static void test_merge(void)
{
    const char *old = "# This file is automatically generated, DO NOT MODIFY.\n"
                      "\"IPv4\",\"192.0.2.1\",\"192.0.2.2\",\"0x00000001\",\"NULL\",\"\",\"NULL\",\"\"\n"
                      "\"IPv4\",\"192.0.2.2\",\"192.0.2.1\",\"0x0000ABCD\",\"NULL\",\"\",\"NULL\",\"\"\n"
                      "\"IPv4\",\"192.0.2.3\",\"192.0.2.1\",\"0x00000003\",\"NULL\",\"\",\"NULL\",\"\"\n"
                      "\"IPv4\",\"192.0.2.2\",\"192.0.2.1\",\"0x0000abcd\",\"NULL\",\"\",\"NULL\",\"\"";
    const char *ours = "\"IPv4\",\"192.0.2.9\",\"192.0.2.8\",\"0x00000009\",\"NULL\",\"0x01\",\"NULL\",\"\"\n"
                       "\"IPv4\",\"192.0.2.2\",\"192.0.2.1\",\"0x0000abcd\",\"NULL\",\"0x02\",\"NULL\",\"\"\n"
                       "\"IPv4\",\"192.0.2.9\",\"192.0.2.8\",\"0x00000009\",\"NULL\",\"0x03\",\"NULL\",\"\"\n";
    GString *t = export_merge(old, strlen(old), ours, strlen(ours), EXPORT_ESP);
    g_assert_cmpstr(t->str, ==,
                    "# This file is automatically generated, DO NOT MODIFY.\n"
                    "\"IPv4\",\"192.0.2.1\",\"192.0.2.2\",\"0x00000001\",\"NULL\",\"\",\"NULL\",\"\"\n"
                    "\"IPv4\",\"192.0.2.2\",\"192.0.2.1\",\"0x0000abcd\",\"NULL\",\"0x02\",\"NULL\",\"\"\n"
                    "\"IPv4\",\"192.0.2.3\",\"192.0.2.1\",\"0x00000003\",\"NULL\",\"\",\"NULL\",\"\"\n"
                    "\"IPv4\",\"192.0.2.9\",\"192.0.2.8\",\"0x00000009\",\"NULL\",\"0x03\",\"NULL\",\"\"\n");
    export_text_free(t);
    /* IKEv2: the SPI pair; IKEv1: the cookie; psk-crack: the two cookies */
    t = export_merge("aa,bb,1\ncc,dd,2\n", 16, "AA,bb,3\n", 8, EXPORT_V2);
    g_assert_cmpstr(t->str, ==, "AA,bb,3\ncc,dd,2\n");
    export_text_free(t);
    t = export_merge("aa,1\n", 5, "bb,2\n", 5, EXPORT_V1);
    g_assert_cmpstr(t->str, ==, "aa,1\nbb,2\n");
    export_text_free(t);
    t = export_merge("g:g:r1:i1:x\ng:g:r2:i2:x\n", 24, "h:h:r2:i2:y\n", 12, EXPORT_PSK);
    g_assert_cmpstr(t->str, ==, "g:g:r1:i1:x\nh:h:r2:i2:y\n");
    export_text_free(t);
    t = export_merge("", 0, "", 0, EXPORT_V1);
    g_assert_cmpstr(t->str, ==, "");
    export_text_free(t);
}

/* The files: 0600, the folder 0700 when made, a planted symbolic link never
 * followed (and then nothing written), existing rows kept. */
static void test_merge_files(void)
{
    gchar *dir = g_dir_make_tmp("isakmp-export-XXXXXX", NULL);
    gchar *sub = g_build_filename(dir, "made", "here", NULL);
    GString *ours[3] = { g_string_new("0102030405060708,00\n"), g_string_new(""),
                         g_string_new("") };
    char err[256];
    g_assert_cmpint(export_merge_dir(sub, ours, err, sizeof err), ==, 0);
    GStatBuf st;
    g_assert_cmpint(g_stat(sub, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0700);
    gchar *v1 = g_build_filename(sub, "ikev1_decryption_table", NULL);
    g_assert_cmpint(g_stat(v1, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    g_string_assign(ours[0], "1111111111111111,01\n");
    g_assert_cmpint(export_merge_dir(sub, ours, err, sizeof err), ==, 0);
    gchar *text = NULL;
    g_assert_true(g_file_get_contents(v1, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, "0102030405060708,00\n1111111111111111,01\n");
    g_free(text);
    /* a link planted in place of a table: refused, the target untouched, nothing written */
    gchar *target = g_build_filename(dir, "target", NULL);
    g_assert_true(g_file_set_contents(target, "precious\n", -1, NULL));
    gchar *esp = g_build_filename(sub, "esp_sa", NULL);
    g_remove(esp);
    g_assert_cmpint(symlink(target, esp), ==, 0);
    g_string_assign(ours[0], "2222222222222222,02\n");
    g_string_assign(ours[2], "\"IPv4\",\"a\",\"b\",\"0x00000001\",\"NULL\",\"\",\"NULL\",\"\"\n");
    g_assert_cmpint(export_merge_dir(sub, ours, err, sizeof err), ==, -1);
    g_assert_nonnull(strstr(err, "symbolic link"));
    g_assert_true(g_file_get_contents(target, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, "precious\n");
    g_free(text);
    g_assert_true(g_file_get_contents(v1, &text, NULL, NULL));
    g_assert_null(strstr(text, "2222"));   /* all read before any is written */
    g_free(text);
    /* a table holding a NUL byte is not text we may rewrite: refused */
    g_remove(esp);
    g_assert_true(g_file_set_contents(esp, "a\0b\n", 4, NULL));
    g_assert_cmpint(export_merge_dir(sub, ours, err, sizeof err), ==, -1);
    g_assert_nonnull(strstr(err, "not a text table"));
    g_remove(esp);
    /* the psk-crack file: the same care */
    gchar *psk = g_build_filename(sub, "psk", NULL);
    g_assert_cmpint(symlink(target, psk), ==, 0);
    g_assert_cmpint(isakmp_export_psk_crack_merge(psk, "a:b:c:d:e\n", 10, err, sizeof err), ==, -1);
    g_remove(psk);
    g_assert_cmpint(isakmp_export_psk_crack_merge(psk, "a:b:c:d:e\n", 10, err, sizeof err), ==, 0);
    g_assert_cmpint(isakmp_export_psk_crack_merge(psk, "x:y:c:d:f\nx:y:c:e:f\n", 20, err,
                                                  sizeof err), ==, 0);
    g_assert_true(g_file_get_contents(psk, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, "x:y:c:d:f\nx:y:c:e:f\n");
    g_free(text);
    g_assert_cmpint(g_stat(psk, &st), ==, 0);
    g_assert_cmpint(st.st_mode & 0777, ==, 0600);
    /* the text form (several contexts' exports one after the other) */
    g_remove(esp);
    const char *two = "# ikev1_decryption_table\n3333333333333333,03\n# ikev2_decryption_table\n"
                      "# esp_sa\n# ikev1_decryption_table\n3333333333333333,04\n";
    g_assert_cmpint(isakmp_export_keys_merge(sub, two, strlen(two), err, sizeof err), ==, 0);
    g_assert_true(g_file_get_contents(v1, &text, NULL, NULL));
    g_assert_cmpstr(text, ==, "0102030405060708,00\n1111111111111111,01\n3333333333333333,04\n");
    g_free(text);
    const char *names[] = { "esp_sa", "ikev1_decryption_table", "ikev2_decryption_table", "psk",
                            "target" };
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        gchar *f = g_build_filename(i < 4 ? sub : dir, names[i], NULL);
        g_remove(f);
        g_free(f);
    }
    gchar *made = g_path_get_dirname(sub);
    g_rmdir(sub);
    g_rmdir(made);
    g_assert_cmpint(g_rmdir(dir), ==, 0);   /* no temporary file left behind */
    for (int i = 0; i < 3; i++)
        g_string_free(ours[i], TRUE);
    g_free(made);
    g_free(psk);
    g_free(esp);
    g_free(target);
    g_free(v1);
    g_free(sub);
    g_free(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/export/v2_line", test_v2_line);
    g_test_add_func("/export/esp_lines", test_esp_lines);
    g_test_add_func("/export/v1_line", test_v1_line);
    g_test_add_func("/export/names", test_names);
    g_test_add_func("/export/store_and_files", test_store_and_files);
    g_test_add_func("/export/regress/many-entries", test_many_entries);
    g_test_add_func("/export/regress/esp-sa-list", test_esp_sa_list);
    g_test_add_func("/export/text", test_text);
    g_test_add_func("/export/dash_is_a_name", test_dash_is_a_name);
    g_test_add_func("/export/merge", test_merge);
    g_test_add_func("/export/merge_files", test_merge_files);
    return g_test_run();
}
