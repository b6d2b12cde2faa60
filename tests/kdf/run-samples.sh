#!/usr/bin/env bash
# Key derivation end to end on every sample (samples/*/, made by real
# strongSwan daemons): with only the PSK and the DH shared secrets, and with
# the daemons' own level-4 logs instead,
#   - every message decrypts exactly as with the sample's key tables,
#   - every ike.verify.* value is 1 (samples that are meant to fail excepted),
#   - --export-keys reproduces the daemons' keys (the sample's key tables),
#   - tshark accepts the exported tables and decrypts with them;
# a wrong PSK or DH secret gives 0s and no crash; the Aggressive Mode
# psk-crack line recomputes to its HASH_R.
# Usage: run-samples.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
build=$(cd "$1" && pwd) src=$(cd "$2" && pwd)
dump=$build/isakmpdump
[ -x "$dump" ] || { echo "no isakmpdump in $build" >&2; exit 77; }
tmp=$(mktemp -d /tmp/kdf-samples.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0 seen=0
bad() { echo "FAIL $*"; fail=1; }

# The sample's own tables, sorted, without comments.
tables() { cat "$1"/ikev1_decryption_table "$1"/ikev2_decryption_table "$1"/esp_sa 2>/dev/null | grep -v '^#' | grep . | sort; }
exported() { cat "$1"/ikev1_decryption_table "$1"/ikev2_decryption_table "$1"/esp_sa | grep . | sort; }
# Per frame: the payload types (inner ones included) a key source decrypts.
payloads() { "$dump" "$@" -T fields -e frame.number -e ike.typepayload 2>/dev/null; }
verdicts() { "$dump" "$@" -T fields -e ike.verify.hash -e ike.verify.auth -e ike.verify.icv 2>/dev/null | tr '\t,' '\n\n' | grep . | sort | uniq -c | tr -s ' ' | tr '\n' ' '; }

for d in "$src"/samples/*/; do
    d=${d%/}; name=$(basename "$d")
    [ -f "$d/capture.pcap" ] && [ -f "$d/secrets.txt" ] || continue
    seen=$((seen + 1))
    grep -E '^(PSK|IKEV1_DH_SHARED|IKEV1_QM_DH_SHARED|IKEV2_DH_SHARED|IKEV2_CHILD_DH_SHARED) ' "$d/secrets.txt" >"$tmp/dh.txt"
    outcome=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get('expected_outcome','established'))" "$d/config.json" 2>/dev/null || echo established)
    keyargs=()
    for t in ikev1_decryption_table ikev2_decryption_table; do [ -f "$d/$t" ] && keyargs+=(-k "$d/$t"); done
    [ ${#keyargs[@]} -gt 0 ] && payloads "${keyargs[@]}" "$d/capture.pcap" >"$tmp/want.pl"
    for src_kind in secrets logs; do
        if [ $src_kind = secrets ]; then ks=(-k "$tmp/dh.txt"); else ks=(-k "$d/charon-initiator.log" -k "$d/charon-responder.log"); fi
        rm -rf "$tmp/exp"
        if ! payloads "${ks[@]}" --export-keys "$tmp/exp" "$d/capture.pcap" >"$tmp/got.pl"; then
            bad "$name [$src_kind]: isakmpdump failed"; continue
        fi
        if [ ${#keyargs[@]} -gt 0 ] && ! diff -q "$tmp/want.pl" "$tmp/got.pl" >/dev/null; then
            bad "$name [$src_kind]: decrypts differently from the key tables"; diff "$tmp/want.pl" "$tmp/got.pl" | head -4
        fi
        if ! diff <(tables "$d") <(exported "$tmp/exp") >"$tmp/diff"; then
            bad "$name [$src_kind]: --export-keys differs from the daemons' keys"; head -4 "$tmp/diff"
        fi
        v=$(verdicts "${ks[@]}" "$d/capture.pcap")
        if [ "$outcome" = established ] && echo "$v" | grep -qE '(^| )[0-9]+ False( |$)'; then
            bad "$name [$src_kind]: a verification failed: $v"
        fi
        echo "ok   $name [$src_kind] verify: ${v:-none}"
    done
    # tshark reads the exported tables as they are and decrypts with them
    if command -v tshark >/dev/null && [ -x "$src/samples/tshark-check.sh" ] && [ -s "$tmp/exp/esp_sa" -o -s "$tmp/exp/ikev1_decryption_table" -o -s "$tmp/exp/ikev2_decryption_table" ]; then
        rm -rf "$tmp/ts"; mkdir -p "$tmp/ts/$name"
        ln -s "$d/capture.pcap" "$tmp/ts/$name/capture.pcap"
        cp "$d/config.json" "$tmp/ts/$name/" 2>/dev/null
        for t in ikev1_decryption_table ikev2_decryption_table esp_sa; do [ -s "$tmp/exp/$t" ] && cp "$tmp/exp/$t" "$tmp/ts/$name/"; done
        "$src/samples/tshark-check.sh" "$tmp/ts/$name" >"$tmp/ts.out" 2>&1 || { bad "$name: tshark does not decrypt with the exported tables"; tail -3 "$tmp/ts.out"; }
    fi
    # '*' instead of the SPIs: each guess that fails an ICV costs one message,
    # then the right secret is found (IKEv2)
    if grep -q '^IKEV2_DH_SHARED' "$tmp/dh.txt"; then
        sed -e 's/^\(IKEV2_[A-Z_]*\) [0-9a-f]\{16\}/\1 */' "$tmp/dh.txt" >"$tmp/star.txt"
        n1=$("$dump" -k "$tmp/star.txt" -T fields -e ike.verify.icv "$d/capture.pcap" 2>/dev/null | grep -cx True)
        n0=$("$dump" -k "$tmp/star.txt" -T fields -e ike.verify.icv "$d/capture.pcap" 2>/dev/null | grep -cx False)
        ndh=$(grep -c '^IKEV2_DH_SHARED' "$tmp/dh.txt")
        [ "$n1" -gt 0 ] && [ "$n0" -lt "$ndh" ] || bad "$name [*]: ICV good $n1, bad $n0 with $ndh guesses"
    fi
    # negative: a wrong PSK / wrong DH secrets give 0s or nothing, never a crash
    sed -e 's/^PSK \(.*\) .*$/PSK \1 "not-the-psk"/' "$tmp/dh.txt" >"$tmp/wrongpsk.txt"
    sed -e '/^PSK/!s/[0-9a-f]\{8\}$/00000000/' "$tmp/dh.txt" >"$tmp/wrongdh.txt"
    for w in wrongpsk wrongdh; do
        "$dump" -k "$tmp/$w.txt" -T fields -e ike.verify.auth "$d/capture.pcap" >"$tmp/w.out" 2>&1
        rc=$?
        [ $rc -ge 128 ] && bad "$name [$w]: crashed ($rc)"
        grep -q "ERROR: AddressSanitizer\|runtime error" "$tmp/w.out" && bad "$name [$w]: sanitizer report"
        # (certificate / EAP samples: their AUTH does not depend on the PSK)
        if [ $w = wrongpsk ] && grep -q '"psk"' "$d/config.json" && grep -qx 1 "$tmp/w.out"; then
            bad "$name [$w]: a wrong PSK still verifies"
        fi
    done
done

# Tampering with what a HASH / AUTH covers: flip the last byte of the first
# message's SA payload (IKEv1: SAi_b) or of the first message (IKEv2:
# RealMessage1).  Keys do not
# change, so everything still decrypts, but HASH_I / HASH_R (IKEv1) or the
# initiator's AUTH (IKEv2) must now be 0, never a crash.
tamper() {   # tamper IN OUT: the last byte of the first message (IKEv1: of its SA payload) flipped
    python3 - "$1" "$2" <<'PY'
import struct, sys
data = bytearray(open(sys.argv[1], 'rb').read())
link = struct.unpack('<I', data[20:24])[0]
off = 24
incl = struct.unpack('<I', data[off + 8:off + 12])[0]
pkt = off + 16
ip = pkt + {1: 14, 113: 16, 276: 20}.get(link, 0)
ihl = (data[ip] & 15) * 4 if data[ip] >> 4 == 4 else 40
udp = ip + ihl
end = udp + struct.unpack('>H', data[udp + 4:udp + 6])[0]
ike = udp + 8 + (4 if struct.unpack('>H', data[udp + 2:udp + 4])[0] == 4500 else 0)
if data[ike + 17] == 0x10 and data[ike + 16] == 1:   # IKEv1, SA first: the SA payload's last byte
    end = ike + 28 + struct.unpack('>H', data[ike + 30:ike + 32])[0]
data[end - 1] ^= 0x01
open(sys.argv[2], 'wb').write(data)
PY
}
for d in "$src"/samples/ikev1-main-psk-*/ "$src"/samples/ikev2-psk-*/; do
    [ -f "$d/capture.pcap" ] || continue
    name=$(basename "$d")
    grep -E '^(PSK|IKEV1_DH_SHARED|IKEV1_QM_DH_SHARED|IKEV2_DH_SHARED|IKEV2_CHILD_DH_SHARED) ' "$d/secrets.txt" >"$tmp/dh.txt"
    tamper "$d/capture.pcap" "$tmp/t.pcap" || { bad "$name: cannot tamper"; continue; }
    "$dump" -k "$tmp/dh.txt" -T fields -e frame.number -e ike.verify.hash -e ike.verify.auth "$tmp/t.pcap" >"$tmp/t.out" 2>"$tmp/t.err"
    rc=$?
    [ $rc -ge 128 ] && bad "$name [tampered]: crashed ($rc)"
    grep -q "Sanitizer\|runtime error" "$tmp/t.err" && bad "$name [tampered]: sanitizer report"
    zeros=$(cut -f2- "$tmp/t.out" | tr '\t,' '\n\n' | grep -cx False)
    ones=$(cut -f2- "$tmp/t.out" | tr '\t,' '\n\n' | grep -cx True)
    case $name in
    ikev1-*) want=2 ;;   # HASH_I and HASH_R
    *) want=1 ;;         # the initiator's AUTH
    esac
    [ "$zeros" -eq "$want" ] && [ "$ones" -gt 0 ] || bad "$name [tampered]: $zeros False (want $want), $ones True"
    echo "ok   $name [tampered first message] $zeros verification(s) False, $ones still True"
