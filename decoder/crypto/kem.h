/*
 * ML-KEM decapsulation (FIPS 203; IKEv2 Key Exchange Methods 35-37,
 * draft-ietf-ipsecme-ikev2-mlkem) with libgcrypt's gcry_kem, where the
 * installed libgcrypt has it (1.11 and later: HAVE_GCRY_KEM, found at build
 * time).  The initiator sends the encapsulation key in its KE payload, the
 * responder the ciphertext; the initiator's decapsulation key (the expanded
 * form libgcrypt takes, 1632 / 2400 / 3168 octets) and the ciphertext give
 * the 32-octet shared secret.
 */
#ifndef ISAKMP_KEM_H
#define ISAKMP_KEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEM_SHARED_LEN 32
#define KEM_MAX_PRIVATE 3168      /* ML-KEM-1024's decapsulation key */

/* True when the group is ML-KEM (35, 36, 37). */
bool kem_is_mlkem(uint16_t group);
/* True when this build can decapsulate (libgcrypt with gcry_kem). */
bool kem_available(void);
/* The shared secret into out (KEM_SHARED_LEN octets): true when the group
 * is ML-KEM, the key and ciphertext have its sizes and libgcrypt agrees. */
/* True when dk is a decapsulation key of the group whose encapsulation key
 * is ek: FIPS 203 7.1 makes dk = dkPKE | ek | H(ek) | z, dkPKE 384k octets
 * and ek 384k + 32 (k 2, 3, 4).  Needs no libgcrypt. */
bool kem_dk_has_ek(uint16_t group, const uint8_t *dk, size_t dk_len, const uint8_t *ek, size_t ek_len);
bool kem_decap(uint16_t group, const uint8_t *dk, size_t dk_len, const uint8_t *ct, size_t ct_len,
               uint8_t out[KEM_SHARED_LEN]);

#endif
