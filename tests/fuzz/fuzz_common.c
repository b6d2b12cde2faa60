/* Shared by the libFuzzer harnesses (see fuzz_common.h). */
#include "fuzz_common.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef ISAKMP_SHARED_DIR
#define ISAKMP_SHARED_DIR ""
#endif

/* ---------------------------------------------------------------- key sets */

/* IKEv2: one line per cipher family Wireshark's ikev2_decryption_table knows,
 * with key lengths as that table wants them (AES-CTR/GCM key || 4-byte salt,
 * AES-CCM key || 3-byte salt). */
static const struct {
    const char *enc;
    size_t enc_len;
    const char *integ;
    size_t integ_len;
} v2_builtin[] = {
    { "NULL [RFC2410]", 0, "NONE [RFC4306]", 0 },
    { "3DES [RFC2451]", 24, "HMAC_SHA1_96 [RFC2404]", 20 },
    { "AES-CBC-128 [RFC3602]", 16, "HMAC_SHA1_96 [RFC2404]", 20 },
    { "AES-CBC-192 [RFC3602]", 24, "HMAC_MD5_96 [RFC2403]", 16 },
    { "AES-CBC-256 [RFC3602]", 32, "HMAC_SHA2_256_128 [RFC4868]", 32 },
    { "AES-CBC-128 [RFC3602]", 16, "ANY 96-bits of Authentication [No Checking]", 0 },
    { "AES-CTR-128 [RFC5930]", 20, "HMAC_SHA2_384_192 [RFC4868]", 48 },
    { "AES-CTR-256 [RFC5930]", 36, "HMAC_SHA2_512_256 [RFC4868]", 64 },
    { "AES-GCM-128 with 16 octet ICV [RFC5282]", 20, "NONE [RFC4306]", 0 },
    { "AES-GCM-256 with 8 octet ICV [RFC5282]", 36, "NONE [RFC4306]", 0 },
    { "AES-CCM-128 with 8 octet ICV [RFC5282]", 19, "NONE [RFC4306]", 0 },
    { "AES-CCM-256 with 16 octet ICV [RFC5282]", 35, "NONE [RFC4306]", 0 },
};

/* IKEv1: the Phase 1 cipher comes from the SA the preamble negotiates
 * (RFC 2409 Appendix A attribute values). */
static const struct {
    int enc, keylen, hash;
    size_t key_len, block;
} v1_builtin[] = {
    { 1, 0, 1, 8, 8 },       /* DES-CBC, MD5 */
    { 5, 0, 2, 24, 8 },      /* 3DES-CBC, SHA */
    { 7, 128, 2, 16, 16 },   /* AES-CBC-128, SHA */
    { 7, 192, 6, 24, 16 },   /* AES-CBC-192, SHA2-512 */
    { 7, 256, 4, 32, 16 },   /* AES-CBC-256, SHA2-256 */
};

static GArray *g_sets;        /* fz_keyset */
static GPtrArray *g_tables;   /* key table texts (char *) */

static void hex_pattern(GString *s, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        g_string_append_printf(s, "%02x", (unsigned)((seed * 31 + i * 7 + 1) & 0xff));
}

static void spi_pattern(uint8_t *out, unsigned seed, unsigned role)
{
    for (int i = 0; i < 8; i++)
        out[i] = (uint8_t)(0xf0 + role + (i == 7 ? seed : 0));
}

static void hex8(GString *s, const uint8_t *b)
{
    for (int i = 0; i < 8; i++)
        g_string_append_printf(s, "%02x", b[i]);
}

static bool parse_hex8(const char *p, uint8_t *out)
{
    for (int i = 0; i < 8; i++) {
        if (!g_ascii_isxdigit(p[2 * i]) || !g_ascii_isxdigit(p[2 * i + 1]))
            return false;
        out[i] = (uint8_t)(g_ascii_xdigit_value(p[2 * i]) << 4 | g_ascii_xdigit_value(p[2 * i + 1]));
    }
    return true;
}

