#!/usr/bin/env python3
"""Checks isakmpdump on the captures of tests/data/make-captures.py.

Usage: check_cli.py ISAKMPDUMP SOURCE_DIR

- every link type, IPv4/IPv6, fragment reassembly (in order, reversed,
  overlapping, missing, interleaved), TCP framing, NAT-T, pcapng sections,
  and the fields Wireshark 4.4 added (ws44-fields, with its own NAME.fields):
  the -T fields lines must equal NAME.expect; when tshark is installed the
  expectations themselves are checked against tshark first (except the TCP
  cases: tshark 4.0 has no RFC 9329 reassembly; and cases whose fields the
  installed tshark lacks);
- every output format on every capture: JSON validated against the schema;
- every -T fields case with 1, 2 and 3 decoding threads (--threads);
- standard input, -r, gzip, -j N, -E options, --stats;
- every error message and exit code.
"""
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

DUMP, SRC = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SRC, "tests", "cli"))
from jsonschema_mini import Validator  # noqa: E402

FIELDS = ["frame.number", "ip.src", "ipv6.src", "udp.srcport", "tcp.srcport", "ike.ispi",
          "ike.messageid", "ike.length"]
failures = []


def fail(what, detail=""):
    failures.append(what)
    print("FAIL:", what)
    if detail:
        print("  " + detail.replace("\n", "\n  "))


def run(args, stdin=None):
    p = subprocess.run([DUMP] + args, input=stdin, capture_output=True)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def fields_args(extra=(), fields=FIELDS):
    a = list(extra) + ["-T", "fields"]
    for f in fields:
        a += ["-e", f]
    return a


def tshark_fields(path, extra=(), fields=FIELDS):
    """tshark's lines, or None when it lacks one of the fields (tshark 4.0
    has none of those 4.4 added)."""
    a = ["tshark", "-r", path, "-Y", "isakmp", "-T", "fields"] + list(extra)
    for f in fields:
        a += ["-e", f.replace("ike.", "isakmp.", 1)]
    p = subprocess.run(a, capture_output=True)
    if p.returncode != 0 and b"aren't valid" in p.stderr:
        return None
    return p.stdout.decode()


def case_fields(d, name):
    """The fields of NAME.expect: NAME.fields when the case has its own."""
    path = os.path.join(d, name + ".fields")
    return open(path).read().split() if os.path.exists(path) else FIELDS


def main():
    tmp = tempfile.mkdtemp(prefix="isakmpdump-cli-")
    try:
        subprocess.run([sys.executable, os.path.join(SRC, "tests/data/make-captures.py"), tmp],
                       check=True)
        check_cases(tmp)
        check_formats(tmp)
        check_json_strings(tmp)
        check_inputs(tmp)
        check_options(tmp)
        check_tcp_long(tmp)
        check_big_batches(tmp)
        check_errors(tmp)
        check_habits(tmp)
    finally:
        shutil.rmtree(tmp)
    if failures:
        print("%d failures" % len(failures))
        return 1
    print("all passed")
    return 0


def capture_path(d, name):
    for ext in (".pcap", ".pcapng"):
        if os.path.exists(os.path.join(d, name + ext)):
            return os.path.join(d, name + ext)
    raise FileNotFoundError(name)


def cases(d):
    return sorted(f[:-7] for f in os.listdir(d) if f.endswith(".expect"))


def check_cases(d):
    have_tshark = shutil.which("tshark") is not None
    for name in cases(d):
        path = capture_path(d, name)
        expect = open(os.path.join(d, name + ".expect")).read()
        extra = ["-p", "5500"] if name == "port-5500" else []
        fields = case_fields(d, name)
        if have_tshark and not name.startswith("tcp-"):
            t_extra = ["-d", "udp.port==5500,isakmp"] if extra else []
            got = tshark_fields(path, t_extra, fields)
            if got is None:
                print("skip: tshark lacks the fields of %s" % name)
            elif got != expect:
                fail("expectation %s disagrees with tshark" % name, "tshark:\n" + got)
        for threads in ("1", "2", "3"):   # frames shared among threads: the same lines
            rc, out, err = run(["--threads", threads] + fields_args(extra, fields) + [path])
            if rc != 0 or out != expect:
                fail("fields %s --threads %s" % (name, threads),
                     "rc=%d\nexpected:\n%sgot:\n%s%s" % (rc, expect, out, err))


def check_formats(d):
    schema = json.load(open(os.path.join(SRC, "cli/isakmpdump-json.schema.json")))
    val = Validator(schema)
    caps = sorted(os.path.join(d, f) for f in os.listdir(d)
                  if f.endswith((".pcap", ".pcapng")) and not f.startswith(("bad-", "not-", "cut-")))
    for path in caps:
        for mode in ([], ["-V"], ["-V", "-x"], ["-T", "json"]):
            rc, out, err = run(["-p", "5500"] + mode + [path])
            if rc != 0 or err:
                fail("%s %s exits %d" % (" ".join(mode), path, rc), err)
            if mode == ["-T", "json"]:
                for i, line in enumerate(out.splitlines(), 1):
                    try:
                        errs = val.errors(json.loads(line), schema)
                    except ValueError as e:
                        errs = [str(e)]
                    if errs:
                        fail("json %s:%d" % (path, i), "; ".join(errs[:3]))
    # what the text outputs must say
    rc, out, _ = run([os.path.join(d, "natt.pcap")])
    lines = out.splitlines()
    if (len(lines) != 4 or "NAT-keepalive" not in lines[1]
            or "UDP IKEv2 IKE_SA_INIT MID=0x00000001" not in lines[0]
            or not lines[2].endswith(" UDP ESP SPI=0x12345678 seq=0")):
        fail("summary of natt.pcap", out)
    rc, out, _ = run(["-T", "json", os.path.join(d, "natt.pcap")])
    recs = [json.loads(l) for l in out.splitlines()]
    types = [r["type"] for r in recs]
    if types != ["ike", "nat-keepalive", "esp", "ike"] or recs[2]["spi"] != "12345678":
        fail("json record types of natt.pcap", repr(types))
    rc, out, _ = run(["-V", os.path.join(d, "truncated-frame.pcap")])
    if "truncated" not in out:
        fail("-V of a frame cut by the snap length shows no truncation note", out)
    rc, out, _ = run([os.path.join(d, "tcp-inorder.pcap")])
    if out.count(" TCP IKEv2 ") != 3:
        fail("summary of tcp-inorder.pcap", out)
    rc, out, _ = run([os.path.join(d, "eth-ipv6.pcap")])
    if not out.startswith("1 1700000000.000000 [2001:db8::1]:500 -> [2001:db8::2]:500 UDP IKEv2 "
                          "IKE_SA_INIT MID=0x00000000 Initiator Request [Nonce]"):
        fail("summary line of eth-ipv6.pcap", out)


