/* Known-answer tests for the crypto primitives (vectors from the RFCs named
 * beside each case; the CCM vectors were computed with Python's
 * `cryptography` AESCCM, an independent implementation). */
#include <gcrypt.h>
#include <glib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "testutil.h"

static void assert_hex(const uint8_t *p, size_t n, const char *hex)
{
    GString *s = g_string_new(NULL);
    for (size_t i = 0; i < n; i++)
        g_string_append_printf(s, "%02x", p[i]);
    g_assert_cmpstr(s->str, ==, hex);
    g_string_free(s, TRUE);
}

/* Decrypts `ct` (hex) with the named cipher and checks plaintext and tag. */
static void check_decrypt(const char *alg, const char *key, const char *iv, const char *aad,
                          const char *ct, const char *tag, const char *pt, bool want_tag)
{
    size_t kl, il, al, cl, tl, pl;
    uint8_t *k = tu_hex(key, &kl), *i = tu_hex(iv, &il), *a = tu_hex(aad, &al);
    uint8_t *c = tu_hex(ct, &cl), *t = tu_hex(tag, &tl), *p = tu_hex(pt, &pl);
    const cipher_alg *ca = cipher_by_name(alg, kl);
    g_assert_nonnull(ca);
    g_assert_cmpuint(ca->key_len + ca->salt_len, ==, kl);
    uint8_t *out = g_malloc(cl + 1);
    bool ok = false;
    g_assert_true(crypto_decrypt(ca, k, i, a, al, c, cl, out, t, &ok));
    g_assert_cmpmem(out, cl, p, pl);
    g_assert_true(ok == want_tag);
    g_free(k); g_free(i); g_free(a); g_free(c); g_free(t); g_free(p); g_free(out);
}

/* RFC 3602 4, case #1. */
static void test_aes_cbc(void)
{
    check_decrypt("AES-CBC-128 [RFC3602]", "06a9214036b8a15b512e03d534120006",
                  "3dafba429d9eb430b422da802c9fac41", "", "e353779c1079aeb82708942dbe77181a", "",
                  "53696e676c6520626c6f636b206d7367", false);
}

/* RFC 3686 6, test vector #1 (key || nonce). */
static void test_aes_ctr(void)
{
    check_decrypt("AES-CTR-128 [RFC5930]", "ae6852f8121067cc4bf7a5765577f39e00000030",
                  "0000000000000000", "", "e4095d4fb7a7b3792d6175a3261311b8", "",
                  "53696e676c6520626c6f636b206d7367", false);
}

#define GCM_P "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72" \
              "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
#define GCM_C "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e" \
              "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985"

/* The GCM spec's test case 3 (RFC 4106 uses salt | IV as the nonce). */
static void test_aes_gcm(void)
{
    const char *key = "feffe9928665731c6d6a8f9467308308" "cafebabe";
    check_decrypt("AES-GCM-128 with 16 octet ICV [RFC5282]", key, "facedbaddecaf888", "", GCM_C,
                  "4d5c2af327cd64a62cf35abd2ba6fab4", GCM_P, true);
    check_decrypt("AES-GCM-128 with 8 octet ICV [RFC5282]", key, "facedbaddecaf888", "", GCM_C,
                  "4d5c2af327cd64a6", GCM_P, true);
    check_decrypt("AES-GCM-128 with 12 octet ICV [RFC5282]", key, "facedbaddecaf888", "", GCM_C,
                  "4d5c2af327cd64a62cf35abd", GCM_P, true);
    /* a wrong tag still decrypts, and says so */
    check_decrypt("AES-GCM-128 with 16 octet ICV [RFC5282]", key, "facedbaddecaf888", "", GCM_C,
                  "4d5c2af327cd64a62cf35abd2ba6fab5", GCM_P, false);
}

