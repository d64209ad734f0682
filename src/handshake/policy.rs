//! What a proxy accepts: named profiles and individual knobs.

use core::fmt;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::handshake::error::{HostnameProblem, Refusal};
use crate::handshake::{AccessPolicy, AccessQuery, Error, SocksHostname, SocksRequest};
use crate::wire::{Command, Limits};

/// How a proxy checks RFC 1929 credentials.
#[derive(Clone, Copy, Default)]
#[non_exhaustive]
pub enum Credentials<'p> {
    /// Accept any username and password (Tor: they are isolation tokens, not secrets).
    #[default]
    Any,
    /// Require this username and password (compared in constant time). No-auth and SOCKS4
    /// are then refused.
    Exact {
        /// The username.
        username: &'p [u8],
        /// The password.
        password: &'p [u8],
    },
    /// Ask a function. No-auth and SOCKS4 are then refused.
    Check(&'p (dyn Fn(&[u8], &[u8]) -> bool + Sync)),
}

impl Credentials<'_> {
    /// Whether credentials are required.
    #[must_use]
    pub const fn required(&self) -> bool {
        !matches!(self, Credentials::Any)
    }

    pub(crate) fn accepts(&self, username: &[u8], password: &[u8]) -> bool {
        match self {
            Credentials::Any => true,
            Credentials::Exact {
                username: u,
                password: p,
            } => ct_eq(u, username) & ct_eq(p, password),
            Credentials::Check(f) => f(username, password),
        }
    }
}

impl fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Credentials::Any => "Any",
            Credentials::Exact { .. } => "Exact { .. }",
            Credentials::Check(_) => "Check(..)",
        })
    }
}

/// Compares without an early exit on the first differing byte.
fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    let diff = a
        .iter()
        .zip(b)
        .fold(u8::from(a.len() != b.len()), |acc, (x, y)| acc | (x ^ y));
    core::hint::black_box(diff) == 0
}

/// What to do with prop351 `<torS0X>` usernames.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ExtendedAuthRules {
    /// Treat them as any other username (tor-socksproto).
    #[default]
    Ignore,
    /// Accept format codes `0` and `1` as Arti does; reject others with `01 01`.
    Arti,
    /// Accept only exactly `<torS0X>0` as C Tor 0.4.9 does; reject others with `01 01`.
    CTor,
}

/// The named behaviour profiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Profile {
    /// tor-socksproto 0.47's behaviour (the default).
    #[default]
    Arti,
    /// C Tor's (`proto_socks.c`), where it differs.
    CTor,
    /// A plain RFC 1928 server: BIND and UDP ASSOCIATE, no Tor commands, no-auth preferred.
    Rfc1928,
}

