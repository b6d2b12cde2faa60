#!/usr/bin/env python3
"""ESP packets under every algorithm the library names in esp_sa (Wireshark
4.0 names, decoder/keys/export.c), with the esp_sa lines that decrypt them.

The capture starts with one IKEv2 message (the plugin hands the SAs the
library knows to Wireshark's ESP dissector after each IKE message), then one
tunnel-mode ESP packet per SA carrying an ICMP echo request (RFC 4303; CBC
RFC 3602 / 2451 / 2144 / 2405, CTR RFC 3686, GCM RFC 4106, HMAC RFC 2403 /
2404 / 4868).  Ciphers come from the `cryptography` package; each ESP packet
is built here from the RFCs, not by any IPsec stack.

Usage: make-esp.py OUT.pcap OUT_esp_sa OUT_expect [FILLER]
  FILLER extra esp_sa lines (SAs with no packet) after the real ones.
  OUT_expect gets one line per ESP packet: SPI (0x%08x) and 1 when the
  ESP dissector can check its ICV (HMAC or AEAD), else 0.
"""
import hashlib
import hmac
import os
import struct
import sys
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data"))
import pcapgen  # noqa: E402

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes  # noqa: E402

warnings.filterwarnings("ignore")   # single-key TripleDES (DES) is "deprecated"
try:   # cryptography 43+ (Debian 13) moved the old ciphers to "decrepit"
    from cryptography.hazmat.decrepit.ciphers.algorithms import Blowfish, CAST5, TripleDES  # noqa: E402
except ImportError:   # cryptography 38 (Debian 12) has them beside AES
    Blowfish, CAST5, TripleDES = algorithms.Blowfish, algorithms.CAST5, algorithms.TripleDES


def key(n, seed):
    return bytes((seed * 31 + i * 7) & 0xFF for i in range(n))


# encryption: name, key bytes (salt / nonce included), block size, IV size
ENCR = {
    "NULL": (0, 4, 0),
    "TripleDES-CBC [RFC2451]": (24, 8, 8),
    "AES-CBC [RFC3602]": (16, 16, 16),
    "AES-CTR [RFC3686]": (36, 4, 8),
    "DES-CBC [RFC2405]": (8, 8, 8),
    "BLOWFISH-CBC [RFC2451]": (16, 8, 8),
    "CAST5-CBC [RFC2144]": (16, 8, 8),
    "AES-GCM with 8 octet ICV [RFC4106]": (20, 4, 8),
    "AES-GCM with 12 octet ICV [RFC4106]": (36, 4, 8),
    "AES-GCM with 16 octet ICV [RFC4106]": (28, 4, 8),
}
GCM_ICV = {"AES-GCM with 8 octet ICV [RFC4106]": 8, "AES-GCM with 12 octet ICV [RFC4106]": 12,
           "AES-GCM with 16 octet ICV [RFC4106]": 16}
# integrity: name, hash, key bytes, ICV bytes
INTEG = {
    "NULL": (None, 0, 0),
    "HMAC-MD5-96 [RFC2403]": ("md5", 16, 12),
    "HMAC-SHA-1-96 [RFC2404]": ("sha1", 20, 12),
    "HMAC-SHA-256-128 [RFC4868]": ("sha256", 32, 16),
    "HMAC-SHA-384-192 [RFC4868]": ("sha384", 48, 24),
    "HMAC-SHA-512-256 [RFC4868]": ("sha512", 64, 32),
}
# (outer IP version, encryption, integrity): every name at least once
SAS = [
    (4, "NULL", "HMAC-SHA-1-96 [RFC2404]"),
    (4, "TripleDES-CBC [RFC2451]", "HMAC-MD5-96 [RFC2403]"),
    (4, "AES-CBC [RFC3602]", "HMAC-SHA-256-128 [RFC4868]"),
    (4, "AES-CTR [RFC3686]", "HMAC-SHA-384-192 [RFC4868]"),
    (4, "DES-CBC [RFC2405]", "HMAC-SHA-512-256 [RFC4868]"),
    (4, "BLOWFISH-CBC [RFC2451]", "HMAC-SHA-1-96 [RFC2404]"),
    (4, "CAST5-CBC [RFC2144]", "HMAC-SHA-256-128 [RFC4868]"),
    (4, "AES-GCM with 8 octet ICV [RFC4106]", "NULL"),
    (4, "AES-GCM with 12 octet ICV [RFC4106]", "NULL"),
    (4, "AES-GCM with 16 octet ICV [RFC4106]", "NULL"),
    (4, "AES-CBC [RFC3602]", "NULL"),
    (6, "AES-CBC [RFC3602]", "HMAC-SHA-256-128 [RFC4868]"),
]
ADDR = {4: ("192.0.2.1", "192.0.2.2"), 6: ("2001:db8::1", "2001:db8::2")}


