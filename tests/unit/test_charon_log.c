/* strongSwan charon logs as key sources, in every dialect users have them:
 * real logs (tests/data/logs/, made by samples/generate with strongSwan
 * 5.9.8 and 6.0.1) at the plain `ike 4, chd 4` level (no mgr, no names, no
 * time) and with time, IKE_SA names and mgr; rewritten with syslog,
 * journald, RFC 5424, ISO and charon-systemd prefixes; without mgr lines;
 * compressed with gzip, xz and zstd.  Each must give the keys of the
 * capture's tables.  And what a log says when nothing usable is in it. */
#include <glib.h>
#include <string.h>

#include "keys/charon_log.h"
#include "testutil.h"

static int cmp_str(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static char *data_dir(void)
{
    return g_build_filename(ISAKMP_SOURCE_DIR, "tests", "data", "logs", NULL);
}

/* ---------------------------------------------------------------- dialects */

typedef char *(*rewrite_fn)(const char *line);

static char *as_is(const char *line) { return g_strdup(line); }

static char *syslog_bsd(const char *line) { return g_strconcat("Dec  6 17:00:00 gw charon: ", line, NULL); }

static char *journald(const char *line)
{
    return g_strconcat("Dec 06 17:00:00 gw charon[4242]: ", line, NULL);
}

static char *rfc5424(const char *line)
{
    return g_strconcat("<30>1 2026-12-06T17:00:00.123456+00:00 gw charon 4242 - - ", line, NULL);
}

static char *rsyslog_iso(const char *line)
{
    return g_strconcat("2026-12-06T17:00:00.123456+00:00 gw charon: ", line, NULL);
}

/* charon-systemd's journal: no thread number, no group */
static char *systemd_journal(const char *line)
{
    const char *p = line;
    while (g_ascii_isdigit(*p))
        p++;
    if (p > line && p[0] == '[' && p[4] == ']' && p[5] == ' ')
        p += 6;
    else
        p = line;
    return g_strconcat("Dec 06 17:00:00 gw charon-systemd[4242]: ", p, NULL);
}

/* the mgr lines dropped (a log with names and time, without mgr) */
static char *no_mgr(const char *line)
{
    return strstr(line, "[MGR]") ? NULL : g_strdup(line);
}

/* A dump row ("NN[GRP] [<name|N> ]  OFF: HH ..."). */
static bool row_line(const char *line)
{
    const char *p = strstr(line, "] ");
    if (!p)
        return false;
    p += 2;
    if (*p == '<' && (p = strstr(p, "> ")) != NULL)
        p += 2;
    while (p && *p == ' ')
        p++;
    if (!p || !g_ascii_isdigit(*p))
        return false;
    while (g_ascii_isdigit(*p))
        p++;
    return p[0] == ':' && p[1] == ' ';
}

/* ike 3: no key dumps (the key dumps' heads and rows dropped) */
static char *no_keys(const char *line)
{
    static const char *const keys[] = { "secret =>", "SKEYSEED =>", "SKEYID", "Ka =>",
                                        "initiator key =>", "responder key =>" };
    static bool skipping;
    if (row_line(line))
        return skipping ? NULL : g_strdup(line);
    skipping = false;
    for (size_t i = 0; strstr(line, " => ") && i < G_N_ELEMENTS(keys); i++)
        skipping = skipping || strstr(line, keys[i]);
    return skipping ? NULL : g_strdup(line);
}

static GString *rewrite(const char *text, rewrite_fn fn)
{
    GString *out = g_string_new(NULL);
    gchar **lines = g_strsplit(text, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        if (!lines[i][0])
            continue;
        char *l = fn(lines[i]);
        if (l)
            g_string_append_printf(out, "%s\n", l);
        g_free(l);
    }
    g_strfreev(lines);
    return out;
}

/* ---------------------------------------------------------------- one run */

/* The data lines of export text or key tables, sorted, one string. */
static char *sorted_lines(const char *text)
{
    gchar **lines = g_strsplit(text, "\n", -1);
    GPtrArray *keep = g_ptr_array_new();
    for (size_t i = 0; lines[i]; i++)
        if (lines[i][0] && lines[i][0] != '#')
            g_ptr_array_add(keep, lines[i]);
    g_ptr_array_sort(keep, cmp_str);
    g_ptr_array_add(keep, NULL);
    char *out = g_strjoinv("\n", (gchar **)keep->pdata);
    g_ptr_array_free(keep, TRUE);
    g_strfreev(lines);
    return out;
}

/* The capture's tables, as samples/generate wrote them. */
static char *tables(const char *dir)
{
    GString *all = g_string_new(NULL);
    static const char *const names[] = { "ikev1_decryption_table", "ikev2_decryption_table", "esp_sa" };
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        char *path = g_build_filename(dir, names[i], NULL), *text = NULL;
        if (g_file_get_contents(path, &text, NULL, NULL))
            g_string_append_printf(all, "%s\n", text);
        g_free(text);
        g_free(path);
    }
    char *s = sorted_lines(all->str);
    g_string_free(all, TRUE);
    return s;
}

