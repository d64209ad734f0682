#!/usr/bin/env python3
"""Splits a classic pcap into rotated files, as tcpdump -C/-G would: after the given packets.

usage: scripts/split_pcap.py IN.pcap OUT_PREFIX N [N...]

Writes OUT_PREFIX0.pcap with packets 1..N, OUT_PREFIX1.pcap with the next ones up to the next
N, and so on; each file gets IN's 24-byte header. Standard library only.
"""
import struct
import sys

src, prefix, cuts = sys.argv[1], sys.argv[2], [int(n) for n in sys.argv[3:]]
data = open(src, "rb").read()
endian = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
header, at, packets = data[:24], 24, []
while at + 16 <= len(data):
    caplen = struct.unpack(endian + "I", data[at + 8:at + 12])[0]
    packets.append(data[at:at + 16 + caplen])
    at += 16 + caplen
bounds = [0] + cuts + [len(packets)]
for i in range(len(bounds) - 1):
    with open(f"{prefix}{i}.pcap", "wb") as out:
        out.write(header + b"".join(packets[bounds[i]:bounds[i + 1]]))
