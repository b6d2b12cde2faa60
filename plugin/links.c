/*
 * Request / response links for IKEv2 (RFC 7296 2.1: a response carries the
 * request's Message ID and the R flag): "Response in" on the request,
 * "Response to" on the response.  They are front-end facts (which frame
 * holds what), so the plugin keeps them, in Wireshark's conversation of the
 * exchange.  The fields are the library's (ike.response_in, ike.response_to);
 * without them in the table the links are simply not shown.
 */
#include <string.h>

#include <epan/conversation.h>
#include <epan/proto_data.h>
#include <wsutil/pint.h>

#include "ike.h"

typedef struct {
    guint32 request, response;   /* frame numbers, 0 when not seen */
} ike_link;

/* What a frame's message is in its exchange (kept per frame and message). */
typedef struct {
    ike_link *link;
    bool response;
} ike_link_ref;

/* The value of the first item of field `abbrev` under `it` (depth-first). */
static const isakmp_item *find(const isakmp_item *it, const isakmp_field *f)
{
    for (const isakmp_item *c = isakmp_item_first_child(it); c; c = isakmp_item_next(c)) {
        if (isakmp_item_field(c) == f)
            return c;
        const isakmp_item *in = find(c, f);
        if (in)
            return in;
    }
    return NULL;
}

/* "ispi/msgid/requester": one exchange of one IKE SA.  Each end numbers its
 * own requests (RFC 7296 2.2), so the key says whose request it is: the
 * sender of a request, the receiver of a response (I flag, RFC 7296 3.1). */
static char *exchange_key(const isakmp_msg *msg, bool *response)
{
    static const isakmp_field *ispi, *msgid, *flag_r, *flag_i;
    if (!ispi) {
        ispi = isakmp_field_by_abbrev("ike.ispi");
        msgid = isakmp_field_by_abbrev("ike.messageid");
        flag_r = isakmp_field_by_abbrev("ike.flag_r");
        flag_i = isakmp_field_by_abbrev("ike.flag_i");
    }
    const isakmp_item *root = isakmp_msg_root(msg);
    const isakmp_item *s = find(root, ispi), *m = find(root, msgid);
    const isakmp_item *r = find(root, flag_r), *i = find(root, flag_i);
    if (!s || !m || !r || !i)
        return NULL;
    size_t n;
    const uint8_t *spi = isakmp_item_bytes(s, &n);
    if (n != 8)
        return NULL;
    *response = isakmp_item_uint(r) != 0;
    bool by_initiator = (isakmp_item_uint(i) != 0) != *response;
    return wmem_strdup_printf(wmem_file_scope(), "%016" G_GINT64_MODIFIER "x/%08x/%c",
                              ike_pntoh64(spi), (guint32)isakmp_item_uint(m),
                              by_initiator ? 'I' : 'R');
}

/* First pass: remember the first request and first response of an exchange
 * (retransmissions link to the originals). */
static ike_link_ref *learn(packet_info *pinfo, const isakmp_msg *msg)
{
    bool response;
    char *key = exchange_key(msg, &response);
    if (!key)
        return NULL;
    conversation_t *conv = find_or_create_conversation(pinfo);
    wmem_map_t *map = conversation_get_proto_data(conv, proto_ike);
    if (!map) {
        map = wmem_map_new(wmem_file_scope(), g_str_hash, g_str_equal);
        conversation_add_proto_data(conv, proto_ike, map);
    }
    ike_link *l = wmem_map_lookup(map, key);
    if (!l) {
        l = wmem_new0(wmem_file_scope(), ike_link);
        wmem_map_insert(map, key, l);
    }
    guint32 *slot = response ? &l->response : &l->request;
    if (!*slot)
        *slot = pinfo->num;
    ike_link_ref *ref = wmem_new(wmem_file_scope(), ike_link_ref);
    *ref = (ike_link_ref){ l, response };
    return ref;
}

static void add_link(proto_tree *tree, tvbuff_t *tvb, const char *abbrev, guint32 frame)
{
    const isakmp_field *f = isakmp_field_by_abbrev(abbrev);
    if (!f || !frame)
        return;
    proto_item *pi = proto_tree_add_uint(tree, ike_hf(f), tvb, 0, 0, frame);
    proto_item_set_generated(pi);
}

void ike_links_add(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb, const isakmp_msg *msg,
                   guint index)
{
    if (isakmp_msg_version(msg) != 2)
        return;
    ike_link_ref *ref = p_get_proto_data(wmem_file_scope(), pinfo, proto_ike, index);
    if (!ref && !PINFO_FD_VISITED(pinfo)) {
        ref = learn(pinfo, msg);
        if (ref)
            p_add_proto_data(wmem_file_scope(), pinfo, proto_ike, index, ref);
    }
    if (!ref || !tree)
        return;
    if (ref->response)
        add_link(tree, tvb, "ike.response_to", ref->link->request);
    else
        add_link(tree, tvb, "ike.response_in", ref->link->response);
}
