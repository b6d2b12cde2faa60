/*
 * libFuzzer custom mutator and crossover (LLVMFuzzerCustomMutator,
 * LLVMFuzzerCustomCrossOver): link this file and mutator.c into a libFuzzer
 * harness whose input is one IKE message.  Three mutations in four are
 * structure-aware (mutator.c); the fourth, and any input that does not
 * parse as IKE, goes to libFuzzer's own byte mutator (LLVMFuzzerMutate), so
 * the harness keeps what byte flipping finds too.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mutator.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
                                 size_t size2, uint8_t *out, size_t max_out_size,
                                 unsigned int seed);

static imut *mut;
static uint8_t scratch[1 << 16];

static imut *mutator(unsigned int seed)
{
    if (!mut)
        mut = imut_new(seed);
    return mut;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    if (seed % 4 != 3) {
        size_t max = max_size < sizeof scratch ? max_size : sizeof scratch;
        size_t n = imut_mutate(mutator(seed), data, size, NULL, 0, scratch, max, false);
        if (n) {
            memcpy(data, scratch, n);
            return n;
        }
    }
    return LLVMFuzzerMutate(data, size, max_size);
}

size_t LLVMFuzzerCustomCrossOver(const uint8_t *data1, size_t size1, const uint8_t *data2,
                                 size_t size2, uint8_t *out, size_t max_out_size,
                                 unsigned int seed)
{
    size_t n = imut_mutate(mutator(seed), data1, size1, data2, size2, out, max_out_size, true);
    if (n)
        return n;
    /* no structure: the first input's head and the second's tail */
    size_t a = size1 / 2 < max_out_size ? size1 / 2 : max_out_size;
    size_t b = size2 - size2 / 2 < max_out_size - a ? size2 - size2 / 2 : max_out_size - a;
    memcpy(out, data1, a);
    memcpy(out + a, data2 + size2 / 2, b);
    return a + b;
}
