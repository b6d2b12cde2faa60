/*
 * The key store and the loader of Wireshark's UAT tables
 * (ikev1_decryption_table, ikev2_decryption_table, esp_sa: comma-separated,
 * strings quoted with C escapes): one row of `formats` per table, with a
 * detector and a per-line loader.  Which loader reads a whole file is
 * load.c's.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/hex.h"
#include "keys/keys.h"
#include "keys/unpack.h"

/* One key source as isakmp_ctx_key_source gives it, with its strings. */
typedef struct {
    isakmp_key_source pub;
    char *name, *note;
} source_t;

/* The keys themselves.  Contexts share them read-only
 * (isakmp_ctx_share_keys: one parsed copy of a large table for every
 * decoding thread); a context that adds a key while they are shared takes
 * its own copy first (tables_own), so what is shared never changes. */
typedef struct {
    GHashTable *v1;    /* icookie -> key_v1 (the key is the entry's own bytes) */
    GHashTable *v2;    /* ispi|rspi -> GPtrArray of key_v2: several when a table
                        * has one line per key epoch (RFC 9370); the key is the
                        * first entry's own 16 bytes */
    GPtrArray *esp;    /* key_esp */
    GHashTable *esp_at;   /* an entry's esp_id -> its index in esp + 1: a table of
                           * many SAs was a scan of all before for each line */
    gint refs;         /* contexts using them (atomic: threads free their contexts) */
} key_tables;

struct isakmp_keys {
    key_tables *t;
    GPtrArray *sources;   /* source_t, in load order: each context its own */
};

/* ---------------------------------------------------------------- secrets */

bool secret_from_hex(secret_t *s, const char *hex)
{
    if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
        hex += 2;
    size_t n = strlen(hex);
    s->p = NULL;
    s->len = 0;
    if (n % 2)
        return false;
    uint8_t *p = crypto_secure_alloc(n / 2);
    if (!hex_decode(hex, n / 2, p)) {
        crypto_secure_free(p, n / 2);
        return false;
    }
    s->p = p;
    s->len = n / 2;
    return true;
}

void secret_copy(secret_t *s, const uint8_t *p, size_t n)
{
    s->p = crypto_secure_alloc(n ? n : 1);
    if (n)
        memcpy(s->p, p, n);
    s->len = n;
}

static void v1_free(gpointer p)
{
    key_v1 *e = p;
    secret_wipe(&e->enc);
    g_free(e);
}

static void v2_free(gpointer p)
{
    key_v2 *e = p;
    secret_wipe(&e->ei);
    secret_wipe(&e->er);
    secret_wipe(&e->ai);
    secret_wipe(&e->ar);
    g_free(e);
}

static void esp_free(gpointer p)
{
    key_esp *e = p;
    g_free(e->proto);
    g_free(e->src);
    g_free(e->dst);
    g_free(e->spi);
    g_free(e->enc_alg);
    g_free(e->auth_alg);
    secret_wipe(&e->enc_key);
    secret_wipe(&e->auth_key);
    secret_wipe(&e->enc_hex);
    secret_wipe(&e->auth_hex);
    g_free(e);
}

static void source_free(gpointer p)
{
    source_t *s = p;
    g_free(s->name);
    g_free(s->note);
    g_free(s);
}

/* ---------------------------------------------------------------- the store */

/* The tables are keyed by the entries' own SPI bytes: a GBytes per key was
 * two allocations a line of a large table, and one per look-up (every
 * message).  SPIs are random, so a multiply spreads them well enough. */
static guint spi_hash(uint64_t v)
{
    v ^= v >> 29;
    v *= 0x9e3779b97f4a7c15ull;
    return (guint)(v >> 32);
}

static guint id8_hash(gconstpointer p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return spi_hash(v);
}

static gboolean id8_equal(gconstpointer a, gconstpointer b) { return memcmp(a, b, 8) == 0; }

