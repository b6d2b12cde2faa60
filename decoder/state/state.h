/*
 * State kept across messages (state.c): per SA (keyed by the initiator SPI /
 * cookie) what clear messages negotiated, the IKEv1 IV chains and fragments
 * waiting for reassembly; per frame what decryption found on the first pass,
 * so that decoding a frame again (in any order) gives the same tree.
 *
 * Memory is bounded (docs/limits.md): at most ctx->max_sas SAs are kept
 * (least recently used first out, with a LIMIT note on the message that
 * made room); an SA takes along what derive*.c kept for it.  Per SA, at
 * most STATE_MAX_XCHG exchanges (IV chains, key-derivation data) and a few
 * fragment sets.  Per-frame records are optional (isakmp_ctx_set_frame_records):
 * a single pass over a capture needs none.
 *
 * Ownership: the context's tables own everything here; secrets (plaintext
 * kept for reassembly) are in secure memory and wiped on free.  IKEv1
 * fragments are wire bytes (ciphertext, or a clear message): plain memory.
 */
#ifndef ISAKMP_STATE_H
#define ISAKMP_STATE_H

#include "core/internal.h"
#include "core/secure.h"

/* IKEv1 IV chain of one exchange (RFC 2409 Appendix B): `iv` is what the
 * next message uses; `before` what the last decrypted message used, so a
 * retransmission of it can be decrypted again. */
typedef struct {
    uint8_t iv[16], before[16];
    uint8_t last_in[16];      /* last ciphertext block of the last message */
    bool have_before;
    uint32_t age;             /* creation order within the SA (state_trim) */
} v1_ivs;

/* A set of fragments of one message (RFC 7383, or IKEv1 payload 132). */
typedef struct {
    isakmp_ctx *ctx;          /* whose budget it is charged to (state_frag_budget) */
    uint64_t seq;             /* creation order in the context */
    size_t charged;           /* bytes charged to ctx->frag_pending */
    uint16_t total;           /* 0 while the last fragment is unknown (IKEv1) */
    uint8_t first_payload;    /* from fragment 1 (IKEv2) */
    GPtrArray *parts;         /* frag_part, indexed by number - 1 (NULL = missing) */
    size_t bytes;             /* sum of the parts' lengths */
    bool done;
} frag_set;

typedef struct {
    uint32_t frame, tag;
    secret_t data;
} frag_part;

/* IKEv1 fragment sets (payload 132, ikev1_frag.c) are kept apart from the
 * IKEv2 ones: a short array per SA, oldest first, searched by a fixed-size
 * key, so that a fragment costs no key allocation or hashing. */
typedef struct {
    uint8_t rspi[8];          /* responder cookie */
    uint8_t src[16];          /* sender address */
    uint8_t sport[2], id[2];  /* sender port, fragment ID (network order) */
} v1_frag_key;                /* only bytes: no padding, compared with memcmp */

typedef struct {
    uint32_t frame, tag;      /* where the fragment came from (FR_FRAGMENT record) */
    uint32_t off, len;        /* its bytes in the set's buffer */
} v1_frag_part;

typedef struct {
    v1_frag_key key;
    isakmp_ctx *ctx;          /* as in frag_set */
    uint64_t seq;
    size_t charged;
    uint8_t total;            /* number of the last fragment, 0 while unknown */
    uint8_t top;              /* highest number held */
    uint8_t held;             /* how many parts are held */
    uint8_t parts_cap;
    uint64_t have;            /* bit n - 1: part n is held (numbers go to 64) */
    v1_frag_part *parts;      /* indexed by number - 1, valid where `have` says */
    uint8_t *buf;             /* the parts' bytes, in arrival order */
    size_t bytes, cap;        /* used and allocated bytes of buf */
} v1_frag_set;

typedef struct {
    v1_frag_set *sets;        /* oldest first */
    guint len, cap;
} v1_frag_list;

/* Pending fragment data of a context, all SAs together
 * (isakmp_ctx_set_frag_budget): the default, and the smallest budget, which
 * holds two sets of the largest size (64 KiB each) and their parts. */
#define STATE_DEFAULT_FRAG_BUDGET (8u << 20)
#define STATE_MIN_FRAG_BUDGET (256u << 10)
/* What a set costs besides its bytes: its structures, its key, its entry in
 * ctx->frag_age.  Charged for every set, so empty sets count too. */
#define STATE_FRAG_SET_COST 256

/* Default SA table size (isakmp_ctx_set_sa_limit), and the smallest one:
 * the SA of the message being decoded and the one a reassembled message
 * inside it names must both stay. */
#define STATE_DEFAULT_MAX_SAS 4096
#define STATE_MIN_MAX_SAS 2
/* Exchanges (message ids) remembered per SA: IKEv1 IV chains here, Quick
 * Mode / CREATE_CHILD_SA data in derive*.c; the oldest goes first. */
#define STATE_MAX_XCHG 32

struct isakmp_state {
    GList lru;                /* link in ctx->sa_lru (data = this) */
    isakmp_ctx *ctx;
    uint32_t ages;            /* counter for v1_ivs.age */
    uint8_t ispi[8];
    isakmp_sa_facts rec;      /* what the SA's messages negotiated (sa_facts.c) */
    GByteArray *ke_i, *ke_r;  /* IKEv1 Phase 1 g^xi, g^xr (the first IV) */
    uint32_t ke_i_frame;
    uint8_t p1_last[16];      /* last Phase 1 ciphertext block */
    bool p1_last_set;
    GHashTable *v1_chains;    /* msgid -> v1_ivs; NULL until state_sa_chains */
    GHashTable *frags;        /* GBytes(fragment key) -> frag_set (IKEv2); NULL until
                               * state_sa_frags */
    v1_frag_list v1_frags;    /* IKEv1 fragment sets (ikev1_frag.c) */
};

