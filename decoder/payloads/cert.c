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
static const char *iso_time(dec_t *d, const ksba_isotime_t t)
{
    if (strlen(t) != 15)
        return NULL;
    char buf[32];
    snprintf(buf, sizeof buf, "%.4s-%.2s-%.2s %.2s:%.2s:%.2s UTC", t, t + 4, t + 6, t + 9,
             t + 11, t + 13);
    return msg_strdup(d->m, buf);
}

/* The algorithm name in the key's canonical S-expression:
 * "(10:public-key(3:rsa(1:n..." -> "rsa". */
static const char *sexp_alg(dec_t *d, const unsigned char *s)
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
    char buf[64];
    memcpy(buf, p + 1, n);
    buf[n] = 0;
    return msg_strdup(d->m, buf);
}

static void add_str(dec_t *d, uint32_t item, const cur_t *c, int field, const char *s)
{
    if (!s)
        return;
    uint32_t x = tree_add_string(d->m, item, field, c->src, cur_off(c), cur_left(c), s);
    tree_set_generated(d->m, x);
}

static void cert_fields(dec_t *d, uint32_t item, const cur_t *c, ksba_cert_t cert)
{
    char *subj = ksba_cert_get_subject(cert, 0);
    char *iss = ksba_cert_get_issuer(cert, 0);
    add_str(d, item, c, F_CERT_X509_SUBJECT, subj);
    add_str(d, item, c, F_CERT_X509_ISSUER, iss);
    ksba_free(subj);
    ksba_free(iss);
    ksba_isotime_t t;
    if (!ksba_cert_get_validity(cert, 0, t))
        add_str(d, item, c, F_CERT_X509_NOT_BEFORE, iso_time(d, t));
    if (!ksba_cert_get_validity(cert, 1, t))
        add_str(d, item, c, F_CERT_X509_NOT_AFTER, iso_time(d, t));
    ksba_sexp_t key = ksba_cert_get_public_key(cert);
    add_str(d, item, c, F_CERT_X509_PUBKEY_ALG, sexp_alg(d, key));
    ksba_free(key);
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
    ksba_cert_t cert;
    if (ksba_cert_new(&cert))
        return;
    if (ksba_cert_init_from_mem(cert, der, n) == 0)
        cert_fields(d, item, cert_data, cert);
    else
        tree_note(d->m, item, ISAKMP_SEV_NOTE, ISAKMP_NOTE_MALFORMED,
                  "Certificate data is not a DER X.509 certificate");
    ksba_cert_release(cert);
}

#else

void cert_decode(dec_t *d, uint32_t item, const cur_t *cert_data)
{
    (void)cert_data;
    tree_note(d->m, item, ISAKMP_SEV_CHAT, ISAKMP_NOTE_INFO,
              "Built without libksba: certificate fields not decoded");
}

#endif
