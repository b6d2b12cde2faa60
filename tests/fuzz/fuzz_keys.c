/* Harness: the key-table, secrets-file and daemon-log parsers
 * (isakmp_ctx_load_keys_mem on the raw input; the format is detected from
 * the content).  The text is not NUL-terminated and sits at the end of a
 * heap block, so reading past `len` is caught.  It is loaded twice into the
 * same context (duplicate entries), then one message is decoded with the
 * loaded keys, its SPIs taken from the first hex digits of the input. */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

static void on_error(void *user, const char *where, const char *reason)
{
    size_t *n = user;
    *n += strlen(where) + strlen(reason);
}

/* An IKEv2 IKE_AUTH request whose SK payload carries 32 bytes. */
static void decode_sk(isakmp_ctx *ctx, const uint8_t *text, size_t len)
{
    uint8_t m[28 + 4 + 48] = { 0 };
    for (size_t i = 0, k = 0; i < len && k < 32; i++)
        if (g_ascii_isxdigit(text[i])) {
            int v = g_ascii_xdigit_value(text[i]);
            m[k / 2] = (uint8_t)(k % 2 ? (m[k / 2] | v) : v << 4);
            k++;
        }
    m[16] = 46;                 /* SK */
    m[17] = 0x20;
    m[18] = 35;                 /* IKE_AUTH */
    m[19] = 0x08;               /* initiator */
    m[23] = 1;                  /* message ID 1 */
    m[27] = sizeof m;
    m[28] = 35;                 /* first inner payload: IDi */
    m[31] = 52;
    for (size_t i = 32; i < sizeof m; i++)
        m[i] = (uint8_t)i;
    fz_decode_walk(ctx, m, sizeof m, 1, 500, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size ? size : 1);
    if (size)
        memcpy(text, data, size);
    isakmp_ctx *ctx = isakmp_ctx_new();
    size_t errs = 0;
    isakmp_ctx_load_keys_mem(ctx, "fuzz", text, size, on_error, &errs);
    isakmp_ctx_load_keys_mem(ctx, "fuzz", text, size, NULL, NULL);
    decode_sk(ctx, data, size);
    isakmp_ctx_free(ctx);
    free(text);
    return 0;
}
