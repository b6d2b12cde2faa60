#!/usr/bin/env python3
"""isakmpdump -Y against tshark -Y: for every filter of the table below, on
every capture given, both tools must select the same frames (tshark with
`isakmp && (F)`, ike.* renamed isakmp.*, since isakmpdump shows only frames
that carry IKE).  With --keys DIR both load that directory's key tables.

usage: check_filter.py --isakmpdump PATH [--keys DIR] CAPTURE...
"""
import argparse
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile

# The filters: every operator and literal kind on fields of every type,
# chosen where both tools decode the same (tests/differential).  Not here:
# plain hex of digits only for a byte field (`ike.rspi == 0000000000000000`),
# bytes for isakmpdump and tshark 4.0, one byte (the number 0) for tshark 4.4.
FILTERS = [
    "ike.exchangetype == 34",
    "ike.exchangetype eq 2 or ike.exchangetype == 0x04",
    "ike.exchangetype in {34, 35}",
    "ike.exchangetype in {2..5, 36}",
    "ike.exchangetype == IKE_AUTH",
    "ike.flag_r",
    "ike.flag_r == 1",
    "not ike.flag_r == 1",
    "!(ike.flag_i == True) && ike.exchangetype > 33",
    "ike.nonce",
    "ike.notify.msgtype in {14, 24}",
    "ike.notify.msgtype >= 16384 and ike.notify.msgtype < 16400",
    "ike.nextpayload != 33",
    "ike.nextpayload !== 33",
    "ike.typepayload === 46",
    "ike.rspi == 00:00:00:00:00:00:00:00",
    "ike.length > 300",
    "ike.length ge 200 && ike.length le 500",
    "ike.messageid == 0 || (ike.messageid > 1 and ike.flag_i == 1)",
    "ike.vid_bytes contains 4a:13:1c:81",
    "ike.vid_string matches \"^(RFC|draft)\"",
    "ike.id.data.fqdn contains \".\" or ike.id.type == 1",
    "ike.typepayload == 46 || ike.typepayload == 132",
    "ip.addr == 10.0.0.0/8",
    "ip.src == 192.168.0.0/16 or ipv6",
    "udp.port == 4500 && udp.srcport != 500",
    "frame.number <= 4 or frame.len > 1000",
    "frame.time_relative > 0.004 and frame.cap_len >= 200",
    # every capture field -e knows (#19), Wireshark 4's slices, functions,
    # field against field and quantifiers: only forms tshark 4.0 and 4.4 read
    # alike (the others are pinned in tests/unit/test_filter.c)
    "eth.src == 02:b1:46:2e:ad:c5 or eth.dst == 9e:3d:bf:d3:e0:91 or vlan.id == 10",
    "frame.time_delta > 0.5",
    "frame.time >= \"2026-11-28 06:26:40\" and frame.time < \"Nov 28, 2026 06:27:00.5\"",
    "frame.time_delta_displayed == 0 || ike.exchangetype == 35",
    "ike.ispi[0:2] == ike.ispi[:2] and ike.ispi[-1] != 00",
    "ike.ispi[1-2] == ike.ispi[1:2] && ike.rspi[7] == 00",
    "len(ike.nonce) >= 32 or count(ike.typepayload) > 6",
    "ike.typepayload == ike.nextpayload",
    "all ike.typepayload > 30",
    "any ike.nextpayload == 0",
    "upper(ike.vid_string) contains \"DPD\" or lower(ike.vid_string) matches \"^rfc\"",
    "ip.src[0:2] == 0a:63 and eth.dst[0] != 0xff",
]

TABLES = ("ikev1_decryption_table", "ikev2_decryption_table")


def tshark_name(f):
    return re.sub(r"\bike\.", "isakmp.", f)


def run(cmd, env=None):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    if p.returncode != 0:
        sys.stderr.write("%s failed (%d): %s\n" % (" ".join(cmd), p.returncode,
                                                  p.stderr.decode(errors="replace")[:2000]))
        return None
    return p.stdout.decode("utf-8", errors="replace").split()


def home(tmp, keys):
    """A HOME whose Wireshark profile has the key tables (or none)."""
    h = os.path.join(tmp, "home")
    conf = os.path.join(h, ".config", "wireshark")
    os.makedirs(conf, exist_ok=True)
    for name in TABLES:
        dst = os.path.join(conf, name)
        if os.path.exists(dst):
            os.remove(dst)
        if keys and os.path.exists(os.path.join(keys, name)):
            shutil.copy(os.path.join(keys, name), dst)
    return h


def plain(path, tmp):
    if not path.endswith(".gz"):
        return path
    out = os.path.join(tmp, os.path.basename(path)[:-3])
    with gzip.open(path, "rb") as src, open(out, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--isakmpdump", required=True)
    ap.add_argument("--keys")
    ap.add_argument("--filter", action="append",
                    help="check this filter instead of the table (repeatable)")
    ap.add_argument("captures", nargs="+")
    args = ap.parse_args()
    bad = 0
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, HOME=home(tmp, args.keys))
        ours_keys = []
        for name in TABLES:
            if args.keys and os.path.exists(os.path.join(args.keys, name)):
                ours_keys += ["-k", os.path.join(args.keys, name)]
        for capture in args.captures:
            cap = plain(capture, tmp)
            for f in args.filter or FILTERS:
                ws = run(["tshark", "-n", "-r", cap, "-Y", "isakmp && (%s)" % tshark_name(f),
                          "-T", "fields", "-e", "frame.number"], env)
                ours = run([args.isakmpdump] + ours_keys + ["-Y", f, "-T", "fields", "-e",
                                                            "frame.number", cap])
                if ws is None or ours is None or ws != ours:
                    bad += 1
                    print("MISMATCH %s%s: -Y '%s'\n  isakmpdump: %s\n  tshark:     %s" % (
                        os.path.basename(capture), " (keys)" if args.keys else "", f,
                        "(failed)" if ours is None else " ".join(ours)[:400],
                        "(failed)" if ws is None else " ".join(ws)[:400]))
    print("%d filters x %d captures%s: %d mismatches" % (
        len(args.filter or FILTERS), len(args.captures), " with keys" if args.keys else "", bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
