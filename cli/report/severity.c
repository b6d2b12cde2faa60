/* Severity names of the report's findings, shared by the audit rules, the
 * report and its writers (report.h declares them). */
#include <glib.h>

#include "report.h"

static const char *const sev_names[RPT_SEV_COUNT] = { "info", "low", "medium", "high",
                                                      "critical" };

const char *rpt_severity_name(rpt_severity s)
{
    return (unsigned)s < RPT_SEV_COUNT ? sev_names[s] : "?";
}

int rpt_severity_parse(const char *name)
{
    for (int i = 0; i < RPT_SEV_COUNT; i++)
        if (g_ascii_strcasecmp(name, sev_names[i]) == 0)
            return i;
    return -1;
}
