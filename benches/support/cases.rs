//! Every measured operation, once: the criterion benches, the allocation counter and the
//! callgrind runner all walk this catalogue, so they measure the same closures on the same
//! bytes. A case is named `group/scenario/impl`, e.g. `parse_socks5_request/domain/ours`.
//!
//! Per operation, handshakes create a fresh handshake and reuse one receive buffer (as a
//! server reuses a connection's buffer); the `eager_new_buffer` scenario creates the buffer
//! too. Wire cases for tor-socksproto go through its handshake (its only parsing API), primed
//! and cloned so only the message in question is parsed.

#![allow(dead_code)]

use std::collections::HashMap;
use std::hint::black_box;
use std::net::Ipv4Addr;

use sockswire::{
    Addr, Command, Encode, Method, Socks4Request, Socks5Greeting, Socks5Reply, Socks5Request,
    Socks5UdpHeader, SocksClientHandshake, SocksHostname, SocksProxyHandshake, SocksStatus,
    SocksVersion, UserPassRequest, parse_socks4_request, parse_socks5_greeting, parse_socks5_reply,
    parse_socks5_request, parse_socks5_udp_header, parse_userpass_request,
};

use crate::drive::{
    Decision, drive_ours, drive_tor, drive_tor_until_send, ipv4_bits, ipv6_bits, prime_ours,
    prime_tor,
};
use crate::fixtures::{self as fx, StreamKind};
use crate::floor;

#[path = "cases/encode.rs"]
mod encode;
#[path = "cases/handshake.rs"]
mod handshake;
#[path = "cases/stream.rs"]
mod stream;
#[path = "cases/wire.rs"]
mod wire;

pub use handshake::handshake_cases;
pub use stream::stream_cases;
pub use wire::wire_cases;

/// sockswire.
pub const OURS: &str = "ours";
/// tor-socksproto 0.47.
pub const TOR: &str = "tor";
/// The hand-written floor.
pub const FLOOR: &str = "floor";

/// One measured operation.
#[derive(Clone, Copy, Debug)]
pub struct Case {
    /// Criterion group: the message family or handshake scenario.
    pub group: &'static str,
    /// What varies inside the group: the message variant or the read mode.
    pub scenario: &'static str,
    /// Whose code: [`OURS`], [`TOR`], [`FLOOR`] or a variant of one.
    pub imp: &'static str,
    /// Input (or output, for encoders) bytes per operation.
    pub bytes: u64,
    /// Messages per operation (many for streams).
    pub units: u64,
    /// Whether the fingerprint must equal the other implementations' for this scenario.
    pub check: bool,
}

impl Case {
    /// `group/scenario/impl`.
    pub fn name(&self) -> String {
        format!("{}/{}/{}", self.group, self.scenario, self.imp)
    }
}

/// An operation: runs once and returns a fingerprint of what it decided.
pub trait Op {
    fn run(&mut self) -> u64;
}

impl<F: FnMut() -> u64> Op for F {
    #[inline(always)]
    fn run(&mut self) -> u64 {
        self()
    }
}

/// Walks the catalogue. `make` builds the operation's state (buffers, primed handshakes,
/// streams); only what the operation does per call is measured.
pub trait Visit {
    fn case<O: Op>(&mut self, case: Case, make: impl FnOnce() -> O);
}

