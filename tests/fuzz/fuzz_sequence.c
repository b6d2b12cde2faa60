/* Harness: a sequence of messages through one context (SA state, IV chains,
 * fragment reassembly).  The input is records [selector][length u16][bytes];
 * selector bit 7 stamps the SPIs of key set (selector & 0x3f) into the
 * message, bit 6 sends it on port 4500, bit 5 marks it as carried over TCP.
 * After the first pass the frames are decoded again in reverse order, as the
 * Wireshark plugin may re-dissect them.  Then an oracle for field-directed
 * decoding: through fresh contexts (with the keys or, when the input's first
 * byte is odd, without), a few fields chosen from the input must have the
 * same values, message by message, as in full trees; a difference aborts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "fuzz_common.h"

#define MAX_RECORDS 64
#define PICKS 3

typedef struct {
    uint8_t *msg;
    size_t len;
    uint8_t sel;
} record;

typedef struct {
    int field;          /* the field whose values are collected; -1: none */
    GString *out;
    GArray *present;    /* field ids seen, with `seen` (NULL: not recorded) */
    bool *seen;
} oracle_walk;

static void oracle_item(const isakmp_item *it, void *user)
{
    oracle_walk *w = user;
    int f = isakmp_item_field(it)->id;
    if (w->present && !w->seen[f]) {
        w->seen[f] = true;
        g_array_append_val(w->present, f);
    }
    if (f != w->field)
        return;
    char buf[256];
    isakmp_item_format_value(it, buf, sizeof buf);
    g_string_append(w->out, buf);
    g_string_append_c(w->out, '|');
}

/* The values of `field` over the sequence through a fresh context (directed
 * to that field or full trees), one line per message. */
static GString *sequence_values(const record *rec, size_t n, bool keys, int field, bool directed,
                                GArray *present, bool *seen)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    if (keys)
        fz_load_keys(ctx);
    if (directed)
        isakmp_ctx_set_fields(ctx, &field, 1);
    oracle_walk w = { field, g_string_new(NULL), present, seen };
    for (size_t i = 0; i < n; i++) {
        uint16_t port = (rec[i].sel & 0x40) ? 4500 : 500;
        isakmp_packet pkt = { .data = rec[i].msg, .len = rec[i].len, .frame = (uint32_t)i + 1,
                              .af = 4, .src = { 192, 0, 2, 1 }, .dst = { 192, 0, 2, 2 },
                              .sport = port, .dport = port, .tcp = (rec[i].sel & 0x20) != 0 };
        isakmp_msg *m = isakmp_decode(ctx, &pkt);
        isakmp_msg_walk(m, oracle_item, &w);
        g_string_append_c(w.out, '\n');
        isakmp_msg_free(m);
    }
    isakmp_ctx_free(ctx);
    return w.out;
}

static void direction_oracle(const record *rec, size_t n, const uint8_t *data, size_t size)
{
    size_t nf;
    const isakmp_field *t = isakmp_fields(&nf);
    bool keys = !(size && (data[0] & 1));
    GArray *present = g_array_new(FALSE, FALSE, sizeof(int));
    bool *seen = g_new0(bool, nf);
    g_string_free(sequence_values(rec, n, keys, -1, false, present, seen), TRUE);
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    for (int k = 0; k < PICKS && present->len; k++) {
        int f = g_array_index(present, int, (h >> (7 * k)) % present->len);
        GString *full = sequence_values(rec, n, keys, f, false, NULL, NULL);
        GString *one = sequence_values(rec, n, keys, f, true, NULL, NULL);
        if (!g_string_equal(one, full)) {
            fprintf(stderr, "field-directed %s differs (%s keys):\n  full: %s\n  only: %s\n",
                    t[f].abbrev, keys ? "with" : "without", full->str, one->str);
            abort();
        }
        g_string_free(full, TRUE);
        g_string_free(one, TRUE);
    }
    g_array_free(present, TRUE);
    g_free(seen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    fz_load_keys(ctx);
    record rec[MAX_RECORDS];
    size_t n = 0;
    fz_reader r = { data, size };
    const uint8_t *p;
    size_t len;
    uint8_t sel;
    while (n < MAX_RECORDS && fz_next_record(&r, &sel, &p, &len)) {
        rec[n].msg = malloc(len ? len : 1);
        if (len)
            memcpy(rec[n].msg, p, len);
        rec[n].len = len;
        rec[n].sel = sel;
        if (sel & 0x80)
            fz_stamp(fz_keyset_get(sel & 0x3f), rec[n].msg, len);
        n++;
    }
    for (size_t i = 0; i < n; i++)
        fz_decode_walk(ctx, rec[i].msg, rec[i].len, (uint32_t)i + 1,
                       (rec[i].sel & 0x40) ? 4500 : 500, (rec[i].sel & 0x20) ? 1 : 0);
    for (size_t i = n; i-- > 0;)
        fz_decode_walk(ctx, rec[i].msg, rec[i].len, (uint32_t)i + 1,
                       (rec[i].sel & 0x40) ? 4500 : 500, (rec[i].sel & 0x20) ? 1 : 0);
    isakmp_ctx_free(ctx);
    direction_oracle(rec, n, data, size);
    for (size_t i = 0; i < n; i++)
        free(rec[i].msg);
    return 0;
}
