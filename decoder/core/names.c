/*
 * Value names that depend on the IKE version.  IKEv1 and IKEv2 number their
 * exchange and payload types from one space (IKEv2 starts at 33/34 so the two
 * can share a port), so one merged table per kind serves both; rows follow
 * the IANA registries "ISAKMP Exchange Types", "ISAKMP Next Payload Types"
 * (isakmp-registry) and "IKEv2 Exchange Types", "IKEv2 Payload Types"
 * (ikev2-parameters).  Versioned tables for the rest come from iana_tables.c.
 */
#include <pthread.h>
#include <string.h>

#include "core/ike_types.h"
#include "core/internal.h"
#include "core/names.h"
#include "core/once.h"
#include "isakmp/facts.h"

const isakmp_value_name names_v1_exchange[] = {
    { 0, 0, "NONE" },
    { 1, 1, "Base" },
    { 2, 2, "Identity Protection (Main Mode)" },
    { 3, 3, "Authentication Only" },
    { 4, 4, "Aggressive" },
    { 5, 5, "Informational" },
    { 6, 6, "Transaction (Config Mode)" },
    { 32, 32, "Quick Mode" },
    { 33, 33, "New Group Mode" },
    { 0, 0, NULL }
};

const isakmp_value_name names_v2_exchange[] = {
    { 34, 34, "IKE_SA_INIT" },
    { 35, 35, "IKE_AUTH" },
    { 36, 36, "CREATE_CHILD_SA" },
    { 37, 37, "INFORMATIONAL" },
    { 38, 38, "IKE_SESSION_RESUME" },
    { 39, 39, "GSA_AUTH" },
    { 40, 40, "GSA_REGISTRATION" },
    { 41, 41, "GSA_REKEY" },
    { 42, 42, "GSA_INBAND_REKEY" },
    { 43, 43, "IKE_INTERMEDIATE" },
    { 44, 44, "IKE_FOLLOWUP_KE" },
    { 0, 0, NULL }
};

const isakmp_value_name names_v1_payload[] = {
    { 0, 0, "NONE / No Next Payload" },
    { 1, 1, "Security Association" },
    { 2, 2, "Proposal" },
    { 3, 3, "Transform" },
    { 4, 4, "Key Exchange" },
    { 5, 5, "Identification" },
    { 6, 6, "Certificate" },
    { 7, 7, "Certificate Request" },
    { 8, 8, "Hash" },
    { 9, 9, "Signature" },
    { 10, 10, "Nonce" },
    { 11, 11, "Notification" },
    { 12, 12, "Delete" },
    { 13, 13, "Vendor ID" },
    { 14, 14, "Attributes (Config Mode)" },
    { 15, 15, "SA KEK Payload" },
    { 16, 16, "SA TEK Payload" },
    { 17, 17, "Key Download" },
    { 18, 18, "Sequence Number" },
    { 19, 19, "Proof of Possession" },
    { 20, 20, "NAT-D (RFC 3947)" },
    { 21, 21, "NAT-OA (RFC 3947)" },
    { 22, 22, "Group Associated Policy" },
    { 128, 128, "Symmetric-key" },   /* GM/T 0022-2014 */
    { 130, 130, "NAT-D (draft-ietf-ipsec-nat-t-ike-01 to 03)" },
    { 131, 131, "NAT-OA (draft-ietf-ipsec-nat-t-ike-01 to 04)" },
    { 132, 132, "IKE Fragmentation" },
    { 0, 0, NULL }
};

