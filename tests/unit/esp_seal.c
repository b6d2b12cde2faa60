/* ESP packets sealed with libgcrypt directly (esp_seal.h). */
#include "esp_seal.h"

#include <gcrypt.h>
#include <string.h>

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

GByteArray *esp_seal(const sealer *s, uint32_t spi, uint64_t seq64, bool esn,
                        const GByteArray *inner, uint8_t nh)
{
    size_t align = s->kind == S_CBC ? s->blk : 4;
    size_t pad = (align - (inner->len + 2) % align) % align;
    size_t ctlen = inner->len + pad + 2;
    GByteArray *p = g_byte_array_sized_new((guint)(8 + s->iv + ctlen + 32));
    g_byte_array_set_size(p, (guint)(8 + s->iv + ctlen));
    uint8_t *b = p->data;
    put32(b, spi);
    put32(b + 4, (uint32_t)seq64);
    for (size_t i = 0; i < s->iv; i++)
        b[8 + i] = (uint8_t)(0x5a ^ i ^ seq64);
    uint8_t *ct = b + 8 + s->iv;
    memcpy(ct, inner->data, inner->len);
    for (size_t i = 0; i < pad; i++)
        ct[inner->len + i] = (uint8_t)(i + 1);
    ct[ctlen - 2] = (uint8_t)pad;
    ct[ctlen - 1] = nh;
    gcry_cipher_hd_t h = NULL;
    if (s->kind == S_CBC) {
        g_assert_cmpint(gcry_cipher_open(&h, s->algo, GCRY_CIPHER_MODE_CBC, 0), ==, 0);
        gcry_cipher_setkey(h, s->ekey, s->klen);
        gcry_cipher_setiv(h, b + 8, s->iv);
    } else if (s->kind == S_CTR) {
        uint8_t ctr[16] = { 0 };
        memcpy(ctr, s->ekey + s->klen, 4);
        memcpy(ctr + 4, b + 8, 8);
        ctr[15] = 1;
        g_assert_cmpint(gcry_cipher_open(&h, s->algo, GCRY_CIPHER_MODE_CTR, 0), ==, 0);
        gcry_cipher_setkey(h, s->ekey, s->klen);
        gcry_cipher_setctr(h, ctr, 16);
    } else if (s->kind != S_NULL) {
        int mode = s->kind == S_GCM || s->kind == S_GMAC ? GCRY_CIPHER_MODE_GCM
                   : s->kind == S_CCM ? GCRY_CIPHER_MODE_CCM
                                      : GCRY_CIPHER_MODE_POLY1305;
        uint8_t nonce[16], aad[12];
        memcpy(nonce, s->ekey + s->klen, s->salt);
        memcpy(nonce + s->salt, b + 8, 8);
        size_t alen = 8;
        memcpy(aad, b, 4);
        if (esn) {
            put32(aad + 4, (uint32_t)(seq64 >> 32));
            memcpy(aad + 8, b + 4, 4);
            alen = 12;
        } else {
            memcpy(aad + 4, b + 4, 4);
        }
        g_assert_cmpint(gcry_cipher_open(&h, s->algo, mode, 0), ==, 0);
        gcry_cipher_setkey(h, s->ekey, s->klen);
        gcry_cipher_setiv(h, nonce, s->salt + 8);
        if (s->kind == S_CCM) {
            uint64_t params[3] = { ctlen, alen, s->tag };
            gcry_cipher_ctl(h, GCRYCTL_SET_CCM_LENGTHS, params, sizeof params);
        }
        gcry_cipher_authenticate(h, aad, alen);
        if (s->kind == S_GMAC)   /* RFC 4543 3.3: IV and payload are AAD too */
            gcry_cipher_authenticate(h, b + 8, s->iv + ctlen);
    }
    if (h && s->kind != S_GMAC)
        g_assert_cmpint(gcry_cipher_encrypt(h, ct, ctlen, NULL, 0), ==, 0);
    if (s->tag) {
        uint8_t tag[16];
        gcry_cipher_gettag(h, tag, s->tag);
        g_byte_array_append(p, tag, (guint)s->tag);
    } else if (s->mac) {
        gcry_mac_hd_t m;
        g_assert_cmpint(gcry_mac_open(&m, s->mac, 0, NULL), ==, 0);
        gcry_mac_setkey(m, s->akey, s->alen);
        gcry_mac_write(m, p->data, p->len);
        if (esn) {
            uint8_t hi[4];
            put32(hi, (uint32_t)(seq64 >> 32));
            gcry_mac_write(m, hi, 4);
        }
        uint8_t full[64];
        size_t fl = sizeof full;
        gcry_mac_read(m, full, &fl);
        gcry_mac_close(m);
        g_byte_array_append(p, full, (guint)s->icv);
    }
    if (h)
        gcry_cipher_close(h);
    return p;
}

