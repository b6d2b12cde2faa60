/*
 * Key derivation driven by the decoder: after each message, learn what the
 * clear messages say about the SA (RFC 7296 2.14-2.18, RFC 2409 5), derive
 * keys from loaded secrets, verify AUTH / HASH values and keep derived keys
 * for export.
 */
#include <gcrypt.h>
#include <stdio.h>
#include <string.h>

#include "keying/derive_int.h"
#include "crypto/dh.h"
#include "keys/export.h"
#include "core/hex.h"
#include "core/ike_types.h"
#include "crypto/kdf.h"
#include "crypto/kem.h"
#include "keys/charon_log.h"
#include "keys/keys.h"
#include "keying/verify.h"


/* value_key's bytes, wiped when the GBytes goes. */
typedef struct {
    uint8_t *p;
    size_t n;
} wipe_buf;

static void wipe_free(gpointer user)
{
    wipe_buf *w = user;
    secure_wipe(w->p, w->n);
    g_free(w->p);
    g_free(w);
}

static void secret_rec_free(gpointer p)
{
    secret_rec *r = p;
    secrets_free(r->value, r->len);
    g_free(r->selector);
    g_free(r->name);
    g_free(r);
}

void bytes_free(GByteArray *b)
{
    if (!b)
        return;
    if (b->len)
        secure_wipe(b->data, b->len);
    g_byte_array_free(b, TRUE);
}

void bytes_set(GByteArray **slot, const uint8_t *p, size_t n)
{
    bytes_free(*slot);
    *slot = g_byte_array_sized_new((guint)n);
    g_byte_array_append(*slot, p, (guint)n);
}

static void v2_xchg_free(gpointer p)
{
    v2_xchg *x = p;
    bytes_free(x->ni);
    bytes_free(x->nr);
    bytes_free(x->kei);
    bytes_free(x->ker);
    g_free(x);
}

static void v2_sa_free(gpointer p)
{
    v2_sa *sa = p;
    if (sa->msk.p)
        crypto_secure_free(sa->msk.p, sa->msk.len);
    GByteArray *all[] = { sa->msg1, sa->msg2, sa->ni, sa->nr, sa->kei, sa->ker, sa->id[0], sa->id[1],
                          sa->addke };
    for (size_t i = 0; i < G_N_ELEMENTS(all); i++)
        bytes_free(all[i]);
    g_hash_table_destroy(sa->xchg);
    secure_wipe(&sa->k, sizeof sa->k);
    secure_wipe(&sa->pub_k, sizeof sa->pub_k);
    secure_wipe(sa->old_skd, sizeof sa->old_skd);
    secure_wipe(sa->fu_kem, sizeof sa->fu_kem);
    g_free(sa);
}

struct kdf_ctx *kdf_ctx_of(isakmp_ctx *ctx)
{
    if (!ctx->kdf) {
        ctx->kdf = g_new0(struct kdf_ctx, 1);
        ctx->kdf->secrets = g_ptr_array_new_with_free_func(secret_rec_free);
        ctx->kdf->by_value = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
                                                   (GDestroyNotify)g_bytes_unref, NULL);
        ctx->kdf->exp = export_store_new();
        ctx->kdf->v2 = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
                                             (GDestroyNotify)g_bytes_unref, v2_sa_free);
        ctx->kdf->v1 = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
                                             (GDestroyNotify)g_bytes_unref, v1_sa_free);
    }
    return ctx->kdf;
}

void kdf_ctx_free(struct kdf_ctx *k)
{
    if (!k)
        return;
    g_hash_table_destroy(k->by_value);
    g_ptr_array_free(k->secrets, TRUE);
    export_store_free(k->exp);
    g_hash_table_destroy(k->v2);
    g_hash_table_destroy(k->v1);
    g_free(k);
}

struct export_store *kdf_exports(isakmp_ctx *ctx) { return kdf_ctx_of(ctx)->exp; }

void kdf_sa_drop(isakmp_ctx *ctx, const uint8_t ispi[8])
{
    if (!ctx->kdf)
        return;
    GBytes *key = g_bytes_new_static(ispi, 8);
    g_hash_table_remove(ctx->kdf->v2, key);
    g_hash_table_remove(ctx->kdf->v1, key);
    g_bytes_unref(key);
}

/* What identifies a secret's value: kind, message id, selector, value
 * (wiped when dropped: it holds the secret). */
static GBytes *value_key(const secret_entry *e)
{
    size_t sl = e->selector ? strlen(e->selector) + 1 : 0, n = 2 + 4 + sl + e->len;
    uint8_t *b = g_malloc(n);
    b[0] = (uint8_t)e->kind;
    b[1] = e->any_msgid;
    memcpy(b + 2, &e->msgid, 4);
    if (sl)
        memcpy(b + 6, e->selector, sl);
    if (e->len)
        memcpy(b + 6 + sl, e->value, e->len);
    wipe_buf *w = g_new(wipe_buf, 1);
    w->p = b;
    w->n = n;
    return g_bytes_new_with_free_func(b, n, wipe_free, w);
}

/* The kept secret with the same kind, message id and value for the same SA
 * (or for any), if any: both peers' logs give the same secrets. */
static secret_rec *same_secret(struct kdf_ctx *k, GBytes *key, const secret_entry *e)
{
    secret_rec *r = g_hash_table_lookup(k->by_value, key);
    return r && (r->any_sa || e->any_sa || !memcmp(r->spi, e->spi, 8)) ? r : NULL;
}

static void keep_secret(void *user, const secret_entry *e)
{
    struct kdf_ctx *k = user;
    GBytes *key = e->kind == SEC_ESP_KEY ? NULL : value_key(e);
    secret_rec *same = key ? same_secret(k, key, e) : NULL;
    if (same) {   /* one SA's secret once; tied to its SA when either says which */
        if (k->source != same->source && k->source < 64)
            same->also |= (uint64_t)1 << k->source;
        if (same->any_sa && !e->any_sa && e->kind != SEC_PSK) {
            same->any_sa = false;
            memcpy(same->spi, e->spi, 8);
        }
        g_bytes_unref(key);
        return;
    }
    secret_rec *r = g_new0(secret_rec, 1);
    r->kind = e->kind;
    /* PSKs and EAP passwords go by selector, tried for any SA */
    r->any_sa = e->any_sa || e->kind == SEC_PSK || e->kind == SEC_EAP;
    r->any_msgid = e->any_msgid;
    memcpy(r->spi, e->spi, 8);
    r->msgid = e->msgid;
    r->ke_n = e->ke_n;
    r->any_ke = e->any_ke;
    r->selector = g_strdup(e->selector);
    r->name = g_strdup(e->name);
    r->value = g_memdup2(e->value, e->len);
    r->len = e->len;
    r->source = k->source;
    r->have_parent = e->have_parent;
    memcpy(r->parent_spi, e->parent_spi, 8);
    r->parent_msgid = e->parent_msgid;
    g_ptr_array_add(k->secrets, r);
    if (key && !g_hash_table_contains(k->by_value, key))
        g_hash_table_insert(k->by_value, key, r);
    else if (key)
        g_bytes_unref(key);
}

/* Counts a secrets file's entries by kind into its source. */
typedef struct {
    struct kdf_ctx *kc;
    isakmp_key_source *src;
} count_ctx;

static void count_secret(void *user, const secret_entry *e)
{
    count_ctx *c = user;
    isakmp_key_source *s = c->src;
    switch (e->kind) {
    case SEC_PSK: case SEC_EAP: s->psk++; break;   /* pre-shared keys and EAP passwords */
    case SEC_V1_DH_SHARED: case SEC_V1_DH_PRIVATE: case SEC_V2_DH_SHARED:
    case SEC_V2_DH_PRIVATE: case SEC_V2_ADDKE_SHARED: case SEC_V2_KE_PRIVATE: s->dh++; break;
    case SEC_V2_CHILD_ADDKE_SHARED: s->child_dh++; break;
    case SEC_V1_SKEYID: s->skeyid++; break;
    case SEC_V2_SKEYSEED: s->skeyseed++; break;
    case SEC_V1_QM_DH_SHARED: case SEC_V2_CHILD_DH_SHARED: s->child_dh++; break;
    case SEC_V1_KEY: case SEC_V2_KEY: s->ike_keys++; break;
    case SEC_ESP_KEY: s->esp++; break;
    }
    keep_secret(c->kc, e);
}

