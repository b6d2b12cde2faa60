/* Hash and AUTH recomputation: IKEv1 HASH_I / HASH_R and IKEv2 PSK AUTH
 * against what strongSwan logged; signatures (RSA PKCS#1, RSA-PSS, ECDSA,
 * Ed25519, IKEv1 raw RSA) made by openssl and checked against the
 * certificate; tampered inputs give 0, unusable ones -1, never a crash. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "keying/verify.h"
#include "testutil.h"

/* ---------------------------------------------------------------- daemon logs */

/* Reads the dump whose head "> LABEL => N bytes" starts at p (rows follow on its thread). */
static GByteArray *dump_at(const char *p, const char *head)
{
    unsigned want = 0;
    sscanf(p + strlen(head), "%u", &want);
    GByteArray *out = g_byte_array_new();
    for (const char *l = strchr(p, '\n'); l && out->len < want; l = strchr(l + 1, '\n')) {
        const char *t = strstr(l, "> ");
        unsigned off;
        if (!t || sscanf(t + 2, " %u:", &off) != 1 || off != out->len)
            continue;   /* another thread's line */
        const char *h = strchr(t, ':') + 2;
        for (int i = 0; i < 16 && out->len < want; i++, h += 3) {
            uint8_t v = (uint8_t)(g_ascii_xdigit_value(h[0]) << 4 | g_ascii_xdigit_value(h[1]));
            g_byte_array_append(out, &v, 1);
        }
    }
    return out;
}

/* The last dump called `label` that starts before `before` (NULL: the first in the text). */
static GByteArray *log_dump_before(const char *text, const char *label, const char *before,
                                   const char **where)
{
    gchar *head = g_strdup_printf("> %s => ", label);
    const char *found = NULL;
    for (const char *p = strstr(text, head); p && (!before || p < before); p = strstr(p + 1, head)) {
        found = p;
        if (!before)
            break;
    }
    GByteArray *out = found ? dump_at(found, head) : NULL;
    if (where)
        *where = found;
    g_free(head);
    return out;
}

static const int prfs[] = { 1, 2, 5, 6, 7 };

/* RFC 7296 2.15 against charon's own "octets" and "AUTH" dumps. */
static int check_v2_psk(const char *text)
{
    int checked = 0;
    const char *head = "> AUTH = prf(prf(secret, keypad), octets) => ";
    for (const char *at = strstr(text, head); at; at = strstr(at + 1, head)) {
        /* the parts are the dumps just before this AUTH */
        GByteArray *auth = dump_at(at, head), *id = log_dump_before(text, "IDx'", at, NULL),
                   *skp = log_dump_before(text, "SK_p", at, NULL),
                   *oct = log_dump_before(text, "octets = message + nonce + prf(Sk_px, IDx')", at, NULL),
                   *psk = log_dump_before(text, "secret", at, NULL);
        if (id && skp && oct && psk && auth) {
            size_t pl = skp->len;   /* SK_p is as long as the PRF output for HMAC PRFs */
            int prf = 0;
            uint8_t mac[KDF_MAX_PRF], out[KDF_MAX_PRF];
            kdf_chunk idc = { id->data, id->len };
            for (size_t k = 0; k < G_N_ELEMENTS(prfs) && !prf; k++)
                if (kdf_prf_size(prfs[k]) == pl && kdf_prf(prfs[k], skp->data, pl, &idc, 1, mac) &&
                    !memcmp(mac, oct->data + oct->len - pl, pl))
                    prf = prfs[k];
            g_assert_cmpint(prf, !=, 0);
            /* the octets rebuilt from their parts */
            kdf_chunk msg = { oct->data, oct->len - pl - 32 }, nonce = { oct->data + msg.n, 32 };
            kdf_chunk skc = { skp->data, skp->len };
            GByteArray *o2 = verify_v2_octets(prf, &msg, &nonce, &skc, &idc);
            g_assert_cmpmem(o2->data, o2->len, oct->data, oct->len);
            g_byte_array_free(o2, TRUE);
            kdf_chunk pc = { psk->data, psk->len }, oc = { oct->data, oct->len };
            g_assert_true(verify_v2_psk_auth(prf, &pc, &oc, out));
            g_assert_cmpmem(out, auth->len, auth->data, auth->len);
            /* a wrong PSK or a tampered octet gives another value */
            kdf_chunk wrong = { (const uint8_t *)"wrong", 5 };
            g_assert_true(verify_v2_psk_auth(prf, &wrong, &oc, out));
            g_assert_true(memcmp(out, auth->data, auth->len) != 0);
            oct->data[oct->len / 2] ^= 1;
            g_assert_true(verify_v2_psk_auth(prf, &pc, &oc, out));
            g_assert_true(memcmp(out, auth->data, auth->len) != 0);
            checked++;
        }
        GByteArray *all[] = { id, skp, oct, psk, auth };
        for (size_t k = 0; k < G_N_ELEMENTS(all); k++)
            if (all[k])
                g_byte_array_free(all[k], TRUE);
    }
    return checked;
}

