#!/usr/bin/env python3
"""isakmpdump --report against samples/*/config.json.

For every sample: `isakmpdump --report -T json -k <its tables> capture.pcap`,
then
  * the negotiated values (version, exchange, IKE and ESP algorithms with key
    lengths, DH / PFS groups, authentication, lifetimes, mode, NAT-T,
    fragmentation, outcome) must be what config.json says the daemons were
    configured with, mapped to IANA numbers below;
  * every encrypted message must be decrypted and no check may fail;
  * the findings of every row must be exactly the rules of docs/report.md
    applied to config.json (re-implemented here from the configuration, not
    from the report).
Then the options: --fail-on (exit 3), --audit-rules (severities, errors),
--report-max-sa (the cap is said), several files (one SA seen in two).
Every run must leave standard error free of GLib criticals / warnings and
sanitizer reports (BAD_STDERR).

Usage: check_report.py ISAKMPDUMP SOURCE_DIR [SAMPLE ...]
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

# config.json names -> IANA numbers.  IKEv1 Phase 1: RFC 2409 Appendix A
# (encryption 5 3DES, 7 AES-CBC; hash 1 MD5, 2 SHA, 4 SHA2-256, 5 SHA2-384;
# auth 1 PSK, 3 RSA signature, 65001 XAUTHInitPreShared).  IKEv1 ESP:
# RFC 2407 4.4.4 transform IDs (3 ESP_3DES, 12 AES-CBC, 20 AES-GCM-16) and
# 4.5 auth_algorithm (1 HMAC-MD5, 2 HMAC-SHA, 5 HMAC-SHA2-256).  IKEv2:
# RFC 7296 3.3.2 (ENCR 3 3DES, 12 AES_CBC, 20 AES_GCM_16; INTEG 1 MD5_96,
# 2 SHA1_96, 12 SHA2_256_128, 14 SHA2_512_256; PRF 2 SHA1, 5 SHA2_256,
# 6 SHA2_384, 7 SHA2_512).
ENCR = {
    (1, 'ike'): {'3DES-CBC': 5, 'AES-CBC': 7},
    (1, 'esp'): {'3DES-CBC': 3, 'AES-CBC': 12, 'AES-GCM-16': 20},
    (2, 'ike'): {'3DES-CBC': 3, 'AES-CBC': 12, 'AES-GCM-16': 20, 'CHACHA20-POLY1305': 28},
    (2, 'esp'): {'3DES-CBC': 3, 'AES-CBC': 12, 'AES-GCM-16': 20, 'CHACHA20-POLY1305': 28},
}
V1_HASH = {'HMAC_MD5': 1, 'HMAC_SHA1': 2, 'HMAC_SHA2_256': 4, 'HMAC_SHA2_384': 5}
V1_ESP_AUTH = {'HMAC_MD5_96': 1, 'HMAC_SHA1_96': 2, 'HMAC_SHA2_256_128': 5}
V2_INTEG = {'HMAC_MD5_96': 1, 'HMAC_SHA1_96': 2, 'HMAC_SHA2_256_128': 12,
            'HMAC_SHA2_512_256': 14}
V2_PRF = {'PRF_HMAC_SHA1': 2, 'PRF_HMAC_SHA2_256': 5, 'PRF_HMAC_SHA2_384': 6,
          'PRF_HMAC_SHA2_512': 7}
V1_AUTH = {'psk': 1, 'rsa-sig': 3, 'psk+xauth': 65001, 'ecdsa-256': 9}
# IKEv2 AUTH payloads as the report names them; strongSwan signs with RFC 7427
# Digital Signature (14) when both ends announce SIGNATURE_HASH_ALGORITHMS.
V2_AUTH = {'psk': {'Shared Key Message Integrity Code'},
           'rsa-sig': {'Digital Signature', 'RSA Digital Signature'},
           'eap-md5': {'EAP-MD5'}, 'eap-mschapv2': {'EAP-MSCHAP-V2'}}
FIXED_KEY = {'3DES-CBC'}   # no Key Length attribute for fixed-size ciphers
WEAK_DH = {1, 2, 5, 22, 25}

failures = []


def fail(sample, what):
    failures.append(f'{sample}: {what}')


def expect(sample, what, got, want):
    if got != want:
        fail(sample, f'{what}: report says {got!r}, config.json wants {want!r}')


def alg_id(a):
    return a['id'] if a else None


# What must never appear on standard error: GLib's g_return_if_fail /
# g_warning messages and the sanitizers' reports (ASan, LeakSanitizer, UBSan).
BAD_STDERR = ('GLib-CRITICAL', 'GLib-WARNING', 'GLib-GObject-CRITICAL', '-CRITICAL **',
              '-WARNING **', 'ERROR: AddressSanitizer', 'ERROR: LeakSanitizer',
              'runtime error:', 'SUMMARY: UndefinedBehaviorSanitizer')


def check_stderr(args, err):
    for bad in BAD_STDERR:
        if bad in err:
            line = next(l for l in err.splitlines() if bad in l)
            fail(' '.join(args), f'standard error has {bad!r}: {line.strip()}')
            return


# Slices through malloc: AddressSanitizer then sees GLib's small blocks too
# (GArray, GHashTable nodes), their leaks, double frees and uses after free.
ENV = dict(os.environ, G_SLICE='always-malloc')


def run(exe, args, check=True):
    p = subprocess.run([exe] + args, capture_output=True, text=True, env=ENV)
    check_stderr(args, p.stderr)
    if check and p.returncode not in (0, 3):
        raise SystemExit(f'{" ".join(args)}: exit {p.returncode}: {p.stderr}')
    return p


def key_args(d):
    out = []
    for t in ('ikev1_decryption_table', 'ikev2_decryption_table'):
        if os.path.exists(os.path.join(d, t)):
            out += ['-k', os.path.join(d, t)]
    return out


def report(exe, d):
    p = run(exe, ['--report', '-T', 'json'] + key_args(d) + [os.path.join(d, 'capture.pcap')])
    rows = [json.loads(line) for line in p.stdout.splitlines()]
    return [r for r in rows if r['type'] != 'summary'], rows[-1]


# ---------------------------------------------------------------- IKE SA

def check_ike_suite(name, cfg, s, ver, what):
    ike = cfg['ike']
    expect(name, f'{what} encryption', alg_id(s['encryption']), ENCR[(ver, 'ike')][ike['encryption']])
    want_kl = None if ike['encryption'] in FIXED_KEY else ike['key_length']
    expect(name, f'{what} key length', s['key_length'], want_kl)
    expect(name, f'{what} DH group', alg_id(s['dh_group']), ike['dh_group'])
    if ver == 1:   # one hash is PRF and integrity
        expect(name, 'config: IKEv1 integrity is the PRF', ike['integrity'], ike['prf'])
        expect(name, f'{what} hash', alg_id(s['prf']), V1_HASH[ike['prf']])
        expect(name, f'{what} auth method', alg_id(s['auth_method']),
               V1_AUTH[cfg['auth']['initiator']])
        expect(name, f'{what} lifetime', s['life_seconds'],
               round(cfg['lifetimes']['ike_rekey_s'] * 1.1) if 'lifetimes' in cfg else 3960)
    else:
        expect(name, f'{what} PRF', alg_id(s['prf']), V2_PRF[ike['prf']])
        expect(name, f'{what} integrity', alg_id(s['integrity']),
               V2_INTEG[ike['integrity']] if ike['integrity'] else None)
        expect(name, f'{what} lifetime', s['life_seconds'], None)


def check_v2_auth(name, cfg, row, failed):
    got = row['auth']['initiator']
    if got not in V2_AUTH[cfg['auth']['initiator']]:
        fail(name, f'initiator auth {got!r}, config.json says {cfg["auth"]["initiator"]}')
    got = row['auth']['responder']
    if not failed and got not in V2_AUTH[cfg['auth']['responder']]:
        fail(name, f'responder auth {got!r}, config.json says {cfg["auth"]["responder"]}')


def check_ike(name, cfg, row, frag_seen):
    ver = cfg['version']
    expect(name, 'version', row['version'], ver)
    exch = {1: 'Aggressive' if 'Aggressive' in cfg['exchange'] else
            'Identity Protection (Main Mode)', 2: 'IKE_SA_INIT'}[ver]
    expect(name, 'exchange', row['exchange'], exch)
    outcome = cfg['expected_outcome']
    if outcome.startswith('failed: '):
        expect(name, 'outcome', (row['outcome'], row['error']), ('failed', outcome[8:]))
    else:
        expect(name, 'outcome', row['outcome'], 'established')
    if not row['offered']:
        fail(name, 'no offer seen')
    else:
        check_ike_suite(name, cfg, row['offered'][0], ver, 'offered')
    if row['chosen']:
        check_ike_suite(name, cfg, row['chosen'], ver, 'chosen')
    elif not outcome.startswith('failed'):
        fail(name, 'no choice seen on an established SA')
    if ver == 2 and 'IKE_AUTH' in cfg['exchange']:
        check_v2_auth(name, cfg, row, outcome.startswith('failed'))
    expect(name, 'NAT-T', row['nat_t'], cfg['nat_t'])
    expect(name, 'fragmentation used', row['fragmentation']['used'],
           True if cfg['fragmentation'] else frag_seen)
    if 'strongSwan' not in row['vendor_ids']:
        fail(name, f'vendor IDs {row["vendor_ids"]} lack strongSwan')
    if row['initiator']['id'] != 'initiator.samples.libisakmp.test' and 'established' in outcome:
        fail(name, f'initiator identity {row["initiator"]["id"]!r}')
    if row['responder']['id'] != 'responder.samples.libisakmp.test' and 'established' in outcome:
        fail(name, f'responder identity {row["responder"]["id"]!r}')


# ---------------------------------------------------------------- child SA

def check_child(name, cfg, row):
    esp, ver = cfg['esp'], cfg['version']
    s = row['chosen']
    expect(name, f'child #{row["id"]} outcome', row['outcome'], 'established')
    if not s:
        fail(name, f'child #{row["id"]}: no choice seen')
        return
    expect(name, 'ESP protocol', s['protocol'], 'ESP')
    expect(name, 'ESP encryption', alg_id(s['encryption']), ENCR[(ver, 'esp')][esp['encryption']])
    want_kl = None if esp['encryption'] in FIXED_KEY else esp['key_length']
    expect(name, 'ESP key length', s['key_length'], want_kl)
    table = V1_ESP_AUTH if ver == 1 else V2_INTEG
    expect(name, 'ESP integrity', alg_id(s['integrity']),
           table[esp['integrity']] if esp['integrity'] else None)
    expect(name, 'ESP mode', row['mode'], esp['mode'])
    if row['exchange'] == 'IKE_AUTH':   # keys from the IKE SA: PFS does not apply
        expect(name, 'IKE_AUTH child PFS', row['pfs']['used'], False)
    else:
        expect(name, f'{row["exchange"]} PFS', (row['pfs']['used'], row['pfs']['group']),
               (esp['pfs_group'] is not None, esp['pfs_group']))
    if ver == 1:
        expect(name, 'ESP lifetime', s['life_seconds'], cfg['lifetimes']['child_life_s'])


# ---------------------------------------------------------------- audit

def expected_findings(cfg, row):
    """docs/report.md's rules, applied to what the daemons were configured with."""
    ver, out = cfg['version'], set()
    failed = cfg['expected_outcome'].startswith('failed')
    if failed and row['type'] == 'ike_sa' or row['outcome'] == 'failed':
        out.add('failed')
    if row['type'] == 'ike_sa':
        ike, auth = cfg['ike'], cfg['auth']['initiator']
        if ver == 1:
            out.add('ikev1')
            if 'Aggressive' in cfg['exchange'] and auth.startswith('psk'):
                out.add('aggressive-psk')
        if not row['chosen']:   # algorithm rules judge the choice only
            return out
        if ver == 1 and auth == 'psk+xauth':
            out.add('xauth-psk')
        if auth == 'eap-md5':
            out.add('eap-md5')
        if ike['encryption'] == '3DES-CBC':
            out.add('encr-3des')
        if 'MD5' in ike['prf'] or (ike['integrity'] and 'MD5' in ike['integrity']):
            out.add('hash-md5')
        if (ver == 1 and ike['prf'] == 'HMAC_SHA1') or \
           (ver == 2 and ike['integrity'] and 'SHA1' in ike['integrity']):
            out.add('integ-sha1')
        if ver == 2 and ike['prf'] == 'PRF_HMAC_SHA1':
            out.add('prf-sha1')
        if ike['dh_group'] in WEAK_DH:
            out.add('dh-weak')
        return out
    if not row['chosen']:
        return out
    esp = cfg['esp']
    if esp['encryption'] == '3DES-CBC':
        out.add('encr-3des')
    if esp['integrity'] and 'MD5' in esp['integrity']:
        out.add('hash-md5')
    if esp['integrity'] and 'SHA1' in esp['integrity']:
        out.add('integ-sha1')
    if row['exchange'] != 'IKE_AUTH':
        if esp['pfs_group'] is None:
            out.add('no-pfs')
        elif esp['pfs_group'] in WEAK_DH:
            out.add('dh-weak')
    return out


