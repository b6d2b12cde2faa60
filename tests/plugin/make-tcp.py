#!/usr/bin/env python3
"""Re-frames the IKE messages of a UDP capture as one RFC 8229 TCP stream.

usage: make-tcp.py IN.pcap OUT.pcap

IN is a classic pcap (Ethernet, IPv4, UDP 500/4500).  OUT carries the same
messages, in the same order and directions, over TCP port 4500: the
initiator's side starts with the "IKETCP" prefix (RFC 8229 3), every message
is a 16-bit length, the non-ESP marker and the message (RFC 8229 3.1), and one
ESP packet is slipped in to be handed to the ESP dissector.  The first message
is cut across two segments, so reassembly is exercised; every other segment
completes exactly one message, so each IKE frame of OUT matches one of IN.

usage: make-tcp.py --pack N IN.pcap OUT.pcap

as above, but messages N and N+1 (0-based, same sender) share a frame: a
first segment carries the first half of message N, a second one the rest of
it and all of message N+1, so the second frame holds two IKE messages, one of
them reassembled (TCP hands the frame to the dissector twice).
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "data"))
import pcapgen  # noqa: E402


def udp_payloads(path):
    """(src, dst, payload) of every IPv4 UDP packet, non-ESP marker removed."""
    data = open(path, "rb").read()
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    off, out = 24, []
    while off + 16 <= len(data):
        caplen = struct.unpack(end + "I", data[off + 8:off + 12])[0]
        pkt = data[off + 16:off + 16 + caplen]
        off += 16 + caplen
        if len(pkt) < 42 or pkt[12:14] != b"\x08\x00" or pkt[23] != 17:
            continue
        ip = pkt[14:]
        hl = (ip[0] & 15) * 4
        udp = ip[hl:]
        sport, dport, ulen = struct.unpack("!HHH", udp[:6])
        payload = udp[8:ulen]
        if 4500 in (sport, dport):
            if payload[:4] != b"\x00" * 4:
                continue
            payload = payload[4:]
        out.append((ip[12:16], ip[16:20], payload))
    return out


def main():
    args = sys.argv[1:]
    pack = None
    if args[0] == "--pack":
        pack = int(args[1])
        args = args[2:]
    msgs = udp_payloads(args[0])
    if not msgs:
        sys.exit("no IKE messages in " + args[0])
    if pack is not None and (pack + 1 >= len(msgs) or msgs[pack][0] != msgs[pack + 1][0]):
        sys.exit("messages %d and %d are not from the same sender" % (pack, pack + 1))
    a = ".".join(str(b) for b in msgs[0][0])
    b = ".".join(str(x) for x in msgs[0][1])
    seq = {a: 1000, b: 5000}
    frames = []

    def send(src, dst, data):
        sport, dport = (40000, 4500) if src == a else (4500, 40000)
        seg = pcapgen.tcp(sport, dport, seq[src], seq[dst], data)
        frames.append(pcapgen.eth(0x0800, pcapgen.ipv4(src, dst, 6, seg)))
        seq[src] += len(data)

    def frame(msg):
        body = b"\x00" * 4 + msg          # non-ESP marker
        return struct.pack("!H", 2 + len(body)) + body

    for i, (s, d, m) in enumerate(msgs):
        src = ".".join(str(x) for x in s)
        dst = ".".join(str(x) for x in d)
        pdu = frame(m)
        if pack is not None and i == pack + 1:
            continue                      # sent with message `pack`
        if i == pack:
            both = pdu + frame(msgs[i + 1][2])
            send(src, dst, pdu[:len(pdu) // 2])
            send(src, dst, both[len(pdu) // 2:])
        elif i == 0:
            first = b"IKETCP" + pdu
            send(src, dst, first[:40])
            send(src, dst, first[40:])
        else:
            send(src, dst, pdu)
        if i == 1:
            esp = struct.pack("!II", 0x12345678, 1) + bytes(24)
            send(src, dst, struct.pack("!H", 2 + len(esp)) + esp)
    pcapgen.write_pcap(args[1], 1, frames)


if __name__ == "__main__":
    main()
