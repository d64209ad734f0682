//! Decoding one handshake message of a direction, in two steps: [`frame`] says whether a
//! whole message is there and how long it is, changing nothing; [`interpret`] then builds its
//! view from exactly those bytes and updates what the conversation knows, once.

use arrayvec::ArrayVec;
use nom::Parser;

use crate::dissect::{Anomaly, Direction, DissectOptions, EventKind};
use crate::wire::{
    Addr, Command, GssapiMessageType, Limits, Method, MethodSet, ReplyCode, Socks4Status,
    WireError, gssapi_message, parse_socks4_reply, parse_socks5_greeting,
    parse_socks5_method_choice, parse_socks5_reply, parse_socks5_request, parse_userpass_reply,
    parse_userpass_request, socks4_request,
};

/// What a direction expects next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Expect {
    ClientFirst,
    ClientAfterGreeting,
    ServerFirst,
    ServerAuthReply,
    ServerGssapi,
    ServerReply,
    ServerBindSecond,
    /// SOCKS4 BIND's second reply (the host that connected).
    ServerBindSecond4,
    /// The direction lost its place (joined late, or a gap): looking for a message to resume
    /// at.
    Resync,
    /// The handshake is over: payload.
    Payload,
    /// The proxy refused: anything more is an anomaly.
    AfterFailure,
    /// Not decoded any more.
    Stopped,
}

/// What one side learned that the other needs.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Conv {
    pub(crate) version: Option<u8>,
    pub(crate) methods: MethodSet,
    pub(crate) chosen: Option<Method>,
    pub(crate) command: Option<Command>,
    pub(crate) replied: bool,
    pub(crate) failed: bool,
    /// The client does not speak SOCKS: neither direction is decoded.
    pub(crate) not_socks: bool,
    /// Bytes of the server's direction were fed (in an earlier call than the current one).
    pub(crate) server_fed: bool,
}

/// Anomalies raised while interpreting a message, reported after its event.
pub(crate) type Queue = ArrayVec<(Direction, u64, Anomaly), 4>;

/// A SOCKS4 hostname may be long in a capture; report it rather than fail.
pub(crate) const CAPTURE_LIMITS: Limits = Limits {
    socks4_userid: 4096,
    socks4_hostname: 4096,
    socks4_message: 8192,
    gssapi_token: u16::MAX as usize,
};

/// Which message comes next, from what the direction expects and what the conversation
/// knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Message {
    Socks4Request,
    Greeting,
    Gssapi,
    UserPassRequest,
    Socks5Request,
    Socks4Reply,
    MethodChoice,
    UserPassReply,
    Socks5Reply,
}

/// The next message of a direction: `Ok(None)` while it must wait (for the other direction,
/// or for bytes), an anomaly when the bytes cannot be SOCKS.
pub(crate) fn next_message(
    expect: Expect,
    peer_live: bool,
    conv: &Conv,
    first: u8,
) -> Result<Option<Message>, Anomaly> {
    Ok(Some(match expect {
        Expect::ClientFirst | Expect::ClientAfterGreeting if first == 4 => Message::Socks4Request,
        Expect::ClientFirst if first == 5 => Message::Greeting,
        Expect::ClientFirst => return Err(Anomaly::NotSocks(first)),
        Expect::ClientAfterGreeting if first == 1 => {
            let gssapi = match conv.chosen {
                Some(m) => m == Method::GSSAPI,
                // Both offered and the choice not seen yet: wait for it.
                None if conv
                    .methods
                    .contains(MethodSet::GSSAPI | MethodSet::USERNAME_PASSWORD) =>
                {
                    return Ok(None);
                }
                None => conv.methods.contains(MethodSet::GSSAPI),
            };
            if gssapi {
                Message::Gssapi
            } else {
                Message::UserPassRequest
            }
        }
        Expect::ClientAfterGreeting => Message::Socks5Request,
        // What the proxy says means nothing until the client has spoken.
        Expect::ServerFirst if conv.version.is_none() && peer_live => return Ok(None),
        Expect::ServerFirst
            if conv.version == Some(4) || (conv.version.is_none() && first != 5) =>
        {
            Message::Socks4Reply
        }
        Expect::ServerFirst => Message::MethodChoice,
        Expect::ServerAuthReply => Message::UserPassReply,
        Expect::ServerGssapi if first == 1 => Message::Gssapi,
        // After GSS-API as after no-auth: the reply's meaning needs the request.
        Expect::ServerGssapi if conv.command.is_none() && peer_live => return Ok(None),
        // The reply's meaning (BIND's second reply follows?) needs the request: wait for it
        // while the client's direction is still being decoded.
        Expect::ServerReply if conv.command.is_none() && peer_live => return Ok(None),
        Expect::ServerGssapi | Expect::ServerReply | Expect::ServerBindSecond => {
            Message::Socks5Reply
        }
        Expect::ServerBindSecond4 => Message::Socks4Reply,
        Expect::Resync | Expect::Payload | Expect::AfterFailure | Expect::Stopped => {
            return Ok(None);
        }
    }))
}

