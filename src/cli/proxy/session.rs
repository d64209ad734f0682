//! One client connection: accept, handshake on the crate's tokio adapter, dispatch on the
//! command, one log line at the end.

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::time::Duration;

use sockswire::io::Error as IoError;
use sockswire::{
    AccessQuery, Command, ReplyCode, SocksAddr, SocksAuth, SocksProxyHandshake, SocksRequest,
    SocksVersion, tor_special_name,
};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::time::Instant;

use crate::args::hex;
use crate::proxy::connect::connect;
use crate::proxy::limits::Full;
use crate::proxy::lookup::{serve_resolve, serve_resolve_ptr};
pub(crate) use crate::proxy::record::Record;
use crate::proxy::{SHUTTING_DOWN, Shared};

pub(crate) async fn accept_loop(listener: TcpListener, shared: &'static Shared) {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(c) => c,
            Err(e) => {
                // Out of file descriptors and the like: wait for connections to close.
                if !matches!(
                    e.kind(),
                    std::io::ErrorKind::ConnectionAborted | std::io::ErrorKind::Interrupted
                ) {
                    log!("sockswire proxy: accept: {e}");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                continue;
            }
        };
        if SHUTTING_DOWN.load(Ordering::SeqCst) {
            drop(stream);
            continue;
        }
        let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
        tokio::spawn(admit(stream, peer, id, shared));
    }
}

/// Serves a client if the caps allow, else refuses it cleanly and says why.
async fn admit(stream: TcpStream, peer: SocketAddr, id: u64, shared: &'static Shared) {
    let config = &shared.config;
    let admitted = match shared.slots.client(peer.ip()) {
        None => Err(Full::Client),
        Some(client_slot) => {
            match shared
                .slots
                .acquire(config.queue_timeout, config.quiet)
                .await
            {
                Ok(slot) => Ok((client_slot, slot)),
                Err(full) => Err(full),
            }
        }
    };
    match admitted {
        Ok(slots) => {
            let _slots = slots;
            connection(stream, peer, id, shared).await;
        }
        Err(full) => {
            let how = shared.slots.refuse(stream).await;
            if !config.quiet {
                let why = match full {
                    Full::Proxy => "connections open (--max-conns)",
                    Full::Client => "connections from this address (--max-per-client)",
                };
                let max = match full {
                    Full::Proxy => config.max_conns,
                    Full::Client => config.max_per_client,
                };
                log!("#{id} {peer} -> refused: {max} {why}; {how}");
            }
        }
    }
}

async fn connection(client: TcpStream, peer: SocketAddr, id: u64, shared: &'static Shared) {
    let start = Instant::now();
    let mut rec = Record::default();
    serve(client, peer, id, shared, &mut rec).await;
    if !shared.config.quiet {
        log!(
            "{}",
            rec.close_line(id, peer, start.elapsed(), shared.config.log_json)
        );
    }
}

/// The log text of a failed handshake, and the version its failure reply shows.
fn handshake_failure(e: &IoError) -> (Option<&'static str>, String) {
    match e {
        IoError::Refused { error, reply, sent } => {
            let shown = if reply.len() > 16 {
                format!("a {}-byte page", reply.len())
            } else {
                hex(reply)
            };
            let version = match reply.first() {
                Some(0) => Some("socks4"),
                Some(1 | 5) => Some("socks5"),
                _ => None,
            };
            let sent = if *sent { "sent" } else { "could not send" };
            (
                version,
                format!("handshake failed: {error}; {sent} {shown}"),
            )
        }
        IoError::Deadline { waiting } => (
            None,
            format!("handshake failed: handshake timed out ({waiting})"),
        ),
        IoError::Handshake(error) => (None, format!("handshake failed: {error}")),
        other => (None, format!("handshake failed: {other}")),
    }
}

