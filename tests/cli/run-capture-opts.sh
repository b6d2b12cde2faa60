#!/usr/bin/env bash
# isakmpdump's capture options on files (-c, -f, -w, -F, -P, -D) and the
# writer's selected mode (tests/cli/check_capture_opts.py).
# Args: BUILD_DIR SOURCE_DIR.
set -euo pipefail
build=${1:?build dir}; src=${2:?source dir}
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
exec python3 "$src/tests/cli/check_capture_opts.py" "$build/isakmpdump" "$build/tests/writer_select" "$src"
