//! What the dissector reports: [`Event`]s, borrowing from the bytes fed to it.

use core::fmt;

use crate::wire::{
    Addr, Command, GssapiMessage, HostPort, Socks4Reply, Socks4Request, Socks5Greeting,
    Socks5MethodChoice, Socks5Reply, Socks5Request, UserPassReply, WireError,
};

/// Which way bytes travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Direction {
    /// From the client to the proxy.
    ClientToServer,
    /// From the proxy to the client.
    ServerToClient,
}

impl Direction {
    /// The other direction.
    #[must_use]
    pub const fn reverse(self) -> Direction {
        match self {
            Direction::ClientToServer => Direction::ServerToClient,
            Direction::ServerToClient => Direction::ClientToServer,
        }
    }

    /// `"c2s"` or `"s2c"`.
    #[must_use]
    pub const fn short(self) -> &'static str {
        match self {
            Direction::ClientToServer => "c2s",
            Direction::ServerToClient => "s2c",
        }
    }
}

/// One thing seen in a conversation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event<'a> {
    /// The direction of the bytes it describes.
    pub dir: Direction,
    /// The byte offset in that direction's stream where it starts.
    pub offset: u64,
    /// What it is.
    pub kind: EventKind<'a>,
}

/// The kinds of [`Event`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EventKind<'a> {
    /// A SOCKS4 or SOCKS4a request.
    Socks4Request(Socks4Request<'a>),
    /// A SOCKS4 reply.
    Socks4Reply(Socks4Reply),
    /// A SOCKS5 method-selection greeting.
    Greeting(Socks5Greeting<'a>),
    /// A SOCKS5 method choice.
    MethodChoice(Socks5MethodChoice),
    /// An RFC 1929 username/password request; the password is `None` unless the dissector
    /// was asked to reveal passwords.
    UserPassRequest {
        /// The username.
        username: &'a [u8],
        /// The password, if revealed.
        password: Option<&'a [u8]>,
        /// The password's length.
        password_len: usize,
    },
    /// An RFC 1929 status reply.
    UserPassReply(UserPassReply),
    /// An RFC 1961 GSS-API sub-negotiation frame.
    Gssapi(GssapiMessage<'a>),
    /// A SOCKS5 request.
    Socks5Request(Socks5Request<'a>),
    /// A SOCKS5 reply (the first, or the only one).
    Socks5Reply(Socks5Reply<'a>),
    /// BIND's second reply: the host that connected.
    BindSecondReply(Socks5Reply<'a>),
    /// SOCKS4 BIND's second reply: the host that connected.
    Socks4BindSecondReply(Socks4Reply),
    /// Tunnelled payload starts here in this direction.
    PayloadStart,
    /// Something worth a second look.
    Anomaly(Anomaly),
    /// The direction ended; `payload` bytes were tunnelled in it.
    End {
        /// Tunnelled bytes seen.
        payload: u64,
    },
}

/// Findings and policy lints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Anomaly {
    /// A SOCKS4 (not 4a) request, or a SOCKS5 CONNECT to a raw IP: the client resolved the
    /// name itself, a possible DNS leak (Tor's SafeSocks warning).
    DnsLeakRisk,
    /// The client sent payload before the proxy's reply (optimistic data).
    OptimisticData,
    /// Username and password crossed the wire in clear.
    CleartextCredentials,
    /// The client offered username/password but the proxy chose no authentication.
    NoAuthDespiteUserPass,
    /// A reserved byte is not zero.
    NonZeroReserved(u8),
    /// A hostname longer than 255 bytes (SOCKS4a).
    LongHostname(usize),
    /// A hostname that is not UTF-8.
    NonUtf8Hostname,
    /// A SOCKS4 request after a SOCKS5 greeting.
    VersionSwitch,
    /// The bytes are not SOCKS (the first byte of the stream).
    NotSocks(u8),
    /// A message could not be parsed; the direction is no longer decoded.
    Malformed(WireError),
    /// A message is larger than the dissector's buffer; the direction is no longer decoded.
    TooLong,
    /// Bytes are missing from the capture inside the handshake; the direction then looks for
    /// the next message it recognises ([`find_message`](crate::dissect::find_message)) and
    /// reports what it skipped with [`Anomaly::Skipped`].
    Gap(u64),
    /// Bytes skipped while looking for a message to resume at (after a gap inside the
    /// handshake, or at the start of a capture that joined the connection late,
    /// [`DissectOptions::mid_stream`](crate::dissect::DissectOptions::mid_stream)). Reported
    /// where the skipped bytes start, before the message found, or at the end of the direction
    /// (or after [`RESYNC_LIMIT`](crate::dissect::RESYNC_LIMIT) bytes) when none was.
    Skipped(u64),
    /// The stream ended inside a message.
    Truncated,
    /// Bytes after the proxy refused or failed the handshake.
    DataAfterFailure,
    /// A reply with an address type no RFC defines: C Tor answers a failed RESOLVE or
    /// RESOLVE_PTR with `ATYP` 0 and four zero bytes. It is decoded all the same.
    NonStandardAddressType(u8),
}

impl fmt::Display for Anomaly {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Anomaly::DnsLeakRisk => f.write_str("raw IP target (possible DNS leak)"),
            Anomaly::OptimisticData => f.write_str("payload before the proxy's reply"),
            Anomaly::CleartextCredentials => f.write_str("credentials in clear"),
            Anomaly::NoAuthDespiteUserPass => {
                f.write_str("no authentication chosen although username/password was offered")
            }
            Anomaly::NonZeroReserved(b) => write!(f, "reserved byte {b:#04x}"),
            Anomaly::LongHostname(n) => write!(f, "hostname of {n} bytes"),
            Anomaly::NonUtf8Hostname => f.write_str("hostname not UTF-8"),
            Anomaly::VersionSwitch => f.write_str("SOCKS4 request after a SOCKS5 greeting"),
            Anomaly::NotSocks(b) => write!(f, "not SOCKS (first byte {b:#04x})"),
            Anomaly::Malformed(e) => write!(f, "malformed: {e}"),
            Anomaly::TooLong => f.write_str("message larger than the dissector's buffer"),
            Anomaly::Gap(n) => write!(f, "{n} bytes missing from the capture"),
            Anomaly::Skipped(n) => write!(f, "{n} bytes skipped to resynchronise"),
            Anomaly::Truncated => f.write_str("stream ended inside a message"),
            Anomaly::DataAfterFailure => f.write_str("data after a failed handshake"),
            Anomaly::NonStandardAddressType(t) => {
                write!(f, "non-standard address type {t:#04x}")?;
                if *t == 0 {
                    f.write_str(" (C Tor's failure reply)")?;
                }
                Ok(())
            }
        }
    }
}

fn text(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    crate::wire::addr::fmt_bytes(f, bytes)
}

impl fmt::Display for EventKind<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventKind::Socks4Request(r) => {
                let v = if r.is_socks4a() { "SOCKS4a" } else { "SOCKS4" };
                write!(f, "{v} request {} {} user-id \"", r.command, r.target())?;
                text(f, r.userid)?;
                f.write_str("\"")
            }
            EventKind::Socks4Reply(r) => {
                write!(f, "SOCKS4 reply {} {}:{}", r.status, r.ip, r.port)
            }
            EventKind::Socks4BindSecondReply(r) => {
                write!(
                    f,
                    "SOCKS4 BIND second reply {} remote {}:{}",
                    r.status, r.ip, r.port
                )
            }
            EventKind::Greeting(g) => {
                f.write_str("SOCKS5 greeting, methods")?;
                for m in g.methods() {
                    write!(f, " {m}")?;
                }
                Ok(())
            }
            EventKind::MethodChoice(c) => write!(f, "SOCKS5 method choice {}", c.method),
            EventKind::UserPassRequest {
                username,
                password,
                password_len,
            } => {
                f.write_str("username/password request, username \"")?;
                text(f, username)?;
                match password {
                    Some(p) => {
                        f.write_str("\", password \"")?;
                        text(f, p)?;
                        f.write_str("\"")
                    }
                    None => write!(f, "\", password <{password_len} bytes>"),
                }
            }
            EventKind::UserPassReply(r) => write!(f, "username/password reply {}", r.status),
            EventKind::Gssapi(m) => {
                write!(
                    f,
                    "GSS-API {} ({} token bytes)",
                    m.message_type,
                    m.token.len()
                )
            }
            EventKind::Socks5Request(r) => {
                write!(f, "SOCKS5 request {} {}", r.command, r.target())
            }
            EventKind::Socks5Reply(r) => write!(f, "SOCKS5 reply {} bound {}", r.reply, r.bound()),
            EventKind::BindSecondReply(r) => {
                write!(
                    f,
                    "SOCKS5 BIND second reply {} remote {}",
                    r.reply,
                    r.bound()
                )
            }
            EventKind::PayloadStart => f.write_str("tunnelled payload starts"),
            EventKind::Anomaly(a) => write!(f, "anomaly: {a}"),
            EventKind::End { payload } => write!(f, "end, {payload} payload bytes"),
        }
    }
}

