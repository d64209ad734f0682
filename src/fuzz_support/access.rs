//! Fuzz bodies for the access policy ([`crate::AccessPolicy`]), [`crate::Cidr`]'s parser and
//! [`crate::tor_special_name`].

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::vec;

use crate::{
    AccessPolicy, AccessQuery, AccessRule, Action, Cidr, Command, Denial, Destination, PortRange,
    SpecialName,
};

fn ip_from(bytes: &[u8]) -> IpAddr {
    match bytes {
        [4, a, b, c, d, ..] => IpAddr::V4(Ipv4Addr::new(*a, *b, *c, *d)),
        [6, rest @ ..] if rest.len() >= 16 => {
            let mut o = [0; 16];
            o.copy_from_slice(&rest[..16]);
            IpAddr::V6(Ipv6Addr::from(o))
        }
        [m, a, b, c, d, ..] => {
            let v4 = Ipv4Addr::new(*a, *b, *c, *d);
            if m % 2 == 0 {
                IpAddr::V6(v4.to_ipv6_mapped())
            } else {
                IpAddr::V4(v4)
            }
        }
        _ => IpAddr::V4(Ipv4Addr::LOCALHOST),
    }
}

/// Fuzz body for [`AccessPolicy::check`]: the input picks a listener, a rule list, a client
/// and a target (as an address, an IP literal name, or a name). Checks: no panic; the
/// proxy's own address is refused for CONNECT whatever the rules say, in its IPv4 and
/// IPv4-mapped spellings alike; the same query gives the same answer twice; an IPv4 target
/// and its mapped spelling get the same answer.
pub fn access_check(data: &[u8]) -> Option<usize> {
    if data.len() < 12 {
        return None;
    }
    let (head, rest) = data.split_at(12);
    let listener = SocketAddr::new(ip_from(&head[..5]), u16::from_be_bytes([head[5], head[6]]));
    let listeners = [listener];
    let rule_bytes = rest.get(..rest.len().min(24)).unwrap_or_default();
    let name = core::str::from_utf8(rest.get(24..).unwrap_or_default()).ok();
    let mut rules = vec::Vec::new();
    for chunk in rule_bytes.chunks(8) {
        let action = if chunk[0] % 2 == 0 {
            Action::Allow
        } else {
            Action::Deny
        };
        let destination = match chunk[0] % 3 {
            0 => Destination::Any,
            1 => Destination::Net(
                Cidr::new(
                    ip_from(chunk.get(1..).unwrap_or_default()),
                    chunk.get(6).copied().unwrap_or(0) % 33,
                )
                .ok()?,
            ),
            _ => Destination::DomainSuffix(name.unwrap_or("example")),
        };
        let first = u16::from(chunk.get(7).copied().unwrap_or(0)) * 256;
        rules.push(AccessRule {
            action,
            destination,
            ports: PortRange {
                first,
                last: first.saturating_add(4000),
            },
            ..AccessRule::any(action)
        });
    }
    let mut policy = AccessPolicy::for_listeners(&listeners);
    policy.rules = &rules;
    policy.guard_local = head[7] % 2 == 0;
    let command = [
        Command::CONNECT,
        Command::BIND,
        Command::RESOLVE,
        Command(head[8]),
    ][usize::from(head[8] % 4)];
    let target = ip_from(&head[9..]);
    let query = AccessQuery {
        client: Some(ip_from(&head[9..])),
        command,
        name,
        ip: Some(target),
        port: listener.port(),
    };
    let answer = policy.check(&query);
    assert_eq!(answer, policy.check(&query), "deterministic");
    if let IpAddr::V4(v4) = target {
        let mapped = AccessQuery {
            ip: Some(IpAddr::V6(v4.to_ipv6_mapped())),
            ..query
        };
        assert_eq!(
            answer,
            policy.check(&mapped),
            "{v4} and its mapped spelling"
        );
    }
    let own = AccessQuery {
        ip: Some(listener.ip()),
        command: Command::CONNECT,
        ..query
    };
    assert_eq!(
        policy.check(&own),
        Err(Denial::OwnAddress),
        "the proxy itself"
    );
    let _ = policy.check(&AccessQuery { ip: None, ..query });
    answer.is_ok().then_some(data.len())
}

/// Fuzz body for `Cidr::from_str`: an accepted network prints back to a string that parses
/// to the same network, and contains its own address.
pub fn parse_cidr(data: &[u8]) -> Option<usize> {
    let s = core::str::from_utf8(data).ok()?;
    let cidr: Cidr = s.parse().ok()?;
    let again: Cidr = std::format!("{cidr}").parse().expect("Display parses back");
    assert_eq!(cidr, again);
    assert!(cidr.contains(cidr.addr), "{cidr} contains its address");
    Some(data.len())
}

/// Fuzz body for [`crate::tor_special_name`]: a special name's last label is `onion`,
/// `exit` or `noconnect` (ASCII case and one trailing dot ignored), and an `Onion` has a
/// 56-character label before `.onion`; anything else is `None`.
pub fn tor_special_name(data: &[u8]) -> Option<usize> {
    let s = core::str::from_utf8(data).ok()?;
    let answer = crate::tor_special_name(s);
    let trimmed = s.strip_suffix('.').unwrap_or(s).to_ascii_lowercase();
    let last = trimmed.rsplit('.').next().unwrap_or_default();
    let expected_some = matches!(last, "onion" | "exit" | "noconnect");
    assert_eq!(answer.is_some(), expected_some, "{s:?}");
    if answer == Some(SpecialName::Onion) {
        let label = trimmed
            .strip_suffix(".onion")
            .unwrap_or_default()
            .rsplit('.')
            .next();
        assert_eq!(label.map(str::len), Some(56));
    }
    answer.map(|_| data.len())
}
