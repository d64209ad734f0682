//! The proxy handshake's own behaviour: failure replies, poisoning, API misuse, pipelining,
//! policy knobs and profiles, hostname validation, prop351, and the recorded analysis fields.
//! The client side is in `handshake_client.rs`, the buffer contract in `handshake_buffer.rs`.

#[path = "support/drive.rs"]
mod drive;

use drive::{End, drive};
use sockswire::*;

/// Runs a proxy with `policy` over `input` at once; returns what it sent, how it ended, and
/// the failure reply.
fn proxy(
    policy: ProxyPolicy<'_>,
    input: &[u8],
) -> (Vec<u8>, Result<String, Error>, Option<Vec<u8>>) {
    let mut hs = SocksProxyHandshake::with_policy(policy);
    let run = drive(&mut hs, &mut Buffer::new(), input, usize::MAX, |r| {
        format!(
            "{} {} {} {:?}",
            r.version(),
            r.command(),
            r.target(),
            r.auth()
        )
    });
    let end = match run.end {
        End::Finished(s, _) => Ok(s),
        End::NeedMore => Ok("need more".into()),
        End::Error(e) => Err(e),
    };
    (run.sent, end, hs.failure_reply().map(<[u8]>::to_vec))
}

const V5_FAIL: fn(u8) -> Vec<u8> = |code| vec![5, code, 0, 1, 0, 0, 0, 0, 0, 0];
const V4_FAIL: [u8; 8] = [0, 0x5B, 0, 0, 0, 0, 0, 0];

#[test]
fn failure_replies_for_every_kind_of_refusal() {
    let arti = ProxyPolicy::ARTI;
    // No acceptable method (RFC 1928: 05 FF); NMETHODS = 0 too.
    for greeting in [&b"\x05\x01\x01"[..], b"\x05\x00", b"\x05\x02\x01\x80"] {
        let (sent, end, reply) = proxy(arti, greeting);
        assert_eq!(
            (sent, end, reply),
            (vec![], Err(Error::NoAcceptableMethod), Some(vec![5, 0xFF]))
        );
    }
    // BIND and UDP ASSOCIATE under the Arti profile: 05 07.
    let (sent, end, reply) = proxy(
        arti,
        b"\x05\x01\x00\x05\x02\x00\x01\x01\x02\x03\x04\x00\x50",
    );
    assert_eq!(
        (sent, end, reply),
        (
            vec![5, 0],
            Err(Error::CommandNotSupported(Command::BIND)),
            Some(V5_FAIL(7))
        )
    );
    // Unknown address type: 05 08.
    let (_, end, reply) = proxy(arti, b"\x05\x01\x00\x05\x01\x00\x07");
    assert_eq!(
        (end, reply),
        (
            Err(Error::Decode(WireError::UnknownAddrType { got: 7 })),
            Some(V5_FAIL(8))
        )
    );
    // CONNECT to port 0, a bad hostname: 05 01.
    let (_, end, reply) = proxy(
        arti,
        b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x00",
    );
    assert_eq!(
        (end, reply),
        (Err(Error::NotAllowed(Refusal::PortZero)), Some(V5_FAIL(1)))
    );
    let (_, end, reply) = proxy(arti, b"\x05\x01\x00\x05\x01\x00\x03\x02\xff\xfe\x00\x50");
    assert_eq!(
        (end, reply),
        (
            Err(Error::BadHostname(HostnameProblem::NotUtf8)),
            Some(V5_FAIL(1))
        )
    );
    let (_, end, reply) = proxy(arti, b"\x05\x01\x00\x05\x01\x00\x03\x02a\x00\x00\x50");
    assert_eq!(
        (end, reply),
        (
            Err(Error::BadHostname(HostnameProblem::ContainsNul)),
            Some(V5_FAIL(1))
        )
    );
    // SOCKS4 BIND: 00 5B.
    let (_, end, reply) = proxy(arti, b"\x04\x02\x00\x50\x01\x02\x03\x04\x00");
    assert_eq!(
        (end, reply),
        (
            Err(Error::CommandNotSupported(Command::BIND)),
            Some(V4_FAIL.to_vec())
        )
    );
    // SOCKS4a hostname over 255 bytes: 00 5B as soon as byte 256 arrives.
    let mut long = b"\x04\x01\x00\x50\x00\x00\x00\x01\x00".to_vec();
    long.extend([b'a'; 256]);
    let (_, end, reply) = proxy(arti, &long);
    assert_eq!(
        end,
        Err(Error::Decode(WireError::LengthOverLimit {
            field: Field::Hostname,
            limit: 255
        }))
    );
    assert_eq!(reply, Some(V4_FAIL.to_vec()));
    // SafeSocks: 05 02, and plain SOCKS4 refused.
    let safe = {
        let mut p = arti;
        p.reject_raw_ip = true;
        p
    };
    let (_, end, reply) = proxy(
        safe,
        b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x50",
    );
    assert_eq!(
        (end, reply),
        (Err(Error::NotAllowed(Refusal::RawIp)), Some(V5_FAIL(2)))
    );
    let (_, end, _) = proxy(safe, b"\x04\x01\x00\x50\x01\x02\x03\x04\x00");
    assert_eq!(end, Err(Error::NotAllowed(Refusal::RawIp)));
    // RESOLVE of an IP literal is exempt, as in C Tor.
    let (_, end, _) = proxy(
        safe,
        b"\x05\x01\x00\x05\xf0\x00\x01\x01\x02\x03\x04\x00\x00",
    );
    assert!(end.is_ok());
    // Not SOCKS: nothing to say, unless the profile answers HTTP.
    let (_, end, reply) = proxy(arti, b"GET / HTTP/1.1\r\n");
    assert_eq!((end, reply), (Err(Error::BadProtocol(b'G')), None));
    let (_, _, reply) = proxy(ProxyPolicy::CTOR, b"CONNECT x:1 HTTP/1.1\r\n");
    assert_eq!(reply.as_deref(), Some(HTTP_NOT_A_PROXY));
    // A garbage RFC 1929 message: 01 01.
    let (sent, end, reply) = proxy(arti, b"\x05\x01\x02\x07");
    assert_eq!(
        (sent, end, reply),
        (
            vec![5, 2],
            Err(Error::UnexpectedMessage {
                expected: MessageKind::UserPassRequest,
                got: 7
            }),
            Some(vec![1, 1])
        )
    );
}

