/*
 * The bounded cursor: the only way the decoder reads packet bytes.
 *
 * A cursor covers [pos, end) of one data source.  Reads past `end` do not
 * touch memory: they return zero and set the cursor's error, which then stays
 * set (the first error's kind and offset are kept; later reads return zero).
 * Every length field opens a child cursor (cur_child) that covers exactly the
 * bytes the length claims, clipped to what the parent has; the parent moves
 * past them at once, so a parser can never run into its neighbour.
 */
#ifndef ISAKMP_CURSOR_H
#define ISAKMP_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    CUR_OK = 0,
    CUR_TRUNCATED,   /* the capture ended before the bytes the message declares */
    CUR_MALFORMED    /* a length points beyond its container */
} cur_err;

typedef struct {
    const uint8_t *data;   /* the whole data source */
    size_t cap;            /* bytes captured in the source */
    size_t wire;           /* bytes the source should have (declared length), >= cap */
    size_t pos, end;       /* the window, absolute offsets in the source */
    uint32_t src;          /* data source index in the message */
    cur_err err;
    size_t err_off;        /* where the first error happened */
    cur_err clip;          /* set when the window is shorter than its length field said */
    size_t want;           /* the length that was asked for when the child opened */
} cur_t;

/* A cursor over a whole source of `cap` captured bytes of `wire` declared. */
void cur_init(cur_t *c, const uint8_t *data, size_t cap, size_t wire, uint32_t src);

static inline size_t cur_left(const cur_t *c) { return c->end - c->pos; }
static inline size_t cur_off(const cur_t *c) { return c->pos; }
static inline bool cur_ok(const cur_t *c) { return c->err == CUR_OK; }

/* Records the error of a read of n bytes that does not fit (the first
 * error's kind and offset are kept) and moves to the end. */
void cur_fail(cur_t *c, size_t n);

/* True when n bytes can be read; otherwise records the error and moves to
 * the end.  Inline, as the readers are: they are the decoder's commonest
 * calls, and the checks fold into the callers. */
static inline bool cur_need(cur_t *c, size_t n)
{
    if (c->err == CUR_OK && n <= c->end - c->pos)
        return true;
    cur_fail(c, n);
    return false;
}

static inline uint64_t cur_be(cur_t *c, size_t n)
{
    uint64_t v = 0;
    if (!cur_need(c, n))
        return 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | c->data[c->pos + i];
    c->pos += n;
    return v;
}

static inline uint8_t cur_u8(cur_t *c) { return (uint8_t)cur_be(c, 1); }
static inline uint16_t cur_u16(cur_t *c) { return (uint16_t)cur_be(c, 2); }
static inline uint32_t cur_u24(cur_t *c) { return (uint32_t)cur_be(c, 3); }
static inline uint32_t cur_u32(cur_t *c) { return (uint32_t)cur_be(c, 4); }
static inline uint64_t cur_u64(cur_t *c) { return cur_be(c, 8); }

/* Peeks without moving; 0 when not available (no error is set). */
static inline uint8_t cur_peek_u8(const cur_t *c, size_t at)
{
    if (c->err != CUR_OK || at >= c->end - c->pos)
        return 0;
    return c->data[c->pos + at];
}

static inline uint16_t cur_peek_u16(const cur_t *c, size_t at)
{
    if (c->err != CUR_OK || c->end - c->pos < 2 || at > c->end - c->pos - 2)
        return 0;
    return (uint16_t)((c->data[c->pos + at] << 8) | c->data[c->pos + at + 1]);
}

/* Moves past n bytes; returns the offset where they start.  When fewer than
 * n remain, moves to the end and sets the error. */
static inline size_t cur_skip(cur_t *c, size_t n)
{
    size_t start = c->pos;
    if (cur_need(c, n))
        c->pos += n;
    return start;
}

/* Like cur_skip, but never sets an error: takes min(n, left).  Returns the
 * number of bytes taken through *taken. */
static inline size_t cur_take(cur_t *c, size_t n, size_t *taken)
{
    size_t start = c->pos;
    size_t left = c->err == CUR_OK ? c->end - c->pos : 0;
    size_t t = n < left ? n : left;
    c->pos += t;
    if (taken)
        *taken = t;
    return start;
}

/* Copies n bytes to out (zero-filled past the end, error set then). */
void cur_copy(cur_t *c, void *out, size_t n);

/* Read-only view of bytes [off, off+n) of the cursor's source, or NULL when
 * that range is not inside the captured bytes.  For hashing and copying
 * whole regions; parsers read fields through the cur_u* functions. */
const uint8_t *cur_view(const cur_t *c, size_t off, size_t n);

/* Opens a child over the next `len` bytes and moves the parent past them.
 * When fewer than len remain, the child gets what there is and remembers why
 * in `clip` (truncated when the capture ran out, malformed otherwise): the
 * bytes that are there still read, and a read past them fails with that kind.
 * The parent stays clean.  Returns true when the child got all len bytes. */
bool cur_child_short(cur_t *parent, size_t len, size_t left, cur_t *child);
static inline bool cur_child(cur_t *parent, size_t len, cur_t *child)
{
    size_t left = parent->err == CUR_OK ? parent->end - parent->pos : 0;
    if (len > left)
        return cur_child_short(parent, len, left, child);
    *child = *parent;   /* inline: every payload and substructure opens two */
    child->err = CUR_OK;
    child->clip = CUR_OK;
    child->want = len;
    child->end = parent->pos + len;
    parent->pos += len;
    return true;
}

/* Child over the rest of the parent. */
static inline void cur_rest(cur_t *parent, cur_t *child)
{
    cur_child(parent, cur_left(parent), child);
}

#endif
