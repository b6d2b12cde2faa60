/*
 * IKEv2 Security Association payload: RFC 7296 3.3 (proposals 3.3.1,
 * transforms 3.3.2, transform attributes 3.3.5), with the transform types of
 * RFC 9370 (ADDKE1..7) and G-IKEv2 (KWA, GCAUTH).
 *
 * Proposals and transforms have a payload-like header (last/more, reserved,
 * length); like Wireshark they become ike.typepayload items of type 2 and 3
 * under the SA, so ike.typepayload / ike.nextpayload / ike.payloadlength list
 * them in tree order.  Proposals follow their "last substruc" chain (0 ends
 * it, 2 = another proposal); transforms are read as many as the proposal's
 * count says.
 */
/* payload-bodies: v2 2 3 33 */
#include "payloads/v2/v2_internal.h"

#define V2_PROPOSAL 2
#define V2_TRANSFORM 3
#define V2_ATTR_KEY_LENGTH 14

/* Names of the substructure types (RFC 7296 3.3.1, 3.3.2 "last substruc"). */
static const isakmp_value_name substruc_names[] = {
    { 0, 0, "NONE / No Next Payload" },
    { 2, 2, "Proposal" },
    { 3, 3, "Transform" },
    { 0, 0, NULL }
};

/* Opens a proposal or transform: the typepayload item and its 4-byte header.
 * Returns false (with a note) when the header is missing or its length lies
 * below 4; *sub then covers the declared body, clipped to what is there. */
static bool substruc_open(dec_t *d, uint32_t parent, cur_t *c, uint8_t type, cur_t *sub,
                          uint32_t *item, uint8_t *next)
{
    size_t left = cur_left(c), len = cur_peek_u16(c, 2);
    *next = cur_peek_u8(c, 0);
    *item = tree_add_uint(d->m, parent, F_TYPEPAYLOAD, c->src, cur_off(c),
                          len >= 4 && len <= left ? len : left, type);
    tree_set_vals(d->m, *item, substruc_names);
    tree_set_label(d->m, *item, "Payload: %s (%u)", v2_name(substruc_names, type), type);
    if (left < 4) {
        tree_note(d->m, *item, ISAKMP_SEV_ERROR,
                  c->clip == CUR_TRUNCATED ? ISAKMP_NOTE_TRUNCATED : ISAKMP_NOTE_MALFORMED,
                  "%s header needs 4 bytes, %zu left", v2_name(substruc_names, type), left);
        cur_skip(c, left);
        return false;
    }
    cur_t h;
    if (!cur_child(c, len < 4 ? 4 : len, &h) && len >= 4)
        tree_note(d->m, *item, ISAKMP_SEV_ERROR,
                  h.clip == CUR_TRUNCATED ? ISAKMP_NOTE_TRUNCATED : ISAKMP_NOTE_MALFORMED,
                  "%s length %zu runs past its container (%zu bytes left)",
                  v2_name(substruc_names, type), len, left);
    dec_plain_header(d, *item, &h, substruc_names);
    if (len < 4) {
        tree_note(d->m, *item, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED,
                  "%s length %zu is less than its 4-byte header", v2_name(substruc_names, type), len);
        cur_skip(c, cur_left(c));
        return false;
    }
    cur_rest(&h, sub);
    sub->clip = h.clip;
    return true;
}

/* The attribute's entry in the facts: its value is the vlen octets at voff. */
static void attribute_fact(dec_t *d, const cur_t *a, uint16_t type, bool tv, size_t voff,
                           size_t vlen)
{
    isakmp_fact_attr e = { .type = type, .tv = tv, .data = facts_span(a->src, voff, vlen) };
    const uint8_t *v = cur_view(a, voff, vlen);
    for (size_t i = 0; v && i < vlen && i < 8; i++)
        e.value = e.value << 8 | v[i];
    facts_attr(d, &e, tv && type == V2_ATTR_KEY_LENGTH);
}

/* RFC 7296 3.3.5: one transform attribute (TV when the AF bit is set, else
 * TLV).  The attribute gets a child cursor, so a length that overruns the
 * transform is clipped and reported, never read past. */
