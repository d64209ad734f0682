//! The handshake layer's error.

use core::net::{Ipv4Addr, Ipv6Addr};

use crate::wire::{Command, EncodeError, Field, Method, WireError};

/// Why a handshake failed.
///
/// Every variant carries the data that tells the cases apart (which field, which byte, which
/// message was due): match on the variants, never on the text, which is for people.
///
/// After an error the handshake is poisoned: further steps give [`Error::AlreadyFailed`]. On
/// the proxy side, [`crate::SocksProxyHandshake::failure_reply`] gives the bytes to send before
/// closing, where the protocol has any.
///
/// tor-socksproto 0.47 has coarser classes; the `handshake` module docs map each of ours to
/// its class (section "Error classes").
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The first byte of the connection is not a SOCKS version (4 or 5).
    #[error("not a SOCKS handshake: first byte {0:#04x}")]
    BadProtocol(u8),
    /// A message could not be parsed. Never [`WireError::MessageTooLong`]: a message over a
    /// limit is always [`Error::MessageTooLong`].
    #[error("malformed message: {0}")]
    Decode(WireError),
    /// A message of another kind arrived where `expected` was due; `got` is its first byte.
    #[error("expected a {expected}, got a message starting with {got:#04x}")]
    UnexpectedMessage {
        /// The message the handshake was waiting for.
        expected: MessageKind,
        /// The first byte of what arrived instead.
        got: u8,
    },
    /// A hostname is not acceptable.
    #[error("bad hostname: {0}")]
    BadHostname(HostnameProblem),
    /// The client offered no authentication method this proxy accepts.
    #[error("no acceptable authentication method offered")]
    NoAcceptableMethod,
    /// The command is not served (by the protocol version or by policy).
    #[error("command {0} not supported")]
    CommandNotSupported(Command),
    /// The request is refused by policy.
    #[error("request not allowed: {0}")]
    NotAllowed(Refusal),
    /// Proxy side: the credentials were refused.
    #[error("credentials refused")]
    BadCredentials,
    /// Client side: the proxy refused our credentials.
    #[error("the proxy rejected our credentials")]
    AuthRejected,
    /// Client side: the proxy chose an authentication method we did not offer.
    #[error("the proxy chose authentication method {0}, which we did not offer")]
    MethodNotOffered(Method),
    /// Client side: the proxy chose a method we offered but cannot carry out here (no-auth
    /// when an optimistic handshake already sent credentials).
    #[error("the proxy chose authentication method {0}")]
    UnsupportedMethod(Method),
    /// A request cannot be expressed in its SOCKS version (refused by
    /// [`crate::SocksRequest::new`], or by the client handshake for a request built otherwise).
    #[error("request not representable: {0}")]
    Unrepresentable(Unrepresentable),
    /// A message does not fit: the buffer's capacity, a configured [`crate::Limits::socks4_message`],
    /// or the client's [`crate::CLIENT_SEND_MAX`].
    #[error("message longer than the {limit}-byte limit")]
    MessageTooLong {
        /// The limit that was passed.
        limit: usize,
    },
    /// The peer closed the connection during the handshake.
    #[error("unexpected end of stream")]
    UnexpectedEof,
    /// Bytes followed the last handshake message where the caller forbade that.
    #[error("data sent before the handshake finished")]
    ForbiddenPipelining,
    /// The handshake had already finished.
    #[error("handshake already finished")]
    AlreadyFinished,
    /// The handshake had already failed.
    #[error("handshake already failed")]
    AlreadyFailed,
    /// The caller reported more received bytes than there was room for (`note_received` past
    /// the free space, or past the deficit of a [`crate::PreciseReads`] read). Nothing was
    /// recorded.
    #[error("{received} bytes reported received, but only {room} could be")]
    ReceivedPastRoom {
        /// The count the caller reported.
        received: usize,
        /// The most that could have been received.
        room: usize,
    },
}

