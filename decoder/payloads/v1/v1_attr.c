/*
 * IKEv1 data attributes, RFC 2408 section 3.3: the Type/Value form (AF = 1,
 * a 2-byte value) and the Type/Length/Value form (AF = 0).  The same layout
 * carries transform attributes (RFC 2409 Appendix A, RFC 2407 4.5),
 * RESPONDER-LIFETIME attributes (RFC 2407 4.6.3.1), Mode-Config / XAUTH
 * attributes (draft-dukes-ike-mode-cfg-02, draft-beaulieu-ike-xauth-02) and
 * GDOI key download attributes (RFC 6407 5.6); each context is a family
 * (fields + typed values) defined in the file that owns it.
 */
#include "payloads/v1/v1.h"

_Static_assert(F_IKE_ATTR_LIFE_DURATION64 == F_IKE_ATTR_LIFE_DURATION + 1 &&
               F_IKE_ATTR_LIFE_DURATION_BYTES == F_IKE_ATTR_LIFE_DURATION + 2,
               "AV_LIFE expects uint32, uint64 and bytes fields in a row");
_Static_assert(F_IPSEC_ATTR_LIFE_DURATION64 == F_IPSEC_ATTR_LIFE_DURATION + 1 &&
               F_IPSEC_ATTR_LIFE_DURATION_BYTES == F_IPSEC_ATTR_LIFE_DURATION + 2,
               "AV_LIFE expects uint32, uint64 and bytes fields in a row");
_Static_assert(F_NOTIFY_DATA_RESP_LIFETIME_IKE_ATTR_LIFE_DURATION_BYTES ==
                   F_NOTIFY_DATA_RESP_LIFETIME_IKE_ATTR_LIFE_DURATION + 2 &&
               F_NOTIFY_DATA_RESP_LIFETIME_IPSEC_ATTR_LIFE_DURATION_BYTES ==
                   F_NOTIFY_DATA_RESP_LIFETIME_IPSEC_ATTR_LIFE_DURATION + 2,
               "AV_LIFE expects uint32, uint64 and bytes fields in a row");

uint64_t v1_uint(cur_t *c, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | cur_u8(c);
    return v;
}

static const v1_attr_map *find_map(const v1_attr_map *m, uint16_t type)
{
    for (; m && m->field; m++)
        if (m->type == type)
            return m;
    return NULL;
}

/* One item per `width` bytes (addresses repeated in one attribute). */
static void add_each(dec_t *d, uint32_t item, int field, cur_t *val, size_t width)
{
    while (cur_left(val) >= width) {
        size_t off = cur_skip(val, width);
        tree_add(d->m, item, field, val->src, off, width);
    }
    if (cur_left(val))
        tree_note(d->m, item, ISAKMP_SEV_WARN, ISAKMP_NOTE_MALFORMED,
                  "Value is not a multiple of %zu bytes", width);
}

/* Life duration (RFC 2409 App. A, RFC 2407 4.5): any length; shown as an
 * integer when it fits in 64 bits. */
static void add_life(dec_t *d, uint32_t item, int field, cur_t *val)
{
    size_t n = cur_left(val), off = cur_off(val);
    if (n > 8) {
        tree_add(d->m, item, field + 2, val->src, off, n);
        return;
    }
    int f = n <= 4 ? field : field + 1;
    if (tree_wants(d->m, f))   /* not built: not worth reading */
        tree_add_uint(d->m, item, f, val->src, off, n, v1_uint(val, n));
}

/* An integer value as Wireshark reads one into its 8- to 32-bit fields:
 * of up to 4 octets, and of the first 4 of a longer value (with its note
 * "Trying to fetch an unsigned integer with length N"). */
static void add_uint(dec_t *d, uint32_t item, const v1_attr_map *m, cur_t *val)
{
    size_t n = cur_left(val), off = cur_off(val);
    if (n <= 4 && !tree_wants(d->m, m->field))
        return;   /* not built, nothing to note: not worth reading */
    uint32_t x = tree_add_uint(d->m, item, m->field, val->src, off, n, v1_uint(val, n > 4 ? 4 : n));
    if (n > 4)
        tree_note(d->m, x, ISAKMP_SEV_WARN, ISAKMP_NOTE_MALFORMED,
                  "Integer value of %zu octets: its first 4 are shown", n);
    /* the map's names apply where they name the value; the field's own
     * (IANA) names stay for the rest (an item not built has none) */
    if (m->vals && !tree_is_ghost(x) &&
        isakmp_value_lookup(m->vals, (uint32_t)tree_item(d->m, x)->uval))
        tree_set_vals(d->m, x, m->vals);
}

static void add_typed(dec_t *d, uint32_t item, const v1_attr_family *f, uint16_t type,
                      cur_t *val, v1_attr_state *st, uint16_t head)
{
    const v1_attr_map *m = find_map(f->map, type);
    size_t n = cur_left(val), off = cur_off(val);
    if (!m || n == 0)
        return;
    if (f->pick)
        m = f->pick(st, m, head);
    switch (m->kind) {
    case AV_UINT: add_uint(d, item, m, val); break;
    case AV_BYTES:
    case AV_STRING:
        tree_add(d->m, item, m->field, val->src, off, n);
        break;
    case AV_LIFE: add_life(d, item, m->field, val); break;
    case AV_IPV4: add_each(d, item, m->field, val, 4); break;
    case AV_IPV6: add_each(d, item, m->field, val, 16); break;
    case AV_CUSTOM:
        if (f->custom)
            f->custom(d, item, m, val);
        break;
    }
}

