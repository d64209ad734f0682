//! The dissector on the shipped captures and on crafted conversations: exact event lists,
//! the same events whatever the segmentation and interleaving, every anomaly, bounded memory,
//! and no panic on mutated input.

#[path = "support/gen.rs"]
mod generator;
#[path = "support/streams.rs"]
mod streams;

use sockswire::dissect::{Anomaly, Direction, DissectOptions, Dissector, EventKind};
use streams::{dissect, sample, stems};

const C2S: Direction = Direction::ClientToServer;
const S2C: Direction = Direction::ServerToClient;

fn plain(segments: &[(Direction, &[u8])]) -> Vec<String> {
    dissect(segments, DissectOptions::default())
}

/// The events of one direction, without the one that depends on cross-direction order.
fn of(events: &[String], dir: &str) -> Vec<String> {
    events
        .iter()
        .filter(|e| e.starts_with(dir) && !e.contains("payload before the proxy's reply"))
        .cloned()
        .collect()
}

#[test]
fn dissect_userpass_sample_exactly() {
    let (c, s) = sample("socks5_userpass_ok_curl_microsocks");
    // Ping-pong order: each client message, then the server's answer.
    let events = plain(&[
        (C2S, &c[..5]),
        (S2C, &s[..2]),
        (C2S, &c[5..19]),
        (S2C, &s[2..4]),
        (C2S, &c[19..]),
        (S2C, &s[4..]),
    ]);
    let payload_c = c.len() - 29;
    let payload_s = s.len() - 14;
    assert_eq!(
        events,
        [
            "c2s @0 SOCKS5 greeting, methods NO_AUTH GSSAPI USERNAME_PASSWORD",
            "s2c @0 SOCKS5 method choice USERNAME_PASSWORD",
            "c2s @5 username/password request, username \"alice\", password <6 bytes>",
            "c2s @5 anomaly: credentials in clear",
            "s2c @2 username/password reply SUCCESS",
            "c2s @19 SOCKS5 request CONNECT 127.0.0.1:18080",
            "c2s @19 anomaly: raw IP target (possible DNS leak)",
            "c2s @29 tunnelled payload starts",
            "c2s @29 anomaly: payload before the proxy's reply",
            "s2c @4 SOCKS5 reply SUCCEEDED bound 0.0.0.0:0",
            "s2c @14 tunnelled payload starts",
            &format!("c2s @{} end, {payload_c} payload bytes", c.len()),
            &format!("s2c @{} end, {payload_s} payload bytes", s.len()),
        ]
    );
    // Passwords only on request.
    let revealed = dissect(&[(C2S, &c[..]), (S2C, &s[..])], {
        let mut o = DissectOptions::default();
        o.reveal_passwords = true;
        o
    });
    assert!(
        revealed.iter().any(|e| e.contains("password \"s3cret\"")),
        "{revealed:?}"
    );
}

#[test]
fn dissect_every_sample_the_same_whatever_the_segmentation() {
    let mut rng = generator::Rng::new(6);
    for stem in stems() {
        let (c, s) = sample(&stem);
        let reference = plain(&[(C2S, &c[..]), (S2C, &s[..])]);
        // 1-byte segments, alternating directions.
        let mut ping_pong: Vec<(Direction, &[u8])> = Vec::new();
        for i in 0..c.len().max(s.len()) {
            if let Some(b) = c.get(i..i + 1) {
                ping_pong.push((C2S, b));
            }
            if let Some(b) = s.get(i..i + 1) {
                ping_pong.push((S2C, b));
            }
        }
        // Server first, then client (a capture that shows the answer first).
        let reversed = [(S2C, &s[..]), (C2S, &c[..])];
        // Random segment sizes and random interleaving.
        let mut random = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < c.len() || j < s.len() {
            let n = 1 + rng.below(20);
            if (rng.below(2) == 0 && i < c.len()) || j >= s.len() {
                let end = (i + n).min(c.len());
                random.push((C2S, &c[i..end]));
                i = end;
            } else {
                let end = (j + n).min(s.len());
                random.push((S2C, &s[j..end]));
                j = end;
            }
        }
        for (name, segments) in [
            ("ping-pong", &ping_pong[..]),
            ("reversed", &reversed[..]),
            ("random", &random[..]),
        ] {
            let got = plain(segments);
            for dir in ["c2s", "s2c"] {
                assert_eq!(of(&got, dir), of(&reference, dir), "{stem} {name} {dir}");
            }
        }
    }
}

