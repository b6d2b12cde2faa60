#!/usr/bin/env bash
# The README's library example compiles against the built library and runs.
set -euo pipefail
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk '/<!-- example: decode -->/ {on=1; next} on && /^```c/ {grab=1; next} grab && /^```/ {exit} grab {print}' \
  "$src/README.md" >"$tmp/example.c"
[ -s "$tmp/example.c" ] || { echo "no example found in README.md"; exit 1; }
flags=(-std=c11 -Wall -Wextra -Werror -I"$src/include")
san=""
grep -q "ISAKMP_SANITIZE:BOOL=ON" "$build/CMakeCache.txt" && san="-fsanitize=address,undefined"
grep -q "ISAKMP_COVERAGE:BOOL=ON" "$build/CMakeCache.txt" && san="$san --coverage"
cc "${flags[@]}" $san "$tmp/example.c" -o "$tmp/example" "$build/libisakmp.a" \
  $(pkg-config --libs glib-2.0) -lgcrypt -lksba
"$tmp/example" >"$tmp/out.txt"
cat "$tmp/out.txt"
grep -q "IKE_SA_INIT MID=00 Initiator Request" "$tmp/out.txt"
grep -q "Nonce DATA (ike.nonce): a1a2a3a4a5a6a7a8" "$tmp/out.txt"
# pkg-config after install works too
prefix="$tmp/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib/x86_64-linux-gnu/pkgconfig" \
  pkg-config --cflags --libs libisakmp | grep -q -- "-lisakmp"
echo "README example ok"
