/* Which fields a payload's body can hold (payload_fields.h). */
#include "core/internal.h"
#include "core/payload_fields.h"

#include "core/payload_fields_table.inc"

const int *payload_body_fields(int version, uint8_t type)
{
    for (size_t i = 0; i < G_N_ELEMENTS(body_table); i++)
        if (body_table[i].version == version && body_table[i].type == type)
            return body_table[i].fields;
    return NULL;
}

const int *payload_body_row(size_t i, int *version, uint8_t *type)
{
    if (i >= G_N_ELEMENTS(body_table))
        return NULL;
    *version = body_table[i].version;
    *type = body_table[i].type;
    return body_table[i].fields;
}

bool payload_fields_has(const int *list, int field)
{
    for (; *list >= 0; list++)
        if (*list == field)
            return true;
    return false;
}

/* dec_trailing puts bytes a parser left in any body as ike.extradata. */
bool payload_field_any_body(int field) { return field == F_EXTRADATA; }

/* Key derivation adds its verdicts to payload items after the message is
 * decoded (derive.c, derive_v1.c), from the facts of bodies it has parsed
 * whatever is wanted (ctx.c). */
bool payload_field_after_parse(int field)
{
    return field == F_VERIFY_HASH || field == F_VERIFY_AUTH;
}
