//! SOCKS4 and SOCKS4a: the request (`VN CD DSTPORT DSTIP USERID NUL [HOST NUL]`) and the reply
//! (`VN CD DSTPORT DSTIP`).

use core::net::Ipv4Addr;

use nom::{IResult, Parser};

use crate::wire::cursor::{Cursor, Fail, Sink, WireParser};
use crate::wire::encode::{Body, encode_from_body};
use crate::wire::{
    Addr, Command, Encode, EncodeError, Field, FromWireError, HostPort, Limits, Socks4Status,
    WireError,
};

/// The SOCKS4 request version byte.
pub const SOCKS4_VERSION: u8 = 4;
/// The length of a SOCKS4 reply, and of a request's fixed header.
pub const SOCKS4_REPLY_LEN: usize = 8;

/// Whether a SOCKS4 `DSTIP` announces a SOCKS4a hostname: `0.0.0.x` with `x != 0`.
#[must_use]
pub const fn is_socks4a_marker(ip: Ipv4Addr) -> bool {
    let [a, b, c, d] = ip.octets();
    a == 0 && b == 0 && c == 0 && d != 0
}

/// A SOCKS4 or SOCKS4a request.
///
/// `hostname` is present exactly when `ip` is `0.0.0.x` with `x != 0` (SOCKS4a). `USERID` and
/// the hostname are raw bytes without their NULs; nothing requires UTF-8.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Socks4Request<'a> {
    /// `CD`: any value is kept; BIND 2 and Tor's RESOLVE 0xF0 are the other meaningful ones.
    pub command: Command,
    /// `DSTPORT`.
    pub port: u16,
    /// `DSTIP`; `0.0.0.x` for SOCKS4a.
    pub ip: Ipv4Addr,
    /// `USERID`, which Tor uses for stream isolation.
    pub userid: &'a [u8],
    /// The SOCKS4a hostname.
    pub hostname: Option<&'a [u8]>,
}

impl<'a> Socks4Request<'a> {
    /// Whether this is a SOCKS4a request (it carries a hostname).
    #[must_use]
    pub const fn is_socks4a(&self) -> bool {
        self.hostname.is_some()
    }

    /// Whether the client sent a raw IP address (plain SOCKS4): Tor's DNS-leak hint.
    #[must_use]
    pub const fn is_raw_ip(&self) -> bool {
        self.hostname.is_none()
    }

    /// The target: the hostname for SOCKS4a, the IPv4 address otherwise.
    #[must_use]
    pub const fn target(&self) -> HostPort<'a> {
        let addr = match self.hostname {
            Some(name) => Addr::Domain(name),
            None => Addr::Ipv4(self.ip),
        };
        HostPort {
            addr,
            port: self.port,
        }
    }

    /// The user-id as text, if it is UTF-8.
    #[must_use]
    pub fn userid_str(&self) -> Option<&'a str> {
        core::str::from_utf8(self.userid).ok()
    }
}

/// The limit to scan a NUL-terminated field with, and the error for passing it: the field's
/// own limit, or what is left of the message's.
fn nul_field_limit(
    field: Field,
    field_limit: usize,
    used: usize,
    limits: &Limits,
) -> (usize, WireError) {
    let room = limits.socks4_message.saturating_sub(used + 1);
    if field_limit <= room {
        (
            field_limit,
            WireError::LengthOverLimit {
                field,
                limit: field_limit,
            },
        )
    } else {
        (
            room,
            WireError::MessageTooLong {
                limit: limits.socks4_message,
            },
        )
    }
}

