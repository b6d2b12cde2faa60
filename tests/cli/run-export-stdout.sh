#!/usr/bin/env bash
# --export-keys - and --export-psk-crack - print, after the decoded output,
# exactly what the same options write into files (the keys as the three
# tables, each under a "# <table name>" line).  Standard output is the CLI's:
# the library takes a directory, a file or a buffer (issue 16).
# Usage: run-export-stdout.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=${1:?build dir}; src=${2:?source dir}
dump=$build/isakmpdump
[ -x "$dump" ] || { echo "no isakmpdump in $build"; exit 77; }
tmp=$(mktemp -d /tmp/export-stdout.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL $*"; fail=1; }

for name in ikev1-aggressive-psk-aes256-sha256 ikev2-psk-aes256-sha256-ecp256; do
    d=$src/samples/$name
    [ -f "$d/capture.pcap" ] && [ -f "$d/secrets.txt" ] || { echo "samples missing: skipped"; exit 77; }
    args=(-k "$d/secrets.txt" "$d/capture.pcap")
    "$dump" "${args[@]}" >"$tmp/plain"
    "$dump" --export-keys "$tmp/keys" --export-psk-crack "$tmp/crack" "${args[@]}" >/dev/null
    [ -s "$tmp/keys/ikev1_decryption_table" ] || [ -s "$tmp/keys/ikev2_decryption_table" ] ||
        bad "$name: no keys derived"
    case $name in ikev1-aggressive-*) [ -s "$tmp/crack" ] || bad "$name: no psk-crack line" ;; esac
    { cat "$tmp/plain"
      for t in ikev1_decryption_table ikev2_decryption_table esp_sa; do
          echo "# $t"; cat "$tmp/keys/$t"
      done; } >"$tmp/want-keys"
    "$dump" --export-keys - "${args[@]}" >"$tmp/got-keys"
    cmp -s "$tmp/want-keys" "$tmp/got-keys" || { bad "$name: --export-keys -"; diff "$tmp/want-keys" "$tmp/got-keys" | head -5; }
    cat "$tmp/plain" "$tmp/crack" >"$tmp/want-crack"
    "$dump" --export-psk-crack - "${args[@]}" >"$tmp/got-crack"
    cmp -s "$tmp/want-crack" "$tmp/got-crack" || { bad "$name: --export-psk-crack -"; diff "$tmp/want-crack" "$tmp/got-crack" | head -5; }
    [ "$fail" = 0 ] && echo "ok   $name: --export-keys - and --export-psk-crack - print what the files hold"
    rm -rf "$tmp/keys" "$tmp/crack"
done
exit $fail
