/*
 * The facts record of a message (include/isakmp/facts.h) as the parsers
 * fill it: one call per thing a payload says, made where the parser reads
 * it.  Each list grows (doubling from a few entries) up to its public bound
 * and keeps its room when the message is reused; past the bound no entry is
 * made (the adders return ISAKMP_FACT_NONE), `truncated` is set and the
 * payload being parsed gets one ISAKMP_NOTE_LIMIT note per list.
 */
#ifndef ISAKMP_FACTS_INT_H
#define ISAKMP_FACTS_INT_H

#include "isakmp/facts.h"

/* The lists: name, entry type, bound.  The order is the cap[] order. */
#define FACT_LISTS(X)                                                       \
    X(payloads, isakmp_fact_payload, ISAKMP_FACTS_MAX)             \
    X(sas, isakmp_fact_sa, ISAKMP_FACTS_MAX)                            \
    X(proposals, isakmp_fact_proposal, ISAKMP_FACTS_MAX)          \
    X(transforms, isakmp_fact_transform, ISAKMP_FACTS_MAX)       \
    X(attrs, isakmp_fact_attr, ISAKMP_FACTS_MAX)                      \
    X(kes, isakmp_fact_ke, ISAKMP_FACTS_MAX)                            \
    X(nonces, isakmp_fact_nonce, ISAKMP_FACTS_MAX)                   \
    X(ids, isakmp_fact_id, ISAKMP_FACTS_MAX)                            \
    X(auths, isakmp_fact_auth, ISAKMP_FACTS_MAX)                      \
    X(certs, isakmp_fact_cert, ISAKMP_FACTS_MAX)                      \
    X(notifies, isakmp_fact_notify, ISAKMP_FACTS_MAX)              \
    X(deletes, isakmp_fact_delete, ISAKMP_FACTS_MAX)                \
    X(vids, isakmp_fact_vid, ISAKMP_FACTS_MAX)                         \
    X(frags, isakmp_fact_frag, ISAKMP_FACTS_MAX)                      \
    X(ts, isakmp_fact_ts, ISAKMP_FACTS_MAX)                              \
    X(eaps, isakmp_fact_eap, ISAKMP_FACTS_MAX)                         \
    X(hash_algs, isakmp_fact_hash_alg, ISAKMP_FACTS_MAX)

enum {
#define FACT_INDEX(name, type, max) FACT_LIST_##name,
    FACT_LISTS(FACT_INDEX)
#undef FACT_INDEX
    FACT_LIST_COUNT
};

/* The record and its lists, writable while the message is decoded; the
 * public view (pub) points at the same arrays. */
struct msg_facts {
    isakmp_facts pub;
#define FACT_ARRAY(name, type, max) type *name;
    FACT_LISTS(FACT_ARRAY)
#undef FACT_ARRAY
    uint32_t *payload_items;        /* each payload's tree item (pub's pointers when decoded) */
    uint32_t cap[FACT_LIST_COUNT];  /* room of each list */
    uint32_t full;                  /* lists that reached their bound, a bit each: noted once */
    bool clean;                     /* nothing besides the header set since facts_reset */
    uint32_t cur;                   /* the payload being parsed, ISAKMP_FACT_NONE outside */
    uint32_t sa, proposal, transform;   /* the SA substructures being parsed: ISAKMP_FACT_NONE
                                         * outside, FACT_DROPPED in one left out */
    bool in_v1_sa;                  /* an IKEv1 SA's proposal chain is being read */
};

/* The index of an SA, proposal or transform that was left out (its list
 * was full): what it holds is left out too. */
#define FACT_DROPPED 0xfffffffeu

/* A span over `len` bytes at `off` of data source `src`. */
static inline isakmp_span facts_span(uint32_t src, size_t off, size_t len)
{
    return (isakmp_span){ src, (uint32_t)off, (uint32_t)len };
}

/* The record, to set more than the header (checks, decrypted): facts_reset
 * then has work to do (the adders tell it themselves). */
static inline isakmp_facts *facts_used(struct msg_facts *f)
{
    f->clean = false;
    return &f->pub;
}

/* Message life: empty for a new message, item pointers once decoded, freed. */
void facts_reset(struct msg_facts *f);
void facts_finish(struct msg_facts *f, const struct isakmp_item *items);
void facts_free(struct msg_facts *f);

/* Adders: `e` goes at the end of its list; returns its index, or
 * ISAKMP_FACT_NONE when the list is full. */
#define FACT_ADDER(name, type, max) uint32_t facts_add_##name(isakmp_msg *m, const type *e);
FACT_LISTS(FACT_ADDER)
#undef FACT_ADDER

#endif
