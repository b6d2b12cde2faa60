#!/usr/bin/env python3
"""Builds a large benchmark capture from the real samples.

usage: gen.py --out DIR [--size BYTES] [--files N] [SAMPLE_DIR ...]

Every sample capture (Ethernet pcap) is replayed again and again; replica r
gets its own addresses (10.<r>.x.y / fd00:<r>::), its own IKE SPIs / cookies
(the first four bytes XORed with r+1), and times shifted past the previous
replica, so that every exchange is a distinct SA.  The key tables of the
samples are rewritten to match (DIR/keys/ikev1_decryption_table,
ikev2_decryption_table).  IKEv2 ICVs cover the header, so they are recomputed
with the sample's SK_a (HMAC) or re-sealed (AES-GCM, when the python
`cryptography` module is there; otherwise those tags stay stale and the
decoder reports them, which costs it the same work).

Writes DIR/bench.pcap (or DIR/bench-K.pcap for --files N > 1).

--ike-only leaves out the frames that carry no IKE (ESP, pings, NAT
keepalives; IP fragments are kept): a dense-IKE capture, where the decoder
rather than the reading loop is most of the work.
"""
import argparse
import glob
import hashlib
import hmac
import os
import struct
import sys

try:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
except ImportError:  # the harness still works, GCM tags just stay stale
    AESGCM = None

HMACS = {"HMAC_MD5_96": (hashlib.md5, 12), "HMAC_SHA1_96": (hashlib.sha1, 12),
         "HMAC_SHA2_256_128": (hashlib.sha256, 16), "HMAC_SHA2_384_192": (hashlib.sha384, 24),
         "HMAC_SHA2_512_256": (hashlib.sha512, 32)}


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    off, out = 24, []
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack(endian + "IIII", data[off:off + 16])
        out.append((sec, frac, bytearray(data[off + 16:off + 16 + incl])))
        off += 16 + incl
    return linktype, out


def load_keys(sample):
    """IKEv2: spii -> (sk_ei, sk_er, enc, sk_ai, sk_ar, integ); IKEv1 lines kept."""
    v2, v1 = {}, []
    p = os.path.join(sample, "ikev2_decryption_table")
    if os.path.exists(p):
        for line in open(p):
            cols = [c.strip('"') for c in line.strip().split(",")]
            if len(cols) >= 8:
                v2[bytes.fromhex(cols[0])] = cols
    p = os.path.join(sample, "ikev1_decryption_table")
    if os.path.exists(p):
        v1 = [line.strip().split(",") for line in open(p) if "," in line]
    return v2, v1


def map_spi(spi, r):
    if spi == bytes(8):
        return spi
    head = struct.unpack(">I", spi[:4])[0] ^ (r + 1)
    return struct.pack(">I", head) + spi[4:]


def ike_offset(frame):
    """Offset of the ISAKMP header in an Ethernet frame, or None."""
    eth = 14
    etype = struct.unpack(">H", frame[12:14])[0]
    if etype == 0x0800:
        ihl = (frame[eth] & 15) * 4
        l4, proto = eth + ihl, frame[eth + 9]
    elif etype == 0x86DD:
        l4, proto = eth + 40, frame[eth + 6]
    else:
        return None, None
    if proto != 17 or len(frame) < l4 + 8:
        return None, None
    sport, dport = struct.unpack(">HH", frame[l4:l4 + 4])
    ike = l4 + 8
    if 4500 in (sport, dport):
        if len(frame) < ike + 4 or frame[ike:ike + 4] != b"\0\0\0\0":
            return None, l4     # ESP or keepalive: addresses only
        ike += 4
    if 500 not in (sport, dport) and 4500 not in (sport, dport):
        return None, None
    return ike, l4


def carries_ike(frame):
    """An IKE message or an IP fragment (which may be part of one)."""
    ike, _ = ike_offset(frame)
    if ike is not None:
        return True
    etype = struct.unpack(">H", frame[12:14])[0]
    if etype == 0x0800:
        return struct.unpack(">H", frame[20:22])[0] & 0x3FFF != 0   # MF or an offset
    return etype == 0x86DD and frame[14 + 6] == 44                  # a fragment header


def rewrite_addresses(frame, r):
    etype = struct.unpack(">H", frame[12:14])[0]
    if etype == 0x0800:
        for a in (26, 30):
            frame[a + 1] = r & 0xFF
            frame[a + 2] = (r >> 8) & 0xFF
        frame[24:26] = b"\0\0"
        s = sum(struct.unpack(">10H", frame[14:34]))
        while s >> 16:
            s = (s & 0xFFFF) + (s >> 16)
        frame[24:26] = struct.pack(">H", ~s & 0xFFFF)
        ihl = (frame[14] & 15) * 4
        frame[14 + ihl + 6:14 + ihl + 8] = b"\0\0"   # UDP checksum optional in IPv4
    elif etype == 0x86DD:
        for a in (22, 38):
            frame[a + 2:a + 4] = struct.pack(">H", r & 0xFFFF)


