/*
 * Drives the AFL++ custom mutator the way afl-fuzz does (dlopen, then
 * afl_custom_init / afl_custom_fuzz / afl_custom_deinit), without afl-fuzz:
 * for tests/mutate/run-mutator.sh.
 *
 *   afl_driver LIB.so ROUNDS OUTDIR INPUT...
 *
 * Each round mutates every input (splicing from the next one) and writes
 * the mutants that differ from their input to OUTDIR/mutant-R-I.  Prints
 * how many were written.
 */
#include <dlfcn.h>
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void *(*init_fn)(void *afl, unsigned int seed);
typedef size_t (*fuzz_fn)(void *data, uint8_t *buf, size_t buf_size, uint8_t **out_buf,
                          uint8_t *add_buf, size_t add_buf_size, size_t max_size);
typedef void (*deinit_fn)(void *data);

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: afl_driver LIB.so ROUNDS OUTDIR INPUT...\n");
        return 2;
    }
    void *h = dlopen(argv[1], RTLD_NOW);
    if (!h) {
        fprintf(stderr, "afl_driver: %s\n", dlerror());
        return 2;
    }
    init_fn init = (init_fn)(uintptr_t)dlsym(h, "afl_custom_init");
    fuzz_fn fuzz = (fuzz_fn)(uintptr_t)dlsym(h, "afl_custom_fuzz");
    deinit_fn deinit = (deinit_fn)(uintptr_t)dlsym(h, "afl_custom_deinit");
    if (!init || !fuzz || !deinit) {
        fprintf(stderr, "afl_driver: %s lacks the afl_custom_ entry points\n", argv[1]);
        return 2;
    }
    int rounds = atoi(argv[2]), nin = argc - 4;
    GBytes **in = g_new0(GBytes *, nin);
    for (int i = 0; i < nin; i++) {
        gchar *d;
        gsize n;
        if (!g_file_get_contents(argv[4 + i], &d, &n, NULL))
            return 2;
        in[i] = g_bytes_new_take(d, n);
    }
    void *m = init(NULL, 1);
    unsigned written = 0, same = 0;
    for (int r = 0; r < rounds; r++)
        for (int i = 0; i < nin; i++) {
            gsize n, an;
            const uint8_t *p = g_bytes_get_data(in[i], &n);
            const uint8_t *add = g_bytes_get_data(in[(i + 1) % nin], &an);
            uint8_t *buf = g_memdup2(p, n), *addc = g_memdup2(add, an), *out = NULL;
            size_t len = fuzz(m, buf, n, &out, addc, an, 65535);
            if (len == n && memcmp(out, p, n) == 0) {
                same++;
            } else {
                char *path = g_strdup_printf("%s/mutant-%d-%d", argv[3], r, i);
                g_file_set_contents(path, (const char *)out, (gssize)len, NULL);
                g_free(path);
                written++;
            }
            g_free(buf);
            g_free(addc);
        }
    deinit(m);
    printf("%u mutants written, %u inputs handed back unchanged\n", written, same);
    for (int i = 0; i < nin; i++)
        g_bytes_unref(in[i]);
    g_free(in);
    return 0;   /* (no dlclose: afl-fuzz keeps the library loaded too) */
}
