/* Decryption hooks called by the decoder (RFC 2409 Appendix B, RFC 7296 3.14). */
#include "keying/decrypt.h"

bool crypto_v1_encrypted(dec_t *d, uint32_t parent, cur_t *c, uint8_t first)
{
    return ikev1_decrypt(d, parent, c, first);
}

bool crypto_v2_sk(dec_t *d, cur_t *body, const payload_info *pi)
{
    return ikev2_sk_decrypt(d, body, pi);
}

void crypto_v1_fragment(dec_t *d, cur_t *data, const payload_info *pi, uint16_t id,
                        uint8_t seq, bool last)
{
    if (dec_stateless(d))
        return;   /* fragments are collected across messages */
    ikev1_fragment(d, data, pi, id, seq, last);
}

void crypto_msg_done(dec_t *d)
{
    if (d->version == 1)
        ikev1_msg_done(d);
}
