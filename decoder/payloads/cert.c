/* X.509 certificate decoding for CERT payloads (RFC 5280), with libksba. */
#include <stdio.h>
#include <string.h>

#include "payloads/cert.h"

/*
 * The DER check made before libksba sees the bytes.  libksba (1.6.3 in
 * Debian 12 and 1.6.7 in Debian 13 alike) keeps part of its parse tree when
 * ksba_cert_init_from_mem fails (~5 KiB per call), so bytes that libksba
 * would refuse must never reach it.  Checked here: every TLV
 * has a low tag number and a definite, minimal length inside its parent
 * (DER, X.690 8.1 and 10.1), constructed values hold whole TLVs, nesting is
 * at most DER_MAX_DEPTH deep, and the outline of a Certificate (RFC 5280
 * 4.1) holds, down to what libksba's decoder matches against its ASN.1
 * module; the whole input is one certificate.  tools/ksba-leak.c is the
 * experiment that shows which inputs libksba leaks on.
 */
#define DER_MAX_DEPTH 32

typedef struct {
    uint8_t tag;              /* class, constructed bit, number (< 31) */
    cur_t body;               /* the contents */
} der_tlv;

/* Reads the next TLV of c; false, with *why, when it is not DER. */
static bool der_next(cur_t *c, der_tlv *t, const char **why)
{
    if (cur_left(c) < 2) {
        *why = cur_left(c) ? "truncated element" : "missing element";
        return false;
    }
    t->tag = cur_u8(c);
    uint8_t b = cur_u8(c);
    size_t len = b;
    if ((t->tag & 0x1f) == 0x1f) {
        *why = "high tag number form";
        return false;
    }
    if ((t->tag & 0xdf) == 0) {
        *why = "tag 0 (end-of-contents)";
        return false;
    }
    if (b == 0x80) {
        *why = "indefinite length";
        return false;
    }
    if (b > 0x80) {
        size_t n = b & 0x7f;
        if (n > 4 || n > cur_left(c)) {
            *why = n > 4 ? "length of more than 4 bytes" : "truncated length";
            return false;
        }
        len = (size_t)cur_be(c, n);
        if (len < 0x80 || len >> (8 * (n - 1)) == 0) {
            *why = "length not in its shortest form";
            return false;
        }
    }
    if (len > cur_left(c)) {
        *why = "length runs past its container";
        return false;
    }
    cur_child(c, len, &t->body);
    return true;
}

/* Checks that c holds whole DER TLVs, recursively. */
static bool der_walk(cur_t *c, unsigned depth, const char **why)
{
    while (cur_left(c)) {
        der_tlv t;
        if (!der_next(c, &t, why))
            return false;
        if (!(t.tag & 0x20))
            continue;
        if (depth >= DER_MAX_DEPTH) {
            *why = "nested too deeply";
            return false;
        }
        if (!der_walk(&t.body, depth + 1, why))
            return false;
    }
    return true;
}

/* Reads the next TLV of c, which must have tag `tag`. */
static bool der_expect(cur_t *c, uint8_t tag, der_tlv *t, const char **why)
{
    if (!der_next(c, t, why))
        return false;
    if (t->tag != tag) {
        *why = "not the outline of an X.509 certificate";
        return false;
    }
    return true;
}

/* True when the next TLV of c has tag `tag` (nothing is read). */
static bool der_at(const cur_t *c, uint8_t tag)
{
    return cur_left(c) && cur_peek_u8(c, 0) == tag;
}

/* The contents of t are used up; *why otherwise. */
static bool der_done(const der_tlv *t, const char **why)
{
    if (cur_left(&t->body))
        *why = "not the outline of an X.509 certificate";
    return !cur_left(&t->body);
}

/* AlgorithmIdentifier ::= SEQUENCE { OBJECT IDENTIFIER, ANY OPTIONAL } */
static bool der_alg(cur_t *c, const char **why)
{
    der_tlv a, oid, any;
    return der_expect(c, 0x30, &a, why) && der_expect(&a.body, 0x06, &oid, why) &&
           (!cur_left(&a.body) || der_next(&a.body, &any, why)) && der_done(&a, why);
}

/* Name ::= SEQUENCE OF SET OF (at least one) SEQUENCE { OBJECT IDENTIFIER, ANY }.
 * libksba (1.6.3 and 1.6.7 alike) loses ~275 bytes per attribute when a Name
 * has two relative distinguished names of more than one attribute each
 * (and prints an assertion failure of its asn1-func.c), though the
 * certificate loads: such a Name is refused. */
