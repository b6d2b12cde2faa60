/*
 * Drawing one decoded message: the library's item tree becomes the
 * proto_tree, its extra data sources ("Decrypted IKE", "Reassembled IKE")
 * become child tvbs, its notes become expert infos and its summary the Info
 * column.  Values and labels are the library's, so Wireshark, the CLI and
 * every other front end show the same thing.
 */
#include <string.h>

#include <epan/exceptions.h>
#include <wsutil/bits_ctz.h>

#include "ike.h"

#include <epan/charsets.h>   /* needs glib and wmem first */

/* What drawing one message needs at every item. */
typedef struct {
    packet_info *pinfo;
    const isakmp_msg *msg;
    tvbuff_t **tvbs;           /* by data source index */
    size_t ntvbs;
    GHashTable *drawn;         /* isakmp_item -> proto_item, for the notes */
} draw_ctx;

/* ---------------------------------------------------------------- input */

static void packet_addr(const address *a, int *af, uint8_t out[16])
{
    if (a->type == AT_IPv4 && a->len == 4) {
        *af = 4;
        memcpy(out, a->data, 4);
    } else if (a->type == AT_IPv6 && a->len == 16) {
        *af = 6;
        memcpy(out, a->data, 16);
    }
}

static void fill_packet(isakmp_packet *p, tvbuff_t *tvb, packet_info *pinfo, bool tcp)
{
    memset(p, 0, sizeof *p);
    p->len = tvb_captured_length(tvb);
    p->data = tvb_get_ptr(tvb, 0, (gint)p->len);
    /* the library keys per-frame state (IV chains, decryption) on this */
    p->frame = pinfo->num;
    p->ts_sec = (int64_t)pinfo->abs_ts.secs;
    p->ts_usec = pinfo->abs_ts.nsecs / 1000;
    packet_addr(&pinfo->src, &p->af, p->src);
    packet_addr(&pinfo->dst, &p->af, p->dst);
    p->sport = (uint16_t)pinfo->srcport;
    p->dport = (uint16_t)pinfo->destport;
    p->tcp = tcp;
}

/* ---------------------------------------------------------------- sources */

/* Source 0 is the message itself; the others are plaintext the library made.
 * Their bytes are copied to packet scope because the message is freed before
 * Wireshark is done with the tvbs. */
static void make_sources(draw_ctx *d, tvbuff_t *tvb)
{
    d->ntvbs = isakmp_msg_source_count(d->msg);
    d->tvbs = wmem_alloc0_array(d->pinfo->pool, tvbuff_t *, d->ntvbs ? d->ntvbs : 1);
    d->tvbs[0] = tvb;
    for (size_t s = 1; s < d->ntvbs; s++) {
        size_t len;
        const uint8_t *data = isakmp_msg_source_data(d->msg, s, &len);
        guint8 *copy = (guint8 *)wmem_memdup(d->pinfo->pool, data, len);
        d->tvbs[s] = tvb_new_child_real_data(tvb, copy, (guint)len, (gint)len);
        add_new_data_source(d->pinfo, d->tvbs[s], isakmp_msg_source_name(d->msg, s));
    }
}

/* ---------------------------------------------------------------- items */

/* Where an item goes: its source's tvb and a range inside it.  The library
 * keeps items inside their source; clamping only guards against a bug there
 * turning into an exception that would hide the rest of the tree. */
static tvbuff_t *item_range(const draw_ctx *d, const isakmp_item *it, gint *off, gint *len)
{
    size_t src = isakmp_item_source(it);
    tvbuff_t *tvb = d->tvbs[src < d->ntvbs ? src : 0];
    size_t cap = tvb_captured_length(tvb);
    size_t o = MIN(isakmp_item_offset(it), cap);
    *off = (gint)o;
    *len = (gint)MIN(isakmp_item_length(it), cap - o);
    return tvb;
}

/* Bitmask fields: the library hands out the shifted value, Wireshark wants
 * the raw one and shifts itself. */
static guint64 raw_value(const isakmp_item *it, const isakmp_field *f)
{
    guint64 v = isakmp_item_uint(it);
    return f->bitmask ? v << ws_ctz(f->bitmask) : v;
}

