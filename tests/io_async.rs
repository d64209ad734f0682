//! The async adapters (`sockswire::io::tokio`, `sockswire::io::futures`) over loopback TCP:
//! each side against the other, scripted peers, a server-first target through an
//! in-process proxy, deadlines, and the futures being `Send`. futures-io streams are tokio
//! sockets through tokio-util's compat layer. Every wait is bounded.
#![cfg(all(feature = "tokio", feature = "futures-io"))]

use std::net::SocketAddr;
use std::time::Duration;

use sockswire::io::{Error, SocksStream, Waiting};
use sockswire::{
    Credentials, Error as HandshakeError, ProxyPolicy, SocksClientHandshake, SocksProxyHandshake,
    SocksStatus,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::{Instant, timeout};
use tokio_util::compat::TokioAsyncReadCompatExt;

const T: Duration = Duration::from_secs(10);
const BANNER: &[u8] = b"220 smtp.example ESMTP ready\r\n";
const V5_OK: &[u8] = &[5, 0, 0, 1, 127, 0, 0, 1, 0x1F, 0x90];

fn soon() -> Option<Instant> {
    Some(Instant::now() + T)
}

/// A listener whose one connection is handled by `f` on a task.
async fn peer<F, Fut, R>(f: F) -> (SocketAddr, tokio::task::JoinHandle<R>)
where
    F: FnOnce(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = R> + Send,
    R: Send + 'static,
{
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    let h = tokio::spawn(async move {
        let (s, _) = timeout(T, l.accept()).await.unwrap().unwrap();
        timeout(T, f(s)).await.unwrap()
    });
    (addr, h)
}

async fn read_n(s: &mut TcpStream, n: usize) -> Vec<u8> {
    let mut v = vec![0; n];
    s.read_exact(&mut v).await.unwrap();
    v
}

/// A CONNECT proxy on `accept` and `copy_bidirectional`, for one client.
async fn one_shot_proxy() -> (SocketAddr, tokio::task::JoinHandle<()>) {
    peer(|mut c| async move {
        let accepted = sockswire::io::tokio::accept(&mut c, SocksProxyHandshake::new(), soon())
            .await
            .unwrap();
        let req = accepted.request();
        let mut t = TcpStream::connect(req.target().to_string()).await.unwrap();
        c.write_all(&req.reply(SocksStatus::SUCCEEDED, None).unwrap())
            .await
            .unwrap();
        t.write_all(accepted.leftover()).await.unwrap();
        let _ = tokio::io::copy_bidirectional(&mut c, &mut t).await;
    })
    .await
}

#[tokio::test]
async fn tokio_connect_to_a_banner_server_through_accept() {
    let (target, banner_server) = peer(|mut s| async move {
        s.write_all(BANNER).await.unwrap();
        read_n(&mut s, 4).await
    })
    .await;
    let (proxy, proxy_task) = one_shot_proxy().await;
    let mut s = sockswire::io::tokio::connect_to(proxy, "127.0.0.1", target.port(), soon())
        .await
        .unwrap();
    let mut banner = vec![0; BANNER.len()];
    timeout(T, s.read_exact(&mut banner))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(banner, BANNER);
    s.write_all(b"QUIT").await.unwrap();
    assert_eq!(banner_server.await.unwrap(), b"QUIT");
    drop(s);
    proxy_task.await.unwrap();
}

#[tokio::test]
async fn tokio_banner_in_the_reply_segment_is_leftover() {
    let (addr, server) = peer(|mut s| async move {
        read_n(&mut s, 3).await;
        s.write_all(&[5, 0]).await.unwrap();
        read_n(&mut s, 10).await;
        s.write_all(&[V5_OK, BANNER].concat()).await.unwrap();
    })
    .await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    let req = sockswire::io::socks5_connect("127.0.0.1", 25).unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let c = sockswire::io::tokio::connect(&mut s, SocksClientHandshake::new(req), soon())
        .await
        .unwrap();
    server.await.unwrap();
    // The whole reply segment was there at the second read: the banner came with it.
    assert_eq!(c.leftover(), BANNER);
    let mut stream = SocksStream::new(s, c);
    let mut all = Vec::new();
    timeout(T, stream.read_to_end(&mut all))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(all, BANNER);
}

#[tokio::test]
async fn tokio_deadline_and_failure_reply() {
    let (addr, server) = peer(|mut s| async move {
        let _ = read_n(&mut s, 3).await;
        let mut rest = Vec::new();
        let _ = s.read_to_end(&mut rest).await;
    })
    .await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    let req = sockswire::io::socks5_connect("example.com", 443).unwrap();
    let start = Instant::now();
    let err = sockswire::io::tokio::connect(
        &mut s,
        SocksClientHandshake::new(req),
        Some(start + Duration::from_millis(200)),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Deadline {
                waiting: Waiting::Recv { deficit: 2 }
            }
        ),
        "{err:?}"
    );
    assert!(start.elapsed() < Duration::from_secs(5));
    drop(s);
    server.await.unwrap();

    let (addr, server) = peer(|mut s| async move {
        sockswire::io::tokio::accept(&mut s, SocksProxyHandshake::new(), soon()).await
    })
    .await;
    let mut s = TcpStream::connect(addr).await.unwrap();
    // SOCKS4 BIND: not served by the Arti profile.
    s.write_all(b"\x04\x02\x00\x50\x7f\x00\x00\x01\x00")
        .await
        .unwrap();
    let mut got = Vec::new();
    timeout(T, s.read_to_end(&mut got)).await.unwrap().unwrap();
    assert_eq!(got, [0, 0x5B, 0, 0, 0, 0, 0, 0]);
    match server.await.unwrap() {
        Err(Error::Refused {
            error,
            reply,
            sent: true,
        }) => {
            assert!(
                matches!(error, HandshakeError::CommandNotSupported(_)),
                "{error:?}"
            );
            assert_eq!(reply, got);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn futures_io_connect_and_accept() {
    let (addr, server) = peer(|s| async move {
        let mut s = s.compat();
        let accepted = sockswire::io::futures::accept(&mut s, SocksProxyHandshake::new())
            .await
            .unwrap();
        let req = accepted.request();
        let out = (req.target().to_string(), accepted.leftover().to_vec());
        let reply = req.reply(SocksStatus::SUCCEEDED, None).unwrap();
        let mut s = s.into_inner();
        s.write_all(&[&reply[..], BANNER].concat()).await.unwrap();
        out
    })
    .await;
    let s = TcpStream::connect(addr).await.unwrap().compat();
    let req = sockswire::io::socks5_connect("mail.example", 25).unwrap();
    let mut stream = sockswire::io::futures::connect_stream(s, SocksClientHandshake::new(req))
        .await
        .unwrap();
    let (target, leftover) = server.await.unwrap();
    assert_eq!(target, "mail.example:25");
    assert_eq!(leftover, b"");
    let mut all = Vec::new();
    // futures-io's AsyncRead through SocksStream: the leftover bytes (if the banner came
    // with the reply) and then the socket.
    loop {
        let mut buf = [0; 7];
        let n = timeout(
            T,
            std::future::poll_fn(|cx| {
                futures_io::AsyncRead::poll_read(std::pin::Pin::new(&mut stream), cx, &mut buf)
            }),
        )
        .await
        .unwrap()
        .unwrap();
        if n == 0 {
            break;
        }
        all.extend_from_slice(&buf[..n]);
    }
    assert_eq!(all, BANNER);
}

fn assert_send<T: Send>(_: &T) {}

/// Never run: it compiles only if every adapter's future is Send for a Send stream,
/// including with a credentials callback in the policy.
#[allow(dead_code)]
fn adapter_futures_are_send(t: &mut TcpStream, c: &mut tokio_util::compat::Compat<TcpStream>) {
    let check = |u: &[u8], _: &[u8]| u == b"alice";
    let mut policy = ProxyPolicy::ARTI;
    policy.credentials = Credentials::Check(&check);
    let req = sockswire::io::socks5_connect("a", 1).unwrap();
    assert_send(&sockswire::io::tokio::connect(
        &mut *t,
        SocksClientHandshake::new(req),
        None,
    ));
    assert_send(&sockswire::io::tokio::accept(
        &mut *t,
        SocksProxyHandshake::with_policy(policy),
        None,
    ));
    assert_send(&sockswire::io::tokio::connect_to(
        "127.0.0.1:1",
        "a",
        1,
        None,
    ));
    assert_send(&sockswire::io::futures::connect(
        &mut *c,
        SocksClientHandshake::new(req),
    ));
    assert_send(&sockswire::io::futures::accept(
        &mut *c,
        SocksProxyHandshake::with_policy(policy),
    ));
}

#[test]
fn futures_are_send() {
    // The check is adapter_futures_are_send compiling; this names it so it is not dead.
    let f: fn(&mut TcpStream, &mut tokio_util::compat::Compat<TcpStream>) =
        adapter_futures_are_send;
    assert_eq!(std::mem::size_of_val(&f), std::mem::size_of::<usize>());
}
