/*
 * ESP SAs from `ip xfrm state` (iproute2; the format from its ip/ipxfrm.c
 * printers; this machine's kernel has no ESP, so no state could be made here
 * to print).  A state is printed as
 *
 *   src 192.0.2.1 dst 192.0.2.2
 *           proto esp spi 0xc0ffee01 reqid 1 mode tunnel
 *           replay-window 0 flag af-unspec
 *           auth-trunc hmac(sha256) 0x0001...1f 128
 *           enc cbc(aes) 0x0011...ff
 *           encap type espinudp sport 4500 dport 4500 addr 0.0.0.0
 *           sel src 0.0.0.0/0 dst 0.0.0.0/0
 *
 * (`aead rfc4106(gcm(aes)) 0x... 128` for AEAD ciphers, `auth ALG KEY`
 * without the ICV size); `ip -s` adds lifetime and statistics lines, the
 * SPI in decimal ("spi 0xc0ffee01(3237998081)") and key sizes ("0x...
 * (256 bits) 128"), `ip -o`
 * puts a state on one line with '\' where the newlines were, and `ip xfrm
 * monitor` prints the same blocks after "Deleted", "Updated" or "Expired"
 * and policies ("src 10.0.0.0/24 dst ...", with prefixes), which hold no
 * keys.  Encapsulation and mode do not change the keys and are not kept:
 * esp_sa has no column for them.
 */
#include <stdio.h>
#include <string.h>

#include "core/secure.h"
#include "keys/export.h"
#include "keys/keys.h"
#include "keys/secrets.h"
#include "keys/xfrm.h"

/* Kernel algorithm names (crypto API) -> Wireshark's esp_sa names (the same
 * in 4.0 and 4.4).  icv_bits 0: any. */
static const struct {
    const char *alg;
    unsigned icv_bits;
    const char *name;
} encr_names[] = {
    { "ecb(cipher_null)", 0, "NULL" },
    { "cipher_null", 0, "NULL" },
    { "cbc(aes)", 0, "AES-CBC [RFC3602]" },
    { "rfc3686(ctr(aes))", 0, "AES-CTR [RFC3686]" },
    { "cbc(des3_ede)", 0, "TripleDES-CBC [RFC2451]" },
    { "cbc(des)", 0, "DES-CBC [RFC2405]" },
    { "cbc(blowfish)", 0, "BLOWFISH-CBC [RFC2451]" },
    { "cbc(twofish)", 0, "TWOFISH-CBC" },
    { "cbc(cast5)", 0, "CAST5-CBC [RFC2144]" },
    { "rfc4106(gcm(aes))", 64, "AES-GCM with 8 octet ICV [RFC4106]" },
    { "rfc4106(gcm(aes))", 96, "AES-GCM with 12 octet ICV [RFC4106]" },
    { "rfc4106(gcm(aes))", 128, "AES-GCM with 16 octet ICV [RFC4106]" },
    /* beyond Wireshark's esp_sa: IANA names, which ESP decryption reads
     * (not written to the esp_sa table) */
    { "rfc7539esp(chacha20,poly1305)", 128, "ENCR_CHACHA20_POLY1305" },
    { "rfc4309(ccm(aes))", 64, "ENCR_AES_CCM_8" },
    { "rfc4309(ccm(aes))", 96, "ENCR_AES_CCM_12" },
    { "rfc4309(ccm(aes))", 128, "ENCR_AES_CCM_16" },
    { "cbc(camellia)", 0, "ENCR_CAMELLIA_CBC" },
    { "rfc4543(gcm(aes))", 128, "ENCR_NULL_AUTH_AES_GMAC" },
};

/* ... and integrity; the ICV size the kernel uses when `auth` gives none
 * is the row's default. */
static const struct {
    const char *alg;
    unsigned icv_bits;
    bool dflt;
    const char *name;
} integ_names[] = {
    { "digest_null", 0, true, "NULL" },
    { "hmac(md5)", 96, true, "HMAC-MD5-96 [RFC2403]" },
    { "hmac(sha1)", 96, true, "HMAC-SHA-1-96 [RFC2404]" },
    { "hmac(sha256)", 96, true, "HMAC-SHA-256-96 [draft-ietf-ipsec-ciph-sha-256-00]" },
    { "hmac(sha256)", 128, false, "HMAC-SHA-256-128 [RFC4868]" },
    { "hmac(sha384)", 192, true, "HMAC-SHA-384-192 [RFC4868]" },
    { "hmac(sha512)", 256, true, "HMAC-SHA-512-256 [RFC4868]" },
    { "hmac(rmd160)", 96, true, "MAC-RIPEMD-160-96 [RFC2857]" },
    { "xcbc(aes)", 96, true, "AUTH_AES_XCBC_96" },   /* beyond esp_sa, as above */
    { "cmac(aes)", 96, true, "AUTH_AES_CMAC_96" },
};

