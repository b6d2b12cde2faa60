/* IKEv1 fragmentation (payload 132, ikev1_frag.c): reassembly in any
 * order, decoding frames again (random access), the real strongSwan
 * capture samples/ikev1-main-rsa-certs-frag (fragmented clear KE messages
 * and fragmented encrypted MM5 / MM6, then Quick Mode whose IV chain
 * follows them; the payload lists were checked against tshark 4.0 with the
 * sample's ikev1_decryption_table), and the limits: bad numbers,
 * duplicates, too many fragments, too many bytes, too many open messages
 * (the oldest goes), fragments inside a reassembled message, truncated
 * fragments, frame 0, streaming without frame records. */
#include <glib.h>
#include <string.h>

#include "testutil.h"

#define ICOOKIE "0102030405060708"
#define RCOOKIE "1112131415161718"

/* IKEv1 header (RFC 2408 3.1), Main Mode, flags 0; length set by finish(). */
static GByteArray *header(uint8_t next)
{
    size_t n;
    GByteArray *b = g_byte_array_new();
    uint8_t *c = tu_hex(ICOOKIE RCOOKIE, &n);
    g_byte_array_append(b, c, 16);
    g_free(c);
    uint8_t rest[12] = { next, 0x10, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
    g_byte_array_append(b, rest, sizeof rest);
    return b;
}

static GByteArray *finish(GByteArray *b)
{
    tu_put32(b, 24, b->len);
    return b;
}

/* A Nonce payload (RFC 2408 3.13) of n bytes of `fill`. */
static void nonce(GByteArray *b, uint8_t next, size_t n, uint8_t fill)
{
    uint8_t h[4] = { next, 0, 0, 0 };
    g_byte_array_append(b, h, 4);
    tu_put16(b, b->len - 2, n + 4);
    for (size_t i = 0; i < n; i++)
        g_byte_array_append(b, &fill, 1);
}

/* A whole clear message: Nonce, Nonce, Nonce. */
static GByteArray *whole_message(void)
{
    GByteArray *b = header(10);
    nonce(b, 10, 20, 0x11);
    nonce(b, 10, 30, 0x22);
    nonce(b, 0, 40, 0x33);
    return finish(b);
}

/* A message carrying one IKE fragment (payload 132) of `n` bytes at p. */
static GByteArray *frag_msg(uint16_t id, uint8_t seq, bool last, const uint8_t *p, size_t n)
{
    GByteArray *b = header(132);
    uint8_t h[8] = { 0, 0, 0, 0, id >> 8, id, seq, last };
    g_byte_array_append(b, h, 8);
    g_byte_array_append(b, p, n);
    tu_put16(b, 30, n + 8);
    return finish(b);
}

/* Fragment `seq` of 3 of `whole`. */
static GByteArray *third(const GByteArray *whole, uint16_t id, uint8_t seq)
{
    size_t part = (whole->len + 2) / 3, off = (seq - 1u) * part;
    return frag_msg(id, seq, seq == 3, whole->data + off, MIN(part, whole->len - off));
}

static void test_any_order(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    GByteArray *whole = whole_message();
    GByteArray *f[4] = { NULL, third(whole, 7, 1), third(whole, 7, 2), third(whole, 7, 3) };
    /* frames 10, 11, 12 carry fragments 3 (last), 1, 2 */
    isakmp_msg *m = tu_decode_frame(ctx, f[3], 10);
    tu_assert_values(m, "ike.typepayload", "132");
    tu_assert_values(m, "ike.frag.last", "1");
    isakmp_msg_free(m);
    m = tu_decode_frame(ctx, f[1], 11);
    tu_assert_values(m, "ike.fragment", "");
    isakmp_msg_free(m);
    char len[16];
    g_snprintf(len, sizeof len, "%u", whole->len);
    for (int pass = 0; pass < 2; pass++) {   /* the first pass, then decoding again */
        m = tu_decode_frame(ctx, f[2], 12);
        tu_assert_values(m, "ike.typepayload", "132,10,10,10");
        tu_assert_values(m, "ike.fragment", "11,12,10");
        tu_assert_values(m, "ike.fragment.count", "3");
        tu_assert_values(m, "ike.reassembled.length", len);
        char lens[32];
        g_snprintf(lens, sizeof lens, "%u,%s", f[2]->len, len);
        tu_assert_values(m, "ike.length", lens);
        g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 0);
        g_assert_cmpstr(isakmp_msg_source_name(m, 1), ==, "Reassembled IKE");
        size_t n;
        const uint8_t *src = isakmp_msg_source_data(m, 1, &n);
        g_assert_cmpmem(src, n, whole->data, whole->len);
        isakmp_msg_free(m);
    }
    m = tu_decode_frame(ctx, f[3], 10);   /* again: points at the completing frame */
    tu_assert_values(m, "ike.reassembled.in", "12");
    tu_assert_values(m, "ike.fragment", "");
    isakmp_msg_free(m);
    for (int i = 1; i <= 3; i++)
        g_byte_array_unref(f[i]);
    g_byte_array_unref(whole);
    isakmp_ctx_free(ctx);
}

