/* Decoding contexts: SA state, keys and per-frame results live here. */
#include <string.h>

#include "core/ike_types.h"
#include "crypto/crypto.h"
#include "core/internal.h"
#include "keying/derive.h"
#include "keys/keys.h"
#include "core/payload_fields.h"
#include "esp/esp.h"
#include "payloads/cert.h"
#include "state/state.h"

/* Derivation's entries for the parts under it (see struct ctx_keying). */
static const struct ctx_keying keying = {
    .load_text = kdf_load_text,
    .exports = kdf_exports,
    .sa_drop = kdf_sa_drop,
};

isakmp_ctx *isakmp_ctx_new(void)
{
    isakmp_ctx *ctx = g_new0(isakmp_ctx, 1);
    ctx->keying = &keying;
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
    esp_table_free(ctx->esp);
    cert_cache_free(ctx->certs);
    crypto_cache_flush();   /* the handles this thread kept for ctx's keys */
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

void isakmp_ctx_set_frag_budget(isakmp_ctx *ctx, size_t bytes)
{
    ctx->frag_budget = bytes && bytes < STATE_MIN_FRAG_BUDGET ? STATE_MIN_FRAG_BUDGET : bytes;
}

void isakmp_ctx_frag_stats(const isakmp_ctx *ctx, isakmp_frag_stats *out)
{
    *out = (isakmp_frag_stats){ .pending_bytes = ctx->frag_pending,
                                .peak_bytes = ctx->frag_peak,
                                .evicted_sets = ctx->frag_evicted,
                                .evicted_bytes = ctx->frag_evicted_bytes };
}

void isakmp_ctx_set_frame_records(isakmp_ctx *ctx, bool on)
{
    ctx->no_frame_records = !on;
    if (!on)
        g_hash_table_remove_all(ctx->frames);
}

/* Fields the decoder itself reads back from the tree, so they are built
 * whatever the caller wants: the root, and payload items (built by
 * tree_put, not listed here). */
static const int always_fields[] = { F_PROTO };

/* The bodies whose facts are read whatever is wanted (RFC 2408 3.1 and
 * RFC 7296 3.2 types; 2 and 3 are proposals and transforms).  With keys:
 * what IKEv1 decryption learns from clear Phase 1 messages (ikev1_crypt.c:
 * the transforms' cipher, hash and key length, the KE data). */
typedef struct {
    uint8_t version, type;
} body_ref;

static const body_ref decrypt_bodies[] = {
    { 1, V1_PAYLOAD_SA }, { 1, V1_PAYLOAD_PROPOSAL }, { 1, V1_PAYLOAD_TRANSFORM },
    { 1, V1_PAYLOAD_KE },
};

/* With secrets: what derivation and verification read (derive.c,
 * derive_v1.c): SA with its proposals and transforms, KE, Nonce, ID, CERT,
 * AUTH / HASH / SIG.  Without secrets they read these of IKEv1 Aggressive
 * Mode only (psk-crack lines). */
static const body_ref kdf_bodies[] = {
    { 1, V1_PAYLOAD_SA },    { 1, V1_PAYLOAD_PROPOSAL }, { 1, V1_PAYLOAD_TRANSFORM },
    { 1, V1_PAYLOAD_KE },    { 1, V1_PAYLOAD_ID },       { 1, V1_PAYLOAD_CERT },
    { 1, V1_PAYLOAD_HASH },  { 1, V1_PAYLOAD_SIG },      { 1, V1_PAYLOAD_NONCE },
    { 2, V2_PAYLOAD_SA },    { 2, 2 },                   { 2, 3 },
    { 2, V2_PAYLOAD_KE },    { 2, V2_PAYLOAD_IDI },      { 2, V2_PAYLOAD_IDR },
    { 2, V2_PAYLOAD_CERT },  { 2, V2_PAYLOAD_AUTH },     { 2, V2_PAYLOAD_NONCE },
    { 2, V2_PAYLOAD_EAP },   /* the EAP method keys the last AUTHs (RFC 7296 2.16) */
};

/* out: skip with the n bodies parsed. */
static void parse_too(const uint8_t (*skip)[256], const body_ref *bodies, size_t n,
                      uint8_t (*out)[256])
{
    memcpy(out, skip, 3 * sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[bodies[i].version][bodies[i].type] = 0;
}

/* Derivation follows IKEv1 Aggressive Mode without secrets too, for
 * psk-crack lines (derive_v1.c): of the initiator's offer it keeps the SA
 * payload's bytes, not what its transforms say (the responder's reply names
 * the chosen one), so the offer's transforms stay as skip has them. */
static void aggressive_fill(const uint8_t (*skip)[256], uint8_t (*am)[3][256])
{
    parse_too(skip, kdf_bodies, G_N_ELEMENTS(kdf_bodies), am[1]);
    parse_too(skip, kdf_bodies, G_N_ELEMENTS(kdf_bodies), am[0]);
    am[0][1][V1_PAYLOAD_TRANSFORM] = skip[1][V1_PAYLOAD_TRANSFORM];
}

static bool any_wanted(const uint8_t *want, const int *fields)
{
    for (; *fields >= 0; fields++)
        if (want[*fields])
            return true;
    return false;
}

/* unwanted[v][t]: the body can hold none of the wanted fields (types the
 * table has no row for always can).  One pass over the table's rows. */
static void direction_fill(uint8_t *want, uint8_t (*unwanted)[256])
{
    bool any_body = false;   /* a field every body can hold: parse them all */
    for (int f = 0; f < F_COUNT; f++)
        any_body |= want[f] && payload_field_any_body(f);
    memset(unwanted, 0, 3 * sizeof *unwanted);
    const int *body;
    int v;
    uint8_t t;
    for (size_t i = 0; !any_body && (body = payload_body_row(i, &v, &t)); i++)
        if (v >= 1 && v <= 2)
            unwanted[v][t] = !any_wanted(want, body);
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
    struct field_direction *dir = g_new0(struct field_direction, 1);
    for (int k = 0; k < 2; k++) {
        uint8_t *want = dir->kind[k].want;
        for (size_t i = 0; i < n; i++)
            want[ids[i]] = 1;
        for (size_t i = 0; i < G_N_ELEMENTS(always_fields); i++)
            want[always_fields[i]] = 1;
        direction_fill(want, dir->kind[k].unwanted);
        if (k == 1)
            parse_too((const uint8_t (*)[256])dir->kind[k].unwanted, decrypt_bodies,
                      G_N_ELEMENTS(decrypt_bodies), dir->kind[k].skip);
        else
            memcpy(dir->kind[k].skip, dir->kind[k].unwanted, sizeof dir->kind[k].skip);
        aggressive_fill((const uint8_t (*)[256])dir->kind[k].skip, dir->kind[k].skip_am);
        dir->kind[k].want_header = want[F_NEXTPAYLOAD] || want[F_RESERVED] ||
                                   want[F_CRITICALPAYLOAD] || want[F_RESERVED7] ||
                                   want[F_PAYLOADLENGTH];
    }
    parse_too((const uint8_t (*)[256])dir->kind[1].skip, kdf_bodies, G_N_ELEMENTS(kdf_bodies),
              dir->skip_kdf);
    ctx->dir = dir;
    return 0;
}

int isakmp_ctx_share_keys(isakmp_ctx *ctx, const isakmp_ctx *from)
{
    if (ctx == from || isakmp_ctx_key_source_count(ctx) || kdf_has_secrets(ctx->kdf))
        return -1;   /* (only an empty store is replaced: nothing of ctx's is lost) */
    keys_share(ctx->keys, from->keys);
    return 0;
}

bool ctx_keyed(const isakmp_ctx *ctx)
{
    return keys_any_ike(ctx->keys) || kdf_has_secrets(ctx->kdf);
}

void ctx_direct(isakmp_ctx *ctx, isakmp_msg *m)
{
    if (!ctx || !ctx->dir) {
        m->want = NULL;
        m->skip = m->unwanted = NULL;
        m->skip_am = NULL;
        m->facts_off = false;
        m->facts.pub.partial = false;
        return;
    }
    bool keyed = ctx_keyed(ctx);
    struct field_direction *dir = ctx->dir;
    m->want = dir->kind[keyed].want;
    m->want_payload_header = dir->kind[keyed].want_header;
    /* without keys nothing reads notes, and there is nothing to decrypt
     * later with what clear messages negotiated */
    m->lean = !keyed;
    m->unwanted = (const uint8_t (*)[256])dir->kind[keyed].unwanted;
    m->skip = (const uint8_t (*)[256])dir->kind[keyed].skip;
    m->skip_am = (const uint8_t (*)[3][256])dir->kind[keyed].skip_am;
    if (keyed && kdf_has_secrets(ctx->kdf)) {   /* derivation reads every message */
        m->skip = (const uint8_t (*)[256])dir->skip_kdf;
        m->skip_am = NULL;
    }
    /* without keys nothing in the library reads the facts: the header only */
    m->facts_off = !keyed;
    m->facts.pub.partial = true;   /* bodies that hold nothing wanted are skipped */
}

void ctx_direct_header(dec_t *d, const isakmp_fact_header *h)
{
    static const uint8_t none[8];
    if (!d->m->skip_am || h->major != 1 || h->exchange != V1_EXCH_AGGRESSIVE)
        return;
    d->m->skip = d->m->skip_am[memcmp(h->rspi, none, 8) != 0];
    d->m->facts_off = false;
}

void isakmp_ctx_set_stateless(isakmp_ctx *ctx, bool on) { ctx->stateless = on; }
