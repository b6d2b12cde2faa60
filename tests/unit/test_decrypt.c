/* IKEv2 SK / SKF decryption end to end: messages are built and encrypted
 * here (AES-256-CBC + HMAC-SHA2-256-128, AES-GCM-128-16), then decoded with
 * keys from a Wireshark-format table.  Covers good messages, bad ICVs and
 * tags, wrong keys, truncated payloads, bad padding, fragments in any
 * order, missing fragments, and decoding frames again. */
#include <gcrypt.h>
#include <glib.h>
#include <string.h>

#include "crypto/crypto.h"
#include "keys/keys.h"
#include "testutil.h"

#define SPII "0102030405060708"
#define SPIR "1112131415161718"
#define EI "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define ER "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
#define AI "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
#define AR "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"

static const char *table_cbc =
    SPII "," SPIR "," EI "," ER ",\"AES-CBC-256 [RFC3602]\"," AI "," AR
         ",\"HMAC_SHA2_256_128 [RFC4868]\"\n";

static isakmp_ctx *ctx_with(const char *table)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    g_assert_cmpint(isakmp_ctx_load_keys_mem(ctx, "t", table, strlen(table), NULL, NULL), ==, 1);
    return ctx;
}

/* IKE header (RFC 7296 3.1), IKE_AUTH, initiator request; length fixed later. */
static GByteArray *header(uint8_t next, uint32_t msgid)
{
    size_t n;
    GByteArray *b = g_byte_array_new();
    uint8_t *spi = tu_hex(SPII SPIR, &n);
    g_byte_array_append(b, spi, 16);
    g_free(spi);
    uint8_t rest[12] = { next, 0x20, 35, 0x08, msgid >> 24, msgid >> 16, msgid >> 8, msgid };
    g_byte_array_append(b, rest, sizeof rest);
    return b;
}

/* A Nonce payload (RFC 7296 3.9) with `n` bytes of 0x5a, next payload `next`. */
static void nonce_payload(GByteArray *p, uint8_t next, size_t n)
{
    uint8_t h[4] = { next, 0, 0, 0 };
    g_byte_array_append(p, h, 4);
    tu_put16(p, p->len - 2, n + 4);
    for (size_t i = 0; i < n; i++)
        g_byte_array_append(p, (const uint8_t *)"\x5a", 1);
}

static void gcry_ok(gcry_error_t e) { g_assert_cmpint(e, ==, 0); }

/* Appends an SK (46) or SKF (53, with num/total) payload whose plaintext is
 * `plain` padded to the block, encrypted with AES-256-CBC, and the ICV. */
static void add_sk_cbc(GByteArray *m, uint8_t type, uint8_t next, uint16_t num, uint16_t total,
                       const GByteArray *plain, int pad_override)
{
    size_t hl = type == 53 ? 8 : 4;
    size_t pad = 15 - plain->len % 16;
    size_t ct_len = plain->len + pad + 1;
    size_t start = m->len;
    uint8_t h[8] = { next, 0, 0, 0, num >> 8, num, total >> 8, total };
    g_byte_array_append(m, h, hl);
    uint8_t iv[16];
    memset(iv, 0x77 + num, 16);
    g_byte_array_append(m, iv, 16);
    uint8_t *pt = g_malloc0(ct_len);
    memcpy(pt, plain->data, plain->len);
    pt[ct_len - 1] = pad_override >= 0 ? (uint8_t)pad_override : (uint8_t)pad;
    size_t kl;
    uint8_t *ek = tu_hex(EI, &kl), *ak = tu_hex(AI, &kl);
    gcry_cipher_hd_t c;
    gcry_ok(gcry_cipher_open(&c, GCRY_CIPHER_AES256, GCRY_CIPHER_MODE_CBC, 0));
    gcry_ok(gcry_cipher_setkey(c, ek, 32));
    gcry_ok(gcry_cipher_setiv(c, iv, 16));
    gcry_ok(gcry_cipher_encrypt(c, pt, ct_len, NULL, 0));
    gcry_cipher_close(c);
    g_byte_array_append(m, pt, ct_len);
    tu_put16(m, start + 2, hl + 16 + ct_len + 16);
    tu_put16(m, 26, m->len + 16);   /* IKE length, ICV included */
    uint8_t icv[16];
    g_assert_true(crypto_hmac(GCRY_MD_SHA256, ak, 32, m->data, m->len, icv, 16));
    g_byte_array_append(m, icv, 16);
    g_free(pt);
    g_free(ek);
    g_free(ak);
}