/* Without frame numbers (frame 0) reassembly still works on the first pass. */
static void test_frame_zero(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    GByteArray *whole = whole_message();
    for (uint8_t s = 1; s <= 3; s++) {
        GByteArray *f = third(whole, 9, s);
        isakmp_msg *m = tu_decode_frame(ctx, f, 0);
        tu_assert_values(m, "ike.typepayload", s == 3 ? "132,10,10,10" : "132");
        isakmp_msg_free(m);
        g_byte_array_unref(f);
    }
    g_byte_array_unref(whole);
    isakmp_ctx_free(ctx);
}

/* Decodes `b` as frame `frame`; returns the note count with `code`. */
static size_t notes_of(isakmp_ctx *ctx, GByteArray *b, uint32_t frame, isakmp_note_code code,
                       const char *types)
{
    isakmp_msg *m = tu_decode_frame(ctx, b, frame);
    size_t n = tu_note_count(m, code);
    if (types)
        tu_assert_values(m, "ike.typepayload", types);
    isakmp_msg_free(m);
    g_byte_array_unref(b);
    return n;
}

static void test_bad_numbers(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    const uint8_t p[8] = { 0 };
    uint32_t fr = 1;
    /* number 0 */
    g_assert_cmpuint(notes_of(ctx, frag_msg(1, 0, false, p, 8), fr++, ISAKMP_NOTE_MALFORMED, "132"), ==, 1);
    /* 2 is last, then 3 comes */
    g_assert_cmpuint(notes_of(ctx, frag_msg(2, 2, true, p, 8), fr++, ISAKMP_NOTE_MALFORMED, NULL), ==, 0);
    g_assert_cmpuint(notes_of(ctx, frag_msg(2, 3, false, p, 8), fr++, ISAKMP_NOTE_MALFORMED, NULL), ==, 1);
    /* a second last fragment with another number */
    g_assert_cmpuint(notes_of(ctx, frag_msg(2, 4, true, p, 8), fr++, ISAKMP_NOTE_MALFORMED, NULL), ==, 1);
    /* 5 seen, then 3 says it is the last */
    g_assert_cmpuint(notes_of(ctx, frag_msg(3, 5, false, p, 8), fr++, ISAKMP_NOTE_MALFORMED, NULL), ==, 0);
    g_assert_cmpuint(notes_of(ctx, frag_msg(3, 3, true, p, 8), fr++, ISAKMP_NOTE_MALFORMED, NULL), ==, 1);
    /* a retransmitted fragment is ignored with a note */
    g_assert_cmpuint(notes_of(ctx, frag_msg(4, 1, false, p, 8), fr++, ISAKMP_NOTE_INFO, NULL), ==, 0);
    g_assert_cmpuint(notes_of(ctx, frag_msg(4, 1, false, p, 8), fr++, ISAKMP_NOTE_INFO, NULL), ==, 1);
    isakmp_ctx_free(ctx);
}

