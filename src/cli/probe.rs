//! `sockswire probe`: one client handshake on [`SocksClientHandshake`], shown step by step.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

use sockswire::dissect::{Direction, Dissector};
use sockswire::{
    Buffer, Error, Handshake, NextStep, SocksAddr, SocksAuth, SocksClientHandshake, SocksCmd,
    SocksHostname, SocksReply, SocksRequest, SocksStatus, SocksVersion,
};

use crate::args::{hex, seconds};
use crate::url::{ProxyUrl, ip_literal, parse_proxy_url, split_host_port};

pub(crate) const USAGE: &str = "\
usage: sockswire probe --proxy URL [--user NAME --password PASS]
                       [--resolve | --resolve-ptr] [--relay] [--optimistic]
                       [--timeout SECS] TARGET

Performs one SOCKS handshake with SocksClientHandshake and prints each step: the bytes
sent (>) and received (<) in hex, decoded, then the reply.

  --proxy URL        socks4://, socks4a://, socks5:// or socks5h://[user:pass@]host[:port]
                     (port 1080 by default). As in curl, socks4 and socks5 resolve the
                     target's name here; socks4a and socks5h send the name to the proxy.
  --user, --password RFC 1929 credentials (SOCKS5), or the user-id (SOCKS4); they
                     override those in the URL
  --resolve          Tor's RESOLVE of TARGET (a name, sent as is, or an address)
  --resolve-ptr      Tor's RESOLVE_PTR of TARGET (an address)
  --relay            after a successful CONNECT, copy stdin to the tunnel and the tunnel to
                     stdout (the steps then go to stderr)
  --optimistic       SOCKS5: send greeting, credentials and request at once
  --timeout SECS     for connecting to the proxy and for each read (default 10)
  TARGET             host:port, [v6]:port; the port may be left out with --resolve and
                     --resolve-ptr

Exit status: 0 the proxy granted the request, 1 it refused (a failure reply, no
acceptable method, credentials rejected), 2 usage, 3 network or protocol error.
";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Connect,
    Resolve,
    ResolvePtr,
}

struct Options {
    proxy: ProxyUrl,
    mode: Mode,
    relay: bool,
    optimistic: bool,
    timeout: Duration,
    target: String,
}

fn parse_args(args: &[String]) -> Result<Options, String> {
    let (mut proxy, mut user, mut password, mut target) = (None, None, None, None);
    let mut mode = Mode::Connect;
    let (mut relay, mut optimistic) = (false, false);
    let mut timeout = Duration::from_secs(10);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--proxy" => proxy = Some(parse_proxy_url(it.next().ok_or("--proxy needs a URL")?)?),
            "--user" => user = Some(it.next().ok_or("--user needs a name")?.clone()),
            "--password" => password = Some(it.next().ok_or("--password needs a value")?.clone()),
            "--resolve" if mode == Mode::Connect => mode = Mode::Resolve,
            "--resolve-ptr" if mode == Mode::Connect => mode = Mode::ResolvePtr,
            "--resolve" | "--resolve-ptr" => {
                return Err("--resolve and --resolve-ptr exclude each other".into());
            }
            "--relay" => relay = true,
            "--optimistic" => optimistic = true,
            "--timeout" => timeout = seconds(a, it.next())?,
            s if s.starts_with('-') && s.len() > 1 => return Err(format!("unknown option {s}")),
            t if target.is_none() => target = Some(t.to_string()),
            t => return Err(format!("one target only, got {t:?} too")),
        }
    }
    let mut proxy = proxy.ok_or("--proxy is required")?;
    if user.is_some() {
        proxy.user = user;
        proxy.password = password;
    } else if password.is_some() {
        return Err("--password needs --user".into());
    }
    if relay && mode != Mode::Connect {
        return Err("--relay goes with CONNECT only".into());
    }
    Ok(Options {
        proxy,
        mode,
        relay,
        optimistic,
        timeout,
        target: target.ok_or("no target given")?,
    })
}

/// Where the step log goes: stdout, or stderr when stdout carries the tunnel.
struct Log {
    to_stderr: bool,
}

impl Log {
    fn line(&self, s: &str) {
        // A closed pipe (`| head`) must not panic.
        let _ = if self.to_stderr {
            writeln!(io::stderr().lock(), "{s}")
        } else {
            writeln!(io::stdout().lock(), "{s}")
        };
    }
}

pub(crate) fn run(args: &[String]) -> ExitCode {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let opts = match parse_args(args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("sockswire probe: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let log = Log {
        to_stderr: opts.relay,
    };
    match probe(&opts, &log) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("sockswire probe: {e}");
            ExitCode::from(3)
        }
    }
}

