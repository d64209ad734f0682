//! A packet analyser that embeds sockswire's dissector the way Suricata, Zeek or a rusticata
//! parser would: read a capture, reassemble TCP, detect SOCKS on each connection's first
//! bytes with `probe`, keep one `Dissector` per connection, collect its transactions, and hand
//! each tunnel's payload, from the exact byte where it starts, to the next protocol's parser
//! (here a stub that counts HTTP/1 requests and responses with `httparse`).
//!
//! ```sh
//! cargo run --features cli --example analyser -- samples/pcap/*.pcap
//! ```
//!
//! Capture reading and TCP reassembly are the CLI's own (`src/cli/capture.rs`, `src/cli/tcp.rs`,
//! included by path: they use only std and `pcap-parser`), so this file holds only what an
//! analyser writes around the dissector.

use std::collections::HashMap;
use std::net::IpAddr;

use sockswire::dissect::{
    DISSECT_BUF_LEN, Direction, DissectOptions, Dissector, ProbeResult, Transaction, Transactions,
    probe,
};

#[allow(
    dead_code,
    reason = "the CLI's reader, of which this example uses a part"
)]
#[path = "../src/cli/capture.rs"]
mod capture;
#[allow(
    dead_code,
    reason = "the CLI's reassembler, of which this example uses a part"
)]
#[path = "../src/cli/tcp.rs"]
mod tcp;

use capture::{Packet, Packets, Proto, Segment};
use tcp::{Chunk, Reassembler};

type Endpoint = (IpAddr, u16);

/// The most bytes of a direction held while the probe cannot decide.
const PROBE_CAP: usize = 4096;

/// The next protocol inside a tunnel: counts HTTP/1 messages that start a direction's
/// payload (a stub for a real parser; Suricata calls this a protocol change, Zeek hands the
/// stream to its PIA).
#[derive(Default)]
struct NextProtocol {
    /// The tunnel's first payload bytes, until they tell.
    head: Vec<u8>,
    decided: bool,
}

impl NextProtocol {
    /// Takes payload bytes of one direction; returns what the first message was, once known.
    fn payload(&mut self, dir: Direction, bytes: &[u8]) -> Option<&'static str> {
        if self.decided {
            return None;
        }
        self.head
            .extend_from_slice(&bytes[..bytes.len().min(8192 - self.head.len())]);
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let status = match dir {
            Direction::ClientToServer => httparse::Request::new(&mut headers)
                .parse(&self.head)
                .map(|s| s.is_complete()),
            Direction::ServerToClient => httparse::Response::new(&mut headers)
                .parse(&self.head)
                .map(|s| s.is_complete()),
        };
        match status {
            Ok(false) if self.head.len() < 8192 => None,
            Ok(true) => {
                self.decided = true;
                Some("http")
            }
            _ => {
                self.decided = true;
                Some("other")
            }
        }
    }
}

/// Where a connection stands.
enum State {
    /// Holding each sender's first bytes until `probe` decides.
    Probing {
        prefix: [Vec<u8>; 2],
        held: Vec<(usize, Vec<u8>)>,
    },
    /// SOCKS: its dissector and transactions, and the next protocol per direction.
    Socks {
        dissector: Box<Dissector>,
        transactions: Box<Transactions>,
        next: [NextProtocol; 2],
    },
    NotSocks,
}

struct Connection {
    /// The endpoint that sent the first packet seen: sender index 0.
    first: Endpoint,
    /// Whether sender 0 is the client.
    first_is_client: bool,
    /// The connection's SYN was seen: the roles are known, and a detection that contradicts
    /// them (a client writing `05 01` of its greeting looks like a proxy's method choice) only
    /// means "wait for more".
    roles_known: bool,
    reasm: [Reassembler; 2],
    state: State,
}

/// What the analyser found.
#[derive(Default)]
struct Report {
    connections: usize,
    socks: usize,
    transactions: Vec<Transaction>,
    tunnels: HashMap<(&'static str, &'static str), usize>,
}

impl Connection {
    fn dir_of(&self, sender: usize) -> Direction {
        if (sender == 0) == self.first_is_client {
            Direction::ClientToServer
        } else {
            Direction::ServerToClient
        }
    }

