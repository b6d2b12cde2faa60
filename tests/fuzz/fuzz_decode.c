/* Harness: one message, no keys (isakmp_decode). Decodes it twice as the same
 * frame: the second pass must work from the per-frame state of the first.
 * Then an oracle for field-directed decoding (isakmp_ctx_set_fields): a few
 * fields, chosen from the input, must have the same values as in the full
 * tree; a difference aborts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "fuzz_common.h"

#define PICKS 3

typedef struct {
    int field;            /* -1: every field, into per-field strings */
    GString **values;     /* per field id */
    GArray *present;      /* int: field ids seen (full tree only) */
    bool *seen;
} collect_ctx;

static void collect(const isakmp_item *it, void *user)
{
    collect_ctx *c = user;
    int f = isakmp_item_field(it)->id;
    if (c->field >= 0 && f != c->field)
        return;
    char buf[256];
    isakmp_item_format_value(it, buf, sizeof buf);
    g_string_append(c->values[f], buf);
    g_string_append_c(c->values[f], '|');
    if (c->present && !c->seen[f]) {
        c->seen[f] = true;
        g_array_append_val(c->present, f);
    }
}

/* The values of `field` (every field when -1) over the decode of data. */
static GString **values_of(const uint8_t *data, size_t size, int field, GArray *present,
                           bool *seen)
{
    size_t nf;
    isakmp_fields(&nf);
    GString **v = g_new0(GString *, nf);
    for (size_t i = 0; i < nf; i++)
        v[i] = g_string_new(NULL);
    isakmp_ctx *ctx = isakmp_ctx_new();
    if (field >= 0)
        isakmp_ctx_set_fields(ctx, &field, 1);
    isakmp_packet pkt = { .data = data, .len = size, .frame = 1, .af = 4, .sport = 500,
                          .dport = 500 };
    isakmp_msg *m = isakmp_decode(ctx, &pkt);
    collect_ctx c = { field, v, present, seen };
    isakmp_msg_walk(m, collect, &c);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
    return v;
}

static void free_values(GString **v)
{
    size_t nf;
    isakmp_fields(&nf);
    for (size_t i = 0; i < nf; i++)
        g_string_free(v[i], TRUE);
    g_free(v);
}

static void direction_oracle(const uint8_t *data, size_t size)
{
    size_t nf;
    const isakmp_field *t = isakmp_fields(&nf);
    GArray *present = g_array_new(FALSE, FALSE, sizeof(int));
    bool *seen = g_new0(bool, nf);
    GString **full = values_of(data, size, -1, present, seen);
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < size; i++)
        h = (h ^ data[i]) * 16777619u;
    for (int k = 0; k < PICKS; k++) {
        /* mostly fields the message has, sometimes any field */
        int f = present->len && k < PICKS - 1
                    ? g_array_index(present, int, (h >> (8 * k)) % present->len)
                    : (int)((h >> 3) % nf);
        GString **one = values_of(data, size, f, NULL, NULL);
        if (!g_string_equal(one[f], full[f])) {
            fprintf(stderr, "field-directed %s differs:\n  full: %s\n  only: %s\n", t[f].abbrev,
                    full[f]->str, one[f]->str);
            abort();
        }
        free_values(one);
    }
    free_values(full);
    g_array_free(present, TRUE);
    g_free(seen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    fz_decode_walk(ctx, data, size, 1, 500, 0);
    fz_decode_walk(ctx, data, size, 1, 500, 0);
    isakmp_ctx_free(ctx);
    direction_oracle(data, size);
    return 0;
}