typedef struct {
    GPtrArray *errors;
} errs_t;

static void on_error(void *user, const char *where, const char *reason)
{
    g_ptr_array_add(((errs_t *)user)->errors, g_strdup_printf("%s: %s", where, reason));
}

/* Loads each (name, text) pair, decodes the capture of dir, returns the
 * exported keys (sorted data lines). */
static char *run(const char *dir, const char *const *names, GString *const *texts, size_t n,
                 isakmp_ctx **keep, errs_t *errs)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    for (size_t i = 0; i < n; i++)
        isakmp_ctx_load_keys_mem(ctx, names[i], texts[i]->str, texts[i]->len, on_error, errs);
    g_setenv("ISAKMP_SAMPLES_DIR", dir, TRUE);
    GPtrArray *frames = tu_sample_frames(".");
    g_unsetenv("ISAKMP_SAMPLES_DIR");
    g_assert_nonnull(frames);
    for (guint i = 0; i < frames->len; i++) {
        tu_frame *f = frames->pdata[i];
        isakmp_msg_free(isakmp_decode(ctx, &f->pkt));
    }
    tu_frames_free(frames);
    static char buf[1 << 16];
    isakmp_ctx_export_keys_mem(ctx, buf, sizeof buf);
    if (keep)
        *keep = ctx;
    else
        isakmp_ctx_free(ctx);
    return sorted_lines(buf);
}

static GString *read_text(const char *dir, const char *file)
{
    char *path = g_build_filename(dir, file, NULL), *text = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &text, &len, NULL))
        g_error("%s missing", path);
    g_free(path);
    GString *s = g_string_new_len(text, (gssize)len);
    g_free(text);
    return s;
}

/* Every sample directory under tests/data/logs/<daemon version>/. */
static GPtrArray *sample_dirs(void)
{
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    char *top = data_dir();
    GDir *d = g_dir_open(top, 0, NULL);
    const char *v;
    while (d && (v = g_dir_read_name(d))) {
        char *vd = g_build_filename(top, v, NULL);
        GDir *s = g_dir_open(vd, 0, NULL);
        const char *name;
        while (s && (name = g_dir_read_name(s)))
            g_ptr_array_add(out, g_build_filename(vd, name, NULL));
        if (s)
            g_dir_close(s);
        g_free(vd);
    }
    if (d)
        g_dir_close(d);
    g_free(top);
    g_ptr_array_sort(out, cmp_str);
    return out;
}

/* Both peers' logs, one of them, in one dialect: the tables' keys. */
static void check_dialect(const char *base, rewrite_fn fn, bool both)
{
    GPtrArray *dirs = sample_dirs();
    g_assert_cmpuint(dirs->len, >=, 3);
    for (guint i = 0; i < dirs->len; i++) {
        const char *dir = dirs->pdata[i];
        char *want = tables(dir);
        for (int side = 0; side < (both ? 1 : 2); side++) {
            const char *names[2] = { "charon-initiator", "charon-responder" };
            GString *texts[2];
            for (int k = 0; k < 2; k++) {
                char *file = g_strdup_printf("%s%s", names[k], base);
                GString *raw = read_text(dir, file);
                texts[k] = rewrite(raw->str, fn);
                g_string_free(raw, TRUE);
                g_free(file);
            }
            errs_t errs = { g_ptr_array_new_with_free_func(g_free) };
            size_t first = both ? 0 : (size_t)side;
            char *got = run(dir, names + first, texts + first, both ? 2 : 1, NULL, &errs);
            if (g_strcmp0(got, want))
                g_error("%s (%s%s): keys differ from the tables:\n%s\nwant:\n%s", dir,
                        both ? "both logs" : names[side], base, got, want);
            g_assert_cmpuint(errs.errors->len, ==, 0);
            g_ptr_array_free(errs.errors, TRUE);
            g_free(got);
            for (int k = 0; k < 2; k++)
                g_string_free(texts[k], TRUE);
        }
        g_free(want);
    }
    g_ptr_array_free(dirs, TRUE);
}

