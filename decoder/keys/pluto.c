/*
 * libreswan pluto logs, 4.x and 5.x (the formats of libreswan 4.10's and
 * 5.2's programs/pluto/state.c and kernel.c), in a log file, syslog or the
 * journal: anything before the text is skipped.
 *
 * With plutodebug=private an IKE SA's keys are logged in tcpdump -E form,
 * the integrity key first:
 *
 *   | ikev2 I 0xSPIi 0xSPIr sha256:0xSK_ai aes256:0xSK_ei
 *   | ikev2 R 0xSPIi 0xSPIr sha256:0xSK_ar aes256:0xSK_er
 *
 * (tcpdump's own files say "ikev2I" / "ikev2R", either order; for IKEv1
 * "ikev1 I" gives SKEYID_a and SKEYID_e, from which the cipher key Ka is
 * made).  The cipher
 * is libreswan's tcpdump name with the key size appended: aes128,
 * aes_ctr256, aes_gcm_16256, 3des, camellia128, chacha20_poly1305256.  An
 * AEAD cipher's key is logged without its salt: such an SA cannot be
 * decrypted from the log, and we say so.
 *
 * ESP keys are dumped before the kernel SA is added:
 *
 *   | ESP encrypt key:             (4.x: "ESP enckey:")
 *   |   00 11 22 33  44 55 66 77  88 99 aa bb  cc dd ee ff   ."3DUfw......
 *   | ESP integrity key:           (4.x: "ESP authkey:")
 *   |   ...
 *
 * and the SA they belong to is told by the next line that adds it, which
 * plutodebug=base (4.x: "kernel: add_sa() ... ADDR[SPI]==>ADDR ... ALG:LEN
 * ALG:LEN") or plutodebug=routing (5.x: "(src) ... -> ADDR[SPI] ==> ADDR ->
 * ... (dst)", then "ALG:LEN ALG:LEN") prints.  Without those lines the
 * keys cannot be tied to an SPI, and we say so.
 */
#include <stdio.h>
#include <string.h>

#include "core/secure.h"
#include "core/hex.h"
#include "crypto/crypto.h"
#include "crypto/kdf.h"
#include "keys/export.h"
#include "keys/keys.h"
#include "keys/pluto.h"
#include "keys/secrets.h"

/* libreswan's tcpdump names (before the key size) -> IANA names. */
static const struct {
    const char *name, *iana;
    bool aead;
} encr_names[] = {
    { "aes", "ENCR_AES_CBC", false }, { "aes_cbc", "ENCR_AES_CBC", false },
    { "aes_ctr", "ENCR_AES_CTR", false }, { "3des", "ENCR_3DES", false },
    { "camellia", "ENCR_CAMELLIA_CBC", false }, { "null", "ENCR_NULL", false },
    { "aes_gcm", "ENCR_AES_GCM_8", true }, { "aes_gcm_8", "ENCR_AES_GCM_8", true },
    { "aes_gcm_12", "ENCR_AES_GCM_12", true }, { "aes_gcm_16", "ENCR_AES_GCM_16", true },
    { "aes_ccm_8", "ENCR_AES_CCM_8", true }, { "aes_ccm_12", "ENCR_AES_CCM_12", true },
    { "aes_ccm_16", "ENCR_AES_CCM_16", true },
    { "chacha20_poly1305", "ENCR_CHACHA20_POLY1305", true },
};

static const struct {
    const char *name, *iana;
} integ_names[] = {
    { "md5", "AUTH_HMAC_MD5_96" }, { "sha1", "AUTH_HMAC_SHA1_96" },
    { "sha256", "AUTH_HMAC_SHA2_256_128" }, { "sha384", "AUTH_HMAC_SHA2_384_192" },
    { "sha512", "AUTH_HMAC_SHA2_512_256" }, { "aes_xcbc", "AUTH_AES_XCBC_96" },
    { "aes_cmac", "AUTH_AES_CMAC_96" }, { "none", "NONE" },
};