static guint id16_hash(gconstpointer p)
{
    uint64_t a, b;
    memcpy(&a, p, 8);
    memcpy(&b, (const uint8_t *)p + 8, 8);
    return spi_hash(a ^ (b * 0xff51afd7ed558ccdull));
}

static gboolean id16_equal(gconstpointer a, gconstpointer b) { return memcmp(a, b, 16) == 0; }

/* The 16 bytes ispi|rspi of a list of IKEv2 keys: its first entry's. */
G_STATIC_ASSERT(G_STRUCT_OFFSET(key_v2, rspi) == G_STRUCT_OFFSET(key_v2, ispi) + 8);
static uint8_t *v2_list_id(const GPtrArray *a)
{
    return ((key_v2 *)a->pdata[0])->ispi;
}

static key_tables *tables_new(void)
{
    key_tables *t = g_new0(key_tables, 1);
    /* replace, never insert, when a key may be there: the stored key must
     * be the bytes of the entry that stays */
    t->v1 = g_hash_table_new_full(id8_hash, id8_equal, NULL, v1_free);
    t->v2 = g_hash_table_new_full(id16_hash, id16_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
    t->esp = g_ptr_array_new_with_free_func(esp_free);
    t->esp_at = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    t->refs = 1;
    return t;
}

static void tables_unref(key_tables *t)
{
    if (!g_atomic_int_dec_and_test(&t->refs))
        return;
    g_hash_table_destroy(t->v1);
    g_hash_table_destroy(t->v2);
    g_ptr_array_free(t->esp, TRUE);
    g_hash_table_destroy(t->esp_at);
    g_free(t);
}

struct isakmp_keys *keys_new(void)
{
    struct isakmp_keys *k = g_new0(struct isakmp_keys, 1);
    k->t = tables_new();
    k->sources = g_ptr_array_new_with_free_func(source_free);
    return k;
}

bool keys_any_ike(const struct isakmp_keys *k)
{
    return g_hash_table_size(k->t->v1) + g_hash_table_size(k->t->v2) > 0;
}

void keys_free(struct isakmp_keys *k)
{
    if (!k)
        return;
    tables_unref(k->t);
    g_ptr_array_free(k->sources, TRUE);
    g_free(k);
}

/* ---------------------------------------------------------------- sharing */

static void secret_dup(secret_t *to, const secret_t *from)
{
    if (from->p)
        secret_copy(to, from->p, from->len);
}

static key_v1 *v1_dup(const key_v1 *e)
{
    key_v1 *c = g_memdup2(e, sizeof *e);
    secret_dup(&c->enc, &e->enc);
    return c;
}

static key_v2 *v2_dup(const key_v2 *e)
{
    key_v2 *c = g_memdup2(e, sizeof *e);
    secret_dup(&c->ei, &e->ei);
    secret_dup(&c->er, &e->er);
    secret_dup(&c->ai, &e->ai);
    secret_dup(&c->ar, &e->ar);
    return c;
}

static key_esp *esp_dup(const key_esp *e)
{
    key_esp *c = g_memdup2(e, sizeof *e);
    c->proto = g_strdup(e->proto);
    c->src = g_strdup(e->src);
    c->dst = g_strdup(e->dst);
    c->spi = g_strdup(e->spi);
    c->enc_alg = g_strdup(e->enc_alg);
    c->auth_alg = g_strdup(e->auth_alg);
    secret_dup(&c->enc_key, &e->enc_key);
    secret_dup(&c->auth_key, &e->auth_key);
    secret_dup(&c->enc_hex, &e->enc_hex);
    secret_dup(&c->auth_hex, &e->auth_hex);
    return c;
}

/* What tells ESP entries apart: protocol, addresses (each with its length
 * first, so no text is another's) and SPI, its hex in any case. */
static char *esp_id(const key_esp *e)
{
    char *spi = g_ascii_strdown(e->spi, -1);
    char *id = g_strdup_printf("%zu:%s%zu:%s%zu:%s%s", strlen(e->proto), e->proto, strlen(e->src),
                               e->src, strlen(e->dst), e->dst, spi);
    g_free(spi);
    return id;
}

/* Adds e to t, replacing an entry for the same protocol, addresses and SPI
 * (in its place: the order is the table's). */
static void esp_store_in(key_tables *t, key_esp *e)
{
    char *id = esp_id(e);
    guint at = GPOINTER_TO_UINT(g_hash_table_lookup(t->esp_at, id));
    if (at) {
        esp_free(t->esp->pdata[at - 1]);
        t->esp->pdata[at - 1] = e;
        g_free(id);
        return;
    }
    g_ptr_array_add(t->esp, e);
    g_hash_table_insert(t->esp_at, id, GUINT_TO_POINTER(t->esp->len));
}

/* The tables, this context's alone: copied first while another context
 * shares them (a key added to shared tables would change what a context
 * on another thread is reading). */
static key_tables *tables_own(struct isakmp_keys *k)
{
    key_tables *from = k->t;
    if (g_atomic_int_get(&from->refs) == 1)
        return from;
    key_tables *t = tables_new();
    GHashTableIter it;
    gpointer id, v;
    g_hash_table_iter_init(&it, from->v1);
    while (g_hash_table_iter_next(&it, &id, &v)) {
        key_v1 *c = v1_dup(v);
        g_hash_table_insert(t->v1, c->icookie, c);
    }
    g_hash_table_iter_init(&it, from->v2);
    while (g_hash_table_iter_next(&it, &id, &v)) {
        const GPtrArray *a = v;
        GPtrArray *c = g_ptr_array_new_full(a->len, v2_free);
        for (guint i = 0; i < a->len; i++)
            g_ptr_array_add(c, v2_dup(a->pdata[i]));
        g_hash_table_insert(t->v2, v2_list_id(c), c);
    }
    for (guint i = 0; i < from->esp->len; i++)
        esp_store_in(t, esp_dup(from->esp->pdata[i]));
    k->t = t;
    tables_unref(from);
    return t;
}

void keys_share(struct isakmp_keys *k, const struct isakmp_keys *from)
{
    g_atomic_int_inc(&from->t->refs);
    tables_unref(k->t);
    k->t = from->t;
    for (guint i = 0; i < from->sources->len; i++) {   /* counts and notes: each its own */
        const source_t *s = from->sources->pdata[i];
        size_t j = keys_source_add(k, s->name, s->pub.format);
        source_t *c = k->sources->pdata[j];
        c->pub = s->pub;
        c->pub.name = c->name;
        c->note = g_strdup(s->note);
        c->pub.note = c->note;
    }
}

/* ---------------------------------------------------------------- entries */

void keys_v1_add(struct isakmp_keys *k, key_v1 *e)
{
    g_hash_table_replace(tables_own(k)->v1, e->icookie, e);
}

void keys_v2_add(struct isakmp_keys *k, key_v2 *e)
{
    GPtrArray *a = g_ptr_array_new_with_free_func(v2_free);
    g_ptr_array_add(a, e);
    g_hash_table_replace(tables_own(k)->v2, e->ispi, a);
}

static bool secret_eq(const secret_t *a, const secret_t *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->p, b->p, a->len) == 0);
}

