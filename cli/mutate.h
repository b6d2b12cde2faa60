/*
 * isakmpdump --mutate (cli/mutate.c): mutants of every IKE message into
 * the -w file.
 */
#ifndef ISAKMPDUMP_MUTATE_H
#define ISAKMPDUMP_MUTATE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "capture/writer.h"
#include "isakmp/isakmp.h"

typedef struct mutate_run mutate_run;

/* n mutants per message from the random seed; brk: they may break one
 * length or chain.  Mutants go to w, each a frame before its message's. */
mutate_run *mutate_run_new(unsigned n, uint64_t seed, bool brk, writer *w);

/* The mutants of message m (decoded with ctx from packet p, in capture
 * order), and its IKEv1 IV chain carried on. */
void mutate_run_msg(mutate_run *r, isakmp_ctx *ctx, const isakmp_msg *m, const isakmp_packet *p);

/* Says on `err` what was done with the messages of `path`, and frees. */
void mutate_run_free(mutate_run *r, const char *path, FILE *err);

#endif
