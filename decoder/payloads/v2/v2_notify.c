/*
 * IKEv2 Notify payload: RFC 7296 3.10 and the notify data formats of its
 * extensions: INVALID_KE_PAYLOAD (RFC 7296 1.3), IPCOMP_SUPPORTED (3.10.1),
 * AUTH_LIFETIME (RFC 4478), REDIRECT* (RFC 5685 4-6), TICKET_LT_OPAQUE
 * (RFC 5723 4.3.1), ROHC_SUPPORTED (RFC 5857 3.1), QUICK_CRASH_DETECTION
 * (RFC 6290), IKEV2_MESSAGE_ID_SYNC / IPSEC_REPLAY_COUNTER_SYNC (RFC 6311),
 * SECURE_PASSWORD_METHODS (RFC 6467), SIGNATURE_HASH_ALGORITHMS (RFC 7427),
 * SET_WINDOW_SIZE (RFC 7296 2.3), ADDITIONAL_IP4/6_ADDRESS (RFC 4555),
 * PPK_IDENTITY (RFC 8784), PUZZLE (RFC 8019 7.1.1), the 3GPP private types of TS 24.302 8.1.2
 * (BACKOFF_TIMER, DEVICE_IDENTITY, EMERGENCY_CALL_NUMBERS) and Fortinet's
 * private Network Overlay ID (61520, as Wireshark 4.4 decodes it).
 *
 * Like Wireshark, the whole data is ike.notify.data (also when empty) and the
 * decoded fields follow it as its siblings.
 */
/* payload-bodies: v2 41 */
#include "v2_internal.h"

typedef void (*notify_fn)(dec_t *d, uint32_t parent, cur_t *c);

#define N_FORTINET_NETWORK_OVERLAY_ID 61520

/* Private notify types (not in the IANA registry): 3GPP TS 24.302 8.1.2,
 * then Fortinet's. */
static const isakmp_value_name notify_private_names[] = {
    { 8192, 8192, "PDN_CONNECTION_REJECTION" },
    { 8193, 8193, "MAX_CONNECTION_REACHED" },
    { 8241, 8241, "SEMANTIC_ERROR_IN_THE_TFT_OPERATION" },
    { 8242, 8242, "SYNTACTICAL_ERROR_IN_THE_TFT_OPERATION" },
    { 8244, 8244, "SEMANTIC_ERRORS_IN_PACKET_FILTERS" },
    { 8245, 8245, "SYNTACTICAL_ERRORS_IN_PACKET_FILTERS" },
    { 9000, 9000, "NON_3GPP_ACCESS_TO_EPC_NOT_ALLOWED" },
    { 9001, 9001, "USER_UNKNOWN" },
    { 9002, 9002, "NO_APN_SUBSCRIPTION" },
    { 9003, 9003, "AUTHORIZATION_REJECTED" },
    { 9006, 9006, "ILLEGAL_ME" },
    { 10500, 10500, "NETWORK_FAILURE" },
    { 11001, 11001, "RAT_TYPE_NOT_ALLOWED" },
    { 11005, 11005, "IMEI_NOT_ACCEPTED" },
    { 11011, 11011, "PLMN_NOT_ALLOWED" },
    { 11055, 11055, "UNAUTHENTICATED_EMERGENCY_NOT_SUPPORTED" },
    { 41040, 41040, "REACTIVATION_REQUESTED_CAUSE" },
    { 41041, 41041, "BACKOFF_TIMER" },
    { 41050, 41050, "PDN_TYPE_IPv4_ONLY_ALLOWED" },
    { 41051, 41051, "PDN_TYPE_IPv6_ONLY_ALLOWED" },
    { 41101, 41101, "DEVICE_IDENTITY" },
    { 41112, 41112, "EMERGENCY_SUPPORT" },
    { 41134, 41134, "EMERGENCY_CALL_NUMBERS" },
    { 42011, 42011, "PTI" },
    { 42014, 42014, "IKEV2_MULTIPLE_BEARER_PDN_CONNECTIVITY" },
    { 42020, 42020, "EPS_QOS" },
    { 42021, 42021, "EXTENDED_EPS_QOS" },
    { 42023, 42023, "TFT" },
    { 42034, 42034, "MODIFIED_BEARER" },
    { 42094, 42094, "APN_AMBR" },
    { 42095, 42095, "EXTENDED_APN_AMBR" },
    { N_FORTINET_NETWORK_OVERLAY_ID, N_FORTINET_NETWORK_OVERLAY_ID, "Network Overlay ID (Fortinet)" },
    { 0, 0, NULL }
};

