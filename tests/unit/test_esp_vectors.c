/* ESP packets from the RFCs, opened with isakmp_ctx_esp_decrypt: RFC 3602
 * section 4 cases #5-#8 (AES-CBC, whole ESP packets without ICV), RFC 7634
 * Appendix A (the ChaCha20-Poly1305 ESP example) and the AES-GCM packets of
 * draft-mcgrew-gcm-test-01 section 4 whose sequence numbers are 32 bits or
 * have ESN high bits 0 (cases 2, 3, 4, 7, 8, 12, 13; the others carry high
 * bits a receiver infers only from earlier packets of the SA, which a lone
 * vector does not have).  The bytes were typed from the documents and each
 * was checked with Python's `cryptography` before it went in.  A changed
 * bit must fail the ICV (or, without one, change what comes out). */
#include <glib.h>
#include <string.h>

#include "core/internal.h"
#include "esp/esp.h"
#include "keys/keys.h"
#include "testutil.h"

typedef struct {
    const char *name, *encr;
    uint8_t next_header;
    bool esn;              /* the ICV covers ESN high bits (0) */
    const char *key;       /* cipher key, then salt */
    const char *packet;    /* from the SPI */
    const char *inner;     /* the payload without padding and trailer */
} vector;

static const vector vectors[] = {
    { "RFC 3602 case #5", "AES-CBC [RFC3602]", 1, false,
      "0x90d382b410eeba7ad938c46cec1a82bf",
      "0000432100000001e96e8c08ab465763fd098d45dd3ff893f663c25d325c18c6"
      "a9453e194e120849a4870b66cc6b9965330013b4898dc856a4699e523a55db08"
      "0b59ec3a8e4b7e52775b07d1db34ed9c538ab50c551b874aa269add047ad2d59"
      "13ac19b7cfbad4a6",
      "08000ebda70a00008e9c083db95b070008090a0b0c0d0e0f1011121314151617"
      "18191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637" },
    { "RFC 3602 case #6", "AES-CBC [RFC3602]", 1, false,
      "0x90d382b410eeba7ad938c46cec1a82bf",
      "000043210000000869d08df7d203329db093fc4924e5bd80f51995881ec4e0c4"
      "488987ce742e8109689bb379d2d750c0d915dca346a89f75",
      "0800b5e8a80a0500a69c083d0b660e00777777777777777777777777" },
    { "RFC 3602 case #7", "AES-CBC [RFC3602]", 4, false,
      "0x0123456789abcdef0123456789abcdef",
      "0000876500000002f4e765244f6407adf13dc1380f673f37773b5241a4c44922"
      "5e4f3ce5ed611b0c237ca96cf74a93013c1b0ea1a0cf70f8e4ecaec78ac53aad"
      "7a0f022b859243c647752e94a859352b8a4d4d2decd136e5c177f132ad3fbfb2"
      "201ac9904c74ee0a109e0ca1e4dfe9d5a100b842f1c22f0d",
      "45000054090400004001f988c0a87b03c0a87bc808009f76a90a0100b49c083d"
      "02a2040008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223"
      "2425262728292a2b2c2d2e2f3031323334353637" },
    { "RFC 3602 case #8", "AES-CBC [RFC3602]", 4, false,
      "0x0123456789abcdef0123456789abcdef",
      "000087650000000585d47224b5f3dd5d2101d4ea8dffab2215b92683819596a8"
      "047232cc00f7048fe45318e11f8a0f62ede3c3fc61203bb50f980a08c9843fd3"
      "a1b06d5c07ff9639b7eb7dfb3512e5de435e7207ed971ef3d2726d9b5ef6affc"
      "6d17a0decbb13892",
      "45000044090c00004001f990c0a87b03c0a87bc80800d63caa0a0200c69c083d"
      "a3de0300ffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
      "ffffffff" },
    { "RFC 7634 A (ESP)", "ENCR_CHACHA20_POLY1305", 4, false,
      "0x808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3",
      "0102030400000005101112131415161724039428b97f417e3c13753a4f05087b"
      "67c352e6a7fab1b982d466ef407ae5c614ee8099d52844eb61aa95dfab4c02f7"
      "2aa71e7c4c4f64c9befe2facc638e8f3cbec163fac469b502773f6fb94e664da"
      "9165b82829f641e076aaa8266b7fb0f7b11b369907e1ad43",
      "45000054a6f200004001e778c6336405c000020508005b7a3a080000553bec10"
      "0007362708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20212223"
      "2425262728292a2b2c2d2e2f3031323334353637" },
    { "draft-mcgrew-gcm-test-01 case 2", "AES-GCM with 16 octet ICV [RFC4106]", 1, false,
      "0xfeffe9928665731c6d6a8f9467308308cafebabe",
      "0000a5f80000000afacedbaddecaf888deb22cd9b07c72c16e3a65beeb8df304"
      "a5a5897d33ae530f1ba76d5d114d2a5c3de81827c10e9a4f51330d0eec416642"
      "cfbb85a5b47e48a4ec3b9ba95d918bd183b70d3aa8bc6ee4c309e9d85a41ad4a",
      "4500003e698f000080114dccc0a80102c0a801010a980035002a2343b2d00100"
      "0001000000000000037369700963796265726369747902646b0000010001" },
    { "draft-mcgrew-gcm-test-01 case 3", "AES-GCM with 16 octet ICV [RFC4106]", 1, false,
      "0xabbccddef00112233445566778899aababbccddef00112233445566778899aab11223344",
      "4a2cbfe3000000020102030405060708ff425c9b724599df7a3bcd510194e00d"
      "6a78107f1b0b1cbf06efae9d65a5d763748a637985771d347f0545659f14e99d"
      "ef842d8eb335f4eecfdbf831824b4c4915956c96",
      "4500003069a6400080062690c0a801029389155e0a9e008b2dc57ee000000000"
      "7002400020bf0000020405b401010402" },
    { "draft-mcgrew-gcm-test-01 case 4", "AES-GCM with 16 octet ICV [RFC4106]", 1, false,
      "0x0000000000000000000000000000000000000000",
      "000000000000000100000000000000004688daf2f973a392732909c331d56d60"
      "f694abaa414b5e7ff5fdcdfff5e9a284456476492719ffb64de7d9dca1e1d894"
      "bc3bd57873ed4d181d19d4d5c8c18af3f821d496eeb096e98ad2b69e4799c71d",
      "4500003c99c500008001cb7a40679318010101010800075c0200440061626364"
      "65666768696a6b6c6d6e6f7071727374757677616263646566676869" },
    { "draft-mcgrew-gcm-test-01 case 7", "AES-GCM with 16 octet ICV [RFC4106]", 1, false,
      "0xfeffe9928665731c6d6a8f9467308308feffe9928665731ccafebabe",
      "0000a5f80000000afacedbaddecaf888a5b1f8066029aea40e598b8122de0242"
      "0938b3ab33f828e687b8858b5bfbdbd0315b27452144cc7795457b9652037f53"
      "18027b5b4cd7a636",
      "45000028a4ad4000400678800a01038f0a010612802306b8cb712602dd6bb03e"
      "501016d07568" },
    { "draft-mcgrew-gcm-test-01 case 8", "AES-GCM with 16 octet ICV [RFC4106]", 1, true,
      "0xabbccddef00112233445566778899aabdecaf888",
      "0000010000000001cafedebaceface7418a6fd42f72cbf4ab2a2ea901f73d814"
      "e3e7f243d95412e1c349c1d2fbec168f9190feebaf2cb01984e65863965d7472"
      "b79da345e0e780191f0d2f0e0f496c226f2127b27db35724e7845d68651f57e6"
      "5f354f75ff17015769623436",
      "4500004933ba00007f119106c3fb1d10c2b1d326c02831ce0035dd7b800302d5"
      "00004e20001e8c18d75b81dc91baa0476b91b924b280389d92c963bac046ec95"
      "9b6266c04722b14923" },
    { "draft-mcgrew-gcm-test-01 case 12", "AES-GCM with 16 octet ICV [RFC4106]", 1, false,
      "0x7d773d00c144c525ac619d18c84a3f47d9664267",
      "335467aeffffffff43457e9182443bc6437f866bcb3f699fe9b0822bac961c45"
      "04bef270",
      "" },
    { "draft-mcgrew-gcm-test-01 case 13", "AES-GCM with 16 octet ICV [RFC4106]", 1, true,
      "0xabbccddef00112233445566778899aabdecaf888",
      "0000010000000001cafedebaceface7429c9fc69a197d038ccdd14e2ddfcaa05"
      "43332164412503524303ed3c6c5f283843af8c3e",
      "746f016265016f72016e6f7401746f016265" },
};

