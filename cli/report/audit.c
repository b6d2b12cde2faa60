/* The audit rules of isakmpdump --report (docs/report.md lists them).
 * Algorithm rules look at what was negotiated (the responder's choice);
 * an SA whose choice was never seen (failed, or not decrypted) is judged
 * only by the rules that need no choice.  Sources: RFC 8247 (IKEv2
 * algorithm requirements), RFC 8221 (ESP/AH), RFC 9395 (IKEv1 deprecated),
 * RFC 7427 (signature hashes). */
#include <stdlib.h>
#include <string.h>

#include "audit.h"

/* ---------------------------------------------------------------- normalising */

/* The cipher in IKEv2 / ESP transform ID numbering (RFC 7296 3.3.2 and
 * RFC 2407 4.4.4 share it); IKEv1 Phase 1 numbers (RFC 2409 App. A) are mapped. */
static int encr_id(const rpt_row *row, const rpt_suite *s)
{
    static const int v1_ike[] = { -1, 2, 5, 7, 4, 3, 6, 12, 23 };
    if (!s->encr.set || s->protoid == 2)   /* AH has no cipher */
        return -1;
    if (row->version == 1 && s->protoid == 1)
        return s->encr.id < G_N_ELEMENTS(v1_ike) ? v1_ike[s->encr.id] : 1000;
    return (int)s->encr.id;
}

static bool encr_in(int id, const int *set)
{
    for (; *set; set++)
        if (*set == id)
            return true;
    return false;
}

static const int ENCR_DES[] = { 1, 2, 9, 0 };
static const int ENCR_3DES[] = { 3, 0 };
static const int ENCR_NULL[] = { 11, 21, 0 };   /* NULL, NULL_AUTH_AES_GMAC */
static const int ENCR_LEGACY[] = { 4, 5, 6, 7, 8, 10, 0 };   /* RC5 IDEA CAST Blowfish 3IDEA RC4 */
static const int ENCR_AEAD[] = { 14, 15, 16, 18, 19, 20, 21, 28, 0 };   /* CCM, GCM, ChaCha20 */

typedef enum { H_UNKNOWN, H_NONE, H_MD5, H_SHA1, H_WEAK, H_GOOD } hash_family;

/* Integrity: IKEv2 INTEG (RFC 7296 3.3.2) or IPsec DOI auth_algorithm
 * (RFC 2407 4.5); IKEv1 Phase 1 protects with its hash algorithm. */
static hash_family integ_family(const rpt_row *row, const rpt_suite *s)
{
    static const hash_family v2[] = { H_NONE, H_MD5, H_SHA1, H_WEAK, H_MD5, H_GOOD, H_MD5, H_SHA1 };
    static const hash_family v1[] = { H_NONE, H_MD5, H_SHA1, H_WEAK, H_MD5 };
    if (row->version == 1 && s->protoid == 1)
        return H_UNKNOWN;   /* see prf_family */
    if (!s->integ.set)
        return H_NONE;
    const hash_family *t = row->version == 2 ? v2 : v1;
    size_t n = row->version == 2 ? G_N_ELEMENTS(v2) : G_N_ELEMENTS(v1);
    return s->integ.id < n ? t[s->integ.id] : H_GOOD;
}

/* PRF: IKEv2 PRF (RFC 7296 3.3.2) or IKEv1 hash algorithm (RFC 2409 App. A). */
static hash_family prf_family(const rpt_row *row, const rpt_suite *s)
{
    static const hash_family t[] = { H_UNKNOWN, H_MD5, H_SHA1, H_WEAK };   /* 3: Tiger */
    if (!s->prf.set)
        return H_UNKNOWN;
    return s->prf.id < G_N_ELEMENTS(t) ? t[s->prf.id] : H_GOOD;
}

static const rpt_suite *chosen(const rpt_row *row)
{
    return row->have_chosen ? &row->chosen : NULL;
}

/* The DH group that protects the SA: an IKE SA's group, a child's PFS group. */
static int dh_group(const rpt_row *row)
{
    const rpt_suite *s = chosen(row);
    if (row->kind == RPT_CHILD_SA && !row->ke_seen)
        return -1;
    if (s && s->dh.set)
        return (int)s->dh.id;
    return row->ke_group ? (int)row->ke_group : -1;
}

/* Post-quantum key exchange in a suite: ML-KEM (35, 36, 37,
 * draft-ietf-ipsecme-ikev2-mlkem) as the KE method or an additional one
 * (RFC 9370). */
