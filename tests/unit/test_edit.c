/* The edit API (keying/edit.c, edit_crypt.c) and the mutations (mutate.c):
 * encoding recomputes lengths, chains and counts; SK messages are encrypted
 * again with a verifying ICV; IKEv1 IVs; the mutations are deterministic
 * per seed; the dictionary's form. */
#include <string.h>

#include "isakmp/edit.h"
#include "testutil.h"

/* IKEv2 IKE_SA_INIT request: SA (1 proposal, IKE, 2 transforms: ENCR
 * AES-CBC with Key Length 128 (TV), PRF HMAC-SHA1), Nonce (8 bytes). */
static const char *const SA_INIT =
    "0102030405060708" "0000000000000000" "21" "20" "22" "08" "00000000" "00000048"
    /* SA, next Nonce (40), length 4 + 28 */
    "28" "00" "0020"
    /* proposal: last, length 28 = 8 + 12 + 8, #1, IKE, SPI size 0, 2 transforms */
    "00" "00" "001c" "01" "01" "00" "02"
    /* transform ENCR 12 with attribute 0x800e = 128; more follows */
    "03" "00" "000c" "01" "00" "000c" "800e0080"
    /* transform PRF 2, last */
    "00" "00" "0008" "02" "00" "0002"
    /* Nonce, last */
    "00" "00" "000c" "1122334455667788";

static GByteArray *encode(isakmp_edit *e)
{
    size_t n = isakmp_edit_encode(e, NULL, 0);
    g_assert_cmpuint(n, >, 0);
    GByteArray *b = g_byte_array_sized_new((guint)n);
    g_byte_array_set_size(b, (guint)n);
    g_assert_cmpuint(isakmp_edit_encode(e, b->data, n), ==, n);
    return b;
}

static isakmp_edit *edit_of(isakmp_ctx *ctx, const char *hex, isakmp_msg **m)
{
    *m = tu_decode_hex(ctx, hex);
    isakmp_edit *e = isakmp_edit_new(ctx, *m);
    g_assert_nonnull(e);
    g_assert_false(isakmp_node_raw(isakmp_edit_root(e)));
    return e;
}