/* A charon log's source: its counts, and a note when it gave nothing usable
 * or nothing tied to an SA (not an error: the file was read). */
static int charon_source(isakmp_ctx *ctx, size_t si, const char *name, const char *text,
                         size_t len)
{
    struct kdf_ctx *kc = kdf_ctx_of(ctx);
    charon_log_summary sum;
    charon_log_parse(name, text, len, keep_secret, kc, &sum);
    isakmp_key_source *s = keys_source(ctx->keys, si);
    s->dh = sum.dh;
    s->skeyseed = sum.skeyseed;
    s->skeyid = sum.skeyid;
    s->ike_keys = sum.ike_keys;
    s->child_dh = sum.child_dh;
    s->psk = sum.psk;
    s->esp = sum.esp;
    s->tied = sum.tied;
    s->candidates = sum.candidates;
    s->entries = sum.dh + sum.skeyseed + sum.skeyid + sum.ike_keys + sum.child_dh + sum.psk + sum.esp;
    const char *note = NULL;
    if (s->dh + s->skeyseed + s->skeyid + s->child_dh + s->psk == 0) {
        note = "charon log without key dumps: no IKE SA got keys while it was written, or "
               "charon logged below `ike = 4` (set `ike = 4`, and `chd = 4` for ESP keys, in "
               "its filelog or syslog settings)";
    } else if (s->tied == 0) {
        note = "no key tied to an SA by the log (no SPIs logged with them, e.g. without `mgr = 2`"
               " and below `ike = 3`): they are tried against each SA of the capture and used "
               "only when a message's ICV confirms them";
    }
    if (note)
        keys_source_note(ctx->keys, si, note);
    return (int)s->entries;
}

static const char *const format_names[] = {
    [SECRETS_FILE] = "secrets file", [SECRETS_CHARON] = "charon log", [SECRETS_PLUTO] = "pluto log",
};

int kdf_load_text(isakmp_ctx *ctx, const char *name, const char *text, size_t len,
                  isakmp_key_error_fn on_error, void *user)
{
    secrets_format f = secrets_detect(text, len);
    if (f == SECRETS_NONE)
        return -2;
    struct kdf_ctx *kc = kdf_ctx_of(ctx);
    size_t si = keys_source_add(ctx->keys, name, format_names[f]);
    kc->source = si;
    if (f == SECRETS_CHARON)
        return charon_source(ctx, si, name, text, len);
    count_ctx c = { kc, keys_source(ctx->keys, si) };
    int n = secrets_parse(f, name, text, len, count_secret, &c, on_error, user);
    c.src->entries = (unsigned)(n > 0 ? n : 0);
    if (n <= 0 && f == SECRETS_PLUTO)   /* a secrets file's bad lines were reported */
        keys_source_note(ctx->keys, si, "pluto log without keys: libreswan prints them with "
                                        "`plutodebug=private`");
    return n;
}

void secret_confirmed(isakmp_ctx *ctx, secret_rec *r)
{
    if (!r || r->confirmed)
        return;
    r->confirmed = true;
    for (size_t i = 0; i < 64 + 1; i++) {   /* its source, and those that gave it too */
        size_t src = i == 64 ? r->source : i;
        isakmp_key_source *s = keys_source(ctx->keys, src);
        if (s && (i == 64 || (r->also >> i & 1)))
            s->confirmed++;
    }
}


/* ---------------------------------------------------------------- secrets lookup */

/* The idx-th secret of `kind` for this SA (exact SPI first, then '*') and
 * message id (when `msgid` >= 0); NULL when there are no more. */
secret_rec *find_secret(struct kdf_ctx *kc, secret_kind kind, const uint8_t spi[8],
                                     int64_t msgid, int idx)
{
    for (int pass = 0; pass < 2; pass++)
        for (guint i = 0; i < kc->secrets->len; i++) {
            secret_rec *r = g_ptr_array_index(kc->secrets, i);
            if (r->kind != kind || r->any_sa != (pass == 1))
                continue;
            if (!r->any_sa && memcmp(r->spi, spi, 8))
                continue;
            if (msgid >= 0 && !r->any_msgid && r->msgid != (uint32_t)msgid)
                continue;
            if (idx-- == 0)
                return r;
        }
    return NULL;
}

secret_rec *find_addke(struct kdf_ctx *kc, secret_kind kind, const uint8_t spi[8], int64_t msgid,
                       unsigned n)
{
    secret_rec *r;
    for (int i = 0; (r = find_secret(kc, kind, spi, msgid, i)); i++)
        if (r->ke_n == n && r->len <= DH_MAX_LEN)
            return r;
    return NULL;
}

kem_pick kem_pick_secret(struct kdf_ctx *kc, const uint8_t spi[8], const uint8_t *spi2, unsigned n,
                         uint16_t group, const GByteArray *ek, const uint8_t *ct, size_t ct_len,
                         uint8_t out[KEM_SHARED_LEN])
{
    const uint8_t *spis[2] = { spi, spi2 };
    bool any = false;
    secret_rec *r;
    for (int s = 0; s < 2; s++)
        for (int i = 0; spis[s] && (r = find_secret(kc, SEC_V2_KE_PRIVATE, spis[s], -1, i)); i++) {
            if (!r->any_ke && r->ke_n != n)
                continue;
            any = true;
            if (!ek || !kem_dk_has_ek(group, r->value, r->len, ek->data, ek->len))
                continue;
            if (!kem_available())
                return KEM_PICK_UNAVAILABLE;
            return kem_decap(group, r->value, r->len, ct, ct_len, out) ? KEM_PICK_OK : KEM_PICK_FAILED;
        }
    return !any ? KEM_PICK_NO_KEY : !ek ? KEM_PICK_NO_EK : KEM_PICK_NO_MATCH;
}

const char *kem_pick_why(kem_pick p)
{
    static const char *const why[] = {
        [KEM_PICK_OK] = "decapsulated",
        [KEM_PICK_NO_KEY] = "no IKEV2_KE_PRIVATE key for it",
        [KEM_PICK_NO_EK] = "the request's KE payload (the encapsulation key) was not seen",
        [KEM_PICK_NO_MATCH] = "no IKEV2_KE_PRIVATE key holds the request's encapsulation key",
        [KEM_PICK_UNAVAILABLE] = "this build's libgcrypt cannot decapsulate (gcry_kem needs libgcrypt 1.11)",
        [KEM_PICK_FAILED] = "decapsulation failed (a ciphertext of the wrong size)",
    };
    return why[p];
}

/* A note on the message saying why an ML-KEM shared secret is absent; none
 * when no key was given for it (the missing secret's own note says so). */
static void kem_note(dec_t *d, kem_pick p, const char *what)
{
    if (p != KEM_PICK_OK && p != KEM_PICK_NO_KEY)
        tree_note(d->m, 0, ISAKMP_SEV_NOTE, ISAKMP_NOTE_INFO, "ML-KEM %s: %s, its shared secret is not derived",
                  what, kem_pick_why(p));
}

/* ML-KEM as the IKE SA's own KE (IKE_SA_INIT, or the CREATE_CHILD_SA that
 * rekeyed it): key exchange 0, the initiator's ek and the responder's ct. */
static kem_pick v2_kem_init(struct kdf_ctx *kc, const v2_sa *sa, uint8_t out[KEM_SHARED_LEN])
{
    return kem_pick_secret(kc, sa->ispi, sa->rekeyed ? sa->parent_spi : NULL, 0, sa->group, sa->kei,
                           sa->ker ? sa->ker->data : NULL, sa->ker ? sa->ker->len : 0, out);
}

/* g^xy for the exchange: a shared secret as loaded, or one computed from a
 * private value of either side.  out gets dh_shared_len bytes, or the loaded
 * secret's length; returns the length, 0 when nothing fits. */
size_t dh_secret(struct kdf_ctx *kc, secret_kind shared, secret_kind priv,
                        const uint8_t spi[8], int64_t msgid, uint16_t group, const GByteArray *kei,
                        const GByteArray *ker, uint8_t *out)
{
    const secret_rec *r = find_secret(kc, shared, spi, msgid, 0);
    if (r && r->len <= DH_MAX_LEN) {
        memcpy(out, r->value, r->len);
        return r->len;
    }
    uint8_t pub[DH_MAX_LEN];
    for (int i = 0; kei && ker && (r = find_secret(kc, priv, spi, -1, i)); i++) {
        if (!dh_public(group, r->value, r->len, pub))
            continue;
        size_t pl = dh_public_len(group);
        const GByteArray *peer = kei->len == pl && !memcmp(pub, kei->data, pl) ? ker : kei;
        if (dh_shared(group, r->value, r->len, peer->data, peer->len, out))
            return dh_shared_len(group);
    }
    return 0;
}