/// A handshake message, named in [`Error::UnexpectedMessage`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MessageKind {
    /// A SOCKS5 request (`05 CMD RSV ATYP ...`).
    Socks5Request,
    /// An RFC 1929 username/password request (`01 ULEN ...`).
    UserPassRequest,
}

impl core::fmt::Display for MessageKind {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            MessageKind::Socks5Request => "SOCKS5 request",
            MessageKind::UserPassRequest => "username/password request",
        })
    }
}

/// Why a request cannot be expressed in its SOCKS version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum Unrepresentable {
    /// SOCKS4 has no IPv6 address (tor-socksproto would send it as a SOCKS4a hostname).
    #[error("SOCKS4 cannot carry the IPv6 address {0}")]
    Ipv6OverSocks4(Ipv6Addr),
    /// A SOCKS4 `DSTIP` of `0.0.0.x` (x != 0) reads as a SOCKS4a request.
    #[error("SOCKS4 address {0} reads as a SOCKS4a hostname marker")]
    Socks4aMarker(Ipv4Addr),
    /// Username/password authentication over SOCKS4.
    #[error("username/password authentication over SOCKS4")]
    UsernameOverSocks4,
    /// A SOCKS4 user-id over SOCKS5.
    #[error("a SOCKS4 user-id over SOCKS5")]
    UseridOverSocks5,
    /// A SOCKS4 user-id holds a NUL byte at this index.
    #[error("SOCKS4 user-id has a NUL byte at index {at}")]
    NulInUserid {
        /// Where the NUL is.
        at: usize,
    },
    /// An RFC 1929 username or password is longer than 255 bytes.
    #[error("{field} is {len} bytes, more than 255")]
    CredentialTooLong {
        /// [`Field::Username`] or [`Field::Password`].
        field: Field,
        /// Its length.
        len: usize,
    },
    /// An encoder refused the message.
    #[error("cannot encode: {0}")]
    Encode(EncodeError),
}

impl From<WireError> for Error {
    /// [`WireError::MessageTooLong`] becomes [`Error::MessageTooLong`], anything else
    /// [`Error::Decode`].
    fn from(e: WireError) -> Self {
        match e {
            WireError::MessageTooLong { limit } => Error::MessageTooLong { limit },
            e => Error::Decode(e),
        }
    }
}

impl From<Unrepresentable> for Error {
    fn from(e: Unrepresentable) -> Self {
        Error::Unrepresentable(e)
    }
}

/// What is wrong with a hostname.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum HostnameProblem {
    /// It is not UTF-8.
    #[error("not UTF-8")]
    NotUtf8,
    /// It contains a NUL byte.
    #[error("contains NUL")]
    ContainsNul,
    /// It is longer than 255 bytes.
    #[error("longer than 255 bytes")]
    TooLong,
    /// It fails C Tor's `string_is_valid_dest` check.
    #[error("not a valid destination")]
    Invalid,
}

/// Why policy refused a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// The client sent a raw IP address (SafeSocks: a likely DNS leak).
    #[error("raw IP address (possible DNS leak)")]
    RawIp,
    /// `RSV` is not zero.
    #[error("reserved byte is not zero")]
    Reserved,
    /// SOCKS4 `DSTIP` 0.0.0.0.
    #[error("SOCKS4 address 0.0.0.0")]
    ZeroAddress,
    /// CONNECT to port 0 (tor-socksproto's and C Tor's rule; see
    /// [`crate::ProxyPolicy::connect_port_zero`]).
    #[error("CONNECT to port 0")]
    PortZero,
    /// RESOLVE_PTR of a hostname.
    #[error("RESOLVE_PTR of a hostname")]
    ResolvePtrHostname,
    /// A `<torS0X>` username that Tor's extended-auth rules reject.
    #[error("invalid extended SOCKS authentication")]
    ExtendedAuth,
    /// The [`crate::AccessPolicy`] refused the request.
    #[error("access policy: {0}")]
    Access(crate::handshake::Denial),
}
