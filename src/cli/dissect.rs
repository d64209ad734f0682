//! `sockswire dissect`: captures in, SOCKS conversations out.

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use sockswire::dissect::{Direction, DissectOptions};

use crate::capture::{self, Proto};
use crate::output::zeek_uid;
use crate::tcp::Chunk;

mod flow;
mod sink;

use flow::{Endpoint, Flow, Held, Skip, Verdict};
use sink::{Sink, Stats};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Summary,
    Json,
    Zeek,
}

const HELP: &str = "\
usage: sockswire dissect [--json | --zeek] [--ports PORT,PORT..] [--show-passwords] [--quiet] FILE...

Decodes the SOCKS4, SOCKS4a and SOCKS5 conversations in pcap or pcapng captures (Ethernet,
Linux cooked, loopback and raw IP link types; IPv4 and IPv6), reassembling TCP.

Which connections: every TCP connection whose first bytes are SOCKS, on any port, found by
content (sockswire::dissect::probe, which also tells the client from the proxy when the capture
starts after the handshake began). A connection captured without its SYN whose first bytes
start no conversation is dissected from the first SOCKS message found in it
(sockswire::dissect::find_message), skipped bytes reported; bytes lost inside a handshake are
skipped the same way up to the next message. Every other connection is listed as skipped with the reason
(not SOCKS, too few bytes to tell, no payload) and counted in the run summary, so \"no SOCKS
here\" and \"did not look\" are not the same silence.

Output (stdout):
  default            a block per SOCKS connection, \"== UID CLIENT -> PROXY\", then one line per
                     message, finding (\"anomaly: ...\") and UDP datagram, with its direction and
                     stream offset; \"-- UID ...: skipped, REASON\" per skipped connection; a
                     \"### FILE\" header per file when several are given
  --json             one JSON object per event, fields named as Wireshark's socks.* fields, and
                     one \"event\":\"transaction\" object per SOCKS request with its replies
  --zeek             Zeek's socks.log (TSV, #open/#close from the capture's times), one row
                     per SOCKS request
UIDs are Zeek-shaped (C + 17 characters) and derived from the connection's endpoints and first
packet time: the same on every run and machine.

Run summary (stderr, unless --quiet): files, packets, bytes and speed; SOCKS connections (how
many recognised on their first segment) and skipped ones by reason; UDP datagrams; anomalies
by kind.

Options:
  --ports P,P..      only TCP connections with one of these ports, dissected even when they
                     are not SOCKS (the dissector then says why)
  --show-passwords   print RFC 1929 passwords (redacted by default)
  --quiet, -q        no progress and no run summary on stderr
  --help, -h         this text

Exit status: 0, or 1 when a file could not be read to its end (what came before is decoded),
or 2 for bad arguments.
";

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
            "--help" | "-h" => return Err(String::new()),
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

pub fn flow_key(a: Endpoint, b: Endpoint) -> (Endpoint, Endpoint) {
    if a <= b { (a, b) } else { (b, a) }
}

