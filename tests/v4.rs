//! SOCKS4 and SOCKS4a fixtures. Sources: the SOCKS4 and SOCKS4a protocol notes, Tor's
//! `test_socks.c`, tor-socksproto 0.47's tests (P/T/E ids from the reference notes).

#[macro_use]
#[path = "support/fixture.rs"]
mod fixture;

use std::net::Ipv4Addr;

use fixture::Seg::{Fixed, Nul};
use nom::Parser;
use sockswire::*;

#[test]
fn parse_socks4_request_connect_no_userid() {
    // curl --socks4 127.0.0.1:8080: empty USERID.
    let bytes = [
        /*VN*/ 4, /*CD*/ 1, /*PORT*/ 0x1F, 0x90, /*IP*/ 127, 0, 0, 1,
        /*USERID NUL*/ 0,
    ];
    let req = Socks4Request {
        command: Command::CONNECT,
        port: 8080,
        ip: Ipv4Addr::LOCALHOST,
        userid: b"",
        hostname: None,
    };
    check_fixture!(
        socks4_request(Limits::DEFAULT),
        bytes,
        req,
        [Fixed(8), Nul(1)]
    );
    assert!(req.is_raw_ip() && !req.is_socks4a());
    assert_eq!(req.target().to_string(), "127.0.0.1:8080");
}

#[test]
fn parse_socks4_request_with_userid() {
    // test_socks.c test_socks_4_supported_commands: 04 01 0002 02020202 "me" 00 (port 2).
    let bytes = [4, 1, 0, 2, 2, 2, 2, 2, b'm', b'e', 0];
    let req = Socks4Request {
        command: Command::CONNECT,
        port: 2,
        ip: Ipv4Addr::new(2, 2, 2, 2),
        userid: b"me",
        hostname: None,
    };
    check_fixture!(
        socks4_request(Limits::DEFAULT),
        bytes,
        req,
        [Fixed(8), Nul(3)]
    );
    assert_eq!(req.userid_str(), Some("me"));
}

#[test]
fn parse_socks4a_request_connect_hostname() {
    // test_socks.c socks4a: 04 01 01bb 00000001 "tor" 00 "torproject.org" 00.
    let mut bytes = vec![4, 1, 0x01, 0xBB, 0, 0, 0, 1];
    bytes.extend_from_slice(b"tor\0torproject.org\0");
    let req = Socks4Request {
        command: Command::CONNECT,
        port: 443,
        ip: Ipv4Addr::new(0, 0, 0, 1),
        userid: b"tor",
        hostname: Some(b"torproject.org"),
    };
    check_fixture!(
        socks4_request(Limits::DEFAULT),
        bytes,
        req,
        [Fixed(8), Nul(4), Nul(15)]
    );
    assert!(req.is_socks4a() && !req.is_raw_ip());
    assert_eq!(req.target().to_string(), "torproject.org:443");
}

#[test]
fn parse_socks4a_request_tor_resolve() {
    // tor-socksproto T04: 4a RESOLVE with port 257.
    let mut bytes = vec![4, 0xF0, 1, 1, 0, 0, 0, 0x2A];
    bytes.extend_from_slice(b"\0torproject.org\0");
    let req = Socks4Request {
        command: Command::RESOLVE,
        port: 257,
        ip: Ipv4Addr::new(0, 0, 0, 42),
        userid: b"",
        hostname: Some(b"torproject.org"),
    };
    check_fixture!(
        socks4_request(Limits::DEFAULT),
        bytes,
        req,
        [Fixed(8), Nul(1), Nul(15)]
    );
}

#[test]
fn parse_socks4_request_edge_addresses() {
    // tor-socksproto T05: 0.0.0.0 is a plain IP (C Tor rejects it: policy). E09: 0.0.1.0 is not 4a.
    for ip in [
        Ipv4Addr::UNSPECIFIED,
        Ipv4Addr::new(0, 0, 1, 0),
        Ipv4Addr::new(1, 0, 0, 1),
    ] {
        let mut bytes = vec![4, 1, 0, 80];
        bytes.extend_from_slice(&ip.octets());
        bytes.push(0);
        let req = Socks4Request {
            command: Command::CONNECT,
            port: 80,
            ip,
            userid: b"",
            hostname: None,
        };
        check_fixture!(
            socks4_request(Limits::DEFAULT),
            bytes,
            req,
            [Fixed(8), Nul(1)]
        );
    }
    // E08: the whole 4a range 0.0.0.1 - 0.0.0.255.
    assert!((1..=255).all(|x| is_socks4a_marker(Ipv4Addr::new(0, 0, 0, x))));
    assert!(!is_socks4a_marker(Ipv4Addr::UNSPECIFIED));
}

