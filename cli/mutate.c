/*
 * isakmpdump --mutate: N mutants of every IKE message (isakmp_edit_mutate,
 * inside the encrypted payloads when there are any), written to the -w
 * file each as a frame before the message's own (writer_add_variant).
 *
 * IKEv1 (RFC 2409 Appendix B): a receiver decrypts each message with the
 * last ciphertext block of the message before it in its exchange (Phase 1,
 * or one M-ID; a new exchange starts from the last Phase 1 block).  Every
 * mutant moves that chain on for whoever reads the written file, so each
 * mutant is encrypted with the IV its place gives, and the original after
 * them, and every later message of the chain, is encrypted again (the same
 * plaintext) with the IV its new place gives: the file decrypts from start
 * to end, in Wireshark as in isakmpdump.
 */
#include <glib.h>
#include <string.h>

#include "isakmp/edit.h"
#include "mutate.h"

typedef struct {
    uint8_t b[16];
    size_t len;
} block;

struct mutate_run {
    unsigned n;
    uint64_t rng;
    unsigned flags;
    writer *w;
    isakmp_edit *donor;          /* the previous message's edit, for splicing */
    GHashTable *chains;          /* icookie | M-ID (12 bytes) -> block: the next IV */
    uint64_t mutated, unmutated, reencrypted;
};

mutate_run *mutate_run_new(unsigned n, uint64_t seed, bool brk, writer *w)
{
    mutate_run *r = g_new0(mutate_run, 1);
    r->n = n;
    r->rng = seed;
    r->flags = ISAKMP_MUTATE_INNER | (brk ? ISAKMP_MUTATE_BREAK : 0);
    r->w = w;
    r->chains = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref,
                                      g_free);
    return r;
}

static GBytes *chain_key(const uint8_t icookie[8], uint32_t msgid)
{
    uint8_t k[12];
    memcpy(k, icookie, 8);
    memcpy(k + 8, &msgid, 4);
    return g_bytes_new(k, sizeof k);
}

static const block *chain_get(mutate_run *r, const uint8_t *icookie, uint32_t msgid)
{
    GBytes *k = chain_key(icookie, msgid);
    const block *b = g_hash_table_lookup(r->chains, k);
    g_bytes_unref(k);
    return b;
}

static void chain_set(mutate_run *r, const uint8_t *icookie, uint32_t msgid, const block *b)
{
    g_hash_table_replace(r->chains, chain_key(icookie, msgid), g_memdup2(b, sizeof *b));
}

/* The IV the written stream gives an IKEv1 message of this exchange next:
 * the chain's last block, else (a new exchange after Phase 1) the hash of
 * Phase 1's last block and the M-ID, else the message's own. */
static block next_iv(mutate_run *r, const isakmp_edit *e, const uint8_t *icookie,
                     uint32_t msgid)
{
    block iv = { .len = 0 };
    const uint8_t *own = isakmp_edit_iv(e, &iv.len);
    const block *c = chain_get(r, icookie, msgid), *p1 = msgid ? chain_get(r, icookie, 0) : NULL;
    if (c && c->len == iv.len)
        return *c;
    if (p1 && isakmp_edit_v1_exchange_iv(e, p1->b, p1->len, msgid, iv.b, sizeof iv.b) == iv.len)
        return iv;
    memcpy(iv.b, own, iv.len);
    return iv;
}

static block last_block(const uint8_t *p, size_t n, size_t blk)
{
    block b = { .len = blk };
    memcpy(b.b, p + n - blk, blk);
    return b;
}

/* Encodes e (IKEv1: with IV *iv, which moves on to the last block). */
static size_t encode(isakmp_edit *e, GByteArray *out, block *iv)
{
    if (iv->len && isakmp_edit_set_iv(e, iv->b, iv->len) < 0)
        return 0;
    size_t len = isakmp_edit_encode(e, NULL, 0);
    g_byte_array_set_size(out, (guint)len);
    if (!len || isakmp_edit_encode(e, out->data, len) != len)
        return 0;
    if (iv->len)
        *iv = last_block(out->data, len, iv->len);
    return len;
}

void mutate_run_msg(mutate_run *r, isakmp_ctx *ctx, const isakmp_msg *m, const isakmp_packet *p)
{
    isakmp_edit *e = isakmp_edit_new(ctx, m);
    if (!e)
        return;
    size_t own_len = 0;
    const uint8_t *own = isakmp_edit_iv(e, &own_len);
    uint32_t msgid = p->len >= 24 ? (uint32_t)p->data[20] << 24 | p->data[21] << 16 |
                                        p->data[22] << 8 | p->data[23] : 0;
    block iv = { .len = 0 };
    if (own)
        iv = next_iv(r, e, p->data, msgid);
    GByteArray *b = g_byte_array_new();
    unsigned made = 0;
    for (unsigned tries = 0; made < r->n && tries < 4 * r->n + 16; tries++) {
        isakmp_edit *x = isakmp_edit_copy(e);
        block next = iv;
        size_t len = isakmp_edit_mutate(x, &r->rng, r->flags, r->donor) ? encode(x, b, &next) : 0;
        if (len && !(len == p->len && memcmp(b->data, p->data, len) == 0)) {
            writer_add_variant(r->w, p->data, p->len, b->data, len);
            iv = next;
            made++;
        }
        isakmp_edit_free(x);
    }
    if (own && memcmp(iv.b, own, own_len) != 0 && encode(e, b, &iv)) {
        writer_replace(r->w, p->data, p->len, b->data, b->len);
        r->reencrypted++;
    } else if (own) {
        iv = last_block(p->data, p->len, own_len);
    }
    if (own)
        chain_set(r, p->data, msgid, &iv);
    if (b->len)
        explicit_bzero(b->data, b->len);
    g_byte_array_free(b, TRUE);
    if (made)
        r->mutated++;
    else
        r->unmutated++;
    /* the donor outlives its message: splicing reads only its nodes */
    isakmp_edit_free(r->donor);
    r->donor = e;
}

void mutate_run_free(mutate_run *r, const char *path, FILE *err)
{
    if (!r)
        return;
    fprintf(err, "%s: --mutate: %llu IKE messages mutated, %llu with nothing to mutate (no keys "
            "for their encrypted payloads, or fragments of an encrypted message); %llu IKEv1 "
            "messages encrypted again for the IVs the mutants before them give\n",
            path, (unsigned long long)r->mutated, (unsigned long long)r->unmutated,
            (unsigned long long)r->reencrypted);
    isakmp_edit_free(r->donor);
    g_hash_table_destroy(r->chains);
    g_free(r);
}
