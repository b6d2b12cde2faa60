/* The partition of each SA's frames (balance.h). */
#include <glib.h>
#include <string.h>

#include "balance.h"

#define FRAME_COST 64                /* a frame's own work beside its bytes */
#define STEP (BALANCE_ONE / 64)      /* the share moves by 1/64 a batch */
#define MIN_SHARE (BALANCE_ONE / 32)
#define QUIET_NS 100000              /* waits both under 0.1 ms: balanced enough */

void balance_init(balance *b, unsigned n)
{
    memset(b, 0, sizeof *b);
    b->n = n < 1 ? 1 : n > BALANCE_MAX_PARTS ? BALANCE_MAX_PARTS : n;
    b->owner = g_malloc0(BALANCE_BUCKETS);
    b->share0 = BALANCE_ONE / b->n;
}

void balance_free(balance *b)
{
    g_free(b->owner);
    b->owner = NULL;
}

/* The share of partition p, in 1/BALANCE_ONE. */
static uint64_t share(const balance *b, unsigned p)
{
    return p == 0 ? b->share0 : (BALANCE_ONE - b->share0) / (b->n - 1);
}

/* The partition whose work so far is least for its share. */
static unsigned lightest(const balance *b)
{
    unsigned best = 0;
    for (unsigned p = 1; p < b->n; p++)   /* load[p] / share(p) < load[best] / share(best) */
        if (b->load[p] * share(b, best) < b->load[best] * share(b, p))
            best = p;
    return best;
}

/* 16 bits of an SPI, mixed: SPIs are random but some peers count. */
static unsigned bucket(const uint8_t *spi)
{
    uint64_t v;
    memcpy(&v, spi, 8);
    v ^= v >> 29;
    v *= 0x9e3779b97f4a7c15ull;
    return (unsigned)(v >> 48);
}

unsigned balance_part(balance *b, const uint8_t *spi, size_t cost)
{
    unsigned p;
    if (b->n == 1) {
        p = 0;
    } else if (!spi) {
        p = lightest(b);
    } else {
        uint8_t *o = &b->owner[bucket(spi)];
        if (*o == 0)
            *o = (uint8_t)(lightest(b) + 1);
        p = *o - 1u;
    }
    b->load[p] += cost + FRAME_COST;
    return p;
}

/* The most the main thread takes: all but the others' least; at least an
 * even part. */
static unsigned most_share(const balance *b)
{
    unsigned rest = MIN_SHARE * (b->n - 1), even = BALANCE_ONE / b->n;
    return rest < BALANCE_ONE - even ? BALANCE_ONE - rest : even;
}

/* The least it takes (reading and writing are its own): at most an even part. */
static unsigned least_share(const balance *b)
{
    unsigned even = BALANCE_ONE / b->n;
    return MIN_SHARE < even ? MIN_SHARE : even;
}

void balance_adjust(balance *b, uint64_t main_ns, uint64_t other_ns)
{
    /* the work given lately counts, not since the start: after the share
     * moved, new SAs go where it says at once, not when the totals meet */
    for (unsigned p = 0; p < b->n; p++)
        b->load[p] /= 2;
    if (b->n == 1 || (main_ns < QUIET_NS && other_ns < QUIET_NS))
        return;
    unsigned most = most_share(b), least = least_share(b);
    if (main_ns > other_ns)   /* it waited for the others: more for it */
        b->share0 = b->share0 + STEP < most ? b->share0 + STEP : most;
    else
        b->share0 = b->share0 > least + STEP ? b->share0 - STEP : least;
}
