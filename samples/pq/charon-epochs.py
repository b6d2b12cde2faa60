#!/usr/bin/env python3
"""Every key epoch's SK_* from a strongSwan 6 charon log (ike 4, mgr 2,
ike_name = yes), as ikev2_decryption_table lines: one line per epoch, in the
order the daemon derived them (RFC 9370: the initial keys, then one set per
IKE_INTERMEDIATE key exchange; a rekeyed IKE SA starts again).  Independent of
the library's own log reader, for the tests that check it.

Usage: charon-epochs.py charon-initiator.log > ikev2_decryption_table
       charon-epochs.py --esp charon-initiator.log > esp_sa
(--esp: the CHILD_SAs' keys as esp_sa lines, for the exchanges the
initiator started: inbound SAs carry the responder's keys)
"""
import re, sys

ENC = {'AES_CBC_128': 'AES-CBC-128 [RFC3602]', 'AES_CBC_192': 'AES-CBC-192 [RFC3602]',
       'AES_CBC_256': 'AES-CBC-256 [RFC3602]',
       # AEAD (the ML-KEM samples): SK_e* include the 4-octet salt, no SK_a*
       'AES_GCM_16_128': 'AES-GCM-128 with 16 octet ICV [RFC5282]',
       'AES_GCM_16_192': 'AES-GCM-192 with 16 octet ICV [RFC5282]',
       'AES_GCM_16_256': 'AES-GCM-256 with 16 octet ICV [RFC5282]'}
AEAD = 'NONE [RFC4306]'
INTEG = {'HMAC_SHA2_256_128': 'HMAC_SHA2_256_128 [RFC4868]',
         'HMAC_SHA2_384_192': 'HMAC_SHA2_384_192 [RFC4868]',
         'HMAC_SHA2_512_256': 'HMAC_SHA2_512_256 [RFC4868]', 'HMAC_SHA1_96': 'HMAC_SHA1_96 [RFC2404]'}
ESP_ENC = {'AES_CBC': 'AES-CBC [RFC3602]', 'AES_GCM_16': 'AES-GCM with 16 octet ICV [RFC4106]'}
ESP_INTEG = {'UNDEFINED': 'NULL', 'HMAC_SHA2_256_128': 'HMAC-SHA-256-128 [RFC4868]', 'HMAC_SHA1_96': 'HMAC-SHA-1-96 [RFC2404]'}
esp_mode = sys.argv[1] == '--esp'
if esp_mode:
    del sys.argv[1]
child, esp_dir, esp_alg, esp_out = {}, None, {}, []
spi_line = re.compile(r'\[CHD\] <[^>]*>\s+SPI 0x([0-9a-f]+), src (\S+) dst (\S+)')
alg_line = re.compile(r'using (encryption|integrity) algorithm (\S+)')
head = re.compile(r'\d+\[(\w{3})\] <[^|>]*\|(\d+)> (.*?) => (\d+) bytes @')
row = re.compile(r'\d+\[\w{3}\] <[^>]*>\s+\d+: ((?:[0-9A-F]{2} )+)')
checkin = re.compile(r'checkin IKEv2 SA \S+\[(\d+)\] with SPIs ([0-9a-f]{16})_i ([0-9a-f]{16})_r')
prop = re.compile(r'<[^|>]*\|(\d+)> selected proposal: IKE:([^/]+)/([^/]+)/')
spis, algs, sets = {}, {}, []          # uid -> (spii, spir); uid -> (enc, integ)
cur, want, label, uid = None, 0, None, None
for line in open(sys.argv[1], errors='replace'):
    if cur is not None and len(cur) < want:
        m = row.search(line)
        if m:
            cur += bytes.fromhex(m.group(1).replace(' ', ''))
            if len(cur) == want:
                if label in ('encryption initiator key', 'encryption responder key',
                             'integrity initiator key', 'integrity responder key'):
                    child[label] = cur.hex()
                if label.startswith('Sk_'):
                    name = label.split()[0][1:]
                    if not sets or sets[-1][0] != uid or name in sets[-1][1]:
                        sets.append((uid, {}))
                    sets[-1][1][name] = cur.hex()
            continue
    cur = None
    if 'adding inbound ESP SA' in line or 'adding outbound ESP SA' in line:
        esp_dir = 'in' if 'inbound' in line else 'out'
    m = spi_line.search(line)
    if m and esp_dir:
        who = 'responder' if esp_dir == 'in' else 'initiator'
        esp_out.append([m.group(1), m.group(2), m.group(3), child.get('encryption %s key' % who),
                        child.get('integrity %s key' % who)])
        esp_dir = None
    m = alg_line.search(line)
    if m and esp_out:
        esp_out[-1].append(m.group(2))
    m = head.search(line)
    if m:
        label, uid, want, cur = m.group(3), m.group(2), int(m.group(4)), b''
        if want == 0 and label.startswith('integrity '):
            child[label] = ''       # AEAD: no integrity key
        continue
    m = checkin.search(line)
    if m and m.group(3) != '0' * 16:
        spis[m.group(1)] = (m.group(2), m.group(3))
    m = prop.search(line)
    if m:
        algs[m.group(1)] = (m.group(2), m.group(3))
if esp_mode:
    for spi, src, dst, ek, ak, *algs in esp_out:
        print('"IPv4","%s","%s","0x%s","%s","0x%s","%s","%s"' % (src, dst, spi, ESP_ENC[algs[0]], ek,
              ESP_INTEG[algs[1]], '0x' + ak if ak else ''))
    sys.exit(0)
for uid, k in sets:
    enc, integ = algs.get(uid, (None, None))
    aead = enc in ENC and 'GCM' in enc
    need = ('k_ei', 'k_er') if aead else ('k_ei', 'k_er', 'k_ai', 'k_ar')
    if uid not in spis or uid not in algs or not all(n in k for n in need):
        continue
    if aead:
        print('%s,%s,%s,%s,"%s",,,"%s"' % (spis[uid][0], spis[uid][1], k['k_ei'], k['k_er'], ENC[enc], AEAD))
        continue
    print('%s,%s,%s,%s,"%s",%s,%s,"%s"' % (spis[uid][0], spis[uid][1], k['k_ei'], k['k_er'],
          ENC[enc], k['k_ai'], k['k_ar'], INTEG[integ]))
