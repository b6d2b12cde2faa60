#!/usr/bin/env bash
# ESP decryption benchmark (#21, speed): for each suite (AES-GCM-128 16-octet
# ICV; AES-CBC-128 with HMAC-SHA-256-128), a capture of --packets ESP
# packets of one SA carrying --size byte inner packets (tests/bench/esp_bench
# gen, deterministic), then
#   - libgcrypt alone opening the same packets (esp_bench raw: handles keyed
#     once, per packet reset / IV / AAD / decrypt / tag, or HMAC then CBC),
#   - the bare libpcap loop over the capture,
#   - isakmpdump --decrypt-esp -w /dev/null -k esp_sa,
#   - tshark decrypting the same ESP with the same esp_sa
#     (-o esp.enable_encryption_decode:TRUE, the esp_sa UAT in $HOME),
# each timed --runs times: the median CPU seconds (user + system, from
# /usr/bin/time; what a loaded machine moves least) and the median wall
# seconds.  Writes a markdown table to OUT/esp-results.md.
#   tests/bench/esp.sh [--packets N] [--size BYTES] [--runs N] [--build DIR] [--out DIR]
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
packets=100000 size=1000 runs=3 out="$top/tests/bench/out" build=""
while [ $# -gt 0 ]; do
  case $1 in
    --packets) packets=$2; shift 2 ;;
    --size) size=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --build) build=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --smoke) packets=2000 runs=1; shift ;;
    *) echo "usage: $0 [--packets N] [--size BYTES] [--runs N] [--build DIR] [--out DIR]" >&2; exit 2 ;;
  esac
done
build=${build:-$top/build-bench}
if [ ! -x "$build/isakmpdump" ] || [ ! -x "$build/tests/bench_esp" ] || [ ! -x "$build/tests/bench_pcap_loop" ]; then
  cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release -DISAKMP_PLUGIN=OFF >/dev/null
  cmake --build "$build" -j"$(nproc)" --target isakmpdump bench_esp bench_pcap_loop >/dev/null
fi
dump="$build/isakmpdump" gen="$build/tests/bench_esp" loop="$build/tests/bench_pcap_loop"
d="$out/esp"
mkdir -p "$d"
rows="$d/rows.tsv"
: >"$rows"
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# time NAME CMD...: the median of $runs wall times
timeit() {
  local name=$1; shift
  local t=() c=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S" -o "$d/time.txt" "$@" >"$d/stdout.txt" 2>"$d/stderr.txt" ||
      { echo "FAILED: $name ($(tail -1 "$d/stderr.txt"))" >&2; return 1; }
    read -r e u s <"$d/time.txt"
    t+=("$e")
    c+=("$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')")
  done
  local med cpu
  med=$(printf '%s\n' "${t[@]}" | median)
  cpu=$(printf '%s\n' "${c[@]}" | median)
  printf '%s\t%s\t%s\t%s\n' "$suite" "$name" "$cpu" "$med" >>"$rows"
  echo "  $suite $name: ${cpu}s CPU, ${med}s wall" >&2
}
for suite in gcm cbc; do
  cap="$d/esp-$suite.pcap" sa="$d/esp-$suite.sa"
  "$gen" gen "$cap" "$sa" "$packets" "$size" "$suite"
  home="$d/home-$suite"
  mkdir -p "$home/.config/wireshark"
  cp "$sa" "$home/.config/wireshark/esp_sa"
  # every packet must decrypt, for us and for tshark, or the times mean nothing
  n=$("$dump" --stats -k "$sa" "$cap" 2>&1 >/dev/null | sed -n 's/.*ESP: \([0-9]*\) decrypted, 0 ICV failed.*/\1/p')
  [ "$n" = "$packets" ] || { echo "FAILED: isakmpdump decrypted $n of $packets ($suite)" >&2; exit 1; }
  tn=$(HOME=$home tshark -n -r "$cap" -o esp.enable_encryption_decode:TRUE -Y udp.dstport==6000 -T fields -e frame.number | wc -l)
  [ "$tn" = "$packets" ] || { echo "FAILED: tshark decrypted $tn of $packets ($suite)" >&2; exit 1; }
  # libgcrypt alone: the per-packet and bulk figures it prints
  # (its loops timed on its own CPU clock, wall clock beside)
  raws=() bulks=() rawsw=() bulksw=()
  for _ in $(seq "$runs"); do
    r=$("$gen" raw "$packets" "$size" "$suite")
    raws+=("$(sed -n 's/^per-packet \([0-9.]*\) s cpu.*/\1/p' <<<"$r")")
    rawsw+=("$(sed -n 's/^per-packet .* \([0-9.]*\) s wall.*/\1/p' <<<"$r")")
    bulks+=("$(sed -n 's/^bulk \([0-9.]*\) s cpu.*/\1/p' <<<"$r")")
    bulksw+=("$(sed -n 's/^bulk .* \([0-9.]*\) s wall.*/\1/p' <<<"$r")")
  done
  printf '%s\t%s\t%s\t%s\n' "$suite" "libgcrypt alone, per packet" \
    "$(printf '%s\n' "${raws[@]}" | median)" "$(printf '%s\n' "${rawsw[@]}" | median)" >>"$rows"
  printf '%s\t%s\t%s\t%s\n' "$suite" "libgcrypt alone, 64 KiB calls" \
    "$(printf '%s\n' "${bulks[@]}" | median)" "$(printf '%s\n' "${bulksw[@]}" | median)" >>"$rows"
  timeit "bare libpcap loop" "$loop" "$cap"
  timeit "isakmpdump --decrypt-esp -w /dev/null" "$dump" --decrypt-esp -w /dev/null -k "$sa" "$cap"
  timeit "tshark, esp_sa, decrypting" env HOME="$home" tshark -n -r "$cap" -o esp.enable_encryption_decode:TRUE
  [ "${KEEP:-0}" = 1 ] || rm -f "$cap"
done
{
  echo "ESP capture: $packets packets per suite, inner packets of $size bytes, one SA; $runs runs, medians"
  echo
  echo "| suite | command | CPU s | wall s | packets/s (CPU) | x libgcrypt per packet (CPU) |"
  echo "|---|---|---:|---:|---:|---:|"
  awk -F'\t' -v n="$packets" '
    { t[$1 "\t" $2] = $3; w[$1 "\t" $2] = $4; order[++k] = $1 "\t" $2 }
    END { for (i = 1; i <= k; i++) { split(order[i], a, "\t"); s = t[order[i]];
            base = t[a[1] "\tlibgcrypt alone, per packet"];
            printf "| %s | %s | %.3f | %.3f | %.0f | %.2f |\n", a[1], a[2], s, w[order[i]],
                   (s > 0 ? n / s : 0), (base > 0 ? s / base : 0) } }' "$rows"
} >"$d/esp-results.md"
cat "$d/esp-results.md"
