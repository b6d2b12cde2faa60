#!/usr/bin/env python3
"""Which tshark is installed, and what the tests compare against because of it.

tshark 4.0 (Debian 12) and 4.2+ (Debian 13: 4.4, testing: 4.6) print
booleans and strings differently in -T fields; isakmpdump prints 4.2+'s form
by default and 4.0's with -E compat=4.0.  Each tshark also has its own field
table (tshark -G fields), kept as a reference per version.

usage: tshark_version.py version|compat|reference
  version    major.minor of the installed tshark ("" when there is none)
  compat     the -E compat= value that matches it (4.0 or current)
  reference  the path of its isakmp.* field table
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "reference"))
# tshark major.minor -> its `tshark -G fields` rows for isakmp.*
REFERENCES = {
    (4, 0): os.path.join(SHARED, "wireshark-4.0.17-isakmp-fields.tsv"),
    (4, 4): os.path.join(HERE, "reference", "wireshark-4.4.19-isakmp-fields.tsv"),
}


def version():
    """(major, minor) of the tshark on PATH, or None."""
    try:
        out = subprocess.run(["tshark", "--version"], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True).stdout
    except OSError:
        return None
    m = re.search(r"TShark \(Wireshark\) (\d+)\.(\d+)", out)
    return (int(m.group(1)), int(m.group(2))) if m else None


def compat(ver=None):
    ver = ver or version()
    return "4.0" if ver and ver < (4, 2) else "current"


def reference(ver=None):
    """The stored field table of that tshark; the nearest older one when
    none is stored for it (a newer tshark keeps what the older one had)."""
    ver = ver or version() or (4, 4)
    older = [v for v in REFERENCES if v <= ver]
    return REFERENCES[max(older)] if older else REFERENCES[min(REFERENCES)]


def main():
    what = sys.argv[1] if len(sys.argv) > 1 else "version"
    ver = version()
    if what == "version":
        print("%d.%d" % ver if ver else "")
    elif what == "compat":
        print(compat(ver))
    elif what == "reference":
        print(reference(ver))
    else:
        sys.stderr.write(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
