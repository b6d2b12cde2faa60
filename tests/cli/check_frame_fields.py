#!/usr/bin/env python3
"""The capture fields (cli/output/frame_fields.c) against tshark -T fields,
byte for byte, on every capture given: frame.time*, frame.len, frame.cap_len,
eth.*, vlan.id, ip.*, ipv6.*, udp.*, tcp.*; and the -t time column of the
summary against tshark's own -t column (in Europe/Paris, on the samples and
peer-suite captures) (-t dd only where the summary shows
no ESP or keepalive lines: tshark -Y isakmp does not display those frames).  tshark selects the frames with -Y
isakmp, as isakmpdump prints only frames with IKE messages; TZ is set to a
zone with summer time so that local time is checked too.

    check_frame_fields.py ISAKMPDUMP CAPTURE...
"""
import os
import subprocess
import sys

FIELDS = ["frame.number", "frame.time", "frame.time_relative", "frame.time_delta",
          "frame.time_delta_displayed", "frame.time_epoch", "frame.len", "frame.cap_len",
          "eth.src", "eth.dst", "vlan.id", "ip.src", "ip.dst", "ip.addr", "ipv6.src", "ipv6.dst",
          "ipv6.addr", "udp.srcport", "udp.dstport", "udp.port", "tcp.srcport", "tcp.dstport",
          "tcp.port"]
TIMES = ["a", "ad", "adoy", "d", "dd", "e", "r", "u", "ud", "udoy"]


def run(cmd, env):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                          text=True).stdout


def main():
    dump, caps = sys.argv[1], sys.argv[2:]
    bad = 0
    for tz in ("UTC", "Europe/Paris"):
        env = dict(os.environ, TZ=tz)
        for cap in caps:
            eargs = [a for f in FIELDS for a in ("-e", f)]
            # tshark reads the reassembled IKEv1/IKEv2 fragments and TCP
            # streams on the frame that completes them, as we do
            want = run(["tshark", "-r", cap, "-Y", "isakmp", "-T", "fields"] + eargs, env)
            if not want:
                continue   # IKE over TCP: tshark 4.0 does not know RFC 9329
            got = run([dump, "--no-progress", "-T", "fields"] + eargs + [cap], env)
            if want != got:
                bad += 1
                print("DIFF fields %s (TZ=%s)" % (cap, tz))
                for w, g in list(zip(want.splitlines(), got.splitlines()))[:200]:
                    if w != g:
                        print("  tshark:     %r\n  isakmpdump: %r" % (w, g))
                        break
                else:
                    print("  %d lines vs %d" % (len(want.splitlines()), len(got.splitlines())))
            if tz == "UTC" or "/samples/" not in cap and "peer-suite" not in cap:
                continue   # the time column: once (u* are UTC, r/d/dd/e zone-free), on real captures
            for t in TIMES:
                # tshark's column: "    1 06:26:46.947718    10.99.0.1 → ...": number, time
                col = ["-o", "gui.column.format:\"No.\",\"%m\",\"Time\",\"%t\""]
                want = [" ".join(l.split()[1:]) for l in
                        run(["tshark", "-r", cap, "-Y", "isakmp", "-t", t] + col, env).splitlines()]
                got = []
                last = None
                ours = run([dump, "--no-progress", "-t", t, cap], env)
                if t == "dd" and (" UDP ESP SPI=" in ours or "NAT-keepalive" in ours):
                    continue   # our ESP and keepalive lines are displayed frames too
                for l in ours.splitlines():
                    parts = l.split(" ")
                    if parts[0] == last or "NAT-keepalive" in l or " UDP ESP SPI=" in l:
                        continue   # one line per message; tshark has one per frame
                    last = parts[0]
                    n = 3 if t in ("ad", "adoy", "ud", "udoy") else 2
                    got.append(" ".join(parts[1:n]))
                if want != got:
                    bad += 1
                    print("DIFF -t %s %s (TZ=%s)" % (t, cap, tz))
                    for w, g in zip(want, got):
                        if w != g:
                            print("  tshark: %r isakmpdump: %r" % (w, g))
                            break
                    else:
                        print("  %d lines vs %d" % (len(want), len(got)))
    print("%d captures, %d differences" % (len(caps), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
