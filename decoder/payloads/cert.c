/* X.509 certificate decoding for CERT payloads (RFC 5280), with libksba. */
#include <stdio.h>
#include <string.h>

#include "payloads/cert.h"

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
    ksba_cert_t cert;
    if (!der || n == 0 || ksba_cert_new(&cert))
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
