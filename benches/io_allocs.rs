//! Allocations per socket handshake: sockswire's adapters beside tokio-socks and
//! fast-socks5 doing the same job in the same run, counted by a per-thread global
//! allocator. Each case is one SOCKS5 CONNECT to `example.com:443`, no authentication, over
//! an established loopback connection whose other end is a peer thread (not counted). Only
//! the handshake call is counted: not the TCP connect, not the runtime.
//!
//! ```text
//! cargo bench --features tokio --bench io_allocs            # the table
//! cargo bench --features tokio --bench io_allocs -- --check # fail if a sockswire case allocates
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use sockswire::io::{blocking, tokio as swx_tokio};
use sockswire::{SocksClientHandshake, SocksProxyHandshake, SocksStatus};

struct Counting;

thread_local! {
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
    static BYTES: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: every call is forwarded unchanged to the system allocator; the counters are
// const-initialised thread-locals without destructors, so counting never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCS.try_with(|n| n.set(n.get() + 1));
        let _ = BYTES.try_with(|n| n.set(n.get() + layout.size() as u64));
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCS.try_with(|n| n.set(n.get() + 1));
        let _ = BYTES.try_with(|n| n.set(n.get() + new_size as u64));
        // SAFETY: the caller's contract is passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn counters() -> (u64, u64) {
    (ALLOCS.with(Cell::get), BYTES.with(Cell::get))
}

const N: usize = 200;
const T: Duration = Duration::from_secs(10);
/// Greeting and CONNECT example.com:443, as one write.
const CLIENT_BYTES: &[u8] = b"\x05\x01\x00\x05\x01\x00\x03\x0bexample.com\x01\xbb";

/// A peer thread serving `n` connections with `serve`.
fn peer(n: usize, serve: fn(TcpStream)) -> (SocketAddr, thread::JoinHandle<()>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    let h = thread::spawn(move || {
        for _ in 0..n {
            let (s, _) = l.accept().unwrap();
            s.set_read_timeout(Some(T)).unwrap();
            serve(s);
        }
    });
    (addr, h)
}

/// A SOCKS5 server for the client cases: sockswire's blocking accept, then a success reply,
/// then wait for the client to close.
fn serve_socks(mut s: TcpStream) {
    let a = blocking::accept(&mut s, SocksProxyHandshake::new(), None).unwrap();
    let reply = a.request().reply(SocksStatus::SUCCEEDED, None).unwrap();
    s.write_all(&reply).unwrap();
    let _ = s.read_to_end(&mut Vec::new());
}

/// A client for the server cases: the whole request in one write, then wait for the
/// server to close.
fn send_request(mut s: TcpStream) {
    s.write_all(CLIENT_BYTES).unwrap();
    let _ = s.read_to_end(&mut Vec::new());
}

struct Row {
    name: &'static str,
    ours: bool,
    allocs: f64,
    bytes: f64,
    micros: f64,
}

/// Runs `case` N times against a fresh peer, counting only inside `case`'s `measure`.
fn run_client(
    rows: &mut Vec<Row>,
    name: &'static str,
    ours: bool,
    case: impl Fn(TcpStream) -> (u64, u64),
) {
    let (addr, h) = peer(N, serve_socks);
    let (mut a, mut b) = (0, 0);
    let start = Instant::now();
    for _ in 0..N {
        let s = TcpStream::connect(addr).unwrap();
        let (x, y) = case(s);
        a += x;
        b += y;
    }
    let micros = start.elapsed().as_secs_f64() * 1e6 / N as f64;
    h.join().unwrap();
    rows.push(Row {
        name,
        ours,
        allocs: a as f64 / N as f64,
        bytes: b as f64 / N as f64,
        micros,
    });
}

fn run_server(
    rows: &mut Vec<Row>,
    name: &'static str,
    ours: bool,
    case: impl Fn(TcpStream) -> (u64, u64),
) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    let h = thread::spawn(move || {
        for _ in 0..N {
            send_request(TcpStream::connect(addr).unwrap());
        }
    });
    let (mut a, mut b) = (0, 0);
    let start = Instant::now();
    for _ in 0..N {
        let (s, _) = l.accept().unwrap();
        s.set_read_timeout(Some(T)).unwrap();
        let (x, y) = case(s);
        a += x;
        b += y;
    }
    let micros = start.elapsed().as_secs_f64() * 1e6 / N as f64;
    h.join().unwrap();
    rows.push(Row {
        name,
        ours,
        allocs: a as f64 / N as f64,
        bytes: b as f64 / N as f64,
        micros,
    });
}

/// Counts allocations during `f`.
fn measure<R>(f: impl FnOnce() -> R) -> (R, (u64, u64)) {
    let (a0, b0) = counters();
    let r = f();
    let (a1, b1) = counters();
    (r, (a1 - a0, b1 - b0))
}