#[test]
fn no_failure_reply_before_failure() {
    let mut hs = SocksProxyHandshake::new();
    assert_eq!(hs.failure_reply(), None);
    let mut buf = Buffer::new();
    assert!(matches!(hs.step(&mut buf), Ok(NextStep::Recv(_))));
    assert_eq!(hs.failure_reply(), None);
}

#[test]
fn errors_poison_and_finishing_twice_is_an_error() {
    let mut hs = SocksProxyHandshake::new();
    let mut buf = Buffer::new();
    buf.unfilled_slice()[..3].copy_from_slice(b"\x05\x01\x01");
    buf.note_received(3).unwrap();
    assert_eq!(hs.step(&mut buf).unwrap_err(), Error::NoAcceptableMethod);
    for _ in 0..3 {
        assert_eq!(hs.step(&mut buf).unwrap_err(), Error::AlreadyFailed);
        // The refused step changes nothing: the reply to send and the buffer stay.
        assert_eq!(hs.failure_reply(), Some(&b"\x05\xff"[..]));
        assert_eq!(buf.filled_slice(), b"\x05\x01\x01");
    }

    let mut hs = SocksProxyHandshake::new();
    let mut buf = Buffer::new();
    buf.unfilled_slice()[..9].copy_from_slice(b"\x04\x01\x00\x50\x01\x02\x03\x04\x00");
    buf.note_received(9).unwrap();
    match hs.step(&mut buf).unwrap() {
        NextStep::Finished(f) => assert_eq!(f.into_output_forbid_pipelining().unwrap().port(), 80),
        other => panic!("{other:?}"),
    }
    // tor-socksproto says Recv here, with an empty buffer.
    assert_eq!(hs.step(&mut buf).unwrap_err(), Error::AlreadyFinished);
    // Bytes that arrive later stay in the buffer for the caller.
    buf.unfilled_slice()[..2].copy_from_slice(b"hi");
    buf.note_received(2).unwrap();
    assert_eq!(hs.step(&mut buf).unwrap_err(), Error::AlreadyFinished);
    assert_eq!(buf.filled_slice(), b"hi");
}

