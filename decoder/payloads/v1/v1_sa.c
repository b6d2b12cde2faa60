/*
 * IKEv1 Security Association payload (RFC 2408 3.4, RFC 2407 4.6.1, GDOI
 * RFC 6407 5.1), Proposal (RFC 2408 3.5), Transform (RFC 2408 3.6) and the
 * transform attribute families: IKE (RFC 2409 Appendix A) for PROTO_ISAKMP,
 * IPsec DOI (RFC 2407 4.5, RFC 3947 for UDP encapsulation) for AH, ESP and
 * IPCOMP, with the GM/T 0022-2014 (China IPsec VPN) values in IKE transforms.
 * Proposals and transforms are shown as payload items of their own, with
 * their generic headers, as Wireshark does.
 */
/* payload-bodies: v1 2 3 + v1_attr.c */
#include "core/names.h"
#include "payloads/v1/v1.h"

#define DOI_IPSEC 1
#define DOI_GDOI 2
#define PROTO_ISAKMP 1
#define PROTO_AH 2
#define PROTO_ESP 3
#define PROTO_IPCOMP 4

/* Encapsulation mode (RFC 2407 4.5 Value 4, RFC 3947 5.2) with the values the
 * NAT-T drafts (draft-ietf-ipsec-nat-t-ike-00 to -08) used; the draft rows
 * come first so they win over the private-use range. */
static const isakmp_value_name encap_modes[] = {
    { 0, 0, "Reserved" },
    { 1, 1, "Tunnel" },
    { 2, 2, "Transport" },
    { 3, 3, "UDP-Encapsulated-Tunnel" },
    { 4, 4, "UDP-Encapsulated-Transport" },
    { 61443, 61443, "UDP-Encapsulated-Tunnel (draft)" },
    { 61444, 61444, "UDP-Encapsulated-Transport (draft)" },
    { 5, 61439, "Unassigned" },
    { 61440, 65535, "Reserved for private use" },
    { 0, 0, NULL }
};

#define ATTR_ENCR 1   /* RFC 2409 Appendix A attribute classes */
#define ATTR_HASH 2
#define ATTR_AUTH 3

/* RFC 2409 Appendix A: attribute classes with a typed field (with the
 * GM/T 0022-2014 values IANA does not name). */
static const v1_attr_map ike_map[] = {
    { ATTR_ENCR, F_IKE_ATTR_ENCRYPTION_ALGORITHM, AV_UINT, names_v1_gmt_encryption },
    { ATTR_HASH, F_IKE_ATTR_HASH_ALGORITHM, AV_UINT, names_v1_gmt_hash },
    { ATTR_AUTH, F_IKE_ATTR_AUTHENTICATION_METHOD, AV_UINT, names_v1_xauth_auth_methods },
    { 4, F_IKE_ATTR_GROUP_DESCRIPTION, AV_UINT, NULL },
    { 5, F_IKE_ATTR_GROUP_TYPE, AV_UINT, NULL },
    { 6, F_IKE_ATTR_GROUP_PRIME, AV_BYTES, NULL },
    { 7, F_IKE_ATTR_GROUP_GENERATOR_ONE, AV_BYTES, NULL },
    { 8, F_IKE_ATTR_GROUP_GENERATOR_TWO, AV_BYTES, NULL },
    { 9, F_IKE_ATTR_GROUP_CURVE_A, AV_BYTES, NULL },
    { 10, F_IKE_ATTR_GROUP_CURVE_B, AV_BYTES, NULL },
    { 11, F_IKE_ATTR_LIFE_TYPE, AV_UINT, NULL },
    { 12, F_IKE_ATTR_LIFE_DURATION, AV_LIFE, NULL },
    { 13, F_IKE_ATTR_PRF, AV_BYTES, NULL },
    { 14, F_IKE_ATTR_KEY_LENGTH, AV_UINT, NULL },
    { 15, F_IKE_ATTR_FIELD_SIZE, AV_BYTES, NULL },
    { 16, F_IKE_ATTR_GROUP_ORDER, AV_BYTES, NULL },
    { 17, F_IKE_ATTR_BLOCK_SIZE, AV_BYTES, NULL },
    { 20, F_IKE_ATTR_ASYMMETRIC_CRYPTOGRAPHIC_ALGORITHM_TYPE, AV_UINT, names_v1_gmt_asymmetric },
    { 0, 0, AV_UINT, NULL }
};

