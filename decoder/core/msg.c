/* Messages: the item tree, data sources, notes, and the public accessors. */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/hex.h"
#include "core/msg.h"
#include "core/names.h"
#include "core/secure.h"

extern const isakmp_field field_table[];   /* fields.c: read directly on every item's path */

/* ---------------------------------------------------------------- building */


/* The last message freed on this thread, kept for the next one: batch
 * decoding frees one message and makes the next, and allocating a fresh
 * message (item array, source and note arrays, the frame's copy) each time
 * was a large part of the work for small trees.  Destroyed when its thread
 * exits (spare_drop). */
static _Thread_local isakmp_msg *spare_msg;

static isakmp_msg *msg_alloc(void)
{
    isakmp_msg *m = spare_msg;
    if (m) {
        spare_msg = NULL;
        return m;
    }
    m = g_new0(isakmp_msg, 1);
    m->items_cap = 256;
    m->items = g_array_sized_new(FALSE, TRUE, sizeof(struct isakmp_item), m->items_cap);
    m->sources = g_array_sized_new(FALSE, TRUE, sizeof(msg_source), 4);
    m->notes = g_array_new(FALSE, TRUE, sizeof(msg_note));
    g_array_set_size(m->sources, 1);   /* room for source 0 from now on: GArray never shrinks */
    m->sources->len = 0;
    return m;
}

/* A message whose source 0 ("Frame") is `data`. */
static isakmp_msg *msg_over(isakmp_msg *m, const isakmp_packet *pkt, uint8_t *data)
{
    /* stored in place: both arrays keep their room between messages */
    m->sources->len = 1;
    g_array_index(m->sources, msg_source, 0) = (msg_source){ "Frame", data, pkt->len, false, false };
    m->pkt = *pkt;
    m->pkt.data = data;
    m->ghost.msg = m;
    facts_reset(&m->facts);
    m->items->len = 1;   /* the root */
    g_array_index(m->items, struct isakmp_item, 0) =
        (struct isakmp_item){ .msg = m, .field = F_PROTO, .length = (uint32_t)pkt->len };
    return m;
}

isakmp_msg *msg_new(const isakmp_packet *pkt)
{
    isakmp_msg *m = msg_alloc();
    if (m->frame_cap < pkt->len || !m->frame_buf) {
        g_free(m->frame_buf);
        m->frame_cap = pkt->len > 2048 ? pkt->len : 2048;
        m->frame_buf = g_malloc(m->frame_cap);
    }
    if (pkt->len)
        memcpy(m->frame_buf, pkt->data, pkt->len);
    return msg_over(m, pkt, m->frame_buf);
}

isakmp_msg *msg_new_borrowed(const isakmp_packet *pkt)
{
    /* never written through: the decoder only reads source 0 */
    return msg_over(msg_alloc(), pkt, (uint8_t *)(uintptr_t)pkt->data);
}

uint32_t msg_add_source(isakmp_msg *m, const char *name, const uint8_t *data, size_t len,
                        bool secret)
{
    msg_source s = { name, g_malloc(len ? len : 1), len, secret, false };
    if (len)
        memcpy(s.data, data, len);
    g_array_append_val(m->sources, s);
    return m->sources->len - 1;
}

uint32_t msg_take_source(isakmp_msg *m, const char *name, uint8_t *data, size_t len)
{
    msg_source s = { name, data, len, true, true };
    g_array_append_val(m->sources, s);
    return m->sources->len - 1;
}

/* The string store is made on first use: most messages need none. */
static GStringChunk *strings(isakmp_msg *m)
{
    if (!m->strings)
        m->strings = g_string_chunk_new(512);
    return m->strings;
}

const char *msg_strdup(isakmp_msg *m, const char *s)
{
    return g_string_chunk_insert(strings(m), s);
}

/* The item array is in tree order as long as every item goes under the last
 * one made or one of its ancestors; isakmp_msg_walk then reads it straight. */
static void track_order(isakmp_msg *m, uint32_t parent)
{
    if (m->unordered || parent == 0)
        return;
    const struct isakmp_item *items = (const struct isakmp_item *)(const void *)m->items->data;
    for (uint32_t a = m->items->len - 1; a != 0; a = items[a].parent)
        if (a == parent)
            return;
    m->unordered = true;
}

