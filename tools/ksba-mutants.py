#!/usr/bin/env python3
"""Inputs for tools/ksba-leak.c: structural mutants of DER certificates (re-encoded
with right lengths), half of them then mutated byte-wise, one hex string per line on stdout.
Usage: ksba-mutants.py COUNT SEED CERT.pem..."""
import base64, random, sys


def pem_der(path):
    body = [l for l in open(path) if not l.startswith('-----')]
    return base64.b64decode(''.join(body))


def parse(b, i=0, end=None):
    """DER bytes -> list of (tag, children-or-bytes)."""
    end = len(b) if end is None else end
    out = []
    while i < end:
        tag = b[i]; l = b[i + 1]; i += 2
        if l & 0x80:
            n = l & 0x7f; l = int.from_bytes(b[i:i + n], 'big'); i += n
        body = parse(b, i, i + l) if tag & 0x20 else b[i:i + l]
        out.append([tag, body]); i += l
    return out


def enc_len(n):
    if n < 0x80:
        return bytes([n])
    s = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([0x80 | len(s)]) + s


def enc(tree):
    out = b''
    for tag, body in tree:
        c = enc(body) if isinstance(body, list) else body
        out += bytes([tag]) + enc_len(len(c)) + c
    return out


def nodes(tree, acc=None):
    acc = [] if acc is None else acc
    for n in tree:
        acc.append((tree, n))
        if isinstance(n[1], list):
            nodes(n[1], acc)
    return acc


TAGS = [0xc0, 0xe0, 0x40, 0x00, 0x21, 0x3e, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x16, 0x17, 0x18, 0x30, 0x31,
        0xa0, 0xa1, 0xa2, 0xa3, 0x80, 0x81, 0x82, 0x83, 0x1e, 0x14, 0x0a, 0x24, 0x23]


def mutate(tree, rng):
    parent, n = rng.choice(nodes(tree)[1:])
    k = rng.randrange(9)
    if k == 0:                        # another tag
        t = rng.choice(TAGS)
        if t & 0x20 and not isinstance(n[1], list):
            n[1] = parse(n[1]) if ok_der(n[1]) else []
        elif not t & 0x20 and isinstance(n[1], list):
            n[1] = enc(n[1])
        n[0] = t
    elif k == 1:                      # delete
        parent.remove(n)
    elif k == 2:                      # duplicate
        parent.insert(parent.index(n), [n[0], n[1] if not isinstance(n[1], list) else parse(enc(n[1]))])
    elif k == 3:                      # swap with a sibling
        i = parent.index(n); j = rng.randrange(len(parent))
        parent[i], parent[j] = parent[j], parent[i]
    elif k == 4 and not isinstance(n[1], list):   # random contents
        n[1] = bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 2, 5, len(n[1])])))
    elif k == 5 and not isinstance(n[1], list):   # truncate contents
        n[1] = n[1][:rng.randrange(len(n[1]) + 1)]
    elif k == 6:                      # empty it
        n[1] = [] if isinstance(n[1], list) else b''
    elif k == 7:                      # wrap in a SEQUENCE
        parent[parent.index(n)] = [rng.choice([0x30, 0x31, 0xa0]), [n]]
    elif k == 8 and isinstance(n[1], list) and n[1]:   # unwrap
        i = parent.index(n); parent[i:i + 1] = n[1]


def ok_der(b):
    try:
        return enc(parse(b)) == b and len(b) > 0
    except Exception:
        return False


def main():
    count, seed = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    ders = [pem_der(p) for p in sys.argv[3:]]
    for _ in range(count):
        tree = parse(rng.choice(ders))
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            try:
                mutate(tree, rng)
            except (ValueError, IndexError):
                pass
        b = bytearray(enc(tree))
        if rng.random() < 0.5:        # and bytes: flips, cuts, insertions
            for _ in range(rng.choice([1, 1, 2, 4])):
                i = rng.randrange(len(b) + 1)
                r = rng.randrange(3)
                if r == 0 and i < len(b):
                    b[i] = rng.randrange(256)
                elif r == 1:
                    del b[i:]
                else:
                    b[i:i] = bytes([rng.randrange(256)])
        print(b.hex())


main()
