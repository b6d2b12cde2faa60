/* The report's reader: the facts of one message (msg_info), from its facts
 * record (isakmp_msg_facts, include/isakmp/facts.h), with the names the
 * record's numbers have (isakmp_fact_value_name, isakmp_fact_id_text).
 * Proposals (RFC 2408 3.5, RFC 7296 3.3.1) and their transforms are the SA
 * payloads' entries in the record. */
#include <string.h>

#include "isakmp/facts.h"

#include "report_walk.h"

/* Payload types: RFC 2408 3.1 (IKEv1, with NAT-D 20 / 130 of RFC 3947 and
 * its drafts, and the fragment payload 132), RFC 7296 3.2 (IKEv2, with SKF
 * 53 of RFC 7383). */
enum {
    PT_V1_SA = 1, PT_V1_KE = 4, PT_V1_ID = 5, PT_V1_SIG = 9,
    PT_V1_NAT_D = 20, PT_V1_NAT_D_DRAFT = 130, PT_V1_FRAG = 132,
    PT_SA = 33, PT_KE = 34, PT_IDI = 35, PT_IDR = 36, PT_AUTH = 39, PT_TSI = 44, PT_TSR = 45,
    PT_SK = 46, PT_EAP = 48, PT_SKF = 53
};

#define PROTO_IKE 1          /* proposal protocol ID: IKE / ISAKMP */

/* IKEv1 attribute classes: RFC 2409 Appendix A in IKE proposals, RFC 2407
 * 4.5 in AH / ESP / IPCOMP ones; IKEv2 attribute types (RFC 7296 3.3.5). */
enum {
    IKE_ENCR = 1, IKE_HASH = 2, IKE_AUTH = 3, IKE_GROUP = 4, IKE_LIFE_TYPE = 11,
    IKE_LIFE_DURATION = 12, IKE_KEY_LENGTH = 14
};
enum {
    IPSEC_LIFE_TYPE = 1, IPSEC_LIFE_DURATION = 2, IPSEC_GROUP = 3, IPSEC_ENCAP = 4,
    IPSEC_AUTH = 5, IPSEC_KEY_LENGTH = 6
};
#define V2_KEY_LENGTH 14
enum { TF_ENCR = 1, TF_PRF = 2, TF_INTEG = 3, TF_KE = 4, TF_ESN = 5 };   /* IKEv2 transform types */
#define LIFE_SECONDS 1       /* life types, both classes */
#define LIFE_KILOBYTES 2
#define NOTIFY_ERROR_END 16384   /* error types are 1 .. 16383, both versions */
#define NOTIFY_NAT_DETECTION_SOURCE_IP 16388   /* RFC 7296 3.10.1 */
#define NOTIFY_NAT_DETECTION_DESTINATION_IP 16389
#define NOTIFY_USE_TRANSPORT_MODE 16391
#define NOTIFY_REKEY_SA 16393
#define NOTIFY_IKEV2_FRAGMENTATION_SUPPORTED 16430   /* RFC 7383 2.3 */
#define HASH_SHA1 1          /* RFC 7427 4 */

void rpt_copy(char *dst, size_t size, const char *s)
{
    g_strlcpy(dst, s ? s : "", size);
}

/* ---------------------------------------------------------------- values */

/* The captured bytes of a span: as many of its octets as its source holds. */
static const uint8_t *span_bytes(const isakmp_msg *m, isakmp_span s, size_t *n)
{
    size_t len = 0;
    const uint8_t *p = isakmp_msg_source_data(m, s.src, &len);
    *n = p && s.off < len ? MIN(s.len, len - s.off) : 0;
    return *n ? p + s.off : NULL;
}

/* A span cut at `end` (an offset in its source): the octets of it a
 * parser had inside its container. */
static isakmp_span span_upto(isakmp_span s, size_t end)
{
    s.len = s.off < end ? (uint32_t)MIN(s.len, end - s.off) : 0;
    return s;
}

static void copy_span(uint8_t *dst, size_t cap, size_t *len, const isakmp_msg *m, isakmp_span s)
{
    size_t n;
    const uint8_t *b = span_bytes(m, s, &n);
    *len = MIN(n, cap);
    if (*len)
        memcpy(dst, b, *len);
}

