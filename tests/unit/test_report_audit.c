/*
 * The audit rules of isakmpdump --report (cli/audit.c, docs/report.md):
 * for every rule, a row that breaks it and a near-identical row that does
 * not; the rules file parser (severities, "off", "*", errors with
 * file:line); and the report's bounded SA table.  The numbers are IANA's
 * (RFC 2409 App. A, RFC 2407 4.4.4/4.5, RFC 7296 3.3.2, RFC 7427).
 *
 * The CLI is not a library: its report sources are compiled in here.
 */
#include <string.h>

#include "testutil.h"

#include "../../cli/report/audit.c"
#include "../../cli/report/report.c"
#include "../../cli/report/report_out.c"
#include "../../cli/report/report_walk.c"
#include "../../cli/report/severity.c"

static rpt_report *rep;

static void alg(rpt_alg *a, uint32_t id, const char *name)
{
    a->set = true;
    a->id = id;
    g_strlcpy(a->name, name, sizeof a->name);
}

/* A clean IKEv2 IKE SA: AES-CBC-256, SHA2-256, PRF SHA2-256, group 19, PSK. */
static rpt_row *good_v2(void)
{
    rpt_row *r = row_new(rep, RPT_IKE_SA, 2);
    r->exch = 34;
    g_strlcpy(r->exchange, "IKE_SA_INIT", sizeof r->exchange);
    r->have_chosen = true;
    r->chosen.protoid = 1;
    alg(&r->chosen.encr, 12, "ENCR_AES_CBC");
    r->chosen.key_length = 256;
    alg(&r->chosen.integ, 12, "AUTH_HMAC_SHA2_256_128");
    alg(&r->chosen.prf, 5, "PRF_HMAC_SHA2_256");
    alg(&r->chosen.dh, 19, "256-bit random ECP group");
    r->auth_i_id = r->auth_r_id = 2;
    r->outcome = RPT_ESTABLISHED;
    return r;
}

/* A clean IKEv1 Quick Mode child: ESP AES-CBC-128, HMAC-SHA2-256, PFS 14. */
static rpt_row *good_v1_child(void)
{
    rpt_row *ike = row_new(rep, RPT_IKE_SA, 1);
    rpt_row *r = row_new(rep, RPT_CHILD_SA, 1);
    r->ike = ike;
    r->exch = 32;
    g_strlcpy(r->exchange, "Quick Mode", sizeof r->exchange);
    r->have_chosen = true;
    r->chosen.protoid = 3;
    alg(&r->chosen.encr, 12, "AES-CBC");
    r->chosen.key_length = 128;
    alg(&r->chosen.integ, 5, "HMAC-SHA2-256");
    alg(&r->chosen.dh, 14, "2048-bit MODP group");
    r->ke_seen = true;
    r->outcome = RPT_ESTABLISHED;
    return r;
}

/* An IKEv1 Main Mode SA: AES-CBC-128, SHA2-256, PSK, group 14. */
static rpt_row *v1_ike(void)
{
    rpt_row *r = row_new(rep, RPT_IKE_SA, 1);
    r->exch = 2;
    g_strlcpy(r->exchange, "Identity Protection (Main Mode)", sizeof r->exchange);
    r->have_chosen = true;
    r->chosen.protoid = 1;
    alg(&r->chosen.encr, 7, "AES-CBC");
    r->chosen.key_length = 128;
    alg(&r->chosen.prf, 4, "SHA2-256");
    alg(&r->chosen.auth, 3, "RSA signatures");
    alg(&r->chosen.dh, 14, "2048-bit MODP group");
    r->outcome = RPT_ESTABLISHED;
    return r;
}

static bool has(rpt_row *r, const char *rule)
{
    audit_row(NULL, r);
    for (guint i = 0; i < r->findings->len; i++)
        if (strcmp(g_array_index(r->findings, rpt_finding, i).rule, rule) == 0)
            return true;
    return false;
}

/* The clean rows have no finding at all (IKEv1 SAs only "ikev1"). */
static void test_clean(void)
{
    rpt_row *r = good_v2();
    audit_row(NULL, r);
    g_assert_cmpuint(r->findings->len, ==, 0);
    r = good_v1_child();
    audit_row(NULL, r);
    g_assert_cmpuint(r->findings->len, ==, 0);
    r = v1_ike();
    audit_row(NULL, r);
    g_assert_cmpuint(r->findings->len, ==, 1);
    g_assert_true(has(r, "ikev1"));
    g_assert_false(has(good_v2(), "ikev1"));
}

