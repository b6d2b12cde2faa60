/* SA and per-frame state (see state.h). */
#include <string.h>

#include "state/state.h"

static void frag_part_free(gpointer p)
{
    frag_part *fp = p;
    if (!fp)
        return;
    secret_wipe(&fp->data);
    g_free(fp);
}

void frag_set_reset(frag_set *s)
{
    g_ptr_array_set_size(s->parts, 0);
    s->total = 0;
    s->first_payload = 0;
    s->bytes = 0;
    s->done = false;
    state_frag_charge(s);
}

/* Sets ctx's pending fragment bytes to account `now` for a set that was
 * charged `*charged`. */
static void frag_account(isakmp_ctx *ctx, size_t *charged, size_t now)
{
    if (!ctx)
        return;
    ctx->frag_pending = ctx->frag_pending - *charged + now;
    *charged = now;
}

/* One entry of ctx->frag_age: which set (its SA, its creation number). */
struct frag_age {
    uint8_t ispi[8];
    uint64_t seq;
};

/* A new set of the SA: numbered, queued by age, charged its fixed cost. */
static uint64_t frag_register(isakmp_ctx *ctx, const struct isakmp_state *sa, size_t *charged)
{
    struct frag_age *a = g_new(struct frag_age, 1);
    memcpy(a->ispi, sa->ispi, 8);
    a->seq = ++ctx->frag_seq;
    g_queue_push_tail(&ctx->frag_age, a);
    ctx->frag_live++;
    frag_account(ctx, charged, STATE_FRAG_SET_COST);
    return a->seq;
}

static void frag_unregister(isakmp_ctx *ctx, size_t *charged)
{
    if (!ctx)
        return;
    frag_account(ctx, charged, 0);
    ctx->frag_live--;
}

void state_frag_charge(frag_set *s)
{
    frag_account(s->ctx, &s->charged, STATE_FRAG_SET_COST + s->bytes +
                 s->parts->len * (sizeof(gpointer) + sizeof(frag_part)));
}

void state_v1_frag_charge(v1_frag_set *s)
{
    frag_account(s->ctx, &s->charged,
                 STATE_FRAG_SET_COST + s->cap + s->parts_cap * sizeof(v1_frag_part));
}

static void frag_set_free(gpointer p)
{
    frag_set *s = p;
    frag_unregister(s->ctx, &s->charged);
    g_ptr_array_free(s->parts, TRUE);
    g_free(s);
}

void state_v1_frag_free(v1_frag_set *s)
{
    frag_unregister(s->ctx, &s->charged);
    g_free(s->parts);
    g_free(s->buf);
    memset(s, 0, sizeof *s);
}

static void v1_frags_free(v1_frag_list *l)
{
    for (guint i = 0; i < l->len; i++)
        state_v1_frag_free(&l->sets[i]);
    g_free(l->sets);
}

static void chain_free(gpointer p)
{
    secure_wipe(p, sizeof(v1_ivs));
    g_free(p);
}

static void sa_free(gpointer p)
{
    struct isakmp_state *sa = p;
    if (sa->ke_i)
        g_byte_array_free(sa->ke_i, TRUE);
    if (sa->ke_r)
        g_byte_array_free(sa->ke_r, TRUE);
    if (sa->v1_chains)
        g_hash_table_destroy(sa->v1_chains);
    if (sa->frags)
        g_hash_table_destroy(sa->frags);
    v1_frags_free(&sa->v1_frags);
    secure_wipe(sa, sizeof *sa);
    g_free(sa);
}

/* The SA table is keyed by the SA's own copy of its 8-byte SPI: a lookup
 * hashes the caller's bytes and allocates nothing (every message asks). */
static guint spi_hash(gconstpointer p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    v ^= v >> 33;
    v *= 0xff51afd7ed558ccdULL;
    v ^= v >> 33;
    return (guint)v;
}

static gboolean spi_equal(gconstpointer a, gconstpointer b) { return memcmp(a, b, 8) == 0; }

void state_ctx_init(isakmp_ctx *ctx)
{
    ctx->sas = g_hash_table_new_full(spi_hash, spi_equal, NULL, sa_free);
    g_queue_init(&ctx->sa_lru);
    ctx->max_sas = STATE_DEFAULT_MAX_SAS;
    ctx->frag_budget = STATE_DEFAULT_FRAG_BUDGET;
    g_queue_init(&ctx->frag_age);
}

