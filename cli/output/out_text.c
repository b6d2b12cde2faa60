/* Text outputs: the one-line summary (default) and the indented tree (-V). */
#include <string.h>

#include "obuf.h"
#include "output.h"

static void endpoints(GString *s, const isakmp_packet *p)
{
    char a[64], b[64];
    bool v6 = p->af == 6;
    out_addr(a, sizeof a, p->af, p->src);
    out_addr(b, sizeof b, p->af, p->dst);
    if (v6)
        ob_c(s, '[');
    ob_puts(s, a);
    if (v6)
        ob_c(s, ']');
    ob_c(s, ':');
    ob_u64(s, p->sport);
    OB_LIT(s, " -> ");
    if (v6)
        ob_c(s, '[');
    ob_puts(s, b);
    if (v6)
        ob_c(s, ']');
    ob_c(s, ':');
    ob_u64(s, p->dport);
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
    ob_c(s, '.');
    if (nsec >= 0)
        ob_u64_0(s, (uint64_t)(nsec / div), digits);
    else
        g_string_append_printf(s, "%0*d", digits, nsec / div);
}

/* A duration from (s0, n0) to (s1, n1), as tshark's -t r. */
static void delta_time(GString *s, int64_t s1, int32_t n1, int64_t s0, int32_t n0, int digits)
{
    int64_t ns = (s1 - s0) * 1000000000 + (n1 - n0);
    if (ns < 0) {
        g_string_append_c(s, '-');
        ns = -ns;
    }
    ob_i64(s, ns / 1000000000);
    fraction(s, (int32_t)(ns % 1000000000), digits);
}

/* The time column in the -t format, with as many digits as the file's
 * precision (as tshark). */
