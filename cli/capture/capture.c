/*
 * The capture file loop: opens the file (or standard input), reads classic
 * pcap through libpcap and pcapng through pcapng.c, walks every frame down
 * to its IKE messages and hands the frames with any (or with a keepalive)
 * to the caller.  One fixed-size frame struct is reused for every frame.
 */
#include <errno.h>
#include <glib.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "capture_int.h"

#define PCAPNG_MAGIC 0x0A0D0D0Au
#define PROGRESS_MIN_BYTES (64u << 20)   /* no progress bar for smaller files */

void capture_opts_default(capture_opts *o)
{
    memset(o, 0, sizeof *o);
    capture_opts_add_port(o, 500, false);
    capture_opts_add_port(o, 4500, true);
}

int capture_opts_add_port(capture_opts *o, uint16_t port, bool natt)
{
    if (!capture_port_in(o->ports, o->nports, port)) {
        if (o->nports >= CAPTURE_MAX_PORTS)
            return -1;
        o->ports[o->nports++] = port;
    }
    if (natt && !capture_port_in(o->natt_ports, o->nnatt, port)) {
        if (o->nnatt >= CAPTURE_MAX_PORTS)
            return -1;
        o->natt_ports[o->nnatt++] = port;
    }
    return 0;
}

/* ---------------------------------------------------------------- progress */

typedef struct {
    bool on;
    FILE *fp;
    off_t size;
    struct timespec last;
} progress;

static void progress_start(progress *p, const capture_opts *o, FILE *fp)
{
    struct stat st;
    p->on = o->progress && isatty(STDERR_FILENO) && fstat(fileno(fp), &st) == 0 &&
            S_ISREG(st.st_mode) && st.st_size >= (off_t)PROGRESS_MIN_BYTES;
    p->fp = fp;
    p->size = p->on ? st.st_size : 0;
    clock_gettime(CLOCK_MONOTONIC, &p->last);
}

static void progress_draw(progress *p, uint32_t frame)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if ((now.tv_sec - p->last.tv_sec) * 1000 + (now.tv_nsec - p->last.tv_nsec) / 1000000 < 200)
        return;
    p->last = now;
    off_t pos = ftello(p->fp);
    int pct = pos > 0 ? (int)(pos * 100 / p->size) : 0;
    if (pct > 100)
        pct = 100;
    char bar[41];
    memset(bar, '#', (size_t)(pct * 40 / 100));
    memset(bar + pct * 40 / 100, '.', (size_t)(40 - pct * 40 / 100));
    bar[40] = 0;
    fprintf(stderr, "\r[%s] %3d%% %u frames", bar, pct, frame);
}

/* Inline: the per-frame part is one test. */
static inline void progress_tick(progress *p, uint32_t frame)
{
    if (p->on && !(frame & 4095))
        progress_draw(p, frame);
}

static void progress_end(progress *p)
{
    if (p->on)
        fprintf(stderr, "\r%60s\r", "");
}

/* ---------------------------------------------------------------- input */

/* Stream buffers: glibc ignores the size given to setvbuf without a buffer
 * and reads 4 KiB at a time, a system call per 15 packets.  One input is
 * open at a time (capture_file is not reentrant), so they can be static. */
static char file_buf[1 << 20], wrap_buf[1 << 20];

/* Standard input (and an inflating stream) cannot be rewound after its
 * magic number is read: a cookie stream hands the peeked bytes back first. */
typedef struct {
    FILE *in;
    uint8_t peek[4];
    size_t npeek, pos;
} peek_stream;

static ssize_t peek_read(void *cookie, char *buf, size_t size)
{
    peek_stream *ps = cookie;
    size_t n = 0;
    while (ps->pos < ps->npeek && n < size)
        buf[n++] = (char)ps->peek[ps->pos++];
    if (n > 0 || size == 0)
        return (ssize_t)n;
    if (ps->in == stdin) {
        /* a pipe (tcpdump -w -): hand over what has arrived instead of
         * waiting for a full buffer, so output follows the capture */
        ssize_t r;
        do
            r = read(STDIN_FILENO, buf, size);
        while (r < 0 && errno == EINTR);
        return r;
    }
    return (ssize_t)fread(buf, 1, size, ps->in);
}

static int peek_close(void *cookie)
{
    peek_stream *ps = cookie;
    int rc = ps->in == stdin ? 0 : fclose(ps->in);
    g_free(ps);
    return rc;
}

static FILE *peek_wrap(FILE *in, const uint8_t *m, size_t n)
{
    peek_stream *ps = g_new0(peek_stream, 1);
    ps->in = in;
    memcpy(ps->peek, m, n);
    ps->npeek = n;
    FILE *f = fopencookie(ps, "rb", (cookie_io_functions_t){ .read = peek_read,
                                                            .close = peek_close });
    if (!f) {
        g_free(ps);
        return NULL;
    }
    setvbuf(f, wrap_buf, _IOFBF, sizeof wrap_buf);
    __fsetlocking(f, FSETLOCKING_BYCALLER);
    return f;
}

