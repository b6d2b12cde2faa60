/* Diffie-Hellman: both sides agree in every group; RFC 5903 8 and RFC 7748
 * 6.1 / 6.2 known answers; bad public values are refused. */
#include <gcrypt.h>
#include <glib.h>
#include <string.h>

#include "keying/derive_int.h"
#include "crypto/dh.h"
#include "crypto/kdf.h"
#include "testutil.h"

static const int all_groups[] = { 1, 2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
                                  25, 26, 27, 28, 29, 30, 31, 32 };

/* A private value for the group: the full scalar for X25519 / X448, one byte
 * shorter than the field elsewhere (below every group order). */
static size_t make_priv(int group, uint8_t *buf)
{
    size_t n = (group == 31 || group == 32) ? dh_shared_len(group)
               : dh_shared_len(group) > 40 ? 40 : dh_shared_len(group) - 1;
    gcry_randomize(buf, n, GCRY_WEAK_RANDOM);
    buf[0] |= 1;
    return n;
}

/* g^a computed two ways: shared(a, g^b) == shared(b, g^a). */
static void test_agree(gconstpointer data)
{
    int group = GPOINTER_TO_INT(data);
    uint8_t a[64], b[64], pa[DH_MAX_LEN], pb[DH_MAX_LEN], s1[DH_MAX_LEN], s2[DH_MAX_LEN];
    size_t na = make_priv(group, a), nb = make_priv(group, b);
    size_t pl = dh_public_len(group), sl = dh_shared_len(group);
    g_assert_true(dh_supported(group));
    g_assert_true(dh_public(group, a, na, pa));
    g_assert_true(dh_public(group, b, nb, pb));
    g_assert_true(dh_shared(group, a, na, pb, pl, s1));
    g_assert_true(dh_shared(group, b, nb, pa, pl, s2));
    g_assert_cmpmem(s1, sl, s2, sl);
    g_assert_false(dh_shared(group, a, na, pb, pl - 1, s1));   /* wrong length */
}

static void check_vector(int group, const char *i, const char *gi, const char *gr,
                         const char *gir)
{
    size_t il, gil, grl, girl;
    uint8_t *pi = tu_hex(i, &il), *pgi = tu_hex(gi, &gil), *pgr = tu_hex(gr, &grl),
            *pgir = tu_hex(gir, &girl);
    uint8_t out[DH_MAX_LEN];
    g_assert_true(dh_public(group, pi, il, out));
    g_assert_cmpmem(out, dh_public_len(group), pgi, gil);
    g_assert_true(dh_shared(group, pi, il, pgr, grl, out));
    g_assert_cmpmem(out, dh_shared_len(group), pgir, girl);
    g_free(pi); g_free(pgi); g_free(pgr); g_free(pgir);
}

/* RFC 5903 8.1 and 8.2. */
static void test_rfc5903(void)
{
    check_vector(19, "C88F01F5 10D9AC3F 70A292DA A2316DE5 44E9AAB8 AFE84049 C62A9C57 862D1433",
                 "DAD0B653 94221CF9 B051E1FE CA5787D0 98DFE637 FC90B9EF 945D0C37 72581180"
                 "5271A046 1CDB8252 D61F1C45 6FA3E59A B1F45B33 ACCF5F58 389E0577 B8990BB3",
                 "D12DFB52 89C8D4F8 1208B702 70398C34 2296970A 0BCCB74C 736FC755 4494BF63"
                 "56FBF3CA 366CC23E 8157854C 13C58D6A AC23F046 ADA30F83 53E74F33 039872AB",
                 "D6840F6B 42F6EDAF D13116E0 E1256520 2FEF8E9E CE7DCE03 812464D0 4B9442DE");
    check_vector(20, "099F3C70 34D4A2C6 99884D73 A375A67F 7624EF7C 6B3C0F16 0647B674 14DCE655"
                     "E35B5380 41E649EE 3FAEF896 783AB194",
                 "667842D7 D180AC2C DE6F74F3 7551F557 55C7645C 20EF73E3 1634FE72 B4C55EE6"
                 "DE3AC808 ACB4BDB4 C88732AE E95F41AA"
                 "9482ED1F C0EEB9CA FC498462 5CCFC23F 65032149 E0E144AD A0241815 35A0F38E"
                 "EB9FCFF3 C2C947DA E69B4C63 4573A81C",
                 "E558DBEF 53EECDE3 D3FCCFC1 AEA08A89 A987475D 12FD950D 83CFA417 32BC509D"
                 "0D1AC43A 0336DEF9 6FDA41D0 774A3571"
                 "DCFBEC7A ACF31964 72169E83 8430367F 66EEBE3C 6E70C416 DD5F0C68 759DD1FF"
                 "F83FA401 42209DFF 5EAAD96D B9E6386C",
                 "11187331 C279962D 93D60424 3FD592CB 9D0A926F 422E4718 7521287E 7156C5C4"
                 "D6031355 69B9E9D0 9CF5D4A2 70F59746");
}

