/*
 * ESP SAs in tcpdump's -E form (tcpdump(8), "-E spi@ipaddr algo:secret,..."
 * and the lines of "-E file"): each SA into the key store's ESP SAs, for
 * isakmp_ctx_esp_decrypt.  tcpdump never checks an ICV, so "-hmac96" after
 * the algorithm gives a 12-byte ICV taken as it is ("ANY 96-bits of
 * Authentication [No Checking]"); without it the SA has no ICV.  An SA
 * without "spi@ipaddr" matches any SPI and destination.
 */
#ifndef ISAKMP_TCPDUMP_ESP_H
#define ISAKMP_TCPDUMP_ESP_H

#include <stdbool.h>

#include "core/internal.h"

/* True when every data line (not blank, not '#') is a list of
 * "[spi@addr] algo:secret" with an algorithm tcpdump names. */
bool tcpdump_esp_detect(char **lines);

/* Loads every SA; returns their number.  Bad SAs are reported and skipped. */
int tcpdump_esp_load(isakmp_ctx *ctx, const char *name, char **lines,
                     isakmp_key_error_fn on_error, void *user);

#endif
