/*
 * -i: live capture through libpcap, as tcpdump and tshark do it: immediate
 * mode (each packet handed over as it arrives), promiscuous, snaplen
 * 262144 unless -s says otherwise, the -f filter compiled by libpcap for
 * the interface and run in the kernel.  SIGINT / SIGTERM (Ctrl-C) end the
 * capture like the end of a file: what was decoded is printed, then --stats.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "capture_int.h"

#define LIVE_SNAPLEN 262144

static pcap_t *volatile live_handle;   /* what the signal handler breaks */
static volatile sig_atomic_t live_stopped;

void capture_live_stop(void)
{
    live_stopped = 1;
    pcap_t *p = live_handle;
    if (p)
        pcap_breakloop(p);   /* async-signal-safe: it sets a flag */
}

static void on_signal(int sig)
{
    (void)sig;
    capture_live_stop();
}

/* No SA_RESTART: the poll in pcap_loop returns with EINTR and sees the break. */
static void catch_signals(struct sigaction *old_int, struct sigaction *old_term)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, old_int);
    sigaction(SIGTERM, &sa, old_term);
}

typedef struct {
    capture_loop *loop;
    int lt;
    pcap_t *p;
} live_state;

static void live_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
    live_state *ls = (live_state *)user;
    if (!capture_loop_frame(ls->loop, ls->lt, h->ts.tv_sec, (int32_t)h->ts.tv_usec * 1000,
                            h->len, (span){ data, h->caplen }))
        pcap_breakloop(ls->p);
}

/* Opens and starts the capture; NULL with a reason. */
static pcap_t *open_live(const char *iface, int snaplen, const char *bpf, char *err,
                         size_t errlen)
{
    char perr[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p = pcap_create(iface, perr);
    if (!p) {
        snprintf(err, errlen, "%s: %s", iface, perr);
        return NULL;
    }
    pcap_set_snaplen(p, snaplen > 0 ? snaplen : LIVE_SNAPLEN);
    pcap_set_promisc(p, 1);
    pcap_set_immediate_mode(p, 1);
    int rc = pcap_activate(p);
    if (rc < 0) {
        snprintf(err, errlen, "%s: %s", iface,
                 rc == PCAP_ERROR ? pcap_geterr(p) : pcap_statustostr(rc));
        pcap_close(p);
        return NULL;
    }
    if (bpf) {
        struct bpf_program prog;
        if (pcap_compile(p, &prog, bpf, 1, PCAP_NETMASK_UNKNOWN) < 0 ||
            pcap_setfilter(p, &prog) < 0) {
            snprintf(err, errlen, "-f '%s': %s", bpf, pcap_geterr(p));
            pcap_close(p);
            return NULL;
        }
        pcap_freecode(&prog);
    }
    return p;
}

int capture_live(const char *iface, int snaplen, const capture_opts *o, capture_stats *st,
                 capture_fn fn, void *user, char *err, size_t errlen)
{
    pcap_t *p = open_live(iface, snaplen, o->bpf, err, errlen);
    if (!p)
        return -1;
    int dlt = pcap_datalink(p), lt = dlt == DLT_RAW ? 101 : dlt;
    if (!link_supported(lt)) {
        snprintf(err, errlen, "%s: unsupported link type %s (%d)", iface,
                 pcap_datalink_val_to_name(dlt) ? pcap_datalink_val_to_name(dlt) : "?", dlt);
        pcap_close(p);
        return -1;
    }
    fprintf(stderr, "Capturing on '%s'\n", iface);   /* as tshark says it: the start */
    capture_opts kernel = *o;
    kernel.bpf = NULL;   /* the kernel runs the filter */
    live_state ls = { .loop = capture_loop_new(&kernel, st, fn, user), .lt = lt, .p = p };
    struct sigaction old_int, old_term;
    live_stopped = 0;
    live_handle = p;
    catch_signals(&old_int, &old_term);
    int rc = live_stopped ? -2 : pcap_loop(p, -1, live_frame, (u_char *)&ls);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    live_handle = NULL;
    if (rc == -1)
        snprintf(err, errlen, "%s: %s", iface, pcap_geterr(p));
    capture_loop_free(ls.loop, err, errlen);
    pcap_close(p);
    return rc == -1 ? -1 : 0;
}

int capture_list_interfaces(FILE *out, char *err, size_t errlen)
{
    char perr[PCAP_ERRBUF_SIZE] = "";
    pcap_if_t *all = NULL;
    if (pcap_findalldevs(&all, perr) < 0) {
        snprintf(err, errlen, "%s", perr);
        return -1;
    }
    int n = 0;
    for (pcap_if_t *d = all; d; d = d->next) {
        fprintf(out, "%d. %s", ++n, d->name);
        if (d->description)
            fprintf(out, " (%s)", d->description);
        fputc('\n', out);
    }
    pcap_freealldevs(all);
    return 0;
}
