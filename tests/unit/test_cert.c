/*
 * Certificates (decoder/payloads/cert.c): the DER check made before libksba
 * sees the bytes, and the fields of the certificates in samples/pki.
 *
 * libksba (1.6.3 and 1.6.7 alike) keeps ~5 KiB each time
 * ksba_cert_init_from_mem fails, and ~275 bytes per attribute of a Name
 * with two multi-valued RDNs even when it succeeds (tools/ksba-leak.c, the
 * experiment): the unit tests run under LeakSanitizer and valgrind without
 * any suppression, so the regression below fails if such bytes reach it.
 */
#include <string.h>

#include "testutil.h"
#include "payloads/cert.h"
#include "keying/verify.h"

/* samples/pki/<name>.crt.pem as DER; the caller frees. */
static uint8_t *pki_der(const char *name, size_t *len)
{
    char *path = g_strdup_printf("%s/samples/pki/%s.crt.pem", ISAKMP_SOURCE_DIR, name);
    char *pem;
    g_assert_true(g_file_get_contents(path, &pem, NULL, NULL));
    GString *b64 = g_string_new(NULL);
    char **lines = g_strsplit(pem, "\n", -1);
    for (char **l = lines; *l; l++)
        if (**l && strncmp(*l, "-----", 5) != 0)
            g_string_append(b64, *l);
    g_strfreev(lines);
    uint8_t *der = g_base64_decode(b64->str, len);
    g_string_free(b64, TRUE);
    g_free(pem);
    g_free(path);
    return der;
}

/* An IKEv2 IKE_SA_INIT request holding one CERT payload (X.509 signature)
 * with `n` bytes of `der`. */
static isakmp_msg *cert_msg(isakmp_ctx *ctx, const uint8_t *der, size_t n)
{
    static const uint8_t hdr[] = { 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0, 0, 0, 0,
                                   37, 0x20, 34, 0x08, 0, 0, 0, 0, 0, 0, 0, 0 };
    GByteArray *b = g_byte_array_new();
    g_byte_array_append(b, hdr, sizeof hdr);
    uint8_t ph[5] = { 0, 0, 0, 0, 4 };
    g_byte_array_append(b, ph, sizeof ph);
    g_byte_array_append(b, der, (guint)n);
    tu_put16(b, 30, 5 + n);
    tu_put32(b, 24, b->len);
    isakmp_msg *m = tu_decode(ctx, b->data, b->len);
    g_byte_array_free(b, TRUE);
    return m;
}

/* Inputs that are not one DER certificate, and why (a part of the reason). */
static const char *const bad[][2] = {
    { "30 82 00 01 30", "shortest form" },              /* the input */
    { "30 80 30 00 30 00 03 01 00 00 00", "indefinite" },
    { "30", "truncated element" },
    { "30 05 30 00", "past its container" },
    { "30 84 00 00 00 01 00", "shortest form" },
    { "30 85 00 00 00 00 01 00", "more than 4 bytes" },
    { "30 82 01", "truncated length" },
    { "1f 01 00", "high tag" },
    { "30 03 00 01 02", "end-of-contents" },
    { "31 00", "outline" },
    { "30 00", "missing element" },
    { "30 00 00 00", "end-of-contents" },
    { "30 00 00", "truncated element" },
    /* a certificate's outline, but a Name with two multi-valued RDNs */
    { "3060 3056 020101 300306012a 302c"
      "3114 3008 0603550403 130161 3008 0603550403 130162"
      "3114 3008 0603550403 130161 3008 0603550403 130162"
      "3006 17013217 0134 300c310a30080603550403130161 3008 300306012a 030100"
      "300306012a 030100", "multi-valued" },
};

static void test_malformed(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        size_t n;
        uint8_t *p = tu_hex(bad[i][0], &n);
        const char *why = NULL;
        g_assert_false(cert_der_check(p, n, &why));
        g_assert_nonnull(why);
        if (!strstr(why, bad[i][1]))
            g_error("input %zu: reason \"%s\", expected \"%s\"", i, why, bad[i][1]);
        g_free(p);
    }
}

/* Nested SEQUENCEs deeper than the limit stop the walk (no unbounded recursion). */
static void test_deep(void)
{
    GByteArray *b = g_byte_array_new();
    for (int i = 0; i < 50; i++) {
        uint8_t h[2] = { 0x30, (uint8_t)(2 * (49 - i)) };
        g_byte_array_append(b, h, 2);
    }
    const char *why;
    g_assert_false(cert_der_check(b->data, b->len, &why));
    g_assert_cmpstr(why, ==, "nested too deeply");
    g_byte_array_free(b, TRUE);
}

/* The sample certificates pass; cut anywhere, or with an element after, they do not. */
static void test_truncated_trailing(void)
{
    static const char *const names[] = { "ca", "initiator", "responder" };
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        size_t n;
        uint8_t *der = pki_der(names[i], &n);
        const char *why;
        g_assert_true(cert_der_check(der, n, &why));
        for (size_t cut = 0; cut < n; cut++)
            g_assert_false(cert_der_check(der, cut, &why));
        uint8_t *more = g_malloc(n + 2);   /* a NULL after it */
        memcpy(more, der, n);
        more[n] = 0x05;
        more[n + 1] = 0;
        g_assert_false(cert_der_check(more, n + 2, &why));
        g_assert_cmpstr(why, ==, "bytes after the certificate");
        g_free(more);
        g_free(der);
    }
}

