//! CONNECT: resolve, connect within `--connect-timeout`, reply, relay.

use std::io;
use std::net::SocketAddr;

use sockswire::{AccessQuery, Profile, ReplyCode, SocksAddr, SocksRequest};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::time::Instant;

use crate::proxy::Shared;
use crate::proxy::lookup::target_addrs;
use crate::proxy::relay::relay;
use crate::proxy::session::{Record, send_reply};

/// The reply code for a failed connect, as Tor maps an exit's errno: refused and reset are
/// CONNECTION_REFUSED, EHOSTUNREACH is HOST_UNREACHABLE (`NOROUTE`), ENETUNREACH is
/// NETWORK_UNREACHABLE, a timeout is TTL_EXPIRED; anything else GENERAL_FAILURE.
pub(crate) fn connect_status(e: &io::Error) -> ReplyCode {
    use io::ErrorKind as K;
    match e.kind() {
        K::ConnectionRefused | K::ConnectionReset => ReplyCode::CONNECTION_REFUSED,
        K::HostUnreachable => ReplyCode::HOST_UNREACHABLE,
        K::NetworkUnreachable | K::NetworkDown => ReplyCode::NETWORK_UNREACHABLE,
        K::TimedOut | K::WouldBlock => ReplyCode::TTL_EXPIRED,
        _ => ReplyCode::GENERAL_FAILURE,
    }
}

/// Tries each address in turn until one connects or the deadline passes.
async fn connect_any(addrs: &[SocketAddr], deadline: Instant) -> io::Result<TcpStream> {
    let mut last = io::Error::other("no address to try");
    for addr in addrs {
        match tokio::time::timeout_at(deadline, TcpStream::connect(addr)).await {
            Ok(Ok(t)) => return Ok(t),
            Ok(Err(e)) => last = e,
            Err(_) => {
                return Err(io::Error::new(io::ErrorKind::TimedOut, "connect timed out"));
            }
        }
    }
    Err(last)
}

/// Serves CONNECT; `early` is what the client sent behind its request.
pub(crate) async fn connect(
    mut client: TcpStream,
    request: &SocksRequest<'_>,
    early: &[u8],
    (shared, query): (&Shared, AccessQuery<'_>),
    rec: &mut Record,
) {
    let config = &shared.config;
    let addrs = match target_addrs(request, request.port()).await {
        Ok(a) => a,
        Err(e) => {
            // Tor: RESOLVEFAILED gives HOST_UNREACHABLE.
            let code = ReplyCode::HOST_UNREACHABLE;
            send_reply(&mut client, request, code, None, config, rec).await;
            rec.outcome.push_str(&format!(": cannot resolve: {e}"));
            return;
        }
    };
    // The resolved addresses, every one: a name is refused like the address it stands for.
    let denied = addrs.iter().find_map(|a| {
        shared
            .access
            .check(&query.resolved(a.ip()))
            .err()
            .map(|d| (a, d))
    });
    if let Some((addr, denial)) = denied {
        let code = ReplyCode::NOT_ALLOWED;
        send_reply(&mut client, request, code, None, config, rec).await;
        rec.outcome
            .push_str(&format!(": access policy: {denial} ({})", addr.ip()));
        return;
    }
    let deadline = Instant::now() + config.connect_timeout;
    let mut target = match connect_any(&addrs, deadline).await {
        Ok(t) => t,
        Err(e) => {
            let code = connect_status(&e);
            send_reply(&mut client, request, code, None, config, rec).await;
            rec.outcome.push_str(&format!(": {e}"));
            return;
        }
    };
    let _ = target.set_nodelay(true);
    // The RFC's BND.ADDR is the proxy's outgoing socket; Tor sends zeros.
    let local = target
        .local_addr()
        .ok()
        .map(|a| (SocksAddr::Ip(a.ip()), a.port()));
    let bound = match (config.profile, &local) {
        (Profile::Rfc1928, Some((addr, port))) => Some((addr, *port)),
        _ => None,
    };
    let code = ReplyCode::SUCCEEDED;
    if !send_reply(&mut client, request, code, bound, config, rec).await {
        return;
    }
    if !early.is_empty() {
        if let Err(e) = target.write_all(early).await {
            rec.outcome.push_str(&format!(", target write failed: {e}"));
            return;
        }
        rec.up += early.len() as u64;
    }
    let (up, down, end) = relay(client, target, config).await;
    rec.up += up;
    rec.down += down;
    rec.outcome.push_str(&format!(", {end}"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_errors_map_as_tor_maps_them() {
        use io::ErrorKind as K;
        let code = |k| connect_status(&io::Error::from(k));
        assert_eq!(code(K::ConnectionRefused), ReplyCode::CONNECTION_REFUSED);
        assert_eq!(code(K::HostUnreachable), ReplyCode::HOST_UNREACHABLE);
        assert_eq!(code(K::NetworkUnreachable), ReplyCode::NETWORK_UNREACHABLE);
        assert_eq!(code(K::TimedOut), ReplyCode::TTL_EXPIRED);
        assert_eq!(code(K::PermissionDenied), ReplyCode::GENERAL_FAILURE);
    }
}
