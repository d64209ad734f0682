//! The conversation dissector: both directions of one captured SOCKS connection.

use arrayvec::ArrayVec;
use nom::Parser;

use crate::dissect::{Anomaly, Direction, Event, EventKind};
use crate::handshake::Storage;
use crate::wire::{
    Addr, Command, GssapiMessageType, Limits, Method, MethodSet, ReplyCode, Socks4Status,
    WireError, gssapi_message, parse_socks4_reply, parse_socks5_greeting,
    parse_socks5_method_choice, parse_socks5_reply, parse_socks5_request, parse_userpass_reply,
    parse_userpass_request, socks4_request,
};

/// The default per-direction reassembly buffer: any SOCKS4 request of up to 2 KiB, every
/// SOCKS5 message, GSS-API tokens of up to 2 KiB.
pub const DISSECT_BUF_LEN: usize = 2048;

/// How the dissector reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DissectOptions {
    /// Put RFC 1929 passwords in events (Zeek's `capture_password`). Off by default.
    pub reveal_passwords: bool,
}

/// What a direction expects next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    ClientFirst,
    ClientAfterGreeting,
    ServerFirst,
    ServerAuthReply,
    ServerGssapi,
    ServerReply,
    ServerBindSecond,
    /// SOCKS4 BIND's second reply (the host that connected).
    ServerBindSecond4,
    /// The handshake is over: payload.
    Payload,
    /// The proxy refused: anything more is an anomaly.
    AfterFailure,
    /// Not decoded any more.
    Stopped,
}

/// One direction's reassembly state.
#[derive(Clone, Debug)]
struct Side<S> {
    buf: S,
    /// Buffered bytes.
    len: usize,
    /// Buffered bytes at the front already reported (dropped on the next call, since the
    /// last event borrowed them).
    skip: usize,
    /// Stream offset of the first byte not yet decoded.
    offset: u64,
    expect: Expect,
    payload: u64,
    payload_started: bool,
    ended: bool,
    /// Bytes fed so far.
    fed: u64,
    /// Where the last segment fed starts in the stream, and its length.
    last_segment: (u64, usize),
    /// Where tunnelled payload starts in the stream, once known.
    payload_at: Option<u64>,
}

impl<S> Side<S> {
    /// Whether this direction still decodes handshake messages.
    fn decoding(&self) -> bool {
        !self.ended
            && !matches!(
                self.expect,
                Expect::Payload | Expect::AfterFailure | Expect::Stopped
            )
    }
}

/// What one side learned that the other needs.
#[derive(Clone, Copy, Debug, Default)]
struct Conv {
    version: Option<u8>,
    methods: MethodSet,
    chosen: Option<Method>,
    command: Option<Command>,
    replied: bool,
    failed: bool,
    /// The client does not speak SOCKS: neither direction is decoded.
    not_socks: bool,
    /// Bytes of the server's direction were fed (in an earlier call than the current one).
    server_fed: bool,
}

