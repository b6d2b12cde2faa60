/*
 * libisakmp internals shared by the decoder's modules: the message and its
 * tree (core/msg.h), what one decode call knows (dec_t), the hooks through
 * which the parts call the engine back, the context, field direction and
 * the facts builders' shortcuts.
 */
#ifndef ISAKMP_INTERNAL_H
#define ISAKMP_INTERNAL_H

#include <glib.h>
#include <stdarg.h>

#include "core/cursor.h"
#include "core/facts_int.h"
#include "core/iana_tables.h"
#include "isakmp/isakmp.h"

#include "core/msg.h"   /* the field ids, the message and its tree */

/* ---------------------------------------------------------------- decoding */

#define ISAKMP_MAX_DEPTH 4          /* nested SK / encrypted / reassembled levels */
#define ISAKMP_MAX_PAYLOADS 65536   /* per message; a note when reached */
#define ISAKMP_MAX_ATTRS 65536      /* per transform / CP payload */
/* The largest message decoded: 16 MiB (a UDP datagram holds 64 KiB; only an
 * IPv6 jumbogram or a reassembled capture carries more).  The bytes after it
 * are not copied or decoded, with a note (docs/limits.md). */
#define ISAKMP_MAX_MSG_LEN (16u << 20)

struct isakmp_state;
struct dec_hooks;

/* What one decode call knows while it walks a message. */
typedef struct {
    isakmp_ctx *ctx;
    isakmp_msg *m;
    int version;             /* 1 or 2 */
    int depth;               /* nesting of decrypted / reassembled data */
    uint32_t payloads;       /* payloads seen so far */
    /* header */
    uint8_t ispi[8], rspi[8];
    uint8_t exch, flags;
    uint32_t msgid;
    size_t hdr_off;          /* offset of the ISAKMP header in source 0 */
    struct isakmp_state *sa; /* SA state, when the context keeps it */
    const struct dec_hooks *hooks;  /* the parts above, as the engine wires them */
    bool keyed;              /* the context has IKE keys or secrets (ctx_keyed) */
    bool redo;               /* derivation took the next candidate key because this
                              * message did not decrypt: decode it again (decode.c) */
    int sk_epoch;            /* IKEv2: which of the SPI pair's key sets verified the
                              * message's ICV (its index, the RFC 9370 epoch); -1 none */
    /* IKEv2: the decrypted inner payloads of the whole message (SK, or the
     * SKF set this frame completed) for RFC 9242's IntAuth: their source,
     * length, first payload type, the SK / SKF header's offset in source 0 */
    bool have_inner, inner_frag;
    uint32_t inner_src;
    size_t inner_len, sk_off;
    uint8_t inner_first;
} dec_t;

/* Where a payload sits: the generic header, its type and next payload. */
typedef struct {
    uint8_t type, next;
    bool critical;
    size_t off;              /* offset of the generic payload header */
    size_t len;              /* declared payload length (header included) */
    uint32_t item;           /* the payload's tree item */
} payload_info;

typedef void (*payload_fn)(dec_t *d, cur_t *body, const payload_info *pi);

/* Per-version payload parser lookup; NULL when the type has no parser. */
payload_fn v1_payload_parser(uint8_t type);
payload_fn v2_payload_parser(uint8_t type);

/* The value-name table for payload types of a version. */
const isakmp_value_name *payload_type_names(int version);
/* The name of a payload type (NULL when it has none), by direct lookup:
 * every payload asks. */
const char *payload_type_name(int version, uint8_t type);
/* "Type Payload: NAME (T)", the payload item's label, made once (NULL if
 * it did not fit the table's block: then it is formatted). */
const char *payload_type_label(int version, uint8_t type);
/* Gives a payload item that label (the table is not made while no label
 * is asked for: -T fields, the summary). */
static inline void tree_set_payload_label(isakmp_msg *m, uint32_t item, int version, uint8_t type)
{
    if (m->no_labels || tree_is_ghost(item))
        return;
    const char *label = payload_type_label(version, type);
    if (label) {
        tree_set_label_static(m, item, label);
        return;
    }
    const char *name = payload_type_name(version, type);
    tree_set_label(m, item, "Type Payload: %s (%u)", name ? name : "Unknown", type);
}

