//! Drives a sockswire or a tor-socksproto handshake over bytes already in memory, the same way
//! for both, and boils every outcome down to a [`Decision`] so the two (and the floor) can be
//! compared on identical bytes.

#![allow(dead_code)]

use std::hint::black_box;
use std::net::IpAddr;

/// What a handshake or a parser decided, reduced to numbers: enough to check that sockswire,
/// tor-socksproto and the floor agree, and cheap to compute for all three.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Decision {
    /// Command, reply status or chosen method.
    pub code: u8,
    /// Port.
    pub port: u16,
    /// Hostname length, when the address is a name.
    pub host: usize,
    /// IP address (IPv4 tagged above bit 100), when the address is an IP.
    pub ip: u128,
    /// User-id or username length.
    pub user: usize,
    /// Password length.
    pub pass: usize,
    /// Bytes sent by the handshake, or consumed by the parser.
    pub n: usize,
}

/// FNV-1a over words: a cheap, order-sensitive fingerprint.
#[inline]
pub fn fp(parts: &[u64]) -> u64 {
    parts.iter().fold(0xcbf2_9ce4_8422_2325, |h, &x| {
        (h ^ x).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// An IPv4 address as a [`Decision::ip`].
#[inline]
pub fn ipv4_bits(octets: [u8; 4]) -> u128 {
    u128::from(u32::from_be_bytes(octets)) | (1 << 100)
}

/// An IPv6 address as a [`Decision::ip`].
#[inline]
pub fn ipv6_bits(octets: [u8; 16]) -> u128 {
    u128::from_be_bytes(octets)
}

/// An IP address as a [`Decision::ip`].
#[inline]
pub fn ip_bits(ip: &IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => ipv4_bits(v4.octets()),
        IpAddr::V6(v6) => ipv6_bits(v6.octets()),
    }
}

impl Decision {
    /// The fingerprint the benches return.
    #[inline]
    pub fn fingerprint(&self) -> u64 {
        fp(&[
            u64::from(self.code),
            u64::from(self.port),
            self.host as u64,
            self.ip as u64,
            (self.ip >> 64) as u64,
            self.user as u64,
            self.pass as u64,
            self.n as u64,
        ])
    }
}

/// A handshake output that can be summarised.
pub trait Summarize {
    /// The decision, given the bytes sent or consumed.
    fn decision(&self, n: usize) -> Decision;
}

impl Summarize for sockswire::SocksRequest<'_> {
    #[inline]
    fn decision(&self, n: usize) -> Decision {
        let (host, ip) = match self.addr() {
            // The name's length, as the floor takes it from its checked bytes; building the
            // `&str` (`as_str`) is a second UTF-8 pass that decides nothing.
            sockswire::SocksAddr::Hostname(h) => (h.len(), 0),
            sockswire::SocksAddr::Ip(ip) => (0, ip_bits(ip)),
        };
        let (user, pass) = match *self.auth() {
            sockswire::SocksAuth::Socks4(id) => (id.len(), 0),
            sockswire::SocksAuth::Username(u, p) => (u.len(), p.len()),
            _ => (0, 0),
        };
        Decision {
            code: self.command().0,
            port: self.port(),
            host,
            ip,
            user,
            pass,
            n,
        }
    }
}

impl Summarize for sockswire::SocksReply<'_> {
    #[inline]
    fn decision(&self, n: usize) -> Decision {
        let (host, ip) = match self.addr() {
            // The name's length, as the floor takes it from its checked bytes; building the
            // `&str` (`as_str`) is a second UTF-8 pass that decides nothing.
            sockswire::SocksAddr::Hostname(h) => (h.len(), 0),
            sockswire::SocksAddr::Ip(ip) => (0, ip_bits(ip)),
        };
        Decision {
            code: self.status().0,
            port: self.port(),
            host,
            ip,
            n,
            ..Decision::default()
        }
    }
}

fn tor_addr(addr: &tor_socksproto::SocksAddr) -> (usize, u128) {
    match addr {
        tor_socksproto::SocksAddr::Hostname(h) => (h.as_ref().len(), 0),
        tor_socksproto::SocksAddr::Ip(ip) => (0, ip_bits(ip)),
    }
}

impl Summarize for tor_socksproto::SocksRequest {
    #[inline]
    fn decision(&self, n: usize) -> Decision {
        let (host, ip) = tor_addr(self.addr());
        let (user, pass) = match self.auth() {
            tor_socksproto::SocksAuth::Socks4(id) => (id.len(), 0),
            tor_socksproto::SocksAuth::Username(u, p) => (u.len(), p.len()),
            _ => (0, 0),
        };
        Decision {
            code: self.command().into(),
            port: self.port(),
            host,
            ip,
            user,
            pass,
            n,
        }
    }
}

impl Summarize for tor_socksproto::SocksReply {
    #[inline]
    fn decision(&self, n: usize) -> Decision {
        let (host, ip) = tor_addr(self.addr());
        Decision {
            code: self.status().into(),
            port: self.port(),
            host,
            ip,
            n,
            ..Decision::default()
        }
    }
}

/// How a driven handshake ended.
pub struct Driven {
    /// The output's decision, with `n` the bytes the handshake sent.
    pub decision: Decision,
    /// Bytes of `input` the handshake consumed.
    pub consumed: usize,
}

