/*
 * GDOI payloads (RFC 6407): SA KEK (5.3), SA TEK (5.4), Key Download (5.6)
 * and Sequence Number (5.7).
 *
 * Differences from tshark 4.0.17, kept on purpose (checked with hand-built
 * messages, see tests/unit/test_v1_gdoi.c):
 *  - tshark reads a second generic payload header at the start of the SA
 *    KEK and SA TEK bodies (ike.sak.nextpayload / reserved / payload_len and
 *    ike.sat.nextpayload / ..., plus an extra ike.typepayload in SA TEK),
 *    although RFC 6407 has a single one: every later field is then read 4
 *    bytes off.  We read the RFC layout and never add those items; the body
 *    fields below match what tshark prints when the body is preceded by the
 *    4 bytes it expects.
 *  - tshark decodes the bytes after the KEK RESERVED2 field and after the
 *    TEK SPI as further SA TEK payloads; RFC 6407 has KEK attributes
 *    (5.3.1) and RFC 2407 SA attributes there, which is what we show.
 */
/* payload-bodies: v1 15 16 17 18 + v1_attr.c + v1_sa.c */
#include "payloads/v1/v1.h"

#define GDOI_TEK_ESP 1   /* RFC 6407 5.4: PROTO_IPSEC_ESP */
#define GDOI_TEK_AH 2    /* RFC 6407 5.4: PROTO_IPSEC_AH, same layout as ESP */

/* The fields of one SRC or DST identity. */
typedef struct {
    int type, port, length, data;
} gdoi_id_fields;

/* Typed parts of identity data (RFC 2407 4.6.2 ID types), shown with the
 * ID payload's fields as tshark does in SA TEK: up to two fixed parts. */
static const struct {
    uint8_t type;
    int first, second;
    size_t size;
} id_parts[] = {
    { 1, F_ID_DATA_IPV4_ADDR, 0, 4 },
    { 4, F_ID_DATA_IPV4_ADDR, F_ID_DATA_IPV4_SUBNET, 4 },
    { 5, F_ID_DATA_IPV6_ADDR, 0, 16 },
    { 6, F_ID_DATA_IPV6_ADDR, F_ID_DATA_IPV6_SUBNET, 16 },
    { 7, F_ID_DATA_IPV4_RANGE_START, F_ID_DATA_IPV4_RANGE_END, 4 },
    { 8, F_ID_DATA_IPV6_RANGE_START, F_ID_DATA_IPV6_RANGE_END, 16 },
};

/* Adds the typed parts of identity data c (of ID type `type`) under item. */
static void id_data(dec_t *d, uint32_t item, uint8_t type, cur_t *c)
{
    for (size_t i = 0; i < G_N_ELEMENTS(id_parts); i++) {
        if (id_parts[i].type != type)
            continue;
        const int parts[2] = { id_parts[i].first, id_parts[i].second };
        for (size_t p = 0; p < 2 && parts[p]; p++) {
            if (cur_left(c) < id_parts[i].size) {
                tree_note(d->m, item, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED,
                          "Identification data too short: %zu bytes left, %zu needed",
                          cur_left(c), id_parts[i].size);
                return;
            }
            size_t off = cur_skip(c, id_parts[i].size);
            tree_add(d->m, item, parts[p], c->src, off, id_parts[i].size);
        }
        return;
    }
}

/* SRC/DST identity: type, port, data length (1 octet in SA KEK 5.3, 2 in
 * SA TEK 5.4.1), data.  `typed`: decode the data by ID type. */
static void gdoi_id(dec_t *d, uint32_t parent, cur_t *b, const gdoi_id_fields *f,
                    size_t lensize, bool typed)
{
    uint8_t type = cur_peek_u8(b, 0);
    size_t len = lensize == 1 ? cur_peek_u8(b, 3) : cur_peek_u16(b, 3);
    uint32_t x = dec_u8(d, parent, b, f->type);
    if (x)
        tree_set_vals(d->m, x, iana_ipsec_doi_identification_types);
    dec_u16(d, parent, b, f->port);
    if (lensize == 1)
        dec_u8(d, parent, b, f->length);
    else
        dec_u16(d, parent, b, f->length);
    if (!cur_ok(b))
        return;
    cur_t data = *b;
    uint32_t item = dec_bytes(d, parent, b, f->data, len);
    if (typed && cur_ok(b)) {
        cur_t part;
        cur_child(&data, len, &part);
        id_data(d, item, type, &part);
    }
}

/* RFC 6407 5.3: protocol, source and destination identities, the 16-byte
 * SPI (the KEK's ISAKMP cookie pair), RESERVED2 (4 octets), then the KEK
 * attributes (5.3.1), shown with the generic Key Download attribute fields. */
