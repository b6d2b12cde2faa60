/* isakmpdump --report: one row per IKE SA and per child SA, saying what each
 * side offered and what was chosen, with an audit of it (cli/audit.h).
 *
 * The report reads decoded messages through the public API: their facts
 * records (include/isakmp/facts.h), and the names of their values on the
 * items that show them; it never looks inside the decoder.  Rows are
 * merged by SPIs across every message and every input file given to the
 * same report.  Memory is bounded: at most max_rows rows are listed; later
 * SAs are still audited (a bounded number of their rows is held, then
 * audited and freed, oldest first) and their findings counted, so the worst
 * severity and --fail-on see every SA.  Each row keeps at most a fixed
 * number of offers, vendor IDs and notify names.
 * Documented in docs/report.md.
 */
#ifndef ISAKMPDUMP_REPORT_H
#define ISAKMPDUMP_REPORT_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "isakmp/isakmp.h"

#define RPT_NAME 64           /* a copied value name, truncated */
#define RPT_MAX_OFFERS 16     /* offered suites kept per row */
#define RPT_MAX_VIDS 16       /* vendor IDs kept per row */
#define RPT_DEFAULT_MAX_ROWS 20000   /* 2-4 KB each, at most about 17 KB */

/* One algorithm choice: its IANA number (in the registry of the row's
 * version and protocol) and its name as the decoder printed it. */
typedef struct {
    bool set;
    uint32_t id;
    char name[RPT_NAME];
} rpt_alg;

/* One suite: a whole IKEv2 proposal (the first transform of each type) or
 * one IKEv1 transform.  For IKEv1 Phase 1, prf is the hash algorithm. */
typedef struct {
    uint32_t protoid;         /* 1 IKE/ISAKMP, 2 AH, 3 ESP */
    rpt_alg encr, integ, prf, dh, auth, esn, encap;
    uint32_t key_length;      /* bits, 0 when not given */
    uint16_t addke[7];        /* IKEv2 ADDKE1..7 (RFC 9370): the first method of each, 0 none */
    uint64_t life_s, life_kb; /* 0 when not given (IKEv2 never gives them) */
    uint8_t spi[8];
    size_t spi_len;
    char text[192];           /* the whole offer, readable; alternatives with '|' */
} rpt_suite;

typedef enum { RPT_SEV_INFO, RPT_SEV_LOW, RPT_SEV_MEDIUM, RPT_SEV_HIGH, RPT_SEV_CRITICAL,
               RPT_SEV_COUNT } rpt_severity;

typedef struct {
    const char *rule;         /* static rule id */
    rpt_severity severity;
    char reason[160];
} rpt_finding;

typedef enum { RPT_IKE_SA, RPT_CHILD_SA } rpt_kind;

typedef enum { RPT_INCOMPLETE, RPT_ESTABLISHED, RPT_FAILED, RPT_UNKNOWN } rpt_outcome;

typedef struct {
    const char *file;         /* interned in the report; NULL for a single input */
    uint32_t frame;
} rpt_where;

/* The ESP traffic of a child SA in one direction (rpt_add_esp). */
typedef struct {
    uint64_t packets;         /* ESP packets seen with the direction's SPI */
    uint64_t decrypted, bytes;   /* decrypted with a sound ICV, their inner bytes */
    uint64_t icv_failed, no_key, replays;
    rpt_where first, last;
    int64_t first_sec, last_sec;
    int32_t first_usec, last_usec;
} rpt_traffic;

