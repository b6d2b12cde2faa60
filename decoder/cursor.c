/* The bounded cursor; see cursor.h for the rules. */
#include "cursor.h"

#include <string.h>

void cur_init(cur_t *c, const uint8_t *data, size_t cap, size_t wire, uint32_t src)
{
    memset(c, 0, sizeof *c);
    c->data = data;
    c->cap = cap;
    c->wire = wire < cap ? cap : wire;
    c->end = cap;
    c->src = src;
}

/* Records the first error only: later ones are consequences of it. */
static void fail(cur_t *c, size_t want_end)
{
    if (c->err != CUR_OK)
        return;
    if (c->clip != CUR_OK)
        c->err = c->clip;
    else /* bytes the message declares but the capture lacks are truncation */
        c->err = (c->end == c->cap && want_end <= c->wire) ? CUR_TRUNCATED : CUR_MALFORMED;
    c->err_off = c->pos;
}

/* True when n bytes can be read; otherwise records the error and moves to end. */
static bool need(cur_t *c, size_t n)
{
    if (c->err == CUR_OK && n <= c->end - c->pos)
        return true;
    fail(c, c->pos + n);
    c->pos = c->end;
    return false;
}

uint8_t cur_u8(cur_t *c)
{
    if (!need(c, 1))
        return 0;
    return c->data[c->pos++];
}

static uint64_t read_be(cur_t *c, size_t n)
{
    uint64_t v = 0;
    if (!need(c, n))
        return 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | c->data[c->pos + i];
    c->pos += n;
    return v;
}

uint16_t cur_u16(cur_t *c) { return (uint16_t)read_be(c, 2); }
uint32_t cur_u24(cur_t *c) { return (uint32_t)read_be(c, 3); }
uint32_t cur_u32(cur_t *c) { return (uint32_t)read_be(c, 4); }
uint64_t cur_u64(cur_t *c) { return read_be(c, 8); }

uint8_t cur_peek_u8(const cur_t *c, size_t at)
{
    if (c->err != CUR_OK || at >= c->end - c->pos)
        return 0;
    return c->data[c->pos + at];
}

uint16_t cur_peek_u16(const cur_t *c, size_t at)
{
    if (c->err != CUR_OK || c->end - c->pos < 2 || at > c->end - c->pos - 2)
        return 0;
    return (uint16_t)((c->data[c->pos + at] << 8) | c->data[c->pos + at + 1]);
}

size_t cur_skip(cur_t *c, size_t n)
{
    size_t start = c->pos;
    if (need(c, n))
        c->pos += n;
    return start;
}

size_t cur_take(cur_t *c, size_t n, size_t *taken)
{
    size_t start = c->pos;
    size_t left = c->err == CUR_OK ? c->end - c->pos : 0;
    size_t t = n < left ? n : left;
    c->pos += t;
    if (taken)
        *taken = t;
    return start;
}

void cur_copy(cur_t *c, void *out, size_t n)
{
    if (!need(c, n)) {
        memset(out, 0, n);
        return;
    }
    memcpy(out, c->data + c->pos, n);
    c->pos += n;
}

const uint8_t *cur_view(const cur_t *c, size_t off, size_t n)
{
    if (off > c->cap || n > c->cap - off)
        return NULL;
    return c->data + off;
}

bool cur_child(cur_t *parent, size_t len, cur_t *child)
{
    size_t left = parent->err == CUR_OK ? parent->end - parent->pos : 0;
    *child = *parent;
    child->err = CUR_OK;
    child->clip = CUR_OK;
    child->want = len;
    if (len <= left) {
        child->end = parent->pos + len;
        parent->pos += len;
        return true;
    }
    /* The child takes what is there and remembers why it is short. */
    child->end = parent->pos + left;
    child->clip = (parent->end == parent->cap && parent->pos + len <= parent->wire)
                      ? CUR_TRUNCATED : CUR_MALFORMED;
    parent->pos += left;
    return false;
}

void cur_rest(cur_t *parent, cur_t *child)
{
    cur_child(parent, cur_left(parent), child);
}
