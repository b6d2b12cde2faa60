/*
 * IKE over TCP (RFC 9329, formerly RFC 8229): the connection originator
 * sends the 6-byte "IKETCP" prefix first; then each direction is a stream of
 * messages, each preceded by a 2-byte length that counts itself; an IKE
 * message starts with the 4-byte non-ESP marker (zero), anything else is ESP
 * (counted, not decoded).
 *
 * Each direction is reassembled in a window of TCP_WIN bytes from the next
 * byte not handed over: segments may arrive out of order, overlap or be
 * retransmitted (the first copy of each byte wins); data beyond the window is
 * dropped.  At most TCP_CONNS connections are followed at once (the least
 * recently active is dropped); buffers are allocated on first use and reused.
 *
 * The work per segment is bounded by the segment, not by the window: what
 * was received is the contiguous prefix (`have`) plus a short sorted list of
 * out-of-order ranges (at most TCP_RANGES; a segment that would need more is
 * dropped and counted), so storing a segment copies its own bytes and walks
 * at most TCP_RANGES ranges, and a reset forgets the ranges without clearing
 * anything.  Bytes handed over are moved out of the buffer only once they
 * fill TCP_SLACK bytes, so each byte is moved at most a few times however
 * the segments come (one far-ahead byte used to make every later segment
 * move the whole 128 KiB window: issue 18).
 */
#include <glib.h>
#include <stddef.h>
#include <string.h>

#include "capture_int.h"

#define TCP_CONNS 16
#define TCP_WIN (128 * 1024)   /* > the largest framed message (65535) */
#define TCP_SLACK (64 * 1024)  /* handed-over bytes kept before they are moved out */
#define TCP_BUF (TCP_WIN + TCP_SLACK)
#define TCP_RANGES 64          /* out-of-order ranges per direction */

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04

typedef struct {
    uint32_t from, to;  /* [from, to) of buf, received */
} tcp_range;

typedef struct {
    bool started, prefix_done, broken, fin;
    uint32_t base;      /* sequence number of buf[0] */
    size_t have;        /* bytes received contiguously from buf[0] */
    size_t used;        /* bytes at the start of buf already handed over */
    uint8_t *buf;       /* TCP_BUF bytes */
    tcp_segs *segs;     /* -w: the frames of its segments (parts.c) */
    bool ike_seen, syn_seen;
    uint32_t ike_end;   /* -w: where the previous IKE message ended, or the stream began */
    uint32_t syn_frame;
    unsigned nranges;   /* received beyond have: sorted, disjoint, apart, all past have */
    tcp_range range[TCP_RANGES];
} tcp_dir;

typedef struct {
    bool used;
    int af;
    uint8_t addr[2][16];
    uint16_t port[2];
    uint64_t last;      /* frame number of the last segment, for eviction */
    tcp_dir dir[2];     /* dir[0]: from addr[0]:port[0] */
} tcp_conn;

struct tcp_table {
    tcp_conn conn[TCP_CONNS];
};

tcp_table *tcp_new(void) { return g_new0(tcp_table, 1); }

void tcp_free(tcp_table *t)
{
    if (!t)
        return;
    for (int i = 0; i < TCP_CONNS; i++)
        for (int d = 0; d < 2; d++) {
            g_free(t->conn[i].dir[d].buf);
            tcp_segs_free(t->conn[i].dir[d].segs);
        }
    g_free(t);
}

static void dir_reset(tcp_dir *d)
{
    uint8_t *buf = d->buf;
    tcp_segs *segs = d->segs;   /* old entries lie outside the new sequence space */
    memset(d, 0, offsetof(tcp_dir, range));   /* the ranges past nranges are not read */
    d->buf = buf;
    d->segs = segs;
}

static void conn_reset(tcp_conn *c)
{
    dir_reset(&c->dir[0]);
    dir_reset(&c->dir[1]);
    c->used = false;
}

