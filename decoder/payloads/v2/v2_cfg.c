/*
 * IKEv2 Configuration payload (CP, 47): RFC 7296 3.15 and 3.15.1 with the
 * attribute formats of RFC 7296 3.15.2 (INTERNAL_IP4_SUBNET / IP6_SUBNET),
 * RFC 5739 (INTERNAL_IP6_LINK, INTERNAL_IP6_PREFIX), RFC 7651 (P_CSCF_IP4/6)
 * and the obsolete RFC 4306 types (EXPIRY, IP6 NETMASK/NBNS).  Attribute
 * names: IANA "IKEv2 Configuration Payload Attribute Types".
 *
 * Each attribute is a TLV (a TV when its first bit is set, as Wireshark
 * shows it); known ones are decoded into ike.cfg.attr.* after the value.
 */
/* payload-bodies: v2 47 */
#include "payloads/v2/v2_internal.h"

/* One attribute's decoded layout: up to two fields of fixed sizes (0 = the
 * rest); `total` is the value length it needs (0 = any). */
typedef struct {
    uint16_t type;
    size_t total;
    int f1;
    size_t n1;
    int f2;
    size_t n2;
} cfg_layout;

static const cfg_layout cfg_layouts[] = {
    { 1, 4, F_CFG_ATTR_INTERNAL_IP4_ADDRESS, 4, -1, 0 },
    { 2, 4, F_CFG_ATTR_INTERNAL_IP4_NETMASK, 4, -1, 0 },
    { 3, 4, F_CFG_ATTR_INTERNAL_IP4_DNS, 4, -1, 0 },
    { 4, 4, F_CFG_ATTR_INTERNAL_IP4_NBNS, 4, -1, 0 },
    { 5, 4, F_CFG_ATTR_INTERNAL_ADDRESS_EXPIRY, 4, -1, 0 },
    { 6, 4, F_CFG_ATTR_INTERNAL_IP4_DHCP, 4, -1, 0 },
    { 7, 0, F_CFG_ATTR_APPLICATION_VERSION, 0, -1, 0 },
    { 8, 17, F_CFG_ATTR_INTERNAL_IP6_ADDRESS, 16, F_CFG_ATTR_INTERNAL_IP6_ADDRESS_PREFIX, 1 },
    { 9, 16, F_CFG_ATTR_INTERNAL_IP6_NETMASK, 16, -1, 0 },
    { 10, 16, F_CFG_ATTR_INTERNAL_IP6_DNS, 16, -1, 0 },
    { 11, 16, F_CFG_ATTR_INTERNAL_IP6_NBNS, 16, -1, 0 },
    { 12, 16, F_CFG_ATTR_INTERNAL_IP6_DHCP, 16, -1, 0 },
    { 13, 8, F_CFG_ATTR_INTERNAL_IP4_SUBNET_IP, 4, F_CFG_ATTR_INTERNAL_IP4_SUBNET_NETMASK, 4 },
    { 15, 17, F_CFG_ATTR_INTERNAL_IP6_SUBNET_IP, 16, F_CFG_ATTR_INTERNAL_IP6_SUBNET_PREFIX, 1 },
    { 17, 0, F_CFG_ATTR_INTERNAL_IP6_LINK_INTERFACE, 8, F_CFG_ATTR_INTERNAL_IP6_LINK_ID, 0 },
    { 18, 17, F_CFG_ATTR_INTERNAL_IP6_PREFIX_IP, 16, F_CFG_ATTR_INTERNAL_IP6_PREFIX_LENGTH, 1 },
    { 20, 4, F_CFG_ATTR_P_CSCF_IP4_ADDRESS, 4, -1, 0 },
    { 21, 16, F_CFG_ATTR_P_CSCF_IP6_ADDRESS, 16, -1, 0 },
};

/* Reads one field of n bytes (0 = the rest) as its type wants. */
static void cfg_field(dec_t *d, uint32_t parent, cur_t *c, int field, size_t n)
{
    if (n == 0)
        n = cur_left(c);
    switch (isakmp_fields(NULL)[field].type) {
    case ISAKMP_FT_UINT8: dec_u8(d, parent, c, field); break;
    case ISAKMP_FT_UINT32: dec_u32(d, parent, c, field); break;
    case ISAKMP_FT_UINT64: dec_u64(d, parent, c, field); break;
    default: dec_bytes(d, parent, c, field, n); break;
    }
}

