#!/usr/bin/env python3
"""charon2secrets.py -- write a sample's secrets.txt from the charon logs.

The key tables (ikev1_decryption_table, ikev2_decryption_table, esp_sa) are
made by the library itself (`isakmpdump -k LOG -k LOG --export-keys DIR`).
The library has no way to write the *inputs* of key derivation, so this
script keeps that one job: from the initiator's and the responder's charon
level-4 logs (filelog `ike = 4`, `chd = 4`, `mgr = 2`, `ike_name = yes`) it
writes secrets.txt (format: samples/README.md):

  PSK * "..."                       only when given with --psk
  IKEV{1,2}_DH_SHARED <spii> <g^xy / g^ir>
  IKEV1_SKEYID / IKEV2_SKEYSEED <spii> <hex>
  IKEV1_QM_DH_SHARED / IKEV2_CHILD_DH_SHARED <spii> <msgid> <hex>

How log lines are tied to SAs: charon prefixes every line logged while an
IKE_SA is checked out with "<name|unique-id>", and the manager logs
"checkin IKEv{1,2} SA name[id] with SPIs X_i Y_r".  An IKE key block (DH
secret, then SKEYSEED/SKEYID) belongs to the prefix's SA, except for an
IKE_SA rekey, where the same thread then logs "IKE_SA name[N] rekeyed".
A CHILD_SA "DH secret" belongs to the exchange whose message the thread
handled last ("parsed|generating EXCHANGE request|response MSGID").
"""
import argparse
import re

LINE = re.compile(r'^(?:\S+ )?(\d+)\[(\w+)\] (?:<(?:([^|>]*)\|)?(\d+)> )?(.*)$')
DUMP_HEAD = re.compile(r'^(.*?) => (\d+) bytes @ ')
DUMP_ROW = re.compile(r'^\s*\d+: ((?:[0-9A-F]{2} ?)+)')

IKE_KEYS = ('shared Diffie Hellman secret', 'SKEYSEED', 'SKEYID')


def read_events(path):
    """Return [(thread, group, uid, text, dump-bytes-or-None)]."""
    pending = {}          # thread -> [event, bytearray, bytes still to come]
    out = []
    with open(path, errors='replace') as f:
        for raw in f:
            m = LINE.match(raw.rstrip('\n'))
            if not m:
                continue
            thread, group, _name, uid, text = m.groups()
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
                pending[thread] = [(thread, group, uid, d.group(1).strip()), bytearray(), int(d.group(2))]
                continue
            out.append((thread, group, uid, text, None))
    return out


class Side:
    """The secrets found in one daemon's log."""

    def __init__(self, path):
        self.spis = {}        # uid -> (version, spii, spir)
        self.ike = []         # {'uid', 'keys': {name: bytes}}
        self.child = []       # (uid, msgid, DH secret)
        cur_ike = {}          # thread -> open IKE key block
        last_msgid = {}       # thread -> message ID of the last message handled
        for thread, group, uid, text, data in read_events(path):
            m = re.match(r'checkin IKEv([12]) SA \S*\[(\d+)\] with SPIs ([0-9a-f]{16})_i ([0-9a-f]{16})_r', text)
            if m:
                if m.group(4) != '0' * 16 or m.group(2) not in self.spis:
                    self.spis[m.group(2)] = (int(m.group(1)), m.group(3), m.group(4))
                continue
            m = re.match(r'(?:parsed|generating) \S+ (?:request|response) (\d+) ', text)
            if m:
                last_msgid[thread] = int(m.group(1))
                continue
            m = re.match(r'IKE_SA \S*\[(\d+)\] rekeyed', text)
            if m and thread in cur_ike:
                cur_ike[thread]['uid'] = m.group(1)
                continue
            if data is None:
                continue
            if group == 'IKE' and text in IKE_KEYS:
                blk = cur_ike.get(thread)
                if text == IKE_KEYS[0] or blk is None or text in blk['keys']:
                    blk = {'uid': uid, 'keys': {}}
                    cur_ike[thread] = blk
                    self.ike.append(blk)
                blk['keys'][text] = data
            elif group == 'CHD' and text == 'DH secret':
                self.child.append((uid, last_msgid.get(thread), data))

    def ike_entries(self):
        """{spii: entry} for every IKE_SA whose SPIs are known."""
        res = {}
        for blk in self.ike:
            if blk['uid'] in self.spis:
                ver, spii, _ = self.spis[blk['uid']]
                res[spii] = dict(blk['keys'], version=ver, spii=spii)
        return res


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', required=True, help='the secrets.txt to write')
    ap.add_argument('--psk', action='append', default=[], help='a PSK used (repeatable)')
    ap.add_argument('--comment', action='append', default=[])
    ap.add_argument('initiator_log')
    ap.add_argument('responder_log')
    a = ap.parse_args()
    ini = Side(a.initiator_log)
    res = Side(a.responder_log)

    ikes = res.ike_entries()
    ikes.update(ini.ike_entries())        # the initiator's view wins
    order = sorted(ikes.values(), key=lambda e: (e['version'], list(ikes).index(e['spii'])))

    with open(a.out, 'w') as f:
        f.write('# libisakmp secrets file (see samples/README.md for the format)\n')
        f.write('# made by samples/charon2secrets.py from charon-initiator.log and charon-responder.log\n')
        for c in a.comment:
            f.write('# %s\n' % c)
        for p in a.psk:
            f.write('PSK * "%s"\n' % p)
        for e in order:
            v = e['version']
            if IKE_KEYS[0] in e:
                f.write('IKEV%d_DH_SHARED %s %s\n' % (v, e['spii'], e[IKE_KEYS[0]].hex()))
            if v == 2 and 'SKEYSEED' in e:
                f.write('IKEV2_SKEYSEED %s %s\n' % (e['spii'], e['SKEYSEED'].hex()))
            if v == 1 and 'SKEYID' in e:
                f.write('IKEV1_SKEYID %s %s\n' % (e['spii'], e['SKEYID'].hex()))
        seen = set()
        for side in (ini, res):
            for uid, msgid, dh in side.child:
                if uid not in side.spis or msgid is None or (side.spis[uid][1], msgid) in seen:
                    continue
                ver, spii, _ = side.spis[uid]
                seen.add((spii, msgid))
                f.write('%s %s %08x %s\n' % ('IKEV1_QM_DH_SHARED' if ver == 1 else 'IKEV2_CHILD_DH_SHARED',
                                             spii, msgid, dh.hex()))


if __name__ == '__main__':
    main()