/* The connection of this segment and its direction; a new one when needed. */
static tcp_conn *find_conn(tcp_table *t, const ip_info *ip, uint16_t sp, uint16_t dp,
                           uint32_t frame, int *dir)
{
    size_t alen = ip->af == 4 ? 4 : 16;
    tcp_conn *victim = NULL;
    for (int i = 0; i < TCP_CONNS; i++) {
        tcp_conn *c = &t->conn[i];
        if (!c->used) {
            if (!victim || victim->used)
                victim = c;
            continue;
        }
        if (c->af == ip->af) {
            for (int d = 0; d < 2; d++)
                if (c->port[d] == sp && c->port[!d] == dp &&
                    memcmp(c->addr[d], ip->src, alen) == 0 &&
                    memcmp(c->addr[!d], ip->dst, alen) == 0) {
                    *dir = d;
                    c->last = frame;
                    return c;
                }
        }
        if (!victim || (victim->used && c->last < victim->last))
            victim = c;
    }
    tcp_conn *c = victim;
    conn_reset(c);
    c->used = true;
    c->af = ip->af;
    memcpy(c->addr[0], ip->src, 16);
    memcpy(c->addr[1], ip->dst, 16);
    c->port[0] = sp;
    c->port[1] = dp;
    c->last = frame;
    *dir = 0;
    return c;
}

/* The end of what was received (contiguous or not). */
static size_t dir_end(const tcp_dir *d)
{
    return d->nranges ? d->range[d->nranges - 1].to : d->have;
}

/* Moves the bytes not handed over yet to the start of the buffer, once the
 * handed-over ones fill TCP_SLACK bytes: at most TCP_BUF bytes moved per
 * TCP_SLACK bytes handed over. */
static void compact(tcp_dir *d)
{
    if (d->used < TCP_SLACK)
        return;
    size_t n = d->used;
    memmove(d->buf, d->buf + n, dir_end(d) - n);
    for (unsigned i = 0; i < d->nranges; i++) {
        d->range[i].from -= (uint32_t)n;
        d->range[i].to -= (uint32_t)n;
    }
    d->base += (uint32_t)n;
    d->have -= n;
    d->used = 0;
}

/* Copies data (which starts at `at` of buf) into what [at, end) has not
 * received yet: the first copy of each byte wins.  at >= have. */
static void fill_gaps(tcp_dir *d, size_t at, size_t end, span data)
{
    size_t pos = at;
    for (unsigned i = 0; i < d->nranges && pos < end; i++) {
        const tcp_range *r = &d->range[i];
        if (r->to <= pos)
            continue;
        if (r->from > pos) {
            size_t stop = r->from < end ? r->from : end;
            memcpy(d->buf + pos, data.p + (pos - at), stop - pos);
        }
        pos = r->to;
    }
    if (pos < end)
        memcpy(d->buf + pos, data.p + (pos - at), end - pos);
}

/* Adds [at, end) (at >= have) to what was received; the contiguous prefix
 * takes the ranges it reaches.  False, changing nothing, when the ranges
 * would overflow. */
static bool add_range(tcp_dir *d, size_t at, size_t end)
{
    unsigned i = 0;
    while (i < d->nranges && d->range[i].to < at)
        i++;   /* ranges wholly before, not touching */
    unsigned j = i;
    size_t from = at, to = end;
    while (j < d->nranges && d->range[j].from <= end) {   /* overlapping or touching */
        if (d->range[j].from < from)
            from = d->range[j].from;
        if (d->range[j].to > to)
            to = d->range[j].to;
        j++;
    }
    if (from <= d->have) {   /* reaches the prefix: i is 0 here */
        d->have = to;
        memmove(d->range, d->range + j, (d->nranges - j) * sizeof *d->range);
        d->nranges -= j;
        return true;
    }
    if (i == j && d->nranges == TCP_RANGES)
        return false;
    memmove(d->range + i + 1, d->range + j, (d->nranges - j) * sizeof *d->range);
    d->range[i] = (tcp_range){ (uint32_t)from, (uint32_t)to };
    d->nranges = d->nranges - (j - i) + 1;
    return true;
}

/* Puts a segment's data into the window: TCP_WIN bytes from the first byte
 * not handed over. */
static void store(capture_walk *w, tcp_dir *d, uint32_t seq, span data)
{
    int64_t rel = (int32_t)(seq - d->base);
    if (rel < (int64_t)d->have) {   /* starts in what was received: maybe new data after it */
        if ((uint64_t)((int64_t)d->have - rel) >= data.len)
            return;
        data = span_from(data, (size_t)((int64_t)d->have - rel));
        rel = (int64_t)d->have;
    }
    size_t limit = d->used + TCP_WIN;
    if ((uint64_t)rel >= limit) {
        w->st->tcp_dropped++;
        return;
    }
    size_t at = (size_t)rel;
    size_t n = data.len < limit - at ? data.len : limit - at;
    /* bytes copied into gaps count only once their range is added */
    fill_gaps(d, at, at + n, data);
    if (!add_range(d, at, at + n))
        w->st->tcp_dropped++;   /* more holes than TCP_RANGES */
}

