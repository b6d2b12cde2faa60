/*
 * GDOI payloads (decoder/v1_gdoi.c, RFC 6407): SA KEK (15), SA TEK (16),
 * Key Download (17) and Sequence Number (18) from hand-built GROUPKEY-PULL
 * (exchange 32) and GROUPKEY-PUSH (33) messages, plus truncation at every
 * offset and lengths that lie (tu_decode puts the bytes at the end of a heap
 * block, so any over-read trips ASan).
 *
 * How the expected values were checked against tshark 4.0.17 (each message
 * in a pcap, tshark -T fields -e isakmp.X against isakmpdump -T fields -e
 * ike.X):
 *  - push_hex (SEQ, KD with three key packets): every field compared
 *    directly; tshark prints exactly these values in this order.
 *  - sa_hex (SAK, SAT ESP, SAT AH, SAT of an unknown protocol): tshark reads
 *    a second generic header at the start of each SA KEK / SA TEK body
 *    (ike.sak.nextpayload/reserved/payload_len, ike.sat.nextpayload/...),
 *    which RFC 6407 does not have, and then decodes the KEK and TEK
 *    attributes as further SA TEK payloads.  Both are wrong on valid input,
 *    so the decoder keeps the RFC layout (documented in v1_gdoi.c) and:
 *      * the sak.* / sat.* / id.data.* body fields were checked against
 *        tshark on the same message with the 4 bytes tshark expects inserted
 *        at the start of each SAK / SAT body (and no attributes);
 *      * the KEK attribute bytes were checked against tshark decoding the
 *        same bytes in a Key Download key packet (key_download.attr.*), the
 *        TEK attribute bytes against tshark decoding them in an IKE SA ESP
 *        transform (ipsec.attr.*);
 *      * the generic header fields (typepayload ... reserved) and the
 *        absence of the phantom-header fields follow the RFC 6407 bytes,
 *        not tshark (which prints garbage there).
 */
#include <string.h>

#include "testutil.h"

typedef const char *const expect_t[2];

static const char *const sa_hex =
    "010203040506070811121314151617180f10200001020304000000ec1000004f11010350040a0000010200000a6b732e"
    "6578616d706c65a0a1a2a3a4a5a6a7a8a9aaabacadaeaf00000000800100018002000380030080000400040001518080"
    "050002800600018007080010000039011104000000080a010000ffff00000113880004ef0202020cc0ffee0180010001"
    "00020004000070808004000180050002800601001000003d0211060000002020010db8000000000000000000000001ff"
    "ffffffffffffff000000000000000007000000080a0900010a09000902c0ffee010000000b03deadbeef0102";
static const expect_t sa_expect[] = {
    { "ike.typepayload", "15,16,16,16" },
    { "ike.nextpayload", "15,16,16,16,0" },
    { "ike.payloadlength", "79,57,61,11" },
    { "ike.reserved", "00,00000000,00,00,00" },
    { "ike.sak.protoid", "17" },
    { "ike.sak.src_id_type", "1" },
    { "ike.sak.src_id_port", "848" },
    { "ike.sak.src_id_length", "4" },
    { "ike.sak.src_id_data", "0a000001" },
    { "ike.sak.dst_id_type", "2" },
    { "ike.sak.dst_id_port", "0" },
    { "ike.sak.dst_id_length", "10" },
    { "ike.sak.dst_id_data", "6b732e6578616d706c65" },
    { "ike.sak.spi", "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf" },
    { "ike.sat.protocol_id", "1,2,3" },
    { "ike.sat.protocol", "17,17" },
    { "ike.sat.src_id_type", "4,6" },
    { "ike.sat.src_id_port", "0,0" },
    { "ike.sat.src_id_length", "8,32" },
    { "ike.sat.src_id_data", "0a010000ffff0000,20010db8000000000000000000000001ffffffffffffffff0000000000000000" },
    { "ike.sat.dst_id_type", "1,7" },
    { "ike.sat.dst_id_port", "5000,0" },
    { "ike.sat.dst_id_length", "4,8" },
    { "ike.sat.dst_id_data", "ef020202,0a0900010a090009" },
    { "ike.sat.transform_id", "12,2" },
    { "ike.sat.spi", "c0ffee01,c0ffee01" },
    { "ike.sat.payload", "deadbeef0102" },
    { "ike.id.data.ipv4_addr", "10.1.0.0,239.2.2.2" },
    { "ike.id.data.ipv4_subnet", "255.255.0.0" },
    { "ike.id.data.ipv6_addr", "2001:db8::1" },
    { "ike.id.data.ipv6_subnet", "ffff:ffff:ffff:ffff::" },
    { "ike.id.data.ipv4_range_start", "10.9.0.1" },
    { "ike.id.data.ipv4_range_end", "10.9.0.9" },
    { "ike.key_download.attr.format", "1,1,1,0,1,1,1" },
    { "ike.key_download.attr.type", "1,2,3,4,5,6,7" },
    { "ike.key_download.attr.length", "4" },
    { "ike.key_download.attr.value", "0001,0003,0080,00015180,0002,0001,0800" },
    { "ike.ipsec.attr.format", "1,0,1,1,1" },
    { "ike.ipsec.attr.type", "1,2,4,5,6" },
    { "ike.ipsec.attr.length", "4" },
    { "ike.ipsec.attr.value", "0001,00007080,0001,0002,0100" },
    { "ike.ipsec.attr.life_type", "1" },
    { "ike.ipsec.attr.life_duration", "28800" },
    { "ike.ipsec.attr.encap_mode", "1" },
    { "ike.ipsec.attr.auth_algorithm", "2" },
    { "ike.ipsec.attr.key_length", "256" },
    { "ike.sak.nextpayload", "" },
    { "ike.sak.reserved", "" },
    { "ike.sak.payload_len", "" },
    { "ike.sat.nextpayload", "" },
    { "ike.sat.reserved", "" },
    { "ike.sat.payload_len", "" },
    { NULL, NULL }
};

