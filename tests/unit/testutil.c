/* Helpers shared by the unit tests. */
#include "testutil.h"

#include <string.h>

uint8_t *tu_hex(const char *hex, size_t *len)
{
    size_t n = 0, cap = strlen(hex) / 2 + 1;
    uint8_t *out = g_malloc(cap);
    int hi = -1;
    for (const char *p = hex; *p; p++) {
        if (!g_ascii_isxdigit(*p))
            continue;
        int v = g_ascii_xdigit_value(*p);
        if (hi < 0) {
            hi = v;
        } else {
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    *len = n;
    return out;
}

isakmp_msg *tu_decode(isakmp_ctx *ctx, const uint8_t *bytes, size_t len)
{
    uint8_t *block = g_malloc(len ? len : 1);
    memcpy(block, bytes, len);
    isakmp_packet pkt = { .data = block, .len = len, .frame = 1, .af = 4,
                          .sport = 500, .dport = 500 };
    isakmp_msg *m = isakmp_decode(ctx, &pkt);
    g_free(block);
    return m;
}

isakmp_msg *tu_decode_hex(isakmp_ctx *ctx, const char *hex)
{
    size_t len;
    uint8_t *b = tu_hex(hex, &len);
    isakmp_msg *m = tu_decode(ctx, b, len);
    g_free(b);
    return m;
}

static void collect(const isakmp_item *it, const isakmp_field *f, GString *out, bool *first)
{
    for (const isakmp_item *c = isakmp_item_first_child(it); c; c = isakmp_item_next(c)) {
        if (isakmp_item_field(c) == f) {
            char buf[4096];
            isakmp_item_format_value(c, buf, sizeof buf);
            if (!*first)
                g_string_append_c(out, ',');
            g_string_append(out, buf);
            *first = false;
        }
        collect(c, f, out, first);
    }
}

char *tu_values(const isakmp_msg *m, const char *abbrev)
{
    const isakmp_field *f = isakmp_field_by_abbrev(abbrev);
    g_assert_nonnull(f);
    GString *s = g_string_new("");
    bool first = true;
    collect(isakmp_msg_root(m), f, s, &first);
    return g_string_free(s, FALSE);
}

static const isakmp_item *find_under(const isakmp_item *it, const isakmp_field *f)
{
    for (const isakmp_item *c = isakmp_item_first_child(it); c; c = isakmp_item_next(c)) {
        if (isakmp_item_field(c) == f)
            return c;
        const isakmp_item *r = find_under(c, f);
        if (r)
            return r;
    }
    return NULL;
}

const isakmp_item *tu_find(const isakmp_msg *m, const char *abbrev)
{
    const isakmp_field *f = isakmp_field_by_abbrev(abbrev);
    g_assert_nonnull(f);
    return find_under(isakmp_msg_root(m), f);
}

size_t tu_note_count(const isakmp_msg *m, isakmp_note_code code)
{
    size_t n, k = 0;
    const isakmp_note *notes = isakmp_msg_notes(m, &n);
    for (size_t i = 0; i < n; i++)
        k += notes[i].code == code;
    return k;
}

const char *tu_note_text(const isakmp_msg *m, isakmp_note_code code)
{
    size_t n;
    const isakmp_note *notes = isakmp_msg_notes(m, &n);
    for (size_t i = 0; i < n; i++)
        if (notes[i].code == code)
            return notes[i].text;
    return NULL;
}

void tu_put16(GByteArray *b, size_t at, size_t v)
{
    b->data[at] = (uint8_t)(v >> 8);
    b->data[at + 1] = (uint8_t)v;
}

void tu_put32(GByteArray *b, size_t at, size_t v)
{
    tu_put16(b, at, v >> 16);
    tu_put16(b, at + 2, v & 0xffff);
}

void tu_assert_values(const isakmp_msg *m, const char *abbrev, const char *want)
{
    char *got = tu_values(m, abbrev);
    g_assert_cmpstr(got, ==, want);
    g_free(got);
}

isakmp_msg *tu_decode_frame(isakmp_ctx *ctx, const GByteArray *b, uint32_t frame)
{
    isakmp_packet pkt = { .data = b->data, .len = b->len, .frame = frame, .af = 4,
                          .sport = 500, .dport = 500 };
    return isakmp_decode(ctx, &pkt);
}

void tu_v1_fix_len(GByteArray *b) { tu_put16(b, 26, b->len); }

void tu_v1_sa_payload(GByteArray *b)
{
    static const uint8_t sa[] = {
        0, 0, 0, 48, 0, 0, 0, 1, 0, 0, 0, 1,                 /* SA: DOI IPsec, situation */
        0, 0, 0, 36, 1, 1, 0, 1,                             /* Proposal: ISAKMP, 1 transform */
        0, 0, 0, 28, 1, 1, 0, 0,                             /* Transform: KEY_IKE */
        0x80, 0x01, 0x00, 0x07, 0x80, 0x02, 0x00, 0x02,      /* AES-CBC, SHA */
        0x80, 0x0e, 0x00, 0x80, 0x80, 0x03, 0x00, 0x01,      /* key length 128, PSK */
        0x80, 0x04, 0x00, 0x02, 0x80, 0x0b, 0x00, 0x01,      /* group 2, life type seconds */
    };
    g_byte_array_append(b, sa, sizeof sa);
}

void tu_v1_ke_payload(GByteArray *b, uint8_t fill)
{
    uint8_t h[4] = { 0, 0, 0, 68 };
    g_byte_array_append(b, h, 4);
    for (int i = 0; i < 64; i++)
        g_byte_array_append(b, &fill, 1);
}

isakmp_msg *tu_send(tu_run *r, const GByteArray *b, bool from_init)
{
    isakmp_packet pkt = { .data = b->data, .len = b->len, .frame = ++r->frame, .af = 4,
                          .sport = 500, .dport = 500 };
    pkt.src[0] = from_init ? 1 : 2;
    pkt.dst[0] = from_init ? 2 : 1;
    return isakmp_decode(r->ctx, &pkt);
}

void tu_check_prefixes(const char *const *hex, size_t n)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    for (size_t k = 0; k < n; k++) {
        size_t len;
        uint8_t *b = tu_hex(hex[k], &len);
        for (size_t i = 0; i < len; i++) {
            isakmp_msg *m = tu_decode(ctx, b, i);
            if (i >= 28)
                g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_TRUNCATED), >=, 1);
            isakmp_msg_free(m);
        }
        g_free(b);
    }
    isakmp_ctx_free(ctx);
}

