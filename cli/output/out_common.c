/* What the writers share: addresses, note lookup, header facts, payload lists. */
#include <stdlib.h>
#include <string.h>

#include "obuf.h"
#include "output.h"

size_t out_addr(char *buf, size_t size, int af, const uint8_t *addr)
{
    size_t n = isakmp_format_addr(af, addr, buf, size);
    return n ? n : (size_t)snprintf(buf, size, "?");
}

void out_ctx_init(out_ctx *c, FILE *out)
{
    memset(c, 0, sizeof *c);
    c->out = out;
    c->buf = g_string_sized_new(1 << 16);
    c->scratch = g_string_sized_new(4096);
    c->kids.cap = 256;
    c->kids.v = g_new(const isakmp_item *, c->kids.cap);
    size_t nf;
    isakmp_fields(&nf);
    c->kid_seen = g_new0(uint32_t, nf);
    c->key_len = g_new0(uint8_t, nf);
    c->f_version = isakmp_field_by_abbrev("ike.version");
    c->f_flags = isakmp_field_by_abbrev("ike.flags");
    note_index_init(&c->notes);
}

void out_ctx_clear(out_ctx *c)
{
    g_string_free(c->buf, TRUE);
    g_string_free(c->scratch, TRUE);
    g_free(c->kids.v);
    g_free(c->kid_seen);
    g_free(c->key_len);
    note_index_clear(&c->notes);
}

/* ---------------------------------------------------------------- notes */

/* A note and its place in the message's list (the order among one item's notes). */
typedef struct {
    uintptr_t item;
    size_t index;
} note_ref;

void note_index_init(note_index *ni)
{
    memset(ni, 0, sizeof *ni);
    ni->order = g_array_new(FALSE, FALSE, sizeof(note_ref));
}

void note_index_clear(note_index *ni) { g_array_free(ni->order, TRUE); }

static int cmp_note(const void *a, const void *b)
{
    const note_ref *x = a, *y = b;
    if (x->item != y->item)
        return x->item < y->item ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;   /* keep tree order */
}

void note_index_set(note_index *ni, const isakmp_msg *m)
{
    ni->notes = isakmp_msg_notes(m, &ni->n);
    g_array_set_size(ni->order, ni->n);
    note_ref *ord = (note_ref *)(void *)ni->order->data;
    for (size_t i = 0; i < ni->n; i++)
        ord[i] = (note_ref){ (uintptr_t)ni->notes[i].item, i };
    if (ni->n > 1)
        qsort(ord, ni->n, sizeof *ord, cmp_note);
}

