/*
 * libisakmp: the facts of a message, typed.
 *
 * While the payload parsers build a message's items they also fill one
 * record of what the message says: its header, its SA proposals with their
 * transforms and attributes, KE, Nonce, ID, AUTH / HASH / SIG, CERT,
 * Notify, Delete and Vendor ID payloads, fragment numbers, traffic
 * selectors, EAP types, and the verdicts of the ICV / HASH / AUTH checks.
 * Programs that need the negotiated policy read it here instead of walking
 * the tree by field names; key derivation and verification in the library
 * read nothing else.
 *
 * Ownership.  The record belongs to its message: isakmp_msg_facts returns a
 * pointer valid until isakmp_msg_free, and every array in it lives as long.
 *
 * Order.  Every list is in the order the parsers met its entries, which is
 * tree order: payloads inside decrypted or reassembled data come where their
 * SK / SKF / fragment payload is (an encrypted IKEv1 message's after the
 * clear header).  Entries refer to each other by index into the lists:
 * each names the payload it came from (`payload`, an
 * index into `payloads`), a proposal its SA, a transform its proposal.
 *
 * Spans.  Byte ranges are isakmp_span {src, off, len} into the message's data
 * sources, like items (isakmp_item_source / _offset / _length): nothing is
 * copied; isakmp_msg_span gives the bytes.
 *
 * Bounds.  Each list holds at most ISAKMP_FACTS_MAX entries per message;
 * entries past the bound are left out, `truncated` is set and the payload
 * where it happened gets an ISAKMP_NOTE_LIMIT note.  The arrays grow with
 * what the message holds.
 *
 * Field-directed decoding (isakmp_ctx_set_fields) does not parse payload
 * bodies that hold none of the wanted fields: what they say is then missing
 * and `partial` is set.  With keys or secrets loaded, the bodies key
 * derivation reads (SA, KE, Nonce, ID, CERT, AUTH, HASH, SIG) are always
 * parsed.  Without them a field-directed context fills only the header
 * (and sets `partial`), as it makes no notes: that decoding is for speed
 * (IKEv1 Aggressive Mode messages excepted, which are followed for
 * isakmp_ctx_export_psk_crack).  Nesting: decrypted and reassembled data
 * nest at most 4 deep (a payload's parent chain is that short).
 */
#ifndef ISAKMP_FACTS_H
#define ISAKMP_FACTS_H

#include "isakmp/isakmp.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The bound of each list, per message: the decoder's own bound on the
 * payloads of a message (which a message holds only when it is far larger
 * than UDP allows). */
#define ISAKMP_FACTS_MAX 65536

/* An index that names no entry (a transform payload outside any proposal). */
#define ISAKMP_FACT_NONE 0xffffffffu

/* Bytes of a data source of the message: source index (0 is the message as
 * captured), offset and length within it. */
typedef struct {
    uint32_t src, off, len;
} isakmp_span;

/* The bytes of a span (length s.len), or NULL when the span is not inside
 * its source.  Owned by the message. */
ISAKMP_API const uint8_t *isakmp_msg_span(const isakmp_msg *msg, isakmp_span s);

/* The ISAKMP header (RFC 2408 3.1, RFC 7296 3.1).  For an IKEv1 message
 * reassembled from fragments, the header of the reassembled message. */
typedef struct {
    uint8_t ispi[8], rspi[8];   /* SPIs (IKEv2) or cookies (IKEv1) */
    uint8_t next_payload;
    uint8_t major, minor;       /* version */
    uint8_t exchange;           /* exchange type */
    uint8_t flags;              /* the flags octet as sent */
    bool initiator, higher_version, response;   /* IKEv2 flags I, V, R */
    bool encrypted, commit, auth_only;           /* IKEv1 flags E, C, A */
    uint32_t msgid;
    uint32_t length;            /* as declared */
    bool complete;              /* all 28 octets were captured (else zero past the capture) */
} isakmp_fact_header;

