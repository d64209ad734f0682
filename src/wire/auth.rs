//! RFC 1929 username/password authentication: the request (`01 ULEN UNAME PLEN PASSWD`) and
//! the status reply (`01 STATUS`).

use arrayvec::ArrayVec;
use nom::{IResult, Parser};

use crate::wire::cursor::{Cursor, Fail, Sink, WireParser, check_len};
use crate::wire::encode::{Body, encode_from_body, to_array};
use crate::wire::{AuthStatus, Encode, EncodeError, Field, FromWireError, WireError};

/// The RFC 1929 sub-negotiation version byte.
pub const USERPASS_VERSION: u8 = 1;
/// The longest request: version, two 255-byte fields and their lengths.
pub const USERPASS_REQUEST_MAX_LEN: usize = 3 + 255 + 255;

/// A client's username/password request. Both fields are raw bytes and may be empty (C Tor and
/// tor-socksproto accept empty ones: they are isolation tokens, not secrets).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct UserPassRequest<'a> {
    /// `UNAME`, at most 255 bytes.
    pub username: &'a [u8],
    /// `PASSWD`, at most 255 bytes.
    pub password: &'a [u8],
}

impl core::fmt::Debug for UserPassRequest<'_> {
    /// The password is redacted; read the field to see it.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("UserPassRequest")
            .field("username", &self.username)
            .field("password", &format_args!("<{} bytes>", self.password.len()))
            .finish()
    }
}

impl UserPassRequest<'_> {
    /// The encoding, in a fixed-capacity buffer.
    pub fn to_bytes(&self) -> Result<ArrayVec<u8, USERPASS_REQUEST_MAX_LEN>, EncodeError> {
        to_array(self)
    }
}

#[inline]
fn read_request<'a>(c: &mut Cursor<'a>) -> Result<UserPassRequest<'a>, Fail> {
    c.expect_version(USERPASS_VERSION)?;
    let [_, ulen] = c.array::<2>(Field::Header)?;
    let (username, plen) = match c.take(usize::from(ulen) + 1, Field::Username)?.split_last() {
        Some((&plen, username)) => (username, plen),
        None => (&[][..], 0),
    };
    let password = c.take(usize::from(plen), Field::Password)?;
    Ok(UserPassRequest { username, password })
}

/// Builds a parser for a [`UserPassRequest`].
pub fn userpass_request<'a, E: FromWireError<'a>>()
-> impl Parser<&'a [u8], Output = UserPassRequest<'a>, Error = E> {
    WireParser::new(read_request)
}

/// Parses a [`UserPassRequest`] in streaming mode.
///
/// ```
/// use sockswire::parse_userpass_request;
/// use nom::Needed;
///
/// let bytes = [1, 2, b'm', b'e', 3, b'p', b'w', b'd'];
/// let (_, req) = parse_userpass_request(&bytes).unwrap();
/// assert_eq!((req.username, req.password), (&b"me"[..], &b"pwd"[..]));
/// assert_eq!(parse_userpass_request(&bytes[..3]), Err(nom::Err::Incomplete(Needed::new(2))));
/// ```
pub fn parse_userpass_request(input: &[u8]) -> IResult<&[u8], UserPassRequest<'_>, WireError> {
    userpass_request().parse(input)
}

impl Encode for UserPassRequest<'_> {
    fn encoded_len(&self) -> usize {
        3 + self.username.len() + self.password.len()
    }

    encode_from_body!();
}

impl Body for UserPassRequest<'_> {
    fn check(&self) -> Result<(), EncodeError> {
        check_len(Field::Username, self.username.len(), 255)?;
        check_len(Field::Password, self.password.len(), 255)
    }

    #[inline]
    fn body<S: Sink>(&self, w: &mut S) {
        w.u8(USERPASS_VERSION)
            .u8(self.username.len() as u8)
            .bytes(self.username)
            .u8(self.password.len() as u8)
            .bytes(self.password);
    }
}

/// A server's username/password status: `01 STATUS`; 0 is success.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct UserPassReply {
    /// `STATUS`.
    pub status: AuthStatus,
}

impl UserPassReply {
    /// The encoding.
    #[must_use]
    pub const fn to_bytes(&self) -> [u8; 2] {
        [USERPASS_VERSION, self.status.0]
    }
}

#[inline]
fn read_reply(c: &mut Cursor<'_>) -> Result<UserPassReply, Fail> {
    c.expect_version(USERPASS_VERSION)?;
    let [_, status] = c.array::<2>(Field::Header)?;
    Ok(UserPassReply {
        status: AuthStatus(status),
    })
}

/// Builds a parser for a [`UserPassReply`].
pub fn userpass_reply<'a, E: FromWireError<'a>>()
-> impl Parser<&'a [u8], Output = UserPassReply, Error = E> {
    WireParser::new(read_reply)
}

/// Parses a [`UserPassReply`] in streaming mode.
///
/// ```
/// use sockswire::parse_userpass_reply;
/// use nom::Needed;
///
/// let (_, reply) = parse_userpass_reply(&[1, 0]).unwrap();
/// assert!(reply.status.is_success());
/// assert_eq!(parse_userpass_reply(&[1]), Err(nom::Err::Incomplete(Needed::new(1))));
/// ```
pub fn parse_userpass_reply(input: &[u8]) -> IResult<&[u8], UserPassReply, WireError> {
    userpass_reply().parse(input)
}

impl Encode for UserPassReply {
    fn encoded_len(&self) -> usize {
        2
    }

    encode_from_body!();
}

impl Body for UserPassReply {
    #[inline]
    fn body<S: Sink>(&self, w: &mut S) {
        w.bytes(&self.to_bytes());
    }
}