static bool is_mlkem(uint32_t id) { return id >= 35 && id <= 37; }

static bool suite_pq(const rpt_suite *s)
{
    if (s->dh.set && is_mlkem(s->dh.id))
        return true;
    for (int i = 0; i < 7; i++)
        if (is_mlkem(s->addke[i]))
            return true;
    return false;
}

/* ---------------------------------------------------------------- predicates */

#define REASON(...) (g_snprintf(reason, size, __VA_ARGS__), true)

static bool chk_ikev1(const rpt_row *row, char *reason, size_t size)
{
    return row->kind == RPT_IKE_SA && row->version == 1 &&
           REASON("IKEv1 (%s) is deprecated (RFC 9395); move to IKEv2",
                  row->exchange[0] ? row->exchange : "exchange unknown");
}

static bool psk_method(uint32_t m)
{
    return m == 1 || m == 65001 || m == 65002;   /* PSK, XAUTHInit/RespPreShared */
}

static bool chk_aggressive_psk(const rpt_row *row, char *reason, size_t size)
{
    const rpt_suite *s = chosen(row);
    if (!s && row->offers->len)
        s = &g_array_index(row->offers, rpt_suite, 0);
    return row->version == 1 && row->exch == 4 && s && s->auth.set && psk_method(s->auth.id) &&
           REASON("Aggressive Mode with %s: the responder's hash lets anyone crack the PSK "
                  "offline", s->auth.name);
}

static bool chk_xauth_psk(const rpt_row *row, char *reason, size_t size)
{
    const rpt_suite *s = chosen(row);
    return row->version == 1 && s && s->auth.set && (s->auth.id == 65001 || s->auth.id == 65002) &&
           REASON("XAUTH with a pre-shared key (%s, %u): a group PSK lets any member "
                  "impersonate the gateway", s->auth.name, s->auth.id);
}

static bool chk_encr(const rpt_row *row, const int *set, const char *what, char *reason,
                     size_t size)
{
    const rpt_suite *s = chosen(row);
    return s && encr_in(encr_id(row, s), set) && REASON("%s %s", what, s->encr.name);
}

static bool chk_encr_null(const rpt_row *row, char *reason, size_t size)
{
    return chk_encr(row, ENCR_NULL, "no confidentiality:", reason, size);
}

static bool chk_encr_des(const rpt_row *row, char *reason, size_t size)
{
    return chk_encr(row, ENCR_DES, "single DES (56-bit key):", reason, size);
}

static bool chk_encr_3des(const rpt_row *row, char *reason, size_t size)
{
    return chk_encr(row, ENCR_3DES, "64-bit block cipher (Sweet32), RFC 8221/8247 SHOULD NOT:",
                    reason, size);
}

static bool chk_encr_legacy(const rpt_row *row, char *reason, size_t size)
{
    return chk_encr(row, ENCR_LEGACY, "legacy cipher:", reason, size);
}

static bool chk_md5(const rpt_row *row, char *reason, size_t size)
{
    const rpt_suite *s = chosen(row);
    if (!s)
        return false;
    if (integ_family(row, s) == H_MD5)
        return REASON("MD5 integrity: %s", s->integ.name);
    return prf_family(row, s) == H_MD5 &&
           REASON("MD5 as %s: %s", row->version == 1 ? "hash" : "PRF", s->prf.name);
}

static bool chk_integ_sha1(const rpt_row *row, char *reason, size_t size)
{
    const rpt_suite *s = chosen(row);
    if (!s)
        return false;
    if (row->version == 1 && s->protoid == 1)   /* the Phase 1 hash also authenticates */
        return prf_family(row, s) == H_SHA1 &&
               REASON("SHA-1 hash (PRF and HASH_I/HASH_R): %s", s->prf.name);
    return integ_family(row, s) == H_SHA1 && REASON("SHA-1 integrity: %s", s->integ.name);
}

static bool chk_prf_sha1(const rpt_row *row, char *reason, size_t size)
{
    const rpt_suite *s = chosen(row);
    return s && row->version == 2 && prf_family(row, s) == H_SHA1 &&
           REASON("SHA-1 PRF: %s", s->prf.name);
}

static bool chk_integ_weak(const rpt_row *row, char *reason, size_t size)
{
    const rpt_suite *s = chosen(row);
    if (!s)
        return false;
    if (integ_family(row, s) == H_WEAK)
        return REASON("weak integrity: %s", s->integ.name);
    return prf_family(row, s) == H_WEAK && REASON("weak hash/PRF: %s", s->prf.name);
}

