/*
 * IPv4 (RFC 791) and IPv6 (RFC 8200, extension headers walked) down to the
 * transport; fragments go through ipfrag.c.
 */
#include "capture_int.h"

#define PROTO_HOPOPTS 0
#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_ROUTING 43
#define PROTO_ESP 50
#define PROTO_FRAGMENT 44
#define PROTO_DSTOPTS 60
#define PROTO_MOBILITY 135

void ip_transport(capture_walk *w, const ip_info *ip, uint8_t proto, span s)
{
    if (proto == PROTO_UDP)
        udp_input(w, ip, s);
    else if (proto == PROTO_TCP)
        tcp_input(w, ip, s);
    else if (proto == PROTO_ESP)
        capture_add_esp(w, ip, s, 0, 0, PROTO_ESP);
}

/* A fragment: into the reassembly table, and on when it completes a datagram. */
static void ipv4_fragment(capture_walk *w, const ip_info *ip, const uint8_t *h, span body,
                          size_t payload_len)
{
    if (body.len < payload_len)
        return;   /* a fragment cut by the snap length cannot be reassembled */
    uint16_t frag = be16(h + 6);
    span whole;
    if (ipfrag_add(w->frags, w->st, ip, be16(h + 4), h[9], (size_t)(frag & 0x1fff) * 8,
                   frag & 0x2000, body, w->f->ts_sec, &whole)) {
        w->frags_done = true;
        ip_transport(w, ip, h[9], whole);
    }
}

void ipv4_input(capture_walk *w, span s)
{
    const uint8_t *h = s.p;
    /* version 4 with a header length of 5 to 15 words, in one test */
    if (s.len < 20 || (uint8_t)(h[0] - 0x45) > 0x4f - 0x45)
        return;
    size_t hl = (size_t)(h[0] & 15) * 4;
    size_t tot = be16(h + 2);
    if (tot < hl || s.len < hl)
        return;
    ip_info ip = { .af = 4 };
    memcpy(ip.src, h + 12, 4);
    memcpy(ip.dst, h + 16, 4);
    /* the total length trims Ethernet padding; a short capture stays short */
    span body = { h + hl, (tot < s.len ? tot : s.len) - hl };
    if (be16(h + 6) & 0x3fff)   /* more fragments, or an offset */
        ipv4_fragment(w, &ip, h, body, tot - hl);
    else if (h[9] == PROTO_UDP)   /* the usual case, without the dispatch */
        udp_input(w, &ip, body);
    else
        ip_transport(w, &ip, h[9], body);
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
            if (s.len < 8)
                return;
            size_t len = ((size_t)s.p[1] + 1) * 8;
            nh = s.p[0];
            s = span_from(s, len);
            break;
        }
        case PROTO_FRAGMENT: {
            if (s.len < 8 || depth > 0 || cut)
                return;   /* no fragments inside fragments; cut ones cannot complete */
            uint8_t next = s.p[0];
            uint16_t offm = be16(s.p + 2);
            span whole;
            if (ipfrag_add(w->frags, w->st, ip, be32(s.p + 4), next, (size_t)(offm & 0xfff8),
                           offm & 1, span_from(s, 8), w->f->ts_sec, &whole)) {
                w->frags_done = true;
                ipv6_ext(w, ip, next, whole, depth + 1, false);
            }
            return;
        }
        default:
            ip_transport(w, ip, nh, s);
            return;
        }
    }
}

/* The Jumbo Payload option (RFC 2675 2: type 0xC2, 4 bytes) of a
 * hop-by-hop header: the length of the packet after the IPv6 header; 0 when
 * there is none or it is below 65,536 (then it is not a jumbogram). */
static size_t jumbo_length(span hbh)
{
    size_t end = ((size_t)span_u8(hbh, 1) + 1) * 8;
    span opts = span_sub(hbh, 2, end - 2);
    while (opts.len) {
        uint8_t type = span_u8(opts, 0);
        if (type == 0) {   /* Pad1 */
            opts = span_from(opts, 1);
            continue;
        }
        uint8_t len = span_u8(opts, 1);
        if (type == 0xc2 && len == 4) {
            uint32_t v = span_u32(opts, 2);
            return v > 65535 ? v : 0;
        }
        opts = span_from(opts, 2 + (size_t)len);
    }
    return 0;
}

void ipv6_input(capture_walk *w, span s)
{
    const uint8_t *h = s.p;
    if (s.len < 40 || (h[0] >> 4) != 6)
        return;
    ip_info ip = { .af = 6 };
    memcpy(ip.src, h + 8, 16);
    memcpy(ip.dst, h + 24, 16);
    size_t plen = be16(h + 4);
    span body = { h + 40, s.len - 40 };
    if (!plen && h[6] == PROTO_HOPOPTS) {
        /* 0 with a Jumbo Payload option is a jumbogram (RFC 2675): its
         * length is the option's (messages over CAPTURE_MAX_MSG are counted
         * and dropped when handed over) */
        plen = jumbo_length(body);
        w->st->jumbograms += plen > 0;
    }
    if (plen)   /* otherwise take what was captured */
        body = span_cut(body, plen);
    ipv6_ext(w, &ip, h[6], body, 0, plen && body.len < plen);
}
