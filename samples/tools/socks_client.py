#!/usr/bin/env python3
"""Tiny SOCKS clients used by samples/make.sh to record sample captures.

Standard library only.  Every socket has a timeout, so every run is bounded.
Every sub-command prints what it sent and received (hex) on stderr.

  resolve5    PROXY NAME          Tor SOCKS5 RESOLVE      (CMD 0xF0, ATYP 0x03)
  resolve4a   PROXY NAME          Tor SOCKS4a RESOLVE     (CD 0xF0)
  resolveptr5 PROXY IPV4          Tor SOCKS5 RESOLVE_PTR  (CMD 0xF1, ATYP 0x01)
  bytewise    PROXY HOST PORT PATH  SOCKS5 CONNECT (domain) + HTTP GET, one byte per send()
  udp         PROXY ECHOHOST ECHOPORT  SOCKS5 UDP ASSOCIATE, two datagrams via the relay
  bind        PROXY               SOCKS5 BIND; a second local socket plays the remote peer

PROXY is HOST:PORT (IPv4 literal).
"""
import socket
import struct
import sys
import time

TIMEOUT = 12.0


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def hexs(b):
    return b.hex(" ")


def parse_hp(s):
    h, p = s.rsplit(":", 1)
    return h, int(p)


def connect(proxy):
    s = socket.create_connection(parse_hp(proxy), timeout=TIMEOUT)
    s.settimeout(TIMEOUT)
    return s


def send(s, b, what=""):
    log(f"C>S {what}: {hexs(b)}")
    s.sendall(b)


def recv_exact(s, n, what=""):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            log(f"S>C {what}: EOF after {hexs(buf)!r}")
            raise EOFError(what)
        buf += chunk
    log(f"S>C {what}: {hexs(buf)}")
    return buf


def recv_all(s, what=""):
    """Read until EOF (or timeout) and return everything."""
    buf = b""
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            buf += chunk
    except socket.timeout:
        log(f"S>C {what}: timeout")
    log(f"S>C {what}: {hexs(buf)}")
    return buf


def socks5_addr_reply(s, what="reply"):
    """Read a SOCKS5 reply: VER REP RSV ATYP BND.ADDR BND.PORT."""
    head = recv_exact(s, 4, what + " head")
    atyp = head[3]
    if atyp == 1:
        rest = recv_exact(s, 4 + 2, what + " addr")
    elif atyp == 4:
        rest = recv_exact(s, 16 + 2, what + " addr")
    elif atyp == 3:
        n = recv_exact(s, 1, what + " len")
        rest = n + recv_exact(s, n[0] + 2, what + " addr")
    else:
        rest = recv_all(s, what + " unknown atyp, rest")
    return head + rest


def greet_noauth(s):
    send(s, b"\x05\x01\x00", "greeting")
    return recv_exact(s, 2, "method")


def cmd_resolve5(proxy, name):
    s = connect(proxy)
    greet_noauth(s)
    n = name.encode()
    send(s, b"\x05\xf0\x00\x03" + bytes([len(n)]) + n + b"\x00\x00", "RESOLVE")
    try:
        socks5_addr_reply(s, "RESOLVE reply")
    except EOFError:
        pass
    recv_all(s, "after reply")
    s.close()


def cmd_resolve4a(proxy, name):
    s = connect(proxy)
    send(s, b"\x04\xf0\x00\x00\x00\x00\x00\x01" + b"\x00" + name.encode() + b"\x00",
         "SOCKS4a RESOLVE")
    try:
        recv_exact(s, 8, "SOCKS4a RESOLVE reply")
    except EOFError:
        pass
    recv_all(s, "after reply")
    s.close()


def cmd_resolveptr5(proxy, ip):
    s = connect(proxy)
    greet_noauth(s)
    send(s, b"\x05\xf1\x00\x01" + socket.inet_aton(ip) + b"\x00\x00", "RESOLVE_PTR")
    try:
        socks5_addr_reply(s, "RESOLVE_PTR reply")
    except EOFError:
        pass
    recv_all(s, "after reply")
    s.close()


