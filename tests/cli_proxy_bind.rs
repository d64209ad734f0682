//! BIND through the real binary (profile rfc1928), SOCKS5 and SOCKS4, with a scripted peer:
//! the first reply names the listening address, the second the peer's, then bytes flow both
//! ways; a peer from the wrong address is closed; no peer in time is TTL_EXPIRED.
#![cfg(feature = "cli")]

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpStream};

#[path = "support/proxy_process.rs"]
mod proxy_process;
use proxy_process::{Proxy, T, read_all, read_n};

fn addr_of(reply: &[u8]) -> SocketAddrV4 {
    // SOCKS5: 05 00 00 01 A A A A P P; SOCKS4: 00 5A P P A A A A.
    match reply {
        [5, 0, 0, 1, a, b, c, d, p, q] => {
            SocketAddrV4::new(Ipv4Addr::new(*a, *b, *c, *d), u16::from_be_bytes([*p, *q]))
        }
        [0, 0x5A, p, q, a, b, c, d] => {
            SocketAddrV4::new(Ipv4Addr::new(*a, *b, *c, *d), u16::from_be_bytes([*p, *q]))
        }
        other => panic!("not a success reply: {other:02x?}"),
    }
}

fn peer_from(src: [u8; 4], to: SocketAddrV4) -> TcpStream {
    let sock = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    sock.bind(&SocketAddr::from((src, 0)).into()).unwrap();
    sock.connect_timeout(&SocketAddr::V4(to).into(), T).unwrap();
    let s: TcpStream = sock.into();
    s.set_read_timeout(Some(T)).unwrap();
    s
}

fn relay_both_ways(client: &mut TcpStream, peer: &mut TcpStream) {
    peer.write_all(b"from the peer").unwrap();
    assert_eq!(read_n(client, 13), b"from the peer");
    client.write_all(b"from the client").unwrap();
    client.shutdown(std::net::Shutdown::Write).unwrap();
    assert_eq!(read_all(peer), b"from the client");
    peer.shutdown(std::net::Shutdown::Write).unwrap();
    assert_eq!(read_all(client), b"");
}

#[test]
fn socks5_bind_two_replies_then_relay() {
    let mut proxy = Proxy::start(&["--profile", "rfc1928"]);
    let mut client = proxy.connect();
    // Expecting a peer from 127.0.0.3, any port.
    client
        .write_all(&[5, 1, 0, 5, 2, 0, 1, 127, 0, 0, 3, 0, 0])
        .unwrap();
    assert_eq!(read_n(&mut client, 2), [5, 0]);
    let first = addr_of(&read_n(&mut client, 10));
    assert_eq!(
        *first.ip(),
        Ipv4Addr::LOCALHOST,
        "the address the client came in on"
    );
    assert_ne!(first.port(), 0);
    // A peer from another address is closed, and the wait goes on.
    let mut stranger = peer_from([127, 0, 0, 4], first);
    assert_eq!(read_all(&mut stranger), b"");
    let mut peer = peer_from([127, 0, 0, 3], first);
    let second = read_n(&mut client, 10);
    assert_eq!(
        SocketAddr::V4(addr_of(&second)),
        peer.local_addr().unwrap(),
        "the second reply names the peer"
    );
    relay_both_ways(&mut client, &mut peer);
    proxy.expect_log(&[
        "socks5 BIND 127.0.0.3:0",
        "bound 127.0.0.1:",
        "peer 127.0.0.3:",
    ]);
}

#[test]
fn socks4_bind_two_replies_then_relay() {
    let proxy = Proxy::start(&["--profile", "rfc1928"]);
    let mut client = proxy.connect();
    client.write_all(&[4, 2, 0, 0, 0, 0, 0, 0, 0]).unwrap();
    let first = addr_of(&read_n(&mut client, 8));
    let mut peer = peer_from([127, 0, 0, 1], first);
    let second = addr_of(&read_n(&mut client, 8));
    assert_eq!(SocketAddr::V4(second), peer.local_addr().unwrap());
    relay_both_ways(&mut client, &mut peer);
}

#[test]
fn bind_without_a_peer_times_out() {
    let mut proxy = Proxy::start(&["--profile", "rfc1928", "--bind-timeout", "0.3"]);
    let mut client = proxy.connect();
    client
        .write_all(&[5, 1, 0, 5, 2, 0, 1, 0, 0, 0, 0, 0, 0])
        .unwrap();
    assert_eq!(read_n(&mut client, 2), [5, 0]);
    addr_of(&read_n(&mut client, 10));
    assert_eq!(
        read_all(&mut client),
        [5, 6, 0, 1, 0, 0, 0, 0, 0, 0],
        "TTL_EXPIRED"
    );
    proxy.expect_log(&["no peer within 300ms", "TTL_EXPIRED"]);
}