def check_json_strings(d):
    """-T json's string escaping (out_json.c: sixteen bytes at a time,
    copied up to the first that needs care, the tail in a block of its
    own): ID_FQDN
    values with quotes, backslashes, control bytes, DEL, UTF-8 and invalid
    UTF-8 at every offset modulo 16 and after a first plain block, each read
    back by json.loads as the bytes up to the first NUL (UTF-8 when valid,
    else Latin-1, the schema's rule)."""
    sys.path.insert(0, os.path.join(SRC, "tests", "data"))
    import pcapgen as pg
    import struct
    specials = [b'"', b"\\", b"\t", b"\n", b"\x01", b"\x1f", b"\x7f", b"\xc3\xa9", b"\xff"]
    names = [b"plain ascii text, long enough for several words"]
    for k, sp in enumerate(specials):
        for off in list(range(17)) + [23, 31, 32, 40]:
            lead = (b"abcdefghijklmnop" * 3)[:off]
            names.append(lead + sp + b"-%d-tail after the special" % k)
    names.append(b"12345678\x00after the nul")
    frames = []
    for i, n in enumerate(names):
        idp = struct.pack("!BBH", 2, 17, 500) + n
        m = pg.ike_message([(5, idp)], version=0x10, exch=4, flags=0,
                           ispi=struct.pack("!Q", i + 1))
        frames.append(pg.eth(0x0800, pg.ipv4("192.0.2.1", "198.51.100.2", 17,
                                             pg.udp(500, 500, m))))
    path = os.path.join(d, "json-strings.pcap")
    pg.write_pcap(path, 1, frames)
    rc, out, err = run(["-T", "json", path])
    # the escapes themselves, not only what json.loads reads back: control
    # bytes and DEL written as \\uXXXX (DEL unescaped is valid JSON too)
    raw = [c for c in out if (ord(c) < 0x20 and c != "\n") or ord(c) == 0x7f]
    dels = sum(1 for n in names if b"\x7f" in n)
    if raw or out.count("\\u007f") != dels:
        fail("json-strings: bytes left unescaped", "%d raw, %d \\u007f for %d DELs"
             % (len(raw), out.count("\\u007f"), dels))
    got = []
    for line in out.splitlines():
        def find(o):
            if isinstance(o, dict):
                for k, v in o.items():
                    if k == "ike.id.data.fqdn":
                        got.append(v)
                    find(v)
            elif isinstance(o, list):
                for x in o:
                    find(x)
        try:
            find(json.loads(line))
        except ValueError as e:
            fail("json-strings: a line is not JSON", str(e) + "\n" + line)
    want = []
    for n in names:
        n = n.split(b"\0")[0]
        try:
            want.append(n.decode("utf-8"))
        except UnicodeDecodeError:
            want.append(n.decode("latin-1"))
    if rc != 0 or got != want:
        bad = [(w, g) for w, g in zip(want, got) if w != g][:3]
        fail("json-strings: -T json's ID_FQDN values", "rc=%d, %d values for %d; first "
             "differences: %r" % (rc, len(got), len(want), bad))


def check_inputs(d):
    path = os.path.join(d, "frag4-reverse.pcap")
    expect = open(os.path.join(d, "frag4-reverse.expect")).read()
    data = open(path, "rb").read()
    for args, stdin, what in ((["-"], data, "stdin"), (["-r", "-"], data, "-r -"),
                              (["-r", path], None, "-r FILE")):
        rc, out, err = run(fields_args() + args, stdin)
        if rc or out != expect:
            fail("input via %s" % what, out + err)
    ng = open(capture_path(d, "pcapng-sections"), "rb").read()
    rc, out, err = run(fields_args() + ["-"], ng)
    if rc or out != open(os.path.join(d, "pcapng-sections.expect")).read():
        fail("pcapng on stdin", out + err)
    gz = os.path.join(d, "frag4-reverse.pcap.gz")
    with gzip.open(gz, "wb") as f:
        f.write(data)
    for args, stdin in (([gz], None), (["-"], open(gz, "rb").read())):
        rc, out, err = run(fields_args() + args, stdin)
        if rc or out != expect:
            fail("gzip input %s" % args, out + err)
    # several files: sequential and -j give the same output, in file order
    names = cases(d)
    files = [capture_path(d, n) for n in names]
    seq = run(["-p", "5500"] + files)
    par = run(["-p", "5500", "-j", "3"] + files)
    if seq != par or seq[0] != 0:
        fail("-j 3 differs from sequential", par[2])
    if seq[1].count("\n# ") + seq[1].startswith("# ") != len(files):
        fail("file headers in multi-file text output")
    plain = [n for n in names if case_fields(d, n) == FIELDS]   # .expect in FIELDS columns
    files = [capture_path(d, n) for n in plain]
    fseq = run(["-p", "5500"] + fields_args() + files)
    fpar = run(["-p", "5500", "-j", "4"] + fields_args() + files)
    # with several files, a "# FILE" line before each file's lines
    joined = "".join("# %s\n" % capture_path(d, n) + open(os.path.join(d, n + ".expect")).read()
                     for n in plain)
    if fseq[1] != joined or fpar[1] != joined:
        fail("-T fields over several files (sequential / -j 4)")
    # an unreadable file among others: the rest is still decoded, exit 1
    rc, out, err = run(["-j", "2"] + fields_args() + [files[0], "/nonexistent.pcap", files[1]])
    want = ("# %s\n" % files[0] + open(os.path.join(d, plain[0] + ".expect")).read() +
            "# /nonexistent.pcap\n# %s\n" % files[1] +
            open(os.path.join(d, plain[1] + ".expect")).read())
    if rc != 1 or out != want or "/nonexistent.pcap: No such file or directory" not in err:
        fail("-j with a missing file", "rc=%d\n%s%s" % (rc, out, err))


