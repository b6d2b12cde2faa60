/*
 * Secure memory accounting and wiping (see secure.h).
 */
#include <gcrypt.h>
#include <glib.h>
#include <string.h>

#include "core/secure.h"

/* Bytes of the secure pool handed out.  libgcrypt's secure allocator is a
 * first-fit scan over its blocks, so a pool holding thousands of keys would
 * make every allocation slow: keys beyond the budget go to ordinary memory,
 * which secure_free wipes all the same. */
#define SECURE_BUDGET 8192
static gint secure_used;
/* Set once the budget was reached: from then on every allocation is
 * ordinary memory.  Were the pool used again whenever a secret was freed,
 * each of the many short-lived buffers (decrypted plaintext, keys replaced
 * while a table loads) would pay the first-fit scan over a fragmented pool:
 * ~28,000 instructions an allocation, half the time of loading a large key
 * table. */
static gint secure_spent;

bool secure_available(void)
{
    return !g_atomic_int_get(&secure_spent) && g_atomic_int_get(&secure_used) < SECURE_BUDGET;
}

void *secure_alloc(size_t n)
{
    void *p = NULL;
    if (n <= CRYPTO_SECURE_MAX && !g_atomic_int_get(&secure_spent)) {
        if (g_atomic_int_add(&secure_used, (gint)n) + (gint)n <= SECURE_BUDGET)
            p = gcry_calloc_secure(1, n ? n : 1);
        if (!p) {   /* over budget, or the pool said no: give the bytes back */
            g_atomic_int_add(&secure_used, -(gint)n);
            g_atomic_int_set(&secure_spent, 1);
        }
    }
    if (!p)
        p = gcry_xcalloc(1, n ? n : 1);
    return p;
}

void secure_wipe(void *p, size_t n)
{
    if (p && n)
        explicit_bzero(p, n);
}

void secure_free(void *p, size_t n)
{
    if (!p)
        return;
    secure_wipe(p, n);
    if (gcry_is_secure(p))
        g_atomic_int_add(&secure_used, -(gint)n);
    gcry_free(p);
}

void secret_wipe(secret_t *s)
{
    secure_free(s->p, s->len);
    s->p = NULL;
    s->len = 0;
}
