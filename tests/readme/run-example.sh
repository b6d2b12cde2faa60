#!/usr/bin/env bash
# The README's library example compiles against the built library and runs,
# and so it does against the installed headers, libisakmp.pc and shared
# library, found through an rpath as the README says for a prefix outside
# the loader's path.
set -euo pipefail
build=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk '/<!-- example: decode -->/ {on=1; next} on && /^```c/ {grab=1; next} grab && /^```/ {exit} grab {print}' \
  "$src/README.md" >"$tmp/example.c"
[ -s "$tmp/example.c" ] || { echo "no example found in README.md"; exit 1; }
cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")   # the library's
flags=(-std=c11 -Wall -Wextra -Werror)
san=""
grep -q "ISAKMP_SANITIZE:BOOL=ON" "$build/CMakeCache.txt" && san="-fsanitize=address,undefined"
grep -q "ISAKMP_COVERAGE:BOOL=ON" "$build/CMakeCache.txt" && san="$san --coverage"
# the compression libraries the build found (compressed key files)
packs=()
grep -q "^ZLIB_LIBRARY_RELEASE:FILEPATH=/" "$build/CMakeCache.txt" && packs+=(-lz)
grep -q "^LZMA_FOUND:INTERNAL=1" "$build/CMakeCache.txt" && packs+=(-llzma)
grep -q "^ZSTD_FOUND:INTERNAL=1" "$build/CMakeCache.txt" && packs+=(-lzstd)
"${cc:-cc}" "${flags[@]}" -I"$src/include" $san "$tmp/example.c" -o "$tmp/example" \
  "$build/libisakmp.a" $(pkg-config --libs glib-2.0) -lgcrypt -lksba "${packs[@]}"
"$tmp/example" >"$tmp/out.txt"
cat "$tmp/out.txt"
grep -q "IKE_SA_INIT MID=0x00000000 Initiator Request" "$tmp/out.txt"
grep -q "Nonce DATA (ike.nonce): a1a2a3a4a5a6a7a8" "$tmp/out.txt"
# installed into a prefix of its own (its libisakmp.pc names the configured
# prefix: pointed at this one)
prefix="$tmp/prefix"
cmake --install "$build" --prefix "$prefix" >/dev/null
pc() {
  PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib/x86_64-linux-gnu/pkgconfig" \
    pkg-config --define-variable=prefix="$prefix" "$@" libisakmp
}
libdir=$(pc --variable=libdir)
"${cc:-cc}" "${flags[@]}" $san "$tmp/example.c" -o "$tmp/installed" $(pc --cflags --libs) \
  -Wl,-rpath,"$libdir"
ldd "$tmp/installed" >"$tmp/ldd.txt"
grep -qF "$libdir/libisakmp.so" "$tmp/ldd.txt" || { echo "not linked with $libdir"; exit 1; }
"$tmp/installed" | cmp - "$tmp/out.txt"
echo "README example ok"
