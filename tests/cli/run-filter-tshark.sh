#!/usr/bin/env bash
# isakmpdump -Y selects the same frames as tshark -Y (isakmp.* for ike.*)
# for the filter table of check_filter.py, on every sample and peer-suite
# capture without keys, and with their own key tables on four samples that
# decrypt (IKEv1 Main and Aggressive Mode, IKEv2 with fragments, NAT-T).
# Usage: run-filter-tshark.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=${1:?build dir}; src=${2:?source dir}
command -v tshark >/dev/null || { echo "tshark missing"; exit 77; }
shared="$src/../shared/peer-suite"
check="python3 $src/tests/cli/check_filter.py --isakmpdump $build/isakmpdump"
caps=()
for f in "$src"/samples/*/capture.pcap "$shared"/wireshark/*.pcap* "$shared"/wireshark-wiki/*.pcap \
         "$shared"/wireshark-wiki/ikev2-esp-natt/*.pcap*; do
  [ -f "$f" ] && caps+=("$f")
done
rc=0
$check "${caps[@]}" || rc=1
for name in ikev1-main-rsa-certs-frag ikev1-aggressive-psk-aes256-sha256 ikev2-rsa-certs-frag \
            ikev2-natt-encap-libipsec-esp; do
  d=$src/samples/$name
  [ -f "$d/capture.pcap" ] && { $check --keys "$d" "$d/capture.pcap" || rc=1; }
done
exit $rc
