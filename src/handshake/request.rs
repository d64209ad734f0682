//! What a proxy handshake yields: [`SocksRequest`] and its parts, borrowed from the buffer.

use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use arrayvec::ArrayVec;

use crate::handshake::Error;
use crate::handshake::error::{HostnameProblem, Refusal, Unrepresentable};
use crate::wire::{
    Addr, Command, Encode, Field, HostPort, MethodSet, ReplyCode, SOCKS5_REQUEST_MAX_LEN,
    Socks4Reply, Socks4Status, Socks5Reply, is_socks4a_marker,
};

/// tor-socksproto's name for a command code.
pub type SocksCmd = Command;
/// tor-socksproto's name for a SOCKS5 reply code (also used, mapped, for SOCKS4).
pub type SocksStatus = ReplyCode;

/// A SOCKS protocol version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SocksVersion {
    /// SOCKS4 or SOCKS4a.
    V4,
    /// SOCKS5.
    V5,
}

impl TryFrom<u8> for SocksVersion {
    type Error = Error;
    fn try_from(v: u8) -> Result<Self, Error> {
        match v {
            4 => Ok(SocksVersion::V4),
            5 => Ok(SocksVersion::V5),
            v => Err(Error::BadProtocol(v)),
        }
    }
}

impl fmt::Display for SocksVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SocksVersion::V4 => "socks4",
            SocksVersion::V5 => "socks5",
        })
    }
}

/// A hostname as Tor accepts it: UTF-8, at most 255 bytes, no NUL. Empty is allowed.
///
/// It keeps the checked bytes: [`SocksHostname::as_bytes`] is free, and
/// [`SocksHostname::as_str`] builds the `&str` when asked (one UTF-8 pass over the name, the
/// price of building it without `unsafe`). So a handshake checks a name once and builds its
/// `&str` only for a caller that wants one; a caller that forwards or compares the name as
/// bytes never pays for it. Equality, order and hashing are those of the `&str`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SocksHostname<'a>(&'a [u8]);

impl<'a> SocksHostname<'a> {
    /// The empty hostname.
    pub const EMPTY: SocksHostname<'static> = SocksHostname(b"");

    /// The name. Each call checks the bytes as UTF-8 again (they always are); keep the
    /// `&str` rather than asking twice, or use [`SocksHostname::as_bytes`].
    ///
    /// ```
    /// use sockswire::SocksHostname;
    ///
    /// let name = SocksHostname::try_from("bücher.de").unwrap();
    /// assert_eq!(name.as_str(), "bücher.de");
    /// assert_eq!(name.as_bytes(), "bücher.de".as_bytes());
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &'a str {
        core::str::from_utf8(self.0).unwrap_or_default()
    }

    /// The name's bytes (UTF-8), without building a `&str`.
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.0
    }

    /// The name's length in bytes.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the name is empty (SOCKS allows it; Tor refuses it later).
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Bytes already checked by [`SocksHostname::check`]: nothing is redone.
    pub(crate) const fn from_checked(bytes: &'a [u8]) -> Self {
        SocksHostname(bytes)
    }

    /// Checks raw bytes as [`SocksHostname::from_bytes`] does (UTF-8, no NUL, at most 255
    /// bytes), without building the name: one pass for the usual ASCII name, the full UTF-8
    /// check only for others. For deciding on a name the caller keeps as bytes.
    ///
    /// ```
    /// use sockswire::{HostnameProblem, SocksHostname};
    ///
    /// assert_eq!(SocksHostname::check(b"example.com"), Ok(()));
    /// assert_eq!(SocksHostname::check("bücher.de".as_bytes()), Ok(()));
    /// assert_eq!(SocksHostname::check(b"a\0b"), Err(HostnameProblem::ContainsNul));
    /// assert_eq!(SocksHostname::check(b"\xff"), Err(HostnameProblem::NotUtf8));
    /// ```
    #[inline]
    pub fn check(bytes: &[u8]) -> Result<(), HostnameProblem> {
        if is_plain_ascii(bytes) {
            return Ok(());
        }
        SocksHostname::from_bytes(bytes).map(|_| ())
    }

    /// Checks raw bytes.
    pub fn from_bytes(bytes: &'a [u8]) -> Result<Self, HostnameProblem> {
        if is_plain_ascii(bytes) {
            return Ok(SocksHostname(bytes));
        }
        let s = core::str::from_utf8(bytes).map_err(|_| HostnameProblem::NotUtf8)?;
        SocksHostname::try_from(s)
    }
}

