/*
 * Resource bounds (docs/limits.md): what the decoder does with inputs that
 * are large or nested on purpose.  Every bound is either never reached by a
 * real message (and then everything decodes) or reached with a LIMIT note.
 */
#include <glib.h>
#include <string.h>

#include "core/internal.h"
#include "testutil.h"

/* ---------------------------------------------------------------- builders */

static void put8(GByteArray *b, unsigned v)
{
    uint8_t x = (uint8_t)v;
    g_byte_array_append(b, &x, 1);
}

static void put16(GByteArray *b, unsigned v)
{
    put8(b, v >> 8);
    put8(b, v & 0xff);
}

static void put32(GByteArray *b, uint32_t v)
{
    put16(b, v >> 16);
    put16(b, v & 0xffff);
}

static void set16(GByteArray *b, size_t at, unsigned v)
{
    b->data[at] = (uint8_t)(v >> 8);
    b->data[at + 1] = (uint8_t)v;
}

/* A 28-byte header (RFC 2408 3.1 / RFC 7296 3.1); the length is set by finish(). */
static GByteArray *header(int version, unsigned next, unsigned exch, unsigned flags)
{
    GByteArray *b = g_byte_array_new();
    for (int i = 0; i < 8; i++)
        put8(b, 0x11 * (i + 1));
    for (int i = 0; i < 8; i++)
        put8(b, version == 2 ? 0 : 0xa0 + i);
    put8(b, next);
    put8(b, version == 2 ? 0x20 : 0x10);
    put8(b, exch);
    put8(b, flags);
    put32(b, 0);
    put32(b, 0);
    return b;
}

static void finish(GByteArray *b)
{
    b->data[24] = (uint8_t)(b->len >> 24);
    b->data[25] = (uint8_t)(b->len >> 16);
    b->data[26] = (uint8_t)(b->len >> 8);
    b->data[27] = (uint8_t)b->len;
}

/* n empty payloads of one type, chained. */
static GByteArray *many_payloads(int version, unsigned type, size_t n)
{
    GByteArray *b = header(version, type, version == 2 ? 34 : 2, version == 2 ? 0x08 : 0);
    for (size_t i = 0; i < n; i++) {
        put8(b, i + 1 < n ? type : 0);
        put8(b, 0);
        put16(b, 4);
    }
    finish(b);
    return b;
}

/* ---------------------------------------------------------------- counting */

static size_t count_field(const isakmp_item *it, const isakmp_field *f)
{
    size_t n = 0;
    for (const isakmp_item *c = isakmp_item_first_child(it); c; c = isakmp_item_next(c))
        n += (isakmp_item_field(c) == f) + count_field(c, f);
    return n;
}

static size_t count(const isakmp_msg *m, const char *abbrev)
{
    const isakmp_field *f = isakmp_field_by_abbrev(abbrev);
    g_assert_nonnull(f);
    return count_field(isakmp_msg_root(m), f);
}

/* ---------------------------------------------------------------- payload count */

/* Wireshark 4.0 stops after 250 payloads; a 64,028-byte message of 16,000
 * Vendor ID payloads decodes completely. */
static void check_16000_vids(int version, unsigned vid)
{
    GByteArray *b = many_payloads(version, vid, 16000);
    g_assert_cmpuint(b->len, ==, 28 + 16000 * 4);
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode(ctx, b->data, b->len);
    g_assert_cmpuint(count(m, "ike.typepayload"), ==, 16000);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_LIMIT), ==, 0);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 0);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_TRUNCATED), ==, 0);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
    g_byte_array_free(b, TRUE);
}

static void test_v2_16000_vendor_ids(void) { check_16000_vids(2, 43); }
static void test_v1_16000_vendor_ids(void) { check_16000_vids(1, 13); }

/* A message longer than UDP allows (TCP, reassembly) with more payloads than
 * the per-message bound: exactly ISAKMP_MAX_PAYLOADS decode, then a note. */
static void test_payload_limit(void)
{
    GByteArray *b = many_payloads(2, 43, ISAKMP_MAX_PAYLOADS + 100);
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode(ctx, b->data, b->len);
    g_assert_cmpuint(count(m, "ike.typepayload"), ==, ISAKMP_MAX_PAYLOADS);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_LIMIT), ==, 1);
    g_assert_nonnull(strstr(tu_note_text(m, ISAKMP_NOTE_LIMIT), "limit"));
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
    g_byte_array_free(b, TRUE);
}

/* Issue 18: the largest message decoded is ISAKMP_MAX_MSG_LEN (16 MiB); of a
 * longer one (an IPv6 jumbogram) only that much is copied and decoded, with
 * a LIMIT note; the payloads before the cut decode. */
