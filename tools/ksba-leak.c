/*
 * The experiment behind cert_der_check (decoder/payloads/cert.c): which
 * inputs make libksba keep memory after ksba_cert_init_from_mem fails.
 * libksba's allocations are counted through ksba_set_malloc_hooks; for each
 * input (one hex string per line on stdin) it prints
 *
 *   <check 0/1> <blocks kept> <bytes kept> <ksba error> <why> <hex>
 *
 * Build (against a built tree, here build-x):
 *   cc -O1 -g -Idecoder -Iinclude -Ibuild-x tools/ksba-leak.c build-x/libisakmp.a \
 *      $(pkg-config --cflags --libs glib-2.0 libgcrypt ksba) -o build-x/ksba-leak
 */
#include <ksba.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "payloads/cert.h"

static long live_blocks, live_bytes;

static void *count_malloc(size_t n)
{
    void *p = malloc(n);
    if (p) {
        live_blocks++;
        live_bytes += (long)malloc_usable_size(p);
    }
    return p;
}

static void count_free(void *p)
{
    if (!p)
        return;
    live_blocks--;
    live_bytes -= (long)malloc_usable_size(p);
    free(p);
}

static void *count_realloc(void *p, size_t n)
{
    long old = p ? (long)malloc_usable_size(p) : 0;
    void *q = realloc(p, n);
    if (!q)
        return NULL;
    if (!p)
        live_blocks++;
    live_bytes += (long)malloc_usable_size(q) - old;
    return q;
}

int main(void)
{
    ksba_set_malloc_hooks(count_malloc, count_realloc, count_free);
    static char line[1 << 20];
    static uint8_t der[1 << 19];
    while (fgets(line, sizeof line, stdin)) {
        size_t n = 0;
        for (char *s = line; s[0] && s[1] && s[0] != '\n' && n < sizeof der; s += 2) {
            unsigned v;
            if (sscanf(s, "%2x", &v) != 1)
                break;
            der[n++] = (uint8_t)v;
        }
        const char *why = NULL;
        bool ok = cert_der_check(der, n, &why);
        long b0 = live_blocks, y0 = live_bytes;
        ksba_cert_t cert;
        gpg_error_t err = 1;
        if (ksba_cert_new(&cert) == 0) {
            err = ksba_cert_init_from_mem(cert, der, n);
            ksba_cert_release(cert);
        }
        line[strcspn(line, "\n")] = 0;
        printf("%d %ld %ld %u %s %.80s\n", ok, live_blocks - b0, live_bytes - y0,
               (unsigned)(err & 0xffff), why ? why : "-", line);
    }
    return 0;
}
