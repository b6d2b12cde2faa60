#!/usr/bin/env bash
# samples/tshark-check.sh -- check that tshark decrypts every encrypted message
# of every sample with the sample's own key tables.
#
# Usage: samples/tshark-check.sh [SAMPLE_DIR ...]   (default: samples/*/)
# Exit 0 when every sample passes, 1 otherwise, 77 when tshark is missing.
#
# Each sample's ikev1_decryption_table, ikev2_decryption_table and esp_sa are
# put into a temporary HOME's ~/.config/wireshark/ (where tshark 4.0 reads its
# UAT tables), then per frame:
#   IKEv1 with the Encryption flag  -> the decrypted payload chain must be shown
#                                      (isakmp.typepayload not empty) and nothing
#                                      malformed;
#   IKEv2 with an SK / SKF payload  -> isakmp.enc.decrypted present, no expert
#                                      note about a bad checksum or a failure;
#   ESP                             -> decrypted: the inner ICMP / ICMPv6 / TCP is
#                                      dissected, and the ICV verifies when the SA
#                                      has an integrity algorithm.
# Samples whose config.json says "expect_undecryptable": N allow exactly N
# frames to stay encrypted (none does at present).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
command -v tshark >/dev/null || { echo "tshark not found" >&2; exit 77; }

dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
	for d in "$here"/*/; do [ -f "$d/capture.pcap" ] && dirs+=("${d%/}"); done
fi

fail=0
for d in "${dirs[@]}"; do
	name=$(basename "$d")
	# ciphers Wireshark 4.0 / 4.4 cannot decrypt (ChaCha20-Poly1305): not checked here
	if grep -q '"tshark_cannot_decrypt": true' "$d/config.json" 2>/dev/null; then
		printf '%-44s skip  tshark cannot decrypt its ciphers (tests/cli/run-esp.sh checks it)\n' "$name"
		continue
	fi
	home=$(mktemp -d /tmp/tshark-check.XXXXXX)
	mkdir -p "$home/.config/wireshark"
	for t in ikev1_decryption_table ikev2_decryption_table esp_sa; do
		[ -f "$d/$t" ] && cp "$d/$t" "$home/.config/wireshark/$t"
	done
	HOME=$home tshark -r "$d/capture.pcap" \
		-o esp.enable_encryption_decode:TRUE -o esp.enable_authentication_check:TRUE \
		-T fields -E separator='|' -E occurrence=a -E aggregator=, \
		-e frame.number -e isakmp.version -e isakmp.flags -e isakmp.typepayload \
		-e isakmp.enc.decrypted -e esp.spi -e esp.icv_good -e icmp.type -e icmpv6.type \
		-e _ws.malformed -e _ws.expert.message -e tcp.srcport \
		>"$home/out" 2>"$home/err"
	rc=$?
	esp_auth=0
	[ -f "$d/esp_sa" ] && grep -q -v '"NULL",""' "$d/esp_sa" && esp_auth=1
	python3 - "$name" "$home/out" "$esp_auth" "$d/config.json" <<'EOF'
import json, sys
name, path, esp_auth, cfg = sys.argv[1], sys.argv[2], sys.argv[3] == '1', sys.argv[4]
allowed = 0
try:
    allowed = int(json.load(open(cfg)).get('expect_undecryptable', 0))
except Exception:
    pass
counts = {'ikev1': 0, 'ikev2': 0, 'esp': 0}
bad = []
for line in open(path):
    f = line.rstrip('\n').split('|')
    if len(f) < 12:
        continue
    num, ver, flags, types, dec, spi, icv, icmp, icmp6, malformed, expert, tcp = f[:12]
    ver = ver.split(',')[0]
    enc = [x for x in flags.split(',') if x and int(x, 16) & 1]
    if ver.startswith('0x1') or ver == '16':      # IKEv1 (version 0x10)
        # a reassembled IKEv1 message (Cisco-Fragmentation, 132) is a second
        # ISAKMP header in the frame: look at every header's flags
        if enc:
            counts['ikev1'] += 1
            if not [t for t in types.split(',') if t and t != '132'] or malformed:
                bad.append('%s: IKEv1 message not decrypted%s' % (num, ' (malformed)' if malformed else ''))
    elif ver:                                     # IKEv2 (0x20)
        t = types.split(',')
        if '46' in t or '53' in t:
            counts['ikev2'] += 1
            low = expert.lower()
            if not dec or malformed or 'mismatch' in low or 'fail' in low or 'incorrect' in low:
                bad.append('%s: IKEv2 SK payload not decrypted (%s)' % (num, expert or 'no decrypted data'))
    elif not spi:
        bad.append('%s: neither ISAKMP nor ESP' % num)
    else:
        counts['esp'] += 1
        if not (icmp or icmp6 or tcp) or (esp_auth and icv.split(',')[0] not in ('1', 'True')):  # 4.0: 1, 4.2+: True
            bad.append('%s: ESP SPI %s not decrypted/authenticated' % (num, spi))
ok = len(bad) <= allowed and (len(bad) == 0 or allowed)
print('%-44s %s  encrypted: IKEv1 %d, IKEv2 %d, ESP %d; undecrypted %d' % (
    name, 'ok  ' if ok else 'FAIL', counts['ikev1'], counts['ikev2'], counts['esp'], len(bad)))
for b in bad:
    print('    ' + b)
sys.exit(0 if ok else 1)
EOF
	prc=$?
	if [ $rc -ne 0 ]; then
		echo "    tshark failed:"; sed 's/^/    /' "$home/err"
		prc=1
	fi
	[ $prc -ne 0 ] && fail=1
	rm -rf "$home"
done
exit $fail