def check_audit(name, cfg, row):
    got = {f['rule'] for f in row['findings']}
    want = expected_findings(cfg, row)
    if got != want:
        fail(name, f'row #{row["id"]} findings {sorted(got)}, the rules give {sorted(want)}')


# ---------------------------------------------------------------- a sample

def tshark_fragments(d):
    """True when tshark sees an IKEv1 fragment (132) or IKEv2 SKF (53) payload."""
    if not shutil.which('tshark'):
        return None
    p = subprocess.run(['tshark', '-r', os.path.join(d, 'capture.pcap'), '-Y', 'isakmp',
                        '-T', 'fields', '-e', 'isakmp.typepayload'],
                       capture_output=True, text=True)
    vals = set(','.join(p.stdout.split()).split(','))
    return bool(vals & {'132', '53'})


def check_sample(exe, d):
    name = os.path.basename(d.rstrip('/'))
    cfg = json.load(open(os.path.join(d, 'config.json')))
    rows, summary = report(exe, d)
    ikes = [r for r in rows if r['type'] == 'ike_sa']
    children = [r for r in rows if r['type'] == 'child_sa']
    if not ikes:
        fail(name, 'no IKE SA row')
        return
    frag = tshark_fragments(d)
    check_ike(name, cfg, ikes[0], frag if frag is not None else ikes[0]['fragmentation']['used'])
    for r in ikes[1:]:   # IKEv2 rekeys: the same proposal, linked to the one replaced
        if r['rekey_of'] is None:
            fail(name, f'IKE SA #{r["id"]} is not linked to the SA it rekeyed')
        elif r['chosen']:
            check_ike_suite(name, cfg, r['chosen'], 2, f'rekeyed IKE SA #{r["id"]}')
    if cfg.get('esp') and cfg['expected_outcome'].startswith('established'):
        if not children:
            fail(name, 'no child SA row')
        for r in children:
            check_child(name, cfg, r)
    elif children and not cfg['expected_outcome'].startswith('failed'):
        fail(name, f'{len(children)} child SA rows for a childless sample')
    for r in rows:
        if r['encrypted'] != r['decrypted']:
            fail(name, f'row #{r["id"]}: {r["decrypted"]} of {r["encrypted"]} decrypted')
        bad = {k: v['failed'] for k, v in r['verified'].items() if v['failed']}
        if bad:
            fail(name, f'row #{r["id"]}: checks failed {bad}')
        check_audit(name, cfg, r)
    expect(name, 'summary truncated', summary['truncated'], False)
    print(f'{name}: {len(ikes)} IKE SA(s), {len(children)} child SA(s) checked')


