/*
 * The esp.* capture fields of -T fields, -G fields and the display filter,
 * named, typed and formatted as Wireshark's ESP dissector's: esp.spi and
 * esp.sequence from the header of the frame's ESP packet, esp.pad_len and
 * esp.protocol (the next header) when it was decrypted (--esp,
 * --decrypt-esp, or keys with --stats / --report), esp.icv_good /
 * esp.icv_bad when its ICV was checked (as Wireshark sets them with its
 * authentication check on).  A table of its own beside frame_fields.c's
 * (which looks names up here after its own), read from ff_frame's ESP
 * members.
 */
#include <glib.h>
#include <string.h>

#include "frame_fields.h"

static bool decrypted(const ff_frame *fr)
{
    return fr->esp && fr->esp->dec && (fr->esp->dec->verdict == ISAKMP_ESP_OK ||
                                       fr->esp->dec->verdict == ISAKMP_ESP_BAD_TRAILER);
}

static size_t g_spi(const ff_frame *fr, ff_value *out)
{
    if (!fr->esp)
        return 0;
    out->type = FF_HEX32;
    out->u = fr->esp->spi;
    return 1;
}

static size_t g_seq(const ff_frame *fr, ff_value *out)
{
    if (!fr->esp)
        return 0;
    out->type = FF_UINT;
    out->u = fr->esp->seq;
    return 1;
}

static size_t g_pad_len(const ff_frame *fr, ff_value *out)
{
    if (!decrypted(fr))
        return 0;
    out->type = FF_UINT;
    out->u = fr->esp->dec->pad_len;
    return 1;
}

static size_t g_protocol(const ff_frame *fr, ff_value *out)
{
    if (!decrypted(fr))
        return 0;
    out->type = FF_HEX8;
    out->u = fr->esp->dec->next_header;
    return 1;
}

/* Whether the ICV (or AEAD tag) was computed: decrypted, or refused for it. */
static bool icv_checked(const ff_frame *fr)
{
    const isakmp_esp_result *r = fr->esp ? fr->esp->dec : NULL;
    return r && r->integrity &&
           (r->verdict == ISAKMP_ESP_OK || r->verdict == ISAKMP_ESP_ICV_FAILED ||
            r->verdict == ISAKMP_ESP_BAD_TRAILER);
}

static size_t icv_is(const ff_frame *fr, ff_value *out, bool failed)
{
    if (!icv_checked(fr))
        return 0;
    out->type = FF_BOOL;
    out->u = (fr->esp->dec->verdict == ISAKMP_ESP_ICV_FAILED) == failed;
    return 1;
}

static size_t g_icv_good(const ff_frame *fr, ff_value *out) { return icv_is(fr, out, false); }
static size_t g_icv_bad(const ff_frame *fr, ff_value *out) { return icv_is(fr, out, true); }

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
