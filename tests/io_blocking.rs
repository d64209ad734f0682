//! The blocking adapters (`sockswire::io::blocking`) over loopback TCP: each side against
//! the other, against scripted peers (exact bytes, early closes, silence), and a
//! server-first target whose banner comes in with the proxy's reply. Every wait is bounded
//! by a deadline or a socket timeout.

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use sockswire::io::{Error, Waiting, blocking};
use sockswire::{
    Buffer, Error as HandshakeError, SocksAddr, SocksAuth, SocksClientHandshake, SocksCmd,
    SocksHostname, SocksProxyHandshake, SocksRequest, SocksStatus, SocksVersion,
};

const T: Duration = Duration::from_secs(10);

fn soon() -> Option<Instant> {
    Some(Instant::now() + T)
}

/// A listener whose one connection is handled by `peer` on a thread.
fn peer<R: Send + 'static>(
    peer: impl FnOnce(TcpStream) -> R + Send + 'static,
) -> (SocketAddr, thread::JoinHandle<R>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    let h = thread::spawn(move || {
        let (s, _) = l.accept().unwrap();
        s.set_read_timeout(Some(T)).unwrap();
        peer(s)
    });
    (addr, h)
}

fn read_exact_n(s: &mut TcpStream, n: usize) -> Vec<u8> {
    let mut v = vec![0; n];
    s.read_exact(&mut v).unwrap();
    v
}

fn host(name: &str) -> SocksAddr<'_> {
    SocksAddr::Hostname(SocksHostname::try_from(name).unwrap())
}

fn v5(name: &str, port: u16) -> SocksRequest<'_> {
    SocksRequest::new(
        SocksVersion::V5,
        SocksCmd::CONNECT,
        host(name),
        port,
        SocksAuth::NoAuth,
    )
    .unwrap()
}

const V5_OK: &[u8] = &[5, 0, 0, 1, 127, 0, 0, 1, 0x1F, 0x90];
const BANNER: &[u8] = b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n";

#[test]
fn connect_and_accept_against_each_other() {
    let (addr, server) = peer(|mut s| {
        let accepted = blocking::accept(&mut s, SocksProxyHandshake::new(), soon()).unwrap();
        let req = accepted.request();
        assert_eq!(req.target().to_string(), "example.com:443");
        assert_eq!(accepted.leftover(), b"");
        let reply = req.reply(SocksStatus::SUCCEEDED, None).unwrap();
        s.write_all(&reply).unwrap();
        s.write_all(b"pong").unwrap();
        read_exact_n(&mut s, 4)
    });
    let mut s = TcpStream::connect(addr).unwrap();
    let connected = blocking::connect(
        &mut s,
        SocksClientHandshake::new(v5("example.com", 443)),
        soon(),
    )
    .unwrap();
    assert_eq!(connected.reply().status(), SocksStatus::SUCCEEDED);
    // The 4 bytes after the reply may or may not have come in the same read.
    let mut stream = sockswire::io::SocksStream::new(s, connected);
    let mut pong = [0; 4];
    stream.read_exact(&mut pong).unwrap();
    assert_eq!(&pong, b"pong");
    stream.write_all(b"ping").unwrap();
    assert_eq!(server.join().unwrap(), b"ping");
}

#[test]
fn banner_with_the_reply_is_leftover_not_an_error() {
    // The proxy's reply and a server-first target's banner in one segment: exactly what a
    // read-ahead buffer picks up when the target speaks at once.
    let (addr, server) = peer(|mut s| {
        assert_eq!(read_exact_n(&mut s, 3), [5, 1, 0]);
        s.write_all(&[5, 0]).unwrap();
        assert_eq!(read_exact_n(&mut s, 10), b"\x05\x01\x00\x03\x03ssh\x00\x16");
        s.write_all(&[V5_OK, BANNER].concat()).unwrap();
        s.write_all(b"more").unwrap();
    });
    let mut s = TcpStream::connect(addr).unwrap();
    // Let both segments arrive so the first read sees the banner too.
    thread::sleep(Duration::from_millis(50));
    let connected =
        blocking::connect(&mut s, SocksClientHandshake::new(v5("ssh", 22)), soon()).unwrap();
    assert_eq!(connected.reply().port(), 8080);
    let leftover = connected.leftover().to_vec();
    assert!(
        leftover.starts_with(BANNER) && BANNER.len() + 4 >= leftover.len(),
        "{leftover:?}"
    );
    let mut stream = sockswire::io::SocksStream::new(s, connected);
    let mut all = Vec::new();
    stream.read_to_end(&mut all).unwrap();
    assert_eq!(all, [BANNER, b"more"].concat());
    server.join().unwrap();
}