/// A proxy's policy. Build one from a [`Profile`] and change fields as needed.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct ProxyPolicy<'p> {
    /// Field and message size limits.
    pub limits: Limits,
    /// Choose no-auth when a client offers both no-auth and username/password (C Tor's
    /// `PreferSOCKSNoAuth`). Otherwise username/password wins, as in Tor.
    pub prefer_no_auth: bool,
    /// How credentials are checked.
    pub credentials: Credentials<'p>,
    /// Accept a username/password message after no-auth was chosen (C Tor's workaround for
    /// broken clients).
    pub userpass_after_no_auth: bool,
    /// Commands served. Others get `05 07` / `00 5B`.
    pub commands: &'p [Command],
    /// Serve RESOLVE_PTR over SOCKS4 too (tor-socksproto does, the spec and C Tor do not).
    pub resolve_ptr_v4: bool,
    /// Serve RESOLVE_PTR of any hostname (tor-socksproto does). Otherwise only names that
    /// are IP literals (`"1.2.3.4"`, `"[::1]"`) are served, and others get `05 08`, as in
    /// C Tor.
    pub resolve_ptr_hostname: bool,
    /// Allow CONNECT to port 0 (prop351 RPC-object targets).
    pub connect_port_zero: bool,
    /// Refuse raw IP targets for CONNECT, and plain SOCKS4 (C Tor's SafeSocks): `05 02`.
    pub reject_raw_ip: bool,
    /// Check hostnames as C Tor's `string_is_valid_dest` does.
    pub validate_hostnames: bool,
    /// Require SOCKS5 `RSV` to be zero.
    pub strict_reserved: bool,
    /// Refuse SOCKS4 `DSTIP` 0.0.0.0.
    pub reject_socks4_zero_ip: bool,
    /// prop351 `<torS0X>` usernames.
    pub extended_auth: ExtendedAuthRules,
    /// Send Tor's onion-service reply codes 0xF0-0xF7 as they are (otherwise as
    /// GENERAL_FAILURE, like C Tor without `ExtendedErrors`).
    pub extended_errors: bool,
    /// Answer an HTTP request (first byte `G`, `H`, `P` or `C`) with C Tor's
    /// "501 Tor is not an HTTP Proxy" page.
    pub http_reply: bool,
    /// Fail unknown commands with `05 07` and unknown address types with `05 08`, as RFC 1928
    /// says. C Tor answers `05 01` to anything its parser cannot read (and `05 07` only to
    /// BIND and UDP ASSOCIATE).
    pub rfc_failure_codes: bool,
    /// After the SOCKS5 greeting, accept a SOCKS4 request instead of a SOCKS5 one (C Tor
    /// dispatches every message on its first byte).
    pub version_switch: bool,
    /// Who may ask for what ([`AccessPolicy`]): the handshake refuses what the request
    /// itself shows (`05 02` / `00 5B`); the server checks resolved addresses again.
    pub access: Option<&'p AccessPolicy<'p>>,
}

/// Tor's commands: CONNECT, RESOLVE, RESOLVE_PTR.
pub const TOR_COMMANDS: &[Command] = &[Command::CONNECT, Command::RESOLVE, Command::RESOLVE_PTR];
/// RFC 1928's commands: CONNECT, BIND, UDP ASSOCIATE.
pub const RFC1928_COMMANDS: &[Command] = &[Command::CONNECT, Command::BIND, Command::UDP_ASSOCIATE];

impl ProxyPolicy<'static> {
    /// The policy of a profile.
    #[must_use]
    pub const fn profile(profile: Profile) -> Self {
        match profile {
            Profile::Arti => ProxyPolicy::ARTI,
            Profile::CTor => ProxyPolicy::CTOR,
            Profile::Rfc1928 => ProxyPolicy::RFC1928,
        }
    }

    /// tor-socksproto 0.47.
    pub const ARTI: ProxyPolicy<'static> = ProxyPolicy {
        limits: Limits::DEFAULT,
        prefer_no_auth: false,
        credentials: Credentials::Any,
        userpass_after_no_auth: false,
        commands: TOR_COMMANDS,
        resolve_ptr_v4: true,
        resolve_ptr_hostname: true,
        connect_port_zero: false,
        reject_raw_ip: false,
        validate_hostnames: false,
        strict_reserved: false,
        reject_socks4_zero_ip: false,
        extended_auth: ExtendedAuthRules::Ignore,
        extended_errors: true,
        http_reply: false,
        rfc_failure_codes: true,
        version_switch: false,
        access: None,
    };

    /// C Tor (`proto_socks.c`, 0.4.8/0.4.9): 512-byte messages, RSV must be 0, hostnames
    /// validated, SOCKS4 0.0.0.0 and RESOLVE_PTR refused, RESOLVE_PTR of a name that is not an
    /// IP literal refused, user/pass accepted after no-auth, a SOCKS4 request accepted after
    /// a SOCKS5 greeting, 0.4.9's `<torS0X>` rules, no extended errors, HTTP answered, and
    /// C's failure replies.
    pub const CTOR: ProxyPolicy<'static> = ProxyPolicy {
        limits: Limits::CTOR,
        userpass_after_no_auth: true,
        resolve_ptr_v4: false,
        resolve_ptr_hostname: false,
        validate_hostnames: true,
        strict_reserved: true,
        reject_socks4_zero_ip: true,
        extended_auth: ExtendedAuthRules::CTor,
        extended_errors: false,
        http_reply: true,
        rfc_failure_codes: false,
        version_switch: true,
        ..ProxyPolicy::ARTI
    };

    /// A plain RFC 1928 server.
    pub const RFC1928: ProxyPolicy<'static> = ProxyPolicy {
        prefer_no_auth: true,
        commands: RFC1928_COMMANDS,
        resolve_ptr_v4: false,
        resolve_ptr_hostname: false,
        extended_errors: false,
        ..ProxyPolicy::ARTI
    };
}

