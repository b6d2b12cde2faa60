/* isakmpdump's --report, --audit-rules, --fail-on and --report-max-sa:
 * the glue between the option parser in isakmpdump.c and the report. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "report.h"

void rpt_cli_init(rpt_cli *c)
{
    memset(c, 0, sizeof *c);
    c->fail_on = -1;
}

static int parse_max(rpt_cli *c, const char *arg, char *err, size_t errlen)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (errno || *end || arg[0] == '-' || v < 1 || v > 100000000ULL) {
        g_snprintf(err, errlen, "bad SA count '%s' for --report-max-sa (1-100000000)", arg);
        return -1;
    }
    c->max_rows = (size_t)v;
    return 0;
}

int rpt_cli_option(rpt_cli *c, int which, const char *arg, char *err, size_t errlen)
{
    switch (which) {
    case RPT_OPT_REPORT: c->on = true; return 0;
    case RPT_OPT_AUDIT_RULES:
        if (strcmp(arg, "list") == 0) {   /* needs no input: print and go */
            audit_rules_print(NULL, stdout);
            exit(0);
        }
        c->rules_file = arg;
        return 0;
    case RPT_OPT_FAIL_ON:
        c->fail_on = rpt_severity_parse(arg);
        if (c->fail_on < 0) {
            g_snprintf(err, errlen, "unknown severity '%s' for --fail-on "
                       "(info, low, medium, high, critical)", arg);
            return -1;
        }
        return 0;
    case RPT_OPT_MAX_SA: return parse_max(c, arg, err, errlen);
    default: g_snprintf(err, errlen, "unknown report option"); return -1;
    }
}

int rpt_cli_start(rpt_cli *c, bool json, char *err, size_t errlen)
{
    if ((c->rules_file || c->fail_on >= 0 || c->max_rows) && !c->on) {
        g_snprintf(err, errlen, "--audit-rules, --fail-on and --report-max-sa need --report");
        return -1;
    }
    if (!c->on)
        return 0;   /* nothing allocated: main may return early */
    c->rules = audit_rules_new();
    if (c->rules_file && audit_rules_load(c->rules, c->rules_file, err, errlen) < 0)
        return -1;
    rpt_opts o = { .json = json, .max_rows = c->max_rows, .rules = c->rules };
    c->report = rpt_new(&o);
    return 0;
}

int rpt_cli_finish(rpt_cli *c, FILE *out)
{
    int rc = 0;
    if (c->report) {
        int worst = rpt_finish(c->report, out);
        if (c->fail_on >= 0 && worst >= c->fail_on)
            rc = RPT_EXIT_FINDINGS;
        rpt_free(c->report);
        c->report = NULL;
    }
    audit_rules_free(c->rules);
    c->rules = NULL;
    return rc;
}