const isakmp_value_name names_v2_payload[] = {
    { 0, 0, "NONE / No Next Payload" },
    { 33, 33, "Security Association" },
    { 34, 34, "Key Exchange" },
    { 35, 35, "Identification - Initiator" },
    { 36, 36, "Identification - Responder" },
    { 37, 37, "Certificate" },
    { 38, 38, "Certificate Request" },
    { 39, 39, "Authentication" },
    { 40, 40, "Nonce" },
    { 41, 41, "Notify" },
    { 42, 42, "Delete" },
    { 43, 43, "Vendor ID" },
    { 44, 44, "Traffic Selector - Initiator" },
    { 45, 45, "Traffic Selector - Responder" },
    { 46, 46, "Encrypted and Authenticated" },
    { 47, 47, "Configuration" },
    { 48, 48, "Extensible Authentication" },
    { 49, 49, "Generic Secure Password Method" },
    { 50, 50, "Group Identification" },
    { 51, 51, "Group Security Association" },
    { 52, 52, "Key Download" },
    { 53, 53, "Encrypted and Authenticated Fragment" },
    { 54, 54, "Puzzle Solution" },
    { 128, 128, "Symmetric-key" },   /* GM/T 0022-2014, read in IKEv2 too by Wireshark 4.4 */
    { 0, 0, NULL }
};

/* IKEv1 authentication methods from the private-use range that peers send
 * for XAUTH (draft-beaulieu-ike-xauth-02 / draft-ietf-ipsec-isakmp-xauth-06,
 * section 7) and hybrid authentication (draft-ietf-ipsec-isakmp-hybrid-auth,
 * section 3.2.1); used where IANA's table only says "private use". */
const isakmp_value_name names_v1_xauth_auth_methods[] = {
    { 64221, 64221, "HybridInitRSA" },
    { 64222, 64222, "HybridRespRSA" },
    { 64223, 64223, "HybridInitDSS" },
    { 64224, 64224, "HybridRespDSS" },
    { 65001, 65001, "XAUTHInitPreShared" },
    { 65002, 65002, "XAUTHRespPreShared" },
    { 65003, 65003, "XAUTHInitDSS" },
    { 65004, 65004, "XAUTHRespDSS" },
    { 65005, 65005, "XAUTHInitRSA" },
    { 65006, 65006, "XAUTHRespRSA" },
    { 65007, 65007, "XAUTHInitRSAEncryption" },
    { 65008, 65008, "XAUTHRespRSAEncryption" },
    { 65009, 65009, "XAUTHInitRSARevisedEncryption" },
    { 65010, 65010, "XAUTHRespRSARevisedEncryption" },
    { 0, 0, NULL }
};

/* GM/T 0022-2014, China's IPsec VPN specification (the "China IPsec VPN
 * specification" of Wireshark's names): its IKEv1 transform attribute values
 * from the ranges IANA leaves unassigned (the names Wireshark gives them). */
const isakmp_value_name names_v1_gmt_encryption[] = {
    { 127, 127, "SM4-CBC (DEPRECATED)" },
    { 128, 128, "SM1-CBC" },
    { 129, 129, "SM4-CBC" },
    { 0, 0, NULL }
};

const isakmp_value_name names_v1_gmt_hash[] = {
    { 20, 20, "SM3" },
    { 0, 0, NULL }
};

/* Attribute class 20, Asymmetric Cryptographic Algorithm Type. */
const isakmp_value_name names_v1_gmt_asymmetric[] = {
    { 1, 1, "RSA" },
    { 2, 2, "SM2" },
    { 0, 0, NULL }
};

/* Its Authentication Method values (ike.ike.attr.authentication_method_china):
 * 10 is the digital envelope (a session key encrypted to the peer's public
 * key, carried in a Symmetric-key payload, type 128). */
const isakmp_value_name names_v1_china_auth_methods[] = {
    { 10, 10, "Digital Envelope" },
    { 0, 0, NULL }
};

const isakmp_value_name *payload_type_names(int version)
{
    return version == 2 ? names_v2_payload : names_v1_payload;
}

static const char *type_names[2][256];
static int type_names_ready;

static void fill_type_names(void)
{
    for (int v = 0; v < 2; v++)
        for (int t = 0; t < 256; t++)
            type_names[v][t] = isakmp_value_lookup(payload_type_names(v + 1), (uint32_t)t);
    __atomic_store_n(&type_names_ready, 1, __ATOMIC_RELEASE);
}