/// At most 255 bytes, each 0x01-0x7F: ASCII without NUL, so a valid name as it is. Checked
/// eight bytes at a time.
#[inline]
fn is_plain_ascii(bytes: &[u8]) -> bool {
    bytes.len() <= 255 && crate::wire::scan::all_ascii_non_nul(bytes)
}

impl<'a> TryFrom<&'a str> for SocksHostname<'a> {
    type Error = HostnameProblem;
    fn try_from(s: &'a str) -> Result<Self, HostnameProblem> {
        if s.len() > 255 {
            Err(HostnameProblem::TooLong)
        } else if s.as_bytes().contains(&0) {
            Err(HostnameProblem::ContainsNul)
        } else {
            Ok(SocksHostname(s.as_bytes()))
        }
    }
}

impl AsRef<str> for SocksHostname<'_> {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for SocksHostname<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for SocksHostname<'_> {
    /// `SocksHostname("example.com")`, as when it held a `&str`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SocksHostname")
            .field(&self.as_str())
            .finish()
    }
}

/// A target address: a hostname or an IP address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SocksAddr<'a> {
    /// A hostname, to be resolved by the proxy.
    Hostname(SocksHostname<'a>),
    /// An IP address.
    Ip(IpAddr),
}

impl<'a> SocksAddr<'a> {
    /// The address as the wire layer writes it.
    #[must_use]
    pub fn to_wire(&self) -> Addr<'a> {
        match *self {
            SocksAddr::Hostname(h) => Addr::Domain(h.as_bytes()),
            SocksAddr::Ip(ip) => Addr::from(ip),
        }
    }
}

impl fmt::Display for SocksAddr<'_> {
    /// The hostname, or the IP address (IPv6 without brackets, as tor-socksproto prints it;
    /// use [`SocksRequest::target`] for `host:port`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SocksAddr::Hostname(h) => h.fmt(f),
            SocksAddr::Ip(ip) => ip.fmt(f),
        }
    }
}

/// The authentication a client provided: Tor uses it for stream isolation.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SocksAuth<'a> {
    /// None (SOCKS4 with an empty user-id, or SOCKS5 "no authentication").
    NoAuth,
    /// A SOCKS4 user-id (never empty, no NUL).
    Socks4(&'a [u8]),
    /// An RFC 1929 username and password (each at most 255 bytes, either may be empty).
    Username(&'a [u8], &'a [u8]),
}

impl fmt::Debug for SocksAuth<'_> {
    /// The password is redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SocksAuth::NoAuth => f.write_str("NoAuth"),
            SocksAuth::Socks4(id) => f.debug_tuple("Socks4").field(id).finish(),
            SocksAuth::Username(u, p) => f
                .debug_tuple("Username")
                .field(u)
                .field(&format_args!("<{} bytes>", p.len()))
                .finish(),
        }
    }
}

impl SocksAuth<'_> {
    /// tor-socksproto's check that the auth fits the version.
    fn validate(&self, version: SocksVersion) -> Result<(), Unrepresentable> {
        match (self, version) {
            (SocksAuth::NoAuth, _) => Ok(()),
            (SocksAuth::Socks4(id), SocksVersion::V4) => match id.iter().position(|&b| b == 0) {
                Some(at) => Err(Unrepresentable::NulInUserid { at }),
                None => Ok(()),
            },
            (SocksAuth::Username(u, p), SocksVersion::V5) => {
                for (field, part) in [(Field::Username, u), (Field::Password, p)] {
                    if part.len() > 255 {
                        return Err(Unrepresentable::CredentialTooLong {
                            field,
                            len: part.len(),
                        });
                    }
                }
                Ok(())
            }
            (SocksAuth::Username(..), SocksVersion::V4) => Err(Unrepresentable::UsernameOverSocks4),
            (SocksAuth::Socks4(_), SocksVersion::V5) => Err(Unrepresentable::UseridOverSocks5),
        }
    }
}