/* A payload of the chain (not proposals and transforms: see sas). */
typedef struct {
    const isakmp_item *item;    /* its ike.typepayload item */
    isakmp_span span;           /* the whole payload, generic header included (the item's) */
    uint8_t type, next;         /* payload type, next payload */
    bool critical;              /* IKEv2 critical bit */
    uint32_t parent;            /* the SK / SKF / fragment payload whose plaintext holds
                                 * it, ISAKMP_FACT_NONE at the top (an encrypted IKEv1
                                 * message's payloads too: their src is not 0) */
} isakmp_fact_payload;

/* A Security Association payload (RFC 2408 3.4, RFC 7296 3.3). */
typedef struct {
    uint32_t payload;
    uint32_t doi;                /* IKEv1 DOI (1 IPsec, 2 GDOI); IKEv2: 0 */
    isakmp_span body;            /* the body after the generic header (SAi_b, RFC 2409 5) */
    uint32_t first_proposal, n_proposals;   /* into proposals */
} isakmp_fact_sa;

/* A proposal (RFC 2408 3.5, RFC 7296 3.3.1). */
typedef struct {
    uint32_t sa;                 /* index into sas */
    uint8_t number, protocol;    /* proposal number, protocol ID */
    uint8_t spi_size, n_declared;   /* SPI size, number of transforms announced */
    isakmp_span spi;
    uint32_t first_transform, n_transforms;   /* into transforms */
    bool complete;               /* read to its end without a malformed or missing byte */
} isakmp_fact_proposal;

/* A transform (RFC 2408 3.6, RFC 7296 3.3.2). */
typedef struct {
    uint32_t proposal;           /* index into proposals; ISAKMP_FACT_NONE for an
                                  * IKEv1 transform payload outside a proposal */
    uint8_t type;                /* IKEv2 transform type (1 ENCR, 2 PRF, 3 INTEG, 4 KE,
                                  * 5 ESN, 6..12 ADDKE1..7); IKEv1: 0 */
    uint8_t number;              /* IKEv1 transform number; IKEv2: 0 */
    uint16_t id;                 /* transform ID */
    uint16_t key_length;         /* the Key Length attribute in TV form (IKEv2 type 14,
                                  * IKEv1 IKE class 14 / IPsec class 6), 0 when none */
    uint32_t first_attr, n_attrs;   /* into attrs */
} isakmp_fact_transform;

/* A transform attribute (RFC 2408 3.3, RFC 7296 3.3.5).  IKEv1 types are IKE
 * classes (RFC 2409 Appendix A) in proposals of protocol 1 (PROTO_ISAKMP),
 * IPsec DOI classes (RFC 2407 4.5) otherwise.  Attributes whose value runs
 * past their transform are not listed. */
typedef struct {
    uint16_t type;               /* the AF bit cleared */
    bool tv;                     /* TV form: the value is the 2 octets in the header */
    uint64_t value;              /* the value octets as a big-endian integer (the
                                  * first 8 of a longer value) */
    isakmp_span data;            /* the value octets */
} isakmp_fact_attr;

/* A Key Exchange payload (RFC 2408 3.7, RFC 7296 3.4); with RFC 9370 there
 * are several per exchange. */
typedef struct {
    uint32_t payload;
    uint16_t group;              /* IKEv2 Diffie-Hellman group / KE method; IKEv1: 0 */
    isakmp_span data;            /* the key exchange data */
} isakmp_fact_ke;

/* A Nonce payload's data. */
typedef struct {
    uint32_t payload;
    isakmp_span data;
} isakmp_fact_nonce;

/* An Identification payload (IKEv1 5, IKEv2 IDi 35 / IDr 36: the payload's
 * type tells which). */
typedef struct {
    uint32_t payload;
    uint8_t type;                /* ID type */
    uint8_t protocol;            /* IKEv1 protocol ID; IKEv2: 0 */
    uint16_t port;               /* IKEv1 port; IKEv2: 0 */
    isakmp_span body;            /* the body after the generic header: what AUTH
                                  * (RFC 7296 2.15) and HASH_I/R (RFC 2409 5) cover */
    isakmp_span data;            /* the identification data */
} isakmp_fact_id;

