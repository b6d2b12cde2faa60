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

/* One value of an operand, with the item it came from (NULL: a capture
 * field's or a function's). */
typedef struct {
    fval v;
    const isakmp_item *it;
} oval;

struct filter_scratch {
    GArray *lhs, *rhs;    /* N_GEN: the operands' values (oval) */
    fval lstore[FILTER_MAX_FRAME_VALUES], rstore[FILTER_MAX_FRAME_VALUES];   /* capture fields' */
    GPtrArray *bufs;      /* N_GEN: upper() / lower() copies */
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
    s->lhs = g_array_new(FALSE, FALSE, sizeof(oval));
    s->rhs = g_array_new(FALSE, FALSE, sizeof(oval));
    s->bufs = g_ptr_array_new_with_free_func(g_free);
    return s;
}

void filter_scratch_free(filter_scratch *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nslots; i++)
        g_array_free(s->items[i], TRUE);
    g_free(s->items);
    g_array_free(s->lhs, TRUE);
    g_array_free(s->rhs, TRUE);
    g_ptr_array_free(s->bufs, TRUE);
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

static fval item_value(const flt_field *r, const isakmp_item *it)
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
    case FV_TIME: case FV_ABSTIME: return a->ns < b->ns ? -1 : a->ns > b->ns;
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

static bool eq(const flt_field *r, const isakmp_item *it, const fval *v, const literal *l)
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