/// A summary of a conversation, filled in as events pass (what Zeek's `socks.log` keeps).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary<'a> {
    /// 4 or 5, once known.
    pub version: Option<u8>,
    /// The command.
    pub command: Option<Command>,
    /// The requested target.
    pub request: Option<HostPort<'a>>,
    /// The username or SOCKS4 user-id.
    pub user: Option<&'a [u8]>,
    /// The reply status byte (SOCKS4 CD or SOCKS5 REP), or the RFC 1929 status on failure.
    pub status: Option<u8>,
    /// The bound address of the (first) reply.
    pub bound: Option<HostPort<'a>>,
}

impl<'a> Summary<'a> {
    /// Folds an event into the summary.
    pub fn update(&mut self, event: &Event<'a>) {
        match event.kind {
            EventKind::Socks4Request(r) => {
                self.version = Some(4);
                self.command = Some(r.command);
                self.request = Some(r.target());
                self.user = (!r.userid.is_empty()).then_some(r.userid);
            }
            EventKind::Socks4Reply(r) => {
                self.status = Some(r.status.0);
                self.bound = Some(HostPort {
                    addr: Addr::Ipv4(r.ip),
                    port: r.port,
                });
            }
            EventKind::Greeting(_) => self.version = Some(5),
            EventKind::UserPassRequest { username, .. } => self.user = Some(username),
            EventKind::UserPassReply(r) if !r.status.is_success() => self.status = Some(r.status.0),
            EventKind::Socks5Request(r) => {
                self.version = Some(5);
                self.command = Some(r.command);
                self.request = Some(r.target());
            }
            EventKind::Socks5Reply(r) => {
                self.status = Some(r.reply.0);
                self.bound = Some(r.bound());
            }
            _ => {}
        }
    }
}