/* ---------------------------------------------------------------- facts */

const uint8_t *span_bytes(const dec_t *d, isakmp_span s, size_t *n)
{
    const uint8_t *p = isakmp_msg_span(d->m, s);
    *n = p ? s.len : 0;
    return p;
}

uint8_t payload_type(const dec_t *d, uint32_t i)
{
    const isakmp_facts *f = &d->m->facts.pub;
    return i < f->n_payloads ? f->payloads[i].type : 0;
}

uint32_t fact_payload_item(const dec_t *d, uint32_t i)
{
    const struct msg_facts *f = &d->m->facts;
    return i < f->pub.n_payloads ? f->payload_items[i] : 0;
}

bool sa_spi(const dec_t *d, const isakmp_fact_proposal *p, sa_choice *ch)
{
    size_t n;
    const uint8_t *spi = span_bytes(d, p->spi, &n);
    if (!p->complete || p->spi_size > sizeof ch->spi || n != p->spi_size)
        return false;
    ch->proto = p->protocol;
    ch->spilen = n;
    if (n)
        memcpy(ch->spi, spi, n);
    return true;
}

/* IKEv2 SA payload (RFC 7296 3.3): its first proposal, when the parser read
 * it whole; the last transform of each type and the last key length. */
static bool v2_choice(const dec_t *d, const isakmp_fact_sa *sa, sa_choice *ch)
{
    const isakmp_facts *f = &d->m->facts.pub;
    memset(ch, 0, sizeof *ch);
    if (sa->n_proposals == 0 || !sa_spi(d, &f->proposals[sa->first_proposal], ch))
        return false;
    const isakmp_fact_proposal *p = &f->proposals[sa->first_proposal];
    for (size_t i = p->first_transform; i < (size_t)p->first_transform + p->n_transforms; i++) {
        const isakmp_fact_transform *t = &f->transforms[i];
        if (t->key_length)
            ch->keybits = t->key_length;
        switch (t->type) {   /* RFC 7296 3.3.2 transform types */
        case 1: ch->encr = t->id; break;
        case 2: ch->prf = t->id; break;
        case 3: ch->integ = t->id; break;
        case 4: ch->dh = t->id; break;
        case 6: case 7: case 8: case 9: case 10: case 11: case 12:   /* RFC 9370 ADDKE1..7 */
            ch->n_addke += t->id != 0;   /* NONE (0): the exchange is optional */
            break;
        default: break;
        }
    }
    ch->have = true;
    return true;
}

/* ---------------------------------------------------------------- IKEv2 */

/* What one IKEv2 message carries that derivation and AUTH need. */
typedef struct {
    const uint8_t *nonce, *ke, *id[2], *auth, *cert;   /* id[0] IDi, id[1] IDr */
    size_t nonce_len, ke_len, id_len[2], auth_len, cert_len;
    uint16_t group;
    uint8_t auth_method;
    kdf_chunk sig_alg, sig;        /* method 14 (RFC 7427 3): AlgorithmIdentifier, signature */
    sa_choice sa;
    uint32_t auth_item;            /* the AUTH payload's item; 0 when there is none */
} v2_msg;

/* The message's facts: the first usable SA proposal, the last KE, Nonce,
 * IDi, IDr and AUTH, the first end-entity certificate. */
static void v2_msg_of(const dec_t *d, v2_msg *m)
{
    const isakmp_facts *f = &d->m->facts.pub;
    for (size_t i = 0; i < f->n_sas && !m->sa.have; i++)
        v2_choice(d, &f->sas[i], &m->sa);
    if (f->n_kes) {
        m->group = f->kes[f->n_kes - 1].group;
        m->ke = span_bytes(d, f->kes[f->n_kes - 1].data, &m->ke_len);
    }
    if (f->n_nonces)
        m->nonce = span_bytes(d, f->nonces[f->n_nonces - 1].data, &m->nonce_len);
    for (size_t i = 0; i < f->n_ids; i++) {
        int w = payload_type(d, f->ids[i].payload) == V2_PAYLOAD_IDR;
        m->id[w] = span_bytes(d, f->ids[i].body, &m->id_len[w]);
    }
    /* X.509 Certificate - Signature (4): the first is the end entity's */
    for (size_t i = 0; i < f->n_certs && !m->cert; i++)
        if (f->certs[i].encoding == 4)
            m->cert = span_bytes(d, f->certs[i].data, &m->cert_len);
    if (f->n_auths) {
        const isakmp_fact_auth *a = &f->auths[f->n_auths - 1];
        m->auth_method = a->method;
        m->auth = span_bytes(d, a->data, &m->auth_len);
        m->auth_item = fact_payload_item(d, a->payload);
        m->sig_alg.p = span_bytes(d, a->sig_alg, &m->sig_alg.n);
        m->sig.p = span_bytes(d, a->sig_value, &m->sig.n);
    }
}

/* The SA's derivation data (created when `create`); it lives as long as the
 * SA's entry in the SA table (state.c), which this makes the most recent. */
static v2_sa *v2_sa_get(dec_t *d, const uint8_t ispi[8], bool create)
{
    struct kdf_ctx *kc = kdf_ctx_of(d->ctx);
    GBytes *key = g_bytes_new(ispi, 8);
    v2_sa *sa = g_hash_table_lookup(kc->v2, key);
    if (sa || create)
        state_sa(d, ispi);
    if (!sa && create) {
        sa = g_new0(v2_sa, 1);
        memcpy(sa->ispi, ispi, 8);
        sa->xchg = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, v2_xchg_free);
        g_hash_table_insert(kc->v2, g_bytes_ref(key), sa);
    }
    g_bytes_unref(key);
    return sa;
}

/* Integrity key length (RFC 7296 3.3.5: the key is as long as the output of
 * the underlying function: HMAC digest size, 16 for AES-XCBC / CMAC). */
size_t integ_key_len(const integ_alg *a)
{
    switch (a->kind) {
    case IK_HMAC: return gcry_md_get_algo_dlen(a->gcry_md);
    case IK_XCBC:
    case IK_CMAC: return 16;
    default: return 0;
    }
}

const integ_alg *integ_by_id(uint16_t id)
{
    size_t n;
    const integ_alg *t = integ_table(&n);
    for (size_t i = 0; i < n; i++)
        if (t[i].v2_id == id && (id != 0 || t[i].kind == IK_NONE))
            return &t[i];
    return NULL;
}

/* Puts an IKE SA's keys into the key store, where decryption tries them. */
static void v2_store(isakmp_ctx *ctx, const v2_sa *sa, const cipher_alg *enc,
                     const integ_alg *integ, bool keep)
{
    key_v2 *e = g_new0(key_v2, 1);
    memcpy(e->ispi, sa->ispi, 8);
    memcpy(e->rspi, sa->rspi, 8);
    e->enc = enc;
    e->integ = integ;
    secret_copy(&e->ei, sa->k.ei, sa->k.encr_len);
    secret_copy(&e->er, sa->k.er, sa->k.encr_len);
    secret_copy(&e->ai, sa->k.ai, sa->k.integ_len);
    secret_copy(&e->ar, sa->k.ar, sa->k.integ_len);
    e->epochs = sa->chosen.n_addke > 0;
    if (keep)   /* a later key epoch (RFC 9370): beside the earlier ones */
        keys_v2_keep(ctx->keys, e);
    else
        keys_v2_add(ctx->keys, e);
}

/* Puts an IKE SA's keys into the export store, once an ICV confirmed them
 * (v2_confirm): keys from a wrong guess never leave the library. */
static void v2_publish(isakmp_ctx *ctx, const v2_sa *sa, const kdf_v2_keys *k, unsigned epoch,
                       const cipher_alg *enc, const integ_alg *integ)
{
    export_v2 x = { .enc_len = k->encr_len, .integ_len = k->integ_len,
                    .encr_name = enc->ws_name, .integ_name = integ->ws_name, .epoch = epoch };
    memcpy(x.spii, sa->ispi, 8);
    memcpy(x.spir, sa->rspi, 8);
    memcpy(x.ei, k->ei, k->encr_len);
    memcpy(x.er, k->er, k->encr_len);
    memcpy(x.ai, k->ai, k->integ_len);
    memcpy(x.ar, k->ar, k->integ_len);
    export_add_v2(kdf_ctx_of(ctx)->exp, &x);
    secure_wipe(&x, sizeof x);
}

