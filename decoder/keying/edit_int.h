/*
 * The edit API's internals (edit.c: nodes, parsing, encoding; edit_crypt.c:
 * SK and IKEv1 encryption; mutate.c: the mutations).
 */
#ifndef ISAKMP_EDIT_INT_H
#define ISAKMP_EDIT_INT_H

#include "isakmp/edit.h"
#include "keying/decrypt.h"
#include "keys/keys.h"

#define EDIT_NO_SRC UINT32_MAX   /* a node whose body no longer is decoded bytes */

/* How an encrypted node's children are encrypted again. */
typedef struct {
    bool v1;                 /* IKEv1 E flag (the message node), else an SK payload */
    bool skf;                /* an SKF payload (RFC 7383): its body is Fragment Number,
                              * Total Fragments, then the fragment's plaintext */
    const key_v2 *key;       /* SK: the SA's keys */
    bool initiator;          /* SK: the I flag picks SK_ei / SK_ai */
    ikev1_cipher c1;         /* IKEv1 */
    GByteArray *iv;          /* SK: the IV on the wire; IKEv1: the IV it was decrypted with */
    GByteArray *pad;         /* the padding as it was (SK: without the Pad Length byte) */
    GByteArray *icv;         /* SK: the ICV / tag as it was (its room; kept for "ANY") */
} edit_crypt;

struct isakmp_node {
    isakmp_node_kind kind;
    unsigned type;
    uint8_t flags;           /* second byte of the generic header */
    bool raw;
    GByteArray *body;
    GPtrArray *kids;
    isakmp_node *parent;
    edit_crypt *crypt;       /* NULL unless encrypted */
    uint8_t next_orig;       /* SK: the Next Payload as decoded */
    uint32_t src;            /* the message's data source the body came from, or EDIT_NO_SRC */
    size_t src_off;          /* the body's offset in it */
    isakmp_break brk;
    int32_t brk_value;
};

struct isakmp_edit {
    isakmp_ctx *ctx;
    const isakmp_msg *msg;
    int version;
    isakmp_node *root;
    bool fallback;           /* parsed, but did not encode back to the bytes: raw */
};

typedef struct {
    isakmp_edit *e;
    int version;
    uint8_t first_inner;     /* SK: its Next Payload (the first inner payload) */
} edit_parse;

/* An encryption to do once the message is whole (offsets in the output). */
typedef struct {
    const edit_crypt *c;
    size_t iv_off, ct_off, ct_len, icv_len;
} edit_job;

typedef struct {
    GByteArray *b;
    isakmp_edit *e;
    edit_job *jobs;
    size_t n_jobs;
} edit_out;

isakmp_node *edit_node_new(isakmp_node_kind kind, unsigned type);
void edit_node_free(isakmp_node *n);

/* Writes node n (its generic header with `next`, body, children) / the
 * children of n as a chain. */
void edit_put_node(edit_out *o, const isakmp_node *n, uint8_t next);
void edit_put_kids(edit_out *o, const isakmp_node *n);

/* The whole edit; 0 when a cipher failed (see isakmp_edit_encode). */
size_t edit_encode(isakmp_edit *e, uint8_t *buf, size_t size);

/* edit_crypt.c, which knows no node: the tree side (edit.c) hands it a
 * callback that parses plaintext.  accept(user, plain, len, src, &used)
 * parses len bytes of plaintext (from data source src of the message, or
 * EDIT_NO_SRC), says how many it used, false when they do not parse. */
typedef bool (*edit_accept_fn)(void *user, const uint8_t *plain, size_t len, uint32_t src,
                               size_t *used);
/* An SK (skf false) or SKF body p..n at `off` of the message: opened with
 * each key of the SA until accept takes the whole plaintext (SK: a payload
 * chain; SKF: the fragment after its numbering); NULL when none does. */
edit_crypt *edit_sk_open(const isakmp_edit *e, const uint8_t *p, size_t n, size_t off,
                         bool skf, edit_accept_fn accept, void *user);
/* An IKEv1 message with the E flag (p..n, header included): its decoded
 * plaintext handed to accept, the rest after what it used is padding. */
edit_crypt *edit_v1_open(const isakmp_edit *e, const uint8_t *p, size_t n,
                         edit_accept_fn accept, void *user);
void edit_crypt_free(edit_crypt *c);
edit_crypt *edit_crypt_copy(const edit_crypt *c);
/* Encoding: begin writes what comes before the plaintext (the SK IV) and
 * returns where the plaintext starts; the caller writes it; end pads it,
 * makes room for the ICV and queues the encryption. */
size_t edit_crypt_begin(edit_out *o, const edit_crypt *c);
void edit_crypt_end(edit_out *o, const edit_crypt *c, size_t ct_off);
/* Runs the queued encryptions over the finished message; false on failure. */
bool edit_crypt_run(edit_out *o);

#endif
