/*
 * pcapng (draft-ietf-opsawg-pcapng): every section, every interface, each
 * with its own link type and time resolution.  libpcap 1.10 refuses files
 * whose interfaces differ in link type, so pcapng is read here; classic
 * pcap goes through libpcap (capture.c).
 *
 * Blocks are read whole into one buffer that grows to the largest block
 * seen, so reading does not allocate per packet.  The buffer is bounded by
 * BLOCK_KEEP (room for a packet holding a CAPTURE_MAX_MSG message): a
 * larger block is read through in pieces and dropped (counted: a packet
 * block is a message too big to decode); a block over BLOCK_MAX, or an
 * interface block over BLOCK_KEEP, makes the file malformed there.
 */
#include <glib.h>
#include <string.h>

#include "capture_int.h"

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 1u
#define BT_PB 2u    /* obsolete Packet Block */
#define BT_SPB 3u
#define BT_EPB 6u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du
#define BLOCK_MAX (1u << 30)   /* larger lengths are taken as damage */
#define BLOCK_KEEP (CAPTURE_MAX_MSG + (64u << 10))
#define IFACE_MAX 65536u

typedef struct {
    int linktype;
    bool dec;          /* resolution is 10^-res (else 2^-res) */
    unsigned res;
} iface;

struct pcapng_reader {
    FILE *fp;
    bool le;           /* the current section is little-endian */
    bool in_section;
    GArray *ifaces;    /* iface, per section */
    uint8_t *buf;
    size_t cap;
    uint64_t skipped;  /* packet blocks over BLOCK_KEEP, dropped unread */
};

pcapng_reader *pcapng_open(FILE *fp)
{
    pcapng_reader *r = g_new0(pcapng_reader, 1);
    r->fp = fp;
    r->ifaces = g_array_new(FALSE, TRUE, sizeof(iface));
    return r;
}

uint64_t pcapng_skipped(const pcapng_reader *r) { return r->skipped; }

void pcapng_close(pcapng_reader *r)
{
    if (!r)
        return;
    g_array_free(r->ifaces, TRUE);
    g_free(r->buf);
    g_free(r);
}

static uint32_t u32(const pcapng_reader *r, span s, size_t at)
{
    return r->le ? span_u32le(s, at) : span_u32(s, at);
}

static uint16_t u16(const pcapng_reader *r, span s, size_t at)
{
    return r->le ? span_u16le(s, at) : span_u16(s, at);
}

/* if_tsresol (option 9) from an IDB's options; microseconds otherwise. */
static void idb_options(const pcapng_reader *r, span opts, iface *ifc)
{
    ifc->dec = true;
    ifc->res = 6;
    for (int i = 0; i < 256 && span_has(opts, 4); i++) {
        uint16_t code = u16(r, opts, 0), len = u16(r, opts, 2);
        if (code == 0)
            break;
        if (code == 9 && len >= 1) {
            uint8_t v = span_u8(opts, 4);
            ifc->dec = !(v & 0x80);
            ifc->res = v & 0x7f;
        }
        opts = span_from(opts, 4 + (((size_t)len + 3) & ~(size_t)3));
    }
}

/* Splits a timestamp in interface units into seconds and nanoseconds. */
/* The decimal digits tshark shows for a resolution (its precisions are
 * seconds, 1/10, 1/100, milli-, micro- and nanoseconds). */
static uint8_t ts_digits(const iface *ifc)
{
    unsigned d = ifc->dec ? ifc->res : (ifc->res * 30103u + 99999u) / 100000u;   /* log10(2) */
    return (uint8_t)(d <= 3 ? d : d <= 6 ? 6 : 9);
}

static void split_ts(const iface *ifc, uint64_t ts, capture_rec *rec)
{
    rec->ts_digits = ts_digits(ifc);
    if (ifc->dec) {
        uint64_t unit = 1;
        for (unsigned i = 0; i < ifc->res && i < 19; i++)
            unit *= 10;
        rec->ts_sec = (int64_t)(ts / unit);
        uint64_t frac = ts % unit;
        rec->ts_nsec = (int32_t)(ifc->res <= 9 ? frac * (1000000000u / unit) : frac / (unit / 1000000000u));
    } else {
        unsigned res = ifc->res < 63 ? ifc->res : 63;
        uint64_t unit = (uint64_t)1 << res;
        rec->ts_sec = (int64_t)(ts / unit);
        rec->ts_nsec = (int32_t)((double)(ts % unit) * 1e9 / (double)unit);
    }
}

/* Reads n bytes of the file and drops them: false when the file ends first. */
static bool skip_bytes(pcapng_reader *r, size_t n)
{
    uint8_t piece[16384];
    while (n) {
        size_t k = n < sizeof piece ? n : sizeof piece;
        if (fread(piece, 1, k, r->fp) != k)
            return false;
        n -= k;
    }
    return true;
}

/* Reads one block's body (after type and length) into r->buf: 1; for a
 * block larger than BLOCK_KEEP, dropped unread, 2 for a packet block (body:
 * its 20 bytes of fixed fields only) and 3 for any other (body empty). */
