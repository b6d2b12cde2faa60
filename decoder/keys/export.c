/*
 * Keys out as Wireshark 4.0 UAT files.  Formats as tshark 4.0 reads them:
 *   ikev1_decryption_table  icookie,key                       (hex, no quotes)
 *   ikev2_decryption_table  spii,spir,sk_ei,sk_er,"encr",sk_ai,sk_ar,"integ"
 *   esp_sa                  "IPv4","src","dst","0xSPI","encr","0xkey","auth","0xkey"
 * (see ../shared/peer-suite/wireshark/ for files tshark's own tests use).
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "keys/export.h"
#include "core/hex.h"
#include "keys/keys.h"

struct export_store {
    GArray *v1, *v2, *esp;
};

static void wipe_array(GArray *a)
{
    if (!a)
        return;
    if (a->len)
        secure_wipe(a->data, a->len * g_array_get_element_size(a));
    g_array_free(a, TRUE);
}

struct export_store *export_store_new(void)
{
    struct export_store *s = g_new0(struct export_store, 1);
    s->v1 = g_array_new(FALSE, TRUE, sizeof(export_v1));
    s->v2 = g_array_new(FALSE, TRUE, sizeof(export_v2));
    s->esp = g_array_new(FALSE, TRUE, sizeof(export_esp));
    return s;
}

void export_store_free(struct export_store *s)
{
    if (!s)
        return;
    wipe_array(s->v1);
    wipe_array(s->v2);
    wipe_array(s->esp);
    g_free(s);
}

void export_add_v1(struct export_store *s, const export_v1 *e)
{
    for (guint i = 0; i < s->v1->len; i++)
        if (!memcmp(g_array_index(s->v1, export_v1, i).icookie, e->icookie, 8)) {
            g_array_index(s->v1, export_v1, i) = *e;
            return;
        }
    g_array_append_val(s->v1, *e);
}

void export_add_v2(struct export_store *s, const export_v2 *e)
{
    for (guint i = 0; i < s->v2->len; i++) {
        export_v2 *o = &g_array_index(s->v2, export_v2, i);
        if (!memcmp(o->spii, e->spii, 8) && !memcmp(o->spir, e->spir, 8)) {
            *o = *e;
            return;
        }
    }
    g_array_append_val(s->v2, *e);
}

/* "0x" and the hex of n bytes; "" when n is 0 (out holds 2n + 3). */
static void hex_text(char *out, const uint8_t *p, size_t n)
{
    out[0] = 0;
    if (!n)
        return;
    memcpy(out, "0x", 2);
    hex_encode(p, n, out + 2, 2 * n + 1);
}

void export_add_esp(struct export_store *s, const export_esp *e)
{
    export_esp c = *e;
    hex_text(c.ehex, c.ekey, c.elen);
    hex_text(c.ahex, c.akey, c.alen);
    for (guint i = 0; i < s->esp->len; i++) {
        export_esp *o = &g_array_index(s->esp, export_esp, i);
        if (o->spi == e->spi && !strcmp(o->dst, e->dst)) {
            *o = c;
            secure_wipe(&c, sizeof c);
            return;
        }
    }
    g_array_append_val(s->esp, c);
    secure_wipe(&c, sizeof c);
}

size_t export_esp_count(const struct export_store *s) { return s ? s->esp->len : 0; }

const export_esp *export_esp_get(const struct export_store *s, size_t i)
{
    return s && i < s->esp->len ? &g_array_index(s->esp, export_esp, i) : NULL;
}

void export_format_v1(GString *out, const export_v1 *e)
{
    hex_append(out, e->icookie, 8);
    g_string_append_c(out, ',');
    hex_append(out, e->key, e->len);
    g_string_append_c(out, '\n');
}

void export_format_v2(GString *out, const export_v2 *e)
{
    hex_append(out, e->spii, 8);
    g_string_append_c(out, ',');
    hex_append(out, e->spir, 8);
    g_string_append_c(out, ',');
    hex_append(out, e->ei, e->enc_len);
    g_string_append_c(out, ',');
    hex_append(out, e->er, e->enc_len);
    g_string_append_printf(out, ",\"%s\",", e->encr_name);
    hex_append(out, e->ai, e->integ_len);
    g_string_append_c(out, ',');
    hex_append(out, e->ar, e->integ_len);
    g_string_append_printf(out, ",\"%s\"\n", e->integ_name);
}