/* Error types are below 16384, status types from 16384 (RFC 7296 3.10.1). */
static const isakmp_value_name *notify_names(uint16_t type)
{
    /* the private types are in the private ranges (8192 and up, 40960 and
     * up): the IETF ones, the common case, skip the table walk */
    bool private_range = (type >= 8192 && type < 16384) || type >= 40960;
    if (private_range && isakmp_value_lookup(notify_private_names, type))
        return notify_private_names;
    return type < 16384 ? iana_ikev2_notify_error_types : iana_ikev2_notify_status_types;
}

/* ---------------------------------------------------------------- IETF types */

static void n_invalid_ke(dec_t *d, uint32_t p, cur_t *c)
{
    tree_set_vals(d->m, dec_u16(d, p, c, F_NOTIFY_DATA_ACCEPTED_DH_GROUP),
                  iana_ikev2_transform_type_4_key_exchange);
}

static void n_ipcomp(dec_t *d, uint32_t p, cur_t *c)
{
    dec_u16(d, p, c, F_NOTIFY_DATA_IPCOMP_CPI);
    dec_u8(d, p, c, F_NOTIFY_DATA_IPCOMP_TRANSFORM_ID);
}

static void n_window_size(dec_t *d, uint32_t p, cur_t *c) { dec_u32(d, p, c, F_NOTIFY_DATA_WINDOW_SIZE); }
static void n_add_ip4(dec_t *d, uint32_t p, cur_t *c) { dec_bytes(d, p, c, F_NOTIFY_DATA_ADDITIONAL_IP4_ADDRESS, 4); }
static void n_add_ip6(dec_t *d, uint32_t p, cur_t *c) { dec_bytes(d, p, c, F_NOTIFY_DATA_ADDITIONAL_IP6_ADDRESS, 16); }
static void n_auth_lifetime(dec_t *d, uint32_t p, cur_t *c) { dec_u32(d, p, c, F_NOTIFY_DATA_AUTH_LIFETIME); }

/* RFC 5685 4-6: GW Ident Type, GW Ident Len, the identity; `fields` are the
 * IPv4, IPv6, FQDN and other-data fields (FQDN -1: shown as data). */
static void gw_identity(dec_t *d, uint32_t p, cur_t *c, const int fields[4])
{
    uint8_t type = cur_peek_u8(c, 0), len = cur_peek_u8(c, 1);
    tree_set_vals(d->m, dec_u8(d, p, c, F_NOTIFY_DATA_REDIRECT_GW_IDENT_TYPE),
                  iana_ikev2_gateway_identity_types);
    dec_u8(d, p, c, F_NOTIFY_DATA_REDIRECT_GW_IDENT_LEN);
    if (cur_ok(c) && cur_left(c) < len)
        cur_skip(c, len);   /* the identity overruns the notify data */
    if (!cur_ok(c))
        return;
    int f = fields[3];
    if (type == 1 && len == 4)
        f = fields[0];
    else if (type == 2 && len == 16)
        f = fields[1];
    else if (type == 3 && fields[2] >= 0)
        f = fields[2];
    dec_bytes(d, p, c, f, len);
}

