/* SA state kept across messages (see state.c). */
#ifndef ISAKMP_STATE_H
#define ISAKMP_STATE_H

#include "internal.h"

/* A table of SA state keyed by the initiator SPI / cookie. */
GHashTable *state_table_new(void);

/* Frees one per-frame record (the ctx->frames value destructor). */
void state_frame_free(gpointer p);

#endif