uint32_t tree_put(isakmp_msg *m, uint32_t parent, int field, uint32_t src, size_t off, size_t len)
{
    parent &= ~TREE_GHOST;
    track_order(m, parent);
    uint32_t idx = m->items->len;
    if (idx == m->items_cap) {   /* grow the storage, keep the length */
        m->items_cap *= 2;
        g_array_set_size(m->items, m->items_cap);
        g_array_set_size(m->items, idx);
    }
    /* the room is there: stores instead of GArray's append path, which
     * was a tenth of the decoding time */
    m->items->len = idx + 1;
    struct isakmp_item *items = (struct isakmp_item *)(void *)m->items->data;
    /* zeroed in place, then the members set: the compound literal was
     * built on the stack and copied (28 instructions an item, a twentieth
     * of decoding) */
    struct isakmp_item *it = &items[idx];
    memset(it, 0, sizeof *it);
    it->msg = m;
    it->field = (uint32_t)field;
    it->src = src;
    it->offset = (uint32_t)off;
    it->length = (uint32_t)len;
    it->parent = parent;
    struct isakmp_item *p = &items[parent];
    if (p->last_child)
        items[p->last_child].next = idx;
    else
        p->first_child = idx;
    p->last_child = idx;
    return idx;
}

uint32_t tree_add_uint(isakmp_msg *m, uint32_t parent, int field, uint32_t src,
                       size_t off, size_t len, uint64_t raw)
{
    uint32_t idx = tree_add(m, parent, field, src, off, len);
    uint64_t mask = field_table[field].bitmask;
    /* bitmask fields hold (raw & mask) shifted down to the lowest set bit */
    tree_item(m, idx)->uval = mask ? (raw & mask) >> __builtin_ctzll(mask) : raw;
    return idx;
}

uint32_t tree_add_computed(isakmp_msg *m, uint32_t parent, int field, uint32_t src,
                           size_t off, size_t len, const void *bytes, size_t n)
{
    uint32_t idx = tree_add(m, parent, field, src, off, len);
    if (tree_is_ghost(idx))
        return idx;   /* not copied: nobody will read it */
    struct isakmp_item *it = tree_item(m, idx);
    it->vptr = (const uint8_t *)g_string_chunk_insert_len(strings(m), bytes, (gssize)n);
    it->vlen = (uint32_t)n;
    return idx;
}

uint32_t tree_add_static(isakmp_msg *m, uint32_t parent, int field, uint32_t src,
                         size_t off, size_t len, const char *s)
{
    uint32_t idx = tree_add(m, parent, field, src, off, len);
    struct isakmp_item *it = tree_item(m, idx);
    it->vptr = (const uint8_t *)s;
    it->vlen = (uint32_t)strlen(s);
    return idx;
}

uint32_t tree_add_string(isakmp_msg *m, uint32_t parent, int field, uint32_t src,
                         size_t off, size_t len, const char *s)
{
    return tree_add_computed(m, parent, field, src, off, len, s, strlen(s));
}

/* Formats the labels' common conversions (%s %u %d %zu %%) into buf
 * without the C library's printf, which was a seventh of -V's time;
 * returns the length, or -1 for a format it does not know or a text that
 * does not fit (then printf does it). */
static int label_format(char *buf, size_t size, const char *fmt, va_list ap)
{
    size_t n = 0;
    for (const char *p = fmt; *p; p++) {
        char num[24];
        const char *piece = num;
        size_t len;
        if (*p != '%') {   /* the text up to the next conversion, in one copy */
            len = (size_t)(strchrnul(p, '%') - p);   /* (strcspn's set scan cost more) */
            if (n + len >= size)
                return -1;
            memcpy(buf + n, p, len);
            n += len;
            p += len - 1;
            continue;
        }
        p++;
        if (*p == 's') {
            piece = va_arg(ap, const char *);
            if (!piece)
                piece = "(null)";   /* as glibc's printf */
            len = strlen(piece);
        } else if (*p == '%') {
            piece = "%";
            len = 1;
        } else if (*p == 'u' || *p == 'd' || (p[0] == 'z' && p[1] == 'u')) {
            uint64_t v;
            bool neg = false;
            if (*p == 'z') {
                p++;
                v = va_arg(ap, size_t);
            } else if (*p == 'u') {
                v = va_arg(ap, unsigned);
            } else {
                int x = va_arg(ap, int);
                neg = x < 0;
                v = neg ? (uint64_t)0 - (uint64_t)(int64_t)x : (uint64_t)x;
            }
            size_t k = sizeof num;
            do
                num[--k] = (char)('0' + v % 10);
            while (v /= 10);
            if (neg)
                num[--k] = '-';
            piece = num + k;
            len = sizeof num - k;
        } else {
            return -1;
        }
        if (n + len >= size)
            return -1;
        memcpy(buf + n, piece, len);
        n += len;
    }
    buf[n] = 0;
    return (int)n;
}

