/*
 * isakmpdump's capture options, as tcpdump and tshark spell them:
 * -c N, -f FILTER, -i IFACE, -s SNAPLEN, -D, -w FILE, -F FORMAT, -P.
 * capture_cli_option parses one, capture_cli_check checks them together,
 * capture_cli_start opens the -w file, capture_cli_run reads one input
 * (a file, or the interface), capture_cli_finish closes the -w file.
 */
#ifndef ISAKMPDUMP_CAPTURE_CLI_H
#define ISAKMPDUMP_CAPTURE_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "capture.h"
#include "writer.h"

typedef struct {
    char *iface;              /* -i */
    int snaplen;              /* -s; 0: 262144 */
    const char *write_path;   /* -w */
    int write_fmt;            /* -F */
    bool print;               /* -P: print decoded frames while writing */
    bool list;                /* -D */
    bool inner;               /* --decrypt-esp: -w gets the decrypted ESP packets only
                                 (writer_packet), not the frames read */
    writer *w;                /* opened by capture_cli_start */
} capture_cli;

/* The option letters: getopt's "c:f:i:s:w:F:PD". */
#define CAPTURE_CLI_OPTSTRING "c:f:i:s:w:F:PD"

void capture_cli_init(capture_cli *c);
/* Parses option `opt` (one of CAPTURE_CLI_OPTSTRING's letters); -1 with a
 * reason when its value is bad. */
int capture_cli_option(capture_cli *c, capture_opts *o, int opt, char *arg, char *why,
                       size_t n);
/* After parsing: the options together (-i or files, -f's syntax, -P without
 * -w); -1 with a reason. */
int capture_cli_check(const capture_cli *c, const capture_opts *o, size_t nfiles, char *why,
                      size_t n);
/* True when the decoded frames are printed (not when writing without -P). */
bool capture_cli_prints(const capture_cli *c);
/* Opens the -w file (selected: only the frames writer_keep_frame keeps). */
int capture_cli_start(capture_cli *c, capture_opts *o, bool selected, char *err, size_t errlen);
/* Reads one input: the file `path`, or the interface when -i was given. */
int capture_cli_run(const capture_cli *c, const char *path, const capture_opts *o, capture_stats *st,
                    capture_fn fn, void *user, char *err, size_t errlen);
int capture_cli_finish(capture_cli *c, char *err, size_t errlen);

#endif
