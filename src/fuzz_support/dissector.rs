//! Fuzz bodies for the dissector's entry points beside `feed` and `finish` (those have the
//! `dissect` body): owned events and summaries, transactions, the state queries a packet
//! analyser asks between segments, and UDP reassembly. The raw-bytes bodies share one input
//! layout with `dissect` (two bytes say where the client stream ends, one seeds the chunking
//! and interleaving), so their seeds are interchangeable; `Checker` holds the checks every
//! dissector body makes, the structure-aware `dissect_conversation` included.

use std::vec::Vec;

use crate::dissect::{
    Direction, DissectOptions, Dissector, Event, EventKind, OwnedEvent, OwnedSummary, Phase,
    Transaction, Transactions, UdpOutcome, UdpReassembler,
};

/// One call on the dissector.
#[derive(Clone, Copy, Debug)]
pub(super) enum Op<'a> {
    /// `feed(dir, bytes)`.
    Bytes(Direction, &'a [u8]),
    /// `gap(dir, len)`.
    Gap(Direction, u64),
}

/// The index of a direction in per-direction arrays.
pub(super) fn idx(dir: Direction) -> usize {
    usize::from(dir == Direction::ServerToClient)
}

const DIRS: [Direction; 2] = [Direction::ClientToServer, Direction::ServerToClient];

/// The calls `dissect` makes for `data` (the first two bytes cut the rest into the client's
/// and the proxy's stream, the third seeds chunk sizes and interleaving); with `gaps`, a chunk
/// the seed picks (one in 32) is reported missing instead of fed. Also returns the seed byte.
pub(super) fn ops(data: &[u8], gaps: bool) -> Option<(Vec<Op<'_>>, u8)> {
    let &[a, b, seed0, ref rest @ ..] = data else {
        return None;
    };
    let mut seed = seed0;
    let cut = usize::from(u16::from_le_bytes([a, b])) % (rest.len() + 1);
    let streams = rest.split_at(cut);
    let streams = [streams.0, streams.1];
    let mut fed = [0usize; 2];
    let mut out = Vec::new();
    while fed[0] < streams[0].len() || fed[1] < streams[1].len() {
        seed = seed.wrapping_mul(37).wrapping_add(11);
        let i = usize::from(
            !((seed & 1 == 0 && fed[0] < streams[0].len()) || fed[1] >= streams[1].len()),
        );
        let n = (1 + usize::from(seed >> 3)).min(streams[i].len() - fed[i]);
        let chunk = &streams[i][fed[i]..fed[i] + n];
        fed[i] += n;
        if gaps && seed % 32 == 5 {
            out.push(Op::Gap(DIRS[i], n as u64));
        } else {
            out.push(Op::Bytes(DIRS[i], chunk));
        }
    }
    Some((out, seed0))
}

/// The checks every dissector body makes, call after call.
///
/// Per event: offsets never go backwards within a direction nor past what was fed (gaps
/// count); an event survives `into_owned` and `event()` unchanged; the summary folded from
/// events equals the one folded from their owned copies; transactions fold without panic and
/// every one handed out is consistent. After each call: `handshake_finished` is `phase ==
/// Tunnel`, which holds exactly when `payload_offset` is known; `payload_offset` never
/// changes once known and is where `PayloadStart` was reported (or before it, after a gap); `payload_index` points into
/// the last segment exactly when `payload_offset` does; `Tunnel` and `Refused` are final, and
/// `NotDecoded` can only turn `Refused`; the version, once known, stays known. At
/// the end: both directions end exactly at their length.
#[derive(Debug, Default)]
pub(super) struct Checker {
    /// Stream bytes per direction so far, fed or reported missing.
    pub(super) seen: [u64; 2],
    last: [u64; 2],
    /// The last segment fed per direction: its stream offset and length.
    segment: [Option<(u64, usize)>; 2],
    payload_start: [Option<u64>; 2],
    payload_offset: [Option<u64>; 2],
    /// A gap was reported in the direction.
    gap: [bool; 2],
    phase: [Option<Phase>; 2],
    version: Option<u8>,
    ended: [bool; 2],
    summary: OwnedSummary,
    summary_again: OwnedSummary,
    transactions: Transactions,
    /// The transactions handed out, in order (the last one by `finish`, if any).
    pub(super) done: Vec<Transaction>,
    pub(super) events: usize,
}

