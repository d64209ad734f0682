//! SOCKS5 (RFC 1928): the method-selection greeting, the method choice, the request and the
//! reply, with Tor's RESOLVE/RESOLVE_PTR commands, extended reply codes and `ATYP` 0 reply.

use arrayvec::ArrayVec;
use nom::{IResult, Parser};

use crate::wire::addr::{read_addr_port, write_host_port};
use crate::wire::cursor::{Cursor, Fail, Sink, WireParser, check_len};
use crate::wire::encode::{Body, encode_from_body, to_array};
use crate::wire::{
    Addr, Command, Encode, EncodeError, Field, FromWireError, HostPort, Method, MethodSet,
    ReplyCode, WireError,
};

/// The SOCKS5 version byte.
pub const SOCKS5_VERSION: u8 = 5;
/// The longest greeting: `VER NMETHODS` and 255 methods.
pub const SOCKS5_GREETING_MAX_LEN: usize = 2 + 255;
/// The longest request or reply: header, a 255-byte domain with its length, the port.
pub const SOCKS5_REQUEST_MAX_LEN: usize = 4 + 1 + 255 + 2;

// ---------------------------------------------------------------------------------------------
// Greeting: VER NMETHODS METHODS

/// A client's method-selection message: `05 NMETHODS METHODS...`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Socks5Greeting<'a> {
    /// The offered methods, raw and in order (duplicates kept). At most 255 on the wire.
    pub methods: &'a [u8],
}

impl<'a> Socks5Greeting<'a> {
    /// The offered methods in order.
    pub fn methods(&self) -> impl Iterator<Item = Method> + 'a {
        self.methods.iter().map(|&m| Method(m))
    }

    /// Whether `method` is offered.
    #[must_use]
    pub fn offers(&self, method: Method) -> bool {
        self.methods.contains(&method.0)
    }

    /// The offered methods folded into flags.
    #[must_use]
    pub fn method_set(&self) -> MethodSet {
        self.methods()
            .fold(MethodSet::empty(), |set, m| set | MethodSet::of(m))
    }

    /// The encoding, in a fixed-capacity buffer.
    pub fn to_bytes(&self) -> Result<ArrayVec<u8, SOCKS5_GREETING_MAX_LEN>, EncodeError> {
        to_array(self)
    }
}

#[inline]
fn read_greeting<'a>(c: &mut Cursor<'a>) -> Result<Socks5Greeting<'a>, Fail> {
    c.expect_version(SOCKS5_VERSION)?;
    let [_, n] = c.array::<2>(Field::Header)?;
    let methods = c.take(usize::from(n), Field::Methods)?;
    Ok(Socks5Greeting { methods })
}

/// Builds a parser for a [`Socks5Greeting`].
pub fn socks5_greeting<'a, E: FromWireError<'a>>()
-> impl Parser<&'a [u8], Output = Socks5Greeting<'a>, Error = E> {
    WireParser::new(read_greeting)
}

/// Parses a [`Socks5Greeting`] in streaming mode.
///
/// ```
/// use sockswire::{Method, parse_socks5_greeting};
/// use nom::Needed;
///
/// let (rest, greeting) = parse_socks5_greeting(&[5, 2, 0, 2]).unwrap();
/// assert!(rest.is_empty() && greeting.offers(Method::USERNAME_PASSWORD));
/// assert_eq!(parse_socks5_greeting(&[5, 2, 0]), Err(nom::Err::Incomplete(Needed::new(1))));
/// ```
pub fn parse_socks5_greeting(input: &[u8]) -> IResult<&[u8], Socks5Greeting<'_>, WireError> {
    socks5_greeting().parse(input)
}

impl Encode for Socks5Greeting<'_> {
    fn encoded_len(&self) -> usize {
        2 + self.methods.len()
    }

    encode_from_body!();
}

impl Body for Socks5Greeting<'_> {
    fn check(&self) -> Result<(), EncodeError> {
        check_len(Field::Methods, self.methods.len(), 255)
    }

    #[inline]
    fn body<S: Sink>(&self, w: &mut S) {
        w.u8(SOCKS5_VERSION)
            .u8(self.methods.len() as u8)
            .bytes(self.methods);
    }
}

// ---------------------------------------------------------------------------------------------
// Method choice: VER METHOD

/// A server's method choice: `05 METHOD`; `05 FF` refuses every offered method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Socks5MethodChoice {
    /// The chosen method.
    pub method: Method,
}

impl Socks5MethodChoice {
    /// The encoding.
    #[must_use]
    pub const fn to_bytes(&self) -> [u8; 2] {
        [SOCKS5_VERSION, self.method.0]
    }
}

