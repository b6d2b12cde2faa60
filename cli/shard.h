/*
 * -T fields over one capture with several decoding threads (shard.c): the
 * frames are decoded in chunks by whichever thread is free, the messages
 * that need what the decoder keeps between messages by the main thread in
 * capture order, so the output is the same as with one.  Only without keys
 * and secrets (isakmp_ctx_stateless) and for a file, not a live pipe.
 */
#ifndef ISAKMPDUMP_SHARD_H
#define ISAKMPDUMP_SHARD_H

#include <stdio.h>

#include "capture/capture.h"
#include "filter/filter.h"
#include "output/output.h"

typedef struct {
    int threads;                 /* 2 .. SHARD_MAX_THREADS */
    const char *const *names;    /* the -e fields */
    size_t nnames;
    const out_fields_opts *fo;
    const capture_opts *cap;
    const filter *flt;           /* -Y, or NULL */
    uint64_t *passed;            /* -Y: adds the messages that passed */
    isakmp_frag_stats *frag;     /* if not NULL: what the fragment budget did */
} shard_opts;

#define SHARD_MAX_THREADS 64
#define SHARD_DEFAULT_MAX 4      /* --threads' default: one per CPU, at most this */

/* Decodes `path` and writes its -T fields lines to out; returns what
 * capture_file returns (err set when negative). */
int shard_fields_file(const char *path, const shard_opts *so, FILE *out, capture_stats *st,
                      char *err, size_t errlen);

#endif