static GByteArray *one_sk_message(int pad_override)
{
    GByteArray *plain = g_byte_array_new();
    nonce_payload(plain, 0, 16);
    GByteArray *m = header(46, 1);
    add_sk_cbc(m, 46, 40, 0, 0, plain, pad_override);
    g_byte_array_unref(plain);
    return m;
}

static void test_sk_good(void)
{
    isakmp_ctx *ctx = ctx_with(table_cbc);
    GByteArray *b = one_sk_message(-1);
    isakmp_msg *m = tu_decode_frame(ctx, b, 1);
    tu_assert_values(m, "ike.typepayload", "46,40");
    tu_assert_values(m, "ike.verify.icv", "1");
    tu_assert_values(m, "ike.nonce", "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
    tu_assert_values(m, "ike.enc.pad_length", "11");
    g_assert_cmpuint(isakmp_msg_source_count(m), ==, 2);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_DECRYPT), ==, 0);
    isakmp_msg_free(m);
    /* decoding the same frame again gives the same tree */
    m = tu_decode_frame(ctx, b, 1);
    tu_assert_values(m, "ike.typepayload", "46,40");
    isakmp_msg_free(m);
    g_byte_array_unref(b);
    isakmp_ctx_free(ctx);
}

static void test_sk_bad_icv(void)
{
    isakmp_ctx *ctx = ctx_with(table_cbc);
    GByteArray *b = one_sk_message(-1);
    b->data[b->len - 1] ^= 1;
    isakmp_msg *m = tu_decode_frame(ctx, b, 1);
    tu_assert_values(m, "ike.verify.icv", "0");
    tu_assert_values(m, "ike.typepayload", "46,40");   /* still decrypted */
    const char *t = tu_note_text(m, ISAKMP_NOTE_VERIFY);
    g_assert_nonnull(t);
    g_assert_nonnull(strstr(t, "expected"));
    isakmp_msg_free(m);
    g_byte_array_unref(b);
    isakmp_ctx_free(ctx);
}

static void test_sk_wrong_key(void)
{
    /* SK_ei and SK_ai swapped for other keys: the ICV fails, the plaintext is
     * garbage, and decoding goes on without reading out of bounds */
    char *table = g_strdup(table_cbc);
    memcpy(strstr(table, EI), ER, 64);
    memcpy(strstr(table, AI), AR, 64);
    isakmp_ctx *ctx = ctx_with(table);
    GByteArray *b = one_sk_message(-1);
    isakmp_msg *m = tu_decode_frame(ctx, b, 1);
    tu_assert_values(m, "ike.verify.icv", "0");
    isakmp_msg_free(m);
    g_byte_array_unref(b);
    isakmp_ctx_free(ctx);
    g_free(table);
}

static void test_sk_bad_padding(void)
{
    isakmp_ctx *ctx = ctx_with(table_cbc);
    GByteArray *b = one_sk_message(200);   /* pad length beyond the plaintext */
    isakmp_msg *m = tu_decode_frame(ctx, b, 1);
    tu_assert_values(m, "ike.verify.icv", "1");
    const char *t = tu_note_text(m, ISAKMP_NOTE_DECRYPT);
    g_assert_nonnull(t);
    g_assert_nonnull(strstr(t, "Pad length 200"));
    isakmp_msg_free(m);
    g_byte_array_unref(b);
    isakmp_ctx_free(ctx);
}

static void test_sk_truncated(void)
{
    isakmp_ctx *ctx = ctx_with(table_cbc);
    GByteArray *b = header(46, 1);
    uint8_t sk[4 + 20] = { 40, 0, 0, 24 };   /* 20 bytes: less than IV + ICV */
    g_byte_array_append(b, sk, sizeof sk);
    tu_put16(b, 26, b->len);
    isakmp_msg *m = tu_decode_frame(ctx, b, 1);
    const char *t = tu_note_text(m, ISAKMP_NOTE_DECRYPT);
    g_assert_nonnull(t);
    g_assert_nonnull(strstr(t, "Not enough data"));
    tu_assert_values(m, "ike.typepayload", "46");
    isakmp_msg_free(m);
    /* and cut short by the capture: the SK payload claims more than there is */
    GByteArray *full = one_sk_message(-1);
    for (size_t cut = 28; cut < full->len; cut += 7) {
        GByteArray *c = g_byte_array_new();
        g_byte_array_append(c, full->data, cut);
        m = tu_decode_frame(ctx, c, 2);
        g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_TRUNCATED) + tu_note_count(m, ISAKMP_NOTE_DECRYPT),
                         >, 0);
        isakmp_msg_free(m);
        g_byte_array_unref(c);
    }
    g_byte_array_unref(full);
    g_byte_array_unref(b);
    isakmp_ctx_free(ctx);
}

