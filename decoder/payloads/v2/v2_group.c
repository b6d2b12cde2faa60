/*
 * G-IKEv2 payloads (RFC 9838, formerly draft-ietf-ipsecme-g-ikev2): Group
 * Identification (GIDi, 50; laid out as an ID payload), Group Security
 * Association (GSA, 51; group policy substructures) and Key Download (KD, 52;
 * key bags).  Substructures share a Type / RESERVED / Length header; their
 * bodies are shown as bytes.
 *
 * Wireshark 4.0 does not know these payloads and shows the body as
 * ike.datapayload: we do the same, with the decoded fields under it.
 */
/* payload-bodies: v2 50 51 52 */
#include "payloads/v2/v2_internal.h"

/* Walks Type(1) RESERVED(1) Length(2) substructures, Length covering the header. */
static void substructures(dec_t *d, uint32_t parent, cur_t *c, const int f[4], const char *what)
{
    for (unsigned n = 0; cur_left(c) > 0 && n < ISAKMP_MAX_ATTRS; n++) {
        size_t len = cur_left(c) >= 4 ? cur_peek_u16(c, 2) : cur_left(c);
        cur_t s;
        cur_child(c, len < 4 ? 4 : len, &s);
        uint32_t it = tree_add(d->m, parent, f[0], s.src, cur_off(&s), cur_left(&s));
        dec_u8(d, it, &s, f[1]);
        cur_skip(&s, 1);   /* RESERVED; not ike.reserved, which Wireshark would not show */
        dec_u16(d, it, &s, f[2]);
        if (cur_ok(&s) && cur_left(&s))
            dec_rest(d, it, &s, f[3]);
        if (!dec_check(d, it, &s, what))
            return;
        if (len < 4) {
            tree_note(d->m, it, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED,
                      "%s length %zu is less than its 4-byte header", what, len);
            return;
        }
    }
}

void v2_p_gid(dec_t *d, cur_t *b, const payload_info *pi)
{
    cur_t g = *b;
    uint32_t data = dec_rest(d, pi->item, b, F_DATAPAYLOAD);
    tree_set_vals(d->m, dec_u8(d, data, &g, F_GID_TYPE), iana_ikev2_id_types);
    cur_skip(&g, 3);   /* RESERVED */
    if (dec_check(d, data, &g, "Group identification"))
        dec_rest(d, data, &g, F_GID_DATA);
}

void v2_p_gsa(dec_t *d, cur_t *b, const payload_info *pi)
{
    static const int f[4] = { F_GSA_POLICY, F_GSA_POLICY_TYPE, F_GSA_POLICY_LENGTH, F_GSA_POLICY_DATA };
    cur_t g = *b;
    uint32_t data = dec_rest(d, pi->item, b, F_DATAPAYLOAD);
    substructures(d, data, &g, f, "Group policy");
}

void v2_p_kd(dec_t *d, cur_t *b, const payload_info *pi)
{
    static const int f[4] = { F_KD_KEY_BAG, F_KD_KEY_BAG_TYPE, F_KD_KEY_BAG_LENGTH, F_KD_KEY_BAG_DATA };
    cur_t g = *b;
    uint32_t data = dec_rest(d, pi->item, b, F_DATAPAYLOAD);
    substructures(d, data, &g, f, "Key bag");
}
