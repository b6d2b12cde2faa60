/*
 * libisakmp: a decoder for ISAKMP / IKEv1 (RFC 2408, 2409) and IKEv2 (RFC 7296).
 *
 * Conventions, stated once for the whole API:
 *
 * Ownership.  The caller owns every isakmp_ctx and every isakmp_msg it gets
 *   from this library and frees them with isakmp_ctx_free / isakmp_msg_free.
 *   A message owns its items, data sources, notes and strings; pointers
 *   returned by accessors (items, source bytes, names, note texts) stay valid
 *   until the message is freed.  Field and value-name tables are static.
 *   Packet bytes passed to isakmp_decode are copied; the caller may reuse the
 *   buffer as soon as the call returns (unless isakmp_ctx_set_borrow says
 *   otherwise).
 *
 * Errors.  Decoding never aborts and never fails as a whole: malformed or
 *   truncated input yields the items that were readable plus notes
 *   (isakmp_note) attached to the offending items.  Functions that can fail
 *   for reasons outside the packet (files, memory) return a negative value or
 *   NULL and, where they take a GError-free `err` buffer, describe why.
 *
 * Threading.  A context and its messages are used by one thread at a time.
 *   Different contexts are independent.  The static tables are read-only and
 *   may be shared freely.  Each thread keeps the last message it freed, for
 *   its next one; that memory is released when the thread exits.
 *
 * Secrets.  Keys and secrets loaded into a context are kept in libgcrypt's
 *   secure memory where available and wiped when the context is freed.
 */
#ifndef ISAKMP_ISAKMP_H
#define ISAKMP_ISAKMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ISAKMP_VERSION_STRING "0.1.0"

/* Marks the API: the shared library exports these functions and nothing
 * else (the library is compiled with hidden visibility by default). */
#if defined(__GNUC__) || defined(__clang__)
#define ISAKMP_API __attribute__((visibility("default")))
#else
#define ISAKMP_API
#endif

/* ---------------------------------------------------------------- fields */

/* Field types; they mirror Wireshark's FT_* of the same name. */
typedef enum {
    ISAKMP_FT_NONE,    /* a label or subtree head; no value */
    ISAKMP_FT_UINT8,
    ISAKMP_FT_UINT16,
    ISAKMP_FT_UINT24,
    ISAKMP_FT_UINT32,
    ISAKMP_FT_UINT64,
    ISAKMP_FT_BOOLEAN,
    ISAKMP_FT_BYTES,
    ISAKMP_FT_STRING,
    ISAKMP_FT_IPV4,
    ISAKMP_FT_IPV6,
    ISAKMP_FT_FRAMENUM
} isakmp_ftype;

/* Display bases; they mirror Wireshark's BASE_*. For booleans the base is
 * the width in bits of the containing field (0 when it stands alone). */
typedef enum {
    ISAKMP_BASE_NONE = 0,
    ISAKMP_BASE_DEC = 1,
    ISAKMP_BASE_HEX = 2,
    ISAKMP_BASE_DEC_HEX = 3,
    ISAKMP_BASE_HEX_DEC = 4
} isakmp_base;

/* One row of a value-name table: values lo..hi (inclusive) are called name.
 * Tables end with a row whose name is NULL. */
typedef struct {
    uint32_t lo, hi;
    const char *name;
} isakmp_value_name;

/* One field: the single source of every name the outputs and the plugin use. */
typedef struct {
    int id;                          /* index in the table */
    const char *name;                /* display name, e.g. "Initiator SPI" */
    const char *abbrev;              /* filter name, e.g. "ike.ispi" */
    isakmp_ftype type;
    int base;                        /* isakmp_base, or bit width for booleans */
    const isakmp_value_name *vals;   /* NULL when the value has no names */
    uint64_t bitmask;                /* 0 when the field is the whole value */
    const char *desc;                /* one-line description */
} isakmp_field;

/* The field table and its size.  Never NULL. */
ISAKMP_API const isakmp_field *isakmp_fields(size_t *count);

