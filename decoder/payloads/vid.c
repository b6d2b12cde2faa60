/*
 * Vendor ID recognition (RFC 2408 3.16, RFC 7296 3.12) for both IKE
 * versions.  A vendor ID is recognised when a known byte string is a prefix
 * of the payload (several carry version bytes after a fixed prefix).
 * ike.vid_string keeps Wireshark 4.0's name (first match in its table
 * order); ike.vid.name is our most specific name (longest matching prefix
 * over Wireshark's table and ours).  Some vendor IDs carry fields after
 * their prefix (Check Point, Cisco Unity, MS NT5, Aruba VIA, Fortigate).
 */
/* payload-bodies: v1 13 */
/* payload-bodies: v2 43 */
#include <pthread.h>
#include <string.h>

#include "core/once.h"
#include "payloads/vid.h"

typedef enum {
    VK_PLAIN,
    VK_CHECKPOINT,     /* product, version, timestamp, reserved, features */
    VK_CISCO_UNITY,    /* major, minor */
    VK_MS_NT5,         /* 32-bit Windows version */
    VK_ARUBA_VIA,      /* authentication profile name */
    VK_FORTIGATE       /* release, build */
} vid_kind;

typedef struct {
    uint8_t len;
    const char *bytes;
    const char *name;
    vid_kind kind;
} vid_entry;

/* The vendor IDs Wireshark 4.0.17 recognises, with the names it shows, in
 * its matching order: read from the installed libwireshark's table and
 * checked against `tshark -T fields -e isakmp.vid_string` on a capture
 * holding every entry.  The byte strings are the public vendor IDs (MD5
 * hashes of vendor strings, RFC 3947, RFC 3706, draft NAT-T, vendor docs). */
