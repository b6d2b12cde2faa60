/*
 * ESP SAs known to the library (esp_sa lines it loaded, and SAs whose keys it
 * derived from the IKE exchanges) are handed to Wireshark's ESP dissector with
 * esp_sa_record_add_from_dissector (packet-ipsec.h, exported by libwireshark
 * 4.0 to 4.6), so ESP decrypts with no manual esp_sa table.  The ESP
 * dissector only uses them when its "Attempt to detect/decode encrypted ESP
 * payloads" preference is on.
 *
 * After each IKE message the plugin asks the library for SAs it has not seen
 * yet (isakmp_ctx_esp_sa_count / _get) and offers each once per process: the
 * ESP dissector's records outlive capture files and decoding contexts, and it
 * keeps at most 16 of them, treating a 17th as a dissector bug (an exception).
 * When the table is full the message that brought the SA gets a warning
 * (ike.note.limit.warn), on every dissection of that frame, so that one- and
 * two-pass trees agree.
 *
 * The numbers below were checked against Wireshark 4.0.17 and 4.4.19 by
 * decrypting the project's samples (tests/plugin/run-plugin.sh): the
 * record's protocol is 1 for IPv4 and 2 for IPv6, and the algorithm numbers
 * are the positions in the ESP preference's algorithm lists, whose names the
 * library uses.
 */
#include <stdio.h>
#include <string.h>

#include "ike.h"

#include <epan/dissectors/packet-ipsec.h>   /* needs glib and ws_symbol_export first */

#define ESP_RECORD_MAX 16   /* the ESP dissector's limit on records from dissectors (4.0, 4.4) */
#define ESP_PROTO_IPV4 1    /* the record's "protocol" column: IPv4 / IPv6 */
#define ESP_PROTO_IPV6 2

/* Wireshark 4.0 esp_sa names (as the library writes them, decoder/export.c)
 * -> the ESP dissector's encryption algorithm numbers. */
static const struct { const char *name; guint8 ws; } encr_map[] = {
    { "NULL", 0 },
    { "TripleDES-CBC [RFC2451]", 1 },
    { "AES-CBC [RFC3602]", 2 },
    { "AES-CTR [RFC3686]", 3 },
    { "DES-CBC [RFC2405]", 4 },
    { "BLOWFISH-CBC [RFC2451]", 5 },
    { "TWOFISH-CBC", 6 },
    { "CAST5-CBC [RFC2144]", 7 },
    { "AES-GCM with 8 octet ICV [RFC4106]", 9 },
    { "AES-GCM with 12 octet ICV [RFC4106]", 10 },
    { "AES-GCM with 16 octet ICV [RFC4106]", 11 },
};

/* ... and integrity algorithm numbers. */
static const struct { const char *name; guint8 ws; } integ_map[] = {
    { "NULL", 0 },
    { "HMAC-SHA-1-96 [RFC2404]", 1 },
    { "HMAC-SHA-256-96 [draft-ietf-ipsec-ciph-sha-256-00]", 2 },
    { "HMAC-SHA-256-128 [RFC4868]", 3 },
    { "HMAC-SHA-384-192 [RFC4868]", 4 },
    { "HMAC-SHA-512-256 [RFC4868]", 5 },
    { "HMAC-MD5-96 [RFC2403]", 6 },
    { "MAC-RIPEMD-160-96 [RFC2857]", 7 },
};

static bool encr_alg(const char *name, guint8 *ws)
{
    for (size_t i = 0; name && i < G_N_ELEMENTS(encr_map); i++)
        if (!strcmp(encr_map[i].name, name)) {
            *ws = encr_map[i].ws;
            return true;
        }
    return false;
}

static bool integ_alg(const char *name, guint8 *ws)
{
    for (size_t i = 0; name && i < G_N_ELEMENTS(integ_map); i++)
        if (!strcmp(integ_map[i].name, name)) {
            *ws = integ_map[i].ws;
            return true;
        }
    return false;
}