static void test_encr(void)
{
    rpt_row *r = good_v2();
    alg(&r->chosen.encr, 11, "ENCR_NULL");
    g_assert_true(has(r, "encr-null"));
    g_assert_true(has(r, "integ-none") == false);   /* integrity is still there */
    alg(&r->chosen.encr, 2, "ENCR_DES");
    g_assert_true(has(r, "encr-des"));
    alg(&r->chosen.encr, 3, "ENCR_3DES");
    g_assert_true(has(r, "encr-3des"));
    g_assert_false(has(r, "encr-des"));
    alg(&r->chosen.encr, 7, "ENCR_BLOWFISH");
    g_assert_true(has(r, "encr-legacy"));
    r = v1_ike();   /* IKEv1 Phase 1 numbers differ: 1 DES, 5 3DES, 3 Blowfish */
    alg(&r->chosen.encr, 1, "DES-CBC");
    g_assert_true(has(r, "encr-des"));
    alg(&r->chosen.encr, 5, "3DES-CBC");
    g_assert_true(has(r, "encr-3des"));
    alg(&r->chosen.encr, 3, "Blowfish-CBC");
    g_assert_true(has(r, "encr-legacy"));
    alg(&r->chosen.encr, 7, "AES-CBC");
    g_assert_false(has(r, "encr-legacy") || has(r, "encr-3des") || has(r, "encr-des"));
    r = good_v1_child();   /* ESP: 3 ESP_3DES, 11 ESP_NULL */
    alg(&r->chosen.encr, 3, "ESP_3DES");
    g_assert_true(has(r, "encr-3des"));
    alg(&r->chosen.encr, 11, "ESP_NULL");
    g_assert_true(has(r, "encr-null"));
}

static void test_hash(void)
{
    rpt_row *r = good_v2();
    alg(&r->chosen.integ, 1, "AUTH_HMAC_MD5_96");
    g_assert_true(has(r, "hash-md5"));
    alg(&r->chosen.integ, 2, "AUTH_HMAC_SHA1_96");
    g_assert_true(has(r, "integ-sha1"));
    g_assert_false(has(r, "hash-md5"));
    alg(&r->chosen.integ, 3, "AUTH_DES_MAC");
    g_assert_true(has(r, "integ-weak"));
    r = good_v2();
    alg(&r->chosen.prf, 1, "PRF_HMAC_MD5");
    g_assert_true(has(r, "hash-md5"));
    alg(&r->chosen.prf, 2, "PRF_HMAC_SHA1");
    g_assert_true(has(r, "prf-sha1"));
    g_assert_false(has(r, "integ-sha1"));
    r = v1_ike();   /* the Phase 1 hash: 1 MD5, 2 SHA */
    alg(&r->chosen.prf, 1, "MD5");
    g_assert_true(has(r, "hash-md5"));
    alg(&r->chosen.prf, 2, "SHA");
    g_assert_true(has(r, "integ-sha1"));
    g_assert_false(has(r, "prf-sha1"));
    r = good_v1_child();   /* ESP auth_algorithm: 1 HMAC-MD5, 2 HMAC-SHA */
    alg(&r->chosen.integ, 1, "HMAC-MD5");
    g_assert_true(has(r, "hash-md5"));
    alg(&r->chosen.integ, 2, "HMAC-SHA");
    g_assert_true(has(r, "integ-sha1"));
}

static void test_integ_none(void)
{
    rpt_row *r = good_v2();
    r->chosen.integ.set = false;
    g_assert_true(has(r, "integ-none"));
    alg(&r->chosen.encr, 20, "ENCR_AES_GCM_16");   /* AEAD: no integrity transform */
    g_assert_false(has(r, "integ-none"));
    r = good_v1_child();
    r->chosen.integ.set = false;
    g_assert_true(has(r, "integ-none"));
    g_assert_false(has(v1_ike(), "integ-none"));   /* Phase 1 integrity is its hash */
}

static void test_dh(void)
{
    static const uint32_t weak[] = { 1, 2, 5, 22, 25 };
    for (size_t i = 0; i < G_N_ELEMENTS(weak); i++) {
        rpt_row *r = good_v2();
        alg(&r->chosen.dh, weak[i], "weak");
        g_assert_true(has(r, "dh-weak"));
    }
    rpt_row *r = good_v2();
    alg(&r->chosen.dh, 14, "2048-bit MODP Group");
    g_assert_false(has(r, "dh-weak"));
    alg(&r->chosen.dh, 24, "2048-bit MODP Group with 256-bit Prime Order Subgroup");
    g_assert_true(has(r, "dh-small-subgroup"));
    g_assert_false(has(r, "dh-weak"));
    r = good_v1_child();   /* a child's group counts only when PFS was used */
    alg(&r->chosen.dh, 2, "Alternate 1024-bit MODP group");
    g_assert_true(has(r, "dh-weak"));
    r->ke_seen = false;
    g_assert_false(has(r, "dh-weak"));
}