#[inline]
fn read_method_choice(c: &mut Cursor<'_>) -> Result<Socks5MethodChoice, Fail> {
    c.expect_version(SOCKS5_VERSION)?;
    let [_, method] = c.array::<2>(Field::Header)?;
    Ok(Socks5MethodChoice {
        method: Method(method),
    })
}

/// Builds a parser for a [`Socks5MethodChoice`].
pub fn socks5_method_choice<'a, E: FromWireError<'a>>()
-> impl Parser<&'a [u8], Output = Socks5MethodChoice, Error = E> {
    WireParser::new(read_method_choice)
}

/// Parses a [`Socks5MethodChoice`] in streaming mode.
///
/// ```
/// use sockswire::{Method, parse_socks5_method_choice};
/// use nom::Needed;
///
/// let (_, choice) = parse_socks5_method_choice(&[5, 0xFF]).unwrap();
/// assert_eq!(choice.method, Method::NO_ACCEPTABLE);
/// assert_eq!(parse_socks5_method_choice(&[5]), Err(nom::Err::Incomplete(Needed::new(1))));
/// ```
pub fn parse_socks5_method_choice(input: &[u8]) -> IResult<&[u8], Socks5MethodChoice, WireError> {
    socks5_method_choice().parse(input)
}

impl Encode for Socks5MethodChoice {
    fn encoded_len(&self) -> usize {
        2
    }

    encode_from_body!();
}

impl Body for Socks5MethodChoice {
    #[inline]
    fn body<S: Sink>(&self, w: &mut S) {
        w.bytes(&self.to_bytes());
    }
}

// ---------------------------------------------------------------------------------------------
// Request and reply share a layout: VER CODE RSV ATYP ADDR PORT

/// Reads `05 CODE RSV ATYP ADDR PORT`.
#[inline]
fn read_frame<'a>(
    c: &mut Cursor<'a>,
    allow_unspecified: bool,
) -> Result<(u8, u8, HostPort<'a>), Fail> {
    c.expect_version(SOCKS5_VERSION)?;
    let [_, code, rsv, atyp] = c.array::<4>(Field::Header)?;
    Ok((code, rsv, read_addr_port(c, atyp, allow_unspecified)?))
}

fn frame_len(addr: &Addr<'_>) -> usize {
    3 + addr.encoded_len() + 2
}

#[inline]
fn write_frame<S: Sink>(w: &mut S, code: u8, rsv: u8, target: &HostPort<'_>) {
    w.bytes(&[SOCKS5_VERSION, code, rsv]);
    write_host_port(w, target);
}

/// A client's request: `05 CMD RSV ATYP DST.ADDR DST.PORT`.
///
/// Any command byte is kept (Tor's `RESOLVE` 0xF0 and `RESOLVE_PTR` 0xF1 included); deciding
/// which commands to serve is policy, not parsing. `ATYP` must be 1, 3 or 4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Socks5Request<'a> {
    /// The command.
    pub command: Command,
    /// `RSV`, which RFC 1928 says is 0; kept as sent.
    pub reserved: u8,
    /// `DST.ADDR`.
    pub addr: Addr<'a>,
    /// `DST.PORT`.
    pub port: u16,
}

impl<'a> Socks5Request<'a> {
    /// The target as address and port.
    #[must_use]
    pub const fn target(&self) -> HostPort<'a> {
        HostPort {
            addr: self.addr,
            port: self.port,
        }
    }

    /// Strictness check: `RSV` must be 0 (C Tor and Zeek insist; tor-socksproto ignores it).
    pub fn check_reserved(&self) -> Result<(), WireError> {
        match self.reserved {
            0 => Ok(()),
            got => Err(WireError::BadReserved {
                got: u16::from(got),
            }),
        }
    }

    /// The encoding, in a fixed-capacity buffer.
    pub fn to_bytes(&self) -> Result<ArrayVec<u8, SOCKS5_REQUEST_MAX_LEN>, EncodeError> {
        to_array(self)
    }
}

#[inline]
fn read_request<'a>(c: &mut Cursor<'a>) -> Result<Socks5Request<'a>, Fail> {
    let (command, reserved, target) = read_frame(c, false)?;
    Ok(Socks5Request {
        command: Command(command),
        reserved,
        addr: target.addr,
        port: target.port,
    })
}

/// Builds a parser for a [`Socks5Request`].
pub fn socks5_request<'a, E: FromWireError<'a>>()
-> impl Parser<&'a [u8], Output = Socks5Request<'a>, Error = E> {
    WireParser::new(read_request)
}

