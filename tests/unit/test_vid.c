/*
 * Vendor ID recognition (decoder/vid.c): names, prefix matching and the
 * vendor-specific fields, compared with what tshark 4.0.17 prints for the
 * same Vendor ID payloads (expectations generated with tshark -T fields).
 */
#include <string.h>

#include "testutil.h"
#include "payloads/vid.h"

/* vids: expected values printed by tshark 4.0.17 for these bytes */
static const char *const vids_hex =
    "010203040506070811121314151617180d10020000000000000001700d000014fbf47614984031fa8e3bb6198089b223"
    "0d000016fbf47614984031fa8e3bb6198089b223aabb0d00000cfbf47614984031fa0d000014deadbeefdeadbeefdead"
    "beefdeadbeef0d0000040d00001490cb80913ebb696e086381b5ec427b1f0d0000147d9419a65310ca6f2c179d921552"
    "9d560d00001412f5f28c457168a9702d9fe274cc01000d0000181e2b516905991c7d7c96fcbfb587e461000000090d00"
    "002cf4ed19e0c114eb516faaac0ee37daf2807b4381f00000001000013880000000000000000188000000d00001e5649"
    "4120417574682050726f66696c65203a2064656661756c740d0000148299031757a36082c6a621de02bc01230d000014"
    "882fe56d6fd20dbc2251613b2ebe5beb0d0000184048b7d56ebce88525e7de7f00d6c2d3c00000000d000014afcad713"
    "68a1f1c96b8696fc77570100000000144a131c81070358455c5728f20e95452f";
static const char *const vids_expect[][2] = {
    { "ike.vid_bytes", "fbf47614984031fa8e3bb6198089b223,fbf47614984031fa8e3bb6198089b223aabb,fbf47614984031fa,deadbeefdeadbeefdeadbeefdeadbeef,<MISSING>,90cb80913ebb696e086381b5ec427b1f,7d9419a65310ca6f2c179d9215529d56,12f5f28c457168a9702d9fe274cc0100,1e2b516905991c7d7c96fcbfb587e46100000009,f4ed19e0c114eb516faaac0ee37daf2807b4381f0000000100001388000000000000000018800000,56494120417574682050726f66696c65203a2064656661756c74,8299031757a36082c6a621de02bc0123,882fe56d6fd20dbc2251613b2ebe5beb,4048b7d56ebce88525e7de7f00d6c2d3c0000000,afcad71368a1f1c96b8696fc77570100,4a131c81070358455c5728f20e95452f" },
    { "ike.vid_string", "Ssh Communications Security IPSEC Express version 1.1.0,Ssh Communications Security IPSEC Express version 1.1.0,Unknown Vendor ID,Unknown Vendor ID,Unknown Vendor ID,draft-ietf-ipsec-nat-t-ike-02\\n,draft-ietf-ipsec-nat-t-ike-03,CISCO-UNITY,MS NT5 ISAKMPOAKLEY,CryptoPro/GOST 0.1 / Check Point R65,VIA Auth Profile (Aruba Networks),Fortigate (Fortinet),strongSwan,Cisco Fragmentation,RFC 3706 DPD (Dead Peer Detection),RFC 3947 Negotiation of NAT-Traversal in the IKE" },
    { "ike.vid.cisco_unity.major", "1" },
    { "ike.vid.cisco_unity.minor", "0" },
    { "ike.vid.ms_nt5_isakmpoakley", "9" },
    { "ike.vid.cp.product", "1" },
    { "ike.vid.cp.version", "5000" },
    { "ike.vid.cp.timestamp", "0" },
    { "ike.vid.cp.reserved", "0x00000000" },
    { "ike.vid.cp.features", "0x18800000" },
    { "ike.vid.aruba_via_auth_profile", "default" },
    { "ike.vid.fortinet.fortigate.release", "700" },
    { "ike.vid.fortinet.fortigate.build", "291" },
    /* ours, not tshark's: the most specific name (MS NT5 with its version) */
    { "ike.vid.name", "Ssh Communications Security IPSEC Express version 1.1.0,Ssh Communications Security IPSEC Express version 1.1.0,draft-ietf-ipsec-nat-t-ike-02\\n,draft-ietf-ipsec-nat-t-ike-03,CISCO-UNITY,MS NT5 ISAKMPOAKLEY v9 (Windows 8, 8.1, 10, Server 2012 R2, Server 2016),CryptoPro/GOST 0.1 / Check Point R65,VIA Auth Profile (Aruba Networks),Fortigate (Fortinet),strongSwan,Cisco Fragmentation,RFC 3706 DPD (Dead Peer Detection),RFC 3947 Negotiation of NAT-Traversal in the IKE" },
    { NULL, NULL }
};

/* The formatter shows an empty byte field as "<MISSING>", as tshark does. */
static void test_vids(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode_hex(ctx, vids_hex);
    for (size_t i = 0; vids_expect[i][0]; i++) {
        char *got = tu_values(m, vids_expect[i][0]);
        g_assert_cmpstr(got, ==, vids_expect[i][1]);
        g_free(got);
    }
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 0);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

