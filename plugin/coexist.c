/*
 * Living next to Wireshark's built-in ISAKMP dissector when the plugin takes
 * UDP 500 / 4500 over (ike.takeover):
 *
 * - "isakmp" display filters keep working: each message also gets a hidden
 *   item of the built-in protocol, and every item of a field ike.X whose
 *   name the built-in registered as isakmp.X (ike.ispi and isakmp.ispi,
 *   ike.nonce and isakmp.nonce, ... the naming rule of the field table) gets
 *   a hidden twin of the built-in's field with the same value and bytes, so
 *   `-Y isakmp`, `-Y 'isakmp.exchangetype == 34'`, `-Y 'isakmp.notify.msgtype
 *   == 14'` and `-e isakmp.nonce` select and print what they do without the
 *   plugin (Wireshark has no field aliases in 4.0 / 4.4, but any dissector
 *   may add the fields of any registered protocol).  Only when a tree is
 *   built (a filter, a column or -V asks).
 * - the keys of the built-in's own tables (the files ikev1_decryption_table
 *   and ikev2_decryption_table in the profile folder) are loaded too
 *   (keys.c), and a decrypted message says where its keys came from;
 * - the Info column carries the fragment notes the built-in writes:
 *   "(fragment n/m)" for IKEv2 (RFC 7383), "(Message fragment n)" and
 *   "(Reassembled + Message fragment n - last)" for IKEv1.
 */
#include <string.h>

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/proto.h>
#include <wsutil/bits_ctz.h>

#include "ike.h"
#include "isakmp/facts.h"

#include <epan/charsets.h>   /* needs glib and wmem first */

static int proto_builtin = -1;
static int *twin;          /* per field id: the built-in's isakmp.X for ike.X, or -1 */
static size_t ntwin;
static expert_field ei_keys_from = EI_INIT;
static char *keys_origin;   /* "Wireshark's ikev2_decryption_table (...)", or NULL */

void ike_coexist_register(int proto)
{
    static ei_register_info ei[] = {
        { &ei_keys_from, { "ike.keys_from", PI_DECRYPTION, PI_CHAT,
                           "Where the keys of this message's SA came from", EXPFILL } },
    };
    expert_module_t *m = expert_register_protocol(proto);
    expert_register_field_array(m, ei, G_N_ELEMENTS(ei));
}

/* After every protocol registered: the built-in's ids, when it has them. */
void ike_coexist_handoff(void)
{
    proto_builtin = proto_get_id_by_filter_name("isakmp");
    const isakmp_field *t = isakmp_fields(&ntwin);
    g_free(twin);
    twin = g_new(int, ntwin ? ntwin : 1);
    for (size_t i = 0; i < ntwin; i++) {
        twin[i] = -1;
        if (proto_builtin < 0 || strncmp(t[i].abbrev, "ike.", 4) != 0)
            continue;
        char *name = g_strconcat("isakmp.", t[i].abbrev + 4, NULL);
        twin[i] = proto_registrar_get_id_byname(name);
        g_free(name);
    }
}

void ike_coexist_set_keys_origin(const char *text)
{
    g_free(keys_origin);
    keys_origin = text && *text ? g_strdup(text) : NULL;
}

/* The hidden "isakmp" protocol item; only when a tree is built. */
static void add_builtin_items(proto_tree *tree, tvbuff_t *tvb)
{
    if (!tree || proto_builtin < 0)
        return;
    proto_item *pi = proto_tree_add_item(tree, proto_builtin, tvb, 0,
                                         (gint)tvb_captured_length(tvb), ENC_NA);
    proto_item_set_hidden(pi);
}

/* An integer for the built-in's hf: shifted into its bitmask, as
 * Wireshark wants the raw value of a bitmask field. */
static guint64 raw_for(const header_field_info *hfi, guint64 v)
{
    return hfi->bitmask ? v << ws_ctz(hfi->bitmask) : v;
}

