//! Protocol detection: is a connection SOCKS, and which way do its first bytes go?
//!
//! The shape of Suricata's probing parsers (`probe_ts`/`probe_tc` with `rdir`) and rusticata's
//! `ProbeResult`: [`probe`] looks at the first bytes of one direction, and at those of the other
//! if any were seen, and says SOCKS (with the version, the direction and how sure it is), "need
//! N more bytes", or not SOCKS. It reads only what it is given, never panics and never
//! allocates.

use crate::dissect::Direction;

/// Which SOCKS.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// SOCKS4: the client sends an IPv4 address.
    Socks4,
    /// SOCKS4a: the client sends a hostname (address `0.0.0.x`, `x` != 0).
    Socks4a,
    /// SOCKS5 (RFC 1928).
    Socks5,
}

/// How sure a detection is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Confidence {
    /// A short shape that other traffic produces by chance: a lone two-byte SOCKS5 method
    /// choice or an eight-byte SOCKS4 reply (what follows one is payload, so anything).
    Low,
    /// A whole first message with plausible fields (known command, known or private methods,
    /// NUL-terminated printable strings), and whatever follows it fits.
    Medium,
    /// Both directions' first messages were seen and answer each other.
    High,
}

/// A positive [`probe`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Detection {
    /// SOCKS4, SOCKS4a or SOCKS5. A server's SOCKS4 reply alone says [`Protocol::Socks4`]:
    /// only the request tells 4 from 4a.
    pub protocol: Protocol,
    /// Which way the probed bytes travel: [`Direction::ClientToServer`] for a client's first
    /// message, [`Direction::ServerToClient`] for a proxy's first reply (the connection is seen
    /// "reversed" if the caller took the probed side for the client).
    pub dir: Direction,
    /// How sure.
    pub confidence: Confidence,
    /// The length of the first message in the probed bytes.
    pub len: usize,
}

/// What [`probe`] says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProbeResult {
    /// The bytes start a SOCKS conversation.
    Socks(Detection),
    /// The bytes are a proper prefix of a possible first message: call again with at least
    /// this many more bytes of the same direction.
    NeedMore(usize),
    /// The bytes cannot start a SOCKS conversation.
    NotSocks,
}

/// The longest SOCKS4 user-id or hostname the probe waits for.
const MAX_STRING: usize = 1024;

/// What one side's bytes are, taken as a client or as a server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Yes {
        protocol: Protocol,
        len: usize,
        confidence: Confidence,
        /// The SOCKS5 method chosen (a server's method choice; 0 otherwise).
        chosen: u8,
    },
    Need(usize),
    No,
}

/// Detects SOCKS from the first bytes of one direction of a connection, `first`, and those of
/// the other direction, `other` (empty if none were seen).
///
/// Client messages recognised: a SOCKS5 greeting (1 to 255 methods, each assigned by IANA,
/// `00` to `09`, or private, `80` to `FE`), optionally followed by the start of a request or
/// sub-negotiation; a SOCKS4 or SOCKS4a request (CONNECT, BIND, or Tor's RESOLVE and
/// RESOLVE_PTR) with NUL-terminated user-id and hostname of printable bytes. Server messages:
/// a SOCKS5 method choice, alone or followed by what that method sends next (a reply after
/// no-auth, VER 1 after GSS-API or username/password; nothing after other methods); a SOCKS4 reply
/// (`VN` 0 or 4, `CD` 90 to 93).
///
/// When `first` could be either (a two-byte `05 01`, `05 02` or `05 FF` is a whole method
/// choice but also the start of a greeting), a whole message wins over "need more": the answer
/// is a server reply with [`Confidence::Low`]. The other direction settles it: when `other`
/// can only be a client's, `first` is taken only as a server's, and the reverse; when `other`
/// can be neither, the connection is not SOCKS.
///
/// ```
/// use sockswire::dissect::{Confidence, Direction, ProbeResult, Protocol, probe};
///
/// // A SOCKS5 greeting offering no-auth.
/// let ProbeResult::Socks(d) = probe(b"\x05\x01\x00", b"") else { panic!() };
/// assert_eq!((d.protocol, d.dir, d.confidence, d.len), (Protocol::Socks5, Direction::ClientToServer, Confidence::Medium, 3));
/// // Its first two bytes: need the one method announced.
/// assert_eq!(probe(b"\x05\x01", b"\x05\x00"), ProbeResult::NeedMore(1));
/// // The proxy's choice, seen with the greeting: these bytes flow from the server.
/// let ProbeResult::Socks(d) = probe(b"\x05\x00", b"\x05\x01\x00") else { panic!() };
/// assert_eq!((d.dir, d.confidence), (Direction::ServerToClient, Confidence::High));
/// assert_eq!(probe(b"GET / HTTP/1.1\r\n", b""), ProbeResult::NotSocks);
/// ```
#[must_use]
pub fn probe(first: &[u8], other: &[u8]) -> ProbeResult {
    let (c, s) = (client(first), server(first));
    if !other.is_empty() {
        let (oc, os) = (client(other), server(other));
        if let Some(d) = answer(c, first, os, Direction::ClientToServer) {
            return ProbeResult::Socks(d);
        }
        if let Some(d) = answer(oc, other, s, Direction::ServerToClient) {
            return ProbeResult::Socks(d);
        }
        // What the other side can be tells what this one must be.
        match (oc, os) {
            (Shape::No, Shape::No) => return ProbeResult::NotSocks,
            (_, Shape::No) => return verdict(Shape::No, s),
            (Shape::No, _) => return verdict(c, Shape::No),
            _ => {}
        }
    }
    verdict(c, s)
}