static const vid_entry wireshark_vids[] = {
    { 16, "\xfb\xf4\x76\x14\x98\x40\x31\xfa\x8e\x3b\xb6\x19\x80\x89\xb2\x23",
      "Ssh Communications Security IPSEC Express version 1.1.0", VK_PLAIN },
    { 16, "\x19\x52\xdc\x91\xac\x20\xf6\x46\xfb\x01\xcf\x42\xa3\x3a\xee\x30",
      "Ssh Communications Security IPSEC Express version 1.1.1", VK_PLAIN },
    { 16, "\xe8\xbf\xfa\x64\x3e\x5c\x8f\x2c\xd1\x0f\xda\x73\x70\xb6\xeb\xe5",
      "Ssh Communications Security IPSEC Express version 1.1.2", VK_PLAIN },
    { 16, "\xc1\x11\x1b\x2d\xee\x8c\xbc\x3d\x62\x05\x73\xec\x57\xaa\xb9\xcb",
      "Ssh Communications Security IPSEC Express version 1.2.1", VK_PLAIN },
    { 16, "\x09\xec\x27\xbf\xbc\x09\xc7\x58\x23\xcf\xec\xbf\xfe\x56\x5a\x2e",
      "Ssh Communications Security IPSEC Express version 1.2.2", VK_PLAIN },
    { 16, "\x7f\x21\xa5\x96\xe4\xe3\x18\xf0\xb2\xf4\x94\x4c\x23\x84\xcb\x84",
      "SSH Communications Security IPSEC Express version 2.0.0", VK_PLAIN },
    { 16, "\x28\x36\xd1\xfd\x28\x07\xbc\x9e\x5a\xe3\x07\x86\x32\x04\x51\xec",
      "SSH Communications Security IPSEC Express version 2.1.0", VK_PLAIN },
    { 16, "\xa6\x8d\xe7\x56\xa9\xc5\x22\x9b\xae\x66\x49\x80\x40\x95\x1a\xd5",
      "SSH Communications Security IPSEC Express version 2.1.1", VK_PLAIN },
    { 16, "\x3f\x23\x72\x86\x7e\x23\x7c\x1c\xd8\x25\x0a\x75\x55\x9c\xae\x20",
      "SSH Communications Security IPSEC Express version 2.1.2", VK_PLAIN },
    { 16, "\x0e\x58\xd5\x77\x4d\xf6\x02\x00\x7d\x0b\x02\x44\x36\x60\xf7\xeb",
      "SSH Communications Security IPSEC Express version 3.0.0", VK_PLAIN },
    { 16, "\xf5\xce\x31\xeb\xc2\x10\xf4\x43\x50\xcf\x71\x26\x5b\x57\x38\x0f",
      "SSH Communications Security IPSEC Express version 3.0.1", VK_PLAIN },
    { 16, "\xf6\x42\x60\xaf\x2e\x27\x42\xda\xdd\xd5\x69\x87\x06\x8a\x99\xa0",
      "SSH Communications Security IPSEC Express version 4.0.0", VK_PLAIN },
    { 16, "\x7a\x54\xd3\xbd\xb3\xb1\xe6\xd9\x23\x89\x20\x64\xbe\x2d\x98\x1c",
      "SSH Communications Security IPSEC Express version 4.0.1", VK_PLAIN },
    { 16, "\x9a\xa1\xf3\xb4\x34\x72\xa4\x5d\x5f\x50\x6a\xeb\x26\x0c\xf2\x14",
      "SSH Communications Security IPSEC Express version 4.1.0", VK_PLAIN },
    { 16, "\x89\xf7\xb7\x60\xd8\x6b\x01\x2a\xcf\x26\x33\x82\x39\x4d\x96\x2f",
      "SSH Communications Security IPSEC Express version 4.1.1", VK_PLAIN },
    { 16, "\x68\x80\xc7\xd0\x26\x09\x91\x14\xe4\x86\xc5\x54\x30\xe7\xab\xee",
      "SSH Communications Security IPSEC Express version 4.2.0", VK_PLAIN },
    { 16, "\xb0\x37\xa2\x1a\xce\xcc\xb5\x57\x0f\x60\x25\x46\xf9\x7b\xde\x8c",
      "SSH Communications Security IPSEC Express version 5.0", VK_PLAIN },
    { 16, "\x2b\x2d\xad\x97\xc4\xd1\x40\x93\x00\x53\x28\x7f\x99\x68\x50\xb0",
      "SSH Communications Security IPSEC Express version 5.0.0", VK_PLAIN },
    { 16, "\x45\xe1\x7f\x3a\xbe\x93\x94\x4c\xb2\x02\x91\x0c\x59\xef\x80\x6b",
      "SSH Communications Security IPSEC Express version 5.1.0", VK_PLAIN },
    { 16, "\x59\x25\x85\x9f\x73\x77\xed\x78\x16\xd2\xfb\x81\xc0\x1f\xa5\x51",
      "SSH Communications Security IPSEC Express version 5.1.1", VK_PLAIN },
    { 16, "\x05\x41\x82\xa0\x7c\x7a\xe2\x06\xf9\xd2\xcf\x9d\x24\x32\xc4\x82",
      "SSH Sentinel", VK_PLAIN },
    { 16, "\xb9\x16\x23\xe6\x93\xca\x18\xa5\x4c\x6a\x27\x78\x55\x23\x05\xe8",
      "SSH Sentinel 1.1", VK_PLAIN },
    { 16, "\x54\x30\x88\x8d\xe0\x1a\x31\xa6\xfa\x8f\x60\x22\x4e\x44\x99\x58",
      "SSH Sentinel 1.2", VK_PLAIN },
    { 16, "\x7e\xe5\xcb\x85\xf7\x1c\xe2\x59\xc9\x4a\x5c\x73\x1e\xe4\xe7\x52",
      "SSH Sentinel 1.3", VK_PLAIN },
    { 16, "\x63\xd9\xa1\xa7\x00\x94\x91\xb5\xa0\xa6\xfd\xeb\x2a\x82\x84\xf0",
      "SSH Sentinel 1.4", VK_PLAIN },
    { 16, "\xeb\x4b\x0d\x96\x27\x6b\x4e\x22\x0a\xd1\x62\x21\xa7\xb2\xa5\xe6",
      "SSH Sentinel 1.4.1", VK_PLAIN },
    { 16, "\x37\xeb\xa0\xc4\x13\x61\x84\xe7\xda\xf8\x56\x2a\x77\x06\x0b\x4a",
      "SSH Communications Security QuickSec 0.9.0", VK_PLAIN },
    { 16, "\x5d\x72\x92\x5e\x55\x94\x8a\x96\x61\xa7\xfc\x48\xfd\xec\x7f\xf9",
      "SSH Communications Security QuickSec 1.1.0", VK_PLAIN },
    { 16, "\x77\x7f\xbf\x4c\x5a\xf6\xd1\xcd\xd4\xb8\x95\xa0\x5b\xf8\x25\x94",
      "SSH Communications Security QuickSec 1.1.1", VK_PLAIN },
    { 16, "\x2c\xdf\x08\xe7\x12\xed\xe8\xa5\x97\x87\x61\x26\x7c\xd1\x9b\x91",
      "SSH Communications Security QuickSec 1.1.2", VK_PLAIN },
    { 16, "\x59\xe4\x54\xa8\xc2\xcf\x02\xa3\x49\x59\x12\x1f\x18\x90\xbc\x87",
      "SSH Communications Security QuickSec 1.1.3", VK_PLAIN },
    { 16, "\x6a\x74\x34\xc1\x9d\x7e\x36\x34\x80\x90\xa0\x23\x34\xc9\xc8\x05",
      "draft-huttunen-ipsec-esp-in-udp-00.txt", VK_PLAIN },
    { 16, "\x50\x76\x0f\x62\x4c\x63\xe5\xc5\x3e\xea\x38\x6c\x68\x5c\xa0\x83",
      "draft-huttunen-ipsec-esp-in-udp-01.txt (ESPThruNAT)", VK_PLAIN },
    { 16, "\x27\xba\xb5\xdc\x01\xea\x07\x60\xea\x4e\x31\x90\xac\x27\xc0\xd0",
      "draft-stenberg-ipsec-nat-traversal-01", VK_PLAIN },
    { 16, "\x61\x05\xc4\x22\xe7\x68\x47\xe4\x3f\x96\x84\x80\x12\x92\xae\xcd",
      "draft-stenberg-ipsec-nat-traversal-02", VK_PLAIN },
    { 16, "\x4d\xf3\x79\x28\xe9\xfc\x4f\xd1\xb3\x26\x21\x70\xd5\x15\xc6\x62",
      "draft-ietf-ipsec-nat-t-ike", VK_PLAIN },
    { 16, "\x44\x85\x15\x2d\x18\xb6\xbb\xcd\x0b\xe8\xa8\x46\x95\x79\xdd\xcc",
      "draft-ietf-ipsec-nat-t-ike-00", VK_PLAIN },
    { 16, "\x16\xf6\xca\x16\xe4\xa4\x06\x6d\x83\x82\x1a\x0f\x0a\xea\xa8\x62",
      "draft-ietf-ipsec-nat-t-ike-01", VK_PLAIN },
    { 16, "\xcd\x60\x46\x43\x35\xdf\x21\xf8\x7c\xfd\xb2\xfc\x68\xb6\xa4\x48",
      "draft-ietf-ipsec-nat-t-ike-02", VK_PLAIN },
    { 16, "\x90\xcb\x80\x91\x3e\xbb\x69\x6e\x08\x63\x81\xb5\xec\x42\x7b\x1f",
      "draft-ietf-ipsec-nat-t-ike-02\\n", VK_PLAIN },
    { 16, "\x7d\x94\x19\xa6\x53\x10\xca\x6f\x2c\x17\x9d\x92\x15\x52\x9d\x56",
      "draft-ietf-ipsec-nat-t-ike-03", VK_PLAIN },
    { 16, "\x99\x09\xb6\x4e\xed\x93\x7c\x65\x73\xde\x52\xac\xe9\x52\xfa\x6b",
      "draft-ietf-ipsec-nat-t-ike-04", VK_PLAIN },
    { 16, "\x80\xd0\xbb\x3d\xef\x54\x56\x5e\xe8\x46\x45\xd4\xc8\x5c\xe3\xee",
      "draft-ietf-ipsec-nat-t-ike-05", VK_PLAIN },
    { 16, "\x4d\x1e\x0e\x13\x6d\xea\xfa\x34\xc4\xf3\xea\x9f\x02\xec\x72\x85",
      "draft-ietf-ipsec-nat-t-ike-06", VK_PLAIN },
    { 16, "\x43\x9b\x59\xf8\xba\x67\x6c\x4c\x77\x37\xae\x22\xea\xb8\xf5\x82",
      "draft-ietf-ipsec-nat-t-ike-07", VK_PLAIN },
    { 16, "\x8f\x8d\x83\x82\x6d\x24\x6b\x6f\xc7\xa8\xa6\xa4\x28\xc1\x1d\xe8",
      "draft-ietf-ipsec-nat-t-ike-08", VK_PLAIN },
    { 16, "\x42\xea\x5b\x6f\x89\x8d\x97\x73\xa5\x75\xdf\x26\xe7\xdd\x19\xe1",
      "draft-ietf-ipsec-nat-t-ike-09", VK_PLAIN },
    { 16, "\xc4\x0f\xee\x00\xd5\xd3\x9d\xdb\x1f\xc7\x62\xe0\x9b\x7c\xfe\xa7",
      "Testing NAT-T RFC", VK_PLAIN },
    { 16, "\x4a\x13\x1c\x81\x07\x03\x58\x45\x5c\x57\x28\xf2\x0e\x95\x45\x2f",
      "RFC 3947 Negotiation of NAT-Traversal in the IKE", VK_PLAIN },
    { 16, "\x09\x00\x26\x89\xdf\xd6\xb7\x12\x80\xa2\x24\xde\xc3\x3b\x81\xe5",
      "draft-beaulieu-ike-xauth-02.txt", VK_PLAIN },
    { 8, "\x09\x00\x26\x89\xdf\xd6\xb7\x12",
      "XAUTH", VK_PLAIN },
    { 16, "\xaf\xca\xd7\x13\x68\xa1\xf1\xc9\x6b\x86\x96\xfc\x77\x57\x01\x00",
      "RFC 3706 DPD (Dead Peer Detection)", VK_PLAIN },
    { 8, "\x32\x5d\xf2\x9a\x23\x19\xf2\xdd",
      "draft-ietf-ipsec-antireplay-00.txt", VK_PLAIN },
    { 8, "\x8d\xb7\xa4\x18\x11\x22\x16\x60",
      "draft-ietf-ipsec-heartbeats-00.txt", VK_PLAIN },
    { 16, "\xba\x29\x04\x99\xc2\x4e\x84\xe5\x3a\x1d\x83\xa0\x5e\x5f\x00\xc9",
      "IKE Challenge/Response for Authenticated Cryptographic Keys", VK_PLAIN },
    { 16, "\x0d\x33\x61\x1a\x5d\x52\x1b\x5e\x3c\x9c\x03\xd2\xfc\x10\x7e\x12",
      "IKE Challenge/Response for Authenticated Cryptographic Keys", VK_PLAIN },
    { 16, "\xad\x32\x51\x04\x2c\xdc\x46\x52\xc9\xe0\x73\x4c\xe5\xde\x4c\x7d",
      "IKE Challenge/Response for Authenticated Cryptographic Keys (Revised)", VK_PLAIN },
    { 16, "\x01\x3f\x11\x82\x3f\x96\x6f\xa9\x19\x00\xf0\x24\xba\x66\xa8\x6b",
      "IKE Challenge/Response for Authenticated Cryptographic Keys (Revised)", VK_PLAIN },
    { 16, "\x40\x48\xb7\xd5\x6e\xbc\xe8\x85\x25\xe7\xde\x7f\x00\xd6\xc2\xd3",
      "Cisco Fragmentation", VK_PLAIN },
    { 17, "\x46\x4c\x45\x58\x56\x50\x4e\x2d\x53\x55\x50\x50\x4f\x52\x54\x45\x44",
      "Cisco FlexVPN Supported", VK_PLAIN },
    { 19, "\x43\x49\x53\x43\x4f\x2d\x44\x45\x4c\x45\x54\x45\x2d\x52\x45\x41\x53\x4f\x4e",
      "Cisco Delete Reason Supported", VK_PLAIN },
    { 19, "\x43\x49\x53\x43\x4f\x2d\x44\x59\x4e\x41\x4d\x49\x43\x2d\x52\x4f\x55\x54\x45",
      "Cisco Dynamic Route Supported", VK_PLAIN },
    { 15, "\x43\x49\x53\x43\x4f\x56\x50\x4e\x2d\x52\x45\x56\x2d\x30\x32",
      "Cisco VPN Revision 2", VK_PLAIN },
    { 55, "\x43\x49\x53\x43\x4f\x28\x43\x4f\x50\x59\x52\x49\x47\x48\x54\x29\x26\x43\x6f\x70\x79\x72\x69\x67\x68\x74\x20\x28\x63\x29\x20\x32\x30\x30\x39\x20\x43\x69\x73\x63\x6f\x20\x53\x79\x73\x74\x65\x6d\x73\x2c\x20\x49\x6e\x63\x2e",
      "Cisco Copyright", VK_PLAIN },
    { 14, "\x43\x49\x53\x43\x4f\x2d\x47\x52\x45\x2d\x4d\x4f\x44\x45",
      "Cisco GRE Mode Supported", VK_PLAIN },
    { 16, "\x26\x24\x4d\x38\xed\xdb\x61\xb3\x17\x2a\x36\xe3\xd0\xcf\xb8\x19",
      "Microsoft Vid-Initial-Contact", VK_PLAIN },
    { 16, "\xb4\x6d\x89\x14\xf3\xaa\xa3\xf2\xfe\xde\xb7\xc7\xdb\x29\x43\xca",
      "A GSS-API Authentication Method for IKE", VK_PLAIN },
    { 16, "\xad\x2c\x0d\xd0\xb9\xc3\x20\x83\xcc\xba\x25\xb8\x86\x1e\xc4\x55",
      "A GSS-API Authentication Method for IKE", VK_PLAIN },
    { 16, "\x62\x1b\x04\xbb\x09\x88\x2a\xc1\xe1\x59\x35\xfe\xfa\x24\xae\xee",
      "GSSAPI", VK_PLAIN },
    { 16, "\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61",
      "MS NT5 ISAKMPOAKLEY", VK_MS_NT5 },
    { 14, "\x12\xf5\xf2\x8c\x45\x71\x68\xa9\x70\x2d\x9f\xe2\x74\xcc",
      "CISCO-UNITY", VK_CISCO_UNITY },
    { 16, "\x1f\x07\xf7\x0e\xaa\x65\x14\xd3\xb0\xfa\x96\x54\x2a\x50\x01\x00",
      "CISCO-CONCENTRATOR", VK_PLAIN },
    { 20, "\x40\x48\xb7\xd5\x6e\xbc\xe8\x85\x25\xe7\xde\x7f\x00\xd6\xc2\xd3\x80\x00\x00\x00",
      "Cisco Fragmentation", VK_PLAIN },
    { 20, "\xf4\xed\x19\xe0\xc1\x14\xeb\x51\x6f\xaa\xac\x0e\xe3\x7d\xaf\x28\x07\xb4\x38\x1f",
      "CryptoPro/GOST 0.1 / Check Point R65", VK_CHECKPOINT },
    { 16, "\x03\x10\x17\xe0\x7f\x7a\x82\xe3\xaa\x69\x50\xc9\x99\x99\x01\x00",
      "CryptoPro/GOST 1.0 / Check Point R71", VK_PLAIN },
    { 16, "\x03\x10\x17\xe0\x7f\x7a\x82\xe3\xaa\x69\x50\xc9\x99\x99\x01\x01",
      "CryptoPro/GOST 1.1", VK_PLAIN },
    { 16, "\x9a\xa1\xf3\xb4\x34\x72\xa4\x5d\x5f\x50\x6a\xeb\x26\xc0\xf2\x14",
      "CyberGuard", VK_PLAIN },
    { 16, "\xf1\x4b\x94\xb7\xbf\xf1\xfe\xf0\x27\x73\xb8\xc4\x9f\xed\xed\x26",
      "Shrew Soft", VK_PLAIN },
    { 16, "\x88\x2f\xe5\x6d\x6f\xd2\x0d\xbc\x22\x51\x61\x3b\x2e\xbe\x5b\xeb",
      "strongSwan", VK_PLAIN },
    { 16, "\x70\x03\xcb\xc1\x09\x7d\xbe\x9c\x26\x00\xba\x69\x83\xbc\x8b\x35",
      "KAME/racoon", VK_PLAIN },
    { 16, "\x20\xa3\x62\x2c\x1c\xea\x7c\xe3\x7b\xee\x3c\xa4\x84\x42\x52\x76",
      "IPSec-Tools", VK_PLAIN },
    { 20, "\x29\x9e\xe8\x28\x9f\x40\xa8\x97\x3b\xc7\x86\x87\xe2\xe7\x22\x6b\x53\x2c\x3b\x76",
      "Netscreen-1", VK_PLAIN },
    { 20, "\x3a\x15\xe1\xf3\xcf\x2a\x63\x58\x2e\x3a\xc8\x2d\x1c\x64\xcb\xe3\xb6\xd7\x79\xe7",
      "Netscreen-2", VK_PLAIN },
    { 20, "\x47\xd2\xb1\x26\xbf\xcd\x83\x48\x97\x60\xe2\xcf\x8c\x5d\x4d\x5a\x03\x49\x7c\x15",
      "Netscreen-3", VK_PLAIN },
    { 20, "\x4a\x43\x40\xb5\x43\xe0\x2b\x84\xc8\x8a\x8b\x96\xa8\xaf\x9e\xbe\x77\xd9\xac\xcc",
      "Netscreen-4", VK_PLAIN },
    { 20, "\x64\x40\x5f\x46\xf0\x3b\x76\x60\xa2\x3b\xe1\x16\xa1\x97\x50\x58\xe6\x9e\x83\x87",
      "Netscreen-5", VK_PLAIN },
    { 20, "\x69\x93\x69\x22\x87\x41\xc6\xd4\xca\x09\x4c\x93\xe2\x42\xc9\xde\x19\xe7\xb7\xc6",
      "Netscreen-6", VK_PLAIN },
    { 20, "\x8c\x0d\xc6\xcf\x62\xa0\xef\x1b\x5c\x6e\xab\xd1\xb6\x7b\xa6\x98\x66\xad\xf1\x6a",
      "Netscreen-7", VK_PLAIN },
    { 20, "\x92\xd2\x7a\x9e\xcb\x31\xd9\x92\x46\x98\x6d\x34\x53\xd0\xc3\xd5\x7a\x22\x2a\x61",
      "Netscreen-8", VK_PLAIN },
    { 20, "\x9b\x09\x6d\x9a\xc3\x27\x5a\x7d\x6f\xe8\xb9\x1c\x58\x31\x11\xb0\x9e\xfe\xd1\xa0",
      "Netscreen-9", VK_PLAIN },
    { 20, "\xbf\x03\x74\x61\x08\xd7\x46\xc9\x04\xf1\xf3\x54\x7d\xe2\x4f\x78\x47\x9f\xed\x12",
      "Netscreen-10", VK_PLAIN },
    { 20, "\xc2\xe8\x05\x00\xf4\xcc\x5f\xbf\x5d\xaa\xee\xd3\xbb\x59\xab\xae\xee\x56\xc6\x52",
      "Netscreen-11", VK_PLAIN },
    { 20, "\xc8\x66\x0a\x62\xb0\x3b\x1b\x61\x30\xbf\x78\x16\x08\xd3\x2a\x6a\x8d\x0f\xb8\x9f",
      "Netscreen-12", VK_PLAIN },
    { 20, "\xf8\x85\xda\x40\xb1\xe7\xa9\xab\xd1\x76\x55\xec\x5b\xbe\xc0\xf2\x1f\x0e\xd5\x2e",
      "Netscreen-13", VK_PLAIN },
    { 20, "\x2a\x2b\xca\xc1\x9b\x8e\x91\xb4\x26\x10\x78\x07\xe0\x2e\x72\x49\x56\x9d\x6f\xd3",
      "Netscreen-14", VK_PLAIN },
    { 20, "\x16\x6f\x93\x2d\x55\xeb\x64\xd8\xe4\xdf\x4f\xd3\x7e\x23\x13\xf0\xd0\xfd\x84\x51",
      "Netscreen-15", VK_PLAIN },
    { 20, "\xa3\x5b\xfd\x05\xca\x1a\xc0\xb3\xd2\xf2\x4e\x9e\x82\xbf\xcb\xff\x9c\x9e\x52\xb5",
      "Netscreen-16", VK_PLAIN },
    { 20, "\x62\x50\x27\x74\x9d\x5a\xb9\x7f\x56\x16\xc1\x60\x27\x65\xcf\x48\x0a\x3b\x7d\x0b",
      "ZYWALL", VK_PLAIN },
    { 16, "\x84\x04\xad\xf9\xcd\xa0\x57\x60\xb2\xca\x29\x2e\x4b\xff\x53\x7b",
      "SIDEWINDER", VK_PLAIN },
    { 8, "\x40\x4b\xf4\x39\x52\x2c\xa3\xf6",
      "SonicWALL", VK_PLAIN },
    { 16, "\x48\x65\x61\x72\x74\x42\x65\x61\x74\x5f\x4e\x6f\x74\x69\x66\x79",
      "Heartbeat Notify", VK_PLAIN },
    { 16, "\x2d\x79\x22\xc6\xb3\x01\xd9\xb0\xe1\x34\x27\x39\xe9\xcf\xbb\xd5",
      "DWR: Delete with reason", VK_PLAIN },
    { 20, "\xca\x3e\x2b\x85\x4b\xa8\x03\x00\x17\xdc\x10\x23\xa4\xfd\xe2\x04\x1f\x9f\x74\x63",
      "Remote AP (Aruba Networks)", VK_PLAIN },
    { 20, "\x3c\x8e\x70\xbd\xf9\xc7\xd7\x4a\xdd\x53\xe4\x10\x09\x15\xdc\x2e\x4b\xb5\x12\x74",
      "Controller (Aruba Networks)", VK_PLAIN },
    { 20, "\x88\xf0\xe3\x14\x9b\x3f\xa4\x8b\x05\xaa\x7f\x68\x5f\x0b\x76\x6b\xe1\x86\xcc\xb8",
      "VIA Client (Aruba Networks)", VK_PLAIN },
    { 19, "\x56\x49\x41\x20\x41\x75\x74\x68\x20\x50\x72\x6f\x66\x69\x6c\x65\x20\x3a\x20",
      "VIA Auth Profile (Aruba Networks)", VK_ARUBA_VIA },
    { 16, "\xe3\xa5\x96\x6a\x76\x37\x9f\xe7\x07\x22\x82\x31\xe5\xce\x86\x52",
      "IKE CGA Version 1", VK_PLAIN },
    { 16, "\xfb\x1d\xe3\xcd\xf3\x41\xb7\xea\x16\xb7\xe5\xbe\x08\x55\xf1\x20",
      "MS-Negotiation Discovery Capable", VK_PLAIN },
    { 12, "\x82\x99\x03\x17\x57\xa3\x60\x82\xc6\xa6\x21\xde",
      "Fortigate (Fortinet)", VK_FORTIGATE },
    { 16, "\x4c\x53\x42\x7b\x6d\x46\x5d\x1b\x33\x7b\xb7\x55\xa3\x7a\x7f\xef",
      "Forticlient connect license (Fortinet)", VK_PLAIN },
    { 16, "\xb4\xf0\x1c\xa9\x51\xe9\xda\x8d\x0b\xaf\xbb\xd3\x4a\xd3\x04\x4e",
      "Endpoint Control (Fortinet)", VK_PLAIN },
    { 16, "\xca\x4a\x4c\xbb\x12\xea\xb6\xc5\x8c\x57\x06\x7c\x2e\x65\x37\x86",
      "Auto-Discovery Receiver (Fortinet)", VK_PLAIN },
    { 16, "\x9b\x15\xe6\x5a\x87\x1a\xff\x34\x26\x66\x62\x3b\xa5\x02\x2e\x60",
      "Auto-Discovery Sender (Fortinet)", VK_PLAIN },
    { 16, "\xa5\x8f\xec\x50\x36\xf5\x7b\x21\xe8\xb4\x99\xe3\x36\xc7\x6e\xe6",
      "Exchange Interface IP (Fortinet)", VK_PLAIN },
};

