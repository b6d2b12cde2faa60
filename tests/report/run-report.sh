#!/usr/bin/env bash
# isakmpdump --report against the samples: the negotiated values must match
# each sample's config.json, and the audit findings the documented rules
# (docs/report.md).  Args: BUILD_DIR SOURCE_DIR.
set -euo pipefail
build=${1:?build dir}; src=${2:?source dir}
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
[ -x "$build/isakmpdump" ] || { echo "no $build/isakmpdump: skipped"; exit 77; }
exec python3 "$src/tests/report/check_report.py" "$build/isakmpdump" "$src"
