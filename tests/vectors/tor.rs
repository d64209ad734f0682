//! SOCKS4/4a/5 test vectors: Tor C (`test_socks.c`, `proto_socks.c`) and Arti's
//! `tor-socksproto` 0.47.0, plus edge cases from shared/reference/tor-socksproto.md.
//!
//! GENERATED FILE, do not edit by hand. Made by a throwaway generator (a cargo project
//! at /work/scratch/vectors, outside this repository, rustc 1.95.0) that depends on
//! `tor-socksproto = "=0.47.0"` (crates.io, features = ["full"]) and RUNS it on every
//! input. A test there re-reads this file and re-runs every vector, both with all input
//! at once and with one byte per Recv; the outcomes are identical.
//!
//! * `arti` (proxy): `SocksProxyHandshake::new()` and an eager `Buffer::new()` (1024
//!   bytes). All input is copied in at once (unfilled_slice + note_received), and
//!   `step` is called repeatedly. Send: the bytes are appended to `sent`. Recv with no
//!   input left: `NeedMore`. (Over 1024 bytes, more input is copied in on each Recv.)
//!   Finished: `into_output_and_slice()`; `rest` is the slice plus anything not yet
//!   copied in. Err: `kind` is the `tor_socksproto::Error` variant name and `display`
//!   its `Display`. For Decode/NotImplemented/BadProtocol/MessageTooLong the note
//!   ends with the Debug detail, for example
//!   `[arti: Decode(InvalidMessage("unrecognized address type."))]`.
//! * `arti` (client): `SocksClientHandshake::new(request)` with the whole `server`
//!   stream copied into an eager `Buffer::new()` before the first `step`. The driver
//!   is the same as for the proxy. `addr` is always `Some` (the crate always parses
//!   an address).
//! * `REPLIES`: the request is parsed from `request_input` as above, then
//!   `SocksRequest::reply(SocksStatus::from(status), addr)` is called.
//!
//! `ctor` is TRANSCRIBED BY HAND (nothing was run). It comes from Tor C's
//! `src/test/test_socks.c` assertions (torproject/tor GitHub mirror, the
//! 2021-copyright version that has test_socks_truncated and the client/* tests; the
//! code index did not record its commit). For
//! inputs the C tests do not cover, it comes from reading `src/core/proto/proto_socks.c`
//! (2020-copyright version, before prop351) and `src/trunnel/socks5.trunnel` (commit
//! 55055396); it is `None` where the C behaviour could not be determined with
//! confidence. Conventions for `ctor`:
//! * It is the result of C's parser, `fetch_from_buf_socks()`, with the default
//!   options (SafeSocks=0, PreferSOCKSNoAuth=0) unless the note says otherwise. What
//!   the connection layer (connection_edge.c) decides later is in the note only, for
//!   example "port 0 rejected later". It also sends a default error reply when the
//!   parser wrote none: `00 5B 00 00 00 00 00 00` for v4, `05 01 00 01 00 00 00 00 00
//!   00` for v5, and nothing if the version is unknown.
//! * `sent` concatenates the reply of every message, as if each message were fed in
//!   its own call. A C quirk: when several messages arrive in ONE call, `socks->reply`
//!   is overwritten and only the last reply goes out. test_socks.c's `replylen`
//!   assertions show this.
//! * `Error.kind` is "reject" (fetch_from_buf_socks returned -1). `display` is C's log
//!   message or the reason. `sent` holds the replies written before and at rejection:
//!   `05 FF` for no acceptable method, `05 xx 00 01 00000000 0000` from
//!   socks_request_set_socks5_error, or the HTTP 501 page `C_HTTP_501`.
//! * `Finished.req`: C's address is a string. It is typed here from the wire form
//!   (v4 IP or SOCKS5 ATYP 1 as V4, ATYP 4 as V6, hostnames as Host). `auth` is
//!   `UserPass(user, pass)` whenever an RFC1929 message was accepted (empty fields
//!   included), `Socks4(userid)` for a non-empty v4 userid, and otherwise `None`.
//!   `rest` is what stays in the buffer (C forwards it as optimistic data).
//! * ClientVector has no `ctor` field. C's client verdict
//!   (`fetch_from_buf_socks_client`) is in the note as "C: ...".
//!
//! IDs: `C-*` are from test_socks.c, `A-*` from tor-socksproto 0.47.0's own unit tests
//! (proxy.rs, client.rs, msg.rs, handshake.rs roundtrip), and `R-*` are edge cases from
//! the reference file. Its row labels (E01.., T01.., P13, C05..C32) are kept where the
//! reference text ties the label to an input. `R-X-*` (proxy) and `R-C-*` (client) are
//! additional edge cases, and `Y-*` are REPLIES rows.
#![allow(dead_code)]

/// Where a vector came from: "test_socks.c:test_socks_4_supported_commands", "tor-socksproto:proxy.rs:socks5_init_noauth", "reference:E24", ...
pub struct ProxyVector {
    pub id: &'static str,
    pub source: &'static str,
    /// every byte the client sends, concatenated
    pub input: &'static [u8],
    /// recorded by running tor-socksproto 0.47.0
    pub arti: Outcome,
    /// what C tor does, from test_socks.c assertions or proto_socks.c reading; None if unknown
    pub ctor: Option<Outcome>,
    /// one line: what it tests
    pub note: &'static str,
}

pub struct ClientVector {
    pub id: &'static str,
    pub source: &'static str,
    /// what the client was asked to do
    pub request: Req,
    /// every byte the server sends, concatenated
    pub server: &'static [u8],
    pub arti: ClientOutcome,
    pub note: &'static str,
}

