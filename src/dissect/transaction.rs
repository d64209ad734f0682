//! Transactions (feature `alloc`): one record per SOCKS request with its reply or replies,
//! folded from the events of one conversation.

use alloc::vec::Vec;

use crate::dissect::{Anomaly, Direction, Event, EventKind, OwnedHostPort};
use crate::wire::{Command, GssapiMessageType, Method, ReplyCode, Socks4Status};

/// One reply of a [`Transaction`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TransactionReply {
    /// The status byte: SOCKS4 `CD` or SOCKS5 `REP`.
    pub status: u8,
    /// The bound address (the first reply) or the host that connected (BIND's second).
    pub bound: OwnedHostPort,
    /// Where it starts in the server's stream.
    pub offset: u64,
}

/// How authentication went (SOCKS5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthOutcome {
    /// No sub-negotiation: the method needs none, or it was not seen.
    NotNeeded,
    /// The proxy accepted the credentials (RFC 1929 status 0) or the GSS-API exchange went on.
    Accepted,
    /// The proxy refused them, with the RFC 1929 status or after a GSS-API abort (0xFF).
    Refused(u8),
    /// The proxy accepted none of the offered methods (`05 FF`).
    NoAcceptableMethod,
}

/// One SOCKS request with what came of it: what Zeek's `socks.log` keeps per row, with the
/// offsets. Built by [`Transactions`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Transaction {
    /// 4 or 5, once known.
    pub version: Option<u8>,
    /// The SOCKS5 methods the client offered.
    pub methods: Vec<Method>,
    /// The SOCKS5 method the proxy chose.
    pub method: Option<Method>,
    /// How authentication went, once known.
    pub auth: Option<AuthOutcome>,
    /// The RFC 1929 username or SOCKS4 user-id.
    pub user: Option<Vec<u8>>,
    /// The RFC 1929 password, if the dissector was asked to reveal it.
    pub password: Option<Vec<u8>>,
    /// The command.
    pub command: Option<Command>,
    /// The requested target. A SOCKS4a request keeps its hostname here; `socks4a_ip` has
    /// the `0.0.0.x` address it came with.
    pub target: Option<OwnedHostPort>,
    /// A SOCKS4a request's `0.0.0.x` marker address (Zeek logs it as `request.host`).
    pub socks4a_ip: Option<core::net::Ipv4Addr>,
    /// Where the request starts in the client's stream.
    pub request_offset: Option<u64>,
    /// The reply, and for BIND the second reply.
    pub replies: Vec<TransactionReply>,
    /// Where the first SOCKS message of either direction starts (0 unless the capture
    /// started mid-stream), per direction: client, server.
    pub first_offsets: [Option<u64>; 2],
    /// The anomalies reported while it was open, with direction and offset.
    pub anomalies: Vec<(Direction, u64, Anomaly)>,
    /// Whether the exchange ended as SOCKS says it ends (the final reply, or a refusal);
    /// `false` for one handed out by [`Transactions::finish`] before that.
    pub complete: bool,
}

impl Transaction {
    /// The status of the final reply, or of the refused authentication.
    #[must_use]
    pub fn status(&self) -> Option<u8> {
        match (self.replies.last(), self.auth) {
            (Some(r), _) => Some(r.status),
            (None, Some(AuthOutcome::Refused(s))) => Some(s),
            _ => None,
        }
    }

    /// Whether the proxy granted the request (every reply a success).
    #[must_use]
    pub fn succeeded(&self) -> bool {
        !self.replies.is_empty()
            && self.replies.iter().all(|r| match self.version {
                Some(4) => r.status == Socks4Status::GRANTED.0,
                _ => r.status == ReplyCode::SUCCEEDED.0,
            })
    }
}

/// Folds a conversation's events into [`Transaction`]s: feed it every event with
/// [`Transactions::update`], which hands out each transaction when it completes; call
/// [`Transactions::finish`] at the end for one still open.
///
/// ```
/// use sockswire::dissect::{Direction, Dissector, Transactions};
///
/// let mut d = Dissector::new();
/// let mut t = Transactions::new();
/// let mut done = Vec::new();
/// for (dir, bytes) in [
///     (Direction::ClientToServer, &b"\x04\x01\x00\x50\x00\x00\x00\x01\x00example.com\x00"[..]),
///     (Direction::ServerToClient, b"\x00\x5a\x00\x00\x00\x00\x00\x00"),
/// ] {
///     d.feed(dir, bytes).for_each(|e| done.extend(t.update(&e)));
/// }
/// assert_eq!(done.len(), 1);
/// assert_eq!(done[0].target.as_ref().unwrap().to_string(), "example.com:80");
/// assert!(done[0].complete && done[0].succeeded());
/// ```
#[derive(Clone, Debug, Default)]
pub struct Transactions {
    open: Option<Transaction>,
    /// The request was BIND: a second reply closes it.
    bind: bool,
}

