//! One TCP connection of a capture: its roles, SOCKS detection with
//! `sockswire::dissect::probe`, the bytes held until detection decides, and its dissector.

use std::net::IpAddr;

use sockswire::Command;
use sockswire::dissect::{
    DISSECT_BUF_LEN, Direction, DissectOptions, Dissector, FindResult, ProbeResult, Transactions,
    find_message, probe,
};

use crate::tcp::{Chunk, Reassembler};

pub type Endpoint = (IpAddr, u16);

/// The most bytes of each direction held while detection cannot decide.
const PROBE_CAP: usize = 4096;

/// Chunks delivered before detection decided: (sender index, data or a gap's length).
pub type Held = Vec<(usize, Result<Vec<u8>, u64>)>;

/// Why a connection is not dissected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Skip {
    /// Its first bytes cannot be SOCKS.
    NotSocks,
    /// It ended, or held [`PROBE_CAP`] bytes, before its first bytes could tell.
    Undecided,
    /// Not one byte of payload.
    NoPayload,
}

impl Skip {
    pub fn text(self) -> &'static str {
        match self {
            Skip::NotSocks => "not SOCKS",
            Skip::Undecided => "too few bytes to tell",
            Skip::NoPayload => "no payload",
        }
    }
}

/// Whether a connection is dissected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Undecided,
    Socks,
    Skipped(Skip),
}

/// One TCP connection.
pub struct Flow {
    pub uid: String,
    pub ts: f64,
    /// The endpoint that sent the first packet seen: index 0 of `reasm` and `prefix`.
    first: Endpoint,
    pub client: Endpoint,
    pub server: Endpoint,
    /// The roles come from the handshake's SYN, not from the content.
    roles_known: bool,
    pub verdict: Verdict,
    /// Data chunks delivered before detection decided (1: on the first segment).
    pub chunks_to_decide: u32,
    /// Before the decision: what was delivered, in order, by sender index.
    held: Held,
    /// The first bytes of each sender, for the probe.
    prefix: [Vec<u8>; 2],
    /// A gap before detection: that sender's prefix cannot grow.
    frozen: [bool; 2],
    pub reasm: [Reassembler; 2],
    pub dissector: Box<Dissector>,
    pub ended: bool,
    /// The summary's lines, printed when the connection ends.
    pub lines: Vec<String>,
    pub transactions: Transactions,
    /// The time, frame and file of the open transaction's first SOCKS message.
    pub tx_at: Option<(f64, u64, usize)>,
    pub command: Option<Command>,
    /// The capture joined the connection late: its dissector resynchronises.
    pub mid_stream: bool,
    options: DissectOptions,
    /// Its Community ID (v1, seed 0).
    pub community_id: String,
    /// Its first packet: index in the capture and frame number.
    pub first_index: u64,
    pub first_frame: u64,
    /// Its latest packet: frame number and file.
    pub last: (u64, usize),
}

impl Flow {
    pub fn new(
        uid: String,
        ts: f64,
        src: Endpoint,
        dst: Endpoint,
        syn: bool,
        ack: bool,
        options: DissectOptions,
    ) -> Flow {
        // A SYN says who opened the connection; without one, the first speaker is taken for
        // the client until the probe says otherwise.
        let (client, server) = if syn && ack { (dst, src) } else { (src, dst) };
        Flow {
            uid,
            ts,
            first: src,
            client,
            server,
            roles_known: syn,
            verdict: Verdict::Undecided,
            chunks_to_decide: 0,
            held: Vec::new(),
            prefix: [Vec::new(), Vec::new()],
            frozen: [false; 2],
            reasm: [Reassembler::default(), Reassembler::default()],
            dissector: Box::new(Dissector::with_storage(
                [0; DISSECT_BUF_LEN],
                [0; DISSECT_BUF_LEN],
                options,
            )),
            ended: false,
            lines: Vec::new(),
            transactions: Transactions::new(),
            tx_at: None,
            command: None,
            mid_stream: false,
            options,
            community_id: String::new(),
            first_index: 0,
            first_frame: 0,
            last: (0, 0),
        }
    }

    /// The index of the sender `src` in `reasm` and `prefix`.
    pub fn sender(&self, src: Endpoint) -> usize {
        usize::from(src != self.first)
    }

    /// The direction of the bytes sent by sender `i`.
    pub fn dir_of(&self, i: usize) -> Direction {
        let src = if i == 0 { self.first } else { self.other() };
        if src == self.client {
            Direction::ClientToServer
        } else {
            Direction::ServerToClient
        }
    }

    fn other(&self) -> Endpoint {
        if self.first == self.client {
            self.server
        } else {
            self.client
        }
    }

