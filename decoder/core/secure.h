/*
 * Secret bytes and their wiping.  Kept in core, under every part that frees
 * secrets (state's frame records, keys, keying), so that none of them has to
 * call a part beside or above it to wipe one.  Allocation, which needs
 * libgcrypt set up, stays in crypto (crypto_secure_alloc).
 */
#ifndef ISAKMP_SECURE_H
#define ISAKMP_SECURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A secret byte string in secure memory. */
typedef struct {
    uint8_t *p;
    size_t len;
} secret_t;

/* Allocations up to this size (keys) use libgcrypt's secure pool while it lasts. */
#define CRYPTO_SECURE_MAX 64

/* n zeroed bytes, from the secure pool until its budget is first reached
 * (then always ordinary memory, wiped all the same); libgcrypt must be set
 * up (crypto_secure_alloc does that first).  Never NULL. */
void *secure_alloc(size_t n);
/* Wipes and frees what secure_alloc gave (NULL allowed). */
void secure_free(void *p, size_t n);
/* False once the secure pool's budget has been reached (for good). */
bool secure_available(void);

/* Zeroes n bytes at p (a secret, or a line holding one) with
 * explicit_bzero, which the compiler cannot remove as a dead store the way
 * it removes a memset of a stack buffer that is not read again.  The one
 * way the library wipes; tests/wipe/run-wipe.sh checks the -O2 code of the
 * functions that wipe stack copies. */
void secure_wipe(void *p, size_t n);

/* Wipes and frees a secret; it is then empty. */
void secret_wipe(secret_t *s);

#endif
