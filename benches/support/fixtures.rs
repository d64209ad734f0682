//! The bytes every bench, the allocation counter and the callgrind runner share: one fixture
//! per message and per handshake scenario, identical for sockswire, tor-socksproto and the
//! floor.

#![allow(dead_code)]

/// Client side of a SOCKS5 no-auth handshake: greeting, then CONNECT example.com:443.
pub const PROXY_SOCKS5_DOMAIN: [u8; 21] = [
    5, /*nmethods*/ 1, /*no auth*/ 0, //
    5, /*CONNECT*/ 1, /*rsv*/ 0, /*domain*/ 3, /*len*/ 11, //
    b'e', b'x', b'a', b'm', b'p', b'l', b'e', b'.', b'c', b'o', b'm', //
    /*port 443*/ 0x01, 0xbb,
];

/// Client side of a SOCKS5 username/password handshake: greeting offering no-auth and
/// username/password (both Tor and sockswire pick username/password), RFC 1929 credentials,
/// then CONNECT [2001:db8::1]:443.
pub const PROXY_SOCKS5_USERPASS_IPV6: [u8; 40] = [
    5, /*nmethods*/ 2, /*no auth*/ 0, /*user/pass*/ 2, //
    /*ver*/ 1, /*ulen*/ 5, b'a', b'l', b'i', b'c', b'e', //
    /*plen*/ 6, b's', b'e', b'c', b'r', b'e', b't', //
    5, /*CONNECT*/ 1, /*rsv*/ 0, /*ipv6*/ 4, //
    0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, //
    /*port 443*/ 0x01, 0xbb,
];

/// A SOCKS4a CONNECT torproject.org:443 with user-id "tor".
pub const PROXY_SOCKS4A: [u8; 27] = [
    4, /*CONNECT*/ 1, /*port 443*/ 0x01, 0xbb, /*0.0.0.1*/ 0, 0, 0, 1, //
    b't', b'o', b'r', 0, //
    b't', b'o', b'r', b'p', b'r', b'o', b'j', b'e', b'c', b't', b'.', b'o', b'r', b'g', 0,
];

/// A SOCKS5 no-auth greeting, then RESOLVE_PTR 192.0.2.7 (Tor's reverse lookup, port 0).
pub const PROXY_SOCKS5_RESOLVE_PTR: [u8; 13] = [
    5, /*nmethods*/ 1, /*no auth*/ 0, //
    5, /*RESOLVE_PTR*/ 0xF1, /*rsv*/ 0, /*ipv4*/ 1, 192, 0, 2, 7, /*port*/ 0,
    0,
];

/// A plain SOCKS4 CONNECT 127.0.0.1:80 with user-id "tor" (also the proxy's SOCKS4 scenario).
pub const SOCKS4_IPV4: [u8; 12] = [
    4, /*CONNECT*/ 1, /*port 80*/ 0, 80, /*127.0.0.1*/ 127, 0, 0, 1, //
    b't', b'o', b'r', 0,
];

/// The hostname the client scenario asks for.
pub const CLIENT_HOST: &str = "example.com";
/// The port the client scenario asks for.
pub const CLIENT_PORT: u16 = 443;

/// The client scenarios' request: CONNECT [`CLIENT_HOST`]:[`CLIENT_PORT`], no auth, over
/// `version` (SOCKS4 sends the name as SOCKS4a).
pub fn client_request(version: sockswire::SocksVersion) -> sockswire::SocksRequest<'static> {
    let host = sockswire::SocksHostname::try_from(CLIENT_HOST).expect("hostname");
    sockswire::SocksRequest::new(
        version,
        sockswire::Command::CONNECT,
        sockswire::SocksAddr::Hostname(host),
        CLIENT_PORT,
        sockswire::SocksAuth::NoAuth,
    )
    .expect("request")
}

/// [`client_request`] as tor-socksproto builds it.
pub fn tor_client_request(version: tor_socksproto::SocksVersion) -> tor_socksproto::SocksRequest {
    tor_socksproto::SocksRequest::new(
        version,
        tor_socksproto::SocksCmd::CONNECT,
        tor_socksproto::SocksAddr::Hostname(CLIENT_HOST.to_string().try_into().expect("hostname")),
        CLIENT_PORT,
        tor_socksproto::SocksAuth::NoAuth,
    )
    .expect("tor request")
}

/// What a proxy sends a SOCKS5 no-auth client: method choice, then success bound to
/// 127.0.0.1:443.
pub const CLIENT_SOCKS5_SERVER_BYTES: [u8; 12] = [
    5, /*no auth*/ 0, //
    5, /*succeeded*/ 0, /*rsv*/ 0, /*ipv4*/ 1, 127, 0, 0, 1, /*port 443*/ 0x01,
    0xbb,
];

