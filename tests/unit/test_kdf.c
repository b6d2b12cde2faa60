/* PRFs and KDF steps: RFC 2202 / 4231 (HMAC), RFC 3566 / 4434 (AES-XCBC),
 * RFC 4615 (AES-CMAC-PRF-128) known answers; KDF structure checks. */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "crypto/kdf.h"
#include "testutil.h"

/* prf(key, data) == want, all hex. */
static void check_prf(int prf, const char *key, const char *data, const char *want)
{
    size_t kl, dl, wl;
    uint8_t *k = tu_hex(key, &kl), *d = tu_hex(data, &dl), *w = tu_hex(want, &wl);
    uint8_t out[KDF_MAX_PRF];
    kdf_chunk part = { d, dl };
    g_assert_true(kdf_prf(prf, k, kl, &part, 1, out));
    g_assert_cmpuint(kdf_prf_size(prf), ==, wl);
    g_assert_cmpmem(out, wl, w, wl);
    g_free(k); g_free(d); g_free(w);
}

#define HI_THERE "4869205468657265"
#define JEFE "4a656665"
#define WHAT "7768617420646f2079612077616e7420666f72206e6f7468696e673f"
#define K0B16 "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"
#define K0B20 K0B16 "0b0b0b0b"

static void test_hmac_rfc2202(void)
{
    check_prf(PRF_HMAC_MD5, K0B16, HI_THERE, "9294727a3638bb1c13f48ef8158bfc9d");
    check_prf(PRF_HMAC_MD5, JEFE, WHAT, "750c783e6ab0b503eaa86e310a5db738");
    check_prf(PRF_HMAC_SHA1, K0B20, HI_THERE, "b617318655057264e28bc0b6fb378c8ef146be00");
    check_prf(PRF_HMAC_SHA1, JEFE, WHAT, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
}

static void test_hmac_rfc4231(void)
{
    check_prf(PRF_HMAC_SHA2_256, K0B20, HI_THERE,
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    check_prf(PRF_HMAC_SHA2_256, JEFE, WHAT,
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    check_prf(PRF_HMAC_SHA2_384, JEFE, WHAT,
              "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
              "8e2240ca5e69e2c78b3239ecfab21649");
    check_prf(PRF_HMAC_SHA2_512, JEFE, WHAT,
              "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
              "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
}

#define K00_0F "000102030405060708090a0b0c0d0e0f"
#define M20 "000102030405060708090a0b0c0d0e0f10111213"

static void test_xcbc_rfc3566_4434(void)
{
    /* RFC 3566 4.6 (16-byte key: the PRF equals the untruncated MAC). */
    check_prf(PRF_AES128_XCBC, K00_0F, "", "75f0251d528ac01c4573dfd584d79f29");
    check_prf(PRF_AES128_XCBC, K00_0F, "000102", "5b376580ae2f19afe7219ceef172756f");
    check_prf(PRF_AES128_XCBC, K00_0F, K00_0F, "d2a246fa349b68a79998a4394ff7a263");
    check_prf(PRF_AES128_XCBC, K00_0F, M20, "47f51b4564966215b8985c63055ed308");
    /* RFC 4434 5: short and long keys. */
    check_prf(PRF_AES128_XCBC, "00010203040506070809", M20, "0fa087af7d866e7653434e602fdde835");
    check_prf(PRF_AES128_XCBC, K00_0F "edcb", M20, "8cd3c93ae598a9803006ffb67c40e9e4");
}

static void test_cmac_rfc4615(void)
{
    check_prf(PRF_AES128_CMAC, K00_0F "edcb", M20, "84a348a4a45d235babfffc0d2b4da09a");
    check_prf(PRF_AES128_CMAC, K00_0F, M20, "980ae87b5f4c9c5214f5b6a8455e4c2d");
    check_prf(PRF_AES128_CMAC, "00010203040506070809", M20, "290d9e112edb09ee141fcf64c0b72f3d");
}

/* Pieces are concatenated: prf(k, a | b) == prf(k, ab), for every PRF. */
static void test_prf_pieces(void)
{
    static const int all[] = { 1, 2, 4, 5, 6, 7, 8 };
    const uint8_t key[20] = "0123456789abcdefghij", msg[40] = "the quick brown fox jumps over the dog.";
    for (size_t i = 0; i < G_N_ELEMENTS(all); i++) {
        uint8_t a[KDF_MAX_PRF], b[KDF_MAX_PRF];
        kdf_chunk whole = { msg, sizeof msg };
        kdf_chunk split[3] = { { msg, 7 }, { msg + 7, 0 }, { msg + 7, sizeof msg - 7 } };
        g_assert_true(kdf_prf(all[i], key, sizeof key, &whole, 1, a));
        g_assert_true(kdf_prf(all[i], key, sizeof key, split, 3, b));
        g_assert_cmpmem(a, kdf_prf_size(all[i]), b, kdf_prf_size(all[i]));
    }
    uint8_t out[KDF_MAX_PRF];
    g_assert_false(kdf_prf(3, key, 1, NULL, 0, out));   /* Tiger / unknown */
    g_assert_cmpuint(kdf_prf_size(99), ==, 0);
}

/* prf+ (RFC 7296 2.13) by hand: T1 = prf(K, S | 1), T2 = prf(K, T1 | S | 2). */
static void test_prf_plus(void)
{
    const uint8_t key[4] = { 1, 2, 3, 4 }, seed[5] = "seed";
    uint8_t out[50], t1[20], t2[20], t3[20], c;
    kdf_chunk s = { seed, sizeof seed };
    g_assert_true(kdf_prf_plus(PRF_HMAC_SHA1, key, 4, &s, 1, out, sizeof out));
    c = 1;
    kdf_chunk p1[2] = { s, { &c, 1 } };
    g_assert_true(kdf_prf(PRF_HMAC_SHA1, key, 4, p1, 2, t1));
    uint8_t c2 = 2;
    kdf_chunk p2[3] = { { t1, 20 }, s, { &c2, 1 } };
    g_assert_true(kdf_prf(PRF_HMAC_SHA1, key, 4, p2, 3, t2));
    uint8_t c3 = 3;
    kdf_chunk p3[3] = { { t2, 20 }, s, { &c3, 1 } };
    g_assert_true(kdf_prf(PRF_HMAC_SHA1, key, 4, p3, 3, t3));
    g_assert_cmpmem(out, 20, t1, 20);
    g_assert_cmpmem(out + 20, 20, t2, 20);
    g_assert_cmpmem(out + 40, 10, t3, 10);
    g_assert_false(kdf_prf_plus(PRF_HMAC_SHA1, key, 4, &s, 1, out, 256 * 20));
}

/* IKEv1: SKEYID_e and Ka by hand; Ka expands when SKEYID_e is too short. */
static void test_v1_chain(void)
{
    kdf_v1_keys k = { 0 };
    const uint8_t ci[8] = { 1 }, cr[8] = { 2 }, g[16] = { 7 };
    memset(k.skeyid, 0x55, 16);
    kdf_chunk gxy = { g, sizeof g };
    g_assert_true(kdf_v1_sa_keys(PRF_HMAC_MD5, &gxy, ci, cr, 32, &k));
    g_assert_cmpuint(k.len, ==, 16);
    uint8_t e[16], k1[16], k2[16], zero = 0, two = 2;
    kdf_chunk pe[5] = { { k.a, 16 }, gxy, { ci, 8 }, { cr, 8 }, { &two, 1 } };
    g_assert_true(kdf_prf(PRF_HMAC_MD5, k.skeyid, 16, pe, 5, e));
    g_assert_cmpmem(e, 16, k.e, 16);
    kdf_chunk z = { &zero, 1 }, pk1 = { k1, 16 };
    g_assert_true(kdf_prf(PRF_HMAC_MD5, e, 16, &z, 1, k1));
    g_assert_true(kdf_prf(PRF_HMAC_MD5, e, 16, &pk1, 1, k2));
    g_assert_cmpmem(k.ka, 16, k1, 16);
    g_assert_cmpmem(k.ka + 16, 16, k2, 16);
    /* A key no longer than SKEYID_e is its first bytes. */
    g_assert_true(kdf_v1_sa_keys(PRF_HMAC_MD5, &gxy, ci, cr, 8, &k));
    g_assert_cmpmem(k.ka, 8, k.e, 8);
}

/* IKEv2: the SK_* split follows the lengths; XCBC uses 64 bits of each nonce. */
static void test_v2_split(void)
{
    kdf_v2_keys k = { 0 };
    const uint8_t n1[32] = { 1 }, n2[32] = { 2 }, g[32] = { 3 }, si[8] = { 4 }, sr[8] = { 5 };
    kdf_chunk ni = { n1, 32 }, nr = { n2, 32 }, gir = { g, 32 };
    g_assert_true(kdf_v2_skeyseed(PRF_HMAC_SHA2_256, &ni, &nr, &gir, k.skeyseed));
    kdf_v2_lens lens = { .integ = 32, .encr = 36 };
    g_assert_true(kdf_v2_sa_keys(PRF_HMAC_SHA2_256, &ni, &nr, si, sr, &lens, &k));
    uint8_t stream[32 * 3 + 64 + 72];
    kdf_chunk seed[4] = { ni, nr, { si, 8 }, { sr, 8 } };
    g_assert_true(kdf_prf_plus(PRF_HMAC_SHA2_256, k.skeyseed, 32, seed, 4, stream, sizeof stream));
    g_assert_cmpmem(k.d, 32, stream, 32);
    g_assert_cmpmem(k.ar, 32, stream + 64, 32);
    g_assert_cmpmem(k.er, 36, stream + 132, 36);
    g_assert_cmpmem(k.pr, 32, stream + 200, 32);

    uint8_t a[16], b[16], key[16];
    g_assert_true(kdf_v2_skeyseed(PRF_AES128_XCBC, &ni, &nr, &gir, a));
    memcpy(key, n1, 8);
    memcpy(key + 8, n2, 8);
    g_assert_true(kdf_prf(PRF_AES128_XCBC, key, 16, &gir, 1, b));
    g_assert_cmpmem(a, 16, b, 16);
}


/* ---------------------------------------------------------------- daemon-log vectors */

/* Dumps of a charon level-4 log ("LABEL => N bytes @" + rows), in order. */
typedef struct {
    char *label;
    GByteArray *b;
} dump_t;

static void dump_free(gpointer p)
{
    dump_t *d = p;
    g_free(d->label);
    g_byte_array_free(d->b, TRUE);
    g_free(d);
}

/* Reads the dumps of one log; rows follow their head on the same thread. */
static GPtrArray *log_dumps(const char *path)
{
    gchar *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, NULL))
        return NULL;
    GPtrArray *out = g_ptr_array_new_with_free_func(dump_free);
    GHashTable *open = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL); /* thread -> dump */
    gchar **lines = g_strsplit(text, "\n", 0);
    for (gchar **l = lines; *l; l++) {
        char *br = strchr(*l, '[');
        if (!br || br == *l || !g_ascii_isdigit(br[-1]))
            continue;
        char *d = br;
        while (d > *l && g_ascii_isdigit(d[-1]))
            d--;
        gchar *thread = g_strndup(d, (size_t)(br - d));
        char *t = strstr(br, "> ");
        t = t ? t + 2 : br + 6;
        char *arrow = strstr(t, " => ");
        unsigned n;
        dump_t *cur = g_hash_table_lookup(open, thread);
        if (arrow && sscanf(arrow, " => %u bytes @", &n) == 1) {
            dump_t *nd = g_new0(dump_t, 1);
            nd->label = g_strndup(t, (size_t)(arrow - t));
            nd->b = g_byte_array_new();
            g_ptr_array_add(out, nd);
            g_hash_table_replace(open, thread, nd);   /* takes the key */
            continue;
        }
        unsigned off;
        char *colon = strchr(t, ':');
        if (cur && colon && sscanf(t, " %u:", &off) == 1 && off == cur->b->len) {
            char *p = colon + 2;
            for (int i = 0; i < 16 && g_ascii_isxdigit(p[0]) && g_ascii_isxdigit(p[1]); i++, p += 3) {
                uint8_t v = (uint8_t)(g_ascii_xdigit_value(p[0]) << 4 | g_ascii_xdigit_value(p[1]));
                g_byte_array_append(cur->b, &v, 1);
                if (p[2] != ' ')
                    break;
            }
        }
        g_free(thread);
    }
    g_hash_table_destroy(open);
    g_strfreev(lines);
    g_free(text);
    return out;
}

/* The n-th (from 0) dump with this label, or NULL. */
static GByteArray *dump_get(GPtrArray *dumps, const char *label, int nth)
{
    for (guint i = 0; i < dumps->len; i++) {
        dump_t *d = g_ptr_array_index(dumps, i);
        if (!strcmp(d->label, label) && nth-- == 0)
            return d->b;
    }
    return NULL;
}

static bool same(const uint8_t *a, const GByteArray *b)
{
    return b && !memcmp(a, b->data, b->len);
}

static const int all_prfs[] = { 1, 2, 4, 5, 6, 7, 8 };

/* IKEv2 (RFC 7296 2.14, 2.17): SKEYSEED, every SK_*, the PSK AUTH and the
 * first CHILD_SA's keys, recomputed from what the daemon logged. */
static int check_v2_log(GPtrArray *d)
{
    GByteArray *dh = dump_get(d, "shared Diffie Hellman secret", 0),
               *seedlog = dump_get(d, "SKEYSEED", 0), *seed = dump_get(d, "seed", 0),
               *skd = dump_get(d, "Sk_d secret", 0), *ai = dump_get(d, "Sk_ai secret", 0),
               *ei = dump_get(d, "Sk_ei secret", 0);
    if (!dh || !seedlog || !seed || !skd || !ei || seed->len % 2)
        return 0;
    kdf_chunk ni = { seed->data, seed->len / 2 }, nr = { seed->data + seed->len / 2, seed->len / 2 };
    kdf_chunk gir = { dh->data, dh->len };
    int prf = 0;
    uint8_t out[KDF_MAX_PRF];
    for (size_t i = 0; i < G_N_ELEMENTS(all_prfs) && !prf; i++)
        if (kdf_prf_size(all_prfs[i]) == seedlog->len &&
            kdf_v2_skeyseed(all_prfs[i], &ni, &nr, &gir, out) && same(out, seedlog))
            prf = all_prfs[i];
    g_assert_cmpint(prf, !=, 0);
    /* SPIi | SPIr open the responder's IKE_SA_INIT, the second AUTH octets
     * (the first, the initiator's request, has SPIr 0) */
    GByteArray *octets = dump_get(d, "octets = message + nonce + prf(Sk_px, IDx')", 0);
    GByteArray *o2 = dump_get(d, "octets = message + nonce + prf(Sk_px, IDx')", 1);
    if (!octets || !o2)
        return 0;
    if (octets->data[8] == 0 && octets->data[15] == 0)
        octets = o2;
    kdf_v2_keys k;
    memcpy(k.skeyseed, seedlog->data, seedlog->len);
    kdf_v2_lens lens = { ai ? ai->len : 0, ei->len };
    g_assert_true(kdf_v2_sa_keys(prf, &ni, &nr, octets->data, octets->data + 8, &lens, &k));
    g_assert_true(same(k.d, skd));
    g_assert_true(!ai || same(k.ai, ai));
    g_assert_true(!ai || same(k.ar, dump_get(d, "Sk_ar secret", 0)));   /* none with AEAD */
    g_assert_true(same(k.ei, ei));
    g_assert_true(same(k.er, dump_get(d, "Sk_er secret", 0)));
    g_assert_true(same(k.pi, dump_get(d, "Sk_pi secret", 0)));
    g_assert_true(same(k.pr, dump_get(d, "Sk_pr secret", 0)));
    /* CHILD_SA KEYMAT = prf+(SK_d, Ni | Nr): encr_i | integ_i | encr_r | integ_r */
    GByteArray *eki = dump_get(d, "encryption initiator key", 0),
               *iki = dump_get(d, "integrity initiator key", 0),
               *ekr = dump_get(d, "encryption responder key", 0),
               *ikr = dump_get(d, "integrity responder key", 0);
    size_t el = eki ? eki->len : 0, il = iki ? iki->len : 0;
    uint8_t km[2 * (KDF_MAX_KEY + KDF_MAX_KEY)];
    kdf_chunk skdc = { k.d, k.prf_len };
    g_assert_true(kdf_v2_child_keymat(prf, &skdc, NULL, &ni, &nr, km, 2 * (el + il)));
    g_assert_true(!eki || same(km, eki));
    g_assert_true(!iki || same(km + el, iki));
    g_assert_true(!ekr || same(km + el + il, ekr));
    g_assert_true(!ikr || same(km + 2 * el + il, ikr));
    return 1;
}

/* IKEv1 (RFC 2409 5, Appendix B): SKEYID_d/a/e, Ka, the Phase 1 IV, HASH_I
 * and the Quick Mode KEYMAT (with PFS), from what the daemon logged. */
static int check_v1_log(GPtrArray *d)
{
    GByteArray *dh = dump_get(d, "shared Diffie Hellman secret", 0),
               *skeyid = dump_get(d, "SKEYID", 0), *sd = dump_get(d, "SKEYID_d", 0),
               *hdata = dump_get(d, "HASH_I data", 0);
    if (!dh || !skeyid || !sd || !hdata)
        return 0;
    const uint8_t *gxi = hdata->data, *gxr = gxi + dh->len, *cky = gxr + dh->len;
    kdf_chunk gxy = { dh->data, dh->len };
    kdf_v1_keys k;
    int prf = 0;
    GByteArray *ka = dump_get(d, "encryption key Ka", 0);
    for (size_t i = 0; i < G_N_ELEMENTS(all_prfs) && !prf; i++) {
        if (kdf_prf_size(all_prfs[i]) != skeyid->len)
            continue;
        memcpy(k.skeyid, skeyid->data, skeyid->len);
        if (kdf_v1_sa_keys(all_prfs[i], &gxy, cky, cky + 8, ka->len, &k) && same(k.d, sd))
            prf = all_prfs[i];
    }
    g_assert_cmpint(prf, !=, 0);
    g_assert_true(same(k.a, dump_get(d, "SKEYID_a", 0)));
    g_assert_true(same(k.e, dump_get(d, "SKEYID_e", 0)));
    g_assert_true(same(k.ka, ka));
    GByteArray *iv = dump_get(d, "initial IV", 0);
    uint8_t out[KDF_MAX_PRF];
    kdf_chunk ci = { gxi, dh->len }, cr = { gxr, dh->len };
    g_assert_true(kdf_v1_phase1_iv(prf, &ci, &cr, iv->len, out));
    g_assert_true(same(out, iv));
    kdf_chunk hd = { hdata->data, hdata->len };
    g_assert_true(kdf_prf(prf, k.skeyid, k.len, &hd, 1, out));
    g_assert_true(same(out, dump_get(d, "HASH_I", 0)));
    /* KEYMAT: the logged seed is [g(qm)^xy |] protocol | SPI | Ni_b | Nr_b */
    GByteArray *qdh = dump_get(d, "DH secret", 0);
    const char *seeds[2] = { "initiator SA seed", "responder SA seed" };
    const char *enc[2] = { "encryption initiator key", "encryption responder key" };
    const char *integ[2] = { "integrity initiator key", "integrity responder key" };
    for (int dir = 0; dir < 2; dir++) {
        GByteArray *s = dump_get(d, seeds[dir], 0), *ek = dump_get(d, enc[dir], 0),
                   *ik = dump_get(d, integ[dir], 0);
        if (!s || !ek)
            continue;
        size_t off = qdh ? qdh->len : 0, nlen = (s->len - off - 5) / 2;
        kdf_chunk g = { s->data, off }, spi = { s->data + off + 1, 4 },
                  ni = { s->data + off + 5, nlen }, nr = { s->data + off + 5 + nlen, nlen };
        kdf_chunk skd = { k.d, k.len };
        uint8_t km[2 * KDF_MAX_KEY];
        size_t n = ek->len + (ik ? ik->len : 0);
        g_assert_true(kdf_v1_keymat(prf, &skd, qdh ? &g : NULL, s->data[off], &spi, &ni, &nr, km, n));
        g_assert_true(same(km, ek));
        g_assert_true(!ik || same(km + ek->len, ik));
    }
    return 1;
}

static void test_daemon_logs(void)
{
    gchar *root = g_getenv("ISAKMP_SAMPLES_DIR") ? g_strdup(g_getenv("ISAKMP_SAMPLES_DIR"))
                                                 : g_build_filename(ISAKMP_SOURCE_DIR, "samples", NULL);
    GDir *dir = g_dir_open(root, 0, NULL);
    int v1 = 0, v2 = 0;
    const char *n;
    while (dir && (n = g_dir_read_name(dir))) {
        for (int side = 0; side < 2; side++) {
            gchar *p = g_build_filename(root, n, side ? "charon-responder.log" : "charon-initiator.log", NULL);
            GPtrArray *d = log_dumps(p);
            if (d) {
                v2 += check_v2_log(d);
                v1 += check_v1_log(d);
                g_ptr_array_free(d, TRUE);
            }
            g_free(p);
        }
    }
    if (dir)
        g_dir_close(dir);
    g_free(root);
    if (!v1 && !v2)
        g_test_skip("no sample daemon logs");
    else
        g_test_message("checked %d IKEv1 and %d IKEv2 daemon logs", v1, v2);
}

/* Regression: an empty Nonce (a mutated capture) reached SKEYSEED as a
 * chunk with no pointer, and memcpy was handed NULL (UBSan: "null pointer
 * passed as argument 2").  Empty is empty, wherever its pointer points. */
static void test_regression_empty_nonce(void)
{
    static const uint8_t nr_bytes[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, gir_bytes[4] = { 9, 9, 9, 9 };
    kdf_chunk none = { NULL, 0 }, empty = { nr_bytes, 0 };
    kdf_chunk nr = { nr_bytes, sizeof nr_bytes }, gir = { gir_bytes, sizeof gir_bytes };
    uint8_t a[KDF_MAX_PRF], b[KDF_MAX_PRF];
    g_assert_true(kdf_v2_skeyseed(PRF_HMAC_SHA2_256, &none, &nr, &gir, a));
    g_assert_true(kdf_v2_skeyseed(PRF_HMAC_SHA2_256, &empty, &nr, &gir, b));
    g_assert_cmpmem(a, 32, b, 32);
    g_assert_true(kdf_v2_skeyseed(PRF_HMAC_SHA2_256, &nr, &none, &gir, a));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/kdf/hmac_rfc2202", test_hmac_rfc2202);
    g_test_add_func("/kdf/hmac_rfc4231", test_hmac_rfc4231);
    g_test_add_func("/kdf/xcbc_rfc3566_4434", test_xcbc_rfc3566_4434);
    g_test_add_func("/kdf/cmac_rfc4615", test_cmac_rfc4615);
    g_test_add_func("/kdf/prf_pieces", test_prf_pieces);
    g_test_add_func("/kdf/prf_plus", test_prf_plus);
    g_test_add_func("/kdf/v1_chain", test_v1_chain);
    g_test_add_func("/kdf/v2_split", test_v2_split);
    g_test_add_func("/kdf/daemon_logs", test_daemon_logs);
    g_test_add_func("/kdf/regression/empty_nonce", test_regression_empty_nonce);
    return g_test_run();
}
