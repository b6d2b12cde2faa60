#!/usr/bin/env bash
# CI smoke run of the benchmark harness: proves it still works end to end.
# Nothing is judged on time here.
set -euo pipefail
build=$1 src=$2
command -v tshark >/dev/null || exit 77
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
bash "$src/tests/bench/run.sh" --smoke --out "$out" --build "$build" >"$out/log" 2>&1 || { cat "$out/log"; exit 1; }
grep -q "isakmpdump -T fields" "$out/results.md"
grep -q "tshark -T fields" "$out/results.md"
grep -q "Paired runs" "$out/results.md"
grep -q "isakmpdump --decrypt-esp -w /dev/null" "$out/results.md"
grep -q "tshark, esp_sa, decrypting" "$out/results.md"
echo "bench smoke ok"
