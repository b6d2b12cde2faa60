/*
 * The decryption modules behind the decoder's hooks (decrypt.c):
 * ikev2_sk.c (RFC 7296 3.14, RFC 5282, RFC 7383) and ikev1_crypt.c
 * (RFC 2409 Appendix B, RFC 2408 3.x) and ikev1_frag.c (IKEv1
 * fragmentation, payload 132).
 */
#ifndef ISAKMP_DECRYPT_H
#define ISAKMP_DECRYPT_H

#include "core/internal.h"

/* The SK / SKF payload body; true when it was decrypted into the tree. */
bool ikev2_sk_decrypt(dec_t *d, cur_t *body, const payload_info *pi);

/* An IKEv1 message with the E flag; c covers the encrypted body. */
bool ikev1_decrypt(dec_t *d, uint32_t parent, cur_t *c, uint8_t first);

/* An IKEv1 fragment (payload 132); see ikev1_frag.c. */
void ikev1_fragment(dec_t *d, cur_t *data, const payload_info *pi, uint16_t id, uint8_t seq,
                    bool last);

/* Called when a message has been decoded: IKEv1 learns the negotiated
 * algorithms and KE values from clear messages. */
void ikev1_msg_done(dec_t *d);

#endif
