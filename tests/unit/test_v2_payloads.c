/*
 * IKEv2 payload parsers (decoder/v2_*.c): every payload type decoded from
 * real bytes, compared with what tshark 4.0.17 prints for the same message
 * (test_v2_cases.inc), and malformed inputs (lengths that lie, zero lengths,
 * truncation) placed at the end of a heap block so over-reads trip ASan.
 */
#include <string.h>

#include "testutil.h"

typedef struct {
    const char *field, *value;
} tshark_value;

typedef struct {
    const char *name, *hex;
    const tshark_value *values;
} tshark_case;

#include "test_v2_cases.inc"

static void test_tshark_case(gconstpointer data)
{
    const tshark_case *tc = data;
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode_hex(ctx, tc->hex);
    for (const tshark_value *v = tc->values; v->field; v++) {
        char *got = tu_values(m, v->field);
        if (strcmp(got, v->value) != 0)
            g_test_message("%s: %s = '%s', tshark '%s'", tc->name, v->field, got, v->value);
        g_assert_cmpstr(got, ==, v->value);
        g_free(got);
    }
    /* well-formed messages: warnings allowed (an odd attribute size), errors not */
    size_t n;
    const isakmp_note *notes = isakmp_msg_notes(m, &n);
    for (size_t i = 0; i < n; i++)
        g_assert_cmpint(notes[i].severity, <, ISAKMP_SEV_ERROR);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* ---------------------------------------------------------------- helpers */

/* An IKEv2 IKE_AUTH header for a payload chain `body` (hex) starting with `first`. */
static isakmp_msg *v2(isakmp_ctx *ctx, uint8_t first, const char *body)
{
    size_t n;
    uint8_t *b = tu_hex(body, &n);
    uint8_t *msg = g_malloc(28 + n);
    static const uint8_t spis[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18 };
    memcpy(msg, spis, 16);
    uint8_t rest[12] = { first, 0x20, 35, 0x08, 0, 0, 0, 1,
                         (uint8_t)((28 + n) >> 24), (uint8_t)((28 + n) >> 16), (uint8_t)((28 + n) >> 8),
                         (uint8_t)(28 + n) };
    memcpy(msg + 16, rest, 12);
    memcpy(msg + 28, b, n);
    isakmp_msg *m = tu_decode(ctx, msg, 28 + n);
    g_free(msg);
    g_free(b);
    return m;
}

/* True when some item's custom label is `want`. */
static bool has_label(const isakmp_item *it, const char *want)
{
    for (const isakmp_item *c = isakmp_item_first_child(it); c; c = isakmp_item_next(c)) {
        const char *l = isakmp_item_label(c);
        if ((l && strcmp(l, want) == 0) || has_label(c, want))
            return true;
    }
    return false;
}

/* ---------------------------------------------------------------- malformed */

/* A TLV attribute of 8 bytes in a transform with room for 2: clipped, no
 * key length, a malformed note, and the KE payload after it intact. */
static void test_attr_overruns_transform(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = v2(ctx, 33, "2200001a 00000016 01010001 0000000e 0100000c 000e0008 0100"
                                "00000010 00130000 aaaaaaaaaaaaaaaa");
    tu_assert_values(m, "ike.ike2.attr.type", "14");
    tu_assert_values(m, "ike.ike2.attr.length", "8");
    tu_assert_values(m, "ike.ike2.attr.value", "0100");
    tu_assert_values(m, "ike.ike2.attr.key_length", "");
    tu_assert_values(m, "ike.key_exchange.dh_group", "19");
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), >=, 1);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* A proposal that claims 200 bytes inside a 20-byte SA payload. */
static void test_proposal_length_lies(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = v2(ctx, 33, "22000014 000000c8 01010001 00000008 0100000c 00000010 00130000 aaaaaaaaaaaaaaaa");
    tu_assert_values(m, "ike.payloadlength", "20,200,8,16");
    tu_assert_values(m, "ike.tf.id.encr", "12");
    tu_assert_values(m, "ike.key_exchange.dh_group", "19");
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), >=, 1);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* Four transforms announced, two present (tshark: "Not enough room"). */
static void test_transform_count_lies(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode_hex(ctx, tshark_cases[0].hex);   /* sanity: well formed */
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 0);
    isakmp_msg_free(m);
    m = v2(ctx, 33, "00000020 0000001c 01010004 0300000c 0100000c 800e0100 00000008 0300000c");
    tu_assert_values(m, "ike.typepayload", "33,2,3,3");
    g_assert_nonnull(strstr(tu_note_text(m, ISAKMP_NOTE_MALFORMED), "4 transforms"));
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* Zero lengths: a transform of length 0 stops the proposal; an attribute
 * TLV of length 0 has no value; a payload of length 0 stops the chain. */
