#!/usr/bin/env python3
"""Hostile captures for the resource tests (tests/resource, docs/testing.md):
one generator per attack of issue 18, each written to break a bound of
docs/limits.md with as little input as it can.

usage: gen_resource.py CASE OUT [--scale S]

S multiplies the size (1: what the suite runs; the issue's "done when"
sizes are about S = 10).  Writes OUT (and OUT.keys for the cases that need
a key table).  Only the standard library and tests/data/pcapgen.py.
"""
import argparse
import gzip
import os
import struct
import sys
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data"))
from pcapgen import (_block, eth, ike_message, ip6_addr, ipv4, pcapng_section, tcp,  # noqa: E402
                     udp)

A4, B4 = "10.1.0.1", "10.1.0.2"
A6, B6 = "fd00::1", "fd00::2"
ETH_IP4 = 0x0800
ETH_IP6 = 0x86DD


class PcapWriter:
    """A classic pcap (Ethernet), gzip-compressed when the name ends in .gz;
    written frame by frame so that large captures stream."""

    def __init__(self, path, snaplen=262144):
        self.f = gzip.open(path, "wb", compresslevel=1) if path.endswith(".gz") else open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, 1))
        self.n = 0

    def add(self, frame):
        us = self.n * 10
        self.f.write(struct.pack("<IIII", 1700000000 + us // 1000000, us % 1000000,
                                 len(frame), len(frame)) + frame)
        self.n += 1

    def close(self):
        self.f.close()


def udp4(sport, dport, payload, src=A4, dst=B4):
    return eth(ETH_IP4, ipv4(src, dst, 17, udp(sport, dport, payload)))


def spi(i, tag):
    return struct.pack("!HIH", tag, i, 0x5a5a)


# ------------------------------------------------------------ IKE payloads

def v1_attr(t, v):
    return struct.pack("!HH", 0x8000 | t, v)


def v1_sa(encr, hsh, auth, group):
    """RFC 2409 Main Mode SA: one proposal, one transform (KEY_IKE)."""
    attrs = v1_attr(1, encr) + v1_attr(2, hsh) + v1_attr(3, auth) + v1_attr(4, group)
    trans = struct.pack("!BBHBBH", 0, 0, 8 + len(attrs), 1, 1, 0) + attrs
    prop = struct.pack("!BBHBBBB", 0, 0, 8 + len(trans), 1, 1, 0, 1) + trans
    return struct.pack("!II", 1, 1) + prop


def v2_sa():
    """IKEv2 SA: AES-CBC-256, HMAC-SHA2-256-128, PRF-HMAC-SHA2-256, group 19."""
    ts = [(1, 12, struct.pack("!HH", 0x800E, 256)), (2, 12, b""), (3, 5, b""), (4, 19, b"")]
    body = b""
    for k, (ttype, tid, attr) in enumerate(ts):
        last = 0 if k == len(ts) - 1 else 3
        body += struct.pack("!BBHBBH", last, 0, 8 + len(attr), ttype, 0, tid) + attr
    return struct.pack("!BBHBBBB", 0, 0, 8 + len(body), 1, 1, 0, len(ts)) + body


def v2_sa_init_pair(i):
    """A harmless IKE_SA_INIT request and response of SA number i."""
    ispi, rspi = spi(i, 0x2222), spi(i, 0x3333)
    ke = struct.pack("!HH", 19, 0) + bytes(64)
    nonce = bytes(32)
    req = ike_message([(33, v2_sa()), (34, ke), (40, nonce)], exch=34, flags=0x08,
                      ispi=ispi, rspi=bytes(8))
    resp = ike_message([(33, v2_sa()), (34, ke), (40, nonce)], exch=34, flags=0x20,
                       ispi=ispi, rspi=rspi)
    return req, resp


# ------------------------------------------------------------ the cases