pub enum Outcome {
    /// Handshake finished. `sent` = every reply the proxy sent before finishing, concatenated
    Finished {
        sent: &'static [u8],
        req: Req,
        rest: &'static [u8],
    },
    /// Ran out of input and wants more
    NeedMore { sent: &'static [u8] },
    /// Error; `kind` is the Rust variant name ("Syntax", "Decode", "NotImplemented", "BadProtocol", "MessageTooLong", ...) or for C tor a short word ("reject"); `sent` = replies sent before the error (for C tor: the reply bytes it writes on rejection, if any)
    Error {
        sent: &'static [u8],
        kind: &'static str,
        display: &'static str,
    },
}

pub struct Req {
    pub version: u8,
    pub command: u8,
    pub addr: Addr,
    pub port: u16,
    pub auth: Auth,
}

pub enum Addr {
    V4([u8; 4]),
    V6([u8; 16]),
    Host(&'static [u8]),
}

pub enum Auth {
    None,
    Socks4(&'static [u8]),
    UserPass(&'static [u8], &'static [u8]),
}

pub enum ClientOutcome {
    /// `sent` = every byte the client sent; reply fields; rest = bytes left after the reply
    Finished {
        sent: &'static [u8],
        status: u8,
        addr: Option<Addr>,
        port: u16,
        rest: &'static [u8],
    },
    NeedMore {
        sent: &'static [u8],
    },
    Error {
        sent: &'static [u8],
        kind: &'static str,
        display: &'static str,
    },
}

/// `SocksRequest::reply(status, addr)` for the request parsed from `request_input`.
pub struct ReplyVector {
    pub id: &'static str,
    pub request_input: &'static [u8],
    pub status: u8,
    pub addr: Option<Addr>,
    pub reply: &'static [u8],
}

/// C tor's reply to a connection whose first byte is G/H/P/C: SOCKS_PROXY_IS_NOT_AN_HTTP_PROXY_MSG
/// from proto_socks.c, with the trailing NUL that `replylen = strlen(reply)+1` sends too.
pub const C_HTTP_501: &[u8] = b"HTTP/1.0 501 Tor is not an HTTP Proxy\r\n\
Content-Type: text/html; charset=iso-8859-1\r\n\r\n\
<html>\n\
<head>\n\
<title>This is a SOCKS Proxy, Not An HTTP Proxy</title>\n\
</head>\n\
<body>\n\
<h1>This is a SOCKs proxy, not an HTTP proxy.</h1>\n\
<p>\n\
It appears you have configured your web browser to use this Tor port as\n\
an HTTP proxy.\n\
</p><p>\n\
This is not correct: This port is configured as a SOCKS proxy, not\n\
an HTTP proxy. If you need an HTTP proxy tunnel, use the HTTPTunnelPort\n\
configuration option in place of, or in addition to, SOCKSPort.\n\
Please configure your client accordingly.\n\
</p>\n\
<p>\n\
See <a href=\"https://www.torproject.org/documentation.html\">\
https://www.torproject.org/documentation.html</a> for more \
information.\n\
</p>\n\
</body>\n\
</html>\n\0";

pub const PROXY: &[ProxyVector] = &[
    ProxyVector {
        id: "C-4-unsupported-bind",
        source: "test_socks.c:test_socks_4_unsupported_commands",
        input: b"\x04\x02\x11\x11\x02\x02\x02\x02\x00",
        arti: Outcome::Error {
            sent: b"",
            kind: "NotImplemented",
            display: "SOCKS feature (SOCKS command BIND) not implemented",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "socks4: command 2 not recognized. Rejecting.",
        }),
        note: "SOCKS4 BIND 2.2.2.2:4369: rejected by both; C's parser writes no reply (replylen 0); the connection layer then sends 00 5B 000000000000 [arti: NotImplemented(\"SOCKS command BIND\")]",
    },
    ProxyVector {
        id: "C-4-supported-connect",
        source: "test_socks.c:test_socks_4_supported_commands",
        input: b"\x04\x01\x11\x12\x02\x02\x02\x03\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([2, 2, 2, 3]), port: 4370, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([2, 2, 2, 3]), port: 4370, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS4 CONNECT 2.2.2.3:4370, empty userid; no reply from the handshake itself",
    },
    ProxyVector {
        id: "C-4-supported-userid",
        source: "test_socks.c:test_socks_4_supported_commands",
        input: b"\x04\x01\x11\x12\x02\x02\x02\x04me\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([2, 2, 2, 4]), port: 4370, auth: Auth::Socks4(b"me") },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([2, 2, 2, 4]), port: 4370, auth: Auth::Socks4(b"me") },
            rest: b"",
        }),
        note: "SOCKS4 CONNECT 2.2.2.4:4370 with userid \"me\" (C: got_auth=1, usernamelen 2; run with TestSocks=1)",
    },
    ProxyVector {
        id: "C-4a-supported-resolve",
        source: "test_socks.c:test_socks_4_supported_commands",
        input: b"\x04\xf0\x01\x01\x00\x00\x00\x02me\x00torproject.org\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0xf0, addr: Addr::Host(b"torproject.org"), port: 257, auth: Auth::Socks4(b"me") },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0xf0, addr: Addr::Host(b"torproject.org"), port: 257, auth: Auth::Socks4(b"me") },
            rest: b"",
        }),
        note: "SOCKS4a RESOLVE (F0) torproject.org, DSTIP 0.0.0.2, userid \"me\", port 257",
    },
    ProxyVector {
        id: "C-4-bad-zero-ip",
        source: "test_socks.c:test_socks_4_bad_arguments",
        input: b"\x04\x01\x00\x50\x00\x00\x00\x00\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([0, 0, 0, 0]), port: 80, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "socks4: Port or DestIP is zero. Rejecting.",
        }),
        note: "SOCKS4 CONNECT to DSTIP 0.0.0.0: C rejects, tor-socksproto accepts Ip(0.0.0.0) (reference T05)",
    },
    ProxyVector {
        id: "C-4-bad-zero-port",
        source: "test_socks.c:test_socks_4_bad_arguments",
        input: b"\x04\x01\x00\x00\x01\x02\x03\x04\x00",
        arti: Outcome::Error {
            sent: b"",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "socks4: Port or DestIP is zero. Rejecting.",
        }),
        note: "SOCKS4 CONNECT 1.2.3.4 port 0: rejected by both (reference T06)",
    },
    ProxyVector {
        id: "C-4-bad-long-userid",
        source: "test_socks.c:test_socks_4_bad_arguments",
        input: b"\x04\x01\x00\x50\x01\x02\x03\x041234567890123456789012345678901234567890123456789012345678901234\
            567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890\
            123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456\
            789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012\
            345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678\
            901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234\
            567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890\
            123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456\
            789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012\
            345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678\
            901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234\
            567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890\
            123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456\
            789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012\
            345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678\
            901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234\
            567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890\
            123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456\
            789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012\
            345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678\
            901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234\
            5678901234567890\x00",
        arti: Outcome::Error {
            sent: b"",
            kind: "MessageTooLong",
            display: "SOCKS protocol message size limit 1024 exceeded",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "socks4: parsing failed - invalid request.",
        }),
        note: "SOCKS4 with a 2000-byte userid (2009-byte message): C caps v4 at 512 bytes, tor-socksproto at its 1024-byte Buffer (reference T07/E18) [arti: MessageTooLong { limit: 1024 }]",
    },
    ProxyVector {
        id: "C-4a-bad-long-hostname",
        source: "test_socks.c:test_socks_4_bad_arguments",
        input: b"\x04\x01\x00\x50\x00\x00\x00\x01\x00123456789012345678901234567890123456789012345678901234567890\
            123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456\
            789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012\
            345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678\
            901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234\
            567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890\
            123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456\
            789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012\
            345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678\
            901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234\
            567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890\
            123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456\
            789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012\
            345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678\
            901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234\
            567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890\
            123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456\
            789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012\
            345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678\
            901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234\
            567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890\
            12345678901234567890\x00",
        arti: Outcome::Error {
            sent: b"",
            kind: "MessageTooLong",
            display: "SOCKS protocol message size limit 1024 exceeded",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "socks4: Destaddr too long. Rejecting.",
        }),
        note: "SOCKS4a with a 2000-byte NUL-terminated hostname (the test pulls it all into one chunk first) [arti: MessageTooLong { limit: 1024 }]",
    },
    ProxyVector {
        id: "C-4a-bad-long-hostname-unterminated",
        source: "test_socks.c:test_socks_4_bad_arguments",
        input: b"\x04\x01\x00\x50\x00\x00\x00\x01\x00123456789012345678901234567890123456789012345678901234567890\
            123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456\
            789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012\
            345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678\
            901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234\
            567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890\
            123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456\
            789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012\
            345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678\
            901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234\
            567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890\
            123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456\
            789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012\
            345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678\
            901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234\
            567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890\
            123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456\
            789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012\
            345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678\
            901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234\
            567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890\
            12345678901234567890",
        arti: Outcome::Error {
            sent: b"",
            kind: "MessageTooLong",
            display: "SOCKS protocol message size limit 1024 exceeded",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "socks4: parsing failed - invalid request.",
        }),
        note: "SOCKS4a with 2000 hostname bytes and no NUL: C rejects once 512 bytes are buffered, tor-socksproto once its 1024-byte Buffer is full [arti: MessageTooLong { limit: 1024 }]",
    },
    ProxyVector {
        id: "C-4a-bad-bogus-hostname",
        source: "test_socks.c:test_socks_4_bad_arguments",
        input: b"\x04\x01\x00\x50\x00\x00\x00\x01\x00---\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::Host(b"---"), port: 80, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "Your application (using socks4 to port 80) gave Tor a malformed hostname: ... Rejecting the connection.",
        }),
        note: "SOCKS4a hostname \"---\": C's string_is_valid_dest rejects it, tor-socksproto does no hostname syntax check (reference T10)",
    },
    ProxyVector {
        id: "C-5-unsupported-bind",
        source: "test_socks.c:test_socks_5_unsupported_commands",
        input: b"\x05\x02\x00\x01\x05\x02\x00\x01\x02\x02\x02\x01\x01\x01",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "NotImplemented",
            display: "SOCKS feature (SOCKS command BIND) not implemented",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x07\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "command not supported (SOCKS5_COMMAND_NOT_SUPPORTED)",
        }),
        note: "SOCKS5 greeting offering 00,01 then BIND 2.2.2.1:257: C replies 05 07 00 01..., tor-socksproto sends nothing (reference T11) [arti: NotImplemented(\"SOCKS command BIND\")]",
    },
    ProxyVector {
        id: "C-5-unsupported-udp",
        source: "test_socks.c:test_socks_5_unsupported_commands",
        input: b"\x05\x02\x00\x01\x05\x03\x00\x01\x02\x02\x02\x01\x01\x01",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "NotImplemented",
            display: "SOCKS feature (SOCKS command UDP_ASSOCIATE) not implemented",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x07\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "command not supported (SOCKS5_COMMAND_NOT_SUPPORTED)",
        }),
        note: "SOCKS5 UDP ASSOCIATE 2.2.2.1:257: C replies 05 07, tor-socksproto sends nothing (reference T12) [arti: NotImplemented(\"SOCKS command UDP_ASSOCIATE\")]",
    },
    ProxyVector {
        id: "C-5-connect-ipv4",
        source: "test_socks.c:test_socks_5_supported_commands",
        input: b"\x05\x01\x00\x05\x01\x00\x01\x02\x02\x02\x02\x11\x11",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V4([2, 2, 2, 2]), port: 4369, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V4([2, 2, 2, 2]), port: 4369, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS5 no-auth, CONNECT 2.2.2.2:4369 (SafeSocks=0)",
    },
    ProxyVector {
        id: "C-5-connect-ipv6",
        source: "test_socks.c:test_socks_5_supported_commands",
        input: b"\x05\x01\x00\x05\x01\x00\x04\x20\x02\x41\xb8\x02\x02\x0d\xeb\x02\x13\x21\xff\xfe\x20\x14\x26\x00\
            \x50",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V6([0x20, 0x02, 0x41, 0xb8, 0x02, 0x02, 0x0d, 0xeb, 0x02, 0x13, 0x21, 0xff, 0xfe, 0x20, 0x14, 0x26]), port: 80, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V6([0x20, 0x02, 0x41, 0xb8, 0x02, 0x02, 0x0d, 0xeb, 0x02, 0x13, 0x21, 0xff, 0xfe, 0x20, 0x14, 0x26]), port: 80, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS5 CONNECT [2002:41b8:202:deb:213:21ff:fe20:1426]:80 (ATYP 4)",
    },
    ProxyVector {
        id: "C-5-connect-fqdn",
        source: "test_socks.c:test_socks_5_supported_commands",
        input: b"\x05\x01\x00\x05\x01\x00\x03\x0etorproject.org\x11\x11",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"torproject.org"), port: 4369, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"torproject.org"), port: 4369, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS5 CONNECT torproject.org:4369, greeting and request in one read (C: only 05 00 is in socks->reply)",
    },
    ProxyVector {
        id: "C-5-resolve-fqdn",
        source: "test_socks.c:test_socks_5_supported_commands",
        input: b"\x05\x01\x00\x05\xf0\x00\x03\x0etorproject.org\x01\x02",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf0, addr: Addr::Host(b"torproject.org"), port: 258, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf0, addr: Addr::Host(b"torproject.org"), port: 258, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS5 RESOLVE (F0) torproject.org, port 258",
    },
    ProxyVector {
        id: "C-5-resolve-ipv4-string",
        source: "test_socks.c:test_socks_5_supported_commands",
        input: b"\x05\x01\x00\x05\xf0\x00\x03\x078.8.8.8\x11\x11",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf0, addr: Addr::Host(b"8.8.8.8"), port: 4369, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf0, addr: Addr::Host(b"8.8.8.8"), port: 4369, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS5 RESOLVE of the hostname string \"8.8.8.8\" (ATYP 3): accepted even with SafeSocks=1 (reference T17)",
    },
    ProxyVector {
        id: "C-5-resolve-ipv6-string-brackets",
        source: "test_socks.c:test_socks_5_supported_commands",
        input: b"\x05\x01\x00\x05\xf0\x00\x03\x29[2001:0db8:85a3:0000:0000:8a2e:0370:7334]\x01\x02",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf0, addr: Addr::Host(b"[2001:0db8:85a3:0000:0000:8a2e:0370:7334]"), port: 258, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf0, addr: Addr::Host(b"[2001:0db8:85a3:0000:0000:8a2e:0370:7334]"), port: 258, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS5 RESOLVE of a bracketed IPv6 string (ATYP 3, 41 bytes), SafeSocks=1; both keep it as a hostname (reference T18)",
    },
    ProxyVector {
        id: "C-5-resolve-ipv6-string",
        source: "test_socks.c:test_socks_5_supported_commands",
        input: b"\x05\x01\x00\x05\xf0\x00\x03\x272001:0db8:85a3:0000:0000:8a2e:0370:7334\x01\x02",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf0, addr: Addr::Host(b"2001:0db8:85a3:0000:0000:8a2e:0370:7334"), port: 258, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf0, addr: Addr::Host(b"2001:0db8:85a3:0000:0000:8a2e:0370:7334"), port: 258, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS5 RESOLVE of an unbracketed IPv6 string (ATYP 3, 39 bytes), SafeSocks=1 (reference T19)",
    },
    ProxyVector {
        id: "C-5-resolve-ptr-ipv4",
        source: "test_socks.c:test_socks_5_supported_commands",
        input: b"\x05\x01\x00\x05\xf1\x00\x01\x02\x02\x02\x05\x01\x03",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf1, addr: Addr::V4([2, 2, 2, 5]), port: 259, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf1, addr: Addr::V4([2, 2, 2, 5]), port: 259, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS5 RESOLVE_PTR (F1) 2.2.2.5, port 259",
    },
    ProxyVector {
        id: "C-5-resolve-ptr-ipv6",
        source: "test_socks.c:test_socks_5_supported_commands",
        input: b"\x05\x01\x00\x05\xf1\x00\x04\x20\x01\x0d\xb8\x85\xa3\x00\x00\x00\x00\x8a\x2e\x03\x70\x73\x34\x12\
            \x34",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf1, addr: Addr::V6([0x20, 0x01, 0x0d, 0xb8, 0x85, 0xa3, 0x00, 0x00, 0x00, 0x00, 0x8a, 0x2e, 0x03, 0x70, 0x73, 0x34]), port: 4660, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf1, addr: Addr::V6([0x20, 0x01, 0x0d, 0xb8, 0x85, 0xa3, 0x00, 0x00, 0x00, 0x00, 0x8a, 0x2e, 0x03, 0x70, 0x73, 0x34]), port: 4660, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS5 RESOLVE_PTR of IPv6 2001:db8:85a3::8a2e:370:7334 (ATYP 4)",
    },
    ProxyVector {
        id: "C-5-resolve-ptr-ipv6-string-brackets",
        source: "test_socks.c:test_socks_5_supported_commands",
        input: b"\x05\x01\x00\x05\xf1\x00\x03\x1e[2001:db8:85a3::8a2e:370:7334]\x12\x34",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf1, addr: Addr::Host(b"[2001:db8:85a3::8a2e:370:7334]"), port: 4660, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf1, addr: Addr::Host(b"[2001:db8:85a3::8a2e:370:7334]"), port: 4660, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS5 RESOLVE_PTR of the string \"[2001:db8:85a3::8a2e:370:7334]\" (ATYP 3): C's tor_addr_parse accepts brackets; the arti binary would answer 08 because \"[..]\" does not parse as IpAddr (reference T22)",
    },
    ProxyVector {
        id: "C-5-noauth-then-userpass",
        source: "test_socks.c:test_socks_5_no_authenticate",
        input: b"\x05\x01\x00\x01\x02\x01\x01\x02\x01\x01",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x00\x01\x00" }),
        note: "no-auth chosen, then the client sends an RFC1929 message anyway: C accepts it (01 00, stores user=pass=\"\\x01\\x01\") and waits for the request, tor-socksproto gives Syntax (reference T23)",
    },
    ProxyVector {
        id: "C-5-userpass",
        source: "test_socks.c:test_socks_5_authenticate",
        input: b"\x05\x01\x02\x01\x02me\x08mypasswd",
        arti: Outcome::NeedMore { sent: b"\x05\x02\x01\x00" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x02\x01\x00" }),
        note: "user/pass negotiated (05 02), RFC1929 me/mypasswd accepted (01 00); waits for the request",
    },
    ProxyVector {
        id: "C-5-userpass-empty",
        source: "test_socks.c:test_socks_5_authenticate_empty_user_pass",
        input: b"\x05\x01\x02\x01\x00\x00",
        arti: Outcome::NeedMore { sent: b"\x05\x02\x01\x00" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x02\x01\x00" }),
        note: "RFC1929 with an empty username and password (breaks RFC 1929, allowed by both)",
    },
    ProxyVector {
        id: "C-5-userpass-with-request",
        source: "test_socks.c:test_socks_5_authenticate_with_data",
        input: b"\x05\x01\x02\x01\x02me\x03you\x05\x01\x00\x01\x02\x02\x02\x02\x11\x11",
        arti: Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V4([2, 2, 2, 2]), port: 4369, auth: Auth::UserPass(b"me", b"you") },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V4([2, 2, 2, 2]), port: 4369, auth: Auth::UserPass(b"me", b"you") },
            rest: b"",
        }),
        note: "RFC1929 me/you with the CONNECT 2.2.2.2:4369 request in the same read",
    },
    ProxyVector {
        id: "C-5-auth-unsupported-type",
        source: "test_socks.c:test_socks_5_auth_unsupported_type",
        input: b"\x05\x03\x99\x21\x10",
        arti: Outcome::Error {
            sent: b"",
            kind: "NotImplemented",
            display: "SOCKS feature (authentication methods) not implemented",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\xff",
            kind: "reject",
            display: "socks5: offered methods don't include 'no auth' or username/password. Rejecting.",
        }),
        note: "greeting offering only methods 99,21,10: C replies 05 FF, tor-socksproto NotImplemented with no reply (reference T28/E45) [arti: NotImplemented(\"authentication methods\")]",
    },
    ProxyVector {
        id: "C-5-auth-unsupported-version",
        source: "test_socks.c:test_socks_5_auth_unsupported_version",
        input: b"\x05\x01\x02\x02\x05hello\x05world",
        arti: Outcome::Error {
            sent: b"\x05\x02",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x02",
            kind: "reject",
            display: "socks5: parsing failed - invalid user/pass authentication message.",
        }),
        note: "RFC1929 message with VER=2: rejected by both, no reply to it (reference T29)",
    },
    ProxyVector {
        id: "C-5-auth-before-negotiation",
        source: "test_socks.c:test_socks_5_auth_before_negotiation",
        input: b"\x01\x02me\x02me",
        arti: Outcome::Error {
            sent: b"",
            kind: "BadProtocol",
            display: "Unrecognized SOCKS protocol version 1",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "RFC1929 message parsed but no SOCKS5 greeting came first (socks_version 0): invalid",
        }),
        note: "RFC1929 message as the first message: C rejects silently (socks_version 0), tor-socksproto BadProtocol(1) [arti: BadProtocol(1)]",
    },
    ProxyVector {
        id: "C-5-malformed-safesocks-ipv4",
        source: "test_socks.c:test_socks_5_malformed_commands",
        input: b"\x05\x01\x00\x05\x01\x00\x01\x02\x02\x02\x02\x11\x11",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V4([2, 2, 2, 2]), port: 4369, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x02\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "SafeSocks=1: IP-literal CONNECT rejected (SOCKS5_NOT_ALLOWED)",
        }),
        note: "same bytes as C-5-connect-ipv4 but C runs with SafeSocks=1: 05 02 00 01...; tor-socksproto has no SafeSocks (reference T13)",
    },
    ProxyVector {
        id: "C-5-malformed-resolve-ptr-fqdn",
        source: "test_socks.c:test_socks_5_malformed_commands",
        input: b"\x05\x01\x00\x05\xf1\x00\x03\x0etorproject.org\x11\x11",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf1, addr: Addr::Host(b"torproject.org"), port: 4369, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x08\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "socks5 received RESOLVE_PTR command with a malformed address. Rejecting.",
        }),
        note: "RESOLVE_PTR of a hostname: C replies 05 08, tor-socksproto accepts it (reference T31)",
    },
    ProxyVector {
        id: "C-5-malformed-quoted-fqdn",
        source: "test_socks.c:test_socks_5_malformed_commands",
        input: b"\x05\x01\x00\x05\x01\x00\x03\x09\"\"\"\"\".com\x11\x11",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"\"\"\"\"\".com"), port: 4369, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x01\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "Your application (using socks5 to port 80) gave Tor a malformed hostname: ... Rejecting the connection.",
        }),
        note: "CONNECT to '\"\"\"\"\".com': C's hostname check rejects it with 05 01, tor-socksproto accepts it (reference T32)",
    },
    ProxyVector {
        id: "C-5-malformed-atyp-23",
        source: "test_socks.c:test_socks_5_malformed_commands",
        input: b"\x05\x01\x00\x05\x01\x00\x23\x02\x02\x02\x02\x11\x11",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "Decode",
            display: "Error decoding SOCKS message",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x01\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "socks5: parsing failed - invalid client request",
        }),
        note: "ATYP 0x23: C's trunnel parse fails, giving 05 01 (GENERAL_ERROR, not 08); tor-socksproto Decode (reference T33) [arti: Decode(InvalidMessage(\"unrecognized address type.\"))]",
    },
    ProxyVector {
        id: "C-5-bad-hostname-dashes",
        source: "test_socks.c:test_socks_5_bad_arguments",
        input: b"\x05\x01\x00\x05\x01\x00\x03\x03---\x00\x50",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"---"), port: 80, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x01\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "Your application (using socks5 to port 80) gave Tor a malformed hostname: ... Rejecting the connection.",
        }),
        note: "SOCKS5 CONNECT to hostname \"---\": C rejects (05 01), tor-socksproto accepts it",
    },
    ProxyVector {
        id: "C-wrong-protocol-http-get",
        source: "test_socks.c:test_socks_wrong_protocol",
        input: b"GET /index.html HTTP/1.0",
        arti: Outcome::Error {
            sent: b"",
            kind: "BadProtocol",
            display: "Unrecognized SOCKS protocol version 71",
        },
        ctor: Some(Outcome::Error {
            sent: C_HTTP_501,
            kind: "reject",
            display: "Socks version 71 not recognized. (This port is not an HTTP proxy; did you want to use HTTPTunnelPort?)",
        }),
        note: "HTTP request on the SOCKS port: C sends the 501 page (with NUL), tor-socksproto BadProtocol(71) (reference T47) [arti: BadProtocol(71)]",
    },
    ProxyVector {
        id: "C-trunc-socks4-ip-1",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x04",
        arti: Outcome::NeedMore { sent: b"" },
        ctor: Some(Outcome::NeedMore { sent: b"" }),
        note: "socks4-ip: first 1 of 9 bytes; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks4-ip-4",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x04\x01\x05\x05",
        arti: Outcome::NeedMore { sent: b"" },
        ctor: Some(Outcome::NeedMore { sent: b"" }),
        note: "socks4-ip: first 4 of 9 bytes; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks4-ip-8",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x04\x01\x05\x05\x01\x02\x03\x04",
        arti: Outcome::NeedMore { sent: b"" },
        ctor: Some(Outcome::NeedMore { sent: b"" }),
        note: "socks4-ip: first 8 of 9 bytes; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks4-ip-full",
        source: "test_socks.c:test_socks_truncated (complete message; C outcome from proto_socks.c)",
        input: b"\x04\x01\x05\x05\x01\x02\x03\x04\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 1285, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 1285, auth: Auth::None },
            rest: b"",
        }),
        note: "socks4-ip: the complete 9-byte message",
    },
    ProxyVector {
        id: "C-trunc-socks4-ip-userid-7",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x04\x01\x05\x05\x01\x02\x03",
        arti: Outcome::NeedMore { sent: b"" },
        ctor: Some(Outcome::NeedMore { sent: b"" }),
        note: "socks4-ip-userid: first 7 of 14 bytes; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks4-ip-userid-13",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x04\x01\x05\x05\x01\x02\x03\x04hello",
        arti: Outcome::NeedMore { sent: b"" },
        ctor: Some(Outcome::NeedMore { sent: b"" }),
        note: "socks4-ip-userid: first 13 of 14 bytes; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks4-ip-userid-full",
        source: "test_socks.c:test_socks_truncated (complete message; C outcome from proto_socks.c)",
        input: b"\x04\x01\x05\x05\x01\x02\x03\x04hello\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 1285, auth: Auth::Socks4(b"hello") },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 1285, auth: Auth::Socks4(b"hello") },
            rest: b"",
        }),
        note: "socks4-ip-userid: the complete 14-byte message",
    },
    ProxyVector {
        id: "C-trunc-socks4a-host-12",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x04\x01\x09\x09\x00\x00\x00\x01\x00www",
        arti: Outcome::NeedMore { sent: b"" },
        ctor: Some(Outcome::NeedMore { sent: b"" }),
        note: "socks4a-host: first 12 of 25 bytes; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks4a-host-24",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x04\x01\x09\x09\x00\x00\x00\x01\x00www.example.com",
        arti: Outcome::NeedMore { sent: b"" },
        ctor: Some(Outcome::NeedMore { sent: b"" }),
        note: "socks4a-host: first 24 of 25 bytes; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks4a-host-full",
        source: "test_socks.c:test_socks_truncated (complete message; C outcome from proto_socks.c)",
        input: b"\x04\x01\x09\x09\x00\x00\x00\x01\x00www.example.com\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::Host(b"www.example.com"), port: 2313, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::Host(b"www.example.com"), port: 2313, auth: Auth::None },
            rest: b"",
        }),
        note: "socks4a-host: the complete 25-byte message",
    },
    ProxyVector {
        id: "C-trunc-socks4a-host-userid-13",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x04\x01\x09\x09\x00\x00\x00\x01hi\x00ww",
        arti: Outcome::NeedMore { sent: b"" },
        ctor: Some(Outcome::NeedMore { sent: b"" }),
        note: "socks4a-host-userid: first 13 of 27 bytes; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks4a-host-userid-26",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x04\x01\x09\x09\x00\x00\x00\x01hi\x00www.example.com",
        arti: Outcome::NeedMore { sent: b"" },
        ctor: Some(Outcome::NeedMore { sent: b"" }),
        note: "socks4a-host-userid: first 26 of 27 bytes; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks4a-host-userid-full",
        source: "test_socks.c:test_socks_truncated (complete message; C outcome from proto_socks.c)",
        input: b"\x04\x01\x09\x09\x00\x00\x00\x01hi\x00www.example.com\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::Host(b"www.example.com"), port: 2313, auth: Auth::Socks4(b"hi") },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::Host(b"www.example.com"), port: 2313, auth: Auth::Socks4(b"hi") },
            rest: b"",
        }),
        note: "socks4a-host-userid: the complete 27-byte message",
    },
    ProxyVector {
        id: "C-trunc-socks5-nmethods0-1",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x05",
        arti: Outcome::NeedMore { sent: b"" },
        ctor: Some(Outcome::NeedMore { sent: b"" }),
        note: "socks5-nmethods0: first 1 of 2 bytes; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks5-nmethods0-full",
        source: "test_socks.c:test_socks_truncated (complete message; C outcome from proto_socks.c)",
        input: b"\x05\x00",
        arti: Outcome::Error {
            sent: b"",
            kind: "NotImplemented",
            display: "SOCKS feature (authentication methods) not implemented",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "socks5 greeting with n_methods == 0: invalid (no reply)",
        }),
        note: "socks5-nmethods0: the complete 2-byte message [arti: NotImplemented(\"authentication methods\")]",
    },
    ProxyVector {
        id: "C-trunc-socks5-bad-methods-2",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x05\x03",
        arti: Outcome::NeedMore { sent: b"" },
        ctor: Some(Outcome::NeedMore { sent: b"" }),
        note: "socks5-bad-methods: first 2 of 5 bytes; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks5-bad-methods-4",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x05\x03\x99\x21",
        arti: Outcome::NeedMore { sent: b"" },
        ctor: Some(Outcome::NeedMore { sent: b"" }),
        note: "socks5-bad-methods: first 4 of 5 bytes; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-rfc1929-empty-1",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x05\x01\x02\x01",
        arti: Outcome::NeedMore { sent: b"\x05\x02" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x02" }),
        note: "rfc1929-empty: first 1 of 3 bytes after 05 01 02 / 05 02; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-rfc1929-empty-2",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x05\x01\x02\x01\x00",
        arti: Outcome::NeedMore { sent: b"\x05\x02" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x02" }),
        note: "rfc1929-empty: first 2 of 3 bytes after 05 01 02 / 05 02; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-rfc1929-1char-2",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x05\x01\x02\x01\x01",
        arti: Outcome::NeedMore { sent: b"\x05\x02" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x02" }),
        note: "rfc1929-1char: first 2 of 5 bytes after 05 01 02 / 05 02; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-rfc1929-1char-4",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x05\x01\x02\x01\x01\x78\x01",
        arti: Outcome::NeedMore { sent: b"\x05\x02" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x02" }),
        note: "rfc1929-1char: first 4 of 5 bytes after 05 01 02 / 05 02; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-rfc1929-1char-full",
        source: "test_socks.c:test_socks_truncated (complete message; C outcome from proto_socks.c)",
        input: b"\x05\x01\x02\x01\x01\x78\x01\x79",
        arti: Outcome::NeedMore { sent: b"\x05\x02\x01\x00" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x02\x01\x00" }),
        note: "rfc1929-1char: the complete 5-byte message after 05 01 02 / 05 02",
    },
    ProxyVector {
        id: "C-trunc-rfc1929-max-256",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x05\x01\x02\x01\xffOgni tempo ha il suo fascismo: se ne notano i segni premonitori dovunque la \
            concentrazione di potere nega al cittadino la possibilit\xc3\xa0\x20e la capacit\xc3\xa0\x20di e\
            sprimere ed attuare la sua volont\xc3\xa0. A questo si arriva in molti modi, non necessariamente\
            \x20col terro",
        arti: Outcome::NeedMore { sent: b"\x05\x02" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x02" }),
        note: "rfc1929-max: first 256 of 513 bytes after 05 01 02 / 05 02; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-rfc1929-max-512",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x05\x01\x02\x01\xffOgni tempo ha il suo fascismo: se ne notano i segni premonitori dovunque la \
            concentrazione di potere nega al cittadino la possibilit\xc3\xa0\x20e la capacit\xc3\xa0\x20di e\
            sprimere ed attuare la sua volont\xc3\xa0. A questo si arriva in molti modi, non necessariamente\
            \x20col terror\xffe dell'intimidazione poliziesca, ma anche negando o distorcendo l'informazione\
            , inquinando la giustizia, paralizzando la scuola, diffondendo in molti modi sottili la nostalgi\
            a per un mondo in cui regnava sovrano l'ordine, ed in cui la sicurezza dei pochi",
        arti: Outcome::NeedMore { sent: b"\x05\x02" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x02" }),
        note: "rfc1929-max: first 512 of 513 bytes after 05 01 02 / 05 02; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-rfc1929-max-full",
        source: "test_socks.c:test_socks_truncated (complete message; C outcome from proto_socks.c)",
        input: b"\x05\x01\x02\x01\xffOgni tempo ha il suo fascismo: se ne notano i segni premonitori dovunque la \
            concentrazione di potere nega al cittadino la possibilit\xc3\xa0\x20e la capacit\xc3\xa0\x20di e\
            sprimere ed attuare la sua volont\xc3\xa0. A questo si arriva in molti modi, non necessariamente\
            \x20col terror\xffe dell'intimidazione poliziesca, ma anche negando o distorcendo l'informazione\
            , inquinando la giustizia, paralizzando la scuola, diffondendo in molti modi sottili la nostalgi\
            a per un mondo in cui regnava sovrano l'ordine, ed in cui la sicurezza dei pochi ",
        arti: Outcome::NeedMore { sent: b"\x05\x02\x01\x00" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x02\x01\x00" }),
        note: "rfc1929-max: the complete 513-byte message after 05 01 02 / 05 02 (C pulls up only 512 bytes, so it needs the whole message in its first buffer chunk)",
    },
    ProxyVector {
        id: "C-trunc-socks5-ipv4-1",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x05\x01\x00\x05",
        arti: Outcome::NeedMore { sent: b"\x05\x00" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x00" }),
        note: "socks5-ipv4: first 1 of 10 bytes after 05 01 00 / 05 00; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks5-ipv4-5",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x05\x01\x00\x05\x01\x00\x01\x01",
        arti: Outcome::NeedMore { sent: b"\x05\x00" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x00" }),
        note: "socks5-ipv4: first 5 of 10 bytes after 05 01 00 / 05 00; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks5-ipv4-9",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x20",
        arti: Outcome::NeedMore { sent: b"\x05\x00" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x00" }),
        note: "socks5-ipv4: first 9 of 10 bytes after 05 01 00 / 05 00; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks5-ipv4-full",
        source: "test_socks.c:test_socks_truncated (complete message; C outcome from proto_socks.c)",
        input: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x20\x20",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 8224, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 8224, auth: Auth::None },
            rest: b"",
        }),
        note: "socks5-ipv4: the complete 10-byte message after 05 01 00 / 05 00",
    },
    ProxyVector {
        id: "C-trunc-socks5-ipv6-11",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x05\x01\x00\x05\x01\x00\x04I HAZ E",
        arti: Outcome::NeedMore { sent: b"\x05\x00" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x00" }),
        note: "socks5-ipv6: first 11 of 22 bytes after 05 01 00 / 05 00; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks5-ipv6-21",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x05\x01\x00\x05\x01\x00\x04I HAZ EASTER EGG ",
        arti: Outcome::NeedMore { sent: b"\x05\x00" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x00" }),
        note: "socks5-ipv6: first 21 of 22 bytes after 05 01 00 / 05 00; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks5-ipv6-full",
        source: "test_socks.c:test_socks_truncated (complete message; C outcome from proto_socks.c)",
        input: b"\x05\x01\x00\x05\x01\x00\x04I HAZ EASTER EGG  ",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V6([0x49, 0x20, 0x48, 0x41, 0x5a, 0x20, 0x45, 0x41, 0x53, 0x54, 0x45, 0x52, 0x20, 0x45, 0x47, 0x47]), port: 8224, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V6([0x49, 0x20, 0x48, 0x41, 0x5a, 0x20, 0x45, 0x41, 0x53, 0x54, 0x45, 0x52, 0x20, 0x45, 0x47, 0x47]), port: 8224, auth: Auth::None },
            rest: b"",
        }),
        note: "socks5-ipv6: the complete 22-byte message after 05 01 00 / 05 00",
    },
    ProxyVector {
        id: "C-trunc-socks5-host-empty-3",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x05\x01\x00\x05\x01\x00",
        arti: Outcome::NeedMore { sent: b"\x05\x00" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x00" }),
        note: "socks5-host-empty: first 3 of 7 bytes after 05 01 00 / 05 00; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks5-host-empty-6",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x05\x01\x00\x05\x01\x00\x03\x00\x00",
        arti: Outcome::NeedMore { sent: b"\x05\x00" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x00" }),
        note: "socks5-host-empty: first 6 of 7 bytes after 05 01 00 / 05 00; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks5-host-empty-full",
        source: "test_socks.c:test_socks_truncated (complete message; C outcome from proto_socks.c)",
        input: b"\x05\x01\x00\x05\x01\x00\x03\x00\x00\x50",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b""), port: 80, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x01\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "empty hostname fails string_is_valid_dest (malformed hostname)",
        }),
        note: "socks5-host-empty: the complete 7-byte message after 05 01 00 / 05 00",
    },
    ProxyVector {
        id: "C-trunc-socks5-host-12",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x05\x01\x00\x05\x01\x00\x03\x11onion.e",
        arti: Outcome::NeedMore { sent: b"\x05\x00" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x00" }),
        note: "socks5-host: first 12 of 24 bytes after 05 01 00 / 05 00; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks5-host-23",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x05\x01\x00\x05\x01\x00\x03\x11onion.example.com\x00",
        arti: Outcome::NeedMore { sent: b"\x05\x00" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x00" }),
        note: "socks5-host: first 23 of 24 bytes after 05 01 00 / 05 00; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks5-host-full",
        source: "test_socks.c:test_socks_truncated (complete message; C outcome from proto_socks.c)",
        input: b"\x05\x01\x00\x05\x01\x00\x03\x11onion.example.com\x00\x50",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"onion.example.com"), port: 80, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"onion.example.com"), port: 80, auth: Auth::None },
            rest: b"",
        }),
        note: "socks5-host: the complete 24-byte message after 05 01 00 / 05 00",
    },
    ProxyVector {
        id: "C-trunc-socks5-host-max-131",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x05\x01\x00\x05\x01\x00\x03\xffwhatsoever.I.shall.see.or.hear.in.the.course.of.my.profession.as\
            .well.as.outside.my.profession.in.my.intercourse.with.men.if.i",
        arti: Outcome::NeedMore { sent: b"\x05\x00" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x00" }),
        note: "socks5-host-max: first 131 of 262 bytes after 05 01 00 / 05 00; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks5-host-max-261",
        source: "test_socks.c:test_socks_truncated",
        input: b"\x05\x01\x00\x05\x01\x00\x03\xffwhatsoever.I.shall.see.or.hear.in.the.course.of.my.profession.as\
            .well.as.outside.my.profession.in.my.intercourse.with.men.if.it.be.what.should.not.be.published.\
            abroad.I.will.never.divulge.holding.such.things.to.be.holy.secrets.x.hippocratic.oath.wikipedia\x00",
        arti: Outcome::NeedMore { sent: b"\x05\x00" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x00" }),
        note: "socks5-host-max: first 261 of 262 bytes after 05 01 00 / 05 00; C: returns 0 (not done), drains nothing",
    },
    ProxyVector {
        id: "C-trunc-socks5-host-max-full",
        source: "test_socks.c:test_socks_truncated (complete message; C outcome from proto_socks.c)",
        input: b"\x05\x01\x00\x05\x01\x00\x03\xffwhatsoever.I.shall.see.or.hear.in.the.course.of.my.profession.as\
            .well.as.outside.my.profession.in.my.intercourse.with.men.if.it.be.what.should.not.be.published.\
            abroad.I.will.never.divulge.holding.such.things.to.be.holy.secrets.x.hippocratic.oath.wikipedia\x00\
            \x50",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"whatsoever.I.shall.see.or.hear.in.the.course.of.my.profession.as.well.as.outside.my.profession.i\
                n.my.intercourse.with.men.if.it.be.what.should.not.be.published.abroad.I.will.never.divulge.hold\
                ing.such.things.to.be.holy.secrets.x.hippocratic.oath.wikipedia"), port: 80, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"whatsoever.I.shall.see.or.hear.in.the.course.of.my.profession.as.well.as.outside.my.profession.i\
                n.my.intercourse.with.men.if.it.be.what.should.not.be.published.abroad.I.will.never.divulge.hold\
                ing.such.things.to.be.holy.secrets.x.hippocratic.oath.wikipedia"), port: 80, auth: Auth::None },
            rest: b"",
        }),
        note: "socks5-host-max: the complete 262-byte message after 05 01 00 / 05 00",
    },
    ProxyVector {
        id: "A-socks4-good",
        source: "tor-socksproto:proxy.rs:socks4_good",
        input: b"\x04\x01\x00\x50\xcb\x00\x71\x07\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([203, 0, 113, 7]), port: 80, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([203, 0, 113, 7]), port: 80, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS4 CONNECT 203.0.113.7:80, no userid",
    },
    ProxyVector {
        id: "A-socks4a-good",
        source: "tor-socksproto:proxy.rs:socks4a_good",
        input: b"\x04\x01\x01\xbb\x00\x00\x00\x01swordfish\x00www.example.com\x00\x99",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::Host(b"www.example.com"), port: 443, auth: Auth::Socks4(b"swordfish") },
            rest: b"\x99",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::Host(b"www.example.com"), port: 443, auth: Auth::Socks4(b"swordfish") },
            rest: b"\x99",
        }),
        note: "SOCKS4a www.example.com:443 with userid swordfish, then one extra byte that stays buffered (C keeps it too)",
    },
    ProxyVector {
        id: "A-socks5-init-noauth",
        source: "tor-socksproto:proxy.rs:socks5_init_noauth",
        input: b"\x05\x01\x00",
        arti: Outcome::NeedMore { sent: b"\x05\x00" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x00" }),
        note: "SOCKS5 greeting offering only no-auth: reply 05 00",
    },
    ProxyVector {
        id: "A-socks5-init-username",
        source: "tor-socksproto:proxy.rs:socks5_init_username",
        input: b"\x05\x04\x00\x02\x30\x31",
        arti: Outcome::NeedMore { sent: b"\x05\x02" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x02" }),
        note: "greeting offering 00,02,30,31: user/pass (02) is chosen",
    },
    ProxyVector {
        id: "A-socks5-init-nothing-works",
        source: "tor-socksproto:proxy.rs:socks5_init_nothing_works",
        input: b"\x05\x02\x99\x88",
        arti: Outcome::Error {
            sent: b"",
            kind: "NotImplemented",
            display: "SOCKS feature (authentication methods) not implemented",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\xff",
            kind: "reject",
            display: "socks5: offered methods don't include 'no auth' or username/password. Rejecting.",
        }),
        note: "no acceptable method: tor-socksproto NotImplemented, sends nothing; C sends 05 FF [arti: NotImplemented(\"authentication methods\")]",
    },
    ProxyVector {
        id: "A-socks5-username-ok",
        source: "tor-socksproto:proxy.rs:socks5_username_ok",
        input: b"\x05\x02\x99\x02\x01\x08Wagstaff\x09\x24wordfi5h",
        arti: Outcome::NeedMore { sent: b"\x05\x02\x01\x00" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x02\x01\x00" }),
        note: "RFC1929 Wagstaff / $wordfi5h accepted (01 00)",
    },
    ProxyVector {
        id: "A-socks5-request-ok-ipv4",
        source: "tor-socksproto:proxy.rs:socks5_request_ok_ipv4",
        input: b"\x05\x01\x00\x05\x01\x00\x01\x7f\x00\x00\x07\x1f\x90",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V4([127, 0, 0, 7]), port: 8080, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V4([127, 0, 0, 7]), port: 8080, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS5 CONNECT 127.0.0.7:8080",
    },
    ProxyVector {
        id: "A-socks5-request-ok-ipv6",
        source: "tor-socksproto:proxy.rs:socks5_request_ok_ipv6",
        input: b"\x05\x01\x00\x05\x01\x00\x04\xf0\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\x11\x1f\
            \x90",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V6([0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x11]), port: 8080, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V6([0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x11]), port: 8080, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS5 CONNECT [f000::ff11]:8080",
    },
    ProxyVector {
        id: "A-socks5-request-ok-hostname",
        source: "tor-socksproto:proxy.rs:socks5_request_ok_hostname",
        input: b"\x05\x01\x00\x05\x01\x00\x03\x0ffoo.example.com\x1f\x90",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"foo.example.com"), port: 8080, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"foo.example.com"), port: 8080, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS5 CONNECT foo.example.com:8080",
    },
    ProxyVector {
        id: "A-empty-handshake",
        source: "tor-socksproto:proxy.rs:empty_handshake",
        input: b"",
        arti: Outcome::NeedMore { sent: b"" },
        ctor: Some(Outcome::NeedMore { sent: b"" }),
        note: "no input at all: need more",
    },
    ProxyVector {
        id: "A-bad-version",
        source: "tor-socksproto:proxy.rs:bad_version",
        input: b"\x06\x01\x00",
        arti: Outcome::Error {
            sent: b"",
            kind: "BadProtocol",
            display: "Unrecognized SOCKS protocol version 6",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "Socks version 6 not recognized. (This port is not an HTTP proxy; did you want to use HTTPTunnelPort?)",
        }),
        note: "first byte 06: BadProtocol(6); C rejects with no reply [arti: BadProtocol(6)]",
    },
    ProxyVector {
        id: "A-bad-version-after-greeting",
        source: "tor-socksproto:proxy.rs:bad_version",
        input: b"\x05\x01\x00\x06\x01\x00",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00",
            kind: "reject",
            display: "Socks version 6 not recognized.",
        }),
        note: "request starting with 06 after the no-auth greeting: tor-socksproto Syntax (not BadProtocol); C re-dispatches on the first byte and rejects (reference P13)",
    },
    ProxyVector {
        id: "A-fused-result-pipelined",
        source: "tor-socksproto:proxy.rs:fused_result",
        input: b"\x04\x01\x00\x50\xcb\x00\x71\x07\x00\x04\x01\x00\x50\xcb\x00\x71\x07\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([203, 0, 113, 7]), port: 80, auth: Auth::None },
            rest: b"\x04\x01\x00\x50\xcb\x00\x71\x07\x00",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([203, 0, 113, 7]), port: 80, auth: Auth::None },
            rest: b"\x04\x01\x00\x50\xcb\x00\x71\x07\x00",
        }),
        note: "the good SOCKS4 request sent twice: step() finishes on the first and leaves the second as read-ahead (the legacy API gives AlreadyFinished on a second call)",
    },
    ProxyVector {
        id: "A-msg-ok-request",
        source: "tor-socksproto:msg.rs:ok_request (as wire bytes)",
        input: b"\x04\x01\x04\x00\x7f\x00\x00\x01\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([127, 0, 0, 1]), port: 1024, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([127, 0, 0, 1]), port: 1024, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS4 CONNECT 127.0.0.1:1024, NoAuth (the SocksRequest::new case of msg.rs as a wire message)",
    },
    ProxyVector {
        id: "A-msg-bad-request-bind",
        source: "tor-socksproto:msg.rs:bad_request (as wire bytes)",
        input: b"\x04\x02\x04\x00\x7f\x00\x00\x01\x00",
        arti: Outcome::Error {
            sent: b"",
            kind: "NotImplemented",
            display: "SOCKS feature (SOCKS command BIND) not implemented",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "socks4: command 2 not recognized. Rejecting.",
        }),
        note: "SOCKS4 BIND 127.0.0.1:1024: NotImplemented [arti: NotImplemented(\"SOCKS command BIND\")]",
    },
    ProxyVector {
        id: "A-msg-bad-request-port0",
        source: "tor-socksproto:msg.rs:bad_request (as wire bytes)",
        input: b"\x04\x01\x00\x00\x7f\x00\x00\x01\x00",
        arti: Outcome::Error {
            sent: b"",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "socks4: Port or DestIP is zero. Rejecting.",
        }),
        note: "SOCKS4 CONNECT 127.0.0.1 port 0: Syntax",
    },
    ProxyVector {
        id: "A-roundtrip-socks4-hostname",
        source: "tor-socksproto:handshake.rs:test_roundtrip::socks4",
        input: b"\x04\x01\x01\xbb\x00\x00\x00\x01\x00www.torproject.org\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::Host(b"www.torproject.org"), port: 443, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::Host(b"www.torproject.org"), port: 443, auth: Auth::None },
            rest: b"",
        }),
        note: "what SocksClientHandshake sends for V4 CONNECT www.torproject.org:443 NoAuth",
    },
    ProxyVector {
        id: "A-roundtrip-socks4-ip-userid",
        source: "tor-socksproto:handshake.rs:test_roundtrip::socks4",
        input: b"\x04\x01\x00\x16\xc0\x00\x02\x21swordfish\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([192, 0, 2, 33]), port: 22, auth: Auth::Socks4(b"swordfish") },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([192, 0, 2, 33]), port: 22, auth: Auth::Socks4(b"swordfish") },
            rest: b"",
        }),
        note: "what the client sends for V4 CONNECT 192.0.2.33:22 with userid swordfish",
    },
    ProxyVector {
        id: "A-roundtrip-socks5-hostname",
        source: "tor-socksproto:handshake.rs:test_roundtrip::socks5",
        input: b"\x05\x01\x00\x05\x01\x00\x03\x12www.torproject.org\x01\xbb",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"www.torproject.org"), port: 443, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"www.torproject.org"), port: 443, auth: Auth::None },
            rest: b"",
        }),
        note: "what the client sends for V5 CONNECT www.torproject.org:443 NoAuth",
    },
    ProxyVector {
        id: "A-roundtrip-socks5-ipv6-userpass",
        source: "tor-socksproto:handshake.rs:test_roundtrip::socks5",
        input: b"\x05\x02\x02\x00\x01\x05belbo\x03non\x05\x01\x00\x04\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00\x00\x00\x32\x01\xbb",
        arti: Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V6([0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x32]), port: 443, auth: Auth::UserPass(b"belbo", b"non") },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V6([0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x32]), port: 443, auth: Auth::UserPass(b"belbo", b"non") },
            rest: b"",
        }),
        note: "what the client sends for V5 CONNECT [2001:db8::32]:443 with user belbo / pass non, as one stream",
    },
    ProxyVector {
        id: "R-T01",
        source: "reference:T01",
        input: b"\x04\x02\x00\x50\x01\x02\x03\x04\x00",
        arti: Outcome::Error {
            sent: b"",
            kind: "NotImplemented",
            display: "SOCKS feature (SOCKS command BIND) not implemented",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "socks4: command 2 not recognized. Rejecting.",
        }),
        note: "SOCKS4 BIND 1.2.3.4:80: NotImplemented / C reject [arti: NotImplemented(\"SOCKS command BIND\")]",
    },
    ProxyVector {
        id: "R-T04",
        source: "reference:T04",
        input: b"\x04\xf0\x01\x01\x00\x00\x00\x01\x00example.com\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0xf0, addr: Addr::Host(b"example.com"), port: 257, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0xf0, addr: Addr::Host(b"example.com"), port: 257, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS4a RESOLVE example.com port 257 (see REPLIES: arti echoes port 257 in the reply, C sends 0)",
    },
    ProxyVector {
        id: "R-E01",
        source: "reference:E01",
        input: b"\x04\x01\x00\x50\x00\x00\x00\x01\x00\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::Host(b""), port: 80, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "Your application (using socks4 to port 80) gave Tor a malformed hostname: ... Rejecting the connection.",
        }),
        note: "SOCKS4a with an empty hostname: tor-socksproto Hostname(\"\"), C rejects (string_is_valid_dest)",
    },
    ProxyVector {
        id: "R-E02",
        source: "reference:E02",
        input: b"\x04\x01\x00\x50\x00\x00\x00\x01\x00\xff\xfe.com\x00",
        arti: Outcome::Error {
            sent: b"",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "Your application (using socks4 to port 80) gave Tor a malformed hostname: ... Rejecting the connection.",
        }),
        note: "SOCKS4a hostname that is not UTF-8: tor-socksproto Syntax, C rejects it as a malformed hostname",
    },
    ProxyVector {
        id: "R-E03",
        source: "reference:E03",
        input: b"\x04\x01\x00\x50\x00\x00\x00\x01\x00aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
            aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
            aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
            aaa\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::Host(b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
                aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
                aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), port: 80, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::Host(b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
                aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
                aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), port: 80, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS4a with a 255-byte hostname: accepted (C: 256 bytes with the NUL fit req->address)",
    },
    ProxyVector {
        id: "R-E04",
        source: "reference:E04",
        input: b"\x04\x01\x00\x50\x00\x00\x00\x01\x00aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
            aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
            aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
            aaaa\x00",
        arti: Outcome::Error {
            sent: b"",
            kind: "Decode",
            display: "Error decoding SOCKS message",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "socks4: Destaddr too long. Rejecting.",
        }),
        note: "SOCKS4a with a 256-byte hostname: tor-socksproto Decode(\"hostname too long\"), C rejects [arti: Decode(InvalidMessage(\"hostname too long\"))]",
    },
    ProxyVector {
        id: "R-E05",
        source: "reference:E05",
        input: b"\x04\x01\x00\x50\x01\x02\x03\x04\xff\xfe\x80\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 80, auth: Auth::Socks4(b"\xff\xfe\x80") },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 80, auth: Auth::Socks4(b"\xff\xfe\x80") },
            rest: b"",
        }),
        note: "SOCKS4 userid that is not UTF-8: accepted as Socks4 bytes",
    },
    ProxyVector {
        id: "R-E06",
        source: "reference:E06",
        input: b"\x04\x01\x00\x50\x01\x02\x03\x04\x00GET / HTTP/1.1\r\n\r\n",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 80, auth: Auth::None },
            rest: b"GET / HTTP/1.1\r\n\r\n",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 80, auth: Auth::None },
            rest: b"GET / HTTP/1.1\r\n\r\n",
        }),
        note: "SOCKS4 request followed by pipelined payload: the payload stays in rest (arti then forbids pipelining; C forwards it as optimistic data)",
    },
    ProxyVector {
        id: "R-E07",
        source: "reference:E07",
        input: b"\x04\x01\x00\x50\x01\x02\x03\x04ab\x00cd\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 80, auth: Auth::Socks4(b"ab") },
            rest: b"cd\x00",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 80, auth: Auth::Socks4(b"ab") },
            rest: b"cd\x00",
        }),
        note: "'NUL inside the userid': the first NUL ends the userid, and \"cd\\0\" is trailing data",
    },
    ProxyVector {
        id: "R-E08",
        source: "reference:E08",
        input: b"\x04\x01\x00\x50\x00\x00\x00\xff\x75\x00example.com\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::Host(b"example.com"), port: 80, auth: Auth::Socks4(b"\x75") },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::Host(b"example.com"), port: 80, auth: Auth::Socks4(b"\x75") },
            rest: b"",
        }),
        note: "DSTIP 0.0.0.255 is still SOCKS4a (a hostname follows)",
    },
    ProxyVector {
        id: "R-E09",
        source: "reference:E09",
        input: b"\x04\x01\x00\x50\x00\x00\x01\x00\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([0, 0, 1, 0]), port: 80, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([0, 0, 1, 0]), port: 80, auth: Auth::None },
            rest: b"",
        }),
        note: "DSTIP 0.0.1.0 is plain SOCKS4 (ip>>8 != 0), not 4a",
    },
    ProxyVector {
        id: "R-E10",
        source: "reference:E10",
        input: b"\x04\xf0\x00\x00\x00\x00\x00\x01\x00example.com\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0xf0, addr: Addr::Host(b"example.com"), port: 0, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0xf0, addr: Addr::Host(b"example.com"), port: 0, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS4a RESOLVE with port 0: allowed by both (C's port-0 check exempts RESOLVE)",
    },
    ProxyVector {
        id: "R-E10-ip",
        source: "reference:E10",
        input: b"\x04\xf0\x00\x00\x01\x02\x03\x04\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0xf0, addr: Addr::V4([1, 2, 3, 4]), port: 0, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0xf0, addr: Addr::V4([1, 2, 3, 4]), port: 0, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS4 RESOLVE of the IP 1.2.3.4 with port 0: allowed by both",
    },
    ProxyVector {
        id: "R-E11",
        source: "reference:E11",
        input: b"\x04\xf1\x00\x00\x01\x02\x03\x04\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0xf1, addr: Addr::V4([1, 2, 3, 4]), port: 0, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "socks4: command 241 not recognized. Rejecting.",
        }),
        note: "SOCKS4 RESOLVE_PTR 1.2.3.4: tor-socksproto accepts it, C rejects it (no resolve_ptr with socks4)",
    },
    ProxyVector {
        id: "R-E12",
        source: "reference:E12",
        input: b"\x04\x99\x00\x50\x01\x02\x03\x04\x00",
        arti: Outcome::Error {
            sent: b"",
            kind: "NotImplemented",
            display: "SOCKS feature (SOCKS command 153) not implemented",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "socks4: parsing failed - invalid request.",
        }),
        note: "SOCKS4 with unknown command 0x99: tor-socksproto NotImplemented(\"SOCKS command 153\"), C's trunnel parse fails [arti: NotImplemented(\"SOCKS command 153\")]",
    },
    ProxyVector {
        id: "R-E12-udp",
        source: "reference:E12",
        input: b"\x04\x03\x00\x50\x01\x02\x03\x04\x00",
        arti: Outcome::Error {
            sent: b"",
            kind: "NotImplemented",
            display: "SOCKS feature (SOCKS command UDP_ASSOCIATE) not implemented",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "socks4: parsing failed - invalid request.",
        }),
        note: "SOCKS4 with command 03 (UDP ASSOCIATE): NotImplemented; C's trunnel rejects 03 for v4 [arti: NotImplemented(\"SOCKS command UDP_ASSOCIATE\")]",
    },
    ProxyVector {
        id: "R-E13",
        source: "reference:E13",
        input: b"\x04\x01\x00\x50\x00\x00\x00\x01\x00",
        arti: Outcome::NeedMore { sent: b"" },
        ctor: Some(Outcome::NeedMore { sent: b"" }),
        note: "DSTIP 0.0.0.1 with no hostname: both wait for the 4a hostname (stalls against a client that sends a raw 0.0.0.x IP)",
    },
    ProxyVector {
        id: "R-E15",
        source: "reference:E15",
        input: b"\x04\x01\x00\x50\x01\x02",
        arti: Outcome::NeedMore { sent: b"" },
        ctor: Some(Outcome::NeedMore { sent: b"" }),
        note: "SOCKS4 header cut off in DSTIP (tor-socksproto reports deficit 2)",
    },
    ProxyVector {
        id: "R-E16",
        source: "reference:E16",
        input: b"\x04\x01\x00\x50\x01\x02\x03\x04abc",
        arti: Outcome::NeedMore { sent: b"" },
        ctor: Some(Outcome::NeedMore { sent: b"" }),
        note: "SOCKS4 userid without its NUL: need more",
    },
    ProxyVector {
        id: "R-E17",
        source: "reference:E17",
        input: b"\x04\x01\x00\x50\x01\x02\x03\x04uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 80, auth: Auth::Socks4(b"uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu") },
            rest: b"",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "socks4: parsing failed - invalid request. / Socks4 user name too long; rejecting.",
        }),
        note: "SOCKS4 message of exactly 1024 bytes (1015-byte userid): fits tor-socksproto's 1024-byte Buffer; C's 512-byte limit rejects it",
    },
    ProxyVector {
        id: "R-E18",
        source: "reference:E18",
        input: b"\x04\x01\x00\x50\x01\x02\x03\x04uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\x00",
        arti: Outcome::Error {
            sent: b"",
            kind: "MessageTooLong",
            display: "SOCKS protocol message size limit 1024 exceeded",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "socks4: parsing failed - invalid request. / Socks4 user name too long; rejecting.",
        }),
        note: "SOCKS4 message of 1025 bytes: tor-socksproto MessageTooLong { limit: 1024 } [arti: MessageTooLong { limit: 1024 }]",
    },
    ProxyVector {
        id: "R-X-socks4-511",
        source: "reference:extra",
        input: b"\x04\x01\x00\x50\x01\x02\x03\x04uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 80, auth: Auth::Socks4(b"uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuu") },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 80, auth: Auth::Socks4(b"uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuu") },
            rest: b"",
        }),
        note: "SOCKS4 message of 511 bytes (502-byte userid): under C's 512-byte limit, accepted by both",
    },
    ProxyVector {
        id: "R-X-socks4-512",
        source: "reference:extra",
        input: b"\x04\x01\x00\x50\x01\x02\x03\x04uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 80, auth: Auth::Socks4(b"uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuu") },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 80, auth: Auth::Socks4(b"uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuu") },
            rest: b"",
        }),
        note: "SOCKS4 message of exactly 512 bytes: complete within C's 512-byte pull-up and userid <= 512, so accepted by both",
    },
    ProxyVector {
        id: "R-X-socks4-513",
        source: "reference:extra",
        input: b"\x04\x01\x00\x50\x01\x02\x03\x04uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 80, auth: Auth::Socks4(b"uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuu") },
            rest: b"",
        },
        ctor: None,
        note: "SOCKS4 message of 513 bytes: tor-socksproto accepts it. C depends on buffer chunking: it rejects if the first chunk has only 512 bytes (truncated with datalen >= 512) and accepts if the whole message is in the first chunk",
    },
    ProxyVector {
        id: "R-X-socks4-connect-port0-4a",
        source: "reference:extra",
        input: b"\x04\x01\x00\x00\x00\x00\x00\x01\x00example.com\x00",
        arti: Outcome::Error {
            sent: b"",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "socks4: Port or DestIP is zero. Rejecting.",
        }),
        note: "SOCKS4a CONNECT example.com port 0: Syntax / C reject",
    },
    ProxyVector {
        id: "R-X-socks4-bind-truncated",
        source: "reference:extra",
        input: b"\x04\x02\x00\x50\x01\x02\x03\x04",
        arti: Outcome::NeedMore { sent: b"" },
        ctor: Some(Outcome::NeedMore { sent: b"" }),
        note: "a truncated SOCKS4 BIND waits for more; the command is checked only once the message is complete",
    },
    ProxyVector {
        id: "R-X-socks4a-ip-string",
        source: "reference:extra",
        input: b"\x04\x01\x00\x50\x00\x00\x00\x01\x001.2.3.4\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::Host(b"1.2.3.4"), port: 80, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::Host(b"1.2.3.4"), port: 80, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS4a hostname that looks like an IP stays a Host",
    },
    ProxyVector {
        id: "R-X-socks4a-host-then-300-bytes",
        source: "reference:extra",
        input: b"\x04\x01\x00\x50\x00\x00\x00\x01\x00example.com\x00DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD\
            DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD\
            DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD\
            DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::Host(b"example.com"), port: 80, auth: Auth::None },
            rest: b"DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD\
                DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD\
                DDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD\
                DDDDDDDDDDDD",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "socks4: Destaddr too long. Rejecting.",
        }),
        note: "SOCKS4a request followed by 300 bytes of payload: tor-socksproto keeps them in rest; C computes hostname_len up to the END of the buffer (312 > 256) and rejects",
    },
    ProxyVector {
        id: "R-X-socks4a-userid-host-rest",
        source: "reference:extra",
        input: b"\x04\x01\x00\x50\x00\x00\x00\x07user\x00h.example\x00xyz",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::Host(b"h.example"), port: 80, auth: Auth::Socks4(b"user") },
            rest: b"xyz",
        },
        ctor: Some(Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0x01, addr: Addr::Host(b"h.example"), port: 80, auth: Auth::Socks4(b"user") },
            rest: b"xyz",
        }),
        note: "SOCKS4a with a userid, a hostname and 3 trailing bytes",
    },
    ProxyVector {
        id: "R-X-socks4-resolve-ptr-4a",
        source: "reference:extra",
        input: b"\x04\xf1\x00\x00\x00\x00\x00\x01\x00example.com\x00",
        arti: Outcome::Finished {
            sent: b"",
            req: Req { version: 4, command: 0xf1, addr: Addr::Host(b"example.com"), port: 0, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "socks4: command 241 not recognized. Rejecting.",
        }),
        note: "SOCKS4a RESOLVE_PTR of a hostname: tor-socksproto accepts it, C rejects",
    },
    ProxyVector {
        id: "R-T39",
        source: "reference:T39",
        input: b"\x05\x00\x05\x01\x00",
        arti: Outcome::Error {
            sent: b"",
            kind: "NotImplemented",
            display: "SOCKS feature (authentication methods) not implemented",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "socks5 greeting with n_methods == 0: invalid (no reply)",
        }),
        note: "NMETHODS=0 (followed by a proper greeting): NotImplemented; C rejects with no reply (not even 05 FF) [arti: NotImplemented(\"authentication methods\")]",
    },
    ProxyVector {
        id: "R-E27",
        source: "reference:E27",
        input: b"\x05\x02\x00\x02",
        arti: Outcome::NeedMore { sent: b"\x05\x02" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x02" }),
        note: "00 and 02 offered: user/pass chosen (C too, unless PreferSOCKSNoAuth is set)",
    },
    ProxyVector {
        id: "R-E27-order",
        source: "reference:E27",
        input: b"\x05\x02\x02\x00",
        arti: Outcome::NeedMore { sent: b"\x05\x02" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x02" }),
        note: "02 and 00 offered, in the other order: 02 chosen",
    },
    ProxyVector {
        id: "R-E27-dup",
        source: "reference:E27",
        input: b"\x05\x04\x00\x00\x02\x02",
        arti: Outcome::NeedMore { sent: b"\x05\x02" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x02" }),
        note: "duplicate methods 00,00,02,02: 02 chosen",
    },
    ProxyVector {
        id: "R-E28",
        source: "reference:E28",
        input: b"\x05\xff\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\
            \x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x20\x21\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOP\
            QRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\x7f\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a\x8b\
            \x8c\x8d\x8e\x8f\x90\x91\x92\x93\x94\x95\x96\x97\x98\x99\x9a\x9b\x9c\x9d\x9e\x9f\xa0\xa1\xa2\xa3\
            \xa4\xa5\xa6\xa7\xa8\xa9\xaa\xab\xac\xad\xae\xaf\xb0\xb1\xb2\xb3\xb4\xb5\xb6\xb7\xb8\xb9\xba\xbb\
            \xbc\xbd\xbe\xbf\xc0\xc1\xc2\xc3\xc4\xc5\xc6\xc7\xc8\xc9\xca\xcb\xcc\xcd\xce\xcf\xd0\xd1\xd2\xd3\
            \xd4\xd5\xd6\xd7\xd8\xd9\xda\xdb\xdc\xdd\xde\xdf\xe0\xe1\xe2\xe3\xe4\xe5\xe6\xe7\xe8\xe9\xea\xeb\
            \xec\xed\xee\xef\xf0\xf1\xf2\xf3\xf4\xf5\xf6\xf7\xf8\xf9\xfa\xfb\xfc\xfd\xfe",
        arti: Outcome::NeedMore { sent: b"\x05\x02" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x02" }),
        note: "255 methods 00..FE: accepted, 02 chosen",
    },
    ProxyVector {
        id: "R-E28-noauth",
        source: "reference:E28",
        input: b"\x05\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
        arti: Outcome::NeedMore { sent: b"\x05\x00" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x00" }),
        note: "255 methods, all 00: no-auth chosen",
    },
    ProxyVector {
        id: "R-E28-truncated",
        source: "reference:E28",
        input: b"\x05\xff\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
        arti: Outcome::NeedMore { sent: b"" },
        ctor: Some(Outcome::NeedMore { sent: b"" }),
        note: "NMETHODS=255 with only 254 methods present: need more",
    },
    ProxyVector {
        id: "R-E45",
        source: "reference:E45",
        input: b"\x05\x01\x01",
        arti: Outcome::Error {
            sent: b"",
            kind: "NotImplemented",
            display: "SOCKS feature (authentication methods) not implemented",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\xff",
            kind: "reject",
            display: "socks5: offered methods don't include 'no auth' or username/password. Rejecting.",
        }),
        note: "only GSSAPI (01) offered: tor-socksproto NotImplemented with no reply; C sends 05 FF [arti: NotImplemented(\"authentication methods\")]",
    },
    ProxyVector {
        id: "R-E45-ff",
        source: "reference:E45",
        input: b"\x05\x02\x80\xff",
        arti: Outcome::Error {
            sent: b"",
            kind: "NotImplemented",
            display: "SOCKS feature (authentication methods) not implemented",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\xff",
            kind: "reject",
            display: "socks5: offered methods don't include 'no auth' or username/password. Rejecting.",
        }),
        note: "only a private method (80) and FF offered: NotImplemented / C 05 FF [arti: NotImplemented(\"authentication methods\")]",
    },
    ProxyVector {
        id: "R-X-greeting-truncated",
        source: "reference:extra",
        input: b"\x05\x03\x00",
        arti: Outcome::NeedMore { sent: b"" },
        ctor: Some(Outcome::NeedMore { sent: b"" }),
        note: "greeting announcing 3 methods with only 1 present",
    },
    ProxyVector {
        id: "R-T25",
        source: "reference:T25",
        input: b"\x05\x01\x02\x01\xffuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\xffppppppppp\
            pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp\
            pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp\
            pppppppppppppppppppppppppppppppppppppppppppppppppppppp",
        arti: Outcome::NeedMore { sent: b"\x05\x02\x01\x00" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x02\x01\x00" }),
        note: "RFC1929 with a 255-byte username and a 255-byte password (513 bytes): accepted (C pulls up only 512 bytes, so it needs the whole message in its first buffer chunk)",
    },
    ProxyVector {
        id: "R-T41",
        source: "reference:T41",
        input: b"\x05\x01\x02\x01\xffuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
            uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\xffppppppppp\
            pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp\
            pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp\
            pppppppppppppppppppppppppppppppppppppppppppppppppppppp\x05\x01\x00\x03\x0bexample.com\x01\xbb",
        arti: Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"example.com"), port: 443, auth: Auth::UserPass(b"uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu", b"pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp\
                pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp\
                ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp") },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"example.com"), port: 443, auth: Auth::UserPass(b"uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu", b"pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp\
                pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp\
                ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp") },
            rest: b"",
        }),
        note: "RFC1929 255/255 (513 bytes) followed by a CONNECT example.com:443, all in one stream (C: same 512-byte pull-up caveat as R-T25)",
    },
    ProxyVector {
        id: "R-X-rfc1929-empty-user",
        source: "reference:extra",
        input: b"\x05\x01\x02\x01\x00\x03abc\x05\x01\x00\x01\x01\x02\x03\x04\x00\x50",
        arti: Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 80, auth: Auth::UserPass(b"", b"abc") },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 80, auth: Auth::UserPass(b"", b"abc") },
            rest: b"",
        }),
        note: "RFC1929 with an empty username and password \"abc\", then a CONNECT",
    },
    ProxyVector {
        id: "R-X-rfc1929-binary",
        source: "reference:extra",
        input: b"\x05\x01\x02\x01\x03\x00\xff\x80\x02\x00\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x50",
        arti: Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 80, auth: Auth::UserPass(b"\x00\xff\x80", b"\x00\x00") },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 80, auth: Auth::UserPass(b"\x00\xff\x80", b"\x00\x00") },
            rest: b"",
        }),
        note: "RFC1929 fields containing NUL and non-UTF-8 bytes: kept as raw bytes (C's memdup keeps all bytes)",
    },
    ProxyVector {
        id: "R-X-rfc1929-truncated",
        source: "reference:extra",
        input: b"\x05\x01\x02\x01\x05ab",
        arti: Outcome::NeedMore { sent: b"\x05\x02" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x02" }),
        note: "RFC1929 username cut short: need more",
    },
    ProxyVector {
        id: "R-E31",
        source: "reference:E31",
        input: b"\x05\x01\x02\x05\x01\x00\x01\x01\x02\x03\x04\x00\x50",
        arti: Outcome::Error {
            sent: b"\x05\x02",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x02",
            kind: "reject",
            display: "socks5: parsing failed - invalid user/pass authentication message.",
        }),
        note: "user/pass chosen, but the client skips RFC1929 and sends its request: Syntax / C reject",
    },
    ProxyVector {
        id: "R-T23-then-request",
        source: "reference:T23",
        input: b"\x05\x01\x00\x01\x02me\x03you\x05\x01\x00\x01\x01\x02\x03\x04\x00\x50",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00\x01\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 80, auth: Auth::UserPass(b"me", b"you") },
            rest: b"",
        }),
        note: "no-auth chosen, RFC1929 sent anyway, then a CONNECT: C completes with user/pass me/you, tor-socksproto Syntax",
    },
    ProxyVector {
        id: "R-E41",
        source: "reference:E41",
        input: b"\x05\x01\x02\x01\x09<torS0X>0\x03iso\x05\x01\x00\x03\x0bexample.com\x00\x50",
        arti: Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"example.com"), port: 80, auth: Auth::UserPass(b"<torS0X>0", b"iso") },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"example.com"), port: 80, auth: Auth::UserPass(b"<torS0X>0", b"iso") },
            rest: b"",
        }),
        note: "prop351 username <torS0X>0 with isolation password: the crate does not interpret it; C 0.4.9 accepts this one too",
    },
    ProxyVector {
        id: "R-E42",
        source: "reference:E42",
        input: b"\x05\x01\x02\x01\x0f<torS0X>1obj123\x00\x05\x01\x00\x03\x0bexample.com\x00\x50",
        arti: Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"example.com"), port: 80, auth: Auth::UserPass(b"<torS0X>1obj123", b"") },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"example.com"), port: 80, auth: Auth::UserPass(b"<torS0X>1obj123", b"") },
            rest: b"",
        }),
        note: "prop351 <torS0X>1<ObjectId> (RPC) with an empty password: the crate accepts it; C 0.4.8 (transcribed) accepts it, but C 0.4.9 rejects it at RFC1929 time",
    },
    ProxyVector {
        id: "R-E43",
        source: "reference:E43",
        input: b"\x05\x01\x02\x01\x09<torS0X>2\x01\x78\x05\x01\x00\x03\x0bexample.com\x00\x50",
        arti: Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"example.com"), port: 80, auth: Auth::UserPass(b"<torS0X>2", b"\x78") },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"example.com"), port: 80, auth: Auth::UserPass(b"<torS0X>2", b"\x78") },
            rest: b"",
        }),
        note: "prop351 unknown format code '2': the crate accepts it (the arti binary rejects it later); C 0.4.9 rejects it at RFC1929 time",
    },
    ProxyVector {
        id: "R-E44",
        source: "reference:E44",
        input: b"\x05\x01\x02\x01\x08<torS0X>\x01\x78\x05\x01\x00\x03\x0bexample.com\x00\x50",
        arti: Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"example.com"), port: 80, auth: Auth::UserPass(b"<torS0X>", b"\x78") },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"example.com"), port: 80, auth: Auth::UserPass(b"<torS0X>", b"\x78") },
            rest: b"",
        }),
        note: "prop351 prefix with no format code: the crate accepts it; the arti binary and C 0.4.9 reject it",
    },
    ProxyVector {
        id: "R-E51",
        source: "reference:E51",
        input: b"\x05\x01\x02\x01\x00\x00\x05\x01\x02",
        arti: Outcome::NeedMore { sent: b"\x05\x02\x01\x00" },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x02\x01\x00\x05\x01\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "socks5: parsing failed - invalid client request",
        }),
        note: "greeting repeated after auth: tor-socksproto reads 05 01 02 as VER CMD RSV and waits for ATYP; C's trunnel rejects RSV=02 (05 01)",
    },
    ProxyVector {
        id: "R-E19",
        source: "reference:E19",
        input: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x00",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 0, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS5 CONNECT 1.2.3.4 port 0: tor-socksproto Syntax; C's parser accepts it (the connection layer later refuses 'port 0' with 05 01)",
    },
    ProxyVector {
        id: "R-E19-host",
        source: "reference:E19",
        input: b"\x05\x01\x00\x05\x01\x00\x03\x0bexample.com\x00\x00",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"example.com"), port: 0, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS5 CONNECT example.com:0: Syntax; C's parser accepts it (rejected later)",
    },
    ProxyVector {
        id: "R-E20",
        source: "reference:E20",
        input: b"\x05\x01\x00\x05\xf0\x00\x03\x0bexample.com\x00\x00",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf0, addr: Addr::Host(b"example.com"), port: 0, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf0, addr: Addr::Host(b"example.com"), port: 0, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS5 RESOLVE example.com with port 0: allowed",
    },
    ProxyVector {
        id: "R-E21",
        source: "reference:E21",
        input: b"\x05\x01\x00\x05\xf1\x00\x01\x01\x02\x03\x04\x00\x00",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf1, addr: Addr::V4([1, 2, 3, 4]), port: 0, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf1, addr: Addr::V4([1, 2, 3, 4]), port: 0, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS5 RESOLVE_PTR 1.2.3.4 with port 0: allowed",
    },
    ProxyVector {
        id: "R-E40",
        source: "reference:E40",
        input: b"\x05\x01\x00\x05\xf1\x00\x04\x20\x01\x0d\xb8\x85\xa3\x00\x00\x00\x00\x8a\x2e\x03\x70\x73\x34\x00\
            \x00",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf1, addr: Addr::V6([0x20, 0x01, 0x0d, 0xb8, 0x85, 0xa3, 0x00, 0x00, 0x00, 0x00, 0x8a, 0x2e, 0x03, 0x70, 0x73, 0x34]), port: 0, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf1, addr: Addr::V6([0x20, 0x01, 0x0d, 0xb8, 0x85, 0xa3, 0x00, 0x00, 0x00, 0x00, 0x8a, 0x2e, 0x03, 0x70, 0x73, 0x34]), port: 0, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS5 RESOLVE_PTR of an IPv6 address with port 0: allowed",
    },
    ProxyVector {
        id: "R-E22",
        source: "reference:E22",
        input: b"\x05\x01\x00\x05\x01\x00\x03\x06\xff\xfe.com\x00\x50",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "Decode",
            display: "Error decoding SOCKS message",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x01\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "Your application (using socks5 to port 80) gave Tor a malformed hostname: ... Rejecting the connection.",
        }),
        note: "SOCKS5 hostname that is not UTF-8: Decode(\"bad utf8 on hostname\"); C rejects it as a malformed hostname (05 01) [arti: Decode(InvalidMessage(\"bad utf8 on hostname\"))]",
    },
    ProxyVector {
        id: "R-E23",
        source: "reference:E23",
        input: b"\x05\x01\x00\x05\x01\x00\x03\x03\x61\x00\x62\x00\x50",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "Decode",
            display: "Error decoding SOCKS message",
        },
        ctor: None,
        note: "SOCKS5 hostname containing NUL: Decode with the misleading message \"hostname too long\"; C probably truncates at the NUL (strlcpy) and continues with \"a\" (not verified) [arti: Decode(InvalidMessage(\"hostname too long\"))]",
    },
    ProxyVector {
        id: "R-E24",
        source: "reference:E24",
        input: b"\x05\x01\x00\x05\x01\x07\x01\x01\x02\x03\x04\x00\x50",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 80, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x01\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "socks5: parsing failed - invalid client request",
        }),
        note: "SOCKS5 request with RSV=07: tor-socksproto ignores RSV; C's trunnel requires 0 (05 01)",
    },
    ProxyVector {
        id: "R-E24-ff",
        source: "reference:E24",
        input: b"\x05\x01\x00\x05\xf0\xff\x03\x0bexample.com\x00\x00",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf0, addr: Addr::Host(b"example.com"), port: 0, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x01\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "socks5: parsing failed - invalid client request",
        }),
        note: "SOCKS5 RESOLVE with RSV=FF: ignored by tor-socksproto; C rejects",
    },
    ProxyVector {
        id: "R-E25",
        source: "reference:E25",
        input: b"\x05\x01\x00\x05\x01\x00\x00\x01\x02\x03\x04\x00\x50",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "Decode",
            display: "Error decoding SOCKS message",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x01\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "socks5: parsing failed - invalid client request",
        }),
        note: "ATYP 0: Decode(\"unrecognized address type.\"); C's trunnel fails (05 01) [arti: Decode(InvalidMessage(\"unrecognized address type.\"))]",
    },
    ProxyVector {
        id: "R-E25-atyp2",
        source: "reference:E25",
        input: b"\x05\x01\x00\x05\x01\x00\x02\x01\x02\x03\x04\x00\x50",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "Decode",
            display: "Error decoding SOCKS message",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x01\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "socks5: parsing failed - invalid client request",
        }),
        note: "ATYP 2: Decode; C 05 01 [arti: Decode(InvalidMessage(\"unrecognized address type.\"))]",
    },
    ProxyVector {
        id: "R-E25-atyp-only",
        source: "reference:E25",
        input: b"\x05\x01\x00\x05\x01\x00\x05",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "Decode",
            display: "Error decoding SOCKS message",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x01\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "socks5: parsing failed - invalid client request",
        }),
        note: "unknown ATYP 05 with nothing after it: an error at once, not need-more, in both [arti: Decode(InvalidMessage(\"unrecognized address type.\"))]",
    },
    ProxyVector {
        id: "R-X-atyp-before-cmd",
        source: "reference:extra",
        input: b"\x05\x01\x00\x05\x02\x00\x09\x01\x02\x03\x04\x00\x50",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "Decode",
            display: "Error decoding SOCKS message",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x01\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "socks5: parsing failed - invalid client request",
        }),
        note: "BIND with unknown ATYP 09: the address error (Decode) comes before the command error (NotImplemented) [arti: Decode(InvalidMessage(\"unrecognized address type.\"))]",
    },
    ProxyVector {
        id: "R-E26",
        source: "reference:E26",
        input: b"\x05\x01\x00\x04\x01\x00\x50\x01\x02\x03\x04\x00",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 80, auth: Auth::None },
            rest: b"",
        }),
        note: "version switch: SOCKS5 greeting then a SOCKS4 request. tor-socksproto Syntax; C re-dispatches on the first byte and completes as SOCKS4",
    },
    ProxyVector {
        id: "R-P13",
        source: "reference:P13",
        input: b"\x05\x01\x00\x06\x01\x00\x01\x01\x02\x03\x04\x00\x50",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00",
            kind: "reject",
            display: "Socks version 6 not recognized.",
        }),
        note: "request VER=06 after the greeting: Syntax; C rejects with no parser reply (the connection layer then sends 05 01 00 01...)",
    },
    ProxyVector {
        id: "R-P13-auth",
        source: "reference:P13",
        input: b"\x05\x01\x00\x01\x00\x00\x05",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x00\x01\x00" }),
        note: "no-auth chosen, then 01 00 00 (an empty RFC1929 message) and 05: tor-socksproto Syntax at once; C accepts the auth and waits",
    },
    ProxyVector {
        id: "R-E32",
        source: "reference:E32",
        input: b"\x05\x01\x00\x05\x01\x00\x03\x0bexample.com\x00PGET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"example.com"), port: 80, auth: Auth::None },
            rest: b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"example.com"), port: 80, auth: Auth::None },
            rest: b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
        }),
        note: "SOCKS5 CONNECT followed by optimistic data: kept in rest (arti rejects it, TROVE-2024-010; C forwards it)",
    },
    ProxyVector {
        id: "R-E33",
        source: "reference:E33",
        input: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x50\x05\x01\x00\x01\x01\x02\x03\x04\x00\x50",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 80, auth: Auth::None },
            rest: b"\x05\x01\x00\x01\x01\x02\x03\x04\x00\x50",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 80, auth: Auth::None },
            rest: b"\x05\x01\x00\x01\x01\x02\x03\x04\x00\x50",
        }),
        note: "request sent twice: the second copy is left in rest",
    },
    ProxyVector {
        id: "R-E37",
        source: "reference:E37",
        input: b"\x05\x01\x00\x05\x03\x00\x01\x00\x00\x00\x00\x00\x00",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "NotImplemented",
            display: "SOCKS feature (SOCKS command UDP_ASSOCIATE) not implemented",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x07\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "command not supported (SOCKS5_COMMAND_NOT_SUPPORTED)",
        }),
        note: "UDP ASSOCIATE 0.0.0.0:0: NotImplemented (the command check comes before the port check); C 05 07 [arti: NotImplemented(\"SOCKS command UDP_ASSOCIATE\")]",
    },
    ProxyVector {
        id: "R-E38",
        source: "reference:E38",
        input: b"\x05\x01\x00\x05\x04\x00\x01\x01\x02\x03\x04\x00\x50",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "NotImplemented",
            display: "SOCKS feature (SOCKS command 4) not implemented",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x01\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "socks5: parsing failed - invalid client request",
        }),
        note: "unknown command 04: NotImplemented(\"SOCKS command 4\"); C's trunnel fails (05 01, not 07) [arti: NotImplemented(\"SOCKS command 4\")]",
    },
    ProxyVector {
        id: "R-E39",
        source: "reference:E39",
        input: b"\x05\x01\x00\x05\xf2\x00\x03\x0bexample.com\x00\x50",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "NotImplemented",
            display: "SOCKS feature (SOCKS command 242) not implemented",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x01\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "socks5: parsing failed - invalid client request",
        }),
        note: "the removed CONNECT_DIR (F2): NotImplemented; C's trunnel fails (05 01) [arti: NotImplemented(\"SOCKS command 242\")]",
    },
    ProxyVector {
        id: "R-X-bind-port0",
        source: "reference:extra",
        input: b"\x05\x01\x00\x05\x02\x00\x01\x01\x02\x03\x04\x00\x00",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "NotImplemented",
            display: "SOCKS feature (SOCKS command BIND) not implemented",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x07\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "command not supported (SOCKS5_COMMAND_NOT_SUPPORTED)",
        }),
        note: "BIND with port 0: NotImplemented (not Syntax) [arti: NotImplemented(\"SOCKS command BIND\")]",
    },
    ProxyVector {
        id: "R-T44",
        source: "reference:T44",
        input: b"\x05\x01\x00\x05\xf0\x00\x03\x00\x00\x00",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf0, addr: Addr::Host(b""), port: 0, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x01\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "empty hostname fails string_is_valid_dest (malformed hostname)",
        }),
        note: "SOCKS5 RESOLVE of an empty hostname (LEN 0): tor-socksproto accepts Hostname(\"\"), C rejects",
    },
    ProxyVector {
        id: "R-T22",
        source: "reference:T22",
        input: b"\x05\x01\x00\x05\x01\x00\x03\x071.2.3.4\x00\x50",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"1.2.3.4"), port: 80, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"1.2.3.4"), port: 80, auth: Auth::None },
            rest: b"",
        }),
        note: "CONNECT to the hostname string \"1.2.3.4\" (ATYP 3): stays a Host in both (C: no SafeSocks warning, because ATYP is 3)",
    },
    ProxyVector {
        id: "R-T32",
        source: "reference:T32",
        input: b"\x05\x01\x00\x05\x01\x00\x03\x0bfoo bar.com\x00\x50",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"foo bar.com"), port: 80, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x01\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "Your application (using socks5 to port 80) gave Tor a malformed hostname: ... Rejecting the connection.",
        }),
        note: "hostname containing a space: accepted by tor-socksproto, rejected by C's hostname check",
    },
    ProxyVector {
        id: "R-X-hostname-trailing-dot",
        source: "reference:extra",
        input: b"\x05\x01\x00\x05\x01\x00\x03\x0cexample.com.\x00\x50",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"example.com."), port: 80, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"example.com."), port: 80, auth: Auth::None },
            rest: b"",
        }),
        note: "FQDN with one trailing dot: valid for C too",
    },
    ProxyVector {
        id: "R-X-hostname-underscore-label",
        source: "reference:extra",
        input: b"\x05\x01\x00\x05\x01\x00\x03\x0e_x.example.com\x00\x50",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"_x.example.com"), port: 80, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x01\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "Your application (using socks5 to port 80) gave Tor a malformed hostname: ... Rejecting the connection.",
        }),
        note: "label starting with '_': tor-socksproto accepts it, C's string_is_valid_nonrfc_hostname rejects it",
    },
    ProxyVector {
        id: "R-X-hostname-utf8",
        source: "reference:extra",
        input: b"\x05\x01\x00\x05\x01\x00\x03\x0a\x62\xc3\xbccher.de\x00\x50",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"\x62\xc3\xbccher.de"), port: 80, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Error {
            sent: b"\x05\x00\x05\x01\x00\x01\x00\x00\x00\x00\x00\x00",
            kind: "reject",
            display: "Your application (using socks5 to port 80) gave Tor a malformed hostname: ... Rejecting the connection.",
        }),
        note: "UTF-8 (non-ASCII) hostname bücher.de: tor-socksproto accepts it, C rejects it (only [A-Za-z0-9_-])",
    },
    ProxyVector {
        id: "R-X-onion-host",
        source: "reference:extra",
        input: b"\x05\x01\x00\x05\x01\x00\x03\x3eaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.onion\x00\
            \x50",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.onion"), port: 80, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.onion"), port: 80, auth: Auth::None },
            rest: b"",
        }),
        note: "CONNECT to a 62-byte .onion hostname",
    },
    ProxyVector {
        id: "R-X-resolve-ipv6-atyp4",
        source: "reference:extra",
        input: b"\x05\x01\x00\x05\xf0\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\
            \x00",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf0, addr: Addr::V6([0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01]), port: 0, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0xf0, addr: Addr::V6([0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01]), port: 0, auth: Auth::None },
            rest: b"",
        }),
        note: "RESOLVE of the IPv6 ::1 (ATYP 4), port 0",
    },
    ProxyVector {
        id: "R-X-connect-ipv4-zero",
        source: "reference:extra",
        input: b"\x05\x01\x00\x05\x01\x00\x01\x00\x00\x00\x00\x00\x50",
        arti: Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V4([0, 0, 0, 0]), port: 80, auth: Auth::None },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V4([0, 0, 0, 0]), port: 80, auth: Auth::None },
            rest: b"",
        }),
        note: "SOCKS5 CONNECT 0.0.0.0:80: accepted by both parsers",
    },
    ProxyVector {
        id: "R-X-connect-ipv6-unspecified-port0",
        source: "reference:extra",
        input: b"\x05\x01\x00\x05\x01\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00",
        arti: Outcome::Error {
            sent: b"\x05\x00",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::V6([0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]), port: 0, auth: Auth::None },
            rest: b"",
        }),
        note: "CONNECT [::]:0 (the prop351 'object target' form): tor-socksproto Syntax (port 0), so it cannot pass; C's parser accepts it",
    },
    ProxyVector {
        id: "R-X-request-truncated-port",
        source: "reference:extra",
        input: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00",
        arti: Outcome::NeedMore { sent: b"\x05\x00" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x00" }),
        note: "SOCKS5 request missing the last port byte",
    },
    ProxyVector {
        id: "R-X-request-truncated-hostlen",
        source: "reference:extra",
        input: b"\x05\x01\x00\x05\x01\x00\x03",
        arti: Outcome::NeedMore { sent: b"\x05\x00" },
        ctor: Some(Outcome::NeedMore { sent: b"\x05\x00" }),
        note: "SOCKS5 request ending right after ATYP=03",
    },
    ProxyVector {
        id: "R-T27",
        source: "reference:T27",
        input: b"\x05\x01\x02\x01\x02me\x03you\x05\x01\x00\x03\x0bexample.com\x00\x50",
        arti: Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"example.com"), port: 80, auth: Auth::UserPass(b"me", b"you") },
            rest: b"",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0x01, addr: Addr::Host(b"example.com"), port: 80, auth: Auth::UserPass(b"me", b"you") },
            rest: b"",
        }),
        note: "greeting, RFC1929 and request pipelined in one read; tor-socksproto sends 05 02 and then 01 00. C's socks->reply is overwritten, so in one fetch call it sends only 01 00 (C bug)",
    },
    ProxyVector {
        id: "R-T34",
        source: "reference:T34",
        input: b"\x05\x02\x00\x02\x01\x01\x61\x01\x62\x05\xf0\x00\x03\x0bexample.com\x00\x00xyz",
        arti: Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0xf0, addr: Addr::Host(b"example.com"), port: 0, auth: Auth::UserPass(b"\x61", b"\x62") },
            rest: b"xyz",
        },
        ctor: Some(Outcome::Finished {
            sent: b"\x05\x02\x01\x00",
            req: Req { version: 5, command: 0xf0, addr: Addr::Host(b"example.com"), port: 0, auth: Auth::UserPass(b"\x61", b"\x62") },
            rest: b"xyz",
        }),
        note: "greeting 00+02, auth a/b, RESOLVE example.com:0 and 3 bytes of payload, all pipelined",
    },
    ProxyVector {
        id: "R-E36",
        source: "reference:E36",
        input: b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
        arti: Outcome::Error {
            sent: b"",
            kind: "BadProtocol",
            display: "Unrecognized SOCKS protocol version 67",
        },
        ctor: Some(Outcome::Error {
            sent: C_HTTP_501,
            kind: "reject",
            display: "Socks version 67 not recognized. (This port is not an HTTP proxy; did you want to use HTTPTunnelPort?)",
        }),
        note: "HTTP CONNECT on the SOCKS port: BadProtocol(67), C sends the 501 page [arti: BadProtocol(67)]",
    },
    ProxyVector {
        id: "R-X-http-post",
        source: "reference:extra",
        input: b"POST / HTTP/1.1\r\n",
        arti: Outcome::Error {
            sent: b"",
            kind: "BadProtocol",
            display: "Unrecognized SOCKS protocol version 80",
        },
        ctor: Some(Outcome::Error {
            sent: C_HTTP_501,
            kind: "reject",
            display: "Socks version 80 not recognized. (This port is not an HTTP proxy; did you want to use HTTPTunnelPort?)",
        }),
        note: "HTTP POST: BadProtocol(80); C sends the 501 page [arti: BadProtocol(80)]",
    },
    ProxyVector {
        id: "R-X-tls-clienthello",
        source: "reference:extra",
        input: b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        arti: Outcome::Error {
            sent: b"",
            kind: "BadProtocol",
            display: "Unrecognized SOCKS protocol version 22",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "Socks version 22 not recognized. (This port is not an HTTP proxy; did you want to use HTTPTunnelPort?)",
        }),
        note: "TLS ClientHello on the SOCKS port: BadProtocol(22); C rejects with no reply [arti: BadProtocol(22)]",
    },
    ProxyVector {
        id: "R-X-first-byte-zero",
        source: "reference:extra",
        input: b"\x00\x00",
        arti: Outcome::Error {
            sent: b"",
            kind: "BadProtocol",
            display: "Unrecognized SOCKS protocol version 0",
        },
        ctor: Some(Outcome::Error {
            sent: b"",
            kind: "reject",
            display: "Socks version 0 not recognized. (This port is not an HTTP proxy; did you want to use HTTPTunnelPort?)",
        }),
        note: "first byte 00: BadProtocol(0); C rejects with no reply [arti: BadProtocol(0)]",
    },
    ProxyVector {
        id: "R-X-first-byte-get-1",
        source: "reference:extra",
        input: b"\x47",
        arti: Outcome::Error {
            sent: b"",
            kind: "BadProtocol",
            display: "Unrecognized SOCKS protocol version 71",
        },
        ctor: Some(Outcome::NeedMore { sent: b"" }),
        note: "a single 'G': tor-socksproto BadProtocol(71) at once; C waits until it has 2 bytes [arti: BadProtocol(71)]",
    },
];

