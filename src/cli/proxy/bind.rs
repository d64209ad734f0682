//! BIND (SOCKS4 and SOCKS5, RFC 1928 section 4): listen on the address the client came in
//! on, first reply with it, accept one peer within `--bind-timeout`, second reply with the
//! peer's address, then relay both ways.

use std::net::{IpAddr, SocketAddr};

use sockswire::{ReplyCode, SocksAddr, SocksRequest, canonical_ip};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

use crate::proxy::Shared;
use crate::proxy::relay::relay;
use crate::proxy::session::{Record, send_reply};

/// The peer the client expects: the request's address, unless it is a name or unspecified
/// (then any peer is taken), compared in canonical form.
fn expected_peer(request: &SocksRequest<'_>) -> Option<IpAddr> {
    match request.addr() {
        SocksAddr::Ip(ip) if !ip.is_unspecified() => Some(canonical_ip(*ip)),
        _ => None,
    }
}

/// Accepts the first peer from `expected` (any when `None`) before `deadline`; others are
/// closed and counted.
async fn accept_peer(
    listener: &TcpListener,
    expected: Option<IpAddr>,
    deadline: Instant,
    turned_away: &mut usize,
) -> Option<(TcpStream, SocketAddr)> {
    loop {
        match tokio::time::timeout_at(deadline, listener.accept()).await {
            Ok(Ok((peer, addr))) => {
                if expected.is_none_or(|ip| ip == canonical_ip(addr.ip())) {
                    return Some((peer, addr));
                }
                *turned_away += 1;
            }
            Ok(Err(_)) => {}
            Err(_) => return None,
        }
    }
}

/// Serves BIND; `early` is what the client sent behind its request (passed to the peer).
pub(crate) async fn bind(
    mut client: TcpStream,
    request: &SocksRequest<'_>,
    early: &[u8],
    shared: &Shared,
    rec: &mut Record,
) {
    let config = &shared.config;
    let listener = match client.local_addr() {
        Ok(local) => TcpListener::bind(SocketAddr::new(local.ip(), 0)).await,
        Err(e) => Err(e),
    };
    let (listener, bound) = match listener.and_then(|l| l.local_addr().map(|a| (l, a))) {
        Ok(ok) => ok,
        Err(e) => {
            let code = ReplyCode::GENERAL_FAILURE;
            send_reply(&mut client, request, code, None, config, rec).await;
            rec.outcome.push_str(&format!(": cannot listen: {e}"));
            return;
        }
    };
    let at = SocksAddr::Ip(bound.ip());
    let code = ReplyCode::SUCCEEDED;
    if !send_reply(
        &mut client,
        request,
        code,
        Some((&at, bound.port())),
        config,
        rec,
    )
    .await
    {
        return;
    }
    let mut turned_away = 0;
    let deadline = Instant::now() + config.bind_timeout;
    let expected = expected_peer(request);
    let Some((mut peer, from)) = accept_peer(&listener, expected, deadline, &mut turned_away).await
    else {
        drop(listener);
        let code = ReplyCode::TTL_EXPIRED;
        send_reply(&mut client, request, code, None, config, rec).await;
        rec.outcome = format!(
            "bound {bound}, no peer within {:?} ({turned_away} from other addresses closed): {}",
            config.bind_timeout, rec.outcome
        );
        return;
    };
    drop(listener);
    let _ = peer.set_nodelay(true);
    let from_addr = SocksAddr::Ip(from.ip());
    if !send_reply(
        &mut client,
        request,
        code,
        Some((&from_addr, from.port())),
        config,
        rec,
    )
    .await
    {
        return;
    }
    rec.outcome = format!("bound {bound}, peer {from}: {}", rec.outcome);
    if !early.is_empty() {
        if let Err(e) = peer.write_all(early).await {
            rec.outcome.push_str(&format!(", peer write failed: {e}"));
            return;
        }
        rec.up += early.len() as u64;
    }
    let (up, down, end) = relay(client, peer, config).await;
    rec.up += up;
    rec.down += down;
    rec.outcome.push_str(&format!(", {end}"));
}
