/* IKEv1 IV rules (RFC 2409 Appendix B) end to end: a Main Mode exchange
 * negotiating AES-128 / SHA-1, then Quick Mode and Informational messages,
 * all encrypted here with IVs computed independently by the test:
 *   Phase 1 IV  = SHA1(g^xi | g^xr)[0..15]
 *   Phase 2 IV  = SHA1(last Phase 1 ciphertext block | M-ID)[0..15]
 *   then        = last ciphertext block of the previous message (per M-ID)
 * plus a retransmission (which breaks Wireshark's chain) and a wrong IV. */
#include <gcrypt.h>
#include <glib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "testutil.h"

static const uint8_t ick[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, rck[8] = { 9, 9, 9, 9, 9, 9, 9, 9 };
static const char *table = "0102030405060708,000102030405060708090a0b0c0d0e0f\n";

static GByteArray *hdr(bool resp_cookie, uint8_t next, uint8_t exch, uint8_t flags, uint32_t mid)
{
    GByteArray *b = g_byte_array_new();
    static const uint8_t zero[8];
    g_byte_array_append(b, ick, 8);
    g_byte_array_append(b, resp_cookie ? rck : zero, 8);
    uint8_t rest[12] = { next, 0x10, exch, flags, mid >> 24, mid >> 16, mid >> 8, mid };
    g_byte_array_append(b, rest, 12);
    return b;
}

static void send_free(tu_run *r, GByteArray *b, bool from_init)
{
    isakmp_msg_free(tu_send(r, b, from_init));
    g_byte_array_unref(b);
}

/* An encrypted message carrying one HASH payload (20 bytes of `fill`),
 * zero-padded to the block; *last gets its last ciphertext block. */
static GByteArray *encrypted(uint8_t exch, uint32_t mid, const uint8_t iv[16], uint8_t fill,
                             uint8_t last[16])
{
    GByteArray *b = hdr(true, 8, exch, 0x01, mid);
    uint8_t pt[32] = { 0, 0, 0, 24 };
    memset(pt + 4, fill, 20);
    const uint8_t key[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
    gcry_cipher_hd_t c;
    g_assert_cmpint(gcry_cipher_open(&c, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CBC, 0), ==, 0);
    gcry_cipher_setkey(c, key, 16);
    gcry_cipher_setiv(c, iv, 16);
    gcry_cipher_encrypt(c, pt, sizeof pt, NULL, 0);
    gcry_cipher_close(c);
    g_byte_array_append(b, pt, sizeof pt);
    memcpy(last, pt + 16, 16);
    tu_v1_fix_len(b);
    return b;
}

static void sha1_iv(const uint8_t *a, size_t an, const uint8_t *b, size_t bn, uint8_t iv[16])
{
    uint8_t h[20];
    gcry_md_hd_t md;
    gcry_md_open(&md, GCRY_MD_SHA1, 0);
    gcry_md_write(md, a, an);
    gcry_md_write(md, b, bn);
    memcpy(h, gcry_md_read(md, GCRY_MD_SHA1), 20);
    gcry_md_close(md);
    memcpy(iv, h, 16);
}

static void assert_hash(tu_run *r, GByteArray *b, bool from_init, const char *want)
{
    isakmp_msg *m = tu_send(r, b, from_init);
    char *v = tu_values(m, "ike.hash");
    g_assert_cmpstr(v, ==, want);
    g_free(v);
    isakmp_msg_free(m);
}

#define H20(x) x x x x x x x x x x x x x x x x x x x x

static void test_iv_rules(void)
{
    tu_run r = { isakmp_ctx_new(), 0 };
    g_assert_cmpint(isakmp_ctx_load_keys_mem(r.ctx, "t", table, strlen(table), NULL, NULL), ==, 1);
    GByteArray *b = hdr(false, 1, 2, 0, 0);   /* MM1, MM2: SA */
    tu_v1_sa_payload(b);
    tu_v1_fix_len(b);
    send_free(&r, b, true);
    b = hdr(true, 1, 2, 0, 0);
    tu_v1_sa_payload(b);
    tu_v1_fix_len(b);
    send_free(&r, b, false);
    b = hdr(true, 4, 2, 0, 0);                 /* MM3, MM4: KE */
    tu_v1_ke_payload(b, 0x11);
    tu_v1_fix_len(b);
    send_free(&r, b, true);
    b = hdr(true, 4, 2, 0, 0);
    tu_v1_ke_payload(b, 0x22);
    tu_v1_fix_len(b);
    send_free(&r, b, false);

    uint8_t gxi[64], gxr[64], iv[16], p1_last[16], last[16];
    memset(gxi, 0x11, 64);
    memset(gxr, 0x22, 64);
    sha1_iv(gxi, 64, gxr, 64, iv);                       /* MM5 */
    b = encrypted(2, 0, iv, 0x33, p1_last);
    assert_hash(&r, b, true, H20("33"));
    g_byte_array_unref(b);
    b = encrypted(2, 0, p1_last, 0x44, p1_last);          /* MM6: chained */
    assert_hash(&r, b, false, H20("44"));
    g_byte_array_unref(b);

    uint8_t mid[4] = { 0xde, 0xad, 0xbe, 0xef };
    sha1_iv(p1_last, 16, mid, 4, iv);                   /* QM1 */
    GByteArray *qm1 = encrypted(32, 0xdeadbeef, iv, 0x55, last);
    assert_hash(&r, qm1, true, H20("55"));
    assert_hash(&r, qm1, true, H20("55"));               /* retransmitted */
    b = encrypted(32, 0xdeadbeef, last, 0x66, last);     /* QM2: after QM1 */
    assert_hash(&r, b, false, H20("66"));
    g_byte_array_unref(b);
    b = encrypted(32, 0xdeadbeef, last, 0x77, last);     /* QM3 */
    assert_hash(&r, b, true, H20("77"));
    g_byte_array_unref(b);
    /* the exchange started again under the same M-ID (new content, the
     * M-ID's first IV): neither chained IV opens it, the fresh one does
     * (computed only when the chained ones fail) */
    uint8_t again[16];
    sha1_iv(p1_last, 16, mid, 4, again);
    b = encrypted(32, 0xdeadbeef, again, 0xaa, last);
    assert_hash(&r, b, true, H20("aa"));
    g_byte_array_unref(b);

    uint8_t mid2[4] = { 0, 0, 0, 5 };                    /* Informational: fresh M-ID */
    sha1_iv(p1_last, 16, mid2, 4, iv);
    b = encrypted(5, 5, iv, 0x88, last);
    assert_hash(&r, b, false, H20("88"));
    g_byte_array_unref(b);

    memset(iv, 0xee, 16);                                /* a wrong IV: a note, no payloads */
    b = encrypted(5, 6, iv, 0x99, last);
    isakmp_msg *m = tu_send(&r, b, true);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_DECRYPT), ==, 1);
    isakmp_msg_free(m);
    g_byte_array_unref(b);

    /* decoding QM1's first frame again uses the IV remembered for it */
    isakmp_packet pkt = { .data = qm1->data, .len = qm1->len, .frame = 7, .af = 4 };
    pkt.src[0] = 1;
    m = isakmp_decode(r.ctx, &pkt);
    char *v = tu_values(m, "ike.hash");
    g_assert_cmpstr(v, ==, H20("55"));
    g_free(v);
    isakmp_msg_free(m);
    g_byte_array_unref(qm1);
    isakmp_ctx_free(r.ctx);
}

/* Without the KE values there is no Phase 1 IV: the message stays encrypted. */
static void test_no_ke(void)
{
    tu_run r = { isakmp_ctx_new(), 0 };
    g_assert_cmpint(isakmp_ctx_load_keys_mem(r.ctx, "t", table, strlen(table), NULL, NULL), ==, 1);
    GByteArray *b = hdr(false, 1, 2, 0, 0);
    tu_v1_sa_payload(b);
    tu_v1_fix_len(b);
    send_free(&r, b, true);
    uint8_t iv[16] = { 0 }, last[16];
    b = encrypted(2, 0, iv, 0x33, last);
    isakmp_msg *m = tu_send(&r, b, true);
    char *v = tu_values(m, "ike.hash");
    g_assert_cmpstr(v, ==, "");
    g_free(v);
    isakmp_msg_free(m);
    g_byte_array_unref(b);
    isakmp_ctx_free(r.ctx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    crypto_init();
    g_test_add_func("/crypto-v1/iv-rules", test_iv_rules);
    g_test_add_func("/crypto-v1/no-ke", test_no_ke);
    return g_test_run();
}