static void close_input(FILE *fp)
{
    if (fp != stdin)
        fclose(fp);
}

/* Reads the 4-byte magic number; false with a reason when there is none. */
static bool read_magic(FILE *fp, const char *path, uint8_t *m, char *err, size_t errlen)
{
    size_t got = fread(m, 1, 4, fp);
    if (got == 4)
        return true;
    snprintf(err, errlen, "%s: %s", path,
             ferror(fp) ? strerror(errno) : got ? "too short to be a capture file" : "empty file");
    return false;
}

/* Opens the input (gzip-compressed or not) and reads its magic number; the
 * returned stream is positioned at the start of the capture again. */
static FILE *open_input(const char *path, uint32_t *magic, char *err, size_t errlen)
{
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *fp = is_stdin ? stdin : fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    if (!is_stdin)
        setvbuf(fp, file_buf, _IOFBF, sizeof file_buf);
    else
        setvbuf(stdin, NULL, _IONBF, 0);   /* reads go straight to the pipe: see peek_read */
    /* one thread reads it: no stream lock per fread (libpcap does two a packet) */
    __fsetlocking(fp, FSETLOCKING_BYCALLER);
    struct stat st;
    if (!is_stdin && fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: is a directory", path);
        fclose(fp);
        return NULL;
    }
    uint8_t m[4];
    if (!read_magic(fp, path, m, err, errlen)) {
        close_input(fp);
        return NULL;
    }
    bool rewound = !is_stdin && fseeko(fp, 0, SEEK_SET) == 0;
    if (m[0] == 0x1f && m[1] == 0x8b) {
        FILE *raw = rewound ? fp : peek_wrap(fp, m, 4);
        FILE *gz = raw ? gz_wrap(raw) : NULL;
        if (!gz) {
            snprintf(err, errlen, "%s: gzip-compressed, and %s", path,
                     errno == ENOTSUP ? "this isakmpdump was built without zlib"
                                      : strerror(errno));
            if (raw)
                close_input(raw);
            return NULL;
        }
        if (!read_magic(gz, path, m, err, errlen)) {
            fclose(gz);
            return NULL;
        }
        fp = gz;
        rewound = false;
    }
    *magic = span_u32le(span_of(m, 4), 0);
    if (rewound)
        return fp;
    FILE *wrapped = peek_wrap(fp, m, 4);
    if (!wrapped) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        close_input(fp);
    }
    return wrapped;
}

/* The LINKTYPE_ number of a libpcap DLT_ value (they differ only for raw IP). */
static int linktype_of_dlt(int dlt)
{
    if (dlt == DLT_RAW)
        return 101;
    return dlt;
}

/* "DLT_NAME (n)" or "n" when libpcap has no name for it. */
static void linktype_text(char *buf, size_t size, int lt)
{
    const char *n = pcap_datalink_val_to_name(lt == 101 ? DLT_RAW : lt);
    if (n)
        snprintf(buf, size, "%s (%d)", n, lt);
    else
        snprintf(buf, size, "%d", lt);
}

struct capture_loop {
    capture_walk w;
    capture_fn fn;
    void *user;
    const capture_opts *o;
    capture_bpf *bpf;   /* -f */
    uint64_t passed;    /* frames that passed -f, for -c */
    bool failed;        /* a filter error, in err */
    char err[256];
    bool warned[512];   /* unknown link types already reported (pcapng) */
    int lt;             /* the link type of a pcap file */
    progress *pg;       /* never NULL (off for live captures) */
    progress no_progress;
    bool extra;         /* -f, -c or -w: loop_frame_extra */
    uint8_t digits;     /* the file's time precision: 9 for a nanosecond pcap file, else 6
                         * (pcapng: per interface, set for each record) */
    pcap_t *pcap;       /* the pcap_loop to break at -c */
};

capture_loop *capture_loop_new(const capture_opts *o, capture_stats *st, capture_fn fn,
                               void *user)
{
    static capture_frame frame;
    static uint8_t port_kind[65536];
    memset(&frame, 0, sizeof frame);
    capture_port_table(o, port_kind);
    capture_loop *l = g_new0(capture_loop, 1);
    l->w = (capture_walk){ .st = st, .f = &frame, .frags = ipfrag_new(), .tcp = tcp_new(),
                           .port_kind = port_kind, .parts = o->parts };
    l->fn = fn;
    l->user = user;
    l->o = o;
    l->bpf = bpf_new(o->bpf);
    l->extra = o->bpf || o->max_frames || o->raw || o->parts;
    l->pg = &l->no_progress;   /* on = false */
    l->digits = 6;             /* microseconds, unless the file says otherwise */
    return l;
}