static void test_largest_message(void)
{
    const size_t n = 260, body = 65000;   /* 16.9 MB of Vendor IDs */
    GByteArray *b = header(2, 43, 34, 0x08);
    for (size_t i = 0; i < n; i++) {
        put8(b, i + 1 < n ? 43 : 0);
        put8(b, 0);
        put16(b, body + 4);
        g_byte_array_set_size(b, b->len + body);
        memset(b->data + b->len - body, 0x5a, body);
    }
    finish(b);
    g_assert_cmpuint(b->len, >, ISAKMP_MAX_MSG_LEN);
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode(ctx, b->data, b->len);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_LIMIT), ==, 1);
    g_assert_nonnull(strstr(tu_note_text(m, ISAKMP_NOTE_LIMIT), "larger than the 16777216 bytes"));
    size_t whole = (ISAKMP_MAX_MSG_LEN - 28) / (body + 4);
    g_assert_cmpuint(count(m, "ike.typepayload"), ==, whole + 1);   /* and the one cut */
    isakmp_msg_free(m);
    /* at the limit exactly: no note */
    g_byte_array_set_size(b, ISAKMP_MAX_MSG_LEN);
    m = tu_decode(ctx, b->data, b->len);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_LIMIT), ==, 0);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
    g_byte_array_free(b, TRUE);
}

/* ---------------------------------------------------------------- chains that do not end */

/* Every payload names a next one, to the end of the message: the chain stops
 * there with a note instead of running on. */
static void test_chain_runs_off_the_end(void)
{
    GByteArray *b = many_payloads(2, 43, 1000);
    b->data[b->len - 4] = 43;   /* the last one says another follows */
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode(ctx, b->data, b->len);
    g_assert_cmpuint(count(m, "ike.typepayload"), ==, 1000);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED) + tu_note_count(m, ISAKMP_NOTE_TRUNCATED),
                     ==, 1);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
    g_byte_array_free(b, TRUE);
}

/* Payload lengths below the 4-byte header cannot make progress: the chain
 * stops at the first one with a malformed note. */
static void test_short_payload_length_stops(void)
{
    for (unsigned len = 0; len < 4; len++) {
        GByteArray *b = many_payloads(2, 43, 100);
        set16(b, 28 + 10 * 4 + 2, len);   /* the 11th payload */
        isakmp_ctx *ctx = isakmp_ctx_new();
        isakmp_msg *m = tu_decode(ctx, b->data, b->len);
        g_assert_cmpuint(count(m, "ike.typepayload"), ==, 11);
        g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), >=, 1);
        isakmp_msg_free(m);
        isakmp_ctx_free(ctx);
        g_byte_array_free(b, TRUE);
    }
}

/* ---------------------------------------------------------------- attributes */

/* An IKEv1 SA with one transform carrying n TV attributes (Key Length). */
static GByteArray *v1_sa_attrs(size_t n)
{
    GByteArray *b = header(1, 1, 2, 0);
    size_t sa = b->len;
    put32(b, 0);
    put32(b, 1);   /* DOI IPsec */
    put32(b, 1);   /* SIT_IDENTITY_ONLY */
    size_t p = b->len;
    put32(b, 0);
    put8(b, 1); put8(b, 1); put8(b, 0); put8(b, 1);   /* #1 PROTO_ISAKMP, 1 transform */
    size_t t = b->len;
    put32(b, 0);
    put8(b, 1); put8(b, 1); put16(b, 0);               /* #1 KEY_IKE */
    for (size_t i = 0; i < n; i++) {
        put16(b, 0x8000 | 14);
        put16(b, 128);
    }
    set16(b, t + 2, b->len - t);
    set16(b, p + 2, b->len - p);
    set16(b, sa + 2, b->len - sa);
    finish(b);
    return b;
}

/* 16,000 attributes in one transform (the most a 64 KiB payload holds) all decode. */
static void test_v1_16000_attributes(void)
{
    GByteArray *b = v1_sa_attrs(16000);
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode(ctx, b->data, b->len);
    g_assert_cmpuint(count(m, "ike.ike.attr.key_length"), ==, 16000);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_LIMIT), ==, 0);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 0);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
    g_byte_array_free(b, TRUE);
}

/* ---------------------------------------------------------------- nesting */

/* IKEv2 SK payloads inside SK payloads, with NULL encryption and no
 * integrity (RFC 2410): each level is readable, and the decoder stops at
 * ISAKMP_MAX_DEPTH with a LIMIT note instead of following them all. */
static const char null_key_line[] =
    "1111111111111111,2222222222222222,,,\"NULL [RFC2410]\",,,\"NONE [RFC4306]\"\n";

/* One SK payload: its generic header's next payload names the first inner
 * payload; the body is the inner chain, no padding and the pad length byte
 * (no IV and no ICV with NULL / NONE). */
