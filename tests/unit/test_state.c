/* The SA table's bound (state.c, docs/limits.md): more SAs than the limit
 * go through one context; the least recently used are dropped with a LIMIT
 * note, nothing crashes, and the most recent SAs still decrypt.  Each SA is
 * an IKEv1 Main Mode negotiating AES-128 / SHA-1 (RFC 2409), its fifth
 * message encrypted here with the Phase 1 IV SHA1(g^xi | g^xr)[0..15]
 * (RFC 2409 Appendix B) computed independently by the test. */
#include <gcrypt.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "crypto/crypto.h"
#include "keying/derive_int.h"
#include "state/state.h"
#include "testutil.h"

#define NSA 20

static const uint8_t key[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };

static void cookie(int sa, uint8_t out[8])
{
    static const uint8_t base[8] = { 1, 2, 3, 4, 5, 6, 7, 0 };
    memcpy(out, base, 8);
    out[7] = (uint8_t)(sa + 1);
}

/* ikev1_decryption_table lines for SAs 0 .. NSA-1, all with `key`. */
static char *key_table(void)
{
    GString *s = g_string_new(NULL);
    for (int i = 0; i < NSA; i++) {
        uint8_t c[8];
        cookie(i, c);
        for (int j = 0; j < 8; j++)
            g_string_append_printf(s, "%02x", c[j]);
        g_string_append_c(s, ',');
        for (int j = 0; j < 16; j++)
            g_string_append_printf(s, "%02x", key[j]);
        g_string_append_c(s, '\n');
    }
    return g_string_free(s, FALSE);
}

static GByteArray *hdr(int sa, bool resp_cookie, uint8_t next, uint8_t exch, uint8_t flags)
{
    GByteArray *b = g_byte_array_new();
    static const uint8_t zero[8], rck[8] = { 9, 9, 9, 9, 9, 9, 9, 9 };
    uint8_t ick[8];
    cookie(sa, ick);
    g_byte_array_append(b, ick, 8);
    g_byte_array_append(b, resp_cookie ? rck : zero, 8);
    uint8_t rest[12] = { next, 0x10, exch, flags, 0, 0, 0, 0 };
    g_byte_array_append(b, rest, 12);
    return b;
}

/* Sends b; returns the number of LIMIT notes of the message. */
static size_t send_free(tu_run *r, GByteArray *b, bool from_init)
{
    isakmp_msg *m = tu_send(r, b, from_init);
    size_t n = tu_note_count(m, ISAKMP_NOTE_LIMIT);
    if (n)
        g_assert_nonnull(strstr(tu_note_text(m, ISAKMP_NOTE_LIMIT), "SA table full"));
    isakmp_msg_free(m);
    g_byte_array_unref(b);
    return n;
}

/* MM1 .. MM4 of SA `sa` (clear: SA, SA, KE 0x11.., KE 0x22..); LIMIT notes seen. */
static size_t phase1_clear(tu_run *r, int sa)
{
    size_t notes = 0;
    for (int i = 0; i < 2; i++) {
        GByteArray *b = hdr(sa, i == 1, 1, 2, 0);
        tu_v1_sa_payload(b);
        tu_v1_fix_len(b);
        notes += send_free(r, b, i == 0);
    }
    for (int i = 0; i < 2; i++) {
        GByteArray *b = hdr(sa, true, 4, 2, 0);
        tu_v1_ke_payload(b, i == 0 ? 0x11 : 0x22);
        tu_v1_fix_len(b);
        notes += send_free(r, b, i == 0);
    }
    return notes;
}

/* MM5 of SA `sa`: one HASH payload of 20 bytes `fill`, AES-128-CBC. */
static GByteArray *mm5(int sa, uint8_t fill)
{
    uint8_t gxi[64], gxr[64], iv[20];
    memset(gxi, 0x11, 64);
    memset(gxr, 0x22, 64);
    gcry_md_hd_t md;
    gcry_md_open(&md, GCRY_MD_SHA1, 0);
    gcry_md_write(md, gxi, 64);
    gcry_md_write(md, gxr, 64);
    memcpy(iv, gcry_md_read(md, GCRY_MD_SHA1), 20);
    gcry_md_close(md);
    GByteArray *b = hdr(sa, true, 8, 2, 0x01);
    uint8_t pt[32] = { 0, 0, 0, 24 };
    memset(pt + 4, fill, 20);
    gcry_cipher_hd_t c;
    g_assert_cmpint(gcry_cipher_open(&c, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CBC, 0), ==, 0);
    gcry_cipher_setkey(c, key, 16);
    gcry_cipher_setiv(c, iv, 16);
    gcry_cipher_encrypt(c, pt, sizeof pt, NULL, 0);
    gcry_cipher_close(c);
    g_byte_array_append(b, pt, sizeof pt);
    tu_v1_fix_len(b);
    return b;
}

/* Whether MM5 of `sa` decrypts (its HASH payload shows the plaintext). */
static bool mm5_decrypts(tu_run *r, int sa)
{
    GByteArray *b = mm5(sa, (uint8_t)(0x30 + sa));
    isakmp_msg *m = tu_send(r, b, true);
    char *v = tu_values(m, "ike.hash");
    char want[41];
    for (int i = 0; i < 20; i++)
        snprintf(want + 2 * i, 3, "%02x", 0x30 + sa);
    bool ok = strcmp(v, want) == 0;
    g_assert_true(ok || strcmp(v, "") == 0);   /* decrypted right, or not at all */
    g_free(v);
    isakmp_msg_free(m);
    g_byte_array_unref(b);
    return ok;
}

