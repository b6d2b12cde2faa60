/*
 * The edit API (include/isakmp/edit.h): a decoded message as a tree of
 * nodes that encode back to bytes, every length, chain and count
 * recomputed.  Parsing reads the message's own bytes again through the
 * bounded cursor (the item tree locates fields; it does not hold the
 * structure in this form); what does not parse cleanly stays raw.
 * Encryption is edit_crypt.c's.
 *
 *   generic header (payloads, proposals, transforms): next(1) flags(1) length(2)
 *   proposal body:  number, protocol, SPI size, #transforms (recomputed), SPI
 *   transform body: 4 bytes (IKEv2 type, reserved, id; IKEv1 number, id, reserved)
 *   attribute:      type(2) with 0x8000 = TV: value(2); else length(2) value
 */
#include <string.h>

#include "keying/edit_int.h"

/* ---------------------------------------------------------------- nodes */

isakmp_node *edit_node_new(isakmp_node_kind kind, unsigned type)
{
    isakmp_node *n = g_new0(isakmp_node, 1);
    n->kind = kind;
    n->type = type;
    n->body = g_byte_array_new();
    n->kids = g_ptr_array_new();
    n->src = EDIT_NO_SRC;
    return n;
}

void edit_node_free(isakmp_node *n)
{
    if (!n)
        return;
    for (guint i = 0; i < n->kids->len; i++)
        edit_node_free(g_ptr_array_index(n->kids, i));
    g_ptr_array_free(n->kids, TRUE);
    secure_wipe(n->body->data, n->body->len);
    g_byte_array_free(n->body, TRUE);
    edit_crypt_free(n->crypt);
    g_free(n);
}

static isakmp_node *node_clone(const isakmp_node *from, isakmp_node *parent)
{
    isakmp_node *n = edit_node_new(from->kind, from->type);
    n->flags = from->flags;
    n->raw = from->raw;
    n->src = from->src;
    n->src_off = from->src_off;
    n->brk = from->brk;
    n->brk_value = from->brk_value;
    n->next_orig = from->next_orig;
    n->parent = parent;
    g_byte_array_append(n->body, from->body->data, from->body->len);
    if (from->crypt)
        n->crypt = edit_crypt_copy(from->crypt);
    for (guint i = 0; i < from->kids->len; i++)
        g_ptr_array_add(n->kids, node_clone(g_ptr_array_index(from->kids, i), n));
    return n;
}

/* ---------------------------------------------------------------- parsing */

/* The next n bytes, or NULL (and the cursor's error set) when they are not there. */
static const uint8_t *take(cur_t *c, size_t n)
{
    size_t at = cur_skip(c, n);
    return cur_ok(c) ? c->data + at : NULL;
}

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* Attributes (TV / TLV) over the whole of p..n; false when they do not fit. */
static bool parse_attrs(isakmp_node *parent, const uint8_t *p, size_t n, uint32_t src,
                        size_t off)
{
    cur_t c;
    cur_init(&c, p, n, n, 0);
    while (cur_left(&c) > 0) {
        size_t at = cur_off(&c);
        uint16_t t = cur_u16(&c);
        size_t vlen = t & 0x8000 ? 2 : cur_u16(&c);
        const uint8_t *v = take(&c, vlen);
        if (!cur_ok(&c))
            return false;
        isakmp_node *a = edit_node_new(ISAKMP_NODE_ATTRIBUTE, t);
        a->parent = parent;
        a->src = src;
        a->src_off = off + at + (t & 0x8000 ? 2 : 4);
        g_byte_array_append(a->body, v, vlen);
        g_ptr_array_add(parent->kids, a);
    }
    return true;
}

static bool parse_chain(edit_parse *ep, isakmp_node *parent, const uint8_t *p, size_t n,
                        uint32_t src, size_t off, unsigned first, size_t *used);

static void drop_kids(isakmp_node *nd)
{
    for (guint i = 0; i < nd->kids->len; i++)
        edit_node_free(g_ptr_array_index(nd->kids, i));
    g_ptr_array_set_size(nd->kids, 0);
}

/* Plaintext handed back by edit_crypt.c (one key's): an SK's or an IKEv1
 * message's payload chain from `first`, or an SKF fragment's bytes. */
