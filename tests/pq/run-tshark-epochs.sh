#!/usr/bin/env bash
# RFC 9370 key epochs against tshark, one epoch at a time.  Wireshark keys its
# ikev2_decryption_table by SPI pair, one key set per IKE SA, so of a
# samples/pq capture it decrypts only the messages of the epoch whose line it
# is given: with the first line (the IKE_SA_INIT keys) the first
# IKE_INTERMEDIATE exchange, with the last line of the SPI pair IKE_AUTH and
# what follows, with the rekeyed IKE SA's line its messages.  For every line of
# every sample's ikev2_decryption_table, alone, tshark (built-in ISAKMP
# dissector, the line in a temporary HOME's profile) and isakmpdump (-k the
# same line) must agree through tests/differential/compare.py --verdicts:
#   - on every frame, whether it decrypts and whether its ICV is correct
#     (tshark: isakmp.enc.decrypted and its isakmp.ikev2.integrity_checksum
#     expert field; ours: ike.enc.decrypted and ike.verify.icv);
#   - on frames both decrypt with a correct ICV, every mapped field (the inner
#     payloads' types and contents included), as the differential test does;
#   - on frames both find the ICV incorrect, the header fields;
#   - some frame decrypts with a correct ICV (the line is not useless).
# Usage: run-tshark-epochs.sh BUILD_DIR SOURCE_DIR   (exit 77: skipped)
set -uo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
command -v tshark >/dev/null || { echo "SKIP: tshark missing"; exit 77; }
[ -x "$build/isakmpdump" ] || { echo "SKIP: no isakmpdump in $build"; exit 77; }
compare=(python3 "$src/tests/differential/compare.py" --isakmpdump "$build/isakmpdump" --verdicts)
tmp=$(mktemp -d /tmp/pq-tshark-epochs.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0 checked=0
for d in "$src"/samples/pq/*/; do
    d=${d%/}; name=$(basename "$d")
    [ -f "$d/capture.pcap" ] && [ -f "$d/ikev2_decryption_table" ] || continue
    n=0
    while IFS= read -r line; do
        [ -n "$line" ] || continue
        n=$((n + 1))
        mkdir -p "$tmp/$name.$n"
        printf '%s\n' "$line" >"$tmp/$name.$n/ikev2_decryption_table"
        echo "== $name, line $n of ikev2_decryption_table (SPIs ${line%%,*}...)"
        "${compare[@]}" --keys "$tmp/$name.$n" "$d/capture.pcap" || fail=1
        checked=$((checked + 1))
    done <"$d/ikev2_decryption_table"
done
[ $checked -gt 0 ] || { echo "SKIP: no samples in samples/pq"; exit 77; }
echo "$checked single-epoch tables compared"
exit $fail
