/*
 * Secrets from text: the libisakmp secrets file (docs/secrets.md), strongSwan
 * charon level-4 logs and libreswan plutodebug=private / tcpdump -E lines.
 * Each parser turns lines into secret_entry values for a sink (secrets.h).
 */
#include <ctype.h>
#include <gcrypt.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "core/hex.h"
#include "core/secure.h"
#include "crypto/dh.h"
#include "crypto/kdf.h"
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

static void report(isakmp_key_error_fn on_error, void *euser, const char *name, size_t line,
                   const char *fmt, ...) G_GNUC_PRINTF(5, 6);

static void report(isakmp_key_error_fn on_error, void *euser, const char *name, size_t line,
                   const char *fmt, ...)
{
    if (!on_error)
        return;
    char where[512], reason[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    snprintf(where, sizeof where, "%s:%zu", name, line);
    on_error(euser, where, reason);
}

/* Calls fn(line, number, user) for each line of text (without the newline). */
typedef void (*line_fn)(char *line, size_t no, void *user);

static void each_line(const char *text, size_t len, line_fn fn, void *user)
{
    size_t no = 0, start = 0;
    while (start < len) {
        const char *nl = memchr(text + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - text) : len;
        char *line = g_strndup(text + start, end - start);
        g_strchomp(line);   /* also drops a '\r' */
        fn(line, ++no, user);
        secure_wipe(line, strlen(line));
        g_free(line);
        start = end + 1;
    }
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
} keywords[] = {
    { "PSK", SEC_PSK, false },
    { "IKEV1_DH_SHARED", SEC_V1_DH_SHARED, false },
    { "IKEV1_DH_PRIVATE", SEC_V1_DH_PRIVATE, false },
    { "IKEV1_SKEYID", SEC_V1_SKEYID, false },
    { "IKEV1_QM_DH_SHARED", SEC_V1_QM_DH_SHARED, true },
    { "IKEV2_DH_SHARED", SEC_V2_DH_SHARED, false },
    { "IKEV2_DH_PRIVATE", SEC_V2_DH_PRIVATE, false },
    { "IKEV2_SKEYSEED", SEC_V2_SKEYSEED, false },
    { "IKEV2_CHILD_DH_SHARED", SEC_V2_CHILD_DH_SHARED, true },
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
        return len > DH_MAX_LEN ? "DH value longer than the largest group's (1024 bytes)" : NULL;
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
    size_t want = keywords[k].msgid ? 4 : 3;
    if (fl->n != want)
        return keywords[k].msgid ? "expected: KEYWORD <spi|*> <msgid|*> <hex>"
                                 : "expected: KEYWORD <selector> <secret>";
    secret_entry e = { .kind = keywords[k].kind };
    char where[512];
    snprintf(where, sizeof where, "%s:%zu", fc->name, no);
    e.where = where;
    if (e.kind == SEC_PSK)
        e.selector = fl->f[1];
    else if (!parse_sa(fl->f[1], &e))
        return "bad cookie / SPI: want 16 hex digits or *";
    if (keywords[k].msgid && !parse_msgid(fl->f[2], &e))
        return "bad message id: want up to 8 hex digits or *";
    size_t len = 0;
    uint8_t *v = parse_value(fl, want - 1, e.kind == SEC_PSK, &len);
    if (!v)
        return e.kind == SEC_PSK ? "bad secret: want hex or a \"quoted string\""
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
        report(fc->on_error, fc->euser, fc->name, no, "%s", bad);
    fields_free(&fl);
}

static int parse_file(const char *name, const char *text, size_t len, secret_sink_fn sink,
                      void *user, isakmp_key_error_fn on_error, void *euser)
{
    file_ctx fc = { name, sink, user, on_error, euser, 0 };
    each_line(text, len, file_line, &fc);
    return fc.count;
}

/* ---------------------------------------------------------------- charon logs */

/*
 * strongSwan charon at level 4 dumps each key as "LABEL => N bytes @ 0xADDR"
 * followed by rows "  OFF: HH HH ...  ascii", on the thread that derived it.
 * A thread works on one IKE_SA at a time, so key blocks are tied to an SA by
 * the next "checkin IKEv1|IKEv2 SA name[N] with SPIs X_i Y_r" of the same
 * thread (for a rekey that is the new SA); CHILD_SA keys by the message the
 * thread last parsed or generated (its message id, and whether we initiated
 * that exchange) and by the "adding|registering inbound|outbound ESP SA" /
 * "SPI 0x.., src A dst B" lines that follow.
 */
typedef enum { P_DH = 1, P_SEED, P_SKEYID, P_KEY, P_CHILD_DH } pend_kind;

typedef struct {
    pend_kind kind;
    char *name;
    GByteArray *bytes;
    uint32_t msgid;
    size_t line;
} pending_t;

typedef struct {
    GByteArray *dump;          /* the dump being read */
    char label[80], grp[4];
    size_t want, dump_line;
    uint32_t msgid;            /* last message parsed / generated */
    bool we_initiated;         /* that message's exchange was ours */
    bool psk_wait;             /* a "secret" dump waits for "prf(secret, keypad)" */
    GByteArray *psk;
    GPtrArray *pending;        /* pending_t, waiting for a checkin */
    GByteArray *child[4];      /* encr i, encr r, integ i, integ r */
    char encr[32], integ[32];
    size_t encr_bits;
    int esp_dir;               /* 1 inbound, 2 outbound: an SPI line follows */
} thread_t;

typedef struct {
    const char *name;
    secret_sink_fn sink;
    void *user;
    int count;
    GHashTable *threads;       /* thread number -> thread_t */
} charon_ctx;

static void bytes_wipe(GByteArray *b)
{
    if (!b)
        return;
    if (b->len)
        secure_wipe(b->data, b->len);
    g_byte_array_free(b, TRUE);
}

static void pending_free(gpointer p)
{
    pending_t *pe = p;
    bytes_wipe(pe->bytes);
    g_free(pe->name);
    g_free(pe);
}

static void thread_free(gpointer p)
{
    thread_t *t = p;
    bytes_wipe(t->dump);
    bytes_wipe(t->psk);
    for (int i = 0; i < 4; i++)
        bytes_wipe(t->child[i]);
    g_ptr_array_free(t->pending, TRUE);
    g_free(t);
}

static thread_t *thread_get(charon_ctx *cc, int no)
{
    thread_t *t = g_hash_table_lookup(cc->threads, GINT_TO_POINTER(no));
    if (!t) {
        t = g_new0(thread_t, 1);
        t->pending = g_ptr_array_new_with_free_func(pending_free);
        g_hash_table_insert(cc->threads, GINT_TO_POINTER(no), t);
    }
    return t;
}

static void emit(charon_ctx *cc, secret_entry *e, size_t line)
{
    char where[512];
    snprintf(where, sizeof where, "%s:%zu", cc->name, line);
    e->where = where;
    cc->sink(cc->user, e);
    cc->count++;
}

/* Splits "[date ]NN[GRP] [<name|id> ]text": thread number, group, text. */
static bool charon_split(char *line, int *thread, char grp[4], char **text)
{
    for (char *p = strchr(line, '['); p; p = strchr(p + 1, '[')) {
        if (p == line || !g_ascii_isdigit(p[-1]) || strlen(p) < 5 || p[4] != ']')
            continue;
        char *d = p;
        while (d > line && g_ascii_isdigit(d[-1]))
            d--;
        *thread = atoi(d);
        memcpy(grp, p + 1, 3);
        grp[3] = 0;
        char *t = p + 5;
        if (*t == ' ')
            t++;
        if (*t == '<') {
            char *close = strstr(t, "> ");
            if (close)
                t = close + 2;
        }
        *text = t;
        return true;
    }
    return false;
}

/* Reads one dump row ("  16: AA BB ...  ascii") into t->dump. */
static void dump_row(thread_t *t, const char *s)
{
    while (*s == ' ')
        s++;
    while (g_ascii_isdigit(*s))
        s++;
    if (*s++ != ':' || *s++ != ' ')
        return;
    for (int i = 0; i < 16 && t->dump->len < t->want; i++) {
        uint8_t b;
        if (!hex_decode(s, 1, &b))
            break;
        g_byte_array_append(t->dump, &b, 1);
        s += 2;
        if (*s != ' ')
            break;
        s++;
    }
}

static void add_pending(thread_t *t, pend_kind k, const char *name, GByteArray *b, size_t line)
{
    pending_t *pe = g_new0(pending_t, 1);
    pe->kind = k;
    pe->name = g_strdup(name);
    pe->bytes = b;
    pe->msgid = t->msgid;
    pe->line = line;
    g_ptr_array_add(t->pending, pe);
}

/* IKE SA key labels -> our key names. */
static const struct {
    const char *label, *name;
    pend_kind kind;
} ike_labels[] = {
    { "shared Diffie Hellman secret", "DH", P_DH },
    { "SKEYSEED", "SKEYSEED", P_SEED },
    { "SKEYID", "SKEYID", P_SKEYID },
    { "SKEYID_d", "SKEYID_d", P_KEY }, { "SKEYID_a", "SKEYID_a", P_KEY },
    { "SKEYID_e", "SKEYID_e", P_KEY }, { "encryption key Ka", "Ka", P_KEY },
    { "Sk_d secret", "SK_d", P_KEY }, { "Sk_ai secret", "SK_ai", P_KEY },
    { "Sk_ar secret", "SK_ar", P_KEY }, { "Sk_ei secret", "SK_ei", P_KEY },
    { "Sk_er secret", "SK_er", P_KEY }, { "Sk_pi secret", "SK_pi", P_KEY },
    { "Sk_pr secret", "SK_pr", P_KEY },
};

static const char *const child_labels[4] = {
    "encryption initiator key", "encryption responder key",
    "integrity initiator key", "integrity responder key",
};

/* A complete dump: file it by group and label. */
static void dump_done(charon_ctx *cc, thread_t *t)
{
    GByteArray *b = t->dump;
    t->dump = NULL;
    if (!strcmp(t->grp, "IKE") && !strcmp(t->label, "secret")) {
        bytes_wipe(t->psk);           /* the PSK, confirmed by the keypad line */
        t->psk = b;
        t->psk_wait = true;
        return;
    }
    if (!strcmp(t->grp, "IKE") && t->psk_wait && !strcmp(t->label, "prf(secret, keypad)")) {
        secret_entry e = { .kind = SEC_PSK, .selector = "*", .value = t->psk->data,
                           .len = t->psk->len };
        emit(cc, &e, t->dump_line);
        t->psk_wait = false;
    }
    for (size_t i = 0; !strcmp(t->grp, "IKE") && i < G_N_ELEMENTS(ike_labels); i++)
        if (!strcmp(t->label, ike_labels[i].label)) {
            add_pending(t, ike_labels[i].kind, ike_labels[i].name, b, t->dump_line);
            return;
        }
    if (!strcmp(t->grp, "CHD") && !strcmp(t->label, "DH secret")) {
        add_pending(t, P_CHILD_DH, "DH", b, t->dump_line);
        return;
    }
    for (int i = 0; !strcmp(t->grp, "CHD") && i < 4; i++)
        if (!strcmp(t->label, child_labels[i])) {
            bytes_wipe(t->child[i]);
            t->child[i] = b;
            return;
        }
    bytes_wipe(b);
}

/* "LABEL => N bytes @ 0x..." starts a dump. */
static bool dump_head(thread_t *t, const char *grp, const char *text, size_t line)
{
    const char *arrow = strstr(text, " => ");
    size_t n = 0;
    if (!arrow || sscanf(arrow + 4, "%zu bytes @", &n) != 1 || !strstr(arrow, " bytes @ "))
        return false;
    bytes_wipe(t->dump);
    t->dump = g_byte_array_new();
    t->want = n;
    t->dump_line = line;
    snprintf(t->label, sizeof t->label, "%.*s", (int)(arrow - text), text);
    g_strstrip(t->label);
    memcpy(t->grp, grp, 4);
    return true;
}

/* "parsed|generating EXCHANGE request|response N [ ... ]": the message id, and
 * whether we initiated the exchange (we parse responses and generate requests). */
static void message_line(thread_t *t, const char *text)
{
    char verb[16], exch[40], dir[16];
    unsigned long id;
    if (sscanf(text, "%15s %39s %15s %lu", verb, exch, dir, &id) != 4)
        return;
    bool parsed = !strcmp(verb, "parsed"), req = !strcmp(dir, "request");
    if ((!parsed && strcmp(verb, "generating")) || (!req && strcmp(dir, "response")))
        return;
    t->msgid = (uint32_t)id;
    t->we_initiated = parsed ? !req : req;
}

static const secret_kind v1_kinds[] = { [P_DH] = SEC_V1_DH_SHARED, [P_SEED] = 0,
                                        [P_SKEYID] = SEC_V1_SKEYID, [P_KEY] = SEC_V1_KEY,
                                        [P_CHILD_DH] = SEC_V1_QM_DH_SHARED };
static const secret_kind v2_kinds[] = { [P_DH] = SEC_V2_DH_SHARED, [P_SEED] = SEC_V2_SKEYSEED,
                                        [P_SKEYID] = 0, [P_KEY] = SEC_V2_KEY,
                                        [P_CHILD_DH] = SEC_V2_CHILD_DH_SHARED };

/* "checkin IKEv1|IKEv2 SA name[N] with SPIs X_i Y_r": the pending keys of the
 * thread belong to that SA once both SPIs are known. */
static void checkin_line(charon_ctx *cc, thread_t *t, const char *text)
{
    const char *with = strstr(text, " with SPIs ");
    uint8_t spi[8], spir[8];
    char x[17], y[17];
    int version = !strncmp(text, "checkin IKEv1 ", 14) ? 1 : !strncmp(text, "checkin IKEv2 ", 14) ? 2 : 0;
    if (!version || !with || sscanf(with, " with SPIs %16[0-9a-f]_i %16[0-9a-f]_r", x, y) != 2 ||
        !fixed_hex(x, 16, spi) || !fixed_hex(y, 16, spir) || !strcmp(y, "0000000000000000"))
        return;
    for (guint i = 0; i < t->pending->len; i++) {
        pending_t *pe = g_ptr_array_index(t->pending, i);
        secret_entry e = { .kind = version == 1 ? v1_kinds[pe->kind] : v2_kinds[pe->kind],
                           .have_spir = true, .msgid = pe->msgid, .name = pe->name,
                           .value = pe->bytes->data, .len = pe->bytes->len };
        memcpy(e.spi, spi, 8);
        memcpy(e.spir, spir, 8);
        if (e.kind)
            emit(cc, &e, pe->line);
    }
    g_ptr_array_set_size(t->pending, 0);
}

/* "selected proposal: ESP:AES_CBC_256/HMAC_SHA2_256_128/..." or the same for AH. */
static void proposal_line(thread_t *t, const char *text)
{
    const char *p = strstr(text, "selected proposal: ");
    if (!p)
        return;
    p += strlen("selected proposal: ");
    if (strncmp(p, "ESP:", 4) && strncmp(p, "AH:", 3))
        return;
    gchar **parts = g_strsplit(strchr(p, ':') + 1, "/", 0);
    t->encr[0] = t->integ[0] = 0;
    t->encr_bits = 0;
    for (int i = 0; parts[i]; i++) {
        const char *a = parts[i];
        if (g_str_has_prefix(a, "HMAC_") || g_str_has_prefix(a, "AES_XCBC") ||
            g_str_has_prefix(a, "AES_CMAC")) {
            snprintf(t->integ, sizeof t->integ, "%s", a);
        } else if (i == 0 && strncmp(p, "AH:", 3)) {
            /* the cipher, with its key size last: AES_CBC_256, AES_GCM_16_128 */
            const char *us = strrchr(a, '_');
            if (us && g_ascii_isdigit(us[1]) && atoi(us + 1) >= 64) {
                t->encr_bits = (size_t)atoi(us + 1);
                snprintf(t->encr, sizeof t->encr, "%.*s", (int)(us - a), a);
            } else {
                snprintf(t->encr, sizeof t->encr, "%s", a);
            }
        }
    }
    g_strfreev(parts);
}

/* "  SPI 0x2b66db28, src 10.99.0.2 dst 10.99.0.1" after "adding inbound ESP SA":
 * inbound traffic is the peer's, so its keys are the other role's. */
static void esp_spi_line(charon_ctx *cc, thread_t *t, const char *text, size_t line)
{
    unsigned long spi;
    char src[64], dst[64];
    int dir = t->esp_dir;
    t->esp_dir = 0;
    if (sscanf(text, " SPI 0x%lx, src %63s dst %63s", &spi, src, dst) != 3)
        return;
    bool from_initiator = (dir == 2) == t->we_initiated;
    GByteArray *ek = t->child[from_initiator ? 0 : 1], *ak = t->child[from_initiator ? 2 : 3];
    if (!ek && !ak)
        return;
    secret_entry e = { .kind = SEC_ESP_KEY, .esp_spi = (uint32_t)spi, .src = src, .dst = dst,
                       .encr = t->encr[0] ? t->encr : NULL, .integ = t->integ[0] ? t->integ : NULL,
                       .encr_bits = t->encr_bits, .value = ek ? ek->data : NULL,
                       .len = ek ? ek->len : 0, .integ_key = ak ? ak->data : NULL,
                       .integ_len = ak ? ak->len : 0 };
    emit(cc, &e, line);
}

static void esp_dir_line(thread_t *t, const char *text)
{
    char alg[32], what[16];
    if (sscanf(text, " using %31s for %15s", alg, what) == 2) {   /* when no proposal line was seen */
        if (!strcmp(what, "encryption") && !t->encr[0])
            snprintf(t->encr, sizeof t->encr, "%s", alg);
        else if (!strcmp(what, "integrity") && !t->integ[0])
            snprintf(t->integ, sizeof t->integ, "%s", alg);
        return;
    }
    if (strstr(text, "inbound ESP SA") || strstr(text, "inbound AH SA"))
        t->esp_dir = 1;
    else if (strstr(text, "outbound ESP SA") || strstr(text, "outbound AH SA"))
        t->esp_dir = 2;
    if (!g_str_has_prefix(text, "adding ") && !g_str_has_prefix(text, "registering "))
        t->esp_dir = 0;
}

static void charon_line(char *line, size_t no, void *user)
{
    charon_ctx *cc = user;
    int thread;
    char grp[4];
    char *text;
    if (!charon_split(line, &thread, grp, &text))
        return;
    thread_t *t = thread_get(cc, thread);
    if (t->dump && t->dump->len < t->want && !strcmp(grp, t->grp)) {
        dump_row(t, text);
        if (t->dump->len == t->want)
            dump_done(cc, t);
        return;
    }
    if (dump_head(t, grp, text, no)) {
        if (t->want == 0)
            dump_done(cc, t);
        return;
    }
    if (!strcmp(grp, "ENC"))
        message_line(t, text);
    else if (!strcmp(grp, "MGR") && g_str_has_prefix(text, "checkin IKEv"))
        checkin_line(cc, t, text);
    else if (!strcmp(grp, "CFG"))
        proposal_line(t, text);
    else if (!strcmp(grp, "CHD") && g_str_has_prefix(text, "  SPI 0x"))
        esp_spi_line(cc, t, text, no);
    else if (!strcmp(grp, "CHD"))
        esp_dir_line(t, text);
}

static int parse_charon(const char *name, const char *text, size_t len, secret_sink_fn sink,
                        void *user)
{
    charon_ctx cc = { name, sink, user, 0,
                      g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, thread_free) };
    each_line(text, len, charon_line, &cc);
    g_hash_table_destroy(cc.threads);
    return cc.count;
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
        report(pc->on_error, pc->euser, pc->name, no, "bad SPI: want 0x and 16 hex digits");
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
            report(pc->on_error, pc->euser, pc->name, no,
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
        report(pc->on_error, pc->euser, pc->name, no, "bad ESP SA: want 0xSPI@address");
        return;
    }
    uint8_t *k = alg_key(w[1], alg, sizeof alg, &len);
    if (!k || len > KDF_MAX_KEY) {
        secrets_free(k, len);
        report(pc->on_error, pc->euser, pc->name, no,
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
    for (guint i = 0; i < n; i++)
        secure_wipe(w[i], strlen(w[i]));
    g_strfreev(w);
}

static int parse_pluto(const char *name, const char *text, size_t len, secret_sink_fn sink,
                       void *user, isakmp_key_error_fn on_error, void *euser)
{
    pluto_ctx pc = { name, sink, user, 0, on_error, euser };
    each_line(text, len, pluto_line, &pc);
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
    if (strstr(h, "[IKE] ") || strstr(h, "[MGR] ") || strstr(h, "[CFG] ") || strstr(h, "[DMN] "))
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