/* SK_* from sa->k.skeyseed for the chosen transforms; publishes them. */
static bool v2_expand(isakmp_ctx *ctx, v2_sa *sa, bool keep)
{
    const cipher_alg *enc = cipher_by_v2_id(sa->chosen.encr, sa->chosen.keybits);
    const integ_alg *integ = integ_by_id(sa->chosen.integ);
    if (!enc || !integ || !kdf_prf_size(sa->chosen.prf))
        return false;
    sa->prf = sa->chosen.prf;
    kdf_v2_lens lens = { integ_key_len(integ), (size_t)enc->key_len + enc->salt_len };
    kdf_chunk ni = { sa->ni->data, sa->ni->len }, nr = { sa->nr->data, sa->nr->len };
    if (!kdf_v2_sa_keys(sa->prf, &ni, &nr, sa->ispi, sa->rspi, &lens, &sa->k))
        return false;
    sa->have_keys = true;
    v2_store(ctx, sa, enc, integ, keep);
    return true;
}

/* The idx-th way to SKEYSEED for this SA: each loaded SKEYSEED, then each
 * loaded g^ir (exact SPIs before '*'), then g^ir from a private value. */
/* The order in which secrets are tried for an SA: 0 first (given for it,
 * or made by the rekey that made it), 1 next (a '*' secret of unknown
 * origin), 2 last (a rekey's secret said to be another SA's, or any rekey's
 * for an initial SA: a log may be wrong, an ICV is not). */
static int cand_fit(const secret_rec *r, const v2_sa *sa)
{
    if (!r->any_sa)
        return 0;
    if (!r->have_parent)
        return 1;
    return sa->rekeyed && !memcmp(r->parent_spi, sa->parent_spi, 8) &&
                   r->parent_msgid == sa->parent_msgid
               ? 0
               : 2;
}

static bool v2_skeyseed_candidate(struct kdf_ctx *kc, v2_sa *sa, int idx)
{
    int prf = sa->chosen.prf;
    secret_rec *r;
    sa->cand_rec = NULL;
    for (int fit = 0; fit <= 2; fit++)
        for (int i = 0; (r = find_secret(kc, SEC_V2_SKEYSEED, sa->ispi, -1, i)); i++)
            if (cand_fit(r, sa) == fit && r->len == kdf_prf_size(prf) &&
                (!r->owner || r->owner == sa) && idx-- == 0) {
                memcpy(sa->k.skeyseed, r->value, r->len);
                sa->cand_rec = r;
                return true;
            }
    uint8_t g[DH_MAX_LEN];
    size_t gl = 0;
    for (int fit = 0; fit <= 2; fit++)
        for (int i = 0; !gl && (r = find_secret(kc, SEC_V2_DH_SHARED, sa->ispi, -1, i)); i++)
            if (cand_fit(r, sa) == fit && r->len <= DH_MAX_LEN && (!r->owner || r->owner == sa) &&
                idx-- == 0) {
                memcpy(g, r->value, r->len);
                gl = r->len;
                sa->cand_rec = r;
            }
    if (!gl && idx == 0)
        gl = dh_secret(kc, (secret_kind)0, SEC_V2_DH_PRIVATE, sa->ispi, -1, sa->group, sa->kei,
                       sa->ker, g);
    /* ML-KEM as the KE method: the initiator's decapsulation key (key
     * exchange 0) and the responder's ciphertext */
    if (!gl && idx == 0 && kem_is_mlkem(sa->group) && v2_kem_init(kc, sa, g) == KEM_PICK_OK)
        gl = KEM_SHARED_LEN;
    kdf_chunk ni = { sa->ni->data, sa->ni->len }, nr = { sa->nr->data, sa->nr->len }, gir = { g, gl };
    kdf_chunk skd = { sa->old_skd, sa->old_skd_len };
    /* RFC 9370 2.2.4: a rekey with additional key exchanges takes
     * prf(SK_d, SK(0) | Ni | Nr | SK(1) | ... | SK(n)) */
    kdf_chunk parts[4] = { gir, ni, nr, { sa->addke ? sa->addke->data : NULL,
                                          sa->addke ? sa->addke->len : 0 } };
    bool ok = gl && (sa->rekeyed ? kdf_prf(sa->old_prf, skd.p, skd.n, parts, sa->addke ? 4 : 3,
                                           sa->k.skeyseed)
                                 : kdf_v2_skeyseed(prf, &ni, &nr, &gir, sa->k.skeyseed));
    secure_wipe(g, sizeof g);
    return ok;
}

/* No keys and an ML-KEM KE: a note saying why its secret is absent. */
static void v2_kem_init_note(dec_t *d, const v2_sa *sa, const char *what)
{
    uint8_t g[KEM_SHARED_LEN];
    if (!sa->have_keys && kem_is_mlkem(sa->group))
        kem_note(d, v2_kem_init(kdf_ctx_of(d->ctx), sa, g), what);
    secure_wipe(g, sizeof g);
}

/* IKE_SA_INIT done: keys from the current candidate secret. */
static void v2_derive_initial(isakmp_ctx *ctx, v2_sa *sa)
{
    if (sa->have_keys || !sa->ni || !sa->nr || !kdf_prf_size(sa->chosen.prf))
        return;
    if (v2_skeyseed_candidate(kdf_ctx_of(ctx), sa, sa->cand))
        v2_expand(ctx, sa, false);
}

static void v2_sa_init(dec_t *d, const v2_msg *m, bool response)
{
    v2_sa *sa = v2_sa_get(d, d->ispi, true);
    const isakmp_packet *p = &d->m->pkt;
    if (!response) {
        bytes_set(&sa->msg1, p->data, p->len);
        if (m->nonce)
            bytes_set(&sa->ni, m->nonce, m->nonce_len);
        if (m->ke)
            bytes_set(&sa->kei, m->ke, m->ke_len);
        sa->af = p->af;
        memcpy(sa->iaddr, p->src, 16);
        memcpy(sa->raddr, p->dst, 16);
        return;
    }
    if (!m->sa.have || !m->nonce)
        return;   /* INVALID_KE_PAYLOAD, COOKIE, NO_PROPOSAL_CHOSEN: nothing chosen */
    bytes_set(&sa->msg2, p->data, p->len);
    bytes_set(&sa->nr, m->nonce, m->nonce_len);
    if (m->ke)
        bytes_set(&sa->ker, m->ke, m->ke_len);
    memcpy(sa->rspi, d->rspi, 8);
    sa->chosen = m->sa;
    sa->group = m->group ? m->group : m->sa.dh;
    v2_derive_initial(d->ctx, sa);
    v2_kem_init_note(d, sa, "key exchange of IKE_SA_INIT");
}

/* Adds ike.verify.auth / .hash (1/0) under `item`, with the computed value in
 * a note when it differs. */
void add_verdict(dec_t *d, uint32_t item, int field, bool ok, const uint8_t *computed, size_t n,
                 const char *what)
{
    const struct isakmp_item *it = tree_item(d->m, item);
    uint32_t v = tree_add_uint(d->m, item, field, it->src, it->offset, it->length, ok);
    tree_set_generated(d->m, v);
    isakmp_facts *f = facts_used(&d->m->facts);
    isakmp_fact_checks *c = field == F_VERIFY_AUTH ? &f->auth : &f->hash;
    if (ok)
        c->ok++;
    else
        c->bad++;
    if (ok)
        return;
    GString *h = g_string_new(NULL);
    if (computed)
        hex_append(h, computed, n);
    tree_note(d->m, v, ISAKMP_SEV_WARN, ISAKMP_NOTE_VERIFY, "%s does not match%s%s", what,
              computed ? "; computed " : "", h->str);
    g_string_free(h, TRUE);
}

/* No ike.verify.auth / .hash: the value could not be computed; a note on
 * `item` says why (a 0 would tell the user "tampered or wrong key"). */
void no_verdict(dec_t *d, uint32_t item, const char *what, const char *why)
{
    tree_note(d->m, item, ISAKMP_SEV_NOTE, ISAKMP_NOTE_INFO, "%s not verified: %s", what, why);
}