void tree_set_label_(isakmp_msg *m, uint32_t item, const char *fmt, ...)
{
    if (m->no_labels || tree_is_ghost(item))
        return;
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = label_format(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0) {
        va_start(ap, fmt);
        n = g_vsnprintf(buf, sizeof buf, fmt, ap);
        va_end(ap);
    }
    if (n >= 0 && (size_t)n < sizeof buf) {   /* its length is known: no strlen */
        tree_item(m, item)->label = g_string_chunk_insert_len(strings(m), buf, n);
        return;
    }
    va_start(ap, fmt);
    char *s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    tree_item(m, item)->label = msg_strdup(m, s);
    g_free(s);
}

void tree_set_label_static(isakmp_msg *m, uint32_t item, const char *label)
{
    if (!m->no_labels && !tree_is_ghost(item))
        tree_item(m, item)->label = label;
}

/* On a ghost these write to the scratch item, which nobody reads. */
void tree_set_generated(isakmp_msg *m, uint32_t item) { tree_item(m, item)->generated = true; }

void tree_set_length(isakmp_msg *m, uint32_t item, size_t len)
{
    tree_item(m, item)->length = (uint32_t)len;
}

/* Pre-order position of every item, to sort notes into tree order. */
typedef struct {
    const struct isakmp_item *base;
    uint32_t *order, next;
} numbering;

static void number_item(const isakmp_item *it, void *user)
{
    numbering *n = user;
    n->order[it - n->base] = n->next++;
}

static uint32_t note_index(const isakmp_msg *m, const isakmp_note *n)
{
    return (uint32_t)(n->item - (const struct isakmp_item *)(const void *)m->items->data);
}

void msg_finish(isakmp_msg *m)
{
    facts_finish(&m->facts, (const struct isakmp_item *)(const void *)m->items->data);
    size_t n = m->notes->len;
    if (n == 0)
        return;   /* isakmp_msg_notes copes with no array */
    m->pub_notes = g_new0(isakmp_note, n);
    uint32_t *order = g_new0(uint32_t, m->items->len);
    numbering num = { (const struct isakmp_item *)(const void *)m->items->data, order, 0 };
    isakmp_msg_walk(m, number_item, &num);
    /* stable insertion by tree position: notes are few */
    for (size_t i = 0; i < n; i++) {
        msg_note *src = &g_array_index(m->notes, msg_note, i);
        size_t j = i;
        while (j > 0 && order[note_index(m, &m->pub_notes[j - 1])] > order[src->item]) {
            m->pub_notes[j] = m->pub_notes[j - 1];
            j--;
        }
        m->pub_notes[j] = (isakmp_note){ tree_item(m, src->item), src->severity, src->code,
                                         src->text };
    }
    g_free(order);
}

/* ---------------------------------------------------------------- public */

/* Empties a message for reuse, keeping its arrays and frame buffer. */
static void msg_clear(isakmp_msg *m)
{
    for (guint i = 0; i < m->sources->len; i++) {
        msg_source *s = &g_array_index(m->sources, msg_source, i);
        if (s->secure) {   /* (wiped there) */
            secure_free(s->data, s->len);
            continue;
        }
        if (s->secret)
            secure_wipe(s->data, s->len);
        if (i > 0)   /* source 0 is the kept frame buffer */
            g_free(s->data);
    }
    for (guint i = 0; i < m->notes->len; i++)
        g_free(g_array_index(m->notes, msg_note, i).text);
    /* plain structs without free functions: emptying is resetting the length */
    m->sources->len = 0;
    m->notes->len = 0;
    m->items->len = 0;
    if (m->strings)
        g_string_chunk_clear(m->strings);
    g_free(m->pub_notes);
    g_free(m->summary);
    m->pub_notes = NULL;
    m->summary = NULL;
    m->version = 0;
    m->no_labels = false;
    m->want = NULL;
    m->skip = NULL;
    m->lean = false;
    m->unordered = false;
    m->needs_state = false;
}