/* GM/T 0022-2014 (China's IPsec VPN specification) gives Authentication
 * Method values of its own (10: digital envelope) in transforms that use its
 * algorithms: SM1 (128) or SM4 (129) encryption, SM3 (20) hash.  Wireshark
 * 4.4 then shows the value as ike.ike.attr.authentication_method_china and
 * not as ike.ike.attr.authentication_method, whatever it is.  What decides,
 * as tshark 4.4.19 shows (tests/unit/test_v1_payloads.c): an encryption or
 * hash attribute before the method in the same transform, the last of each
 * class counting, its algorithm read as the two octets at its value whatever
 * the value's length (empty values say nothing). */
#define GMT_SM1 128
#define GMT_SM4 129
#define GMT_SM3 20

static const v1_attr_map china_auth = {
    ATTR_AUTH, F_IKE_ATTR_AUTHENTICATION_METHOD_CHINA, AV_UINT, NULL
};

static const v1_attr_map *ike_pick(v1_attr_state *st, const v1_attr_map *m, uint16_t head)
{
    switch (m->type) {
    case ATTR_ENCR: st->gmt_encr = head == GMT_SM1 || head == GMT_SM4; break;
    case ATTR_HASH: st->gmt_hash = head == GMT_SM3; break;
    case ATTR_AUTH: return st->gmt_encr || st->gmt_hash ? &china_auth : m;
    default: break;
    }
    return m;
}

/* RFC 2407 4.5: IPsec SA attributes with a typed field. */
static const v1_attr_map ipsec_map[] = {
    { 1, F_IPSEC_ATTR_LIFE_TYPE, AV_UINT, NULL },
    { 2, F_IPSEC_ATTR_LIFE_DURATION, AV_LIFE, NULL },
    { 3, F_IPSEC_ATTR_GROUP_DESCRIPTION, AV_UINT, NULL },
    { 4, F_IPSEC_ATTR_ENCAP_MODE, AV_UINT, encap_modes },
    { 5, F_IPSEC_ATTR_AUTH_ALGORITHM, AV_UINT, NULL },
    { 6, F_IPSEC_ATTR_KEY_LENGTH, AV_UINT, NULL },
    { 7, F_IPSEC_ATTR_KEY_ROUNDS, AV_UINT, NULL },
    { 8, F_IPSEC_ATTR_CMPR_DICT_SIZE, AV_UINT, NULL },
    { 9, F_IPSEC_ATTR_CMPR_ALGORITHM, AV_BYTES, NULL },
    { 10, F_IPSEC_ATTR_ECN_TUNNEL, AV_UINT, NULL },
    { 11, F_IPSEC_ATTR_EXT_SEQ_NBR, AV_UINT, NULL },
    { 12, F_IPSEC_ATTR_AUTH_KEY_LENGTH, AV_UINT, NULL },
    { 13, F_IPSEC_ATTR_SIG_ENCO_ALGORITHM, AV_BYTES, NULL },
    { 14, F_IPSEC_ATTR_ADDR_PRESERVATION, AV_UINT, NULL },
    { 15, F_IPSEC_ATTR_SA_DIRECTION, AV_UINT, NULL },
    { 0, 0, AV_UINT, NULL }
};

const v1_attr_family v1_ike_attrs = {
    F_IKE_ATTR, F_IKE_ATTR_FORMAT, F_IKE_ATTR_TYPE, F_IKE_ATTR_LENGTH, F_IKE_ATTR_VALUE,
    iana_ikev1_attribute_classes, ike_map, "IKE Attribute", NULL, false, ike_pick, 14,
};

const v1_attr_family v1_ipsec_attrs = {
    F_IPSEC_ATTR, F_IPSEC_ATTR_FORMAT, F_IPSEC_ATTR_TYPE, F_IPSEC_ATTR_LENGTH,
    F_IPSEC_ATTR_VALUE, iana_ipsec_doi_sa_attribute_classes, ipsec_map, "IPsec Attribute",
    NULL, false, NULL, 6,
};

