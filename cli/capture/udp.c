/*
 * UDP (RFC 768) on the IKE ports.  On NAT-T ports (4500 by default) the
 * payload is demultiplexed as RFC 3948 2.2-2.3 says: a single 0xff byte is a
 * NAT keepalive, four zero bytes (the non-ESP marker) precede an IKE
 * message, anything else is ESP (handed over for its line and decryption).
 */
#include "capture_int.h"

bool capture_port_in(const uint16_t *list, size_t n, uint16_t port)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == port)
            return true;
    return false;
}

void capture_port_table(const capture_opts *o, uint8_t *kind)
{
    memset(kind, 0, 65536);
    for (size_t i = 0; i < o->nports; i++)
        kind[o->ports[i]] |= PORT_IKE;
    for (size_t i = 0; i < o->nnatt; i++)
        kind[o->natt_ports[i]] |= PORT_NATT;
}

/* The frame's number and time and the packet's addresses and ports: what a
 * message and a keepalive share.  Written field by field: a compound
 * literal would clear the whole struct first. */
static void packet_head(isakmp_packet *m, const capture_frame *f, const ip_info *ip, uint16_t sp,
                        uint16_t dp)
{
    m->frame = f->frame;
    m->ts_sec = f->ts_sec;
    m->ts_usec = f->ts_nsec / 1000;
    m->af = ip->af;
    memcpy(m->src, ip->src, 16);
    memcpy(m->dst, ip->dst, 16);
    m->sport = sp;
    m->dport = dp;
}

void capture_add_msg(capture_walk *w, const ip_info *ip, span data, uint16_t sp, uint16_t dp,
                     bool tcp)
{
    capture_frame *f = w->f;
    if (f->nmsgs >= CAPTURE_MAX_MSGS)
        return;
    if (data.len > CAPTURE_MAX_MSG) {
        w->st->too_big++;
        return;
    }
    isakmp_packet *m = &f->msgs[f->nmsgs++];
    packet_head(m, f, ip, sp, dp);
    m->data = data.p;
    m->len = data.len;
    m->tcp = tcp;
    w->st->ike_msgs++;
}

static void keepalive(capture_walk *w, const ip_info *ip, uint16_t sp, uint16_t dp)
{
    capture_frame *f = w->f;
    f->keepalive = true;
    packet_head(&f->ka, f, ip, sp, dp);
    f->ka.data = NULL;
    f->ka.len = 0;
    f->ka.tcp = false;
    w->st->keepalives++;
}

/* ESP in UDP (RFC 3948 2.1), in TCP (RFC 9329 3) or as IP protocol 50:
 * the first of the frame has its SPI and sequence number for a line of its
 * own in the outputs; all go to ESP decryption. */
void capture_add_esp(capture_walk *w, const ip_info *ip, span data, uint16_t sp, uint16_t dp,
                     uint8_t proto)
{
    capture_frame *f = w->f;
    f->esp = true;
    w->st->esp++;
    if (data.len < 8)
        return;
    isakmp_packet *m;
    if (!f->esp_udp) {
        f->esp_udp = true;
        f->esp_proto = proto;
        f->esp_spi = be32(data.p);
        f->esp_seq = be32(data.p + 4);
        m = &f->esp_pkt;
    } else if (f->nesp_more < CAPTURE_MAX_ESP) {
        f->esp_more_spi[f->nesp_more] = be32(data.p);
        f->esp_more_seq[f->nesp_more] = be32(data.p + 4);
        m = &f->esp_more[f->nesp_more++];
    } else {
        return;
    }
    packet_head(m, f, ip, sp, dp);
    m->data = data.p;
    m->len = data.len;
    m->tcp = proto == 6;
}

void udp_input(capture_walk *w, const ip_info *ip, span s)
{
    if (s.len < 8)
        return;
    uint16_t sp = be16(s.p), dp = be16(s.p + 2), ulen = be16(s.p + 4);
    unsigned kind = w->port_kind[sp] | w->port_kind[dp];
    if (!(kind & PORT_IKE))
        return;
    span payload = { s.p + 8, s.len - 8 };
    /* a length of 0 in a jumbogram (RFC 2675 4): the IP layer's length holds */
    if (ulen >= 8 && ulen - 8u < payload.len)
        payload.len = ulen - 8u;
    if (kind & PORT_NATT) {
        if (payload.len == 1 && payload.p[0] == 0xff) {
            keepalive(w, ip, sp, dp);
            return;
        }
        if (payload.len < 4 || be32(payload.p) != 0) {
            capture_add_esp(w, ip, payload, sp, dp, 17);   /* a non-zero SPI */
            return;
        }
        payload.p += 4;
        payload.len -= 4;
    }
    capture_add_msg(w, ip, payload, sp, dp, false);
    if (w->parts)   /* -w: a reassembled datagram's fragments */
        capture_msg_parts_ip(w);
}