static void builtin_sets(void)
{
    GString *t2 = g_string_new("");
    for (unsigned i = 0; i < G_N_ELEMENTS(v2_builtin); i++) {
        fz_keyset ks = { .version = 2, .builtin = 1 };
        spi_pattern(ks.ispi, i, 1);
        spi_pattern(ks.rspi, i, 2);
        hex8(t2, ks.ispi);
        g_string_append_c(t2, ',');
        hex8(t2, ks.rspi);
        g_string_append_c(t2, ',');
        hex_pattern(t2, v2_builtin[i].enc_len, 2 * i);
        g_string_append_c(t2, ',');
        hex_pattern(t2, v2_builtin[i].enc_len, 2 * i + 1);
        g_string_append_printf(t2, ",\"%s\",", v2_builtin[i].enc);
        hex_pattern(t2, v2_builtin[i].integ_len, 2 * i + 40);
        g_string_append_c(t2, ',');
        hex_pattern(t2, v2_builtin[i].integ_len, 2 * i + 41);
        g_string_append_printf(t2, ",\"%s\"\n", v2_builtin[i].integ);
        g_array_append_val(g_sets, ks);
    }
    g_ptr_array_add(g_tables, g_string_free(t2, FALSE));

    GString *t1 = g_string_new("");
    for (unsigned i = 0; i < G_N_ELEMENTS(v1_builtin); i++) {
        fz_keyset ks = { .version = 1, .builtin = 1, .v1_enc = v1_builtin[i].enc,
                         .v1_keylen = v1_builtin[i].keylen, .v1_hash = v1_builtin[i].hash,
                         .v1_iv_len = v1_builtin[i].block };
        spi_pattern(ks.ispi, i, 8);
        spi_pattern(ks.rspi, i, 9);
        hex8(t1, ks.ispi);
        g_string_append_c(t1, ',');
        hex_pattern(t1, v1_builtin[i].key_len, 100 + i);
        g_string_append_c(t1, '\n');
        g_array_append_val(g_sets, ks);
    }
    g_ptr_array_add(g_tables, g_string_free(t1, FALSE));
}

/* A peer-suite key table: load it as it is, and remember its SPIs so that
 * seeds taken from the peer captures decrypt. */
static void peer_table(const char *path, int version)
{
    gchar *text;
    gsize len;
    if (!g_file_get_contents(path, &text, &len, NULL))
        return;
    gchar **lines = g_strsplit(text, "\n", -1);
    for (gchar **l = lines; *l; l++) {
        fz_keyset ks = { .version = version, .v1_enc = 5, .v1_hash = 2, .v1_iv_len = 8 };
        if (strlen(*l) < 16 || !parse_hex8(*l, ks.ispi))
            continue;
        if (version == 2 && (strlen(*l) < 33 || !parse_hex8(*l + 17, ks.rspi)))
            continue;
        g_array_append_val(g_sets, ks);
    }
    g_strfreev(lines);
    g_ptr_array_add(g_tables, text);
}

static void sets_init(void)
{
    if (g_sets)
        return;
    g_sets = g_array_new(FALSE, TRUE, sizeof(fz_keyset));
    g_tables = g_ptr_array_new();
    builtin_sets();
    const char *dir = getenv("ISAKMP_FUZZ_KEYDIR");
    gchar *base = dir ? g_strdup(dir) : g_build_filename(ISAKMP_SHARED_DIR, "peer-suite", NULL);
    static const struct {
        const char *rel;
        int version;
    } tables[] = {
        { "wireshark/ikev1_decryption_table", 1 },
        { "wireshark/ikev2_decryption_table", 2 },
        { "wireshark-wiki/ikev2-esp-natt/ikev2_decryption_table", 2 },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(tables); i++) {
        gchar *p = g_build_filename(base, tables[i].rel, NULL);
        peer_table(p, tables[i].version);
        g_free(p);
    }
    g_free(base);
}