#[test]
fn dissect_samples_report_what_matters() {
    let check = |stem: &str, wanted: &[&str]| {
        let (c, s) = sample(stem);
        let events = plain(&[(C2S, &c[..]), (S2C, &s[..])]);
        for w in wanted {
            assert!(
                events.iter().any(|e| e.contains(w)),
                "{stem}: no {w:?} in {events:#?}"
            );
        }
    };
    check(
        "socks4_connect_curl_dante",
        &[
            "SOCKS4 request CONNECT 127.0.0.1:18080",
            "possible DNS leak",
            "SOCKS4 reply GRANTED",
        ],
    );
    check(
        "socks4a_connect_hostname_socat_ssh",
        &["SOCKS4a request CONNECT localhost:18080 user-id \"anonymous\""],
    );
    check(
        "socks4a_connect_rejected_curl_dante",
        &["SOCKS4 reply REJECTED"],
    );
    check(
        "socks5_bind_python_dante",
        &[
            "SOCKS5 request BIND",
            "SOCKS5 BIND second reply SUCCEEDED remote 127.0.0.1:",
        ],
    );
    check(
        "socks5_userpass_badpass_curl_microsocks",
        &["username/password reply 0x02"],
    );
    check(
        "socks5_connect_refused_curl_dante",
        &["SOCKS5 reply CONNECTION_REFUSED"],
    );
    check(
        "tor_resolve_socks5_torresolve_tor",
        &[
            "SOCKS5 request RESOLVE 127.0.0.5:0",
            "SOCKS5 reply SUCCEEDED bound 127.0.0.5:0",
        ],
    );
    check(
        "tor_resolve_error_socks5_python_tor",
        &[
            "SOCKS5 reply HOST_UNREACHABLE bound 0.0.0.0:0",
            "anomaly: non-standard address type 0x00 (C Tor's failure reply)",
        ],
    );
    check(
        "tor_resolve_ptr_error_socks5_torresolve_tor",
        &[
            "SOCKS5 request RESOLVE_PTR",
            "SOCKS5 reply HOST_UNREACHABLE bound 0.0.0.0:0",
            "anomaly: non-standard address type 0x00 (C Tor's failure reply)",
        ],
    );
    check("socks5_connect_ipv6_curl_dante", &["CONNECT [::1]:18081"]);
    check(
        "socks5_udp_associate_python_dante",
        &["SOCKS5 request UDP_ASSOCIATE"],
    );
    check(
        "nonsocks_http_curl_dante",
        &["anomaly: not SOCKS (first byte 0x47)"],
    );
    check(
        "socks5_connect_domain_curl_dante",
        &["SOCKS5 request CONNECT localhost:18080"],
    );
}

