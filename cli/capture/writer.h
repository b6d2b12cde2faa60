/*
 * -w: writing frames to a capture file (pcap, nanosecond pcap or pcapng).
 *
 * Two ways to choose the frames:
 * - all (no display filter): every frame read that passed -f and -c;
 * - selected: only the frames writer_keep_frame is called for, each written
 *   with the earlier frames that built its messages (IP fragments, TCP
 *   segments: capture_frame.parts), as a display filter's decision wants.
 * The writer is the capture's raw hook (capture_opts.raw = writer_raw).
 */
#ifndef ISAKMPDUMP_WRITER_H
#define ISAKMPDUMP_WRITER_H

#include <stdbool.h>
#include <stddef.h>

#include "capture.h"

typedef enum { WRITER_PCAP, WRITER_NSECPCAP, WRITER_PCAPNG } writer_format;

typedef struct writer writer;

/* "pcap", "nsecpcap", "pcapng" -> the format; -1 for any other name. */
int writer_format_of(const char *name);

/* Opens path ("-": standard output) for writing; NULL with a reason. */
writer *writer_open(const char *path, writer_format fmt, bool selected, char *err,
                    size_t errlen);

/* Sets capture_opts so that the capture hands every frame to the writer. */
void writer_attach(writer *w, capture_opts *o);

/* Selected mode: write this frame (the one being handed to capture_fn) and
 * the earlier frames its messages were built from. */
void writer_keep_frame(writer *w, const capture_frame *f);

/* The capture_raw_fn. */
void writer_raw(void *w, const capture_raw *r, const capture_frame *f);

/* --mutate: other bytes for the IKE message at `at` (len bytes) of the
 * frame being read, to be written as a frame of their own just before it
 * (reframe.c: the same headers, UDP / IP lengths and checksums fixed);
 * repl is copied.  Frames that do not carry the message alone in one UDP
 * datagram get no variant (counted: writer_variant_counts). */
void writer_add_variant(writer *w, const uint8_t *at, size_t len, const uint8_t *repl,
                        size_t repl_len);
/* --mutate: the frame being read written with these bytes in place of its
 * message (an IKEv1 message encrypted again with the IV its place in the
 * written stream gives); as it is when that cannot be done. */
void writer_replace(writer *w, const uint8_t *at, size_t len, const uint8_t *repl,
                    size_t repl_len);
/* Variants written, and dropped because their frame was not of that form. */
void writer_variant_counts(const writer *w, uint64_t *written, uint64_t *dropped);

/* Writes one packet that was not read but made (--decrypt-esp: a decrypted
 * inner packet, link type 101 raw IP): in pcapng with `comment` (NULL or
 * "": none) as its opt_comment. */
void writer_packet(writer *w, const capture_raw *r, const char *comment);

/* True when the format keeps a comment per packet (pcapng). */
bool writer_has_comments(const writer *w);

/* The link type of the pcap header written when no packet was (default 1,
 * Ethernet, as tcpdump). */
void writer_set_empty_linktype(writer *w, int linktype);

/* A new input begins: its frame numbers start again (the held frames go). */
void writer_new_input(writer *w);

/* Flushes and closes; -1 with a reason when anything could not be written. */
int writer_close(writer *w, char *err, size_t errlen);

#endif
