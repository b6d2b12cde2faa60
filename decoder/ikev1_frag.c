/*
 * IKEv1 fragmentation: payload 132, the IKE fragment Cisco and strongSwan
 * use (never an RFC; the format is what both send):
 *
 *   Fragment ID (2) | Fragment Number (1, from 1) | Flags (1, bit 0 = last)
 *   | a piece of the whole message, its ISAKMP header included
 *
 * The IKEv1 parser (v1_payloads.c) shows the fields and hands the piece to
 * crypto_v1_fragment.  Pieces are collected per SA (initiator cookie),
 * responder cookie, sender and fragment ID, in any order.  The frame whose
 * piece completes the set shows the fragment list and the reassembled
 * message as a new data source ("Reassembled IKE"), decoded like any
 * message: usually it has the E flag and is decrypted through the normal
 * IKEv1 path, its IV chain going on from the messages before it.  Frames
 * decoded again show the same tree (per-frame records, state.h); the other
 * fragments show ike.reassembled.in once the set is complete.
 *
 * Memory is bounded: at most V1_FRAG_MAX_PARTS pieces and V1_FRAG_MAX_BYTES
 * bytes per message, V1_FRAG_MAX_SETS incomplete messages per SA (the
 * oldest is dropped, with a note); a completed set is freed at once.
 */
#include <string.h>

#include "crypto_tree.h"
#include "decrypt.h"

#define V1_FRAG_MAX_PARTS 64
#define V1_FRAG_MAX_BYTES 65535
#define V1_FRAG_MAX_SETS 16

/* The set key: responder cookie, sender address and port, fragment ID. */
#define V1_FRAG_KEY_LEN 28

static void frag_key(const dec_t *d, uint16_t id, uint8_t *key)
{
    const isakmp_packet *p = &d->m->pkt;
    memcpy(key, d->rspi, 8);
    memcpy(key + 8, p->src, 16);
    key[24] = (uint8_t)(p->sport >> 8);
    key[25] = (uint8_t)p->sport;
    key[26] = (uint8_t)(id >> 8);
    key[27] = (uint8_t)id;
}

/* The set this fragment belongs to (created when missing). */
static frag_set *frag_set_of(dec_t *d, const payload_info *pi, uint16_t id, GBytes **key_out)
{
    struct isakmp_state *sa = state_sa(d, d->ispi);
    uint8_t key[V1_FRAG_KEY_LEN];
    frag_key(d, id, key);
    *key_out = g_bytes_new(key, sizeof key);
    if (!g_hash_table_contains(sa->frags, *key_out))
        state_frag_evict(d, pi->item, sa, V1_FRAG_KEY_LEN, V1_FRAG_MAX_SETS);
    return state_frags(sa, key, sizeof key);
}

/* Whether the fragment can join the set; a note at the payload when not. */
static bool frag_fits(dec_t *d, const payload_info *pi, const frag_set *s, uint8_t seq,
                      bool last, size_t n)
{
    const char *why = NULL;
    isakmp_note_code code = ISAKMP_NOTE_MALFORMED;
    if (seq == 0)
        why = "fragment number 0 (numbers start at 1)";
    else if (s->total && seq > s->total)
        why = "fragment number after the last fragment";
    else if (last && s->total && s->total != seq)
        why = "a second last fragment with another number";
    else if (last && s->parts->len > seq)
        why = "last fragment, but a higher fragment number was seen";
    else if (seq > V1_FRAG_MAX_PARTS) {
        why = "more fragments than the limit";
        code = ISAKMP_NOTE_LIMIT;
    } else if (s->bytes + n > V1_FRAG_MAX_BYTES) {
        why = "reassembled message larger than the limit";
        code = ISAKMP_NOTE_LIMIT;
    } else if (seq <= s->parts->len && s->parts->pdata[seq - 1]) {
        why = "fragment number already seen (retransmission)";
        code = ISAKMP_NOTE_INFO;
    }
    if (why)
        tree_note(d->m, pi->item, code == ISAKMP_NOTE_INFO ? ISAKMP_SEV_NOTE : ISAKMP_SEV_WARN,
                  code, "IKE fragment %u not reassembled: %s (limits: %d fragments, %d bytes)",
                  seq, why, V1_FRAG_MAX_PARTS, V1_FRAG_MAX_BYTES);
    return why == NULL;
}

/* First pass over a frame: adds the fragment to its set; returns the
 * reassembled record when this fragment completed the set. */
static frame_rec *frag_collect(dec_t *d, const cur_t *data, const payload_info *pi,
                               uint16_t id, uint8_t seq, bool last, uint32_t tag, bool *tmp)
{
    size_t n = cur_left(data);
    const uint8_t *p = cur_view(data, cur_off(data), n);
    if (!p || data->clip != CUR_OK) {
        tree_note(d->m, pi->item, ISAKMP_SEV_WARN, ISAKMP_NOTE_TRUNCATED,
                  "IKE fragment %u is incomplete: not reassembled", seq);
        return NULL;
    }
    state_frame(d->ctx, d->m->pkt.frame, tag, FR_FRAGMENT, true);
    GBytes *key;
    frag_set *s = frag_set_of(d, pi, id, &key);
    frame_rec *r = NULL;
    if (frag_fits(d, pi, s, seq, last, n)) {
        if (last)
            s->total = seq;
        ct_frag_add(s, seq, d->m->pkt.frame, tag, p, n);
        if (ct_frag_complete(s)) {
            r = ct_reassemble(d, s, tag, tmp);
            g_hash_table_remove(state_sa(d, d->ispi)->frags, key);
        }
    }
    g_bytes_unref(key);
    return r;
}

/* The fragment list and the reassembled message, decoded under the payload. */
static void frag_show(dec_t *d, const payload_info *pi, const frame_rec *r)
{
    uint32_t src = msg_add_source(d->m, "Reassembled IKE", r->plain.p, r->plain.len, true);
    ct_fragment_items(d, pi->item, src, r->parts, r->plain.len);
    uint32_t root = tree_add(d->m, pi->item, F_PROTO, src, 0, r->plain.len);
    size_t n;
    const uint8_t *data = isakmp_msg_source_data(d->m, src, &n);
    cur_t c;
    cur_init(&c, data, n, n, src);
    /* the reassembled message is the frame's message: its header values
     * stay in d for the end-of-message hooks (IKEv1 learning, key derivation) */
    d->depth++;
    dec_message(d, root, &c);
    d->depth--;
}

void ikev1_fragment(dec_t *d, cur_t *data, const payload_info *pi, uint16_t id, uint8_t seq,
                    bool last)
{
    if (d->depth) {
        tree_note(d->m, pi->item, ISAKMP_SEV_WARN, ISAKMP_NOTE_MALFORMED,
                  "IKE fragment inside decrypted or reassembled data: not reassembled");
        return;
    }
    uint32_t frame = d->m->pkt.frame;
    uint32_t tag = state_msg_tag(d);
    frame_rec *r = state_frame(d->ctx, frame, tag, FR_REASSEMBLED, false);
    bool tmp = false;
    if (!r) {
        if (ct_frag_seen(d, pi, tag))
            return;
        r = frag_collect(d, data, pi, id, seq, last, tag, &tmp);
        if (!r)
            return;
    }
    frag_show(d, pi, r);
    if (tmp)
        ct_rec_free_tmp(r);
}
