/* RFC 9370 key schedule against what strongSwan 6.0.1 derived: the
 * samples/pq/ secrets files carry, besides the inputs (the IKE_SA_INIT KE
 * secret, each additional KE's), the daemon's own SKEYSEED, SK_* and nonces
 * of every key epoch as comments (samples/pq/charon6-secrets.py).  Checked:
 *   SKEYSEED(0) = prf(Ni | Nr, SK(0))                        (RFC 7296 2.14)
 *   SKEYSEED(n) = prf(SK_d(n-1), SK(n) | Ni | Nr)            (RFC 9370 2.2.2)
 *   SK_*(n)     = prf+(SKEYSEED(n), Ni | Nr | SPIi | SPIr)
 *   a rekeyed IKE SA: prf(SK_d, SK(0) | Ni | Nr | SK(1))     (RFC 9370 2.2.4) */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "crypto/kdf.h"
#include "keys/charon_log.h"
#include "testutil.h"

typedef struct {
    GHashTable *v;            /* "WORD spii [epoch|n]" -> hex */
    char first[17];           /* the first IKE SA's SPIi */
    GPtrArray *spis;          /* every SPIi, in file order */
    int prf;                  /* the IKE SA's PRF */
} sample;

static void sample_load(sample *s, const char *name)
{
    char *path = g_build_filename(ISAKMP_SOURCE_DIR, "samples", "pq", name, "secrets.txt", NULL), *text;
    g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
    s->v = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    s->spis = g_ptr_array_new_with_free_func(g_free);
    s->first[0] = 0;
    gchar **lines = g_strsplit(text, "\n", -1);
    for (size_t i = 0; lines[i]; i++) {
        gchar **w = g_strsplit(g_str_has_prefix(lines[i], "# ") ? lines[i] + 2 : lines[i], " ", -1);
        guint n = g_strv_length(w);
        if (n == 3 && !strcmp(w[0], "SPIR")) {
            g_ptr_array_add(s->spis, g_strdup(w[1]));
            g_hash_table_insert(s->v, g_strdup_printf("SPIR %s", w[1]), g_strdup(w[2]));
        } else if (n == 3 && !strcmp(w[0], "IKEV2_DH_SHARED")) {
            if (!s->first[0])
                g_strlcpy(s->first, w[1], sizeof s->first);
            g_hash_table_insert(s->v, g_strdup_printf("DH %s", w[1]), g_strdup(w[2]));
        } else if (n == 4 && (!strcmp(w[0], "SKEYSEED") || !strcmp(w[0], "NONCES") ||
                              g_str_has_prefix(w[0], "SK_") || !strcmp(w[0], "IKEV2_ADDKE_SHARED"))) {
            g_hash_table_insert(s->v, g_strdup_printf("%s %s %s", w[0], w[1], w[2]), g_strdup(w[3]));
        }
        g_strfreev(w);
    }
    g_strfreev(lines);
    g_free(text);
    g_free(path);
}

static void sample_free(sample *s)
{
    g_hash_table_destroy(s->v);
    g_ptr_array_free(s->spis, TRUE);
}

