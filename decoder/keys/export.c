/*
 * Keys out as Wireshark 4.0 UAT files.  Formats as tshark 4.0 reads them:
 *   ikev1_decryption_table  icookie,key                       (hex, no quotes)
 *   ikev2_decryption_table  spii,spir,sk_ei,sk_er,"encr",sk_ai,sk_ar,"integ"
 *   esp_sa                  "IPv4","src","dst","0xSPI","encr","0xkey","auth","0xkey"
 * (see ../shared/peer-suite/wireshark/ for files tshark's own tests use).
 */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/secure.h"
#include "keys/export.h"
#include "core/hex.h"
#include "keys/keys.h"

struct export_store {
    GArray *v1, *v2, *esp;
    /* an entry's identity (entry_id) -> its index + 1 in its array: each
     * add walked its array, so deriving the keys of many SAs was quadratic */
    GHashTable *at;
    /* keys_esp_sa_get's list: the indices in esp of the SAs the key store
     * lacks, as they were for unknown_exp exports and unknown_keys key store
     * SAs (each look-up, a packet's, walked the exports and the key store) */
    GArray *unknown;
    size_t unknown_exp, unknown_keys;
};

/* An entry's identity: its kind, the bytes that name it, and an epoch or
 * an address. */
static char *entry_id(char kind, const uint8_t *b, size_t n, unsigned epoch, const char *addr)
{
    char hex[33];
    hex_encode(b, n, hex, sizeof hex);
    return g_strdup_printf("%c%s/%u/%s", kind, hex, epoch, addr ? addr : "");
}

/* Stores e (of a's element size) in place of the entry with its identity
 * id, or appends it; takes id. */
static void put(struct export_store *s, GArray *a, char *id, const void *e)
{
    guint at = GPOINTER_TO_UINT(g_hash_table_lookup(s->at, id));
    guint size = g_array_get_element_size(a);
    if (at) {
        memcpy(a->data + (size_t)(at - 1) * size, e, size);
        g_free(id);
        return;
    }
    g_array_append_vals(a, e, 1);
    g_hash_table_insert(s->at, id, GUINT_TO_POINTER(a->len));
}

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
    s->at = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return s;
}

void export_store_free(struct export_store *s)
{
    if (!s)
        return;
    wipe_array(s->v1);
    wipe_array(s->v2);
    wipe_array(s->esp);
    g_hash_table_destroy(s->at);
    if (s->unknown)
        g_array_free(s->unknown, TRUE);
    g_free(s);
}

void export_add_v1(struct export_store *s, const export_v1 *e)
{
    put(s, s->v1, entry_id('1', e->icookie, 8, 0, NULL), e);
}

