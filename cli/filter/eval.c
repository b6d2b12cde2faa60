/*
 * Display filters: evaluation for one message, with Wireshark 4.x's rules
 * for fields that occur several times (wireshark-filter(4), "Comparison
 * operators"):
 *
 *   ==  <  >  <=  >=  contains  matches  in   some occurrence satisfies it
 *   !=  (all_ne)     every occurrence differs: the same as !(a == b)
 *   !== ~= (any_ne)  some occurrence differs
 *   === (all_eq)     every occurrence is equal
 *
 * A comparison with a field that is absent is false, whichever the
 * operator (so `ike.nonce != 00` needs a nonce; `!(ike.nonce == 00)` does
 * not).  The message's items are gathered once per message, in one walk,
 * into a list per field the program reads.
 */
#include <string.h>

#include "filter_int.h"

struct filter_scratch {
    const isakmp_msg *msg;
    const filter_frame *fr;
    GArray **items;       /* per slot: the message's items of that field, tree order */
    size_t nslots;
    const int *slot_of;
    size_t nids;
};

filter_scratch *filter_scratch_new(const filter *f)
{
    filter_scratch *s = g_new0(filter_scratch, 1);
    s->nslots = f->nslots;
    s->items = g_new0(GArray *, f->nslots ? f->nslots : 1);
    for (size_t i = 0; i < f->nslots; i++)
        s->items[i] = g_array_new(FALSE, FALSE, sizeof(const isakmp_item *));
    s->slot_of = f->slot_of;
    s->nids = f->nfield_ids;
    return s;
}

void filter_scratch_free(filter_scratch *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nslots; i++)
        g_array_free(s->items[i], TRUE);
    g_free(s->items);
    g_free(s);
}

static void gather(const isakmp_item *it, void *user)
{
    filter_scratch *s = user;
    int id = isakmp_item_field(it)->id;
    if (id >= 0 && (size_t)id < s->nids && s->slot_of[id] >= 0)
        g_array_append_val(s->items[s->slot_of[id]], it);
}

/* ---------------------------------------------------------------- values */

static fval item_value(const field_ref *r, const isakmp_item *it)
{
    fval v = { 0 };
    switch (r->type) {
    case FV_UINT: case FV_BOOL:
        v.u = isakmp_item_uint(it);
        break;
    case FV_STRING: {
        v.p = isakmp_item_bytes(it, &v.len);
        const void *nul = v.p ? memchr(v.p, 0, v.len) : NULL;   /* up to the first NUL */
        if (nul)
            v.len = (size_t)((const uint8_t *)nul - v.p);
        break;
    }
    default:
        v.p = isakmp_item_bytes(it, &v.len);
        break;
    }
    return v;
}

static int ord(fv_type t, const fval *a, const fval *b)
{
    switch (t) {
    case FV_UINT: return a->u < b->u ? -1 : a->u > b->u;
    case FV_BOOL: return (a->u != 0) - (b->u != 0);
    case FV_TIME: return a->ns < b->ns ? -1 : a->ns > b->ns;
    default: {
        size_t n = a->len < b->len ? a->len : b->len;
        int c = n ? memcmp(a->p, b->p, n) : 0;
        if (c)
            return c < 0 ? -1 : 1;
        return a->len < b->len ? -1 : a->len > b->len;
    }
    }
}

/* Equal under the literal's network prefix (10.0.0.0/8). */
static bool prefix_eq(const fval *v, const literal *l)
{
    if (v->len != l->lo.len)
        return false;
    size_t whole = l->prefix / 8;
    unsigned rest = l->prefix % 8;
    if (memcmp(v->p, l->lo.p, whole) != 0)
        return false;
    if (!rest)
        return true;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return (v->p[whole] & mask) == (l->lo.p[whole] & mask);
}

static bool eq(const field_ref *r, const isakmp_item *it, const fval *v, const literal *l)
{
    if (l->name) {
        const char *n = it ? isakmp_item_value_name(it) : NULL;
        return n && g_ascii_strcasecmp(n, l->name) == 0;
    }
    if ((r->type == FV_IPV4 || r->type == FV_IPV6) && !l->range)
        return prefix_eq(v, l);
    if (l->range)
        return ord(r->type, v, &l->lo) >= 0 && ord(r->type, v, &l->hi) <= 0;
    return ord(r->type, v, &l->lo) == 0;
}