/* An authenticating value: IKEv2 AUTH (39), IKEv1 HASH (8) or SIG (9) (the
 * payload's type tells which). */
typedef struct {
    uint32_t payload;
    uint8_t method;              /* IKEv2 authentication method; IKEv1: 0 */
    isakmp_span data;            /* the authentication data, hash or signature */
    isakmp_span sig_alg;         /* method 14 (RFC 7427 3): the AlgorithmIdentifier in data */
    isakmp_span sig_value;       /* ... and the signature value after it (len 0 otherwise) */
} isakmp_fact_auth;

/* A Certificate payload. */
typedef struct {
    uint32_t payload;
    uint8_t encoding;
    isakmp_span data;            /* the certificate data (after the encoding octet) */
} isakmp_fact_cert;

/* A Notify payload (RFC 2408 3.14, RFC 7296 3.10). */
typedef struct {
    uint32_t payload;
    uint16_t type;               /* notify message type */
    uint32_t doi;                /* IKEv1 DOI; IKEv2: 0 */
    uint8_t protocol, spi_size;
    isakmp_span spi;
    isakmp_span data;            /* the notification data */
} isakmp_fact_notify;

/* A Delete payload (RFC 2408 3.15, RFC 7296 3.11): the SPIs are `count`
 * runs of spi_size octets from spis.off (spis.len is what was there). */
typedef struct {
    uint32_t payload;
    uint32_t doi;                /* IKEv1 DOI; IKEv2: 0 */
    uint8_t protocol, spi_size;
    uint16_t count;              /* as announced */
    isakmp_span spis;
} isakmp_fact_delete;

/* A Vendor ID payload. */
typedef struct {
    uint32_t payload;
    isakmp_span data;
    const char *name;            /* the known vendor's name (static), or NULL */
} isakmp_fact_vid;

/* A fragment: IKEv2 Encrypted Fragment (SKF, RFC 7383 2.5) or IKEv1
 * fragment (payload 132, Cisco / strongSwan). */
typedef struct {
    uint32_t payload;
    uint16_t number;             /* fragment number, from 1 */
    uint16_t total;              /* IKEv2: total fragments; IKEv1: 0 */
    uint16_t id;                 /* IKEv1: fragment ID; IKEv2: 0 */
    bool last;                   /* IKEv1: the last-fragment flag; IKEv2: number == total */
} isakmp_fact_frag;

/* An IKEv2 traffic selector (RFC 7296 3.13.1; TSi 44 / TSr 45 by payload). */
typedef struct {
    uint32_t payload;
    uint8_t type;                /* TS type (7 IPv4 range, 8 IPv6 range, ...) */
    uint8_t protocol;            /* IP protocol ID (address ranges) */
    uint16_t start_port, end_port;
    isakmp_span start, end;      /* the start and end addresses (address ranges) */
} isakmp_fact_ts;

/* An EAP message (RFC 7296 3.16, RFC 3748 4). */
typedef struct {
    uint32_t payload;
    uint8_t code;
    uint8_t type;                /* method type of a Request / Response; 0 otherwise */
} isakmp_fact_eap;

/* One hash algorithm of a SIGNATURE_HASH_ALGORITHMS notify (RFC 7427 4). */
typedef struct {
    uint32_t notify;             /* index into notifies */
    uint16_t alg;
} isakmp_fact_hash_alg;

/* How many checks of each kind the message got, and how many failed. */
typedef struct {
    uint32_t ok, bad;
} isakmp_fact_checks;

