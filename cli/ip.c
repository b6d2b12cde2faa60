/*
 * IPv4 (RFC 791) and IPv6 (RFC 8200, extension headers walked) down to the
 * transport; fragments go through ipfrag.c.
 */
#include "capture_int.h"

#define PROTO_HOPOPTS 0
#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_ROUTING 43
#define PROTO_FRAGMENT 44
#define PROTO_DSTOPTS 60
#define PROTO_MOBILITY 135

void ip_transport(capture_walk *w, const ip_info *ip, uint8_t proto, span s)
{
    if (proto == PROTO_UDP)
        udp_input(w, ip, s);
    else if (proto == PROTO_TCP)
        tcp_input(w, ip, s);
}

void ip_input(capture_walk *w, span s)
{
    switch (span_u8(s, 0) >> 4) {
    case 4: ipv4_input(w, s); break;
    case 6: ipv6_input(w, s); break;
    default: break;
    }
}

void ipv4_input(capture_walk *w, span s)
{
    if (!span_has(s, 20) || (span_u8(s, 0) >> 4) != 4)
        return;
    size_t hl = (size_t)(span_u8(s, 0) & 15) * 4;
    size_t tot = span_u16(s, 2);
    if (hl < 20 || tot < hl || !span_has(s, hl))
        return;
    ip_info ip = { .af = 4 };
    span_copy(s, 12, ip.src, 4);
    span_copy(s, 16, ip.dst, 4);
    uint8_t proto = span_u8(s, 9);
    /* the total length trims Ethernet padding; a short capture stays short */
    span body = span_from(span_cut(s, tot), hl);
    uint16_t frag = span_u16(s, 6);
    bool more = frag & 0x2000;
    size_t off = (size_t)(frag & 0x1fff) * 8;
    if (!more && off == 0) {
        ip_transport(w, &ip, proto, body);
        return;
    }
    if (body.len < tot - hl)
        return;   /* a fragment cut by the snap length cannot be reassembled */
    span whole;
    if (ipfrag_add(w->frags, w->st, &ip, span_u16(s, 4), proto, off, more, body,
                   w->f->ts_sec, &whole))
        ip_transport(w, &ip, proto, whole);
}

/* Walks extension headers from `nh` over `s`; reassembles at a fragment
 * header.  `depth` bounds the recursion through reassembled payloads. */
static void ipv6_ext(capture_walk *w, const ip_info *ip, uint8_t nh, span s, int depth, bool cut)
{
    for (int i = 0; i < 16; i++) {
        switch (nh) {
        case PROTO_HOPOPTS:
        case PROTO_ROUTING:
        case PROTO_DSTOPTS:
        case PROTO_MOBILITY: {
            if (!span_has(s, 8))
                return;
            size_t len = ((size_t)span_u8(s, 1) + 1) * 8;
            nh = span_u8(s, 0);
            s = span_from(s, len);
            break;
        }
        case PROTO_FRAGMENT: {
            if (!span_has(s, 8) || depth > 0 || cut)
                return;   /* no fragments inside fragments; cut ones cannot complete */
            uint8_t next = span_u8(s, 0);
            uint16_t offm = span_u16(s, 2);
            uint32_t id = span_u32(s, 4);
            span whole;
            if (ipfrag_add(w->frags, w->st, ip, id, next, (size_t)(offm & 0xfff8),
                           offm & 1, span_from(s, 8), w->f->ts_sec, &whole))
                ipv6_ext(w, ip, next, whole, depth + 1, false);
            return;
        }
        default:
            ip_transport(w, ip, nh, s);
            return;
        }
    }
}

void ipv6_input(capture_walk *w, span s)
{
    if (!span_has(s, 40) || (span_u8(s, 0) >> 4) != 6)
        return;
    ip_info ip = { .af = 6 };
    span_copy(s, 8, ip.src, 16);
    span_copy(s, 24, ip.dst, 16);
    size_t plen = span_u16(s, 4);
    span body = span_from(s, 40);
    if (plen)   /* 0 is a jumbogram (RFC 2675): take what was captured */
        body = span_cut(body, plen);
    ipv6_ext(w, &ip, span_u8(s, 6), body, 0, plen && body.len < plen);
}