done

# Aggressive Mode: the psk-crack line recomputes to its HASH_R with the PSK.
for d in "$src"/samples/ikev1-aggressive-psk*/; do
    [ -f "$d/capture.pcap" ] || continue
    "$dump" --export-psk-crack "$tmp/crack.txt" "$d/capture.pcap" >/dev/null 2>&1
    psk=$(sed -n 's/^PSK [^ ]* "\(.*\)"$/\1/p' "$d/secrets.txt" | head -1)
    python3 - "$tmp/crack.txt" "$psk" <<'PY' || bad "$(basename "$d"): psk-crack line does not recompute"
import hashlib, hmac, sys
lines = [l.strip() for l in open(sys.argv[1]) if l.strip()]
assert lines, "no psk-crack line"
for l in lines:
    f = [bytes.fromhex(x) for x in l.split(':')]
    assert len(f) == 9
    gxr, gxi, ckyr, ckyi, sai, idr, ni, nr, hr = f
    h = {16: hashlib.md5, 20: hashlib.sha1, 32: hashlib.sha256, 48: hashlib.sha384, 64: hashlib.sha512}[len(hr)]
    skeyid = hmac.new(sys.argv[2].encode(), ni + nr, h).digest()
    assert hmac.new(skeyid, gxr + gxi + ckyr + ckyi + sai + idr, h).digest() == hr
print("ok   psk-crack line verifies")
PY
done

[ $seen -gt 0 ] || { echo "no samples"; exit 77; }
exit $fail