/// The answer from the probed bytes taken as a client (`c`) and as a server (`s`).
fn verdict(c: Shape, s: Shape) -> ProbeResult {
    match (c, s) {
        (
            Shape::Yes {
                protocol,
                len,
                confidence,
                ..
            },
            _,
        ) => ProbeResult::Socks(Detection {
            protocol,
            dir: Direction::ClientToServer,
            confidence,
            len,
        }),
        (
            _,
            Shape::Yes {
                protocol,
                len,
                confidence,
                ..
            },
        ) => ProbeResult::Socks(Detection {
            protocol,
            dir: Direction::ServerToClient,
            confidence,
            len,
        }),
        (Shape::Need(a), Shape::Need(b)) => ProbeResult::NeedMore(a.min(b)),
        (Shape::Need(n), Shape::No) | (Shape::No, Shape::Need(n)) => ProbeResult::NeedMore(n),
        (Shape::No, Shape::No) => ProbeResult::NotSocks,
    }
}

/// A client's first message (`cbytes`, shaped `client`) and a server's first reply that
/// answer each other: the detection for the side in `dir`.
fn answer(client: Shape, cbytes: &[u8], server: Shape, dir: Direction) -> Option<Detection> {
    let (
        Shape::Yes {
            protocol: cp,
            len: clen,
            ..
        },
        Shape::Yes {
            protocol: sp,
            len: slen,
            chosen,
            ..
        },
    ) = (client, server)
    else {
        return None;
    };
    let agree = match (cp, sp) {
        (Protocol::Socks4 | Protocol::Socks4a, Protocol::Socks4) => true,
        // The choice is one of the offered methods, or "none acceptable".
        (Protocol::Socks5, Protocol::Socks5) => {
            chosen == 0xFF || cbytes.get(2..clen).is_some_and(|m| m.contains(&chosen))
        }
        _ => false,
    };
    agree.then_some(Detection {
        protocol: cp,
        dir,
        confidence: Confidence::High,
        len: if dir == Direction::ClientToServer {
            clen
        } else {
            slen
        },
    })
}

fn plausible_method(m: u8) -> bool {
    m <= 0x09 || (0x80..=0xFE).contains(&m)
}

/// Printable for a SOCKS4 string: no control byte (UTF-8 passes).
fn printable(b: u8) -> bool {
    b >= 0x20 && b != 0x7F
}

/// The bytes taken as a client's first message.
fn client(b: &[u8]) -> Shape {
    match b.first() {
        None => Shape::Need(1),
        Some(5) => greeting(b),
        Some(4) => socks4_request(b),
        Some(_) => Shape::No,
    }
}

fn greeting(b: &[u8]) -> Shape {
    let Some(&n) = b.get(1) else {
        return Shape::Need(1);
    };
    if n == 0 {
        return Shape::No;
    }
    let len = 2 + usize::from(n);
    let methods = b.get(2..len.min(b.len())).unwrap_or_default();
    if !methods.iter().all(|&m| plausible_method(m)) {
        return Shape::No;
    }
    if b.len() < len {
        return Shape::Need(len - b.len());
    }
    // Next: a request (no authentication) or a sub-negotiation (RFC 1929, RFC 1961).
    let rest = b.get(len..).unwrap_or_default();
    let fits = match rest {
        [] => true,
        [5, more @ ..] => request_prefix(more),
        // A sub-negotiation only for a method that has one (a SOCKS5 request to an IPv4
        // address, `05 01 00 01 ...`, is no greeting offering no-auth followed by one).
        [1, ..] => methods.iter().any(|&m| m == 1 || m == 2),
        _ => false,
    };
    if !fits {
        return Shape::No;
    }
    Shape::Yes {
        protocol: Protocol::Socks5,
        len,
        confidence: Confidence::Medium,
        chosen: 0,
    }
}

