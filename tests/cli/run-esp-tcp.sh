#!/usr/bin/env bash
# ESP in RFC 9329 TCP with several records in one segment and records split
# over segments (#21): tests/cli/esp_tcp_capture.py turns the UDP-encapsulated
# ESP of samples with ESP traffic into TCP streams cut at odd places; then
#   1. --stats: every record decrypted, none failed;
#   2. --esp: one line per record ("TCP ESP"), some frames with several,
#      and the lines' SPI / sequence / verdict / inner packet are those of
#      the original capture;
#   3. -V and -T json: one ESP line / record per record too, and --threads 2
#      (without keys: the threaded writer) as many lines as one thread;
#   4. --decrypt-esp -w: the same inner packets, byte for byte, as from the
#      original capture;
#   5. -T fields -e esp.*: one value per record (comma-separated, as tshark
#      lists a field's occurrences), the same values as the UDP packets', and
#      -Y on the sequence number of a record that is not its segment's first
#      keeps that frame.
# Usage: run-esp-tcp.sh BUILD_DIR SOURCE_DIR.
set -uo pipefail
build=$1 src=$2
dump=$build/isakmpdump
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
# "SPI=... seq=N ICV=ok <inner>" of every ESP line, sorted
esp_words() { grep -o ' ESP SPI=.*' | sort; }
for name in ikev2-esp-aesgcm16-tcp ikev2-esp-aescbc-sha256-tcp ikev1-esp-3des-sha1-tcp; do
    d=$src/samples/$name
    [ -f "$d/capture.pcap" ] || { echo "FAIL $name: no sample"; fail=1; continue; }
    cap=$tmp/$name.pcap sec=$d/secrets.txt
    python3 "$src/tests/cli/esp_tcp_capture.py" "$d/capture.pcap" "$cap" ||
        { echo "FAIL $name: generator"; fail=1; continue; }
    total=$("$dump" --stats "$d/capture.pcap" 2>&1 >/dev/null | sed -n 's/.* \([0-9]*\) ESP, .*/\1/p' | head -1)
    line=$("$dump" --stats --esp -k "$sec" "$cap" 2>&1 >/dev/null | grep ' ESP: ')
    ok=$(sed -n 's/.*ESP: \([0-9]*\) decrypted, 0 ICV failed, 0 no key, 0 other.*/\1/p' <<<"$line")
    [ -n "$ok" ] && [ "$ok" = "$total" ] && [ "$total" -gt 0 ] ||
        { echo "FAIL $name: $total ESP packets in the sample; TCP: $line"; fail=1; continue; }
    "$dump" --esp -k "$sec" "$cap" >"$tmp/$name.tcp.txt"
    "$dump" --esp -k "$sec" "$d/capture.pcap" >"$tmp/$name.udp.txt"
    n=$(grep -c ' TCP ESP SPI=' "$tmp/$name.tcp.txt")
    [ "$n" = "$total" ] || { echo "FAIL $name: $n TCP ESP lines for $total records"; fail=1; }
    multi=$(grep ' TCP ESP SPI=' "$tmp/$name.tcp.txt" | cut -d' ' -f1 | uniq -d | wc -l)
    [ "$multi" -gt 0 ] || { echo "FAIL $name: no segment carried several records"; fail=1; }
    if ! diff <(esp_words <"$tmp/$name.udp.txt") <(esp_words <"$tmp/$name.tcp.txt") >"$tmp/diff"; then
        echo "FAIL $name: the TCP records' lines differ from the UDP packets':"
        head -10 "$tmp/diff"
        fail=1
    fi
    n=$("$dump" -V --esp -k "$sec" "$cap" | grep -c '^Frame .* TCP ESP SPI=')
    [ "$n" = "$total" ] || { echo "FAIL $name: -V: $n ESP lines for $total records"; fail=1; }
    n=$("$dump" -T json --esp -k "$sec" "$cap" | grep -c '"verdict":"ok"')
    [ "$n" = "$total" ] || { echo "FAIL $name: -T json: $n ESP records decrypted of $total"; fail=1; }
    for t in 1 2; do
        n=$("$dump" --threads $t "$cap" | grep -c ' TCP ESP SPI=')
        [ "$n" = "$total" ] || { echo "FAIL $name: --threads $t: $n ESP lines for $total"; fail=1; }
    done
    "$dump" --decrypt-esp -w "$tmp/$name.tcp.inner" -k "$sec" "$cap" &&
        "$dump" --decrypt-esp -w "$tmp/$name.udp.inner" -k "$sec" "$d/capture.pcap" ||
        { echo "FAIL $name: --decrypt-esp"; fail=1; continue; }
    python3 - "$tmp/$name.udp.inner" "$tmp/$name.tcp.inner" "$total" <<'PY' || fail=1
import struct, sys
def packets(path):
    d = open(path, "rb").read()
    out, at = [], 24
    while at + 16 <= len(d):
        n = struct.unpack("<I", d[at + 8:at + 12])[0]
        out.append(d[at + 16:at + 16 + n])
        at += 16 + n
    return sorted(out)
a, b = packets(sys.argv[1]), packets(sys.argv[2])
if len(b) != int(sys.argv[3]) or a != b:
    sys.exit("FAIL: %d inner packets from TCP, %d from UDP, not the same bytes" % (len(b), len(a)))
PY
    # 5. the esp.* fields of every record
    efields=(-e esp.spi -e esp.sequence -e esp.pad_len -e esp.protocol -e esp.icv_good -e esp.icv_bad)
    "$dump" -k "$sec" -T fields "${efields[@]}" "$cap" >"$tmp/$name.tcp.f"
    "$dump" -k "$sec" -T fields "${efields[@]}" "$d/capture.pcap" >"$tmp/$name.udp.f"
    python3 - "$tmp/$name.udp.f" "$tmp/$name.tcp.f" "$total" <<'PY' >"$tmp/$name.later" || fail=1
import sys
def records(path):
    out, first, later = [], set(), []
    for line in open(path):
        cols = [c.split(",") if c else [] for c in line.rstrip("\n").split("\t")]
        n = len(cols[0])
        if any(len(c) != n for c in cols):
            sys.exit("FAIL: %s: columns with different numbers of values: %r" % (path, line))
        out += [tuple(c[i] for c in cols) for i in range(n)]
        first.update(cols[1][:1])
        later += cols[1][1:]
    # a sequence number only ever seen after its segment's first record
    return sorted(out), [s for s in later if s not in first]
udp, _ = records(sys.argv[1])
tcp, later = records(sys.argv[2])
if len(tcp) != int(sys.argv[3]) or udp != tcp or not later:
    sys.exit("FAIL: -T fields: %d records from TCP (%d only later in their segment), %d from "
             "UDP, not the same values" % (len(tcp), len(later), len(udp)))
print(later[0])
PY
    seq=$(cat "$tmp/$name.later")
    n=$("$dump" -k "$sec" -Y "esp.sequence == ${seq:-0} && esp.icv_good" -T fields -e esp.sequence "$cap" |
        tr ',' '\n' | grep -cx "${seq:-none}")
    [ "$n" -ge 1 ] || { echo "FAIL $name: -Y esp.sequence == $seq (only ever a later record) kept no frame"; fail=1; }
done
[ $fail = 0 ] && echo "ESP in TCP records ok"
exit $fail
