/*
 * Field-aware mutations over the edit API (isakmp_edit_mutate) and the
 * fuzzing dictionary from the field and value tables (docs/mutate.md).
 *
 * A mutation picks one strategy, then a target the message has for it:
 * integer items get boundary values of their width or values from their
 * value-name table, byte items are resized or flipped, nodes are removed,
 * duplicated or moved among their siblings, known Vendor IDs and Notify
 * types are inserted, payloads are spliced from a donor message, and, when
 * allowed, one length or chain is broken.  Fields that are lengths, counts
 * or sizes are left alone unless breaking is allowed: the encoder keeps the
 * generic lengths right, these would make the rest of their payload lie.
 */
#include <string.h>

#include "keying/edit_int.h"
#include "payloads/vid.h"

/* ---------------------------------------------------------------- random */

static uint64_t rnd(uint64_t *s)
{
    /* splitmix64: any seed, 0 included */
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static size_t below(uint64_t *s, size_t n)
{
    return n ? (size_t)(rnd(s) % n) : 0;
}

/* ---------------------------------------------------------------- targets */

typedef struct {
    isakmp_edit *e;
    unsigned flags;
    GPtrArray *ints, *bytes;   /* const isakmp_item * that map to a body */
    GPtrArray *nodes;          /* isakmp_node *, the root left out */
    GPtrArray *holders;        /* nodes that hold payloads: the root, SK */
    GPtrArray *frags;          /* SKF payloads with their plaintext */
    bool inner;                /* ISAKMP_MUTATE_INNER, and the message has an encrypted node */
    bool none;                 /* ISAKMP_MUTATE_INNER, but only ciphertext we cannot open */
} targets;

/* Length-like fields: their changes make the payload's own structure lie. */
static bool length_like(const isakmp_field *f)
{
    static const char *const words[] = { "len", "size", "number", "spinum", "count", NULL };
    for (int i = 0; words[i]; i++)
        if (strstr(f->abbrev, words[i]))
            return true;
    return false;
}

static bool under_encryption(const isakmp_node *n)
{
    for (const isakmp_node *p = n->parent; p; p = p->parent)
        if (p->crypt && !p->raw)
            return true;
    return false;
}

static void collect_item(const isakmp_item *it, void *user)
{
    targets *t = user;
    const isakmp_field *f = isakmp_item_field(it);
    size_t off;
    isakmp_node *n = isakmp_edit_node_of(t->e, it, &off);
    if (!n || n->kind == ISAKMP_NODE_MESSAGE || isakmp_item_length(it) == 0)
        return;
    if ((t->flags & ISAKMP_MUTATE_CLEAR) && under_encryption(n))
        return;
    if (t->inner && !under_encryption(n))
        return;
    if (!(t->flags & ISAKMP_MUTATE_BREAK) && length_like(f))
        return;
    if (f->type >= ISAKMP_FT_UINT8 && f->type <= ISAKMP_FT_BOOLEAN && isakmp_item_length(it) <= 8)
        g_ptr_array_add(t->ints, (gpointer)(uintptr_t)it);
    else if (f->type == ISAKMP_FT_BYTES || f->type == ISAKMP_FT_STRING)
        g_ptr_array_add(t->bytes, (gpointer)(uintptr_t)it);
}

static bool has_encrypted(const isakmp_node *n)
{
    if (n->crypt && !n->raw)
        return true;
    for (guint i = 0; i < n->kids->len; i++)
        if (has_encrypted(g_ptr_array_index(n->kids, i)))
            return true;
    return false;
}

/* Ciphertext the edit could not open (no key) or does not open (IKEv1
 * fragments, payload 132: pieces of an encrypted message): changing a byte
 * of it only makes the receiver drop the message. */
static bool sealed(const isakmp_edit *e, const isakmp_node *n)
{
    if (n->kind != ISAKMP_NODE_PAYLOAD)
        return false;
    if (e->version == 1)
        return n->type == 132;
    return (n->type == 46 || n->type == 53) && !(n->crypt && !n->raw);
}

static bool has_sealed(const isakmp_edit *e, const isakmp_node *n)
{
    if (sealed(e, n))
        return true;
    for (guint i = 0; i < n->kids->len; i++)
        if (has_sealed(e, g_ptr_array_index(n->kids, i)))
            return true;
    return false;
}

static void collect_nodes(targets *t, isakmp_node *n)
{
    bool enc = n->crypt && !n->raw;
    if ((t->flags & ISAKMP_MUTATE_CLEAR) && enc && n->parent)
        return;
    if (n->parent && (!t->inner || under_encryption(n)))
        g_ptr_array_add(t->nodes, n);
    if (enc && n->crypt->skf)
        g_ptr_array_add(t->frags, n);
    bool holds = n->kind == ISAKMP_NODE_MESSAGE ? !n->raw : enc && !n->crypt->skf;
    if (holds && (!t->inner || enc))
        g_ptr_array_add(t->holders, n);
    if (n->crypt && !n->raw && n->kind == ISAKMP_NODE_MESSAGE && (t->flags & ISAKMP_MUTATE_CLEAR))
        return;
    for (guint i = 0; i < n->kids->len; i++)
        collect_nodes(t, g_ptr_array_index(n->kids, i));
}

static void targets_init(targets *t, isakmp_edit *e, unsigned flags)
{
    t->e = e;
    t->flags = flags;
    t->ints = g_ptr_array_new();
    t->bytes = g_ptr_array_new();
    t->nodes = g_ptr_array_new();
    t->holders = g_ptr_array_new();
    t->frags = g_ptr_array_new();
    t->inner = (flags & ISAKMP_MUTATE_INNER) && !(flags & ISAKMP_MUTATE_CLEAR) &&
               has_encrypted(e->root);
    /* INNER and nothing encrypted we can open, but ciphertext: no target */
    t->none = (flags & ISAKMP_MUTATE_INNER) && !t->inner && has_sealed(e, e->root);
    if (t->none)
        return;
    if (e->msg)
        isakmp_msg_walk(e->msg, collect_item, t);
    collect_nodes(t, e->root);
}

static void targets_free(targets *t)
{
    g_ptr_array_free(t->ints, TRUE);
    g_ptr_array_free(t->bytes, TRUE);
    g_ptr_array_free(t->nodes, TRUE);
    g_ptr_array_free(t->holders, TRUE);
    g_ptr_array_free(t->frags, TRUE);
}

/* ---------------------------------------------------------------- strategies */

static const char *uint_boundary(targets *t, uint64_t *s)
{
    if (!t->ints->len)
        return NULL;
    const isakmp_item *it = g_ptr_array_index(t->ints, below(s, t->ints->len));
    const isakmp_field *f = isakmp_item_field(it);
    unsigned bits = f->bitmask ? (unsigned)__builtin_popcountll(f->bitmask)
                               : (unsigned)(8 * isakmp_item_length(it));
    uint64_t max = bits >= 64 ? UINT64_MAX : (1ull << bits) - 1;
    const uint64_t v[] = { 0, 1, max, max - 1, max >> 1, (max >> 1) + 1,
                           isakmp_item_uint(it) + 1, isakmp_item_uint(it) - 1, rnd(s) & max };
    return isakmp_edit_set_item_uint(t->e, it, v[below(s, G_N_ELEMENTS(v))] & max) == 0
               ? "uint-boundary" : NULL;
}

/* The value-name table of an item: its field's, or the item's own. */
static const isakmp_value_name *names_of(const isakmp_item *it)
{
    const isakmp_field *f = isakmp_item_field(it);
    if (f->vals)
        return f->vals;
    return it->vals;
}

static const char *uint_named(targets *t, uint64_t *s)
{
    for (int tries = 0; tries < 8 && t->ints->len; tries++) {
        const isakmp_item *it = g_ptr_array_index(t->ints, below(s, t->ints->len));
        const isakmp_value_name *vn = names_of(it);
        if (!vn)
            continue;
        size_t rows = 0;
        while (vn[rows].name)
            rows++;
        if (!rows)
            continue;
        const isakmp_value_name *r = &vn[below(s, rows)];
        uint64_t v = r->lo + (r->hi > r->lo ? below(s, (size_t)(r->hi - r->lo) + 1) : 0);
        if (isakmp_edit_set_item_uint(t->e, it, v) == 0)
            return "uint-named";
    }
    return NULL;
}

static const char *bytes_resize(targets *t, uint64_t *s)
{
    if (!t->bytes->len)
        return NULL;
    const isakmp_item *it = g_ptr_array_index(t->bytes, below(s, t->bytes->len));
    size_t old = 0, n;
    const uint8_t *b = isakmp_item_bytes(it, &old);
    const size_t lens[] = { 0, 1, old ? old - 1 : 0, old + 1, 2 * old, below(s, 2 * old + 64),
                            255, 256 };
    n = lens[below(s, G_N_ELEMENTS(lens))];
    if (n > 4096)
        n = 4096;
    uint8_t *nb = g_malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++)
        nb[i] = i < old && b ? b[i] : (uint8_t)(below(s, 2) ? 0x41 : rnd(s));
    int rc = isakmp_edit_set_item(t->e, it, nb, n);
    g_free(nb);
    return rc == 0 ? "bytes-resize" : NULL;
}