async fn serve(
    mut client: TcpStream,
    peer: SocketAddr,
    id: u64,
    shared: &'static Shared,
    rec: &mut Record,
) {
    let config = &shared.config;
    let _ = client.set_nodelay(true);
    let deadline = Instant::now() + config.handshake_timeout;
    let mut policy = config.policy();
    policy.access = Some(shared.access);
    let mut handshake = SocksProxyHandshake::with_policy(policy);
    handshake.set_client(peer.ip());
    let accepted = match sockswire::io::tokio::accept(&mut client, handshake, Some(deadline)).await
    {
        Ok(a) => a,
        Err(e) => {
            let (version, text) = handshake_failure(&e);
            if let Some(v) = version {
                rec.request = v.into();
                rec.version = Some(v.into());
            }
            rec.outcome = text;
            return;
        }
    };
    let request = accepted.request();
    let early = accepted.leftover();
    describe(&request, rec);
    if !config.quiet {
        log!("{}", rec.open_line(id, peer, config.log_json));
    }
    if let SocksAddr::Hostname(h) = request.addr() {
        if let Some(special) = tor_special_name(h.as_str()) {
            // Never to the resolver: answered here, at once.
            let code = special.reply_code();
            send_reply(&mut client, &request, code, None, config, rec).await;
            rec.outcome
                .push_str(&format!(" (Tor special name {special}: never resolved)"));
            return;
        }
    }
    match request.command() {
        Command::CONNECT => {
            let query = AccessQuery::from_request(Some(peer.ip()), &request);
            connect(client, &request, early, (shared, query), rec).await;
        }
        Command::RESOLVE => serve_resolve(&mut client, &request, config, rec).await,
        Command::RESOLVE_PTR => serve_resolve_ptr(&mut client, &request, config, rec).await,
        _ => {
            // BIND and UDP ASSOCIATE pass the rfc1928 handshake but are not implemented.
            let code = ReplyCode::COMMAND_NOT_SUPPORTED;
            send_reply(&mut client, &request, code, None, config, rec).await;
            rec.outcome.push_str(" (not implemented)");
        }
    }
}

fn describe(r: &SocksRequest<'_>, rec: &mut Record) {
    let version = if r.is_socks4a() {
        "socks4a".to_string()
    } else {
        r.version().to_string()
    };
    let mut s = format!("{version} {} {}", r.command(), r.target());
    let user = match r.auth() {
        SocksAuth::Socks4(id) => {
            let id = String::from_utf8_lossy(id).into_owned();
            s.push_str(&format!(" user-id={id:?}"));
            Some(id)
        }
        SocksAuth::Username(u, _) => {
            let u = String::from_utf8_lossy(u).into_owned();
            s.push_str(&format!(" user={u:?}"));
            Some(u)
        }
        _ => None,
    };
    rec.request = s;
    rec.version = Some(version);
    rec.user = user;
    rec.command = Some(r.command().to_string());
    rec.target = Some(r.target().to_string());
}

/// Writes the reply (within the handshake timeout) and records it as the outcome.
pub(crate) async fn send_reply(
    client: &mut TcpStream,
    request: &SocksRequest<'_>,
    status: ReplyCode,
    bound: Option<(&SocksAddr<'_>, u16)>,
    config: &crate::proxy::config::Config,
    rec: &mut Record,
) -> bool {
    let reply = match bound {
        Some((addr, port)) => request.reply_with_port(status, Some(addr), port),
        None => request.reply(status, None),
    };
    let reply = match reply {
        Ok(r) => r,
        Err(e) => {
            rec.outcome = format!("{status}: cannot encode the reply: {e}");
            return false;
        }
    };
    let shown = match request.version() {
        SocksVersion::V4 if status == ReplyCode::SUCCEEDED => "5A GRANTED".to_string(),
        SocksVersion::V4 => format!("5B REJECTED ({status})"),
        _ => status.to_string(),
    };
    let written = tokio::time::timeout(config.handshake_timeout, client.write_all(&reply)).await;
    match written {
        Ok(Ok(())) => {
            rec.reply = Some(shown.clone());
            rec.outcome = shown;
            true
        }
        Ok(Err(e)) => {
            rec.outcome = format!("{shown}, not delivered: {e}");
            false
        }
        Err(_) => {
            rec.outcome = format!("{shown}, not delivered: timed out");
            false
        }
    }
}
