#!/usr/bin/env bash
# The whole test suite: installs what is missing, then
#   1. valgrind memcheck over a plain build (scripts/valgrind.sh),
#   2. a short run of every libFuzzer harness (scripts/fuzz.sh, 20 s each),
#   3. ThreadSanitizer over isakmpdump --threads (scripts/tsan.sh),
#   4. the full ctest suite on an ASan+UBSan build (unit, golden, differential
#      against tshark, peer suite, samples, CLI, report, plugin, ...).
# Extra arguments go to ctest.  Exit status: 0 when all four pass.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# Debian's own tools first: a python3 elsewhere on PATH may carry other modules
export PATH="/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}" PYTHONDONTWRITEBYTECODE=1
"$top/scripts/deps.sh" || exit 1
jobs=$(nproc)
# LeakSanitizer runs without suppressions: libksba's own leaks on malformed
# certificates are kept away by the DER check in decoder/payloads/cert.c.
rc=0

echo "== valgrind memcheck"
JOBS=$jobs bash "$top/scripts/valgrind.sh" || { echo "valgrind: FAILED"; rc=1; }

echo "== short fuzzing run"
bash "$top/scripts/fuzz.sh" --short 20 || { echo "fuzz: FAILED"; rc=1; }

echo "== ThreadSanitizer"
bash "$top/scripts/tsan.sh" || { echo "tsan: FAILED"; rc=1; }

echo "== ctest (ASan+UBSan)"
build="$top/build-test"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DISAKMP_SANITIZE=ON >/dev/null || exit 1
cmake --build "$build" -j"$jobs" >/dev/null || { cmake --build "$build" -j1 2>&1 | tail -30; exit 1; }
cd "$build"
ctest --output-on-failure -j"$jobs" "$@" || rc=1
exit $rc
