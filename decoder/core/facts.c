/* The facts record of a message: its lists (facts_int.h), the header and
 * payload entries the decoder adds, and the public accessors. */
#include <stddef.h>
#include <string.h>

#include "core/facts_int.h"
#include "core/ike_types.h"
#include "core/internal.h"

/* ---------------------------------------------------------------- lists */

static const char *const list_names[FACT_LIST_COUNT] = {
#define FACT_NAME(name, type, max) #name,
    FACT_LISTS(FACT_NAME)
#undef FACT_NAME
};

/* The room for entry n of list k, growing *cap (doubling from 4) up to max;
 * false, with a note the first time, when the list is full. */
static bool room(isakmp_msg *m, int k, size_t n, size_t max)
{
    struct msg_facts *f = &m->facts;
    if (n < f->cap[k])
        return true;
    if (n >= max) {
        f->pub.truncated = true;
        if (!(f->full & (1u << k)))
            tree_note(m, f->cur == ISAKMP_FACT_NONE ? 0 : f->payload_items[f->cur],
                      ISAKMP_SEV_WARN, ISAKMP_NOTE_LIMIT,
                      "Facts record: more than %zu %s in the message; the rest are left out",
                      max, list_names[k]);
        f->full |= 1u << k;
        return false;
    }
    f->cap[k] = f->cap[k] ? 2 * f->cap[k] : 4;
    if (f->cap[k] > max)
        f->cap[k] = (uint32_t)max;
    return true;
}

/* The payload list has a second array, of tree items. */
static void grow_items(struct msg_facts *f)
{
    f->payload_items = g_renew(uint32_t, f->payload_items, f->cap[FACT_LIST_payloads]);
}