#[test]
fn precise_buffer_leaves_the_banner_on_the_socket() {
    let (addr, server) = peer(|mut s| {
        assert_eq!(read_exact_n(&mut s, 9), [4, 1, 0, 22, 127, 0, 0, 1, 0]);
        s.write_all(&[&[0, 0x5A, 0, 22, 127, 0, 0, 1][..], BANNER].concat())
            .unwrap();
    });
    let mut s = TcpStream::connect(addr).unwrap();
    thread::sleep(Duration::from_millis(50));
    let req = SocksRequest::new(
        SocksVersion::V4,
        SocksCmd::CONNECT,
        SocksAddr::Ip([127, 0, 0, 1].into()),
        22,
        SocksAuth::NoAuth,
    )
    .unwrap();
    let connected = blocking::connect_with_buffer(
        &mut s,
        SocksClientHandshake::new(req),
        Buffer::new_precise(),
        soon(),
    )
    .unwrap();
    assert_eq!(connected.leftover(), b"");
    assert_eq!(
        connected.reply().socks4_status(),
        Some(sockswire::Socks4Status::GRANTED)
    );
    assert_eq!(read_exact_n(&mut s, BANNER.len()), BANNER);
    server.join().unwrap();
}

#[test]
fn accept_keeps_optimistic_data() {
    let (addr, server) = peer(|mut s| {
        let accepted = blocking::accept(&mut s, SocksProxyHandshake::new(), soon()).unwrap();
        (
            accepted.request().target().to_string(),
            accepted.leftover().to_vec(),
            read_exact_n(&mut s, 0),
        )
    });
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"\x04\x01\x00\x50\x00\x00\x00\x01\x00example.org\x00GET / HTTP/1.0\r\n\r\n")
        .unwrap();
    let (target, leftover, _) = server.join().unwrap();
    assert_eq!(target, "example.org:80");
    assert_eq!(leftover, b"GET / HTTP/1.0\r\n\r\n");
}

