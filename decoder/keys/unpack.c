/*
 * gzip (RFC 1952), xz and zstd key files, by magic (unpack.h).  Every
 * method appends to one growing buffer, capped at UNPACK_MAX; what it holds
 * is key material: it is wiped when it is freed.
 */
#include <string.h>

#include "core/secure.h"
#include "keys/unpack.h"

#ifdef HAVE_ZLIB
#include <zlib.h>
#endif
#ifdef HAVE_LZMA
#include <lzma.h>
#endif
#ifdef HAVE_ZSTD
#include <zstd.h>
#endif

typedef enum { M_GZIP, M_XZ, M_ZSTD } method;

static const struct {
    const char *magic;
    size_t n;
    const char *name;
} magics[] = {
    [M_GZIP] = { "\x1f\x8b", 2, "gzip" },
    [M_XZ] = { "\xfd" "7zXZ\0", 6, "xz" },
    [M_ZSTD] = { "\x28\xb5\x2f\xfd", 4, "zstd" },
};

#define CHUNK 65536

static void wipe(GByteArray *b)
{
    if (b->len)
        secure_wipe(b->data, b->len);
    g_byte_array_free(b, TRUE);
}

#ifdef HAVE_ZLIB
static const char *gunzip(const char *data, size_t len, GByteArray **out)
{
    z_stream z = { 0 };
    if (inflateInit2(&z, 15 + 16) != Z_OK)
        return "zlib could not start";
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
    uint8_t buf[CHUNK];
    int rc = Z_OK;
    while (rc != Z_STREAM_END || z.avail_in) {
        if (rc == Z_STREAM_END && inflateReset(&z) != Z_OK)   /* another member */
            break;
        z.next_out = buf;
        z.avail_out = sizeof buf;
        rc = inflate(&z, Z_NO_FLUSH);
        g_byte_array_append(*out, buf, (guint)(sizeof buf - z.avail_out));
        if ((rc != Z_OK && rc != Z_STREAM_END) || (*out)->len > UNPACK_MAX ||
            (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0))
            break;
        if (rc == Z_STREAM_END && z.avail_in && ((const uint8_t *)z.next_in)[0] != 0x1f)
            break;   /* trailing bytes that are not a member */
    }
    secure_wipe(buf, sizeof buf);
    inflateEnd(&z);
    if ((*out)->len > UNPACK_MAX)
        return "more than 1 GiB uncompressed";
    return rc == Z_STREAM_END ? NULL : "the gzip data is damaged or cut short";
}
#endif

#ifdef HAVE_LZMA
static const char *unxz(const char *data, size_t len, GByteArray **out)
{
    lzma_stream s = LZMA_STREAM_INIT;
    if (lzma_stream_decoder(&s, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
        return "liblzma could not start";
    s.next_in = (const uint8_t *)data;
    s.avail_in = len;
    uint8_t buf[CHUNK];
    lzma_ret rc = LZMA_OK;
    while (rc == LZMA_OK && (*out)->len <= UNPACK_MAX) {
        s.next_out = buf;
        s.avail_out = sizeof buf;
        rc = lzma_code(&s, LZMA_FINISH);
        g_byte_array_append(*out, buf, (guint)(sizeof buf - s.avail_out));
    }
    secure_wipe(buf, sizeof buf);
    lzma_end(&s);
    if ((*out)->len > UNPACK_MAX)
        return "more than 1 GiB uncompressed";
    return rc == LZMA_STREAM_END ? NULL : "the xz data is damaged or cut short";
}
#endif

#ifdef HAVE_ZSTD
static const char *unzstd(const char *data, size_t len, GByteArray **out)
{
    ZSTD_DStream *z = ZSTD_createDStream();
    if (!z)
        return "libzstd could not start";
    ZSTD_initDStream(z);
    ZSTD_inBuffer in = { data, len, 0 };
    uint8_t buf[CHUNK];
    size_t rc = 1;
    while (in.pos < in.size && (*out)->len <= UNPACK_MAX) {
        ZSTD_outBuffer o = { buf, sizeof buf, 0 };
        rc = ZSTD_decompressStream(z, &o, &in);
        g_byte_array_append(*out, buf, (guint)o.pos);
        if (ZSTD_isError(rc))
            break;
    }
    while (!ZSTD_isError(rc) && rc != 0 && (*out)->len <= UNPACK_MAX) {   /* flush what is held */
        ZSTD_outBuffer o = { buf, sizeof buf, 0 };
        rc = ZSTD_decompressStream(z, &o, &in);
        g_byte_array_append(*out, buf, (guint)o.pos);
        if (o.pos == 0)
            break;
    }
    secure_wipe(buf, sizeof buf);
    ZSTD_freeDStream(z);
    if ((*out)->len > UNPACK_MAX)
        return "more than 1 GiB uncompressed";
    return !ZSTD_isError(rc) && rc == 0 ? NULL : "the zstd data is damaged or cut short";
}
#endif

unpack_result keys_unpack(const char *data, size_t len, GByteArray **out, const char **why)
{
    int m = -1;
    for (size_t i = 0; i < G_N_ELEMENTS(magics); i++)
        if (len >= magics[i].n && !memcmp(data, magics[i].magic, magics[i].n))
            m = (int)i;
    if (m < 0)
        return UNPACK_NONE;
    /* sized for a typical text ratio: fewer copies left behind by growing */
    *out = g_byte_array_sized_new((guint)MIN(len * 8 + CHUNK, (size_t)64 << 20));
    *why = NULL;
    switch ((method)m) {
#ifdef HAVE_ZLIB
    case M_GZIP: *why = gunzip(data, len, out); break;
#endif
#ifdef HAVE_LZMA
    case M_XZ: *why = unxz(data, len, out); break;
#endif
#ifdef HAVE_ZSTD
    case M_ZSTD: *why = unzstd(data, len, out); break;
#endif
    default:
        *why = m == M_GZIP ? "gzip-compressed: this libisakmp was built without zlib"
               : m == M_XZ ? "xz-compressed: this libisakmp was built without liblzma"
                           : "zstd-compressed: this libisakmp was built without libzstd";
        break;
    }
    if (*why) {
        wipe(*out);
        *out = NULL;
        return UNPACK_FAILED;
    }
    return UNPACK_OK;
}
