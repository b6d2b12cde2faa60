#!/usr/bin/env python3
"""The inputs of key derivation of a strongSwan 6 sample with RFC 9370
additional key exchanges, from the initiator's charon log (ike 4, chd 4,
mgr 2, ike_name = yes), in the secrets format of docs/secrets.md:

  PSK * "..."                                   (--psk)
  IKEV2_DH_SHARED <spii> <hex>                  the KE of IKE_SA_INIT / of an IKE SA rekey
  IKEV2_ADDKE_SHARED <spii> <n> <hex>           additional key exchange n of that IKE SA
  IKEV2_CHILD_DH_SHARED <spii> <msgid> <hex>    the KE of a CREATE_CHILD_SA (msgid)
  IKEV2_CHILD_ADDKE_SHARED <spii> <msgid> <n> <hex>   its additional key exchange n
  # SKEYSEED <spii> <epoch> <hex>               what the daemon derived (comments,
  # SK_d <spii> <epoch> <hex> ...               for the key-schedule tests,
  # NONCES <spii> <epoch> <Ni | Nr>             tests/unit/test_addke.c)
  # SPIR <spii> <spir>

charon 6 dumps "key exchange secret" after each exchange that completes a
key exchange (IKE_SA_INIT, each IKE_INTERMEDIATE, the last IKE_FOLLOWUP_KE of
a rekey) and "additional key exchange secret" (the rekey's additional ones,
empty otherwise).  Independent of the library's log reader.
"""
import argparse, re

LINE = re.compile(r'^(?:\S+ )?(\d+)\[(\w+)\] (?:<(?:[^|>]*\|)?(\d+)> )?(.*)$')
HEAD = re.compile(r'^(.*?) => (\d+) bytes @ ')
ROW = re.compile(r'^\s*\d+: ((?:[0-9A-F]{2} ?)+)')
MSG = re.compile(r'(parsed|generating) (\S+) (request|response) (\d+) ')
PROPOSAL = re.compile(r'selected proposal: \w+:(\S+)')
# shared secret sizes of the methods an additional exchange may use
SIZES = {'CURVE_25519': 32, 'CURVE_448': 56, 'ECP_256': 32, 'ECP_384': 48, 'ECP_521': 66,
         'MODP_2048': 256, 'MODP_3072': 384, 'MODP_4096': 512, 'MODP_6144': 768, 'MODP_8192': 1024,
         'ML_KEM_512': 32, 'ML_KEM_768': 32, 'ML_KEM_1024': 32}


def split_addke(data, proposal):
    """A rekey's "additional key exchange secret" is SK(1) | ... | SK(n):
    split by the sizes of the KE1..KE7 methods of the selected proposal."""
    kes = [t.split('_', 1)[1] for t in proposal.split('/') if re.match(r'KE[1-7]_', t)]
    sizes = [SIZES.get(k) for k in kes]
    if None in sizes or sum(sizes) != len(data):
        return [data]
    out, off = [], 0
    for s in sizes:
        out.append(data[off:off + s])
        off += s
    return out


CHECKIN = re.compile(r'checkin IKEv2 SA \S*\[(\d+)\] with SPIs ([0-9a-f]{16})_i ([0-9a-f]{16})_r')


def events(path):
    pend = {}
    for raw in open(path, errors='replace'):
        m = LINE.match(raw.rstrip('\n'))
        if not m:
            continue
        th, grp, uid, text = m.groups()
        p = pend.get(th)
        if p:
            r = ROW.match(text)
            if r:
                p[1].extend(bytes.fromhex(r.group(1).replace(' ', '')))
                if len(p[1]) >= p[2]:
                    yield p[0] + (bytes(p[1]),)
                    del pend[th]
                continue
            del pend[th]
        h = HEAD.match(text)
        if h:
            if int(h.group(2)) > 0:
                pend[th] = [(th, grp, uid, h.group(1).strip()), bytearray(), int(h.group(2))]
            else:
                yield (th, grp, uid, h.group(1).strip(), b'')
            continue
        yield (th, grp, uid, text, None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--psk', action='append', default=[])
    ap.add_argument('--comment', action='append', default=[])
    ap.add_argument('log')
    a = ap.parse_args()
    spis = {}                 # uid -> spii
    spirs = {}                # uid -> spir
    nonces = {}               # uid -> the last "nonces" dump
    last = {}                 # thread -> (exchange, msgid)
    ccsa = {}                 # uid -> msgid of its last CREATE_CHILD_SA
    epoch = {}                # uid -> epoch of its IKE keys
    out = []                  # (kind, uid, fields...)
    proposal = ''             # the last selected proposal
    for th, grp, uid, text, data in events(a.log):
        m = CHECKIN.search(text)
        if m and m.group(3) != '0' * 16:
            spis.setdefault(m.group(1), m.group(2))
            spirs.setdefault(m.group(1), m.group(3))
            continue
        m = PROPOSAL.search(text)
        if m and data is None:
            proposal = m.group(1)
            continue
        m = MSG.match(text)
        if m and data is None:
            last[th] = (m.group(2), int(m.group(4)))
            if m.group(2) == 'CREATE_CHILD_SA' and uid:
                ccsa[uid] = int(m.group(4))
            continue
        if data is None:
            continue
        xchg = last.get(th, ('', 0))[0]
        if grp == 'IKE' and text == 'key exchange secret':
            if xchg == 'IKE_INTERMEDIATE':
                out.append(('IKEV2_ADDKE_SHARED', uid, str(epoch.get(uid, 0) + 1), data.hex()))
            else:
                out.append(('IKEV2_DH_SHARED', uid, data.hex()))
        elif grp == 'IKE' and text == 'additional key exchange secret' and data:
            for n, part in enumerate(split_addke(data, proposal), 1):
                out.append(('IKEV2_ADDKE_SHARED', uid, str(n), part.hex()))
        elif grp == 'IKE' and text == 'nonces':
            nonces[uid] = data
        elif grp == 'IKE' and text == 'SKEYSEED':
            e = epoch[uid] = epoch.get(uid, -1) + 1
            out.append(('# NONCES', uid, str(e), nonces.get(uid, b'').hex()))
            out.append(('# SKEYSEED', uid, str(e), data.hex()))
        elif grp == 'IKE' and text.startswith('Sk_') and text.endswith(' secret'):
            out.append(('# SK_' + text[3:].split()[0], uid, str(epoch.get(uid, 0)), data.hex()))
        elif grp == 'CHD' and text == 'key exchange secret':
            out.append(('IKEV2_CHILD_DH_SHARED', uid, '%08x' % ccsa.get(uid, 0), data.hex()))
        elif grp == 'CHD' and text == 'additional key exchange secret' and data:
            for n, part in enumerate(split_addke(data, proposal), 1):
                out.append(('IKEV2_CHILD_ADDKE_SHARED', uid, '%08x' % ccsa.get(uid, 0), str(n), part.hex()))
    print('# libisakmp secrets file (docs/secrets.md), RFC 9370 epochs')
    print('# made by samples/pq/charon6-secrets.py from %s' % a.log.split('/')[-1])
    for c in a.comment:
        print('# ' + c)
    for p in a.psk:
        print('PSK * "%s"' % p)
    for uid in spis:
        print('# SPIR %s %s' % (spis[uid], spirs[uid]))
    for kind, uid, *rest in out:
        if uid in spis:
            print(' '.join([kind, spis[uid]] + rest))


if __name__ == '__main__':
    main()