/* Kernel SA algorithm names of the add_sa lines (libreswan's fqn) ->
 * Wireshark's esp_sa names; NULL: esp_sa has none. */
static const struct {
    const char *fqn, *name;
    bool integ;
} esp_names[] = {
    { "AES_CBC", "AES-CBC [RFC3602]", false }, { "AES_CTR", "AES-CTR [RFC3686]", false },
    { "3DES_CBC", "TripleDES-CBC [RFC2451]", false }, { "NULL", "NULL", false },
    { "AES_GCM_8", "AES-GCM with 8 octet ICV [RFC4106]", false },
    { "AES_GCM_12", "AES-GCM with 12 octet ICV [RFC4106]", false },
    { "AES_GCM_16", "AES-GCM with 16 octet ICV [RFC4106]", false },
    { "AES_CCM_8", NULL, false }, { "AES_CCM_12", NULL, false }, { "AES_CCM_16", NULL, false },
    { "CAMELLIA_CBC", NULL, false }, { "CAMELLIA_CTR", NULL, false },
    { "CHACHA20_POLY1305", NULL, false }, { "NULL_AUTH_AES_GMAC", NULL, false },
    { "HMAC_MD5_96", "HMAC-MD5-96 [RFC2403]", true },
    { "HMAC_SHA1_96", "HMAC-SHA-1-96 [RFC2404]", true },
    { "HMAC_SHA2_256_128", "HMAC-SHA-256-128 [RFC4868]", true },
    { "HMAC_SHA2_256_TRUNCBUG", "HMAC-SHA-256-96 [draft-ietf-ipsec-ciph-sha-256-00]", true },
    { "HMAC_SHA2_384_192", "HMAC-SHA-384-192 [RFC4868]", true },
    { "HMAC_SHA2_512_256", "HMAC-SHA-512-256 [RFC4868]", true },
    { "AES_XCBC_96", NULL, true }, { "AES_CMAC_96", NULL, true }, { "NONE", "NULL", true },
};

/* One direction's IKE SA keys, waiting for the other. */
typedef struct {
    uint8_t spii[8], spir[8];
    bool have[2];              /* [0] initiator line, [1] responder line */
    char encr[40], integ[40];
    char *ek[2], *ak[2];       /* "0x..." as logged */
    size_t line;
} ike_keys;

typedef struct {
    isakmp_ctx *ctx;
    const char *name;
    isakmp_key_error_fn on_error;
    void *user;
    int loaded;
    bool pluto, keys_seen;     /* a pluto log; any key line at all */
    GPtrArray *ike;            /* ike_keys */
    /* ESP dumps waiting for their add_sa line */
    GByteArray *dump[2];       /* encryption, integrity */
    int dumping;               /* -1 none, else the dump being read */
    bool esp_pending;
    size_t esp_line;
    char src[46], dst[46], e_alg[32], i_alg[32];
    uint32_t spi;
    bool have_spi;
} pluto_ctx;

static void str_wipe(char **s)
{
    if (*s) {
        secure_wipe(*s, strlen(*s));
        g_free(*s);
        *s = NULL;
    }
}

static void ike_free(gpointer p)
{
    ike_keys *k = p;
    for (int i = 0; i < 2; i++) {
        str_wipe(&k->ek[i]);
        str_wipe(&k->ak[i]);
    }
    g_free(k);
}

static void bytes_wipe(GByteArray **b)
{
    if (*b) {
        if ((*b)->len)
            secure_wipe((*b)->data, (*b)->len);
        g_byte_array_free(*b, TRUE);
        *b = NULL;
    }
}

/* ---------------------------------------------------------------- IKE SA keys */

/* "aes_gcm_16256" -> the IANA name of the longest known prefix followed by
 * nothing but digits. */