static void test_plain_ike4(void)
{
    check_dialect("-ike4.log", as_is, true);
    check_dialect("-ike4.log", as_is, false);
}

static void test_full(void)
{
    check_dialect(".log", as_is, true);
    check_dialect(".log", as_is, false);
}

/* Regression: without mgr, the initiator logs a rekeyed IKE SA's keys under
 * the old SA's name (<s|1>), whose SPIs its NAT-D dumps gave: they were tied
 * to the old SA, and the new one got no keys. */
static void test_names_no_mgr(void) { check_dialect(".log", no_mgr, false); }
static void test_syslog(void) { check_dialect("-ike4.log", syslog_bsd, true); }
static void test_journald(void) { check_dialect("-ike4.log", journald, false); }
static void test_rfc5424(void) { check_dialect("-ike4.log", rfc5424, true); }
static void test_iso(void) { check_dialect(".log", rsyslog_iso, false); }
static void test_systemd_journal(void) { check_dialect("-ike4.log", systemd_journal, true); }

/* gzip, xz, zstd: the same keys as the log itself */
static void test_compressed(void)
{
    char *top = data_dir();
    char *dir = g_build_filename(top, "strongswan-5.9.8", "ikev2-psk-aes256-sha256-ecp256", NULL);
    char *want = tables(dir);
    static const char *const exts[] = { ".gz", ".xz", ".zst" };
    for (size_t i = 0; i < G_N_ELEMENTS(exts); i++) {
        char *file = g_strdup_printf("charon-initiator-ike4.log%s", exts[i]);
        GString *t = read_text(dir, file);
        const char *names[1] = { file };
        GString *texts[1] = { t };
        errs_t errs = { g_ptr_array_new_with_free_func(g_free) };
        char *got = run(dir, names, texts, 1, NULL, &errs);
        if (errs.errors->len)   /* built without that library: it must say so */
            g_assert_nonnull(strstr(g_ptr_array_index(errs.errors, 0), "built without"));
        else
            g_assert_cmpstr(got, ==, want);
        g_free(got);
        g_ptr_array_free(errs.errors, TRUE);
        g_string_free(t, TRUE);
        g_free(file);
    }
    /* damaged: said, nothing loaded */
    GString *bad = g_string_new_len("\x1f\x8b\x08\x00garbage", 12);
    isakmp_ctx *ctx = isakmp_ctx_new();
    errs_t errs = { g_ptr_array_new_with_free_func(g_free) };
    g_assert_cmpint(isakmp_ctx_load_keys_mem(ctx, "bad.gz", bad->str, bad->len, on_error, &errs), ==, 0);
    g_assert_cmpuint(errs.errors->len, ==, 1);
    isakmp_key_source s;
    g_assert_true(isakmp_ctx_key_source(ctx, 0, &s));
    g_assert_nonnull(s.note);
    isakmp_ctx_free(ctx);
    g_ptr_array_free(errs.errors, TRUE);
    g_string_free(bad, TRUE);
    g_free(want);
    g_free(dir);
    g_free(top);
}

/* Never silent: a log without key dumps says so and what to do; a log whose
 * keys the log ties to no SA says that they are candidates; the counts. */
