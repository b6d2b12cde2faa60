#!/usr/bin/env bash
# ESP of CHILD_SAs negotiated with additional key exchanges (RFC 9370),
# through the Wireshark plugin.  The CHILD_SA keys of a samples/pq capture
# take every KE's shared secret (KEYMAT = prf+(SK_d, [g^ir (new) | SK1..SKn |]
# Ni | Nr) for a rekey with IKE_FOLLOWUP_KE, SK_d of the IKE SA's last epoch
# for the first CHILD_SA), and the plugin hands the SAs the library derives to
# Wireshark's ESP dissector (plugin/esp.c).  For every samples/pq sample, with
# the plugin loaded (tests/plugin/plugin-env.sh: tshark as nobody, the plugin
# in a temporary HOME) and only the sample's secrets.txt as ike.key_file (PSK
# or none, every KE's shared secret, ML-KEM's too):
#   - every ESP packet decrypts: ESP ICV good (esp.icv_good, HMAC-SHA2-256-128
#     or AES-GCM's tag), none bad, the inner IPv4 and ICMP decoded;
#   - the SAs those packets travel in (source, destination, SPI) are exactly
#     the committed esp_sa's (the daemons' logged keys, charon-epochs.py
#     --esp), the rekeyed CHILD_SA's among them;
#   - the ESP dissector given the committed esp_sa in its own table (no
#     secrets) gives the same decrypted bytes, ICV verdicts and inner fields:
#     the plugin's keys are the daemons';
#   - without the secrets nothing decrypts (the test would pass for the wrong
#     reason otherwise).
# Usage: run-plugin-esp.sh BUILD_DIR SOURCE_DIR   (exit 77: skipped)
set -uo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
tmp=$(mktemp -d /tmp/pq-plugin-esp.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/plugin/plugin-env.sh"
plugin_env "$build" "$src" "$tmp"
echo "tshark $abi"
as_user tshark -G plugins 2>/dev/null | grep -q "ike.so" || { echo "FAIL: tshark did not load $plugin"; exit 1; }

fail=0 seen=0
problem() { echo "FAIL: $*"; fail=1; }
esp_on=(-o esp.enable_encryption_decode:TRUE -o esp.enable_authentication_check:TRUE)
fields=(-T fields -E occurrence=a -e frame.number -e ip.src -e ip.dst -e esp.spi -e esp.sequence
        -e esp.icv_good -e esp.icv_bad -e esp.decrypted_data -e icmp.type -e icmp.seq)
mkdir -p "$tmp/.config/wireshark"
for d in "$src"/samples/pq/*/; do
    d=${d%/}; name=$(basename "$d")
    [ -f "$d/capture.pcap" ] && [ -f "$d/secrets.txt" ] && [ -f "$d/esp_sa" ] || continue
    seen=$((seen + 1))
    w="$tmp/$name"
    mkdir -p "$w"
    cp "$d/capture.pcap" "$d/secrets.txt" "$w/"
    chmod -R a+rX "$tmp"
    rm -f "$tmp/.config/wireshark/esp_sa"
    esp=$(as_user tshark -n -r "$w/capture.pcap" -Y esp 2>/dev/null | wc -l)
    as_user tshark -n -r "$w/capture.pcap" -o "ike.key_file:$w/secrets.txt" "${esp_on[@]}" \
        -Y esp "${fields[@]}" >"$w/plugin.tsv" 2>"$w/plugin.err" ||
        problem "$name: tshark failed: $(head -c 300 "$w/plugin.err")"
    none=$(as_user tshark -n -r "$w/capture.pcap" "${esp_on[@]}" -Y 'esp && (icmp || esp.icv_good)' \
             2>/dev/null | wc -l)
    # every ESP packet: ICV good, not bad, two IP headers (outer, inner), ICMP
    good=$(awk -F'\t' -v t="$true_value" '$6 == t && $7 != t && $2 ~ /,/ && $9 != ""' "$w/plugin.tsv" | wc -l)
    # the SAs decrypted against the committed esp_sa's: "src dst spi", outer addresses
    awk -F'\t' '{ split($2, s, ","); split($3, t, ","); print s[1], t[1], $4 }' "$w/plugin.tsv" |
        sort -u >"$w/sas.plugin"
    tr -d '"' <"$d/esp_sa" | awk -F, '{ print $2, $3, $4 }' | sort -u >"$w/sas.esp_sa"
    # Wireshark's own ESP table with the daemons' keys
    cp "$d/esp_sa" "$tmp/.config/wireshark/esp_sa"
    chmod -R a+rX "$tmp"
    as_user tshark -n -r "$w/capture.pcap" "${esp_on[@]}" -Y esp "${fields[@]}" >"$w/esp_sa.tsv" 2>/dev/null
    rm -f "$tmp/.config/wireshark/esp_sa"
    if [ "$esp" -eq 0 ] || [ "$(wc -l <"$w/plugin.tsv")" -ne "$esp" ] || [ "$good" -ne "$esp" ]; then
        problem "$name: $good of $esp ESP packets decrypted with a good ICV and inner IP/ICMP (secrets only)"
        sed 's/^/    /' "$w/plugin.tsv" | cut -c1-160 | head -12
    elif ! cmp -s "$w/sas.plugin" "$w/sas.esp_sa"; then
        problem "$name: the SAs decrypted are not the committed esp_sa's"
        diff "$w/sas.esp_sa" "$w/sas.plugin" | sed 's/^/    /'
    elif ! cmp -s "$w/plugin.tsv" "$w/esp_sa.tsv"; then
        problem "$name: the plugin's keys and the committed esp_sa decrypt differently"
        diff "$w/esp_sa.tsv" "$w/plugin.tsv" | cut -c1-160 | head -8 | sed 's/^/    /'
    elif [ "$none" -ne 0 ]; then
        problem "$name: $none ESP packets decrypted without the secrets"
    else
        echo "ok   $name: $esp ESP packets in $(wc -l <"$w/sas.plugin") SAs (= esp_sa) decrypted from" \
             "secrets.txt alone, ICV good, same as with the daemons' esp_sa"
    fi
done
[ $seen -gt 0 ] || { echo "SKIP: no samples in samples/pq"; exit 77; }
exit $fail