/* The field with filter name `abbrev`, or NULL. */
ISAKMP_API const isakmp_field *isakmp_field_by_abbrev(const char *abbrev);

/* The name of `value` in `vals`, or NULL when it has none (or vals is NULL). */
ISAKMP_API const char *isakmp_value_lookup(const isakmp_value_name *vals, uint32_t value);

/* ---------------------------------------------------------------- input */

/* One captured ISAKMP message as the transport delivered it. */
typedef struct {
    const uint8_t *data;   /* the ISAKMP message (after any non-ESP marker / TCP length) */
    size_t len;            /* bytes captured */
    uint32_t frame;        /* frame number, from 1; keys per-frame state */
    int64_t ts_sec;        /* capture time */
    int32_t ts_usec;
    int af;                /* 4 or 6; 0 when unknown */
    uint8_t src[16], dst[16];
    uint16_t sport, dport;
    bool tcp;              /* carried in an RFC 8229 TCP stream */
} isakmp_packet;

/* ---------------------------------------------------------------- context */

typedef struct isakmp_ctx isakmp_ctx;

/* A new decoding context (SA state, keys).  Returns NULL only when out of memory. */
ISAKMP_API isakmp_ctx *isakmp_ctx_new(void);

/* Frees the context, wiping every secret it holds.  NULL is allowed. */
ISAKMP_API void isakmp_ctx_free(isakmp_ctx *ctx);

/* Labels are the human-readable lines of items (like Wireshark's tree text,
 * e.g. "Type Payload: Nonce (40)"); formatting them is a large part of the
 * decoding time.  Outputs that print only values (tshark-style fields, the
 * policy report) switch them off; isakmp_item_label then returns NULL.  On by
 * default; applies to messages decoded afterwards. */
ISAKMP_API void isakmp_ctx_set_labels(isakmp_ctx *ctx, bool on);

/* The most SAs (IKE SAs / ISAKMP SAs, by initiator SPI or cookie) whose
 * decoding state the context keeps: what clear messages negotiated, IV
 * chains, pending fragments, key-derivation data.  When a new SA needs room,
 * the least recently used one is dropped and the message that made room gets
 * an ISAKMP_NOTE_LIMIT note; later messages of a dropped SA decrypt only
 * where keys alone suffice.  Default 4096 (docs/limits.md); 0 means no
 * limit; values 1 .. 2 mean 2.  Applies at once (extra SAs are dropped). */
ISAKMP_API void isakmp_ctx_set_sa_limit(isakmp_ctx *ctx, size_t max_sas);

/* The most bytes that fragments of messages not yet complete (IKEv1
 * fragments, payload 132, and IKEv2 SKF, RFC 7383) may hold in the context,
 * all SAs together, each set charged its bytes and buffers plus 256.  When a
 * fragment takes the total over it, the oldest incomplete sets of any SA are
 * dropped (each with an ISAKMP_NOTE_LIMIT note, counted in
 * isakmp_ctx_frag_stats).  Default 8 MiB (docs/limits.md); 0 means no
 * limit; values below 256 KiB mean 256 KiB.  Applies from the next fragment. */
ISAKMP_API void isakmp_ctx_set_frag_budget(isakmp_ctx *ctx, size_t bytes);

/* What the fragment budget did in the context so far. */
typedef struct {
    uint64_t pending_bytes;   /* charged to incomplete sets now */
    uint64_t peak_bytes;      /* the most that was charged after a fragment */
    uint64_t evicted_sets;    /* incomplete sets dropped to stay within the budget */
    uint64_t evicted_bytes;   /* what they were charged */
} isakmp_frag_stats;
ISAKMP_API void isakmp_ctx_frag_stats(const isakmp_ctx *ctx, isakmp_frag_stats *out);