/* The bytes of "WORD spii [x]" (NULL when absent); *n their length. */
static uint8_t *val(const sample *s, size_t *n, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static uint8_t *val(const sample *s, size_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *k = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    const char *h = g_hash_table_lookup(s->v, k);
    g_free(k);
    return h ? tu_hex(h, n) : NULL;
}

/* SK_* of epoch e from the logged SKEYSEED(e) equal the logged ones. */
static void check_expand(const sample *s, const char *spii, int e, const uint8_t *ni, const uint8_t *nr,
                         size_t nl)
{
    static const char *const names[7] = { "SK_d", "SK_ai", "SK_ar", "SK_ei", "SK_er", "SK_pi", "SK_pr" };
    size_t n, sl, el, rl, il;
    uint8_t *seed = val(s, &sl, "SKEYSEED %s %d", spii, e), *ei = val(s, &el, "SK_ei %s %d", spii, e);
    uint8_t *spir = val(s, &rl, "SPIR %s", spii), *ai = val(s, &il, "SK_ai %s %d", spii, e);
    uint8_t *spi = tu_hex(spii, &n);
    g_assert_nonnull(seed);
    g_assert_nonnull(ei);
    kdf_v2_keys k = { 0 };
    memcpy(k.skeyseed, seed, sl);
    if (!ai)
        il = 0;               /* AEAD (AES-GCM): no SK_a* */
    kdf_v2_lens lens = { il, el };
    kdf_chunk cni = { ni, nl }, cnr = { nr, nl };
    g_assert_true(kdf_v2_sa_keys(s->prf, &cni, &cnr, spi, spir, &lens, &k));
    const uint8_t *got[7] = { k.d, k.ai, k.ar, k.ei, k.er, k.pi, k.pr };
    for (int i = 0; i < 7; i++) {
        if (!il && (i == 1 || i == 2))
            continue;
        uint8_t *want = val(s, &n, "%s %s %d", names[i], spii, e);
        g_assert_nonnull(want);
        g_assert_cmpmem(got[i], n, want, n);
        g_free(want);
    }
    g_free(seed); g_free(ei); g_free(ai); g_free(spir); g_free(spi);
}

static void check_sample(const char *name, int prf, int want_sas, int want_epochs)
{
    sample s;
    sample_load(&s, name);
    s.prf = prf;
    g_assert_cmpuint(s.spis->len, ==, (guint)want_sas);
    int epochs = 0;
    uint8_t last_skd[KDF_MAX_KEY];
    size_t last_skd_len = 0;
    for (guint a = 0; a < s.spis->len; a++) {
        const char *spii = s.spis->pdata[a];
        bool first = !strcmp(spii, s.first);
        size_t n, gl, kl, dl;
        for (int e = 0;; e++) {
            uint8_t *nonces = val(&s, &n, "NONCES %s %d", spii, e);
            if (!nonces)
                break;
            epochs++;
            size_t nl = n / 2;
            const uint8_t *ni = nonces, *nr = nonces + nl;
            kdf_chunk cni = { ni, nl }, cnr = { nr, nl };
            uint8_t *want = val(&s, &n, "SKEYSEED %s %d", spii, e), out[KDF_MAX_PRF];
            if (e == 0 && first) {   /* IKE_SA_INIT: prf(Ni | Nr, SK(0)) */
                uint8_t *g = val(&s, &gl, "DH %s", spii);
                kdf_chunk cg = { g, gl };
                g_assert_true(kdf_v2_skeyseed(s.prf, &cni, &cnr, &cg, out));
                g_free(g);
            } else if (e == 0) {     /* a rekey with IKE_FOLLOWUP_KE, of the first SA's last epoch */
                uint8_t *g = val(&s, &gl, "DH %s", spii), *k;
                GByteArray *cat = g_byte_array_new();   /* SK(1) | ... | SK(n) */
                for (int i = 1; (k = val(&s, &kl, "IKEV2_ADDKE_SHARED %s %d", spii, i)); i++) {
                    g_byte_array_append(cat, k, (guint)kl);
                    g_free(k);
                }
                /* (none when the sample has no additional KE: ML-KEM alone) */
                kdf_chunk parts[4] = { { g, gl }, cni, cnr, { cat->data, cat->len } };
                g_assert_true(kdf_prf(s.prf, last_skd, last_skd_len, parts, cat->len ? 4 : 3, out));
                g_free(g);
                g_byte_array_free(cat, TRUE);
            } else {                 /* IKE_INTERMEDIATE n: prf(SK_d(n-1), SK(n) | Ni | Nr) */
                uint8_t *skd = val(&s, &dl, "SK_d %s %d", spii, e - 1);
                uint8_t *k = val(&s, &kl, "IKEV2_ADDKE_SHARED %s %d", spii, e);
                g_assert_nonnull(k);
                kdf_chunk cd = { skd, dl }, ck = { k, kl };
                g_assert_true(kdf_v2_rekey_skeyseed(s.prf, &cd, &ck, &cni, &cnr, out));
                g_free(skd); g_free(k);
            }
            g_assert_cmpmem(out, n, want, n);
            check_expand(&s, spii, e, ni, nr, nl);
            if (first) {
                uint8_t *skd = val(&s, &last_skd_len, "SK_d %s %d", spii, e);
                memcpy(last_skd, skd, last_skd_len);
                g_free(skd);
            }
            g_free(want);
            g_free(nonces);
        }
    }
    g_assert_cmpint(epochs, ==, want_epochs);
    sample_free(&s);
}

/* x25519 + ADDKE1 ecp384: 2 epochs, then the IKE SA rekeyed with ADDKE1 */
static void test_addke1(void) { check_sample("ikev2-pq-addke1-x25519-ecp384", PRF_HMAC_SHA2_256, 2, 3); }
/* ecp256 + x25519, ecp384: 3 epochs, the IKE SA rekeyed with both */
static void test_addke2(void) { check_sample("ikev2-pq-addke2-rekeys", PRF_HMAC_SHA2_256, 2, 4); }
/* ecp256 + modp4096, x25519, ecp384: 4 epochs */
static void test_addke3(void) { check_sample("ikev2-pq-addke3-certs-frag", PRF_HMAC_SHA2_256, 1, 4); }
/* strongSwan 6.1 (OpenSSL 3.6): x25519 + ADDKE1 ML-KEM-768, AES-GCM,
 * PRF-HMAC-SHA2-384: 2 epochs, then the IKE SA rekeyed with ADDKE1 ML-KEM-768 */
static void test_mlkem_addke1(void)
{
    check_sample("ikev2-pq-mlkem768-addke1", PRF_HMAC_SHA2_384, 2, 3);
}
/* ML-KEM-768 as the IKE_SA_INIT key exchange: 1 epoch, the rekey with ML-KEM-768 */
static void test_mlkem_init(void) { check_sample("ikev2-pq-mlkem768-init", PRF_HMAC_SHA2_384, 2, 2); }

/* The charon 6 log reader: what each sample's logs give as RFC 9370
 * secrets, "KIND spii msgid n len" (KIND: A additional KE of an IKE SA, CA
 * of a CREATE_CHILD_SA, CD its DH).  The responder derives an
 * IKE_INTERMEDIATE's keys on a thread that logged no message line: its
 * secrets must still be additional KEs 1, 2, 3 of the same SA (regression:
 * they were taken for rekeyed SAs' DH secrets). */
static void log_sink(void *user, const secret_entry *e)
{
    GPtrArray *out = user;
    const char *k = e->kind == SEC_V2_ADDKE_SHARED ? "A" : e->kind == SEC_V2_CHILD_ADDKE_SHARED ? "CA"
                    : e->kind == SEC_V2_CHILD_DH_SHARED ? "CD" : NULL;
    if (!k)
        return;
    char spi[17];
    for (int i = 0; i < 8; i++)
        snprintf(spi + 2 * i, 3, "%02x", e->spi[i]);
    g_ptr_array_add(out, g_strdup_printf("%s %s %u %u %zu", k, e->any_sa ? "*" : spi, e->msgid,
                                         e->ke_n, e->len));
}

static char *log_secrets(const char *name, const char *log)
{
    char *path = g_build_filename(ISAKMP_SOURCE_DIR, "samples", "pq", name, log, NULL), *text;
    gsize len;
    g_assert_true(g_file_get_contents(path, &text, &len, NULL));
    GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
    charon_log_parse(log, text, len, log_sink, out, NULL);
    g_ptr_array_add(out, NULL);
    char *joined = g_strjoinv("; ", (char **)out->pdata);
    g_ptr_array_free(out, TRUE);
    g_free(text);
    g_free(path);
    return joined;
}

static void test_log_reader(void)
{
    static const char *const logs[] = { "charon-initiator.log", "charon-responder.log" };
    for (size_t i = 0; i < 2; i++) {
        char *s = log_secrets("ikev2-pq-addke3-certs-frag", logs[i]);
        g_assert_cmpstr(s, ==, "A a3424ecdf2bb76ce 0 1 512; A a3424ecdf2bb76ce 0 2 32; "
                               "A a3424ecdf2bb76ce 0 3 48");
        g_free(s);
    }
    char *s = log_secrets("ikev2-pq-addke1-x25519-ecp384", "charon-initiator.log");
    g_assert_cmpstr(s, ==, "A cccb43912fea35f9 0 1 48; CD cccb43912fea35f9 3 0 32; "
                           "CA cccb43912fea35f9 3 1 48; A b3e2bb7a7a1e9a98 0 1 48");
    g_free(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/addke/strongswan6-addke1-rekey", test_addke1);
    g_test_add_func("/addke/strongswan6-addke2-rekeys", test_addke2);
    g_test_add_func("/addke/strongswan61-mlkem768-addke1", test_mlkem_addke1);
    g_test_add_func("/addke/strongswan61-mlkem768-init", test_mlkem_init);
    g_test_add_func("/addke/strongswan6-addke3", test_addke3);
    g_test_add_func("/addke/charon6-log-reader", test_log_reader);
    return g_test_run();
}
