"""Tiny pcap / pcapng writers and packet builders for isakmpdump's tests.

Only the standard library (struct): the captures are built byte by byte from
the RFCs (IPv4 RFC 791, IPv6 RFC 8200, UDP RFC 768, TCP RFC 9293, NAT-T
RFC 3948, IKE over TCP RFC 9329, IKE headers RFC 2408 3.1 / RFC 7296 3.1).
"""
import struct

# ---------------------------------------------------------------- IKE

def ike_v2(ispi=b"\x11" * 8, rspi=b"\x00" * 8, exch=34, flags=0x08, mid=0,
           nonce_len=32, payload_type=40):
    """An IKEv2 message: header + one payload (a Nonce by default) of nonce_len bytes."""
    body = bytes((i * 7 + 3) & 0xFF for i in range(nonce_len))
    payload = struct.pack("!BBH", 0, 0, 4 + len(body)) + body
    total = 28 + len(payload)
    hdr = ispi + rspi + struct.pack("!BBBBII", payload_type, 0x20, exch, flags, mid, total)
    return hdr + payload

def ike_payloads(payloads):
    """A payload chain from (type, body) pairs, each body behind its generic
    header (RFC 2408 3.2, RFC 7296 3.2); the last one's next payload is 0."""
    out = b""
    for i, (_, body) in enumerate(payloads):
        nxt = payloads[i + 1][0] if i + 1 < len(payloads) else 0
        out += struct.pack("!BBH", nxt, 0, 4 + len(body)) + body
    return out

def ike_message(payloads, version=0x20, exch=34, flags=0x08, ispi=b"\x11" * 8,
                rspi=b"\x00" * 8, mid=0):
    """An IKE message (version 0x10 or 0x20) holding the payload chain."""
    body = ike_payloads(payloads)
    first = payloads[0][0] if payloads else 0
    return ispi + rspi + struct.pack("!BBBBII", first, version, exch, flags, mid,
                                     28 + len(body)) + body

# ---------------------------------------------------------------- transport

def csum(data):
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF

def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload

def tcp(sport, dport, seq, ack, payload, flags=0x18):
    return struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                       5 << 4, flags, 65535, 0, 0) + payload

def ip4_addr(s):
    return bytes(int(x) for x in s.split("."))

def ip6_addr(s):
    import ipaddress
    return ipaddress.IPv6Address(s).packed

def ipv4(src, dst, proto, payload, ident=1, frag_off=0, more=False, dont_frag=False):
    flags = (0x2000 if more else 0) | (0x4000 if dont_frag else 0) | (frag_off // 8)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, flags, 64, proto, 0,
                      ip4_addr(src), ip4_addr(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload

def ipv6(src, dst, nh, payload, ext=b""):
    """ext: already-built extension headers; nh is the first next-header value."""
    return struct.pack("!IHBB16s16s", 0x60000000, len(ext) + len(payload), nh, 64,
                       ip6_addr(src), ip6_addr(dst)) + ext + payload

def ip6_ext(nh, length8=0):
    """A hop-by-hop / destination-options header padded with PadN."""
    body = b"\x01" + bytes([4 + 8 * length8]) + b"\x00" * (4 + 8 * length8)
    return bytes([nh, length8]) + body

def ip6_frag_hdr(nh, offset, more, ident):
    return struct.pack("!BBHI", nh, 0, (offset // 8) << 3 | (1 if more else 0), ident)

def ipv4_fragments(src, dst, proto, payload, ident, size):
    """Splits the IP payload into fragments of `size` bytes (a multiple of 8)."""
    out = []
    for off in range(0, len(payload), size):
        chunk = payload[off:off + size]
        out.append(ipv4(src, dst, proto, chunk, ident=ident, frag_off=off,
                        more=off + size < len(payload)))
    return out

def ipv6_fragments(src, dst, proto, payload, ident, size):
    out = []
    for off in range(0, len(payload), size):
        chunk = payload[off:off + size]
        out.append(ipv6(src, dst, 44, chunk,
                        ext=ip6_frag_hdr(proto, off, off + size < len(payload), ident)))
    return out

# ---------------------------------------------------------------- link layers

ETH_SRC = b"\x02\x00\x00\x00\x00\x01"
ETH_DST = b"\x02\x00\x00\x00\x00\x02"

def eth(ethertype, payload, vlans=()):
    """vlans: list of (tpid, vid), outermost first."""
    tags = b""
    types = [t for t, _ in vlans] + [ethertype]
    hdr = ETH_DST + ETH_SRC + struct.pack("!H", types[0])
    for i, (_, vid) in enumerate(vlans):
        tags += struct.pack("!HH", vid, types[i + 1])
    return hdr + tags + payload

def sll(ethertype, payload):
    return struct.pack("!HHH8sH", 0, 1, 6, ETH_SRC + b"\x00\x00", ethertype) + payload

def sll2(ethertype, payload):
    return struct.pack("!HHIHBB8s", ethertype, 0, 2, 1, 0, 6, ETH_SRC + b"\x00\x00") + payload

def null_hdr(af, payload, big_endian=False):
    return struct.pack(">I" if big_endian else "<I", af) + payload

LINKTYPE = {"null": 0, "eth": 1, "raw": 101, "loop": 108, "sll": 113, "ipv4": 228,
            "ipv6": 229, "sll2": 276, "user0": 147}

# ---------------------------------------------------------------- files

def write_pcap(path, linktype, frames, t0=1700000000, step_us=1000, nano=False):
    """frames: list of bytes, or (bytes, caplen) to truncate."""
    with open(path, "wb") as f:
        magic = 0xA1B23C4D if nano else 0xA1B2C3D4
        f.write(struct.pack("<IHHiIII", magic, 2, 4, 0, 0, 262144, linktype))
        for i, fr in enumerate(frames):
            data, caplen = (fr if isinstance(fr, tuple) else (fr, len(fr)))
            us = i * step_us
            sub = (us % 1000000) * (1000 if nano else 1)
            f.write(struct.pack("<IIII", t0 + us // 1000000, sub, caplen, len(data)))
            f.write(data[:caplen])

def _block(btype, body):
    pad = (-len(body)) % 4
    total = 12 + len(body) + pad
    return struct.pack("<II", btype, total) + body + b"\x00" * pad + struct.pack("<I", total)

def pcapng_section(interfaces, packets, t0=1700000000):
    """interfaces: list of linktypes; packets: list of (iface, bytes)."""
    out = _block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    for lt in interfaces:
        out += _block(1, struct.pack("<HHI", lt, 0, 262144))
    for i, (iface, data) in enumerate(packets):
        ts = (t0 * 1000000) + i * 1000
        pad = (-len(data)) % 4
        out += _block(6, struct.pack("<IIIII", iface, ts >> 32, ts & 0xFFFFFFFF, len(data),
                                     len(data)) + data + b"\x00" * pad)
    return out

def write_pcapng(path, sections):
    with open(path, "wb") as f:
        for s in sections:
            f.write(s)
