//! `UdpRelay::datagram`: the UDP relay's per-datagram decision (RFC 1928 section 7), on exact
//! datagrams: whose datagram it is, where it goes, what comes back, and every refusal.

use std::net::SocketAddr;

use sockswire::{Addr, Field, UdpDestination, UdpDrop, UdpRelay, UdpRelayAction, WireError};

fn at(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

/// A datagram to 192.0.2.7:53 with `FRAG` = `frag`.
fn to_doc(frag: u8, payload: &[u8]) -> Vec<u8> {
    let mut d = vec![0, 0, frag, 1, 192, 0, 2, 7, 0, 53];
    d.extend_from_slice(payload);
    d
}

fn relay(client: &str, port: u16) -> UdpRelay<1024> {
    UdpRelay::new(client.parse().unwrap(), port)
}

#[test]
fn whole_datagram_forwarded_where_its_header_says() {
    let mut r = relay("127.0.0.1", 5000);
    let dg = to_doc(0, b"query");
    assert_eq!(
        r.datagram(at("127.0.0.1:5000"), &dg, false),
        UdpRelayAction::Forward {
            to: UdpDestination::Ip(at("192.0.2.7:53")),
            payload: b"query",
        }
    );
}

#[test]
fn hostname_destination_left_to_resolve() {
    let mut r = relay("127.0.0.1", 5000);
    let dg = b"\x00\x00\x00\x03\x0bexample.com\x00\x50hi";
    assert_eq!(
        r.datagram(at("127.0.0.1:5000"), dg, false),
        UdpRelayAction::Forward {
            to: UdpDestination::Name {
                name: "example.com",
                port: 80,
            },
            payload: b"hi",
        }
    );
}

#[test]
fn refused_hostname_not_utf8() {
    let mut r = relay("127.0.0.1", 5000);
    let dg = b"\x00\x00\x00\x03\x02\xff\xfe\x00\x50hi";
    assert_eq!(
        r.datagram(at("127.0.0.1:5000"), dg, false),
        UdpRelayAction::Dropped(UdpDrop::BadDestination)
    );
}

#[test]
fn refused_malformed_header_with_its_error() {
    let mut r = relay("127.0.0.1", 5000);
    assert_eq!(
        r.datagram(at("127.0.0.1:5000"), &[0, 0, 0, 1, 127], false),
        UdpRelayAction::Dropped(UdpDrop::Malformed(WireError::Truncated {
            field: Field::Address,
            needed: 5,
        }))
    );
    assert_eq!(
        r.datagram(at("127.0.0.1:5000"), &[0, 0, 0, 7, 0], false),
        UdpRelayAction::Dropped(UdpDrop::Malformed(WireError::UnknownAddrType { got: 7 }))
    );
}

#[test]
fn port_zero_fixed_by_the_first_datagram_from_the_client_ip() {
    let mut r = relay("127.0.0.1", 0);
    assert_eq!(r.client(), None);
    let dg = to_doc(0, b"a");
    assert!(matches!(
        r.datagram(at("127.0.0.1:6000"), &dg, false),
        UdpRelayAction::Forward { .. }
    ));
    assert_eq!(r.client(), Some(at("127.0.0.1:6000")));
    // The same IP on another port is not the client any more.
    assert_eq!(
        r.datagram(at("127.0.0.1:6001"), &dg, false),
        UdpRelayAction::Dropped(UdpDrop::Stranger)
    );
}

#[test]
fn refused_stranger_and_request_port_kept() {
    let mut r = relay("127.0.0.1", 5000);
    assert_eq!(r.client(), Some(at("127.0.0.1:5000")));
    let dg = to_doc(0, b"a");
    for from in ["10.0.0.1:5000", "127.0.0.1:5001", "[::1]:5000"] {
        assert_eq!(
            r.datagram(at(from), &dg, false),
            UdpRelayAction::Dropped(UdpDrop::Stranger),
            "{from}"
        );
    }
}

#[test]
fn client_ipv4_in_ipv6_spellings_is_the_client() {
    let mut r = relay("::ffff:127.0.0.1", 5000);
    let dg = to_doc(0, b"a");
    for from in [
        "127.0.0.1:5000",
        "[::ffff:127.0.0.1]:5000",
        "[::127.0.0.1]:5000",
    ] {
        assert!(
            matches!(
                r.datagram(at(from), &dg, false),
                UdpRelayAction::Forward { .. }
            ),
            "{from}"
        );
    }
}

#[test]
fn answer_from_a_known_host_gets_a_header_naming_it() {
    let mut r = relay("127.0.0.1", 5000);
    let action = r.datagram(at("192.0.2.7:53"), b"answer", true);
    let UdpRelayAction::Return { client, header } = action else {
        panic!("{action:?}");
    };
    assert_eq!(client, at("127.0.0.1:5000"));
    assert_eq!(
        header.to_bytes().unwrap()[..],
        [0, 0, 0, 1, 192, 0, 2, 7, 0, 53]
    );
    let action = r.datagram(at("[2001:db8::1]:443"), b"v6", true);
    let UdpRelayAction::Return { header, .. } = action else {
        panic!("{action:?}");
    };
    assert_eq!(header.addr, Addr::Ipv6("2001:db8::1".parse().unwrap()));
    assert_eq!(header.port, 443);
}

#[test]
fn refused_answer_before_the_client_port_is_known() {
    let mut r = relay("127.0.0.1", 0);
    assert_eq!(
        r.datagram(at("192.0.2.7:53"), b"early", true),
        UdpRelayAction::Dropped(UdpDrop::Stranger)
    );
}

#[test]
fn fragments_reassembled_to_where_the_last_one_says() {
    let mut r = relay("127.0.0.1", 5000);
    let c = at("127.0.0.1:5000");
    assert_eq!(
        r.datagram(c, &to_doc(1, b"aa"), false),
        UdpRelayAction::Held
    );
    assert_eq!(
        r.datagram(c, &to_doc(2, b"bb"), false),
        UdpRelayAction::Held
    );
    let last = b"\x00\x00\x83\x03\x09localhost\x00\x50cc";
    assert_eq!(
        r.datagram(c, last, false),
        UdpRelayAction::Forward {
            to: UdpDestination::Name {
                name: "localhost",
                port: 80,
            },
            payload: b"aabbcc",
        }
    );
}

#[test]
fn refused_stranger_cannot_inject_a_fragment() {
    let mut r = relay("127.0.0.1", 5000);
    let c = at("127.0.0.1:5000");
    assert_eq!(
        r.datagram(c, &to_doc(1, b"aa"), false),
        UdpRelayAction::Held
    );
    assert_eq!(
        r.datagram(at("10.0.0.1:5000"), &to_doc(2, b"XX"), false),
        UdpRelayAction::Dropped(UdpDrop::Stranger)
    );
    assert_eq!(
        r.datagram(c, &to_doc(0x82, b"bb"), false),
        UdpRelayAction::Forward {
            to: UdpDestination::Ip(at("192.0.2.7:53")),
            payload: b"aabb",
        }
    );
}

#[test]
fn refused_fragments_out_of_sequence_abandon_the_queue() {
    let mut r = relay("127.0.0.1", 5000);
    let c = at("127.0.0.1:5000");
    assert_eq!(
        r.datagram(c, &to_doc(2, b"bb"), false),
        UdpRelayAction::Held
    );
    assert_eq!(
        r.datagram(c, &to_doc(1, b"aa"), false),
        UdpRelayAction::Held
    );
    assert_eq!(
        r.datagram(c, &to_doc(1, b"aa"), false),
        UdpRelayAction::Held
    );
    // A repeated position abandons the queue: the last fragment alone is out of sequence.
    assert_eq!(
        r.datagram(c, &to_doc(0x82, b"bb"), false),
        UdpRelayAction::Held
    );
    assert_eq!(
        r.datagram(c, &to_doc(0, b"whole"), false),
        UdpRelayAction::Forward {
            to: UdpDestination::Ip(at("192.0.2.7:53")),
            payload: b"whole",
        }
    );
}
