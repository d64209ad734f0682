#!/usr/bin/env python3
"""Robustness figures for `sockswire proxy`: loopback only, bounded in time (about a minute).

    cargo build --release --features cli
    python3 tests/interop/load.py [--bin target/release/sockswire] [--slow 10000] [--tunnels 1000]
                                  [--seconds 4]

Standard library only. It starts its own proxies (127.0.0.1, ephemeral ports) and targets
(an asyncio process: echo, an endless stream, and a server that half-closes first), then:

 1. slowloris: SLOW clients (10,000 by default, from 100 loopback addresses each, under the
    default --max-per-client of 256) send one byte of a greeting and stop; the proxy holds
    them (handshake timeout 60 s) while 200 real clients do CONNECT + echo (latency p50,
    p99); RSS and fds per held connection; then a proxy with --handshake-timeout 2 must
    close SLOW such clients on time; a full proxy (--max-conns) must refuse new clients
    cleanly (05 FF) and serve again once they leave; CONNECT chains back to the proxy
    itself must all be refused (05 02) and leave it serving;
 2. handshakes per second: client processes loop greeting + RESOLVE of an IP literal (no
    target), then greeting + CONNECT + close, for SECONDS each; the proxy's CPU time per
    handshake (clients and proxy share the machine's cores);
 3. idle tunnels: TUNNELS established CONNECTs held idle; memory per tunnel;
 4. garbage: 2000 connections of random bytes (some starting like SOCKS4/5); every one
    must be closed by the proxy, and the proxy must still serve;
 5. half-close both ways: client-first (echo) and target-first;
 6. one tunnel's download throughput; vanished clients: clients reset the connection
    mid-download, and the target side must be closed;
 7. leaks: threads and fds back to their baseline, no panic in the log.

It raises its open-file limit to the hard limit (the proxy, its child, inherits it): 10,000
slow clients need 10,000 descriptors on each side.

Prints one line per figure and check, then "N passed, M failed"; exits 1 on any failure.
"""
import argparse
import asyncio
import multiprocessing as mp
import os
import random
import resource
import selectors
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

HOST = "127.0.0.1"
RESULTS = {"pass": 0, "fail": 0}


def check(name, ok, detail=""):
    RESULTS["pass" if ok else "fail"] += 1
    print(f"{'ok  ' if ok else 'FAIL'}  {name}: {detail}", flush=True)


def figure(name, value):
    print(f"      {name}: {value}", flush=True)


def stats(pid):
    st = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "Threads"):
                st[k] = int(v.split()[0])
    st["fds"] = len(os.listdir(f"/proc/{pid}/fd"))
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    st["cpu"] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return st


def wait_until(pred, timeout, step=0.05):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(step)
    return pred()


class Proxy:
    def __init__(self, binary, *args):
        self.log = tempfile.NamedTemporaryFile("w+", prefix="sockswire-load-", suffix=".log")
        self.p = subprocess.Popen(
            [binary, "proxy", "--listen", f"{HOST}:0", *args],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.log,
        )
        self.port = None
        end = time.monotonic() + 10
        while self.port is None and time.monotonic() < end:
            with open(self.log.name) as f:
                for line in f:
                    if "listening on" in line:
                        self.port = int(line.split("listening on ")[1].split()[0].rsplit(":", 1)[1])
            time.sleep(0.02)
        if self.port is None:
            raise SystemExit("the proxy did not start")

    def stats(self):
        return stats(self.p.pid)

    def log_text(self):
        with open(self.log.name, errors="replace") as f:
            return f.read()

    def stop(self):
        self.p.kill()
        self.p.wait()