/* ---------------------------------------------------------------- EAP (RFC 7296 2.16) */

/* What the EAP payloads of an IKE_AUTH message say: the method, the
 * identity, EAP-MSCHAPv2's challenges and response. */
static void v2_eap_learn(dec_t *d, v2_sa *sa)
{
    const isakmp_facts *f = &d->m->facts.pub;
    for (size_t i = 0; i < f->n_eaps; i++) {
        const isakmp_fact_eap *e = &f->eaps[i];
        if (e->payload >= f->n_payloads)
            continue;
        sa->eap_seen = true;
        if (e->type > 3)   /* a method, not Identity / Notification / Nak */
            sa->eap_type = e->type;
        size_t n;
        const uint8_t *p = span_bytes(d, f->payloads[e->payload].span, &n);
        if (!p || n < 4)
            continue;
        p += 4;   /* the generic payload header; the EAP packet follows */
        n -= 4;
        size_t len = n >= 4 ? (size_t)(p[2] << 8 | p[3]) : 0;
        if (e->code == 2 && e->type == 1 && len > 5 && len <= n) {   /* Response/Identity */
            size_t il = len - 5 < sizeof sa->eap_id - 1 ? len - 5 : sizeof sa->eap_id - 1;
            memcpy(sa->eap_id, p + 5, il);
            sa->eap_id[il] = 0;
        }
        eap_mschapv2_learn(&sa->mschap, p, n);
    }
}

static bool eap_selector_fits(const secret_rec *r, const v2_sa *sa)
{
    return !r->selector || !strcmp(r->selector, "*") || !strcmp(r->selector, sa->eap_id) ||
           !strcmp(r->selector, sa->mschap.name);
}

/* EAP-MSCHAPv2's MSK from the first EAP password whose NT-Response is the
 * one sent; false (with the reason) when none is. */
static bool v2_eap_msk(struct kdf_ctx *kc, v2_sa *sa, const char **why)
{
    if (sa->msk.p)
        return true;
    *why = "EAP MSK unknown (no EAP line in the secrets for this identity)";
    if (sa->eap_type != 26) {
        *why = "EAP MSK unknown (this EAP method's keys cannot be derived here)";
        return false;
    }
    if (!sa->mschap.have_challenge || !sa->mschap.have_response) {
        *why = "EAP MSK unknown (the EAP-MSCHAPv2 challenge or response was not seen)";
        return false;
    }
    const secret_rec *r;
    for (int i = 0; (r = find_secret(kc, SEC_EAP, sa->ispi, -1, i)); i++) {
        uint8_t nt[24], msk[EAP_MSCHAPV2_MSK_LEN];
        if (!eap_selector_fits(r, sa))
            continue;
        *why = "EAP MSK unknown (no EAP password gives the EAP-MSCHAPv2 NT-Response)";
        if (!eap_mschapv2_nt_response(&sa->mschap, (const char *)r->value, r->len, nt) ||
            memcmp(nt, sa->mschap.nt_response, 24) ||
            !eap_mschapv2_msk(&sa->mschap, (const char *)r->value, r->len, msk))
            continue;
        secret_copy(&sa->msk, msk, sizeof msk);
        secure_wipe(msk, sizeof msk);
        return true;
    }
    return false;
}

/* ---------------------------------------------------------------- AUTH */

/* prf(prf(key, "Key Pad for IKEv2"), octets) against the AUTH data: 1 / 0. */
static int shared_auth_is(const v2_sa *sa, const v2_msg *m, const kdf_chunk *key,
                          const kdf_chunk *o, uint8_t *out)
{
    size_t pl = kdf_prf_size(sa->prf);
    if (!verify_v2_psk_auth(sa->prf, key, o, out))
        return -1;
    return m->auth_len == pl && !memcmp(out, m->auth, pl);
}

/* Shared-key AUTH (method 2).  After EAP (RFC 7296 2.16) the key is the MSK
 * of a method that makes one, else SK_pi / SK_pr; otherwise each loaded PSK.
 * 1 / 0, or -1 with the reason in *why when the key is not known. */
static int v2_psk_auth(struct kdf_ctx *kc, v2_sa *sa, const v2_msg *m, const GByteArray *oct,
                       bool from_i, uint8_t *first, const char **why)
{
    kdf_chunk o = { oct->data, oct->len };
    /* the AUTHs after EAP come in messages without ID payloads */
    bool after_eap = sa->eap_seen && !m->id[from_i ? 0 : 1];
    if (after_eap && eap_method_makes_msk(sa->eap_type)) {
        if (!v2_eap_msk(kc, sa, why))
            return -1;
        kdf_chunk key = { sa->msk.p, sa->msk.len };
        return shared_auth_is(sa, m, &key, &o, first);
    }
    if (after_eap) {
        kdf_chunk key = { from_i ? sa->k.pi : sa->k.pr, sa->k.prf_len };
        return shared_auth_is(sa, m, &key, &o, first);
    }
    uint8_t out[KDF_MAX_PRF];
    int res = -1;
    const secret_rec *r;
    *why = "no PSK loaded";
    for (int i = 0; (r = find_secret(kc, SEC_PSK, sa->ispi, -1, i)); i++) {
        kdf_chunk key = { r->value, r->len };
        int v = shared_auth_is(sa, m, &key, &o, out);
        if (v == 1)
            return 1;
        if (v == 0 && res < 0)
            memcpy(first, out, kdf_prf_size(sa->prf));   /* report the first PSK's value */
        if (v == 0)
            res = 0;
    }
    return res;
}

/* A signature AUTH against the message's certificate: 1 / 0, -1 with why. */
static int v2_sig_auth(const v2_msg *m, const GByteArray *oct, const char **why)
{
    switch (m->auth_method) {
    case 1: case 9: case 10: case 11: case 14: break;
    case 13:
        *why = "NULL authentication (RFC 7619): there is nothing to verify";
        return -1;
    default:
        *why = "authentication method not supported";
        return -1;
    }
    if (!m->cert) {
        *why = "certificate missing (no X.509 CERT payload in the message)";
        return -1;
    }
    int res = m->auth_method == 14
                  ? verify_v2_sig_auth(14, &m->sig_alg, m->sig.p, m->sig.n, m->cert, m->cert_len,
                                       oct->data, oct->len)
                  : verify_v2_sig_auth(m->auth_method, NULL, m->auth, m->auth_len, m->cert,
                                       m->cert_len, oct->data, oct->len);
    if (res < 0)
        *why = "the certificate's key or the signature algorithm cannot be used";
    return res;
}

static void v2_verify_auth(dec_t *d, v2_sa *sa, const v2_msg *m, bool from_i)
{
    const GByteArray *msg = from_i ? sa->msg1 : sa->msg2, *nonce = from_i ? sa->nr : sa->ni;
    int w = from_i ? 0 : 1;   /* the sender's own ID: IDi from the initiator, IDr from the responder */
    if (m->id[w])
        bytes_set(&sa->id[w], m->id[w], m->id_len[w]);
    if (!m->auth_item || !sa->id[w] || !sa->have_keys || !msg || !nonce)
        return;
    kdf_chunk mc = { msg->data, msg->len }, nc = { nonce->data, nonce->len },
              skp = { from_i ? sa->k.pi : sa->k.pr, sa->k.prf_len },
              id = { sa->id[w]->data, sa->id[w]->len };
    GByteArray *oct = verify_v2_octets(sa->prf, &mc, &nc, &skp, &id);
    if (!oct)
        return;
    if (!sa->have_auth_mid && !(d->flags & 0x20)) {
        sa->auth_mid = d->msgid;
        sa->have_auth_mid = true;
    }
    if (sa->intauth_len[0] || sa->intauth_len[1]) {   /* RFC 9242 3.3.2: | IntAuth_iN | IntAuth_rN | IKE_AUTH_MID */
        uint8_t mid[4] = { (uint8_t)(sa->auth_mid >> 24), (uint8_t)(sa->auth_mid >> 16),
                           (uint8_t)(sa->auth_mid >> 8), (uint8_t)sa->auth_mid };
        g_byte_array_append(oct, sa->intauth[0], (guint)sa->intauth_len[0]);
        g_byte_array_append(oct, sa->intauth[1], (guint)sa->intauth_len[1]);
        g_byte_array_append(oct, mid, 4);
    }
    uint8_t computed[KDF_MAX_PRF];
    const char *why = "authentication method not supported";
    int res = m->auth_method == 2
                  ? v2_psk_auth(kdf_ctx_of(d->ctx), sa, m, oct, from_i, computed, &why)
                  : v2_sig_auth(m, oct, &why);
    if (res >= 0)
        add_verdict(d, m->auth_item, F_VERIFY_AUTH, res == 1,
                    m->auth_method == 2 ? computed : NULL, kdf_prf_size(sa->prf), "AUTH");
    else
        no_verdict(d, m->auth_item, "AUTH", why);
    g_byte_array_free(oct, TRUE);
}

