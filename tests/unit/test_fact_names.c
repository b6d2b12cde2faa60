/* The names of the facts record's numbers (isakmp_fact_value_name,
 * isakmp_fact_id_text): pinned for IKEv1 and IKEv2 sample messages, whose
 * names depend on the IKE version (exchange and notify types), the
 * proposal's protocol (IKEv1 transform IDs, IKE or IPsec attribute
 * classes) and the transform type (IKEv2). */
#include <string.h>

#include "isakmp/facts.h"
#include "testutil.h"

static const char *or_none(const char *s)
{
    return s ? s : "-";
}

static void add_name(GString *s, const isakmp_msg *m, const char *what, isakmp_fact_kind kind,
                     uint32_t i)
{
    g_string_append_printf(s, " %s%u=%s", what, i, or_none(isakmp_fact_value_name(m, kind, i)));
}

/* Every name of a message, on one line per list. */
static void names_text(GString *s, const isakmp_msg *m)
{
    const isakmp_facts *f = isakmp_msg_facts(m);
    const char *x = isakmp_fact_value_name(m, ISAKMP_FACT_EXCHANGE, 0);
    g_string_append_printf(s, "x=%s\n", or_none(x));
    for (uint32_t i = 0; i < f->n_transforms; i++)
        add_name(s, m, "tf", ISAKMP_FACT_TRANSFORM, i);
    for (uint32_t i = 0; i < f->n_attrs; i++)
        add_name(s, m, "at", ISAKMP_FACT_ATTR, i);
    for (uint32_t i = 0; i < f->n_auths; i++)
        add_name(s, m, "auth", ISAKMP_FACT_AUTH, i);
    for (uint32_t i = 0; i < f->n_notifies; i++)
        add_name(s, m, "n", ISAKMP_FACT_NOTIFY, i);
    for (uint32_t i = 0; i < f->n_hash_algs; i++)
        add_name(s, m, "h", ISAKMP_FACT_HASH_ALG, i);
    for (uint32_t i = 0; i < f->n_eaps; i++)
        add_name(s, m, "eap", ISAKMP_FACT_EAP, i);
    for (uint32_t i = 0; i < f->n_ids; i++) {
        char t[128];
        isakmp_fact_id_text(m, f->ids[i].payload, t, sizeof t);
        g_string_append_printf(s, " id%u=%s", i, t);
    }
    if (s->len && s->str[s->len - 1] != '\n')
        g_string_append_c(s, '\n');
}

/* The names of every message of a sample (decoded with its secrets), each
 * after "--- frame N". */
static char *sample_names(const char *sample)
{
    GPtrArray *frames = tu_sample_frames(sample);
    if (!frames)
        return NULL;
    isakmp_ctx *ctx = isakmp_ctx_new();
    char *k = tu_sample_path(sample, "secrets.txt");
    g_assert_cmpint(isakmp_ctx_load_keys(ctx, k, NULL, NULL), >, 0);
    g_free(k);
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < frames->len; i++) {
        isakmp_msg *m = isakmp_decode(ctx, &((const tu_frame *)frames->pdata[i])->pkt);
        g_string_append_printf(s, "--- frame %u\n", isakmp_msg_packet(m)->frame);
        names_text(s, m);
        isakmp_msg_free(m);
    }
    isakmp_ctx_free(ctx);
    tu_frames_free(frames);
    return g_string_free(s, FALSE);
}

static void assert_sample(const char *sample, const char *want)
{
    char *got = sample_names(sample);
    if (!got) {
        g_test_skip("sample capture missing");
        return;
    }
    g_assert_cmpstr(got, ==, want);
    g_free(got);
}

/* IKEv1 Main and Quick Mode: IKE attribute classes in the ISAKMP proposal, ESP
 * transform IDs and IPsec DOI classes in the Quick Mode one, IKEv1 notify names. */