static bool v2_same(const key_v2 *a, const key_v2 *b)
{
    return a->enc == b->enc && a->integ == b->integ && secret_eq(&a->ei, &b->ei) &&
           secret_eq(&a->er, &b->er) && secret_eq(&a->ai, &b->ai) && secret_eq(&a->ar, &b->ar);
}

void keys_v2_keep(struct isakmp_keys *k, key_v2 *e)
{
    GPtrArray *a = g_hash_table_lookup(tables_own(k)->v2, e->ispi);
    if (!a) {
        keys_v2_add(k, e);
        return;
    }
    for (guint i = 0; i < a->len; i++)
        if (v2_same(a->pdata[i], e)) {   /* the same line twice */
            v2_free(e);
            return;
        }
    g_ptr_array_add(a, e);
}

const key_v1 *keys_v1_find(const struct isakmp_keys *k, const uint8_t icookie[8])
{
    if (g_hash_table_size(k->t->v1) == 0)   /* the common case: no keys at all */
        return NULL;
    return g_hash_table_lookup(k->t->v1, icookie);
}

const key_v2 *const *keys_v2_find_all(const struct isakmp_keys *k, const uint8_t ispi[8],
                                      const uint8_t rspi[8], size_t *n)
{
    *n = 0;
    if (g_hash_table_size(k->t->v2) == 0)
        return NULL;
    uint8_t id[16];
    memcpy(id, ispi, 8);
    memcpy(id + 8, rspi, 8);
    const GPtrArray *a = g_hash_table_lookup(k->t->v2, id);
    if (!a)
        return NULL;
    *n = a->len;
    return (const key_v2 *const *)a->pdata;
}