typedef struct {
    isakmp_fact_header header;
    bool partial;                /* decoded field-directed: bodies may not have been parsed */
    bool truncated;              /* a list reached its bound */
    bool decrypted;              /* some data of the message was decrypted */
    isakmp_fact_checks icv;      /* ike.verify.icv: SK / SKF integrity checks */
    isakmp_fact_checks hash;     /* ike.verify.hash: IKEv1 HASH_I/R, HASH(1..3) */
    isakmp_fact_checks auth;     /* ike.verify.auth: IKEv2 AUTH, IKEv1 SIG */
    size_t n_payloads, n_sas, n_proposals, n_transforms, n_attrs, n_kes, n_nonces, n_ids,
        n_auths, n_certs, n_notifies, n_deletes, n_vids, n_frags, n_ts, n_eaps, n_hash_algs;
    const isakmp_fact_payload *payloads;
    const isakmp_fact_sa *sas;
    const isakmp_fact_proposal *proposals;
    const isakmp_fact_transform *transforms;
    const isakmp_fact_attr *attrs;
    const isakmp_fact_ke *kes;
    const isakmp_fact_nonce *nonces;
    const isakmp_fact_id *ids;
    const isakmp_fact_auth *auths;
    const isakmp_fact_cert *certs;
    const isakmp_fact_notify *notifies;
    const isakmp_fact_delete *deletes;
    const isakmp_fact_vid *vids;
    const isakmp_fact_frag *frags;
    const isakmp_fact_ts *ts;
    const isakmp_fact_eap *eaps;
    const isakmp_fact_hash_alg *hash_algs;
} isakmp_facts;

/* The facts of a message (not NULL for a message isakmp_decode returned).
 * Owned by the message.  Lists with no entries may have NULL arrays. */
ISAKMP_API const isakmp_facts *isakmp_msg_facts(const isakmp_msg *msg);

/* Names.  The record holds numbers; their names are the ones the tree's
 * items give them (isakmp_item_value_name), which depend on more than the
 * number: the IKE version (exchange and notify types), the proposal's
 * protocol (IKEv1 transform IDs; IKE attribute classes in proposals of
 * protocol 1, IPsec DOI classes otherwise), the transform's other
 * attributes (GM/T 0022 authentication methods after SM1 / SM4 encryption
 * or SM3 hash) and the known private-use values.  So these read them from
 * the items of the payload or proposal the fact came from: a value the tree
 * does not show (field-directed decoding) has no name here either. */

/* Which number isakmp_fact_value_name names: `index` is into the list. */
typedef enum {
    ISAKMP_FACT_EXCHANGE,   /* header.exchange (index unused) */
    ISAKMP_FACT_TRANSFORM,  /* transforms[index].id: IKEv2 types 1-5 (ENCR, PRF, INTEG, KE,
                             * ESN), IKEv1 by the proposal's protocol */
    ISAKMP_FACT_ATTR,       /* attrs[index].value: IKEv1 IKE classes 1-4 (encryption, hash,
                             * authentication method, group), IPsec classes 3-5 (group,
                             * encapsulation mode, authentication algorithm) */
    ISAKMP_FACT_AUTH,       /* auths[index].method (IKEv2 AUTH) */
    ISAKMP_FACT_NOTIFY,     /* notifies[index].type */
    ISAKMP_FACT_HASH_ALG,   /* hash_algs[index].alg */
    ISAKMP_FACT_EAP         /* eaps[index].type */
} isakmp_fact_kind;

/* The name of a number of the record (static), as the first item of its
 * payload (its proposal, for transforms and attributes) that shows the
 * same number says it; NULL when the number has no name, no item shows it,
 * the index names no entry, or the kind names nothing there (IKEv2
 * attributes, transforms and attributes outside a proposal). */
ISAKMP_API const char *isakmp_fact_value_name(const isakmp_msg *msg, isakmp_fact_kind kind,
                                              uint32_t index);

/* The tree item of proposals[index]: in an SA payload, the proposal's
 * item below it; an IKEv1 proposal payload outside an SA, that payload's
 * item.  NULL when there is none (the proposal's header is cut). */
ISAKMP_API const isakmp_item *isakmp_fact_proposal_item(const isakmp_msg *msg, uint32_t index);