static const char *bytes_flip(targets *t, uint64_t *s)
{
    if (!t->bytes->len)
        return NULL;
    const isakmp_item *it = g_ptr_array_index(t->bytes, below(s, t->bytes->len));
    size_t off, len = isakmp_item_length(it);
    isakmp_node *n = isakmp_edit_node_of(t->e, it, &off);
    if (!n || !len)
        return NULL;
    for (size_t k = 1 + below(s, 4); k; k--)
        n->body->data[off + below(s, len)] ^= (uint8_t)(1u << below(s, 8));
    return "bytes-flip";
}

/* A node that may be removed, copied or moved: not the encrypted SK itself
 * (its children are what is mutated). */
static isakmp_node *pick_node(targets *t, uint64_t *s)
{
    for (int tries = 0; tries < 8 && t->nodes->len; tries++) {
        isakmp_node *n = g_ptr_array_index(t->nodes, below(s, t->nodes->len));
        if (!(n->crypt && !n->raw) && !sealed(t->e, n))
            return n;
    }
    return NULL;
}

static const char *node_remove(targets *t, uint64_t *s)
{
    isakmp_node *n = pick_node(t, s);
    /* an IKEv1 message needs a payload to be told decrypted (RFC 2409 B:
     * a well-formed chain is how a receiver knows its IV was right) */
    if (!n || (n->parent->crypt && n->parent->crypt->v1 && n->parent->kids->len == 1))
        return NULL;
    isakmp_node_remove(n);
    return "node-remove";
}

