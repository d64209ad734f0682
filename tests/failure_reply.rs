//! `SocksProxyHandshake::failure_reply` under each profile, row by row as its docs give it,
//! beside what C Tor 0.4.8 sends for the same bytes (read from its `proto_socks.c` and
//! `connection_edge.c`; the column is documentation, the assertions are ours).

use sockswire::*;

/// What a proxy handshake over `input` ends with, and the reply it has for the failure.
fn run(policy: ProxyPolicy<'static>, input: &[u8]) -> (Result<(), Error>, Option<Vec<u8>>) {
    let mut hs = SocksProxyHandshake::with_policy(policy);
    let mut buf = Buffer::new();
    buf.unfilled_slice()[..input.len()].copy_from_slice(input);
    buf.note_received(input.len()).unwrap();
    for _ in 0..8 {
        match hs.step(&mut buf) {
            Ok(NextStep::Send(_)) => {}
            Ok(NextStep::Recv(_) | NextStep::Finished(_)) => return (Ok(()), None),
            Err(e) => return (Err(e), hs.failure_reply().map(<[u8]>::to_vec)),
        }
    }
    panic!("no end after 8 steps")
}

const V5_01: &[u8] = b"\x05\x01\x00\x01\x00\x00\x00\x00\x00\x00";
const V5_02: &[u8] = b"\x05\x02\x00\x01\x00\x00\x00\x00\x00\x00";
const V5_07: &[u8] = b"\x05\x07\x00\x01\x00\x00\x00\x00\x00\x00";
const V5_08: &[u8] = b"\x05\x08\x00\x01\x00\x00\x00\x00\x00\x00";
const V4_5B: &[u8] = b"\x00\x5b\x00\x00\x00\x00\x00\x00";
const NO_METHOD: &[u8] = b"\x05\xff";
const AUTH_FAIL: &[u8] = b"\x01\x01";
/// The handshake succeeds (or goes on): no failure, no failure reply.
const OK: Option<&[u8]> = None;

struct Row {
    what: &'static str,
    input: &'static [u8],
    arti: Option<&'static [u8]>,
    ctor: Option<&'static [u8]>,
    rfc1928: Option<&'static [u8]>,
    /// What C Tor 0.4.8 writes before closing (`None`: nothing, or it accepts).
    c_tor: Option<&'static [u8]>,
}