size_t fz_keyset_count(void)
{
    sets_init();
    return g_sets->len;
}

const fz_keyset *fz_keyset_get(size_t i)
{
    sets_init();
    return &g_array_index(g_sets, fz_keyset, i % g_sets->len);
}

const fz_keyset *fz_keyset_for(const uint8_t *msg, size_t len)
{
    sets_init();
    for (guint i = 0; len >= 16 && i < g_sets->len; i++) {
        const fz_keyset *ks = &g_array_index(g_sets, fz_keyset, i);
        if (memcmp(ks->ispi, msg, 8) == 0 &&
            ((ks->version == 1 && !ks->builtin) || memcmp(ks->rspi, msg + 8, 8) == 0))
            return ks;
    }
    return NULL;
}

void fz_load_keys(isakmp_ctx *ctx)
{
    sets_init();
    for (guint i = 0; i < g_tables->len; i++) {
        const char *t = g_tables->pdata[i];
        isakmp_ctx_load_keys_mem(ctx, "fuzz-keys", t, strlen(t), NULL, NULL);
    }
}

void fz_stamp(const fz_keyset *ks, uint8_t *msg, size_t len)
{
    if (len >= 8)
        memcpy(msg, ks->ispi, 8);
    if (len >= 16 && (ks->version == 2 || ks->builtin))
        memcpy(msg + 8, ks->rspi, 8);
}

/* ---------------------------------------------------------------- IKEv1 preamble */

static void put16(GByteArray *b, unsigned v)
{
    uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };
    g_byte_array_append(b, x, 2);
}

static void put32(GByteArray *b, uint32_t v)
{
    put16(b, v >> 16);
    put16(b, v & 0xffff);
}

static void set16(GByteArray *b, size_t at, unsigned v)
{
    b->data[at] = (uint8_t)(v >> 8);
    b->data[at + 1] = (uint8_t)v;
}

/* RFC 2408 3.1 header; the length is fixed up by v1_end. */
static GByteArray *v1_begin(const fz_keyset *ks, bool responder, uint8_t next)
{
    GByteArray *b = g_byte_array_new();
    static const uint8_t zero[8];
    g_byte_array_append(b, ks->ispi, 8);
    g_byte_array_append(b, responder ? ks->rspi : zero, 8);
    uint8_t x[4] = { next, 0x10, 2 /* Identity Protection */, 0 };
    g_byte_array_append(b, x, 4);
    put32(b, 0);
    put32(b, 0);
    return b;
}

static void v1_end(isakmp_ctx *ctx, GByteArray *b, uint32_t frame)
{
    set16(b, 24, 0);
    set16(b, 26, b->len);
    fz_decode_walk(ctx, b->data, b->len, frame, 500, 0);
    g_byte_array_free(b, TRUE);
}

static void v1_sa(GByteArray *b, const fz_keyset *ks)
{
    size_t sa = b->len;
    uint8_t h[4] = { 0, 0, 0, 0 };
    g_byte_array_append(b, h, 4);
    put32(b, 1);   /* DOI IPsec */
    put32(b, 1);   /* SIT_IDENTITY_ONLY */
    size_t p = b->len;
    g_byte_array_append(b, h, 4);
    uint8_t prop[4] = { 1, 1 /* PROTO_ISAKMP */, 0, 1 };
    g_byte_array_append(b, prop, 4);
    size_t t = b->len;
    g_byte_array_append(b, h, 4);
    uint8_t tr[4] = { 1, 1 /* KEY_IKE */, 0, 0 };
    g_byte_array_append(b, tr, 4);
    const unsigned attrs[][2] = { { 1, (unsigned)ks->v1_enc }, { 2, (unsigned)ks->v1_hash },
                                  { 3, 1 }, { 4, 2 }, { 11, 1 }, { 12, 28800 },
                                  { 14, (unsigned)ks->v1_keylen } };
    for (size_t i = 0; i < G_N_ELEMENTS(attrs); i++) {
        if (attrs[i][0] == 14 && !ks->v1_keylen)
            continue;
        put16(b, 0x8000 | attrs[i][0]);
        put16(b, attrs[i][1]);
    }
    set16(b, t + 2, b->len - t);
    set16(b, p + 2, b->len - p);
    set16(b, sa + 2, b->len - sa);
}

