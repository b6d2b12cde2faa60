#!/usr/bin/env bash
# The edit API (include/isakmp/edit.h) on every sample and peer-suite
# capture: decode -> edit -> encode without change gives the same bytes,
# with keys (encrypted messages parsed in plaintext and encrypted again) and
# without; with keys, every message of the samples and of the peer suite's
# decryption captures is structured (none kept raw); and mutants
# (isakmp_edit_mutate) decode with their ICVs verified, plaintext changed
# and (unless broken on purpose) lengths consistent; and live_mutants' dry
# run (message IDs set, then encrypted again) on the keyed IKEv2 samples.
set -uo pipefail
build=$1 src=$2
ec="$build/tests/edit_check"
[ -x "$ec" ] || { echo "no $ec: skipped"; exit 77; }
peer="$src/../shared/peer-suite"
rc=0
run() {
  local out
  out=$("$ec" "$@" 2>&1) || { echo "FAIL: edit_check $*"; echo "$out" | head -40; rc=1; return; }
  echo "ok: ${out##*$'\n'}"
}
# with keys, nothing may stay raw
whole() {
  local out
  out=$(EDIT_CHECK_VERBOSE=1 "$ec" "$@" 2>&1) || { echo "FAIL: edit_check $*"; echo "$out" | head -40; rc=1; return; }
  if grep -q "kept raw" <<<"$out"; then
    echo "FAIL: messages kept raw with keys: edit_check $*"; grep "kept raw" <<<"$out" | head; rc=1
  else
    echo "ok: ${out##*$'\n'}"
  fi
}
for d in "$src"/samples/*/; do
  [ -f "$d/capture.pcap" ] || continue
  run "$d/capture.pcap"
  keys=()
  for k in ikev1_decryption_table ikev2_decryption_table secrets.txt; do
    [ -f "$d/$k" ] && keys+=(-k "$d/$k")
  done
  whole "${keys[@]}" "$d/capture.pcap"
  # mutants: 3 per message, then 2 with broken lengths allowed
  run "${keys[@]}" -m 3 -s 7 "$d/capture.pcap"
  run "${keys[@]}" -m 2 -s 11 -b "$d/capture.pcap"
done
for f in "$peer"/wireshark/*.pcap* "$peer"/wireshark-wiki/*.pcap "$peer"/wireshark-wiki/ikev2-esp-natt/*.pcap*; do
  [ -f "$f" ] && run "$f"
done
for f in "$peer"/wireshark/ikev*.pcap*; do
  whole -k "$peer/wireshark/ikev1_decryption_table" -k "$peer/wireshark/ikev2_decryption_table" "$f"
  run -k "$peer/wireshark/ikev1_decryption_table" -k "$peer/wireshark/ikev2_decryption_table" -m 2 -s 5 "$f"
done
# live_mutants' dry run (what tests/mutate/run-live-charon.sh sends to
# charon, without sending): the last IKE_AUTH, CREATE_CHILD_SA and
# INFORMATIONAL request of every keyed IKEv2 sample, its message ID set
# anew for each of 10 mutants, decodes with that message ID and every ICV
# verified
lm="$build/tests/live_mutants"
if [ -x "$lm" ]; then
  n=0
  for d in "$src"/samples/*/; do
    [ -f "$d/ikev2_decryption_table" ] || continue
    for x in 35 36 37; do
      out=$("$lm" -k "$d/ikev2_decryption_table" -x $x -d -n 10 -s 9 -b "$d/capture.pcap" 2>&1)
      case $? in
      0) n=$((n + 1)) ;;
      2) grep -q "no IKEv2 initiator request" <<<"$out" || { echo "FAIL: live_mutants -x $x $d"; echo "$out" | tail -5; rc=1; } ;;
      *) echo "FAIL: live_mutants -x $x $d"; grep -v icv-ok <<<"$out" | head; rc=1 ;;
      esac
    done
  done
  [ "$n" -gt 0 ] || { echo "FAIL: live_mutants found no template"; rc=1; }
  echo "ok: live_mutants dry run: $n templates, 10 mutants each, message IDs set, ICVs verified"
fi
exit $rc
