/* Harness: the capture front end (cli/capture.c).  The input is a pcap or
 * pcapng file: it is written to a memfd and read back through capture_file
 * as isakmpdump does; every message found is decoded through one context,
 * and every frame with a message is kept by a -w writer in selected mode
 * (to /dev/null), so the frames each message was built from are followed
 * too (parts.c, writer.c). */
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture/capture.h"
#include "capture/writer.h"
#include "fuzz_common.h"

typedef struct {
    isakmp_ctx *ctx;
    writer *w;
} fuzz_run;

static void on_frame(void *user, const capture_frame *f)
{
    fuzz_run *r = user;
    isakmp_ctx *ctx = r->ctx;
    if (f->nmsgs)
        writer_keep_frame(r->w, f);
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
    fuzz_run r = { .ctx = isakmp_ctx_new(),
                   .w = writer_open("/dev/null", WRITER_PCAPNG, true, err, sizeof err) };
    if (r.w)
        writer_attach(r.w, &o);
    capture_file(path, &o, &st, on_frame, &r, err, sizeof err);
    writer_close(r.w, err, sizeof err);
    isakmp_ctx_free(r.ctx);
    return 0;
}