static void v1_ke_nonce(GByteArray *b, unsigned seed)
{
    uint8_t h[4] = { 10 /* Nonce */, 0, 0, 4 + 128 };
    g_byte_array_append(b, h, 4);
    for (unsigned i = 0; i < 128; i++) {
        uint8_t v = (uint8_t)(seed * 13 + i * 3);
        g_byte_array_append(b, &v, 1);
    }
    uint8_t n[4] = { 0, 0, 0, 4 + 16 };
    g_byte_array_append(b, n, 4);
    for (unsigned i = 0; i < 16; i++) {
        uint8_t v = (uint8_t)(seed + i);
        g_byte_array_append(b, &v, 1);
    }
}

uint32_t fz_v1_preamble(isakmp_ctx *ctx, const fz_keyset *ks)
{
    for (unsigned i = 0; i < 2; i++) {
        GByteArray *b = v1_begin(ks, i == 1, 1 /* SA */);
        v1_sa(b, ks);
        v1_end(ctx, b, 1 + i);
    }
    for (unsigned i = 0; i < 2; i++) {
        GByteArray *b = v1_begin(ks, true, 4 /* KE */);
        v1_ke_nonce(b, i + 1);
        v1_end(ctx, b, 3 + i);
    }
    return 5;
}

/* ---------------------------------------------------------------- walking */

static volatile uint64_t g_sink;   /* keeps the reads from being optimised away */

static void check(bool ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz: invariant violated: %s\n", what);
        abort();
    }
}

static void walk_item(const isakmp_msg *m, const isakmp_item *it)
{
    char buf[256];
    const isakmp_field *f = isakmp_item_field(it);
    check(f != NULL && f->abbrev != NULL, "item without a field");
    size_t src = isakmp_item_source(it), slen = 0;
    check(src < isakmp_msg_source_count(m), "item source out of range");
    isakmp_msg_source_data(m, src, &slen);
    check(isakmp_item_offset(it) <= slen && isakmp_item_length(it) <= slen - isakmp_item_offset(it),
          "item lies outside its data source");
    g_sink += isakmp_item_uint(it);
    size_t n = 0;
    const uint8_t *b = isakmp_item_bytes(it, &n);
    for (size_t i = 0; b && i < n; i++)
        g_sink += b[i];
    const char *s = isakmp_item_value_name(it);
    g_sink += s ? strlen(s) : 0;
    s = isakmp_item_label(it);
    g_sink += s ? strlen(s) : 0;
    g_sink += isakmp_item_generated(it);
    g_sink += isakmp_item_format_value(it, buf, sizeof buf);
    g_sink += isakmp_item_format_display(it, buf, sizeof buf);
    g_sink += isakmp_item_format_value(it, buf, 1);
}

/* Iterative pre-order walk: the tree's depth is whatever the decoder made. */
static void walk(const isakmp_msg *m)
{
    const isakmp_item *root = isakmp_msg_root(m);
    check(root != NULL, "message without a root");
    const isakmp_item *it = root;
    for (;;) {
        walk_item(m, it);
        const isakmp_item *c = isakmp_item_first_child(it);
        if (c) {
            check(isakmp_item_parent(c) == it, "child's parent is not its parent");
            it = c;
            continue;
        }
        for (;;) {
            if (it == root)
                return;
            const isakmp_item *n = isakmp_item_next(it);
            if (n) {
                it = n;
                break;
            }
            it = isakmp_item_parent(it);
            check(it != NULL, "item without a parent below the root");
        }
    }
}