/* Per process: SAs handed over ("src>dst/spi"), and how many records used. */
static GHashTable *offered;
static guint records_used;

/* Per decoding context: SAs of the library already looked at, and the SPIs
 * refused for lack of room, by the message that brought them. */
static size_t next_sa;
static GHashTable *refused;   /* frame << 16 | message index -> GArray of guint32 SPIs */

static void free_spis(gpointer p) { g_array_free(p, TRUE); }

void ike_esp_reset(void)
{
    next_sa = 0;
    if (refused)
        g_hash_table_destroy(refused);
    refused = NULL;
}

typedef enum { OFFER_DONE, OFFER_SKIPPED, OFFER_NO_ROOM } offer_result;

/* Hands one SA to the ESP dissector unless it has it already. */
static offer_result offer(const isakmp_esp_sa *sa)
{
    guint8 encr, integ;
    /* an algorithm the ESP dissector lacks, or a wildcard protocol (a
     * loaded esp_sa line), which a record cannot express */
    if (!encr_alg(sa->encr_alg, &encr) || !integ_alg(sa->integ_alg, &integ) ||
        (sa->af != 4 && sa->af != 6) || !sa->src || !sa->dst)
        return OFFER_SKIPPED;
    if (!offered)
        offered = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    char *key = g_strdup_printf("%s>%s/%08x", sa->src, sa->dst, sa->spi);
    if (g_hash_table_contains(offered, key)) {
        g_free(key);
        return OFFER_DONE;
    }
    if (records_used >= ESP_RECORD_MAX) {
        g_free(key);
        return OFFER_NO_ROOM;
    }
    char spi[16];
    snprintf(spi, sizeof spi, "0x%08x", sa->spi);
    esp_sa_record_add_from_dissector(sa->af == 6 ? ESP_PROTO_IPV6 : ESP_PROTO_IPV4, sa->src,
                                     sa->dst, spi, encr, sa->encr_key ? sa->encr_key : "",
                                     integ, sa->integ_key ? sa->integ_key : "");
    records_used++;
    g_hash_table_add(offered, key);
    return OFFER_DONE;
}

/* SAs the library learned since the last message; those that found no room
 * are remembered against this message. */
static void offer_new(gint64 msg_key)
{
    isakmp_ctx *ctx = ike_ctx();
    size_t n = isakmp_ctx_esp_sa_count(ctx);
    for (; next_sa < n; next_sa++) {
        isakmp_esp_sa sa;
        if (!isakmp_ctx_esp_sa_get(ctx, next_sa, &sa) || offer(&sa) != OFFER_NO_ROOM)
            continue;
        if (!refused)
            refused = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, free_spis);
        GArray *spis = g_hash_table_lookup(refused, &msg_key);
        if (!spis) {
            spis = g_array_new(FALSE, FALSE, sizeof(guint32));
            g_hash_table_insert(refused, g_memdup2(&msg_key, sizeof msg_key), spis);
        }
        guint32 spi = sa.spi;
        g_array_append_val(spis, spi);
    }
}

void ike_esp_offer_new(packet_info *pinfo, proto_item *item, guint index)
{
    gint64 msg_key = (gint64)pinfo->num << 16 | (index & 0xffff);
    offer_new(msg_key);
    GArray *spis = refused ? g_hash_table_lookup(refused, &msg_key) : NULL;
    for (guint i = 0; spis && i < spis->len; i++)
        expert_add_info_format(pinfo, item, ike_expert(ISAKMP_SEV_WARN, ISAKMP_NOTE_LIMIT),
                               "Wireshark's ESP dissector takes at most %d SAs from dissectors "
                               "and has no room for SPI 0x%08x: add it to the esp_sa table "
                               "by hand (isakmpdump --export-keys writes one)",
                               ESP_RECORD_MAX, g_array_index(spis, guint32, i));
}
