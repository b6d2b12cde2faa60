/*
 * The message decoder's own parts (decode.c, msg.c, cursor.c, fields.c):
 * header, payload chain, notes for every way a message can be broken, the
 * field table, value formatting and the public accessors.
 */
#include <glib.h>
#include <pthread.h>
#include <string.h>

#include "core/internal.h"
#include "testutil.h"

/* LeakSanitizer's interface, in ASan builds (gcc says so with a macro, clang
 * with __has_feature). */
#ifdef __SANITIZE_ADDRESS__
#define HAVE_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_LSAN 1
#endif
#endif
#ifdef HAVE_LSAN
#include <sanitizer/lsan_interface.h>
#endif

/* IKEv2 IKE_SA_INIT request header (RFC 7296 3.1) + one empty Nonce (40). */
#define V2_HDR "0102030405060708 0000000000000000 28 20 22 08 00000000 00000020"
#define V2_NONCE_EMPTY "00 00 0004"

/* Each message through a fresh context; the message outlives it (it owns
 * everything it points to). */
static isakmp_msg *dec(const char *hex)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode_hex(ctx, hex);
    isakmp_ctx_free(ctx);
    return m;
}

/* ---------------------------------------------------------------- header */

static void test_header_fields(void)
{
    isakmp_msg *m = dec(V2_HDR V2_NONCE_EMPTY);
    tu_assert_values(m, "ike.ispi", "0102030405060708");
    tu_assert_values(m, "ike.rspi", "0000000000000000");
    tu_assert_values(m, "ike.nextpayload", "40,0");
    tu_assert_values(m, "ike.version", "0x20");
    tu_assert_values(m, "ike.mjver", "0x02");
    tu_assert_values(m, "ike.mnver", "0x00");
    tu_assert_values(m, "ike.exchangetype", "34");
    tu_assert_values(m, "ike.flags", "0x08");
    tu_assert_values(m, "ike.flag_i", "1");
    tu_assert_values(m, "ike.flag_r", "0");
    tu_assert_values(m, "ike.messageid", "0x00000000");
    tu_assert_values(m, "ike.length", "32");
    tu_assert_values(m, "ike.typepayload", "40");
    tu_assert_values(m, "ike.payloadlength", "4");
    g_assert_cmpint(isakmp_msg_version(m), ==, 2);
    g_assert_cmpstr(isakmp_msg_summary(m), ==, "IKE_SA_INIT MID=0x00000000 Initiator Request");
    size_t n;
    isakmp_msg_notes(m, &n);
    g_assert_cmpuint(n, ==, 0);
    isakmp_msg_free(m);
}

/* Regression (#19): the summary (the plugin's Info column) printed MID=00
 * where isakmpdump's summary prints MID=0x%08x; now both are this text. */
static void test_summary_mid_format(void)
{
    /* IKE_AUTH response from the responder, message ID 0x0000012c */
    isakmp_msg *m = dec("1111111111111111 2222222222222222 00 20 23 20 0000012c 0000001c");
    g_assert_cmpstr(isakmp_msg_summary(m), ==, "IKE_AUTH MID=0x0000012c Responder Response");
    isakmp_msg_free(m);
    /* an exchange type without a name */
    m = dec("1111111111111111 2222222222222222 00 20 f0 08 00000001 0000001c");
    g_assert_cmpstr(isakmp_msg_summary(m), ==, "Unknown(240) MID=0x00000001 Initiator Request");
    isakmp_msg_free(m);
    /* IKEv1 Quick Mode */
    m = dec("1111111111111111 2222222222222222 00 10 20 00 a1b2c3d4 0000001c");
    g_assert_cmpstr(isakmp_msg_summary(m), ==, "Quick Mode MID=0xa1b2c3d4");
    isakmp_msg_free(m);
}

