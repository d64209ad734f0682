//! `sockswire proxy`: a small Tor-flavoured SOCKS4/4a/5 proxy on the crate's tokio adapters
//! ([`sockswire::io::tokio::accept`] over [`sockswire::SocksProxyHandshake`]).
//!
//! One file per concern: [`config`] (flags and defaults), [`session`] (one client: handshake,
//! dispatch, log line), [`connect`] (CONNECT), [`relay`] (the tunnel), [`lookup`] (RESOLVE,
//! RESOLVE_PTR, target addresses), [`limits`] (`--max-conns`). This file binds the
//! listeners and runs the accept loops until Ctrl-C.
//!
//! # Why tokio
//!
//! A task in the handshake costs its future (about 1.5 KB for the adapter's) and a socket,
//! where a thread costs a stack and a kernel task: tens of thousands of slow clients fit.
//! The system resolver (`getaddrinfo`) and `getent` block, so they run on tokio's blocking
//! pool. The listening sockets are made with `socket2` because std fixes the listen backlog
//! at 128: a burst of more new connections than the accept loop drains would meet SYN
//! retries (seconds each); `--backlog` sets it (default 1024, capped by the kernel's
//! `net.core.somaxconn`).
//!
//! # Ctrl-C
//!
//! SIGINT and SIGTERM (through the `ctrlc` crate: std has no signal API) shut the proxy down
//! cleanly: new connections are refused, open ones get [`SHUTDOWN_GRACE`] to finish, then the
//! process exits with status 0 and says how many it had to cut.

use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use sockswire::{AccessPolicy, Profile};

/// Writes one line on stderr. Unlike `eprintln!`, never panics (a closed pipe loses lines,
/// not connections).
macro_rules! log {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod access;
mod config;
mod connect;
mod limits;
mod lookup;
mod record;
mod relay;
mod session;

use config::{Config, USAGE, parse_args};
use limits::Slots;

/// What every connection shares.
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) access: &'static AccessPolicy<'static>,
    pub(crate) slots: Slots,
    pub(crate) next_id: AtomicU64,
}

/// How long open connections get to finish after Ctrl-C.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Set on Ctrl-C: accepted connections are closed at once.
pub(crate) static SHUTTING_DOWN: AtomicBool = AtomicBool::new(false);

/// A listening socket with the given backlog (std's `TcpListener::bind` fixes it at 128).
/// Otherwise as std makes it: `SO_REUSEADDR`, so a restart can rebind at once, and the
/// system's default for IPv6-only.
fn listen(addr: SocketAddr, backlog: usize) -> io::Result<std::net::TcpListener> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(i32::try_from(backlog).unwrap_or(i32::MAX))?;
    socket.set_nonblocking(true)?;
    Ok(socket.into())
}

/// Binds every `--listen` address; an error says which and what exit code it deserves.
fn bind_all(config: &Config) -> Result<Vec<std::net::TcpListener>, (String, ExitCode)> {
    let mut listeners = Vec::new();
    for spec in &config.listen {
        let addrs = spec
            .to_socket_addrs()
            .map_err(|e| (format!("--listen {spec}: {e}"), ExitCode::from(2)))?;
        for addr in addrs {
            let l = listen(addr, config.backlog)
                .map_err(|e| (format!("cannot listen on {addr}: {e}"), ExitCode::FAILURE))?;
            listeners.push(l);
        }
    }
    Ok(listeners)
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
    let listeners = match bind_all(&config) {
        Ok(l) => l,
        Err((e, code)) => {
            eprintln!("sockswire proxy: {e}");
            return code;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("sockswire-proxy")
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("sockswire proxy: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let bound = listeners
        .iter()
        .filter_map(|l| l.local_addr().ok())
        .collect();
    let access = match access::build(&config, bound) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("sockswire proxy: {e}");
            return ExitCode::from(2);
        }
    };
    let shared: &'static Shared = Box::leak(Box::new(Shared {
        access,
        slots: Slots::new(config.max_conns, config.max_per_client),
        config,
        next_id: AtomicU64::new(1),
    }));
    let profile = match shared.config.profile {
        Profile::CTor => "ctor",
        Profile::Rfc1928 => "rfc1928",
        _ => "arti",
    };
    for l in listeners {
        let addr = l.local_addr();
        let listener = match runtime.block_on(async { tokio::net::TcpListener::from_std(l) }) {
            Ok(l) => l,
            Err(e) => {
                eprintln!("sockswire proxy: cannot register a listener: {e}");
                return ExitCode::FAILURE;
            }
        };
        if let Ok(addr) = addr {
            log!(
                "sockswire proxy: listening on {addr} (profile {profile}{})",
                if shared.config.credentials.is_some() {
                    ", username/password required"
                } else {
                    ""
                }
            );
        }
        runtime.spawn(session::accept_loop(listener, shared));
    }
    let (tx, rx) = std::sync::mpsc::channel();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = tx.send(());
    }) {
        log!("sockswire proxy: no Ctrl-C handler ({e}); Ctrl-C ends the process at once");
        runtime.block_on(std::future::pending::<()>());
        return ExitCode::FAILURE;
    }
    let _ = rx.recv();
    SHUTTING_DOWN.store(true, Ordering::SeqCst);
    let open = shared.slots.open();
    log!(
        "sockswire proxy: shutting down, {open} connections open, waiting up to {SHUTDOWN_GRACE:?}"
    );
    let left = runtime.block_on(shared.slots.wait_idle(SHUTDOWN_GRACE));
    log!("sockswire proxy: stopped ({left} connections cut)");
    runtime.shutdown_background();
    ExitCode::SUCCESS
}
