/*
 * -T fields over one capture with several decoding threads (shard.h).
 *
 * Without keys, everything the decoder remembers between messages belongs
 * to one SA (fragments being reassembled, what Aggressive Mode revealed),
 * and every message names its SA in its first 8 bytes (the initiator's SPI
 * or cookie).  So the messages are dealt to the threads by that SPI, each
 * thread with its own context, and each SA's messages still go through one
 * context in capture order: the output is the same as with one thread.
 *
 * The main thread reads the capture into batches of frames; while the
 * threads decode one batch (each its own messages, and the lines of the
 * frames whose messages are all its own), it writes the lines of the one
 * before, in frame order, decodes its own share of the batch, and reads the
 * next.  Its share is smaller, as it also reads and writes (MAIN_READ).
 *
 * The hand-over uses POSIX mutexes and condition variables (not GLib's
 * futex-based ones) so that ThreadSanitizer can check it. the rare frame whose messages belong to SAs of
 * different threads (several messages in one TCP segment) gets its line
 * from the main thread, from the messages the threads decoded for it.
 */
#include <pthread.h>
#include <string.h>

#include "output.h"
#include "shard.h"

#define BATCH_FRAMES 4096
/* Reading and writing a batch costs the main thread about this fraction of
 * what decoding the whole batch costs (measured with tests/bench on the
 * project's machine); it sizes the main thread's share of the SAs. */
#define MAIN_READ 0.45

typedef struct {
    uint32_t frame;
    int64_t ts_sec;
    int32_t ts_nsec;
    uint32_t first, n;         /* its messages: msgs[first .. first + n) */
    int owner;                 /* the thread with all its messages, or -1 */
    size_t out_off, out_len;   /* its line in the owner's output */
} bframe;

typedef struct {
    GArray *frames;            /* bframe */
    GArray *msgs;              /* isakmp_packet; data is an arena offset until sent */
    GArray *shard;             /* uint8_t per message */
    GPtrArray *decoded;        /* isakmp_msg * per message of a mixed frame */
    GByteArray *arena;         /* the messages' bytes */
} batch;

typedef struct shard_run shard_run;

typedef struct {
    shard_run *run;
    int id;                    /* 0: the main thread's own share */
    pthread_t thread;
    bool started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    batch *job;                /* the batch to decode next, or NULL */
    isakmp_ctx *ctx;
    out_fields *of;
    GString *out[2];           /* the lines of this thread's frames, per batch buffer */
    capture_frame cf;          /* what out_fields reads of a frame */
} worker;

struct shard_run {
    const shard_opts *so;
    int n;                     /* decoders: the main thread and n - 1 threads */
    unsigned main_share;       /* per mille of the SAs the main thread decodes */
    worker *w;
    pthread_mutex_t done_mu;
    pthread_cond_t done_cv;
    int done;                  /* threads finished with the batch in flight */
    batch b[2];
    int filling;               /* the batch being read into */
    bool in_flight;            /* the other batch is being decoded */
    out_fields *of;            /* lines of mixed frames */
    GString *line;
    capture_frame cf;
    FILE *out;
};

static batch *batch_stop(void)
{
    static batch stop;   /* pushed to end a thread */
    return &stop;
}

static void batch_init(batch *b)
{
    b->frames = g_array_new(FALSE, FALSE, sizeof(bframe));
    b->msgs = g_array_new(FALSE, FALSE, sizeof(isakmp_packet));
    b->shard = g_array_new(FALSE, FALSE, 1);
    b->decoded = g_ptr_array_new();
    b->arena = g_byte_array_new();
}

static void batch_clear(batch *b)
{
    g_array_set_size(b->frames, 0);
    g_array_set_size(b->msgs, 0);
    g_array_set_size(b->shard, 0);
    g_ptr_array_set_size(b->decoded, 0);
    g_byte_array_set_size(b->arena, 0);
}

static void batch_free(batch *b)
{
    g_array_free(b->frames, TRUE);
    g_array_free(b->msgs, TRUE);
    g_array_free(b->shard, TRUE);
    g_ptr_array_free(b->decoded, TRUE);
    g_byte_array_free(b->arena, TRUE);
}

/* The decoder for a message, by its initiator SPI / cookie: the main thread
 * for main_share per mille of them, the threads evenly for the rest. */
static uint8_t shard_of(const shard_run *r, const isakmp_packet *p)
{
    uint64_t v = 0;
    if (p->len >= 8)
        memcpy(&v, p->data, 8);
    v ^= v >> 33;
    v *= 0xff51afd7ed558ccdULL;
    v ^= v >> 33;
    if (v % 1000 < r->main_share)
        return 0;
    return (uint8_t)(1 + (v / 1000) % (uint64_t)(r->n - 1));
}

