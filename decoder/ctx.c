/* Decoding contexts: SA state, keys and per-frame results live here. */
#include "internal.h"
#include "keys.h"
#include "payload_fields.h"
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
    g_free(ctx->dir);
    g_free(ctx);
}

void isakmp_ctx_set_borrow(isakmp_ctx *ctx, bool on)
{
    ctx->borrow = on;
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

/* Fields the decoder itself reads back from the tree, so they are built
 * whatever the caller wants.  Always: the root, and payload items (built by
 * tree_put, not listed here).  With keys or secrets: what IKEv1 learns from
 * a clear Phase 1 exchange (cipher, hash, key length, KE data) and the ICV
 * verdicts. */
static const int always_fields[] = { F_PROTO };
static const int keyed_fields[] = { F_IKE_ATTR_ENCRYPTION_ALGORITHM, F_IKE_ATTR_HASH_ALGORITHM,
                                    F_IKE_ATTR_KEY_LENGTH, F_KE_DATA, F_VERIFY_ICV };

static bool any_wanted(const uint8_t *want, const int *fields)
{
    for (; *fields >= 0; fields++)
        if (want[*fields])
            return true;
    return false;
}

static void direction_fill(uint8_t *want, uint8_t (*skip)[256])
{
    bool any_body = false;   /* a field every body can hold: parse them all */
    for (int f = 0; f < F_COUNT; f++)
        any_body |= want[f] && payload_field_any_body(f);
    for (int v = 1; v <= 2; v++)
        for (int t = 0; t < 256; t++) {
            const int *body = payload_body_fields(v, (uint8_t)t);
            skip[v][t] = body && !any_body && !any_wanted(want, body);
        }
}

int isakmp_ctx_set_fields(isakmp_ctx *ctx, const int *ids, size_t n)
{
    for (size_t i = 0; ids && i < n; i++)
        if (ids[i] < 0 || ids[i] >= F_COUNT)
            return -1;
    g_free(ctx->dir);
    ctx->dir = NULL;
    if (!ids)
        return 0;
    ctx->dir = g_new0(struct field_direction, 1);
    for (int k = 0; k < 2; k++) {
        uint8_t *want = ctx->dir->kind[k].want;
        for (size_t i = 0; i < n; i++)
            want[ids[i]] = 1;
        for (size_t i = 0; i < G_N_ELEMENTS(always_fields); i++)
            want[always_fields[i]] = 1;
        for (size_t i = 0; k == 1 && i < G_N_ELEMENTS(keyed_fields); i++)
            want[keyed_fields[i]] = 1;
        direction_fill(want, ctx->dir->kind[k].skip);
        ctx->dir->kind[k].want_header = want[F_NEXTPAYLOAD] || want[F_RESERVED] ||
                                        want[F_CRITICALPAYLOAD] || want[F_RESERVED7] ||
                                        want[F_PAYLOADLENGTH];
    }
    return 0;
}

void ctx_direct(isakmp_ctx *ctx, isakmp_msg *m)
{
    if (!ctx || !ctx->dir) {
        m->want = NULL;
        m->skip = NULL;
        return;
    }
    bool keyed = keys_any_ike(ctx->keys) || kdf_has_secrets(ctx->kdf);
    m->want = ctx->dir->kind[keyed].want;
    m->want_payload_header = ctx->dir->kind[keyed].want_header;
    /* without keys nothing reads notes, and there is nothing to decrypt
     * later with what clear messages negotiated */
    m->lean = !keyed;
    m->skip = (const uint8_t (*)[256])ctx->dir->kind[keyed].skip;
}

void isakmp_ctx_set_stateless(isakmp_ctx *ctx, bool on) { ctx->stateless = on; }
