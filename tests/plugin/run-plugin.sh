#!/usr/bin/env bash
# The Wireshark plugin against the CLI: for every sample and peer-suite
# capture, every ike.* field through the plugin (`tshark -T fields`) must equal
# `isakmpdump -T fields`, and a two-pass `tshark -2 -V` must draw the same IKE
# trees as one pass (the library's per-frame state makes re-dissection stable).
#
# Wireshark ignores the personal plugin folder when run as root, so tshark
# runs as `nobody` with HOME set to a temporary folder holding the plugin in
# .local/lib/wireshark/plugins/X.Y/epan/ and copies of the captures and keys.
#
# Usage: run-plugin.sh BUILD_DIR SOURCE_DIR   (exit 77: skipped)
set -uo pipefail
build=$1 src=$2
shared="$src/../shared/peer-suite"
plugin="$build/plugin/ike.so"
dump="$build/isakmpdump"

command -v tshark >/dev/null || { echo "SKIP: tshark missing"; exit 77; }
[ -f "$plugin" ] || { echo "SKIP: $plugin not built (Wireshark not found?)"; exit 77; }
[ -x "$dump" ] || { echo "SKIP: $dump not built"; exit 77; }
abi=$(tshark --version 2>/dev/null | sed -n '1s/.* \([0-9]*\.[0-9]*\)\.[0-9]*.*/\1/p')

tmp=$(mktemp -d /tmp/ike-plugin-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/.local/lib/wireshark/plugins/$abi/epan" "$tmp/caps" "$tmp/keys" "$tmp/out"
cp "$plugin" "$tmp/.local/lib/wireshark/plugins/$abi/epan/"
chmod -R a+rX "$tmp"    # mktemp made it private; tshark runs as nobody

# tshark as an unprivileged user (root ignores personal plugins).
as_user() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u nobody -- env HOME="$tmp" LC_ALL=C "$@"
  else
    env HOME="$tmp" LC_ALL=C "$@"
  fi
}

fail=0
problem() { echo "FAIL: $*"; fail=1; }

# The plugin must be loaded and own the ike protocol, or nothing below means anything.
if ! as_user tshark -G plugins 2>/dev/null | grep -q "ike.so"; then
  problem "tshark did not load $plugin"
  exit 1
fi

# Every field of the library's table but the ones only the plugin can know
# (request/response frame links need the whole capture) and the root.
mapfile -t fields < <("$dump" -G fields | cut -f3 |
                      grep -v -x -e ike -e ike.response_in -e ike.response_to)
[ "${#fields[@]}" -gt 300 ] || { problem "isakmpdump -G fields gave ${#fields[@]} fields"; exit 1; }
eargs=()
for f in "${fields[@]}"; do eargs+=(-e "$f"); done

# Copies a capture (gunzipped: libpcap reads no .gz) and its key tables into
# the temp folder; prints the capture's copy.  Keys go to both tools alike.
stage() {
  local cap=$1 keydir=$2 name
  name=$(echo "${cap#"$src"/}" | tr '/' '_')
  name=${name%.gz}
  if [[ $cap == *.gz ]]; then gzip -dc "$cap" >"$tmp/caps/$name"; else cp "$cap" "$tmp/caps/$name"; fi
  rm -f "$tmp/keys/$name".*
  for t in ikev1_decryption_table ikev2_decryption_table; do
    [ -f "$keydir/$t" ] && cp "$keydir/$t" "$tmp/keys/$name.$t"
  done
  echo "$tmp/caps/$name"
}

# Field-level report of the first differences between two -T fields outputs.
report() {
  paste -d '\n' "$1" "$2" | awk -F'\t' -v names="${fields[*]}" '
    BEGIN { split(names, f, " ") }
    NR % 2 == 1 { n = split($0, a, "\t"); line = (NR + 1) / 2; next }
    { split($0, b, "\t")
      for (i = 1; i <= length(f); i++)
        if (a[i] != b[i] && shown++ < 8)
          printf "    line %d %s: isakmpdump=%s plugin=%s\n", line, f[i], a[i], b[i] }'
}

# IKE subtrees of a tshark -V text, per frame.  Links forward in time
# ("Response in", a fragment's "Reassembled in") are left out: one pass cannot
# know a frame it has not read yet, here as in any Wireshark dissector.
ike_trees() {
  awk '/^Frame [0-9]+:/ { print; next }
       /^[^ ]/ { ike = ($0 ~ /^Internet Security Association|^IKE|^Internet Key Exchange/) }
       ike && !/\[(Response in|Reassembled in): [0-9]+\]$/ { print }' "$1"
}