# ---------------------------------------------------------------- targets (own process)
def targets_main(ports_q, half_bytes, stream_closed):
    async def echo(r, w):
        try:
            while True:
                d = await r.read(65536)
                if not d:
                    break
                w.write(d)
                await w.drain()
            w.write_eof()
            await w.drain()
        except OSError:
            pass
        finally:
            w.close()

    async def stream(r, w):
        # Ends on the first sign that the proxy closed its side: EOF on read, or a write
        # error. (Writes alone can stall for a minute: a peer that closed with a zero
        # receive window answers zero-window probes until its FIN_WAIT2 timeout.)
        chunk = b"x" * 16384

        async def write_forever():
            while True:
                w.write(chunk)
                await w.drain()

        writer = asyncio.ensure_future(write_forever())
        reader = asyncio.ensure_future(r.read(1))
        try:
            await asyncio.wait({writer, reader}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for t in (writer, reader):
                t.cancel()
            with stream_closed.get_lock():
                stream_closed.value += 1
            w.close()

    async def half(r, w):
        n = 0
        try:
            w.write(b"hello")
            await w.drain()
            w.write_eof()
            while True:
                d = await r.read(65536)
                if not d:
                    break
                n += len(d)
        except OSError:
            pass
        finally:
            with half_bytes.get_lock():
                half_bytes.value += n
            w.close()

    async def main():
        servers = [await asyncio.start_server(h, HOST, 0, backlog=4096) for h in (echo, stream, half)]
        ports_q.put([s.sockets[0].getsockname()[1] for s in servers])
        await asyncio.sleep(600)

    asyncio.run(main())


# ---------------------------------------------------------------- client helpers
def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        d = s.recv(n - len(buf))
        if not d:
            raise ConnectionError(f"EOF after {buf.hex()}")
        buf += d
    return buf


def recv_to_eof(s, limit=1 << 24):
    buf = b""
    while len(buf) < limit:
        d = s.recv(65536)
        if not d:
            return buf
        buf += d
    return buf


def source(i, per=100):
    """The loopback source address of the i-th client of a crowd: `per` per address."""
    n = i // per
    return (f"127.1.{n // 250}.{n % 250 + 1}", 0)


def socks5_connect(port, tport, timeout=10, src=None):
    s = socket.create_connection((HOST, port), timeout=timeout, source_address=src)
    s.sendall(b"\x05\x01\x00")
    if recv_exact(s, 2) != b"\x05\x00":
        raise ConnectionError("method")
    s.sendall(b"\x05\x01\x00\x01" + socket.inet_aton(HOST) + struct.pack(">H", tport))
    r = recv_exact(s, 10)
    if r[1] != 0:
        raise ConnectionError(f"reply {r.hex()}")
    return s


def reset_close(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def hammer(port, tport, seconds, kind, out):
    resolve = b"\x05\xf0\x00\x01\x7f\x00\x00\x01\x00\x00"
    connect = b"\x05\x01\x00\x01" + socket.inet_aton(HOST) + struct.pack(">H", tport)
    req = resolve if kind == "resolve" else connect
    n = errors = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            s = socket.create_connection((HOST, port), timeout=5)
            s.sendall(b"\x05\x01\x00")
            recv_exact(s, 2)
            s.sendall(req)
            r = recv_exact(s, 10)
            reset_close(s)
            if r[1] == 0:
                n += 1
            else:
                errors += 1
        except OSError:
            errors += 1
    out.put((n, errors))


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))]


def open_slow(port, n):
    socks = []
    for i in range(n):
        s = socket.create_connection((HOST, port), timeout=10, source_address=source(i))
        s.sendall(b"\x05")
        socks.append(s)
    return socks