/* The built-in's field of hfi's type with the item's value. */
static proto_item *add_twin(proto_tree *t, const header_field_info *hfi, tvbuff_t *tvb,
                            gint off, gint len, const isakmp_item *it, wmem_allocator_t *pool)
{
    int hf = hfi->id;
    size_t n;
    const uint8_t *b;
    switch (hfi->type) {
    case FT_NONE: case FT_PROTOCOL:
        return proto_tree_add_item(t, hf, tvb, off, len, ENC_NA);
    case FT_BOOLEAN:
        return proto_tree_add_boolean(t, hf, tvb, off, len, raw_for(hfi, isakmp_item_uint(it)));
    case FT_UINT8: case FT_UINT16: case FT_UINT24: case FT_UINT32: case FT_FRAMENUM:
        return proto_tree_add_uint(t, hf, tvb, off, len,
                                   (guint32)raw_for(hfi, isakmp_item_uint(it)));
    case FT_UINT40: case FT_UINT48: case FT_UINT56: case FT_UINT64:
        return proto_tree_add_uint64(t, hf, tvb, off, len, raw_for(hfi, isakmp_item_uint(it)));
    case FT_BYTES:
        b = isakmp_item_bytes(it, &n);
        return proto_tree_add_bytes_with_length(t, hf, tvb, off, len, b, (gint)n);
    case FT_STRING: case FT_STRINGZ:
        b = isakmp_item_bytes(it, &n);
        return proto_tree_add_string(t, hf, tvb, off, len, (const char *)get_utf_8_string(
                                         pool, b, b ? (gint)strnlen((const char *)b, n) : 0));
    case FT_IPv4:
        b = isakmp_item_bytes(it, &n);
        if (n < 4)
            return NULL;
        ws_in4_addr a4;
        memcpy(&a4, b, 4);
        return proto_tree_add_ipv4(t, hf, tvb, off, len, a4);
    case FT_IPv6:
        b = isakmp_item_bytes(it, &n);
        if (n < 16)
            return NULL;
        ws_in6_addr a6;
        memcpy(&a6, b, 16);
        return proto_tree_add_ipv6(t, hf, tvb, off, len, &a6);
    default:
        return NULL;   /* a type the library has no value for: left out */
    }
}

void ike_coexist_twin(proto_tree *t, tvbuff_t *tvb, gint off, gint len, const isakmp_item *it,
                      wmem_allocator_t *pool)
{
    const isakmp_field *f = isakmp_item_field(it);
    if (!t || !twin || f->id < 0 || (size_t)f->id >= ntwin || twin[f->id] < 0)
        return;
    header_field_info *hfi = proto_registrar_get_nth((guint)twin[f->id]);
    if (!hfi)
        return;
    proto_item *pi = add_twin(t, hfi, tvb, off, len, it, pool);
    if (pi)
        proto_item_set_hidden(pi);
}

/* What the built-in appends to the Info column for a fragment. */
static void fragment_info(packet_info *pinfo, const isakmp_msg *msg)
{
    const isakmp_facts *f = isakmp_msg_facts(msg);
    if (!f->n_frags)
        return;
    const isakmp_fact_frag *fr = &f->frags[0];
    bool reassembled = false;
    for (size_t s = 1; s < isakmp_msg_source_count(msg); s++)
        reassembled |= strcmp(isakmp_msg_source_name(msg, s), "Reassembled IKE") == 0;
    if (isakmp_msg_version(msg) == 2) {
        col_append_fstr(pinfo->cinfo, COL_INFO, " (fragment %u/%u)", fr->number, fr->total);
        if (reassembled)
            col_append_str(pinfo->cinfo, COL_INFO, " (reassembled)");
    } else {
        col_append_fstr(pinfo->cinfo, COL_INFO, " (%sMessage fragment %u%s)",
                        reassembled ? "Reassembled + " : "", fr->number,
                        fr->last ? " - last" : "");
    }
}

void ike_coexist_message(packet_info *pinfo, proto_tree *tree, proto_item *root,
                         tvbuff_t *tvb, const isakmp_msg *msg)
{
    add_builtin_items(tree, tvb);
    fragment_info(pinfo, msg);
    if (keys_origin && isakmp_msg_facts(msg)->decrypted)
        expert_add_info_format(pinfo, root, &ei_keys_from, "Keys loaded from %s", keys_origin);
}