static void test_names(void)
{
    static const uint8_t unity[] = { 0x12, 0xf5, 0xf2, 0x8c, 0x45, 0x71, 0x68, 0xa9,
                                     0x70, 0x2d, 0x9f, 0xe2, 0x74, 0xcc, 0x01, 0x00 };
    static const uint8_t mamie[] = { 0x21, 0x4c, 0xa4, 0xfa, 0xff, 0xa7, 0xf3, 0x2d,
                                     0x67, 0x48, 0xe5, 0x30, 0x33, 0x95, 0xae, 0x83 };
    g_assert_cmpstr(vid_wireshark_name(unity, sizeof unity), ==, "CISCO-UNITY");
    g_assert_null(vid_wireshark_name(unity, 13));       /* shorter than the prefix */
    g_assert_null(vid_name(unity, 13));
    g_assert_null(vid_wireshark_name(mamie, sizeof mamie));
    char *n = vid_name(mamie, sizeof mamie);
    g_assert_cmpstr(n, ==, "MS-MamieExists (AuthIP supported)");
    g_free(n);
    g_assert_null(vid_name(NULL, 0));
    g_assert_null(vid_wireshark_name(NULL, 0));
}

/* Every entry beyond Wireshark's table is reachable (no other entry shadows
 * it), and none changes ike.vid_string: a capture holding all of them as
 * Vendor ID payloads gave "Unknown Vendor ID" from tshark 4.0.17
 * (-e isakmp.vid_string) for all but the MS NT5 ISAKMPOAKLEY versions, which
 * it calls "MS NT5 ISAKMPOAKLEY". */
static void test_extra_entries(void)
{
    size_t n = vid_extra_count();
    g_assert_cmpuint(n, >, 100);
    for (size_t i = 0; i < n; i++) {
        const uint8_t *b;
        size_t len;
        const char *want = vid_extra_entry(i, &b, &len);
        char *got = vid_name(b, len);
        g_assert_cmpstr(got, ==, want);
        g_free(got);
        if (g_str_has_prefix(want, "MS NT5 ISAKMPOAKLEY v"))
            g_assert_cmpstr(vid_wireshark_name(b, len), ==, "MS NT5 ISAKMPOAKLEY");
        else
            g_assert_null(vid_wireshark_name(b, len));
        for (size_t j = 0; j < i; j++) {        /* no duplicate byte strings */
            const uint8_t *b2;
            size_t len2;
            vid_extra_entry(j, &b2, &len2);
            g_assert_false(len == len2 && memcmp(b, b2, len) == 0);
        }
    }
}

static void check_name(const char *hex, const char *want_ours, const char *want_ws)
{
    size_t len;
    uint8_t *b = tu_hex(hex, &len);
    char *got = vid_name(b, len);
    g_assert_cmpstr(got, ==, want_ours);
    g_assert_cmpstr(vid_wireshark_name(b, len), ==, want_ws);
    g_free(got);
    g_free(b);
}

/* Version-bearing prefixes and the choice between Wireshark's name and a
 * more specific one (the longest known prefix wins, Wireshark's on a tie).
 * MD5 inputs: strongSwan's own vendor IDs are MD5("strongSwan x.y.z"). */
static void test_versions(void)
{
    /* "OE-Libreswan-" + version text (libreswan lswversion.c) */
    check_name("4f452d4c696272657377616e2d 342e3132", "Libreswan 4.12", NULL);
    check_name("4f452d4c696272657377616e2d 352e30 00", "Libreswan 5.0.", NULL);
    check_name("4f452d4c696272657377616e2d", "Libreswan", NULL);
    check_name("4f454e 4142", "Libreswan 3.0 - 3.5", NULL);
    check_name("4f45 41424344", "Openswan", NULL);
    check_name("4f45486b7d44784d42676b5d", "Linux FreeS/WAN 2.00", NULL);
    /* Cisco VPN 3000: the last two bytes are the version (0306 = 3.0.6) */
    check_name("1f07f70eaa6514d3b0fa96542a50 0306", "Cisco VPN 3000 Series 3.0.6", NULL);
    check_name("1f07f70eaa6514d3b0fa96542a50 0407", "Cisco VPN 3000 Series 4.0.7", NULL);
    check_name("1f07f70eaa6514d3b0fa96542a50 0100", "CISCO-CONCENTRATOR", "CISCO-CONCENTRATOR");
    /* RFC 3706 DPD: 1.0 is Wireshark's entry, other versions ours */
    check_name("afcad71368a1f1c96b8696fc7757 0100", "RFC 3706 DPD (Dead Peer Detection)",
               "RFC 3706 DPD (Dead Peer Detection)");
    check_name("afcad71368a1f1c96b8696fc7757 0101", "Dead Peer Detection v1.1", NULL);
    /* MS NT5 ISAKMPOAKLEY + version; unknown versions keep Wireshark's name */
    check_name("1e2b516905991c7d7c96fcbfb587e461 00000009",
               "MS NT5 ISAKMPOAKLEY v9 (Windows 8, 8.1, 10, Server 2012 R2, Server 2016)",
               "MS NT5 ISAKMPOAKLEY");
    check_name("1e2b516905991c7d7c96fcbfb587e461 00000002", "MS NT5 ISAKMPOAKLEY v2 (Windows 2000)",
               "MS NT5 ISAKMPOAKLEY");
    check_name("1e2b516905991c7d7c96fcbfb587e461 0000000a", "MS NT5 ISAKMPOAKLEY",
               "MS NT5 ISAKMPOAKLEY");
    /* strongSwan: MD5("strongSwan") since 4.3.6, versioned before */
    check_name("882fe56d6fd20dbc2251613b2ebe5beb", "strongSwan", "strongSwan");
    check_name("2ce9c946a4c879bf11b50b76cc5692cb", "strongSwan 4.0.0", NULL);
    check_name("85b6cbec480d5c8cd9882c825ac2c244", "strongSwan 2.2.0", NULL);
    /* FRAGMENTATION with strongSwan's capability flags */
    check_name("4048b7d56ebce88525e7de7f00d6c2d3 80000000", "Cisco Fragmentation",
               "Cisco Fragmentation");
    /* Microsoft IKEv2 ones */
    check_name("686a8cbdfe634b405146fb2baf33e9e8", "MSFT IPsec Security Realm Id", NULL);
    check_name("e3a5966a76379fe707228231e5ce8652", "IKE CGA Version 1", "IKE CGA Version 1");
    check_name("26244d38eddb61b3172a36e3d0cfb819", "Microsoft Vid-Initial-Contact",
               "Microsoft Vid-Initial-Contact");
    check_name("deadbeefdeadbeefdeadbeefdeadbeef", NULL, NULL);
}