/// What a SOCKS4a proxy sends a client: granted, bound to 127.0.0.1:443.
pub const CLIENT_SOCKS4_SERVER_BYTES: [u8; 8] =
    [0, /*granted*/ 0x5A, 0x01, 0xbb, 127, 0, 0, 1];

/// The greeting alone: no-auth only.
pub const GREETING_NO_AUTH: [u8; 3] = [5, 1, 0];
/// The greeting alone: no-auth and username/password.
pub const GREETING_TWO_METHODS: [u8; 4] = [5, 2, 0, 2];
/// The greeting alone: username/password only.
pub const GREETING_USERPASS: [u8; 3] = [5, 1, 2];

/// CONNECT example.com:443.
pub const REQUEST_DOMAIN: [u8; 18] = [
    5, 1, 0, 3, 11, b'e', b'x', b'a', b'm', b'p', b'l', b'e', b'.', b'c', b'o', b'm', 0x01, 0xbb,
];
/// CONNECT 192.0.2.7:443.
pub const REQUEST_IPV4: [u8; 10] = [5, 1, 0, 1, 192, 0, 2, 7, 0x01, 0xbb];
/// CONNECT [2001:db8::1]:443.
pub const REQUEST_IPV6: [u8; 22] = [
    5, 1, 0, 4, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x01, 0xbb,
];

/// Success bound to 127.0.0.1:443.
pub const REPLY_IPV4: [u8; 10] = [5, 0, 0, 1, 127, 0, 0, 1, 0x01, 0xbb];
/// Tor's RESOLVE answer: success with [2001:db8::1]:0.
pub const REPLY_IPV6: [u8; 22] = [
    5, 0, 0, 4, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
];
/// Tor's RESOLVE_PTR answer: success with the name example.com, port 0.
pub const REPLY_DOMAIN: [u8; 18] = [
    5, 0, 0, 3, 11, b'e', b'x', b'a', b'm', b'p', b'l', b'e', b'.', b'c', b'o', b'm', 0, 0,
];

/// RFC 1929 alice / secret.
pub const USERPASS: [u8; 14] = [
    1, 5, b'a', b'l', b'i', b'c', b'e', 6, b's', b'e', b'c', b'r', b'e', b't',
];

/// A UDP datagram header for 192.0.2.7:53, then a 4-byte payload.
pub const UDP_IPV4: [u8; 14] = [
    0, 0, /*frag*/ 0, 1, 192, 0, 2, 7, 0, 53, 0xde, 0xad, 0xbe, 0xef,
];
/// A UDP datagram header for example.com:53, then a 4-byte payload.
pub const UDP_DOMAIN: [u8; 22] = [
    0, 0, 0, 3, 11, b'e', b'x', b'a', b'm', b'p', b'l', b'e', b'.', b'c', b'o', b'm', 0,
    53, //
    0xde, 0xad, 0xbe, 0xef,
];

/// Which requests a stream holds.
#[derive(Clone, Copy, Debug)]
pub enum StreamKind {
    /// CONNECT to hostnames of 3 to 20 bytes, one after another.
    Domain,
    /// CONNECT domain, CONNECT IPv4, CONNECT IPv6 and RESOLVE, in turn.
    Mixed,
}

/// How long a stream is: 64 KiB of back-to-back requests stays inside L2.
pub const STREAM_TARGET_LEN: usize = 64 * 1024;

fn push_domain(out: &mut Vec<u8>, cmd: u8, host: &[u8], port: u16) {
    out.extend_from_slice(&[5, cmd, 0, 3, host.len() as u8]);
    out.extend_from_slice(host);
    out.extend_from_slice(&port.to_be_bytes());
}

/// Back-to-back SOCKS5 requests (no greeting between them), about [`STREAM_TARGET_LEN`]
/// bytes, and how many requests it holds.
pub fn stream(kind: StreamKind) -> (Vec<u8>, u64) {
    const HOSTS: [&[u8]; 4] = [
        b"example.com",
        b"www.torproject.org",
        b"a.io",
        b"check.torproject.org",
    ];
    let mut out = Vec::with_capacity(STREAM_TARGET_LEN + 64);
    let mut count = 0u64;
    let mut i = 0usize;
    while out.len() < STREAM_TARGET_LEN {
        match (kind, i % 4) {
            (StreamKind::Domain, k) => push_domain(&mut out, 1, HOSTS[k], 443),
            (StreamKind::Mixed, 0) => push_domain(&mut out, 1, HOSTS[(i / 4) % 4], 443),
            (StreamKind::Mixed, 1) => out.extend_from_slice(&REQUEST_IPV4),
            (StreamKind::Mixed, 2) => out.extend_from_slice(&REQUEST_IPV6),
            (StreamKind::Mixed, _) => push_domain(&mut out, 0xF0, HOSTS[(i / 4 + 1) % 4], 0),
        }
        i += 1;
        count += 1;
    }
    (out, count)
}
