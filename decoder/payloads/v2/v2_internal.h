/*
 * Shared by the IKEv2 payload parsers (v2_*.c, RFC 7296 section 3 and the
 * RFCs that extend it): one entry point per payload type, and the helpers
 * several of them use.  v2_payloads.c holds the dispatch table.
 */
#ifndef ISAKMP_V2_INTERNAL_H
#define ISAKMP_V2_INTERNAL_H

#include "core/internal.h"

/* v2_sa.c: Security Association with proposals, transforms, attributes. */
void v2_p_sa(dec_t *d, cur_t *b, const payload_info *pi);

/* v2_notify.c: Notify. */
void v2_p_notify(dec_t *d, cur_t *b, const payload_info *pi);

/* v2_ts.c: Traffic Selectors (TSi / TSr). */
void v2_p_ts(dec_t *d, cur_t *b, const payload_info *pi);

/* v2_cfg.c: Configuration. */
void v2_p_cp(dec_t *d, cur_t *b, const payload_info *pi);

/* v2_misc.c: ID, CERT, CERTREQ, AUTH, Delete, EAP, GSPM, Puzzle. */
void v2_p_id(dec_t *d, cur_t *b, const payload_info *pi);
void v2_p_cert(dec_t *d, cur_t *b, const payload_info *pi);
void v2_p_certreq(dec_t *d, cur_t *b, const payload_info *pi);
void v2_p_auth(dec_t *d, cur_t *b, const payload_info *pi);
void v2_p_delete(dec_t *d, cur_t *b, const payload_info *pi);
void v2_p_eap(dec_t *d, cur_t *b, const payload_info *pi);
void v2_p_gspm(dec_t *d, cur_t *b, const payload_info *pi);
void v2_p_puzzle(dec_t *d, cur_t *b, const payload_info *pi);

/* v2_group.c: G-IKEv2 (RFC 9838) GIDi, GSA, KD. */
void v2_p_gid(dec_t *d, cur_t *b, const payload_info *pi);
void v2_p_gsa(dec_t *d, cur_t *b, const payload_info *pi);
void v2_p_kd(dec_t *d, cur_t *b, const payload_info *pi);

/* Sets the item's label to "<what>: <name> (<v>)", or "<what>: Unknown (<v>)"
 * when the value has no name in `vals`. */
void v2_label_value(dec_t *d, uint32_t item, const char *what, const isakmp_value_name *vals,
                    uint32_t v);

/* A value-name lookup that never returns NULL ("Unknown"). */
const char *v2_name(const isakmp_value_name *vals, uint32_t v);

/* Bytes a structure leaves unread: a note and skipped.  Not ike.extradata,
 * which Wireshark does not show in these places. */
void v2_leftover(dec_t *d, uint32_t item, cur_t *c, const char *what);

#endif