/* Three SKF fragments of Nonce | Nonce | Nonce, plaintext split in three. */
static GByteArray *fragment(uint16_t num, const GByteArray *whole)
{
    size_t part = (whole->len + 2) / 3;
    size_t off = (num - 1) * part, n = MIN(part, whole->len - off);
    GByteArray *p = g_byte_array_new();
    g_byte_array_append(p, whole->data + off, n);
    GByteArray *m = header(53, 7);
    add_sk_cbc(m, 53, num == 1 ? 40 : 0, num, 3, p, -1);
    g_byte_array_unref(p);
    return m;
}

static void test_skf_any_order(void)
{
    isakmp_ctx *ctx = ctx_with(table_cbc);
    GByteArray *whole = g_byte_array_new();
    nonce_payload(whole, 40, 20);
    nonce_payload(whole, 40, 30);
    nonce_payload(whole, 0, 40);
    GByteArray *f[4] = { NULL, fragment(1, whole), fragment(2, whole), fragment(3, whole) };
    /* frames 10, 11, 12 carry fragments 3, 1, 2 */
    isakmp_msg *m = tu_decode_frame(ctx, f[3], 10);
    tu_assert_values(m, "ike.typepayload", "53");
    isakmp_msg_free(m);
    m = tu_decode_frame(ctx, f[1], 11);
    tu_assert_values(m, "ike.typepayload", "53");
    isakmp_msg_free(m);
    for (int pass = 0; pass < 2; pass++) {   /* the first pass, then decoding again */
        m = tu_decode_frame(ctx, f[2], 12);
        tu_assert_values(m, "ike.typepayload", "53,40,40,40");
        tu_assert_values(m, "ike.fragment", "11,12,10");
        tu_assert_values(m, "ike.fragment.count", "3");
        char len[16];
        g_snprintf(len, sizeof len, "%u", whole->len);
        tu_assert_values(m, "ike.reassembled.length", len);
        tu_assert_values(m, "ike.verify.icv", "1");
        isakmp_msg_free(m);
    }
    /* decoding a fragment's frame again points at the frame that completed it */
    m = tu_decode_frame(ctx, f[3], 10);
    tu_assert_values(m, "ike.reassembled.in", "12");
    tu_assert_values(m, "ike.typepayload", "53");
    isakmp_msg_free(m);
    for (int i = 1; i <= 3; i++)
        g_byte_array_unref(f[i]);
    g_byte_array_unref(whole);
    isakmp_ctx_free(ctx);
}

static void test_skf_missing(void)
{
    isakmp_ctx *ctx = ctx_with(table_cbc);
    GByteArray *whole = g_byte_array_new();
    nonce_payload(whole, 0, 60);
    GByteArray *f1 = fragment(1, whole), *f3 = fragment(3, whole);
    isakmp_msg *m = tu_decode_frame(ctx, f1, 1);
    isakmp_msg_free(m);
    m = tu_decode_frame(ctx, f3, 2);
    tu_assert_values(m, "ike.typepayload", "53");   /* nothing reassembled */
    tu_assert_values(m, "ike.fragment", "");
    isakmp_msg_free(m);
    /* a fragment number beyond the total is refused with a note */
    f3->data[28 + 4 + 1] = 9;
    f3->data[28 + 4 + 0] = 0;
    m = tu_decode_frame(ctx, f3, 3);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), >, 0);
    isakmp_msg_free(m);
    g_byte_array_unref(f1);
    g_byte_array_unref(f3);
    g_byte_array_unref(whole);
    isakmp_ctx_free(ctx);
}