    /// Holds a chunk from sender `i` while undecided, and probes. Returns the held chunks
    /// to replay, in order, once the flow is found to be SOCKS (or forced by `--ports`).
    pub fn hold(&mut self, i: usize, chunk: &Chunk<'_>, forced: bool) -> Option<Held> {
        match chunk {
            Chunk::Data(d) => {
                self.chunks_to_decide += 1;
                if !self.frozen[i] {
                    let room = PROBE_CAP.saturating_sub(self.prefix[i].len());
                    self.prefix[i].extend_from_slice(&d[..room.min(d.len())]);
                }
                self.held.push((i, Ok(d.to_vec())));
            }
            Chunk::Gap(n) => {
                self.frozen[i] = true;
                self.held.push((i, Err(*n)));
            }
        }
        self.decide(i, false, forced)
    }

    /// Probes sender `i`'s first bytes; `at_end` when nothing more will come.
    fn decide(&mut self, i: usize, at_end: bool, forced: bool) -> Option<Held> {
        let this = &self.prefix[i];
        if this.is_empty() {
            return None;
        }
        let full = at_end || self.frozen[i] || this.len() >= PROBE_CAP;
        match probe(this, &self.prefix[1 - i]) {
            ProbeResult::Socks(d) if d.dir != self.dir_of(i) => {
                if self.roles_known {
                    // The content contradicts the SYN: wait for more, within bounds.
                    if full {
                        return self.skip(Skip::Undecided, forced);
                    }
                    return None;
                }
                std::mem::swap(&mut self.client, &mut self.server);
                self.socks()
            }
            ProbeResult::Socks(_) => self.socks(),
            // No SYN: perhaps the capture joined a SOCKS conversation late.
            ProbeResult::NotSocks if !self.roles_known => self.join_late(i, full, forced),
            ProbeResult::NotSocks => self.skip(Skip::NotSocks, forced),
            ProbeResult::NeedMore(_) if full => self.skip(Skip::Undecided, forced),
            ProbeResult::NeedMore(_) => None,
        }
    }

    /// A connection without its SYN whose first bytes start no conversation: dissected from
    /// the first message found in either sender's bytes ([`find_message`]), with a dissector
    /// that resynchronises ([`DissectOptions::mid_stream`]).
    fn join_late(&mut self, i: usize, full: bool, forced: bool) -> Option<Held> {
        let this = &self.prefix[i];
        let mut wait = false;
        for dir in [Direction::ClientToServer, Direction::ServerToClient] {
            match find_message(dir, this) {
                FindResult::Found(_) => {
                    if dir != self.dir_of(i) {
                        std::mem::swap(&mut self.client, &mut self.server);
                    }
                    return self.resynchronising();
                }
                FindResult::NeedMore { .. } => wait = true,
                FindResult::NotFound => {}
            }
        }
        if wait && !full {
            return None;
        }
        if forced {
            return self.resynchronising();
        }
        self.skip(Skip::NotSocks, forced)
    }

    fn resynchronising(&mut self) -> Option<Held> {
        self.mid_stream = true;
        let mut options = self.options;
        options.mid_stream = true;
        *self.dissector =
            Dissector::with_storage([0; DISSECT_BUF_LEN], [0; DISSECT_BUF_LEN], options);
        self.socks()
    }

    fn socks(&mut self) -> Option<Held> {
        self.verdict = Verdict::Socks;
        self.prefix = [Vec::new(), Vec::new()];
        Some(std::mem::take(&mut self.held))
    }

    /// Not SOCKS; but a port the user named is dissected anyway (the dissector says what
    /// is wrong with it).
    fn skip(&mut self, why: Skip, forced: bool) -> Option<Held> {
        if forced {
            return self.socks();
        }
        self.verdict = Verdict::Skipped(why);
        self.held.clear();
        None
    }

    /// At the end of the connection, a last decision for an undecided flow.
    pub fn decide_at_end(&mut self, forced: bool) -> Option<Held> {
        if self.verdict != Verdict::Undecided {
            return None;
        }
        for i in 0..2 {
            if let Some(replay) = self.decide(i, true, forced) {
                return Some(replay);
            }
            if self.verdict != Verdict::Undecided {
                return None;
            }
        }
        let why = if self.held.is_empty() {
            Skip::NoPayload
        } else {
            Skip::Undecided
        };
        self.skip(why, forced)
    }

    /// The first bytes seen, for a report, hex.
    pub fn first_bytes(&self) -> String {
        let b = if self.prefix[0].is_empty() {
            &self.prefix[1]
        } else {
            &self.prefix[0]
        };
        b.iter()
            .take(8)
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}