/// Feeds one reassembled chunk of one direction to the dissector and the sink.
fn feed(sink: &mut Sink<'_>, flow: &mut Flow, dir: Direction, ts: f64, chunk: Chunk<'_>) {
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
fn deliver(
    sink: &mut Sink<'_>,
    flow: &mut Flow,
    i: usize,
    ts: f64,
    chunk: Chunk<'_>,
    forced: bool,
) {
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

fn replay_held(sink: &mut Sink<'_>, flow: &mut Flow, ts: f64, held: Held) {
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
fn finish(sink: &mut Sink<'_>, flow: &mut Flow, ts: f64, forced: bool) {
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

/// The packets of one capture file.
fn read_file(sink: &mut Sink<'_>, options: &Options, path: &str) -> bool {
    let mut flows: HashMap<(Endpoint, Endpoint), Flow> = HashMap::new();
    let mut filtered = std::collections::HashSet::new();
    let mut last_report = 0u64;
    let mut last_ts = 0.0;
    let started = std::time::Instant::now();
    let forced = !options.ports.is_empty();
    let result = capture::read(
        path,
        |seg| {
            last_ts = seg.ts;
            sink.packet(seg.ts);
            let Proto::Tcp {
                seq,
                syn,
                ack,
                fin,
                rst,
            } = seg.proto
            else {
                // A datagram's line goes inside its conversation's block while it is open.
                let key = sink.udp_flow(seg);
                if let Some((uid, line)) = sink.udp(seg) {
                    match key.and_then(|k| flows.get_mut(&k)).filter(|f| !f.ended) {
                        Some(flow) => flow.lines.push(line),
                        None => sink.udp_alone(&uid, &line),
                    }
                }
                return;
            };
            let key = flow_key(seg.src, seg.dst);
            if forced && !options.ports.contains(&seg.src.1) && !options.ports.contains(&seg.dst.1)
            {
                filtered.insert(key);
                return;
            }
            if let Some(flow) = flows.get_mut(&key) {
                // A new connection reusing the ports of a finished one.
                if flow.ended && syn && !ack {
                    flows.remove(&key);
                }
            }
            let flow = flows.entry(key).or_insert_with(|| {
                Flow::new(
                    zeek_uid(key, seg.ts),
                    seg.ts,
                    seg.src,
                    seg.dst,
                    syn,
                    ack,
                    options.dissect,
                )
            });
            if flow.ended {
                return;
            }
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
        finish(sink, flow, last_ts, forced);
    }
    sink.stats.filtered += filtered.len() as u64;
    sink.stats.files += 1;
    match result {
        Ok(stats) => {
            sink.stats.bytes += stats.bytes;
            sink.stats.packets += stats.packets;
            if let Some(e) = stats.error {
                eprintln!("sockswire: {e}; everything before it was decoded");
                return false;
            }
            true
        }
        Err(e) => {
            eprintln!("sockswire: {e}");
            false
        }
    }
}

/// Bytes for people: B, kB, MB or GB (powers of 1000).
fn size(b: f64) -> String {
    match b {
        b if b < 1e3 => format!("{b:.0} B"),
        b if b < 1e6 => format!("{:.1} kB", b / 1e3),
        b if b < 1e9 => format!("{:.1} MB", b / 1e6),
        b => format!("{:.2} GB", b / 1e9),
    }
}

/// The end-of-run summary, on stderr.
fn report(stats: &Stats, secs: f64) {
    let s = |n: u64| if n == 1 { "" } else { "s" };
    let mut r = format!(
        "sockswire dissect: {} file{}, {} packets, {} in {secs:.2} s ({}/s)\n",
        stats.files,
        s(stats.files as u64),
        stats.packets,
        size(stats.bytes as f64),
        size(stats.bytes as f64 / secs.max(1e-9))
    );
    let skipped: u64 = stats.skipped.iter().sum();
    r += &format!(
        "  TCP connections: {} SOCKS ({} recognised on their first segment",
        stats.socks, stats.first_segment
    );
    if stats.joined_late > 0 {
        r += &format!(", {} joined late and resynchronised", stats.joined_late);
    }
    r += &format!("), {skipped} skipped");
    let reasons: Vec<String> = [Skip::NotSocks, Skip::Undecided, Skip::NoPayload]
        .iter()
        .filter(|&&w| stats.skipped[w as usize] > 0)
        .map(|&w| format!("{} {}", stats.skipped[w as usize], w.text()))
        .collect();
    if !reasons.is_empty() {
        r += &format!(" ({})", reasons.join(", "));
    }
    if stats.filtered > 0 {
        r += &format!(", {} not looked at (outside --ports)", stats.filtered);
    }
    r += &format!("\n  SOCKS5 UDP datagrams: {}\n  anomalies:", stats.udp);
    if stats.anomalies.is_empty() {
        r += " none";
    }
    for (name, n) in &stats.anomalies {
        r += &format!(" {n} {name},");
    }
    eprintln!("{}", r.trim_end_matches(','));
}

pub fn run(args: &[String]) -> ExitCode {
    let options = match parse_args(args) {
        Ok(o) => o,
        Err(e) if e.is_empty() => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("sockswire dissect: {e}\n\n{}", crate::USAGE);
            return ExitCode::from(2);
        }
    };
    let stdout = std::io::stdout();
    let mut sink = Sink::new(options.format, BufWriter::new(stdout.lock()));
    let started = std::time::Instant::now();
    let mut failed = false;
    for path in &options.files {
        if options.format == Format::Summary && options.files.len() > 1 {
            let _ = writeln!(sink.out, "### {path}");
        }
        failed |= !read_file(&mut sink, &options, path);
    }
    sink.close_run();
    if !options.quiet {
        report(&sink.stats, started.elapsed().as_secs_f64());
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