static bool chk_integ_none(const rpt_row *row, char *reason, size_t size)
{
    const rpt_suite *s = chosen(row);
    return s && s->protoid != 2 && s->encr.set && !encr_in(encr_id(row, s), ENCR_AEAD) &&
           integ_family(row, s) == H_NONE &&
           REASON("no integrity protection with %s (not an AEAD cipher)", s->encr.name);
}

static bool chk_dh_weak(const rpt_row *row, char *reason, size_t size)
{
    static const int weak[] = { 1, 2, 5, 22, 25, 0 };   /* MODP 768/1024/1536, RFC 5114 1024, ECP 192 */
    int g = dh_group(row);
    return g > 0 && encr_in(g, weak) &&
           REASON("DH group %d is weaker than 2048-bit MODP%s", g,
                  row->kind == RPT_CHILD_SA ? " (PFS)" : "");
}

static bool chk_pq_none(const rpt_row *row, char *reason, size_t size)
{
    const rpt_suite *s = chosen(row);
    if (!s || row->kind != RPT_IKE_SA || row->version != 2 || suite_pq(s))
        return false;
    unsigned n = 0;
    for (int i = 0; i < 7; i++)
        n += s->addke[i] != 0;
    return REASON("no post-quantum key exchange (ML-KEM) in the IKE SA: KE %s%s%u additional",
                  s->dh.set ? s->dh.name : "none", ", ", n);
}

static bool chk_pq_not_chosen(const rpt_row *row, char *reason, size_t size)
{
    const rpt_suite *s = chosen(row);
    if (!s || row->version != 2 || suite_pq(s))
        return false;
    for (guint i = 0; i < row->offers->len; i++)
        if (suite_pq(&g_array_index(row->offers, rpt_suite, i)))
            return REASON("ML-KEM was offered but not chosen (%s)", s->text[0] ? s->text : "chosen suite");
    return false;
}

static bool chk_dh_subgroup(const rpt_row *row, char *reason, size_t size)
{
    static const int sub[] = { 23, 24, 0 };   /* RFC 5114 MODP with small subgroups */
    int g = dh_group(row);
    return g > 0 && encr_in(g, sub) &&
           REASON("DH group %d (RFC 5114, small prime-order subgroup): RFC 8247 SHOULD NOT", g);
}

static bool chk_no_pfs(const rpt_row *row, char *reason, size_t size)
{
    /* children made in IKE_AUTH take their keys from the new IKE SA's own DH */
    return row->kind == RPT_CHILD_SA && row->have_chosen && !row->ke_seen &&
           (row->exch == 32 || row->exch == 36) &&
           REASON("no PFS: %s without a Key Exchange payload", row->exchange);
}

static bool chk_lifetime(const rpt_row *row, char *reason, size_t size)
{
    const rpt_suite *s = chosen(row);
    return s && s->life_s > 86400 &&
           REASON("lifetime %" G_GUINT64_FORMAT " s is over 24 h", s->life_s);
}

static bool chk_sig_sha1(const rpt_row *row, char *reason, size_t size)
{
    uint32_t m = row->auth_i_id == 1 || row->auth_i_id == 3 ? row->auth_i_id : row->auth_r_id;
    return row->kind == RPT_IKE_SA && row->version == 2 && (m == 1 || m == 3) &&
           REASON("AUTH method %u (%s) signs with SHA-1; use Digital Signature (14, RFC 7427)",
                  m, m == 1 ? "RSA Digital Signature" : "DSS Digital Signature");
}

static bool chk_sig_hash_sha1(const rpt_row *row, char *reason, size_t size)
{
    return row->kind == RPT_IKE_SA && row->sig_hash_sha1 &&
           REASON("SHA-1 offered in SIGNATURE_HASH_ALGORITHMS (%s)", row->sig_hashes);
}

static bool chk_eap_md5(const rpt_row *row, char *reason, size_t size)
{
    return row->kind == RPT_IKE_SA && g_str_has_prefix(row->auth_i, "EAP-MD5") &&
           REASON("EAP-MD5: no key, no server authentication, offline dictionary attack on "
                  "the password");
}