static void set_alg(rpt_alg *a, uint32_t id, const char *name)
{
    a->set = true;
    a->id = id;
    if (name)
        rpt_copy(a->name, sizeof a->name, name);
    else
        g_snprintf(a->name, sizeof a->name, "%u", a->id);
}

/* Appends "sep value" to a bounded text. */
static void append(char *dst, size_t size, const char *sep, const char *s)
{
    if (dst[0])
        g_strlcat(dst, sep, size);
    g_strlcat(dst, s, size);
}

/* ---------------------------------------------------------------- SA */

/* An IKEv1 attribute's value as an integer, as the tree reads one: all of
 * a value of up to 4 octets, the first 4 of a longer one. */
static uint32_t attr_u32(const isakmp_fact_attr *a)
{
    size_t n = MIN(a->data.len, 8);   /* the record keeps the first 8 */
    return (uint32_t)(n <= 4 ? a->value : a->value >> (8 * (n - 4)));
}

static void v1_life(rpt_suite *s, uint32_t type, uint64_t v)
{
    if (type == LIFE_SECONDS)
        s->life_s = v;
    else if (type == LIFE_KILOBYTES)
        s->life_kb = v;
}

/* RFC 2409 Appendix A classes in an IKE proposal's transform. */
static void ike_attr(const isakmp_msg *m, const isakmp_facts *f, uint32_t ai, rpt_suite *t,
                     uint32_t *ltype)
{
    const isakmp_fact_attr *a = &f->attrs[ai];
    uint32_t v = attr_u32(a);
    const char *name = isakmp_fact_value_name(m, ISAKMP_FACT_ATTR, ai);
    switch (a->type) {
    case IKE_ENCR: set_alg(&t->encr, v, name); break;
    case IKE_HASH: set_alg(&t->prf, v, name); break;
    case IKE_AUTH: set_alg(&t->auth, v, name); break;
    case IKE_GROUP: set_alg(&t->dh, v, name); break;
    case IKE_LIFE_TYPE: *ltype = v; break;
    case IKE_LIFE_DURATION:   /* longer than 8 octets: shown as bytes, not read */
        if (a->data.len <= 8)
            v1_life(t, *ltype, a->value);
        break;
    case IKE_KEY_LENGTH: t->key_length = v; break;
    default: break;
    }
}

/* RFC 2407 4.5 classes in an AH / ESP / IPCOMP proposal's transform. */
static void ipsec_attr(const isakmp_msg *m, const isakmp_facts *f, uint32_t ai, rpt_suite *t,
                       uint32_t *ltype)
{
    const isakmp_fact_attr *a = &f->attrs[ai];
    uint32_t v = attr_u32(a);
    const char *name = isakmp_fact_value_name(m, ISAKMP_FACT_ATTR, ai);
    switch (a->type) {
    case IPSEC_LIFE_TYPE: *ltype = v; break;
    case IPSEC_LIFE_DURATION:
        if (a->data.len <= 8)
            v1_life(t, *ltype, a->value);
        break;
    case IPSEC_GROUP: set_alg(&t->dh, v, name); break;
    case IPSEC_ENCAP: set_alg(&t->encap, v, name); break;
    case IPSEC_AUTH: set_alg(&t->integ, v, name); break;
    case IPSEC_KEY_LENGTH: t->key_length = v; break;
    default: break;
    }
}

/* IKEv1: the transform ID names the cipher of ESP / AH (of IKE, only the
 * attributes say it); empty attribute values say nothing. */
static void v1_transform(const isakmp_msg *m, const isakmp_facts *f, uint32_t ti, rpt_suite *t)
{
    const isakmp_fact_transform *tf = &f->transforms[ti];
    uint32_t ltype = 0;
    if (t->protoid != PROTO_IKE)
        set_alg(&t->encr, tf->id, isakmp_fact_value_name(m, ISAKMP_FACT_TRANSFORM, ti));
    for (uint32_t i = 0; i < tf->n_attrs; i++) {
        uint32_t ai = tf->first_attr + i;
        if (f->attrs[ai].data.len == 0)
            continue;
        if (t->protoid == PROTO_IKE)
            ike_attr(m, f, ai, t, &ltype);
        else
            ipsec_attr(m, f, ai, t, &ltype);
    }
}

