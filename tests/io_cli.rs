//! Each adapter (blocking, tokio, futures-io) as a client of the `sockswire proxy` binary,
//! to a local target that speaks first (an SSH-style banner), over loopback. Every wait is
//! bounded.
#![cfg(all(feature = "cli", feature = "tokio", feature = "futures-io"))]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use sockswire::io::blocking;
use sockswire::{SocksAddr, SocksAuth, SocksClientHandshake, SocksCmd, SocksHostname};
use sockswire::{SocksRequest, SocksVersion};

const BIN: &str = env!("CARGO_BIN_EXE_sockswire");
const T: Duration = Duration::from_secs(10);
const BANNER: &[u8] = b"SSH-2.0-OpenSSH_9.2p1\r\n";

/// `sockswire proxy` on an ephemeral loopback port, killed on drop.
struct Proxy(Child, SocketAddr);

impl Proxy {
    fn start() -> Proxy {
        let mut child = Command::new(BIN)
            .args(["proxy", "--listen", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let addr = loop {
            let line = lines.next().expect("proxy exited").unwrap();
            if let Some(rest) = line.split("listening on ").nth(1) {
                break rest.split(' ').next().unwrap().parse().unwrap();
            }
        };
        // Keep draining its log so it never blocks on a full pipe.
        thread::spawn(move || lines.for_each(drop));
        Proxy(child, addr)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A target that sends the banner at once, then echoes one 4-byte message.
fn banner_server(count: usize) -> (SocketAddr, thread::JoinHandle<Vec<Vec<u8>>>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    let h = thread::spawn(move || {
        (0..count)
            .map(|_| {
                let (mut s, _) = l.accept().unwrap();
                s.set_read_timeout(Some(T)).unwrap();
                s.write_all(BANNER).unwrap();
                let mut got = vec![0; 4];
                s.read_exact(&mut got).unwrap();
                got
            })
            .collect()
    });
    (addr, h)
}

#[test]
fn blocking_through_sockswire_proxy() {
    let proxy = Proxy::start();
    let (target, server) = banner_server(2);
    let deadline = Some(Instant::now() + T);
    // SOCKS5 by address, one call.
    let mut s = blocking::connect_to(proxy.1, "127.0.0.1", target.port(), deadline).unwrap();
    s.get_ref().set_read_timeout(Some(T)).unwrap();
    let mut banner = vec![0; BANNER.len()];
    s.read_exact(&mut banner).unwrap();
    assert_eq!(banner, BANNER);
    s.write_all(b"one!").unwrap();
    // SOCKS4a with a hostname the proxy resolves.
    let req = SocksRequest::new(
        SocksVersion::V4,
        SocksCmd::CONNECT,
        SocksAddr::Hostname(SocksHostname::try_from("localhost").unwrap()),
        target.port(),
        SocksAuth::Socks4(b"user"),
    )
    .unwrap();
    let mut s4 = blocking::connect_request_to(proxy.1, req, deadline).unwrap();
    s4.get_ref().set_read_timeout(Some(T)).unwrap();
    s4.read_exact(&mut banner).unwrap();
    assert_eq!(banner, BANNER);
    s4.write_all(b"two!").unwrap();
    assert_eq!(server.join().unwrap(), [b"one!", b"two!"]);
}

#[test]
fn tokio_and_futures_through_sockswire_proxy() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio_util::compat::TokioAsyncReadCompatExt;
    let proxy = Proxy::start();
    let (target, server) = banner_server(2);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let deadline = Some(tokio::time::Instant::now() + T);
        let mut s = sockswire::io::tokio::connect_to(proxy.1, "localhost", target.port(), deadline)
            .await
            .unwrap();
        let mut banner = vec![0; BANNER.len()];
        tokio::time::timeout(T, s.read_exact(&mut banner))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(banner, BANNER);
        s.write_all(b"tok!").await.unwrap();

        let tcp = tokio::net::TcpStream::connect(proxy.1)
            .await
            .unwrap()
            .compat();
        let req = sockswire::io::socks5_connect("127.0.0.1", target.port()).unwrap();
        let f = sockswire::io::futures::connect_stream(tcp, SocksClientHandshake::new(req));
        let s = tokio::time::timeout(T, f).await.unwrap().unwrap();
        // Back to tokio's traits for the reads: SocksStream<Compat<TcpStream>> is both.
        let mut s = s;
        let mut banner = vec![0; BANNER.len()];
        let mut n = 0;
        while n < banner.len() {
            let got = tokio::time::timeout(
                T,
                std::future::poll_fn(|cx| {
                    futures_io::AsyncRead::poll_read(
                        std::pin::Pin::new(&mut s),
                        cx,
                        &mut banner[n..],
                    )
                }),
            )
            .await
            .unwrap()
            .unwrap();
            assert_ne!(got, 0);
            n += got;
        }
        assert_eq!(banner, BANNER);
        let (tcp, _, _) = s.into_parts();
        let mut tcp = tcp.into_inner();
        tcp.write_all(b"fut!").await.unwrap();
    });
    assert_eq!(server.join().unwrap(), [b"tok!", b"fut!"]);
}
