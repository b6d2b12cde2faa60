/* Text outputs: the one-line summary and the indented tree (-V). */
#include <arpa/inet.h>
#include <string.h>

#include "output.h"

void out_addr(char *buf, size_t size, int af, const uint8_t *addr)
{
    if (af == 4)
        inet_ntop(AF_INET, addr, buf, (socklen_t)size);
    else if (af == 6)
        inet_ntop(AF_INET6, addr, buf, (socklen_t)size);
    else
        snprintf(buf, size, "?");
}

/* Short payload names for the summary line (tcpdump-like). */
static void payload_list(FILE *out, const isakmp_item *it)
{
    for (const isakmp_item *c = isakmp_item_first_child(it); c; c = isakmp_item_next(c)) {
        if (strcmp(isakmp_item_field(c)->abbrev, "ike.typepayload") != 0) {
            if (isakmp_item_first_child(c))
                payload_list(out, c);   /* decrypted or reassembled content */
            continue;
        }
        const char *name = isakmp_item_value_name(c);
        fprintf(out, " %s", name ? name : "?");
        payload_list(out, c);
    }
}

void out_summary(FILE *out, const capture_frame *f, isakmp_msg *const *msgs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const isakmp_packet *p = isakmp_msg_packet(msgs[i]);
        char s[64], d[64];
        out_addr(s, sizeof s, p->af, p->src);
        out_addr(d, sizeof d, p->af, p->dst);
        fprintf(out, "%u %lld.%06d %s:%u -> %s:%u IKEv%d %s [", f->frame, (long long)f->ts_sec,
                f->ts_usec, s, p->sport, d, p->dport, isakmp_msg_version(msgs[i]),
                isakmp_msg_summary(msgs[i]));
        payload_list(out, isakmp_msg_root(msgs[i]));
        fprintf(out, " ]\n");
    }
}

static void print_item(FILE *out, const isakmp_item *it, int depth)
{
    const isakmp_field *f = isakmp_item_field(it);
    const char *label = isakmp_item_label(it);
    char val[4096];
    bool gen = isakmp_item_generated(it);
    fprintf(out, "%*s%s", depth * 4, "", gen ? "[" : "");
    if (label) {
        fputs(label, out);
    } else if (f->type == ISAKMP_FT_NONE) {
        fputs(f->name, out);
    } else {
        isakmp_item_format_display(it, val, sizeof val);
        fprintf(out, "%s: %s", f->name, val);
    }
    fprintf(out, "%s\n", gen ? "]" : "");
}

static void print_notes(FILE *out, isakmp_msg *m, const isakmp_item *it, int depth)
{
    size_t n;
    const isakmp_note *notes = isakmp_msg_notes(m, &n);
    for (size_t i = 0; i < n; i++)
        if (notes[i].item == it)
            fprintf(out, "%*s[%s/%s: %s]\n", depth * 4, "", isakmp_severity_name(notes[i].severity),
                    isakmp_note_code_name(notes[i].code), notes[i].text);
}

static void walk(FILE *out, isakmp_msg *m, const isakmp_item *it, int depth)
{
    print_item(out, it, depth);
    print_notes(out, m, it, depth + 1);
    for (const isakmp_item *c = isakmp_item_first_child(it); c; c = isakmp_item_next(c))
        walk(out, m, c, depth + 1);
}

void out_tree(FILE *out, const capture_frame *f, isakmp_msg *const *msgs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const isakmp_packet *p = isakmp_msg_packet(msgs[i]);
        char s[64], d[64];
        out_addr(s, sizeof s, p->af, p->src);
        out_addr(d, sizeof d, p->af, p->dst);
        fprintf(out, "Frame %u: %lld.%06d %s:%u -> %s:%u, %zu bytes\n", f->frame,
                (long long)f->ts_sec, f->ts_usec, s, p->sport, d, p->dport, p->len);
        walk(out, msgs[i], isakmp_msg_root(msgs[i]), 0);
        fputc('\n', out);
    }
}
