/*
 * isakmp_ctx_load_keys: which loader reads a file, by its content.  Whole-
 * file formats are tried in order (Wireshark's tables, ip xfrm state
 * output, pluto logs); then derivation's (secrets files, charon logs,
 * through ctx->keying).  Kept apart from the loaders so that they, which
 * fill the key store, and the store do not call each other in a circle.
 */
#include <stdio.h>
#include <string.h>

#include "crypto/crypto.h"
#include "keys/keys.h"
#include "keys/pluto.h"
#include "keys/xfrm.h"

static int load_uat(isakmp_ctx *ctx, const char *name, char **lines,
                    isakmp_key_error_fn on_error, void *user)
{
    return keys_load_uat(ctx->keys, name, lines, on_error, user);
}

static const struct {
    const char *name;
    bool (*detect)(char **lines);
    int (*load)(isakmp_ctx *ctx, const char *name, char **lines, isakmp_key_error_fn on_error,
                void *user);
} file_formats[] = {
    { "Wireshark UAT table", keys_detect_uat, load_uat },
    { "ip xfrm state", xfrm_detect, xfrm_load },
    { "libreswan pluto log", pluto_detect, pluto_load },
};

static void report(isakmp_key_error_fn on_error, void *user, const char *name,
                   const char *reason)
{
    if (!on_error)
        return;
    char where[512];
    snprintf(where, sizeof where, "%s:0", name);
    on_error(user, where, reason);
}

int isakmp_ctx_load_keys_mem(isakmp_ctx *ctx, const char *name, const char *text, size_t len,
                             isakmp_key_error_fn on_error, void *user)
{
    crypto_init();
    char *copy = g_strndup(text, len);
    char **lines = g_strsplit(copy, "\n", -1);
    for (size_t i = 0; lines[i]; i++)
        g_strchomp(lines[i]);   /* CRLF files too */
    int n = -2;
    if (keys_only_comments(lines)) {   /* save-keys leaves tables empty for what Wireshark cannot name */
        report(on_error, user, name, ISAKMP_KEY_NOTE "empty: no keys in it");
        n = 0;
    }
    for (size_t j = 0; n == -2 && j < G_N_ELEMENTS(file_formats); j++)
        if (file_formats[j].detect(lines))
            n = file_formats[j].load(ctx, name, lines, on_error, user);
    if (n == -2)   /* secrets files and daemon logs (derive.c) */
        n = ctx->keying->load_text(ctx, name, text, len, on_error, user);
    if (n == -2) {
        report(on_error, user, name, "unknown key file format");
        n = 0;
    }
    for (size_t i = 0; lines[i]; i++)
        explicit_bzero(lines[i], strlen(lines[i]));
    explicit_bzero(copy, len);
    g_strfreev(lines);
    g_free(copy);
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
    explicit_bzero(text, len);
    g_free(text);
    return n;
}