void fz_decode_walk(isakmp_ctx *ctx, const uint8_t *data, size_t len, uint32_t frame,
                    uint16_t port, int flags)
{
    /* the bytes at the very end of a heap block, so ASan sees any over-read */
    uint8_t *copy = malloc(len ? len : 1);
    if (len)
        memcpy(copy, data, len);
    isakmp_packet pkt = { .data = copy, .len = len, .frame = frame, .af = 4,
                          .src = { 192, 0, 2, 1 }, .dst = { 192, 0, 2, 2 },
                          .sport = port, .dport = port, .tcp = flags & 1 };
    isakmp_msg *m = isakmp_decode(ctx, &pkt);
    free(copy);
    check(m != NULL, "isakmp_decode returned NULL");
    walk(m);
    g_sink += (uint64_t)isakmp_msg_version(m);
    const char *s = isakmp_msg_summary(m);
    g_sink += s ? strlen(s) : 0;
    check(isakmp_msg_packet(m) != NULL, "no packet");
    for (size_t i = 0; i < isakmp_msg_source_count(m); i++) {
        size_t n = 0;
        const uint8_t *b = isakmp_msg_source_data(m, i, &n);
        g_sink += strlen(isakmp_msg_source_name(m, i));
        if (n)
            g_sink += b[0] + b[n - 1];
    }
    size_t nn = 0;
    const isakmp_note *notes = isakmp_msg_notes(m, &nn);
    for (size_t i = 0; i < nn; i++) {
        g_sink += strlen(notes[i].text);
        g_sink += strlen(isakmp_severity_name(notes[i].severity));
        g_sink += strlen(isakmp_note_code_name(notes[i].code));
        if (notes[i].item)
            g_sink += isakmp_item_offset(notes[i].item);
    }
    isakmp_msg_free(m);
}

/* ---------------------------------------------------------------- records */

int fz_next_record(fz_reader *r, uint8_t *sel, const uint8_t **msg, size_t *len)
{
    if (r->left < 3)
        return 0;
    *sel = r->p[0];
    size_t want = (size_t)r->p[1] << 8 | r->p[2];
    r->p += 3;
    r->left -= 3;
    *len = want < r->left ? want : r->left;
    *msg = r->p;
    r->p += *len;
    r->left -= *len;
    return 1;
}

/* ---------------------------------------------------------------- direction oracle */

uint32_t fz_hash(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

typedef struct {
    int field;          /* the field whose values are collected; -1: none */
    GString *out;
    GArray *present;    /* field ids seen, with `seen` (NULL: not recorded) */
    bool *seen;
} oracle_walk;

static void oracle_item(const isakmp_item *it, void *user)
{
    oracle_walk *w = user;
    int f = isakmp_item_field(it)->id;
    if (w->present && !w->seen[f]) {
        w->seen[f] = true;
        g_array_append_val(w->present, f);
    }
    if (f != w->field)
        return;
    /* escaped as tshark prints it: a value with a newline would otherwise
     * split its message's line in two (found by fuzz_decode: an ID whose
     * name holds 0x0a, regressions/decode/id-name-with-newline) */
    char buf[256];
    isakmp_item_format_tshark(it, ISAKMP_TSHARK_CURRENT, buf, sizeof buf);
    g_string_append(w->out, buf);
    g_string_append_c(w->out, '|');
}

/* Message i as a packet: IPv4, its port both ways, frame i + 1. */
static isakmp_packet oracle_packet(const fz_msg *msgs, size_t i)
{
    return (isakmp_packet){ .data = msgs[i].data, .len = msgs[i].len, .frame = (uint32_t)i + 1,
                            .af = 4, .src = { 192, 0, 2, 1 }, .dst = { 192, 0, 2, 2 },
                            .sport = msgs[i].port, .dport = msgs[i].port, .tcp = msgs[i].tcp };
}

/* The values of `field` over the messages through a fresh context (directed
 * to that field, or full trees), one line per message. */
static GString *field_values(const fz_msg *msgs, size_t n, bool keys, int field, bool directed,
                             GArray *present, bool *seen)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    if (keys)
        fz_load_keys(ctx);
    if (directed)
        isakmp_ctx_set_fields(ctx, &field, 1);
    oracle_walk w = { field, g_string_new(NULL), present, seen };
    for (size_t i = 0; i < n; i++) {
        isakmp_packet pkt = oracle_packet(msgs, i);
        isakmp_msg *m = isakmp_decode(ctx, &pkt);
        isakmp_msg_walk(m, oracle_item, &w);
        g_string_append_c(w.out, '\n');
        isakmp_msg_free(m);
    }
    isakmp_ctx_free(ctx);
    return w.out;
}

