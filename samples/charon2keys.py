#!/usr/bin/env python3
"""charon2keys.py -- turn strongSwan charon level-4 debug logs into key files.

Reads the initiator's and the responder's charon logs (filelog with
`ike = 4`, `chd = 4`, `mgr = 2`, `ike_name = yes`) and writes into --outdir:

  ikev1_decryption_table   Wireshark 4.0 UAT: icookie,encryption key
  ikev2_decryption_table   Wireshark 4.0 UAT: spii,spir,sk_ei,sk_er,"encr",sk_ai,sk_ar,"integ"
  esp_sa                   Wireshark 4.0 UAT: "IPv4|IPv6",src,dst,spi,"encr",key,"auth",key
  secrets.txt              our format (PSK, DH shared secrets, SKEYSEED/SKEYID)

How log lines are tied to SAs: charon prefixes every line logged while an
IKE_SA is checked out with "<name|unique-id>", and the manager logs
"checkin IKEv{1,2} SA name[id] with SPIs X_i Y_r".  Key blocks (DH secret,
SKEYSEED/SKEYID, Sk_*/Ka) belong to the prefix's SA, except for an IKE_SA
rekey, where the same thread then logs "IKE_SA name[N] rekeyed".  CHILD_SA
keys are followed by "adding inbound/outbound ESP SA" and "SPI 0x.., src A
dst B" lines; the exchange role comes from the last message the thread
parsed (a response: we initiated the exchange).

This is a stop-gap until the library's own daemon-log import exists.
"""
import argparse
import re
import sys

LINE = re.compile(r'^(?:\S+ )?(\d+)\[(\w+)\] (?:<(?:([^|>]*)\|)?(\d+)> )?(.*)$')
DUMP_HEAD = re.compile(r'^(.*?) => (\d+) bytes @ ')
DUMP_ROW = re.compile(r'^\s*\d+: ((?:[0-9A-F]{2} ?)+)')

# strongSwan algorithm names -> Wireshark 4.0 UAT strings
IKEV2_ENCR = {
    'AES_CBC_128': 'AES-CBC-128 [RFC3602]', 'AES_CBC_192': 'AES-CBC-192 [RFC3602]',
    'AES_CBC_256': 'AES-CBC-256 [RFC3602]', '3DES_CBC': '3DES [RFC2451]',
    'AES_CTR_128': 'AES-CTR-128 [RFC5930]', 'AES_CTR_192': 'AES-CTR-192 [RFC5930]',
    'AES_CTR_256': 'AES-CTR-256 [RFC5930]',
}
for bits in (128, 192, 256):
    for icv in (8, 12, 16):
        IKEV2_ENCR['AES_GCM_%d_%d' % (icv, bits)] = \
            'AES-GCM-%d with %d octet ICV [RFC5282]' % (bits, icv)
        IKEV2_ENCR['AES_CCM_%d_%d' % (icv, bits)] = \
            'AES-CCM-%d with %d octet ICV [RFC5282]' % (bits, icv)
IKEV2_INTEG = {
    'HMAC_MD5_96': 'HMAC_MD5_96 [RFC2403]', 'HMAC_SHA1_96': 'HMAC_SHA1_96 [RFC2404]',
    'HMAC_MD5_128': 'HMAC_MD5_128 [RFC4595]', 'HMAC_SHA1_160': 'HMAC_SHA1_160 [RFC4595]',
    'HMAC_SHA2_256_128': 'HMAC_SHA2_256_128 [RFC4868]',
    'HMAC_SHA2_384_192': 'HMAC_SHA2_384_192 [RFC4868]',
    'HMAC_SHA2_512_256': 'HMAC_SHA2_512_256 [RFC4868]',
    None: 'NONE [RFC4306]',
}
ESP_ENCR = {
    'AES_CBC': 'AES-CBC [RFC3602]', '3DES_CBC': 'TripleDES-CBC [RFC2451]',
    'AES_CTR': 'AES-CTR [RFC3686]', 'NULL': 'NULL',
    'AES_GCM_8': 'AES-GCM with 8 octet ICV [RFC4106]',
    'AES_GCM_12': 'AES-GCM with 12 octet ICV [RFC4106]',
    'AES_GCM_16': 'AES-GCM with 16 octet ICV [RFC4106]',
}
ESP_AUTH = {
    'HMAC_MD5_96': 'HMAC-MD5-96 [RFC2403]', 'HMAC_SHA1_96': 'HMAC-SHA-1-96 [RFC2404]',
    'HMAC_SHA2_256_128': 'HMAC-SHA-256-128 [RFC4868]',
    'HMAC_SHA2_384_192': 'HMAC-SHA-384-192 [RFC4868]',
    'HMAC_SHA2_512_256': 'HMAC-SHA-512-256 [RFC4868]',
    None: 'NULL',
}

