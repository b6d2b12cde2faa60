#!/usr/bin/env bash
# Field-directed decoding (isakmp_ctx_set_fields, isakmpdump -T fields):
# every field, alone, gives the values the full tree gives, on every sample
# and peer-suite capture, without keys and with their keys and secrets; and
# the generated payload table is up to date with the parsers; and decoding
# with several threads (isakmpdump --threads) prints the same lines.
set -uo pipefail
build=$1 src=$2
fd="$build/tests/field_direction"
peer="$src/../shared/peer-suite"
rc=0
python3 "$src/tools/gen-payload-fields.py" --check "$src" || rc=1
run() {
  local out
  out=$("$fd" "$@" 2>&1) || { echo "FAIL: field_direction $*"; echo "$out" | head -40; rc=1; return; }
  echo "ok: $(basename "${@: -1}") ${out##*$'\n'}"
}
for d in "$src"/samples/*/ "$src"/samples/pq/*/; do
  [ -f "$d/capture.pcap" ] || continue
  run "$d/capture.pcap"
  keys=()
  for k in ikev1_decryption_table ikev2_decryption_table secrets.txt; do
    [ -f "$d/$k" ] && keys+=(-k "$d/$k")
  done
  run "${keys[@]}" "$d/capture.pcap"
done
for f in "$peer"/wireshark/*.pcap* "$peer"/wireshark-wiki/*.pcap "$peer"/wireshark-wiki/ikev2-esp-natt/*.pcap*; do
  [ -f "$f" ] && run "$f"
done
for f in "$peer"/wireshark/ikev*.pcap*; do
  run -k "$peer/wireshark/ikev1_decryption_table" -k "$peer/wireshark/ikev2_decryption_table" "$f"
done
# isakmpdump --threads deals SAs to threads: the lines must not change, on a
# capture of many SAs of every sample kind (tests/bench/gen.py).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$src/tests/bench/gen.py" --out "$tmp" --size 3e6 >/dev/null
fields=()
for f in frame.number ip.src udp.srcport ike.ispi ike.rspi ike.exchangetype ike.messageid \
         ike.typepayload ike.notify.msgtype ike.vid_string ike.vid.name ike.prop.protoid \
         ike.tf.id.encr ike.ike.attr.encryption_algorithm ike.frag.seq ike.extradata ike.length; do
  fields+=(-e "$f")
done
"$build/isakmpdump" --threads 1 -T fields "${fields[@]}" "$tmp/bench.pcap" >"$tmp/one.txt" || rc=1
for t in 2 3 5; do
  "$build/isakmpdump" --threads $t -T fields "${fields[@]}" "$tmp/bench.pcap" >"$tmp/many.txt" || rc=1
  if cmp -s "$tmp/one.txt" "$tmp/many.txt"; then
    echo "ok: --threads $t gives the same $(wc -l <"$tmp/one.txt") lines as --threads 1"
  else
    echo "FAIL: --threads $t differs from --threads 1"; diff "$tmp/one.txt" "$tmp/many.txt" | head -5; rc=1
  fi
done
exit $rc
