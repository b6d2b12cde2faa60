/* Harness: ESP decryption (decoder/esp/, isakmp_ctx_esp_decrypt) and what
 * isakmpdump does with its result (cli/esp/esp_cli.c: the inner packet's
 * parse, the --esp words and JSON, --decrypt-esp's writer, transport-mode
 * IP headers).
 *
 * One context holds an SA per cipher family with fixed keys.  The input is
 * a run of records (fz_next_record), each one frame with one ESP packet:
 *   selector bits 0-2: the SA; bit 3: raw (the record's bytes follow the
 *   SA's SPI as they are: malformed packets, failed ICVs), else sealed
 *   (the bytes are the sequence number (4), the ESN high bits (1), the next
 *   header (1) and the payload, sealed with the SA's keys so the ICV holds
 *   and the trailer, inner packet, replay window and ESN inference are
 *   reached); bit 4: the sealed packet uses ESN; bit 5: over UDP (4500),
 *   else IP protocol 50.
 * Oracle: a packet the harness sealed without ESN, on an SA no packet
 * verified with ESN before (sealed here, or raw bytes whose ICV matched),
 * must not fail its ICV (abort otherwise).
 * Sealing is tests/unit/esp_seal.c's (libgcrypt directly). */
#include <gcrypt.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "esp/esp_cli.h"
#include "esp_seal.h"
#include "fuzz_common.h"

static const uint8_t EK[36] = { 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a,
                                0x1b, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25,
                                0x26, 0x27, 0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30,
                                0x31, 0x32, 0x33 };
static uint8_t AK[64];   /* 0xa0, 0xa1, ... (LLVMFuzzerInitialize) */

/* One SA: its sealer and the names the esp_sa table gives its algorithms. */
typedef struct {
    sealer s;
    const char *encr, *integ;
} fz_esp_sa;

static const fz_esp_sa sas[8] = {
    { { S_CBC, GCRY_CIPHER_AES128, 16, 0, 16, 16, 0, GCRY_MAC_HMAC_SHA256, 16, EK, AK, 32 },
      "AES-CBC [RFC3602]", "HMAC-SHA-256-128 [RFC4868]" },
    { { S_GCM, GCRY_CIPHER_AES256, 32, 4, 8, 1, 16, 0, 0, EK, NULL, 0 },
      "AES-GCM with 16 octet ICV [RFC4106]", "NULL" },
    { { S_CHACHA, GCRY_CIPHER_CHACHA20, 32, 4, 8, 1, 16, 0, 0, EK, NULL, 0 },
      "ENCR_CHACHA20_POLY1305", "NULL" },
    { { S_NULL, 0, 0, 0, 0, 1, 0, GCRY_MAC_HMAC_SHA1, 12, EK, AK, 20 },
      "NULL", "HMAC-SHA-1-96 [RFC2404]" },
    { { S_CTR, GCRY_CIPHER_AES128, 16, 4, 8, 1, 0, GCRY_MAC_HMAC_MD5, 12, EK, AK, 16 },
      "AES-CTR [RFC3686]", "HMAC-MD5-96 [RFC2403]" },
    { { S_CCM, GCRY_CIPHER_AES128, 16, 3, 8, 1, 12, 0, 0, EK, NULL, 0 },
      "ENCR_AES_CCM_12", "NULL" },
    { { S_CBC, GCRY_CIPHER_3DES, 24, 0, 8, 8, 0, GCRY_MAC_HMAC_SHA512, 32, EK, AK, 64 },
      "TripleDES-CBC [RFC2451]", "HMAC-SHA-512-256 [RFC4868]" },
    /* no ICV at all: the trailer check decides (and garbage reaches it) */
    { { S_CBC, GCRY_CIPHER_AES256, 32, 0, 16, 16, 0, 0, 0, EK, NULL, 0 },
      "AES-CBC [RFC3602]", "NULL" },
};

static const uint8_t SRC[4] = { 192, 0, 2, 1 }, DST[4] = { 192, 0, 2, 2 };

static uint32_t spi_of(size_t i) { return 0xe5b00000u + (uint32_t)i; }

static char *hex0x(const uint8_t *b, size_t n)
{
    GString *s = g_string_new(n ? "0x" : "");
    for (size_t i = 0; i < n; i++)
        g_string_append_printf(s, "%02x", b[i]);
    return g_string_free(s, FALSE);
}

