/*
 * Tree helpers shared by the IKEv1 and IKEv2 decryption modules: the
 * "Decrypted Data" subtree, decoding plaintext as a new data source, and
 * the fragment / reassembly items.
 */
#ifndef ISAKMP_CRYPTO_TREE_H
#define ISAKMP_CRYPTO_TREE_H

#include "keys/keys.h"
#include "state/state.h"

/* Gives the message plaintext p[0..n), made by crypto_secure_alloc, as a
 * new secret data source named `name` (static): the message frees it;
 * returns its index. */
uint32_t ct_take_source(dec_t *d, const char *name, uint8_t *p, size_t n);

/* Decodes a payload chain over the whole of source `src` (first..len)
 * under parent, one level deeper; a note when the depth limit is reached. */
void ct_decode_inner(dec_t *d, uint32_t parent, uint32_t src, size_t off, size_t len,
                     uint8_t first);

/* Lowercase hex of n bytes, owned by the message. */
const char *ct_hex(dec_t *d, const uint8_t *p, size_t n);

/* Adds the fragment list (ike.fragments with one ike.fragment per part,
 * ike.fragment.count, ike.reassembled.length) under parent, located over
 * the reassembled source. */
void ct_fragment_items(dec_t *d, uint32_t parent, uint32_t src, const GArray *parts,
                       size_t total_len);
/* The same from n refs in an array. */
void ct_fragment_list(dec_t *d, uint32_t parent, uint32_t src, const frag_ref *refs, guint n,
                      size_t total_len);

/* Reassembles a complete fragment set into a FR_REASSEMBLED record of the
 * current frame (parts listed), marks the other frames' FR_FRAGMENT
 * records; returns the record (or a temporary one when frame is 0, which
 * the caller frees with ct_rec_free_tmp). */
frame_rec *ct_reassemble(dec_t *d, frag_set *s, uint32_t tag, bool *tmp);
void ct_rec_free_tmp(frame_rec *r);

/* True when this frame's fragment was collected on an earlier decoding and
 * did not complete its message: the fragment payload then only gets the
 * ike.reassembled_in item (when the message was completed since). */
bool ct_frag_seen(dec_t *d, const payload_info *pi, uint32_t tag);

/* Adds one fragment (a copy of p) to a set; returns false for duplicates. */
bool ct_frag_add(frag_set *s, uint16_t num, uint32_t frame, uint32_t tag, const uint8_t *p,
                 size_t n);

/* True when parts 1..total are all there. */
bool ct_frag_complete(const frag_set *s);

#endif
