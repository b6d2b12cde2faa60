/*
 * Field registration, generated at start-up from libisakmp's field table
 * (isakmp_fields()): one hf per field, one ett per field, value-name tables
 * converted once, and one expert info per (note code, severity).  There is
 * no hand-written field list here: a field added to the library's table
 * appears in Wireshark with the next build.
 */
#include <string.h>

#include "ike.h"

static int *hf_ids;            /* by field id */
static gint *ett_ids;          /* by field id */
static expert_field experts[ISAKMP_NOTE_INFO + 1][ISAKMP_SEV_ERROR + 1];

int ike_hf(const isakmp_field *f) { return hf_ids[f->id]; }
gint ike_ett(const isakmp_field *f) { return ett_ids[f->id]; }

expert_field *ike_expert(isakmp_severity sev, isakmp_note_code code)
{
    if ((unsigned)code > ISAKMP_NOTE_INFO || (unsigned)sev > ISAKMP_SEV_ERROR)
        code = ISAKMP_NOTE_INFO, sev = ISAKMP_SEV_WARN;
    return &experts[code][sev];
}

/* ---------------------------------------------------------------- types */

static bool is_int(isakmp_ftype t) { return t >= ISAKMP_FT_UINT8 && t <= ISAKMP_FT_UINT64; }

static enum ftenum ws_type(isakmp_ftype t)
{
    static const enum ftenum map[] = {
        [ISAKMP_FT_NONE] = FT_NONE,       [ISAKMP_FT_UINT8] = FT_UINT8,
        [ISAKMP_FT_UINT16] = FT_UINT16,   [ISAKMP_FT_UINT24] = FT_UINT24,
        [ISAKMP_FT_UINT32] = FT_UINT32,   [ISAKMP_FT_UINT64] = FT_UINT64,
        [ISAKMP_FT_BOOLEAN] = FT_BOOLEAN, [ISAKMP_FT_BYTES] = FT_BYTES,
        [ISAKMP_FT_STRING] = FT_STRING,   [ISAKMP_FT_IPV4] = FT_IPv4,
        [ISAKMP_FT_IPV6] = FT_IPv6,       [ISAKMP_FT_FRAMENUM] = FT_FRAMENUM,
    };
    return (unsigned)t < G_N_ELEMENTS(map) ? map[t] : FT_NONE;
}

/* Bit width of the smallest field holding `mask`, for booleans without one. */
static int mask_width(guint64 mask)
{
    int w = 8;
    while (w < 64 && (mask >> w))
        w *= 2;
    return w;
}

/* The library's bases are its own enum; Wireshark's numbers differ. */
static int ws_display(const isakmp_field *f)
{
    if (f->type == ISAKMP_FT_BOOLEAN)
        return f->base ? f->base : (f->bitmask ? mask_width(f->bitmask) : BASE_NONE);
    if (!is_int(f->type))
        return BASE_NONE;
    switch (f->base) {
    case ISAKMP_BASE_HEX: return BASE_HEX;
    case ISAKMP_BASE_DEC_HEX: return BASE_DEC_HEX;
    case ISAKMP_BASE_HEX_DEC: return BASE_HEX_DEC;
    default: return BASE_DEC;
    }
}

/* ---------------------------------------------------------------- value names */

/* Converted tables, one per library table however many fields share it. */
static GHashTable *converted;

static bool has_ranges(const isakmp_value_name *v)
{
    for (; v->name; v++)
        if (v->lo != v->hi)
            return true;
    return false;
}

static size_t rows(const isakmp_value_name *v)
{
    size_t n = 0;
    while (v[n].name)
        n++;
    return n;
}

static const void *convert_vals(const isakmp_value_name *v, bool ranges)
{
    const void *done = g_hash_table_lookup(converted, v);
    if (done)
        return done;
    size_t n = rows(v);
    void *out;
    if (ranges) {
        range_string *rs = g_new0(range_string, n + 1);   /* zeroed terminator */
        for (size_t i = 0; i < n; i++)
            rs[i] = (range_string){ v[i].lo, v[i].hi, v[i].name };
        out = rs;
    } else {
        value_string *vs = g_new0(value_string, n + 1);
        for (size_t i = 0; i < n; i++)
            vs[i] = (value_string){ v[i].lo, v[i].name };
        out = vs;
    }
    g_hash_table_insert(converted, GSIZE_TO_POINTER((uintptr_t)v), out);   /* a key, never written */
    return out;
}

/* Names are attached to 8..32-bit integers only: Wireshark wants 64-bit
 * tables in another shape, and the library formats every label anyway. */