/* The decoded fields: ike.vid_string as tshark 4.0.17 printed it for this
 * message (-e isakmp.vid_string), ike.vid.name ours. */
static void test_decode_names(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    isakmp_msg *m = tu_decode_hex(ctx,
        "010203040506070811121314151617180d10020000000000000000d90d0000154f452d4c696272657377616e2d342e3132"
        "0d0000141f07f70eaa6514d3b0fa96542a5003060d0000141f07f70eaa6514d3b0fa96542a5001000d000014afcad713"
        "68a1f1c96b8696fc775701010d0000181e2b516905991c7d7c96fcbfb587e4610000000a0d0000181e2b516905991c7d"
        "7c96fcbfb587e461000000090d000014882fe56d6fd20dbc2251613b2ebe5beb0d0000142ce9c946a4c879bf11b50b76"
        "cc5692cb00000014214ca4faffa7f32d6748e5303395ae83");
    char *v = tu_values(m, "ike.vid_string");
    g_assert_cmpstr(v, ==, "Unknown Vendor ID,Unknown Vendor ID,CISCO-CONCENTRATOR,Unknown Vendor ID,"
                           "MS NT5 ISAKMPOAKLEY,MS NT5 ISAKMPOAKLEY,strongSwan,Unknown Vendor ID,"
                           "Unknown Vendor ID");
    g_free(v);
    v = tu_values(m, "ike.vid.ms_nt5_isakmpoakley");
    g_assert_cmpstr(v, ==, "10,9");
    g_free(v);
    v = tu_values(m, "ike.vid.name");
    g_assert_cmpstr(v, ==, "Libreswan 4.12,Cisco VPN 3000 Series 3.0.6,CISCO-CONCENTRATOR,"
                           "Dead Peer Detection v1.1,MS NT5 ISAKMPOAKLEY,"
                           "MS NT5 ISAKMPOAKLEY v9 (Windows 8, 8.1, 10, Server 2012 R2, Server 2016),"
                           "strongSwan,strongSwan 4.0.0,MS-MamieExists (AuthIP supported)");
    g_free(v);
    g_assert_cmpuint(tu_note_count(m, ISAKMP_NOTE_MALFORMED), ==, 0);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

/* Vendor-specific fields are only read where their bytes are (Wireshark
 * reads past a short Vendor ID into the next payload; we do not). */
static void test_short_vendor_fields(void)
{
    isakmp_ctx *ctx = isakmp_ctx_new();
    /* a Cisco Unity prefix alone, then a NONCE payload */
    isakmp_msg *m = tu_decode_hex(ctx, "0102030405060708 1112131415161718 0d 10 02 00 00000000 00000036"
                                       "0a000012 12f5f28c457168a9702d9fe274cc 00000008 01020304");
    char *v = tu_values(m, "ike.vid.cisco_unity.major");
    g_assert_cmpstr(v, ==, "");
    g_free(v);
    v = tu_values(m, "ike.vid_string");
    g_assert_cmpstr(v, ==, "CISCO-UNITY");
    g_free(v);
    isakmp_msg_free(m);
    isakmp_ctx_free(ctx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/vid/tshark_names_and_fields", test_vids);
    g_test_add_func("/vid/names", test_names);
    g_test_add_func("/vid/extra_entries", test_extra_entries);
    g_test_add_func("/vid/versions", test_versions);
    g_test_add_func("/vid/decode_names", test_decode_names);
    g_test_add_func("/vid/short_vendor_fields", test_short_vendor_fields);
    return g_test_run();
}
