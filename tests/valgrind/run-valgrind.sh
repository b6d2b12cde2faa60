#!/usr/bin/env bash
# The unit tests, the fuzz regression replays and isakmpdump over every
# sample / peer-suite capture under valgrind memcheck: no invalid reads or
# writes, no uninitialised jumps, no definite leaks.
#   run-valgrind.sh BUILD_DIR SOURCE_DIR
# Skipped (77) in sanitizer or coverage builds (valgrind cannot run ASan
# binaries); scripts/valgrind.sh makes a plain build and runs this on it.
set -uo pipefail
build=${1:?BUILD_DIR}
src=${2:?SOURCE_DIR}
cache="$build/CMakeCache.txt"
command -v valgrind >/dev/null || { echo "valgrind not installed"; exit 77; }
if grep -qE '^ISAKMP_(SANITIZE|COVERAGE|FUZZ):BOOL=ON' "$cache" 2>/dev/null; then
  echo "sanitizer/coverage build: valgrind needs a plain build (scripts/valgrind.sh)"
  exit 77
fi
peer="$src/../shared/peer-suite"
export G_SLICE=always-malloc G_DEBUG=gc-friendly
VG=(valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
    --show-leak-kinds=definite --num-callers=40 --quiet)
fail=0
runs=0
check() {   # check NAME CMD...: fails on valgrind's exit code only
  local name=$1; shift
  local log rc
  log=$(mktemp)
  local t0=$SECONDS
  "${VG[@]}" --log-file="$log" "$@" >/dev/null 2>&1
  rc=$?
  [ $((SECONDS - t0)) -lt 20 ] || echo "slow: $name took $((SECONDS - t0)) s"
  runs=$((runs + 1))
  if [ "$rc" -eq 99 ] || [ -s "$log" ]; then
    echo "FAIL: $name (valgrind)"; sed 's/^/    /' "$log" | head -60
    fail=1
  fi
  rm -f "$log"
  return "$rc"
}

# unit tests: the test's own failures count too
for t in "$build"/tests/test_*; do
  [ -x "$t" ] || continue
  check "$(basename "$t")" "$t"
  rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 99 ]; then
    echo "FAIL: $(basename "$t") (the test failed, exit $rc)"; fail=1
  fi
done

# fuzz regression inputs
for r in "$build"/tests/fuzz/replay_*; do
  [ -x "$r" ] || continue
  h=${r##*/replay_}
  check "replay $h" "$r" "$src/tests/fuzz/regressions/$h"
  rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 99 ]; then echo "FAIL: replay $h (exit $rc)"; fail=1; fi
done

# isakmpdump over every capture, with the key files that sit beside it
shopt -s nullglob
dump="$build/isakmpdump"
if [ -x "$dump" ]; then
  for cap in "$src"/samples/*/capture.pcap* "$peer"/wireshark/*.pcap* \
             "$peer"/wireshark-wiki/*.pcap* "$peer"/wireshark-wiki/*/*.pcap*; do
    keys=()
    for k in "$(dirname "$cap")"/ikev1_decryption_table "$(dirname "$cap")"/ikev2_decryption_table \
             "$(dirname "$cap")"/secrets*; do
      [ -f "$k" ] && keys+=(-k "$k")
    done
    check "isakmpdump -V ${cap#"$src"/}" "$dump" -V "${keys[@]}" "$cap"
  done
fi
echo "valgrind: $runs runs"
[ "$fail" = 0 ] && echo "valgrind: clean"
exit "$fail"