const key_v2 *keys_v2_find(const struct isakmp_keys *k, const uint8_t ispi[8],
                           const uint8_t rspi[8])
{
    size_t n;
    const key_v2 *const *all = keys_v2_find_all(k, ispi, rspi, &n);
    return n ? all[0] : NULL;
}

size_t keys_esp_count(const struct isakmp_keys *k) { return k->t->esp->len; }
const key_esp *keys_esp_get(const struct isakmp_keys *k, size_t i)
{
    return i < k->t->esp->len ? k->t->esp->pdata[i] : NULL;
}

/* ---------------------------------------------------------------- UAT lines */

#define UAT_MAX_FIELDS 8

/* Splits a UAT line into at most UAT_MAX_FIELDS fields (copied into buf,
 * unquoted, C escapes resolved).  Returns the field count, -1 when malformed. */
static int uat_split(const char *line, char *buf, size_t bufsize, char **fields)
{
    int n = 0;
    size_t o = 0;
    const char *p = line;
    for (;;) {
        if (n == UAT_MAX_FIELDS || o >= bufsize)
            return -1;
        fields[n++] = buf + o;
        if (*p == '"') {
            for (p++; *p && *p != '"' && o + 1 < bufsize; p++) {
                uint8_t b;
                if (*p == '\\' && p[1] == 'x' && hex_decode(p + 2, 1, &b)) {
                    buf[o++] = (char)b;
                    p += 3;
                } else {
                    if (*p == '\\' && p[1])
                        p++;
                    buf[o++] = *p;
                }
            }
            if (*p++ != '"')
                return -1;
        } else {
            /* an unquoted field (hex, names) in one copy */
            size_t len = strcspn(p, ","), room = bufsize - o - 1;
            len = len < room ? len : room;
            memcpy(buf + o, p, len);
            o += len;
            p += len;
        }
        buf[o++] = 0;
        if (*p == 0)
            return n;
        if (*p++ != ',')
            return -1;
    }
}

/* Exactly 2 * n hex digits into out[0..n). */
static bool hex_exact(const char *s, size_t n, uint8_t *out)
{
    return strlen(s) == 2 * n && hex_decode(s, n, out);
}

/* A line's parser: one data line split into fields into an entry to store
 * (*out); returns NULL when there is one, else the reason there is not.
 * Parsers touch nothing shared: lines are parsed on several threads. */
typedef const char *(*parse_fn)(char **f, int n, void **out);
/* Stores what a parser made, in line order. */
typedef void (*store_fn)(struct isakmp_keys *k, void *entry);

/* Wireshark ikev1_decryption_table: "Initiator's COOKIE","Encryption Key". */
static const char *parse_v1(char **f, int n, void **out)
{
    if (n != 2)
        return "expected 2 fields: initiator cookie, encryption key";
    uint8_t icookie[8];
    if (!hex_exact(f[0], 8, icookie))
        return "the initiator cookie must be 16 hex digits";
    key_v1 *e = g_new0(key_v1, 1);
    memcpy(e->icookie, icookie, 8);
    if (!secret_from_hex(&e->enc, f[1]) || e->enc.len == 0 || e->enc.len > 32) {
        v1_free(e);
        return "the encryption key must be 1 to 32 bytes of hex";
    }
    *out = e;
    return NULL;
}

