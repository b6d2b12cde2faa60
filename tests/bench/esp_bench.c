/* ESP decryption benchmark helper (#21, speed):
 *
 *   esp_bench gen OUT.pcap ESP_SA N SIZE SUITE
 *       writes N ESP packets (Ethernet, IPv4 protocol 50, tunnel mode, one
 *       SA, sequence numbers 1..N) each carrying an inner IPv4/UDP packet of
 *       SIZE bytes, sealed with libgcrypt under fixed keys, and the SA as a
 *       Wireshark esp_sa line (isakmpdump -k and tshark both read it);
 *   esp_bench raw N SIZE SUITE
 *       the same packets' decryption with libgcrypt alone, handles keyed
 *       once: per packet what ESP needs (reset, IV, AAD, decrypt, tag; or
 *       HMAC then CBC), nothing else.  Prints the CPU and wall seconds, the
 *       packets per CPU second and MB/s of ESP bytes; then the same number of bytes
 *       decrypted (and HMACed) 64 KiB per call, the cipher's bulk speed.
 *
 * SUITE: gcm (AES-GCM-128, 16-octet ICV) or cbc (AES-CBC-128 with
 * HMAC-SHA-256-128).  Deterministic: the same arguments give the same file. */
#include <gcrypt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SPI 0x00001234u
#define RING 1024   /* distinct packets kept in memory for `raw` */

static const uint8_t EKEY[20] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x10, 0x32,
                                  0x54, 0x76, 0x98, 0xba, 0xdc, 0xfe, 0xca, 0xfe, 0xba, 0xbe };
static const uint8_t AKEY[32] = { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa,
                                  0xab, 0xac, 0xad, 0xae, 0xaf, 0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5,
                                  0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf };

typedef struct {
    bool gcm;
    size_t iv, icv, align;
    gcry_cipher_hd_t c;
    gcry_md_hd_t m;
} suite;

static void die(const char *what)
{
    fprintf(stderr, "esp_bench: %s\n", what);
    exit(1);
}

static void suite_open(suite *s, const char *name)
{
    s->gcm = strcmp(name, "gcm") == 0;
    if (!s->gcm && strcmp(name, "cbc") != 0)
        die("SUITE is gcm or cbc");
    s->iv = s->gcm ? 8 : 16;
    s->icv = 16;
    s->align = s->gcm ? 4 : 16;
    if (gcry_cipher_open(&s->c, GCRY_CIPHER_AES128,
                         s->gcm ? GCRY_CIPHER_MODE_GCM : GCRY_CIPHER_MODE_CBC, 0) ||
        gcry_cipher_setkey(s->c, EKEY, 16))
        die("cipher");
    if (s->gcm)
        s->m = NULL;
    if (!s->gcm && (gcry_md_open(&s->m, GCRY_MD_SHA256, GCRY_MD_FLAG_HMAC) ||
                    gcry_md_setkey(s->m, AKEY, 32)))
        die("hmac");
}

static void suite_close(suite *s)
{
    gcry_cipher_close(s->c);
    if (s->m)
        gcry_md_close(s->m);
}

static void put32(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

static void ip4(uint8_t *h, size_t len, uint8_t proto, const uint8_t src[4], const uint8_t dst[4])
{
    memset(h, 0, 20);
    h[0] = 0x45;
    h[2] = (uint8_t)(len >> 8);
    h[3] = (uint8_t)len;
    h[6] = 0x40;
    h[8] = 64;
    h[9] = proto;
    memcpy(h + 12, src, 4);
    memcpy(h + 16, dst, 4);
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2)
        sum += (uint32_t)h[i] << 8 | h[i + 1];
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    h[10] = (uint8_t)(~sum >> 8);
    h[11] = (uint8_t)~sum;
}

