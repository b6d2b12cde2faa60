#!/usr/bin/env bash
# The Wireshark plugin against the CLI: for every sample and peer-suite
# capture, every ike.* field through the plugin (`tshark -T fields`) must equal
# `isakmpdump -T fields`, and a two-pass `tshark -2 -V` must draw the same IKE
# trees as one pass (the library's per-frame state makes re-dissection stable).
#
# Wireshark ignores the personal plugin folder when run as root, so tshark
# runs as `nobody` with HOME set to a temporary folder holding the plugin in
# .local/lib/wireshark/plugins/X.Y/epan/ and copies of the captures and keys
# (tests/plugin/plugin-env.sh, shared with tests/pq/run-plugin-esp.sh).
#
# ESP: with only the libisakmp secrets of a sample, the SAs the library
# derives reach Wireshark's ESP dissector and the ESP packets decrypt; a
# generated capture (make-esp.py) checks every algorithm the library names and
# the warning when the ESP dissector's 16 records are used up.
#
# tshark cannot load a plugin built with AddressSanitizer, so for a sanitized
# BUILD_DIR (scripts/test.sh) the plugin is built again without sanitizers in
# BUILD_DIR/plugin-nosan (the ike target only, incrementally); the sanitized
# isakmpdump of BUILD_DIR is still the reference.
#
# Usage: run-plugin.sh BUILD_DIR SOURCE_DIR   (exit 77: skipped)
set -uo pipefail
build=$1 src=$2
shared="$src/../shared/peer-suite"
plugin="$build/plugin/ike.so"
dump="$build/isakmpdump"