int capture_loop_free(capture_loop *l, char *err, size_t errlen)
{
    int rc = l->failed ? -1 : 0;
    if (l->failed)
        snprintf(err, errlen, "%s", l->err);
    l->w.st->frames += l->w.f->frame;   /* counted once, not per frame */
    ipfrag_free(l->w.frags, l->w.st);
    tcp_free(l->w.tcp);
    bpf_free(l->bpf);
    g_free(l);
    return rc;
}

/* -f: false when the frame is left out (it still has its number).  Out of
 * line, as the -w hook below: the loop without them stays small enough for
 * the link layer to be inlined into it. */
static G_GNUC_NO_INLINE bool frame_passes(capture_loop *l, int lt, uint32_t orig_len, span data)
{
    int m = bpf_match(l->bpf, lt, orig_len, data, l->err, sizeof l->err);
    if (m < 0)
        l->failed = true;
    return m > 0;
}

static G_GNUC_NO_INLINE void hand_raw(capture_loop *l, int lt, uint32_t orig_len, span data)
{
    const capture_frame *f = l->w.f;
    capture_raw r = { .frame = f->frame, .linktype = lt, .ts_sec = f->ts_sec,
                      .ts_nsec = f->ts_nsec, .orig_len = orig_len, .data = data.p,
                      .caplen = (uint32_t)data.len };
    l->o->raw(l->o->raw_user, &r, f);
}

/* The frame's own facts (capture_meta) as read, before its walk. */
static inline void frame_meta(capture_frame *f, int64_t sec, int32_t nsec, uint32_t wire,
                              uint8_t digits, span data)
{
    capture_meta *m = &f->meta;
    if (f->frame == 1) {
        m->first_sec = m->prev_sec = sec;
        m->first_nsec = m->prev_nsec = nsec;
    } else {   /* the previous frame's time, whether it was handed over or not */
        m->prev_sec = f->ts_sec;
        m->prev_nsec = f->ts_nsec;
    }
    m->wire_len = wire;
    m->ts_digits = digits;
    m->cap_len = (uint32_t)data.len;
    m->eth = false;
    m->nvlan = 0;
}

/* A frame with -f, -c or -w (capture_loop.extra): the hooks around the walk. */
static G_GNUC_NO_INLINE bool loop_frame_extra(capture_loop *l, int lt, int64_t sec, int32_t nsec,
                                              uint32_t orig_len, span data)
{
    capture_frame *f = l->w.f;
    f->frame++;   /* numbers as in the file read, -f or not */
    frame_meta(f, sec, nsec, orig_len, l->digits, data);
    if (l->bpf && !frame_passes(l, lt, orig_len, data)) {
        f->ts_sec = sec;   /* the time before the next frame's (frame.time_delta) */
        f->ts_nsec = nsec;
        return !l->failed;
    }
    f->ts_sec = sec;
    f->ts_nsec = nsec;
    f->nmsgs = 0;
    f->keepalive = f->esp = f->esp_udp = f->held = false;
    f->nesp_more = 0;
    uint64_t frags = l->w.st->ip_fragments;
    if (l->w.parts)
        ipfrag_frame_begin(l->w.frags, f->frame);
    link_input(&l->w, lt, data);
    if (l->w.st->ip_fragments != frags)
        f->held = true;   /* a fragment: its bytes may belong to a later message */
    if (f->nmsgs)
        l->w.st->ike_frames++;
    if (f->nmsgs || f->keepalive || f->esp_udp)
        l->fn(l->user, f);
    if (l->o->raw)
        hand_raw(l, lt, orig_len, data);
    if (l->w.frags_done) {   /* reassembled bytes lived until the frame was handed over */
        l->w.frags_done = false;
        ipfrag_frame_end(l->w.frags);
    }
    progress_tick(l->pg, f->frame);
    return !(l->o->max_frames && ++l->passed >= l->o->max_frames);
}

/* One copy for the pcap, pcapng and live loops (so that the link layer is
 * inlined into it); without -f, -c and -w the walk alone, as cheap per frame
 * as before those options existed. */
static bool loop_frame(capture_loop *l, int lt, int64_t sec, int32_t nsec, uint32_t orig_len,
                       span data)
{
    if (l->extra)
        return loop_frame_extra(l, lt, sec, nsec, orig_len, data);
    capture_frame *f = l->w.f;
    f->frame++;
    frame_meta(f, sec, nsec, orig_len, l->digits, data);
    f->ts_sec = sec;
    f->ts_nsec = nsec;
    f->nmsgs = 0;
    f->keepalive = f->esp = f->esp_udp = false;
    f->nesp_more = 0;
    link_input(&l->w, lt, data);
    if (f->nmsgs)
        l->w.st->ike_frames++;
    if (f->nmsgs || f->keepalive || f->esp_udp)
        l->fn(l->user, f);
    if (l->w.frags_done) {   /* reassembled bytes lived until the frame was handed over */
        l->w.frags_done = false;
        ipfrag_frame_end(l->w.frags);
    }
    progress_tick(l->pg, f->frame);
    return true;
}

