/*
 * A target for trying the AFL++ custom mutator with afl-fuzz itself
 * (docs/mutate.md): reads one IKE message from the file named on the command
 * line (afl-fuzz's @@), decodes it with the keys of ISAKMP_MUTATOR_KEYS and
 * formats every item.  Exit 0 whatever the input.
 */
#include <glib.h>
#include <stdlib.h>

#include "isakmp/isakmp.h"

static void visit(const isakmp_item *it, void *user)
{
    char buf[256];
    *(size_t *)user += isakmp_item_format_value(it, buf, sizeof buf);
}

int main(int argc, char **argv)
{
    gchar *data;
    gsize n;
    if (argc < 2 || !g_file_get_contents(argv[1], &data, &n, NULL))
        return 2;
    isakmp_ctx *ctx = isakmp_ctx_new();
    const char *keys = getenv("ISAKMP_MUTATOR_KEYS");
    char **files = g_strsplit(keys ? keys : "", ":", -1);
    for (char **f = files; *f; f++)
        if (**f)
            isakmp_ctx_load_keys(ctx, *f, NULL, NULL);
    g_strfreev(files);
    isakmp_packet pkt = { .data = (const uint8_t *)data, .len = n, .af = 4, .sport = 500,
                          .dport = 500 };
    isakmp_msg *m = isakmp_decode(ctx, &pkt);
    size_t total = 0;
    isakmp_msg_walk(m, visit, &total);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
    g_free(data);
    return total == (size_t)-1;
}
