//! The conversation dissector: both directions of one captured SOCKS connection.

use crate::Storage;
use crate::dissect::decode::{Conv, Expect, Queue, frame, interpret, next_message};
use crate::dissect::resync::{Resumed, resume};
use crate::dissect::side::Side;
use crate::dissect::{Anomaly, Direction, Event, EventKind};

/// The default per-direction reassembly buffer: any SOCKS4 request of up to 2 KiB, every
/// SOCKS5 message, GSS-API tokens of up to 2 KiB.
pub const DISSECT_BUF_LEN: usize = 2048;

/// How the dissector reports.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DissectOptions {
    /// Put RFC 1929 passwords in events (Zeek's `capture_password`). Off by default.
    pub reveal_passwords: bool,
    /// The capture joined the connection late (no SYN seen): neither direction's first bytes
    /// are taken for its first message; each looks for the next message it recognises
    /// ([`find_message`](crate::dissect::find_message)) and reports what it skipped
    /// ([`Anomaly::Skipped`](crate::dissect::Anomaly::Skipped)). Off by default.
    pub mid_stream: bool,
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

impl<S: Storage> Dissector<S> {
    /// A dissector over the caller's buffers (their size bounds a reassembled message).
    pub fn with_storage(client: S, server: S, options: DissectOptions) -> Self {
        let (c, s) = if options.mid_stream {
            (Expect::Resync, Expect::Resync)
        } else {
            (Expect::ClientFirst, Expect::ServerFirst)
        };
        Dissector {
            options,
            conv: Conv::default(),
            client: Side::new(client, c),
            server: Side::new(server, s),
        }
    }

