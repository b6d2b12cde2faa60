#!/usr/bin/env bash
# valgrind memcheck over the test suite: builds a plain (non-sanitized) tree in
# build-vg/ and runs tests/valgrind/run-valgrind.sh on it (unit tests, fuzz
# regression replays, isakmpdump over every sample and peer-suite capture).
# Fails on any invalid access, uninitialised use or definite leak.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# Debian's own tools first: a python3 elsewhere on PATH may carry other modules
export PATH="/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}" PYTHONDONTWRITEBYTECODE=1
build="${VG_BUILD:-$top/build-vg}"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DISAKMP_SANITIZE=OFF \
  -DISAKMP_COVERAGE=OFF -DISAKMP_PLUGIN=OFF >/dev/null
cmake --build "$build" -j"${JOBS:-2}" >/dev/null
exec bash "$top/tests/valgrind/run-valgrind.sh" "$build" "$top"