/* IKEv2 (RFC 7296 3.3.2): where a transform type goes in a suite; NULL
 * for the types the report does not show. */
static rpt_alg *v2_slot(rpt_suite *t, uint8_t type)
{
    switch (type) {
    case TF_ENCR: return &t->encr;
    case TF_PRF: return &t->prf;
    case TF_INTEG: return &t->integ;
    case TF_KE: return &t->dh;
    case TF_ESN: return &t->esn;
    default: return NULL;
    }
}

/* IKEv2: the transform's ID, and the Key Length attribute (type 14, two
 * octets). */
static void v2_transform(const isakmp_msg *m, const isakmp_facts *f, uint32_t ti, rpt_suite *t)
{
    const isakmp_fact_transform *tf = &f->transforms[ti];
    rpt_alg *a = v2_slot(t, tf->type);
    if (a)
        set_alg(a, tf->id, isakmp_fact_value_name(m, ISAKMP_FACT_TRANSFORM, ti));
    if (tf->type >= 6 && tf->type <= 12)   /* RFC 9370 ADDKE1..7 */
        t->addke[tf->type - 6] = (uint16_t)tf->id;
    for (size_t i = 0; i < tf->n_attrs; i++) {
        const isakmp_fact_attr *at = &f->attrs[tf->first_attr + i];
        if (at->type == V2_KEY_LENGTH && at->data.len == 2)
            t->key_length = (uint32_t)at->value;
    }
}

static void text_alg(char *dst, size_t size, const rpt_alg *a)
{
    if (a->set)
        append(dst, size, ", ", a->name);
}

/* The readable text of a whole suite: cipher-keylength, integrity, PRF or
 * hash, authentication, DH group, lifetimes. */
static void suite_text(rpt_suite *s)
{
    char t[96] = "";
    s->text[0] = 0;
    if (s->encr.set) {
        g_snprintf(t, sizeof t, s->key_length ? "%s-%u" : "%s", s->encr.name, s->key_length);
        append(s->text, sizeof s->text, ", ", t);
    }
    text_alg(s->text, sizeof s->text, &s->integ);
    text_alg(s->text, sizeof s->text, &s->prf);
    text_alg(s->text, sizeof s->text, &s->auth);
    if (s->dh.set) {
        g_snprintf(t, sizeof t, "DH%u", s->dh.id);
        append(s->text, sizeof s->text, ", ", t);
    }
    if (s->life_s) {
        g_snprintf(t, sizeof t, "%" G_GUINT64_FORMAT "s", s->life_s);
        append(s->text, sizeof s->text, ", ", t);
    }
    if (s->life_kb) {
        g_snprintf(t, sizeof t, "%" G_GUINT64_FORMAT "KB", s->life_kb);
        append(s->text, sizeof s->text, ", ", t);
    }
}

/* IKEv2: a transform of a type already set is an alternative; the suite
 * keeps the first, the alternatives go into `alts`. */
static void merge_alg(rpt_alg *dst, const rpt_alg *src, char *alts, size_t size)
{
    if (!src->set)
        return;
    if (dst->set)
        append(alts, size, "|", src->name);
    else
        *dst = *src;
}

static void merge_v2(rpt_suite *s, const rpt_suite *t, char *alts, size_t size)
{
    if (t->encr.set && !s->encr.set)
        s->key_length = t->key_length;
    else if (t->encr.set && t->key_length) {
        char k[RPT_NAME + 16];
        g_snprintf(k, sizeof k, "%s-%u", t->encr.name, t->key_length);
        append(alts, size, "|", k);
        return;
    }
    merge_alg(&s->encr, &t->encr, alts, size);
    merge_alg(&s->integ, &t->integ, alts, size);
    merge_alg(&s->prf, &t->prf, alts, size);
    merge_alg(&s->dh, &t->dh, alts, size);
    merge_alg(&s->esn, &t->esn, alts, size);
    for (int i = 0; i < 7; i++)   /* the first method of each ADDKE type */
        if (!s->addke[i])
            s->addke[i] = t->addke[i];
}

