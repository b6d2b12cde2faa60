/*
 * EAP keys for IKEv2 AUTH (eap_msk.c).  RFC 7296 2.16: after EAP, both
 * AUTH payloads are keyed with the MSK when the method makes one, else with
 * SK_pi / SK_pr.  EAP-MSCHAPv2 (EAP type 26, draft-kamath-pppext-eap-mschapv2)
 * makes one from the user's password (RFC 2759 8, RFC 3079 3.4): this reads
 * the Challenge and Response packets and derives it.
 *
 * Inputs are plain buffers from the message (an EAP packet as in the EAP
 * payload's body, RFC 3748 4); nothing is kept by the functions.
 */
#ifndef ISAKMP_EAP_MSK_H
#define ISAKMP_EAP_MSK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EAP_MSCHAPV2_MSK_LEN 64

/* True when the EAP method type makes an MSK (RFC 3748 7.10; the methods
 * IKEv2 peers use): AUTH is then keyed with it.  False for the legacy
 * methods without keys (Identity, Notification, Nak, MD5-Challenge, OTP,
 * GTC), whose AUTH is keyed with SK_pi / SK_pr. */
bool eap_method_makes_msk(uint8_t type);

/* What one EAP-MSCHAPv2 exchange showed. */
typedef struct {
    bool have_challenge, have_response;
    uint8_t auth_challenge[16];  /* from the Challenge (opcode 1) */
    uint8_t peer_challenge[16];  /* from the Response (opcode 2) */
    uint8_t nt_response[24];
    char name[256];              /* the Response's Name (the user name hashed in) */
} eap_mschapv2;

/* Reads one EAP packet (code | id | length | type | data); fills `x` from an
 * MSCHAPv2 Challenge or Response.  Other packets change nothing. */
void eap_mschapv2_learn(eap_mschapv2 *x, const uint8_t *pkt, size_t n);

/* RFC 2759 8.1-8.5: the NT-Response the password gives for the exchange's
 * challenges; false when libgcrypt lacks MD4 / DES or the password is not
 * UTF-8. */
bool eap_mschapv2_nt_response(const eap_mschapv2 *x, const char *password, size_t plen,
                              uint8_t out[24]);

/* RFC 3079 3.4 (with 3.1's Magic strings): MSK = MasterReceiveKey |
 * MasterSendKey | 32 zero octets, as the authenticator computes them, the
 * layout IKEv2 implementations use (strongSwan's eap-mschapv2, 64 octets). */
bool eap_mschapv2_msk(const eap_mschapv2 *x, const char *password, size_t plen,
                      uint8_t msk[EAP_MSCHAPV2_MSK_LEN]);

#endif
