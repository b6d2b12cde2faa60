/*
 * A secret as the key-file readers hand it on (secrets files in secrets.c,
 * charon logs in charon_log.c), and the line splitter, the reporting of bad
 * lines and the wiping of split words they share (pluto.c and xfrm.c too).  Apart
 * from both, so that the secrets-file reader, which hands charon logs to
 * their reader, and that reader do not include each other.
 */
#ifndef ISAKMP_ENTRY_H
#define ISAKMP_ENTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "isakmp/isakmp.h"

typedef enum {
    SEC_PSK = 1,             /* selector, value */
    SEC_V1_DH_SHARED,        /* spi = initiator cookie */
    SEC_V1_DH_PRIVATE,
    SEC_V1_SKEYID,
    SEC_V1_QM_DH_SHARED,     /* + msgid */
    SEC_V2_DH_SHARED,        /* spi = SPIi */
    SEC_V2_DH_PRIVATE,
    SEC_V2_SKEYSEED,
    SEC_V2_CHILD_DH_SHARED,  /* + msgid */
    /* keys as daemons log them (name tells which) */
    SEC_V1_KEY,              /* name: "SKEYID_d", "SKEYID_a", "SKEYID_e", "Ka" */
    SEC_V2_KEY,              /* name: "SK_d", "SK_ai", ... ; spir too when known */
    SEC_ESP_KEY,             /* an ESP SA: spi, addresses, algorithms, keys */
    SEC_EAP,                 /* an EAP password: selector (identity or '*'), value */
    SEC_V2_ADDKE_SHARED,     /* RFC 9370 additional key exchange ke_n of the IKE SA spi */
    SEC_V2_CHILD_ADDKE_SHARED, /* ... of the CREATE_CHILD_SA msgid (its IKE_FOLLOWUP_KEs) */
    SEC_V2_KE_PRIVATE        /* a KEM's private (decapsulation) key of key exchange ke_n */
} secret_kind;

typedef struct {
    secret_kind kind;
    bool any_sa;             /* the SA is not known ('*'): try each */
    uint8_t spi[8];          /* IKEv1 initiator cookie / IKEv2 SPIi */
    uint8_t spir[8];         /* responder cookie / SPIr, when have_spir */
    bool have_spir;
    bool any_msgid;
    uint32_t msgid;
    unsigned ke_n;           /* SEC_V2_*ADDKE_SHARED: which additional key exchange, 1..7;
                              * SEC_V2_KE_PRIVATE: 0 the exchange's own KE (IKE_SA_INIT or
                              * CREATE_CHILD_SA), 1..7 an additional one */
    bool any_ke;             /* SEC_V2_KE_PRIVATE given with '*': any key exchange */
    const char *selector;    /* SEC_PSK: "*", an IP address or an identity; SEC_EAP: "*" or an identity */
    const char *name;        /* SEC_V1_KEY / SEC_V2_KEY */
    const uint8_t *value;    /* the secret */
    size_t len;
    /* SEC_ESP_KEY */
    uint32_t esp_spi;
    const char *src, *dst;   /* addresses as text */
    const char *encr, *integ;   /* strongSwan algorithm names, e.g. "AES_CBC", "HMAC_SHA2_256_128" */
    size_t encr_bits;        /* key size the daemon logged, 0 when not logged */
    const uint8_t *integ_key;
    size_t integ_len;
    const char *where;       /* "file:line" of the line that gave it */
    /* a '*' secret of an IKE SA made by a rekey: the old SA's SPIi and the
     * CREATE_CHILD_SA's message id, when the log says them */
    bool have_parent;
    uint8_t parent_spi[8];
    uint32_t parent_msgid;
} secret_entry;

typedef void (*secret_sink_fn)(void *user, const secret_entry *e);

/* Calls fn(line, number, user) for each line of text, without its newline
 * (and '\r'); the line is wiped after the call. */
typedef void (*secrets_line_fn)(char *line, size_t no, void *user);
void secrets_each_line(const char *text, size_t len, secrets_line_fn fn, void *user);

/* Reports a bad or noteworthy line through on_error as "name:line" and the
 * formatted reason (nothing without on_error; line 0: the whole file). */
void secrets_report(isakmp_key_error_fn on_error, void *user, const char *name, size_t line,
                    const char *fmt, ...) G_GNUC_PRINTF(5, 6);

/* Wipes and frees a NULL-terminated list of words (g_strsplit's). */
void secrets_words_free(char **w);

#endif
