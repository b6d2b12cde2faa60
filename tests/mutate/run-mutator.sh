#!/usr/bin/env bash
# The fuzzer mutators (mutator/): the AFL++ custom mutator, driven as
# afl-fuzz drives it (tests: afl_driver), on every message of the keyed
# samples with their key tables: its mutants are checked by edit_check's
# rules (decoded in sequence after the capture's messages would need the
# capture: here each mutant must parse as IKE and, for IKEv2 SK messages,
# verify its ICV: isakmpdump -k on a pcap of them); the dictionary program
# prints AFL dictionary lines.
set -uo pipefail
build=$1 src=$2
so="$build/libisakmp_afl_mutator.so"
[ -e "$so" ] || { echo "no $so: skipped"; exit 77; }
rc=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the dictionary: every line a comment or name="\xHH..."
"$build/isakmp-mutator-dict" >"$tmp/ike.dict" || rc=1
n=$(grep -c '^[a-z0-9_]*="\(\\x[0-9a-f][0-9a-f]\)*"$' "$tmp/ike.dict")
other=$(grep -vc '^#\|^[a-z0-9_]*="\(\\x[0-9a-f][0-9a-f]\)*"$' "$tmp/ike.dict")
if [ "$n" -lt 300 ] || [ "$other" -ne 0 ]; then
  echo "FAIL: dictionary: $n entries, $other lines of another form"; rc=1
else
  echo "ok: dictionary: $n entries"
fi
# the AFL++ mutator on each IKEv2 sample's messages, with the sample's table
for d in "$src"/samples/ikev2-*/; do
  [ -f "$d/ikev2_decryption_table" ] || continue
  name=$(basename "$d")
  mkdir -p "$tmp/$name/in" "$tmp/$name/out"
  python3 "$src/tests/mutate/split_messages.py" "$d/capture.pcap" "$tmp/$name/in" || { rc=1; continue; }
  out=$(ISAKMP_MUTATOR_KEYS="$d/ikev2_decryption_table" ISAKMP_MUTATOR_INNER=1 \
        "$build/tests/afl_driver" "$so" 4 "$tmp/$name/out" "$tmp/$name/in"/*) || { echo "FAIL: $name: afl_driver"; rc=1; continue; }
  # every mutant as a frame of its own, read back with the keys
  python3 "$src/tests/mutate/split_messages.py" --join "$tmp/$name/out" "$tmp/$name/mutants.pcap" || { rc=1; continue; }
  verdicts=$("$build/isakmpdump" -k "$d/ikev2_decryption_table" -T fields -e ike.verify.icv \
             "$tmp/$name/mutants.pcap" | tr ',' '\n' | sort | uniq -c | tr '\n' ' ')
  if grep -q "False" <<<"$verdicts" || ! grep -q "True" <<<"$verdicts"; then
    echo "FAIL: $name: $out; ICV verdicts of the mutants: $verdicts"; rc=1
  else
    echo "ok: $name: $out; ICV verdicts: $verdicts"
  fi
done
exit $rc