static void test_v1_header(void)
{
    /* Main Mode, no payloads */
    isakmp_msg *m = dec("1111111111111111 2222222222222222 00 10 02 00 00000000 0000001c");
    g_assert_cmpint(isakmp_msg_version(m), ==, 1);
    tu_assert_values(m, "ike.version", "0x10");
    tu_assert_values(m, "ike.exchangetype", "2");
    g_assert_cmpstr(isakmp_msg_summary(m), ==, "Identity Protection (Main Mode) MID=0x00000000");
    isakmp_msg_free(m);
}

static void test_empty_and_short(void)
{
    for (size_t len = 0; len < 28; len += 3) {
        uint8_t b[28];
        memset(b, 0x20, sizeof b);
        isakmp_ctx *ctx = isakmp_ctx_new();
        isakmp_msg *m = tu_decode(ctx, b, len);
        isakmp_ctx_free(ctx);
        g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_TRUNCATED), ==, 1);
        /* every item lies inside the captured bytes */
        const isakmp_item *root = isakmp_msg_root(m);
        for (const isakmp_item *c = isakmp_item_first_child(root); c; c = isakmp_item_next(c))
            g_assert_cmpuint(isakmp_item_offset(c) + isakmp_item_length(c), <=, len);
        g_assert_nonnull(isakmp_msg_summary(m));
        isakmp_msg_free(m);
    }
}

static void test_length_longer_than_captured(void)
{
    isakmp_msg *m = dec("0102030405060708 0000000000000000 28 20 22 08 00000000 00000100"
                        V2_NONCE_EMPTY);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_TRUNCATED), >=, 1);
    g_assert_nonnull(strstr(tu_note_text(m, ISAKMP_NOTE_TRUNCATED), "256"));
    isakmp_msg_free(m);
}

static void test_length_shorter_than_header(void)
{
    isakmp_msg *m = dec("0102030405060708 0000000000000000 28 20 22 08 00000000 00000010"
                        V2_NONCE_EMPTY);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 1);
    tu_assert_values(m, "ike.typepayload", "40");   /* the captured length is used */
    isakmp_msg_free(m);
}

static void test_trailing_bytes(void)
{
    isakmp_msg *m = dec(V2_HDR V2_NONCE_EMPTY "deadbeef");
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_TRAILING), ==, 1);
    tu_assert_values(m, "ike.extradata", "deadbeef");
    isakmp_msg_free(m);
}

static void test_unknown_version(void)
{
    isakmp_msg *m = dec("0102030405060708 0000000000000000 28 30 22 08 00000000 00000020"
                        "00000004");
    g_assert_cmpint(isakmp_msg_version(m), ==, 0);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_UNKNOWN), ==, 1);
    tu_assert_values(m, "ike.datapayload", "00000004");
    isakmp_msg_free(m);
}

static void test_v1_encrypted_without_key(void)
{
    isakmp_msg *m = dec("1111111111111111 2222222222222222 08 10 02 01 00000000 00000024"
                        "0011223344556677");
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_DECRYPT), ==, 1);
    isakmp_msg_free(m);
}

/* ---------------------------------------------------------------- payload chain */

static void test_unknown_payload_type(void)
{
    isakmp_msg *m = dec("0102030405060708 0000000000000000 c8 20 22 08 00000000 00000022"
                        "00 00 0006 abcd");
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_UNKNOWN), ==, 1);
    tu_assert_values(m, "ike.typepayload", "200");
    tu_assert_values(m, "ike.datapayload", "abcd");
    /* the payload label, from the table made once */
    const isakmp_item *t = tu_find(m, "ike.typepayload");
    g_assert_cmpstr(isakmp_item_label(t), ==, "Type Payload: Unknown (200)");
    isakmp_msg_free(m);
    m = dec("0102030405060708 0000000000000000 63 20 22 08 00000000 00000020 00 00 0004");
    g_assert_cmpstr(isakmp_item_label(tu_find(m, "ike.typepayload")), ==,
                    "Type Payload: Unknown (99)");
    isakmp_msg_free(m);
    m = dec(V2_HDR V2_NONCE_EMPTY);
    g_assert_cmpstr(isakmp_item_label(tu_find(m, "ike.typepayload")), ==, "Type Payload: Nonce (40)");
    isakmp_msg_free(m);
}