#[test]
fn parse_socks4_request_keeps_raw_bytes_and_empty_hostname() {
    // tor-socksproto E05 (non-UTF-8 USERID), E01 (empty 4a hostname), E12 (unknown command).
    let bytes = [4, 0x77, 0, 80, 0, 0, 0, 9, 0xC3, 0x28, 0, 0];
    let req = Socks4Request {
        command: Command(0x77),
        port: 80,
        ip: Ipv4Addr::new(0, 0, 0, 9),
        userid: &[0xC3, 0x28],
        hostname: Some(b""),
    };
    check_fixture!(
        socks4_request(Limits::DEFAULT),
        bytes,
        req,
        [Fixed(8), Nul(3), Nul(1)]
    );
    assert_eq!(req.userid_str(), None);
}

#[test]
fn parse_socks4_request_hostname_limit_fails_at_the_256th_byte() {
    // tor-socksproto E03/E04: 255 bytes are fine, 256 are not. We fail as soon as byte 256
    // arrives without a NUL, instead of buffering on.
    let mut ok = vec![4, 1, 0, 80, 0, 0, 0, 1, 0];
    ok.extend(std::iter::repeat_n(b'a', 255));
    ok.push(0);
    let (_, req) = parse_socks4_request(&ok).unwrap();
    assert_eq!(req.hostname.map(<[u8]>::len), Some(255));

    let mut long = ok[..9].to_vec();
    long.extend(std::iter::repeat_n(b'a', 255));
    assert_eq!(
        parse_socks4_request(&long),
        Err(nom::Err::Incomplete(nom::Needed::new(1)))
    );
    long.push(b'a');
    assert_eq!(
        parse_socks4_request(&long),
        Err(nom::Err::Error(WireError::LengthOverLimit {
            field: Field::Hostname,
            limit: 255
        }))
    );
}

#[test]
fn parse_socks4_request_userid_and_message_limits() {
    let limits = Limits {
        socks4_userid: 4,
        socks4_hostname: 255,
        socks4_message: 20,
        gssapi_token: 0,
    };
    let p = |i| socks4_request::<WireError>(limits).parse(i);
    assert!(p(&[4, 1, 0, 80, 1, 2, 3, 4, b'a', b'b', b'c', b'd', 0]).is_ok());
    assert_eq!(
        p(&[4, 1, 0, 80, 1, 2, 3, 4, b'a', b'b', b'c', b'd', b'e']),
        Err(nom::Err::Error(WireError::LengthOverLimit {
            field: Field::Userid,
            limit: 4
        }))
    );
    // The hostname limit (255) exceeds what the 20-byte message has room for, so the message
    // limit speaks: 8 + "ab\0" = 11 used, room for 8 name bytes and the NUL.
    let mut at_limit = vec![4, 1, 0, 80, 0, 0, 0, 1, b'a', b'b', 0];
    at_limit.extend_from_slice(b"12345678\0");
    assert_eq!(at_limit.len(), 20);
    assert!(p(&at_limit).is_ok());
    let mut over = at_limit[..19].to_vec();
    over.push(b'9');
    assert_eq!(
        p(&over),
        Err(nom::Err::Error(WireError::MessageTooLong { limit: 20 }))
    );

    // The default message limit is tor-socksproto's 1024-byte buffer (E17/E18).
    let mut msg = vec![4, 1, 0, 80, 1, 2, 3, 4];
    msg.extend(std::iter::repeat_n(b'u', 1015));
    msg.push(0);
    assert_eq!(msg.len(), 1024);
    assert!(parse_socks4_request(&msg).is_ok());
    msg.insert(9, b'u');
    assert_eq!(
        parse_socks4_request(&msg),
        Err(nom::Err::Error(WireError::MessageTooLong { limit: 1024 }))
    );
    // CTor's 512-byte cap.
    assert_eq!(
        socks4_request::<WireError>(Limits::CTOR).parse(&msg),
        Err(nom::Err::Error(WireError::MessageTooLong { limit: 512 }))
    );
}