/* Post-quantum (RFC 9370 ADDKE, ML-KEM 35-37): off by default; turned on,
 * an IKEv2 IKE SA without ML-KEM is a finding, and so is ML-KEM offered but
 * not chosen. */
static bool has_with(const audit_rules *ar, rpt_row *r, const char *rule)
{
    audit_row(ar, r);
    for (guint i = 0; i < r->findings->len; i++)
        if (strcmp(g_array_index(r->findings, rpt_finding, i).rule, rule) == 0)
            return true;
    return false;
}

static void test_pq(void)
{
    char err[256];
    audit_rules *on = audit_rules_new();
    g_assert_cmpint(audit_rules_load_mem(on, "t", "pq-none low\npq-not-chosen medium\n", err, sizeof err), ==, 0);
    rpt_row *r = good_v2();
    g_assert_false(has(r, "pq-none"));                /* off by default */
    g_assert_true(has_with(on, r, "pq-none"));
    r->chosen.addke[0] = 20;                          /* ADDKE1 ECP-384: still no ML-KEM */
    g_assert_true(has_with(on, r, "pq-none"));
    r->chosen.addke[1] = 36;                          /* ADDKE2 ML-KEM-768 */
    g_assert_false(has_with(on, r, "pq-none"));
    r = good_v2();
    alg(&r->chosen.dh, 37, "ml-kem-1024");            /* ML-KEM as the KE method */
    g_assert_false(has_with(on, r, "pq-none"));
    r = good_v2();
    rpt_suite offer = r->chosen;
    offer.addke[0] = 36;
    g_array_append_val(r->offers, offer);
    g_assert_true(has_with(on, r, "pq-not-chosen"));
    g_assert_false(has(r, "pq-not-chosen"));          /* off by default */
    r->chosen.addke[0] = 36;
    g_assert_false(has_with(on, r, "pq-not-chosen"));
    rpt_row *c = good_v1_child();                     /* IKEv1 / children: not judged */
    g_assert_false(has_with(on, c, "pq-none"));
    audit_rules_free(on);
}

static void test_pfs(void)
{
    rpt_row *r = good_v1_child();
    g_assert_false(has(r, "no-pfs"));
    r->ke_seen = false;
    g_assert_true(has(r, "no-pfs"));
    r->exch = 36;   /* CREATE_CHILD_SA without KE */
    g_assert_true(has(r, "no-pfs"));
    r->exch = 35;   /* IKE_AUTH children never have their own DH */
    g_assert_false(has(r, "no-pfs"));
    r->exch = 32;
    r->have_chosen = false;   /* not negotiated (or not decrypted): no judgement */
    g_assert_false(has(r, "no-pfs"));
}

static void test_v1_modes(void)
{
    rpt_row *r = v1_ike();
    r->exch = 4;
    g_assert_false(has(r, "aggressive-psk"));   /* RSA signatures */
    alg(&r->chosen.auth, 1, "Pre-shared key");
    g_assert_true(has(r, "aggressive-psk"));
    r->have_chosen = false;   /* the initiator's offer is enough */
    rpt_suite s = r->chosen;
    g_array_append_val(r->offers, s);
    g_assert_true(has(r, "aggressive-psk"));
    r = v1_ike();
    alg(&r->chosen.auth, 1, "Pre-shared key");
    g_assert_false(has(r, "aggressive-psk"));   /* Main Mode */
    g_assert_false(has(r, "xauth-psk"));
    alg(&r->chosen.auth, 65001, "XAUTHInitPreShared");
    g_assert_true(has(r, "xauth-psk"));
}

static void test_lifetime(void)
{
    rpt_row *r = good_v1_child();
    r->chosen.life_s = 86400;
    g_assert_false(has(r, "lifetime-long"));
    r->chosen.life_s = 86401;
    g_assert_true(has(r, "lifetime-long"));
}

