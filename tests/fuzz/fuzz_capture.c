/* Harness: the capture front end (cli/capture.c).  The input is a pcap or
 * pcapng file: it is written to a memfd and read back through capture_file
 * as isakmpdump does; every message found is decoded through one context. */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture/capture.h"
#include "fuzz_common.h"

static void on_frame(void *user, const capture_frame *f)
{
    isakmp_ctx *ctx = user;
    for (size_t i = 0; i < f->nmsgs; i++)
        fz_decode_walk(ctx, f->msgs[i].data, f->msgs[i].len, f->frame, f->msgs[i].dport,
                       f->msgs[i].tcp ? 1 : 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    if (fd < 0)
        fd = memfd_create("fuzz-capture", 0);
    if (fd < 0 || ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        return 0;
    char path[64], err[512];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    capture_opts o;
    capture_opts_default(&o);
    capture_stats st = { 0 };
    isakmp_ctx *ctx = isakmp_ctx_new();
    capture_file(path, &o, &st, on_frame, ctx, err, sizeof err);
    isakmp_ctx_free(ctx);
    return 0;
}
