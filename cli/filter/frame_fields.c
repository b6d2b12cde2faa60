/*
 * The non-ike fields a display filter can read: the capture fields' one
 * table (cli/output/frame_fields.c, the same that -e and -G fields use),
 * each field's type turned into the filter's and each value into an fval.
 * The esp.* fields come from the same place (cli/output/esp_fields.c).
 * ip.addr, ipv6.addr, udp.port and tcp.port have two values each, source
 * and destination, and vlan.id one per tag, as in Wireshark.
 */
#include <string.h>

#include "filter_int.h"

static fv_type fv_of(ff_type t)
{
    switch (t) {
    case FF_UINT: return FV_UINT;
    case FF_ABS_TIME: case FF_EPOCH: return FV_ABSTIME;
    case FF_REL_TIME: return FV_TIME;
    case FF_IPV4: return FV_IPV4;
    case FF_IPV6: return FV_IPV6;
    case FF_ETHER: return FV_ETHER;
    case FF_STRING: return FV_STRING;
    case FF_HEX32: case FF_HEX8: return FV_UINT;
    case FF_BOOL: return FV_BOOL;
    }
    return FV_NONE;
}

/* The width of an integer field, from its tshark type name (FT_UINT16). */
static unsigned bits_of(const frame_field *ff)
{
    if (ff->type == FF_BOOL)
        return 1;
    if (ff->type != FF_UINT)
        return 64;
    if (strcmp(ff->ftype, "FT_UINT8") == 0)
        return 8;
    if (strcmp(ff->ftype, "FT_UINT16") == 0)
        return 16;
    if (strcmp(ff->ftype, "FT_UINT32") == 0)
        return 32;
    return 64;
}

/* The field of a key: the index in frame_fields' table, or ESP_KEY_BASE
 * plus the index in the esp.* table. */
#define ESP_KEY_BASE 1000

static const frame_field *field_of(int key)
{
    size_t n;
    const frame_field *t = key >= ESP_KEY_BASE ? esp_frame_fields(&n) : frame_fields(&n);
    size_t i = (size_t)(key >= ESP_KEY_BASE ? key - ESP_KEY_BASE : key);
    return key >= 0 && i < n ? &t[i] : NULL;
}

static bool lookup(const char *name, fv_type *type, unsigned *bits, int *key)
{
    const frame_field *ff = frame_field_by_name(name);
    if (!ff)
        return false;
    size_t n, ne;
    const frame_field *t = frame_fields(&n), *te = esp_frame_fields(&ne);
    *key = ff >= te && ff < te + ne ? ESP_KEY_BASE + (int)(ff - te) : (int)(ff - t);
    *type = fv_of(ff->type);
    *bits = bits_of(ff);
    return true;
}

static int64_t ns_of(int64_t sec, int32_t nsec) { return sec * 1000000000 + nsec; }

static size_t values(int key, const filter_frame *fr, fval *out)
{
    const frame_field *ff = field_of(key);
    if (!ff || !fr->meta)
        return 0;
    ff_value v[FF_MAX_VALUES];
    size_t nv = frame_field_values(ff, fr, v);
    for (size_t i = 0; i < nv; i++) {
        fval *o = &out[i];
        memset(o, 0, sizeof *o);
        switch (v[i].type) {
        case FF_UINT: case FF_HEX32: case FF_HEX8: case FF_BOOL: o->u = v[i].u; break;
        case FF_ABS_TIME: case FF_EPOCH: case FF_REL_TIME: o->ns = ns_of(v[i].sec, v[i].nsec); break;
        case FF_IPV4: case FF_IPV6: case FF_ETHER:
            o->len = v[i].type == FF_IPV4 ? 4 : v[i].type == FF_ETHER ? 6 : 16;
            memcpy(o->buf, v[i].addr, o->len);
            o->p = o->buf;
            break;
        case FF_STRING:
            o->p = (const uint8_t *)v[i].str;
            o->len = strlen(v[i].str);
            break;
        }
    }
    return nv;
}

/* Fields whose value needs the frames in order (the previous displayed one). */
static bool ordered(int key)
{
    const frame_field *ff = field_of(key);
    return ff && ff->ordered;
}

const filter_frame_fields filter_frame_fields_default = { lookup, values, ordered };
