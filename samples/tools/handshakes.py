#!/usr/bin/env python3
"""Print the SOCKS handshake part of every extracted stream, in hex.

usage: handshakes.py STREAMSDIR

For each NAME.c2s.bin / NAME.s2c.bin pair, splits off the SOCKS handshake
(SOCKS4/4a request and reply; SOCKS5 greeting, method choice, RFC 1929
sub-negotiation, request and reply, two replies for BIND) and prints it as
hex messages, followed by how many bytes of payload follow.  This is a quick,
independent reading written for the sample README; it is not the crate's
parser.  UDP files (NAME.udpN.*.bin) are printed whole.
"""
import os
import sys


def take(buf, n):
    if len(buf) < n:
        raise ValueError("short")
    return buf[:n], buf[n:]


def socks5_addr_len(buf, atyp_off):
    atyp = buf[atyp_off]
    if atyp == 1:
        return atyp_off + 1 + 4 + 2
    if atyp == 4:
        return atyp_off + 1 + 16 + 2
    if atyp == 3:
        return atyp_off + 1 + 1 + buf[atyp_off + 1] + 2
    if atyp == 0:  # tor's error replies: ATYP 0, then 6 zero bytes
        return atyp_off + 1 + 6
    raise ValueError(f"atyp {atyp}")


def split4_req(c):
    # VN CD DSTPORT(2) DSTIP(4) USERID NUL [HOST NUL when DSTIP is 0.0.0.x, x != 0]
    end = c.index(b"\0", 8) + 1
    if c[4:7] == b"\0\0\0" and c[7] != 0:
        end = c.index(b"\0", end) + 1
    return [c[:end]], c[end:]


def split(c, s):
    cm, sm = [], []
    if not c:
        return cm, c, sm, s
    if c[0] == 4:
        m, c = split4_req(c)
        cm += m
        r, s = take(s, 8)
        sm.append(r)
        return cm, c, sm, s
    if c[0] != 5:
        return None
    g, c = take(c, 2 + c[1])
    cm.append(g)
    m, s = take(s, 2)
    sm.append(m)
    if m[1] == 0x02:
        n = 2 + c[1]
        n += 1 + c[n]
        a, c = take(c, n)
        cm.append(a)
        r, s = take(s, 2)
        sm.append(r)
        if r[1] != 0:
            return cm, c, sm, s
    elif m[1] != 0x00:
        return cm, c, sm, s
    req, c = take(c, socks5_addr_len(c, 3))
    cm.append(req)
    if not s:
        return cm, c, sm, s
    rep, s = take(s, socks5_addr_len(s, 3))
    sm.append(rep)
    if req[1] == 0x02 and rep[1] == 0 and s:  # BIND: second reply
        rep2, s = take(s, socks5_addr_len(s, 3))
        sm.append(rep2)
    return cm, c, sm, s


def main(d):
    names = sorted(f[:-len(".c2s.bin")] for f in os.listdir(d) if f.endswith(".c2s.bin"))
    udp = sorted(f for f in os.listdir(d) if ".udp" in f)
    for n in names:
        if ".udp" in n:
            continue
        c = open(os.path.join(d, n + ".c2s.bin"), "rb").read()
        s = open(os.path.join(d, n + ".s2c.bin"), "rb").read()
        print(f"{n}:")
        try:
            r = split(c, s)
        except (ValueError, IndexError) as e:
            r = None
        if r is None:
            print(f"  not a SOCKS handshake: c2s {len(c)} bytes starting {c[:16]!r}, "
                  f"s2c {len(s)} bytes starting {s[:16]!r}")
            continue
        cm, crest, sm, srest = r
        print("  c2s: " + " | ".join(m.hex() for m in cm) + f"   (+{len(crest)} payload bytes)")
        print("  s2c: " + " | ".join(m.hex() for m in sm) + f"   (+{len(srest)} payload bytes)")
    for f in udp:
        print(f"{f}: {open(os.path.join(d, f), 'rb').read().hex()}")


if __name__ == "__main__":
    main(sys.argv[1])
