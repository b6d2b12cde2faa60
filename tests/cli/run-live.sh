#!/usr/bin/env bash
# isakmpdump -i: live capture on the loopback interface of a network
# namespace of its own (unshare -n: nothing else is captured, and it goes
# away with the test).  Needs root (or CAP_SYS_ADMIN) for the namespace.
# Args: BUILD_DIR SOURCE_DIR.
set -euo pipefail
build=${1:?build dir}; src=${2:?source dir}
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
command -v unshare >/dev/null && command -v ip >/dev/null || { echo "unshare / ip missing: skipped"; exit 77; }
unshare -n true 2>/dev/null || { echo "cannot make a network namespace (not root?): skipped"; exit 77; }
exec unshare -n bash -c 'ip link set lo up && exec python3 "$0/tests/cli/check_live.py" "$1/isakmpdump" "$0"' \
  "$src" "$build"