/* How the name of an entry below is made. */
typedef enum {
    VN_FIXED,          /* the name as is */
    VN_LIBRESWAN,      /* "Libreswan" and the version text after the prefix */
    VN_CISCO3K,        /* version from the two bytes after the prefix */
    VN_DPD             /* major and minor version after the prefix */
} vid_naming;

typedef struct {
    uint8_t len;
    const char *bytes;
    const char *name;
    vid_naming naming;
} vid_extra;

/* Vendor IDs Wireshark 4.0 does not name (tshark prints "Unknown Vendor ID"
 * for them), and more specific forms of some it does (versions after a
 * prefix).  They only feed ike.vid.name, never ike.vid_string.  Every byte
 * string is taken from the public source named in the comment above it;
 * MD5-derived ones were recomputed from the documented input string and
 * checked against the hex values those sources list. */
static const vid_extra extra_vids[] = {

    /* strongSwan: MD5("strongSwan x.y.z"), sent by strongSwan 2.2.0 - 4.3.5
     * (from 4.3.6 on only MD5("strongSwan"), above).  Versions from strongSwan's
     * src/pluto/vendor.c and libreswan lib/libswan/vendorid.c; the hashes
     * agree with nmap nselib/data/ike-fingerprints.lua where it lists them. */
    { 16, "\x85\xb6\xcb\xec\x48\x0d\x5c\x8c\xd9\x88\x2c\x82\x5a\xc2\xc2\x44",
      "strongSwan 2.2.0", VN_FIXED },
    { 16, "\xd9\x11\x8b\x1e\x9d\xe5\xef\xce\xd9\xcc\x9d\x88\x3f\x21\x68\xff",
      "strongSwan 2.2.1", VN_FIXED },
    { 16, "\x99\xdc\x7c\xc8\x23\x37\x6b\x3b\x33\xd0\x43\x57\x89\x6a\xe0\x7b",
      "strongSwan 2.2.2", VN_FIXED },
    { 16, "\xb8\xf9\x2b\x2f\xa2\xd3\xfe\x5f\xe1\x58\x34\x4b\xda\x1c\xc6\xae",
      "strongSwan 2.3.0", VN_FIXED },
    { 16, "\xf6\x97\xc1\xaf\xcc\x2e\xc8\xdd\xcd\xf9\x9d\xc7\xaf\x03\xa6\x7f",
      "strongSwan 2.3.1", VN_FIXED },
    { 16, "\x42\xa4\x83\x4c\x92\xab\x9a\x77\x77\x06\x3a\xfa\x25\x4b\xcb\x69",
      "strongSwan 2.3.2", VN_FIXED },
    { 16, "\xe8\x29\xc8\x81\x49\xba\xb3\xc0\xce\xe8\x5d\xa6\x0e\x18\xae\x9b",
      "strongSwan 2.4.0", VN_FIXED },
    { 16, "\x75\xb0\x65\x3c\xb2\x81\xeb\x26\xd3\x1e\xde\x38\xc8\xe1\xe2\x28",
      "strongSwan 2.4.1", VN_FIXED },
    { 16, "\xe7\xa3\xfd\x0c\x6d\x77\x1a\x8f\x1b\x8a\x86\xa4\x16\x9c\x9e\xa4",
      "strongSwan 2.4.2", VN_FIXED },
    { 16, "\x98\x2b\x7a\x06\x3a\x33\xc1\x43\xa8\xea\xdc\x88\x24\x9f\x6b\xcc",
      "strongSwan 2.4.3", VN_FIXED },
    { 16, "\x48\x5a\x70\x36\x1b\x44\x33\xb3\x1d\xea\x1c\x6b\xe0\xdf\x24\x3e",
      "strongSwan 2.4.4", VN_FIXED },
    { 16, "\x9e\xb3\xd9\x07\xed\x7a\xda\x4e\x3c\xbc\xac\xb9\x17\xab\xc8\xe4",
      "strongSwan 2.5.0", VN_FIXED },
    { 16, "\x9a\x4a\x46\x48\xf6\x0f\x8e\xda\x7c\xfc\xbf\xe2\x71\xee\x5b\x7d",
      "strongSwan 2.5.1", VN_FIXED },
    { 16, "\x86\x1c\xe5\xeb\x72\x16\x4b\x19\x0e\x9e\x62\x9a\x31\xcf\x49\x01",
      "strongSwan 2.5.2", VN_FIXED },
    { 16, "\xdf\x5b\x1f\x0f\x1d\x56\x79\xd9\xf8\x51\x2b\x16\xc5\x5a\x60\x65",
      "strongSwan 2.5.3", VN_FIXED },
    { 16, "\x7a\x6b\xf5\xb7\xdf\x89\x64\x2a\x75\xa7\x8e\xf7\xd6\x57\xc1\xc0",
      "strongSwan 2.5.4", VN_FIXED },
    { 16, "\x3f\x26\x7e\xd6\x21\xad\xa7\xee\x6c\x7d\x88\x93\xcc\xb0\xb1\x4b",
      "strongSwan 2.5.5", VN_FIXED },
    { 16, "\x3c\x5e\xba\x3d\x85\x64\x92\x8e\x32\xae\x43\xc3\xd9\x92\x4d\xee",
      "strongSwan 2.5.6", VN_FIXED },
    { 16, "\x1f\x44\x42\x29\x6b\x83\xd7\xe3\x3a\x8b\x45\x20\x9b\xa0\xe5\x90",
      "strongSwan 2.5.7", VN_FIXED },
    { 16, "\x3f\x32\x66\x49\x9f\xfd\xbd\x85\x95\x0e\x70\x22\x98\x06\x28\x44",
      "strongSwan 2.6.0", VN_FIXED },
    { 16, "\x66\xaf\xbc\x12\xbb\xfe\x6c\xe1\x08\xb1\xf6\x9f\x4b\xc9\x17\xb7",
      "strongSwan 2.6.1", VN_FIXED },
    { 16, "\x5b\x1c\xd6\xfe\x7d\x05\x0e\xda\x6c\x93\x87\x1c\x10\x7d\xb3\xd2",
      "strongSwan 2.6.2", VN_FIXED },
    { 16, "\xb2\x86\x0e\x78\x37\xf7\x11\xbe\xf3\xd0\xee\xb1\x06\x87\x2d\xed",
      "strongSwan 2.6.3", VN_FIXED },
    { 16, "\xb9\x27\xf9\x52\x19\xa0\xfe\x36\x00\xdb\xa3\xc1\x18\x2a\xe5\x5f",
      "strongSwan 2.6.4", VN_FIXED },
    { 16, "\x07\xfa\x12\x8e\x47\x54\xf9\x44\x7b\x1d\xd4\x63\x74\xee\xf3\x60",
      "strongSwan 2.7.0", VN_FIXED },
    { 16, "\x81\x34\x87\x85\x82\x12\x17\x85\xba\x65\xea\x34\x5d\x6b\xa7\x24",
      "strongSwan 2.7.1", VN_FIXED },
    { 16, "\xa1\x94\xe2\xaa\xdd\xd0\xba\xfb\x95\x25\x3d\xd9\x6d\xc7\x33\xeb",
      "strongSwan 2.7.2", VN_FIXED },
    { 16, "\x7f\x50\xcc\x4e\xbf\x04\xc2\xd9\xda\x73\xab\xfd\x69\xb7\x7a\xa2",
      "strongSwan 2.7.3", VN_FIXED },
    { 16, "\x32\xf0\xe9\xb9\xc0\x6d\xfe\x8c\x9a\xd5\x59\x9a\x63\x69\x71\xa1",
      "strongSwan 2.8.0", VN_FIXED },
    { 16, "\xe3\x7f\x2d\x5b\xa8\x9a\x62\xcd\x20\x2e\xe2\x7d\xac\x06\xc8\xa8",
      "strongSwan 2.8.1", VN_FIXED },
    { 16, "\x29\x99\x32\x27\x7b\x7d\xfe\x38\x2c\xe2\x34\x65\x33\x3a\x7d\x23",
      "strongSwan 2.8.2", VN_FIXED },
    { 16, "\xfb\x46\x41\xad\x0e\xeb\x2a\x34\x49\x1d\x15\xf4\xef\xf5\x10\x63",
      "strongSwan 2.8.3", VN_FIXED },
    { 16, "\x76\xc7\x2b\xfd\x39\x84\x24\xdd\x00\x1b\x86\xd0\x01\x2f\xe0\x61",
      "strongSwan 2.8.4", VN_FIXED },
    { 16, "\x4c\x7e\xfa\x31\xb3\x9e\x51\x04\x32\xa3\x17\x57\x0d\x97\xbb\xb9",
      "strongSwan 2.8.5", VN_FIXED },
    { 16, "\xfe\x3f\x49\x70\x6e\x26\xa9\xfb\x36\xa8\x7b\xfc\xe9\xea\x36\xce",
      "strongSwan 2.8.6", VN_FIXED },
    { 16, "\x3a\x0d\x4e\x7c\xa4\xe4\x92\xed\x4d\xfe\x47\x6d\x1a\xc6\x01\x8b",
      "strongSwan 2.8.7", VN_FIXED },
    { 16, "\x8c\x4a\x3b\xcb\x72\x9b\x11\xf7\x03\xd2\x2a\x5b\x39\x64\x0c\xa8",
      "strongSwan 2.8.8", VN_FIXED },
    { 16, "\x0e\x9e\x82\x05\x24\x93\x2d\xa1\x99\xa4\x98\x95\x3a\xfa\x8a\x7e",
      "strongSwan 2.8.9", VN_FIXED },
    { 16, "\x35\x7a\x0a\xe9\xf6\x88\x78\xd9\xc3\x62\xe1\xe4\xdc\x71\x43\xa2",
      "strongSwan 2.8.10", VN_FIXED },
    { 16, "\xa7\x96\xda\xf7\x60\xa3\x07\x60\x05\x8b\xcc\x62\x6d\xdb\x94\xfb",
      "strongSwan 2.8.11", VN_FIXED },
    { 16, "\x2c\xe9\xc9\x46\xa4\xc8\x79\xbf\x11\xb5\x0b\x76\xcc\x56\x92\xcb",
      "strongSwan 4.0.0", VN_FIXED },
    { 16, "\x9d\xbb\xaf\xcf\x1d\xb0\xdd\x59\x5a\xe0\x65\x29\x40\x03\xad\x3e",
      "strongSwan 4.0.1", VN_FIXED },
    { 16, "\x77\xe8\xee\xa6\xf5\x56\xa4\x99\xde\x3f\xfe\x7f\x7f\x95\x66\x1c",
      "strongSwan 4.0.2", VN_FIXED },
    { 16, "\xb1\x81\xb1\x8e\x11\x4f\xc2\x09\xb3\xc6\xe2\x6c\x3a\x80\x71\x8e",
      "strongSwan 4.0.3", VN_FIXED },
    { 16, "\x1e\xf2\x83\xf8\x35\x49\xb5\xff\x96\x08\xb6\xd6\x34\xf8\x4d\x75",
      "strongSwan 4.0.4", VN_FIXED },
    { 16, "\xdd\x18\x0d\x21\xe5\xce\x65\x5a\x76\x8b\xa3\x22\x11\xdd\x8a\xd9",
      "strongSwan 4.0.5", VN_FIXED },
    { 16, "\x4c\x90\x13\x69\x46\x57\x7b\x51\x91\x9d\x8d\x9a\x6b\x8e\x4a\x9f",
      "strongSwan 4.0.6", VN_FIXED },
    { 16, "\xab\x07\x46\x22\x1c\xc8\xfd\x0d\x52\x38\xf7\x3a\x9b\x3d\xa5\x57",
      "strongSwan 4.0.7", VN_FIXED },
    { 16, "\x47\x94\xce\xf6\x84\x34\x22\x98\x0d\x1a\x3d\x06\xaf\x41\xc5\xcd",
      "strongSwan 4.1.0", VN_FIXED },
    { 16, "\xd3\xf1\xc4\x88\xc3\x68\x17\x5d\x5f\x40\xa8\xf5\xca\x5f\x5e\x12",
      "strongSwan 4.1.1", VN_FIXED },
    { 16, "\x15\xa1\xac\xe7\xee\x52\xfd\xdf\xef\x04\xf9\x28\xdb\x2d\xd1\x34",
      "strongSwan 4.1.2", VN_FIXED },
    { 16, "\x58\x49\xab\x6d\x8b\xea\xbd\x6e\x4d\x09\xe5\xa3\xb8\x8c\x08\x9a",
      "strongSwan 4.1.3", VN_FIXED },
    { 16, "\x31\x2f\x9c\xb1\xa6\xb9\x0e\x19\xde\x75\x28\xc9\x04\xac\x30\x87",
      "strongSwan 4.1.4", VN_FIXED },
    { 16, "\xbf\x0f\xbf\x73\x06\xeb\xb7\x82\x70\x42\xd8\x93\x53\x98\x86\xe2",
      "strongSwan 4.1.5", VN_FIXED },
    { 16, "\xd1\x96\x83\x36\x8a\xf4\xb0\xed\xc2\x1c\xcd\xe9\x82\xb1\xd1\xb0",
      "strongSwan 4.1.6", VN_FIXED },
    { 16, "\xea\x84\x0a\xa4\xdf\xc9\x71\x2d\x6c\x32\xb5\xa1\x6e\xb3\x29\xa3",
      "strongSwan 4.1.7", VN_FIXED },
    { 16, "\x66\xa2\x04\x55\x07\xc1\x19\xda\x78\xa4\x66\x62\x59\xcd\xea\x48",
      "strongSwan 4.1.8", VN_FIXED },
    { 16, "\x78\xfd\xd2\x87\xde\xf0\x1a\x3f\x07\x4b\x53\x69\xea\xb4\xfd\x1c",
      "strongSwan 4.1.9", VN_FIXED },
    { 16, "\xbf\x3a\x89\xae\x5b\xef\x8e\x72\xd4\x4d\xac\x8b\xb8\x8d\x7d\x5f",
      "strongSwan 4.1.10", VN_FIXED },
    { 16, "\xb7\xbd\x9f\x2f\x97\x8e\x32\x59\xa7\xaa\x9f\x7a\x13\x96\xad\x6c",
      "strongSwan 4.1.11", VN_FIXED },
    { 16, "\x9f\x68\x90\x13\x25\xa9\x72\x89\x43\x35\x30\x2a\x95\x31\xab\x9f",
      "strongSwan 4.2.0", VN_FIXED },
    { 16, "\xba\xb2\x53\xf4\xcb\x10\xa8\x10\x8a\x7c\x92\x7c\x56\xc8\x78\x86",
      "strongSwan 4.2.1", VN_FIXED },
    { 16, "\x2a\x51\x7d\x0d\x23\xc3\x7d\x08\xbc\xe7\xc2\x92\xa0\x21\x7b\x39",
      "strongSwan 4.2.2", VN_FIXED },
    { 16, "\x2d\x1f\x40\x61\x18\xfb\xd5\xd2\x84\x74\x79\x1f\xfa\x00\x48\x8a",
      "strongSwan 4.2.3", VN_FIXED },
    { 16, "\xcd\x57\x92\xd4\xb7\x0f\x02\x99\xa6\xa1\x37\x3d\xe2\x36\xd2\xac",
      "strongSwan 4.2.4", VN_FIXED },
    { 16, "\xaf\x0a\x05\xe0\xbd\x37\xb0\xab\xa0\x13\x5a\x19\x4a\xbb\x5b\x89",
      "strongSwan 4.2.5", VN_FIXED },
    { 16, "\xa2\x78\x2d\xd6\x83\xb5\xed\xee\x3b\x77\x7f\x89\x7d\x2b\x86\x7e",
      "strongSwan 4.2.6", VN_FIXED },
    { 16, "\x4d\xdc\x7e\x1f\x6d\x6c\xd1\xae\x9d\x5d\xca\xc5\x8f\xa1\xfe\x9a",
      "strongSwan 4.2.7", VN_FIXED },
    { 16, "\x95\x56\x9e\xe2\x3e\xbb\x62\xed\xde\xde\xa3\x53\xa5\x75\xfa\xf3",
      "strongSwan 4.2.8", VN_FIXED },
    { 16, "\x48\x8c\x08\xf5\x7a\xfc\x38\x21\x12\xf7\xcb\x39\x6f\x2d\x4f\x6c",
      "strongSwan 4.2.9", VN_FIXED },
    { 16, "\x1a\xa1\x58\xae\x7f\x11\xe7\x7d\x75\xec\x80\x1d\xb5\x3f\x7e\xc5",
      "strongSwan 4.2.10", VN_FIXED },
    { 16, "\x05\xce\xcc\xd8\xe9\x85\xfe\x06\x69\xea\xc2\x82\xf8\x03\x29\x2a",
      "strongSwan 4.2.11", VN_FIXED },
    { 16, "\xbc\x7d\x89\xb8\xb6\xb7\x60\x39\x1b\x12\x06\xe3\xab\x39\x13\x28",
      "strongSwan 4.2.12", VN_FIXED },
    { 16, "\x5c\x14\x65\x1f\xfd\x4a\xf6\x38\x3f\x5b\xa2\x91\x77\xc2\x72\x9a",
      "strongSwan 4.2.13", VN_FIXED },
    { 16, "\xde\x01\x45\x40\xe7\x8d\xd8\x76\x8b\xfb\x6c\x52\x38\xed\xe7\x5f",
      "strongSwan 4.2.14", VN_FIXED },
    { 16, "\x97\xbe\x0b\x4b\x85\x06\xe4\x09\x43\xac\x2e\x19\x33\xec\x2c\xa2",
      "strongSwan 4.2.15", VN_FIXED },
    { 16, "\x4d\xa3\x3e\xb5\xf9\x4e\xbf\x6d\x84\x9c\x89\xa7\x58\x03\xc5\x0b",
      "strongSwan 4.2.16", VN_FIXED },
    { 16, "\x79\xcf\x93\x93\x52\xcd\xee\x20\xc8\xfb\x22\x8e\x26\x48\x26\xad",
      "strongSwan 4.2.17", VN_FIXED },
    { 16, "\x9d\xeb\x74\xe7\x51\xf4\x4c\x47\x90\x5e\xd2\xfa\xd9\x3f\x92\x71",
      "strongSwan 4.3.0", VN_FIXED },
    { 16, "\x20\xb1\xf6\x2b\x24\x0a\x52\xa8\x49\x30\x91\x83\x96\x0c\xbb\x64",
      "strongSwan 4.3.1", VN_FIXED },
    { 16, "\xd6\x26\x39\x56\xac\x79\x09\x61\xa9\xc8\x40\x9b\x39\x37\x24\xbf",
      "strongSwan 4.3.2", VN_FIXED },
    { 16, "\xf9\xf0\x93\x62\x93\x08\xb2\x43\x88\xd0\x9c\x3f\x02\x6d\xe0\xa8",
      "strongSwan 4.3.3", VN_FIXED },
    { 16, "\xe3\x7e\x5d\x64\xa3\x29\xa5\xcf\x1e\xeb\x85\x46\xc3\xb0\x60\x18",
      "strongSwan 4.3.4", VN_FIXED },
    { 16, "\xde\x5c\x70\x38\x01\x95\x2d\x85\xf6\xb3\xed\x33\xb3\x37\x84\xb4",
      "strongSwan 4.3.5", VN_FIXED },

    /* strongSwan src/libcharon/sa/ikev1/tasks/isakmp_vendor.c (ZyXEL IDs it
     * recognises); ike-scan ike-vendor-ids ("XyXEL ZyWALL Router") */
    { 20, "\xb8\x58\xd1\xad\xdd\x08\xc1\xe8\xad\xaf\xea\x15\x06\x08\xaa\x44\x97\xaa\x6c\xc8",
      "ZyXEL ZyWALL Router", VN_FIXED },
    { 14, "\xf7\x58\xf2\x26\x68\x75\x0f\x03\xb0\x8d\xf6\xeb\xe1\xd0",
      "ZyXEL ZyWALL USG 100", VN_FIXED },

    /* libreswan lib/libswan/vendorid.c: libreswan 3.6+ sends "OE-Libreswan-"
     * followed by its version (libreswan_vendorid, lswversion.c); 3.0 - 3.5
     * sent "OEN..."; Openswan "OSW..." (Xelerance) and "OE..." (project). */
    { 13, "\x4f\x45\x2d\x4c\x69\x62\x72\x65\x73\x77\x61\x6e\x2d",
      "Libreswan", VN_LIBRESWAN },
    { 3, "\x4f\x45\x4e",
      "Libreswan 3.0 - 3.5", VN_FIXED },

    /* FreeS/WAN 2.x / Openswan 2.x: "OE" + 10 bytes of MD5 of the name with
     * bit 7 cleared and bit 6 set (libreswan VID_FSWAN_HASH); values from
     * ike-scan ike-vendor-ids and nmap ike-fingerprints.lua.  The
     * longest matching prefix wins, so these beat the bare "OE" below. */
    { 12, "\x4f\x45\x48\x6b\x7d\x44\x78\x4d\x42\x67\x6b\x5d",
      "Linux FreeS/WAN 2.00", VN_FIXED },
    { 12, "\x4f\x45\x7c\x4f\x54\x7e\x6e\x61\x5b\x42\x6e\x56",
      "Linux FreeS/WAN 2.01", VN_FIXED },
    { 12, "\x4f\x45\x6c\x6b\x44\x69\x6d\x7f\x6b\x4c\x4e\x60",
      "Linux FreeS/WAN 2.02", VN_FIXED },
    { 12, "\x4f\x45\x56\x66\x71\x47\x49\x62\x73\x4e\x62\x64",
      "Linux FreeS/WAN 2.03", VN_FIXED },
    { 12, "\x4f\x45\x70\x4f\x73\x65\x79\x50\x5c\x6e\x5f\x6d",
      "Linux FreeS/WAN 2.04", VN_FIXED },
    { 12, "\x4f\x45\x72\x71\x78\x5f\x4c\x7e\x49\x6f\x4d\x54",
      "Linux FreeS/WAN 2.05", VN_FIXED },
    { 12, "\x4f\x45\x7e\x4c\x46\x6e\x5d\x42\x7c\x5c\x6b\x52",
      "Linux FreeS/WAN 2.06", VN_FIXED },
    { 12, "\x4f\x45\x48\x72\x4b\x6e\x5e\x68\x55\x7c\x60\x4f",
      "Openswan 2.2.0", VN_FIXED },
    { 12, "\x4f\x45\x72\x69\x6f\x5c\x77\x55\x7f\x74\x62\x49",
      "Openswan 2.3.0", VN_FIXED },
    /* libreswan vendorid.c VID_FSWAN_HASH entries ("Linux FreeS/WAN 2.00
     * [X.509-1.3.1 [LDAP]] PLUTO_SENDS_VENDORID"), made with the same
     * construction, which reproduces all nine ike-scan values above. */
    { 12, "\x4f\x45\x44\x76\x5b\x57\x6b\x40\x45\x41\x74\x47",
      "FreeS/WAN 2.00", VN_FIXED },
    { 12, "\x4f\x45\x77\x4e\x4a\x43\x52\x71\x6e\x45\x48\x6f",
      "FreeS/WAN 2.00 (X.509-1.3.1)", VN_FIXED },
    { 12, "\x4f\x45\x57\x5d\x6a\x53\x43\x42\x46\x74\x79\x6e",
      "FreeS/WAN 2.00 (X.509-1.3.1 + LDAP)", VN_FIXED },
    { 3, "\x4f\x53\x57",
      "Openswan (Xelerance)", VN_FIXED },
    { 2, "\x4f\x45",
      "Openswan", VN_FIXED },

    /* libreswan lib/libswan/vendorid.c: other plain-text IDs */
    { 19, "\x4f\x70\x70\x6f\x72\x74\x75\x6e\x69\x73\x74\x69\x63\x20\x49\x50\x73\x65\x63",
      "Opportunistic IPsec (libreswan)", VN_FIXED },
    { 5, "\x49\x4b\x45\x76\x32",
      "CAN-IKEv2 (obsolete libreswan/Openswan)", VN_FIXED },
    { 8, "\x4f\x70\x65\x6e\x49\x4b\x45\x44",
      "OpenIKED", VN_FIXED },

    /* ike-scan ike-vendor-ids ("OpenPGP"; libreswan sends "OpenPGP10171") */
    { 7, "\x4f\x70\x65\x6e\x50\x47\x50",
      "OpenPGP", VN_FIXED },

    /* Cisco.  VPN 3000: first 14 bytes are a truncated MD5 of "ALTIGA GATEWAY",
     * the last two the version, e.g. 0306 = 3.0.6 (libreswan vendorid.c;
     * nmap ike-fingerprints.lua: 0300, 0301, 0305, 0407 = 3.0.0 ... 4.0.7). */
    { 14, "\x1f\x07\xf7\x0e\xaa\x65\x14\xd3\xb0\xfa\x96\x54\x2a\x50",
      "Cisco VPN 3000 Series", VN_CISCO3K },

    /* libreswan vendorid.c; nmap ike-fingerprints.lua ("Cisco IOS") */
    { 4, "\x3e\x98\x40\x48",
      "Cisco IOS Device", VN_FIXED },

    /* libreswan vendorid.c */
    { 12, "\x80\x01\x00\x01\x80\x02\x00\x01\x80\x03\x00\x02",
      "Cisco-Unity FW type", VN_FIXED },

    /* Microsoft: MD5("MS NT5 ISAKMPOAKLEY") + 32-bit version ([MS-AIPS],
     * https://msdn.microsoft.com/en-us/library/cc233476.aspx, as listed in
     * libreswan vendorid.c and nmap ike-fingerprints.lua). */
    { 20, "\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61\x00\x00\x00\x02",
      "MS NT5 ISAKMPOAKLEY v2 (Windows 2000)", VN_FIXED },
    { 20, "\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61\x00\x00\x00\x03",
      "MS NT5 ISAKMPOAKLEY v3 (Windows XP)", VN_FIXED },
    { 20, "\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61\x00\x00\x00\x04",
      "MS NT5 ISAKMPOAKLEY v4 (Windows Server 2003)", VN_FIXED },
    { 20, "\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61\x00\x00\x00\x05",
      "MS NT5 ISAKMPOAKLEY v5 (Windows Vista)", VN_FIXED },
    { 20, "\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61\x00\x00\x00\x06",
      "MS NT5 ISAKMPOAKLEY v6 (Windows Server 2008)", VN_FIXED },
    { 20, "\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61\x00\x00\x00\x07",
      "MS NT5 ISAKMPOAKLEY v7 (Windows 7)", VN_FIXED },
    { 20, "\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61\x00\x00\x00\x08",
      "MS NT5 ISAKMPOAKLEY v8 (Windows Server 2008 R2)", VN_FIXED },
    { 20, "\x1e\x2b\x51\x69\x05\x99\x1c\x7d\x7c\x96\xfc\xbf\xb5\x87\xe4\x61\x00\x00\x00\x09",
      "MS NT5 ISAKMPOAKLEY v9 (Windows 8, 8.1, 10, Server 2012 R2, Server 2016)", VN_FIXED },

    /* [MS-AIPS] vendor IDs as listed in libreswan vendorid.c; the MD5 names
     * ("MS-MamieExists", "IKE CGA version 1", "Vid-Initial-Contact") from
     * strongSwan src/pluto/vendor.c and nmap ike-fingerprints.lua. */
    { 20, "\x01\x52\x8b\xbb\xc0\x06\x96\x12\x18\x49\xab\x9a\x1c\x5b\x2a\x51\x00\x00\x00\x00",
      "Microsoft Windows KEY_MODS (IKE)", VN_FIXED },
    { 20, "\x01\x52\x8b\xbb\xc0\x06\x96\x12\x18\x49\xab\x9a\x1c\x5b\x2a\x51\x00\x00\x00\x01",
      "Microsoft Windows KEY_MODS (AuthIP)", VN_FIXED },
    { 20, "\x01\x52\x8b\xbb\xc0\x06\x96\x12\x18\x49\xab\x9a\x1c\x5b\x2a\x51\x00\x00\x00\x02",
      "Microsoft Windows KEY_MODS (IKEv2)", VN_FIXED },
    { 20, "\x7b\xb9\x38\x67\xd7\x6c\x8d\x80\xdf\x0f\x40\xfa\xe8\xfc\x3b\x19\x00\x00\x00\x00",
      "Microsoft AuthIP INIT KE DH NONE", VN_FIXED },
    { 20, "\x7b\xb9\x38\x67\xd7\x6c\x8d\x80\xdf\x0f\x40\xfa\xe8\xfc\x3b\x19\x00\x00\x00\x01",
      "Microsoft AuthIP INIT KE DH1", VN_FIXED },
    { 20, "\x7b\xb9\x38\x67\xd7\x6c\x8d\x80\xdf\x0f\x40\xfa\xe8\xfc\x3b\x19\x00\x00\x00\x02",
      "Microsoft AuthIP INIT KE DH2", VN_FIXED },
    { 20, "\x7b\xb9\x38\x67\xd7\x6c\x8d\x80\xdf\x0f\x40\xfa\xe8\xfc\x3b\x19\x00\x00\x00\x03",
      "Microsoft AuthIP INIT KE DH14", VN_FIXED },
    { 20, "\x7b\xb9\x38\x67\xd7\x6c\x8d\x80\xdf\x0f\x40\xfa\xe8\xfc\x3b\x19\x00\x00\x00\x04",
      "Microsoft AuthIP INIT KE DH19 (ECP 256)", VN_FIXED },
    { 20, "\x7b\xb9\x38\x67\xd7\x6c\x8d\x80\xdf\x0f\x40\xfa\xe8\xfc\x3b\x19\x00\x00\x00\x05",
      "Microsoft AuthIP INIT KE DH20 (ECP 384)", VN_FIXED },
    { 20, "\x7b\xb9\x38\x67\xd7\x6c\x8d\x80\xdf\x0f\x40\xfa\xe8\xfc\x3b\x19\x00\x00\x00\x06",
      "Microsoft AuthIP INIT KE DH21 (ECP 521)", VN_FIXED },
    { 20, "\x7b\xb9\x38\x67\xd7\x6c\x8d\x80\xdf\x0f\x40\xfa\xe8\xfc\x3b\x19\x00\x00\x00\x07",
      "Microsoft AuthIP INIT KE DH MAX", VN_FIXED },
    { 16, "\x72\x87\x2b\x95\xfc\xda\x2e\xb7\x08\xef\xe3\x22\x11\x9b\x49\x71",
      "Microsoft NLB/MSCS fast failover supported", VN_FIXED },
    { 16, "\x21\x4c\xa4\xfa\xff\xa7\xf3\x2d\x67\x48\xe5\x30\x33\x95\xae\x83",
      "MS-MamieExists (AuthIP supported)", VN_FIXED },
    { 16, "\x8a\xa3\x94\xcf\x8a\x55\x77\xdc\x31\x10\xc1\x13\xb0\x27\xa4\xf2",
      "Microsoft Xbox One 2013", VN_FIXED },
    { 16, "\x66\x08\x22\xb3\xa7\x3a\x24\x41\x49\x57\x8d\x62\xe0\xeb\x46\xa0",
      "Microsoft Xbox IKEv2 Negotiation", VN_FIXED },
    { 16, "\x68\x6a\x8c\xbd\xfe\x63\x4b\x40\x51\x46\xfb\x2b\xaf\x33\xe9\xe8",
      "MSFT IPsec Security Realm Id", VN_FIXED },

    /* Fortinet: nmap ike-fingerprints.lua ("Fortinet FortiGate") */
    { 16, "\x1d\x6e\x17\x8f\x6c\x2c\x0b\xe2\x84\x98\x54\x65\x45\x0f\xe9\xd4",
      "Fortinet FortiGate", VN_FIXED },

    /* Juniper / NetScreen: nmap ike-fingerprints.lua (SSG-550M running
     * ScreenOS 6.20; NS-5XP running ScreenOS 4.0.r3); libreswan vendorid.c
     * lists the last two as NetScreen IDs of unknown detail. */
    { 20, "\x2c\x9d\x7e\x81\x99\x5b\x99\x67\xd2\x3f\x57\x1a\xc6\x41\xf9\x34\x81\x22\xf1\xcc",
      "Juniper NetScreen (SSG-550M)", VN_FIXED },
    { 20, "\x94\x36\xe8\xd6\x71\x74\xef\x9a\xed\x06\x8d\x5a\xd5\x21\x3f\x18\x7a\x3f\x8b\xa6",
      "Juniper NetScreen (NS-5XP)", VN_FIXED },
    { 16, "\xd6\xb4\x5f\x82\xf2\x4b\xac\xb2\x88\xaf\x59\xa9\x78\x83\x0a\xb7",
      "Juniper NetScreen", VN_FIXED },
    { 20, "\xcf\x49\x90\x87\x91\x07\x3f\xb4\x64\x39\x79\x0f\xde\xb6\xae\xed\x98\x11\x01\xab",
      "Juniper NetScreen", VN_FIXED },

    /* RFC 3706 DPD: the last two bytes are the major and minor version
     * (ike-scan ike-vendor-ids); 1.0 is named above. */
    { 14, "\xaf\xca\xd7\x13\x68\xa1\xf1\xc9\x6b\x86\x96\xfc\x77\x57",
      "Dead Peer Detection", VN_DPD },

    /* libreswan vendorid.c, nmap ike-fingerprints.lua: MD5("RFC XXXX") sent by
     * Solaris 10 with RFC 3947 NAT-T */
    { 16, "\x81\x0f\xa5\x65\xf8\xab\x14\x36\x91\x05\xd7\x06\xfb\xd5\x72\x79",
      "RFC XXXX (Solaris NAT-T)", VN_FIXED },

    /* libreswan vendorid.c (from the Shrew Soft sources) */
    { 16, "\x3b\x90\x31\xdc\xe4\xfc\xf8\x8b\x48\x9a\x92\x39\x63\xdd\x0c\x49",
      "DPDv1_NG", VN_FIXED },

    /* Other implementations: libreswan vendorid.c, ike-scan ike-vendor-ids,
     * nmap ike-fingerprints.lua, strongSwan src/pluto/vendor.c */
    { 16, "\x47\xbb\xe7\xc9\x93\xf1\xfc\x13\xb4\xe6\xd0\xdb\x56\x5c\x68\xe5",
      "SafeNet SoftRemote", VN_FIXED },
    { 8, "\xda\x8e\x93\x78\x80\x01\x00\x00",
      "SonicWall / WatchGuard", VN_FIXED },
    { 4, "\xda\x8e\x93\x78",
      "SafeNet or WatchGuard", VN_FIXED },
    { 6, "\x5b\x36\x2b\xc8\x20\xf6",
      "SonicWall", VN_FIXED },
    { 4, "\x42\x4e\x45\x53",
      "Nortel Contivity", VN_FIXED },
    { 8, "\x54\x49\x4d\x45\x53\x54\x45\x50",
      "Timestep", VN_FIXED },
    { 12, "\x4d\x61\x63\x20\x4f\x53\x58\x20\x31\x30\x2e\x78",
      "Mac OS X 10.x", VN_FIXED },
    { 16, "\x10\x1f\xb0\xb3\x5c\x5a\x4f\x4c\x08\xb9\x19\xf1\xcb\x97\x77\xb0",
      "NCP client", VN_FIXED },
    { 12, "\xc6\xf5\x7a\xc3\x98\xf4\x93\x20\x81\x45\xb7\x58",
      "NCP Server", VN_FIXED },
    { 12, "\xeb\x4c\x1b\x78\x8a\xfd\x4a\x9c\xb7\x73\x0a\x68",
      "NCP Client", VN_FIXED },
    { 24, "\x4c\x56\x47\x39\x2e\x32\x2e\x32\x34\x35\x3a\x42\x52\x49\x43\x4b\x3a\x39\x2e\x32\x2e\x32\x34\x35",
      "Lucent VPN Gateway 9", VN_FIXED },
    { 11, "\x4c\x56\x43\x37\x2e\x31\x2e\x32\x3a\x58\x50",
      "Lucent VPN Client 7", VN_FIXED },
    { 20, "\x08\xdb\x45\xe6\xcb\x01\xf8\x0b\xb5\x76\xe9\xa7\x8c\x0f\x54\xe1\x30\x0b\x88\x81",
      "ELVIS-PLUS Zastava", VN_FIXED },
    { 22, "\x52\x61\x70\x74\x6f\x72\x20\x50\x6f\x77\x65\x72\x56\x70\x6e\x20\x53\x65\x72\x76\x65\x72",
      "Symantec Raptor PowerVPN Server", VN_FIXED },
    { 16, "\xc5\x73\xb0\x56\xd7\xfa\xca\x36\xc2\xfb\xa2\x83\x74\x12\x7c\xbf",
      "StoneSoft StoneGate", VN_FIXED },
    { 16, "\xba\xeb\x23\x90\x37\xe1\x77\x87\xd7\x30\xee\xd9\xd9\x5d\x48\xaa",
      "StoneSoft StoneGate", VN_FIXED },
    { 16, "\x8f\x9c\xc9\x4e\x01\x24\x8e\xcd\xf1\x47\x59\x4c\x28\x4b\x21\x3b",
      "SSH Communications Security QuickSec 2.1.0", VN_FIXED },
    { 16, "\xbd\xb4\x10\x38\xa7\xec\x5e\x55\x34\xdd\x00\x4d\x0f\x91\xf9\x27",
      "Cisco IOS (unconfirmed)", VN_FIXED },
};

