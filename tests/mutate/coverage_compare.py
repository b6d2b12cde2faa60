#!/usr/bin/env python3
"""Edge coverage over CPU time: libFuzzer's own mutator against ours.

usage: coverage_compare.py BUILD_F SRC CPU_SECONDS OUTDIR

BUILD_F is a build with -DISAKMP_FUZZ=ON (clang): tests/fuzz/fuzz_mutator
(our LLVMFuzzerCustomMutator / CustomCrossOver) and fuzz_mutator_default
(the same harness, libFuzzer's mutator).  Both start from the same seeds
(every IKE message of the samples, tests/mutate/split_messages.py), with
every sample's key tables (ISAKMP_MUTATOR_KEYS), at nice 10, side by side;
each is stopped when its own CPU time (user + system, /proc/PID/stat)
reaches CPU_SECONDS (not wall time: on a shared machine a niced fuzzer
gets a few per cent of a core).  libFuzzer's "cov:" (edges of the instrumented code:
libisakmp and the harness) is sampled against each run's CPU time.
Writes OUTDIR/mutate-coverage.tsv and OUTDIR/mutate-coverage.svg, and
prints the table.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

STEP = 5    # CPU seconds between table rows


def cpu_seconds(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return None


def run(name, exe, corpus, env, budget, out):
    """Runs one fuzzer; out[name] = [(cpu, execs, cov, ft)]."""
    p = subprocess.Popen(["nice", "-n", "10", exe, "-seed=1", "-rss_limit_mb=3072",
                          "-max_total_time=%d" % (budget * 200), corpus],
                         stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, text=True)
    last = {"cov": 0, "ft": 0, "execs": 0}
    pat = re.compile(r"#(\d+)\s+\S+\s+cov: (\d+) ft: (\d+)")

    def reader():
        for line in p.stderr:
            m = pat.search(line)
            if m:
                last.update(execs=int(m.group(1)), cov=int(m.group(2)), ft=int(m.group(3)))
            if "ERROR" in line or "SUMMARY" in line:
                sys.stderr.write("%s: %s" % (name, line))

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    samples = []
    while p.poll() is None:
        c = cpu_seconds(p.pid)
        # nice wraps the fuzzer: its child is the process that works
        kids = glob.glob("/proc/%d/task/*/children" % p.pid)
        for k in kids:
            for cp in open(k).read().split():
                cc = cpu_seconds(int(cp))
                c = (c or 0) + (cc or 0)
        if c is not None:
            samples.append((c, last["execs"], last["cov"], last["ft"]))
            if c >= budget:
                p.terminate()
                break
        time.sleep(0.5)
    p.wait()
    t.join(timeout=5)
    samples.append((samples[-1][0] if samples else 0, last["execs"], last["cov"], last["ft"]))
    out[name] = samples


def at(samples, cpu):
    best = samples[0] if samples else (0, 0, 0, 0)
    for s in samples:
        if s[0] <= cpu:
            best = s
    return best


def svg(rows, names, path, budget,
        title="Edge coverage (libFuzzer cov:) over CPU time, fuzz_mutator harness"):
    w, h, ml, mb = 640, 360, 60, 40
    top = max(r[2] for n in names for r in rows[n]) or 1
    bottom = min(r[2] for n in names for r in rows[n] if r[2]) if top else 0
    bottom = max(0, bottom - (top - bottom) // 10)
    colors = {"libFuzzer default": "#888888", "libisakmp mutator": "#c0392b"}
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">' % (w, h),
             '<rect width="100%" height="100%" fill="white"/>',
             '<text x="%d" y="16">%s</text>' % (ml, title)]
    def xy(c, v):
        x = ml + (w - ml - 20) * c / budget
        y = h - mb - (h - mb - 30) * (v - bottom) / max(1, top - bottom)
        return x, y
    parts.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="black"/>' % (ml, h - mb, w - 20, h - mb))
    parts.append('<line x1="%d" y1="30" x2="%d" y2="%d" stroke="black"/>' % (ml, ml, h - mb))
    for i in range(0, 6):
        c = budget * i / 5
        x, _ = xy(c, bottom)
        parts.append('<text x="%.0f" y="%d" text-anchor="middle">%.0f s</text>' % (x, h - mb + 15, c))
        v = bottom + (top - bottom) * i / 5
        _, y = xy(0, v)
        parts.append('<text x="%d" y="%.0f" text-anchor="end">%.0f</text>' % (ml - 5, y + 4, v))
    for k, n in enumerate(names):
        pts = " ".join("%.1f,%.1f" % xy(min(r[0], budget), r[2]) for r in rows[n] if r[2])
        parts.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>' % (colors.get(n, "blue"), pts))
        parts.append('<text x="%d" y="%d" fill="%s">%s</text>' % (w - 200, h - mb - 20 - 15 * k, colors.get(n, "blue"), n))
    parts.append('<text x="%d" y="%d" text-anchor="middle">CPU seconds</text>' % ((w + ml) // 2, h - 5))
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")


def main():
    build, src, budget, outdir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    tmp = tempfile.mkdtemp(prefix="covcmp.")
    seeds = os.path.join(tmp, "seeds")
    os.makedirs(seeds)
    keys = []
    for d in sorted(glob.glob(os.path.join(src, "samples", "*", ""))):
        cap = os.path.join(d, "capture.pcap")
        if not os.path.exists(cap):
            continue
        one = os.path.join(tmp, "one")
        os.makedirs(one, exist_ok=True)
        subprocess.run([sys.executable, os.path.join(src, "tests/mutate/split_messages.py"), cap, one],
                       check=False)
        for f in os.listdir(one):
            shutil.move(os.path.join(one, f), os.path.join(seeds, os.path.basename(d.rstrip("/")) + "-" + f))
        keys += glob.glob(os.path.join(d, "ike*_decryption_table"))
    env = dict(os.environ, ISAKMP_MUTATOR_KEYS=":".join(keys),
               ASAN_OPTIONS="detect_leaks=0:quarantine_size_mb=16")
    runs = {"libFuzzer default": os.path.join(build, "tests/fuzz/fuzz_mutator_default"),
            "libisakmp mutator": os.path.join(build, "tests/fuzz/fuzz_mutator")}
    out, threads = {}, []
    for name, exe in runs.items():
        corpus = os.path.join(tmp, name.replace(" ", "_"))
        shutil.copytree(seeds, corpus)
        th = threading.Thread(target=run, args=(name, exe, corpus, env, budget, out))
        th.start()
        threads.append(th)
    for th in threads:
        th.join()
    names = list(runs)
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "mutate-coverage.tsv"), "w") as f:
        f.write("cpu_seconds\t" + "\t".join("%s %s" % (n, k) for n in names
                                             for k in ("execs", "cov", "ft")) + "\n")
        print("%-6s %28s %28s" % ("CPU s", "default: execs cov ft", "ours: execs cov ft"))
        for c in list(range(0, budget, STEP)) + [budget]:
            vals = [at(out[n], c) for n in names]
            f.write("%d\t%s\n" % (c, "\t".join("%d\t%d\t%d" % v[1:] for v in vals)))
            print("%-6d %28s %28s" % (c, *("%d %d %d" % v[1:] for v in vals)))
    svg(out, names, os.path.join(outdir, "mutate-coverage.svg"), budget)
    print("seeds: %d messages of %d samples; CPU used: %s" % (
        len(os.listdir(seeds)), len(keys), ", ".join("%s %.0f s" % (n, out[n][-1][0]) for n in names)))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
