/* Field-directed decoding (isakmp_ctx_set_fields), the tree walker and the
 * value formatting -T fields relies on. */
#include <string.h>

#include "core/internal.h"
#include "testutil.h"

/* IKE_SA_INIT request: SA (one proposal, one AES-CBC-128 transform),
 * Notify NAT_DETECTION_SOURCE_IP, Vendor ID strongSwan. */
#define MSG                                                                         \
    "0102030405060708 0000000000000000 21 20 22 08 00000000 00000054"               \
    "29000018 00000014 01010001 0000000c 0100000c 800e0080"                         \
    "2b00000c 00004004 deadbeef"                                                    \
    "00000014 882fe56d6fd20dbc2251613b2ebe5beb"

static int field_id(const char *abbrev)
{
    const isakmp_field *f = isakmp_field_by_abbrev(abbrev);
    g_assert_nonnull(f);
    return f->id;
}

static void test_full_tree(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode_hex(ctx, MSG);
    tu_assert_values(m, "ike.typepayload", "33,2,3,41,43");
    tu_assert_values(m, "ike.notify.msgtype", "16388");
    tu_assert_values(m, "ike.vid_string", "strongSwan");
    g_assert_nonnull(tu_find(m, "ike.ike2.attr.key_length"));
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* Only the wanted field (and payload items); bodies that cannot hold it are
 * not parsed; values as in the full tree. */
static void test_one_field(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    int id = field_id("ike.notify.msgtype");
    g_assert_cmpint(isakmp_ctx_set_fields(ctx, &id, 1), ==, 0);
    isakmp_msg *m = tu_decode_hex(ctx, MSG);
    tu_assert_values(m, "ike.notify.msgtype", "16388");
    g_assert_null(tu_find(m, "ike.notify.protoid"));
    g_assert_null(tu_find(m, "ike.vid_string"));
    g_assert_null(tu_find(m, "ike.tf.type"));
    g_assert_null(tu_find(m, "ike.ispi"));
    /* top-level payload items stay (the decoder reads them back); the SA
     * body, which holds no notify, was skipped with its substructures */
    tu_assert_values(m, "ike.typepayload", "33,41,43");
    g_assert_null(isakmp_item_label(tu_find(m, "ike.notify.msgtype")));
    isakmp_msg_free(m);
    /* back to full trees */
    g_assert_cmpint(isakmp_ctx_set_fields(ctx, NULL, 0), ==, 0);
    m = tu_decode_hex(ctx, MSG);
    g_assert_nonnull(tu_find(m, "ike.tf.type"));
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* A field deep inside: the SA body is parsed, the others are not. */
static void test_nested_field(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    int ids[] = { field_id("ike.ike2.attr.key_length"), field_id("ike.typepayload") };
    isakmp_ctx_set_fields(ctx, ids, 2);
    isakmp_msg *m = tu_decode_hex(ctx, MSG);
    tu_assert_values(m, "ike.ike2.attr.key_length", "128");
    tu_assert_values(m, "ike.typepayload", "33,2,3,41,43");
    /* the attribute hangs under the nearest item that was built: the transform */
    const isakmp_item *kl = tu_find(m, "ike.ike2.attr.key_length");
    const isakmp_item *p = isakmp_item_parent(kl);
    g_assert_cmpstr(isakmp_item_field(p)->abbrev, ==, "ike.typepayload");
    g_assert_cmpuint(isakmp_item_uint(p), ==, 3);
    g_assert_null(tu_find(m, "ike.ike2.attr"));
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

static void test_bad_ids(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    int good = field_id("ike.ispi"), bad[] = { good, 1 << 20 }, neg = -1;
    g_assert_cmpint(isakmp_ctx_set_fields(ctx, &good, 1), ==, 0);
    g_assert_cmpint(isakmp_ctx_set_fields(ctx, bad, 2), ==, -1);
    g_assert_cmpint(isakmp_ctx_set_fields(ctx, &neg, 1), ==, -1);
    /* the earlier setting stays */
    isakmp_msg *m = tu_decode_hex(ctx, MSG);
    g_assert_nonnull(tu_find(m, "ike.ispi"));
    g_assert_null(tu_find(m, "ike.rspi"));
    isakmp_msg_free(m);
    /* ids set, none wanted: only the decoder's own items */
    g_assert_cmpint(isakmp_ctx_set_fields(ctx, &good, 0), ==, 0);
    m = tu_decode_hex(ctx, MSG);
    g_assert_null(tu_find(m, "ike.ispi"));
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* Without keys a field-directed decode makes no notes; full trees do. */
static void test_notes(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    const char *cut = "0102030405060708 0000000000000000 29 20 22 08 00000000 00000030"
                      "00000014 00004004";   /* a notify that claims 20 bytes */
    isakmp_msg *m = tu_decode_hex(ctx, cut);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED) + tu_note_count(m, ISAKMP_NOTE_TRUNCATED),
                     >, 0);
    isakmp_msg_free(m);
    int id = field_id("ike.notify.msgtype");
    isakmp_ctx_set_fields(ctx, &id, 1);
    m = tu_decode_hex(ctx, cut);
    size_t n;
    isakmp_msg_notes(m, &n);
    g_assert_cmpuint(n, ==, 0);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* Regression (found by the fuzz_decode oracle): an IKEv1 SA whose proposal
 * chain goes on with a Config Mode payload.  The SA body was skipped when
 * only Config Mode fields were wanted, as if it could not hold them. */
static void test_regression_v1_sa_chain(void)
{
    const char *hex =
        "ab3e0f1f8bc3be8e00000000000000000110020000000000000002640d0000ac00000001ffffff70"
        "0e01008003fde98002000180040000000000000000000000fde980020000002402010000800b0001"
        "800c708080010007800e01008003fde980020002800400020300002403010000800b0001800c7080"
        "80010007800e0100b5ec427b5d1f0d0000144485152d18b6bbcd0be8a8469579ddcc0d00000c0900"
        "afca26d71368a1f1c96b8696fc77570100";
    isakmp_ctx *full = isakmp_ctx_new(), *one = isakmp_ctx_new();
    int id = field_id("ike.cfg.attr");
    isakmp_ctx_set_fields(one, &id, 1);
    isakmp_msg *a = tu_decode_hex(full, hex), *b = tu_decode_hex(one, hex);
    tu_assert_values(a, "ike.cfg.attr", "1");
    tu_assert_values(b, "ike.cfg.attr", "1");
    isakmp_msg_free(a);
    isakmp_msg_free(b);
    isakmp_ctx_free(full);
    isakmp_ctx_free(one);
}

/* ---------------------------------------------------------------- stateless */

/* IKEv1: one fragment (number 1, last) carrying a bare 28-byte message;
 * Aggressive Mode; an encrypted Quick Mode message. */
#define V1_FRAGMENT                                                                 \
    "0102030405060708 0000000000000000 84 10 02 00 00000000 00000040"               \
    "00000024 0001 01 01"                                                           \
    "0102030405060708 0000000000000000 00 10 02 00 00000000 0000001c"
#define V1_AGGRESSIVE "0102030405060708 0000000000000000 00 10 04 00 00000000 0000001c"
#define V1_ENCRYPTED                                                                \
    "0102030405060708 1111111111111111 08 10 20 01 00000001 0000002c"               \
    "00112233445566778899aabbccddeeff"

static bool needs_state(isakmp_ctx *ctx, const char *hex)
{
    isakmp_msg *m = tu_decode_hex(ctx, hex);
    bool needs = isakmp_msg_needs_state(m);
    isakmp_msg_free(m);
    return needs;
}

/* A stateless context flags the messages that need what a context keeps
 * between messages, and decodes the others as a context with state does. */
static void test_stateless(void)
{
    int id = field_id("ike.typepayload");
    isakmp_ctx *ctx = isakmp_ctx_new(), *with = isakmp_ctx_new();
    isakmp_ctx_set_fields(ctx, &id, 1);
    isakmp_ctx_set_fields(with, &id, 1);
    isakmp_ctx_set_stateless(ctx, true);
    g_assert_true(needs_state(ctx, V1_FRAGMENT));     /* fragments are collected */
    g_assert_true(needs_state(ctx, V1_AGGRESSIVE));   /* followed for key export */
    g_assert_false(needs_state(ctx, V1_ENCRYPTED));   /* not decrypted without keys */
    g_assert_false(needs_state(with, V1_FRAGMENT));   /* never in a context with state */
    /* its header shows Aggressive Mode: the body is not decoded (the tree is
     * thrown away and the message decoded again with state) */
    const char *am_vid = "0102030405060708 0000000000000000 0d 10 04 00 00000000 00000024"
                         "00 00 0008 01020304";
    isakmp_msg *am = tu_decode_hex(ctx, am_vid);
    g_assert_true(isakmp_msg_needs_state(am));
    g_assert_null(tu_find(am, "ike.typepayload"));
    isakmp_msg_free(am);
    am = tu_decode_hex(with, am_vid);
    g_assert_nonnull(tu_find(am, "ike.typepayload"));
    isakmp_msg_free(am);
    isakmp_msg *a = tu_decode_hex(ctx, MSG), *b = tu_decode_hex(with, MSG);
    g_assert_false(isakmp_msg_needs_state(a));
    tu_assert_values(a, "ike.typepayload", "33,2,3,41,43");
    tu_assert_values(b, "ike.typepayload", "33,2,3,41,43");
    isakmp_msg_free(a);
    isakmp_msg_free(b);
    /* full trees without keys: the same (issue 22: before, every message of
     * a full tree said it needed state, and -T json and -V on several
     * threads decoded everything twice) */
    isakmp_ctx_set_fields(ctx, NULL, 0);
    g_assert_false(needs_state(ctx, MSG));
    g_assert_false(needs_state(ctx, V1_ENCRYPTED));
    g_assert_true(needs_state(ctx, V1_FRAGMENT));
    g_assert_true(needs_state(ctx, V1_AGGRESSIVE));
    g_assert_null(isakmp_ctx_sa_facts(ctx, (const uint8_t *)"\x01\x02\x03\x04\x05\x06\x07\x08"));
    /* with keys every message may depend on those before it */
    const char *table = "0102030405060708,00112233445566778899aabbccddeeff\n";
    g_assert_cmpint(isakmp_ctx_load_keys_mem(ctx, "t", table, strlen(table), NULL, NULL), ==, 1);
    g_assert_true(needs_state(ctx, MSG));
    g_assert_true(needs_state(ctx, V1_ENCRYPTED));
    isakmp_ctx_free(ctx);
    isakmp_ctx_free(with);
}

/* MSG's or V1_FRAGMENT's bytes with the initiator SPI made of byte x. */
static isakmp_packet with_spi(const char *hex, uint8_t x, uint8_t **bytes)
{
    size_t len;
    *bytes = tu_hex(hex, &len);
    memset(*bytes, x, 8);
    return (isakmp_packet){ .data = *bytes, .len = len, .frame = 1, .af = 4, .sport = 500,
                            .dport = 500 };
}

/* SA-table notes taken by the message decoded last of a, b, f: in one
 * context with state (limit 2 SAs), or with a and b decoded statelessly and
 * the context with state told of them (isakmp_ctx_seen) or not. */
static size_t full_table_notes(int how, bool directed)
{
    isakmp_ctx *st = isakmp_ctx_new(), *ctx = isakmp_ctx_new();
    isakmp_ctx_set_stateless(st, true);
    int id = field_id("ike.ispi");
    if (directed) {   /* as isakmpdump -T fields without keys */
        isakmp_ctx_set_fields(st, &id, 1);
        isakmp_ctx_set_fields(ctx, &id, 1);
    }
    isakmp_ctx_set_sa_limit(ctx, 2);
    uint8_t *p[3];
    isakmp_packet pk[3] = { with_spi(MSG, 0xa1, &p[0]), with_spi(MSG, 0xb2, &p[1]),
                            with_spi(V1_FRAGMENT, 0xc3, &p[2]) };
    isakmp_msg *m = NULL;
    for (int i = 0; i < 3; i++) {
        isakmp_msg_free(m);
        m = isakmp_decode(how == 0 ? ctx : st, &pk[i]);
        if (!isakmp_msg_needs_state(m)) {
            if (how == 1)
                isakmp_ctx_seen(ctx, &pk[i]);
            continue;
        }
        isakmp_msg_free(m);
        m = isakmp_decode(ctx, &pk[i]);
    }
    g_assert_false(isakmp_msg_needs_state(m));
    size_t n = tu_note_count(m, ISAKMP_NOTE_LIMIT);
    isakmp_msg_free(m);
    for (int i = 0; i < 3; i++)
        g_free(p[i]);
    isakmp_ctx_free(st);
    isakmp_ctx_free(ctx);
    return n;
}

/* Regression (issue 22): a message reassembled from IKEv1 fragments whose
 * header names other cookies than its fragments' made (and touched) that
 * other SA, which no message of the frame names: with threads by SA, only
 * one context saw it and the SA tables drifted apart (different drops and
 * notes).  It is now the fragments' SA's message, with a note. */
static void test_reassembled_cookies(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode_hex(
        ctx, "0102030405060708 0000000000000000 84 10 02 00 00000000 00000040"
             "00000024 0001 01 01"
             "1112131415161718 0000000000000000 00 10 02 00 00000000 0000001c");
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 1);
    g_assert_nonnull(strstr(tu_note_text(m, ISAKMP_NOTE_MALFORMED), "fragments' SA"));
    const uint8_t outer[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, inner[8] = { 0x11, 0x12, 0x13, 0x14,
                                                                       0x15, 0x16, 0x17, 0x18 };
    g_assert_nonnull(isakmp_ctx_sa_facts(ctx, outer));
    g_assert_null(isakmp_ctx_sa_facts(ctx, inner));
    isakmp_msg_free(m);
    /* the same cookies inside: no note */
    m = tu_decode_hex(ctx, V1_FRAGMENT);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 0);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* isakmp_ctx_seen: the context with state meets the same SA table as one
 * context decoding everything (the fragment's SA takes the room of the
 * oldest, with a note); not told, it would not (no note). */
static void test_seen(void)
{
    g_assert_cmpuint(full_table_notes(0, false), ==, 1);
    g_assert_cmpuint(full_table_notes(1, false), ==, 1);
    g_assert_cmpuint(full_table_notes(2, false), ==, 0);
}

/* isakmp_ctx_folds_seen: true where isakmp_ctx_seen changes what decoding
 * meets; where false, telling the context or not gives the same (issue 22:
 * isakmpdump -T fields without keys leaves the calls out). */
static void test_folds_seen(void)
{
    g_assert_false(isakmp_ctx_folds_seen(NULL));
    isakmp_ctx *ctx = isakmp_ctx_new();
    g_assert_true(isakmp_ctx_folds_seen(ctx));
    isakmp_ctx_set_stateless(ctx, true);
    g_assert_false(isakmp_ctx_folds_seen(ctx));
    isakmp_ctx_set_stateless(ctx, false);
    int id = field_id("ike.ispi");
    isakmp_ctx_set_fields(ctx, &id, 1);
    g_assert_false(isakmp_ctx_folds_seen(ctx));
    const char *table = "0102030405060708,00112233445566778899aabbccddeeff\n";
    g_assert_cmpint(isakmp_ctx_load_keys_mem(ctx, "t", table, strlen(table), NULL, NULL), ==, 1);
    g_assert_true(isakmp_ctx_folds_seen(ctx));   /* keys: decoding reads the SA table */
    isakmp_ctx_free(ctx);
    /* field-directed without keys: told or not, the same as one context */
    size_t one = full_table_notes(0, true);
    g_assert_cmpuint(full_table_notes(1, true), ==, one);
    g_assert_cmpuint(full_table_notes(2, true), ==, one);
}

/* ---------------------------------------------------------------- walk */

static void record(const isakmp_item *it, void *user)
{
    g_string_append_printf(user, "%u ", (unsigned)isakmp_item_uint(it));
}

/* The walk visits in tree order whether or not the items were made in it. */
static void test_walk_order(void)
{
    isakmp_packet pkt = { .data = (const uint8_t *)"x", .len = 1 };
    for (int late = 0; late < 2; late++) {
        isakmp_msg *m = msg_new(&pkt);
        uint32_t a = tree_add_uint(m, 0, F_TYPEPAYLOAD, 0, 0, 1, 1);
        tree_add_uint(m, a, F_TYPEPAYLOAD, 0, 0, 1, 2);
        uint32_t b = late ? 0 : tree_add_uint(m, 0, F_TYPEPAYLOAD, 0, 0, 1, 4);
        tree_add_uint(m, a, F_TYPEPAYLOAD, 0, 0, 1, 3);   /* under a, after b when !late */
        if (late)
            b = tree_add_uint(m, 0, F_TYPEPAYLOAD, 0, 0, 1, 4);
        (void)b;
        GString *s = g_string_new(NULL);
        isakmp_msg_walk(m, record, s);
        g_assert_cmpstr(s->str, ==, "0 1 2 3 4 ");
        g_string_free(s, TRUE);
        isakmp_msg_free(m);
    }
}

/* ---------------------------------------------------------------- formatting */

static void test_format_hex(void)
{
    isakmp_packet pkt = { .data = (const uint8_t *)"xx", .len = 2 };
    isakmp_msg *m = msg_new(&pkt);
    /* ike.frag.packetid: 16 bits, BASE_HEX */
    uint32_t i = tree_add_uint(m, 0, F_FRAG_PACKETID, 0, 0, 2, 0x1f);
    uint32_t j = tree_add_uint(m, 0, F_MESSAGEID, 0, 0, 2, 0xdeadbeef);
    char buf[16];
    const isakmp_item *it = tree_item(m, i), *jt = tree_item(m, j);
    g_assert_cmpuint(isakmp_item_format_value(it, buf, sizeof buf), ==, 6);
    g_assert_cmpstr(buf, ==, "0x001f");
    g_assert_cmpuint(isakmp_item_format_value(jt, buf, sizeof buf), ==, 10);
    g_assert_cmpstr(buf, ==, "0xdeadbeef");
    /* wider than the field: all digits, as printf's %0*x */
    tree_item(m, i)->uval = 0x12345;
    isakmp_item_format_value(it, buf, sizeof buf);
    g_assert_cmpstr(buf, ==, "0x12345");
    /* a short buffer: cut, terminated, the full length returned */
    g_assert_cmpuint(isakmp_item_format_value(jt, buf, 5), ==, 10);
    g_assert_cmpstr(buf, ==, "0xde");
    isakmp_msg_free(m);
}

/* Labels: the formatter of the common conversions gives what printf gives
 * (issue 22), and printf still does the others. */
static void test_label_format(void)
{
    isakmp_packet pkt = { .data = (const uint8_t *)"xx", .len = 2 };
    isakmp_msg *m = msg_new(&pkt);
    uint32_t i = tree_add_uint(m, 0, F_TYPEPAYLOAD, 0, 0, 1, 1);
    const char *nul = NULL;
    tree_set_label(m, i, "%s (%u) %d %zu%% %s", "Notify", 41u, -2147483647 - 1, (size_t)7, nul);
    g_assert_cmpstr(isakmp_item_label(tree_item(m, i)), ==,
                    "Notify (41) -2147483648 7% (null)");
    /* literal runs are copied whole: before, between and after conversions,
     * and one longer than the stack buffer (then printf's) */
    tree_set_label(m, i, "Key Length: %u bits, of %s", 256u, "AES");
    g_assert_cmpstr(isakmp_item_label(tree_item(m, i)), ==, "Key Length: 256 bits, of AES");
    tree_set_label(m, i, "%u%%", 5u);
    g_assert_cmpstr(isakmp_item_label(tree_item(m, i)), ==, "5%");
#define TEN "0123456789"
#define HUNDRED TEN TEN TEN TEN TEN TEN TEN TEN TEN TEN
    tree_set_label(m, i, HUNDRED HUNDRED HUNDRED "%u", 3u);
    g_assert_cmpstr(isakmp_item_label(tree_item(m, i)), ==, HUNDRED HUNDRED HUNDRED "3");
#undef HUNDRED
#undef TEN
    tree_set_label(m, i, "%02x:%s", 5u, "y");   /* a width: printf's */
    g_assert_cmpstr(isakmp_item_label(tree_item(m, i)), ==, "05:y");
    char longer[400];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = 0;
    tree_set_label(m, i, "%s!", longer);   /* past the stack buffer */
    g_assert_cmpuint(strlen(isakmp_item_label(tree_item(m, i))), ==, sizeof longer);
    isakmp_msg_free(m);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/direction/full_tree", test_full_tree);
    g_test_add_func("/direction/one_field", test_one_field);
    g_test_add_func("/direction/nested_field", test_nested_field);
    g_test_add_func("/direction/bad_ids", test_bad_ids);
    g_test_add_func("/direction/notes", test_notes);
    g_test_add_func("/direction/regression/v1_sa_chain_config_mode", test_regression_v1_sa_chain);
    g_test_add_func("/direction/stateless", test_stateless);
    g_test_add_func("/direction/seen", test_seen);
    g_test_add_func("/direction/folds_seen", test_folds_seen);
    g_test_add_func("/direction/regress/reassembled_cookies", test_reassembled_cookies);
    g_test_add_func("/direction/walk_order", test_walk_order);
    g_test_add_func("/direction/format_hex", test_format_hex);
    g_test_add_func("/direction/label_format", test_label_format);
    return g_test_run();
}
