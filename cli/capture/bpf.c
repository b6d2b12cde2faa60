/*
 * -f: a libpcap capture filter applied to the frames of a file.  libpcap
 * compiles a filter for one link type; a pcapng file may mix several, so
 * each link type seen gets its program, compiled on first use.
 */
#include <glib.h>
#include <pcap/pcap.h>
#include <stdio.h>

#include "capture_int.h"

#define BPF_LINKTYPES 8
#define BPF_SNAPLEN 262144

struct capture_bpf {
    const char *expr;
    size_t n;
    struct {
        int linktype;
        bool ok;
        struct bpf_program prog;
    } prog[BPF_LINKTYPES];
};

/* libpcap's DLT_ value of a LINKTYPE_ number (they differ for raw IP only). */
static int dlt_of(int linktype) { return linktype == 101 ? DLT_RAW : linktype; }

static int compile(const char *expr, int linktype, struct bpf_program *prog, char *err,
                   size_t errlen)
{
    pcap_t *p = pcap_open_dead(dlt_of(linktype), BPF_SNAPLEN);
    if (!p) {
        snprintf(err, errlen, "-f: cannot compile for link type %d", linktype);
        return -1;
    }
    int rc = pcap_compile(p, prog, expr, 1, PCAP_NETMASK_UNKNOWN);
    if (rc < 0)
        snprintf(err, errlen, "-f '%s': %s", expr, pcap_geterr(p));
    pcap_close(p);
    return rc < 0 ? -1 : 0;
}

int capture_check_bpf(const char *expr, char *err, size_t errlen)
{
    struct bpf_program prog;
    if (compile(expr, 1, &prog, err, errlen) < 0)
        return -1;
    pcap_freecode(&prog);
    return 0;
}

capture_bpf *bpf_new(const char *expr)
{
    if (!expr)
        return NULL;
    capture_bpf *b = g_new0(capture_bpf, 1);
    b->expr = expr;
    return b;
}

void bpf_free(capture_bpf *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n; i++)
        if (b->prog[i].ok)
            pcap_freecode(&b->prog[i].prog);
    g_free(b);
}

int bpf_match(capture_bpf *b, int linktype, uint32_t orig_len, span data, char *err,
              size_t errlen)
{
    if (!b)
        return 1;
    size_t i = 0;
    while (i < b->n && b->prog[i].linktype != linktype)
        i++;
    if (i == b->n) {
        if (b->n == BPF_LINKTYPES) {
            snprintf(err, errlen, "-f: more than %d link types in one file", BPF_LINKTYPES);
            return -1;
        }
        b->prog[i].linktype = linktype;
        b->prog[i].ok = compile(b->expr, linktype, &b->prog[i].prog, err, errlen) == 0;
        b->n++;
        if (!b->prog[i].ok)
            return -1;
    }
    if (!b->prog[i].ok)
        return -1;   /* reported when it was compiled */
    struct pcap_pkthdr h = { .caplen = (bpf_u_int32)data.len,
                             .len = orig_len > data.len ? orig_len : (bpf_u_int32)data.len };
    return pcap_offline_filter(&b->prog[i].prog, &h, data.p) != 0;
}
