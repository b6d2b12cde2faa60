/* isakmpdump's capture options (capture_cli.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture_cli.h"

void capture_cli_init(capture_cli *c)
{
    memset(c, 0, sizeof *c);
    c->write_fmt = WRITER_PCAP;
}

static int parse_count(const char *arg, long long lo, long long hi, long long *v)
{
    char *end;
    errno = 0;
    long long n = strtoll(arg, &end, 10);
    if (errno || end == arg || *end || n < lo || n > hi)
        return -1;
    *v = n;
    return 0;
}

int capture_cli_option(capture_cli *c, capture_opts *o, int opt, char *arg, char *why,
                       size_t n)
{
    long long v;
    switch (opt) {
    case 'c':
        if (parse_count(arg, 1, (1LL << 62), &v) < 0) {
            snprintf(why, n, "bad frame count '%s' for -c (a positive number)", arg);
            return -1;
        }
        o->max_frames = (uint64_t)v;
        return 0;
    case 'f': o->bpf = arg; return 0;
    case 'i': c->iface = arg; return 0;
    case 's':
        if (parse_count(arg, 0, 262144, &v) < 0) {
            snprintf(why, n, "bad snapshot length '%s' for -s (0-262144; 0: 262144)", arg);
            return -1;
        }
        c->snaplen = (int)v;
        return 0;
    case 'w': c->write_path = arg; return 0;
    case 'F':
        c->write_fmt = writer_format_of(arg);
        if (c->write_fmt < 0) {
            snprintf(why, n, "unknown file format '%s' for -F (pcap, nsecpcap, pcapng)", arg);
            return -1;
        }
        return 0;
    case 'P': c->print = true; return 0;
    case 'D': c->list = true; return 0;
    default:
        snprintf(why, n, "not a capture option");
        return -1;
    }
}

int capture_cli_check(const capture_cli *c, const capture_opts *o, size_t nfiles, char *why,
                      size_t n)
{
    if (c->iface && nfiles) {
        snprintf(why, n, "-i and input files cannot be used together");
        return -1;
    }
    if (!c->iface && !nfiles) {
        snprintf(why, n, "no input file");
        return -1;
    }
    if (c->print && !c->write_path) {
        snprintf(why, n, "-P needs -w FILE");
        return -1;
    }
    if (c->print && strcmp(c->write_path, "-") == 0) {
        snprintf(why, n, "-P with -w -: the capture and the text would share standard output");
        return -1;
    }
    if (o->bpf && !c->iface && capture_check_bpf(o->bpf, why, n) < 0)
        return -1;   /* the interface's link type is checked when it opens */
    return 0;
}

bool capture_cli_prints(const capture_cli *c) { return !c->write_path || c->print; }

int capture_cli_start(capture_cli *c, capture_opts *o, bool selected, char *err, size_t errlen)
{
    if (!c->write_path)
        return 0;
    c->w = writer_open(c->write_path, (writer_format)c->write_fmt, selected, err, errlen);
    if (!c->w)
        return -1;
    if (c->inner)
        writer_set_empty_linktype(c->w, 101);   /* raw IP */
    else
        writer_attach(c->w, o);
    return 0;
}

int capture_cli_run(const capture_cli *c, const char *path, const capture_opts *o, capture_stats *st,
                    capture_fn fn, void *user, char *err, size_t errlen)
{
    writer_new_input(c->w);
    if (c->iface)
        return capture_live(c->iface, c->snaplen, o, st, fn, user, err, errlen);
    return capture_file(path, o, st, fn, user, err, errlen);
}

int capture_cli_finish(capture_cli *c, char *err, size_t errlen)
{
    int rc = writer_close(c->w, err, errlen);
    c->w = NULL;
    return rc;
}
