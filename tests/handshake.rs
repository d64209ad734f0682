//! The handshake layer's own behaviour: failure replies, poisoning, policy knobs and profiles,
//! prop351, the recorded analysis fields, the client's options, client <-> proxy round trips at
//! several chunkings in both read modes, and the prefix contract.

#[path = "support/drive.rs"]
mod drive;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

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

fn req(
    version: SocksVersion,
    cmd: Command,
    addr: SocksAddr<'static>,
    port: u16,
    auth: SocksAuth<'static>,
) -> SocksRequest<'static> {
    SocksRequest::new(version, cmd, addr, port, auth).unwrap()
}

fn host(s: &'static str) -> SocksAddr<'static> {
    SocksAddr::Hostname(SocksHostname::try_from(s).unwrap())
}

#[test]
fn reply_encoding_options() {
    let r = req(
        SocksVersion::V5,
        Command::CONNECT,
        SocksAddr::Ip(IpAddr::V6(Ipv6Addr::LOCALHOST)),
        443,
        SocksAuth::NoAuth,
    );
    let mut v6 = vec![5, 1, 0, 4];
    v6.extend([0; 18]);
    assert_eq!(
        &r.reply(SocksStatus::GENERAL_FAILURE, None).unwrap()[..],
        &v6[..]
    );
    assert_eq!(
        &r.reply(SocksStatus::HS_BAD_ADDRESS, None).unwrap()[..2],
        [5, 0xF6]
    );
    // BND.PORT set independently (BIND, UDP ASSOCIATE, C's RESOLVE port 0).
    let bound = SocksAddr::Ip(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)));
    assert_eq!(
        &r.reply_with_port(SocksStatus::SUCCEEDED, Some(&bound), 4000)
            .unwrap()[..],
        [5, 0, 0, 1, 10, 0, 0, 1, 0x0F, 0xA0]
    );
    // Without extended errors (C Tor's default) the onion-service codes become 01.
    let mut hs = SocksProxyHandshake::with_policy(ProxyPolicy::CTOR);
    let run = drive(
        &mut hs,
        &mut Buffer::new(),
        b"\x05\x01\x00\x05\x01\x00\x03\x05a.com\x00\x50",
        usize::MAX,
        |r| {
            r.reply(SocksStatus::HS_DESC_NOT_FOUND, None)
                .unwrap()
                .to_vec()
        },
    );
    match run.end {
        End::Finished(reply, _) => assert_eq!(reply, V5_FAIL(1)),
        other => panic!("{other:?}"),
    }
}

/// Runs a client against a proxy over in-memory pipes, `chunk` bytes per read, answering the
/// finished request with `status`. Returns the proxy's request (as text) and the client's reply.
fn round_trip<P: ReadPrecision + 'static>(
    request: SocksRequest<'_>,
    optimistic: bool,
    policy: ProxyPolicy<'_>,
    chunk: usize,
    mut cbuf: Buffer<P>,
    mut pbuf: Buffer<P>,
) -> (String, (u8, String, u16)) {
    let mut client = SocksClientHandshake::new(request).optimistic(optimistic);
    let mut proxy = SocksProxyHandshake::with_policy(policy);
    let (mut c2s, mut s2c) = (Vec::<u8>::new(), Vec::<u8>::new());
    let mut seen = None;
    let mut reply = None;
    for _ in 0..10_000 {
        if reply.is_none() {
            match client.step(&mut cbuf).unwrap() {
                NextStep::Send(b) => c2s.extend_from_slice(b),
                NextStep::Recv(mut r) if !s2c.is_empty() => {
                    let n = r.buf().len().min(chunk).min(s2c.len());
                    r.buf()[..n].copy_from_slice(&s2c[..n]);
                    s2c.drain(..n);
                    r.note_received(n).unwrap();
                }
                NextStep::Recv(_) => {}
                NextStep::Finished(f) => {
                    let r = f.into_output_forbid_pipelining().unwrap();
                    reply = Some((r.status().0, r.addr().to_string(), r.port()));
                }
            }
        }
        if seen.is_none() {
            match proxy.step(&mut pbuf).unwrap() {
                NextStep::Send(b) => s2c.extend_from_slice(b),
                NextStep::Recv(mut r) if !c2s.is_empty() => {
                    let n = r.buf().len().min(chunk).min(c2s.len());
                    r.buf()[..n].copy_from_slice(&c2s[..n]);
                    c2s.drain(..n);
                    r.note_received(n).unwrap();
                }
                NextStep::Recv(_) => {}
                NextStep::Finished(f) => {
                    let r = f.into_output_forbid_pipelining().unwrap();
                    let answer = SocksAddr::Ip(IpAddr::V4(Ipv4Addr::new(93, 184, 216, 34)));
                    s2c.extend_from_slice(&r.reply(SocksStatus::SUCCEEDED, Some(&answer)).unwrap());
                    seen = Some(format!(
                        "{} {} {} {:?}",
                        r.version(),
                        r.command(),
                        r.target(),
                        r.auth()
                    ));
                }
            }
        }
        if let (Some(s), Some(r)) = (&seen, &reply) {
            return (s.clone(), r.clone());
        }
    }
    panic!("round trip did not finish");
}

