#!/usr/bin/env python3
"""Splits a pcap's IKE messages (UDP 500 / 4500) into files, one message each
(the input form of the fuzzer mutators); with --join, the reverse: files into
a pcap of IPv4/UDP 500 frames (raw IP link type).

usage: split_messages.py CAPTURE OUTDIR | split_messages.py --join INDIR OUT.pcap
"""
import os
import struct
import sys


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    e = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
    link = struct.unpack(e + "I", data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(e + "IIII", data[off:off + 16])
        yield link, data[off + 16:off + 16 + incl]
        off += 16 + incl


def ike_of(link, fr):
    if link == 1:
        if len(fr) < 14:
            return None
        et, off = struct.unpack(">H", fr[12:14])[0], 14
        while et == 0x8100:
            et, off = struct.unpack(">H", fr[off + 2:off + 4])[0], off + 4
    elif link in (101, 12):
        et, off = (0x86dd if fr and fr[0] >> 4 == 6 else 0x800), 0
    elif link == 113:
        et, off = struct.unpack(">H", fr[14:16])[0], 16
    else:
        return None
    if et == 0x800:
        ihl = (fr[off] & 15) * 4
        if fr[off + 9] != 17:
            return None
        udp = off + ihl
    elif et == 0x86dd:
        if fr[off + 6] != 17:
            return None
        udp = off + 40
    else:
        return None
    sport, dport, ulen = struct.unpack(">HHH", fr[udp:udp + 6])
    body = fr[udp + 8:udp + ulen]
    if 4500 in (sport, dport):
        if body[:4] != b"\0\0\0\0":
            return None   # ESP or a keepalive
        body = body[4:]
    elif 500 not in (sport, dport):
        return None
    return body if len(body) >= 28 else None


def split(cap, outdir):
    n = 0
    for link, fr in frames(cap):
        m = ike_of(link, fr)
        if m:
            n += 1
            with open(os.path.join(outdir, "msg-%03d" % n), "wb") as f:
                f.write(m)
    return n


def join(indir, out):
    with open(out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))
        for i, name in enumerate(sorted(os.listdir(indir))):
            with open(os.path.join(indir, name), "rb") as g:
                m = g.read()
            udp = struct.pack(">HHHH", 500, 500, 8 + len(m), 0) + m
            ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), i & 0xffff, 0, 64, 17, 0,
                             bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])) + udp
            f.write(struct.pack("<IIII", i, 0, len(ip), len(ip)) + ip)


if __name__ == "__main__":
    if sys.argv[1] == "--join":
        join(sys.argv[2], sys.argv[3])
    elif split(sys.argv[1], sys.argv[2]) == 0:
        sys.exit("no IKE messages in " + sys.argv[1])
