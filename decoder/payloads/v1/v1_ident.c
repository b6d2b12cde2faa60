/*
 * IKEv1 identity and certificate payloads: Identification (RFC 2408 3.8 with
 * the IPsec DOI layout of RFC 2407 4.6.2), Certificate (RFC 2408 3.9),
 * Certificate Request (RFC 2408 3.10) and NAT-OA (RFC 3947 5.2, and draft
 * payload number 131).
 */
/* payload-bodies: v1 5 6 7 21 131 + cert.c */
#include "payloads/cert.h"
#include "payloads/v1/v1.h"

#define ID_IPV4_ADDR 1
#define ID_FQDN 2
#define ID_USER_FQDN 3
#define ID_IPV4_ADDR_SUBNET 4
#define ID_IPV6_ADDR 5
#define ID_IPV6_ADDR_SUBNET 6
#define ID_IPV4_ADDR_RANGE 7
#define ID_IPV6_ADDR_RANGE 8
#define ID_DER_ASN1_DN 9
#define ID_KEY_ID 11
#define CERT_X509_SIGNATURE 4

/* IP protocol numbers an ID payload names (IANA protocol-numbers); 0 means
 * the field is not used (RFC 2407 4.6.2). */
const isakmp_value_name v1_ip_protocols[] = {
    { 0, 0, "Unused" },
    { 1, 1, "ICMP" },
    { 6, 6, "TCP" },
    { 17, 17, "UDP" },
    { 47, 47, "GRE" },
    { 50, 50, "ESP" },
    { 51, 51, "AH" },
    { 58, 58, "ICMPv6" },
    { 132, 132, "SCTP" },
    { 0, 0, NULL }
};

/* The layout of each ID type's data: up to two fixed-size parts, or one
 * variable part (size 0). */
static const struct {
    uint8_t type;
    int first, second;
    size_t size;
} id_layouts[] = {
    { ID_IPV4_ADDR, F_ID_DATA_IPV4_ADDR, 0, 4 },
    { ID_FQDN, F_ID_DATA_FQDN, 0, 0 },
    { ID_USER_FQDN, F_ID_DATA_USER_FQDN, 0, 0 },
    { ID_IPV4_ADDR_SUBNET, F_ID_DATA_IPV4_ADDR, F_ID_DATA_IPV4_SUBNET, 4 },
    { ID_IPV6_ADDR, F_ID_DATA_IPV6_ADDR, 0, 16 },
    { ID_IPV6_ADDR_SUBNET, F_ID_DATA_IPV6_ADDR, F_ID_DATA_IPV6_SUBNET, 16 },
    { ID_IPV4_ADDR_RANGE, F_ID_DATA_IPV4_RANGE_START, F_ID_DATA_IPV4_RANGE_END, 4 },
    { ID_IPV6_ADDR_RANGE, F_ID_DATA_IPV6_RANGE_START, F_ID_DATA_IPV6_RANGE_END, 16 },
    { ID_KEY_ID, F_ID_DATA_KEY_ID, 0, 0 },
};

/* Adds a fixed-size part, or notes that the data is too short for it. */
static void id_part(dec_t *d, uint32_t item, cur_t *c, int field, size_t size)
{
    if (cur_left(c) < size) {
        tree_note(d->m, item, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED,
                  "Identification data too short: %zu bytes left, %zu needed", cur_left(c), size);
        cur_skip(c, cur_left(c));
        return;
    }
    size_t off = cur_skip(c, size);
    tree_add(d->m, item, field, c->src, off, size);
}

/* The typed parts of ID data (shared by IKEv1 ID and, via the same fields,
 * nothing else: IKEv2 has its own layout). */
static void id_data(dec_t *d, uint32_t item, uint8_t type, cur_t *c)
{
    if (type == ID_DER_ASN1_DN) {
        /* Wireshark shows the DN as the X.509 Name CHOICE (rdnSequence = 0) */
        if (cur_left(c))
            tree_add_uint(d->m, item, F_ID_DATA_DER_ASN1_DN, c->src, cur_off(c), cur_left(c), 0);
        return;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(id_layouts); i++) {
        if (id_layouts[i].type != type)
            continue;
        if (id_layouts[i].size == 0) {
            dec_rest(d, item, c, id_layouts[i].first);
            return;
        }
        id_part(d, item, c, id_layouts[i].first, id_layouts[i].size);
        if (id_layouts[i].second)
            id_part(d, item, c, id_layouts[i].second, id_layouts[i].size);
        dec_trailing(d, item, c, "Identification data");
        return;
    }
}

