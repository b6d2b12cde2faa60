/*
 * The mutation tools' contexts (edit_check.c, live_mutants.c): a new
 * context with every -k file loaded; a file that does not load ends the
 * tool (exit 2), since every later verdict would depend on it.
 */
#ifndef ISAKMP_TEST_TOOL_KEYS_H
#define ISAKMP_TEST_TOOL_KEYS_H

#include <stdio.h>
#include <stdlib.h>

#include "isakmp/isakmp.h"

static inline isakmp_ctx *tool_ctx_with_keys(char **keys, int nkeys, const char *tool)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    for (int i = 0; i < nkeys; i++)
        if (isakmp_ctx_load_keys(ctx, keys[i], NULL, NULL) < 0) {
            fprintf(stderr, "%s: cannot load %s\n", tool, keys[i]);
            exit(2);
        }
    return ctx;
}

#endif
