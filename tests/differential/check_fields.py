#!/usr/bin/env python3
"""Every isakmp.* field of the installed tshark (tests/tshark_version.py) has an ike.* field of the same suffix,
type, base and bitmask in `isakmpdump -G fields`, unless it is listed in
exceptions.tsv with a reason; prints the coverage.

usage: check_fields.py ISAKMPDUMP
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import tshark_version  # noqa: E402

# the table of the installed tshark (4.4's when there is none)
REFERENCE = tshark_version.reference()


def table(lines, prefix):
    out = {}
    for line in lines:
        cols = line.rstrip("\n").split("\t")
        if len(cols) >= 7 and cols[0] == "F" and cols[2].startswith(prefix):
            out[cols[2][len(prefix):]] = (cols[3], cols[5], int(cols[6], 16))
    return out


def main():
    ours = table(subprocess.run([sys.argv[1], "-G", "fields"], stdout=subprocess.PIPE,
                                check=True, text=True).stdout.splitlines(), "ike.")
    ref = table(open(REFERENCE, encoding="utf-8"), "isakmp.")
    skip = set()
    for line in open(os.path.join(HERE, "exceptions.tsv"), encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            skip.add(line.split("\t")[0][len("isakmp."):])
    ver = tshark_version.version()
    retyped = set()   # fields an older tshark typed differently, on purpose
    for line in open(os.path.join(HERE, "type-exceptions.tsv"), encoding="utf-8"):
        cols = line.rstrip("\n").split("\t")
        if line.strip() and not line.startswith("#") and ver and "%d.%d" % ver == cols[1]:
            retyped.add(cols[0][len("isakmp."):])
    bad = []
    for name, (ftype, base, mask) in sorted(ref.items()):
        if name in skip or (name in retyped and name in ours):
            continue
        if name not in ours:
            bad.append("missing ike.%s" % name)
        elif ours[name] != (ftype, base, mask):
            bad.append("ike.%s is %s, Wireshark's is %s" % (name, ours[name], (ftype, base, mask)))
    covered = sum(1 for n in ref if n in ours)
    print("%d of %d Wireshark fields mirrored (%.1f%%), %d excepted; %d ike.* fields in all"
          % (covered, len(ref), 100.0 * covered / len(ref), len(skip), len(ours)))
    for b in bad:
        print("  " + b)
    print("%d passed, %d failed" % (len(ref) - len(bad), len(bad)))
    return 1 if bad or covered < 0.95 * len(ref) else 0


if __name__ == "__main__":
    sys.exit(main())