typedef struct {
    edit_parse *ep;
    isakmp_node *nd;
    uint8_t first;
    const uint8_t *numbering;   /* SKF: Fragment Number and Total Fragments */
} plain_ctx;

static bool take_plain(void *user, const uint8_t *plain, size_t len, uint32_t src, size_t *used)
{
    plain_ctx *pc = user;
    drop_kids(pc->nd);   /* what an earlier key's plaintext made */
    if (pc->numbering) {
        g_byte_array_set_size(pc->nd->body, 0);
        g_byte_array_append(pc->nd->body, pc->numbering, 4);
        g_byte_array_append(pc->nd->body, plain, (guint)len);
        pc->nd->src = EDIT_NO_SRC;   /* the body is two sources: no item maps into it */
        *used = len;
        return true;
    }
    return parse_chain(pc->ep, pc->nd, plain, len, src, 0, pc->first, used);
}

/* An SK / SKF payload's body, opened with the context's keys. */
static bool parse_encrypted(edit_parse *ep, isakmp_node *nd, const uint8_t *p, size_t n,
                            uint32_t src, size_t off)
{
    bool skf = nd->type == 53;
    plain_ctx pc = { ep, nd, ep->first_inner, skf ? p : NULL };
    if (src != 0)
        return false;   /* nested: the decoder does not open those either */
    nd->crypt = edit_sk_open(ep->e, p, n, off, skf, take_plain, &pc);
    return nd->crypt != NULL;
}

/* What follows the generic header of node nd (type known): its body and
 * children.  False when the structure is not as its lengths say. */
static bool parse_inner(edit_parse *ep, isakmp_node *nd, const uint8_t *p, size_t n,
                        uint32_t src, size_t off)
{
    size_t fixed = 0, used = 0;
    unsigned first = 0;
    if (nd->kind == ISAKMP_NODE_PROPOSAL) {
        if (n < 4 || n < 4u + p[2])
            return false;
        fixed = 4u + p[2];
        first = 3;
    } else if (nd->kind == ISAKMP_NODE_TRANSFORM) {
        if (n < 4)
            return false;
        g_byte_array_append(nd->body, p, 4);
        return parse_attrs(nd, p + 4, n - 4, src, off + 4);
    } else if (ep->version == 2 && nd->type == 33) {
        first = 2;
    } else if (ep->version == 1 && nd->type == 1) {
        /* IPsec DOI (1): DOI(4) Situation(4) proposals; others stay raw */
        if (n < 8 || p[0] || p[1] || p[2] || p[3] != 1)
            return false;
        fixed = 8;
        first = 2;
    } else if (ep->version == 2 && (nd->type == 46 || nd->type == 53)) {
        return parse_encrypted(ep, nd, p, n, src, off);
    } else {
        return false;   /* a leaf: raw body */
    }
    g_byte_array_append(nd->body, p, fixed);
    if (!parse_chain(ep, nd, p + fixed, n - fixed, src, off + fixed, first, &used) ||
        used != n - fixed)
        return false;
    if (nd->kind == ISAKMP_NODE_PROPOSAL && p[3] != nd->kids->len)
        return false;
    return true;
}

/* Drops what parse_inner built and keeps the bytes as the body. */
static void make_raw(isakmp_node *nd, const uint8_t *p, size_t n, uint32_t src, size_t off,
                     bool leaf)
{
    drop_kids(nd);
    edit_crypt_free(nd->crypt);
    nd->crypt = NULL;
    g_byte_array_set_size(nd->body, 0);
    g_byte_array_append(nd->body, p, n);
    nd->src = src;
    nd->src_off = off;
    nd->raw = !leaf;
}

static isakmp_node_kind kind_of_type(unsigned type, unsigned first)
{
    if (first == 2 && type == 2)
        return ISAKMP_NODE_PROPOSAL;
    if (first == 3 && type == 3)
        return ISAKMP_NODE_TRANSFORM;
    return ISAKMP_NODE_PAYLOAD;
}

/* A chain of generic headers from type `first` over p..n: children of
 * parent.  *used: the bytes it takes; false when a length does not fit or
 * the chain is broken (proposal / transform chains: 2 / 3 or 0). */
