#!/usr/bin/env bash
# Installs the Debian 12 packages the project needs, only those missing.
# Quiet when nothing is missing.  Needs root (or sudo) when something is.
set -euo pipefail
PKGS=(build-essential cmake pkg-config zlib1g-dev time libglib2.0-dev libgcrypt20-dev libpcap-dev libksba-dev
      tshark wireshark-dev libwireshark-dev clang-14 libclang-rt-14-dev llvm-14 valgrind gcovr
      python3-cryptography tcpdump iproute2 strongswan-charon strongswan-swanctl libcharon-extra-plugins
      libstrongswan-extra-plugins python3 xvfb)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "Installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer it up front.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