static void test_signatures(void)
{
    rpt_row *r = good_v2();
    r->auth_r_id = 14;
    g_assert_false(has(r, "sig-sha1"));
    r->auth_r_id = 1;   /* RSA Digital Signature: PKCS#1 v1.5 with SHA-1 */
    g_assert_true(has(r, "sig-sha1"));
    r->auth_r_id = 3;
    g_assert_true(has(r, "sig-sha1"));
    r = good_v2();
    g_assert_false(has(r, "sig-hash-sha1"));
    r->sig_hash_sha1 = true;
    g_strlcpy(r->sig_hashes, "SHA1,SHA2-256", sizeof r->sig_hashes);
    g_assert_true(has(r, "sig-hash-sha1"));
    r = good_v2();
    g_strlcpy(r->auth_i, "EAP-MD5", sizeof r->auth_i);
    g_assert_true(has(r, "eap-md5"));
    g_strlcpy(r->auth_i, "EAP-MSCHAP-V2", sizeof r->auth_i);
    g_assert_false(has(r, "eap-md5"));
}

static void test_state_rules(void)
{
    rpt_row *r = good_v2();
    r->icv_ok = 4;
    g_assert_false(has(r, "verify-failed"));
    r->auth_bad = 1;
    g_assert_true(has(r, "verify-failed"));
    r = good_v2();
    r->outcome = RPT_FAILED;
    g_strlcpy(r->error, "NO_PROPOSAL_CHOSEN", sizeof r->error);
    g_assert_true(has(r, "failed"));
    g_assert_nonnull(strstr(g_array_index(r->findings, rpt_finding, 0).reason,
                            "NO_PROPOSAL_CHOSEN"));
    r = good_v2();
    r->encrypted = 4;
    r->decrypted = 4;
    g_assert_false(has(r, "not-decrypted"));
    r->decrypted = 3;
    g_assert_true(has(r, "not-decrypted"));
}

/* Every rule in the table is exercised above. */
static void test_table_covered(void)
{
    static const char *const tested[] = {
        "encr-null", "encr-des", "encr-legacy", "encr-3des", "hash-md5", "integ-weak",
        "integ-none", "integ-sha1", "prf-sha1", "dh-weak", "dh-small-subgroup", "no-pfs",
        "ikev1", "aggressive-psk", "xauth-psk", "lifetime-long", "sig-sha1", "sig-hash-sha1",
        "eap-md5", "verify-failed", "failed", "not-decrypted", "pq-none", "pq-not-chosen",
    };
    size_t n;
    const audit_rule *t = audit_rule_table(&n);
    g_assert_cmpuint(n, ==, G_N_ELEMENTS(tested));
    for (size_t i = 0; i < n; i++) {
        bool found = false;
        for (size_t k = 0; k < G_N_ELEMENTS(tested); k++)
            found |= strcmp(t[i].id, tested[k]) == 0;
        g_assert_true(found);
    }
}

static void test_rules_file(void)
{
    audit_rules *ar = audit_rules_new();
    char err[256];
    g_assert_cmpint(audit_rules_load_mem(ar, "r", "# c\n\nhash-md5 low\n  ikev1\toff # x\n",
                                         err, sizeof err), ==, 0);
    rpt_row *r = v1_ike();
    alg(&r->chosen.prf, 1, "MD5");
    audit_row(ar, r);
    g_assert_cmpuint(r->findings->len, ==, 1);
    g_assert_cmpstr(g_array_index(r->findings, rpt_finding, 0).rule, ==, "hash-md5");
    g_assert_cmpint(g_array_index(r->findings, rpt_finding, 0).severity, ==, RPT_SEV_LOW);
    g_assert_cmpint(audit_rules_load_mem(ar, "r", "* critical\n", err, sizeof err), ==, 0);
    audit_row(ar, r);
    g_assert_cmpint(g_array_index(r->findings, rpt_finding, 0).severity, ==, RPT_SEV_CRITICAL);
    g_assert_cmpint(audit_rules_load_mem(ar, "f", "ikev1 low\nikev1 severe\n", err, sizeof err),
                    ==, -1);
    g_assert_cmpstr(err, ==, "f:2: unknown severity (info, low, medium, high, critical, off)");
    g_assert_cmpint(audit_rules_load_mem(ar, "f", "nope high\n", err, sizeof err), ==, -1);
    g_assert_true(g_str_has_prefix(err, "f:1: unknown rule"));
    g_assert_cmpint(audit_rules_load_mem(ar, "f", "ikev1 low high\n", err, sizeof err), ==, -1);
    g_assert_cmpstr(err, ==, "f:1: expected: RULE-ID SEVERITY");
    audit_rules_free(ar);
}

/* The SA table lists at most max_rows rows; the rows beyond are audited all
 * the same (issue 18: a weak SA after the cap hid from --fail-on). */