/* The frame as out_fields reads it: number, time, first message's addresses. */
static const capture_frame *frame_view(capture_frame *cf, const bframe *bf,
                                       const isakmp_packet *first)
{
    cf->frame = bf->frame;
    cf->ts_sec = bf->ts_sec;
    cf->ts_nsec = bf->ts_nsec;
    cf->nmsgs = bf->n;
    cf->msgs[0] = *first;
    return cf;
}

static void decode_batch(worker *w, batch *b)
{
    isakmp_msg *msgs[CAPTURE_MAX_MSGS];
    GString *out = w->out[b == &w->run->b[1]];
    g_string_truncate(out, 0);
    const isakmp_packet *pk = (const isakmp_packet *)(const void *)b->msgs->data;
    const uint8_t *sh = (const uint8_t *)b->shard->data;
    for (guint i = 0; i < b->frames->len; i++) {
        bframe *bf = &g_array_index(b->frames, bframe, i);
        if (bf->owner == w->id) {
            for (uint32_t k = 0; k < bf->n; k++)
                msgs[k] = isakmp_decode(w->ctx, &pk[bf->first + k]);
            bf->out_off = out->len;
            bf->out_len = out_fields_line(w->of, frame_view(&w->cf, bf, &pk[bf->first]), msgs,
                                          bf->n, out);
            for (uint32_t k = 0; k < bf->n; k++)
                isakmp_msg_free(msgs[k]);
        } else if (bf->owner < 0) {
            for (uint32_t k = bf->first; k < bf->first + bf->n; k++)
                if (sh[k] == w->id)
                    b->decoded->pdata[k] = isakmp_decode(w->ctx, &pk[k]);
        }
    }
}

static gpointer worker_main(gpointer p)
{
    worker *w = p;
    for (;;) {
        pthread_mutex_lock(&w->mu);
        while (!w->job)
            pthread_cond_wait(&w->cv, &w->mu);
        batch *b = w->job;
        w->job = NULL;
        pthread_mutex_unlock(&w->mu);
        if (b == batch_stop())
            return NULL;
        decode_batch(w, b);
        shard_run *r = w->run;
        pthread_mutex_lock(&r->done_mu);
        r->done++;
        pthread_cond_signal(&r->done_cv);
        pthread_mutex_unlock(&r->done_mu);
    }
}

/* Hands a batch (or batch_stop()) to a thread. */
static void give(worker *w, batch *b)
{
    pthread_mutex_lock(&w->mu);
    w->job = b;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
}

/* Writes the lines of a decoded batch in frame order, and empties it. */
static void write_batch(shard_run *r, batch *b)
{
    int parity = b == &r->b[1];
    const isakmp_packet *pk = (const isakmp_packet *)(const void *)b->msgs->data;
    for (guint i = 0; i < b->frames->len; i++) {
        const bframe *bf = &g_array_index(b->frames, bframe, i);
        if (bf->owner >= 0) {
            fwrite(r->w[bf->owner].out[parity]->str + bf->out_off, 1, bf->out_len, r->out);
            continue;
        }
        isakmp_msg **msgs = (isakmp_msg **)&b->decoded->pdata[bf->first];
        r->line->len = 0;
        if (out_fields_line(r->of, frame_view(&r->cf, bf, &pk[bf->first]), msgs, bf->n, r->line))
            fwrite(r->line->str, 1, r->line->len, r->out);
        for (uint32_t k = 0; k < bf->n; k++)
            isakmp_msg_free(msgs[k]);
    }
    batch_clear(b);
}

/* Waits until the threads are done with the batch in flight (NULL if none). */
static batch *wait_batch(shard_run *r)
{
    if (!r->in_flight)
        return NULL;
    pthread_mutex_lock(&r->done_mu);
    while (r->done < r->n - 1)
        pthread_cond_wait(&r->done_cv, &r->done_mu);
    r->done = 0;
    pthread_mutex_unlock(&r->done_mu);
    r->in_flight = false;
    return &r->b[!r->filling];
}

/* Hands the batch just read to the threads, then writes the one they had
 * while they decode it; the written one is read into next. */