static void test_aes_ccm(void)
{
    const char *key = "404142434445464748494a4b4c4d4e4f" "101112";
    const char *ct = "8f7383277dbf33f8272e9529c4fec328cfa3";
    const char *pt = "202122232425262728292a2b2c2d2e2f3031";
    check_decrypt("AES-CCM-128 with 8 octet ICV [RFC5282]", key, "2021222324252627",
                  "0001020304050607", ct, "fe32acf13272da07", pt, true);
    check_decrypt("AES-CCM-128 with 12 octet ICV [RFC5282]", key, "2021222324252627",
                  "0001020304050607", ct, "a8512e4300dc4859ac2a8be0", pt, true);
    check_decrypt("AES-CCM-128 with 16 octet ICV [RFC5282]", key, "2021222324252627",
                  "0001020304050607", ct, "890ffff57a9d1150a3f812c397251145", pt, true);
    check_decrypt("AES-CCM-128 with 16 octet ICV [RFC5282]", key, "2021222324252627",
                  "0001020304050608", ct, "890ffff57a9d1150a3f812c397251145", pt, false);
}

/* RFC 8439 2.8.2 (the nonce's first 4 bytes are RFC 7634's salt). */
static void test_chacha20_poly1305(void)
{
    check_decrypt("ENCR_CHACHA20_POLY1305",
                  "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f" "07000000",
                  "4041424344454647", "50515253c0c1c2c3c4c5c6c7",
                  "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                  "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                  "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                  "3ff4def08e4b7a9de576d26586cec64b6116",
                  "1ae10b594f09e26a7e902ecbd0600691",
                  "4c616469657320616e642047656e746c656d656e206f662074686520636c6173"
                  "73206f66202739393a204966204920636f756c64206f6666657220796f75206f"
                  "6e6c79206f6e652074697020666f7220746865206675747572652c2073756e73"
                  "637265656e20776f756c642062652069742e", true);
}

/* RFC 3713 Appendix A (one block, so CBC with a zero IV is ECB). */
static void test_camellia(void)
{
    check_decrypt("ENCR_CAMELLIA_CBC", "0123456789abcdeffedcba9876543210",
                  "00000000000000000000000000000000", "", "67673138549669730857065648eabe43", "",
                  "0123456789abcdeffedcba9876543210", false);
}

static void test_null(void)
{
    check_decrypt("NULL [RFC2410]", "", "", "", "0102", "", "0102", false);
}

/* RFC 3566 4.6, test cases #1..#6. */
static void test_xcbc(void)
{
    static const struct { size_t len; const char *mac; } tc[] = {
        { 0, "75f0251d528ac01c4573dfd584d79f29" }, { 3, "5b376580ae2f19afe7219ceef172756f" },
        { 16, "d2a246fa349b68a79998a4394ff7a263" }, { 20, "47f51b4564966215b8985c63055ed308" },
        { 32, "f54f0ec8d2b9f3d36807734bd5283fd4" }, { 34, "becbb3bccdb518a30677d5481fb6b4d8" },
    };
    uint8_t key[16], msg[34], out[16];
    for (int i = 0; i < 16; i++)
        key[i] = (uint8_t)i;
    for (int i = 0; i < 34; i++)
        msg[i] = (uint8_t)i;
    for (size_t i = 0; i < G_N_ELEMENTS(tc); i++) {
        g_assert_true(crypto_aes_xcbc(key, msg, tc[i].len, out));
        assert_hex(out, 16, tc[i].mac);
    }
    /* AES-XCBC-96 through the integrity table: the first 12 bytes */
    const integ_alg *ia = integ_by_name("AUTH_AES_XCBC_96");
    g_assert_nonnull(ia);
    g_assert_true(crypto_integ(ia, key, 16, msg, 3, out));
    assert_hex(out, 12, "5b376580ae2f19afe7219cee");
}