static void n_redirect(dec_t *d, uint32_t p, cur_t *c)
{
    static const int f[4] = { F_NOTIFY_DATA_REDIRECT_NEW_RESP_GW_IDENT_IPV4,
                              F_NOTIFY_DATA_REDIRECT_NEW_RESP_GW_IDENT_IPV6,
                              F_NOTIFY_DATA_REDIRECT_NEW_RESP_GW_IDENT_FQDN,
                              F_NOTIFY_DATA_REDIRECT_NEW_RESP_GW_IDENT_DATA };
    gw_identity(d, p, c, f);
    if (cur_ok(c) && cur_left(c))   /* only in IKE_SA_INIT responses */
        dec_rest(d, p, c, F_NOTIFY_DATA_REDIRECT_NONCE_DATA);
}

static void n_redirected_from(dec_t *d, uint32_t p, cur_t *c)
{
    static const int f[4] = { F_NOTIFY_DATA_REDIRECT_ORG_RESP_GW_IDENT_IPV4,
                              F_NOTIFY_DATA_REDIRECT_ORG_RESP_GW_IDENT_IPV6, -1,
                              F_NOTIFY_DATA_REDIRECT_ORG_RESP_GW_IDENT_DATA };
    gw_identity(d, p, c, f);
}

static void n_ticket_lt(dec_t *d, uint32_t p, cur_t *c)
{
    dec_u32(d, p, c, F_NOTIFY_DATA_TICKET_OPAQUE_LIFETIME);
    if (cur_ok(c))
        dec_rest(d, p, c, F_NOTIFY_DATA_TICKET_OPAQUE_DATA);
}

/* RFC 5857 3.1: ROHC attributes, TV or TLV like transform attributes. */
static void rohc_attr(dec_t *d, uint32_t p, cur_t *c)
{
    static const int format_bit[] = { F_NOTIFY_DATA_ROHC_ATTR_FORMAT, -1 };
    static const int decoded[] = { 0, F_NOTIFY_DATA_ROHC_ATTR_MAX_CID, F_NOTIFY_DATA_ROHC_ATTR_PROFILE,
                                   F_NOTIFY_DATA_ROHC_ATTR_INTEG, F_NOTIFY_DATA_ROHC_ATTR_ICV_LEN,
                                   F_NOTIFY_DATA_ROHC_ATTR_MRRU };
    uint16_t af_type = cur_peek_u16(c, 0), type = af_type & 0x7fff;
    bool tv = af_type & 0x8000;
    size_t vlen = tv ? 2 : cur_peek_u16(c, 2);
    cur_t a;
    cur_child(c, (tv ? 2 : 4) + vlen, &a);
    uint32_t it = tree_add(d->m, p, F_NOTIFY_DATA_ROHC_ATTR, a.src, cur_off(&a), cur_left(&a));
    v2_label_value(d, it, "ROHC Attribute Type", iana_ikev2_rohc_attribute_types, type);
    dec_bits(d, it, &a, 2, format_bit);
    if (cur_left(&a) >= 2)
        tree_add_uint(d->m, it, F_NOTIFY_DATA_ROHC_ATTR_TYPE, a.src, cur_off(&a), 2, type);
    cur_skip(&a, 2);
    if (!tv)
        dec_u16(d, it, &a, F_NOTIFY_DATA_ROHC_ATTR_LENGTH);
    size_t voff = cur_off(&a);
    uint16_t v16 = cur_peek_u16(&a, 0);
    if (cur_ok(&a))
        dec_bytes(d, it, &a, F_NOTIFY_DATA_ROHC_ATTR_VALUE, vlen);
    if (dec_check(d, it, &a, "ROHC attribute") && vlen == 2 && type >= 1 && type <= 5)
        tree_add_uint(d->m, it, decoded[type], a.src, voff, 2, v16);
}

static void n_rohc(dec_t *d, uint32_t p, cur_t *c)
{
    for (unsigned n = 0; cur_left(c) > 0 && n < ISAKMP_MAX_ATTRS; n++)
        rohc_attr(d, p, c);
}

/* RFC 8019 7.1.1: PUZZLE notify: PRF and difficulty. */
static void n_puzzle(dec_t *d, uint32_t p, cur_t *c)
{
    tree_set_vals(d->m, dec_u16(d, p, c, F_NOTIFY_DATA_PUZZLE_PRF), iana_ikev2_transform_type_2_prf);
    dec_u8(d, p, c, F_NOTIFY_DATA_PUZZLE_DIFFICULTY);
}

