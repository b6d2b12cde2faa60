#!/usr/bin/env bash
# The capture fields (frame.time*, frame.len, eth.*, vlan.id, ip.*, ipv6.*,
# udp.*, tcp.*) and the -t time column against tshark's, byte for byte, on
# every sample, peer-suite capture and hand-made capture (tests/data).
set -uo pipefail
build=$1 src=$2
shared="$src/../shared/peer-suite"
command -v tshark >/dev/null || { echo "tshark missing"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$src/tests/data/make-captures.py" "$tmp" >/dev/null
caps=()
for f in "$src"/samples/*/capture.pcap "$shared"/wireshark/*.pcap* "$shared"/wireshark-wiki/*.pcap \
         "$shared"/wireshark-wiki/ikev2-esp-natt/*.pcap* "$tmp"/*.pcap "$tmp"/*.pcapng; do
  case $(basename "$f") in bad-*|not-*|cut-*) continue ;; esac
  [ -f "$f" ] && caps+=("$f")
done
exec python3 "$src/tests/cli/check_frame_fields.py" "$build/isakmpdump" "${caps[@]}"
