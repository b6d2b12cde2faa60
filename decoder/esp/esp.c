/*
 * ESP (RFC 4303): one packet in, its verdict and plaintext out.
 *
 *   SPI (4) | sequence (4) | IV | ciphertext (payload, padding, pad length,
 *   next header) | ICV
 *
 * The SA comes from the context's ESP SA list (keys/export.c: loaded lines
 * first, then the derived ones); its algorithms are the crypto tables' rows
 * (crypto_alg.c reads Wireshark's esp_sa names, IANA names and strongSwan
 * keywords).  What the list cannot hold is kept here per SA, keyed by SPI
 * and destination: the parsed keys and the SA's libgcrypt handles keyed once
 * (crypto_keyed: no key schedule per packet), the replay window, whether the SA uses
 * extended sequence numbers, and its traffic counters.
 *
 * ICV input (RFC 4303 2.8 / 3.3.2.1): the packet from the SPI to the end of
 * the ciphertext, followed by the high 32 bits of the sequence number when
 * ESN is on.  AEAD (RFC 4106 5, RFC 4309 5, RFC 7634 3): AAD is SPI | seq,
 * or SPI | high | low with ESN; the IV is the 8 bytes after the header.
 * AES-GMAC (RFC 4543 3.3) encrypts nothing: its AAD is the whole packet up
 * to the ICV, with the ESN high bits after the SPI.
 */
#include <stdio.h>
#include <string.h>

#include "core/hex.h"
#include "core/internal.h"
#include "core/secure.h"
#include "crypto/crypto.h"
#include "esp/esp.h"
#include "keys/export.h"
#include "keys/keys.h"

#define ESP_WINDOW 64u
#define ESP_SPI_CACHE 65536u   /* SPIs remembered for the SA look-up */

/* One SA's state.  The strings are copies of the list's, to tell when the
 * SA was replaced (new keys loaded for the same SPI and destination). */
typedef struct {
    uint32_t spi;
    const char *dst;
} state_id;

typedef struct {
    char *dst, *encr, *integ, *ekey_hex, *akey_hex;
    uint32_t spi;
    state_id id;             /* spi and dst: its key in esp_table.state_of */
    const cipher_alg *ca;
    const integ_alg *ia;
    uint8_t *ekey, *akey;    /* secure memory */
    size_t elen, alen;
    crypto_keyed *kh;        /* ca and ia keyed once: every packet reuses them */
    int esn;                 /* -1 unknown, 0 no, 1 yes */
    bool seen;               /* top and window hold something */
    uint64_t top, window;    /* highest sequence number; bit i: top - i seen */
    bool counted;            /* a packet was counted: st.first_* hold it */
    uint32_t last_frame;     /* the last packet counted: frames decrypted again are not */
    uint64_t last_seq;
    isakmp_esp_sa_stats st;
} esp_sa_state;

struct esp_table {
    GPtrArray *sas;
    GHashTable *state_of;   /* state_id -> an SA's state (a walk of sas per packet before) */
    /* SPI -> the index of its SA in the ESP SA list (checked against the
     * list on use), and SPI -> the list's length when no SA had it (looked
     * for again once the list grew): a look-up per packet instead of a
     * walk of the list. */
    GHashTable *by_spi, *missing;
    /* SPI -> the indices of the list's SAs with it (a GArray of guint,
     * ascending), and the indices of SAs for any SPI: the first sight of
     * an SPI was a walk of the whole list (20,000 SAs in a table: 2.5 s of
     * walks).  Built for a list of `indexed` SAs of which `indexed_loaded`
     * loaded, again when either changed: a key file loaded during a capture
     * can name a derived SA, which then moves to the loaded ones, the list's
     * length the same and the indices after it shifted. */
    GHashTable *spi_index;
    GArray *any_spi;
    size_t indexed, indexed_loaded;
};

static void state_keys_free(esp_sa_state *s)
{
    crypto_keyed_free(s->kh);
    s->kh = NULL;
    secure_free(s->ekey, s->elen);
    secure_free(s->akey, s->alen);
    s->ekey = s->akey = NULL;
    s->elen = s->alen = 0;
    if (s->ekey_hex)
        secure_wipe(s->ekey_hex, strlen(s->ekey_hex));
    if (s->akey_hex)
        secure_wipe(s->akey_hex, strlen(s->akey_hex));
    g_free(s->ekey_hex);
    g_free(s->akey_hex);
    g_free(s->encr);
    g_free(s->integ);
    s->ekey_hex = s->akey_hex = s->encr = s->integ = NULL;
}

