#!/usr/bin/env python3
"""What a live charon did with the mutants of tests/mutate/run-live-charon.sh.

    live_log.py WORKDIR

WORKDIR holds, per round R, round-R.tsv (live_mutants' lines: index, message
ID, mutation, bytes, inner payloads sent, inner payloads of the response),
responder-R.log (the responder's log up to the template) and
responder-mutants-R.log (its log from the first mutant on), and crash-R
when the responder's daemon was gone after the round.

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


def crash_hash(lines):
    """A stack hash from charon's backtrace after a fatal signal: the
    function names of the frames (addresses dropped), hashed."""
    start = next((i for i, ln in enumerate(lines) if re.search(r'received (\d+|SIG\w+)', ln)), None)
    if start is None:
        return None, []
    frames = []
    for ln in lines[start + 1:start + 40]:
        f = re.search(r'(\w+)\s*\+\s*0x[0-9a-f]+|\((\w+)\+0x', ln)
        if f:
            frames.append(f.group(1) or f.group(2))
    return hashlib.sha256('\n'.join(frames).encode()).hexdigest()[:16], frames


def main():
    work = sys.argv[1]
    counts = collections.Counter()
    reasons = collections.Counter()
    rows = []
    bad = []
    template_lists = set()
    differing = 0
    rounds = sorted(int(re.search(r'round-(\d+)\.tsv', p).group(1))
                    for p in glob.glob(os.path.join(work, 'round-*.tsv')))
    for r in rounds:
        with open(os.path.join(work, 'round-%d.tsv' % r)) as f:
            tsv = [ln.rstrip('\n').split('\t') for ln in f if ln.strip()]
        mutants = [t for t in tsv if t[0] != 'template']
        with open(os.path.join(work, 'responder-%d.log' % r), errors='replace') as f:
            setup = f.read()
        tpl = [m.group(3) for m in PARSED.finditer(setup) if m.group(1) == 'CREATE_CHILD_SA']
        tpl_list = tpl[-1] if tpl else None
        if tpl_list:
            template_lists.add(tpl_list)
        with open(os.path.join(work, 'responder-mutants-%d.log' % r), errors='replace') as f:
            lines = f.read().splitlines()
        ps = pieces(lines)
        if len(ps) != len(mutants):
            bad.append('round %d: %d mutants sent, %d received by charon' % (r, len(mutants), len(ps)))
        for i, t in enumerate(mutants):
            kind, detail, response = classify(ps[i]) if i < len(ps) else ('unseen', 'not in the log', '-')
            counts[kind] += 1
            if kind == 'parsed' and detail != tpl_list:
                differing += 1
            if kind in ('rejected', 'icv', 'unseen'):
                reasons[(kind, re.sub(r'\d+', 'N', detail))] += 1
            rows.append((r, t[0], t[1], t[2], t[3], t[4], kind, detail, response))
        if os.path.exists(os.path.join(work, 'crash-%d' % r)):
            h, frames = crash_hash(lines)
            bad.append('round %d: charon died; stack hash %s (%d frames)' % (r, h, len(frames)))
    sent = sum(counts.values())
    print('mutants sent: %d in %d rounds (a new IKE_SA each round)' % (sent, len(rounds)))
    print('template (charon): [ %s ]' % ' | '.join(sorted(template_lists)))
    print('charon decrypted and parsed the whole message: %d (payload list other than the '
          "template's: %d)" % (counts['parsed'], differing))
    print('charon decrypted, then refused an inner payload or the structure: %d' % counts['rejected'])
    print('integrity check or decryption failed: %d' % counts['icv'])
    print('not taken by an IKE_SA: %d' % counts['unseen'])
    for (kind, why), n in sorted(reasons.items(), key=lambda kv: -kv[1]):
        print('  %4d %s: %s' % (n, kind, why))
    answers = collections.Counter(row[8] for row in rows if row[6] == 'parsed')
    print("charon's responses to the messages it parsed whole:")
    for resp, n in sorted(answers.items(), key=lambda kv: (-kv[1], kv[0])):
        print('  %4d [ %s ]%s' % (n, resp, '  (CHILD_SA created)' if resp.startswith('SA ') else ''))
    by_kind = collections.defaultdict(collections.Counter)
    for row in rows:
        by_kind[row[3]][row[6]] += 1
    print('by mutation: ' + ', '.join('%s %d/%d parsed' % (k, c['parsed'], sum(c.values()))
                                      for k, c in sorted(by_kind.items())))
    print('round\tindex\tmid\tmutation\tbytes\tsent (inner)\tcharon\tcharon parsed / why\tresponse')
    for row in rows:
        print('\t'.join(str(x) for x in row))
    if counts['icv']:
        bad.append('%d mutants failed the integrity check' % counts['icv'])
    if differing == 0:
        bad.append('no mutant was parsed whole with a payload list other than the template\'s')
    for b in bad:
        print('FAIL: ' + b)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