static bool parse_chain(edit_parse *ep, isakmp_node *parent, const uint8_t *p, size_t n,
                        uint32_t src, size_t off, unsigned first, size_t *used)
{
    cur_t c;
    cur_init(&c, p, n, n, 0);
    unsigned type = first;
    size_t count = 0;
    while (type != 0) {
        size_t at = cur_off(&c);
        uint8_t next = cur_u8(&c), flags = cur_u8(&c);
        uint16_t len = cur_u16(&c);
        if (!cur_ok(&c) || len < 4 || len - 4u > cur_left(&c) || ++count > ISAKMP_MAX_PAYLOADS)
            return false;
        const uint8_t *b = take(&c, len - 4u);
        if ((first == 2 || first == 3) && next != 0 && next != first)
            return false;
        isakmp_node *nd = edit_node_new(kind_of_type(type, first), type);
        nd->flags = flags;
        nd->parent = parent;
        nd->src = src;
        nd->src_off = off + at + 4;
        g_ptr_array_add(parent->kids, nd);
        bool leaf = nd->kind == ISAKMP_NODE_PAYLOAD && !(ep->version == 2 && (type == 33 || type == 46 || type == 53)) &&
                    !(ep->version == 1 && type == 1);
        ep->first_inner = next;
        if (!parse_inner(ep, nd, b, len - 4u, src, off + at + 4))
            make_raw(nd, b, len - 4u, src, off + at + 4, leaf);
        if ((type == 46 || type == 53) && ep->version == 2) {
            /* RFC 7296 3.14, RFC 7383 2.5: SK / SKF is the last payload, its
             * Next Payload the first inner payload's type (of the whole
             * message for SKF: kept as it was while the fragment is raw) */
            nd->next_orig = next;
            next = 0;
            if (cur_left(&c))
                return false;
        }
        type = next;
    }
    *used = cur_off(&c);
    return true;
}

/* A message: header, payload chain (or the IKEv1 decrypted chain). */
static void parse_message(edit_parse *ep, isakmp_node *root, const uint8_t *p, size_t n)
{
    root->src = 0;
    root->src_off = 0;
    g_byte_array_append(root->body, p, n < 28 ? n : 28);
    bool ok = n >= 28 && ((uint32_t)p[24] << 24 | (uint32_t)p[25] << 16 | p[26] << 8 | p[27]) == n;
    size_t used = 0;
    if (ok && ep->version == 1 && (p[19] & 0x01)) {
        plain_ctx pc = { ep, root, p[16], NULL };
        root->crypt = edit_v1_open(ep->e, p, n, take_plain, &pc);
        ok = root->crypt != NULL;
    }
    else if (ok)
        ok = parse_chain(ep, root, p + 28, n - 28, 0, 28, p[16], &used) && used == n - 28;
    if (!ok) {
        make_raw(root, p, n, 0, 0, false);
        return;
    }
    /* the chain re-encoded must be the bytes: else keep them as they were */
    size_t len = edit_encode(ep->e, NULL, 0);
    uint8_t *buf = g_malloc(len ? len : 1);
    bool same = len == n && edit_encode(ep->e, buf, len) == n && memcmp(buf, p, n) == 0;
    secure_wipe(buf, len);
    g_free(buf);
    if (!same) {
        ep->e->fallback = true;
        make_raw(root, p, n, 0, 0, false);
    }
}

isakmp_edit *isakmp_edit_new(isakmp_ctx *ctx, const isakmp_msg *msg)
{
    size_t n = 0;
    const uint8_t *p = isakmp_msg_source_data(msg, 0, &n);
    if (!p || n == 0)
        return NULL;
    isakmp_edit *e = g_new0(isakmp_edit, 1);
    e->ctx = ctx;
    e->msg = msg;
    e->version = n >= 18 ? p[17] >> 4 : 0;
    e->version = e->version == 1 || e->version == 2 ? e->version : 0;
    e->root = edit_node_new(ISAKMP_NODE_MESSAGE, 0);
    edit_parse ep = { .e = e, .version = e->version };
    parse_message(&ep, e->root, p, n);
    return e;
}

isakmp_edit *isakmp_edit_copy(const isakmp_edit *from)
{
    isakmp_edit *e = g_memdup2(from, sizeof *from);
    e->root = node_clone(from->root, NULL);
    return e;
}

