#!/usr/bin/env python3
"""A benchmark, not a test: many concurrent SOCKS5 CONNECT handshakes through the
tokio_proxy example (sockswire::io::tokio::accept) and, in the same run, through
fast-socks5's server (examples/fast_socks5_proxy.rs), on loopback only.

    cargo build --release --features tokio --example tokio_proxy --example fast_socks5_proxy
    python3 tests/interop/load_adapters.py [--count 10000] [--inflight 256] [--examples target/release/examples]

Standard library only. For each proxy: start it on an ephemeral 127.0.0.1 port, start a
target process (accepts and holds connections), then open COUNT client connections, at
most INFLIGHT handshakes at a time, each: greeting 05 01 00, CONNECT to the target's
127.0.0.1 address, check the 10-byte success reply. Every tunnel stays open until all are
up. Prints handshakes per second (wall clock, client to reply), the proxy's CPU time per
handshake, and the proxy's memory per held connection (RSS with all tunnels up minus RSS
before, over COUNT). Clients, target and proxy share the machine's cores: with one Python
client process the client is likely the bottleneck, equally for both proxies.

File descriptors: the proxy holds two per tunnel, the client and the target process one
each. The script raises its soft limit to the hard limit (children inherit it) and lowers
COUNT, saying so, when the hard limit is too small (`ulimit -Hn`). Bounded: each phase
has a timeout (--timeout, default 120 s), and everything started is killed at the end.
"""
import argparse
import asyncio
import multiprocessing as mp
import os
import resource
import socket
import subprocess
import sys
import time

HOST = "127.0.0.1"


def proc_stats(pid):
    st = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "Threads"):
                st[k] = int(v.split()[0])
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    st["cpu"] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return st


def target_main(port_q, lifetime):
    async def hold(r, w):
        try:
            await r.read()  # until the tunnel closes
        except Exception:
            pass
        w.close()

    async def main():
        srv = await asyncio.start_server(hold, HOST, 0, backlog=4096)
        port_q.put(srv.sockets[0].getsockname()[1])
        await asyncio.sleep(lifetime)

    asyncio.run(main())


def start_proxy(binary):
    p = subprocess.Popen([binary, f"{HOST}:0"], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    line = p.stderr.readline()
    if "listening on" not in line:
        p.kill()
        sys.exit(f"{binary} did not start: {line!r}")
    return p, int(line.rsplit(":", 1)[1])


async def handshake(port, tport, sem, held, errors):
    async with sem:
        try:
            r, w = await asyncio.open_connection(HOST, port)
            w.write(b"\x05\x01\x00")
            if await r.readexactly(2) != b"\x05\x00":
                raise ValueError("method")
            w.write(b"\x05\x01\x00\x01" + socket.inet_aton(HOST) + tport.to_bytes(2, "big"))
            reply = await r.readexactly(10)
            if reply[1] != 0:
                raise ValueError(f"reply {reply[1]}")
            held.append(w)
        except Exception as e:  # counted, not fatal: the figures say how many failed
            errors.append(repr(e))


async def run(port, tport, count, inflight, timeout, pid):
    sem = asyncio.Semaphore(inflight)
    held, errors = [], []
    before = proc_stats(pid)
    start = time.monotonic()
    tasks = [asyncio.ensure_future(handshake(port, tport, sem, held, errors)) for _ in range(count)]
    done, pending = await asyncio.wait(tasks, timeout=timeout)
    elapsed = time.monotonic() - start
    for t in pending:
        t.cancel()
    await asyncio.sleep(0.5)  # let the proxy settle before reading its RSS
    after = proc_stats(pid)
    for w in held:
        w.close()
    return len(held), errors, elapsed, before, after


def bench(name, binary, args, tport):
    proxy, port = start_proxy(binary)
    try:
        time.sleep(0.3)
        ok, errors, elapsed, before, after = asyncio.run(
            run(port, tport, args.count, args.inflight, args.timeout, proxy.pid))
    finally:
        proxy.kill()
        proxy.wait()
    cpu = after["cpu"] - before["cpu"]
    rss = (after["VmRSS"] - before["VmRSS"]) * 1024
    print(f"{name:<34} {ok:>7} {len(errors):>6} {ok / elapsed:>12.0f} "
          f"{1e6 * cpu / max(ok, 1):>14.1f} {rss / max(ok, 1):>12.0f} {after['VmRSS'] / 1024:>9.1f} "
          f"{after['Threads']:>7}", flush=True)
    if errors:
        print(f"    first errors: {errors[:3]}")


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--inflight", type=int, default=256)
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--examples", default=os.path.join(root, "target/release/examples"))
    args = ap.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 2 * args.count + 256
    limit = hard if hard != resource.RLIM_INFINITY else want
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, limit), hard))
    if want > limit:
        count = (limit - 256) // 2
        print(f"note: the hard fd limit is {limit}; a proxy needs two per tunnel: "
              f"--count lowered from {args.count} to {count}")
        args.count = count

    q = mp.Queue()
    target = mp.Process(target=target_main, args=(q, 4 * args.timeout), daemon=True)
    target.start()
    tport = q.get(timeout=10)
    print(f"{args.count} concurrent SOCKS5 CONNECT tunnels, at most {args.inflight} handshakes in flight, "
          f"{os.cpu_count()} cores shared by clients, target and proxy")
    print(f"{'proxy':<34} {'tunnels':>7} {'errors':>6} {'handshakes/s':>12} "
          f"{'CPU µs/handshake':>14} {'bytes/conn':>12} {'RSS MiB':>9} {'threads':>7}")
    try:
        bench("sockswire tokio_proxy example", os.path.join(args.examples, "tokio_proxy"), args, tport)
        bench("fast-socks5 0.10 server", os.path.join(args.examples, "fast_socks5_proxy"), args, tport)
    finally:
        target.kill()
        target.join()


if __name__ == "__main__":
    main()