static void store_v1(struct isakmp_keys *k, void *e) { keys_v1_add(k, e); }

static const char *v2_secrets(key_v2 *e, char **f)
{
    if (!secret_from_hex(&e->ei, f[2]) || !secret_from_hex(&e->er, f[3]))
        return "SK_ei / SK_er must be hex";
    size_t want = (size_t)e->enc->key_len + e->enc->salt_len;
    if (e->ei.len != want || e->er.len != want)
        return "SK_ei / SK_er length does not match the encryption algorithm";
    if (!secret_from_hex(&e->ai, f[5]) || !secret_from_hex(&e->ar, f[6]))
        return "SK_ai / SK_ar must be hex";
    if ((e->integ->kind == IK_HMAC || e->integ->kind == IK_XCBC || e->integ->kind == IK_CMAC) &&
        (e->ai.len == 0 || e->ar.len == 0))
        return "SK_ai / SK_ar are required by the integrity algorithm";
    if (e->integ->kind == IK_XCBC && (e->ai.len != 16 || e->ar.len != 16))
        return "AES-XCBC keys must be 16 bytes";
    return NULL;
}

/* Wireshark ikev2_decryption_table: SPIi, SPIr, SK_ei, SK_er, encryption
 * algorithm, SK_ai, SK_ar, integrity algorithm. */
static const char *parse_v2(char **f, int n, void **out)
{
    if (n != 8)
        return "expected 8 fields: SPIi, SPIr, SK_ei, SK_er, encryption, SK_ai, SK_ar, integrity";
    uint8_t ispi[8], rspi[8];
    if (!hex_exact(f[0], 8, ispi) || !hex_exact(f[1], 8, rspi))
        return "SPIs must be 16 hex digits";
    key_v2 *e = g_new0(key_v2, 1);
    memcpy(e->ispi, ispi, 8);
    memcpy(e->rspi, rspi, 8);
    const char *why = NULL;
    e->enc = cipher_by_name(f[4], strlen(f[2]) / 2);
    e->integ = integ_by_name(f[7]);
    if (!e->enc)
        why = "unknown encryption algorithm";
    else if (!e->integ)
        why = "unknown integrity algorithm";
    else
        why = v2_secrets(e, f);
    if (why) {
        v2_free(e);
        return why;
    }
    *out = e;
    return NULL;
}

/* save-keys writes one line per key epoch (RFC 9370): each is kept */
static void store_v2(struct isakmp_keys *k, void *e) { keys_v2_keep(k, e); }

/* A key from hex text ("" = none) into bytes and "0x" + lowercase hex text,
 * both in secure memory. */
static bool esp_key(secret_t *bytes, secret_t *text, const char *hex)
{
    if (hex[0] && !secret_from_hex(bytes, hex))
        return false;
    text->len = bytes->len ? 2 * bytes->len + 3 : 1;
    text->p = crypto_secure_alloc(text->len);
    char *t = (char *)text->p;
    t[0] = 0;
    if (bytes->len) {
        memcpy(t, "0x", 2);
        hex_encode(bytes->p, bytes->len, t + 2, text->len - 2);
    }
    return true;
}

/* The numeric SPI of "0x" + 1..8 hex digits; 0 for wildcards and others. */
static uint32_t esp_spi_value(const char *spi)
{
    if (spi[0] != '0' || (spi[1] != 'x' && spi[1] != 'X'))
        return 0;
    size_t n = strlen(spi + 2);
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        int x = hex_digit(spi[2 + i]);
        if (n > 8 || x < 0)
            return 0;
        v = v << 4 | (uint32_t)x;
    }
    return v;
}

static void esp_store(struct isakmp_keys *k, key_esp *e) { esp_store_in(tables_own(k), e); }

