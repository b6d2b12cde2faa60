#!/usr/bin/env bash
# The plugin against the next Wireshark: its sources must compile, warnings as
# errors, against the headers of Debian testing ("forky", Wireshark 4.6), and
# Wireshark's CMake package there must name the plugin folder of its version.
#
# The development packages are fetched with apt into a temporary folder, with
# a private apt state (its own sources list, lists and cache: the machine's
# apt setup is only read, for the mirror and proxies), and unpacked with
# dpkg -x, not installed.  Their libraries need forky's libc and are not
# linked: each source is compiled to an object with the plugin's own flags
# (BUILD_DIR/plugin/compile-flags.txt) and compiler.
#
# Without a way to fetch the packages (no network, no apt, no such suite) the
# test says why and is skipped.
#
# Usage: run-ws-next.sh BUILD_DIR SOURCE_DIR   (exit 77: skipped)
set -uo pipefail
build=$1 src=$2
suite=forky
# Wireshark's headers (libwireshark-dev and the two -dev packages it Depends
# on) and its CMake package (wireshark-dev); glib's headers are this
# machine's, through pkg-config
packages=(libwireshark-dev libwsutil-dev libwiretap-dev wireshark-dev)

skip() { echo "SKIP: $*"; exit 77; }

flags_file="$build/plugin/compile-flags.txt"
[ -f "$flags_file" ] || skip "$flags_file missing (configured with -DISAKMP_PLUGIN=OFF?)"
command -v apt-get >/dev/null && command -v dpkg >/dev/null || skip "apt-get / dpkg missing (not Debian)"
glib=$(pkg-config --cflags-only-I glib-2.0 2>/dev/null) || skip "glib-2.0 development files missing"
cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null)
cc=${cc:-cc}

# The Debian mirror this machine's apt uses (one-line or deb822 sources).
mirror() {
  {
    sed -n 's/^deb\s\+\(\[[^]]*\]\s\+\)\?\(\S\+\)\s.*/\2/p' /etc/apt/sources.list \
      /etc/apt/sources.list.d/*.list 2>/dev/null
    sed -n 's/^URIs:\s*//p' /etc/apt/sources.list.d/*.sources 2>/dev/null | tr ' ' '\n'
  } | sed 's,/*$,,' | grep -m1 '/debian$'
}
url=$(mirror)
url=${url:-http://deb.debian.org/debian}

tmp=$(mktemp -d /tmp/ike-ws-next.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/debs" "$tmp/root" "$tmp/obj"
echo "deb [check-valid-until=no] $url $suite main" >"$tmp/sources.list"
apt=(apt-get -q -o Dir::Etc::SourceList="$tmp/sources.list" -o Dir::Etc::SourceParts=/dev/null
     -o Dir::State::Lists="$tmp/lists" -o Dir::Cache="$tmp/cache"
     -o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null
     -o Acquire::Retries=1 -o Acquire::http::Timeout=20 -o Acquire::https::Timeout=20)
# apt downloads as _apt when run as root: let it write there
if [ "$(id -u)" = 0 ] && id _apt >/dev/null 2>&1; then
  chmod 755 "$tmp"
  chown _apt "$tmp/lists/partial" "$tmp/debs"
fi

echo "fetching ${packages[*]} from $url $suite"
if ! timeout 50 "${apt[@]}" update >"$tmp/update.log" 2>&1 ||
   grep -q '^\(E:\|W: Failed\|Err:\)' "$tmp/update.log"; then
  grep '^\(E:\|W:\|Err:\)' "$tmp/update.log" | head -5
  skip "cannot read $suite's package lists from $url (no network, or no such suite)"
fi
if ! (cd "$tmp/debs" && timeout 50 "${apt[@]}" download "${packages[@]/%//$suite}") \
     >"$tmp/download.log" 2>&1; then
  grep '^\(E:\|W:\|Err:\)' "$tmp/download.log" | head -5
  skip "cannot download ${packages[*]} from $url $suite"
fi
for deb in "$tmp"/debs/*.deb; do
  dpkg -x "$deb" "$tmp/root" || { echo "FAIL: cannot unpack $deb"; exit 1; }
done

inc="$tmp/root/usr/include/wireshark"
version=$(sed -n 's/^#define WIRESHARK_VERSION_\(MAJOR\|MINOR\|MICRO\) \([0-9]*\).*/\2/p' \
            "$inc/ws_version.h" 2>/dev/null | paste -sd.)
[ -n "$version" ] || { echo "FAIL: no ws_version.h in ${packages[*]}"; exit 1; }
fail=0

# plugin/CMakeLists.txt installs into these (and checks the same at configure)
config=$(find "$tmp/root" -name WiresharkConfig.cmake | head -1)
for var in Wireshark_PLUGIN_LIBDIR Wireshark_PLUGIN_INSTALL_DIR; do
  dir=$(sed -n "s/.*set($var \"\(.*\)\")/\1/p" "$config" 2>/dev/null)
  if [[ $dir != */plugins/"${version%.*}" ]]; then
    echo "FAIL: $var of Wireshark $version's CMake package is '$dir', not a plugins/${version%.*} folder"
    fail=1
  fi
done

# As the real build: Wireshark's and glib's headers are system headers (their
# own warnings are not ours), every warning in the plugin an error.
mapfile -t flags <"$flags_file"
sys=(-isystem "$inc")
for d in $glib; do sys+=(-isystem "${d#-I}"); done
for f in "$src"/plugin/*.c; do
  obj="$tmp/obj/$(basename "$f" .c).o"
  if ! "$cc" "${flags[@]}" -I"$src/include" "${sys[@]}" -c "$f" -o "$obj" 2>"$tmp/cc.log"; then
    echo "FAIL: $(basename "$f") does not compile against Wireshark $version:"
    grep -E 'error|warning' "$tmp/cc.log" | head -10 | sed 's/^/    /'
    fail=1
  fi
done
[ "$fail" = 0 ] && echo "plugin sources compile against Wireshark $version ($suite) with -Werror;" \
  "its CMake package installs into plugins/${version%.*}"
exit $fail
