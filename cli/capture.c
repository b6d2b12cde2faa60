/*
 * Capture input: libpcap reads the file; this walks the link layer, IP and
 * UDP headers down to ISAKMP.  Every header is read through `span`, a bounded
 * view that refuses to go past what was captured.
 */
#include "capture.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

/* A bounded view of frame bytes. */
typedef struct {
    const uint8_t *p;
    size_t len;
} span;

static bool span_has(span s, size_t n) { return n <= s.len; }
static uint8_t span_u8(span s, size_t at) { return at < s.len ? s.p[at] : 0; }
static uint16_t span_u16(span s, size_t at)
{
    return at + 2 <= s.len ? (uint16_t)((s.p[at] << 8) | s.p[at + 1]) : 0;
}
static span span_from(span s, size_t at)
{
    return at <= s.len ? (span){ s.p + at, s.len - at } : (span){ s.p + s.len, 0 };
}
static span span_cut(span s, size_t n) { return n < s.len ? (span){ s.p, n } : s; }

void capture_opts_default(capture_opts *o)
{
    memset(o, 0, sizeof *o);
    o->ports[o->nports++] = 500;
    o->ports[o->nports++] = 4500;
    o->natt_ports[o->nnatt++] = 4500;
}

static bool port_in(const uint16_t *list, size_t n, uint16_t port)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == port)
            return true;
    return false;
}

/* ---------------------------------------------------------------- UDP */

static void add_msg(capture_frame *f, const isakmp_packet *ip, span data, uint16_t sp, uint16_t dp)
{
    if (f->nmsgs >= CAPTURE_MAX_MSGS)
        return;
    isakmp_packet *m = &f->msgs[f->nmsgs++];
    *m = *ip;
    m->data = data.p;
    m->len = data.len;
    m->sport = sp;
    m->dport = dp;
}

static void udp(const capture_opts *o, capture_frame *f, const isakmp_packet *ip, span s)
{
    if (!span_has(s, 8))
        return;
    uint16_t sp = span_u16(s, 0), dp = span_u16(s, 2), ulen = span_u16(s, 4);
    bool ike = port_in(o->ports, o->nports, sp) || port_in(o->ports, o->nports, dp);
    if (!ike)
        return;
    span payload = span_from(s, 8);
    if (ulen >= 8)
        payload = span_cut(payload, ulen - 8u);
    bool natt = port_in(o->natt_ports, o->nnatt, sp) || port_in(o->natt_ports, o->nnatt, dp);
    if (natt) {
        if (payload.len == 1 && span_u8(payload, 0) == 0xff) {
            f->keepalive = true;   /* RFC 3948 2.3 */
            return;
        }
        if (payload.len < 4 || span_u16(payload, 0) != 0 || span_u16(payload, 2) != 0) {
            f->esp = true;         /* a non-zero SPI: ESP, RFC 3948 2.2 */
            return;
        }
        payload = span_from(payload, 4);   /* the non-ESP marker */
    }
    add_msg(f, ip, payload, sp, dp);
}

/* ---------------------------------------------------------------- IP */

#define IPPROTO_UDP_ 17

static void ipv4(const capture_opts *o, capture_frame *f, span s)
{
    if (!span_has(s, 20) || (span_u8(s, 0) >> 4) != 4)
        return;
    size_t hl = (size_t)(span_u8(s, 0) & 15) * 4;
    size_t tot = span_u16(s, 2);
    if (hl < 20 || !span_has(s, hl))
        return;
    uint16_t frag = span_u16(s, 6);
    if ((frag & 0x3fff) != 0)
        return;   /* fragments: reassembly is the capture module's next step */
    isakmp_packet ip = { .frame = f->frame, .ts_sec = f->ts_sec, .ts_usec = f->ts_usec, .af = 4 };
    memcpy(ip.src, s.p + 12, 4);
    memcpy(ip.dst, s.p + 16, 4);
    span body = span_from(span_cut(s, tot >= hl ? tot : s.len), hl);
    if (span_u8(s, 9) == IPPROTO_UDP_)
        udp(o, f, &ip, body);
}

