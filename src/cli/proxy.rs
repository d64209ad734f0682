//! `sockswire proxy`: a small Tor-flavoured SOCKS4/4a/5 proxy on [`SocksProxyHandshake`].
//!
//! # Why threads, not tokio
//!
//! * The handshake is sans-IO, so the choice only shapes the socket code, and std threads
//!   need no new dependency (the crate has no async runtime and keeps its dependencies few).
//! * Blocking code with socket timeouts is short and easy to audit: the handshake deadline is
//!   a read/write timeout recomputed before each call, the relay is two `read`/`write_all`
//!   loops, half-close is `shutdown(Write)`. No `select!`, no cancellation semantics.
//! * The system resolver (`getaddrinfo`) blocks anyway; tokio would run it on a thread pool.
//! * A thread costs little when its stack is small ([`STACK_SIZE`] reserved, a few KiB
//!   touched): `tests/interop/load.py` measures about 10 KiB of RSS per connection held in
//!   the handshake and 20-30 KiB per idle tunnel (two threads, two 4 KiB buffers).
//!
//! The price: one thread per connection in the handshake, two while relaying. `--max-conns`
//! bounds them (extra clients wait in the accept queue); a proxy for tens of thousands of
//! connections would want an event loop. The listening sockets are made with `socket2`
//! because std fixes the listen backlog at 128: a burst of more new connections than the
//! accept loop drains would meet SYN retries (seconds each); `--backlog` sets it (default
//! 1024, capped by the kernel's `net.core.somaxconn`).
//!
//! # Ctrl-C
//!
//! SIGINT and SIGTERM (through the `ctrlc` crate: std has no signal API) shut the proxy down
//! cleanly: new connections are refused, open ones get [`SHUTDOWN_GRACE`] to finish, then the
//! process exits with status 0 and says how many it had to cut.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Shutdown, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::process::{Command as Process, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use sockswire::{
    Buffer, Command, Credentials, Handshake, NextStep, Profile, ProxyPolicy, ReplyCode, SocksAddr,
    SocksHostname, SocksProxyHandshake, SocksRequest, SocksVersion,
};

use crate::url::ip_literal;

pub(crate) const USAGE: &str = "\
usage: sockswire proxy [--listen ADDR]... [--profile arti|ctor|rfc1928]
                       [--user NAME --password PASS] [--handshake-timeout SECS]
                       [--connect-timeout SECS] [--idle-timeout SECS]
                       [--max-conns N] [--backlog N] [--max-buffer BYTES] [--quiet]

A SOCKS4/4a/5 proxy: CONNECT (TCP relay both ways, half-close kept), and Tor's RESOLVE
and RESOLVE_PTR through the system resolver (RESOLVE_PTR runs `getent hosts ADDR`).
One line per connection on stderr: client, request, outcome, payload bytes relayed up
(client to target) and down, duration. Ctrl-C ends the process and every connection.

  --listen ADDR            address to listen on, repeatable (default 127.0.0.1:1080;
                           [::1]:1080 for IPv6; port 0 picks one, printed on stderr)
  --profile P              handshake behaviour: arti (default, tor-socksproto's), ctor
                           (C Tor's), rfc1928 (plain RFC server; BIND and UDP ASSOCIATE
                           are then answered 07, not implemented)
  --user NAME --password PASS
                           require RFC 1929 username/password (SOCKS4 and no-auth refused)
  --handshake-timeout SECS close clients that have not finished the handshake (default 10)
  --connect-timeout SECS   give up connecting to a target: TTL_EXPIRED (default 10)
  --idle-timeout SECS      close a relay idle both ways this long (default: never)
  --max-conns N            connections served at once; more wait in the accept queue
                           (default 1024)
  --backlog N              listen queue length: connections the kernel completes before
                           the proxy accepts them (default 1024, at most net.core.somaxconn)
  --max-buffer BYTES       relay buffer per direction, the most bytes held in flight: it
                           starts at 4 KiB and grows to this with traffic (default 16384)
  --quiet                  no per-connection lines
";

/// Writes one line on stderr. Unlike `eprintln!`, never panics (a closed pipe loses lines,
/// not connections).
macro_rules! log {
    ($($arg:tt)*) => {{
        let _ = writeln!(io::stderr().lock(), $($arg)*);
    }};
}

/// Reserved stack per connection thread (only touched pages cost memory). Enough for
/// glibc's `getaddrinfo`, whose NSS modules use a few tens of KiB.
const STACK_SIZE: usize = 256 * 1024;

struct Config {
    listen: Vec<String>,
    profile: Profile,
    credentials: Option<(Vec<u8>, Vec<u8>)>,
    handshake_timeout: Duration,
    connect_timeout: Duration,
    idle_timeout: Option<Duration>,
    max_conns: usize,
    backlog: usize,
    max_buffer: usize,
    quiet: bool,
}

impl Config {
    fn policy(&self) -> ProxyPolicy<'_> {
        let mut policy = ProxyPolicy::profile(self.profile);
        if let Some((username, password)) = &self.credentials {
            policy.credentials = Credentials::Exact { username, password };
        }
        policy
    }
}