/* Field-directed decoding: messages decoded afterwards hold only the items
 * of these fields (isakmp_field.id), plus the few the decoder reads back
 * itself (payload items among them); every payload is still parsed, checked
 * and decrypted, only the items nobody will read are not built, which makes
 * decoding several times faster for outputs that print a few fields
 * (isakmpdump -T fields).  Payload bodies that can hold none of the
 * wanted fields are not parsed at all (with keys or secrets loaded, those
 * whose facts decryption and key derivation read are), and, unless keys or
 * secrets are loaded, the facts record holds only the header
 * (isakmp_msg_facts), no notes are made and nothing is kept from clear
 * IKEv1 messages for later decryption (load keys before decoding).  An item whose parent
 * was not built hangs under its nearest built ancestor; the values of each
 * wanted field come in the same order as in a full tree.  ids == NULL
 * (the default) builds every item; n == 0 with ids set builds only the
 * decoder's own.  Returns -1 (and changes nothing) when an id is out of
 * range. */
ISAKMP_API int isakmp_ctx_set_fields(isakmp_ctx *ctx, const int *ids, size_t n);

/* Borrowed packets: messages decoded afterwards read the caller's packet
 * bytes in place instead of copying them (the "Frame" data source and
 * isakmp_msg_packet point at them); the caller keeps those bytes unchanged
 * until each such message is freed.  Off by default; batch tools that free
 * every message before touching its packet again save a copy per message. */
ISAKMP_API void isakmp_ctx_set_borrow(isakmp_ctx *ctx, bool on);

/* Per-frame records (what decryption found on a frame's first decoding) make
 * decoding a frame again give the same tree, in any order; they cost memory
 * per decrypted or fragmented message.  On by default; a program that
 * decodes each frame once, in order (isakmpdump), switches them off to stream
 * in bounded memory.  Switching them off drops those kept so far. */
ISAKMP_API void isakmp_ctx_set_frame_records(isakmp_ctx *ctx, bool on);

/* Stateless decoding, for batch tools that decode on several threads: the
 * context keeps nothing between messages and uses nothing kept (no SA
 * records either: isakmp_ctx_sa_facts).  A message that would need to (an
 * IKEv1 fragment to collect, Aggressive Mode followed for key export) is
 * decoded without that and says so (isakmp_msg_needs_state); the tool then
 * decodes it again, in order, in a context with state, and tells that
 * context of each message it did not decode (isakmp_ctx_seen), in order.
 * Only a context without keys or secrets can do without state: in one with
 * them, every message needs it (and is decoded with it).  Off by default. */
ISAKMP_API void isakmp_ctx_set_stateless(isakmp_ctx *ctx, bool on);

/* Tells a context with state, in capture order, of a message that another
 * context decoded (a stateless one, which did not need state; or, with key
 * tables, the context of another partition of the SAs): the SA table
 * changes as if ctx had decoded it (its SA made, or made the most recent;
 * the least recent dropped when the table is full), so that the messages
 * ctx decodes itself meet the same table, and get the same notes, as with
 * one context.  Nothing else is kept (no SA record, no keys). */
ISAKMP_API void isakmp_ctx_seen(isakmp_ctx *ctx, const isakmp_packet *pkt);

/* False when isakmp_ctx_seen has nothing to do for ctx now (a stateless
 * context; a field-directed one without keys or secrets keeps no SA table
 * that decoding reads), so that a tool can leave out the calls. */
ISAKMP_API bool isakmp_ctx_folds_seen(const isakmp_ctx *ctx);

/* Callback for problems found while loading keys: `where` is "file:line",
 * `reason` a sentence.  Loading goes on after each call.  A reason that
 * starts with ISAKMP_KEY_NOTE is not a problem but information (the file
 * was valid and held no keys, or what it gave is limited): say it, do not
 * count it as an error. */
typedef void (*isakmp_key_error_fn)(void *user, const char *where, const char *reason);
#define ISAKMP_KEY_NOTE "note: "

/* Loads keys or secrets from `path`; the format is detected from the content
 * (Wireshark ikev1/ikev2 decryption tables, esp_sa, the libisakmp secrets
 * format, daemon logs).  Returns the number of entries loaded, or -1 when the
 * file cannot be read (reason via on_error with line 0).  Bad lines are reported
 * through on_error (may be NULL) and skipped, in line order, on the calling
 * thread.  A Wireshark table of 4,096 lines or more is parsed on up to four
 * threads started and joined within the call; its entries are stored in
 * line order all the same. */
