//! One worker's share of a capture: the TCP connections routed to it (by a hash of their
//! endpoints), reassembled and dissected, and the UDP datagrams of the associations they
//! announced. A worker sees its connections' segments and every datagram, in capture order.

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::Arc;

use sockswire::dissect::{Direction, DissectOptions};

use super::Format;
use super::community_id::{TCP, community_id};
use super::flow::{Endpoint, Flow, Held, Verdict};
use super::sink::{Now, Out, Sink, Stats};
use crate::capture::{Packet, Proto, Segment};
use crate::output::zeek_uid;
use crate::tcp::Chunk;

pub type FlowKey = (Endpoint, Endpoint);

/// The order-independent key of a connection.
pub fn flow_key(a: Endpoint, b: Endpoint) -> FlowKey {
    if a <= b { (a, b) } else { (b, a) }
}

/// Which of `n` workers owns a connection: a fixed hash (FNV-1a) of its key, the same on
/// every run.
pub fn owner(key: &FlowKey, n: usize) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: &[u8]| {
        for &x in b {
            h = (h ^ u64::from(x)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for (ip, port) in [key.0, key.1] {
        match ip {
            IpAddr::V4(v4) => eat(&v4.octets()),
            IpAddr::V6(v6) => eat(&v6.octets()),
        }
        eat(&port.to_be_bytes());
    }
    (h % n as u64) as usize
}

/// What a worker needs to know about the run.
pub struct Setup {
    pub format: Format,
    pub ports: Vec<u16>,
    pub dissect: DissectOptions,
    pub files: Arc<[String]>,
}

/// Where a packet is: its index in the capture (across `--continue-flows` files), its frame
/// number in its file, and the file.
#[derive(Clone, Copy)]
pub struct At {
    pub index: u64,
    pub frame: u64,
    pub file: usize,
}

pub struct Worker<'s> {
    setup: &'s Setup,
    pub sink: Sink,
    flows: HashMap<FlowKey, Flow>,
    filtered: HashSet<FlowKey>,
}

impl<'s> Worker<'s> {
    pub fn new(setup: &'s Setup) -> Self {
        Worker {
            setup,
            sink: Sink::new(setup.format, setup.files.clone()),
            flows: HashMap::new(),
            filtered: HashSet::new(),
        }
    }

    /// The records written so far, handed over.
    pub fn take_out(&mut self) -> Out {
        std::mem::take(&mut self.sink.out)
    }

    /// A packet: its TCP segment or UDP datagram, if it has one.
    pub fn packet(&mut self, at: At, p: &Packet<'_>) {
        if let Some(seg) = p.segment() {
            self.segment(at, &seg);
        }
    }

    /// A TCP segment or UDP datagram. With several workers, only those of this worker's
    /// connections and every datagram.
    pub fn segment(&mut self, at: At, seg: &Segment<'_>) {
        self.sink.now = Now {
            major: at.index,
            minor: 0,
            sub: 0,
            frame: at.frame,
            file: at.file,
        };
        let sink = &mut self.sink;
        let Proto::Tcp {
            seq,
            syn,
            ack,
            fin,
            rst,
        } = seg.proto
        else {
            // A datagram's line goes inside its conversation's block while it is open. Only
            // the worker that saw the association's reply knows its relay.
            let key = sink.udp_flow(seg);
            if let Some((uid, line)) = sink.udp(seg) {
                match key
                    .and_then(|k| self.flows.get_mut(&k))
                    .filter(|f| !f.ended)
                {
                    Some(flow) => flow.lines.push(line),
                    None => sink.udp_alone(&uid, &line),
                }
            }
            return;
        };
        let key = flow_key(seg.src, seg.dst);
        let ports = &self.setup.ports;
        let forced = !ports.is_empty();
        if forced && !ports.contains(&seg.src.1) && !ports.contains(&seg.dst.1) {
            self.filtered.insert(key);
            return;
        }
        if let Some(flow) = self.flows.get(&key) {
            // A new connection reusing the ports of a finished one.
            if flow.ended && syn && !ack {
                self.flows.remove(&key);
            }
        }
        let flow = self.flows.entry(key).or_insert_with(|| {
            let mut f = Flow::new(
                zeek_uid(key, seg.ts),
                seg.ts,
                seg.src,
                seg.dst,
                syn,
                ack,
                self.setup.dissect,
            );
            f.community_id = community_id(TCP, seg.src, seg.dst);
            f.first_index = at.index;
            f.first_frame = at.frame;
            f
        });
        if flow.ended {
            return;
        }
        flow.last = (at.frame, at.file);
        let i = flow.sender(seg.src);
        let mut reasm = std::mem::take(&mut flow.reasm[i]);
        // A skipped connection's bytes are not even reassembled.
        let payload = match flow.verdict {
            Verdict::Skipped(_) => &[][..],
            _ => seg.payload,
        };
        reasm.segment(seq, syn, fin, payload, |chunk| {
            deliver(sink, flow, i, seg.ts, chunk, forced)
        });
        flow.reasm[i] = reasm;
        if rst || (flow.reasm[0].fin && flow.reasm[1].fin) {
            finish(sink, flow, seg.ts, forced);
        }
    }

    /// The end of the capture: the connections still open are finished, in the order of
    /// their first packets, at `last_ts`, the time of the capture's last packet. Returns the
    /// counts.
    pub fn finish(&mut self, last_ts: f64) -> Stats {
        let forced = !self.setup.ports.is_empty();
        let mut remaining: Vec<_> = std::mem::take(&mut self.flows)
            .into_values()
            .filter(|f| !f.ended)
            .collect();
        remaining.sort_by_key(|f| f.first_index);
        for flow in &mut remaining {
            self.sink.now = Now {
                major: u64::MAX,
                minor: flow.first_index,
                sub: 0,
                frame: flow.last.0,
                file: flow.last.1,
            };
            finish(&mut self.sink, flow, last_ts, forced);
        }
        self.sink.stats.filtered += self.filtered.len() as u64;
        self.filtered.clear();
        std::mem::take(&mut self.sink.stats)
    }
}

/// Feeds one reassembled chunk of one direction to the dissector and the sink.
fn feed(sink: &mut Sink, flow: &mut Flow, dir: Direction, ts: f64, chunk: Chunk<'_>) {
    let mut dissector = std::mem::take(&mut flow.dissector);
    match chunk {
        Chunk::Data(data) => {
            let mut events = dissector.feed(dir, data);
            while let Some(e) = events.next() {
                sink.event(flow, ts, &e);
            }
        }
        Chunk::Gap(n) => {
            if let Some(e) = dissector.gap(dir, n) {
                sink.event(flow, ts, &e);
            }
        }
    }
    flow.dissector = dissector;
}

/// A chunk from sender `i`: held while detection decides, dissected once it is SOCKS.
fn deliver(sink: &mut Sink, flow: &mut Flow, i: usize, ts: f64, chunk: Chunk<'_>, forced: bool) {
    match flow.verdict {
        Verdict::Socks => feed(sink, flow, flow.dir_of(i), ts, chunk),
        Verdict::Skipped(_) => {}
        Verdict::Undecided => {
            if let Some(replay) = flow.hold(i, &chunk, forced) {
                replay_held(sink, flow, ts, replay);
            }
        }
    }
}

fn replay_held(sink: &mut Sink, flow: &mut Flow, ts: f64, held: Held) {
    for (i, chunk) in &held {
        let chunk = match chunk {
            Ok(data) => Chunk::Data(data),
            Err(n) => Chunk::Gap(*n),
        };
        feed(sink, flow, flow.dir_of(*i), ts, chunk);
    }
}

/// Ends a connection: what the reassemblers still hold, a last detection, the dissector's
/// end events, then the report.
fn finish(sink: &mut Sink, flow: &mut Flow, ts: f64, forced: bool) {
    if flow.ended {
        return;
    }
    let mut pending = Vec::new();
    for i in 0..2 {
        flow.reasm[i].flush(|c| pending.push((i, owned(c))));
    }
    for (i, chunk) in &pending {
        let chunk = match chunk {
            Ok(data) => Chunk::Data(data),
            Err(n) => Chunk::Gap(*n),
        };
        deliver(sink, flow, *i, ts, chunk, forced);
    }
    if let Some(replay) = flow.decide_at_end(forced) {
        replay_held(sink, flow, ts, replay);
    }
    if flow.verdict == Verdict::Socks {
        let mut dissector = std::mem::take(&mut flow.dissector);
        for dir in [Direction::ClientToServer, Direction::ServerToClient] {
            let mut events = dissector.finish(dir);
            while let Some(e) = events.next() {
                sink.event(flow, ts, &e);
            }
        }
        flow.dissector = dissector;
    }
    sink.close(flow);
}

fn owned(c: Chunk<'_>) -> Result<Vec<u8>, u64> {
    match c {
        Chunk::Data(d) => Ok(d.to_vec()),
        Chunk::Gap(n) => Err(n),
    }
}
