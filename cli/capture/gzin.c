/*
 * gzip-compressed captures (RFC 1952), as tshark reads them: a stdio stream
 * that inflates another one.  Concatenated gzip members are read in turn.
 */
#include <errno.h>

#include "capture_int.h"

#ifdef HAVE_ZLIB
#include <glib.h>
#include <zlib.h>

typedef struct {
    FILE *in;
    z_stream z;
    bool end;
    unsigned char buf[65536];
} gz_cookie;

static ssize_t gz_read(void *cookie, char *out, size_t size)
{
    gz_cookie *g = cookie;
    g->z.next_out = (unsigned char *)out;
    g->z.avail_out = (uInt)(size > UINT32_MAX ? UINT32_MAX : size);
    while (g->z.avail_out > 0 && !g->end) {
        if (g->z.avail_in == 0) {
            size_t n = fread(g->buf, 1, sizeof g->buf, g->in);
            if (n == 0) {
                g->end = true;   /* a member cut short ends the stream: the reader sees it */
                break;
            }
            g->z.next_in = g->buf;
            g->z.avail_in = (uInt)n;
        }
        int rc = inflate(&g->z, Z_NO_FLUSH);
        if (rc == Z_STREAM_END) {
            inflateReset(&g->z);   /* another member may follow */
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
            errno = EIO;
            return size - g->z.avail_out ? (ssize_t)(size - g->z.avail_out) : -1;
        }
    }
    return (ssize_t)(size - g->z.avail_out);
}

static int gz_close(void *cookie)
{
    gz_cookie *g = cookie;
    inflateEnd(&g->z);
    int rc = g->in == stdin ? 0 : fclose(g->in);
    g_free(g);
    return rc;
}

FILE *gz_wrap(FILE *in)
{
    gz_cookie *g = g_new0(gz_cookie, 1);
    g->in = in;
    if (inflateInit2(&g->z, 15 + 16) != Z_OK) {   /* gzip wrapper only */
        g_free(g);
        return NULL;
    }
    FILE *f = fopencookie(g, "rb", (cookie_io_functions_t){ .read = gz_read, .close = gz_close });
    if (!f) {
        inflateEnd(&g->z);
        g_free(g);
    }
    return f;
}
#else
FILE *gz_wrap(FILE *in)
{
    (void)in;
    errno = ENOTSUP;
    return NULL;
}
#endif