static void test_messages(void)
{
    char *top = data_dir();
    char *dir = g_build_filename(top, "strongswan-5.9.8", "ikev2-psk-aes256-sha256-ecp256", NULL);
    GString *raw = read_text(dir, "charon-initiator-ike4.log");
    GString *texts[1] = { rewrite(raw->str, no_keys) };
    const char *names[1] = { "ike3.log" };
    errs_t errs = { g_ptr_array_new_with_free_func(g_free) };
    isakmp_ctx *ctx = NULL;
    g_free(run(dir, names, texts, 1, &ctx, &errs));
    g_assert_cmpuint(errs.errors->len, ==, 0);   /* read: not an error, a note */
    isakmp_key_source s;
    g_assert_cmpuint(isakmp_ctx_key_source_count(ctx), ==, 1);
    g_assert_true(isakmp_ctx_key_source(ctx, 0, &s));
    g_assert_cmpstr(s.format, ==, "charon log");
    g_assert_cmpuint(s.entries, ==, 0);
    g_assert_nonnull(strstr(s.note, "charon log without key dumps"));
    g_assert_nonnull(strstr(s.note, "`ike = 4`"));
    isakmp_ctx_free(ctx);
    g_string_free(texts[0], TRUE);

    /* the plain log: counts by kind, tied and candidates, confirmed */
    texts[0] = rewrite(raw->str, as_is);
    names[0] = "ike4.log";
    g_ptr_array_set_size(errs.errors, 0);
    g_free(run(dir, names, texts, 1, &ctx, &errs));
    g_assert_cmpuint(errs.errors->len, ==, 0);
    g_assert_true(isakmp_ctx_key_source(ctx, 0, &s));
    g_assert_cmpuint(s.dh, >=, 1);
    g_assert_cmpuint(s.skeyseed, ==, 2);        /* the first IKE SA and its rekey */
    g_assert_cmpuint(s.child_dh, ==, 1);        /* the CHILD_SA rekey with PFS */
    g_assert_cmpuint(s.tied, >=, 1);            /* natd / AUTH octets dumps give SPIs */
    g_assert_cmpuint(s.candidates, >=, 1);      /* the rekeyed IKE SA's: no SPIs logged */
    g_assert_cmpuint(s.confirmed, >=, 2);       /* both IKE SAs' ICVs */
    isakmp_ctx_free(ctx);
    g_string_free(texts[0], TRUE);

    /* no SPIs at all (no natd, no octets, no mgr): all candidates, noted */
    texts[0] = g_string_new(
        "09[IKE] shared Diffie Hellman secret => 4 bytes @ 0x1\n"
        "09[IKE]    0: 01 02 03 04                                      ....\n");
    ctx = isakmp_ctx_new();
    g_ptr_array_set_size(errs.errors, 0);
    g_assert_cmpint(isakmp_ctx_load_keys_mem(ctx, "x.log", texts[0]->str, texts[0]->len, on_error, &errs), ==, 1);
    g_assert_cmpuint(errs.errors->len, ==, 0);
    g_assert_true(isakmp_ctx_key_source(ctx, 0, &s));
    g_assert_cmpuint(s.candidates, ==, 1);
    g_assert_cmpuint(s.tied, ==, 0);
    g_assert_nonnull(strstr(s.note, "no key tied to an SA"));
    isakmp_ctx_free(ctx);
    g_string_free(texts[0], TRUE);

    g_ptr_array_free(errs.errors, TRUE);
    g_string_free(raw, TRUE);
    g_free(dir);
    g_free(top);
}

/* The line splitter on prefixes that look like thread numbers. */
static void sink_count(void *user, const secret_entry *e) { (*(int *)user)++; }

static void test_prefixes(void)
{
    static const char *const heads[] = {
        "",
        "06:26:30 ",
        "Dec  6 17:00:00 host1 charon: ",
        "Dec 06 17:00:00 gw2 charon[12]: ",
        "<30>1 2026-12-06T17:00:00Z gw charon 12 - - ",
        "2026-12-06T17:00:00.1+01:00 gw charon: ",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(heads); i++) {
        char *text = g_strdup_printf(
            "%s14[IKE] <s|1> natd_chunk => 22 bytes @ 0x1\n"
            "%s14[IKE] <s|1>    0: 98 E1 CD D9 EA 99 84 6E 69 D6 DA 3F C1 AA BC FD  .......ni..?....\n"
            "%s14[IKE] <s|1>   16: 0A 63 00 01 01 F4                                .c....\n"
            "%s14[IKE] <s|1> SKEYSEED => 4 bytes @ 0x1\n"
            "%s14[IKE] <s|1>    0: 01 02 03 04                                      ....\n",
            heads[i], heads[i], heads[i], heads[i], heads[i]);
        charon_log_summary sum;
        int n = 0;
        charon_log_parse("t", text, strlen(text), sink_count, &n, &sum);
        g_assert_cmpint(n, ==, 1);
        g_assert_cmpuint(sum.skeyseed, ==, 1);
        g_assert_cmpuint(sum.tied, ==, 1);
        g_free(text);
    }
}

