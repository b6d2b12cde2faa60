#!/bin/bash
# Every sample in samples/*/ decrypts fully with its own key tables
# (ikev1_decryption_table, ikev2_decryption_table): per frame
#   - isakmpdump shows the same payload types (ike.typepayload, decrypted and
#     reassembled payloads included) as tshark with the same tables, so no
#     encrypted data is left where tshark decrypts;
#   - every IKEv1 message with the E flag has a decrypted payload chain;
#   - every IKEv2 SK / SKF payload is decrypted and its ICV verified
#     (one ike.verify.icv = True per SK / SKF payload, none False);
#   - no note says decryption or verification failed.
# Exit 1 with the list of failures, 77 when tshark or isakmpdump is missing.
# Usage: run-samples-decrypt.sh BUILD_DIR SOURCE_DIR [SAMPLE_DIR...]
set -u
build=$1 src=$2
shift 2
dump=$build/isakmpdump
[ -x "$dump" ] || { echo "no isakmpdump"; exit 77; }
command -v tshark > /dev/null || { echo "no tshark"; exit 77; }
dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
    for d in "$src"/samples/*/; do [ -f "$d/capture.pcap" ] && dirs+=("${d%/}"); done
fi
[ ${#dirs[@]} -gt 0 ] || { echo "no samples"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fields="version flags typepayload enc.decrypted verify.icv"
tshark_fields="version flags typepayload"   # tshark has no isakmp.verify.icv
fail=0
for d in "${dirs[@]}"; do
    name=$(basename "$d")
    # a sample whose ciphers tshark cannot decrypt (ChaCha20-Poly1305) has
    # nothing to compare with (tests/cli/run-esp.sh checks it)
    grep -q '"tshark_cannot_decrypt": true' "$d/config.json" 2>/dev/null && continue
    home=$tmp/home-$name
    mkdir -p "$home/.config/wireshark"
    keys=()
    for t in ikev1_decryption_table ikev2_decryption_table; do
        [ -f "$d/$t" ] || continue
        cp "$d/$t" "$home/.config/wireshark/$t"
        keys+=(-k "$d/$t")
    done
    ours=(-e frame.number) theirs=(-e frame.number)
    for f in $fields; do ours+=(-e "ike.$f"); done
    for f in $tshark_fields; do theirs+=(-e "isakmp.$f"); done
    "$dump" -T fields -E separator='|' "${ours[@]}" "${keys[@]}" "$d/capture.pcap" \
        > "$tmp/ours" 2> "$tmp/err" || { echo "FAIL $name: isakmpdump failed"; cat "$tmp/err"; fail=1; continue; }
    "$dump" -T json "${keys[@]}" "$d/capture.pcap" > "$tmp/json" 2> /dev/null
    HOME=$home tshark -n -r "$d/capture.pcap" -Y isakmp -T fields -E separator='|' \
        "${theirs[@]}" > "$tmp/theirs" 2> "$tmp/err" || { echo "FAIL $name: tshark failed"; cat "$tmp/err"; fail=1; continue; }
    python3 - "$name" "$tmp/ours" "$tmp/theirs" "$tmp/json" <<'EOF' || fail=1
import json, sys
name, ours_p, theirs_p, json_p = sys.argv[1:5]

def rows(path):
    out = {}
    for line in open(path):
        f = line.rstrip('\n').split('|')
        if len(f) >= 4:
            out[f[0]] = f
    return out

def split(v):
    return [x for x in v.split(',') if x]

def bad_notes(o, path, acc):
    """Notes about failed decryption or verification anywhere in a message."""
    if isinstance(o, dict):
        for k, v in o.items():
            if k.endswith('/notes'):
                for n in (v if isinstance(v, list) else []):
                    for e in (n if isinstance(n, list) else [n]):
                        if isinstance(e, dict) and e.get('code') in ('decrypt', 'verify') \
                                and e.get('severity') in ('warn', 'error'):
                            acc.append('%s: %s' % (k[:-6], e.get('text')))
            else:
                bad_notes(v, path, acc)
    elif isinstance(o, list):
        for v in o:
            bad_notes(v, path, acc)

ours, theirs = rows(ours_p), rows(theirs_p)
problems = []
for num in sorted(set(ours) | set(theirs), key=int):
    if num not in ours or num not in theirs:
        problems.append('frame %s: only %s shows it' % (num, 'isakmpdump' if num in ours else 'tshark'))
        continue
    _, ver, flags, types, dec, icv = ours[num][:6]
    t = split(types)
    if t != split(theirs[num][3]):
        problems.append('frame %s: payloads %s, tshark %s' % (num, types, theirs[num][3]))
    major = split(ver)[0] if split(ver) else ''
    if major.startswith('0x1') and any(int(x, 16) & 1 for x in split(flags)) \
            and not [x for x in t if x != '132']:
        problems.append('frame %s: IKEv1 encrypted message not decrypted' % num)
    sk = sum(1 for x in t if x in ('46', '53')) if major.startswith('0x2') else 0
    v = split(icv)
    if 'False' in v:
        problems.append('frame %s: ike.verify.icv = False' % num)
    if sk and (not dec or v.count('True') < sk):
        problems.append('frame %s: %d SK/SKF payload(s), %d decrypted, %d ICV verified'
                        % (num, sk, len(split(dec)), v.count('True')))
for line in open(json_p):
    o = json.loads(line)
    acc = []
    bad_notes(o.get('ike', {}), '', acc)
    for a in acc:
        problems.append('frame %s: note %s' % (o.get('frame'), a))
print('%s %s (%d frames)' % ('ok  ' if not problems else 'FAIL', name, len(ours)))
for p in problems[:40]:
    print('     ' + p)
sys.exit(1 if problems else 0)
EOF
done
exit $fail
