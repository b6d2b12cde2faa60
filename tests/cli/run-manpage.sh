#!/usr/bin/env bash
# Every option of isakmpdump is in --help and in the manual page
# (cli/isakmpdump.1), with the -k formats and exit statuses.  Args: BUILD_DIR SOURCE_DIR.
set -euo pipefail
build=${1:?build dir}; src=${2:?source dir}
command -v python3 >/dev/null || { echo "python3 missing: skipped"; exit 77; }
[ -x "$build/isakmpdump" ] || { echo "no $build/isakmpdump: skipped"; exit 77; }
exec python3 "$src/tests/cli/check_manpage.py" "$build/isakmpdump" "$src"
