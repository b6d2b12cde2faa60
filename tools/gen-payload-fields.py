#!/usr/bin/env python3
"""Generate decoder/core/payload_fields_table.inc: the fields each payload
body can hold, for field-directed decoding (decoder/core/payload_fields.c).

Usage: tools/gen-payload-fields.py [--check] SOURCE_DIR

Each parser file says which payload bodies it parses, in one line of its
own:

    /* payload-bodies: v2 44 45 */              TSi and TSr, by v2_ts.c
    /* payload-bodies: v1 5 6 7 21 131 + cert.c */   with cert.c's helpers

A body's list is every field id (F_...) named in the files that declare it
and the files after "+", so it is a superset of what the body can hold: a
body is skipped only when none of those fields is wanted.  A payload type
no file declares is always parsed (the IKEv1 SA, whose proposals are a
payload chain that takes any payload type; SK, SKF and IKEv1 fragments,
whose state must see every one).  So adding a payload, or a field to a
parser, touches the parser's file only.  --check exits 1 when the committed
table is out of date (tests/direction runs it), and when a declared body is
not one the version's dispatch table (v1_payloads.c, v2_payloads.c) hands
to a function of that file, or a known substructure (proposal 2, transform 3).
"""
import os, re, sys

MARK = re.compile(r"/\* payload-bodies: v([12])((?: \d+)+)((?: \+ [\w.]+)*) \*/")
DISPATCH = re.compile(r"\[(\d+)\] = (\w+),")
# Bodies holding substructures whose generic headers decode.c reads
# (dec_plain_header: next payload, reserved octet, length): v1 proposals
# (their transforms), the v2 SA (its proposals) and v2 proposals (their
# transforms).
PLAIN_HEADER = ["NEXTPAYLOAD", "RESERVED", "PAYLOADLENGTH"]
NESTED_HEADERS = {(1, 2), (2, 33), (2, 2)}
# Transforms (v1 payload 3, v2 substructure 3) have no nested payloads, so
# no payload items of their own (v1_sub_payload / substruc_open make those,
# for the proposal).  tests/direction checks every tree against the result.
NOT_IN_BODY = {(1, 3): ["TYPEPAYLOAD"], (2, 3): ["TYPEPAYLOAD"]}
# IKEv2 proposal and transform substructures: not payloads, so in no
# dispatch table; the SA parser's file declares them.
V2_SUBSTRUCTURES = {2, 3}


def sources(src):
    """Every .c/.h/.def/.inc under src: {file name: path}."""
    out = {}
    for dp, _, names in os.walk(src):
        for n in names:
            if n.endswith((".c", ".h", ".def", ".inc")):
                out[n] = os.path.join(dp, n)
    return out


def text_of(path):
    return re.sub(r"/\*(?! payload-bodies:).*?\*/", "", open(path).read(), flags=re.S)


def field_ids(path, known):
    text = text_of(path)
    return {f for f in re.findall(r"\bF_([A-Z0-9_]+)\b", text) if f in known} - {"COUNT"}


def known_fields(files):
    ids = set()
    for name, path in files.items():
        if name.startswith("fields") and name.endswith(".def"):
            ids |= set(re.findall(r"^FIELD\(([A-Z0-9_]+),", open(path).read(), re.M))
    return ids


def declared(files):
    """(version, type) -> [files whose fields it may hold]."""
    bodies = {}
    for name, path in sorted(files.items()):
        if not name.endswith(".c"):
            continue
        for m in MARK.finditer(open(path).read()):
            extra = [x.strip() for x in m.group(3).split("+") if x.strip()]
            for t in m.group(2).split():
                key = (int(m.group(1)), int(t))
                if key in bodies:
                    raise SystemExit("payload-bodies: v%d %d declared twice (%s)" % (key + (name,)))
                bodies[key] = [name] + extra
    return bodies


def definition(text, fn):
    """The text of function fn's definition in text, or None."""
    m = re.search(r"^(?:static )?(?:inline )?\w[\w \*]*\b%s\([^;{]*\{" % re.escape(fn), text, re.M)
    if not m:
        return None
    end = text.find("\n}", m.end())
    line_end = text.find("\n", m.start())
    return text[m.start():line_end if text[m.start():line_end].rstrip().endswith("}") else end]


def parses(files, name, fn):
    """Whether fn (a dispatch table's parser) is file name's, or a wrapper
    that calls a function of file name (p_vid -> vid_decode)."""
    mine = text_of(files[name])
    if definition(mine, fn):
        return True
    for other, path in files.items():
        body = definition(text_of(path), fn) if other.endswith(".c") else None
        if body and any(definition(mine, c) for c in re.findall(r"\b(\w+)\(", body)[1:]):
            return True
    return False


def problems(files, bodies):
    """Declarations that the dispatch tables do not back."""
    table = {}
    for v, name in ((1, "v1_payloads.c"), (2, "v2_payloads.c")):
        for t, fn in DISPATCH.findall(text_of(files[name])):
            table[(v, int(t))] = fn
    out = []
    for (v, t), names in sorted(bodies.items()):
        if v == 2 and t in V2_SUBSTRUCTURES:
            continue
        fn = table.get((v, t))
        if not fn:
            out.append("v%d %d is declared by %s but dispatched to no parser" % (v, t, names[0]))
        elif not parses(files, names[0], fn):
            out.append("v%d %d is declared by %s but parsed by %s" % (v, t, names[0], fn))
    return out


def generate(files):
    known = known_fields(files)
    bodies = declared(files)
    out = ["/* Generated by tools/gen-payload-fields.py from the parsers' sources; do not edit. */",
           "/* Included by payload_fields.c: { version, type, fields ending with -1 }. */", ""]
    for (v, t) in sorted(bodies):
        ids = set()
        for name in bodies[(v, t)]:
            ids |= field_ids(files[name], known)
        if (v, t) in NESTED_HEADERS:
            ids |= set(PLAIN_HEADER)
        ids = sorted(ids - set(NOT_IN_BODY.get((v, t), [])))
        out.append("static const int body_%d_%d[] = {" % (v, t))
        line = "   "
        for f in ids + ["-1"]:
            item = " " + (f if f == "-1" else "F_" + f) + ","
            if len(line) + len(item) > 96:
                out.append(line)
                line = "   "
            line += item
        out.append(line)
        out.append("};")
    out.append("")
    out.append("static const struct { uint8_t version, type; const int *fields; } body_table[] = {")
    for (v, t) in sorted(bodies):
        out.append("    { %d, %d, body_%d_%d }," % (v, t, v, t))
    out.append("};")
    return "\n".join(out) + "\n", problems(files, bodies)


def main():
    args = sys.argv[1:]
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    src = os.path.join(args[0], "decoder") if args else "decoder"
    files = sources(src)
    text, bad = generate(files)
    for b in bad:
        print("gen-payload-fields: " + b, file=sys.stderr)
    dst = files.get("payload_fields_table.inc") or os.path.join(src, "payload_fields_table.inc")
    if check:
        if not os.path.exists(dst) or open(dst).read() != text:
            print("%s is out of date: run tools/gen-payload-fields.py" % dst, file=sys.stderr)
            return 1
        return 1 if bad else 0
    open(dst, "w").write(text)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