/// A passive decoder for both directions of one SOCKS conversation.
///
/// Feed each direction's bytes as they were captured, in any segmentation and interleaving,
/// with [`Dissector::feed`]; read the [`Event`]s it yields. Messages split across segments are
/// reassembled in a bounded per-direction buffer (caller storage, or [`DISSECT_BUF_LEN`] bytes
/// inline); messages wholly inside a segment are decoded in place, and payload is never
/// copied. Nothing allocates, and no input makes it panic.
///
/// # Ordering
///
/// Within a direction, bytes must be fed in stream order (report holes with
/// [`Dissector::gap`]). Across directions the dissector knows only the order of the calls:
/// decoding never depends on it (a reply fed before its request waits for it), but one finding
/// does, [`Anomaly::OptimisticData`](crate::dissect::Anomaly::OptimisticData), payload from the
/// client before the proxy's reply. It is reported only when the calls show it: the client's
/// payload starts in a call made after the server's direction was fed something (its method
/// choice, say) and before the reply. Feeding each direction whole, one after the other (two
/// files, two reassembled streams), therefore reports no ordering anomaly, and neither does a
/// capture where the client pipelines its payload before the proxy has sent a single byte:
/// the calls cannot tell those two apart.
///
/// ```
/// use sockswire::dissect::{Direction, Dissector, EventKind};
///
/// let mut d = Dissector::new();
/// let mut seen = Vec::new();
/// for (dir, bytes) in [
///     (Direction::ClientToServer, &b"\x05\x01\x00\x05\x01\x00\x03\x0bexam"[..]),
///     (Direction::ServerToClient, b"\x05\x00"),
///     (Direction::ClientToServer, b"ple.com\x01\xbbGET /"),
///     (Direction::ServerToClient, b"\x05\x00\x00\x01\x7f\x00\x00\x01\x04\x38"),
/// ] {
///     let mut events = d.feed(dir, bytes);
///     while let Some(e) = events.next() {
///         seen.push(format!("{} @{} {}", e.dir.short(), e.offset, e.kind));
///     }
/// }
/// assert_eq!(seen, [
///     "c2s @0 SOCKS5 greeting, methods NO_AUTH",
///     "s2c @0 SOCKS5 method choice NO_AUTH",
///     "c2s @3 SOCKS5 request CONNECT example.com:443",
///     "c2s @21 tunnelled payload starts",
///     "c2s @21 anomaly: payload before the proxy's reply",
///     "s2c @2 SOCKS5 reply SUCCEEDED bound 127.0.0.1:1080",
/// ]);
/// ```
#[derive(Clone, Debug)]
pub struct Dissector<S = [u8; DISSECT_BUF_LEN]> {
    options: DissectOptions,
    conv: Conv,
    client: Side<S>,
    server: Side<S>,
}

impl Dissector {
    /// A dissector with inline buffers and default options.
    #[must_use]
    pub fn new() -> Self {
        Dissector::with_storage(
            [0; DISSECT_BUF_LEN],
            [0; DISSECT_BUF_LEN],
            DissectOptions::default(),
        )
    }
}

impl Default for Dissector {
    fn default() -> Self {
        Dissector::new()
    }
}

/// One direction's side, borrowing only the two side fields.
fn side_of<'s, S>(
    client: &'s mut Side<S>,
    server: &'s mut Side<S>,
    dir: Direction,
) -> &'s mut Side<S> {
    match dir {
        Direction::ClientToServer => client,
        Direction::ServerToClient => server,
    }
}

/// One direction's side, shared.
fn side_ref<'s, S>(client: &'s Side<S>, server: &'s Side<S>, dir: Direction) -> &'s Side<S> {
    match dir {
        Direction::ClientToServer => client,
        Direction::ServerToClient => server,
    }
}

type Queue = ArrayVec<(Direction, u64, Anomaly), 4>;

impl<S: Storage> Dissector<S> {
    /// A dissector over the caller's buffers (their size bounds a reassembled message).
    pub fn with_storage(client: S, server: S, options: DissectOptions) -> Self {
        let side = |buf, expect| Side {
            buf,
            len: 0,
            skip: 0,
            offset: 0,
            expect,
            payload: 0,
            payload_started: false,
            ended: false,
            fed: 0,
            last_segment: (0, 0),
            payload_at: None,
        };
        Dissector {
            options,
            conv: Conv::default(),
            client: side(client, Expect::ClientFirst),
            server: side(server, Expect::ServerFirst),
        }
    }

    /// Decodes `bytes`, the next bytes captured in direction `dir`. Read the events before
    /// feeding more.
    pub fn feed<'d, 'a>(&'d mut self, dir: Direction, bytes: &'a [u8]) -> Events<'d, 'a, S> {
        let server_fed = self.conv.server_fed;
        if dir == Direction::ServerToClient && !bytes.is_empty() {
            self.conv.server_fed = true;
        }
        let side = side_of(&mut self.client, &mut self.server, dir);
        side.last_segment = (side.fed, bytes.len());
        side.fed += bytes.len() as u64;
        Events {
            d: self,
            dir,
            cur: dir,
            seg: bytes,
            pos: 0,
            queue: Queue::new(),
            finishing: false,
            tried_other: false,
            server_fed,
        }
    }

