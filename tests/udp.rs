//! RFC 1928 section 7 UDP header fixtures.

#[macro_use]
#[path = "support/fixture.rs"]
mod fixture;

use std::net::Ipv4Addr;

use fixture::Seg::Fixed;
use sockswire::*;

#[test]
fn parse_socks5_udp_header_ipv4() {
    // A DNS query to 127.0.0.1:53 through a UDP ASSOCIATE relay.
    let bytes = [
        /*RSV*/ 0, 0, /*FRAG*/ 0, /*ATYP*/ 1, 127, 0, 0, 1, /*PORT*/ 0, 53,
    ];
    let h = Socks5UdpHeader {
        reserved: 0,
        fragment: 0,
        addr: Addr::Ipv4(Ipv4Addr::LOCALHOST),
        port: 53,
    };
    check_fixture!(socks5_udp_header(), bytes, h, [Fixed(4), Fixed(6)]);
    assert!(!h.is_fragment());
}

#[test]
fn parse_socks5_udp_header_domain_fragment_and_reserved_kept() {
    let mut bytes = vec![0x12, 0x34, /*FRAG: last, position 1*/ 0x81, 3, 9];
    bytes.extend_from_slice(b"localhost");
    bytes.extend_from_slice(&[0x1F, 0x90]);
    let h = Socks5UdpHeader {
        reserved: 0x1234,
        fragment: 0x81,
        addr: Addr::Domain(b"localhost"),
        port: 8080,
    };
    check_fixture!(
        socks5_udp_header(),
        bytes,
        h,
        [Fixed(4), Fixed(1), Fixed(11)]
    );
    assert!(h.is_fragment() && h.is_last_fragment());
    assert_eq!(h.fragment_position(), 1);
    assert_eq!(
        h.check_reserved(),
        Err(WireError::BadReserved { got: 0x1234 })
    );
}

#[test]
fn parse_socks5_udp_datagram_splits_payload() {
    let bytes = [0, 0, 0, 1, 10, 0, 0, 1, 0x30, 0x39, b'p', b'i', b'n', b'g'];
    let dg = parse_socks5_udp_datagram(&bytes).unwrap();
    assert_eq!(dg.header.target().to_string(), "10.0.0.1:12345");
    assert_eq!(dg.data, b"ping");
    let mut out = [0u8; 32];
    let n = dg.encode(&mut out).unwrap();
    assert_eq!(&out[..n], &bytes);
    assert_eq!(
        dg.encode(&mut out[..13]),
        Err(EncodeError::BufferTooSmall {
            needed: 14,
            available: 13
        })
    );
    // Empty payload is fine; truncated header and unknown ATYP are errors, never Incomplete.
    assert_eq!(parse_socks5_udp_datagram(&bytes[..10]).unwrap().data, b"");
    assert_eq!(
        parse_socks5_udp_datagram(&bytes[..9]),
        Err(WireError::Truncated {
            field: Field::Address,
            needed: 1
        })
    );
    assert_eq!(
        parse_socks5_udp_datagram(&[0, 0, 0, 0, 1]),
        Err(WireError::UnknownAddrType { got: 0 })
    );
    assert_eq!(
        parse_socks5_udp_datagram(&[]),
        Err(WireError::Truncated {
            field: Field::Header,
            needed: 4
        })
    );
}