void v1_p_sak(dec_t *d, cur_t *b, const payload_info *pi)
{
    static const gdoi_id_fields src = { F_SAK_SRC_ID_TYPE, F_SAK_SRC_ID_PORT,
                                        F_SAK_SRC_ID_LENGTH, F_SAK_SRC_ID_DATA };
    static const gdoi_id_fields dst = { F_SAK_DST_ID_TYPE, F_SAK_DST_ID_PORT,
                                        F_SAK_DST_ID_LENGTH, F_SAK_DST_ID_DATA };
    uint32_t x = dec_u8(d, pi->item, b, F_SAK_PROTOID);
    if (x)
        tree_set_vals(d->m, x, v1_ip_protocols);
    gdoi_id(d, pi->item, b, &src, 1, false);
    if (cur_ok(b))
        gdoi_id(d, pi->item, b, &dst, 1, false);
    if (cur_ok(b))
        dec_bytes(d, pi->item, b, F_SAK_SPI, 16);
    if (cur_ok(b))
        dec_bytes(d, pi->item, b, F_RESERVED, 4);
    if (dec_check(d, pi->item, b, "SA KEK"))
        v1_attrs(d, pi->item, b, &v1_kd_attrs);
}

/* RFC 6407 5.4: protocol ID, then for ESP and AH (5.4.1, 5.4.2) the IP
 * protocol, identities, transform ID, SPI and RFC 2407 SA attributes; the
 * body of other TEK protocols is shown raw. */
void v1_p_sat(dec_t *d, cur_t *b, const payload_info *pi)
{
    static const gdoi_id_fields src = { F_SAT_SRC_ID_TYPE, F_SAT_SRC_ID_PORT,
                                        F_SAT_SRC_ID_LENGTH, F_SAT_SRC_ID_DATA };
    static const gdoi_id_fields dst = { F_SAT_DST_ID_TYPE, F_SAT_DST_ID_PORT,
                                        F_SAT_DST_ID_LENGTH, F_SAT_DST_ID_DATA };
    uint8_t proto = cur_peek_u8(b, 0);
    dec_u8(d, pi->item, b, F_SAT_PROTOCOL_ID);
    if (proto != GDOI_TEK_ESP && proto != GDOI_TEK_AH) {
        if (cur_left(b))
            dec_rest(d, pi->item, b, F_SAT_PAYLOAD);
        return;
    }
    uint32_t x = dec_u8(d, pi->item, b, F_SAT_PROTOCOL);
    if (x)
        tree_set_vals(d->m, x, v1_ip_protocols);
    if (cur_ok(b))
        gdoi_id(d, pi->item, b, &src, 2, true);
    if (cur_ok(b))
        gdoi_id(d, pi->item, b, &dst, 2, true);
    x = cur_ok(b) ? dec_u8(d, pi->item, b, F_SAT_TRANSFORM_ID) : 0;
    if (x)
        tree_set_vals(d->m, x, proto == GDOI_TEK_AH ? iana_ipsec_doi_ah_transform_ids
                                                    : iana_ipsec_doi_esp_transform_ids);
    if (cur_ok(b))
        dec_bytes(d, pi->item, b, F_SAT_SPI, 4);
    if (dec_check(d, pi->item, b, "SA TEK"))
        v1_attrs(d, pi->item, b, &v1_ipsec_attrs);
}

/* One key packet (5.6): type, reserved, length (of the whole packet),
 * SPI size, SPI, attributes. */
static void kd_packet(dec_t *d, uint32_t parent, cur_t *b)
{
    uint16_t len = cur_left(b) >= 4 ? cur_peek_u16(b, 2) : 0;
    cur_t k;
    cur_child(b, len >= 4 ? len : cur_left(b), &k);
    uint32_t item = tree_add(d->m, parent, F_KD_PAYLOAD, k.src, cur_off(&k), cur_left(&k));
    uint8_t spisize = cur_peek_u8(&k, 4);
    dec_u8(d, item, &k, F_KD_PAYLOAD_TYPE);
    dec_bytes(d, item, &k, F_RESERVED, 1);
    dec_u16(d, item, &k, F_KD_PAYLOAD_LENGTH);
    if (len < 5) {
        tree_note(d->m, item, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED,
                  "Key packet length %u is less than its 5-byte header", len);
        return;
    }
    dec_u8(d, item, &k, F_KD_PAYLOAD_SPI_SIZE);
    if (spisize && cur_ok(&k))
        dec_bytes(d, item, &k, F_KD_PAYLOAD_SPI, spisize);
    if (dec_check(d, item, &k, "Key packet"))
        v1_attrs(d, item, &k, &v1_kd_attrs);
}

/* RFC 6407 5.6: number of key packets, RESERVED2, then the key packets. */
void v1_p_kd(dec_t *d, cur_t *b, const payload_info *pi)
{
    uint16_t count = cur_left(b) >= 2 ? cur_peek_u16(b, 0) : 0;
    dec_u16(d, pi->item, b, F_KD_NUM_PKT);
    dec_bytes(d, pi->item, b, F_RESERVED, 2);
    unsigned i = 0;
    for (; i < count && cur_ok(b) && cur_left(b) > 0; i++)
        kd_packet(d, pi->item, b);
    if (cur_ok(b) && i < count)
        tree_note(d->m, pi->item, ISAKMP_SEV_ERROR,
                  b->clip == CUR_TRUNCATED ? ISAKMP_NOTE_TRUNCATED : ISAKMP_NOTE_MALFORMED,
                  "Key Download announces %u key packets but holds %u", count, i);
}

/* RFC 6407 5.7: the 32-bit sequence number. */
void v1_p_seq(dec_t *d, cur_t *b, const payload_info *pi)
{
    dec_u32(d, pi->item, b, F_SEQ_SEQ);
}
