#!/usr/bin/env python3
"""The manual page and --help against the program.

- every long option the option parser knows (the getopt_long table in
  cli/isakmpdump.c) is in `isakmpdump --help`;
- every option `--help` lists, long or short, is in cli/isakmpdump.1 (roff
  escapes undone) as an option of its own (.TP / .BI / .B line);
- every -k format and the exit statuses of --help are in the manual;
- groff renders the page without warnings (when groff is installed).

Usage: check_manpage.py ISAKMPDUMP SOURCE_DIR
"""
import os
import re
import shutil
import subprocess
import sys

failures = []


def fail(what):
    failures.append(what)
    print("FAIL:", what)


def main():
    exe, src = sys.argv[1], sys.argv[2]
    p = subprocess.run([exe, "--help"], capture_output=True, text=True)
    if p.returncode != 0 or p.stderr:
        fail("--help: exit %d, stderr %r" % (p.returncode, p.stderr))
    help_text = p.stdout
    code = open(os.path.join(src, "cli", "isakmpdump.c")).read()
    table = code[code.index("struct option longopts[]"):]
    table = table[:table.index("};")]
    parsed = set(re.findall(r'\{\s*"([a-z][a-z-]*)"', table))
    if len(parsed) < 5:
        fail("could not read the getopt_long table of cli/isakmpdump.c")
    shorts = re.search(r'getopt_long\([^"]*"([^"]*)"', code).group(1)
    help_long = set(re.findall(r"(?<![\w-])--([a-z][a-z-]+)", help_text))
    help_short = set(re.findall(r"^\s+-([A-Za-z])\b", help_text, re.M))
    for opt in sorted(parsed - help_long):
        fail("--%s is an option but --help does not list it" % opt)
    for c in sorted(set(re.sub(r"[^A-Za-z]", "", shorts)) - help_short):
        fail("-%s is an option but --help does not list it" % c)

    roff = open(os.path.join(src, "cli", "isakmpdump.1")).read()
    man = roff.replace("\\-", "-").replace("\\fB", "").replace("\\fR", "").replace("\\fI", "")
    # lines that introduce an option: .TP's next line, .B/.BI/.BR lines
    heads = "\n".join(l for l in man.splitlines() if re.match(r"\.(B|BI|BR|IP)\b", l))
    for opt in sorted(help_long):
        if not re.search(r"(?<![\w-])--%s(?![\w-])" % re.escape(opt), heads):
            fail("--%s is in --help but not described in cli/isakmpdump.1" % opt)
    for c in sorted(help_short):
        if not re.search(r"(?<![\w-])-%s\b" % c, heads):
            fail("-%s is in --help but not described in cli/isakmpdump.1" % c)
    for word in ("ikev1_decryption_table", "ikev2_decryption_table", "esp_sa",
                 "secrets file", "charon", "docs/secrets.md"):
        if word not in help_text:
            fail("-k format %r is not in --help" % word)
        if word not in man:
            fail("-k format %r is not in cli/isakmpdump.1" % word)
    exits = re.search(r"Exit status:(.*?)\.\n", help_text, re.S)
    codes = set(re.findall(r"\b(\d) ", exits.group(1))) if exits else set()
    if codes != {"0", "1", "2", "3"}:
        fail("--help exit statuses %s" % sorted(codes))
    section = man[man.index(".SH EXIT STATUS"):]
    section = section[:section.index(".SH", 4)]
    for c in sorted(codes):
        if ".B %s\n" % c not in section:
            fail("exit status %s is not in the manual's EXIT STATUS" % c)

    if shutil.which("groff"):
        g = subprocess.run(["groff", "-man", "-ww", "-z", os.path.join(src, "cli", "isakmpdump.1")],
                           capture_output=True, text=True)
        if g.returncode or g.stderr:
            fail("groff warnings: %s" % g.stderr.strip())
    print("%d long and %d short options checked" % (len(help_long), len(help_short)))
    print("%d failure(s)" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
