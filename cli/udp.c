/*
 * UDP (RFC 768) on the IKE ports.  On NAT-T ports (4500 by default) the
 * payload is demultiplexed as RFC 3948 2.2-2.3 says: a single 0xff byte is a
 * NAT keepalive, four zero bytes (the non-ESP marker) precede an IKE
 * message, anything else is ESP (counted, not decoded).
 */
#include "capture_int.h"

bool capture_port_in(const uint16_t *list, size_t n, uint16_t port)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == port)
            return true;
    return false;
}

void capture_add_msg(capture_walk *w, const ip_info *ip, span data, uint16_t sp, uint16_t dp,
                     bool tcp)
{
    capture_frame *f = w->f;
    if (f->nmsgs >= CAPTURE_MAX_MSGS)
        return;
    isakmp_packet *m = &f->msgs[f->nmsgs++];
    *m = (isakmp_packet){ .data = data.p, .len = data.len, .frame = f->frame,
                          .ts_sec = f->ts_sec, .ts_usec = f->ts_nsec / 1000, .af = ip->af,
                          .sport = sp, .dport = dp, .tcp = tcp };
    memcpy(m->src, ip->src, 16);
    memcpy(m->dst, ip->dst, 16);
    w->st->ike_msgs++;
}

void udp_input(capture_walk *w, const ip_info *ip, span s)
{
    if (!span_has(s, 8))
        return;
    const capture_opts *o = w->o;
    uint16_t sp = span_u16(s, 0), dp = span_u16(s, 2), ulen = span_u16(s, 4);
    if (!capture_port_in(o->ports, o->nports, sp) && !capture_port_in(o->ports, o->nports, dp))
        return;
    span payload = span_from(s, 8);
    if (ulen >= 8)
        payload = span_cut(payload, ulen - 8u);
    bool natt = capture_port_in(o->natt_ports, o->nnatt, sp) ||
                capture_port_in(o->natt_ports, o->nnatt, dp);
    if (natt) {
        if (payload.len == 1 && span_u8(payload, 0) == 0xff) {
            capture_frame *f = w->f;
            f->keepalive = true;
            f->ka = (isakmp_packet){ .frame = f->frame, .ts_sec = f->ts_sec,
                                     .ts_usec = f->ts_nsec / 1000, .af = ip->af, .sport = sp,
                                     .dport = dp };
            memcpy(f->ka.src, ip->src, 16);
            memcpy(f->ka.dst, ip->dst, 16);
            w->st->keepalives++;
            return;
        }
        if (payload.len < 4 || span_u32(payload, 0) != 0) {
            w->f->esp = true;   /* a non-zero SPI */
            w->st->esp++;
            return;
        }
        payload = span_from(payload, 4);
    }
    capture_add_msg(w, ip, payload, sp, dp, false);
}