static void state_free(gpointer p)
{
    esp_sa_state *s = p;
    state_keys_free(s);
    g_free(s->dst);
    g_free(s);
}

void esp_table_free(struct esp_table *t)
{
    if (!t)
        return;
    g_hash_table_destroy(t->state_of);
    g_ptr_array_free(t->sas, TRUE);
    g_hash_table_destroy(t->by_spi);
    g_hash_table_destroy(t->missing);
    g_hash_table_destroy(t->spi_index);
    g_array_free(t->any_spi, TRUE);
    g_free(t);
}

/* ---------------------------------------------------------------- keys */

/* "0x..." (or bare) hex into secure memory; "" gives no key. */
static bool key_bytes(const char *hex, uint8_t **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (!hex)
        return true;
    if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
        hex += 2;
    size_t n = strlen(hex);
    if (n % 2)
        return false;
    if (n == 0)
        return true;
    *out = secure_alloc(n / 2);
    *len = n / 2;
    return hex_decode(hex, n / 2, *out);
}

static bool same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* (Re)reads the SA's algorithms and keys when they changed. */
static void state_keys(esp_sa_state *s, const isakmp_esp_sa *sa)
{
    if (s->encr && same(s->encr, sa->encr_alg) && same(s->integ, sa->integ_alg) &&
        same(s->ekey_hex, sa->encr_key) && same(s->akey_hex, sa->integ_key))
        return;
    state_keys_free(s);
    s->encr = g_strdup(sa->encr_alg ? sa->encr_alg : "");
    s->integ = g_strdup(sa->integ_alg ? sa->integ_alg : "");
    s->ekey_hex = g_strdup(sa->encr_key ? sa->encr_key : "");
    s->akey_hex = g_strdup(sa->integ_key ? sa->integ_key : "");
    s->ca = NULL;
    s->ia = NULL;
    if (!key_bytes(sa->encr_key, &s->ekey, &s->elen) || !key_bytes(sa->integ_key, &s->akey, &s->alen))
        return;
    const cipher_alg *ca = cipher_by_name(s->encr, s->elen);
    if (ca && (size_t)ca->key_len + ca->salt_len != s->elen)
        ca = NULL;
    const integ_alg *ia = integ_by_name(s->integ);
    if (ca && ia)
        s->kh = crypto_keyed_new(ca, s->ekey, s->elen, ia, s->akey, s->alen);
    s->ca = s->kh ? ca : NULL;   /* keys libgcrypt refuses: unsupported */
    s->ia = s->kh ? ia : NULL;
}

static guint state_hash(gconstpointer p)
{
    const state_id *s = p;
    return s->spi * 0x9e3779b1u ^ g_str_hash(s->dst);
}

static gboolean state_equal(gconstpointer a, gconstpointer b)
{
    const state_id *x = a, *y = b;
    return x->spi == y->spi && strcmp(x->dst, y->dst) == 0;
}

static struct esp_table *table_of(isakmp_ctx *ctx)
{
    if (!ctx->esp) {
        ctx->esp = g_new0(struct esp_table, 1);
        ctx->esp->sas = g_ptr_array_new_with_free_func(state_free);
        ctx->esp->state_of = g_hash_table_new(state_hash, state_equal);
        ctx->esp->by_spi = g_hash_table_new(g_direct_hash, g_direct_equal);
        /* keyed by SPI and destination: an SPI may have an SA towards one
         * address and none towards another */
        ctx->esp->missing = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        ctx->esp->spi_index = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                                    (GDestroyNotify)g_array_unref);
        ctx->esp->any_spi = g_array_new(FALSE, FALSE, sizeof(guint));
        ctx->esp->indexed = SIZE_MAX;
    }
    return ctx->esp;
}