IKE_KEYS = ('shared Diffie Hellman secret', 'SKEYSEED', 'SKEYID', 'Sk_ai secret',
            'Sk_ar secret', 'Sk_ei secret', 'Sk_er secret', 'encryption key Ka')
CHILD_KEYS = ('encryption initiator key', 'encryption responder key',
              'integrity initiator key', 'integrity responder key', 'DH secret')


def read_events(path):
    """Yield (thread, group, name, uid, text, dump-bytes-or-None)."""
    pending = {}          # thread -> [tuple, bytearray, remaining]
    out = []
    with open(path, errors='replace') as f:
        for raw in f:
            m = LINE.match(raw.rstrip('\n'))
            if not m:
                continue
            thread, group, name, uid, text = m.groups()
            p = pending.get(thread)
            if p is not None:
                r = DUMP_ROW.match(text)
                if r and p[2] > 0:
                    b = bytes.fromhex(r.group(1).replace(' ', ''))
                    p[1].extend(b)
                    p[2] -= len(b)
                    if p[2] <= 0:
                        out.append(p[0] + (bytes(p[1]),))
                        del pending[thread]
                    continue
                del pending[thread]
            d = DUMP_HEAD.match(text)
            if d and int(d.group(2)) > 0:
                ev = (thread, group, name, uid, d.group(1).strip())
                pending[thread] = [ev, bytearray(), int(d.group(2))]
                continue
            out.append((thread, group, name, uid, text, None))
    return out


