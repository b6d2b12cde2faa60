#!/bin/bash
# Every row of ../shared/peer-suite/wireshark/EXPECTED.tsv (what Wireshark's
# own decryption test suite asserts): decode the capture with its key files
# and check that the expected value appears in the field's output.
# Usage: run-expected.sh BUILD_DIR SOURCE_DIR
set -u
build=$1 src=$2
suite=$src/../shared/peer-suite/wireshark
dump=$build/isakmpdump
[ -r "$suite/EXPECTED.tsv" ] || { echo "no peer suite at $suite"; exit 77; }
[ -x "$dump" ] || { echo "no isakmpdump in $build"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail=0 n=0
while IFS=$'\t' read -r capture keys field expected; do
    case $capture in ''|'#'*) continue ;; esac
    n=$((n + 1))
    in=$suite/$capture
    if [[ $capture == *.gz ]]; then
        in=$tmp/${capture%.gz}
        zcat "$suite/$capture" > "$in"
    fi
    args=()
    IFS=, read -ra kf <<< "$keys"
    for k in "${kf[@]}"; do args+=(-k "$suite/$k"); done
    out=$("$dump" -T fields -e "$field" "${args[@]}" "$in" 2>"$tmp/err")
    if grep -qF -- "$expected" <<< "$out"; then
        echo "ok   $capture $field"
    else
        echo "FAIL $capture $field: '$expected' not in output"
        sed 's/^/     stderr: /' "$tmp/err" | head -5
        fail=$((fail + 1))
    fi
done < "$suite/EXPECTED.tsv"
echo "$((n - fail))/$n rows pass"
[ "$n" -gt 0 ] && [ "$fail" -eq 0 ]
