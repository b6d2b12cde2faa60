/* IKEv1 payload parsers (RFC 2408 section 3, RFC 2409, RFC 2407 section 4.6). */
#include "internal.h"

/* RFC 2408 3.7, 3.11, 3.13: payloads that are one opaque value. */
static void p_ke(dec_t *d, cur_t *b, const payload_info *pi) { dec_rest(d, pi->item, b, F_KE_DATA); }
static void p_hash(dec_t *d, cur_t *b, const payload_info *pi) { dec_rest(d, pi->item, b, F_HASH); }
static void p_nonce(dec_t *d, cur_t *b, const payload_info *pi) { dec_rest(d, pi->item, b, F_NONCE); }
static void p_vid(dec_t *d, cur_t *b, const payload_info *pi) { dec_rest(d, pi->item, b, F_VID_BYTES); }

static const struct {
    uint8_t type;
    payload_fn fn;
} v1_parsers[] = {
    { 4, p_ke },
    { 8, p_hash },
    { 10, p_nonce },
    { 13, p_vid },
};

payload_fn v1_payload_parser(uint8_t type)
{
    for (size_t i = 0; i < G_N_ELEMENTS(v1_parsers); i++)
        if (v1_parsers[i].type == type)
            return v1_parsers[i].fn;
    return NULL;
}