const char *xfrm_encr_name(const char *alg, unsigned icv_bits)
{
    for (size_t i = 0; i < G_N_ELEMENTS(encr_names); i++)
        if (!strcmp(encr_names[i].alg, alg) &&
            (encr_names[i].icv_bits == 0 || encr_names[i].icv_bits == icv_bits))
            return encr_names[i].name;
    return NULL;
}

const char *xfrm_integ_name(const char *alg, unsigned icv_bits)
{
    for (size_t i = 0; i < G_N_ELEMENTS(integ_names); i++)
        if (!strcmp(integ_names[i].alg, alg) &&
            (icv_bits ? integ_names[i].icv_bits == icv_bits || integ_names[i].icv_bits == 0
                      : integ_names[i].dflt))
            return integ_names[i].name;
    return NULL;
}

/* One state being read. */
typedef struct {
    bool open;
    size_t line;
    char src[46], dst[46], proto[8];   /* as long as export_esp's */
    bool have_spi;
    uint32_t spi;
    char enc[48], auth[48], aead[48];
    char *enc_key, *auth_key, *aead_key;   /* "0x..." as printed, or NULL */
    unsigned auth_bits, aead_bits;
} state_t;

typedef struct {
    isakmp_ctx *ctx;
    const char *name;
    isakmp_key_error_fn on_error;
    void *user;
    int loaded;
    state_t st;
} xfrm_ctx;

static void key_free(char **k)
{
    if (*k) {
        secure_wipe(*k, strlen(*k));
        g_free(*k);
        *k = NULL;
    }
}

/* "0x..." into bytes (at most EXPORT_MAX_KEY); an absent key is none. */
static bool key_bytes(const char *hex, uint8_t *out, size_t *len)
{
    *len = 0;
    if (!hex || !*hex)
        return true;
    size_t n = 0;
    uint8_t *b = secrets_hex(hex, &n);
    if (!b || n > EXPORT_MAX_KEY) {
        secrets_free(b, n);
        return false;
    }
    memcpy(out, b, n);
    *len = n;
    secrets_free(b, n);
    return true;
}

/* The state into the key store and the export store. */
static void state_add(xfrm_ctx *xc, const state_t *s, const char *encr, const char *integ,
                      const char *ekey, const char *akey)
{
    export_esp x = { .af = strchr(s->src, ':') ? 6 : 4, .spi = s->spi, .encr_name = encr,
                     .integ_name = integ };
    if (!key_bytes(ekey, x.ekey, &x.elen) || !key_bytes(akey, x.akey, &x.alen)) {
        secrets_report(xc->on_error, xc->user, xc->name, s->line, "SPI 0x%08x: keys must be hex of at most %d bytes", s->spi,
             EXPORT_MAX_KEY);
        secure_wipe(&x, sizeof x);
        return;
    }
    snprintf(x.src, sizeof x.src, "%s", s->src);
    snprintf(x.dst, sizeof x.dst, "%s", s->dst);
    isakmp_esp_sa sa = { .af = x.af, .src = s->src, .dst = s->dst, .spi = s->spi,
                         .encr_alg = encr, .encr_key = ekey ? ekey : "", .integ_alg = integ,
                         .integ_key = akey ? akey : "" };
    if (keys_esp_add(xc->ctx->keys, &sa)) {
        export_add_esp(xc->ctx->keying->exports(xc->ctx), &x);
        xc->loaded++;
    } else {
        secrets_report(xc->on_error, xc->user, xc->name, s->line, "SPI 0x%08x: keys must be hex", s->spi);
    }
    secure_wipe(&x, sizeof x);
}

/* The end of a state: loaded when it is an ESP / AH SA with keys. */
static void state_done(xfrm_ctx *xc)
{
    state_t *s = &xc->st;
    bool esp = !strcmp(s->proto, "esp"), ah = !strcmp(s->proto, "ah");
    if (s->open && s->have_spi && (esp || ah) && (s->enc[0] || s->aead[0] || s->auth[0])) {
        const char *encr = ah ? "NULL"
                           : s->aead[0] ? xfrm_encr_name(s->aead, s->aead_bits)
                           : s->enc[0] ? xfrm_encr_name(s->enc, 0) : "NULL";
        const char *integ = s->aead[0] || !s->auth[0] ? "NULL"
                                                      : xfrm_integ_name(s->auth, s->auth_bits);
        const char *what = !encr ? (s->aead[0] ? s->aead : s->enc) : s->auth;
        if (!encr || !integ)
            secrets_report(xc->on_error, xc->user, xc->name, s->line,
                 ISAKMP_KEY_NOTE "SPI 0x%08x: Wireshark's esp_sa has no name for %s: not loaded",
                 s->spi, what);
        else
            state_add(xc, s, encr, integ, s->aead[0] ? s->aead_key : s->enc_key,
                      s->aead[0] ? NULL : s->auth_key);
    }
    key_free(&s->enc_key);
    key_free(&s->auth_key);
    key_free(&s->aead_key);
    memset(s, 0, sizeof *s);
}

