#!/usr/bin/env bash
# ThreadSanitizer over isakmpdump --threads (cli/shard.c): a TSan build
# decodes a many-SA capture (tests/bench/gen.py) and every hand-made CLI
# capture with 2, 3 and 5 threads (-T fields; -T json, -V and the summary on
# the many-SA one); any report fails, and the lines must equal
# those of one thread.  GLib's slice allocator and its futex-based locks are
# not instrumented, so G_SLICE=always-malloc (shard.c's own hand-over uses
# POSIX locks, and the decoder's one-time tables pthread_once, which TSan
# follows).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# Debian's own tools first: a python3 elsewhere on PATH may carry other modules
export PATH="/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}" PYTHONDONTWRITEBYTECODE=1
build=${BUILD:-$top/build-tsan}
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DISAKMP_PLUGIN=OFF \
      -DCMAKE_C_FLAGS="-fsanitize=thread" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" >/dev/null
cmake --build "$build" -j"$(nproc)" --target isakmpdump >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$top/tests/bench/gen.py" --out "$tmp/gen" --size 2e6 >/dev/null
python3 "$top/tests/data/make-captures.py" "$tmp/cli" >/dev/null
export G_SLICE=always-malloc TSAN_OPTIONS="halt_on_error=1 exitcode=66"
fields=()
for f in frame.number ip.src ike.ispi ike.rspi ike.exchangetype ike.messageid ike.typepayload \
         ike.notify.msgtype ike.vid_string ike.vid.name ike.frag.seq ike.length; do
  fields+=(-e "$f")
done
rc=0 n=0
for cap in "$tmp/gen/bench.pcap" "$tmp"/cli/*.pcap "$tmp"/cli/*.pcapng; do
  case $(basename "$cap") in bad-*|not-*|cut-*) continue ;; esac
  "$build/isakmpdump" --threads 1 -T fields "${fields[@]}" "$cap" >"$tmp/one" 2>/dev/null || true
  for t in 2 3 5; do
    if ! "$build/isakmpdump" --threads $t -T fields "${fields[@]}" "$cap" >"$tmp/many" 2>"$tmp/err"; then
      if grep -q ThreadSanitizer "$tmp/err"; then
        echo "FAIL: ThreadSanitizer on $(basename "$cap") --threads $t"; head -40 "$tmp/err"; rc=1
        continue
      fi
    fi
    cmp -s "$tmp/one" "$tmp/many" || { echo "FAIL: $(basename "$cap") --threads $t differs"; rc=1; }
    n=$((n + 1))
  done
done
# the other outputs (issue 22): -T json, -V, the summary, on the many-SA
# capture; with its key tables the frames are partitioned by SA
keys="-k $tmp/gen/keys/ikev1_decryption_table -k $tmp/gen/keys/ikev2_decryption_table"
for out in "-T json" "-V" "-vv" "-T json $keys" "-V $keys" "-T fields -e ike.typepayload $keys"; do
  # shellcheck disable=SC2086
  "$build/isakmpdump" --threads 1 $out "$tmp/gen/bench.pcap" >"$tmp/one"
  for t in 2 3 5; do
    # shellcheck disable=SC2086
    if ! "$build/isakmpdump" --threads $t $out "$tmp/gen/bench.pcap" >"$tmp/many" 2>"$tmp/err"; then
      echo "FAIL: $out --threads $t"; head -40 "$tmp/err"; rc=1
    fi
    cmp -s "$tmp/one" "$tmp/many" || { echo "FAIL: $out --threads $t differs"; rc=1; }
    n=$((n + 1))
  done
done
# -Y: one compiled filter shared by the threads, a scratch each
flt='ike.exchangetype in {34 35} or (ike.notify.msgtype and frame.time_relative > 0.5)'
"$build/isakmpdump" --threads 1 -Y "$flt" -T fields "${fields[@]}" "$tmp/gen/bench.pcap" >"$tmp/one"
for t in 2 5; do
  if ! "$build/isakmpdump" --threads $t -Y "$flt" -T fields "${fields[@]}" "$tmp/gen/bench.pcap" \
       >"$tmp/many" 2>"$tmp/err"; then
    echo "FAIL: -Y --threads $t"; head -40 "$tmp/err"; rc=1
  fi
  cmp -s "$tmp/one" "$tmp/many" || { echo "FAIL: -Y --threads $t differs"; rc=1; }
  n=$((n + 1))
done
echo "tsan: $n runs, $( [ $rc = 0 ] && echo clean || echo FAILED)"
exit $rc
