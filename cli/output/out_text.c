/* Text outputs: the one-line summary (default) and the indented tree (-V). */
#include <string.h>

#include "output.h"

static void endpoints(GString *s, const isakmp_packet *p)
{
    char a[64], b[64];
    out_addr(a, sizeof a, p->af, p->src);
    out_addr(b, sizeof b, p->af, p->dst);
    if (p->af == 6)
        g_string_append_printf(s, "[%s]:%u -> [%s]:%u", a, p->sport, b, p->dport);
    else
        g_string_append_printf(s, "%s:%u -> %s:%u", a, p->sport, b, p->dport);
}

int out_time_format(const char *name)
{
    static const char *const names[] = { "e", "a", "ad", "adoy", "u", "ud", "udoy", "r", "d",
                                         "dd" };
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        if (strcmp(names[i], name) == 0)
            return (int)i;
    return -1;
}

/* ".947718": the fraction of a second in `digits` digits (none for 0),
 * cut, not rounded (as tshark). */
static void fraction(GString *s, int32_t nsec, int digits)
{
    if (digits <= 0)
        return;
    int div = 1;
    for (int i = digits; i < 9; i++)
        div *= 10;
    g_string_append_printf(s, ".%0*d", digits, nsec / div);
}

/* A duration from (s0, n0) to (s1, n1), as tshark's -t r. */
static void delta_time(GString *s, int64_t s1, int32_t n1, int64_t s0, int32_t n0, int digits)
{
    int64_t ns = (s1 - s0) * 1000000000 + (n1 - n0);
    if (ns < 0) {
        g_string_append_c(s, '-');
        ns = -ns;
    }
    g_string_append_printf(s, "%lld", (long long)(ns / 1000000000));
    fraction(s, (int32_t)(ns % 1000000000), digits);
}

/* The time column in the -t format, with as many digits as the file's
 * precision (as tshark). */