static int read_block(pcapng_reader *r, uint32_t *type, span *body, char *err, size_t errlen)
{
    uint8_t hdr[8];
    size_t got = fread(hdr, 1, 8, r->fp);
    if (got == 0)
        return 0;
    if (got < 8) {
        snprintf(err, errlen, "truncated pcapng block header");
        return -1;
    }
    span h = span_of(hdr, 8);
    *type = span_u32le(h, 0);   /* the SHB type reads the same either way */
    if (*type == BT_SHB) {
        /* the byte-order magic that follows decides the section's endianness */
        uint8_t bom[4];
        if (fread(bom, 1, 4, r->fp) != 4) {
            snprintf(err, errlen, "truncated pcapng section header");
            return -1;
        }
        span b = span_of(bom, 4);
        if (span_u32le(b, 0) == BYTE_ORDER_MAGIC)
            r->le = true;
        else if (span_u32(b, 0) == BYTE_ORDER_MAGIC)
            r->le = false;
        else {
            snprintf(err, errlen, "bad pcapng byte-order magic");
            return -1;
        }
        uint32_t total = u32(r, h, 4);
        if (total < 28 || total % 4 || total > BLOCK_MAX) {
            snprintf(err, errlen, "bad pcapng section header length %u", total);
            return -1;
        }
        size_t n = total - 12;
        if (n > BLOCK_KEEP) {   /* its options are not read: the section starts all the same */
            if (!skip_bytes(r, n)) {
                snprintf(err, errlen, "truncated pcapng section header");
                return -1;
            }
            *body = span_of(NULL, 0);
            return 1;
        }
        if (n > r->cap) {
            r->buf = g_realloc(r->buf, n);
            r->cap = n;
        }
        if (fread(r->buf, 1, n, r->fp) != n) {
            snprintf(err, errlen, "truncated pcapng section header");
            return -1;
        }
        *body = span_of(r->buf, n - 4);
        return 1;
    }
    if (!r->in_section) {
        snprintf(err, errlen, "not a pcapng file (no section header)");
        return -1;
    }
    uint32_t total = u32(r, h, 4);
    if (total < 12 || total % 4 || total > BLOCK_MAX) {
        snprintf(err, errlen, "bad pcapng block length %u", total);
        return -1;
    }
    size_t n = total - 8;
    if (n > BLOCK_KEEP) {
        if (*type == BT_IDB) {
            snprintf(err, errlen, "pcapng interface block of %u bytes", total);
            return -1;
        }
        /* a packet block keeps its fixed fields (interface, time) and is
         * still a frame, without data: frame numbers stay tshark's */
        bool packet = *type == BT_EPB || *type == BT_PB || *type == BT_SPB;
        size_t head = packet ? 20 : 0;
        if (head > r->cap) {
            r->buf = g_realloc(r->buf, head);
            r->cap = head;
        }
        if (fread(r->buf, 1, head, r->fp) != head || !skip_bytes(r, n - head)) {
            snprintf(err, errlen, "truncated pcapng block (the file ends inside it)");
            return -1;
        }
        r->skipped += packet;
        *body = span_of(r->buf, head);
        return packet ? 2 : 3;
    }
    if (n > r->cap) {
        r->buf = g_realloc(r->buf, n);
        r->cap = n;
    }
    if (fread(r->buf, 1, n, r->fp) != n) {
        snprintf(err, errlen, "truncated pcapng block (the file ends inside it)");
        return -1;
    }
    *body = span_of(r->buf, n - 4);   /* without the trailing length */
    return 1;
}

static const iface *get_iface(const pcapng_reader *r, uint32_t id)
{
    return id < r->ifaces->len ? &g_array_index(r->ifaces, iface, id) : NULL;
}

int pcapng_next(pcapng_reader *r, capture_rec *rec, char *err, size_t errlen)
{
    for (;;) {
        uint32_t type;
        span b;
        int rc = read_block(r, &type, &b, err, errlen);
        if (rc <= 0)
            return rc;
        if (rc == 3)
            continue;   /* too large to keep, and nothing for us */
        switch (type) {
        case BT_SHB:
            r->in_section = true;
            g_array_set_size(r->ifaces, 0);
            break;
        case BT_IDB: {
            if (r->ifaces->len >= IFACE_MAX) {
                snprintf(err, errlen, "more than %u interfaces in a pcapng section", IFACE_MAX);
                return -1;
            }
            iface ifc = { .linktype = u16(r, b, 0) };
            idb_options(r, span_from(b, 8), &ifc);
            g_array_append_val(r->ifaces, ifc);
            break;
        }
        case BT_EPB:
        case BT_PB: {
            bool epb = type == BT_EPB;
            uint32_t id = epb ? u32(r, b, 0) : u16(r, b, 0);
            const iface *ifc = get_iface(r, id);
            if (!ifc) {
                snprintf(err, errlen, "packet for undeclared pcapng interface %u", id);
                return -1;
            }
            uint64_t ts = ((uint64_t)u32(r, b, 4) << 32) | u32(r, b, 8);
            uint32_t caplen = rc == 2 ? 0 : u32(r, b, 12);   /* 2: too large, data dropped */
            if (!span_has(b, 20) || caplen > b.len - 20) {
                snprintf(err, errlen, "pcapng packet block shorter than its captured length");
                return -1;
            }
            rec->linktype = ifc->linktype;
            split_ts(ifc, ts, rec);
            rec->data = span_sub(b, 20, caplen);
            rec->orig_len = u32(r, b, 16);   /* EPB and PB alike */
            return 1;
        }
        case BT_SPB: {
            const iface *ifc = get_iface(r, 0);
            if (!ifc) {
                snprintf(err, errlen, "simple packet block without an interface");
                return -1;
            }
            uint32_t orig = rc == 2 ? 0 : u32(r, b, 0);
            rec->linktype = ifc->linktype;
            rec->ts_sec = 0;
            rec->ts_nsec = 0;
            rec->ts_digits = ts_digits(ifc);
            rec->data = span_sub(b, 4, orig);
            rec->orig_len = orig;
            return 1;
        }
        default:
            break;   /* statistics, name resolution, custom blocks: nothing for us */
        }
    }
}
