/* Decoding contexts: SA state, keys and per-frame results live here. */
#include "internal.h"
#include "keys.h"
#include "state.h"

isakmp_ctx *isakmp_ctx_new(void)
{
    isakmp_ctx *ctx = g_new0(isakmp_ctx, 1);
    ctx->keys = keys_new();
    ctx->sas = state_table_new();
    ctx->frames = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, state_frame_free);
    return ctx;
}

void isakmp_ctx_free(isakmp_ctx *ctx)
{
    if (!ctx)
        return;
    g_hash_table_destroy(ctx->frames);
    g_hash_table_destroy(ctx->sas);
    keys_free(ctx->keys);
    kdf_ctx_free(ctx->kdf);
    g_free(ctx);
}

void isakmp_ctx_set_labels(isakmp_ctx *ctx, bool on)
{
    ctx->no_labels = !on;
}