/* The same field's values, each message decoded alone in a fresh stateless
 * context (isakmp_ctx_set_stateless, what isakmpdump --threads does); a
 * message that says it needed state gives the line "?". */
static GString *stateless_values(const fz_msg *msgs, size_t n, int field)
{
    oracle_walk w = { field, g_string_new(NULL), NULL, NULL };
    for (size_t i = 0; i < n; i++) {
        isakmp_ctx *ctx = isakmp_ctx_new();
        isakmp_ctx_set_fields(ctx, &field, 1);
        isakmp_ctx_set_stateless(ctx, true);
        isakmp_packet pkt = oracle_packet(msgs, i);
        isakmp_msg *m = isakmp_decode(ctx, &pkt);
        if (isakmp_msg_needs_state(m))
            g_string_append_c(w.out, '?');
        else
            isakmp_msg_walk(m, oracle_item, &w);
        g_string_append_c(w.out, '\n');
        isakmp_msg_free(m);
        isakmp_ctx_free(ctx);
    }
    return w.out;
}

/* Every message a stateless context does not flag has the values it has in
 * the sequence (`in_order`, one line per message). */
static void stateless_oracle(const fz_msg *msgs, size_t n, int field, const GString *in_order)
{
    GString *alone = stateless_values(msgs, n, field);
    char **a = g_strsplit(in_order->str, "\n", -1), **b = g_strsplit(alone->str, "\n", -1);
    for (size_t i = 0; a[i] && b[i]; i++)
        if (strcmp(b[i], "?") != 0 && strcmp(a[i], b[i]) != 0) {
            fprintf(stderr, "stateless decoding of message %zu differs in %s:\n  in order: %s\n"
                    "  alone:    %s\n", i, isakmp_fields(NULL)[field].abbrev, a[i], b[i]);
            abort();
        }
    g_strfreev(a);
    g_strfreev(b);
    g_string_free(alone, TRUE);
}

#define ORACLE_PICKS 3

void fz_direction_oracle(const fz_msg *msgs, size_t n, bool keys, uint32_t seed)
{
    size_t nf;
    const isakmp_field *t = isakmp_fields(&nf);
    GArray *present = g_array_new(FALSE, FALSE, sizeof(int));
    bool *seen = g_new0(bool, nf);
    g_string_free(field_values(msgs, n, keys, -1, false, present, seen), TRUE);
    for (int k = 0; k < ORACLE_PICKS; k++) {
        int f = present->len && k < ORACLE_PICKS - 1
                    ? g_array_index(present, int, (seed >> (7 * k)) % present->len)
                    : (int)((seed >> 3) % nf);
        GString *full = field_values(msgs, n, keys, f, false, NULL, NULL);
        GString *one = field_values(msgs, n, keys, f, true, NULL, NULL);
        if (!g_string_equal(one, full)) {
            fprintf(stderr, "field-directed %s differs (%s keys):\n  full: %s\n  only: %s\n",
                    t[f].abbrev, keys ? "with" : "without", full->str, one->str);
            abort();
        }
        if (!keys)   /* with keys every message needs state */
            stateless_oracle(msgs, n, f, one);
        g_string_free(full, TRUE);
        g_string_free(one, TRUE);
    }
    g_array_free(present, TRUE);
    g_free(seen);
}