static void test_payload_past_message(void)
{
    /* the Nonce claims 16 bytes, 8 are in the message */
    isakmp_msg *m = dec("0102030405060708 0000000000000000 28 20 22 08 00000000 00000024"
                        "00 00 0010 11223344");
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), >=, 1);
    isakmp_msg_free(m);
}

static void test_payload_header_cut(void)
{
    /* two bytes where a payload header should be */
    isakmp_msg *m = dec("0102030405060708 0000000000000000 28 20 22 08 00000000 0000001e 0000");
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 1);
    g_assert_nonnull(strstr(tu_note_text(m, ISAKMP_NOTE_MALFORMED), "4 bytes"));
    isakmp_msg_free(m);
}

static void test_truncated_capture_in_chain(void)
{
    /* declared 40 bytes, 32 captured: the chain ends early, truncated */
    isakmp_msg *m = dec("0102030405060708 0000000000000000 28 20 22 08 00000000 00000028"
                        "28 00 0004");
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_TRUNCATED), >=, 1);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 0);
    isakmp_msg_free(m);
}

static void test_critical_bit(void)
{
    isakmp_msg *m = dec("0102030405060708 0000000000000000 c8 20 22 08 00000000 00000020"
                        "00 80 0004");
    tu_assert_values(m, "ike.criticalpayload", "1");
    isakmp_msg_free(m);
}

/* ---------------------------------------------------------------- notes, sources */

static void test_notes_in_tree_order(void)
{
    /* an unknown payload (note on payload 1), then trailing data (note on the root's last child) */
    isakmp_msg *m = dec("0102030405060708 0000000000000000 c8 20 22 08 00000000 00000020"
                        "00 00 0004 ffff");
    size_t n;
    const isakmp_note *notes = isakmp_msg_notes(m, &n);
    g_assert_cmpuint(n, ==, 2);
    g_assert_cmpint(notes[0].code, ==, ISAKMP_NOTE_UNKNOWN);
    g_assert_cmpint(notes[1].code, ==, ISAKMP_NOTE_TRAILING);
    g_assert_cmpuint(isakmp_item_offset(notes[0].item), <, isakmp_item_offset(notes[1].item));
    g_assert_cmpstr(isakmp_note_code_name(notes[0].code), !=, isakmp_note_code_name(notes[1].code));
    g_assert_nonnull(isakmp_severity_name(notes[0].severity));
    isakmp_msg_free(m);
}

static void test_sources_and_packet(void)
{
    size_t len;
    uint8_t *b = tu_hex(V2_HDR V2_NONCE_EMPTY, &len);
    isakmp_packet pkt = { .data = b, .len = len, .frame = 7, .af = 4, .sport = 500, .dport = 4500 };
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = isakmp_decode(ctx, &pkt);
    isakmp_ctx_free(ctx);
    b[0] = 0xee;   /* the message keeps its own copy */
    g_assert_cmpuint(isakmp_msg_source_count(m), ==, 1);
    g_assert_cmpstr(isakmp_msg_source_name(m, 0), ==, "Frame");
    g_assert_null(isakmp_msg_source_name(m, 1));
    size_t sl;
    const uint8_t *s = isakmp_msg_source_data(m, 0, &sl);
    g_assert_cmpuint(sl, ==, len);
    g_assert_cmpuint(s[0], ==, 0x01);
    g_assert_null(isakmp_msg_source_data(m, 5, &sl));
    g_assert_cmpuint(sl, ==, 0);
    const isakmp_packet *p = isakmp_msg_packet(m);
    g_assert_cmpuint(p->frame, ==, 7);
    g_assert_cmpuint(p->dport, ==, 4500);
    g_assert_true(p->data == s);
    const isakmp_item *root = isakmp_msg_root(m);
    g_assert_null(isakmp_item_parent(root));
    g_assert_cmpstr(isakmp_item_field(root)->abbrev, ==, "ike");
    isakmp_msg_free(m);
    isakmp_msg_free(NULL);
    g_free(b);
}