static int encr_row(const char *s)
{
    int best = -1;
    size_t best_len = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(encr_names); i++) {
        size_t n = strlen(encr_names[i].name);
        if (!g_ascii_strncasecmp(s, encr_names[i].name, n) && n > best_len &&
            strspn(s + n, "0123456789") == strlen(s + n)) {
            best = (int)i;
            best_len = n;
        }
    }
    return best;
}

static const char *integ_iana(const char *s)
{
    for (size_t i = 0; i < G_N_ELEMENTS(integ_names); i++)
        if (!g_ascii_strcasecmp(s, integ_names[i].name))
            return integ_names[i].iana;
    return NULL;
}

static bool secret_hex_ok(const char *hex, secret_t *s)
{
    return secret_from_hex(s, hex && strcmp(hex, "0x") ? hex : "");
}

/* Both lines of an SA read: its keys into the key store and the export. */
static void ike_done(pluto_ctx *pc, ike_keys *k)
{
    int row = encr_row(k->encr);
    const char *ii = integ_iana(k->integ);
    if (row >= 0 && encr_names[row].aead) {
        secrets_report(pc->on_error, pc->user, pc->name, k->line,
             ISAKMP_KEY_NOTE "IKE SA %02x%02x%02x%02x...: libreswan logs %s keys without their "
             "salt: they cannot decrypt; give the DH secrets in a secrets file instead",
             k->spii[0], k->spii[1], k->spii[2], k->spii[3], k->encr);
        return;
    }
    key_v2 *e = g_new0(key_v2, 1);
    memcpy(e->ispi, k->spii, 8);
    memcpy(e->rspi, k->spir, 8);
    bool ok = secret_hex_ok(k->ek[0], &e->ei) && secret_hex_ok(k->ek[1], &e->er) &&
              secret_hex_ok(k->ak[0], &e->ai) && secret_hex_ok(k->ak[1], &e->ar);
    e->enc = ok && row >= 0 ? cipher_by_name(encr_names[row].iana, e->ei.len) : NULL;
    e->integ = ii ? integ_by_name(ii) : NULL;
    ok = ok && e->enc && e->integ && e->ei.len == e->er.len && e->ai.len == e->ar.len &&
         e->ei.len <= EXPORT_MAX_KEY && e->ai.len <= EXPORT_MAX_KEY &&
         (e->integ->kind == IK_NONE || e->ai.len > 0);
    if (!ok) {
        secrets_report(pc->on_error, pc->user, pc->name, k->line, "IKE SA keys: unknown algorithm or key size (%s, %s)", k->encr,
             k->integ);
        secret_wipe(&e->ei);
        secret_wipe(&e->er);
        secret_wipe(&e->ai);
        secret_wipe(&e->ar);
        g_free(e);
        return;
    }
    export_v2 x = { .enc_len = e->ei.len, .integ_len = e->ai.len, .encr_name = e->enc->ws_name,
                    .integ_name = e->integ->ws_name };
    memcpy(x.spii, k->spii, 8);
    memcpy(x.spir, k->spir, 8);
    memcpy(x.ei, e->ei.p, e->ei.len);
    memcpy(x.er, e->er.p, e->er.len);
    if (e->ai.len) {
        memcpy(x.ai, e->ai.p, e->ai.len);
        memcpy(x.ar, e->ar.p, e->ar.len);
    }
    keys_v2_keep(pc->ctx->keys, e);
    export_add_v2(pc->ctx->keying->exports(pc->ctx), &x);
    secure_wipe(&x, sizeof x);
    pc->loaded++;
}

static ike_keys *ike_get(pluto_ctx *pc, const uint8_t spii[8], const uint8_t spir[8])
{
    for (guint i = 0; i < pc->ike->len; i++) {
        ike_keys *k = pc->ike->pdata[i];
        if (!memcmp(k->spii, spii, 8) && !memcmp(k->spir, spir, 8))
            return k;
    }
    ike_keys *k = g_new0(ike_keys, 1);
    memcpy(k->spii, spii, 8);
    memcpy(k->spir, spir, 8);
    g_ptr_array_add(pc->ike, k);
    return k;
}

