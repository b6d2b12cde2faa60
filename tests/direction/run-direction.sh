#!/usr/bin/env bash
# Field-directed decoding (isakmp_ctx_set_fields, isakmpdump -T fields):
# every field, alone, gives the values the full tree gives, on every sample
# and peer-suite capture, without keys and with their keys and secrets; and
# the generated payload table is up to date with the parsers.
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
for d in "$src"/samples/*/; do
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
exit $rc