#[test]
fn client_proxy_round_trips_at_every_chunking_in_both_modes() {
    let cases = [
        (
            req(
                SocksVersion::V4,
                Command::CONNECT,
                SocksAddr::Ip(IpAddr::V4(Ipv4Addr::new(1, 2, 3, 4))),
                80,
                SocksAuth::NoAuth,
            ),
            "socks4 CONNECT 1.2.3.4:80 NoAuth",
        ),
        (
            req(
                SocksVersion::V4,
                Command::CONNECT,
                host("torproject.org"),
                443,
                SocksAuth::Socks4(b"iso"),
            ),
            "socks4 CONNECT torproject.org:443 Socks4([105, 115, 111])",
        ),
        (
            req(
                SocksVersion::V4,
                Command::RESOLVE,
                host("example.com"),
                0,
                SocksAuth::NoAuth,
            ),
            "socks4 RESOLVE example.com:0 NoAuth",
        ),
        (
            req(
                SocksVersion::V5,
                Command::CONNECT,
                host("example.com"),
                443,
                SocksAuth::NoAuth,
            ),
            "socks5 CONNECT example.com:443 NoAuth",
        ),
        (
            req(
                SocksVersion::V5,
                Command::CONNECT,
                SocksAddr::Ip(IpAddr::V6(Ipv6Addr::LOCALHOST)),
                22,
                SocksAuth::Username(b"u", b"p"),
            ),
            "socks5 CONNECT [::1]:22 Username([117], <1 bytes>)",
        ),
        (
            req(
                SocksVersion::V5,
                Command::RESOLVE_PTR,
                SocksAddr::Ip(IpAddr::V4(Ipv4Addr::new(8, 8, 8, 8))),
                0,
                SocksAuth::Username(&[0xFF; 255], &[0; 255]),
            ),
            "",
        ),
    ];
    let mut runs = 0;
    for (request, expect) in cases {
        for optimistic in [false, true] {
            for chunk in [1, 7, 100, usize::MAX] {
                let eager = round_trip(
                    request,
                    optimistic,
                    ProxyPolicy::ARTI,
                    chunk,
                    Buffer::new(),
                    Buffer::new(),
                );
                let precise = round_trip(
                    request,
                    optimistic,
                    ProxyPolicy::ARTI,
                    chunk,
                    Buffer::new_precise(),
                    Buffer::new_precise(),
                );
                assert_eq!(eager, precise);
                if !expect.is_empty() {
                    assert_eq!(eager.0, expect);
                }
                let port = if request.version() == SocksVersion::V4 || request.port() != 0 {
                    request.port()
                } else {
                    0
                };
                assert_eq!(eager.1, (0, "93.184.216.34".to_string(), port));
                runs += 2;
            }
        }
    }
    assert_eq!(runs, 96);
}

