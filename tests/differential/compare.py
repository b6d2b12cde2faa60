#!/usr/bin/env python3
"""Differential test: isakmpdump -T fields against tshark -T fields.

For every capture, both tools print every mapped field (Wireshark's isakmp.X
is our ike.X); the outputs must be identical line by line and field by field.

usage: compare.py --isakmpdump PATH [--keys DIR] [--fields F1,F2] [--max-diffs N] CAPTURE...

--keys DIR   load the Wireshark key tables found in DIR into both tools
             (ikev1_decryption_table, ikev2_decryption_table).
Fields listed in tests/differential/exceptions.tsv are skipped (with reasons).
Exit status: 0 same, 1 differences, 2 usage / tool failure.
"""
import argparse
import gzip
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import tshark_version  # noqa: E402

TSHARK = tshark_version.version()
# isakmpdump prints what the installed tshark prints (tshark 4.0: -E compat=4.0)
COMPAT = ["-E", "compat=" + tshark_version.compat(TSHARK)]


def reference_fields():
    """The isakmp.* fields of the installed tshark."""
    out = []
    for line in open(tshark_version.reference(TSHARK), encoding="utf-8"):
        cols = line.rstrip("\n").split("\t")
        if len(cols) > 3 and cols[0] == "F":
            out.append(cols[2])
    return out


def exceptions():
    skip = {}
    path = os.path.join(HERE, "exceptions.tsv")
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            if line.startswith("#") or not line.strip():
                continue
            name, _, why = line.rstrip("\n").partition("\t")
            skip[name] = why
    return skip


def frame_exceptions():
    """(capture basename, with_keys, line) -> reason: frames where we decode
    more than tshark on purpose."""
    skip = {}
    path = os.path.join(HERE, "frame-exceptions.tsv")
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        cap, keys, n, why = line.rstrip("\n").split("\t", 3)
        skip[(cap, keys == "keys", int(n))] = why
    return skip


def plain_capture(path, tmp):
    """libpcap and tshark both read .gz, but be explicit for libpcap."""
    if not path.endswith(".gz"):
        return path
    out = os.path.join(tmp, os.path.basename(path)[:-3])
    with gzip.open(path, "rb") as src, open(out, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return out


def tshark_home(tmp, keys):
    """A HOME whose Wireshark profile has the key tables (or none)."""
    home = os.path.join(tmp, "home")
    conf = os.path.join(home, ".config", "wireshark")
    os.makedirs(conf, exist_ok=True)
    for name in ("ikev1_decryption_table", "ikev2_decryption_table"):
        dst = os.path.join(conf, name)
        if os.path.exists(dst):
            os.remove(dst)
        if keys and os.path.exists(os.path.join(keys, name)):
            shutil.copy(os.path.join(keys, name), dst)
    return home


def run(cmd, env=None):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    if p.returncode != 0:
        sys.stderr.write("%s failed (%d): %s\n" % (cmd[0], p.returncode,
                                                  p.stderr.decode(errors="replace")[:2000]))
        sys.exit(2)
    return p.stdout.decode("utf-8", errors="replace").split("\n")


def compare(args, capture, fields, tmp):
    cap = plain_capture(capture, tmp)
    env = dict(os.environ, HOME=tshark_home(tmp, args.keys))
    ws = run(["tshark", "-n", "-r", cap, "-Y", "isakmp", "-T", "fields"]
             + sum((["-e", f] for f in fields), []), env)
    ours_cmd = [args.isakmpdump, "-T", "fields"] + COMPAT
    if args.keys:
        for name in ("ikev1_decryption_table", "ikev2_decryption_table"):
            if os.path.exists(os.path.join(args.keys, name)):
                ours_cmd += ["-k", os.path.join(args.keys, name)]
    ours = run(ours_cmd + sum((["-e", "ike." + f[len("isakmp."):]] for f in fields), [])
               + [cap])
    diffs = []
    skip = frame_exceptions()
    name = os.path.basename(capture)
    if len(ws) != len(ours):
        diffs.append(("*", "line count", str(len(ours) - 1), str(len(ws) - 1)))
    for n, (a, b) in enumerate(zip(ours, ws), 1):
        if a == b or (name, bool(args.keys), n) in skip:
            continue
        ca, cb = a.split("\t"), b.split("\t")
        for i, f in enumerate(fields):
            va = ca[i] if i < len(ca) else "<missing>"
            vb = cb[i] if i < len(cb) else "<missing>"
            if va != vb:
                diffs.append((str(n), f, va, vb))
    return diffs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--isakmpdump", required=True)
    ap.add_argument("--keys")
    ap.add_argument("--fields")
    ap.add_argument("--max-diffs", type=int, default=40)
    ap.add_argument("captures", nargs="+")
    args = ap.parse_args()
    skip = exceptions()
    if args.fields:
        fields = ["isakmp." + f.split(".", 1)[1] for f in args.fields.split(",")]
    else:
        fields = [f for f in reference_fields() if f not in skip]
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for capture in args.captures:
            diffs = compare(args, capture, fields, tmp)
            status = "ok" if not diffs else "%d differences" % len(diffs)
            print("%s: %s" % (capture, status))
            for d in diffs[: args.max_diffs]:
                print("  line %s %s: isakmpdump=%r tshark=%r" % d)
            failed += bool(diffs)
    print("%d passed, %d failed (tshark %s, isakmpdump %s)"
          % (len(args.captures) - failed, failed, "%d.%d" % TSHARK if TSHARK else "?",
             " ".join(COMPAT)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
