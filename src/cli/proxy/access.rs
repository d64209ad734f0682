//! The access policy from the command line: `--allow-client`, `--rule`, the listeners the
//! proxy itself is on, and the refusal to run open on a non-loopback address.

use std::net::{IpAddr, SocketAddr, UdpSocket};

use sockswire::{AccessPolicy, AccessRule, Action, Cidr, Command, Destination, PortRange};

use crate::proxy::config::Config;

/// `--rule` syntax, for the usage text and errors.
pub(crate) const RULE_SYNTAX: &str =
    "allow|deny [from CIDR] [to CIDR|DOMAIN-SUFFIX|*] [port N[-M]] [cmd CMD[,CMD..]]";

/// Parses `--allow-client CIDR`.
pub(crate) fn parse_client(v: &str) -> Result<Cidr, String> {
    v.parse()
        .map_err(|e| format!("--allow-client {v:?}: {e} (want a network such as 10.0.0.0/8)"))
}

fn command(word: &str) -> Option<Command> {
    Some(match word.to_ascii_lowercase().as_str() {
        "connect" => Command::CONNECT,
        "bind" => Command::BIND,
        "udp" | "udp_associate" | "udp-associate" => Command::UDP_ASSOCIATE,
        "resolve" => Command::RESOLVE,
        "resolve_ptr" | "resolve-ptr" => Command::RESOLVE_PTR,
        _ => return None,
    })
}

fn ports(v: &str) -> Option<PortRange> {
    let (first, last) = v.split_once('-').unwrap_or((v, v));
    let range = PortRange {
        first: first.parse().ok()?,
        last: last.parse().ok()?,
    };
    (range.first <= range.last).then_some(range)
}

/// Parses one `--rule`. Its strings live as long as the proxy (they are leaked once, at
/// start-up).
pub(crate) fn parse_rule(v: &str) -> Result<AccessRule<'static>, String> {
    let bad = |what: &str| format!("--rule {v:?}: {what} (syntax: {RULE_SYNTAX})");
    let mut words = v.split_whitespace();
    let action = match words.next() {
        Some("allow") => Action::Allow,
        Some("deny") => Action::Deny,
        _ => return Err(bad("starts with allow or deny")),
    };
    let mut rule = AccessRule::any(action);
    while let Some(key) = words.next() {
        let value = words
            .next()
            .ok_or_else(|| bad(&format!("{key} needs a value")))?;
        match key {
            "from" => rule.client = Some(value.parse().map_err(|e| bad(&format!("from: {e}")))?),
            "to" => {
                rule.destination = if value == "*" {
                    Destination::Any
                } else if let Ok(net) = value.parse::<Cidr>() {
                    Destination::Net(net)
                } else {
                    Destination::DomainSuffix(Box::leak(value.to_string().into_boxed_str()))
                }
            }
            "port" => rule.ports = ports(value).ok_or_else(|| bad("port: N or N-M"))?,
            "cmd" => {
                let cmds = value
                    .split(',')
                    .map(|c| command(c).ok_or_else(|| bad(&format!("unknown command {c}"))))
                    .collect::<Result<Vec<_>, _>>()?;
                rule.commands = Box::leak(cmds.into_boxed_slice());
            }
            other => return Err(bad(&format!("unknown word {other}"))),
        }
    }
    Ok(rule)
}

/// Whether `ip` is an address of this host: binding a UDP socket to it succeeds only then
/// (std has no interface list). For the proxy's wildcard listeners.
fn is_local(ip: IpAddr) -> bool {
    ip.is_loopback() || ip.is_unspecified() || UdpSocket::bind((ip, 0)).is_ok()
}

/// The policy for the bound listeners; `None` and an error when a non-loopback listener
/// would be open to anyone.
pub(crate) fn build(
    config: &Config,
    listeners: Vec<SocketAddr>,
) -> Result<&'static AccessPolicy<'static>, String> {
    let listeners: &'static [SocketAddr] = Box::leak(listeners.into_boxed_slice());
    let mut policy = AccessPolicy::for_listeners(listeners);
    policy.clients = Box::leak(config.clients.clone().into_boxed_slice());
    policy.rules = Box::leak(config.rules.clone().into_boxed_slice());
    policy.is_local = Some(&is_local);
    let exposed = listeners.iter().find(|l| !l.ip().is_loopback());
    if let Some(addr) = exposed {
        if config.credentials.is_none() && !policy.limits_clients() && !config.allow_anyone {
            return Err(format!(
                "listening on {addr}, which is not loopback, with neither --user nor \
                 --allow-client: anyone who reaches it could use it. Add --allow-client CIDR \
                 (or a --rule with `from`), or --user, or --allow-anyone to run it open"
            ));
        }
    }
    Ok(Box::leak(Box::new(policy)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_rule_words() {
        let r = parse_rule("deny from 10.0.0.0/8 to .example.com port 80-443 cmd connect,bind")
            .unwrap();
        assert_eq!(r.action, Action::Deny);
        assert_eq!(r.client, Some("10.0.0.0/8".parse().unwrap()));
        assert_eq!(r.destination, Destination::DomainSuffix(".example.com"));
        assert_eq!(
            r.ports,
            PortRange {
                first: 80,
                last: 443
            }
        );
        assert_eq!(r.commands, [Command::CONNECT, Command::BIND]);
        let r = parse_rule("allow to 127.0.0.1 port 8080").unwrap();
        assert_eq!(
            r.destination,
            Destination::Net("127.0.0.1/32".parse().unwrap())
        );
        assert_eq!(
            parse_rule("allow to *").unwrap().destination,
            Destination::Any
        );
        for bad in [
            "permit",
            "allow to",
            "allow port 9-1",
            "allow port x",
            "deny cmd fly",
            "deny from 1.2.3.4/40",
            "deny via x",
        ] {
            assert!(parse_rule(bad).is_err(), "{bad}");
        }
        assert!(parse_client("10.0.0.0/8").is_ok() && parse_client("ten").is_err());
    }

    #[test]
    fn local_addresses() {
        assert!(is_local("127.0.0.9".parse().unwrap()));
        assert!(is_local("0.0.0.0".parse().unwrap()));
        assert!(!is_local("192.0.2.77".parse().unwrap()));
    }
}
