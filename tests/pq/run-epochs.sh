#!/usr/bin/env bash
# RFC 9370 key epochs on the strongSwan 6 samples (samples/pq/*/): the IKE SA's
# keys change under the same SPIs after each additional key exchange, and the
# sample's ikev2_decryption_table holds one line per epoch (the daemon's logged
# SK_*, written by samples/pq/charon-epochs.py).  Per sample:
#   - the table equals what charon-epochs.py reads from the initiator's log;
#   - with the table in file order and reversed, every SK / SKF payload
#     (IKE_INTERMEDIATE, IKE_AUTH, CREATE_CHILD_SA, IKE_FOLLOWUP_KE,
#     INFORMATIONAL; fragments included) is decrypted by the epoch whose ICV
#     verifies: one ike.verify.icv = True per encrypted message, none False;
#   - with only the first line (what Wireshark can use), the later epochs' messages
#     do not verify (the test would pass for the wrong reason otherwise);
#   - from secrets.txt alone (the PSK, the IKE_SA_INIT / CREATE_CHILD_SA KE
#     secrets and every additional KE's, RFC 9370), every encrypted message
#     verifies, both AUTH payloads verify (over IntAuth, RFC 9242 3.3.2: PSK
#     in one sample, RSA signatures after fragmented IKE_INTERMEDIATE
#     messages in the other), and --export-keys writes the daemons' own keys: one
#     ikev2_decryption_table line per epoch and IKE SA, the esp_sa lines of
#     every CHILD_SA (those rekeyed with IKE_FOLLOWUP_KE too; the committed
#     esp_sa is the log's, by charon-epochs.py --esp).
#   - the same from the daemons' level-4 logs alone (each of the two full logs
#     alone, and both), through the library's charon-log reader: every ICV and
#     AUTH verifies and the exported tables equal the daemons' keys.
# Usage: run-epochs.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
dump=$build/isakmpdump
[ -x "$dump" ] || { echo "no isakmpdump in $build" >&2; exit 77; }
command -v python3 >/dev/null || exit 77
tmp=$(mktemp -d /tmp/pq-epochs.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0 seen=0
bad() { echo "FAIL $*"; fail=1; }
# "encrypted true false": messages with an SK / SKF payload, ICV verdicts 1 / 0
counts() {
    "$dump" -k "$1" -T fields -e ike.typepayload -e ike.verify.icv "$2" 2>/dev/null |
        awk -F'\t' '{ if ($1 ~ /(^|,)(46|53)(,|$)/) e++; n = split($2, v, ",");
                      for (i = 1; i <= n; i++) { if (v[i] == "True") t++; else if (v[i] == "False") f++ } }
                    END { printf "%d %d %d\n", e, t, f }'
}
for d in "$src"/samples/pq/*/; do
    d=${d%/}; name=$(basename "$d")
    [ -f "$d/capture.pcap" ] && [ -f "$d/ikev2_decryption_table" ] || continue
    seen=$((seen + 1))
    python3 "$src/samples/pq/charon-epochs.py" "$d/charon-initiator.log" >"$tmp/log.tab"
    cmp -s "$tmp/log.tab" "$d/ikev2_decryption_table" || bad "$name: the table is not the log's epochs"
    lines=$(grep -c . "$d/ikev2_decryption_table")
    tac "$d/ikev2_decryption_table" >"$tmp/rev.tab"
    head -1 "$d/ikev2_decryption_table" >"$tmp/first.tab"
    for t in "$d/ikev2_decryption_table" "$tmp/rev.tab"; do
        read -r e ok no < <(counts "$t" "$d/capture.pcap")
        if [ "$e" -eq 0 ] || [ "$ok" -ne "$e" ] || [ "$no" -ne 0 ]; then
            bad "$name ($(basename "$t")): $e encrypted messages, $ok ICVs verified, $no failed"
        else
            echo "ok   $name ($(basename "$t"), $lines epochs): $e encrypted messages, $ok ICVs verified"
        fi
    done
    # (only where the IKE SA has several epochs: ML-KEM in IKE_SA_INIT alone has one)
    if [ "$(cut -d, -f1,2 "$d/ikev2_decryption_table" | sort | uniq -d | grep -c .)" -gt 0 ]; then
        read -r e ok no < <(counts "$tmp/first.tab" "$d/capture.pcap")
        [ "$no" -gt 0 ] || bad "$name: the first epoch alone verified everything ($e / $ok)"
    fi
    python3 "$src/samples/pq/charon-epochs.py" --esp "$d/charon-initiator.log" >"$tmp/log.esp"
    cmp -s "$tmp/log.esp" "$d/esp_sa" || bad "$name: esp_sa is not the log's"
    # from the secrets: the key schedule of every epoch
    grep -v '^#' "$d/secrets.txt" >"$tmp/secrets.txt"
    rm -rf "$tmp/exp"
    read -r e ok no < <(counts "$tmp/secrets.txt" "$d/capture.pcap")
    "$dump" -k "$tmp/secrets.txt" --export-keys "$tmp/exp" "$d/capture.pcap" >/dev/null 2>&1
    if [ "$ok" -ne "$e" ] || [ "$no" -ne 0 ]; then
        bad "$name (secrets): $e encrypted messages, $ok ICVs verified, $no failed"
    else
        echo "ok   $name (secrets): $e encrypted messages, $ok ICVs verified"
    fi
    auth=$("$dump" -k "$tmp/secrets.txt" -T fields -e ike.verify.auth "$d/capture.pcap" 2>/dev/null | grep . | sort | uniq -c | tr -s ' ' | tr '\n' ' ')
    if [ "$auth" = " 2 True " ]; then
        echo "ok   $name (secrets): AUTH over IntAuth:$auth"
    else
        bad "$name (secrets): AUTH verdicts:$auth"
    fi
    for t in ikev2_decryption_table esp_sa; do
        if diff <(sort "$d/$t") <(sort "$tmp/exp/$t" 2>/dev/null) >/dev/null; then
            echo "ok   $name (secrets): exported $t = the daemons' ($(grep -c . "$d/$t") lines)"
        else
            bad "$name (secrets): exported $t differs from the daemons'"
        fi
    done
    for logs in initiator responder both; do
        case $logs in
        both) ks=(-k "$d/charon-initiator.log" -k "$d/charon-responder.log") ;;
        *) ks=(-k "$d/charon-$logs.log") ;;
        esac
        rm -rf "$tmp/exp"
        v=$("$dump" "${ks[@]}" -T fields -e ike.verify.icv -e ike.verify.auth --export-keys "$tmp/exp" \
              "$d/capture.pcap" 2>/dev/null | tr '\t,' '\n\n' | grep . | sort | uniq -c | tr -s ' ' | tr '\n' ' ')
        want=" $((e + 2)) True "
        same=1
        for t in ikev2_decryption_table esp_sa; do
            diff <(sort "$d/$t") <(sort "$tmp/exp/$t" 2>/dev/null) >/dev/null || same=0
        done
        if [ "$v" = "$want" ] && [ $same = 1 ]; then
            echo "ok   $name (log: $logs): verify:$v, exported tables = the daemons'"
        else
            bad "$name (log: $logs): verify:$v(want$want), tables equal: $same"
        fi
    done
done
[ $seen -gt 0 ] || { echo "no samples in samples/pq"; exit 77; }
exit $fail
