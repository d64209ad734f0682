//! Owned forms of what the dissector reports (feature `alloc`): events and summaries kept
//! past the next [`Dissector::feed`](crate::dissect::Dissector::feed).

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;
use core::net::IpAddr;

use nom::Parser;

use crate::Storage;
use crate::dissect::decode::CAPTURE_LIMITS;
use crate::dissect::{Anomaly, Direction, Event, EventKind, Events, Summary};
use crate::wire::{
    Addr, Command, Encode, HostPort, gssapi_message, parse_socks5_greeting, parse_socks5_reply,
    parse_socks5_request, socks4_request,
};

/// An [`Event`] that owns its bytes: [`OwnedEvent::event`] lends the borrowed form back.
///
/// A message is kept as its wire bytes (every view re-encodes to exactly the bytes it was
/// parsed from) and parsed again on each call to `event`; an unrevealed password is not kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedEvent {
    /// The direction of the bytes it describes.
    pub dir: Direction,
    /// The byte offset in that direction's stream where it starts.
    pub offset: u64,
    kind: Stored,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Stored {
    /// Kinds that borrow nothing.
    Plain(EventKind<'static>),
    Socks4Request(Box<[u8]>),
    Greeting(Box<[u8]>),
    Gssapi(Box<[u8]>),
    Socks5Request(Box<[u8]>),
    Socks5Reply(Box<[u8]>),
    BindSecondReply(Box<[u8]>),
    UserPass {
        username: Box<[u8]>,
        password: Option<Box<[u8]>>,
        password_len: usize,
    },
}

fn bytes(v: &impl Encode) -> Box<[u8]> {
    let mut out = vec![0; v.encoded_len()];
    let n = v.encode(&mut out).unwrap_or(0);
    out.truncate(n);
    out.into_boxed_slice()
}

impl Event<'_> {
    /// This event, owning its bytes.
    #[must_use]
    pub fn into_owned(self) -> OwnedEvent {
        let kind = match self.kind {
            EventKind::Socks4Request(r) => Stored::Socks4Request(bytes(&r)),
            EventKind::Greeting(g) => Stored::Greeting(bytes(&g)),
            EventKind::Gssapi(m) => Stored::Gssapi(bytes(&m)),
            EventKind::Socks5Request(r) => Stored::Socks5Request(bytes(&r)),
            EventKind::Socks5Reply(r) => Stored::Socks5Reply(bytes(&r)),
            EventKind::BindSecondReply(r) => Stored::BindSecondReply(bytes(&r)),
            EventKind::UserPassRequest {
                username,
                password,
                password_len,
            } => Stored::UserPass {
                username: username.into(),
                password: password.map(Into::into),
                password_len,
            },
            EventKind::Socks4Reply(r) => Stored::Plain(EventKind::Socks4Reply(r)),
            EventKind::Socks4BindSecondReply(r) => {
                Stored::Plain(EventKind::Socks4BindSecondReply(r))
            }
            EventKind::MethodChoice(c) => Stored::Plain(EventKind::MethodChoice(c)),
            EventKind::UserPassReply(r) => Stored::Plain(EventKind::UserPassReply(r)),
            EventKind::PayloadStart => Stored::Plain(EventKind::PayloadStart),
            EventKind::Anomaly(a) => Stored::Plain(EventKind::Anomaly(a)),
            EventKind::End { payload } => Stored::Plain(EventKind::End { payload }),
        };
        OwnedEvent {
            dir: self.dir,
            offset: self.offset,
            kind,
        }
    }
}

impl OwnedEvent {
    /// The event, borrowing from this one.
    #[must_use]
    pub fn event(&self) -> Event<'_> {
        Event {
            dir: self.dir,
            offset: self.offset,
            kind: self.kind(),
        }
    }

    /// What it is, borrowing from this event.
    ///
    /// The bytes were encoded from a view the same parser accepted, so parsing them again
    /// gives that view back; should it ever not, the kind says so rather than panic.
    #[must_use]
    pub fn kind(&self) -> EventKind<'_> {
        // The bytes were encoded from a view the same parser accepted: parsing them again
        // gives that view back. Should it ever not, the event says so rather than panic.
        match &self.kind {
            Stored::Plain(k) => *k,
            Stored::Socks4Request(b) => again(
                socks4_request(CAPTURE_LIMITS)
                    .parse(b)
                    .map(|(_, r)| EventKind::Socks4Request(r)),
            ),
            Stored::Greeting(b) => {
                again(parse_socks5_greeting(b).map(|(_, g)| EventKind::Greeting(g)))
            }
            Stored::Gssapi(b) => again(
                gssapi_message(CAPTURE_LIMITS)
                    .parse(b)
                    .map(|(_, m)| EventKind::Gssapi(m)),
            ),
            Stored::Socks5Request(b) => {
                again(parse_socks5_request(b).map(|(_, r)| EventKind::Socks5Request(r)))
            }
            Stored::Socks5Reply(b) => {
                again(parse_socks5_reply(b).map(|(_, r)| EventKind::Socks5Reply(r)))
            }
            Stored::BindSecondReply(b) => {
                again(parse_socks5_reply(b).map(|(_, r)| EventKind::BindSecondReply(r)))
            }
            Stored::UserPass {
                username,
                password,
                password_len,
            } => EventKind::UserPassRequest {
                username,
                password: password.as_deref(),
                password_len: *password_len,
            },
        }
    }
}

