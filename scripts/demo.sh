#!/usr/bin/env bash
# Installs what is missing, builds, and decodes (and decrypts) a bundled sample.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# Debian's own tools first: a python3 elsewhere on PATH may carry other modules
export PATH="/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}" PYTHONDONTWRITEBYTECODE=1
"$top/scripts/deps.sh"
build="$top/build"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
sample="$top/samples/ikev2-psk-aes256-sha256-ecp256"
# keys derived from the PSK and DH secrets alone; every ICV and AUTH checked
exec "$build/isakmpdump" -V -k "$sample/secrets.txt" "$sample/capture.pcap"
