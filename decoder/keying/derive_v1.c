/*
 * IKEv1 key derivation driven by the decoder (RFC 2409 5, 5.5, Appendix B):
 * Phase 1 SKEYID and SKEYID_d/a/e and Ka from loaded secrets, HASH_I /
 * HASH_R, Quick Mode HASH(1..3), Informational / Mode Config HASH(1), and
 * each Quick Mode SA's KEYMAT (with and without PFS) for export.
 */
#include <gcrypt.h>
#include <stdio.h>
#include <string.h>

#include "keying/derive_int.h"
#include "crypto/dh.h"
#include "keys/export.h"
#include "core/hex.h"
#include "core/ike_types.h"
#include "keying/verify.h"

static void v1_qm_free(gpointer p)
{
    v1_qm *q = p;
    bytes_free(q->ni);
    bytes_free(q->nr);
    bytes_free(q->kei);
    bytes_free(q->ker);
    g_free(q);
}

void v1_sa_free(gpointer p)
{
    v1_sa *sa = p;
    GByteArray *all[] = { sa->sai_b, sa->ni, sa->nr, sa->kei, sa->ker, sa->idi, sa->idr, sa->hash_r };
    for (size_t i = 0; i < G_N_ELEMENTS(all); i++)
        bytes_free(all[i]);
    g_hash_table_destroy(sa->qm);
    secure_wipe(&sa->k, sizeof sa->k);
    g_free(sa);
}

/* ---------------------------------------------------------------- messages */

/* What one IKEv1 message carries (clear or decrypted payloads). */
typedef struct {
    const uint8_t *sa, *ke, *nonce, *id, *hash, *sig, *cert;
    size_t sa_len, ke_len, nonce_len, id_len, hash_len, sig_len, cert_len;
    uint32_t hash_payload;         /* the HASH payload (facts index) */
    uint32_t hash_item, sig_item;  /* the HASH / SIG payload items; 0 when none */
    sa_choice ch;                  /* first proposal / transform of the SA payload */
} v1_msg;

/* A transform's attributes (RFC 2408 3.3) in TV form that a Quick Mode
 * SA's keys need (RFC 2407 4.5); Phase 1's are in the SA's record. */
static void v1_attrs(const isakmp_facts *f, const isakmp_fact_transform *t, sa_choice *ch)
{
    for (size_t i = t->first_attr; i < (size_t)t->first_attr + t->n_attrs; i++) {
        const isakmp_fact_attr *a = &f->attrs[i];
        uint16_t v = (uint16_t)a->value;
        if (!a->tv)
            continue;
        if (a->type == 5)                    /* RFC 2407 4.5: Authentication Algorithm */
            ch->integ = export_v1_auth_to_integ(v);
        else if (a->type == 6)               /* Key Length */
            ch->keybits = v;
        else if (a->type == 3)               /* Group Description (PFS) */
            ch->dh = v;
    }
}

/* SA payload (RFC 2408 3.4-3.6): the first proposal's first transform. */
static void v1_choice(const dec_t *d, const isakmp_fact_sa *sa, v1_msg *m)
{
    const isakmp_facts *f = &d->m->facts.pub;
    if (sa->n_proposals == 0)
        return;
    const isakmp_fact_proposal *p = &f->proposals[sa->first_proposal];
    if (!sa_spi(d, p, &m->ch) || p->n_transforms == 0)
        return;
    const isakmp_fact_transform *t = &f->transforms[p->first_transform];
    m->ch.encr = t->id;                      /* ESP transform id; KEY_IKE in Phase 1 */
    v1_attrs(f, t, &m->ch);
    m->ch.have = true;
}

/* The message's facts: the first SA payload, the last KE, ID, Nonce, HASH
 * and SIG, the first X.509 certificate. */