static void test_zero_lengths(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = v2(ctx, 33, "00000010 0000000c 01010002 00000000");
    tu_assert_values(m, "ike.payloadlength", "16,12,0");
    g_assert_nonnull(strstr(tu_note_text(m, ISAKMP_NOTE_MALFORMED), "less than its 4-byte header"));
    isakmp_msg_free(m);
    m = v2(ctx, 47, "0000000c 02000000 00010000");
    tu_assert_values(m, "ike.cfg.attr.length", "0");
    tu_assert_values(m, "ike.cfg.attr.value", "");
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 0);
    isakmp_msg_free(m);
    m = v2(ctx, 40, "29000000 00000008 00000000");
    tu_assert_values(m, "ike.typepayload", "40");
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 1);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* Every prefix of a message with all structured payloads: never reads
 * past the bytes (ASan), always says truncated when cut inside. */
static void test_truncation_everywhere(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    for (size_t k = 0; k < G_N_ELEMENTS(tshark_cases); k++) {
        size_t n;
        uint8_t *b = tu_hex(tshark_cases[k].hex, &n);
        for (size_t cut = 29; cut < n; cut++) {
            isakmp_msg *m = tu_decode(ctx, b, cut);
            g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_TRUNCATED), >=, 1);
            isakmp_msg_free(m);
        }
        g_free(b);
    }
    isakmp_ctx_free(ctx);
}

/* Selector lengths that lie: shorter than the selector, longer than the payload. */
static void test_ts_selector_length_wrong(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = v2(ctx, 44, "00000018 01000000 0700000c 0000ffff 00000000 ffffffff");
    tu_assert_values(m, "ike.ts.selector_length", "12");
    tu_assert_values(m, "ike.ts.start_ipv4", "0.0.0.0");
    tu_assert_values(m, "ike.ts.end_ipv4", "");
    g_assert_nonnull(tu_note_text(m, ISAKMP_NOTE_MALFORMED));
    isakmp_msg_free(m);
    m = v2(ctx, 44, "00000018 02000000 07000010 0000ffff 00000000 ffffffff");
    tu_assert_values(m, "ike.ts.end_ipv4", "255.255.255.255");
    g_assert_nonnull(strstr(tu_note_text(m, ISAKMP_NOTE_MALFORMED), "2 traffic selectors, holds 1"));
    isakmp_msg_free(m);
    m = v2(ctx, 44, "00000010 01000000 07000002 0000ffff");
    g_assert_nonnull(strstr(tu_note_text(m, ISAKMP_NOTE_MALFORMED), "Selector length 2"));
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* Notify data shorter than its structure, CERTREQ hashes cut, Delete SPIs cut. */
static void test_short_structures(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = v2(ctx, 41, "0000000b 00004019 000000");   /* TICKET_LT_OPAQUE, 3 bytes */
    tu_assert_values(m, "ike.notify.data", "000000");
    tu_assert_values(m, "ike.notify.data.ticket_opaque.lifetime", "");
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 1);
    isakmp_msg_free(m);
    m = v2(ctx, 38, "0000000a 0c333333 3333");
    tu_assert_values(m, "ike.ike.certreq.authority", "");
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 1);
    isakmp_msg_free(m);
    m = v2(ctx, 42, "0000000e 03040003 aabbccdd 1122");
    tu_assert_values(m, "ike.delete.spi", "aabbccdd");
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 1);
    isakmp_msg_free(m);
    m = v2(ctx, 39, "00000009 0e000000 ff");   /* RFC 7427 ASN.1 length 255, no data */
    tu_assert_values(m, "ike.auth.data.sig.asn1.len", "255");
    tu_assert_values(m, "ike.auth.data.sig.asn1.data", "");
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 1);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* ---------------------------------------------------------------- new fields */

