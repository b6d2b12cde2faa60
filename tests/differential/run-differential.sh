#!/usr/bin/env bash
# Differential test: every mapped field, isakmpdump vs tshark, on every sample
# and peer-suite capture, without keys and then with each capture's key tables.
set -uo pipefail
build=$1 src=$2
shared="$src/../shared/peer-suite"
command -v tshark >/dev/null || { echo "tshark missing"; exit 77; }
compare="python3 $src/tests/differential/compare.py --isakmpdump $build/isakmpdump"
caps=()
# (samples/pq too, without keys only: tshark keys its IKEv2 table by SPI
# pair, one key set per IKE SA, so it cannot decrypt their later key epochs)
for f in "$src"/samples/*/capture.pcap "$src"/samples/pq/*/capture.pcap "$shared"/wireshark/*.pcap* \
         "$shared"/wireshark-wiki/*.pcap "$shared"/wireshark-wiki/ikev2-esp-natt/*.pcap*; do
  [ -f "$f" ] && caps+=("$f")
done
rc=0
$compare "${caps[@]}" || rc=1
# With keys: each sample with its own tables, the peer suite with its tables.
# (not a sample whose ciphers tshark cannot decrypt: ChaCha20-Poly1305, which
# tests/cli/run-esp.sh checks; without keys it is compared above)
for d in "$src"/samples/*/; do
  grep -q '"tshark_cannot_decrypt": true' "$d/config.json" 2>/dev/null && continue
  [ -f "$d/capture.pcap" ] && { $compare --keys "$d" "$d/capture.pcap" || rc=1; }
done
$compare --keys "$shared/wireshark" "$shared"/wireshark/ikev*.pcap* || rc=1
$compare --keys "$shared/wireshark-wiki/ikev2-esp-natt" "$shared"/wireshark-wiki/ikev2-esp-natt/capture.pcapng || rc=1
exit $rc