/* The identification data of payloads[payload] (ID, IDi or IDr) as text:
 * the values of its ike.id.data.* items as isakmp_item_format_value gives
 * them (each up to 95 characters), joined by '/'; "" when it has none.
 * Writes at most size - 1 characters and a NUL; returns the length
 * written. */
ISAKMP_API size_t isakmp_fact_id_text(const isakmp_msg *msg, uint32_t payload, char *buf,
                                      size_t size);

/* ---------------------------------------------------------------- per SA */

/*
 * What each IKE SA negotiated, folded from the facts of its messages as the
 * context decodes them (the SA state, keyed by the initiator's SPI /
 * cookie).  The decoder's own users of the negotiated policy (IKEv1
 * decryption and derivation) read it from here.
 *
 * A context keeps records as long as it keeps SA state: not in a
 * field-directed context without keys (isakmp_ctx_set_fields; IKEv1
 * Aggressive Mode excepted, which it follows for psk-crack), nor in a
 * stateless one, and at most isakmp_ctx_set_sa_limit SAs (least recently
 * used out first).  An SA's state made only to hold its record is dropped
 * without a note: nothing that decrypts depends on it.
 */

/* One proposal's policy: the first transform of each type.  IKEv2: the
 * transform IDs of types 1-4 (ENCR, PRF, INTEG, KE) and the Key Length
 * attribute.  IKEv1 (PROTO_ISAKMP proposals, RFC 2409 Appendix A): the
 * first transform's attribute values of class 1 (encryption), 14 (key
 * length), 2 (hash, in `prf`), 4 (group, in `ke`) and 3 (authentication
 * method); `integ` is 0.  0 where the proposal has none. */
typedef struct {
    bool present;
    bool complete;               /* the proposal was read whole (no malformed or missing byte) */
    uint8_t protocol;            /* the proposal's protocol ID (1: IKE / ISAKMP) */
    uint16_t encr, key_length, prf, integ, ke;
    uint16_t auth;               /* IKEv1 authentication method; IKEv2: 0 */
} isakmp_sa_policy;

typedef struct {
    uint8_t major;               /* IKE major version (1 or 2) */
    uint8_t ispi[8], rspi[8];    /* rspi zero until a message from the responder names it */
    uint8_t exchange;            /* the exchange that made the SA (IKEv1 2 Main, 4 Aggressive;
                                  * IKEv2 34 IKE_SA_INIT); 0 when not seen */
    int af;                      /* 4 or 6; 0 when the addresses are not known */
    uint8_t initiator[16], responder[16];   /* addresses as isakmp_packet has them */
    uint32_t first_frame, last_frame;       /* smallest and largest frame seen (0: none) */
    uint32_t n_offered;          /* IKE proposals the initiator's SA payload held */
    isakmp_sa_policy offered;    /* ... the first of them */
    isakmp_sa_policy chosen;     /* the responder's IKE proposal */
    uint16_t ke_group[2];        /* IKEv2 KE payload groups: [0] initiator's, [1] responder's */
    uint8_t auth_method[2];      /* IKEv2 AUTH methods: [0] initiator's, [1] responder's */
    uint16_t error;              /* the first error notify (types 1-16383) of the SA, 0: none */
    bool error_from_responder;   /* ... and who sent it */
    isakmp_fact_checks icv, hash, auth;   /* the verdicts of all its messages */
} isakmp_sa_facts;

/* The record of the SA whose initiator SPI / cookie is ispi, or NULL when
 * the context keeps none.  Valid until the next isakmp_decode or
 * isakmp_ctx_free on ctx. */
ISAKMP_API const isakmp_sa_facts *isakmp_ctx_sa_facts(const isakmp_ctx *ctx,
                                                      const uint8_t ispi[8]);

/* Calls fn on each record the context keeps, least recently used first;
 * returns how many.  fn must not decode with ctx. */
ISAKMP_API size_t isakmp_ctx_sa_facts_each(const isakmp_ctx *ctx,
                                           void (*fn)(const isakmp_sa_facts *sa, void *user),
                                           void *user);

#ifdef __cplusplus
}
#endif

#endif