static void msg_destroy(isakmp_msg *m)
{
    g_array_free(m->items, TRUE);
    g_array_free(m->sources, TRUE);
    g_array_free(m->notes, TRUE);
    if (m->strings)
        g_string_chunk_free(m->strings);
    g_free(m->frame_buf);
    facts_free(&m->facts);
    g_free(m);
}

/* A thread's spare is destroyed when the thread exits, by the destructor of
 * a key whose value is the address of that thread's spare_msg: worker
 * threads come and go (isakmpdump --threads), and a _Thread_local alone
 * would lose the message with its thread.  The key is set once per thread,
 * so the spare itself stays a plain variable on the per-message path. */
static pthread_key_t spare_key;
static bool spare_key_made;
static _Thread_local bool spare_key_set;

static void spare_drop(void *slot)
{
    isakmp_msg **spare = slot;
    if (*spare)
        msg_destroy(*spare);
    *spare = NULL;
    spare_key_set = false;   /* a message freed later on this thread sets it again */
}

static void spare_key_make(void)
{
    spare_key_made = pthread_key_create(&spare_key, spare_drop) == 0;
}

/* The plugin's copy of the library can be unloaded while threads live on:
 * their exits must not call into it. */
__attribute__((destructor)) static void spare_key_delete(void)
{
    if (spare_key_made)
        pthread_key_delete(spare_key);
}

/* Whether this thread's spare is destroyed at its exit: without the key, no
 * spare is kept. */
static bool spare_key_ready(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    if (!spare_key_set) {
        pthread_once(&once, spare_key_make);
        spare_key_set = spare_key_made && pthread_setspecific(spare_key, &spare_msg) == 0;
    }
    return spare_key_set;
}

void isakmp_msg_free(isakmp_msg *m)
{
    if (!m)
        return;
    msg_clear(m);
    /* keep a normal-sized one for the next message on this thread */
    if (!spare_msg && m->items_cap <= 4096 && m->frame_cap <= 65536 && spare_key_ready()) {
        spare_msg = m;
        return;
    }
    msg_destroy(m);
}

void isakmp_msg_walk(const isakmp_msg *m, isakmp_walk_fn fn, void *user)
{
    const struct isakmp_item *items = (const struct isakmp_item *)(const void *)m->items->data;
    if (!m->unordered) {   /* the array is the pre-order */
        for (guint i = 0; i < m->items->len; i++)
            fn(&items[i], user);
        return;
    }
    /* iterative pre-order over the links: depth is bounded by the decoder,
     * but an explicit walk keeps the stack flat whatever the tree is */
    uint32_t idx = 0;
    for (;;) {
        fn(&items[idx], user);
        if (items[idx].first_child) {
            idx = items[idx].first_child;
            continue;
        }
        while (idx && !items[idx].next)
            idx = items[idx].parent;
        if (!idx)
            return;
        idx = items[idx].next;
    }
}

/* "IKE_SA_INIT MID=0x00000000 Initiator Request": the exchange's name (as
 * the field shows it), the message ID as 0x%08x for IKEv1 and IKEv2 (a
 * Message ID cut short by the capture reads as none), and IKEv2's flags I
 * and R.  isakmpdump's summary line starts with this very text. */
char *msg_make_summary(const isakmp_msg *m)
{
    const isakmp_fact_header *h = &m->facts.pub.header;
    const char *x = isakmp_fact_value_name(m, ISAKMP_FACT_EXCHANGE, 0);
    uint32_t mid = h->complete || m->pkt.len >= 24 ? h->msgid : 0;
    char unknown[24], id[16] = " MID=0x";
    if (!x) {
        snprintf(unknown, sizeof unknown, "Unknown(%u)", (unsigned)h->exchange);
        x = unknown;
    }
    /* put together without printf, whose parsing was two thirds of the
     * cost: -T json writes a summary per message */
    const uint8_t be[4] = { (uint8_t)(mid >> 24), (uint8_t)(mid >> 16), (uint8_t)(mid >> 8),
                            (uint8_t)mid };
    hex_encode(be, 4, id + 7, sizeof id - 7);
    bool v2 = m->version == 2;
    return g_strconcat(x, id, v2 ? (h->initiator ? " Initiator" : " Responder") : "",
                       v2 ? (h->response ? " Response" : " Request") : "", NULL);
}