static void test_ikev1_main_psk_aes128_sha1_modp2048(void)
{
    assert_sample("ikev1-main-psk-aes128-sha1-modp2048",
        "--- frame 1\n"
        "x=Identity Protection (Main Mode)\n"
        " tf0=KEY_IKE at0=AES-CBC at1=- at2=SHA at3=2048-bit MODP group at4=pre-shared key at5=-"
        " at6=-\n"
        "--- frame 2\n"
        "x=Identity Protection (Main Mode)\n"
        " tf0=KEY_IKE at0=AES-CBC at1=- at2=SHA at3=2048-bit MODP group at4=pre-shared key at5=-"
        " at6=-\n"
        "--- frame 3\n"
        "x=Identity Protection (Main Mode)\n"
        "--- frame 4\n"
        "x=Identity Protection (Main Mode)\n"
        "--- frame 5\n"
        "x=Identity Protection (Main Mode)\n"
        " auth0=- n0=INITIAL-CONTACT id0=initiator.samples.libisakmp.test\n"
        "--- frame 6\n"
        "x=Identity Protection (Main Mode)\n"
        " auth0=- id0=responder.samples.libisakmp.test\n"
        "--- frame 7\n"
        "x=Quick Mode\n"
        " tf0=ESP_AES-CBC at0=- at1=HMAC-SHA at2=- at3=UDP-Encapsulated-Tunnel at4=- at5=-"
        " auth0=- id0=10.99.1.0/255.255.255.0 id1=10.99.2.0/255.255.255.0\n"
        "--- frame 8\n"
        "x=Quick Mode\n"
        " tf0=ESP_AES-CBC at0=- at1=HMAC-SHA at2=- at3=UDP-Encapsulated-Tunnel at4=- at5=-"
        " auth0=- id0=10.99.1.0/255.255.255.0 id1=10.99.2.0/255.255.255.0\n"
        "--- frame 9\n"
        "x=Quick Mode\n"
        " auth0=-\n"
        "--- frame 14\n"
        "x=Informational\n"
        " auth0=-\n"
        "--- frame 15\n"
        "x=Informational\n"
        " auth0=-\n");
}

/* IKEv1 with XAUTH: the private-use authentication method's name, Config Mode. */
static void test_ikev1_natt_xauth_modecfg(void)
{
    assert_sample("ikev1-natt-xauth-modecfg",
        "--- frame 1\n"
        "x=Identity Protection (Main Mode)\n"
        " tf0=KEY_IKE at0=AES-CBC at1=- at2=SHA2-256 at3=2048-bit MODP group"
        " at4=XAUTHInitPreShared at5=- at6=-\n"
        "--- frame 2\n"
        "x=Identity Protection (Main Mode)\n"
        " tf0=KEY_IKE at0=AES-CBC at1=- at2=SHA2-256 at3=2048-bit MODP group"
        " at4=XAUTHInitPreShared at5=- at6=-\n"
        "--- frame 3\n"
        "x=Identity Protection (Main Mode)\n"
        "--- frame 4\n"
        "x=Identity Protection (Main Mode)\n"
        "--- frame 5\n"
        "x=Identity Protection (Main Mode)\n"
        " auth0=- n0=INITIAL-CONTACT id0=initiator.samples.libisakmp.test\n"
        "--- frame 6\n"
        "x=Identity Protection (Main Mode)\n"
        " auth0=- id0=responder.samples.libisakmp.test\n"
        "--- frame 7\n"
        "x=Transaction (Config Mode)\n"
        " auth0=-\n"
        "--- frame 8\n"
        "x=Transaction (Config Mode)\n"
        " auth0=-\n"
        "--- frame 9\n"
        "x=Transaction (Config Mode)\n"
        " auth0=-\n"
        "--- frame 10\n"
        "x=Transaction (Config Mode)\n"
        " auth0=-\n"
        "--- frame 11\n"
        "x=Transaction (Config Mode)\n"
        " auth0=-\n"
        "--- frame 12\n"
        "x=Transaction (Config Mode)\n"
        " auth0=-\n"
        "--- frame 13\n"
        "x=Quick Mode\n"
        " tf0=ESP_AES-CBC at0=- at1=HMAC-SHA at2=UDP-Encapsulated-Tunnel at3=- at4=- auth0=-"
        " id0=10.99.3.1 id1=10.99.2.0/255.255.255.0\n"
        "--- frame 14\n"
        "x=Quick Mode\n"
        " tf0=ESP_AES-CBC at0=- at1=HMAC-SHA at2=UDP-Encapsulated-Tunnel at3=- at4=- auth0=-"
        " id0=10.99.3.1 id1=10.99.2.0/255.255.255.0\n"
        "--- frame 15\n"
        "x=Quick Mode\n"
        " auth0=-\n"
        "--- frame 20\n"
        "x=Informational\n"
        " auth0=-\n"
        "--- frame 21\n"
        "x=Informational\n"
        " auth0=-\n");
}

