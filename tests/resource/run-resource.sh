#!/usr/bin/env bash
# Adversarial resource tests (issue 18): hostile captures made by
# gen_resource.py, isakmpdump's peak RSS under /usr/bin/time checked against
# docs/limits.md, and the TCP reassembly's CPU time against a baseline.
# Args: BUILD_DIR SOURCE_DIR.
set -euo pipefail
build=${1:?build dir}; src=${2:?source dir}
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time missing (Debian package time): skipped"; exit 77; }
[ -x "$build/isakmpdump" ] || { echo "no $build/isakmpdump: skipped"; exit 77; }
exec python3 "$src/tests/resource/check_resource.py" "$build/isakmpdump" "$src" "$build"