/// Maps a wire result: the consumed length, "need more" (`Ok(None)`), or an anomaly.
fn length<V>(r: nom::IResult<&[u8], V, WireError>, data: &[u8]) -> Result<Option<usize>, Anomaly> {
    match r {
        Ok((rest, _)) => Ok(Some(data.len() - rest.len())),
        Err(nom::Err::Incomplete(_)) => Ok(None),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(Anomaly::Malformed(e)),
    }
}

/// Whether a whole `message` starts `data`, and its length. Nothing is kept of the parse but
/// the length (the views are a few slices over `data`; nothing is copied).
pub(crate) fn frame(message: Message, data: &[u8]) -> Result<Option<usize>, Anomaly> {
    match message {
        Message::Socks4Request => length(socks4_request(CAPTURE_LIMITS).parse(data), data),
        Message::Greeting => length(parse_socks5_greeting(data), data),
        Message::Gssapi => length(gssapi_message(CAPTURE_LIMITS).parse(data), data),
        Message::UserPassRequest => length(parse_userpass_request(data), data),
        Message::Socks5Request => length(parse_socks5_request(data), data),
        Message::Socks4Reply => length(parse_socks4_reply(data), data),
        Message::MethodChoice => length(parse_socks5_method_choice(data), data),
        Message::UserPassReply => length(parse_userpass_reply(data), data),
        Message::Socks5Reply => length(parse_socks5_reply(data), data),
    }
}

/// A message's event and what the direction expects after it.
pub(crate) struct Decoded<'b> {
    pub(crate) kind: EventKind<'b>,
    pub(crate) next: Expect,
}

/// The view of a message [`frame`] found whole, `data` being exactly its bytes.
fn view<V>(r: nom::IResult<&[u8], V, WireError>) -> Result<V, Anomaly> {
    match r {
        Ok((_, v)) => Ok(v),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(Anomaly::Malformed(e)),
        Err(nom::Err::Incomplete(_)) => Err(Anomaly::Truncated),
    }
}

