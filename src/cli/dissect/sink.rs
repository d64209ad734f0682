//! Where `sockswire dissect` writes: readable blocks per connection, JSON lines, or Zeek's
//! socks.log (one row per transaction), as records keyed by where they happened in the
//! capture; and what the run summary counts.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::sync::Arc;

use sockswire::Command;
use sockswire::dissect::{Event, EventKind, Transaction, UdpOutcome, UdpReassembler};
use sockswire::parse_socks5_udp_datagram;

use super::Format;
use super::community_id::{UDP, community_id};
use super::flow::{Endpoint, Flow, Skip, Verdict};
use super::worker::{FlowKey, flow_key};
use crate::capture::Segment;
use crate::output::{Json, Record, anomaly_name, event_fields, transaction_json, zeek_row};

/// Where a record sorts in the output: the packet that caused it (its index in the capture,
/// counted across `--continue-flows` files), then its place among that packet's records.
/// Records written when the capture ends sort after all others, by their connection's first
/// packet. The same for any number of workers, so the output is too.
pub type Key = (u64, u64, u32);

/// A datagram's direction (`c2s`: to the relay) and its relay endpoint.
pub type Claim = (&'static str, Endpoint);

/// Records as they are written: their bytes, one after another, and where each ends.
#[derive(Default)]
pub struct Out {
    pub buf: Vec<u8>,
    pub marks: Vec<(Key, usize)>,
}

/// The packet being handled: the key of its records, its frame number in its file (from
/// 1, as Wireshark counts) and which file.
#[derive(Clone, Copy, Default)]
pub struct Now {
    pub major: u64,
    pub minor: u64,
    pub sub: u32,
    pub frame: u64,
    pub file: usize,
}

pub struct Sink {
    pub format: Format,
    pub out: Out,
    pub now: Now,
    /// The capture files, for `pcap_file`.
    pub files: Arc<[String]>,
    /// UDP relay endpoints announced by UDP ASSOCIATE replies, each with the associations
    /// (uid and flow key) that announced it and are still open, in announcement order. An
    /// association ends with its TCP connection (RFC 1928), and so does its claim; several
    /// open ones announcing the same relay each get its datagrams. No claim depends on
    /// another worker's connections, so the output is the same for any `--workers`.
    relays: HashMap<Endpoint, Vec<(String, FlowKey)>>,
    /// Fragment queues per association, relay and direction.
    fragments: HashMap<(FlowKey, Endpoint, &'static str), Box<UdpReassembler<65535>>>,
    pub stats: Stats,
}

/// What the run summary counts.
#[derive(Default)]
pub struct Stats {
    pub files: usize,
    pub bytes: u64,
    pub packets: u64,
    pub socks: u64,
    /// SOCKS connections the probe recognised on their first data segment.
    pub first_segment: u64,
    /// SOCKS connections whose capture joined them late (no SYN, no first message): dissected
    /// from the first message found.
    pub joined_late: u64,
    /// Connections not dissected, by [`Skip`].
    pub skipped: [u64; 3],
    /// TCP connections left out by `--ports`.
    pub filtered: u64,
    pub udp: u64,
    pub transactions: u64,
    pub anomalies: BTreeMap<&'static str, u64>,
}

impl Stats {
    /// Adds another worker's or file's counts.
    pub fn add(&mut self, o: &Stats) {
        self.files += o.files;
        self.bytes += o.bytes;
        self.packets += o.packets;
        self.socks += o.socks;
        self.first_segment += o.first_segment;
        self.joined_late += o.joined_late;
        for (a, b) in self.skipped.iter_mut().zip(o.skipped) {
            *a += b;
        }
        self.filtered += o.filtered;
        self.udp += o.udp;
        self.transactions += o.transactions;
        for (k, v) in &o.anomalies {
            *self.anomalies.entry(k).or_default() += v;
        }
    }
}

impl Sink {
    pub fn new(format: Format, files: Arc<[String]>) -> Self {
        Sink {
            format,
            out: Out::default(),
            now: Now::default(),
            files,
            relays: HashMap::new(),
            fragments: HashMap::new(),
            stats: Stats::default(),
        }
    }

    /// Ends the record just written.
    fn mark(&mut self) {
        let now = &mut self.now;
        self.out
            .marks
            .push(((now.major, now.minor, now.sub), self.out.buf.len()));
        now.sub += 1;
    }

    fn file(&self, i: usize) -> &str {
        self.files.get(i).map_or("-", String::as_str)
    }

    /// Where a record happened: its flow's Community ID, the capture file and frame number.
    fn place(&self, j: &mut Json, community_id: &str, (frame, file): (u64, usize)) {
        j.str("community_id", community_id)
            .str("pcap_file", self.file(file))
            .num("frame", frame);
    }

    pub fn event(&mut self, flow: &mut Flow, ts: f64, e: &Event<'_>) {
        match e.kind {
            EventKind::Anomaly(a) => {
                *self.stats.anomalies.entry(anomaly_name(&a)).or_default() += 1;
            }
            EventKind::PayloadStart | EventKind::End { .. } => {}
            _ => {
                flow.tx_at
                    .get_or_insert((ts, self.now.frame, self.now.file));
            }
        }
        match e.kind {
            EventKind::Socks5Request(r) => flow.command = Some(r.command),
            EventKind::Socks5Reply(r) if flow.command == Some(Command::UDP_ASSOCIATE) => {
                let ip = r
                    .addr
                    .ip()
                    .filter(|ip| !ip.is_unspecified())
                    .unwrap_or(flow.server.0);
                let key = flow_key(flow.client, flow.server);
                let claims = self.relays.entry((ip, r.port)).or_default();
                if !claims.iter().any(|(_, k)| *k == key) {
                    claims.push((flow.uid.clone(), key));
                }
            }
            _ => {}
        }
        match self.format {
            Format::Summary => {
                flow.lines
                    .push(format!("  {} @{:<5} {}", e.dir.short(), e.offset, e.kind))
            }
            Format::Json | Format::Parquet => {
                if self.format == Format::Parquet {
                    self.out.buf.push(b'E');
                }
                let mut j = Json::new();
                j.num("ts", format!("{ts:.6}")).str("uid", &flow.uid);
                self.place(&mut j, &flow.community_id, (self.now.frame, self.now.file));
                j.str("client", &flow.client.0.to_string())
                    .num("client_port", flow.client.1);
                j.str("server", &flow.server.0.to_string())
                    .num("server_port", flow.server.1);
                event_fields(&mut j, e);
                let _ = writeln!(self.out.buf, "{}", j.finish());
                self.mark();
            }
            Format::Zeek => {}
        }
        if let Some(t) = flow.transactions.update(e) {
            self.transaction(flow, &t);
        }
    }

    /// A finished transaction: a socks.log row, or a JSON object.
    fn transaction(&mut self, flow: &mut Flow, t: &Transaction) {
        self.stats.transactions += 1;
        let (ts, frame, file) = flow.tx_at.take().unwrap_or((flow.ts, flow.first_frame, 0));
        let r = Record {
            ts,
            uid: &flow.uid,
            community_id: &flow.community_id,
            pcap_file: self.file(file),
            frame,
            client: flow.client,
            server: flow.server,
        };
        let line = match self.format {
            Format::Zeek => zeek_row(t, &r),
            // The socks table: socks.log's columns.
            Format::Parquet => format!("S{}", zeek_row(t, &r)),
            Format::Json => transaction_json(t, &r),
            Format::Summary => return,
        };
        let _ = writeln!(self.out.buf, "{line}");
        self.mark();
    }

    pub fn close(&mut self, flow: &mut Flow) {
        if flow.ended {
            return;
        }
        flow.ended = true;
        if flow.command == Some(Command::UDP_ASSOCIATE) {
            // The association ends with its connection: its relay claims and fragment queues.
            let key = flow_key(flow.client, flow.server);
            self.relays.retain(|_, claims| {
                claims.retain(|(_, k)| *k != key);
                !claims.is_empty()
            });
            self.fragments.retain(|(k, ..), _| *k != key);
        }
        if let Verdict::Skipped(why) = flow.verdict {
            self.stats.skipped[why as usize] += 1;
            if self.format == Format::Summary && why != Skip::NoPayload {
                let _ = writeln!(
                    self.out.buf,
                    "-- {} {}:{} -> {}:{}: skipped, {} (first bytes {})",
                    flow.uid,
                    flow.client.0,
                    flow.client.1,
                    flow.server.0,
                    flow.server.1,
                    why.text(),
                    flow.first_bytes()
                );
                self.mark();
            }
            return;
        }
        self.stats.socks += 1;
        if flow.chunks_to_decide == 1 {
            self.stats.first_segment += 1;
        }
        if flow.mid_stream {
            self.stats.joined_late += 1;
        }
        if let Some(t) = flow.transactions.finish() {
            self.transaction(flow, &t);
        }
        if self.format == Format::Summary {
            let _ = writeln!(
                self.out.buf,
                "== {} {}:{} -> {}:{}",
                flow.uid, flow.client.0, flow.client.1, flow.server.0, flow.server.1
            );
            for l in flow.lines.drain(..) {
                let _ = writeln!(self.out.buf, "{l}");
            }
            self.mark();
        }
    }

    /// The associations a UDP datagram belongs to (through the relay they announced), with
    /// its direction: sent to the relay (`c2s`) or from it. Usually none or one.
    pub fn udp_claims(&self, seg: &Segment<'_>) -> Option<(Vec<(String, FlowKey)>, Claim)> {
        match (self.relays.get(&seg.dst), self.relays.get(&seg.src)) {
            (Some(claims), _) => Some((claims.clone(), ("c2s", seg.dst))),
            (_, Some(claims)) => Some((claims.clone(), ("s2c", seg.src))),
            _ => None,
        }
    }

    /// A UDP datagram of the association `uid` (flow `key`): JSON is written now; the
    /// summary's line is returned, to go inside its conversation's block.
    pub fn udp(
        &mut self,
        seg: &Segment<'_>,
        (uid, key): (&str, FlowKey),
        (dir, relay): Claim,
    ) -> Option<String> {
        self.stats.udp += 1;
        let reasm = self
            .fragments
            .entry((key, relay, dir))
            .or_insert_with(|| Box::new(UdpReassembler::new()));
        let header = parse_socks5_udp_datagram(seg.payload)
            .ok()
            .map(|d| d.header);
        let what = match reasm.push(seg.payload) {
            UdpOutcome::Whole(d) => format!("{} payload bytes", d.data.len()),
            UdpOutcome::Queued { position } => format!("fragment {position} queued"),
            UdpOutcome::Reassembled(data) => format!(
                "last fragment: reassembled datagram of {} bytes",
                data.len()
            ),
            UdpOutcome::Dropped => "fragment out of sequence: queue dropped".to_string(),
            UdpOutcome::Malformed(e) => format!("malformed SOCKS5 UDP datagram: {e}"),
            _ => "unknown".to_string(),
        };
        match (self.format, header) {
            (Format::Json | Format::Parquet, Some(h)) => {
                if self.format == Format::Parquet {
                    self.out.buf.push(b'E');
                }
                let mut j = Json::new();
                j.num("ts", format!("{:.6}", seg.ts)).str("uid", uid);
                let cid = community_id(UDP, seg.src, seg.dst);
                self.place(&mut j, &cid, (self.now.frame, self.now.file));
                j.str("event", "udp_datagram").str("dir", dir);
                j.str("from", &format!("{}:{}", seg.src.0, seg.src.1))
                    .str("to", &format!("{}:{}", seg.dst.0, seg.dst.1));
                j.num("reserved", h.reserved)
                    .num("fragment_number", h.fragment)
                    .num("address_type", h.addr.addr_type().0);
                j.str("target", &h.target().to_string())
                    .num("dstport", h.port)
                    .str("detail", &what);
                let _ = writeln!(self.out.buf, "{}", j.finish());
                self.mark();
                None
            }
            (Format::Summary, Some(h)) => Some(format!(
                "  udp {dir} {}:{} -> {}:{}: SOCKS5 UDP datagram for {}, {what}",
                seg.src.0,
                seg.src.1,
                seg.dst.0,
                seg.dst.1,
                h.target()
            )),
            (Format::Summary, None) => Some(format!("  udp {dir}: {what}")),
            _ => None,
        }
    }

    /// A UDP line whose conversation's block was already written.
    pub fn udp_alone(&mut self, uid: &str, line: &str) {
        let _ = writeln!(self.out.buf, "== {uid} {}", line.trim_start());
        self.mark();
    }
}