#[inline]
fn read_request<'a>(c: &mut Cursor<'a>, limits: &Limits) -> Result<Socks4Request<'a>, Fail> {
    c.expect_version(SOCKS4_VERSION)?;
    let [_, cd, p0, p1, a, b, x, d] = c.array::<8>(Field::Header)?;
    let ip = Ipv4Addr::new(a, b, x, d);
    let (limit, over) = nul_field_limit(Field::Userid, limits.socks4_userid, c.consumed(), limits);
    let userid = c.until_nul(Field::Userid, limit, over)?;
    let hostname = if is_socks4a_marker(ip) {
        let (limit, over) = nul_field_limit(
            Field::Hostname,
            limits.socks4_hostname,
            c.consumed(),
            limits,
        );
        Some(c.until_nul(Field::Hostname, limit, over)?)
    } else {
        None
    };
    Ok(Socks4Request {
        command: Command(cd),
        port: u16::from_be_bytes([p0, p1]),
        ip,
        userid,
        hostname,
    })
}

/// Builds a parser for a [`Socks4Request`] with the given limits.
///
/// While scanning for a NUL, a streaming parser asks for one byte at a time
/// (`Needed::Size(1)`), and fails as soon as a field passes its limit.
pub fn socks4_request<'a, E: FromWireError<'a>>(
    limits: Limits,
) -> impl Parser<&'a [u8], Output = Socks4Request<'a>, Error = E> {
    WireParser::new(move |c: &mut Cursor<'a>| read_request(c, &limits))
}

/// Parses a [`Socks4Request`] in streaming mode with [`Limits::DEFAULT`].
///
/// ```
/// use sockswire::parse_socks4_request;
/// use nom::Needed;
///
/// let bytes = [4, 1, 0, 80, 0, 0, 0, 1, b'u', 0, b'h', b'i', 0];
/// let (_, req) = parse_socks4_request(&bytes).unwrap();
/// assert_eq!((req.userid, req.hostname), (&b"u"[..], Some(&b"hi"[..])));
/// assert_eq!(parse_socks4_request(&bytes[..5]), Err(nom::Err::Incomplete(Needed::new(3))));
/// assert_eq!(parse_socks4_request(&bytes[..11]), Err(nom::Err::Incomplete(Needed::new(1))));
/// ```
pub fn parse_socks4_request(input: &[u8]) -> IResult<&[u8], Socks4Request<'_>, WireError> {
    socks4_request(Limits::DEFAULT).parse(input)
}

fn check_nul_free(field: Field, bytes: &[u8]) -> Result<(), EncodeError> {
    if super::scan::has_nul(bytes) {
        Err(EncodeError::NulInField { field })
    } else {
        Ok(())
    }
}

impl Encode for Socks4Request<'_> {
    fn encoded_len(&self) -> usize {
        8 + self.userid.len() + 1 + self.hostname.map_or(0, |h| h.len() + 1)
    }

    encode_from_body!();
}

impl Body for Socks4Request<'_> {
    fn check(&self) -> Result<(), EncodeError> {
        if self.hostname.is_some() != is_socks4a_marker(self.ip) {
            return Err(EncodeError::Socks4aMismatch);
        }
        check_nul_free(Field::Userid, self.userid)?;
        check_nul_free(Field::Hostname, self.hostname.unwrap_or_default())
    }

    #[inline]
    fn body<S: Sink>(&self, w: &mut S) {
        // The fixed head in one write (one room check, one store), and no copy call for the
        // usual empty user-id.
        let [p0, p1] = self.port.to_be_bytes();
        let [a, b, c, d] = self.ip.octets();
        w.bytes(&[SOCKS4_VERSION, self.command.0, p0, p1, a, b, c, d]);
        if !self.userid.is_empty() {
            w.bytes(self.userid);
        }
        w.u8(0);
        if let Some(host) = self.hostname {
            w.bytes(host).u8(0);
        }
    }
}

/// A SOCKS4 reply: `VN CD DSTPORT DSTIP`.
///
/// `VN` is 0 by the protocol; 4 is accepted too (some servers send it and C Tor's client
/// tolerates it) and kept, so the reply re-encodes byte for byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Socks4Reply {
    /// `VN`: 0, or 4 from some servers.
    pub version: u8,
    /// `CD`: 90 granted, 91-93 rejected; any value kept.
    pub status: Socks4Status,
    /// `DSTPORT`.
    pub port: u16,
    /// `DSTIP`.
    pub ip: Ipv4Addr,
}

