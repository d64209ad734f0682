//! Tor's prop351 extended SOCKS authentication: usernames starting with `<torS0X>`.

use crate::handshake::SocksAuth;

/// The prefix that marks an extended-auth username.
pub const EXTENDED_AUTH_PREFIX: &[u8] = b"<torS0X>";

/// A parsed `<torS0X>` username and its password.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExtendedAuth<'a> {
    /// Format `0`: the username is exactly `<torS0X>0`; the password is the isolation string.
    Isolation {
        /// The isolation string.
        isolation: &'a [u8],
    },
    /// Format `1`: the rest of the username is an Arti RPC object id; the password is the
    /// isolation string.
    RpcObject {
        /// The object id (UTF-8, not empty).
        object: &'a str,
        /// The isolation string.
        isolation: &'a [u8],
    },
}

/// Why a `<torS0X>` username is rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum ExtendedAuthError {
    /// No format code follows the prefix.
    #[error("no format code after <torS0X>")]
    MissingFormat,
    /// A format code other than `0` or `1`.
    #[error("unknown format code {0:#04x}")]
    UnknownFormat(u8),
    /// Format `0` with bytes after the code.
    #[error("format 0 username has trailing bytes")]
    TrailingBytes,
    /// Format `1` with an empty or non-UTF-8 object id.
    #[error("format 1 needs a non-empty UTF-8 object id")]
    BadObjectId,
}

/// Interprets a username/password under prop351: `None` when the username does not start
/// with `<torS0X>` (legacy isolation by username and password).
#[must_use]
pub fn parse_extended_auth<'a>(
    username: &'a [u8],
    password: &'a [u8],
) -> Option<Result<ExtendedAuth<'a>, ExtendedAuthError>> {
    let rest = username.strip_prefix(EXTENDED_AUTH_PREFIX)?;
    Some(match rest.split_first() {
        None => Err(ExtendedAuthError::MissingFormat),
        Some((b'0', [])) => Ok(ExtendedAuth::Isolation {
            isolation: password,
        }),
        Some((b'0', _)) => Err(ExtendedAuthError::TrailingBytes),
        Some((b'1', object)) => match core::str::from_utf8(object) {
            Ok(object) if !object.is_empty() => Ok(ExtendedAuth::RpcObject {
                object,
                isolation: password,
            }),
            _ => Err(ExtendedAuthError::BadObjectId),
        },
        Some((&code, _)) => Err(ExtendedAuthError::UnknownFormat(code)),
    })
}

impl<'a> SocksAuth<'a> {
    /// The prop351 reading of a username/password, if the username starts with `<torS0X>`.
    #[must_use]
    pub fn extended(&self) -> Option<Result<ExtendedAuth<'a>, ExtendedAuthError>> {
        match *self {
            SocksAuth::Username(u, p) => parse_extended_auth(u, p),
            _ => None,
        }
    }
}