bool capture_loop_frame(capture_loop *l, int lt, int64_t sec, int32_t nsec, uint32_t orig_len,
                        span data)
{
    return loop_frame(l, lt, sec, nsec, orig_len, data);
}

/* pcap_loop's callback: libpcap's own loop costs less per frame than a
 * pcap_next_ex call for each. */
static void pcap_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
    capture_loop *ls = (capture_loop *)user;
    /* data is libpcap's buffer, never NULL: no span_of test */
    if (!loop_frame(ls, ls->lt, h->ts.tv_sec, (int32_t)h->ts.tv_usec, h->len,
                            (span){ data, h->caplen }))
        pcap_breakloop(ls->pcap);
}

static int read_pcap(capture_loop *ls, FILE *fp, const char *path, char *err, size_t errlen)
{
    char perr[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, perr);
    if (!p) {
        fclose(fp);
        /* libpcap counts the header bytes after the magic number we peeked:
         * "tried to read 24 file header bytes, only got 6" for a 10-byte file */
        if (strstr(perr, "file header bytes"))
            snprintf(err, errlen, "%s: truncated dump file: the pcap file header is cut short",
                     path);
        else
            snprintf(err, errlen, "%s: %s", path, perr);
        return -1;
    }
    int lt = linktype_of_dlt(pcap_datalink(p));
    if (!link_supported(lt)) {
        char lts[64];
        linktype_text(lts, sizeof lts, lt);
        snprintf(err, errlen, "%s: unsupported link type %s", path, lts);
        pcap_close(p);
        return -1;
    }
    ls->lt = lt;
    ls->pcap = p;
    /* 0 at the end of the file, -1 on an error after the frames before it,
     * -2 when broken off (-c) */
    int rc = pcap_loop(p, -1, pcap_frame, (u_char *)ls);
    if (rc == -1)
        snprintf(err, errlen, "%s: %s", path, pcap_geterr(p));
    pcap_close(p);   /* closes fp */
    return rc == -1 ? -1 : 0;
}

static int read_pcapng(capture_loop *ls, FILE *fp, const char *path, char *err, size_t errlen)
{
    pcapng_reader *r = pcapng_open(fp);
    capture_rec rec;
    int rc, status = 0;
    char why[256];
    while ((rc = pcapng_next(r, &rec, why, sizeof why)) == 1) {
        if (!link_supported(rec.linktype)) {
            /* one line per link type; the other interfaces are still read */
            unsigned k = (unsigned)rec.linktype % 512;
            if (!ls->warned[k]) {
                char lts[64];
                linktype_text(lts, sizeof lts, rec.linktype);
                fprintf(stderr, "isakmpdump: %s: unsupported link type %s: its frames are skipped\n",
                        path, lts);
            }
            ls->warned[k] = true;
            ls->w.st->skipped_linktype++;
            status = -2;
        }
        ls->digits = rec.ts_digits;
        if (!loop_frame(ls, link_supported(rec.linktype) ? rec.linktype : -1, rec.ts_sec,
                                rec.ts_nsec, rec.orig_len, rec.data))
            break;
    }
    if (rc < 0) {
        snprintf(err, errlen, "%s: %s", path, why);
        status = -1;
    } else if (status == -2) {
        snprintf(err, errlen, "%s: frames with unsupported link types were skipped", path);
        status = -2;
    }
    ls->w.st->too_big += pcapng_skipped(r);
    pcapng_close(r);
    fclose(fp);
    return status;
}

int capture_file(const char *path, const capture_opts *o, capture_stats *st, capture_fn fn,
                 void *user, char *err, size_t errlen)
{
    uint32_t magic;
    FILE *fp = open_input(path, &magic, err, errlen);
    if (!fp)
        return -1;
    capture_loop *ls = capture_loop_new(o, st, fn, user);
    progress pg;
    progress_start(&pg, o, fp);
    ls->pg = &pg;
    int rc;
    /* the nanosecond pcap magic, in either byte order */
    ls->digits = magic == 0xa1b23c4du || magic == 0x4d3cb2a1u ? 9 : 6;
    if (magic == PCAPNG_MAGIC)
        rc = read_pcapng(ls, fp, path, err, errlen);
    else
        rc = read_pcap(ls, fp, path, err, errlen);
    progress_end(&pg);
    char ferr[256];
    if (capture_loop_free(ls, ferr, sizeof ferr) < 0) {   /* -f did not compile */
        snprintf(err, errlen, "%s: %s", path, ferr);
        rc = -1;
    }
    return rc;
}
