/*
 * IKEv2 payload dispatch (RFC 7296 section 3.2 payload types, IANA "IKEv2
 * Payload Types") and the payloads that are one or two fields: KE (3.4),
 * Nonce (3.9), Vendor ID (3.12), Encrypted (3.14), Encrypted Fragment
 * (RFC 7383 2.5), and type 128 read as GM/T 0022-2014's Symmetric-key
 * payload (an IKEv1 payload; Wireshark 4.4 reads it so in IKEv2 too).  The structured payloads live in v2_sa.c, v2_notify.c,
 * v2_ts.c, v2_cfg.c, v2_misc.c and v2_group.c.
 */
/* payload-bodies: v2 34 40 128 */
#include "payloads/v2/v2_internal.h"
#include "payloads/vid.h"

const char *v2_name(const isakmp_value_name *vals, uint32_t v)
{
    const char *n = isakmp_value_lookup(vals, v);
    return n ? n : "Unknown";
}

void v2_label_value(dec_t *d, uint32_t item, const char *what, const isakmp_value_name *vals,
                    uint32_t v)
{
    const char *n = isakmp_value_lookup(vals, v);
    if (n)
        tree_set_label(d->m, item, "%s: %s (%u)", what, n, v);
    else
        tree_set_label(d->m, item, "%s: Unknown (%u)", what, v);
}

void v2_leftover(dec_t *d, uint32_t item, cur_t *c, const char *what)
{
    if (!cur_ok(c) || cur_left(c) == 0)
        return;
    tree_note(d->m, item, ISAKMP_SEV_WARN, ISAKMP_NOTE_TRAILING, "%s: %zu bytes left over", what,
              cur_left(c));
    cur_skip(c, cur_left(c));
}

/* RFC 7296 3.4: Key Exchange. */
static void p_ke(dec_t *d, cur_t *b, const payload_info *pi)
{
    isakmp_fact_ke ke = { .payload = facts_cur(d), .group = cur_peek_u16(b, 0) };
    dec_u16(d, pi->item, b, F_KE_DH_GROUP);
    dec_bytes(d, pi->item, b, F_RESERVED, 2);
    ke.data = facts_rest(b);
    dec_rest(d, pi->item, b, F_KE_DATA);
    if (facts_on(d))
        facts_add_kes(d->m, &ke);
}

/* RFC 7296 3.9: Nonce. */
static void p_nonce(dec_t *d, cur_t *b, const payload_info *pi)
{
    if (facts_on(d))
        facts_add_nonces(d->m, &(isakmp_fact_nonce){ facts_cur(d), facts_rest(b) });
    dec_rest(d, pi->item, b, F_NONCE);
}

/* Type 128, private use in IKEv2: shown as Wireshark 4.4 shows it, as the
 * body of a GM/T 0022 Symmetric-key payload. */
static void p_symmetric_key(dec_t *d, cur_t *b, const payload_info *pi) { dec_rest(d, pi->item, b, F_SYMMETRIC_KEY); }

/* RFC 7296 3.12: Vendor ID, recognised by vid.c (shared with IKEv1). */
static void p_vid(dec_t *d, cur_t *b, const payload_info *pi) { vid_decode(d, pi->item, b); }

/* RFC 7296 3.14: Encrypted and Authenticated; opaque unless a key decrypts it. */
static void p_sk(dec_t *d, cur_t *b, const payload_info *pi)
{
    if (dec_v2_sk(d, b, pi))
        return;
    /* Without a key the cipher is unknown; Wireshark 4.0 then shows the
     * first 4 octets as the IV and the rest as encrypted data: so do we, so
     * that field values stay comparable. */
    dec_bytes(d, pi->item, b, F_ENC_IV, cur_left(b) < 4 ? cur_left(b) : 4);
    dec_rest(d, pi->item, b, F_ENC_DATA);
}

/* RFC 7383 2.5: Encrypted and Authenticated Fragment: fragment number and
 * total, then the same body as SK (pi->type tells the crypto module which). */
static void p_skf(dec_t *d, cur_t *b, const payload_info *pi)
{
    isakmp_fact_frag fr = { facts_cur(d), cur_peek_u16(b, 0), cur_peek_u16(b, 2), 0, false };
    fr.last = fr.number == fr.total;
    dec_u16(d, pi->item, b, F_FRAG_NUMBER);
    dec_u16(d, pi->item, b, F_FRAG_TOTAL);
    if (!dec_check(d, pi->item, b, "Encrypted fragment"))
        return;
    if (facts_on(d))   /* decryption reads the numbers there (lean contexts have no keys) */
        facts_add_frags(d->m, &fr);
    if (dec_v2_sk(d, b, pi))
        return;
    /* Wireshark 4.0 shows nothing more of an undecrypted fragment */
    tree_note(d->m, pi->item, ISAKMP_SEV_NOTE, ISAKMP_NOTE_DECRYPT,
              "Encrypted fragment of %zu bytes not decrypted", cur_left(b));
    cur_skip(b, cur_left(b));
}

/* IANA "IKEv2 Payload Types", indexed by type (every payload asks); types
 * without a parser show as data. */
static const payload_fn v2_parsers[256] = {
    [33] = v2_p_sa,
    [34] = p_ke,
    [35] = v2_p_id,
    [36] = v2_p_id,
    [37] = v2_p_cert,
    [38] = v2_p_certreq,
    [39] = v2_p_auth,
    [40] = p_nonce,
    [41] = v2_p_notify,
    [42] = v2_p_delete,
    [43] = p_vid,
    [44] = v2_p_ts,
    [45] = v2_p_ts,
    [46] = p_sk,
    [47] = v2_p_cp,
    [48] = v2_p_eap,
    [49] = v2_p_gspm,
    [50] = v2_p_gid,
    [51] = v2_p_gsa,
    [52] = v2_p_kd,
    [53] = p_skf,
    [54] = v2_p_puzzle,
    [128] = p_symmetric_key,
};

payload_fn v2_payload_parser(uint8_t type) { return v2_parsers[type]; }