static const char *node_dup(targets *t, uint64_t *s)
{
    isakmp_node *n = pick_node(t, s);
    if (!n || !isakmp_node_copy_into(n->parent, isakmp_node_index(n) + 1, n))
        return NULL;
    return "node-dup";
}

static const char *node_move(targets *t, uint64_t *s)
{
    isakmp_node *n = pick_node(t, s);
    if (!n || n->parent->kids->len < 2)
        return NULL;
    size_t to = below(s, n->parent->kids->len);
    /* SK stays last: an IKEv2 encrypted payload ends the clear chain */
    const isakmp_node *last = g_ptr_array_index(n->parent->kids, n->parent->kids->len - 1);
    if (last->crypt && !last->raw && to == n->parent->kids->len - 1)
        to--;
    isakmp_node_move(n, to);
    return "node-move";
}

/* Where a new payload goes: the root or an SK's plaintext, before an SK. */
static isakmp_node *pick_holder(targets *t, uint64_t *s, size_t *index)
{
    if (!t->holders->len)
        return NULL;
    isakmp_node *h = g_ptr_array_index(t->holders, below(s, t->holders->len));
    size_t n = h->kids->len;
    const isakmp_node *last = n ? g_ptr_array_index(h->kids, n - 1) : NULL;
    bool keep_last = last && last->crypt && !last->raw;
    *index = below(s, (keep_last ? n - 1 : n) + 1);
    return h;
}

static const char *insert_vid(targets *t, uint64_t *s)
{
    size_t index, nv = vid_extra_count(), len = 0;
    isakmp_node *h = pick_holder(t, s, &index);
    const uint8_t *vid = NULL;
    if (!h || !nv)
        return NULL;
    vid_extra_entry(below(s, nv), &vid, &len);
    unsigned type = t->e->version == 1 ? 13 : 43;
    return isakmp_node_insert(h, index, ISAKMP_NODE_PAYLOAD, type, vid, len) ? "insert-vid"
                                                                             : NULL;
}

static const isakmp_value_name *notify_table(int version, uint64_t *s)
{
    if (version == 1)
        return below(s, 2) ? iana_ikev1_notify_message_types_combined
                           : iana_ipsec_doi_notify_status_types;
    return below(s, 2) ? iana_ikev2_notify_error_types : iana_ikev2_notify_status_types;
}