/* The ESP packet (from the SPI) of sequence number seq into b; its length. */
static size_t seal(suite *s, uint32_t seq, size_t size, uint8_t *b)
{
    static const uint8_t in_src[4] = { 10, 1, 0, 1 }, in_dst[4] = { 10, 2, 0, 1 };
    size_t pad = (s->align - (size + 2) % s->align) % s->align;
    size_t ct = size + pad + 2;
    put32(b, SPI);
    put32(b + 4, seq);
    uint8_t *iv = b + 8, *p = b + 8 + s->iv;
    for (size_t i = 0; i < s->iv; i++)
        iv[i] = (uint8_t)(i < 4 ? 0x5a : seq >> (8 * (i % 4)));
    ip4(p, size, 17, in_src, in_dst);
    p[20] = 0x13, p[21] = 0x88, p[22] = 0x17, p[23] = 0x70;   /* UDP 5000 -> 6000 */
    p[24] = (uint8_t)((size - 20) >> 8), p[25] = (uint8_t)(size - 20), p[26] = p[27] = 0;
    for (size_t i = 28; i < size; i++)
        p[i] = (uint8_t)(i + seq);
    for (size_t i = 0; i < pad; i++)
        p[size + i] = (uint8_t)(i + 1);
    p[ct - 2] = (uint8_t)pad;
    p[ct - 1] = 4;   /* IPv4 */
    gcry_cipher_reset(s->c);
    if (s->gcm) {
        uint8_t nonce[12];
        memcpy(nonce, EKEY + 16, 4);
        memcpy(nonce + 4, iv, 8);
        gcry_cipher_setiv(s->c, nonce, 12);
        gcry_cipher_authenticate(s->c, b, 8);
        gcry_cipher_encrypt(s->c, p, ct, NULL, 0);
        gcry_cipher_gettag(s->c, p + ct, 16);
    } else {
        gcry_cipher_setiv(s->c, iv, 16);
        gcry_cipher_encrypt(s->c, p, ct, NULL, 0);
        gcry_md_reset(s->m);
        gcry_md_write(s->m, b, 8 + s->iv + ct);
        memcpy(p + ct, gcry_md_read(s->m, GCRY_MD_SHA256), 16);
    }
    return 8 + s->iv + ct + s->icv;
}

static void w32(FILE *f, uint32_t v) { fwrite(&v, 4, 1, f); }

static int gen(const char *out, const char *sa, unsigned long n, size_t size, suite *s)
{
    static const uint8_t src[4] = { 192, 0, 2, 1 }, dst[4] = { 192, 0, 2, 2 };
    FILE *f = fopen(out, "wb"), *k = fopen(sa, "w");
    if (!f || !k)
        die("cannot write the outputs");
    w32(f, 0xa1b2c3d4);
    uint16_t v[2] = { 2, 4 };
    fwrite(v, 2, 2, f);
    w32(f, 0);
    w32(f, 0);
    w32(f, 65535);
    w32(f, 1);   /* Ethernet */
    uint8_t *frame = malloc(size + 256);
    for (unsigned long i = 0; i < n; i++) {
        static const uint8_t eth[14] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00 };
        memcpy(frame, eth, 14);
        size_t esp = seal(s, (uint32_t)(i + 1), size, frame + 34);
        ip4(frame + 14, 20 + esp, 50, src, dst);
        uint32_t len = (uint32_t)(34 + esp);
        w32(f, (uint32_t)(1700000000 + i / 10000));
        w32(f, (uint32_t)(i % 10000) * 100);
        w32(f, len);
        w32(f, len);
        fwrite(frame, 1, len, f);
    }
    free(frame);
    fprintf(k, "\"IPv4\",\"192.0.2.1\",\"192.0.2.2\",\"0x%08x\",\"%s\",\"0x", SPI,
            s->gcm ? "AES-GCM with 16 octet ICV [RFC4106]" : "AES-CBC [RFC3602]");
    for (size_t i = 0; i < (s->gcm ? 20u : 16u); i++)
        fprintf(k, "%02x", EKEY[i]);
    fprintf(k, "\",\"%s\",\"", s->gcm ? "NULL" : "HMAC-SHA-256-128 [RFC4868]");
    if (!s->gcm) {
        fprintf(k, "0x");
        for (size_t i = 0; i < 32; i++)
            fprintf(k, "%02x", AKEY[i]);
    }
    fprintf(k, "\"\n");
    return fclose(f) | fclose(k);
}

