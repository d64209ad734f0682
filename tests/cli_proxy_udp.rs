//! UDP ASSOCIATE through the real binary (profile rfc1928) with a scripted client and a UDP
//! echo target: whole datagrams both ways with the RFC 1928 header, fragments reassembled,
//! a denied destination dropped, strangers ignored, and the association ending with its TCP
//! connection.
#![cfg(feature = "cli")]

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpStream, UdpSocket};
use std::thread;
use std::time::Duration;

#[path = "support/proxy_process.rs"]
mod proxy_process;
use proxy_process::{Proxy, T, read_n};

/// A UDP echo server on `ip`; returns its address.
fn udp_echo(ip: [u8; 4]) -> SocketAddr {
    let s = UdpSocket::bind((Ipv4Addr::from(ip), 0)).unwrap();
    let addr = s.local_addr().unwrap();
    thread::spawn(move || {
        let mut buf = [0; 2048];
        while let Ok((n, from)) = s.recv_from(&mut buf) {
            let _ = s.send_to(&buf[..n], from);
        }
    });
    addr
}

fn header(frag: u8, to: SocketAddr) -> Vec<u8> {
    let SocketAddr::V4(t) = to else { panic!() };
    let mut h = vec![0, 0, frag, 1];
    h.extend_from_slice(&t.ip().octets());
    h.extend_from_slice(&t.port().to_be_bytes());
    h
}

/// The TCP control connection and the relay's address.
fn associate(proxy: &Proxy, udp_port: u16) -> (TcpStream, SocketAddr) {
    let mut tcp = proxy.connect();
    let mut m = vec![5, 1, 0, 5, 3, 0, 1, 0, 0, 0, 0];
    m.extend_from_slice(&udp_port.to_be_bytes());
    tcp.write_all(&m).unwrap();
    assert_eq!(read_n(&mut tcp, 2), [5, 0]);
    let r = read_n(&mut tcp, 10);
    assert_eq!(r[..4], [5, 0, 0, 1], "{r:02x?}");
    let relay = SocketAddrV4::new(
        Ipv4Addr::new(r[4], r[5], r[6], r[7]),
        u16::from_be_bytes([r[8], r[9]]),
    );
    assert_eq!(
        *relay.ip(),
        Ipv4Addr::LOCALHOST,
        "bound where the client came in"
    );
    (tcp, SocketAddr::V4(relay))
}

fn client_socket() -> UdpSocket {
    let s = UdpSocket::bind("127.0.0.1:0").unwrap();
    s.set_read_timeout(Some(T)).unwrap();
    s
}

#[test]
fn datagrams_both_ways_fragments_and_policy() {
    let echo = udp_echo([127, 0, 0, 1]);
    let denied_target = udp_echo([127, 0, 0, 9]);
    let mut proxy = Proxy::start(&[
        "--profile",
        "rfc1928",
        "--rule",
        "deny to 127.0.0.9 cmd udp",
    ]);
    let client = client_socket();
    let (tcp, relay) = associate(&proxy, client.local_addr().unwrap().port());

    // A whole datagram, echoed back with the target's address in the header.
    client
        .send_to(&[header(0, echo), b"ping".to_vec()].concat(), relay)
        .unwrap();
    let mut buf = [0; 2048];
    let (n, from) = client.recv_from(&mut buf).unwrap();
    assert_eq!(from, relay);
    assert_eq!(&buf[..n], [header(0, echo), b"ping".to_vec()].concat());

    // Fragments 1, 2 and 3 (last): the target gets one datagram, in order.
    for (frag, part) in [(1, &b"frag"[..]), (2, b"ment"), (0x83, b"ed")] {
        client
            .send_to(&[header(frag, echo), part.to_vec()].concat(), relay)
            .unwrap();
    }
    let (n, _) = client.recv_from(&mut buf).unwrap();
    assert_eq!(
        &buf[..n],
        [header(0, echo), b"fragmented".to_vec()].concat()
    );

    // A destination the policy denies: dropped; the next datagram still goes through.
    client
        .send_to(&[header(0, denied_target), b"no".to_vec()].concat(), relay)
        .unwrap();
    client
        .send_to(&[header(0, echo), b"after".to_vec()].concat(), relay)
        .unwrap();
    let (n, _) = client.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], [header(0, echo), b"after".to_vec()].concat());

    // Datagrams from another port than the client's are not relayed.
    let stranger = client_socket();
    stranger
        .send_to(&[header(0, echo), b"stranger".to_vec()].concat(), relay)
        .unwrap();
    stranger
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    assert!(
        stranger.recv_from(&mut buf).is_err(),
        "nothing comes back to a stranger"
    );

    // Closing the TCP connection ends the association.
    drop(tcp);
    proxy.expect_log(&[
        "socks5 UDP_ASSOCIATE",
        "3 datagrams out, 3 back, 1 denied by the access policy, 1 dropped",
        "the client closed the TCP connection",
    ]);
    client
        .send_to(&[header(0, echo), b"late".to_vec()].concat(), relay)
        .unwrap();
    client
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    assert!(
        client.recv_from(&mut buf).is_err(),
        "the association is over"
    );
}

#[test]
fn arti_profile_refuses_udp_associate() {
    let proxy = Proxy::start(&[]);
    let mut s = proxy.connect();
    s.write_all(&[5, 1, 0, 5, 3, 0, 1, 0, 0, 0, 0, 0, 0])
        .unwrap();
    assert_eq!(read_n(&mut s, 2), [5, 0]);
    assert_eq!(read_n(&mut s, 10), [5, 7, 0, 1, 0, 0, 0, 0, 0, 0]);
}