#[test]
fn dissect_anomalies() {
    let has = |segments: &[(Direction, &[u8])], what: &str| {
        let events = plain(segments);
        assert!(
            events.iter().any(|e| e.contains(what)),
            "no {what:?} in {events:#?}"
        );
    };
    // No-auth chosen although user/pass was offered.
    has(
        &[(C2S, b"\x05\x01\x02"), (S2C, b"\x05\x00")],
        "no authentication chosen",
    );
    // Non-zero RSV.
    has(
        &[(C2S, b"\x05\x01\x00\x05\x01\x07\x03\x01a\x00\x50")],
        "reserved byte 0x07",
    );
    // Long and non-UTF-8 SOCKS4a hostnames.
    let mut long = b"\x04\x01\x00\x50\x00\x00\x00\x01\x00".to_vec();
    long.extend([b'a'; 300]);
    long.push(0);
    has(&[(C2S, &long)], "hostname of 300 bytes");
    has(
        &[(C2S, b"\x04\x01\x00\x50\x00\x00\x00\x01\x00\xff\x00")],
        "hostname not UTF-8",
    );
    // A SOCKS4 request after a SOCKS5 greeting.
    has(
        &[(C2S, b"\x05\x01\x00\x04\x01\x00\x50\x01\x02\x03\x04\x00")],
        "SOCKS4 request after a SOCKS5 greeting",
    );
    // Truncated conversation.
    has(
        &[(C2S, b"\x05\x01\x00\x05\x01\x00\x03\x09local")],
        "stream ended inside a message",
    );
    // Data after a refusal.
    has(
        &[(C2S, b"\x05\x01\x01"), (S2C, b"\x05\xff\x00")],
        "data after a failed handshake",
    );
    // Malformed: unknown address type.
    has(
        &[(C2S, b"\x05\x01\x00\x05\x01\x00\x09")],
        "malformed: unknown address type 0x09",
    );
    // Too long for the buffer: a 3000-byte SOCKS4 user-id.
    let mut huge = b"\x04\x01\x00\x50\x01\x02\x03\x04".to_vec();
    huge.extend([b'u'; 3000]);
    has(&[(C2S, &huge)], "larger than the dissector's buffer");
    // Gap inside the handshake.
    let mut d = Dissector::new();
    drop(d.feed(C2S, b"\x05\x01"));
    let e = d.gap(C2S, 10).unwrap();
    assert_eq!(
        (e.offset, e.kind),
        (2, EventKind::Anomaly(Anomaly::Gap(10)))
    );
}

#[test]
fn dissect_pipelined_client_waits_for_the_method_choice() {
    // Both GSS-API and user/pass offered: the client's next message (VER 1) is ambiguous until
    // the proxy chooses; it is decoded when the choice arrives.
    let client = b"\x05\x02\x01\x02\x01\x01u\x01p\x05\x01\x00\x01\x01\x02\x03\x04\x00\x50";
    let events = plain(&[
        (C2S, client),
        (
            S2C,
            b"\x05\x02\x01\x00\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00",
        ),
    ]);
    assert_eq!(
        &events[..5],
        [
            "c2s @0 SOCKS5 greeting, methods GSSAPI USERNAME_PASSWORD",
            "s2c @0 SOCKS5 method choice USERNAME_PASSWORD",
            "c2s @4 username/password request, username \"u\", password <1 bytes>",
            "c2s @4 anomaly: credentials in clear",
            "c2s @9 SOCKS5 request CONNECT 1.2.3.4:80",
        ]
    );
}

#[test]
fn dissect_never_panics_on_mutated_conversations() {
    let mut rng = generator::Rng::new(0xD155);
    let stems = stems();
    for round in 0..20_000 {
        let (mut c, mut s) = sample(&stems[round % stems.len()]);
        for _ in 0..1 + rng.below(3) {
            if rng.below(2) == 0 {
                rng.mutate(&mut c)
            } else {
                rng.mutate(&mut s)
            }
        }
        let mut segments = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < c.len() || j < s.len() {
            let n = 1 + rng.below(40);
            if (rng.below(2) == 0 && i < c.len()) || j >= s.len() {
                let end = (i + n).min(c.len());
                segments.push((C2S, &c[i..end]));
                i = end;
            } else {
                let end = (j + n).min(s.len());
                segments.push((S2C, &s[j..end]));
                j = end;
            }
        }
        let events = plain(&segments);
        // Both directions always end, with the offset at the stream's length.
        assert!(
            events.iter().any(|e| e == &format!("c2s @{} end", c.len())
                || e.starts_with(&format!("c2s @{} end", c.len()))),
            "{events:#?}"
        );
    }
}