check() {
  local cap=$1 keydir=$2 copy base keyfiles kargs=() keypref=""
  copy=$(stage "$cap" "$keydir")
  base=$(basename "$copy")
  chmod -R a+rX "$tmp"
  for k in "$tmp/keys/$base".*; do
    [ -f "$k" ] || continue
    kargs+=(-k "$k")
    keypref="${keypref:+$keypref;}$k"
  done
  local o="$tmp/out/$base"
  "$dump" -T fields "${kargs[@]}" "${eargs[@]}" "$copy" >"$o.dump" 2>"$o.dump.err"
  as_user tshark -n -r "$copy" -o "ike.key_file:$keypref" -Y 'ike && !ike.ike.nat_keepalive' \
    -T fields "${eargs[@]}" >"$o.ws" 2>"$o.ws.err" || problem "$base: tshark failed: $(head -c 300 "$o.ws.err")"
  # tshark prints an empty byte field as <MISSING>, the library as nothing:
  # a formatting matter between the CLI and tshark (the differential test's
  # business), not the plugin's, so both sides are compared without it.
  sed -i 's/<MISSING>//g' "$o.dump" "$o.ws"
  if ! cmp -s "$o.dump" "$o.ws"; then
    problem "$base: fields differ ($(wc -l <"$o.dump") isakmpdump lines, $(wc -l <"$o.ws") plugin lines)"
    report "$o.dump" "$o.ws"
  fi
  as_user tshark -n -r "$copy" -o "ike.key_file:$keypref" -V >"$o.v1" 2>/dev/null
  as_user tshark -n -2 -r "$copy" -o "ike.key_file:$keypref" -V >"$o.v2" 2>/dev/null
  if ! cmp -s <(ike_trees "$o.v1") <(ike_trees "$o.v2"); then
    problem "$base: tshark -2 -V and one pass differ"
    diff <(ike_trees "$o.v1") <(ike_trees "$o.v2") | head -10 | sed 's/^/    /'
  fi
  if ! grep -q . <(ike_trees "$o.v1" | grep -v '^Frame'); then
    problem "$base: no IKE tree drawn"
  fi
  echo "checked $base ($(wc -l <"$o.ws") IKE frames)"
}

ncaps=0
for d in "$src"/samples/*/; do
  [ -f "$d/capture.pcap" ] && { check "$d/capture.pcap" "$d"; ncaps=$((ncaps + 1)); }
done
for c in "$shared"/wireshark/*.pcap*; do
  # esp-bug-12671 carries ESP only: no IKE to compare
  [[ $c == *esp-bug-12671* ]] && continue
  check "$c" "$shared/wireshark"; ncaps=$((ncaps + 1))
done
check "$shared/wireshark-wiki/attachment_ikev1_main_mode.pcap" /nonexistent; ncaps=$((ncaps + 1))
check "$shared/wireshark-wiki/ikev2-esp-natt/capture.pcapng" "$shared/wireshark-wiki/ikev2-esp-natt"
ncaps=$((ncaps + 1))

# RFC 8229: the same messages over TCP (prefix, length framing, a message cut
# across segments, ESP between them) must give the same fields as over UDP.
udpcap="$shared/wireshark/ikev2-decrypt-aes256gcm16.pcap"
if python3 "$src/tests/plugin/make-tcp.py" "$udpcap" "$tmp/caps/tcp.pcap"; then
  chmod a+r "$tmp/caps/tcp.pcap"
  cp "$shared/wireshark/ikev2_decryption_table" "$tmp/keys/tcp.v2"
  cp "$udpcap" "$tmp/caps/udp.pcap"
  chmod -R a+rX "$tmp"
  for t in udp tcp; do
    as_user tshark -n -r "$tmp/caps/$t.pcap" -o "ike.key_file:$tmp/keys/tcp.v2" -Y ike.ispi \
      -T fields "${eargs[@]}" >"$tmp/out/$t.fields" 2>/dev/null
  done
  if [ ! -s "$tmp/out/udp.fields" ] || ! cmp -s "$tmp/out/udp.fields" "$tmp/out/tcp.fields"; then
    problem "RFC 8229 TCP stream and UDP give different fields"
    report "$tmp/out/udp.fields" "$tmp/out/tcp.fields"
  fi
  esp=$(as_user tshark -n -r "$tmp/caps/tcp.pcap" -Y esp.spi==0x12345678 2>/dev/null | wc -l)
  [ "$esp" -eq 1 ] || problem "ESP in the TCP stream not handed to the ESP dissector ($esp frames)"
  echo "checked RFC 8229 TCP framing"
else
  problem "make-tcp.py failed"
fi

# RFC 3948 2.3: a 1-byte 0xff on UDP 4500 is a NAT keepalive.
python3 - "$src/tests/data" "$tmp/caps/keepalive.pcap" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import pcapgen
pkt = pcapgen.eth(0x0800, pcapgen.ipv4("10.0.0.1", "10.0.0.2", 17, pcapgen.udp(4500, 4500, b"\xff")))
pcapgen.write_pcap(sys.argv[2], 1, [pkt])
PY
chmod a+r "$tmp/caps/keepalive.pcap"
ka=$(as_user tshark -n -r "$tmp/caps/keepalive.pcap" -Y ike.ike.nat_keepalive 2>/dev/null | wc -l)
[ "$ka" -eq 1 ] || problem "NAT keepalive not recognised ($ka frames)"

# The takeover preference off gives UDP 500/4500 back to the built-in dissectors.
natt="$tmp/caps/$(echo "${shared#"$src"/}/wireshark-wiki/ikev2-esp-natt/capture.pcapng" | tr '/' '_')"
ours=$(as_user tshark -n -r "$natt" -Y ike 2>/dev/null | wc -l)
theirs=$(as_user tshark -n -r "$natt" -o ike.takeover:FALSE -Y isakmp 2>/dev/null | wc -l)
left=$(as_user tshark -n -r "$natt" -o ike.takeover:FALSE -Y ike 2>/dev/null | wc -l)
if [ "$ours" -eq 0 ] || [ "$theirs" -ne "$ours" ] || [ "$left" -ne 0 ]; then
  problem "takeover: plugin took $ours frames; with ike.takeover:FALSE isakmp took $theirs, ike $left"
fi

echo "$ncaps captures checked"
exit $fail
