/*
 * IP fragment reassembly for IPv4 (RFC 791 3.2) and IPv6 (RFC 8200 4.5).
 *
 * Bounded: at most FRAG_SLOTS datagrams are pending at once, each at most
 * 64 KiB; a datagram not completed within FRAG_TIMEOUT seconds of capture
 * time (RFC 8200's 60 s; Linux uses 30 s for IPv4) is dropped, and when every slot is busy
 * the oldest one is.  Slot buffers are allocated on first use and reused,
 * so the per-packet path does not allocate.
 *
 * Overlaps: the first copy of each 8-byte block wins (later copies of the
 * same block are ignored), so retransmitted and overlapping fragments
 * reassemble to the data first seen.
 */
#include <glib.h>
#include <string.h>

#include "capture_int.h"

#define FRAG_SLOTS 32
#define FRAG_MAX 65536               /* largest reassembled payload */
#define FRAG_BLOCKS (FRAG_MAX / 8)
#define FRAG_TIMEOUT 60

typedef struct {
    bool used, done;
    int af;
    uint8_t proto;
    uint32_t id;
    uint8_t src[16], dst[16];
    int64_t first_seen;
    size_t total;                    /* payload length, known from the last fragment; 0 before */
    size_t blocks_have;
    uint8_t have[FRAG_BLOCKS / 8];   /* bitmap of received 8-byte blocks */
    uint8_t *buf;                    /* FRAG_MAX bytes, allocated on first use */
    capture_parts frames;            /* the frames of its fragments (-w) */
} frag_slot;

struct ipfrag_table {
    frag_slot slot[FRAG_SLOTS];
    int ndone;                       /* slots completed in this frame */
    uint32_t frame;                  /* the frame being walked */
    const capture_parts *done;       /* the frames of the datagram completed in it */
};

void ipfrag_frame_begin(ipfrag_table *t, uint32_t frame)
{
    t->frame = frame;
    t->done = NULL;
}

const capture_parts *ipfrag_done_parts(const ipfrag_table *t) { return t->done; }

/* Remembers the frame of a fragment (the first CAPTURE_MAX_PARTS). */
static void note_frame(frag_slot *s, uint32_t frame)
{
    capture_parts *p = &s->frames;
    if (p->n < CAPTURE_MAX_PARTS && (p->n == 0 || p->frame[p->n - 1] != frame))
        p->frame[p->n++] = frame;
}

ipfrag_table *ipfrag_new(void) { return g_new0(ipfrag_table, 1); }

void ipfrag_free(ipfrag_table *t, capture_stats *st)
{
    if (!t)
        return;
    for (int i = 0; i < FRAG_SLOTS; i++) {
        if (t->slot[i].used && !t->slot[i].done)
            st->frag_dropped++;   /* never completed */
        g_free(t->slot[i].buf);
    }
    g_free(t);
}

static void slot_clear(frag_slot *s)
{
    uint8_t *buf = s->buf;
    memset(s, 0, sizeof *s);
    s->buf = buf;
}

void ipfrag_frame_end(ipfrag_table *t)
{
    /* a completed datagram's bytes lived until the frame was handed over */
    if (!t->ndone)
        return;
    t->ndone = 0;
    for (int i = 0; i < FRAG_SLOTS; i++)
        if (t->slot[i].done)
            slot_clear(&t->slot[i]);
}

static bool same(const frag_slot *s, const ip_info *ip, uint32_t id, uint8_t proto)
{
    size_t alen = ip->af == 4 ? 4 : 16;
    return s->used && !s->done && s->af == ip->af && s->id == id && s->proto == proto &&
           memcmp(s->src, ip->src, alen) == 0 && memcmp(s->dst, ip->dst, alen) == 0;
}

/* The slot of this datagram, or a fresh one (evicting expired or the oldest). */
static frag_slot *find_slot(ipfrag_table *t, capture_stats *st, const ip_info *ip, uint32_t id,
                            uint8_t proto, int64_t now)
{
    frag_slot *free_slot = NULL, *oldest = NULL;
    for (int i = 0; i < FRAG_SLOTS; i++) {
        frag_slot *s = &t->slot[i];
        if (same(s, ip, id, proto))
            return s;
        if (s->used && !s->done && now - s->first_seen > FRAG_TIMEOUT) {
            st->frag_dropped++;
            slot_clear(s);
        }
        if (!s->used && !free_slot)
            free_slot = s;
        if (s->used && !s->done && (!oldest || s->first_seen < oldest->first_seen))
            oldest = s;
    }
    if (!free_slot) {
        if (!oldest)
            return NULL;   /* every slot holds a datagram being handed over */
        st->frag_dropped++;
        slot_clear(oldest);
        free_slot = oldest;
    }
    frag_slot *s = free_slot;
    s->used = true;
    s->af = ip->af;
    s->id = id;
    s->proto = proto;
    memcpy(s->src, ip->src, 16);
    memcpy(s->dst, ip->dst, 16);
    s->first_seen = now;
    if (!s->buf)
        s->buf = g_malloc(FRAG_MAX);
    return s;
}

static bool block_has(const frag_slot *s, size_t b) { return s->have[b / 8] & (1u << (b % 8)); }

bool ipfrag_add(ipfrag_table *t, capture_stats *st, const ip_info *ip, uint32_t id,
                uint8_t proto, size_t off, bool more, span data, int64_t now, span *out)
{
    st->ip_fragments++;
    size_t end = off + data.len;
    if (end > FRAG_MAX || (more && data.len % 8) || (more && data.len == 0))
        return false;   /* too large, or a non-final fragment that is not 8-byte aligned */
    frag_slot *s = find_slot(t, st, ip, id, proto, now);
    if (!s)
        return false;
    note_frame(s, t->frame);
    if (!more) {
        if (s->total && s->total != end)
            return false;   /* a second, different "last" fragment: keep the first */
        s->total = end;
    }
    /* copy the blocks not seen yet; the final partial block counts as a block */
    for (size_t b = off / 8; b * 8 < end; b++) {
        if (block_has(s, b))
            continue;
        size_t from = b * 8, n = end - from < 8 ? end - from : 8;
        if (n < 8 && more)
            break;
        span_copy(data, from - off, s->buf + from, n);
        s->have[b / 8] |= (uint8_t)(1u << (b % 8));
        s->blocks_have++;
    }
    if (!s->total || s->blocks_have < (s->total + 7) / 8)
        return false;
    for (size_t b = 0; b < (s->total + 7) / 8; b++)
        if (!block_has(s, b))
            return false;   /* blocks past the end were counted: check each */
    s->done = true;
    t->ndone++;
    t->done = &s->frames;
    st->reassembled++;
    *out = span_of(s->buf, s->total);
    return true;
}
