//! Resynchronisation: a capture that joined a connection late, or lost bytes inside the
//! handshake, is picked up at the next message the dissector recognises
//! (`sockswire::dissect::find_message`), with what was skipped reported.

use sockswire::dissect::{
    Direction, DissectOptions, Dissector, FindResult, Found, Landmark, Phase, find_message,
};

const C2S: Direction = Direction::ClientToServer;
const S2C: Direction = Direction::ServerToClient;

/// A step of a captured conversation: bytes fed, or a gap.
enum Step<'a> {
    Feed(Direction, &'a [u8]),
    Gap(Direction, u64),
}
use Step::{Feed, Gap};

/// Runs `steps`, finishes both directions, and renders every event; also the final phases.
fn run(steps: &[Step<'_>], mid_stream: bool) -> (Vec<String>, [Phase; 2]) {
    let mut options = DissectOptions::default();
    options.mid_stream = mid_stream;
    let mut d = Dissector::with_storage([0u8; 2048], [0u8; 2048], options);
    let mut out = Vec::new();
    let show =
        |e: &sockswire::dissect::Event<'_>| format!("{} @{} {}", e.dir.short(), e.offset, e.kind);
    for step in steps {
        match *step {
            Feed(dir, bytes) => d.feed(dir, bytes).for_each(|e| out.push(show(&e))),
            Gap(dir, n) => {
                if let Some(e) = d.gap(dir, n) {
                    out.push(show(&e));
                }
            }
        }
    }
    let phases = [d.phase(C2S), d.phase(S2C)];
    for dir in [C2S, S2C] {
        d.finish(dir).for_each(|e| out.push(show(&e)));
    }
    (out, phases)
}

const REQUEST: &[u8] = b"\x05\x01\x00\x03\x0bexample.com\x01\xbb";
const REPLY: &[u8] = b"\x05\x00\x00\x01\x7f\x00\x00\x01\x04\x38";

#[test]
fn dissect_mid_stream_joined_after_the_greeting() {
    // The last byte of the greeting, the request split inside its name, then payload.
    let c2s = [&b"\x00"[..], REQUEST, b"GET / HTTP/1.1\r\n"].concat();
    let s2c = [REPLY, b"HTTP/1.1 200 OK\r\n"].concat();
    let steps = [Feed(C2S, &c2s[..7]), Feed(C2S, &c2s[7..]), Feed(S2C, &s2c)];
    let (events, phases) = run(&steps, true);
    assert_eq!(
        events,
        [
            "c2s @0 anomaly: 1 bytes skipped to resynchronise",
            "c2s @1 SOCKS5 request CONNECT example.com:443",
            "c2s @19 tunnelled payload starts",
            "s2c @0 SOCKS5 reply SUCCEEDED bound 127.0.0.1:1080",
            "s2c @10 tunnelled payload starts",
            "c2s @35 end, 16 payload bytes",
            "s2c @27 end, 17 payload bytes",
        ]
    );
    assert_eq!(phases, [Phase::Tunnel, Phase::Tunnel]);
    // Without the option the same bytes are not SOCKS.
    let (events, _) = run(&steps, false);
    assert_eq!(events[0], "c2s @0 anomaly: not SOCKS (first byte 0x00)");
}

#[test]
fn dissect_mid_stream_tunnel_only_is_skipped_whole() {
    let steps = [
        Feed(C2S, b"GET / HTTP/1.1\r\n"),
        Feed(S2C, b"HTTP/1.1 200 OK\r\n"),
    ];
    let (events, phases) = run(&steps, true);
    assert_eq!(
        events,
        [
            "c2s @0 anomaly: 16 bytes skipped to resynchronise",
            "c2s @16 end, 0 payload bytes",
            "s2c @0 anomaly: 17 bytes skipped to resynchronise",
            "s2c @17 end, 0 payload bytes",
        ]
    );
    assert_eq!(phases, [Phase::Resynchronising, Phase::Resynchronising]);
}

#[test]
fn dissect_mid_stream_gives_up_after_the_limit() {
    let junk = vec![b'a'; sockswire::dissect::RESYNC_LIMIT as usize + 10];
    let (events, phases) = run(&[Feed(C2S, &junk)], true);
    assert_eq!(
        events,
        [
            "c2s @0 anomaly: 65546 bytes skipped to resynchronise",
            "c2s @65546 end, 0 payload bytes",
            "s2c @0 end, 0 payload bytes",
        ]
    );
    assert_eq!(phases, [Phase::NotDecoded, Phase::Resynchronising]);
}

#[test]
fn dissect_gap_in_handshake_resumes_at_the_next_message() {
    let steps = [
        Feed(C2S, b"\x05\x01\x00"),
        Feed(S2C, b"\x05\x00"),
        // The client's request loses its first 4 bytes: the rest cannot be recognised.
        Gap(C2S, 4),
        Feed(C2S, &REQUEST[4..]),
        Feed(C2S, b"GET /"),
        // The proxy's first reply loses 3 bytes (`01 7f` is no RFC 1929 status after
        // no-auth was chosen); the next reply is found whole.
        Gap(S2C, 3),
        Feed(S2C, &REPLY[3..]),
        Feed(S2C, REPLY),
        Feed(S2C, b"HTTP"),
    ];
    let (events, phases) = run(&steps, false);
    assert_eq!(
        events,
        [
            "c2s @0 SOCKS5 greeting, methods NO_AUTH",
            "s2c @0 SOCKS5 method choice NO_AUTH",
            "c2s @3 anomaly: 4 bytes missing from the capture",
            "s2c @2 anomaly: 3 bytes missing from the capture",
            "s2c @5 anomaly: 7 bytes skipped to resynchronise",
            "s2c @12 SOCKS5 reply SUCCEEDED bound 127.0.0.1:1080",
            "s2c @22 tunnelled payload starts",
            "c2s @7 anomaly: 19 bytes skipped to resynchronise",
            "c2s @26 end, 0 payload bytes",
            "s2c @26 end, 4 payload bytes",
        ]
    );
    assert_eq!(phases, [Phase::Resynchronising, Phase::Tunnel]);
}

#[test]
fn dissect_gap_while_resynchronising_reports_what_was_skipped() {
    let steps = [
        Feed(C2S, b"zz"),
        Gap(C2S, 5),
        Feed(C2S, &[b"y", REQUEST].concat()),
    ];
    let (events, _) = run(&steps, true);
    assert_eq!(
        events,
        [
            "c2s @0 anomaly: 2 bytes skipped to resynchronise",
            "c2s @7 anomaly: 1 bytes skipped to resynchronise",
            "c2s @8 SOCKS5 request CONNECT example.com:443",
            "c2s @26 end, 0 payload bytes",
            "s2c @0 end, 0 payload bytes",
        ]
    );
}

#[test]
fn dissect_resync_candidate_longer_than_the_buffer_is_skipped() {
    let mut options = DissectOptions::default();
    options.mid_stream = true;
    let mut d = Dissector::with_storage([0u8; 8], [0u8; 8], options);
    let mut seen = Vec::new();
    // `xx` then a request prefix of 12 bytes: more than the 8-byte buffer holds.
    d.feed(C2S, &[b"xx", &REQUEST[..12]].concat())
        .for_each(|e| seen.push(format!("@{} {}", e.offset, e.kind)));
    d.feed(C2S, REQUEST)
        .for_each(|e| seen.push(format!("@{} {}", e.offset, e.kind)));
    assert_eq!(
        seen,
        [
            "@0 anomaly: 14 bytes skipped to resynchronise",
            "@14 SOCKS5 request CONNECT example.com:443",
        ]
    );
}

#[test]
fn dissect_gssapi_then_bind_with_the_proxy_fed_first() {
    // Found by the structure-aware fuzz target: fed the proxy's whole stream first, BIND's
    // second reply was taken as payload (the first reply was decoded before the request).
    let c2s = b"\x05\x01\x01\x01\x01\x00\x02\xaa\xbb\x05\x02\x00\x01\x7f\x00\x00\x01\x00\x50";
    let s2c = b"\x05\x01\x01\x01\x00\x02\xcc\xdd\x05\x00\x00\x01\x7f\x00\x00\x01\x9c\x40\
                \x05\x00\x00\x01\x7f\x00\x00\x02\xd4\x31data";
    let (events, phases) = run(&[Feed(S2C, s2c), Feed(C2S, c2s)], false);
    assert_eq!(
        events,
        [
            "c2s @0 SOCKS5 greeting, methods GSSAPI",
            "s2c @0 SOCKS5 method choice GSSAPI",
            "s2c @2 GSS-API AUTHENTICATION (2 token bytes)",
            "c2s @3 GSS-API AUTHENTICATION (2 token bytes)",
            "c2s @9 SOCKS5 request BIND 127.0.0.1:80",
            "s2c @8 SOCKS5 reply SUCCEEDED bound 127.0.0.1:40000",
            "s2c @18 SOCKS5 BIND second reply SUCCEEDED remote 127.0.0.2:54321",
            "s2c @28 tunnelled payload starts",
            "c2s @19 end, 0 payload bytes",
            "s2c @32 end, 4 payload bytes",
        ]
    );
    assert_eq!(phases, [Phase::Tunnel, Phase::Tunnel]);
}

#[test]
fn find_message_cases() {
    let found = |index, landmark, len| {
        FindResult::Found(Found {
            index,
            landmark,
            len,
        })
    };
    // Anywhere: a whole request or reply.
    let c = [&b"\x00\x02"[..], REQUEST].concat();
    assert_eq!(find_message(C2S, &c), found(2, Landmark::Socks5Request, 18));
    let s = [&b"payload\x05"[..], REPLY].concat();
    assert_eq!(find_message(S2C, &s), found(8, Landmark::Socks5Reply, 10));
    // A request cut inside its name: need more, from where it starts.
    assert_eq!(
        find_message(C2S, &c[..10]),
        FindResult::NeedMore { index: 2 }
    );
    // A name with a control byte, a non-zero RSV, an unknown command: no request.
    assert_eq!(
        find_message(C2S, b"\x05\x01\x00\x03\x02a\n\x00\x50"),
        FindResult::NotFound
    );
    assert_eq!(
        find_message(C2S, b"x\x05\x01\x07\x01\x7f\x00\x00\x01\x00\x50"),
        FindResult::NotFound
    );
    assert_eq!(
        find_message(C2S, b"x\x05\x09\x00\x01\x7f\x00\x00\x01\x00\x50"),
        FindResult::NotFound
    );
    // SOCKS4a anywhere, but not with port 0.
    let v4a = b"zz\x04\x01\x00\x50\x00\x00\x00\x01u\x00host\x00";
    assert_eq!(
        find_message(C2S, v4a),
        found(2, Landmark::Socks4Request, 15)
    );
    assert_eq!(
        find_message(C2S, b"zz\x04\x01\x00\x00\x01\x02\x03\x04\x00"),
        FindResult::NotFound
    );
    // The short shapes only at the start.
    assert_eq!(
        find_message(C2S, b"\x05\x01\x00"),
        found(0, Landmark::Socks5Greeting, 3)
    );
    assert_eq!(
        find_message(C2S, b"x\x05\x01\x00"),
        FindResult::NeedMore { index: 1 }
    );
    assert_eq!(
        find_message(S2C, b"\x05\x02"),
        found(0, Landmark::MethodChoice, 2)
    );
    // Past the start `05 02` is no method choice, only the start of a possible reply.
    assert_eq!(
        find_message(S2C, b"x\x05\x02"),
        FindResult::NeedMore { index: 1 }
    );
    assert_eq!(find_message(S2C, b"x\x05\x02\x07"), FindResult::NotFound);
    assert_eq!(
        find_message(S2C, b"\x01\x00"),
        found(0, Landmark::UserPassReply, 2)
    );
    assert_eq!(
        find_message(S2C, b"\x00\x5a\x00\x50\x7f\x00\x00\x01"),
        found(0, Landmark::Socks4Reply, 8)
    );
    assert_eq!(
        find_message(S2C, b"x\x00\x5a\x00\x50\x7f\x00\x00\x01"),
        FindResult::NotFound
    );
    assert_eq!(
        find_message(C2S, b"\x01\x04user\x04pass"),
        found(0, Landmark::UserPassRequest, 11)
    );
    assert_eq!(find_message(C2S, b""), FindResult::NotFound);
}

#[test]
fn find_message_on_every_short_input() {
    // Every input of up to 3 bytes, both directions: a message found lies inside the input.
    let mut inputs = vec![vec![]];
    for a in 0..=255u8 {
        inputs.push(vec![a]);
        for b in 0..=255u8 {
            inputs.push(vec![a, b]);
            for c in [0u8, 1, 2, 3, 4, 5, 0x50, 0x5a, 0xf0, 0xff] {
                inputs.push(vec![a, b, c]);
            }
        }
    }
    let mut found = 0;
    for input in &inputs {
        for dir in [C2S, S2C] {
            if let FindResult::Found(f) = find_message(dir, input) {
                assert!(f.index + f.len <= input.len());
                found += 1;
            }
        }
    }
    // Exactly these, all at index 0 (every longer shape needs more than 3 bytes):
    // client: the greetings `05 01 m`, m a plausible method among the third bytes tried
    //   (00 01 02 03 04 05 F0): 7;
    // proxy: the method choices `05 m` alone (m 00-09, 80-FF): 138, and followed by what that
    //   method sends next, `05 00 05` and `05 02 01` (`05 01 01` is taken for a greeting): 2;
    //   RFC 1929 statuses `01 s` alone: 256, and followed by a reply's `05`: 256.
    assert_eq!(found, 7 + 138 + 2 + 256 + 256);
}