void isakmp_edit_free(isakmp_edit *e)
{
    if (!e)
        return;
    edit_node_free(e->root);
    g_free(e);
}

isakmp_node *isakmp_edit_root(isakmp_edit *e) { return e->root; }
int isakmp_edit_version(const isakmp_edit *e) { return e->version; }

/* ---------------------------------------------------------------- encoding */

/* The next-payload value that announces n in its chain. */
static uint8_t announce(const isakmp_node *n)
{
    return (uint8_t)n->type;
}

static uint8_t next_of(const isakmp_node *parent, guint i)
{
    return i + 1 < parent->kids->len ? announce(g_ptr_array_index(parent->kids, i + 1)) : 0;
}

static uint8_t first_of(const isakmp_node *n)
{
    return n->kids->len ? announce(g_ptr_array_index(n->kids, 0)) : 0;
}

void edit_put_kids(edit_out *o, const isakmp_node *n)
{
    for (guint i = 0; i < n->kids->len; i++)
        edit_put_node(o, g_ptr_array_index(n->kids, i), next_of(n, i));
}

static void put_attr(edit_out *o, const isakmp_node *a)
{
    uint8_t h[4];
    put16(h, a->type);
    if (a->type & 0x8000) {
        uint8_t v[2] = { 0, 0 };
        memcpy(v, a->body->data, a->body->len < 2 ? a->body->len : 2);
        g_byte_array_append(o->b, h, 2);
        g_byte_array_append(o->b, v, 2);
        return;
    }
    uint32_t len = a->body->len;
    if (a->brk == ISAKMP_BREAK_LENGTH)
        len += (uint32_t)a->brk_value;
    put16(h + 2, len);
    g_byte_array_append(o->b, h, 4);
    g_byte_array_append(o->b, a->body->data, a->body->len);
}

void edit_put_node(edit_out *o, const isakmp_node *n, uint8_t next)
{
    if (n->kind == ISAKMP_NODE_ATTRIBUTE) {
        put_attr(o, n);
        return;
    }
    size_t start = o->b->len;
    if (n->crypt && !n->raw && !n->crypt->skf)
        next = first_of(n);
    else if (n->kind == ISAKMP_NODE_PAYLOAD && (n->type == 46 || n->type == 53) && n->next_orig)
        next = n->next_orig;   /* SK without keys, SKF: their plaintext's first type */
    if (n->brk == ISAKMP_BREAK_NEXT)
        next = (uint8_t)n->brk_value;
    uint8_t h[4] = { next, n->flags, 0, 0 };
    g_byte_array_append(o->b, h, 4);
    size_t body_at = o->b->len;
    bool skf = n->crypt && !n->raw && n->crypt->skf;
    g_byte_array_append(o->b, n->body->data, skf ? 4 : n->body->len);   /* SKF: its numbering */
    if (n->kind == ISAKMP_NODE_PROPOSAL && !n->raw && n->body->len >= 4)
        o->b->data[body_at + 3] = (uint8_t)n->kids->len;
    if (n->crypt && !n->raw) {
        size_t ct = edit_crypt_begin(o, n->crypt);
        if (skf)
            g_byte_array_append(o->b, n->body->data + 4, n->body->len - 4);
        else
            edit_put_kids(o, n);
        edit_crypt_end(o, n->crypt, ct);
    } else {
        edit_put_kids(o, n);
    }
    uint32_t len = (uint32_t)(o->b->len - start);
    if (n->brk == ISAKMP_BREAK_LENGTH)
        len += (uint32_t)n->brk_value;
    put16(o->b->data + start + 2, len);
}

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

size_t edit_encode(isakmp_edit *e, uint8_t *buf, size_t size)
{
    const isakmp_node *r = e->root;
    edit_out o = { .b = g_byte_array_new(), .e = e };
    g_byte_array_append(o.b, r->body->data, r->body->len);
    if (!r->raw && r->body->len == 28) {
        size_t ct = r->crypt ? edit_crypt_begin(&o, r->crypt) : 0;
        edit_put_kids(&o, r);
        if (r->crypt)
            edit_crypt_end(&o, r->crypt, ct);
        o.b->data[16] = first_of(r);
        if (r->brk == ISAKMP_BREAK_NEXT)
            o.b->data[16] = (uint8_t)r->brk_value;
        uint32_t len = (uint32_t)o.b->len;
        if (r->brk == ISAKMP_BREAK_LENGTH)
            len += (uint32_t)r->brk_value;
        put_u32(o.b->data + 24, len);
    }
    bool ok = edit_crypt_run(&o);
    size_t n = o.b->len;
    if (ok && buf && n <= size)
        memcpy(buf, o.b->data, n);
    secure_wipe(o.b->data, o.b->len);
    g_byte_array_free(o.b, TRUE);
    g_free(o.jobs);
    return ok ? n : 0;
}