static void test_same_frame_twice(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *a = tu_decode_hex(ctx, V2_HDR V2_NONCE_EMPTY);
    isakmp_msg *b = tu_decode_hex(ctx, V2_HDR V2_NONCE_EMPTY);
    char *va = tu_values(a, "ike.typepayload"), *vb = tu_values(b, "ike.typepayload");
    g_assert_cmpstr(va, ==, vb);
    g_free(va);
    g_free(vb);
    isakmp_msg_free(a);
    isakmp_msg_free(b);
    isakmp_ctx_free(ctx);
    isakmp_ctx_free(NULL);
}

/* ---------------------------------------------------------------- formatting */

static void test_format(void)
{
    isakmp_msg *m = dec(V2_HDR V2_NONCE_EMPTY);
    char buf[64];
    const isakmp_item *x = tu_find(m, "ike.exchangetype");
    g_assert_nonnull(x);
    g_assert_cmpuint(isakmp_item_format_value(x, buf, sizeof buf), ==, 2);
    g_assert_cmpstr(buf, ==, "34");
    isakmp_item_format_display(x, buf, sizeof buf);
    g_assert_cmpstr(buf, ==, "34 (IKE_SA_INIT)");
    g_assert_cmpstr(isakmp_item_value_name(x), ==, "IKE_SA_INIT");
    /* snprintf semantics: the length it needs, however small the buffer */
    const isakmp_item *s = tu_find(m, "ike.ispi");
    g_assert_cmpuint(isakmp_item_format_value(s, buf, 5), ==, 16);
    g_assert_cmpuint(strlen(buf), <, 5);
    g_assert_cmpuint(isakmp_item_format_value(s, NULL, 0), ==, 16);
    const isakmp_item *id = tu_find(m, "ike.messageid");
    isakmp_item_format_value(id, buf, sizeof buf);
    g_assert_cmpstr(buf, ==, "0x00000000");
    size_t n;
    const uint8_t *b = isakmp_item_bytes(s, &n);
    g_assert_cmpuint(n, ==, 8);
    g_assert_cmpuint(b[7], ==, 8);
    g_assert_false(isakmp_item_generated(s));
    isakmp_msg_free(m);
}

/* Every number of a message as printf would write it (decimal, or "0x"
 * and the field's width of hex digits), through both formatters and at
 * every buffer size: the full length returned, the text cut to fit.  A
 * Message ID and a notify type past two digits, lengths past 100. */
typedef struct {
    unsigned checked;
} numbers_seen;

static void check_number(const isakmp_item *it, void *user)
{
    const isakmp_field *f = isakmp_item_field(it);
    static const int width[] = { [ISAKMP_FT_UINT8] = 2, [ISAKMP_FT_UINT16] = 4,
                                 [ISAKMP_FT_UINT24] = 6, [ISAKMP_FT_UINT32] = 8,
                                 [ISAKMP_FT_UINT64] = 16 };
    if (f->type < ISAKMP_FT_UINT8 || f->type > ISAKMP_FT_UINT64)
        return;
    char want[32], got[32];
    uint64_t v = isakmp_item_uint(it);
    if (f->base == ISAKMP_BASE_HEX || f->base == ISAKMP_BASE_HEX_DEC)
        g_snprintf(want, sizeof want, "0x%0*" G_GINT64_MODIFIER "x", width[f->type], v);
    else
        g_snprintf(want, sizeof want, "%" G_GUINT64_FORMAT, v);
    size_t len = strlen(want);
    for (size_t size = 0; size <= len + 1; size++) {
        for (int k = 0; k < 2; k++) {
            memset(got, '#', sizeof got);
            size_t n = k ? isakmp_item_format_tshark(it, ISAKMP_TSHARK_4_0, size ? got : NULL, size)
                         : isakmp_item_format_value(it, size ? got : NULL, size);
            g_assert_cmpuint(n, ==, len);
            if (size) {
                size_t c = len < size - 1 ? len : size - 1;
                g_assert_cmpmem(got, c, want, c);
                g_assert_cmpint(got[c], ==, 0);
                g_assert_cmpint(got[size], ==, '#');
            }
        }
    }
    ((numbers_seen *)user)->checked++;
}

