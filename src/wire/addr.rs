//! SOCKS5 addresses (`ATYP ADDR PORT`), shared by requests, replies and UDP headers.

use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use nom::{IResult, Parser};

use crate::wire::cursor::{Cursor, Fail, Sink, WireParser, check_len};
use crate::wire::encode::{Body, encode_from_body};
use crate::wire::{AddrType, Encode, EncodeError, Field, FromWireError, WireError};

/// An address as a SOCKS5 message carries it. Domains are raw bytes: nothing requires UTF-8.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Addr<'a> {
    /// `ATYP` 1.
    Ipv4(Ipv4Addr),
    /// `ATYP` 3: the name without its length byte (at most 255 bytes on the wire).
    Domain(&'a [u8]),
    /// `ATYP` 4.
    Ipv6(Ipv6Addr),
    /// `ATYP` 0 with four address bytes: C Tor's RESOLVE failure reply. Only replies accept it.
    Unspecified([u8; 4]),
}

impl<'a> Addr<'a> {
    /// The address type byte this address is written with.
    #[must_use]
    pub const fn addr_type(&self) -> AddrType {
        match self {
            Addr::Ipv4(_) => AddrType::IPV4,
            Addr::Domain(_) => AddrType::DOMAIN,
            Addr::Ipv6(_) => AddrType::IPV6,
            Addr::Unspecified(_) => AddrType::UNSPECIFIED,
        }
    }

    /// The IP address, if this is an IPv4 or IPv6 address.
    #[must_use]
    pub const fn ip(&self) -> Option<IpAddr> {
        match *self {
            Addr::Ipv4(ip) => Some(IpAddr::V4(ip)),
            Addr::Ipv6(ip) => Some(IpAddr::V6(ip)),
            Addr::Domain(_) | Addr::Unspecified(_) => None,
        }
    }

    /// Whether the peer sent a raw IP address rather than a name: the hint Tor uses to warn of
    /// a possible DNS leak (the client resolved the name itself).
    #[must_use]
    pub const fn is_raw_ip(&self) -> bool {
        matches!(self, Addr::Ipv4(_) | Addr::Ipv6(_))
    }

    /// The domain's bytes, if this is a domain.
    #[must_use]
    pub const fn domain(&self) -> Option<&'a [u8]> {
        match *self {
            Addr::Domain(name) => Some(name),
            _ => None,
        }
    }

    /// The domain as text, if this is a domain and it is UTF-8.
    #[must_use]
    pub fn domain_str(&self) -> Option<&'a str> {
        self.domain().and_then(|d| core::str::from_utf8(d).ok())
    }

    /// Whether this is a domain whose text is an IP literal (`"8.8.8.8"`, `"::1"`, `"[::1]"`):
    /// the client resolved the name, or means an IP, but sent it as a name.
    #[must_use]
    pub fn is_ip_literal_domain(&self) -> bool {
        self.domain_str().is_some_and(|s| {
            let s = s
                .strip_prefix('[')
                .and_then(|s| s.strip_suffix(']'))
                .unwrap_or(s);
            s.parse::<IpAddr>().is_ok()
        })
    }

    /// Bytes this address takes on the wire, `ATYP` included, port excluded.
    #[must_use]
    pub const fn encoded_len(&self) -> usize {
        1 + match self {
            Addr::Ipv4(_) | Addr::Unspecified(_) => 4,
            Addr::Domain(name) => 1 + name.len(),
            Addr::Ipv6(_) => 16,
        }
    }

    /// Checks that the address can be written (a domain of at most 255 bytes).
    pub(crate) fn check(&self) -> Result<(), EncodeError> {
        match self {
            Addr::Domain(name) => check_len(Field::Address, name.len(), 255),
            _ => Ok(()),
        }
    }

    #[inline]
    pub(crate) fn write<S: Sink>(&self, w: &mut S) {
        w.u8(self.addr_type().0);
        match self {
            Addr::Ipv4(ip) => w.bytes(&ip.octets()),
            Addr::Domain(name) => w.u8(name.len() as u8).bytes(name),
            Addr::Ipv6(ip) => w.bytes(&ip.octets()),
            Addr::Unspecified(raw) => w.bytes(raw),
        };
    }
}

impl From<IpAddr> for Addr<'_> {
    fn from(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(ip) => Addr::Ipv4(ip),
            IpAddr::V6(ip) => Addr::Ipv6(ip),
        }
    }
}

/// Writes a domain as text when it is printable ASCII, escaping other bytes as `\xNN`.
pub(crate) fn fmt_bytes(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    for &b in bytes {
        if b.is_ascii_graphic() || b == b' ' {
            fmt::Write::write_char(f, char::from(b))?;
        } else {
            write!(f, "\\x{b:02x}")?;
        }
    }
    Ok(())
}

impl fmt::Display for Addr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Addr::Ipv4(ip) => ip.fmt(f),
            Addr::Ipv6(ip) => ip.fmt(f),
            Addr::Domain(name) => fmt_bytes(f, name),
            // Dotted like IPv4 (C Tor writes four zero bytes); `addr_type()` tells them apart.
            Addr::Unspecified([a, b, c, d]) => write!(f, "{a}.{b}.{c}.{d}"),
        }
    }
}

