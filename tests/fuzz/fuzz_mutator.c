/* Harness for the edit API and the structure-aware mutator
 * (mutator/libfuzzer.c supplies LLVMFuzzerCustomMutator / CustomCrossOver):
 * one message decoded in a context with the keys of ISAKMP_MUTATOR_KEYS
 * (':'-separated -k files), every item walked, so mutants that keep their
 * ICVs reach the parsers of the decrypted payloads.  Oracle: the message
 * made an edit and encoded without change gives the bytes decoded; a
 * mutation of it encodes (or says it cannot) without fault. */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "isakmp/edit.h"

static isakmp_ctx *ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ctx = isakmp_ctx_new();
    isakmp_ctx_set_frame_records(ctx, false);
    isakmp_ctx_set_sa_limit(ctx, 256);
    const char *keys = getenv("ISAKMP_MUTATOR_KEYS");
    char **files = g_strsplit(keys ? keys : "", ":", -1);
    for (char **f = files; *f; f++)
        if (**f)
            isakmp_ctx_load_keys(ctx, *f, NULL, NULL);
    g_strfreev(files);
    return 0;
}

static void round_trip(const isakmp_msg *m)
{
    size_t n = 0;
    const uint8_t *p = isakmp_msg_source_data(m, 0, &n);
    isakmp_edit *e = isakmp_edit_new(ctx, m);
    if (!e)
        return;
    size_t len = isakmp_edit_encode(e, NULL, 0);
    uint8_t *b = malloc(len ? len : 1);
    if (len != n || isakmp_edit_encode(e, b, len) != len || memcmp(b, p, n) != 0)
        abort();   /* decode -> encode without change must give the same bytes */
    free(b);
    uint64_t rng = n;
    for (int i = 0; i < 2; i++)
        isakmp_edit_mutate(e, &rng, i ? ISAKMP_MUTATE_BREAK : ISAKMP_MUTATE_INNER, NULL);
    len = isakmp_edit_encode(e, NULL, 0);
    b = malloc(len ? len : 1);
    if (len && isakmp_edit_encode(e, b, len) != len)
        abort();
    free(b);
    isakmp_edit_free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    isakmp_packet pkt = { .data = data, .len = size, .af = 4, .sport = 500, .dport = 500 };
    isakmp_msg *m = isakmp_decode(ctx, &pkt);
    round_trip(m);
    isakmp_msg_free(m);
    fz_decode_walk(ctx, data, size, 0, 500, 0);
    return 0;
}