const char *payload_type_name(int version, uint8_t type)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    fill_once(&type_names_ready, &once, fill_type_names);
    return type_names[version == 2][type];
}

/* Every payload item's label, "Type Payload: NAME (T)", made once, when
 * labels are first asked for: the commonest label of -V and -T json,
 * formatted per payload it was 3 % of -T json's instructions.  In one
 * static block (nothing to free). */
static const char *type_labels[2][256];
static char type_label_text[2 * 256 * 64];
static int type_labels_ready;

static void fill_type_labels(void)
{
    size_t used = 0;
    for (int v = 0; v < 2; v++)
        for (int t = 0; t < 256; t++) {
            const char *name = payload_type_name(v + 1, (uint8_t)t);
            char *at = type_label_text + used;
            int n = g_snprintf(at, sizeof type_label_text - used, "Type Payload: %s (%d)",
                               name ? name : "Unknown", t);
            if (n >= 0 && (size_t)n < sizeof type_label_text - used) {   /* else: formatted per use */
                type_labels[v][t] = at;
                used += (size_t)n + 1;
            }
        }
    __atomic_store_n(&type_labels_ready, 1, __ATOMIC_RELEASE);
}

const char *payload_type_label(int version, uint8_t type)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    fill_once(&type_labels_ready, &once, fill_type_labels);
    return type_labels[version == 2][type];
}

/* ---------------------------------------------------------------- facts' names */

/* The facts record holds numbers; their names are the ones the items that
 * show them give (isakmp_item_value_name), for those depend on more than the
 * number: the IKE version (exchange, notify types), the proposal's protocol
 * (IKEv1 transform IDs, IKE attribute classes or IPsec DOI ones), the
 * transform's other attributes (GM/T 0022 authentication methods after SM1,
 * SM4 or SM3) and the private-use names.  So a fact's name is read from the
 * items of the payload or proposal it came from, by field id. */

/* The fields that show a kind of value; a kind has at most two. */
typedef struct {
    int a, b;
} field_pair;

#define NO_FIELD (-1)

/* Whether span s begins inside item `it`, past its first octet. */
static bool holds(const isakmp_item *it, isakmp_span s)
{
    size_t off = isakmp_item_offset(it);
    return isakmp_item_source(it) == s.src && off < s.off && s.off <= off + isakmp_item_length(it);
}

static const isakmp_item *payload_item(const isakmp_facts *f, uint32_t i)
{
    return i < f->n_payloads ? f->payloads[i].item : NULL;
}

/* Inside an SA payload, the item of the payload field (like the SA's own)
 * that holds the proposal's SPI (which follows the proposal's header). */
static const isakmp_item *proposal_in_sa(const isakmp_facts *f, const isakmp_fact_proposal *p)
{
    const isakmp_item *sa = payload_item(f, f->sas[p->sa].payload);
    for (const isakmp_item *c = sa ? isakmp_item_first_child(sa) : NULL; c; c = isakmp_item_next(c))
        if (isakmp_item_field(c) == isakmp_item_field(sa) && holds(c, p->spi))
            return c;
    return NULL;
}

const isakmp_item *isakmp_fact_proposal_item(const isakmp_msg *msg, uint32_t index)
{
    const isakmp_facts *f = isakmp_msg_facts(msg);
    if (index >= f->n_proposals)
        return NULL;
    const isakmp_fact_proposal *p = &f->proposals[index];
    if (p->sa < f->n_sas)
        return proposal_in_sa(f, p);
    for (size_t i = 0; i < f->n_payloads; i++)   /* an IKEv1 proposal payload outside an SA */
        if (f->payloads[i].type == V1_PAYLOAD_PROPOSAL && holds(f->payloads[i].item, p->spi))
            return f->payloads[i].item;
    return NULL;
}