    /// Takes the next in-order bytes of `sender`.
    fn data(&mut self, sender: usize, bytes: &[u8], report: &mut Report) {
        let dir = self.dir_of(sender);
        match &mut self.state {
            State::NotSocks => {}
            State::Probing { prefix, held } => {
                let room = PROBE_CAP.saturating_sub(prefix[sender].len());
                prefix[sender].extend_from_slice(&bytes[..room.min(bytes.len())]);
                held.push((sender, bytes.to_vec()));
                let full = prefix[sender].len() >= PROBE_CAP;
                match probe(&prefix[sender], &prefix[1 - sender]) {
                    ProbeResult::Socks(d) if d.dir != dir && self.roles_known => {
                        if full {
                            self.state = State::NotSocks;
                        }
                    }
                    ProbeResult::Socks(d) => {
                        // The probe says which way these bytes flow.
                        if d.dir != dir {
                            self.first_is_client = !self.first_is_client;
                        }
                        let held = std::mem::take(held);
                        self.state = State::Socks {
                            dissector: Box::new(Dissector::with_storage(
                                [0; DISSECT_BUF_LEN],
                                [0; DISSECT_BUF_LEN],
                                DissectOptions::default(),
                            )),
                            transactions: Box::new(Transactions::new()),
                            next: Default::default(),
                        };
                        report.socks += 1;
                        for (s, b) in held {
                            self.data(s, &b, report);
                        }
                    }
                    ProbeResult::NotSocks => self.state = State::NotSocks,
                    ProbeResult::NeedMore(_) if full => {
                        self.state = State::NotSocks;
                    }
                    ProbeResult::NeedMore(_) => {}
                }
            }
            State::Socks {
                dissector,
                transactions,
                next,
            } => {
                let in_tunnel = dissector.handshake_finished(dir);
                let mut events = dissector.feed(dir, bytes);
                while let Some(e) = events.next() {
                    if let Some(t) = transactions.update(&e) {
                        report.transactions.push(t);
                    }
                }
                drop(events);
                // The tunnel's bytes: all of a segment fed after the handshake, or the part
                // of this one after the index where the payload starts.
                let payload = if in_tunnel {
                    Some(bytes)
                } else {
                    dissector.payload_index(dir).map(|i| &bytes[i..])
                };
                let i = usize::from(dir == Direction::ServerToClient);
                if let Some(p) = payload.filter(|p| !p.is_empty()) {
                    if let Some(what) = next[i].payload(dir, p) {
                        let side = if i == 0 { "client" } else { "proxy side" };
                        *report.tunnels.entry((side, what)).or_default() += 1;
                    }
                }
            }
        }
    }

    /// The connection ended (FIN, RST or end of capture).
    fn end(&mut self, report: &mut Report) {
        let State::Socks {
            dissector,
            transactions,
            ..
        } = &mut self.state
        else {
            return;
        };
        for dir in [Direction::ClientToServer, Direction::ServerToClient] {
            let mut events = dissector.finish(dir);
            while let Some(e) = events.next() {
                if let Some(t) = transactions.update(&e) {
                    report.transactions.push(t);
                }
            }
        }
        report.transactions.extend(transactions.finish());
        self.state = State::NotSocks;
    }
}

/// The capture reader's callback: every TCP or UDP segment to `F`.
struct EachSegment<F>(F);

impl<F: FnMut(&Segment<'_>)> Packets for EachSegment<F> {
    fn packet(&mut self, packet: &Packet<'_>) {
        if let Some(seg) = packet.segment() {
            (self.0)(&seg);
        }
    }
}

fn main() -> Result<(), String> {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        return Err("usage: analyser CAPTURE...".into());
    }
    let mut report = Report::default();
    for path in &paths {
        // Connections by their two endpoints, in either order.
        let mut conns: HashMap<(Endpoint, Endpoint), Connection> = HashMap::new();
        let mut each = |seg: &Segment<'_>| {
            let Proto::Tcp {
                seq,
                syn,
                ack,
                fin,
                rst,
            } = seg.proto
            else {
                return;
            };
            let key = if seg.src <= seg.dst {
                (seg.src, seg.dst)
            } else {
                (seg.dst, seg.src)
            };
            let conn = conns.entry(key).or_insert_with(|| {
                report.connections += 1;
                Connection {
                    first: seg.src,
                    // A SYN+ACK first means the other end opened the connection.
                    first_is_client: !(syn && ack),
                    roles_known: syn,
                    reasm: Default::default(),
                    state: State::Probing {
                        prefix: Default::default(),
                        held: Vec::new(),
                    },
                }
            });
            let sender = usize::from(seg.src != conn.first);
            let mut chunks: Vec<Result<Vec<u8>, u64>> = Vec::new();
            conn.reasm[sender].segment(seq, syn, fin, seg.payload, |c| match c {
                Chunk::Data(d) => chunks.push(Ok(d.to_vec())),
                Chunk::Gap(n) => chunks.push(Err(n)),
            });
            for chunk in chunks {
                match chunk {
                    Ok(d) => conn.data(sender, &d, &mut report),
                    // A hole: an analyser would call `Dissector::gap`; this one stops.
                    Err(_) => conn.end(&mut report),
                }
            }
            if rst || (conn.reasm[0].fin && conn.reasm[1].fin) {
                conn.end(&mut report);
            }
        };
        capture::read(path, &mut EachSegment(&mut each))?;
        for conn in conns.values_mut() {
            conn.end(&mut report);
        }
    }
    println!(
        "{} TCP connections, {} SOCKS, {} transactions",
        report.connections,
        report.socks,
        report.transactions.len()
    );
    let mut lines: Vec<String> = report
        .transactions
        .iter()
        .map(|t| {
            let command = t.command.map_or("-".into(), |c| c.to_string());
            let target = t.target.as_ref().map_or("-".into(), |h| h.to_string());
            let user = t.user.as_deref().map(String::from_utf8_lossy);
            format!(
                "  SOCKS{} {command} {target}{} -> {}",
                t.version.map_or("?".into(), |v| v.to_string()),
                user.map_or(String::new(), |u| format!(" user {u}")),
                if t.succeeded() {
                    "granted"
                } else {
                    "refused or unanswered"
                }
            )
        })
        .collect();
    lines.sort();
    for l in lines {
        println!("{l}");
    }
    let mut tunnels: Vec<_> = report.tunnels.into_iter().collect();
    tunnels.sort();
    for ((side, what), n) in tunnels {
        println!("tunnels whose {side} payload starts as {what}: {n}");
    }
    Ok(())
}