def inner_packet(n):
    """An IPv4 ICMP echo request (RFC 792) from 10.1.0.1 to 10.2.0.1."""
    data = bytes(range(32))
    icmp = struct.pack("!BBHHH", 8, 0, 0, 0x1234, n) + data
    icmp = icmp[:2] + struct.pack("!H", pcapgen.csum(icmp)) + icmp[4:]
    return pcapgen.ipv4("10.1.0.1", "10.2.0.1", 1, icmp, ident=n)


def encrypt(name, k, iv, plain):
    if name == "NULL":
        return plain
    if name.startswith("AES-CTR"):
        block = k[-4:] + iv + b"\x00\x00\x00\x01"
        c = Cipher(algorithms.AES(k[:-4]), modes.CTR(block))
    else:
        # DES is TripleDES with one key (K1 = K2 = K3)
        alg = {"TripleDES": TripleDES, "AES": algorithms.AES, "DES": TripleDES,
               "BLOWFISH": Blowfish, "CAST5": CAST5}[name.split("-CBC")[0]]
        c = Cipher(alg(k), modes.CBC(iv))
    e = c.encryptor()
    return e.update(plain) + e.finalize()


def esp(n, spi, encr, ek, integ, ak):
    klen, block, ivlen = ENCR[encr]
    payload = inner_packet(n)
    padlen = (-(len(payload) + 2)) % block
    plain = payload + bytes(range(1, padlen + 1)) + bytes((padlen, 4))   # next header 4: IPv4
    head = struct.pack("!II", spi, 1)
    iv = key(ivlen, n + 100)
    if encr in GCM_ICV:
        c = Cipher(algorithms.AES(ek[:-4]), modes.GCM(ek[-4:] + iv)).encryptor()
        c.authenticate_additional_data(head)
        body = c.update(plain) + c.finalize()
        return head + iv + body + c.tag[:GCM_ICV[encr]]
    packet = head + iv + encrypt(encr, ek, iv, plain)
    h, _, icvlen = INTEG[integ]
    if h:
        packet += hmac.new(ak, packet, getattr(hashlib, h)).digest()[:icvlen]
    return packet


def sa_line(af, src, dst, spi, encr, ek, integ, ak):
    hexkey = lambda b: "0x" + b.hex() if b else ""   # noqa: E731
    return '"IPv%d","%s","%s","0x%08x","%s","%s","%s","%s"\n' % (
        af, src, dst, spi, encr, hexkey(ek), integ, hexkey(ak))


def main():
    out, sa_out, expect_out = sys.argv[1:4]
    filler = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    frames = [pcapgen.eth(0x0800, pcapgen.ipv4("192.0.2.1", "192.0.2.2", 17,
                                               pcapgen.udp(500, 500, pcapgen.ike_v2())))]
    lines, expect = [], []
    for n, (af, encr, integ) in enumerate(SAS, 1):
        spi = 0x5a000000 + n
        ek = key(ENCR[encr][0], n)
        ak = key(INTEG[integ][1], n + 50)
        src, dst = ADDR[af]
        pkt = esp(n, spi, encr, ek, integ, ak)
        ip = pcapgen.ipv4(src, dst, 50, pkt, ident=n) if af == 4 else pcapgen.ipv6(src, dst, 50, pkt)
        frames.append(pcapgen.eth(0x0800 if af == 4 else 0x86DD, ip))
        lines.append(sa_line(af, src, dst, spi, encr, ek, integ, ak))
        expect.append("0x%08x\t%d\n" % (spi, 1 if integ != "NULL" or encr in GCM_ICV else 0))
    for n in range(filler):
        lines.append(sa_line(4, "198.51.100.1", "198.51.100.2", 0x5b000000 + n,
                             "AES-CBC [RFC3602]", key(16, n), "NULL", b""))
    pcapgen.write_pcap(out, 1, frames)
    with open(sa_out, "w") as f:
        f.writelines(lines)
    with open(expect_out, "w") as f:
        f.writelines(expect)


if __name__ == "__main__":
    main()
