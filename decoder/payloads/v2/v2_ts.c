/*
 * IKEv2 Traffic Selector payloads (TSi 44, TSr 45): RFC 7296 3.13 and 3.13.1
 * (TS_IPV4_ADDR_RANGE 7, TS_IPV6_ADDR_RANGE 8), RFC 4595 4.3 (TS_FC_ADDR_RANGE
 * 9), RFC 9478 2 (TS_SECLABEL 10).
 *
 * Each selector gets a child cursor of its Selector Length: a length that
 * lies about the selector is reported there and never read past.
 */
/* payload-bodies: v2 44 45 */
#include "payloads/v2/v2_internal.h"

#define TS_IPV4 7
#define TS_IPV6 8
#define TS_FC 9
#define TS_SECLABEL 10

/* RFC 7296 3.13.1: protocol, length, ports, start and end address. */
static void ts_ip(dec_t *d, uint32_t item, cur_t *s, size_t alen, int fstart, int fend,
                  isakmp_fact_ts *fact)
{
    fact->protocol = cur_peek_u8(s, 0);
    fact->start_port = cur_peek_u16(s, 3);
    fact->end_port = cur_peek_u16(s, 5);
    dec_u8(d, item, s, F_TS_PROTOID);
    dec_u16(d, item, s, F_TS_SELECTOR_LENGTH);
    dec_u16(d, item, s, F_TS_START_PORT);
    dec_u16(d, item, s, F_TS_END_PORT);
    if (!cur_ok(s))
        return;
    fact->start = facts_span(s->src, cur_off(s), alen);
    dec_bytes(d, item, s, fstart, alen);
    fact->end = facts_span(s->src, cur_off(s), alen);
    if (cur_ok(s))
        dec_bytes(d, item, s, fend, alen);
    if (!cur_ok(s))   /* not both addresses */
        fact->start.len = fact->end.len = 0;
}

/* RFC 4595 4.3: Fibre Channel address range with R_CTL and type ranges. */
static void ts_fc(dec_t *d, uint32_t item, cur_t *s)
{
    dec_bytes(d, item, s, F_RESERVED, 1);
    dec_u16(d, item, s, F_TS_SELECTOR_LENGTH);
    dec_bytes(d, item, s, F_RESERVED, 1);
    dec_u24(d, item, s, F_TS_START_FC);
    dec_bytes(d, item, s, F_RESERVED, 1);
    dec_u24(d, item, s, F_TS_END_FC);
    dec_u8(d, item, s, F_TS_START_R_CTL);
    dec_u8(d, item, s, F_TS_END_R_CTL);
    dec_u8(d, item, s, F_TS_START_TYPE);
    dec_u8(d, item, s, F_TS_END_TYPE);
}

/* RFC 9478 2: security label (Wireshark 4.0 shows only the type). */
static void ts_seclabel(dec_t *d, uint32_t item, cur_t *s)
{
    dec_bytes(d, item, s, F_RESERVED, 1);
    dec_u16(d, item, s, F_TS_SELECTOR_LENGTH);
    if (cur_ok(s))
        dec_rest(d, item, s, F_TS_SECURITY_LABEL);
}

/* One selector: returns false when the list cannot go on. */
static bool selector(dec_t *d, uint32_t parent, cur_t *c)
{
    uint8_t type = cur_peek_u8(c, 0);
    size_t len = cur_left(c) >= 4 ? cur_peek_u16(c, 2) : cur_left(c);
    cur_t s;
    bool whole = cur_child(c, len < 4 ? 4 : len, &s);
    uint32_t item = tree_add(d->m, parent, F_TS_DATA, s.src, cur_off(&s), cur_left(&s));
    if (!whole && len >= 4)
        tree_note(d->m, item, ISAKMP_SEV_ERROR,
                  s.clip == CUR_TRUNCATED ? ISAKMP_NOTE_TRUNCATED : ISAKMP_NOTE_MALFORMED,
                  "Selector length %zu runs past the payload", len);
    tree_set_label(d->m, item, "Traffic Selector: %s (%u)", v2_name(iana_ikev2_traffic_selector_types, type), type);
    tree_set_vals(d->m, dec_u8(d, item, &s, F_TS_TYPE), iana_ikev2_traffic_selector_types);
    isakmp_fact_ts fact = { .payload = facts_cur(d), .type = type };
    switch (type) {
    case TS_IPV4: ts_ip(d, item, &s, 4, F_TS_START_IPV4, F_TS_END_IPV4, &fact); break;
    case TS_IPV6: ts_ip(d, item, &s, 16, F_TS_START_IPV6, F_TS_END_IPV6, &fact); break;
    case TS_FC: ts_fc(d, item, &s); break;
    case TS_SECLABEL: ts_seclabel(d, item, &s); break;
    default:
        tree_note(d->m, item, ISAKMP_SEV_NOTE, ISAKMP_NOTE_UNKNOWN,
                  "Unknown traffic selector type %u: skipped by its length", type);
        cur_skip(&s, cur_left(&s));
        break;
    }
    if (facts_on(d))
        facts_add_ts(d->m, &fact);
    if (len < 4)
        tree_note(d->m, item, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED,
                  "Selector length %zu is less than the 4-byte selector header", len);
    bool ok = dec_check(d, item, &s, "Traffic selector");
    dec_trailing(d, item, &s, "Traffic selector");
    return ok && len >= 4;
}

void v2_p_ts(dec_t *d, cur_t *b, const payload_info *pi)
{
    uint8_t n = cur_peek_u8(b, 0);
    dec_u8(d, pi->item, b, F_TS_NUMBER);
    dec_bytes(d, pi->item, b, F_RESERVED, 3);
    if (!dec_check(d, pi->item, b, "Traffic selector payload"))
        return;
    for (unsigned i = 0; i < n; i++) {
        if (cur_left(b) == 0) {
            tree_note(d->m, pi->item, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED,
                      "Payload announces %u traffic selectors, holds %u", n, i);
            return;
        }
        if (!selector(d, pi->item, b))
            return;
    }
}