static tu_run new_run(size_t limit)
{
    tu_run r = { isakmp_ctx_new(), 0 };
    char *t = key_table();
    g_assert_cmpint(isakmp_ctx_load_keys_mem(r.ctx, "t", t, strlen(t), NULL, NULL), ==, NSA);
    g_free(t);
    if (limit != (size_t)-1)
        isakmp_ctx_set_sa_limit(r.ctx, limit);
    return r;
}

/* 20 SAs through a table of 8: the 12 oldest are dropped, one note each,
 * on the message that made room; the 8 most recent still decrypt. */
static void test_eviction(void)
{
    tu_run r = new_run(8);
    size_t notes = 0;
    for (int i = 0; i < NSA; i++) {
        size_t n = phase1_clear(&r, i);
        g_assert_cmpuint(n, ==, i < 8 ? 0 : 1);
        notes += n;
    }
    g_assert_cmpuint(notes, ==, NSA - 8);
    g_assert_cmpuint(g_hash_table_size(r.ctx->sas), ==, 8);
    for (int i = NSA - 8; i < NSA; i++)
        g_assert_true(mm5_decrypts(&r, i));
    for (int i = 0; i < NSA - 8; i++)   /* their KE values are gone: no IV */
        g_assert_false(mm5_decrypts(&r, i));
    g_assert_cmpuint(g_hash_table_size(r.ctx->sas), ==, 8);
    isakmp_ctx_free(r.ctx);
}

/* Using an SA makes it the most recent: SA 0, used again before each new
 * SA, survives while the others come and go. */
static void test_lru_order(void)
{
    tu_run r = new_run(4);
    phase1_clear(&r, 0);
    for (int i = 1; i < NSA; i++) {
        GByteArray *b = hdr(0, true, 4, 2, 0);   /* a retransmitted MM4 of SA 0 */
        tu_v1_ke_payload(b, 0x22);
        tu_v1_fix_len(b);
        g_assert_cmpuint(send_free(&r, b, false), ==, 0);
        phase1_clear(&r, i);
    }
    g_assert_true(mm5_decrypts(&r, 0));
    g_assert_true(mm5_decrypts(&r, NSA - 1));
    g_assert_false(mm5_decrypts(&r, 1));
    isakmp_ctx_free(r.ctx);
}

/* The default (4096) and no limit (0) keep all 20. */
static void test_default_and_unlimited(void)
{
    for (int pass = 0; pass < 2; pass++) {
        tu_run r = new_run(pass ? 0 : (size_t)-1);
        for (int i = 0; i < NSA; i++)
            g_assert_cmpuint(phase1_clear(&r, i), ==, 0);
        for (int i = 0; i < NSA; i++)
            g_assert_true(mm5_decrypts(&r, i));
        isakmp_ctx_free(r.ctx);
    }
}

/* Lowering the limit drops the extra SAs at once; 1 means 2. */
static void test_shrink(void)
{
    tu_run r = new_run((size_t)-1);
    for (int i = 0; i < NSA; i++)
        phase1_clear(&r, i);
    isakmp_ctx_set_sa_limit(r.ctx, 1);
    g_assert_cmpuint(g_hash_table_size(r.ctx->sas), ==, 2);
    g_assert_cmpuint(r.ctx->sa_lru.length, ==, 2);
    g_assert_true(mm5_decrypts(&r, NSA - 1));
    g_assert_true(mm5_decrypts(&r, NSA - 2));
    g_assert_false(mm5_decrypts(&r, 0));
    isakmp_ctx_free(r.ctx);
}

/* What derive*.c keeps per SA (here: Aggressive Mode, followed for
 * psk-crack without secrets) goes with the SA. */
static void test_derive_goes_along(void)
{
    tu_run r = new_run(5);
    for (int i = 0; i < NSA; i++) {
        GByteArray *b = hdr(i, false, 1, 4, 0);   /* Aggressive Mode: SA, KE */
        tu_v1_sa_payload(b);
        b->data[28] = 4;
        tu_v1_ke_payload(b, 0x11);
        tu_v1_fix_len(b);
        send_free(&r, b, true);
    }
    g_assert_nonnull(r.ctx->kdf);
    g_assert_cmpuint(g_hash_table_size(r.ctx->kdf->v1), <=, 5);
    g_assert_cmpuint(g_hash_table_size(r.ctx->sas), ==, 5);
    isakmp_ctx_free(r.ctx);
}

/* Without per-frame records a single pass decrypts the same, keeping none. */
static void test_no_frame_records(void)
{
    tu_run r = new_run((size_t)-1);
    isakmp_ctx_set_frame_records(r.ctx, false);
    for (int i = 0; i < 3; i++) {
        phase1_clear(&r, i);
        g_assert_true(mm5_decrypts(&r, i));
    }
    g_assert_cmpuint(g_hash_table_size(r.ctx->frames), ==, 0);
    isakmp_ctx_set_frame_records(r.ctx, true);
    phase1_clear(&r, 3);
    g_assert_true(mm5_decrypts(&r, 3));
    g_assert_cmpuint(g_hash_table_size(r.ctx->frames), ==, 1);
    isakmp_ctx_free(r.ctx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    crypto_init();
    g_test_add_func("/state/eviction", test_eviction);
    g_test_add_func("/state/lru_order", test_lru_order);
    g_test_add_func("/state/default_and_unlimited", test_default_and_unlimited);
    g_test_add_func("/state/shrink", test_shrink);
    g_test_add_func("/state/derive_goes_along", test_derive_goes_along);
    g_test_add_func("/state/no_frame_records", test_no_frame_records);
    return g_test_run();
}
