#!/usr/bin/env python3
"""What a live charon did with the mutants of tests/mutate/run-live-charon.sh.

    live_log.py WORKDIR

WORKDIR holds, per IKE_SA (KIND-K: ccsa-1, ccsa-2, ... for CREATE_CHILD_SA
mutants, auth-1, ... for IKE_AUTH ones), KIND-K.tsv (live_mutants' lines:
index, message ID, mutation, bytes, inner payloads sent, inner payloads of
the response), KIND-K.mutants.log (the responder's log from the first
mutant on), and KIND-K.crash when the responder's daemon was gone after it
(KIND-K.stdout: what it printed).

The responder's log is cut at each "received packet" line from the
initiator's address: one piece per mutant, in the order sent.  A piece is
  parsed    charon decrypted the SK payload and parsed the whole message
            ("parsed CREATE_CHILD_SA request N [ ... ]");
  rejected  it decrypted it (the SK payload's content was parsed: "parsed
            content of encrypted payload" or an inner "parsing X payload"
            line) but an inner payload or the message structure was refused;
  icv       decryption or the integrity check failed (what this test exists
            to show does not happen);
  unseen    no IKE_SA took it (the SA was gone).
Prints the counts and one line per mutant; exit 1 when a mutant failed its
integrity check, when none was parsed with a payload list other than the
template's, when the pieces do not match the mutants sent, or when charon
crashed (then the stack's hash and the daemon's version are printed).
"""
import collections
import glob
import hashlib
import os
import re
import sys

RECV = re.compile(r'received packet: from 10\.99\.0\.1\[')
PARSED = re.compile(r'parsed (\w+) request (\d+) \[ (.*) \]')
RESPONSE = re.compile(r'generating \w+ response (\d+) \[ (.*) \]')
INNER = re.compile(r'parsing (\w+) payload, \d+ bytes left')
PROBLEM = re.compile(r'fail|invalid|not allowed|missing|unknown|exceed|too (long|short)|'
                     r'could not|unable|no acceptable|not supported|not occurred|'
                     r'more than \d+ times|must not', re.I)
ROUTINE = re.compile(r'processing failed|state change')


def pieces(lines):
    cur = None
    out = []
    for ln in lines:
        if RECV.search(ln):
            cur = [ln]
            out.append(cur)
        elif cur is not None:
            cur.append(ln)
    return out


def classify(piece):
    text = '\n'.join(piece)
    m = PARSED.search(text)
    resp = RESPONSE.search(text)
    response = resp.group(2) if resp else '-'
    if m:
        return 'parsed', m.group(3), response
    after = text.split('found an encrypted payload', 1)
    inner = [t for t in INNER.findall(after[1])] if len(after) == 2 else []
    decrypted = 'parsed content of encrypted payload' in text or any(t != 'ENCRYPTED' for t in inner)
    why = [re.sub(r'^.*?\] (<[^>]*> )?', '', ln).strip() for ln in piece
           if PROBLEM.search(ln) and not ROUTINE.search(ln)]
    if decrypted:
        return 'rejected', '; '.join(why[:2]) or '?', response
    if 'found an encrypted payload' in text or 'integrity' in text or 'could not decrypt' in text:
        return 'icv', '; '.join(why[:2]) or '?', response
    return 'unseen', '; '.join(why[:1]) or 'no IKE_SA took it', response


FRAME = re.compile(r'^\s+(\S+) @ 0x([0-9a-f]+)(?: \((\S+?)\+0x[0-9a-f]+\))? \[0x([0-9a-f]+)\]')


def crash_hash(lines):
    """A stack hash from the backtrace charon prints on a fatal signal
    ("dumping N stack frame addresses", then "  MODULE @ 0xBASE [(FUNC+0xOFF)]
    [0xADDR]" lines, in its log or on its standard error): each frame as its
    function, or its module and offset (no addresses: ASLR), hashed."""
    frames = []
    for ln in lines:
        if 'stack frame addresses' in ln:
            frames = []
        m = FRAME.match(ln)
        if m:
            module, base, func, addr = m.groups()
            frames.append(func or '%s+0x%x' % (os.path.basename(module), int(addr, 16) - int(base, 16)))
    if not frames:
        return None, []
    return hashlib.sha256('\n'.join(frames).encode()).hexdigest()[:16], frames


