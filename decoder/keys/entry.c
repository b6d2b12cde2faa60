/* What the key-file readers share (entry.h). */
#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/secure.h"
#include "keys/entry.h"

void secrets_each_line(const char *text, size_t len, secrets_line_fn fn, void *user)
{
    size_t no = 0, start = 0;
    while (start < len) {
        const char *nl = memchr(text + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - text) : len;
        char *line = g_strndup(text + start, end - start);
        g_strchomp(line);   /* also drops a '\r' */
        fn(line, ++no, user);
        secure_wipe(line, strlen(line));
        g_free(line);
        start = end + 1;
    }
}

void secrets_report(isakmp_key_error_fn on_error, void *user, const char *name, size_t line,
                    const char *fmt, ...)
{
    if (!on_error)
        return;
    char where[512], reason[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    snprintf(where, sizeof where, "%s:%zu", name, line);
    on_error(user, where, reason);
}

void secrets_words_free(char **w)
{
    for (guint i = 0; w[i]; i++)
        secure_wipe(w[i], strlen(w[i]));
    g_strfreev(w);
}