def main():
    ap = argparse.ArgumentParser()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    ap.add_argument("--bin", default=os.environ.get("SOCKSWIRE_BIN", os.path.join(root, "target/release/sockswire")))
    ap.add_argument("--slow", type=int, default=10000)
    ap.add_argument("--tunnels", type=int, default=1000)
    ap.add_argument("--seconds", type=float, default=4.0)
    a = ap.parse_args()
    if not os.access(a.bin, os.X_OK):
        raise SystemExit(f"{a.bin}: not found; run cargo build --release --features cli")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = 2 * a.slow + 1000
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < need:
        print(f"warning: open-file hard limit {hard} < {need}: expect refused connections", flush=True)
    print(f"sockswire load: {a.bin}, {os.cpu_count()} CPUs, {a.slow} slow clients, "
          f"open-file limit {resource.getrlimit(resource.RLIMIT_NOFILE)[0]}", flush=True)

    ports_q, half_bytes, stream_closed = mp.Queue(), mp.Value("q", 0), mp.Value("q", 0)
    targets = mp.Process(target=targets_main, args=(ports_q, half_bytes, stream_closed), daemon=True)
    targets.start()
    echo_port, stream_port, half_port = ports_q.get(timeout=10)

    proxy = Proxy(a.bin, "--max-conns", str(a.slow + 1000), "--handshake-timeout", "60", "--quiet")
    time.sleep(0.2)
    base = proxy.stats()
    figure("baseline", f"RSS {base['VmRSS']} KiB, {base['Threads']} threads, {base['fds']} fds")

    # 1. slowloris, held
    t0 = time.monotonic()
    slow = open_slow(proxy.port, a.slow)
    wait_until(lambda: proxy.stats()["fds"] >= base["fds"] + a.slow, 10)
    time.sleep(0.5)
    held = proxy.stats()
    figure(f"{a.slow} slow clients opened", f"in {time.monotonic() - t0:.2f} s")
    per_conn = (held["VmRSS"] - base["VmRSS"]) / a.slow
    figure("memory per connection held in the handshake",
           f"{per_conn:.2f} KiB RSS (RSS {held['VmRSS']} KiB, +{held['Threads'] - base['Threads']} threads, "
           f"+{held['fds'] - base['fds']} fds)")
    check("slow clients held", held["fds"] - base["fds"] >= a.slow,
          f"{held['fds'] - base['fds']} connections open in the handshake")
    lat, ok = [], 0
    for i in range(200):
        t = time.monotonic()
        try:
            s = socks5_connect(proxy.port, echo_port, timeout=5)
            s.sendall(b"ping")
            if recv_exact(s, 4) == b"ping":
                ok += 1
            s.close()
        except OSError:
            pass
        lat.append((time.monotonic() - t) * 1000)
    check("real clients served beside the slow ones", ok == 200,
          f"{ok}/200 CONNECT+echo, latency p50 {statistics.median(lat):.2f} ms, "
          f"p99 {percentile(lat, 0.99):.2f} ms, max {max(lat):.2f} ms")
    for s in slow:
        s.close()
    released = wait_until(lambda: proxy.stats()["fds"] <= base["fds"], 15)
    check("slow clients released when they leave", released, f"fds {proxy.stats()['fds']} (baseline {base['fds']})")

    # 1c. a full proxy refuses cleanly, and recovers
    full = Proxy(a.bin, "--max-conns", "100", "--queue-timeout", "0.5", "--handshake-timeout", "60", "--quiet")
    hold = open_slow(full.port, 100)
    time.sleep(0.3)
    refused = 0
    t0 = time.monotonic()
    for i in range(50):
        s = socket.create_connection((HOST, full.port), timeout=5)
        s.sendall(b"\x05\x01\x00")
        try:
            if recv_to_eof(s) == b"\x05\xff":
                refused += 1
        except OSError:
            pass
        s.close()
    took = time.monotonic() - t0
    for s in hold:
        s.close()
    time.sleep(0.3)
    try:
        s = socks5_connect(full.port, echo_port)
        s.sendall(b"ok")
        recovered = recv_exact(s, 2) == b"ok"
        s.close()
    except OSError:
        recovered = False
    check("full proxy refuses cleanly (05 FF after --queue-timeout) and serves again",
          refused == 50 and recovered,
          f"{refused}/50 refused with 05 FF in {took:.1f} s; served after the slots freed: {recovered}")
    full.stop()

    # 1d. the wedge attempt: CONNECT chains back to the proxy itself, nested
    own = b"\x05\x01\x00\x01" + socket.inet_aton(HOST) + struct.pack(">H", proxy.port)
    denied = 0
    t0 = time.monotonic()
    for i in range(1000):
        s = socket.create_connection((HOST, proxy.port), timeout=5)
        s.sendall(b"\x05\x01\x00" + own + b"\x05\x01\x00" + own)
        try:
            if recv_to_eof(s) == b"\x05\x00\x05\x02\x00\x01" + bytes(6):
                denied += 1
        except OSError:
            pass
        s.close()
    took = time.monotonic() - t0
    try:
        s = socks5_connect(proxy.port, echo_port)
        s.sendall(b"ok")
        serving = recv_exact(s, 2) == b"ok"
        s.close()
    except OSError:
        serving = False
    check("self-connect chains refused (05 02), proxy still serving",
          denied == 1000 and serving, f"{denied}/1000 refused in {took:.1f} s; serving after: {serving}")

    # 1b. the handshake deadline at scale
    strict = Proxy(a.bin, "--max-conns", str(4 * a.slow + 100), "--handshake-timeout", "2", "--quiet")
    slow = open_slow(strict.port, a.slow)
    t0 = time.monotonic()
    sel = selectors.DefaultSelector()
    for s in slow:
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
    closed = 0
    while closed < len(slow) and time.monotonic() - t0 < 15:
        for key, _ in sel.select(timeout=0.5):
            try:
                d = key.fileobj.recv(64)
            except OSError:
                d = b""
            if not d:
                sel.unregister(key.fileobj)
                closed += 1
    took = time.monotonic() - t0
    check("handshake deadline closes slow clients", closed == len(slow),
          f"{closed}/{len(slow)} closed by the proxy {took:.2f} s after the last opened (timeout 2 s)")
    for s in slow:
        s.close()
    strict.stop()

    # 2. handshakes per second
    for kind in ("resolve", "connect"):
        workers = max(2, os.cpu_count() or 2)
        before = proxy.stats()
        q = mp.Queue()
        procs = [mp.Process(target=hammer, args=(proxy.port, echo_port, a.seconds, kind, q)) for _ in range(workers)]
        t0 = time.monotonic()
        for p in procs:
            p.start()
        res = [q.get(timeout=a.seconds + 30) for _ in procs]
        for p in procs:
            p.join(timeout=10)
        wall = time.monotonic() - t0
        after = proxy.stats()
        n = sum(r[0] for r in res)
        errors = sum(r[1] for r in res)
        cpu = after["cpu"] - before["cpu"]
        what = "greeting + RESOLVE 127.0.0.1" if kind == "resolve" else "greeting + CONNECT to the echo target"
        figure(f"handshakes per second ({what})",
               f"{n / wall:.0f}/s with {workers} client processes on the same {os.cpu_count()} CPUs; "
               f"proxy CPU {cpu / max(n, 1) * 1e6:.0f} us per handshake "
               f"(so about {2 / (cpu / max(n, 1)):.0f}/s if the proxy had 2 cores to itself)")
        check(f"handshake loop ({kind}) without errors", errors == 0, f"{n} handshakes, {errors} errors")

    # 3. idle tunnels, twice: the second round shows whether memory comes back
    after_round = []
    for rnd in (1, 2):
        wait_until(lambda: proxy.stats()["fds"] <= base["fds"], 10)
        before = proxy.stats()
        tunnels, bad = [], 0
        for i in range(a.tunnels):
            try:
                s = socks5_connect(proxy.port, echo_port, src=source(i))
                s.sendall(b"x")
                if recv_exact(s, 1) != b"x":
                    bad += 1
                tunnels.append(s)
            except OSError:
                bad += 1
        time.sleep(0.5)
        idle = proxy.stats()
        figure(f"memory per idle tunnel, round {rnd} (CONNECT established, one byte echoed)",
               f"{(idle['VmRSS'] - before['VmRSS']) / max(len(tunnels), 1):.1f} KiB RSS "
               f"(+{idle['Threads'] - before['Threads']} threads, +{idle['fds'] - before['fds']} fds "
               f"for {len(tunnels)} tunnels; RSS {idle['VmRSS']} KiB)")
        check(f"idle tunnels established, round {rnd}", bad == 0 and len(tunnels) == a.tunnels,
              f"{len(tunnels)} ok, {bad} failed")
        half_ok = 0
        for i, s in enumerate(tunnels):
            if i % 2:
                reset_close(s)
            else:
                try:
                    s.shutdown(socket.SHUT_WR)
                    if recv_to_eof(s) == b"":
                        half_ok += 1
                except OSError:
                    pass
                s.close()
        check(f"idle tunnels closed, round {rnd} (half by half-close, half by reset)",
              half_ok == (a.tunnels + 1) // 2, f"{half_ok} half-closes answered with EOF")
        wait_until(lambda: proxy.stats()["fds"] <= base["fds"], 10)
        after_round.append(proxy.stats()["VmRSS"])
    # Not a check: glibc keeps freed memory in its per-thread arenas and trims them lazily,
    # so RSS after a burst is noisy. Threads and fds (checked at the end) are exact.
    figure("RSS after closing every tunnel",
           f"round 1 {after_round[0]} KiB, round 2 {after_round[1]} KiB (baseline {base['VmRSS']} KiB)")

    # 4. garbage
    garbage_proxy = Proxy(a.bin, "--handshake-timeout", "2", "--max-conns", "4096", "--quiet")
    rng = random.Random(7)

    def junk():
        kind = rng.randrange(4)
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 600)))
        return [body, b"\x04" + body, b"\x05" + body, b"\x05\x01\x00\x05" + body][kind]

    payloads = [junk() for _ in range(2000)]

    def throw(payload):
        try:
            s = socket.create_connection((HOST, garbage_proxy.port), timeout=5)
        except OSError:
            return "connect failed"
        t = time.monotonic()
        try:
            try:
                s.sendall(payload)
            except OSError:
                pass
            got = recv_to_eof(s, 1 << 16)
            when = "at the deadline" if time.monotonic() - t > 1.5 else "at once"
            return f"closed {when} after {len(got)} reply bytes" if got else f"closed {when}, no reply"
        except socket.timeout:
            return "not closed within 5 s"
        except ConnectionResetError:
            return "reset"
        finally:
            s.close()

    t0 = time.monotonic()
    with ThreadPoolExecutor(50) as pool:
        outcomes = list(pool.map(throw, payloads))
    hist = {}
    for o in outcomes:
        hist[o] = hist.get(o, 0) + 1
    figure("garbage outcomes", ", ".join(f"{v} {k}" for k, v in sorted(hist.items(), key=lambda kv: -kv[1])))
    alive = garbage_proxy.p.poll() is None
    try:
        s = socks5_connect(garbage_proxy.port, echo_port)
        s.sendall(b"ok")
        served = recv_exact(s, 2) == b"ok"
        s.close()
    except OSError:
        served = False
    check("garbage: every connection closed, proxy alive and serving",
          alive and served and not any(o.startswith(("not closed", "connect failed")) for o in outcomes),
          f"2000 connections in {time.monotonic() - t0:.1f} s")
    garbage_proxy.stop()

    # 5. half-close both ways
    def client_first(_):
        s = socks5_connect(proxy.port, echo_port)
        data = os.urandom(65536)
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        got = recv_to_eof(s)
        s.close()
        return got == data

    def target_first(_):
        s = socks5_connect(proxy.port, half_port)
        first = recv_to_eof(s)
        s.sendall(b"y" * 1000)
        s.shutdown(socket.SHUT_WR)
        s.settimeout(10)
        rest = recv_to_eof(s)
        s.close()
        return first == b"hello" and rest == b""

    with ThreadPoolExecutor(20) as pool:
        a_ok = sum(pool.map(client_first, range(200)))
        b_ok = sum(pool.map(target_first, range(200)))
    wait_until(lambda: half_bytes.value >= 200 * 1000, 10)
    check("half-close, client first (64 KiB echoed after the client's FIN)", a_ok == 200, f"{a_ok}/200")
    check("half-close, target first (client still sends after the target's FIN)",
          b_ok == 200 and half_bytes.value == 200 * 1000,
          f"{b_ok}/200, target received {half_bytes.value} of {200 * 1000} bytes")

    # 6. one tunnel's throughput, then clients vanishing mid-relay
    s = socks5_connect(proxy.port, stream_port)
    total, t0 = 0, time.monotonic()
    while total < (256 << 20):
        d = s.recv(1 << 20)
        if not d:
            break
        total += len(d)
    took = time.monotonic() - t0
    reset_close(s)
    figure("relay throughput, one tunnel (download from the stream target)",
           f"{total / took / 1e6:.0f} MB/s ({total >> 20} MiB in {took:.2f} s; the Python client is part of it)")
    wait_until(lambda: stream_closed.value >= 1, 10)
    start_closed = stream_closed.value

    def vanish(_):
        s = socks5_connect(proxy.port, stream_port)
        recv_exact(s, 16384)
        reset_close(s)

    t0 = time.monotonic()
    with ThreadPoolExecutor(20) as pool:
        list(pool.map(vanish, range(200)))
    closed = wait_until(lambda: stream_closed.value - start_closed >= 200, 15)
    check("vanished clients: target side closed", closed,
          f"{stream_closed.value - start_closed}/200 target connections closed within "
          f"{time.monotonic() - t0:.2f} s")

    # 7. leaks
    back = wait_until(lambda: proxy.stats()["Threads"] <= base["Threads"] and proxy.stats()["fds"] <= base["fds"], 15)
    end = proxy.stats()
    check("no leak: threads and fds back to baseline", back,
          f"threads {end['Threads']} (baseline {base['Threads']}), fds {end['fds']} (baseline {base['fds']}), "
          f"RSS {end['VmRSS']} KiB (baseline {base['VmRSS']} KiB)")
    log = proxy.log_text()
    check("proxy alive, no panic", proxy.p.poll() is None and "panicked" not in log,
          f"{log.count(chr(10))} log lines")
    proxy.stop()
    targets.terminate()
    print(f"{RESULTS['pass']} passed, {RESULTS['fail']} failed", flush=True)
    sys.exit(1 if RESULTS["fail"] else 0)


if __name__ == "__main__":
    threading.excepthook = lambda args: print(f"thread error: {args.exc_value}", file=sys.stderr)
    main()