#define FACT_ADDER(name, type, max)                                                   \
    uint32_t facts_add_##name(isakmp_msg *m, const type *e)                           \
    {                                                                                 \
        struct msg_facts *f = &m->facts;                                              \
        size_t n = f->pub.n_##name;                                                   \
        if (n >= f->cap[FACT_LIST_##name]) {                                          \
            if (!room(m, FACT_LIST_##name, n, max))                                   \
                return ISAKMP_FACT_NONE;                                              \
            f->name = g_renew(type, f->name, f->cap[FACT_LIST_##name]);               \
            f->pub.name = f->name;                                                    \
            if (FACT_LIST_##name == FACT_LIST_payloads)                               \
                grow_items(f);                                                        \
        }                                                                             \
        f->name[n] = *e;                                                              \
        f->pub.n_##name = n + 1;                                                      \
        f->clean = false;                                                             \
        return (uint32_t)n;                                                           \
    }
FACT_LISTS(FACT_ADDER)
#undef FACT_ADDER

/* Every message starts one: the counts go back to zero, the arrays (and
 * pub's pointers to them) stay for reuse.  The header is written by every
 * message (facts_header), `partial` by ctx_direct; a message that set
 * nothing else (field-directed without keys) left the rest as it was. */
void facts_reset(struct msg_facts *f)
{
    if (f->clean)
        return;
    f->pub.truncated = false;
    memset(&f->pub.decrypted, 0,
           offsetof(isakmp_facts, payloads) - offsetof(isakmp_facts, decrypted));
    f->clean = true;
    f->full = 0;
    f->cur = f->sa = f->proposal = f->transform = ISAKMP_FACT_NONE;
    f->in_v1_sa = false;
}

void facts_finish(struct msg_facts *f, const struct isakmp_item *items)
{
    for (size_t i = 0; i < f->pub.n_payloads; i++)
        f->payloads[i].item = &items[f->payload_items[i]];
}

void facts_free(struct msg_facts *f)
{
#define FACT_FREE(name, type, max) g_free(f->name);
    FACT_LISTS(FACT_FREE)
#undef FACT_FREE
    g_free(f->payload_items);
}

/* ---------------------------------------------------------------- decoder */

/* The header's six flag bools (IKEv2 I, V, R, then IKEv1 E, C, A) by
 * version and its three flag bits (RFC 7296 3.1: I 0x08, V 0x10, R 0x20;
 * RFC 2408 3.1: E 0x01, C 0x02, A 0x04): one copy per message, which has
 * every message pay little for them. */
static const bool flag_bools[2][8][6] = {
    { /* IKEv1 (and versions without flags: row 0) */
      { 0, 0, 0, 0, 0, 0 }, { 0, 0, 0, 1, 0, 0 }, { 0, 0, 0, 0, 1, 0 }, { 0, 0, 0, 1, 1, 0 },
      { 0, 0, 0, 0, 0, 1 }, { 0, 0, 0, 1, 0, 1 }, { 0, 0, 0, 0, 1, 1 }, { 0, 0, 0, 1, 1, 1 } },
    { /* IKEv2 */
      { 0, 0, 0, 0, 0, 0 }, { 1, 0, 0, 0, 0, 0 }, { 0, 1, 0, 0, 0, 0 }, { 1, 1, 0, 0, 0, 0 },
      { 0, 0, 1, 0, 0, 0 }, { 1, 0, 1, 0, 0, 0 }, { 0, 1, 1, 0, 0, 0 }, { 1, 1, 1, 0, 0, 0 } },
};
_Static_assert(offsetof(isakmp_fact_header, auth_only) ==
                   offsetof(isakmp_fact_header, initiator) + 5,
               "the six flag bools of the header follow each other");

void facts_header(dec_t *d, const uint8_t h[28], bool complete)
{
    isakmp_fact_header *x = &d->m->facts.pub.header;
    memcpy(x->ispi, h, 8);
    memcpy(x->rspi, h + 8, 8);
    x->next_payload = h[16];
    x->major = h[17] >> 4;
    x->minor = h[17] & 0x0f;
    x->exchange = h[18];
    x->flags = h[19];
    unsigned v2 = x->major == 2, bits = v2 ? h[19] >> 3 & 7 : x->major == 1 ? h[19] & 7 : 0;
    memcpy(&x->initiator, flag_bools[v2][bits], 6);
    x->msgid = d->msgid;
    x->length = (uint32_t)h[24] << 24 | (uint32_t)h[25] << 16 | (uint32_t)h[26] << 8 | h[27];
    x->complete = complete;
}

void facts_payload_open(dec_t *d, const payload_info *pi, size_t len, uint32_t src)
{
    struct msg_facts *f = &d->m->facts;
    if (f->in_v1_sa && pi->type == V1_PAYLOAD_PROPOSAL)
        return;   /* a proposal of the SA: in proposals, not a payload */
    isakmp_fact_payload e = { .span = facts_span(src, pi->off, len), .type = pi->type,
                              .next = pi->next, .critical = pi->critical, .parent = f->cur };
    uint32_t i = facts_add_payloads(d->m, &e);
    if (i != ISAKMP_FACT_NONE) {
        f->payload_items[i] = pi->item;
        f->cur = i;
    }
}

/* ---------------------------------------------------------------- SA */

/* Whether an index names an entry (not NONE or DROPPED). */
static bool named(uint32_t i) { return i < FACT_DROPPED; }

uint32_t facts_sa_open(dec_t *d, uint32_t doi, isakmp_span body)
{
    struct msg_facts *f = &d->m->facts;
    uint32_t up = f->sa;
    isakmp_fact_sa e = { .payload = f->cur, .doi = doi, .body = body,
                         .first_proposal = (uint32_t)f->pub.n_proposals };
    uint32_t i = facts_add_sas(d->m, &e);
    f->sa = named(i) ? i : FACT_DROPPED;
    return up;
}

void facts_sa_close(dec_t *d, uint32_t up) { d->m->facts.sa = up; }

uint32_t facts_proposal_open(dec_t *d, isakmp_fact_proposal *e)
{
    struct msg_facts *f = &d->m->facts;
    uint32_t up = f->proposal;
    f->transform = ISAKMP_FACT_NONE;
    if (f->sa == FACT_DROPPED) {
        f->proposal = FACT_DROPPED;
        return up;
    }
    e->sa = f->sa;
    e->first_transform = (uint32_t)f->pub.n_transforms;
    uint32_t i = facts_add_proposals(d->m, e);
    if (named(i) && named(f->sa))
        f->sas[f->sa].n_proposals++;
    f->proposal = named(i) ? i : FACT_DROPPED;
    return up;
}

void facts_proposal_close(dec_t *d, uint32_t up, bool complete)
{
    struct msg_facts *f = &d->m->facts;
    if (named(f->proposal))
        f->proposals[f->proposal].complete = complete;
    f->proposal = up;
    f->transform = ISAKMP_FACT_NONE;
}

void facts_transform(dec_t *d, isakmp_fact_transform *e)
{
    struct msg_facts *f = &d->m->facts;
    if (f->proposal == FACT_DROPPED) {
        f->transform = FACT_DROPPED;
        return;
    }
    e->proposal = f->proposal;
    e->first_attr = (uint32_t)f->pub.n_attrs;
    uint32_t i = facts_add_transforms(d->m, e);
    if (named(i) && named(f->proposal))
        f->proposals[f->proposal].n_transforms++;
    f->transform = named(i) ? i : FACT_DROPPED;
}

void facts_attr(dec_t *d, const isakmp_fact_attr *e, bool key_length)
{
    struct msg_facts *f = &d->m->facts;
    if (!named(f->transform) || !named(facts_add_attrs(d->m, e)))
        return;
    isakmp_fact_transform *t = &f->transforms[f->transform];
    t->n_attrs++;
    if (key_length)
        t->key_length = (uint32_t)e->value;
}

uint32_t facts_notify_of(const dec_t *d)
{
    const struct msg_facts *f = &d->m->facts;
    size_t n = f->pub.n_notifies;
    return n && f->notifies[n - 1].payload == f->cur ? (uint32_t)(n - 1) : ISAKMP_FACT_NONE;
}

/* ---------------------------------------------------------------- public */

const isakmp_facts *isakmp_msg_facts(const isakmp_msg *msg)
{
    return &msg->facts.pub;
}