static void attribute(dec_t *d, uint32_t parent, cur_t *c)
{
    static const int format_bit[] = { F_IKE2_ATTR_FORMAT, -1 };
    uint16_t af_type = cur_peek_u16(c, 0);
    bool tv = af_type & 0x8000;
    uint16_t type = af_type & 0x7fff;
    size_t vlen = tv ? 2 : cur_peek_u16(c, 2);
    cur_t a;
    cur_child(c, (tv ? 2 : 4) + vlen, &a);
    uint32_t it = tree_add(d->m, parent, F_IKE2_ATTR, a.src, cur_off(&a), cur_left(&a));
    v2_label_value(d, it, "Transform Attribute", iana_ikev2_transform_attribute_types, type);
    dec_bits(d, it, &a, 2, format_bit);
    if (cur_left(&a) >= 2)
        tree_add_uint(d->m, it, F_IKE2_ATTR_TYPE, a.src, cur_off(&a), 2, type);
    cur_skip(&a, 2);
    if (!tv)
        dec_u16(d, it, &a, F_IKE2_ATTR_LENGTH);
    size_t voff = cur_off(&a);
    uint16_t v16 = cur_peek_u16(&a, 0);
    if (cur_ok(&a))
        dec_bytes(d, it, &a, F_IKE2_ATTR_VALUE, vlen);
    if (!dec_check(d, it, &a, "Transform attribute"))
        return;
    if (type == V2_ATTR_KEY_LENGTH && vlen == 2)
        tree_add_uint(d->m, it, F_IKE2_ATTR_KEY_LENGTH, a.src, voff, 2, v16);
    if (facts_on(d))
        attribute_fact(d, &a, type, tv, voff, vlen);
}

/* Transform ID field and its value names, by transform type (RFC 7296 3.3.2,
 * RFC 9370 2.2.3, G-IKEv2). */
static int transform_id_field(uint8_t type, const isakmp_value_name **vals)
{
    static const struct {
        uint8_t type;
        int field;
        const isakmp_value_name *vals;
    } tab[] = {
        { 1, F_TF_ID_ENCR, iana_ikev2_transform_type_1_encryption },
        { 2, F_TF_ID_PRF, iana_ikev2_transform_type_2_prf },
        { 3, F_TF_ID_INTEG, iana_ikev2_transform_type_3_integrity },
        { 4, F_TF_ID_DH, iana_ikev2_transform_type_4_key_exchange },
        { 5, F_TF_ID_ESN, iana_ikev2_transform_type_5_sequence_numbers },
        { 13, F_TF_ID, iana_ikev2_transform_type_13_key_wrap },
        { 14, F_TF_ID, iana_ikev2_transform_type_14_gc_auth_method },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(tab); i++)
        if (tab[i].type == type) {
            *vals = tab[i].vals;
            return tab[i].field;
        }
    /* ADDKE1..7 take Key Exchange Method IDs (RFC 9370 2.2.3) */
    *vals = type >= 6 && type <= 12 ? iana_ikev2_transform_type_4_key_exchange : NULL;
    return F_TF_ID;
}

/* RFC 7296 3.3.2: one transform body. */
static void transform_body(dec_t *d, uint32_t item, cur_t *t)
{
    uint8_t type = cur_peek_u8(t, 0);
    dec_u8(d, item, t, F_TF_TYPE);
    dec_bytes(d, item, t, F_RESERVED, 1);
    const isakmp_value_name *vals;
    uint16_t id = cur_left(t) >= 2 ? cur_peek_u16(t, 0) : 0;
    uint32_t ii = dec_u16(d, item, t, transform_id_field(type, &vals));
    if (!dec_check(d, item, t, "Transform"))
        return;
    if (facts_on(d))
        facts_transform(d, &(isakmp_fact_transform){ .type = type, .id = id });
    if (vals)
        tree_set_vals(d->m, ii, vals);
    tree_set_label(d->m, item, "Payload: Transform (3) # %s (%u): %s (%u)",
                   v2_name(iana_ikev2_transform_types, type), type, v2_name(vals, id), id);
    for (unsigned n = 0; cur_left(t) > 0 && cur_ok(t) && n < ISAKMP_MAX_ATTRS; n++)
        attribute(d, item, t);
}