static void v1_msg_of(const dec_t *d, v1_msg *m)
{
    const isakmp_facts *f = &d->m->facts.pub;
    if (f->n_sas) {
        m->sa = span_bytes(d, f->sas[0].body, &m->sa_len);
        v1_choice(d, &f->sas[0], m);
    }
    if (f->n_kes)
        m->ke = span_bytes(d, f->kes[f->n_kes - 1].data, &m->ke_len);
    if (f->n_ids)
        m->id = span_bytes(d, f->ids[f->n_ids - 1].body, &m->id_len);
    if (f->n_nonces)
        m->nonce = span_bytes(d, f->nonces[f->n_nonces - 1].data, &m->nonce_len);
    for (size_t i = 0; i < f->n_certs && !m->cert; i++)
        if (f->certs[i].encoding == 4)   /* X.509 Certificate - Signature */
            m->cert = span_bytes(d, f->certs[i].data, &m->cert_len);
    for (size_t i = 0; i < f->n_auths; i++) {
        const isakmp_fact_auth *a = &f->auths[i];
        if (payload_type(d, a->payload) == V1_PAYLOAD_HASH) {
            m->hash = span_bytes(d, a->data, &m->hash_len);
            m->hash_payload = a->payload;
            m->hash_item = fact_payload_item(d, a->payload);
        } else {
            m->sig = span_bytes(d, a->data, &m->sig_len);
            m->sig_item = fact_payload_item(d, a->payload);
        }
    }
}

/* The bytes after the HASH payload up to the end of the last payload of the
 * same data source (RFC 2409 5.5: "the entire message ... following the
 * HASH payload"), padding excluded. */
static bool after_hash(dec_t *d, uint32_t hash, kdf_chunk *out)
{
    const isakmp_facts *f = &d->m->facts.pub;
    if (hash >= f->n_payloads)
        return false;
    isakmp_span h = f->payloads[hash].span;
    size_t start = (size_t)h.off + h.len, end = start, n = 0;
    for (size_t i = 0; i < f->n_payloads; i++) {
        isakmp_span p = f->payloads[i].span;
        if (p.src == h.src && (size_t)p.off + p.len > end)
            end = (size_t)p.off + p.len;
    }
    const uint8_t *src = isakmp_msg_source_data(d->m, h.src, &n);
    if (!src || end > n)
        return false;
    *out = (kdf_chunk){ src + start, end - start };
    return true;
}

/* ---------------------------------------------------------------- Phase 1 */

/* The SA's derivation data, created when missing; it lives as long as the
 * SA's entry in the SA table (state.c), which this makes the most recent. */
static v1_sa *v1_sa_get(dec_t *d, const uint8_t icky[8])
{
    struct kdf_ctx *kc = kdf_ctx_of(d->ctx);
    state_sa(d, icky);
    GBytes *key = g_bytes_new(icky, 8);
    v1_sa *sa = g_hash_table_lookup(kc->v1, key);
    if (!sa) {
        sa = g_new0(v1_sa, 1);
        memcpy(sa->icky, icky, 8);
        sa->qm = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, v1_qm_free);
        g_hash_table_insert(kc->v1, g_bytes_ref(key), sa);
    }
    g_bytes_unref(key);
    return sa;
}

static size_t v1_ka_len(const v1_sa *sa)
{
    switch (sa->encr) {
    case 1: return 8;                                    /* DES-CBC */
    case 5: return 24;                                   /* 3DES-CBC */
    case 3:                                              /* Blowfish */
    case 6: return sa->keybits ? sa->keybits / 8 : 16;   /* CAST */
    case 7:                                              /* AES-CBC */
    case 8: return sa->keybits ? sa->keybits / 8 : 16;   /* Camellia */
    default: return 0;
    }
}

static bool is_psk_auth(uint16_t auth)
{
    /* RFC 2409: 1 pre-shared key; XAUTH (draft-ietf-ipsec-isakmp-xauth) 65001/65002 */
    return auth == 1 || auth == 65001 || auth == 65002;
}

/* The idx-th PSK: those whose selector names either peer's address first,
 * then the others. */
static secret_rec *v1_psk(struct kdf_ctx *kc, const uint8_t icky[8], const char *a,
                          const char *b, int idx)
{
    secret_rec *r;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; (r = find_secret(kc, SEC_PSK, icky, -1, i)); i++) {
            bool named = r->selector && (!strcmp(r->selector, a) || !strcmp(r->selector, b));
            if (named == (pass == 0) && idx-- == 0)
                return r;
        }
    return NULL;
}

/* The idx-th way to SKEYID (RFC 2409 5): each loaded SKEYID, then each PSK
 * (pre-shared key authentication) or the one computed value (signatures,
 * public key encryption).  False when there is no such candidate. */
