/*
 * GDOI payloads (RFC 6407): SA KEK (5.3), SA TEK (5.4), Key Download (5.6)
 * and Sequence Number (5.7).
 */
#include "v1.h"

#define GDOI_PROTO_IPSEC_ESP 1

/* SRC/DST identity (5.3, 5.4.1): type, port, data length, data. */
static void gdoi_id(dec_t *d, uint32_t item, cur_t *b, const int f[4])
{
    uint8_t len = cur_peek_u8(b, 3);
    dec_u8(d, item, b, f[0]);
    dec_u16(d, item, b, f[1]);
    dec_u8(d, item, b, f[2]);
    if (cur_ok(b))
        dec_bytes(d, item, b, f[3], len);
}

/* RFC 6407 5.3: protocol, source and destination identities, the 16-byte
 * SPI, then KEK attributes (shown raw). */
void v1_p_sak(dec_t *d, cur_t *b, const payload_info *pi)
{
    static const int src[4] = { F_SAK_SRC_ID_TYPE, F_SAK_SRC_ID_PORT, F_SAK_SRC_ID_LENGTH,
                                F_SAK_SRC_ID_DATA };
    static const int dst[4] = { F_SAK_DST_ID_TYPE, F_SAK_DST_ID_PORT, F_SAK_DST_ID_LENGTH,
                                F_SAK_DST_ID_DATA };
    dec_u8(d, pi->item, b, F_SAK_PROTOID);
    gdoi_id(d, pi->item, b, src);
    gdoi_id(d, pi->item, b, dst);
    dec_bytes(d, pi->item, b, F_SAK_SPI, 16);
    if (dec_check(d, pi->item, b, "SA KEK"))
        v1_attrs(d, pi->item, b, &v1_kd_attrs);
}

/* RFC 6407 5.4: protocol ID, then for ESP (5.4.1) the protocol, identities,
 * transform ID, SPI and RFC 2407 SA attributes; other TEK protocols raw. */
void v1_p_sat(dec_t *d, cur_t *b, const payload_info *pi)
{
    static const int src[4] = { F_SAT_SRC_ID_TYPE, F_SAT_SRC_ID_PORT, F_SAT_SRC_ID_LENGTH,
                                F_SAT_SRC_ID_DATA };
    static const int dst[4] = { F_SAT_DST_ID_TYPE, F_SAT_DST_ID_PORT, F_SAT_DST_ID_LENGTH,
                                F_SAT_DST_ID_DATA };
    uint8_t proto = cur_peek_u8(b, 0);
    dec_u8(d, pi->item, b, F_SAT_PROTOCOL_ID);
    if (proto != GDOI_PROTO_IPSEC_ESP) {
        if (cur_left(b))
            dec_rest(d, pi->item, b, F_SAT_PAYLOAD);
        return;
    }
    dec_u8(d, pi->item, b, F_SAT_PROTOCOL);
    gdoi_id(d, pi->item, b, src);
    gdoi_id(d, pi->item, b, dst);
    uint32_t x = dec_u8(d, pi->item, b, F_SAT_TRANSFORM_ID);
    if (x)
        tree_set_vals(d->m, x, iana_ipsec_doi_esp_transform_ids);
    dec_bytes(d, pi->item, b, F_SAT_SPI, 4);
    if (dec_check(d, pi->item, b, "SA TEK"))
        v1_attrs(d, pi->item, b, &v1_ipsec_attrs);
}

/* RFC 6407 5.6: number of key packets, reserved, then each key packet:
 * type, reserved, length, SPI size, SPI, attributes. */
void v1_p_kd(dec_t *d, cur_t *b, const payload_info *pi)
{
    uint16_t count = cur_left(b) >= 2 ? cur_peek_u16(b, 0) : 0;
    dec_u16(d, pi->item, b, F_KD_NUM_PKT);
    dec_bytes(d, pi->item, b, F_RESERVED, 2);
    for (unsigned i = 0; i < count && cur_ok(b) && cur_left(b) > 0; i++) {
        uint16_t len = cur_left(b) >= 4 ? cur_peek_u16(b, 2) : 0;
        cur_t k;
        cur_child(b, len >= 4 ? len : cur_left(b), &k);
        uint32_t item = tree_add(d->m, pi->item, F_KD_PAYLOAD, k.src, cur_off(&k), cur_left(&k));
        uint8_t spisize = cur_peek_u8(&k, 4);
        dec_u8(d, item, &k, F_KD_PAYLOAD_TYPE);
        dec_bytes(d, item, &k, F_RESERVED, 1);
        dec_u16(d, item, &k, F_KD_PAYLOAD_LENGTH);
        dec_u8(d, item, &k, F_KD_PAYLOAD_SPI_SIZE);
        if (spisize)
            dec_bytes(d, item, &k, F_KD_PAYLOAD_SPI, spisize);
        if (len < 4)
            tree_note(d->m, item, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED,
                      "Key packet length %u is less than its header", len);
        else if (dec_check(d, item, &k, "Key packet"))
            v1_attrs(d, item, &k, &v1_kd_attrs);
    }
}

/* RFC 6407 5.7: the 32-bit sequence number. */
void v1_p_seq(dec_t *d, cur_t *b, const payload_info *pi)
{
    dec_u32(d, pi->item, b, F_SEQ_SEQ);
}