static bool der_name(cur_t *c, const char **why)
{
    der_tlv name, rdn, atv, oid, value;
    unsigned multi = 0;
    if (!der_expect(c, 0x30, &name, why))
        return false;
    while (cur_left(&name.body)) {
        if (!der_expect(&name.body, 0x31, &rdn, why))
            return false;
        if (!cur_left(&rdn.body)) {
            *why = "empty relative distinguished name";
            return false;
        }
        unsigned atvs = 0;
        for (; cur_left(&rdn.body); atvs++)
            if (!der_expect(&rdn.body, 0x30, &atv, why) ||
                !der_expect(&atv.body, 0x06, &oid, why) || !der_next(&atv.body, &value, why) ||
                !der_done(&atv, why))
                return false;
        if (atvs > 1 && ++multi > 1) {
            *why = "a name with two multi-valued RDNs (libksba cannot free it)";
            return false;
        }
    }
    return true;
}

/* Time ::= CHOICE { UTCTime, GeneralizedTime } */
static bool der_time(cur_t *c, const char **why)
{
    der_tlv t;
    return der_expect(c, der_at(c, 0x18) ? 0x18 : 0x17, &t, why);
}

/* Extensions ::= SEQUENCE OF SEQUENCE { OID, BOOLEAN DEFAULT FALSE, OCTET STRING } */
static bool der_extensions(cur_t *c, const char **why)
{
    der_tlv wrap, list, ext, oid, crit, value;
    if (!der_expect(c, 0xa3, &wrap, why) || !der_expect(&wrap.body, 0x30, &list, why) ||
        !der_done(&wrap, why))
        return false;
    while (cur_left(&list.body))
        if (!der_expect(&list.body, 0x30, &ext, why) || !der_expect(&ext.body, 0x06, &oid, why) ||
            (der_at(&ext.body, 0x01) && !der_expect(&ext.body, 0x01, &crit, why)) ||
            !der_expect(&ext.body, 0x04, &value, why) || !der_done(&ext, why))
            return false;
    return true;
}

/* True when t's contents are exactly these bytes (an OID's). */
static bool der_is(const der_tlv *t, const uint8_t *v, size_t n)
{
    const uint8_t *b = cur_view(&t->body, cur_off(&t->body), cur_left(&t->body));
    return cur_left(&t->body) == n && b && memcmp(b, v, n) == 0;
}

/* The next TLV of c is DER and has tag `tag`. */
static bool der_tagged(cur_t *c, uint8_t tag, der_tlv *t)
{
    const char *why;
    return der_next(c, t, &why) && t->tag == tag;
}

/* SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING }.
 * libksba's ksba_cert_get_public_key (1.6.3 and 1.6.7) turns the key of an
 * RSA or DSA certificate into an S-expression by reading the BIT STRING's
 * contents as DER, and on any tag or length it does not expect returns an
 * error without freeing the half-built string (~330 bytes per call; found
 * by the sequence fuzz harness).  So for those algorithms the contents are
 * checked here as libksba reads them: RSA (rsaEncryption, RSASSA-PSS) a
 * SEQUENCE starting with two INTEGERs; DSA an INTEGER, with parameters
 * SEQUENCE { INTEGER p, q, g }.  Other keys (EC points, EdDSA, X25519) are
 * taken raw, and unknown algorithms fail before anything is allocated. */
static bool der_spki(cur_t *c, const char **why)
{
    static const uint8_t rsa[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };
    static const uint8_t pss[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a };
    static const uint8_t dsa[] = { 0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01 };
    der_tlv spki, a, oid, par = { 0 }, bits, seq, i;
    bool has_par = false;
    if (!der_expect(c, 0x30, &spki, why) || !der_expect(&spki.body, 0x30, &a, why) ||
        !der_expect(&a.body, 0x06, &oid, why))
        return false;
    if (cur_left(&a.body)) {
        if (!der_next(&a.body, &par, why))
            return false;
        has_par = true;
    }
    if (!der_done(&a, why) || !der_expect(&spki.body, 0x03, &bits, why) || !der_done(&spki, why))
        return false;
    bool is_rsa = der_is(&oid, rsa, sizeof rsa) || der_is(&oid, pss, sizeof pss);
    bool is_dsa = der_is(&oid, dsa, sizeof dsa);
    if (!is_rsa && !is_dsa)
        return true;
    bool ok = cur_left(&bits.body) >= 1;
    cur_skip(&bits.body, 1);   /* the number of unused bits */
    if (ok && is_rsa)
        ok = der_tagged(&bits.body, 0x30, &seq) && der_tagged(&seq.body, 0x02, &i) &&
             der_tagged(&seq.body, 0x02, &i);
    else if (ok)
        ok = has_par && par.tag == 0x30 && der_tagged(&par.body, 0x02, &i) &&
             der_tagged(&par.body, 0x02, &i) && der_tagged(&par.body, 0x02, &i) &&
             der_tagged(&bits.body, 0x02, &i);
    if (!ok)
        *why = "a public key libksba cannot read";
    return ok;
}

