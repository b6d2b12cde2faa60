#!/usr/bin/env bash
# Benchmark harness: isakmpdump against tshark and against a bare libpcap loop.
#
#   tests/bench/run.sh [--size BYTES] [--runs N] [--smoke] [--out DIR]
#
# Builds a Release tree (build-bench), generates a capture of about --size
# bytes from the samples (tests/bench/gen.py), then times each command --runs
# times (median wall time to the microsecond from bash's EPOCHREALTIME, peak
# RSS from /usr/bin/time; the sub-second commands at least 7 times), then 21
# alternating pairs of the bare loop and
# isakmpdump -T fields, and writes a markdown table to OUT/results.md; then
# the ESP decryption rows (tests/bench/esp.sh, appended to it).  --smoke: a tiny capture, one run, no tshark -V;
# it only proves the harness still works (CI runs it; nothing is judged on time).
set -euo pipefail
export LC_ALL=C   # EPOCHREALTIME's decimal point is the locale's
[ -n "${EPOCHREALTIME:-}" ] || { echo "bash 5 or later needed (EPOCHREALTIME)" >&2; exit 1; }
top=$(cd "$(dirname "$0")/../.." && pwd)
size=200e6 runs=3 fast_runs=7 smoke=0 out="$top/tests/bench/out"
while [ $# -gt 0 ]; do
  case $1 in
    --size) size=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --smoke) smoke=1 size=3e5 runs=1 fast_runs=1; shift ;;
    --out) out=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    *) echo "usage: $0 [--size BYTES] [--runs N] [--smoke] [--out DIR]" >&2; exit 2 ;;
  esac
done
build=${build:-$top/build-bench}
[ "$runs" -le "$fast_runs" ] || fast_runs=$runs
mkdir -p "$out"
if [ ! -x "$build/isakmpdump" ] || [ ! -x "$build/tests/bench_pcap_loop" ] ||
   [ ! -x "$build/tests/bench_esp" ]; then
  cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release -DISAKMP_PLUGIN=OFF >/dev/null
  cmake --build "$build" -j"$(nproc)" --target isakmpdump bench_pcap_loop bench_esp >/dev/null
fi
dump="$build/isakmpdump" loop="$build/tests/bench_pcap_loop"

data="$out/data"
python3 "$top/tests/bench/gen.py" --out "$data" --size "$size" >"$out/gen.txt"
python3 "$top/tests/bench/gen.py" --out "$data/multi" --size "$size" --files 4 >/dev/null
python3 "$top/tests/bench/gen.py" --out "$data/dense" --size "$size" --ike-only >"$out/gen-dense.txt"
cap="$data/bench.pcap"
keys=(-k "$data/keys/ikev1_decryption_table" -k "$data/keys/ikev2_decryption_table")
# tshark reads its decryption tables from the profile of $HOME.
twk="$out/tshark-keys" tnok="$out/tshark-nokeys"
mkdir -p "$twk/.config/wireshark" "$tnok/.config/wireshark"
cp "$data/keys/"* "$twk/.config/wireshark/"
fields=(frame.number ike.ispi ike.rspi ike.exchangetype ike.messageid ike.typepayload
        ike.notify.msgtype ike.vid_string)
ours_e=() ws_e=()
for f in "${fields[@]}"; do
  ours_e+=(-e "$f")
  ws_e+=(-e "${f/#ike./isakmp.}")
done

results="$out/results.tsv"
: >"$results"
# The wall time of a command, in seconds to the microsecond: /usr/bin/time's
# %e has 10 ms steps, which at 0.15 s moved a ratio to the loop by 0.07x.
elapsed() {   # elapsed START END (two EPOCHREALTIME readings)
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", b - a }'
}
# measure NAME CMD...: median wall seconds and peak RSS (KiB) over $runs runs
# ($fast_runs for the sub-second commands, whose medians noise moves most:
# page-cache and scheduler hiccups of 0.1 s are a third of their time).
measure() {
  local name=$1; shift
  local t=() m=0 n=$runs
  case $name in *"bare libpcap loop"|*"isakmpdump -T fields"*|write*) n=$fast_runs ;; esac
  case $name in *"(keys)") n=$runs ;; esac
  for _ in $(seq "$n"); do
    local t0=$EPOCHREALTIME
    /usr/bin/time -f "%M" -o "$out/time.txt" "$@" >/dev/null 2>"$out/stderr.txt" ||
      { echo "FAILED: $name ($(tail -1 "$out/stderr.txt"))" >&2; return 1; }
    local t1=$EPOCHREALTIME
    if grep -qE "CRITICAL|GLib-WARNING|AddressSanitizer|LeakSanitizer|runtime error:" "$out/stderr.txt"; then
      echo "FAILED: $name printed errors:" >&2
      head -20 "$out/stderr.txt" >&2
      return 1
    fi
    local sec kib
    sec=$(elapsed "$t0" "$t1")
    read -r kib <"$out/time.txt"
    t+=("$sec")
    [ "$kib" -gt "$m" ] && m=$kib
  done
  local med
  med=$(printf '%s\n' "${t[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf '%s\t%s\t%s\n' "$name" "$med" "$m" >>"$results"
  echo "  $name: ${med}s, ${m} KiB" >&2
}