static bool spi_word(const char *w, uint8_t out[8])
{
    if (w[0] == '0' && (w[1] == 'x' || w[1] == 'X'))
        w += 2;
    return strlen(w) == 16 && hex_decode(w, 8, out);
}

/* The words after "ikev2 I" (or "ikev2I"): SPIs and two alg:0xKEY. */
static void ike_line(pluto_ctx *pc, char **w, guint n, bool responder, size_t no)
{
    uint8_t spii[8], spir[8];
    if (n < 4 || !spi_word(w[0], spii) || !spi_word(w[1], spir))
        return;
    pc->keys_seen = true;
    ike_keys *k = ike_get(pc, spii, spir);
    int r = responder ? 1 : 0;
    for (guint i = 2; i < 4; i++) {
        char *colon = strchr(w[i], ':');
        if (!colon)
            continue;
        *colon = 0;
        bool integ = integ_iana(w[i]) != NULL;
        snprintf(integ ? k->integ : k->encr, sizeof k->encr, "%s", w[i]);
        char **slot = integ ? &k->ak[r] : &k->ek[r];
        str_wipe(slot);
        *slot = g_strdup(colon + 1);
        *colon = ':';
    }
    k->have[r] = true;
    k->line = no;
    if (k->have[0] && k->have[1]) {
        ike_done(pc, k);
        g_ptr_array_remove(pc->ike, k);
    }
}

/* IKEv1: the line gives SKEYID_a and SKEYID_e (libreswan's st_skeyid_*),
 * named by the Phase 1 hash and cipher; the table wants the cipher key Ka,
 * made from SKEYID_e as RFC 2409 Appendix B says. */
static const struct {
    const char *name;
    int hash;   /* RFC 2409 Appendix A hash algorithm */
} v1_hashes[] = { { "md5", 1 }, { "sha1", 2 }, { "sha256", 4 }, { "sha384", 5 }, { "sha512", 6 } };

/* The cipher key length: the size logged after the name, 3DES's own. */
static size_t v1_key_len(const char *encr)
{
    int row = encr_row(encr);
    if (row < 0 || encr_names[row].aead)
        return 0;
    size_t bits = (size_t)atoi(encr + strlen(encr_names[row].name));
    if (!strcmp(encr_names[row].name, "3des"))
        return 24;
    return bits % 8 == 0 && bits <= 256 ? bits / 8 : 0;
}

static void v1_line(pluto_ctx *pc, char **w, guint n, size_t no)
{
    uint8_t icookie[8], rcookie[8];
    if (n < 4 || !spi_word(w[0], icookie) || !spi_word(w[1], rcookie))
        return;
    pc->keys_seen = true;
    int prf = 0;
    size_t ka_len = 0, elen = 0;
    uint8_t *e = NULL;
    for (guint i = 2; i < 4; i++) {
        char *colon = strchr(w[i], ':');
        if (!colon)
            continue;
        *colon = 0;
        for (size_t h = 0; h < G_N_ELEMENTS(v1_hashes); h++)
            if (!g_ascii_strcasecmp(w[i], v1_hashes[h].name))
                prf = kdf_prf_from_v1_hash(v1_hashes[h].hash);
        if (v1_key_len(w[i]) && !e) {
            ka_len = v1_key_len(w[i]);
            e = colon[1] ? secrets_hex(colon + 1, &elen) : NULL;
        }
        *colon = ':';
    }
    key_v1 *k = g_new0(key_v1, 1);
    memcpy(k->icookie, icookie, 8);
    k->enc.p = crypto_secure_alloc(ka_len ? ka_len : 1);
    k->enc.len = ka_len;
    if (!prf || !e || !ka_len || !kdf_v1_ka(prf, e, elen, ka_len, k->enc.p)) {
        secrets_report(pc->on_error, pc->user, pc->name, no, "IKEv1 SA %02x%02x%02x%02x...: unknown hash, cipher or SKEYID_e size",
             icookie[0], icookie[1], icookie[2], icookie[3]);
        secret_wipe(&k->enc);
        g_free(k);
    } else {
        export_v1 x = { .len = ka_len };
        memcpy(x.icookie, icookie, 8);
        memcpy(x.key, k->enc.p, ka_len);
        keys_v1_add(pc->ctx->keys, k);
        export_add_v1(pc->ctx->keying->exports(pc->ctx), &x);
        secure_wipe(&x, sizeof x);
        pc->loaded++;
    }
    secrets_free(e, elen);
}