/* An integer with the library's name for its value ("IKE_SA_INIT (34)"):
 * names can depend on the message (payload types by IKE version), so they
 * come from the item rather than from the hf's table. */
static proto_item *add_uint(proto_tree *t, int hf, tvbuff_t *tvb, gint off, gint len,
                            const isakmp_item *it, const isakmp_field *f)
{
    guint64 raw = raw_value(it, f);
    const char *name = isakmp_item_value_name(it);
    char num[32];
    isakmp_item_format_value(it, num, sizeof num);
    if (f->type == ISAKMP_FT_UINT64)
        return name ? proto_tree_add_uint64_format_value(t, hf, tvb, off, len, raw, "%s (%s)", name, num)
                    : proto_tree_add_uint64(t, hf, tvb, off, len, raw);
    return name ? proto_tree_add_uint_format_value(t, hf, tvb, off, len, (guint32)raw, "%s (%s)", name, num)
                : proto_tree_add_uint(t, hf, tvb, off, len, (guint32)raw);
}

static proto_item *add_bytes_like(proto_tree *t, int hf, tvbuff_t *tvb, gint off, gint len,
                                  const isakmp_item *it, const isakmp_field *f, wmem_allocator_t *pool)
{
    size_t n;
    const uint8_t *b = isakmp_item_bytes(it, &n);
    switch (f->type) {
    case ISAKMP_FT_STRING:
        /* up to the first NUL, as the library formats it; Wireshark wants
         * valid UTF-8, so anything else becomes U+FFFD as in its own strings */
        return proto_tree_add_string(t, hf, tvb, off, len,
                                     (const char *)get_utf_8_string(pool, b, b ? (gint)strnlen((const char *)b, n) : 0));
    case ISAKMP_FT_IPV4:
        if (n < 4)
            break;
        ws_in4_addr a4;
        memcpy(&a4, b, 4);
        return proto_tree_add_ipv4(t, hf, tvb, off, len, a4);
    case ISAKMP_FT_IPV6:
        if (n < 16)
            break;
        ws_in6_addr a6;
        memcpy(&a6, b, 16);
        return proto_tree_add_ipv6(t, hf, tvb, off, len, &a6);
    default:
        return proto_tree_add_bytes_with_length(t, hf, tvb, off, len, b, (gint)n);
    }
    /* too short for an address: show what there is */
    return proto_tree_add_bytes_format_value(t, hf, tvb, off, len, NULL, "(%zu bytes)", n);
}

static proto_item *add_value(const draw_ctx *d, proto_tree *t, const isakmp_item *it)
{
    const isakmp_field *f = isakmp_item_field(it);
    int hf = ike_hf(f);
    gint off, len;
    tvbuff_t *tvb = item_range(d, it, &off, &len);
    switch (f->type) {
    case ISAKMP_FT_NONE:
        return proto_tree_add_item(t, hf, tvb, off, len, ENC_NA);
    case ISAKMP_FT_BOOLEAN:
        return proto_tree_add_boolean(t, hf, tvb, off, len, raw_value(it, f));
    case ISAKMP_FT_FRAMENUM:
        return proto_tree_add_uint(t, hf, tvb, off, len, (guint32)isakmp_item_uint(it));
    case ISAKMP_FT_UINT8:
    case ISAKMP_FT_UINT16:
    case ISAKMP_FT_UINT24:
    case ISAKMP_FT_UINT32:
    case ISAKMP_FT_UINT64:
        return add_uint(t, hf, tvb, off, len, it, f);
    default:
        return add_bytes_like(t, hf, tvb, off, len, it, f, d->pinfo->pool);
    }
}

static proto_item *add_item(draw_ctx *d, proto_tree *t, const isakmp_item *it)
{
    /* the isakmp.X twin first: tshark 4.0's -T fields walks the tree in
     * pre-order, so a twin after the item would come after its children's
     * (isakmp.typepayload 3,2,1 for SA, Proposal, Transform) */
    gint off, len;
    tvbuff_t *tvb = item_range(d, it, &off, &len);
    ike_coexist_twin(t, tvb, off, len, it, d->pinfo->pool);
    proto_item *pi = add_value(d, t, it);
    const char *label = isakmp_item_label(it);
    if (label)
        proto_item_set_text(pi, "%s", label);
    if (isakmp_item_generated(it))
        proto_item_set_generated(pi);
    g_hash_table_insert(d->drawn, GSIZE_TO_POINTER((uintptr_t)it), pi);
    return pi;
}

