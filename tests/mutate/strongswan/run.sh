#!/usr/bin/env bash
# Our structure-aware mutator against libFuzzer's own on strongSwan's IKE
# message parser (docs/strongswan-fuzz.md).  Not run in CI: it needs a
# strongSwan source tree, clang with libFuzzer, and CPU time.
#
#   run.sh STRONGSWAN [CPU_SECONDS [WALL_CAP [OUTDIR]]]
#
# STRONGSWAN: a strongSwan source directory (a release tarball's, or a
# checkout), or a git directory without work tree (its HEAD is extracted).
# Run it from the top of libisakmp, in a system with clang (libFuzzer),
# autoconf automake libtool gperf bison flex pkg-config, glib, libgcrypt,
# libksba, zlib, liblzma, libzstd (Debian 13: the trixie chroot, see
# docs/strongswan-fuzz.md).  Everything goes to $BUILD (build-ss/):
#   src/   the extracted tree (git directories only)
#   obj/   strongSwan's build: libstrongswan and libcharon, static,
#          monolithic, a few crypto plugins, clang -fsanitize=address,
#          fuzzer-no-link (coverage of strongSwan's code)
#   isakmp/ libisakmp (clang, Release, not instrumented)
#   bin/   fuzz_ike_default (libFuzzer's mutator) and fuzz_ike_ours (the
#          same harness with mutator/libfuzzer.c and mutator/mutator.c);
#          count_ike_default, count_ike_ours: the same with -DSS_FUZZ_COUNT
#   seeds/ every IKE message of samples/*/capture.pcap
# then tests/mutate/strongswan/compare.py runs both for CPU_SECONDS (600)
# of CPU time each, side by side, stopping at WALL_CAP (2400) wall seconds,
# into OUTDIR ($BUILD/runs/<date>); libFuzzer -seed=$SEED (1).  Then the
# counting builds run COUNT_RUNS (200000) inputs each: OUTDIR/counts.txt.
set -euo pipefail
ss=${1:?usage: run.sh STRONGSWAN [CPU_SECONDS [WALL_CAP [OUTDIR]]]}
cpu=${2:-600}
cap=${3:-2400}
top=$(pwd)
B=${BUILD:-$top/build-ss}
out=${4:-$B/runs/$(date -u +%Y%m%dT%H%M)}
jobs=${JOBS:-2}
mkdir -p "$B"
[ -f "$top/mutator/mutator.c" ] || { echo "run.sh: run from the top of libisakmp" >&2; exit 2; }

# the source tree
if [ -f "$ss/HEAD" ] && [ -d "$ss/objects" ]; then
  version=$(git --git-dir="$ss" describe --tags HEAD 2>/dev/null || git --git-dir="$ss" rev-parse HEAD)
  if [ ! -f "$B/src/configure.ac" ]; then
    mkdir -p "$B/src"
    git --git-dir="$ss" archive HEAD | tar -x -C "$B/src"
  fi
  src=$B/src
else
  src=$(cd "$ss" && pwd)
  version=$(sed -n 's/^AC_INIT(\[strongSwan\],\[\([^]]*\)\].*/\1/p' "$src/configure.ac")
fi
echo "strongSwan $version in $src"
[ -x "$src/configure" ] || (cd "$src" && ./autogen.sh)

# libstrongswan + libcharon: static, monolithic (plugins inside
# libstrongswan.a, registered by constructors), no default plugins (no
# sockets, kernel interfaces, GMP): only what decrypting SK payloads needs.
# DEBUG_LEVEL=-1 compiles the log calls out, as strongSwan's own fuzzing does.
# shellcheck disable=SC2054
cflags=(-O1 -g -fno-omit-frame-pointer -fsanitize=address,fuzzer-no-link -DNO_CHECK_MEMWIPE -DDEBUG_LEVEL=-1)
if [ ! -f "$B/obj/src/libcharon/.libs/libcharon.a" ]; then
  mkdir -p "$B/obj"
  (cd "$B/obj" && "$src/configure" CC=clang CFLAGS="${cflags[*]}" \
      --enable-fuzzing --with-libfuzzer=-fsanitize=fuzzer \
      --enable-monolithic --disable-shared --enable-static --disable-defaults \
      --enable-charon --enable-aes --enable-sha1 --enable-sha2 --enable-hmac --enable-gcm \
      --enable-random --enable-nonce --enable-xcbc --enable-cmac --disable-gmp >configure.out)
  make -j"$jobs" -C "$B/obj/src/libstrongswan" >/dev/null
  make -j"$jobs" -C "$B/obj/src/libcharon" >/dev/null
fi

# libisakmp, not instrumented: libFuzzer's cov: counts strongSwan's edges
# (and the harness's) only, in both arms
if [ ! -f "$B/isakmp/libisakmp.a" ]; then
  CC=clang cmake -S "$top" -B "$B/isakmp" -DCMAKE_BUILD_TYPE=Release -DISAKMP_LTO=OFF \
        -DISAKMP_PLUGIN=OFF >/dev/null
  cmake --build "$B/isakmp" -j"$jobs" --target isakmp_static >/dev/null
fi