static void test_limits(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    static uint8_t big[40000];
    /* more than 64 fragments */
    g_assert_cmpuint(notes_of(ctx, frag_msg(1, 65, false, big, 8), 1, ISAKMP_NOTE_LIMIT, NULL), ==, 1);
    g_assert_cmpuint(notes_of(ctx, frag_msg(1, 64, false, big, 8), 2, ISAKMP_NOTE_LIMIT, NULL), ==, 0);
    /* more than 65535 bytes */
    g_assert_cmpuint(notes_of(ctx, frag_msg(2, 1, false, big, sizeof big), 3, ISAKMP_NOTE_LIMIT, NULL), ==, 0);
    g_assert_cmpuint(notes_of(ctx, frag_msg(2, 2, true, big, sizeof big), 4, ISAKMP_NOTE_LIMIT, NULL), ==, 1);
    /* more than 16 incomplete messages in the SA: the oldest goes */
    size_t evicted = 0;
    for (uint16_t id = 3; id < 3 + 20; id++)
        evicted += notes_of(ctx, frag_msg(id, 1, false, big, 8), 10u + id, ISAKMP_NOTE_LIMIT, NULL);
    g_assert_cmpuint(evicted, >, 0);
    isakmp_ctx_free(ctx);
}

/* The 17th incomplete message of an SA drops the oldest one (the first
 * fragment seen), with one LIMIT note; the others still complete. */
/* Half `seq` (1, or 2: the last) of `whole`. */
static GByteArray *half(const GByteArray *whole, uint16_t id, uint8_t seq)
{
    size_t part = whole->len / 2, off = seq == 1 ? 0 : part;
    return frag_msg(id, seq, seq == 2, whole->data + off, seq == 1 ? part : whole->len - part);
}

static void test_evicts_oldest(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    GByteArray *whole = whole_message();
    size_t notes = 0;
    uint32_t fr = 1;
    for (uint16_t id = 1; id <= 17; id++)   /* the first halves of messages 1..17 */
        notes += notes_of(ctx, half(whole, id, 1), fr++, ISAKMP_NOTE_LIMIT, "132");
    g_assert_cmpuint(notes, ==, 1);
    /* 17 completes (16 sets left: 2..16); 1 was dropped: its second half
     * starts a set of its own (the 16th, no note); 2 is still there */
    const char *done = "132,10,10,10";
    g_assert_cmpuint(notes_of(ctx, half(whole, 17, 2), fr++, ISAKMP_NOTE_LIMIT, done), ==, 0);
    g_assert_cmpuint(notes_of(ctx, half(whole, 1, 2), fr++, ISAKMP_NOTE_LIMIT, "132"), ==, 0);
    g_assert_cmpuint(notes_of(ctx, half(whole, 2, 2), fr++, ISAKMP_NOTE_LIMIT, done), ==, 0);
    g_byte_array_unref(whole);
    isakmp_ctx_free(ctx);
}

/* The context's budget for pending fragment bytes (issue 18): 200 SAs with
 * 16 incomplete sets each (first fragments of 3,000 bytes: ~12 KiB charged
 * a set, ~39 MiB in all without the budget) stay within a 256 KiB budget
 * after every message, the oldest sets going first with one LIMIT note
 * each, counted; a set that then completes still reassembles. */
