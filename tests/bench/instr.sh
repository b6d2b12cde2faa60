#!/usr/bin/env bash
# Instructions per output (callgrind, one thread): what the optimisation work
# is steered by, steadier than times on a shared machine.
#
#   tests/bench/instr.sh [--size BYTES] [--build DIR] [--out DIR]
#
# Generates a capture (tests/bench/gen.py) and a dense one (--ike-only),
# counts the instructions of the bare libpcap loop and of each isakmpdump
# output with --threads 1, and prints a markdown table: instructions, per
# IKE message, and the output's bytes.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
size=5e6 out="$top/tests/bench/out-instr" build="$top/build-bench"
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: $0 [--size BYTES] [--build DIR] [--out DIR]" >&2; exit 2 ;;
  esac
done
if [ ! -x "$build/isakmpdump" ] || [ ! -x "$build/tests/bench_pcap_loop" ]; then
  cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release -DISAKMP_PLUGIN=OFF >/dev/null
  cmake --build "$build" -j"$(nproc)" --target isakmpdump bench_pcap_loop >/dev/null
fi
mkdir -p "$out"
fields=()
for f in frame.number ike.ispi ike.rspi ike.exchangetype ike.messageid ike.typepayload \
         ike.notify.msgtype ike.vid_string; do
  fields+=(-e "$f")
done
echo "| capture | command | instructions | per IKE message | output bytes |"
echo "|---|---|---:|---:|---:|"
for kind in mixed dense; do
  d="$out/$kind"
  python3 "$top/tests/bench/gen.py" --out "$d" --size "$size" $([ $kind = dense ] && echo --ike-only) >/dev/null
  cap="$d/bench.pcap"
  keys=(-k "$d/keys/ikev1_decryption_table" -k "$d/keys/ikev2_decryption_table")
  msgs=$("$build/isakmpdump" --threads 1 -T fields -e frame.number "$cap" | wc -l)
  count() {   # count NAME CMD...
    local name=$1; shift
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" >"$out/o" 2>"$out/log"
    local ir
    ir=$(sed -n 's/.*refs: *//p' "$out/log" | tr -d ,)
    printf '| %s | %s | %d | %d | %d |\n' "$kind" "$name" "$ir" $((ir / msgs)) "$(stat -c %s "$out/o")"
  }
  count "bare libpcap loop" "$build/tests/bench_pcap_loop" "$cap"
  count "-T fields" "$build/isakmpdump" --threads 1 -T fields "${fields[@]}" "$cap"
  count "-T fields (keys)" "$build/isakmpdump" --threads 1 -T fields "${fields[@]}" "${keys[@]}" "$cap"
  count "summary (keys)" "$build/isakmpdump" --threads 1 "${keys[@]}" "$cap"
  count "-T json" "$build/isakmpdump" --threads 1 -T json "$cap"
  count "-T json (keys)" "$build/isakmpdump" --threads 1 -T json "${keys[@]}" "$cap"
  count "-V (keys)" "$build/isakmpdump" --threads 1 -V "${keys[@]}" "$cap"
  count "--report (keys)" "$build/isakmpdump" --threads 1 --report "${keys[@]}" "$cap"
done
rm -f "$out/o" "$out/log"
