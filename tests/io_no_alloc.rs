//! The socket adapters allocate nothing on success: blocking and tokio `connect` and
//! `accept` over loopback TCP, with and without a deadline, counted on this thread (the peer
//! runs on another thread and is not counted; tokio's runtime gets one warm-up round). `benches/io_allocs.rs` puts the same figures
//! beside tokio-socks and fast-socks5.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use sockswire::io::blocking;
use sockswire::{SocksClientHandshake, SocksProxyHandshake, SocksStatus};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::allocations_during;

const T: Duration = Duration::from_secs(10);
/// Greeting and CONNECT example.com:443.
const REQUEST: &[u8] = b"\x05\x01\x00\x05\x01\x00\x03\x0bexample.com\x01\xbb";
const REPLY: &[u8] = &[5, 0, 5, 0, 0, 1, 127, 0, 0, 1, 0, 80];

/// A connected pair; `peer` plays the other side on its own thread: it writes `say`, then
/// reads until the measured side closes, and returns what it read.
fn pair(say: &'static [u8]) -> (TcpStream, thread::JoinHandle<Vec<u8>>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let ours = TcpStream::connect(l.local_addr().unwrap()).unwrap();
    let (mut theirs, _) = l.accept().unwrap();
    let h = thread::spawn(move || {
        theirs.set_read_timeout(Some(T)).unwrap();
        theirs.write_all(say).unwrap();
        let mut got = Vec::new();
        let _ = theirs.read_to_end(&mut got);
        got
    });
    (ours, h)
}

#[test]
fn blocking_connect_and_accept_allocate_nothing() {
    for deadline in [None, Some(Instant::now() + T)] {
        let (mut s, peer) = pair(REPLY);
        let req = sockswire::io::socks5_connect("example.com", 443).unwrap();
        let mut status = None;
        let n = allocations_during(|| {
            let c = blocking::connect(&mut s, SocksClientHandshake::new(req), deadline).unwrap();
            status = Some(c.reply().status());
        });
        assert_eq!(
            (n, status),
            (0, Some(SocksStatus::SUCCEEDED)),
            "{deadline:?}"
        );
        drop(s);
        assert_eq!(
            peer.join().unwrap(),
            REQUEST[..3]
                .iter()
                .chain(&REQUEST[3..])
                .copied()
                .collect::<Vec<_>>()
        );

        let (mut s, peer) = pair(REQUEST);
        let mut port = 0;
        let n = allocations_during(|| {
            let a = blocking::accept(&mut s, SocksProxyHandshake::new(), deadline).unwrap();
            port = a.request().port();
        });
        assert_eq!((n, port), (0, 443), "{deadline:?}");
        drop(s);
        assert_eq!(peer.join().unwrap(), [5, 0]);
    }
}

#[cfg(feature = "tokio")]
#[test]
fn tokio_connect_and_accept_allocate_nothing() {
    use counting_alloc::allocations;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let tokio_stream = |s: TcpStream| {
        s.set_nonblocking(true).unwrap();
        rt.block_on(async { tokio::net::TcpStream::from_std(s).unwrap() })
    };
    // Counted inside the task around the `.await` only: `block_on` itself boxes futures over
    // 2 KiB in debug builds, which is tokio's cost, not the handshake's. The first round warms
    // the runtime up (first park, first timer); the rounds after it must allocate nothing.
    for (round, with_deadline) in [(0, true), (1, false), (2, true), (3, false)] {
        let deadline = with_deadline.then(|| tokio::time::Instant::now() + T);
        let (s, peer) = pair(REPLY);
        let mut s = tokio_stream(s);
        let req = sockswire::io::socks5_connect("example.com", 443).unwrap();
        let (n, status) = rt.block_on(async {
            let before = allocations();
            let c = sockswire::io::tokio::connect(&mut s, SocksClientHandshake::new(req), deadline)
                .await
                .unwrap();
            (allocations() - before, c.reply().status())
        });
        assert_eq!(status, SocksStatus::SUCCEEDED);
        if round > 0 {
            assert_eq!(n, 0, "connect, round {round}");
        }
        drop(s);
        peer.join().unwrap();

        let (s, peer) = pair(REQUEST);
        let mut s = tokio_stream(s);
        let (n, port) = rt.block_on(async {
            let before = allocations();
            let a = sockswire::io::tokio::accept(&mut s, SocksProxyHandshake::new(), deadline)
                .await
                .unwrap();
            (allocations() - before, a.request().port())
        });
        assert_eq!(port, 443);
        if round > 0 {
            assert_eq!(n, 0, "accept, round {round}");
        }
        drop(s);
        assert_eq!(peer.join().unwrap(), [5, 0]);
    }
}