char *tu_sample_path(const char *sample, const char *file)
{
    const char *env = g_getenv("ISAKMP_SAMPLES_DIR");
    if (env)
        return g_build_filename(env, sample, file, NULL);
    return g_build_filename(ISAKMP_SOURCE_DIR, "samples", sample, file, NULL);
}

static uint32_t le32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The ISAKMP message of one Ethernet frame, or false. */
static bool frame_message(const uint8_t *f, size_t cap, uint32_t num, tu_frame *out)
{
    if (cap < 42 || f[12] != 0x08 || f[13] != 0 || f[23] != 17)
        return false;
    size_t udp = 14 + (f[14] & 15u) * 4;
    if (udp + 8 > cap)
        return false;
    uint16_t sport = (uint16_t)(f[udp] << 8 | f[udp + 1]);
    uint16_t dport = (uint16_t)(f[udp + 2] << 8 | f[udp + 3]);
    size_t start = udp + 8;
    if (sport == 4500 || dport == 4500) {   /* RFC 3948 2.2: the non-ESP marker */
        if (start + 4 > cap || f[start] || f[start + 1] || f[start + 2] || f[start + 3])
            return false;
        start += 4;
    }
    if (start + 28 > cap)
        return false;
    out->data = g_byte_array_new();
    g_byte_array_append(out->data, f + start, (guint)(cap - start));
    out->pkt = (isakmp_packet){ .data = out->data->data, .len = out->data->len, .frame = num,
                                .af = 4, .sport = sport, .dport = dport };
    memcpy(out->pkt.src, f + 26, 4);
    memcpy(out->pkt.dst, f + 30, 4);
    return true;
}

GPtrArray *tu_sample_frames(const char *sample)
{
    char *path = tu_sample_path(sample, "capture.pcap");
    gchar *raw = NULL;
    gsize len = 0;
    bool ok = g_file_get_contents(path, &raw, &len, NULL);
    g_free(path);
    if (!ok)
        return NULL;
    const uint8_t *p = (const uint8_t *)raw;
    GPtrArray *out = g_ptr_array_new();
    uint32_t num = 0;
    for (size_t off = 24; off + 16 <= len;) {   /* little-endian pcap records */
        size_t cap = le32(p + off + 8);
        const uint8_t *f = p + off + 16;
        off += 16 + cap;
        num++;
        tu_frame fr;
        if (off <= len && frame_message(f, cap, num, &fr))
            g_ptr_array_add(out, g_memdup2(&fr, sizeof fr));
    }
    g_free(raw);
    return out;
}

void tu_frames_free(GPtrArray *frames)
{
    for (guint i = 0; frames && i < frames->len; i++) {
        tu_frame *f = frames->pdata[i];
        g_byte_array_unref(f->data);
        g_free(f);
    }
    if (frames)
        g_ptr_array_free(frames, TRUE);
}
