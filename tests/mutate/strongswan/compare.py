#!/usr/bin/env python3
"""Two libFuzzer binaries side by side for the same CPU time: edge coverage
(libFuzzer's cov: and ft:) against each one's own CPU seconds.

usage: compare.py [--title T] [--seed N] CPU_SECONDS WALL_CAP SEEDS OUTDIR NAME=BINARY NAME=BINARY

Both start together, each on its own copy of SEEDS, at nice 10, -seed=N (1),
-print_final_stats=1, in the environment given (ISAKMP_MUTATOR_KEYS,
SS_FUZZ_KEYS ...).  Each is stopped when its own CPU time (user + system,
/proc/PID/stat) reaches CPU_SECONDS, or at WALL_CAP wall seconds (a busy
shared machine); the comparison holds up to the smaller CPU time reached.
Writes OUTDIR/<name>.log (libFuzzer's output, every line prefixed with the
wall seconds and the CPU seconds at which it was read), OUTDIR/coverage.tsv
(every 10 CPU seconds: execs, cov, ft of each), OUTDIR/coverage.svg (cov
over CPU time, the plot of tests/mutate/coverage_compare.py) and
OUTDIR/summary.txt (CPU seconds from wait4, the final stats).
"""
import os
import re
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from coverage_compare import at, cpu_seconds, svg  # noqa: E402

STEP = 10


def run(name, exe, corpus, budget, wall_cap, outdir, out, seed):
    log = open(os.path.join(outdir, name + ".log"), "w")
    t0 = time.time()
    p = subprocess.Popen(["nice", "-n", "10", exe, "-seed=%d" % seed, "-rss_limit_mb=3072",
                          "-print_final_stats=1", "-max_total_time=%d" % wall_cap, corpus],
                         stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    last = {"cov": 0, "ft": 0, "execs": 0, "cpu": 0.0}
    pat = re.compile(r"#(\d+)\s+\S+\s+cov: (\d+) ft: (\d+)")

    def reader():
        for line in p.stderr:
            log.write("%8.1f %8.1f %s" % (time.time() - t0, last["cpu"], line))
            m = pat.search(line)
            if m:
                last.update(execs=int(m.group(1)), cov=int(m.group(2)), ft=int(m.group(3)))
            if "ERROR" in line or "SUMMARY" in line:
                sys.stderr.write("%s: %s" % (name, line))

    th = threading.Thread(target=reader, daemon=True)
    th.start()
    samples = []
    while True:
        c = cpu_seconds(p.pid)
        if c is None or p.poll() is not None:
            break
        last["cpu"] = c
        samples.append((c, last["execs"], last["cov"], last["ft"]))
        if c >= budget or time.time() - t0 >= wall_cap:
            p.terminate()   # libFuzzer prints its final stats on SIGTERM
            break
        time.sleep(0.5)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = status
    th.join(timeout=10)
    cpu = ru.ru_utime + ru.ru_stime
    samples.append((min(cpu, max(budget, samples[-1][0] if samples else 0)),
                    last["execs"], last["cov"], last["ft"]))
    log.close()
    out[name] = samples
    out[name + ":cpu"] = cpu
    out[name + ":wall"] = time.time() - t0


def main():
    args = sys.argv[1:]
    title = "Edge coverage (libFuzzer cov:) over CPU time"
    seed = 1
    while args and args[0] in ("--title", "--seed"):
        if args[0] == "--title":
            title = args[1]
        else:
            seed = int(args[1])
        args = args[2:]
    budget, wall_cap, seeds, outdir = int(args[0]), int(args[1]), args[2], args[3]
    runs = dict(a.split("=", 1) for a in args[4:])
    os.makedirs(outdir, exist_ok=True)
    out, threads = {}, []
    for name, exe in runs.items():
        corpus = os.path.join(outdir, "corpus-" + name.replace(" ", "_"))
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.copytree(seeds, corpus)
        th = threading.Thread(target=run, args=(name, exe, corpus, budget, wall_cap, outdir, out, seed))
        th.start()
        threads.append(th)
    for th in threads:
        th.join()
    names = list(runs)
    reached = min(out[n][-1][0] for n in names)
    with open(os.path.join(outdir, "coverage.tsv"), "w") as f:
        f.write("cpu_seconds\t" + "\t".join("%s %s" % (n, k) for n in names
                                             for k in ("execs", "cov", "ft")) + "\n")
        for c in list(range(0, int(reached), STEP)) + [int(reached)]:
            vals = [at(out[n], c) for n in names]
            f.write("%d\t%s\n" % (c, "\t".join("%d\t%d\t%d" % v[1:] for v in vals)))
    svg({n: out[n] for n in names}, names, os.path.join(outdir, "coverage.svg"), int(reached),
        title=title)
    with open(os.path.join(outdir, "summary.txt"), "w") as f:
        f.write("seeds: %d inputs; -seed=%d\n" % (len(os.listdir(seeds)), seed))
        for n in names:
            f.write("%s: CPU %.1f s (user+sys, wait4), wall %.0f s, last execs %d cov %d ft %d\n" % (
                n, out[n + ":cpu"], out[n + ":wall"], *out[n][-1][1:]))
            with open(os.path.join(outdir, n + ".log")) as lg:
                for line in lg:
                    if "stat::" in line or "Loaded" in line or "ERROR" in line or "SUMMARY" in line:
                        f.write("  " + line.split(None, 2)[2])
    sys.stdout.write(open(os.path.join(outdir, "summary.txt")).read())


if __name__ == "__main__":
    main()