impl Checker {
    /// Checks one event.
    pub(super) fn event(&mut self, e: &Event<'_>) {
        let i = idx(e.dir);
        assert!(e.offset >= self.last[i], "offsets go backwards: {e:?}");
        assert!(e.offset <= self.seen[i], "offset past the fed bytes: {e:?}");
        assert!(!self.ended[i], "an event after the direction's end: {e:?}");
        self.last[i] = e.offset;
        let owned: OwnedEvent = e.into_owned();
        assert_eq!(&owned.event(), e, "into_owned then event() is the event");
        self.summary.update(e);
        self.summary_again.update(&owned.event());
        assert_eq!(self.summary, self.summary_again, "owned summary");
        match e.kind {
            EventKind::PayloadStart => {
                assert!(self.payload_start[i].is_none(), "payload starts twice");
                self.payload_start[i] = Some(e.offset);
            }
            EventKind::End { .. } => {
                assert_eq!(e.offset, self.seen[i], "the direction ends at its length");
                self.ended[i] = true;
            }
            _ => {}
        }
        if let Some(t) = self.transactions.update(e) {
            check_transaction(&t, true, &self.seen);
            self.done.push(t);
        }
        self.events += 1;
    }

    /// Takes note of a call before its events are read.
    pub(super) fn op(&mut self, op: Op<'_>) {
        match op {
            Op::Bytes(dir, bytes) => {
                let i = idx(dir);
                self.segment[i] = Some((self.seen[i], bytes.len()));
                self.seen[i] += bytes.len() as u64;
            }
            Op::Gap(dir, len) => {
                self.seen[idx(dir)] += len;
                self.gap[idx(dir)] = true;
            }
        }
    }

    /// Checks the state queries after a call's events were read.
    pub(super) fn state<S: crate::Storage>(&mut self, d: &Dissector<S>) {
        for dir in DIRS {
            let i = idx(dir);
            let phase = d.phase(dir);
            assert_eq!(d.handshake_finished(dir), phase == Phase::Tunnel);
            let at = d.payload_offset(dir);
            // In the tunnel the payload has a start; after a refusal the client's keeps the
            // one it had (its optimistic bytes); nowhere else.
            assert!(
                match phase {
                    Phase::Tunnel => at.is_some(),
                    Phase::Refused => true,
                    _ => at.is_none(),
                },
                "{dir:?} {phase:?} {at:?}"
            );
            if let Some(before) = self.payload_offset[i] {
                assert_eq!(at, Some(before), "payload_offset changed");
            }
            self.payload_offset[i] = at;
            // `PayloadStart` is reported at the first payload byte seen: after a gap that
            // follows the handshake it is later than where the payload starts.
            match (self.payload_start[i], at) {
                (Some(start), Some(at)) if self.gap[i] => assert!(start >= at, "{start} < {at}"),
                (Some(start), at) => assert_eq!(at, Some(start), "PayloadStart is payload_offset"),
                (None, _) => {}
            }
            let expected_index = match (at, self.segment[i]) {
                (Some(at), Some((start, len))) if at >= start && at < start + len as u64 => {
                    usize::try_from(at - start).ok()
                }
                _ => None,
            };
            assert_eq!(
                d.payload_index(dir),
                expected_index,
                "payload_index {dir:?}"
            );
            match (self.phase[i], phase) {
                (None | Some(Phase::Handshake | Phase::Resynchronising), _) => {}
                (Some(Phase::NotDecoded), Phase::NotDecoded | Phase::Refused) => {}
                // The refusal arrives after the client's request (and optimistic bytes).
                (Some(Phase::Tunnel), Phase::Refused) => {}
                (Some(a), b) => assert_eq!(a, b, "phase {dir:?} went from {a:?} to {b:?}"),
            }
            self.phase[i] = Some(phase);
        }
        let v = d.version();
        assert!(matches!(v, None | Some(4 | 5)), "version {v:?}");
        assert!(self.version.is_none() || v.is_some(), "version forgotten");
        self.version = v;
    }

