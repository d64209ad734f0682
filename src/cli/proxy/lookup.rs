//! Names and addresses: a request's target addresses, RESOLVE through the system resolver,
//! RESOLVE_PTR through `getent hosts`.

use std::io::{self, Read};
use std::net::{IpAddr, SocketAddr};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use sockswire::{Profile, ReplyCode, SocksAddr, SocksHostname, SocksRequest, SocksVersion};
use tokio::net::TcpStream;

use crate::proxy::config::Config;
use crate::proxy::session::{Record, send_reply};
use crate::url::ip_literal;

/// The addresses of a request's target: its IP, an IP literal name, or the system resolver's
/// answer (on tokio's blocking pool: `getaddrinfo` blocks).
pub(crate) async fn target_addrs(
    request: &SocksRequest<'_>,
    port: u16,
) -> io::Result<Vec<SocketAddr>> {
    match request.addr() {
        SocksAddr::Ip(ip) => Ok(vec![SocketAddr::new(*ip, port)]),
        SocksAddr::Hostname(h) => match ip_literal(h.as_str()) {
            Some(ip) => Ok(vec![SocketAddr::new(ip, port)]),
            None => {
                let addrs: Vec<_> = tokio::net::lookup_host((h.as_str(), port)).await?.collect();
                if addrs.is_empty() {
                    Err(io::Error::other("the resolver gave no address"))
                } else {
                    Ok(addrs)
                }
            }
        },
    }
}

/// RESOLVE: an IP target is its own answer (as Tor does); a name goes to the system resolver.
/// IPv4 answers are preferred (SOCKS4 can carry nothing else).
pub(crate) async fn resolve(request: &SocksRequest<'_>) -> (ReplyCode, Option<IpAddr>) {
    let ips: Vec<IpAddr> = match target_addrs(request, 0).await {
        Ok(addrs) => addrs.iter().map(SocketAddr::ip).collect(),
        Err(_) => return (ReplyCode::HOST_UNREACHABLE, None),
    };
    let v4 = ips.iter().find(|ip| ip.is_ipv4()).copied();
    let answer = match request.version() {
        SocksVersion::V4 => v4,
        _ => v4.or(ips.first().copied()),
    };
    match answer {
        Some(ip) => (ReplyCode::SUCCEEDED, Some(ip)),
        None => (ReplyCode::HOST_UNREACHABLE, None),
    }
}

/// RESOLVE_PTR: std has no reverse lookup, so this asks `getent hosts ADDR` (NSS: files,
/// then DNS), bounded by the connect timeout. No answer is HOST_UNREACHABLE; no getent is
/// GENERAL_FAILURE; a target that is not an address is ADDRTYPE_NOT_SUPPORTED.
pub(crate) async fn resolve_ptr(
    request: &SocksRequest<'_>,
    limit: Duration,
) -> (ReplyCode, Option<String>, Option<String>) {
    let ip = match request.addr() {
        SocksAddr::Ip(ip) => *ip,
        SocksAddr::Hostname(h) => match ip_literal(h.as_str()) {
            Some(ip) => ip,
            None => {
                return (
                    ReplyCode::ADDRTYPE_NOT_SUPPORTED,
                    None,
                    Some("not an address".into()),
                );
            }
        },
    };
    let looked_up = tokio::task::spawn_blocking(move || getent_hosts(ip, limit))
        .await
        .unwrap_or_else(|e| Err(io::Error::other(e)));
    match looked_up {
        Ok(Some(name)) => (ReplyCode::SUCCEEDED, Some(name), None),
        Ok(None) => (
            ReplyCode::HOST_UNREACHABLE,
            None,
            Some("no PTR name".into()),
        ),
        Err(e) => (
            ReplyCode::GENERAL_FAILURE,
            None,
            Some(format!("getent hosts: {e}")),
        ),
    }
}

fn getent_hosts(ip: IpAddr, limit: Duration) -> io::Result<Option<String>> {
    let mut child = Process::new("getent")
        .arg("hosts")
        .arg(ip.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::new(io::ErrorKind::TimedOut, "timed out"));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        stdout.read_to_string(&mut out)?;
    }
    if !status.success() {
        return Ok(None);
    }
    // "ADDRESS  CANONICAL-NAME [ALIAS...]"
    Ok(out.split_whitespace().nth(1).map(str::to_string))
}

/// Serves RESOLVE.
pub(crate) async fn serve_resolve(
    client: &mut TcpStream,
    request: &SocksRequest<'_>,
    config: &Config,
    rec: &mut Record,
) {
    let (status, answer) = resolve(request).await;
    answer_lookup(
        client,
        request,
        status,
        answer.map(SocksAddr::Ip),
        config,
        rec,
    )
    .await;
}

/// Serves RESOLVE_PTR.
pub(crate) async fn serve_resolve_ptr(
    client: &mut TcpStream,
    request: &SocksRequest<'_>,
    config: &Config,
    rec: &mut Record,
) {
    let (status, name, note) = resolve_ptr(request, config.connect_timeout).await;
    let addr = name
        .as_deref()
        .and_then(|n| SocksHostname::try_from(n).ok())
        .map(SocksAddr::Hostname);
    answer_lookup(client, request, status, addr, config, rec).await;
    if let Some(note) = note {
        rec.outcome.push_str(&format!(" ({note})"));
    }
}

/// Answers RESOLVE or RESOLVE_PTR.
async fn answer_lookup(
    client: &mut TcpStream,
    request: &SocksRequest<'_>,
    status: ReplyCode,
    answer: Option<SocksAddr<'_>>,
    config: &Config,
    rec: &mut Record,
) {
    let (status, answer) = match (request.version(), answer) {
        // A SOCKS4 reply has room for an IPv4 address only.
        (SocksVersion::V4, Some(SocksAddr::Hostname(_))) => {
            send_reply(
                client,
                request,
                ReplyCode::GENERAL_FAILURE,
                None,
                config,
                rec,
            )
            .await;
            rec.outcome.push_str(": a name does not fit a SOCKS4 reply");
            return;
        }
        (_, Some(a)) if status == ReplyCode::SUCCEEDED => (status, a),
        _ => {
            send_reply(client, request, status, None, config, rec).await;
            return;
        }
    };
    // C Tor answers with port 0; tor-socksproto with the request's port.
    let port = match config.profile {
        Profile::CTor => 0,
        _ => request.port(),
    };
    if send_reply(client, request, status, Some((&answer, port)), config, rec).await {
        rec.outcome.push_str(&format!(" {answer}"));
    }
}
