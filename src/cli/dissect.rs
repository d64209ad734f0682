//! `sockswire dissect`: captures in, SOCKS conversations out.

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::net::IpAddr;
use std::process::ExitCode;

use sockswire::dissect::{
    Anomaly, DISSECT_BUF_LEN, Direction, DissectOptions, Dissector, Event, EventKind, UdpOutcome,
    UdpReassembler,
};
use sockswire::{Command, parse_socks5_udp_datagram};

use crate::capture::{self, Proto, Segment};
use crate::output::{Json, ZEEK_HEADER, ZeekRow, event_fields};
use crate::tcp::{Chunk, Reassembler};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Summary,
    Json,
    Zeek,
}

struct Options {
    format: Format,
    ports: Vec<u16>,
    dissect: DissectOptions,
    quiet: bool,
    files: Vec<String>,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        format: Format::Summary,
        ports: Vec::new(),
        dissect: DissectOptions::default(),
        quiet: false,
        files: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => o.format = Format::Json,
            "--zeek" => o.format = Format::Zeek,
            "--show-passwords" => o.dissect.reveal_passwords = true,
            "--quiet" | "-q" => o.quiet = true,
            "--ports" => {
                let list = it.next().ok_or("--ports needs a list")?;
                for p in list.split(',') {
                    o.ports
                        .push(p.trim().parse().map_err(|_| format!("bad port {p:?}"))?);
                }
            }
            s if s.starts_with('-') => return Err(format!("unknown option {s}")),
            file => o.files.push(file.to_string()),
        }
    }
    if o.files.is_empty() {
        return Err("no capture file given".into());
    }
    Ok(o)
}

type Endpoint = (IpAddr, u16);

/// One TCP connection.
struct Flow {
    uid: String,
    ts: f64,
    client: Endpoint,
    server: Endpoint,
    /// Whether it is reported: SOCKS by content, or on a port the user named.
    socks: Option<bool>,
    dissector: Box<Dissector>,
    c2s: Reassembler,
    s2c: Reassembler,
    lines: Vec<String>,
    zeek: ZeekRow,
    command: Option<Command>,
    ended: bool,
}

struct Sink<'o> {
    format: Format,
    out: BufWriter<std::io::StdoutLock<'o>>,
    /// UDP relay endpoints announced by UDP ASSOCIATE replies, with the conversation's uid.
    relays: HashMap<Endpoint, String>,
    /// Fragment queues per relay and direction.
    fragments: HashMap<(Endpoint, &'static str), Box<UdpReassembler<65535>>>,
}

impl Sink<'_> {
    fn event(&mut self, flow: &mut Flow, ts: f64, e: &Event<'_>) {
        flow.zeek.update(e);
        match e.kind {
            EventKind::Socks5Request(r) => flow.command = Some(r.command),
            EventKind::Socks5Reply(r) if flow.command == Some(Command::UDP_ASSOCIATE) => {
                let ip = r
                    .addr
                    .ip()
                    .filter(|ip| !ip.is_unspecified())
                    .unwrap_or(flow.server.0);
                self.relays.insert((ip, r.port), flow.uid.clone());
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
    }

    fn close(&mut self, flow: &mut Flow) {
        if flow.ended || flow.socks != Some(true) {
            return;
        }
        flow.ended = true;
        match self.format {
            Format::Summary => {
                let _ = writeln!(
                    self.out,
                    "== {} {}:{} -> {}:{}",
                    flow.uid, flow.client.0, flow.client.1, flow.server.0, flow.server.1
                );
                for l in flow.lines.drain(..) {
                    let _ = writeln!(self.out, "{l}");
                }
            }
            Format::Json => {}
            Format::Zeek => {
                let _ = writeln!(
                    self.out,
                    "{}",
                    flow.zeek.line(flow.ts, &flow.uid, flow.client, flow.server)
                );
            }
        }
    }

    fn udp(&mut self, seg: &Segment<'_>) {
        let (uid, dir, relay) = match (self.relays.get(&seg.dst), self.relays.get(&seg.src)) {
            (Some(uid), _) => (uid.clone(), "c2s", seg.dst),
            (_, Some(uid)) => (uid.clone(), "s2c", seg.src),
            _ => return,
        };
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
            }
            (Format::Summary, Some(h)) => {
                let _ = writeln!(
                    self.out,
                    "== {uid} udp {dir} {}:{} -> {}:{}: SOCKS5 UDP datagram for {}, {what}",
                    seg.src.0,
                    seg.src.1,
                    seg.dst.0,
                    seg.dst.1,
                    h.target()
                );
            }
            (Format::Summary, None) => {
                let _ = writeln!(self.out, "== {uid} udp {dir}: {what}");
            }
            _ => {}
        }
    }
}

