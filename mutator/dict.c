/*
 * isakmp-mutator-dict: prints the AFL++ / libFuzzer dictionary made from
 * libisakmp's field and value tables (isakmp_mutate_dictionary).
 */
#include <stdio.h>
#include <stdlib.h>

#include "isakmp/edit.h"

int main(void)
{
    size_t n = isakmp_mutate_dictionary(NULL, 0);
    char *buf = malloc(n + 1);
    if (!buf)
        return 1;
    isakmp_mutate_dictionary(buf, n + 1);
    fputs(buf, stdout);
    free(buf);
    return ferror(stdout) ? 1 : 0;
}
