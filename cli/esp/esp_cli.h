/*
 * ESP in isakmpdump: every ESP packet of a frame decrypted with the file's
 * context (isakmp_ctx_esp_decrypt), counted for --stats, its inner packet
 * written for --decrypt-esp -w (raw IP, link type 101; in transport mode an
 * IP header made from the outer addresses is put in front), and the words
 * that --esp adds to the frame's line (verdict, inner addresses, protocol,
 * ports, length).  Knows the capture's frame record and the public API only.
 */
#ifndef ISAKMPDUMP_ESP_CLI_H
#define ISAKMPDUMP_ESP_CLI_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "capture/capture.h"
#include "capture/writer.h"
#include "isakmp/isakmp.h"

/* --stats counts. */
typedef struct {
    uint64_t decrypted, icv_failed, no_key, other;
} esp_counts;

/* What the inner packet says, for the line and the fields. */
typedef struct {
    int af;                    /* 4 or 6 */
    uint8_t src[16], dst[16];
    uint8_t proto;             /* IP protocol of the inner payload */
    bool ports;                /* TCP / UDP / SCTP: sport and dport hold them */
    uint16_t sport, dport;
    size_t len;                /* the inner IP packet's length */
} esp_inner;

typedef struct {
    isakmp_ctx *ctx;
    writer *w;                 /* --decrypt-esp -w, or NULL */
    esp_counts n;
    GByteArray *first_buf, *buf, *ip;   /* plaintexts; an IP packet being written */
    /* the frame's first ESP packet (its line): valid until the next frame */
    bool have;
    isakmp_esp_result first;
    bool have_inner;
    esp_inner inner;
    /* every ESP packet of the frame (several RFC 9329 records in one TCP
     * segment), its result and what its inner packet says (the plaintext of
     * all but the first is not kept: results[i].inner is not valid for i > 0) */
    size_t nresults;
    const isakmp_packet *pkts[1 + CAPTURE_MAX_ESP];
    isakmp_esp_result results[1 + CAPTURE_MAX_ESP];
    bool inner_ok[1 + CAPTURE_MAX_ESP];
    esp_inner inners[1 + CAPTURE_MAX_ESP];
} esp_run;

void esp_run_init(esp_run *e, isakmp_ctx *ctx, writer *w);
void esp_run_clear(esp_run *e);

/* Decrypts the frame's ESP packets (f->esp_pkt, f->esp_more). */
void esp_run_frame(esp_run *e, const capture_frame *f);

/* Reads the inner packet of a decrypted ESP packet (outer: the ESP packet's
 * addresses, for transport mode).  False when it is no IP it understands. */
bool esp_inner_parse(const isakmp_esp_result *r, const isakmp_packet *outer, esp_inner *out);

/* The name of an IP protocol number ("ICMP", "TCP", ...) or NULL. */
const char *esp_proto_name(uint8_t proto);

/* --esp words after "SPI=0x... seq=N" of the frame's ESP packet i (0: the
 * first, then f->esp_more's): " ICV=ok ICMP 10.1.0.1 -> 10.2.0.1 len=84",
 * " ICV=failed", " [no key]", " ICV=none [bad trailer]" ...; nothing when
 * packet i was not decrypted. */
void esp_describe(GString *s, const esp_run *e, size_t i);

/* The same as JSON members (",\"verdict\":\"ok\",\"inner\":{...}"). */
void esp_describe_json(GString *s, const esp_run *e, size_t i);

#endif
