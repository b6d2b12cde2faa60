/*
 * IKEv1 payload dispatch (RFC 2408 section 3, RFC 2409 section 5, RFC 2407
 * section 4.6) and the payloads that are one opaque value: KE (3.7), HASH
 * (3.11), SIG (3.12), NONCE (3.13), NAT-D (RFC 3947 3.2 and draft number
 * 130), the Cisco/racoon IKE fragment (payload 132), Vendor ID (3.16,
 * decoded by vid.c for both IKE versions) and the Symmetric-key payload (128)
 * of GM/T 0022-2014, China's IPsec VPN specification.
 */
/* payload-bodies: v1 4 8 9 10 20 128 130 */
#include "payloads/v1/v1.h"
#include "payloads/vid.h"

static void p_ke(dec_t *d, cur_t *b, const payload_info *pi)
{
    if (facts_on(d))
        facts_add_kes(d->m, &(isakmp_fact_ke){ facts_cur(d), 0, facts_rest(b) });
    dec_rest(d, pi->item, b, F_KE_DATA);
}

/* HASH (8) and SIG (9): the authenticating values of IKEv1. */
static void auth_fact(dec_t *d, const cur_t *b)
{
    if (facts_on(d))
        facts_add_auths(d->m, &(isakmp_fact_auth){ .payload = facts_cur(d), .data = facts_rest(b) });
}

static void p_hash(dec_t *d, cur_t *b, const payload_info *pi)
{
    auth_fact(d, b);
    dec_rest(d, pi->item, b, F_HASH);
}

static void p_sig(dec_t *d, cur_t *b, const payload_info *pi)
{
    auth_fact(d, b);
    dec_rest(d, pi->item, b, F_SIG);
}

static void p_nonce(dec_t *d, cur_t *b, const payload_info *pi)
{
    if (facts_on(d))
        facts_add_nonces(d->m, &(isakmp_fact_nonce){ facts_cur(d), facts_rest(b) });
    dec_rest(d, pi->item, b, F_NONCE);
}
static void p_vid(dec_t *d, cur_t *b, const payload_info *pi) { vid_decode(d, pi->item, b); }
static void p_nat_d(dec_t *d, cur_t *b, const payload_info *pi) { dec_rest(d, pi->item, b, F_IKE_NAT_HASH); }
static void p_symmetric_key(dec_t *d, cur_t *b, const payload_info *pi) { dec_rest(d, pi->item, b, F_SYMMETRIC_KEY); }

/* IKE fragmentation (Cisco / racoon, payload 132): packet id, fragment
 * number, last-fragment flag, then the fragment bytes.  Reassembly happens
 * in keying (crypto_v1_fragment, ikev1_frag.c), where the engine hands it. */
static void p_frag(dec_t *d, cur_t *b, const payload_info *pi)
{
    uint16_t id = cur_peek_u16(b, 0);
    uint8_t seq = cur_peek_u8(b, 2), flags = cur_peek_u8(b, 3);
    dec_u16(d, pi->item, b, F_FRAG_PACKETID);
    dec_u8(d, pi->item, b, F_FRAG_SEQ);
    dec_u8(d, pi->item, b, F_FRAG_LAST);
    if (dec_check(d, pi->item, b, "Fragment")) {
        if (facts_on(d))
            facts_add_frags(d->m, &(isakmp_fact_frag){ facts_cur(d), seq, 0, id, flags & 1 });
        cur_t data = *b;
        dec_rest(d, pi->item, b, F_FRAG_DATA);
        dec_v1_fragment(d, &data, pi, id, seq, flags & 1);
    }
}

/* Indexed by payload type (every payload asks). */
static const payload_fn v1_parsers[256] = {
    [1] = v1_p_sa,
    [2] = v1_p_proposal,
    [3] = v1_p_transform,
    [4] = p_ke,
    [5] = v1_p_id,
    [6] = v1_p_cert,
    [7] = v1_p_certreq,
    [8] = p_hash,
    [9] = p_sig,
    [10] = p_nonce,
    [11] = v1_p_notify,
    [12] = v1_p_delete,
    [13] = p_vid,
    [14] = v1_p_cfg,
    [15] = v1_p_sak,
    [16] = v1_p_sat,
    [17] = v1_p_kd,
    [18] = v1_p_seq,
    [20] = p_nat_d,
    [21] = v1_p_nat_oa,
    [128] = p_symmetric_key,
    [130] = p_nat_d,
    [131] = v1_p_nat_oa,
    [132] = p_frag,
};

payload_fn v1_payload_parser(uint8_t type) { return v1_parsers[type]; }
