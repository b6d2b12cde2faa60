/* The audit of isakmpdump --report: a table of rules (id, default severity,
 * description, predicate) applied to each SA row; an organisation can change
 * severities or turn rules off with --audit-rules FILE.  The rules are
 * documented in docs/report.md; `isakmpdump --audit-rules list` prints them. */
#ifndef ISAKMPDUMP_AUDIT_H
#define ISAKMPDUMP_AUDIT_H

#include <stdio.h>

#include "report.h"

/* A predicate: true when the row breaks the rule, with a one-line reason. */
typedef bool (*audit_check_fn)(const rpt_row *row, char *reason, size_t size);

typedef struct {
    const char *id;
    rpt_severity severity;     /* the default */
    const char *description;
    audit_check_fn check;
} audit_rule;

/* The built-in rules; count in *n. */
const audit_rule *audit_rule_table(size_t *n);

/* Severities in force: the defaults, changed by a rules file. */
typedef struct audit_rules audit_rules;

audit_rules *audit_rules_new(void);
void audit_rules_free(audit_rules *ar);

/* Reads "RULE-ID SEVERITY" lines (SEVERITY: info, low, medium, high,
 * critical, or off; '#' starts a comment; "*" as RULE-ID sets every rule).
 * Returns 0, or -1 with "file:line: reason" in err (first problem only). */
int audit_rules_load(audit_rules *ar, const char *path, char *err, size_t errlen);

/* Same, from memory; `name` is used in the error location. */
int audit_rules_load_mem(audit_rules *ar, const char *name, const char *text, char *err,
                         size_t errlen);

/* Replaces row->findings with the findings of every rule in force (rules
 * NULL: the defaults). */
void audit_row(const audit_rules *ar, rpt_row *row);

/* Prints the rules in force, one per line: id, severity, description. */
void audit_rules_print(const audit_rules *ar, FILE *out);

#endif
