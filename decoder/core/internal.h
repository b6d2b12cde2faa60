/*
 * libisakmp internals shared by the decoder's modules: the field ids, the
 * message/tree structures and the builder functions parsers use.
 *
 * Items are kept in one growing array per message and linked by index
 * (0 = none; item 0 is the root).  Parsers refer to items by index while the
 * tree grows; the public API hands out pointers once decoding is over.
 */
#ifndef ISAKMP_INTERNAL_H
#define ISAKMP_INTERNAL_H

#include <glib.h>
#include <stdarg.h>

#include "core/cursor.h"
#include "core/facts_int.h"
#include "core/iana_tables.h"
#include "isakmp/isakmp.h"

/* ---------------------------------------------------------------- field ids */

/* One enum for the whole field table, assembled from the per-concern .def
 * files (FIELD(ID, name, abbrev, type, base, vals, mask, desc)). */
enum {
#define FIELD(id, name, abbrev, type, base, vals, mask, desc) F_##id,
#include "core/fields.def"
#undef FIELD
    F_COUNT
};

/* ---------------------------------------------------------------- the tree */

struct isakmp_item {
    const isakmp_msg *msg;
    uint32_t field;
    uint32_t src;
    uint32_t offset, length;
    uint32_t parent, first_child, last_child, next;
    uint64_t uval;
    const uint8_t *vptr;   /* computed bytes / string (owned by the message) */
    uint32_t vlen;
    const char *label;     /* custom label (owned by the message), or NULL */
    const isakmp_value_name *vals; /* per-item value names (e.g. by IKE version), or NULL */
    bool generated;
};

typedef struct {
    const char *name;      /* owned, except source 0's static "Frame" */
    uint8_t *data;
    size_t len;
    bool secret;           /* plaintext of encrypted data: wiped on free */
} msg_source;

typedef struct {
    uint32_t item;
    isakmp_severity severity;
    isakmp_note_code code;
    char *text;
} msg_note;

struct isakmp_msg {
    GArray *items;         /* struct isakmp_item */
    uint32_t items_cap;    /* elements allocated in items (see tree_add) */
    GArray *sources;       /* msg_source */
    GArray *notes;         /* msg_note */
    GStringChunk *strings;
    isakmp_note *pub_notes;   /* built when decoding ends */
    isakmp_packet pkt;     /* pkt.data points at source 0 */
    int version;
    char *summary;         /* made on first request (msg_make_summary, from the facts' header) */
    bool no_labels;        /* tree_set_label does nothing (batch outputs) */
    const uint8_t *want;   /* per field id: build its items (NULL: every field) */
    const uint8_t (*skip)[256];  /* [version][payload type]: skip the body */
    const uint8_t (*unwanted)[256];  /* [version][payload type]: body holds nothing wanted */
    bool lean;             /* field-directed without keys: no notes, no decryption state */
    bool want_payload_header;  /* field-directed: an item of the generic payload header is wanted */
    bool unordered;        /* items are not stored in tree order (isakmp_msg_walk) */
    bool needs_state;      /* decoded in a stateless context, but needed state */
    struct msg_facts facts;    /* what the message says (isakmp_msg_facts) */
    bool facts_off;        /* lean: only the header goes into the facts (facts_on) */
    const uint8_t (*skip_am)[3][256];  /* lean: Aggressive Mode's skip tables (ctx_direct_header) */
    struct isakmp_item ghost;  /* where writes to items not built go */
    uint8_t *frame_buf;    /* source 0's bytes; kept with the message for reuse */
    size_t frame_cap;
};

/* A new message over a copy of the packet (source 0 "Frame"), with its root. */
isakmp_msg *msg_new(const isakmp_packet *pkt);
/* The same over the caller's bytes, not copied (isakmp_ctx_set_borrow). */
isakmp_msg *msg_new_borrowed(const isakmp_packet *pkt);
/* The one-line summary of a decoded message (caller frees). */
char *msg_make_summary(const isakmp_msg *m);
/* Ends building: puts the notes in tree order for the public API. */
void msg_finish(isakmp_msg *m);

/* Field-directed decoding (isakmp_ctx_set_fields): items of fields not
 * wanted are not built.  tree_add then returns a "ghost" index that stands
 * for the item: children added under it go under its nearest built
 * ancestor, notes go to that ancestor, and tree_set_* on it do nothing.
 * tree_item on a ghost gives a scratch item (its uval is the last one set). */