/// A command-line duration: seconds, fractions allowed, more than 0.
pub(crate) fn seconds(flag: &str, v: Option<&String>) -> Result<Duration, String> {
    let v = v.ok_or_else(|| format!("{flag} needs a number of seconds"))?;
    v.parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0 && *s < 1e9)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("{flag}: bad number of seconds {v:?}"))
}

fn count(flag: &str, v: Option<&String>) -> Result<usize, String> {
    let v = v.ok_or_else(|| format!("{flag} needs a number"))?;
    v.parse::<usize>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("{flag}: bad number {v:?}"))
}

/// A listening socket with the given backlog (std's `TcpListener::bind` fixes it at 128).
/// Otherwise as std makes it: `SO_REUSEADDR`, so a restart can rebind at once, and the
/// system's default for IPv6-only.
fn listen(addr: SocketAddr, backlog: usize) -> io::Result<TcpListener> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(i32::try_from(backlog).unwrap_or(i32::MAX))?;
    Ok(socket.into())
}

fn parse_args(args: &[String]) -> Result<Config, String> {
    let mut c = Config {
        listen: Vec::new(),
        profile: Profile::Arti,
        credentials: None,
        handshake_timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(10),
        idle_timeout: None,
        max_conns: 1024,
        backlog: 1024,
        max_buffer: 16384,
        quiet: false,
    };
    let (mut user, mut password) = (None, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--listen" => c
                .listen
                .push(it.next().ok_or("--listen needs an address")?.clone()),
            "--profile" => {
                c.profile = match it.next().map(String::as_str) {
                    Some("arti") => Profile::Arti,
                    Some("ctor") => Profile::CTor,
                    Some("rfc1928") => Profile::Rfc1928,
                    other => {
                        return Err(format!(
                            "--profile: expected arti, ctor or rfc1928, got {other:?}"
                        ));
                    }
                }
            }
            "--user" => user = Some(it.next().ok_or("--user needs a name")?.clone()),
            "--password" => password = Some(it.next().ok_or("--password needs a value")?.clone()),
            "--handshake-timeout" => c.handshake_timeout = seconds(a, it.next())?,
            "--connect-timeout" => c.connect_timeout = seconds(a, it.next())?,
            "--idle-timeout" => c.idle_timeout = Some(seconds(a, it.next())?),
            "--max-conns" => c.max_conns = count(a, it.next())?,
            "--backlog" => c.backlog = count(a, it.next())?,
            "--max-buffer" => c.max_buffer = count(a, it.next())?,
            "--quiet" | "-q" => c.quiet = true,
            other => return Err(format!("unknown option {other}")),
        }
    }
    c.credentials = match (user, password) {
        (Some(u), Some(p)) if u.len() <= 255 && p.len() <= 255 => Some((u.into(), p.into())),
        (Some(_), Some(_)) => return Err("--user and --password are at most 255 bytes".into()),
        (None, None) => None,
        _ => return Err("--user and --password go together".into()),
    };
    if c.listen.is_empty() {
        c.listen.push("127.0.0.1:1080".into());
    }
    Ok(c)
}

/// The cap on concurrent connections.
struct Slots {
    active: Mutex<usize>,
    freed: Condvar,
    max: usize,
    /// Whether "full" was logged since the count last fell below half the cap.
    warned: AtomicBool,
}

struct Slot<'s>(&'s Slots);