def gen_cert(out, scale):
    """CERT payloads holding 30 82 00 01 30 (a DER SEQUENCE cut short), each
    distinct (libksba 1.6.3 leaked ~5.2 KB per failed parse): 20,000 x S
    certificates, 40 per IKEv1 Aggressive Mode message.  The issue's 70 KB
    .pcap.gz held about 250,000."""
    w = PcapWriter(out)
    n = 20000 * scale
    per = 40
    for m in range((n + per - 1) // per):
        certs = []
        for k in range(per):
            c = m * per + k
            certs.append((6, b"\x04" + b"\x30\x82\x00\x01\x30" + struct.pack("!I", c)))
        msg = ike_message(certs, version=0x10, exch=4, flags=0, ispi=spi(1, 0x1111),
                          rspi=bytes(8))
        w.add(udp4(500, 500, msg))
    w.close()


def gen_v1frag(out, scale):
    """IKEv1 fragment sets (payload 132) that never complete: 16 sets of one
    65,000-byte piece (not the last) for each of 160 x S SAs.  Without a
    global budget that is 1 MB per SA (the issue: 1,024 SAs took 1.15 GB)."""
    w = PcapWriter(out)
    piece = bytes(65000)
    for i in range(160 * scale):
        for fid in range(16):
            body = struct.pack("!HBB", fid + 1, 1, 0) + piece
            msg = ike_message([(132, body)], version=0x10, exch=2, flags=0,
                              ispi=spi(i, 0x4444), rspi=spi(i, 0x5555))
            w.add(udp4(500, 500, msg))
    w.close()


def gen_skf(out, scale):
    """IKEv2 SKF sets (RFC 7383) that never complete, with keys loaded (the
    decoder keeps SKF fragments only when it can decrypt them): 16 message
    IDs with fragment 1 of 2 (65,000 bytes, NULL encryption, no integrity)
    for each of 160 x S SAs, and the key table for them in OUT.keys."""
    w = PcapWriter(out)
    piece = bytes(64999) + b"\x00"   # the plaintext; its last byte: pad length 0
    keys = []
    for i in range(160 * scale):
        ispi, rspi = spi(i, 0x6666), spi(i, 0x7777)
        keys.append('%s,%s,,,"NULL [RFC2410]",,,"NONE [RFC4306]"' % (ispi.hex(), rspi.hex()))
        for mid in range(16):
            body = struct.pack("!HH", 1, 2) + piece
            msg = ike_message([(53, body)], exch=35, flags=0x08, ispi=ispi, rspi=rspi,
                              mid=mid + 1)
            # the first fragment's generic header names the first inner payload
            msg = msg[:28] + bytes([35]) + msg[29:]
            w.add(udp4(500, 500, msg))
    w.close()
    with open(out + ".keys", "w") as f:
        f.write("\n".join(keys) + "\n")


def gen_audit(out, scale):
    """20,000 x S harmless IKEv2 SAs, then one IKEv1 Main Mode SA choosing
    DES, MD5 and DH group 1: the report lists 20,000 rows by default, and
    --fail-on high must still see the weak SA."""
    w = PcapWriter(out)
    for i in range(20000 * scale):
        req, resp = v2_sa_init_pair(i)
        w.add(udp4(500, 500, req))
        w.add(udp4(500, 500, resp, src=B4, dst=A4))
    ispi, rspi = spi(0, 0x9999), spi(0, 0xAAAA)
    mm1 = ike_message([(1, v1_sa(1, 1, 1, 1))], version=0x10, exch=2, flags=0, ispi=ispi,
                      rspi=bytes(8))
    mm2 = ike_message([(1, v1_sa(1, 1, 1, 1))], version=0x10, exch=2, flags=0, ispi=ispi,
                      rspi=rspi)
    w.add(udp4(500, 500, mm1))
    w.add(udp4(500, 500, mm2, src=B4, dst=A4))
    w.close()


def gen_many_sas(out, scale):
    """20,000 x S distinct IKEv2 SAs (IKE_SA_INIT request and response):
    the SA table holds 4,096 and drops the oldest."""
    w = PcapWriter(out)
    for i in range(20000 * scale):
        req, resp = v2_sa_init_pair(i)
        w.add(udp4(500, 500, req))
        w.add(udp4(500, 500, resp, src=B4, dst=A4))
    w.close()


def tcp_stream(out, scale, far):
    """RFC 9329 stream of 200,000 x S segments, each one 10-byte ESP frame
    (handed over, not decoded); with far, a byte just inside the 128 KiB
    window every 1,000 segments (issue 18: every later segment moved the
    whole window)."""
    w = PcapWriter(out)
    isn = 1000
    syn = eth(ETH_IP4, ipv4(A4, B4, 6, tcp(40000, 4500, isn, 0, b"", 0x02)))
    w.add(syn)
    seq = isn + 1
    w.add(eth(ETH_IP4, ipv4(A4, B4, 6, tcp(40000, 4500, seq, 1, b"IKETCP"))))
    seq += 6
    esp = struct.pack("!H", 10) + b"\x00\x00\x00\x01\x00\x00\x00\x01"
    for k in range(200000 * scale):
        if k % 1000 == 0:
            if far:
                w.add(eth(ETH_IP4, ipv4(A4, B4, 6, tcp(40000, 4500, seq + 128 * 1024 - 64, 1,
                                                          b"\xff"))))
            else:   # the same number of frames: a bare ACK
                w.add(eth(ETH_IP4, ipv4(A4, B4, 6, tcp(40000, 4500, seq, 1, b"", 0x10))))
        w.add(eth(ETH_IP4, ipv4(A4, B4, 6, tcp(40000, 4500, seq, 1, esp))))
        seq += len(esp)
    w.close()


def gen_tcp_far(out, scale):
    tcp_stream(out, scale, True)


def gen_tcp_base(out, scale):
    tcp_stream(out, scale, False)


def gen_tcp_conns(out, scale):
    """100,000 x S TCP connections on port 500 (the table follows 16), each
    a SYN and a segment with a byte far ahead in the window."""
    w = PcapWriter(out)
    for c in range(100000 * scale):
        sport = 1024 + c % 60000
        src = "10.2.%d.%d" % ((c // 60000) % 256, 1 + (c // 256) % 250)
        w.add(eth(ETH_IP4, ipv4(src, B4, 6, tcp(sport, 500, 7, 0, b"", 0x02))))
        w.add(eth(ETH_IP4, ipv4(src, B4, 6, tcp(sport, 500, 8 + 100000, 1, b"\x01" * 64))))
    w.close()


def gen_ipfrag_never(out, scale):
    """200,000 x S fragments (more fragments set) of distinct datagrams
    that never complete, each at its own offset up to 64 KiB: 32 are held
    at a time."""
    w = PcapWriter(out)
    data = bytes(16)
    for i in range(200000 * scale):
        w.add(eth(ETH_IP4, ipv4(A4, B4, 17, data, ident=i & 0xFFFF, frag_off=(i * 8) % 65000,
                                 more=True)))
    w.close()


def gen_ipfrag_overlap(out, scale):
    """100,000 x S fragments of 32 datagrams, overlapping at every offset
    (8 bytes apart) and never ending."""
    w = PcapWriter(out)
    chunk = bytes(128)
    for i in range(100000 * scale):
        off = (i * 8) % 64000
        w.add(eth(ETH_IP4, ipv4(A4, B4, 17, chunk, ident=i % 32, frag_off=off, more=True)))
    w.close()


def gen_gzbomb(out, scale):
    """A .pcap.gz inflating to 256 MiB x S of 65,535-byte zero frames
    (~0.25 MB compressed per 256 MiB)."""
    frame = bytes(65535)
    rec = struct.pack("<IIII", 1700000000, 0, len(frame), len(frame)) + frame
    n = (256 << 20) * scale // len(rec)
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    with open(out, "wb") as f:
        f.write(comp.compress(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1)))
        for _ in range(n):
            f.write(comp.compress(rec))
        f.write(comp.flush())


def gen_pcapng_blocks(out, scale):
    """pcapng (gzip) with absurd blocks: 4 x S custom blocks of 60 MiB, an
    Enhanced Packet Block of 40 MiB, 65,536 interfaces, then a normal IKE
    packet (which must still be read)."""
    comp = zlib.compressobj(6, zlib.DEFLATED, 31)
    with open(out, "wb") as f:
        def put(b):
            f.write(comp.compress(b))
        put(pcapng_section([1], []))
        zeros = bytes(1 << 20)
        for _ in range(4 * scale):
            body_len = 60 << 20
            put(struct.pack("<II", 0x00000BAD, 12 + body_len))
            for _ in range(60):
                put(zeros)
            put(struct.pack("<I", 12 + body_len))
        big = 40 << 20
        put(struct.pack("<IIIIIII", 6, 12 + 20 + big, 0, 0, 0, big, big))
        for _ in range(40):
            put(zeros)
        put(struct.pack("<I", 12 + 20 + big))
        idb = _block(1, struct.pack("<HHI", 1, 0, 262144))
        put(idb * 65535)
        req, _ = v2_sa_init_pair(1)
        pkt = udp4(500, 500, req)
        pad = (-len(pkt)) % 4
        put(_block(6, struct.pack("<IIIII", 0, 0, 0, len(pkt), len(pkt)) + pkt + bytes(pad)))
        f.write(comp.flush())


def jumbogram(msg):
    """An IPv6 jumbogram (RFC 2675) carrying msg in UDP: payload length 0,
    a hop-by-hop header with the Jumbo Payload option, UDP length 0."""
    u = struct.pack("!HHHH", 500, 500, 0, 0) + msg
    hbh = struct.pack("!BBBBI", 17, 0, 0xC2, 4, 8 + len(u))
    hdr = struct.pack("!IHBB16s16s", 0x60000000, 0, 0, 64, ip6_addr(A6), ip6_addr(B6))
    return eth(ETH_IP6, hdr + hbh + u)


def big_message(size, ispi):
    """An IKEv2 message of about `size` bytes: Vendor ID payloads of 65,000."""
    n = max(1, size // 65004)
    return ike_message([(43, bytes(64996) + struct.pack("!I", k)) for k in range(n)],
                       exch=34, flags=0x08, ispi=ispi)


def gen_jumbo(out, scale):
    """pcapng with IPv6 jumbograms: one message of 15 MiB (decoded: the
    largest is CAPTURE_MAX_MSG, 16 MiB), one of 20 MiB (counted, not
    decoded), then a small one; S > 1 adds S - 1 more of 15 MiB."""
    with open(out, "wb") as f:
        f.write(pcapng_section([1], []))
        msgs = [big_message(15 << 20, spi(1, 0xBBBB)), big_message(20 << 20, spi(2, 0xBBBB))]
        msgs += [big_message(15 << 20, spi(3 + k, 0xBBBB)) for k in range(scale - 1)]
        msgs.append(v2_sa_init_pair(7)[0])
        for k, m in enumerate(msgs):
            pkt = jumbogram(m)
            pad = (-len(pkt)) % 4
            ts = 1700000000 * 1000000 + k
            f.write(_block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(pkt),
                                          len(pkt)) + pkt + bytes(pad)))


def esp_table(out, scale, esp):
    """One harmless IKE_SA_INIT pair, and in OUT.keys a table of 50,000 x S
    lines: Wireshark's esp_sa (esp) or, for the baseline, its
    ikev2_decryption_table with as many lines.  Each esp_sa line was once
    compared with every line before it (19 s for 50,000)."""
    w = PcapWriter(out)
    for m in v2_sa_init_pair(1):
        w.add(udp4(500, 500, m))
    w.close()
    with open(out + ".keys", "w") as f:
        for i in range(50000 * scale):
            if esp:
                f.write('"IPv4","10.%d.%d.%d","192.0.2.1","0x%08x","AES-CBC [RFC3602]",'
                        '"0x%032x","HMAC-SHA-256-128 [RFC4868]","0x%064x"\n'
                        % (i >> 16 & 255, i >> 8 & 255, i & 255, i + 1, i, i))
            else:
                f.write('%s,%s,%032x,%032x,"AES-CBC-128 [RFC3602]",%064x,%064x,'
                        '"HMAC_SHA2_256_128 [RFC4868]"\n'
                        % (spi(i, 0x1111).hex(), spi(i, 0x2222).hex(), i, i, i, i))


def gen_esp_table(out, scale):
    esp_table(out, scale, True)


def gen_esp_base(out, scale):
    esp_table(out, scale, False)


def esp_sas(out, scale, sas):
    """40,000 x S ESP packets (IPv4 protocol 50, NULL encryption and no
    ICV: each opens as a 20-byte inner IPv4 header) spread over `sas` SAs,
    round robin, and their esp_sa table in OUT.keys.  Each packet's SA state
    was once looked for in a walk of every SA's, and each SPI's first sight
    walked the table."""
    w = PcapWriter(out)
    inner = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20, 1, 0, 64, 59, 0, bytes(4), bytes(4))
    for k in range(40000 * scale):
        i = k % sas
        payload = inner + b"\x01\x02" + bytes([2, 4])   # padding 1 2, pad length, IPv4
        esp = struct.pack("!II", 0x10000 + i, k // sas + 1) + payload
        w.add(eth(0x0800, ipv4(A4, "10.2.%d.%d" % (i >> 8 & 255, i & 255), 50, esp)))
    w.close()
    with open(out + ".keys", "w") as f:
        for i in range(sas):
            f.write('"IPv4","%s","10.2.%d.%d","0x%08x","NULL","","NULL",""\n'
                    % (A4, i >> 8 & 255, i & 255, 0x10000 + i))


def gen_esp_sas(out, scale):
    esp_sas(out, scale, 20000 * scale)


def gen_esp_sas_base(out, scale):
    esp_sas(out, scale, 2)


CASES = {
    "esp-sas": gen_esp_sas, "esp-sas-base": gen_esp_sas_base,
    "esp-table": gen_esp_table, "esp-base": gen_esp_base,
    "cert": gen_cert, "v1frag": gen_v1frag, "skf": gen_skf, "audit": gen_audit,
    "many-sas": gen_many_sas, "tcp-far": gen_tcp_far, "tcp-base": gen_tcp_base,
    "tcp-conns": gen_tcp_conns, "ipfrag-never": gen_ipfrag_never,
    "ipfrag-overlap": gen_ipfrag_overlap, "gzbomb": gen_gzbomb,
    "pcapng-blocks": gen_pcapng_blocks, "jumbo": gen_jumbo,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("case", choices=sorted(CASES))
    ap.add_argument("out")
    ap.add_argument("--scale", type=int, default=1)
    a = ap.parse_args()
    CASES[a.case](a.out, a.scale)


if __name__ == "__main__":
    main()
