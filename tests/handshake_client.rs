//! The client handshake: reply encoding options, client <-> proxy round trips at several
//! chunkings in both read modes, optimistic flights, and what SOCKS4 cannot say.

#[path = "support/drive.rs"]
mod drive;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use drive::{End, drive};
use sockswire::*;

const V5_FAIL: fn(u8) -> Vec<u8> = |code| vec![5, code, 0, 1, 0, 0, 0, 0, 0, 0];

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