void export_add_v2(struct export_store *s, const export_v2 *e)
{
    uint8_t spis[16];
    memcpy(spis, e->spii, 8);
    memcpy(spis + 8, e->spir, 8);
    put(s, s->v2, entry_id('2', spis, 16, e->epoch, NULL), e);
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
    uint8_t spi[4] = { (uint8_t)(e->spi >> 24), (uint8_t)(e->spi >> 16), (uint8_t)(e->spi >> 8),
                       (uint8_t)e->spi };
    put(s, s->esp, entry_id('e', spi, 4, 0, e->dst), &c);
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

static bool esp_wireshark(const export_esp *e);

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
        else if (esp_wireshark(&g_array_index(a, export_esp, i)))
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

/* ---------------------------------------------------------------- merging into files */

/*
 * Exports never destroy: each table in the folder is read (never through a
 * symbolic link), its rows for other SAs are kept in place, a row for an SA
 * we export is replaced by ours, ours for new SAs go at the end; then the
 * whole text goes to a new 0600 file in the same folder that is renamed over
 * the old one (a link planted meanwhile is replaced, never followed).
 */

/* What identifies a row's SA: the first `n` fields (separated by `sep`,
 * "quoted" or not, compared without case), or for psk-crack lines the
 * cookies (fields 3 and 4). */
static const struct {
    char sep;
    int first, n;
} row_ids[EXPORT_KIND_COUNT] = {
    [EXPORT_V1] = { ',', 0, 1 },    /* initiator cookie */
    [EXPORT_V2] = { ',', 0, 2 },    /* SPIi, SPIr */
    [EXPORT_ESP] = { ',', 0, 4 },   /* protocol, source, destination, SPI */
    [EXPORT_PSK] = { ':', 2, 2 },   /* cky_r, cky_i */
};

/* The SA a row is for, as a new string; NULL for comments, blank lines and
 * rows too short to say (kept as they are). */
static char *row_id(const char *line, export_kind kind)
{
    while (*line == ' ' || *line == '\t')
        line++;
    if (*line == 0 || *line == '#' || *line == '\r')
        return NULL;
    GString *id = g_string_new(NULL);
    int field = 0, last = row_ids[kind].first + row_ids[kind].n;
    bool quoted = false;
    for (const char *p = line; *p && *p != '\r' && field < last; p++) {
        if (*p == '"' && kind != EXPORT_PSK) {
            quoted = !quoted;
        } else if (*p == row_ids[kind].sep && !quoted) {
            if (++field > row_ids[kind].first && field < last)
                g_string_append_c(id, '|');
        } else if (field >= row_ids[kind].first) {
            g_string_append_c(id, g_ascii_tolower(*p));
        }
    }
    if (field < last - 1) {   /* not all the fields that say which SA */
        g_string_free(id, TRUE);
        return NULL;
    }
    return g_string_free(id, FALSE);
}

/* The lines of a text (without their newlines), wiped when freed. */
static gchar **text_lines(const char *text, size_t len)
{
    gchar *copy = g_strndup(text, len);
    gchar **lines = g_strsplit(copy, "\n", -1);
    secure_wipe(copy, len);
    g_free(copy);
    return lines;
}

static void lines_free(gchar **lines)
{
    for (size_t i = 0; lines && lines[i]; i++)
        secure_wipe(lines[i], strlen(lines[i]));
    g_strfreev(lines);
}

/* An IKEv2 row's SA with the row's place among the text's rows for the
 * same SPI pair ("#0", "#1", ...): one line per key epoch (RFC 9370, as
 * save-keys writes them) replaces the old text's lines of that pair in
 * order.  Other kinds: the SA as it is. */
static char *row_key(const char *line, export_kind kind, GHashTable *seen)
{
    char *id = row_id(line, kind);
    if (!id || kind != EXPORT_V2)
        return id;
    guint k = GPOINTER_TO_UINT(g_hash_table_lookup(seen, id));
    g_hash_table_insert(seen, g_strdup(id), GUINT_TO_POINTER(k + 1));
    char *key = g_strdup_printf("%s#%u", id, k);
    g_free(id);
    return key;
}

GString *export_merge(const char *old, size_t old_len, const char *ours, size_t ours_len,
                      export_kind kind)
{
    GHashTable *seen_o = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
               *seen_n = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    gchar **o = text_lines(old, old_len), **n = text_lines(ours, ours_len);
    GHashTable *mine = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GPtrArray *order = g_ptr_array_new();   /* our rows, first occurrence order */
    for (size_t i = 0; n[i]; i++) {
        char *id = row_key(n[i], kind, seen_n);
        if (!id)
            continue;
        if (!g_hash_table_contains(mine, id))
            g_ptr_array_add(order, id);
        g_hash_table_insert(mine, id, n[i]);   /* a later row for the same SA wins */
    }
    GString *out = g_string_sized_new(old_len + ours_len + 1);   /* no growing: no stray copies */
    for (size_t i = 0; o[i]; i++) {
        if (!o[i + 1] && !*o[i])
            break;   /* the empty tail after the last newline */
        char *id = row_key(o[i], kind, seen_o);
        const char *ours_row = id ? g_hash_table_lookup(mine, id) : NULL;
        if (ours_row == (const char *)1)
            ours_row = "";   /* already written in place of an earlier row */
        g_string_append(out, ours_row ? ours_row : o[i]);
        if (!ours_row || *ours_row)
            g_string_append_c(out, '\n');
        if (ours_row)
            g_hash_table_insert(mine, g_strdup(id), (gpointer)1);
        g_free(id);
    }
    for (guint i = 0; i < order->len; i++) {
        const char *row = g_hash_table_lookup(mine, order->pdata[i]);
        if (row != (const char *)1) {
            g_string_append(out, row);
            g_string_append_c(out, '\n');
        }
    }
    g_ptr_array_free(order, TRUE);
    g_hash_table_destroy(mine);
    g_hash_table_destroy(seen_o);
    g_hash_table_destroy(seen_n);
    lines_free(o);
    lines_free(n);
    return out;
}

/* The file's text into *text (empty when there is no file); never through a
 * symbolic link, never anything but a regular file.  -1 with a reason. */
static int read_nofollow(const char *path, GString **text, char *err, size_t errlen)
{
    *text = NULL;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0 && errno == ENOENT) {
        *text = g_string_new(NULL);
        return 0;
    }
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        bool link = fd < 0 && errno == ELOOP;
        snprintf(err, errlen, "%s: %s", path,
                 link ? "a symbolic link: not followed, nothing written"
                 : fd < 0 ? g_strerror(errno) : "not a regular file: nothing written");
        if (fd >= 0)
            close(fd);
        return -1;
    }
    GString *t = g_string_sized_new((gsize)st.st_size + 1);
    char buf[4096];
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0 || (r < 0 && errno == EINTR))
        if (r > 0)
            g_string_append_len(t, buf, r);
    secure_wipe(buf, sizeof buf);
    close(fd);
    if (r < 0 || memchr(t->str, 0, t->len)) {   /* a NUL: not a text table, not ours to rewrite */
        snprintf(err, errlen, "%s: %s", path,
                 r < 0 ? g_strerror(errno) : "not a text table: nothing written");
        export_text_free(t);
        return -1;
    }
    *text = t;
    return 0;
}