static bool chk_verify(const rpt_row *row, char *reason, size_t size)
{
    uint32_t bad = row->icv_bad + row->hash_bad + row->auth_bad;
    return bad && REASON("%u check(s) did not verify (ICV %u, HASH %u, AUTH %u): wrong keys or "
                         "tampering", bad, row->icv_bad, row->hash_bad, row->auth_bad);
}

static bool chk_failed(const rpt_row *row, char *reason, size_t size)
{
    return row->outcome == RPT_FAILED &&
           REASON("negotiation failed: %s", row->error[0] ? row->error : "no reason seen");
}

static bool chk_not_decrypted(const rpt_row *row, char *reason, size_t size)
{
    return row->encrypted > row->decrypted &&
           REASON("%u of %u encrypted messages not decrypted (no keys): parts are unaudited",
                  row->encrypted - row->decrypted, row->encrypted);
}

/* ---------------------------------------------------------------- the table */

static const audit_rule rules[] = {
    { "encr-null", RPT_SEV_CRITICAL, "NULL encryption (ENCR_NULL, NULL_AUTH_AES_GMAC)", chk_encr_null },
    { "encr-des", RPT_SEV_CRITICAL, "single DES", chk_encr_des },
    { "encr-legacy", RPT_SEV_HIGH, "IDEA, Blowfish, RC5, CAST, 3IDEA, RC4", chk_encr_legacy },
    { "encr-3des", RPT_SEV_MEDIUM, "3DES (64-bit block)", chk_encr_3des },
    { "hash-md5", RPT_SEV_HIGH, "MD5 as integrity, PRF or IKEv1 hash", chk_md5 },
    { "integ-weak", RPT_SEV_HIGH, "DES-MAC, KPDK or Tiger", chk_integ_weak },
    { "integ-none", RPT_SEV_HIGH, "no integrity with a non-AEAD cipher", chk_integ_none },
    { "integ-sha1", RPT_SEV_LOW, "SHA-1 integrity (HMAC-SHA1-96; IKEv1 hash SHA)", chk_integ_sha1 },
    { "prf-sha1", RPT_SEV_LOW, "IKEv2 PRF_HMAC_SHA1", chk_prf_sha1 },
    { "dh-weak", RPT_SEV_HIGH, "DH group below 2048-bit MODP (1, 2, 5, 22, 25)", chk_dh_weak },
    { "dh-small-subgroup", RPT_SEV_LOW, "RFC 5114 groups 23, 24", chk_dh_subgroup },
    { "no-pfs", RPT_SEV_MEDIUM, "Quick Mode / CREATE_CHILD_SA without PFS", chk_no_pfs },
    { "ikev1", RPT_SEV_MEDIUM, "IKEv1 at all (RFC 9395)", chk_ikev1 },
    { "aggressive-psk", RPT_SEV_HIGH, "IKEv1 Aggressive Mode with a pre-shared key", chk_aggressive_psk },
    { "xauth-psk", RPT_SEV_MEDIUM, "IKEv1 XAUTH with a group pre-shared key", chk_xauth_psk },
    { "lifetime-long", RPT_SEV_LOW, "SA lifetime over 24 h (86400 s)", chk_lifetime },
    { "sig-sha1", RPT_SEV_MEDIUM, "IKEv2 AUTH method 1 or 3 (signature with SHA-1)", chk_sig_sha1 },
    { "sig-hash-sha1", RPT_SEV_LOW, "SHA-1 announced in SIGNATURE_HASH_ALGORITHMS", chk_sig_hash_sha1 },
    { "eap-md5", RPT_SEV_MEDIUM, "EAP-MD5 client authentication", chk_eap_md5 },
    { "verify-failed", RPT_SEV_HIGH, "an ICV, HASH or AUTH check failed", chk_verify },
    { "failed", RPT_SEV_INFO, "the negotiation failed (with the notify)", chk_failed },
    { "not-decrypted", RPT_SEV_INFO, "encrypted messages could not be read", chk_not_decrypted },
    { "pq-none", RPT_SEV_LOW, "IKEv2 IKE SA without a post-quantum (ML-KEM) key exchange (off by default)", chk_pq_none },
    { "pq-not-chosen", RPT_SEV_MEDIUM, "ML-KEM offered but not chosen (off by default)", chk_pq_not_chosen },
};

/* Rules that are off unless a rules file turns them on: most of today's
 * IKE SAs would break them. */
static const char *const default_off[] = { "pq-none", "pq-not-chosen" };

#define N_RULES G_N_ELEMENTS(rules)
#define SEV_OFF (-1)