/* A proposal's transforms, as many as it announces. */
static void proposal_transforms(dec_t *d, uint32_t item, cur_t *p, uint8_t count)
{
    for (unsigned i = 0; i < count; i++) {
        if (cur_left(p) == 0) {
            tree_note(d->m, item, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED,
                      "Proposal announces %u transforms, has room for %u", count, i);
            return;
        }
        cur_t t;
        uint32_t ti;
        uint8_t next;
        if (!substruc_open(d, item, p, V2_TRANSFORM, &t, &ti, &next))
            return;
        if (dec_skip_body(d, V2_TRANSFORM, &t))
            continue;
        transform_body(d, ti, &t);
        dec_check(d, ti, &t, "Transform");
    }
    v2_leftover(d, item, p, "Proposal");
}

/* RFC 7296 3.3.1: one proposal body: number, protocol, SPI, transforms. */
static void proposal_body(dec_t *d, uint32_t item, cur_t *p)
{
    uint8_t num = cur_peek_u8(p, 0), spisize = cur_peek_u8(p, 2), count = cur_peek_u8(p, 3);
    isakmp_fact_proposal fact = { .number = num, .protocol = cur_peek_u8(p, 1),
                                  .spi_size = spisize, .n_declared = count };
    dec_u8(d, item, p, F_PROP_NUMBER);
    tree_set_vals(d->m, dec_u8(d, item, p, F_PROP_PROTOID), iana_ikev2_security_protocol_ids);
    dec_u8(d, item, p, F_SPISIZE);
    dec_u8(d, item, p, F_PROP_TRANSFORMS);
    fact.spi = facts_span(p->src, cur_off(p), spisize);
    if (spisize)
        dec_bytes(d, item, p, F_SPI, spisize);
    uint32_t up = facts_on(d) ? facts_proposal_open(d, &fact) : 0;
    if (dec_check(d, item, p, "Proposal")) {
        tree_set_label(d->m, item, "Payload: Proposal (2) # %u", num);
        proposal_transforms(d, item, p, count);
    }
    if (facts_on(d))
        facts_proposal_close(d, up, cur_ok(p));
}

/* The SA payload's proposal chain; false when a proposal header is broken
 * (noted), *next the last "last substruc" value. */
static bool sa_proposals(dec_t *d, cur_t *b, const payload_info *pi, uint8_t *next)
{
    *next = V2_PROPOSAL;
    while (*next == V2_PROPOSAL && cur_left(b) > 0) {
        cur_t p;
        uint32_t item;
        if (!substruc_open(d, pi->item, b, V2_PROPOSAL, &p, &item, next))
            return false;
        if (dec_skip_body(d, V2_PROPOSAL, &p))
            continue;
        proposal_body(d, item, &p);
        dec_check(d, item, &p, "Proposal");
    }
    return true;
}

void v2_p_sa(dec_t *d, cur_t *b, const payload_info *pi)
{
    uint8_t next;
    uint32_t up = facts_on(d) ? facts_sa_open(d, 0, facts_rest(b)) : 0;
    bool ok = sa_proposals(d, b, pi, &next);
    if (facts_on(d))
        facts_sa_close(d, up);
    if (!ok)
        return;
    if (next != 0 && next != V2_PROPOSAL)
        tree_note(d->m, pi->item, ISAKMP_SEV_WARN, ISAKMP_NOTE_MALFORMED,
                  "Proposal chain ends with next type %u (expected 0 or 2)", next);
    else if (next == V2_PROPOSAL)
        tree_note(d->m, pi->item, ISAKMP_SEV_ERROR,
                  b->clip == CUR_TRUNCATED ? ISAKMP_NOTE_TRUNCATED : ISAKMP_NOTE_MALFORMED,
                  "Proposal announces another proposal but the SA payload ends");
    /* Wireshark shows bytes after the last proposal as ike.extradata */
    dec_trailing(d, pi->item, b, "SA payload");
    cur_skip(b, cur_left(b));
}
