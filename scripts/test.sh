#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds with ASan+UBSan,
# runs every test through ctest.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"
build="$top/build-test"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DISAKMP_SANITIZE=ON >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
cd "$build"
ctest --output-on-failure -j"$(nproc)" "$@"