static void test_budget(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_ctx_set_frame_records(ctx, false);
    isakmp_ctx_set_frag_budget(ctx, 1000);   /* below the least: 256 KiB */
    const size_t budget = 256 << 10;
    uint8_t *piece = g_malloc(3000);
    memset(piece, 0xab, 3000);
    uint32_t fr = 1;
    size_t notes = 0;
    isakmp_frag_stats st;
    for (uint32_t sa = 0; sa < 200; sa++)
        for (uint16_t id = 1; id <= 16; id++) {
            GByteArray *b = frag_msg(id, 1, false, piece, 3000);
            tu_put32(b, 0, sa);   /* the SA: initiator cookie */
            isakmp_msg *m = tu_decode_frame(ctx, b, fr++);
            notes += tu_note_count(m, ISAKMP_NOTE_LIMIT);
            const char *t = tu_note_text(m, ISAKMP_NOTE_LIMIT);
            if (t)
                g_assert_nonnull(strstr(t, "Pending fragment budget of 262144 bytes"));
            isakmp_msg_free(m);
            g_byte_array_unref(b);
            isakmp_ctx_frag_stats(ctx, &st);
            g_assert_cmpuint(st.pending_bytes, <=, budget);
        }
    isakmp_ctx_frag_stats(ctx, &st);
    g_assert_cmpuint(st.peak_bytes, <=, budget);
    g_assert_cmpuint(st.evicted_sets, >, 3000);
    g_assert_cmpuint(st.evicted_sets, ==, notes);
    g_assert_cmpuint(st.evicted_bytes, >, st.evicted_sets * 12000);
    /* the oldest went first: the newest SA's sets are all still there */
    GByteArray *whole = whole_message();
    GByteArray *b = half(whole, 16, 2);   /* 2 of 2 of SA 199's set 16 */
    tu_put32(b, 0, 199);
    isakmp_msg *m = tu_decode_frame(ctx, b, fr++);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_LIMIT), ==, 0);
    isakmp_msg_free(m);
    g_byte_array_unref(b);
    /* a set that completes still reassembles */
    for (uint8_t seq = 1; seq <= 2; seq++) {
        b = half(whole, 99, seq);
        isakmp_msg *m2 = tu_decode_frame(ctx, b, fr++);
        tu_assert_values(m2, "ike.typepayload", seq == 2 ? "132,10,10,10" : "132");
        isakmp_msg_free(m2);
        g_byte_array_unref(b);
    }
    isakmp_ctx_frag_stats(ctx, &st);
    g_assert_cmpuint(st.pending_bytes, <=, budget);
    g_byte_array_unref(whole);
    g_free(piece);
    isakmp_ctx_free(ctx);
}

/* Without frame records (isakmpdump's streaming mode) fragments in any
 * order, and empty ones, reassemble to the same bytes. */
static void test_no_records(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_ctx_set_frame_records(ctx, false);
    GByteArray *whole = whole_message();
    static const uint8_t orders[2][3] = { { 1, 2, 3 }, { 3, 1, 2 } };
    for (int o = 0; o < 2; o++)
        for (int i = 0; i < 3; i++) {
            GByteArray *f = third(whole, (uint16_t)(20 + o), orders[o][i]);
            isakmp_msg *m = tu_decode_frame(ctx, f, 30u + 3u * (uint32_t)o + (uint32_t)i);
            tu_assert_values(m, "ike.typepayload", i == 2 ? "132,10,10,10" : "132");
            if (i == 2) {
                tu_assert_values(m, "ike.fragment", o ? "34,35,33" : "30,31,32");
                size_t n;
                const uint8_t *src = isakmp_msg_source_data(m, 1, &n);
                g_assert_cmpmem(src, n, whole->data, whole->len);
            }
            isakmp_msg_free(m);
            g_byte_array_unref(f);
        }
    /* the whole message in fragment 2, an empty last fragment 1 */
    GByteArray *f2 = frag_msg(22, 2, true, whole->data, whole->len);
    GByteArray *f1 = frag_msg(22, 1, false, whole->data, 0);
    isakmp_msg_free(tu_decode_frame(ctx, f2, 40));
    isakmp_msg *m = tu_decode_frame(ctx, f1, 41);
    tu_assert_values(m, "ike.typepayload", "132,10,10,10");
    size_t n;
    const uint8_t *src = isakmp_msg_source_data(m, 1, &n);
    g_assert_cmpmem(src, n, whole->data, whole->len);
    isakmp_msg_free(m);
    g_byte_array_unref(f1);
    g_byte_array_unref(f2);
    g_byte_array_unref(whole);
    isakmp_ctx_free(ctx);
}