/* Transform IDs by the proposal's protocol (RFC 2407 4.4). */
static const isakmp_value_name *transform_names(uint8_t proto)
{
    switch (proto) {
    case PROTO_ISAKMP: return iana_ipsec_doi_isakmp_transform_ids;
    case PROTO_AH: return iana_ipsec_doi_ah_transform_ids;
    case PROTO_ESP: return iana_ipsec_doi_esp_transform_ids;
    case PROTO_IPCOMP: return iana_ipsec_doi_ipcomp_transform_ids;
    default: return NULL;
    }
}

bool v1_sub_payload(dec_t *d, uint32_t parent, cur_t *c, uint8_t type, payload_info *pi,
                    cur_t *body)
{
    size_t left = cur_left(c);
    *pi = (payload_info){ .type = type, .off = cur_off(c), .next = cur_peek_u8(c, 0),
                          .len = cur_peek_u16(c, 2) };
    pi->item = tree_add_uint(d->m, parent, F_TYPEPAYLOAD, c->src, pi->off,
                             pi->len >= 4 && pi->len <= left ? pi->len : left, type);
    tree_set_vals(d->m, pi->item, payload_type_names(1));
    tree_set_payload_label(d->m, pi->item, 1, type);
    if (left < 4) {
        tree_note(d->m, pi->item, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED,
                  "Payload header needs 4 bytes, %zu left", left);
        cur_skip(c, left);
        return false;
    }
    cur_t p;
    if (!cur_child(c, pi->len >= 4 ? pi->len : 4, &p))
        tree_note(d->m, pi->item, ISAKMP_SEV_ERROR,
                  p.clip == CUR_TRUNCATED ? ISAKMP_NOTE_TRUNCATED : ISAKMP_NOTE_MALFORMED,
                  "Payload length %zu runs past its container (%zu bytes left)", pi->len, left);
    dec_plain_header(d, pi->item, &p, payload_type_names(1));
    if (pi->len < 4) {
        tree_note(d->m, pi->item, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED,
                  "Invalid payload length %zu (less than the 4-byte header)", pi->len);
        return false;
    }
    cur_rest(&p, body);
    body->clip = p.clip;
    return true;
}

/* The proposals of an IPsec DOI SA: a payload chain of their own, whose
 * proposals go into the facts as proposals, not payloads. */
static void proposal_chain(dec_t *d, cur_t *b, const payload_info *pi)
{
    bool up = d->m->facts.in_v1_sa;
    d->m->facts.in_v1_sa = true;
    dec_payload_chain(d, pi->item, b, 2);
    d->m->facts.in_v1_sa = up;
}

/* RFC 2408 3.4 with RFC 2407 4.6.1: DOI, situation (bit field for IPsec),
 * then the proposals as a payload chain. */
void v1_p_sa(dec_t *d, cur_t *b, const payload_info *pi)
{
    static const int sit_bits[] = { F_SA_SITUATION_IDENTITY_ONLY, F_SA_SITUATION_SECRECY,
                                    F_SA_SITUATION_INTEGRITY, -1 };
    uint32_t doi = cur_left(b) >= 4 ? ((uint32_t)cur_peek_u16(b, 0) << 16) | cur_peek_u16(b, 2) : 0;
    uint32_t up = facts_on(d) ? facts_sa_open(d, doi, facts_rest(b)) : 0;
    uint32_t x = dec_u32(d, pi->item, b, F_SA_DOI);
    if (x)
        tree_set_vals(d->m, x, iana_ikev1_doi);
    if (doi == DOI_IPSEC) {
        cur_t at = *b;
        uint32_t s = dec_bytes(d, pi->item, b, F_SA_SITUATION, 4);
        dec_bits(d, s, &at, 4, sit_bits);
        if (cur_ok(b))
            proposal_chain(d, b, pi);
    } else if (doi == DOI_GDOI) {
        /* RFC 6407 5.1: situation, then SA Attribute Next Payload and
         * RESERVED2, 16 bits each as the figure draws them (and as tshark
         * reads them); the SA KEK / GAP / SA TEK payloads follow in the
         * message's chain */
        dec_bytes(d, pi->item, b, F_SA_SITUATION, 4);
        dec_bytes(d, pi->item, b, F_SA_NEXT_ATTRIBUTE_PAYLOAD, 2);
        dec_bytes(d, pi->item, b, F_RESERVED2, 2);
    } else {
        dec_rest(d, pi->item, b, F_SA_SITUATION);
    }
    if (facts_on(d))
        facts_sa_close(d, up);
}