    /// Reports that `len` bytes are missing from the capture in direction `dir`. Inside the
    /// handshake that direction is no longer decoded; in payload the count just moves on.
    pub fn gap(&mut self, dir: Direction, len: u64) -> Option<Event<'static>> {
        let side = side_of(&mut self.client, &mut self.server, dir);
        side.offset += (side.len - side.skip) as u64 + len;
        side.len = 0;
        side.skip = 0;
        match side.expect {
            Expect::Payload => {
                side.payload += len;
                None
            }
            Expect::Stopped => None,
            _ => {
                side.expect = Expect::Stopped;
                Some(Event {
                    dir,
                    offset: side.offset - len,
                    kind: EventKind::Anomaly(Anomaly::Gap(len)),
                })
            }
        }
    }

    /// Ends direction `dir` (FIN or end of capture): a message left incomplete is reported
    /// as truncated, then [`EventKind::End`].
    pub fn finish(&mut self, dir: Direction) -> Events<'_, 'static, S> {
        let mut events = self.feed(dir, &[]);
        events.finishing = true;
        events
    }

    /// The SOCKS version, once known.
    #[must_use]
    pub fn version(&self) -> Option<u8> {
        self.conv.version
    }

    /// Where direction `dir` stands, after the events of the last call were read.
    #[must_use]
    pub fn phase(&self, dir: Direction) -> Phase {
        let side = side_ref(&self.client, &self.server, dir);
        match side.expect {
            Expect::Payload => Phase::Tunnel,
            Expect::AfterFailure => Phase::Refused,
            Expect::Stopped if self.conv.failed => Phase::Refused,
            Expect::Stopped => Phase::NotDecoded,
            _ => Phase::Handshake,
        }
    }

    /// Whether the handshake is over in direction `dir` and what follows is tunnelled payload.
    #[must_use]
    pub fn handshake_finished(&self, dir: Direction) -> bool {
        self.phase(dir) == Phase::Tunnel
    }

    /// The stream offset in direction `dir` where tunnelled payload starts, once the
    /// handshake is over in that direction.
    #[must_use]
    pub fn payload_offset(&self, dir: Direction) -> Option<u64> {
        side_ref(&self.client, &self.server, dir).payload_at
    }

    /// The index inside the segment last fed in direction `dir` where tunnelled payload
    /// starts, if it starts inside that segment: hand `&segment[index..]` to the next
    /// protocol's parser (Suricata's protocol change, Zeek's PIA). Read the events first.
    ///
    /// ```
    /// use sockswire::dissect::{Direction, Dissector, Phase};
    ///
    /// let mut d = Dissector::new();
    /// let seg = b"\x04\x01\x00\x50\x7f\x00\x00\x01\x00GET / HTTP/1.1\r\n";
    /// d.feed(Direction::ClientToServer, seg).for_each(|_| {});
    /// assert_eq!(d.phase(Direction::ClientToServer), Phase::Tunnel);
    /// assert_eq!(d.payload_index(Direction::ClientToServer), Some(9));
    /// assert_eq!(&seg[9..12], b"GET");
    /// ```
    #[must_use]
    pub fn payload_index(&self, dir: Direction) -> Option<usize> {
        let side = side_ref(&self.client, &self.server, dir);
        let (start, len) = side.last_segment;
        let index = usize::try_from(side.payload_at?.checked_sub(start)?).ok()?;
        (index < len).then_some(index)
    }
}

/// Where one direction of a conversation stands: [`Dissector::phase`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Phase {
    /// Handshake messages are still expected.
    Handshake,
    /// The handshake is over: the rest is tunnelled payload.
    Tunnel,
    /// The proxy refused or failed the request (or the authentication).
    Refused,
    /// Not decoded any more: not SOCKS, malformed, too long, or a gap in the handshake.
    NotDecoded,
}

/// The events from one [`Dissector::feed`] or [`Dissector::finish`]; call
/// [`Events::next`] until it returns `None`.
#[derive(Debug)]
pub struct Events<'d, 'a, S: Storage> {
    d: &'d mut Dissector<S>,
    /// The direction fed.
    dir: Direction,
    /// The direction being decoded: the fed one, or the other when a message buffered there
    /// can now be decoded (the client pipelined before the proxy chose a method).
    cur: Direction,
    seg: &'a [u8],
    pos: usize,
    queue: Queue,
    finishing: bool,
    tried_other: bool,
    /// The server's direction was fed before this call: the order of the two directions is
    /// known from here on (see "Ordering" on [`Dissector`]).
    server_fed: bool,
}