impl Default for ProxyPolicy<'static> {
    fn default() -> Self {
        ProxyPolicy::ARTI
    }
}

/// The checks the proxy handshake makes once a message is read: each says whether the
/// policy lets the request through, and why not. The handshake picks the failure reply.
impl ProxyPolicy<'_> {
    pub(crate) fn serves(&self, cmd: Command) -> bool {
        self.commands.contains(&cmd)
    }

    /// SOCKS4 has no UDP ASSOCIATE, and RESOLVE_PTR only with `resolve_ptr_v4`.
    pub(crate) fn serves_socks4(&self, cmd: Command) -> bool {
        self.serves(cmd)
            && cmd != Command::UDP_ASSOCIATE
            && (cmd != Command::RESOLVE_PTR || self.resolve_ptr_v4)
    }

    pub(crate) fn check_hostname(&self, host: SocksHostname<'_>) -> Result<(), Error> {
        if self.validate_hostnames && !is_valid_dest(host.as_str()) {
            return Err(Error::BadHostname(HostnameProblem::Invalid));
        }
        Ok(())
    }

    pub(crate) fn check_port(&self, cmd: Command, port: u16) -> Result<(), Error> {
        if port == 0 && cmd == Command::CONNECT && !self.connect_port_zero {
            return Err(Error::NotAllowed(Refusal::PortZero));
        }
        Ok(())
    }

    pub(crate) fn check_socks4_ip(&self, ip: Ipv4Addr) -> Result<(), Error> {
        if self.reject_socks4_zero_ip && ip.is_unspecified() {
            return Err(Error::NotAllowed(Refusal::ZeroAddress));
        }
        Ok(())
    }

    pub(crate) fn check_reserved(&self, reserved: u8) -> Result<(), Error> {
        if self.strict_reserved && reserved != 0 {
            return Err(Error::NotAllowed(Refusal::Reserved));
        }
        Ok(())
    }

    /// SafeSocks: a raw IP in a CONNECT (SOCKS5) or any plain SOCKS4 request.
    pub(crate) fn check_raw_ip(&self, raw_ip_connect: bool) -> Result<(), Error> {
        if self.reject_raw_ip && raw_ip_connect {
            return Err(Error::NotAllowed(Refusal::RawIp));
        }
        Ok(())
    }

    /// RESOLVE_PTR of a name that is not an IP literal, where the profile refuses it.
    pub(crate) fn check_resolve_ptr(&self, cmd: Command, name_not_ip: bool) -> Result<(), Error> {
        if cmd == Command::RESOLVE_PTR && name_not_ip && !self.resolve_ptr_hostname {
            return Err(Error::NotAllowed(Refusal::ResolvePtrHostname));
        }
        Ok(())
    }

    /// The access policy on what the request shows (before any resolution).
    pub(crate) fn check_access(
        &self,
        client: Option<IpAddr>,
        request: &SocksRequest<'_>,
    ) -> Result<(), Error> {
        match self.access {
            Some(access) => access
                .check(&AccessQuery::from_request(client, request))
                .map_err(|d| Error::NotAllowed(Refusal::Access(d))),
            None => Ok(()),
        }
    }
}

/// C Tor's `string_is_valid_dest`: an IPv4 or IPv6 literal (IPv6 optionally in brackets), or
/// dot-separated labels of ASCII letters, digits, `-` and `_`, none empty and none starting
/// with `-` or `_`, with at most one trailing dot.
#[must_use]
pub fn is_valid_dest(name: &str) -> bool {
    if name.is_empty() {
        return false;
    }
    let inner = name
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(name);
    if inner.parse::<Ipv4Addr>().is_ok() || inner.parse::<Ipv6Addr>().is_ok() {
        return true;
    }
    let labels = name.strip_suffix('.').unwrap_or(name);
    !labels.is_empty()
        && labels.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with(['-', '_'])
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}