#[test]
fn api_misuse_is_an_error_not_a_panic() {
    let mut buf = Buffer::new();
    assert_eq!(
        buf.note_received(SOCKS_BUF_LEN + 1),
        Err(Error::ReceivedPastRoom {
            received: SOCKS_BUF_LEN + 1,
            room: SOCKS_BUF_LEN
        })
    );
    let mut hs = SocksProxyHandshake::new();
    let mut precise = Buffer::new_precise();
    match hs.step(&mut precise).unwrap() {
        NextStep::Recv(recv) => assert_eq!(
            recv.note_received(2),
            Err(Error::ReceivedPastRoom {
                received: 2,
                room: 1
            })
        ),
        other => panic!("{other:?}"),
    }
    let mut hs = SocksProxyHandshake::new();
    match hs.step(&mut Buffer::new()).unwrap() {
        NextStep::Recv(recv) => assert_eq!(recv.note_received(0), Err(Error::UnexpectedEof)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn pipelined_bytes_are_handed_back_or_refused() {
    let input = b"\x05\x01\x00\x05\x01\x00\x01\x7f\x00\x00\x01\x00\x50GET / HTTP/1.1\r\n";
    let mut hs = SocksProxyHandshake::new();
    let run = drive(&mut hs, &mut Buffer::new(), input, usize::MAX, |r| r.port());
    match run.end {
        End::Finished(80, rest) => assert_eq!(rest, b"GET / HTTP/1.1\r\n"),
        other => panic!("{other:?}"),
    }
    assert_eq!(run.read_ahead, 16);
    // With precise reads nothing past the handshake is read from the peer.
    let mut hs = SocksProxyHandshake::new();
    let run = drive(&mut hs, &mut drive::precise(), input, usize::MAX, |r| {
        r.port()
    });
    assert_eq!(run.read_ahead, 0);
    // Reads of 1 (version), 1 (NMETHODS), 1 (method), then 4 (header) and 6 (address).
    assert_eq!(run.steps, "RRRSRRF");
    // forbid_pipelining refuses (the TROVE-2024-010 guard).
    let mut hs = SocksProxyHandshake::new();
    let mut buf = Buffer::new();
    buf.unfilled_slice()[..input.len()].copy_from_slice(input);
    buf.note_received(input.len()).unwrap();
    assert!(matches!(hs.step(&mut buf), Ok(NextStep::Send(b"\x05\x00"))));
    match hs.step(&mut buf).unwrap() {
        NextStep::Finished(f) => assert_eq!(
            f.into_output_forbid_pipelining().unwrap_err(),
            Error::ForbiddenPipelining
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn credentials_policy() {
    let exact = {
        let mut p = ProxyPolicy::ARTI;
        p.credentials = Credentials::Exact {
            username: b"alice",
            password: b"s3cret",
        };
        p
    };
    let (sent, end, _) = proxy(
        exact,
        b"\x05\x01\x02\x01\x05alice\x06s3cret\x05\x01\x00\x01\x7f\x00\x00\x01\x00\x50",
    );
    assert_eq!(sent, [5, 2, 1, 0]);
    assert_eq!(
        end.unwrap(),
        "socks5 CONNECT 127.0.0.1:80 Username([97, 108, 105, 99, 101], <6 bytes>)"
    );
    let (sent, end, reply) = proxy(exact, b"\x05\x01\x02\x01\x05alice\x05wrong");
    assert_eq!(
        (sent, end, reply),
        (vec![5, 2], Err(Error::BadCredentials), Some(vec![1, 1]))
    );
    // With credentials required, no-auth is no longer acceptable (the auth-bypass bug class),
    // even when offered first, and SOCKS4 cannot authenticate.
    let (_, end, reply) = proxy(exact, b"\x05\x02\x00\x02");
    assert_eq!((end, reply), (Ok("need more".into()), None));
    let (_, end, reply) = proxy(exact, b"\x05\x01\x00");
    assert_eq!(
        (end, reply),
        (Err(Error::NoAcceptableMethod), Some(vec![5, 0xFF]))
    );
    let (_, end, _) = proxy(exact, b"\x04\x01\x00\x50\x01\x02\x03\x04alice\x00");
    assert_eq!(end, Err(Error::BadCredentials));
    // A callback.
    let check = |u: &[u8], p: &[u8]| u == p;
    let cb = {
        let mut p = ProxyPolicy::ARTI;
        p.credentials = Credentials::Check(&check);
        p
    };
    assert_eq!(proxy(cb, b"\x05\x01\x02\x01\x01x\x01x").0, [5, 2, 1, 0]);
    assert_eq!(
        proxy(cb, b"\x05\x01\x02\x01\x01x\x01y").1,
        Err(Error::BadCredentials)
    );
}

#[test]
fn method_preference_and_userpass_after_no_auth() {
    // Tor picks username/password when both are offered (isolation)...
    assert_eq!(proxy(ProxyPolicy::ARTI, b"\x05\x02\x00\x02").0, [5, 2]);
    // ...unless told to prefer no-auth (PreferSOCKSNoAuth), as a plain RFC server does.
    let prefer = {
        let mut p = ProxyPolicy::ARTI;
        p.prefer_no_auth = true;
        p
    };
    assert_eq!(proxy(prefer, b"\x05\x02\x00\x02").0, [5, 0]);
    assert_eq!(proxy(ProxyPolicy::RFC1928, b"\x05\x02\x02\x00").0, [5, 0]);
    // C Tor accepts a username/password message after choosing no-auth (test_socks.c).
    let input = b"\x05\x01\x00\x01\x02me\x02pw\x05\x01\x00\x01\x7f\x00\x00\x01\x00\x50";
    let (sent, end, _) = proxy(ProxyPolicy::CTOR, input);
    assert_eq!(sent, [5, 0, 1, 0]);
    assert!(end.unwrap().ends_with("Username([109, 101], <2 bytes>)"));
    assert_eq!(
        proxy(ProxyPolicy::ARTI, input).1,
        Err(Error::UnexpectedMessage {
            expected: MessageKind::Socks5Request,
            got: 1
        })
    );
}

#[test]
fn profiles_and_knobs() {
    // Rfc1928 serves BIND and UDP ASSOCIATE, with port 0, and refuses Tor's commands.
    let (_, end, _) = proxy(
        ProxyPolicy::RFC1928,
        b"\x05\x01\x00\x05\x03\x00\x01\x00\x00\x00\x00\x00\x00",
    );
    assert_eq!(end.unwrap(), "socks5 UDP_ASSOCIATE 0.0.0.0:0 NoAuth");
    let (_, end, _) = proxy(
        ProxyPolicy::RFC1928,
        b"\x04\x02\x00\x50\x01\x02\x03\x04\x00",
    );
    assert_eq!(end.unwrap(), "socks4 BIND 1.2.3.4:80 NoAuth");
    let (_, end, reply) = proxy(
        ProxyPolicy::RFC1928,
        b"\x05\x01\x00\x05\xf0\x00\x03\x01a\x00\x00",
    );
    assert_eq!(
        (end, reply),
        (
            Err(Error::CommandNotSupported(Command::RESOLVE)),
            Some(V5_FAIL(7))
        )
    );
    // CONNECT port 0 for prop351 object targets.
    let zero = {
        let mut p = ProxyPolicy::ARTI;
        p.connect_port_zero = true;
        p
    };
    assert_eq!(
        proxy(
            zero,
            b"\x05\x01\x00\x05\x01\x00\x04\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x00\x00"
        )
        .1
        .unwrap(),
        "socks5 CONNECT [::]:0 NoAuth"
    );
    // CTor: 0.0.0.0, RSV, hostname validation, RESOLVE_PTR rules, unknown command code 05 01.
    let ctor = ProxyPolicy::CTOR;
    assert_eq!(
        proxy(ctor, b"\x04\x01\x00\x50\x00\x00\x00\x00\x00").1,
        Err(Error::NotAllowed(Refusal::ZeroAddress))
    );
    assert_eq!(
        proxy(ProxyPolicy::ARTI, b"\x04\x01\x00\x50\x00\x00\x00\x00\x00")
            .1
            .unwrap(),
        "socks4 CONNECT 0.0.0.0:80 NoAuth"
    );
    let (_, end, reply) = proxy(
        ctor,
        b"\x05\x01\x00\x05\x01\x01\x01\x01\x02\x03\x04\x00\x50",
    );
    assert_eq!(
        (end, reply),
        (Err(Error::NotAllowed(Refusal::Reserved)), Some(V5_FAIL(1)))
    );
    assert_eq!(
        proxy(ctor, b"\x05\x01\x00\x05\x01\x00\x03\x03---\x00\x50").1,
        Err(Error::BadHostname(HostnameProblem::Invalid))
    );
    assert_eq!(
        proxy(ctor, b"\x04\xf1\x00\x00\x01\x02\x03\x04\x00").1,
        Err(Error::CommandNotSupported(Command::RESOLVE_PTR))
    );
    let (_, end, reply) = proxy(ctor, b"\x05\x01\x00\x05\xf1\x00\x03\x03abc\x00\x00");
    assert_eq!(
        (end, reply),
        (
            Err(Error::NotAllowed(Refusal::ResolvePtrHostname)),
            Some(V5_FAIL(8))
        )
    );
    assert!(
        proxy(ctor, b"\x05\x01\x00\x05\xf1\x00\x03\x07[::1.2]\x00\x00")
            .1
            .is_err()
    );
    assert!(
        proxy(ctor, b"\x05\x01\x00\x05\xf1\x00\x03\x05[::1]\x00\x00")
            .1
            .is_ok()
    );
    let (_, _, reply) = proxy(
        ctor,
        b"\x05\x01\x00\x05\x04\x00\x01\x01\x02\x03\x04\x00\x50",
    );
    assert_eq!(reply, Some(V5_FAIL(1)));
    // CTor's 512-byte SOCKS4 cap.
    let mut big = b"\x04\x01\x00\x50\x01\x02\x03\x04".to_vec();
    big.extend([b'u'; 600]);
    assert_eq!(
        proxy(ctor, &big).1,
        Err(Error::MessageTooLong { limit: 512 })
    );
    // A SOCKS4 request after a SOCKS5 greeting (C re-dispatches on the first byte).
    let (sent, end, _) = proxy(ctor, b"\x05\x01\x00\x04\x01\x00\x50\x01\x02\x03\x04\x00");
    assert_eq!(
        (sent, end.unwrap()),
        (vec![5, 0], "socks4 CONNECT 1.2.3.4:80 NoAuth".into())
    );
}

#[test]
fn hostname_validation_matches_string_is_valid_dest() {
    for ok in [
        "torproject.org",
        "torproject.org.",
        "a_b.c-d",
        "1.2.3.4",
        "::1",
        "[::1]",
        "x",
    ] {
        assert!(is_valid_dest(ok), "{ok}");
    }
    for bad in [
        "",
        ".",
        "-a.org",
        "_a.org",
        "a..org",
        "a.org..",
        "a b",
        "bücher.de",
        "\"q\".com",
        "[1.2.3.4",
    ] {
        assert!(!is_valid_dest(bad), "{bad}");
    }
}

#[test]
fn extended_auth_prop351() {
    assert_eq!(parse_extended_auth(b"alice", b"pw"), None);
    assert_eq!(
        parse_extended_auth(b"<torS0X>0", b"iso"),
        Some(Ok(ExtendedAuth::Isolation { isolation: b"iso" }))
    );
    assert_eq!(
        parse_extended_auth(b"<torS0X>1obj-42", b""),
        Some(Ok(ExtendedAuth::RpcObject {
            object: "obj-42",
            isolation: b""
        }))
    );
    assert_eq!(
        parse_extended_auth(b"<torS0X>", b""),
        Some(Err(ExtendedAuthError::MissingFormat))
    );
    assert_eq!(
        parse_extended_auth(b"<torS0X>0x", b""),
        Some(Err(ExtendedAuthError::TrailingBytes))
    );
    assert_eq!(
        parse_extended_auth(b"<torS0X>1", b""),
        Some(Err(ExtendedAuthError::BadObjectId))
    );
    assert_eq!(
        parse_extended_auth(b"<torS0X>1\xff", b""),
        Some(Err(ExtendedAuthError::BadObjectId))
    );
    assert_eq!(
        parse_extended_auth(b"<torS0X>2", b""),
        Some(Err(ExtendedAuthError::UnknownFormat(b'2')))
    );

    let msg = |user: &[u8]| {
        let mut m = b"\x05\x01\x02\x01".to_vec();
        m.push(user.len() as u8);
        m.extend_from_slice(user);
        m.extend_from_slice(b"\x03iso\x05\x01\x00\x01\x7f\x00\x00\x01\x00\x50");
        m
    };
    let arti_rules = {
        let mut p = ProxyPolicy::ARTI;
        p.extended_auth = ExtendedAuthRules::Arti;
        p
    };
    // Ignore (tor-socksproto): anything goes; SocksAuth::extended still reads it.
    assert!(proxy(ProxyPolicy::ARTI, &msg(b"<torS0X>2")).1.is_ok());
    assert!(proxy(arti_rules, &msg(b"<torS0X>1obj")).1.is_ok());
    assert_eq!(proxy(arti_rules, &msg(b"<torS0X>2")).2, Some(vec![1, 1]));
    assert!(proxy(ProxyPolicy::CTOR, &msg(b"<torS0X>0")).1.is_ok());
    assert_eq!(
        proxy(ProxyPolicy::CTOR, &msg(b"<torS0X>1obj")).1,
        Err(Error::NotAllowed(Refusal::ExtendedAuth))
    );
    assert_eq!(
        SocksAuth::Username(b"<torS0X>0", b"x").extended(),
        Some(Ok(ExtendedAuth::Isolation { isolation: b"x" }))
    );
}

#[test]
fn request_records_what_an_analyser_needs() {
    let input = b"\x05\x03\x00\x01\x02\x01\x00\x00\x05\x01\x00\x01\x7f\x00\x00\x01\x00\x50";
    let mut hs = SocksProxyHandshake::new();
    let run = drive(&mut hs, &mut Buffer::new(), input, usize::MAX, |r| {
        (
            r.methods_offered(),
            r.is_raw_ip(),
            r.is_socks4a(),
            r.reserved(),
            r.version(),
        )
    });
    match run.end {
        End::Finished(got, _) => assert_eq!(
            got,
            (
                MethodSet::NO_AUTH | MethodSet::GSSAPI | MethodSet::USERNAME_PASSWORD,
                true,
                false,
                0,
                SocksVersion::V5
            )
        ),
        other => panic!("{other:?}"),
    }
    let mut hs = SocksProxyHandshake::new();
    let run = drive(
        &mut hs,
        &mut Buffer::new(),
        b"\x04\x01\x00\x50\x00\x00\x00\x07u\x00h\x00",
        1,
        |r| {
            (
                r.is_raw_ip(),
                r.is_socks4a(),
                r.target().to_string(),
                format!("{:?}", r.auth()),
            )
        },
    );
    match run.end {
        End::Finished(got, _) => assert_eq!(
            got,
            (false, true, "h:80".to_string(), "Socks4([117])".to_string())
        ),
        other => panic!("{other:?}"),
    }
}