static void ipv6(const capture_opts *o, capture_frame *f, span s)
{
    if (!span_has(s, 40) || (span_u8(s, 0) >> 4) != 6)
        return;
    isakmp_packet ip = { .frame = f->frame, .ts_sec = f->ts_sec, .ts_usec = f->ts_usec, .af = 6 };
    memcpy(ip.src, s.p + 8, 16);
    memcpy(ip.dst, s.p + 24, 16);
    uint8_t nh = span_u8(s, 6);
    span body = span_from(span_cut(s, 40u + span_u16(s, 4)), 40);
    /* walk extension headers: hop-by-hop, routing, destination options */
    for (int i = 0; i < 8 && (nh == 0 || nh == 43 || nh == 60); i++) {
        if (!span_has(body, 8))
            return;
        size_t len = ((size_t)span_u8(body, 1) + 1) * 8;
        nh = span_u8(body, 0);
        body = span_from(body, len);
    }
    if (nh == IPPROTO_UDP_)
        udp(o, f, &ip, body);
}

static void ip_any(const capture_opts *o, capture_frame *f, span s)
{
    switch (span_u8(s, 0) >> 4) {
    case 4: ipv4(o, f, s); break;
    case 6: ipv6(o, f, s); break;
    default: break;
    }
}

static void ethertype(const capture_opts *o, capture_frame *f, uint16_t type, span s)
{
    /* 802.1Q / 802.1ad tags, possibly stacked */
    for (int i = 0; i < 4 && (type == 0x8100 || type == 0x88a8 || type == 0x9100); i++) {
        if (!span_has(s, 4))
            return;
        type = span_u16(s, 2);
        s = span_from(s, 4);
    }
    if (type == 0x0800)
        ipv4(o, f, s);
    else if (type == 0x86dd)
        ipv6(o, f, s);
}

/* ---------------------------------------------------------------- link */

static void link_layer(const capture_opts *o, capture_frame *f, int dlt, span s)
{
    switch (dlt) {
    case DLT_EN10MB:
        if (span_has(s, 14))
            ethertype(o, f, span_u16(s, 12), span_from(s, 14));
        break;
    case DLT_LINUX_SLL:
        if (span_has(s, 16))
            ethertype(o, f, span_u16(s, 14), span_from(s, 16));
        break;
#ifdef DLT_LINUX_SLL2
    case DLT_LINUX_SLL2:
        if (span_has(s, 20))
            ethertype(o, f, span_u16(s, 0), span_from(s, 20));
        break;
#endif
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
        ip_any(o, f, s);
        break;
    case DLT_NULL:
    case DLT_LOOP:
        /* a 4-byte address family in either byte order; look at IP directly */
        if (span_has(s, 4))
            ip_any(o, f, span_from(s, 4));
        break;
    default:
        break;
    }
}

static bool dlt_supported(int dlt)
{
    switch (dlt) {
    case DLT_EN10MB:
    case DLT_LINUX_SLL:
#ifdef DLT_LINUX_SLL2
    case DLT_LINUX_SLL2:
#endif
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
    case DLT_NULL:
    case DLT_LOOP:
        return true;
    default:
        return false;
    }
}

int capture_file(const char *path, const capture_opts *o, capture_fn fn, void *user,
                 char *err, size_t errlen)
{
    char perr[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p = pcap_open_offline(path, perr);
    if (!p) {
        snprintf(err, errlen, "%s: %s", path, perr);
        return -1;
    }
    int dlt = pcap_datalink(p);
    if (!dlt_supported(dlt)) {
        snprintf(err, errlen, "%s: unsupported link type %s (%d)", path,
                 pcap_datalink_val_to_name(dlt) ? pcap_datalink_val_to_name(dlt) : "?", dlt);
        pcap_close(p);
        return -1;
    }
    struct pcap_pkthdr *h;
    const u_char *data;
    uint32_t frame = 0;
    int rc;
    static capture_frame f;
    while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
        f.frame = ++frame;
        f.ts_sec = h->ts.tv_sec;
        f.ts_usec = (int32_t)h->ts.tv_usec;
        f.nmsgs = 0;
        f.keepalive = f.esp = false;
        link_layer(o, &f, dlt, (span){ data, h->caplen });
        fn(user, &f);
    }
    if (rc == -1) {
        snprintf(err, errlen, "%s: %s", path, pcap_geterr(p));
        pcap_close(p);
        return -1;
    }
    pcap_close(p);
    return 0;
}
