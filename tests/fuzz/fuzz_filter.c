/* Harness: isakmpdump's display-filter compiler and evaluator (cli/filter/).
 *
 * The input is a filter expression, then a NUL byte, then an IKE message.
 * The expression is compiled (its error formatted when it does not compile);
 * a compiled filter tells a field-directed context which fields it needs,
 * and is evaluated on the message decoded both with the full tree and with
 * only those fields: the two answers must agree, since -Y relies on the
 * field-directed decoder building every field the filter reads. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter/filter.h"
#include "fuzz_common.h"

#define MAX_EXPR 4096
#define MAX_IDS 64

static bool run(const filter *f, isakmp_ctx *ctx, const isakmp_packet *pkt)
{
    capture_meta meta = { .wire_len = (uint32_t)pkt->len + 42, .cap_len = (uint32_t)pkt->len + 42,
                          .first_sec = 1699999999, .prev_sec = 1699999999, .eth = true,
                          .eth_src = { 2, 0, 0, 0, 0, 1 }, .nvlan = 1, .vlan = { 10 } };
    filter_frame fr = { .number = pkt->frame, .ts_sec = 1700000000, .ts_nsec = 5, .meta = &meta,
                        .p = pkt, .file = "fuzz.pcap", .disp_sec = 1699999999 };
    filter_scratch *s = filter_scratch_new(f);
    isakmp_msg *m = isakmp_decode(ctx, pkt);
    bool pass = s && m && filter_match(f, s, m, &fr);
    isakmp_msg_free(m);
    filter_scratch_free(s);
    return pass;
}

static void evaluate(const filter *f, const uint8_t *msg, size_t len)
{
    isakmp_packet pkt = { .data = msg, .len = len, .frame = 1, .af = 4,
                          .src = { 192, 0, 2, 1 }, .dst = { 198, 51, 100, 7 },
                          .sport = 500, .dport = 4500 };
    int ids[MAX_IDS];
    size_t n = filter_ike_fields(f, ids, MAX_IDS);

    isakmp_ctx *full = isakmp_ctx_new();
    bool want = run(f, full, &pkt);
    isakmp_ctx_free(full);
    if (n > MAX_IDS)
        return;
    isakmp_ctx *lean = isakmp_ctx_new();
    isakmp_ctx_set_fields(lean, ids, n);
    bool got = run(f, lean, &pkt);
    isakmp_ctx_free(lean);
    if (want != got)
        abort();   /* the field-directed decoder dropped a field the filter reads */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size < MAX_EXPR ? size : MAX_EXPR);
    size_t elen = nul ? (size_t)(nul - data) : (size < MAX_EXPR ? size : MAX_EXPR);
    char *expr = malloc(elen + 1);
    if (!expr)
        return 0;
    memcpy(expr, data, elen);
    expr[elen] = '\0';

    filter_error e;
    filter *f = filter_compile(expr, NULL, &e);
    if (!f) {
        FILE *sink = fopen("/dev/null", "w");
        if (sink) {
            filter_error_print(sink, "-Y", expr, &e);
            fclose(sink);
        }
    } else {
        size_t off = nul ? elen + 1 : size;
        evaluate(f, data + off, size - off);
        filter_free(f);
    }
    free(expr);
    return 0;
}
