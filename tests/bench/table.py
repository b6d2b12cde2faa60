#!/usr/bin/env python3
"""Turns the harness's results.tsv into a markdown table with ratios.

usage: table.py RESULTS.tsv CAPTURE GEN.txt [PAIRS.txt [PAIRS-DENSE.txt GEN-DENSE.txt]]

PAIRS*.txt: lines "loop_seconds isakmpdump_seconds" of alternating runs.
Each isakmpdump row is compared with tshark's row for the same output (the
same keys, the same capture); "dense:" rows with the dense capture's.
"""
import os
import statistics
import sys


def reference(name, names):
    """The tshark row an isakmpdump row is compared with, or None."""
    dense = name.startswith("dense: ")
    pre = "dense: " if dense else ""
    keys = " (keys)" if "(keys)" in name else ""
    if "files" in name:
        return next((x for x in names if x.startswith("tshark per file")), None)
    if "-T json" in name:
        out = "-T json"
    elif " -V" in name:
        out = "-V"
    else:   # fields, and the summary and the report (tshark's nearest: its fields)
        out = "-T fields"
    ref = "%stshark %s%s" % (pre, out, keys)
    return ref if ref in names else None


def ratio_line(label, pairs):
    ratios = [max(d, 1e-6) / max(l, 1e-6) for l, d in pairs]
    return ("%s (bare loop, then `isakmpdump -T fields`, %d times): median per-pair ratio "
            "%.2fx (range %.2fx-%.2fx)." % (label, len(pairs), statistics.median(ratios),
                                            min(ratios), max(ratios)))


def main():
    rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
    size = os.path.getsize(sys.argv[2])
    gen = open(sys.argv[3]).read().strip()
    packets = int(gen.split()[0])
    dense_gen = open(sys.argv[6]).read().strip() if len(sys.argv) > 6 else None
    dense_cap = os.path.join(os.path.dirname(sys.argv[2]), "dense", "bench.pcap")
    dsize = os.path.getsize(dense_cap) if os.path.exists(dense_cap) else size
    dpackets = int(dense_gen.split()[0]) if dense_gen else packets
    t = {name: float(sec) for name, sec, _ in rows}
    names = list(t)
    line = "Capture: %s (%.1f MB)" % (gen, size / 1e6)
    if dense_gen:
        line += "; dense capture (`gen.py --ike-only`): %s (%.1f MB)" % (dense_gen, dsize / 1e6)
    print(line + "\n")
    print("| command | median s | packets/s | MB/s | peak RSS MiB | x tshark, same output | x bare loop |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, sec, kib in rows:
        s = max(float(sec), 1e-6)   # run.sh times to the microsecond
        dense = name.startswith("dense: ")
        loop = t.get("dense: bare libpcap loop" if dense else "bare libpcap loop")
        n, b = (dpackets, dsize) if dense else (packets, size)
        bare = name[len("dense: "):] if dense else name
        ref = reference(name, names) if bare.startswith("isakmpdump") else None
        vs_ws = "%.1f" % (t[ref] / s) if ref else ""
        vs_loop = "%.2f" % (s / max(loop, 1e-6)) if loop else ""
        print("| %s | %.3f | %.0f | %.1f | %.1f | %s | %s |" % (
            name, float(sec), n / s, b / s / 1e6, int(kib) / 1024, vs_ws, vs_loop))
    print("\n`x tshark, same output` = tshark's time for the same output with the same keys "
          "(`-T json` against `tshark -T json`, `-V` against `tshark -V`, the rest against "
          "`tshark -T fields`) / ours (higher is better); `x bare loop` = our time / the bare "
          "libpcap loop's on the same capture (1.0 is the limit).")
    ek = t.get("tshark -T ek (keys)")
    js = t.get("isakmpdump -T json (keys)")
    if ek and js:
        print("\n`isakmpdump -T json (keys)` against `tshark -T ek (keys)`: %.1fx." % (ek / js))
    if len(sys.argv) > 4:
        print("\n" + ratio_line("Paired runs",
                                [tuple(map(float, l.split())) for l in open(sys.argv[4]) if l.strip()]))
    if len(sys.argv) > 5 and os.path.exists(sys.argv[5]):
        print("\n" + ratio_line("Paired runs on the dense capture",
                                [tuple(map(float, l.split())) for l in open(sys.argv[5]) if l.strip()]))


if __name__ == "__main__":
    main()
