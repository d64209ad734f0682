//! The bodies of the fuzz targets `dropin_proxy_handshake` and `dropin_client_handshake`: the
//! drop-in facade against the published tor-socksproto 0.47.0 on any bytes, zero differences
//! allowed (the same observables as proof 1, `tests/differential_real.rs`: steps with each
//! `Recv`'s length, sent bytes, outcome with `HasKind`, output, leftovers, `reply()` bytes and
//! what one more step gives; and the deprecated `handshake()` API).
//!
//! The includer defines the twin driver modules `facade` and `oracle` (`twin!`, in
//! `support/twin.rs`) and `owned` (`tests/support/owned.rs` of the main crate). Used by the
//! fuzz targets of those names (`fuzz/fuzz_targets/`) and by `tests/fuzz_seeds.rs`, which
//! replays their seeds and regressions on stable.
//!
//! Input layout: byte 0 is the mode (bits 0-1: bytes per read, all at once, 1, 7 or 100;
//! bit 2: precise reads; bit 3: also the deprecated `handshake()` API); for the client, byte 1
//! picks the request (see [`requests`]); the rest is what the peer sends.

#![allow(dead_code)] // each target uses one body

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::owned::{OwnedAddr, OwnedAuth};
use crate::{facade, oracle};

/// Bytes per read, picked by bits 0-1 of the mode byte.
const CHUNKS: [usize; 4] = [usize::MAX, 1, 7, 100];

/// Longer inputs run precise reads only all at once (each precise step re-frames the
/// message in both crates, so byte-sized reads of a long input only slow the fuzzer).
const LONG_INPUT: usize = 512;

/// The mode byte: bytes per read, precise reads, and whether to run the deprecated API too.
fn mode(byte: u8) -> (usize, bool, bool) {
    (CHUNKS[usize::from(byte & 3)], byte & 4 != 0, byte & 8 != 0)
}

/// The client requests byte 1 picks from (modulo their count): version, command, address,
/// port, auth. They cover both versions, a name, both IP families, user/pass and a user-id.
pub fn requests() -> [(u8, u8, OwnedAddr, u16, OwnedAuth); 6] {
    let host = |h: &str| OwnedAddr::Host(h.as_bytes().to_vec());
    [
        (5, 1, host("example.com"), 443, OwnedAuth::None),
        (
            5,
            1,
            OwnedAddr::Ip(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1))),
            80,
            OwnedAuth::UserPass(b"user".to_vec(), b"pass".to_vec()),
        ),
        (5, 0xF0, host("torproject.org"), 0, OwnedAuth::None),
        (
            5,
            0xF1,
            OwnedAddr::Ip(IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1))),
            0,
            OwnedAuth::None,
        ),
        (
            4,
            1,
            OwnedAddr::Ip(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7))),
            22,
            OwnedAuth::Socks4(b"id".to_vec()),
        ),
        (4, 1, host("example.org"), 80, OwnedAuth::None),
    ]
}

/// The proxy side: the client's bytes through both crates' `SocksProxyHandshake`.
pub fn dropin_proxy_handshake(data: &[u8]) {
    let Some((&m, input)) = data.split_first() else {
        return;
    };
    let (chunk, precise, legacy) = mode(m);
    let precise = precise && (input.len() <= LONG_INPUT || chunk == usize::MAX);
    assert_eq!(
        facade::proxy(input, chunk, precise),
        oracle::proxy(input, chunk, precise),
        "proxy, chunk {chunk}, precise {precise}"
    );
    if legacy {
        assert_eq!(
            facade::proxy_legacy(input, chunk),
            oracle::proxy_legacy(input, chunk),
            "proxy, deprecated handshake(), chunk {chunk}"
        );
    }
}

/// The client side: a request from [`requests`], the server's bytes through both crates'
/// `SocksClientHandshake`.
pub fn dropin_client_handshake(data: &[u8]) {
    let [m, pick, server @ ..] = data else {
        return;
    };
    let (chunk, precise, legacy) = mode(*m);
    let precise = precise && (server.len() <= LONG_INPUT || chunk == usize::MAX);
    let all = requests();
    let (version, cmd, addr, port, auth) = &all[usize::from(*pick) % all.len()];
    let new = || {
        (
            facade::request(*version, *cmd, addr, *port, auth),
            oracle::request(*version, *cmd, addr, *port, auth),
        )
    };
    let (Ok(o), Ok(r)) = new() else {
        let (o, r) = new();
        assert_eq!(o.err(), r.err(), "SocksRequest::new");
        return;
    };
    if legacy {
        assert_eq!(
            facade::client_legacy(o.clone(), server, chunk),
            oracle::client_legacy(r.clone(), server, chunk),
            "client, deprecated handshake(), chunk {chunk}"
        );
    }
    assert_eq!(
        facade::client(o, server, chunk, precise),
        oracle::client(r, server, chunk, precise),
        "client, chunk {chunk}, precise {precise}"
    );
}
