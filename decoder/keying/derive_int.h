/*
 * Internals shared by derive.c (IKEv2, secrets, the context) and
 * derive_v1.c (IKEv1): the kept secrets, per-SA observations and helpers.
 */
#ifndef ISAKMP_DERIVE_INT_H
#define ISAKMP_DERIVE_INT_H

#include "keying/derive.h"
#include "keying/eap_msk.h"
#include "crypto/kdf.h"
#include "crypto/kem.h"
#include "keys/keys.h"
#include "state/state.h"

typedef struct {
    secret_kind kind;
    bool any_sa, any_msgid;
    uint8_t spi[8];
    uint32_t msgid;
    unsigned ke_n;               /* SEC_V2_*ADDKE_SHARED: the additional key exchange's number */
    bool any_ke;                 /* SEC_V2_KE_PRIVATE: '*', any key exchange number */
    char *selector, *name;
    uint8_t *value;
    size_t len;
    const void *owner;           /* '*' secrets: the SA an ICV confirmed it for */
    size_t source;               /* the key source it came from (keys_source) */
    uint64_t also;               /* other sources (< 64) that gave the same secret */
    bool have_parent;            /* made by the rekey of parent_spi's SA in parent_msgid */
    uint8_t parent_spi[8];
    uint32_t parent_msgid;
    bool confirmed;              /* an ICV or HASH checked with keys from it */
} secret_rec;

/* A chosen (or offered) proposal: protocol, SPI and transforms. */
typedef struct {
    bool have;
    uint8_t proto, spi[8];
    size_t spilen;
    uint16_t encr, keybits, prf, integ, dh;
    unsigned n_addke;              /* RFC 9370 ADDKE transforms other than NONE */
} sa_choice;

/* One IKEv2 exchange that creates an SA (IKE_AUTH, CREATE_CHILD_SA). */
typedef struct {
    GByteArray *ni, *nr, *kei, *ker;
    sa_choice req, resp;
    int af;
    uint8_t isrc[16], idst[16];    /* the exchange initiator's and responder's addresses */
    uint32_t age;                  /* creation order in the SA (state_trim) */
} v2_xchg;

/* What we know of one IKEv2 IKE SA. */
typedef struct {
    uint8_t ispi[8], rspi[8];
    GByteArray *msg1, *msg2, *ni, *nr, *kei, *ker;
    sa_choice chosen;
    uint16_t group;
    int af;
    uint8_t iaddr[16], raddr[16];
    bool have_keys;
    int prf;
    kdf_v2_keys k;
    GHashTable *xchg;              /* msgid -> v2_xchg, at most STATE_MAX_XCHG */
    uint32_t ages;                 /* counter for v2_xchg.age */
    GByteArray *id[2];             /* IDi, IDr bodies: EAP's last AUTH messages carry none */
    int cand;                      /* which candidate secret the keys come from */
    secret_rec *cand_rec;          /* ... and the loaded secret it is, if any */
    bool confirmed, rekeyed;       /* an ICV checked with them; made by a rekey */
    uint8_t old_skd[KDF_MAX_KEY];  /* rekeyed: the old SA's SK_d and PRF (RFC 7296 2.18) */
    size_t old_skd_len;
    int old_prf;
    uint8_t parent_spi[8];         /* rekeyed: the old SA's SPIi, the CREATE_CHILD_SA's id */
    uint32_t parent_msgid;
    uint8_t eap_type;              /* the EAP method of IKE_AUTH (RFC 7296 2.16); 0 none */
    bool eap_seen;                 /* an EAP payload was seen: the last AUTHs follow EAP */
    eap_mschapv2 mschap;           /* EAP-MSCHAPv2's challenges and response */
    char eap_id[256];              /* the EAP-Response/Identity */
    secret_t msk;                  /* the MSK, when derived (secure memory) */
    /* RFC 9370 / RFC 9242: the key epoch (0: IKE_SA_INIT's keys; n after the
     * n-th IKE_INTERMEDIATE key exchange), the last such exchange's message id,
     * and an epoch's keys waiting for a message that verifies with them */
    unsigned epoch;
    uint32_t addke_msgid;
    bool addke_stuck;              /* an additional key exchange's secret is missing */
    bool pub_pending;
    kdf_v2_keys pub_k;
    GByteArray *addke;             /* rekeyed with IKE_FOLLOWUP_KE: SK(1) | ... | SK(n) */
    /* RFC 9242 3.3.2: IntAuth_iN, IntAuth_rN over the IKE_INTERMEDIATE
     * messages so far (len 0: none), the last message id each covers, and
     * the IKE_AUTH request's message id (IKE_AUTH_MID) */
    uint8_t intauth[2][KDF_MAX_PRF];
    size_t intauth_len[2];
    uint32_t intauth_msgid[2];
    uint32_t auth_mid;
    bool have_auth_mid;
    /* a CREATE_CHILD_SA waiting for its IKE_FOLLOWUP_KE exchanges (RFC 9370 2.2.4) */
    uint32_t fu_msgid, fu_last;
    unsigned fu_need, fu_got;
    /* ... the shared secrets of its ML-KEM ones decapsulated so far (bit
     * i-1 of fu_kem_ok: exchange i), each response's KE method */
    uint8_t fu_kem[7][KEM_SHARED_LEN];
    unsigned fu_kem_ok;
    uint16_t fu_group[7];
} v2_sa;

/* One IKEv1 Quick Mode (RFC 2409 5.5). */
typedef struct {
    GByteArray *ni, *nr, *kei, *ker;
    sa_choice req, resp;
    int af;
    uint8_t isrc[16], idst[16];
    uint32_t age;                  /* creation order in the SA (state_trim) */
} v1_qm;