#[path = "support/counting_alloc.rs"]
mod counting_alloc;

#[test]
fn dissect_allocates_nothing() {
    let (c, s) = sample("socks5_userpass_ok_curl_microsocks");
    let mut count = 0;
    let n = counting_alloc::allocations_during(|| {
        let mut d = Dissector::new();
        for chunk in 0..c.len().max(s.len()) {
            for (dir, bytes) in [(C2S, &c), (S2C, &s)] {
                if let Some(b) = bytes.get(chunk..chunk + 1) {
                    let mut events = d.feed(dir, b);
                    while events.next().is_some() {
                        count += 1;
                    }
                }
            }
        }
    });
    assert_eq!(n, 0);
    assert!(count >= 9, "{count}");
}

#[test]
fn udp_reassembler_joins_fragments_and_drops_bad_sequences() {
    use sockswire::dissect::{UdpOutcome, UdpReassembler};
    let frag = |f: u8, data: &[u8]| {
        let mut d = vec![0, 0, f, 1, 127, 0, 0, 1, 0, 53];
        d.extend_from_slice(data);
        d
    };
    let mut r = UdpReassembler::<64>::new();
    assert!(matches!(r.push(&frag(0, b"whole")), UdpOutcome::Whole(d) if d.data == b"whole"));
    assert_eq!(r.push(&frag(1, b"ab")), UdpOutcome::Queued { position: 1 });
    assert_eq!(r.push(&frag(2, b"cd")), UdpOutcome::Queued { position: 2 });
    assert_eq!(
        r.push(&frag(0x83, b"ef")),
        UdpOutcome::Reassembled(b"abcdef")
    );
    // A new sequence starts clean.
    assert_eq!(r.push(&frag(1, b"x")), UdpOutcome::Queued { position: 1 });
    assert_eq!(r.push(&frag(0x82, b"y")), UdpOutcome::Reassembled(b"xy"));
    // Out of sequence: dropped, as RFC 1928 says.
    assert_eq!(r.push(&frag(2, b"late")), UdpOutcome::Dropped);
    assert_eq!(r.push(&frag(1, b"a")), UdpOutcome::Queued { position: 1 });
    assert_eq!(r.push(&frag(1, b"again")), UdpOutcome::Dropped);
    // Too much for the buffer: dropped.
    let mut small = UdpReassembler::<4>::new();
    assert_eq!(
        small.push(&frag(1, b"abc")),
        UdpOutcome::Queued { position: 1 }
    );
    assert_eq!(small.push(&frag(0x82, b"de")), UdpOutcome::Dropped);
    assert!(matches!(r.push(&[0, 0, 0, 9]), UdpOutcome::Malformed(_)));
}

#[test]
fn dissect_socks4_bind_second_reply() {
    let request = b"\x04\x02\x00\x50\x7f\x00\x00\x01\x00";
    let first = b"\x00\x5a\xe5\xab\x7f\x00\x00\x01";
    let second = b"\x00\x5a\x9e\xd8\x7f\x00\x00\x01";
    let want = [
        "c2s @0 SOCKS4 request BIND 127.0.0.1:80 user-id \"\"",
        "c2s @0 anomaly: raw IP target (possible DNS leak)",
        "s2c @0 SOCKS4 reply GRANTED 127.0.0.1:58795",
        "s2c @8 SOCKS4 BIND second reply GRANTED remote 127.0.0.1:40664",
        "s2c @16 tunnelled payload starts",
        "c2s @9 end, 0 payload bytes",
        "s2c @21 end, 5 payload bytes",
    ];
    // Both replies in one segment with payload after them, or one byte at a time.
    let mut stream = [&first[..], &second[..], b"hello"].concat();
    assert_eq!(plain(&[(C2S, request), (S2C, &stream)]), want);
    let mut segments = vec![(C2S, &request[..])];
    segments.extend(stream.chunks(1).map(|b| (S2C, b)));
    assert_eq!(plain(&segments), want);
    // A refused second reply: what follows is data after a failure.
    stream[9] = 0x5b;
    assert_eq!(
        plain(&[(C2S, request), (S2C, &stream)])[3..5],
        [
            "s2c @8 SOCKS4 BIND second reply REJECTED remote 127.0.0.1:40664",
            "s2c @16 anomaly: data after a failed handshake",
        ]
    );
}