/* RFC 2409 5 against charon's "HASH_I data" / "HASH_I" (and _R) dumps. */
static int check_v1_hash(const char *text)
{
    GByteArray *skeyid = log_dump_before(text, "SKEYID", NULL, NULL), *dh = log_dump_before(text, "shared Diffie Hellman secret", NULL, NULL);
    int checked = 0;
    const char *data_l[2] = { "HASH_I data", "HASH_R data" }, *hash_l[2] = { "HASH_I", "HASH_R" };
    for (int w = 0; skeyid && dh && w < 2; w++) {
        GByteArray *data = log_dump_before(text, data_l[w], NULL, NULL), *hash = log_dump_before(text, hash_l[w], NULL, NULL);
        if (data && hash && data->len > 2 * dh->len + 16) {
            int prf = hash->len == 16 ? PRF_HMAC_MD5 : hash->len == 20 ? PRF_HMAC_SHA1
                    : hash->len == 32 ? PRF_HMAC_SHA2_256 : hash->len == 48 ? PRF_HMAC_SHA2_384
                    : PRF_HMAC_SHA2_512;
            const uint8_t *p = data->data;
            size_t g = dh->len, rest = data->len - 2 * g - 16;
            kdf_chunk sk = { skeyid->data, skeyid->len }, ga = { p, g }, gb = { p + g, g };
            kdf_chunk sa = { p + 2 * g + 16, rest / 2 }, id = { p + 2 * g + 16 + rest / 2, rest - rest / 2 };
            uint8_t out[KDF_MAX_PRF];
            g_assert_true(verify_v1_phase1_hash(prf, &sk, &ga, &gb, p + 2 * g, p + 2 * g + 8, &sa, &id, out));
            g_assert_cmpmem(out, hash->len, hash->data, hash->len);
            skeyid->data[0] ^= 1;   /* a wrong SKEYID (wrong PSK / DH) gives another value */
            g_assert_true(verify_v1_phase1_hash(prf, &sk, &ga, &gb, p + 2 * g, p + 2 * g + 8, &sa, &id, out));
            g_assert_true(memcmp(out, hash->data, hash->len) != 0);
            skeyid->data[0] ^= 1;
            checked++;
        }
        if (data)
            g_byte_array_free(data, TRUE);
        if (hash)
            g_byte_array_free(hash, TRUE);
    }
    if (skeyid)
        g_byte_array_free(skeyid, TRUE);
    if (dh)
        g_byte_array_free(dh, TRUE);
    return checked;
}

static void test_daemon_logs(void)
{
    const char *env = g_getenv("ISAKMP_SAMPLES_DIR");
    gchar *root = env ? g_strdup(env) : g_build_filename(ISAKMP_SOURCE_DIR, "samples", NULL);
    GDir *dir = g_dir_open(root, 0, NULL);
    int v1 = 0, v2 = 0;
    const char *n;
    while (dir && (n = g_dir_read_name(dir))) {
        for (int side = 0; side < 2; side++) {
            gchar *p = g_build_filename(root, n, side ? "charon-responder.log" : "charon-initiator.log", NULL);
            gchar *text = NULL;
            if (g_file_get_contents(p, &text, NULL, NULL)) {
                v2 += check_v2_psk(text);
                v1 += check_v1_hash(text);
                g_free(text);
            }
            g_free(p);
        }
    }
    if (dir)
        g_dir_close(dir);
    g_free(root);
    if (!v1 && !v2)
        g_test_skip("no sample daemon logs with hash dumps");
    else
        g_test_message("checked %d IKEv1 HASH and %d IKEv2 PSK AUTH values", v1, v2);
}

