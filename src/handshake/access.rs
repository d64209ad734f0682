//! Access policy: who may ask for what, checked by the proxy handshake and again by the
//! server once it has resolved a name.
//!
//! See [`AccessPolicy`].

mod rule;

use core::fmt;
use core::net::{IpAddr, SocketAddr};

pub use rule::{AccessRule, Action, Cidr, CidrError, Destination, PortRange, canonical_ip};

use crate::handshake::{SocksAddr, SocksRequest};
use crate::wire::Command;
use rule::{rule_matches, under_domain};

/// Why the access policy refused a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum Denial {
    /// The client is outside [`AccessPolicy::clients`].
    #[error("client not allowed")]
    Client,
    /// The destination is the proxy's own listening address.
    #[error("destination is the proxy itself")]
    OwnAddress,
    /// Rule number `index` (from 0) denies it.
    #[error("denied by rule {index}")]
    Rule {
        /// The rule's place in [`AccessPolicy::rules`] (saturating at `u32::MAX`).
        index: u32,
    },
    /// A loopback, link-local or unspecified destination on a non-loopback listener.
    #[error("local destination on a non-loopback listener")]
    LocalTarget,
}

/// What is asked, as far as it is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AccessQuery<'a> {
    /// The client's address, if known.
    pub client: Option<IpAddr>,
    /// The command.
    pub command: Command,
    /// The destination name, if the request carried one (kept after resolution, so domain
    /// rules still match).
    pub name: Option<&'a str>,
    /// The destination address: an IP target, an IP literal name, or a resolved address.
    pub ip: Option<IpAddr>,
    /// The destination port.
    pub port: u16,
}

impl<'a> AccessQuery<'a> {
    /// The query a request makes before resolution. A name that is an IP literal
    /// (`"127.0.0.1"`, `"[::1]"`, `"::ffff:127.0.0.1"`) counts as that address.
    #[must_use]
    pub fn from_request(client: Option<IpAddr>, request: &SocksRequest<'a>) -> Self {
        let (name, ip) = match *request.addr() {
            SocksAddr::Ip(ip) => (None, Some(ip)),
            SocksAddr::Hostname(h) => {
                let s = h.as_str();
                let inner = s
                    .strip_prefix('[')
                    .and_then(|s| s.strip_suffix(']'))
                    .unwrap_or(s);
                (Some(s), inner.parse().ok())
            }
        };
        AccessQuery {
            client,
            command: request.command(),
            name,
            ip,
            port: request.port(),
        }
    }

    /// The same query with a resolved address.
    #[must_use]
    pub const fn resolved(self, ip: IpAddr) -> Self {
        AccessQuery {
            ip: Some(ip),
            ..self
        }
    }
}