/* A reassembled message that holds another fragment: not reassembled again. */
static void test_nested(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    const uint8_t p[8] = { 0 };
    GByteArray *inner = frag_msg(5, 1, true, p, 8);
    GByteArray *outer = frag_msg(6, 1, true, inner->data, inner->len);
    isakmp_msg *m = tu_decode_frame(ctx, outer, 1);
    tu_assert_values(m, "ike.typepayload", "132,132");
    tu_assert_values(m, "ike.frag.packetid", "0x0006,0x0005");
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 1);
    isakmp_msg_free(m);
    g_byte_array_unref(inner);
    g_byte_array_unref(outer);
    isakmp_ctx_free(ctx);
}

/* A fragment cut short by the capture is shown, not collected. */
static void test_truncated(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    GByteArray *whole = whole_message();
    GByteArray *f1 = third(whole, 1, 1), *f2 = third(whole, 1, 2), *f3 = third(whole, 1, 3);
    g_byte_array_set_size(f2, f2->len - 5);
    isakmp_msg_free(tu_decode_frame(ctx, f1, 1));
    isakmp_msg *m = tu_decode_frame(ctx, f2, 2);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_TRUNCATED), >, 0);
    isakmp_msg_free(m);
    m = tu_decode_frame(ctx, f3, 3);
    tu_assert_values(m, "ike.typepayload", "132");   /* fragment 2 is missing */
    isakmp_msg_free(m);
    g_byte_array_unref(f1);
    g_byte_array_unref(f2);
    g_byte_array_unref(f3);
    g_byte_array_unref(whole);
    isakmp_ctx_free(ctx);
}

/* ---------------------------------------------------------------- the sample */

typedef struct {
    GByteArray *data;
    isakmp_packet pkt;
} frame_t;

/* The UDP 500 / 4500 frames of a pcap of Ethernet / IPv4 (enough for the
 * sample; the CLI has the real capture layers).  4500 loses its marker. */
static GPtrArray *read_sample(const char *path)
{
    gchar *raw;
    gsize len;
    g_assert_true(g_file_get_contents(path, &raw, &len, NULL));
    const uint8_t *p = (const uint8_t *)raw;
    GPtrArray *out = g_ptr_array_new();
    uint32_t num = 0;
    for (size_t off = 24; off + 16 <= len; ) {
        uint32_t cap = p[off + 8] | p[off + 9] << 8 | p[off + 10] << 16 | (uint32_t)p[off + 11] << 24;
        const uint8_t *f = p + off + 16;
        off += 16 + cap;
        num++;
        if (off > len || cap < 42 || f[12] != 0x08 || f[13] != 0 || f[23] != 17)
            continue;
        size_t ihl = (f[14] & 15u) * 4, udp = 14 + ihl;
        size_t sport = f[udp] << 8 | f[udp + 1], dport = f[udp + 2] << 8 | f[udp + 3];
        size_t start = udp + 8 + (sport == 4500 || dport == 4500 ? 4 : 0);
        if (start >= cap)
            continue;
        frame_t *fr = g_new0(frame_t, 1);
        fr->data = g_byte_array_new();
        g_byte_array_append(fr->data, f + start, cap - start);
        fr->pkt = (isakmp_packet){ .data = fr->data->data, .len = fr->data->len, .frame = num,
                                   .af = 4, .sport = (uint16_t)sport, .dport = (uint16_t)dport };
        memcpy(fr->pkt.src, f + 26, 4);
        memcpy(fr->pkt.dst, f + 30, 4);
        g_ptr_array_add(out, fr);
    }
    g_free(raw);
    return out;
}

/* Every item's field, location and value, in tree order. */
static void dump(const isakmp_item *it, GString *s)
{
    for (const isakmp_item *c = isakmp_item_first_child(it); c; c = isakmp_item_next(c)) {
        char v[256];
        isakmp_item_format_value(c, v, sizeof v);
        g_string_append_printf(s, "%s@%zu:%zu+%zu=%s\n", isakmp_item_field(c)->abbrev,
                               isakmp_item_source(c), isakmp_item_offset(c),
                               isakmp_item_length(c), v);
        dump(c, s);
    }
}

