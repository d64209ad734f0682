//! `sockswire dissect`: captures in, SOCKS conversations out.

use std::io::BufWriter;
use std::process::ExitCode;
use std::sync::Arc;

use sockswire::dissect::DissectOptions;

#[cfg(unix)]
mod chunk;
mod community_id;
mod engine;
mod files;
mod flow;
#[cfg(feature = "parquet")]
mod parquet;
mod sink;
#[cfg(unix)]
mod split;
mod worker;

use engine::{Output, Stdout};
use flow::Skip;
use sink::Stats;
use worker::Setup;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Summary,
    Json,
    Zeek,
    /// Records for the Parquet tables: `E` and a JSON event, or `S` and a socks.log row.
    Parquet,
}

const HELP: &str = "\
usage: sockswire dissect [--json | --zeek] [--ports PORT,PORT..] [--show-passwords] [--quiet]
                         [--workers N] [--continue-flows] [--parquet DIR] FILE...

Decodes the SOCKS4, SOCKS4a and SOCKS5 conversations in pcap or pcapng captures (Ethernet,
Linux cooked, loopback and raw IP link types; IPv4 and IPv6), reassembling TCP. FILE `-` is
standard input, decoded as it comes (tcpdump -U -w - | sockswire dissect --json -).

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
                     per SOCKS request, with three more columns: community_id, pcap_file, frame
  --parquet DIR      (cargo feature `parquet`) instead of stdout, two Parquet tables for
                     DuckDB, Spark or Trino: DIR/socks.parquet, one row per SOCKS request with
                     --zeek's columns (`-` as NULL), and DIR/events.parquet, one row per --json
                     event (transactions aside), its fields as columns (NULL where absent).
                     Shards go to separate directories; read_parquet('OUT/*/socks.parquet')
                     queries them together
Every JSON object and Zeek row carries the connection's uid, its community_id (Community ID
v1, seed 0: the flow hash Zeek, Suricata and Arkime write, to join on), pcap_file (the path
as given) and frame (the frame number in that file, from 1, as Wireshark counts; for a
transaction, its first SOCKS message's).
UIDs are Zeek-shaped (C + 17 characters) and derived from the connection's endpoints and first
packet time: the same on every run and machine, so shards of a capture dissected apart agree.

At scale:
  --workers N        threads (default: the cores available). Several files are dissected N
                     at a time, one per thread, their outputs written in the order given; one
                     file (or --continue-flows) is shared: the N workers read it in chunks and
                     each dissects the connections a hash of their endpoints gives it (stdin:
                     one thread reads, N dissect). The output is the same bytes for any N.
  --continue-flows   the files are one capture, in the order given (rotated files, e.g.
                     tcpdump -C/-G): a connection split across files is one conversation;
                     frame numbers still count per file; no per-file headers

Run summary (stderr, unless --quiet): files, packets, bytes and speed; SOCKS connections (how
many recognised on their first segment) and skipped ones by reason; UDP datagrams; anomalies
by kind.

Options:
  --ports P,P..      only TCP connections with one of these ports, dissected even when they
                     are not SOCKS (the dissector then says why)
  --show-passwords   print RFC 1929 passwords (redacted by default)
  --quiet, -q        no progress and no run summary on stderr
  --help, -h         this text

Exit status: 0, or 1 when a file could not be read to its end (what came before is decoded,
and the other files are still dissected), or 2 for bad arguments.
";

struct Options {
    format: Format,
    ports: Vec<u16>,
    dissect: DissectOptions,
    quiet: bool,
    workers: usize,
    continue_flows: bool,
    parquet: Option<String>,
    files: Vec<String>,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        format: Format::Summary,
        ports: Vec::new(),
        dissect: DissectOptions::default(),
        quiet: false,
        workers: std::thread::available_parallelism().map_or(1, usize::from),
        continue_flows: false,
        parquet: None,
        files: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => o.format = Format::Json,
            "--zeek" => o.format = Format::Zeek,
            "--show-passwords" => o.dissect.reveal_passwords = true,
            "--quiet" | "-q" => o.quiet = true,
            "--continue-flows" => o.continue_flows = true,
            "--parquet" => {
                let dir = it.next().ok_or("--parquet needs a directory")?;
                if cfg!(not(feature = "parquet")) {
                    return Err("--parquet: built without the parquet feature".into());
                }
                o.parquet = Some(dir.clone());
            }
            "--workers" => {
                let n = it.next().ok_or("--workers needs a number")?;
                o.workers = n
                    .parse()
                    .ok()
                    .filter(|&n| (1..=1024).contains(&n))
                    .ok_or_else(|| format!("bad worker count {n:?} (1 to 1024)"))?;
            }
            "--help" | "-h" => return Err(String::new()),
            "--ports" => {
                let list = it.next().ok_or("--ports needs a list")?;
                for p in list.split(',') {
                    o.ports
                        .push(p.trim().parse().map_err(|_| format!("bad port {p:?}"))?);
                }
            }
            s if s.starts_with('-') && s != "-" => return Err(format!("unknown option {s}")),
            file => o.files.push(file.to_string()),
        }
    }
    if o.parquet.is_some() {
        o.format = Format::Parquet;
    }
    if o.files.is_empty() {
        return Err("no capture file given".into());
    }
    Ok(o)
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
    let mut stdout = Stdout::new(
        BufWriter::new(stdout.lock()),
        options.format == Format::Zeek,
    );
    #[cfg(feature = "parquet")]
    let mut parquet = match options
        .parquet
        .as_deref()
        .map(|d| parquet::Parquet::create(d.as_ref()))
    {
        Some(Err(e)) => {
            eprintln!("sockswire dissect: --parquet {e}");
            return ExitCode::FAILURE;
        }
        Some(Ok(p)) => Some(p),
        None => None,
    };
    #[cfg(feature = "parquet")]
    let out: &mut dyn Output = match &mut parquet {
        Some(p) => p,
        None => &mut stdout,
    };
    #[cfg(not(feature = "parquet"))]
    let out: &mut dyn Output = &mut stdout;
    let started = std::time::Instant::now();
    let setup = Setup {
        format: options.format,
        ports: options.ports,
        dissect: options.dissect,
        files: Arc::from(options.files),
    };
    let n = options.workers;
    let all: Vec<usize> = (0..setup.files.len()).collect();
    // Mutated only when closing the Parquet tables fails.
    #[cfg_attr(not(feature = "parquet"), allow(unused_mut))]
    let mut outcome = if options.continue_flows || all.len() == 1 {
        if n == 1 {
            engine::inline(&setup, &all, options.quiet, out)
        } else {
            engine::parallel(&setup, &all, options.quiet, n, out)
        }
    } else {
        let header = options.format == Format::Summary;
        files::files(&setup, options.quiet, n, header, out)
    };
    #[cfg(feature = "parquet")]
    if let Some(p) = parquet {
        if let Err(e) = p.close() {
            eprintln!("sockswire dissect: --parquet: {e}");
            outcome.ok = false;
        }
    }
    stdout.close(outcome.last_ts.unwrap_or(0.0));
    if !options.quiet {
        report(&outcome.stats, started.elapsed().as_secs_f64());
    }
    if outcome.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
