/* Decryption hooks called by the decoder (RFC 2409 Appendix B, RFC 7296 3.14). */
#include "internal.h"

bool crypto_v1_encrypted(dec_t *d, uint32_t parent, cur_t *c, uint8_t first)
{
    (void)d; (void)parent; (void)c; (void)first;
    return false;
}

bool crypto_v2_sk(dec_t *d, cur_t *body, const payload_info *pi)
{
    (void)d; (void)body; (void)pi;
    return false;
}