static void test_format_numbers(void)
{
    isakmp_msg *m = dec("0102030405060708 0000000000000000 29 20 25 08 0a0b0c0d 00000024"
                        "00 00 0008 00 00 4004");
    numbers_seen seen = { 0 };
    isakmp_msg_walk(m, check_number, &seen);
    g_assert_cmpuint(seen.checked, >=, 6);
    char buf[16];
    isakmp_item_format_tshark(tu_find(m, "ike.messageid"), ISAKMP_TSHARK_4_0, buf, sizeof buf);
    g_assert_cmpstr(buf, ==, "0x0a0b0c0d");
    isakmp_item_format_tshark(tu_find(m, "ike.notify.msgtype"), ISAKMP_TSHARK_4_0, buf, sizeof buf);
    g_assert_cmpstr(buf, ==, "16388");
    isakmp_msg_free(m);
}

/* ---------------------------------------------------------------- field table */

/* tshark 4.0 and 4.2+ print booleans and strings differently in -T fields:
 * each style as that tshark printed the same bytes (checked against tshark
 * 4.0.17 and 4.4.19 on Debian 12 and 13). */
static void test_format_tshark_bool(void)
{
    isakmp_msg *m = dec(V2_HDR V2_NONCE_EMPTY);
    char buf[8];
    const isakmp_item *c = tu_find(m, "ike.criticalpayload");
    g_assert_nonnull(c);
    g_assert_cmpuint(isakmp_item_format_tshark(c, ISAKMP_TSHARK_CURRENT, buf, sizeof buf), ==, 5);
    g_assert_cmpstr(buf, ==, "False");
    g_assert_cmpuint(isakmp_item_format_tshark(c, ISAKMP_TSHARK_4_0, buf, sizeof buf), ==, 1);
    g_assert_cmpstr(buf, ==, "0");
    const isakmp_item *f = tu_find(m, "ike.flag_i");
    isakmp_item_format_tshark(f, ISAKMP_TSHARK_CURRENT, buf, sizeof buf);
    g_assert_cmpstr(buf, ==, "True");
    g_assert_cmpuint(isakmp_item_format_tshark(f, ISAKMP_TSHARK_CURRENT, buf, 3), ==, 4);
    g_assert_cmpstr(buf, ==, "Tr");
    /* other types as isakmp_item_format_value */
    isakmp_item_format_tshark(tu_find(m, "ike.exchangetype"), ISAKMP_TSHARK_4_0, buf, sizeof buf);
    g_assert_cmpstr(buf, ==, "34");
    isakmp_msg_free(m);
}

/* An IKEv1 ID payload (FQDN) whose name is a, TAB, b, backslash, c, BEL, VT,
 * e-acute in UTF-8, 0x01, then a NUL and more. */
#define V1_ID_ODD "0102030405060708 0000000000000000 05 10 02 00 00000000 00000031" \
                  "00 00 0015 02 11 01f4 61 09 62 5c 63 07 0b c3 a9 01 00 7a 7a"

/* The same with a plain FQDN, "vpn.example.c". */
#define V1_ID_PLAIN "0102030405060708 0000000000000000 05 10 02 00 00000000 00000031" \
                    "00 00 0015 02 11 01f4 76706e2e6578616d706c652e63"