void addr_text(int af, const uint8_t *a, char *out, size_t n)
{
    size_t len = isakmp_format_addr(af == 6 ? 6 : 4, a, out, n);
    if (len == 0 || len >= n)
        snprintf(out, n, "*");
}

/* One direction of a child SA into the export store. */
static void esp_out(struct kdf_ctx *kc, const v2_xchg *x, bool from_i, const sa_choice *ch,
                    uint32_t spi, const uint8_t *ek, size_t el, const uint8_t *ak, size_t al)
{
    export_esp e = { .af = x->af == 6 ? 6 : 4, .spi = spi, .elen = el, .alen = al };
    addr_text(x->af, from_i ? x->isrc : x->idst, e.src, sizeof e.src);
    addr_text(x->af, from_i ? x->idst : x->isrc, e.dst, sizeof e.dst);
    e.encr_name = ch->proto == 2 ? "NULL" : export_esp_encr_name(ch->encr, ch->keybits);
    e.integ_name = export_esp_integ_name(ch->integ);
    if (!e.encr_name || !e.integ_name)
        return;
    memcpy(e.ekey, ek, el);
    memcpy(e.akey, ak, al);
    export_add_esp(kc->exp, &e);
    secure_wipe(&e, sizeof e);
}

static uint32_t spi32(const sa_choice *c)
{
    return c->spilen == 4 ? (uint32_t)c->spi[0] << 24 | (uint32_t)c->spi[1] << 16 |
                                (uint32_t)c->spi[2] << 8 | c->spi[3]
                          : 0;
}

/* CHILD_SA keys (RFC 7296 2.17): KEYMAT = prf+(SK_d, [g^ir |] Ni | Nr) split
 * as encr_i | integ_i | encr_r | integ_r; the initiator's traffic uses the
 * responder's SPI. */
static void v2_child_keys(isakmp_ctx *ctx, const v2_sa *sa, const v2_xchg *x,
                          const GByteArray *ni, const GByteArray *nr, const kdf_chunk *g,
                          const kdf_chunk *addke)
{
    const sa_choice *ch = &x->resp;
    const cipher_alg *enc = ch->proto == 2 ? NULL : cipher_by_v2_id(ch->encr, ch->keybits);
    const integ_alg *integ = integ_by_id(ch->integ);
    if ((ch->proto != 2 && !enc) || !integ || !ni || !nr || !sa->have_keys)
        return;
    size_t el = enc ? (size_t)enc->key_len + enc->salt_len : 0, il = integ_key_len(integ);
    uint8_t km[4 * KDF_MAX_KEY];
    kdf_chunk skd = { sa->k.d, sa->k.prf_len }, cni = { ni->data, ni->len }, cnr = { nr->data, nr->len };
    /* RFC 9370 2.2.4: KEYMAT = prf+(SK_d, SK(0) | Ni | Nr | SK(1) | ... | SK(n)) */
    kdf_chunk seed[4] = { g ? *g : cni, cni, cnr, addke ? *addke : cnr };
    bool ok = addke ? g && kdf_prf_plus(sa->prf, skd.p, skd.n, seed, 4, km, 2 * (el + il))
                    : kdf_v2_child_keymat(sa->prf, &skd, g, &cni, &cnr, km, 2 * (el + il));
    if (2 * (el + il) > sizeof km || !ok)
        return;
    struct kdf_ctx *kc = kdf_ctx_of(ctx);
    esp_out(kc, x, true, ch, spi32(&x->resp), km, el, km + el, il);
    esp_out(kc, x, false, ch, spi32(&x->req), km + el + il, el, km + 2 * el + il, il);
    secure_wipe(km, sizeof km);
}

#define AUTH_XCHG 0xffffffffu   /* IKE_AUTH's child SA, whatever the message ids */

static uint32_t xchg_age(gconstpointer p) { return ((const v2_xchg *)p)->age; }

static v2_xchg *v2_xchg_get(v2_sa *sa, uint32_t id, bool create)
{
    v2_xchg *x = g_hash_table_lookup(sa->xchg, GUINT_TO_POINTER(id));
    if (!x && create) {
        state_trim(sa->xchg, STATE_MAX_XCHG, NULL, xchg_age);
        x = g_new0(v2_xchg, 1);
        x->age = sa->ages++;
        g_hash_table_insert(sa->xchg, GUINT_TO_POINTER(id), x);
    }
    return x;
}

static void xchg_request(dec_t *d, v2_xchg *x, const v2_msg *m)
{
    const isakmp_packet *p = &d->m->pkt;
    x->req = m->sa;
    x->af = p->af;
    memcpy(x->isrc, p->src, 16);
    memcpy(x->idst, p->dst, 16);
    if (m->nonce)
        bytes_set(&x->ni, m->nonce, m->nonce_len);
    if (m->ke)
        bytes_set(&x->kei, m->ke, m->ke_len);
}

static void v2_auth(dec_t *d, v2_sa *sa, const v2_msg *m, bool response)
{
    v2_eap_learn(d, sa);
    v2_verify_auth(d, sa, m, (d->flags & 0x08) != 0);
    if (!m->sa.have)
        return;
    v2_xchg *x = v2_xchg_get(sa, AUTH_XCHG, !response);
    if (!response) {
        xchg_request(d, x, m);
    } else if (x && x->req.have) {
        x->resp = m->sa;
        v2_child_keys(d->ctx, sa, x, sa->ni, sa->nr, NULL, NULL);
    }
}

/* RFC 7296 2.18: the new IKE SA's SKEYSEED from the old SK_d; the new SA
 * is the one the CREATE_CHILD_SA initiator proposed. */
static void v2_rekey_ike(dec_t *d, const v2_sa *old, const v2_xchg *x, const GByteArray *addke)
{
    isakmp_ctx *ctx = d->ctx;
    if (x->req.spilen != 8 || x->resp.spilen != 8 || !x->ni || !x->nr)
        return;
    v2_sa *n = v2_sa_get(d, x->req.spi, true);
    if (n->have_keys)
        return;
    memcpy(n->rspi, x->resp.spi, 8);
    n->rekeyed = true;
    memcpy(n->parent_spi, old->ispi, 8);
    n->parent_msgid = d->msgid;
    memcpy(n->old_skd, old->k.d, old->k.prf_len);
    n->old_skd_len = old->k.prf_len;
    n->old_prf = old->prf;
    n->chosen = x->resp;
    n->group = x->resp.dh;
    bytes_set(&n->ni, x->ni->data, x->ni->len);
    bytes_set(&n->nr, x->nr->data, x->nr->len);
    if (x->kei)
        bytes_set(&n->kei, x->kei->data, x->kei->len);
    if (x->ker)
        bytes_set(&n->ker, x->ker->data, x->ker->len);
    if (addke)
        bytes_set(&n->addke, addke->data, addke->len);
    n->af = x->af;
    memcpy(n->iaddr, x->isrc, 16);
    memcpy(n->raddr, x->idst, 16);
    v2_derive_initial(ctx, n);
    v2_kem_init_note(d, n, "key exchange of the IKE SA rekey");
}

static void v2_create_done(dec_t *d, v2_sa *sa, const v2_xchg *x, uint32_t msgid,
                           const GByteArray *addke);

static void v2_create_child(dec_t *d, v2_sa *sa, const v2_msg *m, bool response)
{
    if (!m->sa.have || !m->nonce)
        return;
    v2_xchg *x = v2_xchg_get(sa, d->msgid, !response);
    if (!response) {
        xchg_request(d, x, m);
        return;
    }
    if (!x || !x->req.have)
        return;
    x->resp = m->sa;
    bytes_set(&x->nr, m->nonce, m->nonce_len);
    if (m->ke)
        bytes_set(&x->ker, m->ke, m->ke_len);
    if (x->resp.n_addke) {   /* RFC 9370 2.2.4: keys after the IKE_FOLLOWUP_KE exchanges */
        sa->fu_msgid = d->msgid;
        sa->fu_last = d->msgid;
        sa->fu_need = x->resp.n_addke;
        sa->fu_got = 0;
        sa->fu_kem_ok = 0;
        secure_wipe(sa->fu_kem, sizeof sa->fu_kem);
        return;
    }
    v2_create_done(d, sa, x, d->msgid, NULL);
}

