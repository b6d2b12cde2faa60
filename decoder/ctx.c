/* Decoding contexts: SA state, keys and per-frame results live here. */
#include "internal.h"
#include "keys.h"
#include "state.h"

isakmp_ctx *isakmp_ctx_new(void)
{
    isakmp_ctx *ctx = g_new0(isakmp_ctx, 1);
    ctx->keys = keys_new();
    state_ctx_init(ctx);
    ctx->frames = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, state_frame_free);
    return ctx;
}

void isakmp_ctx_free(isakmp_ctx *ctx)
{
    if (!ctx)
        return;
    g_hash_table_destroy(ctx->frames);
    state_ctx_free(ctx);
    keys_free(ctx->keys);
    kdf_ctx_free(ctx->kdf);
    g_free(ctx);
}

void isakmp_ctx_set_labels(isakmp_ctx *ctx, bool on)
{
    ctx->no_labels = !on;
}

void isakmp_ctx_set_sa_limit(isakmp_ctx *ctx, size_t max_sas)
{
    ctx->max_sas = max_sas && max_sas < STATE_MIN_MAX_SAS ? STATE_MIN_MAX_SAS : max_sas;
    state_shrink(ctx, 0);
}

void isakmp_ctx_set_frame_records(isakmp_ctx *ctx, bool on)
{
    ctx->no_frame_records = !on;
    if (!on)
        g_hash_table_remove_all(ctx->frames);
}