def norm(payloads):
    """A payload list with notify types left out (charon names them,
    live_mutants gives numbers)."""
    return re.sub(r'N\([^)]*\)', 'N', payloads).split()


def main():
    work = sys.argv[1]
    out = []
    bad = []
    summary = {}
    for kind, exchange in (('ccsa', 'CREATE_CHILD_SA'), ('auth', 'IKE_AUTH')):
        tags = sorted(glob.glob(os.path.join(work, kind + '-*.tsv')),
                      key=lambda p: int(re.search(r'-(\d+)\.tsv$', p).group(1)))
        if not tags:
            continue
        counts = collections.Counter()
        reasons = collections.Counter()
        answers = collections.Counter()
        by_kind = collections.defaultdict(collections.Counter)
        rows = []
        differing = 0
        template = None
        for path in tags:
            tag = os.path.basename(path)[:-4]
            with open(path) as f:
                tsv = [ln.rstrip('\n').split('\t') for ln in f if ln.strip()]
            tpl = [t for t in tsv if t[0] == 'template']
            mutants = [t for t in tsv if t[0] != 'template']
            if tpl:
                template = tpl[0][4]
            with open(os.path.join(work, tag + '.mutants.log'), errors='replace') as f:
                lines = f.read().splitlines()
            ps = pieces(lines)
            if len(ps) != len(mutants):
                bad.append('%s: %d mutants sent, %d received by charon' % (tag, len(mutants), len(ps)))
            for i, t in enumerate(mutants):
                got, detail, response = classify(ps[i]) if i < len(ps) else ('unseen', 'not in the log', '-')
                counts[got] += 1
                by_kind[t[2]][got] += 1
                if got == 'parsed':
                    answers[response] += 1
                    if tpl and norm(detail) != norm(tpl[0][4]):
                        differing += 1
                else:
                    reasons[(got, re.sub(r'\d+', 'N', detail))] += 1
                rows.append((tag, t[0], t[1], t[2], t[3], t[4], got, detail, response))
            if os.path.exists(os.path.join(work, tag + '.crash')):
                more = []
                if os.path.exists(os.path.join(work, tag + '.stdout')):
                    with open(os.path.join(work, tag + '.stdout'), errors='replace') as f:
                        more = f.read().splitlines()
                h, frames = crash_hash(lines + more)
                version = '?'
                setup = os.path.join(work, tag + '.setup.log')
                if os.path.exists(setup):
                    with open(setup, errors='replace') as f:
                        v = re.search(r'\(strongSwan ([^,)]+)', f.read())
                    version = v.group(1) if v else '?'
                bad.append('%s: charon (strongSwan %s) died; stack hash %s (%d frames)'
                           % (tag, version, h, len(frames)))
        sent = sum(counts.values())
        out.append('== %s requests: %d mutants sent, %d IKE_SAs' % (exchange, sent, len(tags)))
        out.append('template (inner payloads): [ %s ]' % template)
        out.append('charon decrypted and parsed the whole message: %d (payload list other than the '
                   "template's: %d)" % (counts['parsed'], differing))
        out.append('charon decrypted, then refused an inner payload or the structure: %d'
                   % counts['rejected'])
        out.append('integrity check or decryption failed: %d' % counts['icv'])
        out.append('not taken by an IKE_SA: %d' % counts['unseen'])
        for (got, why), n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append('  %4d %s: %s' % (n, got, why))
        out.append("charon's responses to the messages it parsed whole:")
        for resp, n in sorted(answers.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append('  %4d [ %s ]' % (n, resp))
        out.append('by mutation (parsed whole / sent): ' +
                   ', '.join('%s %d/%d' % (k, c['parsed'], sum(c.values()))
                             for k, c in sorted(by_kind.items())))
        summary[kind] = (counts, differing, rows)
        if counts['icv']:
            bad.append('%s: %d mutants failed the integrity check' % (exchange, counts['icv']))
    for line in out:
        print(line)
    print('round\tindex\tmid\tmutation\tbytes\tsent (inner)\tcharon\tcharon parsed / why\tresponse')
    for kind in summary:
        for row in summary[kind][2]:
            print('\t'.join(str(x) for x in row))
    if not summary:
        bad.append('no rounds')
    elif not any(summary[k][1] for k in summary):
        bad.append("no mutant was parsed whole with a payload list other than the template's")
    for b in bad:
        print('FAIL: ' + b)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