/* RFC 7748 6.1 (X25519) and 6.2 (X448), Alice's side. */
static void test_rfc7748(void)
{
    check_vector(31, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
                 "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
                 "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
                 "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
    check_vector(32,
                 "9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28dd9c9baf5"
                 "74a9419744897391006382a6f127ab1d9ac2d8c0a598726b",
                 "9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bb"
                 "c836647241d953d40c5b12da88120d53177f80e532c41fa0",
                 "3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972"
                 "fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609",
                 "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56"
                 "fd2464c335543936521c24403085d59a449a5037514a879d");
}

/* Public values outside the group are refused, never crash. */
static void test_bad_public(void)
{
    uint8_t x[32], y[DH_MAX_LEN], out[DH_MAX_LEN];
    memset(x, 0x42, sizeof x);
    memset(y, 0, sizeof y);
    y[255] = 1;                                         /* y = 1 */
    g_assert_false(dh_shared(14, x, 32, y, 256, out));
    memset(y, 0xff, 256);                               /* y > p */
    g_assert_false(dh_shared(14, x, 32, y, 256, out));
    memset(y, 0xaa, 64);                                /* not on P-256 */
    g_assert_false(dh_shared(19, x, 32, y, 64, out));
    memset(y, 0, 32);                                   /* X25519 low order */
    g_assert_false(dh_shared(31, x, 32, y, 32, out));
    g_assert_false(dh_shared(99, x, 32, y, 32, out));   /* unknown group */
    g_assert_false(dh_supported(3));
    g_assert_false(dh_public(14, x, 0, out));           /* empty private value */
    /* issue 18: private values longer than the group's size are refused */
    uint8_t big[DH_MAX_LEN];
    memset(big, 0x01, sizeof big);
    g_assert_true(dh_public(14, big, 256, out));        /* 2048-bit group: 256 bytes */
    g_assert_false(dh_public(14, big, 257, out));
    g_assert_false(dh_public(14, big, sizeof big, out));
    g_assert_false(dh_public(19, big, 33, out));        /* P-256: 32 bytes */
}

/* A private value from a secrets file, whichever side's, gives g^xy with
 * the other KE payload (derive.c). */
static void test_private_either_side(void)
{
    uint8_t a[32], b[32], pa[64], pb[64], want[32], got[DH_MAX_LEN];
    memset(a, 0x11, sizeof a);
    memset(b, 0x22, sizeof b);
    g_assert_true(dh_public(19, a, 32, pa) && dh_public(19, b, 32, pb));
    g_assert_true(dh_shared(19, a, 32, pb, 64, want));
    GByteArray *kei = g_byte_array_new(), *ker = g_byte_array_new();
    g_byte_array_append(kei, pa, 64);
    g_byte_array_append(ker, pb, 64);
    const char *texts[2] = {
        "IKEV2_DH_PRIVATE * 1111111111111111111111111111111111111111111111111111111111111111\n",
        "IKEV2_DH_PRIVATE 0102030405060708 2222222222222222222222222222222222222222222222222222222222222222\n",
    };
    const uint8_t spi[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    for (int i = 0; i < 2; i++) {
        isakmp_ctx *ctx = isakmp_ctx_new();
        g_assert_cmpint(kdf_load_text(ctx, "t", texts[i], strlen(texts[i]), NULL, NULL), ==, 1);
        size_t n = dh_secret(kdf_ctx_of(ctx), (secret_kind)0, SEC_V2_DH_PRIVATE, spi, -1, 19, kei,
                             ker, got);
        g_assert_cmpuint(n, ==, 32);
        g_assert_cmpmem(got, 32, want, 32);
        isakmp_ctx_free(ctx);
    }
    g_byte_array_free(kei, TRUE);
    g_byte_array_free(ker, TRUE);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    kdf_crypto_init();
    for (size_t i = 0; i < G_N_ELEMENTS(all_groups); i++) {
        char name[32];
        g_snprintf(name, sizeof name, "/dh/agree/%d", all_groups[i]);
        g_test_add_data_func(name, GINT_TO_POINTER(all_groups[i]), test_agree);
    }
    g_test_add_func("/dh/rfc5903", test_rfc5903);
    g_test_add_func("/dh/rfc7748", test_rfc7748);
    g_test_add_func("/dh/bad_public", test_bad_public);
    g_test_add_func("/dh/private_either_side", test_private_either_side);
    return g_test_run();
}