/* Writes `t` to a new 0600 file beside `path` and renames it over `path`. */
static int write_replace(const char *path, const GString *t, char *err, size_t errlen)
{
    gchar *dir = g_path_get_dirname(path), *base = g_path_get_basename(path);
    gchar *tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, base);
    int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
    bool ok = fd >= 0;
    for (size_t off = 0; ok && off < t->len;) {
        ssize_t w = write(fd, t->str + off, t->len - off);
        if (w < 0 && errno == EINTR)
            continue;
        ok = w > 0;
        off += ok ? (size_t)w : 0;
    }
    ok = ok && fsync(fd) == 0;
    if (fd >= 0 && close(fd) != 0)
        ok = false;
    ok = ok && rename(tmp, path) == 0;
    if (!ok) {
        int e = errno;
        snprintf(err, errlen, "%s: %s", fd < 0 ? dir : path, g_strerror(e));
        if (fd >= 0)
            g_unlink(tmp);
    }
    g_free(tmp);
    g_free(base);
    g_free(dir);
    return ok ? 0 : -1;
}

int export_merge_file(const char *path, const char *ours, size_t len, export_kind kind,
                      char *err, size_t errlen)
{
    GString *old;
    if (read_nofollow(path, &old, err, errlen) < 0)
        return -1;
    GString *t = export_merge(old->str, old->len, ours, len, kind);
    int r = write_replace(path, t, err, errlen);
    export_text_free(t);
    export_text_free(old);
    return r;
}

int export_merge_dir(const char *dir, GString *const ours[3], char *err, size_t errlen)
{
    if (!g_file_test(dir, G_FILE_TEST_IS_DIR) && g_mkdir_with_parents(dir, 0700) != 0) {
        snprintf(err, errlen, "%s: %s", dir, g_strerror(errno));
        return -1;
    }
    GString *old[3] = { NULL, NULL, NULL };
    gchar *path[3];
    int r = 0;
    for (int i = 0; i < 3; i++) {   /* every table read before any is written */
        path[i] = g_build_filename(dir, table_names[i], NULL);
        if (r == 0 && read_nofollow(path[i], &old[i], err, errlen) < 0)
            r = -1;
    }
    for (int i = 0; i < 3; i++) {
        if (r == 0) {
            GString *t = export_merge(old[i]->str, old[i]->len, ours[i]->str, ours[i]->len,
                                      (export_kind)i);
            r = write_replace(path[i], t, err, errlen);
            export_text_free(t);
        }
        if (old[i])
            export_text_free(old[i]);
        g_free(path[i]);
    }
    return r;
}

int export_merge_text(const char *dir, const char *text, size_t len, char *err, size_t errlen)
{
    GString *ours[3];
    for (int i = 0; i < 3; i++)
        ours[i] = g_string_sized_new(len + 1);
    gchar **lines = text_lines(text, len);
    int cur = -1;
    for (size_t i = 0; lines[i]; i++) {
        bool header = false;
        for (int j = 0; j < 3; j++)
            if (lines[i][0] == '#' && !strcmp(g_strstrip(lines[i] + 1), table_names[j])) {
                cur = j;
                header = true;
            }
        if (!header && cur >= 0 && *lines[i]) {
            g_string_append(ours[cur], lines[i]);
            g_string_append_c(ours[cur], '\n');
        }
    }
    lines_free(lines);
    int r = export_merge_dir(dir, ours, err, errlen);
    for (int i = 0; i < 3; i++)
        export_text_free(ours[i]);
    return r;
}

