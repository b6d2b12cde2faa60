/*
 * Which thread decodes a frame when the frames of a capture are
 * partitioned by SA (shard.c, with key tables).  Every frame of an SA must
 * go to one thread, whose context holds the SA's state; which thread that
 * is may be chosen freely when the SA is first seen.  The main thread also
 * reads the capture and writes the output, so an equal split left one of
 * the two threads waiting for the other (by how much depends on the output,
 * the keys and the machine): the split is chosen as SAs appear, by the work
 * each thread was given so far against a share that follows which side
 * waited for the other.
 */
#ifndef ISAKMPDUMP_BALANCE_H
#define ISAKMPDUMP_BALANCE_H

#include <stddef.h>
#include <stdint.h>

#define BALANCE_MAX_PARTS 64
#define BALANCE_BUCKETS (1u << 16)   /* SAs are told apart by 16 bits of their SPI's hash */
#define BALANCE_ONE 1024             /* the main thread's share is in 1/BALANCE_ONE */

typedef struct {
    unsigned n;                      /* partitions; 0 is the main thread's */
    uint8_t *owner;                  /* bucket -> partition + 1; 0: not seen yet */
    uint64_t load[BALANCE_MAX_PARTS];   /* the work given so far (bytes, frames weighed) */
    unsigned share0;                 /* the main thread's share of new SAs' work */
} balance;

void balance_init(balance *b, unsigned n);
void balance_free(balance *b);

/* The partition of a frame whose first message has initiator SPI (IKEv1
 * cookie) spi, or, when spi is NULL (a frame without a message, which needs
 * no state), whichever has the least work; cost: the frame's bytes. */
unsigned balance_part(balance *b, const uint8_t *spi, size_t cost);

/* After a batch: the main thread waited main_ns for the others, each other
 * thread other_ns (on average) for the main one.  The main thread's share
 * moves a step up when it waited longer, down when the others did (not
 * when both waited under 0.1 ms), within bounds; the work counted so far
 * halves, so that new SAs follow the share at once. */
void balance_adjust(balance *b, uint64_t main_ns, uint64_t other_ns);

#endif