/// A target or bound address with its port, as `host:port` (IPv6 in brackets).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct HostPort<'a> {
    /// The address.
    pub addr: Addr<'a>,
    /// The port.
    pub port: u16,
}

impl HostPort<'_> {
    /// The socket address, if the address is an IP address.
    #[must_use]
    pub fn socket_addr(&self) -> Option<SocketAddr> {
        self.addr.ip().map(|ip| SocketAddr::new(ip, self.port))
    }
}

impl fmt::Display for HostPort<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.addr {
            Addr::Ipv6(ip) => write!(f, "[{ip}]:{}", self.port),
            addr => write!(f, "{addr}:{}", self.port),
        }
    }
}

/// Reads `ADDR PORT` for an address type already read.
#[inline]
pub(crate) fn read_addr_port<'a>(
    c: &mut Cursor<'a>,
    atyp: u8,
    allow_unspecified: bool,
) -> Result<HostPort<'a>, Fail> {
    match AddrType(atyp) {
        AddrType::IPV4 => {
            let [a, b, x, d, p0, p1] = c.array::<6>(Field::Address)?;
            Ok(HostPort {
                addr: Addr::Ipv4(Ipv4Addr::new(a, b, x, d)),
                port: u16::from_be_bytes([p0, p1]),
            })
        }
        AddrType::UNSPECIFIED if allow_unspecified => {
            let [a, b, x, d, p0, p1] = c.array::<6>(Field::Address)?;
            Ok(HostPort {
                addr: Addr::Unspecified([a, b, x, d]),
                port: u16::from_be_bytes([p0, p1]),
            })
        }
        AddrType::DOMAIN => {
            let [len] = c.array::<1>(Field::DomainLength)?;
            let bytes = c.take(usize::from(len) + 2, Field::Address)?;
            let (name, port) = split_port(bytes);
            Ok(HostPort {
                addr: Addr::Domain(name),
                port,
            })
        }
        AddrType::IPV6 => {
            let bytes = c.array::<18>(Field::Address)?;
            let (ip, port) = bytes.split_at(16);
            let mut octets = [0; 16];
            octets.copy_from_slice(ip);
            Ok(HostPort {
                addr: Addr::Ipv6(Ipv6Addr::from(octets)),
                port: split_port(port).1,
            })
        }
        AddrType(got) => Err(WireError::UnknownAddrType { got }.into()),
    }
}

/// Splits the two-byte big-endian port off the end of `bytes` (which has at least two).
#[inline]
fn split_port(bytes: &[u8]) -> (&[u8], u16) {
    match bytes.split_last_chunk::<2>() {
        Some((head, port)) => (head, u16::from_be_bytes(*port)),
        None => (bytes, 0),
    }
}

/// Builds a parser for `ATYP ADDR PORT` alone, as RFC 1928 lays it out in requests and replies.
/// `ATYP` 0 is refused, as in a request.
///
/// ```
/// use sockswire::{Addr, HostPort, WireError, socks5_addr};
/// use nom::{Needed, Parser};
///
/// let (rest, target) = socks5_addr::<WireError>().parse(&[3, 2, b'h', b'i', 0, 80, 9]).unwrap();
/// assert_eq!(target, HostPort { addr: Addr::Domain(b"hi"), port: 80 });
/// assert_eq!(rest, &[9]);
/// assert_eq!(socks5_addr::<WireError>().parse(&[1, 127, 0]), Err(nom::Err::Incomplete(Needed::new(4))));
/// ```
pub fn socks5_addr<'a, E: FromWireError<'a>>()
-> impl Parser<&'a [u8], Output = HostPort<'a>, Error = E> {
    WireParser::new(|c: &mut Cursor<'a>| {
        let [atyp] = c.array::<1>(Field::AddrType)?;
        read_addr_port(c, atyp, false)
    })
}

/// Parses `ATYP ADDR PORT` ([`HostPort`]) in streaming mode.
///
/// ```
/// use sockswire::{Addr, HostPort, parse_socks5_addr};
/// use nom::Needed;
///
/// let (rest, target) = parse_socks5_addr(&[1, 127, 0, 0, 1, 0, 80]).unwrap();
/// assert_eq!(target, HostPort { addr: Addr::Ipv4([127, 0, 0, 1].into()), port: 80 });
/// assert!(rest.is_empty());
/// assert_eq!(parse_socks5_addr(&[3, 2, b'h']), Err(nom::Err::Incomplete(Needed::new(3))));
/// ```
pub fn parse_socks5_addr(input: &[u8]) -> IResult<&[u8], HostPort<'_>, WireError> {
    socks5_addr().parse(input)
}

/// Writes `ATYP ADDR PORT`.
#[inline]
pub(crate) fn write_host_port<S: Sink>(w: &mut S, target: &HostPort<'_>) {
    target.addr.write(w);
    w.u16(target.port);
}

impl Encode for HostPort<'_> {
    fn encoded_len(&self) -> usize {
        self.addr.encoded_len() + 2
    }

    encode_from_body!();
}

impl Body for HostPort<'_> {
    fn check(&self) -> Result<(), EncodeError> {
        self.addr.check()
    }

    #[inline]
    fn body<S: Sink>(&self, w: &mut S) {
        write_host_port(w, self);
    }
}