/// After `05`: CMD RSV ATYP of a SOCKS5 request, as far as they go.
fn request_prefix(b: &[u8]) -> bool {
    let cmd = b.first().is_none_or(|c| matches!(c, 1..=3 | 0xF0 | 0xF1));
    let atyp = b.get(2).is_none_or(|a| matches!(a, 1 | 3 | 4));
    cmd && atyp
}

/// After `05`: REP RSV ATYP of a SOCKS5 reply, as far as they go (ATYP 0 is C Tor's).
fn reply_prefix(b: &[u8]) -> bool {
    let rep = b.first().is_none_or(|r| matches!(r, 0..=8 | 0xF0..=0xF7));
    let atyp = b.get(2).is_none_or(|a| matches!(a, 0 | 1 | 3 | 4));
    rep && atyp
}

fn socks4_request(b: &[u8]) -> Shape {
    if b.get(1).is_some_and(|c| !matches!(c, 1 | 2 | 0xF0 | 0xF1)) {
        return Shape::No;
    }
    // VN CD DSTPORT DSTIP, then at least the user-id's NUL.
    if b.len() < 8 {
        return Shape::Need(9 - b.len());
    }
    let socks4a = matches!(b.get(4..8), Some([0, 0, 0, x]) if *x != 0);
    let Some(userid_end) = c_string(b, 8) else {
        return if string_ok(b, 8) {
            Shape::Need(if socks4a { 3 } else { 1 })
        } else {
            Shape::No
        };
    };
    let (protocol, len) = if socks4a {
        let host = userid_end + 1;
        match c_string(b, host) {
            Some(end) if end > host => (Protocol::Socks4a, end + 1),
            Some(_) => return Shape::No,
            None if string_ok(b, host) => {
                return Shape::Need(if b.len() == host { 2 } else { 1 });
            }
            None => return Shape::No,
        }
    } else {
        (Protocol::Socks4, userid_end + 1)
    };
    Shape::Yes {
        protocol,
        len,
        confidence: Confidence::Medium,
        chosen: 0,
    }
}

/// The index of the NUL ending a printable string starting at `from`, if it is there and
/// every byte before it is printable.
fn c_string(b: &[u8], from: usize) -> Option<usize> {
    let s = b.get(from..)?;
    let nul = s.iter().position(|&c| c == 0)?;
    let body = s.get(..nul)?;
    (nul <= MAX_STRING && body.iter().all(|&c| printable(c))).then_some(from + nul)
}

/// Whether the unterminated string from `from` to the end could still become one.
fn string_ok(b: &[u8], from: usize) -> bool {
    let s = b.get(from..).unwrap_or_default();
    s.len() <= MAX_STRING && s.iter().all(|&c| printable(c))
}

/// The bytes taken as a server's first reply.
fn server(b: &[u8]) -> Shape {
    match b.first() {
        None => Shape::Need(1),
        Some(5) => method_choice(b),
        Some(0 | 4) => socks4_reply(b),
        Some(_) => Shape::No,
    }
}

fn method_choice(b: &[u8]) -> Shape {
    let Some(&m) = b.get(1) else {
        return Shape::Need(1);
    };
    if !(plausible_method(m) || m == 0xFF) {
        return Shape::No;
    }
    let rest = b.get(2..).unwrap_or_default();
    let confidence = match (m, rest) {
        (_, []) => Confidence::Low,
        (0, [5, more @ ..]) if reply_prefix(more) => Confidence::Medium,
        // RFC 1929 status, or an RFC 1961 frame: VER 1.
        (1 | 2, [1, ..]) => Confidence::Medium,
        _ => return Shape::No,
    };
    Shape::Yes {
        protocol: Protocol::Socks5,
        len: 2,
        confidence,
        chosen: m,
    }
}

fn socks4_reply(b: &[u8]) -> Shape {
    if b.get(1).is_some_and(|cd| !(0x5A..=0x5D).contains(cd)) {
        return Shape::No;
    }
    if b.len() < 8 {
        return Shape::Need(8 - b.len());
    }
    Shape::Yes {
        protocol: Protocol::Socks4,
        len: 8,
        confidence: Confidence::Low,
        chosen: 0,
    }
}