# ---------------------------------------------------------------- options

def check_options(exe, src):
    d = os.path.join(src, 'samples', 'ikev1-main-psk-3des-md5-modp1024')
    cap = [os.path.join(d, 'capture.pcap')]
    keys = key_args(d)
    p = run(exe, ['--report', '--fail-on', 'high'] + keys + cap)
    expect('--fail-on high', 'exit status', p.returncode, 3)
    p = run(exe, ['--report', '--fail-on', 'critical'] + keys + cap)
    expect('--fail-on critical', 'exit status', p.returncode, 0)
    with tempfile.TemporaryDirectory() as t:
        rules = os.path.join(t, 'rules')
        with open(rules, 'w') as f:
            f.write('# legacy gateway, accepted until 2027\n'
                    'hash-md5 low\ndh-weak   low # comment\nencr-3des info\nikev1 off\n')
        p = run(exe, ['--report', '-T', 'json', '--audit-rules', rules, '--fail-on', 'medium']
                + keys + cap)
        expect('--audit-rules', 'exit status', p.returncode, 0)
        first = json.loads(p.stdout.splitlines()[0])
        sev = {f['rule']: f['severity'] for f in first['findings']}
        expect('--audit-rules', 'severities', sev,
               {'hash-md5': 'low', 'dh-weak': 'low', 'encr-3des': 'info'})
        with open(rules, 'w') as f:
            f.write('hash-md5 low\nno-such-rule high\n')
        p = run(exe, ['--report', '--audit-rules', rules] + cap, check=False)
        expect('--audit-rules bad', 'exit status', p.returncode, 2)
        if f'{rules}:2: unknown rule' not in p.stderr:
            fail('--audit-rules bad', f'message {p.stderr!r}')
        p = run(exe, ['--report', '--fail-on', 'severe'] + cap, check=False)
        expect('--fail-on bad', 'exit status', p.returncode, 2)
        p = run(exe, ['--audit-rules', 'list'], check=False)
        if p.returncode != 0 or 'aggressive-psk' not in p.stdout:
            fail('--audit-rules list', p.stdout + p.stderr)
        check_cap(exe, src)
        check_merge(exe, src, t)


