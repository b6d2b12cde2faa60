/* The line splitter of the key-file readers (entry.h). */
#include <glib.h>
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
