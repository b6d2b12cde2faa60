/*
 * Hash and AUTH recomputation: RFC 2409 5 (HASH_I / HASH_R), 5.5 (Quick
 * Mode HASH(1..3)), 5.7 (Informational HASH(1)); RFC 7296 2.15 (AUTH),
 * RFC 4754 (ECDSA), RFC 7427 (digital signatures).  Public keys come from
 * X.509 certificates through libksba; signatures are checked with libgcrypt.
 */
#include <gcrypt.h>
#include <string.h>
#ifdef HAVE_KSBA
#include <ksba.h>
#endif

#include "core/hex.h"
#include "core/secure.h"
#include "payloads/cert.h"
#include "keying/verify.h"

/* ---------------------------------------------------------------- IKEv1 hashes */

bool verify_v1_phase1_hash(int prf, const kdf_chunk *skeyid, const kdf_chunk *gx_a,
                           const kdf_chunk *gx_b, const uint8_t cky_a[8],
                           const uint8_t cky_b[8], const kdf_chunk *sai_b,
                           const kdf_chunk *id_b, uint8_t *out)
{
    kdf_chunk parts[6] = { *gx_a, *gx_b, { cky_a, 8 }, { cky_b, 8 }, *sai_b, *id_b };
    return kdf_prf(prf, skeyid->p, skeyid->n, parts, 6, out);
}

