//! `sockswire::dissect::probe`: fixtures from real clients and servers, the other direction
//! settling ambiguity, common non-SOCKS openings, and every input of up to three bytes.

use sockswire::dissect::{Confidence, Detection, Direction, ProbeResult, Protocol, probe};

const C2S: Direction = Direction::ClientToServer;
const S2C: Direction = Direction::ServerToClient;

fn socks(protocol: Protocol, dir: Direction, confidence: Confidence, len: usize) -> ProbeResult {
    ProbeResult::Socks(Detection {
        protocol,
        dir,
        confidence,
        len,
    })
}

#[test]
fn client_first_messages() {
    use Confidence::*;
    use Protocol::*;
    // curl's greeting, alone and with the other direction's choice.
    assert_eq!(
        probe(b"\x05\x02\x00\x01", b""),
        socks(Socks5, C2S, Medium, 4)
    );
    assert_eq!(
        probe(b"\x05\x02\x00\x01", b"\x05\x00"),
        socks(Socks5, C2S, High, 4)
    );
    // Pipelined greeting and request (optimistic clients).
    let pipelined = b"\x05\x01\x00\x05\x01\x00\x03\x0bexample.com\x01\xbb";
    assert_eq!(probe(pipelined, b""), socks(Socks5, C2S, Medium, 3));
    // A greeting followed by an RFC 1929 request.
    assert_eq!(
        probe(b"\x05\x01\x02\x01\x05alice", b""),
        socks(Socks5, C2S, Medium, 3)
    );
    // SOCKS4 CONNECT with user-id "u", then optimistic payload.
    let v4 = b"\x04\x01\x00\x50\x7f\x00\x00\x01u\x00GET";
    assert_eq!(probe(v4, b""), socks(Socks4, C2S, Medium, 10));
    // SOCKS4a (tor-resolve's RESOLVE).
    let v4a = b"\x04\xf0\x00\x00\x00\x00\x00\x01\x00torproject.org\x00";
    assert_eq!(probe(v4a, b""), socks(Socks4a, C2S, Medium, 24));
    assert_eq!(
        probe(v4a, b"\x00\x5a\x00\x00\x7f\x00\x00\x01"),
        socks(Socks4a, C2S, High, 24)
    );
}

#[test]
fn exact_need_counts() {
    assert_eq!(probe(b"", b""), ProbeResult::NeedMore(1));
    assert_eq!(probe(b"\x05", b""), ProbeResult::NeedMore(1));
    assert_eq!(probe(b"\x05\x03\x00", b""), ProbeResult::NeedMore(2));
    // A SOCKS4 request, or a reply with VN 4.
    assert_eq!(probe(b"\x04", b""), ProbeResult::NeedMore(7));
    assert_eq!(
        probe(b"\x04\x01\x00\x50\x7f\x00\x00", b""),
        ProbeResult::NeedMore(2)
    );
    assert_eq!(
        probe(b"\x04\x01\x00\x50\x7f\x00\x00\x01", b""),
        ProbeResult::NeedMore(1)
    );
    assert_eq!(
        probe(b"\x04\x01\x00\x50\x7f\x00\x00\x01us", b""),
        ProbeResult::NeedMore(1)
    );
    // SOCKS4a: the user-id's NUL, a hostname byte and its NUL.
    assert_eq!(
        probe(b"\x04\x01\x00\x50\x00\x00\x00\x01", b""),
        ProbeResult::NeedMore(3)
    );
    assert_eq!(
        probe(b"\x04\x01\x00\x50\x00\x00\x00\x01\x00", b""),
        ProbeResult::NeedMore(2)
    );
    assert_eq!(
        probe(b"\x04\x01\x00\x50\x00\x00\x00\x01\x00h", b""),
        ProbeResult::NeedMore(1)
    );
    assert_eq!(probe(b"\x00", b""), ProbeResult::NeedMore(7));
    assert_eq!(probe(b"\x00\x5a\x00\x50", b""), ProbeResult::NeedMore(4));
}

#[test]
fn server_replies_are_the_reverse_direction() {
    use Confidence::*;
    use Protocol::*;
    // Alone, a two-byte choice is weak evidence; with the greeting it is settled.
    assert_eq!(probe(b"\x05\x00", b""), socks(Socks5, S2C, Low, 2));
    assert_eq!(
        probe(b"\x05\x00", b"\x05\x01\x00"),
        socks(Socks5, S2C, High, 2)
    );
    assert_eq!(
        probe(b"\x05\xff", b"\x05\x01\x00"),
        socks(Socks5, S2C, High, 2)
    );
    // A choice of a method the client did not offer does not answer it; the greeting's
    // prefix is still possible, so it stays a weak server guess.
    assert_eq!(
        probe(b"\x05\x02", b"\x05\x01\x00"),
        socks(Socks5, S2C, Low, 2)
    );
    // The server's whole stream fed at once: choice, then the reply.
    let stream = b"\x05\x00\x05\x00\x00\x01\x7f\x00\x00\x01\x04\x38";
    assert_eq!(probe(stream, b""), socks(Socks5, S2C, Medium, 2));
    // Dante's SOCKS4 reply.
    let reply = b"\x00\x5a\xe5\xab\x7f\x00\x00\x01";
    assert_eq!(probe(reply, b""), socks(Socks4, S2C, Low, 8));
    assert_eq!(
        probe(reply, b"\x04\x02\x00\x50\x7f\x00\x00\x01\x00"),
        socks(Socks4, S2C, High, 8)
    );
    assert_eq!(
        probe(reply, b"\x04\x01\x00\x50\x00\x00\x00\x01\x00h\x00"),
        socks(Socks4a, S2C, High, 8)
    );
    // The other direction decides the ambiguous two-byte prefix: a greeting's start when
    // the other side can only be a server.
    assert_eq!(probe(b"\x05\x01", b""), socks(Socks5, S2C, Low, 2));
    assert_eq!(probe(b"\x05\x01", b"\x05\x00"), ProbeResult::NeedMore(1));
    assert_eq!(
        probe(b"\x05\x01\x00", b"\x05\x00"),
        socks(Socks5, C2S, High, 3)
    );
}