/* A transform attribute's entry in the facts: its value is all of val. */
static void attr_fact(dec_t *d, const v1_attr_family *f, uint16_t type, bool tv, const cur_t *val)
{
    isakmp_fact_attr e = { .type = type, .tv = tv, .data = facts_rest(val) };
    const uint8_t *v = cur_view(val, cur_off(val), cur_left(val));
    for (size_t i = 0; v && i < cur_left(val) && i < 8; i++)
        e.value = e.value << 8 | v[i];
    facts_attr(d, &e, tv && type == f->key_length);
}

/* An attribute type's name for labels. */
static const char *type_name(const v1_attr_family *f, uint16_t type)
{
    const char *tn = isakmp_value_lookup(f->type_names, type);
    return tn ? tn : "Unknown";
}

/* Reads one attribute; returns false when the list cannot go on. */
static bool one_attr(dec_t *d, uint32_t parent, cur_t *c, const v1_attr_family *f,
                     v1_attr_state *st)
{
    size_t off = cur_off(c), left = cur_left(c);
    if (left < 4) {
        uint32_t x = tree_add(d->m, parent, f->attr, c->src, off, left);
        tree_note(d->m, x, ISAKMP_SEV_ERROR, ISAKMP_NOTE_MALFORMED,
                  "Attribute header needs 4 bytes, %zu left", left);
        cur_skip(c, left);
        return false;
    }
    uint16_t raw = cur_peek_u16(c, 0), type = raw & 0x7fff;
    bool tv = raw & 0x8000;
    size_t len = tv ? 2 : cur_peek_u16(c, 2);
    size_t total = 4 + (tv ? 0 : len);
    uint32_t item = tree_add(d->m, parent, f->attr, c->src, off, total < left ? total : left);
    tree_set_label(d->m, item, "%s (t=%u,l=%zu): %s", f->what, type, len,
                   type_name(f, type));
    if (tree_wants(d->m, f->format))
        tree_add_uint(d->m, item, f->format, c->src, off, 2, raw);
    if (tree_wants(d->m, f->type))
        tree_set_vals(d->m, tree_add_uint(d->m, item, f->type, c->src, off, 2, type),
                      f->type_names);
    cur_skip(c, 2);
    cur_t val;
    if (!tv)
        dec_u16(d, item, c, f->length);
    /* two octets at the value, whatever its length (read before the child
     * takes the value's bytes from c: a 1-octet value's second octet is
     * the next attribute's) */
    uint16_t head = cur_peek_u16(c, 0);
    if (!cur_child(c, len, &val))
        tree_note(d->m, item, ISAKMP_SEV_ERROR,
                  val.clip == CUR_TRUNCATED ? ISAKMP_NOTE_TRUNCATED : ISAKMP_NOTE_MALFORMED,
                  "Attribute value of %zu bytes runs past its container (%zu left)", len,
                  cur_left(&val));
    if (len == 0 && !f->no_empty_mark) {
        /* Wireshark's expert item, which -T fields prints: mirrored */
        uint32_t e = tree_add(d->m, item, F_ATTRIBUTE_VALUE_EMPTY, c->src, off, 0);
        tree_note(d->m, e, ISAKMP_SEV_NOTE, ISAKMP_NOTE_INFO, "Attribute value is empty");
    } else if (len > 0)
        tree_add(d->m, item, f->value, val.src, cur_off(&val), cur_left(&val));
    if (cur_left(&val) == len) {
        if (f->key_length && facts_on(d))
            attr_fact(d, f, type, tv, &val);
        add_typed(d, item, f, type, &val, st, head);
    }
    return cur_left(c) > 0;
}

void v1_attrs(dec_t *d, uint32_t parent, cur_t *c, const v1_attr_family *fam)
{
    v1_attr_state st = { 0 };
    for (unsigned n = 0; cur_left(c) > 0; n++) {
        if (n >= ISAKMP_MAX_ATTRS) {
            tree_note(d->m, parent, ISAKMP_SEV_WARN, ISAKMP_NOTE_LIMIT,
                      "Attribute limit of %d reached", ISAKMP_MAX_ATTRS);
            return;
        }
        if (!one_attr(d, parent, c, fam, &st))
            return;
    }
}

/* GDOI key download attributes (RFC 6407 5.6.1): shown raw. */
const v1_attr_family v1_kd_attrs = {
    F_KEY_DOWNLOAD_ATTR, F_KEY_DOWNLOAD_ATTR_FORMAT, F_KEY_DOWNLOAD_ATTR_TYPE,
    F_KEY_DOWNLOAD_ATTR_LENGTH, F_KEY_DOWNLOAD_ATTR_VALUE, NULL, NULL,
    "Key Download Attribute", NULL, false, NULL, 0,
};
