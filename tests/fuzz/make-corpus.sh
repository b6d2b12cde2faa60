#!/usr/bin/env bash
# Builds the fuzzers' seed corpora at fuzz time (nothing large is committed):
#   make-corpus.sh OUTDIR [SOURCE_DIR]
# OUTDIR/<harness>/ gets:
#   decode    every ISAKMP message (UDP payload, non-ESP marker removed) of
#             samples/*/ and samples/pq/*/capture.pcap* and the peer suite's captures
#   decrypt   the same, each behind a key-set selector byte
#   sequence  one file per capture: its messages as [selector][len u16][bytes]
#   keys      the key tables / secrets / logs beside the captures
#   capture   the captures themselves (decompressed, at most 256 KiB)
#   filter    each display filter of tests/cli/check_filter.py, a NUL, then
#             one of the decode seeds (in turn)
#   esp       records of fuzz_esp.c (made here): an IPv4 ping, an IPv6 UDP
#             datagram and a transport-mode TCP segment, sealed for each SA, in
#             sequence (ESN, a replay, a far jump), and raw bytes
# Messages are extracted with tshark (-T fields -e udp.payload).
set -euo pipefail
out=${1:?usage: make-corpus.sh OUTDIR [SOURCE_DIR]}
top=${2:-$(cd "$(dirname "$0")/../.." && pwd)}
peer="$top/../shared/peer-suite"
for h in decode decrypt sequence keys capture filter esp; do mkdir -p "$out/$h"; done
command -v tshark >/dev/null || { echo "make-corpus: tshark not found; seeds from key files only" >&2; }

shopt -s nullglob
caps=("$top"/samples/*/capture.pcap* "$top"/samples/pq/*/capture.pcap* "$peer"/wireshark/*.pcap*
      "$peer"/wireshark-wiki/*.pcap* "$peer"/wireshark-wiki/*/*.pcap*)
keyfiles=()
for d in "$top"/samples/*/ "$top"/samples/pq/*/ "$peer"/wireshark/ "$peer"/wireshark-wiki/*/; do
  for f in "$d"*; do
    case "$f" in *.pcap|*.pcapng|*.gz|*.md|*readme|*.sh|*.py|*.tsv|*.pem|*.conf|*.json) continue;; esac
    [ -f "$f" ] && [ "$(stat -c %s "$f")" -le 65536 ] && keyfiles+=("$f")
  done
done

python3 - "$out" "${caps[@]}" <<'PY'
import gzip, hashlib, os, subprocess, sys
out, caps = sys.argv[1], sys.argv[2:]
def put(h, data):
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(out, h, name), "wb") as f:
        f.write(data)
for cap in caps:
    raw = open(cap, "rb").read()
    if cap.endswith(".gz"):
        raw = gzip.decompress(raw)
    if len(raw) <= 262144:
        put("capture", raw)
    try:
        lines = subprocess.run(["tshark", "-r", cap, "-Y", "isakmp", "-T", "fields",
                                "-e", "udp.srcport", "-e", "udp.dstport", "-e", "udp.payload"],
                               capture_output=True, text=True, check=False).stdout.splitlines()
    except FileNotFoundError:
        continue
    seq = bytearray()
    for line in lines:
        f = line.split("\t")
        if len(f) < 3 or not f[2]:
            continue
        msg = bytes.fromhex(f[2].replace(":", ""))
        natt = "4500" in (f[0], f[1])
        if natt and msg[:4] == b"\0\0\0\0":
            msg = msg[4:]
        put("decode", msg)
        put("decrypt", b"\0" + msg)
        if len(seq) < 60000:
            seq += bytes([0x40 if natt else 0, len(msg) >> 8, len(msg) & 255]) + msg
    if seq:
        put("sequence", bytes(seq))
PY
python3 - "$out" "$top/tests/cli/check_filter.py" <<'PY'
import ast, hashlib, os, sys
out, table = sys.argv[1], sys.argv[2]
tree = ast.parse(open(table).read())
filters = next(ast.literal_eval(n.value) for n in tree.body if isinstance(n, ast.Assign)
               and any(getattr(t, "id", "") == "FILTERS" for t in n.targets))
msgs = [open(os.path.join(out, "decode", f), "rb").read()
        for f in sorted(os.listdir(os.path.join(out, "decode")))] or [b""]
for i, expr in enumerate(filters):
    data = expr.encode() + b"\0" + msgs[i * 7 % len(msgs)]
    with open(os.path.join(out, "filter", hashlib.sha1(data).hexdigest()[:16]), "wb") as f:
        f.write(data)
PY
# keys: the daemon logs of tests/data/logs, and the texts the xfrm and pluto
# unit tests feed their readers (C string literals, macros expanded)
for f in "$top"/tests/data/logs/*/*/charon-*.log; do
  [ "$(stat -c %s "$f")" -le 65536 ] && keyfiles+=("$f")