const isakmp_item *isakmp_msg_root(const isakmp_msg *m)
{
    return &g_array_index(m->items, struct isakmp_item, 0);
}

int isakmp_msg_version(const isakmp_msg *m) { return m->version; }
bool isakmp_msg_needs_state(const isakmp_msg *m) { return m->needs_state; }
const isakmp_packet *isakmp_msg_packet(const isakmp_msg *m) { return &m->pkt; }
const char *isakmp_msg_summary(const isakmp_msg *m)
{
    /* made on first request: batch outputs that never show it skip the work */
    isakmp_msg *mm = (isakmp_msg *)(uintptr_t)m;
    if (!mm->summary)
        mm->summary = msg_make_summary(m);
    return mm->summary;
}
size_t isakmp_msg_source_count(const isakmp_msg *m) { return m->sources->len; }

const char *isakmp_msg_source_name(const isakmp_msg *m, size_t src)
{
    return src < m->sources->len ? g_array_index(m->sources, msg_source, src).name : NULL;
}

const uint8_t *isakmp_msg_source_data(const isakmp_msg *m, size_t src, size_t *len)
{
    if (src >= m->sources->len) {
        *len = 0;
        return NULL;
    }
    const msg_source *s = &g_array_index(m->sources, msg_source, src);
    *len = s->len;
    return s->data;
}

const isakmp_note *isakmp_msg_notes(const isakmp_msg *m, size_t *count)
{
    *count = m->notes->len;
    return m->pub_notes;
}

static const isakmp_item *at(const isakmp_item *it, uint32_t idx)
{
    return idx ? &g_array_index(it->msg->items, struct isakmp_item, idx) : NULL;
}

const isakmp_item *isakmp_item_first_child(const isakmp_item *it) { return at(it, it->first_child); }
const isakmp_item *isakmp_item_next(const isakmp_item *it) { return at(it, it->next); }

const isakmp_item *isakmp_item_parent(const isakmp_item *it)
{
    /* the root's parent index is 0 as well, but the root is its own index 0 */
    if (it == isakmp_msg_root(it->msg))
        return NULL;
    return &g_array_index(it->msg->items, struct isakmp_item, it->parent);
}

const uint8_t *isakmp_msg_span(const isakmp_msg *msg, isakmp_span s)
{
    size_t n = 0;
    const uint8_t *p = isakmp_msg_source_data(msg, s.src, &n);
    if (!p || s.off > n || s.len > n - s.off)
        return NULL;
    return p + s.off;
}

const isakmp_field *isakmp_item_field(const isakmp_item *it) { return &field_table[it->field]; }
size_t isakmp_item_source(const isakmp_item *it) { return it->src; }
size_t isakmp_item_offset(const isakmp_item *it) { return it->offset; }
size_t isakmp_item_length(const isakmp_item *it) { return it->length; }
uint64_t isakmp_item_uint(const isakmp_item *it) { return it->uval; }
const char *isakmp_item_label(const isakmp_item *it) { return it->label; }

const char *isakmp_item_value_name(const isakmp_item *it)
{
    const isakmp_value_name *v = it->vals ? it->vals : isakmp_item_field(it)->vals;
    return isakmp_value_lookup(v, (uint32_t)it->uval);
}
bool isakmp_item_generated(const isakmp_item *it) { return it->generated; }

const uint8_t *isakmp_item_bytes(const isakmp_item *it, size_t *len)
{
    if (it->vptr) {
        *len = it->vlen;
        return it->vptr;
    }
    size_t slen;
    const uint8_t *d = isakmp_msg_source_data(it->msg, it->src, &slen);
    if (!d || it->offset > slen) {
        *len = 0;
        return NULL;
    }
    *len = it->length <= slen - it->offset ? it->length : slen - it->offset;
    return d + it->offset;
}

/* ---------------------------------------------------------------- formatting */