/* RFC 4493 4, examples 1 and 2; AES-CMAC-96 is the first 12 bytes (RFC 4494). */
static void test_cmac(void)
{
    size_t kl, ml;
    uint8_t *k = tu_hex("2b7e151628aed2a6abf7158809cf4f3c", &kl);
    uint8_t *m = tu_hex("6bc1bee22e409f96e93d7e117393172a", &ml);
    uint8_t out[16];
    g_assert_true(crypto_aes_cmac(k, kl, m, 0, out));
    assert_hex(out, 16, "bb1d6929e95937287fa37d129b756746");
    g_assert_true(crypto_aes_cmac(k, kl, m, ml, out));
    assert_hex(out, 16, "070a16b46b4d4144f79bdd9dd04a287c");
    const integ_alg *ia = integ_by_name("AUTH_AES_CMAC_96");
    g_assert_true(crypto_integ(ia, k, kl, m, ml, out));
    assert_hex(out, 12, "070a16b46b4d4144f79bdd9d");
    g_free(k);
    g_free(m);
}

/* RFC 4231 test cases 1 and 2, RFC 2202 test case 1; truncation per RFC 4868. */
static void test_hmac(void)
{
    uint8_t k20[20], out[64];
    memset(k20, 0x0b, sizeof k20);
    const uint8_t *hi = (const uint8_t *)"Hi There";
    g_assert_true(crypto_hmac(GCRY_MD_SHA256, k20, 20, hi, 8, out, 32));
    assert_hex(out, 32, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    g_assert_true(crypto_hmac(GCRY_MD_SHA384, k20, 20, hi, 8, out, 48));
    assert_hex(out, 48, "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
                        "faea9ea9076ede7f4af152e8b2fa9cb6");
    g_assert_true(crypto_hmac(GCRY_MD_SHA512, k20, 20, hi, 8, out, 64));
    assert_hex(out, 64, "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
                        "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854");
    g_assert_true(crypto_hmac(GCRY_MD_SHA256, (const uint8_t *)"Jefe", 4,
                              (const uint8_t *)"what do ya want for nothing?", 28, out, 32));
    assert_hex(out, 32, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    g_assert_true(crypto_hmac(GCRY_MD_MD5, k20, 16, hi, 8, out, 16));
    assert_hex(out, 16, "9294727a3638bb1c13f48ef8158bfc9d");
    g_assert_true(crypto_hmac(GCRY_MD_SHA1, k20, 20, hi, 8, out, 20));
    assert_hex(out, 20, "b617318655057264e28bc0b6fb378c8ef146be00");
    const struct { const char *name; const char *icv; } trunc[] = {
        { "HMAC_SHA2_256_128 [RFC4868]", "b0344c61d8db38535ca8afceaf0bf12b" },
        { "AUTH_HMAC_SHA2_384_192", "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec6" },
        { "HMAC_SHA2_512_256 [RFC4868]",
          "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde" },
        { "HMAC_SHA1_96 [RFC2404]", "b617318655057264e28bc0b6" },
        { "HMAC_SHA1_160 [RFC4595]", "b617318655057264e28bc0b6fb378c8ef146be00" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(trunc); i++) {
        const integ_alg *ia = integ_by_name(trunc[i].name);
        g_assert_nonnull(ia);
        g_assert_true(crypto_integ(ia, k20, 20, hi, 8, out));
        assert_hex(out, ia->icv_len, trunc[i].icv);
    }
}

/* Wireshark's names and the IANA names find the same rows. */
static void test_names(void)
{
    g_assert_true(cipher_by_name("ENCR_AES_CBC", 32) == cipher_by_name("AES-CBC-256 [RFC3602]", 0));
    g_assert_true(cipher_by_name("AES_GCM_16", 36) ==
                  cipher_by_name("AES-GCM-256 with 16 octet ICV [RFC5282]", 0));
    g_assert_true(cipher_by_name("ENCR_AES_CCM_12", 19) ==
                  cipher_by_name("AES-CCM-128 with 12 octet ICV [RFC5282]", 0));
    g_assert_null(cipher_by_name("ENCR_AES_CBC", 17));
    g_assert_null(cipher_by_name("ROT13", 0));
    g_assert_true(integ_by_name("AUTH_HMAC_SHA2_256_128") ==
                  integ_by_name("HMAC_SHA2_256_128 [RFC4868]"));
    g_assert_cmpuint(integ_by_name("ANY 96-bits of Authentication [No Checking]")->icv_len, ==, 12);
    /* Wireshark 4.0 and 4.4 (the same names), without the RFC suffix, IANA,
     * strongSwan proposal keywords and Wireshark's esp_sa names */
    static const struct {
        const char *name;
        size_t key_bytes;
        const char *want;
    } ciphers[] = {
        { "AES-CBC-128 [RFC3602]", 0, "AES-CBC-128 [RFC3602]" },
        { "AES-CBC-128", 0, "AES-CBC-128 [RFC3602]" },
        { "aes-cbc-256", 0, "AES-CBC-256 [RFC3602]" },
        { "AES-GCM-256 with 16 octet ICV", 0, "AES-GCM-256 with 16 octet ICV [RFC5282]" },
        { "ENCR_AES_CBC", 24, "AES-CBC-192 [RFC3602]" },
        { "ENCR_CHACHA20_POLY1305", 36, "CHACHA20-POLY1305 [RFC7634]" },
        { "ENCR_CAMELLIA_CBC", 32, "CAMELLIA-CBC-256 [RFC5529]" },
        { "aes128", 16, "AES-CBC-128 [RFC3602]" },
        { "aes256", 32, "AES-CBC-256 [RFC3602]" },
        { "aes", 32, "AES-CBC-256 [RFC3602]" },
        { "aes192ctr", 28, "AES-CTR-192 [RFC5930]" },
        { "aes256gcm16", 36, "AES-GCM-256 with 16 octet ICV [RFC5282]" },
        { "aes128gcm128", 20, "AES-GCM-128 with 16 octet ICV [RFC5282]" },
        { "aes128gcm8", 20, "AES-GCM-128 with 8 octet ICV [RFC5282]" },
        { "aes128ccm12", 19, "AES-CCM-128 with 12 octet ICV [RFC5282]" },
        { "aes256ccm96", 35, "AES-CCM-256 with 12 octet ICV [RFC5282]" },
        { "3des", 24, "3DES [RFC2451]" },
        { "chacha20poly1305", 36, "CHACHA20-POLY1305 [RFC7634]" },
        { "camellia128", 16, "CAMELLIA-CBC-128 [RFC5529]" },
        { "null", 0, "NULL [RFC2410]" },
        { "AES-CBC [RFC3602]", 32, "AES-CBC-256 [RFC3602]" },
        { "TripleDES-CBC [RFC2451]", 24, "3DES [RFC2451]" },
        { "AES-GCM with 16 octet ICV [RFC4106]", 20, "AES-GCM-128 with 16 octet ICV [RFC5282]" },
        { "aes512", 64, NULL },
        { "aes128gcm7", 20, NULL },
        { "aes", 17, NULL },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(ciphers); i++) {
        const cipher_alg *a = cipher_by_name(ciphers[i].name, ciphers[i].key_bytes);
        g_assert_cmpstr(a ? a->ws_name : NULL, ==, ciphers[i].want);
    }
    static const struct {
        const char *name, *want;
    } integs[] = {
        { "HMAC_SHA2_256_128 [RFC4868]", "HMAC_SHA2_256_128 [RFC4868]" },
        { "HMAC_SHA2_256_128", "HMAC_SHA2_256_128 [RFC4868]" },
        { "AUTH_HMAC_SHA1_96", "HMAC_SHA1_96 [RFC2404]" },
        { "ANY 128-bits of Authentication", "ANY 128-bits of Authentication [No Checking]" },
        { "sha1", "HMAC_SHA1_96 [RFC2404]" }, { "sha256", "HMAC_SHA2_256_128 [RFC4868]" },
        { "sha2_384", "HMAC_SHA2_384_192 [RFC4868]" }, { "sha512", "HMAC_SHA2_512_256 [RFC4868]" },
        { "md5", "HMAC_MD5_96 [RFC2403]" }, { "aesxcbc", "AES-XCBC-96 [RFC3566]" },
        { "aescmac", "AES-CMAC-96 [RFC4494]" }, { "none", "NONE [RFC4306]" },
        { "NULL", "NONE [RFC4306]" },
        { "HMAC-SHA-256-128 [RFC4868]", "HMAC_SHA2_256_128 [RFC4868]" },
        { "HMAC-SHA-1-96", "HMAC_SHA1_96 [RFC2404]" },
        { "sha3", NULL },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(integs); i++) {
        const integ_alg *a = integ_by_name(integs[i].name);
        g_assert_cmpstr(a ? a->ws_name : NULL, ==, integs[i].want);
    }
    size_t n;
    const cipher_alg *t = cipher_table(&n);
    for (size_t i = 0; i < n; i++)   /* every row has a name and fits the nonce buffers */
        g_assert_true(t[i].ws_name && t[i].salt_len + t[i].iv_len <= 16);
}

/* An SA's keyed handles (keyed.c): the same ICVs as the one-shot functions,
 * over any split of the message into a and b (the ESN high bits), again and
 * again on the same handle (reset back to the keyed state); RFC 3566 #7
 * (1000 zero bytes) through the chunked CBC-MAC. */
static void test_keyed_icv(void)
{
    static const char *const names[] = { "AUTH_AES_XCBC_96", "AUTH_HMAC_SHA2_256_128",
                                         "AUTH_HMAC_MD5_96", "AUTH_AES_CMAC_96" };
    const cipher_alg *ca = cipher_by_name("ENCR_NULL", 0);
    uint8_t key[16], msg[1100], want[64], got[64];
    for (int i = 0; i < 16; i++)
        key[i] = (uint8_t)i;
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (uint8_t)(i * 7 + 1);
    for (size_t n = 0; n < G_N_ELEMENTS(names); n++) {
        const integ_alg *ia = integ_by_name(names[n]);
        crypto_keyed *k = crypto_keyed_new(ca, NULL, 0, ia, key, 16);
        g_assert_nonnull(k);
        for (size_t len = 0; len < sizeof msg; len += len < 80 ? 1 : 37) {
            g_assert_true(crypto_integ(ia, key, 16, msg, len, want));
            for (size_t b = 0; b <= 16 && b <= len; b += b < 5 ? 1 : 11) {
                memset(got, 0, sizeof got);
                g_assert_true(crypto_keyed_icv(k, msg, len - b, msg + len - b, b, got));
                g_assert_cmpmem(got, ia->icv_len, want, ia->icv_len);
            }
        }
        crypto_keyed_free(k);
    }
    const integ_alg *x = integ_by_name("AUTH_AES_XCBC_96");
    crypto_keyed *k = crypto_keyed_new(ca, NULL, 0, x, key, 16);
    memset(msg, 0, 1000);
    g_assert_true(crypto_keyed_icv(k, msg, 1000, NULL, 0, got));
    assert_hex(got, 12, "f0dafee895db30253761103b");
    crypto_keyed_free(k);
    /* a key the algorithm cannot take: no handle */
    g_assert_null(crypto_keyed_new(ca, NULL, 0, x, key, 15));
}

/* An SA's keyed cipher decrypts packet after packet as crypto_decrypt does
 * (each packet its own IV: the handle's chaining state is reset). */
/* The thread's handle cache rekeys a slot in place on a miss (crypto.c):
 * many keys in turn, more than the cache holds, each HMAC and AES-CBC
 * decryption against libgcrypt's own one-shot result with a fresh handle;
 * then a key seen before, after its slot went to another. */
static void test_cache_rekey(void)
{
    uint8_t data[80], out[32], want[32], plain[64], ref[64];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 7 + 1);
    for (int round = 0; round < 3; round++)
        for (int n = 0; n < 40; n++) {   /* 40 keys: five times the slots */
            uint8_t key[32], iv[16];
            for (size_t i = 0; i < sizeof key; i++)
                key[i] = (uint8_t)(n * 37 + i);
            memset(iv, n, sizeof iv);
            g_assert_true(crypto_hmac(GCRY_MD_SHA256, key, 32, data, sizeof data, out, 32));
            gcry_buffer_t iov[2] = { { .data = key, .len = 32 }, { .data = data, .len = sizeof data } };
            g_assert_cmpint(gcry_md_hash_buffers(GCRY_MD_SHA256, GCRY_MD_FLAG_HMAC, want, iov, 2),
                            ==, 0);
            g_assert_cmpmem(out, 32, want, 32);
            g_assert_true(crypto_block_decrypt(GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CBC, key, 16, iv,
                                               data, 64, plain));
            gcry_cipher_hd_t h;
            g_assert_cmpint(gcry_cipher_open(&h, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_CBC, 0), ==, 0);
            g_assert_cmpint(gcry_cipher_setkey(h, key, 16), ==, 0);
            g_assert_cmpint(gcry_cipher_setiv(h, iv, 16), ==, 0);
            g_assert_cmpint(gcry_cipher_decrypt(h, ref, 64, data, 64), ==, 0);
            gcry_cipher_close(h);
            g_assert_cmpmem(plain, 64, ref, 64);
        }
    crypto_cache_flush();
}

static void test_keyed_decrypt(void)
{
    static const char *const names[] = { "AES-CBC-128 [RFC3602]", "AES-CTR-256 [RFC5930]",
                                         "ENCR_AES_GCM_16", "ENCR_CHACHA20_POLY1305",
                                         "AES-CCM-192 with 12 octet ICV [RFC5282]",
                                         "3DES [RFC2451]" };
    uint8_t key[36], iv[16], in[96], want[96], got[96], tag[16], aad[8] = { 1, 2, 3, 4, 0, 0, 0, 9 };
    for (size_t i = 0; i < sizeof key; i++)
        key[i] = (uint8_t)(0x40 + i);
    for (size_t i = 0; i < sizeof in; i++)
        in[i] = (uint8_t)(i * 13);
    for (size_t n = 0; n < G_N_ELEMENTS(names); n++) {
        const cipher_alg *ca = cipher_by_name(names[n], 36);
        g_assert_nonnull(ca);
        crypto_keyed *k = crypto_keyed_new(ca, key, ca->key_len + ca->salt_len,
                                           integ_by_name("NONE"), NULL, 0);
        g_assert_nonnull(k);
        for (int pkt = 0; pkt < 3; pkt++) {
            for (size_t i = 0; i < sizeof iv; i++)
                iv[i] = (uint8_t)(pkt * 31 + i);
            bool ok1 = false, ok2 = false;
            memset(tag, pkt, sizeof tag);
            g_assert_true(crypto_decrypt(ca, key, iv, aad, 8, in, 96, want, tag, &ok1));
            g_assert_true(crypto_keyed_decrypt(k, iv, aad, 8, in, 96, got, tag, &ok2));
            g_assert_cmpmem(got, 96, want, 96);
            g_assert_true(ok1 == ok2);
        }
        crypto_keyed_free(k);
    }
    /* the wrong key size: no handle */
    g_assert_null(crypto_keyed_new(cipher_by_name("AES-CBC-128 [RFC3602]", 16), key, 15,
                                   integ_by_name("NONE"), NULL, 0));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    crypto_init();
    g_test_add_func("/crypto/aes-cbc", test_aes_cbc);
    g_test_add_func("/crypto/aes-ctr", test_aes_ctr);
    g_test_add_func("/crypto/aes-gcm", test_aes_gcm);
    g_test_add_func("/crypto/aes-ccm", test_aes_ccm);
    g_test_add_func("/crypto/chacha20-poly1305", test_chacha20_poly1305);
    g_test_add_func("/crypto/camellia", test_camellia);
    g_test_add_func("/crypto/null", test_null);
    g_test_add_func("/crypto/xcbc", test_xcbc);
    g_test_add_func("/crypto/cmac", test_cmac);
    g_test_add_func("/crypto/hmac", test_hmac);
    g_test_add_func("/crypto/names", test_names);
    g_test_add_func("/crypto/keyed-icv", test_keyed_icv);
    g_test_add_func("/crypto/keyed-decrypt", test_keyed_decrypt);
    g_test_add_func("/crypto/cache-rekey", test_cache_rekey);
    return g_test_run();
}