def check_options(d):
    path = os.path.join(d, "tcp-two-in-one.pcap")
    rc, out, _ = run(["-T", "fields", "-E", "header=y", "-E", "separator=;", "-e",
                      "frame.number", "-e", "ike.messageid", path])
    if out != "frame.number;ike.messageid\n1;0x00000000,0x00000001\n":
        fail("-E header/separator", out)
    for occ, want in (("f", "0x00000000"), ("l", "0x00000001")):
        rc, out, _ = run(["-T", "fields", "-E", "occurrence=" + occ, "-e", "ike.messageid", path])
        if out != want + "\n":
            fail("-E occurrence=" + occ, out)
    rc, out, _ = run(["-T", "fields", "-E", "aggregator=/s", "-E", "quote=d", "-e",
                      "ike.messageid", path])
    if out != '"0x00000000 0x00000001"\n':
        fail("-E aggregator/quote", out)
    # a field in two columns, each with all its occurrences, in tree order
    rc, out, _ = run(["-T", "fields", "-E", "occurrence=l", "-e", "ike.messageid", "-e",
                      "frame.number", "-e", "ike.messageid", path])
    if out != "0x00000001\t1\t0x00000001\n":
        fail("-E occurrence=l with a field in two columns", out)
    rc, out, _ = run(["-T", "fields", "-e", "ike.messageid", "-e", "ike.messageid", path])
    if out != "0x00000000,0x00000001\t0x00000000,0x00000001\n":
        fail("a field in two columns", out)
    # booleans as tshark 4.2+ prints them by default, as 4.0 with compat=4.0
    # (the first IKE_SA_INIT request: Initiator flag set, Response flag clear)
    for compat, want in (([], "True\tFalse\n"), (["-E", "compat=4.4"], "True\tFalse\n"),
                         (["-E", "compat=4.0"], "1\t0\n")):
        rc, out, _ = run(["-T", "fields", "-E", "occurrence=f"] + compat +
                         ["-e", "ike.flag_i", "-e", "ike.flag_r", os.path.join(d, "eth-ipv4.pcap")])
        if out.splitlines(True)[:1] != [want]:
            fail("-T fields booleans with %s" % (compat or "the default"), out)
    rc, out, err = run(["--stats", os.path.join(d, "natt.pcap")])
    if "4 frames" not in err or "1 NAT keepalives, 1 ESP" not in err:
        fail("--stats on natt.pcap", err)
    rc, out, err = run(["--stats", os.path.join(d, "frag4-missing.pcap")])
    if "0 reassembled, 1 incomplete dropped" not in err:
        fail("--stats on frag4-missing.pcap", err)
    rc, out, err = run(["--stats", os.path.join(d, "tcp-inorder.pcap")])
    if "3 IKE messages (3 over TCP)" not in err or "1 ESP" not in err:
        fail("--stats on tcp-inorder.pcap", err)
    rc, out, err = run(["--stats", os.path.join(d, "tcp-holes.pcap")])
    if "6 TCP segments/bytes not used" not in err:   # 70 holes, 64 ranges kept
        fail("--stats on tcp-holes.pcap", err)
    rc, out, err = run(["--stats", os.path.join(d, "jumbogram.pcapng")])
    if "1 IPv6 jumbograms, 0 messages over 16 MiB not decoded" not in err:
        fail("--stats on jumbogram.pcapng", err)
    rc, out, _ = run(["--help"])
    if rc or "Usage: isakmpdump" not in out:
        fail("--help")
    rc, out, _ = run(["--version"])
    if rc or not out.startswith("isakmpdump "):
        fail("--version")
    rc, out, _ = run(["-G", "fields"])
    if rc or "\tike.ispi\tFT_BYTES\t" not in out or not out.startswith("P\t"):
        fail("-G fields")


