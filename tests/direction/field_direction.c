/*
 * Field-directed decoding (isakmp_ctx_set_fields) against full trees.
 *
 *   field_direction [-k KEYS]... CAPTURE...
 *
 * Every capture is decoded once with full trees, then once per field of the
 * table with only that field wanted; the values of the field, in tree order
 * and message by message, must be the same.  The full trees also check the
 * payload table the decoder skips bodies by (payload_body_fields): every
 * item inside a payload's body must be of a field that table names for the
 * payload's type, or the decoder could skip a body that holds a wanted
 * field.  Without keys, a stateless context (isakmp_ctx_set_stateless)
 * must give the same values for every message it does not say needed
 * state.  Exit status 1 on any difference, each one printed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "core/internal.h"
#include "core/payload_fields.h"

typedef struct {
    GPtrArray *pkts;   /* isakmp_packet *, data owned */
} frames;

static void on_frame(void *user, const capture_frame *f)
{
    frames *fr = user;
    for (size_t i = 0; i < f->nmsgs; i++) {
        isakmp_packet *p = g_new(isakmp_packet, 1);
        *p = f->msgs[i];
        p->data = g_memdup2(f->msgs[i].data, f->msgs[i].len);
        g_ptr_array_add(fr->pkts, p);
    }
}

static void free_pkt(gpointer p)
{
    g_free((void *)(uintptr_t)((isakmp_packet *)p)->data);
    g_free(p);
}

static isakmp_ctx *new_ctx(char **keys, int nkeys)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_ctx_set_frame_records(ctx, false);
    for (int i = 0; i < nkeys; i++)
        if (isakmp_ctx_load_keys(ctx, keys[i], NULL, NULL) < 0) {
            fprintf(stderr, "field_direction: cannot load %s\n", keys[i]);
            exit(2);
        }
    return ctx;
}

/* Appends "value" for every item of `field` (all fields when -1) under `it`,
 * in pre-order, to out[field]. */
static void collect(const isakmp_item *it, int field, GString **out)
{
    int f = isakmp_item_field(it)->id;
    if (field < 0 || f == field) {
        char buf[4096];
        isakmp_item_format_value(it, buf, sizeof buf);
        g_string_append(out[f], buf);
        g_string_append_c(out[f], '|');
    }
    for (const isakmp_item *c = isakmp_item_first_child(it); c; c = isakmp_item_next(c))
        collect(c, field, out);
}

static bool learn;   /* FD_LEARN set: print what each body holds, compare nothing */

static bool is_payload(const isakmp_item *it)
{
    return isakmp_item_field(it)->id == F_TYPEPAYLOAD;
}

static bool same_source(const isakmp_item *a, const isakmp_item *b)
{
    return isakmp_item_source(a) == isakmp_item_source(b);
}

/* The generic header items of payload p (its first 4 bytes): the parser of
 * p's container builds them, not p's body. */
static bool in_header(const isakmp_item *p, const isakmp_item *it)
{
    return same_source(p, it) && isakmp_item_offset(it) < isakmp_item_offset(p) + 4;
}

/* Item `it` was built while parsing the body of payload p. */
static int check_one(const isakmp_msg *m, const isakmp_item *p, const isakmp_item *it)
{
    int version = isakmp_msg_version(m);
    unsigned type = (unsigned)isakmp_item_uint(p);
    int f = isakmp_item_field(it)->id;
    if (learn) {
        printf("%d\t%u\t%s\n", version, type, isakmp_item_field(it)->abbrev);
        return 0;
    }
    const int *allowed = payload_body_fields(version, (uint8_t)type);
    if (!allowed || payload_fields_has(allowed, f) || payload_field_any_body(f) ||
        payload_field_after_parse(f))
        return 0;
    fprintf(stderr, "v%d payload %u: field %s is not in its table (frame %u)\n", version, type,
            isakmp_item_field(it)->abbrev, isakmp_msg_packet(m)->frame);
    return 1;
}

static int check_payload(const isakmp_msg *m, const isakmp_item *p);
static int check_free(const isakmp_msg *m, const isakmp_item *it);

/* `it` and what is below it, inside the body of payload p: a nested payload
 * item and its header belong to p's body, the rest to the nested body. */
