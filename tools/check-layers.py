#!/usr/bin/env python3
"""Lists the calls between decoder parts that go the wrong way (ARCHITECTURE.md).

Usage: tools/check-layers.py [SOURCE_DIR]

Parts and ranks: core 0; crypto, payloads, state 1 (not calling each other);
keys 2; keying 3, esp 3 (not calling each other); the engine (decoder/decode.c, ctx.c) 4.  A call from a file
to a function defined (not static) in another part is allowed only towards a
lower rank.  Calls are found by name, comments removed, as a reader would
follow them.  Exit status 1 when a wrong-way call exists.
"""
import os, re, sys

RANK = {"core": 0, "crypto": 1, "payloads": 1, "state": 1, "keys": 2, "keying": 3, "esp": 3, ".": 4}


def part(root, path):
    rel = os.path.relpath(path, root).split(os.sep)
    return rel[0] if len(rel) > 1 else "."


def main():
    src = os.path.join(sys.argv[1] if len(sys.argv) > 1 else ".", "decoder")
    texts, defs = {}, {}
    for dp, _, names in os.walk(src):
        for n in names:
            if n.endswith(".c"):
                p = os.path.join(dp, n)
                t = re.sub(r"/\*.*?\*/", "", open(p).read(), flags=re.S)
                texts[p] = t
                for m in re.finditer(r"^(?!static)\w[\w \*]*?\b(\w+)\(", t, re.M):
                    defs.setdefault(m.group(1), p)
    bad = 0
    for p, t in sorted(texts.items()):
        for name in sorted(set(re.findall(r"\b(\w+)\s*\(", t))):
            q = defs.get(name)
            if not q or q == p:
                continue
            a, b = part(src, p), part(src, q)
            if a != b and RANK[b] >= RANK[a]:
                print("%s -> %s: %s" % (os.path.relpath(p, src), os.path.relpath(q, src), name))
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
