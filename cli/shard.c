/*
 * Every output over one capture with several decoding threads (shard.h).
 *
 * Without keys, almost every message decodes the same in any context.  The
 * threads decode in stateless contexts (isakmp_ctx_set_stateless), which
 * say when a message needed state (an IKEv1 fragment to collect, Aggressive
 * Mode); the main thread decodes those frames again in its context with
 * state, in capture order, so the output is the same as with one thread.
 *
 * The main thread reads the capture into batches of frames.  A batch is cut
 * into chunks that any thread takes as it comes free, so the work balances
 * itself whatever each message costs; each chunk's lines go to its own
 * buffer.  While the threads work on one batch the main thread reads the
 * next, then helps with what is left of the first, decodes its frames that
 * needed state, in order, and writes its lines.
 *
 * With key tables the frames are partitioned by SA instead (balance.h
 * chooses each new SA's thread); each thread decodes its partition of every
 * batch in its own context with state.
 *
 * The hand-over uses POSIX mutexes and condition variables (not GLib's
 * futex-based ones) so that ThreadSanitizer can check it.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "balance.h"
#include "output/output.h"
#include "shard.h"

#define BATCH_FRAMES 4096
#define BATCH_BYTES (4u << 20)   /* a batch ends sooner when its messages would pass this */
#define ARENA_START ((size_t)BATCH_FRAMES * 512)
#define CHUNK_FRAMES 128
#define MAX_CHUNKS (BATCH_FRAMES / CHUNK_FRAMES)
#define OUT_BUFS (MAX_CHUNKS > SHARD_MAX_THREADS ? MAX_CHUNKS : SHARD_MAX_THREADS)
G_STATIC_ASSERT(SHARD_MAX_THREADS <= BALANCE_MAX_PARTS);

typedef struct {
    uint32_t frame;
    int64_t ts_sec;
    int32_t ts_nsec;
    capture_meta meta;         /* lengths, link addresses, the times before */
    uint32_t first, n;         /* its messages: msgs[first .. first + n) */
    uint8_t part;              /* by SA: the partition (decoding context) of its SA */
    bool keepalive, esp_udp;   /* not -T fields: a NAT keepalive, ESP in UDP (capture_frame's) */
    uint32_t esp_spi, esp_seq;
    uint8_t esp_proto;         /* the ESP packet's transport (capture_frame's) */
    uint8_t nesp_more;         /* further ESP records of the frame (one TCP segment) */
    size_t esp_more_at;        /* their SPI and sequence numbers: arena offset */
} bframe;

/* What decoding a frame gave, apart from its bframe: the thread that reads
 * the frames writes those, the decoding threads these, and the writer
 * reads these alone (in the bframes, each frame's line written by a
 * decoder was handed over from core to core; with decode_stateful's walk
 * of every frame, 2.5 % of the samples of a two-thread run). */
typedef struct {
    uint32_t len;              /* its text in its chunk's buffer (0: none, or stateful);
                                  every frame's set by its chunk or its partition */
    bool stateful;             /* a message needed state: decoded again when written
                                  (chunks set it; by SA it is not read) */
} fresult;

/* The batches' storage: plain arrays grown by doubling, written with
 * stores (GArray's append calls were a twentieth of the reading thread's
 * work). */
typedef struct {
    bframe *frames;            /* BATCH_FRAMES of them */
    fresult *res;              /* and their results */
    isakmp_packet *bare;       /* per frame: the keepalive's and the ESP packet's addresses
                                  and ports ([2i], [2i + 1]), set for frames with either
                                  (in the frame record they were two fifths of its bytes,
                                  written and read for every frame) */
    guint nframes;
    isakmp_packet *msgs;       /* data is an arena offset until published */
    guint nmsgs, msgs_cap;
    uint8_t *arena;            /* the messages' bytes */
    size_t arena_len, arena_cap;
    GString *out[OUT_BUFS];    /* lines of each chunk's stateless frames (by SA: of each
                                  partition's frames) */
    GString *sout;             /* lines of the frames that needed state, in order */
    /* under the run's lock: */
    uint64_t seq;              /* publication order */
    unsigned nchunks;
    unsigned next_chunk;       /* the next one to take */
    unsigned done_chunks;      /* decoded */
    bool published;
} batch;