/* Pre-order successor of `it` below `scope`. */
static const isakmp_item *next_below(const isakmp_item *it, const isakmp_item *scope)
{
    const isakmp_item *c = isakmp_item_first_child(it);
    if (c)
        return c;
    while (it && it != scope) {
        const isakmp_item *x = isakmp_item_next(it);
        if (x)
            return x;
        it = isakmp_item_parent(it);
    }
    return NULL;
}

static bool is_field(const isakmp_item *it, field_pair fp)
{
    int id = isakmp_item_field(it)->id;
    return id == fp.a || id == fp.b;
}

/* The name of `value` as the first item under `scope` (in tree order) of
 * one of the fields `fp` that shows it says it. */
static const char *name_below(const isakmp_item *scope, field_pair fp, uint32_t value)
{
    if (!scope || fp.a == NO_FIELD)
        return NULL;
    for (const isakmp_item *it = isakmp_item_first_child(scope); it; it = next_below(it, scope))
        if (is_field(it, fp) && (uint32_t)isakmp_item_uint(it) == value)
            return isakmp_item_value_name(it);
    return NULL;
}

static field_pair one(int id)
{
    return (field_pair){ id, NO_FIELD };
}

/* IKEv2 transform types 1-5 (RFC 7296 3.3.2); IKEv1: the one field. */
static field_pair transform_field(int version, uint8_t type)
{
    static const int v2[] = { NO_FIELD, F_TF_ID_ENCR, F_TF_ID_PRF, F_TF_ID_INTEG, F_TF_ID_DH,
                              F_TF_ID_ESN };
    if (version != 2)
        return one(F_TRANS_ID);
    return one(type < G_N_ELEMENTS(v2) ? v2[type] : NO_FIELD);
}

/* RFC 2409 Appendix A classes 1-4 (IKE proposals: protocol 1); GM/T 0022
 * transforms show their authentication method in a field of its own. */
static field_pair ike_attr_field(uint16_t type)
{
    switch (type) {
    case 1: return one(F_IKE_ATTR_ENCRYPTION_ALGORITHM);
    case 2: return one(F_IKE_ATTR_HASH_ALGORITHM);
    case 3: return (field_pair){ F_IKE_ATTR_AUTHENTICATION_METHOD,
                                 F_IKE_ATTR_AUTHENTICATION_METHOD_CHINA };
    case 4: return one(F_IKE_ATTR_GROUP_DESCRIPTION);
    default: return one(NO_FIELD);
    }
}

/* RFC 2407 4.5 classes 3-5 (AH, ESP, IPCOMP proposals). */
static field_pair ipsec_attr_field(uint16_t type)
{
    switch (type) {
    case 3: return one(F_IPSEC_ATTR_GROUP_DESCRIPTION);
    case 4: return one(F_IPSEC_ATTR_ENCAP_MODE);
    case 5: return one(F_IPSEC_ATTR_AUTH_ALGORITHM);
    default: return one(NO_FIELD);
    }
}

static const char *transform_name(const isakmp_msg *msg, const isakmp_facts *f, uint32_t i)
{
    if (i >= f->n_transforms)
        return NULL;
    const isakmp_fact_transform *t = &f->transforms[i];
    return name_below(isakmp_fact_proposal_item(msg, t->proposal),
                      transform_field(isakmp_msg_version(msg), t->type), t->id);
}

/* The transform that holds attribute i: the last one whose attributes
 * start at or before it (first_attr never decreases along the list). */
static const isakmp_fact_transform *attr_transform(const isakmp_facts *f, uint32_t i)
{
    size_t lo = 0, hi = f->n_transforms;   /* the answer is below hi */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->transforms[mid].first_attr <= i)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    const isakmp_fact_transform *t = &f->transforms[lo - 1];
    return i - t->first_attr < t->n_attrs ? t : NULL;
}

/* An attribute's value as its item holds it: of a value longer than 4
 * octets, the first 4 (the record keeps the first 8). */
static uint32_t attr_u32(const isakmp_fact_attr *a)
{
    size_t n = MIN(a->data.len, 8);
    return (uint32_t)(n <= 4 ? a->value : a->value >> (8 * (n - 4)));
}