static bool has_prefix(const uint8_t *vid, size_t len, const char *bytes, size_t plen)
{
    return plen <= len && memcmp(bytes, vid, plen) == 0;
}

/* Both tables indexed by first octet (every entry has at least one): a
 * lookup compares only the few entries that can match, in table order. */
#define N_WS G_N_ELEMENTS(wireshark_vids)
#define N_EXTRA G_N_ELEMENTS(extra_vids)
#define N_MAX (N_WS > N_EXTRA ? N_WS : N_EXTRA)
typedef struct {
    uint16_t start[257];   /* bucket b: order[start[b] .. start[b + 1]) */
    uint16_t order[N_MAX];
} vid_index;
static vid_index ws_index, extra_index;
static int index_ready;

static void index_fill(vid_index *x, const uint8_t *first, size_t n)
{
    memset(x->start, 0, sizeof x->start);
    for (size_t i = 0; i < n; i++)
        x->start[first[i] + 1]++;
    for (size_t b = 0; b < 256; b++)
        x->start[b + 1] = (uint16_t)(x->start[b + 1] + x->start[b]);
    uint16_t fill[256];
    memcpy(fill, x->start, sizeof fill);
    for (size_t i = 0; i < n; i++)   /* stable: table order within a bucket */
        x->order[fill[first[i]]++] = (uint16_t)i;
}

