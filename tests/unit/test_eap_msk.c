/* EAP keys: EAP-MSCHAPv2's NT-Response and MSK against the test vectors of
 * RFC 2759 9.2 and RFC 3079 3.5.3, read from EAP packets built as
 * draft-kamath-pppext-eap-mschapv2 lays them out; which methods make an MSK;
 * malformed packets change nothing. */
#include <glib.h>
#include <string.h>

#include "keying/eap_msk.h"
#include "testutil.h"

/* RFC 2759 9.2 */
#define AUTH_CHAL "5b5d7c7d7b3f2f3e3c2c602132262628"
#define PEER_CHAL "21402324255e262a28295f2b3a337c7e"
#define NT_RESP "82309ecd8d708b5ea08faa3981cd83544233114a3d85d6df"

/* An EAP-MSCHAPv2 Challenge (Request) or Response packet. */
static GByteArray *packet(bool response, const char *name)
{
    GString *h = g_string_new(response ? "02" "07" "0000" "1a" "02" "07" "0000" "31" PEER_CHAL
                                         "0000000000000000" NT_RESP "00"
                                       : "01" "07" "0000" "1a" "01" "07" "0000" "10" AUTH_CHAL);
    for (const char *p = name; *p; p++)
        g_string_append_printf(h, "%02x", (unsigned char)*p);
    size_t n;
    uint8_t *b = tu_hex(h->str, &n);
    GByteArray *a = g_byte_array_new();
    g_byte_array_append(a, b, (guint)n);
    tu_put16(a, 2, n);        /* EAP Length */
    tu_put16(a, 7, n - 5);    /* MS-Length */
    g_free(b);
    g_string_free(h, TRUE);
    return a;
}

static void test_rfc_vectors(void)
{
    eap_mschapv2 x = { 0 };
    GByteArray *c = packet(false, "server"), *r = packet(true, "User");
    eap_mschapv2_learn(&x, c->data, c->len);
    eap_mschapv2_learn(&x, r->data, r->len);
    g_assert_true(x.have_challenge && x.have_response);
    g_assert_cmpstr(x.name, ==, "User");
    uint8_t nt[24], msk[EAP_MSCHAPV2_MSK_LEN];
    size_t n;
    uint8_t *want = tu_hex(NT_RESP, &n);
    g_assert_true(eap_mschapv2_nt_response(&x, "clientPass", 10, nt));
    g_assert_cmpmem(nt, 24, want, n);
    g_assert_true(eap_mschapv2_nt_response(&x, "clientPasS", 10, nt));
    g_assert_true(memcmp(nt, want, 24) != 0);   /* another password, another response */
    /* a domain in the Name is not hashed (RFC 2759 8.2: the user name alone) */
    eap_mschapv2 xd = x;
    g_strlcpy(xd.name, "EXAMPLE\\User", sizeof xd.name);
    g_assert_true(eap_mschapv2_nt_response(&xd, "clientPass", 10, nt));
    g_assert_cmpmem(nt, 24, want, n);
    g_free(want);
    /* RFC 3079 3.5.3's 128-bit send start key is the authenticator's
     * (MasterSendKey), the MSK's second 16 octets; 32 zero octets end it.
     * (That MasterReceiveKey comes first is what makes strongSwan's AUTH
     * check: the ikev2-eap-mschapv2 sample, tests/cli) */
    g_assert_true(eap_mschapv2_msk(&x, "clientPass", 10, msk));
    want = tu_hex("8b7cdc149b993a1ba118cb153f56dccb", &n);
    g_assert_cmpmem(msk + 16, 16, want, n);
    static const uint8_t zero[32];
    g_assert_cmpmem(msk + 32, 32, zero, 32);
    g_free(want);
    g_byte_array_free(c, TRUE);
    g_byte_array_free(r, TRUE);
}

static void test_malformed(void)
{
    eap_mschapv2 x = { 0 };
    GByteArray *r = packet(true, "User");
    for (size_t n = 0; n < r->len; n++)   /* every cut: nothing read, no crash */
        eap_mschapv2_learn(&x, r->data, n);
    g_assert_false(x.have_response);
    tu_put16(r, 7, 200);                  /* MS-Length past the packet */
    eap_mschapv2_learn(&x, r->data, r->len);
    g_assert_false(x.have_response);
    tu_put16(r, 7, r->len - 5);
    r->data[9] = 48;                      /* wrong Value-Size */
    eap_mschapv2_learn(&x, r->data, r->len);
    g_assert_false(x.have_response);
    uint8_t nt[24];
    g_assert_false(eap_mschapv2_nt_response(&x, "p", 1, nt));   /* nothing seen */
    g_byte_array_free(r, TRUE);
}

static void test_methods(void)
{
    static const uint8_t keyless[] = { 0, 1, 2, 3, 4, 5, 6 }, keyed[] = { 13, 18, 21, 23, 25, 26, 50, 52 };
    for (size_t i = 0; i < sizeof keyless; i++)
        g_assert_false(eap_method_makes_msk(keyless[i]));
    for (size_t i = 0; i < sizeof keyed; i++)
        g_assert_true(eap_method_makes_msk(keyed[i]));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/eap_msk/rfc_vectors", test_rfc_vectors);
    g_test_add_func("/eap_msk/malformed", test_malformed);
    g_test_add_func("/eap_msk/methods", test_methods);
    return g_test_run();
}
