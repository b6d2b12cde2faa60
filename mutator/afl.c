/*
 * AFL++ custom mutator (docs/custom_mutators.md of AFL++): a shared object
 * AFL_CUSTOM_MUTATOR_LIBRARY names.  Each call makes one structure-aware
 * mutant of the queue entry (mutator.c), splicing from the entry AFL hands
 * as add_buf; when the entry does not parse as IKE, AFL's own havoc goes
 * on alone (AFL_CUSTOM_MUTATOR_ONLY unset: the usual set-up).
 */
#include <glib.h>
#include <stdint.h>
#include <stdlib.h>

#include "mutator.h"

typedef struct {
    imut *m;
    uint8_t *buf;
    size_t cap;
} afl_mut;

/* The AFL++ entry points (no AFL++ header needed: afl_state_t is opaque here). */
void *afl_custom_init(void *afl, unsigned int seed);
size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
                       uint8_t *add_buf, size_t add_buf_size, size_t max_size);
const char *afl_custom_describe(void *data, size_t max_description_len);
void afl_custom_deinit(void *data);

void *afl_custom_init(void *afl, unsigned int seed)
{
    (void)afl;
    afl_mut *a = g_new0(afl_mut, 1);
    a->m = imut_new(seed);
    return a;
}

size_t afl_custom_fuzz(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
                       uint8_t *add_buf, size_t add_buf_size, size_t max_size)
{
    afl_mut *a = data;
    if (a->cap < max_size) {
        a->buf = g_realloc(a->buf, max_size);
        a->cap = max_size;
    }
    size_t n = imut_mutate(a->m, buf, buf_size, add_buf, add_buf_size, a->buf, max_size, false);
    if (!n) {   /* nothing structured to do: hand the input back unchanged */
        *out_buf = buf;
        return buf_size;
    }
    *out_buf = a->buf;
    return n;
}

const char *afl_custom_describe(void *data, size_t max_description_len)
{
    (void)data;
    return max_description_len >= 10 ? "isakmp-edit" : "ike";
}

void afl_custom_deinit(void *data)
{
    afl_mut *a = data;
    imut_free(a->m);
    g_free(a->buf);
    g_free(a);
}
