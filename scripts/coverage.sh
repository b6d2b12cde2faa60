#!/usr/bin/env bash
# Line coverage of decoder/ (gcovr): builds build-cov/ with -DISAKMP_COVERAGE=ON
# (gcc, -O0 --coverage), runs the whole ctest suite, replays the fuzzers'
# corpora when build-fuzz/fuzz-corpus/ exists (scripts/fuzz.sh makes it), and
# prints the per-file table and the total.
#   scripts/coverage.sh [--fail-under PERCENT] [--no-corpus]
# HTML report: build-cov/coverage/index.html.  Target: 90% of decoder/ lines.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# Debian's own tools first: a python3 elsewhere on PATH may carry other modules
export PATH="/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}" PYTHONDONTWRITEBYTECODE=1
build="$top/build-cov"
fail_under=0
corpus=1
while [ $# -gt 0 ]; do
  case "$1" in
    --fail-under) fail_under=$2; shift 2;;
    --no-corpus) corpus=0; shift;;
    -h|--help) sed -n '2,8p' "$0"; exit 0;;
    *) echo "coverage.sh: unknown option $1" >&2; exit 2;;
  esac
done
command -v gcovr >/dev/null || { echo "coverage.sh: gcovr is needed (scripts/deps.sh)" >&2; exit 1; }
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DISAKMP_COVERAGE=ON -DISAKMP_SANITIZE=OFF \
  -DISAKMP_PLUGIN=OFF >/dev/null
cmake --build "$build" -j"${JOBS:-2}" >/dev/null
find "$build" -name '*.gcda' -delete
# tests that run a program as another user (nobody) cannot write its .gcda
# files; keep libgcov's complaint out of the outputs those tests compare
export GCOV_ERROR_FILE=/dev/null
(cd "$build" && ctest -j"${JOBS:-2}" -E '^valgrind\.' >"$build/coverage-ctest.log" 2>&1) ||
  echo "coverage.sh: some tests failed (see $build/coverage-ctest.log); coverage is still reported" >&2
if [ "$corpus" = 1 ] && [ -d "$top/build-fuzz/fuzz-corpus" ]; then
  for d in "$top"/build-fuzz/fuzz-corpus/*/; do
    h=$(basename "$d")
    # a crash here is fuzz.sh's business; the lines run until then still count
    [ -x "$build/tests/fuzz/replay_$h" ] && { "$build/tests/fuzz/replay_$h" "$d" >/dev/null 2>&1; } 2>/dev/null || true
  done
fi
mkdir -p "$build/coverage"
cd "$top"
gcovr -r "$top" --object-directory "$build" --filter 'decoder/' \
  --html-details "$build/coverage/index.html" --txt "$build/coverage/decoder.txt" \
  --print-summary --fail-under-line "$fail_under" "$build" | tail -3
echo "coverage.sh: per-file table in $build/coverage/decoder.txt" >&2
