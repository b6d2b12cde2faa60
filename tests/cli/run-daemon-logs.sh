#!/usr/bin/env bash
# charon logs in every dialect users have them, as the only key source
# (issue 17): on every sample (samples/*/) and every real log set of
# tests/data/logs/ (strongSwan 5.9.8 and 6.0.1, plain `ike 4` logs without
# mgr, IKE_SA names or time), with both peers' logs and with each alone,
#   - every message decrypts as with the capture's key tables,
#   - --export-keys gives exactly the tables' keys,
#   - no ike.verify.* is 0 on an exchange meant to succeed, and every
#     dialect gives the same verdicts;
# dialects: the log as written, without mgr lines, without time and IKE_SA
# names, with a syslog, journald or RFC 5424 prefix, gzip-compressed, and
# without any dump that gives SPIs (every key a candidate, found by ICV).  A log
# with no key in it says so on standard error (nothing loads silently).
# Usage: run-daemon-logs.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
dump=$build/isakmpdump
[ -x "$dump" ] || { echo "no isakmpdump in $build" >&2; exit 77; }
tmp=$(mktemp -d /tmp/daemon-logs.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0 runs=0
bad() { echo "FAIL $*"; fail=1; }

tables() { cat "$1"/ikev1_decryption_table "$1"/ikev2_decryption_table "$1"/esp_sa 2>/dev/null | grep -v '^#' | grep . | sort; }
exported() { cat "$1"/ikev1_decryption_table "$1"/ikev2_decryption_table "$1"/esp_sa 2>/dev/null | grep . | sort; }
payloads() { "$dump" "$@" -T fields -e frame.number -e ike.typepayload 2>/dev/null; }
verdicts() { "$dump" "$@" -T fields -e frame.number -e ike.verify.hash -e ike.verify.auth -e ike.verify.icv 2>/dev/null; }

# dialect NAME IN OUT: the log IN rewritten as NAME into OUT
dialect() {
    case $1 in
    as-is) cp "$2" "$3" ;;
    no-mgr) grep -v '\[MGR\]' "$2" >"$3" ;;
    bare) grep -v '\[MGR\]' "$2" | sed -E 's/^[0-9:]{8} //; s/^([0-9]+\[[A-Z]{3}\]) <[^>]*> /\1 /' >"$3" ;;
    syslog) sed 's/^/Dec  6 17:00:00 gw1 charon: /' "$2" >"$3" ;;
    journald) sed 's/^/Dec 06 17:00:00 gw1 charon[4242]: /' "$2" >"$3" ;;
    rfc5424) sed 's/^/<30>1 2026-12-06T17:00:00.123456+00:00 gw1 charon 4242 - - /' "$2" >"$3" ;;
    gzip) gzip -c -n "$2" >"$3" ;;
    no-spis)   # no natd / AUTH octets dumps either: nothing ties a key, ICV trial must
        awk '{ t = $0
               if (match(t, /[0-9]+\[[A-Z][A-Z][A-Z]\] (<[^>]*> )?/)) t = substr(t, RSTART + RLENGTH)
               if (t ~ / => [0-9]+ bytes/) skip = (t ~ /^(natd_chunk|octets)/)
               else if (t !~ /^ +[0-9]+: /) skip = 0
               if (!skip) print }' "$2" >"$3" ;;
    esac
}

check_set() {   # DIR INITIATOR-LOG RESPONDER-LOG DIALECTS...
    local d=$1 li=$2 lr=$3 name
    shift 3
    name=${d#"$src"/}
    local outcome
    outcome=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get('expected_outcome','established'))" "$d/config.json" 2>/dev/null || echo established)
    local keyargs=() t
    for t in ikev1_decryption_table ikev2_decryption_table; do [ -f "$d/$t" ] && keyargs+=(-k "$d/$t"); done
    [ ${#keyargs[@]} -gt 0 ] && payloads "${keyargs[@]}" "$d/capture.pcap" >"$tmp/want.pl"
    local ref="" dl who
    for dl in "$@"; do
        dialect "$dl" "$d/$li" "$tmp/i.log"
        dialect "$dl" "$d/$lr" "$tmp/r.log"
        for who in both initiator responder; do
            local ks=()
            case $who in
            both) ks=(-k "$tmp/i.log" -k "$tmp/r.log") ;;
            initiator) ks=(-k "$tmp/i.log") ;;
            responder) ks=(-k "$tmp/r.log") ;;
            esac
            runs=$((runs + 1))
            rm -rf "$tmp/exp"
            payloads "${ks[@]}" --export-keys "$tmp/exp" "$d/capture.pcap" >"$tmp/got.pl" 2>"$tmp/err" ||
                { bad "$name [$dl, $who]: isakmpdump failed"; cat "$tmp/err"; continue; }
            "$dump" "${ks[@]}" "$d/capture.pcap" >/dev/null 2>"$tmp/err"
            if [ ${#keyargs[@]} -eq 0 ]; then   # nothing encrypted: no keys, and it says so
                grep -q "charon log without key dumps" "$tmp/err" ||
                    bad "$name [$dl, $who]: a log without keys loaded silently"
                continue
            fi
            diff -q "$tmp/want.pl" "$tmp/got.pl" >/dev/null ||
                { bad "$name [$dl, $who]: decrypts differently from the key tables"; diff "$tmp/want.pl" "$tmp/got.pl" | head -4; }
            diff <(tables "$d") <(exported "$tmp/exp") >"$tmp/diff" ||
                { bad "$name [$dl, $who]: --export-keys differs from the tables"; head -4 "$tmp/diff"; }
            verdicts "${ks[@]}" "$d/capture.pcap" >"$tmp/v"
            if [ "$outcome" = established ] && cut -f2- "$tmp/v" | tr '\t,' '\n\n' | grep -qx 0; then
                bad "$name [$dl, $who]: a verdict is 0 on an exchange meant to succeed"
            fi
            [ "$who" = both ] || continue
            if [ -z "$ref" ]; then ref=$(cat "$tmp/v"); elif [ "$ref" != "$(cat "$tmp/v")" ]; then
                bad "$name [$dl]: verdicts differ from the log as written"
            fi
        done
    done
    echo "ok   $name"
}

for d in "$src"/samples/*/; do
    d=${d%/}
    [ -f "$d/capture.pcap" ] && [ -f "$d/charon-initiator.log" ] || continue
    check_set "$d" charon-initiator.log charon-responder.log as-is no-mgr bare syslog
done
for d in "$src"/tests/data/logs/*/*/; do
    d=${d%/}
    check_set "$d" charon-initiator-ike4.log charon-responder-ike4.log as-is journald rfc5424 gzip no-spis
    check_set "$d" charon-initiator.log charon-responder.log bare
done
echo "$runs runs"
exit $fail
