/* Harness for the structure-aware mutator (mutator/libfuzzer.c supplies
 * LLVMFuzzerCustomMutator / CustomCrossOver): one message decoded in a
 * context with the keys of ISAKMP_MUTATOR_KEYS (':'-separated -k files),
 * every item walked, so mutants that keep their ICVs reach the parsers of
 * the decrypted payloads. */
#include <glib.h>
#include <stdlib.h>

#include "fuzz_common.h"

static isakmp_ctx *ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    ctx = isakmp_ctx_new();
    isakmp_ctx_set_frame_records(ctx, false);
    const char *keys = getenv("ISAKMP_MUTATOR_KEYS");
    char **files = g_strsplit(keys ? keys : "", ":", -1);
    for (char **f = files; *f; f++)
        if (**f)
            isakmp_ctx_load_keys(ctx, *f, NULL, NULL);
    g_strfreev(files);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_decode_walk(ctx, data, size, 0, 500, 0);
    return 0;
}