class Side:
    """Everything learned from one daemon's log."""

    def __init__(self, path):
        self.spis = {}        # uid -> (version, spii, spir)
        self.ike = []         # dict(uid, keys, proposal)
        self.child = []       # dict(uid, keys, sas, role, msgid, encr, integ, keysize)
        self.parse(read_events(path))

    def parse(self, events):
        cur_ike = {}          # thread -> open IKE key block
        cur_child = {}        # thread -> open CHILD key block
        last_msg = {}         # thread -> (exchange, 'request'|'response', msgid, parsed?)
        ike_prop = {}         # thread -> last selected IKE proposal
        ike_prop_uid = {}     # uid -> last selected IKE proposal
        child_alg = {}        # thread -> {'encr':..,'integ':..}
        direction = {}        # thread -> 'inbound'|'outbound'
        for thread, group, name, uid, text, data in events:
            m = re.match(r'checkin IKEv([12]) SA \S*\[(\d+)\] with SPIs ([0-9a-f]{16})_i ([0-9a-f]{16})_r', text)
            if m:
                if m.group(4) != '0' * 16 or m.group(2) not in self.spis:
                    self.spis[m.group(2)] = (int(m.group(1)), m.group(3), m.group(4))
                continue
            m = re.match(r'(parsed|generating) (\S+) (request|response) (\d+) ', text)
            if m:
                last_msg[thread] = (m.group(2), m.group(3), int(m.group(4)), m.group(1) == 'parsed')
                continue
            m = re.match(r'selected proposal: IKE:(\S+)', text)
            if m:
                ike_prop[thread] = m.group(1)
                ike_prop_uid[uid] = m.group(1)
                continue
            m = re.match(r'IKE_SA \S*\[(\d+)\] rekeyed', text)
            if m and thread in cur_ike:
                cur_ike[thread]['uid'] = m.group(1)
                continue
            m = re.match(r'\s*using (\S+) for (encryption|integrity)', text)
            if m and group == 'CHD':
                child_alg.setdefault(thread, {})[m.group(2)] = m.group(1)
                continue
            m = re.match(r'\s*using encryption algorithm (\S+) with key size (\d+)', text)
            if m and thread in cur_child:
                cur_child[thread]['keysize'] = int(m.group(2))
                continue
            m = re.match(r'adding (inbound|outbound) ESP SA', text)
            if m:
                direction[thread] = m.group(1)
                continue
            m = re.match(r'\s*SPI 0x([0-9a-f]{8}), src (\S+) dst (\S+)', text)
            if m and thread in cur_child and thread in direction:
                cur_child[thread]['sas'].append((direction.pop(thread), m.group(1), m.group(2), m.group(3)))
                continue
            if data is None:
                continue
            if group == 'IKE' and text in IKE_KEYS:
                blk = cur_ike.get(thread)
                if text == 'shared Diffie Hellman secret' or blk is None or text in blk['keys']:
                    blk = {'uid': uid, 'keys': {}, 'proposal': ike_prop.get(thread, ike_prop_uid.get(uid))}
                    cur_ike[thread] = blk
                    self.ike.append(blk)
                blk['keys'][text] = data
            elif group == 'CHD' and text in CHILD_KEYS:
                blk = cur_child.get(thread)
                if blk is None or text in blk['keys'] or text == 'DH secret' \
                        or (text == 'encryption initiator key' and 'DH secret' not in blk['keys']):
                    lm = last_msg.get(thread)
                    alg = child_alg.pop(thread, {})
                    blk = {'uid': uid, 'keys': {}, 'sas': [], 'keysize': None,
                           'role': 'initiator' if lm and lm[1] == 'response' and lm[3] else
                                   'responder' if lm and lm[1] == 'request' and lm[3] else None,
                           'exchange': lm[0] if lm else None, 'msgid': lm[2] if lm else None,
                           'encr': alg.get('encryption'), 'integ': alg.get('integrity')}
                    cur_child[thread] = blk
                    self.child.append(blk)
                blk['keys'][text] = data


def hexs(b):
    return b.hex()


def ike_entries(side):
    """Return {spii: dict} for every IKE_SA whose keys and SPIs are known."""
    res = {}
    for blk in side.ike:
        if blk['uid'] not in side.spis:
            continue
        ver, spii, spir = side.spis[blk['uid']]
        e = {'version': ver, 'spii': spii, 'spir': spir, 'proposal': blk['proposal']}
        e.update(blk['keys'])
        res[spii] = e
    return res


def ikev2_line(e):
    prop = (e.get('proposal') or '').split('/')
    encr = prop[0] if prop else ''
    integ = next((p for p in prop[1:] if p.startswith('HMAC_') or p.startswith('AES_XCBC')), None)
    if encr not in IKEV2_ENCR:
        raise SystemExit('unknown IKEv2 encryption %r (add it to IKEV2_ENCR)' % encr)
    if integ not in IKEV2_INTEG:
        raise SystemExit('unknown IKEv2 integrity %r (add it to IKEV2_INTEG)' % integ)
    ai = hexs(e['Sk_ai secret']) if integ else ''
    ar = hexs(e['Sk_ar secret']) if integ else ''
    return '%s,%s,%s,%s,"%s",%s,%s,"%s"' % (
        e['spii'], e['spir'], hexs(e['Sk_ei secret']), hexs(e['Sk_er secret']),
        IKEV2_ENCR[encr], ai, ar, IKEV2_INTEG[integ])