static bool v1_skeyid(struct kdf_ctx *kc, v1_sa *sa, const kdf_chunk *g, const dec_t *d, int idx)
{
    secret_rec *r;
    kdf_chunk ni = { sa->ni->data, sa->ni->len }, nr = { sa->nr->data, sa->nr->len };
    for (int i = 0; (r = find_secret(kc, SEC_V1_SKEYID, sa->icky, -1, i)); i++)
        if (r->len == kdf_prf_size(sa->prf) && idx-- == 0) {
            memcpy(sa->k.skeyid, r->value, r->len);
            return true;
        }
    if (is_psk_auth(sa->auth)) {
        char a[64], b[64];
        addr_text(d->m->pkt.af, d->m->pkt.src, a, sizeof a);
        addr_text(d->m->pkt.af, d->m->pkt.dst, b, sizeof b);
        r = v1_psk(kc, sa->icky, a, b, idx);
        kdf_chunk psk = { r ? r->value : NULL, r ? r->len : 0 };
        return r && kdf_v1_skeyid_psk(sa->prf, &psk, &ni, &nr, sa->k.skeyid);
    }
    if (idx != 0)
        return false;
    if (sa->auth == 4 || sa->auth == 5)   /* public key encryption (RFC 2409 5.2, 5.3) */
        return kdf_v1_skeyid_pke(sa->prf, &ni, &nr, sa->icky, sa->rcky, sa->k.skeyid);
    return kdf_v1_skeyid_sig(sa->prf, &ni, &nr, g, sa->k.skeyid);
}

/* The idx-th way to g^xy: each loaded shared secret not taken by another
 * SA (exact cookies first), then one computed from a private value. */
static size_t v1_gxy(struct kdf_ctx *kc, v1_sa *sa, int idx, uint8_t *g)
{
    secret_rec *r;
    sa->cand_rec = NULL;
    for (int i = 0; (r = find_secret(kc, SEC_V1_DH_SHARED, sa->icky, -1, i)); i++)
        if (r->len <= DH_MAX_LEN && (!r->owner || r->owner == sa) && idx-- == 0) {
            memcpy(g, r->value, r->len);
            sa->cand_rec = r;
            return r->len;
        }
    return idx == 0 ? dh_secret(kc, (secret_kind)0, SEC_V1_DH_PRIVATE, sa->icky, -1, sa->group,
                                sa->kei, sa->ker, g)
                    : 0;
}

/* How many SKEYID ways there are (see v1_skeyid). */
static int v1_key_count(struct kdf_ctx *kc, v1_sa *sa)
{
    int n = 0;
    for (int i = 0; find_secret(kc, SEC_V1_SKEYID, sa->icky, -1, i); i++)
        n += find_secret(kc, SEC_V1_SKEYID, sa->icky, -1, i)->len == kdf_prf_size(sa->prf);
    if (!is_psk_auth(sa->auth))
        return n + 1;
    for (int i = 0; find_secret(kc, SEC_PSK, sa->icky, -1, i); i++)
        n++;
    return n;
}

/* Keys from candidate sa->cand = (g^xy way) x (SKEYID way); false when the
 * candidates are used up. */
static bool v1_candidate(struct kdf_ctx *kc, v1_sa *sa, const dec_t *d, size_t ka)
{
    uint8_t g[DH_MAX_LEN];
    int nk = v1_key_count(kc, sa);
    if (nk == 0)
        return false;
    size_t gl = v1_gxy(kc, sa, sa->cand / nk, g);
    kdf_chunk gxy = { g, gl };
    bool ok = gl && v1_skeyid(kc, sa, &gxy, d, sa->cand % nk) &&
              kdf_v1_sa_keys(sa->prf, &gxy, sa->icky, sa->rcky, ka, &sa->k);
    secure_wipe(g, sizeof g);
    return ok;
}

/* Puts the SA's Ka into the key store, where decryption tries it. */
static void v1_store(isakmp_ctx *ctx, const v1_sa *sa)
{
    key_v1 *e = g_new0(key_v1, 1);
    memcpy(e->icookie, sa->icky, 8);
    secret_copy(&e->enc, sa->k.ka, sa->k.ka_len);
    keys_v1_add(ctx->keys, e);
}