#[test]
fn accept_sends_the_failure_reply_then_errors() {
    let (addr, server) = peer(|mut s| blocking::accept(&mut s, SocksProxyHandshake::new(), soon()));
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(T)).unwrap();
    // Only GSSAPI offered: no acceptable method.
    s.write_all(&[5, 1, 1]).unwrap();
    let mut got = Vec::new();
    s.read_to_end(&mut got).unwrap();
    assert_eq!(got, [5, 0xFF]);
    match server.join().unwrap() {
        Err(Error::Refused { error, reply, sent }) => {
            assert_eq!(error, HandshakeError::NoAcceptableMethod);
            assert_eq!(reply, [5, 0xFF]);
            assert!(sent);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn accept_reports_an_early_close_with_the_bytes_received() {
    let (addr, server) = peer(|mut s| blocking::accept(&mut s, SocksProxyHandshake::new(), soon()));
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(&[5, 2, 0]).unwrap();
    s.shutdown(Shutdown::Write).unwrap();
    match server.join().unwrap() {
        Err(Error::Closed { received, waiting }) => {
            assert_eq!(received, 3);
            assert_eq!(waiting, Waiting::Recv { deficit: 1 });
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn connect_deadline_names_the_step() {
    // A "proxy" that reads the greeting and then says nothing.
    let (addr, server) = peer(|mut s| {
        let greeting = read_exact_n(&mut s, 3);
        let mut rest = Vec::new();
        let _ = s.read_to_end(&mut rest);
        greeting
    });
    let mut s = TcpStream::connect(addr).unwrap();
    let start = Instant::now();
    let err = blocking::connect(
        &mut s,
        SocksClientHandshake::new(v5("example.com", 443)),
        Some(start + Duration::from_millis(300)),
    )
    .unwrap_err();
    let took = start.elapsed();
    assert!(
        matches!(
            err,
            Error::Deadline {
                waiting: Waiting::Recv { deficit: 2 }
            }
        ),
        "{err:?}"
    );
    assert!(
        took >= Duration::from_millis(290) && took < Duration::from_secs(5),
        "{took:?}"
    );
    // The socket's own timeouts are back as they were.
    assert_eq!(s.read_timeout().unwrap(), None);
    drop(s);
    assert_eq!(server.join().unwrap(), [5, 1, 0]);
}

#[test]
fn whole_handshake_deadline_not_per_read() {
    // A proxy that trickles one byte of its answer every 100 ms: each read is quick, the
    // handshake is not.
    let (addr, server) = peer(|mut s| {
        read_exact_n(&mut s, 3);
        for b in [5u8, 0] {
            thread::sleep(Duration::from_millis(100));
            if s.write_all(&[b]).is_err() {
                return;
            }
        }
        read_exact_n(&mut s, 18);
        for b in V5_OK {
            thread::sleep(Duration::from_millis(100));
            if s.write_all(&[*b]).is_err() {
                return;
            }
        }
    });
    let mut s = TcpStream::connect(addr).unwrap();
    let start = Instant::now();
    let err = blocking::connect(
        &mut s,
        SocksClientHandshake::new(v5("example.com", 443)),
        Some(start + Duration::from_millis(450)),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Deadline {
                waiting: Waiting::Recv { .. }
            }
        ),
        "{err:?}"
    );
    assert!(start.elapsed() < Duration::from_secs(5));
    drop(s);
    server.join().unwrap();
}

#[test]
fn connect_reports_refusal_and_close() {
    let (addr, server) = peer(|mut s| {
        read_exact_n(&mut s, 3);
        s.write_all(&[5, 0]).unwrap();
        read_exact_n(&mut s, 10);
        s.write_all(&[5, 5, 0, 1, 0, 0, 0, 0, 0, 0]).unwrap();
    });
    let mut s = TcpStream::connect(addr).unwrap();
    let req = SocksRequest::new(
        SocksVersion::V5,
        SocksCmd::CONNECT,
        SocksAddr::Ip([127, 0, 0, 1].into()),
        9,
        SocksAuth::NoAuth,
    )
    .unwrap();
    let err = blocking::connect(&mut s, SocksClientHandshake::new(req), soon()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Rejected {
                status: SocksStatus::CONNECTION_REFUSED,
                socks4_status: None
            }
        ),
        "{err:?}"
    );
    server.join().unwrap();

    let (addr, server) = peer(|mut s| {
        read_exact_n(&mut s, 3);
        s.write_all(&[5]).unwrap();
    });
    let mut s = TcpStream::connect(addr).unwrap();
    let err = blocking::connect(&mut s, SocksClientHandshake::new(req), soon()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Closed {
                received: 1,
                waiting: Waiting::Recv { deficit: 1 }
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        std::io::Error::from(err).kind(),
        std::io::ErrorKind::UnexpectedEof
    );
    server.join().unwrap();
}

#[test]
fn one_call_connect_to_through_an_in_process_proxy_to_a_banner_server() {
    // The target: speaks first.
    let (target, banner_server) = peer(|mut s| {
        s.write_all(BANNER).unwrap();
        read_exact_n(&mut s, 5)
    });
    // The proxy: sockswire's own accept, a connect, and a relay of each direction.
    let (proxy, proxy_thread) = peer(move |mut c| {
        let accepted = blocking::accept(&mut c, SocksProxyHandshake::new(), soon()).unwrap();
        let req = accepted.request();
        assert_eq!(
            req.target().to_string(),
            format!("127.0.0.1:{}", target.port())
        );
        let mut t = TcpStream::connect(target).unwrap();
        c.write_all(&req.reply(SocksStatus::SUCCEEDED, None).unwrap())
            .unwrap();
        t.write_all(accepted.leftover()).unwrap();
        let (mut c2, mut t2) = (c.try_clone().unwrap(), t.try_clone().unwrap());
        let up = thread::spawn(move || std::io::copy(&mut c2, &mut t2));
        let _ = std::io::copy(&mut t, &mut c);
        let _ = c.shutdown(Shutdown::Write);
        let _ = up.join();
    });
    let mut s = blocking::connect_to(proxy, "127.0.0.1", target.port(), soon()).unwrap();
    s.get_ref().set_read_timeout(Some(T)).unwrap();
    let mut banner = vec![0; BANNER.len()];
    s.read_exact(&mut banner).unwrap();
    assert_eq!(banner, BANNER);
    s.write_all(b"hello").unwrap();
    assert_eq!(banner_server.join().unwrap(), b"hello");
    drop(s);
    proxy_thread.join().unwrap();
}

#[test]
fn untimed_streams_work_with_a_deadline_between_steps() {
    // An in-memory "stream": the proxy's whole answer is already there.
    struct Mem(std::io::Cursor<Vec<u8>>, Vec<u8>);
    impl Read for Mem {
        fn read(&mut self, b: &mut [u8]) -> std::io::Result<usize> {
            self.0.read(b)
        }
    }
    impl Write for Mem {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.1.write(b)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let answer = [&[5, 0][..], V5_OK, b"banner"].concat();
    let mut m = blocking::Untimed(Mem(std::io::Cursor::new(answer), Vec::new()));
    let c = blocking::connect(&mut m, SocksClientHandshake::new(v5("a.b", 80)), soon()).unwrap();
    assert_eq!(c.leftover(), b"banner");
    assert_eq!(m.0.1, b"\x05\x01\x00\x05\x01\x00\x03\x03a.b\x00\x50");
    // Past the deadline before the first write.
    let mut m = blocking::Untimed(Mem(std::io::Cursor::new(Vec::new()), Vec::new()));
    let past = Instant::now().checked_sub(Duration::from_millis(1));
    let err =
        blocking::connect(&mut m, SocksClientHandshake::new(v5("a.b", 80)), past).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Deadline {
                waiting: Waiting::Send { written: 0, len: 3 }
            }
        ),
        "{err:?}"
    );
}
