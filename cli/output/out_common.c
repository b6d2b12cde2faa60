/* What the writers share: addresses, note lookup, header facts, payload lists. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

void out_addr(char *buf, size_t size, int af, const uint8_t *addr)
{
    if (af == 4)
        inet_ntop(AF_INET, addr, buf, (socklen_t)size);
    else if (af == 6)
        inet_ntop(AF_INET6, addr, buf, (socklen_t)size);
    else
        snprintf(buf, size, "?");
}

void out_ctx_init(out_ctx *c, FILE *out)
{
    memset(c, 0, sizeof *c);
    c->out = out;
    c->buf = g_string_sized_new(4096);
    note_index_init(&c->notes);
}

void out_ctx_clear(out_ctx *c)
{
    g_string_free(c->buf, TRUE);
    note_index_clear(&c->notes);
}

/* ---------------------------------------------------------------- notes */

void note_index_init(note_index *ni)
{
    memset(ni, 0, sizeof *ni);
    ni->order = g_array_new(FALSE, FALSE, sizeof(size_t));
}

void note_index_clear(note_index *ni) { g_array_free(ni->order, TRUE); }

static const isakmp_note *sort_notes;

static int cmp_note(const void *a, const void *b)
{
    const isakmp_item *x = sort_notes[*(const size_t *)a].item;
    const isakmp_item *y = sort_notes[*(const size_t *)b].item;
    if (x != y)
        return (uintptr_t)x < (uintptr_t)y ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;   /* keep tree order */
}

void note_index_set(note_index *ni, const isakmp_msg *m)
{
    ni->notes = isakmp_msg_notes(m, &ni->n);
    g_array_set_size(ni->order, ni->n);
    for (size_t i = 0; i < ni->n; i++)
        g_array_index(ni->order, size_t, i) = i;
    if (ni->n > 1) {
        sort_notes = ni->notes;   /* the writers run on one thread */
        qsort(ni->order->data, ni->n, sizeof(size_t), cmp_note);
    }
}

size_t note_index_find(const note_index *ni, const isakmp_item *it, size_t *count)
{
    const size_t *ord = (const size_t *)(const void *)ni->order->data;
    size_t lo = 0, hi = ni->n;
    while (lo < hi) {   /* the first entry whose item is >= it */
        size_t mid = (lo + hi) / 2;
        if ((uintptr_t)ni->notes[ord[mid]].item < (uintptr_t)it)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t k = lo;
    while (k < ni->n && ni->notes[ord[k]].item == it)
        k++;
    *count = k - lo;
    return lo;
}

const isakmp_note *note_index_get(const note_index *ni, size_t k)
{
    return &ni->notes[g_array_index(ni->order, size_t, k)];
}

/* ---------------------------------------------------------------- facts */

static bool is(const isakmp_item *it, const char *abbrev)
{
    return strcmp(isakmp_item_field(it)->abbrev, abbrev) == 0;
}

void msg_facts_get(const isakmp_msg *m, msg_facts *mf)
{
    memset(mf, 0, sizeof *mf);
    const isakmp_item *root = isakmp_msg_root(m);
    for (const isakmp_item *c = isakmp_item_first_child(root); c; c = isakmp_item_next(c)) {
        if (is(c, "ike.exchangetype")) {
            mf->exch = isakmp_item_uint(c);
            mf->exchange = isakmp_item_value_name(c);
        } else if (is(c, "ike.messageid")) {
            mf->msgid = isakmp_item_uint(c);
        } else if (is(c, "ike.flags")) {
            mf->has_flags = true;
            uint64_t v = isakmp_item_uint(c);
            mf->initiator = v & 0x08;   /* RFC 7296 3.1 */
            mf->response = v & 0x20;
        }
    }
}

/* ---------------------------------------------------------------- payloads */

/* Lists the payloads below `it`; payloads from data source `skip` (the
 * enclosing payload's own bytes: proposals, transforms) are left out so
 * only decrypted or reassembled inner payloads appear nested. */
static void list(GString *s, const isakmp_item *it, bool *first, size_t skip)
{
    for (const isakmp_item *c = isakmp_item_first_child(it); c; c = isakmp_item_next(c)) {
        if (!is(c, "ike.typepayload") || isakmp_item_source(c) == skip) {
            list(s, c, first, skip);
            continue;
        }
        const char *name = isakmp_item_value_name(c);
        if (!*first)
            g_string_append(s, ", ");
        *first = false;
        if (name)
            g_string_append(s, name);
        else
            g_string_append_printf(s, "Unknown (%u)", (unsigned)isakmp_item_uint(c));
        size_t mark = s->len;
        g_string_append(s, " {");
        bool inner_first = true;
        list(s, c, &inner_first, isakmp_item_source(c));
        if (inner_first)
            g_string_truncate(s, mark);   /* no inner payloads */
        else
            g_string_append_c(s, '}');
    }
}

void out_payload_list(GString *s, const isakmp_item *it)
{
    bool first = true;
    list(s, it, &first, (size_t)-1);
}
