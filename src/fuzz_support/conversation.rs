//! The structure-aware dissector body: whole SOCKS conversations generated with `arbitrary`
//! (greeting, authentication, request, replies, payload, both directions), cut into arbitrary
//! segments and interleavings, with gaps and corrupted bytes, so that mutation reaches the
//! states behind a valid handshake that raw bytes seldom do.

use std::vec::Vec;

use arbitrary::Arbitrary;

use super::dissector::{Op, idx, run_checked};
use crate::dissect::{Direction, DissectOptions, Dissector, EventKind, Phase};

/// An address of a request or reply.
#[derive(Arbitrary, Clone, Debug)]
pub enum GenAddr {
    Ipv4([u8; 4]),
    /// A domain of 1 to 64 bytes (the generator trims and pads).
    Domain(Vec<u8>),
    Ipv6([u8; 16]),
}

/// How a SOCKS5 client authenticates.
#[derive(Arbitrary, Clone, Debug)]
pub enum GenAuth {
    NoAuth,
    UserPass {
        user: Vec<u8>,
        pass: Vec<u8>,
    },
    /// GSS-API messages (RFC 1961): the client's tokens, each answered by one of the proxy's.
    Gssapi {
        tokens: Vec<(Vec<u8>, Vec<u8>)>,
    },
}

/// What the client asks for.
#[derive(Arbitrary, Clone, Debug)]
pub enum GenCommand {
    Connect,
    Bind,
    UdpAssociate,
    Resolve,
    ResolvePtr,
}

/// The handshake of one conversation, well formed and granted unless `refuse` says otherwise.
#[derive(Arbitrary, Clone, Debug)]
pub enum GenHandshake {
    Socks4 {
        command: GenCommand,
        port: u16,
        ip: [u8; 4],
        userid: Vec<u8>,
        /// SOCKS4a: the hostname (the IP becomes 0.0.0.x).
        hostname: Option<Vec<u8>>,
        bound: [u8; 4],
    },
    Socks5 {
        /// Methods offered besides the one used.
        other_methods: Vec<u8>,
        auth: GenAuth,
        command: GenCommand,
        target: GenAddr,
        port: u16,
        bound: GenAddr,
        bound_port: u16,
    },
}

/// One way to damage the conversation.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum GenDamage {
    /// Overwrite a byte (position taken modulo the stream's length).
    Byte { server: bool, at: u16, value: u8 },
    /// Report the next chunk's bytes as missing instead of feeding them.
    Gap,
    /// The proxy refuses (a failure status where it decides).
    Refuse(u8),
}

/// One feeding step: a direction and a chunk length (0: the rest of that direction).
#[derive(Arbitrary, Clone, Copy, Debug)]
pub struct GenChunk {
    pub server: bool,
    pub len: u8,
}

/// A whole generated conversation.
#[derive(Arbitrary, Clone, Debug)]
pub struct GenConversation {
    pub handshake: GenHandshake,
    pub client_payload: Vec<u8>,
    pub server_payload: Vec<u8>,
    pub damage: Vec<GenDamage>,
    pub chunks: Vec<GenChunk>,
    /// After the chunks: the proxy's remaining bytes are fed (and finished) first.
    pub server_first: bool,
    pub reveal_passwords: bool,
}

fn command_byte(c: &GenCommand) -> u8 {
    match c {
        GenCommand::Connect => 1,
        GenCommand::Bind => 2,
        GenCommand::UdpAssociate => 3,
        GenCommand::Resolve => 0xF0,
        GenCommand::ResolvePtr => 0xF1,
    }
}

fn clamp(bytes: &[u8], min: usize, max: usize, fill: u8) -> Vec<u8> {
    let mut v: Vec<u8> = bytes.iter().copied().take(max).collect();
    v.resize(v.len().max(min), fill);
    v
}

fn push_addr(out: &mut Vec<u8>, addr: &GenAddr, port: u16) {
    match addr {
        GenAddr::Ipv4(ip) => {
            out.push(1);
            out.extend_from_slice(ip);
        }
        GenAddr::Domain(name) => {
            let name = clamp(name, 1, 64, b'a');
            out.push(3);
            out.push(name.len() as u8);
            out.extend_from_slice(&name);
        }
        GenAddr::Ipv6(ip) => {
            out.push(4);
            out.extend_from_slice(ip);
        }
    }
    out.extend_from_slice(&port.to_be_bytes());
}

/// The two streams of a conversation, and where each one's payload starts if the handshake
/// is granted (`None` where the proxy refused).
#[derive(Debug, Default)]
pub struct Streams {
    pub client: Vec<u8>,
    pub server: Vec<u8>,
    /// Client messages, then server messages, in order, as the dissector should name them.
    pub kinds: [Vec<&'static str>; 2],
    pub payload_at: [Option<usize>; 2],
}

impl GenConversation {
    /// The failure status the damage asks for, if any.
    fn refusal(&self) -> Option<u8> {
        self.damage.iter().find_map(|d| match d {
            GenDamage::Refuse(s) => Some(*s),
            _ => None,
        })
    }

