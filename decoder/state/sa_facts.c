/*
 * Per-SA records (isakmp_sa_facts, include/isakmp/facts.h): after each
 * message the engine folds what its facts say into the record of its SA.
 * The record is the one place that knows what an SA negotiated; IKEv1
 * decryption (its cipher and hash) and derivation read it from here.
 */
#include <string.h>

#include "core/ike_types.h"
#include "state/state.h"

/* Exchanges that make an SA: IKEv1 Phase 1 (RFC 2408 4.4-4.7: Base, Identity
 * Protection, Authentication Only, Aggressive), IKEv2 IKE_SA_INIT. */
static bool makes_sa(int version, uint8_t exchange)
{
    return version == 2 ? exchange == V2_EXCH_IKE_SA_INIT : exchange >= 1 && exchange <= 4;
}

/* Who sent the message: IKEv2 by its Initiator flag; IKEv1 by the zero
 * responder cookie of the first messages, then by the initiator's address. */
static bool from_initiator(const dec_t *d, const isakmp_sa_facts *r)
{
    static const uint8_t zero[8];
    if (d->version == 2)
        return d->m->facts.pub.header.initiator;
    if (memcmp(d->rspi, zero, 8) == 0)
        return true;
    return r->af && memcmp(d->m->pkt.src, r->initiator, 16) == 0;
}

/* An attribute's value as its typed field shows it: the integer of its
 * first 4 octets, kept to 16 bits (the classes read here are 16-bit). */
static uint16_t attr_value(const isakmp_fact_attr *a)
{
    size_t n = a->data.len < 8 ? a->data.len : 8;
    return (uint16_t)(n > 4 ? a->value >> (8 * (n - 4)) : a->value);
}

/* IKEv1 (RFC 2409 Appendix A): the first transform's attributes. */
static void v1_policy(const isakmp_facts *f, const isakmp_fact_proposal *p, isakmp_sa_policy *o)
{
    if (p->n_transforms == 0)
        return;
    const isakmp_fact_transform *t = &f->transforms[p->first_transform];
    bool seen[16] = { false };
    for (size_t i = t->first_attr; i < (size_t)t->first_attr + t->n_attrs; i++) {
        const isakmp_fact_attr *a = &f->attrs[i];
        if (a->data.len == 0 || a->type >= 16 || seen[a->type])
            continue;
        seen[a->type] = true;
        uint16_t v = attr_value(a);
        switch (a->type) {
        case 1: o->encr = v; break;
        case 2: o->prf = v; break;
        case 3: o->auth = v; break;
        case 4: o->ke = v; break;
        case 14: o->key_length = v; break;
        default: break;
        }
    }
}

/* IKEv2 (RFC 7296 3.3.2): the first transform of each of types 1-4. */
static void v2_policy(const isakmp_facts *f, const isakmp_fact_proposal *p, isakmp_sa_policy *o)
{
    bool seen[5] = { false };
    for (size_t i = p->first_transform; i < (size_t)p->first_transform + p->n_transforms; i++) {
        const isakmp_fact_transform *t = &f->transforms[i];
        if (t->type < 1 || t->type > 4 || seen[t->type])
            continue;
        seen[t->type] = true;
        uint16_t *slot[5] = { NULL, &o->encr, &o->prf, &o->integ, &o->ke };
        *slot[t->type] = t->id;
        if (t->type == 1)
            o->key_length = t->key_length;
    }
}

/* The message's first SA payload: its first IKE proposal into *o; returns
 * how many IKE proposals it holds (0: none, *o untouched). */
static uint32_t ike_proposals(const dec_t *d, isakmp_sa_policy *o)
{
    const isakmp_facts *f = &d->m->facts.pub;
    if (f->n_sas == 0)
        return 0;
    const isakmp_fact_sa *sa = &f->sas[0];
    uint32_t n = 0;
    for (size_t i = sa->first_proposal; i < (size_t)sa->first_proposal + sa->n_proposals; i++) {
        const isakmp_fact_proposal *p = &f->proposals[i];
        if (p->protocol != 1)   /* PROTO_ISAKMP / IKE */
            continue;
        if (n++ == 0) {
            memset(o, 0, sizeof *o);
            o->present = true;
            o->complete = p->complete;
            o->protocol = p->protocol;
            if (d->version == 2)
                v2_policy(f, p, o);
            else
                v1_policy(f, p, o);
        }
    }
    return n;
}

