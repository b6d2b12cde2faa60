/* Harness: one message, no keys (isakmp_decode). Decodes it twice as the same
 * frame: the second pass must work from the per-frame state of the first.
 * Then the field-directed decoding oracle (fz_direction_oracle). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    fz_decode_walk(ctx, data, size, 1, 500, 0);
    fz_decode_walk(ctx, data, size, 1, 500, 0);
    isakmp_ctx_free(ctx);
    fz_msg m = { data, size, 500, false };
    fz_direction_oracle(&m, 1, false, fz_hash(data, size));
    return 0;
}