static int check_in_body(const isakmp_msg *m, const isakmp_item *p, const isakmp_item *it)
{
    if (!same_source(p, it))   /* decrypted or reassembled data: no body of p */
        return check_free(m, it);
    int bad = check_one(m, p, it);
    if (is_payload(it)) {
        for (const isakmp_item *h = isakmp_item_first_child(it); h; h = isakmp_item_next(h))
            if (in_header(it, h))
                bad += check_in_body(m, p, h);
        return bad + check_payload(m, it);
    }
    for (const isakmp_item *c = isakmp_item_first_child(it); c; c = isakmp_item_next(c))
        bad += check_in_body(m, p, c);
    return bad;
}

/* A payload's own items: all below it but its header. */
static int check_payload(const isakmp_msg *m, const isakmp_item *p)
{
    int bad = 0;
    for (const isakmp_item *c = isakmp_item_first_child(p); c; c = isakmp_item_next(c))
        if (!in_header(p, c))
            bad += check_in_body(m, p, c);
    return bad;
}

/* Items outside any payload's body (the header, top-level chains). */
static int check_free(const isakmp_msg *m, const isakmp_item *it)
{
    if (is_payload(it))
        return check_payload(m, it);
    int bad = 0;
    for (const isakmp_item *c = isakmp_item_first_child(it); c; c = isakmp_item_next(c))
        bad += check_free(m, c);
    return bad;
}

/* Decodes every packet; returns the values per field, message by message. */
static GString **decode_all(const frames *fr, char **keys, int nkeys, int field, int *bad)
{
    size_t nf;
    isakmp_fields(&nf);
    GString **out = g_new0(GString *, nf);
    for (size_t i = 0; i < nf; i++)
        out[i] = g_string_new(NULL);
    isakmp_ctx *ctx = new_ctx(keys, nkeys);
    if (field >= 0)
        isakmp_ctx_set_fields(ctx, &field, 1);
    for (guint i = 0; i < fr->pkts->len; i++) {
        isakmp_msg *m = isakmp_decode(ctx, fr->pkts->pdata[i]);
        collect(isakmp_msg_root(m), field, out);
        if (bad)
            *bad += check_free(m, isakmp_msg_root(m));
        for (size_t k = 0; k < nf; k++)
            g_string_append_c(out[k], '\n');
        isakmp_msg_free(m);
    }
    isakmp_ctx_free(ctx);
    return out;
}

/* The values of every field in one message, one line. */
static void message_values(const isakmp_msg *m, GString *out)
{
    size_t nf;
    isakmp_fields(&nf);
    GString **v = g_new0(GString *, nf);
    for (size_t i = 0; i < nf; i++)
        v[i] = g_string_new(NULL);
    collect(isakmp_msg_root(m), -1, v);
    g_string_truncate(out, 0);
    for (size_t i = 0; i < nf; i++) {
        g_string_append(out, v[i]->str);
        g_string_free(v[i], TRUE);
    }
    g_free(v);
}

/* The whole tree as -V and -T json see it: every item's field, value and
 * label in tree order, then the notes. */
static void tree_text(const isakmp_item *it, GString *out)
{
    char buf[4096];
    isakmp_item_format_value(it, buf, sizeof buf);
    const char *label = isakmp_item_label(it);
    g_string_append_printf(out, "%s=%s [%s]|", isakmp_item_field(it)->abbrev, buf,
                           label ? label : "");
    for (const isakmp_item *c = isakmp_item_first_child(it); c; c = isakmp_item_next(c))
        tree_text(c, out);
}

static void message_text(const isakmp_msg *m, bool full, GString *out)
{
    if (!full) {
        message_values(m, out);
        return;
    }
    g_string_truncate(out, 0);
    tree_text(isakmp_msg_root(m), out);
    size_t n;
    const isakmp_note *notes = isakmp_msg_notes(m, &n);
    for (size_t i = 0; i < n; i++)
        g_string_append_printf(out, "{%s %s %s}", isakmp_severity_name(notes[i].severity),
                               isakmp_note_code_name(notes[i].code), notes[i].text);
}

/* A context for check_stateless: every field wanted (-T fields), or the
 * full tree with labels (-T json, -V). */
