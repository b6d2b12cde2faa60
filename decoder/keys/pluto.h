/*
 * libreswan pluto logs (pluto.c): 4.x and 5.x with plutodebug=private, in
 * a log file, syslog or the journal, and the tcpdump -E lines they hold.
 * IKEv2 SA keys go into the key store and the export store
 * (ikev2_decryption_table), ESP keys into the ESP SAs like xfrm.c's.
 */
#ifndef ISAKMP_PLUTO_H
#define ISAKMP_PLUTO_H

#include <stdbool.h>

#include "core/internal.h"

/* True when the lines are a pluto log or tcpdump -E IKE lines. */
bool pluto_detect(char **lines);

/* Loads the keys; returns how many SAs got keys.  A log without keys says
 * why through on_error (ISAKMP_KEY_NOTE): "pluto log without
 * plutodebug=private: no keys in it". */
int pluto_load(isakmp_ctx *ctx, const char *name, char **lines, isakmp_key_error_fn on_error,
               void *user);

#endif