#[test]
fn parse_socks4_request_rejects_wrong_version_on_first_byte() {
    assert_eq!(
        parse_socks4_request(&[5]),
        Err(nom::Err::Error(WireError::BadVersion {
            got: 5,
            expected: 4
        }))
    );
    assert_eq!(
        socks4_request::<WireError>(Limits::DEFAULT)
            .parse_complete(&[4, 1, 0, 80, 1, 2, 3, 4, b'x']),
        Err(nom::Err::Error(WireError::MissingNul {
            field: Field::Userid
        }))
    );
}

#[test]
fn encode_socks4_request_refuses_inconsistent_views() {
    let base = Socks4Request {
        command: Command::CONNECT,
        port: 1,
        ip: Ipv4Addr::new(0, 0, 0, 1),
        userid: b"",
        hostname: None,
    };
    let mut out = [0u8; 64];
    assert_eq!(base.encode(&mut out), Err(EncodeError::Socks4aMismatch));
    let plain = Socks4Request {
        ip: Ipv4Addr::new(1, 1, 1, 1),
        hostname: Some(b"x"),
        ..base
    };
    assert_eq!(plain.encode(&mut out), Err(EncodeError::Socks4aMismatch));
    let nul = Socks4Request {
        ip: Ipv4Addr::new(1, 1, 1, 1),
        userid: b"a\0b",
        ..base
    };
    assert_eq!(
        nul.encode(&mut out),
        Err(EncodeError::NulInField {
            field: Field::Userid
        })
    );
    let host_nul = Socks4Request {
        hostname: Some(b"a\0"),
        ..base
    };
    assert_eq!(
        host_nul.encode(&mut out),
        Err(EncodeError::NulInField {
            field: Field::Hostname
        })
    );
    assert!(out.iter().all(|&b| b == 0));
}

#[test]
fn parse_socks4_reply_granted_and_rejected() {
    // tor-socksproto P01: 00 5b 0050 7f000001; P02: 00 5a 0000 00000000.
    let bytes = [/*VN*/ 0, /*CD*/ 0x5B, 0, 0x50, 127, 0, 0, 1];
    let reply = Socks4Reply::new(Socks4Status::REJECTED, 80, Ipv4Addr::LOCALHOST);
    check_fixture!(socks4_reply(), bytes, reply, [Fixed(8)]);
    assert_eq!(reply.to_bytes(), bytes);
    let granted = [0, 0x5A, 0, 0, 0, 0, 0, 0];
    check_fixture!(
        socks4_reply(),
        granted,
        Socks4Reply::new(Socks4Status::GRANTED, 0, Ipv4Addr::UNSPECIFIED),
        [Fixed(8)]
    );
    // T04: 4a RESOLVE answer with the request's port 257.
    let resolved = [0x00, 0x5a, 0x01, 0x01, 0x5d, 0xb8, 0xd8, 0x22];
    let (_, r) = parse_socks4_reply(&resolved).unwrap();
    assert_eq!((r.port, r.ip), (257, Ipv4Addr::new(93, 184, 216, 34)));
}

#[test]
fn parse_socks4_reply_identd_codes_and_vn_4() {
    for code in [0x5C, 0x5D, 0x00, 0xFF] {
        let bytes = [0, code, 0, 1, 0, 0, 0, 0];
        check_fixture!(
            socks4_reply(),
            bytes,
            Socks4Reply::new(Socks4Status(code), 1, Ipv4Addr::UNSPECIFIED),
            [Fixed(8)]
        );
    }
    // Some servers answer with VN=4; C Tor's client accepts it, and the byte is kept.
    let bytes = [4, 0x5A, 0, 1, 0, 0, 0, 0];
    let reply = Socks4Reply {
        version: 4,
        ..Socks4Reply::new(Socks4Status::GRANTED, 1, Ipv4Addr::UNSPECIFIED)
    };
    check_fixture!(socks4_reply(), bytes, reply, [Fixed(8)]);
    assert_eq!(
        parse_socks4_reply(&[5, 0]),
        Err(nom::Err::Error(WireError::BadVersion {
            got: 5,
            expected: 0
        }))
    );
}
