//! What a packet analyser embedding the dissector relies on: owned events that outlive the
//! feed, `phase` / `handshake_finished` / `payload_index` / `payload_offset` (refusals
//! included), and transactions of every sample.

#[path = "support/streams.rs"]
mod streams;

use sockswire::dissect::{Anomaly, Direction, DissectOptions, Dissector};
use streams::{dissect, sample, stems};

const C2S: Direction = Direction::ClientToServer;
const S2C: Direction = Direction::ServerToClient;

/// Owned events: the same text as the borrowed ones, for every sample, kept past the next
/// feed; `for` walks them.
#[test]
fn dissect_owned_events_outlive_the_feed() {
    use sockswire::dissect::{OwnedEvent, OwnedSummary};
    for stem in stems() {
        let (c, s) = sample(&stem);
        // Byte-sized segments: every message goes through the reassembly buffer.
        let mut segments: Vec<(Direction, &[u8])> = c.chunks(1).map(|b| (C2S, b)).collect();
        segments.extend(s.chunks(1).map(|b| (S2C, b)));
        let options = DissectOptions::default();
        let borrowed = dissect(&segments, options);
        let mut d = Dissector::new();
        let mut kept: Vec<OwnedEvent> = Vec::new();
        let mut owned_summary = OwnedSummary::default();
        for &(dir, bytes) in &segments {
            for e in d.feed(dir, bytes) {
                owned_summary.update(&e.event());
                kept.push(e);
            }
        }
        for dir in [C2S, S2C] {
            kept.extend(d.finish(dir));
        }
        let text: Vec<String> = kept
            .iter()
            .map(|e| format!("{} @{} {}", e.dir.short(), e.offset, e.kind()))
            .collect();
        assert_eq!(text, borrowed, "{stem}");
        // The owned summary is the same whatever the segmentation.
        let mut d = Dissector::new();
        let mut owned = OwnedSummary::default();
        for (dir, bytes) in [(C2S, &c), (S2C, &s)] {
            for e in d.feed(dir, bytes) {
                owned.update(&e.event());
            }
        }
        if !stem.starts_with("nonsocks") {
            assert!(owned.version.is_some(), "{stem}");
        }
        assert_eq!(owned.request, owned_summary.request, "{stem}");
        assert_eq!(owned.bound, owned_summary.bound, "{stem}");
        assert_eq!(owned.status, owned_summary.status, "{stem}");
    }
}

#[test]
fn dissect_phase_and_payload_index() {
    use sockswire::dissect::Phase;
    let mut d = Dissector::new();
    assert_eq!(d.phase(C2S), Phase::Handshake);
    d.feed(C2S, b"\x05\x01\x00").for_each(|_| {});
    d.feed(S2C, b"\x05\x00").for_each(|_| {});
    assert!(!d.handshake_finished(C2S));
    // The request ends inside the segment: payload from index 10.
    let seg = b"\x05\x01\x00\x01\x7f\x00\x00\x01\x00\x50GET /";
    d.feed(C2S, seg).for_each(|_| {});
    assert!(d.handshake_finished(C2S));
    assert_eq!(d.payload_index(C2S), Some(10));
    assert_eq!(d.payload_offset(C2S), Some(13));
    // The reply split: its second half is followed by payload at index 4.
    d.feed(S2C, b"\x05\x00\x00\x01\x7f\x00").for_each(|_| {});
    assert_eq!(d.phase(S2C), Phase::Handshake);
    assert_eq!(d.payload_index(S2C), None);
    d.feed(S2C, b"\x00\x01\x04\x38HTTP").for_each(|_| {});
    assert_eq!(d.phase(S2C), Phase::Tunnel);
    assert_eq!(d.payload_index(S2C), Some(4));
    assert_eq!(d.payload_offset(S2C), Some(12));
    // Later segments: payload started before them.
    d.feed(C2S, b" HTTP/1.1").for_each(|_| {});
    assert_eq!(d.payload_index(C2S), None);
    assert!(d.handshake_finished(C2S));
    // A refusal.
    let mut d = Dissector::new();
    d.feed(C2S, b"\x04\x01\x00\x50\x7f\x00\x00\x01\x00")
        .for_each(|_| {});
    d.feed(S2C, b"\x00\x5b\x00\x00\x00\x00\x00\x00")
        .for_each(|_| {});
    assert_eq!(d.phase(S2C), Phase::Refused);
    assert_eq!(d.payload_offset(S2C), None);
    // The client's direction is refused too: nothing it sends is tunnelled.
    assert_eq!(d.phase(C2S), Phase::Refused);
    assert!(!d.handshake_finished(C2S));
    // A refusal after the client sent bytes past its request (optimistic data): its
    // direction goes from Tunnel to Refused; where those bytes start stays known.
    let mut d = Dissector::new();
    d.feed(C2S, b"\x05\x01\x00").for_each(|_| {});
    d.feed(S2C, b"\x05\x00").for_each(|_| {});
    d.feed(C2S, b"\x05\x01\x00\x01\x7f\x00\x00\x01\x00\x16\x03\x01")
        .for_each(|_| {});
    assert_eq!(d.phase(C2S), Phase::Tunnel);
    assert_eq!(d.payload_index(C2S), Some(10));
    d.feed(S2C, b"\x05\x05\x00\x01\x00\x00\x00\x00\x00\x00")
        .for_each(|_| {});
    assert_eq!(d.phase(S2C), Phase::Refused);
    assert_eq!(d.phase(C2S), Phase::Refused);
    assert!(!d.handshake_finished(C2S));
    assert_eq!(d.payload_offset(C2S), Some(13));
    // A refused authentication: the client's direction is refused while still in the
    // handshake.
    let mut d = Dissector::new();
    d.feed(C2S, b"\x05\x01\x02").for_each(|_| {});
    d.feed(S2C, b"\x05\x02").for_each(|_| {});
    d.feed(C2S, b"\x01\x01u\x01p").for_each(|_| {});
    assert_eq!(d.phase(C2S), Phase::Handshake);
    d.feed(S2C, b"\x01\x01").for_each(|_| {});
    assert_eq!(d.phase(C2S), Phase::Refused);
    assert_eq!(d.phase(S2C), Phase::Refused);
    // Not SOCKS.
    let mut d = Dissector::new();
    d.feed(C2S, b"GET / HTTP/1.1\r\n").for_each(|_| {});
    assert_eq!(d.phase(C2S), Phase::NotDecoded);
}