static void v1_derive(isakmp_ctx *ctx, v1_sa *sa, const dec_t *d)
{
    struct kdf_ctx *kc = kdf_ctx_of(ctx);
    size_t ka = v1_ka_len(sa);
    sa->prf = kdf_prf_from_v1_hash(sa->hash);
    if (!ka || !sa->prf || !v1_candidate(kc, sa, d, ka))
        return;
    sa->have_keys = true;
    v1_store(ctx, sa);
}

/* Puts a confirmed SA's Ka into the export store (a message decrypted with
 * it, or its HASH_I / HASH_R matched): keys from a wrong guess never leave
 * the library. */
static void v1_publish(struct kdf_ctx *kc, const v1_sa *sa)
{
    export_v1 x = { .len = sa->k.ka_len };
    memcpy(x.icookie, sa->icky, 8);
    memcpy(x.key, sa->k.ka, sa->k.ka_len);
    export_add_v1(kc->exp, &x);
    secure_wipe(&x, sizeof x);
}

/* A message checked with the current candidate's keys: they are kept (a
 * '*' g^xy is then this SA's, other SAs skip it) and exported. */
static void v1_set_confirmed(isakmp_ctx *ctx, v1_sa *sa)
{
    if (sa->confirmed)
        return;
    if (sa->cand_rec && sa->cand_rec->any_sa)
        sa->cand_rec->owner = sa;
    secret_confirmed(ctx, sa->cand_rec);
    sa->confirmed = true;
    v1_publish(kdf_ctx_of(ctx), sa);
}

/* HASH_I / HASH_R (RFC 2409 5) with the SA's current SKEYID into h. */
static bool v1_p1_hash(const v1_sa *sa, bool from_i, uint8_t *h)
{
    const GByteArray *id = from_i ? sa->idi : sa->idr;
    kdf_chunk sk = { sa->k.skeyid, sa->k.len }, gi = { sa->kei->data, sa->kei->len },
              gr = { sa->ker->data, sa->ker->len }, sab = { sa->sai_b->data, sa->sai_b->len },
              idb = { id->data, id->len };
    return verify_v1_phase1_hash(sa->prf, &sk, from_i ? &gi : &gr, from_i ? &gr : &gi,
                                 from_i ? sa->icky : sa->rcky, from_i ? sa->rcky : sa->icky, &sab,
                                 &idb, h);
}

#define V1_MAX_TRIES 64   /* candidate secrets tried against one HASH */

/* A HASH that does not match the current candidate's keys, before anything
 * confirmed them: the other candidates are tried (Aggressive Mode sends
 * HASH_R in clear); the first that gives the HASH is kept, else the current
 * one stays.  True when one matched (its value in h). */
static bool v1_hash_search(dec_t *d, v1_sa *sa, const v1_msg *m, bool from_i, uint8_t *h)
{
    struct kdf_ctx *kc = kdf_ctx_of(d->ctx);
    int keep = sa->cand;
    secret_rec *keep_rec = sa->cand_rec;
    kdf_v1_keys k = sa->k;
    uint8_t t[KDF_MAX_PRF];
    for (int c = 0; c < V1_MAX_TRIES; c++) {
        sa->cand = c;
        if (c == keep || !v1_candidate(kc, sa, d, v1_ka_len(sa)) || !v1_p1_hash(sa, from_i, t) ||
            m->hash_len != sa->k.len || memcmp(t, m->hash, sa->k.len))
            continue;
        memcpy(h, t, sa->k.len);
        secure_wipe(&k, sizeof k);
        v1_store(d->ctx, sa);
        return true;
    }
    sa->cand = keep;
    sa->cand_rec = keep_rec;
    sa->k = k;
    secure_wipe(&k, sizeof k);
    return false;
}

static bool v1_pke_method(uint16_t auth)
{
    /* RFC 2409 5.2, 5.3 (4, 5); XAUTH variants 65007-65010 */
    return auth == 4 || auth == 5 || (auth >= 65007 && auth <= 65010);
}

static bool v1_rsa_method(uint16_t auth)
{
    /* RFC 2409 3 RSA signatures; XAUTHInitRSA / RespRSA (65005, 65006),
     * HybridInitRSA / RespRSA (64221, 64222) */
    return auth == 3 || auth == 65005 || auth == 65006 || auth == 64221 || auth == 64222;
}

/* The SIG payload over HASH_I / HASH_R (RFC 2409 5.1, RFC 4754 ECDSA) against
 * the message's certificate; a note instead of a verdict when it cannot be
 * checked. */
