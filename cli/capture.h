/*
 * Capture input: pcap / pcapng files through libpcap, down to the ISAKMP
 * messages they carry (link layer -> IPv4/IPv6 -> UDP 500/4500 or TCP).
 */
#ifndef ISAKMPDUMP_CAPTURE_H
#define ISAKMPDUMP_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isakmp/isakmp.h"

#define CAPTURE_MAX_PORTS 16
#define CAPTURE_MAX_MSGS 64   /* messages handed over for one frame */

typedef struct {
    uint16_t ports[CAPTURE_MAX_PORTS];   /* UDP/TCP ports carrying IKE */
    size_t nports;
    uint16_t natt_ports[CAPTURE_MAX_PORTS];  /* of those, the ones with the non-ESP marker */
    size_t nnatt;
} capture_opts;

/* What one frame turned out to carry. */
typedef struct {
    uint32_t frame;
    int64_t ts_sec;
    int32_t ts_usec;
    size_t nmsgs;
    isakmp_packet msgs[CAPTURE_MAX_MSGS];
    bool keepalive;       /* a NAT-T keepalive (RFC 3948 2.3) */
    bool esp;             /* ESP in UDP (RFC 3948), passed by */
} capture_frame;

/* Called for every frame; frames carrying nothing of interest have nmsgs 0. */
typedef void (*capture_fn)(void *user, const capture_frame *f);

/* Defaults: ports 500 and 4500, 4500 with the non-ESP marker. */
void capture_opts_default(capture_opts *o);

/* Reads `path` ("-" for standard input) to the end, calling fn per frame.
 * Returns 0, or -1 with a one-line reason in err. */
int capture_file(const char *path, const capture_opts *o, capture_fn fn, void *user,
                 char *err, size_t errlen);

#endif
