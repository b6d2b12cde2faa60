/*
 * libisakmp edit API: re-serialising a decoded message after a change, and
 * the field-aware mutations built on it (docs/mutate.md).
 *
 * An edit is a tree of nodes made from a decoded message: the message (its
 * 28-byte header), payloads, SA proposals, transforms and their attributes.
 * Each node has a body: the bytes after its generic header that are not its
 * children (a payload's whole body when it has no children; a proposal's
 * number, protocol, SPI size, transform count and SPI; a transform's type
 * and id; an attribute's value).  Encoding writes every node again and
 * recomputes what the structure fixes: payload, proposal, transform,
 * attribute and message lengths, next-payload chains (and the Last
 * Substructure bytes), proposal transform counts.  Changing nothing encodes
 * the very bytes that were decoded.
 *
 * Encrypted messages.  When the context that decoded the message had its
 * keys, an IKEv2 SK payload's children are its decrypted payloads and an
 * IKEv1 message with the E flag has its decrypted payloads as the message's
 * children: encoding pads them, encrypts them again with the SA's keys
 * (IKEv2: the IV on the wire; IKEv1: the IV the message was decrypted with,
 * RFC 2409 Appendix B) and recomputes the ICV or AEAD tag, so that a
 * receiver accepts the integrity check and parses the edited plaintext.
 * An SKF payload (RFC 7383) has no children: its body is its Fragment
 * Number and Total Fragments, then the fragment's plaintext, encrypted
 * again the same way.  Without keys, and for what does not parse cleanly
 * (an IKEv1 fragment, payload 132; a payload whose structure its lengths
 * do not describe), the node is raw: its bytes are kept as they were and
 * can be edited as bytes only.
 *
 * The donor of isakmp_edit_mutate may outlive its message: splicing reads
 * only its nodes.
 *
 * Ownership.  The edit borrows the message (its items map to nodes) and the
 * context (its keys encrypt): keep both until the edit is freed.  Nodes
 * belong to their edit; a removed node is freed.
 */
#ifndef ISAKMP_EDIT_H
#define ISAKMP_EDIT_H

#include "isakmp/isakmp.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct isakmp_edit isakmp_edit;
typedef struct isakmp_node isakmp_node;

typedef enum {
    ISAKMP_NODE_MESSAGE,     /* body: the 28-byte header */
    ISAKMP_NODE_PAYLOAD,     /* type: the payload type */
    ISAKMP_NODE_PROPOSAL,    /* type 2 (IKEv1 payload / IKEv2 substructure) */
    ISAKMP_NODE_TRANSFORM,   /* type 3 */
    ISAKMP_NODE_ATTRIBUTE    /* type: the attribute type, with the 0x8000 TV bit */
} isakmp_node_kind;

/* An edit of msg (decoded with ctx, whose keys re-encrypt it).  NULL only
 * when out of memory or msg has no bytes. */
ISAKMP_API isakmp_edit *isakmp_edit_new(isakmp_ctx *ctx, const isakmp_msg *msg);
ISAKMP_API void isakmp_edit_free(isakmp_edit *e);

/* A copy of the whole edit (its nodes), borrowing the same message. */
ISAKMP_API isakmp_edit *isakmp_edit_copy(const isakmp_edit *e);

/* The message node, and the IKE version (1 or 2). */
ISAKMP_API isakmp_node *isakmp_edit_root(isakmp_edit *e);
ISAKMP_API int isakmp_edit_version(const isakmp_edit *e);

/* Encodes the edit into buf (at most size bytes).  Returns the encoded
 * length (which may exceed size: nothing is written then; size 0 asks for
 * it), or 0 when it cannot be encoded (a cipher failed). */
ISAKMP_API size_t isakmp_edit_encode(isakmp_edit *e, uint8_t *buf, size_t size);

/* IKEv1 IVs (RFC 2409 Appendix B).  A receiver decrypts each message of an
 * exchange with the last ciphertext block of the one before it: a stream
 * that adds messages (mutants) re-encrypts what follows them with the IV
 * its position gives (isakmpdump --mutate does).  The IV an IKEv1 message
 * with the E flag is encrypted with (the one it was decrypted with, until
 * set); NULL for other messages. */
ISAKMP_API const uint8_t *isakmp_edit_iv(const isakmp_edit *e, size_t *len);
/* Sets it; -1 when the message has none or len is not its block size. */
ISAKMP_API int isakmp_edit_set_iv(isakmp_edit *e, const uint8_t *iv, size_t len);
/* The first IV of an IKEv1 exchange other than Phase 1, message ID msgid,
 * after a Phase 1 whose last ciphertext block is p1_last (len bytes):
 * hash(p1_last | M-ID) with the SA's hash, cut to the cipher's block, into
 * out.  Returns the block size, or 0 when the message is not encrypted
 * IKEv1 or the SA's hash is unknown. */
ISAKMP_API size_t isakmp_edit_v1_exchange_iv(const isakmp_edit *e, const uint8_t *p1_last,
                                             size_t len, uint32_t msgid, uint8_t *out,
                                             size_t size);

/* ---------------------------------------------------------------- nodes */

ISAKMP_API isakmp_node_kind isakmp_node_kind_of(const isakmp_node *n);
ISAKMP_API unsigned isakmp_node_type(const isakmp_node *n);
/* Sets a payload's (or an attribute's) type; the chain follows. */
ISAKMP_API void isakmp_node_set_type(isakmp_node *n, unsigned type);
/* The second byte of a generic header (IKEv2 critical bit, reserved). */
ISAKMP_API unsigned isakmp_node_flags(const isakmp_node *n);
ISAKMP_API void isakmp_node_set_flags(isakmp_node *n, unsigned flags);