static const char *const push_hex =
    "010203040506070811121314151617181210210001020304000000a311000008010203040000007f0003000001000035"
    "04c0ffee0100010010000102030405060708090a0b0c0d0e0f000200141415161718191a1b1c1d1e1f20212223242526"
    "270200003910a0a1a2a3a4a5a6a7a8a9aaabacadaeaf0003001032333435363738393a3b3c3d3e3f4041000400084647"
    "48494a4b4c4d80070005040000090080010003";
static const expect_t push_expect[] = {
    { "ike.typepayload", "18,17" },
    { "ike.nextpayload", "18,17,0" },
    { "ike.payloadlength", "8,127" },
    { "ike.reserved", "00,00,0000,00,00,00" },
    { "ike.seq.seq", "16909060" },
    { "ike.kd.num_pkt", "3" },
    { "ike.kd.payload.type", "1,2,4" },
    { "ike.kd.payload.length", "53,57,9" },
    { "ike.kd.payload.spi_size", "4,16,0" },
    { "ike.kd.payload.spi", "c0ffee01,a0a1a2a3a4a5a6a7a8a9aaabacadaeaf" },
    { "ike.key_download.attr.format", "0,0,0,0,1,1" },
    { "ike.key_download.attr.type", "1,2,3,4,7,1" },
    { "ike.key_download.attr.length", "16,20,16,8" },
    { "ike.key_download.attr.value", "000102030405060708090a0b0c0d0e0f,1415161718191a1b1c1d1e1f2021222324252627,32333435363738393a3b3c3d3e3f4041,464748494a4b4c4d,0005,0003" },
    { NULL, NULL }
};

static void check_case(const char *hex, const expect_t *e)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode_hex(ctx, hex);
    for (; e[0][0]; e++) {
        char *got = tu_values(m, e[0][0]);
        if (g_strcmp0(got, e[0][1]) != 0)
            g_test_message("field %s", e[0][0]);
        g_assert_cmpstr(got, ==, e[0][1]);
        g_free(got);
    }
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 0);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_TRUNCATED), ==, 0);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

static void test_sa_kek_tek(void) { check_case(sa_hex, sa_expect); }
static void test_push_seq_kd(void) { check_case(push_hex, push_expect); }

/* Every prefix of both messages: no over-read, and a truncation note once
 * the header is there. */
static void test_truncation(void)
{
    const char *const all[] = { sa_hex, push_hex };
    tu_check_prefixes(all, G_N_ELEMENTS(all));
}

/* Sets the big-endian 16-bit value at byte offset `at` (message offsets). */
static void put16(uint8_t *b, size_t at, uint16_t v)
{
    b[at] = (uint8_t)(v >> 8);
    b[at + 1] = (uint8_t)v;
}

/* Decodes b with one patch applied; returns the malformed + truncated note
 * count. */
static size_t notes_with(const char *hex, size_t at, size_t width, unsigned v)
{
    size_t len;
    uint8_t *b = tu_hex(hex, &len);
    if (width == 1)
        b[at] = (uint8_t)v;
    else
        put16(b, at, (uint16_t)v);
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode(ctx, b, len);
    size_t n = tu_note_count(m, ISAKMP_NOTE_MALFORMED) + tu_note_count(m, ISAKMP_NOTE_TRUNCATED);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
    g_free(b);
    return n;
}

