/* Tree helpers for decrypted and reassembled data (see crypto_tree.h). */
#include <string.h>

#include "keying/crypto_tree.h"
#include "core/hex.h"
#include "crypto/crypto.h"

uint32_t ct_take_source(dec_t *d, const char *name, uint8_t *p, size_t n)
{
    facts_used(&d->m->facts)->decrypted = true;
    return msg_take_source(d->m, name, p, n);
}

void ct_decode_inner(dec_t *d, uint32_t parent, uint32_t src, size_t off, size_t len,
                     uint8_t first)
{
    if (d->depth + 1 >= ISAKMP_MAX_DEPTH) {
        tree_note(d->m, parent, ISAKMP_SEV_WARN, ISAKMP_NOTE_LIMIT,
                  "Nesting limit of %d reached: decrypted payloads not decoded", ISAKMP_MAX_DEPTH);
        return;
    }
    size_t n;
    const uint8_t *data = isakmp_msg_source_data(d->m, src, &n);
    cur_t c;
    cur_init(&c, data, n, n, src);
    c.pos = off;
    c.end = off + len;
    d->depth++;
    dec_payload_chain(d, parent, &c, first);
    d->depth--;
}

const char *ct_hex(dec_t *d, const uint8_t *p, size_t n)
{
    GString *s = g_string_sized_new(2 * n + 1);
    hex_append(s, p, n);
    const char *r = msg_strdup(d->m, s->str);
    g_string_free(s, TRUE);
    return r;
}

void ct_fragment_items(dec_t *d, uint32_t parent, uint32_t src, const GArray *parts,
                       size_t total_len)
{
    ct_fragment_list(d, parent, src, (const frag_ref *)(const void *)parts->data, parts->len,
                     total_len);
}

void ct_fragment_list(dec_t *d, uint32_t parent, uint32_t src, const frag_ref *refs, guint n,
                      size_t total_len)
{
    uint32_t fr = tree_add(d->m, parent, F_FRAGMENTS, src, 0, total_len);
    tree_set_label(d->m, fr, "%u Message fragments (%zu bytes)", n, total_len);
    size_t off = 0;
    for (guint i = 0; i < n; i++) {
        const frag_ref *r = &refs[i];
        uint32_t f = tree_add_uint(d->m, fr, F_FRAGMENT, src, off, r->len, r->frame);
        tree_set_label(d->m, f, "Frame: %u, payload: %zu-%zu (%u bytes)", r->frame, off,
                       off + r->len - (r->len ? 1 : 0), r->len);
        off += r->len;
    }
    uint32_t c = tree_add_uint(d->m, fr, F_FRAGMENT_COUNT, src, 0, 0, n);
    tree_set_generated(d->m, c);
    uint32_t l = tree_add_uint(d->m, fr, F_REASSEMBLED_LENGTH, src, 0, 0, total_len);
    tree_set_generated(d->m, l);
}

bool ct_frag_add(frag_set *s, uint16_t num, uint32_t frame, uint32_t tag, const uint8_t *p,
                 size_t n)
{
    if (num == 0)
        return false;
    if (s->parts->len < num)
        g_ptr_array_set_size(s->parts, num);
    if (s->parts->pdata[num - 1])
        return false;
    frag_part *fp = g_new0(frag_part, 1);
    fp->frame = frame;
    fp->tag = tag;
    fp->data.p = crypto_secure_alloc(n);
    fp->data.len = n;
    memcpy(fp->data.p, p, n);
    s->parts->pdata[num - 1] = fp;
    s->bytes += n;
    return true;
}

bool ct_frag_complete(const frag_set *s)
{
    if (s->total == 0 || s->parts->len < s->total)
        return false;
    for (guint i = 0; i < s->total; i++)
        if (!s->parts->pdata[i])
            return false;
    return true;
}

bool ct_frag_seen(dec_t *d, const payload_info *pi, uint32_t tag)
{
    const frame_rec *seen = state_frame(d->ctx, d->m->pkt.frame, tag, FR_FRAGMENT, false);
    if (!seen)
        return false;
    if (seen->reassembled_in) {
        uint32_t x = tree_add_uint(d->m, pi->item, F_REASSEMBLED_IN, 0, pi->off, 0,
                                   seen->reassembled_in);
        tree_set_generated(d->m, x);
    }
    return true;
}

void ct_rec_free_tmp(frame_rec *r)
{
    secret_wipe(&r->plain);
    if (r->parts)
        g_array_free(r->parts, TRUE);
    g_free(r);
}

frame_rec *ct_reassemble(dec_t *d, frag_set *s, uint32_t tag, bool *tmp)
{
    uint32_t frame = d->m->pkt.frame;
    frame_rec *r = state_frame(d->ctx, frame, tag, FR_REASSEMBLED, true);
    *tmp = !r;
    if (!r)
        r = g_new0(frame_rec, 1);
    size_t total = 0;
    for (guint i = 0; i < s->total; i++)
        total += ((frag_part *)s->parts->pdata[i])->data.len;
    r->plain.p = crypto_secure_alloc(total);
    r->plain.len = total;
    r->first_payload = s->first_payload;
    r->parts = g_array_new(FALSE, TRUE, sizeof(frag_ref));
    size_t off = 0;
    for (guint i = 0; i < s->total; i++) {
        frag_part *fp = s->parts->pdata[i];
        memcpy(r->plain.p + off, fp->data.p, fp->data.len);
        off += fp->data.len;
        frag_ref ref = { fp->frame, (uint32_t)fp->data.len };
        g_array_append_val(r->parts, ref);
        frame_rec *other = state_frame(d->ctx, fp->frame, fp->tag, FR_FRAGMENT, false);
        if (other)
            other->reassembled_in = frame;
    }
    s->done = true;
    return r;
}