/* IKEv1 notify names are IKEv1's (NO-PROPOSAL-CHOSEN) ... */
static void test_ikev1_fail_no_proposal(void)
{
    assert_sample("ikev1-fail-no-proposal",
        "--- frame 1\n"
        "x=Identity Protection (Main Mode)\n"
        " tf0=KEY_IKE at0=AES-CBC at1=- at2=SHA at3=2048-bit MODP group at4=pre-shared key at5=-"
        " at6=-\n"
        "--- frame 2\n"
        "x=Informational\n"
        " n0=NO-PROPOSAL-CHOSEN\n");
}

/* ... and IKEv2's are IKEv2's (NO_PROPOSAL_CHOSEN). */
static void test_ikev2_fail_no_proposal(void)
{
    assert_sample("ikev2-fail-no-proposal",
        "--- frame 1\n"
        "x=IKE_SA_INIT\n"
        " tf0=ENCR_AES_CBC tf1=AUTH_HMAC_SHA2_256_128 tf2=PRF_HMAC_SHA2_256 tf3=2048-bit MODP"
        " Group at0=- n0=NAT_DETECTION_SOURCE_IP n1=NAT_DETECTION_DESTINATION_IP"
        " n2=IKEV2_FRAGMENTATION_SUPPORTED n3=SIGNATURE_HASH_ALGORITHMS n4=REDIRECT_SUPPORTED"
        " h0=SHA2-256 h1=SHA2-384 h2=SHA2-512 h3=Identity\n"
        "--- frame 2\n"
        "x=IKE_SA_INIT\n"
        " n0=NO_PROPOSAL_CHOSEN\n");
}

/* IKEv2: transform IDs by type, AUTH methods, notify types, RFC 7427 hash
 * algorithms, EAP types, identities (the key length attribute has no name). */