/* The calls that go up: parsers, state and keying reach the engine's
 * recursion and keying's handling of encrypted payloads only through these,
 * which the engine (decode.c) fills, so that no part names a part above it. */
struct dec_hooks {
    void (*payload_chain)(dec_t *d, uint32_t parent, cur_t *c, uint8_t first);
    void (*message)(dec_t *d, uint32_t parent, const cur_t *whole);
    bool (*v2_sk)(dec_t *d, cur_t *body, const payload_info *pi);
    void (*v1_fragment)(dec_t *d, cur_t *data, const payload_info *pi, uint16_t id,
                        uint8_t seq, bool last);
};

/* Walks a payload chain starting with payload type `first` over cursor c,
 * adding payload items under `parent`. */
static inline void dec_payload_chain(dec_t *d, uint32_t parent, cur_t *c, uint8_t first)
{
    d->hooks->payload_chain(d, parent, c, first);
}

/* Decodes a whole ISAKMP message (header and body) covered by `whole`, in
 * whatever data source it is (the frame, or a reassembled message), with its
 * items under `parent`. */
static inline void dec_message(dec_t *d, uint32_t parent, const cur_t *whole)
{
    d->hooks->message(d, parent, whole);
}

/* The SK (46) or SKF (53) payload body, handed to keying (crypto_v2_sk);
 * true when it was decrypted into the tree. */
static inline bool dec_v2_sk(dec_t *d, cur_t *body, const payload_info *pi)
{
    return d->hooks->v2_sk(d, body, pi);
}

/* An IKEv1 fragment (payload 132), handed to keying (crypto_v1_fragment). */
static inline void dec_v1_fragment(dec_t *d, cur_t *data, const payload_info *pi, uint16_t id,
                                   uint8_t seq, bool last)
{
    d->hooks->v1_fragment(d, data, pi, id, seq, last);
}

/* The reports of dec_check and dec_trailing (dec_read.c), out of line: the
 * checks themselves are inline, as they pass for almost every payload and
 * a call saved registers for nothing (1 % of -T fields). */
void dec_report_error(dec_t *d, uint32_t item, const cur_t *c, const char *what);
void dec_report_trailing(dec_t *d, uint32_t item, const cur_t *c, const char *what);

/* Reports the cursor's error, if any, as a note on item; returns !error. */
static inline bool dec_check(dec_t *d, uint32_t item, const cur_t *c, const char *what)
{
    if (c->err == CUR_OK)
        return true;
    dec_report_error(d, item, c, what);
    return false;
}

/* Reports bytes left in a closed child cursor as trailing data. */
static inline void dec_trailing(dec_t *d, uint32_t item, const cur_t *c, const char *what)
{
    if (c->err == CUR_OK && cur_left(c) != 0)
        dec_report_trailing(d, item, c, what);
}

/* Decrypted IKEv1 data is well formed when it starts with a chain of
 * payloads whose first is `first` (RFC 2408 3.2: reserved octet zero,
 * lengths at least 4 and inside the data, the last's next payload 0, at
 * most DEC_CHAIN_MAX + 1 payloads); *used gets the bytes the chain takes
 * (the rest is padding).  Read through the cursor, nothing is shown. */
#define DEC_CHAIN_MAX 256
bool dec_chain_span(const uint8_t *p, size_t n, uint8_t first, size_t *used);

/* Field readers: read from the cursor and add an item under parent. */
uint32_t dec_u8(dec_t *d, uint32_t parent, cur_t *c, int field);
uint32_t dec_u16(dec_t *d, uint32_t parent, cur_t *c, int field);
uint32_t dec_u24(dec_t *d, uint32_t parent, cur_t *c, int field);
uint32_t dec_u32(dec_t *d, uint32_t parent, cur_t *c, int field);
uint32_t dec_u64(dec_t *d, uint32_t parent, cur_t *c, int field);
/* n bytes (clipped to what is there, with a note when short). */
uint32_t dec_bytes(dec_t *d, uint32_t parent, cur_t *c, int field, size_t n);
/* The rest of the cursor. */
uint32_t dec_rest(dec_t *d, uint32_t parent, cur_t *c, int field);
/* Adds one item per bitmask field over the same `width` bytes at the cursor
 * (fields is terminated by -1) without moving; returns nothing. */
