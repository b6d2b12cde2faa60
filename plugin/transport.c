/*
 * Transports: IKE on UDP 500 (RFC 7296 2), UDP 4500 where IKE and ESP share
 * the port (RFC 3948: a 1-byte 0xff keepalive, a 4-byte zero non-ESP marker
 * before IKE, anything else is ESP), and TCP streams (RFC 8229: an "IKETCP"
 * prefix once, then 16-bit length-framed IKE messages (behind the non-ESP
 * marker) or ESP packets).
 *
 * UDP 500 and UDP 4500 are taken from Wireshark's isakmp and udpencap
 * dissectors (the "takeover" preference gives them back).  One UDP handle
 * serves both, telling them apart by the NAT-T port preference, so that
 * "Decode As" offers exactly one IKE choice for UDP and one for TCP.
 */
#include <string.h>

#include <epan/tvbuff.h>

#include "ike.h"

#include <epan/proto_data.h>   /* needs glib and wmem first */

#define IKE_UDP_PORT 500
#define IKE_NATT_PORT 4500     /* also the NAT-T port preference's default */
#define IKE_TCP_PORT 4500      /* RFC 8229 3: the default for IKE over TCP */
#define NON_ESP_MARKER_LEN 4
#define TCP_LEN_LEN 2
static const char iketcp_prefix[] = "IKETCP";
#define IKETCP_LEN 6

static dissector_handle_t udp_handle, tcp_handle;
static dissector_handle_t esp_handle, builtin_isakmp, builtin_udpencap, builtin_tcp;

/* ---------------------------------------------------------------- UDP 4500 */

/* UDP ports where IKE follows a non-ESP marker (RFC 3948): a preference
 * that keys.c registers on this range. */
static range_t *natt_ports;

range_t **ike_transport_natt_ports(void) { return &natt_ports; }

static bool is_natt_port(guint32 port) { return value_is_in_range(natt_ports, port); }

static bool is_keepalive(tvbuff_t *tvb)
{
    return tvb_reported_length(tvb) == 1 && ike_tvb_get_u8(tvb, 0) == 0xff;
}

/* Four zero bytes where ESP has its SPI (RFC 3948 2.2: SPI 0 is reserved). */
static bool has_marker(tvbuff_t *tvb, gint off)
{
    return tvb_bytes_exist(tvb, off, NON_ESP_MARKER_LEN) && tvb_get_ntohl(tvb, off) == 0;
}

static void dissect_keepalive(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    const isakmp_field *f = isakmp_field_by_abbrev("ike.ike.nat_keepalive");
    col_set_str(pinfo->cinfo, COL_PROTOCOL, "IKE");
    col_set_str(pinfo->cinfo, COL_INFO, "NAT Keepalive");
    proto_item *pi = proto_tree_add_item(tree, proto_ike, tvb, 0, -1, ENC_NA);
    if (f)
        proto_tree_add_item(proto_item_add_subtree(pi, ike_ett(f)), ike_hf(f), tvb, 0, 1, ENC_NA);
}

static int call_esp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    if (esp_handle)
        return call_dissector(esp_handle, tvb, pinfo, tree);
    return call_data_dissector(tvb, pinfo, tree);
}

static int dissect_ike_udp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    col_clear(pinfo->cinfo, COL_INFO);
    if (!is_natt_port(pinfo->srcport) && !is_natt_port(pinfo->destport))
        ike_dissect_message(tvb, pinfo, tree, false, 0);
    else if (is_keepalive(tvb))
        dissect_keepalive(tvb, pinfo, tree);
    else if (has_marker(tvb, 0))
        ike_dissect_message(tvb_new_subset_remaining(tvb, NON_ESP_MARKER_LEN), pinfo, tree, false, 0);
    else
        call_esp(tvb, pinfo, tree);
    return (int)tvb_captured_length(tvb);
}

/* ---------------------------------------------------------------- TCP */

/* The number of IKE messages dissected so far in this frame.  TCP can call
 * the dissector more than once per frame (a reassembled PDU, then the rest of
 * the segment), so the count lives in packet-scope data rather than in a
 * local: the index keys per-message state (links, ESP warnings). */
#define MSG_COUNT_KEY 0x7fff0000u   /* apart from links.c's keys (message indexes) */

static guint *msg_count(packet_info *pinfo)
{
    guint *n = p_get_proto_data(pinfo->pool, pinfo, proto_ike, MSG_COUNT_KEY);
    if (!n) {
        n = wmem_new0(pinfo->pool, guint);
        p_add_proto_data(pinfo->pool, pinfo, proto_ike, MSG_COUNT_KEY, n);
    }
    return n;
}

