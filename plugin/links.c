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

/* "ispi/msgid/requester": one exchange of one IKE SA.  Each end numbers its
 * own requests (RFC 7296 2.2), so the key says whose request it is: the
 * sender of a request, the receiver of a response (I flag, RFC 7296 3.1).
 * The header must be captured up to its Message ID (octets 20..23); the
 * length after it is not needed. */
static char *exchange_key(const isakmp_msg *msg, bool *response)
{
    const isakmp_fact_header *h = &isakmp_msg_facts(msg)->header;
    if (!h->complete && isakmp_msg_packet(msg)->len < 24)
        return NULL;
    *response = h->response;
    bool by_initiator = h->initiator != h->response;
    return wmem_strdup_printf(wmem_file_scope(), "%016" G_GINT64_MODIFIER "x/%08x/%c",
                              ike_pntoh64(h->ispi), h->msgid, by_initiator ? 'I' : 'R');
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
