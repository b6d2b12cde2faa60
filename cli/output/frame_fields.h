/*
 * The fields that come from the capture, not from the decoder (frame.*,
 * eth.*, vlan.*, ip.*, ipv6.*, udp.*, tcp.*, file): one table of them, with
 * tshark's names, types and -T fields formats, for -e, -G fields and the
 * display filter (-Y).  And the name look-up over every field isakmpdump
 * knows: ike.*, its isakmp.* aliases (tshark's names) and these.
 */
#ifndef ISAKMPDUMP_FRAME_FIELDS_H
#define ISAKMPDUMP_FRAME_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../capture/capture.h"   /* relative: the unit test compiles this file too */
#include "isakmp/isakmp.h"

typedef enum {
    FF_UINT,       /* u */
    FF_ABS_TIME,   /* sec, nsec: a point in time (frame.time: local time) */
    FF_EPOCH,      /* sec, nsec: a point in time as seconds since 1970 */
    FF_REL_TIME,   /* sec, nsec: a duration (nsec has the sign of sec) */
    FF_IPV4,       /* addr[0..3] */
    FF_IPV6,       /* addr[0..15] */
    FF_ETHER,      /* addr[0..5] */
    FF_STRING,     /* str */
    FF_HEX32,      /* u as 0x%08x (BASE_HEX of a 32-bit field) */
    FF_HEX8,       /* u as 0x%02x */
    FF_BOOL,       /* u as True / False, as the ike.* booleans */
} ff_type;

/* One value (occurrence) of a field. */
typedef struct {
    ff_type type;
    uint64_t u;
    int64_t sec;
    int32_t nsec;
    uint8_t addr[16];
    const char *str;
} ff_value;

/* the most occurrences of one field in a frame: a VLAN tag each, an ESP
 * record each (RFC 9329: several in one TCP segment) */
#define FF_MAX_VALUES (1 + CAPTURE_MAX_ESP > CAPTURE_MAX_VLAN ? 1 + CAPTURE_MAX_ESP : CAPTURE_MAX_VLAN)

/* The ESP packets of a frame on its own line (the esp.* fields:
 * esp_fields.c, for -e, -G and -Y): the first, then nmore further records
 * of the same TCP segment. */
typedef struct ff_esp {
    uint32_t spi, seq;
    bool ip;                      /* IP protocol 50: no UDP / TCP (so no ports) */
    size_t nmore;
    const uint32_t *more_spi, *more_seq;   /* nmore each */
    /* decryptions of the first and then the further ones (1 + nmore), or
     * NULL when ESP was not decrypted */
    const isakmp_esp_result *dec;
} ff_esp;

/* What the fields read of one frame: a capture_frame's parts, so that the
 * sharded reader (its frames are not capture_frames) and the display
 * filter (one message of a frame at a time) give them too. */
typedef struct {
    uint32_t number;
    int64_t ts_sec;
    int32_t ts_nsec;
    const capture_meta *meta;  /* lengths, link addresses, the times before */
    const isakmp_packet *p;    /* addresses and ports: a message, a keepalive or NULL */
    const char *file;          /* the input's name; NULL: none */
    int64_t disp_sec;          /* the previous displayed frame (this one for the first) */
    int32_t disp_nsec;
    const struct ff_esp *esp; /* an ESP line: its header and decryption; NULL otherwise */
} ff_frame;

/* The fields of frame number at ts with addresses and ports from p (disp:
 * the frame itself; no file, no ESP line). */
static inline ff_frame ff_frame_at(uint32_t number, int64_t ts_sec, int32_t ts_nsec,
                                   const capture_meta *meta, const isakmp_packet *p)
{
    return (ff_frame){ .number = number, .ts_sec = ts_sec, .ts_nsec = ts_nsec, .meta = meta,
                       .p = p, .disp_sec = ts_sec, .disp_nsec = ts_nsec };
}

/* The ESP records of f (dec: their decryptions, 1 + f->nesp_more, or NULL). */
static inline ff_esp ff_esp_of(const capture_frame *f, const isakmp_esp_result *dec)
{
    return (ff_esp){ .spi = f->esp_spi, .seq = f->esp_seq, .ip = f->esp_proto == 50,
                     .nmore = f->nesp_more, .more_spi = f->esp_more_spi,
                     .more_seq = f->esp_more_seq, .dec = dec };
}

/* The fields of f with addresses and ports from p. */
static inline ff_frame ff_frame_of(const capture_frame *f, const isakmp_packet *p)
{
    return ff_frame_at(f->frame, f->ts_sec, f->ts_nsec, &f->meta, p);
}

typedef struct frame_field {
    const char *abbrev;       /* tshark's name: "frame.time_delta" */
    const char *name;         /* its label */
    const char *proto;        /* "frame", "ip", ... */
    const char *ftype;        /* tshark's type name (-G fields) */
    const char *base;         /* tshark's base name, or "" */
    uint32_t bitmask;
    const char *desc;
    ff_type type;
    /* Fills out[] (FF_MAX_VALUES at most); returns the count, 0 when absent. */
    size_t (*get)(const ff_frame *fr, ff_value *out);
    bool ordered;             /* needs the frames in order (the previous displayed one) */
} frame_field;

const frame_field *frame_fields(size_t *n);
/* esp_fields.c: the esp.* fields (frame_field_by_name finds them too; the
 * display filter reads the same table). */
const frame_field *esp_frame_fields(size_t *n);
const frame_field *esp_frame_field_by_name(const char *name);
/* The field of that exact name, or NULL. */
const frame_field *frame_field_by_name(const char *name);
/* The values of ff in the frame (at most FF_MAX_VALUES). */
static inline size_t frame_field_values(const frame_field *ff, const ff_frame *fr, ff_value *out)
{
    return ff->get(fr, out);
}
/* Formats one value as tshark -T fields prints it; returns the length it
 * needs (like snprintf). */
size_t ff_value_format(const ff_value *v, char *buf, size_t size);

/* Any field by name: an ike.* field (isakmp.X is read as ike.X, and the
 * bare protocol names "isakmp" and "ike" too) or a frame field.  False
 * when there is none of that name. */
typedef struct {
    const isakmp_field *ike;
    const frame_field *frame;
} field_ref;
bool field_resolve(const char *name, field_ref *r);

/* The known name closest to `name` by edit distance over the ike.* names,
 * their isakmp.* aliases and the frame fields (spelt as the user spells the
 * protocol: isakmp.X for isakmp.Y); NULL when none is close.  The name is
 * written into buf. */
const char *field_suggest(const char *name, char *buf, size_t size);

#endif
