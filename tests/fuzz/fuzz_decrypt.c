/* Harness: one message with keys.  The first byte picks a key set (one per
 * cipher family, see fuzz_common.c); the harness writes that set's SPIs
 * (IKEv2) or cookies (IKEv1) into the message's header so the decrypted
 * parsers are reached.  IKEv1 sets first get a Main Mode preamble that
 * negotiates their cipher and exchanges KE payloads (for the IV). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const fz_keyset *ks = fz_keyset_for(data + 1, size - 1);
    bool own = ks != NULL;   /* the message already belongs to a key set */
    if (!own)
        ks = fz_keyset_get(data[0]);
    isakmp_ctx *ctx = isakmp_ctx_new();
    fz_load_keys(ctx);
    uint32_t frame = ks->version == 1 && ks->builtin ? fz_v1_preamble(ctx, ks) : 1;
    size_t len = size - 1;
    uint8_t *msg = malloc(len ? len : 1);
    if (len)
        memcpy(msg, data + 1, len);
    if (!own)
        fz_stamp(ks, msg, len);
    fz_decode_walk(ctx, msg, len, frame, 500, 0);
    fz_decode_walk(ctx, msg, len, frame, 500, 0);   /* random access: same frame again */
    free(msg);
    isakmp_ctx_free(ctx);
    return 0;
}