/* What a frame's decryption found, per message in the frame (`tag`). */
typedef enum { FR_V1_IV = 1, FR_REASSEMBLED, FR_FRAGMENT } frame_kind;

typedef struct {
    uint32_t tag;
    frame_kind kind;
    uint8_t iv[16];           /* FR_V1_IV: the IV that decrypted it */
    uint8_t iv_len;
    secret_t plain;           /* FR_REASSEMBLED: the reassembled plaintext */
    uint8_t first_payload;
    GArray *parts;            /* FR_REASSEMBLED: frag_ref */
    uint32_t reassembled_in;  /* FR_FRAGMENT: the frame that completed it (0: none yet) */
} frame_rec;

typedef struct {
    uint32_t frame;
    uint32_t len;
} frag_ref;

/* Sets up / frees the context's SA table (ctx->sas, ctx->sa_lru). */
void state_ctx_init(isakmp_ctx *ctx);
void state_ctx_free(isakmp_ctx *ctx);

/* The SA state for ispi, created when missing (never NULL); either way it
 * becomes the most recently used.  Creating it when the table is full drops
 * the least recently used SA (with what derive*.c kept for it) and adds a
 * LIMIT note to d's message. */
struct isakmp_state *state_sa(dec_t *d, const uint8_t ispi[8]);
/* The SA's IV chains (msgid -> v1_ivs) and IKEv2 fragment sets, made on
 * first use. */
GHashTable *state_sa_chains(struct isakmp_state *sa);
GHashTable *state_sa_frags(struct isakmp_state *sa);

/* The same, but making room drops the oldest SA without a note: for state
 * that nothing decrypting depends on (sa_facts.c, in a context without keys). */
struct isakmp_state *state_sa_quiet(dec_t *d, const uint8_t ispi[8]);

/* The SA state for ispi, or NULL; does not change the LRU order. */
struct isakmp_state *state_sa_find(const isakmp_ctx *ctx, const uint8_t ispi[8]);

/* Folds the message's facts into its SA's record (sa_facts.c); `quiet`:
 * the SA state may be made with state_sa_quiet. */
void state_fold(dec_t *d, bool quiet);

/* The SA's IKE policy to use: the chosen one, else the offered one, else NULL. */
const isakmp_sa_policy *state_policy(const struct isakmp_state *sa);

/* Drops SAs beyond ctx->max_sas, least recently used first; returns how many. */
size_t state_shrink(isakmp_ctx *ctx, size_t room);

/* Removes from t (integer keys) the value with the smallest age while t
 * holds `max` or more, except the one at key `keep`; age_of reads a value's age. */
void state_trim(GHashTable *t, guint max, gconstpointer keep, uint32_t (*age_of)(gconstpointer));

/* Frees one per-frame record list (the ctx->frames value destructor). */
void state_frame_free(gpointer p);

/* The record of kind `kind` for message `tag` of `frame`, or NULL; with
 * create, a new empty one.  Frame 0 (unknown) has no records. */
frame_rec *state_frame(isakmp_ctx *ctx, uint32_t frame, uint32_t tag, frame_kind kind,
                       bool create);

/* A tag that tells the messages of one frame apart (FNV-1a of the bytes). */
uint32_t state_tag(const uint8_t *p, size_t n);
/* The tag of the message being decoded (0 when frame records are off). */
uint32_t state_msg_tag(const dec_t *d);

/* The IV chain for msgid, created zeroed when missing. */
v1_ivs *state_v1_chain(struct isakmp_state *sa, uint32_t msgid, bool *created);

/* The fragment set for key (bytes), created when missing. */
frag_set *state_frags(struct isakmp_state *sa, const void *key, size_t key_len);
void frag_set_reset(frag_set *s);

/* Charges a set's present size (its parts and buffers) to its context's
 * pending fragment bytes. */
void state_frag_charge(frag_set *s);
void state_v1_frag_charge(v1_frag_set *s);

/* Keeps the context's pending fragment bytes within its budget: drops the
 * oldest incomplete sets of any SA (never the one of creation number
 * `keep`), each with a LIMIT note on `item` and counted.  Called after a
 * set was made or grew.  May move IKEv1 sets of the SA in memory: look a
 * v1_frag_set up again after it. */
void state_frag_budget(dec_t *d, uint32_t item, uint64_t keep);

/* Makes room for one more incomplete fragment set in the SA's table: when
 * `max_sets` sets whose keys are `key_len` long are pending, one of them is
 * dropped with a note on `item`.  (Only IKEv2 sets are in the table now;
 * IKEv1 ones are in v1_frags.) */
void state_frag_evict(dec_t *d, uint32_t item, struct isakmp_state *sa, size_t key_len,
                      guint max_sets);

/* The IKEv1 fragment set with key k, created (empty, newest) when missing;
 * when `max_sets` sets are pending, the oldest one is dropped first, with
 * the same note as state_frag_evict on `item`. */
v1_frag_set *state_v1_frag_set(dec_t *d, uint32_t item, struct isakmp_state *sa,
                               const v1_frag_key *k, guint max_sets);

/* Takes set s out of the SA's list into *out (the caller frees it with
 * state_v1_frag_free): the list no longer knows it. */
void state_v1_frag_take(struct isakmp_state *sa, v1_frag_set *s, v1_frag_set *out);
void state_v1_frag_free(v1_frag_set *s);

#endif