static void frame_time(out_ctx *c, GString *s, const capture_frame *f)
{
    time_format tf = c->time;
    int digits = f->meta.ts_digits;
    if (tf == TF_EPOCH) {
        g_string_append_printf(s, "%lld", (long long)f->ts_sec);
        fraction(s, f->ts_nsec, digits);
        return;
    }
    const capture_meta *m = &f->meta;
    if (tf == TF_RELATIVE || tf == TF_DELTA || tf == TF_DELTA_DISP) {
        int64_t s0 = tf == TF_RELATIVE ? m->first_sec : tf == TF_DELTA ? m->prev_sec : c->disp_sec;
        int32_t n0 = tf == TF_RELATIVE ? m->first_nsec : tf == TF_DELTA ? m->prev_nsec
                                                                              : c->disp_nsec;
        if (tf == TF_DELTA_DISP && !c->displayed)
            s0 = f->ts_sec, n0 = f->ts_nsec;
        delta_time(s, f->ts_sec, f->ts_nsec, s0, n0, digits);
        return;
    }
    time_t t = (time_t)f->ts_sec;
    struct tm tm;
    bool utc = tf == TF_UTC || tf == TF_UTC_DATE || tf == TF_UTC_DOY;
    if (!(utc ? gmtime_r(&t, &tm) : localtime_r(&t, &tm))) {
        g_string_append(s, "?");
        return;
    }
    if (tf == TF_ABS_DATE || tf == TF_UTC_DATE)
        g_string_append_printf(s, "%04d-%02d-%02d ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    else if (tf == TF_ABS_DOY || tf == TF_UTC_DOY)
        g_string_append_printf(s, "%04d/%03d ", tm.tm_year + 1900, tm.tm_yday + 1);
    g_string_append_printf(s, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
    fraction(s, f->ts_nsec, digits);
}

/* The frame was shown: the reference of -t dd. */
static void shown(out_ctx *c, const capture_frame *f)
{
    c->displayed = true;
    c->disp_sec = f->ts_sec;
    c->disp_nsec = f->ts_nsec;
}

static void keepalive_line(out_ctx *c, const capture_frame *f)
{
    GString *s = c->buf;
    g_string_truncate(s, 0);
    g_string_append_printf(s, "%u ", f->frame);
    frame_time(c, s, f);
    g_string_append_c(s, ' ');
    endpoints(s, &f->ka);
    g_string_append(s, " UDP NAT-keepalive\n");
    fwrite(s->str, 1, s->len, c->out);
}

/* " (2 notes)"; with -v " (2 notes: the first's text)", with -vv all of
 * them, separated by "; ". */
static void summary_notes(const out_ctx *c, GString *s, const isakmp_msg *m)
{
    size_t nn;
    const isakmp_note *notes = isakmp_msg_notes(m, &nn);
    if (!nn)
        return;
    g_string_append_printf(s, " (%zu note%s", nn, nn == 1 ? "" : "s");
    size_t show = c->verbose >= 2 ? nn : c->verbose ? 1 : 0;
    for (size_t i = 0; i < show; i++)
        g_string_append_printf(s, "%s%s", i ? "; " : ": ", notes[i].text);
    g_string_append_c(s, ')');
}

/* ESP: "... UDP ESP SPI=0xc1a2b3c4 seq=7" (tcpdump's ESP(spi=...,seq=...)),
 * "TCP ESP" in RFC 9329 TCP, "a -> b ESP" without ports for IP protocol 50;
 * with --esp the verdict and the inner packet after it. */
static void esp_line(out_ctx *c, const capture_frame *f, const char *prefix, const char *end)
{
    GString *s = c->buf;
    g_string_truncate(s, 0);
    g_string_append_printf(s, "%s%u%s ", prefix, f->frame, *prefix ? ":" : "");
    frame_time(c, s, f);
    g_string_append_c(s, ' ');
    if (f->esp_proto == 50) {
        char a[64], b[64];
        out_addr(a, sizeof a, f->esp_pkt.af, f->esp_pkt.src);
        out_addr(b, sizeof b, f->esp_pkt.af, f->esp_pkt.dst);
        g_string_append_printf(s, "%s -> %s ESP", a, b);
    } else {
        endpoints(s, &f->esp_pkt);
        g_string_append(s, f->esp_proto == 6 ? " TCP ESP" : " UDP ESP");
    }
    g_string_append_printf(s, " SPI=0x%08x seq=%u", f->esp_spi, f->esp_seq);
    if (c->esp)
        esp_describe(s, c->esp);
    g_string_append_printf(s, "\n%s", end);
    fwrite(s->str, 1, s->len, c->out);
}

void out_summary(out_ctx *c, const capture_frame *f, isakmp_msg *const *msgs, size_t n)
{
    if (f->keepalive)
        keepalive_line(c, f);
    if (f->esp_udp)
        esp_line(c, f, "", "");
    GString *s = c->buf;
    for (size_t i = 0; i < n; i++) {
        const isakmp_packet *p = isakmp_msg_packet(msgs[i]);
        int ver = isakmp_msg_version(msgs[i]);
        g_string_truncate(s, 0);
        g_string_append_printf(s, "%u ", f->frame);
        frame_time(c, s, f);
        g_string_append_c(s, ' ');
        endpoints(s, p);
        g_string_append(s, p->tcp ? " TCP" : " UDP");
        if (ver)
            g_string_append_printf(s, " IKEv%d ", ver);
        else
            g_string_append(s, " IKEv? ");
        out_msg_headline(s, msgs[i]);
        out_msg_errors(s, msgs[i]);
        g_string_append(s, " [");
        out_payload_list(s, msgs[i]);
        g_string_append(s, "]");
        summary_notes(c, s, msgs[i]);
        g_string_append_c(s, '\n');
        fwrite(s->str, 1, s->len, c->out);
    }
    shown(c, f);
}

/* ---------------------------------------------------------------- tree */

static void indent(FILE *out, int depth) { fprintf(out, "%*s", depth * 4, ""); }

/* "2.0" for the version octet 0x20. */
static void version_text(char *buf, size_t size, uint64_t v)
{
    snprintf(buf, size, "%u.%u", (unsigned)(v >> 4) & 15, (unsigned)v & 15);
}

/* "0x08 (Initiator, No higher version, Request)" (IKEv2, as tshark) or
 * "0x01 (Encryption)" (IKEv1: the flags set). */
static void flags_text(char *buf, size_t size, uint64_t v, int version)
{
    int n = snprintf(buf, size, "0x%02x", (unsigned)v);
    if (version == 2) {
        snprintf(buf + n, size - (size_t)n, " (%s, %s, %s)", v & 0x08 ? "Initiator" : "Responder",
                 v & 0x10 ? "Higher version" : "No higher version",
                 v & 0x20 ? "Response" : "Request");
        return;
    }
    static const char *const names[] = { "Encryption", "Commit", "Authentication" };
    const char *sep = " (";
    for (unsigned b = 0; b < 3; b++)
        if (v & (1u << b)) {
            n += snprintf(buf + n, size - (size_t)n, "%s%s", sep, names[b]);
            sep = ", ";
        }
    if (*sep == ',')
        snprintf(buf + n, size - (size_t)n, ")");
}

/* The header's version and flags read as tshark shows them. */
static bool header_value(const isakmp_item *it, int version, char *buf, size_t size)
{
    const char *abbrev = isakmp_item_field(it)->abbrev;
    if (strcmp(abbrev, "ike.version") == 0)
        version_text(buf, size, isakmp_item_uint(it));
    else if (strcmp(abbrev, "ike.flags") == 0 && (version == 1 || version == 2))
        flags_text(buf, size, isakmp_item_uint(it), version);
    else
        return false;
    return true;
}

static void print_item(out_ctx *c, const isakmp_item *it, int depth, int version)
{
    const isakmp_field *f = isakmp_item_field(it);
    const char *label = isakmp_item_label(it);
    bool gen = isakmp_item_generated(it);
    FILE *out = c->out;
    indent(out, depth);
    if (gen)
        fputc('[', out);
    if (label) {
        fputs(label, out);
    } else if (f->type == ISAKMP_FT_NONE) {
        fputs(f->name, out);
    } else {
        char val[512];
        if (header_value(it, version, val, sizeof val)) {
            fprintf(out, "%s: %s", f->name, val);
            fputs(gen ? "]\n" : "\n", out);
            return;
        }
        size_t n = isakmp_item_format_display(it, val, sizeof val);
        if (n >= sizeof val) {   /* long values (certificates): format into the line buffer */
            g_string_set_size(c->buf, n + 1);
            isakmp_item_format_display(it, c->buf->str, n + 1);
            fprintf(out, "%s: %s", f->name, c->buf->str);
        } else {
            fprintf(out, "%s: %s", f->name, val);
        }
    }
    fputs(gen ? "]\n" : "\n", out);
}

static void print_notes(out_ctx *c, const isakmp_item *it, int depth)
{
    size_t count, k = note_index_find(&c->notes, it, &count);
    for (size_t i = 0; i < count; i++) {
        const isakmp_note *n = note_index_get(&c->notes, k + i);
        indent(c->out, depth);
        fprintf(c->out, "[Note (%s/%s): %s]\n", isakmp_severity_name(n->severity),
                isakmp_note_code_name(n->code), n->text);
    }
}

static void walk(out_ctx *c, const isakmp_msg *m, const isakmp_item *it, int depth)
{
    print_item(c, it, depth, isakmp_msg_version(m));
    print_notes(c, it, depth + 1);
    size_t src = isakmp_item_source(it), shown = src;
    for (const isakmp_item *ch = isakmp_item_first_child(it); ch; ch = isakmp_item_next(ch)) {
        size_t cs = isakmp_item_source(ch);
        if (cs == src) {
            walk(c, m, ch, depth + 1);
            shown = src;
            continue;
        }
        /* items of another data source (decrypted, reassembled) are nested
         * under a line naming that source */
        if (cs != shown) {
            size_t len;
            isakmp_msg_source_data(m, cs, &len);
            const char *name = isakmp_msg_source_name(m, cs);
            indent(c->out, depth + 1);
            fprintf(c->out, "%s (%zu bytes):\n", name ? name : "Data", len);
            shown = cs;
        }
        walk(c, m, ch, depth + 2);
    }
}

static void hexdump(FILE *out, const isakmp_msg *m)
{
    for (size_t s = 0; s < isakmp_msg_source_count(m); s++) {
        size_t len;
        const uint8_t *d = isakmp_msg_source_data(m, s, &len);
        fprintf(out, "%s (%zu bytes):\n", isakmp_msg_source_name(m, s), len);
        for (size_t off = 0; off < len; off += 16) {
            fprintf(out, "%04zx ", off);
            for (size_t i = 0; i < 16; i++)
                if (off + i < len)
                    fprintf(out, " %02x", d[off + i]);
                else
                    fputs("   ", out);
            fputs("  ", out);
            for (size_t i = 0; i < 16 && off + i < len; i++)
                fputc(d[off + i] >= 0x20 && d[off + i] < 0x7f ? d[off + i] : '.', out);
            fputc('\n', out);
        }
    }
}

void out_tree(out_ctx *c, const capture_frame *f, isakmp_msg *const *msgs, size_t n)
{
    GString *s = c->buf;
    if (f->keepalive) {
        g_string_truncate(s, 0);
        g_string_append_printf(s, "Frame %u: ", f->frame);
        frame_time(c, s, f);
        g_string_append_c(s, ' ');
        endpoints(s, &f->ka);
        g_string_append(s, " UDP\nUDP NAT-keepalive (RFC 3948 2.3)\n\n");
        fwrite(s->str, 1, s->len, c->out);
    }
    if (f->esp_udp)
        esp_line(c, f, "Frame ", "\n");
    for (size_t i = 0; i < n; i++) {
        const isakmp_packet *p = isakmp_msg_packet(msgs[i]);
        g_string_truncate(s, 0);
        g_string_append_printf(s, "Frame %u: ", f->frame);
        frame_time(c, s, f);
        g_string_append_c(s, ' ');
        endpoints(s, p);
        g_string_append_printf(s, " %s, %u bytes\n", p->tcp ? "TCP" : "UDP", f->meta.wire_len);
        fwrite(s->str, 1, s->len, c->out);
        note_index_set(&c->notes, msgs[i]);
        walk(c, msgs[i], isakmp_msg_root(msgs[i]), 0);
        if (c->hex)
            hexdump(c->out, msgs[i]);
        fputc('\n', c->out);
    }
    shown(c, f);
}
