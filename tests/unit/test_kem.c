/* ML-KEM decapsulation (decoder/crypto/kem.c): with libgcrypt's gcry_kem
 * (1.11+), a key pair and an encapsulation made by libgcrypt decapsulate to
 * the same shared secret for ML-KEM-512/768/1024 (IKEv2 KE methods 35/36/37);
 * wrong sizes, other groups and a build without gcry_kem give false. */
#include <gcrypt.h>
#include <glib.h>
#include <string.h>

#include "crypto/kem.h"
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

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/kem/groups", test_groups);
    g_test_add_func("/kem/mlkem-roundtrip", test_roundtrip);
    g_test_add_func("/kem/secrets-line", test_secrets_line);
    return g_test_run();
}