def esp_lines(side):
    lines = []
    for blk in side.child:
        k = blk['keys']
        if 'encryption initiator key' not in k or not blk['sas'] or blk['role'] is None:
            continue
        encr = blk['encr']
        if encr and encr.startswith('AES_GCM'):
            wenc = ESP_ENCR.get(encr)
        else:
            wenc = ESP_ENCR.get(encr)
        integ = blk['integ']
        if wenc is None or integ not in ESP_AUTH:
            raise SystemExit('unknown ESP algorithm %r/%r' % (encr, integ))
        for direction, spi, src, dst in blk['sas']:
            # keys of the exchange initiator protect initiator->responder traffic
            ours = (direction == 'outbound')
            use_i = ours if blk['role'] == 'initiator' else not ours
            tag = 'initiator' if use_i else 'responder'
            ekey = k['encryption %s key' % tag]
            akey = k.get('integrity %s key' % tag)
            fam = 'IPv6' if ':' in src else 'IPv4'
            lines.append('"%s","%s","%s","0x%s","%s","0x%s","%s","%s"' % (
                fam, src, dst, spi, wenc, hexs(ekey), ESP_AUTH[integ],
                ('0x' + hexs(akey)) if (integ and akey) else ''))
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--outdir', required=True)
    ap.add_argument('--psk', action='append', default=[])
    ap.add_argument('--comment', action='append', default=[])
    ap.add_argument('initiator_log')
    ap.add_argument('responder_log')
    a = ap.parse_args()
    ini = Side(a.initiator_log)
    res = Side(a.responder_log)

    # IKE SAs: prefer the initiator's view, add the responder's, check they agree
    ikes = ike_entries(res)
    for spii, e in ike_entries(ini).items():
        o = ikes.get(spii)
        for key in ('SKEYSEED', 'SKEYID', 'Sk_ei secret', 'encryption key Ka'):
            if o and key in o and key in e and o[key] != e[key] and o['spir'] == e['spir']:
                print('warning: %s of %s differs between the logs (authentication failure?)'
                      % (key, spii), file=sys.stderr)
        ikes[spii] = e
    order = sorted(ikes.values(), key=lambda e: (e['version'], list(ikes).index(e['spii'])))

    v1 = [e for e in order if e['version'] == 1 and 'encryption key Ka' in e]
    v2 = [e for e in order if e['version'] == 2 and 'Sk_ei secret' in e]
    if v1:
        with open(a.outdir + '/ikev1_decryption_table', 'w') as f:
            for e in v1:
                f.write('%s,%s\n' % (e['spii'], hexs(e['encryption key Ka'])))
    if v2:
        with open(a.outdir + '/ikev2_decryption_table', 'w') as f:
            for e in v2:
                f.write(ikev2_line(e) + '\n')

    esp = esp_lines(ini)
    if not esp:
        esp = esp_lines(res)
    if esp:
        with open(a.outdir + '/esp_sa', 'w') as f:
            for line in dict.fromkeys(esp):
                f.write(line + '\n')

    with open(a.outdir + '/secrets.txt', 'w') as f:
        f.write('# libisakmp secrets file (see samples/README.md for the format)\n')
        f.write('# made by samples/charon2keys.py from charon-initiator.log and charon-responder.log\n')
        for c in a.comment:
            f.write('# %s\n' % c)
        for p in a.psk:
            f.write('PSK * "%s"\n' % p)
        for e in order:
            v = e['version']
            if 'shared Diffie Hellman secret' in e:
                f.write('IKEV%d_DH_SHARED %s %s\n' % (v, e['spii'], hexs(e['shared Diffie Hellman secret'])))
            if v == 2 and 'SKEYSEED' in e:
                f.write('IKEV2_SKEYSEED %s %s\n' % (e['spii'], hexs(e['SKEYSEED'])))
            if v == 1 and 'SKEYID' in e:
                f.write('IKEV1_SKEYID %s %s\n' % (e['spii'], hexs(e['SKEYID'])))
        seen = set()
        for side in (ini, res):
            for blk in side.child:
                if 'DH secret' not in blk['keys'] or blk['uid'] not in side.spis:
                    continue
                ver, spii, _ = side.spis[blk['uid']]
                key = (spii, blk['msgid'])
                if key in seen:
                    continue
                seen.add(key)
                f.write('%s %s %08x %s\n' % ('IKEV1_QM_DH_SHARED' if ver == 1 else 'IKEV2_CHILD_DH_SHARED',
                                             spii, blk['msgid'], hexs(blk['keys']['DH secret'])))


if __name__ == '__main__':
    main()
