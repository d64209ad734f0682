//! SOCKS5 fixtures: greeting, method choice, request, reply. Sources are named per fixture:
//! RFC 1928, tor-socksproto 0.47's tests (P/T/E ids from the reference notes), Tor's
//! `test_socks.c`, and bytes recorded from curl on loopback.

#[macro_use]
#[path = "support/fixture.rs"]
mod fixture;

use std::net::{Ipv4Addr, Ipv6Addr};

use fixture::Seg::Fixed;
use nom::Parser;
use sockswire::*;

const V6: Ipv6Addr = Ipv6Addr::new(0x2001, 0x0db8, 0, 0, 0, 0, 0, 1);

// --- greeting ------------------------------------------------------------------------------

#[test]
fn parse_socks5_greeting_no_auth() {
    // curl --socks5-hostname: one method, no authentication.
    let bytes = [/*VER*/ 5, /*NMETHODS*/ 1, /*NO_AUTH*/ 0];
    check_fixture!(
        socks5_greeting(),
        bytes,
        Socks5Greeting { methods: &[0] },
        [Fixed(2), Fixed(1)]
    );
}

#[test]
fn parse_socks5_greeting_userpass_and_no_auth() {
    // tor-socksproto P04: 02 is preferred whatever the order.
    let bytes = [5, 2, /*NO_AUTH*/ 0, /*USERNAME_PASSWORD*/ 2];
    let g = Socks5Greeting { methods: &[0, 2] };
    check_fixture!(socks5_greeting(), bytes, g, [Fixed(2), Fixed(2)]);
    assert!(g.offers(Method::USERNAME_PASSWORD) && g.offers(Method::NO_AUTH));
    assert!(!g.offers(Method::GSSAPI));
    assert_eq!(
        g.method_set(),
        MethodSet::NO_AUTH | MethodSet::USERNAME_PASSWORD
    );
    assert_eq!(
        g.methods().collect::<Vec<_>>(),
        [Method::NO_AUTH, Method::USERNAME_PASSWORD]
    );
}

#[test]
fn parse_socks5_greeting_zero_methods() {
    // tor-socksproto T39: NMETHODS=0 is well framed; refusing it is policy.
    check_fixture!(
        socks5_greeting(),
        [5, 0],
        Socks5Greeting { methods: &[] },
        [Fixed(2)]
    );
}

#[test]
fn parse_socks5_greeting_255_methods_with_private_and_duplicates() {
    // tor-socksproto E28: 255 methods.
    let mut bytes = vec![5, 255];
    bytes.extend((0..255u8).map(|i| i.wrapping_mul(7)));
    let methods = bytes[2..].to_vec();
    check_fixture!(
        socks5_greeting(),
        bytes,
        Socks5Greeting { methods: &methods },
        [Fixed(2), Fixed(255)]
    );
    let set = Socks5Greeting { methods: &methods }.method_set();
    assert!(set.contains(MethodSet::PRIVATE | MethodSet::GSSAPI | MethodSet::NO_AUTH));
}

#[test]
fn parse_socks5_greeting_rejects_wrong_version_on_first_byte() {
    assert_eq!(
        parse_socks5_greeting(&[4]),
        Err(nom::Err::Error(WireError::BadVersion {
            got: 4,
            expected: 5
        }))
    );
    assert_eq!(
        parse_socks5_greeting(b"GET / HTTP/1.1\r\n"),
        Err(nom::Err::Error(WireError::BadVersion {
            got: b'G',
            expected: 5
        }))
    );
}

#[test]
fn encode_socks5_greeting_refuses_256_methods() {
    let methods = [0u8; 256];
    assert_eq!(
        Socks5Greeting { methods: &methods }.to_bytes(),
        Err(EncodeError::FieldTooLong {
            field: Field::Methods,
            len: 256,
            limit: 255
        })
    );
}

// --- method choice -------------------------------------------------------------------------

#[test]
fn parse_socks5_method_choice_each_kind() {
    for (method, name) in [
        (Method::NO_AUTH, "NO_AUTH"),
        (Method::USERNAME_PASSWORD, "USERNAME_PASSWORD"),
        (Method::GSSAPI, "GSSAPI"),
        (Method::NO_ACCEPTABLE, "NO_ACCEPTABLE"),
        (Method(0x80), "0x80"),
    ] {
        check_fixture!(
            socks5_method_choice(),
            [5, method.0],
            Socks5MethodChoice { method },
            [Fixed(2)]
        );
        assert_eq!(method.to_string(), name);
    }
    assert_eq!(
        Socks5MethodChoice {
            method: Method::NO_ACCEPTABLE
        }
        .to_bytes(),
        [5, 0xFF]
    );
}

// --- request -------------------------------------------------------------------------------

