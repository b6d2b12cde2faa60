/*
 * -w: frames out to a capture file.  Our own few lines of pcap and pcapng
 * (libpcap's dumper writes one link type per file; a pcapng input may mix
 * several, and pcapng output keeps them, one interface block per link type).
 *
 * Selected mode keeps a copy of each frame whose bytes wait in a reassembly
 * (capture_frame.held: IP fragments, TCP data on IKE ports) until a message
 * built from it is kept, at most HELD_MAX_BYTES / HELD_MAX_FRAMES of them
 * (the oldest go first: a message whose parts went is written without them).
 */
#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "reframe.h"
#include "writer.h"

#define HELD_MAX_BYTES (64u << 20)
#define HELD_MAX_FRAMES 65536u
#define PCAP_SNAPLEN 262144u
#define MAX_LINKTYPES 16

typedef struct {
    capture_raw r;    /* r.data points into the copy */
    bool written;
} held_frame;

struct writer {
    FILE *out;
    bool to_stdout, failed;
    int errnum;
    writer_format fmt;
    bool selected;
    bool keep_current;        /* writer_keep_frame was called for the current frame */
    int pcap_linktype;        /* pcap: the file header's, -1 before the first frame */
    int linktypes[MAX_LINKTYPES];   /* pcapng: interface i has link type linktypes[i] */
    size_t nlinktypes;
    GQueue held;              /* held_frame *, oldest first */
    GHashTable *held_by_frame;
    size_t held_bytes;
    GPtrArray *variants;      /* variant *, for the frame being read (--mutate) */
    uint64_t variants_written, variants_dropped;
    int empty_linktype;       /* the pcap header's link type when nothing was written; 0: 1 */
    char err[256];
};

typedef struct {
    const uint8_t *at;        /* the message in the frame being read */
    size_t len;
    GByteArray *repl;
    bool replace;             /* the frame itself, with these bytes (writer_replace) */
} variant;

int writer_format_of(const char *name)
{
    if (strcmp(name, "pcap") == 0 || strcmp(name, "libpcap") == 0)
        return WRITER_PCAP;
    if (strcmp(name, "nsecpcap") == 0)
        return WRITER_NSECPCAP;
    if (strcmp(name, "pcapng") == 0)
        return WRITER_PCAPNG;
    return -1;
}

/* ---------------------------------------------------------------- bytes out */

static void put(writer *w, const void *p, size_t n)
{
    if (!w->failed && n && fwrite(p, 1, n, w->out) != n) {
        w->failed = true;
        w->errnum = errno;
    }
}

static void put32(writer *w, uint32_t v) { put(w, &v, 4); }   /* host order, as the magic */
static void put16(writer *w, uint16_t v) { put(w, &v, 2); }

static void pcap_header(writer *w, int linktype)
{
    put32(w, w->fmt == WRITER_NSECPCAP ? 0xa1b23c4du : 0xa1b2c3d4u);
    put16(w, 2);
    put16(w, 4);
    put32(w, 0);   /* thiszone */
    put32(w, 0);   /* sigfigs */
    put32(w, PCAP_SNAPLEN);
    put32(w, (uint32_t)linktype);
}

static void pcap_record(writer *w, const capture_raw *r)
{
    if (w->pcap_linktype < 0) {
        w->pcap_linktype = r->linktype;
        pcap_header(w, r->linktype);
    }
    if (r->linktype != w->pcap_linktype) {
        if (!w->failed)
            snprintf(w->err, sizeof w->err,
                     "frame %u has link type %d, the pcap file %d: use -F pcapng", r->frame,
                     r->linktype, w->pcap_linktype);
        w->failed = true;
        return;
    }
    put32(w, (uint32_t)r->ts_sec);
    put32(w, w->fmt == WRITER_NSECPCAP ? (uint32_t)r->ts_nsec : (uint32_t)r->ts_nsec / 1000);
    put32(w, r->caplen);
    put32(w, r->orig_len > r->caplen ? r->orig_len : r->caplen);
    put(w, r->data, r->caplen);
}

static void pcapng_section(writer *w)
{
    put32(w, 0x0a0d0d0au);
    put32(w, 28);
    put32(w, 0x1a2b3c4du);
    put16(w, 1);
    put16(w, 0);
    put32(w, 0xffffffffu);   /* section length unknown */
    put32(w, 0xffffffffu);
    put32(w, 28);
}

/* An interface block with one option, if_tsresol 9 (nanoseconds). */
static void pcapng_interface(writer *w, int linktype)
{
    static const uint8_t tsresol_value[4] = { 9, 0, 0, 0 };   /* 10^-9, padded */
    put32(w, 1);
    put32(w, 32);
    put16(w, (uint16_t)linktype);
    put16(w, 0);
    put32(w, PCAP_SNAPLEN);
    put16(w, 9);   /* if_tsresol */
    put16(w, 1);
    put(w, tsresol_value, 4);
    put32(w, 0);   /* opt_endofopt */
    put32(w, 32);
}