def sk_payload(msg):
    """(offset of the SK/SKF body, type) in an IKEv2 message, or (None, None)."""
    nxt, off = msg[16], 28
    while nxt and off + 4 <= len(msg):
        plen = struct.unpack(">H", msg[off + 2:off + 4])[0]
        if nxt in (46, 53):
            return off + 4, nxt
        if plen < 4:
            break
        nxt, off = msg[off], off + plen
    return None, None


def reseal_v2(msg, old_hdr, keys):
    body, kind = sk_payload(msg)
    if body is None:
        return
    initiator = bool(msg[19] & 0x08)
    # table columns: SPIi, SPIr, SK_ei, SK_er, encryption, SK_ai, SK_ar, integrity
    sk_e = bytes.fromhex(keys[2] if initiator else keys[3])
    sk_a = keys[5] if initiator else keys[6]
    enc, integ = keys[4], keys[7].split(" ")[0]
    iv_off = body + (4 if kind == 53 else 0)
    if integ in HMACS:
        h, n = HMACS[integ]
        mac = hmac.new(bytes.fromhex(sk_a), bytes(msg[:len(msg) - n]), h).digest()[:n]
        msg[len(msg) - n:] = mac
    elif enc.startswith("AES-GCM") and AESGCM is not None:
        n = int(enc.split("with ")[1].split(" ")[0])
        if n != 16:
            return      # the library only seals 16-octet tags
        key, salt = sk_e[:-4], sk_e[-4:]
        nonce = salt + bytes(msg[iv_off:iv_off + 8])
        old = bytes(old_hdr) + bytes(msg[len(old_hdr):])
        try:
            plain = AESGCM(key).decrypt(nonce, old[iv_off + 8:], old[:iv_off])
        except Exception:
            return
        msg[iv_off + 8:] = AESGCM(key).encrypt(nonce, plain, bytes(msg[:iv_off]))


def rewrite_frame(frame, r, v2keys):
    rewrite_addresses(frame, r)
    ike, _ = ike_offset(frame)
    if ike is None or len(frame) < ike + 28:
        return
    msg = frame[ike:]
    old_hdr = bytes(msg[:28])
    ispi = bytes(msg[0:8])
    msg[0:8] = map_spi(ispi, r)
    msg[8:16] = map_spi(bytes(msg[8:16]), r)
    if (msg[17] >> 4) == 2 and ispi in v2keys:
        reseal_v2(msg, old_hdr, v2keys[ispi])
    frame[ike:] = msg


def key_lines(v2, v1, r):
    out1 = ["%s,%s" % (map_spi(bytes.fromhex(c[0]), r).hex(), c[1]) for c in v1]
    out2 = []
    for spii, c in v2.items():
        cols = [map_spi(spii, r).hex(), map_spi(bytes.fromhex(c[1]), r).hex()] + c[2:]
        out2.append(",".join(['"%s"' % x if " " in x else x for x in cols]))
    return out1, out2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--size", type=float, default=100e6)
    ap.add_argument("--files", type=int, default=1)
    ap.add_argument("--ike-only", action="store_true")
    ap.add_argument("samples", nargs="*")
    a = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    samples = a.samples or sorted(glob.glob(os.path.join(here, "..", "..", "samples", "*", "")))
    sets = []
    for s in samples:
        cap = os.path.join(s, "capture.pcap")
        if os.path.exists(cap):
            lt, pkts = read_pcap(cap)
            if a.ike_only:
                pkts = [p for p in pkts if carries_ike(p[2])]
            if lt == 1 and pkts:
                sets.append((pkts, load_keys(s)))
    os.makedirs(os.path.join(a.out, "keys"), exist_ok=True)
    outs = [open(os.path.join(a.out, "bench.pcap" if a.files == 1 else "bench-%d.pcap" % k), "wb")
            for k in range(a.files)]
    for f in outs:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    k1 = open(os.path.join(a.out, "keys", "ikev1_decryption_table"), "w")
    k2 = open(os.path.join(a.out, "keys", "ikev2_decryption_table"), "w")
    written, r, t0, packets = 0, 0, 1700000000, 0
    while written < a.size:
        for pkts, (v2, v1) in sets:
            out = outs[r % len(outs)]
            base = pkts[0][0]
            for sec, usec, frame in pkts:
                f = bytearray(frame)
                rewrite_frame(f, r, v2)
                out.write(struct.pack("<IIII", t0 + sec - base, usec, len(f), len(f)) + f)
                written += 16 + len(f)
                packets += 1
            t0 += pkts[-1][0] - base + 1
            l1, l2 = key_lines(v2, v1, r)
            k1.write("".join(x + "\n" for x in l1))
            k2.write("".join(x + "\n" for x in l2))
            r += 1
    for f in outs + [k1, k2]:
        f.close()
    print("%d packets, %d bytes, %d replicas" % (packets, written, r))


if __name__ == "__main__":
    sys.exit(main())
