/* ML-KEM decapsulation (decoder/crypto/kem.c): with libgcrypt's gcry_kem
 * (1.11+), a key pair and an encapsulation made by libgcrypt decapsulate to
 * the same shared secret for ML-KEM-512/768/1024 (IKEv2 KE methods 35/36/37);
 * wrong sizes, other groups and a build without gcry_kem give false. */
#include <gcrypt.h>
#include <glib.h>
#include <string.h>

#include "crypto/kem.h"
#include "keying/derive_int.h"
#include "keys/secrets.h"
#include "testutil.h"

static void test_groups(void)
{
    g_assert_true(kem_is_mlkem(35) && kem_is_mlkem(36) && kem_is_mlkem(37));
    g_assert_false(kem_is_mlkem(31) || kem_is_mlkem(34) || kem_is_mlkem(38));
    uint8_t dk[2400] = { 0 }, ct[1088] = { 0 }, out[KEM_SHARED_LEN];
    g_assert_false(kem_decap(31, dk, 32, ct, 32, out));          /* not a KEM */
    g_assert_false(kem_decap(36, dk, 2399, ct, sizeof ct, out)); /* sizes of 768 */
    g_assert_false(kem_decap(36, dk, sizeof dk, ct, 1087, out));
    g_assert_false(kem_decap(35, dk, sizeof dk, ct, sizeof ct, out));
}

static void test_roundtrip(void)
{
#ifdef HAVE_GCRY_KEM
    static const struct { uint16_t group; int algo; size_t pk, sk, ct; } t[] = {
        { 35, GCRY_KEM_MLKEM512, 800, 1632, 768 },
        { 36, GCRY_KEM_MLKEM768, 1184, 2400, 1088 },
        { 37, GCRY_KEM_MLKEM1024, 1568, 3168, 1568 },
    };
    g_assert_true(kem_available());
    for (size_t i = 0; i < G_N_ELEMENTS(t); i++) {
        uint8_t pk[1568], sk[3168], ct[1568], ss[32], out[KEM_SHARED_LEN];
        g_assert_cmpint(gcry_kem_keypair(t[i].algo, pk, t[i].pk, sk, t[i].sk), ==, 0);
        g_assert_cmpint(gcry_kem_encap(t[i].algo, pk, t[i].pk, ct, t[i].ct, ss, 32, NULL, 0), ==, 0);
        g_assert_true(kem_decap(t[i].group, sk, t[i].sk, ct, t[i].ct, out));
        g_assert_cmpmem(out, 32, ss, 32);
        ct[5] ^= 1;   /* implicit rejection: another secret, no failure */
        g_assert_true(kem_decap(t[i].group, sk, t[i].sk, ct, t[i].ct, out));
        g_assert_true(memcmp(out, ss, 32) != 0);
    }
#else
    uint8_t dk[2400] = { 0 }, ct[1088] = { 0 }, out[KEM_SHARED_LEN];
    g_assert_false(kem_available());
    g_assert_false(kem_decap(36, dk, sizeof dk, ct, sizeof ct, out));
    g_test_message("libgcrypt without gcry_kem: decapsulation is not available");
#endif
}

/* IKEV2_KE_PRIVATE <spii|*> <n 0..7> <hex>: the key exchange number and the
 * decapsulation key's size are checked. */
static int n_entries;
static unsigned last_n;
static size_t last_len;
static void sink(void *user, const secret_entry *e)
{
    (void)user;
    n_entries++;
    last_n = e->ke_n;
    last_len = e->len;
}
static int n_errors;
static void on_error(void *user, const char *where, const char *reason)
{
    (void)where;
    (void)reason;
    (void)user;
    n_errors++;
}

static void test_secrets_line(void)
{
    GString *t = g_string_new("IKEV2_KE_PRIVATE 0102030405060708 1 ");
    for (int i = 0; i < 2400; i++)
        g_string_append(t, "ab");
    g_string_append(t, "\nIKEV2_KE_PRIVATE * 8 00\nIKEV2_ADDKE_SHARED * 0 00\nIKEV2_ADDKE_SHARED * 3 0011\n"
                       "IKEV2_KE_PRIVATE * 0 ");
    for (int i = 0; i < 1100; i++)
        g_string_append(t, "cd");
    g_string_append_c(t, '\n');
    n_entries = n_errors = 0;
    int n = secrets_parse(SECRETS_FILE, "t", t->str, t->len, sink, NULL, on_error, NULL);
    g_assert_cmpint(n, ==, 2);          /* the 2400-byte key and ADDKE 3 */
    g_assert_cmpint(n_errors, ==, 3);   /* KE 8, ADDKE 0, a 1100-byte value */
    g_assert_cmpuint(last_n, ==, 3);
    g_assert_cmpuint(last_len, ==, 2);
    g_string_free(t, TRUE);
}