def check_habits(d):
    """tshark habits and the capture fields (#19): isakmp.X as ike.X, -E
    header=yes|no, quote= on empty values, -G fields, the file field and
    marker, frame lengths, VLAN IDs, -v notes, the -V header lines."""
    v4 = os.path.join(d, "eth-ipv4.pcap")
    a = run(["-T", "fields", "-e", "isakmp.ispi", "-e", "isakmp.messageid", v4])
    b = run(["-T", "fields", "-e", "ike.ispi", "-e", "ike.messageid", v4])
    if a != b or a[0] != 0 or not a[1]:
        fail("isakmp.X read as ike.X", repr(a))
    for val, head in (("yes", True), ("Y", True), ("no", False), ("n", False)):
        rc, out, _ = run(["-T", "fields", "-E", "header=" + val, "-e", "isakmp.ispi", v4])
        if rc or out.startswith("isakmp.ispi\n") != head:
            fail("-E header=" + val, out)
    rc, out, _ = run(["-T", "fields", "-E", "quote=d", "-e", "frame.number", "-e",
                      "ipv6.src", "-e", "ike.ispi", v4])
    if out.splitlines()[0] != '"1"\t\t"0101010101010101"':
        fail("-E quote=d leaves an empty value empty", out)
    rc, out, _ = run(["-G", "fields"])
    for want in ("P\tFrame\tframe\n", "F\tArrival Time\tframe.time\tFT_ABSOLUTE_TIME\tframe\t",
                 "F\tSource or Destination Port\tudp.port\tFT_UINT16\tudp\tBASE_PT_UDP\t0x0\t",
                 "F\tID\tvlan.id\tFT_UINT16\tvlan\tBASE_DEC\t0xfff\tVLAN ID\n",
                 "\tfile\tFT_STRING\t"):
        if want not in out:
            fail("-G fields lists %r" % want)
    v6 = os.path.join(d, "eth-ipv6.pcap")
    rc, out, _ = run(["-T", "fields", "-e", "file", "-e", "frame.number", v4, v6])
    if out.count("# ") or out.splitlines()[0] != v4 + "\t1" or out.splitlines()[-1] != v6 + "\t1":
        fail("-e file with several files (no marker lines)", out)
    rc, out, _ = run(["-T", "fields", "-E", "header=y", "-e", "frame.number", v4, v6])
    if out != "frame.number\n# %s\n1\n2\n# %s\n1\n" % (v4, v6):
        fail("-T fields file markers after one header", out)
    rc, out, _ = run(["-T", "fields", "-e", "frame.len", "-e", "frame.cap_len",
                      os.path.join(d, "truncated-frame.pcap")])
    lens = out.split()
    if len(lens) != 2 or int(lens[0]) <= int(lens[1]):
        fail("frame.len above frame.cap_len for a frame cut by the snap length", out)
    for name, want in (("eth-vlan", "10"), ("eth-qinq", "10"), ("eth-ipv4", "")):
        rc, out, _ = run(["-T", "fields", "-e", "vlan.id", os.path.join(d, name + ".pcap")])
        if out.splitlines()[0] != want:
            fail("vlan.id of " + name, out)
    rc, out, _ = run(["-T", "fields", "-e", "eth.src", "-e", "eth.dst", "-e", "udp.port", v4])
    if not re.match(r"^([0-9a-f]{2}:){5}[0-9a-f]{2}\t([0-9a-f]{2}:){5}[0-9a-f]{2}\t500,500\n",
                    out):
        fail("eth.src, eth.dst, udp.port", out)
    rc, out, _ = run(["-V", v4])
    if "    Version: 2.0\n" not in out or "    Flags: 0x08 (Initiator, No higher version, Request)\n" not in out:
        fail("-V header version and flags", out)
    trunc = os.path.join(d, "truncated-frame.pcap")
    quiet = run([trunc])[1]
    one = run(["-v", trunc])[1]
    if not re.search(r" \(\d+ notes?\)$", quiet.splitlines()[0]) or \
            not re.search(r" \(\d+ notes?: [^;]+\)$", one.splitlines()[0]):
        fail("-v shows the first note's text", quiet + one)
    for t in ("a", "ad", "adoy", "d", "dd", "e", "r", "u", "ud", "udoy"):
        rc, out, err = run(["-t", t, v4])
        if rc or err or len(out.splitlines()) != 2:
            fail("-t " + t, out + err)
    rc, out, _ = run(["-t", "ud", v4])
    if not out.startswith("1 2023-11-14 22:13:20.000000 "):
        fail("-t ud", out)
    rc, out, _ = run(["-t", "r", v4])
    if out.splitlines()[1].split()[1] != "0.001000":
        fail("-t r", out)


def check_tcp_long(d):
    """A TCP stream over twice the 128 KiB reassembly window, each third
    segment sent two early and one retransmitted: the window is compacted many
    times while it holds bytes past the contiguous part; every message comes
    out, in order."""
    sys.path.insert(0, os.path.join(SRC, "tests", "data"))
    import struct
    from pcapgen import eth, ike_v2, ipv4, tcp, write_pcap
    n = 60
    stream = b"IKETCP"
    for i in range(n):
        m = b"\0\0\0\0" + ike_v2(ispi=struct.pack("!Q", 0x1000 + i), mid=i, nonce_len=4000 + i)
        stream += struct.pack("!H", len(m) + 2) + m
    segs = [(o, stream[o:o + 1400]) for o in range(0, len(stream), 1400)]
    for k in range(0, len(segs) - 2, 3):
        segs[k:k + 3] = [segs[k + 2], segs[k], segs[k + 1]]
    segs.insert(len(segs) // 2, segs[len(segs) // 3])
    isn = 0xfffff000   # the sequence numbers wrap as well
    frames = [eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 6,
                               tcp(40000, 4500, (isn + o) & 0xffffffff, 1, data)))
              for o, data in [(-1, b"")] + segs]
    frames[0] = eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 6,
                                 tcp(40000, 4500, (isn - 1) & 0xffffffff, 0, b"", 0x02)))
    path = os.path.join(d, "tcp-long.pcap")
    write_pcap(path, 1, frames)
    rc, out, err = run(["--stats", "-T", "fields", "-e", "ike.messageid", path])
    want = "".join("0x%08x\n" % i for i in range(n))
    if rc or "".join(l.split(",")[0] + "\n" for l in out.splitlines()) != want or \
            "%d IKE messages (%d over TCP)" % (n, n) not in err:
        fail("a TCP stream longer than the reassembly window", out + err)


