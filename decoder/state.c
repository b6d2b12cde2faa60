/* SA state kept across messages: filled by the crypto modules. */
#include "state.h"

GHashTable *state_table_new(void)
{
    return g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, g_free);
}

void state_frame_free(gpointer p)
{
    g_free(p);
}
