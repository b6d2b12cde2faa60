/*
 * The field readers every parser uses: read a value at the cursor, add its
 * item, report a cursor's error or trailing bytes.  They know only the tree
 * and the cursor, so they live in core, under the parsers and the engine.
 */
#include "core/internal.h"

void dec_report_error(dec_t *d, uint32_t item, const cur_t *c, const char *what)
{
    if (c->err == CUR_TRUNCATED)
        tree_note(d->m, item, ISAKMP_SEV_ERROR, ISAKMP_NOTE_TRUNCATED,
                  "%s: capture ends at offset %zu, before the end of the data", what,
                  c->err_off);
    else
        tree_note(d->m, item, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED,
                  "%s: runs past the end of its container at offset %zu", what, c->err_off);
}

void dec_report_trailing(dec_t *d, uint32_t item, const cur_t *c, const char *what)
{
    uint32_t x = tree_add(d->m, item, F_EXTRADATA, c->src, cur_off(c), cur_left(c));
    tree_note(d->m, x, ISAKMP_SEV_WARN, ISAKMP_NOTE_TRAILING, "%s: %zu bytes left over", what,
              cur_left(c));
}

static uint32_t dec_int(dec_t *d, uint32_t parent, cur_t *c, int field, size_t n)
{
    if (!tree_wants(d->m, field)) {   /* not built: only move on (errors as cur_u*) */
        cur_skip(c, n);
        return cur_ok(c) ? TREE_GHOST | (parent & ~TREE_GHOST) : 0;
    }
    size_t off = cur_off(c);
    uint64_t v = 0;
    switch (n) {
    case 1: v = cur_u8(c); break;
    case 2: v = cur_u16(c); break;
    case 3: v = cur_u24(c); break;
    case 4: v = cur_u32(c); break;
    default: v = cur_u64(c); break;
    }
    if (!cur_ok(c))
        return 0;   /* the caller reports the cursor's error once */
    return tree_add_uint(d->m, parent, field, c->src, off, n, v);
}

uint32_t dec_u8(dec_t *d, uint32_t parent, cur_t *c, int field) { return dec_int(d, parent, c, field, 1); }
uint32_t dec_u16(dec_t *d, uint32_t parent, cur_t *c, int field) { return dec_int(d, parent, c, field, 2); }
uint32_t dec_u24(dec_t *d, uint32_t parent, cur_t *c, int field) { return dec_int(d, parent, c, field, 3); }
uint32_t dec_u32(dec_t *d, uint32_t parent, cur_t *c, int field) { return dec_int(d, parent, c, field, 4); }
uint32_t dec_u64(dec_t *d, uint32_t parent, cur_t *c, int field) { return dec_int(d, parent, c, field, 8); }

uint32_t dec_bytes(dec_t *d, uint32_t parent, cur_t *c, int field, size_t n)
{
    size_t taken;
    size_t off = cur_take(c, n, &taken);
    if (taken < n)
        cur_skip(c, n - taken);   /* sets the error for the caller's check */
    return tree_add(d->m, parent, field, c->src, off, taken);
}

uint32_t dec_rest(dec_t *d, uint32_t parent, cur_t *c, int field)
{
    return dec_bytes(d, parent, c, field, cur_left(c));
}

void dec_bits(dec_t *d, uint32_t parent, const cur_t *c, size_t width, const int *fields)
{
    if (cur_left(c) < width)
        return;
    uint64_t raw = 0;
    for (size_t i = 0; i < width; i++)
        raw = (raw << 8) | cur_peek_u8(c, i);
    for (; *fields >= 0; fields++)
        if (tree_wants(d->m, *fields))
            tree_add_uint(d->m, parent, *fields, c->src, cur_off(c), width, raw);
}

void dec_plain_header(dec_t *d, uint32_t item, cur_t *h, const isakmp_value_name *vals)
{
    if (!dec_header_wanted(d)) {   /* none of its items is built */
        cur_skip(h, 4);
        return;
    }
    uint32_t n = dec_u8(d, item, h, F_NEXTPAYLOAD);
    if (n)
        tree_set_vals(d->m, n, vals);
    dec_bytes(d, item, h, F_RESERVED, 1);
    dec_u16(d, item, h, F_PAYLOADLENGTH);
}

bool dec_chain_span(const uint8_t *p, size_t n, uint8_t first, size_t *used)
{
    cur_t c;
    cur_init(&c, p, n, n, 0);
    uint8_t type = first;
    for (int i = 0; type != 0; i++) {
        cur_t body;
        /* generic payload header: next payload, reserved, length */
        if (i > DEC_CHAIN_MAX || cur_left(&c) < 4 || cur_peek_u8(&c, 1) != 0)
            return false;
        size_t len = cur_peek_u16(&c, 2);
        if (len < 4 || !cur_child(&c, len, &body))
            return false;
        type = cur_peek_u8(&body, 0);
    }
    *used = cur_off(&c);
    return true;
}
