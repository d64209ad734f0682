//! The parts of an access rule: [`Cidr`], [`PortRange`], [`Destination`], [`AccessRule`].

use core::fmt;
use core::net::IpAddr;
use core::str::FromStr;

use crate::wire::Command;

/// The IPv4 address an IPv6 address stands for, if any: IPv4-mapped (`::ffff:a.b.c.d`) and
/// the deprecated IPv4-compatible form (`::a.b.c.d`, not `::` or `::1`), so every spelling
/// of an IPv4 address is checked as that address.
#[must_use]
pub fn canonical_ip(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => {
            let compat = matches!(v6.segments(), [0, 0, 0, 0, 0, 0, hi, lo] if hi != 0 || lo > 1);
            match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None if compat => v6.to_ipv4().map_or(ip, IpAddr::V4),
                None => ip,
            }
        }
        IpAddr::V4(_) => ip,
    }
}

/// An IP network: an address and a prefix length (`10.0.0.0/8`, `fe80::/10`,
/// `192.0.2.7` as `/32`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Cidr {
    /// The network address (bits past the prefix are ignored).
    pub addr: IpAddr,
    /// The prefix length: at most 32 for IPv4, 128 for IPv6.
    pub prefix: u8,
}

/// Why a [`Cidr`] was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum CidrError {
    /// The part before `/` is not an IP address.
    #[error("not an IP address")]
    BadAddress,
    /// The prefix is not a number, or longer than the address.
    #[error("bad prefix length (at most {max})")]
    BadPrefix {
        /// The longest prefix for the address family.
        max: u8,
    },
}

impl Cidr {
    /// A network; `prefix` must fit the address family.
    pub const fn new(addr: IpAddr, prefix: u8) -> Result<Cidr, CidrError> {
        let max = match addr {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        };
        if prefix > max {
            return Err(CidrError::BadPrefix { max });
        }
        Ok(Cidr { addr, prefix })
    }

    /// Whether `ip` is in the network. IPv4-mapped and IPv4-compatible IPv6 addresses are
    /// compared as the IPv4 address they stand for, on both sides.
    ///
    /// ```
    /// use sockswire::Cidr;
    /// let net: Cidr = "127.0.0.0/8".parse().unwrap();
    /// assert!(net.contains("127.1.2.3".parse().unwrap()));
    /// assert!(net.contains("::ffff:127.0.0.1".parse().unwrap()));
    /// assert!(!net.contains("::1".parse().unwrap()));
    /// assert_eq!(net.to_string(), "127.0.0.0/8");
    /// ```
    #[must_use]
    pub fn contains(&self, ip: IpAddr) -> bool {
        let (net, prefix) = match (self.addr, canonical_ip(self.addr)) {
            (IpAddr::V6(_), v4 @ IpAddr::V4(_)) => (v4, self.prefix.saturating_sub(96)),
            (addr, _) => (addr, self.prefix),
        };
        match (net, canonical_ip(ip)) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = u128::MAX.checked_shl(128 - u32::from(prefix)).unwrap_or(0);
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for Cidr {
    type Err = CidrError;

    fn from_str(s: &str) -> Result<Cidr, CidrError> {
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = addr.parse().map_err(|_| CidrError::BadAddress)?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p.parse().map_err(|_| CidrError::BadPrefix { max })?,
        };
        Cidr::new(addr, prefix)
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// An inclusive range of ports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PortRange {
    /// The first port in the range.
    pub first: u16,
    /// The last port in the range (inclusive).
    pub last: u16,
}

impl PortRange {
    /// Every port, 0 to 65535.
    pub const ANY: PortRange = PortRange {
        first: 0,
        last: u16::MAX,
    };

    /// Whether `port` is in the range.
    #[must_use]
    pub const fn contains(&self, port: u16) -> bool {
        self.first <= port && port <= self.last
    }
}

/// What a rule says about the destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Destination<'p> {
    /// Any destination.
    Any,
    /// An address in this network: matches once the address is known (an IP target, an IP
    /// literal name, or a name after resolution).
    Net(Cidr),
    /// A name equal to this domain or under it (`example.com` matches `example.com` and
    /// `www.example.com`, not `badexample.com`), ASCII case and a trailing dot ignored.
    /// Matches only requests that carry a name.
    DomainSuffix(&'p str),
}

/// Allow or deny.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Serve the request.
    Allow,
    /// Refuse it (`05 02` / `00 5B`).
    Deny,
}

/// One access rule: it matches when every part does; the first rule that matches decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AccessRule<'p> {
    /// Allow or deny.
    pub action: Action,
    /// The clients it applies to; `None` for all.
    pub client: Option<Cidr>,
    /// The destination it applies to.
    pub destination: Destination<'p>,
    /// The destination ports it applies to.
    pub ports: PortRange,
    /// The commands it applies to; empty for all.
    pub commands: &'p [Command],
}

impl<'p> AccessRule<'p> {
    /// A rule that matches everything, with this action: narrow it with the fields.
    #[must_use]
    pub const fn any(action: Action) -> AccessRule<'p> {
        AccessRule {
            action,
            client: None,
            destination: Destination::Any,
            ports: PortRange::ANY,
            commands: &[],
        }
    }
}