/* The state of the SA for this SPI and destination, made on first use. */
static esp_sa_state *state_get(isakmp_ctx *ctx, const isakmp_esp_sa *sa)
{
    struct esp_table *t = table_of(ctx);
    state_id probe = { sa->spi, sa->dst ? sa->dst : "" };
    esp_sa_state *s = g_hash_table_lookup(t->state_of, &probe);
    if (s)
        return s;
    s = g_new0(esp_sa_state, 1);
    s->spi = sa->spi;
    s->dst = g_strdup(probe.dst);
    s->id = (state_id){ s->spi, s->dst };
    s->esn = -1;
    g_ptr_array_add(t->sas, s);
    g_hash_table_insert(t->state_of, &s->id, s);
    return s;
}

/* The SPI index over the list's first n SAs. */
static void index_sas(isakmp_ctx *ctx, struct esp_table *t, size_t n)
{
    size_t loaded = keys_esp_count(ctx->keys);
    if (t->indexed == n && t->indexed_loaded == loaded)
        return;
    g_hash_table_remove_all(t->spi_index);
    g_array_set_size(t->any_spi, 0);
    isakmp_esp_sa sa;
    for (guint i = 0; i < n; i++) {
        if (!isakmp_ctx_esp_sa_get(ctx, i, &sa))
            continue;
        GArray *a = t->any_spi;
        if (sa.spi != 0 && !(a = g_hash_table_lookup(t->spi_index, GUINT_TO_POINTER(sa.spi)))) {
            a = g_array_new(FALSE, FALSE, sizeof(guint));
            g_hash_table_insert(t->spi_index, GUINT_TO_POINTER(sa.spi), a);
        }
        g_array_append_val(a, i);
    }
    t->indexed = n;
    t->indexed_loaded = loaded;
}

/* The SA for this SPI and destination: an exact address first, then a
 * wildcard ("*", or an SA loaded for any protocol); of those with the SPI
 * or any SPI, the first in the list. */
static bool scan_sa(isakmp_ctx *ctx, const char *dst, uint32_t spi, size_t n, size_t *idx,
                    isakmp_esp_sa *out)
{
    struct esp_table *t = table_of(ctx);
    index_sas(ctx, t, n);
    const GArray *with = g_hash_table_lookup(t->spi_index, GUINT_TO_POINTER(spi));
    const GArray *any = t->any_spi;
    guint a = 0, b = 0, na = with ? with->len : 0, nb = any->len;
    size_t wild = SIZE_MAX;
    isakmp_esp_sa sa;
    while (a < na || b < nb) {   /* both lists in list order */
        guint ia = a < na ? g_array_index(with, guint, a) : G_MAXUINT;
        guint ib = b < nb ? g_array_index(any, guint, b) : G_MAXUINT;
        guint i = ia < ib ? ia : ib;
        if (ia < ib)
            a++;
        else
            b++;
        if (!isakmp_ctx_esp_sa_get(ctx, i, &sa) || (sa.spi != spi && sa.spi != 0))
            continue;
        if (sa.spi == spi && sa.dst && strcmp(sa.dst, dst) == 0) {
            *idx = i;
            *out = sa;
            return true;
        }
        bool wildcard = sa.af == 0 || !sa.dst || !strcmp(sa.dst, "*") || !strcmp(sa.dst, "");
        if (wildcard && wild == SIZE_MAX)
            wild = i;
    }
    if (wild == SIZE_MAX || !isakmp_ctx_esp_sa_get(ctx, wild, out))
        return false;
    *idx = wild;
    return true;
}

/* scan_sa through the SPI cache. */
static bool find_sa(isakmp_ctx *ctx, const isakmp_packet *pkt, uint32_t spi, size_t *idx,
                    isakmp_esp_sa *out)
{
    struct esp_table *t = table_of(ctx);
    char dst[64];
    isakmp_format_addr(pkt->af, pkt->dst, dst, sizeof dst);
    gpointer key = GUINT_TO_POINTER(spi), v;
    if (g_hash_table_lookup_extended(t->by_spi, key, NULL, &v)) {
        guint hint = GPOINTER_TO_UINT(v);
        if (isakmp_ctx_esp_sa_get(ctx, hint, out) && out->spi == spi && out->dst &&
            strcmp(out->dst, dst) == 0) {
            *idx = hint;
            return true;
        }
    }
    size_t n = isakmp_ctx_esp_sa_count(ctx);
    char mkey[80];
    snprintf(mkey, sizeof mkey, "%08x/%s", spi, dst);
    if (g_hash_table_lookup_extended(t->missing, mkey, NULL, &v) && GPOINTER_TO_SIZE(v) == n)
        return false;   /* no SA had it, and none came since */
    bool found = scan_sa(ctx, dst, spi, n, idx, out);
    if (found) {
        g_hash_table_remove(t->missing, mkey);
        if (g_hash_table_size(t->by_spi) < ESP_SPI_CACHE)
            g_hash_table_insert(t->by_spi, key, GUINT_TO_POINTER((guint)*idx));
    } else if (g_hash_table_size(t->missing) < ESP_SPI_CACHE) {
        g_hash_table_insert(t->missing, g_strdup(mkey), GSIZE_TO_POINTER(n));
    }
    return found;
}