/// Transactions from every sample, fed whole: one each, with what Zeek keeps.
#[test]
fn dissect_transactions_of_the_samples() {
    use sockswire::dissect::{AuthOutcome, Transaction, Transactions};
    let of_stem = |stem: &str| -> Vec<Transaction> {
        let (c, s) = sample(stem);
        let mut d = Dissector::new();
        let mut t = Transactions::new();
        let mut out = Vec::new();
        for (dir, bytes) in [(C2S, &c), (S2C, &s)] {
            d.feed(dir, bytes).for_each(|e| out.extend(t.update(&e)));
        }
        for dir in [C2S, S2C] {
            d.finish(dir).for_each(|e| out.extend(t.update(&e)));
        }
        out.extend(t.finish());
        out
    };
    for stem in stems() {
        let ts = of_stem(&stem);
        let want = usize::from(!stem.starts_with("nonsocks"));
        assert_eq!(ts.len(), want, "{stem}: {ts:?}");
        if want == 1 {
            assert!(ts[0].complete, "{stem}: {ts:?}");
        }
    }
    let t = &of_stem("socks5_userpass_ok_curl_microsocks")[0];
    assert_eq!(t.version, Some(5));
    assert_eq!(t.auth, Some(AuthOutcome::Accepted));
    assert_eq!(t.user.as_deref(), Some(&b"alice"[..]));
    assert_eq!(t.password, None, "not revealed");
    assert_eq!(t.target.as_ref().unwrap().to_string(), "127.0.0.1:18080");
    assert_eq!(t.request_offset, Some(19));
    assert_eq!(t.replies.len(), 1);
    assert_eq!((t.replies[0].status, t.replies[0].offset), (0, 4));
    assert!(t.succeeded());
    assert_eq!(t.first_offsets, [Some(0), Some(0)]);
    assert!(
        t.anomalies
            .iter()
            .any(|(_, _, a)| *a == Anomaly::CleartextCredentials)
    );
    let t = &of_stem("socks5_userpass_badpass_curl_microsocks")[0];
    assert_eq!(t.auth, Some(AuthOutcome::Refused(2)));
    assert_eq!((t.target.clone(), t.status()), (None, Some(2)));
    assert!(!t.succeeded());
    let t = &of_stem("socks5_bind_python_dante")[0];
    assert_eq!(t.replies.len(), 2);
    assert_eq!(t.replies[1].bound.port, 38066);
    let t = &of_stem("tor_resolve_socks4a_torresolve_tor")[0];
    assert_eq!(t.version, Some(4));
    assert_eq!(t.socks4a_ip, Some(std::net::Ipv4Addr::new(0, 0, 0, 1)));
    let t = &of_stem("tor_resolve_ptr_error_socks5_torresolve_tor")[0];
    assert_eq!(t.status(), Some(4));
    assert_eq!(t.replies[0].bound.to_string(), "0.0.0.0:0");
    // A capture that ends before the reply: handed out incomplete by finish().
    let mut d = Dissector::new();
    let mut t = Transactions::new();
    d.feed(C2S, b"\x05\x01\x00\x05\x01\x00\x01\x7f\x00\x00\x01\x00\x50")
        .for_each(|e| assert!(t.update(&e).is_none()));
    let open = t.finish().unwrap();
    assert!(!open.complete && open.replies.is_empty());
    assert_eq!(open.request_offset, Some(3));
}