    /// Encodes the conversation.
    pub fn streams(&self) -> Streams {
        let mut s = Streams::default();
        let refuse = self.refusal();
        let mut granted = true;
        match &self.handshake {
            GenHandshake::Socks4 {
                command,
                port,
                ip,
                userid,
                hostname,
                bound,
            } => {
                let c = &mut s.client;
                c.extend_from_slice(&[4, command_byte(command)]);
                c.extend_from_slice(&port.to_be_bytes());
                let userid: Vec<u8> = userid
                    .iter()
                    .copied()
                    .filter(|&b| b != 0)
                    .take(64)
                    .collect();
                match hostname {
                    Some(h) => {
                        c.extend_from_slice(&[0, 0, 0, ip[3].max(1)]);
                        c.extend_from_slice(&userid);
                        c.push(0);
                        let h: Vec<u8> = h.iter().copied().filter(|&b| b != 0).take(64).collect();
                        c.extend_from_slice(&clamp(&h, 1, 64, b'a'));
                        c.push(0);
                    }
                    None => {
                        // 0.0.0.x (x != 0) is SOCKS4a's marker: a plain SOCKS4 IP avoids it.
                        let ip = if ip[..3] == [0, 0, 0] && ip[3] != 0 {
                            [10, 0, 0, ip[3]]
                        } else {
                            *ip
                        };
                        c.extend_from_slice(&ip);
                        c.extend_from_slice(&userid);
                        c.push(0);
                    }
                }
                s.kinds[0].push("Socks4Request");
                // SOCKS4 status: 0x5A granted; a refusal maps to 0x5B..=0x5D.
                let status = refuse.map_or(0x5A, |r| 0x5B + r % 3);
                granted = status == 0x5A;
                let reply = |s: &mut Streams, kind| {
                    s.server.extend_from_slice(&[0, status]);
                    s.server.extend_from_slice(&port.to_be_bytes());
                    s.server.extend_from_slice(bound);
                    s.kinds[1].push(kind);
                };
                reply(&mut s, "Socks4Reply");
                if granted && matches!(command, GenCommand::Bind) {
                    reply(&mut s, "Socks4BindSecondReply");
                }
            }
            GenHandshake::Socks5 {
                other_methods,
                auth,
                command,
                target,
                port,
                bound,
                bound_port,
            } => {
                let method = match auth {
                    GenAuth::NoAuth => 0,
                    GenAuth::Gssapi { .. } => 1,
                    GenAuth::UserPass { .. } => 2,
                };
                let mut methods: Vec<u8> = other_methods.iter().copied().take(8).collect();
                methods.push(method);
                s.client.extend_from_slice(&[5, methods.len() as u8]);
                s.client.extend_from_slice(&methods);
                s.kinds[0].push("Greeting");
                s.server.extend_from_slice(&[5, method]);
                s.kinds[1].push("MethodChoice");
                match auth {
                    GenAuth::NoAuth => {}
                    GenAuth::UserPass { user, pass } => {
                        let user = clamp(user, 0, 64, 0);
                        let pass = clamp(pass, 0, 64, 0);
                        s.client.extend_from_slice(&[1, user.len() as u8]);
                        s.client.extend_from_slice(&user);
                        s.client.push(pass.len() as u8);
                        s.client.extend_from_slice(&pass);
                        s.kinds[0].push("UserPassRequest");
                        let status = refuse.map_or(0, |r| r.max(1));
                        s.server.extend_from_slice(&[1, status]);
                        s.kinds[1].push("UserPassReply");
                        granted = status == 0;
                    }
                    GenAuth::Gssapi { tokens } => {
                        for (c, p) in tokens.iter().take(4) {
                            let [client_kinds, server_kinds] = &mut s.kinds;
                            for (out, kinds, token) in [
                                (&mut s.client, client_kinds, c),
                                (&mut s.server, server_kinds, p),
                            ] {
                                let token = clamp(token, 0, 64, 0);
                                out.extend_from_slice(&[1, 1]);
                                out.extend_from_slice(&(token.len() as u16).to_be_bytes());
                                out.extend_from_slice(&token);
                                kinds.push("Gssapi");
                            }
                        }
                    }
                }
                if granted {
                    s.client.extend_from_slice(&[5, command_byte(command), 0]);
                    push_addr(&mut s.client, target, *port);
                    s.kinds[0].push("Socks5Request");
                    let rep = refuse.map_or(0, |r| r.max(1));
                    granted = rep == 0;
                    let reply = |s: &mut Streams, kind| {
                        s.server.extend_from_slice(&[5, rep, 0]);
                        push_addr(&mut s.server, bound, *bound_port);
                        s.kinds[1].push(kind);
                    };
                    reply(&mut s, "Socks5Reply");
                    if granted && matches!(command, GenCommand::Bind) {
                        reply(&mut s, "BindSecondReply");
                    }
                }
            }
        }
        if granted {
            s.payload_at = [Some(s.client.len()), Some(s.server.len())];
            s.client.extend_from_slice(&self.client_payload);
            s.server.extend_from_slice(&self.server_payload);
        }
        s
    }
}

fn kind_name(kind: &EventKind<'_>) -> Option<&'static str> {
    Some(match kind {
        EventKind::Socks4Request(_) => "Socks4Request",
        EventKind::Socks4Reply(_) => "Socks4Reply",
        EventKind::Socks4BindSecondReply(_) => "Socks4BindSecondReply",
        EventKind::Greeting(_) => "Greeting",
        EventKind::MethodChoice(_) => "MethodChoice",
        EventKind::UserPassRequest { .. } => "UserPassRequest",
        EventKind::UserPassReply(_) => "UserPassReply",
        EventKind::Gssapi(_) => "Gssapi",
        EventKind::Socks5Request(_) => "Socks5Request",
        EventKind::Socks5Reply(_) => "Socks5Reply",
        EventKind::BindSecondReply(_) => "BindSecondReply",
        _ => return None,
    })
}

/// Fuzz body for the dissector on generated conversations ([`GenConversation`]). Every
/// `Checker` (in `dissector.rs`) check, and when nothing was damaged (no corrupted byte, no
/// gap): each direction yields exactly the messages that were encoded, in order, whatever the
/// segmentation and interleaving; a granted handshake puts both directions in `Tunnel` with
/// payload starting exactly where it was put; a refused one leaves the proxy's `Refused`.
pub fn dissect_conversation(data: &[u8]) -> Option<usize> {
    let conv = GenConversation::arbitrary(&mut arbitrary::Unstructured::new(data)).ok()?;
    let mut s = conv.streams();
    let mut clean = true;
    for d in &conv.damage {
        if let GenDamage::Byte { server, at, value } = *d {
            let stream = if server { &mut s.server } else { &mut s.client };
            if let Some(len) = core::num::NonZeroUsize::new(stream.len()) {
                let b = &mut stream[usize::from(at) % len.get()];
                clean &= *b == value;
                *b = value;
            }
        }
    }
    let mut gaps = conv
        .damage
        .iter()
        .filter(|d| matches!(d, GenDamage::Gap))
        .count();
    let streams = [&s.client[..], &s.server[..]];
    let mut fed = [0usize; 2];
    let mut ops = Vec::new();
    for chunk in &conv.chunks {
        let i = usize::from(chunk.server);
        let left = streams[i].len() - fed[i];
        let n = if chunk.len == 0 {
            left
        } else {
            usize::from(chunk.len).min(left)
        };
        if n == 0 {
            continue;
        }
        let bytes = &streams[i][fed[i]..fed[i] + n];
        fed[i] += n;
        let dir = [Direction::ClientToServer, Direction::ServerToClient][i];
        if gaps > 0 {
            gaps -= 1;
            clean = false;
            ops.push(Op::Gap(dir, n as u64));
        } else {
            ops.push(Op::Bytes(dir, bytes));
        }
    }
    let order = if conv.server_first { [1, 0] } else { [0, 1] };
    for i in order {
        if fed[i] < streams[i].len() {
            let dir = [Direction::ClientToServer, Direction::ServerToClient][i];
            ops.push(Op::Bytes(dir, &streams[i][fed[i]..]));
        }
    }
    let options = DissectOptions {
        reveal_passwords: conv.reveal_passwords,
        ..DissectOptions::default()
    };
    let mut d = Dissector::with_storage([0; 2048], [0; 2048], options);
    // The kinds of message events per direction, recorded by replaying the ops once more on
    // a twin (the checker consumes the events of the first run).
    let mut twin = d.clone();
    let c = run_checked(&mut d, &ops, conv.server_first);
    if !clean {
        return Some(c.events);
    }
    let mut seen: [Vec<&'static str>; 2] = [Vec::new(), Vec::new()];
    for op in &ops {
        let Op::Bytes(dir, bytes) = *op else {
            continue;
        };
        let mut ev = twin.feed(dir, bytes);
        while let Some(e) = ev.next() {
            if let Some(name) = kind_name(&e.kind) {
                seen[idx(e.dir)].push(name);
            }
        }
    }
    assert_eq!(
        seen, s.kinds,
        "the messages of a clean conversation, per direction"
    );
    for (i, dir) in [Direction::ClientToServer, Direction::ServerToClient]
        .into_iter()
        .enumerate()
    {
        match s.payload_at[i] {
            Some(at) => {
                assert_eq!(d.phase(dir), Phase::Tunnel, "{dir:?}");
                assert_eq!(d.payload_offset(dir), Some(at as u64), "{dir:?}");
            }
            // Refused: both directions say so, the client's too.
            None => {
                assert_eq!(d.phase(dir), Phase::Refused, "{dir:?}");
            }
        }
    }
    Some(c.events)
}