static void test_new_fields(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    /* EAP Response / Identity, EAP Success */
    isakmp_msg *m = v2(ctx, 48, "30000011 0201000d 01757365 72406578 00 00000008 03030004");
    tu_assert_values(m, "ike.eap.code", "2,3");
    tu_assert_values(m, "ike.eap.identifier", "1,3");
    tu_assert_values(m, "ike.eap.length", "13,4");
    tu_assert_values(m, "ike.eap.type", "1");
    tu_assert_values(m, "ike.eap.type_data", "7573657240657800");
    isakmp_msg_free(m);
    /* TS_SECLABEL (RFC 9478), ADDITIONAL_IP4_ADDRESS, PUZZLE */
    m = v2(ctx, 44, "29000014 01000000 0a00000c 6c6162656c000000 2900000c 0000400d 0a000005"
                    "0000000b 00004032 000502");
    tu_assert_values(m, "ike.ts.security_label", "6c6162656c000000");
    tu_assert_values(m, "ike.notify.data.additional_ip4_address", "10.0.0.5");
    tu_assert_values(m, "ike.notify.data.puzzle.prf", "5");
    tu_assert_values(m, "ike.notify.data.puzzle.difficulty", "2");
    isakmp_msg_free(m);
    /* G-IKEv2 GIDi and KD key bags */
    m = v2(ctx, 50, "3400000c 02000000 67727031 0000000e 01000006 abcd0200 0004");
    tu_assert_values(m, "ike.gid.type", "2");
    tu_assert_values(m, "ike.gid.data", "67727031");
    tu_assert_values(m, "ike.kd.key_bag.type", "1,2");
    tu_assert_values(m, "ike.kd.key_bag.length", "6,4");
    tu_assert_values(m, "ike.kd.key_bag.data", "abcd");
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* The notify types with data decoders, first, inner and last of their
 * table (looked up by binary search), and types around them without one. */
static void test_notify_decoders(void)
{
    static const struct {
        const char *body, *field, *value;
    } rows[] = {
        { "0000000a 00000011 0013", "ike.notify.data.accepted_dh_group", "19" },
        { "0000000c 00004001 00000005", "ike.notify.data.window_size", "5" },
        { "0000000c 00004013 00000e10", "ike.notify.data.auth_lifetime", "3600" },
        { "0000000c 0000402f 00020003", "ike.notify.data.signature_hash_algorithms", "2,3" },
        { "00000009 0000f050 07", "ike.notify.data.fortinet.network_overlay_id", "7" },
        { "0000000a 00000010 0013", "ike.notify.data.accepted_dh_group", "" },
        { "0000000c 00004002 00000005", "ike.notify.data.window_size", "" },
        { "00000009 0000f051 07", "ike.notify.data.fortinet.network_overlay_id", "" },
    };
    isakmp_ctx *ctx = isakmp_ctx_new();
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        isakmp_msg *m = v2(ctx, 41, rows[i].body);
        tu_assert_values(m, rows[i].field, rows[i].value);
        isakmp_msg_free(m);
    }
    isakmp_ctx_free(ctx);
}

/* Wireshark 4.4's additions, values as tshark 4.4.19 prints them for the
 * same payloads: Fortinet's private notify 61520, Network Overlay ID (the
 * data as one integer, of its first 4 octets when longer), and type 128 as
 * GM/T 0022's Symmetric-key payload. */
