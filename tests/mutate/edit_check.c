/*
 * The edit API on whole captures (tests/mutate/run-edit.sh drives it).
 *
 *   edit_check [-k KEYS]... [-m N] [-s SEED] [-b] CAPTURE...
 *
 * Round trip: every message is decoded (in order, one context with the
 * keys), made an edit and encoded without change: the bytes must be the
 * ones decoded.  With -m, N mutants of each message (isakmp_edit_mutate,
 * -b allowing broken lengths) are each decoded in a fresh context after the
 * messages before it (the state a receiver has): when the original's
 * ICVs verified, every ICV of the mutant must verify (ike.verify.icv = 1);
 * when it was decrypted, the mutant must be decrypted too; a mutant's
 * plaintext must differ from the original's; unless -b, the mutant's
 * structure must parse back whole (every length and chain consistent).
 * Prints one line of counts per capture; exit 1 on any failure.
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture.h"
#include "isakmp/edit.h"
#include "tool_keys.h"

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

static char **keys;
static int nkeys;

static isakmp_ctx *new_ctx(void) { return tool_ctx_with_keys(keys, nkeys, "edit_check"); }

typedef struct {
    int icv_ok, icv_bad;
    size_t decrypted;   /* bytes of plaintext sources */
} verdicts;

static void count_icv(const isakmp_item *it, void *user)
{
    verdicts *v = user;
    if (strcmp(isakmp_item_field(it)->abbrev, "ike.verify.icv") == 0) {
        if (isakmp_item_uint(it))
            v->icv_ok++;
        else
            v->icv_bad++;
    }
}

static verdicts verdicts_of(const isakmp_msg *m)
{
    verdicts v = { 0 };
    isakmp_msg_walk(m, count_icv, &v);
    for (size_t i = 1; i < isakmp_msg_source_count(m); i++)
        if (strcmp(isakmp_msg_source_name(m, i), "Decrypted IKE") == 0) {
            size_t n = 0;
            isakmp_msg_source_data(m, i, &n);
            v.decrypted += n;
        }
    return v;
}

/* Raw containers and encrypted nodes of a tree. */
static void census(const isakmp_node *n, int *raw, int *enc)
{
    if (isakmp_node_raw(n))
        (*raw)++;
    if (isakmp_node_encrypted(n))
        (*enc)++;
    for (size_t i = 0; i < isakmp_node_child_count(n); i++)
        census(isakmp_node_child(n, i), raw, enc);
}

/* The decrypted plaintext of m (all its "Decrypted IKE" sources), or its bytes. */
static GByteArray *plaintext(const isakmp_msg *m)
{
    GByteArray *b = g_byte_array_new();
    for (size_t i = 1; i < isakmp_msg_source_count(m); i++) {
        size_t n = 0;
        const uint8_t *d = isakmp_msg_source_data(m, i, &n);
        if (strcmp(isakmp_msg_source_name(m, i), "Decrypted IKE") == 0)
            g_byte_array_append(b, d, (guint)n);
    }
    if (b->len == 0) {
        size_t n = 0;
        const uint8_t *d = isakmp_msg_source_data(m, 0, &n);
        g_byte_array_append(b, d, (guint)n);
    }
    return b;
}

typedef struct {
    int mutants, failed, same, retried;
    GHashTable *kinds;   /* strategy name -> count */
} mstats;

/* Decodes the messages before k, then `bytes` as message k, in a fresh
 * context (returned in *ctx: the SA state the message was decoded with). */
static isakmp_msg *decode_after(GPtrArray *pkts, guint k, const uint8_t *bytes, size_t len,
                                isakmp_ctx **ctx)
{
    *ctx = new_ctx();
    for (guint i = 0; i < k; i++)
        isakmp_msg_free(isakmp_decode(*ctx, g_ptr_array_index(pkts, i)));
    isakmp_packet p = *(const isakmp_packet *)g_ptr_array_index(pkts, k);
    p.data = bytes;
    p.len = len;
    return isakmp_decode(*ctx, &p);
}

static int check_mutant(GPtrArray *pkts, guint k, const isakmp_msg *orig, const uint8_t *b,
                        size_t len, bool broken, const char *what)
{
    const isakmp_packet *op = g_ptr_array_index(pkts, k);
    isakmp_ctx *ctx;
    isakmp_msg *m = decode_after(pkts, k, b, len, &ctx);
    verdicts vo = verdicts_of(orig), vm = verdicts_of(m);
    int bad = 0;
    const char *why = NULL;
    if (vo.icv_ok && (vm.icv_ok == 0 || vm.icv_bad))
        why = vm.icv_bad ? "ICV does not verify" : "ICV not checked";
    else if (vo.decrypted && !vm.decrypted && !(broken && isakmp_msg_version(orig) == 1))
        why = "not decrypted";   /* IKEv1 knows its IV right by a well-formed chain only */
    GByteArray *po = plaintext(orig), *pm = plaintext(m);
    if (!why && po->len == pm->len && memcmp(po->data, pm->data, po->len) == 0)
        why = "plaintext unchanged";
    if (!why && !broken) {
        /* parsed back whole: every length and chain consistent (and, for
         * IKEv1, decrypted with the SA state it was decoded with) */
        isakmp_edit *e = isakmp_edit_new(ctx, m);
        bool whole = e && !isakmp_node_raw(isakmp_edit_root(e));
        isakmp_edit_free(e);
        if (!whole)
            why = "lengths or chains inconsistent";
    }
    if (why) {
        fprintf(stderr, "frame %u (%s): mutant %s: %s\n", op->frame, isakmp_msg_summary(orig),
                what, why);
        bad = 1;
        size_t nn = 0;
        const isakmp_note *notes = isakmp_msg_notes(m, &nn);
        for (size_t i = 0; getenv("EDIT_CHECK_VERBOSE") && i < nn; i++)
            fprintf(stderr, "  note: %s\n", notes[i].text);
    }
    g_byte_array_free(po, TRUE);
    g_byte_array_free(pm, TRUE);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
    return bad;
}