static isakmp_ctx *stateless_ctx(const int *all, size_t nf, bool full)
{
    isakmp_ctx *ctx = new_ctx(NULL, 0);
    if (!full)
        isakmp_ctx_set_fields(ctx, all, nf);
    return ctx;
}

/* isakmp_ctx_set_stateless: a message a stateless context decodes without
 * saying it needed state gives the values (for a full tree: the tree, labels
 * and notes) a context with state gives (isakmpdump --threads decodes the
 * others again, in order).  Each message gets a new stateless context: one
 * that saw nothing before it, as a thread's may have.  Returns the
 * differences. */
static int check_stateless(const frames *fr, bool full)
{
    size_t nf;
    isakmp_fields(&nf);
    int *all = g_new(int, nf);
    for (size_t i = 0; i < nf; i++)
        all[i] = (int)i;
    isakmp_ctx *seq = stateless_ctx(all, nf, full);
    GString *a = g_string_new(NULL), *b = g_string_new(NULL);
    int bad = 0, n = 0;
    for (guint i = 0; i < fr->pkts->len; i++) {
        const isakmp_packet *p = fr->pkts->pdata[i];
        isakmp_msg *m = isakmp_decode(seq, p);
        message_text(m, full, a);
        bad += isakmp_msg_needs_state(m);   /* never in a context with state */
        isakmp_msg_free(m);
        isakmp_ctx *probe = stateless_ctx(all, nf, full);
        isakmp_ctx_set_stateless(probe, true);
        m = isakmp_decode(probe, p);
        message_text(m, full, b);
        bool needs = isakmp_msg_needs_state(m);
        isakmp_msg_free(m);
        isakmp_ctx_free(probe);
        n += needs;
        if (!needs && !g_string_equal(a, b)) {
            fprintf(stderr, "message %u (frame %u) decodes differently without state (%s)\n"
                    "  with:    %.300s\n  without: %.300s\n", i, p->frame,
                    full ? "full tree" : "fields", a->str, b->str);
            bad++;
        }
    }
    if (learn)
        printf("%d of %u messages need state (%s)\n", n, fr->pkts->len,
               full ? "full tree" : "fields");
    g_string_free(a, TRUE);
    g_string_free(b, TRUE);
    isakmp_ctx_free(seq);
    g_free(all);
    return bad;
}

static void free_values(GString **v)
{
    size_t nf;
    isakmp_fields(&nf);
    for (size_t i = 0; i < nf; i++)
        g_string_free(v[i], TRUE);
    g_free(v);
}

int main(int argc, char **argv)
{
    char **keys = g_new0(char *, (size_t)argc);
    int nkeys = 0, bad = 0;
    frames fr = { g_ptr_array_new_with_free_func(free_pkt) };
    capture_opts o;
    capture_opts_default(&o);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-k") == 0 && i + 1 < argc) {
            keys[nkeys++] = argv[++i];
            continue;
        }
        capture_stats st = { 0 };
        char err[512];
        if (capture_file(argv[i], &o, &st, on_frame, &fr, err, sizeof err) < 0) {
            fprintf(stderr, "field_direction: %s\n", err);
            return 2;
        }
    }
    size_t nf;
    const isakmp_field *t = isakmp_fields(&nf);
    int body_bad = 0;
    learn = getenv("FD_LEARN") != NULL;
    GString **full = decode_all(&fr, keys, nkeys, -1, &body_bad);
    bad += body_bad;
    if (nkeys == 0)
        bad += check_stateless(&fr, false) + check_stateless(&fr, true);
    if (learn)
        return 0;
    for (size_t f = 0; f < nf; f++) {
        if ((int)f == F_PROTO)
            continue;
        GString **one = decode_all(&fr, keys, nkeys, (int)f, NULL);
        if (!g_string_equal(one[f], full[f])) {
            fprintf(stderr, "%s: values differ from the full tree's\n  full: %.300s\n  only: %.300s\n",
                    t[f].abbrev, full[f]->str, one[f]->str);
            bad++;
        }
        free_values(one);
    }
    printf("%u messages, %zu fields: %d differences\n", fr.pkts->len, nf - 1, bad);
    free_values(full);
    g_ptr_array_free(fr.pkts, TRUE);
    g_free(keys);
    return bad ? 1 : 0;
}
