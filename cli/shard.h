/*
 * Every output (-T fields, -T json, -V, the summary) over one capture with
 * several decoding threads (shard.c): the frames are decoded in chunks by
 * whichever thread is free, the messages that need what the decoder keeps
 * between messages by the main thread in capture order, so the output is
 * the same as with one (isakmp_ctx_stateless).  With key tables, the frames
 * are partitioned by SA instead: each thread decodes its SAs' frames in
 * order in its own context, all reading one copy of the keys; each new SA
 * goes to the thread the split of the work so far says (balance.h), which
 * follows who waited for whom.  For a file, not a live pipe.
 */
#ifndef ISAKMPDUMP_SHARD_H
#define ISAKMPDUMP_SHARD_H

#include <stdio.h>

#include "capture/capture.h"
#include "filter/filter.h"
#include "output/output.h"

typedef enum { SHARD_FIELDS, SHARD_SUMMARY, SHARD_TREE, SHARD_JSON } shard_mode;

typedef struct {
    int threads;                 /* 2 .. SHARD_MAX_THREADS */
    shard_mode mode;
    const out_ctx *oc;           /* not -T fields: the writers' options (time, hex, verbose,
                                    file; never -t dd, which needs every frame in order) */
    isakmp_frag_stats *frag;     /* NULL, or what the fragment budget did (--stats) */
    const isakmp_ctx *keys;      /* NULL, or the -k files' keys, only Wireshark's tables (each
                                    SA's keys alone), which every thread's context shares
                                    (isakmp_ctx_share_keys); with them the frames are
                                    partitioned by SA */
    size_t max_sas;              /* --max-sas, when max_sas_set: every context's SA bound */
    bool max_sas_set;
    const char *const *names;    /* the -e fields */
    size_t nnames;
    const out_fields_opts *fo;
    const capture_opts *cap;
    const filter *flt;           /* -Y, or NULL */
    uint64_t *passed;            /* -Y: adds the messages that passed */
} shard_opts;

#define SHARD_MAX_THREADS 64
#define SHARD_DEFAULT_MAX 4      /* --threads' default: one per CPU, at most this */

/* Decodes `path` and writes its lines to out; returns what capture_file
 * returns (err set when negative). */
int shard_file(const char *path, const shard_opts *so, FILE *out, capture_stats *st,
                      char *err, size_t errlen);

#endif