#[test]
fn parse_socks5_request_connect_domain() {
    // curl --socks5-hostname http://example.com/
    let bytes = [
        /*VER*/ 5, /*CMD*/ 1, /*RSV*/ 0, /*ATYP*/ 3, /*LEN*/ 11, b'e',
        b'x', b'a', b'm', b'p', b'l', b'e', b'.', b'c', b'o', b'm', /*PORT*/ 0, 80,
    ];
    let req = Socks5Request {
        command: Command::CONNECT,
        reserved: 0,
        addr: Addr::Domain(b"example.com"),
        port: 80,
    };
    check_fixture!(
        socks5_request(),
        bytes,
        req,
        [Fixed(4), Fixed(1), Fixed(13)]
    );
    assert_eq!(req.target().to_string(), "example.com:80");
    assert!(!req.addr.is_raw_ip());
    assert_eq!(req.addr.domain_str(), Some("example.com"));
    assert_eq!(req.target().socket_addr(), None);
}

#[test]
fn parse_socks5_request_connect_ipv4() {
    let bytes = [
        5, 1, 0, /*IPV4*/ 1, 127, 0, 0, 1, /*PORT*/ 0x1F, 0x90,
    ];
    let req = Socks5Request {
        command: Command::CONNECT,
        reserved: 0,
        addr: Addr::Ipv4(Ipv4Addr::LOCALHOST),
        port: 8080,
    };
    check_fixture!(socks5_request(), bytes, req, [Fixed(4), Fixed(6)]);
    assert!(req.addr.is_raw_ip());
    assert_eq!(
        req.target().socket_addr(),
        Some("127.0.0.1:8080".parse().unwrap())
    );
}

#[test]
fn parse_socks5_request_connect_ipv6() {
    let mut bytes = vec![5, 1, 0, /*IPV6*/ 4];
    bytes.extend_from_slice(&V6.octets());
    bytes.extend_from_slice(&443u16.to_be_bytes());
    let req = Socks5Request {
        command: Command::CONNECT,
        reserved: 0,
        addr: Addr::Ipv6(V6),
        port: 443,
    };
    check_fixture!(socks5_request(), bytes, req, [Fixed(4), Fixed(18)]);
    assert_eq!(req.target().to_string(), "[2001:db8::1]:443");
}

#[test]
fn parse_socks5_request_tor_resolve_and_resolve_ptr() {
    // tor-socksproto T16/T20 requests; test_socks.c test_socks_5_supported_commands.
    let resolve = [
        5, 0xF0, 0, 3, 14, b't', b'o', b'r', b'p', b'r', b'o', b'j', b'e', b'c', b't', b'.', b'o',
        b'r', b'g', 1, 2,
    ];
    let req = Socks5Request {
        command: Command::RESOLVE,
        reserved: 0,
        addr: Addr::Domain(b"torproject.org"),
        port: 258,
    };
    check_fixture!(
        socks5_request(),
        resolve,
        req,
        [Fixed(4), Fixed(1), Fixed(16)]
    );

    let ptr = [5, 0xF1, 0, 1, 2, 2, 2, 2, 0, 0];
    let req = Socks5Request {
        command: Command::RESOLVE_PTR,
        reserved: 0,
        addr: Addr::Ipv4(Ipv4Addr::new(2, 2, 2, 2)),
        port: 0,
    };
    check_fixture!(socks5_request(), ptr, req, [Fixed(4), Fixed(6)]);
}

#[test]
fn parse_socks5_request_bind_and_udp_associate() {
    // RFC 1928: BIND, and UDP ASSOCIATE with 0.0.0.0:0 ("client address not known yet").
    let bind = [5, 2, 0, 1, 10, 0, 0, 1, 0x04, 0x00];
    let req = Socks5Request {
        command: Command::BIND,
        reserved: 0,
        addr: Addr::Ipv4(Ipv4Addr::new(10, 0, 0, 1)),
        port: 1024,
    };
    check_fixture!(socks5_request(), bind, req, [Fixed(4), Fixed(6)]);
    let udp = [5, 3, 0, 1, 0, 0, 0, 0, 0, 0];
    let req = Socks5Request {
        command: Command::UDP_ASSOCIATE,
        reserved: 0,
        addr: Addr::Ipv4(Ipv4Addr::UNSPECIFIED),
        port: 0,
    };
    check_fixture!(socks5_request(), udp, req, [Fixed(4), Fixed(6)]);
}