# the two binaries
bin=$B/bin
mkdir -p "$bin"
obj=$B/obj
clang "${cflags[@]}" -I"$src/src/libstrongswan" -I"$src/src/libcharon" -include "$obj/config.h" \
      -Wall -Wextra -Wno-unused-parameter \
      -c "$top/tests/mutate/strongswan/fuzz_ike_message.c" -o "$bin/fuzz_ike_message.o"
# shellcheck disable=SC2054
sslibs=(-Wl,--whole-archive "$obj/src/libstrongswan/.libs/libstrongswan.a" -Wl,--no-whole-archive
        "$obj/src/libcharon/.libs/libcharon.a" "$obj/src/libstrongswan/.libs/libstrongswan.a"
        -ldl -lpthread -lm)
clang "${cflags[@]}" -DSS_FUZZ_COUNT -I"$src/src/libstrongswan" -I"$src/src/libcharon" -include "$obj/config.h" \
      -Wall -Wextra -Wno-unused-parameter \
      -c "$top/tests/mutate/strongswan/fuzz_ike_message.c" -o "$bin/fuzz_ike_count.o"
clang -fsanitize=address,fuzzer "$bin/fuzz_ike_message.o" "${sslibs[@]}" -o "$bin/fuzz_ike_default"
clang -fsanitize=address,fuzzer "$bin/fuzz_ike_count.o" "${sslibs[@]}" -o "$bin/count_ike_default"
# ours: mutator/libfuzzer.c + mutator/mutator.c + libisakmp, as fuzz_mutator
# links them (tests/fuzz/CMakeLists.txt), but not coverage-instrumented and
# made one object whose only global symbols are the two libFuzzer hooks:
# libisakmp and libcharon both define payload_type_names.
for f in mutator libfuzzer; do
  # shellcheck disable=SC2046
  clang -O2 -g $(pkg-config --cflags glib-2.0) -I"$top/include" -I"$top/mutator" -Wall -Wextra \
        -c "$top/mutator/$f.c" -o "$bin/mut_$f.o"
done
clang -r -nostdlib -o "$bin/mut_all.o" "$bin/mut_mutator.o" "$bin/mut_libfuzzer.o" \
      -Wl,--whole-archive "$B/isakmp/libisakmp.a" -Wl,--no-whole-archive
objcopy -G LLVMFuzzerCustomMutator -G LLVMFuzzerCustomCrossOver "$bin/mut_all.o" "$bin/mut_hidden.o"
# shellcheck disable=SC2046
clang -fsanitize=address,fuzzer "$bin/fuzz_ike_message.o" "$bin/mut_hidden.o" "${sslibs[@]}" \
      $(pkg-config --libs glib-2.0) -lgcrypt -lksba -lz -llzma -lzstd -o "$bin/fuzz_ike_ours"
# shellcheck disable=SC2046
clang -fsanitize=address,fuzzer "$bin/fuzz_ike_count.o" "$bin/mut_hidden.o" "${sslibs[@]}" \
      $(pkg-config --libs glib-2.0) -lgcrypt -lksba -lz -llzma -lzstd -o "$bin/count_ike_ours"

# seeds: one file per IKE message of the samples (as coverage_compare.py)
rm -rf "$B/seeds" "$B/one"
mkdir -p "$B/seeds"
for d in "$top"/samples/*/; do
  [ -f "$d/capture.pcap" ] || continue
  mkdir -p "$B/one"
  python3 "$top/tests/mutate/split_messages.py" "$d/capture.pcap" "$B/one" >/dev/null
  for f in "$B"/one/*; do mv "$f" "$B/seeds/$(basename "$d")-$(basename "$f")"; done
  rmdir "$B/one"
done
# keys: the harness decrypts IKEv2 SK payloads with the IKEv2 tables; our
# mutator reads IKEv1 and IKEv2 tables (ISAKMP_MUTATOR_KEYS, as fuzz_mutator)
SS_FUZZ_KEYS=$(printf '%s\n' "$top"/samples/*/ikev2_decryption_table | paste -sd:)
ISAKMP_MUTATOR_KEYS=$(printf '%s\n' "$top"/samples/*/ike*_decryption_table | paste -sd:)
export SS_FUZZ_KEYS ISAKMP_MUTATOR_KEYS
export ASAN_OPTIONS=detect_leaks=0:quarantine_size_mb=16
python3 "$top/tests/mutate/strongswan/compare.py" --seed "${SEED:-1}" \
    --title "strongSwan $version, message_t parse: libFuzzer cov: over CPU seconds" \
    "$cpu" "$cap" "$B/seeds" "$out" \
    "libFuzzer default=$bin/fuzz_ike_default" "libisakmp mutator=$bin/fuzz_ike_ours"
# how many of the inputs each mutator makes get through the parse: the
# harness built with -DSS_FUZZ_COUNT, the same number of executions each
# (COUNT_RUNS, 200000) from the seeds; the counts go to OUTDIR/counts.txt
for arm in default ours; do
  rm -rf "$B/count-corpus"
  cp -r "$B/seeds" "$B/count-corpus"
  printf '%s: ' "$arm"
  "$bin/count_ike_$arm" -seed="${SEED:-1}" -runs="${COUNT_RUNS:-200000}" "$B/count-corpus" 2>&1 |
    grep -E '^(counts|keyed)'
done | tee "$out/counts.txt"
rm -rf "$B/count-corpus"
echo "strongSwan $version; results in $out"
