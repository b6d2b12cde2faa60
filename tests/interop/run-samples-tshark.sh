#!/usr/bin/env bash
# Interop: Wireshark decrypts every encrypted message of every sample with
# the sample's committed key tables (the keys the daemons logged).
set -uo pipefail
src=$2
command -v tshark >/dev/null || exit 77
dirs=()
for d in "$src"/samples/*/; do
  [ -f "$d/capture.pcap" ] && dirs+=("$d")
done
exec bash "$src/samples/tshark-check.sh" "${dirs[@]}"