/* The longest ESP key (HMAC-SHA2-512's 64 bytes; AES-256-GCM's is 36). */
#define ESP_MAX_KEY 64

/* What Wireshark's esp_sa table allows in the protocol and SPI fields:
 * IPv4, IPv6 or Any; "*" or 0x and 1 to 8 hex digits. NULL when they do. */
static const char *esp_fields_check(const char *const f[8])
{
    if (strcmp(f[0], "IPv4") && strcmp(f[0], "IPv6") && strcmp(f[0], "Any"))
        return "protocol must be IPv4, IPv6 or Any";
    bool hex = f[3][0] == '0' && (f[3][1] == 'x' || f[3][1] == 'X');
    size_t n = hex ? strlen(f[3] + 2) : 0;
    hex = hex && n >= 1 && n <= 8 && strspn(f[3] + 2, "0123456789abcdefABCDEF") == n;
    if (strcmp(f[3], "*") && !hex)
        return "SPI must be * or 0x and 1 to 8 hex digits";
    return NULL;
}

/* An entry from the eight esp_sa fields; NULL (with *why) when a field is bad. */
static key_esp *esp_new(const char *const f[8], const char **why)
{
    key_esp *e = g_new0(key_esp, 1);
    e->proto = g_strdup(f[0]);
    e->src = g_strdup(f[1]);
    e->dst = g_strdup(f[2]);
    e->spi = g_strdup(f[3]);
    e->enc_alg = g_strdup(f[4]);
    e->auth_alg = g_strdup(f[6]);
    e->af = !strcmp(f[0], "IPv4") ? 4 : !strcmp(f[0], "IPv6") ? 6 : 0;
    e->spi_value = esp_spi_value(f[3]);
    *why = esp_fields_check(f);
    if (!*why &&
        (!esp_key(&e->enc_key, &e->enc_hex, f[5]) || !esp_key(&e->auth_key, &e->auth_hex, f[7])))
        *why = "keys must be hex";
    if (!*why && (e->enc_key.len > ESP_MAX_KEY || e->auth_key.len > ESP_MAX_KEY))
        *why = "key longer than 64 bytes";
    if (*why) {
        esp_free(e);
        return NULL;
    }
    return e;
}

/* Wireshark esp_sa: protocol, src, dst, SPI, encryption, key, auth, key. */
static const char *parse_esp(char **f, int n, void **out)
{
    if (n != 8)
        return "expected 8 fields: protocol, source, destination, SPI, encryption, key, "
               "authentication, key";
    const char *why = NULL;
    const char *cf[8];
    for (int i = 0; i < 8; i++)
        cf[i] = f[i];
    *out = esp_new(cf, &why);
    return why;
}

static void store_esp(struct isakmp_keys *k, void *e) { esp_store(k, e); }

const char *keys_esp_add_fields(struct isakmp_keys *k, const char *const f[8])
{
    const char *why = NULL;
    key_esp *e = esp_new(f, &why);
    if (e)
        esp_store(k, e);
    return why;
}

bool keys_esp_add(struct isakmp_keys *k, const isakmp_esp_sa *sa)
{
    if (!sa->src || !sa->dst || !sa->encr_alg || !sa->integ_alg || (sa->af != 4 && sa->af != 6))
        return false;
    char spi[16];
    snprintf(spi, sizeof spi, "0x%08x", sa->spi);
    const char *f[8] = { sa->af == 6 ? "IPv6" : "IPv4", sa->src, sa->dst, spi, sa->encr_alg,
                         sa->encr_key ? sa->encr_key : "", sa->integ_alg,
                         sa->integ_key ? sa->integ_key : "" };
    const char *why;
    key_esp *e = esp_new(f, &why);
    if (e)
        esp_store(k, e);
    return e != NULL;
}

/* ---------------------------------------------------------------- formats */

static bool uat_comment(const char *line)
{
    while (*line == ' ' || *line == '\t')
        line++;
    return *line == 0 || *line == '#';
}

