/*
 * The decryption modules behind the decoder's hooks (decrypt.c):
 * ikev2_sk.c (RFC 7296 3.14, RFC 5282, RFC 7383) and ikev1_crypt.c
 * (RFC 2409 Appendix B, RFC 2408 3.x) and ikev1_frag.c (IKEv1
 * fragmentation, payload 132).
 */
#ifndef ISAKMP_DECRYPT_H
#define ISAKMP_DECRYPT_H

#include "core/internal.h"

/* What keying does for the engine (decrypt.c); the engine calls them, or
 * hands them to the parsers and keying itself as struct dec_hooks.
 * v1: the E flag is set; c covers the encrypted body.  Returns true when it
 * decoded the plaintext into the tree. */
bool crypto_v1_encrypted(dec_t *d, uint32_t parent, cur_t *c, uint8_t first);
/* v2: the SK (46) or SKF (53) payload body. */
bool crypto_v2_sk(dec_t *d, cur_t *body, const payload_info *pi);
/* v1: an IKE fragment (payload 132): `data` covers the fragment bytes after
 * the 4-byte fragment header (id, number, flags with bit 0 = last).  Collects
 * it; on the fragment that completes the message, adds the fragment list and
 * decodes the reassembled message under the payload item. */
void crypto_v1_fragment(dec_t *d, cur_t *data, const payload_info *pi, uint16_t id,
                        uint8_t seq, bool last);
/* Called once the whole message is decoded (IKEv1 learns negotiated
 * algorithms and KE values from clear messages). */
void crypto_msg_done(dec_t *d);

/* The SK / SKF payload body; true when it was decrypted into the tree. */
bool ikev2_sk_decrypt(dec_t *d, cur_t *body, const payload_info *pi);

/* An IKEv1 message with the E flag; c covers the encrypted body. */
bool ikev1_decrypt(dec_t *d, uint32_t parent, cur_t *c, uint8_t first);

/* The cipher an IKEv1 SA's messages are encrypted with, as decryption
 * found it (the key from the table, the algorithm the SA negotiated): for
 * re-encrypting edited messages (edit_crypt.c).  False when the context has
 * no key or no negotiated cipher for the SA. */
typedef struct {
    int algo;               /* GCRY_CIPHER_* (CBC) */
    size_t blk, key_len;
    const uint8_t *key;     /* borrowed from the key store */
    int md;                 /* GCRY_MD_* of the SA's hash (first IVs), 0 when unknown */
} ikev1_cipher;
bool ikev1_cipher_of(const isakmp_ctx *ctx, const uint8_t ispi[8], ikev1_cipher *out);

/* An IKEv1 fragment (payload 132); see ikev1_frag.c. */
void ikev1_fragment(dec_t *d, cur_t *data, const payload_info *pi, uint16_t id, uint8_t seq,
                    bool last);

/* Called when a message has been decoded: IKEv1 learns the negotiated
 * algorithms and KE values from clear messages. */
void ikev1_msg_done(dec_t *d);

#endif
