/*
 * ESP SAs the library derives are handed to Wireshark's ESP dissector with
 * esp_sa_record_add_from_dissector (packet-ipsec.h, exported by libwireshark
 * 4.0), so ESP decrypts with no manual esp_sa table.
 *
 * That interface keeps at most 16 records for the whole process and treats a
 * 17th as a dissector bug (an exception), so this file counts what it hands
 * over, never offers the same SA twice (re-dissection would), and says so in
 * the tree when the table is full.  The ESP dissector only uses the records
 * when its "Attempt to detect/decode encrypted ESP payloads" preference is on.
 */
#include <stdio.h>

#include "ike.h"

#include <epan/dissectors/packet-ipsec.h>   /* needs glib and ws_symbol_export first */

#define ESP_RECORD_MAX 16   /* MAX_EXTRA_SA_RECORDS in packet-ipsec.c (4.0) */
#define ESP_PROTO_IPV4 0    /* IPSEC_SA_IPV4 / IPSEC_SA_IPV6 in packet-ipsec.c */
#define ESP_PROTO_IPV6 1

/* IKEv2 transform ids (IANA "Transform Type 1/3") -> the ESP dissector's
 * algorithm numbers (esp_encryption_type_vals / esp_authentication_type_vals
 * in packet-ipsec.c 4.0).  0 bits matches any key length. */
static const struct { uint16_t iana, bits; guint8 ws; } encr_map[] = {
    { 11, 0, 0 },     /* ENCR_NULL -> NULL */
    { 3, 0, 1 },      /* ENCR_3DES -> TripleDES-CBC */
    { 12, 0, 2 },     /* ENCR_AES_CBC -> AES-CBC */
    { 13, 0, 3 },     /* ENCR_AES_CTR -> AES-CTR */
    { 2, 0, 4 },      /* ENCR_DES -> DES-CBC */
    { 7, 0, 5 },      /* ENCR_BLOWFISH -> BLOWFISH-CBC */
    { 6, 0, 7 },      /* ENCR_CAST -> CAST5-CBC */
    { 18, 0, 9 },     /* ENCR_AES_GCM_8 -> AES-GCM 8-octet ICV */
    { 19, 0, 10 },    /* ENCR_AES_GCM_12 -> AES-GCM 12-octet ICV */
    { 20, 0, 11 },    /* ENCR_AES_GCM_16 -> AES-GCM 16-octet ICV */
};

static const struct { uint16_t iana; guint8 ws; } integ_map[] = {
    { 0, 0 },         /* NONE -> NULL */
    { 1, 6 },         /* AUTH_HMAC_MD5_96 */
    { 2, 1 },         /* AUTH_HMAC_SHA1_96 */
    { 12, 3 },        /* AUTH_HMAC_SHA2_256_128 */
    { 13, 4 },        /* AUTH_HMAC_SHA2_384_192 */
    { 14, 5 },        /* AUTH_HMAC_SHA2_512_256 */
};

static bool encr_alg(const ike_esp_sa *sa, guint8 *ws)
{
    for (size_t i = 0; i < G_N_ELEMENTS(encr_map); i++)
        if (encr_map[i].iana == sa->encr && (!encr_map[i].bits || encr_map[i].bits == sa->encr_bits)) {
            *ws = encr_map[i].ws;
            return true;
        }
    return false;
}

static bool integ_alg(const ike_esp_sa *sa, guint8 *ws)
{
    for (size_t i = 0; i < G_N_ELEMENTS(integ_map); i++)
        if (integ_map[i].iana == sa->integ) {
            *ws = integ_map[i].ws;
            return true;
        }
    return false;
}

/* SAs already handed over in this process (the ESP dissector's records
 * outlive capture files). */
static GHashTable *offered;
static guint records_used;

bool ike_esp_offer(packet_info *pinfo, proto_item *item, const ike_esp_sa *sa)
{
    guint8 encr, integ;
    if (!encr_alg(sa, &encr) || !integ_alg(sa, &integ))
        return false;   /* an algorithm the ESP dissector does not have */
    if (!offered)
        offered = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    char *key = g_strdup_printf("%s>%s/%08x", sa->src, sa->dst, sa->spi);
    if (g_hash_table_contains(offered, key)) {
        g_free(key);
        return true;
    }
    if (records_used >= ESP_RECORD_MAX) {
        g_free(key);
        expert_add_info_format(pinfo, item, ike_expert(ISAKMP_SEV_WARN, ISAKMP_NOTE_LIMIT),
                               "Wireshark's ESP dissector holds %d SAs from dissectors and has "
                               "no room for SPI 0x%08x; add it to the esp_sa table by hand",
                               ESP_RECORD_MAX, sa->spi);
        return false;
    }
    char spi[16];
    snprintf(spi, sizeof spi, "0x%08x", sa->spi);
    esp_sa_record_add_from_dissector(sa->ipv6 ? ESP_PROTO_IPV6 : ESP_PROTO_IPV4, sa->src, sa->dst,
                                     spi, encr, sa->encr_key, integ, sa->integ_key);
    records_used++;
    g_hash_table_add(offered, key);
    return true;
}