/* ---------------------------------------------------------------- ESP keys */

static void esp_reset(pluto_ctx *pc)
{
    bytes_wipe(&pc->dump[0]);
    bytes_wipe(&pc->dump[1]);
    pc->dumping = -1;
    pc->esp_pending = pc->have_spi = false;
    pc->src[0] = pc->dst[0] = pc->e_alg[0] = pc->i_alg[0] = 0;
}

static const char *esp_name(const char *fqn, bool integ, bool *known)
{
    for (size_t i = 0; i < G_N_ELEMENTS(esp_names); i++)
        if (esp_names[i].integ == integ && !strcmp(esp_names[i].fqn, fqn)) {
            *known = true;
            return esp_names[i].name;
        }
    *known = false;
    return NULL;
}

/* The keys, SPI, addresses and algorithms known: one ESP SA. */
static void esp_done(pluto_ctx *pc)
{
    bool ke, ki;
    const char *encr = esp_name(pc->e_alg[0] ? pc->e_alg : "NULL", false, &ke);
    const char *integ = esp_name(pc->i_alg[0] ? pc->i_alg : "NONE", true, &ki);
    GByteArray *ek = pc->dump[0], *ak = pc->dump[1];
    if (!encr || !integ) {
        secrets_report(pc->on_error, pc->user, pc->name, pc->esp_line,
             ISAKMP_KEY_NOTE "SPI 0x%08x: Wireshark's esp_sa has no name for %s: not loaded",
             pc->spi, !encr ? pc->e_alg : pc->i_alg);
    } else if ((ek && ek->len > EXPORT_MAX_KEY) || (ak && ak->len > EXPORT_MAX_KEY)) {
        secrets_report(pc->on_error, pc->user, pc->name, pc->esp_line, "SPI 0x%08x: keys too long", pc->spi);
    } else {
        export_esp x = { .af = strchr(pc->dst, ':') ? 6 : 4, .spi = pc->spi,
                         .encr_name = encr, .integ_name = integ,
                         .elen = ek ? ek->len : 0, .alen = ak ? ak->len : 0 };
        snprintf(x.src, sizeof x.src, "%s", pc->src);
        snprintf(x.dst, sizeof x.dst, "%s", pc->dst);
        if (x.elen)
            memcpy(x.ekey, ek->data, x.elen);
        if (x.alen)
            memcpy(x.akey, ak->data, x.alen);
        char ehex[2 * EXPORT_MAX_KEY + 3] = "", ahex[2 * EXPORT_MAX_KEY + 3] = "";
        if (x.elen) {
            memcpy(ehex, "0x", 2);
            hex_encode(x.ekey, x.elen, ehex + 2, sizeof ehex - 2);
        }
        if (x.alen) {
            memcpy(ahex, "0x", 2);
            hex_encode(x.akey, x.alen, ahex + 2, sizeof ahex - 2);
        }
        isakmp_esp_sa sa = { .af = x.af, .src = x.src, .dst = x.dst, .spi = x.spi,
                             .encr_alg = encr, .encr_key = ehex, .integ_alg = integ,
                             .integ_key = ahex };
        if (keys_esp_add(pc->ctx->keys, &sa)) {
            export_add_esp(pc->ctx->keying->exports(pc->ctx), &x);
            pc->loaded++;
        }
        secure_wipe(&x, sizeof x);
        secure_wipe(ehex, sizeof ehex);
        secure_wipe(ahex, sizeof ahex);
    }
    esp_reset(pc);
}

