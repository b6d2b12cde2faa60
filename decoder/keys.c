/* The key store: keys and secrets loaded with isakmp_ctx_load_keys. */
#include <stdio.h>
#include <string.h>

#include "keys.h"

struct isakmp_keys {
    GPtrArray *lines;   /* loaded entries; parsing per format comes with decryption */
};

struct isakmp_keys *keys_new(void)
{
    struct isakmp_keys *k = g_new0(struct isakmp_keys, 1);
    k->lines = g_ptr_array_new_with_free_func(g_free);
    return k;
}

void keys_free(struct isakmp_keys *k)
{
    if (!k)
        return;
    g_ptr_array_free(k->lines, TRUE);
    g_free(k);
}

int isakmp_ctx_load_keys_mem(isakmp_ctx *ctx, const char *name, const char *text, size_t len,
                             isakmp_key_error_fn on_error, void *user)
{
    (void)ctx; (void)text; (void)len;
    if (on_error) {
        char where[512];
        snprintf(where, sizeof where, "%s:0", name);
        on_error(user, where, "key loading is not implemented yet");
    }
    return -1;
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
    g_free(text);
    return n;
}
