/*
 * tcpdump -E SAs (tcpdump_esp.h).  The algorithm names are tcpdump's
 * (des-cbc, 3des-cbc, blowfish-cbc, rc3-cbc, cast128-cbc, none, and the
 * OpenSSL cipher names newer builds accept: aes128-cbc, aes192-cbc,
 * aes256-cbc), each mapped to Wireshark's esp_sa name; the secret is ASCII
 * text, or hex after "0x".
 */
#include <stdio.h>
#include <string.h>

#include "core/hex.h"
#include "core/secure.h"
#include "keys/entry.h"
#include "keys/keys.h"
#include "keys/tcpdump_esp.h"

static const struct {
    const char *tcpdump, *esp_sa;
} algs[] = {
    { "none", "NULL" },
    { "des-cbc", "DES-CBC [RFC2405]" },
    { "3des-cbc", "TripleDES-CBC [RFC2451]" },
    { "aes128-cbc", "AES-CBC [RFC3602]" },
    { "aes192-cbc", "AES-CBC [RFC3602]" },
    { "aes256-cbc", "AES-CBC [RFC3602]" },
    { "blowfish-cbc", "BLOWFISH-CBC [RFC2451]" },
    { "cast128-cbc", "CAST5-CBC [RFC2144]" },
    { "rc3-cbc", "RC3-CBC" },
};

#define HMAC96 "-hmac96"

/* The esp_sa name of "algo" or "algo-hmac96" (the first n bytes of s). */
static const char *alg_name(const char *s, size_t n, bool *hmac96)
{
    size_t h = strlen(HMAC96);
    *hmac96 = n > h && strncmp(s + n - h, HMAC96, h) == 0;
    if (*hmac96)
        n -= h;
    for (size_t i = 0; i < G_N_ELEMENTS(algs); i++)
        if (strlen(algs[i].tcpdump) == n && strncmp(algs[i].tcpdump, s, n) == 0)
            return algs[i].esp_sa;
    return NULL;
}

/* One SA, "[spi@addr ]algo:secret" with surrounding blanks, parsed into the
 * fields of an esp_sa line; false when it is not one. */
typedef struct {
    char spi[16], addr[64];
    bool have_addr;
    const char *encr;
    bool hmac96;
    const char *secret;   /* into the text */
    size_t secret_len;
} sa_spec;

static bool parse_sa(const char *s, size_t n, sa_spec *out)
{
    memset(out, 0, sizeof *out);
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    const char *sp = memchr(s, ' ', n);
    if (sp) {   /* "spi@addr" first */
        const char *at = memchr(s, '@', (size_t)(sp - s));
        size_t spil = at ? (size_t)(at - s) : 0, al = at ? (size_t)(sp - at - 1) : 0;
        if (!at || !spil || spil >= sizeof out->spi || !al || al >= sizeof out->addr)
            return false;
        unsigned long v;
        char tmp[16], *end;
        snprintf(tmp, sizeof tmp, "%.*s", (int)spil, s);
        v = strtoul(tmp, &end, 0);
        if (*end || v > 0xffffffffUL)
            return false;
        snprintf(out->spi, sizeof out->spi, "0x%08lx", v);
        snprintf(out->addr, sizeof out->addr, "%.*s", (int)al, at + 1);
        out->have_addr = true;
        n -= (size_t)(sp - s) + 1;
        s = sp + 1;
        while (n && *s == ' ')
            s++, n--;
    }
    const char *colon = memchr(s, ':', n);
    if (!colon || memchr(s, ' ', n))
        return false;
    out->encr = alg_name(s, (size_t)(colon - s), &out->hmac96);
    out->secret = colon + 1;
    out->secret_len = n - (size_t)(colon - s) - 1;
    return out->encr != NULL;
}

static bool data_line(const char *l)
{
    while (*l == ' ' || *l == '\t')
        l++;
    return *l && *l != '#' && *l != '\r';
}

/* Calls fn for each SA of the line (comma-separated); false when one is not an SA. */
static bool each_sa(const char *line, bool (*fn)(const sa_spec *, void *), void *user)
{
    const char *p = line;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        sa_spec s;
        if (!parse_sa(p, n, &s) || (fn && !fn(&s, user)))
            return false;
        if (!comma)
            return true;
        p = comma + 1;
    }
}

bool tcpdump_esp_detect(char **lines)
{
    bool any = false;
    for (size_t i = 0; lines[i]; i++) {
        if (!data_line(lines[i]))
            continue;
        if (!each_sa(lines[i], NULL, NULL))
            return false;
        any = true;
    }
    return any;
}

typedef struct {
    isakmp_ctx *ctx;
    const char *name;
    size_t line;
    isakmp_key_error_fn on_error;
    void *user;
    int loaded;
} load_ctx;

/* The secret as "0x" and hex: hex as given after "0x", else the text's bytes. */
static char *secret_hex(const sa_spec *s)
{
    if (s->secret_len > 2 && s->secret[0] == '0' && (s->secret[1] == 'x' || s->secret[1] == 'X')) {
        char *h = g_strndup(s->secret, s->secret_len);
        h[1] = 'x';
        return h;
    }
    char *h = g_malloc(2 * s->secret_len + 3);
    memcpy(h, "0x", 2);
    hex_encode((const uint8_t *)s->secret, s->secret_len, h + 2, 2 * s->secret_len + 1);
    return h;
}

static bool add_sa(const sa_spec *s, void *user)
{
    load_ctx *lc = user;
    char *key = secret_hex(s);
    const char *proto = !s->have_addr ? "Any" : strchr(s->addr, ':') ? "IPv6" : "IPv4";
    const char *f[8] = { proto, "*", s->have_addr ? s->addr : "*", s->have_addr ? s->spi : "*",
                         s->encr, strcmp(s->encr, "NULL") ? key : "",
                         s->hmac96 ? "ANY 96-bits of Authentication [No Checking]" : "NULL", "" };
    const char *why = keys_esp_add_fields(lc->ctx->keys, f);
    if (why)
        secrets_report(lc->on_error, lc->user, lc->name, lc->line, "%s", why);
    else
        lc->loaded++;
    secure_wipe(key, strlen(key));
    g_free(key);
    return true;
}

int tcpdump_esp_load(isakmp_ctx *ctx, const char *name, char **lines,
                     isakmp_key_error_fn on_error, void *user)
{
    load_ctx lc = { ctx, name, 0, on_error, user, 0 };
    for (size_t i = 0; lines[i]; i++) {
        lc.line = i + 1;
        if (data_line(lines[i]))
            each_sa(lines[i], add_sa, &lc);
    }
    return lc.loaded;
}