typedef struct {
    isakmp_ctx *ctx;
    shard_mode mode;
    out_fields *of;            /* -T fields */
    out_ctx oc;                /* the other outputs (its buf is the chunk's while writing) */
    capture_frame cf;          /* what the writers read of a frame */
    const filter *flt;         /* -Y */
    filter_scratch *fs;
    uint64_t passed;
} decoder;

typedef struct shard_run shard_run;

typedef struct {
    shard_run *run;
    decoder dec;
    unsigned part;             /* by SA: its partition (the main thread has 0) */
    uint64_t next_seq;         /* by SA: the batch it decodes next */
    pthread_t thread;
    bool started;
} worker;

struct shard_run {
    const shard_opts *so;
    int n;                     /* decoding threads, the main one included */
    bool by_sa;                /* with keys: frames partitioned by SA, one context with state
                                  and the keys per partition (the main one's: 0) */
    balance bal;               /* by SA: each SA's partition (the main thread's alone) */
    uint64_t idle_ns;          /* by SA: the workers' waits for a batch since the last
                                  balance_adjust, summed (under the lock) */
    decoder main;              /* the main thread's, with state: frames that need it */
    decoder help;              /* the main thread's, stateless: chunks it helps with */
    worker *w;                 /* n - 1 threads */
    pthread_mutex_t mu;
    pthread_cond_t cv;         /* a chunk to take, a batch's chunks done, or stop */
    bool stop;
    uint64_t seq;              /* batches published so far */
    batch b[2];                /* published in turn: the older is b[!filling] */
    int filling;               /* the batch being read into */
    FILE *out;
};

static void batch_init(batch *b)
{
    b->frames = g_new(bframe, BATCH_FRAMES);
    b->res = g_new0(fresult, BATCH_FRAMES);
    b->bare = g_new0(isakmp_packet, 2 * BATCH_FRAMES);
    b->msgs_cap = BATCH_FRAMES;
    b->msgs = g_new(isakmp_packet, b->msgs_cap);
    b->arena_cap = ARENA_START;
    b->arena = g_malloc(b->arena_cap);
    for (unsigned c = 0; c < OUT_BUFS; c++)
        b->out[c] = g_string_sized_new(1 << 12);
    b->sout = g_string_sized_new(1 << 14);
}

static void batch_clear(batch *b)
{
    b->nframes = b->nmsgs = 0;
    b->arena_len = 0;
    if (b->arena_cap > BATCH_BYTES) {   /* it held a message larger than a batch: give it back */
        g_free(b->arena);
        b->arena_cap = ARENA_START;
        b->arena = g_malloc(b->arena_cap);
    }
    b->nchunks = b->next_chunk = b->done_chunks = 0;
    b->published = false;
}

static void batch_free(batch *b)
{
    g_free(b->frames);
    g_free(b->res);
    g_free(b->bare);
    g_free(b->msgs);
    g_free(b->arena);
    for (unsigned c = 0; c < OUT_BUFS; c++)
        g_string_free(b->out[c], TRUE);
    g_string_free(b->sout, TRUE);
}

static bool decoder_init(decoder *dc, const shard_opts *so, bool stateless, char *err,
                         size_t errlen)
{
    dc->mode = so->mode;
    if (so->mode == SHARD_FIELDS) {
        dc->of = out_fields_new(so->names, so->nnames, so->fo, err, errlen);
        if (!dc->of)
            return false;
    } else {
        out_ctx_init(&dc->oc, NULL);
        dc->oc.time = so->oc->time;
        dc->oc.hex = so->oc->hex;
        dc->oc.verbose = so->oc->verbose;
        dc->oc.file = so->oc->file;
    }
    dc->ctx = isakmp_ctx_new();
    /* the tree and JSON show the labels; the other outputs need none */
    isakmp_ctx_set_labels(dc->ctx, so->mode == SHARD_TREE || so->mode == SHARD_JSON);
    isakmp_ctx_set_frame_records(dc->ctx, false);
    isakmp_ctx_set_borrow(dc->ctx, true);   /* the batch outlives its messages */
    isakmp_ctx_set_stateless(dc->ctx, stateless);
    if (dc->of)
        out_fields_want(dc->of, dc->ctx, so->flt);
    if (!stateless && so->keys)
        isakmp_ctx_share_keys(dc->ctx, so->keys);
    if (so->max_sas_set)
        isakmp_ctx_set_sa_limit(dc->ctx, so->max_sas);
    dc->flt = so->flt;
    dc->fs = so->flt ? filter_scratch_new(so->flt) : NULL;
    return true;
}

