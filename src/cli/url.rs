//! Proxy URLs as curl spells them (`socks5h://user:pass@host:port`) and `host:port` targets.

use std::net::{IpAddr, Ipv6Addr};

use sockswire::SocksVersion;

/// The four schemes curl knows for SOCKS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// SOCKS4: the client resolves names itself.
    Socks4,
    /// SOCKS4a: the proxy resolves names.
    Socks4a,
    /// SOCKS5: the client resolves names itself.
    Socks5,
    /// SOCKS5 with the proxy resolving names.
    Socks5h,
}

impl Scheme {
    pub(crate) fn version(self) -> SocksVersion {
        match self {
            Scheme::Socks4 | Scheme::Socks4a => SocksVersion::V4,
            Scheme::Socks5 | Scheme::Socks5h => SocksVersion::V5,
        }
    }

    /// Whether names go to the proxy (curl's `socks4a`, `socks5h`).
    pub(crate) fn remote_dns(self) -> bool {
        matches!(self, Scheme::Socks4a | Scheme::Socks5h)
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Scheme::Socks4 => "socks4",
            Scheme::Socks4a => "socks4a",
            Scheme::Socks5 => "socks5",
            Scheme::Socks5h => "socks5h",
        }
    }
}

/// A parsed proxy URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ProxyUrl {
    pub(crate) scheme: Scheme,
    pub(crate) host: String,
    pub(crate) port: u16,
    pub(crate) user: Option<String>,
    pub(crate) password: Option<String>,
}

/// curl's default SOCKS port.
pub(crate) const DEFAULT_PROXY_PORT: u16 = 1080;

/// Parses `scheme://[user[:password]@]host[:port][/]`. User and password are
/// percent-decoded, as curl does.
pub(crate) fn parse_proxy_url(s: &str) -> Result<ProxyUrl, String> {
    let (scheme, rest) = s
        .split_once("://")
        .ok_or_else(|| format!("{s:?}: expected socks4://, socks4a://, socks5:// or socks5h://"))?;
    let scheme = match scheme.to_ascii_lowercase().as_str() {
        "socks4" => Scheme::Socks4,
        "socks4a" => Scheme::Socks4a,
        "socks5" => Scheme::Socks5,
        "socks5h" => Scheme::Socks5h,
        other => return Err(format!("unknown proxy scheme {other:?}")),
    };
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let (userinfo, authority) = match rest.rsplit_once('@') {
        Some((u, a)) => (Some(u), a),
        None => (None, rest),
    };
    let (user, password) = match userinfo {
        None => (None, None),
        Some(u) => match u.split_once(':') {
            Some((name, pass)) => (Some(percent_decode(name)?), Some(percent_decode(pass)?)),
            None => (Some(percent_decode(u)?), None),
        },
    };
    let (host, port) = split_host_port(authority)?;
    if host.is_empty() {
        return Err(format!("{s:?}: no proxy host"));
    }
    Ok(ProxyUrl {
        scheme,
        host,
        port: port.unwrap_or(DEFAULT_PROXY_PORT),
        user,
        password,
    })
}

/// Splits `host:port`, `[v6]:port`, `host`, `[v6]` or a bare IPv6 address.
pub(crate) fn split_host_port(s: &str) -> Result<(String, Option<u16>), String> {
    let port = |p: &str| {
        p.parse::<u16>()
            .map_err(|_| format!("{s:?}: bad port {p:?}"))
    };
    if let Some(inner) = s.strip_prefix('[') {
        let (host, after) = inner
            .split_once(']')
            .ok_or_else(|| format!("{s:?}: missing ']'"))?;
        return match after {
            "" => Ok((host.to_string(), None)),
            _ => match after.strip_prefix(':') {
                Some(p) => Ok((host.to_string(), Some(port(p)?))),
                None => Err(format!("{s:?}: junk after ']'")),
            },
        };
    }
    if s.parse::<Ipv6Addr>().is_ok() {
        return Ok((s.to_string(), None));
    }
    match s.rsplit_once(':') {
        Some((host, p)) => Ok((host.to_string(), Some(port(p)?))),
        None => Ok((s.to_string(), None)),
    }
}

/// An IP literal, with or without IPv6 brackets (`"127.0.0.1"`, `"::1"`, `"[::1]"`).
pub(crate) fn ip_literal(host: &str) -> Option<IpAddr> {
    let inner = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    inner.parse().ok()
}

fn percent_decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("bad percent escape in {s:?}"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| format!("{s:?} does not decode to UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_proxy_url_as_curl_spells_them() {
        let u = parse_proxy_url("socks5h://127.0.0.1:1080").unwrap();
        assert_eq!(u.scheme, Scheme::Socks5h);
        assert_eq!((u.host.as_str(), u.port), ("127.0.0.1", 1080));
        assert_eq!(u.user, None);

        let u = parse_proxy_url("SOCKS4A://localhost").unwrap();
        assert_eq!(u.scheme, Scheme::Socks4a);
        assert_eq!((u.host.as_str(), u.port), ("localhost", 1080));

        let u = parse_proxy_url("socks5://al%40ice:p%3Ass@[::1]:9050/").unwrap();
        assert_eq!(u.scheme, Scheme::Socks5);
        assert_eq!((u.host.as_str(), u.port), ("::1", 9050));
        assert_eq!(u.user.as_deref(), Some("al@ice"));
        assert_eq!(u.password.as_deref(), Some("p:ss"));

        assert!(parse_proxy_url("http://127.0.0.1:1080").is_err());
        assert!(parse_proxy_url("127.0.0.1:1080").is_err());
        assert!(parse_proxy_url("socks5://127.0.0.1:99999").is_err());
        assert!(parse_proxy_url("socks5://:1080").is_err());
        assert!(parse_proxy_url("socks5://u:%zz@h").is_err());
    }

    #[test]
    fn split_host_port_forms() {
        let s = |x: &str| split_host_port(x).unwrap();
        assert_eq!(s("example.com:80"), ("example.com".into(), Some(80)));
        assert_eq!(s("example.com"), ("example.com".into(), None));
        assert_eq!(s("[::1]:443"), ("::1".into(), Some(443)));
        assert_eq!(s("[::1]"), ("::1".into(), None));
        assert_eq!(s("2001:db8::1"), ("2001:db8::1".into(), None));
        assert!(split_host_port("[::1]x").is_err());
        assert!(split_host_port("host:http").is_err());
    }

    #[test]
    fn ip_literals() {
        assert_eq!(ip_literal("127.0.0.5"), Some([127, 0, 0, 5].into()));
        assert_eq!(ip_literal("[::1]"), Some(Ipv6Addr::LOCALHOST.into()));
        assert_eq!(ip_literal("localhost"), None);
    }
}