def check_big_batches(d):
    """Frames of 60 KB messages: a --threads batch ends at 4 MiB of messages
    before its 4,096 frames (bounded memory); the lines are one thread's."""
    sys.path.insert(0, os.path.join(SRC, "tests", "data"))
    import struct
    from pcapgen import eth, ike_v2, ipv4, udp, write_pcap
    frames = []
    for i in range(150):
        size = 60000 if i % 3 else 40
        m = ike_v2(ispi=struct.pack("!Q", 0x2000 + i), mid=i, nonce_len=size)
        frames.append(eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 17, udp(500, 500, m))))
    path = os.path.join(d, "big-batches.pcap")
    write_pcap(path, 1, frames)
    args = ["-T", "fields", "-e", "frame.number", "-e", "ike.messageid", "-e", "ike.length", path]
    rc1, one, err1 = run(["--threads", "1"] + args)
    rc2, two, err2 = run(["--threads", "2"] + args)
    if rc1 or rc2 or len(one.splitlines()) != 150 or one != two:
        fail("--threads 2 on 60 KB messages (batches ended by size)", one[:300] + err1 + err2)


def check_errors(d):
    cap = os.path.join(d, "eth-ipv4.pcap")
    cases_ = [
        (["/nonexistent.pcap"], 1, "isakmpdump: /nonexistent.pcap: No such file or directory"),
        ([d], 1, "isakmpdump: %s: is a directory" % d),
        ([os.path.join(d, "not-a-capture.pcap")], 1,
         "isakmpdump: %s: unknown file format" % os.path.join(d, "not-a-capture.pcap")),
        ([os.path.join(d, "bad-linktype.pcap")], 1,
         "isakmpdump: %s: unsupported link type 147" % os.path.join(d, "bad-linktype.pcap")),
        ([os.path.join(d, "cut-short.pcap")], 1,
         "isakmpdump: %s: truncated dump file; tried to read 106 captured bytes, only got 86"
         % os.path.join(d, "cut-short.pcap")),
        ([], 2, "isakmpdump: no input file (see isakmpdump --help)"),
        (["-Z", cap], 2, "isakmpdump: unknown option '-Z' (see isakmpdump --help)"),
        (["--bogus", cap], 2, "isakmpdump: unknown option '--bogus' (see isakmpdump --help)"),
        ([cap, "-r"], 2, "isakmpdump: option '-r' needs a value (see isakmpdump --help)"),
        (["-T", "xml", cap], 2,
         "isakmpdump: unknown output format 'xml' for -T (text, json, fields) (see isakmpdump --help)"),
        (["-T", "fields", cap], 2,
         "isakmpdump: -T fields needs at least one -e FIELD (see isakmpdump --help)"),
        (["-e", "ike.ispi", cap], 2, "isakmpdump: -e needs -T fields (see isakmpdump --help)"),
        (["-T", "fields", "-e", "isakmp.ispy", cap], 2,
         "isakmpdump: unknown field 'isakmp.ispy' (did you mean 'isakmp.ispi'?)"),
        (["-T", "fields", "-e", "frame.numbr", cap], 2,
         "isakmpdump: unknown field 'frame.numbr' (did you mean 'frame.number'?)"),
        (["-T", "fields", "-e", "ip.adr", cap], 2,
         "isakmpdump: unknown field 'ip.adr' (did you mean 'ip.addr'?)"),
        (["-t", "x", cap], 2, "isakmpdump: unknown time format 'x' for -t (a, ad, adoy, d, dd, "
         "e, r, u, ud, udoy) (see isakmpdump --help)"),
        (["-T", "fields", "-e", "ike.ispi", "-E", "header=maybe", cap], 2,
         "isakmpdump: bad -E option 'header=maybe' (see isakmpdump --help)"),
        (["-T", "fields", "-e", "ike.rsip", cap], 2,
         "isakmpdump: unknown field 'ike.rsip' (did you mean 'ike.rspi'?)"),
        (["-T", "fields", "-e", "zzzzzzzzzzzzzzzzzz", cap], 2,
         "isakmpdump: unknown field 'zzzzzzzzzzzzzzzzzz' (isakmpdump -G fields lists them)"),
        (["-T", "fields", "-e", "ike.ispi", "-E", "bogus=1", cap], 2,
         "isakmpdump: bad -E option 'bogus=1' (see isakmpdump --help)"),
        (["-p", "70000", cap], 2,
         "isakmpdump: bad port '70000' for -p (1-65535, optionally /natt) (see isakmpdump --help)"),
        (["-j", "0", cap], 2, "isakmpdump: bad job count '0' for -j (1-256) (see isakmpdump --help)"),
        (["-G", "protocols"], 2, "isakmpdump: unknown report 'protocols' for -G (fields) (see isakmpdump --help)"),
        (["-"], 1, "isakmpdump: -: empty file"),
    ]
    for args, code, msg in cases_:
        rc, out, err = run(args, b"" if args == ["-"] else None)
        if rc != code or err.strip() != msg:
            fail("error for %r" % (args,), "want %d %r\ngot  %d %r" % (code, msg, rc, err.strip()))
    # a pcapng interface of an unknown link type: said once, the rest decoded, exit 1
    bad = os.path.join(d, "bad-iface.pcapng")
    rc, out, err = run(["-T", "fields", "-e", "frame.number", "-e", "ike.ispi", bad])
    want_err = ("isakmpdump: %s: unsupported link type 147: its frames are skipped\n"
                "isakmpdump: %s: frames with unsupported link types were skipped\n" % (bad, bad))
    if rc != 1 or out != "2\t0101010101010101\n" or err != want_err:
        fail("pcapng with an unsupported interface", "rc=%d\n%s%s" % (rc, out, err))
    # an error after good frames: they are printed, the error follows, exit 1
    rc, out, err = run([os.path.join(d, "cut-short.pcap")])
    if rc != 1 or out.count("\n") != 1:
        fail("frames before a truncated record are printed", out + err)
    check_file_errors(d)
    check_usage_errors(d)
    check_key_errors(d)


