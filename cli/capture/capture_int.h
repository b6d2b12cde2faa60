/* Internals of the capture layer, shared by its files (one per concern):
 * capture.c (file loop), pcapng.c, link.c, ip.c, ipfrag.c, udp.c, tcp.c. */
#ifndef ISAKMPDUMP_CAPTURE_INT_H
#define ISAKMPDUMP_CAPTURE_INT_H

#include <stdio.h>

#include "capture.h"
#include "span.h"

typedef struct ipfrag_table ipfrag_table;
typedef struct tcp_table tcp_table;

/* port_kind[port]: what the options make of a UDP/TCP port, one table
 * look-up per port instead of a walk over both port lists. */
#define PORT_IKE 1u    /* one of capture_opts.ports */
#define PORT_NATT 2u   /* one of capture_opts.natt_ports */

/* The walk of one frame. */
typedef struct {
    capture_stats *st;
    capture_frame *f;
    ipfrag_table *frags;
    tcp_table *tcp;
    const uint8_t *port_kind;   /* 65536 entries of PORT_* bits */
    bool frags_done;            /* a datagram was reassembled: ipfrag_frame_end is due */
    bool parts;                 /* capture_opts.parts: fill capture_frame.parts */
} capture_walk;

/* Unchecked big-endian reads, for fixed headers whose length the caller
 * has checked once (the span_* reads check every access). */
static inline uint16_t be16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }

static inline uint32_t be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* Addresses of the IP packet being walked. */
typedef struct {
    int af;                  /* 4 or 6 */
    uint8_t src[16], dst[16];
} ip_info;

/* link.c: true when the link type is one we walk. */
bool link_supported(int linktype);
void link_input(capture_walk *w, int linktype, span s);

/* ip.c */
void ipv4_input(capture_walk *w, span s);
void ipv6_input(capture_walk *w, span s);
/* A transport payload (whole or reassembled) of protocol `proto`. */
void ip_transport(capture_walk *w, const ip_info *ip, uint8_t proto, span s);

/* ipfrag.c: bounded IPv4/IPv6 fragment reassembly. */
ipfrag_table *ipfrag_new(void);
void ipfrag_free(ipfrag_table *t, capture_stats *st);
/* Adds a fragment; when it completes its datagram, returns true with the
 * reassembled payload in *out (valid until ipfrag_frame_end, which the
 * caller then asks for through capture_walk.frags_done). */
bool ipfrag_add(ipfrag_table *t, capture_stats *st, const ip_info *ip, uint32_t id,
                uint8_t proto, size_t off, bool more, span data, int64_t now, span *out);
void ipfrag_frame_end(ipfrag_table *t);
/* The frame about to be walked; the frames of the datagram it completed. */
void ipfrag_frame_begin(ipfrag_table *t, uint32_t frame);
const capture_parts *ipfrag_done_parts(const ipfrag_table *t);

/* udp.c / tcp.c */
void udp_input(capture_walk *w, const ip_info *ip, span s);
tcp_table *tcp_new(void);
void tcp_free(tcp_table *t);
void tcp_input(capture_walk *w, const ip_info *ip, span s);

bool capture_port_in(const uint16_t *list, size_t n, uint16_t port);
/* Fills the 65536-entry port_kind table from the options. */
void capture_port_table(const capture_opts *o, uint8_t *kind);
/* Hands one message over in the frame (dropped when the frame is full). */
void capture_add_msg(capture_walk *w, const ip_info *ip, span data, uint16_t sp, uint16_t dp,
                     bool tcp);
/* Hands one ESP packet over (data from the SPI; proto 17, 6 or 50) and
 * counts it; the first of the frame gets its line, the others go to
 * esp_more (dropped when that is full). */
void capture_add_esp(capture_walk *w, const ip_info *ip, span data, uint16_t sp, uint16_t dp,
                     uint8_t proto);

/* gzin.c: a stream inflating the gzip stream `in` (which it closes), or
 * NULL with errno set (ENOTSUP when built without zlib). */
FILE *gz_wrap(FILE *in);

/* pcapng.c: a reader for every section and interface of a pcapng file
 * (libpcap 1.10 refuses files whose interfaces differ in link type). */
typedef struct pcapng_reader pcapng_reader;
typedef struct {
    int linktype;
    int64_t ts_sec;
    int32_t ts_nsec;
    uint32_t orig_len;   /* the frame's length on the wire */
    uint8_t ts_digits;   /* the timestamps' decimal digits (6: microseconds) */
    span data;
} capture_rec;
pcapng_reader *pcapng_open(FILE *fp);
/* 1 with a record, 0 at the end, -1 with a reason in err. */
int pcapng_next(pcapng_reader *r, capture_rec *rec, char *err, size_t errlen);
void pcapng_close(pcapng_reader *r);
/* Packet blocks too large to keep (over CAPTURE_MAX_MSG and a little),
 * dropped unread. */
uint64_t pcapng_skipped(const pcapng_reader *r);

/* bpf.c: -f on file frames, one program per link type (NULL: no filter). */
typedef struct capture_bpf capture_bpf;
capture_bpf *bpf_new(const char *expr);
void bpf_free(capture_bpf *b);
/* 1: the frame passes, 0: it does not, -1: the filter does not compile for
 * this link type (reason in err). */
int bpf_match(capture_bpf *b, int linktype, uint32_t orig_len, span data, char *err,
              size_t errlen);

/* parts.c: which frames built a message (-w).  A TCP direction's segments
 * still in its window; the frames of a datagram being reassembled. */
typedef struct tcp_segs tcp_segs;
void tcp_segs_add(tcp_segs **t, uint32_t frame, uint32_t seq, size_t len);
/* The frames (other than `cur`) of the segments overlapping [seq, seq + len). */
void tcp_segs_parts(const tcp_segs *t, uint32_t seq, size_t len, uint32_t cur,
                    capture_parts *out);
void tcp_segs_free(tcp_segs *t);
/* The current message (the last one added) was built from these frames. */
void capture_msg_parts(capture_walk *w, const capture_parts *p);
/* The same for a UDP message: the fragments of the datagram it came in, if any. */
void capture_msg_parts_ip(capture_walk *w) __attribute__((noinline));

/* The loop over the frames of a file or an interface (capture.c), for live.c. */
typedef struct capture_loop capture_loop;
capture_loop *capture_loop_new(const capture_opts *o, capture_stats *st, capture_fn fn,
                               void *user);
/* Walks one frame; false when the loop is to stop (-c reached, or a filter
 * error in err). */
bool capture_loop_frame(capture_loop *l, int linktype, int64_t sec, int32_t nsec,
                        uint32_t orig_len, span data);
/* Frees the loop; returns -1 with its error in err when it stopped on one. */
int capture_loop_free(capture_loop *l, char *err, size_t errlen);

#endif
