/*
 * The esp.* capture fields of -T fields, -G fields and the display filter,
 * named, typed and formatted as Wireshark's ESP dissector's: esp.spi and
 * esp.sequence from the header of the frame's ESP packet, esp.pad_len and
 * esp.protocol (the next header) when it was decrypted (--esp,
 * --decrypt-esp, or keys with --stats / --report), esp.icv_good /
 * esp.icv_bad when its ICV was checked (as Wireshark sets them with its
 * authentication check on); one value per ESP record of the frame.  A table of its own beside frame_fields.c's
 * (which looks names up here after its own), read from ff_frame's ESP
 * members.
 */
#include <glib.h>
#include <string.h>

#include "frame_fields.h"

/* ESP record i of the frame (0: the first): its header's SPI and sequence
 * number, its decryption (NULL: not decrypted). */
static size_t records(const ff_frame *fr)
{
    if (!fr->esp)
        return 0;
    size_t n = 1 + fr->esp->nmore;
    return n < FF_MAX_VALUES ? n : FF_MAX_VALUES;
}

static uint32_t spi_at(const ff_esp *e, size_t i) { return i ? e->more_spi[i - 1] : e->spi; }
static uint32_t seq_at(const ff_esp *e, size_t i) { return i ? e->more_seq[i - 1] : e->seq; }

static const isakmp_esp_result *dec_at(const ff_esp *e, size_t i)
{
    return e->dec ? &e->dec[i] : NULL;
}

static bool decrypted(const isakmp_esp_result *r)
{
    return r && (r->verdict == ISAKMP_ESP_OK || r->verdict == ISAKMP_ESP_BAD_TRAILER);
}

/* Whether the ICV (or AEAD tag) was computed: decrypted, or refused for it. */
static bool icv_checked(const isakmp_esp_result *r)
{
    return r && r->integrity &&
           (r->verdict == ISAKMP_ESP_OK || r->verdict == ISAKMP_ESP_ICV_FAILED ||
            r->verdict == ISAKMP_ESP_BAD_TRAILER);
}

typedef enum { V_SPI, V_SEQ, V_PAD_LEN, V_PROTOCOL, V_ICV_GOOD, V_ICV_BAD } esp_value;

/* One value per record that has it (tshark lists each occurrence). */
static size_t record_values(const ff_frame *fr, ff_value *out, esp_value what)
{
    size_t k = 0;
    for (size_t i = 0; i < records(fr); i++) {
        const isakmp_esp_result *r = dec_at(fr->esp, i);
        ff_value *v = &out[k];
        switch (what) {
        case V_SPI: *v = (ff_value){ .type = FF_HEX32, .u = spi_at(fr->esp, i) }; break;
        case V_SEQ: *v = (ff_value){ .type = FF_UINT, .u = seq_at(fr->esp, i) }; break;
        case V_PAD_LEN:
            if (!decrypted(r))
                continue;
            *v = (ff_value){ .type = FF_UINT, .u = r->pad_len };
            break;
        case V_PROTOCOL:
            if (!decrypted(r))
                continue;
            *v = (ff_value){ .type = FF_HEX8, .u = r->next_header };
            break;
        case V_ICV_GOOD: case V_ICV_BAD:
            if (!icv_checked(r))
                continue;
            *v = (ff_value){ .type = FF_BOOL,
                             .u = (r->verdict == ISAKMP_ESP_ICV_FAILED) == (what == V_ICV_BAD) };
            break;
        }
        k++;
    }
    return k;
}

static size_t g_spi(const ff_frame *fr, ff_value *out) { return record_values(fr, out, V_SPI); }
static size_t g_seq(const ff_frame *fr, ff_value *out) { return record_values(fr, out, V_SEQ); }
static size_t g_pad_len(const ff_frame *fr, ff_value *out) { return record_values(fr, out, V_PAD_LEN); }
static size_t g_protocol(const ff_frame *fr, ff_value *out) { return record_values(fr, out, V_PROTOCOL); }
static size_t g_icv_good(const ff_frame *fr, ff_value *out) { return record_values(fr, out, V_ICV_GOOD); }
static size_t g_icv_bad(const ff_frame *fr, ff_value *out) { return record_values(fr, out, V_ICV_BAD); }

/* Names, labels, types, bases and descriptions as tshark 4.0 -G fields lists them. */
static const frame_field esp_table[] = {
    { "esp.spi", "ESP SPI", "esp", "FT_UINT32", "BASE_HEX_DEC", 0,
      "IP Encapsulating Security Payload Security Parameters Index", FF_HEX32, g_spi, false },
    { "esp.sequence", "ESP Sequence", "esp", "FT_UINT32", "BASE_DEC", 0,
      "IP Encapsulating Security Payload Sequence Number", FF_UINT, g_seq, false },
    { "esp.pad_len", "ESP Pad Length", "esp", "FT_UINT8", "BASE_DEC", 0,
      "IP Encapsulating Security Payload Pad Length", FF_UINT, g_pad_len, false },
    { "esp.protocol", "ESP Next Header", "esp", "FT_UINT8", "BASE_HEX", 0,
      "IP Encapsulating Security Payload Next Header", FF_HEX8, g_protocol, false },
    { "esp.icv_good", "Good", "esp", "FT_BOOLEAN", "0", 0,
      "True: ICV matches packet content; False: doesn't match content or not checked", FF_BOOL,
      g_icv_good, false },
    { "esp.icv_bad", "Bad", "esp", "FT_BOOLEAN", "0", 0,
      "True: ICV doesn't match packet content; False: matches content or not checked", FF_BOOL,
      g_icv_bad, false },
};

const frame_field *esp_frame_fields(size_t *n)
{
    *n = G_N_ELEMENTS(esp_table);
    return esp_table;
}

const frame_field *esp_frame_field_by_name(const char *name)
{
    for (size_t i = 0; i < G_N_ELEMENTS(esp_table); i++)
        if (strcmp(esp_table[i].abbrev, name) == 0)
            return &esp_table[i];
    return NULL;
}