def check_file_errors(d):
    """Each unusable input: one line naming it, exit 1, the next file still
    decoded (sequentially and with -j)."""
    good = os.path.join(d, "eth-ipv4.pcap")
    good_out = run(fields_args() + [good])[1]
    data = open(good, "rb").read()
    empty = os.path.join(d, "empty.pcap")
    open(empty, "wb").close()
    short_hdr = os.path.join(d, "short-header.pcap")
    with open(short_hdr, "wb") as f:
        f.write(data[:10])
    ng = open(capture_path(d, "pcapng-sections"), "rb").read()
    short_ng = os.path.join(d, "short-header.pcapng")
    with open(short_ng, "wb") as f:
        f.write(ng[:10])
    cases_ = [
        (empty, "empty file"),
        (os.path.join(d, "tiny.pcap"), "too short to be a capture file"),
        (short_hdr, "truncated dump file: the pcap file header is cut short"),
        (d, "is a directory"),
        ("/nonexistent.pcap", "No such file or directory"),
        (os.path.join(d, "bad-linktype.pcap"), "unsupported link type 147"),
        (os.path.join(d, "not-a-capture.pcap"), "unknown file format"),
    ]
    with open(cases_[1][0], "wb") as f:
        f.write(b"\xd4\xc3")
    for path, why in cases_:
        for jobs in ([], ["-j", "2"]):
            rc, out, err = run(fields_args() + jobs + [path, good])
            want_out = "# %s\n# %s\n%s" % (path, good, good_out)
            if rc != 1 or out != want_out or err != "isakmpdump: %s: %s\n" % (path, why):
                fail("input error %s %s" % (" ".join(jobs), path),
                     "want 1 %r\ngot  %d %r\n%s" % (why, rc, err, out))
    # a pcapng cut inside its section header block
    rc, out, err = run(fields_args() + [short_ng, good])
    want_out = "# %s\n# %s\n%s" % (short_ng, good, good_out)
    if rc != 1 or out != want_out or err.count("\n") != 1 or short_ng not in err:
        fail("pcapng cut in its header", "rc=%d\n%s" % (rc, err))
    # unreadable: only a user without root's override can see it
    locked = os.path.join(d, "locked.pcap")
    with open(locked, "wb") as f:
        f.write(data)
    os.chmod(locked, 0)
    cmd = [DUMP] + fields_args() + [locked, good]
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            print("setpriv missing: unreadable-file check skipped")
            return
        os.chmod(d, 0o755)
        os.chmod(good, 0o644)
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + cmd
    p = subprocess.run(cmd, capture_output=True)
    # a coverage build run as nobody cannot write its .gcda files: libgcov
    # says so on stderr, which is not isakmpdump's output
    err = "".join(l for l in p.stderr.decode().splitlines(True)
                  if not l.startswith("profiling:"))
    want_out = "# %s\n# %s\n%s" % (locked, good, good_out)
    if p.returncode != 1 or p.stdout.decode() != want_out or \
            err != "isakmpdump: %s: Permission denied\n" % locked:
        fail("unreadable input", "rc=%d %r" % (p.returncode, err))


def check_usage_errors(d):
    """Bad option values: one line, exit 2, nothing on standard output."""
    cap = os.path.join(d, "eth-ipv4.pcap")
    fe = ["-T", "fields", "-e", "ike.ispi"]
    usage = " (see isakmpdump --help)"
    cases_ = [
        (fe + ["-E", "header=maybe", cap], "bad -E option 'header=maybe'" + usage),
        (fe + ["-E", "quote", cap], "bad -E option 'quote'" + usage),
        (fe + ["-E", "compat=3.6", cap], "bad -E option 'compat=3.6'" + usage),
        (fe + ["-E", "occurrence=x", cap], "bad -E option 'occurrence=x'" + usage),
        (fe + ["-E", "separator=", cap], "bad -E option 'separator='" + usage),
        (["-p", "abc", cap], "bad port 'abc' for -p (1-65535, optionally /natt)" + usage),
        (["-p", "0", cap], "bad port '0' for -p (1-65535, optionally /natt)" + usage),
        (["-p", "500/nat", cap], "bad port '500/nat' for -p (1-65535, optionally /natt)" + usage),
        (["-j", "x", cap], "bad job count 'x' for -j (1-256)" + usage),
        (["--threads", "0", cap], "bad thread count '0' for --threads (1-64)" + usage),
        (["--threads", "2x", cap], "bad thread count '2x' for --threads (1-64)" + usage),
        (["-j", "257", cap], "bad job count '257' for -j (1-256)" + usage),
        (["-T", "fields", "-e", "ike.isp", cap], "unknown field 'ike.isp' (did you mean 'ike.ispi'?)"),
        (["--fail-on", "high", cap],
         "--audit-rules, --fail-on and --report-max-sa need --report" + usage),
        (["--report", "--report-max-sa", "0", cap],
         "bad SA count '0' for --report-max-sa (1-100000000)" + usage),
        (["--report", "--fail-on", "severe", cap], "unknown severity 'severe' for --fail-on "
         "(info, low, medium, high, critical)" + usage),
        (["--export-keys"], "option '--export-keys' needs a value" + usage),
        ([cap, "--report-max-sa"], "option '--report-max-sa' needs a value" + usage),
        (["--stats=yes", cap], "option '--stats' takes no value" + usage),
        (["--bogus=1", cap], "unknown option '--bogus'" + usage),
        (["-j"], "option '-j' needs a value" + usage),
        (["--mutate", "3", cap], "--mutate needs -w and no -Y" + usage),
        (["--mutate", "0", "-w", "/dev/null", cap],
         "bad mutant count '0' for --mutate (1-100000)" + usage),
        (["--seed", "x1", "--mutate", "1", "-w", "/dev/null", cap], "bad seed 'x1' for --seed" + usage),
        (["--seed", "7", "-w", "/dev/null", cap], "--seed and --mutate-break go with --mutate" + usage),
        (["--mutate-break", "-w", "/dev/null", cap], "--seed and --mutate-break go with --mutate" + usage),
    ]
    for args, msg in cases_:
        rc, out, err = run(args)
        if rc != 2 or out or err != "isakmpdump: %s\n" % msg:
            fail("usage error %r" % (args,), "want 2 %r\ngot  %d %r %r" % (msg, rc, err, out))
    # -j with one file is the same as without
    base = run(fields_args() + [cap])
    for j in ("1", "4"):
        if run(["-j", j] + fields_args() + [cap]) != base or base[0]:
            fail("-j %s with one file" % j)