/* Quick Mode / Informational hashes are the PRF over their documented inputs. */
static void test_v1_msg_hashes(void)
{
    const uint8_t ka[20] = "0123456789abcdefghij", ni[8] = "noncei..", nr[8] = "noncer..", rest[5] = "rest";
    kdf_chunk a = { ka, 20 }, cni = { ni, 8 }, cnr = { nr, 8 }, cr = { rest, 5 };
    uint8_t h1[20], h2[20], h3[20], want[20];
    const uint8_t mid[4] = { 0x5c, 0xae, 0xbf, 0x11 }, zero = 0;
    g_assert_true(verify_v1_msg_hash(PRF_HMAC_SHA1, &a, 0x5caebf11, NULL, &cr, h1));
    kdf_chunk p1[2] = { { mid, 4 }, cr };
    g_assert_true(kdf_prf(PRF_HMAC_SHA1, ka, 20, p1, 2, want));
    g_assert_cmpmem(h1, 20, want, 20);
    g_assert_true(verify_v1_msg_hash(PRF_HMAC_SHA1, &a, 0x5caebf11, &cni, &cr, h2));
    kdf_chunk p2[3] = { { mid, 4 }, cni, cr };
    g_assert_true(kdf_prf(PRF_HMAC_SHA1, ka, 20, p2, 3, want));
    g_assert_cmpmem(h2, 20, want, 20);
    g_assert_true(verify_v1_qm_hash3(PRF_HMAC_SHA1, &a, 0x5caebf11, &cni, &cnr, h3));
    kdf_chunk p3[4] = { { &zero, 1 }, { mid, 4 }, cni, cnr };
    g_assert_true(kdf_prf(PRF_HMAC_SHA1, ka, 20, p3, 4, want));
    g_assert_cmpmem(h3, 20, want, 20);
    g_assert_false(verify_v1_qm_hash3(99, &a, 1, &cni, &cnr, h3));
}

/* ---------------------------------------------------------------- signatures */

static gchar *tmpdir;