#[test]
fn client_optimistic_sends_one_flight() {
    let r = req(
        SocksVersion::V5,
        Command::CONNECT,
        host("a.b"),
        80,
        SocksAuth::Username(b"u", b"p"),
    );
    let mut hs = SocksClientHandshake::new(r).optimistic(true);
    let run = drive(
        &mut hs,
        &mut Buffer::new(),
        b"\x05\x02\x01\x00\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00",
        usize::MAX,
        |r| r.status(),
    );
    assert_eq!(
        run.sent,
        b"\x05\x01\x02\x01\x01u\x01p\x05\x01\x00\x03\x03a.b\x00\x50"
    );
    assert_eq!(run.steps, "SRF");
    assert!(matches!(run.end, End::Finished(SocksStatus::SUCCEEDED, _)));
    // A server that picks no-auth after an optimistic user/pass flight would misread the
    // credentials as a request: the client refuses.
    let mut hs = SocksClientHandshake::new(r).optimistic(true);
    let run = drive(&mut hs, &mut Buffer::new(), b"\x05\x00", usize::MAX, |r| {
        r.status()
    });
    assert!(matches!(
        run.end,
        End::Error(Error::UnsupportedMethod(Method::NO_AUTH))
    ));
}

#[test]
fn client_refuses_what_socks4_cannot_say() {
    // Refused when built, so no client handshake can be asked to send them.
    let marker = Ipv4Addr::new(0, 0, 0, 1);
    let cases = [
        (
            SocksAddr::Ip(IpAddr::V6(Ipv6Addr::LOCALHOST)),
            SocksAuth::NoAuth,
            Unrepresentable::Ipv6OverSocks4(Ipv6Addr::LOCALHOST),
        ),
        (
            SocksAddr::Ip(IpAddr::V4(marker)),
            SocksAuth::NoAuth,
            Unrepresentable::Socks4aMarker(marker),
        ),
        (
            host("a"),
            SocksAuth::Username(b"u", b"p"),
            Unrepresentable::UsernameOverSocks4,
        ),
        (
            host("a"),
            SocksAuth::Socks4(b"a\0b"),
            Unrepresentable::NulInUserid { at: 1 },
        ),
    ];
    for (addr, auth, why) in cases {
        for cmd in [Command::CONNECT, Command::BIND] {
            assert_eq!(
                SocksRequest::new_unchecked_command(SocksVersion::V4, cmd, addr, 80, auth),
                Err(Error::Unrepresentable(why))
            );
        }
        assert_eq!(
            SocksRequest::new(SocksVersion::V4, Command::CONNECT, addr, 80, auth),
            Err(Error::Unrepresentable(why))
        );
    }
    let long = [b'x'; 256];
    assert_eq!(
        SocksRequest::new(
            SocksVersion::V5,
            Command::CONNECT,
            host("a"),
            80,
            SocksAuth::Username(b"u", &long)
        ),
        Err(Error::Unrepresentable(Unrepresentable::CredentialTooLong {
            field: Field::Password,
            len: 256
        }))
    );
    assert_eq!(
        SocksRequest::new(
            SocksVersion::V5,
            Command::CONNECT,
            host("a"),
            80,
            SocksAuth::Socks4(b"u")
        ),
        Err(Error::Unrepresentable(Unrepresentable::UseridOverSocks5))
    );
    assert_eq!(
        SocksRequest::new(
            SocksVersion::V5,
            Command::CONNECT,
            host("a"),
            0,
            SocksAuth::NoAuth
        ),
        Err(Error::NotAllowed(Refusal::PortZero))
    );
    // Tor's C client accepts VN=4 in SOCKS4 replies, and so do we; and C Tor's ATYP 0 reply.
    let ok = req(
        SocksVersion::V4,
        Command::CONNECT,
        SocksAddr::Ip(IpAddr::V4(Ipv4Addr::new(1, 2, 3, 4))),
        80,
        SocksAuth::NoAuth,
    );
    let mut hs = SocksClientHandshake::new(ok);
    let run = drive(
        &mut hs,
        &mut Buffer::new(),
        b"\x04\x5a\x00\x50\x01\x02\x03\x04",
        1,
        |r| (r.status(), r.socks4_status()),
    );
    assert!(matches!(
        run.end,
        End::Finished((SocksStatus::SUCCEEDED, Some(Socks4Status::GRANTED)), _)
    ));
    let resolve = req(
        SocksVersion::V5,
        Command::RESOLVE,
        host("nowhere.invalid"),
        0,
        SocksAuth::NoAuth,
    );
    let mut hs = SocksClientHandshake::new(resolve);
    let run = drive(
        &mut hs,
        &mut Buffer::new(),
        b"\x05\x00\x05\x04\x00\x00\x00\x00\x00\x00\x00\x00",
        3,
        |r| (r.status(), r.addr().to_string()),
    );
    assert!(
        matches!(run.end, End::Finished((SocksStatus::HOST_UNREACHABLE, ref a), _) if a == "0.0.0.0")
    );
}

