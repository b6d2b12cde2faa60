/*
 * --mutate: an IKE message swapped for other bytes inside its frame, the
 * UDP and IP headers made true again (RFC 768, RFC 791, RFC 8200 8.1).
 * The headers are found back from the message's place: the UDP header
 * right before it (or before the 4-byte non-ESP marker), the IP header
 * right before that, each checked field by field.
 */
#include <string.h>

#include "reframe.h"

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

/* The one's complement sum of n bytes (RFC 1071), added to sum. */
static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += be16(p + i);
    if (n & 1)
        sum += (uint32_t)p[n - 1] << 8;
    return sum;
}

static uint16_t fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

typedef struct {
    size_t ip_off, ip_len;   /* the IP header */
    int af;
    size_t udp_off;
} layout;

/* An IPv4 header that ends at udp_off, carries UDP, is no fragment and
 * whose length is the datagram's. */
static bool find_v4(const uint8_t *f, size_t udp_off, size_t udp_len, layout *l)
{
    for (size_t ihl = 5; ihl <= 15; ihl++) {
        if (udp_off < ihl * 4)
            break;
        const uint8_t *ip = f + udp_off - ihl * 4;
        if (ip[0] != (0x40 | ihl) || ip[9] != 17 || be16(ip + 2) != ihl * 4 + udp_len ||
            (be16(ip + 6) & 0x3fff))
            continue;
        *l = (layout){ udp_off - ihl * 4, ihl * 4, 4, udp_off };
        return true;
    }
    return false;
}

static bool find_v6(const uint8_t *f, size_t udp_off, size_t udp_len, layout *l)
{
    if (udp_off < 40)
        return false;
    const uint8_t *ip = f + udp_off - 40;
    if ((ip[0] >> 4) != 6 || ip[6] != 17 || be16(ip + 4) != udp_len)
        return false;
    *l = (layout){ udp_off - 40, 40, 6, udp_off };
    return true;
}

/* The UDP header before the message (with or without the marker) whose
 * length ends the datagram where the message ends, under an IP header. */
static bool find_layout(const uint8_t *f, size_t caplen, size_t msg_off, size_t msg_len,
                        layout *l)
{
    static const uint8_t marker[4];
    for (size_t m = 0; m <= 4; m += 4) {
        if (msg_off < 8 + m || (m && memcmp(f + msg_off - 4, marker, 4) != 0))
            continue;
        size_t udp_off = msg_off - 8 - m, udp_len = be16(f + udp_off + 4);
        if (udp_len != 8 + m + msg_len || udp_off + udp_len > caplen)
            continue;
        if (find_v4(f, udp_off, udp_len, l) || find_v6(f, udp_off, udp_len, l))
            return true;
    }
    return false;
}

bool reframe_udp(const uint8_t *frame, size_t caplen, size_t msg_off, size_t msg_len,
                 const uint8_t *repl, size_t repl_len, GByteArray *out)
{
    layout l;
    if (msg_off + msg_len > caplen || !find_layout(frame, caplen, msg_off, msg_len, &l))
        return false;
    size_t head = msg_off - l.udp_off;   /* UDP header and marker */
    size_t udp_len = head + repl_len;
    if (udp_len > 0xffff)
        return false;
    g_byte_array_set_size(out, 0);
    g_byte_array_append(out, frame, (guint)msg_off);
    g_byte_array_append(out, repl, (guint)repl_len);
    uint8_t *ip = out->data + l.ip_off, *udp = out->data + l.udp_off;
    put16(udp + 4, (uint32_t)udp_len);
    uint32_t pseudo;
    if (l.af == 4) {
        put16(ip + 2, (uint32_t)(l.ip_len + udp_len));
        put16(ip + 10, 0);
        put16(ip + 10, fold(sum16(0, ip, l.ip_len)));
        pseudo = sum16(0, ip + 12, 8);
    } else {
        put16(ip + 4, (uint32_t)udp_len);
        pseudo = sum16(0, ip + 8, 32);
    }
    bool none = l.af == 4 && be16(udp + 6) == 0;   /* IPv4: no checksum was sent */
    put16(udp + 6, 0);
    if (!none) {
        uint16_t c = fold(sum16(pseudo + 17 + (uint32_t)udp_len, udp, udp_len));
        put16(udp + 6, c ? c : 0xffff);   /* RFC 768: a computed 0 is sent as all ones */
    }
    return true;
}