static void test_wireshark44_fields(void)
{
    static const struct {
        const char *body, *id, *data;
    } rows[] = {
        { "00000009 0000f050 07", "7", "07" },
        { "00000009 0300f050 80", "128", "80" },
        { "0000000a 0000f050 0102", "258", "0102" },
        { "0000000c 0000f050 2a2b2c2d", "707472429", "2a2b2c2d" },
        { "0000000d 0000f050 0102030405", "16909060", "0102030405" },
        { "00000010 0000f050 0000000000000009", "0", "0000000000000009" },
        { "0000000d 0304f050 33333333 05", "5", "05" },            /* with an SPI */
        { "00000009 0000f051 07", "", "07" },                      /* the next type: nothing */
        { "00000008 0000f050", "", "<MISSING>" },                  /* empty: nothing (tshark stops there) */
    };
    isakmp_ctx *ctx = isakmp_ctx_new();
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        isakmp_msg *m = v2(ctx, 41, rows[i].body);
        g_test_message("notify %s", rows[i].body);
        tu_assert_values(m, "ike.notify.data.fortinet.network_overlay_id", rows[i].id);
        tu_assert_values(m, "ike.notify.data", rows[i].data);
        isakmp_msg_free(m);
    }
    /* two in one message; the empty one is noted, and what follows it is
     * still decoded */
    isakmp_msg *m = v2(ctx, 41, "29000009 0000f050 06 28000008 0000f050 0000000c 0101010101010101");
    tu_assert_values(m, "ike.notify.data.fortinet.network_overlay_id", "6");
    tu_assert_values(m, "ike.nonce", "0101010101010101");
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 1);
    const isakmp_item *it = tu_find(m, "ike.notify.msgtype");
    g_assert_cmpstr(isakmp_item_value_name(it), ==, "Network Overlay ID (Fortinet)");
    /* BASE_DEC_HEX: shown as Wireshark shows it, decimal then hex */
    char shown[32];
    isakmp_item_format_display(tu_find(m, "ike.notify.data.fortinet.network_overlay_id"), shown,
                               sizeof shown);
    g_assert_cmpstr(shown, ==, "6 (0x06)");
    isakmp_msg_free(m);
    /* Symmetric-key (128) then Nonce */
    m = v2(ctx, 128, "28000007 aabbcc 0000000c 0101010101010101");
    tu_assert_values(m, "ike.typepayload", "128,40");
    tu_assert_values(m, "ike.symmetric_key", "aabbcc");
    tu_assert_values(m, "ike.datapayload", "");
    tu_assert_values(m, "ike.nonce", "0101010101010101");
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* Values without a name are "Unknown (N)"; IANA ranges keep their names. */
static void test_unknown_names(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = v2(ctx, 33, "00000014 00000010 01010001 00000008 fa000007");
    tu_assert_values(m, "ike.tf.type", "250");
    tu_assert_values(m, "ike.tf.id", "7");
    g_assert_true(has_label(isakmp_msg_root(m),
                            "Payload: Transform (3) # Reserved for Private Use (250): Unknown (7)"));
    isakmp_msg_free(m);
    m = v2(ctx, 47, "0000000d 02000000 3fff0001 7a");
    g_assert_true(has_label(isakmp_msg_root(m), "Attribute Type: Unassigned (16383)"));
    isakmp_msg_free(m);
    m = v2(ctx, 44, "00000010 01000000 4d000008 61626364");
    g_assert_true(has_label(isakmp_msg_root(m), "Traffic Selector: Unassigned (77)"));
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_UNKNOWN), ==, 1);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* Regression (wiki ikev2-esp-natt frame 4): an empty value of a type without
 * a decoder is marked ike.attribute_value_empty in a CFG_REPLY, as tshark
 * does, but not in a CFG_REQUEST, where empty values are the norm. */
static void cp_with_empty_private_attr(uint8_t cfg_type, const char *want)
{
    char hex[256];
    g_snprintf(hex, sizeof hex,
               "1111111111111111 0000000000000000 2f 20 25 08 00000001 00000028"
               "00 00 000c %02x000000 7002 0000", cfg_type);
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode_hex(ctx, hex);
    char *got = tu_values(m, "ike.attribute_value_empty");
    g_assert_cmpstr(got, ==, want);
    g_free(got);
    got = tu_values(m, "ike.cfg.attr.type");
    g_assert_cmpstr(got, ==, "28674");
    g_free(got);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

static void test_cp_reply_empty_private_attr_marked(void) { cp_with_empty_private_attr(2, "1"); }
static void test_cp_request_empty_attr_not_marked(void) { cp_with_empty_private_attr(1, ""); }

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(tshark_cases); i++) {
        char *path = g_strdup_printf("/v2/tshark/%s", tshark_cases[i].name);
        g_test_add_data_func(path, &tshark_cases[i], test_tshark_case);
        g_free(path);
    }
    g_test_add_func("/v2/regression/cp_reply_empty_private_attr_marked",
                    test_cp_reply_empty_private_attr_marked);
    g_test_add_func("/v2/regression/cp_request_empty_attr_not_marked",
                    test_cp_request_empty_attr_not_marked);
    g_test_add_func("/v2/malformed/attr_overruns_transform", test_attr_overruns_transform);
    g_test_add_func("/v2/malformed/proposal_length_lies", test_proposal_length_lies);
    g_test_add_func("/v2/malformed/transform_count_lies", test_transform_count_lies);
    g_test_add_func("/v2/malformed/zero_lengths", test_zero_lengths);
    g_test_add_func("/v2/malformed/truncation_everywhere", test_truncation_everywhere);
    g_test_add_func("/v2/malformed/ts_selector_length_wrong", test_ts_selector_length_wrong);
    g_test_add_func("/v2/malformed/short_structures", test_short_structures);
    g_test_add_func("/v2/new_fields", test_new_fields);
    g_test_add_func("/v2/notify_decoders", test_notify_decoders);
    g_test_add_func("/v2/wireshark44_fields", test_wireshark44_fields);
    g_test_add_func("/v2/unknown_names", test_unknown_names);
    return g_test_run();
}
