#!/usr/bin/env python3
"""Bounded UDP echo server: udp_echo.py HOST PORT SECONDS.  Echoes every
datagram back to its sender, prefixed with b"echo:", and exits after SECONDS."""
import socket
import sys
import time

host, port, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((host, port))
end = time.monotonic() + secs
while True:
    left = end - time.monotonic()
    if left <= 0:
        break
    s.settimeout(left)
    try:
        data, peer = s.recvfrom(65535)
    except socket.timeout:
        break
    s.sendto(b"echo:" + data, peer)
