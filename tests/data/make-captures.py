#!/usr/bin/env python3
"""Writes the small hand-made captures isakmpdump's tests read.

Usage: make-captures.py OUTDIR

Each capture exercises one piece of the capture layer (a link type, an IP
version, fragment reassembly, TCP framing, NAT-T, pcapng sections) and comes
with the `-T fields` lines isakmpdump must print for it, written next to it
as NAME.expect, for the fields

  frame.number ip.src ipv6.src udp.srcport tcp.srcport ike.ispi ike.messageid ike.length

(a case with fields of its own also writes them, one a line, as NAME.fields).
Frames that carry no complete IKE message print nothing, like tshark -Y isakmp
(tshark 4.0 shows NAT keepalives and ESP as udpencap/esp, not isakmp).
Every non-TCP case here was checked against tshark 4.0.17 (tests/cli/
check_captures.py does so again whenever tshark is installed); tshark 4.0 has
no RFC 9329 stream reassembly, so the tcp-* expectations follow RFC 9329 3.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pcapgen import *  # noqa: E402,F401,F403

FIELDS = ["frame.number", "ip.src", "ipv6.src", "udp.srcport", "tcp.srcport", "ike.ispi",
          "ike.messageid", "ike.length"]

A4, B4 = "192.0.2.1", "198.51.100.2"
A6, B6 = "2001:db8::1", "2001:db8::2"

def spi(n):
    return bytes([n]) * 8

def msg(n, size=32, mid=0, resp=False):
    return ike_v2(ispi=spi(n), rspi=spi(0x80 + n) if resp else b"\0" * 8,
                  flags=0x20 if resp else 0x08, mid=mid, nonce_len=size)

def line(frame, src, sport, m, tcp_=False):
    v6 = ":" in src
    cells = [str(frame), "" if v6 else src, src if v6 else "", "" if tcp_ else str(sport),
             str(sport) if tcp_ else "", m[:8].hex(), "0x%08x" % struct.unpack("!I", m[20:24])[0],
             str(len(m))]
    return "\t".join(cells)

def join_lines(frame, src, sport, msgs, tcp_=False):
    """One line for a frame carrying several messages: values joined by ','."""
    cells = [str(frame), src if ":" not in src else "", src if ":" in src else "",
             "" if tcp_ else str(sport), str(sport) if tcp_ else "",
             ",".join(m[:8].hex() for m in msgs),
             ",".join("0x%08x" % struct.unpack("!I", m[20:24])[0] for m in msgs),
             ",".join(str(len(m)) for m in msgs)]
    return "\t".join(cells)

CASES = {}
CASE_FIELDS = {}   # name -> the -e fields of its .expect, when not FIELDS

def case(name, linktype, frames, expect, fmt="pcap", fields=None):
    CASES[name] = (linktype, frames, expect, fmt)
    if fields:
        CASE_FIELDS[name] = fields

def u4(m, sport=500, dport=500, src=A4, dst=B4):
    return ipv4(src, dst, 17, udp(sport, dport, m))

def u6(m, sport=500, dport=500, src=A6, dst=B6, ext=b"", nh=17):
    return ipv6(src, dst, nh if ext else 17, udp(sport, dport, m), ext=ext)

# Fields Wireshark 4.4 added, on payloads that make it emit them: the
# GM/T 0022-2014 (China IPsec VPN) Authentication Method and Symmetric-key
# payload, Fortinet's Network Overlay ID notify.  The expectations are what
# tshark 4.4.19 prints (tshark 4.0 has none of these fields; it showed
# payload 128 as data and the method as ike.ike.attr.authentication_method).
W44_FIELDS = ["frame.number", "ike.typepayload", "ike.symmetric_key", "ike.datapayload",
              "ike.ike.attr.encryption_algorithm", "ike.ike.attr.authentication_method",
              "ike.ike.attr.authentication_method_china", "ike.notify.msgtype",
              "ike.notify.data", "ike.notify.data.fortinet.network_overlay_id"]

def w44_case():
    def tv(t, v):
        return struct.pack("!HH", 0x8000 | t, v)
    # IKEv1 SA: transform 1 with SM4 (129), SM3 (20), method 10 (digital
    # envelope); transform 2 with AES, SHA, pre-shared key
    t1 = struct.pack("!BBH", 1, 1, 0) + tv(1, 129) + tv(2, 20) + tv(3, 10)
    t2 = struct.pack("!BBH", 2, 1, 0) + tv(1, 7) + tv(2, 2) + tv(3, 1)
    prop = struct.pack("!BBBB", 1, 1, 0, 2) + ike_payloads([(3, t1), (3, t2)])
    sa = struct.pack("!II", 1, 1) + ike_payloads([(2, prop)])
    v1_sa = ike_message([(1, sa)], version=0x10, exch=2, flags=0)
    key = bytes(range(0xa0, 0xb0))
    v1_key = ike_message([(128, key), (10, b"\x01" * 16)], version=0x10, exch=2, flags=0)
    overlay = ike_message([(41, struct.pack("!BBH", 0, 0, 61520) + b"\x05"), (40, b"\x02" * 16)])
    v2_key = ike_message([(128, b"\xc0\xff\xee")], exch=37, mid=1, rspi=b"\x22" * 8)
    msgs = [v1_sa, v1_key, overlay, v2_key]
    expect = ["1\t1,2,3,3\t\t\t129,7\t1\t10\t\t\t",
              "2\t128,10\t%s\t\t\t\t\t\t\t" % key.hex(),
              "3\t41,40\t\t\t\t\t\t61520\t05\t5",
              "4\t128\tc0ffee\t\t\t\t\t\t\t"]
    case("ws44-fields", "eth", [eth(0x0800, u4(m)) for m in msgs], expect, fields=W44_FIELDS)

def build():
    m1, m2 = msg(1), msg(1, resp=True)
    # ---- link types
    case("eth-ipv4", "eth", [eth(0x0800, u4(m1)), eth(0x0800, u4(m2, src=B4, dst=A4))],
         [line(1, A4, 500, m1), line(2, B4, 500, m2)])
    case("eth-ipv6", "eth", [eth(0x86DD, u6(m1))], [line(1, A6, 500, m1)])
    case("eth-vlan", "eth", [eth(0x0800, u4(m1), vlans=[(0x8100, 10)])], [line(1, A4, 500, m1)])
    case("eth-qinq", "eth", [eth(0x86DD, u6(m1), vlans=[(0x88A8, 100), (0x8100, 10)])],
         [line(1, A6, 500, m1)])
    case("sll-ipv4", "sll", [sll(0x0800, u4(m1))], [line(1, A4, 500, m1)])
    case("sll2-ipv6", "sll2", [sll2(0x86DD, u6(m1))], [line(1, A6, 500, m1)])
    case("raw-ipv4", "raw", [u4(m1), u6(m2, src=B6, dst=A6)],
         [line(1, A4, 500, m1), line(2, B6, 500, m2)])
    case("ipv4-linktype", "ipv4", [u4(m1)], [line(1, A4, 500, m1)])
    case("ipv6-linktype", "ipv6", [u6(m1)], [line(1, A6, 500, m1)])
    case("null-ipv4", "null", [null_hdr(2, u4(m1)), null_hdr(30, u6(m2, src=B6, dst=A6))],
         [line(1, A4, 500, m1), line(2, B6, 500, m2)])
    case("loop-ipv6", "loop", [null_hdr(30, u6(m1), big_endian=True)], [line(1, A6, 500, m1)])
    # ---- IPv6 extension headers: hop-by-hop then destination options
    ext = ip6_ext(60) + ip6_ext(17, 1)
    case("ipv6-exthdr", "eth", [eth(0x86DD, ipv6(A6, B6, 0, udp(500, 500, m1), ext=ext))],
         [line(1, A6, 500, m1)])
    # ---- NAT-T on 4500: marker, keepalive, ESP (counted, not decoded)
    nm = msg(2, mid=1)
    case("natt", "eth", [eth(0x0800, u4(b"\0\0\0\0" + nm, 4500, 4500)),
                         eth(0x0800, u4(b"\xff", 4500, 4500)),
                         eth(0x0800, u4(b"\x12\x34\x56\x78" + b"\0" * 40, 4500, 4500)),
                         eth(0x0800, u4(m1, 500, 500))],
         [line(1, A4, 4500, nm), line(4, A4, 500, m1)])
    # ---- extra port with -p (the test passes -p 5500)
    case("port-5500", "eth", [eth(0x0800, u4(m1, 5500, 5500))], [line(1, A4, 5500, m1)])
    # ---- IPv4 fragments: a 3000-byte message in 1000-byte pieces
    big = msg(3, size=3000 - 32)
    frags = ipv4_fragments(A4, B4, 17, udp(500, 500, big), 0x1234, 1000)
    n = len(frags)
    case("frag4-inorder", "eth", [eth(0x0800, f) for f in frags], [line(n, A4, 500, big)])
    rev = list(reversed(frags))
    case("frag4-reverse", "eth", [eth(0x0800, f) for f in rev], [line(n, A4, 500, big)])
    # overlapping: the second fragment sent again, then a piece covering 1st/2nd boundary
    payload = udp(500, 500, big)
    overlap = ipv4(A4, B4, 17, payload[992:1512], ident=0x1234, frag_off=992, more=True)
    ov = [frags[0], overlap, frags[1], frags[1]] + frags[2:]
    case("frag4-overlap", "eth", [eth(0x0800, f) for f in ov], [line(len(ov), A4, 500, big)])
    # missing: the middle fragment never comes; then an unrelated message decodes normally
    miss = [frags[0]] + frags[2:] + [u4(m1)]
    case("frag4-missing", "eth", [eth(0x0800, f) for f in miss], [line(len(miss), A4, 500, m1)])
    # two datagrams interleaved, different ids
    big2 = msg(4, size=2000)
    f2 = ipv4_fragments(B4, A4, 17, udp(500, 500, big2), 0x4321, 1200)
    inter = [frags[0], f2[0], frags[1], f2[1]] + frags[2:]
    case("frag4-interleaved", "eth", [eth(0x0800, f) for f in inter],
         [line(4, B4, 500, big2), line(len(inter), A4, 500, big)])
    # ---- IPv6 fragments (fragment header after a hop-by-hop header in one case)
    f6 = ipv6_fragments(A6, B6, 17, udp(500, 500, big), 0xABCDEF01, 1232)
    case("frag6-inorder", "eth", [eth(0x86DD, f) for f in f6], [line(len(f6), A6, 500, big)])
    case("frag6-reverse", "eth", [eth(0x86DD, f) for f in reversed(f6)],
         [line(len(f6), A6, 500, big)])
    f6m = [f6[0], f6[-1]]
    case("frag6-missing", "eth", [eth(0x86DD, f) for f in f6m], [])
    # ---- TCP (RFC 9329): IKETCP prefix, length-framed, split across segments
    tm1, tm2, tm3 = msg(5, size=400), msg(5, size=300, resp=True), msg(5, size=50, mid=1)
    c2s = b"IKETCP" + struct.pack("!H", len(tm1) + 6) + b"\0\0\0\0" + tm1
    c2s2 = struct.pack("!H", len(tm3) + 6) + b"\0\0\0\0" + tm3
    s2c = struct.pack("!H", len(tm2) + 6) + b"\0\0\0\0" + tm2
    esp = struct.pack("!H", 2 + 40) + b"\x01\x02\x03\x04" + b"\0" * 36   # ESP, counted
    isn_c, isn_s = 1000, 5000

    def seg(c2s_dir, seq_off, data, flags=0x18):
        if c2s_dir:
            return eth(0x0800, ipv4(A4, B4, 6, tcp(40000, 4500, isn_c + 1 + seq_off,
                                                   isn_s + 1, data, flags)))
        return eth(0x0800, ipv4(B4, A4, 6, tcp(4500, 40000, isn_s + 1 + seq_off,
                                               isn_c + 1, data, flags)))
    syn = [eth(0x0800, ipv4(A4, B4, 6, tcp(40000, 4500, isn_c, 0, b"", 0x02))),
           eth(0x0800, ipv4(B4, A4, 6, tcp(4500, 40000, isn_s, isn_c + 1, b"", 0x12))),
           eth(0x0800, ipv4(A4, B4, 6, tcp(40000, 4500, isn_c + 1, isn_s + 1, b"", 0x10)))]
    # in order: the first message split in three segments, the reply in two,
    # then an ESP frame and the last message in one segment with a retransmission
    stream = syn + [seg(True, 0, c2s[:5]), seg(True, 5, c2s[5:200]), seg(True, 200, c2s[200:]),
                    seg(False, 0, s2c[:100]), seg(False, 100, s2c[100:]),
                    seg(True, len(c2s), esp), seg(True, len(c2s) + len(esp), c2s2),
                    seg(True, len(c2s) + len(esp), c2s2)]
    case("tcp-inorder", "eth", stream,
         [line(6, A4, 40000, tm1, True), line(8, B4, 4500, tm2, True),
          line(10, A4, 40000, tm3, True)])
    # out of order and overlapping retransmission
    ooo = syn + [seg(True, 200, c2s[200:]), seg(True, 0, c2s[:150]), seg(True, 100, c2s[100:250]),
                 seg(False, 100, s2c[100:]), seg(False, 0, s2c[:100])]
    case("tcp-ooo", "eth", ooo, [line(6, A4, 40000, tm1, True), line(8, B4, 4500, tm2, True)])
    # issue 18: a byte far ahead in the window (the whole window was moved for
    # every later segment); the messages before it still come out
    end = len(c2s) + len(c2s2)
    far = syn + [seg(True, end + 100000, b"\xff"), seg(True, 0, c2s[:5]), seg(True, 5, c2s[5:200]),
                 seg(True, 200, c2s[200:]), seg(True, len(c2s), c2s2)]
    case("tcp-far-byte", "eth", far, [line(7, A4, 40000, tm1, True), line(8, A4, 40000, tm3, True)])
    # more out-of-order holes than the direction keeps ranges for (64): the
    # segments past them are dropped, the messages still come out
    holes = syn + [seg(True, end + 10 + 2 * k, b"\x01") for k in range(70)] + \
        [seg(True, 0, c2s), seg(True, len(c2s), c2s2)]
    case("tcp-holes", "eth", holes, [line(74, A4, 40000, tm1, True), line(75, A4, 40000, tm3, True)])
    # two messages in one segment, and a capture that starts mid-connection (no SYN)
    both = c2s + c2s2
    case("tcp-two-in-one", "eth", [seg(True, 0, both)], [join_lines(1, A4, 40000, [tm1, tm3], True)])
    # messages of eight SAs in one segment: isakmpdump --threads decodes
    # them in different threads and still prints one line
    many = [msg(0x10 + k, size=20 + k) for k in range(8)]
    data = b"".join(struct.pack("!H", len(m) + 6) + b"\0\0\0\0" + m for m in many)
    case("tcp-many-sas", "eth", [seg(True, 0, b"IKETCP" + data)],
         [join_lines(1, A4, 40000, many, True)])
    # ---- pcapng: two sections, the second with two interfaces of other link types
    s1 = pcapng_section([1], [(0, eth(0x0800, u4(m1)))])
    s2 = pcapng_section([113, 101], [(1, u6(m2, src=B6, dst=A6)), (0, sll(0x0800, u4(m1)))])
    CASES["pcapng-sections"] = (None, [s1, s2], [line(1, A4, 500, m1), line(2, B6, 500, m2),
                                                 line(3, A4, 500, m1)], "pcapng")
    # ---- an IPv6 jumbogram (RFC 2675: payload length 0, a hop-by-hop Jumbo
    # Payload option, UDP length 0) with a 100,000-byte message, then a plain one
    jm = ike_message([(43, bytes(49996)), (43, bytes(49996))], ispi=spi(0x61))
    ju = struct.pack("!HHHH", 500, 500, 0, 0) + jm
    jhbh = struct.pack("!BBBBI", 17, 0, 0xC2, 4, 8 + len(ju))
    jpkt = struct.pack("!IHBB16s16s", 0x60000000, 0, 0, 64, ip6_addr(A6), ip6_addr(B6)) + jhbh + ju
    jsec = pcapng_section([229], [(0, jpkt), (0, u6(m2))])
    CASES["jumbogram"] = (None, [jsec], [line(1, A6, 500, jm), line(2, A6, 500, m2)], "pcapng")
    w44_case()
    # ---- a frame cut short by the snap length (the text tests look for the note)
    CASES["truncated-frame"] = ("eth", [(eth(0x0800, u4(m1)), 14 + 20 + 8 + 40)], None, "pcap")

def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    build()
    for name, (lt, frames, expect, fmt) in CASES.items():
        path = os.path.join(out, name + (".pcapng" if fmt == "pcapng" else ".pcap"))
        if fmt == "pcapng":
            write_pcapng(path, frames)
        else:
            write_pcap(path, LINKTYPE[lt], frames)
        if expect is None:
            continue
        with open(os.path.join(out, name + ".expect"), "w") as f:
            f.write("".join(l + "\n" for l in expect))
        if name in CASE_FIELDS:
            with open(os.path.join(out, name + ".fields"), "w") as f:
                f.write("".join(x + "\n" for x in CASE_FIELDS[name]))
    # error cases
    write_pcap(os.path.join(out, "bad-linktype.pcap"), LINKTYPE["user0"], [b"\0" * 40])
    # pcapng: one interface of an unknown link type, one Ethernet
    m1 = msg(1)
    write_pcapng(os.path.join(out, "bad-iface.pcapng"),
                 [pcapng_section([147, 1], [(0, b"\0" * 40), (1, eth(0x0800, u4(m1)))])])
    with open(os.path.join(out, "not-a-capture.pcap"), "wb") as f:
        f.write(b"this is not a capture file\n")
    with open(os.path.join(out, "eth-ipv4.pcap"), "rb") as f:
        whole = f.read()
    with open(os.path.join(out, "cut-short.pcap"), "wb") as f:
        f.write(whole[:-20])   # the last record is cut: libpcap reports a truncated file
    return 0

if __name__ == "__main__":
    sys.exit(main())