pub const CLIENT: &[ClientVector] = &[
    ClientVector {
        id: "C-client-v4-vn4-granted",
        source: "test_socks.c:test_socks_client_v4",
        request: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 8229, auth: Auth::None },
        server: b"\x04\x5a\x20\x25\x01\x02\x03\x04",
        arti: ClientOutcome::Error {
            sent: b"\x04\x01\x20\x25\x01\x02\x03\x04\x00",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        note: "SOCKS4 reply with VN=04, status 5A: C accepts it (returns 1), tor-socksproto requires VN=00 and gives Syntax (reference C05)",
    },
    ClientVector {
        id: "C-client-v4-vn4-rejected",
        source: "test_socks.c:test_socks_client_v4",
        request: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 8229, auth: Auth::None },
        server: b"\x04\x5b\x20\x25\x01\x02\x03\x04",
        arti: ClientOutcome::Error {
            sent: b"\x04\x01\x20\x25\x01\x02\x03\x04\x00",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        note: "SOCKS4 reply with VN=04, status 5B: C: -1 \"server rejected connection\"; tor-socksproto Syntax (VN)",
    },
    ClientVector {
        id: "C-client-v5-method-none-00",
        source: "test_socks.c:test_socks_client_v5_auth",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05\x00",
        arti: ClientOutcome::NeedMore { sent: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x05" },
        note: "we offered no-auth, the server picks 00: C: 1; tor-socksproto sends the request and waits",
    },
    ClientVector {
        id: "C-client-v5-method-rfc1929-00",
        source: "test_socks.c:test_socks_client_v5_auth",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::UserPass(b"user", b"pass") },
        server: b"\x05\x00",
        arti: ClientOutcome::NeedMore { sent: b"\x05\x02\x02\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x05" },
        note: "we offered user/pass (and no-auth), the server picks 00: C: 1; tor-socksproto skips auth and sends the request (reference C13)",
    },
    ClientVector {
        id: "C-client-v5-method-rfc1929-02",
        source: "test_socks.c:test_socks_client_v5_auth",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::UserPass(b"user", b"pass") },
        server: b"\x05\x02",
        arti: ClientOutcome::NeedMore { sent: b"\x05\x02\x02\x00\x01\x04user\x04pass" },
        note: "the server picks 02: C: 2 (send credentials); tor-socksproto sends 01 04 user 04 pass",
    },
    ClientVector {
        id: "C-client-v5-method-none-ff",
        source: "test_socks.c:test_socks_client_v5_auth",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05\xff",
        arti: ClientOutcome::Error {
            sent: b"\x05\x01\x00",
            kind: "NotImplemented",
            display: "SOCKS feature (authentication type 255) not implemented",
        },
        note: "the server answers 05 FF: C: -1 \"server doesn't support any of our available authentication methods\"; tor-socksproto NotImplemented (reference C11) [arti: NotImplemented(\"authentication type 255\")]",
    },
    ClientVector {
        id: "C-client-v5-method-rfc1929-ff",
        source: "test_socks.c:test_socks_client_v5_auth",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::UserPass(b"user", b"pass") },
        server: b"\x05\xff",
        arti: ClientOutcome::Error {
            sent: b"\x05\x02\x02\x00",
            kind: "NotImplemented",
            display: "SOCKS feature (authentication type 255) not implemented",
        },
        note: "05 FF after we offered user/pass: C: -1 (same message); tor-socksproto NotImplemented [arti: NotImplemented(\"authentication type 255\")]",
    },
    ClientVector {
        id: "C-client-v5-auth-ok",
        source: "test_socks.c:test_socks_client_v5_auth",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::UserPass(b"user", b"pass") },
        server: b"\x05\x02\x01\x00",
        arti: ClientOutcome::NeedMore { sent: b"\x05\x02\x02\x00\x01\x04user\x04pass\x05\x01\x00\x01\x01\x02\x03\x04\x00\x05" },
        note: "RFC1929 reply 01 00: C: 1; tor-socksproto sends the request",
    },
    ClientVector {
        id: "C-client-v5-auth-failed",
        source: "test_socks.c:test_socks_client_v5_auth",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::UserPass(b"user", b"pass") },
        server: b"\x05\x02\x01\xf0",
        arti: ClientOutcome::Error {
            sent: b"\x05\x02\x02\x00\x01\x04user\x04pass",
            kind: "AuthRejected",
            display: "SOCKS Authentication failed",
        },
        note: "RFC1929 reply 01 F0: C: -1 \"authentication failed\"; tor-socksproto AuthRejected (reference C14)",
    },
    ClientVector {
        id: "C-client-v5-connect-ipv4",
        source: "test_socks.c:test_socks_client_v5_connect",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05\x00\x05\x00\x00\x01\x01\x02\x03\x04\x00\x05",
        arti: ClientOutcome::Finished {
            sent: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x05",
            status: 0x00,
            addr: Some(Addr::V4([1, 2, 3, 4])),
            port: 5,
            rest: b"",
        },
        note: "success reply with BND 1.2.3.4:5: C: 1",
    },
    ClientVector {
        id: "C-client-v5-connect-ipv6",
        source: "test_socks.c:test_socks_client_v5_connect",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05\x00\x05\x00\x00\x04abcdefghijklmnop\x00\x05",
        arti: ClientOutcome::Finished {
            sent: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x05",
            status: 0x00,
            addr: Some(Addr::V6([0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70])),
            port: 5,
            rest: b"",
        },
        note: "success reply with an IPv6 BND.ADDR (the bytes \"abcdefghijklmnop\"): C: 1",
    },
    ClientVector {
        id: "C-client-v5-connect-hostname",
        source: "test_socks.c:test_socks_client_v5_connect",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05\x00\x05\x00\x00\x03\x12gopher.example.com\x00\x05",
        arti: ClientOutcome::Finished {
            sent: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x05",
            status: 0x00,
            addr: Some(Addr::Host(b"gopher.example.com")),
            port: 5,
            rest: b"",
        },
        note: "success reply with a hostname BND.ADDR: C: 1",
    },
    ClientVector {
        id: "C-client-v5-connect-fail-hostname",
        source: "test_socks.c:test_socks_client_v5_connect",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05\x00\x05\x03\x00\x03\x12gopher.example.com\x00\x05",
        arti: ClientOutcome::Finished {
            sent: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x05",
            status: 0x03,
            addr: Some(Addr::Host(b"gopher.example.com")),
            port: 5,
            rest: b"",
        },
        note: "REP=03 with a hostname: C: -1 \"Network unreachable\"; tor-socksproto finishes with status 3 (a failure status is not an Err)",
    },
    ClientVector {
        id: "C-client-v5-connect-atyp17",
        source: "test_socks.c:test_socks_client_v5_connect",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05\x00\x05\x03\x00\x17\x12\x20blah blah",
        arti: ClientOutcome::Error {
            sent: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x05",
            kind: "Decode",
            display: "Error decoding SOCKS message",
        },
        note: "ATYP 0x17: C: -1 \"invalid response to connect request\"; tor-socksproto Decode [arti: Decode(InvalidMessage(\"unrecognized address type.\"))]",
    },
    ClientVector {
        id: "C-client-trunc-v4-5a-1",
        source: "test_socks.c:test_socks_client_truncated",
        request: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 8229, auth: Auth::None },
        server: b"\x04",
        arti: ClientOutcome::Error {
            sent: b"\x04\x01\x20\x25\x01\x02\x03\x04\x00",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        note: "v4-5a: first 1 of 8 reply bytes; C: 0 (not done), drains nothing",
    },
    ClientVector {
        id: "C-client-trunc-v4-5a-7",
        source: "test_socks.c:test_socks_client_truncated",
        request: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 8229, auth: Auth::None },
        server: b"\x04\x5a\x20\x25\x01\x02\x03",
        arti: ClientOutcome::Error {
            sent: b"\x04\x01\x20\x25\x01\x02\x03\x04\x00",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        note: "v4-5a: first 7 of 8 reply bytes; C: 0 (not done), drains nothing",
    },
    ClientVector {
        id: "C-client-trunc-v4-5b-7",
        source: "test_socks.c:test_socks_client_truncated",
        request: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 8229, auth: Auth::None },
        server: b"\x04\x5b\x20\x25\x01\x02\x03",
        arti: ClientOutcome::Error {
            sent: b"\x04\x01\x20\x25\x01\x02\x03\x04\x00",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        note: "v4-5b: first 7 of 8 reply bytes; C: 0 (not done), drains nothing",
    },
    ClientVector {
        id: "C-client-trunc-v5-method-none-1",
        source: "test_socks.c:test_socks_client_truncated",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05",
        arti: ClientOutcome::NeedMore { sent: b"\x05\x01\x00" },
        note: "v5-method-none: first 1 of 2 reply bytes; C: 0 (not done), drains nothing",
    },
    ClientVector {
        id: "C-client-trunc-v5-method-rfc1929-1",
        source: "test_socks.c:test_socks_client_truncated",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::UserPass(b"user", b"pass") },
        server: b"\x05",
        arti: ClientOutcome::NeedMore { sent: b"\x05\x02\x02\x00" },
        note: "v5-method-rfc1929: first 1 of 2 reply bytes; C: 0 (not done), drains nothing",
    },
    ClientVector {
        id: "C-client-trunc-v5-auth-ok-1",
        source: "test_socks.c:test_socks_client_truncated",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::UserPass(b"user", b"pass") },
        server: b"\x05\x02\x01",
        arti: ClientOutcome::NeedMore { sent: b"\x05\x02\x02\x00\x01\x04user\x04pass" },
        note: "v5-auth-ok: first 1 of 2 reply bytes; C: 0 (not done), drains nothing",
    },
    ClientVector {
        id: "C-client-trunc-v5-connect-ipv4-1",
        source: "test_socks.c:test_socks_client_truncated",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05\x00\x05",
        arti: ClientOutcome::NeedMore { sent: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x05" },
        note: "v5-connect-ipv4: first 1 of 10 reply bytes; C: 0 (not done), drains nothing",
    },
    ClientVector {
        id: "C-client-trunc-v5-connect-ipv4-9",
        source: "test_socks.c:test_socks_client_truncated",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05\x00\x05\x00\x00\x01\x01\x02\x03\x04\x00",
        arti: ClientOutcome::NeedMore { sent: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x05" },
        note: "v5-connect-ipv4: first 9 of 10 reply bytes; C: 0 (not done), drains nothing",
    },
    ClientVector {
        id: "C-client-trunc-v5-connect-ipv6-21",
        source: "test_socks.c:test_socks_client_truncated",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05\x00\x05\x00\x00\x04abcdefghijklmnop\x00",
        arti: ClientOutcome::NeedMore { sent: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x05" },
        note: "v5-connect-ipv6: first 21 of 22 reply bytes; C: 0 (not done), drains nothing",
    },
    ClientVector {
        id: "C-client-trunc-v5-connect-hostname-24",
        source: "test_socks.c:test_socks_client_truncated",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05\x00\x05\x00\x00\x03\x12gopher.example.com\x00",
        arti: ClientOutcome::NeedMore { sent: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x05" },
        note: "v5-connect-hostname: first 24 of 25 reply bytes; C: 0 (not done), drains nothing",
    },
    ClientVector {
        id: "C-client-trunc-v5-connect-fail-hostname-24",
        source: "test_socks.c:test_socks_client_truncated",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05\x00\x05\x03\x00\x03\x12gopher.example.com\x00",
        arti: ClientOutcome::NeedMore { sent: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x05" },
        note: "v5-connect-fail-hostname: first 24 of 25 reply bytes; C: 0 (not done), drains nothing",
    },
    ClientVector {
        id: "C-client-trunc-v5-connect-atyp17-3",
        source: "test_socks.c:test_socks_client_truncated",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05\x00\x05\x03\x00",
        arti: ClientOutcome::NeedMore { sent: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x05" },
        note: "v5-connect-atyp17: first 3 of 4 reply bytes; C: 0 (not done), drains nothing",
    },
    ClientVector {
        id: "A-client-socks4-ok",
        source: "tor-socksproto:client.rs:socks4_ok",
        request: Req { version: 4, command: 0x01, addr: Addr::V4([192, 0, 2, 15]), port: 443, auth: Auth::None },
        server: b"\x00\x5a\x01\xbb\xc0\x00\x02\x0f",
        arti: ClientOutcome::Finished {
            sent: b"\x04\x01\x01\xbb\xc0\x00\x02\x0f\x00",
            status: 0x00,
            addr: Some(Addr::V4([192, 0, 2, 15])),
            port: 443,
            rest: b"",
        },
        note: "SOCKS4 CONNECT 192.0.2.15:443, granted",
    },
    ClientVector {
        id: "A-client-socks4a-ok",
        source: "tor-socksproto:client.rs:socks4a_ok",
        request: Req { version: 4, command: 0x01, addr: Addr::Host(b"www.torproject.org"), port: 443, auth: Auth::Socks4(b"hello") },
        server: b"\x00\x5a\x01\xbb\xc0\x00\x02\x15",
        arti: ClientOutcome::Finished {
            sent: b"\x04\x01\x01\xbb\x00\x00\x00\x01hello\x00www.torproject.org\x00",
            status: 0x00,
            addr: Some(Addr::V4([192, 0, 2, 21])),
            port: 443,
            rest: b"",
        },
        note: "SOCKS4a CONNECT www.torproject.org:443 with userid hello, granted (BND 192.0.2.21)",
    },
    ClientVector {
        id: "A-client-socks5-noauth",
        source: "tor-socksproto:client.rs:socks5_with_no_auth",
        request: Req { version: 5, command: 0x01, addr: Addr::Host(b"www.torproject.org"), port: 443, auth: Auth::None },
        server: b"\x05\x00\x05\x00\x00\x01\xc0\x00\x02\x15\x01\xbb",
        arti: ClientOutcome::Finished {
            sent: b"\x05\x01\x00\x05\x01\x00\x03\x12www.torproject.org\x01\xbb",
            status: 0x00,
            addr: Some(Addr::V4([192, 0, 2, 21])),
            port: 443,
            rest: b"",
        },
        note: "SOCKS5 no-auth CONNECT www.torproject.org:443, succeeded",
    },
    ClientVector {
        id: "A-client-socks5-auth-ok",
        source: "tor-socksproto:client.rs:socks5_with_auth_ok",
        request: Req { version: 5, command: 0x01, addr: Addr::Host(b"www.torproject.org"), port: 443, auth: Auth::UserPass(b"hello", b"world") },
        server: b"\x05\x02\x01\x00\x05\x00\x00\x01\xc0\x00\x02\x15\x01\xbb",
        arti: ClientOutcome::Finished {
            sent: b"\x05\x02\x02\x00\x01\x05hello\x05world\x05\x01\x00\x03\x12www.torproject.org\x01\xbb",
            status: 0x00,
            addr: Some(Addr::V4([192, 0, 2, 21])),
            port: 443,
            rest: b"",
        },
        note: "SOCKS5 user/pass hello/world, then CONNECT, succeeded",
    },
    ClientVector {
        id: "A-client-roundtrip-socks4-host",
        source: "tor-socksproto:handshake.rs:test_roundtrip::socks4",
        request: Req { version: 4, command: 0x01, addr: Addr::Host(b"www.torproject.org"), port: 443, auth: Auth::None },
        server: b"\x00\x5a\x00\x00\x00\x00\x00\x00",
        arti: ClientOutcome::Finished {
            sent: b"\x04\x01\x01\xbb\x00\x00\x00\x01\x00www.torproject.org\x00",
            status: 0x00,
            addr: Some(Addr::V4([0, 0, 0, 0])),
            port: 0,
            rest: b"",
        },
        note: "roundtrip: the proxy's reply(SUCCEEDED, None) for a V4 request",
    },
    ClientVector {
        id: "A-client-roundtrip-socks4-ip",
        source: "tor-socksproto:handshake.rs:test_roundtrip::socks4",
        request: Req { version: 4, command: 0x01, addr: Addr::V4([192, 0, 2, 33]), port: 22, auth: Auth::Socks4(b"swordfish") },
        server: b"\x00\x5b\x00\x00\x00\x00\x00\x00",
        arti: ClientOutcome::Finished {
            sent: b"\x04\x01\x00\x16\xc0\x00\x02\x21swordfish\x00",
            status: 0x01,
            addr: Some(Addr::V4([0, 0, 0, 0])),
            port: 0,
            rest: b"",
        },
        note: "roundtrip: reply(GENERAL_FAILURE, None) comes back as status 01",
    },
    ClientVector {
        id: "A-client-roundtrip-socks5-host",
        source: "tor-socksproto:handshake.rs:test_roundtrip::socks5",
        request: Req { version: 5, command: 0x01, addr: Addr::Host(b"www.torproject.org"), port: 443, auth: Auth::None },
        server: b"\x05\x00\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00",
        arti: ClientOutcome::Finished {
            sent: b"\x05\x01\x00\x05\x01\x00\x03\x12www.torproject.org\x01\xbb",
            status: 0x00,
            addr: Some(Addr::V4([0, 0, 0, 0])),
            port: 0,
            rest: b"",
        },
        note: "roundtrip: SOCKS5 reply(SUCCEEDED, None) for a hostname request",
    },
    ClientVector {
        id: "A-client-roundtrip-socks5-ipv6",
        source: "tor-socksproto:handshake.rs:test_roundtrip::socks5",
        request: Req { version: 5, command: 0x01, addr: Addr::V6([0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x32]), port: 443, auth: Auth::UserPass(b"belbo", b"non") },
        server: b"\x05\x02\x01\x00\x05\x01\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\
            \x00\x00",
        arti: ClientOutcome::Finished {
            sent: b"\x05\x02\x02\x00\x01\x05belbo\x03non\x05\x01\x00\x04\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\
                \x00\x00\x00\x00\x32\x01\xbb",
            status: 0x01,
            addr: Some(Addr::V6([0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00])),
            port: 0,
            rest: b"",
        },
        note: "roundtrip: SOCKS5 with user/pass to [2001:db8::32]:443, reply(GENERAL_FAILURE, None) with an IPv6 BND",
    },
    ClientVector {
        id: "R-C06",
        source: "reference:C06",
        request: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 8229, auth: Auth::None },
        server: b"\x00\x5a\x20\x25\x01\x02\x03\x04",
        arti: ClientOutcome::Finished {
            sent: b"\x04\x01\x20\x25\x01\x02\x03\x04\x00",
            status: 0x00,
            addr: Some(Addr::V4([1, 2, 3, 4])),
            port: 8229,
            rest: b"",
        },
        note: "SOCKS4 VN=00 status 5A maps to SUCCEEDED (00)",
    },
    ClientVector {
        id: "R-C07",
        source: "reference:C07",
        request: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 8229, auth: Auth::None },
        server: b"\x00\x5b\x00\x00\x00\x00\x00\x00",
        arti: ClientOutcome::Finished {
            sent: b"\x04\x01\x20\x25\x01\x02\x03\x04\x00",
            status: 0x01,
            addr: Some(Addr::V4([0, 0, 0, 0])),
            port: 0,
            rest: b"",
        },
        note: "SOCKS4 status 5B maps to GENERAL_FAILURE (01)",
    },
    ClientVector {
        id: "R-C08",
        source: "reference:C08",
        request: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 8229, auth: Auth::None },
        server: b"\x00\x5c\x00\x00\x00\x00\x00\x00",
        arti: ClientOutcome::Finished {
            sent: b"\x04\x01\x20\x25\x01\x02\x03\x04\x00",
            status: 0x02,
            addr: Some(Addr::V4([0, 0, 0, 0])),
            port: 0,
            rest: b"",
        },
        note: "SOCKS4 status 5C maps to NOT_ALLOWED (02)",
    },
    ClientVector {
        id: "R-C09",
        source: "reference:C09",
        request: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 8229, auth: Auth::None },
        server: b"\x00\x5d\x00\x00\x00\x00\x00\x00",
        arti: ClientOutcome::Finished {
            sent: b"\x04\x01\x20\x25\x01\x02\x03\x04\x00",
            status: 0x02,
            addr: Some(Addr::V4([0, 0, 0, 0])),
            port: 0,
            rest: b"",
        },
        note: "SOCKS4 status 5D maps to NOT_ALLOWED (02)",
    },
    ClientVector {
        id: "R-C09-other",
        source: "reference:C09",
        request: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 8229, auth: Auth::None },
        server: b"\x00\x00\x00\x00\x00\x00\x00\x00",
        arti: ClientOutcome::Finished {
            sent: b"\x04\x01\x20\x25\x01\x02\x03\x04\x00",
            status: 0x01,
            addr: Some(Addr::V4([0, 0, 0, 0])),
            port: 0,
            rest: b"",
        },
        note: "SOCKS4 status 00 (not a v4 code) maps to GENERAL_FAILURE (01)",
    },
    ClientVector {
        id: "R-C05-vn5",
        source: "reference:C05",
        request: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 8229, auth: Auth::None },
        server: b"\x05\x5a\x00\x00\x00\x00\x00\x00",
        arti: ClientOutcome::Error {
            sent: b"\x04\x01\x20\x25\x01\x02\x03\x04\x00",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        note: "SOCKS4 reply with VN=05: Syntax",
    },
    ClientVector {
        id: "R-C-v4-4a-send",
        source: "reference:extra",
        request: Req { version: 4, command: 0x01, addr: Addr::Host(b"example.com"), port: 80, auth: Auth::None },
        server: b"",
        arti: ClientOutcome::NeedMore { sent: b"\x04\x01\x00\x50\x00\x00\x00\x01\x00example.com\x00" },
        note: "SOCKS4a request for example.com:80: what the client sends first",
    },
    ClientVector {
        id: "R-C-v4-truncated",
        source: "reference:extra",
        request: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 8229, auth: Auth::None },
        server: b"\x00\x5a\x20\x25\x01\x02\x03",
        arti: ClientOutcome::NeedMore { sent: b"\x04\x01\x20\x25\x01\x02\x03\x04\x00" },
        note: "SOCKS4 reply one byte short",
    },
    ClientVector {
        id: "R-C-v4-rest",
        source: "reference:extra",
        request: Req { version: 4, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 8229, auth: Auth::None },
        server: b"\x00\x5a\x20\x25\x01\x02\x03\x04HTTP/1.1 200 OK\r\n",
        arti: ClientOutcome::Finished {
            sent: b"\x04\x01\x20\x25\x01\x02\x03\x04\x00",
            status: 0x00,
            addr: Some(Addr::V4([1, 2, 3, 4])),
            port: 8229,
            rest: b"HTTP/1.1 200 OK\r\n",
        },
        note: "SOCKS4 reply followed by application data, which is left in rest",
    },
    ClientVector {
        id: "R-C29",
        source: "reference:C29",
        request: Req { version: 4, command: 0x01, addr: Addr::V6([0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01]), port: 443, auth: Auth::None },
        server: b"\x00\x5a\x00\x00\x00\x00\x00\x00",
        arti: ClientOutcome::Finished {
            sent: b"\x04\x01\x01\xbb\x00\x00\x00\x01\x002001:db8::1\x00",
            status: 0x00,
            addr: Some(Addr::V4([0, 0, 0, 0])),
            port: 0,
            rest: b"",
        },
        note: "IPv6 target over SOCKS4: sent as the 4a hostname \"2001:db8::1\"",
    },
    ClientVector {
        id: "R-C30",
        source: "reference:C30",
        request: Req { version: 4, command: 0x01, addr: Addr::V4([0, 0, 0, 5]), port: 80, auth: Auth::None },
        server: b"\x00\x5a\x00\x50\x00\x00\x00\x05",
        arti: ClientOutcome::Finished {
            sent: b"\x04\x01\x00\x50\x00\x00\x00\x05\x00",
            status: 0x00,
            addr: Some(Addr::V4([0, 0, 0, 5])),
            port: 80,
            rest: b"",
        },
        note: "target 0.0.0.5 over SOCKS4: sent as a raw IP with no hostname, which a 4a proxy (tor-socksproto, C tor) will read as 4a and wait for a hostname (see R-E13)",
    },
    ClientVector {
        id: "R-C-v4-resolve",
        source: "reference:extra",
        request: Req { version: 4, command: 0xf0, addr: Addr::Host(b"example.com"), port: 0, auth: Auth::None },
        server: b"\x00\x5a\x00\x00\x5d\xb8\xd8\x22",
        arti: ClientOutcome::Finished {
            sent: b"\x04\xf0\x00\x00\x00\x00\x00\x01\x00example.com\x00",
            status: 0x00,
            addr: Some(Addr::V4([93, 184, 216, 34])),
            port: 0,
            rest: b"",
        },
        note: "SOCKS4a RESOLVE example.com; the answer 93.184.216.34 is in the reply's DSTIP",
    },
    ClientVector {
        id: "R-C11-other-method",
        source: "reference:C11",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05\x01",
        arti: ClientOutcome::Error {
            sent: b"\x05\x01\x00",
            kind: "NotImplemented",
            display: "SOCKS feature (authentication type 1) not implemented",
        },
        note: "the server picks GSSAPI (01): NotImplemented(\"authentication type 1\") [arti: NotImplemented(\"authentication type 1\")]",
    },
    ClientVector {
        id: "R-C12",
        source: "reference:C12",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05\x02",
        arti: ClientOutcome::Error {
            sent: b"\x05\x01\x00",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        note: "the server picks user/pass but we offered only no-auth: Syntax",
    },
    ClientVector {
        id: "R-C15",
        source: "reference:C15",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::UserPass(b"user", b"pass") },
        server: b"\x05\x02\x05\x00",
        arti: ClientOutcome::Error {
            sent: b"\x05\x02\x02\x00\x01\x04user\x04pass",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        note: "RFC1929 reply with VER=05: Syntax",
    },
    ClientVector {
        id: "R-C14-status1",
        source: "reference:C14",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::UserPass(b"user", b"pass") },
        server: b"\x05\x02\x01\x01",
        arti: ClientOutcome::Error {
            sent: b"\x05\x02\x02\x00\x01\x04user\x04pass",
            kind: "AuthRejected",
            display: "SOCKS Authentication failed",
        },
        note: "RFC1929 status 01: AuthRejected",
    },
    ClientVector {
        id: "R-C16",
        source: "reference:C16",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x04\x00",
        arti: ClientOutcome::Error {
            sent: b"\x05\x01\x00",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        note: "method reply with VER=04: Syntax",
    },
    ClientVector {
        id: "R-C16-final",
        source: "reference:C16",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05\x00\x04\x00\x00\x01\x01\x02\x03\x04\x00\x50",
        arti: ClientOutcome::Error {
            sent: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x05",
            kind: "Syntax",
            display: "SOCKS protocol syntax violation",
        },
        note: "final reply with VER=04: Syntax",
    },
    ClientVector {
        id: "R-C21",
        source: "reference:C21",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05\x00\x05\x00\x00\x05\x01\x02\x03\x04\x00\x50",
        arti: ClientOutcome::Error {
            sent: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x05",
            kind: "Decode",
            display: "Error decoding SOCKS message",
        },
        note: "final reply with ATYP 05: Decode(\"unrecognized address type.\") [arti: Decode(InvalidMessage(\"unrecognized address type.\"))]",
    },
    ClientVector {
        id: "R-C22",
        source: "reference:C22",
        request: Req { version: 5, command: 0xf0, addr: Addr::Host(b"example.com"), port: 0, auth: Auth::None },
        server: b"\x05\x00\x05\x04\x00\x00\x00\x00\x00\x00\x00\x00",
        arti: ClientOutcome::Error {
            sent: b"\x05\x01\x00\x05\xf0\x00\x03\x0bexample.com\x00\x00",
            kind: "Decode",
            display: "Error decoding SOCKS message",
        },
        note: "C tor's own RESOLVE-failure reply (05 04 00 00, ATYP 0): tor-socksproto Decode (C's own client rejects it too) [arti: Decode(InvalidMessage(\"unrecognized address type.\"))]",
    },
    ClientVector {
        id: "R-C23",
        source: "reference:C23",
        request: Req { version: 5, command: 0x01, addr: Addr::Host(b"www.torproject.org"), port: 443, auth: Auth::None },
        server: b"\x05\x00\x05\xf0\x00\x01\x00\x00\x00\x00\x00\x00",
        arti: ClientOutcome::Finished {
            sent: b"\x05\x01\x00\x05\x01\x00\x03\x12www.torproject.org\x01\xbb",
            status: 0xf0,
            addr: Some(Addr::V4([0, 0, 0, 0])),
            port: 0,
            rest: b"",
        },
        note: "extended error F0 (HS_DESC_NOT_FOUND) comes back as status F0",
    },
    ClientVector {
        id: "R-C24",
        source: "reference:C24",
        request: Req { version: 5, command: 0x01, addr: Addr::Host(b"www.torproject.org"), port: 443, auth: Auth::None },
        server: b"\x05\x00\x05\xf4\x00\x01\x00\x00\x00\x00\x00\x00",
        arti: ClientOutcome::Finished {
            sent: b"\x05\x01\x00\x05\x01\x00\x03\x12www.torproject.org\x01\xbb",
            status: 0xf4,
            addr: Some(Addr::V4([0, 0, 0, 0])),
            port: 0,
            rest: b"",
        },
        note: "extended error F4 (HS_MISSING_CLIENT_AUTH)",
    },
    ClientVector {
        id: "R-C25",
        source: "reference:C25",
        request: Req { version: 5, command: 0x01, addr: Addr::Host(b"www.torproject.org"), port: 443, auth: Auth::None },
        server: b"\x05\x00\x05\xf7\x00\x01\x00\x00\x00\x00\x00\x00",
        arti: ClientOutcome::Finished {
            sent: b"\x05\x01\x00\x05\x01\x00\x03\x12www.torproject.org\x01\xbb",
            status: 0xf7,
            addr: Some(Addr::V4([0, 0, 0, 0])),
            port: 0,
            rest: b"",
        },
        note: "extended error F7 (HS_INTRO_TIMEOUT)",
    },
    ClientVector {
        id: "R-C25-ff",
        source: "reference:extra",
        request: Req { version: 5, command: 0x01, addr: Addr::Host(b"www.torproject.org"), port: 443, auth: Auth::None },
        server: b"\x05\x00\x05\xff\x00\x01\x00\x00\x00\x00\x00\x00",
        arti: ClientOutcome::Finished {
            sent: b"\x05\x01\x00\x05\x01\x00\x03\x12www.torproject.org\x01\xbb",
            status: 0xff,
            addr: Some(Addr::V4([0, 0, 0, 0])),
            port: 0,
            rest: b"",
        },
        note: "REP=FF (unassigned) comes back as status FF",
    },
    ClientVector {
        id: "R-C26",
        source: "reference:C26",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05\x00\x05\x00\x00\x01\x01\x02\x03\x04\x00\x50\x16\x03\x01",
        arti: ClientOutcome::Finished {
            sent: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x05",
            status: 0x00,
            addr: Some(Addr::V4([1, 2, 3, 4])),
            port: 80,
            rest: b"\x16\x03\x01",
        },
        note: "bytes after the final reply stay in rest (forbid_pipelining would error)",
    },
    ClientVector {
        id: "R-C31",
        source: "reference:C31",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05\x00\x05\x00\x07\x01\x01\x02\x03\x04\x00\x50",
        arti: ClientOutcome::Finished {
            sent: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x05",
            status: 0x00,
            addr: Some(Addr::V4([1, 2, 3, 4])),
            port: 80,
            rest: b"",
        },
        note: "final reply with RSV=07: ignored",
    },
    ClientVector {
        id: "R-C32",
        source: "reference:C32",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05\x00\x05\x00\x00\x03\x02\xff\xfe\x00\x50",
        arti: ClientOutcome::Error {
            sent: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x05",
            kind: "Decode",
            display: "Error decoding SOCKS message",
        },
        note: "final reply with a hostname that is not UTF-8: Decode(\"bad utf8 on hostname\") [arti: Decode(InvalidMessage(\"bad utf8 on hostname\"))]",
    },
    ClientVector {
        id: "R-C-v5-reply-empty-host",
        source: "reference:extra",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::None },
        server: b"\x05\x00\x05\x00\x00\x03\x00\x00\x50",
        arti: ClientOutcome::Finished {
            sent: b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x05",
            status: 0x00,
            addr: Some(Addr::Host(b"")),
            port: 80,
            rest: b"",
        },
        note: "final reply with an empty hostname BND.ADDR",
    },
    ClientVector {
        id: "R-C-v5-resolve",
        source: "reference:extra",
        request: Req { version: 5, command: 0xf0, addr: Addr::Host(b"example.com"), port: 0, auth: Auth::None },
        server: b"\x05\x00\x05\x00\x00\x01\x5d\xb8\xd8\x22\x00\x00",
        arti: ClientOutcome::Finished {
            sent: b"\x05\x01\x00\x05\xf0\x00\x03\x0bexample.com\x00\x00",
            status: 0x00,
            addr: Some(Addr::V4([93, 184, 216, 34])),
            port: 0,
            rest: b"",
        },
        note: "SOCKS5 RESOLVE example.com, answered 93.184.216.34 (C-style port 0)",
    },
    ClientVector {
        id: "R-C-v5-resolve-ptr",
        source: "reference:extra",
        request: Req { version: 5, command: 0xf1, addr: Addr::V4([93, 184, 216, 34]), port: 0, auth: Auth::None },
        server: b"\x05\x00\x05\x00\x00\x03\x0bexample.com\x00\x00",
        arti: ClientOutcome::Finished {
            sent: b"\x05\x01\x00\x05\xf1\x00\x01\x5d\xb8\xd8\x22\x00\x00",
            status: 0x00,
            addr: Some(Addr::Host(b"example.com")),
            port: 0,
            rest: b"",
        },
        note: "SOCKS5 RESOLVE_PTR 93.184.216.34, answered with a hostname",
    },
    ClientVector {
        id: "R-C-v5-ipv6-target",
        source: "reference:extra",
        request: Req { version: 5, command: 0x01, addr: Addr::V6([0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01]), port: 443, auth: Auth::None },
        server: b"\x05\x00\x05\x00\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
        arti: ClientOutcome::Finished {
            sent: b"\x05\x01\x00\x05\x01\x00\x04\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x01\
                \xbb",
            status: 0x00,
            addr: Some(Addr::V6([0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00])),
            port: 0,
            rest: b"",
        },
        note: "SOCKS5 CONNECT [2001:db8::1]:443; the reply's BND is [::]:0",
    },
    ClientVector {
        id: "R-C-v5-no-server-bytes",
        source: "reference:extra",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::UserPass(b"user", b"pass") },
        server: b"",
        arti: ClientOutcome::NeedMore { sent: b"\x05\x02\x02\x00" },
        note: "no server bytes yet: the client sends its greeting 05 02 02 00 and waits",
    },
    ClientVector {
        id: "R-C-v5-final-truncated",
        source: "reference:extra",
        request: Req { version: 5, command: 0x01, addr: Addr::Host(b"www.torproject.org"), port: 443, auth: Auth::None },
        server: b"\x05\x00\x05\x00\x00\x03\x0bexample.co",
        arti: ClientOutcome::NeedMore { sent: b"\x05\x01\x00\x05\x01\x00\x03\x12www.torproject.org\x01\xbb" },
        note: "final reply with a hostname cut short: need more",
    },
    ClientVector {
        id: "R-C-v5-max-userpass",
        source: "reference:extra",
        request: Req { version: 5, command: 0x01, addr: Addr::Host(b"example.com"), port: 80, auth: Auth::UserPass(b"uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu", b"pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp\
                pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp\
                ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp") },
        server: b"\x05\x02\x01\x00\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00",
        arti: ClientOutcome::Finished {
            sent: b"\x05\x02\x02\x00\x01\xffuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\
                uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu\xffppppp\
                pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp\
                pppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp\
                pppppppppppppppppppppppppppppppppppppppppppppppppppppppppp\x05\x01\x00\x03\x0bexample.com\x00\x50",
            status: 0x00,
            addr: Some(Addr::V4([0, 0, 0, 0])),
            port: 0,
            rest: b"",
        },
        note: "SOCKS5 user/pass with 255-byte fields (the pluggable-transport argument case)",
    },
    ClientVector {
        id: "R-C-v5-pt-args",
        source: "reference:extra",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([192, 0, 2, 1]), port: 443, auth: Auth::UserPass(b"cert=abc;iat-mode=0", b"\x00") },
        server: b"\x05\x02\x01\x00\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00",
        arti: ClientOutcome::Finished {
            sent: b"\x05\x02\x02\x00\x01\x13cert=abc;iat-mode=0\x01\x00\x05\x01\x00\x01\xc0\x00\x02\x01\x01\xbb",
            status: 0x00,
            addr: Some(Addr::V4([0, 0, 0, 0])),
            port: 0,
            rest: b"",
        },
        note: "pluggable transport: the k=v args go in the username, the password is a single 0x00",
    },
    ClientVector {
        id: "R-C-v5-rfc1929-after-00-offer",
        source: "reference:extra",
        request: Req { version: 5, command: 0x01, addr: Addr::V4([1, 2, 3, 4]), port: 5, auth: Auth::UserPass(b"user", b"pass") },
        server: b"\x05\x00\x05\x00\x00\x01\x01\x02\x03\x04\x00\x05",
        arti: ClientOutcome::Finished {
            sent: b"\x05\x02\x02\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x05",
            status: 0x00,
            addr: Some(Addr::V4([1, 2, 3, 4])),
            port: 5,
            rest: b"",
        },
        note: "user/pass offered, the server picks 00 and completes: no RFC1929 message is sent",
    },
];

