//! Criterion: handshakes over a real socket, to put the in-memory instruction counts in
//! proportion. A read is a system call, and a precise read is one per message part, so on a
//! socket the handshake's own instructions are a small share of its time.
//!
//! One thread, one Unix stream pair per scenario and read mode. Per operation the peer's
//! bytes are written into the socket first (they fit its buffer), the handshake runs on the
//! other end, reading and writing the socket, and what it sent is drained afterwards. Rows,
//! ids `socket_<scenario>/<eager|precise>/<impl>`:
//!
//! * `ours`: sockswire's step loop, `read` into [`sockswire::RecvStep::buf`], `write_all`;
//! * `ours_blocking`: the same through `sockswire::io::blocking` (no deadline; it takes a fresh
//!   buffer each time, 1 KB to zero);
//! * `tor`: tor-socksproto 0.47's step loop, the same way;
//! * `io_only`: the same reads and writes, same sizes and order (recorded from sockswire's
//!   run), and no parsing, no decision at all. A handshake that reads the same way, the floor
//!   included, makes at least these system calls, so this is below the floor: `ours ÷
//!   io_only` is more than `ours ÷ floor` would be.
//!
//! Every row includes the peer's side: its write of the input and the drain.

#[path = "support/drive.rs"]
mod drive;
#[path = "support/fixtures.rs"]
mod fixtures;

use std::hint::black_box;
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

use drive::Summarize;
use fixtures as fx;
use sockswire::{
    Buffer, Handshake, NextStep, ReadPrecision, SocksClientHandshake, SocksProxyHandshake,
    SocksVersion,
};

/// One read of this many bytes, or one write of these bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Io {
    Read(usize),
    Write(Vec<u8>),
}

/// A socket pair: `end` is the handshake's side, `peer` the other.
struct Pair {
    end: UnixStream,
    peer: UnixStream,
    drain: Vec<u8>,
}

impl Pair {
    fn new() -> Self {
        let (end, peer) = UnixStream::pair().expect("socket pair");
        Pair {
            end,
            peer,
            drain: vec![0; 4096],
        }
    }

    /// The peer's bytes, ready to be read.
    fn feed(&mut self, input: &[u8]) {
        self.peer.write_all(input).expect("feed");
    }

    /// Reads back what the handshake sent.
    fn drain(&mut self, sent: usize) {
        self.peer
            .read_exact(&mut self.drain[..sent])
            .expect("drain");
    }
}

/// Runs `hs` over the socket; returns the decision's fingerprint and the bytes sent. `log`
/// records each read and write when given.
fn over_socket<H, P>(
    hs: &mut H,
    buf: &mut Buffer<P>,
    s: &mut UnixStream,
    mut log: Option<&mut Vec<Io>>,
) -> (u64, usize)
where
    H: Handshake,
    P: ReadPrecision,
    for<'a> H::Output<'a>: Summarize,
{
    let mut sent = 0;
    loop {
        match hs.step(buf).expect("sockswire step") {
            NextStep::Send(bytes) => {
                s.write_all(bytes).expect("write");
                sent += bytes.len();
                if let Some(log) = log.as_deref_mut() {
                    log.push(Io::Write(bytes.to_vec()));
                }
            }
            NextStep::Recv(mut recv) => {
                let n = s.read(recv.buf()).expect("read");
                if let Some(log) = log.as_deref_mut() {
                    log.push(Io::Read(n));
                }
                recv.note_received(n).expect("note_received");
            }
            NextStep::Finished(done) => {
                let (output, left) = done.into_output_and_slice();
                assert!(left.is_empty(), "read past the handshake");
                return (output.decision(sent).fingerprint(), sent);
            }
        }
    }
}

/// tor-socksproto's loop, the same way.
fn tor_over_socket<H, P>(
    hs: &mut H,
    buf: &mut tor_socksproto::Buffer<P>,
    s: &mut UnixStream,
) -> (u64, usize)
where
    H: tor_socksproto::Handshake,
    P: tor_socksproto::ReadPrecision,
    H::Output: Summarize,
{
    let mut sent = 0;
    loop {
        match hs.step(buf).expect("tor step") {
            tor_socksproto::NextStep::Send(bytes) => {
                s.write_all(&bytes).expect("write");
                sent += bytes.len();
            }
            tor_socksproto::NextStep::Recv(mut recv) => {
                let n = s.read(recv.buf()).expect("read");
                recv.note_received(n).expect("note_received");
            }
            tor_socksproto::NextStep::Finished(done) => {
                let (output, left) = done.into_output_and_slice();
                assert!(left.is_empty(), "read past the handshake");
                return (output.decision(sent).fingerprint(), sent);
            }
        }
    }
}

/// The recorded reads and writes alone.
fn io_only(ops: &[Io], buf: &mut [u8], s: &mut UnixStream) -> usize {
    let (mut filled, mut sent) = (0, 0);
    for op in ops {
        match op {
            Io::Read(n) => {
                let got = s.read(&mut buf[filled..filled + n]).expect("read");
                assert_eq!(got, *n);
                filled += got;
            }
            Io::Write(bytes) => {
                s.write_all(black_box(bytes)).expect("write");
                sent += bytes.len();
            }
        }
    }
    sent
}

/// How to build one scenario's handshakes, fresh per operation.
struct Scenario<O, T, B> {
    name: &'static str,
    input: &'static [u8],
    ours: O,
    tor: T,
    blocking: B,
}