#[test]
fn parse_socks5_request_keeps_unknown_command_reserved_and_raw_name_bytes() {
    // tor-socksproto E24 (RSV ignored), E38 (unknown command), E22 (non-UTF-8 name kept here).
    let bytes = [5, 0x99, /*RSV*/ 0x55, 3, 3, 0xFF, 0x00, b'a', 0, 1];
    let req = Socks5Request {
        command: Command(0x99),
        reserved: 0x55,
        addr: Addr::Domain(&[0xFF, 0x00, b'a']),
        port: 1,
    };
    check_fixture!(socks5_request(), bytes, req, [Fixed(4), Fixed(1), Fixed(5)]);
    assert_eq!(req.addr.domain_str(), None);
    assert_eq!(
        req.check_reserved(),
        Err(WireError::BadReserved { got: 0x55 })
    );
    assert_eq!(req.target().to_string(), "\\xff\\x00a:1");
    assert!(!req.command.is_known());
}

#[test]
fn parse_socks5_request_empty_domain_and_ip_literal_domain() {
    // tor-socksproto T44: LEN=0 is a valid (empty) hostname.
    let empty = [5, 1, 0, 3, 0, 0, 80];
    let req = Socks5Request {
        command: Command::CONNECT,
        reserved: 0,
        addr: Addr::Domain(b""),
        port: 80,
    };
    check_fixture!(socks5_request(), empty, req, [Fixed(4), Fixed(1), Fixed(2)]);
    // tor-socksproto T17-T19: a name that looks like an IP stays a name.
    for name in [&b"8.8.8.8"[..], b"::1", b"[2001:db8::1]"] {
        assert!(Addr::Domain(name).is_ip_literal_domain(), "{name:?}");
    }
    assert!(!Addr::Domain(b"example.com").is_ip_literal_domain());
    assert!(!Addr::Ipv4(Ipv4Addr::LOCALHOST).is_ip_literal_domain());
}

#[test]
fn parse_socks5_request_rejects_unknown_atyp_at_the_atyp_byte() {
    // tor-socksproto T33/E25: ATYP 0x23 and 0.
    for atyp in [0x00, 0x02, 0x23, 0xFF] {
        assert_eq!(
            parse_socks5_request(&[5, 1, 0, atyp]),
            Err(nom::Err::Error(WireError::UnknownAddrType { got: atyp })),
        );
    }
    assert_eq!(
        parse_socks5_request(&[4, 1]),
        Err(nom::Err::Error(WireError::BadVersion {
            got: 4,
            expected: 5
        }))
    );
}

#[test]
fn parse_socks5_request_complete_mode_names_the_field() {
    let p = |i| {
        socks5_request::<WireError>()
            .parse_complete(i)
            .map(|(_, r)| r)
    };
    assert_eq!(
        p(&[5, 1]),
        Err(nom::Err::Error(WireError::Truncated {
            field: Field::Header,
            needed: 2
        }))
    );
    assert_eq!(
        p(&[5, 1, 0, 3]),
        Err(nom::Err::Error(WireError::Truncated {
            field: Field::DomainLength,
            needed: 1
        }))
    );
    assert_eq!(
        p(&[5, 1, 0, 3, 9, b'a']),
        Err(nom::Err::Error(WireError::Truncated {
            field: Field::Address,
            needed: 10
        }))
    );
    assert_eq!(
        p(&[5, 1, 0, 1, 1, 2, 3, 4, 0]),
        Err(nom::Err::Error(WireError::Truncated {
            field: Field::Address,
            needed: 1
        }))
    );
}

#[test]
fn encode_socks5_request_refuses_long_domain_and_small_buffer() {
    let name = [b'a'; 256];
    let req = Socks5Request {
        command: Command::CONNECT,
        reserved: 0,
        addr: Addr::Domain(&name),
        port: 1,
    };
    assert_eq!(
        req.to_bytes(),
        Err(EncodeError::FieldTooLong {
            field: Field::Address,
            len: 256,
            limit: 255
        })
    );
    let ok = Socks5Request {
        addr: Addr::Domain(&name[..255]),
        ..req
    };
    assert_eq!(ok.to_bytes().unwrap().len(), SOCKS5_REQUEST_MAX_LEN);
}

// --- reply ---------------------------------------------------------------------------------

#[test]
fn parse_socks5_reply_success_ipv4_zero() {
    // tor-socksproto P10: 05 00 00 01 00000000 0000.
    let bytes = [5, 0, 0, 1, 0, 0, 0, 0, 0, 0];
    let reply = Socks5Reply::new(ReplyCode::SUCCEEDED, Addr::Ipv4(Ipv4Addr::UNSPECIFIED), 0);
    check_fixture!(socks5_reply(), bytes, reply, [Fixed(4), Fixed(6)]);
}

#[test]
fn parse_socks5_reply_failure_ipv6_zero() {
    // tor-socksproto P09: general failure to an IPv6 request, 16 zero bytes.
    let mut bytes = vec![5, 1, 0, 4];
    bytes.extend_from_slice(&[0; 18]);
    let reply = Socks5Reply::new(
        ReplyCode::GENERAL_FAILURE,
        Addr::Ipv6(Ipv6Addr::UNSPECIFIED),
        0,
    );
    check_fixture!(socks5_reply(), bytes, reply, [Fixed(4), Fixed(18)]);
}