/// The target as the request will carry it.
fn target_addr<'a>(
    opts: &Options,
    host: &'a str,
    version: SocksVersion,
) -> Result<SocksAddr<'a>, String> {
    if let Some(ip) = ip_literal(host) {
        return Ok(SocksAddr::Ip(ip));
    }
    let name = || {
        SocksHostname::try_from(host)
            .map(SocksAddr::Hostname)
            .map_err(|e| format!("{host:?}: {e}"))
    };
    if opts.mode != Mode::Connect || opts.proxy.scheme.remote_dns() {
        return name();
    }
    // socks4:// and socks5:// resolve here, as curl does.
    let ips: Vec<IpAddr> = (host, 0)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .map(|a| a.ip())
        .collect();
    let ip = match version {
        SocksVersion::V4 => ips.iter().find(|ip| ip.is_ipv4()),
        _ => ips.first(),
    };
    ip.map(|ip| SocksAddr::Ip(*ip))
        .ok_or_else(|| format!("{host} has no address SOCKS {version} can carry"))
}

fn connect_proxy(p: &ProxyUrl, timeout: Duration) -> Result<TcpStream, String> {
    let addrs: Vec<SocketAddr> = (p.host.as_str(), p.port)
        .to_socket_addrs()
        .map_err(|e| format!("proxy {}: {e}", p.host))?
        .collect();
    let mut last = format!("proxy {}: no address", p.host);
    for addr in addrs {
        match TcpStream::connect_timeout(&addr, timeout) {
            Ok(s) => return Ok(s),
            Err(e) => last = format!("cannot connect to the proxy at {addr}: {e}"),
        }
    }
    Err(last)
}

/// Prints bytes and what the dissector makes of them.
fn show(log: &Log, dissector: &mut Dissector, dir: Direction, bytes: &[u8]) {
    let arrow = match dir {
        Direction::ClientToServer => ">",
        Direction::ServerToClient => "<",
    };
    log.line(&format!("{arrow} {}", hex(bytes)));
    let mut events = dissector.feed(dir, bytes);
    while let Some(e) = events.next() {
        log.line(&format!("    {}", e.kind));
    }
}

fn reply_text(reply: &SocksReply<'_>) -> String {
    let status = match reply.socks4_status() {
        Some(s) => format!("{:02X} {s}", s.0),
        None => format!("{:02X} {}", reply.status().0, reply.status()),
    };
    let bound = match reply.addr() {
        SocksAddr::Ip(IpAddr::V6(ip)) => format!("[{ip}]:{}", reply.port()),
        a => format!("{a}:{}", reply.port()),
    };
    format!("{status}, bound {bound}")
}