/// A proxy's access policy. It holds ordered [`AccessRule`]s (client network, destination network or
/// domain suffix, port range, command; the first rule that matches decides) and the defaults
/// a proxy needs to be safe to expose:
///
/// 1. **Clients**: when [`AccessPolicy::clients`] is not empty, a client outside every one of
///    those networks is refused ([`Denial::Client`]).
/// 2. **The proxy itself** is always refused ([`Denial::OwnAddress`]): a destination equal
///    to one of [`AccessPolicy::listeners`] in any spelling (IPv4-mapped and
///    IPv4-compatible IPv6, `0.0.0.0`/`::` with the listening port, and any local address
///    when a listener is a wildcard, as [`AccessPolicy::is_local`] tells). No rule overrides
///    it: a CONNECT back to the proxy is how one client fills every slot.
/// 3. **The rules**, in order.
/// 4. **Local targets**: with [`AccessPolicy::guard_local`] (set by
///    [`AccessPolicy::for_listeners`] when a listener is not loopback), loopback, link-local
///    and unspecified destinations, and the names `localhost` and `*.localhost`, are
///    refused unless a rule allowed them ([`Denial::LocalTarget`]).
/// 5. Otherwise allowed.
///
/// Checks 2 and 4 apply to the commands that reach a destination (CONNECT, BIND, UDP
/// ASSOCIATE), not to RESOLVE and RESOLVE_PTR. The handshake checks what the request says
/// (the client's address once given with
/// [`SocksProxyHandshake::set_client`](crate::SocksProxyHandshake::set_client)); a rule on
/// addresses cannot judge a name yet, so the server must call [`AccessPolicy::check`] again
/// with each resolved address before it connects: a name that resolves to `127.0.0.1` is
/// then refused like the literal. A refusal is `05 02` (NOT_ALLOWED) or SOCKS4 `5B`.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct AccessPolicy<'p> {
    /// Client networks allowed to use the proxy; empty for all.
    pub clients: &'p [Cidr],
    /// The rules, first match wins.
    pub rules: &'p [AccessRule<'p>],
    /// The proxy's own listening addresses (always refused as destinations).
    pub listeners: &'p [SocketAddr],
    /// Whether an address belongs to this host, for wildcard listeners (`0.0.0.0`, `::`).
    /// Without it, only loopback and unspecified addresses count as local.
    pub is_local: Option<&'p (dyn Fn(IpAddr) -> bool + Sync)>,
    /// Refuse loopback, link-local and unspecified destinations unless a rule allows them.
    pub guard_local: bool,
}

impl fmt::Debug for AccessPolicy<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessPolicy")
            .field("clients", &self.clients)
            .field("rules", &self.rules)
            .field("listeners", &self.listeners)
            .field("is_local", &self.is_local.map(|_| ".."))
            .field("guard_local", &self.guard_local)
            .finish()
    }
}

/// Loopback, link-local or unspecified (after [`canonical_ip`]).
#[must_use]
pub fn is_local_scope(ip: IpAddr) -> bool {
    match canonical_ip(ip) {
        IpAddr::V4(v4) => v4.is_loopback() || v4.is_link_local() || v4.octets()[0] == 0,
        IpAddr::V6(v6) => {
            v6.is_loopback() || v6.is_unspecified() || (v6.segments()[0] & 0xffc0) == 0xfe80
        }
    }
}

/// `localhost` and names under it (RFC 6761: they resolve to loopback).
fn is_localhost_name(name: &str) -> bool {
    under_domain(name, "localhost")
}

impl<'p> AccessPolicy<'p> {
    /// No rules, no client limit, only the proxy's own addresses refused; `guard_local` set
    /// when any listener is not a loopback address.
    ///
    /// ```
    /// use sockswire::{AccessPolicy, AccessQuery, Command, Denial};
    /// let listeners = ["0.0.0.0:1080".parse().unwrap()];
    /// let policy = AccessPolicy::for_listeners(&listeners);
    /// let q = |ip: &str, port| AccessQuery {
    ///     client: None, command: Command::CONNECT, name: None, ip: Some(ip.parse().unwrap()), port,
    /// };
    /// assert_eq!(policy.check(&q("::ffff:127.0.0.1", 1080)), Err(Denial::OwnAddress));
    /// assert_eq!(policy.check(&q("127.0.0.1", 22)), Err(Denial::LocalTarget));
    /// assert_eq!(policy.check(&q("192.0.2.1", 80)), Ok(()));
    /// ```
    #[must_use]
    pub fn for_listeners(listeners: &'p [SocketAddr]) -> Self {
        AccessPolicy {
            clients: &[],
            rules: &[],
            listeners,
            is_local: None,
            guard_local: listeners.iter().any(|l| !l.ip().is_loopback()),
        }
    }

    /// Whether some check limits who may connect (a client list or a rule on clients).
    #[must_use]
    pub fn limits_clients(&self) -> bool {
        !self.clients.is_empty() || self.rules.iter().any(|r| r.client.is_some())
    }