static void index_build(void)
{
    uint8_t first[N_MAX];
    for (size_t i = 0; i < N_WS; i++)
        first[i] = (uint8_t)wireshark_vids[i].bytes[0];
    index_fill(&ws_index, first, N_WS);
    for (size_t i = 0; i < N_EXTRA; i++)
        first[i] = (uint8_t)extra_vids[i].bytes[0];
    index_fill(&extra_index, first, N_EXTRA);
    __atomic_store_n(&index_ready, 1, __ATOMIC_RELEASE);
}

static void index_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    fill_once(&index_ready, &once, index_build);
}

/* ike.vid_string: the first Wireshark entry that is a prefix, as tshark. */
static const vid_entry *find(const uint8_t *vid, size_t len)
{
    if (len == 0)
        return NULL;
    index_init();
    for (uint16_t k = ws_index.start[vid[0]]; k < ws_index.start[vid[0] + 1]; k++) {
        const vid_entry *e = &wireshark_vids[ws_index.order[k]];
        if (has_prefix(vid, len, e->bytes, e->len))
            return e;
    }
    return NULL;
}

static const vid_entry *longest_wireshark(const uint8_t *vid, size_t len)
{
    const vid_entry *best = NULL;
    if (len == 0)
        return NULL;
    index_init();
    for (uint16_t k = ws_index.start[vid[0]]; k < ws_index.start[vid[0] + 1]; k++) {
        const vid_entry *e = &wireshark_vids[ws_index.order[k]];
        if (has_prefix(vid, len, e->bytes, e->len) && (!best || e->len > best->len))
            best = e;
    }
    return best;
}

