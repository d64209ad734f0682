#!/usr/bin/env python3
"""Reads `sockswire dissect --parquet` tables back with DuckDB (PyPI `duckdb`) and compares.

usage: parquet_check.py rows DIR ZEEK_LOG JSON_LINES
           socks.parquet must hold the Zeek log's rows, events.parquet the JSON lines but the
           transaction objects, row for row, in order, value for value.
       parquet_check.py shards DIR_ALL DIR [DIR...]
           both tables of the shard directories, queried together, must equal DIR_ALL's
           (as sets of rows).
Prints what it compared; exit status 1 on any difference.
"""
import json
import math
import sys

import duckdb


def rows(path):
    rel = duckdb.sql(f"select * from read_parquet('{path}')")
    return rel.columns, rel.fetchall()


def zeek_text(v, kind):
    if v is None:
        return "-"
    if kind == "DOUBLE":
        return f"{v:.6f}"
    if isinstance(v, str) and v == "":
        return "(empty)"
    return str(v)


def check_rows(d, zeek_log, json_lines):
    bad = []
    rel = duckdb.sql(f"select * from read_parquet('{d}/socks.parquet')")
    types = [str(t) for t in rel.types]
    got = [[zeek_text(v, t) for v, t in zip(r, types)] for r in rel.fetchall()]
    want = [l.split("\t") for l in open(zeek_log).read().splitlines() if not l.startswith("#")]
    fields = [l for l in open(zeek_log).read().splitlines() if l.startswith("#fields")][0].split("\t")[1:]
    if rel.columns != fields:
        bad.append(f"socks columns {rel.columns} != {fields}")
    if got != want:
        bad.append(f"socks rows differ: {len(got)} vs {len(want)}\n{got[:3]}\n{want[:3]}")
    cols, erows = rows(f"{d}/events.parquet")
    events = [json.loads(l) for l in open(json_lines) if '"event":"transaction"' not in l]
    if len(erows) != len(events):
        bad.append(f"events: {len(erows)} rows, {len(events)} JSON lines")
    for r, e in zip(erows, events):
        row = {c: v for c, v in zip(cols, r) if v is not None}
        if set(row) != set(e):
            bad.append(f"fields {sorted(set(row) ^ set(e))} differ in {e}")
            continue
        for k, v in e.items():
            same = math.isclose(row[k], v, rel_tol=0, abs_tol=5e-7) if k == "ts" else row[k] == v
            if not same:
                bad.append(f"{k}: parquet {row[k]!r}, JSON {v!r} in {e}")
    print(f"compared {len(got)} socks rows and {len(erows)} events")
    return bad


def check_shards(all_dir, shards):
    bad = []
    for table in ["socks", "events"]:
        files = ", ".join(f"'{s}/{table}.parquet'" for s in shards)
        together = sorted(map(repr, duckdb.sql(f"select * from read_parquet([{files}])").fetchall()))
        one = sorted(map(repr, duckdb.sql(f"select * from read_parquet('{all_dir}/{table}.parquet')").fetchall()))
        if together != one:
            bad.append(f"{table}: {len(together)} rows from the shards, {len(one)} from one run, or different")
        print(f"{table}: {len(one)} rows, the same from {len(shards)} shards")
    return bad


if __name__ == "__main__":
    if sys.argv[1] == "rows":
        problems = check_rows(*sys.argv[2:5])
    else:
        problems = check_shards(sys.argv[2], sys.argv[3:])
    for p in problems[:20]:
        print(p)
    sys.exit(1 if problems else 0)