static void n_qcd(dec_t *d, uint32_t p, cur_t *c) { dec_rest(d, p, c, F_NOTIFY_DATA_QCD_TOKEN_SECRET_DATA); }

static void n_msgid_sync(dec_t *d, uint32_t p, cur_t *c)
{
    dec_u32(d, p, c, F_NOTIFY_DATA_HA_NONCE_DATA);
    dec_u32(d, p, c, F_NOTIFY_DATA_HA_EXPECTED_SEND_REQ_MESSAGE_ID);
    dec_u32(d, p, c, F_NOTIFY_DATA_HA_EXPECTED_RECV_REQ_MESSAGE_ID);
}

/* Wireshark 4.0 shows the whole data (nonce included) as the delta value. */
static void n_replay_sync(dec_t *d, uint32_t p, cur_t *c)
{
    dec_rest(d, p, c, F_NOTIFY_DATA_HA_INCOMING_IPSEC_SA_DELTA_VALUE);
}

static void n_spm(dec_t *d, uint32_t p, cur_t *c) { dec_rest(d, p, c, F_NOTIFY_DATA_SECURE_PASSWORD_METHODS); }

static void n_sig_hash(dec_t *d, uint32_t p, cur_t *c)
{
    uint32_t n = facts_on(d) ? facts_notify_of(d) : ISAKMP_FACT_NONE;
    while (cur_left(c) >= 2) {
        isakmp_fact_hash_alg h = { n, cur_peek_u16(c, 0) };
        if (n != ISAKMP_FACT_NONE)
            facts_add_hash_algs(d->m, &h);
        tree_set_vals(d->m, dec_u16(d, p, c, F_NOTIFY_DATA_SIGNATURE_HASH_ALGORITHMS),
                      iana_ikev2_hash_algorithms);
    }
    if (cur_left(c))
        cur_skip(c, 2);   /* an odd byte: malformed, reported by the caller */
}

static void n_ppk_identity(dec_t *d, uint32_t p, cur_t *c)
{
    tree_set_vals(d->m, dec_u8(d, p, c, F_NOTIFY_DATA_PPK_ID_TYPE), iana_ikev2_ppk_id_types);
    if (cur_ok(c))
        dec_rest(d, p, c, F_NOTIFY_DATA_PPK_ID_DATA);
}

/* ---------------------------------------------------------------- 3GPP types */

/* TBCD digits (3GPP TS 24.008 10.5.1.4): low nibble first; a high nibble of
 * 0xf is the filler that ends the number. */
static void add_tbcd(dec_t *d, uint32_t p, cur_t *c, int field, size_t n)
{
    static const char digits[] = "0123456789??????";
    GString *s = g_string_new(NULL);
    size_t off = cur_off(c), taken;
    cur_take(c, n, &taken);
    const uint8_t *b = cur_view(c, off, taken);
    for (size_t i = 0; b && i < taken; i++) {
        g_string_append_c(s, digits[b[i] & 0x0f]);
        if ((b[i] >> 4) == 0x0f)
            break;
        g_string_append_c(s, digits[b[i] >> 4]);
    }
    tree_add_string(d->m, p, field, c->src, off, taken, s->str);
    g_string_free(s, TRUE);
    if (taken < n)
        cur_skip(c, n - taken);
}

static void n_backoff_timer(dec_t *d, uint32_t p, cur_t *c)
{
    uint8_t len = cur_peek_u8(c, 0);
    dec_u8(d, p, c, F_NOTIFY_PRIV_3GPP_BACKOFF_TIMER_LEN);
    if (cur_ok(c))
        dec_bytes(d, p, c, F_NOTIFY_PRIV_3GPP_BACKOFF_TIMER, len);
}