/* Detectors look at the first data line's fields. */
static bool detect_v1(char **f, int n) { return n == 2 && strlen(f[0]) == 16; }
static bool detect_v2(char **f, int n) { return n == 8 && strlen(f[0]) == 16 && strlen(f[1]) == 16; }
static bool detect_esp(char **f, int n)
{
    return n == 8 && (strcmp(f[0], "IPv4") == 0 || strcmp(f[0], "IPv6") == 0 ||
                      strcmp(f[0], "Any") == 0 || strcmp(f[0], "*") == 0);
}

static const struct {
    const char *name;
    bool (*detect)(char **f, int n);
    parse_fn parse;
    store_fn store;
} formats[] = {
    { "ikev1_decryption_table", detect_v1, parse_v1, store_v1 },
    { "ikev2_decryption_table", detect_v2, parse_v2, store_v2 },
    { "esp_sa", detect_esp, parse_esp, store_esp },
};

typedef struct {
    const char *name;
    isakmp_key_error_fn on_error;
    void *user;
    const char *format;   /* the UAT table's name, once known */
} load_ctx;

static void report(const load_ctx *lc, size_t line, const char *reason)
{
    if (!lc->on_error)
        return;
    char where[512];
    snprintf(where, sizeof where, "%s:%zu", lc->name, line);
    lc->on_error(lc->user, where, reason);
}

/* Wipes what uat_split can have written of a line into buf: a byte per
 * byte of the line and a NUL per field (wiping all 4 KiB per line was a
 * fifth of loading). */
static void wipe_split(char *buf, size_t size, const char *line)
{
    secure_wipe(buf, MIN(size, strlen(line) + UAT_MAX_FIELDS + 1));
}

/* The format that detects a (data) line, or -1. */
static int detect_line(const char *line)
{
    char buf[4096];
    char *f[UAT_MAX_FIELDS];
    int n = uat_split(line, buf, sizeof buf, f), fmt = -1;
    for (size_t j = 0; fmt < 0 && n > 0 && j < G_N_ELEMENTS(formats); j++)
        if (formats[j].detect(f, n))
            fmt = (int)j;
    wipe_split(buf, sizeof buf, line);
    return fmt;
}

/* The format of the first data line one of the formats detects, and that
 * line's index; -1 when none does. */
static int uat_format(char **lines, size_t *at)
{
    for (size_t i = 0; lines[i]; i++) {
        int fmt = uat_comment(lines[i]) ? -1 : detect_line(lines[i]);
        if (fmt >= 0) {
            *at = i;
            return fmt;
        }
    }
    return -1;
}

/* A line parsed: a comment, the entry to store, or why there is none. */
typedef struct {
    bool comment;
    void *entry;
    const char *why;
} parsed_line;

/* Lines [from, to) of a table parsed into out[from, to); the format is
 * known from line `at` on (fmt), the lines before it are of none. */
typedef struct {
    char **lines;
    size_t from, to, at;
    int fmt;
    parsed_line *out;
} parse_job;

static void *parse_lines(void *p)
{
    const parse_job *j = p;
    char buf[4096];
    char *f[UAT_MAX_FIELDS];
    for (size_t i = j->from; i < j->to; i++) {
        parsed_line *o = &j->out[i];
        *o = (parsed_line){ .comment = uat_comment(j->lines[i]) };
        if (o->comment)
            continue;
        int n = uat_split(j->lines[i], buf, sizeof buf, f);
        o->why = n < 0 ? "malformed line (quotes or too many fields)"
                 : i < j->at ? "unknown key file format"
                             : formats[j->fmt].parse(f, n, &o->entry);
        wipe_split(buf, sizeof buf, j->lines[i]);
    }
    return NULL;
}

#define PARSE_THREADS 4
#define PARSE_SPLIT_LINES 4096   /* fewer lines: one thread, the start costs more */

/* Parses lines[0, n) on up to PARSE_THREADS threads (a large table's hex
 * and secure copies were most of the time before the first packet). */
