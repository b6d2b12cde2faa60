#!/usr/bin/env python3
"""isakmpdump's capture options on files: -c, -f, -w / -F / -P, and the
writer's selected mode (what a display filter's -w uses) through the
writer_select test program.

- -c N: the lines of the frames up to the Nth, and the same frames as
  `tshark -c N -Y isakmp` (tshark counts frames read, not shown);
- -f FILTER: the frames tshark selects with the equivalent display filter,
  on every sample; a filter that does not compile: exit 2; a filter valid
  only for another link type: exit 1 naming the file;
- -w FILE in pcap, nsecpcap and pcapng: every sample and hand-made capture
  reread gives the same output, and tshark reads the same frames (times,
  lengths, bytes); -w with -f and -c; -w - into isakmpdump -r -; -P;
  pcap output of a pcapng file with several link types: exit 1 (-F pcapng
  keeps them);
- selected mode: a kept message is written with the IP fragments and TCP
  segments it was built from, nothing else;
- usage errors of -c, -s, -F, -P, -i with files; -D.

Usage: check_capture_opts.py ISAKMPDUMP WRITER_SELECT SOURCE_DIR
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

DUMP, SELECT, SRC = sys.argv[1], sys.argv[2], sys.argv[3]
TSHARK = shutil.which("tshark")
failures = []


def fail(what, detail=""):
    failures.append(what)
    print("FAIL:", what)
    if detail:
        print("  " + str(detail).replace("\n", "\n  "))


def run(args, stdin=None):
    p = subprocess.run([DUMP] + args, input=stdin, capture_output=True)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def tshark(args):
    p = subprocess.run([TSHARK, "-n"] + args, capture_output=True)
    return p.stdout.decode("utf-8", "replace")


def frames(path, extra=()):
    rc, out, err = run(list(extra) + ["-T", "fields", "-e", "frame.number", path])
    return rc, [int(x) for x in out.split()], err


SAMPLES = sorted(glob.glob(os.path.join(SRC, "samples", "*", "capture.pcap")))


def check_count():
    for cap in SAMPLES:
        name = os.path.basename(os.path.dirname(cap))
        _, full, _ = run([cap])
        for n in (1, 3, 7):
            rc, out, _ = run(["-c", str(n), cap])
            want = "".join(l for l in full.splitlines(True) if int(l.split()[0]) <= n)
            if rc != 0 or out != want:
                fail("%s -c %d" % (name, n), out)
    if TSHARK:
        # tshark's -c counts frames read, not frames shown: the first ESP
        # frame of this sample is the 5th, and -c 3 -Y esp shows none
        cap = os.path.join(SRC, "samples", "ikev2-natt-encap-libipsec-esp", "capture.pcap")
        for n in (3, 6):
            ws = [int(x) for x in tshark(["-r", cap, "-c", str(n), "-Y", "isakmp", "-T",
                                          "fields", "-e", "frame.number"]).split()]
            _, ours, _ = frames(cap, ["-c", str(n)])
            if ws != ours:
                fail("-c %d: frames %s, tshark %s" % (n, ours, ws))
    print("checked -c on %d samples" % len(SAMPLES))


# (libpcap filter, the same selection over tshark's fields of each frame)
FILTERS = [("udp port 4500", lambda f: "4500" in f["udp.port"].split(",")),
           ("src host 10.99.0.1", lambda f: f["ip.src"] == "10.99.0.1"),
           ("ip6", lambda f: f["ipv6.src"] != ""),
           ("greater 400", lambda f: int(f["frame.len"]) >= 400),
           # libpcap's udp[] indexes IPv4 only (pcap-filter(7))
           ("udp[8:4] = 0", lambda f: f["ip.src"] != "" and
            f["udp.payload"].startswith("00000000"))]
TS_FIELDS = ["frame.number", "udp.port", "ip.src", "ipv6.src", "frame.len", "udp.payload"]


def check_filter():
    for cap in SAMPLES:
        name = os.path.basename(os.path.dirname(cap))
        rows = []
        if TSHARK:
            a = ["-r", cap, "-Y", "isakmp", "-T", "fields"]
            for f in TS_FIELDS:
                a += ["-e", f]
            for line in tshark(a).splitlines():
                rows.append(dict(zip(TS_FIELDS, line.split("\t"))))
        for bpf, pred in FILTERS:
            rc, ours, err = frames(cap, ["-f", bpf])
            if rc != 0:
                fail("%s -f '%s': rc %d" % (name, bpf, rc), err)
            ws = [int(r["frame.number"]) for r in rows if pred(r)]
            if TSHARK and ws != ours:
                fail("%s -f '%s': frames %s, tshark's %s" % (name, bpf, ours, ws))
    rc, _, err = run(["-f", "no such filter (", SAMPLES[0]])
    if rc != 2 or "-f 'no such filter ('" not in err:
        fail("-f with a bad filter: rc %d" % rc, err)
    raw = os.path.join(CASES, "raw-ipv4.pcap")
    rc, _, err = run(["-f", "ether host 02:00:00:00:00:01", raw])
    if rc != 1 or "raw-ipv4.pcap: -f" not in err:
        fail("-f for another link type: rc %d" % rc, err)
    print("checked -f on %d samples, %d filters" % (len(SAMPLES), len(FILTERS)))


def same_frames_in_tshark(orig, written, what):
    if not TSHARK:
        return
    fields = ["-T", "fields", "-e", "frame.time_epoch", "-e", "frame.len", "-e", "frame.cap_len",
              "-e", "frame.protocols"]
    a, b = tshark(["-r", orig] + fields), tshark(["-r", written] + fields)
    if a != b:
        fail("%s: tshark reads other frames" % what, b[:300])


def micro(text):
    return re.sub(r"(\.\d{6})\d{3}\b", r"\1", text)


def check_write(tmp, cases):
    caps = SAMPLES + cases
    for cap in caps:
        name = os.path.basename(cap if cap in cases else os.path.dirname(cap))
        rc, want, _ = run(["-V", cap])
        if rc != 0:
            continue   # the error cases: nothing to write
        for fmt in ("pcap", "nsecpcap", "pcapng"):
            if "pcapng-sections" in cap and fmt != "pcapng":
                continue
            out = os.path.join(tmp, "w." + fmt)
            rc, printed, err = run(["-w", out, "-F", fmt, cap])
            if rc != 0 or printed:
                fail("%s -w -F %s: rc %d, printed %d bytes" % (name, fmt, rc, len(printed)), err)
                continue
            _, again, _ = run(["-V", out])
            # times print with the file's precision (6 or 9 digits): a microsecond
            # file written as nanoseconds shows the same times with three more zeros
            if micro(again) != micro(want):
                fail("%s -w -F %s: reread differs" % (name, fmt))
            if fmt == ("pcapng" if cap in cases else "pcap"):   # tshark takes a second each
                same_frames_in_tshark(cap, out, "%s -w -F %s" % (name, fmt))
    print("checked -w (pcap, nsecpcap, pcapng) on %d captures" % len(caps))
    cap = SAMPLES[0]
    out = os.path.join(tmp, "f.pcap")
    run(["-w", out, "-f", "udp port 500", "-c", "3", cap])
    _, got, _ = frames(out)
    _, want, _ = frames(cap, ["-f", "udp port 500", "-c", "3"])
    if len(got) != len(want) or not got:
        fail("-w with -f and -c: %s frames written, want %s" % (got, want))
    # -w - into a pipe; -P prints while writing
    p1 = subprocess.run([DUMP, "-w", "-", cap], capture_output=True)
    rc, piped, _ = run(["-r", "-"], stdin=p1.stdout)
    if p1.returncode or rc or piped != run([cap])[1]:
        fail("-w - | isakmpdump -r -")
    rc, printed, _ = run(["-w", os.path.join(tmp, "p.pcap"), "-P", cap])
    if rc or printed != run([cap])[1]:
        fail("-w -P: the lines are printed as without -w")
    mixed = [c for c in cases if "pcapng-sections" in c][0]
    rc, _, err = run(["-w", os.path.join(tmp, "m.pcap"), mixed])
    if rc != 1 or "use -F pcapng" not in err:
        fail("pcap output of several link types: rc %d" % rc, err)
    rc, _, err = run(["-w", "/nonexistent/dir/x.pcap", cap])
    if rc != 1 or "/nonexistent/dir/x.pcap" not in err:
        fail("-w into a missing folder: rc %d" % rc, err)
    print("checked -w with -f, -c, -w -, -P and its errors")


# frames each case's kept messages were built from (selected mode)
SELECTED = {"frag4-inorder": None, "frag4-reverse": None, "frag4-overlap": None,
            "frag4-interleaved": None, "frag6-inorder": None, "frag6-reverse": None,
            "frag4-missing": [4], "frag6-missing": [], "eth-ipv4": None, "natt": [1, 4],
            "tcp-inorder": [1, 2, 4, 5, 6, 7, 8, 9, 10], "tcp-ooo": [1, 2, 4, 5, 6, 7, 8],
            "tcp-two-in-one": None}


def frame_bytes(path):
    """Each frame's bytes, as tshark's -x hex dump (one block per frame)."""
    return [b for b in tshark(["-r", path, "-x"]).split("\n\n") if b.strip()]


def check_selected(tmp, d):
    fields = ["-T", "fields", "-e", "ike.ispi", "-e", "ike.length", "-e", "ip.src"]
    for name, want in SELECTED.items():
        cap = os.path.join(d, name + ".pcap")
        for fmt in ("pcap", "pcapng"):
            out = os.path.join(tmp, "sel." + fmt)
            p = subprocess.run([SELECT, cap, out, fmt], capture_output=True)
            if p.returncode:
                fail("writer_select %s: rc %d" % (name, p.returncode), p.stderr.decode())
                continue
            if run(fields + [out])[1] != run(fields + [cap])[1]:
                fail("selected %s (%s): the messages reread differ" % (name, fmt))
            if TSHARK and fmt == "pcapng":
                # the frames written, found by their bytes in the original
                orig = frame_bytes(cap)
                got = frame_bytes(out)
                # a message's earlier parts are written just before the frame
                # that completes it: compared as sets, by bytes (frag4-overlap
                # repeats a fragment)
                expect = want if want is not None else list(range(1, len(orig) + 1))
                if sorted(got) != sorted(orig[i - 1] for i in expect):
                    nums = [orig.index(g) + 1 if g in orig else None for g in got]
                    fail("selected %s: frames %s written, want %s" % (name, nums, expect))
    print("checked -w's selected mode on %d cases" % len(SELECTED))


def check_usage():
    cap = SAMPLES[0]
    for args, text in [(["-c", "0", cap], "bad frame count '0' for -c"),
                       (["-c", "x", cap], "bad frame count 'x' for -c"),
                       (["-s", "-1", "-i", "lo"], "bad snapshot length '-1' for -s"),
                       (["-F", "erf", "-w", "x", cap], "unknown file format 'erf' for -F"),
                       (["-P", cap], "-P needs -w FILE"),
                       (["-w", "-", "-P", cap], "-P with -w -"),
                       (["-i", "lo", cap], "-i and input files cannot be used together"),
                       ([], "no input file")]:
        rc, _, err = run(args)
        if rc != 2 or text not in err:
            fail("usage %s: rc %d" % (args, rc), err)
    rc, out, err = run(["-D"])
    if rc != 0 or not out.startswith("1. "):
        fail("-D: rc %d" % rc, out + err)
    print("checked usage errors and -D")


CASES = None


def main():
    global CASES
    tmp = tempfile.mkdtemp(prefix="isakmpdump-capopts-")
    try:
        d = CASES = os.path.join(tmp, "cases")
        subprocess.run([sys.executable, os.path.join(SRC, "tests/data/make-captures.py"), d],
                       check=True)
        cases = sorted(glob.glob(os.path.join(d, "*.pcap*")))
        check_count()
        check_filter()
        check_write(tmp, cases)
        check_selected(tmp, d)
        check_usage()
    finally:
        shutil.rmtree(tmp)


main()
if failures:
    print("%d failure(s)" % len(failures))
    sys.exit(1)
print("all capture option checks passed")