/// Whether `name` is `suffix` or under it, ASCII case and trailing dots ignored.
pub(crate) fn under_domain(name: &str, suffix: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name).as_bytes();
    let suffix = suffix.strip_suffix('.').unwrap_or(suffix);
    let suffix = suffix.strip_prefix('.').unwrap_or(suffix).as_bytes();
    if suffix.is_empty() || name.len() < suffix.len() {
        return false;
    }
    let (head, tail) = name.split_at(name.len() - suffix.len());
    tail.eq_ignore_ascii_case(suffix) && (head.is_empty() || head.ends_with(b"."))
}

/// Whether a rule's part matches: `Some(bool)` when it can tell, `None` when it needs what
/// is not known yet (an address before resolution).
pub(crate) fn rule_matches(
    rule: &AccessRule<'_>,
    client: Option<IpAddr>,
    command: Command,
    name: Option<&str>,
    ip: Option<IpAddr>,
    port: u16,
) -> Option<bool> {
    let client_ok = match (rule.client, client) {
        (None, _) => true,
        (Some(net), Some(c)) => net.contains(c),
        (Some(_), None) => false,
    };
    if !client_ok || !rule.ports.contains(port) {
        return Some(false);
    }
    if !rule.commands.is_empty() && !rule.commands.contains(&command) {
        return Some(false);
    }
    match rule.destination {
        Destination::Any => Some(true),
        Destination::DomainSuffix(suffix) => Some(name.is_some_and(|n| under_domain(n, suffix))),
        Destination::Net(net) => ip.map(|ip| net.contains(ip)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn cidr_parse_contains_and_errors() {
        let net: Cidr = "10.0.0.0/8".parse().unwrap();
        assert!(net.contains(ip("10.255.0.1")));
        assert!(!net.contains(ip("11.0.0.1")));
        assert!(net.contains(ip("::ffff:10.1.2.3")));
        assert!(net.contains(ip("::10.1.2.3")));
        let all: Cidr = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains(ip("1.2.3.4")) && !all.contains(ip("2001:db8::1")));
        let v6: Cidr = "fe80::/10".parse().unwrap();
        assert!(v6.contains(ip("fe80::1")) && !v6.contains(ip("fec0::1")));
        let mapped: Cidr = "::ffff:127.0.0.0/104".parse().unwrap();
        assert!(mapped.contains(ip("127.9.9.9")));
        assert_eq!("1.2.3.4".parse::<Cidr>().unwrap().prefix, 32);
        assert_eq!(
            "1.2.3.4/33".parse::<Cidr>(),
            Err(CidrError::BadPrefix { max: 32 })
        );
        assert_eq!(
            "::/x".parse::<Cidr>(),
            Err(CidrError::BadPrefix { max: 128 })
        );
        assert_eq!("host/8".parse::<Cidr>(), Err(CidrError::BadAddress));
    }

    #[test]
    fn canonical_ip_spellings() {
        assert_eq!(canonical_ip(ip("::ffff:127.0.0.1")), ip("127.0.0.1"));
        assert_eq!(canonical_ip(ip("::127.0.0.1")), ip("127.0.0.1"));
        assert_eq!(canonical_ip(ip("::1")), ip("::1"));
        assert_eq!(canonical_ip(ip("::")), ip("::"));
        assert_eq!(canonical_ip(ip("2001:db8::1")), ip("2001:db8::1"));
    }

    #[test]
    fn domain_suffix_at_label_boundaries() {
        assert!(under_domain("example.com", "example.com"));
        assert!(under_domain("WWW.Example.COM.", "example.com"));
        assert!(under_domain("a.b.onion", ".onion"));
        assert!(!under_domain("badexample.com", "example.com"));
        assert!(!under_domain("com", "example.com"));
        assert!(!under_domain("example.com", ""));
    }

    #[test]
    fn ports_and_commands_narrow_a_rule() {
        let rule = AccessRule {
            ports: PortRange {
                first: 80,
                last: 443,
            },
            commands: &[Command::CONNECT],
            ..AccessRule::any(Action::Deny)
        };
        let m = |cmd, port| rule_matches(&rule, None, cmd, None, None, port);
        assert_eq!(m(Command::CONNECT, 80), Some(true));
        assert_eq!(m(Command::CONNECT, 444), Some(false));
        assert_eq!(m(Command::RESOLVE, 80), Some(false));
        let net = AccessRule {
            destination: Destination::Net("10.0.0.0/8".parse().unwrap()),
            client: Some("192.168.0.0/16".parse().unwrap()),
            ..AccessRule::any(Action::Allow)
        };
        let c = Some(ip("192.168.1.1"));
        assert_eq!(
            rule_matches(&net, c, Command::CONNECT, Some("x"), None, 1),
            None
        );
        assert_eq!(
            rule_matches(&net, c, Command::CONNECT, None, Some(ip("10.1.1.1")), 1),
            Some(true)
        );
        assert_eq!(
            rule_matches(&net, None, Command::CONNECT, None, Some(ip("10.1.1.1")), 1),
            Some(false)
        );
    }
}
