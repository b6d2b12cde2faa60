#!/usr/bin/env bash
# Runs the libFuzzer harnesses (tests/fuzz/) and fails on any crash, leak,
# timeout or out-of-memory.
#
#   scripts/fuzz.sh                  short run for CI: 20 s per harness
#   scripts/fuzz.sh --short SECONDS  short run, SECONDS per harness
#   scripts/fuzz.sh --long HOURS     a campaign: HOURS in all, shared out
#                                    between the harnesses (one core)
#   options: --only decode,keys  --no-build  --build DIR (default build-fuzz)
#
# Builds build-fuzz/ with clang (14 on Debian 12, 19 on 13), ASan+UBSan and libFuzzer; seeds come from
# samples/ and ../shared/peer-suite (tests/fuzz/make-corpus.sh, at run time);
# the growing corpus stays in build-fuzz/fuzz-corpus/<harness>/ between runs.
# A crasher is saved in build-fuzz/fuzz-artifacts/<harness>/: minimise it
# (fuzz_<harness> -minimize_crash=1 FILE), then add it as
# tests/fuzz/regressions/<harness>/<name> so fuzz.replay.<harness> keeps it.
# Per-harness results (executions, coverage) go to build-fuzz/fuzz-stats.tsv.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# Debian's own tools first: a python3 elsewhere on PATH may carry other modules
export PATH="/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}" PYTHONDONTWRITEBYTECODE=1
build="$top/build-fuzz"
per=20
only="decode,decrypt,sequence,keys,capture,filter,esp,mutator"
dobuild=1
mode=short
while [ $# -gt 0 ]; do
  case "$1" in
    --short) per=$2; shift 2;;
    --long) mode=long; hours=$2; shift 2;;
    --only) only=$2; shift 2;;
    --no-build) dobuild=0; shift;;
    --build) build=$2; shift 2;;
    -h|--help) sed -n '2,18p' "$0"; exit 0;;
    *) echo "fuzz.sh: unknown option $1" >&2; exit 2;;
  esac
done
IFS=, read -r -a harnesses <<< "$only"
if [ "$mode" = long ]; then
  per=$(awk -v h="$hours" -v n="${#harnesses[@]}" 'BEGIN { printf "%d", h * 3600 / n }')
fi

cc=$(command -v clang || true)
[ -n "$cc" ] || { echo "fuzz.sh: clang is needed (scripts/deps.sh installs it)" >&2; exit 1; }
# Builds the given fuzz targets.  A campaign goes on with the last good
# binaries when the build fails (others edit the tree while it runs); a short
# run is a check, and a broken build fails it.
build_targets() {
  [ "$dobuild" = 1 ] || return 0
  cmake -S "$top" -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DISAKMP_SANITIZE=ON -DISAKMP_FUZZ=ON -DISAKMP_PLUGIN=OFF >/dev/null
  local targets=()
  for t in "$@"; do targets+=(--target "fuzz_$t"); done
  if ! cmake --build "$build" -j2 "${targets[@]}" >"$build/fuzz-build.log" 2>&1; then
    if [ "$mode" = long ]; then
      echo "fuzz.sh: build failed (see $build/fuzz-build.log); using the existing binaries" >&2
    else
      tail -20 "$build/fuzz-build.log" >&2
      exit 1
    fi
  fi
}
# a campaign rebuilds each harness just before it runs, to fuzz the newest code
[ "$mode" = long ] || build_targets "${harnesses[@]}"

# per run: two campaigns may share a build directory's corpora
seeds="$build/fuzz-seeds.$$"
rm -rf "$seeds"
trap 'rm -rf "$seeds"' EXIT
"$top/tests/fuzz/make-corpus.sh" "$seeds" "$top" 2>/dev/null >/dev/null || true

export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=0:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
stats="$build/fuzz-stats.tsv"
[ -f "$stats" ] || printf 'date\tharness\tseconds\tcpu_seconds\texecutions\tcoverage\tfeatures\tcorpus\tresult\n' > "$stats"
failed=()
for h in "${harnesses[@]}"; do
  [ "$mode" = long ] && build_targets "$h"
  bin="$build/tests/fuzz/fuzz_$h"
  [ -x "$bin" ] || { echo "fuzz.sh: $bin missing" >&2; failed+=("$h"); continue; }
  corpus="$build/fuzz-corpus/$h"
  art="$build/fuzz-artifacts/$h/"
  mkdir -p "$corpus" "$art" "$seeds/$h"
  # the edit API's harness: the decode seeds, with every sample's IKE keys
  # (so mutants of encrypted messages are encrypted again and reach the parsers)
  if [ "$h" = mutator ]; then
    cp -n "$seeds/decode/"* "$seeds/$h/" 2>/dev/null || true
    ISAKMP_MUTATOR_KEYS=$(ls "$top"/samples/*/ike*_decryption_table "$top"/samples/pq/*/ike*_decryption_table \
                          2>/dev/null | paste -sd: -)
    export ISAKMP_MUTATOR_KEYS
  fi
  case "$h" in
    keys) dict=keys.dict; maxlen=8192;;
    capture) dict=pcap.dict; maxlen=65536;;
    filter) dict=filter.dict; maxlen=16384;;
    esp) dict=esp.dict; maxlen=8192;;
    mutator) dict=ike.dict; maxlen=16384;;
    sequence) dict=ike.dict; maxlen=65536;;
    *) dict=ike.dict; maxlen=16384;;
  esac
  log="$build/fuzz-$h.log"
  echo "fuzz.sh: $h for ${per}s" >&2
  rc=0
  # the CPU time the harness really had (on a shared machine it is less
  # than the wall time max_total_time counts)
  TIMEFORMAT='%U %S'
  { time "$bin" -max_total_time="$per" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
    -max_len="$maxlen" -dict="$top/tests/fuzz/$dict" -artifact_prefix="$art" \
    -print_final_stats=1 -close_fd_mask=1 \
    "$corpus" "$seeds/$h" "$top/tests/fuzz/regressions/$h" >"$log" 2>&1 || rc=$?; } 2>"$build/fuzz-$h.cpu"
  cpu=$(awk '{ printf "%d", $1 + $2 }' "$build/fuzz-$h.cpu" 2>/dev/null || echo '?')
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$last")
  ncorp=$(ls "$corpus" | wc -l)
  result=ok
  if [ "$rc" -ne 0 ]; then
    result=FAIL
    failed+=("$h")
    echo "fuzz.sh: $h FAILED (exit $rc); log $log, artifacts:" >&2
    ls -1 "$art" >&2 || true
    grep -E 'ERROR|SUMMARY|^ *#[0-9]+ 0x' "$log" | head -30 >&2 || true
  fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$h" "$per" "${cpu:-?}" "${execs:-?}" \
    "${cov:-?}" "${ft:-?}" "$ncorp" "$result" >> "$stats"
  echo "fuzz.sh: $h: ${cpu:-?} CPU seconds, ${execs:-?} executions, cov ${cov:-?}, ft ${ft:-?}, corpus $ncorp, $result" >&2
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: failed: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz.sh: all harnesses ran clean" >&2