tmp=$(mktemp -d /tmp/ike-plugin-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# skips, the plugin installed in $tmp (rebuilt without sanitizers if need
# be), $abi, $compat, $true_value, as_user (tshark as nobody, HOME=$tmp)
. "$src/tests/plugin/plugin-env.sh"
plugin_env "$build" "$src" "$tmp"
echo "tshark $abi${compat:+, isakmpdump ${compat[*]}}"
mkdir -p "$tmp/caps" "$tmp/keys" "$tmp/out"
chmod -R a+rX "$tmp"

fail=0
problem() { echo "FAIL: $*"; fail=1; }

# The plugin must be loaded and own the ike protocol, or nothing below means anything.
if ! as_user tshark -G plugins 2>/dev/null | grep -q "ike.so"; then
  problem "tshark did not load $plugin"
  exit 1
fi
# Wireshark 4.2+ lists a plugin's kind from plugin_describe(): ours is a
# dissector there, not "unknown" (4.0 has no kinds: any line is enough)
kind=$(as_user tshark -G plugins 2>/dev/null | awk -F'\t' '$1 ~ /^ike\.so *$/ { print $3 }')
[ ${#compat[@]} -gt 0 ] || [ "$kind" = dissector ] ||
  problem "tshark -G plugins lists ike.so as '$kind', not dissector"

# Every field of the library's table (the ike.* ones: -G fields lists the
# frame, ip, udp, ... fields isakmpdump fills too) but the ones only the
# plugin can know (request/response frame links need the whole capture) and
# the root.
mapfile -t fields < <("$dump" -G fields | cut -f3 | grep '^ike\.' |
                      grep -v -x -e ike.response_in -e ike.response_to)
[ "${#fields[@]}" -gt 300 ] || { problem "isakmpdump -G fields gave ${#fields[@]} fields"; exit 1; }
eargs=()
for f in "${fields[@]}"; do eargs+=(-e "$f"); done
# The built-in's twins (plugin/coexist.c): every ike.X whose isakmp.X this
# tshark registers; with the plugin, -e isakmp.X must print what -e ike.X does.
mapfile -t builtin < <(as_user tshark -G fields 2>/dev/null |
                       awk -F'\t' '$1 == "F" && $5 == "isakmp" { print $3 }' | sort)
twin_ike=() twin_args=()
for f in "${fields[@]}"; do
  t="isakmp.${f#ike.}"
  if printf '%s\n' "${builtin[@]}" | grep -qxF -- "$t"; then
    twin_ike+=(-e "$f") twin_args+=(-e "$t")
  fi
done
[ "${#twin_args[@]}" -gt 600 ] ||
  problem "only $((${#twin_args[@]} / 2)) ike.* fields have a built-in isakmp.* twin"
echo "$((${#twin_args[@]} / 2)) ike.* fields have a built-in isakmp.* twin"

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
  "$dump" -T fields "${compat[@]}" "${kargs[@]}" "${eargs[@]}" "$copy" >"$o.dump" 2>"$o.dump.err"
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
  # the hidden isakmp.X twins carry the ike.X values (filters on isakmp.X)
  as_user tshark -n -r "$copy" -o "ike.key_file:$keypref" -Y 'ike && !ike.ike.nat_keepalive' \
    -T fields "${twin_ike[@]}" >"$o.ike" 2>/dev/null
  as_user tshark -n -r "$copy" -o "ike.key_file:$keypref" -Y 'ike && !ike.ike.nat_keepalive' \
    -T fields "${twin_args[@]}" >"$o.twin" 2>"$o.twin.err" ||
    problem "$base: tshark -e isakmp.*: $(head -c 300 "$o.twin.err")"
  if ! cmp -s "$o.ike" "$o.twin"; then
    problem "$base: isakmp.X twins differ from ike.X with the plugin"
    diff "$o.ike" "$o.twin" | head -6 | cut -c1-300 | sed 's/^/    /'
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

# Two messages in one TCP frame (the responder's IKE_AUTH response, cut
# across segments, and its INFORMATIONAL request): the library tells them
# apart, both decrypt, and each keeps its own request/response link.
if python3 "$src/tests/plugin/make-tcp.py" --pack 3 "$udpcap" "$tmp/caps/pack.pcap"; then
  chmod a+r "$tmp/caps/pack.pcap"
  as_user tshark -n -2 -r "$tmp/caps/pack.pcap" -o "ike.key_file:$tmp/keys/tcp.v2" -Y ike.ispi \
    -T fields -e frame.number -e ike.exchangetype -e ike.enc.decrypted -e ike.response_in \
    -e ike.response_to >"$tmp/out/pack.fields" 2>/dev/null
  # frame of the IKE_AUTH request, the packed frame, the INFORMATIONAL response
  auth=$(awk -F'\t' '$2 == 35 { print $1; exit }' "$tmp/out/pack.fields")
  packed=$(awk -F'\t' '$2 == "35,37" { print $1 }' "$tmp/out/pack.fields")
  info=$(awk -F'\t' -v p="$packed" '$2 == 37 && $1 > p { print $1; exit }' "$tmp/out/pack.fields")
  got=$(awk -F'\t' -v p="$packed" '$1 == p { print $3 "/" $4 "/" $5 }' "$tmp/out/pack.fields")
  if [ -z "$packed" ] || [ -z "$auth" ] || [ -z "$info" ] || [ "$got" != "1,1/$info/$auth" ]; then
    problem "two IKE messages in one TCP frame: decrypted/response_in/response_to '$got'" \
            "(want 1,1/$info/$auth)"
    sed 's/^/    /' "$tmp/out/pack.fields"
  fi
  as_user tshark -n -r "$tmp/caps/pack.pcap" -o "ike.key_file:$tmp/keys/tcp.v2" -V >"$tmp/out/pack.v1" 2>/dev/null
  as_user tshark -n -2 -r "$tmp/caps/pack.pcap" -o "ike.key_file:$tmp/keys/tcp.v2" -V >"$tmp/out/pack.v2" 2>/dev/null
  cmp -s <(ike_trees "$tmp/out/pack.v1") <(ike_trees "$tmp/out/pack.v2") ||
    problem "two IKE messages in one TCP frame: tshark -2 -V and one pass differ"
  echo "checked two IKE messages in one TCP frame"
else
  problem "make-tcp.py --pack failed"
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

# ESP with secrets only: the library derives the CHILD_SA keys (PSK, DH
# shared secrets) and the plugin hands them to the ESP dissector, so the
# tunnelled ICMP shows up; without the secrets nothing does.
for s in ikev2-psk-aes256-sha256-ecp256 ikev2-natt-encap-libipsec-esp; do
  mkdir -p "$tmp/esp/$s"
  cp "$src/samples/$s/capture.pcap" "$src/samples/$s/secrets.txt" "$tmp/esp/$s/"
  chmod -R a+rX "$tmp/esp"
  cap="$tmp/esp/$s/capture.pcap"
  esp=$(as_user tshark -n -r "$cap" -Y esp 2>/dev/null | wc -l)
  icmp=$(as_user tshark -n -r "$cap" -o "ike.key_file:$tmp/esp/$s/secrets.txt" \
           -o esp.enable_encryption_decode:TRUE -Y 'esp && icmp' 2>/dev/null | wc -l)
  none=$(as_user tshark -n -r "$cap" -o esp.enable_encryption_decode:TRUE -Y icmp 2>/dev/null | wc -l)
  if [ "$esp" -eq 0 ] || [ "$icmp" -ne "$esp" ] || [ "$none" -ne 0 ]; then
    problem "$s: $icmp of $esp ESP packets decrypted to ICMP with secrets only ($none without)"
  else
    echo "checked ESP decryption of $s ($esp packets)"
  fi
done

# Every encryption / integrity name of the library's esp_sa output, with the
# ESP dissector checking the ICVs; 6 more SAs than its 16 records: the last
# two get a warning on the IKE message (frame 1), in one and two passes.
if python3 "$src/tests/plugin/make-esp.py" "$tmp/caps/algs.pcap" "$tmp/keys/algs.esp_sa" \
     "$tmp/out/algs.expect" 6; then
  chmod -R a+rX "$tmp"
  as_user tshark -n -r "$tmp/caps/algs.pcap" -o "ike.key_file:$tmp/keys/algs.esp_sa" \
    -o esp.enable_encryption_decode:TRUE -o esp.enable_authentication_check:TRUE \
    -Y esp -T fields -e esp.spi -e icmp.type -e esp.icv_good >"$tmp/out/algs.ws" 2>/dev/null
  # expected: SPI, ICMP echo request (8), ICV good where it can be checked
  awk -F'\t' -v t="$true_value" '{ print $1 "\t8\t" ($2 == 1 ? t : "") }' "$tmp/out/algs.expect" >"$tmp/out/algs.want"
  if ! cmp -s "$tmp/out/algs.want" "$tmp/out/algs.ws"; then
    problem "ESP algorithms: packets not decrypted / verified as expected (SPI, ICMP type, ICV good)"
    diff "$tmp/out/algs.want" "$tmp/out/algs.ws" | head -12 | sed 's/^/    /'
  fi
  for pass in "" -2; do
    warned=$(as_user tshark -n $pass -r "$tmp/caps/algs.pcap" -o "ike.key_file:$tmp/keys/algs.esp_sa" \
               -Y 'frame.number == 1' -V 2>/dev/null | grep -c '^ *\[Expert Info (Warning/Protocol): .*has no room for SPI 0x5b00000[45]')
    [ "$warned" -eq 2 ] || problem "ESP record limit: $warned warnings on frame 1 (tshark $pass), want 2"
  done
  echo "checked ESP algorithms and the ESP record limit"
else
  problem "make-esp.py failed"
fi

# Coexisting with the built-in ISAKMP dissector (plugin/coexist.c): with the
# takeover on, "isakmp" filters select the frames they select without the
# plugin; the keys of Wireshark's own ikev2_decryption_table in the profile
# folder decrypt (and ike.builtin_tables:FALSE leaves them out), with a note
# saying where they came from; the root is named for libisakmp; the Info
# column carries the built-in's fragment notes.
frag=$(ls "$tmp"/caps/samples_ikev2-rsa-certs-frag_*capture.pcap)
v1frag=$(ls "$tmp"/caps/samples_ikev1-main-rsa-certs-frag_*capture.pcap)
for f in 'isakmp' 'isakmp.exchangetype == 35' 'isakmp.ispi && isakmp.messageid == 1' \
         'isakmp.length > 300' 'isakmp.flags == 0x08' 'isakmp.notify.msgtype == 16430' \
         'isakmp.nonce' 'isakmp.notify.msgtype == 16406' 'isakmp.typepayload == 53' \
         'isakmp.enc.data' 'isakmp.key_exchange.dh_group == 19 || isakmp.sa.doi' \
         'isakmp.frag.number == 1' 'isakmp.flag_r == 1 && isakmp.typepayload == 41'; do
  with=$(as_user tshark -n -r "$frag" -Y "$f" -T fields -e frame.number 2>/dev/null | tr '\n' ' ')
  without=$(as_user tshark -n -r "$frag" -o ike.takeover:FALSE -Y "$f" -T fields -e frame.number 2>/dev/null | tr '\n' ' ')
  [[ $with =~ ^[0-9] ]] && [ "$with" = "$without" ] ||
    problem "coexistence: -Y '$f' selects '$with' with the plugin, '$without' without"
done
for cap in "$frag" "$v1frag"; do
  # the notes only: the summaries before them differ (MID=0x%08x in IKEv1 too)
  notes='\((Reassembled \+ )?Message fragment [^)]*\)|\(fragment [0-9]+/[0-9]+\)|\(reassembled\)'
  ours=$(as_user tshark -n -r "$cap" -T fields -e _ws.col.Info 2>/dev/null | grep -oE "$notes" | sort | uniq -c)
  theirs=$(as_user tshark -n -r "$cap" -o ike.takeover:FALSE -T fields -e _ws.col.Info 2>/dev/null | grep -oE "$notes" | sort | uniq -c)
  [ -n "$ours" ] && [ "$ours" = "$theirs" ] ||
    problem "coexistence: fragment notes in the Info column of $(basename "$cap") differ" \
            "$(diff <(echo "$theirs") <(echo "$ours") | head -6)"
done
root=$(as_user tshark -n -r "$frag" -V -Y 'frame.number == 1' 2>/dev/null | grep -c '^Internet Key Exchange (libisakmp)$')
[ "$root" -eq 1 ] || problem "coexistence: the root item is not 'Internet Key Exchange (libisakmp)'"
mkdir -p "$tmp/.config/wireshark"
cp "$src/samples/ikev2-rsa-certs-frag/ikev2_decryption_table" "$tmp/.config/wireshark/"
chmod -R a+rwX "$tmp/.config"
dec=$(as_user tshark -n -r "$frag" -Y ike.enc.decrypted 2>/dev/null | wc -l)
off=$(as_user tshark -n -r "$frag" -o ike.builtin_tables:FALSE -Y ike.enc.decrypted 2>/dev/null | wc -l)
note=$(as_user tshark -n -r "$frag" -V -Y ike.enc.decrypted 2>/dev/null |
       grep -c "Expert Info (Chat/Decryption): Keys loaded from Wireshark's ikev2_decryption_table")
if [ "$dec" -eq 0 ] || [ "$off" -ne 0 ] || [ "$note" -ne "$dec" ]; then
  problem "coexistence: Wireshark's ikev2_decryption_table: $dec frames decrypted, $off with" \
          "ike.builtin_tables:FALSE (want 0), $note notes"
fi
rm -f "$tmp/.config/wireshark/ikev2_decryption_table"
echo "checked coexistence with the built-in ISAKMP dissector ($dec frames decrypted with its table)"

echo "$ncaps captures checked"
exit $fail