fn main() {
    let check = std::env::args().any(|a| a == "--check");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut rows = Vec::new();

    // ---- client side
    run_client(
        &mut rows,
        "client: sockswire io::blocking::connect",
        true,
        |mut s| {
            let req = sockswire::io::socks5_connect("example.com", 443).unwrap();
            let (c, n) = measure(|| {
                blocking::connect(&mut s, SocksClientHandshake::new(req), None).unwrap()
            });
            assert_eq!(c.reply().status(), SocksStatus::SUCCEEDED);
            n
        },
    );
    run_client(
        &mut rows,
        "client: sockswire io::tokio::connect",
        true,
        |s| {
            s.set_nonblocking(true).unwrap();
            let mut s = rt.block_on(async { tokio::net::TcpStream::from_std(s).unwrap() });
            let req = sockswire::io::socks5_connect("example.com", 443).unwrap();
            let (c, n) = measure(|| {
                rt.block_on(swx_tokio::connect(
                    &mut s,
                    SocksClientHandshake::new(req),
                    None,
                ))
                .unwrap()
            });
            assert_eq!(c.reply().status(), SocksStatus::SUCCEEDED);
            n
        },
    );
    run_client(
        &mut rows,
        "client: tokio-socks Socks5Stream::connect_with_socket",
        false,
        |s| {
            s.set_nonblocking(true).unwrap();
            let s = rt.block_on(async { tokio::net::TcpStream::from_std(s).unwrap() });
            let (st, n) = measure(|| {
                rt.block_on(tokio_socks::tcp::Socks5Stream::connect_with_socket(
                    s,
                    ("example.com", 443),
                ))
                .unwrap()
            });
            drop(st);
            n
        },
    );
    run_client(
        &mut rows,
        "client: fast-socks5 Socks5Stream::use_stream + request",
        false,
        |s| {
            s.set_nonblocking(true).unwrap();
            let s = rt.block_on(async { tokio::net::TcpStream::from_std(s).unwrap() });
            let (st, n) = measure(|| {
                rt.block_on(async {
                    let config = fast_socks5::client::Config::default();
                    let mut st = fast_socks5::client::Socks5Stream::use_stream(s, None, config)
                        .await
                        .unwrap();
                    st.request(
                        fast_socks5::Socks5Command::TCPConnect,
                        fast_socks5::util::target_addr::TargetAddr::Domain(
                            "example.com".into(),
                            443,
                        ),
                    )
                    .await
                    .unwrap();
                    st
                })
            });
            drop(st);
            n
        },
    );

    // ---- proxy side
    run_server(
        &mut rows,
        "proxy: sockswire io::blocking::accept",
        true,
        |mut s| {
            let (a, n) =
                measure(|| blocking::accept(&mut s, SocksProxyHandshake::new(), None).unwrap());
            assert_eq!(a.request().port(), 443);
            n
        },
    );
    run_server(&mut rows, "proxy: sockswire io::tokio::accept", true, |s| {
        s.set_nonblocking(true).unwrap();
        let mut s = rt.block_on(async { tokio::net::TcpStream::from_std(s).unwrap() });
        let (a, n) = measure(|| {
            rt.block_on(swx_tokio::accept(&mut s, SocksProxyHandshake::new(), None))
                .unwrap()
        });
        assert_eq!(a.request().port(), 443);
        n
    });
    let mut config =
        fast_socks5::server::Config::<fast_socks5::server::DenyAuthentication>::default();
    config.set_execute_command(false);
    config.set_dns_resolve(false);
    let config = Arc::new(config);
    run_server(
        &mut rows,
        "proxy: fast-socks5 Socks5Socket::upgrade_to_socks5 (no execute)",
        false,
        |s| {
            s.set_nonblocking(true).unwrap();
            let s = rt.block_on(async { tokio::net::TcpStream::from_std(s).unwrap() });
            let config = config.clone();
            let (sock, n) = measure(|| {
                rt.block_on(fast_socks5::server::Socks5Socket::new(s, config).upgrade_to_socks5())
                    .unwrap()
            });
            assert_eq!(
                sock.target_addr().map(|t| t.to_string()).as_deref(),
                Some("example.com:443")
            );
            n
        },
    );

    println!(
        "{:<66} {:>10} {:>10} {:>12}",
        "case (SOCKS5 CONNECT example.com:443)", "allocs", "bytes", "µs/op"
    );
    let mut bad = false;
    for r in &rows {
        println!(
            "{:<66} {:>10.3} {:>10.1} {:>12.1}",
            r.name, r.allocs, r.bytes, r.micros
        );
        bad |= r.ours && r.allocs > 0.0;
    }
    println!(
        "({N} handshakes per case over loopback; µs/op includes the peer thread's work and is not a benchmark)"
    );
    if check && bad {
        eprintln!("a sockswire case allocated");
        std::process::exit(1);
    }
}
