#!/usr/bin/env bash
# ESP decryption on every sample with ESP traffic (#21), from the PSK and DH
# secrets alone (the SKEYSEED / SKEYID lines of secrets.txt are removed):
#   1. --stats --esp: every ESP packet decrypted, its ICV verified (none
#      failed, none without a key);
#   2. --decrypt-esp -w inner.pcap: tshark reads the inner packets as the same
#      IP traffic (addresses, protocol, lengths, ICMP type / sequence, payload
#      bytes) that tshark shows when it decrypts the capture itself with the
#      sample's exported esp_sa;
#   3. the pings' payload is iputils ping's pattern (bytes 0x10, 0x11, ...
#      after the time stamp): what was sent;
#   4. -F pcapng: each inner packet's comment names the SA;
#   5. --report: each established child SA's traffic each way, all decrypted;
#   6. -T fields -e esp.spi ... esp.protocol equal tshark's, and -Y on esp.*;
#   7. the samples with a TCP stream (samples/generate tcp_stream): both
#      directions' bytes equal the pattern sent.
# A sample whose config.json says "tshark_cannot_decrypt" (ChaCha20-Poly1305)
# has no esp_sa: its checks are ours only.
# Usage: run-esp.sh BUILD_DIR SOURCE_DIR.  Exit 77 when tshark is missing.
set -uo pipefail
build=$1 src=$2
dump=$build/isakmpdump
command -v tshark >/dev/null || { echo "tshark not found: skipped"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
checked=0

# the inner layer's fields: the last occurrence (the outer IP comes first)
fields=(-e ip.src -e ip.dst -e ip.proto -e ip.len -e ipv6.src -e ipv6.dst -e ipv6.plen
        -e icmp.type -e icmp.seq -e icmpv6.type -e icmpv6.echo.sequence_number -e data.data)

for d in "$src"/samples/*/; do
    [ -f "$d/secrets.txt" ] || continue
    # tshark can check the samples with an esp_sa; the others (ChaCha20-
    # Poly1305, which Wireshark cannot decrypt) are checked on their own
    notshark=0
    grep -q '"tshark_cannot_decrypt": true' "$d/config.json" 2>/dev/null && notshark=1
    [ -f "$d/esp_sa" ] || [ $notshark = 1 ] || continue
    name=$(basename "$d")
    before=$fail
    grep -v -E '^(IKEV1_SKEYID|IKEV2_SKEYSEED)' "$d/secrets.txt" >"$tmp/$name.sec"
    err=$("$dump" --stats --esp -k "$tmp/$name.sec" "$d/capture.pcap" 2>&1 >/dev/null)
    total=$(sed -n 's/.* \([0-9]*\) ESP, .*/\1/p' <<<"$err" | head -1)
    line=$(grep ' ESP: ' <<<"$err")
    ok=$(sed -n 's/.*ESP: \([0-9]*\) decrypted, 0 ICV failed, 0 no key, 0 other.*/\1/p' <<<"$line")
    if [ -z "$ok" ] || [ "$ok" != "$total" ] || [ "$total" = 0 ]; then
        echo "FAIL $name: $total ESP packets; $line"
        fail=1
        continue
    fi
    "$dump" --decrypt-esp -w "$tmp/$name.inner.pcap" -k "$tmp/$name.sec" "$d/capture.pcap" ||
        { echo "FAIL $name: --decrypt-esp"; fail=1; continue; }
    tshark -r "$tmp/$name.inner.pcap" -T fields -E occurrence=l "${fields[@]}" \
        >"$tmp/$name.ours" 2>/dev/null
    home=$tmp/home-$name
    mkdir -p "$home/.config/wireshark"
    [ $notshark = 1 ] || cp "$d/esp_sa" "$home/.config/wireshark/esp_sa"
    HOME=$home tshark -r "$d/capture.pcap" -o esp.enable_encryption_decode:TRUE \
        -Y esp -T fields -E occurrence=l "${fields[@]}" >"$tmp/$name.tshark" 2>/dev/null
    [ $notshark = 1 ] && cp "$tmp/$name.ours" "$tmp/$name.tshark"
    n=$(wc -l <"$tmp/$name.ours")
    if [ "$n" != "$total" ]; then
        echo "FAIL $name: $n inner packets written for $total ESP packets"
        fail=1
    elif ! diff -u "$tmp/$name.tshark" "$tmp/$name.ours" >"$tmp/$name.diff"; then
        echo "FAIL $name: the inner packets differ from tshark's decryption:"
        head -20 "$tmp/$name.diff"
        fail=1
    fi
    # -T fields: esp.* as tshark's ESP dissector gives them (decrypting)
    efields=(-e esp.spi -e esp.sequence -e esp.pad_len -e esp.protocol)
    "$dump" -T fields "${efields[@]}" -k "$tmp/$name.sec" "$d/capture.pcap" |
        grep -v '^[[:space:]]*$' >"$tmp/$name.efields"
    HOME=$home tshark -r "$d/capture.pcap" -o esp.enable_encryption_decode:TRUE -Y esp \
        -T fields "${efields[@]}" >"$tmp/$name.tefields" 2>/dev/null
    if [ $notshark = 0 ] && ! diff -u "$tmp/$name.tefields" "$tmp/$name.efields" >"$tmp/$name.ediff"; then
        echo "FAIL $name: esp.* fields differ from tshark's:"
        head -10 "$tmp/$name.ediff"
        fail=1
    fi
    # -Y on esp.* fields: every ESP line is tunnel mode with a verified ICV
    y=$("$dump" -k "$tmp/$name.sec" -Y 'esp && esp.spi != 0 && esp.protocol in {4 41} && esp.icv_good == 1' \
        "$d/capture.pcap" | grep -c ' ESP SPI=')
    if [ "$y" != "$total" ]; then
        echo "FAIL $name: -Y on esp.* fields passed $y of $total ESP lines"
        fail=1
    fi
    # iputils ping: a 16-byte time stamp (tshark 4.0 shows the first 8 bytes
    # of it as icmp.data_time and the next 8 as data, 4.4 all 16 as the time,
    # and for ICMPv6 all 16 as data), then bytes counting up from 0x10
    if ! python3 - "$tmp/$name.ours" <<'EOF'; then
import sys
for n, line in enumerate(open(sys.argv[1]), 1):
    f = line.rstrip('\n').split('\t')
    if not (f[7] or f[9]):
        continue   # not ICMP / ICMPv6
    b = bytes.fromhex(f[-1])
    if not any(len(b) > k and b[k:] == bytes(range(0x10, 0x10 + len(b) - k)) for k in (0, 8, 16)):
        sys.exit('packet %d: payload is not the ping pattern: %s' % (n, b.hex()))
EOF
        echo "FAIL $name: ICMP payload"
        fail=1
    fi
    # the TCP stream of samples/generate's tcp_stream, both ways, byte for byte
    if grep -q '"traffic": ".*TCP' "$d/config.json"; then
        tshark -r "$tmp/$name.inner.pcap" -Y 'tcp.len > 0' -T fields -e tcp.srcport \
            -e tcp.seq -e tcp.payload >"$tmp/$name.tcp" 2>/dev/null
        if ! python3 - "$tmp/$name.tcp" <<'EOF'; then
import sys
parts = {True: {}, False: {}}   # from the server (port 5001)?  seq -> bytes
for line in open(sys.argv[1]):
    port, seq, data = line.rstrip('\n').split('\t')
    parts[port == '5001'][int(seq)] = bytes.fromhex(data.replace(':', ''))
def stream(p):
    out = b''
    for seq in sorted(p):
        out = out[:seq - 1] + p[seq]
    return out
want = {False: b''.join(b'c2s %05d\n' % i for i in range(300)),
        True: b''.join(b's2c %05d\n' % i for i in range(200))}
for k in (False, True):
    if stream(parts[k]) != want[k]:
        sys.exit('%s stream: %d bytes, not the pattern' % ('s2c' if k else 'c2s', len(stream(parts[k]))))
EOF
            echo "FAIL $name: the TCP stream is not what was sent"
            fail=1
        fi
    fi
    "$dump" --decrypt-esp -F pcapng -w "$tmp/$name.inner.pcapng" -k "$tmp/$name.sec" \
        "$d/capture.pcap"
    c=$(tshark -r "$tmp/$name.inner.pcapng" -T fields -e frame.comment 2>/dev/null |
        grep -c '^frame [0-9]*: ESP SPI 0x[0-9a-f]\{8\} seq [0-9]* .* -> .*, .* / ')
    if [ "$c" != "$total" ]; then
        echo "FAIL $name: $c of $total pcapng comments name the SA"
        fail=1
    fi
    # --report: every child SA with traffic each way, all of it decrypted,
    # and the packets of the children add up to the capture's ESP packets
    "$dump" --report -T json -k "$tmp/$name.sec" "$d/capture.pcap" >"$tmp/$name.report"
    if ! python3 - "$tmp/$name.report" "$total" <<'EOF'; then
import json, sys
seen = 0
for line in open(sys.argv[1]):
    row = json.loads(line)
    if row.get('type') != 'child_sa' or row.get('outcome') != 'established':
        continue
    t = row['traffic']
    for d in ('initiator_to_responder', 'responder_to_initiator'):
        x = t[d]
        if not x['packets'] or x['decrypted'] != x['packets'] or x['icv_failed'] or x['no_key']:
            sys.exit('child #%d %s: %r' % (row['id'], d, x))
        seen += x['packets']
    if not t['flowed']:
        sys.exit('child #%d: flowed false' % row['id'])
if seen != int(sys.argv[2]):
    sys.exit('%d ESP packets in the children, %s in the capture' % (seen, sys.argv[2]))
EOF
        echo "FAIL $name: --report traffic"
        fail=1
    fi
    how="inner packets as tshark's"
    [ $notshark = 1 ] && how="inner packets checked without tshark (it cannot decrypt them)"
    [ "$fail" = "$before" ] && echo "ok $name: $total ESP packets, ICV verified, $how"
    checked=$((checked + 1))
done
[ "$checked" -gt 0 ] || { echo "FAIL: no sample with ESP checked"; fail=1; }
exit $fail
