/*
 * IKEv1 Attributes payload, number 14 (Mode-Config,
 * draft-dukes-ike-mode-cfg-02 section 3.2; XAUTH,
 * draft-beaulieu-ike-xauth-02 section 6; Cisco Unity attributes as
 * implemented by Cisco and strongSwan): type, reserved, identifier, then
 * data attributes in the RFC 2408 3.3 form.
 */
/* payload-bodies: v1 14 + v1_attr.c */
#include "payloads/v1/v1.h"

/* draft-dukes-ike-mode-cfg-02 3.2 */
static const isakmp_value_name cfg_types[] = {
    { 0, 0, "RESERVED" },
    { 1, 1, "ISAKMP_CFG_REQUEST" },
    { 2, 2, "ISAKMP_CFG_REPLY" },
    { 3, 3, "ISAKMP_CFG_SET" },
    { 4, 4, "ISAKMP_CFG_ACK" },
    { 5, 127, "Future use" },
    { 128, 255, "Private use" },
    { 0, 0, NULL }
};

/* draft-dukes-ike-mode-cfg-02 3.3, draft-beaulieu-ike-xauth-02 6.1, Cisco
 * Unity (28672-28682). */
static const isakmp_value_name cfg_attr_types[] = {
    { 0, 0, "RESERVED" },
    { 1, 1, "INTERNAL_IP4_ADDRESS" },
    { 2, 2, "INTERNAL_IP4_NETMASK" },
    { 3, 3, "INTERNAL_IP4_DNS" },
    { 4, 4, "INTERNAL_IP4_NBNS" },
    { 5, 5, "INTERNAL_ADDRESS_EXPIRY" },
    { 6, 6, "INTERNAL_IP4_DHCP" },
    { 7, 7, "APPLICATION_VERSION" },
    { 8, 8, "INTERNAL_IP6_ADDRESS" },
    { 9, 9, "INTERNAL_IP6_NETMASK" },
    { 10, 10, "INTERNAL_IP6_DNS" },
    { 11, 11, "INTERNAL_IP6_NBNS" },
    { 12, 12, "INTERNAL_IP6_DHCP" },
    { 13, 13, "INTERNAL_IP4_SUBNET" },
    { 14, 14, "SUPPORTED_ATTRIBUTES" },
    { 15, 15, "INTERNAL_IP6_SUBNET" },
    { 16520, 16520, "XAUTH_TYPE" },
    { 16521, 16521, "XAUTH_USER_NAME" },
    { 16522, 16522, "XAUTH_USER_PASSWORD" },
    { 16523, 16523, "XAUTH_PASSCODE" },
    { 16524, 16524, "XAUTH_MESSAGE" },
    { 16525, 16525, "XAUTH_CHALLENGE" },
    { 16526, 16526, "XAUTH_DOMAIN" },
    { 16527, 16527, "XAUTH_STATUS" },
    { 16528, 16528, "XAUTH_NEXT_PIN" },
    { 16529, 16529, "XAUTH_ANSWER" },
    { 28672, 28672, "UNITY_BANNER" },
    { 28673, 28673, "UNITY_SAVE_PASSWD" },
    { 28674, 28674, "UNITY_DEF_DOMAIN" },
    { 28675, 28675, "UNITY_SPLIT_DNS_NAME" },
    { 28676, 28676, "UNITY_SPLIT_INCLUDE" },
    { 28677, 28677, "UNITY_NATT_PORT" },
    { 28678, 28678, "UNITY_LOCAL_LAN" },
    { 28679, 28679, "UNITY_PFS" },
    { 28680, 28680, "UNITY_FW_TYPE" },
    { 28681, 28681, "UNITY_BACKUP_SERVERS" },
    { 28682, 28682, "UNITY_DDNS_HOSTNAME" },
    { 16, 16383, "Future use" },
    { 16384, 32767, "Private use" },
    { 0, 0, NULL }
};

/* draft-beaulieu-ike-xauth-02 6.2 */
static const isakmp_value_name xauth_types[] = {
    { 0, 0, "Generic" },
    { 1, 1, "RADIUS-CHAP" },
    { 2, 2, "OTP" },
    { 3, 3, "S/KEY" },
    { 4, 32767, "Future use" },
    { 32768, 65535, "Private use" },
    { 0, 0, NULL }
};

static const isakmp_value_name xauth_status[] = {
    { 0, 0, "FAIL" },
    { 1, 1, "OK" },
    { 0, 0, NULL }
};