static void decoder_free(decoder *dc)
{
    filter_scratch_free(dc->fs);
    isakmp_ctx_free(dc->ctx);
    if (dc->of)
        out_fields_free(dc->of);
    else
        out_ctx_clear(&dc->oc);
}

/* The capture fields -Y reads for a message (or a bare packet) pkt of bf. */
static filter_frame bframe_fields(const shard_run *r, const bframe *bf, const isakmp_packet *pkt)
{
    filter_frame fr = ff_frame_at(bf->frame, bf->ts_sec, bf->ts_nsec, &bf->meta, pkt);
    fr.file = r->so->fo->file;
    return fr;
}

/* -Y: keeps in msgs (freeing the others) the messages that pass; their number. */
static uint32_t filter_msgs(decoder *dc, const shard_run *r, const bframe *bf,
                            const isakmp_packet *pk, isakmp_msg **msgs)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < bf->n; i++) {
        /* (frame.time_delta_displayed is read in order: not sharded) */
        filter_frame fr = bframe_fields(r, bf, &pk[i]);
        if (filter_match(dc->flt, dc->fs, msgs[i], &fr))
            msgs[k++] = msgs[i];
        else
            isakmp_msg_free(msgs[i]);
    }
    dc->passed += k;
    return k;
}

/* -Y on a frame without an IKE message (a NAT keepalive, an ESP packet):
 * only the frame, IP and UDP fields can match; pkt has its addresses. */
static bool bare_passes(decoder *dc, const shard_run *r, const bframe *bf,
                        const isakmp_packet *pkt, const filter_esp *esp)
{
    filter_frame fr = bframe_fields(r, bf, pkt);
    fr.esp = esp;
    return filter_match(dc->flt, dc->fs, NULL, &fr);
}

/* The text of the frame's messages (and keepalive, ESP packet) that passed
 * -Y, in the output's form, appended to out; returns its length. */
static size_t frame_text(decoder *dc, const shard_run *r, const batch *b, const bframe *bf,
                         isakmp_msg **msgs, uint32_t n, GString *out)
{
    capture_frame *cf = &dc->cf;
    if (dc->mode == SHARD_FIELDS)
        return out_fields_line(dc->of, cf, msgs, n, out);
    static const isakmp_packet none[2];
    const isakmp_packet *bare =
        bf->keepalive || bf->esp_udp ? &b->bare[2 * (size_t)(bf - b->frames)] : none;
    cf->keepalive = bf->keepalive && (!dc->flt || bare_passes(dc, r, bf, &bare[0], NULL));
    /* (a filter naming esp.* fields runs on one thread: only these here) */
    filter_esp esp = { .spi = bf->esp_spi, .seq = bf->esp_seq, .ip = bf->esp_proto == 50 };
    cf->esp_udp = bf->esp_udp && (!dc->flt || bare_passes(dc, r, bf, &bare[1], &esp));
    if (n == 0 && !cf->keepalive && !cf->esp_udp)
        return 0;
    cf->ka = bare[0];
    cf->esp_pkt = bare[1];
    cf->esp_spi = bf->esp_spi;
    cf->esp_seq = bf->esp_seq;
    cf->esp_proto = bf->esp_proto;
    cf->nesp_more = bf->nesp_more;
    for (size_t k = 0; k < bf->nesp_more; k++) {
        memcpy(&cf->esp_more_spi[k], b->arena + bf->esp_more_at + 8 * k, 4);
        memcpy(&cf->esp_more_seq[k], b->arena + bf->esp_more_at + 8 * k + 4, 4);
    }
    size_t at = out->len;
    GString *own = dc->oc.buf;
    dc->oc.buf = out;
    switch (dc->mode) {
    case SHARD_SUMMARY: out_summary_frame(&dc->oc, cf, msgs, n); break;
    case SHARD_TREE: out_tree_frame(&dc->oc, cf, msgs, n); break;
    case SHARD_JSON: out_json_frame(&dc->oc, cf, msgs, n); break;
    case SHARD_FIELDS: break;
    }
    dc->oc.buf = own;
    return out->len - at;
}

/* Decodes a frame's messages and appends its text to out; returns its
 * length, or -1 (and appends nothing) when a message needed state. */