/* TBSCertificate (RFC 5280 4.1): version, serialNumber, signature, issuer,
 * validity, subject, subjectPublicKeyInfo, issuerUniqueID, subjectUniqueID,
 * extensions. */
static bool der_tbs(der_tlv *tbs, const char **why)
{
    cur_t *c = &tbs->body;
    der_tlv v, t;
    if (der_at(c, 0xa0) &&
        (!der_expect(c, 0xa0, &v, why) || !der_expect(&v.body, 0x02, &t, why) ||
         !der_done(&v, why)))
        return false;
    if (!der_expect(c, 0x02, &t, why) || !der_alg(c, why) || !der_name(c, why) ||
        !der_expect(c, 0x30, &v, why) || !der_time(&v.body, why) || !der_time(&v.body, why) ||
        !der_done(&v, why) || !der_name(c, why) || !der_spki(c, why))
        return false;
    if (der_at(c, 0x81) && !der_expect(c, 0x81, &t, why))
        return false;
    if (der_at(c, 0x82) && !der_expect(c, 0x82, &t, why))
        return false;
    if (der_at(c, 0xa3) && !der_extensions(c, why))
        return false;
    return der_done(tbs, why);
}

bool cert_der_check(const uint8_t *p, size_t n, const char **why)
{
    cur_t all, walk;
    cur_init(&all, p, n, n, 0);
    walk = all;
    *why = NULL;
    if (!der_walk(&walk, 0, why))
        return false;
    der_tlv cert, tbs, sig;
    if (!der_expect(&all, 0x30, &cert, why) || !der_expect(&cert.body, 0x30, &tbs, why) ||
        !der_tbs(&tbs, why) || !der_alg(&cert.body, why) ||
        !der_expect(&cert.body, 0x03, &sig, why))
        return false;
    if (cur_left(&all) || cur_left(&cert.body)) {
        *why = "bytes after the certificate";
        return false;
    }
    return true;
}

#ifdef HAVE_KSBA
#include <ksba.h>

/* "20160816T004106" -> "2016-08-16 00:41:06 UTC". */
static char *iso_time(const ksba_isotime_t t)
{
    if (strlen(t) != 15)
        return NULL;
    return g_strdup_printf("%.4s-%.2s-%.2s %.2s:%.2s:%.2s UTC", t, t + 4, t + 6, t + 9, t + 11,
                           t + 13);
}

/* The algorithm name in the key's canonical S-expression:
 * "(10:public-key(3:rsa(1:n..." -> "rsa". */
static char *sexp_alg(const unsigned char *s)
{
    static const char head[] = "(10:public-key(";
    if (!s || strncmp((const char *)s, head, sizeof head - 1) != 0)
        return NULL;
    const char *p = (const char *)s + sizeof head - 1;
    size_t n = 0;
    while (*p >= '0' && *p <= '9' && n < 64)
        n = n * 10 + (size_t)(*p++ - '0');
    if (*p != ':' || n == 0 || n >= 64)
        return NULL;
    return g_strndup(p + 1, n);
}

/* A string libksba allocated, as ours. */
static char *ksba_text(char *s)
{
    char *copy = g_strdup(s);
    ksba_free(s);
    return copy;
}

/* What libksba says of one certificate: whether it took it, and the text
 * of each field below (NULL: absent), in cert_field's order. */
enum { CI_SUBJECT, CI_ISSUER, CI_NOT_BEFORE, CI_NOT_AFTER, CI_PUBKEY_ALG, CI_COUNT };
static const int cert_field[CI_COUNT] = {
    F_CERT_X509_SUBJECT, F_CERT_X509_ISSUER, F_CERT_X509_NOT_BEFORE, F_CERT_X509_NOT_AFTER,
    F_CERT_X509_PUBKEY_ALG,
};

typedef struct {
    uint8_t *der;             /* a copy, when cached */
    size_t n;
    bool parsed;
    char *text[CI_COUNT];
} cert_info;

