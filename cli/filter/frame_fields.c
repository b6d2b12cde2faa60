/*
 * The non-ike fields a display filter can read: one table of tshark's
 * names, each read from what the capture layer gives per message
 * (filter_frame: frame number, times, lengths, the message's addresses and
 * ports).  ip.addr, ipv6.addr, udp.port and tcp.port have two values each,
 * source and destination, as in Wireshark.
 */
#include <string.h>

#include "filter_int.h"

typedef enum {
    K_NUMBER, K_LEN, K_CAPLEN, K_TIME_REL, K_TIME_EPOCH,
    K_IP_SRC, K_IP_DST, K_IP_ADDR, K_IP6_SRC, K_IP6_DST, K_IP6_ADDR,
    K_UDP_SRC, K_UDP_DST, K_UDP_PORT, K_TCP_SRC, K_TCP_DST, K_TCP_PORT
} frame_key;

static const struct {
    const char *name;
    fv_type type;
    unsigned bits;
    frame_key key;
} table[] = {
    { "frame.number", FV_UINT, 32, K_NUMBER },
    { "frame.len", FV_UINT, 32, K_LEN },
    { "frame.cap_len", FV_UINT, 32, K_CAPLEN },
    { "frame.time_relative", FV_TIME, 64, K_TIME_REL },
    { "frame.time_epoch", FV_TIME, 64, K_TIME_EPOCH },
    { "ip.src", FV_IPV4, 32, K_IP_SRC },
    { "ip.dst", FV_IPV4, 32, K_IP_DST },
    { "ip.addr", FV_IPV4, 32, K_IP_ADDR },
    { "ipv6.src", FV_IPV6, 128, K_IP6_SRC },
    { "ipv6.dst", FV_IPV6, 128, K_IP6_DST },
    { "ipv6.addr", FV_IPV6, 128, K_IP6_ADDR },
    { "udp.srcport", FV_UINT, 16, K_UDP_SRC },
    { "udp.dstport", FV_UINT, 16, K_UDP_DST },
    { "udp.port", FV_UINT, 16, K_UDP_PORT },
    { "tcp.srcport", FV_UINT, 16, K_TCP_SRC },
    { "tcp.dstport", FV_UINT, 16, K_TCP_DST },
    { "tcp.port", FV_UINT, 16, K_TCP_PORT },
};

static bool lookup(const char *name, fv_type *type, unsigned *bits, int *key)
{
    for (size_t i = 0; i < G_N_ELEMENTS(table); i++)
        if (strcmp(table[i].name, name) == 0) {
            *type = table[i].type;
            *bits = table[i].bits;
            *key = (int)table[i].key;
            return true;
        }
    return esp_field_lookup(name, type, bits, key);
}

static size_t uint_value(uint64_t u, fval *out)
{
    out[0] = (fval){ .u = u };
    return 1;
}

/* src, dst or both of the message's addresses when its family is af. */
static size_t addrs(const isakmp_packet *p, int af, bool src, bool dst, fval *out)
{
    if (!p || p->af != af)
        return 0;
    size_t n = 0, len = af == 4 ? 4 : 16;
    if (src)
        out[n++] = (fval){ .p = p->src, .len = len };
    if (dst)
        out[n++] = (fval){ .p = p->dst, .len = len };
    return n;
}

static size_t ports(const isakmp_packet *p, bool tcp, bool src, bool dst, fval *out)
{
    if (!p || !p->af || p->tcp != tcp)
        return 0;
    size_t n = 0;
    if (src)
        out[n++] = (fval){ .u = p->sport };
    if (dst)
        out[n++] = (fval){ .u = p->dport };
    return n;
}

static int64_t ns_of(int64_t sec, int32_t nsec) { return sec * 1000000000 + nsec; }

static size_t values(int key, const filter_frame *fr, fval *out)
{
    if (key >= ESP_KEY_BASE)
        return esp_field_values(key, fr, out);
    const isakmp_packet *p = fr->esp && fr->esp->ip && key >= K_UDP_SRC ? NULL : fr->pkt;
    switch ((frame_key)key) {
    case K_NUMBER: return uint_value(fr->number, out);
    case K_LEN: return fr->len ? uint_value(fr->len, out) : 0;
    case K_CAPLEN: return fr->caplen ? uint_value(fr->caplen, out) : 0;
    case K_TIME_REL:
        out[0] = (fval){ .ns = ns_of(fr->ts_sec, fr->ts_nsec) - ns_of(fr->ref_sec, fr->ref_nsec) };
        return 1;
    case K_TIME_EPOCH: out[0] = (fval){ .ns = ns_of(fr->ts_sec, fr->ts_nsec) }; return 1;
    case K_IP_SRC: return addrs(p, 4, true, false, out);
    case K_IP_DST: return addrs(p, 4, false, true, out);
    case K_IP_ADDR: return addrs(p, 4, true, true, out);
    case K_IP6_SRC: return addrs(p, 6, true, false, out);
    case K_IP6_DST: return addrs(p, 6, false, true, out);
    case K_IP6_ADDR: return addrs(p, 6, true, true, out);
    case K_UDP_SRC: return ports(p, false, true, false, out);
    case K_UDP_DST: return ports(p, false, false, true, out);
    case K_UDP_PORT: return ports(p, false, true, true, out);
    case K_TCP_SRC: return ports(p, true, true, false, out);
    case K_TCP_DST: return ports(p, true, false, true, out);
    case K_TCP_PORT: return ports(p, true, true, true, out);
    }
    return 0;
}

const filter_frame_fields filter_frame_fields_default = { lookup, values };
