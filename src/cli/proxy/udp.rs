//! UDP ASSOCIATE (RFC 1928 section 7, profile rfc1928): a relay socket per association,
//! bound on the address the client came in on; datagrams only from the client's address
//! (its TCP address's IP, and the request's port when not 0); RFC 1928 fragments
//! reassembled; both decided per datagram by the library's sans-IO `UdpRelay` (fuzz target
//! `udp_relay_datagram`); every datagram's destination resolved
//! and checked against the access policy; answers only from hosts the client has sent to.
//! The association ends with its TCP connection (or the idle timeout).

use std::collections::HashSet;
use std::net::SocketAddr;

use sockswire::{
    AccessQuery, Command, ReplyCode, SocksAddr, SocksRequest, UdpDestination, UdpRelay,
    UdpRelayAction,
};
use tokio::io::AsyncReadExt;
use tokio::net::{TcpStream, UdpSocket};

use crate::proxy::Shared;
use crate::proxy::session::{Record, send_reply};

/// The most payload one reassembled datagram may hold.
const MAX_DATAGRAM: usize = 65_507;
/// Hosts the client has sent to, whose answers are passed back: at most this many.
const MAX_PEERS: usize = 1024;

/// Counts for the log line.
#[derive(Default)]
struct Counts {
    to_target: u64,
    to_client: u64,
    denied: u64,
    dropped: u64,
}

/// The address a datagram goes to: a hostname resolved (its first address), or `None`
/// when it does not resolve.
async fn resolve(to: UdpDestination<'_>) -> Option<(Option<String>, SocketAddr)> {
    match to {
        UdpDestination::Ip(addr) => Some((None, addr)),
        UdpDestination::Name { name, port } => {
            let addr = tokio::net::lookup_host((name, port)).await.ok()?.next()?;
            Some((Some(name.to_string()), addr))
        }
    }
}

/// Serves UDP ASSOCIATE.
pub(crate) async fn associate(
    mut client: TcpStream,
    request: &SocksRequest<'_>,
    shared: &Shared,
    rec: &mut Record,
) {
    let config = &shared.config;
    let (peer, local) = match (client.peer_addr(), client.local_addr()) {
        (Ok(p), Ok(l)) => (p, l),
        _ => return,
    };
    let relay = match UdpSocket::bind(SocketAddr::new(local.ip(), 0)).await {
        Ok(s) => s,
        Err(e) => {
            let code = ReplyCode::GENERAL_FAILURE;
            send_reply(&mut client, request, code, None, config, rec).await;
            rec.outcome
                .push_str(&format!(": cannot bind a UDP socket: {e}"));
            return;
        }
    };
    let Ok(bound) = relay.local_addr() else {
        return;
    };
    let at = SocksAddr::Ip(bound.ip());
    if !send_reply(
        &mut client,
        request,
        ReplyCode::SUCCEEDED,
        Some((&at, bound.port())),
        config,
        rec,
    )
    .await
    {
        return;
    }
    // Which datagrams are the client's, and its fragments: the library's sans-IO relay.
    let mut udp = Box::new(UdpRelay::<MAX_DATAGRAM>::new(peer.ip(), request.port()));
    let mut peers: HashSet<SocketAddr> = HashSet::new();
    let mut counts = Counts::default();
    let mut buf = vec![0u8; 65_536];
    let mut tcp_byte = [0u8; 1];
    let idle = config
        .idle_timeout
        .unwrap_or(std::time::Duration::from_secs(u64::from(u32::MAX)));
    let end = loop {
        let received = tokio::select! {
            r = client.read(&mut tcp_byte) => match r {
                Ok(0) => break "the client closed the TCP connection".to_string(),
                Ok(_) => continue,
                Err(e) => break format!("TCP connection failed: {e}"),
            },
            r = relay.recv_from(&mut buf) => r,
            () = tokio::time::sleep(idle) => break "idle timeout".to_string(),
        };
        let Ok((n, from)) = received else { continue };
        let datagram = buf.get(..n).unwrap_or_default();
        match udp.datagram(from, datagram, peers.contains(&from)) {
            UdpRelayAction::Forward { to, payload } => {
                let Some((name, to)) = resolve(to).await else {
                    counts.dropped += 1;
                    continue;
                };
                let query = AccessQuery {
                    client: Some(peer.ip()),
                    command: Command::UDP_ASSOCIATE,
                    name: name.as_deref(),
                    ip: Some(to.ip()),
                    port: to.port(),
                };
                if shared.access.check(&query).is_err() {
                    counts.denied += 1;
                    continue;
                }
                if relay.send_to(payload, to).await.is_ok() {
                    counts.to_target += 1;
                    rec.up += payload.len() as u64;
                    if peers.len() < MAX_PEERS {
                        peers.insert(to);
                    }
                }
            }
            UdpRelayAction::Return { client: c, header } => {
                let Ok(head) = header.to_bytes() else {
                    continue;
                };
                let mut out = Vec::with_capacity(head.len() + n);
                out.extend_from_slice(&head);
                out.extend_from_slice(datagram);
                if relay.send_to(&out, c).await.is_ok() {
                    counts.to_client += 1;
                    rec.down += n as u64;
                }
            }
            UdpRelayAction::Held => {}
            UdpRelayAction::Dropped(_) => counts.dropped += 1,
        }
    };
    rec.outcome.push_str(&format!(
        ", relay {bound}: {} datagrams out, {} back, {} denied by the access policy, {} dropped; {end}",
        counts.to_target, counts.to_client, counts.denied, counts.dropped
    ));
}