impl Slots {
    /// Connections open now.
    fn open(&self) -> usize {
        *self.active.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until no connection is open or `grace` has passed; returns how many are left.
    fn wait_idle(&self, grace: Duration) -> usize {
        let deadline = Instant::now() + grace;
        let mut active = self.active.lock().unwrap_or_else(PoisonError::into_inner);
        while *active > 0 {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                break;
            };
            active = self
                .freed
                .wait_timeout(active, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        *active
    }

    fn acquire(&self, quiet: bool) -> Slot<'_> {
        let mut active = self.active.lock().unwrap_or_else(PoisonError::into_inner);
        if *active >= self.max && !quiet && !self.warned.swap(true, Ordering::Relaxed) {
            log!(
                "sockswire proxy: {} connections open (--max-conns): new clients wait",
                self.max
            );
        }
        while *active >= self.max {
            active = self
                .freed
                .wait(active)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *active += 1;
        Slot(self)
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut active = self.0.active.lock().unwrap_or_else(PoisonError::into_inner);
        *active -= 1;
        if *active < self.0.max / 2 {
            self.0.warned.store(false, Ordering::Relaxed);
        }
        self.0.freed.notify_all();
    }
}

struct Shared {
    config: Config,
    slots: Slots,
    next_id: AtomicU64,
}

pub(crate) fn run(args: &[String]) -> ExitCode {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        print!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let config = match parse_args(args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("sockswire proxy: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut listeners = Vec::new();
    for spec in &config.listen {
        let addrs = match spec.to_socket_addrs() {
            Ok(a) => a.collect::<Vec<_>>(),
            Err(e) => {
                eprintln!("sockswire proxy: --listen {spec}: {e}");
                return ExitCode::from(2);
            }
        };
        for addr in addrs {
            match listen(addr, config.backlog) {
                Ok(l) => listeners.push(l),
                Err(e) => {
                    eprintln!("sockswire proxy: cannot listen on {addr}: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
    }
    let shared: &'static Shared = Box::leak(Box::new(Shared {
        slots: Slots {
            active: Mutex::new(0),
            freed: Condvar::new(),
            max: config.max_conns,
            warned: AtomicBool::new(false),
        },
        config,
        next_id: AtomicU64::new(1),
    }));
    let profile = match shared.config.profile {
        Profile::CTor => "ctor",
        Profile::Rfc1928 => "rfc1928",
        _ => "arti",
    };
    for l in &listeners {
        if let Ok(addr) = l.local_addr() {
            log!(
                "sockswire proxy: listening on {addr} (profile {profile}{})",
                if shared.config.credentials.is_some() {
                    ", username/password required"
                } else {
                    ""
                }
            );
        }
    }
    let mut threads = Vec::new();
    for l in listeners {
        let spawned = thread::Builder::new()
            .name("accept".into())
            .spawn(move || accept_loop(&l, shared));
        match spawned {
            Ok(t) => threads.push(t),
            Err(e) => {
                eprintln!("sockswire proxy: cannot start a thread: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    let (tx, rx) = std::sync::mpsc::channel();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = tx.send(());
    }) {
        log!("sockswire proxy: no Ctrl-C handler ({e}); Ctrl-C ends the process at once");
        for t in threads {
            let _ = t.join();
        }
        return ExitCode::FAILURE;
    }
    let _ = rx.recv();
    SHUTTING_DOWN.store(true, Ordering::SeqCst);
    let open = shared.slots.open();
    log!(
        "sockswire proxy: shutting down, {open} connections open, waiting up to {SHUTDOWN_GRACE:?}"
    );
    let left = shared.slots.wait_idle(SHUTDOWN_GRACE);
    log!("sockswire proxy: stopped ({left} connections cut)");
    drop(threads);
    ExitCode::SUCCESS
}

/// How long open connections get to finish after Ctrl-C.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Set on Ctrl-C: accepted connections are closed at once.
static SHUTTING_DOWN: AtomicBool = AtomicBool::new(false);

fn accept_loop(listener: &TcpListener, shared: &'static Shared) {
    loop {
        let (stream, peer) = match listener.accept() {
            Ok(c) => c,
            Err(e) => {
                // Out of file descriptors and the like: wait for connections to close.
                if !matches!(
                    e.kind(),
                    io::ErrorKind::ConnectionAborted | io::ErrorKind::Interrupted
                ) {
                    log!("sockswire proxy: accept: {e}");
                    thread::sleep(Duration::from_millis(100));
                }
                continue;
            }
        };
        if SHUTTING_DOWN.load(Ordering::SeqCst) {
            drop(stream);
            continue;
        }
        // At the cap, this client (and those behind it in the kernel's queue) wait here.
        let slot = shared.slots.acquire(shared.config.quiet);
        let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
        let spawned = thread::Builder::new()
            .name(format!("conn-{id}"))
            .stack_size(STACK_SIZE)
            .spawn(move || {
                let _slot = slot;
                connection(stream, peer, id, &shared.config);
            });
        if let Err(e) = spawned {
            log!("sockswire proxy: #{id} {peer}: cannot start a thread: {e}");
        }
    }
}

/// What the log line says about one connection.
#[derive(Default)]
struct Record {
    request: String,
    outcome: String,
    up: u64,
    down: u64,
}

fn connection(client: TcpStream, peer: SocketAddr, id: u64, config: &Config) {
    let start = Instant::now();
    let mut rec = Record::default();
    serve(client, config, &mut rec);
    if !config.quiet {
        let request = if rec.request.is_empty() {
            String::new()
        } else {
            format!("{} ", rec.request)
        };
        log!(
            "#{id} {peer} {request}-> {} up={} down={} {:.3}s",
            rec.outcome,
            rec.up,
            rec.down,
            start.elapsed().as_secs_f64()
        );
    }
}

/// Hex bytes separated by spaces.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&format!("{b:02x}"));
    }
    s
}

fn remaining(deadline: Instant) -> io::Result<Duration> {
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        Err(io::Error::new(
            io::ErrorKind::TimedOut,
            "handshake deadline passed",
        ))
    } else {
        Ok(left)
    }
}

fn read_by(s: &mut TcpStream, buf: &mut [u8], deadline: Instant) -> io::Result<usize> {
    loop {
        s.set_read_timeout(Some(remaining(deadline)?))?;
        match s.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if is_timeout(&e) => {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "handshake timed out",
                ));
            }
            other => return other,
        }
    }
}

fn write_by(s: &mut TcpStream, bytes: &[u8], deadline: Instant) -> io::Result<()> {
    s.set_write_timeout(Some(remaining(deadline)?))?;
    s.write_all(bytes)
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

enum Failure {
    Protocol(sockswire::Error),
    Io(io::Error),
}

fn serve(mut client: TcpStream, config: &Config, rec: &mut Record) {
    let _ = client.set_nodelay(true);
    let deadline = Instant::now() + config.handshake_timeout;
    let mut hs = SocksProxyHandshake::with_policy(config.policy());
    let mut buf = Buffer::new();
    let done = loop {
        match hs.step(&mut buf) {
            Err(e) => break Err(Failure::Protocol(e)),
            Ok(NextStep::Send(bytes)) => {
                if let Err(e) = write_by(&mut client, bytes, deadline) {
                    break Err(Failure::Io(e));
                }
            }
            Ok(NextStep::Recv(mut recv)) => match read_by(&mut client, recv.buf(), deadline) {
                Ok(n) => {
                    if let Err(e) = recv.note_received(n) {
                        break Err(Failure::Protocol(e));
                    }
                }
                Err(e) => break Err(Failure::Io(e)),
            },
            Ok(NextStep::Finished(done)) => break Ok(done.into_output_and_slice()),
        }
    };
    let (request, early) = match done {
        Ok(d) => d,
        Err(fail) => {
            if let Some(v) = hs.version() {
                rec.request = v.to_string();
            }
            rec.outcome = match fail {
                Failure::Io(e) => format!("handshake failed: {e}"),
                Failure::Protocol(e) => match hs.failure_reply() {
                    Some(reply) => {
                        let sent = write_by(&mut client, reply, deadline.max(soon()));
                        let shown = if reply.len() > 16 {
                            format!("a {}-byte page", reply.len())
                        } else {
                            hex(reply)
                        };
                        match sent {
                            Ok(()) => format!("handshake failed: {e}; sent {shown}"),
                            Err(w) => format!("handshake failed: {e}; could not send {shown}: {w}"),
                        }
                    }
                    None => format!("handshake failed: {e}"),
                },
            };
            return;
        }
    };
    rec.request = describe(&request);
    match request.command() {
        Command::CONNECT => connect(client, &request, early, config, rec),
        Command::RESOLVE => {
            let (status, answer) = resolve(&request);
            answer_lookup(
                &mut client,
                &request,
                status,
                answer.map(SocksAddr::Ip),
                config,
                rec,
            );
        }
        Command::RESOLVE_PTR => {
            let (status, name, note) = resolve_ptr(&request, config.connect_timeout);
            let addr = name
                .as_deref()
                .and_then(|n| SocksHostname::try_from(n).ok())
                .map(SocksAddr::Hostname);
            answer_lookup(&mut client, &request, status, addr, config, rec);
            if let Some(note) = note {
                rec.outcome.push_str(&format!(" ({note})"));
            }
        }
        _ => {
            // BIND and UDP ASSOCIATE pass the rfc1928 handshake but are not implemented.
            send_reply(
                &mut client,
                &request,
                ReplyCode::COMMAND_NOT_SUPPORTED,
                None,
                config,
                rec,
            );
            rec.outcome.push_str(" (not implemented)");
        }
    }
}

fn soon() -> Instant {
    Instant::now() + Duration::from_secs(1)
}

fn describe(r: &SocksRequest<'_>) -> String {
    let version = if r.is_socks4a() {
        "socks4a".to_string()
    } else {
        r.version().to_string()
    };
    let mut s = format!("{version} {} {}", r.command(), r.target());
    match r.auth() {
        sockswire::SocksAuth::Socks4(id) => {
            s.push_str(&format!(" user-id={:?}", String::from_utf8_lossy(id)));
        }
        sockswire::SocksAuth::Username(u, _) => {
            s.push_str(&format!(" user={:?}", String::from_utf8_lossy(u)));
        }
        _ => {}
    }
    s
}

/// Writes the reply and records it as the outcome.
fn send_reply(
    client: &mut TcpStream,
    request: &SocksRequest<'_>,
    status: ReplyCode,
    bound: Option<(&SocksAddr<'_>, u16)>,
    config: &Config,
    rec: &mut Record,
) -> bool {
    let reply = match bound {
        Some((addr, port)) => request.reply_with_port(status, Some(addr), port),
        None => request.reply(status, None),
    };
    let reply = match reply {
        Ok(r) => r,
        Err(e) => {
            rec.outcome = format!("{status}: cannot encode the reply: {e}");
            return false;
        }
    };
    let shown = match request.version() {
        SocksVersion::V4 if status == ReplyCode::SUCCEEDED => "5A GRANTED".to_string(),
        SocksVersion::V4 => format!("5B REJECTED ({status})"),
        _ => status.to_string(),
    };
    let deadline = Instant::now() + config.handshake_timeout;
    match write_by(client, &reply, deadline) {
        Ok(()) => {
            rec.outcome = shown;
            true
        }
        Err(e) => {
            rec.outcome = format!("{shown}, not delivered: {e}");
            false
        }
    }
}

/// The reply code for a failed connect, as Tor maps an exit's errno: refused and reset are
/// CONNECTION_REFUSED, EHOSTUNREACH is HOST_UNREACHABLE (`NOROUTE`), ENETUNREACH is
/// NETWORK_UNREACHABLE, a timeout is TTL_EXPIRED; anything else GENERAL_FAILURE.
fn connect_status(e: &io::Error) -> ReplyCode {
    use io::ErrorKind as K;
    match e.kind() {
        K::ConnectionRefused | K::ConnectionReset => ReplyCode::CONNECTION_REFUSED,
        K::HostUnreachable => ReplyCode::HOST_UNREACHABLE,
        K::NetworkUnreachable | K::NetworkDown => ReplyCode::NETWORK_UNREACHABLE,
        K::TimedOut | K::WouldBlock => ReplyCode::TTL_EXPIRED,
        _ => ReplyCode::GENERAL_FAILURE,
    }
}

/// The addresses of a request's target: its IP, an IP literal name, or the system resolver's
/// answer.
fn target_addrs(request: &SocksRequest<'_>, port: u16) -> io::Result<Vec<SocketAddr>> {
    match request.addr() {
        SocksAddr::Ip(ip) => Ok(vec![SocketAddr::new(*ip, port)]),
        SocksAddr::Hostname(h) => match ip_literal(h.as_str()) {
            Some(ip) => Ok(vec![SocketAddr::new(ip, port)]),
            None => {
                let addrs: Vec<_> = (h.as_str(), port).to_socket_addrs()?.collect();
                if addrs.is_empty() {
                    Err(io::Error::other("the resolver gave no address"))
                } else {
                    Ok(addrs)
                }
            }
        },
    }
}

fn connect(
    mut client: TcpStream,
    request: &SocksRequest<'_>,
    early: &[u8],
    config: &Config,
    rec: &mut Record,
) {
    let addrs = match target_addrs(request, request.port()) {
        Ok(a) => a,
        Err(e) => {
            // Tor: RESOLVEFAILED gives HOST_UNREACHABLE.
            send_reply(
                &mut client,
                request,
                ReplyCode::HOST_UNREACHABLE,
                None,
                config,
                rec,
            );
            rec.outcome.push_str(&format!(": cannot resolve: {e}"));
            return;
        }
    };
    let deadline = Instant::now() + config.connect_timeout;
    let mut last = io::Error::other("no address to try");
    let mut target = None;
    for addr in &addrs {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            last = io::Error::new(io::ErrorKind::TimedOut, "connect timed out");
            break;
        }
        match TcpStream::connect_timeout(addr, left) {
            Ok(t) => {
                target = Some(t);
                break;
            }
            Err(e) => last = e,
        }
    }
    let Some(mut target) = target else {
        send_reply(
            &mut client,
            request,
            connect_status(&last),
            None,
            config,
            rec,
        );
        rec.outcome.push_str(&format!(": {last}"));
        return;
    };
    let _ = target.set_nodelay(true);
    // The RFC's BND.ADDR is the proxy's outgoing socket; Tor sends zeros.
    let local = target
        .local_addr()
        .ok()
        .map(|a| (SocksAddr::Ip(a.ip()), a.port()));
    let bound = match (config.profile, &local) {
        (Profile::Rfc1928, Some((addr, port))) => Some((addr, *port)),
        _ => None,
    };
    if !send_reply(
        &mut client,
        request,
        ReplyCode::SUCCEEDED,
        bound,
        config,
        rec,
    ) {
        return;
    }
    if !early.is_empty() {
        if let Err(e) = target.write_all(early) {
            rec.outcome.push_str(&format!(", target write failed: {e}"));
            return;
        }
        rec.up += early.len() as u64;
    }
    let (up, down, end) = relay(client, target, config);
    rec.up += up;
    rec.down += down;
    rec.outcome.push_str(&format!(", {end}"));
}

/// Last activity, in milliseconds since the relay started, shared by both directions.
struct Activity {
    start: Instant,
    last_ms: AtomicU64,
}

impl Activity {
    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    fn idle(&self) -> Duration {
        let last = Duration::from_millis(self.last_ms.load(Ordering::Relaxed));
        self.start.elapsed().saturating_sub(last)
    }
}

/// How one direction of the relay ended.
enum End {
    /// The source closed its sending side; the half-close was passed on.
    Eof,
    /// Both directions idle past `--idle-timeout`.
    Idle,
    /// Reading from or writing to the named side failed (reset, broken pipe, a peer that
    /// stopped reading).
    Failed(&'static str, &'static str, io::Error),
}

/// The relay buffer's first size: it doubles, up to `--max-buffer`, each time a read fills
/// it, so idle tunnels stay small.
const FIRST_BUFFER: usize = 4096;

/// Copies `from` to `to` until `from` ends, then half-closes `to`.
fn pump(
    (mut from, from_name): (&TcpStream, &'static str),
    (mut to, to_name): (&TcpStream, &'static str),
    max: usize,
    activity: &Activity,
    idle: Option<Duration>,
    bytes: &mut u64,
) -> End {
    let mut buf = vec![0; max.min(FIRST_BUFFER)];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => {
                let _ = to.shutdown(Shutdown::Write);
                return End::Eof;
            }
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if is_timeout(&e) => match idle {
                Some(limit) if activity.idle() >= limit => return End::Idle,
                _ => continue,
            },
            Err(e) => return End::Failed(from_name, "read", e),
        };
        activity.touch();
        if let Err(e) = to.write_all(buf.get(..n).unwrap_or_default()) {
            return End::Failed(to_name, "write", e);
        }
        *bytes += n as u64;
        activity.touch();
        if n == buf.len() && n < max {
            buf.resize((2 * n).min(max), 0);
        }
    }
}

fn end_text(end: &End) -> String {
    match end {
        End::Eof => "closed both ways".into(),
        End::Idle => "idle timeout".into(),
        End::Failed(who, op, e) => format!("{who} {op} failed: {e}"),
    }
}

/// Relays both ways until both directions end; an error or idle timeout in one direction
/// tears down both. Returns the bytes sent up (client to target), down, and how it ended.
fn relay(client: TcpStream, target: TcpStream, config: &Config) -> (u64, u64, String) {
    let idle = config.idle_timeout;
    for s in [&client, &target] {
        // Wake up now and then to check the idle time; no timeout at all otherwise.
        let _ = s.set_read_timeout(idle.map(|d| (d / 4).max(Duration::from_millis(10))));
        let _ = s.set_write_timeout(idle);
    }
    let activity = Activity {
        start: Instant::now(),
        last_ms: AtomicU64::new(0),
    };
    let size = config.max_buffer;
    let teardown = || {
        let _ = client.shutdown(Shutdown::Both);
        let _ = target.shutdown(Shutdown::Both);
    };
    thread::scope(|scope| {
        let down = thread::Builder::new()
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, || {
                let mut n = 0;
                let end = pump(
                    (&target, "target"),
                    (&client, "client"),
                    size,
                    &activity,
                    idle,
                    &mut n,
                );
                if !matches!(end, End::Eof) {
                    teardown();
                }
                (n, end)
            });
        let mut up = 0;
        let up_end = pump(
            (&client, "client"),
            (&target, "target"),
            size,
            &activity,
            idle,
            &mut up,
        );
        if !matches!(up_end, End::Eof) {
            teardown();
        }
        let (down, down_end) = match down {
            Ok(handle) => handle.join().unwrap_or((0, End::Eof)),
            Err(e) => {
                // No thread for the other direction: nothing can flow back.
                teardown();
                return (up, 0, format!("cannot start the relay thread: {e}"));
            }
        };
        // A failure or timeout over a clean end: the other direction ended by the teardown.
        let text = match (&up_end, &down_end) {
            (End::Eof, other) | (other, _) => end_text(other),
        };
        (up, down, text)
    })
}

/// RESOLVE: an IP target is its own answer (as Tor does); a name goes to the system resolver.
/// IPv4 answers are preferred (SOCKS4 can carry nothing else).
fn resolve(request: &SocksRequest<'_>) -> (ReplyCode, Option<IpAddr>) {
    let ips: Vec<IpAddr> = match target_addrs(request, 0) {
        Ok(addrs) => addrs.iter().map(SocketAddr::ip).collect(),
        Err(_) => return (ReplyCode::HOST_UNREACHABLE, None),
    };
    let v4 = ips.iter().find(|ip| ip.is_ipv4()).copied();
    let answer = match request.version() {
        SocksVersion::V4 => v4,
        _ => v4.or(ips.first().copied()),
    };
    match answer {
        Some(ip) => (ReplyCode::SUCCEEDED, Some(ip)),
        None => (ReplyCode::HOST_UNREACHABLE, None),
    }
}

/// RESOLVE_PTR: std has no reverse lookup, so this asks `getent hosts ADDR` (NSS: files,
/// then DNS), bounded by the connect timeout. No answer is HOST_UNREACHABLE; no getent is
/// GENERAL_FAILURE; a target that is not an address is ADDRTYPE_NOT_SUPPORTED.
fn resolve_ptr(
    request: &SocksRequest<'_>,
    limit: Duration,
) -> (ReplyCode, Option<String>, Option<String>) {
    let ip = match request.addr() {
        SocksAddr::Ip(ip) => *ip,
        SocksAddr::Hostname(h) => match ip_literal(h.as_str()) {
            Some(ip) => ip,
            None => {
                return (
                    ReplyCode::ADDRTYPE_NOT_SUPPORTED,
                    None,
                    Some("not an address".into()),
                );
            }
        },
    };
    match getent_hosts(ip, limit) {
        Ok(Some(name)) => (ReplyCode::SUCCEEDED, Some(name), None),
        Ok(None) => (
            ReplyCode::HOST_UNREACHABLE,
            None,
            Some("no PTR name".into()),
        ),
        Err(e) => (
            ReplyCode::GENERAL_FAILURE,
            None,
            Some(format!("getent hosts: {e}")),
        ),
    }
}

fn getent_hosts(ip: IpAddr, limit: Duration) -> io::Result<Option<String>> {
    let mut child = Process::new("getent")
        .arg("hosts")
        .arg(ip.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let deadline = Instant::now() + limit;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::new(io::ErrorKind::TimedOut, "timed out"));
        }
        thread::sleep(Duration::from_millis(5));
    };
    let mut out = String::new();
    if let Some(mut stdout) = child.stdout.take() {
        stdout.read_to_string(&mut out)?;
    }
    if !status.success() {
        return Ok(None);
    }
    // "ADDRESS  CANONICAL-NAME [ALIAS...]"
    Ok(out.split_whitespace().nth(1).map(str::to_string))
}

