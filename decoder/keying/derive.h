/*
 * Deriving keys while messages are decoded (derive.c): secrets loaded from
 * secrets files and daemon logs, what clear messages reveal per SA (nonces,
 * KE values, chosen transforms, SPIs), the keys derived from them (added to
 * the key store so that decryption finds them), ike.verify.auth / .hash
 * items, and the derived keys kept for export.
 *
 * Ownership: the context's kdf_ctx owns all of it; secrets are wiped on free.
 */
#ifndef ISAKMP_DERIVE_H
#define ISAKMP_DERIVE_H

#include "core/internal.h"
#include "keys/secrets.h"

/* Key derivation and verification after a message is decoded (derive.c). */
void kdf_msg_done(dec_t *d);
/* Frees what derive.c keeps for a context (NULL allowed). */
void kdf_ctx_free(struct kdf_ctx *k);
/* True when secrets to derive keys from are loaded (NULL allowed). */
bool kdf_has_secrets(const struct kdf_ctx *k);

/* The context's derivation state, created on first use. */
struct kdf_ctx *kdf_ctx_of(isakmp_ctx *ctx);

/* Loads a secrets file or daemon log into the context.  Returns the number
 * of entries, or -2 when the text is neither (another loader's turn). */
int kdf_load_text(isakmp_ctx *ctx, const char *name, const char *text, size_t len,
                  isakmp_key_error_fn on_error, void *user);

/* Drops what is kept for the SA with this initiator SPI / cookie (the SA
 * table dropped it, state.c).  Keys already derived stay in the key store
 * and the export store. */
void kdf_sa_drop(isakmp_ctx *ctx, const uint8_t ispi[8]);

/* The export store of derived keys (never NULL). */
struct export_store *kdf_exports(isakmp_ctx *ctx);

#endif