/// A decoded message with its length and what it means for the conversation.
struct Decoded<'b> {
    kind: EventKind<'b>,
    len: usize,
    next: Expect,
}

/// What a dry run of the decoder found.
enum Probe {
    Message,
    More,
    Bad(Anomaly),
}

impl<S: Storage> Events<'_, '_, S> {
    /// The next event, borrowing from the fed bytes or the reassembly buffer.
    #[allow(clippy::should_implement_trait, reason = "a lending iterator")]
    pub fn next(&mut self) -> Option<Event<'_>> {
        if !self.queue.is_empty() {
            let (dir, offset, a) = self.queue.remove(0);
            return Some(Event {
                dir,
                offset,
                kind: EventKind::Anomaly(a),
            });
        }
        let (dir, buffered, offset) = loop {
            // A message the other direction buffered may be decodable now (the client
            // pipelined before the proxy chose a method): try it first, once per own event.
            if self.cur == self.dir && !self.tried_other {
                let other = side_ref(&self.d.client, &self.d.server, self.dir.reverse());
                if other.len > other.skip && !other.ended {
                    self.tried_other = true;
                    self.cur = self.dir.reverse();
                }
            }
            let dir = self.cur;
            let own = dir == self.dir;
            let peer_live = side_ref(&self.d.client, &self.d.server, dir.reverse()).decoding();
            let side = side_of(&mut self.d.client, &mut self.d.server, dir);
            if side.skip > 0 {
                side.buf.as_mut().copy_within(side.skip..side.len, 0);
                side.len -= side.skip;
                side.skip = 0;
            }
            if self.d.conv.not_socks && side.decoding() {
                side.expect = Expect::Stopped;
            }
            if side.ended || (!own && !side.decoding() && side.len == 0) {
                if !own {
                    self.cur = self.dir;
                    continue;
                }
                return None;
            }
            let seg: &[u8] = if own {
                self.seg.get(self.pos..).unwrap_or_default()
            } else {
                &[]
            };
            match side.expect {
                Expect::Stopped => {
                    side.offset += (side.len + seg.len()) as u64;
                    side.len = 0;
                    if !own {
                        self.cur = self.dir;
                        continue;
                    }
                    self.pos = self.seg.len();
                    return end_event(side, dir, &mut self.finishing);
                }
                Expect::Payload | Expect::AfterFailure => {
                    let n = side.len + seg.len();
                    if own {
                        self.pos = self.seg.len();
                    }
                    side.len = 0;
                    if n == 0 {
                        if !own {
                            self.cur = self.dir;
                            continue;
                        }
                        return end_event(side, dir, &mut self.finishing);
                    }
                    let offset = side.offset;
                    side.offset += n as u64;
                    side.payload += n as u64;
                    if side.expect == Expect::AfterFailure {
                        side.expect = Expect::Stopped;
                        return Some(Event {
                            dir,
                            offset,
                            kind: EventKind::Anomaly(Anomaly::DataAfterFailure),
                        });
                    }
                    if side.payload_started {
                        if !own {
                            self.cur = self.dir;
                            continue;
                        }
                        return end_event(side, dir, &mut self.finishing);
                    }
                    side.payload_started = true;
                    if dir == Direction::ClientToServer && !self.d.conv.replied && self.server_fed {
                        self.queue.push((dir, offset, Anomaly::OptimisticData));
                    }
                    return Some(Event {
                        dir,
                        offset,
                        kind: EventKind::PayloadStart,
                    });
                }
                _ => {}
            }
            // A partial message is buffered: append what fits of the segment.
            if side.len > 0 && !seg.is_empty() {
                let take = (side.buf.as_ref().len() - side.len).min(seg.len());
                let start = side.len;
                if let (Some(dst), Some(src)) = (
                    side.buf.as_mut().get_mut(start..start + take),
                    seg.get(..take),
                ) {
                    dst.copy_from_slice(src);
                }
                side.len += take;
                self.pos += take;
            }
            let buffered = side.len > 0;
            let offset = side.offset;
            // A dry run first, on copies, so that only the decode that yields an event
            // borrows the data (the borrow checker cannot see that other paths drop it).
            let probe = {
                let data = if buffered {
                    side.buf.as_ref().get(..side.len).unwrap_or_default()
                } else {
                    seg
                };
                let (mut conv, mut queue) = (self.d.conv, Queue::new());
                if data.is_empty() {
                    Probe::More
                } else {
                    match decode(
                        side.expect,
                        peer_live,
                        &mut conv,
                        &self.d.options,
                        data,
                        &mut queue,
                        dir,
                        offset,
                    ) {
                        Ok(Some(_)) => Probe::Message,
                        Ok(None) => Probe::More,
                        Err(a) => Probe::Bad(a),
                    }
                }
            };
            match probe {
                Probe::Message => {
                    if own {
                        self.tried_other = false;
                    }
                    break (dir, buffered, offset);
                }
                Probe::Bad(anomaly) => {
                    if let Anomaly::NotSocks(_) = anomaly {
                        self.d.conv.not_socks = true;
                    }
                    let rest = if own { self.seg.len() - self.pos } else { 0 };
                    side.offset += (side.len + rest) as u64;
                    side.expect = Expect::Stopped;
                    side.len = 0;
                    if own {
                        self.pos = self.seg.len();
                    }
                    return Some(Event {
                        dir,
                        offset,
                        kind: EventKind::Anomaly(anomaly),
                    });
                }
                Probe::More => {}
            }
            // Keep a partial message from the segment (bounded).
            if !buffered && !seg.is_empty() {
                self.pos = self.seg.len();
                match side.buf.as_mut().get_mut(..seg.len()) {
                    Some(dst) => {
                        dst.copy_from_slice(seg);
                        side.len = seg.len();
                    }
                    None => {
                        side.offset += seg.len() as u64;
                        side.expect = Expect::Stopped;
                        return Some(Event {
                            dir,
                            offset,
                            kind: EventKind::Anomaly(Anomaly::TooLong),
                        });
                    }
                }
            } else if buffered
                && side.len == side.buf.as_ref().len()
                && own
                && self.pos < self.seg.len()
            {
                side.offset += (side.len + self.seg.len() - self.pos) as u64;
                side.expect = Expect::Stopped;
                side.len = 0;
                self.pos = self.seg.len();
                return Some(Event {
                    dir,
                    offset,
                    kind: EventKind::Anomaly(Anomaly::TooLong),
                });
            }
            if !own {
                self.cur = self.dir;
                continue;
            }
            if self.finishing {
                if side.len > 0 {
                    // The truncated message first; the end on the next call.
                    let at = side.offset;
                    side.offset += side.len as u64;
                    side.len = 0;
                    return Some(Event {
                        dir,
                        offset: at,
                        kind: EventKind::Anomaly(Anomaly::Truncated),
                    });
                }
                return end_event(side, dir, &mut self.finishing);
            }
            return None;
        };
        // Decode for real, with a fresh borrow that the event keeps.
        let options = self.d.options;
        let peer_live = side_ref(&self.d.client, &self.d.server, dir.reverse()).decoding();
        let side = side_of(&mut self.d.client, &mut self.d.server, dir);
        let data = if buffered {
            side.buf.as_ref().get(..side.len).unwrap_or_default()
        } else {
            self.seg.get(self.pos..).unwrap_or_default()
        };
        let Ok(Some(decoded)) = decode(
            side.expect,
            peer_live,
            &mut self.d.conv,
            &options,
            data,
            &mut self.queue,
            dir,
            offset,
        ) else {
            return None;
        };
        side.offset += decoded.len as u64;
        side.expect = decoded.next;
        if decoded.next == Expect::Payload {
            side.payload_at = Some(side.offset);
        }
        if buffered {
            // The event borrows the buffer: drop the bytes on the next call.
            side.skip = decoded.len;
        } else {
            self.pos += decoded.len;
        }
        Some(Event {
            dir,
            offset,
            kind: decoded.kind,
        })
    }
}