/// Answers RESOLVE or RESOLVE_PTR.
fn answer_lookup(
    client: &mut TcpStream,
    request: &SocksRequest<'_>,
    status: ReplyCode,
    answer: Option<SocksAddr<'_>>,
    config: &Config,
    rec: &mut Record,
) {
    let (status, answer) = match (request.version(), answer) {
        // A SOCKS4 reply has room for an IPv4 address only.
        (SocksVersion::V4, Some(SocksAddr::Hostname(_))) => {
            send_reply(
                client,
                request,
                ReplyCode::GENERAL_FAILURE,
                None,
                config,
                rec,
            );
            rec.outcome.push_str(": a name does not fit a SOCKS4 reply");
            return;
        }
        (_, Some(a)) if status == ReplyCode::SUCCEEDED => (status, a),
        _ => {
            send_reply(client, request, status, None, config, rec);
            return;
        }
    };
    // C Tor answers with port 0; tor-socksproto with the request's port.
    let port = match config.profile {
        Profile::CTor => 0,
        _ => request.port(),
    };
    if send_reply(client, request, status, Some((&answer, port)), config, rec) {
        rec.outcome.push_str(&format!(" {answer}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parse_args_defaults_and_errors() {
        let c = parse_args(&[]).unwrap();
        assert_eq!(c.listen, ["127.0.0.1:1080"]);
        assert_eq!(c.profile, Profile::Arti);
        assert!(c.credentials.is_none());
        let c = parse_args(&args(&[
            "--listen",
            "[::1]:0",
            "--listen",
            "127.0.0.1:0",
            "--profile",
            "ctor",
            "--user",
            "alice",
            "--password",
            "s3cret",
            "--handshake-timeout",
            "0.5",
            "--max-conns",
            "3",
            "--backlog",
            "4096",
        ]))
        .unwrap();
        assert_eq!(c.listen.len(), 2);
        assert_eq!(c.profile, Profile::CTor);
        assert_eq!(c.handshake_timeout, Duration::from_millis(500));
        assert_eq!(c.max_conns, 3);
        assert_eq!(c.backlog, 4096);
        assert_eq!(parse_args(&[]).unwrap().backlog, 1024);
        assert!(c.policy().credentials.required());
        for bad in [
            &["--user", "a"][..],
            &["--profile", "socks"],
            &["--max-conns", "0"],
            &["--backlog", "0"],
            &["--handshake-timeout", "-1"],
            &["--bogus"],
        ] {
            assert!(parse_args(&args(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn connect_errors_map_as_tor_maps_them() {
        use io::ErrorKind as K;
        let code = |k| connect_status(&io::Error::from(k));
        assert_eq!(code(K::ConnectionRefused), ReplyCode::CONNECTION_REFUSED);
        assert_eq!(code(K::HostUnreachable), ReplyCode::HOST_UNREACHABLE);
        assert_eq!(code(K::NetworkUnreachable), ReplyCode::NETWORK_UNREACHABLE);
        assert_eq!(code(K::TimedOut), ReplyCode::TTL_EXPIRED);
        assert_eq!(code(K::PermissionDenied), ReplyCode::GENERAL_FAILURE);
    }

    #[test]
    fn hex_spaces() {
        assert_eq!(hex(&[5, 0xff]), "05 ff");
        assert_eq!(hex(&[]), "");
    }
}