static bool contains(const fval *v, const literal *l)
{
    if (l->lo.len == 0)
        return true;
    return v->len >= l->lo.len && memmem(v->p, v->len, l->lo.p, l->lo.len) != NULL;
}

static bool test_one(const field_ref *r, const node *n, const isakmp_item *it, const fval *v)
{
    if (n->kind == N_IN) {
        for (size_t k = 0; k < n->nlits; k++)
            if (eq(r, it, v, &n->lits[k]))
                return true;
        return false;
    }
    const literal *l = &n->lits[0];
    switch (n->op) {
    case OP_EQ: case OP_ALL_EQ: return eq(r, it, v, l);
    case OP_ALL_NE: case OP_ANY_NE: return !eq(r, it, v, l);
    case OP_LT: return ord(r->type, v, &l->lo) < 0;
    case OP_GT: return ord(r->type, v, &l->lo) > 0;
    case OP_LE: return ord(r->type, v, &l->lo) <= 0;
    case OP_GE: return ord(r->type, v, &l->lo) >= 0;
    case OP_CONTAINS: return contains(v, l);
    case OP_MATCHES:
        return v->p && g_regex_match_full(l->re, (const gchar *)v->p, (gssize)v->len, 0, 0, NULL,
                                          NULL);
    }
    return false;
}

/* every: all occurrences must pass (and there must be one); else any. */
static bool every_occurrence(const node *n)
{
    return n->kind == N_CMP && (n->op == OP_ALL_NE || n->op == OP_ALL_EQ);
}

static bool proto_present(int kind, const isakmp_msg *m, const filter_frame *fr)
{
    const isakmp_packet *p = fr ? fr->pkt : NULL;
    bool esp_ip = fr && fr->esp && fr->esp->ip;   /* ESP as IP protocol 50: no UDP, TCP */
    switch (kind) {
    case PROTO_IKE: return m != NULL;
    case PROTO_FRAME: return true;
    case PROTO_IP: return p && p->af == 4;
    case PROTO_IPV6: return p && p->af == 6;
    case PROTO_UDP: return p && p->af && !p->tcp && !esp_ip;
    case PROTO_TCP: return p && p->af && p->tcp && !esp_ip;
    case PROTO_ESP: return fr && fr->esp;
    default: return false;
    }
}

static bool test_field(const filter *f, filter_scratch *s, const node *n)
{
    const field_ref *r = &g_array_index(f->fields, field_ref, n->field);
    bool every = every_occurrence(n);
    if (r->src == SRC_PROTO)
        return n->kind == N_EXISTS && proto_present(r->id, s->msg, s->fr);
    if (r->src == SRC_FRAME) {
        fval vals[FILTER_MAX_FRAME_VALUES];
        size_t nv = s->fr ? f->ff->values(r->id, s->fr, vals) : 0;
        if (n->kind == N_EXISTS || nv == 0)
            return nv > 0 && n->kind == N_EXISTS;
        for (size_t i = 0; i < nv; i++)
            if (test_one(r, n, NULL, &vals[i]) != every)
                return !every;
        return every;
    }
    const GArray *items = s->items[r->slot];
    if (n->kind == N_EXISTS || items->len == 0)
        return items->len > 0 && n->kind == N_EXISTS;
    for (guint i = 0; i < items->len; i++) {
        const isakmp_item *it = g_array_index(items, const isakmp_item *, i);
        fval v = item_value(r, it);
        if (test_one(r, n, it, &v) != every)
            return !every;
    }
    return every;
}

bool filter_eval(const filter *f, filter_scratch *s, const node *n)
{
    switch (n->kind) {
    case N_AND: return filter_eval(f, s, n->a) && filter_eval(f, s, n->b);
    case N_OR: return filter_eval(f, s, n->a) || filter_eval(f, s, n->b);
    case N_NOT: return !filter_eval(f, s, n->a);
    default: return test_field(f, s, n);
    }
}

bool filter_match(const filter *f, filter_scratch *s, const isakmp_msg *m, const filter_frame *fr)
{
    s->msg = m;
    s->fr = fr;
    for (size_t i = 0; i < s->nslots; i++)
        g_array_set_size(s->items[i], 0);
    if (s->nslots && m)
        isakmp_msg_walk(m, gather, s);
    return filter_eval(f, s, f->root);
}