#[test]
fn parse_socks5_reply_hostname() {
    // tor-socksproto P08: host unreachable, echoing a 15-byte hostname and port 8080.
    let mut bytes = vec![5, 4, 0, 3, 15];
    bytes.extend_from_slice(b"foo.example.org");
    bytes.extend_from_slice(&[0x1F, 0x90]);
    let reply = Socks5Reply::new(
        ReplyCode::HOST_UNREACHABLE,
        Addr::Domain(b"foo.example.org"),
        8080,
    );
    check_fixture!(
        socks5_reply(),
        bytes,
        reply,
        [Fixed(4), Fixed(1), Fixed(17)]
    );
}

#[test]
fn parse_socks5_reply_tor_extended_codes() {
    // tor-socksproto T15: 05 f0 00 01 ...; every HS_* code keeps its name.
    for (code, name) in (0xF0..=0xF7).zip([
        "HS_DESC_NOT_FOUND",
        "HS_DESC_INVALID",
        "HS_INTRO_FAILED",
        "HS_REND_FAILED",
        "HS_MISSING_CLIENT_AUTH",
        "HS_WRONG_CLIENT_AUTH",
        "HS_BAD_ADDRESS",
        "HS_INTRO_TIMEOUT",
    ]) {
        let bytes = [5, code, 0, 1, 0, 0, 0, 0, 0, 0];
        let reply = Socks5Reply::new(ReplyCode(code), Addr::Ipv4(Ipv4Addr::UNSPECIFIED), 0);
        check_fixture!(socks5_reply(), bytes, reply, [Fixed(4), Fixed(6)]);
        assert_eq!(reply.reply.to_string(), name);
    }
    // Unknown codes are kept, never a panic (fast-socks5's bug).
    let (_, r) = parse_socks5_reply(&[5, 0x09, 0, 1, 0, 0, 0, 0, 0, 0]).unwrap();
    assert_eq!((r.reply, r.reply.is_known()), (ReplyCode(9), false));
}

#[test]
fn parse_socks5_reply_resolve_answers() {
    // tor-socksproto T16: RESOLVE answer 1.2.3.4 with the request's port 258.
    let bytes = [5, 0, 0, 1, 1, 2, 3, 4, 1, 2];
    let reply = Socks5Reply::new(
        ReplyCode::SUCCEEDED,
        Addr::Ipv4(Ipv4Addr::new(1, 2, 3, 4)),
        258,
    );
    check_fixture!(socks5_reply(), bytes, reply, [Fixed(4), Fixed(6)]);
    // tor-socksproto T20: RESOLVE_PTR answer example.com, port 259.
    let mut bytes = vec![5, 0, 0, 3, 11];
    bytes.extend_from_slice(b"example.com");
    bytes.extend_from_slice(&[1, 3]);
    let reply = Socks5Reply::new(ReplyCode::SUCCEEDED, Addr::Domain(b"example.com"), 259);
    check_fixture!(
        socks5_reply(),
        bytes,
        reply,
        [Fixed(4), Fixed(1), Fixed(13)]
    );
}

#[test]
fn parse_socks5_reply_ctor_resolve_failure_atyp_zero() {
    // connection_edge.c: C Tor's SOCKS5 RESOLVE failure is 05 04 00 00 + six zero bytes.
    let bytes = [5, 4, 0, /*ATYP*/ 0, 0, 0, 0, 0, 0, 0];
    let reply = Socks5Reply::new(ReplyCode::HOST_UNREACHABLE, Addr::Unspecified([0; 4]), 0);
    check_fixture!(socks5_reply(), bytes, reply, [Fixed(4), Fixed(6)]);
    assert_eq!(reply.addr.addr_type(), AddrType::UNSPECIFIED);
    // A request never carries ATYP 0.
    assert_eq!(
        parse_socks5_request(&bytes),
        Err(nom::Err::Error(WireError::UnknownAddrType { got: 0 }))
    );
}

#[test]
fn parse_socks5_reply_bind_second_reply_is_an_ordinary_reply() {
    // RFC 1928 BIND: the second reply names the connecting host.
    let first = [5, 0, 0, 1, 192, 0, 2, 1, 0x9C, 0x40];
    let second = [5, 0, 0, 1, 198, 51, 100, 7, 0xD4, 0x31];
    let both = [&first[..], &second[..]].concat();
    let (rest, a) = parse_socks5_reply(&both).unwrap();
    let (rest, b) = parse_socks5_reply(rest).unwrap();
    assert!(rest.is_empty());
    assert_eq!(a.bound().to_string(), "192.0.2.1:40000");
    assert_eq!(b.bound().to_string(), "198.51.100.7:54321");
}