static void v1_verify_sig(dec_t *d, const v1_sa *sa, const v1_msg *m, const uint8_t *h)
{
    const char *why = "the certificate's key does not fit the authentication method";
    int r = -1;
    if (!m->cert)
        why = "certificate missing (no X.509 CERT payload in the message)";
    else if (v1_rsa_method(sa->auth))
        r = verify_v1_rsa_sig(m->sig, m->sig_len, m->cert, m->cert_len, h, sa->k.len);
    else if (sa->auth >= 9 && sa->auth <= 11)
        r = verify_v1_ecdsa_sig(sa->auth, m->sig, m->sig_len, m->cert, m->cert_len, h, sa->k.len);
    else
        why = "authentication method not supported";
    if (r >= 0)
        add_verdict(d, m->sig_item, F_VERIFY_AUTH, r == 1, NULL, 0, "Signature");
    else
        no_verdict(d, m->sig_item, "Signature", why);
}

/* HASH_I / HASH_R (RFC 2409 5); with signatures, the SIG over it (5.1). */
static void v1_verify_p1(dec_t *d, v1_sa *sa, const v1_msg *m, bool from_i)
{
    const GByteArray *id = from_i ? sa->idi : sa->idr;
    if (!sa->have_keys || !id || !sa->sai_b || !sa->kei || !sa->ker || (!m->hash && !m->sig))
        return;
    if (v1_pke_method(sa->auth)) {   /* SKEYID needs the nonces in clear */
        no_verdict(d, m->hash ? m->hash_item : m->sig_item, from_i ? "HASH_I" : "HASH_R",
                   "authentication method not supported (public key encryption: the nonces "
                   "are encrypted to the peers' keys)");
        return;
    }
    uint8_t h[KDF_MAX_PRF];
    if (!v1_p1_hash(sa, from_i, h))
        return;
    if (m->hash) {
        bool ok = m->hash_len == sa->k.len && !memcmp(h, m->hash, sa->k.len);
        if (!ok && !sa->confirmed)
            ok = v1_hash_search(d, sa, m, from_i, h);
        /* the HASH confirms SKEYID; with a pre-shared key that is the PSK
         * only (g^xy, which Ka also needs, is then left to decryption) */
        if (ok && !is_psk_auth(sa->auth))
            v1_set_confirmed(d->ctx, sa);
        add_verdict(d, m->hash_item, F_VERIFY_HASH, ok, h, sa->k.len,
                    from_i ? "HASH_I" : "HASH_R");
    } else {
        v1_verify_sig(d, sa, m, h);
    }
}

static void v1_phase1(dec_t *d, v1_sa *sa, const v1_msg *m, bool from_i)
{
    if (m->sa && from_i && !sa->sai_b)
        bytes_set(&sa->sai_b, m->sa, m->sa_len);
    /* the responder's choice, as the SA's record has it (state/sa_facts.c) */
    const isakmp_sa_policy *c = &state_sa(d, sa->icky)->rec.chosen;
    if (m->sa && !from_i && c->present && c->complete) {
        sa->encr = c->encr;
        sa->hash = c->prf;
        sa->auth = c->auth;
        sa->group = c->ke;
        sa->keybits = c->key_length;
    }
    GByteArray **ke = from_i ? &sa->kei : &sa->ker, **n = from_i ? &sa->ni : &sa->nr,
               **id = from_i ? &sa->idi : &sa->idr;
    if (m->ke)
        bytes_set(ke, m->ke, m->ke_len);
    if (m->nonce)
        bytes_set(n, m->nonce, m->nonce_len);
    if (m->id)
        bytes_set(id, m->id, m->id_len);
    static const uint8_t zero[8];
    if (memcmp(d->rspi, zero, 8))
        memcpy(sa->rcky, d->rspi, 8);
    if (!sa->have_keys && sa->ni && sa->nr && sa->kei && sa->ker && memcmp(sa->rcky, zero, 8))
        v1_derive(d->ctx, sa, d);
    if (m->hash && !from_i && !(d->flags & 0x01))
        bytes_set(&sa->hash_r, m->hash, m->hash_len);   /* Aggressive Mode: HASH_R in clear */
    v1_verify_p1(d, sa, m, from_i);
}

/* ---------------------------------------------------------------- Quick Mode */