typedef struct rpt_row rpt_row;
struct rpt_row {
    unsigned id;              /* 1, 2, ... in order of first sight */
    rpt_kind kind;
    int version;              /* 1 or 2 */
    uint32_t exch;            /* exchange that made it: 2 Main, 4 Aggressive, 32 Quick
                                 Mode, 34 IKE_SA_INIT, 35 IKE_AUTH, 36 CREATE_CHILD_SA */
    char exchange[RPT_NAME];
    rpt_row *ike;             /* a child's IKE SA; NULL for IKE SAs */
    rpt_row *rekey_of;        /* the SA this one replaced (rekeyed IKE or child SA) */
    uint8_t ispi[8], rspi[8]; /* IKE SPIs / cookies (of the carrying IKE SA for children) */
    uint32_t msgid;           /* children: the exchange's message ID */
    /* peers: the (exchange) initiator and responder */
    int af;
    uint8_t iaddr[16], raddr[16];
    uint16_t iport, rport;
    bool have_peers;
    char id_i[128], id_r[128];
    /* negotiation */
    GArray *offers;           /* rpt_suite, at most RPT_MAX_OFFERS */
    size_t offers_dropped;
    rpt_suite chosen;
    bool have_chosen;
    char auth_i[RPT_NAME], auth_r[RPT_NAME];   /* authentication, per side */
    uint32_t auth_i_id, auth_r_id;             /* IKEv2 AUTH method numbers, 0 unknown */
    bool ke_seen;             /* a KE payload in the exchange (children: PFS) */
    uint32_t ke_group;
    bool transport_mode;      /* IKEv2 USE_TRANSPORT_MODE accepted */
    /* what was seen */
    bool nat_d, nat_t, frag_supported, frag_used;
    GPtrArray *vids;          /* char *, owned, at most RPT_MAX_VIDS */
    char sig_hashes[RPT_NAME];   /* IKEv2 SIGNATURE_HASH_ALGORITHMS, names joined */
    bool sig_hash_sha1;
    rpt_outcome outcome;
    char error[RPT_NAME];     /* the notify that failed it */
    bool auth_seen_r;         /* IKEv2: AUTH in the IKE_AUTH response */
    unsigned turns;           /* IKEv1: changes of sender in the exchange */
    bool last_from_i;
    rpt_where first, last;
    uint32_t msgs, encrypted, decrypted;
    uint32_t icv_ok, icv_bad, hash_ok, hash_bad, auth_ok, auth_bad;
    rpt_traffic traffic[2];   /* children: ESP from the initiator (to the responder's SPI),
                                 [1] from the responder (to the initiator's SPI) */
    GArray *findings;         /* rpt_finding */
    GPtrArray *children;      /* rpt_row *, IKE SAs only; not owned */
    bool unlisted;            /* beyond max_rows: audited, counted, not listed (id 0) */
    bool retired;             /* unlisted, audited and about to be freed */
};

typedef struct rpt_report rpt_report;

typedef struct {
    bool json;                /* -T json: JSON lines; else a text table */
    size_t max_rows;          /* 0: RPT_DEFAULT_MAX_ROWS */
    const struct audit_rules *rules;   /* NULL: the built-in rules */
} rpt_opts;

/* A new, empty report.  Never NULL. */
rpt_report *rpt_new(const rpt_opts *o);

/* Adds one decoded message read from `file` (NULL for a single input). */
void rpt_add_msg(rpt_report *r, const char *file, const isakmp_msg *m);

/* Adds one ESP packet (outer: its addresses, frame and time; res: what
 * decrypting it gave) to the traffic of the child SA whose SPI it carries;
 * packets of SAs not in the report are left out. */
void rpt_add_esp(rpt_report *r, const char *file, const isakmp_packet *outer,
                 const isakmp_esp_result *res);

/* Runs the audit and writes the report.  Returns the highest finding's
 * severity, of listed and unlisted SAs, or -1 when there is none. */
int rpt_finish(rpt_report *r, FILE *out);

void rpt_free(rpt_report *r);

/* Severity names ("info", "low", "medium", "high", "critical"); parse returns -1
 * for an unknown name. */
const char *rpt_severity_name(rpt_severity s);
int rpt_severity_parse(const char *name);


/* ---------------------------------------------------------------- CLI glue */

/* The report's options of isakmpdump; rpt_cli_option parses one of them
 * (which: RPT_OPT_*), rpt_cli_start makes the report, rpt_cli_finish writes
 * it and gives the exit status (0, or RPT_EXIT_FINDINGS). */
enum { RPT_OPT_REPORT, RPT_OPT_AUDIT_RULES, RPT_OPT_FAIL_ON, RPT_OPT_MAX_SA, RPT_OPT_COUNT };
#define RPT_EXIT_FINDINGS 3

typedef struct {
    bool on;
    const char *rules_file;   /* --audit-rules; "list" prints the rules */
    int fail_on;              /* rpt_severity, -1 when not given */
    size_t max_rows;
    rpt_report *report;       /* made by rpt_cli_start */
    struct audit_rules *rules;
} rpt_cli;

void rpt_cli_init(rpt_cli *c);
/* Returns 0, or -1 with a one-line reason in err. */
int rpt_cli_option(rpt_cli *c, int which, const char *arg, char *err, size_t errlen);
/* After all options: returns 0, or -1 with a reason (a bad rules file). */
int rpt_cli_start(rpt_cli *c, bool json, char *err, size_t errlen);
int rpt_cli_finish(rpt_cli *c, FILE *out);

#endif