/* Decodes a value (cursor over exactly its bytes) by its type. */
static void cfg_value(dec_t *d, uint32_t item, cur_t *v, uint16_t type)
{
    if (type == 14) {   /* SUPPORTED_ATTRIBUTES: a list of types */
        while (cur_left(v) >= 2)
            tree_set_vals(d->m, dec_u16(d, item, v, F_CFG_ATTR_SUPPORTED_ATTRIBUTES),
                          iana_ikev2_cfg_attribute_types);
        return;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(cfg_layouts); i++) {
        const cfg_layout *l = &cfg_layouts[i];
        if (l->type != type)
            continue;
        if ((l->total && cur_left(v) != l->total) || cur_left(v) < l->n1) {
            tree_note(d->m, item, ISAKMP_SEV_WARN, ISAKMP_NOTE_MALFORMED,
                      "Attribute value of %zu bytes, %zu expected", cur_left(v), l->total ? l->total : l->n1);
            return;
        }
        cfg_field(d, item, v, l->f1, l->n1);
        if (l->f2 >= 0 && cur_left(v))
            cfg_field(d, item, v, l->f2, l->n2);
        return;
    }
}

/* True for the attribute types decoded into typed fields. */
static bool cfg_known(uint16_t type)
{
    if (type == 14)
        return true;
    for (size_t i = 0; i < G_N_ELEMENTS(cfg_layouts); i++)
        if (cfg_layouts[i].type == type)
            return true;
    return false;
}

/* RFC 7296 3.15.1: one attribute. */
static void cfg_attr(dec_t *d, uint32_t parent, cur_t *c, bool request)
{
    static const int format_bit[] = { F_CFG_ATTR_FORMAT, -1 };
    uint16_t af_type = cur_peek_u16(c, 0), type = af_type & 0x7fff;
    bool tv = af_type & 0x8000;
    size_t vlen = tv ? 2 : cur_peek_u16(c, 2);
    cur_t a;
    cur_child(c, (tv ? 2 : 4) + vlen, &a);
    uint32_t it = tree_add(d->m, parent, F_CFG_ATTR, a.src, cur_off(&a), cur_left(&a));
    v2_label_value(d, it, "Attribute Type", iana_ikev2_cfg_attribute_types, type);
    dec_bits(d, it, &a, 2, format_bit);
    if (cur_left(&a) >= 2)
        tree_set_vals(d->m, tree_add_uint(d->m, it, F_CFG_ATTR_TYPE, a.src, cur_off(&a), 2, type),
                      iana_ikev2_cfg_attribute_types);
    cur_skip(&a, 2);
    if (!tv)
        dec_u16(d, it, &a, F_CFG_ATTR_LENGTH);
    if (!cur_ok(&a) || vlen == 0) {
        if (cur_ok(&a) && !request && !cfg_known(type)) {
            /* empty values are normal in a request; elsewhere Wireshark
             * marks them for types it has no decoder for (an expert item,
             * which -T fields prints) */
            uint32_t e = tree_add(d->m, it, F_ATTRIBUTE_VALUE_EMPTY, a.src, cur_off(&a), 0);
            tree_note(d->m, e, ISAKMP_SEV_NOTE, ISAKMP_NOTE_INFO, "Attribute value is empty");
        }
        dec_check(d, it, &a, "Configuration attribute");
        return;
    }
    cur_t v = a;
    dec_bytes(d, it, &a, F_CFG_ATTR_VALUE, vlen);
    if (dec_check(d, it, &a, "Configuration attribute"))
        cfg_value(d, it, &v, type);
}

void v2_p_cp(dec_t *d, cur_t *b, const payload_info *pi)
{
    bool request = cur_peek_u8(b, 0) == 1;   /* CFG_REQUEST */
    tree_set_vals(d->m, dec_u8(d, pi->item, b, F_CFG_TYPE), iana_ikev2_cfg_types);
    dec_bytes(d, pi->item, b, F_RESERVED, 3);
    if (!dec_check(d, pi->item, b, "Configuration payload"))
        return;
    for (unsigned n = 0; cur_left(b) > 0 && n < ISAKMP_MAX_ATTRS; n++)
        cfg_attr(d, pi->item, b, request);
}
