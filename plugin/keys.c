/*
 * Preferences and key tables; the routines that make the decoding context.
 *
 * One isakmp_ctx per capture file, held by session.c: made by the init
 * routine (which Wireshark runs when a file is opened and before every
 * re-dissection, e.g. after a preference or key table changed), freed by
 * the cleanup routine.  Keys are
 * loaded into it every time it is made, so a changed key file or table takes
 * effect with the re-dissection the change triggers.
 *
 * The library reads every key format itself.  The key tables here have the
 * columns and file format of Wireshark's ikev1_decryption_table and
 * ikev2_decryption_table (a copy of those files works as is); their rows are
 * written back out in that format and handed to isakmp_ctx_load_keys_mem.
 */
#include <string.h>

#include <epan/prefs.h>
#include <epan/uat.h>
#include <wsutil/filesystem.h>
#include <wsutil/report_message.h>

#include "ike.h"

static ike_pref_bool takeover = TRUE;
static ike_pref_bool builtin_tables = TRUE;   /* the built-in dissector's key tables too */
static const char *key_file_pref = "";   /* owned by the preference system */
static bool keys_changed = true;         /* report key problems once per change */

/* ---------------------------------------------------------------- key tables */

typedef struct {
    ike_uat_byte *icookie;
    guint icookie_len;
    ike_uat_byte *key;
    guint key_len;
} v1_row;

typedef struct {
    ike_uat_byte *ispi, *rspi, *sk_ei, *sk_er, *sk_ai, *sk_ar;
    guint ispi_len, rspi_len, sk_ei_len, sk_er_len, sk_ai_len, sk_ar_len;
    char *encr, *integ;          /* algorithm names as Wireshark's table writes them */
} v2_row;

static v1_row *v1_rows;
static guint v1_count;
static v2_row *v2_rows;
static guint v2_count;

UAT_BUFFER_CB_DEF(v1, icookie, v1_row, icookie, icookie_len)
UAT_BUFFER_CB_DEF(v1, key, v1_row, key, key_len)
UAT_BUFFER_CB_DEF(v2, ispi, v2_row, ispi, ispi_len)
UAT_BUFFER_CB_DEF(v2, rspi, v2_row, rspi, rspi_len)
UAT_BUFFER_CB_DEF(v2, sk_ei, v2_row, sk_ei, sk_ei_len)
UAT_BUFFER_CB_DEF(v2, sk_er, v2_row, sk_er, sk_er_len)
UAT_BUFFER_CB_DEF(v2, sk_ai, v2_row, sk_ai, sk_ai_len)
UAT_BUFFER_CB_DEF(v2, sk_ar, v2_row, sk_ar, sk_ar_len)
UAT_CSTRING_CB_DEF(v2, encr, v2_row)
UAT_CSTRING_CB_DEF(v2, integ, v2_row)

static ike_uat_byte *dup_buf(const ike_uat_byte *p, guint len)
{
    return p ? g_memdup2(p, len) : NULL;
}

static void *v1_copy(void *dst, const void *src, size_t len)
{
    const v1_row *s = src;
    v1_row *d = dst;
    *d = *s;
    d->icookie = dup_buf(s->icookie, s->icookie_len);
    d->key = dup_buf(s->key, s->key_len);
    return d;
}

static void v1_free(void *r)
{
    v1_row *row = r;
    g_free(row->icookie);
    if (row->key)
        memset(row->key, 0, row->key_len);   /* a secret */
    g_free(row->key);
}

static void *v2_copy(void *dst, const void *src, size_t len)
{
    const v2_row *s = src;
    v2_row *d = dst;
    *d = *s;
    d->ispi = dup_buf(s->ispi, s->ispi_len);
    d->rspi = dup_buf(s->rspi, s->rspi_len);
    d->sk_ei = dup_buf(s->sk_ei, s->sk_ei_len);
    d->sk_er = dup_buf(s->sk_er, s->sk_er_len);
    d->sk_ai = dup_buf(s->sk_ai, s->sk_ai_len);
    d->sk_ar = dup_buf(s->sk_ar, s->sk_ar_len);
    d->encr = g_strdup(s->encr);
    d->integ = g_strdup(s->integ);
    return d;
}

static void free_secret(ike_uat_byte *p, guint len)
{
    if (p)
        memset(p, 0, len);
    g_free(p);
}

static void v2_free(void *r)
{
    v2_row *row = r;
    g_free(row->ispi);
    g_free(row->rspi);
    free_secret(row->sk_ei, row->sk_ei_len);
    free_secret(row->sk_er, row->sk_er_len);
    free_secret(row->sk_ai, row->sk_ai_len);
    free_secret(row->sk_ar, row->sk_ar_len);
    g_free(row->encr);
    g_free(row->integ);
}

