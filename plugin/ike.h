/*
 * The Wireshark plugin's internal interface.  The plugin is a thin layer:
 * every field, name, note and byte of decrypted data comes from libisakmp
 * (include/isakmp/isakmp.h); the plugin only registers what the library's
 * tables describe, feeds it packets, and draws the trees it returns.
 *
 *   plugin.c     the exported plugin symbols, protocol registration, handoff
 *   fields.c     hf / ett / expert registration generated from isakmp_fields()
 *   transport.c  UDP 500, UDP 4500 (keepalive, non-ESP marker, ESP), TCP (RFC 8229)
 *   tree.c       one isakmp_msg -> proto_tree, data sources, expert info, Info column
 *   links.c      request / response frame links (per conversation)
 *   keys.c       preferences, key tables (UAT), the routines that make the context
 *   session.c    the per-capture isakmp_ctx
 *   esp.c        handing ESP SAs to Wireshark's ESP dissector
 *   compat.h     what differs between Wireshark 4.0, 4.4 and 4.6
 */
#ifndef IKE_PLUGIN_H
#define IKE_PLUGIN_H

#include <epan/expert.h>
#include <epan/packet.h>

#include "isakmp/isakmp.h"

#include "compat.h"   /* Wireshark version differences */

extern int proto_ike;

/* ---------------------------------------------------------------- fields.c */

/* Registers one hf per library field (the root field is the protocol itself),
 * one ett per field, and the expert infos for the library's notes. */
void ike_fields_register(int proto);
/* The hf / ett of a library field. */
int ike_hf(const isakmp_field *f);
gint ike_ett(const isakmp_field *f);
/* The expert info for a note of this severity and code. */
expert_field *ike_expert(isakmp_severity sev, isakmp_note_code code);

/* ---------------------------------------------------------------- tree.c */

/* Decodes the ISAKMP message in tvb (all of it) and draws it; `index` counts
 * the messages of one frame (RFC 8229 streams may carry several). */
void ike_dissect_message(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, bool tcp,
                         guint index);

/* ---------------------------------------------------------------- links.c */

/* Adds "Response in" / "Response to" items for an IKEv2 message. */
void ike_links_add(packet_info *pinfo, proto_tree *tree, tvbuff_t *tvb,
                   const isakmp_msg *msg, guint index);

/* ---------------------------------------------------------------- transport.c */

void ike_transport_register(int proto);
void ike_transport_handoff(void);
/* Gives UDP 500/4500 and TCP 4500 to this plugin (on) or back to Wireshark's
 * built-in isakmp / udpencap dissectors (off). */
void ike_transport_takeover(bool on);
/* The preference of UDP ports where IKE shares the port with ESP (RFC 3948),
 * default 4500, registered by keys.c. */
range_t **ike_transport_natt_ports(void);

/* ---------------------------------------------------------------- keys.c */

/* Preferences (module "ike"), key tables, init / cleanup routines. */
void ike_prefs_register(int proto);

/* ---------------------------------------------------------------- coexist.c */

/* Living next to the built-in ISAKMP dissector: "isakmp" filters, the keys
 * note, the Info column's fragment notes. */
void ike_coexist_register(int proto);
void ike_coexist_handoff(void);
/* Where the keys came from, for the note on decrypted messages (NULL: none). */
void ike_coexist_set_keys_origin(const char *text);
/* After a message was drawn: the hidden isakmp items, the Info column, the note. */
/* A hidden item of the built-in's isakmp.X beside the item of ike.X (at
 * the same bytes, off / len in tvb), when the built-in has that field. */
void ike_coexist_twin(proto_tree *t, tvbuff_t *tvb, gint off, gint len, const isakmp_item *it,
                      wmem_allocator_t *pool);
void ike_coexist_message(packet_info *pinfo, proto_tree *tree, proto_item *root,
                         tvbuff_t *tvb, const isakmp_msg *msg);

/* ---------------------------------------------------------------- session.c */

/* The decoding context of the capture file being dissected. */
isakmp_ctx *ike_ctx(void);
/* Frees the current context and makes `fresh` (may be NULL) current. */
void ike_ctx_replace(isakmp_ctx *fresh);

/* ---------------------------------------------------------------- esp.c */

/* Hands the ESP SAs the library learned since the last message (loaded
 * esp_sa lines, derived keys) to Wireshark's ESP dissector, each once per
 * process; `item` (the message's root) gets a warning for each SA the ESP
 * dissector has no room for.  `index` counts the messages of one frame. */
void ike_esp_offer_new(packet_info *pinfo, proto_item *item, guint index);
/* Forgets the per-capture state (a new decoding context). */
void ike_esp_reset(void);

#endif