static const v1_attr_map cfg_map[] = {
    { 1, F_CFG_ATTR_INTERNAL_IP4_ADDRESS, AV_IPV4, NULL },
    { 2, F_CFG_ATTR_INTERNAL_IP4_NETMASK, AV_IPV4, NULL },
    { 3, F_CFG_ATTR_INTERNAL_IP4_DNS, AV_IPV4, NULL },
    { 4, F_CFG_ATTR_INTERNAL_IP4_NBNS, AV_IPV4, NULL },
    { 5, F_CFG_ATTR_INTERNAL_ADDRESS_EXPIRY, AV_UINT, NULL },
    { 6, F_CFG_ATTR_INTERNAL_IP4_DHCP, AV_IPV4, NULL },
    { 7, F_CFG_ATTR_APPLICATION_VERSION, AV_STRING, NULL },
    { 8, F_CFG_ATTR_INTERNAL_IP6_ADDRESS, AV_CUSTOM, NULL },
    { 9, F_CFG_ATTR_INTERNAL_IP6_NETMASK, AV_IPV6, NULL },
    { 10, F_CFG_ATTR_INTERNAL_IP6_DNS, AV_IPV6, NULL },
    { 11, F_CFG_ATTR_INTERNAL_IP6_NBNS, AV_IPV6, NULL },
    { 12, F_CFG_ATTR_INTERNAL_IP6_DHCP, AV_IPV6, NULL },
    { 13, F_CFG_ATTR_INTERNAL_IP4_SUBNET_IP, AV_CUSTOM, NULL },
    { 14, F_CFG_ATTR_SUPPORTED_ATTRIBUTES, AV_CUSTOM, NULL },
    { 15, F_CFG_ATTR_INTERNAL_IP6_SUBNET_IP, AV_CUSTOM, NULL },
    { 16520, F_CFG_ATTR_XAUTH_TYPE, AV_UINT, xauth_types },
    { 16521, F_CFG_ATTR_XAUTH_USER_NAME, AV_STRING, NULL },
    { 16522, F_CFG_ATTR_XAUTH_USER_PASSWORD, AV_STRING, NULL },
    { 16523, F_CFG_ATTR_XAUTH_PASSCODE, AV_STRING, NULL },
    { 16524, F_CFG_ATTR_XAUTH_MESSAGE, AV_STRING, NULL },
    { 16525, F_CFG_ATTR_XAUTH_CHALLENGE, AV_STRING, NULL },
    { 16526, F_CFG_ATTR_XAUTH_DOMAIN, AV_STRING, NULL },
    { 16527, F_CFG_ATTR_XAUTH_STATUS, AV_UINT, xauth_status },
    { 16528, F_CFG_ATTR_XAUTH_NEXT_PIN, AV_STRING, NULL },
    { 16529, F_CFG_ATTR_XAUTH_ANSWER, AV_STRING, NULL },
    { 28672, F_CFG_ATTR_UNITY_BANNER, AV_STRING, NULL },
    { 28674, F_CFG_ATTR_UNITY_DEF_DOMAIN, AV_STRING, NULL },
    { 0, 0, AV_UINT, NULL }
};

/* One part of a value: integers up to 2 bytes, addresses otherwise. */
static void add_part(dec_t *d, uint32_t item, cur_t *val, int field, size_t n)
{
    size_t off = cur_off(val);
    if (n <= 2) {
        tree_add_uint(d->m, item, field, val->src, off, n, v1_uint(val, n));
        return;
    }
    cur_skip(val, n);
    tree_add(d->m, item, field, val->src, off, n);
}

/* Repeated fixed-size groups of (first, second) fields: an address with its
 * netmask or prefix length, or a list of attribute types (second = 0). */
static void groups(dec_t *d, uint32_t item, cur_t *val, int first, size_t n1, int second,
                   size_t n2)
{
    while (cur_left(val) >= n1 + n2) {
        add_part(d, item, val, first, n1);
        if (second)
            add_part(d, item, val, second, n2);
    }
    if (cur_left(val))
        tree_note(d->m, item, ISAKMP_SEV_WARN, ISAKMP_NOTE_MALFORMED,
                  "%zu bytes left over in the attribute value", cur_left(val));
}

static void cfg_custom(dec_t *d, uint32_t item, const v1_attr_map *m, cur_t *val)
{
    switch (m->type) {
    case 8:   /* address, with a prefix length in the IKEv2-style 17-byte form */
        groups(d, item, val, F_CFG_ATTR_INTERNAL_IP6_ADDRESS, 16,
               cur_left(val) == 17 ? F_CFG_ATTR_INTERNAL_IP6_ADDRESS_PREFIX : 0,
               cur_left(val) == 17 ? 1 : 0);
        break;
    case 13:
        groups(d, item, val, F_CFG_ATTR_INTERNAL_IP4_SUBNET_IP, 4,
               F_CFG_ATTR_INTERNAL_IP4_SUBNET_NETMASK, 4);
        break;
    case 14:
        groups(d, item, val, F_CFG_ATTR_SUPPORTED_ATTRIBUTES, 2, 0, 0);
        break;
    case 15:
        groups(d, item, val, F_CFG_ATTR_INTERNAL_IP6_SUBNET_IP, 16,
               F_CFG_ATTR_INTERNAL_IP6_SUBNET_PREFIX, 1);
        break;
    default:
        break;
    }
}

const v1_attr_family v1_cfg_attrs = {
    F_CFG_ATTR, F_CFG_ATTR_FORMAT, F_CFG_ATTR_TYPE, F_CFG_ATTR_LENGTH, F_CFG_ATTR_VALUE,
    cfg_attr_types, cfg_map, "Config Attribute", cfg_custom, true, NULL, 0,
};

void v1_p_cfg(dec_t *d, cur_t *b, const payload_info *pi)
{
    uint32_t x = dec_u8(d, pi->item, b, F_CFG_TYPE);
    if (x)
        tree_set_vals(d->m, x, cfg_types);
    dec_bytes(d, pi->item, b, F_RESERVED, 1);
    dec_u16(d, pi->item, b, F_CFG_IDENTIFIER);
    if (dec_check(d, pi->item, b, "Attributes"))
        v1_attrs(d, pi->item, b, &v1_cfg_attrs);
}
