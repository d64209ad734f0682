#!/usr/bin/env python3
"""Checks Community IDs against the reference implementation (PyPI `communityid`).

Reads lines `PROTO SRC SPORT DST DPORT ID` (PROTO: tcp or udp) on stdin; prints each line whose
ID differs from what `communityid` computes, then `checked N`. Exit status 1 on any difference.
"""
import sys

import communityid

cid = communityid.CommunityID()
bad = 0
n = 0
for line in sys.stdin:
    proto, src, sport, dst, dport, want = line.split()
    make = communityid.FlowTuple.make_tcp if proto == "tcp" else communityid.FlowTuple.make_udp
    got = cid.calc(make(src, dst, int(sport), int(dport)))
    n += 1
    if got != want:
        bad += 1
        print(f"{line.strip()}: communityid says {got}")
print(f"checked {n}")
sys.exit(1 if bad else 0)