    /// Ends the conversation's transactions.
    pub(super) fn finish(&mut self) {
        if let Some(t) = self.transactions.finish() {
            check_transaction(&t, false, &self.seen);
            self.done.push(t);
        }
    }
}

/// What any transaction must satisfy.
fn check_transaction(t: &Transaction, complete: bool, seen: &[u64; 2]) {
    assert_eq!(t.complete, complete, "{t:?}");
    assert!(t.replies.len() <= 2, "{t:?}");
    assert!(
        t.replies.windows(2).all(|w| w[0].offset < w[1].offset),
        "replies out of order: {t:?}"
    );
    assert!(t.replies.iter().all(|r| r.offset < seen[1]), "{t:?}");
    if let Some(at) = t.request_offset {
        assert!(at < seen[0], "{t:?}");
        assert!(t.command.is_some() && t.target.is_some(), "{t:?}");
    }
    if t.succeeded() {
        assert!(!t.replies.is_empty());
        assert_eq!(t.status(), t.replies.last().map(|r| r.status));
    }
    for (dir, at, _) in &t.anomalies {
        assert!(*at <= seen[idx(*dir)], "{t:?}");
    }
}

/// Runs `ops` through `d` with every check of `Checker`, then finishes both directions
/// (client first unless `server_first`).
pub(super) fn run_checked<S: crate::Storage>(
    d: &mut Dissector<S>,
    ops: &[Op<'_>],
    server_first: bool,
) -> Checker {
    let mut c = Checker::default();
    for &op in ops {
        c.op(op);
        match op {
            Op::Bytes(dir, bytes) => {
                let mut ev = d.feed(dir, bytes);
                while let Some(e) = ev.next() {
                    c.event(&e);
                }
            }
            Op::Gap(dir, len) => {
                if let Some(e) = d.gap(dir, len) {
                    c.event(&e);
                }
            }
        }
        c.state(d);
    }
    let order = if server_first {
        [DIRS[1], DIRS[0]]
    } else {
        DIRS
    };
    for dir in order {
        // `finish` is a call with no bytes: the last segment is now empty.
        c.op(Op::Bytes(dir, &[]));
        let mut ev = d.finish(dir);
        while let Some(e) = ev.next() {
            c.event(&e);
        }
        drop(ev);
        c.state(d);
        assert!(c.ended[idx(dir)], "finish reports the end");
    }
    c.finish();
    c
}

/// Fuzz body for the dissector's owned forms ([`Event::into_owned`], [`OwnedEvent`],
/// [`OwnedSummary`], and `for e in dissector.feed(..)`): input laid out as for `dissect`, the
/// seed's bit 7 reveals passwords, bit 6 sets `mid_stream`. Besides the `Checker` checks, each call is made on a
/// clone of the dissector too and walked with `IntoIterator`: the owned events must be the
/// borrowed ones, owned.
pub fn owned_events(data: &[u8]) -> Option<usize> {
    let (ops, seed) = ops(data, false)?;
    let options = DissectOptions {
        reveal_passwords: seed & 0x80 != 0,
        mid_stream: seed & 0x40 != 0,
    };
    let mut d = Dissector::with_storage([0; 2048], [0; 2048], options);
    let mut c = Checker::default();
    for &op in &ops {
        let Op::Bytes(dir, bytes) = op else {
            continue;
        };
        c.op(op);
        let mut twin = d.clone();
        let owned: Vec<OwnedEvent> = twin.feed(dir, bytes).into_iter().collect();
        let mut borrowed = Vec::new();
        let mut ev = d.feed(dir, bytes);
        while let Some(e) = ev.next() {
            c.event(&e);
            borrowed.push(e.into_owned());
        }
        drop(ev);
        assert_eq!(owned, borrowed, "IntoIterator gives the owned events");
        c.state(&d);
    }
    Some(c.events)
}

/// Fuzz body for [`Transactions`]: input laid out as for `dissect`. Every transaction handed
/// out by `update` is complete and the one from `finish` is not; replies are in stream order,
/// at most two; a request has a command and a target; a success has replies; offsets lie
/// inside what was fed. The requests seen bound the transactions that carry one.
pub fn transactions(data: &[u8]) -> Option<usize> {
    let (ops, seed) = ops(data, false)?;
    let mut d = Dissector::new();
    let c = run_checked(&mut d, &ops, seed & 1 != 0);
    let with_request = c.done.iter().filter(|t| t.request_offset.is_some()).count();
    let mut offsets: Vec<u64> = c.done.iter().filter_map(|t| t.request_offset).collect();
    offsets.dedup();
    assert_eq!(offsets.len(), with_request, "one transaction per request");
    assert!(offsets.windows(2).all(|w| w[0] < w[1]), "requests in order");
    Some(c.done.len())
}

/// Fuzz body for the state queries ([`Dissector::phase`], `handshake_finished`,
/// `payload_offset`, `payload_index`, `version`) asked after every call, as a packet analyser
/// does between segments: input laid out as for `dissect`, with one chunk in 32 reported as a
/// gap instead of fed ([`Dissector::gap`]); the seed's bit 6 sets `mid_stream`.
pub fn dissector_state(data: &[u8]) -> Option<usize> {
    let (ops, seed) = ops(data, true)?;
    let options = DissectOptions {
        mid_stream: seed & 0x40 != 0,
        ..DissectOptions::default()
    };
    let mut d = Dissector::with_storage([0; 2048], [0; 2048], options);
    Some(run_checked(&mut d, &ops, seed & 1 != 0).events)
}

/// Fuzz body for [`UdpReassembler::push`]: each datagram is one length byte and that many
/// bytes (a 64-byte queue, so overflow is reachable). Checked against RFC 1928 section 7
/// written out independently: a whole datagram is handed back as parsed; fragments queue from
/// position 1 in rising order and the last one hands out every queued payload in order; a
/// fragment out of sequence or past the queue's room drops the queue.
pub fn udp_reassembler(data: &[u8]) -> Option<usize> {
    let mut r = UdpReassembler::<64>::new();
    let mut queue: Vec<u8> = Vec::new();
    let mut last = 0u8;
    let mut rest = data;
    let mut reassembled = 0;
    while let Some((&len, tail)) = rest.split_first() {
        let (dg, tail) = tail.split_at(usize::from(len).min(tail.len()));
        rest = tail;
        let parsed = crate::parse_socks5_udp_datagram(dg);
        match (r.push(dg), parsed) {
            (UdpOutcome::Malformed(e), Err(e2)) => assert_eq!(e, e2),
            (UdpOutcome::Whole(a), Ok(b)) => {
                assert_eq!(a, b);
                assert_eq!(b.header.fragment, 0);
            }
            (outcome, Ok(b)) => {
                let position = b.header.fragment & 0x7F;
                let fits = queue.len() + b.data.len() <= 64;
                let in_order = position > last && (last != 0 || position == 1);
                if !(fits && in_order) {
                    assert_eq!(outcome, UdpOutcome::Dropped, "{b:?} after {last}");
                    queue.clear();
                    last = 0;
                    continue;
                }
                queue.extend_from_slice(b.data);
                if b.header.fragment & 0x80 != 0 {
                    assert_eq!(outcome, UdpOutcome::Reassembled(&queue));
                    queue.clear();
                    last = 0;
                    reassembled += 1;
                } else {
                    assert_eq!(outcome, UdpOutcome::Queued { position });
                    last = position;
                }
            }
            (outcome, parsed) => panic!("{outcome:?} for {parsed:?}"),
        }
    }
    Some(reassembled)
}