done
python3 - "$out/keys" "$top"/tests/unit/test_xfrm.c "$top"/tests/unit/test_pluto.c <<'PY'
import hashlib, os, re, sys
out = sys.argv[1]
lit = r'"(?:[^"\\]|\\.)*"'
for src in sys.argv[2:]:
    text = open(src).read()
    macros = {m.group(1): m.group(2) for m in re.finditer(r'#define (\w+) (' + lit + r')', text)}
    for m in re.finditer(r'static const char \*\w+ =(.*?);', text, re.S):
        parts = re.findall(lit + r'|\b[A-Z][A-Z0-9_]*\b', m.group(1))
        body = "".join(macros.get(p, p)[1:-1] if not p.startswith('"') else p[1:-1] for p in parts)
        data = body.encode().decode("unicode_escape").encode("latin-1")
        with open(os.path.join(out, os.path.basename(src) + "-" + hashlib.sha1(data).hexdigest()[:8]), "wb") as f:
            f.write(data)
PY
python3 - "$out/esp" <<'PY'
import hashlib, os, struct, sys
out = sys.argv[1]
ping = bytes([0x45, 0, 0, 84, 0, 1, 0x40, 0, 64, 1, 0, 0, 10, 1, 0, 1, 10, 2, 0, 1, 8, 0, 0, 0]) + bytes(range(60))
udp6 = bytes([0x60, 0, 0, 0, 0, 16, 17, 64]) + bytes(15) + b"\1" + bytes(15) + b"\2" + struct.pack(">HHHH", 500, 500, 16, 0) + b"8 payload"[:8]
tcp = struct.pack(">HHIIBBHHH", 40000, 22, 1, 0, 0x50, 0x18, 512, 0, 0) + b"SSH-2.0-x\r\n"
def rec(sel, body):
    return bytes([sel]) + struct.pack(">H", len(body)) + body
def sealed(sel, seq, nh, inner, hi=0):
    return rec(sel, struct.pack(">IBB", seq, hi, nh) + inner)
for sa in range(8):
    for udp in (0, 32):
        seeds = [
            sealed(sa | udp, 1, 4, ping) + sealed(sa | udp, 2, 41, udp6) + sealed(sa | udp, 2, 6, tcp),
            sealed(sa | 16 | udp, 0xfffffffe, 4, ping) + sealed(sa | 16 | udp, 3, 4, ping, 1),
            sealed(sa | udp, 5, 59, b"") + sealed(sa | udp, 500, 4, ping) + sealed(sa | udp, 9, 4, ping),
            rec(sa | 8 | udp, struct.pack(">I", 1) + bytes(range(48))),
        ]
        for d in seeds:
            with open(os.path.join(out, hashlib.sha1(d).hexdigest()[:16]), "wb") as f:
                f.write(d)
PY
for f in "${keyfiles[@]}"; do
  cp "$f" "$out/keys/$(basename "$(dirname "$f")")-$(basename "$f")"
done
for h in decode decrypt sequence keys capture filter esp; do
  printf '%s=%s ' "$h" "$(ls "$out/$h" | wc -l)"
done
echo