/* ---------------------------------------------------------------- sequence numbers */

uint32_t esp_infer_high(uint64_t top, uint32_t seq, uint32_t window)
{
    uint32_t tl = (uint32_t)top, th = (uint32_t)(top >> 32);
    if (tl >= window - 1)   /* case A: the window within one subspace */
        return seq >= tl - window + 1 ? th : th + 1;
    /* case B: the window spans two subspaces */
    return seq >= tl - window + 1 ? th - 1 : th;   /* (unsigned wrap intended) */
}

/* Replay check and window update (RFC 4303 3.4.3); update only for
 * packets that verified. */
static void window_check(esp_sa_state *s, uint64_t seq, bool update, isakmp_esp_result *r)
{
    if (s->seen && seq <= s->top) {
        uint64_t diff = s->top - seq;
        if (diff >= ESP_WINDOW)
            r->old = true;
        else if (s->window & ((uint64_t)1 << diff))
            r->replay = true;
        else if (update)
            s->window |= (uint64_t)1 << diff;
        return;
    }
    if (!update)
        return;
    if (!s->seen) {
        s->window = 1;
    } else {
        uint64_t shift = seq - s->top;
        s->window = shift >= ESP_WINDOW ? 1 : (s->window << shift) | 1;
    }
    s->top = seq;
    s->seen = true;
}

/* ---------------------------------------------------------------- the packet */

bool esp_trailer_ok(const uint8_t *p, size_t n)
{
    if (n < 2)
        return false;
    uint8_t pad = p[n - 2], nh = p[n - 1];
    if ((size_t)pad + 2 > n)
        return false;
    for (size_t i = 0; i < pad; i++)
        if (p[n - 2 - pad + i] != (uint8_t)(i + 1))
            return false;
    size_t inner = n - 2 - pad;
    if (nh == 4)
        return inner >= 20 && (p[0] >> 4) == 4;
    if (nh == 41)
        return inner >= 40 && (p[0] >> 4) == 6;
    return nh != 255;   /* reserved (RFC 4303 2.6) */
}

/* The ICV of a non-AEAD SA over the header and ciphertext (and the ESN
 * high bits), compared with the packet's. */