void state_ctx_free(isakmp_ctx *ctx)
{
    g_queue_init(&ctx->sa_lru);   /* the links live in the SAs (g_queue_clear would free them) */
    g_hash_table_destroy(ctx->sas);
    g_queue_clear_full(&ctx->frag_age, g_free);
}

/* Drops one SA: its state here, and what derive*.c kept for it. */
static void sa_drop(isakmp_ctx *ctx, struct isakmp_state *sa)
{
    uint8_t ispi[8];
    memcpy(ispi, sa->ispi, 8);
    g_queue_unlink(&ctx->sa_lru, &sa->lru);
    g_hash_table_remove(ctx->sas, ispi);   /* frees sa */
    ctx->keying->sa_drop(ctx, ispi);
}

size_t state_shrink(isakmp_ctx *ctx, size_t room)
{
    size_t n = 0;
    while (ctx->max_sas && ctx->sa_lru.length + room > ctx->max_sas && ctx->sa_lru.head) {
        sa_drop(ctx, ctx->sa_lru.head->data);
        n++;
    }
    return n;
}

struct isakmp_state *state_sa_find(const isakmp_ctx *ctx, const uint8_t ispi[8])
{
    return g_hash_table_lookup(ctx->sas, ispi);
}

/* An SA's IV chains and fragment sets, made on first use: a context told
 * of another's messages (isakmp_ctx_seen) keeps SAs it never decodes. */
GHashTable *state_sa_chains(struct isakmp_state *sa)
{
    if (!sa->v1_chains)
        sa->v1_chains = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, chain_free);
    return sa->v1_chains;
}

GHashTable *state_sa_frags(struct isakmp_state *sa)
{
    if (!sa->frags)
        sa->frags = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
                                          (GDestroyNotify)g_bytes_unref, frag_set_free);
    return sa->frags;
}

static struct isakmp_state *sa_get(dec_t *d, const uint8_t ispi[8], bool note)
{
    isakmp_ctx *ctx = d->ctx;
    /* most calls ask again for the SA asked for last: the LRU tail, which
     * needs no lookup and no move */
    GList *last = ctx->sa_lru.tail;
    if (last && memcmp(((struct isakmp_state *)last->data)->ispi, ispi, 8) == 0)
        return last->data;
    struct isakmp_state *sa = g_hash_table_lookup(ctx->sas, ispi);
    if (sa) {
        g_queue_unlink(&ctx->sa_lru, &sa->lru);
        g_queue_push_tail_link(&ctx->sa_lru, &sa->lru);
        return sa;
    }
    size_t dropped = state_shrink(ctx, 1);
    if (dropped && note)
        tree_note(d->m, 0, ISAKMP_SEV_NOTE, ISAKMP_NOTE_LIMIT,
                  "SA table full (%zu SAs): oldest SA state dropped to keep this one",
                  ctx->max_sas);
    sa = g_new0(struct isakmp_state, 1);
    sa->lru.data = sa;
    sa->ctx = ctx;
    memcpy(sa->ispi, ispi, 8);
    g_hash_table_insert(ctx->sas, sa->ispi, sa);
    g_queue_push_tail_link(&ctx->sa_lru, &sa->lru);
    return sa;
}

struct isakmp_state *state_sa(dec_t *d, const uint8_t ispi[8]) { return sa_get(d, ispi, true); }

struct isakmp_state *state_sa_quiet(dec_t *d, const uint8_t ispi[8])
{
    return sa_get(d, ispi, false);
}

void state_trim(GHashTable *t, guint max, gconstpointer keep, uint32_t (*age_of)(gconstpointer))
{
    while (max && g_hash_table_size(t) >= max) {
        GHashTableIter it;
        gpointer k, v, old = NULL;
        uint32_t best = UINT32_MAX;
        bool found = false;
        g_hash_table_iter_init(&it, t);
        while (g_hash_table_iter_next(&it, &k, &v))
            if (k != keep && (!found || age_of(v) < best)) {
                found = true;
                best = age_of(v);
                old = k;
            }
        if (!found)
            return;
        g_hash_table_remove(t, old);
    }
}

static uint32_t chain_age(gconstpointer p) { return ((const v1_ivs *)p)->age; }

v1_ivs *state_v1_chain(struct isakmp_state *sa, uint32_t msgid, bool *created)
{
    GHashTable *chains = state_sa_chains(sa);
    v1_ivs *c = g_hash_table_lookup(chains, GUINT_TO_POINTER(msgid));
    *created = !c;
    if (!c) {
        /* the Phase 1 chain (M-ID 0) is the base of the others: it stays */
        state_trim(chains, STATE_MAX_XCHG, GUINT_TO_POINTER(0), chain_age);
        c = g_new0(v1_ivs, 1);
        c->age = sa->ages++;
        g_hash_table_insert(chains, GUINT_TO_POINTER(msgid), c);
    }
    return c;
}