impl From<Event<'_>> for OwnedEvent {
    fn from(e: Event<'_>) -> Self {
        e.into_owned()
    }
}

/// The events of one feed, owned, as an [`Iterator`]: what `for e in dissector.feed(..)`
/// walks (feature `alloc`). Without `alloc`, call [`Events::next`] or [`Events::for_each`].
#[derive(Debug)]
pub struct OwnedEvents<'d, 'a, S: Storage> {
    events: Events<'d, 'a, S>,
}

impl<S: Storage> Iterator for OwnedEvents<'_, '_, S> {
    type Item = OwnedEvent;

    fn next(&mut self) -> Option<OwnedEvent> {
        self.events.next().map(Event::into_owned)
    }
}

impl<'d, 'a, S: Storage> IntoIterator for Events<'d, 'a, S> {
    type Item = OwnedEvent;
    type IntoIter = OwnedEvents<'d, 'a, S>;

    fn into_iter(self) -> Self::IntoIter {
        OwnedEvents { events: self }
    }
}

/// A host as a summary keeps it: an IP address, a name, or C Tor's `ATYP` 0 bytes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum OwnedHost {
    /// An IPv4 or IPv6 address.
    Ip(IpAddr),
    /// A hostname, as sent (not necessarily UTF-8).
    Name(Vec<u8>),
    /// `ATYP` 0 with its four bytes (C Tor's failure reply).
    Unspecified([u8; 4]),
}

/// A host and port, owned.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct OwnedHostPort {
    /// The host.
    pub host: OwnedHost,
    /// The port.
    pub port: u16,
}

impl From<HostPort<'_>> for OwnedHostPort {
    fn from(hp: HostPort<'_>) -> Self {
        let host = match hp.addr {
            Addr::Ipv4(ip) => OwnedHost::Ip(IpAddr::V4(ip)),
            Addr::Ipv6(ip) => OwnedHost::Ip(IpAddr::V6(ip)),
            Addr::Domain(name) => OwnedHost::Name(name.to_vec()),
            Addr::Unspecified(raw) => OwnedHost::Unspecified(raw),
        };
        OwnedHostPort {
            host,
            port: hp.port,
        }
    }
}

impl OwnedHostPort {
    /// The borrowed form.
    #[must_use]
    pub fn as_host_port(&self) -> HostPort<'_> {
        let addr = match &self.host {
            OwnedHost::Ip(IpAddr::V4(ip)) => Addr::Ipv4(*ip),
            OwnedHost::Ip(IpAddr::V6(ip)) => Addr::Ipv6(*ip),
            OwnedHost::Name(name) => Addr::Domain(name),
            OwnedHost::Unspecified(raw) => Addr::Unspecified(*raw),
        };
        HostPort {
            addr,
            port: self.port,
        }
    }
}

impl core::fmt::Display for OwnedHostPort {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.as_host_port().fmt(f)
    }
}

/// A [`Summary`] that owns its bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct OwnedSummary {
    /// 4 or 5, once known.
    pub version: Option<u8>,
    /// The command.
    pub command: Option<Command>,
    /// The requested target.
    pub request: Option<OwnedHostPort>,
    /// The username or SOCKS4 user-id.
    pub user: Option<Vec<u8>>,
    /// The reply status byte (SOCKS4 CD or SOCKS5 REP), or the RFC 1929 status on failure.
    pub status: Option<u8>,
    /// The bound address of the (first) reply.
    pub bound: Option<OwnedHostPort>,
}

impl Summary<'_> {
    /// This summary, owning its bytes.
    #[must_use]
    pub fn into_owned(self) -> OwnedSummary {
        OwnedSummary {
            version: self.version,
            command: self.command,
            request: self.request.map(Into::into),
            user: self.user.map(<[u8]>::to_vec),
            status: self.status,
            bound: self.bound.map(Into::into),
        }
    }
}

impl OwnedSummary {
    /// Folds an event into the summary (as [`Summary::update`] does).
    pub fn update(&mut self, event: &Event<'_>) {
        let mut s = Summary::default();
        s.update(event);
        let new = s.into_owned();
        self.version = new.version.or(self.version);
        self.command = new.command.or(self.command);
        self.request = new.request.or(self.request.take());
        self.user = new.user.or(self.user.take());
        self.status = new.status.or(self.status);
        self.bound = new.bound.or(self.bound.take());
    }
}

fn again(r: Result<EventKind<'_>, nom::Err<crate::WireError>>) -> EventKind<'_> {
    r.unwrap_or_else(|e| match e {
        nom::Err::Error(e) | nom::Err::Failure(e) => EventKind::Anomaly(Anomaly::Malformed(e)),
        nom::Err::Incomplete(_) => EventKind::Anomaly(Anomaly::Truncated),
    })
}