/* A rekeyed IKE SA's secrets: no SPIs without mgr, but with IKE_SA names
 * the log says which SA's CREATE_CHILD_SA made it (tried first there). */
typedef struct {
    int seeds, tied, parents;
    uint8_t first[8];
} seed_t;

static void sink_seed(void *user, const secret_entry *e)
{
    seed_t *s = user;
    if (e->kind != SEC_V2_SKEYSEED)
        return;
    s->seeds++;
    if (!e->any_sa && s->tied++ == 0)
        memcpy(s->first, e->spi, 8);
    if (e->any_sa && e->have_parent && !memcmp(e->parent_spi, s->first, 8) && e->parent_msgid == 4)
        s->parents++;
}

static void test_rekey_parent(void)
{
    char *top = data_dir();
    static const char *const logs[] = { "charon-initiator.log", "charon-responder.log" };
    for (size_t i = 0; i < G_N_ELEMENTS(logs); i++) {
        char *dir = g_build_filename(top, "strongswan-5.9.8", "ikev2-psk-aes256-sha256-ecp256", NULL);
        GString *raw = read_text(dir, logs[i]), *t = rewrite(raw->str, no_mgr);
        seed_t s = { 0 };
        charon_log_parse(logs[i], t->str, t->len, sink_seed, &s, NULL);
        g_assert_cmpint(s.seeds, ==, 2);
        g_assert_cmpint(s.tied, ==, 1);      /* the first IKE SA: natd / octets SPIs */
        g_assert_cmpint(s.parents, ==, 1);   /* the rekey: made in message 4 of the first */
        g_string_free(raw, TRUE);
        g_string_free(t, TRUE);
        g_free(dir);
    }
    g_free(top);
}

/* charon-systemd's journal as journalctl prints a multi-line message: the
 * dump's rows on lines of their own, indented, without any prefix. */
static void test_journal_continuation(void)
{
    const char *text =
        "Dec 06 17:00:00 gw charon-systemd[7]: natd_chunk => 22 bytes @ 0x1\n"
        "                                          0: 98 E1 CD D9 EA 99 84 6E 69 D6 DA 3F C1 AA BC FD  ....\n"
        "                                         16: 0A 63 00 01 01 F4                                .c....\n"
        "Dec 06 17:00:00 gw charon-systemd[7]: SKEYSEED => 4 bytes @ 0x1\n"
        "                                          0: 01 02 03 04                                      ....\n";
    charon_log_summary sum;
    int n = 0;
    charon_log_parse("j", text, strlen(text), sink_count, &n, &sum);
    g_assert_cmpint(n, ==, 1);
    g_assert_cmpuint(sum.skeyseed, ==, 1);
    g_assert_cmpuint(sum.tied, ==, 1);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/charon_log/plain_ike4", test_plain_ike4);
    g_test_add_func("/charon_log/full", test_full);
    g_test_add_func("/charon_log/names_no_mgr", test_names_no_mgr);
    g_test_add_func("/charon_log/syslog", test_syslog);
    g_test_add_func("/charon_log/journald", test_journald);
    g_test_add_func("/charon_log/rfc5424", test_rfc5424);
    g_test_add_func("/charon_log/iso", test_iso);
    g_test_add_func("/charon_log/systemd_journal", test_systemd_journal);
    g_test_add_func("/charon_log/compressed", test_compressed);
    g_test_add_func("/charon_log/messages", test_messages);
    g_test_add_func("/charon_log/prefixes", test_prefixes);
    g_test_add_func("/charon_log/rekey_parent", test_rekey_parent);
    g_test_add_func("/charon_log/journal_continuation", test_journal_continuation);
    return g_test_run();
}
