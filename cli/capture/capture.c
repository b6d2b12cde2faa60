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

typedef struct {
    capture_walk w;
    capture_fn fn;
    void *user;
    bool warned[512];   /* unknown link types already reported (pcapng) */
    int lt;             /* the link type of a pcap file */
    uint8_t digits;     /* its time precision: 9 for a nanosecond pcap file, else 6 */
    progress *pg;
} loop_state;

static void one_frame(loop_state *ls, int lt, int64_t sec, int32_t nsec, uint32_t wire,
                      uint8_t digits, span data)
{
    capture_frame *f = ls->w.f;
    capture_meta *m = &f->meta;
    if (f->frame++ == 0) {
        m->first_sec = sec;
        m->first_nsec = nsec;
        m->prev_sec = sec;
        m->prev_nsec = nsec;
    } else {   /* the previous frame's time, whether it was handed over or not */
        m->prev_sec = f->ts_sec;
        m->prev_nsec = f->ts_nsec;
    }
    m->wire_len = wire;
    m->ts_digits = digits;
    m->cap_len = (uint32_t)data.len;
    m->eth = false;
    m->nvlan = 0;
    f->ts_sec = sec;
    f->ts_nsec = nsec;
    f->nmsgs = 0;
    f->keepalive = f->esp = f->esp_udp = false;
    link_input(&ls->w, lt, data);
    if (f->nmsgs)
        ls->w.st->ike_frames++;
    if (f->nmsgs || f->keepalive || f->esp_udp)
        ls->fn(ls->user, f);
    if (ls->w.frags_done) {   /* reassembled bytes lived until the frame was handed over */
        ls->w.frags_done = false;
        ipfrag_frame_end(ls->w.frags);
    }
    progress_tick(ls->pg, f->frame);
}

/* pcap_loop's callback: libpcap's own loop costs less per frame than a
 * pcap_next_ex call for each. */
static void pcap_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
    loop_state *ls = (loop_state *)user;
    /* data is libpcap's buffer, never NULL: no span_of test */
    one_frame(ls, ls->lt, h->ts.tv_sec, (int32_t)h->ts.tv_usec, h->len, ls->digits,
              (span){ data, h->caplen });
}

static int read_pcap(loop_state *ls, FILE *fp, const char *path, char *err, size_t errlen)
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
    /* 0 at the end of the file, -1 on an error after the frames before it */
    int rc = pcap_loop(p, -1, pcap_frame, (u_char *)ls);
    if (rc == -1)
        snprintf(err, errlen, "%s: %s", path, pcap_geterr(p));
    pcap_close(p);   /* closes fp */
    return rc == -1 ? -1 : 0;
}

static int read_pcapng(loop_state *ls, FILE *fp, const char *path, char *err, size_t errlen)
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
        one_frame(ls, link_supported(rec.linktype) ? rec.linktype : -1, rec.ts_sec, rec.ts_nsec,
                  rec.wire_len, rec.ts_digits, rec.data);
    }
    if (rc < 0) {
        snprintf(err, errlen, "%s: %s", path, why);
        status = -1;
    } else if (status == -2) {
        snprintf(err, errlen, "%s: frames with unsupported link types were skipped", path);
        status = -2;
    }
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
    static capture_frame frame;
    static uint8_t port_kind[65536];
    memset(&frame, 0, sizeof frame);
    capture_port_table(o, port_kind);
    loop_state ls = { .w = { .st = st, .f = &frame, .frags = ipfrag_new(),
                             .tcp = tcp_new(), .port_kind = port_kind },
                      .fn = fn, .user = user };
    progress pg;
    progress_start(&pg, o, fp);
    ls.pg = &pg;
    int rc;
    /* the nanosecond pcap magic, in either byte order */
    ls.digits = magic == 0xa1b23c4du || magic == 0x4d3cb2a1u ? 9 : 6;
    if (magic == PCAPNG_MAGIC)
        rc = read_pcapng(&ls, fp, path, err, errlen);
    else
        rc = read_pcap(&ls, fp, path, err, errlen);
    progress_end(&pg);
    st->frames += frame.frame;   /* counted once, not per frame */
    ipfrag_free(ls.w.frags, st);
    tcp_free(ls.w.tcp);
    return rc == -2 ? -2 : rc;
}
