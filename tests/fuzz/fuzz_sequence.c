/* Harness: a sequence of messages through one context (SA state, IV chains,
 * fragment reassembly).  The input is records [selector][length u16][bytes];
 * selector bit 7 stamps the SPIs of key set (selector & 0x3f) into the
 * message, bit 6 sends it on port 4500, bit 5 marks it as carried over TCP.
 * After the first pass the frames are decoded again in reverse order, as the
 * Wireshark plugin may re-dissect them.  Then an oracle for field-directed
 * decoding: through fresh contexts (with the keys or, when the input's first
 * byte is odd, without), a few fields chosen from the input must have the
 * same values, message by message, as in full trees, and each message a
 * fresh stateless context decodes without flagging it as needing state must
 * have them too (fz_direction_oracle). */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

#define MAX_RECORDS 64

typedef struct {
    uint8_t *msg;
    size_t len;
    uint8_t sel;
} record;

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
    fz_msg msgs[MAX_RECORDS];
    for (size_t i = 0; i < n; i++)
        msgs[i] = (fz_msg){ rec[i].msg, rec[i].len, (rec[i].sel & 0x40) ? 4500 : 500,
                            (rec[i].sel & 0x20) != 0 };
    fz_direction_oracle(msgs, n, !(size && (data[0] & 1)), fz_hash(data, size));
    for (size_t i = 0; i < n; i++)
        free(rec[i].msg);
    return 0;
}