struct audit_rules {
    int severity[N_RULES];   /* rpt_severity or SEV_OFF */
};

const audit_rule *audit_rule_table(size_t *n)
{
    *n = N_RULES;
    return rules;
}

/* Rule i's severity without a rules file: its default, or off. */
static int default_severity(size_t i)
{
    for (size_t k = 0; k < G_N_ELEMENTS(default_off); k++)
        if (strcmp(rules[i].id, default_off[k]) == 0)
            return SEV_OFF;
    return (int)rules[i].severity;
}

audit_rules *audit_rules_new(void)
{
    audit_rules *ar = g_new0(audit_rules, 1);
    for (size_t i = 0; i < N_RULES; i++)
        ar->severity[i] = default_severity(i);
    return ar;
}

void audit_rules_free(audit_rules *ar) { g_free(ar); }

static int rule_index(const char *id);

/* Sets rule `id` ("*": every rule) to severity `sev`; NULL or why not. */
static const char *set_rule(audit_rules *ar, const char *id, const char *sev_name)
{
    if (!id)
        return "expected: RULE-ID SEVERITY";
    bool off = strcmp(sev_name, "off") == 0;
    int sev = off ? SEV_OFF : rpt_severity_parse(sev_name);
    int idx = rule_index(id);
    if (!off && sev < 0)
        return "unknown severity (info, low, medium, high, critical, off)";
    if (idx < 0 && strcmp(id, "*") != 0)
        return "unknown rule (isakmpdump --audit-rules list shows them)";
    for (size_t i = 0; i < N_RULES; i++)
        if (idx < 0 || (size_t)idx == i)
            ar->severity[i] = sev;
    return NULL;
}

static int rule_index(const char *id)
{
    for (size_t i = 0; i < N_RULES; i++)
        if (strcmp(rules[i].id, id) == 0)
            return (int)i;
    return -1;
}

/* One "RULE-ID SEVERITY" line; returns NULL or the reason it is wrong. */
static const char *load_line(audit_rules *ar, char *line)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = 0;
    char **w = g_strsplit_set(g_strstrip(line), " \t", -1);
    const char *word[3] = { NULL, NULL, NULL };
    size_t n = 0;
    for (size_t i = 0; w[i]; i++)
        if (w[i][0] && n < 3)
            word[n++] = w[i];   /* repeated blanks give empty words */
    const char *why = NULL;
    if (n > 0)
        why = set_rule(ar, n == 2 ? word[0] : NULL, n == 2 ? word[1] : NULL);
    g_strfreev(w);
    return why;
}

int audit_rules_load_mem(audit_rules *ar, const char *name, const char *text, char *err,
                         size_t errlen)
{
    char **lines = g_strsplit(text, "\n", -1);
    int rc = 0;
    for (size_t i = 0; lines[i] && rc == 0; i++) {
        const char *why = load_line(ar, lines[i]);
        if (why) {
            g_snprintf(err, errlen, "%s:%zu: %s", name, i + 1, why);
            rc = -1;
        }
    }
    g_strfreev(lines);
    return rc;
}

int audit_rules_load(audit_rules *ar, const char *path, char *err, size_t errlen)
{
    char *text = NULL;
    GError *ge = NULL;
    if (!g_file_get_contents(path, &text, NULL, &ge)) {
        g_snprintf(err, errlen, "%s:0: %s", path, ge->message);
        g_error_free(ge);
        return -1;
    }
    int rc = audit_rules_load_mem(ar, path, text, err, errlen);
    g_free(text);
    return rc;
}

void audit_row(const audit_rules *ar, rpt_row *row)
{
    g_array_set_size(row->findings, 0);
    for (size_t i = 0; i < N_RULES; i++) {
        int sev = ar ? ar->severity[i] : default_severity(i);
        rpt_finding f = { .rule = rules[i].id, .severity = (rpt_severity)sev };
        if (sev != SEV_OFF && rules[i].check(row, f.reason, sizeof f.reason))
            g_array_append_val(row->findings, f);
    }
}

void audit_rules_print(const audit_rules *ar, FILE *out)
{
    for (size_t i = 0; i < N_RULES; i++) {
        int sev = ar ? ar->severity[i] : default_severity(i);
        fprintf(out, "%-18s %-8s %s\n", rules[i].id,
                sev == SEV_OFF ? "off" : rpt_severity_name((rpt_severity)sev),
                rules[i].description);
    }
}
