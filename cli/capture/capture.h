/*
 * Capture input: pcap / pcapng files down to the ISAKMP messages they carry
 * (link layer -> IPv4/IPv6 with fragment reassembly -> UDP 500/4500 or an
 * RFC 9329 TCP stream).  Streaming: memory depends only on the bounded
 * fragment and TCP tables, never on the size of the file.
 */
#ifndef ISAKMPDUMP_CAPTURE_H
#define ISAKMPDUMP_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "isakmp/isakmp.h"

#define CAPTURE_MAX_PORTS 16
#define CAPTURE_MAX_MSGS 64   /* messages handed over for one frame */
/* The largest message handed over: 16 MiB.  Only an IPv6 jumbogram
 * (RFC 2675) in pcapng carries more than 64 KiB in one datagram (TCP
 * frames and IP reassembly stop at 64 KiB); larger ones are counted in
 * capture_stats.too_big, not decoded. */
#define CAPTURE_MAX_MSG (16u << 20)

#define CAPTURE_MAX_PARTS 64  /* earlier frames remembered for one message (-w) */
#define CAPTURE_MAX_ESP 16    /* ESP packets after the first one of a frame (TCP records) */

typedef struct capture_frame capture_frame;
typedef struct capture_raw capture_raw;

/* Every frame that passed -f, after its walk and the capture_fn call (for -w). */
typedef void (*capture_raw_fn)(void *user, const capture_raw *r, const capture_frame *f);

typedef struct {
    uint16_t ports[CAPTURE_MAX_PORTS];       /* UDP/TCP ports carrying IKE */
    size_t nports;
    uint16_t natt_ports[CAPTURE_MAX_PORTS];  /* of those, the ones with the non-ESP marker */
    size_t nnatt;
    bool progress;                           /* progress bar on stderr for large files */
    const char *bpf;                         /* -f: a libpcap filter, applied to each frame */
    uint64_t max_frames;                     /* -c: stop after this many frames passed -f */
    bool parts;                              /* fill capture_frame.parts (live.c, writer.c) */
    capture_raw_fn raw;                      /* called for every frame passed -f, or NULL */
    void *raw_user;
} capture_opts;

/* Counters for one run (--stats). */
typedef struct {
    uint64_t frames, ike_frames, ike_msgs;
    uint64_t keepalives, esp;                 /* NAT-T keepalives, ESP packets (UDP and TCP) */
    uint64_t ip_fragments, reassembled, frag_dropped;
    uint64_t tcp_msgs, tcp_dropped;           /* messages from TCP, segments not used */
    uint64_t skipped_linktype;                /* frames of interfaces with unknown link types */
    uint64_t jumbograms;                      /* IPv6 jumbograms (RFC 2675) walked */
    uint64_t too_big;                         /* messages over CAPTURE_MAX_MSG, not decoded */
} capture_stats;

#define CAPTURE_MAX_VLAN 4

/* The frame's own facts, besides its messages (the frame.*, eth.* and
 * vlan.* fields of cli/output/frame_fields.c). */
typedef struct {
    uint32_t wire_len, cap_len;   /* on the wire, in the file */
    uint8_t ts_digits;            /* the file's time precision: 6 (microseconds), 9, ... */
    int64_t first_sec;            /* the file's first frame */
    int32_t first_nsec;
    int64_t prev_sec;             /* the frame before this one (this one for the first) */
    int32_t prev_nsec;
    bool eth;                     /* Ethernet link layer: the addresses below */
    uint8_t eth_src[6], eth_dst[6];
    uint8_t nvlan;                /* 802.1Q / 802.1ad tags, outer first */
    uint16_t vlan[CAPTURE_MAX_VLAN];
} capture_meta;

/* What one frame turned out to carry.  A fixed-size struct reused for every
 * frame: message data points into the frame, a reassembly buffer or a TCP
 * stream buffer, valid until the callback returns. */
/* The frames other than the current one whose bytes built a message: IP
 * fragments, TCP segments (n = 0: the current frame alone; at most
 * CAPTURE_MAX_PARTS are remembered, the earliest first). */
typedef struct {
    uint16_t n;
    uint32_t frame[CAPTURE_MAX_PARTS];
} capture_parts;

/* A frame as read: what -w writes. */
struct capture_raw {
    uint32_t frame;
    int linktype;
    int64_t ts_sec;
    int32_t ts_nsec;
    uint32_t orig_len;
    const uint8_t *data;
    uint32_t caplen;
};

struct capture_frame {
    uint32_t frame;
    int64_t ts_sec;
    int32_t ts_nsec;
    capture_meta meta;
    size_t nmsgs;
    bool keepalive;       /* a NAT-T keepalive (RFC 3948 2.3), from ka below */
    bool esp;             /* ESP in UDP or TCP (RFC 3948, RFC 9329) passed by as well */
    bool esp_udp;         /* an ESP packet with SPI and sequence number, in UDP, TCP or
                             IP protocol 50: esp_pkt, esp_* (the name is historical) */
    isakmp_packet ka;     /* addresses and ports of the keepalive (len 0) */
    bool held;            /* bytes of it wait in a reassembly (fragment, TCP data) */
    isakmp_packet esp_pkt;   /* the first ESP packet: addresses, ports (0 for protocol 50),
                                tcp, data from the SPI on (valid until the callback returns) */
    uint32_t esp_spi, esp_seq;
    uint8_t esp_proto;       /* its transport: 17 UDP (RFC 3948), 6 TCP (RFC 9329), 50 IP */
    size_t nesp_more;        /* further ESP packets of the frame (several TCP records) */
    isakmp_packet esp_more[CAPTURE_MAX_ESP];
    uint32_t esp_more_spi[CAPTURE_MAX_ESP], esp_more_seq[CAPTURE_MAX_ESP];
    isakmp_packet msgs[CAPTURE_MAX_MSGS];
    capture_parts parts[CAPTURE_MAX_MSGS];   /* with capture_opts.parts only */
};

/* Called for each frame that carries IKE messages (nmsgs > 0), a NAT-T
 * keepalive or ESP (esp_udp); other frames are only counted (the callbacks had nothing to do
 * for them, and most frames of a busy capture are such). */
typedef void (*capture_fn)(void *user, const capture_frame *f);

/* Defaults: ports 500 and 4500, 4500 with the non-ESP marker. */
void capture_opts_default(capture_opts *o);

/* Adds a port; natt: with the non-ESP marker.  -1 when the table is full. */
int capture_opts_add_port(capture_opts *o, uint16_t port, bool natt);

/* Reads `path` ("-" for standard input) to the end, calling fn per frame and
 * adding to *st.  Returns 0 when the whole file was read, -1 with a one-line
 * reason in err otherwise (frames read before the problem were delivered). */
int capture_file(const char *path, const capture_opts *o, capture_stats *st, capture_fn fn,
                 void *user, char *err, size_t errlen);

/* -f: checks the filter's syntax (for an Ethernet capture); -1 with a reason. */
int capture_check_bpf(const char *bpf, char *err, size_t errlen);

/* live.c: captures on `iface` (libpcap, immediate mode, promiscuous) until
 * max_frames, an error, or capture_live_stop (SIGINT and SIGTERM call it).
 * snaplen 0: 262144.  Same return as capture_file. */
int capture_live(const char *iface, int snaplen, const capture_opts *o, capture_stats *st,
                 capture_fn fn, void *user, char *err, size_t errlen);
void capture_live_stop(void);
/* -D: prints the interfaces libpcap can capture on (1. eth0 ...). */
int capture_list_interfaces(FILE *out, char *err, size_t errlen);

#endif