def check_cap(exe, src):
    d = os.path.join(src, 'samples', 'ikev2-psk-aes256-sha256-ecp256')
    cap = key_args(d) + [os.path.join(d, 'capture.pcap')]
    p = run(exe, ['--report', '-T', 'json', '--report-max-sa', '2'] + cap)
    rows = [json.loads(line) for line in p.stdout.splitlines()]
    expect('--report-max-sa', 'rows kept', len(rows) - 1, 2)
    expect('--report-max-sa', 'truncated', rows[-1]['truncated'], True)
    if rows[-1]['messages_without_row'] < 1:
        fail('--report-max-sa', 'no message counted as without a row')
    p = run(exe, ['--report', '--report-max-sa', '2'] + cap)
    if 'SA table full' not in p.stdout:
        fail('--report-max-sa', 'the text report does not say the table is full')


def check_merge(exe, src, tmp):
    """One capture cut in two files: the same rows, first in one, last in the other."""
    if not shutil.which('editcap'):
        print('editcap missing: several-files check skipped')
        return
    d = os.path.join(src, 'samples', 'ikev2-psk-aes256-sha256-ecp256')
    a, b = os.path.join(tmp, 'a.pcap'), os.path.join(tmp, 'b.pcap')
    cap = os.path.join(d, 'capture.pcap')
    subprocess.run(['editcap', '-r', cap, a, '1-8'], check=True, capture_output=True)
    subprocess.run(['editcap', '-r', cap, b, '9-1000'], check=True, capture_output=True)
    whole, _ = report(exe, d)
    p = run(exe, ['--report', '-T', 'json'] + key_args(d) + [a, b])
    split = [json.loads(line) for line in p.stdout.splitlines()][:-1]
    expect('two files', 'rows', len(split), len(whole))
    for w, s in zip(whole, split):
        expect('two files', f'row #{w["id"]} chosen', s['chosen'], w['chosen'])
        expect('two files', f'row #{w["id"]} messages', s['messages'], w['messages'])
    ike = split[0]
    expect('two files', 'first/last files', (ike['first']['file'], ike['last']['file']), (a, b))


def main():
    exe, src = sys.argv[1], sys.argv[2]
    samples = sys.argv[3:] or sorted(
        os.path.join(src, 'samples', n) for n in os.listdir(os.path.join(src, 'samples'))
        if os.path.exists(os.path.join(src, 'samples', n, 'config.json')))
    for d in samples:
        check_sample(exe, d)
    if not sys.argv[3:]:
        check_options(exe, src)
    for f in failures:
        print('FAIL', f)
    print(f'{len(failures)} failure(s)')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