static const char *insert_notify(targets *t, uint64_t *s)
{
    size_t index;
    isakmp_node *h = pick_holder(t, s, &index);
    if (!h)
        return NULL;
    const isakmp_value_name *vn = notify_table(t->e->version, s);
    size_t rows = 0;
    while (vn[rows].name)
        rows++;
    const isakmp_value_name *r = &vn[below(s, rows)];
    uint16_t type = (uint16_t)(r->lo + (r->hi > r->lo ? below(s, r->hi - r->lo + 1) : 0));
    uint8_t body[16] = { 0 };
    size_t n;
    if (t->e->version == 1) {   /* DOI 1, protocol ISAKMP, no SPI, type, 4 bytes of data */
        body[3] = 1;
        body[4] = 1;
        body[6] = (uint8_t)(type >> 8);
        body[7] = (uint8_t)type;
        n = 12;
    } else {                    /* protocol 0, no SPI, type, 4 bytes of data */
        body[2] = (uint8_t)(type >> 8);
        body[3] = (uint8_t)type;
        n = 8;
    }
    for (size_t i = n - 4; i < n; i++)
        body[i] = (uint8_t)rnd(s);
    return isakmp_node_insert(h, index, ISAKMP_NODE_PAYLOAD, t->e->version == 1 ? 11 : 41, body,
                              n) ? "insert-notify" : NULL;
}

static void donor_payloads(const isakmp_node *n, GPtrArray *out)
{
    for (guint i = 0; i < n->kids->len; i++) {
        const isakmp_node *k = g_ptr_array_index(n->kids, i);
        if (k->kind == ISAKMP_NODE_PAYLOAD && !(k->crypt && !k->raw))
            g_ptr_array_add(out, (gpointer)(uintptr_t)k);
        if (k->crypt && !k->raw)
            donor_payloads(k, out);
    }
}

static const char *splice(targets *t, uint64_t *s, const isakmp_edit *donor)
{
    if (!donor || donor->version != t->e->version)
        return NULL;
    GPtrArray *from = g_ptr_array_new();
    donor_payloads(donor->root, from);
    size_t index;
    isakmp_node *h = from->len ? pick_holder(t, s, &index) : NULL;
    const isakmp_node *d = h ? g_ptr_array_index(from, below(s, from->len)) : NULL;
    bool ok = d && isakmp_node_copy_into(h, index, d);
    g_ptr_array_free(from, TRUE);
    return ok ? "splice" : NULL;
}

/* Bytes of a leaf's body, or of an SKF fragment's plaintext (after its
 * numbering), replaced by random ones. */
static const char *body_bytes(targets *t, uint64_t *s)
{
    bool frag = t->frags->len && (below(s, 2) || !t->nodes->len);
    isakmp_node *n = frag ? g_ptr_array_index(t->frags, below(s, t->frags->len)) : pick_node(t, s);
    size_t from = frag ? 4 : 0;
    if (!n || n->kids->len || n->body->len <= from)
        return NULL;
    size_t off = from + below(s, n->body->len - from + 1), del = below(s, n->body->len - off + 1);
    del = del > 16 ? 16 : del;
    uint8_t add[16];
    size_t len = below(s, sizeof add + 1);
    for (size_t i = 0; i < len; i++)
        add[i] = (uint8_t)rnd(s);
    return isakmp_node_splice(n, off, del, add, len) == 0 ? "body-bytes" : NULL;
}

static const char *break_one(targets *t, uint64_t *s)
{
    if (t->inner && !t->nodes->len)
        return NULL;   /* the header is clear */
    bool root = !t->nodes->len || (!t->inner && below(s, 4) == 0);
    isakmp_node *n = root ? t->e->root : g_ptr_array_index(t->nodes, below(s, t->nodes->len));
    if (n->kind == ISAKMP_NODE_ATTRIBUTE && (n->type & 0x8000))
        return NULL;   /* a TV attribute has no length */
    if (below(s, 2) && n->kind != ISAKMP_NODE_ATTRIBUTE) {
        static const unsigned types[] = { 0, 1, 2, 3, 13, 33, 41, 46, 53, 132, 255 };
        isakmp_node_break(n, ISAKMP_BREAK_NEXT, (int32_t)types[below(s, G_N_ELEMENTS(types))]);
        return "break-next";
    }
    static const int32_t deltas[] = { -4, -1, 1, 4, 100, -100, 0x7fff };
    isakmp_node_break(n, ISAKMP_BREAK_LENGTH, deltas[below(s, G_N_ELEMENTS(deltas))]);
    return "break-length";
}

typedef const char *(*strategy_fn)(targets *t, uint64_t *s);