#define TREE_GHOST 0x80000000u
static inline bool tree_is_ghost(uint32_t item) { return (item & TREE_GHOST) != 0; }
static inline bool tree_wants(const isakmp_msg *m, int field)
{
    return !m->want || m->want[field];
}

/* Adds an item under `parent` located at (src, off, len), built whatever is
 * wanted (payload items, which the decoder reads back); returns its index. */
uint32_t tree_put(isakmp_msg *m, uint32_t parent, int field, uint32_t src, size_t off, size_t len);
/* The same for an item built only when wanted.  (Inline, as tree_item and
 * tree_set_vals are: most calls in a field-directed decode are on ghosts.) */
static inline uint32_t tree_add(isakmp_msg *m, uint32_t parent, int field, uint32_t src,
                                size_t off, size_t len)
{
    parent &= ~TREE_GHOST;   /* under a ghost: under its nearest built ancestor */
    if (!tree_wants(m, field))
        return TREE_GHOST | parent;
    return tree_put(m, parent, field, src, off, len);
}

/* Adds an integer item; bitmask fields get (raw & mask) >> shift. */
uint32_t tree_add_uint(isakmp_msg *m, uint32_t parent, int field, uint32_t src,
                       size_t off, size_t len, uint64_t raw);

/* Adds an item whose value is computed bytes (copied into the message). */
uint32_t tree_add_computed(isakmp_msg *m, uint32_t parent, int field, uint32_t src,
                           size_t off, size_t len, const void *bytes, size_t n);

/* Adds a string item whose value is the static string `s` (not copied). */
uint32_t tree_add_static(isakmp_msg *m, uint32_t parent, int field, uint32_t src,
                         size_t off, size_t len, const char *s);

/* Adds a string item whose value is `s` (copied), not the wire bytes. */
uint32_t tree_add_string(isakmp_msg *m, uint32_t parent, int field, uint32_t src,
                         size_t off, size_t len, const char *s);

void tree_set_label_(isakmp_msg *m, uint32_t item, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
/* Sets an item's label; the arguments (often value-name lookups) are not
 * even evaluated when labels are off or the item is not built. */
#define tree_set_label(m, item, ...)                                                   \
    do {                                                                               \
        if (!(m)->no_labels && !tree_is_ghost(item))                                   \
            tree_set_label_((m), (item), __VA_ARGS__);                                 \
    } while (0)
void tree_set_generated(isakmp_msg *m, uint32_t item);
/* The item, or the scratch item for a ghost. */
static inline struct isakmp_item *tree_item(isakmp_msg *m, uint32_t item)
{
    if (tree_is_ghost(item))
        return &m->ghost;
    return &g_array_index(m->items, struct isakmp_item, item);
}
/* Value names for this item only, where they depend on context (IKE version). */
static inline void tree_set_vals(isakmp_msg *m, uint32_t item, const isakmp_value_name *vals)
{
    tree_item(m, item)->vals = vals;
}
void tree_set_length(isakmp_msg *m, uint32_t item, size_t len);

/* Attaches a note to an item. */
void tree_note(isakmp_msg *m, uint32_t item, isakmp_severity sev, isakmp_note_code code,
               const char *fmt, ...) G_GNUC_PRINTF(5, 6);

/* Adds a data source (copying `data`); returns its index. */
uint32_t msg_add_source(isakmp_msg *m, const char *name, const uint8_t *data, size_t len,
                        bool secret);

/* Copies a string into the message's string store. */
const char *msg_strdup(isakmp_msg *m, const char *s);

/* ---------------------------------------------------------------- decoding */

#define ISAKMP_MAX_DEPTH 4          /* nested SK / encrypted / reassembled levels */
#define ISAKMP_MAX_PAYLOADS 65536   /* per message; a note when reached */
#define ISAKMP_MAX_ATTRS 65536      /* per transform / CP payload */

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

/* Reports the cursor's error, if any, as a note on item; returns !error. */
bool dec_check(dec_t *d, uint32_t item, const cur_t *c, const char *what);

/* Reports bytes left in a closed child cursor as trailing data. */
void dec_trailing(dec_t *d, uint32_t item, const cur_t *c, const char *what);

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
