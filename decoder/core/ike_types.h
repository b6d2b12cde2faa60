/*
 * The IANA numbers the decoder's code branches on, by name: payload types
 * (IANA "ISAKMP Next Payload Types" for IKEv1, "IKEv2 Payload Types") and
 * exchange types.  Their display names are data (iana_tables.c, names.c);
 * these are for dispatch tables and derivation.
 */
#ifndef ISAKMP_IKE_TYPES_H
#define ISAKMP_IKE_TYPES_H

/* IKEv1 payload types (RFC 2408 3.1, RFC 3547, RFC 3947). */
enum {
    V1_PAYLOAD_SA = 1,
    V1_PAYLOAD_PROPOSAL = 2,
    V1_PAYLOAD_TRANSFORM = 3,
    V1_PAYLOAD_KE = 4,
    V1_PAYLOAD_ID = 5,
    V1_PAYLOAD_CERT = 6,
    V1_PAYLOAD_CR = 7,
    V1_PAYLOAD_HASH = 8,
    V1_PAYLOAD_SIG = 9,
    V1_PAYLOAD_NONCE = 10,
    V1_PAYLOAD_N = 11,
    V1_PAYLOAD_D = 12,
    V1_PAYLOAD_VID = 13,
    V1_PAYLOAD_ATTR = 14,        /* Mode Config (draft-ietf-ipsec-isakmp-mode-cfg) */
    V1_PAYLOAD_SAK = 15,
    V1_PAYLOAD_SAT = 16,
    V1_PAYLOAD_KD = 17,
    V1_PAYLOAD_SEQ = 18,
    V1_PAYLOAD_POP = 19,
    V1_PAYLOAD_NAT_D = 20,
    V1_PAYLOAD_NAT_OA = 21,
    V1_PAYLOAD_GAP = 22,
    V1_PAYLOAD_NAT_D_DRAFT = 130,    /* draft-ietf-ipsec-nat-t-ike-01 to 03 */
    V1_PAYLOAD_NAT_OA_DRAFT = 131,
    V1_PAYLOAD_FRAGMENT = 132        /* Cisco / racoon IKE fragmentation (ikev1_frag.c) */
};

/* IKEv2 payload types (RFC 7296 3.2, RFC 6467, RFC 7383, RFC 8019, RFC 9838). */
enum {
    V2_PAYLOAD_SA = 33,
    V2_PAYLOAD_KE = 34,
    V2_PAYLOAD_IDI = 35,
    V2_PAYLOAD_IDR = 36,
    V2_PAYLOAD_CERT = 37,
    V2_PAYLOAD_CERTREQ = 38,
    V2_PAYLOAD_AUTH = 39,
    V2_PAYLOAD_NONCE = 40,
    V2_PAYLOAD_N = 41,
    V2_PAYLOAD_D = 42,
    V2_PAYLOAD_V = 43,
    V2_PAYLOAD_TSI = 44,
    V2_PAYLOAD_TSR = 45,
    V2_PAYLOAD_SK = 46,
    V2_PAYLOAD_CP = 47,
    V2_PAYLOAD_EAP = 48,
    V2_PAYLOAD_GSPM = 49,
    V2_PAYLOAD_IDG = 50,
    V2_PAYLOAD_GSA = 51,
    V2_PAYLOAD_KD = 52,
    V2_PAYLOAD_SKF = 53,
    V2_PAYLOAD_PS = 54
};

/* IKEv1 exchange types (RFC 2408 4.1, RFC 2409 5 and 9). */
enum {
    V1_EXCH_IDENTITY_PROTECTION = 2,   /* Main Mode */
    V1_EXCH_AGGRESSIVE = 4,
    V1_EXCH_INFORMATIONAL = 5,
    V1_EXCH_TRANSACTION = 6,           /* Mode Config (draft-ietf-ipsec-isakmp-mode-cfg) */
    V1_EXCH_QUICK = 32
};

/* IKEv2 exchange types (RFC 7296 3.1). */
enum {
    V2_EXCH_IKE_SA_INIT = 34,
    V2_EXCH_IKE_AUTH = 35,
    V2_EXCH_CREATE_CHILD_SA = 36,
    V2_EXCH_INFORMATIONAL = 37,
    V2_EXCH_IKE_INTERMEDIATE = 43,   /* RFC 9242 */
    V2_EXCH_IKE_FOLLOWUP_KE = 44     /* RFC 9370 */
};

#endif