static void test_cap(void)
{
    rpt_opts o = { .max_rows = 3 };
    rpt_report *small = rpt_new(&o);
    for (int i = 0; i < 5; i++)
        row_new(small, RPT_IKE_SA, 2);
    rpt_row *weak = row_new(small, RPT_IKE_SA, 1);   /* the sixth: unlisted, and weak */
    weak->exch = 2;
    weak->have_chosen = true;
    weak->chosen.protoid = 1;
    alg(&weak->chosen.encr, 1, "DES-CBC");
    alg(&weak->chosen.prf, 1, "MD5");
    alg(&weak->chosen.dh, 1, "Default 768-bit MODP group");
    g_assert_true(weak->unlisted);
    g_assert_cmpuint(small->order->len, ==, 3);
    g_assert_cmpuint(small->unlisted_rows, ==, 3);
    FILE *f = tmpfile();
    int worst = rpt_finish(small, f);
    g_assert_cmpint(worst, >=, RPT_SEV_HIGH);
    g_assert_cmpuint(small->ufound[RPT_SEV_HIGH] + small->ufound[RPT_SEV_CRITICAL], >, 0);
    rewind(f);
    char buf[8192] = "";
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = 0;
    fclose(f);
    g_assert_nonnull(strstr(buf, "SA table full"));
    g_assert_nonnull(strstr(buf, "3 more SAs"));
    g_assert_nonnull(strstr(buf, "Findings of the SAs not listed:"));
    g_assert_null(strstr(buf, "DES-CBC"));   /* audited, not listed */
    rpt_free(small);
}

/* More unlisted SAs than are held at once: the oldest are audited and
 * freed as new ones come, their findings kept. */
static void test_cap_retire(void)
{
    rpt_opts o = { .max_rows = 1 };
    rpt_report *small = rpt_new(&o);
    row_new(small, RPT_IKE_SA, 2);
    for (int i = 0; i < RPT_UNLISTED_HELD * 3; i++) {
        if (small->unlisted->len >= RPT_UNLISTED_HELD)
            retire_unlisted(small, small->unlisted->len / 2);
        rpt_row *ike = row_new(small, RPT_IKE_SA, 1);
        ike->exch = 2;
        ike->have_chosen = true;
        alg(&ike->chosen.encr, i == 5 ? 1 : 7, i == 5 ? "DES-CBC" : "AES-CBC");
        uint32_t be = GUINT32_TO_BE((uint32_t)i + 1);
        memcpy(ike->ispi, &be, 4);   /* its children's keys are made from it */
        char *k = g_strdup_printf("k%d", i);
        row_key(small, k, ike);
        rpt_row *c = child_get(small, ike, "qm", 1, RPT_CHILD_SA, true);
        g_assert_true(c->unlisted);
        g_assert_true(c->ike == ike);
    }
    g_assert_cmpuint(small->unlisted->len, <=, RPT_UNLISTED_HELD + 2);
    g_assert_cmpuint(g_hash_table_size(small->ukeys), <=, 2 * (RPT_UNLISTED_HELD + 2));
    FILE *f = tmpfile();
    int worst = rpt_finish(small, f);
    fclose(f);
    g_assert_cmpint(worst, >=, RPT_SEV_HIGH);   /* the sixth one's DES, long retired */
    g_assert_cmpuint(small->unlisted->len, ==, 0);
    g_assert_cmpuint(g_hash_table_size(small->ukeys), ==, 0);
    rpt_free(small);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    rpt_opts o = { 0 };
    rep = rpt_new(&o);
    g_test_add_func("/report/audit/clean", test_clean);
    g_test_add_func("/report/audit/encr", test_encr);
    g_test_add_func("/report/audit/hash", test_hash);
    g_test_add_func("/report/audit/integ-none", test_integ_none);
    g_test_add_func("/report/audit/dh", test_dh);
    g_test_add_func("/report/audit/pq", test_pq);
    g_test_add_func("/report/audit/pfs", test_pfs);
    g_test_add_func("/report/audit/v1-modes", test_v1_modes);
    g_test_add_func("/report/audit/lifetime", test_lifetime);
    g_test_add_func("/report/audit/signatures", test_signatures);
    g_test_add_func("/report/audit/state", test_state_rules);
    g_test_add_func("/report/audit/table-covered", test_table_covered);
    g_test_add_func("/report/audit/rules-file", test_rules_file);
    g_test_add_func("/report/cap", test_cap);
    g_test_add_func("/report/cap_retire", test_cap_retire);
    int rc = g_test_run();
    rpt_free(rep);
    return rc;
}