static const char *attr_name(const isakmp_msg *msg, const isakmp_facts *f, uint32_t i)
{
    const isakmp_fact_transform *t = i < f->n_attrs ? attr_transform(f, i) : NULL;
    if (!t || t->proposal >= f->n_proposals || isakmp_msg_version(msg) == 2)
        return NULL;   /* IKEv2 attributes (key length) are numbers */
    const isakmp_fact_attr *a = &f->attrs[i];
    field_pair fp = f->proposals[t->proposal].protocol == 1 ? ike_attr_field(a->type)
                                                             : ipsec_attr_field(a->type);
    if (fp.a == NO_FIELD)   /* life, key length: numbers, and no proposal to find */
        return NULL;
    return name_below(isakmp_fact_proposal_item(msg, t->proposal), fp, attr_u32(a));
}

static const char *notify_name(const isakmp_facts *f, uint32_t i)
{
    if (i >= f->n_notifies)
        return NULL;
    return name_below(payload_item(f, f->notifies[i].payload), one(F_NOTIFY_MSGTYPE),
                      f->notifies[i].type);
}

static const char *hash_alg_name(const isakmp_facts *f, uint32_t i)
{
    if (i >= f->n_hash_algs || f->hash_algs[i].notify >= f->n_notifies)
        return NULL;
    const isakmp_item *scope = payload_item(f, f->notifies[f->hash_algs[i].notify].payload);
    return name_below(scope, one(F_NOTIFY_DATA_SIGNATURE_HASH_ALGORITHMS), f->hash_algs[i].alg);
}

const char *isakmp_fact_value_name(const isakmp_msg *msg, isakmp_fact_kind kind, uint32_t index)
{
    const isakmp_facts *f = isakmp_msg_facts(msg);
    switch (kind) {
    case ISAKMP_FACT_EXCHANGE:
        return name_below(isakmp_msg_root(msg), one(F_EXCHTYPE), f->header.exchange);
    case ISAKMP_FACT_TRANSFORM: return transform_name(msg, f, index);
    case ISAKMP_FACT_ATTR: return attr_name(msg, f, index);
    case ISAKMP_FACT_NOTIFY: return notify_name(f, index);
    case ISAKMP_FACT_HASH_ALG: return hash_alg_name(f, index);
    case ISAKMP_FACT_AUTH:
        return index < f->n_auths ? name_below(payload_item(f, f->auths[index].payload),
                                               one(F_AUTH_METHOD), f->auths[index].method)
                                  : NULL;
    case ISAKMP_FACT_EAP:
        return index < f->n_eaps ? name_below(payload_item(f, f->eaps[index].payload),
                                              one(F_EAP_TYPE), f->eaps[index].type)
                                 : NULL;
    default: return NULL;
    }
}

/* The identification data fields (RFC 2407 4.6.2, RFC 7296 3.5): the
 * ike.id.data.* fields with a value, in one run of fields_common.def. */
static bool is_id_data(const isakmp_item *it)
{
    int id = isakmp_item_field(it)->id;
    return id >= F_ID_DATA_IPV4_ADDR && id <= F_ID_DATA_DER_ASN1_DN;
}

size_t isakmp_fact_id_text(const isakmp_msg *msg, uint32_t payload, char *buf, size_t size)
{
    const isakmp_item *scope = payload_item(isakmp_msg_facts(msg), payload);
    if (size == 0)
        return 0;
    buf[0] = 0;
    for (const isakmp_item *it = scope ? isakmp_item_first_child(scope) : NULL; it;
         it = next_below(it, scope)) {
        if (!is_id_data(it))
            continue;
        char v[96];   /* each datum as far as 95 characters */
        isakmp_item_format_value(it, v, sizeof v);
        if (buf[0])
            g_strlcat(buf, "/", size);
        g_strlcat(buf, v, size);
    }
    return strlen(buf);
}