void export_format_esp(GString *out, const export_esp *e)
{
    g_string_append_printf(out, "\"IPv%d\",\"%s\",\"%s\",\"0x%08x\",\"%s\",\"", e->af == 6 ? 6 : 4,
                           e->src, e->dst, e->spi, e->encr_name);
    if (e->elen) {
        g_string_append(out, "0x");
        hex_append(out, e->ekey, e->elen);
    }
    g_string_append_printf(out, "\",\"%s\",\"", e->integ_name);
    if (e->alen) {
        g_string_append(out, "0x");
        hex_append(out, e->akey, e->alen);
    }
    g_string_append(out, "\"\n");
}

/* The text of one of the three files. */
static GString *file_text(const struct export_store *s, int which)
{
    GString *t = g_string_new(NULL);
    GArray *a = which == 0 ? s->v1 : which == 1 ? s->v2 : s->esp;
    for (guint i = 0; i < a->len; i++) {
        if (which == 0)
            export_format_v1(t, &g_array_index(a, export_v1, i));
        else if (which == 1)
            export_format_v2(t, &g_array_index(a, export_v2, i));
        else
            export_format_esp(t, &g_array_index(a, export_esp, i));
    }
    return t;
}

static const char *const table_names[3] = { "ikev1_decryption_table", "ikev2_decryption_table",
                                            "esp_sa" };

void export_text_free(GString *t)
{
    secure_wipe(t->str, t->len);
    g_string_free(t, TRUE);
}

GString *export_text(const struct export_store *s)
{
    GString *t[3];
    size_t n = 0;
    for (int i = 0; i < 3; i++) {
        t[i] = file_text(s, i);
        n += strlen(table_names[i]) + 3 + t[i]->len;
    }
    GString *all = g_string_sized_new(n);   /* no growing: no stray copies of keys */
    for (int i = 0; i < 3; i++) {
        g_string_append_printf(all, "# %s\n", table_names[i]);
        g_string_append_len(all, t[i]->str, (gssize)t[i]->len);
        export_text_free(t[i]);
    }
    return all;
}

size_t export_text_out(GString *t, char *buf, size_t size)
{
    size_t n = t->len;
    if (size) {
        size_t c = n < size ? n : size - 1;
        memcpy(buf, t->str, c);
        buf[c] = 0;
    }
    export_text_free(t);
    return n;
}