static uint32_t pcapng_iface(writer *w, int linktype)
{
    for (size_t i = 0; i < w->nlinktypes; i++)
        if (w->linktypes[i] == linktype)
            return (uint32_t)i;
    if (w->nlinktypes == MAX_LINKTYPES) {
        w->failed = true;
        snprintf(w->err, sizeof w->err, "more than %d link types", MAX_LINKTYPES);
        return 0;
    }
    pcapng_interface(w, linktype);
    w->linktypes[w->nlinktypes] = linktype;
    return (uint32_t)w->nlinktypes++;
}

/* A comment option (opt_comment, 1), padded to 32 bits. */
static void pcapng_comment(writer *w, const char *text, size_t n)
{
    static const uint8_t zero[4];
    put16(w, 1);
    put16(w, (uint16_t)n);
    put(w, text, n);
    put(w, zero, (4 - n % 4) % 4);
}

/* An enhanced packet block; with a non-empty comment, the comment option and
 * the end of options. */
static void pcapng_record(writer *w, const capture_raw *r, const char *comment)
{
    uint32_t id = pcapng_iface(w, r->linktype);
    size_t cn = strlen(comment);
    if (cn > 0xfff0)
        cn = 0xfff0;
    uint32_t pad = (4 - r->caplen % 4) % 4;
    uint32_t opts = cn ? (uint32_t)(4 + cn + (4 - cn % 4) % 4 + 4) : 0;
    uint32_t len = 32 + r->caplen + pad + opts;
    uint64_t ts = (uint64_t)r->ts_sec * 1000000000u + (uint64_t)r->ts_nsec;
    static const uint8_t zero[4];
    put32(w, 6);
    put32(w, len);
    put32(w, id);
    put32(w, (uint32_t)(ts >> 32));
    put32(w, (uint32_t)ts);
    put32(w, r->caplen);
    put32(w, r->orig_len > r->caplen ? r->orig_len : r->caplen);
    put(w, r->data, r->caplen);
    put(w, zero, pad);
    if (cn) {
        pcapng_comment(w, comment, cn);
        put32(w, 0);   /* opt_endofopt */
    }
    put32(w, len);
}

bool writer_has_comments(const writer *w) { return w->fmt == WRITER_PCAPNG; }

void writer_packet(writer *w, const capture_raw *r, const char *comment)
{
    if (!w)
        return;
    if (w->fmt == WRITER_PCAPNG)
        pcapng_record(w, r, comment ? comment : "");
    else
        pcap_record(w, r);
}

static void write_frame(writer *w, const capture_raw *r)
{
    if (w->fmt == WRITER_PCAPNG)
        pcapng_record(w, r, "");
    else
        pcap_record(w, r);
}

/* ---------------------------------------------------------------- held frames */

static void held_drop_oldest(writer *w)
{
    held_frame *h = g_queue_pop_head(&w->held);
    g_hash_table_remove(w->held_by_frame, GUINT_TO_POINTER(h->r.frame));
    w->held_bytes -= h->r.caplen;
    g_free(h);
}

static void held_add(writer *w, const capture_raw *r, bool written)
{
    while (w->held.length &&
           (w->held.length >= HELD_MAX_FRAMES || w->held_bytes + r->caplen > HELD_MAX_BYTES))
        held_drop_oldest(w);
    held_frame *h = g_malloc(sizeof *h + r->caplen);
    h->r = *r;
    memcpy(h + 1, r->data, r->caplen);
    h->r.data = (const uint8_t *)(h + 1);
    h->written = written;
    g_queue_push_tail(&w->held, h);
    g_hash_table_insert(w->held_by_frame, GUINT_TO_POINTER(r->frame), h);
    w->held_bytes += r->caplen;
}

void writer_keep_frame(writer *w, const capture_frame *f)
{
    if (!w || !w->selected)
        return;
    w->keep_current = true;
    /* the parts, earliest first across messages: parts lists are in order */
    for (size_t i = 0; i < f->nmsgs; i++)
        for (size_t k = 0; k < f->parts[i].n; k++) {
            held_frame *h = g_hash_table_lookup(w->held_by_frame,
                                                GUINT_TO_POINTER(f->parts[i].frame[k]));
            if (h && !h->written) {
                write_frame(w, &h->r);
                h->written = true;
            }
        }
}

static void variant_free(gpointer p)
{
    variant *v = p;
    g_byte_array_free(v->repl, TRUE);
    g_free(v);
}

