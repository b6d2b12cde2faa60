/* The field table: the single source of every field name (fields*.def). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/names.h"   /* value names outside the IANA tables */

/* Not static: msg.c reads it directly (isakmp_item_field is on every
 * value's path, and a call per item cost -T fields 1.5 %). */
const isakmp_field field_table[F_COUNT] = {
#define FIELD(id, name, abbrev, type, base, vals, mask, desc) \
    [F_##id] = { F_##id, name, abbrev, type, base, vals, mask, desc },
#include "core/fields.def"
#undef FIELD
};

const isakmp_field *isakmp_fields(size_t *count)
{
    if (count)
        *count = F_COUNT;
    return field_table;
}

static int cmp_abbrev(const void *a, const void *b)
{
    return strcmp(field_table[*(const int *)a].abbrev, field_table[*(const int *)b].abbrev);
}

/* Filter names sorted once, for lookups by name.  (pthread_once rather than
 * g_once: ThreadSanitizer sees its ordering.) */
static int sorted[F_COUNT];

static void sort_ids(void)
{
    for (int i = 0; i < F_COUNT; i++)
        sorted[i] = i;
    qsort(sorted, F_COUNT, sizeof sorted[0], cmp_abbrev);
}

static const int *sorted_ids(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sort_ids);
    return sorted;
}

const isakmp_field *isakmp_field_by_abbrev(const char *abbrev)
{
    const int *ids = sorted_ids();
    size_t lo = 0, hi = F_COUNT;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(abbrev, field_table[ids[mid]].abbrev);
        if (c == 0)
            return &field_table[ids[mid]];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const char *isakmp_value_lookup(const isakmp_value_name *vals, uint32_t value)
{
    if (!vals)
        return NULL;
    for (; vals->name; vals++)
        if (value >= vals->lo && value <= vals->hi)
            return vals->name;
    return NULL;
}