static uint32_t spi_of(const sa_choice *c)
{
    return c->spilen == 4 ? (uint32_t)c->spi[0] << 24 | (uint32_t)c->spi[1] << 16 |
                                (uint32_t)c->spi[2] << 8 | c->spi[3]
                          : 0;
}

/* One direction: KEYMAT for the SPI its receiver chose (RFC 2409 5.5),
 * the encryption key first, then the integrity key. */
static void v1_keymat_out(struct kdf_ctx *kc, const v1_sa *sa, const v1_qm *q, bool to_i,
                          const kdf_chunk *g)
{
    const sa_choice *ch = &q->resp, *spis = to_i ? &q->req : &q->resp;
    const cipher_alg *enc = ch->proto == 2 ? NULL : cipher_by_v2_id(ch->encr, ch->keybits);
    const integ_alg *integ = integ_by_id(ch->integ);
    if ((ch->proto != 2 && !enc) || !integ || spis->spilen != 4)
        return;
    size_t el = enc ? (size_t)enc->key_len + enc->salt_len : 0, il = integ_key_len(integ);
    uint8_t km[2 * KDF_MAX_KEY];
    kdf_chunk skd = { sa->k.d, sa->k.len }, spi = { spis->spi, 4 },
              ni = { q->ni->data, q->ni->len }, nr = { q->nr->data, q->nr->len };
    if (el + il > sizeof km ||
        !kdf_v1_keymat(sa->prf, &skd, g, ch->proto, &spi, &ni, &nr, km, el + il))
        return;
    export_esp e = { .af = q->af == 6 ? 6 : 4, .spi = spi_of(spis), .elen = el, .alen = il };
    addr_text(q->af, to_i ? q->idst : q->isrc, e.src, sizeof e.src);
    addr_text(q->af, to_i ? q->isrc : q->idst, e.dst, sizeof e.dst);
    e.encr_name = ch->proto == 2 ? "NULL" : export_esp_encr_name(ch->encr, ch->keybits);
    e.integ_name = export_esp_integ_name(ch->integ);
    memcpy(e.ekey, km, el);
    memcpy(e.akey, km + el, il);
    if (e.encr_name && e.integ_name)
        export_add_esp(kc->exp, &e);
    secure_wipe(&e, sizeof e);
    secure_wipe(km, sizeof km);
}

/* The Quick Mode's g^xy as loaded: one given for its message id, else the
 * only one given with '*' (nothing checks a PFS secret, so of several '*'
 * ones none is taken: no keys rather than wrong ones); 0 when none. */
static size_t v1_qm_shared(struct kdf_ctx *kc, const v1_sa *sa, uint32_t msgid, uint8_t *g)
{
    const secret_rec *r, *any = NULL;
    int n_any = 0;
    for (int i = 0; (r = find_secret(kc, SEC_V1_QM_DH_SHARED, sa->icky, msgid, i)); i++) {
        if (r->len > DH_MAX_LEN)
            continue;
        if (!r->any_msgid) {
            memcpy(g, r->value, r->len);
            return r->len;
        }
        any = r;
        n_any++;
    }
    if (n_any != 1)
        return 0;
    memcpy(g, any->value, any->len);
    return any->len;
}

static void v1_qm_keys(isakmp_ctx *ctx, const v1_sa *sa, const v1_qm *q, uint32_t msgid)
{
    struct kdf_ctx *kc = kdf_ctx_of(ctx);
    if (!sa->confirmed)   /* only from Phase 1 keys a message confirmed */
        return;
    uint8_t g[DH_MAX_LEN];
    size_t gl = 0;
    if (q->kei && q->ker) {
        gl = v1_qm_shared(kc, sa, msgid, g);
        if (!gl)
            gl = dh_secret(kc, (secret_kind)0, SEC_V1_DH_PRIVATE, sa->icky, msgid, q->resp.dh,
                           q->kei, q->ker, g);
        if (!gl)
            return;
    }
    kdf_chunk gc = { g, gl };
    v1_keymat_out(kc, sa, q, true, gl ? &gc : NULL);
    v1_keymat_out(kc, sa, q, false, gl ? &gc : NULL);
    secure_wipe(g, sizeof g);
}