const fn row(
    what: &'static str,
    input: &'static [u8],
    [arti, ctor, rfc1928, c_tor]: [Option<&'static [u8]>; 4],
) -> Row {
    Row {
        what,
        input,
        arti,
        ctor,
        rfc1928,
        c_tor,
    }
}

/// The table in `SocksProxyHandshake::failure_reply`'s docs.
const ROWS: &[Row] = &[
    row(
        "no acceptable method (GSS-API only)",
        b"\x05\x01\x01",
        [Some(NO_METHOD); 4],
    ),
    // C: NMETHODS 0 fails before any version is recorded, so nothing is sent.
    row(
        "NMETHODS 0",
        b"\x05\x00",
        [Some(NO_METHOD), Some(NO_METHOD), Some(NO_METHOD), None],
    ),
    // C: a malformed RFC 1929 message is a SOCKS5 failure: 05 01 00 01 0...
    row(
        "malformed RFC 1929 message",
        b"\x05\x01\x02\x07",
        [
            Some(AUTH_FAIL),
            Some(AUTH_FAIL),
            Some(AUTH_FAIL),
            Some(V5_01),
        ],
    ),
    // C rejects `<torS0X>` with a bad rest (prop351) at RFC 1929 with 05 01.
    row(
        "prop351 username with a bad format",
        b"\x05\x01\x02\x01\x08<torS0X>\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x50",
        [OK, Some(AUTH_FAIL), OK, Some(V5_01)],
    ),
    // CTor re-dispatches on the first byte (so does C): a SOCKS4 request is read.
    row(
        "request with VER 4 after a SOCKS5 greeting",
        b"\x05\x01\x00\x04\x01\x00\x50\x01\x02\x03\x04\x00",
        [Some(V5_01), OK, Some(V5_01), None],
    ),
    row(
        "unknown address type",
        b"\x05\x01\x00\x05\x01\x00\x07\x01\x02\x03\x04\x00\x50",
        [Some(V5_08), Some(V5_01), Some(V5_08), Some(V5_01)],
    ),
    row(
        "unknown command 0x04",
        b"\x05\x01\x00\x05\x04\x00\x01\x01\x02\x03\x04\x00\x50",
        [Some(V5_07), Some(V5_01), Some(V5_07), Some(V5_01)],
    ),
    row(
        "BIND",
        b"\x05\x01\x00\x05\x02\x00\x01\x01\x02\x03\x04\x00\x50",
        [Some(V5_07), Some(V5_07), OK, Some(V5_07)],
    ),
    row(
        "UDP ASSOCIATE",
        b"\x05\x01\x00\x05\x03\x00\x01\x01\x02\x03\x04\x00\x50",
        [Some(V5_07), Some(V5_07), OK, Some(V5_07)],
    ),
    row(
        "RESOLVE (Tor's command)",
        b"\x05\x01\x00\x05\xf0\x00\x03\x01a\x00\x00",
        [OK, OK, Some(V5_07), None],
    ),
    row(
        "RESOLVE_PTR of a hostname",
        b"\x05\x01\x00\x05\xf1\x00\x03\x01a\x00\x00",
        [OK, Some(V5_08), Some(V5_07), Some(V5_08)],
    ),
    row(
        "CONNECT to port 0",
        b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x00",
        [Some(V5_01); 4],
    ),
    row(
        "hostname not UTF-8",
        b"\x05\x01\x00\x05\x01\x00\x03\x02\xff\xfe\x00\x50",
        [Some(V5_01); 4],
    ),
    row(
        "hostname failing string_is_valid_dest",
        b"\x05\x01\x00\x05\x01\x00\x03\x03a b\x00\x50",
        [OK, Some(V5_01), OK, Some(V5_01)],
    ),
    // C's trunnel parser refuses RSV != 0.
    row(
        "RSV not zero",
        b"\x05\x01\x00\x05\x01\x07\x01\x01\x02\x03\x04\x00\x50",
        [OK, Some(V5_01), OK, Some(V5_01)],
    ),
    row(
        "SOCKS4 BIND",
        b"\x04\x02\x00\x50\x01\x02\x03\x04\x00",
        [Some(V4_5B), Some(V4_5B), OK, Some(V4_5B)],
    ),
    row(
        "SOCKS4 RESOLVE_PTR",
        b"\x04\xf1\x00\x00\x01\x02\x03\x04\x00",
        [OK, Some(V4_5B), Some(V4_5B), Some(V4_5B)],
    ),
    row(
        "SOCKS4 DSTIP 0.0.0.0",
        b"\x04\x01\x00\x50\x00\x00\x00\x00\x00",
        [OK, Some(V4_5B), OK, Some(V4_5B)],
    ),
    row(
        "SOCKS4 CONNECT to port 0",
        b"\x04\x01\x00\x00\x01\x02\x03\x04\x00",
        [Some(V4_5B); 4],
    ),
    row(
        "SOCKS4a hostname not UTF-8",
        b"\x04\x01\x00\x50\x00\x00\x00\x01\x00\xff\x00",
        [Some(V4_5B); 4],
    ),
    row(
        "HTTP request on the SOCKS port",
        b"GET / HTTP/1.1\r\n",
        [None, Some(HTTP_NOT_A_PROXY), None, Some(HTTP_NOT_A_PROXY)],
    ),
    row("first byte not 4, 5 or HTTP", b"\x01\x01", [None; 4]),
];

#[test]
fn failure_reply_per_profile_is_as_documented() {
    for r in ROWS {
        for (profile, policy, want) in [
            ("Arti", ProxyPolicy::ARTI, r.arti),
            ("CTor", ProxyPolicy::CTOR, r.ctor),
            ("Rfc1928", ProxyPolicy::RFC1928, r.rfc1928),
        ] {
            let (end, reply) = run(policy, r.input);
            assert_eq!(reply.as_deref(), want, "{}: {profile} ({end:?})", r.what);
            // No reply without a failure.
            if end.is_ok() {
                assert_eq!(reply, None);
            }
        }
    }
}

/// Where the default profile answers differently from C Tor, as the docs list them.
#[test]
fn default_profile_differs_from_c_tor_exactly_where_documented() {
    let differ: Vec<&str> = ROWS
        .iter()
        .filter(|r| r.arti.is_some() && r.arti != r.c_tor)
        .map(|r| r.what)
        .collect();
    assert_eq!(
        differ,
        [
            "NMETHODS 0",
            "malformed RFC 1929 message",
            "request with VER 4 after a SOCKS5 greeting",
            "unknown address type",
            "unknown command 0x04",
        ]
    );
}

/// The knobs that add replies: SafeSocks (`05 02`, SOCKS4 `5B`) and required credentials.
#[test]
fn failure_reply_for_policy_knobs() {
    let mut safe = ProxyPolicy::ARTI;
    safe.reject_raw_ip = true;
    let (_, reply) = run(
        safe,
        b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x50",
    );
    assert_eq!(reply.as_deref(), Some(V5_02));
    let (_, reply) = run(safe, b"\x04\x01\x00\x50\x01\x02\x03\x04\x00");
    assert_eq!(reply.as_deref(), Some(V4_5B));
    let mut creds = ProxyPolicy::ARTI;
    creds.credentials = Credentials::Exact {
        username: b"u",
        password: b"p",
    };
    let (end, reply) = run(creds, b"\x05\x01\x02\x01\x01u\x01x");
    assert_eq!(
        (end, reply.as_deref()),
        (Err(Error::BadCredentials), Some(AUTH_FAIL))
    );
    let (end, reply) = run(creds, b"\x05\x01\x00");
    assert_eq!(
        (end, reply.as_deref()),
        (Err(Error::NoAcceptableMethod), Some(NO_METHOD))
    );
}