/* The samples' certificates still decode through a CERT payload. */
static void test_valid_fields(void)
{
    size_t n;
    uint8_t *der = pki_der("responder", &n);
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = cert_msg(ctx, der, n);
    const char *info = tu_note_text(m, ISAKMP_NOTE_INFO);
    if (info && strstr(info, "without libksba")) {
        g_test_skip("built without libksba");
        isakmp_msg_free(m);
        isakmp_ctx_free(ctx);
        g_free(der);
        return;
    }
    char *subj = tu_values(m, "ike.cert.x509.subject");
    g_assert_nonnull(strstr(subj, "responder.samples."));
    g_free(subj);
    tu_assert_values(m, "ike.cert.x509.pubkey_alg", "rsa");
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 0);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
    g_free(der);
}

/* Every certificate field of m, one string. */
static char *cert_fields_of(isakmp_msg *m)
{
    static const char *const names[] = { "ike.cert.x509.subject", "ike.cert.x509.issuer",
                                         "ike.cert.x509.not_before", "ike.cert.x509.not_after",
                                         "ike.cert.x509.pubkey_alg" };
    GString *all = g_string_new(NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
        char *v = tu_values(m, names[i]);
        g_string_append_printf(all, "%s=%s|", names[i], v);
        g_free(v);
    }
    g_string_append_printf(all, "notes=%zu", tu_note_count(m, ISAKMP_NOTE_MALFORMED));
    return g_string_free(all, FALSE);
}

/* The context's certificate cache (what libksba said of recent
 * certificates): 40 certificates through one context, 20 distinct (more
 * than the cache holds, so entries are replaced), each decoding to what a
 * fresh context gives; and two certificates of the same length that differ
 * in one byte of the subject are told apart (bytes compared whole). */
static void test_cache(void)
{
    static const char *const names[] = { "ca", "initiator", "initiator-ecdsa", "responder",
                                         "responder-ecdsa" };
    isakmp_ctx *ctx = isakmp_ctx_new();
    for (int round = 0; round < 2; round++) {
        for (int v = 0; v < 4; v++) {
            for (size_t i = 0; i < G_N_ELEMENTS(names); i++) {
                size_t n;
                uint8_t *der = pki_der(names[i], &n);
                der[n - 1] ^= (uint8_t)v;   /* a signature bit: a distinct certificate */
                isakmp_ctx *fresh = isakmp_ctx_new();
                isakmp_msg *a = cert_msg(ctx, der, n), *b = cert_msg(fresh, der, n);
                char *fa = cert_fields_of(a), *fb = cert_fields_of(b);
                g_assert_cmpstr(fa, ==, fb);
                g_free(fa);
                g_free(fb);
                isakmp_msg_free(a);
                isakmp_msg_free(b);
                isakmp_ctx_free(fresh);
                g_free(der);
            }
        }
    }
    size_t n;
    uint8_t *der = pki_der("responder", &n);
    isakmp_msg *m = cert_msg(ctx, der, n);
    char *before = tu_values(m, "ike.cert.x509.subject");
    isakmp_msg_free(m);
    uint8_t *at = memmem(der, n, "responder", 9);
    g_assert_nonnull(at);
    at[0] = 'R';
    m = cert_msg(ctx, der, n);
    char *after = tu_values(m, "ike.cert.x509.subject");
    isakmp_msg_free(m);
    if (*before) {   /* (empty without libksba) */
        g_assert_cmpstr(before, !=, after);
        g_assert_nonnull(strstr(after, "Responder"));
    }
    g_free(before);
    g_free(after);
    g_free(der);
    isakmp_ctx_free(ctx);
}

/* Regression (issue 18): a CERT payload holding 30 82 00 01 30 cost ~5 KiB
 * of libksba's memory for good; 2,000 of them now cost nothing (the test
 * runs under LeakSanitizer / valgrind with no suppression) and each gets a
 * note saying why. */
static void test_regress_libksba_bad_der_leak(void)
{
    static const uint8_t der[] = { 0x30, 0x82, 0x00, 0x01, 0x30 };
    isakmp_ctx *ctx = isakmp_ctx_new();
    for (int i = 0; i < 2000; i++) {
        isakmp_msg *m = cert_msg(ctx, der, sizeof der);
        const char *note = tu_note_text(m, ISAKMP_NOTE_MALFORMED);
        g_assert_nonnull(note);
        g_assert_nonnull(strstr(note, "not a DER X.509 certificate: length not in its shortest"));
        isakmp_msg_free(m);
    }
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        size_t n;
        uint8_t *p = tu_hex(bad[i][0], &n);
        isakmp_msg_free(cert_msg(ctx, p, n));
        g_free(p);
    }
    isakmp_ctx_free(ctx);
}

/* Regression (issue 18): signature verification reads the certificate's key
 * with libksba too (keying/verify.c cert_key); a malformed certificate there
 * cannot tell (-1) and costs nothing that stays. */
static void test_regress_verify_bad_der_leak(void)
{
    static const uint8_t der[] = { 0x30, 0x82, 0x00, 0x01, 0x30 };
    static const uint8_t sig[64] = { 1 }, octets[16] = { 2 };
    for (int i = 0; i < 2000; i++) {
        g_assert_cmpint(verify_v2_sig_auth(1, NULL, sig, sizeof sig, der, sizeof der, octets,
                                           sizeof octets), ==, -1);
        g_assert_cmpint(verify_v1_rsa_sig(sig, sizeof sig, der, sizeof der, octets, 16), ==, -1);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cert/malformed", test_malformed);
    g_test_add_func("/cert/deep", test_deep);
    g_test_add_func("/cert/truncated_trailing", test_truncated_trailing);
    g_test_add_func("/cert/valid_fields", test_valid_fields);
    g_test_add_func("/cert/cache", test_cache);
    g_test_add_func("/cert/regress/libksba_bad_der_leak", test_regress_libksba_bad_der_leak);
    g_test_add_func("/cert/regress/verify_bad_der_leak", test_regress_verify_bad_der_leak);
    return g_test_run();
}