/* The ML-KEM key choice (kem_pick_secret): a decapsulation key holds its
 * encapsulation key (FIPS 203 7.1: dk = dkPKE | ek | H(ek) | z), and only
 * the key holding the request's ek is used, whatever the order of the
 * candidates; a wrong key would still give a (wrong) secret, implicit
 * rejection.  Nothing matching: no secret, and why. */
static void append_hex(GString *t, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        g_string_append_printf(t, "%02x", p[i]);
}

static const uint8_t spi[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

/* Without libgcrypt: the ek found in a made-up ML-KEM-768 key (its ek at
 * 1152); with the build's gcry_kem, decapsulation is then tried. */
static void test_pick_ek(void)
{
    static uint8_t dk[2400], ek[1184];
    for (size_t i = 0; i < sizeof dk; i++)
        dk[i] = (uint8_t)(i * 7);
    memcpy(ek, dk + 1152, sizeof ek);
    g_assert_true(kem_dk_has_ek(36, dk, sizeof dk, ek, sizeof ek));
    g_assert_false(kem_dk_has_ek(36, dk, sizeof dk, ek, sizeof ek - 1));
    g_assert_false(kem_dk_has_ek(35, dk, sizeof dk, ek, sizeof ek));   /* ML-KEM-512's sizes */
    g_assert_false(kem_dk_has_ek(36, dk, sizeof dk, NULL, 0));
    ek[100] ^= 1;
    g_assert_false(kem_dk_has_ek(36, dk, sizeof dk, ek, sizeof ek));
    ek[100] ^= 1;
    GString *t = g_string_new("IKEV2_KE_PRIVATE * 2 ");
    append_hex(t, dk, sizeof dk);
    g_string_append_c(t, '\n');
    isakmp_ctx *ctx = isakmp_ctx_new();
    g_assert_cmpint(kdf_load_text(ctx, "t", t->str, t->len, NULL, NULL), ==, 1);
    struct kdf_ctx *kc = kdf_ctx_of(ctx);
    GByteArray *e = g_byte_array_new();
    g_byte_array_append(e, ek, sizeof ek);
    uint8_t ct[1088] = { 0 }, out[KEM_SHARED_LEN];
    g_assert_cmpint(kem_pick_secret(kc, spi, NULL, 1, 36, e, ct, sizeof ct, out), ==, KEM_PICK_NO_KEY);
    g_assert_cmpint(kem_pick_secret(kc, spi, NULL, 2, 36, NULL, ct, sizeof ct, out), ==, KEM_PICK_NO_EK);
    g_assert_cmpint(kem_pick_secret(kc, spi, NULL, 2, 36, e, ct, sizeof ct - 1, out), ==,
                    kem_available() ? KEM_PICK_FAILED : KEM_PICK_UNAVAILABLE);
    e->data[0] ^= 1;
    g_assert_cmpint(kem_pick_secret(kc, spi, NULL, 2, 36, e, ct, sizeof ct, out), ==, KEM_PICK_NO_MATCH);
    g_assert_nonnull(strstr(kem_pick_why(KEM_PICK_NO_MATCH), "encapsulation key"));
    g_byte_array_free(e, TRUE);
    isakmp_ctx_free(ctx);
    g_string_free(t, TRUE);
}

/* IKE_FOLLOWUP_KE 1 of a rekey with ML-KEM-768: three candidate keys for
 * it, the right one last ('*' key exchange); the first, a wrong key for
 * the same exchange, would decapsulate to another secret.  Then a
 * ciphertext for a key nobody gave: no secret, NO_MATCH. */
static void test_pick_followup(void)
{
#ifdef HAVE_GCRY_KEM
    static const uint8_t other[8] = { 9, 9, 9, 9, 9, 9, 9, 9 };
    static uint8_t pk[4][1184], sk[4][2400];
    uint8_t ct[1088], ss[32], out[KEM_SHARED_LEN], wrong[KEM_SHARED_LEN];
    for (int i = 0; i < 4; i++)
        g_assert_cmpint(gcry_kem_keypair(GCRY_KEM_MLKEM768, pk[i], 1184, sk[i], 2400), ==, 0);
    g_assert_true(kem_dk_has_ek(36, sk[2], 2400, pk[2], 1184));
    g_assert_false(kem_dk_has_ek(36, sk[0], 2400, pk[2], 1184));
    GString *t = g_string_new("IKEV2_KE_PRIVATE * 1 ");
    append_hex(t, sk[0], 2400);
    g_string_append(t, "\nIKEV2_KE_PRIVATE 0102030405060708 1 ");
    append_hex(t, sk[1], 2400);
    g_string_append(t, "\nIKEV2_KE_PRIVATE * * ");
    append_hex(t, sk[2], 2400);
    g_string_append_c(t, '\n');
    isakmp_ctx *ctx = isakmp_ctx_new();
    g_assert_cmpint(kdf_load_text(ctx, "t", t->str, t->len, NULL, NULL), ==, 3);
    struct kdf_ctx *kc = kdf_ctx_of(ctx);
    GByteArray *ek = g_byte_array_new();
    g_byte_array_append(ek, pk[2], 1184);
    g_assert_cmpint(gcry_kem_encap(GCRY_KEM_MLKEM768, pk[2], 1184, ct, sizeof ct, ss, 32, NULL, 0), ==, 0);
    /* what taking the first candidate gave: a secret, but not the peer's */
    g_assert_true(kem_decap(36, sk[0], 2400, ct, sizeof ct, wrong));
    g_assert_true(memcmp(wrong, ss, 32) != 0);
    g_assert_cmpint(kem_pick_secret(kc, spi, NULL, 1, 36, ek, ct, sizeof ct, out), ==, KEM_PICK_OK);
    g_assert_cmpmem(out, 32, ss, 32);
    /* the new IKE SA's SPI (spi2) or another number: the '*' key still fits */
    g_assert_cmpint(kem_pick_secret(kc, other, spi, 3, 36, ek, ct, sizeof ct, out), ==, KEM_PICK_OK);
    g_assert_cmpmem(out, 32, ss, 32);
    /* the right key is sk[1], bound to spi: another IKE SA does not get it */
    g_byte_array_set_size(ek, 0);
    g_byte_array_append(ek, pk[1], 1184);
    g_assert_cmpint(gcry_kem_encap(GCRY_KEM_MLKEM768, pk[1], 1184, ct, sizeof ct, ss, 32, NULL, 0), ==, 0);
    g_assert_cmpint(kem_pick_secret(kc, spi, NULL, 1, 36, ek, ct, sizeof ct, out), ==, KEM_PICK_OK);
    g_assert_cmpmem(out, 32, ss, 32);
    g_assert_cmpint(kem_pick_secret(kc, other, NULL, 1, 36, ek, ct, sizeof ct, out), ==, KEM_PICK_NO_MATCH);
    /* only wrong candidates: no secret */
    g_byte_array_set_size(ek, 0);
    g_byte_array_append(ek, pk[3], 1184);
    g_assert_cmpint(gcry_kem_encap(GCRY_KEM_MLKEM768, pk[3], 1184, ct, sizeof ct, ss, 32, NULL, 0), ==, 0);
    g_assert_cmpint(kem_pick_secret(kc, spi, NULL, 1, 36, ek, ct, sizeof ct, out), ==, KEM_PICK_NO_MATCH);
    g_byte_array_free(ek, TRUE);
    isakmp_ctx_free(ctx);
    g_string_free(t, TRUE);
#else
    g_test_skip("libgcrypt without gcry_kem: no ML-KEM key pairs to test with");
#endif
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/kem/groups", test_groups);
    g_test_add_func("/kem/mlkem-roundtrip", test_roundtrip);
    g_test_add_func("/kem/secrets-line", test_secrets_line);
    g_test_add_func("/kem/pick-ek", test_pick_ek);
    g_test_add_func("/kem/pick-followup", test_pick_followup);
    return g_test_run();
}