static const vid_extra *longest_extra(const uint8_t *vid, size_t len)
{
    const vid_extra *best = NULL;
    if (len == 0)
        return NULL;
    index_init();
    for (uint16_t k = extra_index.start[vid[0]]; k < extra_index.start[vid[0] + 1]; k++) {
        const vid_extra *e = &extra_vids[extra_index.order[k]];
        if (has_prefix(vid, len, e->bytes, e->len) && (!best || e->len > best->len))
            best = e;
    }
    return best;
}

/* "Libreswan" and the version text libreswan puts after "OE-Libreswan-",
 * shown as sent (non-printable bytes as '.', at most 32 of them). */
static char *libreswan_name(const vid_extra *x, const uint8_t *vid, size_t len)
{
    GString *s = g_string_new(x->name);
    size_t n = MIN(len - x->len, (size_t)32);
    if (n > 0)
        g_string_append_c(s, ' ');
    for (size_t i = 0; i < n; i++) {
        uint8_t c = vid[x->len + i];
        g_string_append_c(s, g_ascii_isprint(c) ? (char)c : '.');
    }
    return g_string_free(s, FALSE);
}

static char *extra_name(const vid_extra *x, const uint8_t *vid, size_t len)
{
    const uint8_t *v = vid + x->len;
    switch (x->naming) {
    case VN_LIBRESWAN:
        return libreswan_name(x, vid, len);
    case VN_CISCO3K:            /* e.g. 03 06 = 3.0.6 */
        if (len >= (size_t)x->len + 2)
            return g_strdup_printf("%s %u.%u.%u", x->name, v[0], v[1] >> 4, v[1] & 0x0fu);
        break;
    case VN_DPD:                /* major, minor */
        if (len >= (size_t)x->len + 2)
            return g_strdup_printf("%s v%u.%u", x->name, v[0], v[1]);
        break;
    case VN_FIXED:
        break;
    }
    return g_strdup(x->name);
}