/* The esp_sa table (one line per SA), loaded as a user's file would be. */
static char *esp_table(void)
{
    GString *t = g_string_new("");
    for (size_t i = 0; i < G_N_ELEMENTS(sas); i++) {
        const sealer *s = &sas[i].s;
        char *ek = hex0x(s->ekey, s->klen + s->salt), *ak = hex0x(s->akey, s->alen);
        g_string_append_printf(t, "\"IPv4\",\"192.0.2.1\",\"192.0.2.2\",\"0x%08x\",\"%s\",\"%s\","
                               "\"%s\",\"%s\"\n", spi_of(i), sas[i].encr, ek, sas[i].integ, ak);
        g_free(ek);
        g_free(ak);
    }
    return g_string_free(t, FALSE);
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Whether a record is sealed: not raw, and long enough for the fields. */
static bool is_sealed(uint8_t sel, size_t len) { return !(sel & 8) && len >= 6; }

/* The ESP packet of one record: sealed, or the SPI followed by the bytes. */
static GByteArray *packet_of(uint8_t sel, const uint8_t *msg, size_t len)
{
    size_t k = sel & 7;
    if (!is_sealed(sel, len)) {
        GByteArray *p = g_byte_array_sized_new((guint)(len + 4));
        uint8_t spi[4] = { 0xe5, 0xb0, 0, (uint8_t)k };
        g_byte_array_append(p, spi, 4);
        g_byte_array_append(p, msg, (guint)len);
        return p;
    }
    uint64_t seq64 = (uint64_t)msg[4] << 32 | be32(msg);
    GByteArray *inner = g_byte_array_sized_new((guint)len);
    g_byte_array_append(inner, msg + 6, (guint)(len - 6));
    GByteArray *p = esp_seal(&sas[k].s, spi_of(k), seq64, (sel & 16) != 0, inner, msg[5]);
    g_byte_array_free(inner, TRUE);
    return p;
}

/* One frame carrying the packet, through esp_run as isakmpdump runs it. */
static void run_frame(esp_run *e, GString *words, bool *esn_seen, uint32_t frame, uint8_t sel,
                      bool sealed_here, const GByteArray *p)
{
    capture_frame f;
    memset(&f, 0, sizeof f);
    f.frame = frame;
    f.ts_sec = 1000 + frame;
    f.esp_udp = true;
    f.esp_proto = sel & 32 ? 17 : 50;
    isakmp_packet *k = &f.esp_pkt;
    k->data = p->data;
    k->len = p->len;
    k->frame = frame;
    k->ts_sec = f.ts_sec;
    k->af = 4;
    memcpy(k->src, SRC, 4);
    memcpy(k->dst, DST, 4);
    k->sport = k->dport = sel & 32 ? 4500 : 0;
    f.esp_spi = p->len >= 4 ? be32(p->data) : 0;
    f.esp_seq = p->len >= 8 ? be32(p->data + 4) : 0;
    esp_run_frame(e, &f);
    /* oracle: what the harness sealed itself opens (the ESN case aside: the
     * receiver infers the high bits, which may rightly differ) */
    bool sealed = sealed_here && !(sel & 16);
    if (sealed && !esn_seen[sel & 7] && e->nresults == 1 &&
        (e->results[0].verdict == ISAKMP_ESP_ICV_FAILED ||
         e->results[0].verdict == ISAKMP_ESP_MALFORMED ||
         e->results[0].verdict == ISAKMP_ESP_NO_KEY))
        abort();
    if (sel & 16)
        esn_seen[sel & 7] = true;
    /* raw bytes can verify too (libFuzzer learns the ICV from memcmp): one
     * that verified with ESN locks its SA to ESN as the harness's own would */
    for (size_t i = 0; i < e->nresults; i++) {
        const isakmp_esp_result *r = &e->results[i];
        uint32_t which = r->spi - spi_of(0);
        if (r->esn && which < G_N_ELEMENTS(sas))
            esn_seen[which] = true;
    }
    g_string_truncate(words, 0);
    for (size_t i = 0; i < e->nresults; i++) {
        esp_describe(words, e, i);
        esp_describe_json(words, e, i);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    for (size_t i = 0; i < sizeof AK; i++)
        AK[i] = (uint8_t)(0xa0 + i);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    char *table = esp_table();
    if (isakmp_ctx_load_keys_mem(ctx, "esp_sa", table, strlen(table), NULL, NULL) < 0)
        abort();   /* the harness's own table must load */
    g_free(table);
    char err[256];
    writer *w = writer_open("/dev/null", WRITER_PCAPNG, false, err, sizeof err);
    esp_run e;
    esp_run_init(&e, ctx, w);
    GString *words = g_string_new("");
    bool esn_seen[8] = { false };
    fz_reader r = { data, size };
    uint8_t sel;
    const uint8_t *msg;
    size_t len;
    for (uint32_t frame = 1; frame <= 64 && fz_next_record(&r, &sel, &msg, &len); frame++) {
        GByteArray *p = packet_of(sel, msg, len);
        run_frame(&e, words, esn_seen, frame, sel, is_sealed(sel, len), p);
        g_byte_array_free(p, TRUE);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(sas); i++) {
        isakmp_esp_sa_stats st;
        if (!isakmp_ctx_esp_sa_stats(ctx, i, &st))
            break;
    }
    g_string_free(words, TRUE);
    esp_run_clear(&e);
    if (w && writer_close(w, err, sizeof err) != 0)
        abort();
    isakmp_ctx_free(ctx);
    return 0;
}
