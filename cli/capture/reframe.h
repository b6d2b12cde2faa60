/*
 * --mutate: a frame again around other IKE message bytes (reframe.c).
 */
#ifndef ISAKMPDUMP_REFRAME_H
#define ISAKMPDUMP_REFRAME_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The frame `frame` (caplen bytes, complete: the capture kept all of it)
 * carries, as the whole payload of one UDP datagram (after the RFC 3948
 * non-ESP marker on a NAT-T port), the IKE message at msg_off, msg_len
 * bytes.  Writes into out the same frame with `repl` in its place: link
 * and IP headers kept, the UDP length, the IPv4 total length and header
 * checksum or the IPv6 payload length, and the UDP checksum recomputed
 * (an IPv4 UDP checksum of 0, none, stays 0); bytes after the datagram
 * (Ethernet padding) are left out.  False, writing nothing, when the frame
 * is not of that form (an IP fragment, TCP, IPv6 extension headers, a
 * datagram that holds more than the message). */
bool reframe_udp(const uint8_t *frame, size_t caplen, size_t msg_off, size_t msg_len,
                 const uint8_t *repl, size_t repl_len, GByteArray *out);

#endif