const char *vid_wireshark_name(const uint8_t *vid, size_t len)
{
    const vid_entry *e = vid ? find(vid, len) : NULL;
    return e ? e->name : NULL;
}

size_t vid_extra_count(void) { return G_N_ELEMENTS(extra_vids); }

const char *vid_extra_entry(size_t i, const uint8_t **bytes, size_t *len)
{
    *bytes = (const uint8_t *)extra_vids[i].bytes;
    *len = extra_vids[i].len;
    return extra_vids[i].name;
}

/* The most specific name: the longest known prefix, Wireshark's on a tie. */
char *vid_name(const uint8_t *vid, size_t len)
{
    if (!vid)
        return NULL;
    const vid_entry *w = longest_wireshark(vid, len);
    const vid_extra *x = longest_extra(vid, len);
    if (x && (!w || x->len > w->len))
        return extra_name(x, vid, len);
    return w ? g_strdup(w->name) : NULL;
}

static uint64_t be_uint(cur_t *c, size_t n)
{
    uint64_t v = 0;
    while (n--)
        v = (v << 8) | cur_u8(c);
    return v;
}

/* Fixed fields after the prefix, added while they fit. */
static void add_fields(dec_t *d, uint32_t item, cur_t *c, const int *fields, const uint8_t *sizes)
{
    for (; *fields >= 0; fields++, sizes++) {
        if (cur_left(c) < *sizes)
            return;
        size_t off = cur_off(c);
        tree_add_uint(d->m, item, *fields, c->src, off, *sizes, be_uint(c, *sizes));
    }
}