/// The same handshake through `sockswire::io::blocking` (no deadline), with this buffer.
trait Blocking {
    fn run<P: ReadPrecision>(&self, s: &mut UnixStream, buf: Buffer<P>);
}

/// `io::blocking::accept_with_buffer`.
struct Accept;

impl Blocking for Accept {
    fn run<P: ReadPrecision>(&self, s: &mut UnixStream, buf: Buffer<P>) {
        let accepted =
            sockswire::io::blocking::accept_with_buffer(s, SocksProxyHandshake::new(), buf, None)
                .expect("accept");
        black_box(accepted.request().port());
    }
}

/// `io::blocking::connect_with_buffer`.
struct Connect;

impl Blocking for Connect {
    fn run<P: ReadPrecision>(&self, s: &mut UnixStream, buf: Buffer<P>) {
        let connected = sockswire::io::blocking::connect_with_buffer(
            s,
            SocksClientHandshake::new(black_box(fx::client_request(SocksVersion::V5))),
            buf,
            None,
        )
        .expect("connect");
        black_box(connected.reply().port());
    }
}

/// The rows of one scenario in one read mode: `mode` is `eager` or `precise`.
fn rows<H, T, P, TP>(
    c: &mut Criterion,
    sc: &Scenario<impl Fn() -> H, impl Fn() -> T, impl Blocking>,
    mode: &str,
    mut buf: Buffer<P>,
    mut tor_buf: tor_socksproto::Buffer<TP>,
) where
    H: Handshake,
    for<'a> H::Output<'a>: Summarize,
    T: tor_socksproto::Handshake,
    T::Output: Summarize,
    P: ReadPrecision,
    TP: tor_socksproto::ReadPrecision,
{
    let (name, input) = (sc.name, sc.input);
    let mut pair = Pair::new();
    // Record sockswire's reads and writes, and check tor-socksproto decides the same.
    pair.feed(input);
    let mut ops = Vec::new();
    let (mine, sent) = over_socket(&mut (sc.ours)(), &mut buf, &mut pair.end, Some(&mut ops));
    pair.drain(sent);
    pair.feed(input);
    let (theirs, tor_sent) = tor_over_socket(&mut (sc.tor)(), &mut tor_buf, &mut pair.end);
    pair.drain(tor_sent);
    assert_eq!((mine, sent), (theirs, tor_sent), "{name}: same decision");
    let reads = ops.iter().filter(|op| matches!(op, Io::Read(_))).count();
    eprintln!("{name}/{mode}: {reads} reads, {} writes", ops.len() - reads);

    let mut group = c.benchmark_group(format!("socket_{name}"));
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.bench_function(BenchmarkId::new(mode, "ours"), |b| {
        b.iter(|| {
            pair.feed(black_box(input));
            let (fp, sent) = over_socket(&mut (sc.ours)(), &mut buf, &mut pair.end, None);
            pair.drain(sent);
            fp
        })
    });
    group.bench_function(BenchmarkId::new(mode, "ours_blocking"), |b| {
        b.iter(|| {
            pair.feed(black_box(input));
            let fresh = Buffer::<P>::with_storage([0; sockswire::SOCKS_BUF_LEN]);
            sc.blocking.run(&mut pair.end, fresh);
            pair.drain(sent);
        })
    });
    group.bench_function(BenchmarkId::new(mode, "tor"), |b| {
        b.iter(|| {
            pair.feed(black_box(input));
            let (fp, sent) = tor_over_socket(&mut (sc.tor)(), &mut tor_buf, &mut pair.end);
            pair.drain(sent);
            fp
        })
    });
    let mut raw = [0u8; 1024];
    group.bench_function(BenchmarkId::new(mode, "io_only"), |b| {
        b.iter(|| {
            pair.feed(black_box(input));
            let sent = io_only(&ops, &mut raw, &mut pair.end);
            pair.drain(sent);
        })
    });
    group.finish();
}

/// Both read modes of a scenario.
fn scenario<H, T>(c: &mut Criterion, sc: Scenario<impl Fn() -> H, impl Fn() -> T, impl Blocking>)
where
    H: Handshake,
    for<'a> H::Output<'a>: Summarize,
    T: tor_socksproto::Handshake,
    T::Output: Summarize,
{
    rows(
        c,
        &sc,
        "eager",
        Buffer::new(),
        tor_socksproto::Buffer::new(),
    );
    rows(
        c,
        &sc,
        "precise",
        Buffer::new_precise(),
        tor_socksproto::Buffer::new_precise(),
    );
}

fn socket(c: &mut Criterion) {
    let proxy = |name, input| Scenario {
        name,
        input,
        ours: SocksProxyHandshake::new,
        tor: tor_socksproto::SocksProxyHandshake::new,
        blocking: Accept,
    };
    scenario(c, proxy("proxy_socks5_domain", &fx::PROXY_SOCKS5_DOMAIN));
    scenario(
        c,
        proxy(
            "proxy_socks5_userpass_ipv6",
            &fx::PROXY_SOCKS5_USERPASS_IPV6,
        ),
    );
    scenario(
        c,
        Scenario {
            name: "client_socks5_domain",
            input: &fx::CLIENT_SOCKS5_SERVER_BYTES,
            ours: || SocksClientHandshake::new(black_box(fx::client_request(SocksVersion::V5))),
            tor: || {
                tor_socksproto::SocksClientHandshake::new(fx::tor_client_request(
                    tor_socksproto::SocksVersion::V5,
                ))
            },
            blocking: Connect,
        },
    );
}

criterion_group!(benches, socket);
criterion_main!(benches);
