/*
 * The structure-aware mutator behind the AFL++ and libFuzzer glue.  Each
 * input is decoded as one message in a context that lives as long as the
 * mutator (its keys; the IKEv1 SA state that decryption needs builds up
 * from the corpus's clear messages), made an edit, mutated once
 * (isakmp_edit_mutate) and encoded.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "isakmp/edit.h"
#include "mutator.h"

struct imut {
    isakmp_ctx *ctx;
    uint64_t rng;
    unsigned flags;
    uint64_t made, failed, encrypted;
};

static void load_keys(isakmp_ctx *ctx, const char *list)
{
    char **files = g_strsplit(list, ":", -1);
    for (char **f = files; *f; f++)
        if (**f)
            isakmp_ctx_load_keys(ctx, *f, NULL, NULL);
    g_strfreev(files);
}

static bool env_on(const char *name)
{
    const char *v = getenv(name);
    return v && strcmp(v, "1") == 0;
}

imut *imut_new(uint64_t seed)
{
    imut *m = g_new0(imut, 1);
    m->ctx = isakmp_ctx_new();
    isakmp_ctx_set_frame_records(m->ctx, false);   /* every input is a new message */
    isakmp_ctx_set_sa_limit(m->ctx, 1024);
    const char *keys = getenv("ISAKMP_MUTATOR_KEYS");
    if (keys)
        load_keys(m->ctx, keys);
    m->rng = seed;
    m->flags = (env_on("ISAKMP_MUTATOR_BREAK") ? ISAKMP_MUTATE_BREAK : 0) |
               (env_on("ISAKMP_MUTATOR_INNER") ? ISAKMP_MUTATE_INNER : 0);
    return m;
}

void imut_free(imut *m)
{
    if (!m)
        return;
    isakmp_ctx_free(m->ctx);
    g_free(m);
}

static isakmp_msg *decode(imut *m, const uint8_t *p, size_t n)
{
    isakmp_packet pkt = { .data = p, .len = n, .af = 4, .sport = 500, .dport = 500,
                          .src = { 192, 0, 2, 1 }, .dst = { 192, 0, 2, 2 } };
    return isakmp_decode(m->ctx, &pkt);
}

static bool has_encrypted(const isakmp_node *n)
{
    if (isakmp_node_encrypted(n))
        return true;
    for (size_t i = 0; i < isakmp_node_child_count(n); i++)
        if (has_encrypted(isakmp_node_child(n, i)))
            return true;
    return false;
}

/* Splicing only: a payload of the donor into the message, at a random place. */
static bool splice(imut *m, isakmp_edit *e, isakmp_edit *d)
{
    isakmp_node *droot = isakmp_edit_root(d), *root = isakmp_edit_root(e);
    size_t dn = isakmp_node_child_count(droot), n = isakmp_node_child_count(root);
    if (!dn || isakmp_node_raw(root) || isakmp_edit_version(e) != isakmp_edit_version(d))
        return false;
    m->rng = m->rng * 6364136223846793005ull + 1442695040888963407ull;
    const isakmp_node *from = isakmp_node_child(droot, (size_t)(m->rng >> 33) % dn);
    if (isakmp_node_encrypted(from))
        return false;
    size_t at = (size_t)(m->rng >> 17) % (n + 1);
    /* an IKEv2 SK payload stays last */
    if (n && at == n && isakmp_node_encrypted(isakmp_node_child(root, n - 1)))
        at = n - 1;
    return isakmp_node_copy_into(root, at, from) != NULL;
}

size_t imut_mutate(imut *m, const uint8_t *in, size_t n, const uint8_t *donor, size_t dn,
                   uint8_t *out, size_t max, bool splice_only)
{
    isakmp_msg *msg = decode(m, in, n), *dmsg = donor && dn ? decode(m, donor, dn) : NULL;
    isakmp_edit *e = isakmp_edit_new(m->ctx, msg), *d = dmsg ? isakmp_edit_new(m->ctx, dmsg) : NULL;
    size_t len = 0;
    bool changed = e && !isakmp_node_raw(isakmp_edit_root(e)) &&
                   (splice_only ? d && splice(m, e, d)
                                : isakmp_edit_mutate(e, &m->rng, m->flags, d) != NULL);
    if (changed) {
        len = isakmp_edit_encode(e, NULL, 0);
        if (!len || len > max || isakmp_edit_encode(e, out, max) != len)
            len = 0;
    }
    if (len) {
        m->made++;
        m->encrypted += has_encrypted(isakmp_edit_root(e));
    } else {
        m->failed++;
    }
    isakmp_edit_free(e);
    isakmp_edit_free(d);
    isakmp_msg_free(msg);
    isakmp_msg_free(dmsg);
    return len;
}

void imut_counts(const imut *m, uint64_t *made, uint64_t *failed, uint64_t *encrypted)
{
    *made = m->made;
    *failed = m->failed;
    *encrypted = m->encrypted;
}
