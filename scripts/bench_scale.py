#!/usr/bin/env python3
"""How `sockswire dissect --workers N` scales: many files, and one large file.

usage: scripts/bench_scale.py [--bin target/release/sockswire] [--dir target/bench-scale]
                              [--large-mb 512] [--files 64] [--file-mb 8] [--repeat 5]
                              [--workers 1,2] [--format --zeek] [--cases many,one,ng]

--bin may name several binaries, comma-separated (e.g. a build of main and one of a branch):
their runs are interleaved too, so that all of them meet the same load.

Makes its captures with scripts/gen_capture.py (once; kept in --dir): one large file, and
--files copies of one smaller file; case `ng` (not run by default) is the large file as pcapng
(one section, one Ethernet interface, an enhanced packet block per record: converted here). Then
runs every worker count on each case, interleaved (1, 2, 1, 2, ...) so that a change in the
machine's load hits all of them alike, under `nice -n 10`, output to /dev/null. Prints, per case
and worker count, the best and median wall time, throughput, and CPU time (user + system, of the
process and its threads), then the speedup of each worker count over the first, from the best and
from the median runs.

With --reference: for each worker count N > 1, also N separate processes of `--workers 1`
started together, each on every N-th file (many files) or on one N-th of the large file's
records (one file: the file cut into N pcap files, once): the same bytes and the same code with
nothing shared between them, so their speedup is what this machine gives perfectly parallel
work at that moment (two vCPUs of a VM may share a core or a memory bus with others). The
ratio of `--workers N`'s speedup to it is the run's parallel efficiency, which moves much
less with the machine's moment than either speedup alone.
Not a test: on a shared machine the figures say what the machine gave, and the load average
is printed with them.
"""
import argparse
import os
import resource
import shutil
import statistics
import struct
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def make(path, mb):
    if not os.path.exists(path):
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts/gen_capture.py"), path, str(mb)],
                       check=True, stdout=subprocess.DEVNULL)


def cut(path, n):
    """`path` (classic pcap) cut into `n` files of consecutive records, about equal in bytes."""
    outs = [f"{path[:-5]}.part{i}of{n}.pcap" for i in range(n)]
    if all(os.path.exists(o) for o in outs):
        return outs
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        header = f.read(24)
        le = header[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1")
        files = [open(o, "wb") for o in outs]
        for o in files:
            o.write(header)
        pos = 24
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                break
            incl = int.from_bytes(rec[8:12], "little" if le else "big")
            files[min(n - 1, pos * n // size)].write(rec + f.read(incl))
            pos += 16 + incl
        for o in files:
            o.close()
    return outs


def pcapng(path):
    """`path` (classic pcap, microseconds) as pcapng, once: `path`ng."""
    out = path + "ng"
    if os.path.exists(out):
        return out
    with open(path, "rb") as f, open(out + ".tmp", "wb") as o:
        header = f.read(24)
        # Microsecond pcap, either byte order (gen_capture.py writes little-endian).
        end = {b"\xd4\xc3\xb2\xa1": "<", b"\xa1\xb2\xc3\xd4": ">"}.get(header[:4])
        assert end, f"{path}: not a microsecond classic pcap"
        snaplen, link = struct.unpack(end + "II", header[16:24])

        def block(kind, body):
            body += b"\0" * (-len(body) % 4)
            n = 12 + len(body)
            o.write(struct.pack("<II", kind, n) + body + struct.pack("<I", n))

        block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
        block(1, struct.pack("<HHI", link, 0, snaplen))
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                break
            sec, usec, incl, orig = struct.unpack(end + "IIII", rec)
            ticks = sec * 1_000_000 + usec
            block(6, struct.pack("<IIIII", 0, ticks >> 32, ticks & 0xFFFFFFFF, incl, orig) + f.read(incl))
    os.rename(out + ".tmp", out)
    return out


def run(*cmds):
    """Runs the commands side by side; their wall time together and their CPU time summed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    procs = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for c in cmds]
    for p in procs:
        p.wait()
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
    ap.add_argument("--reference", action="store_true")
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
    chosen = a.cases.split(",")
    cases = {}
    if "many" in chosen:
        cases[f"{a.files} files of {a.file_mb} MB"] = many
    if "one" in chosen:
        cases[f"1 file of {a.large_mb} MB"] = [large]
    if "ng" in chosen:
        cases[f"1 pcapng file of {a.large_mb} MB"] = [pcapng(large)]
    bins = a.bin.split(",")
    print(f"load average before: {os.getloadavg()}, cores: {os.cpu_count()}")
    for name, files in cases.items():
        size = sum(os.path.getsize(f) for f in files)
        results = {(b, w): [] for b in bins for w in workers}
        refs = {w: [] for w in workers[1:]} if a.reference else {}
        parts = {w: [files[i::w] for i in range(w)] if len(files) > 1 else
                 [[p] for p in cut(large, w)] if files[0] == large else
                 [[pcapng(p)] for p in cut(large, w)] for w in refs}
        # A warm-up run: the files in the page cache.
        run([bins[0], "dissect", "--quiet", a.format, "--workers", "1"] + files)
        for _ in range(a.repeat):
            for b in bins:
                for w in workers:
                    cmd = ["nice", "-n", "10", b, "dissect", "--quiet", a.format, "--workers", str(w)]
                    results[(b, w)].append(run(cmd + files))
            for w in refs:
                one = ["nice", "-n", "10", bins[0], "dissect", "--quiet", a.format, "--workers", "1"]
                refs[w].append(run(*[one + part for part in parts[w]]))
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
                if w in refs and b == bins[0]:
                    rw = sorted(r[0] for r in refs[w])
                    rbest, rmed = rw[0], statistics.median(rw)
                    rcpu = statistics.median(r[1] for r in refs[w])
                    print(f"  reference, {w} processes of --workers 1: best {rbest:.2f} s, "
                          f"median {rmed:.2f} s, CPU {rcpu:.2f} s; speedup "
                          f"{base[0] / rbest:.2f}x (best), {base[1] / rmed:.2f}x (median); "
                          f"--workers {w} is {rmed / med:.0%} of it (median)")
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
