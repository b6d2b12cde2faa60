/*
 * The non-ike fields a display filter can read: the capture fields' one
 * table (cli/output/frame_fields.c, the same that -e and -G fields use),
 * each field's type turned into the filter's and each value into an fval.
 * A key is the field's index in that table.  ip.addr, ipv6.addr, udp.port
 * and tcp.port have two values each, source and destination, and vlan.id
 * one per tag, as in Wireshark.
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
    }
    return FV_NONE;
}

/* The width of an integer field, from its tshark type name (FT_UINT16). */
static unsigned bits_of(const frame_field *ff)
{
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

static bool lookup(const char *name, fv_type *type, unsigned *bits, int *key)
{
    if (esp_field_lookup(name, type, bits, key))   /* esp.icv_good / _bad are only here */
        return true;
    /* the output's esp.* fields (found by frame_field_by_name too) are
     * a subset of the ones above, in a table of their own */
    if (strncmp(name, "esp.", 4) == 0)
        return false;
    size_t n;
    const frame_field *t = frame_fields(&n);
    const frame_field *ff = frame_field_by_name(name);
    if (!ff)
        return false;
    *key = (int)(ff - t);
    *type = fv_of(ff->type);
    *bits = bits_of(ff);
    return true;
}

static int64_t ns_of(int64_t sec, int32_t nsec) { return sec * 1000000000 + nsec; }

static size_t values(int key, const filter_frame *fr, fval *out)
{
    if (key >= ESP_KEY_BASE)
        return esp_field_values(key, fr, out);
    size_t n;
    const frame_field *t = frame_fields(&n);
    if (key < 0 || (size_t)key >= n || !fr->meta)
        return 0;
    ff_value v[FF_MAX_VALUES];
    size_t nv = frame_field_values(&t[key], fr, v);
    for (size_t i = 0; i < nv; i++) {
        fval *o = &out[i];
        memset(o, 0, sizeof *o);
        switch (v[i].type) {
        case FF_UINT: case FF_HEX32: case FF_HEX8: o->u = v[i].u; break;
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
    size_t n;
    const frame_field *t = frame_fields(&n);
    return key >= 0 && (size_t)key < n && t[key].ordered;
}

const filter_frame_fields filter_frame_fields_default = { lookup, values, ordered };
