#!/usr/bin/env bash
# isakmpdump -Y with every output: the same messages in the summary, -V,
# -T json, -T fields (one thread and several), --report and --stats; errors
# with their column; the field-directed decoder still finds the filter's
# fields.  (tshark's own -Y: run-filter-tshark.sh.)
# Usage: run-filter.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=${1:?build dir}; src=${2:?source dir}
dump=$build/isakmpdump
[ -x "$dump" ] || { echo "no isakmpdump in $build"; exit 77; }
s=$src/samples/ikev2-psk-aes256-sha256-ecp256
[ -f "$s/capture.pcap" ] || { echo "samples missing: skipped"; exit 77; }
tmp=$(mktemp -d /tmp/filter.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL $*"; fail=1; }
same() { cmp -s "$1" "$2" || { bad "$3"; diff "$1" "$2" | head -5; }; }

cap=$s/capture.pcap
# -Y 'ike.exchangetype == 34': exactly the IKE_SA_INIT lines, in every output
"$dump" "$cap" | grep ' IKE_SA_INIT ' >"$tmp/want"
"$dump" -Y 'ike.exchangetype == 34' "$cap" >"$tmp/got"
[ -s "$tmp/want" ] || bad "no IKE_SA_INIT in the sample"
same "$tmp/want" "$tmp/got" "summary -Y exchangetype"
"$dump" -Y 'ike.exchangetype == "IKE_SA_INIT"' "$cap" >"$tmp/got"
same "$tmp/want" "$tmp/got" "summary -Y value name"
n=$(wc -l <"$tmp/want")
[ "$("$dump" -T json -Y 'ike.exchangetype eq 34' "$cap" | wc -l)" = "$n" ] || bad "json -Y"
[ "$("$dump" -V -Y 'ike.exchangetype eq 34' "$cap" | grep -c '^Frame ')" = "$n" ] || bad "-V -Y"

# -T fields, field-directed: the same frames as the full decode, on one
# thread and on several, for filters on fields that are not printed
for f in 'ike.nonce' 'not ike.flag_r == 1' 'ike.notify.msgtype in {16388..16389}' \
         'ike.nextpayload != 33' 'ike.typepayload == 46 and udp.port == 4500'; do
    for c in "$src"/samples/*/capture.pcap; do
        "$dump" -Y "$f" -T json "$c" | python3 -c '
import json, sys
print("\n".join(sorted({str(j["frame"]) for j in map(json.loads, sys.stdin)
                        if j.get("type") == "ike"}, key=int)))' \
            | sed '/^$/d' >"$tmp/want"
        "$dump" -Y "$f" -T fields -e frame.number --threads 1 "$c" >"$tmp/got1"
        "$dump" -Y "$f" -T fields -e frame.number --threads 3 "$c" >"$tmp/got3"
        same "$tmp/want" "$tmp/got1" "fields -Y '$f' $(basename "$(dirname "$c")")"
        same "$tmp/want" "$tmp/got3" "fields --threads 3 -Y '$f' $(basename "$(dirname "$c")")"
    done
done

# ike.ispi with plain hex, and with colons: the SA's messages only
ispi=$("$dump" -T fields -e ike.ispi "$cap" | sed -n 5p)
"$dump" -T fields -e ike.ispi -e frame.number "$cap" | awk -v i="$ispi" '$1 == i' >"$tmp/want"
"$dump" -T fields -e ike.ispi -e frame.number -Y "ike.ispi == $ispi" "$cap" >"$tmp/got"
same "$tmp/want" "$tmp/got" "-Y ike.ispi == plain hex"
colons=$(echo "$ispi" | sed 's/../&:/g; s/:$//')
"$dump" -T fields -e ike.ispi -e frame.number -Y "ike.ispi == $colons" "$cap" >"$tmp/got"
same "$tmp/want" "$tmp/got" "-Y ike.ispi == colons"

# -Y 'ike' keeps every IKE message (NAT keepalives and ESP packets carry none)
for c in "$src"/samples/*/capture.pcap; do
    "$dump" "$c" | grep -v -e 'NAT-keepalive$' -e ' UDP ESP SPI=' >"$tmp/want"
    "$dump" -Y ike "$c" >"$tmp/got"
    same "$tmp/want" "$tmp/got" "-Y ike $(basename "$(dirname "$c")")"
done

# --report: only the messages that pass feed it
"$dump" --report -k "$s/ikev2_decryption_table" "$cap" >"$tmp/all"
"$dump" --report -k "$s/ikev2_decryption_table" -Y 'ike' "$cap" >"$tmp/got"
same "$tmp/all" "$tmp/got" "--report -Y ike"
"$dump" --report -k "$s/ikev2_decryption_table" -Y 'ike.exchangetype == 34' "$cap" >"$tmp/got"
cmp -s "$tmp/all" "$tmp/got" && bad "--report -Y IKE_SA_INIT only: report unchanged"

# --stats counts the messages that passed; without -Y the line is as before
"$dump" --stats -Y 'ike.exchangetype == 34' "$cap" 2>"$tmp/err" >/dev/null
grep -q ', 2 IKE messages passed -Y$' "$tmp/err" || { bad "--stats -Y"; cat "$tmp/err"; }
"$dump" --stats "$cap" 2>"$tmp/err" >/dev/null
grep -q 'passed -Y' "$tmp/err" && bad "--stats without -Y mentions -Y"

# errors: exit 2, the column, the expression and a caret under the culprit
"$dump" -Y 'ike.nonce and ike.bar == 1' "$cap" >/dev/null 2>"$tmp/err"
[ $? = 2 ] || bad "bad filter: exit status"
cat >"$tmp/want" <<'EOT'
isakmpdump: -Y: "ike.bar" is not a valid protocol or protocol field at column 15
    ike.nonce and ike.bar == 1
                  ^~~~~~~
EOT
same "$tmp/want" "$tmp/err" "error message"
"$dump" -Y 'ike.exchangetype == 300' "$cap" >/dev/null 2>"$tmp/err"
grep -q 'too large.*at column 21$' "$tmp/err" || { bad "range error"; cat "$tmp/err"; }
"$dump" -Y ' ' "$cap" >"$tmp/got"
"$dump" "$cap" >"$tmp/want"
same "$tmp/want" "$tmp/got" "an empty -Y shows everything"
"$dump" --display-filter 'ike.flag_r == 1' "$cap" | grep -qv Response && bad "--display-filter"

exit $fail