ISAKMP_API int isakmp_ctx_load_keys(isakmp_ctx *ctx, const char *path,
                                    isakmp_key_error_fn on_error, void *user);

/* Same as isakmp_ctx_load_keys, from memory; `name` is used in error locations. */
ISAKMP_API int isakmp_ctx_load_keys_mem(isakmp_ctx *ctx, const char *name, const char *text,
                                        size_t len, isakmp_key_error_fn on_error, void *user);

/* What each load (isakmp_ctx_load_keys / _mem, one per call, in order) took.
 * A file compressed with gzip, xz or zstd is loaded as its content.  When
 * nothing usable was taken, `note` says why and what to do (on_error had it
 * only when the file could not be read); daemon logs also give a note when
 * keys were found but the log does not say which SA they belong to.
 * Strings live as long as ctx. */
typedef struct {
    const char *name;        /* as given */
    const char *format;      /* "ikev1_decryption_table", "ikev2_decryption_table", "esp_sa",
                                "secrets file", "charon log", "pluto log"; NULL: unknown */
    unsigned entries;        /* keys and secrets taken */
    /* secrets files and daemon logs, by kind (psk: PSKs and EAP passwords) */
    unsigned dh, skeyseed, skeyid, ike_keys, child_dh, psk, esp;
    unsigned tied;           /* daemon logs: IKE secrets the log ties to an SA (its SPIs) */
    unsigned candidates;     /* ... and those it does not: tried against every SA */
    unsigned confirmed;      /* secrets an ICV or HASH confirmed while decoding, so far */
    const char *note;        /* NULL, or why little or nothing was taken */
} isakmp_key_source;

ISAKMP_API size_t isakmp_ctx_key_source_count(const isakmp_ctx *ctx);
/* Copies source i into *out; false when there is no such source. */
ISAKMP_API bool isakmp_ctx_key_source(const isakmp_ctx *ctx, size_t i, isakmp_key_source *out);

/* Gives ctx, which has loaded nothing yet, the keys `from` holds (its
 * tables and ESP SAs, and a copy of its key sources) without copying them:
 * one parsed copy of a large table serves every context, on any thread,
 * each used by one thread at a time.  What is shared never changes: a
 * context that adds a key later (one it derives, a file it loads) takes its
 * own copy first.  Secrets for derivation (secrets files, daemon logs) are
 * not shared: load those into each context.  Either context may be freed
 * first.  Returns 0, or -1 (nothing done) when ctx already has keys,
 * sources or secrets, or is `from`. */
ISAKMP_API int isakmp_ctx_share_keys(isakmp_ctx *ctx, const isakmp_ctx *from);

/* ---------------------------------------------------------------- messages */

typedef struct isakmp_msg isakmp_msg;
typedef struct isakmp_item isakmp_item;

/* Decodes one message with the SA state and keys of `ctx` (not NULL).
 * Never returns NULL (except when out of memory): bad
 * input gives a tree with notes.  Decoding the same frame again returns the
 * same tree (decryption state is kept per frame). */
ISAKMP_API isakmp_msg *isakmp_decode(isakmp_ctx *ctx, const isakmp_packet *pkt);

/* Frees a message and everything it owns.  NULL is allowed. */
ISAKMP_API void isakmp_msg_free(isakmp_msg *msg);

/* Calls fn for every item of the message in tree order (pre-order: an item
 * before its children, siblings in order), the root first.  The cheapest
 * way to visit a whole tree. */
typedef void (*isakmp_walk_fn)(const isakmp_item *it, void *user);
ISAKMP_API void isakmp_msg_walk(const isakmp_msg *msg, isakmp_walk_fn fn, void *user);

/* The root item (the "Internet Security Association and Key Management
 * Protocol" node); its children are the header fields and the payloads. */
