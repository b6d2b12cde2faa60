/*
 * Living next to Wireshark's built-in ISAKMP dissector when the plugin takes
 * UDP 500 / 4500 over (ike.takeover):
 *
 * - "isakmp" display filters keep working: each message also gets hidden
 *   items of the built-in protocol and of its header fields (isakmp,
 *   isakmp.ispi, isakmp.rspi, isakmp.nextpayload, isakmp.version,
 *   isakmp.exchangetype, isakmp.flags, isakmp.messageid, isakmp.length), so
 *   `-Y isakmp` and `-Y 'isakmp.exchangetype == 34'` select the same frames as
 *   without the plugin.  Fields of any registered protocol may be added by
 *   any dissector; the built-in's other fields are not filled.
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

#include "ike.h"
#include "isakmp/facts.h"

/* The built-in's header fields, in header order (RFC 2408 3.1, RFC 7296 3.1). */
static const struct {
    const char *name;
    int off, len;
} header_fields[] = {
    { "isakmp.ispi", 0, 8 },         { "isakmp.rspi", 8, 8 },
    { "isakmp.nextpayload", 16, 1 }, { "isakmp.version", 17, 1 },
    { "isakmp.exchangetype", 18, 1 }, { "isakmp.flags", 19, 1 },
    { "isakmp.messageid", 20, 4 },   { "isakmp.length", 24, 4 },
};

static int proto_builtin = -1;
static int hf_builtin[G_N_ELEMENTS(header_fields)];
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
    for (size_t i = 0; i < G_N_ELEMENTS(header_fields); i++) {
        hf_builtin[i] = proto_registrar_get_id_byname(header_fields[i].name);
    }
}

void ike_coexist_set_keys_origin(const char *text)
{
    g_free(keys_origin);
    keys_origin = text && *text ? g_strdup(text) : NULL;
}

/* The hidden "isakmp" items; only when a tree is built (a filter or a
 * column asks for fields). */
static void add_builtin_items(proto_tree *tree, tvbuff_t *tvb)
{
    if (!tree || proto_builtin < 0)
        return;
    gint len = (gint)tvb_captured_length(tvb);
    proto_item *pi = proto_tree_add_item(tree, proto_builtin, tvb, 0, len, ENC_NA);
    proto_item_set_hidden(pi);
    if (len < 28)
        return;
    for (size_t i = 0; i < G_N_ELEMENTS(header_fields); i++) {
        if (hf_builtin[i] < 0)
            continue;
        header_field_info *hfi = proto_registrar_get_nth((guint)hf_builtin[i]);
        guint enc = hfi && hfi->type == FT_BYTES ? ENC_NA : ENC_BIG_ENDIAN;
        proto_item *fi = proto_tree_add_item(tree, hf_builtin[i], tvb, header_fields[i].off,
                                             header_fields[i].len, enc);
        proto_item_set_hidden(fi);
    }
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
