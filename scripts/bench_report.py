#!/usr/bin/env python3
"""Merges the three measurements of every bench case into one markdown table per group:
criterion medians (ns), callgrind instructions per operation (scripts/callgrind.sh) and
allocations per operation (the `allocs` bench), ours next to tor-socksproto and the floor.

    cargo bench --bench handshake --bench wire --bench stream -- --warm-up-time 1 --measurement-time 3
    cargo bench --bench socket -- --warm-up-time 1 --measurement-time 3    # over a socket
    scripts/callgrind.sh
    cargo bench --bench allocs > "$CARGO_TARGET_DIR/allocs.txt"
    scripts/bench_report.py

Reads $CARGO_TARGET_DIR (default target)/criterion, .../callgrind/results.tsv and
.../allocs.txt; whatever is missing shows as "-". Only the standard library is used.
"""

import json
import os
import sys
from collections import OrderedDict

IMPLS = ("ours", "tor", "floor")


def criterion_medians(root):
    """{case name: (median ns, bytes per op)} from criterion's benchmark.json/estimates.json."""
    out = {}
    for dirpath, _dirs, files in os.walk(root):
        if os.path.basename(dirpath) != "new" or "benchmark.json" not in files:
            continue
        with open(os.path.join(dirpath, "benchmark.json")) as f:
            bench = json.load(f)
        with open(os.path.join(dirpath, "estimates.json")) as f:
            est = json.load(f)
        name = bench["full_id"]
        throughput = (bench.get("throughput") or {}).get("Bytes")
        out[name] = (est["median"]["point_estimate"], throughput)
    return out


def callgrind(path):
    out = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 3:
                    out[parts[0]] = (int(parts[1]), int(parts[2]))
    return out


def allocs(path):
    out = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 4 and parts[0].count("/") == 2:
                    try:
                        out[parts[0]] = (float(parts[1]), float(parts[3]))
                    except ValueError:
                        pass
    return out


def fmt_ns(v):
    if v is None:
        return "-"
    return f"{v:.1f}" if v < 100 else f"{v:.0f}"


def ratio(a, b, digits=1):
    if a is None or b is None or b == 0:
        return "-"
    return f"{a / b:.{digits}f}x"


def rate(bytes_per_op, ns):
    if bytes_per_op is None or not ns:
        return "-"
    gbps = bytes_per_op / ns
    return f"{gbps:.2f} GB/s" if gbps >= 1 else f"{gbps * 1000:.0f} MB/s"


SOCKET_IMPLS = ("ours", "ours_blocking", "tor", "io_only")


def socket_table(group, scenarios, crit):
    """benches/socket.rs: medians over a socket, each as a multiple of `io_only` (the same
    reads and writes without any parsing)."""
    print(f"### {group}\n")
    print("| read mode | " + " | ".join(f"{i} ns" for i in SOCKET_IMPLS) + " | "
          + " | ".join(f"{i}/io_only" for i in SOCKET_IMPLS[:3]) + " |")
    print("|" + "---|" * (1 + 2 * len(SOCKET_IMPLS) - 1))
    for scenario, imps in scenarios.items():
        ns = {i: crit.get(imps.get(i, ""), (None, None))[0] for i in SOCKET_IMPLS}
        row = [scenario] + [fmt_ns(ns[i]) for i in SOCKET_IMPLS]
        row += [ratio(ns[i], ns["io_only"], 2) for i in SOCKET_IMPLS[:3]]
        print("| " + " | ".join(row) + " |")
    print()


def main():
    target = os.environ.get("CARGO_TARGET_DIR", "target")
    crit = criterion_medians(os.path.join(target, "criterion"))
    cg = callgrind(os.path.join(target, "callgrind", "results.tsv"))
    al = allocs(os.path.join(target, "allocs.txt"))

    names = list(OrderedDict.fromkeys(list(cg) + sorted(crit) + list(al)))
    groups = OrderedDict()
    for name in names:
        group, scenario, imp = name.split("/")
        groups.setdefault(group, OrderedDict()).setdefault(scenario, OrderedDict())[imp] = name

    for group, scenarios in groups.items():
        if group.startswith("socket_"):
            socket_table(group, scenarios, crit)
            continue
        stream = group.startswith("stream")
        print(f"### {group}\n")
        head = ["scenario", "ours ns", "tor ns", "floor ns", "tor/ours", "ours/floor",
                "ours Ir", "tor Ir", "floor Ir", "Ir ours/floor", "ours allocs", "tor allocs"]
        if stream:
            head = ["scenario", "impl", "median per buffer", "throughput", "ns/request",
                    "Ir/request", "allocs/request"]
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for scenario, imps in scenarios.items():
            if stream:
                for imp, name in imps.items():
                    ns, nbytes = crit.get(name, (None, None))
                    ir = cg.get(name, (None, None))[1]
                    units = None
                    if name in cg and cg[name][1]:
                        units = cg[name][0] / cg[name][1]
                    per_req = f"{ns / units:.1f}" if ns and units else "-"
                    med = f"{ns / 1000:.1f} µs" if ns else "-"
                    a = al.get(name, (None, None))[1]
                    print(f"| {scenario} | {imp} | {med} | {rate(nbytes, ns)} | {per_req} | "
                          f"{ir if ir is not None else '-'} | {a if a is not None else '-'} |")
                continue
            ns = {i: crit.get(imps.get(i, ""), (None, None))[0] for i in IMPLS}
            ir = {i: cg.get(imps.get(i, ""), (None, None))[0] for i in IMPLS}
            a = {i: al.get(imps.get(i, ""), (None, None))[0] for i in IMPLS}
            row = [scenario, fmt_ns(ns["ours"]), fmt_ns(ns["tor"]), fmt_ns(ns["floor"]),
                   ratio(ns["tor"], ns["ours"]), ratio(ns["ours"], ns["floor"], 2),
                   str(ir["ours"] or "-"), str(ir["tor"] or "-"), str(ir["floor"] or "-"),
                   ratio(ir["ours"], ir["floor"], 2),
                   "-" if a["ours"] is None else f"{a['ours']:g}",
                   "-" if a["tor"] is None else f"{a['tor']:g}"]
            print("| " + " | ".join(row) + " |")
            for imp, name in imps.items():
                if imp not in IMPLS:
                    extra_ns = crit.get(name, (None, None))[0]
                    extra_ir = cg.get(name, (None, None))[0]
                    print(f"| {scenario} ({imp}) | {fmt_ns(extra_ns)} | | | | | "
                          f"{extra_ir if extra_ir is not None else '-'} | | | | | |")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