static void add_variant(writer *w, const uint8_t *at, size_t len, const uint8_t *repl,
                        size_t repl_len, bool replace)
{
    variant *v = g_new0(variant, 1);
    v->replace = replace;
    v->at = at;
    v->len = len;
    v->repl = g_byte_array_new();
    g_byte_array_append(v->repl, repl, (guint)repl_len);
    g_ptr_array_add(w->variants, v);
}

void writer_add_variant(writer *w, const uint8_t *at, size_t len, const uint8_t *repl,
                        size_t repl_len)
{
    add_variant(w, at, len, repl, repl_len, false);
}

void writer_replace(writer *w, const uint8_t *at, size_t len, const uint8_t *repl,
                    size_t repl_len)
{
    add_variant(w, at, len, repl, repl_len, true);
}

void writer_variant_counts(const writer *w, uint64_t *written, uint64_t *dropped)
{
    *written = w ? w->variants_written : 0;
    *dropped = w ? w->variants_dropped : 0;
}

/* The variants of the frame being read, each a frame before it; true when
 * the frame itself went out replaced. */
static bool write_variants(writer *w, const capture_raw *r)
{
    GByteArray *b = g_byte_array_new();
    bool replaced = false;
    for (guint i = 0; i < w->variants->len; i++) {
        const variant *v = g_ptr_array_index(w->variants, i);
        bool inside = v->at >= r->data && v->at + v->len <= r->data + r->caplen;
        if (!inside || r->orig_len > r->caplen ||
            !reframe_udp(r->data, r->caplen, (size_t)(v->at - r->data), v->len, v->repl->data,
                         v->repl->len, b)) {
            if (!v->replace)
                w->variants_dropped++;
            continue;
        }
        capture_raw out = *r;
        out.data = b->data;
        out.caplen = out.orig_len = b->len;
        write_frame(w, &out);
        if (v->replace)
            replaced = true;
        else
            w->variants_written++;
    }
    g_byte_array_free(b, TRUE);
    g_ptr_array_set_size(w->variants, 0);
    return replaced;
}

void writer_raw(void *user, const capture_raw *r, const capture_frame *f)
{
    writer *w = user;
    bool replaced = w->variants->len && write_variants(w, r);
    bool write = (!w->selected || w->keep_current) && !replaced;
    w->keep_current = false;
    if (write)
        write_frame(w, r);
    if (w->selected && f->held)
        held_add(w, r, write);
}

void writer_new_input(writer *w)
{
    while (w && w->held.length)
        held_drop_oldest(w);
}

/* ---------------------------------------------------------------- open / close */

writer *writer_open(const char *path, writer_format fmt, bool selected, char *err,
                    size_t errlen)
{
    bool to_stdout = strcmp(path, "-") == 0;
    FILE *out = to_stdout ? stdout : fopen(path, "wb");
    if (!out) {
        snprintf(err, errlen, "-w %s: %s", path, strerror(errno));
        return NULL;
    }
    writer *w = g_new0(writer, 1);
    w->out = out;
    w->to_stdout = to_stdout;
    w->fmt = fmt;
    w->selected = selected;
    w->pcap_linktype = -1;
    g_queue_init(&w->held);
    w->held_by_frame = g_hash_table_new(g_direct_hash, g_direct_equal);
    w->variants = g_ptr_array_new_with_free_func(variant_free);
    if (fmt == WRITER_PCAPNG)
        pcapng_section(w);
    return w;
}

void writer_set_empty_linktype(writer *w, int linktype)
{
    if (w)
        w->empty_linktype = linktype;
}

void writer_attach(writer *w, capture_opts *o)
{
    o->raw = writer_raw;
    o->raw_user = w;
    o->parts = w->selected;
}

int writer_close(writer *w, char *err, size_t errlen)
{
    if (!w)
        return 0;
    if (w->fmt != WRITER_PCAPNG && w->pcap_linktype < 0)
        pcap_header(w, w->empty_linktype ? w->empty_linktype : 1);   /* no frame: an empty Ethernet capture, as tcpdump writes */
    if (fflush(w->out) != 0 && !w->failed) {
        w->failed = true;
        w->errnum = errno;
    }
    if (!w->to_stdout && fclose(w->out) != 0 && !w->failed) {
        w->failed = true;
        w->errnum = errno;
    }
    int rc = w->failed ? -1 : 0;
    if (w->failed)
        snprintf(err, errlen, "-w: %s", w->err[0] ? w->err : strerror(w->errnum));
    while (w->held.length)
        held_drop_oldest(w);
    g_hash_table_destroy(w->held_by_frame);
    g_ptr_array_free(w->variants, TRUE);
    g_free(w);
    return rc;
}
