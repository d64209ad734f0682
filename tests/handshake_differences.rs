//! Each deliberate difference from tor-socksproto 0.47 (the table in the `handshake` module
//! docs), pinned by running both crates on the same bytes.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::num::NonZeroUsize;

use tor_socksproto as tor;
use tor_socksproto::Handshake as _;

use sockswire::*;

/// Fills a buffer of ours with `bytes`.
fn ours_buf(bytes: &[u8]) -> Buffer {
    let mut buf = Buffer::new();
    buf.unfilled_slice()[..bytes.len()].copy_from_slice(bytes);
    buf.note_received(bytes.len()).unwrap();
    buf
}

/// Fills a tor-socksproto buffer with `bytes`.
fn tor_buf(bytes: &[u8]) -> tor::Buffer {
    let mut buf = tor::Buffer::new();
    buf.unfilled_slice()[..bytes.len()].copy_from_slice(bytes);
    if let Some(n) = NonZeroUsize::new(bytes.len()) {
        buf.note_received(n);
    }
    buf
}

#[test]
fn failure_has_a_reply() {
    let input = b"\x05\x01\x01";
    let mut theirs = tor::SocksProxyHandshake::new();
    assert!(matches!(
        theirs.step(&mut tor_buf(input)),
        Err(tor::Error::NotImplemented(_))
    ));
    let mut ours = SocksProxyHandshake::new();
    assert_eq!(
        ours.step(&mut ours_buf(input)).unwrap_err(),
        Error::NoAcceptableMethod
    );
    assert_eq!(ours.failure_reply(), Some(&[5, 0xFF][..]));
}

#[test]
fn step_after_error_is_already_failed() {
    let input = b"\x05\x01\x01";
    let mut theirs = tor::SocksProxyHandshake::new();
    let mut tb = tor_buf(input);
    assert!(theirs.step(&mut tb).is_err());
    assert!(matches!(
        theirs.step(&mut tb),
        Err(tor::Error::NotImplemented(_))
    ));
    let mut ours = SocksProxyHandshake::new();
    let mut ob = ours_buf(input);
    assert!(ours.step(&mut ob).is_err());
    assert_eq!(ours.step(&mut ob).unwrap_err(), Error::AlreadyFailed);
}

#[test]
fn step_after_finishing_is_already_finished() {
    let input = b"\x04\x01\x00\x50\x01\x02\x03\x04\x00";
    let mut theirs = tor::SocksProxyHandshake::new();
    let mut tb = tor_buf(input);
    match theirs.step(&mut tb).unwrap() {
        tor::NextStep::Finished(f) => drop(f.into_output_and_slice()),
        _ => panic!("tor did not finish"),
    }
    assert!(matches!(theirs.step(&mut tb), Ok(tor::NextStep::Recv(_))));
    let mut ours = SocksProxyHandshake::new();
    let mut ob = ours_buf(input);
    match ours.step(&mut ob).unwrap() {
        NextStep::Finished(f) => drop(f.into_output_and_slice()),
        _ => panic!("we did not finish"),
    }
    assert_eq!(ours.step(&mut ob).unwrap_err(), Error::AlreadyFinished);
}

#[test]
fn hostname_limit_is_enforced_as_soon_as_it_is_passed() {
    let mut input = b"\x04\x01\x00\x50\x00\x00\x00\x01\x00".to_vec();
    input.extend([b'a'; 256]);
    let mut theirs = tor::SocksProxyHandshake::new();
    assert!(matches!(
        theirs.step(&mut tor_buf(&input)),
        Ok(tor::NextStep::Recv(_))
    ));
    let mut ours = SocksProxyHandshake::new();
    assert_eq!(
        ours.step(&mut ours_buf(&input)).unwrap_err(),
        Error::Decode(WireError::LengthOverLimit {
            field: Field::Hostname,
            limit: 255
        })
    );
    assert_eq!(ours.failure_reply(), Some(&[0, 0x5B, 0, 0, 0, 0, 0, 0][..]));
}

fn tor_client(
    version: tor::SocksVersion,
    addr: tor::SocksAddr,
    server: &[u8],
) -> Result<(), tor::Error> {
    let request = tor::SocksRequest::new(
        version,
        tor::SocksCmd::CONNECT,
        addr,
        80,
        tor::SocksAuth::NoAuth,
    )?;
    let mut hs = tor::SocksClientHandshake::new(request);
    let mut buf = tor::Buffer::new();
    assert!(matches!(hs.step(&mut buf)?, tor::NextStep::Send(_)));
    buf.unfilled_slice()[..server.len()].copy_from_slice(server);
    buf.note_received(NonZeroUsize::new(server.len()).unwrap());
    loop {
        match hs.step(&mut buf)? {
            tor::NextStep::Send(_) => {}
            tor::NextStep::Recv(_) => panic!("tor wants more"),
            tor::NextStep::Finished(_) => return Ok(()),
        }
    }
}