static void test_round_trip(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m;
    isakmp_edit *e = edit_of(ctx, SA_INIT, &m);
    size_t len;
    uint8_t *want = tu_hex(SA_INIT, &len);
    GByteArray *b = encode(e);
    g_assert_cmpmem(b->data, b->len, want, len);
    isakmp_node *root = isakmp_edit_root(e);
    g_assert_cmpuint(isakmp_node_child_count(root), ==, 2);
    isakmp_node *sa = isakmp_node_child(root, 0), *prop = isakmp_node_child(sa, 0);
    g_assert_cmpint(isakmp_node_kind_of(prop), ==, ISAKMP_NODE_PROPOSAL);
    g_assert_cmpuint(isakmp_node_child_count(prop), ==, 2);
    g_assert_cmpuint(isakmp_node_child_count(isakmp_node_child(prop, 0)), ==, 1);   /* the attribute */
    g_byte_array_free(b, TRUE);
    g_free(want);
    isakmp_edit_free(e);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* A transform duplicated: the proposal's count, its length, the SA's
 * length, the message's length and the Last Substructure bytes follow. */
static void test_dup_transform(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m;
    isakmp_edit *e = edit_of(ctx, SA_INIT, &m);
    isakmp_node *prop = isakmp_node_child(isakmp_node_child(isakmp_edit_root(e), 0), 0);
    g_assert_nonnull(isakmp_node_copy_into(prop, 2, isakmp_node_child(prop, 0)));
    GByteArray *b = encode(e);
    isakmp_msg *m2 = tu_decode(ctx, b->data, b->len);
    tu_assert_values(m2, "ike.length", "84");
    tu_assert_values(m2, "ike.prop.transforms", "3");
    tu_assert_values(m2, "ike.tf.type", "1,2,1");
    g_assert_cmpuint(tu_note_count(m2, ISAKMP_NOTE_MALFORMED), ==, 0);
    /* the last transform's Last Substructure is 0, the others 3 */
    g_assert_cmpuint(b->data[28 + 4 + 8], ==, 3);
    g_assert_cmpuint(b->data[28 + 4 + 8 + 12], ==, 3);
    g_assert_cmpuint(b->data[28 + 4 + 8 + 12 + 8], ==, 0);
    g_byte_array_free(b, TRUE);
    isakmp_msg_free(m2);
    isakmp_edit_free(e);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* The SA payload removed: the header's Next Payload is the Nonce's type. */
static void test_remove_chain(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m;
    isakmp_edit *e = edit_of(ctx, SA_INIT, &m);
    isakmp_node_remove(isakmp_node_child(isakmp_edit_root(e), 0));
    GByteArray *b = encode(e);
    g_assert_cmpuint(b->len, ==, 28 + 12);
    g_assert_cmpuint(b->data[16], ==, 40);
    isakmp_msg *m2 = tu_decode(ctx, b->data, b->len);
    tu_assert_values(m2, "ike.typepayload", "40");
    g_byte_array_free(b, TRUE);
    isakmp_msg_free(m2);
    isakmp_edit_free(e);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* An item resized (the nonce to 32 bytes) and an integer item set. */
static void test_set_items(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m;
    isakmp_edit *e = edit_of(ctx, SA_INIT, &m);
    uint8_t nonce[32];
    memset(nonce, 0xab, sizeof nonce);
    g_assert_cmpint(isakmp_edit_set_item(e, tu_find(m, "ike.nonce"), nonce, sizeof nonce), ==, 0);
    g_assert_cmpint(isakmp_edit_set_item_uint(e, tu_find(m, "ike.tf.id.prf"), 5), ==, 0);
    /* generic header fields are encoding's: no node */
    g_assert_cmpint(isakmp_edit_set_item_uint(e, tu_find(m, "ike.payloadlength"), 1), ==, -1);
    GByteArray *b = encode(e);
    isakmp_msg *m2 = tu_decode(ctx, b->data, b->len);
    tu_assert_values(m2, "ike.tf.id.prf", "5");
    tu_assert_values(m2, "ike.length", "96");
    char *v = tu_values(m2, "ike.nonce");
    g_assert_cmpuint(strlen(v), ==, 64);
    g_free(v);
    g_byte_array_free(b, TRUE);
    isakmp_msg_free(m2);
    isakmp_edit_free(e);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* Breaking on purpose: one length plus 4, one next payload changed. */
static void test_break(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m;
    isakmp_edit *e = edit_of(ctx, SA_INIT, &m);
    isakmp_node *nonce = isakmp_node_child(isakmp_edit_root(e), 1);
    isakmp_node_break(nonce, ISAKMP_BREAK_LENGTH, 4);
    GByteArray *b = encode(e);
    g_assert_cmpuint(b->len, ==, 72);
    g_assert_cmpuint((unsigned)(b->data[62] << 8 | b->data[63]), ==, 16);
    isakmp_node_break(nonce, ISAKMP_BREAK_NONE, 0);
    isakmp_node_break(isakmp_edit_root(e), ISAKMP_BREAK_NEXT, 41);
    g_byte_array_free(b, TRUE);
    b = encode(e);
    g_assert_cmpuint(b->data[16], ==, 41);
    g_assert_cmpuint((unsigned)(b->data[62] << 8 | b->data[63]), ==, 12);
    g_byte_array_free(b, TRUE);
    isakmp_edit_free(e);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* The IKE_AUTH request of a sample: its IDi changed inside SK, encrypted
 * again, decoded as a new frame: the ICV verifies, the ID is the new one. */
static void test_sk_reencrypt(void)
{
    GPtrArray *frames = tu_sample_frames("ikev2-psk-aes256-sha256-ecp256");
    char *table = tu_sample_path("ikev2-psk-aes256-sha256-ecp256", "ikev2_decryption_table");
    isakmp_ctx *ctx = isakmp_ctx_new();
    g_assert_cmpint(isakmp_ctx_load_keys(ctx, table, NULL, NULL), >, 0);
    bool done = false;
    for (guint i = 0; i < frames->len && !done; i++) {
        tu_frame *f = g_ptr_array_index(frames, i);
        isakmp_msg *m = isakmp_decode(ctx, &f->pkt);
        const isakmp_item *id = tu_find(m, "ike.id.data");
        if (id && isakmp_msg_version(m) == 2) {
            isakmp_edit *e = isakmp_edit_new(ctx, m);
            isakmp_node *sk = isakmp_node_child(isakmp_edit_root(e),
                                                isakmp_node_child_count(isakmp_edit_root(e)) - 1);
            g_assert_true(isakmp_node_encrypted(sk));
            const uint8_t who[] = "mutant.example";
            g_assert_cmpint(isakmp_edit_set_item(e, id, who, sizeof who - 1), ==, 0);
            GByteArray *b = encode(e);
            isakmp_packet p = f->pkt;
            p.data = b->data;
            p.len = b->len;
            p.frame = 10000;
            isakmp_msg *m2 = isakmp_decode(ctx, &p);
            tu_assert_values(m2, "ike.verify.icv", "1");
            /* the decrypted plaintext holds the new ID */
            size_t pn = 0;
            const uint8_t *plain = isakmp_msg_source_data(m2, 1, &pn);
            g_assert_nonnull(plain);
            g_assert_nonnull(memmem(plain, pn, who, sizeof who - 1));
            isakmp_msg_free(m2);
            g_byte_array_free(b, TRUE);
            isakmp_edit_free(e);
            done = true;
        }
        isakmp_msg_free(m);
    }
    g_assert_true(done);
    isakmp_ctx_free(ctx);
    g_free(table);
    tu_frames_free(frames);
}

/* IKEv1: the IV of an encrypted message is the one it was decrypted with;
 * encoded with another, the ciphertext changes (CBC: from the first block
 * on), its length does not. */
static void test_v1_iv(void)
{
    GPtrArray *frames = tu_sample_frames("ikev1-main-psk-aes128-sha1-modp2048");
    char *table = tu_sample_path("ikev1-main-psk-aes128-sha1-modp2048", "ikev1_decryption_table");
    isakmp_ctx *ctx = isakmp_ctx_new();
    g_assert_cmpint(isakmp_ctx_load_keys(ctx, table, NULL, NULL), >, 0);
    int seen = 0;
    for (guint i = 0; i < frames->len; i++) {
        tu_frame *f = g_ptr_array_index(frames, i);
        isakmp_msg *m = isakmp_decode(ctx, &f->pkt);
        isakmp_edit *e = isakmp_edit_new(ctx, m);
        size_t n = 0;
        const uint8_t *iv = e ? isakmp_edit_iv(e, &n) : NULL;
        if (iv) {
            seen++;
            g_assert_cmpuint(n, ==, 16);
            uint8_t zero[16] = { 0 }, h[16];
            g_assert_cmpuint(isakmp_edit_v1_exchange_iv(e, zero, 16, 1, h, sizeof h), ==, 16);
            g_assert_cmpint(isakmp_edit_set_iv(e, zero, 16), ==, 0);
            GByteArray *b = encode(e);
            g_assert_cmpuint(b->len, ==, f->pkt.len);
            g_assert_cmpmem(b->data, 28, f->pkt.data, 28);
            g_assert_true(memcmp(b->data + 28, f->pkt.data + 28, 16) != 0);
            g_byte_array_free(b, TRUE);
        }
        isakmp_edit_free(e);
        isakmp_msg_free(m);
    }
    g_assert_cmpint(seen, >=, 4);
    isakmp_ctx_free(ctx);
    g_free(table);
    tu_frames_free(frames);
}

/* The same seed gives the same mutant; a mutant differs from its input. */
static void test_mutate_seed(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m;
    isakmp_edit *e = edit_of(ctx, SA_INIT, &m);
    for (uint64_t seed = 0; seed < 50; seed++) {
        isakmp_edit *a = isakmp_edit_copy(e), *b = isakmp_edit_copy(e);
        uint64_t ra = seed, rb = seed;
        const char *wa = isakmp_edit_mutate(a, &ra, ISAKMP_MUTATE_BREAK, NULL);
        const char *wb = isakmp_edit_mutate(b, &rb, ISAKMP_MUTATE_BREAK, NULL);
        g_assert_nonnull(wa);
        g_assert_cmpstr(wa, ==, wb);
        GByteArray *ba = encode(a), *bb = encode(b);
        g_assert_cmpmem(ba->data, ba->len, bb->data, bb->len);
        g_byte_array_free(ba, TRUE);
        g_byte_array_free(bb, TRUE);
        isakmp_edit_free(a);
        isakmp_edit_free(b);
    }
    isakmp_edit_free(e);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

static void test_dictionary(void)
{
    size_t n = isakmp_mutate_dictionary(NULL, 0);
    g_assert_cmpuint(n, >, 1000);
    char *d = g_malloc(n + 1);
    g_assert_cmpuint(isakmp_mutate_dictionary(d, n + 1), ==, n);
    g_assert_nonnull(strstr(d, "=\"\\x2e\"\n"));          /* SK, 46 */
    g_assert_nonnull(strstr(d, "=\"\\x40\\x04\"\n"));     /* NAT_DETECTION_SOURCE_IP, 16388 */
    g_free(d);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/edit/round-trip", test_round_trip);
    g_test_add_func("/edit/dup-transform", test_dup_transform);
    g_test_add_func("/edit/remove-chain", test_remove_chain);
    g_test_add_func("/edit/set-items", test_set_items);
    g_test_add_func("/edit/break", test_break);
    g_test_add_func("/edit/sk-reencrypt", test_sk_reencrypt);
    g_test_add_func("/edit/v1-iv", test_v1_iv);
    g_test_add_func("/mutate/seed", test_mutate_seed);
    g_test_add_func("/mutate/dictionary", test_dictionary);
    return g_test_run();
}
