/*
 * Tables built on first use, by whichever thread asks first.
 */
#ifndef ISAKMP_ONCE_H
#define ISAKMP_ONCE_H

#include <pthread.h>

/* Runs fill once; fill sets *ready (__atomic_store_n, release) when it has
 * run, so that a built table costs no call afterwards. */
static inline void fill_once(int *ready, pthread_once_t *once, void (*fill)(void))
{
    if (!__atomic_load_n(ready, __ATOMIC_ACQUIRE))
        pthread_once(once, fill);
}

#endif