/* HASH(1) / HASH(2) / Informational and Mode Config HASH(1). */
static void v1_verify_msg_hash(dec_t *d, const v1_sa *sa, const v1_msg *m, const GByteArray *ni,
                               const char *what)
{
    kdf_chunk after, ka = { sa->k.a, sa->k.len }, nc = { ni ? ni->data : NULL, ni ? ni->len : 0 };
    uint8_t h[KDF_MAX_PRF];
    if (!m->hash_item || !after_hash(d, m->hash_payload, &after) ||
        !verify_v1_msg_hash(sa->prf, &ka, d->msgid, ni ? &nc : NULL, &after, h))
        return;
    add_verdict(d, m->hash_item, F_VERIFY_HASH,
                m->hash_len == sa->k.len && !memcmp(h, m->hash, sa->k.len), h, sa->k.len, what);
}

static uint32_t qm_age(gconstpointer p) { return ((const v1_qm *)p)->age; }

static v1_qm *v1_qm_start(dec_t *d, v1_sa *sa, const v1_msg *m)
{
    state_trim(sa->qm, STATE_MAX_XCHG, NULL, qm_age);
    v1_qm *q = g_new0(v1_qm, 1);
    q->age = sa->ages++;
    g_hash_table_insert(sa->qm, GUINT_TO_POINTER(d->msgid), q);
    q->req = m->ch;
    q->af = d->m->pkt.af;
    memcpy(q->isrc, d->m->pkt.src, 16);
    memcpy(q->idst, d->m->pkt.dst, 16);
    bytes_set(&q->ni, m->nonce, m->nonce_len);
    if (m->ke)
        bytes_set(&q->kei, m->ke, m->ke_len);
    return q;
}

/* Quick Mode: HASH(1), SA, Ni [, KE] [, IDci, IDcr] from the initiator;
 * HASH(2), SA, Nr [, KE] ... back; HASH(3).  Who sent a message is told by
 * its source address, so decoding a message again changes nothing. */
static void v1_quick(dec_t *d, v1_sa *sa, const v1_msg *m)
{
    v1_qm *q = g_hash_table_lookup(sa->qm, GUINT_TO_POINTER(d->msgid));
    if (!q && m->sa && m->nonce)
        q = v1_qm_start(d, sa, m);
    if (!q)
        return;
    bool from_qi = !memcmp(d->m->pkt.src, q->isrc, 16);
    if (from_qi && m->sa) {
        v1_verify_msg_hash(d, sa, m, NULL, "HASH(1)");
    } else if (!from_qi && m->sa && m->nonce) {
        q->resp = m->ch;
        bytes_set(&q->nr, m->nonce, m->nonce_len);
        if (m->ke)
            bytes_set(&q->ker, m->ke, m->ke_len);
        v1_verify_msg_hash(d, sa, m, q->ni, "HASH(2)");
        v1_qm_keys(d->ctx, sa, q, d->msgid);
    } else if (from_qi && q->nr && m->hash_item) {
        kdf_chunk ka = { sa->k.a, sa->k.len }, ni = { q->ni->data, q->ni->len },
                  nr = { q->nr->data, q->nr->len };
        uint8_t h[KDF_MAX_PRF];
        if (verify_v1_qm_hash3(sa->prf, &ka, d->msgid, &ni, &nr, h))
            add_verdict(d, m->hash_item, F_VERIFY_HASH,
                        m->hash_len == sa->k.len && !memcmp(h, m->hash, sa->k.len), h, sa->k.len,
                        "HASH(3)");
    }
}

/* 1 when the message was decrypted, 0 when decryption was tried and failed
 * ("valid padding plus a valid payload chain" is what the decrypting module
 * checks), -1 when neither. */
static int v1_decrypted(const dec_t *d)
{
    const isakmp_facts *f = &d->m->facts.pub;
    for (size_t i = 0; i < f->n_payloads; i++)
        if (f->payloads[i].span.src != 0 && f->payloads[i].type != V1_PAYLOAD_FRAGMENT)
            return 1;
    for (guint i = 0; i < d->m->notes->len; i++)
        if (g_array_index(d->m->notes, msg_note, i).code == ISAKMP_NOTE_DECRYPT &&
            g_array_index(d->m->notes, msg_note, i).severity >= ISAKMP_SEV_WARN)
            return (d->flags & 0x01) ? 0 : -1;
    return -1;
}

/* Secrets given with '*' (or several PSKs) are guesses until a message
 * decrypts with their keys; when one does not, the next candidate's keys
 * replace them. */