echo "capture: $(cat "$out/gen.txt")" >&2
measure "bare libpcap loop" "$loop" "$cap"
measure "isakmpdump -T fields" "$dump" -T fields "${ours_e[@]}" "$cap"
measure "isakmpdump -T fields --threads 1" "$dump" --threads 1 -T fields "${ours_e[@]}" "$cap"
measure "isakmpdump -T fields (keys)" "$dump" -T fields "${ours_e[@]}" "${keys[@]}" "$cap"
measure "isakmpdump -V (keys)" "$dump" -V "${keys[@]}" "$cap"
measure "isakmpdump -T json (keys)" "$dump" -T json "${keys[@]}" "$cap"
measure "isakmpdump -T json" "$dump" -T json "$cap"
measure "isakmpdump -T json --threads 1 (keys)" "$dump" --threads 1 -T json "${keys[@]}" "$cap"
measure "isakmpdump --report (keys)" "$dump" --report "${keys[@]}" "$cap"
measure "isakmpdump summary (keys)" "$dump" "${keys[@]}" "$cap"
measure "tshark -T fields" env HOME="$tnok" tshark -n -r "$cap" -Y isakmp -T fields "${ws_e[@]}"
measure "tshark -T fields (keys)" env HOME="$twk" tshark -n -r "$cap" -Y isakmp -T fields "${ws_e[@]}"
if [ "$smoke" = 0 ]; then
  measure "tshark -V (keys)" env HOME="$twk" tshark -n -r "$cap" -Y isakmp -V
  measure "tshark -T json (keys)" env HOME="$twk" tshark -n -r "$cap" -Y isakmp -T json
  measure "tshark -T ek (keys)" env HOME="$twk" tshark -n -r "$cap" -Y isakmp -T ek
  measure "tshark -T json" env HOME="$tnok" tshark -n -r "$cap" -Y isakmp -T json
fi
# The limit of each output: the bare loop plus writing its bytes to /dev/null
# (from the page cache: what remains once decoding and formatting cost nothing).
for o in json V; do
  "$dump" $([ $o = json ] && echo -T json || echo -V) "${keys[@]}" "$cap" >"$out/bytes.$o"
  measure "write the $([ $o = json ] && echo "-T json" || echo "-V") (keys) bytes to /dev/null ($(( $(stat -c %s "$out/bytes.$o") / 1000000 )) MB)" \
    cat "$out/bytes.$o"
  rm -f "$out/bytes.$o"
done

# The dense capture: every frame carries IKE (gen.py --ike-only), so the
# decoder, not the reading loop, is most of the work.
dense="$data/dense/bench.pcap"
dkeys=(-k "$data/dense/keys/ikev1_decryption_table" -k "$data/dense/keys/ikev2_decryption_table")
twd="$out/tshark-dense-keys"
mkdir -p "$twd/.config/wireshark"
cp "$data/dense/keys/"* "$twd/.config/wireshark/"
measure "dense: bare libpcap loop" "$loop" "$dense"
measure "dense: isakmpdump -T fields" "$dump" -T fields "${ours_e[@]}" "$dense"
measure "dense: isakmpdump -T fields (keys)" "$dump" -T fields "${ours_e[@]}" "${dkeys[@]}" "$dense"
measure "dense: isakmpdump -T json (keys)" "$dump" -T json "${dkeys[@]}" "$dense"
measure "dense: isakmpdump -V (keys)" "$dump" -V "${dkeys[@]}" "$dense"
measure "dense: tshark -T fields (keys)" env HOME="$twd" tshark -n -r "$dense" -Y isakmp -T fields "${ws_e[@]}"
if [ "$smoke" = 0 ]; then
  measure "dense: tshark -T json (keys)" env HOME="$twd" tshark -n -r "$dense" -Y isakmp -T json
  measure "dense: tshark -V (keys)" env HOME="$twd" tshark -n -r "$dense" -Y isakmp -V
fi
multi=("$data"/multi/bench-*.pcap)
# (the help read whole first: with pipefail, grep -q leaving early made the
# pipe fail on SIGPIPE and the row went missing)
help=$("$dump" --help 2>&1 || true)
if grep -q -- "-j N" <<<"$help"; then
  measure "isakmpdump -j $(nproc) -T fields, 4 files" "$dump" -j "$(nproc)" -T fields "${ours_e[@]}" "${multi[@]}"
fi
measure "tshark per file, $(nproc) at a time, 4 files" sh -c \
  "printf '%s\n' \"\$@\" | HOME='$tnok' xargs -P $(nproc) -I{} tshark -n -r {} -Y isakmp -T fields $(printf '%q ' "${ws_e[@]}")" \
  sh "${multi[@]}"

# Paired runs: the bare loop and isakmpdump -T fields alternate, so a slow
# minute of the machine slows both; the median of the per-pair ratios is
# the 2x-the-loop figure least moved by drift (on both captures).
pairs=$([ "$smoke" = 1 ] && echo 1 || echo 21)
for c in "$cap" "$dense"; do
  for _ in $(seq "$pairs"); do
    a=$EPOCHREALTIME; "$loop" "$c" >/dev/null; b=$EPOCHREALTIME
    "$dump" -T fields "${ours_e[@]}" "$c" >/dev/null; d=$EPOCHREALTIME
    echo "$(elapsed "$a" "$b") $(elapsed "$b" "$d")"
  done >"$out/pairs$([ "$c" = "$dense" ] && echo -dense).txt"
done

python3 "$top/tests/bench/table.py" "$results" "$cap" "$out/gen.txt" "$out/pairs.txt" \
  "$out/pairs-dense.txt" "$out/gen-dense.txt" >"$out/results.md"
# ESP decryption (#21): isakmpdump --decrypt-esp against libgcrypt alone and
# tshark on a generated capture of one SA (tests/bench/esp.sh)
bash "$top/tests/bench/esp.sh" $([ "$smoke" = 1 ] && echo --smoke) --runs "$runs" \
  --build "$build" --out "$out" >/dev/null
{ echo; echo "### ESP decryption"; echo; cat "$out/esp/esp-results.md"; } >>"$out/results.md"
cat "$out/results.md"