/* One length-framed PDU: IKE behind the marker, or ESP. */
static void dissect_tcp_pdu(tvbuff_t *pdu, packet_info *pinfo, proto_tree *tree)
{
    if (has_marker(pdu, 0))
        ike_dissect_message(tvb_new_subset_remaining(pdu, NON_ESP_MARKER_LEN), pinfo, tree, true,
                            (*msg_count(pinfo))++);
    else
        call_esp(pdu, pinfo, tree);
}

/* Asks TCP for `more` bytes after `off`; false when TCP cannot reassemble
 * (its preference is off) and the caller should use what it has. */
static bool want_more(packet_info *pinfo, guint off, guint more)
{
    if (!pinfo->can_desegment)
        return false;
    pinfo->desegment_offset = off;
    pinfo->desegment_len = more;
    return true;
}

/* Walks the segment's PDUs, asking TCP for more data where one is cut
 * (the usual desegmentation contract: offset and bytes still missing). */
static int dissect_ike_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    guint len = tvb_reported_length(tvb), off = 0;
    if (*msg_count(pinfo) == 0)   /* keep the Info of messages before in this frame */
        col_clear(pinfo->cinfo, COL_INFO);
    while (off < len) {
        if (tvb_memeql(tvb, (gint)off, (const guint8 *)iketcp_prefix, IKETCP_LEN) == 0) {
            proto_tree_add_protocol_format(tree, proto_ike, tvb, (gint)off, IKETCP_LEN,
                                           "IKE over TCP stream prefix (RFC 8229): IKETCP");
            off += IKETCP_LEN;
            continue;
        }
        if (len - off < TCP_LEN_LEN) {
            want_more(pinfo, off, DESEGMENT_ONE_MORE_SEGMENT);
            return (int)len;
        }
        guint pdu_len = tvb_get_ntohs(tvb, (gint)off);
        if (pdu_len <= TCP_LEN_LEN) {
            off += TCP_LEN_LEN;     /* a length that frames nothing: skip it */
            continue;
        }
        if (len - off < pdu_len && want_more(pinfo, off, pdu_len - (len - off)))
            return (int)len;
        /* without reassembly a cut PDU is decoded as far as it goes */
        guint have = MIN(pdu_len, len - off);
        tvbuff_t *pdu = tvb_new_subset_length(tvb, (gint)(off + TCP_LEN_LEN),
                                              (gint)(have - TCP_LEN_LEN));
        dissect_tcp_pdu(pdu, pinfo, tree);
        off += pdu_len;
    }
    return (int)len;
}

/* ---------------------------------------------------------------- registration */

void ike_transport_register(int proto)
{
    udp_handle = register_dissector_with_description(
        "ike", "IKE (libisakmp) over UDP, with ESP on NAT-T ports (RFC 3948)", dissect_ike_udp,
        proto);
    tcp_handle = register_dissector_with_description(
        "ike.tcp", "IKE (libisakmp) and ESP over TCP (RFC 8229)", dissect_ike_tcp, proto);
}

void ike_transport_handoff(void)
{
    esp_handle = find_dissector("esp");
    /* the built-in dissectors have no registered names: remember whatever
     * holds the ports now (plugins are handed off after them) */
    dissector_table_t udp = find_dissector_table("udp.port");
    builtin_isakmp = dissector_get_uint_handle(udp, IKE_UDP_PORT);
    builtin_udpencap = dissector_get_uint_handle(udp, IKE_NATT_PORT);
    builtin_tcp = dissector_get_uint_handle(find_dissector_table("tcp.port"), IKE_TCP_PORT);
    dissector_add_uint_with_preference("udp.port", IKE_UDP_PORT, udp_handle);
    dissector_add_uint_with_preference("udp.port", IKE_NATT_PORT, udp_handle);
    dissector_add_uint_with_preference("tcp.port", IKE_TCP_PORT, tcp_handle);
}

/* Moves one port between our handle and the built-in one, leaving ports the
 * user has given to anything else alone.  The entry is replaced rather than
 * changed, so Decode As does not list it as a user's choice. */
static void swap(const char *table, guint32 port, dissector_handle_t ours,
                 dissector_handle_t builtin, bool on)
{
    dissector_handle_t now = dissector_get_uint_handle(find_dissector_table(table), port);
    dissector_handle_t from = on ? builtin : ours, to = on ? ours : builtin;
    if (now != from || now == to)
        return;
    if (from)
        dissector_delete_uint(table, port, from);
    if (to)
        dissector_add_uint(table, port, to);
}

void ike_transport_takeover(bool on)
{
    swap("udp.port", IKE_UDP_PORT, udp_handle, builtin_isakmp, on);
    swap("udp.port", IKE_NATT_PORT, udp_handle, builtin_udpencap, on);
    swap("tcp.port", IKE_TCP_PORT, tcp_handle, builtin_tcp, on);
}