    /// Decodes `bytes`, the next bytes captured in direction `dir`. Read the events before
    /// feeding more.
    pub fn feed<'d, 'a>(&'d mut self, dir: Direction, bytes: &'a [u8]) -> Events<'d, 'a, S> {
        let server_fed = self.conv.server_fed;
        if dir == Direction::ServerToClient && !bytes.is_empty() {
            self.conv.server_fed = true;
        }
        side_of(&mut self.client, &mut self.server, dir).fed(bytes.len());
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
            failed_in: None,
        }
    }

    /// Reports that `len` bytes are missing from the capture in direction `dir`. Inside the
    /// handshake that direction then looks for the next message it recognises (see
    /// [`find_message`](crate::dissect::find_message)), reporting what it skipped with
    /// [`Anomaly::Skipped`]; in payload the count just moves on.
    pub fn gap(&mut self, dir: Direction, len: u64) -> Option<Event<'static>> {
        let side = side_of(&mut self.client, &mut self.server, dir);
        side.fed += len;
        let dropped = (side.len - side.skip) as u64;
        side.offset += dropped;
        side.len = 0;
        side.skip = 0;
        let at = side.offset;
        side.offset += len;
        match side.expect {
            Expect::Payload => {
                side.payload += len;
                None
            }
            Expect::Stopped => None,
            // Still looking: what was skipped up to the gap is reported now.
            Expect::Resync => {
                let skipped = core::mem::take(&mut side.resync_skipped) + dropped;
                (skipped > 0).then_some(Event {
                    dir,
                    offset: at - skipped,
                    kind: EventKind::Anomaly(Anomaly::Skipped(skipped)),
                })
            }
            expect => {
                // After a refusal neither direction resumes decoding: what follows a gap
                // there is not a handshake any more.
                side.expect = if expect == Expect::AfterFailure || self.conv.failed {
                    Expect::Stopped
                } else {
                    Expect::Resync
                };
                Some(Event {
                    dir,
                    offset: at,
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
            // Once the proxy refused, both directions are refused: the client's bytes after
            // its request (sent before the refusal arrived) were never tunnelled, and a
            // direction still resynchronising has nothing left to find.
            _ if self.conv.failed => Phase::Refused,
            Expect::Resync => Phase::Resynchronising,
            Expect::Payload => Phase::Tunnel,
            Expect::AfterFailure => Phase::Refused,
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
    /// handshake is over in that direction. It stays set if the proxy then refuses (the
    /// client's optimistic bytes start there), while [`Dissector::phase`] turns
    /// [`Phase::Refused`].
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
    /// The proxy refused or failed the request (or the authentication): both directions
    /// turn `Refused`, the client's too, even after it sent bytes past its request.
    Refused,
    /// Looking for a message to resume at, after a gap inside the handshake or at the start
    /// of a capture that joined the connection late ([`DissectOptions::mid_stream`]).
    Resynchronising,
    /// Not decoded any more: not SOCKS, malformed, too long, after a refusal's gap, or no
    /// message found to resume at.
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
    /// A framed message failed to decode in this direction (never expected: the same parser
    /// accepted the same bytes): stop it on the next call.
    failed_in: Option<Direction>,
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
        if let Some(dir) = self.failed_in.take() {
            let rest = if dir == self.dir {
                self.seg.len().saturating_sub(self.pos)
            } else {
                0
            };
            side_of(&mut self.d.client, &mut self.d.server, dir).stop(rest);
            if dir == self.dir {
                self.pos = self.seg.len();
            }
        }
        let (dir, message, len, buffered, offset) = loop {
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
            let peer_live = side_ref(&self.d.client, &self.d.server, dir.reverse()).live();
            let side = side_of(&mut self.d.client, &mut self.d.server, dir);
            side.compact();
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
                    return side.end_event(dir, &mut self.finishing);
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
                        return side.end_event(dir, &mut self.finishing);
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
                        return side.end_event(dir, &mut self.finishing);
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
                Expect::Resync => {
                    let finishing = own && self.finishing;
                    let (taken, resumed) = resume(side, &mut self.d.conv, dir, seg, finishing);
                    self.pos += taken;
                    match resumed {
                        Resumed::Decode => continue,
                        Resumed::Skipped { offset, skipped } => {
                            return Some(Event {
                                dir,
                                offset,
                                kind: EventKind::Anomaly(Anomaly::Skipped(skipped)),
                            });
                        }
                        Resumed::Wait if !own => {
                            self.cur = self.dir;
                            continue;
                        }
                        Resumed::Wait => return None,
                    }
                }
                _ => {}
            }
            // A partial message is buffered: append what fits of the segment.
            if side.len > 0 && !seg.is_empty() {
                self.pos += side.append(seg);
            }
            let buffered = side.len > 0;
            let offset = side.offset;
            // Frame: is a whole message here, and how long is it? Nothing changes yet.
            let data = if buffered { side.buffered() } else { seg };
            let framed = match data.first() {
                None => Ok(None),
                Some(&first) => next_message(side.expect, peer_live, &self.d.conv, first).and_then(
                    |m| match m {
                        Some(m) => Ok(frame(m, data)?.map(|len| (m, len))),
                        None => Ok(None),
                    },
                ),
            };
            match framed {
                Ok(Some((message, len))) => {
                    if own {
                        self.tried_other = false;
                    }
                    break (dir, message, len, buffered, offset);
                }
                Err(anomaly) => {
                    if let Anomaly::NotSocks(_) = anomaly {
                        self.d.conv.not_socks = true;
                    }
                    let rest = if own { self.seg.len() - self.pos } else { 0 };
                    side.stop(rest);
                    if own {
                        self.pos = self.seg.len();
                    }
                    return Some(Event {
                        dir,
                        offset,
                        kind: EventKind::Anomaly(anomaly),
                    });
                }
                Ok(None) => {}
            }
            // Keep a partial message from the segment (bounded).
            if !buffered && !seg.is_empty() {
                self.pos = self.seg.len();
                if !side.keep(seg) {
                    side.stop(seg.len());
                    return Some(Event {
                        dir,
                        offset,
                        kind: EventKind::Anomaly(Anomaly::TooLong),
                    });
                }
            } else if buffered && side.len == side.capacity() && own && self.pos < self.seg.len() {
                side.stop(self.seg.len() - self.pos);
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
                    side.offset += side.len as u64;
                    side.len = 0;
                    return Some(Event {
                        dir,
                        offset,
                        kind: EventKind::Anomaly(Anomaly::Truncated),
                    });
                }
                return side.end_event(dir, &mut self.finishing);
            }
            return None;
        };
        // Interpret, once: the event borrows the framed bytes.
        let options = self.d.options;
        let side = side_of(&mut self.d.client, &mut self.d.server, dir);
        let data = if buffered {
            side.buf.as_ref().get(..len)
        } else {
            self.seg.get(self.pos..self.pos + len)
        }
        .unwrap_or_default();
        let expect = side.expect;
        match interpret(
            message,
            expect,
            &mut self.d.conv,
            &options,
            data,
            &mut self.queue,
            dir,
            offset,
        ) {
            Ok(decoded) => {
                side.offset += len as u64;
                side.expect = decoded.next;
                if decoded.next == Expect::Payload {
                    side.payload_at = Some(side.offset);
                }
                if buffered {
                    // The event borrows the buffer: drop the bytes on the next call.
                    side.skip = len;
                } else {
                    self.pos += len;
                }
                Some(Event {
                    dir,
                    offset,
                    kind: decoded.kind,
                })
            }
            Err(anomaly) => {
                self.failed_in = Some(dir);
                Some(Event {
                    dir,
                    offset,
                    kind: EventKind::Anomaly(anomaly),
                })
            }
        }
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
