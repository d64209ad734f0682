//! The proxy's settings: command-line flags, their defaults, and the handshake policy they
//! make.

use std::time::Duration;

use sockswire::{AccessRule, Cidr, Credentials, Profile, ProxyPolicy};

use crate::args::{count, seconds};
use crate::proxy::access::{parse_client, parse_rule};

pub(crate) const USAGE: &str = "\
usage: sockswire proxy [--listen ADDR]... [--profile arti|ctor|rfc1928]
                       [--user NAME --password PASS] [--handshake-timeout SECS]
                       [--connect-timeout SECS] [--idle-timeout SECS | --no-idle-timeout]
                       [--max-conns N] [--max-per-client N] [--queue-timeout SECS]
                       [--backlog N] [--max-buffer BYTES] [--allow-client CIDR]...
                       [--rule RULE]... [--allow-anyone] [--quiet]

A SOCKS4/4a/5 proxy: CONNECT (TCP relay both ways, half-close kept), and Tor's RESOLVE
and RESOLVE_PTR through the system resolver (RESOLVE_PTR runs `getent hosts ADDR`).
Two lines per connection on stderr, each with an RFC 3339 UTC timestamp: one when its
request is known (client, request, user) and one at the end (the same, then the reply
and outcome, payload bytes relayed up (client to target) and down, duration). Ctrl-C ends the process and every connection.

  --listen ADDR            address to listen on, repeatable (default 127.0.0.1:1080;
                           [::1]:1080 for IPv6; port 0 picks one, printed on stderr)
  --profile P              handshake behaviour: arti (default, tor-socksproto's), ctor
                           (C Tor's), rfc1928 (plain RFC server; BIND and UDP ASSOCIATE
                           are then answered 07, not implemented)
  --user NAME --password PASS
                           require RFC 1929 username/password (SOCKS4 and no-auth refused)
  --handshake-timeout SECS close clients that have not finished the handshake (default 10)
  --connect-timeout SECS   give up connecting to a target: TTL_EXPIRED (default 10)
  --idle-timeout SECS      close a relay idle both ways this long (default 600)
  --no-idle-timeout        never close an idle relay
  --max-conns N            connections served at once (default 4096; each takes one file
                           descriptor, two while relaying: see `ulimit -n`)
  --max-per-client N       connections at once from one client address (default 256)
  --queue-timeout SECS     at --max-conns, how long a new client waits for a free slot
                           before it is refused (default 2). Refused clients get 05 FF
                           (SOCKS5) or 5B (SOCKS4) and a log line
  --backlog N              listen queue length: connections the kernel completes before
                           the proxy accepts them (default 1024, at most net.core.somaxconn)
  --max-buffer BYTES       relay buffer per direction, the most bytes held in flight: it
                           starts at 4 KiB and grows to this with traffic (default 16384)
  --allow-client CIDR      only clients in this network (repeatable); others get 05 02/5B
  --rule RULE              an access rule, repeatable, first match wins:
                           allow|deny [from CIDR] [to CIDR|DOMAIN-SUFFIX|*] [port N[-M]]
                           [cmd connect,bind,udp,resolve,resolve_ptr]
  --allow-anyone           run on a non-loopback address without --user or a client rule
  --log-json               log JSON lines (ts, event, id, client, version, user,
                           command, target, reply, up, down, duration, outcome)
  --quiet                  no per-connection lines

Access: the proxy's own listening addresses are always refused as targets (every
spelling: 0.0.0.0, ::ffff:127.0.0.1, names resolving to them); on a listener that is not
loopback, loopback, link-local and unspecified targets are refused unless a rule allows
them. Names are checked again once resolved. Refusals get 05 02 (SOCKS4: 5B) and a line.
";

pub(crate) struct Config {
    pub(crate) listen: Vec<String>,
    pub(crate) profile: Profile,
    pub(crate) credentials: Option<(Vec<u8>, Vec<u8>)>,
    pub(crate) handshake_timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) idle_timeout: Option<Duration>,
    pub(crate) max_conns: usize,
    pub(crate) max_per_client: usize,
    pub(crate) queue_timeout: Duration,
    pub(crate) backlog: usize,
    pub(crate) max_buffer: usize,
    pub(crate) quiet: bool,
    pub(crate) log_json: bool,
    pub(crate) clients: Vec<Cidr>,
    pub(crate) rules: Vec<AccessRule<'static>>,
    pub(crate) allow_anyone: bool,
}