/* One transform into a fresh suite `t` of the proposal's protocol. */
static void read_transform(const isakmp_msg *m, const isakmp_facts *f, uint32_t ti, int version,
                           const rpt_suite *base, rpt_suite *t)
{
    memset(t, 0, sizeof *t);
    t->protoid = base->protoid;
    if (version == 2)
        v2_transform(m, f, ti, t);
    else
        v1_transform(m, f, ti, t);
}

/* RFC 2408 3.5 / RFC 7296 3.3.1: protocol, SPI, transforms.  IKEv2: one
 * suite per proposal; IKEv1: one suite per transform. */
static void read_proposal(const isakmp_msg *m, const isakmp_facts *f, uint32_t pi, msg_info *mi)
{
    const isakmp_fact_proposal *p = &f->proposals[pi];
    const isakmp_item *scope = isakmp_fact_proposal_item(m, pi);
    rpt_suite base, v2, t;
    char alts[128] = "";
    memset(&base, 0, sizeof base);
    base.protoid = p->protocol;
    isakmp_span spi = p->spi;
    if (scope)   /* the SPI as far as the proposal's length lets it go */
        spi = span_upto(spi, isakmp_item_offset(scope) + isakmp_item_length(scope));
    copy_span(base.spi, sizeof base.spi, &base.spi_len, m, spi);
    v2 = base;
    for (size_t i = 0; i < p->n_transforms; i++) {
        if (mi->suites->len >= RPT_MAX_OFFERS) {   /* IKEv1: one suite per transform */
            mi->suites_dropped += mi->version == 1;
            continue;
        }
        read_transform(m, f, p->first_transform + (uint32_t)i, mi->version, &base, &t);
        if (mi->version == 2) {
            merge_v2(&v2, &t, alts, sizeof alts);
            continue;
        }
        memcpy(t.spi, base.spi, sizeof t.spi);
        t.spi_len = base.spi_len;
        suite_text(&t);
        g_array_append_val(mi->suites, t);
    }
    if (mi->version != 2)
        return;
    if (mi->suites->len >= RPT_MAX_OFFERS) {
        mi->suites_dropped++;
        return;
    }
    suite_text(&v2);
    if (alts[0])
        append(v2.text, sizeof v2.text, " | also ", alts);
    g_array_append_val(mi->suites, v2);
}

/* ---------------------------------------------------------------- notifies */

static void read_notify(const isakmp_msg *m, const isakmp_facts *f, uint32_t ni, msg_info *mi)
{
    const isakmp_fact_notify *n = &f->notifies[ni];
    uint32_t type = n->type;
    if (type >= 1 && type < NOTIFY_ERROR_END && !mi->has_error) {
        mi->has_error = true;
        mi->error = type;
        rpt_copy(mi->error_name, sizeof mi->error_name,
                 isakmp_fact_value_name(m, ISAKMP_FACT_NOTIFY, ni));
        if (!mi->error_name[0])
            g_snprintf(mi->error_name, sizeof mi->error_name, "notify %u", type);
    }
    if (type == NOTIFY_REKEY_SA && n->payload < f->n_payloads) {
        isakmp_span pl = f->payloads[n->payload].span;   /* as far as the payload goes */
        copy_span(mi->rekey_spi, sizeof mi->rekey_spi, &mi->rekey_spi_len, m,
                  span_upto(n->spi, (size_t)pl.off + pl.len));
    }
    if (mi->version != 2)
        return;
    if (type == NOTIFY_NAT_DETECTION_SOURCE_IP || type == NOTIFY_NAT_DETECTION_DESTINATION_IP)
        mi->nat_d = true;
    else if (type == NOTIFY_IKEV2_FRAGMENTATION_SUPPORTED)
        mi->frag_supported = true;
    else if (type == NOTIFY_USE_TRANSPORT_MODE)
        mi->transport_mode = true;
}

