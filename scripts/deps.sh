#!/usr/bin/env bash
# Installs the Debian packages the project needs, only those missing, on
# Debian 12 (bookworm) or 13 (trixie).  Quiet when nothing is missing; one
# line per step of apt's work otherwise.  Needs root (or sudo) when
# something is missing.
set -euo pipefail
# Unversioned names: they exist on both releases (clang is 14 on Debian 12,
# 19 on Debian 13; libclang-rt-dev brings libFuzzer and the sanitizers).
PKGS=(build-essential cmake pkg-config zlib1g-dev liblzma-dev libzstd-dev time libglib2.0-dev libgcrypt20-dev libpcap-dev libksba-dev
      tshark wireshark-dev libwireshark-dev clang libclang-rt-dev llvm valgrind gcovr
      python3-cryptography tcpdump iproute2 strongswan-charon strongswan-swanctl libcharon-extra-plugins libstrongswan-standard-plugins
      libstrongswan-extra-plugins python3 xvfb)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
start=$SECONDS
echo "deps: ${#missing[@]} packages missing: ${missing[*]}" >&2
# tshark asks whether non-root users may capture; answer it up front.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
echo "deps: apt-get update" >&2
$SUDO apt-get update -q >/dev/null
set +e
# apt's own lines, folded to one per step and one per 50 packages of a step
$SUDO apt-get install -y -q --no-install-recommends -o Dpkg::Progress-Fancy=0 "${missing[@]}" 2>&1 |
  awk '
    function step(name) {
      if (name != cur) { cur = name; n = 0; printf "deps: %s\n", name > "/dev/stderr" }
      if (++n % 50 == 0) printf "deps:   %s: %d so far\n", name, n > "/dev/stderr"
    }
    /newly installed/ { printf "deps: %s\n", $0 > "/dev/stderr" }
    /^Need to get/    { printf "deps: %s\n", $0 > "/dev/stderr" }
    /^Get:/           { step("downloading") }
    /^Unpacking /     { step("unpacking") }
    /^Setting up /    { step("setting up") }
    /^(E|W): /        { print > "/dev/stderr" }
  '
rc=${PIPESTATUS[0]}
set -e
[ "$rc" -eq 0 ] || { echo "deps: apt-get install failed (exit $rc)" >&2; exit "$rc"; }
echo "deps: installed in $((SECONDS - start)) s" >&2