void dec_bits(dec_t *d, uint32_t parent, const cur_t *c, size_t width, const int *fields);

/* ---------------------------------------------------------------- context */

struct export_store;

/* What keys and state call in keying (derive.c), wired by isakmp_ctx_new:
 * keys I/O and SA state sit under keying and do not name it. */
struct ctx_keying {
    /* secrets files and daemon logs; -2 when the text is neither */
    int (*load_text)(isakmp_ctx *ctx, const char *name, const char *text, size_t len,
                     isakmp_key_error_fn on_error, void *user);
    struct export_store *(*exports)(isakmp_ctx *ctx);   /* what derivation exports */
    void (*sa_drop)(isakmp_ctx *ctx, const uint8_t ispi[8]);   /* an SA is forgotten */
};

struct isakmp_ctx {
    bool no_labels;           /* isakmp_ctx_set_labels(ctx, false) */
    GHashTable *sas;          /* SA state, owned by the state module */
    struct isakmp_keys *keys; /* key store, owned by the key module */
    GHashTable *frames;       /* per-frame decryption results */
    struct kdf_ctx *kdf;      /* secrets, derived keys, export (derive.c); NULL until used */
    GQueue sa_lru;            /* the SAs in ctx->sas, least recently used first (state.c) */
    size_t max_sas;           /* isakmp_ctx_set_sa_limit; 0: no limit */
    bool no_frame_records;    /* isakmp_ctx_set_frame_records(ctx, false) */
    bool borrow;              /* isakmp_ctx_set_borrow: packets are not copied */
    struct field_direction *dir;  /* isakmp_ctx_set_fields; NULL: full trees */
    bool stateless;           /* isakmp_ctx_set_stateless */
    const struct ctx_keying *keying;  /* derivation, for keys/ and state/ */
    /* pending fragment data, all SAs together (state.c; docs/limits.md) */
    size_t frag_budget;       /* isakmp_ctx_set_frag_budget; 0: no limit */
    size_t frag_pending;      /* bytes charged to incomplete fragment sets */
    size_t frag_peak;         /* the most frag_pending was after a fragment */
    uint64_t frag_seq;        /* creation order of fragment sets */
    GQueue frag_age;          /* struct frag_age: the sets, oldest first (some gone) */
    guint frag_live;          /* sets alive */
    uint64_t frag_evicted, frag_evicted_bytes;
    struct esp_table *esp;    /* ESP SAs' state (esp/esp.c); NULL until a packet came */
    struct cert_cache *certs; /* what libksba said of recent certificates (payloads/cert.c) */
};

/* In a stateless context: marks the message as needing state and returns
 * true, and the caller then does nothing with state. */
static inline bool dec_stateless(const dec_t *d)
{
    if (!d->ctx || !d->ctx->stateless)
        return false;
    d->m->needs_state = true;
    return true;
}

/* What field-directed decoding builds and skips (ctx.c): [0] for a context
 * without keys or secrets, [1] with them.  Skip tables are [version][type]:
 * skip the body.  Bodies that hold nothing wanted are still parsed when
 * what they say (their facts) is read: with keys, what IKEv1 decryption
 * learns from clear messages; with secrets, what derivation reads. */
struct field_direction {
    struct {
        uint8_t want[F_COUNT];
        uint8_t unwanted[3][256];   /* the body can hold none of the wanted fields */
        uint8_t skip[3][256];       /* skip the body */
        uint8_t skip_am[2][3][256]; /* without secrets, IKEv1 Aggressive Mode (followed for
                                     * psk-crack lines): [0] the initiator's offer (no
                                     * responder cookie yet), [1] the rest */
        bool want_header;           /* an item of the generic payload header */
    } kind[2];
    uint8_t skip_kdf[3][256];       /* with secrets: every body derivation reads parsed */
};

/* The direction for the next message of ctx (NULL: full trees). */
void ctx_direct(isakmp_ctx *ctx, isakmp_msg *m);
/* True when ctx has IKE keys or secrets: then decoding a message can depend
 * on every message before it (without, only fragments and Aggressive Mode
 * do, and they say so in a stateless context: dec_stateless). */