static void tables_changed(void) { keys_changed = true; }

/* The line format of Wireshark's table files: hex bytes bare, names quoted. */
static void put_hex(GString *s, const ike_uat_byte *p, guint len, const char *sep)
{
    for (guint i = 0; i < len; i++)
        g_string_append_printf(s, "%02x", (guint8)p[i]);
    g_string_append(s, sep);
}

static GString *v1_text(void)
{
    GString *s = g_string_new("");
    for (guint i = 0; i < v1_count; i++) {
        put_hex(s, v1_rows[i].icookie, v1_rows[i].icookie_len, ",");
        put_hex(s, v1_rows[i].key, v1_rows[i].key_len, "\n");
    }
    return s;
}

static GString *v2_text(void)
{
    GString *s = g_string_new("");
    for (guint i = 0; i < v2_count; i++) {
        const v2_row *r = &v2_rows[i];
        put_hex(s, r->ispi, r->ispi_len, ",");
        put_hex(s, r->rspi, r->rspi_len, ",");
        put_hex(s, r->sk_ei, r->sk_ei_len, ",");
        put_hex(s, r->sk_er, r->sk_er_len, ",");
        g_string_append_printf(s, "\"%s\",", r->encr ? r->encr : "");
        put_hex(s, r->sk_ai, r->sk_ai_len, ",");
        put_hex(s, r->sk_ar, r->sk_ar_len, ",");
        g_string_append_printf(s, "\"%s\"\n", r->integ ? r->integ : "");
    }
    return s;
}

static void register_v1_table(module_t *m)
{
    static uat_field_t cols[] = {
        UAT_FLD_BUFFER(v1, icookie, "Initiator's COOKIE", "Initiator's cookie (8 bytes, hex)"),
        UAT_FLD_BUFFER(v1, key, "Encryption Key", "Phase 1 encryption key (hex)"),
        UAT_END_FIELDS
    };
    uat_t *u = uat_new("IKE (libisakmp) IKEv1 Decryption Table", sizeof(v1_row),
                       "ike_ikev1_decryption_table", TRUE, &v1_rows, &v1_count,
                       UAT_AFFECTS_DISSECTION, NULL, v1_copy, NULL, v1_free, tables_changed,
                       NULL, cols);
    prefs_register_uat_preference(m, "ikev1_decryption_table", "IKEv1 Decryption Table",
                                  "Same columns and file format as Wireshark's "
                                  "ikev1_decryption_table", u);
}

static void register_v2_table(module_t *m)
{
    static uat_field_t cols[] = {
        UAT_FLD_BUFFER(v2, ispi, "Initiator's SPI", "Initiator's SPI (8 bytes, hex)"),
        UAT_FLD_BUFFER(v2, rspi, "Responder's SPI", "Responder's SPI (8 bytes, hex)"),
        UAT_FLD_BUFFER(v2, sk_ei, "SK_ei", "Initiator's encryption key (hex)"),
        UAT_FLD_BUFFER(v2, sk_er, "SK_er", "Responder's encryption key (hex)"),
        UAT_FLD_CSTRING(v2, encr, "Encryption algorithm",
                        "As Wireshark's table names it, e.g. AES-CBC-256 [RFC3602]"),
        UAT_FLD_BUFFER(v2, sk_ai, "SK_ai", "Initiator's integrity key (hex)"),
        UAT_FLD_BUFFER(v2, sk_ar, "SK_ar", "Responder's integrity key (hex)"),
        UAT_FLD_CSTRING(v2, integ, "Integrity algorithm",
                        "As Wireshark's table names it, e.g. HMAC_SHA2_256_128 [RFC4868]"),
        UAT_END_FIELDS
    };
    uat_t *u = uat_new("IKE (libisakmp) IKEv2 Decryption Table", sizeof(v2_row),
                       "ike_ikev2_decryption_table", TRUE, &v2_rows, &v2_count,
                       UAT_AFFECTS_DISSECTION, NULL, v2_copy, NULL, v2_free, tables_changed,
                       NULL, cols);
    prefs_register_uat_preference(m, "ikev2_decryption_table", "IKEv2 Decryption Table",
                                  "Same columns and file format as Wireshark's "
                                  "ikev2_decryption_table", u);
}

/* ---------------------------------------------------------------- loading */

/* Key problems, gathered while loading and reported once per change. */
static void key_error(void *user, const char *where, const char *reason)
{
    GString *errors = user;
    g_string_append_printf(errors, "%s: %s\n", where, reason);
}

static void load_text(isakmp_ctx *ctx, GString *errors, const char *name, GString *text)
{
    if (text->len)
        isakmp_ctx_load_keys_mem(ctx, name, text->str, text->len, key_error, errors);
    g_string_free(text, TRUE);
}