fn our_client(version: SocksVersion, addr: SocksAddr<'_>, server: &[u8]) -> Result<(), Error> {
    let request = SocksRequest::new(version, SocksCmd::CONNECT, addr, 80, SocksAuth::NoAuth)?;
    let mut hs = SocksClientHandshake::new(request);
    let mut buf = Buffer::new();
    assert!(matches!(hs.step(&mut buf)?, NextStep::Send(_)));
    buf.unfilled_slice()[..server.len()].copy_from_slice(server);
    buf.note_received(server.len())?;
    loop {
        match hs.step(&mut buf)? {
            NextStep::Send(_) => {}
            NextStep::Recv(_) => panic!("we want more"),
            NextStep::Finished(_) => return Ok(()),
        }
    }
}

#[test]
fn client_accepts_socks4_reply_with_vn_4() {
    let ip = Ipv4Addr::new(1, 2, 3, 4);
    let server = b"\x04\x5a\x00\x50\x01\x02\x03\x04";
    assert!(matches!(
        tor_client(tor::SocksVersion::V4, tor::SocksAddr::Ip(ip.into()), server),
        Err(tor::Error::Syntax)
    ));
    assert_eq!(
        our_client(SocksVersion::V4, SocksAddr::Ip(ip.into()), server),
        Ok(())
    );
}

#[test]
fn client_accepts_atyp_zero_reply() {
    let ip = Ipv4Addr::new(1, 2, 3, 4);
    let server = b"\x05\x00\x05\x04\x00\x00\x00\x00\x00\x00\x00\x00";
    assert!(matches!(
        tor_client(tor::SocksVersion::V5, tor::SocksAddr::Ip(ip.into()), server),
        Err(tor::Error::Decode(_))
    ));
    assert_eq!(
        our_client(SocksVersion::V5, SocksAddr::Ip(ip.into()), server),
        Ok(())
    );
}

#[test]
fn client_refuses_ipv6_and_socks4a_marker_over_socks4() {
    let server = b"\x00\x5a\x00\x50\x01\x02\x03\x04";
    let marker = Ipv4Addr::new(0, 0, 0, 1);
    for (ip, why) in [
        (
            IpAddr::V6(Ipv6Addr::LOCALHOST),
            Unrepresentable::Ipv6OverSocks4(Ipv6Addr::LOCALHOST),
        ),
        (IpAddr::V4(marker), Unrepresentable::Socks4aMarker(marker)),
    ] {
        assert!(tor_client(tor::SocksVersion::V4, tor::SocksAddr::Ip(ip), server).is_ok());
        // Refused when the request is built (0.2), before any handshake.
        assert_eq!(
            our_client(SocksVersion::V4, SocksAddr::Ip(ip), server),
            Err(Error::Unrepresentable(why))
        );
    }
    // What tor-socksproto sends instead: the IPv6 address as a SOCKS4a hostname.
    let request = tor::SocksRequest::new(
        tor::SocksVersion::V4,
        tor::SocksCmd::CONNECT,
        tor::SocksAddr::Ip(IpAddr::V6(Ipv6Addr::LOCALHOST)),
        80,
        tor::SocksAuth::NoAuth,
    )
    .unwrap();
    let mut hs = tor::SocksClientHandshake::new(request);
    match hs.step(&mut tor::Buffer::new()).unwrap() {
        tor::NextStep::Send(bytes) => {
            assert_eq!(bytes, b"\x04\x01\x00\x50\x00\x00\x00\x01\x00::1\x00")
        }
        _ => panic!("tor did not send"),
    }
}

#[test]
fn note_received_past_the_buffer_is_an_error() {
    let panicked = std::panic::catch_unwind(|| {
        let mut buf = tor::Buffer::new();
        buf.note_received(NonZeroUsize::new(tor::SOCKS_BUF_LEN + 1).unwrap());
    });
    assert!(panicked.is_err());
    let mut buf = Buffer::new();
    assert_eq!(
        buf.note_received(SOCKS_BUF_LEN + 1),
        Err(Error::ReceivedPastRoom {
            received: SOCKS_BUF_LEN + 1,
            room: SOCKS_BUF_LEN
        })
    );
}

