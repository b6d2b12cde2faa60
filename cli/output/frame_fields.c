/*
 * The capture's fields (frame_fields.h): one table, each field with its
 * tshark name, type, label and how to read it from the frame; the values
 * formatted as tshark -T fields prints them (checked against tshark 4.0
 * and 4.4 by tests/cli/check_frame_fields.py).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <glib.h>

#include "frame_fields.h"

/* ---------------------------------------------------------------- getters */

static size_t one_uint(ff_value *out, uint64_t u)
{
    out->type = FF_UINT;
    out->u = u;
    return 1;
}

static size_t one_time(ff_value *out, ff_type t, int64_t sec, int32_t nsec)
{
    out->type = t;
    out->sec = sec;
    out->nsec = nsec;
    return 1;
}

/* The duration from (s0, n0) to (s1, n1), both parts with its sign. */
static size_t one_delta(ff_value *out, int64_t s1, int32_t n1, int64_t s0, int32_t n0)
{
    int64_t ns = (s1 - s0) * 1000000000 + (n1 - n0);
    return one_time(out, FF_REL_TIME, ns / 1000000000, (int32_t)(ns % 1000000000));
}

static size_t one_addr(ff_value *out, ff_type t, const uint8_t *a, size_t len)
{
    out->type = t;
    memcpy(out->addr, a, len);
    return 1;
}

static size_t g_number(const ff_frame *fr, ff_value *out) { return one_uint(out, fr->number); }
static size_t g_time(const ff_frame *fr, ff_value *out)
{
    return one_time(out, FF_ABS_TIME, fr->ts_sec, fr->ts_nsec);
}
static size_t g_epoch(const ff_frame *fr, ff_value *out)
{
    return one_time(out, FF_EPOCH, fr->ts_sec, fr->ts_nsec);
}
static size_t g_relative(const ff_frame *fr, ff_value *out)
{
    return one_delta(out, fr->ts_sec, fr->ts_nsec, fr->meta->first_sec, fr->meta->first_nsec);
}
static size_t g_delta(const ff_frame *fr, ff_value *out)
{
    return one_delta(out, fr->ts_sec, fr->ts_nsec, fr->meta->prev_sec, fr->meta->prev_nsec);
}
static size_t g_delta_disp(const ff_frame *fr, ff_value *out)
{
    return one_delta(out, fr->ts_sec, fr->ts_nsec, fr->disp_sec, fr->disp_nsec);
}
static size_t g_len(const ff_frame *fr, ff_value *out) { return one_uint(out, fr->meta->wire_len); }
static size_t g_cap_len(const ff_frame *fr, ff_value *out)
{
    return one_uint(out, fr->meta->cap_len);
}
static size_t g_eth_src(const ff_frame *fr, ff_value *out)
{
    return fr->meta->eth ? one_addr(out, FF_ETHER, fr->meta->eth_src, 6) : 0;
}
static size_t g_eth_dst(const ff_frame *fr, ff_value *out)
{
    return fr->meta->eth ? one_addr(out, FF_ETHER, fr->meta->eth_dst, 6) : 0;
}
static size_t g_vlan(const ff_frame *fr, ff_value *out)
{
    const capture_meta *m = fr->meta;
    for (size_t i = 0; i < m->nvlan; i++)
        one_uint(&out[i], m->vlan[i]);
    return m->nvlan;
}

