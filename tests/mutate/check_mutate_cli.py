#!/usr/bin/env python3
"""isakmpdump --mutate on one keyed capture, read back by isakmpdump and tshark.

usage: check_mutate_cli.py --isakmpdump PATH --keys DIR [--mutate N] [--seed S]
                           [--break] CAPTURE

Writes N mutants of every IKE message (--mutate N --seed S -w) with the key
tables of DIR (ikev1_decryption_table, ikev2_decryption_table), then checks
the written file frame by frame:

- isakmpdump -k (the same tables): every IKEv2 frame with an SK / SKF
  payload has its ICVs verified (ike.verify.icv all True), every IKEv1
  frame with the E flag is decrypted (payloads shown);
- tshark with the same tables (a HOME of its own): every IKEv2 SK / SKF
  frame is decrypted with no "Integrity Checksum Data is incorrect", and
  every IKEv1 frame with the E flag decrypts to the payload types
  isakmpdump shows (the first two: a wrong IV garbles the first block; a
  mutant's content may be malformed on purpose, so Wireshark's malformed
  marks are not counted);
- every mutant frame has right IPv4 header and UDP checksums (tshark's
  checks: no more bad ones than in the input, a good UDP checksum more
  for every mutant);
- the mutant count is what was asked for (N for each message mutated,
  none dropped).
With --break (--mutate-break), an IKEv1 mutant whose chain was broken on
purpose cannot be told decrypted (IKEv1 knows a right IV only by a
well-formed chain): counted, not failed; the messages after it must still
decrypt.
Exit 1 on any failure, 77 without tshark.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

TABLES = ("ikev1_decryption_table", "ikev2_decryption_table", "esp_sa")


def run(cmd, env=None):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    if p.returncode != 0:
        sys.stderr.write("%s failed (%d): %s\n" % (" ".join(cmd), p.returncode,
                                                  p.stderr.decode(errors="replace")[:2000]))
        sys.exit(1)
    return p.stdout.decode("utf-8", errors="replace"), p.stderr.decode(errors="replace")


def rows(text, n):
    out = {}
    for line in text.splitlines():
        f = line.split("|")
        if len(f) >= n and f[0]:
            out[int(f[0])] = f[1:n]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--isakmpdump", required=True)
    ap.add_argument("--keys", required=True)
    ap.add_argument("--mutate", type=int, default=3)
    ap.add_argument("--seed", default="1")
    ap.add_argument("--break", dest="brk", action="store_true")
    ap.add_argument("capture")
    a = ap.parse_args()
    if not shutil.which("tshark"):
        print("tshark not found: skipped")
        return 77
    keys = []
    for t in TABLES[:2]:
        if os.path.exists(os.path.join(a.keys, t)):
            keys += ["-k", os.path.join(a.keys, t)]
    name = os.path.basename(os.path.dirname(os.path.abspath(a.capture)))
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "mutants.pcap")
        cmd = [a.isakmpdump] + keys + ["--mutate", str(a.mutate), "--seed", a.seed, "-w", out]
        if a.brk:
            cmd.append("--mutate-break")
        _, err = run(cmd + [a.capture])
        m = re.search(r"--mutate: (\d+) mutants written, (\d+) not", err)
        mm = re.search(r"--mutate: (\d+) IKE messages mutated, (\d+) with nothing", err)
        bad = []
        if not m or not mm:
            bad.append("no --mutate counts on standard error: " + err.strip())
        else:
            written, dropped = int(m.group(1)), int(m.group(2))
            mutated = int(mm.group(1))
            if dropped or written != a.mutate * mutated or mutated == 0:
                bad.append("%d mutants written for %d messages (%d dropped), %d asked each"
                           % (written, mutated, dropped, a.mutate))
        fields = ["-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,"]
        ours, _ = run([a.isakmpdump] + keys + fields + ["-e", "frame.number", "-e", "ike.version",
                      "-e", "ike.flags", "-e", "ike.typepayload", "-e", "ike.verify.icv", out])
        ours = rows(ours, 5)
        home = os.path.join(tmp, "home")
        conf = os.path.join(home, ".config", "wireshark")
        os.makedirs(conf)
        for t in TABLES:
            if os.path.exists(os.path.join(a.keys, t)):
                shutil.copy(os.path.join(a.keys, t), conf)
        theirs, _ = run(["tshark", "-r", out] + fields + ["-e", "frame.number", "-e", "isakmp.version",
                        "-e", "isakmp.flags", "-e", "isakmp.typepayload", "-e", "isakmp.enc.decrypted",
                        "-e", "_ws.expert.message"], env=dict(os.environ, HOME=home))
        theirs = rows(theirs, 6)
        # checksums: every frame written anew has right IP and UDP checksums
        # (the samples' own frames were captured before checksum offload
        # filled theirs in: those stay as they were)
        def sums(path):
            text, _ = run(["tshark", "-r", path, "-o", "udp.check_checksum:TRUE", "-o",
                           "ip.check_checksum:TRUE", "-Y", "isakmp", "-T", "fields", "-e",
                           "ip.checksum.status", "-e", "udp.checksum.status"])
            c = {"bad": 0, "good_udp": 0}
            for line in text.splitlines():
                f = (line.split("\t") + ["", ""])[:2]
                c["bad"] += f[0] == "0"
                c["good_udp"] += f[1] == "1"
                c["bad_udp"] = c.get("bad_udp", 0) + (f[1] == "0")
            return c
        cin, cout = sums(a.capture), sums(out)
        if m and (cout["bad"] > cin["bad"] or cout.get("bad_udp", 0) > cin.get("bad_udp", 0)
                  or cout["good_udp"] < cin["good_udp"] + int(m.group(1))):
            bad.append("checksums: input %s, output %s" % (cin, cout))
        counts = {"v1": 0, "v2": 0, "v1 broken": 0}
        for num, (ver, flags, types, icv) in sorted(ours.items()):
            v = ver.split(",")[0]
            t = [x for x in types.split(",") if x]
            tv = theirs.get(num)
            if v.startswith("0x2"):
                if "46" not in t and "53" not in t:
                    continue
                counts["v2"] += 1
                if not icv or any(x not in ("True", "1") for x in icv.split(",")):
                    bad.append("%d: isakmpdump: ICV not verified (%s)" % (num, icv or "no verdict"))
                if not tv or not tv[3] or "integrity checksum data is incorrect" in tv[4].lower():
                    bad.append("%d: tshark: not decrypted or ICV incorrect (%s)"
                               % (num, tv[4] if tv else "no line"))
            elif v.startswith("0x1") and int(flags.split(",")[0], 16) & 1:
                counts["v1"] += 1
                if not [x for x in t if x != "132"]:
                    if a.brk:
                        # a broken chain is how IKEv1 tells a wrong IV: such a
                        # mutant cannot be told decrypted (the next one is)
                        counts["v1 broken"] += 1
                    else:
                        bad.append("%d: isakmpdump: IKEv1 message not decrypted" % num)
                    continue
                tt = [x for x in (tv[2].split(",") if tv else []) if x]
                k = min(2, len(t))
                if tt[:k] != t[:k]:
                    bad.append("%d: tshark decrypts payloads %s, isakmpdump %s" % (num, tt[:k], t[:k]))
        print("%-40s %s  %d mutants%s; encrypted frames read back: IKEv1 %d (%d with a broken "
              "chain), IKEv2 %d; %d failures"
              % (name, "ok  " if not bad else "FAIL", int(m.group(1)) if m else 0,
                 " (--mutate-break)" if a.brk else "", counts["v1"], counts["v1 broken"],
                 counts["v2"], len(bad)))
        for b in bad[:20]:
            print("    " + b)
        return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
