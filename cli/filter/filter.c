/* Display filters: compiling, the fields a program reads, error display
 * (filter.h). */
#include <string.h>

#include "filter_int.h"

filter *filter_compile(const char *expr, const filter_frame_fields *frame_fields,
                       filter_error *e)
{
    memset(e, 0, sizeof *e);
    GArray *toks = g_array_new(FALSE, TRUE, sizeof(token));
    if (!filter_lex(expr, toks, e)) {
        filter_tokens_free(toks);
        return NULL;
    }
    filter *f = g_new0(filter, 1);
    f->expr = g_strdup(expr);
    f->fields = g_array_new(FALSE, TRUE, sizeof(flt_field));
    f->ff = frame_fields ? frame_fields : &filter_frame_fields_default;
    isakmp_fields(&f->nfield_ids);
    f->slot_of = g_new(int, f->nfield_ids ? f->nfield_ids : 1);
    for (size_t i = 0; i < f->nfield_ids; i++)
        f->slot_of[i] = -1;
    f->root = filter_parse(f, toks, e);
    filter_tokens_free(toks);
    if (!f->root) {
        filter_free(f);
        return NULL;
    }
    return f;
}

void filter_free(filter *f)
{
    if (!f)
        return;
    filter_node_free(f->root);
    for (guint i = 0; i < f->fields->len; i++)
        g_free(g_array_index(f->fields, flt_field, i).name);
    g_array_free(f->fields, TRUE);
    g_free(f->slot_of);
    g_free(f->expr);
    g_free(f);
}

size_t filter_ike_fields(const filter *f, int *ids, size_t max)
{
    size_t n = 0;
    for (size_t id = 0; id < f->nfield_ids; id++)
        if (f->slot_of[id] >= 0) {
            if (n < max)
                ids[n] = (int)id;
            n++;
        }
    return n;
}

bool filter_ordered(const filter *f)
{
    for (guint i = 0; i < f->fields->len; i++) {
        const flt_field *r = &g_array_index(f->fields, flt_field, i);
        if (r->src == SRC_FRAME && f->ff->ordered && f->ff->ordered(r->id))
            return true;
    }
    return false;
}

void filter_error_print(FILE *out, const char *what, const char *expr, const filter_error *e)
{
    /* columns count characters, as the caret below them does */
    size_t col = (size_t)g_utf8_pointer_to_offset(expr, expr + MIN(e->col, strlen(expr)));
    fprintf(out, "isakmpdump: %s: %s at column %zu\n", what, e->msg, col + 1);
    fprintf(out, "    %s\n    %*s^", expr, (int)col, "");
    for (size_t i = 1; i < e->len; i++)
        fputc('~', out);
    fputc('\n', out);
}