static void set_vals(hf_register_info *hf, const isakmp_field *f)
{
    if (!f->vals || f->type == ISAKMP_FT_UINT64 || !is_int(f->type))
        return;
    bool ranges = has_ranges(f->vals);
    hf->hfinfo.strings = convert_vals(f->vals, ranges);
    if (ranges)
        hf->hfinfo.display |= BASE_RANGE_STRING;
}

/* ---------------------------------------------------------------- registration */

static void fill_hf(hf_register_info *hf, const isakmp_field *f)
{
    hf->p_id = &hf_ids[f->id];
    hf->hfinfo.name = f->name;
    hf->hfinfo.abbrev = f->abbrev;
    hf->hfinfo.type = ws_type(f->type);
    hf->hfinfo.display = ws_display(f);
    hf->hfinfo.strings = NULL;
    bool maskable = is_int(f->type) || f->type == ISAKMP_FT_BOOLEAN;
    hf->hfinfo.bitmask = maskable ? f->bitmask : 0;
    hf->hfinfo.blurb = f->desc && *f->desc ? f->desc : NULL;
    HFILL_INIT(*hf);
    set_vals(hf, f);
}

static void register_hf(int proto, const char *proto_abbrev)
{
    size_t n;
    const isakmp_field *t = isakmp_fields(&n);
    hf_ids = g_new(int, n);
    hf_register_info *hf = g_new0(hf_register_info, n);   /* Wireshark keeps it */
    size_t nhf = 0;
    converted = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (size_t i = 0; i < n; i++) {
        hf_ids[i] = -1;
        /* the table's root field is the protocol: its item is proto_ike's */
        if (strcmp(t[i].abbrev, proto_abbrev) == 0) {
            hf_ids[i] = proto;
            continue;
        }
        fill_hf(&hf[nhf++], &t[i]);
    }
    proto_register_field_array(proto, hf, (int)nhf);
}

static void register_ett(void)
{
    size_t n;
    isakmp_fields(&n);
    ett_ids = g_new(gint, n);
    gint **ptrs = g_new(gint *, n);
    for (size_t i = 0; i < n; i++) {
        ett_ids[i] = -1;
        ptrs[i] = &ett_ids[i];
    }
    proto_register_subtree_array(ptrs, (int)n);
    g_free(ptrs);
}

/* Notes become expert infos; the group follows the note's code. */
static int expert_group(isakmp_note_code c)
{
    switch (c) {
    case ISAKMP_NOTE_MALFORMED:
    case ISAKMP_NOTE_TRUNCATED: return PI_MALFORMED;
    case ISAKMP_NOTE_UNKNOWN: return PI_UNDECODED;
    case ISAKMP_NOTE_DECRYPT: return PI_DECRYPTION;
    case ISAKMP_NOTE_VERIFY: return PI_CHECKSUM;
    default: return PI_PROTOCOL;
    }
}

static int expert_severity(isakmp_severity s)
{
    static const int map[] = { PI_CHAT, PI_NOTE, PI_WARN, PI_ERROR };
    return map[s];
}

static void register_experts(int proto)
{
    enum { NCODES = ISAKMP_NOTE_INFO, NSEV = ISAKMP_SEV_ERROR + 1 };
    ei_register_info *ei = g_new0(ei_register_info, NCODES * NSEV);   /* Wireshark keeps it */
    int n = 0;
    for (int c = ISAKMP_NOTE_MALFORMED; c <= ISAKMP_NOTE_INFO; c++) {
        for (int s = ISAKMP_SEV_CHAT; s <= ISAKMP_SEV_ERROR; s++, n++) {
            const char *cn = isakmp_note_code_name((isakmp_note_code)c);
            const char *sn = isakmp_severity_name((isakmp_severity)s);
            experts[c][s] = (expert_field)EI_INIT;
            ei[n].ids = &experts[c][s];
            ei[n].eiinfo.name = g_strdup_printf("ike.note.%s.%s", cn, sn);
            ei[n].eiinfo.group = expert_group((isakmp_note_code)c);
            ei[n].eiinfo.severity = expert_severity((isakmp_severity)s);
            ei[n].eiinfo.summary = g_strdup_printf("IKE %s (%s)", cn, sn);
            HFILL_INIT(ei[n].eiinfo.hf_info);   /* what EXPFILL would set */
        }
    }
    expert_module_t *m = expert_register_protocol(proto);
    expert_register_field_array(m, ei, n);
}

void ike_fields_register(int proto)
{
    register_hf(proto, proto_get_protocol_filter_name(proto));
    register_ett();
    register_experts(proto);
}
