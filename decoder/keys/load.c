/*
 * isakmp_ctx_load_keys: which loader reads a file, by its content.  Whole-
 * file formats are tried in order (Wireshark's tables, ip xfrm state
 * output, pluto logs); then derivation's (secrets files, charon logs,
 * through ctx->keying).  Kept apart from the loaders so that they, which
 * fill the key store, and the store do not call each other in a circle.
 */
#include <stdio.h>
#include <string.h>

#include "core/secure.h"
#include "crypto/crypto.h"
#include "keys/entry.h"
#include "keys/keys.h"
#include "keys/pluto.h"
#include "keys/unpack.h"
#include "keys/tcpdump_esp.h"
#include "keys/xfrm.h"

/* A Wireshark table: its source is named by the table the lines are of. */
static int load_uat(isakmp_ctx *ctx, const char *name, char **lines,
                    isakmp_key_error_fn on_error, void *user, const char **format)
{
    return keys_load_uat(ctx->keys, name, lines, on_error, user, format);
}

static int load_xfrm(isakmp_ctx *ctx, const char *name, char **lines,
                     isakmp_key_error_fn on_error, void *user, const char **format)
{
    *format = "ip xfrm state";
    return xfrm_load(ctx, name, lines, on_error, user);
}

static int load_pluto(isakmp_ctx *ctx, const char *name, char **lines,
                      isakmp_key_error_fn on_error, void *user, const char **format)
{
    *format = "pluto log";
    return pluto_load(ctx, name, lines, on_error, user);
}

static int load_tcpdump(isakmp_ctx *ctx, const char *name, char **lines,
                        isakmp_key_error_fn on_error, void *user, const char **format)
{
    *format = "tcpdump -E";
    return tcpdump_esp_load(ctx, name, lines, on_error, user);
}

static const struct {
    bool (*detect)(char **lines);
    int (*load)(isakmp_ctx *ctx, const char *name, char **lines, isakmp_key_error_fn on_error,
                void *user, const char **format);
} file_formats[] = {
    { keys_detect_uat, load_uat },
    { xfrm_detect, load_xfrm },
    { pluto_detect, load_pluto },
    { tcpdump_esp_detect, load_tcpdump },
};

/* One of the whole-file formats, or -2 when none takes the text; the
 * source it was is recorded with what it gave. */
static int load_format(isakmp_ctx *ctx, const char *name, char **lines,
                       isakmp_key_error_fn on_error, void *user)
{
    for (size_t j = 0; j < G_N_ELEMENTS(file_formats); j++) {
        if (!file_formats[j].detect(lines))
            continue;
        const char *format = NULL;
        int n = file_formats[j].load(ctx, name, lines, on_error, user, &format);
        isakmp_key_source *s = keys_source(ctx->keys, keys_source_add(ctx->keys, name, format));
        s->entries = n > 0 ? (unsigned)n : 0;
        return n;
    }
    return -2;
}

/* text's lines, cut in place: a NULL-terminated array of pointers into it,
 * as g_strsplit gives, without a copy of each line (a tenth of loading a
 * large table, and as many buffers to wipe). */
static char **split_lines(char *text)
{
    size_t n = 1;
    for (const char *p = text; (p = strchr(p, '\n')) != NULL; p++)
        n++;
    char **lines = g_new(char *, n + 1);
    size_t i = 0;
    for (char *p = text;;) {
        lines[i++] = p;
        char *nl = strchr(p, '\n');
        if (!nl)
            break;
        *nl = 0;
        p = nl + 1;
    }
    lines[i] = NULL;
    return lines;
}

static int load_plain(isakmp_ctx *ctx, const char *name, const char *text, size_t len,
                      isakmp_key_error_fn on_error, void *user)
{
    crypto_init();
    char *copy = g_strndup(text, len);
    char **lines = split_lines(copy);
    for (size_t i = 0; lines[i]; i++)
        g_strchomp(lines[i]);   /* CRLF files too */
    int n = -2;
    if (keys_only_comments(lines)) {   /* save-keys leaves tables empty for what Wireshark cannot name */
        secrets_report(on_error, user, name, 0, "%s", ISAKMP_KEY_NOTE "empty: no keys in it");
        keys_source_add(ctx->keys, name, "empty table");
        n = 0;
    }
    if (n == -2)
        n = load_format(ctx, name, lines, on_error, user);
    if (n == -2)   /* secrets files and daemon logs (derive.c): they add their source */
        n = ctx->keying->load_text(ctx, name, text, len, on_error, user);
    if (n == -2) {
        secrets_report(on_error, user, name, 0, "%s", "unknown key file format");
        keys_source_note(ctx->keys, keys_source_add(ctx->keys, name, NULL),
                         "unknown key file format");
        n = 0;
    }
    secure_wipe(copy, len);   /* (the lines are in it) */
    g_free(lines);
    g_free(copy);
    return n;
}

/* A file compressed with gzip, xz or zstd is loaded as its content. */
int isakmp_ctx_load_keys_mem(isakmp_ctx *ctx, const char *name, const char *text, size_t len,
                             isakmp_key_error_fn on_error, void *user)
{
    GByteArray *plain = NULL;
    const char *why = NULL;
    unpack_result r = keys_unpack(text, len, &plain, &why);
    if (r == UNPACK_NONE)
        return load_plain(ctx, name, text, len, on_error, user);
    if (r == UNPACK_FAILED) {
        secrets_report(on_error, user, name, 0, "%s", why);
        keys_source_note(ctx->keys, keys_source_add(ctx->keys, name, NULL), why);
        return 0;
    }
    int n = load_plain(ctx, name, (const char *)plain->data, plain->len, on_error, user);
    if (plain->len)
        secure_wipe(plain->data, plain->len);
    g_byte_array_free(plain, TRUE);
    return n;
}

int isakmp_ctx_load_keys(isakmp_ctx *ctx, const char *path, isakmp_key_error_fn on_error,
                         void *user)
{
    gchar *text = NULL;
    gsize len = 0;
    GError *err = NULL;
    if (!g_file_get_contents(path, &text, &len, &err)) {
        if (on_error) {
            char where[512];
            snprintf(where, sizeof where, "%s:0", path);
            on_error(user, where, err->message);
        }
        g_error_free(err);
        return -1;
    }
    int n = isakmp_ctx_load_keys_mem(ctx, path, text, len, on_error, user);
    secure_wipe(text, len);
    g_free(text);
    return n;
}