static int hex_width(isakmp_ftype t)
{
    switch (t) {
    case ISAKMP_FT_UINT8: return 2;
    case ISAKMP_FT_UINT16: return 4;
    case ISAKMP_FT_UINT24: return 6;
    case ISAKMP_FT_UINT32: return 8;
    default: return 16;
    }
}

/* Writes tmp[0..n) to buf as a C string, cut to fit; returns n. */
static size_t put_cut(const char *tmp, size_t n, char *buf, size_t size)
{
    if (size) {
        size_t c = n < size ? n : size - 1;
        memcpy(buf, tmp, c);
        buf[c] = 0;
    }
    return n;
}

/* put_cut for a number's text of at most NUM_MAX bytes at tmp, which has
 * NUM_MAX readable bytes: with room for all of them, one copy of known
 * length (no call), then the terminator where the text ends. */
#define NUM_MAX 24
static inline size_t put_num(const char *tmp, size_t n, char *buf, size_t size)
{
    if (size > NUM_MAX) {
        memcpy(buf, tmp, NUM_MAX);
        buf[n] = 0;
        return n;
    }
    return put_cut(tmp, n, buf, size);
}

/* "0x" and `width` hex digits without printf (-T fields prints many): the
 * sixteen digits of the value at once, the last `digits` of them kept. */
static size_t format_hex(uint64_t v, int width, char *buf, size_t size)
{
    int digits = width;
    while (digits < 16 && (v >> (4 * digits)))
        digits++;
    char tmp[18 + NUM_MAX] = { 0 };
    uint8_t be[8];
    for (int i = 0; i < 8; i++)
        be[i] = (uint8_t)(v >> (56 - 8 * i));
    hex_encode(be, 8, tmp + 2, 17);   /* one SSE2 block where there is SSE2 */
    char *start = tmp + 16 - digits;   /* "0x" over the leading zeros dropped */
    start[0] = '0';
    start[1] = 'x';
    return put_num(start, (size_t)digits + 2, buf, size);
}

static const char dec_pairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* Decimal of 100 and above, two digits a division. */
static size_t format_dec_long(uint64_t v, char *buf, size_t size)
{
    char tmp[2 * NUM_MAX] = { 0 };
    size_t n = NUM_MAX;   /* the digits end there: NUM_MAX readable bytes from any start */
    while (v >= 100) {
        n -= 2;
        memcpy(tmp + n, dec_pairs + 2 * (v % 100), 2);
        v /= 100;
    }
    if (v >= 10) {
        n -= 2;
        memcpy(tmp + n, dec_pairs + 2 * v, 2);
    } else {
        tmp[--n] = (char)('0' + v);
    }
    return put_num(tmp + n, NUM_MAX - n, buf, size);
}

/* Decimal without printf: the commonest value in every output. */
__attribute__((always_inline)) static inline size_t format_dec(uint64_t v, char *buf, size_t size)
{
    if (v < 100 && size >= 3) {   /* payload types, flags, counts */
        size_t n = v < 10 ? 1 : 2;
        memcpy(buf, dec_pairs + 2 * v + (2 - n), 2);
        buf[n] = 0;
        return n;
    }
    return format_dec_long(v, buf, size);
}

/* A string's length: strings stop at the first NUL, as Wireshark's do. */
static size_t string_len(const uint8_t *b, size_t n)
{
    const uint8_t *nul = b ? memchr(b, 0, n) : NULL;
    return nul ? (size_t)(nul - b) : n;
}

static size_t format_string(const uint8_t *b, size_t n, char *buf, size_t size)
{
    size_t k = string_len(b, n);   /* other bytes are kept */
    if (size) {
        size_t c = k < size - 1 ? k : size - 1;
        memcpy(buf, b, c);
        buf[c] = 0;
    }
    return k;
}

/* Whether a number of this base is printed in hex first (-T fields, the
 * plain value): HEX and HEX_DEC; the others in decimal. */
static inline bool base_hex_first(int base)
{
    return base == ISAKMP_BASE_HEX || base == ISAKMP_BASE_HEX_DEC;
}

/* The plain value of an item of field f (both formatters' common part;
 * inlined into each: -T fields formats every value through it). */