/* Addresses and ports of the packet, when it is of that family/transport. */
static size_t ip_get(const ff_frame *fr, ff_value *out, int af, bool src, bool dst)
{
    const isakmp_packet *p = fr->p;
    if (!p || p->af != af)
        return 0;
    ff_type t = af == 4 ? FF_IPV4 : FF_IPV6;
    size_t len = af == 4 ? 4 : 16, n = 0;
    if (src)
        n += one_addr(&out[n], t, p->src, len);
    if (dst)
        n += one_addr(&out[n], t, p->dst, len);
    return n;
}
static size_t g_ip_src(const ff_frame *fr, ff_value *out) { return ip_get(fr, out, 4, 1, 0); }
static size_t g_ip_dst(const ff_frame *fr, ff_value *out) { return ip_get(fr, out, 4, 0, 1); }
static size_t g_ip_addr(const ff_frame *fr, ff_value *out) { return ip_get(fr, out, 4, 1, 1); }
static size_t g_ip6_src(const ff_frame *fr, ff_value *out) { return ip_get(fr, out, 6, 1, 0); }
static size_t g_ip6_dst(const ff_frame *fr, ff_value *out) { return ip_get(fr, out, 6, 0, 1); }
static size_t g_ip6_addr(const ff_frame *fr, ff_value *out) { return ip_get(fr, out, 6, 1, 1); }

static size_t port_get(const ff_frame *fr, ff_value *out, bool tcp, bool src, bool dst)
{
    const isakmp_packet *p = fr->p;
    if (!p || p->tcp != tcp || (fr->esp && fr->esp->ip))
        return 0;
    size_t n = 0;
    if (src)
        n += one_uint(&out[n], p->sport);
    if (dst)
        n += one_uint(&out[n], p->dport);
    return n;
}
static size_t g_udp_src(const ff_frame *fr, ff_value *out) { return port_get(fr, out, 0, 1, 0); }
static size_t g_udp_dst(const ff_frame *fr, ff_value *out) { return port_get(fr, out, 0, 0, 1); }
static size_t g_udp_port(const ff_frame *fr, ff_value *out) { return port_get(fr, out, 0, 1, 1); }
static size_t g_tcp_src(const ff_frame *fr, ff_value *out) { return port_get(fr, out, 1, 1, 0); }
static size_t g_tcp_dst(const ff_frame *fr, ff_value *out) { return port_get(fr, out, 1, 0, 1); }
static size_t g_tcp_port(const ff_frame *fr, ff_value *out) { return port_get(fr, out, 1, 1, 1); }

static size_t g_file(const ff_frame *fr, ff_value *out)
{
    if (!fr->file)
        return 0;
    out->type = FF_STRING;
    out->str = fr->file;
    return 1;
}

/* ---------------------------------------------------------------- table */

#define UINT(a, n, p, ft, base, mask, d, g) { a, n, p, ft, base, mask, d, FF_UINT, g, false }

