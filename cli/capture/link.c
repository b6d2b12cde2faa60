/*
 * Link layers (LINKTYPE_* numbers of the pcap/pcapng registry,
 * tcpdump.org/linktypes.html) down to IPv4 / IPv6.
 */
#include "capture_int.h"

enum {
    LT_NULL = 0,         /* BSD loopback, host-order address family */
    LT_ETHERNET = 1,
    LT_RAW = 101,        /* raw IPv4 or IPv6 */
    LT_LOOP = 108,       /* OpenBSD loopback, network-order family */
    LT_LINUX_SLL = 113,
    LT_IPV4 = 228,
    LT_IPV6 = 229,
    LT_LINUX_SLL2 = 276,
};

bool link_supported(int lt)
{
    switch (lt) {
    case LT_NULL: case LT_ETHERNET: case LT_RAW: case LT_LOOP: case LT_LINUX_SLL:
    case LT_IPV4: case LT_IPV6: case LT_LINUX_SLL2:
        return true;
    default:
        return false;
    }
}

/* What follows the link header; the IP layer checks the version again. */
enum { NET_NONE = 0, NET_IPV4 = 4, NET_IPV6 = 6 };

static bool vlan_tag(uint16_t type) { return type == 0x8100 || type == 0x88a8 || type == 0x9100; }

/* An EtherType, after any 802.1Q / 802.1ad (QinQ) tags, which it steps *s
 * over (their VLAN IDs into m). */
static int ethertype(uint16_t type, span *s, capture_meta *m)
{
    if (type == 0x0800)   /* the common case before the tag checks */
        return NET_IPV4;
    for (int i = 0; i < CAPTURE_MAX_VLAN && vlan_tag(type); i++) {
        if (s->len < 4)
            return NET_NONE;
        if (type != 0x88a8)   /* an 802.1ad S-tag is ieee8021ad.id in tshark, not vlan.id */
            m->vlan[m->nvlan++] = be16(s->p) & 0x0fff;
        type = be16(s->p + 2);
        *s = span_from(*s, 4);
    }
    return type == 0x0800 ? NET_IPV4 : type == 0x86dd ? NET_IPV6 : NET_NONE;
}

/* A header of `len` bytes with an EtherType at `type_at`. */
static int typed_header(span *s, size_t len, size_t type_at, capture_meta *m)
{
    if (s->len < len)
        return NET_NONE;
    uint16_t type = be16(s->p + type_at);
    *s = span_from(*s, len);
    return ethertype(type, s, m);
}

/* Raw IP: the version nibble says which. */
static int ip_version(span s) { return s.len ? s.p[0] >> 4 : NET_NONE; }

/* Steps *s over the link header to the network layer, which it returns.
 * Returning instead of calling down lets it fold into its one caller. */
static int link_network(int lt, span *s, capture_meta *m)
{
    size_t len = 14, type_at = 12;   /* Ethernet, tested first: the usual case */
    if (lt != LT_ETHERNET)
        switch (lt) {
        case LT_LINUX_SLL: len = 16, type_at = 14; break;    /* protocol at 14 */
        case LT_LINUX_SLL2: len = 20, type_at = 0; break;    /* protocol first */
        case LT_RAW:
        case LT_IPV4:
        case LT_IPV6:
            return ip_version(*s);
        case LT_NULL:
        case LT_LOOP:
            /* the 4-byte family is AF_INET (2) or one of the BSDs' AF_INET6
             * values (24, 28, 30) in either byte order: the IP version
             * nibble says the same more simply */
            if (s->len < 4)
                return NET_NONE;
            *s = span_from(*s, 4);
            return ip_version(*s);
        default:
            return NET_NONE;
        }
    if (lt == LT_ETHERNET && s->len >= 14) {
        m->eth = true;
        memcpy(m->eth_dst, s->p, 6);
        memcpy(m->eth_src, s->p + 6, 6);
    }
    return typed_header(s, len, type_at, m);
}

void link_input(capture_walk *w, int lt, span s)
{
    int net = link_network(lt, &s, &w->f->meta);
    if (net == NET_IPV4)
        ipv4_input(w, s);
    else if (net == NET_IPV6)
        ipv6_input(w, s);
}