ISAKMP_API const isakmp_item *isakmp_msg_root(const isakmp_msg *msg);

/* IKE major version of the message (1 or 2), 0 when unknown. */
ISAKMP_API int isakmp_msg_version(const isakmp_msg *msg);

/* True when the message was decoded in a stateless context but needed state
 * (isakmp_ctx_set_stateless): its tree lacks what state would have given,
 * and where the header showed it (IKEv1 Aggressive Mode, a context with
 * keys) it holds the header only.  Decode it again with state. */
ISAKMP_API bool isakmp_msg_needs_state(const isakmp_msg *msg);

/* The packet metadata the message was decoded from (data points into the
 * message's own copy). */
ISAKMP_API const isakmp_packet *isakmp_msg_packet(const isakmp_msg *msg);

/* A one-line summary like tshark's Info column, e.g.
 * "IKE_SA_INIT MID=0x00000000 Initiator Request" (IKEv2),
 * "Identity Protection (Main Mode) MID=0x00000000" (IKEv1): the message ID
 * as 0x%08x for both versions, as isakmpdump's summary line starts.  Owned
 * by the message. */
ISAKMP_API const char *isakmp_msg_summary(const isakmp_msg *msg);

/* Data sources: 0 is the message as captured; decrypted and reassembled
 * plaintext get their own.  Count, name ("Frame", "Decrypted IKE",
 * "Reassembled IKE") and bytes. */
ISAKMP_API size_t isakmp_msg_source_count(const isakmp_msg *msg);
ISAKMP_API const char *isakmp_msg_source_name(const isakmp_msg *msg, size_t src);
ISAKMP_API const uint8_t *isakmp_msg_source_data(const isakmp_msg *msg, size_t src, size_t *len);

/* ---------------------------------------------------------------- items */

/* Tree navigation; NULL at the ends. */
ISAKMP_API const isakmp_item *isakmp_item_first_child(const isakmp_item *it);
ISAKMP_API const isakmp_item *isakmp_item_next(const isakmp_item *it);
ISAKMP_API const isakmp_item *isakmp_item_parent(const isakmp_item *it);

/* The item's field. */
ISAKMP_API const isakmp_field *isakmp_item_field(const isakmp_item *it);

/* Location: data source index, byte offset and length within that source. */
ISAKMP_API size_t isakmp_item_source(const isakmp_item *it);
ISAKMP_API size_t isakmp_item_offset(const isakmp_item *it);
ISAKMP_API size_t isakmp_item_length(const isakmp_item *it);

/* The integer value of UINT*, BOOLEAN and FRAMENUM items (already masked and
 * shifted for bitmask fields); 0 for others. */
ISAKMP_API uint64_t isakmp_item_uint(const isakmp_item *it);

/* The bytes of BYTES, STRING, IPV4 and IPV6 items (len in *len); for most
 * items these are the wire bytes at the item's location, for computed items
 * (e.g. a recomputed hash) the computed bytes. */
ISAKMP_API const uint8_t *isakmp_item_bytes(const isakmp_item *it, size_t *len);

/* The name of the item's integer value (from the field's value names, or
 * names that depend on the message, e.g. its IKE version), or NULL. */
ISAKMP_API const char *isakmp_item_value_name(const isakmp_item *it);

/* A custom label for the item, or NULL to use "Name: value". */
ISAKMP_API const char *isakmp_item_label(const isakmp_item *it);

/* True for items generated by the decoder (not wire bytes: verify results,
 * names looked up, computed values); Wireshark shows these in brackets. */
ISAKMP_API bool isakmp_item_generated(const isakmp_item *it);

/* Formats the plain value: decimal, 0x%0Nx for hex bases, lowercase hex
 * bytes, 1/0 booleans, strings as on the wire up to their first NUL (not
 * escaped).  Returns the length written (snprintf semantics: may exceed
 * `size`). */
ISAKMP_API size_t isakmp_item_format_value(const isakmp_item *it, char *buf, size_t size);