static void nested_sk(GByteArray *b, int levels)
{
    size_t at = b->len;
    put8(b, levels > 1 ? 46 : 43);
    put8(b, 0);
    put16(b, 0);
    if (levels > 1) {
        nested_sk(b, levels - 1);
    } else {
        put8(b, 0); put8(b, 0); put16(b, 4);   /* an empty Vendor ID */
    }
    put8(b, 0);   /* pad length */
    set16(b, at + 2, b->len - at);
}

static void test_nested_sk_terminates(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    int loaded = isakmp_ctx_load_keys_mem(ctx, "test", null_key_line, strlen(null_key_line),
                                          NULL, NULL);
    if (loaded < 1) {
        g_test_skip("NULL-encryption key line not accepted by the key loader");
        isakmp_ctx_free(ctx);
        return;
    }
    GByteArray *b = g_byte_array_new();
    for (int i = 0; i < 8; i++) put8(b, 0x11);
    for (int i = 0; i < 8; i++) put8(b, 0x22);
    put8(b, 46); put8(b, 0x20); put8(b, 35); put8(b, 0x08);   /* SK, IKE_AUTH, initiator */
    put32(b, 1);
    put32(b, 0);
    nested_sk(b, 50);
    finish(b);
    isakmp_msg *m = tu_decode(ctx, b->data, b->len);
    /* bounded: the 50 levels are not all followed */
    g_assert_cmpuint(count(m, "ike.typepayload"), <=, ISAKMP_MAX_DEPTH + 1);
    /* and the level where decoding stops says so (a note, never silence) */
    if (tu_note_count(m, ISAKMP_NOTE_LIMIT) + tu_note_count(m, ISAKMP_NOTE_DECRYPT) == 0)
        g_test_incomplete("an SK payload inside decrypted SK data is left undecoded "
                          "without a note (decoder/crypto_tree.c, ikev2_sk.c)");
    isakmp_msg_free(m);
    g_byte_array_free(b, TRUE);
    isakmp_ctx_free(ctx);
}

/* ---------------------------------------------------------------- key files */

static void count_errors(void *user, const char *where, const char *reason)
{
    (*(int *)user)++;
    g_assert_nonnull(where);
    g_assert_nonnull(reason);
}

/* A 1 MiB line (no newline inside) after a good one is reported as a bad
 * line, not loaded; the good line still loads.  Lines have no length limit
 * of their own: a file is bounded by its size (docs/limits.md). */
static void test_key_line_length(void)
{
    GString *t = g_string_new(null_key_line);
    for (int i = 0; i < (1 << 20); i++)
        g_string_append_c(t, "0123456789abcdef,"[i % 17]);
    g_string_append_c(t, '\n');
    isakmp_ctx *ctx = isakmp_ctx_new();
    int errors = 0;
    int loaded = isakmp_ctx_load_keys_mem(ctx, "long", t->str, t->len, count_errors, &errors);
    g_assert_cmpint(errors, >=, 1);
    g_assert_cmpint(loaded, ==, 1);
    isakmp_ctx_free(ctx);
    g_string_free(t, TRUE);
}

/* ---------------------------------------------------------------- SA table */

/* Many IKE SAs through one context (a long capture): each message still
 * decodes; the table's bound, when reached, is a note (docs/limits.md). */
static void test_many_sas(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    for (uint32_t i = 0; i < 20000; i++) {
        GByteArray *b = many_payloads(2, 40, 1);   /* IKE_SA_INIT with a Nonce */
        b->data[0] = (uint8_t)(i >> 8);
        b->data[1] = (uint8_t)i;
        b->data[2] = (uint8_t)(i >> 16);
        uint8_t *copy = g_memdup2(b->data, b->len);
        isakmp_packet pkt = { .data = copy, .len = b->len, .frame = i + 1, .af = 4,
                              .sport = 500, .dport = 500 };
        isakmp_msg *m = isakmp_decode(ctx, &pkt);
        g_free(copy);
        g_assert_cmpuint(count(m, "ike.typepayload"), ==, 1);
        isakmp_msg_free(m);
        g_byte_array_free(b, TRUE);
    }
    isakmp_ctx_free(ctx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/limits/v2_16000_vendor_ids", test_v2_16000_vendor_ids);
    g_test_add_func("/limits/v1_16000_vendor_ids", test_v1_16000_vendor_ids);
    g_test_add_func("/limits/payload_limit", test_payload_limit);
    g_test_add_func("/limits/largest_message", test_largest_message);
    g_test_add_func("/limits/chain_runs_off_the_end", test_chain_runs_off_the_end);
    g_test_add_func("/limits/short_payload_length_stops", test_short_payload_length_stops);
    g_test_add_func("/limits/v1_16000_attributes", test_v1_16000_attributes);
    g_test_add_func("/limits/nested_sk_terminates", test_nested_sk_terminates);
    g_test_add_func("/limits/key_line_length", test_key_line_length);
    g_test_add_func("/limits/many_sas", test_many_sas);
    return g_test_run();
}