static void transform_body(dec_t *d, cur_t *b, const payload_info *pi, uint8_t proto);

/* The transforms of a proposal: exactly count of them. */
static void proposal_transforms(dec_t *d, cur_t *b, const payload_info *pi, uint8_t proto,
                                uint8_t count)
{
    for (unsigned i = 0; i < count; i++) {
        payload_info t;
        cur_t body;
        if (cur_left(b) == 0) {
            tree_note(d->m, pi->item, ISAKMP_SEV_ERROR,
                      b->clip == CUR_TRUNCATED ? ISAKMP_NOTE_TRUNCATED : ISAKMP_NOTE_MALFORMED,
                      "Proposal announces %u transforms but holds %u", count, i);
            return;
        }
        if (!v1_sub_payload(d, pi->item, b, 3, &t, &body))
            return;
        tree_set_label(d->m, t.item, "Type Payload: Transform (3) # %u", i + 1);
        if (dec_skip_body(d, 3, &body))
            continue;
        transform_body(d, &body, &t, proto);
        dec_trailing(d, t.item, &body, "Transform");
        dec_check(d, t.item, &body, "Transform");
    }
    /* Bytes after the announced transforms: Wireshark ignores them, so they
     * get a note but no item. */
    if (cur_left(b)) {
        tree_note(d->m, pi->item, ISAKMP_SEV_WARN, ISAKMP_NOTE_TRAILING,
                  "%zu bytes after the %u announced transforms", cur_left(b), count);
        cur_skip(b, cur_left(b));
    }
}

/* RFC 2408 3.5: the transforms are counted, not chained: exactly
 * "# of Transforms" of them are read (the next-payload field is shown only). */
void v1_p_proposal(dec_t *d, cur_t *b, const payload_info *pi)
{
    uint8_t proto = cur_peek_u8(b, 1), spisize = cur_peek_u8(b, 2), count = cur_peek_u8(b, 3);
    isakmp_fact_proposal fact = { .number = cur_peek_u8(b, 0), .protocol = proto,
                                  .spi_size = spisize, .n_declared = count };
    dec_u8(d, pi->item, b, F_PROP_NUMBER);
    uint32_t p = dec_u8(d, pi->item, b, F_PROP_PROTOID);
    if (p)
        tree_set_vals(d->m, p, iana_ipsec_doi_security_protocol_ids);
    dec_u8(d, pi->item, b, F_SPISIZE);
    dec_u8(d, pi->item, b, F_PROP_TRANSFORMS);
    fact.spi = facts_span(b->src, cur_off(b), spisize);
    if (spisize)
        dec_bytes(d, pi->item, b, F_SPI, spisize);
    uint32_t up = facts_on(d) ? facts_proposal_open(d, &fact) : 0;
    if (dec_check(d, pi->item, b, "Proposal"))
        proposal_transforms(d, b, pi, proto, count);
    if (facts_on(d))
        facts_proposal_close(d, up, cur_ok(b));
}

/* RFC 2408 3.6: transform number, ID (named by the protocol of the proposal
 * that holds it), reserved, attributes. */
static void transform_body(dec_t *d, cur_t *b, const payload_info *pi, uint8_t proto)
{
    isakmp_fact_transform fact = { .number = cur_peek_u8(b, 0), .id = cur_peek_u8(b, 1) };
    dec_u8(d, pi->item, b, F_TRANS_NUMBER);
    uint32_t x = dec_u8(d, pi->item, b, F_TRANS_ID);
    if (x)
        tree_set_vals(d->m, x, transform_names(proto));
    dec_bytes(d, pi->item, b, F_RESERVED, 2);
    if (!dec_check(d, pi->item, b, "Transform"))
        return;
    if (facts_on(d))
        facts_transform(d, &fact);
    v1_attrs(d, pi->item, b, proto == PROTO_ISAKMP ? &v1_ike_attrs : &v1_ipsec_attrs);
}

/* A transform payload outside a proposal: its protocol is unknown. */
void v1_p_transform(dec_t *d, cur_t *b, const payload_info *pi)
{
    transform_body(d, b, pi, 0);
}