/* The key file preference holds one path, or several separated by ';'. */
static void load_files(isakmp_ctx *ctx, GString *errors)
{
    gchar **paths = g_strsplit(key_file_pref ? key_file_pref : "", ";", -1);
    for (gchar **p = paths; *p; p++) {
        g_strstrip(*p);
        if (**p)
            isakmp_ctx_load_keys(ctx, *p, key_error, errors);
    }
    g_strfreev(paths);
}

/* The built-in ISAKMP dissector's tables: the files its UATs keep in the
 * profile folder, in the format the library reads.  Appends where keys came
 * from to `origin`. */
static void load_builtin_tables(isakmp_ctx *ctx, GString *errors, GString *origin)
{
    static const char *const tables[] = { "ikev1_decryption_table", "ikev2_decryption_table" };
    for (size_t i = 0; i < G_N_ELEMENTS(tables); i++) {
        char *path = get_persconffile_path(tables[i], TRUE);
        if (path && g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
            isakmp_ctx_load_keys(ctx, path, key_error, errors);
            g_string_append_printf(origin, "%sWireshark's %s (%s)", origin->len ? ", " : "",
                                   tables[i], path);
        }
        g_free(path);
    }
}

static void load_keys(isakmp_ctx *ctx)
{
    GString *errors = g_string_new(""), *origin = g_string_new("");
    load_files(ctx, errors);
    if (key_file_pref && *key_file_pref)
        g_string_append_printf(origin, "ike.key_file (%s)", key_file_pref);
    if (v1_count || v2_count)
        g_string_append_printf(origin, "%sIKE (libisakmp) decryption tables",
                               origin->len ? ", " : "");
    load_text(ctx, errors, "ike_ikev1_decryption_table", v1_text());
    load_text(ctx, errors, "ike_ikev2_decryption_table", v2_text());
    if (takeover && builtin_tables)
        load_builtin_tables(ctx, errors, origin);
    ike_coexist_set_keys_origin(origin->str);
    g_string_free(origin, TRUE);
    if (keys_changed && errors->len)
        report_warning("IKE (libisakmp) keys:\n%s", errors->str);
    keys_changed = false;
    g_string_free(errors, TRUE);
}

static void ctx_init(void)
{
    ike_esp_reset();
    isakmp_ctx *ctx = isakmp_ctx_new();
    /* Wireshark keeps every frame and re-dissects in any order: SA state
     * must stay for the whole capture, as the built-in dissector's does */
    isakmp_ctx_set_sa_limit(ctx, 0);
    ike_ctx_replace(ctx);
    load_keys(ctx);
}

static void ctx_cleanup(void)
{
    ike_ctx_replace(NULL);
    ike_esp_reset();
}

/* ---------------------------------------------------------------- preferences */

/* The ports move only when the preference changes, so that a "Decode As"
 * choice made afterwards is not undone by the next preference change. */
static void prefs_applied(void)
{
    static bool ports_taken = true;   /* the handoff takes them */
    bool on = takeover;
    keys_changed = true;
    if (on != ports_taken) {
        ike_transport_takeover(on);
        ports_taken = on;
    }
}

void ike_prefs_register(int proto)
{
    module_t *m = prefs_register_protocol(proto, prefs_applied);
    prefs_register_bool_preference(m, "takeover", "Decode IKE with libisakmp",
                                   "Off: UDP 500 and 4500 go back to Wireshark's built-in "
                                   "ISAKMP and UDPENCAP dissectors",
                                   &takeover);
    prefs_register_bool_preference(m, "builtin_tables",
                                   "Also use the keys of Wireshark's ISAKMP tables",
                                   "With the takeover on: the keys in the built-in ISAKMP "
                                   "dissector's ikev1_decryption_table and "
                                   "ikev2_decryption_table (files in the profile folder) "
                                   "are loaded too",
                                   &builtin_tables);
    range_t **natt_ports = ike_transport_natt_ports();
    range_convert_str(wmem_epan_scope(), natt_ports, "4500", 65535);
    prefs_register_range_preference(m, "natt_ports", "NAT-T UDP ports",
                                    "UDP ports where IKE follows a non-ESP marker and ESP and "
                                    "NAT keepalives share the port (RFC 3948)",
                                    natt_ports, 65535);
    prefs_register_filename_preference(m, "key_file", "Key file(s)",
                                       "Keys or secrets in any format isakmpdump -k reads "
                                       "(Wireshark key tables, esp_sa, libisakmp secrets, "
                                       "strongSwan / libreswan logs); several paths are "
                                       "separated by ';'",
                                       &key_file_pref, FALSE);
    register_v1_table(m);
    register_v2_table(m);
    register_init_routine(ctx_init);
    register_cleanup_routine(ctx_cleanup);
}
