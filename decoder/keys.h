/* The key store (see keys.c). */
#ifndef ISAKMP_KEYS_H
#define ISAKMP_KEYS_H

#include "internal.h"

struct isakmp_keys *keys_new(void);
void keys_free(struct isakmp_keys *k);

#endif