/// Steps a sockswire handshake to the end, copying `input` into each receive step (all free
/// space, or exactly the deficit with a precise buffer), as a socket read would.
///
/// Each instantiation should have one call site per scenario family, as a caller's own loop
/// would: LLVM inlines a loop called from one place and may stop when a second calls it, which
/// moves a case's count by tens of instructions of harness. So a second client scenario uses
/// its own storage type `S`, and with it its own copy of this loop.
#[inline]
pub fn drive_ours<H, P, S>(hs: &mut H, buf: &mut sockswire::Buffer<P, S>, input: &[u8]) -> Driven
where
    H: sockswire::Handshake,
    P: sockswire::ReadPrecision,
    S: sockswire::Storage,
    for<'a> H::Output<'a>: Summarize,
{
    let mut rest = input;
    let mut sent = 0;
    loop {
        match hs.step(buf).expect("sockswire handshake step") {
            sockswire::NextStep::Send(bytes) => sent += black_box(bytes).len(),
            sockswire::NextStep::Recv(mut recv) => {
                let dst = recv.buf();
                let n = dst.len().min(rest.len());
                dst[..n].copy_from_slice(&rest[..n]);
                rest = &rest[n..];
                recv.note_received(n).expect("sockswire note_received");
            }
            sockswire::NextStep::Finished(done) => {
                let (output, left) = done.into_output_and_slice();
                return Driven {
                    decision: output.decision(sent),
                    consumed: input.len() - rest.len() - left.len(),
                };
            }
        }
    }
}

/// [`drive_ours`] for tor-socksproto: the same loop, over its `Vec` replies and owned output.
#[inline]
pub fn drive_tor<H, P>(hs: &mut H, buf: &mut tor_socksproto::Buffer<P>, input: &[u8]) -> Driven
where
    H: tor_socksproto::Handshake,
    P: tor_socksproto::ReadPrecision,
    H::Output: Summarize,
{
    let mut rest = input;
    let mut sent = 0;
    loop {
        match hs.step(buf).expect("tor-socksproto handshake step") {
            tor_socksproto::NextStep::Send(bytes) => sent += black_box(bytes).len(),
            tor_socksproto::NextStep::Recv(mut recv) => {
                let dst = recv.buf();
                let n = dst.len().min(rest.len());
                dst[..n].copy_from_slice(&rest[..n]);
                rest = &rest[n..];
                recv.note_received(n).expect("tor-socksproto note_received");
            }
            tor_socksproto::NextStep::Finished(done) => {
                let (output, left) = done.into_output_and_slice();
                let consumed = input.len() - rest.len() - left.len();
                return Driven {
                    decision: output.decision(sent),
                    consumed,
                };
            }
        }
    }
}

/// Steps a tor-socksproto handshake until it first sends (the reply to a greeting or to
/// credentials): its only way to parse those messages. Returns the reply's last byte (the
/// chosen method or the status) and the bytes consumed.
#[inline]
pub fn drive_tor_until_send<H, P>(
    hs: &mut H,
    buf: &mut tor_socksproto::Buffer<P>,
    input: &[u8],
) -> (u8, usize)
where
    H: tor_socksproto::Handshake,
    P: tor_socksproto::ReadPrecision,
{
    let mut rest = input;
    loop {
        match hs.step(buf).expect("tor-socksproto handshake step") {
            tor_socksproto::NextStep::Send(bytes) => {
                let left = buf.filled_slice().len();
                return (
                    black_box(bytes).last().copied().unwrap_or_default(),
                    input.len() - rest.len() - left,
                );
            }
            tor_socksproto::NextStep::Recv(mut recv) => {
                let dst = recv.buf();
                let n = dst.len().min(rest.len());
                dst[..n].copy_from_slice(&rest[..n]);
                rest = &rest[n..];
                recv.note_received(n).expect("tor-socksproto note_received");
            }
            tor_socksproto::NextStep::Finished(_) => panic!("finished before sending"),
        }
    }
}

/// Runs a tor-socksproto handshake through its sends and receives until it waits for
/// input it does not have, leaving it primed in that state (to clone per operation).
pub fn prime_tor<H: tor_socksproto::Handshake>(hs: &mut H, input: &[u8]) {
    let mut buf = tor_socksproto::Buffer::new_precise();
    let mut rest = input;
    loop {
        match hs.step(&mut buf).expect("priming tor-socksproto") {
            tor_socksproto::NextStep::Send(_) => {}
            tor_socksproto::NextStep::Recv(mut recv) => {
                if rest.is_empty() {
                    return;
                }
                let dst = recv.buf();
                let n = dst.len().min(rest.len());
                dst[..n].copy_from_slice(&rest[..n]);
                rest = &rest[n..];
                recv.note_received(n).expect("priming note_received");
            }
            tor_socksproto::NextStep::Finished(_) => panic!("priming finished the handshake"),
        }
    }
}

/// [`prime_tor`] for sockswire.
pub fn prime_ours<H: sockswire::Handshake>(hs: &mut H, input: &[u8]) {
    let mut buf = sockswire::Buffer::new_precise();
    let mut rest = input;
    loop {
        match hs.step(&mut buf).expect("priming sockswire") {
            sockswire::NextStep::Send(_) => {}
            sockswire::NextStep::Recv(mut recv) => {
                if rest.is_empty() {
                    return;
                }
                let dst = recv.buf();
                let n = dst.len().min(rest.len());
                dst[..n].copy_from_slice(&rest[..n]);
                rest = &rest[n..];
                recv.note_received(n).expect("priming note_received");
            }
            sockswire::NextStep::Finished(_) => panic!("priming finished the handshake"),
        }
    }
}