static double clock_of(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* The process's CPU seconds (what a loaded machine moves least) and wall seconds. */
static void now(double t[2])
{
    t[0] = clock_of(CLOCK_PROCESS_CPUTIME_ID);
    t[1] = clock_of(CLOCK_MONOTONIC);
}

static void since(const double t0[2], double t[2])
{
    now(t);
    t[0] -= t0[0];
    t[1] -= t0[1];
}

/* Opens packet b (len bytes) as an ESP receiver does, into out. */
static bool open_one(suite *s, const uint8_t *b, size_t len, uint8_t *out)
{
    size_t ct = len - 8 - s->iv - s->icv;
    const uint8_t *iv = b + 8, *p = b + 8 + s->iv;
    if (s->gcm) {
        uint8_t nonce[12];
        memcpy(nonce, EKEY + 16, 4);
        memcpy(nonce + 4, iv, 8);
        gcry_cipher_reset(s->c);
        gcry_cipher_setiv(s->c, nonce, 12);
        gcry_cipher_authenticate(s->c, b, 8);
        gcry_cipher_decrypt(s->c, out, ct, p, ct);
        return gcry_cipher_checktag(s->c, p + ct, 16) == 0;
    }
    gcry_md_reset(s->m);
    gcry_md_write(s->m, b, len - s->icv);
    if (memcmp(gcry_md_read(s->m, GCRY_MD_SHA256), p + ct, 16) != 0)
        return false;
    gcry_cipher_setiv(s->c, iv, 16);
    return gcry_cipher_decrypt(s->c, out, ct, p, ct) == 0;
}

static int raw(unsigned long n, size_t size, suite *s)
{
    size_t cap = size + 64;
    unsigned ring = n < RING ? (unsigned)n : RING;
    uint8_t *pk = malloc(ring * cap), *out = malloc(cap);
    size_t *len = malloc(ring * sizeof *len);
    for (unsigned i = 0; i < ring; i++)
        len[i] = seal(s, i + 1, size, pk + i * cap);
    double bytes = 0, t0[2], t[2];
    now(t0);
    unsigned long bad = 0;
    for (unsigned long i = 0; i < n; i++) {
        unsigned r = (unsigned)(i % ring);
        bad += !open_one(s, pk + r * cap, len[r], out);
        bytes += (double)len[r];
    }
    since(t0, t);
    if (bad)
        die("a packet did not verify");
    printf("per-packet %.3f s cpu %.3f s wall %.0f packets/s %.1f MB/s\n", t[0], t[1], n / t[0],
           bytes / t[0] / 1e6);
    /* the same bytes decrypted (and MACed) 64 KiB per call: the bulk speed */
    size_t chunk = 65536;
    uint8_t *big = calloc(1, chunk), iv[16] = { 0 };
    gcry_cipher_reset(s->c);   /* GCM: a fresh message (no tag yet) */
    gcry_cipher_setiv(s->c, iv, s->gcm ? 12 : 16);
    if (s->m)
        gcry_md_reset(s->m);
    now(t0);
    for (double done = 0; done < bytes; done += (double)chunk) {
        if (gcry_cipher_decrypt(s->c, big, chunk, NULL, 0))
            die("bulk decrypt");
        if (!s->gcm)
            gcry_md_write(s->m, big, chunk);
    }
    if (s->gcm && gcry_cipher_gettag(s->c, iv, 16))
        die("bulk tag");
    since(t0, t);
    printf("bulk %.3f s cpu %.3f s wall %.1f MB/s\n", t[0], t[1], bytes / t[0] / 1e6);
    free(big);
    free(pk);
    free(out);
    free(len);
    return 0;
}

int main(int argc, char **argv)
{
    gcry_check_version(NULL);
    gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    suite s = { 0 };
    int rc;
    if (argc == 7 && strcmp(argv[1], "gen") == 0) {
        suite_open(&s, argv[6]);
        rc = gen(argv[2], argv[3], strtoul(argv[4], NULL, 10), strtoul(argv[5], NULL, 10), &s);
    } else if (argc == 5 && strcmp(argv[1], "raw") == 0) {
        suite_open(&s, argv[4]);
        rc = raw(strtoul(argv[2], NULL, 10), strtoul(argv[3], NULL, 10), &s);
    } else {
        fprintf(stderr, "usage: esp_bench gen OUT.pcap ESP_SA N SIZE SUITE | raw N SIZE SUITE\n");
        return 2;
    }
    suite_close(&s);
    return rc;
}