bool ctx_keyed(const isakmp_ctx *ctx);

/* The same once the message's header h is read: without keys or secrets,
 * IKEv1 Aggressive Mode is followed for psk-crack lines even so
 * (kdf_msg_done), and the bodies derivation reads are parsed for its facts. */
void ctx_direct_header(dec_t *d, const isakmp_fact_header *h);

/* True when an item of the generic payload header (next payload, reserved /
 * critical, length) is to be built; when not, parsers just step over it. */
static inline bool dec_header_wanted(const dec_t *d)
{
    return !d->m->want || d->m->want_payload_header;
}

/* True when the body of a payload of this type (being parsed) can hold a
 * wanted field; when not, it is parsed only for its facts, and work that
 * only builds items (decoding a certificate) is left undone. */
static inline bool dec_body_wanted(const dec_t *d, uint8_t type)
{
    return !d->m->unwanted || d->version < 1 || d->version > 2 ||
           !d->m->unwanted[d->version][type];
}

/* When the body of a payload (or substructure: v2 proposal 2, transform 3)
 * of this type can hold nothing wanted and nothing in it is read, steps the
 * cursor over it and returns true: the body is not parsed. */
static inline bool dec_skip_body(const dec_t *d, uint8_t type, cur_t *body)
{
    if (!d->m->skip || d->version < 1 || d->version > 2 || !d->m->skip[d->version][type])
        return false;
    cur_skip(body, cur_left(body));
    return true;
}

/* The generic header of IKEv1 payloads and of IKEv2 proposal / transform
 * substructures: next payload (its names: vals), a reserved octet, the
 * length; stepped over when none of its items is wanted. */
void dec_plain_header(dec_t *d, uint32_t item, cur_t *h, const isakmp_value_name *vals);

/* ---------------------------------------------------------------- facts */

/* Whether the parsers fill the facts record beyond the header: always,
 * except in a lean context (field-directed without keys), where nothing in
 * the library reads them (but IKEv1 Aggressive Mode, see facts_header). */
static inline bool facts_on(const dec_t *d) { return !d->m->facts_off; }

/* The payload being parsed, for the `payload` of the entries it gives. */
static inline uint32_t facts_cur(const dec_t *d) { return d->m->facts.cur; }

/* The ISAKMP header h (zero past the capture) of the message being decoded. */
void facts_header(dec_t *d, const uint8_t h[28], bool complete);

/* A payload of the chain, `len` bytes at pi->off of data source src, whose
 * body is about to be parsed: it becomes the payload being parsed (its
 * entries' `payload`, the `parent` of payloads in its plaintext) until
 * facts_payload_close gives back the one before (facts_cur). */
void facts_payload_open(dec_t *d, const payload_info *pi, size_t len, uint32_t src);
static inline void facts_payload_close(dec_t *d, uint32_t up) { d->m->facts.cur = up; }

/* The bytes left in c, as a span. */
static inline isakmp_span facts_rest(const cur_t *c)
{
    return facts_span(c->src, cur_off(c), cur_left(c));
}

/* SA substructures, in the order they nest: an SA payload (doi, its body),
 * its proposals, their transforms, their attributes.  The adders fill the
 * indices that tie them together (sa, first_*, n_*, proposal); each _open
 * returns what was open before, for its _close. */
uint32_t facts_sa_open(dec_t *d, uint32_t doi, isakmp_span body);
void facts_sa_close(dec_t *d, uint32_t up);
uint32_t facts_proposal_open(dec_t *d, isakmp_fact_proposal *e);
void facts_proposal_close(dec_t *d, uint32_t up, bool complete);
/* A transform; the attributes that follow (until the next transform or
 * proposal_close) are its own. */
void facts_transform(dec_t *d, isakmp_fact_transform *e);
/* An attribute of the open transform; a key length (RFC 7296 3.3.5 type
 * 14, IKEv1 IKE 14 / IPsec 6 in TV form) also sets the transform's. */
void facts_attr(dec_t *d, const isakmp_fact_attr *e, bool key_length);
/* The Notify entry of the payload being parsed (its last), or NONE. */
uint32_t facts_notify_of(const dec_t *d);

#endif
