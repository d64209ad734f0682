//! Where `sockswire dissect` writes: readable blocks per connection, JSON lines, or Zeek's
//! socks.log (one row per transaction); and what the run summary counts.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufWriter, Write};

use sockswire::Command;
use sockswire::dissect::{Event, EventKind, Transaction, UdpOutcome, UdpReassembler};
use sockswire::parse_socks5_udp_datagram;

use super::Format;
use super::flow::{Endpoint, Flow, Skip, Verdict};
use crate::capture::Segment;
use crate::output::{
    Json, anomaly_name, event_fields, transaction_json, zeek_header, zeek_row, zeek_time,
};

pub struct Sink<'o> {
    pub format: Format,
    pub out: BufWriter<std::io::StdoutLock<'o>>,
    /// UDP relay endpoints announced by UDP ASSOCIATE replies, with the conversation's uid
    /// and flow key.
    relays: HashMap<Endpoint, (String, (Endpoint, Endpoint))>,
    /// Fragment queues per relay and direction.
    fragments: HashMap<(Endpoint, &'static str), Box<UdpReassembler<65535>>>,
    pub stats: Stats,
    /// Zeek: the header is written at the first packet, whose time `#open` gives.
    zeek_open: bool,
    pub last_ts: f64,
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

impl<'o> Sink<'o> {
    pub fn new(format: Format, out: BufWriter<std::io::StdoutLock<'o>>) -> Self {
        Sink {
            format,
            out,
            relays: HashMap::new(),
            fragments: HashMap::new(),
            stats: Stats::default(),
            zeek_open: false,
            last_ts: 0.0,
        }
    }

    /// Every packet's time passes here: Zeek's `#open` is the first, `#close` the last.
    pub fn packet(&mut self, ts: f64) {
        self.last_ts = ts;
        if self.format == Format::Zeek && !self.zeek_open {
            self.zeek_open = true;
            let _ = writeln!(self.out, "{}", zeek_header(ts));
        }
    }

    /// The end of the run.
    pub fn close_run(&mut self) {
        if self.format == Format::Zeek {
            self.packet(self.last_ts);
            let _ = writeln!(self.out, "#close\t{}", zeek_time(self.last_ts));
        }
        let _ = self.out.flush();
    }

    pub fn event(&mut self, flow: &mut Flow, ts: f64, e: &Event<'_>) {
        match e.kind {
            EventKind::Anomaly(a) => {
                *self.stats.anomalies.entry(anomaly_name(&a)).or_default() += 1;
            }
            EventKind::PayloadStart | EventKind::End { .. } => {}
            _ => {
                flow.tx_ts.get_or_insert(ts);
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
                let key = super::flow_key(flow.client, flow.server);
                self.relays.insert((ip, r.port), (flow.uid.clone(), key));
            }
            _ => {}
        }
        match self.format {
            Format::Summary => {
                flow.lines
                    .push(format!("  {} @{:<5} {}", e.dir.short(), e.offset, e.kind))
            }
            Format::Json => {
                let mut j = Json::new();
                j.num("ts", format!("{ts:.6}")).str("uid", &flow.uid);
                j.str("client", &flow.client.0.to_string())
                    .num("client_port", flow.client.1);
                j.str("server", &flow.server.0.to_string())
                    .num("server_port", flow.server.1);
                event_fields(&mut j, e);
                let _ = writeln!(self.out, "{}", j.finish());
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
        let ts = flow.tx_ts.take().unwrap_or(flow.ts);
        match self.format {
            Format::Zeek => {
                let row = zeek_row(t, ts, &flow.uid, flow.client, flow.server);
                let _ = writeln!(self.out, "{row}");
            }
            Format::Json => {
                let j = transaction_json(t, ts, &flow.uid, flow.client, flow.server);
                let _ = writeln!(self.out, "{j}");
            }
            Format::Summary => {}
        }
    }

    pub fn close(&mut self, flow: &mut Flow) {
        if flow.ended {
            return;
        }
        flow.ended = true;
        if let Verdict::Skipped(why) = flow.verdict {
            self.stats.skipped[why as usize] += 1;
            if self.format == Format::Summary && why != Skip::NoPayload {
                let _ = writeln!(
                    self.out,
                    "-- {} {}:{} -> {}:{}: skipped, {} (first bytes {})",
                    flow.uid,
                    flow.client.0,
                    flow.client.1,
                    flow.server.0,
                    flow.server.1,
                    why.text(),
                    flow.first_bytes()
                );
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
                self.out,
                "== {} {}:{} -> {}:{}",
                flow.uid, flow.client.0, flow.client.1, flow.server.0, flow.server.1
            );
            for l in flow.lines.drain(..) {
                let _ = writeln!(self.out, "{l}");
            }
        }
    }

    /// The flow a UDP datagram belongs to (through the relay its association announced).
    pub fn udp_flow(&self, seg: &Segment<'_>) -> Option<(Endpoint, Endpoint)> {
        self.relays
            .get(&seg.dst)
            .or_else(|| self.relays.get(&seg.src))
            .map(|(_, key)| *key)
    }

    /// A UDP datagram: JSON is written now; the summary's line is returned, to go inside its
    /// conversation's block (or out now if that block was written already).
    pub fn udp(&mut self, seg: &Segment<'_>) -> Option<(String, String)> {
        let (uid, dir, relay) = match (self.relays.get(&seg.dst), self.relays.get(&seg.src)) {
            (Some((uid, _)), _) => (uid.clone(), "c2s", seg.dst),
            (_, Some((uid, _))) => (uid.clone(), "s2c", seg.src),
            _ => return None,
        };
        self.stats.udp += 1;
        let reasm = self
            .fragments
            .entry((relay, dir))
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
            (Format::Json, Some(h)) => {
                let mut j = Json::new();
                j.num("ts", format!("{:.6}", seg.ts))
                    .str("uid", &uid)
                    .str("event", "udp_datagram")
                    .str("dir", dir);
                j.str("from", &format!("{}:{}", seg.src.0, seg.src.1))
                    .str("to", &format!("{}:{}", seg.dst.0, seg.dst.1));
                j.num("reserved", h.reserved)
                    .num("fragment_number", h.fragment)
                    .num("address_type", h.addr.addr_type().0);
                j.str("target", &h.target().to_string())
                    .num("dstport", h.port)
                    .str("detail", &what);
                let _ = writeln!(self.out, "{}", j.finish());
                None
            }
            (Format::Summary, Some(h)) => Some((
                uid,
                format!(
                    "  udp {dir} {}:{} -> {}:{}: SOCKS5 UDP datagram for {}, {what}",
                    seg.src.0,
                    seg.src.1,
                    seg.dst.0,
                    seg.dst.1,
                    h.target()
                ),
            )),
            (Format::Summary, None) => Some((uid, format!("  udp {dir}: {what}"))),
            _ => None,
        }
    }

    /// A UDP line whose conversation's block was already written.
    pub fn udp_alone(&mut self, uid: &str, line: &str) {
        let _ = writeln!(self.out, "== {uid} {}", line.trim_start());
    }
}