impl<S: Storage> Events<'_, '_, S> {
    /// Calls `f` with every event, in order (what a `for` loop does with feature `alloc`, on
    /// owned events).
    pub fn for_each(mut self, mut f: impl FnMut(Event<'_>)) {
        while let Some(e) = self.next() {
            f(e);
        }
    }
}

impl<S: Storage> Drop for Events<'_, '_, S> {
    /// Events not read are still decoded (and dropped), so the dissector never loses its
    /// place in the stream.
    fn drop(&mut self) {
        while self.next().is_some() {}
    }
}

/// The `End` event, when the direction is being finished.
fn end_event<S>(
    side: &mut Side<S>,
    dir: Direction,
    finishing: &mut bool,
) -> Option<Event<'static>> {
    if !*finishing {
        return None;
    }
    *finishing = false;
    side.ended = true;
    Some(Event {
        dir,
        offset: side.offset,
        kind: EventKind::End {
            payload: side.payload,
        },
    })
}

/// Maps a wire result: a value, "need more" (`Ok(None)`), or an anomaly.
fn wire<'b, V>(
    r: nom::IResult<&'b [u8], V, WireError>,
    data: &'b [u8],
) -> Result<Option<(V, usize)>, Anomaly> {
    match r {
        Ok((rest, v)) => Ok(Some((v, data.len() - rest.len()))),
        Err(nom::Err::Incomplete(_)) => Ok(None),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(Anomaly::Malformed(e)),
    }
}