frag_set *state_frags(struct isakmp_state *sa, const void *key, size_t key_len)
{
    GBytes *k = g_bytes_new(key, key_len);
    frag_set *s = g_hash_table_lookup(state_sa_frags(sa), k);
    if (s) {
        g_bytes_unref(k);
        return s;
    }
    s = g_new0(frag_set, 1);
    s->parts = g_ptr_array_new_with_free_func(frag_part_free);
    s->ctx = sa->ctx;
    s->seq = frag_register(sa->ctx, sa, &s->charged);
    g_hash_table_insert(state_sa_frags(sa), k, s);
    return s;
}

/* ---------------------------------------------------------------- frames */

static void rec_free(gpointer p)
{
    frame_rec *r = p;
    secret_wipe(&r->plain);
    if (r->parts)
        g_array_free(r->parts, TRUE);
    secure_wipe(r, sizeof *r);
    g_free(r);
}

void state_frame_free(gpointer p)
{
    g_ptr_array_free(p, TRUE);
}

frame_rec *state_frame(isakmp_ctx *ctx, uint32_t frame, uint32_t tag, frame_kind kind,
                       bool create)
{
    /* without records the table is empty (isakmp_ctx_set_frame_records
     * clears it): nothing to look up */
    if (frame == 0 || ctx->no_frame_records)
        return NULL;
    GPtrArray *recs = g_hash_table_lookup(ctx->frames, GUINT_TO_POINTER(frame));
    for (guint i = 0; recs && i < recs->len; i++) {
        frame_rec *r = recs->pdata[i];
        if (r->tag == tag && r->kind == kind)
            return r;
    }
    if (!create)
        return NULL;
    if (!recs) {
        recs = g_ptr_array_new_with_free_func(rec_free);
        g_hash_table_insert(ctx->frames, GUINT_TO_POINTER(frame), recs);
    }
    frame_rec *r = g_new0(frame_rec, 1);
    r->tag = tag;
    r->kind = kind;
    g_ptr_array_add(recs, r);
    return r;
}