pub const REPLIES: &[ReplyVector] = &[
    // C: 00 5A 0000 00000000 for a CONNECT success
    ReplyVector {
        id: "Y-v4-success-none",
        request_input: b"\x04\x01\x00\x50\x01\x02\x03\x04\x00",
        status: 0x00,
        addr: None,
        reply: b"\x00\x5a\x00\x00\x00\x00\x00\x00",
    },
    ReplyVector {
        id: "Y-v4-failure-none",
        request_input: b"\x04\x01\x00\x50\x01\x02\x03\x04\x00",
        status: 0x01,
        addr: None,
        reply: b"\x00\x5b\x00\x00\x00\x00\x00\x00",
    },
    // tor-socksproto:proxy.rs:socks4_good: the request's port (0050) and the given IP
    ReplyVector {
        id: "Y-v4-failure-ipv4",
        request_input: b"\x04\x01\x00\x50\x01\x02\x03\x04\x00",
        status: 0x01,
        addr: Some(Addr::V4([127, 0, 0, 1])),
        reply: b"\x00\x5b\x00\x50\x7f\x00\x00\x01",
    },
    // an IPv6 address cannot be encoded in v4: zero port and IP
    ReplyVector {
        id: "Y-v4-success-ipv6-addr",
        request_input: b"\x04\x01\x00\x50\x01\x02\x03\x04\x00",
        status: 0x00,
        addr: Some(Addr::V6([0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01])),
        reply: b"\x00\x5a\x00\x00\x00\x00\x00\x00",
    },
    ReplyVector {
        id: "Y-v4-success-host-addr",
        request_input: b"\x04\x01\x00\x50\x01\x02\x03\x04\x00",
        status: 0x00,
        addr: Some(Addr::Host(b"example.com")),
        reply: b"\x00\x5a\x00\x00\x00\x00\x00\x00",
    },
    // every non-success status becomes 5B
    ReplyVector {
        id: "Y-v4-status-f0",
        request_input: b"\x04\x01\x00\x50\x01\x02\x03\x04\x00",
        status: 0xf0,
        addr: None,
        reply: b"\x00\x5b\x00\x00\x00\x00\x00\x00",
    },
    // NOT_ALLOWED also becomes 5B (no 5C/5D)
    ReplyVector {
        id: "Y-v4-status-02",
        request_input: b"\x04\x01\x00\x50\x01\x02\x03\x04\x00",
        status: 0x02,
        addr: None,
        reply: b"\x00\x5b\x00\x00\x00\x00\x00\x00",
    },
    // reference T04: the request's port 257 is echoed. C's RESOLVED reply for v4 is 00 5A 0000 <ip>
    ReplyVector {
        id: "Y-v4a-resolve-ipv4",
        request_input: b"\x04\xf0\x01\x01\x00\x00\x00\x01\x00example.com\x00",
        status: 0x00,
        addr: Some(Addr::V4([93, 184, 216, 34])),
        reply: b"\x00\x5a\x01\x01\x5d\xb8\xd8\x22",
    },
    // tor-socksproto:proxy.rs:socks4a_good
    ReplyVector {
        id: "Y-v4a-success-none",
        request_input: b"\x04\x01\x01\xbb\x00\x00\x00\x01swordfish\x00www.example.com\x00",
        status: 0x00,
        addr: None,
        reply: b"\x00\x5a\x00\x00\x00\x00\x00\x00",
    },
    // reference P10: None for an IPv4 request gives 01 00000000 0000
    ReplyVector {
        id: "Y-v5-ipv4req-success-none",
        request_input: b"\x05\x01\x00\x05\x01\x00\x01\x7f\x00\x00\x07\x1f\x90",
        status: 0x00,
        addr: None,
        reply: b"\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00",
    },
    // tor-socksproto:proxy.rs:socks5_request_ok_ipv4 (reference P08)
    ReplyVector {
        id: "Y-v5-ipv4req-host-addr",
        request_input: b"\x05\x01\x00\x05\x01\x00\x01\x7f\x00\x00\x07\x1f\x90",
        status: 0x04,
        addr: Some(Addr::Host(b"foo.example.com")),
        reply: b"\x05\x04\x00\x03\x0ffoo.example.com\x1f\x90",
    },
    // tor-socksproto:proxy.rs:socks5_request_ok_ipv6_addr_none (reference P09): None for an IPv6 request gives 04 + 16 zero bytes
    ReplyVector {
        id: "Y-v5-ipv6req-failure-none",
        request_input: b"\x05\x01\x00\x05\x01\x00\x04\xf0\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\x11\x1f\
            \x90",
        status: 0x01,
        addr: None,
        reply: b"\x05\x01\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
    },
    // tor-socksproto:proxy.rs:socks5_request_ok_ipv6
    ReplyVector {
        id: "Y-v5-ipv6req-failure-own-addr",
        request_input: b"\x05\x01\x00\x05\x01\x00\x04\xf0\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\x11\x1f\
            \x90",
        status: 0x01,
        addr: Some(Addr::V6([0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x11])),
        reply: b"\x05\x01\x00\x04\xf0\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\x11\x1f\x90",
    },
    // tor-socksproto:proxy.rs:socks5_request_ok_hostname: a hostname request with None gives the IPv4 0.0.0.0:0
    ReplyVector {
        id: "Y-v5-hostreq-success-none",
        request_input: b"\x05\x01\x00\x05\x01\x00\x03\x0ffoo.example.com\x1f\x90",
        status: 0x00,
        addr: None,
        reply: b"\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00",
    },
    // HS_DESC_NOT_FOUND: passed through raw (C sends it only with the ExtendedErrors SocksPort flag)
    ReplyVector {
        id: "Y-v5-status-f0",
        request_input: b"\x05\x01\x00\x05\x01\x00\x03\x0ffoo.example.com\x1f\x90",
        status: 0xf0,
        addr: None,
        reply: b"\x05\xf0\x00\x01\x00\x00\x00\x00\x00\x00",
    },
    // HS_DESC_INVALID: passed through raw (C sends it only with the ExtendedErrors SocksPort flag)
    ReplyVector {
        id: "Y-v5-status-f1",
        request_input: b"\x05\x01\x00\x05\x01\x00\x03\x0ffoo.example.com\x1f\x90",
        status: 0xf1,
        addr: None,
        reply: b"\x05\xf1\x00\x01\x00\x00\x00\x00\x00\x00",
    },
    // HS_INTRO_FAILED: passed through raw (C sends it only with the ExtendedErrors SocksPort flag)
    ReplyVector {
        id: "Y-v5-status-f2",
        request_input: b"\x05\x01\x00\x05\x01\x00\x03\x0ffoo.example.com\x1f\x90",
        status: 0xf2,
        addr: None,
        reply: b"\x05\xf2\x00\x01\x00\x00\x00\x00\x00\x00",
    },
    // HS_REND_FAILED: passed through raw (C sends it only with the ExtendedErrors SocksPort flag)
    ReplyVector {
        id: "Y-v5-status-f3",
        request_input: b"\x05\x01\x00\x05\x01\x00\x03\x0ffoo.example.com\x1f\x90",
        status: 0xf3,
        addr: None,
        reply: b"\x05\xf3\x00\x01\x00\x00\x00\x00\x00\x00",
    },
    // HS_MISSING_CLIENT_AUTH: passed through raw (C sends it only with the ExtendedErrors SocksPort flag)
    ReplyVector {
        id: "Y-v5-status-f4",
        request_input: b"\x05\x01\x00\x05\x01\x00\x03\x0ffoo.example.com\x1f\x90",
        status: 0xf4,
        addr: None,
        reply: b"\x05\xf4\x00\x01\x00\x00\x00\x00\x00\x00",
    },
    // HS_WRONG_CLIENT_AUTH: passed through raw (C sends it only with the ExtendedErrors SocksPort flag)
    ReplyVector {
        id: "Y-v5-status-f5",
        request_input: b"\x05\x01\x00\x05\x01\x00\x03\x0ffoo.example.com\x1f\x90",
        status: 0xf5,
        addr: None,
        reply: b"\x05\xf5\x00\x01\x00\x00\x00\x00\x00\x00",
    },
    // HS_BAD_ADDRESS: passed through raw (C sends it only with the ExtendedErrors SocksPort flag)
    ReplyVector {
        id: "Y-v5-status-f6",
        request_input: b"\x05\x01\x00\x05\x01\x00\x03\x0ffoo.example.com\x1f\x90",
        status: 0xf6,
        addr: None,
        reply: b"\x05\xf6\x00\x01\x00\x00\x00\x00\x00\x00",
    },
    // HS_INTRO_TIMEOUT: passed through raw (C sends it only with the ExtendedErrors SocksPort flag)
    ReplyVector {
        id: "Y-v5-status-f7",
        request_input: b"\x05\x01\x00\x05\x01\x00\x03\x0ffoo.example.com\x1f\x90",
        status: 0xf7,
        addr: None,
        reply: b"\x05\xf7\x00\x01\x00\x00\x00\x00\x00\x00",
    },
    ReplyVector {
        id: "Y-v5-status-02",
        request_input: b"\x05\x01\x00\x05\x01\x00\x01\x7f\x00\x00\x07\x1f\x90",
        status: 0x02,
        addr: None,
        reply: b"\x05\x02\x00\x01\x00\x00\x00\x00\x00\x00",
    },
    ReplyVector {
        id: "Y-v5-status-03",
        request_input: b"\x05\x01\x00\x05\x01\x00\x01\x7f\x00\x00\x07\x1f\x90",
        status: 0x03,
        addr: None,
        reply: b"\x05\x03\x00\x01\x00\x00\x00\x00\x00\x00",
    },
    ReplyVector {
        id: "Y-v5-status-04",
        request_input: b"\x05\x01\x00\x05\x01\x00\x01\x7f\x00\x00\x07\x1f\x90",
        status: 0x04,
        addr: None,
        reply: b"\x05\x04\x00\x01\x00\x00\x00\x00\x00\x00",
    },
    ReplyVector {
        id: "Y-v5-status-05",
        request_input: b"\x05\x01\x00\x05\x01\x00\x01\x7f\x00\x00\x07\x1f\x90",
        status: 0x05,
        addr: None,
        reply: b"\x05\x05\x00\x01\x00\x00\x00\x00\x00\x00",
    },
    ReplyVector {
        id: "Y-v5-status-06",
        request_input: b"\x05\x01\x00\x05\x01\x00\x01\x7f\x00\x00\x07\x1f\x90",
        status: 0x06,
        addr: None,
        reply: b"\x05\x06\x00\x01\x00\x00\x00\x00\x00\x00",
    },
    ReplyVector {
        id: "Y-v5-status-07",
        request_input: b"\x05\x01\x00\x05\x01\x00\x01\x7f\x00\x00\x07\x1f\x90",
        status: 0x07,
        addr: None,
        reply: b"\x05\x07\x00\x01\x00\x00\x00\x00\x00\x00",
    },
    ReplyVector {
        id: "Y-v5-status-08",
        request_input: b"\x05\x01\x00\x05\x01\x00\x01\x7f\x00\x00\x07\x1f\x90",
        status: 0x08,
        addr: None,
        reply: b"\x05\x08\x00\x01\x00\x00\x00\x00\x00\x00",
    },
    ReplyVector {
        id: "Y-v5-status-09",
        request_input: b"\x05\x01\x00\x05\x01\x00\x01\x7f\x00\x00\x07\x1f\x90",
        status: 0x09,
        addr: None,
        reply: b"\x05\x09\x00\x01\x00\x00\x00\x00\x00\x00",
    },
    ReplyVector {
        id: "Y-v5-status-ff",
        request_input: b"\x05\x01\x00\x05\x01\x00\x01\x7f\x00\x00\x07\x1f\x90",
        status: 0xff,
        addr: None,
        reply: b"\x05\xff\x00\x01\x00\x00\x00\x00\x00\x00",
    },
    // reference T16: RESOLVE with port 258 echoes the port. C's RESOLVED reply is 05 00 00 01 01020304 0000
    ReplyVector {
        id: "Y-v5-resolve-ipv4",
        request_input: b"\x05\x01\x00\x05\xf0\x00\x03\x0bexample.com\x01\x02",
        status: 0x00,
        addr: Some(Addr::V4([1, 2, 3, 4])),
        reply: b"\x05\x00\x00\x01\x01\x02\x03\x04\x01\x02",
    },
    // RESOLVE answered with an IPv6 address (C: 05 00 00 04 <ip6> 0000)
    ReplyVector {
        id: "Y-v5-resolve-ipv6",
        request_input: b"\x05\x01\x00\x05\xf0\x00\x03\x0bexample.com\x01\x02",
        status: 0x00,
        addr: Some(Addr::V6([0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01])),
        reply: b"\x05\x00\x00\x04\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x01\x02",
    },
    // RESOLVE with port 0: same bytes as C's reply
    ReplyVector {
        id: "Y-v5-resolve-port0-ipv4",
        request_input: b"\x05\x01\x00\x05\xf0\x00\x03\x0bexample.com\x00\x00",
        status: 0x00,
        addr: Some(Addr::V4([93, 184, 216, 34])),
        reply: b"\x05\x00\x00\x01\x5d\xb8\xd8\x22\x00\x00",
    },
    // RESOLVE failure: tor-socksproto gives ATYP 01; C gives 05 04 00 00 00000000 0000 (ATYP 0)
    ReplyVector {
        id: "Y-v5-resolve-failure-none",
        request_input: b"\x05\x01\x00\x05\xf0\x00\x03\x0bexample.com\x00\x00",
        status: 0x04,
        addr: None,
        reply: b"\x05\x04\x00\x01\x00\x00\x00\x00\x00\x00",
    },
    // reference T20: RESOLVE_PTR answered with example.com, request port 0103. C: 05 00 00 03 0b example.com 0000
    ReplyVector {
        id: "Y-v5-resolve-ptr-host",
        request_input: b"\x05\x01\x00\x05\xf1\x00\x01\x5d\xb8\xd8\x22\x01\x03",
        status: 0x00,
        addr: Some(Addr::Host(b"example.com")),
        reply: b"\x05\x00\x00\x03\x0bexample.com\x01\x03",
    },
    // an empty hostname BND.ADDR (LEN 0)
    ReplyVector {
        id: "Y-v5-host-addr-empty",
        request_input: b"\x05\x01\x00\x05\x01\x00\x03\x0ffoo.example.com\x1f\x90",
        status: 0x00,
        addr: Some(Addr::Host(b"")),
        reply: b"\x05\x00\x00\x03\x00\x1f\x90",
    },
    // the reply does not depend on the auth used
    ReplyVector {
        id: "Y-v5-userpass-success-ipv4",
        request_input: b"\x05\x01\x02\x01\x01\x61\x01\x62\x05\x01\x00\x01\x01\x02\x03\x04\x00\x50",
        status: 0x00,
        addr: None,
        reply: b"\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00",
    },
];
