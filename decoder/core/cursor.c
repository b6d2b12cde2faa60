/* The bounded cursor; see cursor.h for the rules. */
#include "core/cursor.h"

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

void cur_fail(cur_t *c, size_t n)
{
    fail(c, c->pos + n);
    c->pos = c->end;
}

void cur_copy(cur_t *c, void *out, size_t n)
{
    if (!cur_need(c, n)) {
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

/* The child of a length that runs past what the parent has (cur_child). */
bool cur_child_short(cur_t *parent, size_t len, size_t left, cur_t *child)
{
    *child = *parent;
    child->err = CUR_OK;
    child->clip = CUR_OK;
    child->want = len;
    /* The child takes what is there and remembers why it is short. */
    child->end = parent->pos + left;
    child->clip = (parent->end == parent->cap && parent->pos + len <= parent->wire)
                      ? CUR_TRUNCATED : CUR_MALFORMED;
    parent->pos += left;
    return false;
}