int export_write(const struct export_store *s, const char *dir, char *err, size_t errlen)
{
    GString *t[3];
    for (int i = 0; i < 3; i++)
        t[i] = file_text(s, i);
    int r = export_merge_dir(dir, t, err, errlen);
    for (int i = 0; i < 3; i++)
        export_text_free(t[i]);
    return r;
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
    /* beyond Wireshark's esp_sa (IANA names, which the crypto tables and
     * the ESP decryption read; not written to the esp_sa table) */
    { 14, "ENCR_AES_CCM_8" },
    { 15, "ENCR_AES_CCM_12" },
    { 16, "ENCR_AES_CCM_16" },
    { 28, "ENCR_CHACHA20_POLY1305" },
    { 21, "ENCR_NULL_AUTH_AES_GMAC" },   /* RFC 4543 */
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
    { 5, "AUTH_AES_XCBC_96" },   /* beyond Wireshark's esp_sa, as above */
    { 8, "AUTH_AES_CMAC_96" },
};

/* True when both names are Wireshark's (an IANA name is not): the esp_sa
 * table gets only those rows. */
static bool esp_wireshark(const export_esp *e)
{
    return strncmp(e->encr_name, "ENCR_", 5) != 0 && strncmp(e->integ_name, "AUTH_", 5) != 0;
}

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

/* The "SPI/destination" a key store or exported SA is known by. */
static char *esp_known_id(uint32_t spi, const char *dst)
{
    return g_strdup_printf("%08x/%s", spi, dst);
}

/* The indices of the exported ESP SAs the key store lacks, in export
 * order, made again when either side has more SAs (an SA replaced keeps
 * its SPI and destination, so its side of the list). */
static const GArray *esp_unknown(isakmp_ctx *ctx)
{
    struct export_store *x = ctx->kdf ? ctx->keying->exports(ctx) : NULL;
    if (!x)
        return NULL;
    size_t nexp = export_esp_count(x), nkeys = keys_esp_count(ctx->keys);
    if (x->unknown && x->unknown_exp == nexp && x->unknown_keys == nkeys)
        return x->unknown;
    GHashTable *known = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (size_t i = 0; i < nkeys; i++) {
        const key_esp *e = keys_esp_get(ctx->keys, i);
        g_hash_table_add(known, esp_known_id(e->spi_value, e->dst));
    }
    if (!x->unknown)
        x->unknown = g_array_new(FALSE, FALSE, sizeof(guint));
    g_array_set_size(x->unknown, 0);
    for (guint j = 0; j < nexp; j++) {
        const export_esp *e = export_esp_get(x, j);
        char *id = esp_known_id(e->spi, e->dst);
        if (!g_hash_table_contains(known, id))
            g_array_append_val(x->unknown, j);
        g_free(id);
    }
    g_hash_table_destroy(known);
    x->unknown_exp = nexp;
    x->unknown_keys = nkeys;
    return x->unknown;
}

/* The i-th derived SA of the export store that the key store lacks, or
 * NULL; with count, their number in *count instead. */
static const export_esp *esp_derived(isakmp_ctx *ctx, size_t i, size_t *count)
{
    const GArray *u = esp_unknown(ctx);
    if (count) {
        *count = u ? u->len : 0;
        return NULL;
    }
    if (!u || i >= u->len)
        return NULL;
    return export_esp_get(ctx->keying->exports(ctx), g_array_index(u, guint, i));
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

int isakmp_export_keys_merge(const char *dir, const char *text, size_t len, char *err,
                             size_t errlen)
{
    char buf[256];
    return export_merge_text(dir, text, len, err ? err : buf, err ? errlen : sizeof buf);
}

int isakmp_export_psk_crack_merge(const char *path, const char *text, size_t len, char *err,
                                  size_t errlen)
{
    char buf[256];
    return export_merge_file(path, text, len, EXPORT_PSK, err ? err : buf,
                             err ? errlen : sizeof buf);
}

size_t isakmp_ctx_export_keys_mem(isakmp_ctx *ctx, char *buf, size_t size)
{
    return export_text_out(export_text(ctx->keying->exports(ctx)), buf, size);
}
