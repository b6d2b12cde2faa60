/* IKEv2 payload parsers (RFC 7296 section 3 and the RFCs that extend it). */
#include "internal.h"

/* RFC 7296 3.4: Key Exchange. */
static void p_ke(dec_t *d, cur_t *b, const payload_info *pi)
{
    dec_u16(d, pi->item, b, F_KE_DH_GROUP);
    dec_bytes(d, pi->item, b, F_RESERVED, 2);
    dec_rest(d, pi->item, b, F_KE_DATA);
}

static void p_nonce(dec_t *d, cur_t *b, const payload_info *pi) { dec_rest(d, pi->item, b, F_NONCE); }
static void p_vid(dec_t *d, cur_t *b, const payload_info *pi) { dec_rest(d, pi->item, b, F_VID_BYTES); }

/* RFC 7296 3.14: Encrypted and Authenticated; opaque unless a key decrypts it. */
static void p_sk(dec_t *d, cur_t *b, const payload_info *pi)
{
    if (!crypto_v2_sk(d, b, pi))
        dec_rest(d, pi->item, b, F_ENC_DATA);
}

static const struct {
    uint8_t type;
    payload_fn fn;
} v2_parsers[] = {
    { 34, p_ke },
    { 40, p_nonce },
    { 43, p_vid },
    { 46, p_sk },
};

payload_fn v2_payload_parser(uint8_t type)
{
    for (size_t i = 0; i < G_N_ELEMENTS(v2_parsers); i++)
        if (v2_parsers[i].type == type)
            return v2_parsers[i].fn;
    return NULL;
}