static int mutate_one(GPtrArray *pkts, guint k, isakmp_edit *base, const isakmp_edit *donor,
                      const isakmp_msg *orig, uint64_t *rng, bool allow_break, mstats *st)
{
    const isakmp_packet *op = g_ptr_array_index(pkts, k);
    for (int tries = 0; tries < 16; tries++) {
        isakmp_edit *e = isakmp_edit_copy(base);
        const char *what = isakmp_edit_mutate(
            e, rng, ISAKMP_MUTATE_INNER | (allow_break ? ISAKMP_MUTATE_BREAK : 0), donor);
        bool broken = what && strncmp(what, "break-", 6) == 0;
        size_t len = what ? isakmp_edit_encode(e, NULL, 0) : 0;
        uint8_t *b = g_malloc(len ? len : 1);
        bool ok = len && isakmp_edit_encode(e, b, len) == len;
        bool same = ok && len == op->len && memcmp(b, op->data, len) == 0;
        isakmp_edit_free(e);
        if (!ok || same) {
            st->retried++;
            g_free(b);
            continue;
        }
        st->mutants++;
        g_hash_table_insert(st->kinds, (gpointer)(uintptr_t)what,
                            GINT_TO_POINTER(GPOINTER_TO_INT(g_hash_table_lookup(st->kinds, what)) + 1));
        int bad = check_mutant(pkts, k, orig, b, len, broken, what);
        g_free(b);
        return bad;
    }
    st->same++;
    return 0;
}

int main(int argc, char **argv)
{
    keys = g_new0(char *, argc);
    int nmut = 0;
    uint64_t seed = 1;
    bool allow_break = false;
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "-k") == 0 && i + 1 < argc)
            keys[nkeys++] = argv[++i];
        else if (strcmp(argv[i], "-m") == 0 && i + 1 < argc)
            nmut = atoi(argv[++i]);
        else if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
            seed = strtoull(argv[++i], NULL, 0);
        else if (strcmp(argv[i], "-b") == 0)
            allow_break = true;
        else {
            fprintf(stderr, "usage: edit_check [-k KEYS]... [-m N] [-s SEED] [-b] CAPTURE...\n");
            return 2;
        }
    }
    int bad = 0;
    for (; i < argc; i++) {
        frames fr = { g_ptr_array_new_with_free_func(free_pkt) };
        capture_opts o;
        capture_opts_default(&o);
        capture_stats cs = { 0 };
        char err[256];
        if (capture_file(argv[i], &o, &cs, on_frame, &fr, err, sizeof err) < 0) {
            fprintf(stderr, "edit_check: %s: %s\n", argv[i], err);
            return 2;
        }
        isakmp_ctx *ctx = new_ctx();
        int msgs = 0, whole = 0, raw = 0, enc = 0, diff = 0;
        mstats st = { .kinds = g_hash_table_new(g_str_hash, g_str_equal) };
        isakmp_edit *prev = NULL;
        isakmp_msg *prev_msg = NULL;
        uint64_t rng = seed;
        for (guint k = 0; k < fr.pkts->len; k++) {
            const isakmp_packet *p = g_ptr_array_index(fr.pkts, k);
            isakmp_msg *m = isakmp_decode(ctx, p);
            isakmp_edit *e = isakmp_edit_new(ctx, m);
            msgs++;
            size_t len = isakmp_edit_encode(e, NULL, 0);
            uint8_t *b = g_malloc(len ? len : 1);
            if (len != p->len || isakmp_edit_encode(e, b, len) != len ||
                memcmp(b, p->data, len) != 0) {
                fprintf(stderr, "%s: frame %u: encoding without change differs\n", argv[i],
                        p->frame);
                diff++;
            }
            g_free(b);
            if (!isakmp_node_raw(isakmp_edit_root(e)))
                whole++;
            else if (getenv("EDIT_CHECK_VERBOSE"))
                fprintf(stderr, "%s: frame %u (%s): kept raw\n", argv[i], p->frame,
                        isakmp_msg_summary(m));
            census(isakmp_edit_root(e), &raw, &enc);
            for (int j = 0; j < nmut; j++)
                bad += mutate_one(fr.pkts, k, e, prev, m, &rng, allow_break, &st);
            /* the edit borrows its message: both kept as the next one's donor */
            isakmp_edit_free(prev);
            isakmp_msg_free(prev_msg);
            prev = e;
            prev_msg = m;
        }
        isakmp_edit_free(prev);
        isakmp_msg_free(prev_msg);
        printf("%s: %d messages, %d identical after encoding, %d structured, %d raw containers, "
               "%d re-encrypted nodes", argv[i], msgs, msgs - diff, whole, raw, enc);
        if (nmut)
            printf("; %d mutants, %d with failures, %d messages left unchanged", st.mutants, bad,
                   st.same);
        printf("\n");
        bad += diff;
        g_hash_table_destroy(st.kinds);
        isakmp_ctx_free(ctx);
        g_ptr_array_free(fr.pkts, TRUE);
    }
    g_free(keys);
    return bad ? 1 : 0;
}