static void cert_parse(cert_info *ci, const uint8_t *der, size_t n)
{
    ksba_cert_t cert;
    ci->parsed = false;
    if (ksba_cert_new(&cert))
        return;
    if (ksba_cert_init_from_mem(cert, der, n) == 0) {
        ci->parsed = true;
        ci->text[CI_SUBJECT] = ksba_text(ksba_cert_get_subject(cert, 0));
        ci->text[CI_ISSUER] = ksba_text(ksba_cert_get_issuer(cert, 0));
        ksba_isotime_t t;
        if (!ksba_cert_get_validity(cert, 0, t))
            ci->text[CI_NOT_BEFORE] = iso_time(t);
        if (!ksba_cert_get_validity(cert, 1, t))
            ci->text[CI_NOT_AFTER] = iso_time(t);
        ksba_sexp_t key = ksba_cert_get_public_key(cert);
        ci->text[CI_PUBKEY_ALG] = sexp_alg(key);
        ksba_free(key);
    }
    ksba_cert_release(cert);
}

static void cert_info_clear(cert_info *ci)
{
    g_free(ci->der);
    for (int i = 0; i < CI_COUNT; i++)
        g_free(ci->text[i]);
    *ci = (cert_info){ 0 };
}

/*
 * Certificates repeat: a gateway sends its own in every IKE_AUTH it
 * answers, and retransmissions carry theirs again.  libksba's parse was a
 * tenth of -T json's instructions with keys, so a context keeps what it
 * said of the last CERT_CACHE_SLOTS distinct certificates (bytes compared
 * whole), each at most CERT_CACHE_MAX_DER bytes: at most ~256 KiB per
 * context (docs/limits.md).
 */
#define CERT_CACHE_SLOTS 8
#define CERT_CACHE_MAX_DER 16384

struct cert_cache {
    cert_info e[CERT_CACHE_SLOTS];
    unsigned next;            /* the slot a miss replaces (round robin) */
};

void cert_cache_free(struct cert_cache *cc)
{
    if (!cc)
        return;
    for (unsigned i = 0; i < CERT_CACHE_SLOTS; i++)
        cert_info_clear(&cc->e[i]);
    g_free(cc);
}

/* What libksba says of der[0..n): from ctx's cache, or parsed (into the
 * cache, or into *own when it cannot be cached: the caller clears it). */
static const cert_info *cert_info_of(isakmp_ctx *ctx, const uint8_t *der, size_t n,
                                     cert_info *own)
{
    if (!ctx || n > CERT_CACHE_MAX_DER) {
        cert_parse(own, der, n);
        return own;
    }
    if (!ctx->certs)
        ctx->certs = g_new0(struct cert_cache, 1);
    struct cert_cache *cc = ctx->certs;
    for (unsigned i = 0; i < CERT_CACHE_SLOTS; i++)
        if (cc->e[i].der && cc->e[i].n == n && memcmp(cc->e[i].der, der, n) == 0)
            return &cc->e[i];
    cert_info *ci = &cc->e[cc->next];
    cc->next = (cc->next + 1) % CERT_CACHE_SLOTS;
    cert_info_clear(ci);
    cert_parse(ci, der, n);
    ci->der = g_memdup2(der, n);
    ci->n = n;
    return ci;
}

void cert_decode(dec_t *d, uint32_t item, const cur_t *cert_data)
{
    size_t n = cur_left(cert_data);
    const uint8_t *der = cur_view(cert_data, cur_off(cert_data), n);
    const char *why;
    if (!der || n == 0)
        return;
    if (!cert_der_check(der, n, &why)) {
        tree_note(d->m, item, ISAKMP_SEV_NOTE, ISAKMP_NOTE_MALFORMED,
                  "Certificate data is not a DER X.509 certificate: %s", why);
        return;
    }
    cert_info own = { 0 };
    const cert_info *ci = cert_info_of(d->ctx, der, n, &own);
    if (!ci->parsed)
        tree_note(d->m, item, ISAKMP_SEV_NOTE, ISAKMP_NOTE_MALFORMED,
                  "Certificate data is not a DER X.509 certificate");
    for (int i = 0; i < CI_COUNT; i++) {   /* (no text when libksba refused it) */
        if (!ci->text[i])
            continue;
        uint32_t x = tree_add_string(d->m, item, cert_field[i], cert_data->src, cur_off(cert_data),
                                     cur_left(cert_data), ci->text[i]);
        tree_set_generated(d->m, x);
    }
    cert_info_clear(&own);
}

#else

void cert_decode(dec_t *d, uint32_t item, const cur_t *cert_data)
{
    (void)cert_data;
    tree_note(d->m, item, ISAKMP_SEV_CHAT, ISAKMP_NOTE_INFO,
              "Built without libksba: certificate fields not decoded");
}

void cert_cache_free(struct cert_cache *cc)
{
    (void)cc;
}

#endif