/// The bytes of a reply to a [`SocksRequest`]: at most 262.
pub type ReplyBytes = ArrayVec<u8, SOCKS5_REQUEST_MAX_LEN>;

/// A finished client request, as a proxy handshake yields it. Everything borrowed is borrowed
/// from the handshake's buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SocksRequest<'a> {
    pub(crate) version: SocksVersion,
    pub(crate) cmd: SocksCmd,
    pub(crate) addr: SocksAddr<'a>,
    pub(crate) port: u16,
    pub(crate) auth: SocksAuth<'a>,
    pub(crate) methods: MethodSet,
    pub(crate) reserved: u8,
    pub(crate) socks4a: bool,
    pub(crate) extended_errors: bool,
}

impl<'a> SocksRequest<'a> {
    /// Builds a request with tor-socksproto's checks: the command is CONNECT, RESOLVE or
    /// RESOLVE_PTR ([`Error::CommandNotSupported`]); CONNECT has a non-zero port
    /// ([`Error::NotAllowed`]`(`[`Refusal::PortZero`]`)`); the auth fits the version; and one
    /// more than tor-socksproto: the address fits the version (SOCKS4 carries neither IPv6
    /// nor `0.0.0.x`), so every request built here can be sent by
    /// [`crate::SocksClientHandshake`]. The last two give [`Error::Unrepresentable`].
    ///
    /// ```
    /// use sockswire::{Error, SocksAddr, SocksAuth, SocksCmd, SocksRequest, SocksVersion, Unrepresentable};
    ///
    /// let v6 = SocksAddr::Ip("2001:db8::1".parse().unwrap());
    /// assert_eq!(
    ///     SocksRequest::new(SocksVersion::V4, SocksCmd::CONNECT, v6, 80, SocksAuth::NoAuth),
    ///     Err(Error::Unrepresentable(Unrepresentable::Ipv6OverSocks4("2001:db8::1".parse().unwrap())))
    /// );
    /// assert!(SocksRequest::new(SocksVersion::V5, SocksCmd::CONNECT, v6, 80, SocksAuth::NoAuth).is_ok());
    /// ```
    pub fn new(
        version: SocksVersion,
        cmd: SocksCmd,
        addr: SocksAddr<'a>,
        port: u16,
        auth: SocksAuth<'a>,
    ) -> Result<Self, Error> {
        if !matches!(
            cmd,
            Command::CONNECT | Command::RESOLVE | Command::RESOLVE_PTR
        ) {
            return Err(Error::CommandNotSupported(cmd));
        }
        if port == 0 && cmd == Command::CONNECT {
            return Err(Error::NotAllowed(Refusal::PortZero));
        }
        Self::new_unchecked_command(version, cmd, addr, port, auth)
    }

    /// Builds a request with any command and port (BIND, UDP ASSOCIATE, port 0 ...); the
    /// auth and the address must still fit the version ([`Error::Unrepresentable`]).
    pub fn new_unchecked_command(
        version: SocksVersion,
        cmd: SocksCmd,
        addr: SocksAddr<'a>,
        port: u16,
        auth: SocksAuth<'a>,
    ) -> Result<Self, Error> {
        auth.validate(version)?;
        if version == SocksVersion::V4 {
            match addr {
                SocksAddr::Ip(IpAddr::V6(ip)) => {
                    return Err(Unrepresentable::Ipv6OverSocks4(ip).into());
                }
                SocksAddr::Ip(IpAddr::V4(ip)) if is_socks4a_marker(ip) => {
                    return Err(Unrepresentable::Socks4aMarker(ip).into());
                }
                _ => {}
            }
        }
        let socks4a = version == SocksVersion::V4 && matches!(addr, SocksAddr::Hostname(_));
        Ok(SocksRequest {
            version,
            cmd,
            addr,
            port,
            auth,
            methods: MethodSet::empty(),
            reserved: 0,
            socks4a,
            extended_errors: true,
        })
    }

    /// The SOCKS version.
    #[must_use]
    pub const fn version(&self) -> SocksVersion {
        self.version
    }