/* Names, labels, types and bases as tshark 4.4 -G fields lists them. */
static const frame_field table[] = {
    UINT("frame.number", "Frame Number", "frame", "FT_UINT32", "BASE_DEC", 0, "", g_number),
    { "frame.time", "Arrival Time", "frame", "FT_ABSOLUTE_TIME", "", 0,
      "Absolute time when this frame was captured, in local time", FF_ABS_TIME, g_time, false },
    { "frame.time_epoch", "Epoch Arrival Time", "frame", "FT_ABSOLUTE_TIME", "", 0,
      "Absolute time when this frame was captured, in Epoch time (also known as Unix time)",
      FF_EPOCH, g_epoch, false },
    { "frame.time_delta", "Time delta from previous captured frame", "frame", "FT_RELATIVE_TIME",
      "", 0, "", FF_REL_TIME, g_delta, false },
    { "frame.time_delta_displayed", "Time delta from previous displayed frame", "frame",
      "FT_RELATIVE_TIME", "", 0, "", FF_REL_TIME, g_delta_disp, true },
    { "frame.time_relative", "Time since reference or first frame", "frame", "FT_RELATIVE_TIME",
      "", 0, "Time relative to time reference or first frame", FF_REL_TIME, g_relative, false },
    UINT("frame.len", "Frame length on the wire", "frame", "FT_UINT32", "BASE_DEC", 0, "", g_len),
    UINT("frame.cap_len", "Frame length stored into the capture file", "frame", "FT_UINT32",
         "BASE_DEC", 0, "", g_cap_len),
    { "eth.src", "Source", "eth", "FT_ETHER", "", 0, "Source Hardware Address", FF_ETHER,
      g_eth_src, false },
    { "eth.dst", "Destination", "eth", "FT_ETHER", "", 0, "Destination Hardware Address",
      FF_ETHER, g_eth_dst, false },
    UINT("vlan.id", "ID", "vlan", "FT_UINT16", "BASE_DEC", 0xfff, "VLAN ID", g_vlan),
    { "ip.src", "Source Address", "ip", "FT_IPv4", "", 0, "", FF_IPV4, g_ip_src, false },
    { "ip.dst", "Destination Address", "ip", "FT_IPv4", "", 0, "", FF_IPV4, g_ip_dst, false },
    { "ip.addr", "Source or Destination Address", "ip", "FT_IPv4", "", 0, "", FF_IPV4, g_ip_addr,
      false },
    { "ipv6.src", "Source Address", "ipv6", "FT_IPv6", "", 0, "Source IPv6 Address", FF_IPV6,
      g_ip6_src, false },
    { "ipv6.dst", "Destination Address", "ipv6", "FT_IPv6", "", 0, "Destination IPv6 Address",
      FF_IPV6, g_ip6_dst, false },
    { "ipv6.addr", "Source or Destination Address", "ipv6", "FT_IPv6", "", 0, "", FF_IPV6,
      g_ip6_addr, false },
    UINT("udp.srcport", "Source Port", "udp", "FT_UINT16", "BASE_PT_UDP", 0, "", g_udp_src),
    UINT("udp.dstport", "Destination Port", "udp", "FT_UINT16", "BASE_PT_UDP", 0, "", g_udp_dst),
    UINT("udp.port", "Source or Destination Port", "udp", "FT_UINT16", "BASE_PT_UDP", 0, "",
         g_udp_port),
    UINT("tcp.srcport", "Source Port", "tcp", "FT_UINT16", "BASE_PT_TCP", 0, "", g_tcp_src),
    UINT("tcp.dstport", "Destination Port", "tcp", "FT_UINT16", "BASE_PT_TCP", 0, "", g_tcp_dst),
    UINT("tcp.port", "Source or Destination Port", "tcp", "FT_UINT16", "BASE_PT_TCP", 0, "",
         g_tcp_port),
    /* isakmpdump's own: the input file's name as given */
    { "file", "Input file", "file", "FT_STRING", "", 0, "The capture file read (isakmpdump)",
      FF_STRING, g_file, false },
};

const frame_field *frame_fields(size_t *n)
{
    *n = G_N_ELEMENTS(table);
    return table;
}

const frame_field *frame_field_by_name(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(table); i++)
        if (strcmp(table[i].abbrev, name) == 0)
            return &table[i];
    return esp_frame_field_by_name(name);
}

/* ---------------------------------------------------------------- formats */

/* frame.time: "Nov 28, 2026 06:26:46.947718000 UTC" in local time, the
 * day padded with a space; English month names whatever the locale. */
static size_t format_abs(const ff_value *v, char *buf, size_t size)
{
    static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    time_t t = (time_t)v->sec;
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return (size_t)snprintf(buf, size, "Not representable");
    return (size_t)snprintf(buf, size, "%s %2d, %d %02d:%02d:%02d.%09d %s", months[tm.tm_mon],
                            tm.tm_mday, tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
                            (int)v->nsec, tm.tm_zone ? tm.tm_zone : "");
}

static size_t format_rel(const ff_value *v, char *buf, size_t size)
{
    bool neg = v->sec < 0 || v->nsec < 0;
    long long s = v->sec < 0 ? -(long long)v->sec : (long long)v->sec;
    int ns = v->nsec < 0 ? -(int)v->nsec : (int)v->nsec;
    return (size_t)snprintf(buf, size, "%s%lld.%09d", neg ? "-" : "", s, ns);
}

