//! One worker's share of a capture: the TCP connections routed to it (by a hash of their
//! endpoints), reassembled and dissected, and the UDP datagrams of the associations they
//! announced. A worker sees its connections' segments and every datagram, in capture order.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::net::IpAddr;
use std::sync::Arc;

use sockswire::dissect::{Direction, DissectOptions, Dissector};

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

/// Which of `n` workers owns the connection between `a` and `b` (either way round): a
/// fixed hash of its endpoints, the same on every run.
///
/// Each endpoint is folded into a word (an IPv4 address and its port side by side; an IPv6
/// address's halves XORed, one rotated, the port above), the two words added, so the order does
/// not matter and no key is built, and the sum mixed once (MurmurHash3's 64-bit finalizer); its
/// high bits pick the worker. (FNV-1a modulo `n`, before, sent every connection of a capture
/// whose client addresses and ports rise together to the same worker of two: its lowest bit is
/// the parity of its input bytes' lowest bits. Mixing each endpoint before adding them too, as
/// until 3 December, cost three mixes a packet: 172-176 ms of CPU against 162-164 ms for one
/// 512 MB file with two workers, `perf stat -r 10`.)
pub fn owner(a: Endpoint, b: Endpoint, n: usize) -> usize {
    fn mix(mut h: u64) -> u64 {
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
    fn fold((ip, port): Endpoint) -> u64 {
        let port = u64::from(port);
        match ip {
            IpAddr::V4(v4) => u64::from(v4.to_bits()) | port << 32,
            IpAddr::V6(v6) => {
                let bits = v6.to_bits();
                ((bits >> 64) as u64 ^ (bits as u64).rotate_left(17)) ^ port << 48
            }
        }
    }
    let h = mix(fold(a).wrapping_add(fold(b)));
    ((u128::from(h) * n as u128) >> 64) as usize
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
    /// The connections open (their state: a few KB each).
    flows: HashMap<FlowKey, Flow>,
    /// The connections that ended: their later segments are ignored, unless a SYN opens a
    /// new connection on the same endpoints. Only the key is kept, so that memory grows by
    /// a key per connection, not by its whole state (which is freed at its end and reused by
    /// the next one; kept, it grew a worker thread's heap a page at a time, 6,979 `mprotect`
    /// calls in a run of two workers on a 537 MB capture).
    ended: HashSet<FlowKey>,
    filtered: HashSet<FlowKey>,
    /// Stands in for a flow's dissector while it is in use.
    spare: Spare,
}

type Spare = Box<Dissector>;

impl<'s> Worker<'s> {
    pub fn new(setup: &'s Setup) -> Self {
        Worker {
            setup,
            sink: Sink::new(setup.format, setup.files.clone()),
            flows: HashMap::new(),
            ended: HashSet::new(),
            filtered: HashSet::new(),
            spare: Box::default(),
        }
    }

    /// The records written so far, handed over.
    pub fn take_out(&mut self) -> Out {
        std::mem::take(&mut self.sink.out)
    }

    /// The records written so far, handed over for `fresh` (a spent one, to write again).
    pub fn swap_out(&mut self, mut fresh: Out) -> Out {
        fresh.buf.clear();
        fresh.marks.clear();
        std::mem::replace(&mut self.sink.out, fresh)
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
            // A datagram's line goes inside its association's block. Only the worker that
            // owns the association knows its relay; each claim's records sort by the
            // association's first packet, so they come out in the same order for any number
            // of workers.
            let Some((claims, claim)) = sink.udp_claims(seg) else {
                return;
            };
            for (uid, key) in claims {
                // Only open connections are in `flows`: an ended one left it with its last segment.
                let flow = self.flows.get_mut(&key);
                sink.now.minor = flow.as_ref().map_or(0, |f| f.first_index);
                sink.now.sub = 0;
                if let Some(line) = sink.udp(seg, (&uid, key), claim) {
                    match flow {
                        Some(flow) => flow.lines.push(line),
                        // Claims end with their connection; kept in case one outlives it.
                        None => sink.udp_alone(&uid, &line),
                    }
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
        let flow = match self.flows.entry(key) {
            Entry::Occupied(open) => open.into_mut(),
            Entry::Vacant(new) => {
                // A new connection reusing the ports of a finished one, or a late segment of
                // that one.
                if self.ended.contains(&key) {
                    if !syn || ack {
                        return;
                    }
                    self.ended.remove(&key);
                }
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
                new.insert(f)
            }
        };
        flow.last = (at.frame, at.file);
        let i = flow.sender(seg.src);
        let mut reasm = std::mem::take(&mut flow.reasm[i]);
        // A skipped connection's bytes are not even reassembled.
        let payload = match flow.verdict {
            Verdict::Skipped(_) => &[][..],
            _ => seg.payload,
        };
        let spare = &mut self.spare;
        reasm.segment(seq, syn, fin, payload, |chunk| {
            deliver(sink, spare, flow, i, seg.ts, chunk, forced)
        });
        flow.reasm[i] = reasm;
        if rst || (flow.reasm[0].fin && flow.reasm[1].fin) {
            finish(sink, spare, flow, seg.ts, forced);
        }
        if flow.ended {
            self.flows.remove(&key);
            self.ended.insert(key);
        }
    }

    /// The end of the capture: the connections still open are finished, in the order of
    /// their first packets, at `last_ts`, the time of the capture's last packet. Returns the
    /// counts.
    pub fn finish(&mut self, last_ts: f64) -> Stats {
        let forced = !self.setup.ports.is_empty();
        let mut remaining: Vec<_> = std::mem::take(&mut self.flows).into_values().collect();
        self.ended.clear();
        remaining.sort_by_key(|f| f.first_index);
        for flow in &mut remaining {
            self.sink.now = Now {
                major: u64::MAX,
                minor: flow.first_index,
                sub: 0,
                frame: flow.last.0,
                file: flow.last.1,
            };
            finish(&mut self.sink, &mut self.spare, flow, last_ts, forced);
        }
        self.sink.stats.filtered += self.filtered.len() as u64;
        self.filtered.clear();
        std::mem::take(&mut self.sink.stats)
    }
}

/// Feeds one reassembled chunk of one direction to the dissector and the sink.
///
/// The flow's dissector is swapped with `spare` while its events go to the sink (which
/// takes the flow too): `mem::take` would build and zero a new one per chunk.
fn feed(
    sink: &mut Sink,
    spare: &mut Spare,
    flow: &mut Flow,
    dir: Direction,
    ts: f64,
    chunk: Chunk<'_>,
) {
    std::mem::swap(&mut flow.dissector, spare);
    let dissector = &mut **spare;
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
    std::mem::swap(&mut flow.dissector, spare);
}

/// A chunk from sender `i`: held while detection decides, dissected once it is SOCKS.
fn deliver(
    sink: &mut Sink,
    spare: &mut Spare,
    flow: &mut Flow,
    i: usize,
    ts: f64,
    chunk: Chunk<'_>,
    forced: bool,
) {
    match flow.verdict {
        Verdict::Socks => feed(sink, spare, flow, flow.dir_of(i), ts, chunk),
        Verdict::Skipped(_) => {}
        Verdict::Undecided => {
            if let Some(replay) = flow.hold(i, &chunk, forced) {
                replay_held(sink, spare, flow, ts, replay);
            }
        }
    }
}

fn replay_held(sink: &mut Sink, spare: &mut Spare, flow: &mut Flow, ts: f64, held: Held) {
    for (i, chunk) in &held {
        let chunk = match chunk {
            Ok(data) => Chunk::Data(data),
            Err(n) => Chunk::Gap(*n),
        };
        feed(sink, spare, flow, flow.dir_of(*i), ts, chunk);
    }
}

/// Ends a connection: what the reassemblers still hold, a last detection, the dissector's
/// end events, then the report.
fn finish(sink: &mut Sink, spare: &mut Spare, flow: &mut Flow, ts: f64, forced: bool) {
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
        deliver(sink, spare, flow, *i, ts, chunk, forced);
    }
    if let Some(replay) = flow.decide_at_end(forced) {
        replay_held(sink, spare, flow, ts, replay);
    }
    if flow.verdict == Verdict::Socks {
        std::mem::swap(&mut flow.dissector, spare);
        let dissector = &mut **spare;
        for dir in [Direction::ClientToServer, Direction::ServerToClient] {
            let mut events = dissector.finish(dir);
            while let Some(e) = events.next() {
                sink.event(flow, ts, &e);
            }
        }
        std::mem::swap(&mut flow.dissector, spare);
    }
    sink.close(flow);
}

fn owned(c: Chunk<'_>) -> Result<Vec<u8>, u64> {
    match c {
        Chunk::Data(d) => Ok(d.to_vec()),
        Chunk::Gap(n) => Err(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_spreads_connections_evenly() {
        // As scripts/gen_capture.py numbers them: client 127.0.i>>8.i&255, port 1024 + i, to
        // 127.1.0.1:1080. Every worker count from 2 to 7 gets each worker within 10% of its
        // even share, whichever way round the endpoints are given.
        // The same over IPv6: clients fd00::1:i, one port each, to [fd00::2]:1080.
        for v6 in [false, true] {
            owner_spreads_evenly(v6);
        }
    }

    fn owner_spreads_evenly(v6: bool) {
        let server: Endpoint = match v6 {
            false => ("127.1.0.1".parse().unwrap(), 1080),
            true => ("fd00::2".parse().unwrap(), 1080),
        };
        for n in 2..=7 {
            let mut counts = vec![0u32; n];
            for i in 1..=4200u32 {
                let ip = match v6 {
                    false => IpAddr::from([127, 0, (i >> 8) as u8, (i & 255).max(1) as u8]),
                    true => IpAddr::from([0xfd00, 0, 0, 0, 0, 0, 1, i as u16]),
                };
                let client = (ip, 1024 + i as u16);
                let w = owner(client, server, n);
                assert_eq!(w, owner(server, client, n));
                counts[w] += 1;
            }
            let share = 4200 / n as u32;
            for c in &counts {
                assert!(
                    c.abs_diff(share) * 10 <= share,
                    "v6 {v6}, n = {n}: {counts:?}"
                );
            }
        }
    }
}
