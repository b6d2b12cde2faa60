/* Internal to the report (cli/report*.c): the facts of one decoded message,
 * read from its facts record (report_walk.c), before they are merged into
 * SA rows (report.c). */
#ifndef ISAKMPDUMP_REPORT_WALK_H
#define ISAKMPDUMP_REPORT_WALK_H

#include "report.h"

#define MI_MAX_VIDS 16
#define MI_MAX_IDS 4

typedef struct {
    int version;
    uint8_t ispi[8], rspi[8];
    uint32_t exch, msgid;
    char exch_name[RPT_NAME];
    bool flag_i, flag_r, flag_e;
    GArray *suites;                    /* rpt_suite, every proposal/transform */
    size_t suites_dropped;             /* beyond RPT_MAX_OFFERS */
    bool has_sa, has_ke, has_auth, has_eap, has_sig;
    uint32_t ke_group;
    uint32_t auth_method;
    char auth_name[RPT_NAME];
    char eap_name[RPT_NAME];           /* "EAP-MD5", ... when an EAP type was read */
    char ids[MI_MAX_IDS][128];         /* IKEv1 ID payloads in order */
    size_t n_ids;
    char id_i[128], id_r[128];         /* IKEv2 IDi / IDr, or TSi / TSr */
    char ts_i[128], ts_r[128];
    bool has_error;
    uint32_t error;
    char error_name[RPT_NAME];
    bool nat_d, frag_supported, frag_used, transport_mode;
    uint8_t rekey_spi[8];
    size_t rekey_spi_len;
    char vids[MI_MAX_VIDS][RPT_NAME];
    size_t n_vids;
    char sig_hashes[RPT_NAME];
    bool sig_hash_sha1;
    bool encrypted, decrypted;
    uint32_t icv_ok, icv_bad, hash_ok, hash_bad, auth_ok, auth_bad;
} msg_info;

/* Fills `mi` (whose suites array is reused) from the facts of `m`, with
 * the names the record's numbers have. */
void walk_msg(const isakmp_msg *m, msg_info *mi);

/* Copies at most RPT_NAME-1 bytes of `s` (NULL gives ""). */
void rpt_copy(char *dst, size_t size, const char *s);

#endif