static void send_batch(shard_run *r)
{
    batch *b = &r->b[r->filling];
    batch *prev = wait_batch(r);
    if (b->frames->len > 0) {
        /* the arena has stopped growing: offsets become pointers */
        isakmp_packet *pk = (isakmp_packet *)(void *)b->msgs->data;
        for (guint k = 0; k < b->msgs->len; k++)
            pk[k].data = b->arena->data + (uintptr_t)pk[k].data;
        g_ptr_array_set_size(b->decoded, (gint)b->msgs->len);
        for (int i = 1; i < r->n; i++)
            give(&r->w[i], b);
        r->in_flight = true;
        r->filling = !r->filling;
    }
    if (prev)
        write_batch(r, prev);
    if (b->frames->len > 0 && r->main_share)
        decode_batch(&r->w[0], b);   /* the main thread's share, before reading on */
}

static void on_frame(void *user, const capture_frame *f)
{
    shard_run *r = user;
    if (f->nmsgs == 0)
        return;   /* -T fields prints only frames with ISAKMP */
    batch *b = &r->b[r->filling];
    bframe bf = { .frame = f->frame, .ts_sec = f->ts_sec, .ts_nsec = f->ts_nsec,
                  .first = b->msgs->len, .n = (uint32_t)f->nmsgs };
    for (size_t k = 0; k < f->nmsgs; k++) {
        isakmp_packet p = f->msgs[k];
        uint8_t s = shard_of(r, &p);
        bf.owner = k == 0 || bf.owner == s ? s : -1;
        p.data = (const uint8_t *)(uintptr_t)b->arena->len;   /* an offset for now */
        g_byte_array_append(b->arena, f->msgs[k].data, (guint)f->msgs[k].len);
        g_array_append_val(b->msgs, p);
        g_array_append_val(b->shard, s);
    }
    g_array_append_val(b->frames, bf);
    if (b->frames->len >= BATCH_FRAMES)
        send_batch(r);
}

static bool start_workers(shard_run *r, char *err, size_t errlen)
{
    const shard_opts *so = r->so;
    pthread_mutex_init(&r->done_mu, NULL);
    pthread_cond_init(&r->done_cv, NULL);
    r->w = g_new0(worker, (size_t)r->n);
    for (int i = 0; i < r->n; i++) {
        worker *w = &r->w[i];
        w->run = r;
        w->id = i;
        pthread_mutex_init(&w->mu, NULL);
        pthread_cond_init(&w->cv, NULL);
        w->out[0] = g_string_sized_new(1 << 16);
        w->out[1] = g_string_sized_new(1 << 16);
        w->of = out_fields_new(so->names, so->nnames, so->fo, err, errlen);
        if (!w->of)
            return false;
        w->ctx = isakmp_ctx_new();
        isakmp_ctx_set_labels(w->ctx, false);
        isakmp_ctx_set_frame_records(w->ctx, false);
        isakmp_ctx_set_borrow(w->ctx, true);   /* the batch outlives its messages */
        out_fields_want(w->of, w->ctx);
        if (i > 0 && pthread_create(&w->thread, NULL, worker_main, w) != 0) {
            snprintf(err, errlen, "cannot start a decoding thread");
            return false;
        }
        w->started = i > 0;
    }
    return true;
}

static void stop_workers(shard_run *r)
{
    for (int i = 0; i < r->n; i++) {
        worker *w = &r->w[i];
        if (w->started) {
            give(w, batch_stop());
            pthread_join(w->thread, NULL);
        }
        isakmp_ctx_free(w->ctx);
        out_fields_free(w->of);
        for (int k = 0; k < 2; k++)
            if (w->out[k])
                g_string_free(w->out[k], TRUE);
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
    }
    g_free(r->w);
    pthread_mutex_destroy(&r->done_mu);
    pthread_cond_destroy(&r->done_cv);
}

int shard_fields_file(const char *path, const shard_opts *so, FILE *out, capture_stats *st,
                      char *err, size_t errlen)
{
    shard_run r = { .so = so, .n = so->threads, .out = out };
    /* balanced when MAIN_READ + s = (1 - s) / (n - 1) of a batch's decoding */
    double s = (1.0 - (r.n - 1) * MAIN_READ) / r.n;
    r.main_share = s > 0 ? (unsigned)(s * 1000) : 0;
    batch_init(&r.b[0]);
    batch_init(&r.b[1]);
    int rc = -1;
    r.of = out_fields_new(so->names, so->nnames, so->fo, err, errlen);
    r.line = g_string_sized_new(1024);
    if (r.of && start_workers(&r, err, errlen)) {
        rc = capture_file(path, so->cap, st, on_frame, &r, err, errlen);
        send_batch(&r);     /* the last one read */
        batch *last = wait_batch(&r);
        if (last)
            write_batch(&r, last);
    }
    stop_workers(&r);
    out_fields_free(r.of);
    g_string_free(r.line, TRUE);
    batch_free(&r.b[0]);
    batch_free(&r.b[1]);
    return rc;
}
