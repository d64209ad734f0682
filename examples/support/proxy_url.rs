//! The client examples' command line: `PROXY_URL HOST:PORT`, with the proxy spelled as curl
//! spells it (`socks4://`, `socks4a://`, `socks5://`, `socks5h://`, optional `user:pass@`).

use std::net::{IpAddr, ToSocketAddrs};

use sockswire::{SocksAddr, SocksAuth, SocksCmd, SocksHostname, SocksRequest, SocksVersion};

/// The proxy URL and the target, as given.
pub struct Args {
    pub proxy: String,
    scheme: String,
    user: Option<(String, String)>,
    host: String,
    port: u16,
}

fn split_host_port(s: &str) -> Result<(String, u16), String> {
    let (host, port) = s.rsplit_once(':').ok_or(format!("{s}: no port"))?;
    let port = port.parse().map_err(|_| format!("{s}: bad port"))?;
    Ok((
        host.trim_start_matches('[')
            .trim_end_matches(']')
            .to_string(),
        port,
    ))
}

pub fn parse() -> Result<Args, String> {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(target)) = (args.next(), args.next()) else {
        return Err(
            "usage: PROXY_URL HOST:PORT (e.g. socks5h://127.0.0.1:1080 example.com:80)".into(),
        );
    };
    let (scheme, rest) = url.split_once("://").ok_or("the proxy needs a scheme")?;
    let (user, addr) = match rest.rsplit_once('@') {
        Some((cred, addr)) => {
            let (u, p) = cred.split_once(':').unwrap_or((cred, ""));
            (Some((u.to_string(), p.to_string())), addr)
        }
        None => (None, rest),
    };
    let (host, port) = split_host_port(&target)?;
    Ok(Args {
        proxy: addr.to_string(),
        scheme: scheme.to_string(),
        user,
        host,
        port,
    })
}

impl Args {
    /// The CONNECT request: names go to the proxy with socks4a and socks5h, and are
    /// resolved here with socks4 and socks5.
    pub fn request(&self) -> Result<SocksRequest<'_>, String> {
        let (version, remote_dns) = match self.scheme.as_str() {
            "socks4" => (SocksVersion::V4, false),
            "socks4a" => (SocksVersion::V4, true),
            "socks5" => (SocksVersion::V5, false),
            "socks5h" => (SocksVersion::V5, true),
            s => return Err(format!("unknown scheme {s}")),
        };
        let addr = match self.host.parse::<IpAddr>() {
            Ok(ip) => SocksAddr::Ip(ip),
            Err(_) if remote_dns => SocksAddr::Hostname(
                SocksHostname::try_from(self.host.as_str()).map_err(|e| e.to_string())?,
            ),
            Err(_) => {
                let mut addrs = (self.host.as_str(), self.port)
                    .to_socket_addrs()
                    .map_err(|e| format!("{}: {e}", self.host))?;
                let v4 = version == SocksVersion::V4;
                let a = addrs
                    .find(|a| a.is_ipv4() || !v4)
                    .ok_or("no usable address")?;
                SocksAddr::Ip(a.ip())
            }
        };
        let auth = match (&self.user, version) {
            (Some((u, p)), SocksVersion::V5) => SocksAuth::Username(u.as_bytes(), p.as_bytes()),
            (Some((u, _)), _) => SocksAuth::Socks4(u.as_bytes()),
            (None, _) => SocksAuth::NoAuth,
        };
        SocksRequest::new(version, SocksCmd::CONNECT, addr, self.port, auth)
            .map_err(|e| e.to_string())
    }
}