/* What we know of one IKEv1 ISAKMP SA. */
typedef struct {
    uint8_t icky[8], rcky[8];
    bool init_known;
    uint8_t iaddr[16];
    GByteArray *sai_b, *ni, *nr, *kei, *ker, *idi, *idr, *hash_r;
    uint16_t encr, hash, auth, group, keybits;
    bool have_keys;
    int prf;
    kdf_v1_keys k;
    GHashTable *qm;                /* msgid -> v1_qm, at most STATE_MAX_XCHG */
    uint32_t ages;                 /* counter for v1_qm.age */
    int cand;                      /* which candidate secrets the keys come from */
    secret_rec *cand_rec;          /* ... and the loaded g^xy it is, if any */
    bool confirmed;                /* a message decrypted with them */
} v1_sa;

struct kdf_ctx {
    GPtrArray *secrets;          /* secret_rec */
    size_t source;               /* the source being loaded (keep_secret) */
    GHashTable *by_value;        /* GBytes(kind | msgid | value) -> the first such secret_rec */
    struct export_store *exp;
    GHashTable *v2;              /* GBytes(SPIi) -> v2_sa; goes with the SA (kdf_sa_drop) */
    GHashTable *v1;              /* GBytes(CKY-I) -> v1_sa; goes with the SA (kdf_sa_drop) */
};


/* Wiping byte arrays; bytes_set replaces *slot with a copy of p. */
void bytes_free(GByteArray *b);
void bytes_set(GByteArray **slot, const uint8_t *p, size_t n);

/* The idx-th secret of `kind` for this SA (exact SPI first, then '*') and
 * message id (when `msgid` >= 0); NULL when there are no more. */
secret_rec *find_secret(struct kdf_ctx *kc, secret_kind kind, const uint8_t spi[8],
                              int64_t msgid, int idx);
/* The first additional key exchange secret number n (RFC 9370) of `kind`
 * for the SA and message id (when >= 0); NULL when none is loaded. */
secret_rec *find_addke(struct kdf_ctx *kc, secret_kind kind, const uint8_t spi[8], int64_t msgid,
                       unsigned n);

/* A message checked with keys from r (NULL allowed): counted for its source. */
void secret_confirmed(isakmp_ctx *ctx, secret_rec *r);

/* g^xy as loaded, or computed from a private value of either side; its length or 0. */
size_t dh_secret(struct kdf_ctx *kc, secret_kind shared, secret_kind priv, const uint8_t spi[8],
                 int64_t msgid, uint16_t group, const GByteArray *kei, const GByteArray *ker,
                 uint8_t *out);

/* What the message says comes from its facts (isakmp_msg_facts), which the
 * payload parsers filled: nothing here reads a payload's bytes but through
 * the spans they give. */

/* The bytes of a span of the message (length in *n), or NULL. */
const uint8_t *span_bytes(const dec_t *d, isakmp_span s, size_t *n);

/* The type and the tree item of payload i of the facts (0 when unknown). */
uint8_t payload_type(const dec_t *d, uint32_t i);
uint32_t fact_payload_item(const dec_t *d, uint32_t i);

/* A proposal's protocol and SPI into ch; false when the parser did not read
 * it whole or its SPI does not fit. */
bool sa_spi(const dec_t *d, const isakmp_fact_proposal *p, sa_choice *ch);

/* ike.verify.hash / .auth (1/0) under the payload item `item`, counted in the
 * facts, with the computed value in a note when it differs. */
void add_verdict(dec_t *d, uint32_t item, int field, bool ok, const uint8_t *computed, size_t n,
                 const char *what);

/* No verdict under `item`: a note says why `what` could not be computed. */
void no_verdict(dec_t *d, uint32_t item, const char *what, const char *why);

void addr_text(int af, const uint8_t *a, char *out, size_t n);
size_t integ_key_len(const integ_alg *a);
const integ_alg *integ_by_id(uint16_t id);

/* IKEv1 (derive_v1.c). */
void v1_sa_free(gpointer p);
void v1_done(dec_t *d);
/* What an IKEv2 message said, after it (derive.c). */
void v2_done(dec_t *d);

/* The ML-KEM key choice (kem_pick_secret): done, or why not. */
typedef enum {
    KEM_PICK_OK,            /* decapsulated with the key that holds the request's ek */
    KEM_PICK_NO_KEY,        /* no IKEV2_KE_PRIVATE line for this key exchange */
    KEM_PICK_NO_EK,         /* the request's KE payload (the ek) was not seen */
    KEM_PICK_NO_MATCH,      /* keys given, none holds the request's ek */
    KEM_PICK_UNAVAILABLE,   /* the key is there, this build has no gcry_kem */
    KEM_PICK_FAILED         /* the right key, a ciphertext of the wrong size */
} kem_pick;

/* ML-KEM: the shared secret of key exchange n (0 the exchange's own KE,
 * 1..7 an additional one) from the IKEV2_KE_PRIVATE key, for the SA spi or
 * spi2 (NULL: none) or '*', whose encapsulation key is ek, the request's KE
 * data, and ct, the response's.  Only a key holding ek is used: with
 * another ML-KEM decapsulation still gives a (wrong) secret. */
kem_pick kem_pick_secret(struct kdf_ctx *kc, const uint8_t spi[8], const uint8_t *spi2, unsigned n,
                         uint16_t group, const GByteArray *ek, const uint8_t *ct, size_t ct_len,
                         uint8_t out[KEM_SHARED_LEN]);
/* Why kem_pick_secret gave no secret, for a note. */
const char *kem_pick_why(kem_pick p);

#endif