def check_key_errors(d):
    """-k problems: file:line reasons (or file: reason), exit 1, the capture
    is still decoded."""
    cap = os.path.join(d, "eth-ipv4.pcap")
    want_out = run(fields_args() + [cap])[1]
    bad = os.path.join(d, "bad.keys")
    with open(bad, "w") as f:
        f.write('PSK * "secret"\nBOGUS line\nIKEV2_DH_SHARED 12 ab\n')
    unknown = os.path.join(d, "unknown.keys")
    with open(unknown, "w") as f:
        f.write("hello, world\n")
    cases_ = [
        (bad, "%s:2: unknown keyword\n"
              "isakmpdump: %s:3: bad cookie / SPI: want 16 hex digits or *" % (bad, bad)),
        ("/nonexistent.keys", "/nonexistent.keys: No such file or directory"),
        (d, "%s: is a directory" % d),
        (unknown, "%s: unknown key file format" % unknown),
    ]
    # an empty table (strongSwan's save-keys leaves one for ciphers Wireshark
    # cannot name; Wireshark writes a comment header) is valid: a note, exit 0
    for text in ("", "# This file is automatically generated, DO NOT MODIFY.\n\n"):
        empty = os.path.join(d, "esp_sa")
        with open(empty, "w") as f:
            f.write(text)
        for extra in ([], ["--stats"]):
            rc, out, err = run(extra + ["-k", empty] + fields_args() + [cap])
            note = "isakmpdump: %s: note: empty: no keys in it\n" % empty
            if rc or out != want_out or not err.startswith(note) or \
                    (extra and "%s: empty table: 0 entries\n" % empty not in err):
                fail("empty key table %r %s" % (text, extra), "rc=%d %r" % (rc, err))
        os.remove(empty)
    for path, msg in cases_:
        for jobs in ([], ["-j", "2"]):
            rc, out, err = run(jobs + ["-k", path] + fields_args() + [cap])
            if rc != 1 or out != want_out or err != "isakmpdump: %s\n" % msg:
                fail("key file error %s %s" % (" ".join(jobs), path),
                     "want 1 %r\ngot  %d %r" % (msg, rc, err))
    rc, out, err = run(["-k", "/nonexistent.keys", "-k", bad] + fields_args() + [cap, cap])
    if rc != 1 or out != ("# %s\n" % cap + want_out) * 2 or err.count("\n") != 3:
        fail("key errors are said once, not per input file", err)
    check_exports(d)


def check_exports(d):
    """--export-keys / --export-psk-crack over several files give one set: the
    union of what each file gives alone."""
    a = os.path.join(SRC, "samples", "ikev1-aggressive-psk-aes256-sha256")
    b = os.path.join(SRC, "samples", "ikev2-psk-aes256-sha256-ecp256")
    if not (os.path.exists(os.path.join(a, "secrets.txt")) and
            os.path.exists(os.path.join(b, "secrets.txt"))):
        print("samples missing: export checks skipped")
        return
    keys = ["-k", os.path.join(a, "secrets.txt"), "-k", os.path.join(b, "secrets.txt")]
    caps = [os.path.join(a, "capture.pcap"), os.path.join(b, "capture.pcap")]
    tables = ("ikev1_decryption_table", "ikev2_decryption_table", "esp_sa")
    alone = {t: "" for t in tables}
    for i, c in enumerate(caps):
        out = os.path.join(d, "keys-%d" % i)
        rc, _, err = run(["--export-keys", out] + keys + [c])
        if rc or err:
            fail("--export-keys %s" % c, err)
        for t in tables:
            alone[t] += open(os.path.join(out, t)).read()
    if not alone["ikev1_decryption_table"] or not alone["ikev2_decryption_table"]:
        fail("--export-keys derived no IKEv1 or IKEv2 keys from the samples' secrets")
    for jobs in ([], ["-j", "2"]):
        out = os.path.join(d, "keys-both" + "".join(jobs))
        rc, _, err = run(jobs + ["--export-keys", out] + keys + caps)
        for t in tables:
            got = open(os.path.join(out, t)).read() if os.path.exists(os.path.join(out, t)) else None
            if rc or err or got != alone[t]:
                fail("--export-keys %s over two files: %s" % (" ".join(jobs), t),
                     "rc=%d %s\nwant:\n%sgot:\n%s" % (rc, err, alone[t], got))
    psk = os.path.join(d, "am.txt")
    with open(psk, "w") as f:   # a line of another exchange stays
        f.write("aa:bb:1111111111111111:2222222222222222:00:00:00:00:00\n")
    rc, _, err = run(["--export-psk-crack", psk] + caps + [caps[0]])
    lines = open(psk).read().splitlines() if os.path.exists(psk) else []
    if rc or err or len(lines) != 2 or len(lines[1].split(":")) != 9 or \
            not lines[0].startswith("aa:bb:") or os.stat(psk).st_mode & 0o777 != 0o600:
        fail("--export-psk-crack over three files (one line per exchange, merged)",
             "rc=%d %s %r" % (rc, err, lines))
    for n in (1, 2):   # each table written once: one error for any number of inputs
        rc, _, err = run(["--export-keys", os.path.join(caps[0], "x")] + keys + caps[:n])
        if rc != 1 or not err.startswith("isakmpdump: --export-keys: ") or err.count("\n") != 1:
            fail("--export-keys into a file's path, %d inputs" % n, "rc=%d %r" % (rc, err))
    check_export_merge(d, keys, caps, alone)


