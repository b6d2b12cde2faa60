#!/usr/bin/env bash
# isakmpdump --mutate on every keyed sample: the mutants' ICVs verify under
# isakmpdump and tshark (the same key tables), IKEv1 mutants and the
# messages after them decrypt in both (the IV chain carried through the
# written file); once more with --mutate-break (tests/mutate/check_mutate_cli.py).
set -uo pipefail
build=$1 src=$2
command -v tshark >/dev/null || { echo "tshark not found: skipped"; exit 77; }
rc=0
for d in "$src"/samples/*/; do
  [ -f "$d/capture.pcap" ] || continue
  [ -f "$d/ikev1_decryption_table" ] || [ -f "$d/ikev2_decryption_table" ] || continue
  # not a sample whose ciphers tshark cannot decrypt (ChaCha20-Poly1305): this
  # test reads every mutant back with tshark (run-edit.sh checks our own
  # decoder's mutants of it)
  grep -q '"tshark_cannot_decrypt": true' "$d/config.json" 2>/dev/null && continue
  python3 "$src/tests/mutate/check_mutate_cli.py" --isakmpdump "$build/isakmpdump" --keys "$d" \
    --mutate 3 --seed 5 "$d/capture.pcap" || rc=1
  python3 "$src/tests/mutate/check_mutate_cli.py" --isakmpdump "$build/isakmpdump" --keys "$d" \
    --mutate 2 --seed 9 --break "$d/capture.pcap" || rc=1
done
exit $rc