/* Runs a command line in tmpdir; false when it fails (or openssl is missing). */
static bool sh(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static bool sh(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    gchar *cmd = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    gchar *full = g_strdup_printf("cd '%s' && %s >/dev/null 2>&1", tmpdir, cmd);
    gint status = -1;
    gchar *argv[] = { g_strdup("/bin/sh"), g_strdup("-c"), full, NULL };
    bool ok = g_spawn_sync(NULL, argv, NULL, 0, NULL, NULL, NULL, NULL, &status, NULL) &&
              g_spawn_check_wait_status(status, NULL);
    g_free(cmd);
    g_free(argv[0]);
    g_free(argv[1]);
    g_free(full);
    return ok;
}

static GBytes *slurp(const char *name)
{
    gchar *p = g_build_filename(tmpdir, name, NULL), *text = NULL;
    gsize n = 0;
    GBytes *b = g_file_get_contents(p, &text, &n, NULL) ? g_bytes_new_take(text, n) : NULL;
    g_free(p);
    return b;
}

/* A key and self-signed certificate of `kind` ("rsa", "ec", "ed25519") as k-KIND.pem, c-KIND.der. */
static bool make_cert(const char *kind)
{
    const char *newkey = !strcmp(kind, "rsa") ? "rsa:2048"
                       : !strcmp(kind, "ec") ? "ec -pkeyopt ec_paramgen_curve:P-256" : "ed25519";
    return sh("openssl req -x509 -newkey %s -nodes -keyout k-%s.pem -outform DER -out c-%s.der "
              "-subj /CN=test -days 2", newkey, kind, kind);
}

/* RFC 7427 AUTH data: length, AlgorithmIdentifier, signature. */
static GByteArray *auth7427(const char *algid_hex, GBytes *sig)
{
    size_t al;
    uint8_t *alg = tu_hex(algid_hex, &al);
    GByteArray *a = g_byte_array_new();
    uint8_t l = (uint8_t)al;
    g_byte_array_append(a, &l, 1);
    g_byte_array_append(a, alg, (guint)al);
    g_byte_array_append(a, g_bytes_get_data(sig, NULL), (guint)g_bytes_get_size(sig));
    g_free(alg);
    return a;
}

/* Method 14's AUTH data is split as the AUTH parser splits it (RFC 7427 3):
 * the AlgorithmIdentifier after its length octet, then the signature. */
static int check(int method, const GByteArray *auth, GBytes *cert, const uint8_t *msg, size_t n)
{
    gsize cl;
    const uint8_t *c = g_bytes_get_data(cert, &cl);
    if (method != 14)
        return verify_v2_sig_auth(method, NULL, auth->data, auth->len, c, cl, msg, n);
    size_t skip = auth->len ? 1 + (size_t)auth->data[0] : 1;
    if (skip > auth->len)   /* the parser splits nothing off */
        return verify_v2_sig_auth(14, &(kdf_chunk){ auth->data, 0 }, auth->data, 0, c, cl, msg, n);
    kdf_chunk alg = { auth->data + 1, skip - 1 };
    return verify_v2_sig_auth(14, &alg, auth->data + skip, auth->len - skip, c, cl, msg, n);
}

/* Signs octets.bin with `how`, wraps it in AUTH, checks it and its tampered forms. */
static void sig_case(const char *kind, const char *how, const char *algid, GBytes *other)
{
    static const uint8_t octets[] = "IKE_SA_INIT message | nonce | prf(SK_pi, IDi')";
    gchar *p = g_build_filename(tmpdir, "octets.bin", NULL);
    g_assert_true(g_file_set_contents(p, (const char *)octets, sizeof octets, NULL));
    g_free(p);
    g_assert_true(sh("openssl %s -inkey k-%s.pem -in octets.bin -out sig.bin 2>/dev/null || "
                     "openssl %s k-%s.pem -out sig.bin octets.bin", how, kind, how, kind));
    g_test_message("signature case %s: %s", kind, how);
    gchar *cn = g_strdup_printf("c-%s.der", kind);
    GBytes *sig = slurp("sig.bin"), *cert = slurp(cn);
    g_free(cn);
    GByteArray *auth = auth7427(algid, sig);
    g_assert_cmpint(check(14, auth, cert, octets, sizeof octets), ==, 1);
    uint8_t bad[sizeof octets];
    memcpy(bad, octets, sizeof bad);
    bad[3] ^= 1;
    g_assert_cmpint(check(14, auth, cert, bad, sizeof bad), ==, 0);       /* tampered octets */
    auth->data[auth->len - 5] ^= 0x10;
    g_assert_cmpint(check(14, auth, cert, octets, sizeof octets), ==, 0); /* tampered signature */
    auth->data[auth->len - 5] ^= 0x10;
    if (other)
        g_assert_cmpint(check(14, auth, other, octets, sizeof octets), <=, 0);  /* another key */
    g_byte_array_free(auth, TRUE);
    g_bytes_unref(sig);
    g_bytes_unref(cert);
}

/* DER ECDSA-Sig-Value -> r | s of `w` bytes each (RFC 4754). */
static GByteArray *ecdsa_raw(GBytes *der, size_t w)
{
    gsize n;
    const uint8_t *p = g_bytes_get_data(der, &n);
    GByteArray *out = g_byte_array_new();
    size_t off = 2;
    for (int i = 0; i < 2; i++) {
        size_t l = p[off + 1];
        const uint8_t *v = p + off + 2;
        while (l > w) { v++; l--; }
        uint8_t z = 0;
        for (size_t k = l; k < w; k++)
            g_byte_array_append(out, &z, 1);
        g_byte_array_append(out, v, (guint)l);
        off += 2 + p[off + 1];
    }
    return out;
}

static void test_signatures(void)
{
    gchar *openssl = g_find_program_in_path("openssl");
    if (!openssl) {
        g_test_skip("openssl not installed");
        return;
    }
    g_free(openssl);
    tmpdir = g_dir_make_tmp("isakmp-verify-XXXXXX", NULL);
    g_assert_true(make_cert("rsa") && make_cert("ec"));
    GBytes *ec = slurp("c-ec.der"), *rsa = slurp("c-rsa.der");
    /* RFC 7427 Appendix A AlgorithmIdentifiers */
    sig_case("rsa", "dgst -sha256 -sign", "300d06092a864886f70d01010b0500", ec);
    sig_case("rsa", "dgst -sha1 -sign", "300d06092a864886f70d0101050500", ec);
    sig_case("rsa", "dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -sign",
             "3041" "06092a864886f70d01010a" "3034"
             "a00f300d0609608648016503040201" "0500"
             "a11c301a06092a864886f70d010108300d0609608648016503040201" "0500"
             "a203020120", ec);
    sig_case("ec", "dgst -sha256 -sign", "300a06082a8648ce3d040302", rsa);
    if (make_cert("ed25519"))
        sig_case("ed25519", "pkeyutl -sign -rawin", "300506032b6570", rsa);

    /* RFC 4754 method 9: raw r | s */
    static const uint8_t msg[] = "octets";
    gchar *p = g_build_filename(tmpdir, "m.bin", NULL);
    g_assert_true(g_file_set_contents(p, (const char *)msg, sizeof msg, NULL));
    g_free(p);
    g_assert_true(sh("openssl dgst -sha256 -sign k-ec.pem -out s.bin m.bin"));
    GBytes *der = slurp("s.bin");
    GByteArray *raw = ecdsa_raw(der, 32);
    g_assert_cmpint(check(9, raw, ec, msg, sizeof msg), ==, 1);
    g_assert_cmpint(check(9, raw, ec, msg, sizeof msg - 1), ==, 0);
    g_assert_cmpint(check(2, raw, ec, msg, sizeof msg), ==, -1);          /* PSK is not a signature */
    g_assert_cmpint(verify_v2_sig_auth(9, NULL, raw->data, raw->len, (const uint8_t *)"junk", 4,
                                       msg, sizeof msg), ==, -1);               /* unreadable certificate */
    g_byte_array_free(raw, TRUE);
    g_bytes_unref(der);

    /* IKEv1 (RFC 2409 5.1): PKCS#1 over the bare hash */
    static const uint8_t hash[20] = "HASH_I of 20 bytes!";
    p = g_build_filename(tmpdir, "h.bin", NULL);
    g_assert_true(g_file_set_contents(p, (const char *)hash, sizeof hash, NULL));
    g_free(p);
    g_assert_true(sh("openssl pkeyutl -sign -inkey k-rsa.pem -in h.bin -out hs.bin"));
    GBytes *hs = slurp("hs.bin");
    gsize sl, cl;
    const uint8_t *s = g_bytes_get_data(hs, &sl), *c = g_bytes_get_data(rsa, &cl);
    g_assert_cmpint(verify_v1_rsa_sig(s, sl, c, cl, hash, sizeof hash), ==, 1);
    uint8_t h2[20];
    memcpy(h2, hash, 20);
    h2[0] ^= 1;
    g_assert_cmpint(verify_v1_rsa_sig(s, sl, c, cl, h2, sizeof h2), ==, 0);
    gsize ecl;
    const uint8_t *ecc = g_bytes_get_data(ec, &ecl);
    g_assert_cmpint(verify_v1_rsa_sig(s, sl, ecc, ecl, hash, sizeof hash), ==, -1);  /* not an RSA key */
    g_bytes_unref(hs);

    /* IKEv1 ECDSA (RFC 4754 method 9), as strongSwan signs it: HASH_R (32
     * bytes of PRF-HMAC-SHA-256) taken as the digest, r | s in the SIG */
    static const uint8_t hash32[32] = "HASH_R of a SHA-256 PRF, 32 b.";
    p = g_build_filename(tmpdir, "h32.bin", NULL);
    g_assert_true(g_file_set_contents(p, (const char *)hash32, sizeof hash32, NULL));
    g_free(p);
    g_assert_true(sh("openssl pkeyutl -sign -inkey k-ec.pem -in h32.bin -out es.bin"));
    GBytes *es = slurp("es.bin");
    GByteArray *rs = ecdsa_raw(es, 32);
    uint8_t h32[32];
    memcpy(h32, hash32, 32);
    g_assert_cmpint(verify_v1_ecdsa_sig(9, rs->data, rs->len, ecc, ecl, h32, 32), ==, 1);
    h32[31] ^= 1;
    g_assert_cmpint(verify_v1_ecdsa_sig(9, rs->data, rs->len, ecc, ecl, h32, 32), ==, 0);
    g_assert_cmpint(verify_v1_ecdsa_sig(9, rs->data, rs->len - 1, ecc, ecl, hash32, 32), ==, 0);
    g_assert_cmpint(verify_v1_ecdsa_sig(9, rs->data, rs->len, c, cl, hash32, 32), ==, -1);  /* RSA key */
    g_assert_cmpint(verify_v1_ecdsa_sig(3, rs->data, rs->len, ecc, ecl, hash32, 32), ==, -1); /* method */
    g_byte_array_free(rs, TRUE);
    g_bytes_unref(es);

    /* malformed AUTH data never crashes */
    const uint8_t junk[] = { 0xff, 0x30, 0x82 };
    GByteArray *j = g_byte_array_new();
    g_byte_array_append(j, junk, sizeof junk);
    g_assert_cmpint(check(14, j, rsa, msg, sizeof msg), ==, -1);
    g_assert_cmpint(verify_v2_sig_auth(14, NULL, junk, sizeof junk, g_bytes_get_data(rsa, NULL),
                                       g_bytes_get_size(rsa), msg, sizeof msg), ==, -1);
    g_byte_array_free(j, TRUE);
    g_bytes_unref(ec);
    g_bytes_unref(rsa);
    sh("rm -f *.pem *.der *.bin");
    g_rmdir(tmpdir);
    g_free(tmpdir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/verify/daemon_logs", test_daemon_logs);
    g_test_add_func("/verify/v1_msg_hashes", test_v1_msg_hashes);
    g_test_add_func("/verify/signatures", test_signatures);
    return g_test_run();
}