uint32_t state_tag(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

uint32_t state_msg_tag(const dec_t *d)
{
    /* without frame records nothing is looked up by it: skip the hashing */
    return d->ctx->no_frame_records ? 0 : state_tag(d->m->pkt.data, d->m->pkt.len);
}

static void evict_note(dec_t *d, uint32_t item, guint max_sets)
{
    tree_note(d->m, item, ISAKMP_SEV_WARN, ISAKMP_NOTE_LIMIT,
              "More than %u incomplete fragmented messages in this SA: the fragments of one "
              "were dropped", max_sets);
}

void state_frag_evict(dec_t *d, uint32_t item, struct isakmp_state *sa, size_t key_len,
                      guint max_sets)
{
    GHashTableIter it;
    gpointer k;
    guint n = 0;
    if (!sa->frags || g_hash_table_size(sa->frags) < max_sets)
        return;   /* fewer sets of any key length: no need to count */
    g_hash_table_iter_init(&it, sa->frags);
    while (g_hash_table_iter_next(&it, &k, NULL))
        n += g_bytes_get_size(k) == key_len;
    if (n < max_sets)
        return;
    g_hash_table_iter_init(&it, sa->frags);
    while (g_hash_table_iter_next(&it, &k, NULL))
        if (g_bytes_get_size(k) == key_len) {
            g_hash_table_iter_remove(&it);
            break;
        }
    evict_note(d, item, max_sets);
}

void state_v1_frag_take(struct isakmp_state *sa, v1_frag_set *s, v1_frag_set *out)
{
    v1_frag_list *l = &sa->v1_frags;
    size_t i = (size_t)(s - l->sets);
    *out = *s;
    /* memmove keeps the list oldest first */
    memmove(&l->sets[i], &l->sets[i + 1], (l->len - i - 1) * sizeof *s);
    l->len--;
}

v1_frag_set *state_v1_frag_set(dec_t *d, uint32_t item, struct isakmp_state *sa,
                               const v1_frag_key *k, guint max_sets)
{
    v1_frag_list *l = &sa->v1_frags;
    for (guint i = 0; i < l->len; i++)
        if (memcmp(&l->sets[i].key, k, sizeof *k) == 0)
            return &l->sets[i];
    if (max_sets && l->len >= max_sets) {
        v1_frag_set old;
        state_v1_frag_take(sa, &l->sets[0], &old);
        state_v1_frag_free(&old);
        evict_note(d, item, max_sets);
    }
    if (l->len == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 4;
        l->sets = g_renew(v1_frag_set, l->sets, l->cap);
    }
    v1_frag_set *s = &l->sets[l->len++];
    memset(s, 0, sizeof *s);
    s->key = *k;
    s->ctx = d->ctx;
    s->seq = frag_register(d->ctx, sa, &s->charged);
    state_frag_budget(d, item, s->seq);
    /* the budget may have moved the SA's sets: the new one is the last */
    return &l->sets[l->len - 1];
}

/* ---------------------------------------------------------------- fragment budget */

/* sa's IKEv2 fragment set numbered seq, `it` on it (to remove it); NULL
 * when there is none (an SA with no table yet gets none by being asked). */
static frag_set *v2_set_by_seq(struct isakmp_state *sa, uint64_t seq, GHashTableIter *it)
{
    gpointer v;
    if (!sa->frags)
        return NULL;
    g_hash_table_iter_init(it, sa->frags);
    while (g_hash_table_iter_next(it, NULL, &v))
        if (((frag_set *)v)->seq == seq)
            return v;
    return NULL;
}

/* Drops the SA's set numbered seq, when it is still there; returns the
 * bytes it was charged (0: gone already). */
static size_t frag_drop_seq(struct isakmp_state *sa, uint64_t seq)
{
    v1_frag_list *l = &sa->v1_frags;
    for (guint i = 0; i < l->len; i++)
        if (l->sets[i].seq == seq) {
            v1_frag_set old;
            state_v1_frag_take(sa, &l->sets[i], &old);
            size_t n = old.charged;
            state_v1_frag_free(&old);
            return n;
        }
    GHashTableIter it;
    frag_set *s = v2_set_by_seq(sa, seq, &it);
    if (!s)
        return 0;
    size_t n = s->charged;
    g_hash_table_iter_remove(&it);
    return n;
}

/* Whether the set of entry a is still there. */
static bool frag_alive(isakmp_ctx *ctx, const struct frag_age *a)
{
    struct isakmp_state *sa = g_hash_table_lookup(ctx->sas, a->ispi);
    if (!sa)
        return false;
    for (guint i = 0; i < sa->v1_frags.len; i++)
        if (sa->v1_frags.sets[i].seq == a->seq)
            return true;
    GHashTableIter it;
    return v2_set_by_seq(sa, a->seq, &it) != NULL;
}

/* Sets that completed or went with their SA leave their entries behind:
 * drops those once they are as many as the live ones (each pass costs
 * O(entries), so a fragment costs O(1) on average). */
static void frag_age_compact(isakmp_ctx *ctx)
{
    if (g_queue_get_length(&ctx->frag_age) <= 2 * ctx->frag_live + 64)
        return;
    for (GList *l = ctx->frag_age.head, *next; l; l = next) {
        next = l->next;
        if (!frag_alive(ctx, l->data)) {
            g_free(l->data);
            g_queue_delete_link(&ctx->frag_age, l);
        }
    }
}

void state_frag_budget(dec_t *d, uint32_t item, uint64_t keep)
{
    isakmp_ctx *ctx = d->ctx;
    struct frag_age *kept = NULL;
    while (ctx->frag_budget && ctx->frag_pending > ctx->frag_budget) {
        struct frag_age *a = g_queue_pop_head(&ctx->frag_age);
        if (!a)
            break;
        if (a->seq == keep) {
            kept = a;
            continue;
        }
        struct isakmp_state *sa = g_hash_table_lookup(ctx->sas, a->ispi);
        size_t n = sa ? frag_drop_seq(sa, a->seq) : 0;
        g_free(a);
        if (!n)
            continue;
        ctx->frag_evicted++;
        ctx->frag_evicted_bytes += n;
        tree_note(d->m, item, ISAKMP_SEV_WARN, ISAKMP_NOTE_LIMIT,
                  "Pending fragment budget of %zu bytes (all SAs) reached: the oldest "
                  "incomplete fragmented message (%zu bytes) was dropped",
                  ctx->frag_budget, n);
    }
    if (kept)
        g_queue_push_head(&ctx->frag_age, kept);
    if (ctx->frag_pending > ctx->frag_peak)
        ctx->frag_peak = ctx->frag_pending;
    frag_age_compact(ctx);
}
