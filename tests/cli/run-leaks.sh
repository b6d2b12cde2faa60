#!/usr/bin/env bash
# Regressions for the leaks clang 19's LeakSanitizer (Debian 13) found in
# isakmpdump and 14's did not: main() returned on a bad -e field without
# freeing its option arrays, and every --threads worker lost, when it exited,
# the message it kept for reuse.  In an ASan build a leak report changes the
# exit status and standard error, which both cases check.  Args: BUILD_DIR
# SOURCE_DIR.
set -euo pipefail
build=${1:?build dir}; src=${2:?source dir}
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
dump=$build/isakmpdump
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# check NAME WANT_RC WANT_ERR ARGS...: the exit status, and standard error is
# one line matching the regular expression WANT_ERR (empty: nothing)
check() {
    local name=$1 want_rc=$2 want_err=$3 rc=0 ok=1
    shift 3
    "$dump" "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
    if [ -z "$want_err" ]; then
        [ -s "$tmp/err" ] && ok=0
    else
        [ "$(wc -l <"$tmp/err")" = 1 ] && grep -qx -- "$want_err" "$tmp/err" || ok=0
    fi
    if [ "$rc" != "$want_rc" ] || [ "$ok" = 0 ]; then
        echo "FAIL: $name: exit $rc (want $want_rc), standard error:"
        head -40 "$tmp/err"
        failed=1
    fi
}

# 10,000 frames: three batches, so the workers decode chunks while the main
# thread reads the next batch
PYTHONPATH=$src/tests/data python3 - "$tmp/many.pcap" <<'EOF'
import struct, sys
from pcapgen import eth, ike_v2, ipv4, udp, write_pcap
frames = [eth(0x0800, ipv4("10.0.0.1", "10.0.0.2", 17,
                           udp(500, 500, ike_v2(ispi=struct.pack("!Q", i + 1), mid=i))))
          for i in range(10000)]
write_pcap(sys.argv[1], 1, frames)
EOF

check "bad -e field: the option arrays freed" 2 "isakmpdump: unknown field 'ike\.nosuch'.*" \
    -T fields -e frame.number -e ike.nosuch "$tmp/many.pcap"
for threads in 2 3; do
    check "--threads $threads: each worker's spare message freed at its exit" 0 "" \
        --threads "$threads" -T fields -e frame.number -e ike.ispi "$tmp/many.pcap"
    [ "$(wc -l <"$tmp/out")" = 10000 ] || { echo "FAIL: --threads $threads: not 10000 lines"; failed=1; }
done
[ "$failed" = 0 ] && echo "all passed"
exit "$failed"
