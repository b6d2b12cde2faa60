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

/* An EtherType, after any 802.1Q / 802.1ad (QinQ) tags. */
static void ethertype(capture_walk *w, uint16_t type, span s)
{
    for (int i = 0; i < 4 && (type == 0x8100 || type == 0x88a8 || type == 0x9100); i++) {
        if (!span_has(s, 4))
            return;
        type = span_u16(s, 2);
        s = span_from(s, 4);
    }
    if (type == 0x0800)
        ipv4_input(w, s);
    else if (type == 0x86dd)
        ipv6_input(w, s);
}

void link_input(capture_walk *w, int lt, span s)
{
    switch (lt) {
    case LT_ETHERNET:
        if (span_has(s, 14))
            ethertype(w, span_u16(s, 12), span_from(s, 14));
        break;
    case LT_LINUX_SLL:   /* 16-byte header, protocol at 14 */
        if (span_has(s, 16))
            ethertype(w, span_u16(s, 14), span_from(s, 16));
        break;
    case LT_LINUX_SLL2:  /* 20-byte header, protocol first */
        if (span_has(s, 20))
            ethertype(w, span_u16(s, 0), span_from(s, 20));
        break;
    case LT_RAW:
    case LT_IPV4:
    case LT_IPV6:
        ip_input(w, s);
        break;
    case LT_NULL:
    case LT_LOOP:
        /* the 4-byte family is AF_INET (2) or one of the BSDs' AF_INET6
         * values (24, 28, 30) in either byte order: the IP version nibble
         * says the same more simply */
        if (span_has(s, 4))
            ip_input(w, span_from(s, 4));
        break;
    default:
        break;
    }
}