#[test]
fn bad_socks5_hostname_is_judged_once_the_request_is_whole() {
    let input = b"\x05\x01\x00\x05\x01\x00\x03\x01\xff";
    let mut theirs = tor::SocksProxyHandshake::new();
    let mut tb = tor_buf(input);
    assert!(matches!(theirs.step(&mut tb), Ok(tor::NextStep::Send(_))));
    assert!(matches!(theirs.step(&mut tb), Err(tor::Error::Decode(_))));
    let mut ours = SocksProxyHandshake::new();
    let mut ob = ours_buf(input);
    assert!(matches!(ours.step(&mut ob), Ok(NextStep::Send(_))));
    assert!(matches!(ours.step(&mut ob), Ok(NextStep::Recv(r)) if r.deficit().get() == 2));
    let mut ob = ours_buf(b"\x05\x01\x00\x05\x01\x00\x03\x01\xff\x00\x50");
    let mut ours = SocksProxyHandshake::new();
    assert!(matches!(ours.step(&mut ob), Ok(NextStep::Send(_))));
    assert_eq!(
        ours.step(&mut ob).unwrap_err(),
        Error::BadHostname(HostnameProblem::NotUtf8)
    );
}

#[test]
fn client_refuses_socks4_requests_over_1024_bytes() {
    let id = [b'u'; 1016];
    let ip = Ipv4Addr::new(1, 2, 3, 4);
    let request = tor::SocksRequest::new(
        tor::SocksVersion::V4,
        tor::SocksCmd::CONNECT,
        tor::SocksAddr::Ip(ip.into()),
        80,
        tor::SocksAuth::Socks4(id.to_vec()),
    )
    .unwrap();
    match tor::SocksClientHandshake::new(request)
        .step(&mut tor::Buffer::new())
        .unwrap()
    {
        tor::NextStep::Send(bytes) => assert_eq!(bytes.len(), 1025),
        _ => panic!("tor did not send"),
    }
    let request = SocksRequest::new(
        SocksVersion::V4,
        SocksCmd::CONNECT,
        SocksAddr::Ip(ip.into()),
        80,
        SocksAuth::Socks4(&id),
    )
    .unwrap();
    let mut ours = SocksClientHandshake::new(request);
    assert_eq!(
        ours.step(&mut Buffer::new()).unwrap_err(),
        Error::MessageTooLong {
            limit: CLIENT_SEND_MAX
        }
    );
    let request = SocksRequest::new(
        SocksVersion::V4,
        SocksCmd::CONNECT,
        SocksAddr::Ip(ip.into()),
        80,
        SocksAuth::Socks4(&id[..1015]),
    )
    .unwrap();
    assert!(
        matches!(SocksClientHandshake::new(request).step(&mut Buffer::new()), Ok(NextStep::Send(b)) if b.len() == 1024)
    );
}

/// The read sizes a precise proxy handshake asks for, feeding exactly what it asks each time.
fn our_precise_reads(input: &[u8]) -> Vec<usize> {
    let mut hs = SocksProxyHandshake::new();
    let mut buf = Buffer::new_precise();
    let (mut at, mut reads) = (0, Vec::new());
    for _ in 0..input.len() + 4 {
        match hs.step(&mut buf).unwrap() {
            NextStep::Send(_) => {}
            NextStep::Recv(mut recv) => {
                let n = recv.buf().len();
                reads.push(n);
                recv.buf().copy_from_slice(&input[at..at + n]);
                at += n;
                recv.note_received(n).unwrap();
            }
            NextStep::Finished(_) => return reads,
        }
    }
    panic!("no end")
}

fn tor_precise_reads(input: &[u8]) -> Vec<usize> {
    let mut hs = tor::SocksProxyHandshake::new();
    let mut buf = tor::Buffer::new_precise();
    let (mut at, mut reads) = (0, Vec::new());
    for _ in 0..input.len() + 4 {
        match hs.step(&mut buf).unwrap() {
            tor::NextStep::Send(_) => {}
            tor::NextStep::Recv(mut recv) => {
                let n = recv.buf().len();
                reads.push(n);
                recv.buf().copy_from_slice(&input[at..at + n]);
                at += n;
                recv.note_received(n).unwrap();
            }
            tor::NextStep::Finished(_) => return reads,
        }
    }
    panic!("no end")
}

