//! Configurable limits on the fields the protocol leaves unbounded.

/// Limits on unbounded fields. A field over its limit is an error, not a request for more
/// bytes, so a stream reader stops buffering.
///
/// SOCKS5 fields carry one-byte lengths and need no limit; SOCKS4 user-ids and hostnames are
/// NUL-terminated and GSS-API tokens carry a two-byte length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Limits {
    /// Longest SOCKS4 `USERID`, without its NUL.
    pub socks4_userid: usize,
    /// Longest SOCKS4a hostname, without its NUL.
    pub socks4_hostname: usize,
    /// Longest whole SOCKS4 request, NULs included.
    pub socks4_message: usize,
    /// Longest GSS-API token.
    pub gssapi_token: usize,
}

impl Limits {
    /// The defaults, equal to tor-socksproto's effective ones: a SOCKS4 request of up to 1024
    /// bytes (its buffer), a hostname of up to 255 bytes, any GSS-API token.
    pub const DEFAULT: Limits = Limits {
        socks4_userid: 1024,
        socks4_hostname: 255,
        socks4_message: 1024,
        gssapi_token: u16::MAX as usize,
    };

    /// C Tor's: every SOCKS message must fit in 512 bytes (`MAX_SOCKS_MESSAGE_LEN`), hostnames
    /// in 255.
    pub const CTOR: Limits = Limits {
        socks4_userid: 512,
        socks4_hostname: 255,
        socks4_message: 512,
        gssapi_token: u16::MAX as usize,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}