int export_write(const struct export_store *s, const char *dir, char *err, size_t errlen)
{
    if (g_mkdir_with_parents(dir, 0700) != 0) {
        snprintf(err, errlen, "%s: %s", dir, g_strerror(errno));
        return -1;
    }
    for (int i = 0; i < 3; i++) {
        GString *t = file_text(s, i);
        gchar *path = g_build_filename(dir, table_names[i], NULL);
        GError *e = NULL;
        bool ok = g_file_set_contents(path, t->str, (gssize)t->len, &e);
        if (!ok) {
            snprintf(err, errlen, "%s", e->message);
            g_error_free(e);
        }
        g_free(path);
        export_text_free(t);
        if (!ok)
            return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- names */

/* Wireshark 4.0 ESP UAT encryption names by transform id (RFC 4106, 3602,
 * 3686, 2451, 2405, 2410). */
static const struct {
    uint16_t id;
    const char *name;
} esp_encr[] = {
    { 2, "DES-CBC [RFC2405]" },
    { 3, "TripleDES-CBC [RFC2451]" },
    { 6, "CAST5-CBC [RFC2144]" },
    { 7, "BLOWFISH-CBC [RFC2451]" },
    { 11, "NULL" },
    { 12, "AES-CBC [RFC3602]" },
    { 13, "AES-CTR [RFC3686]" },
    { 18, "AES-GCM with 8 octet ICV [RFC4106]" },
    { 19, "AES-GCM with 12 octet ICV [RFC4106]" },
    { 20, "AES-GCM with 16 octet ICV [RFC4106]" },
};

/* ... and integrity names by Transform Type 3 id (RFC 2403, 2404, 4868). */
static const struct {
    uint16_t id;
    const char *name;
} esp_integ[] = {
    { 0, "NULL" },
    { 1, "HMAC-MD5-96 [RFC2403]" },
    { 2, "HMAC-SHA-1-96 [RFC2404]" },
    { 12, "HMAC-SHA-256-128 [RFC4868]" },
    { 13, "HMAC-SHA-384-192 [RFC4868]" },
    { 14, "HMAC-SHA-512-256 [RFC4868]" },
};

const char *export_esp_encr_name(uint16_t encr_id, size_t key_bits)
{
    (void)key_bits;   /* Wireshark's ESP names do not carry the key size */
    for (size_t i = 0; i < G_N_ELEMENTS(esp_encr); i++)
        if (esp_encr[i].id == encr_id)
            return esp_encr[i].name;
    return NULL;
}

const char *export_esp_integ_name(uint16_t integ_id)
{
    for (size_t i = 0; i < G_N_ELEMENTS(esp_integ); i++)
        if (esp_integ[i].id == integ_id)
            return esp_integ[i].name;
    return NULL;
}

uint16_t export_v1_auth_to_integ(uint16_t auth_alg)
{
    /* RFC 2407 4.5 Authentication Algorithm -> IKEv2 Transform Type 3 id */
    switch (auth_alg) {
    case 1: return 1;    /* HMAC-MD5 -> AUTH_HMAC_MD5_96 */
    case 2: return 2;    /* HMAC-SHA -> AUTH_HMAC_SHA1_96 */
    case 5: return 12;   /* HMAC-SHA2-256 -> AUTH_HMAC_SHA2_256_128 */
    case 6: return 13;
    case 7: return 14;
    default: return 0xffff;
    }
}

/* ---------------------------------------------------------------- ESP SAs out */

/* The key store's ESP SAs and the derived ones merged: here, over both
 * stores, so that the key store does not need the export store. */
static void esp_public(const key_esp *e, isakmp_esp_sa *out)
{
    *out = (isakmp_esp_sa){ .af = e->af, .src = e->src, .dst = e->dst, .spi = e->spi_value,
                            .encr_alg = e->enc_alg, .encr_key = (const char *)e->enc_hex.p,
                            .integ_alg = e->auth_alg, .integ_key = (const char *)e->auth_hex.p };
}

/* True when the key store has an SA for this destination and SPI. */
static bool esp_known(const struct isakmp_keys *k, const char *dst, uint32_t spi)
{
    for (size_t i = 0; i < keys_esp_count(k); i++) {
        const key_esp *e = keys_esp_get(k, i);
        if (e->spi_value == spi && !strcmp(e->dst, dst))
            return true;
    }
    return false;
}

/* The i-th derived SA of the export store that the key store lacks. */
static const export_esp *esp_derived(isakmp_ctx *ctx, size_t i, size_t *count)
{
    const struct export_store *x = ctx->kdf ? ctx->keying->exports(ctx) : NULL;
    size_t seen = 0;
    for (size_t j = 0; j < export_esp_count(x); j++) {
        const export_esp *e = export_esp_get(x, j);
        if (esp_known(ctx->keys, e->dst, e->spi))
            continue;
        if (seen++ == i && !count)
            return e;
    }
    if (count)
        *count = seen;
    return NULL;
}

size_t keys_esp_sa_count(isakmp_ctx *ctx)
{
    size_t derived = 0;
    esp_derived(ctx, 0, &derived);
    return keys_esp_count(ctx->keys) + derived;
}

bool keys_esp_sa_get(isakmp_ctx *ctx, size_t i, isakmp_esp_sa *out)
{
    size_t loaded = keys_esp_count(ctx->keys);
    if (i < loaded) {
        esp_public(keys_esp_get(ctx->keys, i), out);
        return true;
    }
    const export_esp *e = esp_derived(ctx, i - loaded, NULL);
    if (!e)
        return false;
    *out = (isakmp_esp_sa){ .af = e->af, .src = e->src, .dst = e->dst, .spi = e->spi,
                            .encr_alg = e->encr_name, .encr_key = e->ehex,
                            .integ_alg = e->integ_name, .integ_key = e->ahex };
    return true;
}

/* ---------------------------------------------------------------- public API */

/* Loaded esp_sa lines and derived SAs, without duplicates. */
size_t isakmp_ctx_esp_sa_count(isakmp_ctx *ctx)
{
    return keys_esp_sa_count(ctx);
}

bool isakmp_ctx_esp_sa_get(isakmp_ctx *ctx, size_t i, isakmp_esp_sa *out)
{
    return keys_esp_sa_get(ctx, i, out);
}

int isakmp_ctx_export_keys(isakmp_ctx *ctx, const char *dir, char *err, size_t errlen)
{
    char buf[256];
    int r = export_write(ctx->keying->exports(ctx), dir, err ? err : buf, err ? errlen : sizeof buf);
    return r;
}

size_t isakmp_ctx_export_keys_mem(isakmp_ctx *ctx, char *buf, size_t size)
{
    return export_text_out(export_text(ctx->keying->exports(ctx)), buf, size);
}
