//! The wire layer's errors: one for parsing, one for encoding.
//!
//! "Need more bytes" is never an error: a streaming parser says `nom::Err::Incomplete` with an
//! exact count. [`WireError::Truncated`] and [`WireError::MissingNul`] appear only in complete
//! mode (`Parser::parse_complete`), where no more bytes can come.

use core::fmt;

use nom::error::{ErrorKind, FromExternalError, ParseError};

/// A field of a SOCKS message, named in errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// The version byte (`VER`, `VN`).
    Version,
    /// A fixed-size run of header bytes (version, command or code, reserved, address type).
    Header,
    /// `NMETHODS` and the method list of a SOCKS5 greeting.
    Methods,
    /// The address type byte (`ATYP`).
    AddrType,
    /// An address and port (`DST.ADDR DST.PORT`, `BND.ADDR BND.PORT`).
    Address,
    /// The length byte of a domain name.
    DomainLength,
    /// A SOCKS4 `USERID`.
    Userid,
    /// A SOCKS4a hostname.
    Hostname,
    /// An RFC 1929 username (with its length byte).
    Username,
    /// An RFC 1929 password (with its length byte).
    Password,
    /// A GSS-API token length or token.
    Token,
    /// The whole message.
    Message,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::Version => "version",
            Field::Header => "header",
            Field::Methods => "method list",
            Field::AddrType => "address type",
            Field::Address => "address",
            Field::DomainLength => "domain length",
            Field::Userid => "SOCKS4 user-id",
            Field::Hostname => "SOCKS4a hostname",
            Field::Username => "username",
            Field::Password => "password",
            Field::Token => "GSS-API token",
            Field::Message => "message",
        })
    }
}

/// Why bytes are not a valid SOCKS message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum WireError {
    /// The version byte is not the one this message has.
    #[error("bad version {got:#04x}, expected {expected:#04x}")]
    BadVersion {
        /// The byte received.
        got: u8,
        /// The byte this message must start with.
        expected: u8,
    },
    /// The address type is not one this message allows.
    #[error("unknown address type {got:#04x}")]
    UnknownAddrType {
        /// The `ATYP` byte received.
        got: u8,
    },
    /// A variable-length field is longer than the configured limit.
    #[error("{field} longer than the limit of {limit} bytes")]
    LengthOverLimit {
        /// The field.
        field: Field,
        /// The limit in force.
        limit: usize,
    },
    /// A message is longer than the configured limit.
    #[error("message longer than the limit of {limit} bytes")]
    MessageTooLong {
        /// The limit in force.
        limit: usize,
    },
    /// A reserved field is not zero (raised only by strictness checks, never by a parser).
    #[error("reserved field is {got:#x}, expected 0")]
    BadReserved {
        /// The value received.
        got: u16,
    },
    /// Complete mode: the input ends inside a NUL-terminated field.
    #[error("{field} has no terminating NUL")]
    MissingNul {
        /// The field.
        field: Field,
    },
    /// Complete mode: the input ends inside a fixed-size or length-prefixed field.
    #[error("truncated {field}: {needed} more bytes needed")]
    Truncated {
        /// The field being read.
        field: Field,
        /// How many more bytes it needs.
        needed: usize,
    },
    /// A nom combinator wrapped around one of ours failed (never raised by this crate's parsers).
    #[error("nom error {kind:?}")]
    Nom {
        /// What nom reported.
        kind: ErrorKind,
    },
}

impl<I> ParseError<I> for WireError {
    fn from_error_kind(_input: I, kind: ErrorKind) -> Self {
        WireError::Nom { kind }
    }

    fn append(_input: I, _kind: ErrorKind, other: Self) -> Self {
        other
    }
}

impl<I> FromExternalError<I, WireError> for WireError {
    fn from_external_error(_input: I, _kind: ErrorKind, e: WireError) -> Self {
        e
    }
}

/// Why a view cannot be encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The output buffer is too small; nothing was written.
    #[error("output buffer of {available} bytes is too small, {needed} needed")]
    BufferTooSmall {
        /// Bytes the encoding takes.
        needed: usize,
        /// Bytes the buffer has.
        available: usize,
    },
    /// A field is longer than its length prefix can express.
    #[error("{field} is {len} bytes, more than the {limit} the wire format allows")]
    FieldTooLong {
        /// The field.
        field: Field,
        /// Its length.
        len: usize,
        /// The most the wire allows.
        limit: usize,
    },
    /// A NUL-terminated field contains a NUL.
    #[error("{field} contains a NUL byte")]
    NulInField {
        /// The field.
        field: Field,
    },
    /// A SOCKS4 request has a hostname but its address is not `0.0.0.x` (x != 0), or the reverse.
    #[error("SOCKS4a hostname present iff DSTIP is 0.0.0.x with x != 0")]
    Socks4aMismatch,
    /// A GSS-API abort message carries a token, which the wire cannot express.
    #[error("a GSS-API abort message has no token")]
    AbortWithToken,
}