#[test]
fn dissect_c_tor_atyp0_failure_reply() {
    // tor-resolve -x 127.0.0.5 against C Tor, which fails with ATYP 0.
    let events = plain(&[
        (C2S, b"\x05\x01\x00"),
        (S2C, b"\x05\x00"),
        (C2S, b"\x05\xf1\x00\x01\x7f\x00\x00\x05\x00\x00"),
        (S2C, b"\x05\x04\x00\x00\x00\x00\x00\x00\x00\x00"),
    ]);
    assert_eq!(
        events,
        [
            "c2s @0 SOCKS5 greeting, methods NO_AUTH",
            "s2c @0 SOCKS5 method choice NO_AUTH",
            "c2s @3 SOCKS5 request RESOLVE_PTR 127.0.0.5:0",
            "s2c @2 SOCKS5 reply HOST_UNREACHABLE bound 0.0.0.0:0",
            "s2c @2 anomaly: non-standard address type 0x00 (C Tor's failure reply)",
            "c2s @13 end, 0 payload bytes",
            "s2c @12 end, 0 payload bytes",
        ]
    );
}

/// The ordering contract (see "Ordering" on `Dissector`): each direction fed whole, in either
/// order, reports no anomaly about the order of the two; an interleaving that shows payload
/// before the reply does.
#[test]
fn dissect_whole_streams_report_no_ordering_anomaly() {
    for stem in stems() {
        let (c, s) = sample(&stem);
        for segments in [
            [(C2S, &c[..]), (S2C, &s[..])],
            [(S2C, &s[..]), (C2S, &c[..])],
        ] {
            let events = plain(&segments);
            assert!(
                !events
                    .iter()
                    .any(|e| e.contains("payload before the proxy's reply")),
                "{stem}: {events:?}"
            );
        }
        // Each direction in 100-byte chunks, all of one then all of the other.
        let mut chunked: Vec<(Direction, &[u8])> = c.chunks(100).map(|b| (C2S, b)).collect();
        chunked.extend(s.chunks(100).map(|b| (S2C, b)));
        let events = plain(&chunked);
        assert!(
            !events
                .iter()
                .any(|e| e.contains("payload before the proxy's reply")),
            "{stem} chunked: {events:?}"
        );
    }
    // The proxy chose a method, then the client sent its request and payload before the
    // reply: the calls show it.
    let events = plain(&[
        (C2S, b"\x05\x01\x00"),
        (S2C, b"\x05\x00"),
        (C2S, b"\x05\x01\x00\x01\x7f\x00\x00\x01\x00\x50GET"),
        (S2C, b"\x05\x00\x00\x01\x7f\x00\x00\x01\x04\x38"),
    ]);
    assert_eq!(
        events[4..7],
        [
            "c2s @13 tunnelled payload starts",
            "c2s @13 anomaly: payload before the proxy's reply",
            "s2c @2 SOCKS5 reply SUCCEEDED bound 127.0.0.1:1080",
        ]
    );
    // The same bytes, each direction whole: nothing to report about order.
    let events = plain(&[
        (
            C2S,
            b"\x05\x01\x00\x05\x01\x00\x01\x7f\x00\x00\x01\x00\x50GET",
        ),
        (S2C, b"\x05\x00\x05\x00\x00\x01\x7f\x00\x00\x01\x04\x38"),
    ]);
    assert!(
        !events
            .iter()
            .any(|e| e.contains("before the proxy's reply")),
        "{events:?}"
    );
}