static int64_t frame_line(decoder *dc, const shard_run *r, const batch *b, const bframe *bf,
                          GString *out)
{
    isakmp_msg *msgs[CAPTURE_MAX_MSGS];
    const isakmp_packet *pk = &b->msgs[bf->first];
    bool needs = false;
    for (uint32_t k = 0; k < bf->n; k++) {
        msgs[k] = isakmp_decode(dc->ctx, &pk[k]);
        needs |= isakmp_msg_needs_state(msgs[k]);
    }
    capture_frame *cf = &dc->cf;   /* number, time, first message's addresses */
    cf->frame = bf->frame;
    cf->ts_sec = bf->ts_sec;
    cf->ts_nsec = bf->ts_nsec;
    cf->meta = bf->meta;
    cf->nmsgs = bf->n;
    if (bf->n)
        cf->msgs[0] = pk[0];
    uint32_t n = needs || !dc->flt ? bf->n : filter_msgs(dc, r, bf, pk, msgs);
    size_t len = needs ? 0 : frame_text(dc, r, b, bf, msgs, n, out);
    for (uint32_t k = 0; k < n; k++)
        isakmp_msg_free(msgs[k]);
    return needs ? -1 : (int64_t)len;
}

/* One past the last frame of chunk c. */
static guint chunk_end(const batch *b, unsigned c)
{
    return (c + 1) * CHUNK_FRAMES < b->nframes ? (c + 1) * CHUNK_FRAMES : b->nframes;
}

static void decode_chunk(decoder *dc, const shard_run *r, batch *b, unsigned c)
{
    GString *out = b->out[c];
    g_string_truncate(out, 0);
    guint end = chunk_end(b, c);
    for (guint i = c * CHUNK_FRAMES; i < end; i++) {
        int64_t len = frame_line(dc, r, b, &b->frames[i], out);
        b->res[i] = (fresult){ len < 0 ? 0 : (uint32_t)len, len < 0 };
    }
}

/* Decodes, in the context with state, the frames of a batch that needed
 * it; tells it of the others' messages, in order, so that its SA table is
 * the one a single context would have (isakmp_ctx_seen). */
static void decode_stateful(decoder *dc, const shard_run *r, batch *b)
{
    g_string_truncate(b->sout, 0);
    /* without keys, -T fields' context keeps no SA table: only the frames
     * that needed state are read again (the walk read every frame's record
     * and message entry, on the thread that also reads the capture) */
    bool seen = isakmp_ctx_folds_seen(dc->ctx);
    for (guint i = 0; i < b->nframes; i++) {
        bframe *bf = &b->frames[i];
        if (b->res[i].stateful)
            b->res[i].len = (uint32_t)frame_line(dc, r, b, bf, b->sout);
        else
            for (uint32_t k = 0; seen && k < bf->n; k++)
                isakmp_ctx_seen(dc->ctx, &b->msgs[bf->first + k]);
    }
}

/* The published batch with chunks left to take, the older one first (or
 * only `only`); NULL when none.  Under the lock. */
static batch *with_chunks(shard_run *r, const batch *only)
{
    batch *x = &r->b[0], *y = &r->b[1];
    if (y->published && (!x->published || y->seq < x->seq)) {
        x = &r->b[1];
        y = &r->b[0];
    }
    if (x->published && x->next_chunk < x->nchunks && (!only || x == only))
        return x;
    if (y->published && y->next_chunk < y->nchunks && (!only || y == only))
        return y;
    return NULL;
}

/* Takes a chunk of b and decodes it; called and returns under the lock. */
static void run_chunk(shard_run *r, decoder *dc, batch *b)
{
    unsigned c = b->next_chunk++;
    pthread_mutex_unlock(&r->mu);
    decode_chunk(dc, r, b, c);
    pthread_mutex_lock(&r->mu);
    if (++b->done_chunks == b->nchunks)
        pthread_cond_broadcast(&r->cv);
}

/* ---------------------------------------------------------------- by SA */

/* The partition of a frame: its first message's initiator SPI (IKEv1
 * cookie), which every message of an IKE SA and of the exchanges under it
 * carries, picks it (balance.h); frames without a message (ESP, keepalives:
 * their lines need no SA state) go to any (all to one made that thread the
 * others' wait when a capture is mostly ESP). */
