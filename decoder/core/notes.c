/* Notes on the tree: what the decoder says about an item (malformed,
 * truncated, unknown, limits, verdicts).  Apart from msg.c so that the
 * parts that only add notes (the facts record) do not depend on the rest
 * of the message's life. */
#include <stdarg.h>

#include "core/msg.h"

void tree_note(isakmp_msg *m, uint32_t item, isakmp_severity sev, isakmp_note_code code,
               const char *fmt, ...)
{
    if (m->lean)
        return;   /* field-directed without keys: nobody reads notes */
    va_list ap;
    va_start(ap, fmt);
    msg_note n = { item & ~TREE_GHOST, sev, code, g_strdup_vprintf(fmt, ap) };
    va_end(ap);
    g_array_append_val(m->notes, n);
}