size_t ff_value_format(const ff_value *v, char *buf, size_t size)
{
    switch (v->type) {
    case FF_UINT: return (size_t)snprintf(buf, size, "%llu", (unsigned long long)v->u);
    case FF_ABS_TIME: return format_abs(v, buf, size);
    case FF_EPOCH: return (size_t)snprintf(buf, size, "%lld.%09d", (long long)v->sec, (int)v->nsec);
    case FF_REL_TIME: return format_rel(v, buf, size);
    case FF_IPV4:
    case FF_IPV6: {
        char a[64];
        if (isakmp_format_addr(v->type == FF_IPV4 ? 4 : 6, v->addr, a, sizeof a) == 0)
            snprintf(a, sizeof a, "?");
        return (size_t)snprintf(buf, size, "%s", a);
    }
    case FF_ETHER:
        return (size_t)snprintf(buf, size, "%02x:%02x:%02x:%02x:%02x:%02x", v->addr[0],
                                v->addr[1], v->addr[2], v->addr[3], v->addr[4], v->addr[5]);
    case FF_STRING: return (size_t)snprintf(buf, size, "%s", v->str);
    case FF_HEX32: return (size_t)snprintf(buf, size, "0x%08llx", (unsigned long long)v->u);
    case FF_HEX8: return (size_t)snprintf(buf, size, "0x%02llx", (unsigned long long)v->u);
    case FF_BOOL: return (size_t)snprintf(buf, size, "%s", v->u ? "True" : "False");
    }
    return 0;
}

/* ---------------------------------------------------------------- names */

bool field_resolve(const char *name, field_ref *r)
{
    r->ike = NULL;
    r->frame = frame_field_by_name(name);
    if (r->frame)
        return true;
    r->ike = isakmp_field_by_abbrev(name);
    if (!r->ike && strncmp(name, "isakmp", 6) == 0 && (name[6] == 0 || name[6] == '.')) {
        char alt[256];   /* tshark's protocol name for ours */
        if (snprintf(alt, sizeof alt, "ike%s", name + 6) < (int)sizeof alt)
            r->ike = isakmp_field_by_abbrev(alt);
    }
    return r->ike != NULL;
}

/* Edit distance; names longer than 127 are not compared. */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 127 || lb > 127)
        return (size_t)-1;
    size_t row[128];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

typedef struct {
    size_t d;
    const char *rest;     /* an ike.* field without "ike." */
    const char *whole;    /* or a whole name */
} best_name;

static void consider(best_name *b, size_t d, const char *rest, const char *whole)
{
    if (d < b->d)
        *b = (best_name){ d, rest, whole };
}

const char *field_suggest(const char *name, char *buf, size_t size)
{
    /* ike.* names spelt with the prefix the user used: isakmp.X for isakmp.Y */
    bool tshark = strncmp(name, "isakmp.", 7) == 0;
    const char *prefix = tshark ? "isakmp." : "ike.";
    best_name b = { (size_t)-1, NULL, NULL };
    size_t n;
    const isakmp_field *t = isakmp_fields(&n);
    char cand[256];
    for (size_t i = 0; i < n; i++) {
        if (strncmp(t[i].abbrev, "ike.", 4) != 0)
            continue;
        const char *rest = t[i].abbrev + 4;
        snprintf(cand, sizeof cand, "%s%s", prefix, rest);
        consider(&b, distance(name, cand), rest, NULL);
        consider(&b, distance(name, rest), rest, NULL);   /* the prefix forgotten */
    }
    const frame_field *ff = frame_fields(&n);
    for (size_t i = 0; i < n; i++)
        consider(&b, distance(name, ff[i].abbrev), NULL, ff[i].abbrev);
    /* only close names: at most a third of the name changed */
    if (!b.rest && !b.whole)
        return NULL;
    if (b.d > strlen(name) / 3 + 1)
        return NULL;
    if (b.whole)
        snprintf(buf, size, "%s", b.whole);
    else
        snprintf(buf, size, "%s%s", prefix, b.rest);
    return buf;
}
