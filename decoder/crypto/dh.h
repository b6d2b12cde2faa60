/*
 * Diffie-Hellman shared secrets (g^xy, g^ir) from one side's private value
 * and the other side's public value, for the groups IKE uses: MODP (RFC 2409,
 * RFC 3526, RFC 5114), ECP (RFC 5903, RFC 5114, RFC 6954) and Curve25519 /
 * Curve448 (RFC 8031), all computed with libgcrypt.
 *
 * Value formats are the wire formats of the KE payload: MODP values are
 * big-endian and as long as the prime; ECP public values are x | y (RFC 5903
 * 7) and the shared secret is x alone; Curve25519/448 values are the RFC 7748
 * little-endian strings.  Private values: MODP and ECP big-endian integers,
 * Curve25519/448 the 32 / 56 byte RFC 7748 scalar.
 */
#ifndef ISAKMP_DH_H
#define ISAKMP_DH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DH_MAX_LEN 1024   /* the longest public value (group 18, 8192 bits) */

/* True when `group` (IANA "Transform Type 4" id) is supported. */
bool dh_supported(int group);

/* Length of the group's public value in the KE payload, 0 when unknown. */
size_t dh_public_len(int group);

/* Length of the group's shared secret, 0 when unknown. */
size_t dh_shared_len(int group);

/* Public value of private value `priv` into out (dh_public_len bytes).
 * False for an unknown group or an unusable private value. */
bool dh_public(int group, const uint8_t *priv, size_t privlen, uint8_t *out);

/* Shared secret of `priv` and the peer's public value into out (dh_shared_len
 * bytes).  False for an unknown group, a public value of the wrong length or
 * not in the group (1 < y < p-1, a point on the curve), or a failure. */
bool dh_shared(int group, const uint8_t *priv, size_t privlen, const uint8_t *peer,
               size_t peerlen, uint8_t *out);

#endif
