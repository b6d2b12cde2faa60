#!/usr/bin/env python3
"""Turns the harness's results.tsv into a markdown table with ratios.

usage: table.py RESULTS.tsv CAPTURE GEN.txt [PAIRS.txt]

PAIRS.txt: lines "loop_seconds isakmpdump_seconds" of alternating runs.
"""
import os
import statistics
import sys


def main():
    rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
    size = os.path.getsize(sys.argv[2])
    gen = open(sys.argv[3]).read().strip()
    packets = int(gen.split()[0])
    t = {name: float(sec) for name, sec, _ in rows}
    loop = t.get("bare libpcap loop")
    ws = t.get("tshark -T fields")
    ws_keys = t.get("tshark -T fields (keys)")
    print("Capture: %s (%.1f MB)\n" % (gen, size / 1e6))
    print("| command | median s | packets/s | MB/s | peak RSS MiB | x tshark -T fields | x bare loop |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, sec, kib in rows:
        s = max(float(sec), 0.005)   # /usr/bin/time resolution is 10 ms
        ref = ws_keys if "(keys)" in name else ws
        if "files" in name:   # many files: against tshark run per file
            ref = next((float(x[1]) for x in rows if x[0].startswith("tshark per file")), None)
        mine = name.startswith("isakmpdump")
        vs_ws = "%.1f" % (ref / s) if ref and mine else ""
        vs_loop = "%.2f" % (s / max(loop, 0.005)) if loop else ""
        print("| %s | %.2f | %.0f | %.1f | %.1f | %s | %s |" % (
            name, float(sec), packets / s, size / s / 1e6, int(kib) / 1024, vs_ws, vs_loop))
    print("\n`x tshark` = tshark's time / ours (higher is better); "
          "`x bare loop` = our time / the bare libpcap loop's (1.0 is the limit).")
    if len(sys.argv) > 4:
        pairs = [tuple(map(float, l.split())) for l in open(sys.argv[4]) if l.strip()]
        ratios = [max(d, 0.005) / max(l, 0.005) for l, d in pairs]
        print("\nPaired runs (bare loop, then `isakmpdump -T fields`, %d times): median "
              "per-pair ratio %.2fx (range %.2fx-%.2fx)." % (
                  len(pairs), statistics.median(ratios), min(ratios), max(ratios)))


if __name__ == "__main__":
    main()