/// Precise reads: we ask for the whole next part whose size is known (for a SOCKS5 request,
/// its first five bytes, which give its length and are never past it), tor-socksproto for
/// less (its deficits come from a parser that stops at the first missing field). Both never
/// read past the message; we need fewer reads.
#[test]
fn precise_reads_ask_for_whole_parts() {
    let cases: [(&[u8], &[usize], &[usize]); 3] = [
        (
            b"\x05\x01\x00\x05\x01\x00\x01\x7f\x00\x00\x01\x00\x50",
            &[1, 1, 1, 5, 5],
            &[1, 1, 1, 1, 1, 1, 1, 4, 2],
        ),
        (
            b"\x05\x01\x00\x05\x01\x00\x03\x0bexample.com\x01\xbb",
            &[1, 1, 1, 5, 13],
            &[1, 1, 1, 1, 1, 1, 1, 1, 11, 2],
        ),
        (
            b"\x04\x01\x00\x50\x01\x02\x03\x04u\x00",
            &[1, 7, 1, 1],
            &[1, 1, 2, 4, 1, 1],
        ),
    ];
    for (input, ours, tors) in cases {
        assert_eq!(our_precise_reads(input), ours, "{input:02x?}");
        assert_eq!(tor_precise_reads(input), tors, "{input:02x?}");
        assert_eq!(ours.iter().sum::<usize>(), input.len());
        assert_eq!(tors.iter().sum::<usize>(), input.len());
    }
}

/// The client reads a SOCKS5 reply the same way in precise mode: its first five bytes, then
/// the rest (tor-socksproto: field by field).
#[test]
fn client_precise_reads_take_a_reply_head_of_five() {
    let server: &[u8] = b"\x05\x00\x05\x00\x00\x03\x0bexample.com\x01\xbb";
    let request = SocksRequest::new(
        SocksVersion::V5,
        SocksCmd::CONNECT,
        SocksAddr::Hostname(SocksHostname::try_from("example.com").unwrap()),
        443,
        SocksAuth::NoAuth,
    )
    .unwrap();
    let mut hs = SocksClientHandshake::new(request);
    let mut buf = Buffer::new_precise();
    let (mut at, mut reads) = (0, Vec::new());
    for _ in 0..server.len() + 4 {
        match hs.step(&mut buf).unwrap() {
            NextStep::Send(_) => {}
            NextStep::Recv(mut recv) => {
                let n = recv.buf().len();
                reads.push(n);
                recv.buf().copy_from_slice(&server[at..at + n]);
                at += n;
                recv.note_received(n).unwrap();
            }
            NextStep::Finished(_) => break,
        }
    }
    assert_eq!(reads, [2, 5, 13]);
    assert_eq!(at, server.len());
}

/// Unknown codes print in hex, as the SOCKS documents write them; tor-socksproto prints decimal.
#[test]
fn unknown_codes_display_in_hex() {
    assert_eq!(Command(0x99).to_string(), "0x99");
    assert_eq!(ReplyCode(0x99).to_string(), "0x99");
    assert_eq!(tor::SocksCmd::from(0x99).to_string(), "153");
    assert_eq!(Command::RESOLVE.to_string(), "RESOLVE");
}

/// A 2,000-byte SOCKS4a hostname: we fail at byte 256 of the name with the wire error that
/// names the field; tor-socksproto reads until its buffer is full and says MessageTooLong.
#[test]
fn long_socks4a_hostname_error_class() {
    let mut input = b"\x04\x01\x00\x50\x00\x00\x00\x01\x00".to_vec();
    input.extend([b'a'; 2000]);
    input.push(0);
    let mut ours = SocksProxyHandshake::new();
    let mut buf = Buffer::new();
    let n = buf.unfilled_slice().len();
    buf.unfilled_slice().copy_from_slice(&input[..n]);
    buf.note_received(n).unwrap();
    assert_eq!(
        ours.step(&mut buf).unwrap_err(),
        Error::Decode(WireError::LengthOverLimit {
            field: Field::Hostname,
            limit: 255
        })
    );
    let mut theirs = tor::SocksProxyHandshake::new();
    let mut tb = tor_buf(&input[..tor::SOCKS_BUF_LEN]);
    assert!(matches!(
        theirs.step(&mut tb),
        Err(tor::Error::MessageTooLong { .. })
    ));
}

/// A wrong version byte in a reply: tor-socksproto says Syntax; we keep the wire layer's
/// error, which names the byte received and the one expected.
#[test]
fn client_reply_version_mismatch_is_decode() {
    let ip = Ipv4Addr::new(1, 2, 3, 4);
    let server = b"\x06\x00";
    assert!(matches!(
        tor_client(tor::SocksVersion::V5, tor::SocksAddr::Ip(ip.into()), server),
        Err(tor::Error::Syntax)
    ));
    assert_eq!(
        our_client(SocksVersion::V5, SocksAddr::Ip(ip.into()), server),
        Err(Error::Decode(WireError::BadVersion {
            got: 6,
            expected: 5
        }))
    );
}