/// Builds the event of a framed `message` and updates what the conversation knows; findings
/// go to `queue`, at `offset` in direction `dir`.
#[allow(
    clippy::too_many_arguments,
    reason = "the decoder's whole context, passed once"
)]
pub(crate) fn interpret<'b>(
    message: Message,
    expect: Expect,
    conv: &mut Conv,
    options: &DissectOptions,
    data: &'b [u8],
    queue: &mut Queue,
    dir: Direction,
    offset: u64,
) -> Result<Decoded<'b>, Anomaly> {
    let mut note = |a: Anomaly| {
        let _ = queue.try_push((dir, offset, a));
    };
    let (kind, next) = match message {
        Message::Socks4Request => {
            let r = view(socks4_request(CAPTURE_LIMITS).parse(data))?;
            if expect == Expect::ClientAfterGreeting {
                note(Anomaly::VersionSwitch);
            }
            conv.version = Some(4);
            conv.command = Some(r.command);
            match r.hostname {
                Some(h) if h.len() > 255 => note(Anomaly::LongHostname(h.len())),
                Some(h) if core::str::from_utf8(h).is_err() => note(Anomaly::NonUtf8Hostname),
                Some(_) => {}
                None => note(Anomaly::DnsLeakRisk),
            }
            (EventKind::Socks4Request(r), Expect::Payload)
        }
        Message::Greeting => {
            let g = view(parse_socks5_greeting(data))?;
            conv.version = Some(5);
            conv.methods = g.method_set();
            (EventKind::Greeting(g), Expect::ClientAfterGreeting)
        }
        Message::Gssapi => {
            let m = view(gssapi_message(CAPTURE_LIMITS).parse(data))?;
            let next = match dir {
                Direction::ClientToServer => Expect::ClientAfterGreeting,
                _ if m.message_type == GssapiMessageType::ABORT => {
                    conv.failed = true;
                    Expect::AfterFailure
                }
                _ => Expect::ServerGssapi,
            };
            (EventKind::Gssapi(m), next)
        }
        Message::UserPassRequest => {
            let r = view(parse_userpass_request(data))?;
            note(Anomaly::CleartextCredentials);
            let kind = EventKind::UserPassRequest {
                username: r.username,
                password: options.reveal_passwords.then_some(r.password),
                password_len: r.password.len(),
            };
            (kind, Expect::ClientAfterGreeting)
        }
        Message::Socks5Request => {
            let r = view(parse_socks5_request(data))?;
            conv.command = Some(r.command);
            if r.reserved != 0 {
                note(Anomaly::NonZeroReserved(r.reserved));
            }
            match r.addr {
                Addr::Ipv4(_) | Addr::Ipv6(_) if r.command == Command::CONNECT => {
                    note(Anomaly::DnsLeakRisk)
                }
                Addr::Domain(d) if core::str::from_utf8(d).is_err() => {
                    note(Anomaly::NonUtf8Hostname)
                }
                _ => {}
            }
            (EventKind::Socks5Request(r), Expect::Payload)
        }
        Message::Socks4Reply if expect == Expect::ServerBindSecond4 => {
            let r = view(parse_socks4_reply(data))?;
            // A refused incoming connection fails the request too (the phase stays Refused).
            conv.failed = r.status != Socks4Status::GRANTED;
            let next = if conv.failed {
                Expect::AfterFailure
            } else {
                Expect::Payload
            };
            (EventKind::Socks4BindSecondReply(r), next)
        }
        Message::Socks4Reply => {
            let r = view(parse_socks4_reply(data))?;
            conv.version = Some(4);
            conv.replied = true;
            conv.failed = r.status != Socks4Status::GRANTED;
            let next = match (conv.failed, conv.command) {
                (true, _) => Expect::AfterFailure,
                (false, Some(Command::BIND)) => Expect::ServerBindSecond4,
                (false, _) => Expect::Payload,
            };
            (EventKind::Socks4Reply(r), next)
        }
        Message::MethodChoice => {
            let c = view(parse_socks5_method_choice(data))?;
            conv.chosen = Some(c.method);
            if c.method == Method::NO_AUTH && conv.methods.contains(MethodSet::USERNAME_PASSWORD) {
                note(Anomaly::NoAuthDespiteUserPass);
            }
            let next = match c.method {
                Method::USERNAME_PASSWORD => Expect::ServerAuthReply,
                Method::GSSAPI => Expect::ServerGssapi,
                Method::NO_AUTH => Expect::ServerReply,
                _ => {
                    conv.failed = true;
                    Expect::AfterFailure
                }
            };
            (EventKind::MethodChoice(c), next)
        }
        Message::UserPassReply => {
            let r = view(parse_userpass_reply(data))?;
            conv.failed = !r.status.is_success();
            let next = if conv.failed {
                Expect::AfterFailure
            } else {
                Expect::ServerReply
            };
            (EventKind::UserPassReply(r), next)
        }
        Message::Socks5Reply => {
            let r = view(parse_socks5_reply(data))?;
            if r.reserved != 0 {
                note(Anomaly::NonZeroReserved(r.reserved));
            }
            if let Addr::Unspecified(_) = r.addr {
                note(Anomaly::NonStandardAddressType(r.addr.addr_type().0));
            }
            if expect == Expect::ServerBindSecond {
                // A refused incoming connection fails the request too (the phase stays
                // Refused).
                conv.failed = r.reply != ReplyCode::SUCCEEDED;
                let next = if conv.failed {
                    Expect::AfterFailure
                } else {
                    Expect::Payload
                };
                (EventKind::BindSecondReply(r), next)
            } else {
                conv.replied = true;
                conv.failed = r.reply != ReplyCode::SUCCEEDED;
                let next = match (conv.failed, conv.command) {
                    (true, _) => Expect::AfterFailure,
                    (false, Some(Command::BIND)) => Expect::ServerBindSecond,
                    (false, _) => Expect::Payload,
                };
                (EventKind::Socks5Reply(r), next)
            }
        }
    };
    Ok(Decoded { kind, next })
}