static void test_format_tshark_string(void)
{
    isakmp_msg *m = dec(V1_ID_ODD);
    char buf[64];
    const isakmp_item *s = tu_find(m, "ike.id.data.fqdn");
    g_assert_nonnull(s);
    /* 4.2+: C escapes for 0x07..0x0d and the backslash; U+FFFD per byte > 0x7f */
    g_assert_cmpuint(isakmp_item_format_tshark(s, ISAKMP_TSHARK_CURRENT, buf, sizeof buf), ==, 18);
    g_assert_cmpstr(buf, ==, "a\\tb\\\\c\\a\\v\xef\xbf\xbd\xef\xbf\xbd\x01");
    /* 4.0: no \\a, \\v, backslash as it is */
    g_assert_cmpuint(isakmp_item_format_tshark(s, ISAKMP_TSHARK_4_0, buf, sizeof buf), ==, 15);
    g_assert_cmpstr(buf, ==, "a\\tb\\c\x07\x0b\xef\xbf\xbd\xef\xbf\xbd\x01");
    /* cut only between characters, the full length still returned */
    g_assert_cmpuint(isakmp_item_format_tshark(s, ISAKMP_TSHARK_CURRENT, buf, 5), ==, 18);
    g_assert_cmpstr(buf, ==, "a\\tb");
    g_assert_cmpuint(isakmp_item_format_tshark(s, ISAKMP_TSHARK_CURRENT, buf, 3), ==, 18);
    g_assert_cmpstr(buf, ==, "a");
    g_assert_cmpuint(isakmp_item_format_tshark(s, ISAKMP_TSHARK_CURRENT, NULL, 0), ==, 18);
    /* a run of plain bytes is copied at once: cut inside it all the same */
    isakmp_msg *p = dec(V1_ID_PLAIN);
    const isakmp_item *t = tu_find(p, "ike.id.data.fqdn");
    g_assert_cmpuint(isakmp_item_format_tshark(t, ISAKMP_TSHARK_CURRENT, buf, sizeof buf), ==, 13);
    g_assert_cmpstr(buf, ==, "vpn.example.c");
    g_assert_cmpuint(isakmp_item_format_tshark(t, ISAKMP_TSHARK_CURRENT, buf, 5), ==, 13);
    g_assert_cmpstr(buf, ==, "vpn.");
    g_assert_cmpuint(isakmp_item_format_tshark(t, ISAKMP_TSHARK_4_0, buf, 14), ==, 13);
    g_assert_cmpstr(buf, ==, "vpn.example.c");
    g_assert_cmpuint(isakmp_item_format_tshark(t, ISAKMP_TSHARK_CURRENT, buf, 13), ==, 13);
    g_assert_cmpstr(buf, ==, "vpn.example.");
    g_assert_cmpuint(isakmp_item_format_tshark(t, ISAKMP_TSHARK_CURRENT, buf, 1), ==, 13);
    g_assert_cmpstr(buf, ==, "");
    isakmp_msg_free(p);
    /* the plain value is the wire bytes up to the NUL */
    g_assert_cmpuint(isakmp_item_format_value(s, buf, sizeof buf), ==, 10);
    g_assert_cmpmem(buf, 10, "a\tb\\c\a\v\xc3\xa9\x01", 10);
    isakmp_msg_free(m);
}

static void test_field_table(void)
{
    size_t n;
    const isakmp_field *f = isakmp_fields(&n);
    g_assert_cmpuint(n, ==, F_COUNT);
    g_assert_cmpuint(n, >=, 357);
    for (size_t i = 0; i < n; i++) {
        g_assert_cmpint(f[i].id, ==, (int)i);
        g_assert_nonnull(f[i].name);
        g_assert_true(f[i].abbrev && g_str_has_prefix(f[i].abbrev, "ike"));
        g_assert_true(isakmp_field_by_abbrev(f[i].abbrev) == &f[i]);
    }
    g_assert_null(isakmp_field_by_abbrev("isakmp.ispi"));
    g_assert_null(isakmp_field_by_abbrev(""));
    g_assert_null(isakmp_field_by_abbrev("ike.zzzz"));
    g_assert_true(isakmp_fields(NULL) == f);
}