/* AES-GCM-128 with a 16-byte tag (RFC 5282): good and bad tags. */
static void test_sk_gcm(void)
{
    const char *key = "feffe9928665731c6d6a8f9467308308" "cafebabe";
    /* an older epoch's line first (RFC 9370): the tag picks the right one */
    char *table = g_strdup_printf("%s,%s,%s,%s,aes128gcm16,,,none\n"
                                  "%s,%s,%s,%s,\"AES-GCM-128 with 16 octet ICV [RFC5282]\",,,"
                                  "\"NONE [RFC4306]\"\n", SPII, SPIR, "00112233445566778899aabbccddeeff01020304",
                                  "00112233445566778899aabbccddeeff01020304", SPII, SPIR, key, key);
    isakmp_ctx *ctx = isakmp_ctx_new();
    g_assert_cmpint(isakmp_ctx_load_keys_mem(ctx, "t", table, strlen(table), NULL, NULL), ==, 2);
    GByteArray *plain = g_byte_array_new();
    nonce_payload(plain, 0, 16);
    g_byte_array_append(plain, (const uint8_t *)"\0", 1);   /* pad length 0 */
    GByteArray *b = header(46, 1);
    uint8_t h[4] = { 40, 0, 0, 0 };
    g_byte_array_append(b, h, 4);
    tu_put16(b, 30, 4 + 8 + plain->len + 16);
    tu_put16(b, 26, b->len + 8 + plain->len + 16);
    size_t kl;
    uint8_t *k = tu_hex(key, &kl), iv[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, nonce[12], tag[16];
    memcpy(nonce, k + 16, 4);
    memcpy(nonce + 4, iv, 8);
    gcry_cipher_hd_t c;
    gcry_ok(gcry_cipher_open(&c, GCRY_CIPHER_AES128, GCRY_CIPHER_MODE_GCM, 0));
    gcry_ok(gcry_cipher_setkey(c, k, 16));
    gcry_ok(gcry_cipher_setiv(c, nonce, 12));
    gcry_ok(gcry_cipher_authenticate(c, b->data, b->len));
    gcry_ok(gcry_cipher_encrypt(c, plain->data, plain->len, NULL, 0));
    gcry_ok(gcry_cipher_gettag(c, tag, 16));
    gcry_cipher_close(c);
    g_byte_array_append(b, iv, 8);
    g_byte_array_append(b, plain->data, plain->len);
    g_byte_array_append(b, tag, 16);
    isakmp_msg *m = tu_decode_frame(ctx, b, 1);
    tu_assert_values(m, "ike.typepayload", "46,40");
    tu_assert_values(m, "ike.verify.icv", "1");
    tu_assert_values(m, "ike.enc.iv", "0102030405060708");
    isakmp_msg_free(m);
    b->data[b->len - 3] ^= 0x80;   /* no line's tag verifies: the first line's failure */
    m = tu_decode_frame(ctx, b, 2);
    tu_assert_values(m, "ike.verify.icv", "0");
    isakmp_msg_free(m);
    g_free(k);
    g_byte_array_unref(plain);
    g_byte_array_unref(b);
    isakmp_ctx_free(ctx);
    g_free(table);
}

/* RFC 9370: strongSwan's save-keys writes one line per key epoch for the
 * same SPI pair.  All are kept (the same line twice once) and each message
 * is decrypted with the one whose ICV verifies; with none, the first one's
 * failure is shown. */
static void test_sk_key_epochs(void)
{
    char *wrong = g_strdup(table_cbc);
    memcpy(strstr(wrong, EI), ER, 64);
    memcpy(strstr(wrong, AI), AR, 64);
    char *table = g_strconcat(wrong, table_cbc, table_cbc, NULL);
    isakmp_ctx *ctx = isakmp_ctx_new();
    g_assert_cmpint(isakmp_ctx_load_keys_mem(ctx, "t", table, strlen(table), NULL, NULL), ==, 3);
    size_t n, kl;
    uint8_t *spii = tu_hex(SPII, &kl), *spir = tu_hex(SPIR, &kl);
    g_assert_nonnull(keys_v2_find_all(ctx->keys, spii, spir, &n));
    g_assert_cmpuint(n, ==, 2);
    GByteArray *b = one_sk_message(-1);
    isakmp_msg *m = tu_decode_frame(ctx, b, 1);
    tu_assert_values(m, "ike.verify.icv", "1");
    tu_assert_values(m, "ike.typepayload", "46,40");
    tu_assert_values(m, "ike.nonce", "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");
    isakmp_msg_free(m);
    b->data[b->len - 1] ^= 1;   /* no key verifies: the first is shown failing */
    m = tu_decode_frame(ctx, b, 2);
    tu_assert_values(m, "ike.verify.icv", "0");
    isakmp_msg_free(m);
    g_byte_array_unref(b);
    g_free(spii);
    g_free(spir);
    isakmp_ctx_free(ctx);
    g_free(table);
    g_free(wrong);
}

/* No key for the SA: the SK body is shown as encrypted data. */
static void test_sk_no_key(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    GByteArray *b = one_sk_message(-1);
    isakmp_msg *m = tu_decode_frame(ctx, b, 1);
    tu_assert_values(m, "ike.typepayload", "46");
    tu_assert_values(m, "ike.verify.icv", "");
    g_assert_cmpuint(isakmp_msg_source_count(m), ==, 1);
    isakmp_msg_free(m);
    g_byte_array_unref(b);
    isakmp_ctx_free(ctx);
}

/* More fragments than the reassembly limit: refused with a note. */
static void test_skf_limit(void)
{
    isakmp_ctx *ctx = ctx_with(table_cbc);
    GByteArray *p = g_byte_array_new();
    nonce_payload(p, 0, 8);
    GByteArray *m = header(53, 9);
    add_sk_cbc(m, 53, 40, 1, 65, p, -1);
    isakmp_msg *msg = tu_decode_frame(ctx, m, 1);
    g_assert_cmpuint(tu_note_count(msg, ISAKMP_NOTE_LIMIT), ==, 1);
    tu_assert_values(msg, "ike.verify.icv", "1");
    isakmp_msg_free(msg);
    g_byte_array_unref(m);
    g_byte_array_unref(p);
    isakmp_ctx_free(ctx);
}

/* The pending-fragment budget holds for IKEv2 SKF sets too (issue 18): 40
 * incomplete messages of one SA, the first of two fragments each with
 * 30,000 bytes of plaintext (~1.2 MB without the budget), stay within
 * 256 KiB; one that completes still reassembles. */
static void test_skf_budget(void)
{
    isakmp_ctx *ctx = ctx_with(table_cbc);
    isakmp_ctx_set_frame_records(ctx, false);
    isakmp_ctx_set_frag_budget(ctx, 256 << 10);
    GByteArray *p = g_byte_array_new();
    nonce_payload(p, 0, 30000);
    isakmp_frag_stats st;
    size_t notes = 0;
    for (uint32_t id = 1; id <= 40; id++) {
        GByteArray *m = header(53, id);
        add_sk_cbc(m, 53, 40, 1, 2, p, -1);
        isakmp_msg *msg = tu_decode_frame(ctx, m, id);
        notes += tu_note_count(msg, ISAKMP_NOTE_LIMIT);
        isakmp_msg_free(msg);
        g_byte_array_unref(m);
        isakmp_ctx_frag_stats(ctx, &st);
        g_assert_cmpuint(st.pending_bytes, <=, 256 << 10);
    }
    g_assert_cmpuint(st.evicted_sets, >=, 24);
    g_assert_cmpuint(st.evicted_sets, ==, notes);
    GByteArray *whole = g_byte_array_new();
    nonce_payload(whole, 40, 20);
    nonce_payload(whole, 40, 30);
    nonce_payload(whole, 0, 40);
    for (uint16_t num = 1; num <= 3; num++) {
        GByteArray *f = fragment(num, whole);
        isakmp_msg *msg = tu_decode_frame(ctx, f, 100 + num);
        tu_assert_values(msg, "ike.typepayload", num == 3 ? "53,40,40,40" : "53");
        isakmp_msg_free(msg);
        g_byte_array_unref(f);
    }
    g_byte_array_unref(whole);
    g_byte_array_unref(p);
    isakmp_ctx_free(ctx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    crypto_init();
    g_test_add_func("/decrypt/sk-good", test_sk_good);
    g_test_add_func("/decrypt/sk-bad-icv", test_sk_bad_icv);
    g_test_add_func("/decrypt/sk-wrong-key", test_sk_wrong_key);
    g_test_add_func("/decrypt/sk-bad-padding", test_sk_bad_padding);
    g_test_add_func("/decrypt/sk-truncated", test_sk_truncated);
    g_test_add_func("/decrypt/sk-gcm", test_sk_gcm);
    g_test_add_func("/decrypt/sk-no-key", test_sk_no_key);
    g_test_add_func("/decrypt/sk-key-epochs", test_sk_key_epochs);
    g_test_add_func("/decrypt/skf-any-order", test_skf_any_order);
    g_test_add_func("/decrypt/skf-missing", test_skf_missing);
    g_test_add_func("/decrypt/skf-limit", test_skf_limit);
    g_test_add_func("/decrypt/skf-budget", test_skf_budget);
    return g_test_run();
}