/* SIGNATURE_HASH_ALGORITHMS (RFC 7427 4): the names, and whether SHA-1 is one. */
static void read_hash_alg(const isakmp_msg *m, const isakmp_facts *f, uint32_t hi, msg_info *mi)
{
    const isakmp_fact_hash_alg *h = &f->hash_algs[hi];
    const char *n = isakmp_fact_value_name(m, ISAKMP_FACT_HASH_ALG, hi);
    append(mi->sig_hashes, sizeof mi->sig_hashes, ",", n ? n : "?");
    if (h->alg == HASH_SHA1)
        mi->sig_hash_sha1 = true;
}

/* ---------------------------------------------------------------- payloads */

/* A vendor ID as the report lists it: the known vendor's name, else the
 * first 16 octets in hex. */
static void read_vid(const isakmp_msg *m, const isakmp_fact_vid *v, msg_info *mi)
{
    char name[RPT_NAME] = "";
    if (v->name) {
        rpt_copy(name, sizeof name, v->name);
        size_t n = strlen(g_strstrip(name));
        if (n >= 2 && strcmp(name + n - 2, "\\n") == 0)   /* a name ending in a newline */
            name[n - 2] = 0;
    } else {
        size_t n;
        const uint8_t *b = span_bytes(m, v->data, &n);
        if (n)
            isakmp_format_hex(b, MIN(n, 16), name, sizeof name);
        else   /* no octets: shown as the tree (and tshark) show an empty byte field */
            rpt_copy(name, sizeof name, "<MISSING>");
    }
    if (g_strstr_len(name, -1, "FRAGMENTATION") || g_strstr_len(name, -1, "Fragmentation"))
        mi->frag_supported = true;   /* IKEv1 fragmentation is announced by vendor ID */
    if (name[0] && mi->n_vids < MI_MAX_VIDS)
        rpt_copy(mi->vids[mi->n_vids++], RPT_NAME, name);
}

/* The traffic selectors of TS payload i (RFC 7296 3.13.1) as text: each
 * address range "start-end", separated by spaces. */
static void ts_text(const isakmp_msg *m, const isakmp_facts *f, size_t i, char *out, size_t size)
{
    out[0] = 0;
    for (size_t k = 0; k < f->n_ts; k++) {
        const isakmp_fact_ts *t = &f->ts[k];
        if (t->payload != i || !t->start.len)
            continue;
        char a[64], b[64];
        int af = t->start.len == 4 ? 4 : 6;
        isakmp_format_addr(af, isakmp_msg_span(m, t->start), a, sizeof a);
        isakmp_format_addr(af, isakmp_msg_span(m, t->end), b, sizeof b);
        append(out, size, " ", a);
        append(out, size, "-", b);
    }
}

/* Identities (IKEv1 ID, IKEv2 IDi / IDr) and traffic selectors. */
static void read_id(const isakmp_msg *m, const isakmp_facts *f, uint32_t i, msg_info *mi)
{
    switch (f->payloads[i].type) {
    case PT_IDI: isakmp_fact_id_text(m, i, mi->id_i, sizeof mi->id_i); break;
    case PT_IDR: isakmp_fact_id_text(m, i, mi->id_r, sizeof mi->id_r); break;
    case PT_TSI: ts_text(m, f, i, mi->ts_i, sizeof mi->ts_i); break;
    case PT_TSR: ts_text(m, f, i, mi->ts_r, sizeof mi->ts_r); break;
    default:
        if (mi->n_ids < MI_MAX_IDS)
            isakmp_fact_id_text(m, i, mi->ids[mi->n_ids++], sizeof mi->ids[0]);
        break;
    }
}

/* What the presence of a payload says. */
static void read_payload(const isakmp_msg *m, const isakmp_facts *f, uint32_t i, msg_info *mi)
{
    bool v2 = mi->version == 2;
    switch (f->payloads[i].type) {
    case PT_V1_SA: case PT_SA: mi->has_sa = true; break;
    case PT_V1_KE: case PT_KE: mi->has_ke = true; break;
    case PT_V1_ID: case PT_IDI: case PT_IDR: case PT_TSI: case PT_TSR:
        read_id(m, f, i, mi);
        break;
    case PT_V1_SIG: mi->has_sig |= !v2; break;
    case PT_V1_NAT_D: case PT_V1_NAT_D_DRAFT: mi->nat_d |= !v2; break;
    case PT_AUTH: mi->has_auth = true; break;
    case PT_SK: mi->encrypted = true; break;
    case PT_EAP: mi->has_eap = true; break;
    case PT_SKF: mi->encrypted = mi->frag_used = true; break;
    case PT_V1_FRAG: mi->frag_used |= !v2; break;
    default: break;
    }
}