    fn is_own(&self, ip: IpAddr, port: u16) -> bool {
        let ip = canonical_ip(ip);
        self.listeners.iter().any(|l| {
            if l.port() != port {
                return false;
            }
            let own = canonical_ip(l.ip());
            // Connecting to 0.0.0.0 or :: reaches this host.
            own == ip
                || ip.is_unspecified()
                || (own.is_unspecified()
                    && (ip.is_loopback() || self.is_local.is_some_and(|f| f(ip))))
        })
    }

    /// Checks a query. Before resolution (a name, no address) it refuses only what is
    /// certain; call it again with [`AccessQuery::resolved`] for each address. Never panics.
    pub fn check(&self, q: &AccessQuery<'_>) -> Result<(), Denial> {
        if !self.clients.is_empty()
            && !q
                .client
                .is_some_and(|c| self.clients.iter().any(|n| n.contains(c)))
        {
            return Err(Denial::Client);
        }
        let reaches = !matches!(q.command, Command::RESOLVE | Command::RESOLVE_PTR);
        if reaches && q.ip.is_some_and(|ip| self.is_own(ip, q.port)) {
            return Err(Denial::OwnAddress);
        }
        let mut undecided = false;
        for (index, rule) in self.rules.iter().enumerate() {
            match rule_matches(rule, q.client, q.command, q.name, q.ip, q.port) {
                Some(true) if undecided => return Ok(()),
                Some(true) => {
                    return match rule.action {
                        Action::Allow => Ok(()),
                        Action::Deny => Err(Denial::Rule {
                            index: u32::try_from(index).unwrap_or(u32::MAX),
                        }),
                    };
                }
                Some(false) => {}
                // An address rule before resolution: only the resolved check can tell.
                None => undecided = true,
            }
        }
        let local = q.ip.is_some_and(is_local_scope) || q.name.is_some_and(is_localhost_name);
        if reaches && self.guard_local && local {
            return Err(Denial::LocalTarget);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn connect<'a>(name: Option<&'a str>, addr: Option<&str>, port: u16) -> AccessQuery<'a> {
        AccessQuery {
            client: Some(ip("192.0.2.9")),
            command: Command::CONNECT,
            name,
            ip: addr.map(ip),
            port,
        }
    }

    #[test]
    fn own_address_in_every_spelling() {
        let listeners = [SocketAddr::from(([127, 0, 0, 1], 1080))];
        let p = AccessPolicy::for_listeners(&listeners);
        assert!(!p.guard_local);
        for spelling in [
            "127.0.0.1",
            "::ffff:127.0.0.1",
            "::127.0.0.1",
            "0.0.0.0",
            "::",
        ] {
            let q = connect(None, Some(spelling), 1080);
            assert_eq!(p.check(&q), Err(Denial::OwnAddress), "{spelling}");
        }
        // Other loopback ports stay allowed on a loopback listener.
        assert_eq!(p.check(&connect(None, Some("127.0.0.1"), 22)), Ok(()));
        assert_eq!(p.check(&connect(Some("localhost"), None, 1080)), Ok(()));
        // After resolution, the name is refused like the literal.
        let q = connect(Some("localhost"), None, 1080).resolved(ip("127.0.0.1"));
        assert_eq!(p.check(&q), Err(Denial::OwnAddress));
        // RESOLVE does not reach the target.
        let q = AccessQuery {
            command: Command::RESOLVE,
            ..connect(None, Some("127.0.0.1"), 1080)
        };
        assert_eq!(p.check(&q), Ok(()));
    }