static void frame_time(out_ctx *c, GString *s, const capture_frame *f)
{
    time_format tf = c->time;
    int digits = f->meta.ts_digits;
    if (tf == TF_EPOCH) {
        ob_i64(s, f->ts_sec);
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
    ob_u64_0(s, (unsigned)tm.tm_hour, 2);
    ob_c(s, ':');
    ob_u64_0(s, (unsigned)tm.tm_min, 2);
    ob_c(s, ':');
    ob_u64_0(s, (unsigned)tm.tm_sec, 2);
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
    ob_u64(s, f->frame);
    ob_c(s, ' ');
    frame_time(c, s, f);
    ob_c(s, ' ');
    endpoints(s, &f->ka);
    OB_LIT(s, " UDP NAT-keepalive\n");
}

/* " (2 notes)"; with -v " (2 notes: the first's text)", with -vv all of
 * them, separated by "; ". */
static void summary_notes(const out_ctx *c, GString *s, const isakmp_msg *m)
{
    size_t nn;
    const isakmp_note *notes = isakmp_msg_notes(m, &nn);
    if (!nn)
        return;
    OB_LIT(s, " (");
    ob_u64(s, nn);
    if (nn == 1)
        OB_LIT(s, " note");
    else
        OB_LIT(s, " notes");
    size_t show = c->verbose >= 2 ? nn : c->verbose ? 1 : 0;
    for (size_t i = 0; i < show; i++) {
        if (i)
            OB_LIT(s, "; ");
        else
            OB_LIT(s, ": ");
        ob_puts(s, notes[i].text);
    }
    ob_c(s, ')');
}

/* ESP: "... UDP ESP SPI=0xc1a2b3c4 seq=7" (tcpdump's ESP(spi=...,seq=...)),
 * "TCP ESP" in RFC 9329 TCP, "a -> b ESP" without ports for IP protocol 50;
 * with --esp the verdict and the inner packet after it.  One line per ESP
 * packet of the frame: a TCP segment may carry several records (RFC 9329 3),
 * i numbers them (0: f->esp_pkt, then f->esp_more). */
static void esp_line_one(out_ctx *c, const capture_frame *f, size_t i, bool tree)
{
    GString *s = c->buf;
    if (tree)
        OB_LIT(s, "Frame ");
    ob_u64(s, f->frame);
    if (tree)
        ob_c(s, ':');
    ob_c(s, ' ');
    frame_time(c, s, f);
    ob_c(s, ' ');
    if (f->esp_proto == 50) {
        char a[64];
        out_addr(a, sizeof a, f->esp_pkt.af, f->esp_pkt.src);
        ob_puts(s, a);
        OB_LIT(s, " -> ");
        out_addr(a, sizeof a, f->esp_pkt.af, f->esp_pkt.dst);
        ob_puts(s, a);
        OB_LIT(s, " ESP");
    } else {
        endpoints(s, &f->esp_pkt);
        if (f->esp_proto == 6)
            OB_LIT(s, " TCP ESP");
        else
            OB_LIT(s, " UDP ESP");
    }
    OB_LIT(s, " SPI=0x");
    ob_hex(s, i ? f->esp_more_spi[i - 1] : f->esp_spi, 8);
    OB_LIT(s, " seq=");
    ob_u64(s, i ? f->esp_more_seq[i - 1] : f->esp_seq);
    if (c->esp)
        esp_describe(s, c->esp, i);
    ob_c(s, '\n');
    if (tree)
        ob_c(s, '\n');
}

static void esp_line(out_ctx *c, const capture_frame *f, bool tree)
{
    for (size_t i = 0; i <= f->nesp_more; i++)
        esp_line_one(c, f, i, tree);
}

void out_summary_frame(out_ctx *c, const capture_frame *f, isakmp_msg *const *msgs, size_t n)
{
    if (f->keepalive)
        keepalive_line(c, f);
    if (f->esp_udp)
        esp_line(c, f, false);
    GString *s = c->buf;
    for (size_t i = 0; i < n; i++) {
        const isakmp_packet *p = isakmp_msg_packet(msgs[i]);
        int ver = isakmp_msg_version(msgs[i]);
        ob_u64(s, f->frame);
        ob_c(s, ' ');
        frame_time(c, s, f);
        ob_c(s, ' ');
        endpoints(s, p);
        if (p->tcp)
            OB_LIT(s, " TCP");
        else
            OB_LIT(s, " UDP");
        if (ver) {
            OB_LIT(s, " IKEv");
            ob_i64(s, ver);
            ob_c(s, ' ');
        } else {
            OB_LIT(s, " IKEv? ");
        }
        out_msg_headline(s, msgs[i]);
        out_msg_errors(s, msgs[i]);
        OB_LIT(s, " [");
        out_payload_list(s, msgs[i]);
        ob_c(s, ']');
        summary_notes(c, s, msgs[i]);
        ob_c(s, '\n');
    }
    shown(c, f);
}

void out_summary(out_ctx *c, const capture_frame *f, isakmp_msg *const *msgs, size_t n)
{
    g_string_truncate(c->buf, 0);
    out_summary_frame(c, f, msgs, n);
    fwrite(c->buf->str, 1, c->buf->len, c->out);
}

/* ---------------------------------------------------------------- tree */

static void indent(GString *s, int depth) { ob_fill(s, ' ', (size_t)depth * 4); }

/* "2.0" for the version octet 0x20. */
static void version_text(GString *s, uint64_t v)
{
    ob_u64(s, (v >> 4) & 15);
    ob_c(s, '.');
    ob_u64(s, v & 15);
}

/* "0x08 (Initiator, No higher version, Request)" (IKEv2, as tshark) or
 * "0x01 (Encryption)" (IKEv1: the flags set). */
static void flags_text(GString *s, uint64_t v, int version)
{
    OB_LIT(s, "0x");
    ob_hex(s, v, 2);
    if (version == 2) {
        ob_puts(s, v & 0x08 ? " (Initiator, " : " (Responder, ");
        ob_puts(s, v & 0x10 ? "Higher version, " : "No higher version, ");
        ob_puts(s, v & 0x20 ? "Response)" : "Request)");
        return;
    }
    static const char *const names[] = { "Encryption", "Commit", "Authentication" };
    const char *sep = " (";
    for (unsigned b = 0; b < 3; b++)
        if (v & (1u << b)) {
            ob_puts(s, sep);
            ob_puts(s, names[b]);
            sep = ", ";
        }
    if (*sep == ',')
        ob_c(s, ')');
}

/* The header's version and flags read as tshark shows them. */
static bool header_value(const out_ctx *c, GString *s, const isakmp_item *it, int version)
{
    const isakmp_field *f = isakmp_item_field(it);
    if (f == c->f_version)
        version_text(s, isakmp_item_uint(it));
    else if (f == c->f_flags && (version == 1 || version == 2))
        flags_text(s, isakmp_item_uint(it), version);
    else
        return false;
    return true;
}

/* The item's display value, formatted in place at the end of s. */
static void display_value(GString *s, const isakmp_item *it)
{
    enum { GUESS = 512 };
    size_t n = isakmp_item_format_display(it, ob_room(s, GUESS), GUESS + 1);
    if (n > GUESS)   /* long values (certificates): room for all of it */
        isakmp_item_format_display(it, ob_room(s, n), n + 1);
    ob_commit(s, n);
}

static void print_item(out_ctx *c, const isakmp_item *it, int depth, int version)
{
    const isakmp_field *f = isakmp_item_field(it);
    const char *label = isakmp_item_label(it);
    bool gen = isakmp_item_generated(it);
    GString *s = c->buf;
    indent(s, depth);
    if (gen)
        ob_c(s, '[');
    if (label) {
        ob_puts(s, label);
    } else if (f->type == ISAKMP_FT_NONE) {
        ob_puts(s, f->name);
    } else {
        ob_puts(s, f->name);
        OB_LIT(s, ": ");
        if (!header_value(c, s, it, version))
            display_value(s, it);
    }
    if (gen)
        OB_LIT(s, "]\n");
    else
        ob_c(s, '\n');
}

static void print_notes(out_ctx *c, const isakmp_item *it, int depth)
{
    GString *s = c->buf;
    size_t count, k = note_index_find(&c->notes, it, &count);
    for (size_t i = 0; i < count; i++) {
        const isakmp_note *n = note_index_get(&c->notes, k + i);
        indent(s, depth);
        OB_LIT(s, "[Note (");
        ob_puts(s, isakmp_severity_name(n->severity));
        ob_c(s, '/');
        ob_puts(s, isakmp_note_code_name(n->code));
        OB_LIT(s, "): ");
        ob_puts(s, n->text);
        OB_LIT(s, "]\n");
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
            indent(c->buf, depth + 1);
            ob_puts(c->buf, name ? name : "Data");
            OB_LIT(c->buf, " (");
            ob_u64(c->buf, len);
            OB_LIT(c->buf, " bytes):\n");
            shown = cs;
        }
        walk(c, m, ch, depth + 2);
    }
}