/// A SOCKS4 hostname may be long in a capture; report it rather than fail.
pub(crate) const CAPTURE_LIMITS: Limits = Limits {
    socks4_userid: 4096,
    socks4_hostname: 4096,
    socks4_message: 8192,
    gssapi_token: u16::MAX as usize,
};

/// Decodes the next message of a direction, updating what the conversation knows.
#[allow(
    clippy::too_many_arguments,
    reason = "the decoder's whole context, passed once"
)]
fn decode<'b>(
    expect: Expect,
    peer_live: bool,
    conv: &mut Conv,
    options: &DissectOptions,
    data: &'b [u8],
    queue: &mut Queue,
    dir: Direction,
    offset: u64,
) -> Result<Option<Decoded<'b>>, Anomaly> {
    let mut note = |a: Anomaly| {
        let _ = queue.try_push((dir, offset, a));
    };
    let first = data.first().copied().unwrap_or_default();
    let decoded = match expect {
        Expect::ClientFirst | Expect::ClientAfterGreeting if first == 4 => {
            let Some((r, len)) = wire(socks4_request(CAPTURE_LIMITS).parse(data), data)? else {
                return Ok(None);
            };
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
            Decoded {
                kind: EventKind::Socks4Request(r),
                len,
                next: Expect::Payload,
            }
        }
        Expect::ClientFirst if first == 5 => {
            let Some((g, len)) = wire(parse_socks5_greeting(data), data)? else {
                return Ok(None);
            };
            conv.version = Some(5);
            conv.methods = g.method_set();
            Decoded {
                kind: EventKind::Greeting(g),
                len,
                next: Expect::ClientAfterGreeting,
            }
        }
        Expect::ClientFirst => return Err(Anomaly::NotSocks(first)),
        Expect::ClientAfterGreeting if first == 1 => {
            let gssapi = match conv.chosen {
                Some(m) => m == Method::GSSAPI,
                None if conv
                    .methods
                    .contains(MethodSet::GSSAPI | MethodSet::USERNAME_PASSWORD) =>
                {
                    // Both offered and the choice not seen yet: wait for it.
                    return Ok(None);
                }
                None => conv.methods.contains(MethodSet::GSSAPI),
            };
            if gssapi {
                let Some((m, len)) = wire(gssapi_message(CAPTURE_LIMITS).parse(data), data)? else {
                    return Ok(None);
                };
                Decoded {
                    kind: EventKind::Gssapi(m),
                    len,
                    next: Expect::ClientAfterGreeting,
                }
            } else {
                let Some((r, len)) = wire(parse_userpass_request(data), data)? else {
                    return Ok(None);
                };
                note(Anomaly::CleartextCredentials);
                let kind = EventKind::UserPassRequest {
                    username: r.username,
                    password: options.reveal_passwords.then_some(r.password),
                    password_len: r.password.len(),
                };
                Decoded {
                    kind,
                    len,
                    next: Expect::ClientAfterGreeting,
                }
            }
        }
        Expect::ClientAfterGreeting => {
            let Some((r, len)) = wire(parse_socks5_request(data), data)? else {
                return Ok(None);
            };
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
            Decoded {
                kind: EventKind::Socks5Request(r),
                len,
                next: Expect::Payload,
            }
        }
        // What the proxy says means nothing until the client has spoken.
        Expect::ServerFirst if conv.version.is_none() && peer_live => return Ok(None),
        Expect::ServerFirst
            if conv.version == Some(4) || (conv.version.is_none() && first != 5) =>
        {
            let Some((r, len)) = wire(parse_socks4_reply(data), data)? else {
                return Ok(None);
            };
            conv.version = Some(4);
            conv.replied = true;
            conv.failed = r.status != Socks4Status::GRANTED;
            let next = match (conv.failed, conv.command) {
                (true, _) => Expect::AfterFailure,
                (false, Some(Command::BIND)) => Expect::ServerBindSecond4,
                (false, _) => Expect::Payload,
            };
            Decoded {
                kind: EventKind::Socks4Reply(r),
                len,
                next,
            }
        }
        Expect::ServerBindSecond4 => {
            let Some((r, len)) = wire(parse_socks4_reply(data), data)? else {
                return Ok(None);
            };
            let next = if r.status == Socks4Status::GRANTED {
                Expect::Payload
            } else {
                Expect::AfterFailure
            };
            Decoded {
                kind: EventKind::Socks4BindSecondReply(r),
                len,
                next,
            }
        }
        Expect::ServerFirst => {
            let Some((c, len)) = wire(parse_socks5_method_choice(data), data)? else {
                return Ok(None);
            };
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
            Decoded {
                kind: EventKind::MethodChoice(c),
                len,
                next,
            }
        }
        Expect::ServerAuthReply => {
            let Some((r, len)) = wire(parse_userpass_reply(data), data)? else {
                return Ok(None);
            };
            conv.failed = !r.status.is_success();
            let next = if conv.failed {
                Expect::AfterFailure
            } else {
                Expect::ServerReply
            };
            Decoded {
                kind: EventKind::UserPassReply(r),
                len,
                next,
            }
        }
        Expect::ServerGssapi if first == 1 => {
            let Some((m, len)) = wire(gssapi_message(CAPTURE_LIMITS).parse(data), data)? else {
                return Ok(None);
            };
            let next = if m.message_type == GssapiMessageType::ABORT {
                conv.failed = true;
                Expect::AfterFailure
            } else {
                Expect::ServerGssapi
            };
            Decoded {
                kind: EventKind::Gssapi(m),
                len,
                next,
            }
        }
        // The reply's meaning (BIND's second reply follows?) needs the request: wait for it
        // while the client's direction is still being decoded.
        Expect::ServerReply if conv.command.is_none() && peer_live => return Ok(None),
        Expect::ServerGssapi | Expect::ServerReply | Expect::ServerBindSecond => {
            let Some((r, len)) = wire(parse_socks5_reply(data), data)? else {
                return Ok(None);
            };
            if r.reserved != 0 {
                note(Anomaly::NonZeroReserved(r.reserved));
            }
            if let Addr::Unspecified(_) = r.addr {
                note(Anomaly::NonStandardAddressType(r.addr.addr_type().0));
            }
            if expect == Expect::ServerBindSecond {
                let next = if r.reply == ReplyCode::SUCCEEDED {
                    Expect::Payload
                } else {
                    Expect::AfterFailure
                };
                return Ok(Some(Decoded {
                    kind: EventKind::BindSecondReply(r),
                    len,
                    next,
                }));
            }
            conv.replied = true;
            conv.failed = r.reply != ReplyCode::SUCCEEDED;
            let next = match (conv.failed, conv.command) {
                (true, _) => Expect::AfterFailure,
                (false, Some(Command::BIND)) => Expect::ServerBindSecond,
                (false, _) => Expect::Payload,
            };
            Decoded {
                kind: EventKind::Socks5Reply(r),
                len,
                next,
            }
        }
        Expect::Payload | Expect::AfterFailure | Expect::Stopped => return Ok(None),
    };
    Ok(Some(decoded))
}