/* Lengths that lie, at the offsets of sa_hex / push_hex (header is 28
 * bytes; SAK body at 32, first SAT at 107, its body at 111; SEQ at 28, KD
 * at 36, its body at 40, first key packet at 44). */
static void test_lying_lengths(void)
{
    /* SAK SRC ID data length 0xff: beyond the payload */
    g_assert_cmpuint(notes_with(sa_hex, 36, 1, 0xff), >=, 1);
    /* SAK DST ID data length beyond the payload */
    g_assert_cmpuint(notes_with(sa_hex, 44, 1, 0xff), >=, 1);
    /* SAT SRC ID data length 0xffff (2 octets) */
    g_assert_cmpuint(notes_with(sa_hex, 116, 2, 0xffff), >=, 1);
    /* SAT IPv4-subnet data of 3 bytes: too short for the typed parts */
    g_assert_cmpuint(notes_with(sa_hex, 116, 2, 3), >=, 1);
    /* key packet length below its header, and beyond the payload */
    g_assert_cmpuint(notes_with(push_hex, 46, 2, 2), >=, 1);
    g_assert_cmpuint(notes_with(push_hex, 46, 2, 0x400), >=, 1);
    /* more key packets announced than present */
    g_assert_cmpuint(notes_with(push_hex, 40, 2, 9), >=, 1);
    /* key packet SPI size beyond the key packet */
    g_assert_cmpuint(notes_with(push_hex, 48, 1, 0xf0), >=, 1);
    /* SEQ payload of length 6 (2 bytes short of the number) */
    g_assert_cmpuint(notes_with(push_hex, 30, 2, 6), >=, 1);
}

/* Single-byte corruption of every body position never crashes. */
static void test_corruption(void)
{
    const char *const all[] = { sa_hex, push_hex };
    isakmp_ctx *ctx = isakmp_ctx_new();
    for (size_t k = 0; k < G_N_ELEMENTS(all); k++) {
        size_t len;
        uint8_t *b = tu_hex(all[k], &len);
        for (size_t i = 28; i < len; i++) {
            static const uint8_t vals[] = { 0x00, 0x01, 0x02, 0x7f, 0xff };
            for (size_t v = 0; v < G_N_ELEMENTS(vals); v++) {
                uint8_t save = b[i];
                b[i] = vals[v];
                isakmp_msg_free(tu_decode(ctx, b, len));
                b[i] = save;
            }
        }
        g_free(b);
    }
    isakmp_ctx_free(ctx);
}

/* SA TEK identity lengths are 2 octets (RFC 6407 5.4.1): 16-bit fields, as
 * in Wireshark 4.4 (4.0 typed them 8-bit but read 2 octets too: both print
 * 300 for this length). */
static void test_sat_id_length_16_bits(void)
{
    g_assert_cmpint(isakmp_field_by_abbrev("ike.sat.src_id_length")->type, ==, ISAKMP_FT_UINT16);
    g_assert_cmpint(isakmp_field_by_abbrev("ike.sat.dst_id_length")->type, ==, ISAKMP_FT_UINT16);
    GByteArray *b = g_byte_array_new();
    size_t n;
    uint8_t *head = tu_hex("0102030405060708 1112131415161718 10 10 20 00 00000001 00000000"
                           "00 00 0000 01 11 01 0000 012c", &n);
    g_byte_array_append(b, head, (guint)n);
    g_free(head);
    for (int i = 0; i < 300; i++)
        g_byte_array_append(b, (const guint8 *)"\x0a", 1);
    uint8_t *tail = tu_hex("01 1388 0004 ef020202 0c c0ffee01", &n);
    g_byte_array_append(b, tail, (guint)n);
    g_free(tail);
    tu_put16(b, 30, b->len - 28);
    tu_put32(b, 24, b->len);
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode(ctx, b->data, b->len);
    tu_assert_values(m, "ike.sat.src_id_length", "300");
    tu_assert_values(m, "ike.sat.dst_id_length", "4");
    tu_assert_values(m, "ike.sat.dst_id_port", "5000");
    tu_assert_values(m, "ike.sat.spi", "c0ffee01");
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 0);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
    g_byte_array_free(b, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/gdoi/sa_kek_sa_tek", test_sa_kek_tek);
    g_test_add_func("/gdoi/seq_key_download", test_push_seq_kd);
    g_test_add_func("/gdoi/sat_id_length_16_bits", test_sat_id_length_16_bits);
    g_test_add_func("/gdoi/malformed/truncation", test_truncation);
    g_test_add_func("/gdoi/malformed/lying_lengths", test_lying_lengths);
    g_test_add_func("/gdoi/malformed/corruption", test_corruption);
    return g_test_run();
}