static isakmp_esp_verdict open_packet(uint8_t *pkt, size_t n, uint32_t frame, isakmp_ctx *ctx,
                                      uint8_t *out, isakmp_esp_result *r)
{
    isakmp_packet p = { .data = pkt, .len = n, .frame = frame, .ts_sec = 1, .af = 4,
                        .src = { 192, 0, 2, 1 }, .dst = { 192, 0, 2, 2 } };
    return isakmp_ctx_esp_decrypt(ctx, &p, out, n, r);
}

static void test_vector(gconstpointer data)
{
    const vector *v = data;
    size_t n, in_len;
    uint8_t *pkt = tu_hex(v->packet, &n), *inner = tu_hex(v->inner, &in_len);
    uint32_t spi = (uint32_t)pkt[0] << 24 | (uint32_t)pkt[1] << 16 | (uint32_t)pkt[2] << 8 | pkt[3];
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_esp_sa sa = { .af = 4, .src = "192.0.2.1", .dst = "192.0.2.2", .spi = spi,
                         .encr_alg = v->encr, .encr_key = v->key, .integ_alg = "NULL",
                         .integ_key = "" };
    g_assert_true(keys_esp_add(ctx->keys, &sa));
    uint8_t *out = g_malloc(n);
    isakmp_esp_result r;
    g_assert_cmpint(open_packet(pkt, n, 1, ctx, out, &r), ==, ISAKMP_ESP_OK);
    bool aead = strcmp(v->encr, "AES-CBC [RFC3602]") != 0;
    g_assert_true(r.integrity == aead);
    g_assert_true(r.esn == v->esn);
    g_assert_cmpuint(r.spi, ==, spi);
    g_assert_cmpuint(r.next_header, ==, v->next_header);
    g_assert_true(r.tunnel == (v->next_header == 4));
    g_assert_cmpmem(r.inner, r.inner_len, inner, in_len);
    /* one bit of the first ciphertext block changed */
    size_t iv = aead ? 8 : 16;
    pkt[8 + iv] ^= 0x01;
    isakmp_esp_verdict verdict = open_packet(pkt, n, 2, ctx, out, &r);
    if (aead)
        g_assert_cmpint(verdict, ==, ISAKMP_ESP_ICV_FAILED);
    else
        g_assert_true(verdict != ISAKMP_ESP_OK || r.inner_len != in_len ||
                      memcmp(r.inner, inner, in_len) != 0);
    g_free(out);
    g_free(pkt);
    g_free(inner);
    isakmp_ctx_free(ctx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (size_t i = 0; i < G_N_ELEMENTS(vectors); i++) {
        GString *path = g_string_new("/esp-vectors/");
        for (const char *c = vectors[i].name; *c; c++)
            if (*c == ' ')
                g_string_append_c(path, '-');
            else if (*c != '#' && *c != '(' && *c != ')')
                g_string_append_c(path, *c);
        g_test_add_data_func(path->str, &vectors[i], test_vector);
        g_string_free(path, TRUE);
    }
    return g_test_run();
}