static void n_device_identity(dec_t *d, uint32_t p, cur_t *c)
{
    size_t len = cur_peek_u16(c, 0);
    uint8_t type = cur_peek_u8(c, 2);
    dec_u16(d, p, c, F_NOTIFY_PRIV_3GPP_DEVICE_IDENTITY_LEN);
    dec_u8(d, p, c, F_NOTIFY_PRIV_3GPP_DEVICE_IDENTITY_TYPE);
    if (!cur_ok(c))
        return;
    if (type == 1 || type == 2) {
        add_tbcd(d, p, c, type == 1 ? F_NOTIFY_PRIV_3GPP_DEVICE_IDENTITY_IMEI
                                    : F_NOTIFY_PRIV_3GPP_DEVICE_IDENTITY_IMEISV, len);
        return;
    }
    uint32_t u = tree_add(d->m, p, F_NOTIFY_PRIV_3GPP_UNKNOWN_DEVICE_IDENTITY, c->src, cur_off(c), 0);
    tree_set_generated(d->m, u);
    tree_note(d->m, u, ISAKMP_SEV_WARN, ISAKMP_NOTE_UNKNOWN, "Type of device identity not known (%u)", type);
    cur_skip(c, cur_left(c));
}

static void emergency_number(dec_t *d, uint32_t p, cur_t *c)
{
    static const int bits[] = {
        F_NOTIFY_PRIV_3GPP_EMERGENCY_CALL_NUMBERS_SPARE,
        F_NOTIFY_PRIV_3GPP_EMERGENCY_CALL_NUMBERS_FLAG_B5_MOUNTAIN_RESCUE,
        F_NOTIFY_PRIV_3GPP_EMERGENCY_CALL_NUMBERS_B4_MARINE_GUARD,
        F_NOTIFY_PRIV_3GPP_EMERGENCY_CALL_NUMBERS_FLAG_B3_FIRE_BRIGADE,
        F_NOTIFY_PRIV_3GPP_EMERGENCY_CALL_NUMBERS_FLAG_B2_AMBULANCE,
        F_NOTIFY_PRIV_3GPP_EMERGENCY_CALL_NUMBERS_FLAG_B1_POLICE, -1
    };
    uint8_t len = cur_peek_u8(c, 0);
    dec_u8(d, p, c, F_NOTIFY_PRIV_3GPP_EMERGENCY_CALL_NUMBERS_ELEMENT_LEN);
    if (len == 0 || !cur_ok(c))
        return;
    cur_t e;
    cur_child(c, len, &e);
    cur_t flags_at = e;
    uint32_t f = dec_u8(d, p, &e, F_NOTIFY_PRIV_3GPP_EMERGENCY_CALL_NUMBERS_FLAGS);
    if (f)
        dec_bits(d, f, &flags_at, 1, bits);
    add_tbcd(d, p, &e, F_NOTIFY_PRIV_3GPP_EMERGENCY_CALL_NUMBER, len - 1u);
    dec_check(d, p, &e, "Emergency number");
}

static void n_emergency_numbers(dec_t *d, uint32_t p, cur_t *c)
{
    uint8_t total = cur_peek_u8(c, 0);
    dec_u8(d, p, c, F_NOTIFY_PRIV_3GPP_EMERGENCY_CALL_NUMBERS_LEN);
    cur_t list;
    if (cur_ok(c) && !cur_child(c, total, &list))
        tree_note(d->m, p, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED,
                  "Emergency number list of %u bytes runs past the notify data", total);
    for (unsigned n = 0; cur_ok(c) && cur_left(&list) > 0 && n < ISAKMP_MAX_ATTRS; n++)
        emergency_number(d, p, &list);
}

/* ---------------------------------------------------------------- vendor types */

/* Fortinet's Network Overlay ID (FortiOS network-id, 0-255) as Wireshark 4.4
 * reads it: the whole notify data as one big-endian integer, of its first 4
 * octets when longer; nothing when empty (Wireshark stops dissecting the
 * packet there, with "Trying to fetch an unsigned integer with length 0";
 * we note it and go on). */
