/*
 * X.509 certificate fields (RFC 5280) for the IKEv1 / IKEv2 CERT payloads,
 * via libksba: ike.cert.x509.subject, issuer, not_before, not_after,
 * pubkey_alg, added under `item`.  Without libksba, or when the bytes are
 * not a certificate, nothing is added but a note.
 */
#ifndef ISAKMP_CERT_H
#define ISAKMP_CERT_H

#include "core/internal.h"

/* Whether p[0..n) is one DER certificate whose outline libksba can take
 * without failing (see cert.c); when not, *why says what is wrong. */
bool cert_der_check(const uint8_t *p, size_t n, const char **why);

/* Decodes the DER certificate covered by cert_data (the cursor is not moved);
 * what libksba says of it is kept in d->ctx's certificate cache. */
void cert_decode(dec_t *d, uint32_t item, const cur_t *cert_data);

/* Frees a context's certificate cache (isakmp_ctx_free). */
void cert_cache_free(struct cert_cache *cc);

#endif