size_t note_index_find(const note_index *ni, const isakmp_item *it, size_t *count)
{
    const note_ref *ord = (const note_ref *)(const void *)ni->order->data;
    size_t lo = 0, hi = ni->n;
    if (hi == 0) {
        *count = 0;
        return 0;
    }
    while (lo < hi) {   /* the first entry whose item is >= it */
        size_t mid = (lo + hi) / 2;
        if (ord[mid].item < (uintptr_t)it)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t k = lo;
    while (k < ni->n && ord[k].item == (uintptr_t)it)
        k++;
    *count = k - lo;
    return lo;
}

const isakmp_note *note_index_get(const note_index *ni, size_t k)
{
    return &ni->notes[g_array_index(ni->order, note_ref, k).index];
}

/* ---------------------------------------------------------------- payloads */

/* Closes the braces of the payloads that hold payload `last` up to (not
 * including) payload `upto` (ISAKMP_FACT_NONE: all of them).  Parents
 * come before their children, so the climb ends. */
static void close_braces(GString *s, const isakmp_facts *f, size_t last, uint32_t upto)
{
    for (uint32_t a = f->payloads[last].parent; a != upto && a < last; a = f->payloads[a].parent) {
        ob_c(s, '}');
        last = a;
    }
}

/* "(NO_PROPOSAL_CHOSEN)" after a Notify payload: its type's name. */
static void notify_type(GString *s, const isakmp_msg *m, const isakmp_facts *f, size_t payload)
{
    for (size_t k = 0; k < f->n_notifies; k++) {
        if (f->notifies[k].payload != payload)
            continue;
        const char *name = isakmp_fact_value_name(m, ISAKMP_FACT_NOTIFY, k);
        ob_c(s, '(');
        if (name)
            ob_puts(s, name);
        else
            ob_u64(s, f->notifies[k].type);
        ob_c(s, ')');
        return;
    }
}

/* " (fragment 1/4)" after an SKF or IKEv1 fragment payload (IKEv1 gives
 * no total: "(fragment 3, last)"), ", reassembled" when the whole message
 * is inside it. */
static void fragment(GString *s, const isakmp_facts *f, size_t payload, bool inner)
{
    for (size_t k = 0; k < f->n_frags; k++) {
        const isakmp_fact_frag *fr = &f->frags[k];
        if (fr->payload != payload)
            continue;
        if (fr->total)
            g_string_append_printf(s, " (fragment %u/%u", fr->number, fr->total);
        else
            g_string_append_printf(s, " (fragment %u%s", fr->number, fr->last ? ", last" : "");
        g_string_append(s, inner ? ", reassembled)" : ")");
        return;
    }
}

/* IKEv2 Encrypted (46) and Encrypted Fragment (53) payloads. */
static bool sk_payload(int version, uint8_t type) { return version == 2 && (type == 46 || type == 53); }

/* The payload list from the facts, in tree order: the payloads inside an
 * SK / SKF / fragment payload (their parent) come right after it.  Notify
 * payloads carry their type's name, fragments their number, and what
 * could not be decrypted says so. */
void out_payload_list(GString *s, const isakmp_msg *m)
{
    const isakmp_facts *f = isakmp_msg_facts(m);
    int version = isakmp_msg_version(m);
    if (f->n_payloads == 0 && version == 1 && f->header.encrypted && !f->decrypted) {
        g_string_append(s, "encrypted, no key");
        return;
    }
    for (size_t i = 0; i < f->n_payloads; i++) {
        const isakmp_fact_payload *p = &f->payloads[i];
        if (i > 0 && p->parent == i - 1) {
            OB_LIT(s, " {");
        } else if (i > 0) {
            close_braces(s, f, i - 1, p->parent);
            OB_LIT(s, ", ");
        }
        const char *name = isakmp_item_value_name(p->item);
        if (name) {
            ob_puts(s, name);
        } else {
            OB_LIT(s, "Unknown (");
            ob_u64(s, p->type);
            ob_c(s, ')');
        }
        bool inner = i + 1 < f->n_payloads && f->payloads[i + 1].parent == i;
        notify_type(s, m, f, i);
        fragment(s, f, i, inner);
        if (!inner && sk_payload(version, p->type) && !f->decrypted)
            OB_LIT(s, " {encrypted, no key}");
    }
    if (f->n_payloads)
        close_braces(s, f, f->n_payloads - 1, ISAKMP_FACT_NONE);
}

void out_msg_errors(GString *s, const isakmp_msg *m)
{
    const isakmp_facts *f = isakmp_msg_facts(m);
    /* error types: below 16384 (IKEv2, RFC 7296 3.10.1), below 8192 (IKEv1, RFC 2408 3.14.1) */
    unsigned limit = isakmp_msg_version(m) == 2 ? 16384 : 8192;
    const char *sep = " ERROR(";
    for (size_t k = 0; k < f->n_notifies; k++) {
        uint16_t t = f->notifies[k].type;
        if (t == 0 || t >= limit)
            continue;
        const char *name = isakmp_fact_value_name(m, ISAKMP_FACT_NOTIFY, k);
        g_string_append(s, sep);
        if (name)
            g_string_append(s, name);
        else
            g_string_append_printf(s, "%u", t);
        sep = ", ";
    }
    if (*sep == ',')
        g_string_append_c(s, ')');
}

void out_msg_headline(GString *s, const isakmp_msg *m)
{
    g_string_append(s, isakmp_msg_summary(m));   /* the library's, as the plugin's Info column */
}
