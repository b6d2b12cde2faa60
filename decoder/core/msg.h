/*
 * The message and its tree (msg.c, notes.c): the field ids, the item and
 * message structures, and the builder functions parsers use.
 *
 * Items are kept in one growing array per message and linked by index
 * (0 = none; item 0 is the root).  Parsers refer to items by index while the
 * tree grows; the public API hands out pointers once decoding is over.
 */
#ifndef ISAKMP_MSG_H
#define ISAKMP_MSG_H

#include <glib.h>
#include <stdarg.h>

#include "core/facts_int.h"
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
    const char *name;      /* static: "Frame", "Decrypted IKE", ... */
    uint8_t *data;
    size_t len;
    bool secret;           /* plaintext of encrypted data: wiped on free */
    bool secure;           /* data made by secure_alloc (msg_take_source) */
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
/* Sets an item's label to a text that lives as long as the program (not
 * copied). */
void tree_set_label_static(isakmp_msg *m, uint32_t item, const char *label);
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

/* Adds a data source (copying `data`; `name`, not copied, is a string that
 * lives as long as the program); returns its index. */
uint32_t msg_add_source(isakmp_msg *m, const char *name, const uint8_t *data, size_t len,
                        bool secret);
/* The same for secret data made by crypto_secure_alloc (decrypted
 * plaintext), which the message takes instead of a copy: wiped and freed
 * with it.  (A copy, a name copy and their frees were a tenth of the
 * allocations of decoding with keys.) */
uint32_t msg_take_source(isakmp_msg *m, const char *name, uint8_t *data, size_t len);

/* Copies a string into the message's string store. */
const char *msg_strdup(isakmp_msg *m, const char *s);

#endif