/* RFC 3748 5: the EAP method; Identity (1), Notification (2) and Nak (3)
 * say nothing about it. */
static void read_eap(const isakmp_msg *m, const isakmp_facts *f, uint32_t ei, msg_info *mi)
{
    const isakmp_fact_eap *e = &f->eaps[ei];
    if (e->type <= 3)
        return;
    const char *n = isakmp_fact_value_name(m, ISAKMP_FACT_EAP, ei);
    if (e->type == 4)
        rpt_copy(mi->eap_name, sizeof mi->eap_name, "EAP-MD5");
    else   /* the registry's names of 13, 21, 26, ... already start with EAP- */
        g_snprintf(mi->eap_name, sizeof mi->eap_name, "%s%s",
                   n && g_str_has_prefix(n, "EAP-") ? "" : "EAP-", n ? n : "?");
}

/* IKEv2 AUTH (RFC 7296 3.8): the method; the last one counts. */
static void read_auth(const isakmp_msg *m, const isakmp_facts *f, uint32_t ai, msg_info *mi)
{
    mi->auth_method = f->auths[ai].method;
    rpt_copy(mi->auth_name, sizeof mi->auth_name,
             isakmp_fact_value_name(m, ISAKMP_FACT_AUTH, ai));
}

/* ---------------------------------------------------------------- message */

static void read_header(const isakmp_msg *m, const isakmp_facts *f, msg_info *mi)
{
    const isakmp_fact_header *h = &f->header;
    memcpy(mi->ispi, h->ispi, 8);
    memcpy(mi->rspi, h->rspi, 8);
    mi->exch = h->exchange;
    rpt_copy(mi->exch_name, sizeof mi->exch_name,
             isakmp_fact_value_name(m, ISAKMP_FACT_EXCHANGE, 0));
    /* a Message ID cut short by the capture reads as none */
    mi->msgid = h->complete || isakmp_msg_packet(m)->len >= 24 ? h->msgid : 0;
    mi->flag_i = h->initiator;
    mi->flag_r = h->response;
    mi->flag_e = mi->encrypted = h->encrypted;
}

static void read_checks(const isakmp_facts *f, msg_info *mi)
{
    mi->icv_ok = f->icv.ok;
    mi->icv_bad = f->icv.bad;
    mi->hash_ok = f->hash.ok;
    mi->hash_bad = f->hash.bad;
    mi->auth_ok = f->auth.ok;
    mi->auth_bad = f->auth.bad;
    mi->decrypted = f->decrypted;
}

static void msg_info_reset(msg_info *mi)
{
    GArray *keep = mi->suites;
    memset(mi, 0, sizeof *mi);
    mi->suites = keep;
    g_array_set_size(mi->suites, 0);
}

void walk_msg(const isakmp_msg *m, msg_info *mi)
{
    const isakmp_facts *f = isakmp_msg_facts(m);
    msg_info_reset(mi);
    mi->version = isakmp_msg_version(m);
    read_header(m, f, mi);
    for (uint32_t i = 0; i < f->n_payloads; i++)
        read_payload(m, f, i, mi);
    for (uint32_t i = 0; i < f->n_proposals; i++)
        read_proposal(m, f, i, mi);
    for (uint32_t i = 0; i < f->n_notifies; i++)
        read_notify(m, f, i, mi);
    for (uint32_t i = 0; i < f->n_hash_algs; i++)
        read_hash_alg(m, f, i, mi);
    for (size_t i = 0; i < f->n_vids; i++)
        read_vid(m, &f->vids[i], mi);
    for (size_t i = 0; mi->version == 2 && i < f->n_kes; i++)
        mi->ke_group = f->kes[i].group;
    for (uint32_t i = 0; mi->version == 2 && i < f->n_auths; i++)
        read_auth(m, f, i, mi);
    for (uint32_t i = 0; i < f->n_eaps; i++)
        read_eap(m, f, i, mi);
    read_checks(f, mi);
}