static void put32(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

static bool icv_ok(const esp_sa_state *s, const uint8_t *p, size_t covered, bool esn,
                   uint32_t high, const uint8_t *icv)
{
    uint8_t mac[64], hi[4];
    put32(hi, high);
    return crypto_keyed_icv(s->kh, p, covered, hi, esn ? 4 : 0, mac) &&
           memcmp(mac, icv, s->ia->icv_len) == 0;
}

/* AEAD: decrypts into out and checks the tag, with or without ESN. */
static bool aead_try(esp_sa_state *s, const uint8_t *p, size_t ctlen, bool esn,
                     uint32_t high, const uint8_t *tag, uint8_t *out)
{
    uint8_t aad[12];
    size_t alen = 8;
    memcpy(aad, p, 4);
    if (esn) {
        put32(aad + 4, high);
        memcpy(aad + 8, p + 4, 4);
        alen = 12;
    } else {
        memcpy(aad + 4, p + 4, 4);
    }
    bool tag_ok = false;
    const uint8_t *iv = p + 8;
    if (s->ca->kind == CK_GMAC) {
        /* RFC 4543 3.3: AAD = SPI | seq (| high | low) | IV | payload, which
         * is left as it is */
        size_t rest = s->ca->iv_len + ctlen;
        bool ok = esn ? crypto_keyed_gmac(s->kh, iv, aad, alen, p + 8, rest, tag, &tag_ok)
                      : crypto_keyed_gmac(s->kh, iv, p, 8 + rest, NULL, 0, tag, &tag_ok);
        if (ok && tag_ok)
            memcpy(out, p + 8 + s->ca->iv_len, ctlen);
        return ok && tag_ok;
    }
    return crypto_keyed_decrypt(s->kh, iv, aad, alen, p + 8 + s->ca->iv_len, ctlen, out, tag,
                                &tag_ok) &&
           tag_ok;
}

static bool is_aead(const cipher_alg *a)
{
    return a->kind == CK_GCM || a->kind == CK_CCM || a->kind == CK_CHACHA || a->kind == CK_GMAC;
}

/* Verifies (ICV or tag) with ESN off, then on, as far as the SA allows;
 * sets *esn and *high to what verified.  AEAD ciphers leave the plaintext
 * in out.  True when something verified. */
static bool verify(esp_sa_state *s, const uint8_t *p, size_t covered, size_t ctlen,
                   const uint8_t *icv, uint32_t seq, bool *esn, uint32_t *high, uint8_t *out)
{
    uint32_t h = s->seen ? esp_infer_high(s->top, seq, ESP_WINDOW) : 0;
    for (int e = 0; e <= 1; e++) {
        if (s->esn >= 0 && s->esn != e)
            continue;
        bool ok = is_aead(s->ca) ? aead_try(s, p, ctlen, e, h, icv, out)
                                 : icv_ok(s, p, covered, e, h, icv);
        if (ok) {
            *esn = e;
            *high = e ? h : 0;
            return true;
        }
    }
    return false;
}

static isakmp_esp_verdict finish(isakmp_esp_result *r, isakmp_esp_verdict v)
{
    r->verdict = v;
    return v;
}

/* Counts the packet in the SA's statistics (once per frame). */
static void count(esp_sa_state *s, const isakmp_packet *pkt, const isakmp_esp_result *r)
{
    isakmp_esp_sa_stats *st = &s->st;
    if (!s->counted) {
        s->counted = true;
        st->first_sec = pkt->ts_sec;
        st->first_usec = pkt->ts_usec;
        st->first_frame = pkt->frame;
    }
    st->last_sec = pkt->ts_sec;
    st->last_usec = pkt->ts_usec;
    st->last_frame = pkt->frame;
    if (r->verdict == ISAKMP_ESP_OK) {
        st->packets++;
        st->bytes += r->inner_len;
        if (r->seq64 > st->highest_seq)
            st->highest_seq = r->seq64;
    } else if (r->verdict == ISAKMP_ESP_ICV_FAILED) {
        st->icv_failed++;
    } else if (r->verdict == ISAKMP_ESP_BAD_TRAILER) {
        st->bad_trailer++;
    }
    st->replays += r->replay;
    st->old += r->old;
    st->esn = s->esn == 1;
    s->last_frame = pkt->frame;
    s->last_seq = r->seq64;
}

/* Sizes: IV, ICV, ciphertext; false when the packet cannot hold them. */
static bool sizes(const esp_sa_state *s, size_t len, isakmp_esp_result *r, size_t *ctlen)
{
    r->iv_len = s->ca->iv_len;
    r->icv_len = is_aead(s->ca) ? s->ca->icv_len : s->ia->icv_len;
    if (len < 8 + r->iv_len + r->icv_len + 2)
        return false;
    *ctlen = len - 8 - r->iv_len - r->icv_len;
    size_t blk = s->ca->kind == CK_CBC ? s->ca->block_len : 4;
    return s->ca->kind == CK_CBC ? *ctlen % blk == 0 : true;
}

/* Decrypts a non-AEAD SA's ciphertext into out. */
static bool plain_decrypt(esp_sa_state *s, const uint8_t *p, size_t ctlen, uint8_t *out)
{
    bool unused;
    return crypto_keyed_decrypt(s->kh, p + 8, NULL, 0, p + 8 + s->ca->iv_len, ctlen, out, NULL,
                                &unused);
}

static isakmp_esp_verdict decrypt_with(esp_sa_state *s, const isakmp_packet *pkt, uint8_t *out,
                                       isakmp_esp_result *r)
{
    const uint8_t *p = pkt->data;
    size_t ctlen;
    if (!sizes(s, pkt->len, r, &ctlen))
        return finish(r, ISAKMP_ESP_MALFORMED);
    size_t covered = pkt->len - r->icv_len;
    const uint8_t *icv = p + covered;
    bool checks = is_aead(s->ca) || (s->ia->kind != IK_NONE && s->ia->kind != IK_ANY);
    bool esn = false;
    uint32_t high = 0;
    r->integrity = checks;
    if (checks && !verify(s, p, covered, ctlen, icv, r->seq, &esn, &high, out))
        return finish(r, ISAKMP_ESP_ICV_FAILED);
    if (checks && s->esn < 0)
        s->esn = esn;
    r->esn = esn;
    r->seq64 = esn ? (uint64_t)high << 32 | r->seq : r->seq;
    if (!is_aead(s->ca) && !plain_decrypt(s, p, ctlen, out))
        return finish(r, ISAKMP_ESP_MALFORMED);
    r->pad_len = out[ctlen - 2];
    r->next_header = out[ctlen - 1];
    if (!esp_trailer_ok(out, ctlen))
        return finish(r, ISAKMP_ESP_BAD_TRAILER);
    r->inner = out;
    r->inner_len = ctlen - 2 - r->pad_len;
    r->tunnel = r->next_header == 4 || r->next_header == 41;
    r->dummy = r->next_header == 59;
    return finish(r, ISAKMP_ESP_OK);
}

isakmp_esp_verdict isakmp_ctx_esp_decrypt(isakmp_ctx *ctx, const isakmp_packet *pkt,
                                          uint8_t *out, size_t outsize, isakmp_esp_result *res)
{
    isakmp_esp_result *r = res;
    *r = (isakmp_esp_result){ .verdict = ISAKMP_ESP_MALFORMED };
    if (!pkt->data || pkt->len < 8 || outsize < pkt->len)
        return ISAKMP_ESP_MALFORMED;
    const uint8_t *p = pkt->data;
    r->spi = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    r->seq = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
    r->seq64 = r->seq;
    isakmp_esp_sa sa;
    if (!find_sa(ctx, pkt, r->spi, &r->sa, &sa))
        return finish(r, ISAKMP_ESP_NO_KEY);
    esp_sa_state *s = state_get(ctx, &sa);
    state_keys(s, &sa);
    r->encr_alg = sa.encr_alg;
    r->integ_alg = sa.integ_alg;
    if (!s->ca || !s->ia)
        return finish(r, ISAKMP_ESP_UNSUPPORTED);
    isakmp_esp_verdict v = decrypt_with(s, pkt, out, r);
    bool again = s->counted && pkt->frame &&
                 (pkt->frame < s->last_frame ||
                  (pkt->frame == s->last_frame && r->seq64 == s->last_seq));
    if (v == ISAKMP_ESP_OK || v == ISAKMP_ESP_BAD_TRAILER)
        window_check(s, r->seq64, !again && (v == ISAKMP_ESP_OK), r);
    if (again)
        r->replay = r->old = false;   /* a frame decrypted before: not counted again */
    else if (v != ISAKMP_ESP_MALFORMED)
        count(s, pkt, r);
    return v;
}

/* The statistics of SA i: its state's, found by SPI and destination. */
bool isakmp_ctx_esp_sa_stats(isakmp_ctx *ctx, size_t i, isakmp_esp_sa_stats *out)
{
    isakmp_esp_sa sa;
    if (!isakmp_ctx_esp_sa_get(ctx, i, &sa))
        return false;
    *out = (isakmp_esp_sa_stats){ 0 };
    state_id probe = { sa.spi, sa.dst ? sa.dst : "" };
    const esp_sa_state *s = ctx->esp ? g_hash_table_lookup(ctx->esp->state_of, &probe) : NULL;
    if (s)
        *out = s->st;
    return true;
}

const char *isakmp_esp_verdict_name(isakmp_esp_verdict v)
{
    switch (v) {
    case ISAKMP_ESP_OK: return "ok";
    case ISAKMP_ESP_NO_KEY: return "no key";
    case ISAKMP_ESP_ICV_FAILED: return "ICV failed";
    case ISAKMP_ESP_BAD_TRAILER: return "bad trailer";
    case ISAKMP_ESP_MALFORMED: return "malformed";
    case ISAKMP_ESP_UNSUPPORTED: return "unsupported";
    }
    return "?";
}