static void test_ikev2_eap_md5_vip(void)
{
    assert_sample("ikev2-eap-md5-vip",
        "--- frame 1\n"
        "x=IKE_SA_INIT\n"
        " tf0=ENCR_AES_CBC tf1=AUTH_HMAC_SHA2_256_128 tf2=PRF_HMAC_SHA2_256 tf3=2048-bit MODP"
        " Group at0=- n0=NAT_DETECTION_SOURCE_IP n1=NAT_DETECTION_DESTINATION_IP"
        " n2=IKEV2_FRAGMENTATION_SUPPORTED n3=SIGNATURE_HASH_ALGORITHMS n4=REDIRECT_SUPPORTED"
        " h0=SHA2-256 h1=SHA2-384 h2=SHA2-512 h3=Identity\n"
        "--- frame 2\n"
        "x=IKE_SA_INIT\n"
        " tf0=ENCR_AES_CBC tf1=AUTH_HMAC_SHA2_256_128 tf2=PRF_HMAC_SHA2_256 tf3=2048-bit MODP"
        " Group at0=- n0=NAT_DETECTION_SOURCE_IP n1=NAT_DETECTION_DESTINATION_IP"
        " n2=IKEV2_FRAGMENTATION_SUPPORTED n3=SIGNATURE_HASH_ALGORITHMS"
        " n4=CHILDLESS_IKEV2_SUPPORTED n5=MULTIPLE_AUTH_SUPPORTED h0=SHA2-256 h1=SHA2-384"
        " h2=SHA2-512 h3=Identity\n"
        "--- frame 3\n"
        "x=IKE_AUTH\n"
        " tf0=ENCR_AES_CBC tf1=AUTH_HMAC_SHA2_256_128 tf2=32-bit Sequential Numbers at0=-"
        " n0=INITIAL_CONTACT n1=MULTIPLE_AUTH_SUPPORTED n2=EAP_ONLY_AUTHENTICATION"
        " n3=IKEV2_MESSAGE_ID_SYNC_SUPPORTED id0=initiator.samples.libisakmp.test"
        " id1=responder.samples.libisakmp.test\n"
        "--- frame 4\n"
        "x=IKE_AUTH\n"
        "--- frame 5\n"
        "x=IKE_AUTH\n"
        " auth0=Digital Signature eap0=Identity id0=responder.samples.libisakmp.test\n"
        "--- frame 6\n"
        "x=IKE_AUTH\n"
        " eap0=Identity\n"
        "--- frame 7\n"
        "x=IKE_AUTH\n"
        " eap0=MD5-Challenge\n"
        "--- frame 8\n"
        "x=IKE_AUTH\n"
        " eap0=MD5-Challenge\n"
        "--- frame 9\n"
        "x=IKE_AUTH\n"
        " eap0=-\n"
        "--- frame 10\n"
        "x=IKE_AUTH\n"
        " auth0=Shared Key Message Integrity Code\n"
        "--- frame 11\n"
        "x=IKE_AUTH\n"
        " tf0=ENCR_AES_CBC tf1=AUTH_HMAC_SHA2_256_128 tf2=32-bit Sequential Numbers at0=-"
        " auth0=Shared Key Message Integrity Code\n"
        "--- frame 16\n"
        "x=INFORMATIONAL\n"
        "--- frame 17\n"
        "x=INFORMATIONAL\n");
}

/* A Main Mode message of one SA payload: one ISAKMP proposal of two
 * KEY_IKE transforms, the first GM/T 0022's (SM4, SM3, the digital
 * envelope, group 2), the second AES-CBC, SHA, a pre-shared key, group 14. */
static const char gmt_main_mode[] =
    "0102030405060708 0000000000000000 01 10 02 00 00000000 00000060"
    "00000044 00000001 00000001"
    "00000038 01 01 00 02"
    "03000018 01 01 0000 80010081 80020014 8003000a 80040002"
    "00000018 02 01 0000 80010007 80020002 80030001 8004000e";

/* GM/T 0022: after SM4 or SM3 the authentication method has that
 * specification's names (10 is the digital envelope), elsewhere IANA's. */
static void test_gmt0022_names(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode_hex(ctx, gmt_main_mode);
    GString *s = g_string_new(NULL);
    names_text(s, m);
    g_assert_cmpstr(s->str, ==,
                    "x=Identity Protection (Main Mode)\n"
                    " tf0=KEY_IKE tf1=KEY_IKE at0=SM4-CBC at1=SM3 at2=Digital Envelope"
                    " at3=alternate 1024-bit MODP group at4=AES-CBC at5=SHA at6=pre-shared key"
                    " at7=2048-bit MODP group\n");
    g_string_free(s, TRUE);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/fact_names/ikev1-main-psk-aes128-sha1-modp2048",
                    test_ikev1_main_psk_aes128_sha1_modp2048);
    g_test_add_func("/fact_names/ikev1-natt-xauth-modecfg", test_ikev1_natt_xauth_modecfg);
    g_test_add_func("/fact_names/ikev1-fail-no-proposal", test_ikev1_fail_no_proposal);
    g_test_add_func("/fact_names/ikev2-fail-no-proposal", test_ikev2_fail_no_proposal);
    g_test_add_func("/fact_names/ikev2-eap-md5-vip", test_ikev2_eap_md5_vip);
    g_test_add_func("/fact_names/gmt0022", test_gmt0022_names);
    return g_test_run();
}