def check_export_merge(d, keys, caps, alone):
    """--export-keys DIR never destroys: the man page's own example is
    ~/.config/wireshark, where the user's tables are."""
    out = os.path.join(d, "wireshark")
    os.makedirs(out)
    other = ('"IPv4","192.0.2.1","192.0.2.2","0x00000001","NULL","","NULL",""\n'
             '"IPv4","192.0.2.2","192.0.2.1","0x00000002","NULL","","NULL",""\n')
    mine = alone["esp_sa"].splitlines(True)
    stale = mine[0].replace('"AES-CBC [RFC3602]"', '"NULL"')   # an old row for one of our SAs
    with open(os.path.join(out, "esp_sa"), "w") as f:
        f.write("# This file is automatically generated, DO NOT MODIFY.\n" + other + stale)
    os.chmod(os.path.join(out, "esp_sa"), 0o644)
    rc, _, err = run(["--export-keys", out] + keys + caps)
    got = open(os.path.join(out, "esp_sa")).read()
    want = "# This file is automatically generated, DO NOT MODIFY.\n" + other + "".join(mine)
    if rc or err or got != want:
        fail("--export-keys merges into existing tables (two rows kept, same SA replaced)",
             "rc=%d %s\nwant:\n%sgot:\n%s" % (rc, err, want, got))
    for t in ("ikev1_decryption_table", "ikev2_decryption_table", "esp_sa"):
        mode = os.stat(os.path.join(out, t)).st_mode & 0o777
        if mode != 0o600:
            fail("--export-keys: %s is 0600" % t, oct(mode))
    rc, _, err = run(["--export-keys", out] + keys + caps)
    if open(os.path.join(out, "esp_sa")).read() != want:
        fail("--export-keys twice: no duplicate rows")
    made = os.path.join(d, "new", "keys")
    run(["--export-keys", made] + keys + caps[:1])
    if os.stat(made).st_mode & 0o777 != 0o700:
        fail("--export-keys: a folder it creates is 0700", oct(os.stat(made).st_mode))
    target = os.path.join(d, "target")
    with open(target, "w") as f:
        f.write("precious\n")
    trap = os.path.join(d, "trap")
    os.makedirs(trap)
    os.symlink(target, os.path.join(trap, "ikev2_decryption_table"))
    rc, _, err = run(["--export-keys", trap] + keys + caps)
    if rc != 1 or "symbolic link" not in err or open(target).read() != "precious\n" or \
            os.listdir(trap) != ["ikev2_decryption_table"]:
        fail("--export-keys: a planted symbolic link is not followed",
             "rc=%d %r %r" % (rc, err, os.listdir(trap)))
    # ESP keys from `ip xfrm state` output go to esp_sa; a pluto log without
    # plutodebug=private says so, exit 0
    xfrm = os.path.join(d, "xfrm.txt")
    with open(xfrm, "w") as f:
        f.write("src 192.0.2.1 dst 192.0.2.2\n\tproto esp spi 0x00c0ffee reqid 1 mode tunnel\n"
                "\treplay-window 0 \n\tauth-trunc hmac(sha1) 0x%s 96\n\tenc cbc(aes) 0x%s\n"
                % ("ab" * 20, "cd" * 16))
    rc, out, err = run(["-k", xfrm, "--export-keys", "-"] + caps[:1])
    row = '"IPv4","192.0.2.1","192.0.2.2","0x00c0ffee","AES-CBC [RFC3602]","0x%s",' \
          '"HMAC-SHA-1-96 [RFC2404]","0x%s"\n' % ("cd" * 16, "ab" * 20)
    if rc or err or row not in out:
        fail("-k ip xfrm state output: esp_sa row exported", "rc=%d %r" % (rc, err))
    pluto = os.path.join(d, "pluto.log")
    with open(pluto, "w") as f:
        f.write('Dec  6 17:00:00 west pluto[99]: "west-east" #1: initiating IKEv2 connection\n')
    rc, out, err = run(["-k", pluto] + caps[:1])
    if rc or err != "isakmpdump: %s: note: pluto log without plutodebug=private: no keys in it\n" \
            % pluto:
        fail("-k pluto log without plutodebug=private", "rc=%d %r" % (rc, err))
    os.symlink(target, os.path.join(d, "am-link"))
    rc, _, err = run(["--export-psk-crack", os.path.join(d, "am-link")] + caps[:1])
    if rc != 1 or "symbolic link" not in err or open(target).read() != "precious\n":
        fail("--export-psk-crack: a symbolic link is not followed", "rc=%d %r" % (rc, err))


if __name__ == "__main__":
    sys.exit(main())