fn probe(opts: &Options, log: &Log) -> Result<ExitCode, String> {
    let scheme = opts.proxy.scheme;
    let version = scheme.version();
    let (host, port) = split_host_port(&opts.target)?;
    let port = match (port, opts.mode) {
        (Some(p), _) => p,
        (None, Mode::Connect) => return Err(format!("{}: no port", opts.target)),
        (None, _) => 0,
    };
    let addr = target_addr(opts, &host, version)?;
    let cmd = match opts.mode {
        Mode::Connect => SocksCmd::CONNECT,
        Mode::Resolve => SocksCmd::RESOLVE,
        Mode::ResolvePtr => SocksCmd::RESOLVE_PTR,
    };
    let auth = match (&opts.proxy.user, version) {
        (None, _) => SocksAuth::NoAuth,
        (Some(u), SocksVersion::V4) if u.is_empty() => SocksAuth::NoAuth,
        (Some(u), SocksVersion::V4) => SocksAuth::Socks4(u.as_bytes()),
        (Some(u), _) => SocksAuth::Username(
            u.as_bytes(),
            opts.proxy.password.as_deref().unwrap_or("").as_bytes(),
        ),
    };
    let request = SocksRequest::new(version, cmd, addr, port, auth).map_err(|e| e.to_string())?;
    let proxy_host = match ip_literal(&opts.proxy.host) {
        Some(IpAddr::V6(ip)) => format!("[{ip}]"),
        _ => opts.proxy.host.clone(),
    };
    log.line(&format!(
        "proxy {}://{proxy_host}:{}, request {} {cmd} {}",
        scheme.name(),
        opts.proxy.port,
        if version == SocksVersion::V4 && matches!(addr, SocksAddr::Hostname(_)) {
            "socks4a".to_string()
        } else {
            version.to_string()
        },
        request.target()
    ));

    let mut stream = connect_proxy(&opts.proxy, opts.timeout)?;
    let _ = stream.set_nodelay(true);
    stream
        .set_read_timeout(Some(opts.timeout))
        .and_then(|()| stream.set_write_timeout(Some(opts.timeout)))
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut hs = SocksClientHandshake::new(request).optimistic(opts.optimistic);
    let mut buf = Buffer::new();
    let mut dissector = Dissector::new();
    let outcome = loop {
        match hs.step(&mut buf) {
            Err(e) => break Err(e),
            Ok(NextStep::Send(bytes)) => {
                show(log, &mut dissector, Direction::ClientToServer, bytes);
                stream
                    .write_all(bytes)
                    .map_err(|e| format!("sending: {e}"))?;
            }
            Ok(NextStep::Recv(mut recv)) => {
                let n = loop {
                    match stream.read(recv.buf()) {
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(e)
                            if matches!(
                                e.kind(),
                                io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                            ) =>
                        {
                            log.line("< (nothing)");
                            return Err(format!(
                                "no answer from the proxy within {:.1} s",
                                opts.timeout.as_secs_f64()
                            ));
                        }
                        Err(e) => return Err(format!("receiving: {e}")),
                        Ok(n) => break n,
                    }
                };
                match recv.buf().get(..n) {
                    Some([]) | None => log.line("< EOF (the proxy closed the connection)"),
                    Some(bytes) => show(log, &mut dissector, Direction::ServerToClient, bytes),
                }
                if let Err(e) = recv.note_received(n) {
                    break Err(e);
                }
            }
            Ok(NextStep::Finished(done)) => break Ok(done.into_output_and_slice()),
        }
    };
    let (reply, early) = match outcome {
        Ok(r) => r,
        Err(e @ (Error::AuthRejected | Error::UnsupportedMethod(_))) => {
            log.line(&format!("refused: {e}"));
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => return Err(e.to_string()),
    };
    let elapsed = started.elapsed().as_secs_f64() * 1000.0;
    if reply.status() != SocksStatus::SUCCEEDED {
        log.line(&format!("reply: {} ({elapsed:.1} ms)", reply_text(&reply)));
        return Ok(ExitCode::FAILURE);
    }
    match opts.mode {
        Mode::Connect => log.line(&format!("reply: {} ({elapsed:.1} ms)", reply_text(&reply))),
        _ => log.line(&format!(
            "resolved: {} ({elapsed:.1} ms)",
            match reply.addr() {
                SocksAddr::Ip(ip) => ip.to_string(),
                SocksAddr::Hostname(h) => h.to_string(),
            }
        )),
    }
    if opts.relay {
        relay(stream, early).map_err(|e| format!("relay: {e}"))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Copies stdin to the tunnel (half-closing it at EOF) and the tunnel to stdout, until the
/// tunnel ends.
fn relay(stream: TcpStream, early: &[u8]) -> io::Result<()> {
    stream.set_read_timeout(None)?;
    stream.set_write_timeout(None)?;
    let mut out = io::stdout().lock();
    out.write_all(early)?;
    out.flush()?;
    let mut up = stream.try_clone()?;
    // Not joined: stdin may never end, and the process exits when the tunnel does.
    thread::spawn(move || {
        let copied = io::copy(&mut io::stdin().lock(), &mut up);
        if copied.is_ok() {
            let _ = up.shutdown(Shutdown::Write);
        }
    });
    let mut down = &stream;
    let mut buf = vec![0; 16384];
    loop {
        let n = match down.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        out.write_all(buf.get(..n).unwrap_or_default())?;
        out.flush()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url::Scheme;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parse_args_forms() {
        let o = parse_args(&args(&[
            "--proxy",
            "socks5h://u:p@127.0.0.1:9050",
            "example.com:80",
        ]))
        .unwrap();
        assert_eq!(o.proxy.scheme, Scheme::Socks5h);
        assert_eq!(o.proxy.user.as_deref(), Some("u"));
        assert_eq!(o.target, "example.com:80");
        let o = parse_args(&args(&[
            "--proxy",
            "socks5://u:p@127.0.0.1",
            "--user",
            "v",
            "--password",
            "q",
            "--resolve",
            "example.com",
        ]))
        .unwrap();
        assert_eq!(o.proxy.user.as_deref(), Some("v"));
        assert_eq!(o.proxy.password.as_deref(), Some("q"));
        assert!(o.mode == Mode::Resolve);
        for bad in [
            &["example.com:80"][..],
            &["--proxy", "socks5://h"],
            &["--proxy", "socks5://h", "--resolve", "--resolve-ptr", "x"],
            &["--proxy", "socks5://h", "--resolve", "--relay", "x"],
            &["--proxy", "socks5://h", "a:1", "b:2"],
            &["--proxy", "socks5://h", "--password", "p", "a:1"],
        ] {
            assert!(parse_args(&args(bad)).is_err(), "{bad:?}");
        }
    }
}