static bool test_one(const flt_field *r, const node *n, const isakmp_item *it, const fval *v)
{
    if (n->kind == N_IN || (n->kind == N_GEN && n->in)) {
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

/* every: all occurrences must pass (and there must be one); else any.
 * `all` / `any` before the relation say it; else the operator. */
static bool every_occurrence(const node *n)
{
    if (n->quant != Q_NONE)
        return n->quant == Q_ALL;
    return (n->kind == N_CMP || n->kind == N_GEN) && (n->op == OP_ALL_NE || n->op == OP_ALL_EQ);
}

static bool proto_present(int kind, const isakmp_msg *m, const filter_frame *fr)
{
    const isakmp_packet *p = fr ? fr->p : NULL;
    bool esp_ip = fr && fr->esp && fr->esp->ip;   /* ESP as IP protocol 50: no UDP, TCP */
    switch (kind) {
    case PROTO_IKE: return m != NULL;
    case PROTO_FRAME: return true;
    case PROTO_ETH: return fr && fr->meta && fr->meta->eth;
    case PROTO_VLAN: return fr && fr->meta && fr->meta->nvlan > 0;
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
    const flt_field *r = &g_array_index(f->fields, flt_field, n->field);
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

/* ---------------------------------------------------------------- operands */

/* The slice of (p, len) into v; false when it is out of range (then the
 * occurrence has no value, as in Wireshark). */
static bool slice(const operand *o, const uint8_t *p, size_t len, fval *v)
{
    long l = (long)len, start = o->start < 0 ? l + o->start : o->start, end;
    switch (o->slice) {
    case SL_LEN: end = start + o->n; break;
    case SL_END: end = (o->n < 0 ? l + o->n : o->n) + 1; break;
    case SL_REST: end = l; break;
    default: end = l; start = 0; break;
    }
    if (start < 0 || end > l || end <= start || !p)
        return false;
    *v = (fval){ .p = p + start, .len = (size_t)(end - start) };
    return true;
}

static void push(GArray *out, const fval *v, const isakmp_item *it)
{
    oval o = { .v = *v, .it = it };
    g_array_append_val(out, o);
}

/* One base value of the operand's field through its slice and function. */
static void apply(filter_scratch *s, const operand *o, const fval *base, const isakmp_item *it,
                  GArray *out)
{
    fval v = *base;
    if (o->slice != SL_NONE && !slice(o, base->p, base->len, &v))
        return;
    if (o->slice != SL_NONE || o->kind != X_FIELD)
        it = NULL;   /* value names belong to the plain field */
    switch (o->kind) {
    case X_LEN:
        v = (fval){ .u = v.len };
        break;
    case X_UPPER: case X_LOWER: {
        char *c = o->kind == X_UPPER ? g_ascii_strup((const char *)v.p, (gssize)v.len)
                                     : g_ascii_strdown((const char *)v.p, (gssize)v.len);
        g_ptr_array_add(s->bufs, c);
        v.p = (const uint8_t *)c;
        break;
    }
    default: break;
    }
    push(out, &v, it);
}

/* The operand's values for the current message into out (a capture
 * field's bytes stay in store). */
static void operand_values(const filter *f, filter_scratch *s, const operand *o, GArray *out,
                           fval *store)
{
    const flt_field *r = &g_array_index(f->fields, flt_field, o->field);
    g_array_set_size(out, 0);
    size_t count = 0;
    if (r->src == SRC_PROTO) {
        count = proto_present(r->id, s->msg, s->fr);
    } else if (r->src == SRC_FRAME) {
        size_t nv = s->fr ? f->ff->values(r->id, s->fr, store) : 0;
        for (size_t i = 0; i < nv && o->kind != X_COUNT; i++)
            apply(s, o, &store[i], NULL, out);
        count = nv;
    } else {
        const GArray *items = s->items[r->slot];
        for (guint i = 0; i < items->len && o->kind != X_COUNT; i++) {
            const isakmp_item *it = g_array_index(items, const isakmp_item *, i);
            fval v = item_value(r, it);
            apply(s, o, &v, it, out);
        }
        count = items->len;
    }
    if (o->kind == X_COUNT) {
        fval v = { .u = count };
        push(out, &v, NULL);
    }
}

/* lhs op rhs for one pair of values. */
static bool pair(fv_type t, cmp_op op, const fval *a, const fval *b)
{
    int c = ord(t, a, b);
    switch (op) {
    case OP_EQ: case OP_ALL_EQ: return c == 0;
    case OP_ALL_NE: case OP_ANY_NE: return c != 0;
    case OP_LT: return c < 0;
    case OP_GT: return c > 0;
    case OP_LE: return c <= 0;
    case OP_GE: return c >= 0;
    case OP_CONTAINS:
        return b->len == 0 || (a->len >= b->len && memmem(a->p, a->len, b->p, b->len) != NULL);
    case OP_MATCHES: break;
    }
    return false;
}

static bool test_general(const filter *f, filter_scratch *s, const node *n)
{
    g_ptr_array_set_size(s->bufs, 0);
    operand_values(f, s, &n->lhs, s->lhs, s->lstore);
    const GArray *l = s->lhs;
    if (!n->has_op && !n->in)
        return l->len > 0;
    if (l->len == 0)
        return false;
    bool every = every_occurrence(n);
    fv_type t = n->lhs.type == FV_BYTES || n->rhs.type == FV_BYTES ? FV_BYTES : n->lhs.type;
    if (!n->has_rhs) {
        for (guint i = 0; i < l->len; i++) {
            const oval *a = &g_array_index(l, oval, i);
            if (test_one(&n->lref, n, a->it, &a->v) != every)
                return !every;
        }
        return every;
    }
    operand_values(f, s, &n->rhs, s->rhs, s->rstore);
    const GArray *r = s->rhs;
    if (r->len == 0)
        return false;
    /* != is "no pair equal" (Wireshark's all_ne): every pair differs */
    for (guint i = 0; i < l->len; i++)
        for (guint j = 0; j < r->len; j++)
            if (pair(t, n->op, &g_array_index(l, oval, i).v, &g_array_index(r, oval, j).v) != every)
                return !every;
    return every;
}

bool filter_eval(const filter *f, filter_scratch *s, const node *n)
{
    switch (n->kind) {
    case N_AND: return filter_eval(f, s, n->a) && filter_eval(f, s, n->b);
    case N_OR: return filter_eval(f, s, n->a) || filter_eval(f, s, n->b);
    case N_NOT: return !filter_eval(f, s, n->a);
    case N_GEN: return test_general(f, s, n);
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
