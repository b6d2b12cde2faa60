/*
 * IKEv2 payloads of simple layout: Identification (RFC 7296 3.5), Certificate
 * (3.6), Certificate Request (3.7), Authentication (3.8, with the RFC 7427 3
 * signature AlgorithmIdentifier), Delete (3.11), EAP (3.16, header per
 * RFC 3748 4), Generic Secure Password Method (RFC 6467 3), Puzzle Solution
 * (RFC 8019 8.2).
 */
/* payload-bodies: v2 35 36 37 38 39 42 48 49 54 + cert.c */
#include "payloads/cert.h"
#include "payloads/v2/v2_internal.h"

#define ID_IPV4_ADDR 1
#define ID_FQDN 2
#define ID_RFC822_ADDR 3
#define ID_IPV6_ADDR 5
#define ID_DER_ASN1_DN 9
#define ID_KEY_ID 11
#define AUTH_DIGITAL_SIGNATURE 14
#define CERT_HASH_URL_X509 12
#define CERT_HASH_URL_BUNDLE 13
#define SHA1_LEN 20

/* RFC 7296 3.5: the ID data is ike.id.data with the typed value under it. */
void v2_p_id(dec_t *d, cur_t *b, const payload_info *pi)
{
    uint8_t type = cur_peek_u8(b, 0);
    isakmp_fact_id fact = { .payload = facts_cur(d), .type = type, .body = facts_rest(b) };
    tree_set_vals(d->m, dec_u8(d, pi->item, b, F_ID_TYPE), iana_ikev2_id_types);
    dec_bytes(d, pi->item, b, F_RESERVED, 3);
    fact.data = facts_rest(b);
    if (facts_on(d))
        facts_add_ids(d->m, &fact);
    if (!dec_check(d, pi->item, b, "Identification"))
        return;
    uint32_t data = tree_add(d->m, pi->item, F_ID_DATA, b->src, cur_off(b), cur_left(b));
    switch (type) {
    case ID_IPV4_ADDR: dec_bytes(d, data, b, F_ID_DATA_IPV4_ADDR, 4); break;
    case ID_FQDN: dec_rest(d, data, b, F_ID_DATA_FQDN); break;
    case ID_RFC822_ADDR: dec_rest(d, data, b, F_ID_DATA_USER_FQDN); break;
    case ID_IPV6_ADDR: dec_bytes(d, data, b, F_ID_DATA_IPV6_ADDR, 16); break;
    case ID_KEY_ID: dec_rest(d, data, b, F_ID_DATA_KEY_ID); break;
    case ID_DER_ASN1_DN:
        /* Wireshark 4.0's field is a uint32 that is always 0 over the DN */
        tree_add_uint(d->m, data, F_ID_DATA_DER_ASN1_DN, b->src, cur_off(b), cur_left(b), 0);
        cur_skip(b, cur_left(b));
        break;
    default:   /* DER_ASN1_GN, FC_NAME, NULL, unknown: the bytes of ike.id.data */
        if (!isakmp_value_lookup(iana_ikev2_id_types, type))
            tree_note(d->m, data, ISAKMP_SEV_NOTE, ISAKMP_NOTE_UNKNOWN, "Unknown ID type %u", type);
        cur_skip(b, cur_left(b));
        break;
    }
    dec_check(d, data, b, "Identification data");
}

/* RFC 7296 3.6: a certificate, or (encodings 12, 13) SHA-1 hash and URL. */
void v2_p_cert(dec_t *d, cur_t *b, const payload_info *pi)
{
    uint8_t enc = cur_peek_u8(b, 0);
    tree_set_vals(d->m, dec_u8(d, pi->item, b, F_CERT_ENCODING), iana_ikev2_certificate_encodings);
    if (facts_on(d))
        facts_add_certs(d->m, &(isakmp_fact_cert){ facts_cur(d), enc, facts_rest(b) });
    if (!dec_check(d, pi->item, b, "Certificate"))
        return;
    if (enc == CERT_HASH_URL_X509 || enc == CERT_HASH_URL_BUNDLE) {
        dec_bytes(d, pi->item, b, F_CERT_X509_HASH, SHA1_LEN);
        if (cur_ok(b))
            dec_rest(d, pi->item, b, F_CERT_X509_URL);
        return;
    }
    cur_t der = *b;
    uint32_t data = tree_add(d->m, pi->item, F_CERT_DATA, b->src, cur_off(b), cur_left(b));
    cur_skip(b, cur_left(b));
    if (enc == 4 && dec_body_wanted(d, pi->type))   /* X.509 Certificate - Signature */
        cert_decode(d, data, &der);
}

