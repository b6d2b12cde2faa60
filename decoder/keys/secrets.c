/*
 * Secrets from text: the libisakmp secrets file (docs/secrets.md), strongSwan
 * charon logs (charon_log.c) and libreswan plutodebug=private / tcpdump -E lines.
 * Each parser turns lines into secret_entry values for a sink (secrets.h).
 */
#include <ctype.h>
#include <gcrypt.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "core/hex.h"
#include "keys/charon_log.h"
#include "core/secure.h"
#include "crypto/dh.h"
#include "crypto/kdf.h"
#include "crypto/kem.h"
#include "keys/secrets.h"

/* ---------------------------------------------------------------- helpers */

void secrets_free(uint8_t *p, size_t len)
{
    if (!p)
        return;
    volatile uint8_t *v = p;
    while (len--)
        *v++ = 0;
    g_free(p);
}

uint8_t *secrets_hex(const char *hex, size_t *len)
{
    if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
        hex += 2;
    size_t n = 0, cap = strlen(hex) / 2 + 1;
    uint8_t *out = g_malloc(cap);
    int hi = -1;
    for (const char *p = hex; *p; p++) {
        if (*p == ' ' || *p == ':' || *p == '\t')
            continue;
        int v = hex_digit(*p);
        if (v < 0 || n >= cap) {
            secrets_free(out, cap);
            return NULL;
        }
        if (hi < 0) {
            hi = v;
        } else {
            out[n++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    if (hi >= 0 || n == 0) {   /* odd number of digits, or nothing */
        secrets_free(out, cap);
        return NULL;
    }
    *len = n;
    return out;
}

/* Exactly `digits` hex digits (after an optional 0x) into out (digits / 2 bytes). */
static bool fixed_hex(const char *s, size_t digits, uint8_t *out)
{
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    return strlen(s) == digits && hex_decode(s, digits / 2, out);
}

/* ---------------------------------------------------------------- secrets file */

/* One line of the secrets file split into fields: whitespace separates,
 * "double quotes" group (with \" and \\ escapes). */
#define MAX_FIELDS 6

typedef struct {
    char *f[MAX_FIELDS];
    bool quoted[MAX_FIELDS];
    size_t n;
    const char *error;
} fields_t;

static char *read_quoted(char **pp, const char **error)
{
    GString *s = g_string_new(NULL);
    char *p = *pp + 1;
    while (*p && *p != '"') {
        if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
            p++;
        g_string_append_c(s, *p++);
    }
    if (*p != '"') {
        *error = "unterminated quoted string";
        g_string_free(s, TRUE);
        return NULL;
    }
    *pp = p + 1;
    return g_string_free(s, FALSE);
}

static void split_fields(char *line, fields_t *fl)
{
    char *p = line;
    memset(fl, 0, sizeof *fl);
    while (*p) {
        while (*p && isspace((unsigned char)*p))
            p++;
        if (!*p || *p == '#')
            break;
        if (fl->n == MAX_FIELDS) {
            fl->error = "too many fields";
            return;
        }
        if (*p == '"') {
            fl->quoted[fl->n] = true;
            fl->f[fl->n] = read_quoted(&p, &fl->error);
            if (!fl->f[fl->n])
                return;
            fl->n++;
            continue;
        }
        char *start = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        fl->f[fl->n++] = g_strndup(start, (size_t)(p - start));
    }
}

static void fields_free(fields_t *fl)
{
    for (size_t i = 0; i < fl->n; i++) {
        secure_wipe(fl->f[i], strlen(fl->f[i]));
        g_free(fl->f[i]);
    }
}

/* The keywords of the secrets file (docs/secrets.md). */
static const struct {
    const char *word;
    secret_kind kind;
    bool msgid;              /* has a message id field */
    int ke_n;                /* has a key exchange number field: 1 (1..7), 2 (0..7) */
} keywords[] = {
    { "PSK", SEC_PSK, false, 0 },
    { "IKEV1_DH_SHARED", SEC_V1_DH_SHARED, false, 0 },
    { "IKEV1_DH_PRIVATE", SEC_V1_DH_PRIVATE, false, 0 },
    { "IKEV1_SKEYID", SEC_V1_SKEYID, false, 0 },
    { "IKEV1_QM_DH_SHARED", SEC_V1_QM_DH_SHARED, true, 0 },
    { "IKEV2_DH_SHARED", SEC_V2_DH_SHARED, false, 0 },
    { "IKEV2_DH_PRIVATE", SEC_V2_DH_PRIVATE, false, 0 },
    { "IKEV2_SKEYSEED", SEC_V2_SKEYSEED, false, 0 },
    { "IKEV2_CHILD_DH_SHARED", SEC_V2_CHILD_DH_SHARED, true, 0 },
    { "IKEV2_ADDKE_SHARED", SEC_V2_ADDKE_SHARED, false, 1 },          /* RFC 9370 */
    { "IKEV2_CHILD_ADDKE_SHARED", SEC_V2_CHILD_ADDKE_SHARED, true, 1 },
    { "IKEV2_KE_PRIVATE", SEC_V2_KE_PRIVATE, false, 2 },   /* ML-KEM decapsulation key */
    { "EAP", SEC_EAP, false, 0 },
};

typedef struct {
    const char *name;
    secret_sink_fn sink;
    void *user;
    isakmp_key_error_fn on_error;
    void *euser;
    int count;
} file_ctx;

/* A cookie / SPI field: 16 hex digits or '*'. */
static bool parse_sa(const char *s, secret_entry *e)
{
    if (!strcmp(s, "*")) {
        e->any_sa = true;
        return true;
    }
    return fixed_hex(s, 16, e->spi);
}

/* A message id field: up to 8 hex digits (0x allowed) or '*'. */
static bool parse_msgid(const char *s, secret_entry *e)
{
    if (!strcmp(s, "*")) {
        e->any_msgid = true;
        return true;
    }
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    size_t n = strlen(s);
    if (n == 0 || n > 8 || strspn(s, "0123456789abcdefABCDEF") != n)
        return false;
    e->msgid = (uint32_t)strtoul(s, NULL, 16);
    return true;
}

/* An additional key exchange number (RFC 9370 ADDKE1..7): 1 to 7; with
 * zero (IKEV2_KE_PRIVATE) also 0, the exchange's own KE, and '*', any: an
 * ML-KEM key is matched by the encapsulation key it holds. */
static bool parse_ke_n(const char *s, bool zero, secret_entry *e)
{
    if (zero && !strcmp(s, "*")) {
        e->any_ke = true;
        return true;
    }
    if (s[0] < (zero ? '0' : '1') || s[0] > '7' || s[1])
        return false;
    e->ke_n = (unsigned)(s[0] - '0');
    return true;
}

/* The secret field: hex, or a quoted string for PSK. */
static uint8_t *parse_value(const fields_t *fl, size_t i, bool psk, size_t *len)
{
    if (fl->quoted[i]) {
        if (!psk)
            return NULL;
        *len = strlen(fl->f[i]);
        return *len ? (uint8_t *)g_strdup(fl->f[i]) : NULL;
    }
    return secrets_hex(fl->f[i], len);
}

/* A value too long for its kind; NULL when it fits.  The group of a DH
 * value is not known here: DH_MAX_LEN is the largest (derivation checks the
 * group's own size when it uses the value). */
static const char *value_size_check(secret_kind kind, size_t len)
{
    switch (kind) {
    case SEC_V1_DH_SHARED: case SEC_V1_DH_PRIVATE: case SEC_V1_QM_DH_SHARED:
    case SEC_V2_DH_SHARED: case SEC_V2_DH_PRIVATE: case SEC_V2_CHILD_DH_SHARED:
    case SEC_V2_ADDKE_SHARED: case SEC_V2_CHILD_ADDKE_SHARED:
        return len > DH_MAX_LEN ? "DH value longer than the largest group's (1024 bytes)" : NULL;
    case SEC_V2_KE_PRIVATE:
        return len > KEM_MAX_PRIVATE ? "longer than the largest ML-KEM decapsulation key (3168 bytes)"
               : len > DH_MAX_LEN && len != 1632 && len != 2400 && len != 3168
                   ? "neither a DH private value nor an ML-KEM decapsulation key (1632, 2400 or 3168 bytes)"
                   : NULL;
    case SEC_V1_SKEYID: case SEC_V2_SKEYSEED:
        return len > KDF_MAX_PRF ? "longer than the longest PRF output (64 bytes)" : NULL;
    default:
        return NULL;
    }
}

/* Checks and emits one line's entry; returns the reason when it is bad. */
static const char *file_entry(file_ctx *fc, const fields_t *fl, size_t no)
{
    size_t k = 0;
    while (k < G_N_ELEMENTS(keywords) && g_ascii_strcasecmp(fl->f[0], keywords[k].word))
        k++;
    if (k == G_N_ELEMENTS(keywords))
        return "unknown keyword";
    size_t want = 3 + keywords[k].msgid + (keywords[k].ke_n != 0);
    if (fl->n != want)
        return keywords[k].ke_n ? (keywords[k].msgid ? "expected: KEYWORD <spi|*> <msgid|*> <n> <hex>"
                                                     : "expected: KEYWORD <spi|*> <n> <hex>")
               : keywords[k].msgid ? "expected: KEYWORD <spi|*> <msgid|*> <hex>"
                                   : "expected: KEYWORD <selector> <secret>";
    secret_entry e = { .kind = keywords[k].kind };
    char where[512];
    snprintf(where, sizeof where, "%s:%zu", fc->name, no);
    e.where = where;
    bool text = e.kind == SEC_PSK || e.kind == SEC_EAP;   /* a selector and a password */
    if (text)
        e.selector = fl->f[1];
    else if (!parse_sa(fl->f[1], &e))
        return "bad cookie / SPI: want 16 hex digits or *";
    if (keywords[k].msgid && !parse_msgid(fl->f[2], &e))
        return "bad message id: want up to 8 hex digits or *";
    if (keywords[k].ke_n && !parse_ke_n(fl->f[want - 2], keywords[k].ke_n == 2, &e))
        return keywords[k].ke_n == 2 ? "bad key exchange number: want 0 to 7 or *"
                                     : "bad additional key exchange number: want 1 to 7";
    size_t len = 0;
    uint8_t *v = parse_value(fl, want - 1, text, &len);
    if (!v)
        return text ? "bad secret: want hex or a \"quoted string\""
                                 : "bad secret: want hex digits";
    const char *size = value_size_check(e.kind, len);
    if (size) {
        secrets_free(v, len);
        return size;
    }
    e.value = v;
    e.len = len;
    fc->sink(fc->user, &e);
    fc->count++;
    secrets_free(v, len);
    return NULL;
}

static void file_line(char *line, size_t no, void *user)
{
    file_ctx *fc = user;
    fields_t fl;
    split_fields(line, &fl);
    const char *bad = fl.error;
    if (!bad && fl.n > 0)
        bad = file_entry(fc, &fl, no);
    if (bad)
        secrets_report(fc->on_error, fc->euser, fc->name, no, "%s", bad);
    fields_free(&fl);
}

static int parse_file(const char *name, const char *text, size_t len, secret_sink_fn sink,
                      void *user, isakmp_key_error_fn on_error, void *euser)
{
    file_ctx fc = { name, sink, user, on_error, euser, 0 };
    secrets_each_line(text, len, file_line, &fc);
    return fc.count;
}

/* ---------------------------------------------------------------- charon logs */

/* charon_log.c reads them; here only the count of entries. */
typedef struct {
    secret_sink_fn sink;
    void *user;
    int count;
} count_ctx;

static void count_sink(void *user, const secret_entry *e)
{
    count_ctx *c = user;
    c->sink(c->user, e);
    c->count++;
}

static int parse_charon(const char *name, const char *text, size_t len, secret_sink_fn sink,
                        void *user)
{
    count_ctx c = { sink, user, 0 };
    charon_log_parse(name, text, len, count_sink, &c, NULL);
    return c.count;
}

/* ---------------------------------------------------------------- libreswan / tcpdump -E */

/*
 * tcpdump -E secrets, which libreswan prints with plutodebug=private:
 *   ikev2I 0xSPIi 0xSPIr encr:0xKEY integ:0xKEY   (SK_ei / SK_ai; ikev2R: SK_er / SK_ar)
 *   0xSPI@ADDRESS encr:0xKEY                       (an ESP SA, cipher key only)
 * Anything before the tag (a log prefix) is skipped.
 */
typedef struct {
    const char *name;
    secret_sink_fn sink;
    void *user;
    int count;
    isakmp_key_error_fn on_error;
    void *euser;
} pluto_ctx;

/* "alg:0xhex" -> algorithm name and key. */
static uint8_t *alg_key(const char *s, char *alg, size_t asz, size_t *len)
{
    const char *colon = strchr(s, ':');
    if (!colon || (size_t)(colon - s) >= asz)
        return NULL;
    snprintf(alg, asz, "%.*s", (int)(colon - s), s);
    return secrets_hex(colon + 1, len);
}

static void ike_line(pluto_ctx *pc, gchar **w, size_t no)
{
    bool init = !strcmp(w[0], "ikev2I");
    secret_entry e = { .kind = SEC_V2_KEY, .have_spir = true };
    if (!fixed_hex(w[1], 16, e.spi) || !fixed_hex(w[2], 16, e.spir)) {
        secrets_report(pc->on_error, pc->euser, pc->name, no, "bad SPI: want 0x and 16 hex digits");
        return;
    }
    char where[512], alg[2][32];
    snprintf(where, sizeof where, "%s:%zu", pc->name, no);
    e.where = where;
    for (int i = 0; i < 2; i++) {
        size_t len = 0;
        uint8_t *k = alg_key(w[3 + i], alg[i], sizeof alg[i], &len);
        if (!k || len > KDF_MAX_KEY) {
            secrets_free(k, len);
            secrets_report(pc->on_error, pc->euser, pc->name, no,
                   "bad key: want algorithm:0x and hex digits (at most 64 bytes)");
            continue;
        }
        e.name = i == 0 ? (init ? "SK_ei" : "SK_er") : (init ? "SK_ai" : "SK_ar");
        e.encr = i == 0 ? alg[0] : NULL;
        e.integ = i == 1 ? alg[1] : NULL;
        e.value = k;
        e.len = len;
        pc->sink(pc->user, &e);
        pc->count++;
        secrets_free(k, len);
    }
}

static void esp_line(pluto_ctx *pc, gchar **w, size_t no)
{
    char *at = strchr(w[0], '@');
    unsigned long spi;
    char alg[32], where[512];
    size_t len = 0;
    if (!at || sscanf(w[0], "0x%lx@", &spi) != 1 || spi > 0xffffffffUL) {
        secrets_report(pc->on_error, pc->euser, pc->name, no, "bad ESP SA: want 0xSPI@address");
        return;
    }
    uint8_t *k = alg_key(w[1], alg, sizeof alg, &len);
    if (!k || len > KDF_MAX_KEY) {
        secrets_free(k, len);
        secrets_report(pc->on_error, pc->euser, pc->name, no,
               "bad ESP key: want algorithm:0x and hex digits (at most 64 bytes)");
        return;
    }
    snprintf(where, sizeof where, "%s:%zu", pc->name, no);
    secret_entry e = { .kind = SEC_ESP_KEY, .esp_spi = (uint32_t)spi, .dst = at + 1,
                       .encr = alg, .value = k, .len = len, .where = where };
    pc->sink(pc->user, &e);
    pc->count++;
    secrets_free(k, len);
}

static void pluto_line(char *line, size_t no, void *user)
{
    pluto_ctx *pc = user;
    char *tag = strstr(line, "ikev2I ");
    if (!tag)
        tag = strstr(line, "ikev2R ");
    if (!tag) {
        tag = strstr(line, "0x");
        if (!tag || !strchr(tag, '@'))
            return;
    }
    gchar **w = g_strsplit_set(tag, " \t", 0);
    guint n = 0;
    for (guint i = 0; w[i]; i++)   /* squeeze empty words */
        if (*w[i])
            w[n++] = w[i];
        else
            g_free(w[i]);
    w[n] = NULL;
    if (n >= 5 && g_str_has_prefix(w[0], "ikev2"))
        ike_line(pc, w, no);
    else if (n >= 2 && w[0][0] == '0')
        esp_line(pc, w, no);
    secrets_words_free(w);   /* w[n] is NULL: the empty words went above */
}

static int parse_pluto(const char *name, const char *text, size_t len, secret_sink_fn sink,
                       void *user, isakmp_key_error_fn on_error, void *euser)
{
    pluto_ctx pc = { name, sink, user, 0, on_error, euser };
    secrets_each_line(text, len, pluto_line, &pc);
    return pc.count;
}

/* ---------------------------------------------------------------- entry points */

/* The first word of the first line that is not blank or a comment. */
static bool first_word_is_keyword(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len) {
        while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
            i++;
        if (i < len && text[i] == '#') {
            while (i < len && text[i] != '\n')
                i++;
            continue;
        }
        break;
    }
    for (size_t k = 0; k < G_N_ELEMENTS(keywords); k++) {
        size_t n = strlen(keywords[k].word);
        if (i + n < len && !g_ascii_strncasecmp(text + i, keywords[k].word, n) &&
            (text[i + n] == ' ' || text[i + n] == '\t'))
            return true;
    }
    return false;
}

secrets_format secrets_detect(const char *text, size_t len)
{
    if (first_word_is_keyword(text, len))
        return SECRETS_FILE;
    size_t head = len < 65536 ? len : 65536;
    gchar *h = g_strndup(text, head);
    secrets_format f = SECRETS_NONE;
    if (charon_log_detect(h))
        f = SECRETS_CHARON;
    else if (strstr(h, "ikev2I 0x") || strstr(h, "ikev2R 0x"))
        f = SECRETS_PLUTO;
    g_free(h);
    return f;
}

int secrets_parse(secrets_format fmt, const char *name, const char *text, size_t len,
                  secret_sink_fn sink, void *user, isakmp_key_error_fn on_error, void *euser)
{
    switch (fmt) {
    case SECRETS_FILE: return parse_file(name, text, len, sink, user, on_error, euser);
    case SECRETS_CHARON: return parse_charon(name, text, len, sink, user);
    case SECRETS_PLUTO: return parse_pluto(name, text, len, sink, user, on_error, euser);
    case SECRETS_NONE: break;
    }
    return 0;
}