/* "src A dst B" (addresses, not prefixes) after an optional monitor tag. */
static bool state_head(xfrm_ctx *xc, char **w, guint n, size_t line)
{
    guint i = 0;
    while (i < n && (!strcmp(w[i], "Deleted") || !strcmp(w[i], "Updated") ||
                     !strcmp(w[i], "Expired") || w[i][0] == '['))
        i++;
    if (n - i != 4 || strcmp(w[i], "src") || strcmp(w[i + 2], "dst") || strchr(w[i + 1], '/') ||
        strchr(w[i + 3], '/') || strlen(w[i + 1]) >= sizeof xc->st.src ||
        strlen(w[i + 3]) >= sizeof xc->st.dst)
        return false;
    state_done(xc);
    xc->st.open = true;
    xc->st.line = line;
    snprintf(xc->st.src, sizeof xc->st.src, "%s", w[i + 1]);
    snprintf(xc->st.dst, sizeof xc->st.dst, "%s", w[i + 3]);
    return true;
}

/* "proto esp spi 0x... ...", "enc ALG KEY", "auth ALG KEY", "auth-trunc ALG
 * KEY BITS", "aead ALG KEY BITS"; other lines of the state are not needed. */
static void state_line(state_t *s, char **w, guint n)
{
    if (!strcmp(w[0], "proto") && n >= 4 && !strcmp(w[2], "spi")) {
        unsigned long spi;
        snprintf(s->proto, sizeof s->proto, "%s", w[1]);
        s->have_spi = sscanf(w[3], "0x%lx", &spi) == 1 && spi <= 0xffffffffUL;
        s->spi = (uint32_t)spi;
    } else if (!strcmp(w[0], "enc") && n >= 2) {
        snprintf(s->enc, sizeof s->enc, "%s", w[1]);
        key_free(&s->enc_key);
        s->enc_key = n >= 3 ? g_strdup(w[2]) : NULL;
    } else if ((!strcmp(w[0], "auth") || !strcmp(w[0], "auth-trunc")) && n >= 2) {
        snprintf(s->auth, sizeof s->auth, "%s", w[1]);
        key_free(&s->auth_key);
        s->auth_key = n >= 3 ? g_strdup(w[2]) : NULL;
        s->auth_bits = n >= 4 ? (unsigned)atoi(w[3]) : 0;
    } else if (!strcmp(w[0], "aead") && n >= 3) {
        snprintf(s->aead, sizeof s->aead, "%s", w[1]);
        key_free(&s->aead_key);
        s->aead_key = g_strdup(w[2]);
        s->aead_bits = n >= 4 ? (unsigned)atoi(w[3]) : 0;
    }
}

/* Whitespace-separated words, empty ones squeezed out; *n of them.  The
 * key sizes `ip -s` adds ("0x... (256 bits) 128") are dropped too. */
static char **words(const char *s, guint *n)
{
    char **w = g_strsplit_set(s, " \t", 0);
    guint k = 0;
    for (guint i = 0; w[i]; i++)
        if (*w[i] && (w[i][0] != '(' || !w[i + 1] || strcmp(w[i + 1], "bits)")) &&
            strcmp(w[i], "bits)"))
            w[k++] = w[i];
        else
            g_free(w[i]);
    w[k] = NULL;
    *n = k;
    return w;
}

/* One printed line (of `ip -o`: one of its '\'-separated parts). */
static void xfrm_line(xfrm_ctx *xc, const char *part, size_t no)
{
    guint n;
    char **w = words(part, &n);
    bool indented = part[0] == ' ' || part[0] == '\t';
    if (n && !state_head(xc, w, n, no)) {
        if (!indented)
            state_done(xc);   /* a policy, a timestamp, another event */
        else if (xc->st.open)
            state_line(&xc->st, w, n);
    }
    secrets_words_free(w);
}

bool xfrm_detect(char **lines)
{
    for (size_t i = 0; lines[i] && i < 200; i++) {
        const char *p = strstr(lines[i], "proto esp spi 0x");
        if (!p)
            p = strstr(lines[i], "proto ah spi 0x");
        if (p && (p > lines[i] && (p[-1] == ' ' || p[-1] == '\t')))
            return strstr(lines[i], "src ") || (i > 0 && strstr(lines[i - 1], "src "));
    }
    return false;
}

int xfrm_load(isakmp_ctx *ctx, const char *name, char **lines, isakmp_key_error_fn on_error,
              void *user)
{
    xfrm_ctx xc = { .ctx = ctx, .name = name, .on_error = on_error, .user = user };
    for (size_t i = 0; lines[i]; i++) {
        char **parts = g_strsplit(lines[i], "\\", 0);   /* ip -o: one state per line */
        for (size_t j = 0; parts[j]; j++)
            xfrm_line(&xc, parts[j], i + 1);
        secrets_words_free(parts);
    }
    state_done(&xc);
    if (xc.loaded == 0)
        secrets_report(xc.on_error, xc.user, xc.name, 0, ISAKMP_KEY_NOTE "ip xfrm output without ESP / AH SA keys: nothing loaded");
    return xc.loaded;
}