/* RFC 7296 3.7: Certification Authority: SHA-1 hashes of trusted CA keys. */
void v2_p_certreq(dec_t *d, cur_t *b, const payload_info *pi)
{
    tree_set_vals(d->m, dec_u8(d, pi->item, b, F_CERTREQ_TYPE), iana_ikev2_certificate_encodings);
    while (cur_ok(b) && cur_left(b) >= SHA1_LEN)
        dec_bytes(d, pi->item, b, F_IKE_CERTREQ_AUTHORITY, SHA1_LEN);
    if (cur_ok(b) && cur_left(b)) {
        tree_note(d->m, pi->item, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED,
                  "Certification Authority: %zu bytes are not a whole SHA-1 hash", cur_left(b));
        cur_skip(b, cur_left(b));
    }
}

/* RFC 7427 3: ASN.1 length, AlgorithmIdentifier, signature value. */
static void auth_signature(dec_t *d, uint32_t parent, cur_t *c, isakmp_fact_auth *fact)
{
    uint8_t len = cur_peek_u8(c, 0);
    dec_u8(d, parent, c, F_AUTH_DATA_SIG_ASN1_LEN);
    if (cur_ok(c) && cur_left(c) < len)
        cur_skip(c, len);   /* the AlgorithmIdentifier overruns the payload */
    isakmp_span alg = facts_span(c->src, cur_off(c), len);
    if (cur_ok(c))
        dec_bytes(d, parent, c, F_AUTH_DATA_SIG_ASN1_DATA, len);
    if (cur_ok(c)) {
        fact->sig_alg = alg;
        fact->sig_value = facts_rest(c);
        dec_rest(d, parent, c, F_AUTH_DATA_SIG_VALUE);
    }
    dec_check(d, parent, c, "Digital signature");
}

/* RFC 7296 3.8: method, reserved, authentication data. */
void v2_p_auth(dec_t *d, cur_t *b, const payload_info *pi)
{
    uint8_t method = cur_peek_u8(b, 0);
    tree_set_vals(d->m, dec_u8(d, pi->item, b, F_AUTH_METHOD), iana_ikev2_auth_methods);
    dec_bytes(d, pi->item, b, F_RESERVED, 3);
    isakmp_fact_auth fact = { .payload = facts_cur(d), .method = method, .data = facts_rest(b) };
    if (dec_check(d, pi->item, b, "Authentication")) {
        cur_t sig = *b;
        dec_rest(d, pi->item, b, F_AUTH_DATA);
        if (method == AUTH_DIGITAL_SIGNATURE)
            auth_signature(d, pi->item, &sig, &fact);
    }
    if (facts_on(d))
        facts_add_auths(d->m, &fact);
}

/* The SPIs of a Delete payload. */
static void delete_spis(dec_t *d, const payload_info *pi, cur_t *b, uint8_t spisize, uint16_t n)
{
    for (unsigned i = 0; spisize && i < n && cur_ok(b); i++) {
        if (cur_left(b) < spisize) {
            tree_note(d->m, pi->item, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED,
                      "Delete announces %u SPIs of %u bytes, holds %u", n, spisize, i);
            cur_skip(b, cur_left(b));
            return;
        }
        dec_bytes(d, pi->item, b, F_DELETE_SPI, spisize);
    }
}

/* RFC 7296 3.11: protocol, SPI size, number of SPIs, the SPIs. */
void v2_p_delete(dec_t *d, cur_t *b, const payload_info *pi)
{
    uint8_t spisize = cur_peek_u8(b, 1);
    uint16_t n = cur_left(b) >= 4 ? cur_peek_u16(b, 2) : 0;
    isakmp_fact_delete fact = { .payload = facts_cur(d), .protocol = cur_peek_u8(b, 0),
                                .spi_size = spisize, .count = n };
    tree_set_vals(d->m, dec_u8(d, pi->item, b, F_DELETE_PROTOID), iana_ikev2_security_protocol_ids);
    dec_u8(d, pi->item, b, F_SPISIZE);
    dec_u16(d, pi->item, b, F_SPINUM);
    size_t start = cur_off(b);
    if (!dec_check(d, pi->item, b, "Delete"))
        return;
    delete_spis(d, pi, b, spisize, n);
    fact.spis = facts_span(b->src, start, cur_off(b) - start);
    if (facts_on(d))
        facts_add_deletes(d->m, &fact);
}