/* "|   00 11 22 33  44 55 ..." : the hex column (52 characters) of a dump row. */
static bool dump_row(pluto_ctx *pc, const char *t)
{
    if (strncmp(t, "  ", 2) != 0 || hex_digit(t[2]) < 0 || hex_digit(t[3]) < 0)
        return false;
    GByteArray *b = pc->dump[pc->dumping];
    for (size_t i = 0; i + 2 < 53 && t[i] && t[i + 1] && t[i + 2]; i++) {
        uint8_t v;
        if (t[i] == ' ' && t[i + 1] != ' ' && hex_decode(t + i + 1, 1, &v) &&
            (t[i + 3] == ' ' || t[i + 3] == 0)) {
            g_byte_array_append(b, &v, 1);
            i += 2;
        }
    }
    return true;
}

/* "...ADDR[SPI]...==>ADDR..." of an add_sa line: source, SPI, destination. */
static bool said_of(pluto_ctx *pc, const char *t)
{
    const char *br = strchr(t, '['), *arrow = strstr(t, "==>");
    unsigned spi;
    if (!br || !arrow || br > arrow || sscanf(br, "[%8x]", &spi) != 1)
        return false;
    const char *s = br;
    while (s > t && s[-1] != ' ' && s[-1] != '>')
        s--;
    const char *d = arrow + 3;
    while (*d == ' ')
        d++;
    size_t dl = strcspn(d, " -");
    if (br - s <= 0 || (size_t)(br - s) >= sizeof pc->src || dl == 0 || dl >= sizeof pc->dst)
        return false;
    snprintf(pc->src, sizeof pc->src, "%.*s", (int)(br - s), s);
    snprintf(pc->dst, sizeof pc->dst, "%.*s", (int)dl, d);
    pc->spi = spi;
    pc->have_spi = true;
    return true;
}

/* "ALG:LEN" words of an add_sa line: the kernel SA's algorithms. */
static void algs_of(pluto_ctx *pc, char **w, guint n)
{
    for (guint i = 0; i < n; i++) {
        char fqn[32];
        unsigned len;
        bool known;
        if (sscanf(w[i], "%31[A-Z0-9_]:%u", fqn, &len) != 2)
            continue;
        esp_name(fqn, true, &known);
        if (known)
            snprintf(pc->i_alg, sizeof pc->i_alg, "%s", fqn);
        esp_name(fqn, false, &known);
        if (known)
            snprintf(pc->e_alg, sizeof pc->e_alg, "%s", fqn);
    }
}

/* A debug line while ESP keys wait for their SA. */
static void esp_line(pluto_ctx *pc, const char *t, char **w, guint n)
{
    if (pc->dumping >= 0 && dump_row(pc, t))
        return;
    pc->dumping = -1;
    if (strstr(t, "add_sa()") || strstr(t, "==>"))
        said_of(pc, t);
    if (pc->have_spi)
        algs_of(pc, w, n);
    if (pc->have_spi && (pc->e_alg[0] || pc->i_alg[0]))
        esp_done(pc);
}

/* ---------------------------------------------------------------- lines */

static char **words(const char *s, guint *n)
{
    char **w = g_strsplit_set(s, " \t", 0);
    guint k = 0;
    for (guint i = 0; w[i]; i++)
        if (*w[i])
            w[k++] = w[i];
        else
            g_free(w[i]);
    w[k] = NULL;
    *n = k;
    return w;
}

/* What only pluto writes: syslog / journal tags, its start, the wording
 * of its established SAs (4.x and 5.x), its state names. */
static const char *const pluto_marks[] = {
    "pluto[", "pluto: ", "Starting Pluto", "established IKE SA", "established Child SA",
    "IPsec SA established", "initiating IKEv2", "initiating IKEv1", "STATE_V2_", "STATE_MAIN_",
};

