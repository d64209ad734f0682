#!/usr/bin/env python3
"""How `sockswire dissect --workers N` scales: many files, and one large file.

usage: scripts/bench_scale.py [--bin target/release/sockswire] [--dir target/bench-scale]
                              [--large-mb 512] [--files 64] [--file-mb 8] [--repeat 5]
                              [--workers 1,2] [--format --zeek] [--cases many,one]

--bin may name several binaries, comma-separated (e.g. a build of main and one of a branch):
their runs are interleaved too, so that all of them meet the same load.

Makes its captures with scripts/gen_capture.py (once; kept in --dir): one large file, and
--files copies of one smaller file. Then runs every worker count on both, interleaved
(1, 2, 1, 2, ...) so that a change in the machine's load hits all of them alike, under
`nice -n 10`, output to /dev/null. Prints, per case and worker count, the best and median
wall time, throughput, and CPU time (user + system, of the process and its threads), then
the speedup of each worker count over the first, from the best and from the median runs.
Not a test: on a shared machine the figures say what the machine gave, and the load average
is printed with them.
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def make(path, mb):
    if not os.path.exists(path):
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts/gen_capture.py"), path, str(mb)],
                       check=True, stdout=subprocess.DEVNULL)


def run(cmd):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(ROOT, "target/release/sockswire"))
    ap.add_argument("--dir", default=os.path.join(ROOT, "target/bench-scale"))
    ap.add_argument("--large-mb", type=int, default=512)
    ap.add_argument("--files", type=int, default=64)
    ap.add_argument("--file-mb", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--format", default="--zeek")
    ap.add_argument("--cases", default="many,one")
    a = ap.parse_args()
    os.makedirs(a.dir, exist_ok=True)
    large = os.path.join(a.dir, f"large-{a.large_mb}mb.pcap")
    make(large, a.large_mb)
    small = os.path.join(a.dir, f"small-{a.file_mb}mb.pcap")
    make(small, a.file_mb)
    many_dir = os.path.join(a.dir, f"many-{a.files}x{a.file_mb}mb")
    os.makedirs(many_dir, exist_ok=True)
    many = []
    for i in range(a.files):
        p = os.path.join(many_dir, f"part{i:04}.pcap")
        if not os.path.exists(p):
            shutil.copyfile(small, p)
        many.append(p)
    workers = [int(w) for w in a.workers.split(",")]
    cases = {
        f"{a.files} files of {a.file_mb} MB": many,
        f"1 file of {a.large_mb} MB": [large],
    }
    chosen = a.cases.split(",")
    cases = {k: v for k, v in cases.items() if ("many" if len(v) > 1 else "one") in chosen}
    bins = a.bin.split(",")
    print(f"load average before: {os.getloadavg()}, cores: {os.cpu_count()}")
    for name, files in cases.items():
        size = sum(os.path.getsize(f) for f in files)
        results = {(b, w): [] for b in bins for w in workers}
        # A warm-up run: the files in the page cache.
        run([bins[0], "dissect", "--quiet", a.format, "--workers", "1"] + files)
        for _ in range(a.repeat):
            for b in bins:
                for w in workers:
                    cmd = ["nice", "-n", "10", b, "dissect", "--quiet", a.format, "--workers", str(w)]
                    results[(b, w)].append(run(cmd + files))
        print(f"\n{name} ({size / 1e6:.0f} MB), {a.format}, {a.repeat} runs each:")
        for b in bins:
            if len(bins) > 1:
                print(f" {b}:")
            base = None
            for w in workers:
                walls = sorted(r[0] for r in results[(b, w)])
                cpus = [r[1] for r in results[(b, w)]]
                best, med = walls[0], statistics.median(walls)
                if base is None:
                    base = (best, med)
                print(f"  --workers {w}: best {best:.2f} s ({size / 1e6 / best:.0f} MB/s), "
                      f"median {med:.2f} s, CPU {statistics.median(cpus):.2f} s; "
                      f"speedup {base[0] / best:.2f}x (best), {base[1] / med:.2f}x (median)")
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
