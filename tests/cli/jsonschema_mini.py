#!/usr/bin/env python3
"""A small JSON Schema validator: the subset cli/isakmpdump-json.schema.json
uses (type, const, enum, properties, required, additionalProperties,
patternProperties, items, minItems, minimum, maximum, pattern, anyOf, oneOf,
$ref to #/$defs/...).  Unknown keywords are an error, so the schema cannot
silently use something this does not check.

Usage: jsonschema_mini.py SCHEMA [FILE...]   (JSON Lines; stdin when no FILE)
"""
import json
import re
import sys

KNOWN = {"$schema", "$id", "title", "description", "$defs", "type", "const", "enum",
         "properties", "required", "additionalProperties", "patternProperties", "items",
         "minItems", "minimum", "maximum", "pattern", "anyOf", "oneOf", "$ref"}

TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


class Validator:
    def __init__(self, root):
        self.root = root
        self._check_keywords(root)

    def _check_keywords(self, s):
        if isinstance(s, dict):
            for k, v in s.items():
                if k not in KNOWN:
                    raise ValueError("schema keyword not supported: " + k)
                if k in ("properties", "patternProperties", "$defs"):
                    for sub in v.values():
                        self._check_keywords(sub)
                elif k in ("items", "additionalProperties"):
                    self._check_keywords(v)
                elif k in ("anyOf", "oneOf"):
                    for sub in v:
                        self._check_keywords(sub)

    def errors(self, v, s, path="$"):
        """Returns a list of error strings (empty when v is valid)."""
        if s is True:
            return []
        if s is False:
            return [path + ": not allowed"]
        if "$ref" in s:
            ref = s["$ref"]
            assert ref.startswith("#/$defs/"), ref
            return self.errors(v, self.root["$defs"][ref[8:]], path)
        errs = []
        if "type" in s:
            types = s["type"] if isinstance(s["type"], list) else [s["type"]]
            if not any(TYPES[t](v) for t in types):
                return ["%s: expected %s, got %r" % (path, "/".join(types), v)]
        if "const" in s and v != s["const"]:
            errs.append("%s: expected %r" % (path, s["const"]))
        if "enum" in s and not any(v == e and type(v) is type(e) for e in s["enum"]):
            errs.append("%s: %r not in %r" % (path, v, s["enum"]))
        if "minimum" in s and TYPES["number"](v) and v < s["minimum"]:
            errs.append("%s: %r < %r" % (path, v, s["minimum"]))
        if "maximum" in s and TYPES["number"](v) and v > s["maximum"]:
            errs.append("%s: %r > %r" % (path, v, s["maximum"]))
        if "pattern" in s and isinstance(v, str) and not re.search(s["pattern"], v):
            errs.append("%s: %r does not match %s" % (path, v, s["pattern"]))
        if isinstance(v, dict):
            for r in s.get("required", []):
                if r not in v:
                    errs.append("%s: missing %r" % (path, r))
            props = s.get("properties", {})
            pats = s.get("patternProperties", {})
            for k, sub in v.items():
                matched = False
                if k in props:
                    matched = True
                    errs += self.errors(sub, props[k], path + "." + k)
                for p, ps in pats.items():
                    if re.search(p, k):
                        matched = True
                        errs += self.errors(sub, ps, path + "." + k)
                if not matched and "additionalProperties" in s:
                    errs += self.errors(sub, s["additionalProperties"], path + "." + k)
        if isinstance(v, list):
            if len(v) < s.get("minItems", 0):
                errs.append("%s: fewer than %d items" % (path, s["minItems"]))
            if "items" in s:
                for i, item in enumerate(v):
                    errs += self.errors(item, s["items"], "%s[%d]" % (path, i))
        if "anyOf" in s:
            if not any(not self.errors(v, sub, path) for sub in s["anyOf"]):
                errs.append("%s: matches none of anyOf" % path)
        if "oneOf" in s:
            ok = [sub for sub in s["oneOf"] if not self.errors(v, sub, path)]
            if len(ok) != 1:
                detail = [self.errors(v, sub, path)[:3] for sub in s["oneOf"]]
                errs.append("%s: matches %d of oneOf %s" % (path, len(ok), detail))
        return errs


def main():
    schema = json.load(open(sys.argv[1]))
    val = Validator(schema)
    files = sys.argv[2:] or ["-"]
    bad = 0
    n = 0
    for name in files:
        f = sys.stdin if name == "-" else open(name, encoding="utf-8")
        for lineno, line in enumerate(f, 1):
            n += 1
            try:
                obj = json.loads(line)
            except ValueError as e:
                print("%s:%d: not JSON: %s" % (name, lineno, e))
                bad += 1
                continue
            errs = val.errors(obj, schema)
            if errs:
                bad += 1
                print("%s:%d: %s" % (name, lineno, "; ".join(errs[:5])))
    if bad:
        print("%d of %d records invalid" % (bad, n))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