/* The CREATE_CHILD_SA of message id `msgid` complete: the new IKE SA, or the
 * CHILD_SA's keys; addke: SK(1) | ... | SK(n) of its additional exchanges. */
static void v2_create_done(dec_t *d, v2_sa *sa, const v2_xchg *x, uint32_t msgid,
                           const GByteArray *addke)
{
    if (x->req.proto == 1) {
        v2_rekey_ike(d, sa, x, addke);
        return;
    }
    uint8_t g[DH_MAX_LEN];
    size_t gl = 0;
    if (x->kei && x->ker)
        gl = dh_secret(kdf_ctx_of(d->ctx), SEC_V2_CHILD_DH_SHARED, SEC_V2_DH_PRIVATE, sa->ispi,
                       msgid, x->resp.dh, x->kei, x->ker, g);
    if (x->kei && x->ker && !gl && kem_is_mlkem(x->resp.dh)) {   /* key exchange 0 of the exchange */
        kem_pick p = kem_pick_secret(kdf_ctx_of(d->ctx), sa->ispi, NULL, 0, x->resp.dh, x->kei,
                                     x->ker->data, x->ker->len, g);
        gl = p == KEM_PICK_OK ? KEM_SHARED_LEN : 0;
        kem_note(d, p, "key exchange of the CREATE_CHILD_SA");
    }
    kdf_chunk gc = { g, gl }, ak = { addke ? addke->data : NULL, addke ? addke->len : 0 };
    if (!x->kei || gl)
        v2_child_keys(d->ctx, sa, x, x->ni, x->nr, gl ? &gc : NULL, addke ? &ak : NULL);
    secure_wipe(g, sizeof g);
}

/* The length of one key exchange's shared secret: 0 when not known. */
static size_t sk_len(uint16_t group)
{
    return kem_is_mlkem(group) ? KEM_SHARED_LEN : dh_shared_len(group);
}

/* IKE_FOLLOWUP_KE n's response (fx: its request's KE data) with ML-KEM and
 * no shared secret given for it: decapsulated with the IKEV2_KE_PRIVATE key
 * n (or '*') that holds the request's ek, of the IKE SA the exchange runs in
 * or, for an IKE SA rekey, of the new one. */
static void v2_followup_kem(dec_t *d, v2_sa *sa, const v2_xchg *fx, const v2_msg *m, unsigned n)
{
    struct kdf_ctx *kc = kdf_ctx_of(d->ctx);
    const v2_xchg *x = v2_xchg_get(sa, sa->fu_msgid, false);
    if (!kem_is_mlkem(m->group) || !x || !x->req.have)
        return;
    bool ike = x->req.proto == 1 && x->req.spilen == 8;
    if (ike ? find_addke(kc, SEC_V2_ADDKE_SHARED, x->req.spi, -1, n)
            : find_addke(kc, SEC_V2_CHILD_ADDKE_SHARED, sa->ispi, sa->fu_msgid, n))
        return;   /* the shared secret is given */
    kem_pick p = kem_pick_secret(kc, sa->ispi, ike ? x->req.spi : NULL, n, m->group,
                                 fx ? fx->kei : NULL, m->ke, m->ke_len, sa->fu_kem[n - 1]);
    if (p == KEM_PICK_OK)
        sa->fu_kem_ok |= 1u << (n - 1);
    char what[96];
    snprintf(what, sizeof what, "additional key exchange %u of CREATE_CHILD_SA %u", n, sa->fu_msgid);
    kem_note(d, p, what);
}

/* IKE_FOLLOWUP_KE (RFC 9370 2.2.4): the n-th response with a KE payload
 * completes additional key exchange n of the waiting CREATE_CHILD_SA; after
 * the last, its keys, with the IKEV2_ADDKE_SHARED secrets of the new IKE SA
 * (a rekey) or the IKEV2_CHILD_ADDKE_SHARED ones of the exchange. */
static void v2_followup(dec_t *d, v2_sa *sa, const v2_msg *m, bool response)
{
    if (!m->ke || !sa->fu_need || d->msgid <= sa->fu_last)
        return;
    v2_xchg *fx = v2_xchg_get(sa, d->msgid, !response);
    if (!response) {   /* the ek an ML-KEM response's ciphertext is for */
        bytes_set(&fx->kei, m->ke, m->ke_len);
        return;
    }
    sa->fu_last = d->msgid;
    unsigned n = ++sa->fu_got;
    if (n <= G_N_ELEMENTS(sa->fu_group)) {
        sa->fu_group[n - 1] = m->group;
        v2_followup_kem(d, sa, fx, m, n);
    }
    if (n < sa->fu_need)
        return;
    unsigned need = sa->fu_need;
    sa->fu_need = 0;
    v2_xchg *x = v2_xchg_get(sa, sa->fu_msgid, false);
    if (!x || !x->req.have)
        return;
    bool ike = x->req.proto == 1;
    if (ike && x->req.spilen != 8)
        return;
    GByteArray *cat = g_byte_array_new();
    bool all = true;
    for (unsigned i = 1; i <= need; i++) {
        const secret_rec *r = ike ? find_addke(kdf_ctx_of(d->ctx), SEC_V2_ADDKE_SHARED, x->req.spi, -1, i)
                                  : find_addke(kdf_ctx_of(d->ctx), SEC_V2_CHILD_ADDKE_SHARED, sa->ispi,
                                               sa->fu_msgid, i);
        bool kem = i <= 7 && (sa->fu_kem_ok >> (i - 1) & 1);
        if (!r && i == 2 && cat->len && !(kem && cat->len == sk_len(sa->fu_group[0])))
            break;   /* one secret for all: strongSwan's log dumps SK(1) | ... | SK(n) as one */
        if (!r && kem) {
            g_byte_array_append(cat, sa->fu_kem[i - 1], KEM_SHARED_LEN);
            continue;
        }
        if (!r) {
            tree_note(d->m, 0, ISAKMP_SEV_NOTE, ISAKMP_NOTE_INFO,
                      "Additional key exchange %u of CREATE_CHILD_SA %u (RFC 9370): no %s secret%s, "
                      "the new %s keys are not derived", i, sa->fu_msgid,
                      ike ? "IKEV2_ADDKE_SHARED" : "IKEV2_CHILD_ADDKE_SHARED",
                      i <= 7 && kem_is_mlkem(sa->fu_group[i - 1]) ? " nor ML-KEM decapsulation" : "",
                      ike ? "IKE SA" : "CHILD_SA");
            all = false;
            break;
        }
        g_byte_array_append(cat, r->value, (guint)r->len);
    }
    if (all)
        v2_create_done(d, sa, x, sa->fu_msgid, cat);
    secure_wipe(cat->data, cat->len);
    secure_wipe(sa->fu_kem, sizeof sa->fu_kem);
    sa->fu_kem_ok = 0;
    bytes_free(cat);
}

/* RFC 9242 3.3.2: each IKE_INTERMEDIATE message extends its sender's chain
 * IntAuth_N = prf(SK_px, IntAuth_N-1 | A | P), SK_px the keys that protect
 * it; A is the IKE header, the unencrypted payloads and the Encrypted
 * payload's header, P the inner payloads, with both Length fields counting
 * only A | P, and a fragmented message taken as if it were not (an SK
 * header with the first fragment's next payload). */