    /// The command.
    #[must_use]
    pub const fn command(&self) -> SocksCmd {
        self.cmd
    }

    /// The target address.
    #[must_use]
    pub const fn addr(&self) -> &SocksAddr<'a> {
        &self.addr
    }

    /// The target port.
    #[must_use]
    pub const fn port(&self) -> u16 {
        self.port
    }

    /// The authentication, for stream isolation.
    #[must_use]
    pub const fn auth(&self) -> &SocksAuth<'a> {
        &self.auth
    }

    /// The target as `host:port`.
    #[must_use]
    pub fn target(&self) -> HostPort<'a> {
        HostPort {
            addr: self.addr.to_wire(),
            port: self.port,
        }
    }

    /// SOCKS5: the methods the client offered (empty for SOCKS4).
    #[must_use]
    pub const fn methods_offered(&self) -> MethodSet {
        self.methods
    }

    /// SOCKS5: the `RSV` byte as sent.
    #[must_use]
    pub const fn reserved(&self) -> u8 {
        self.reserved
    }

    /// Whether this came as SOCKS4a (a SOCKS4 request carrying a hostname).
    #[must_use]
    pub const fn is_socks4a(&self) -> bool {
        self.socks4a
    }

    /// Whether the client sent a raw IP address rather than a name: Tor's DNS-leak hint.
    #[must_use]
    pub const fn is_raw_ip(&self) -> bool {
        matches!(self.addr, SocksAddr::Ip(_))
    }

    /// The reply to this request, as tor-socksproto encodes it: for SOCKS4, `00 5A` on
    /// success and `00 5B` otherwise, then the request's port and the IPv4 address given (or
    /// zeros); for SOCKS5, the status byte as is, then the address given and the request's
    /// port, or with no address the zero address of the request's family and port 0.
    ///
    /// Tor's onion-service codes 0xF0-0xF7 become GENERAL_FAILURE when the proxy policy turns
    /// extended errors off (C Tor's default without `ExtendedErrors`).
    #[inline]
    pub fn reply(
        &self,
        status: SocksStatus,
        addr: Option<&SocksAddr<'_>>,
    ) -> Result<ReplyBytes, Error> {
        let port = match (self.version, addr) {
            (SocksVersion::V4, Some(SocksAddr::Ip(IpAddr::V4(_))))
            | (SocksVersion::V5, Some(_)) => self.port,
            _ => 0,
        };
        self.reply_with_port(status, addr, port)
    }

    /// Like [`SocksRequest::reply`] with an explicit `BND.PORT` (for BIND and UDP ASSOCIATE,
    /// or C Tor's RESOLVE replies, which carry port 0).
    #[inline]
    pub fn reply_with_port(
        &self,
        status: SocksStatus,
        addr: Option<&SocksAddr<'_>>,
        port: u16,
    ) -> Result<ReplyBytes, Error> {
        let status = if !self.extended_errors && status.0 >= 0xF0 {
            ReplyCode::GENERAL_FAILURE
        } else {
            status
        };
        let mut out = ReplyBytes::new();
        match self.version {
            SocksVersion::V4 => {
                let code = if status == ReplyCode::SUCCEEDED {
                    Socks4Status::GRANTED
                } else {
                    Socks4Status::REJECTED
                };
                let reply = match addr {
                    Some(SocksAddr::Ip(IpAddr::V4(ip))) => Socks4Reply::new(code, port, *ip),
                    _ => Socks4Reply::new(code, 0, Ipv4Addr::UNSPECIFIED),
                };
                out.extend(reply.to_bytes());
            }
            SocksVersion::V5 => {
                let bound = match addr {
                    Some(a) => a.to_wire(),
                    None if matches!(self.addr, SocksAddr::Ip(IpAddr::V6(_))) => {
                        Addr::Ipv6(Ipv6Addr::UNSPECIFIED)
                    }
                    None => Addr::Ipv4(Ipv4Addr::UNSPECIFIED),
                };
                let reply = Socks5Reply::new(status, bound, port);
                reply
                    .encode_append(&mut out)
                    .map_err(|e| Error::Unrepresentable(Unrepresentable::Encode(e)))?;
            }
        }
        Ok(out)
    }
}