static void hexdump(GString *s, const isakmp_msg *m)
{
    for (size_t k = 0; k < isakmp_msg_source_count(m); k++) {
        size_t len;
        const uint8_t *d = isakmp_msg_source_data(m, k, &len);
        g_string_append_printf(s, "%s (%zu bytes):\n", isakmp_msg_source_name(m, k), len);
        for (size_t off = 0; off < len; off += 16) {
            g_string_append_printf(s, "%04zx ", off);
            for (size_t i = 0; i < 16; i++)
                if (off + i < len)
                    g_string_append_printf(s, " %02x", d[off + i]);
                else
                    OB_LIT(s, "   ");
            OB_LIT(s, "  ");
            for (size_t i = 0; i < 16 && off + i < len; i++)
                ob_c(s, d[off + i] >= 0x20 && d[off + i] < 0x7f ? (char)d[off + i] : '.');
            ob_c(s, '\n');
        }
    }
}

void out_tree_frame(out_ctx *c, const capture_frame *f, isakmp_msg *const *msgs, size_t n)
{
    GString *s = c->buf;
    if (f->keepalive) {
        OB_LIT(s, "Frame ");
        ob_u64(s, f->frame);
        OB_LIT(s, ": ");
        frame_time(c, s, f);
        ob_c(s, ' ');
        endpoints(s, &f->ka);
        OB_LIT(s, " UDP\nUDP NAT-keepalive (RFC 3948 2.3)\n\n");
    }
    if (f->esp_udp)
        esp_line(c, f, true);
    for (size_t i = 0; i < n; i++) {
        const isakmp_packet *p = isakmp_msg_packet(msgs[i]);
        OB_LIT(s, "Frame ");
        ob_u64(s, f->frame);
        OB_LIT(s, ": ");
        frame_time(c, s, f);
        ob_c(s, ' ');
        endpoints(s, p);
        if (p->tcp)
            OB_LIT(s, " TCP, ");
        else
            OB_LIT(s, " UDP, ");
        ob_u64(s, f->meta.wire_len);
        OB_LIT(s, " bytes\n");
        note_index_set(&c->notes, msgs[i]);
        walk(c, msgs[i], isakmp_msg_root(msgs[i]), 0);
        if (c->hex)
            hexdump(s, msgs[i]);
        ob_c(s, '\n');
    }
    shown(c, f);
}

void out_tree(out_ctx *c, const capture_frame *f, isakmp_msg *const *msgs, size_t n)
{
    g_string_truncate(c->buf, 0);
    out_tree_frame(c, f, msgs, n);
    fwrite(c->buf->str, 1, c->buf->len, c->out);
}