static void n_fortinet_overlay_id(dec_t *d, uint32_t p, cur_t *c)
{
    size_t n = cur_left(c), off = cur_off(c);
    if (n == 0) {
        tree_note(d->m, p, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED, "Network Overlay ID is empty");
        return;
    }
    cur_t head = *c;
    uint32_t x = tree_add_uint(d->m, p, F_NOTIFY_DATA_FORTINET_NETWORK_OVERLAY_ID, c->src, off, n,
                               cur_be(&head, n > 4 ? 4 : n));
    if (n > 4)
        tree_note(d->m, x, ISAKMP_SEV_WARN, ISAKMP_NOTE_MALFORMED,
                  "Network Overlay ID of %zu octets: its first 4 are shown", n);
    cur_skip(c, n);
}

/* ---------------------------------------------------------------- dispatch */

static const struct {
    uint16_t type;
    notify_fn fn;
} notify_decoders[] = {   /* in type order (notify_decoder) */
    { 17, n_invalid_ke },        { 16385, n_window_size },   { 16387, n_ipcomp },
    { 16397, n_add_ip4 },        { 16398, n_add_ip6 },       { 16403, n_auth_lifetime },
    { 16407, n_redirect },       { 16408, n_redirected_from }, { 16409, n_ticket_lt },
    { 16416, n_rohc },           { 16419, n_qcd },           { 16422, n_msgid_sync },
    { 16423, n_replay_sync },    { 16424, n_spm },           { 16431, n_sig_hash },       { 16434, n_puzzle },
    { 16436, n_ppk_identity },   { 41041, n_backoff_timer }, { 41101, n_device_identity },
    { 41134, n_emergency_numbers }, { N_FORTINET_NETWORK_OVERLAY_ID, n_fortinet_overlay_id },
};

/* The table is in type order: a binary search (every notify payload looks
 * here, and most types have no decoder; the walk was a fifth of a notify's
 * decoding). */
static notify_fn notify_decoder(uint16_t type)
{
    size_t lo = 0, hi = G_N_ELEMENTS(notify_decoders);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (notify_decoders[mid].type < type)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < G_N_ELEMENTS(notify_decoders) && notify_decoders[lo].type == type
               ? notify_decoders[lo].fn
               : NULL;
}

void v2_p_notify(dec_t *d, cur_t *b, const payload_info *pi)
{
    uint8_t spisize = cur_peek_u8(b, 1);
    uint16_t type = cur_left(b) >= 4 ? cur_peek_u16(b, 2) : 0;
    isakmp_fact_notify fact = { .payload = facts_cur(d), .type = type,
                                .protocol = cur_peek_u8(b, 0), .spi_size = spisize };
    tree_set_vals(d->m, dec_u8(d, pi->item, b, F_NOTIFY_PROTOID), iana_ikev2_security_protocol_ids);
    dec_u8(d, pi->item, b, F_SPISIZE);
    uint32_t t = dec_u16(d, pi->item, b, F_NOTIFY_MSGTYPE);
    fact.spi = facts_span(b->src, cur_off(b), spisize);
    if (spisize)
        dec_bytes(d, pi->item, b, F_SPI, spisize);
    if (!dec_check(d, pi->item, b, "Notify"))
        return;
    fact.data = facts_rest(b);
    if (facts_on(d))
        facts_add_notifies(d->m, &fact);
    tree_set_vals(d->m, t, notify_names(type));
    tree_set_label(d->m, pi->item, "Type Payload: Notify (41) - %s", v2_name(notify_names(type), type));
    cur_t data = *b;
    dec_rest(d, pi->item, b, F_NOTIFY_DATA);
    notify_fn fn = notify_decoder(type);
    if (!fn)
        return;
    fn(d, pi->item, &data);
    /* a note, not an ike.extradata item: Wireshark adds none here */
    if (dec_check(d, pi->item, &data, "Notify data") && cur_left(&data))
        tree_note(d->m, pi->item, ISAKMP_SEV_WARN, ISAKMP_NOTE_TRAILING,
                  "Notify data: %zu bytes left over", cur_left(&data));
}