/* The fields some vendors put after their prefix. */
static void vendor_fields(dec_t *d, uint32_t item, const vid_entry *e, cur_t *c)
{
    static const int cp[] = { F_VID_CP_PRODUCT, F_VID_CP_VERSION, F_VID_CP_TIMESTAMP,
                              F_VID_CP_RESERVED, F_VID_CP_FEATURES, -1 };
    static const uint8_t cp_sizes[] = { 4, 4, 4, 4, 4 };
    static const int unity[] = { F_VID_CISCO_UNITY_MAJOR, F_VID_CISCO_UNITY_MINOR, -1 };
    static const uint8_t unity_sizes[] = { 1, 1 };
    static const int nt5[] = { F_VID_MS_NT5_ISAKMPOAKLEY, -1 };
    static const uint8_t nt5_sizes[] = { 4 };
    static const int forti[] = { F_VID_FORTINET_FORTIGATE_RELEASE,
                                 F_VID_FORTINET_FORTIGATE_BUILD, -1 };
    static const uint8_t forti_sizes[] = { 2, 2 };
    cur_skip(c, e->len);
    switch (e->kind) {
    case VK_CHECKPOINT: add_fields(d, item, c, cp, cp_sizes); break;
    case VK_CISCO_UNITY: add_fields(d, item, c, unity, unity_sizes); break;
    case VK_MS_NT5: add_fields(d, item, c, nt5, nt5_sizes); break;
    case VK_FORTIGATE: add_fields(d, item, c, forti, forti_sizes); break;
    case VK_ARUBA_VIA:
        tree_add(d->m, item, F_VID_ARUBA_VIA_AUTH_PROFILE, c->src, cur_off(c), cur_left(c));
        break;
    case VK_PLAIN: break;
    }
}

void vid_decode(dec_t *d, uint32_t item, cur_t *body)
{
    size_t off = cur_off(body), len = cur_left(body);
    const uint8_t *vid = cur_view(body, off, len);
    const vid_entry *e = vid ? find(vid, len) : NULL;
    if (facts_on(d))
        facts_add_vids(d->m, &(isakmp_fact_vid){ facts_cur(d), facts_span(body->src, off, len),
                                                 e ? e->name : NULL });
    /* the most specific name costs a second search and a string: only when
     * it will be shown */
    bool named = tree_wants(d->m, F_VID_NAME) || !d->m->no_labels;
    char *name = named ? vid_name(vid, len) : NULL;
    tree_add(d->m, item, F_VID_BYTES, body->src, off, len);
    tree_add_static(d->m, item, F_VID_STRING, body->src, off, len,
                    e ? e->name : "Unknown Vendor ID");
    if (e && e->kind != VK_PLAIN) {
        cur_t c = *body;
        vendor_fields(d, item, e, &c);
    }
    if (name)
        tree_add_string(d->m, item, F_VID_NAME, body->src, off, len, name);
    if (e || name)
        tree_set_label(d->m, item, "%s : %s", tree_item(d->m, item)->label ?
                       tree_item(d->m, item)->label : "Vendor ID", e ? e->name : name);
    g_free(name);
    cur_skip(body, len);
}