/// Mid-stream, whether the first bytes seen are a proxy's answer rather than a client's
/// message: a SOCKS5 method choice or a SOCKS4 reply, alone in their segment.
fn looks_like_server(payload: &[u8]) -> bool {
    matches!(
        payload,
        [5, 0 | 1 | 2 | 0xFF] | [0 | 4, 0x5A..=0x5D, _, _, _, _, _, _]
    )
}

fn flow_key(a: Endpoint, b: Endpoint) -> (Endpoint, Endpoint) {
    if a <= b { (a, b) } else { (b, a) }
}

/// Feeds reassembled chunks of one direction to the dissector and the sink.
fn feed(sink: &mut Sink<'_>, flow: &mut Flow, dir: Direction, ts: f64, chunk: Chunk<'_>) {
    let mut dissector = std::mem::take(&mut flow.dissector);
    match chunk {
        Chunk::Data(data) => {
            let mut events = dissector.feed(dir, data);
            while let Some(e) = events.next() {
                if matches!(e.kind, EventKind::Anomaly(Anomaly::NotSocks(_)))
                    && flow.socks.is_none()
                {
                    flow.socks = Some(false);
                }
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

fn finish(sink: &mut Sink<'_>, flow: &mut Flow, ts: f64) {
    if flow.socks != Some(true) {
        return;
    }
    let mut pending = Vec::new();
    flow.c2s
        .flush(|c| pending.push((Direction::ClientToServer, owned(c))));
    flow.s2c
        .flush(|c| pending.push((Direction::ServerToClient, owned(c))));
    for (dir, chunk) in &pending {
        let chunk = match chunk {
            Ok(data) => Chunk::Data(data),
            Err(n) => Chunk::Gap(*n),
        };
        feed(sink, flow, *dir, ts, chunk);
    }
    let mut dissector = std::mem::take(&mut flow.dissector);
    for dir in [Direction::ClientToServer, Direction::ServerToClient] {
        let mut events = dissector.finish(dir);
        while let Some(e) = events.next() {
            sink.event(flow, ts, &e);
        }
    }
    flow.dissector = dissector;
    sink.close(flow);
}

fn owned(c: Chunk<'_>) -> Result<Vec<u8>, u64> {
    match c {
        Chunk::Data(d) => Ok(d.to_vec()),
        Chunk::Gap(n) => Err(n),
    }
}

pub fn run(args: &[String]) -> ExitCode {
    let options = match parse_args(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("sockswire dissect: {e}\n\n{}", crate::USAGE);
            return ExitCode::from(2);
        }
    };
    let stdout = std::io::stdout();
    let mut sink = Sink {
        format: options.format,
        out: BufWriter::new(stdout.lock()),
        relays: HashMap::new(),
        fragments: HashMap::new(),
    };
    if options.format == Format::Zeek {
        let _ = writeln!(sink.out, "{ZEEK_HEADER}");
    }
    let mut failed = false;
    let mut next_uid = 0u64;
    for path in &options.files {
        let mut flows: HashMap<(Endpoint, Endpoint), Flow> = HashMap::new();
        let mut last_report = 0u64;
        let mut last_ts = 0.0;
        let started = std::time::Instant::now();
        let result = capture::read(
            path,
            |seg| {
                last_ts = seg.ts;
                let Proto::Tcp {
                    seq,
                    syn,
                    ack,
                    fin,
                    rst,
                } = seg.proto
                else {
                    sink.udp(seg);
                    return;
                };
                if !options.ports.is_empty()
                    && !options.ports.contains(&seg.src.1)
                    && !options.ports.contains(&seg.dst.1)
                {
                    return;
                }
                let key = flow_key(seg.src, seg.dst);
                if let Some(flow) = flows.get(&key) {
                    // A new connection reusing the ports of a finished one.
                    if flow.ended && syn && !ack {
                        flows.remove(&key);
                    }
                }
                let flow = flows.entry(key).or_insert_with(|| {
                    next_uid += 1;
                    // The client is the side that opened the connection or, mid-stream, the
                    // side that spoke first (a SOCKS client always does) unless what it said
                    // is plainly a proxy's answer.
                    let from_server = (syn && ack) || (!syn && looks_like_server(seg.payload));
                    let (client, server) = if from_server {
                        (seg.dst, seg.src)
                    } else {
                        (seg.src, seg.dst)
                    };
                    Flow {
                        uid: format!("S{next_uid}"),
                        ts: seg.ts,
                        client,
                        server,
                        socks: None,
                        dissector: Box::new(Dissector::with_storage(
                            [0; DISSECT_BUF_LEN],
                            [0; DISSECT_BUF_LEN],
                            options.dissect,
                        )),
                        c2s: Reassembler::default(),
                        s2c: Reassembler::default(),
                        lines: Vec::new(),
                        zeek: ZeekRow::default(),
                        command: None,
                        ended: false,
                    }
                });
                if flow.ended {
                    return;
                }
                let dir = if seg.src == flow.client {
                    Direction::ClientToServer
                } else {
                    Direction::ServerToClient
                };
                if flow.socks.is_none() && !seg.payload.is_empty() {
                    // Content decides; a port the user named reports non-SOCKS traffic too.
                    let by_content = match dir {
                        Direction::ClientToServer => matches!(seg.payload.first(), Some(4 | 5)),
                        Direction::ServerToClient => looks_like_server(seg.payload),
                    };
                    flow.socks = Some(by_content || !options.ports.is_empty());
                }
                let mut reasm = std::mem::take(if dir == Direction::ClientToServer {
                    &mut flow.c2s
                } else {
                    &mut flow.s2c
                });
                if flow.socks == Some(true) {
                    reasm.segment(seq, syn, fin, seg.payload, |chunk| {
                        feed(&mut sink, flow, dir, seg.ts, chunk)
                    });
                } else {
                    reasm.segment(seq, syn, fin, &[], |_| {});
                }
                if dir == Direction::ClientToServer {
                    flow.c2s = reasm
                } else {
                    flow.s2c = reasm
                }
                if rst || (flow.c2s.fin && flow.s2c.fin) {
                    finish(&mut sink, flow, seg.ts);
                    flow.ended = true;
                }
            },
            |bytes| {
                if !options.quiet && bytes >= last_report + (64 << 20) {
                    last_report = bytes;
                    let secs = started.elapsed().as_secs_f64();
                    eprintln!(
                        "sockswire: {path}: {} MB read, {:.0} MB/s",
                        bytes >> 20,
                        bytes as f64 / 1e6 / secs.max(1e-9)
                    );
                }
            },
        );
        let mut remaining: Vec<_> = flows.into_values().filter(|f| !f.ended).collect();
        remaining.sort_by(|a, b| a.ts.total_cmp(&b.ts));
        for flow in &mut remaining {
            finish(&mut sink, flow, last_ts);
        }
        match result {
            Ok(stats) => {
                if let Some(e) = stats.error {
                    eprintln!("sockswire: {e}; everything before it was decoded");
                    failed = true;
                }
            }
            Err(e) => {
                eprintln!("sockswire: {e}");
                failed = true;
            }
        }
    }
    if options.format == Format::Zeek {
        let _ = writeln!(sink.out, "#close");
    }
    let _ = sink.out.flush();
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