size_t isakmp_edit_encode(isakmp_edit *e, uint8_t *buf, size_t size)
{
    return edit_encode(e, buf, size);
}

/* ---------------------------------------------------------------- node API */

isakmp_node_kind isakmp_node_kind_of(const isakmp_node *n) { return n->kind; }
unsigned isakmp_node_type(const isakmp_node *n) { return n->type; }
unsigned isakmp_node_flags(const isakmp_node *n) { return n->flags; }
void isakmp_node_set_flags(isakmp_node *n, unsigned flags) { n->flags = (uint8_t)flags; }
isakmp_node *isakmp_node_parent(const isakmp_node *n) { return n->parent; }
size_t isakmp_node_child_count(const isakmp_node *n) { return n->kids->len; }
bool isakmp_node_raw(const isakmp_node *n) { return n->raw; }
bool isakmp_node_encrypted(const isakmp_node *n) { return n->crypt && !n->raw; }

void isakmp_node_set_type(isakmp_node *n, unsigned type)
{
    if (n->kind == ISAKMP_NODE_PAYLOAD || n->kind == ISAKMP_NODE_ATTRIBUTE)
        n->type = n->kind == ISAKMP_NODE_ATTRIBUTE ? type & 0xffff : type & 0xff;
}

isakmp_node *isakmp_node_child(const isakmp_node *n, size_t i)
{
    return i < n->kids->len ? g_ptr_array_index(n->kids, i) : NULL;
}

size_t isakmp_node_index(const isakmp_node *n)
{
    guint i = 0;
    if (n->parent && g_ptr_array_find(n->parent->kids, n, &i))
        return i;
    return 0;
}

const uint8_t *isakmp_node_body(const isakmp_node *n, size_t *len)
{
    *len = n->body->len;
    return n->body->data;
}

int isakmp_node_splice(isakmp_node *n, size_t off, size_t del, const uint8_t *b, size_t len)
{
    if (off > n->body->len || del > n->body->len - off)
        return -1;
    g_byte_array_remove_range(n->body, (guint)off, (guint)del);
    uint8_t *z = b ? NULL : g_malloc0(len ? len : 1);
    const uint8_t *src = b ? b : z;
    /* insert at off: append, then rotate into place */
    size_t tail = n->body->len - off;
    g_byte_array_append(n->body, src, (guint)len);
    if (tail && len) {
        uint8_t *tmp = g_memdup2(n->body->data + off, tail);
        memmove(n->body->data + off, n->body->data + off + tail, len);
        memcpy(n->body->data + off + len, tmp, tail);
        g_free(tmp);
    }
    g_free(z);
    n->src = EDIT_NO_SRC;   /* no longer the decoded bytes: items no longer map */
    return 0;
}

static bool can_hold(const isakmp_node *parent, isakmp_node_kind kind)
{
    if (parent->raw || parent->kind == ISAKMP_NODE_ATTRIBUTE)
        return false;
    switch (parent->kind) {
    case ISAKMP_NODE_TRANSFORM: return kind == ISAKMP_NODE_ATTRIBUTE;
    case ISAKMP_NODE_PROPOSAL: return kind == ISAKMP_NODE_TRANSFORM;
    case ISAKMP_NODE_MESSAGE: return kind == ISAKMP_NODE_PAYLOAD;
    default:
        if (parent->crypt)
            return kind == ISAKMP_NODE_PAYLOAD;
        return parent->kids->len ? kind == ((const isakmp_node *)g_ptr_array_index(parent->kids, 0))->kind
                                 : kind == ISAKMP_NODE_PROPOSAL && parent->type != 46;
    }
}