/* RFC 3748 4, 5: EAP codes and the method types most seen in IKEv2. */
static const isakmp_value_name eap_codes[] = {
    { 1, 1, "Request" }, { 2, 2, "Response" }, { 3, 3, "Success" }, { 4, 4, "Failure" },
    { 5, 5, "Initiate" }, { 6, 6, "Finish" }, { 0, 0, NULL }
};
static const isakmp_value_name eap_types[] = {
    { 1, 1, "Identity" }, { 2, 2, "Notification" }, { 3, 3, "Legacy Nak" },
    { 4, 4, "MD5-Challenge" }, { 5, 5, "One-Time Password" }, { 6, 6, "Generic Token Card" },
    { 13, 13, "EAP-TLS" }, { 18, 18, "EAP-SIM" }, { 21, 21, "EAP-TTLS" }, { 23, 23, "EAP-AKA" },
    { 25, 25, "PEAP" }, { 26, 26, "EAP-MSCHAP-V2" }, { 43, 43, "EAP-FAST" }, { 47, 47, "EAP-PSK" },
    { 49, 49, "EAP-IKEv2" }, { 50, 50, "EAP-AKA'" }, { 52, 52, "EAP-pwd" }, { 55, 55, "TEAP" },
    { 254, 254, "Expanded Type" }, { 255, 255, "Experimental" }, { 0, 0, NULL }
};

/* RFC 7296 3.16: one EAP message.  Wireshark 4.0 hands it to its EAP
 * dissector (eap.*), so ike.eap.data is not shown; the header fields are. */
void v2_p_eap(dec_t *d, cur_t *b, const payload_info *pi)
{
    uint8_t code = cur_peek_u8(b, 0);
    size_t len = cur_left(b) >= 4 ? cur_peek_u16(b, 2) : 4;
    /* RFC 3748 4: only Requests and Responses name a method */
    uint8_t type = (code == 1 || code == 2) && len > 4 && cur_left(b) > 4 ? cur_peek_u8(b, 4) : 0;
    if (facts_on(d))
        facts_add_eaps(d->m, &(isakmp_fact_eap){ facts_cur(d), code, type });
    tree_set_vals(d->m, dec_u8(d, pi->item, b, F_EAP_CODE), eap_codes);
    dec_u8(d, pi->item, b, F_EAP_IDENTIFIER);
    dec_u16(d, pi->item, b, F_EAP_LENGTH);
    if (!dec_check(d, pi->item, b, "EAP"))
        return;
    cur_t e;
    if (!cur_child(b, len < 4 ? 0 : len - 4, &e) || len < 4)
        tree_note(d->m, pi->item, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED,
                  "EAP length %zu does not fit the payload", len);
    if ((code == 1 || code == 2) && cur_left(&e) > 0)
        tree_set_vals(d->m, dec_u8(d, pi->item, &e, F_EAP_TYPE), eap_types);
    if (cur_left(&e) > 0)
        dec_rest(d, pi->item, &e, F_EAP_TYPE_DATA);
    if (cur_left(b)) {   /* a note only: Wireshark shows no ike.extradata here */
        tree_note(d->m, pi->item, ISAKMP_SEV_WARN, ISAKMP_NOTE_TRAILING,
                  "%zu bytes after the EAP message", cur_left(b));
        cur_skip(b, cur_left(b));
    }
}

/* RFC 6467 3: method-specific data. */
void v2_p_gspm(dec_t *d, cur_t *b, const payload_info *pi) { dec_rest(d, pi->item, b, F_GSPM_DATA); }

/* RFC 8019 8.2: Wireshark 4.0 shows the body as ike.datapayload; the
 * solution is the same bytes under it. */
void v2_p_puzzle(dec_t *d, cur_t *b, const payload_info *pi)
{
    cur_t s = *b;
    uint32_t data = dec_rest(d, pi->item, b, F_DATAPAYLOAD);
    dec_rest(d, data, &s, F_PUZZLE_SOLUTION);
}
