/*
 * Recomputing IKE hashes and AUTH values (verify.c): IKEv1 HASH_I / HASH_R
 * (RFC 2409 5), Quick Mode HASH(1..3) (RFC 2409 5.5) and Informational
 * HASH(1) (RFC 2409 5.7); IKEv2 AUTH for shared keys (RFC 7296 2.15) and
 * signatures (RSA, ECDSA per RFC 4754, RFC 7427 digital signatures) checked
 * against the public key of an X.509 certificate (libksba + libgcrypt).
 *
 * All inputs are plain buffers the caller took from the message (payload
 * bodies without their generic headers, exactly as on the wire).  Hash
 * functions write kdf_prf_size(prf) bytes; they return false when the PRF
 * is unknown.  Signature checks return 1 (valid), 0 (invalid) or -1 (cannot
 * tell: unsupported method or algorithm, unreadable certificate).
 */
#ifndef ISAKMP_VERIFY_H
#define ISAKMP_VERIFY_H

#include <glib.h>

#include "crypto/kdf.h"

/* Phase 1 HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b);
 * HASH_R is the same with (g^xr, g^xi, CKY-R, CKY-I, SAi_b, IDir_b). */
bool verify_v1_phase1_hash(int prf, const kdf_chunk *skeyid, const kdf_chunk *gx_a,
                           const kdf_chunk *gx_b, const uint8_t cky_a[8],
                           const uint8_t cky_b[8], const kdf_chunk *sai_b,
                           const kdf_chunk *id_b, uint8_t *out);

/* Quick Mode HASH(1) = prf(SKEYID_a, M-ID | rest) with ni NULL; HASH(2) =
 * prf(SKEYID_a, M-ID | Ni_b | rest) with ni set.  `rest` is the message
 * after the HASH payload.  Informational HASH(1) is the HASH(1) form. */
bool verify_v1_msg_hash(int prf, const kdf_chunk *skeyid_a, uint32_t msgid,
                        const kdf_chunk *ni, const kdf_chunk *rest, uint8_t *out);

/* Quick Mode HASH(3) = prf(SKEYID_a, 0 | M-ID | Ni_b | Nr_b). */
bool verify_v1_qm_hash3(int prf, const kdf_chunk *skeyid_a, uint32_t msgid,
                        const kdf_chunk *ni, const kdf_chunk *nr, uint8_t *out);

/* IKEv2 signed octets (RFC 7296 2.15): message | nonce | prf(SK_p, ID body);
 * a new array the caller frees. */
GByteArray *verify_v2_octets(int prf, const kdf_chunk *message, const kdf_chunk *nonce,
                             const kdf_chunk *sk_p, const kdf_chunk *id_body);

/* Shared key AUTH = prf(prf(secret, "Key Pad for IKEv2"), octets). */
bool verify_v2_psk_auth(int prf, const kdf_chunk *psk, const kdf_chunk *octets, uint8_t *out);

/* A signature AUTH (method 1 RSA, 9-11 ECDSA, 14 RFC 7427) over `octets`
 * against the certificate (DER): 1 valid, 0 invalid, -1 cannot tell.
 * `auth` is the authentication data; for method 14 the signature value
 * that follows the AlgorithmIdentifier `alg` in it (as the AUTH parser
 * splits them, RFC 7427 3).  `alg` is NULL for the other methods. */
int verify_v2_sig_auth(int method, const kdf_chunk *alg, const uint8_t *auth, size_t alen,
                       const uint8_t *cert, size_t clen, const uint8_t *octets, size_t olen);

/* IKEv1 RSA signature (RFC 2409 5.1): PKCS#1 type 1 over HASH_I / HASH_R
 * without a DigestInfo. */
int verify_v1_rsa_sig(const uint8_t *sig, size_t slen, const uint8_t *cert, size_t clen,
                      const uint8_t *hash, size_t hlen);

/* IKEv1 ECDSA signature (RFC 4754, auth methods 9-11: P-256/SHA-256,
 * P-384/SHA-384, P-521/SHA-512): r | s of fixed size in the SIG payload,
 * over HASH_I / HASH_R taken as the digest (what strongSwan signs), or over
 * its hash with the method's function.  1 valid, 0 invalid, -1 cannot tell
 * (another method, no ECDSA key in the certificate). */
int verify_v1_ecdsa_sig(int method, const uint8_t *sig, size_t slen, const uint8_t *cert,
                        size_t clen, const uint8_t *hash, size_t hlen);

#endif
