#!/usr/bin/env python3
"""Extract the two directions of every SOCKS TCP conversation in a pcap file.

Standard library only (no scapy).  Reads classic pcap (either byte order,
micro- or nanosecond timestamps) with link type EN10MB (1), NULL (0),
RAW (101), LINUX_SLL (113) or LINUX_SLL2 (276); IPv4 and IPv6; TCP and UDP.

usage: pcap2streams.py PCAP OUTDIR NAME PROXYPORT [PROXYPORT...]

For each TCP connection whose server side (the side that received the SYN)
uses one of the PROXYPORTs, writes OUTDIR/NAME.c2s.bin and OUTDIR/NAME.s2c.bin
(the client-to-server and server-to-client byte streams, reassembled by
sequence number).  When a file holds several such connections they are
numbered NAME.1.c2s.bin, NAME.2.c2s.bin ... in order of their first packet.

UDP datagrams that start with an RFC 1928 section 7 header (RSV 00 00,
FRAG 00, ATYP 01/03/04) are written one per file as NAME.udpN.c2s.bin
(from the client's UDP port) or NAME.udpN.s2c.bin (to it), N counting all
such datagrams in capture order; the client's port is the source port of the
first such datagram.
"""
import os
import struct
import sys


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        raise SystemExit(f"{path}: not a classic pcap file (pcapng is not read here)")
    linktype = struct.unpack(e + "I", data[20:24])[0]
    off = 24
    n = 0
    while off + 16 <= len(data):
        ts_s, ts_f, incl, orig = struct.unpack(e + "IIII", data[off:off + 16])
        off += 16
        pkt = data[off:off + incl]
        off += incl
        n += 1
        yield n, linktype, pkt


def l3(linktype, pkt):
    """Return (ethertype-ish family, l3 bytes) or None."""
    if linktype == 1:  # Ethernet
        et = struct.unpack(">H", pkt[12:14])[0]
        p = pkt[14:]
        while et == 0x8100:
            et = struct.unpack(">H", p[2:4])[0]
            p = p[4:]
        return et, p
    if linktype == 0:  # BSD loopback
        fam = struct.unpack("<I", pkt[:4])[0]
        return (0x0800 if fam == 2 else 0x86DD), pkt[4:]
    if linktype == 101:
        return (0x0800 if pkt[0] >> 4 == 4 else 0x86DD), pkt
    if linktype == 113:
        return struct.unpack(">H", pkt[14:16])[0], pkt[16:]
    if linktype == 276:
        return struct.unpack(">H", pkt[0:2])[0], pkt[20:]
    return None


def l4(et, p):
    """Return (proto, src, dst, l4 bytes) or None."""
    if et == 0x0800:
        ihl = (p[0] & 0x0F) * 4
        total = struct.unpack(">H", p[2:4])[0]
        proto = p[9]
        src = ".".join(str(b) for b in p[12:16])
        dst = ".".join(str(b) for b in p[16:20])
        return proto, src, dst, p[ihl:total]
    if et == 0x86DD:
        plen = struct.unpack(">H", p[4:6])[0]
        nxt = p[6]
        src = "[" + p[8:24].hex() + "]"
        dst = "[" + p[24:40].hex() + "]"
        body = p[40:40 + plen]
        # skip simple extension headers
        while nxt in (0, 43, 60):
            nxt2 = body[0]
            body = body[(body[1] + 1) * 8:]
            nxt = nxt2
        return nxt, src, dst, body
    return None


class Conn:
    def __init__(self, first, client, server):
        self.first = first
        self.client = client  # (addr, port)
        self.server = server
        self.isn = {}  # endpoint -> initial seq (of SYN)
        self.segs = {client: [], server: []}


def reassemble(isn, segs):
    if isn is None:
        if not segs:
            return b""
        isn = min(s for s, _ in segs) - 1
    base = (isn + 1) & 0xFFFFFFFF
    pieces = sorted(((s - base) & 0xFFFFFFFF, d) for s, d in segs)
    out = bytearray()
    for rel, d in pieces:
        if rel > len(out):
            print(f"  warning: gap of {rel - len(out)} bytes", file=sys.stderr)
            out += b"\x00" * (rel - len(out))
        end = rel + len(d)
        if end > len(out):
            out += d[len(out) - rel:]
    return bytes(out)


def main(argv):
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    path, outdir, name = argv[1], argv[2], argv[3]
    ports = {int(p) for p in argv[4:]}
    conns = {}
    order = []
    udp = []
    udp_client = None
    for n, lt, pkt in read_pcap(path):
        r = l3(lt, pkt)
        if not r:
            continue
        r = l4(*r)
        if not r:
            continue
        proto, src, dst, seg = r
        if proto == 17:
            sp, dp = struct.unpack(">HH", seg[:4])
            data = seg[8:]
            if len(data) >= 4 and data[:3] == b"\x00\x00\x00" and data[3] in (1, 3, 4):
                if udp_client is None:
                    udp_client = (src, sp)
                if (src, sp) == udp_client:
                    udp.append(("c2s", data))
                elif (dst, dp) == udp_client:
                    udp.append(("s2c", data))
            continue
        if proto != 6:
            continue
        sp, dp, seq, ack, offflags = struct.unpack(">HHIIH", seg[:14])
        hlen = (offflags >> 12) * 4
        flags = offflags & 0x3F
        data = seg[hlen:]
        a, b = (src, sp), (dst, dp)
        key = frozenset((a, b))
        syn = flags & 0x02
        ackf = flags & 0x10
        if key not in conns or (syn and not ackf and conns[key].isn.get(a) is not None
                                and conns[key].isn[a] != seq):
            # new connection (or reuse of the 4-tuple with a new SYN)
            if syn and not ackf:
                c = Conn(n, a, b)
            elif syn and ackf:
                c = Conn(n, b, a)
            else:  # mid-stream start: guess the server by port
                c = Conn(n, a, b) if dp in ports else Conn(n, b, a)
            conns[key] = c
            order.append(c)
        c = conns[key]
        if syn:
            c.isn[a] = seq
        if data:
            c.segs[a].append((seq, data))
    os.makedirs(outdir, exist_ok=True)
    socks = [c for c in order if c.server[1] in ports]
    written = []
    for i, c in enumerate(socks, 1):
        stem = name if len(socks) == 1 else f"{name}.{i}"
        c2s = reassemble(c.isn.get(c.client), c.segs[c.client])
        s2c = reassemble(c.isn.get(c.server), c.segs[c.server])
        for suffix, blob in (("c2s", c2s), ("s2c", s2c)):
            fn = os.path.join(outdir, f"{stem}.{suffix}.bin")
            with open(fn, "wb") as f:
                f.write(blob)
            written.append(fn)
        print(f"{stem}: {c.client} -> {c.server}: c2s {len(c2s)} bytes, s2c {len(s2c)} bytes")
    for i, (d, data) in enumerate(udp, 1):
        fn = os.path.join(outdir, f"{name}.udp{i}.{d}.bin")
        with open(fn, "wb") as f:
            f.write(data)
        written.append(fn)
        print(f"{name}.udp{i}.{d}: {len(data)} bytes")
    if not socks:
        print(f"{name}: no TCP connection to ports {sorted(ports)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