static void fold_sa_making(const dec_t *d, isakmp_sa_facts *r, bool from_i)
{
    const isakmp_facts *f = &d->m->facts.pub;
    if (!r->exchange)
        r->exchange = d->exch;
    isakmp_sa_policy p;
    uint32_t n = ike_proposals(d, &p);
    if (n && from_i) {
        r->offered = p;
        r->n_offered = n;
    } else if (n) {
        r->chosen = p;
    }
    if (d->version == 2 && f->n_kes)
        r->ke_group[!from_i] = f->kes[0].group;
}

static void fold_addresses(const dec_t *d, isakmp_sa_facts *r, bool from_i)
{
    const isakmp_packet *pkt = &d->m->pkt;
    if (r->af || !pkt->af || !from_i)
        return;
    r->af = pkt->af;
    memcpy(r->initiator, pkt->src, 16);
    memcpy(r->responder, pkt->dst, 16);
}

static void fold_rest(const dec_t *d, isakmp_sa_facts *r, bool from_i)
{
    const isakmp_facts *f = &d->m->facts.pub;
    if (d->version == 2 && f->n_auths)
        r->auth_method[!from_i] = f->auths[f->n_auths - 1].method;
    for (size_t i = 0; i < f->n_notifies && !r->error; i++)
        if (f->notifies[i].type >= 1 && f->notifies[i].type <= 16383) {
            r->error = f->notifies[i].type;
            r->error_from_responder = !from_i;
        }
    uint32_t fr = d->m->pkt.frame;
    if (fr && (!r->first_frame || fr < r->first_frame))
        r->first_frame = fr;
    if (fr > r->last_frame)
        r->last_frame = fr;
}

void state_fold(dec_t *d, bool quiet)
{
    /* a lean context reads no facts but Aggressive Mode's (for psk-crack);
     * a stateless context keeps no SA records (nothing in a tree reads them;
     * the context with state is told of the message: isakmp_ctx_seen) */
    if (!d->ctx || d->depth || !facts_on(d) || (d->version != 1 && d->version != 2) ||
        d->ctx->stateless)
        return;
    struct isakmp_state *sa = quiet ? state_sa_quiet(d, d->ispi) : state_sa(d, d->ispi);
    isakmp_sa_facts *r = &sa->rec;
    static const uint8_t zero[8];
    if (!r->major) {
        r->major = d->version;
        memcpy(r->ispi, d->ispi, 8);
    }
    if (!memcmp(r->rspi, zero, 8))
        memcpy(r->rspi, d->rspi, 8);
    bool from_i = from_initiator(d, r);
    fold_addresses(d, r, from_i);
    /* the negotiation itself: IKEv1 Phase 1 in clear, IKEv2 IKE_SA_INIT */
    bool clear = !(d->version == 1 && (d->flags & 0x01));
    if (makes_sa(d->version, d->exch) && d->msgid == 0 && clear)
        fold_sa_making(d, r, from_i);
    fold_rest(d, r, from_i);
}

const isakmp_sa_policy *state_policy(const struct isakmp_state *sa)
{
    if (sa->rec.chosen.present)
        return &sa->rec.chosen;
    return sa->rec.offered.present ? &sa->rec.offered : NULL;
}

const isakmp_sa_facts *isakmp_ctx_sa_facts(const isakmp_ctx *ctx, const uint8_t ispi[8])
{
    if (!ctx || !ispi)
        return NULL;
    const struct isakmp_state *sa = state_sa_find(ctx, ispi);
    return sa && sa->rec.major ? &sa->rec : NULL;
}

size_t isakmp_ctx_sa_facts_each(const isakmp_ctx *ctx,
                                void (*fn)(const isakmp_sa_facts *sa, void *user), void *user)
{
    size_t n = 0;
    if (!ctx)
        return 0;
    for (const GList *l = ctx->sa_lru.head; l; l = l->next) {
        const struct isakmp_state *sa = l->data;
        if (!sa->rec.major)
            continue;
        if (fn)
            fn(&sa->rec, user);
        n++;
    }
    return n;
}