/* The tshark whose `-T fields` output isakmp_item_format_tshark copies. */
typedef enum {
    ISAKMP_TSHARK_CURRENT,   /* tshark 4.2 to 4.6: booleans True/False; in
                              * strings \a \b \t \n \v \f \r and \\ */
    ISAKMP_TSHARK_4_0        /* tshark 4.0: booleans 1/0; in strings only
                              * \b \t \n \f \r, a backslash as it is */
} isakmp_tshark_style;

/* Formats the value exactly as that tshark's `-T fields` prints the matching
 * isakmp.* field: as isakmp_item_format_value, but booleans and strings in
 * the style's form, and every string byte above 0x7f as U+FFFD (Wireshark
 * reads ISAKMP strings as ASCII).  Returns the length written (snprintf
 * semantics: may exceed `size`; a string is only cut between characters). */
ISAKMP_API size_t isakmp_item_format_tshark(const isakmp_item *it, isakmp_tshark_style style,
                                            char *buf, size_t size);

/* Formats the value for humans: "value (name)" when the value has a name. */
ISAKMP_API size_t isakmp_item_format_display(const isakmp_item *it, char *buf, size_t size);

/* ---------------------------------------------------------------- notes */

typedef enum {
    ISAKMP_SEV_CHAT,     /* informational */
    ISAKMP_SEV_NOTE,
    ISAKMP_SEV_WARN,     /* protocol oddity, verification failure */
    ISAKMP_SEV_ERROR     /* malformed or truncated input */
} isakmp_severity;

typedef enum {
    ISAKMP_NOTE_MALFORMED = 1,   /* a length or value lies about the message */
    ISAKMP_NOTE_TRUNCATED,       /* fewer bytes captured than the message says */
    ISAKMP_NOTE_TRAILING,        /* bytes left over after a structure */
    ISAKMP_NOTE_UNKNOWN,         /* unknown type or value */
    ISAKMP_NOTE_LIMIT,           /* a resource bound was reached */
    ISAKMP_NOTE_DECRYPT,         /* decryption not possible or failed */
    ISAKMP_NOTE_VERIFY,          /* hash / ICV / AUTH mismatch */
    ISAKMP_NOTE_INFO             /* anything else worth saying */
} isakmp_note_code;

typedef struct {
    const isakmp_item *item;
    isakmp_severity severity;
    isakmp_note_code code;
    const char *text;
} isakmp_note;

/* Notes of the message in tree order of their items; count in *count. */
ISAKMP_API const isakmp_note *isakmp_msg_notes(const isakmp_msg *msg, size_t *count);

/* Severity / code names for output ("error", "malformed", ...). */
ISAKMP_API const char *isakmp_severity_name(isakmp_severity s);
ISAKMP_API const char *isakmp_note_code_name(isakmp_note_code c);

/* ---------------------------------------------------------------- keys out */

/* One ESP (or AH) SA whose keys were derived, one direction, in the form
 * Wireshark's ESP SA table (esp_sa) uses.  Strings are owned by the context
 * and stay valid until it is freed. */
typedef struct {
    int af;                   /* 4 or 6 */
    const char *src, *dst;    /* addresses as text */
    uint32_t spi;
    const char *encr_alg;     /* e.g. "AES-CBC [RFC3602]", "NULL" */
    const char *encr_key;     /* "0x" and lowercase hex; "" when none */
    const char *integ_alg;    /* e.g. "HMAC-SHA-256-128 [RFC4868]", "NULL" */
    const char *integ_key;
} isakmp_esp_sa;

/* Number of ESP / AH SAs (per direction) known so far: loaded esp_sa lines
 * first, then SAs whose keys were derived (no SA listed twice).  Strings in the
 * returned records stay valid until the context is freed or more keys are
 * loaded or derived; copy what you keep.  A wildcard protocol in a loaded line
 * gives af 0, a wildcard SPI spi 0. */
ISAKMP_API size_t isakmp_ctx_esp_sa_count(isakmp_ctx *ctx);

