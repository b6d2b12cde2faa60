/*
 * The decoding context of the capture file being dissected: one
 * isakmp_ctx per file, replaced by keys.c's init routine (which loads the
 * keys into the new one) and dropped by its cleanup routine.  Kept apart
 * from keys.c so that the dissecting side (transport, tree, ESP) reads the
 * context without depending on the preferences that make it.
 */
#include "ike.h"

static isakmp_ctx *ctx;

isakmp_ctx *ike_ctx(void)
{
    if (!ctx)   /* dissection before the init routine ran (should not happen) */
        ctx = isakmp_ctx_new();
    return ctx;
}

void ike_ctx_replace(isakmp_ctx *fresh)
{
    isakmp_ctx_free(ctx);
    ctx = fresh;
}