static void place(isakmp_node *parent, size_t index, isakmp_node *n)
{
    n->parent = parent;
    if (index > parent->kids->len)
        index = parent->kids->len;
    g_ptr_array_insert(parent->kids, (gint)index, n);
}

isakmp_node *isakmp_node_insert(isakmp_node *parent, size_t index, isakmp_node_kind kind,
                                unsigned type, const uint8_t *body, size_t len)
{
    if (kind == ISAKMP_NODE_MESSAGE || !can_hold(parent, kind))
        return NULL;
    isakmp_node *n = edit_node_new(kind, kind == ISAKMP_NODE_PROPOSAL ? 2
                                         : kind == ISAKMP_NODE_TRANSFORM ? 3 : type);
    if (body)
        g_byte_array_append(n->body, body, (guint)len);
    place(parent, index, n);
    return n;
}

isakmp_node *isakmp_node_copy_into(isakmp_node *parent, size_t index, const isakmp_node *from)
{
    if (from->kind == ISAKMP_NODE_MESSAGE || !can_hold(parent, from->kind))
        return NULL;
    isakmp_node *n = node_clone(from, parent);
    n->src = EDIT_NO_SRC;
    place(parent, index, n);
    return n;
}

void isakmp_node_move(isakmp_node *n, size_t index)
{
    isakmp_node *p = n->parent;
    if (!p)
        return;
    g_ptr_array_remove(p->kids, n);
    place(p, index, n);
}

void isakmp_node_remove(isakmp_node *n)
{
    if (!n->parent)
        return;
    g_ptr_array_remove(n->parent->kids, n);
    edit_node_free(n);
}

void isakmp_node_break(isakmp_node *n, isakmp_break what, int32_t value)
{
    n->brk = what;
    n->brk_value = value;
}

/* ---------------------------------------------------------------- items */

static isakmp_node *find_body(isakmp_node *n, uint32_t src, size_t off, size_t len, size_t *at)
{
    for (guint i = 0; i < n->kids->len; i++) {
        isakmp_node *k = find_body(g_ptr_array_index(n->kids, i), src, off, len, at);
        if (k)
            return k;
    }
    if (n->src == src && off >= n->src_off && off + len <= n->src_off + n->body->len) {
        if (n->crypt && !n->raw && n->kind == ISAKMP_NODE_PAYLOAD)
            return NULL;
        *at = off - n->src_off;
        return n;
    }
    return NULL;
}

isakmp_node *isakmp_edit_node_of(isakmp_edit *e, const isakmp_item *it, size_t *off)
{
    if (!it || isakmp_item_generated(it))
        return NULL;
    size_t at = 0;
    isakmp_node *n = find_body(e->root, (uint32_t)isakmp_item_source(it),
                               isakmp_item_offset(it), isakmp_item_length(it), &at);
    if (n && off)
        *off = at;
    return n;
}

int isakmp_edit_set_item(isakmp_edit *e, const isakmp_item *it, const uint8_t *b, size_t len)
{
    size_t off;
    isakmp_node *n = isakmp_edit_node_of(e, it, &off);
    if (!n)
        return -1;
    size_t old = isakmp_item_length(it);
    uint32_t keep = n->src;
    if (isakmp_node_splice(n, off, old, b, len) < 0)
        return -1;
    if (len == old)
        n->src = keep;   /* the other items of the body are where they were */
    return 0;
}

int isakmp_edit_set_item_uint(isakmp_edit *e, const isakmp_item *it, uint64_t v)
{
    const isakmp_field *f = isakmp_item_field(it);
    size_t off, w = isakmp_item_length(it);
    isakmp_node *n = isakmp_edit_node_of(e, it, &off);
    bool integer = f->type >= ISAKMP_FT_UINT8 && f->type <= ISAKMP_FT_BOOLEAN;
    if (!n || !integer || w == 0 || w > 8)
        return -1;
    uint64_t old = 0;
    uint8_t *p = n->body->data + off;
    for (size_t i = 0; i < w; i++)
        old = old << 8 | p[i];
    if (f->bitmask) {
        unsigned shift = (unsigned)__builtin_ctzll(f->bitmask);
        v = (old & ~f->bitmask) | ((v << shift) & f->bitmask);
    }
    for (size_t i = 0; i < w; i++)
        p[w - 1 - i] = (uint8_t)(v >> (8 * i));
    return 0;
}