void v1_p_id(dec_t *d, cur_t *b, const payload_info *pi)
{
    uint8_t type = cur_peek_u8(b, 0);
    isakmp_fact_id fact = { .payload = facts_cur(d), .type = type, .protocol = cur_peek_u8(b, 1),
                            .port = cur_peek_u16(b, 2), .body = facts_rest(b) };
    uint32_t x = dec_u8(d, pi->item, b, F_ID_TYPE);
    if (x)
        tree_set_vals(d->m, x, iana_ipsec_doi_identification_types);
    x = dec_u8(d, pi->item, b, F_ID_PROTOID);
    if (x)
        tree_set_vals(d->m, x, v1_ip_protocols);
    dec_u16(d, pi->item, b, F_ID_PORT);
    fact.data = facts_rest(b);
    if (facts_on(d))
        facts_add_ids(d->m, &fact);
    if (!dec_check(d, pi->item, b, "Identification"))
        return;
    cur_t data;
    cur_rest(b, &data);
    uint32_t item = tree_add(d->m, pi->item, F_ID_DATA, data.src, cur_off(&data), cur_left(&data));
    id_data(d, item, type, &data);
    cur_skip(b, cur_left(b));
}

/* RFC 2408 3.9: encoding, then the certificate (X.509 decoding is elsewhere). */
void v1_p_cert(dec_t *d, cur_t *b, const payload_info *pi)
{
    uint8_t enc = cur_peek_u8(b, 0);
    uint32_t x = dec_u8(d, pi->item, b, F_CERT_ENCODING);
    if (x)
        tree_set_vals(d->m, x, iana_ikev1_certificate_encodings);
    if (facts_on(d))
        facts_add_certs(d->m, &(isakmp_fact_cert){ facts_cur(d), enc, facts_rest(b) });
    if (dec_check(d, pi->item, b, "Certificate")) {
        cur_t der = *b;
        uint32_t data = dec_rest(d, pi->item, b, F_CERT_DATA);
        if (enc == 4 && dec_body_wanted(d, pi->type))   /* X.509 Certificate - Signature */
            cert_decode(d, data, &der);
    }
}

/* RFC 2408 3.10: type, then the certificate authority (an X.509 Name for
 * signature certificates, shown like Wireshark as the Name CHOICE 0). */
void v1_p_certreq(dec_t *d, cur_t *b, const payload_info *pi)
{
    uint8_t type = cur_peek_u8(b, 0);
    uint32_t x = dec_u8(d, pi->item, b, F_CERTREQ_TYPE);
    if (x)
        tree_set_vals(d->m, x, iana_ikev1_certificate_encodings);
    if (!dec_check(d, pi->item, b, "Certificate Request") || cur_left(b) == 0)
        return;
    if (type == CERT_X509_SIGNATURE) {
        tree_add_uint(d->m, pi->item, F_IKE_CERTREQ_AUTHORITY_SIG, b->src, cur_off(b),
                      cur_left(b), 0);
        cur_skip(b, cur_left(b));
    } else {
        dec_rest(d, pi->item, b, F_IKE_CERTREQ_AUTHORITY);
    }
}

/* RFC 3947 5.2: ID type, 3 reserved bytes, the original address. */
void v1_p_nat_oa(dec_t *d, cur_t *b, const payload_info *pi)
{
    uint8_t type = cur_peek_u8(b, 0);
    uint32_t x = dec_u8(d, pi->item, b, F_ID_TYPE);
    if (x)
        tree_set_vals(d->m, x, iana_ipsec_doi_identification_types);
    cur_skip(b, 3);   /* reserved; Wireshark shows no item for it */
    if (!dec_check(d, pi->item, b, "NAT-OA"))
        return;
    if (type == ID_IPV4_ADDR)
        dec_bytes(d, pi->item, b, F_IKE_NAT_ORIGINAL_ADDRESS_IPV4, 4);
    else if (type == ID_IPV6_ADDR)
        dec_bytes(d, pi->item, b, F_IKE_NAT_ORIGINAL_ADDRESS_IPV6, 16);
    else if (cur_left(b))
        tree_note(d->m, pi->item, ISAKMP_SEV_NOTE, ISAKMP_NOTE_UNKNOWN,
                  "NAT-OA with ID type %u: address not decoded", type);
    cur_skip(b, cur_left(b));
}
