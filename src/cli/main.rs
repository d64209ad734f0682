//! `sockswire`: dissect SOCKS conversations in pcap/pcapng captures, run a proxy, probe a proxy.
//!
//! ```text
//! sockswire dissect [--json | --zeek] [--ports P,P..] [--workers N] [--continue-flows] FILE...
//! sockswire proxy [--listen ADDR].. [--profile arti|ctor|rfc1928] [--user U --password P] ..
//! sockswire probe --proxy socks5h://127.0.0.1:1080 [--resolve | --resolve-ptr] [--relay] TARGET
//! ```

use std::process::ExitCode;

mod args;
mod capture;
mod dissect;
mod output;
mod probe;
mod proxy;
mod tcp;
mod url;

const USAGE: &str = "\
usage: sockswire dissect [--json | --zeek] [--ports PORT,PORT..] [--show-passwords] [--quiet]
                         [--workers N] [--continue-flows] FILE...   (FILE - : stdin)

Decodes the SOCKS4, SOCKS4a and SOCKS5 conversations in pcap or pcapng captures (Ethernet,
Linux cooked, loopback and raw IP link types; IPv4 and IPv6), found by content on any TCP port
unless --ports restricts them.

  --json             one JSON object per event, fields named as Wireshark's socks.* fields
  --zeek             a socks.log in Zeek's TSV layout
  --ports P,P..      only TCP connections with one of these ports (non-SOCKS traffic on them
                     is reported)
  --show-passwords   print RFC 1929 passwords (redacted by default)
  --quiet            no progress and no run summary on stderr
  --workers N        threads (default: the cores available); the output is the same for any N
  --continue-flows   the files are one capture in the order given (rotated files)

`sockswire dissect --help` tells more.

usage: sockswire proxy [--listen ADDR].. [--profile arti|ctor|rfc1928] [--user NAME --password PASS]
                       [--handshake-timeout SECS] [--max-conns N] [--max-buffer BYTES] ..
       sockswire probe --proxy URL [--user NAME --password PASS] [--resolve | --resolve-ptr]
                       [--relay] TARGET

A SOCKS4/4a/5 proxy with Tor's RESOLVE and RESOLVE_PTR, and a client that shows each step of
one handshake. `sockswire proxy --help` and `sockswire probe --help` tell more.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("dissect") => dissect::run(&args[1..]),
        Some("proxy") => proxy::run(&args[1..]),
        Some("probe") => probe::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
