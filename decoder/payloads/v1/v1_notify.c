/*
 * IKEv1 Notification (RFC 2408 3.14, IPsec DOI status types RFC 2407 4.6.3,
 * DPD RFC 3706 section 5, Cisco Unity load balance) and Delete (RFC 2408
 * 3.15) payloads.
 */
/* payload-bodies: v1 11 12 + v1_attr.c */
#include "payloads/v1/v1.h"

#define PROTO_ISAKMP 1
#define N_RESPONDER_LIFETIME 24576
#define N_R_U_THERE 36136
#define N_R_U_THERE_ACK 36137
#define N_UNITY_LOAD_BALANCE 40501

/* RFC 2407 4.6.3.1: the lifetime attributes a responder chose. */
static const v1_attr_map resp_ike_map[] = {
    { 11, F_NOTIFY_DATA_RESP_LIFETIME_IKE_ATTR_LIFE_TYPE, AV_UINT, NULL },
    { 12, F_NOTIFY_DATA_RESP_LIFETIME_IKE_ATTR_LIFE_DURATION, AV_LIFE, NULL },
    { 0, 0, AV_UINT, NULL }
};

static const v1_attr_map resp_ipsec_map[] = {
    { 1, F_NOTIFY_DATA_RESP_LIFETIME_IPSEC_ATTR_LIFE_TYPE, AV_UINT, NULL },
    { 2, F_NOTIFY_DATA_RESP_LIFETIME_IPSEC_ATTR_LIFE_DURATION, AV_LIFE, NULL },
    { 0, 0, AV_UINT, NULL }
};

const v1_attr_family v1_resp_ike_attrs = {
    F_NOTIFY_DATA_RESP_LIFETIME_IKE_ATTR, F_NOTIFY_DATA_RESP_LIFETIME_IKE_ATTR_FORMAT,
    F_NOTIFY_DATA_RESP_LIFETIME_IKE_ATTR_TYPE, F_NOTIFY_DATA_RESP_LIFETIME_IKE_ATTR_LENGTH,
    F_NOTIFY_DATA_RESP_LIFETIME_IKE_ATTR_VALUE, iana_ikev1_attribute_classes, resp_ike_map,
    "IKE Attribute", NULL, false, NULL, 0,
};

const v1_attr_family v1_resp_ipsec_attrs = {
    F_NOTIFY_DATA_RESP_LIFETIME_IPSEC_ATTR, F_NOTIFY_DATA_RESP_LIFETIME_IPSEC_ATTR_FORMAT,
    F_NOTIFY_DATA_RESP_LIFETIME_IPSEC_ATTR_TYPE, F_NOTIFY_DATA_RESP_LIFETIME_IPSEC_ATTR_LENGTH,
    F_NOTIFY_DATA_RESP_LIFETIME_IPSEC_ATTR_VALUE, iana_ipsec_doi_sa_attribute_classes,
    resp_ipsec_map, "IPsec Attribute", NULL, false, NULL, 0,
};

/* A fixed-size value after the notification data, when it is all there. */
static void data_value(dec_t *d, uint32_t parent, const cur_t *data, int field, size_t n)
{
    if (cur_left(data) < n) {
        tree_note(d->m, parent, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED,
                  "Notification data of %zu bytes is too short (%zu expected)", cur_left(data), n);
        return;
    }
    cur_t v = *data;
    size_t off = cur_off(&v);   /* before the read: argument order is unspecified */
    uint64_t value = v1_uint(&v, n);
    tree_add_uint(d->m, parent, field, v.src, off, n, value);
}