impl Socks4Reply {
    /// A reply with `VN` 0.
    #[must_use]
    pub const fn new(status: Socks4Status, port: u16, ip: Ipv4Addr) -> Self {
        Socks4Reply {
            version: 0,
            status,
            port,
            ip,
        }
    }

    /// The encoding.
    #[must_use]
    pub const fn to_bytes(&self) -> [u8; SOCKS4_REPLY_LEN] {
        let [p0, p1] = self.port.to_be_bytes();
        let [a, b, c, d] = self.ip.octets();
        [self.version, self.status.0, p0, p1, a, b, c, d]
    }
}

#[inline]
fn read_reply(c: &mut Cursor<'_>) -> Result<Socks4Reply, Fail> {
    if let Some(&got) = c.rest().first() {
        if got != 0 && got != SOCKS4_VERSION {
            return Err(WireError::BadVersion { got, expected: 0 }.into());
        }
    }
    let [version, cd, p0, p1, a, b, x, d] = c.array::<8>(Field::Header)?;
    Ok(Socks4Reply {
        version,
        status: Socks4Status(cd),
        port: u16::from_be_bytes([p0, p1]),
        ip: Ipv4Addr::new(a, b, x, d),
    })
}

/// Builds a parser for a [`Socks4Reply`].
pub fn socks4_reply<'a, E: FromWireError<'a>>()
-> impl Parser<&'a [u8], Output = Socks4Reply, Error = E> {
    WireParser::new(read_reply)
}

/// Parses a [`Socks4Reply`] in streaming mode.
///
/// ```
/// use sockswire::{Socks4Status, parse_socks4_reply};
/// use nom::Needed;
///
/// let (_, reply) = parse_socks4_reply(&[0, 0x5A, 0, 80, 127, 0, 0, 1]).unwrap();
/// assert_eq!(reply.status, Socks4Status::GRANTED);
/// assert_eq!(parse_socks4_reply(&[0, 0x5B]), Err(nom::Err::Incomplete(Needed::new(6))));
/// ```
pub fn parse_socks4_reply(input: &[u8]) -> IResult<&[u8], Socks4Reply, WireError> {
    socks4_reply().parse(input)
}

impl Encode for Socks4Reply {
    fn encoded_len(&self) -> usize {
        SOCKS4_REPLY_LEN
    }

    encode_from_body!();
}

impl Body for Socks4Reply {
    #[inline]
    fn body<S: Sink>(&self, w: &mut S) {
        w.bytes(&self.to_bytes());
    }
}

#[cfg(feature = "arbitrary")]
fn nul_free<'a>(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<&'a [u8]> {
    let bytes = <&[u8]>::arbitrary(u)?;
    Ok(bytes.split(|&b| b == 0).next().unwrap_or_default())
}

#[cfg(feature = "arbitrary")]
use arbitrary::Arbitrary;

#[cfg(feature = "arbitrary")]
impl<'a> Arbitrary<'a> for Socks4Request<'a> {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let ip = Ipv4Addr::from(u32::arbitrary(u)?);
        Ok(Socks4Request {
            command: Command::arbitrary(u)?,
            port: u16::arbitrary(u)?,
            ip,
            userid: nul_free(u)?,
            hostname: if is_socks4a_marker(ip) {
                Some(nul_free(u)?)
            } else {
                None
            },
        })
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> Arbitrary<'a> for Socks4Reply {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(Socks4Reply {
            version: if bool::arbitrary(u)? {
                SOCKS4_VERSION
            } else {
                0
            },
            status: Socks4Status::arbitrary(u)?,
            port: u16::arbitrary(u)?,
            ip: Ipv4Addr::from(u32::arbitrary(u)?),
        })
    }
}