/// Parses a [`Socks5Request`] in streaming mode.
///
/// ```
/// use sockswire::{Addr, Command, parse_socks5_request};
/// use nom::Needed;
///
/// let bytes = [5, 1, 0, 3, 2, b'h', b'i', 0, 80];
/// let (_, req) = parse_socks5_request(&bytes).unwrap();
/// assert_eq!((req.command, req.addr, req.port), (Command::CONNECT, Addr::Domain(b"hi"), 80));
/// assert_eq!(parse_socks5_request(&bytes[..6]), Err(nom::Err::Incomplete(Needed::new(3))));
/// ```
#[inline]
pub fn parse_socks5_request(input: &[u8]) -> IResult<&[u8], Socks5Request<'_>, WireError> {
    socks5_request().parse(input)
}

impl Encode for Socks5Request<'_> {
    fn encoded_len(&self) -> usize {
        frame_len(&self.addr)
    }

    encode_from_body!();
}

impl Body for Socks5Request<'_> {
    fn check(&self) -> Result<(), EncodeError> {
        self.addr.check()
    }

    #[inline]
    fn body<S: Sink>(&self, w: &mut S) {
        write_frame(w, self.command.0, self.reserved, &self.target());
    }
}

/// A server's reply: `05 REP RSV ATYP BND.ADDR BND.PORT`.
///
/// The same layout serves the reply to every command and BIND's second reply. Any reply code is
/// kept (Tor's 0xF0-0xF7 included). `ATYP` 0 is accepted with four address bytes, as C Tor
/// sends in its RESOLVE failure reply `05 04 00 00 00000000 0000`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Socks5Reply<'a> {
    /// `REP`.
    pub reply: ReplyCode,
    /// `RSV`, kept as sent.
    pub reserved: u8,
    /// `BND.ADDR`; for RESOLVE and RESOLVE_PTR, the answer.
    pub addr: Addr<'a>,
    /// `BND.PORT`.
    pub port: u16,
}

impl<'a> Socks5Reply<'a> {
    /// A reply with `RSV` 0.
    #[must_use]
    pub const fn new(reply: ReplyCode, addr: Addr<'a>, port: u16) -> Self {
        Socks5Reply {
            reply,
            reserved: 0,
            addr,
            port,
        }
    }

    /// The bound address and port.
    #[must_use]
    pub const fn bound(&self) -> HostPort<'a> {
        HostPort {
            addr: self.addr,
            port: self.port,
        }
    }

    /// The encoding, in a fixed-capacity buffer.
    pub fn to_bytes(&self) -> Result<ArrayVec<u8, SOCKS5_REQUEST_MAX_LEN>, EncodeError> {
        to_array(self)
    }
}

#[inline]
fn read_reply<'a>(c: &mut Cursor<'a>) -> Result<Socks5Reply<'a>, Fail> {
    let (reply, reserved, target) = read_frame(c, true)?;
    Ok(Socks5Reply {
        reply: ReplyCode(reply),
        reserved,
        addr: target.addr,
        port: target.port,
    })
}

/// Builds a parser for a [`Socks5Reply`].
pub fn socks5_reply<'a, E: FromWireError<'a>>()
-> impl Parser<&'a [u8], Output = Socks5Reply<'a>, Error = E> {
    WireParser::new(read_reply)
}

/// Parses a [`Socks5Reply`] in streaming mode.
///
/// ```
/// use sockswire::{Addr, ReplyCode, parse_socks5_reply};
/// use nom::Needed;
///
/// let bytes = [5, 0xF6, 0, 1, 0, 0, 0, 0, 0, 0];
/// let (_, reply) = parse_socks5_reply(&bytes).unwrap();
/// assert_eq!(reply.reply, ReplyCode::HS_BAD_ADDRESS);
/// assert_eq!(parse_socks5_reply(&bytes[..4]), Err(nom::Err::Incomplete(Needed::new(6))));
/// ```
pub fn parse_socks5_reply(input: &[u8]) -> IResult<&[u8], Socks5Reply<'_>, WireError> {
    socks5_reply().parse(input)
}

impl Encode for Socks5Reply<'_> {
    fn encoded_len(&self) -> usize {
        frame_len(&self.addr)
    }

    encode_from_body!();
}

impl Body for Socks5Reply<'_> {
    fn check(&self) -> Result<(), EncodeError> {
        self.addr.check()
    }

    #[inline]
    fn body<S: Sink>(&self, w: &mut S) {
        write_frame(w, self.reply.0, self.reserved, &self.bound());
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for Socks5Request<'a> {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        // Requests never carry ATYP 0.
        let addr = match Addr::arbitrary(u)? {
            Addr::Unspecified(raw) => Addr::Ipv4(raw.into()),
            addr => addr,
        };
        Ok(Socks5Request {
            command: Command::arbitrary(u)?,
            reserved: u8::arbitrary(u)?,
            addr,
            port: u16::arbitrary(u)?,
        })
    }
}
