#!/usr/bin/env bash
# Every output the same with 1, 2, 3 and 5 decoding threads (cli/shard.c,
# issue 22): the summary (-v, -vv, -t r), -V (-x), -T json, -T fields, with
# and without -Y, on every sample capture (without its keys: stateless
# threads; with its key tables: partitioned by SA; with its secrets too:
# one thread) and on a generated many-SA capture (tests/bench/gen.py),
# without and with its key tables, whose batches, chunks and frames that
# need state (IKEv1 fragments, Aggressive Mode) exercise the hand-over.
#
#   run-threads.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=${1:?build dir}; src=${2:?source dir}
export PATH="/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}" PYTHONDONTWRITEBYTECODE=1
dump="$build/isakmpdump"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$src/tests/bench/gen.py" --out "$tmp/gen" --size 5e5 >/dev/null
outputs=("" "-vv" "-t r" "-V" "-V -x" "-T json"
         "-T fields -e frame.number -e ike.ispi -e ike.exchangetype -e ike.typepayload"
         "-T json -Y ike.exchangetype==34" "-Y udp.port==4500 or ike.notify.msgtype")
n=0 bad=0
check() {   # check CAPTURE ARGS...: one thread against 2, 3, 5
  local cap=$1; shift
  "$dump" --threads 1 "$@" -r "$cap" >"$tmp/one" 2>"$tmp/err1" || true
  for t in 2 3 5; do
    "$dump" --threads $t "$@" -r "$cap" >"$tmp/many" 2>"$tmp/errn" || true
    n=$((n + 1))
    if ! cmp -s "$tmp/one" "$tmp/many" || ! cmp -s "$tmp/err1" "$tmp/errn"; then
      echo "FAIL: $cap $* --threads $t differs from --threads 1"
      diff "$tmp/one" "$tmp/many" | head -5 || true
      bad=$((bad + 1))
    fi
  done
}
for cap in "$src"/samples/*/capture.pcap "$tmp/gen/bench.pcap"; do
  for o in "${outputs[@]}"; do
    # shellcheck disable=SC2086
    check "$cap" $o
  done
done
# with keys: Wireshark's tables alone partition the frames by SA (a
# context with the keys per thread); with a secrets file, one thread
for d in "$src"/samples/*/; do
  [ -f "$d/capture.pcap" ] || continue
  for with in tables all; do
    k=()
    for f in "$d"/*_decryption_table "$d"/esp_sa "$d"/secrets* "$d"/*.keys; do
      [ -f "$f" ] || continue
      case $with:$f in tables:*_decryption_table|tables:*/esp_sa|all:*) k+=(-k "$f") ;; esac
    done
    [ ${#k[@]} -gt 0 ] || continue
    check "$d/capture.pcap" -T json "${k[@]}"
    check "$d/capture.pcap" -V "${k[@]}"
  done
done
keys=(-k "$tmp/gen/keys/ikev1_decryption_table" -k "$tmp/gen/keys/ikev2_decryption_table")
for o in "${outputs[@]}"; do
  # shellcheck disable=SC2086
  check "$tmp/gen/bench.pcap" $o "${keys[@]}"
done
# a small SA table (--max-sas): SAs dropped all along, with notes where they
# held keys; each thread's context is told of the others' messages, so the
# drops and notes are one thread's (issue 22: with keys they were not)
for o in "-vv" "-T json"; do
  # shellcheck disable=SC2086
  check "$tmp/gen/bench.pcap" $o --max-sas 16 "${keys[@]}"
  # shellcheck disable=SC2086
  check "$tmp/gen/bench.pcap" $o --max-sas 16
done
n_notes=$("$dump" --threads 1 -vv --max-sas 16 "${keys[@]}" -r "$tmp/gen/bench.pcap" | grep -c "SA table full" || true)
[ "$n_notes" -gt 0 ] || { echo "FAIL: --max-sas 16 dropped no SA with a note"; bad=$((bad + 1)); }
# --stats: the same counts, the fragment budget's line included
check "$tmp/gen/bench.pcap" -T json --stats
[ -s "$tmp/one" ] || { echo "FAIL: no output"; bad=$((bad + 1)); }
echo "threads: $n comparisons, $bad differing"
[ "$bad" = 0 ]