ISAKMP_API isakmp_node *isakmp_node_parent(const isakmp_node *n);
ISAKMP_API size_t isakmp_node_child_count(const isakmp_node *n);
ISAKMP_API isakmp_node *isakmp_node_child(const isakmp_node *n, size_t i);
/* The node's place among its parent's children. */
ISAKMP_API size_t isakmp_node_index(const isakmp_node *n);

/* True when the node's bytes are kept as they were (no children). */
ISAKMP_API bool isakmp_node_raw(const isakmp_node *n);
/* True when the node's children are encrypted on encoding (an IKEv2 SK
 * payload, an IKEv1 message with the E flag, with keys). */
ISAKMP_API bool isakmp_node_encrypted(const isakmp_node *n);

/* The body (see above); valid until the node changes. */
ISAKMP_API const uint8_t *isakmp_node_body(const isakmp_node *n, size_t *len);
/* Replaces `del` bytes at `off` of the body by the `len` bytes at b (b may
 * be NULL: zeros).  -1 when off + del is past the body. */
ISAKMP_API int isakmp_node_splice(isakmp_node *n, size_t off, size_t del, const uint8_t *b,
                                  size_t len);

/* A new node of `kind` and `type` with the given body, inserted as child
 * `index` of parent (an index past the end appends).  NULL when the parent
 * is an attribute or raw. */
ISAKMP_API isakmp_node *isakmp_node_insert(isakmp_node *parent, size_t index,
                                           isakmp_node_kind kind, unsigned type,
                                           const uint8_t *body, size_t len);
/* A deep copy of `from` (which may belong to another edit: splicing)
 * inserted as child `index` of parent.  NULL when parent cannot hold it. */
ISAKMP_API isakmp_node *isakmp_node_copy_into(isakmp_node *parent, size_t index,
                                              const isakmp_node *from);
/* Moves n to place `index` among its siblings. */
ISAKMP_API void isakmp_node_move(isakmp_node *n, size_t index);
/* Removes and frees n (not the message node). */
ISAKMP_API void isakmp_node_remove(isakmp_node *n);

/* Mode that breaks one length or chain on purpose: encoding then writes
 * this node's length field plus `value` (ISAKMP_BREAK_LENGTH; the message
 * node's is the header's Length) or `value` as the next-payload byte of its
 * generic header (ISAKMP_BREAK_NEXT; the message node: the header's Next
 * Payload), the rest as usual (an encrypted message is still encrypted and
 * its ICV right). */
typedef enum { ISAKMP_BREAK_NONE, ISAKMP_BREAK_LENGTH, ISAKMP_BREAK_NEXT } isakmp_break;
ISAKMP_API void isakmp_node_break(isakmp_node *n, isakmp_break what, int32_t value);

/* ---------------------------------------------------------------- items */

/* The node whose body holds the item's bytes, and the item's offset in
 * that body; NULL for items outside any body (generic header fields that
 * encoding recomputes, generated items, ciphertext of an encrypted node). */
ISAKMP_API isakmp_node *isakmp_edit_node_of(isakmp_edit *e, const isakmp_item *it,
                                            size_t *off);

/* Replaces the item's bytes by the len bytes at b (the length may change:
 * the lengths around follow).  -1 when the item is in no body. */
ISAKMP_API int isakmp_edit_set_item(isakmp_edit *e, const isakmp_item *it, const uint8_t *b,
                                    size_t len);

/* Sets an integer item (UINT8 .. UINT64, BOOLEAN) to v in its width, big
 * endian, under its bitmask.  -1 when it is not such an item or in no body. */
ISAKMP_API int isakmp_edit_set_item_uint(isakmp_edit *e, const isakmp_item *it, uint64_t v);

/* ---------------------------------------------------------------- mutation */

/* Flags of isakmp_edit_mutate. */
#define ISAKMP_MUTATE_BREAK 0x1u   /* may break one length or chain (isakmp_node_break) */
#define ISAKMP_MUTATE_CLEAR 0x2u   /* only clear nodes, never inside encrypted ones */
#define ISAKMP_MUTATE_INNER 0x4u   /* a message with an encrypted node: only inside it
                                    * (the plaintext changes, the clear part stays) */

/* Applies one field-aware mutation, chosen with the random state *rng (any
 * seed; it moves on): a boundary value for an integer field's type, a value
 * from its value-name table, resized or flipped bytes, a payload, proposal,
 * transform or attribute removed, duplicated or moved, a Vendor ID or a
 * Notify (a known type) inserted, a payload spliced from `donor` (another
 * edit, may be NULL), or, with ISAKMP_MUTATE_BREAK, a broken length or
 * chain.  Encrypted parts are mutated in plaintext (encoding re-encrypts).
 * Returns a short static name of what was done ("uint-boundary",
 * "payload-dup", ...), or NULL when nothing could be changed. */
ISAKMP_API const char *isakmp_edit_mutate(isakmp_edit *e, uint64_t *rng, unsigned flags,
                                          const isakmp_edit *donor);

/* An AFL / libFuzzer dictionary (name="\x.." lines) from the field and
 * value tables: payload types, exchange types, notify types, transform
 * ids, attribute types in TV and TLV form, known vendor IDs.  Written into
 * buf (NUL-terminated, cut to fit); returns its length (snprintf
 * semantics). */
ISAKMP_API size_t isakmp_mutate_dictionary(char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