__attribute__((always_inline)) static inline size_t
format_plain(const isakmp_item *it, const isakmp_field *f, char *buf, size_t size)
{
    size_t n;
    const uint8_t *b;
    switch (f->type) {
    case ISAKMP_FT_NONE:
        /* tshark -T fields prints a present text-only field as 1 */
        return format_dec(1, buf, size);
    case ISAKMP_FT_BOOLEAN:
        return format_dec(it->uval ? 1 : 0, buf, size);
    case ISAKMP_FT_UINT8:
    case ISAKMP_FT_UINT16:
    case ISAKMP_FT_UINT24:
    case ISAKMP_FT_UINT32:
    case ISAKMP_FT_UINT64:
    case ISAKMP_FT_FRAMENUM:
        if (base_hex_first(f->base))
            return format_hex(it->uval, hex_width(f->type), buf, size);
        return format_dec(it->uval, buf, size);
    case ISAKMP_FT_BYTES:
        b = isakmp_item_bytes(it, &n);
        if (n == 0) /* what tshark prints for an empty byte field */
            return (size_t)snprintf(buf, size, "<MISSING>");
        return hex_encode(b, n, buf, size);
    case ISAKMP_FT_STRING:
        b = isakmp_item_bytes(it, &n);
        return format_string(b, n, buf, size);
    case ISAKMP_FT_IPV4:
        b = isakmp_item_bytes(it, &n);
        return isakmp_format_addr(n < 4 ? 0 : 4, b, buf, size);
    case ISAKMP_FT_IPV6:
        b = isakmp_item_bytes(it, &n);
        return isakmp_format_addr(n < 16 ? 0 : 6, b, buf, size);
    }
    return 0;
}

size_t isakmp_item_format_value(const isakmp_item *it, char *buf, size_t size)
{
    return format_plain(it, isakmp_item_field(it), buf, size);
}

/* One string byte as tshark prints it: its escape, U+FFFD for a byte that
 * is not ASCII, or the byte itself.  Returns the piece's length. */
static size_t tshark_char(uint8_t c, isakmp_tshark_style style, char out[3])
{
    /* the C escapes of 0x07..0x0d; tshark 4.0 knew all but \a and \v */
    static const char letter[] = "abtnvfr";
    if (c >= 0x80) {
        memcpy(out, "\xef\xbf\xbd", 3);
        return 3;
    }
    if (c >= 0x07 && c <= 0x0d && (style == ISAKMP_TSHARK_CURRENT || (c != 0x07 && c != 0x0b))) {
        out[0] = '\\';
        out[1] = letter[c - 0x07];
        return 2;
    }
    if (c == '\\' && style == ISAKMP_TSHARK_CURRENT) {
        out[0] = out[1] = '\\';
        return 2;
    }
    out[0] = (char)c;
    return 1;
}

/* True for a byte tshark prints as itself in either style (tshark_char's
 * last case; the older style also keeps \a, \v and backslash, which the
 * per-byte path handles). */
static inline bool tshark_plain(uint8_t c)
{
    /* a table: the four tests per byte of a vendor ID string were 3 % of
     * -T fields on a capture of IKE alone */
    static const bool plain[256] = { [0x00 ... 0x06] = true, [0x0e ... 0x5b] = true,
                                     [0x5d ... 0x7f] = true };
    return plain[c];
}

/* A string as tshark -T fields prints it (up to its first NUL). */
static size_t format_string_tshark(const uint8_t *b, size_t n, isakmp_tshark_style style,
                                   char *buf, size_t size)
{
    size_t k = string_len(b, n);
    size_t len = 0;
    bool full = false;
    for (size_t i = 0; i < k; i++) {
        /* a run of bytes printed as they are, in one copy (vendor ID
         * strings are plain ASCII; byte by byte was 6 % of -T fields) */
        size_t j = i;
        while (j < k && tshark_plain(b[j]))
            j++;
        if (j > i) {
            size_t run = j - i;
            if (!full) {
                size_t c = len + run < size ? run : (size ? size - 1 - len : 0);
                if (c)   /* (buf is NULL when size is 0) */
                    memcpy(buf + len, b + i, c);
                if (c < run) {   /* cut: the bytes before fitted, len + c == size - 1 */
                    if (size)
                        buf[len + c] = 0;
                    full = true;
                }
            }
            len += run;
            i = j;
            if (i == k)
                break;
        }
        char piece[3];
        size_t m = tshark_char(b[i], style, piece);
        if (!full && len + m < size) {
            memcpy(buf + len, piece, m);
        } else if (!full && size) {   /* the pieces before fitted: len < size */
            buf[len] = 0;
            full = true;
        }
        len += m;
    }
    if (!full && size)
        buf[len] = 0;
    return len;
}

