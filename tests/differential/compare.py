#!/usr/bin/env python3
"""Differential test: isakmpdump -T fields against tshark -T fields.

For every capture, both tools print every mapped field (Wireshark's isakmp.X
is our ike.X); the outputs must be identical line by line and field by field.

usage: compare.py --isakmpdump PATH [--keys DIR] [--verdicts] [--fields F1,F2] [--max-diffs N] CAPTURE...

--keys DIR   load the Wireshark key tables found in DIR into both tools
             (ikev1_decryption_table, ikev2_decryption_table).
--verdicts   keys that decrypt only some of the encrypted messages (one RFC 9370
             key epoch of an IKE SA): each line's ICV verdict must agree (tshark:
             isakmp.enc.decrypted, and the expert field isakmp.ikev2.integrity_checksum
             when it fails; ours: ike.enc.decrypted, ike.verify.icv); where both
             say the ICV is correct every field is compared, where both say it is
             not only the header's (tshark dissects the garbage the wrong keys
             give, we do not), and some line must decrypt with a correct ICV.
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


# compared on a line whose ICV fails in both tools: the outer header's fields
HEADER = ("isakmp.ispi", "isakmp.rspi", "isakmp.exchangetype", "isakmp.messageid",
          "isakmp.version", "isakmp.flags")
DECRYPTED, ICV_WRONG = "isakmp.enc.decrypted", "isakmp.ikev2.integrity_checksum"


def ws_verdict(cols, fields):
    """tshark: "-" nothing decrypted, "bad" ICV incorrect, "good" otherwise."""
    if not cols[fields.index(DECRYPTED)]:
        return "-"
    return "bad" if cols[fields.index(ICV_WRONG)] else "good"


def our_verdict(cols, fields, icv):
    """ours: the same from ike.enc.decrypted and ike.verify.icv (one per SK payload)."""
    if not cols[fields.index(DECRYPTED)]:
        return "-"
    verdicts = set(icv.split(","))
    if verdicts & {"0", "False"}:
        return "bad"
    return "good" if verdicts and verdicts <= {"1", "True"} else "unverified"


def compare(args, capture, fields, tmp, tally):
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
               + (["-e", "ike.verify.icv"] if args.verdicts else []) + [cap])
    diffs = []
    skip = frame_exceptions()
    name = os.path.basename(capture)
    if len(ws) != len(ours):
        diffs.append(("*", "line count", str(len(ours) - 1), str(len(ws) - 1)))
    for n, (a, b) in enumerate(zip(ours, ws), 1):
        ca, cb = a.split("\t"), b.split("\t")
        compared = fields
        if args.verdicts and len(ca) == len(fields) + 1 and len(cb) == len(fields):
            va, vb = our_verdict(ca, fields, ca.pop()), ws_verdict(cb, fields)
            a = "\t".join(ca)
            if va != vb:
                diffs.append((str(n), "ICV verdict", va, vb))
            elif va != "-":
                tally.setdefault(va, []).append(n)
            if va == vb == "bad":
                compared = HEADER
        elif args.verdicts and (a or b):   # (not the empty line after the last)
            diffs.append((str(n), "columns", str(len(ca) - 1), str(len(cb))))
        if a == b or (name, bool(args.keys), n) in skip:
            continue
        for i, f in enumerate(fields):
            if f not in compared:
                continue
            va = ca[i] if i < len(ca) else "<missing>"
            vb = cb[i] if i < len(cb) else "<missing>"
            if va != vb:
                diffs.append((str(n), f, va, vb))
    return diffs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--isakmpdump", required=True)
    ap.add_argument("--keys")
    ap.add_argument("--verdicts", action="store_true")
    ap.add_argument("--fields")
    ap.add_argument("--max-diffs", type=int, default=40)
    ap.add_argument("captures", nargs="+")
    args = ap.parse_args()
    skip = exceptions()
    if args.fields:
        fields = ["isakmp." + f.split(".", 1)[1] for f in args.fields.split(",")]
    else:
        fields = [f for f in reference_fields() if f not in skip]
    if args.verdicts:
        fields += [f for f in (DECRYPTED, ICV_WRONG) + HEADER if f not in fields]
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for capture in args.captures:
            tally = {}
            diffs = compare(args, capture, fields, tmp, tally)
            if args.verdicts and not tally.get("good"):
                diffs.append(("*", "ICV verdict", "no line decrypted with a correct ICV", ""))
            status = "ok" if not diffs else "%d differences" % len(diffs)
            if args.verdicts:
                status += "; ICV correct in both on lines %s, incorrect on %s" % (
                    ",".join(map(str, tally.get("good", []))) or "none",
                    ",".join(map(str, tally.get("bad", []))) or "none")
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