#[test]
fn every_proper_prefix_asks_for_more() {
    let inputs: [&[u8]; 6] = [
        b"\x04\x01\x00\x50\x00\x00\x00\x01user\x00example.com\x00",
        b"\x05\x02\x00\x02\x01\x02me\x02pw\x05\x01\x00\x03\x0bexample.com\x01\xbb",
        b"\x05\x01\x00\x05\x01\x00\x04\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01\x00\x16",
        b"\x05\x01\x00\x05\xf0\x00\x03\x03a.b\x00\x00",
        b"\x04\xf0\x00\x00\x00\x00\x00\x09\x00x\x00",
        b"\x05\x01\x02\x01\x00\x00\x05\xf1\x00\x01\x01\x02\x03\x04\x00\x00",
    ];
    for input in inputs {
        for k in 0..input.len() {
            for precise in [false, true] {
                let mut hs = SocksProxyHandshake::new();
                let run = if precise {
                    drive(&mut hs, &mut drive::precise(), &input[..k], 1, |_| ())
                } else {
                    drive(&mut hs, &mut Buffer::new(), &input[..k], 1, |_| ())
                };
                assert!(
                    matches!(run.end, End::NeedMore),
                    "{input:02x?} prefix {k}: {:?}",
                    run.end
                );
            }
        }
        let mut hs = SocksProxyHandshake::new();
        let run = drive(&mut hs, &mut drive::precise(), input, usize::MAX, |_| ());
        assert!(matches!(run.end, End::Finished(..)), "{input:02x?}");
        assert_eq!(run.read_ahead, 0);
    }
}

#[test]
fn caller_storage_and_small_buffers() {
    // Any storage: a slice of the caller's.
    let mut storage = [0u8; 300];
    let mut buf = Buffer::<(), &mut [u8]>::with_storage(&mut storage[..]);
    let mut hs = SocksProxyHandshake::new();
    let run = drive(
        &mut hs,
        &mut buf,
        b"\x05\x01\x00\x05\x01\x00\x03\x0bexample.com\x00\x50",
        1,
        |r| r.target().to_string(),
    );
    assert!(matches!(run.end, End::Finished(ref t, _) if t == "example.com:80"));
    // A maximal user/pass and request need 513 + 262 bytes kept at once; 775 suffice.
    let mut input = b"\x05\x01\x02\x01\xff".to_vec();
    input.extend([b'u'; 255]);
    input.push(255);
    input.extend([b'p'; 255]);
    input.extend_from_slice(b"\x05\x01\x00\x03\xff");
    input.extend([b'h'; 255]);
    input.extend_from_slice(b"\x00\x50");
    let mut storage = vec![0u8; 775];
    let mut hs = SocksProxyHandshake::new();
    let run = drive(
        &mut hs,
        &mut Buffer::<(), &mut [u8]>::with_storage(&mut storage[..]),
        &input,
        64,
        |r| match *r.auth() {
            SocksAuth::Username(u, p) => (u.len(), p.len(), r.target().to_string().len()),
            _ => (0, 0, 0),
        },
    );
    assert!(
        matches!(run.end, End::Finished((255, 255, 258), _)),
        "{:?}",
        run.end
    );
    let mut storage = vec![0u8; 774];
    let mut hs = SocksProxyHandshake::new();
    let run = drive(
        &mut hs,
        &mut Buffer::<(), &mut [u8]>::with_storage(&mut storage[..]),
        &input,
        64,
        |_| (),
    );
    assert!(
        matches!(run.end, End::Error(Error::MessageTooLong { limit: 774 })),
        "{:?}",
        run.end
    );
}

/// The sizes the docs give (`Buffer`, the two handshakes): a change shows up here first.
#[test]
#[cfg(target_pointer_width = "64")]
fn stack_sizes_are_as_documented() {
    assert_eq!(std::mem::size_of::<Buffer>(), 1040);
    assert_eq!(std::mem::size_of::<SocksClientHandshake<'static>>(), 1144);
    assert_eq!(std::mem::size_of::<SocksProxyHandshake<'static>>(), 240);
    assert_eq!(std::mem::size_of::<ProxyPolicy<'static>>(), 112);
    assert_eq!(std::mem::size_of::<Error>(), 24);
}