/// Checks that every implementation of a scenario decides the same.
#[derive(Default)]
pub struct Checker {
    seen: HashMap<(&'static str, &'static str), (&'static str, u64)>,
}

impl Checker {
    pub fn check(&mut self, case: &Case, fingerprint: u64) {
        if !case.check {
            return;
        }
        let (imp, expected) = *self
            .seen
            .entry((case.group, case.scenario))
            .or_insert((case.imp, fingerprint));
        assert_eq!(
            fingerprint,
            expected,
            "{} decides differently from {imp}",
            case.name()
        );
    }
}

fn case(group: &'static str, scenario: &'static str, imp: &'static str, bytes: usize) -> Case {
    Case {
        group,
        scenario,
        imp,
        bytes: bytes as u64,
        units: 1,
        check: true,
    }
}

fn wire_addr(addr: &Addr<'_>) -> (usize, u128) {
    match *addr {
        Addr::Ipv4(ip) => (0, ipv4_bits(ip.octets())),
        Addr::Domain(name) => (name.len(), 0),
        Addr::Ipv6(ip) => (0, ipv6_bits(ip.octets())),
        Addr::Unspecified(raw) => (0, ipv4_bits(raw)),
    }
}

fn frame_decision(code: u8, addr: &Addr<'_>, port: u16, n: usize) -> Decision {
    let (host, ip) = wire_addr(addr);
    Decision {
        code,
        port,
        host,
        ip,
        n,
        ..Decision::default()
    }
}

fn floor_frame_decision(f: &floor::Frame<'_>, n: usize) -> Decision {
    let (host, ip) = f.addr.summary();
    Decision {
        code: f.code,
        port: f.port,
        host,
        ip,
        n,
        ..Decision::default()
    }
}

/// The method a Tor proxy picks: username/password, else no-auth, else none.
/// The checks a proxy makes on a SOCKS5 request before acting on it, as the floor and
/// tor-socksproto make them: a served command (CONNECT, RESOLVE, RESOLVE_PTR), no CONNECT to
/// port 0, and a hostname that is UTF-8 without NUL. A refused request decides code 0.
#[inline]
fn checked_decision(r: &sockswire::Socks5Request<'_>, n: usize) -> Decision {
    let ok = matches!(r.command.0, 1 | 0xF0 | 0xF1)
        && !(r.command == Command::CONNECT && r.port == 0)
        && r.addr
            .domain()
            .is_none_or(|name| SocksHostname::check(name).is_ok());
    let d = frame_decision(r.command.0, &r.addr, r.port, n);
    if ok { d } else { Decision { code: 0, ..d } }
}

/// [`checked_decision`] for the floor, with its own checks.
#[inline]
fn floor_checked_decision(f: &floor::Frame<'_>, n: usize) -> Decision {
    let ok = matches!(f.code, 1 | 0xF0 | 0xF1)
        && !(f.code == 1 && f.port == 0)
        && match f.addr {
            floor::Addr::Domain(name) => floor::hostname_ok(name),
            _ => true,
        };
    let d = floor_frame_decision(f, n);
    if ok { d } else { Decision { code: 0, ..d } }
}

fn pick(userpass: bool, no_auth: bool) -> u8 {
    if userpass {
        2
    } else if no_auth {
        0
    } else {
        0xFF
    }
}

fn consumed(input: &[u8], rest: &[u8]) -> usize {
    input.len() - rest.len()
}

/// A tor-socksproto proxy handshake waiting for the message after `prefix`.
fn tor_proxy_after(prefix: &[u8]) -> tor_socksproto::SocksProxyHandshake {
    let mut hs = tor_socksproto::SocksProxyHandshake::new();
    prime_tor(&mut hs, prefix);
    hs
}

/// A tor-socksproto client handshake (CONNECT to an IP, so cloning it allocates nothing)
/// waiting for the proxy's reply.
fn tor_client_awaiting_reply() -> tor_socksproto::SocksClientHandshake {
    let req = tor_socksproto::SocksRequest::new(
        tor_socksproto::SocksVersion::V5,
        tor_socksproto::SocksCmd::CONNECT,
        tor_socksproto::SocksAddr::Ip(Ipv4Addr::new(192, 0, 2, 7).into()),
        443,
        tor_socksproto::SocksAuth::NoAuth,
    )
    .expect("tor request");
    let mut hs = tor_socksproto::SocksClientHandshake::new(req);
    prime_tor(&mut hs, &[5, 0]);
    hs
}

/// The whole catalogue.
pub fn all_cases(v: &mut impl Visit) {
    wire_cases(v);
    handshake_cases(v);
    stream_cases(v);
}