impl Config {
    pub(crate) fn policy(&self) -> ProxyPolicy<'_> {
        let mut policy = ProxyPolicy::profile(self.profile);
        if let Some((username, password)) = &self.credentials {
            policy.credentials = Credentials::Exact { username, password };
        }
        policy
    }
}

pub(crate) fn parse_args(args: &[String]) -> Result<Config, String> {
    let mut c = Config {
        listen: Vec::new(),
        profile: Profile::Arti,
        credentials: None,
        handshake_timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(10),
        idle_timeout: Some(Duration::from_secs(600)),
        max_conns: 4096,
        max_per_client: 256,
        queue_timeout: Duration::from_secs(2),
        backlog: 1024,
        max_buffer: 16384,
        quiet: false,
        log_json: false,
        clients: Vec::new(),
        rules: Vec::new(),
        allow_anyone: false,
    };
    let (mut user, mut password) = (None, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--listen" => c
                .listen
                .push(it.next().ok_or("--listen needs an address")?.clone()),
            "--profile" => {
                c.profile = match it.next().map(String::as_str) {
                    Some("arti") => Profile::Arti,
                    Some("ctor") => Profile::CTor,
                    Some("rfc1928") => Profile::Rfc1928,
                    other => {
                        return Err(format!(
                            "--profile: expected arti, ctor or rfc1928, got {other:?}"
                        ));
                    }
                }
            }
            "--user" => user = Some(it.next().ok_or("--user needs a name")?.clone()),
            "--password" => password = Some(it.next().ok_or("--password needs a value")?.clone()),
            "--handshake-timeout" => c.handshake_timeout = seconds(a, it.next())?,
            "--connect-timeout" => c.connect_timeout = seconds(a, it.next())?,
            "--idle-timeout" => c.idle_timeout = Some(seconds(a, it.next())?),
            "--max-conns" => c.max_conns = count(a, it.next())?,
            "--max-per-client" => c.max_per_client = count(a, it.next())?,
            "--queue-timeout" => c.queue_timeout = seconds(a, it.next())?,
            "--no-idle-timeout" => c.idle_timeout = None,
            "--backlog" => c.backlog = count(a, it.next())?,
            "--max-buffer" => c.max_buffer = count(a, it.next())?,
            "--quiet" | "-q" => c.quiet = true,
            "--log-json" => c.log_json = true,
            "--allow-client" => c.clients.push(parse_client(
                it.next().ok_or("--allow-client needs a network")?,
            )?),
            "--rule" => c
                .rules
                .push(parse_rule(it.next().ok_or("--rule needs a rule")?)?),
            "--allow-anyone" => c.allow_anyone = true,
            other => return Err(format!("unknown option {other}")),
        }
    }
    c.credentials = match (user, password) {
        (Some(u), Some(p)) if u.len() <= 255 && p.len() <= 255 => Some((u.into(), p.into())),
        (Some(_), Some(_)) => return Err("--user and --password are at most 255 bytes".into()),
        (None, None) => None,
        _ => return Err("--user and --password go together".into()),
    };
    if c.listen.is_empty() {
        c.listen.push("127.0.0.1:1080".into());
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parse_args_defaults_and_errors() {
        let c = parse_args(&[]).unwrap();
        assert_eq!(c.listen, ["127.0.0.1:1080"]);
        assert_eq!(c.profile, Profile::Arti);
        assert!(c.credentials.is_none());
        let c = parse_args(&args(&[
            "--listen",
            "[::1]:0",
            "--listen",
            "127.0.0.1:0",
            "--profile",
            "ctor",
            "--user",
            "alice",
            "--password",
            "s3cret",
            "--handshake-timeout",
            "0.5",
            "--max-conns",
            "3",
            "--backlog",
            "4096",
        ]))
        .unwrap();
        assert_eq!(c.listen.len(), 2);
        assert_eq!(c.profile, Profile::CTor);
        assert_eq!(c.handshake_timeout, Duration::from_millis(500));
        assert_eq!(c.max_conns, 3);
        assert_eq!(c.backlog, 4096);
        assert_eq!(parse_args(&[]).unwrap().backlog, 1024);
        assert!(c.policy().credentials.required());
        for bad in [
            &["--user", "a"][..],
            &["--profile", "socks"],
            &["--max-conns", "0"],
            &["--backlog", "0"],
            &["--handshake-timeout", "-1"],
            &["--bogus"],
        ] {
            assert!(parse_args(&args(bad)).is_err(), "{bad:?}");
        }
    }
}
