/*
 * ESP decryption (RFC 4303) with the context's ESP SAs: per-SA state (keys
 * parsed once, the replay window, ESN, statistics) and the packet walk.
 * The public entry points (isakmp_ctx_esp_decrypt, isakmp_ctx_esp_sa_stats)
 * are esp.c's; the engine only frees the table with the context.
 */
#ifndef ISAKMP_ESP_ESP_H
#define ISAKMP_ESP_ESP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isakmp/isakmp.h"

struct esp_table;

void esp_table_free(struct esp_table *t);

/* The high 32 bits of a 64-bit sequence number whose low 32 bits are
 * `seq`, given the highest one seen so far (RFC 4303 Appendix A2.1, window
 * of `window` packets). */
uint32_t esp_infer_high(uint64_t top, uint32_t seq, uint32_t window);

/* The ESP trailer of plaintext p[0..n): true when the pad length fits, the
 * padding is 1, 2, 3, ... (RFC 4303 2.4) and, in tunnel mode, the inner
 * packet's IP version matches the next header. */
bool esp_trailer_ok(const uint8_t *p, size_t n);

#endif