def cmd_bytewise(proxy, host, port, path):
    s = connect(proxy)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def trickle(b, what):
        log(f"C>S {what} (byte by byte): {hexs(b)}")
        for i in range(len(b)):
            s.send(b[i:i + 1])
            time.sleep(0.02)

    trickle(b"\x05\x01\x00", "greeting")
    recv_exact(s, 2, "method")
    h = host.encode()
    trickle(b"\x05\x01\x00\x03" + bytes([len(h)]) + h + struct.pack(">H", int(port)),
            "CONNECT")
    socks5_addr_reply(s, "CONNECT reply")
    req = f"GET {path} HTTP/1.0\r\nHost: {host}:{port}\r\n\r\n".encode()
    trickle(req, "HTTP request")
    data = recv_all(s, "HTTP response")
    s.close()
    sys.stdout.write(data.decode(errors="replace"))


def cmd_udp(proxy, echo_host, echo_port):
    echo_port = int(echo_port)
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    u.settimeout(TIMEOUT)
    uport = u.getsockname()[1]
    s = connect(proxy)
    greet_noauth(s)
    # DST.ADDR/DST.PORT: the address and port the client will send from.
    send(s, b"\x05\x03\x00\x01" + socket.inet_aton("127.0.0.1") + struct.pack(">H", uport),
         "UDP ASSOCIATE")
    rep = socks5_addr_reply(s, "UDP ASSOCIATE reply")
    if rep[1] != 0:
        log("UDP ASSOCIATE refused")
        return 1
    if rep[3] != 1:
        log("relay address is not IPv4; not handled")
        return 1
    relay = (socket.inet_ntoa(rep[4:8]), struct.unpack(">H", rep[8:10])[0])
    if relay[0] == "0.0.0.0":
        relay = ("127.0.0.1", relay[1])
    log(f"relay at {relay}")
    for i, payload in enumerate([b"ping-1", b"ping-2"]):
        # RFC 1928 section 7: RSV(2) FRAG ATYP DST.ADDR DST.PORT DATA
        dg = (b"\x00\x00\x00\x01" + socket.inet_aton(echo_host) + struct.pack(">H", echo_port)
              + payload)
        log(f"UDP C>relay: {hexs(dg)}")
        u.sendto(dg, relay)
        back, frm = u.recvfrom(65535)
        log(f"UDP relay>C from {frm}: {hexs(back)}")
        time.sleep(0.05)
    s.close()
    u.close()
    return 0


def cmd_bind(proxy):
    s = connect(proxy)
    greet_noauth(s)
    # DST.ADDR/PORT: the peer we expect to connect to the bound port.
    send(s, b"\x05\x02\x00\x01" + socket.inet_aton("127.0.0.1") + b"\x00\x00", "BIND")
    rep1 = socks5_addr_reply(s, "BIND reply 1")
    if rep1[1] != 0 or rep1[3] != 1:
        log("BIND refused or not IPv4")
        return 1
    addr = (socket.inet_ntoa(rep1[4:8]), struct.unpack(">H", rep1[8:10])[0])
    if addr[0] == "0.0.0.0":
        addr = ("127.0.0.1", addr[1])
    log(f"proxy listens at {addr}; connecting as the remote peer")
    peer = socket.create_connection(addr, timeout=TIMEOUT)
    peer.settimeout(TIMEOUT)
    socks5_addr_reply(s, "BIND reply 2")
    peer.sendall(b"hello from peer\n")
    log(f"client got: {recv_exact(s, 16, 'data from peer')!r}")
    s.sendall(b"hello from client\n")
    buf = b""
    while len(buf) < 18:
        buf += peer.recv(64)
    log(f"peer got: {buf!r}")
    peer.close()
    recv_all(s, "after peer close")
    s.close()
    return 0


def main(argv):
    cmds = {
        "resolve5": cmd_resolve5,
        "resolve4a": cmd_resolve4a,
        "resolveptr5": cmd_resolveptr5,
        "bytewise": cmd_bytewise,
        "udp": cmd_udp,
        "bind": cmd_bind,
    }
    if len(argv) < 2 or argv[1] not in cmds:
        print(__doc__, file=sys.stderr)
        return 2
    return cmds[argv[1]](*argv[2:]) or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