static char *decode_dump(isakmp_ctx *ctx, const frame_t *f, char **types)
{
    isakmp_msg *m = isakmp_decode(ctx, &f->pkt);
    GString *s = g_string_new(NULL);
    dump(isakmp_msg_root(m), s);
    if (types)
        *types = tu_values(m, "ike.typepayload");
    isakmp_msg_free(m);
    return g_string_free(s, FALSE);
}

/* tshark 4.0 -T fields -e isakmp.typepayload with the sample's table. */
static const struct {
    uint32_t frame;
    const char *types;
} sample_types[] = {
    { 3, "132" }, { 4, "132,4,10,20,20" }, { 6, "132,4,10,7,20,20" },
    { 10, "132" }, { 11, "132,5,6,9,7,11" }, { 15, "132,5,6,9" },
    { 16, "8,1,2,3,10,5,5" }, { 17, "8,1,2,3,10,5,5" }, { 18, "8" },
    { 23, "8,12" }, { 24, "8,12" },
};

static void test_sample(void)
{
    char *dir = g_build_filename(ISAKMP_SOURCE_DIR, "samples", "ikev1-main-rsa-certs-frag", NULL);
    char *cap = g_build_filename(dir, "capture.pcap", NULL);
    char *table = g_build_filename(dir, "ikev1_decryption_table", NULL);
    if (!g_file_test(cap, G_FILE_TEST_EXISTS)) {
        g_test_skip("sample capture missing");
        goto out;
    }
    GPtrArray *frames = read_sample(cap);
    isakmp_ctx *ctx = isakmp_ctx_new();
    g_assert_cmpint(isakmp_ctx_load_keys(ctx, table, NULL, NULL), ==, 1);
    char **types = g_new0(char *, frames->len), **second = g_new0(char *, frames->len);
    for (guint i = 0; i < frames->len; i++)   /* first pass, in order */
        g_free(decode_dump(ctx, frames->pdata[i], &types[i]));
    for (guint i = frames->len; i-- > 0; )    /* again, backwards */
        second[i] = decode_dump(ctx, frames->pdata[i], NULL);
    for (guint i = 0; i < frames->len; i++) {
        const frame_t *f = frames->pdata[i];
        for (size_t k = 0; k < G_N_ELEMENTS(sample_types); k++)
            if (sample_types[k].frame == f->pkt.frame)
                g_assert_cmpstr(types[i], ==, sample_types[k].types);
        char *third_pass = decode_dump(ctx, f, NULL);   /* forwards again: the same tree */
        g_assert_cmpstr(third_pass, ==, second[i]);
        g_free(third_pass);
        g_free(types[i]);
        g_free(second[i]);
        g_byte_array_unref(f->data);
        g_free(frames->pdata[i]);
    }
    g_free(types);
    g_free(second);
    g_ptr_array_free(frames, TRUE);
    isakmp_ctx_free(ctx);
out:
    g_free(dir);
    g_free(cap);
    g_free(table);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/crypto-frag/any-order", test_any_order);
    g_test_add_func("/crypto-frag/frame-zero", test_frame_zero);
    g_test_add_func("/crypto-frag/bad-numbers", test_bad_numbers);
    g_test_add_func("/crypto-frag/limits", test_limits);
    g_test_add_func("/crypto-frag/evicts-oldest", test_evicts_oldest);
    g_test_add_func("/crypto-frag/budget", test_budget);
    g_test_add_func("/crypto-frag/no-records", test_no_records);
    g_test_add_func("/crypto-frag/nested", test_nested);
    g_test_add_func("/crypto-frag/truncated", test_truncated);
    g_test_add_func("/crypto-frag/sample", test_sample);
    return g_test_run();
}