/* isakmp_item_format_tshark's values but the commonest: out of line, so
 * that those need no registers saved (the call's cost was half of theirs). */
static __attribute__((noinline)) size_t
format_tshark_rest(const isakmp_item *it, const isakmp_field *f, isakmp_tshark_style style,
                   char *buf, size_t size)
{
    size_t n;
    if (f->type == ISAKMP_FT_BOOLEAN && style == ISAKMP_TSHARK_CURRENT)
        return put_cut(it->uval ? "True" : "False", it->uval ? 4 : 5, buf, size);
    if (f->type != ISAKMP_FT_STRING)
        return format_plain(it, f, buf, size);
    const uint8_t *b = isakmp_item_bytes(it, &n);
    return format_string_tshark(b, n, style, buf, size);
}

size_t isakmp_item_format_tshark(const isakmp_item *it, isakmp_tshark_style style, char *buf,
                                 size_t size)
{
    const isakmp_field *f = isakmp_item_field(it);
    /* the commonest value: a decimal number under 100 (payload, exchange
     * and notify types), as format_plain writes it */
    if ((unsigned)(f->type - ISAKMP_FT_UINT8) <= ISAKMP_FT_UINT64 - ISAKMP_FT_UINT8 &&
        !base_hex_first(f->base) && it->uval < 100 && size >= 3)
        return format_dec(it->uval, buf, size);
    return format_tshark_rest(it, f, style, buf, size);
}

/* Appends p[0..len) to the C string buf of length n (n < size: else
 * nothing is written), cut to fit; returns the length it would have. */
static size_t cat_cut(char *buf, size_t n, size_t size, const char *p, size_t len)
{
    if (n < size) {
        size_t c = len < size - 1 - n ? len : size - 1 - n;
        memcpy(buf + n, p, c);
        buf[n + c] = 0;
    }
    return n + len;
}

size_t isakmp_item_format_display(const isakmp_item *it, char *buf, size_t size)
{
    const isakmp_field *f = isakmp_item_field(it);
    if (f->type == ISAKMP_FT_NONE)
        return put_cut("", 0, buf, size);
    if (f->type == ISAKMP_FT_BOOLEAN)
        return put_cut(it->uval ? "True" : "False", it->uval ? 4 : 5, buf, size);
    size_t n = isakmp_item_format_value(it, buf, size);
    if (n >= size)
        return n;
    /* the suffix: " (name)", "7 (0x07)" (as Wireshark) or "0x07 (7)";
     * without printf: -V prints one per item */
    char tmp[40];
    const char *name = isakmp_value_lookup(it->vals ? it->vals : f->vals, (uint32_t)it->uval);
    if (name) {
        n = cat_cut(buf, n, size, " (", 2);
        n = cat_cut(buf, n, size, name, strlen(name));
        return cat_cut(buf, n, size, ")", 1);
    }
    size_t k;
    if (f->base == ISAKMP_BASE_DEC_HEX)
        k = format_hex(it->uval, hex_width(f->type), tmp, sizeof tmp);
    else if (f->base == ISAKMP_BASE_HEX_DEC)
        k = format_dec(it->uval, tmp, sizeof tmp);
    else
        return n;
    n = cat_cut(buf, n, size, " (", 2);
    n = cat_cut(buf, n, size, tmp, k);
    return cat_cut(buf, n, size, ")", 1);
}

const char *isakmp_severity_name(isakmp_severity s)
{
    static const char *const names[] = { "chat", "note", "warn", "error" };
    return (unsigned)s < 4 ? names[s] : "?";
}

const char *isakmp_note_code_name(isakmp_note_code c)
{
    static const char *const names[] = { "?", "malformed", "truncated", "trailing", "unknown",
                                         "limit", "decrypt", "verify", "info" };
    return (unsigned)c < G_N_ELEMENTS(names) ? names[c] : "?";
}
