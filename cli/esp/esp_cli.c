/* ESP in isakmpdump (esp_cli.h). */
#include <string.h>

#include "esp/esp_cli.h"

#define LINKTYPE_RAW 101

void esp_run_init(esp_run *e, isakmp_ctx *ctx, writer *w)
{
    memset(e, 0, sizeof *e);
    e->ctx = ctx;
    e->w = w;
    e->first_buf = g_byte_array_new();
    e->buf = g_byte_array_new();
    e->ip = g_byte_array_new();
}

void esp_run_clear(esp_run *e)
{
    if (!e->first_buf)
        return;
    g_byte_array_free(e->first_buf, TRUE);
    g_byte_array_free(e->buf, TRUE);
    g_byte_array_free(e->ip, TRUE);
    e->first_buf = e->buf = e->ip = NULL;
}

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static bool has_ports(uint8_t proto) { return proto == 6 || proto == 17 || proto == 132; }

bool esp_inner_parse(const isakmp_esp_result *r, const isakmp_packet *outer, esp_inner *out)
{
    memset(out, 0, sizeof *out);
    if (r->verdict != ISAKMP_ESP_OK || !r->inner)
        return false;
    const uint8_t *p = r->inner, *l4;
    size_t n = r->inner_len, l4len;
    if (!r->tunnel) {   /* transport: the outer addresses, the next header's protocol */
        out->af = outer->af;
        memcpy(out->src, outer->src, 16);
        memcpy(out->dst, outer->dst, 16);
        out->proto = r->next_header;
        out->len = n + (outer->af == 6 ? 40 : 20);
        l4 = p;
        l4len = n;
    } else if (r->next_header == 4 && n >= 20 && (p[0] >> 4) == 4) {
        size_t hl = (size_t)(p[0] & 15) * 4;
        if (hl < 20 || hl > n)
            return false;
        out->af = 4;
        memcpy(out->src, p + 12, 4);
        memcpy(out->dst, p + 16, 4);
        out->proto = p[9];
        out->len = be16(p + 2);
        l4 = p + hl;
        l4len = (be16(p + 6) & 0x1fff) ? 0 : n - hl;   /* a later fragment: no ports */
    } else if (r->next_header == 41 && n >= 40 && (p[0] >> 4) == 6) {
        out->af = 6;
        memcpy(out->src, p + 8, 16);
        memcpy(out->dst, p + 24, 16);
        out->proto = p[6];
        out->len = 40 + (size_t)be16(p + 4);
        l4 = p + 40;
        l4len = n - 40;
    } else {
        return false;
    }
    if (has_ports(out->proto) && l4len >= 4) {
        out->ports = true;
        out->sport = be16(l4);
        out->dport = be16(l4 + 2);
    }
    return true;
}

const char *esp_proto_name(uint8_t proto)
{
    switch (proto) {
    case 1: return "ICMP";
    case 2: return "IGMP";
    case 4: return "IPv4";
    case 6: return "TCP";
    case 17: return "UDP";
    case 41: return "IPv6";
    case 47: return "GRE";
    case 50: return "ESP";
    case 58: return "ICMPv6";
    case 59: return "none";
    case 132: return "SCTP";
    default: return NULL;
    }
}

