#!/usr/bin/env python3
"""The table and the plot of docs/strongswan-fuzz.md, from compare.py's logs.

usage: plot.py OUT.svg CPU_POINTS RUNDIR [RUNDIR ...]

CPU_POINTS: comma-separated CPU seconds for the table rows (e.g. 30,60,120).
Each RUNDIR holds "libFuzzer default.log" and "libisakmp mutator.log", whose
lines compare.py prefixed with wall and CPU seconds.  Prints a Markdown
table (per run, per point: execs, cov, ft of each arm; the last row is the
smaller CPU time both reached) and writes OUT.svg: cov (left) and ft
(right) over CPU seconds (log scale, from 1 s), one line per arm and run
(the first run solid, the others dashed).
"""
import math
import os
import re
import sys

ARMS = ("libFuzzer default", "libisakmp mutator")
COLORS = {"libFuzzer default": "#777777", "libisakmp mutator": "#c0392b"}
PAT = re.compile(r"^\s*\S+\s+(\S+)\s+#(\d+)\s+\S+\s+cov: (\d+) ft: (\d+)")


def read(path):
    """[(cpu, execs, cov, ft)] of one log."""
    rows = []
    with open(path) as f:
        for line in f:
            m = PAT.match(line)
            if m:
                rows.append((float(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4))))
    return rows


def at(rows, cpu):
    best = (0, 0, 0, 0)
    for r in rows:
        if r[0] <= cpu:
            best = r
    return best


TICKS = (1, 3, 10, 30, 100, 300, 1000, 3000)


def steps(rows, col, reached):
    """The points where the value changes, as a step line up to reached."""
    pts, last = [], None
    for r in rows:
        if r[0] > reached:
            break
        if r[col] != last:
            if last is not None:
                pts.append((max(r[0], 1.0), last))
            pts.append((max(r[0], 1.0), r[col]))
            last = r[col]
    if last is not None:
        pts.append((reached, last))
    return pts


def panel(parts, x0, w, h, runs, col, label, reached):
    """One plot: col (2 cov, 3 ft) over CPU seconds, log scale from 1 s."""
    vals = [r[col] for rr in runs for a in ARMS for r in rr[a] if r[0] >= 1]
    top, low = max(vals), min(vals)
    mb, mt = 40, 40

    def xy(c, v):
        x = x0 + w * math.log10(max(1.0, min(c, reached))) / math.log10(reached)
        return x, h - mb - (h - mb - mt) * (v - low) / max(1, top - low)
    parts.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>' % (x0, h - mb, x0 + w, h - mb))
    parts.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>' % (x0, mt, x0, h - mb))
    parts.append('<text x="%d" y="%d">%s</text>' % (x0, mt - 8, label))
    for t in [t for t in TICKS if t <= reached] + [int(reached)]:
        x, _ = xy(t, low)
        parts.append('<text x="%.0f" y="%d" text-anchor="middle">%d</text>' % (x, h - mb + 15, t))
    for i in range(6):
        v = low + (top - low) * i / 5
        _, y = xy(1, v)
        parts.append('<text x="%d" y="%.0f" text-anchor="end">%.0f</text>' % (x0 - 4, y + 4, v))
    parts.append('<text x="%d" y="%d" text-anchor="middle">CPU seconds (log scale)</text>'
                 % (x0 + w // 2, h - 8))
    for k, rr in enumerate(runs):
        for a in ARMS:
            pts = " ".join("%.1f,%.1f" % xy(c, v) for c, v in steps(rr[a], col, reached))
            dash = '' if k == 0 else ' stroke-dasharray="5,3"'
            parts.append('<polyline fill="none" stroke="%s" stroke-width="1.6"%s points="%s"/>'
                         % (COLORS[a], dash, pts))


def main():
    out, points = sys.argv[1], [int(p) for p in sys.argv[2].split(",")]
    runs, names = [], []
    for d in sys.argv[3:]:
        runs.append({a: read(os.path.join(d, a + ".log")) for a in ARMS})
        names.append(os.path.basename(d.rstrip("/")))
    reached = min(rr[a][-1][0] for rr in runs for a in ARMS)
    print("| run | CPU s | default: execs | cov | ft | ours: execs | cov | ft |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for n, rr in zip(names, runs):
        mine = min(rr[a][-1][0] for a in ARMS)
        for c in [p for p in points if p < mine] + [int(mine)]:
            d, o = at(rr[ARMS[0]], c), at(rr[ARMS[1]], c)
            print("| %s | %d | %s | %d | %d | %s | %d | %d |" % (
                n, c, format(d[1], ","), d[2], d[3], format(o[1], ","), o[2], o[3]))
    w, h = 760, 340
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
             'font-family="sans-serif" font-size="11">' % (w, h),
             '<rect width="100%" height="100%" fill="white"/>']
    panel(parts, 60, 300, h, runs, 2, "edges (cov:)", reached)
    panel(parts, 440, 300, h, runs, 3, "features (ft:)", reached)
    for k, a in enumerate(ARMS):
        parts.append('<text x="%d" y="14" fill="%s">%s</text>' % (60 + 200 * k, COLORS[a], a))
    if len(runs) > 1:
        parts.append('<text x="460" y="14">solid: %s, dashed: %s</text>' % (names[0], ", ".join(names[1:])))
    parts.append("</svg>")
    with open(out, "w") as f:
        f.write("\n".join(parts) + "\n")


if __name__ == "__main__":
    main()
