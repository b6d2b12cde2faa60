#!/usr/bin/env bash
# The library boundary: libisakmp.so exports the API and nothing else.
# Every function include/isakmp/*.h declares is exported, and every exported
# symbol is one of them; the decoder's own functions and tables stay hidden
# (hidden visibility by default, ISAKMP_API on the declarations).
set -euo pipefail
build=$1 src=$2
so=$build/libisakmp.so
[ -e "$so" ] || { echo "no $so: skipped"; exit 77; }
command -v nm >/dev/null || { echo "nm missing: skipped"; exit 77; }
cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

nm -D --defined-only "$so" | awk '{print $NF}' | sort -u >"$tmp/exported"
# Declared: the headers through the preprocessor (no comments), every
# isakmp_ name followed by '(' (function pointer typedefs are not).
for h in "$src"/include/isakmp/*.h; do
    "${cc:-cc}" -E -P -I"$src/include" "$h"
done | grep -oE '\bisakmp_[A-Za-z0-9_]+ *\(' | tr -d ' (' | sort -u >"$tmp/declared"
[ -s "$tmp/declared" ] || { echo "no declarations found in include/isakmp/"; exit 1; }

fail=0
# Symbols the linker itself defines, not code: section bounds such as
# clang's ASan __start_asan_globals / __stop_asan_globals, and the classic
# _init, _edata ... (none appear in gcc builds of Debian 12 and 13).
# Anything else that is not declared fails.
grep -vxE '_init|_fini|_edata|_end|__bss_start|__(start|stop)_[A-Za-z0-9_]+' "$tmp/exported" \
    >"$tmp/exported.api" || true
if ! comm -23 "$tmp/exported.api" "$tmp/declared" >"$tmp/extra" || [ -s "$tmp/extra" ]; then
    echo "FAIL exported but not declared in include/isakmp/ ($(wc -l <"$tmp/extra")):"
    head -20 "$tmp/extra"
    fail=1
fi
if ! comm -13 "$tmp/exported" "$tmp/declared" >"$tmp/missing" || [ -s "$tmp/missing" ]; then
    echo "FAIL declared in include/isakmp/ but not exported ($(wc -l <"$tmp/missing")):"
    head -20 "$tmp/missing"
    fail=1
fi
[ $fail = 0 ] && echo "libisakmp.so exports the $(wc -l <"$tmp/declared") declared functions and nothing else"
exit $fail