impl Transactions {
    /// No transaction open.
    #[must_use]
    pub fn new() -> Self {
        Transactions::default()
    }

    fn open(&mut self) -> &mut Transaction {
        self.open.get_or_insert_with(Transaction::default)
    }

    /// Folds one event in; returns the transaction it completes, if any.
    pub fn update(&mut self, e: &Event<'_>) -> Option<Transaction> {
        let i = usize::from(e.dir == Direction::ServerToClient);
        if !matches!(
            e.kind,
            EventKind::PayloadStart | EventKind::End { .. } | EventKind::Anomaly(_)
        ) {
            let t = self.open();
            if let Some(first) = t.first_offsets.get_mut(i) {
                first.get_or_insert(e.offset);
            }
        }
        match e.kind {
            EventKind::Greeting(g) => {
                let t = self.open();
                t.version = Some(5);
                t.methods = g.methods().collect();
            }
            EventKind::MethodChoice(c) => {
                let t = self.open();
                t.method = Some(c.method);
                if c.method == Method::NO_ACCEPTABLE {
                    t.auth = Some(AuthOutcome::NoAcceptableMethod);
                    return self.close();
                }
                if c.method == Method::NO_AUTH {
                    t.auth = Some(AuthOutcome::NotNeeded);
                }
            }
            EventKind::UserPassRequest {
                username, password, ..
            } => {
                let t = self.open();
                t.user = Some(username.to_vec());
                t.password = password.map(<[u8]>::to_vec);
            }
            EventKind::UserPassReply(r) => {
                let t = self.open();
                if r.status.is_success() {
                    t.auth = Some(AuthOutcome::Accepted);
                } else {
                    t.auth = Some(AuthOutcome::Refused(r.status.0));
                    return self.close();
                }
            }
            EventKind::Gssapi(m) if e.dir == Direction::ServerToClient => {
                let t = self.open();
                if m.message_type == GssapiMessageType::ABORT {
                    t.auth = Some(AuthOutcome::Refused(0xFF));
                    return self.close();
                }
                t.auth = Some(AuthOutcome::Accepted);
            }
            EventKind::Socks4Request(r) => {
                let t = self.open();
                t.version = Some(4);
                t.command = Some(r.command);
                t.target = Some(r.target().into());
                t.socks4a_ip = r.hostname.map(|_| r.ip);
                t.user = (!r.userid.is_empty()).then(|| r.userid.to_vec());
                t.request_offset = Some(e.offset);
                self.bind = r.command == Command::BIND;
            }
            EventKind::Socks5Request(r) => {
                let t = self.open();
                t.version = Some(5);
                t.command = Some(r.command);
                t.target = Some(r.target().into());
                t.request_offset = Some(e.offset);
                self.bind = r.command == Command::BIND;
            }
            EventKind::Socks4Reply(r) | EventKind::Socks4BindSecondReply(r) => {
                let bind = self.bind;
                let t = self.open();
                t.version.get_or_insert(4);
                t.replies.push(TransactionReply {
                    status: r.status.0,
                    bound: crate::wire::HostPort {
                        addr: crate::wire::Addr::Ipv4(r.ip),
                        port: r.port,
                    }
                    .into(),
                    offset: e.offset,
                });
                if !bind || r.status != Socks4Status::GRANTED || t.replies.len() > 1 {
                    return self.close();
                }
            }
            EventKind::Socks5Reply(r) | EventKind::BindSecondReply(r) => {
                let bind = self.bind;
                let t = self.open();
                t.version.get_or_insert(5);
                t.replies.push(TransactionReply {
                    status: r.reply.0,
                    bound: r.bound().into(),
                    offset: e.offset,
                });
                if !bind || r.reply != ReplyCode::SUCCEEDED || t.replies.len() > 1 {
                    return self.close();
                }
            }
            EventKind::Anomaly(a) => {
                if let Some(t) = self.open.as_mut() {
                    t.anomalies.push((e.dir, e.offset, a));
                }
            }
            _ => {}
        }
        None
    }

    fn close(&mut self) -> Option<Transaction> {
        self.bind = false;
        let mut t = self.open.take()?;
        t.complete = true;
        Some(t)
    }

    /// At the end of the conversation: the transaction still open, incomplete.
    pub fn finish(&mut self) -> Option<Transaction> {
        self.bind = false;
        self.open.take()
    }
}