static void parse_all(char **lines, size_t n, size_t at, int fmt, parsed_line *out)
{
    unsigned t = n < PARSE_SPLIT_LINES ? 1 : MIN(g_get_num_processors(), PARSE_THREADS);
    parse_job jobs[PARSE_THREADS];
    pthread_t th[PARSE_THREADS];
    bool started[PARSE_THREADS] = { false };
    for (unsigned i = 0; i < t; i++) {
        jobs[i] = (parse_job){ lines, n * i / t, n * (i + 1) / t, at, fmt, out };
        if (i > 0)
            started[i] = pthread_create(&th[i], NULL, parse_lines, &jobs[i]) == 0;
    }
    parse_lines(&jobs[0]);
    for (unsigned i = 1; i < t; i++) {
        if (started[i])
            pthread_join(th[i], NULL);
        else   /* no thread: this one */
            parse_lines(&jobs[i]);
    }
}

/* Loads the lines of a UAT table; the first data line a format detects
 * picks it.  Lines are parsed in parallel and stored in order, so a later
 * line for the same SA replaces (or joins) an earlier one as it did. */
static int load_uat(struct isakmp_keys *k, load_ctx *lc, char **lines)
{
    size_t n = 0, at = 0;
    while (lines[n])
        n++;
    int fmt = uat_format(lines, &at);
    if (fmt < 0)
        at = n;
    else
        lc->format = formats[fmt].name;
    parsed_line *out = g_new(parsed_line, n ? n : 1);
    parse_all(lines, n, at, fmt, out);
    int loaded = 0;
    for (size_t i = 0; i < n; i++) {
        if (out[i].comment)
            continue;
        if (out[i].why) {
            report(lc, i + 1, out[i].why);
            continue;
        }
        formats[fmt].store(k, out[i].entry);
        loaded++;
    }
    g_free(out);
    return loaded;
}

/* True when no line holds anything but blanks and '#' comments: an empty
 * table (Wireshark writes a comment header), a valid one. */
bool keys_only_comments(char **lines)
{
    for (size_t i = 0; lines[i]; i++)
        if (!uat_comment(lines[i]))
            return false;
    return true;
}

/* True when the first data line is a line of one of the UAT tables. */
bool keys_detect_uat(char **lines)
{
    for (size_t i = 0; lines[i]; i++)
        if (!uat_comment(lines[i]))
            return detect_line(lines[i]) >= 0;
    return false;
}

int keys_load_uat(struct isakmp_keys *k, const char *name, char **lines,
                  isakmp_key_error_fn on_error, void *user, const char **format)
{
    load_ctx lc = { name, on_error, user, NULL };
    int n = load_uat(k, &lc, lines);
    *format = lc.format;
    return n;
}

/* ---------------------------------------------------------------- sources */

size_t keys_source_add(struct isakmp_keys *k, const char *name, const char *format)
{
    source_t *s = g_new0(source_t, 1);
    s->name = g_strdup(name);
    s->pub.name = s->name;
    s->pub.format = format;
    g_ptr_array_add(k->sources, s);
    return k->sources->len - 1;
}

isakmp_key_source *keys_source(struct isakmp_keys *k, size_t i)
{
    return i < k->sources->len ? &((source_t *)k->sources->pdata[i])->pub : NULL;
}

void keys_source_note(struct isakmp_keys *k, size_t i, const char *note)
{
    source_t *s = i < k->sources->len ? k->sources->pdata[i] : NULL;
    if (!s)
        return;
    g_free(s->note);
    s->note = g_strdup(note);
    s->pub.note = s->note;
}

size_t isakmp_ctx_key_source_count(const isakmp_ctx *ctx)
{
    return ctx->keys->sources->len;
}

bool isakmp_ctx_key_source(const isakmp_ctx *ctx, size_t i, isakmp_key_source *out)
{
    const isakmp_key_source *s = keys_source(ctx->keys, i);
    if (s)
        *out = *s;
    return s != NULL;
}