static void v2_intauth(dec_t *d, v2_sa *sa, bool from_i)
{
    int w = from_i ? 0 : 1;
    size_t n0, pl;
    const uint8_t *msg = isakmp_msg_source_data(d->m, 0, &n0);
    const uint8_t *p = isakmp_msg_source_data(d->m, d->inner_src, &pl);
    if (!d->have_inner || !msg || !p || pl < d->inner_len || d->hdr_off + 28 > n0 ||
        d->sk_off < d->hdr_off + 28 || d->sk_off + 4 > n0 ||
        (sa->intauth_len[w] && d->msgid <= sa->intauth_msgid[w]))
        return;
    size_t pre = d->inner_frag ? 0 : d->sk_off - d->hdr_off - 28, plen = d->inner_len;
    size_t total = 28 + pre + 4 + plen;
    uint8_t a[28 + 4];
    memcpy(a, msg + d->hdr_off, 28);
    if (d->inner_frag)
        a[16] = V2_PAYLOAD_SK;
    a[24] = (uint8_t)(total >> 24);
    a[25] = (uint8_t)(total >> 16);
    a[26] = (uint8_t)(total >> 8);
    a[27] = (uint8_t)total;
    a[28] = d->inner_first;
    a[29] = d->inner_frag ? 0 : msg[d->sk_off + 1];
    a[30] = (uint8_t)((4 + plen) >> 8);
    a[31] = (uint8_t)(4 + plen);
    kdf_chunk parts[4] = { { sa->intauth[w], sa->intauth_len[w] }, { a, 28 },
                           { msg + d->hdr_off + 28, pre }, { a + 28, 4 } };
    kdf_chunk all[5] = { parts[0], parts[1], parts[2], parts[3], { p, plen } };
    uint8_t out[KDF_MAX_PRF];
    if (!kdf_prf(sa->prf, from_i ? sa->k.pi : sa->k.pr, sa->k.prf_len, all, 5, out))
        return;
    size_t n = kdf_prf_size(sa->prf);
    memcpy(sa->intauth[w], out, n);
    sa->intauth_len[w] = n;
    sa->intauth_msgid[w] = d->msgid;
    secure_wipe(out, sizeof out);
}

/* ML-KEM (draft-ietf-ipsecme-ikev2-mlkem): the shared secret of additional
 * key exchange n from the initiator's decapsulation key (IKEV2_KE_PRIVATE
 * n or '*', the one holding the request's ek) and the responder's
 * ciphertext, its KE payload in this response. */
static bool v2_kem_decap(dec_t *d, struct kdf_ctx *kc, v2_sa *sa, const v2_msg *m, unsigned n,
                         uint8_t out[KEM_SHARED_LEN])
{
    if (!kem_is_mlkem(m->group))
        return false;
    const v2_xchg *x = v2_xchg_get(sa, d->msgid, false);
    kem_pick p = kem_pick_secret(kc, sa->ispi, NULL, n, m->group, x ? x->kei : NULL, m->ke, m->ke_len, out);
    char what[64];
    snprintf(what, sizeof what, "additional key exchange %u", n);
    kem_note(d, p, what);
    return p == KEM_PICK_OK;
}

/* RFC 9370 2.2.2: after the n-th IKE_INTERMEDIATE key exchange the IKE SA
 * gets new keys under the same SPIs: SKEYSEED(n) = prf(SK_d(n-1), SK(n) |
 * Ni | Nr), SK_* = prf+(SKEYSEED(n), Ni | Nr | SPIi | SPIr).  SK(n) is the
 * IKEV2_ADDKE_SHARED secret n; the keys go beside the earlier epoch's (the
 * ICV of each message picks) and are exported once a message verifies with
 * them (v2_epoch_confirm). */
static void v2_intermediate(dec_t *d, v2_sa *sa, const v2_msg *m, bool response)
{
    if (!m->ke || d->msgid <= sa->addke_msgid || sa->addke_stuck)
        return;
    if (!response) {   /* the ek an ML-KEM response's ciphertext is for */
        bytes_set(&v2_xchg_get(sa, d->msgid, true)->kei, m->ke, m->ke_len);
        return;
    }
    sa->addke_msgid = d->msgid;
    unsigned n = sa->epoch + 1;
    struct kdf_ctx *kc = kdf_ctx_of(d->ctx);
    const secret_rec *r = find_addke(kc, SEC_V2_ADDKE_SHARED, sa->ispi, -1, n);
    uint8_t kem[KEM_SHARED_LEN];
    secret_rec decap = { .value = kem, .len = sizeof kem };
    if (!r && v2_kem_decap(d, kc, sa, m, n, kem))
        r = &decap;
    if (!r) {
        sa->addke_stuck = true;
        tree_note(d->m, 0, ISAKMP_SEV_NOTE, ISAKMP_NOTE_INFO,
                  "Additional key exchange %u (RFC 9370): no IKEV2_ADDKE_SHARED secret %u for "
                  "this IKE SA, the keys of the messages after it are not derived", n, n);
        return;
    }
    kdf_chunk skd = { sa->k.d, sa->k.prf_len }, sk = { r->value, r->len },
              ni = { sa->ni->data, sa->ni->len }, nr = { sa->nr->data, sa->nr->len };
    bool ok = kdf_v2_rekey_skeyseed(sa->prf, &skd, &sk, &ni, &nr, sa->k.skeyseed);
    secure_wipe(kem, sizeof kem);
    if (!ok || !v2_expand(d->ctx, sa, true))
        return;
    sa->epoch = n;
    sa->pub_pending = true;
    sa->pub_k = sa->k;
}

/* A message that verified with the newest epoch's keys: they are right, and
 * exported (one ikev2_decryption_table line per epoch, as save-keys writes). */
static void v2_epoch_confirm(dec_t *d, v2_sa *sa)
{
    if (!sa->pub_pending || d->sk_epoch != (int)sa->epoch)
        return;
    const cipher_alg *enc = cipher_by_v2_id(sa->chosen.encr, sa->chosen.keybits);
    const integ_alg *integ = integ_by_id(sa->chosen.integ);
    if (enc && integ)
        v2_publish(d->ctx, sa, &sa->pub_k, sa->epoch, enc, integ);
    sa->pub_pending = false;
    secure_wipe(&sa->pub_k, sizeof sa->pub_k);
}

/* The ICV / AEAD tag check of the message (there is at most one: SK and
 * SKF are decrypted outside decrypted data only): 1, 0, or -1 when none. */
static int icv_verdict(const dec_t *d)
{
    const isakmp_fact_checks *c = &d->m->facts.pub.icv;
    return c->ok ? 1 : c->bad ? 0 : -1;
}

/* A secret given with '*' is only a guess until an ICV checks with its keys:
 * when one fails first, the next candidate's keys replace them.  False when
 * the message was not decrypted with good keys. */
static bool v2_confirm(dec_t *d, v2_sa *sa)
{
    int icv = icv_verdict(d);
    if (icv == 1 && !sa->confirmed && sa->cand_rec && sa->cand_rec->any_sa)
        sa->cand_rec->owner = sa;   /* taken: other SAs skip it */
    if (icv == 1 && !sa->confirmed) {
        secret_confirmed(d->ctx, sa->cand_rec);
        sa->confirmed = true;
        const cipher_alg *enc = cipher_by_v2_id(sa->chosen.encr, sa->chosen.keybits);
        const integ_alg *integ = integ_by_id(sa->chosen.integ);
        if (enc && integ)   /* only keys an ICV checked are exported */
            v2_publish(d->ctx, sa, &sa->k, sa->epoch, enc, integ);
    }
    if (icv != 0 || sa->confirmed)
        return icv != 0;
    sa->cand++;
    sa->have_keys = false;
    v2_derive_initial(d->ctx, sa);
    d->redo = sa->have_keys;   /* the message again, with the next candidate's keys */
    return false;
}

void v2_done(dec_t *d)
{
    v2_msg m = { 0 };
    bool response = (d->flags & 0x20) != 0;
    v2_msg_of(d, &m);
    if (d->exch == V2_EXCH_IKE_SA_INIT) {
        v2_sa_init(d, &m, response);
        return;
    }
    v2_sa *sa = v2_sa_get(d, d->ispi, false);
    if (!sa || !sa->have_keys || memcmp(sa->rspi, d->rspi, 8))
        return;
    if (!v2_confirm(d, sa))
        return;
    v2_epoch_confirm(d, sa);
    if (d->exch == V2_EXCH_IKE_INTERMEDIATE) {
        v2_intauth(d, sa, (d->flags & 0x08) != 0);   /* with the keys that protect it */
        v2_intermediate(d, sa, &m, response);
    }
    else if (d->exch == V2_EXCH_IKE_FOLLOWUP_KE)
        v2_followup(d, sa, &m, response);
    else if (d->exch == V2_EXCH_IKE_AUTH)
        v2_auth(d, sa, &m, response);
    else if (d->exch == V2_EXCH_CREATE_CHILD_SA)
        v2_create_child(d, sa, &m, response);
}

bool kdf_has_secrets(const struct kdf_ctx *k)
{
    return k && k->secrets->len > 0;
}
