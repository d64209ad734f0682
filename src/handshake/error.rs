//! The handshake layer's error.

use crate::wire::{Command, Method, WireError};

/// Why a handshake failed.
///
/// After an error the handshake is poisoned: further steps give [`Error::AlreadyFailed`]. On
/// the proxy side, [`crate::SocksProxyHandshake::failure_reply`] gives the bytes to send before
/// closing, where the protocol has any.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The first byte of the connection is not a SOCKS version (4 or 5).
    #[error("not a SOCKS handshake: first byte {0:#04x}")]
    BadProtocol(u8),
    /// A message could not be parsed.
    #[error("malformed message: {0}")]
    Decode(WireError),
    /// A message of the wrong kind for this point of the handshake, or a field with a value the
    /// protocol forbids here.
    #[error("protocol violation: {0}")]
    Syntax(&'static str),
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
    /// Client side: the proxy chose a method we did not offer or cannot do.
    #[error("the proxy chose authentication method {0}")]
    UnsupportedMethod(Method),
    /// Client side: the request cannot be expressed in its SOCKS version.
    #[error("request not representable: {0}")]
    Unrepresentable(&'static str),
    /// A message does not fit in the buffer.
    #[error("message longer than the {limit}-byte buffer")]
    MessageTooLong {
        /// The buffer's capacity.
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
    /// The API was used in a way it does not allow.
    #[error("API misuse: {0}")]
    Bug(&'static str),
}

impl From<WireError> for Error {
    fn from(e: WireError) -> Self {
        Error::Decode(e)
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
    /// CONNECT to port 0.
    #[error("port 0")]
    PortZero,
    /// RESOLVE_PTR of a hostname.
    #[error("RESOLVE_PTR of a hostname")]
    ResolvePtrHostname,
    /// A `<torS0X>` username that Tor's extended-auth rules reject.
    #[error("invalid extended SOCKS authentication")]
    ExtendedAuth,
}