static unsigned sa_part(shard_run *r, const capture_frame *f, size_t bytes)
{
    bool spi = f->nmsgs > 0 && f->msgs[0].len >= 8;
    return balance_part(&r->bal, spi ? f->msgs[0].data : NULL, bytes);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Decodes partition p of a batch, in frame order, in that partition's
 * context (with state and keys), into b->out[p]; tells it of the other
 * partitions' messages, so that its SA table fills and empties as one
 * context's would (isakmp_ctx_seen: the same SAs dropped, the same notes). */
static void decode_part(decoder *dc, const shard_run *r, batch *b, unsigned p)
{
    GString *out = b->out[p];
    g_string_truncate(out, 0);
    for (guint i = 0; i < b->nframes; i++) {
        bframe *bf = &b->frames[i];
        if (bf->part != p) {
            for (uint32_t k = 0; k < bf->n; k++)
                isakmp_ctx_seen(dc->ctx, &b->msgs[bf->first + k]);
            continue;
        }
        int64_t len = frame_line(dc, r, b, bf, out);
        b->res[i].len = len < 0 ? 0 : (uint32_t)len;   /* (never -1: the context has state) */
    }
}

/* The published batch numbered seq, or NULL.  Under the lock. */
static batch *batch_seq(shard_run *r, uint64_t seq)
{
    for (int i = 0; i < 2; i++)
        if (r->b[i].published && r->b[i].seq == seq)
            return &r->b[i];
    return NULL;
}

/* A worker by SA: its partition of every batch, batch after batch. */
static void *worker_by_sa(void *p)
{
    worker *w = p;
    shard_run *r = w->run;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        batch *b = batch_seq(r, w->next_seq);
        if (b) {
            pthread_mutex_unlock(&r->mu);
            decode_part(&w->dec, r, b, w->part);
            pthread_mutex_lock(&r->mu);
            w->next_seq++;
            if (++b->done_chunks == b->nchunks)
                pthread_cond_broadcast(&r->cv);
        } else if (r->stop) {
            break;
        } else {
            uint64_t t = now_ns();
            pthread_cond_wait(&r->cv, &r->mu);
            r->idle_ns += now_ns() - t;
        }
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* Writes a batch decoded by SA in frame order: runs of frames of one
 * partition straight from its buffer. */
static void write_by_sa(shard_run *r, const batch *b)
{
    const char *at[SHARD_MAX_THREADS];
    for (int p = 0; p < r->n; p++)
        at[p] = b->out[p]->str;
    guint i = 0;
    while (i < b->nframes) {
        unsigned p = b->frames[i].part;
        size_t run = 0;
        for (; i < b->nframes && b->frames[i].part == p; i++)
            run += b->res[i].len;
        fwrite(at[p], 1, run, r->out);
        at[p] += run;
    }
}

/* Finishes a published batch by SA: the main thread's partition, then the
 * others' when they are done; writes it and empties it for reading.  Who
 * waited for whom moves the split of the SAs still to come. */
static void finish_by_sa(shard_run *r, batch *b)
{
    if (!b->published)
        return;
    decode_part(&r->main, r, b, 0);
    pthread_mutex_lock(&r->mu);
    if (++b->done_chunks == b->nchunks)
        pthread_cond_broadcast(&r->cv);
    uint64_t t = now_ns();
    while (b->done_chunks < b->nchunks)
        pthread_cond_wait(&r->cv, &r->mu);
    uint64_t waited = now_ns() - t, idle = r->idle_ns / (unsigned)(r->n - 1);
    r->idle_ns = 0;
    pthread_mutex_unlock(&r->mu);
    balance_adjust(&r->bal, waited, idle);
    write_by_sa(r, b);
    pthread_mutex_lock(&r->mu);
    batch_clear(b);
    pthread_mutex_unlock(&r->mu);
}

/* ---------------------------------------------------------------- threads */

static void *worker_main(void *p)
{
    worker *w = p;
    shard_run *r = w->run;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        batch *b = with_chunks(r, NULL);
        if (b)
            run_chunk(r, &w->dec, b);
        else if (r->stop)
            break;
        else
            pthread_cond_wait(&r->cv, &r->mu);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* Makes the batch being read available to the threads. */
static void publish(shard_run *r, batch *b)
{
    /* the arena has stopped growing: offsets become pointers */
    for (guint k = 0; k < b->nmsgs; k++)
        b->msgs[k].data = b->arena + (uintptr_t)b->msgs[k].data;
    pthread_mutex_lock(&r->mu);
    b->nchunks = r->by_sa ? (unsigned)r->n : (b->nframes + CHUNK_FRAMES - 1) / CHUNK_FRAMES;
    b->seq = r->seq++;
    b->published = true;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

/* Writes a decoded batch in frame order: runs of lines straight from the
 * chunk buffers and the stateful frames' buffer. */
static void write_batch(shard_run *r, const batch *b)
{
    const char *ps = b->sout->str;
    for (unsigned c = 0; c < b->nchunks; c++) {
        const char *p = b->out[c]->str;
        size_t run = 0;
        guint end = chunk_end(b, c);
        for (guint i = c * CHUNK_FRAMES; i < end; i++) {
            const fresult *fr = &b->res[i];
            if (!fr->stateful) {
                run += fr->len;
                continue;
            }
            fwrite(p, 1, run, r->out);
            p += run;
            run = 0;
            fwrite(ps, 1, fr->len, r->out);
            ps += fr->len;
        }
        fwrite(p, 1, run, r->out);
    }
}

/* Finishes a published batch: decodes its chunks left, with the threads;
 * while the threads end the last ones, a chunk of the newer batch rather
 * than wait; then its frames that needed state (this thread, as it is the
 * one waiting for them).  Writes it and empties it for reading. */
static void finish(shard_run *r, batch *b)
{
    if (r->by_sa) {
        finish_by_sa(r, b);
        return;
    }
    if (!b->published)
        return;
    pthread_mutex_lock(&r->mu);
    while (b->done_chunks < b->nchunks) {
        batch *x = with_chunks(r, b);
        if (!x && b->next_chunk == b->nchunks)
            x = with_chunks(r, NULL);   /* the newer batch's */
        if (x)
            run_chunk(r, &r->help, x);
        else
            pthread_cond_wait(&r->cv, &r->mu);
    }
    pthread_mutex_unlock(&r->mu);
    decode_stateful(&r->main, r, b);
    write_batch(r, b);
    pthread_mutex_lock(&r->mu);
    batch_clear(b);   /* under the lock: the threads look at `published` */
    pthread_mutex_unlock(&r->mu);
}

/* The batch just read goes to the threads; the one before is finished. */
static void send_batch(shard_run *r)
{
    batch *b = &r->b[r->filling];
    if (b->nframes == 0)
        return;
    publish(r, b);
    pthread_mutex_lock(&r->mu);
    r->filling = !r->filling;
    pthread_mutex_unlock(&r->mu);
    finish(r, &r->b[r->filling]);
}

/* The bytes of a frame's messages (and of its further ESP records' SPI and
 * sequence numbers). */
static size_t frame_bytes(const capture_frame *f)
{
    size_t n = 8 * f->nesp_more;
    for (size_t k = 0; k < f->nmsgs; k++)
        n += f->msgs[k].len;
    return n;
}

static void on_frame(void *user, const capture_frame *f)
{
    shard_run *r = user;
    if (f->nmsgs == 0 && (r->so->mode == SHARD_FIELDS || (!f->keepalive && !f->esp_udp)))
        return;   /* -T fields prints only frames with ISAKMP */
    /* A message may be larger than a batch (up to CAPTURE_MAX_MSG, an IPv6
     * jumbogram): the batch before it goes first, so such a frame is a
     * batch of its own, and its arena is sized to it (batch_clear gives
     * the memory back).  Two batches in memory hold at most two of them. */
    size_t need = frame_bytes(f);
    if (r->b[r->filling].nframes && r->b[r->filling].arena_len + need > BATCH_BYTES)
        send_batch(r);
    batch *b = &r->b[r->filling];
    if (b->arena_len + need > b->arena_cap) {
        size_t cap = b->arena_cap * 2;
        b->arena_cap = cap > b->arena_len + need ? cap : b->arena_len + need;
        b->arena = g_realloc(b->arena, b->arena_cap);
    }
    if (b->nmsgs + f->nmsgs > b->msgs_cap) {
        b->msgs_cap *= 2;
        b->msgs = g_renew(isakmp_packet, b->msgs, b->msgs_cap);
    }
    /* its members set in place: a compound literal was zeroed, built and
     * copied (a tenth of the reading thread's work on a dense capture) */
    bframe *nf = &b->frames[b->nframes++];
    nf->frame = f->frame;
    nf->ts_sec = f->ts_sec;
    nf->ts_nsec = f->ts_nsec;
    nf->meta = f->meta;
    nf->first = b->nmsgs;
    nf->n = (uint32_t)f->nmsgs;
    nf->part = (uint8_t)(r->by_sa ? sa_part(r, f, need) : 0);
    nf->keepalive = f->keepalive;
    nf->esp_udp = f->esp_udp;
    nf->esp_spi = f->esp_spi;
    nf->esp_seq = f->esp_seq;
    nf->esp_proto = f->esp_proto;
    if (f->keepalive || f->esp_udp) {   /* (only their addresses are read) */
        isakmp_packet *bare = &b->bare[2 * (size_t)(b->nframes - 1)];
        bare[0] = f->ka;
        bare[1] = f->esp_pkt;
        bare[0].data = bare[1].data = NULL;
    }
    for (size_t k = 0; k < f->nmsgs; k++) {
        const isakmp_packet *p = &f->msgs[k];
        memcpy(b->arena + b->arena_len, p->data, p->len);
        b->msgs[b->nmsgs] = *p;
        b->msgs[b->nmsgs++].data = (const uint8_t *)(uintptr_t)b->arena_len;   /* an offset for now */
        b->arena_len += p->len;
    }
    nf->nesp_more = (uint8_t)f->nesp_more;
    nf->esp_more_at = b->arena_len;
    for (size_t k = 0; k < f->nesp_more; k++) {
        memcpy(b->arena + b->arena_len, &f->esp_more_spi[k], 4);
        memcpy(b->arena + b->arena_len + 4, &f->esp_more_seq[k], 4);
        b->arena_len += 8;
    }
    if (b->nframes >= BATCH_FRAMES || b->arena_len >= BATCH_BYTES)
        send_batch(r);
}

static bool start_workers(shard_run *r, char *err, size_t errlen)
{
    r->w = g_new0(worker, (size_t)(r->n - 1));
    for (int i = 0; i < r->n - 1; i++) {
        worker *w = &r->w[i];
        w->run = r;
        w->part = (unsigned)i + 1;
        if (!decoder_init(&w->dec, r->so, !r->by_sa, err, errlen))
            return false;
        if (pthread_create(&w->thread, NULL, r->by_sa ? worker_by_sa : worker_main, w) != 0) {
            snprintf(err, errlen, "cannot start a decoding thread");
            return false;
        }
        w->started = true;
    }
    return true;
}

static void stop_workers(shard_run *r)
{
    pthread_mutex_lock(&r->mu);
    r->stop = true;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    for (int i = 0; r->w && i < r->n - 1; i++) {
        worker *w = &r->w[i];
        if (w->started)
            pthread_join(w->thread, NULL);
        if (r->so->passed)
            *r->so->passed += w->dec.passed;
        if (w->dec.ctx)
            decoder_free(&w->dec);
    }
    g_free(r->w);
}

int shard_file(const char *path, const shard_opts *so, FILE *out, capture_stats *st,
                      char *err, size_t errlen)
{
    shard_run r = { .so = so, .n = so->threads, .out = out, .by_sa = so->keys != NULL };
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv, NULL);
    batch_init(&r.b[0]);
    batch_init(&r.b[1]);
    balance_init(&r.bal, (unsigned)r.n);
    int rc = -1;
    if (decoder_init(&r.main, so, false, err, errlen) &&
        (r.by_sa || decoder_init(&r.help, so, true, err, errlen)) &&
        start_workers(&r, err, errlen)) {
        rc = capture_file(path, so->cap, st, on_frame, &r, err, errlen);
        send_batch(&r);                  /* the last one read */
        finish(&r, &r.b[!r.filling]);    /* (send_batch finished the one before) */
    }
    stop_workers(&r);
    if (so->frag && r.main.ctx)   /* fragments need state: the main context saw them all */
        isakmp_ctx_frag_stats(r.main.ctx, so->frag);
    if (so->passed)
        *so->passed += r.main.passed + r.help.passed;
    if (r.main.ctx)
        decoder_free(&r.main);
    if (r.help.ctx)
        decoder_free(&r.help);
    batch_free(&r.b[0]);
    batch_free(&r.b[1]);
    balance_free(&r.bal);
    pthread_mutex_destroy(&r.mu);
    pthread_cond_destroy(&r.cv);
    return rc;
}