static void put32(uint8_t b[4], uint32_t v)
{
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

bool verify_v1_msg_hash(int prf, const kdf_chunk *skeyid_a, uint32_t msgid,
                        const kdf_chunk *ni, const kdf_chunk *rest, uint8_t *out)
{
    uint8_t mid[4];
    put32(mid, msgid);
    kdf_chunk parts[3];
    size_t n = 0;
    parts[n++] = (kdf_chunk){ mid, 4 };
    if (ni)
        parts[n++] = *ni;
    parts[n++] = *rest;
    return kdf_prf(prf, skeyid_a->p, skeyid_a->n, parts, n, out);
}

bool verify_v1_qm_hash3(int prf, const kdf_chunk *skeyid_a, uint32_t msgid,
                        const kdf_chunk *ni, const kdf_chunk *nr, uint8_t *out)
{
    static const uint8_t zero = 0;
    uint8_t mid[4];
    put32(mid, msgid);
    kdf_chunk parts[4] = { { &zero, 1 }, { mid, 4 }, *ni, *nr };
    return kdf_prf(prf, skeyid_a->p, skeyid_a->n, parts, 4, out);
}

/* ---------------------------------------------------------------- IKEv2 AUTH */

GByteArray *verify_v2_octets(int prf, const kdf_chunk *message, const kdf_chunk *nonce,
                             const kdf_chunk *sk_p, const kdf_chunk *id_body)
{
    uint8_t mac[KDF_MAX_PRF];
    if (!kdf_prf(prf, sk_p->p, sk_p->n, id_body, 1, mac))
        return NULL;
    GByteArray *o = g_byte_array_sized_new((guint)(message->n + nonce->n + KDF_MAX_PRF));
    g_byte_array_append(o, message->p, (guint)message->n);
    g_byte_array_append(o, nonce->p, (guint)nonce->n);
    g_byte_array_append(o, mac, (guint)kdf_prf_size(prf));
    return o;
}

bool verify_v2_psk_auth(int prf, const kdf_chunk *psk, const kdf_chunk *octets, uint8_t *out)
{
    static const char pad[] = "Key Pad for IKEv2";   /* RFC 7296 2.15, 17 octets, no NUL */
    uint8_t k[KDF_MAX_PRF];
    kdf_chunk kp = { (const uint8_t *)pad, sizeof pad - 1 };
    bool ok = kdf_prf(prf, psk->p, psk->n, &kp, 1, k) &&
              kdf_prf(prf, k, kdf_prf_size(prf), octets, 1, out);
    secure_wipe(k, sizeof k);
    return ok;
}

/* ---------------------------------------------------------------- signatures */

/* One DER element at p (of n bytes): tag, body and total size; false when it
 * does not fit. */
typedef struct {
    uint8_t tag;
    const uint8_t *body;
    size_t len, total;
} der_t;

static bool der_read(const uint8_t *p, size_t n, der_t *e)
{
    if (n < 2)
        return false;
    size_t hdr = 2, len = p[1];
    if (len & 0x80) {
        size_t k = len & 0x7f;
        if (k == 0 || k > 2 || n < 2 + k)
            return false;
        len = 0;
        for (size_t i = 0; i < k; i++)
            len = len << 8 | p[2 + i];
        hdr += k;
    }
    if (len > n - hdr)
        return false;
    *e = (der_t){ p[0], p + hdr, len, hdr + len };
    return true;
}

typedef enum { SIG_PKCS1, SIG_PSS, SIG_ECDSA, SIG_EDDSA } sig_scheme;

/* RFC 7427 Appendix A, RFC 8420: signature algorithm OIDs (DER contents). */
static const struct {
    const char *oid;         /* hex of the OID's contents */
    sig_scheme scheme;
    int md;                  /* GCRY_MD_*, 0 for EdDSA / PSS (from the parameters) */
} sig_oids[] = {
    { "2a864886f70d010105", SIG_PKCS1, GCRY_MD_SHA1 },     /* sha1WithRSAEncryption */
    { "2a864886f70d01010b", SIG_PKCS1, GCRY_MD_SHA256 },   /* sha256WithRSAEncryption */
    { "2a864886f70d01010c", SIG_PKCS1, GCRY_MD_SHA384 },
    { "2a864886f70d01010d", SIG_PKCS1, GCRY_MD_SHA512 },
    { "2a864886f70d01010a", SIG_PSS, 0 },                  /* id-RSASSA-PSS */
    { "2a8648ce3d0401", SIG_ECDSA, GCRY_MD_SHA1 },         /* ecdsa-with-SHA1 */
    { "2a8648ce3d040302", SIG_ECDSA, GCRY_MD_SHA256 },
    { "2a8648ce3d040303", SIG_ECDSA, GCRY_MD_SHA384 },
    { "2a8648ce3d040304", SIG_ECDSA, GCRY_MD_SHA512 },
    { "2b6570", SIG_EDDSA, 0 },                            /* id-Ed25519 (RFC 8420) */
    { "2b6571", SIG_EDDSA, 0 },                            /* id-Ed448 */
};

/* Hash OIDs inside RSASSA-PSS parameters (RFC 4055). */
static const struct {
    const char *oid;
    int md;
} hash_oids[] = {
    { "2b0e03021a", GCRY_MD_SHA1 },
    { "608648016503040201", GCRY_MD_SHA256 },
    { "608648016503040202", GCRY_MD_SHA384 },
    { "608648016503040203", GCRY_MD_SHA512 },
};

static bool oid_is(const der_t *oid, const char *hex)
{
    uint8_t want[16];
    size_t n = strlen(hex) / 2;
    return oid->len == n && n <= sizeof want && hex_decode(hex, n, want) &&
           !memcmp(oid->body, want, n);
}

typedef struct {
    sig_scheme scheme;
    int md;
    int salt;                /* PSS */
} sig_alg;

/* RSASSA-PSS-params: [0] hashAlgorithm, [1] maskGenAlgorithm, [2] saltLength
 * (RFC 4055 3.1; defaults SHA-1 and 20). */
static void pss_params(const uint8_t *p, size_t n, sig_alg *a)
{
    der_t seq, f, inner, oid;
    a->md = GCRY_MD_SHA1;
    a->salt = 20;
    if (!der_read(p, n, &seq) || seq.tag != 0x30)
        return;
    for (size_t off = 0; off < seq.len && der_read(seq.body + off, seq.len - off, &f); off += f.total) {
        if (f.tag == 0xa0 && der_read(f.body, f.len, &inner) &&
            der_read(inner.body, inner.len, &oid) && oid.tag == 0x06)
            for (size_t i = 0; i < G_N_ELEMENTS(hash_oids); i++)
                if (oid_is(&oid, hash_oids[i].oid))
                    a->md = hash_oids[i].md;
        if (f.tag == 0xa2 && der_read(f.body, f.len, &inner) && inner.tag == 0x02 &&
            inner.len >= 1 && inner.len <= 2)
            a->salt = inner.len == 1 ? inner.body[0] : inner.body[0] << 8 | inner.body[1];
    }
}

/* An AlgorithmIdentifier (RFC 7427 3) -> scheme and hash; false when unknown. */
static bool sig_alg_of(const uint8_t *p, size_t n, sig_alg *a)
{
    der_t seq, oid;
    if (!der_read(p, n, &seq) || seq.tag != 0x30 || !der_read(seq.body, seq.len, &oid) ||
        oid.tag != 0x06)
        return false;
    for (size_t i = 0; i < G_N_ELEMENTS(sig_oids); i++) {
        if (!oid_is(&oid, sig_oids[i].oid))
            continue;
        a->scheme = sig_oids[i].scheme;
        a->md = sig_oids[i].md;
        if (a->scheme == SIG_PSS)
            pss_params(oid.body + oid.len, seq.len - oid.total, a);
        return true;
    }
    return false;
}

/* The certificate's public key as a libgcrypt S-expression, or NULL. */
static gcry_sexp_t cert_key(const uint8_t *der, size_t len)
{
#ifdef HAVE_KSBA
    ksba_cert_t c = NULL;
    gcry_sexp_t key = NULL;
    const char *why;
    /* libksba leaks on bytes it refuses (payloads/cert.c): never give it those */
    if (!cert_der_check(der, len, &why) || ksba_cert_new(&c))
        return NULL;
    if (!ksba_cert_init_from_mem(c, der, len)) {
        ksba_sexp_t pk = ksba_cert_get_public_key(c);
        size_t n = pk ? gcry_sexp_canon_len(pk, 0, NULL, NULL) : 0;
        if (n && gcry_sexp_new(&key, pk, n, 1))
            key = NULL;
        ksba_free(pk);
    }
    ksba_cert_release(c);
    return key;
#else
    (void)der;
    (void)len;
    return NULL;
#endif
}

/* ECDSA r and s from DER ECDSA-Sig-Value (RFC 7427) or raw r | s (RFC 4754). */
static bool ecdsa_rs(const uint8_t *sig, size_t n, bool der, der_t *r, der_t *s)
{
    if (!der) {
        if (n == 0 || n % 2)
            return false;
        *r = (der_t){ 0x02, sig, n / 2, n / 2 };
        *s = (der_t){ 0x02, sig + n / 2, n / 2, n / 2 };
        return true;
    }
    der_t seq;
    return der_read(sig, n, &seq) && seq.tag == 0x30 && der_read(seq.body, seq.len, r) &&
           r->tag == 0x02 && der_read(seq.body + r->total, seq.len - r->total, s) &&
           s->tag == 0x02;
}

/* Builds the data and signature S-expressions for one scheme. */
static bool sig_sexps(const sig_alg *a, const uint8_t *sig, size_t slen, bool der_ecdsa,
                      const uint8_t *msg, size_t mlen, gcry_sexp_t *data, gcry_sexp_t *sv)
{
    uint8_t h[64];
    char hn[16] = "";   /* lower case: libgcrypt's PSS code wants "sha256", not "SHA256" */
    if (a->md)
        for (size_t i = 0; i + 1 < sizeof hn && gcry_md_algo_name(a->md)[i]; i++)
            hn[i] = g_ascii_tolower(gcry_md_algo_name(a->md)[i]);
    if (a->md)
        gcry_md_hash_buffer(a->md, h, msg, mlen);
    size_t hl = a->md ? gcry_md_get_algo_dlen(a->md) : 0;
    int err = 1;
    der_t r, s;
    switch (a->scheme) {
    case SIG_PKCS1:
        err = gcry_sexp_build(data, NULL, "(data(flags pkcs1)(hash %s %b))", hn, (int)hl, h) ||
              gcry_sexp_build(sv, NULL, "(sig-val(rsa(s %b)))", (int)slen, sig);
        break;
    case SIG_PSS:
        err = gcry_sexp_build(data, NULL, "(data(flags pss)(hash %s %b)(salt-length %d))", hn,
                              (int)hl, h, a->salt) ||
              gcry_sexp_build(sv, NULL, "(sig-val(rsa(s %b)))", (int)slen, sig);
        break;
    case SIG_ECDSA:
        if (!ecdsa_rs(sig, slen, der_ecdsa, &r, &s))
            return false;
        err = gcry_sexp_build(data, NULL, "(data(flags raw)(value %b))", (int)hl, h) ||
              gcry_sexp_build(sv, NULL, "(sig-val(ecdsa(r %b)(s %b)))", (int)r.len, r.body,
                              (int)s.len, s.body);
        break;
    case SIG_EDDSA:
        if (slen != 64 && slen != 114)
            return false;
        err = gcry_sexp_build(data, NULL, "(data(flags eddsa)(value %b))", (int)mlen, msg) ||
              gcry_sexp_build(sv, NULL, "(sig-val(eddsa(r %b)(s %b)))", (int)slen / 2, sig,
                              (int)slen / 2, sig + slen / 2);
        break;
    }
    return !err;
}

/* libksba names Ed25519 / Ed448 keys by OID (RFC 8410); libgcrypt's EdDSA
 * wants the curve name and the eddsa flag. */
static gcry_sexp_t eddsa_key(gcry_sexp_t key, size_t slen)
{
    gcry_sexp_t q = gcry_sexp_find_token(key, "q", 0), out = NULL;
    size_t n = 0;
    const char *qv = q ? gcry_sexp_nth_data(q, 1, &n) : NULL;
    if (qv && gcry_sexp_build(&out, NULL, "(public-key(ecc(curve %s)(flags eddsa)(q %b)))",
                              slen == 64 ? "Ed25519" : "Ed448", (int)n, qv))
        out = NULL;
    gcry_sexp_release(q);
    gcry_sexp_release(key);
    return out;
}

/* 1 valid, 0 invalid, -1 cannot tell. */
static int sig_check(const sig_alg *a, const uint8_t *sig, size_t slen, bool der_ecdsa,
                     const uint8_t *cert, size_t clen, const uint8_t *msg, size_t mlen)
{
    kdf_crypto_init();
    gcry_sexp_t key = cert_key(cert, clen), data = NULL, sv = NULL;
    if (key && a->scheme == SIG_EDDSA)
        key = eddsa_key(key, slen);
    if (!key)
        return -1;
    int res = 0;
    if (sig_sexps(a, sig, slen, der_ecdsa, msg, mlen, &data, &sv))
        res = gcry_pk_verify(sv, data, key) == 0;
    gcry_sexp_release(key);
    gcry_sexp_release(data);
    gcry_sexp_release(sv);
    return res;
}

int verify_v2_sig_auth(int method, const kdf_chunk *alg, const uint8_t *auth, size_t alen,
                       const uint8_t *cert, size_t clen, const uint8_t *octets, size_t olen)
{
    sig_alg a = { SIG_PKCS1, GCRY_MD_SHA1, 0 };
    switch (method) {
    case 1: break;                                                   /* RFC 7296 3.8 */
    case 9: a = (sig_alg){ SIG_ECDSA, GCRY_MD_SHA256, 0 }; break;     /* RFC 4754 */
    case 10: a = (sig_alg){ SIG_ECDSA, GCRY_MD_SHA384, 0 }; break;
    case 11: a = (sig_alg){ SIG_ECDSA, GCRY_MD_SHA512, 0 }; break;
    case 14:                                                          /* RFC 7427 3 */
        if (!alg || !alg->p || !sig_alg_of(alg->p, alg->n, &a))
            return -1;
        return sig_check(&a, auth, alen, true, cert, clen, octets, olen);
    default: return -1;
    }
    return sig_check(&a, auth, alen, false, cert, clen, octets, olen);
}

static bool key_is(gcry_sexp_t key, const char *kind);

int verify_v1_rsa_sig(const uint8_t *sig, size_t slen, const uint8_t *cert, size_t clen,
                      const uint8_t *hash, size_t hlen)
{
    kdf_crypto_init();
    gcry_sexp_t key = cert_key(cert, clen), data = NULL, sv = NULL;
    if (key && !key_is(key, "rsa")) {   /* not an RSA key: the method cannot be checked */
        gcry_sexp_release(key);
        key = NULL;
    }
    if (!key)
        return -1;
    int res = 0;
    if (!gcry_sexp_build(&data, NULL, "(data(flags pkcs1-raw)(value %b))", (int)hlen, hash) &&
        !gcry_sexp_build(&sv, NULL, "(sig-val(rsa(s %b)))", (int)slen, sig))
        res = gcry_pk_verify(sv, data, key) == 0;
    gcry_sexp_release(key);
    gcry_sexp_release(data);
    gcry_sexp_release(sv);
    return res;
}

/* True when the certificate's key is of this kind ("rsa", "ecc"). */
static bool key_is(gcry_sexp_t key, const char *kind)
{
    gcry_sexp_t t = gcry_sexp_find_token(key, kind, 0);
    if (!t && !strcmp(kind, "ecc"))
        t = gcry_sexp_find_token(key, "ecdsa", 0);
    gcry_sexp_release(t);
    return t != NULL;
}

/* ECDSA over `value` taken as the digest (raw), r | s of equal sizes. */
static int ecdsa_raw_check(gcry_sexp_t key, const uint8_t *sig, size_t slen, const uint8_t *value,
                           size_t vlen)
{
    der_t r, s;
    gcry_sexp_t data = NULL, sv = NULL;
    if (!ecdsa_rs(sig, slen, false, &r, &s))
        return 0;
    int res = 0;
    if (!gcry_sexp_build(&data, NULL, "(data(flags raw)(value %b))", (int)vlen, value) &&
        !gcry_sexp_build(&sv, NULL, "(sig-val(ecdsa(r %b)(s %b)))", (int)r.len, r.body,
                         (int)s.len, s.body))
        res = gcry_pk_verify(sv, data, key) == 0;
    gcry_sexp_release(data);
    gcry_sexp_release(sv);
    return res;
}

int verify_v1_ecdsa_sig(int method, const uint8_t *sig, size_t slen, const uint8_t *cert,
                        size_t clen, const uint8_t *hash, size_t hlen)
{
    static const int md[] = { GCRY_MD_SHA256, GCRY_MD_SHA384, GCRY_MD_SHA512 };
    if (method < 9 || method > 11)
        return -1;
    kdf_crypto_init();
    gcry_sexp_t key = cert_key(cert, clen);
    if (!key || !key_is(key, "ecc")) {
        gcry_sexp_release(key);
        return -1;
    }
    /* strongSwan signs HASH_I / HASH_R itself as the digest; RFC 4754's
     * method names the hash, so hash(HASH) is tried too */
    uint8_t h[64];
    int m = md[method - 9];
    gcry_md_hash_buffer(m, h, hash, hlen);
    int res = ecdsa_raw_check(key, sig, slen, hash, hlen) ||
              ecdsa_raw_check(key, sig, slen, h, gcry_md_get_algo_dlen(m));
    gcry_sexp_release(key);
    return res;
}
