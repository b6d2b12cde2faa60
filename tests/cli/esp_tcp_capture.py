#!/usr/bin/env python3
"""RFC 9329 TCP encapsulation made from a sample's UDP-encapsulated ESP.

Usage: esp_tcp_capture.py IN.pcap OUT.pcap

Every ESP packet of IN (UDP port 4500, a non-zero first word) becomes a
record (2-byte length, then the packet) of a TCP stream between the same
addresses and ports, one stream per direction, the first direction's
starting with "IKETCP" (RFC 9329 3); the streams are then cut into
segments of sizes taken in turn from CUTS, so that segments carry several
records, records and their length fields are split over segments, and
single bytes travel alone.  A segment gets the time of the ESP packet its
last byte belongs to; the other frames (IKE over UDP) are kept as they are,
and everything is written in time order.  Ethernet, IPv4; stdlib only.
"""
import struct
import sys

CUTS = [37, 300, 5, 1, 700, 150, 2, 64, 1200]


def frames(path):
    with open(path, "rb") as f:
        head = f.read(24)
        magic, linktype = struct.unpack("<I", head[:4])[0], struct.unpack("<I", head[20:])[0]
        if magic != 0xA1B2C3D4 or linktype != 1:
            sys.exit("esp_tcp_capture: little-endian microsecond pcap of Ethernet only")
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            sec, usec, incl, _ = struct.unpack("<IIII", rec)
            yield sec, usec, f.read(incl)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def tcp_frame(eth, src, dst, sport, dport, seq, payload):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, 0x18, 65535, 0, 0) + payload
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 0, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return eth + ip + tcp


def main():
    inp, out = sys.argv[1], sys.argv[2]
    keep = []                 # (time, order, frame bytes)
    streams = {}              # direction -> [eth, bytearray, [(end offset, time)]]
    order = 0
    for sec, usec, data in frames(inp):
        order += 1
        t = (sec, usec)
        eth, ip = data[:14], data[14:]
        esp = None
        if len(ip) >= 28 and ip[0] >> 4 == 4 and ip[9] == 17:
            hl = (ip[0] & 15) * 4
            sport, dport = struct.unpack("!HH", ip[hl:hl + 4])
            body = ip[hl + 8:struct.unpack("!H", ip[2:4])[0]]
            if 4500 in (sport, dport) and len(body) >= 8 and body[:4] != b"\0\0\0\0":
                esp = (bytes(ip[12:16]), bytes(ip[16:20]), sport, dport, body)
        if esp is None:
            keep.append((t, order, data))
            continue
        key = esp[:4]
        if key not in streams:
            streams[key] = [eth, bytearray(b"" if streams else b"IKETCP"), []]
        s = streams[key]
        s[1] += struct.pack("!H", len(esp[4]) + 2) + esp[4]
        s[2].append((len(s[1]), t))
    cut = 0
    for d, (key, (eth, stream, ends)) in enumerate(streams.items()):
        src, dst, sport, dport = key
        isn = 1000 + 100000 * d
        at = 0
        while at < len(stream):
            n = min(CUTS[cut % len(CUTS)], len(stream) - at)
            cut += 1
            end = at + n
            t = next(tt for e, tt in ends if e >= end)
            order += 1
            keep.append((t, order, tcp_frame(eth, src, dst, sport, dport, isn + at,
                                             bytes(stream[at:end]))))
            at = end
    keep.sort(key=lambda k: (k[0], k[1]))
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for (sec, usec), _, data in keep:
            f.write(struct.pack("<IIII", sec, usec, len(data), len(data)) + data)


main()