static void notify_data(dec_t *d, uint32_t parent, uint16_t type, uint8_t proto, cur_t *b)
{
    cur_t data;
    cur_rest(b, &data);
    uint32_t item = tree_add(d->m, parent, F_NOTIFY_DATA, data.src, cur_off(&data),
                             cur_left(&data));
    switch (type) {
    case N_RESPONDER_LIFETIME:
        v1_attrs(d, item, &data, proto == PROTO_ISAKMP ? &v1_resp_ike_attrs : &v1_resp_ipsec_attrs);
        break;
    case N_R_U_THERE:
        data_value(d, parent, &data, F_NOTIFY_DATA_DPD_ARE_YOU_THERE, 4);
        break;
    case N_R_U_THERE_ACK:
        data_value(d, parent, &data, F_NOTIFY_DATA_DPD_ARE_YOU_THERE_ACK, 4);
        break;
    case N_UNITY_LOAD_BALANCE:
        if (cur_left(&data) >= 4)
            tree_add(d->m, parent, F_NOTIFY_DATA_UNITY_LOAD_BALANCE, data.src, cur_off(&data), 4);
        else
            data_value(d, parent, &data, F_NOTIFY_DATA_UNITY_LOAD_BALANCE, 4);
        break;
    default:
        break;
    }
    cur_skip(b, cur_left(b));
}

void v1_p_notify(dec_t *d, cur_t *b, const payload_info *pi)
{
    uint8_t proto = cur_peek_u8(b, 4), spisize = cur_peek_u8(b, 5);
    bool typed = cur_left(b) >= 8;   /* the type is there, whatever follows */
    uint16_t type = typed ? cur_peek_u16(b, 6) : 0;
    uint32_t doi = (uint32_t)cur_peek_u16(b, 0) << 16 | cur_peek_u16(b, 2);
    dec_u32(d, pi->item, b, F_NOTIFY_DOI);
    uint32_t x = dec_u8(d, pi->item, b, F_NOTIFY_PROTOID);
    if (x)
        tree_set_vals(d->m, x, iana_ipsec_doi_security_protocol_ids);
    dec_u8(d, pi->item, b, F_SPISIZE);
    x = dec_u16(d, pi->item, b, F_NOTIFY_MSGTYPE);
    if (x)
        tree_set_vals(d->m, x, iana_ikev1_notify_message_types_combined);
    isakmp_span spi = facts_span(b->src, cur_off(b), spisize);
    if (spisize)
        dec_bytes(d, pi->item, b, F_SPI, spisize);
    bool whole = dec_check(d, pi->item, b, "Notification");
    /* a notify whose SPI is cut still says its type (the tree shows it) */
    if (typed && facts_on(d))
        facts_add_notifies(d->m, &(isakmp_fact_notify){ facts_cur(d), type, doi, proto, spisize,
                                                         spi, whole ? facts_rest(b)
                                                                    : facts_span(b->src, 0, 0) });
    if (whole)
        notify_data(d, pi->item, type, proto, b);
}

/* RFC 2408 3.15: DOI, protocol, SPI size, count, then the SPIs. */
void v1_p_delete(dec_t *d, cur_t *b, const payload_info *pi)
{
    uint8_t spisize = cur_peek_u8(b, 5);
    uint16_t count = cur_left(b) >= 8 ? cur_peek_u16(b, 6) : 0;
    isakmp_fact_delete fact = { .payload = facts_cur(d),
                                .doi = (uint32_t)cur_peek_u16(b, 0) << 16 | cur_peek_u16(b, 2),
                                .protocol = cur_peek_u8(b, 4), .spi_size = spisize,
                                .count = count };
    dec_u32(d, pi->item, b, F_DELETE_DOI);
    uint32_t x = dec_u8(d, pi->item, b, F_DELETE_PROTOID);
    if (x)
        tree_set_vals(d->m, x, iana_ipsec_doi_security_protocol_ids);
    dec_u8(d, pi->item, b, F_SPISIZE);
    dec_u16(d, pi->item, b, F_SPINUM);
    size_t start = cur_off(b);
    if (!dec_check(d, pi->item, b, "Delete"))
        return;
    for (unsigned i = 0; spisize && i < count && cur_left(b) > 0; i++)
        dec_bytes(d, pi->item, b, F_DELETE_SPI, spisize);
    fact.spis = facts_span(b->src, start, cur_off(b) - start);
    if (facts_on(d))
        facts_add_deletes(d->m, &fact);
}
