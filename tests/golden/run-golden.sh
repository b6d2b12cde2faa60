#!/usr/bin/env bash
# Golden tests: isakmpdump's four outputs (summary, -V, -T json, -T fields)
# for every sample capture (samples/*/capture.pcap and samples/pq/*/, with
# the key files next to it) and every peer-suite capture (../shared/peer-suite, read in place),
# compared with tests/golden/expected/.
#
#   run-golden.sh BUILD_DIR SOURCE_DIR            compare
#   run-golden.sh BUILD_DIR SOURCE_DIR --update   rewrite the expected files
#   ISAKMP_GOLDEN_UPDATE=1 ctest -R golden        the same through ctest
#
# After an intended change to the decoder or the writers: run with --update,
# then review `git diff tests/golden/expected` before committing.
set -euo pipefail
build=${1:?build dir}; src=${2:?source dir}
update=${ISAKMP_GOLDEN_UPDATE:-0}
[ "${3:-}" = "--update" ] && update=1
dump="$build/isakmpdump"
exp="$src/tests/golden/expected"
peer="$src/../shared/peer-suite"
FIELDS=(frame.number ip.src ip.dst ipv6.src ipv6.dst udp.srcport udp.dstport tcp.srcport
        ike.ispi ike.rspi ike.nextpayload ike.version ike.exchangetype ike.flags ike.messageid
        ike.length ike.typepayload ike.payloadlength)
eargs=()
for f in "${FIELDS[@]}"; do eargs+=(-e "$f"); done

# name capture key-file... : one golden case per line, tab-separated
cases() {
  local d f k
  for d in "$src"/samples/*/; do
    d=${d%/}
    [ -f "$d/capture.pcap" ] || continue
    k=""
    for f in "$d"/*_decryption_table "$d"/esp_sa "$d"/secrets* "$d"/*.keys; do
      [ -f "$f" ] && k+=$'\t'"$f"
    done
    printf 'samples-%s\t%s%s\n' "$(basename "$d")" "$d/capture.pcap" "$k"
  done
  # strongSwan 6 samples with RFC 9370 key epochs (samples/pq/): the table
  # with one line per epoch and the secrets
  for d in "$src"/samples/pq/*/; do
    d=${d%/}
    [ -f "$d/capture.pcap" ] || continue
    k=""
    for f in "$d"/ikev2_decryption_table "$d"/esp_sa "$d"/secrets.txt; do
      [ -f "$f" ] && k+=$'\t'"$f"
    done
    printf 'samples-pq-%s\t%s%s\n' "$(basename "$d")" "$d/capture.pcap" "$k"
  done
  if [ -d "$peer/wireshark" ]; then
    for f in "$peer"/wireshark/*.pcap "$peer"/wireshark/*.pcapng "$peer"/wireshark/*.pcapng.gz; do
      [ -f "$f" ] || continue
      printf 'peer-wireshark-%s\t%s\t%s\t%s\n' "$(basename "$f")" "$f" \
        "$peer/wireshark/ikev1_decryption_table" "$peer/wireshark/ikev2_decryption_table"
    done
  fi
  if [ -d "$peer/wireshark-wiki" ]; then
    f="$peer/wireshark-wiki/attachment_ikev1_main_mode.pcap"
    [ -f "$f" ] && printf 'peer-wiki-%s\t%s\n' "$(basename "$f")" "$f"
    d="$peer/wireshark-wiki/ikev2-esp-natt"
    [ -f "$d/capture.pcapng" ] &&
      printf 'peer-wiki-ikev2-esp-natt\t%s\t%s\n' "$d/capture.pcapng" "$d/ikev2_decryption_table"
  fi
}

# Writes the four outputs of one case into directory $1.
outputs() {
  local out=$1 cap=$2; shift 2
  local kargs=() k
  for k in "$@"; do kargs+=(-k "$k"); done
  local e="$out/stderr.txt"
  : >"$e"
  { "$dump" "${kargs[@]}" "$cap" || echo "exit $?"; } >"$out/summary.txt" 2>>"$e"
  { "$dump" "${kargs[@]}" -V "$cap" || echo "exit $?"; } >"$out/tree.txt" 2>>"$e"
  { "$dump" "${kargs[@]}" -T json "$cap" || echo "exit $?" >&2; } >"$out/json.jsonl" 2>>"$e"
  { "$dump" "${kargs[@]}" -T fields -E header=y "${eargs[@]}" "$cap" || echo "exit $?"; } \
    >"$out/fields.tsv" 2>>"$e"
  # key files are named by their full path in messages: keep goldens portable
  sed -i "s|$src/../shared/|SHARED/|g; s|$src/|SRC/|g" "$e"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0; bad=0; missing=0
while IFS=$'\t' read -r name cap keys; do
  n=$((n + 1))
  IFS=$'\t' read -r -a karr <<<"${keys:-}"
  mkdir -p "$tmp/$name"
  outputs "$tmp/$name" "$cap" "${karr[@]}"
  # every JSON record of every sample must follow the published schema
  if command -v python3 >/dev/null &&
     ! python3 "$src/tests/cli/jsonschema_mini.py" "$src/cli/isakmpdump-json.schema.json" \
       "$tmp/$name/json.jsonl" >"$tmp/schema.log"; then
    echo "SCHEMA: $name"; head -5 "$tmp/schema.log"; bad=$((bad + 1))
  fi
  if [ "$update" = 1 ]; then
    mkdir -p "$exp/$name"
    cp "$tmp/$name"/* "$exp/$name/"
    continue
  fi
  if [ ! -d "$exp/$name" ]; then
    echo "MISSING: no expected outputs for $name ($cap): run $0 $build $src --update"
    missing=$((missing + 1))
    continue
  fi
  for f in summary.txt tree.txt json.jsonl fields.tsv stderr.txt; do
    if ! diff -u "$exp/$name/$f" "$tmp/$name/$f" >"$tmp/diff" 2>&1; then
      echo "DIFF: $name/$f"
      head -40 "$tmp/diff"
      bad=$((bad + 1))
    fi
  done
done < <(cases)

if [ "$update" = 1 ]; then
  # expected outputs of captures that are gone
  for d in "$exp"/*/; do
    [ -d "$d" ] || continue
    cases | cut -f1 | grep -qxF "$(basename "$d")" || { echo "removing stale $(basename "$d")"; rm -rf "$d"; }
  done
  echo "updated the expected outputs of $n captures in $exp"
  exit 0
fi
[ "$n" -eq 0 ] && { echo "no captures found: skipped"; exit 77; }
echo "$n captures, $bad differing outputs, $missing without expected outputs"
[ "$bad" -eq 0 ] && [ "$missing" -eq 0 ]