/* The text of an "ikev2 I" / "ikev2I" / ... tag, NULL when there is none. */
static const char *ike_tag(const char *line, bool *responder, int *version)
{
    static const struct {
        const char *tag;
        int version;
        bool r;
    } tags[] = { { "ikev2 I ", 2, false }, { "ikev2 R ", 2, true }, { "ikev2I ", 2, false },
                 { "ikev2R ", 2, true }, { "ikev1 I ", 1, false }, { "ikev1 R ", 1, true } };
    for (size_t i = 0; i < G_N_ELEMENTS(tags); i++) {
        const char *p = strstr(line, tags[i].tag);
        if (p && (p == line || p[-1] == ' ')) {
            *responder = tags[i].r;
            *version = tags[i].version;
            return p + strlen(tags[i].tag);
        }
    }
    return NULL;
}

static void pluto_line(pluto_ctx *pc, const char *line, size_t no)
{
    bool responder;
    int version;
    const char *t = ike_tag(line, &responder, &version);
    guint n;
    if (t) {
        char **w = words(t, &n);
        if (version == 2)
            ike_line(pc, w, n, responder, no);
        else if (!responder)   /* IKEv1: SKEYID_e is the initiator line's */
            v1_line(pc, w, n, no);
        secrets_words_free(w);
        return;
    }
    const char *dbg = strstr(line, "| ");
    if (!dbg)
        return;
    t = dbg + 2;
    int which = strstr(t, "ESP encrypt key:") || strstr(t, "ESP enckey:")       ? 0
                : strstr(t, "ESP integrity key:") || strstr(t, "ESP authkey:") ? 1
                                                                               : -1;
    if (which >= 0) {
        if (which == 0)
            esp_reset(pc);
        pc->keys_seen = pc->esp_pending = true;
        pc->esp_line = no;
        bytes_wipe(&pc->dump[which]);
        pc->dump[which] = g_byte_array_new();
        pc->dumping = which;
        return;
    }
    if (pc->esp_pending) {
        char **w = words(t, &n);
        esp_line(pc, t, w, n);
        secrets_words_free(w);
    }
}

bool pluto_detect(char **lines)
{
    for (size_t i = 0; lines[i] && i < 400; i++) {
        bool r;
        int v;
        if (lines[i][0] == '#')   /* a comment of another format */
            continue;
        if (ike_tag(lines[i], &r, &v) && strstr(lines[i], " 0x"))
            return true;
        for (size_t j = 0; j < G_N_ELEMENTS(pluto_marks); j++)
            if (strstr(lines[i], pluto_marks[j]))
                return true;
    }
    return false;
}

int pluto_load(isakmp_ctx *ctx, const char *name, char **lines, isakmp_key_error_fn on_error,
               void *user)
{
    pluto_ctx pc = { .ctx = ctx, .name = name, .on_error = on_error, .user = user,
                     .ike = g_ptr_array_new_with_free_func(ike_free), .dumping = -1 };
    for (size_t i = 0; lines[i]; i++)
        pluto_line(&pc, lines[i], i + 1);
    if (pc.esp_pending)
        secrets_report(pc.on_error, pc.user, pc.name, pc.esp_line,
             ISAKMP_KEY_NOTE "ESP keys without the line that adds their kernel SA "
             "(plutodebug=base on libreswan 4, routing on 5): not tied to an SPI, not loaded");
    for (guint i = 0; i < pc.ike->len; i++) {
        const ike_keys *k = pc.ike->pdata[i];
        secrets_report(pc.on_error, pc.user, pc.name, k->line, ISAKMP_KEY_NOTE "IKE SA keys of one direction only (the %s line is "
                                           "missing): not loaded", k->have[0] ? "R" : "I");
    }
    if (!pc.keys_seen)
        secrets_report(pc.on_error, pc.user, pc.name, 0, ISAKMP_KEY_NOTE "pluto log without plutodebug=private: no keys in it");
    esp_reset(&pc);
    g_ptr_array_free(pc.ike, TRUE);
    return pc.loaded;
}
