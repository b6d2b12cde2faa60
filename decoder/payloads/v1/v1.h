/*
 * Shared pieces of the IKEv1 payload parsers (v1_*.c): the data attribute
 * reader (RFC 2408 3.3) with its per-context field sets, and the payload
 * parsers each file provides to the dispatch table in v1_payloads.c.
 */
#ifndef ISAKMP_V1_H
#define ISAKMP_V1_H

#include "core/internal.h"

/* How an attribute's value is shown besides the raw Value field. */
typedef enum {
    AV_UINT,      /* big-endian integer of the value bytes */
    AV_BYTES,     /* the value bytes */
    AV_LIFE,      /* life duration: uint32 / uint64 / bytes by length */
    AV_STRING,    /* text */
    AV_IPV4,      /* one IPv4 address per 4 bytes */
    AV_IPV6,      /* one IPv6 address per 16 bytes */
    AV_CUSTOM     /* the family's own function decodes it */
} v1_attr_kind;

/* One attribute type with a typed field. */
typedef struct {
    uint16_t type;
    int field;                         /* for AV_LIFE: the uint32 field; +1 uint64, +2 bytes */
    v1_attr_kind kind;
    const isakmp_value_name *vals;     /* per-item names, or NULL for the field's */
} v1_attr_map;

/* What one attribute list (one transform) has seen so far, for families
 * whose typed field depends on earlier attributes. */
typedef struct {
    bool gmt_encr, gmt_hash;   /* GM/T 0022 encryption / hash algorithm (v1_sa.c) */
} v1_attr_state;

/* A family of attributes: which fields hold the generic parts, and which
 * types get a typed field. */
typedef struct v1_attr_family {
    int attr, format, type, length, value;
    const isakmp_value_name *type_names;
    const v1_attr_map *map;            /* terminated by field 0 */
    const char *what;                  /* for labels: "IKE Attribute" */
    /* AV_CUSTOM decoder: value cursor, attribute item */
    void (*custom)(dec_t *d, uint32_t item, const v1_attr_map *m, cur_t *val);
    bool no_empty_mark;                /* no ike.attribute_value_empty item (Mode-Config) */
    /* The map entry for an attribute given what came before it in the list
     * (it also records what this one says); `head` is the first two octets
     * at the value.  NULL: the entry as it is. */
    const v1_attr_map *(*pick)(v1_attr_state *st, const v1_attr_map *m, uint16_t head);
    /* Transform attributes (they go into the facts): the type of the Key
     * Length attribute; 0 for other families. */
    uint16_t key_length;
} v1_attr_family;

extern const v1_attr_family v1_ike_attrs;          /* transforms of PROTO_ISAKMP */
extern const v1_attr_family v1_ipsec_attrs;        /* transforms of AH / ESP / IPCOMP */
extern const v1_attr_family v1_resp_ike_attrs;     /* RESPONDER-LIFETIME, ISAKMP SA */
extern const v1_attr_family v1_resp_ipsec_attrs;   /* RESPONDER-LIFETIME, IPsec SA */
extern const v1_attr_family v1_kd_attrs;           /* GDOI key download */
extern const v1_attr_family v1_cfg_attrs;          /* Mode-Config / XAUTH */

/* Decodes attributes until the cursor is empty (at most ISAKMP_MAX_ATTRS). */
void v1_attrs(dec_t *d, uint32_t parent, cur_t *c, const v1_attr_family *fam);

/* Big-endian integer of up to 8 bytes at the cursor (reads them all). */
uint64_t v1_uint(cur_t *c, size_t n);

/* Adds the generic header of a nested payload (proposal, transform, GDOI
 * sub-payload) at c and opens its body.  Returns false (with a note) when
 * there is no room for a header or the length is below 4. */
bool v1_sub_payload(dec_t *d, uint32_t parent, cur_t *c, uint8_t type, payload_info *pi,
                    cur_t *body);

/* Table of names for the IP protocol in ID payloads (IANA protocol-numbers). */
extern const isakmp_value_name v1_ip_protocols[];

/* Payload parsers. */
void v1_p_sa(dec_t *d, cur_t *b, const payload_info *pi);
void v1_p_proposal(dec_t *d, cur_t *b, const payload_info *pi);
void v1_p_transform(dec_t *d, cur_t *b, const payload_info *pi);
void v1_p_id(dec_t *d, cur_t *b, const payload_info *pi);
void v1_p_cert(dec_t *d, cur_t *b, const payload_info *pi);
void v1_p_certreq(dec_t *d, cur_t *b, const payload_info *pi);
void v1_p_nat_oa(dec_t *d, cur_t *b, const payload_info *pi);
void v1_p_notify(dec_t *d, cur_t *b, const payload_info *pi);
void v1_p_delete(dec_t *d, cur_t *b, const payload_info *pi);
void v1_p_cfg(dec_t *d, cur_t *b, const payload_info *pi);
void v1_p_sak(dec_t *d, cur_t *b, const payload_info *pi);
void v1_p_sat(dec_t *d, cur_t *b, const payload_info *pi);
void v1_p_kd(dec_t *d, cur_t *b, const payload_info *pi);
void v1_p_seq(dec_t *d, cur_t *b, const payload_info *pi);

#endif
