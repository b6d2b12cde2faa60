/*
 * The esp.* fields a display filter can read on an ESP line, named as
 * Wireshark's ESP dissector names them: esp.spi and esp.sequence from the
 * header, and, when the packet was decrypted (--esp, --decrypt-esp, or keys
 * with --stats / --report), esp.pad_len, esp.protocol (the next header) and
 * esp.icv_good / esp.icv_bad (as Wireshark sets them with its
 * authentication check on).  Kept apart from frame_fields.c, whose lookup
 * and values hand the names and keys from ESP_KEY_BASE on to these.
 */
#include <string.h>

#include "filter_int.h"

typedef enum { E_SPI, E_SEQ, E_PAD_LEN, E_PROTOCOL, E_ICV_GOOD, E_ICV_BAD } esp_key;

static const struct {
    const char *name;
    fv_type type;
    unsigned bits;
    esp_key key;
} table[] = {
    { "esp.spi", FV_UINT, 32, E_SPI },
    { "esp.sequence", FV_UINT, 32, E_SEQ },
    { "esp.pad_len", FV_UINT, 8, E_PAD_LEN },
    { "esp.protocol", FV_UINT, 8, E_PROTOCOL },
    { "esp.icv_good", FV_BOOL, 1, E_ICV_GOOD },
    { "esp.icv_bad", FV_BOOL, 1, E_ICV_BAD },
};

bool esp_field_lookup(const char *name, fv_type *type, unsigned *bits, int *key)
{
    for (size_t i = 0; i < G_N_ELEMENTS(table); i++)
        if (strcmp(table[i].name, name) == 0) {
            *type = table[i].type;
            *bits = table[i].bits;
            *key = ESP_KEY_BASE + (int)table[i].key;
            return true;
        }
    return false;
}

size_t esp_field_values(int key, const filter_frame *fr, fval *out)
{
    const filter_esp *e = fr->esp;
    if (!e)
        return 0;
    const isakmp_esp_result *r = e->dec;
    bool plain = r && (r->verdict == ISAKMP_ESP_OK || r->verdict == ISAKMP_ESP_BAD_TRAILER);
    bool checked = r && r->integrity &&
                   (r->verdict == ISAKMP_ESP_OK || r->verdict == ISAKMP_ESP_ICV_FAILED ||
                    r->verdict == ISAKMP_ESP_BAD_TRAILER);
    switch ((esp_key)(key - ESP_KEY_BASE)) {
    case E_SPI: out[0] = (fval){ .u = e->spi }; return 1;
    case E_SEQ: out[0] = (fval){ .u = e->seq }; return 1;
    case E_PAD_LEN: out[0] = (fval){ .u = plain ? r->pad_len : 0 }; return plain;
    case E_PROTOCOL: out[0] = (fval){ .u = plain ? r->next_header : 0 }; return plain;
    case E_ICV_GOOD:
        out[0] = (fval){ .u = checked && r->verdict != ISAKMP_ESP_ICV_FAILED };
        return checked;
    case E_ICV_BAD:
        out[0] = (fval){ .u = checked && r->verdict == ISAKMP_ESP_ICV_FAILED };
        return checked;
    }
    return 0;
}
