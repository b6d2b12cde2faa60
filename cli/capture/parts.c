/*
 * Which frames built a message, for -w: a message reassembled from IP
 * fragments or TCP segments is written with those frames.  The fragments'
 * frames are kept by ipfrag.c in each datagram's slot; a TCP direction keeps
 * here the frame and sequence range of its last TCP_SEGS segments (a
 * message longer than that many segments is written with its last ones).
 * A TCP message's range starts where the direction's previous IKE message
 * ended (at its first, where the stream started, with the SYN): the ESP
 * records between two messages are written with the second, so that the
 * written stream has no gap a reader would stop at.
 */
#include <glib.h>

#include "capture_int.h"

#define TCP_SEGS 256

struct tcp_segs {
    size_t next, n;   /* ring: the next slot to write, the slots in use */
    struct {
        uint32_t frame, seq, len;
    } seg[TCP_SEGS];
};

void tcp_segs_add(tcp_segs **t, uint32_t frame, uint32_t seq, size_t len)
{
    if (!*t)
        *t = g_new0(tcp_segs, 1);
    tcp_segs *s = *t;
    s->seg[s->next].frame = frame;
    s->seg[s->next].seq = seq;
    s->seg[s->next].len = (uint32_t)len;
    s->next = (s->next + 1) % TCP_SEGS;
    if (s->n < TCP_SEGS)
        s->n++;
}

void tcp_segs_free(tcp_segs *t) { g_free(t); }

static void add_part(capture_parts *out, uint32_t frame)
{
    for (size_t i = 0; i < out->n; i++)
        if (out->frame[i] == frame)
            return;
    if (out->n < CAPTURE_MAX_PARTS)
        out->frame[out->n++] = frame;
}

void tcp_segs_parts(const tcp_segs *t, uint32_t seq, size_t len, uint32_t cur,
                    capture_parts *out)
{
    out->n = 0;
    if (!t)
        return;
    /* newest first, so that the message's own segments are kept when the
     * range holds more than CAPTURE_MAX_PARTS (sequence arithmetic mod 2^32) */
    uint32_t found[CAPTURE_MAX_PARTS];
    size_t n = 0;
    for (size_t k = 0; k < t->n && n < CAPTURE_MAX_PARTS; k++) {
        size_t i = (t->next + TCP_SEGS - 1 - k) % TCP_SEGS;
        uint32_t from = t->seg[i].seq - seq;   /* the segment's start after the range's */
        uint32_t back = seq - t->seg[i].seq;   /* ... or before it */
        bool overlaps = from < len || back < t->seg[i].len;
        bool dup = false;
        for (size_t j = 0; j < n; j++)
            dup |= found[j] == t->seg[i].frame;
        if (overlaps && !dup && t->seg[i].frame != cur)
            found[n++] = t->seg[i].frame;
    }
    while (n)
        out->frame[out->n++] = found[--n];
}

void capture_msg_parts(capture_walk *w, const capture_parts *p)
{
    capture_frame *f = w->f;
    if (!w->parts || f->nmsgs == 0)
        return;
    capture_parts *to = &f->parts[f->nmsgs - 1];
    to->n = 0;
    for (size_t i = 0; p && i < p->n; i++)
        if (p->frame[i] != f->frame)
            add_part(to, p->frame[i]);
}

void capture_msg_parts_ip(capture_walk *w)
{
    capture_msg_parts(w, w->frags_done ? ipfrag_done_parts(w->frags) : NULL);
}
