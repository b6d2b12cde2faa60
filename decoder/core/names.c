/*
 * Value names that depend on the IKE version.  IKEv1 and IKEv2 number their
 * exchange and payload types from one space (IKEv2 starts at 33/34 so the two
 * can share a port), so one merged table per kind serves both; rows follow
 * the IANA registries "ISAKMP Exchange Types", "ISAKMP Next Payload Types"
 * (isakmp-registry) and "IKEv2 Exchange Types", "IKEv2 Payload Types"
 * (ikev2-parameters).  Versioned tables for the rest come from iana_tables.c.
 */
#include <pthread.h>
#include "core/internal.h"
#include "core/names.h"

const isakmp_value_name names_v1_exchange[] = {
    { 0, 0, "NONE" },
    { 1, 1, "Base" },
    { 2, 2, "Identity Protection (Main Mode)" },
    { 3, 3, "Authentication Only" },
    { 4, 4, "Aggressive" },
    { 5, 5, "Informational" },
    { 6, 6, "Transaction (Config Mode)" },
    { 32, 32, "Quick Mode" },
    { 33, 33, "New Group Mode" },
    { 0, 0, NULL }
};

const isakmp_value_name names_v2_exchange[] = {
    { 34, 34, "IKE_SA_INIT" },
    { 35, 35, "IKE_AUTH" },
    { 36, 36, "CREATE_CHILD_SA" },
    { 37, 37, "INFORMATIONAL" },
    { 38, 38, "IKE_SESSION_RESUME" },
    { 39, 39, "GSA_AUTH" },
    { 40, 40, "GSA_REGISTRATION" },
    { 41, 41, "GSA_REKEY" },
    { 42, 42, "GSA_INBAND_REKEY" },
    { 43, 43, "IKE_INTERMEDIATE" },
    { 44, 44, "IKE_FOLLOWUP_KE" },
    { 0, 0, NULL }
};

const isakmp_value_name names_v1_payload[] = {
    { 0, 0, "NONE / No Next Payload" },
    { 1, 1, "Security Association" },
    { 2, 2, "Proposal" },
    { 3, 3, "Transform" },
    { 4, 4, "Key Exchange" },
    { 5, 5, "Identification" },
    { 6, 6, "Certificate" },
    { 7, 7, "Certificate Request" },
    { 8, 8, "Hash" },
    { 9, 9, "Signature" },
    { 10, 10, "Nonce" },
    { 11, 11, "Notification" },
    { 12, 12, "Delete" },
    { 13, 13, "Vendor ID" },
    { 14, 14, "Attributes (Config Mode)" },
    { 15, 15, "SA KEK Payload" },
    { 16, 16, "SA TEK Payload" },
    { 17, 17, "Key Download" },
    { 18, 18, "Sequence Number" },
    { 19, 19, "Proof of Possession" },
    { 20, 20, "NAT-D (RFC 3947)" },
    { 21, 21, "NAT-OA (RFC 3947)" },
    { 22, 22, "Group Associated Policy" },
    { 128, 128, "Symmetric-key" },   /* GM/T 0022-2014 */
    { 130, 130, "NAT-D (draft-ietf-ipsec-nat-t-ike-01 to 03)" },
    { 131, 131, "NAT-OA (draft-ietf-ipsec-nat-t-ike-01 to 04)" },
    { 132, 132, "IKE Fragmentation" },
    { 0, 0, NULL }
};