/* Children in tree order; the library bounds the depth (and Wireshark would
 * stop a runaway one with an exception of its own). */
static void add_children(draw_ctx *d, proto_tree *t, const isakmp_item *parent)
{
    for (const isakmp_item *c = isakmp_item_first_child(parent); c; c = isakmp_item_next(c)) {
        proto_item *pi = add_item(d, t, c);
        if (isakmp_item_first_child(c))
            add_children(d, proto_item_add_subtree(pi, ike_ett(isakmp_item_field(c))), c);
    }
}

static proto_tree *add_root(draw_ctx *d, proto_tree *tree, const isakmp_item *root,
                            proto_item **root_item)
{
    const isakmp_field *f = isakmp_item_field(root);
    gint off, len;
    tvbuff_t *tvb = item_range(d, root, &off, &len);
    /* named for the plugin, not with the library's label (the built-in's
     * "Internet Security Association and Key Management Protocol") */
    proto_item *pi = proto_tree_add_protocol_format(tree, proto_ike, tvb, off, len,
                                                    "Internet Key Exchange (libisakmp)");
    g_hash_table_insert(d->drawn, GSIZE_TO_POINTER((uintptr_t)root), pi);
    *root_item = pi;
    return proto_item_add_subtree(pi, ike_ett(f));
}

/* ---------------------------------------------------------------- notes */

/* Expert infos go on the item the note is about; without a tree (first pass
 * of tshark) they are still recorded, for the expert statistics. */
static void add_notes(const draw_ctx *d)
{
    size_t n;
    const isakmp_note *notes = isakmp_msg_notes(d->msg, &n);
    for (size_t i = 0; i < n; i++) {
        proto_item *pi = g_hash_table_lookup(d->drawn, notes[i].item);
        expert_add_info_format(d->pinfo, pi, ike_expert(notes[i].severity, notes[i].code), "%s",
                               notes[i].text);
    }
}

static void set_info(packet_info *pinfo, const isakmp_msg *msg, guint index)
{
    col_set_str(pinfo->cinfo, COL_PROTOCOL, "IKE");
    if (index == 0)
        col_add_str(pinfo->cinfo, COL_INFO, isakmp_msg_summary(msg));
    else
        col_append_sep_str(pinfo->cinfo, COL_INFO, ", ", isakmp_msg_summary(msg));
}

/* Draws a decoded message; may throw (Wireshark's tree limits). */
static void draw(draw_ctx *d, tvbuff_t *tvb, proto_tree *tree, guint index)
{
    make_sources(d, tvb);
    set_info(d->pinfo, d->msg, index);
    const isakmp_item *root = isakmp_msg_root(d->msg);
    proto_item *root_item;
    proto_tree *t = add_root(d, tree, root, &root_item);
    /* SAs this message let the library derive go to the ESP dissector before
     * the ESP packets that follow (first, so that a tree limit thrown below
     * cannot skip it) */
    ike_esp_offer_new(d->pinfo, root_item, index);
    if (tree)
        add_children(d, t, root);
    ike_links_add(d->pinfo, t, tvb, d->msg, index);
    add_notes(d);
    ike_coexist_message(d->pinfo, tree, root_item, tvb, d->msg);
}

void ike_dissect_message(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, bool tcp,
                         guint index)
{
    isakmp_packet pkt;
    fill_packet(&pkt, tvb, pinfo, tcp);
    isakmp_msg *msg = isakmp_decode(ike_ctx(), &pkt);
    draw_ctx d = { .pinfo = pinfo, .msg = msg };
    d.drawn = g_hash_table_new(g_direct_hash, g_direct_equal);
    /* the message must be freed whatever Wireshark throws while we draw */
    TRY {
        draw(&d, tvb, tree, index);
    }
    FINALLY {
        g_hash_table_destroy(d.drawn);
        isakmp_msg_free(msg);
    }
    ENDTRY;
}