static void v1_confirm(dec_t *d, v1_sa *sa)
{
    if (!sa->have_keys || !(d->flags & 0x01))
        return;   /* only an encrypted message tells whether the keys are right */
    int ok = v1_decrypted(d);
    if (ok == 1)
        v1_set_confirmed(d->ctx, sa);
    if (ok != 0 || sa->confirmed || !sa->have_keys)
        return;
    sa->cand++;
    sa->have_keys = false;
    v1_derive(d->ctx, sa, d);
    d->redo = sa->have_keys;   /* the message again, with the next candidate's keys */
}

void v1_done(dec_t *d)
{
    v1_sa *sa = v1_sa_get(d, d->ispi);
    static const uint8_t zero[8];
    if (!sa->init_known && !memcmp(d->rspi, zero, 8) && d->msgid == 0) {
        memcpy(sa->iaddr, d->m->pkt.src, 16);   /* the first message comes from the initiator */
        sa->init_known = true;
    }
    if (!sa->init_known)
        return;
    bool from_i = !memcmp(d->m->pkt.src, sa->iaddr, 16);
    v1_msg m = { 0 };
    v1_msg_of(d, &m);
    v1_confirm(d, sa);   /* any encrypted message confirms the keys, or rules them out */
    if ((d->exch == V1_EXCH_IDENTITY_PROTECTION || d->exch == V1_EXCH_AGGRESSIVE) &&
        d->msgid == 0) {
        v1_phase1(d, sa, &m, from_i);
    }
    else if (!sa->have_keys || !sa->confirmed)
        return;   /* a guess no message confirmed: no HASH verdict, no Quick Mode keys */
    else if (d->exch == V1_EXCH_QUICK)
        v1_quick(d, sa, &m);
    else if (d->exch == V1_EXCH_INFORMATIONAL || d->exch == V1_EXCH_TRANSACTION)
        v1_verify_msg_hash(d, sa, &m, NULL, "HASH(1)");
}

/* ---------------------------------------------------------------- psk-crack */

/* Aggressive Mode with a pre-shared key sends HASH_R in clear; psk-crack
 * (ike-scan) and hashcat modes 5300 (MD5) / 5400 (SHA-1) take it as
 * g_xr:g_xi:cky_r:cky_i:sai_b:idir_b:ni_b:nr_b:hash_r, all hex. */
static void hex_field(GString *out, const uint8_t *p, size_t n, bool last)
{
    hex_append(out, p, n);
    g_string_append_c(out, last ? '\n' : ':');
}

static void crack_line(gpointer key, gpointer value, gpointer user)
{
    const v1_sa *sa = value;
    GString *out = user;
    (void)key;
    if (!sa->hash_r || !is_psk_auth(sa->auth) || !sa->ker || !sa->kei || !sa->sai_b ||
        !sa->idr || !sa->ni || !sa->nr)
        return;
    hex_field(out, sa->ker->data, sa->ker->len, false);
    hex_field(out, sa->kei->data, sa->kei->len, false);
    hex_field(out, sa->rcky, 8, false);
    hex_field(out, sa->icky, 8, false);
    hex_field(out, sa->sai_b->data, sa->sai_b->len, false);
    hex_field(out, sa->idr->data, sa->idr->len, false);
    hex_field(out, sa->ni->data, sa->ni->len, false);
    hex_field(out, sa->nr->data, sa->nr->len, false);
    hex_field(out, sa->hash_r->data, sa->hash_r->len, true);
}

/* Every Aggressive Mode PSK exchange's line. */
static GString *crack_text(isakmp_ctx *ctx)
{
    GString *out = g_string_new(NULL);
    if (ctx->kdf)
        g_hash_table_foreach(ctx->kdf->v1, crack_line, out);
    return out;
}

int isakmp_ctx_export_psk_crack(isakmp_ctx *ctx, const char *path, char *err, size_t errlen)
{
    GString *out = crack_text(ctx);
    int rc = isakmp_export_psk_crack_merge(path, out->str, out->len, err, errlen);
    g_string_free(out, TRUE);
    return rc;
}

size_t isakmp_ctx_export_psk_crack_mem(isakmp_ctx *ctx, char *buf, size_t size)
{
    return export_text_out(crack_text(ctx), buf, size);
}
