#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/seeds/<target>/ (python3 stdlib only; deterministic).

Sources: the real captures in samples/ (handshakes.txt lists each conversation's SOCKS
messages as hex separated by " | "; the streams/*.bin files hold the whole byte streams), and
fixtures: the RFC 1928/1929/1961 message shapes, Tor's RESOLVE/RESOLVE_PTR and extended reply
codes 0xF0-0xF7, SOCKS4a, C Tor's ATYP-0 reply, and the shapes that crashed other SOCKS
crates (unknown REP codes, a truncated ATYP=3 with no port).

Usage: python3 fuzz/make_seeds.py   (rewrites fuzz/seeds/ from scratch)
"""

import os
import random
import shutil
import struct

FUZZ = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(FUZZ)
SAMPLES = os.path.join(ROOT, "samples")
SEEDS = os.path.join(FUZZ, "seeds")

# Bytes of relayed payload kept after the handshake in whole-stream seeds.
PAYLOAD_KEEP = 16


def h(s):
    return bytes.fromhex(s.replace(" ", ""))


def read_captures():
    """{name: {"c2s": [msg, ...], "s2c": [msg, ...]}} from samples/handshakes.txt."""
    caps = {}
    name = None
    with open(os.path.join(SAMPLES, "handshakes.txt")) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.startswith(" ") and line.endswith(":"):
                name = line[:-1]
                caps[name] = {"c2s": [], "s2c": []}
            elif line.strip().startswith(("c2s:", "s2c:")) and name:
                side, rest = line.strip().split(":", 1)
                hexes = rest.split("(")[0]
                caps[name][side] = [h(m) for m in hexes.split("|") if m.strip()]
    return caps


def stream(name, side):
    path = os.path.join(SAMPLES, "streams", f"{name}.{side}.bin")
    with open(path, "rb") as f:
        return f.read()


def udp_datagrams():
    d = os.path.join(SAMPLES, "streams")
    return [
        (n, open(os.path.join(d, n), "rb").read())
        for n in sorted(os.listdir(d))
        if ".udp" in n
    ]


# ------------------------------------------------------------------------------------------
# Message builders.


def socks4(cmd, port, ip, userid=b"", host=None):
    m = bytes([4, cmd]) + struct.pack(">H", port) + bytes(ip) + userid + b"\0"
    if host is not None:
        m += host + b"\0"
    return m


def addr(atyp, body, port):
    if atyp == 3:
        body = bytes([len(body)]) + body
    return bytes([atyp]) + body + struct.pack(">H", port)


def socks5(code, atyp, body, port, ver=5, rsv=0):
    return bytes([ver, code, rsv]) + addr(atyp, body, port)


def greeting(methods):
    return bytes([5, len(methods)]) + bytes(methods)


def userpass(user, pw, ver=1):
    return bytes([ver, len(user)]) + user + bytes([len(pw)]) + pw


def gssapi(mtyp, token):
    return bytes([1, mtyp]) + struct.pack(">H", len(token)) + token


def udp(atyp, body, port, payload, frag=0, rsv=0):
    return struct.pack(">H", rsv) + bytes([frag]) + addr(atyp, body, port) + payload


LOCALHOST4 = bytes([127, 0, 0, 1])
V6_LOOP = bytes(15) + b"\x01"
V6_DOC = h("20010db8000000000000000000000001")

# ------------------------------------------------------------------------------------------
# Fixtures per message.

V4_REQUESTS = {
    "rfc1928-style-socks4-connect": socks4(1, 80, [192, 0, 2, 1], b"user"),
    "socks4-bind": socks4(2, 6667, [198, 51, 100, 7], b"bob"),
    "socks4-empty-userid": socks4(1, 443, LOCALHOST4),
    "socks4-dstip-zero": socks4(1, 80, [0, 0, 0, 0]),
    "socks4a-hostname": socks4(1, 443, [0, 0, 0, 1], b"", b"example.com"),
    "socks4a-userid-and-hostname": socks4(1, 80, [0, 0, 0, 255], b"anonymous", b"www.torproject.org"),
    "socks4a-empty-hostname": socks4(1, 80, [0, 0, 0, 1], b"", b""),
    "socks4a-long-hostname": socks4(1, 80, [0, 0, 0, 1], b"", b"h" * 300),
    "socks4a-non-utf8-hostname": socks4(1, 80, [0, 0, 0, 1], b"", b"\xff\xfe.onion"),
    "tor-socks4a-resolve": socks4(0xF0, 0, [0, 0, 0, 1], b"", b"torproject.org"),
    "tor-socks4-resolve-ptr": socks4(0xF1, 0, [192, 0, 2, 1]),
    "socks4-unknown-command": socks4(0x7F, 1, LOCALHOST4),
    "socks4-long-userid": socks4(1, 80, LOCALHOST4, b"u" * 600),
    "socks4-trailing": socks4(1, 80, LOCALHOST4) + b"GET / HTTP/1.0\r\n",
    "socks4-no-nul": socks4(1, 80, LOCALHOST4, b"abc")[:-1],
    "socks4a-no-host-nul": socks4(1, 80, [0, 0, 0, 1], b"", b"abc")[:-1],
    "socks4-truncated-header": socks4(1, 80, LOCALHOST4)[:5],
}

V4_REPLIES = {
    "socks4-granted": h("005a 0050 c0000201"),
    "socks4-rejected": h("005b 0000 00000000"),
    "socks4-no-identd": h("005c 0000 00000000"),
    "socks4-identd-mismatch": h("005d 0000 00000000"),
    "socks4-reply-vn4": h("045a 0000 00000000"),
    "socks4-unknown-code": h("00ff 1234 01020304"),
    "socks4-truncated": h("005a 00"),
    "socks4-reply-trailing": h("005a 0000 7f000005") + b"HTTP/1.0 200 OK\r\n",
}

GREETINGS = {
    "rfc1928-noauth": greeting([0]),
    "rfc1928-gssapi-userpass-noauth": greeting([0, 1, 2]),
    "no-methods": greeting([]),
    "all-255-methods": greeting(range(255)),
    "no-acceptable": greeting([0xFF]),
    "private-methods": greeting([0x80, 0xFE, 0x03, 0x09]),
    "truncated": h("0503 00"),
    "wrong-version": h("0401 00"),
}

METHOD_CHOICES = {
    f"method-{m:02x}": bytes([5, m]) for m in (0x00, 0x01, 0x02, 0x03, 0x80, 0xFE, 0xFF)
}
METHOD_CHOICES["wrong-version"] = h("0400")
METHOD_CHOICES["truncated"] = h("05")

V5_REQUESTS = {
    "rfc1928-connect-ipv4": socks5(1, 1, bytes([192, 0, 2, 1]), 80),
    "rfc1928-connect-domain": socks5(1, 3, b"example.com", 443),
    "rfc1928-connect-ipv6": socks5(1, 4, V6_DOC, 443),
    "rfc1928-bind": socks5(2, 1, bytes(4), 0),
    "rfc1928-udp-associate": socks5(3, 1, LOCALHOST4, 40000),
    "tor-resolve": socks5(0xF0, 3, b"torproject.org", 0),
    "tor-resolve-ptr": socks5(0xF1, 1, bytes([192, 0, 2, 1]), 0),
    "tor-resolve-ptr-ipv6": socks5(0xF1, 4, V6_LOOP, 0),
    "domain-empty": socks5(1, 3, b"", 80),
    "domain-255": socks5(1, 3, b"d" * 255, 80),
    "domain-nul": socks5(1, 3, b"a\0b", 80),
    "domain-non-utf8": socks5(1, 3, b"\xc3\x28", 80),
    "rsv-nonzero": socks5(1, 1, LOCALHOST4, 80, rsv=0x55),
    "atyp-0": h("0501 00 00 00000000 0050"),
    "atyp-unknown": h("0501 00 05 7f000001 0050"),
    "unknown-command": socks5(0x7F, 1, LOCALHOST4, 80),
    "wrong-version": socks5(1, 1, LOCALHOST4, 80, ver=4),
    # Shapes that crashed other parsers: ATYP=3 cut before the port, or inside the name.
    "truncated-domain-no-port": h("0501 00 03 01 61"),
    "truncated-domain": h("0501 00 03 09 6c6f63"),
    "truncated-ipv6": socks5(1, 4, V6_DOC, 443)[:12],
    "trailing": socks5(1, 1, LOCALHOST4, 80) + b"GET / HTTP/1.0\r\n",
}

V5_REPLIES = {
    "rfc1928-succeeded-ipv4": socks5(0, 1, bytes([198, 51, 100, 7]), 8080),
    "rfc1928-succeeded-domain": socks5(0, 3, b"relay.example", 1080),
    "rfc1928-succeeded-ipv6": socks5(0, 4, V6_DOC, 1080),
    # C Tor's error reply: ATYP 0 and six zero bytes.
    "ctor-atyp0-error": h("0504 00 00 00000000 0000"),
    "truncated-domain-no-port": h("0500 00 03 01 61"),
    "truncated-ipv4": h("0500 00 01 7f00"),
    "trailing": socks5(0, 1, LOCALHOST4, 80) + b"HTTP/1.0 200 OK\r\n",
}
for rep in range(1, 9):
    V5_REPLIES[f"rfc1928-rep-{rep:02x}"] = socks5(rep, 1, bytes(4), 0)
# Tor's extended error codes (prop304 / ExtendedErrors).
for rep in range(0xF0, 0xF8):
    V5_REPLIES[f"tor-extended-rep-{rep:02x}"] = socks5(rep, 1, bytes(4), 0)
# Unknown REP codes (fast-socks5 panicked on these).
for rep in (0x09, 0x0A, 0x7F, 0x80, 0xEF, 0xF8, 0xFF):
    V5_REPLIES[f"unknown-rep-{rep:02x}"] = socks5(rep, 1, bytes(4), 0)

USERPASS_REQUESTS = {
    "rfc1929-alice": userpass(b"alice", b"s3cret"),
    "empty-user-and-password": userpass(b"", b""),
    "max-lengths": userpass(b"u" * 255, b"p" * 255),
    "tor-extended-auth": userpass(b"<torS0X>0", b"isolation-token"),
    "tor-extended-auth-rpc": userpass(b"<torS0X>1", b"rpc-object-id"),
    "non-utf8": userpass(b"\xff\x00\xfe", b"\x00"),
    "wrong-version": userpass(b"alice", b"pw", ver=5),
    "truncated-password": userpass(b"alice", b"s3cret")[:-2],
    "truncated-after-user": userpass(b"alice", b"")[:-1],
}

USERPASS_REPLIES = {
    "rfc1929-success": h("0100"),
    "rfc1929-failure": h("0101"),
    "microsocks-failure-02": h("0102"),
    "failure-ff": h("01ff"),
    "wrong-version-05": h("0500"),
    "truncated": h("01"),
}

GSSAPI = {
    "rfc1961-auth-token": gssapi(1, b"\x60\x28\x06\x09\x2a\x86\x48\x86\xf7\x12\x01\x02\x02" + bytes(8)),
    "rfc1961-protection-level": gssapi(2, b"\x01"),
    "rfc1961-encapsulated": gssapi(3, b"wrapped-payload"),
    "rfc1961-abort": h("01ff"),
    "empty-token": gssapi(1, b""),
    "token-over-limit": h("0101 ffff") + bytes(64),
    "unknown-mtyp": gssapi(0x42, b"x"),
    "wrong-version": h("0501 0001 00"),
    "truncated-length": h("0101 00"),
    "truncated-token": h("0101 0010 0102"),
}

ADDRS = {
    "ipv4": addr(1, LOCALHOST4, 8080),
    "domain": addr(3, b"localhost", 18080),
    "ipv6": addr(4, V6_LOOP, 18081),
    "domain-empty": addr(3, b"", 0),
    "domain-255": addr(3, b"x" * 255, 65535),
    "atyp-0": h("00 00000000 0000"),
    "atyp-unknown": h("02 7f000001 0050"),
    "truncated-domain-no-port": h("03 01 61"),
    "truncated-ipv6": addr(4, V6_LOOP, 1)[:9],
    "trailing": addr(1, LOCALHOST4, 80) + b"rest",
}

UDP = {
    "rfc1928-ipv4": udp(1, LOCALHOST4, 53, b"dns-query"),
    "rfc1928-domain": udp(3, b"example.com", 53, b"payload"),
    "rfc1928-ipv6": udp(4, V6_DOC, 4500, b"\x00\x01\x02"),
    "fragment": udp(1, LOCALHOST4, 53, b"frag", frag=0x81),
    "rsv-nonzero": udp(1, LOCALHOST4, 53, b"x", rsv=0xBEEF),
    "empty-payload": udp(1, LOCALHOST4, 53, b""),
    "atyp-unknown": h("0000 00 07 7f000001 0035") + b"x",
    "truncated-domain-no-port": h("0000 00 03 01 61"),
    "truncated-header": h("0000"),
}

# ------------------------------------------------------------------------------------------
# client_handshake and roundtrip read their input with `arbitrary`: lengths come from the
# end of the data (one byte while at most 256 bytes are left), everything else from the front,
# integers little-endian.


def client_seed(precise, optimistic, chunk_seed, v5, cmd, name, addr_kind, addr_val, port, user, server):
    if addr_kind == 0:
        ip = b""
    elif addr_kind == 1:
        ip = struct.pack("<I", int.from_bytes(addr_val, "big"))
    else:
        ip = int.from_bytes(addr_val, "big").to_bytes(16, "little")
    front = bytes([precise, optimistic, chunk_seed, v5, cmd]) + name + bytes([addr_kind]) + ip
    front += struct.pack("<H", port) + user + server
    data = front + bytes([len(user), len(name)])
    assert len(data) - 5 <= 256, "one-byte arbitrary lengths only"
    return data


def client_seeds(caps):
    out = {}
    v5_ok = h("0500") + socks5(0, 1, bytes([198, 51, 100, 7]), 443)
    server_streams = {
        "v5-noauth-ok": v5_ok,
        "v5-noauth-ok-pipelined": v5_ok + b"HTTP/1.0 200 OK\r\n",
        "v5-userpass-ok": h("0502 0100") + socks5(0, 1, bytes(4), 0),
        "v5-userpass-rejected": h("0502 0101"),
        "v5-no-acceptable": h("05ff"),
        "v5-gssapi-chosen": h("0501"),
        "v5-ctor-atyp0": h("0500") + h("0504 00 00 00000000 0000"),
        "v5-domain-reply": h("0500") + socks5(0, 3, b"relay.example", 1080),
        "v5-ipv6-reply": h("0500") + socks5(0, 4, V6_DOC, 1080),
        "v5-unknown-rep": h("0500") + socks5(0x42, 1, bytes(4), 0),
        "v5-extended-rep": h("0500") + socks5(0xF6, 1, bytes(4), 0),
        "v5-truncated-reply": h("0500 0500 0003 0161"),
        "v4-granted": h("005a 0000 7f000005"),
        "v4-rejected": h("005b 0000 00000000"),
        "v4-vn4": h("045a 0000 00000000"),
    }
    # Real servers' answers from the captures.
    for name, c in sorted(caps.items()):
        if c["s2c"]:
            server_streams[f"capture-{name}"] = b"".join(c["s2c"])
    host = b"example.com"
    ip4 = bytes([192, 0, 2, 1])
    requests = [
        # (label, version byte (odd = V5), cmd, name, addr kind, addr, port, user)
        ("v5-connect-host", 1, 0x01, host, 0, b"", 443, b""),
        ("v5-connect-ipv4", 1, 0x01, b"", 1, ip4, 80, b""),
        ("v5-connect-ipv6", 1, 0x01, b"", 2, V6_DOC, 443, b""),
        ("v5-connect-userpass", 1, 0x01, host, 0, b"", 443, b"alice"),
        ("v5-resolve", 1, 0xF0, b"torproject.org", 0, b"", 0, b""),
        ("v5-resolve-ptr", 1, 0xF1, b"", 1, ip4, 0, b""),
        ("v4-connect-ipv4", 0, 0x01, b"", 1, ip4, 80, b""),
        ("v4a-connect-host", 0, 0x01, host, 0, b"", 443, b"anonymous"),
        ("v4a-resolve", 0, 0xF0, b"127.0.0.5", 0, b"", 0, b""),
        ("v4-connect-ipv6-unrepresentable", 0, 0x01, b"", 2, V6_DOC, 443, b""),
    ]
    pairs = {
        1: ["v5-noauth-ok", "v5-noauth-ok-pipelined", "v5-no-acceptable", "v5-gssapi-chosen",
            "v5-ctor-atyp0", "v5-domain-reply", "v5-ipv6-reply", "v5-unknown-rep",
            "v5-extended-rep", "v5-truncated-reply",
            "capture-socks5_connect_domain_curl_dante", "capture-tor_resolve_error_socks5_python_tor",
            "capture-tor_resolve_ipv6_socks5_python_tor"],
        0: ["v4-granted", "v4-rejected", "v4-vn4", "capture-socks4_connect_curl_dante",
            "capture-tor_resolve_socks4a_torresolve_tor"],
    }
    userpass_servers = ["v5-userpass-ok", "v5-userpass-rejected",
                        "capture-socks5_userpass_ok_curl_microsocks",
                        "capture-socks5_userpass_badpass_curl_microsocks",
                        "capture-socks5_connect_refused_curl_microsocks"]
    i = 0
    for r, (label, v5, cmd, name, kind, val, port, user) in enumerate(requests):
        servers = userpass_servers if (v5 and user) else pairs[v5]
        # Four servers per request, in turn, to stay small.
        for s in (servers * 2)[r % len(servers):][:4]:
            precise, optimistic = i & 1, (i >> 1) & 1
            out[f"{label}--{s}"] = client_seed(precise, optimistic, (i * 37) & 0xFF, v5, cmd, name,
                                               kind, val, port, user, server_streams[s])
            i += 1
    return out


def roundtrip_seeds():
    """A seed per AnyMessage variant and byte pattern: the variant index is picked by
    `(u32 * 11) >> 32`, the fields then read the pattern."""
    variants = ["socks4_request", "socks4_reply", "socks5_greeting", "socks5_method_choice",
                "socks5_request", "socks5_reply", "userpass_request", "userpass_reply",
                "gssapi_message", "socks5_udp_header", "socks5_udp_datagram"]
    patterns = {
        "zeros": bytes(24),
        "counting": bytes(range(1, 41)),
        "ascii": b"\x01\x00\x00\x01example.com\x00\x50\x7f\x00\x00\x01" + b"\x0b",
        "ones": b"\x01" * 16,
        "mixed": h("f0 00 03 00 bb 01 05 09 6c 6f 63 61 6c 68 6f 73 74 46 a0 04"),
    }
    out = {}
    for i, v in enumerate(variants):
        sel = -(-(i << 32) // len(variants))
        assert (sel * len(variants)) >> 32 == i and sel < 1 << 32
        for pname, p in patterns.items():
            out[f"{v}-{pname}"] = struct.pack("<I", sel) + p
    return out


def connect_seeds():
    """blocking_connect: mode byte (request kind, optimistic, precise), chunk seed, then the
    proxy's bytes: successes with and without a server-first banner behind the reply,
    refusals, a refused method, and a close mid-reply."""
    banner = b"SSH-2.0-OpenSSH_9.2p1\r\n"
    v5_ok = bytes([5, 0, 0, 1, 192, 0, 2, 1, 1, 187])
    v5_refused = bytes([5, 5, 0, 1, 0, 0, 0, 0, 0, 0])
    v4_ok = bytes([0, 0x5A, 1, 187, 192, 0, 2, 1])
    v4_rejected = bytes([0, 0x5B, 0, 0, 0, 0, 0, 0])
    out = {}
    for mode, kind in [(0x00, "v5-host"), (0x01, "v5-ipv4"), (0x04, "v5-host-optimistic"),
                       (0x80, "v5-host-precise")]:
        out[f"{kind}-ok"] = bytes([mode, 0]) + b"\x05\x00" + v5_ok
        out[f"{kind}-ok-banner"] = bytes([mode, 0x63]) + b"\x05\x00" + v5_ok + banner
        out[f"{kind}-refused"] = bytes([mode, 5]) + b"\x05\x00" + v5_refused
    out["v5-host-no-method"] = bytes([0, 0]) + b"\x05\xff"
    out["v5-host-closed-mid-reply"] = bytes([0, 1]) + b"\x05\x00" + v5_ok[:6]
    out["v5-host-domain-reply"] = bytes([0, 0xA7]) + b"\x05\x00\x05\x00\x00\x03\x03abc\x01\xbb"
    for mode, kind in [(0x02, "v4-ipv4"), (0x03, "v4a-host"), (0x83, "v4a-host-precise")]:
        out[f"{kind}-ok"] = bytes([mode, 0]) + v4_ok
        out[f"{kind}-ok-banner"] = bytes([mode, 0x10]) + v4_ok + banner
        out[f"{kind}-rejected"] = bytes([mode, 1]) + v4_rejected
    return out


# ------------------------------------------------------------------------------------------


def main():
    caps = read_captures()
    socks = {n: c for n, c in caps.items() if c["c2s"]}
    seeds = {t: {} for t in TARGETS}

    def add(target, name, data):
        """Adds a seed unless the target already has those bytes (captures repeat)."""
        assert name not in seeds[target], (target, name)
        if data not in seeds[target].values():
            seeds[target][name] = data

    for n, c in sorted(socks.items()):
        c2s, s2c = c["c2s"], c["s2c"]
        if c2s[0][0] == 4:
            add("parse_socks4_request", f"capture-{n}", c2s[0])
            add("parse_socks4_reply", f"capture-{n}", s2c[0])
            continue
        add("parse_socks5_greeting", f"capture-{n}", c2s[0])
        add("parse_socks5_method_choice", f"capture-{n}", s2c[0])
        rest_c, rest_s = c2s[1:], s2c[1:]
        if rest_c and rest_c[0][0] == 1:
            add("parse_userpass_request", f"capture-{n}", rest_c[0])
            add("parse_userpass_reply", f"capture-{n}", rest_s[0])
            rest_c, rest_s = rest_c[1:], rest_s[1:]
        if rest_c:
            add("parse_socks5_request", f"capture-{n}", rest_c[0])
            add("parse_socks5_addr", f"capture-{n}-dst", rest_c[0][3:])
        for k, r in enumerate(rest_s):
            add("parse_socks5_reply", f"capture-{n}-{k}", r)
            add("parse_socks5_addr", f"capture-{n}-bnd{k}", r[3:])

    for n, dg in udp_datagrams():
        base = n.replace(".bin", "")
        add("parse_socks5_udp_header", f"capture-{base}", dg)
        add("parse_socks5_udp_datagram", f"capture-{base}", dg)

    for target, table in [
        ("parse_socks4_request", V4_REQUESTS),
        ("parse_socks4_reply", V4_REPLIES),
        ("parse_socks5_greeting", GREETINGS),
        ("parse_socks5_method_choice", METHOD_CHOICES),
        ("parse_socks5_request", V5_REQUESTS),
        ("parse_socks5_reply", V5_REPLIES),
        ("parse_userpass_request", USERPASS_REQUESTS),
        ("parse_userpass_reply", USERPASS_REPLIES),
        ("parse_gssapi_message", GSSAPI),
        ("parse_socks5_addr", ADDRS),
        ("parse_socks5_udp_header", UDP),
        ("parse_socks5_udp_datagram", UDP),
    ]:
        for name, data in table.items():
            add(target, name, data)

    # The message-length functions take what their parsers take.
    for target, parser in LEN_TARGETS.items():
        for name, data in seeds[parser].items():
            add(target, name, data)

    # prop351 usernames: a length byte, the username, then the password.
    for name, (user, pw) in EXTENDED_AUTH.items():
        add("parse_extended_auth", name, bytes([len(user)]) + user + pw)

    # Hostnames for SocksHostname::check: each of its answers, and both of its paths.
    for name, data in HOSTNAMES.items():
        add("socks_hostname_check", name, data)

    # Whole client streams for the proxy drivers: the handshake plus a little payload.
    streams = {}
    for n, c in sorted(caps.items()):
        whole = stream(n, "c2s")
        keep = sum(len(m) for m in c["c2s"]) + PAYLOAD_KEEP
        streams[f"capture-{n}"] = whole[:keep] if c["c2s"] else whole[:40]
    fixtures = {
        "socks4a-resolve": V4_REQUESTS["tor-socks4a-resolve"],
        "socks4a-long-hostname": V4_REQUESTS["socks4a-long-hostname"],
        "socks4-long-userid": socks4(1, 80, LOCALHOST4, b"u" * 1100),
        "socks4-dstip-zero": V4_REQUESTS["socks4-dstip-zero"],
        "v5-resolve-ptr": greeting([0]) + V5_REQUESTS["tor-resolve-ptr"],
        "v5-userpass": greeting([2]) + userpass(b"alice", b"s3cret") + V5_REQUESTS["rfc1928-connect-domain"],
        "v5-tor-extended-auth": greeting([0, 2]) + userpass(b"<torS0X>0", b"iso") + V5_REQUESTS["tor-resolve"],
        "v5-no-acceptable": greeting([0x01, 0x80]),
        "v5-bind": greeting([0]) + V5_REQUESTS["rfc1928-bind"],
        "v5-udp-associate": greeting([0]) + V5_REQUESTS["rfc1928-udp-associate"],
        "v5-atyp0": greeting([0]) + V5_REQUESTS["atyp-0"],
        "v5-truncated-domain": greeting([0]) + V5_REQUESTS["truncated-domain-no-port"],
        "v5-domain-non-utf8": greeting([0]) + V5_REQUESTS["domain-non-utf8"],
        "v5-connect-port0": greeting([0]) + socks5(1, 3, b"example.com", 0),
        "http-get": b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        "http-connect": b"CONNECT example.com:443 HTTP/1.1\r\n\r\n",
    }
    streams.update(fixtures)
    # Mode byte: bit 7 = precise reads, value % 3 = profile (0 Arti, 1 C Tor, 2 RFC 1928), so
    # 0x81 is Arti, 0x82 C Tor and 0x83 RFC 1928 with precise reads. Each stream gets the Arti
    # profile with plain reads, and one of the others in turn.
    others = [(0x81, 0x05), (0x01, 0x63), (0x83, 0xA7), (0x82, 0x01), (0x02, 0x10)]
    for k, (name, data) in enumerate(streams.items()):
        add("differential_proxy_handshake", name, data)
        for mode, chunk in [(0x00, 0x00), others[k % len(others)]]:
            add("proxy_handshake", f"{name}--mode{mode:02x}-chunk{chunk:02x}", bytes([mode, chunk]) + data)
            # The socket adapter reads the same layout.
            add("blocking_accept", f"{name}--mode{mode:02x}-chunk{chunk:02x}", bytes([mode, chunk]) + data)

    for name, data in client_seeds(caps).items():
        add("client_handshake", name, data)
    for name, data in connect_seeds().items():
        add("blocking_connect", name, data)
    for name, data in roundtrip_seeds().items():
        add("roundtrip", name, data)
    # dissect: two bytes saying where the client stream ends, a chunking seed, then the client
    # stream and the server stream of each captured conversation (handshake plus 16 bytes).
    for k, (name, c) in enumerate(sorted(caps.items())):
        client = b"".join(c["c2s"]) + b"P" * 16
        server = b"".join(c["s2c"]) + b"Q" * 16
        cut = len(client).to_bytes(2, "little")
        add("dissect", name, cut + bytes([k * 37 % 256]) + client + server)
        # The dissector's other raw-bytes bodies read the same layout.
        for target in ("owned_events", "transactions", "dissector_state"):
            add(target, name, cut + bytes([k * 37 % 256]) + client + server)
    # The tokio adapters read the blocking adapters' layouts.
    for name, data in seeds["blocking_accept"].items():
        add("tokio_accept", name, data)
    for name, data in seeds["blocking_connect"].items():
        add("tokio_connect", name, data)
    for name, data in udp_reassembler_seeds().items():
        add("udp_reassembler", name, data)
    for name, data in udp_relay_datagram_seeds().items():
        add("udp_relay_datagram", name, data)
    # dissect_conversation decodes its input with `arbitrary`, so any bytes are a conversation:
    # deterministic pseudo-random inputs of assorted lengths.
    rng = random.Random(18)
    for k in range(24):
        add("dissect_conversation", f"random-{k:02}", bytes(rng.randrange(256) for _ in range(16 + 16 * k)))

    ffi_seeds(caps, seeds, add)
    dropin_seeds(caps, seeds, add)

    total = files = 0
    for target, table in seeds.items():
        assert table, f"no seeds for {target}"
        d = os.path.join(SEEDS, target)
        # Only the targets written here (probe's seeds are kept by hand).
        if os.path.isdir(d):
            shutil.rmtree(d)
        os.makedirs(d)
        for name, data in sorted(table.items()):
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
            total += len(data)
            files += 1
        print(f"{target:32} {len(table):4} seeds {sum(map(len, table.values())):7} bytes")
    print(f"{'total':32} {files:4} seeds {total:7} bytes")
    assert total < 1 << 20


def udp_reassembler_seeds():
    """Datagram sequences for UdpReassembler::push, each datagram as a length byte and its
    bytes: whole datagrams, a fragment series in order, one out of order, one too long for the
    64-byte queue, and a malformed datagram between fragments."""
    def dg(frag, payload, atyp=1, body=bytes([127, 0, 0, 1]), port=53):
        d = udp(atyp, body, port, payload, frag=frag)
        return bytes([len(d)]) + d
    return {
        "whole": dg(0, b"query") + dg(0, b"again"),
        "fragments-in-order": dg(1, b"aa") + dg(2, b"bb") + dg(0x83, b"cc") + dg(0, b"whole"),
        "fragments-restart": dg(1, b"aa") + dg(0x81, b"new") + dg(1, b"x") + dg(0x82, b"y"),
        "fragment-out-of-order": dg(2, b"bb") + dg(1, b"aa") + dg(0x82, b"bb"),
        "fragment-backwards": dg(1, b"a") + dg(3, b"c") + dg(0x82, b"b"),
        "fragments-overflow": dg(1, b"x" * 40) + dg(0x82, b"y" * 40),
        "fragment-domain": dg(1, b"ab", atyp=3, body=b"\x09localhost") + dg(0x82, b"cd", atyp=3, body=b"\x09localhost"),
        "malformed-between": dg(1, b"aa") + b"\x03\x00\x00\x01" + dg(0x82, b"bb"),
        "last-at-zero": dg(0x80, b"zz") + dg(0, b"ok"),
    }


def udp_relay_datagram_seeds():
    """Datagram sequences for UdpRelay::datagram (src/fuzz_support/udp_relay.rs): the
    client's address (b0: 0 = 127.0.0.1, 1 = ::ffff:127.0.0.1, 3 = 10.0.0.1) and request port
    (b1: 0 = not known, 1 = 5000, 2 = 5001), then per datagram a control byte (sender: bits
    0-2, same table plus 2 = ::1, 4 = ::127.0.0.1, 5 = 192.0.2.7, 7 = 2001:db8::1; port: bits 3-4,
    5000/5001/5002/53; bit 5: a host the client has sent to), a length byte and the bytes."""
    def c(sender, port, known=False):
        return sender | port << 3 | (0x20 if known else 0)

    def dg(ctl, frag, payload, atyp=1, body=bytes([192, 0, 2, 7]), port=53):
        d = udp(atyp, body, port, payload, frag=frag)
        return bytes([ctl, len(d)]) + d

    def raw(ctl, data):
        return bytes([ctl, len(data)]) + data
    client = c(0, 0)
    return {
        # Request port 5000: whole datagrams out, the answer back, a stranger dropped.
        "whole-and-answer": b"\x00\x01" + dg(client, 0, b"query") + raw(c(5, 3, True), b"answer")
        + raw(c(3, 3), b"stranger"),
        # Port 0: the first datagram fixes the port; the same IP on another port is a stranger.
        "port-fixed-by-first": b"\x00\x00" + dg(c(0, 1), 0, b"first") + dg(c(0, 2), 0, b"other")
        + dg(c(0, 1), 0, b"again"),
        # The client's IPv4 address arriving as IPv4-mapped IPv6, and IPv4-compatible.
        "mapped-client": b"\x00\x01" + dg(c(1, 0), 0, b"m") + dg(c(4, 0), 0, b"c")
        + raw(c(1, 0, True), b"\x00"),
        # Fragments, one injected by a stranger in between, which must not reach the queue.
        "fragments-stranger-between": b"\x00\x01" + dg(client, 1, b"aa") + dg(c(5, 3), 2, b"XX")
        + dg(client, 2, b"bb") + dg(client, 0x83, b"cc", atyp=3, body=b"\x09localhost"),
        "fragments-out-of-order": b"\x00\x01" + dg(client, 2, b"bb") + dg(client, 1, b"aa")
        + dg(client, 0x82, b"bb"),
        "fragments-overflow": b"\x00\x01" + dg(client, 1, b"x" * 40) + dg(client, 0x82, b"y" * 40),
        # Destinations: IPv6, a hostname, a hostname that is not UTF-8, a malformed header.
        "destinations": b"\x00\x01" + dg(client, 0, b"6", atyp=4, body=V6_DOC)
        + dg(client, 0, b"n", atyp=3, body=b"\x0bexample.com")
        + dg(client, 0, b"x", atyp=3, body=b"\x02\xff\xfe") + raw(client, b"\x00\x00\x00\x01\x7f")
        + raw(client, b"\x00\x00\x00\x07\x00"),
        # Answers before the client's port is known are dropped; IPv6 senders named as such.
        "answers-before-client": b"\x00\x00" + raw(c(7, 3, True), b"early") + dg(c(0, 0), 0, b"q")
        + raw(c(7, 3, True), b"late") + raw(c(2, 3, True), b"v6"),
        # A client behind 10.0.0.1; 127.0.0.1 is a stranger then.
        "other-client": b"\x03\x02" + dg(c(6, 1), 0, b"mapped") + dg(c(0, 1), 0, b"not-client"),
    }


# SocksHostname::check: plain ASCII (the fast path), other UTF-8, and each refusal.
HOSTNAMES = {
    "ascii": b"example.com",
    "empty": b"",
    "utf8": "b\u00fccher.example".encode(),
    "nul": b"exa\x00mple.com",
    "not-utf8": b"exa\xffmple.com",
    "del-byte": b"exa\x7fmple.com",
    "max-len": b"a" * 255,
    "too-long": b"a" * 256,
    "too-long-utf8": "\u00e9".encode() * 128,
}


# prop351 (Tor's socks-extensions.txt, "Extended authentication"): every rule, both ways.
EXTENDED_AUTH = {
    "legacy-isolation": (b"alice", b"s3cret"),
    "format0-isolation": (b"<torS0X>0", b"iso-1"),
    "format0-empty-password": (b"<torS0X>0", b""),
    "format0-trailing": (b"<torS0X>0x", b"iso"),
    "format1-object": (b"<torS0X>1rpc-obj-7", b"iso"),
    "format1-empty-object": (b"<torS0X>1", b"iso"),
    "format1-non-utf8": (b"<torS0X>1\xff\xfe", b"iso"),
    "missing-format": (b"<torS0X>", b"iso"),
    "unknown-format": (b"<torS0X>2", b"iso"),
    "prefix-cut": (b"<torS0", b"X>0"),
}


def ffi_seeds(caps, seeds, add):
    """The C API's targets (sockswire-ffi, bodies in ffi/src/fuzz_support.rs)."""
    parsers = [
        "parse_socks4_request", "parse_socks4_reply", "parse_socks5_greeting",
        "parse_socks5_method_choice", "parse_socks5_request", "parse_socks5_reply",
        "parse_userpass_request", "parse_userpass_reply", "parse_gssapi_message",
        "parse_socks5_udp_datagram",
    ]
    # ffi_parse_message: a byte choosing the parser, then that parser's seeds.
    for i, target in enumerate(parsers):
        for name, data in sorted(seeds[target].items())[:12]:
            add("ffi_parse_message", f"{target}-{name}", bytes([i]) + data)
    for k, (name, c) in enumerate(sorted(caps.items())):
        # ffi_dissector_feed: a script of calls, one byte each (length << 3 | call << 1 | dir)
        # then the segment: the two sides' messages alternately, in pieces of at most 31
        # bytes, then a finish of each direction.
        script = bytes([k & 1])
        c2s, s2c = c["c2s"], c["s2c"]
        for i in range(max(len(c2s), len(s2c))):
            for d, msgs in ((0, c2s), (1, s2c)):
                if i < len(msgs):
                    m = msgs[i]
                    for j in range(0, len(m), 31):
                        piece = m[j:j + 31]
                        script += bytes([len(piece) << 3 | d]) + piece
        script += bytes([1 << 3 | 2 << 1 | 0, 0, 1 << 3 | 2 << 1 | 1, 0])
        add("ffi_dissector_feed", name, script)
        # ffi_probe: where the first direction ends, then both first messages.
        if c2s and s2c:
            add("ffi_probe", name, bytes([min(len(c2s[0]), 255)]) + c2s[0] + s2c[0])
    # ffi_code_name: set, code, buffer size, address kind, port byte, name bytes.
    for i, data in enumerate([
        b"\x01\xf0\x40\x03\x50example.com",
        b"\x02\xf6\x08\x04\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01",
        b"\x03\x02\x40\x01\x00\x7f\x00\x00\x01",
        b"\x04\x5b\x40\x05\x00\x00\x00\x00\x00",
        b"\x07\x09\x02\x03\x01ex\x01",
    ]):
        add("ffi_code_name", f"fixture-{i}", data)


def dropin_seeds(caps, seeds, add):
    """The drop-in's targets (compat/tor-socksproto/tests/support/dropin_fuzz.rs): a mode byte
    (bits 0-1 bytes per read, bit 2 precise, bit 3 the deprecated API too), then for the proxy
    the client's bytes (the proxy_handshake streams), for the client a request pick and the
    server's bytes (each capture's server stream, with the pick of the same version and auth:
    0 SOCKS5 no auth, 1 SOCKS5 user/pass, 4 SOCKS4)."""
    modes = [0x00, 0x0C, 0x05, 0x0E, 0x07, 0x09, 0x06, 0x0B]
    for k, (name, data) in enumerate(sorted(seeds["differential_proxy_handshake"].items())):
        add("dropin_proxy_handshake", f"{name}--mode{modes[k % 8]:02x}", bytes([modes[k % 8]]) + data)
        add("dropin_proxy_handshake", f"{name}--mode04", bytes([0x04]) + data)
    k = 0
    for n, c in sorted(caps.items()):
        if not c["c2s"] or not c["s2c"]:
            continue
        first = c["c2s"][0]
        if first[0] == 4:
            pick = 4
        elif len(c["c2s"]) > 1 and c["c2s"][1][:1] == b"\x01":
            pick = 1
        else:
            pick = 0
        server = b"".join(c["s2c"]) + b"Q" * 8
        for mode in (modes[k % 8], 0x04):
            add("dropin_client_handshake", f"capture-{n}--mode{mode:02x}", bytes([mode, pick]) + server)
        k += 1
    fixtures = {
        "v5-granted": (0, b"\x05\x00" + socks5(0, 1, bytes([192, 0, 2, 9]), 4321)),
        "v5-userpass-granted": (1, b"\x05\x02\x01\x00" + socks5(0, 1, bytes([192, 0, 2, 9]), 4321)),
        "v5-userpass-refused": (1, b"\x05\x02\x01\x01"),
        "v5-no-acceptable": (0, b"\x05\xff"),
        "v5-resolve-answer": (2, b"\x05\x00" + socks5(0, 1, bytes([93, 184, 216, 34]), 0)),
        "v5-resolve-ptr-answer": (3, b"\x05\x00" + socks5(0, 3, b"example.com", 0)),
        "v5-ctor-atyp0-failure": (2, b"\x05\x00\x05\x04\x00\x00\x00\x00\x00\x00\x00\x00"),
        "v5-extended-error": (0, b"\x05\x00" + socks5(0xF6, 1, bytes(4), 0)),
        "v4-granted": (4, b"\x00\x5a\x00\x50\xc6\x33\x64\x07"),
        "v4-vn4-granted": (4, b"\x04\x5a\x00\x50\xc6\x33\x64\x07"),
        "v4a-rejected": (5, b"\x00\x5b\x00\x00\x00\x00\x00\x00"),
        "v5-wrong-version": (0, b"\x04\x00"),
        "v5-pipelined-banner": (0, b"\x05\x00" + socks5(0, 1, bytes(4), 0) + b"SSH-2.0-x\r\n"),
    }
    for i, (name, (pick, server)) in enumerate(sorted(fixtures.items())):
        for mode in (modes[i % 8], 0x04, 0x01):
            add("dropin_client_handshake", f"{name}--mode{mode:02x}", bytes([mode, pick]) + server)


# Each wire::frame function, with the parser whose seeds it shares.
LEN_TARGETS = {
    "socks5_greeting_len": "parse_socks5_greeting",
    "socks5_request_len": "parse_socks5_request",
    "socks5_reply_len": "parse_socks5_reply",
    "userpass_request_len": "parse_userpass_request",
}

TARGETS = [
    "ffi_dissector_feed", "ffi_probe", "ffi_parse_message", "ffi_code_name",
    "parse_socks4_request", "parse_socks4_reply", "parse_socks5_greeting",
    "parse_socks5_method_choice", "parse_socks5_request", "parse_socks5_reply",
    "parse_userpass_request", "parse_userpass_reply", "parse_gssapi_message",
    "parse_socks5_udp_header", "parse_socks5_addr", "parse_socks5_udp_datagram",
    "parse_extended_auth", "proxy_handshake", "client_handshake", "roundtrip", "differential_proxy_handshake",
    "dissect", "blocking_accept", "blocking_connect", "owned_events", "transactions",
    "dissector_state", "udp_reassembler", "udp_relay_datagram", "dissect_conversation", "tokio_accept", "tokio_connect",
    "socks_hostname_check", "dropin_proxy_handshake", "dropin_client_handshake",
    *LEN_TARGETS,
]

if __name__ == "__main__":
    main()