static void test_value_lookup(void)
{
    static const isakmp_value_name v[] = { { 1, 1, "one" }, { 5, 9, "five-nine" }, { 0, 0, NULL } };
    g_assert_cmpstr(isakmp_value_lookup(v, 1), ==, "one");
    g_assert_cmpstr(isakmp_value_lookup(v, 5), ==, "five-nine");
    g_assert_cmpstr(isakmp_value_lookup(v, 9), ==, "five-nine");
    g_assert_null(isakmp_value_lookup(v, 10));
    g_assert_null(isakmp_value_lookup(v, 0));
    g_assert_null(isakmp_value_lookup(NULL, 1));
}

/* ---------------------------------------------------------------- regression */

static void *decode_and_exit(void *unused)
{
    isakmp_msg_free(dec(V2_HDR V2_NONCE_EMPTY));   /* kept as this thread's spare */
    return NULL;
}

/* The message a thread keeps for its next one (msg.c) is freed when the
 * thread exits: clang 19's LeakSanitizer found one lost with every
 * isakmpdump --threads worker.  Without ASan the leak shows in valgrind. */
static void test_spare_freed_at_thread_exit(void)
{
    pthread_t t;
    g_assert_cmpint(pthread_create(&t, NULL, decode_and_exit, NULL), ==, 0);
    g_assert_cmpint(pthread_join(t, NULL), ==, 0);
#ifdef HAVE_LSAN
    g_assert_cmpint(__lsan_do_recoverable_leak_check(), ==, 0);
#endif
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/decode/header_fields", test_header_fields);
    g_test_add_func("/decode/v1_header", test_v1_header);
    g_test_add_func("/decode/summary_mid_format", test_summary_mid_format);
    g_test_add_func("/decode/empty_and_short", test_empty_and_short);
    g_test_add_func("/decode/length_longer_than_captured", test_length_longer_than_captured);
    g_test_add_func("/decode/length_shorter_than_header", test_length_shorter_than_header);
    g_test_add_func("/decode/trailing_bytes", test_trailing_bytes);
    g_test_add_func("/decode/unknown_version", test_unknown_version);
    g_test_add_func("/decode/v1_encrypted_without_key", test_v1_encrypted_without_key);
    g_test_add_func("/decode/unknown_payload_type", test_unknown_payload_type);
    g_test_add_func("/decode/payload_past_message", test_payload_past_message);
    g_test_add_func("/decode/payload_header_cut", test_payload_header_cut);
    g_test_add_func("/decode/truncated_capture_in_chain", test_truncated_capture_in_chain);
    g_test_add_func("/decode/critical_bit", test_critical_bit);
    g_test_add_func("/decode/notes_in_tree_order", test_notes_in_tree_order);
    g_test_add_func("/decode/sources_and_packet", test_sources_and_packet);
    g_test_add_func("/decode/same_frame_twice", test_same_frame_twice);
    g_test_add_func("/decode/format", test_format);
    g_test_add_func("/decode/format_numbers", test_format_numbers);
    g_test_add_func("/decode/format_tshark_bool", test_format_tshark_bool);
    g_test_add_func("/decode/format_tshark_string", test_format_tshark_string);
    g_test_add_func("/decode/field_table", test_field_table);
    g_test_add_func("/decode/value_lookup", test_value_lookup);
    g_test_add_func("/decode/regression/spare_freed_at_thread_exit",
                    test_spare_freed_at_thread_exit);
    return g_test_run();
}