#[test]
fn common_non_socks_openings() {
    let openings: &[&[u8]] = &[
        b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
        b"HTTP/1.1 200 OK\r\n",
        b"SSH-2.0-OpenSSH_9.2\r\n",
        b"220 mail.example.com ESMTP\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        // DCE/RPC bind and bind_ack: version 5, 0 "methods".
        b"\x05\x00\x0b\x03\x10\x00\x00\x00\x48\x00\x00\x00",
        b"\x05\x00\x0c\x03\x10\x00\x00\x00\x44\x00\x00\x00",
        // SMB2 over TCP.
        b"\x00\x00\x00\x54\xfeSMB@\x00",
        // DNS over TCP.
        b"\x00\x1d\x12\x34\x01\x00\x00\x01",
        // A SOCKS4 request with a control byte in the user-id.
        b"\x04\x01\x00\x50\x7f\x00\x00\x01a\nb\x00",
        // A SOCKS4a request with an empty hostname.
        b"\x04\x01\x00\x50\x00\x00\x00\x01\x00\x00",
    ];
    for o in openings {
        assert_eq!(probe(o, b""), ProbeResult::NotSocks, "{o:02x?}");
    }
    // SOCKS-looking bytes whose other direction is plainly HTTP.
    assert_eq!(
        probe(b"\x05\x01\x00", b"HTTP/1.1 400 Bad Request\r\n"),
        ProbeResult::NotSocks
    );
}

/// Every input of up to three bytes: no panic; "need more" is at least 1; what is ruled out
/// stays ruled out as bytes are added; a detection never comes sooner than "need more" said;
/// and the counts of each answer are pinned.
#[test]
fn every_input_up_to_three_bytes() {
    let mut counts = [[0u32; 3]; 4];
    let class = |r: ProbeResult| match r {
        ProbeResult::Socks(d) => {
            assert!(d.len >= 2, "{d:?}");
            0
        }
        ProbeResult::NeedMore(n) => {
            assert!(n >= 1);
            1
        }
        ProbeResult::NotSocks => 2,
    };
    let check_extension =
        |shorter: ProbeResult, longer: ProbeResult, added: usize, x: &[u8]| match shorter {
            ProbeResult::NotSocks => assert_eq!(longer, ProbeResult::NotSocks, "{x:02x?}"),
            ProbeResult::NeedMore(n) if added < n => {
                assert!(
                    !matches!(longer, ProbeResult::Socks(_)),
                    "{x:02x?} came early"
                )
            }
            _ => {}
        };
    counts[0][class(probe(&[], &[]))] += 1;
    let empty = probe(&[], &[]);
    for a in 0..=255u8 {
        let p1 = probe(&[a], &[]);
        counts[1][class(p1)] += 1;
        check_extension(empty, p1, 1, &[a]);
        for b in 0..=255u8 {
            let p2 = probe(&[a, b], &[]);
            counts[2][class(p2)] += 1;
            check_extension(p1, p2, 1, &[a, b]);
            for c in 0..=255u8 {
                let x = [a, b, c];
                let p3 = probe(&x, &[]);
                counts[3][class(p3)] += 1;
                check_extension(p2, p3, 1, &x);
                check_extension(p1, p3, 2, &x);
                // The other direction never makes it panic either.
                let _ = probe(&x, &x);
            }
        }
    }
    // [SOCKS, need more, not SOCKS] by length.
    assert_eq!(counts[0], [0, 1, 0]);
    // 00, 04, 05 can start SOCKS.
    assert_eq!(counts[1], [0, 3, 253]);
    // Two bytes: 05 {00..09, 80..FE, FF} are whole method choices (138); greeting prefixes
    // 05 n with n not a choice; SOCKS4 requests 04 {01,02,F0,F1}; replies 00|04 5A..5D.
    assert_eq!(counts[2], [138, 118 + 4 + 8, 65536 - 138 - 130]);
    // Three bytes: greetings 05 01 m with m a plausible method (137), a no-auth choice
    // followed by a reply's VER (05 00 05), a username/password choice followed by its
    // status's VER (05 02 01); the rest of 05 01 01 is the greeting already counted.
    assert_eq!(counts[3], [139, 37869, (1 << 24) - 139 - 37869]);
}
