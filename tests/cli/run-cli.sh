#!/usr/bin/env bash
# isakmpdump's capture layer, options and error messages, on the hand-made
# captures of tests/data/make-captures.py.  Args: BUILD_DIR SOURCE_DIR.
set -euo pipefail
build=${1:?build dir}; src=${2:?source dir}
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
exec python3 "$src/tests/cli/check_cli.py" "$build/isakmpdump" "$src"
