#!/usr/bin/env python3
"""Writes a large synthetic pcap of mixed SOCKS conversations, for measuring `sockswire dissect`.

usage: scripts/gen_capture.py OUT.pcap [MEGABYTES=1024]

Each conversation is a real TCP exchange on loopback addresses (SYN, handshake segments, payload
in 1448-byte segments both ways, FIN): SOCKS4, SOCKS4a, SOCKS5 no-auth with IPv4, domain and
IPv6 targets, SOCKS5 username/password, failures, and some non-SOCKS HTTP. Payload sizes vary
from a few bytes to 256 KiB so that both handshake parsing and bulk payload counting show.
Deterministic (seeded), standard library only.
"""
import random
import struct
import sys

out_path = sys.argv[1]
target = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
target_bytes = target << 20
rng = random.Random(1080)

def checksumless_tcp(src, dst, sport, dport, seq, ack, flags, payload):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags, 65535, 0, 0)
    total = 20 + len(tcp) + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 0, 0x4000, 64, 6, 0, src, dst)
    eth = b"\x00" * 12 + b"\x08\x00"
    return eth + ip + tcp + payload

def conversation(idx):
    """Returns (client messages, server messages, payload sizes) for one conversation."""
    kind = idx % 8
    host = b"host%d.example" % idx
    if kind == 0:
        c = [b"\x04\x01\x01\xbb" + bytes([10, 0, idx % 250, 1]) + b"user\x00"]
        s = [b"\x00\x5a\x00\x00\x00\x00\x00\x00"]
    elif kind == 1:
        c = [b"\x04\x01\x00\x50\x00\x00\x00\x01\x00" + host + b"\x00"]
        s = [b"\x00\x5a\x00\x00\x00\x00\x00\x00"]
    elif kind == 2:
        c = [b"\x05\x01\x00", b"\x05\x01\x00\x03" + bytes([len(host)]) + host + b"\x01\xbb"]
        s = [b"\x05\x00", b"\x05\x00\x00\x01\x7f\x00\x00\x01\x10\x00"]
    elif kind == 3:
        c = [b"\x05\x01\x00", b"\x05\x01\x00\x01\x0a\x00\x00\x02\x00\x50"]
        s = [b"\x05\x00", b"\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00"]
    elif kind == 4:
        c = [b"\x05\x02\x00\x02", b"\x01\x05alice\x06secret", b"\x05\x01\x00\x04" + b"\x20\x01\x0d\xb8" + b"\x00" * 11 + b"\x01\x00\x16"]
        s = [b"\x05\x02", b"\x01\x00", b"\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00"]
    elif kind == 5:
        c = [b"\x05\x01\x00", b"\x05\x01\x00\x03" + bytes([len(host)]) + host + b"\x00\x50"]
        s = [b"\x05\x00", b"\x05\x05\x00\x01\x00\x00\x00\x00\x00\x00"]
        return c, s, (0, 0)
    elif kind == 6:
        c = [b"\x05\x01\x00", b"\x05\xf0\x00\x03" + bytes([len(host)]) + host + b"\x00\x00"]
        s = [b"\x05\x00", b"\x05\x00\x00\x01\x5d\xb8\xd8\x22\x00\x00"]
        return c, s, (0, 0)
    else:
        c = [b"GET / HTTP/1.1\r\nHost: " + host + b"\r\n\r\n"]
        s = [b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"]
        return c, s, (0, 0)
    sizes = (rng.choice([64, 512, 4096, 65536]), rng.choice([256, 8192, 131072, 262144]))
    return c, s, sizes

MSS = 1448
written = 0
with open(out_path, "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    ts = 1_800_000_000.0
    idx = 0
    filler = bytes(range(256)) * (MSS // 256 + 1)
    def packet(frame):
        global written, ts
        ts += 0.00001
        sec = int(ts)
        usec = int((ts - sec) * 1e6)
        f.write(struct.pack("<IIII", sec, usec, len(frame), len(frame)))
        f.write(frame)
        written += 16 + len(frame)
    while written < target_bytes:
        idx += 1
        cli = bytes([127, 0, (idx >> 8) & 255, idx & 255 or 1])
        srv = bytes([127, 1, 0, 1])
        cport, sport = 1024 + idx % 60000, 1080
        cseq, sseq = rng.getrandbits(32), rng.getrandbits(32)
        packet(checksumless_tcp(cli, srv, cport, sport, cseq, 0, 0x02, b""))
        packet(checksumless_tcp(srv, cli, sport, cport, sseq, cseq + 1, 0x12, b""))
        cseq += 1
        sseq += 1
        c, s, (cpay, spay) = conversation(idx)
        for i in range(max(len(c), len(s))):
            if i < len(c):
                packet(checksumless_tcp(cli, srv, cport, sport, cseq, sseq, 0x18, c[i]))
                cseq += len(c[i])
            if i < len(s):
                packet(checksumless_tcp(srv, cli, sport, cport, sseq, cseq, 0x18, s[i]))
                sseq += len(s[i])
        for total, (a, b, ap, bp, seq_is_client) in ((cpay, (cli, srv, cport, sport, True)), (spay, (srv, cli, sport, cport, False))):
            sent = 0
            while sent < total:
                n = min(MSS, total - sent)
                seq = cseq if seq_is_client else sseq
                packet(checksumless_tcp(a, b, ap, bp, seq, 0, 0x10, filler[:n]))
                if seq_is_client:
                    cseq += n
                else:
                    sseq += n
                sent += n
        packet(checksumless_tcp(cli, srv, cport, sport, cseq, sseq, 0x11, b""))
        packet(checksumless_tcp(srv, cli, sport, cport, sseq, cseq + 1, 0x11, b""))
print(f"{out_path}: {written / 1e6:.1f} MB, {idx} conversations")