    #[test]
    fn wildcard_listener_expands_with_is_local() {
        let listeners = [SocketAddr::from(([0, 0, 0, 0], 1080))];
        let local = |ip: IpAddr| ip == IpAddr::from([192, 0, 2, 1]);
        let p = AccessPolicy {
            is_local: Some(&local),
            ..AccessPolicy::for_listeners(&listeners)
        };
        assert!(p.guard_local);
        for spelling in [
            "192.0.2.1",
            "::ffff:192.0.2.1",
            "127.0.0.5",
            "::1",
            "0.0.0.0",
        ] {
            let q = connect(None, Some(spelling), 1080);
            assert_eq!(p.check(&q), Err(Denial::OwnAddress), "{spelling}");
        }
        assert_eq!(p.check(&connect(None, Some("192.0.2.2"), 1080)), Ok(()));
    }

    #[test]
    fn local_targets_on_a_public_listener() {
        let listeners = [SocketAddr::from(([192, 0, 2, 1], 1080))];
        let p = AccessPolicy::for_listeners(&listeners);
        for target in [
            "127.0.0.1",
            "::1",
            "::ffff:127.0.0.1",
            "169.254.1.1",
            "fe80::1",
            "0.0.0.0",
            "::",
        ] {
            let q = connect(None, Some(target), 22);
            assert_eq!(p.check(&q), Err(Denial::LocalTarget), "{target}");
        }
        for name in ["localhost", "db.localhost", "LOCALHOST."] {
            assert_eq!(
                p.check(&connect(Some(name), None, 22)),
                Err(Denial::LocalTarget)
            );
        }
        assert_eq!(p.check(&connect(None, Some("198.51.100.1"), 22)), Ok(()));
        // A rule can allow one of them back.
        let rules = [AccessRule {
            destination: Destination::Net("127.0.0.1/32".parse().unwrap()),
            ports: PortRange {
                first: 8080,
                last: 8080,
            },
            ..AccessRule::any(Action::Allow)
        }];
        let p = AccessPolicy { rules: &rules, ..p };
        assert_eq!(p.check(&connect(None, Some("127.0.0.1"), 8080)), Ok(()));
        assert_eq!(
            p.check(&connect(None, Some("127.0.0.1"), 22)),
            Err(Denial::LocalTarget)
        );
    }

    #[test]
    fn first_match_wins_and_address_rules_wait_for_resolution() {
        let rules = [
            AccessRule {
                destination: Destination::Net("10.0.0.0/8".parse().unwrap()),
                ..AccessRule::any(Action::Deny)
            },
            AccessRule {
                destination: Destination::DomainSuffix("example.com"),
                ..AccessRule::any(Action::Allow)
            },
            AccessRule::any(Action::Deny),
        ];
        let p = AccessPolicy {
            rules: &rules,
            ..AccessPolicy::for_listeners(&[])
        };
        let named = connect(Some("www.example.com"), None, 443);
        assert_eq!(p.check(&named), Ok(()));
        assert_eq!(
            p.check(&named.resolved(ip("10.1.1.1"))),
            Err(Denial::Rule { index: 0 })
        );
        assert_eq!(p.check(&named.resolved(ip("192.0.2.1"))), Ok(()));
        let other = connect(Some("example.org"), None, 443);
        assert_eq!(p.check(&other), Ok(()), "undecided before resolution");
        assert_eq!(
            p.check(&other.resolved(ip("192.0.2.1"))),
            Err(Denial::Rule { index: 2 })
        );
    }

    #[test]
    fn client_list() {
        let clients = ["192.0.2.0/24".parse().unwrap()];
        let p = AccessPolicy {
            clients: &clients,
            ..AccessPolicy::for_listeners(&[])
        };
        assert!(p.limits_clients());
        assert_eq!(p.check(&connect(None, Some("198.51.100.1"), 80)), Ok(()));
        let outsider = AccessQuery {
            client: Some(ip("203.0.113.1")),
            ..connect(None, Some("198.51.100.1"), 80)
        };
        assert_eq!(p.check(&outsider), Err(Denial::Client));
        let unknown = AccessQuery {
            client: None,
            ..outsider
        };
        assert_eq!(p.check(&unknown), Err(Denial::Client));
    }
}
