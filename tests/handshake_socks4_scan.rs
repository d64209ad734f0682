//! The proxy handshake reading a SOCKS4/4a request a few bytes at a time: it scans each
//! NUL-terminated field once instead of re-parsing the request from the start at every byte,
//! and must still ask for exactly what the wire parser asks for, and fail where it fails.

use nom::{Needed, Parser};
use sockswire::{
    Buffer, Error, Handshake, Limits, NextStep, ProxyPolicy, ReadPrecision, SocksProxyHandshake,
    WireError, socks4_request,
};

/// `04 01 PORT 0.0.0.1 "tor" 00 "torproject.org" 00`
const SOCKS4A: &[u8] = b"\x04\x01\x01\xbb\x00\x00\x00\x01tor\x00torproject.org\x00";

/// What the wire parser says about a prefix: `Ok(None)` complete, `Ok(Some(n))` needs `n`.
fn parser_says(limits: Limits, prefix: &[u8]) -> Result<Option<usize>, Error> {
    match socks4_request::<WireError>(limits).parse(prefix) {
        Ok(_) => Ok(None),
        Err(nom::Err::Incomplete(Needed::Size(n))) => Ok(Some(n.get())),
        Err(nom::Err::Incomplete(Needed::Unknown)) => Ok(Some(1)),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(Error::from(e)),
    }
}

/// Feeds `msg` at most `chunk` bytes per read (never more than the deficit): every deficit
/// the handshake asks for, and how it ended (`Ok(consumed)` or the error). Each deficit is
/// checked against the parser on the bytes received so far.
fn drive<P: ReadPrecision>(
    limits: Limits,
    mut buf: Buffer<P>,
    msg: &[u8],
    chunk: usize,
) -> (Vec<usize>, Result<usize, Error>) {
    let mut policy = ProxyPolicy::ARTI;
    policy.limits = limits;
    let mut hs = SocksProxyHandshake::with_policy(policy);
    let mut fed = 0;
    let mut deficits = Vec::new();
    loop {
        match hs.step(&mut buf) {
            Ok(NextStep::Recv(mut recv)) => {
                let deficit = recv.deficit().get();
                if fed > 0 {
                    assert_eq!(
                        parser_says(limits, &msg[..fed]),
                        Ok(Some(deficit)),
                        "after {fed} bytes"
                    );
                }
                deficits.push(deficit);
                let n = chunk.min(deficit).min(msg.len() - fed);
                assert!(n > 0, "asked for more than the message after {fed} bytes");
                recv.buf()[..n].copy_from_slice(&msg[fed..fed + n]);
                fed += n;
                recv.note_received(n).expect("room");
            }
            Ok(NextStep::Finished(done)) => {
                let (_, rest) = done.into_output_and_slice();
                assert_eq!(parser_says(limits, &msg[..fed]), Ok(None));
                return (deficits, Ok(fed - rest.len()));
            }
            Ok(NextStep::Send(_)) => panic!("SOCKS4 sends nothing"),
            Err(e) => {
                assert_eq!(
                    parser_says(limits, &msg[..fed]),
                    Err(e),
                    "after {fed} bytes"
                );
                return (deficits, Err(e));
            }
        }
    }
}

#[test]
fn precise_socks4a_asks_for_the_header_then_one_byte_at_a_time() {
    let (deficits, end) = drive(Limits::DEFAULT, Buffer::new_precise(), SOCKS4A, usize::MAX);
    // The first byte, the rest of the 8-byte header, then one byte per user-id and hostname
    // byte and per NUL.
    let mut expected = vec![1, 7];
    expected.extend([1; 4 + 15]);
    assert_eq!(deficits, expected);
    assert_eq!(end, Ok(SOCKS4A.len()));
}

#[test]
fn eager_reads_of_any_size_ask_what_the_parser_asks() {
    for chunk in 1..=SOCKS4A.len() {
        let (_, end) = drive(Limits::DEFAULT, Buffer::new(), SOCKS4A, chunk);
        assert_eq!(end, Ok(SOCKS4A.len()), "chunk {chunk}");
    }
}

#[test]
fn long_fields_fail_at_the_same_byte_as_the_parser() {
    // A user-id, then a hostname, then a whole message over its limit, read byte by byte:
    // the scan must not skip past the byte where a limit is passed.
    let userid = [b'u'; 40];
    let host = [b'h'; 40];
    let mut v4 = b"\x04\x01\x00\x50\x0a\x00\x00\x01".to_vec();
    v4.extend(userid);
    v4.push(0);
    let mut v4a = b"\x04\x01\x00\x50\x00\x00\x00\x01".to_vec();
    v4a.extend(&userid[..3]);
    v4a.push(0);
    v4a.extend(host);
    v4a.push(0);
    let cases = [
        (
            Limits {
                socks4_userid: 10,
                ..Limits::DEFAULT
            },
            &v4,
            8 + 11,
        ),
        (
            Limits {
                socks4_hostname: 20,
                ..Limits::DEFAULT
            },
            &v4a,
            12 + 21,
        ),
        (
            Limits {
                socks4_message: 30,
                ..Limits::DEFAULT
            },
            &v4,
            30,
        ),
        (
            Limits {
                socks4_message: 30,
                ..Limits::DEFAULT
            },
            &v4a,
            30,
        ),
    ];
    for (limits, msg, fails_at) in cases {
        let (deficits, end) = drive(limits, Buffer::new_precise(), msg, usize::MAX);
        assert!(
            matches!(end, Err(Error::Decode(_) | Error::MessageTooLong { .. })),
            "{limits:?}: {end:?}"
        );
        assert_eq!(deficits.iter().sum::<usize>(), fails_at, "{limits:?}");
        let (_, eager) = drive(limits, Buffer::new(), msg, 1);
        assert_eq!(eager, end, "{limits:?}");
    }
}

#[test]
fn within_the_limits_long_fields_still_finish() {
    let mut msg = b"\x04\x01\x00\x50\x00\x00\x00\x01".to_vec();
    msg.extend([b'u'; 500]);
    msg.push(0);
    msg.extend([b'h'; 255]);
    msg.push(0);
    let (deficits, end) = drive(Limits::DEFAULT, Buffer::new_precise(), &msg, usize::MAX);
    assert_eq!(end, Ok(msg.len()));
    assert_eq!(deficits.len(), 2 + 501 + 256);
}
