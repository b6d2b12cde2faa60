/*
 * ESP SAs from Linux's `ip xfrm state`, `ip -s xfrm state`, `ip -o xfrm
 * state` and `ip xfrm monitor` output (xfrm.c): each state with its
 * algorithms and keys goes into the key store's ESP SAs (as an esp_sa line
 * would: the plugin's ESP hand-off) and into the export store (written in
 * esp_sa by --export-keys), with Wireshark's esp_sa names for the kernel's
 * algorithm names.
 */
#ifndef ISAKMP_XFRM_H
#define ISAKMP_XFRM_H

#include <stdbool.h>

#include "core/internal.h"

/* True when the lines hold an xfrm state ("src A dst B" then "proto esp|ah
 * spi 0x..."). */
bool xfrm_detect(char **lines);

/* Loads every state; returns the number of SAs loaded.  ChaCha20-Poly1305,
 * AES-CCM, Camellia, AES-XCBC and AES-CMAC, which Wireshark's esp_sa cannot
 * name, are loaded under their IANA names (for ESP decryption; not written
 * to the esp_sa table); a state with another algorithm without a name is
 * skipped with a note through on_error (ISAKMP_KEY_NOTE); `name` is used in
 * locations. */
int xfrm_load(isakmp_ctx *ctx, const char *name, char **lines, isakmp_key_error_fn on_error,
              void *user);

/* The esp_sa names of a kernel algorithm ("cbc(aes)", "hmac(sha256)" with
 * its ICV bits, "rfc4106(gcm(aes))" with its ICV bits); NULL when Wireshark
 * has none.  For the tests. */
const char *xfrm_encr_name(const char *alg, unsigned icv_bits);
const char *xfrm_integ_name(const char *alg, unsigned icv_bits);

#endif