const isakmp_value_name names_v2_payload[] = {
    { 0, 0, "NONE / No Next Payload" },
    { 33, 33, "Security Association" },
    { 34, 34, "Key Exchange" },
    { 35, 35, "Identification - Initiator" },
    { 36, 36, "Identification - Responder" },
    { 37, 37, "Certificate" },
    { 38, 38, "Certificate Request" },
    { 39, 39, "Authentication" },
    { 40, 40, "Nonce" },
    { 41, 41, "Notify" },
    { 42, 42, "Delete" },
    { 43, 43, "Vendor ID" },
    { 44, 44, "Traffic Selector - Initiator" },
    { 45, 45, "Traffic Selector - Responder" },
    { 46, 46, "Encrypted and Authenticated" },
    { 47, 47, "Configuration" },
    { 48, 48, "Extensible Authentication" },
    { 49, 49, "Generic Secure Password Method" },
    { 50, 50, "Group Identification" },
    { 51, 51, "Group Security Association" },
    { 52, 52, "Key Download" },
    { 53, 53, "Encrypted and Authenticated Fragment" },
    { 54, 54, "Puzzle Solution" },
    { 128, 128, "Symmetric-key" },   /* GM/T 0022-2014, read in IKEv2 too by Wireshark 4.4 */
    { 0, 0, NULL }
};

/* IKEv1 authentication methods from the private-use range that peers send
 * for XAUTH (draft-beaulieu-ike-xauth-02 / draft-ietf-ipsec-isakmp-xauth-06,
 * section 7) and hybrid authentication (draft-ietf-ipsec-isakmp-hybrid-auth,
 * section 3.2.1); used where IANA's table only says "private use". */
const isakmp_value_name names_v1_xauth_auth_methods[] = {
    { 64221, 64221, "HybridInitRSA" },
    { 64222, 64222, "HybridRespRSA" },
    { 64223, 64223, "HybridInitDSS" },
    { 64224, 64224, "HybridRespDSS" },
    { 65001, 65001, "XAUTHInitPreShared" },
    { 65002, 65002, "XAUTHRespPreShared" },
    { 65003, 65003, "XAUTHInitDSS" },
    { 65004, 65004, "XAUTHRespDSS" },
    { 65005, 65005, "XAUTHInitRSA" },
    { 65006, 65006, "XAUTHRespRSA" },
    { 65007, 65007, "XAUTHInitRSAEncryption" },
    { 65008, 65008, "XAUTHRespRSAEncryption" },
    { 65009, 65009, "XAUTHInitRSARevisedEncryption" },
    { 65010, 65010, "XAUTHRespRSARevisedEncryption" },
    { 0, 0, NULL }
};

/* GM/T 0022-2014, China's IPsec VPN specification (the "China IPsec VPN
 * specification" of Wireshark's names): its IKEv1 transform attribute values
 * from the ranges IANA leaves unassigned (the names Wireshark gives them). */
const isakmp_value_name names_v1_gmt_encryption[] = {
    { 127, 127, "SM4-CBC (DEPRECATED)" },
    { 128, 128, "SM1-CBC" },
    { 129, 129, "SM4-CBC" },
    { 0, 0, NULL }
};

const isakmp_value_name names_v1_gmt_hash[] = {
    { 20, 20, "SM3" },
    { 0, 0, NULL }
};

/* Attribute class 20, Asymmetric Cryptographic Algorithm Type. */
const isakmp_value_name names_v1_gmt_asymmetric[] = {
    { 1, 1, "RSA" },
    { 2, 2, "SM2" },
    { 0, 0, NULL }
};

/* Its Authentication Method values (ike.ike.attr.authentication_method_china):
 * 10 is the digital envelope (a session key encrypted to the peer's public
 * key, carried in a Symmetric-key payload, type 128). */
const isakmp_value_name names_v1_china_auth_methods[] = {
    { 10, 10, "Digital Envelope" },
    { 0, 0, NULL }
};

const isakmp_value_name *payload_type_names(int version)
{
    return version == 2 ? names_v2_payload : names_v1_payload;
}

static const char *type_names[2][256];

static int type_names_ready;

static void fill_type_names(void)
{
    for (int v = 0; v < 2; v++)
        for (int t = 0; t < 256; t++)
            type_names[v][t] = isakmp_value_lookup(payload_type_names(v + 1), (uint32_t)t);
    __atomic_store_n(&type_names_ready, 1, __ATOMIC_RELEASE);
}

const char *payload_type_name(int version, uint8_t type)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    if (!__atomic_load_n(&type_names_ready, __ATOMIC_ACQUIRE))   /* once filled: no call */
        pthread_once(&once, fill_type_names);
    return type_names[version == 2][type];
}