const char *isakmp_edit_mutate(isakmp_edit *e, uint64_t *rng, unsigned flags,
                               const isakmp_edit *donor)
{
    static const strategy_fn plain[] = { uint_boundary, uint_named, uint_named, bytes_resize,
                                         bytes_flip, node_remove, node_dup, node_move,
                                         insert_vid, insert_notify, body_bytes };
    targets t;
    targets_init(&t, e, flags);
    const char *done = NULL;
    /* only SKF fragments to change (their plaintext is bytes, not payloads) */
    if (!t.none && !t.nodes->len && !t.holders->len && t.frags->len)
        done = body_bytes(&t, rng);
    for (int tries = 0; tries < 16 && !done && !t.none; tries++) {
        size_t pick = below(rng, G_N_ELEMENTS(plain) + 2);
        if (pick == G_N_ELEMENTS(plain))
            done = splice(&t, rng, donor);
        else if (pick > G_N_ELEMENTS(plain))
            done = flags & ISAKMP_MUTATE_BREAK ? break_one(&t, rng) : NULL;
        else
            done = plain[pick](&t, rng);
    }
    targets_free(&t);
    return done;
}

/* ---------------------------------------------------------------- dictionary */

typedef struct {
    GString *out;
    GHashTable *seen;   /* the entries' bytes as strings */
} dict;

static void dict_add(dict *d, const char *name, const uint8_t *b, size_t n)
{
    GString *key = g_string_new(NULL);
    for (size_t i = 0; i < n; i++)
        g_string_append_printf(key, "\\x%02x", b[i]);
    if (g_hash_table_contains(d->seen, key->str)) {
        g_string_free(key, TRUE);
        return;
    }
    g_string_append_printf(d->out, "%s_%u=\"%s\"\n", name, g_hash_table_size(d->seen), key->str);
    g_hash_table_add(d->seen, g_string_free(key, FALSE));
}

static void dict_value(dict *d, const char *name, uint32_t v, size_t width)
{
    uint8_t b[4];
    for (size_t i = 0; i < width; i++)
        b[i] = (uint8_t)(v >> (8 * (width - 1 - i)));
    dict_add(d, name, b, width);
}

/* Every named value of a table in `width` bytes (ranges: both ends). */
static void dict_table(dict *d, const char *name, const isakmp_value_name *vn, size_t width)
{
    for (size_t i = 0; vn[i].name; i++) {
        dict_value(d, name, vn[i].lo, width);
        if (vn[i].hi != vn[i].lo && vn[i].hi < (width == 1 ? 0x100u : 0x10000u))
            dict_value(d, name, vn[i].hi, width);
    }
}

size_t isakmp_mutate_dictionary(char *buf, size_t size)
{
    dict d = { g_string_new("# libisakmp fuzzing dictionary (isakmp_mutate_dictionary)\n"),
               g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL) };
    dict_table(&d, "payload_v1", iana_ikev1_next_payload_types, 1);
    dict_table(&d, "payload_v2", iana_ikev2_payload_types, 1);
    dict_table(&d, "exchange_v1", iana_ikev1_exchange_types, 1);
    dict_table(&d, "exchange_v2", iana_ikev2_exchange_types, 1);
    dict_table(&d, "notify_v1", iana_ikev1_notify_message_types_combined, 2);
    dict_table(&d, "notify_v2", iana_ikev2_notify_error_types, 2);
    dict_table(&d, "notify_v2", iana_ikev2_notify_status_types, 2);
    size_t nf = 0;
    const isakmp_field *f = isakmp_fields(&nf);
    for (size_t i = 0; i < nf; i++) {
        size_t w = f[i].type == ISAKMP_FT_UINT8 ? 1 : f[i].type == ISAKMP_FT_UINT16 ? 2 : 0;
        if (!f[i].vals || !w || f[i].bitmask)
            continue;
        dict_table(&d, "value", f[i].vals, w);
        /* attribute types: the TV form (0x8000 set) too */
        if (strstr(f[i].abbrev, "attr.type"))
            for (size_t r = 0; f[i].vals[r].name; r++)
                dict_value(&d, "attr_tv", f[i].vals[r].lo | 0x8000u, 2);
    }
    for (size_t i = 0; i < vid_extra_count(); i++) {
        const uint8_t *b = NULL;
        size_t n = 0;
        vid_extra_entry(i, &b, &n);
        dict_add(&d, "vid", b, n);
    }
    size_t len = d.out->len;
    if (size) {
        size_t k = len < size - 1 ? len : size - 1;
        memcpy(buf, d.out->str, k);
        buf[k] = '\0';
    }
    g_string_free(d.out, TRUE);
    g_hash_table_destroy(d.seen);
    return len;
}