/* -w: the segments that carried the message of `len` bytes at d->used and
 * the non-IKE data since the previous one (and the SYN for the first). */
static void tcp_msg_parts(capture_walk *w, tcp_dir *d, size_t len)
{
    capture_parts p;
    uint32_t end = d->base + (uint32_t)(d->used + len);
    tcp_segs_parts(d->segs, d->ike_end, end - d->ike_end, w->f->frame, &p);
    if (!d->ike_seen && d->syn_seen && p.n < CAPTURE_MAX_PARTS) {
        memmove(p.frame + 1, p.frame, p.n * sizeof p.frame[0]);
        p.frame[0] = d->syn_frame;
        p.n++;
    }
    capture_msg_parts(w, &p);
    d->ike_seen = true;
    d->ike_end = end;
}

/* Hands over every complete message of the direction. */
static void frames(capture_walk *w, const ip_info *ip, tcp_dir *d, uint16_t sp, uint16_t dp)
{
    static const char prefix[6] = { 'I', 'K', 'E', 'T', 'C', 'P' };
    span s = span_of(d->buf, d->have);
    while (!d->broken) {
        span rest = span_from(s, d->used);
        if (!d->prefix_done) {
            size_t n = rest.len < 6 ? rest.len : 6;
            if (!span_eq(rest, 0, prefix, n))
                d->prefix_done = true;        /* no prefix: the responder's side */
            else if (n < 6)
                return;                       /* may still become the prefix */
            else {
                d->used += 6;
                d->prefix_done = true;
                continue;
            }
        }
        if (!span_has(rest, 2))
            return;
        size_t len = span_u16(rest, 0);
        if (len < 3) {
            d->broken = true;   /* a length that cannot frame anything: lost sync */
            w->st->tcp_dropped++;
            return;
        }
        if (!span_has(rest, len))
            return;
        span body = span_sub(rest, 2, len - 2);
        if (span_has(body, 4) && span_u32(body, 0) == 0) {
            if (w->f->nmsgs >= CAPTURE_MAX_MSGS)
                return;   /* the frame is full: the rest goes with the next segment */
            capture_add_msg(w, ip, span_from(body, 4), sp, dp, true);
            w->st->tcp_msgs++;
            if (w->parts)
                tcp_msg_parts(w, d, len);
        } else {
            capture_add_esp(w, ip, body, sp, dp, 6);
        }
        d->used += len;
    }
}

void tcp_input(capture_walk *w, const ip_info *ip, span s)
{
    if (s.len < 20)
        return;
    uint16_t sp = be16(s.p), dp = be16(s.p + 2);
    if (!((w->port_kind[sp] | w->port_kind[dp]) & PORT_IKE))
        return;
    uint32_t seq = be32(s.p + 4);
    size_t doff = (size_t)(s.p[12] >> 4) * 4;
    uint8_t flags = s.p[13];
    if (doff < 20 || !span_has(s, doff))
        return;
    span data = span_from(s, doff);
    int di;
    tcp_conn *c = find_conn(w->tcp, ip, sp, dp, w->f->frame, &di);
    tcp_dir *d = &c->dir[di];
    if (flags & TH_SYN) {
        dir_reset(d);
        d->started = true;
        d->base = d->ike_end = seq + 1;
        d->syn_seen = true;
        d->syn_frame = w->f->frame;
        w->f->held = true;   /* -w writes it with the first message */
        return;
    }
    if (data.len) {
        if (!d->buf)
            d->buf = g_malloc(TCP_BUF);
        if (!d->started) {   /* the capture began after the handshake */
            d->started = true;
            d->base = d->ike_end = seq;
        }
        compact(d);
        store(w, d, seq, data);
        w->f->held = true;   /* its bytes may complete a later message */
        if (w->parts)
            tcp_segs_add(&d->segs, w->f->frame, seq, data.len);
        frames(w, ip, d, sp, dp);
    }
    if (flags & TH_FIN)
        d->fin = true;
    if ((flags & TH_RST) || (c->dir[0].fin && c->dir[1].fin))
        c->used = false;   /* buffers stay for reuse; this frame's messages stay valid */
}
