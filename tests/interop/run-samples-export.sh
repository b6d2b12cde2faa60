#!/usr/bin/env bash
# Interop: the library's daemon-log import gives the daemons' own keys.
# For every sample (samples/*/, made by real strongSwan daemons),
#   isakmpdump -k charon-initiator.log -k charon-responder.log \
#              --export-keys DIR capture.pcap
# must write ikev1_decryption_table, ikev2_decryption_table and esp_sa equal,
# as sets of lines, to the sample's committed tables (a missing committed
# table is an empty set).  samples/generate makes those tables exactly this
# way; the committed ones of older samples came from an independent converter
# (samples/charon2keys.py, since removed), so this also cross-checks the two.
# Usage: run-samples-export.sh BUILD_DIR SOURCE_DIR
# Exit 0 all equal, 1 listing the differences, 77 no isakmpdump or no samples.
set -uo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
dump=$build/isakmpdump
[ -x "$dump" ] || { echo "no isakmpdump in $build" >&2; exit 77; }
tmp=$(mktemp -d /tmp/samples-export.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0 seen=0

lines() { [ -f "$1" ] && grep -v '^#' "$1" | grep . | LC_ALL=C sort -u; true; }

for d in "$src"/samples/*/; do
    d=${d%/}; name=$(basename "$d")
    [ -f "$d/capture.pcap" ] && [ -f "$d/charon-initiator.log" ] && [ -f "$d/charon-responder.log" ] || continue
    seen=$((seen + 1))
    rm -rf "$tmp/exp"
    if ! "$dump" -k "$d/charon-initiator.log" -k "$d/charon-responder.log" \
            --export-keys "$tmp/exp" "$d/capture.pcap" >/dev/null 2>"$tmp/err"; then
        echo "FAIL $name: isakmpdump failed: $(head -3 "$tmp/err")"; fail=1; continue
    fi
    bad=0 n=0
    for t in ikev1_decryption_table ikev2_decryption_table esp_sa; do
        lines "$d/$t" >"$tmp/want"
        lines "$tmp/exp/$t" >"$tmp/got"
        n=$((n + $(wc -l <"$tmp/want")))
        if ! cmp -s "$tmp/want" "$tmp/got"; then
            echo "FAIL $name/$t: exported differs from committed (< committed only, > exported only):"
            diff "$tmp/want" "$tmp/got" | grep '^[<>]' | cut -c1-200
            bad=1
        fi
    done
    [ $bad = 0 ] && echo "ok   $name ($n table lines)"
    [ $bad = 0 ] || fail=1
done
[ $seen -gt 0 ] || { echo "no samples"; exit 77; }
exit $fail