/* SA `i` (0 .. count-1) into *out; false when i is out of range. */
ISAKMP_API bool isakmp_ctx_esp_sa_get(isakmp_ctx *ctx, size_t i, isakmp_esp_sa *out);

/* Writes the keys derived so far as Wireshark 4.0 tables
 * (ikev1_decryption_table, ikev2_decryption_table, esp_sa) into directory
 * `dir` (created 0700 when missing), merged with the tables already there:
 * their rows for other SAs stay, a row for the same SA (initiator cookie;
 * SPI pair; protocol, addresses and SPI) is replaced.  Each table goes to a
 * new 0600 file renamed over the old one; a table that is a symbolic link
 * is never followed (an error, and nothing is written).  Returns 0, or -1
 * with a reason in err (which may be NULL). */
ISAKMP_API int isakmp_ctx_export_keys(isakmp_ctx *ctx, const char *dir, char *err, size_t errlen);

/* The same merge for tables given as text, in the form
 * isakmp_ctx_export_keys_mem makes ("# <table name>" sections, which may
 * repeat: the texts of several contexts one after the other; the last row
 * for an SA wins).  For writing the keys of several inputs once. */
ISAKMP_API int isakmp_export_keys_merge(const char *dir, const char *text, size_t len, char *err,
                                        size_t errlen);

/* The same three tables as one text, each after a line "# <table name>"
 * (what isakmpdump --export-keys - prints), into buf: NUL-terminated, cut to
 * fit.  Returns the text's length (snprintf semantics: size 0 asks for it).
 * The text holds keys: wipe it when done. */
ISAKMP_API size_t isakmp_ctx_export_keys_mem(isakmp_ctx *ctx, char *buf, size_t size);

/* Writes, for each IKEv1 Aggressive Mode exchange with a pre-shared key seen
 * so far (its HASH_R travels in clear), one psk-crack / hashcat (modes 5300,
 * 5400) line g_xr:g_xi:cky_r:cky_i:sai_b:idir_b:ni_b:nr_b:hash_r to the file
 * `path`, merged with the lines already there (as isakmp_export_psk_crack_merge).
 * Works without any secret loaded.  Returns 0, or -1 with a reason in err
 * (which may be NULL). */
ISAKMP_API int isakmp_ctx_export_psk_crack(isakmp_ctx *ctx, const char *path, char *err,
                                           size_t errlen);

/* The same lines into buf: NUL-terminated, cut to fit.  Returns their
 * length (snprintf semantics: size 0 asks for it). */
ISAKMP_API size_t isakmp_ctx_export_psk_crack_mem(isakmp_ctx *ctx, char *buf, size_t size);

/* Merges psk-crack lines (text) into the file `path` as
 * isakmp_ctx_export_psk_crack does: lines for other exchanges stay, a line
 * for the same cookies is replaced, 0600, no symbolic link followed. */
ISAKMP_API int isakmp_export_psk_crack_merge(const char *path, const char *text, size_t len,
                                             char *err, size_t errlen);

/* ---------------------------------------------------------------- text */

/* Lowercase hex of the n bytes at b (the form isakmp_item_format_value
 * gives byte fields) into buf: NUL-terminated, cut to whole bytes.  Returns
 * 2 * n (snprintf semantics: may exceed `size`). */
ISAKMP_API size_t isakmp_format_hex(const uint8_t *b, size_t n, char *buf, size_t size);

/* An address as text (inet_ntop's form, as isakmp_item_format_value gives
 * address fields): the 4 bytes at addr for af 4, the 16 for af 6, e.g.
 * isakmp_packet's src and dst.  Returns the length written (snprintf
 * semantics); 0, with "" in buf, when af is neither 4 nor 6. */
ISAKMP_API size_t isakmp_format_addr(int af, const uint8_t *addr, char *buf, size_t size);

#ifdef __cplusplus
}
#endif

/* The typed record of what each message says (isakmp_msg_facts). */
#include "isakmp/facts.h"
/* ESP decryption with the SAs the context knows (isakmp_ctx_esp_decrypt). */
#include "isakmp/esp.h"

#endif
