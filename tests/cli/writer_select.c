/*
 * The -w writer's selected mode, as a display filter drives it: reads IN and
 * writes to OUT (FORMAT pcap, nsecpcap or pcapng) every frame that carries
 * an IKE message (writer_keep_frame), with the fragments and segments its
 * messages were built from.  check_capture_opts.py rereads OUT.
 *
 * Usage: writer_select IN OUT FORMAT
 */
#include <stdio.h>

#include "capture/writer.h"

static void keep(void *user, const capture_frame *f)
{
    if (f->nmsgs)
        writer_keep_frame(user, f);
}

int main(int argc, char **argv)
{
    if (argc != 4 || writer_format_of(argv[3]) < 0) {
        fputs("usage: writer_select IN OUT pcap|nsecpcap|pcapng\n", stderr);
        return 2;
    }
    char err[512];
    writer *w = writer_open(argv[2], (writer_format)writer_format_of(argv[3]), true, err,
                            sizeof err);
    if (!w) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    capture_opts o;
    capture_opts_default(&o);
    writer_attach(w, &o);
    capture_stats st = { 0 };
    int rc = capture_file(argv[1], &o, &st, keep, w, err, sizeof err) < 0 ? 1 : 0;
    if (rc)
        fprintf(stderr, "%s\n", err);
    if (writer_close(w, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        rc = 1;
    }
    return rc;
}