/* RFC 791 header checksum. */
static uint16_t ip_checksum(const uint8_t *h, size_t n)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        sum += (uint32_t)(h[i] << 8 | h[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* Transport mode: an IP header from the outer addresses before the inner
 * transport data, so that the written packet is IP like a tunnel's. */
static const uint8_t *transport_packet(esp_run *e, const isakmp_esp_result *r,
                                       const isakmp_packet *outer, size_t *len)
{
    size_t hl = outer->af == 6 ? 40 : 20, n = hl + r->inner_len;
    if (outer->af == 4 && n > 65535)
        return NULL;
    g_byte_array_set_size(e->ip, (guint)n);
    uint8_t *h = e->ip->data;
    memset(h, 0, hl);
    if (outer->af == 6) {
        h[0] = 0x60;
        h[4] = (uint8_t)(r->inner_len >> 8);
        h[5] = (uint8_t)r->inner_len;
        h[6] = r->next_header;
        h[7] = 64;
        memcpy(h + 8, outer->src, 16);
        memcpy(h + 24, outer->dst, 16);
    } else {
        h[0] = 0x45;
        h[2] = (uint8_t)(n >> 8);
        h[3] = (uint8_t)n;
        h[8] = 64;
        h[9] = r->next_header;
        memcpy(h + 12, outer->src, 4);
        memcpy(h + 16, outer->dst, 4);
        uint16_t c = ip_checksum(h, 20);
        h[10] = (uint8_t)(c >> 8);
        h[11] = (uint8_t)c;
    }
    memcpy(h + hl, r->inner, r->inner_len);
    *len = n;
    return h;
}

/* --decrypt-esp: the inner packet, with the outer frame's time; in pcapng
 * a comment names the frame and the SA. */
static void write_inner(esp_run *e, const capture_frame *f, const isakmp_packet *outer,
                        const isakmp_esp_result *r)
{
    if (!e->w || r->verdict != ISAKMP_ESP_OK || r->dummy)
        return;
    size_t len = r->inner_len;
    const uint8_t *data = r->inner;
    if (!r->tunnel && !(data = transport_packet(e, r, outer, &len)))
        return;
    char comment[256] = "", a[64], b[64];
    if (writer_has_comments(e->w)) {   /* pcap has none: no formatting per packet */
        isakmp_esp_sa sa = { 0 };
        isakmp_ctx_esp_sa_get(e->ctx, r->sa, &sa);
        isakmp_format_addr(outer->af, outer->src, a, sizeof a);
        isakmp_format_addr(outer->af, outer->dst, b, sizeof b);
        snprintf(comment, sizeof comment, "frame %u: ESP SPI 0x%08x seq %llu %s -> %s, %s / %s%s",
                 f->frame, r->spi, (unsigned long long)r->seq64, a, b,
                 sa.encr_alg ? sa.encr_alg : "?", sa.integ_alg ? sa.integ_alg : "?",
                 r->tunnel ? "" : " (transport mode: IP header made)");
    }
    capture_raw raw = { .frame = f->frame, .linktype = LINKTYPE_RAW, .ts_sec = f->ts_sec,
                        .ts_nsec = f->ts_nsec, .orig_len = (uint32_t)len, .data = data,
                        .caplen = (uint32_t)len };
    writer_packet(e->w, &raw, comment);
}

static void count(esp_run *e, isakmp_esp_verdict v)
{
    switch (v) {
    case ISAKMP_ESP_OK: e->n.decrypted++; break;
    case ISAKMP_ESP_ICV_FAILED: e->n.icv_failed++; break;
    case ISAKMP_ESP_NO_KEY: e->n.no_key++; break;
    default: e->n.other++; break;
    }
}

static void one(esp_run *e, const capture_frame *f, const isakmp_packet *p, bool first)
{
    GByteArray *buf = first ? e->first_buf : e->buf;
    g_byte_array_set_size(buf, (guint)(p->len ? p->len : 1));
    isakmp_esp_result r;
    isakmp_ctx_esp_decrypt(e->ctx, p, buf->data, buf->len, &r);
    count(e, r.verdict);
    write_inner(e, f, p, &r);
    size_t i = e->nresults++;
    e->pkts[i] = p;
    e->results[i] = r;
    e->inner_ok[i] = esp_inner_parse(&r, p, &e->inners[i]);
    if (first) {
        e->first = r;
        e->have = true;
        e->have_inner = e->inner_ok[i];
        e->inner = e->inners[i];
    }
}

void esp_run_frame(esp_run *e, const capture_frame *f)
{
    e->have = e->have_inner = false;
    e->nresults = 0;
    if (!f->esp_udp)
        return;
    one(e, f, &f->esp_pkt, true);
    for (size_t i = 0; i < f->nesp_more; i++)
        one(e, f, &f->esp_more[i], false);
}

static void addr(char *buf, size_t n, int af, const uint8_t *a)
{
    isakmp_format_addr(af, a, buf, n);
}

void esp_describe(GString *s, const esp_run *e, size_t i)
{
    if (!e->have || i >= e->nresults)
        return;
    const isakmp_esp_result *r = &e->results[i];
    if (r->verdict == ISAKMP_ESP_ICV_FAILED) {
        g_string_append(s, " ICV=failed");
        return;
    }
    if (r->verdict != ISAKMP_ESP_OK && r->verdict != ISAKMP_ESP_BAD_TRAILER) {
        g_string_append_printf(s, " [%s]", isakmp_esp_verdict_name(r->verdict));
        return;
    }
    g_string_append(s, r->integrity ? " ICV=ok" : " ICV=none");
    if (r->verdict == ISAKMP_ESP_BAD_TRAILER) {
        g_string_append(s, " [bad trailer]");
        return;
    }
    if (r->replay)
        g_string_append(s, " [replay]");
    if (r->old)
        g_string_append(s, " [out of window]");
    if (r->dummy) {
        g_string_append(s, " dummy");
        return;
    }
    if (!e->inner_ok[i]) {
        g_string_append_printf(s, " next header %u, %zu bytes", r->next_header, r->inner_len);
        return;
    }
    const esp_inner *in = &e->inners[i];
    char a[64], b[64];
    addr(a, sizeof a, in->af, in->src);
    addr(b, sizeof b, in->af, in->dst);
    const char *pn = esp_proto_name(in->proto);
    g_string_append_c(s, ' ');
    if (pn)
        g_string_append(s, pn);
    else
        g_string_append_printf(s, "proto %u", in->proto);
    if (in->ports && in->af == 6)
        g_string_append_printf(s, " [%s]:%u -> [%s]:%u", a, in->sport, b, in->dport);
    else if (in->ports)
        g_string_append_printf(s, " %s:%u -> %s:%u", a, in->sport, b, in->dport);
    else
        g_string_append_printf(s, " %s -> %s", a, b);
    g_string_append_printf(s, " len=%zu%s", in->len, r->tunnel ? "" : " (transport)");
}

void esp_describe_json(GString *s, const esp_run *e, size_t i)
{
    if (!e->have || i >= e->nresults)
        return;
    const isakmp_esp_result *r = &e->results[i];
    g_string_append_printf(s, ",\"verdict\":\"%s\"", isakmp_esp_verdict_name(r->verdict));
    if (r->verdict == ISAKMP_ESP_NO_KEY || r->verdict == ISAKMP_ESP_MALFORMED)
        return;
    g_string_append_printf(s, ",\"seq64\":%llu,\"esn\":%s,\"replay\":%s,\"out_of_window\":%s",
                           (unsigned long long)r->seq64, r->esn ? "true" : "false",
                           r->replay ? "true" : "false", r->old ? "true" : "false");
    if (r->verdict != ISAKMP_ESP_OK)
        return;
    g_string_append_printf(s, ",\"pad_len\":%u,\"next_header\":%u,\"mode\":\"%s\"", r->pad_len,
                           r->next_header, r->tunnel ? "tunnel" : "transport");
    if (!e->inner_ok[i])
        return;
    const esp_inner *in = &e->inners[i];
    char a[64], b[64];
    addr(a, sizeof a, in->af, in->src);
    addr(b, sizeof b, in->af, in->dst);
    g_string_append_printf(s, ",\"inner\":{\"ip_version\":%d,\"src\":\"%s\",\"dst\":\"%s\","
                              "\"protocol\":%u,\"length\":%zu",
                           in->af, a, b, in->proto, in->len);
    if (in->ports)
        g_string_append_printf(s, ",\"srcport\":%u,\"dstport\":%u", in->sport, in->dport);
    g_string_append_c(s, '}');
}
