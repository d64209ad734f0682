//! Proof 1 of the drop-in: the facade (`tor_socksproto`, this crate) against the published
//! tor-socksproto 0.47.0 (`real`), on the generated inputs of the main crate's differential
//! harness (`tests/support/socks_gen.rs`, same seeds and mix) and on every ported vector
//! (`tests/vectors/tor.rs`), at four chunkings, in both read modes and through the deprecated
//! `handshake()` API. Zero differences are allowed: the steps (and each `Recv`'s buffer
//! length), sent bytes, outcome (error `Debug` and `HasKind`), request or reply, leftover
//! bytes, `reply()` bytes and what one more call gives must all be equal.

#[path = "../../../tests/support/gen.rs"]
mod generator;
#[path = "../../../tests/support/owned.rs"]
mod owned;
#[path = "../../../tests/support/socks_gen.rs"]
mod socks_gen;
#[path = "../../../tests/vectors/tor.rs"]
mod vectors;
#[macro_use]
#[path = "support/twin.rs"]
mod twin;

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::Instant;

use generator::Rng;
use owned::{OwnedAddr, OwnedAuth, hex};
use socks_gen::*;

twin!(facade, tor_socksproto);
twin!(oracle, real);

/// Bytes per read: all at once, then 1, 7 and 100.
const CHUNKS: [usize; 4] = [usize::MAX, 1, 7, 100];
/// As in `tests/differential.rs`.
const PROXY_SEEDS: usize = 6000;
const CLIENT_SEEDS: usize = 10_000;
/// Longer inputs run in precise mode at one chunking only (each precise step re-frames the
/// message, in both crates).
const LONG_INPUT: usize = 512;

/// Counts and the first few differences.
#[derive(Default)]
struct Tally {
    inputs: usize,
    runs: usize,
    outcomes: BTreeMap<String, usize>,
    differences: Vec<String>,
}

impl Tally {
    fn check<T: PartialEq + std::fmt::Debug>(&mut self, what: &str, ours: T, real: T, label: &str) {
        self.runs += 1;
        if ours == real {
            *self.outcomes.entry(label.to_string()).or_default() += 1;
        } else {
            if self.differences.len() < 20 {
                self.differences
                    .push(format!("{what}\n    facade {ours:?}\n    real   {real:?}"));
            }
            self.outcomes.entry("DIFFERENT".to_string()).or_default();
            *self.outcomes.get_mut("DIFFERENT").expect("just made") += 1;
        }
    }

    fn finish(&self, side: &str, start: Instant) -> usize {
        for d in &self.differences {
            eprintln!("DIFFERENCE {side}: {d}");
        }
        let n = self.outcomes.get("DIFFERENT").copied().unwrap_or(0);
        eprintln!(
            "facade vs tor-socksproto 0.47 ({side}): {} inputs, {} comparisons in {:.1?}; \
             outcomes {:?}; differences {n}",
            self.inputs,
            self.runs,
            start.elapsed(),
            self.outcomes
        );
        n
    }
}

/// The outcome class of a run, for the summary.
fn label(end: &str) -> String {
    end.split(['(', ';', ' '])
        .next()
        .unwrap_or_default()
        .to_string()
        + &end
            .strip_prefix("Error(")
            .map(|e| {
                format!(
                    "({})",
                    e.split([';', '(', ' ', '{']).next().unwrap_or_default()
                )
            })
            .unwrap_or_default()
}

fn compare_proxy(t: &mut Tally, input: &[u8]) {
    t.inputs += 1;
    for chunk in CHUNKS {
        for precise in [false, true] {
            if precise && input.len() > LONG_INPUT && chunk != usize::MAX {
                continue;
            }
            let ours = facade::proxy(input, chunk, precise);
            let real = oracle::proxy(input, chunk, precise);
            let l = label(&real.end);
            let what = format!("proxy input {} chunk {chunk} precise {precise}", hex(input));
            t.check(&what, ours, real, &l);
        }
        if input.len() <= LONG_INPUT || chunk == usize::MAX {
            let what = format!("proxy legacy input {} chunk {chunk}", hex(input));
            t.check(
                &what,
                facade::proxy_legacy(input, chunk),
                oracle::proxy_legacy(input, chunk),
                "legacy",
            );
        }
    }
}

/// A client request in both crates, or the construction difference.
fn client_requests(
    t: &mut Tally,
    spec: &Spec,
) -> Option<(tor_socksproto::SocksRequest, real::SocksRequest)> {
    let ours = facade::request(spec.version, spec.cmd, &spec.addr, spec.port, &spec.auth);
    let real = oracle::request(spec.version, spec.cmd, &spec.addr, spec.port, &spec.auth);
    match (ours, real) {
        (Ok(o), Ok(r)) => Some((o, r)),
        (o, r) => {
            let (o, r) = (o.map(|_| "Ok".to_string()), r.map(|_| "Ok".to_string()));
            t.check(
                &format!("SocksRequest::new {}", spec.describe()),
                o,
                r,
                "new refused",
            );
            None
        }
    }
}

fn compare_client(t: &mut Tally, spec: &Spec, server: &[u8]) {
    t.inputs += 1;
    for chunk in CHUNKS {
        for precise in [false, true] {
            if precise && server.len() > LONG_INPUT && chunk != usize::MAX {
                continue;
            }
            let Some((o, r)) = client_requests(t, spec) else {
                return;
            };
            let ours = facade::client(o, server, chunk, precise);
            let real = oracle::client(r, server, chunk, precise);
            let l = label(&real.end);
            let what = format!(
                "client {} server {} chunk {chunk} precise {precise}",
                spec.describe(),
                hex(server)
            );
            t.check(&what, ours, real, &l);
        }
        let Some((o, r)) = client_requests(t, spec) else {
            return;
        };
        let what = format!("client legacy {} server {}", spec.describe(), hex(server));
        t.check(
            &what,
            facade::client_legacy(o, server, chunk),
            oracle::client_legacy(r, server, chunk),
            "legacy",
        );
    }
}

fn vector_addr(a: &vectors::Addr) -> OwnedAddr {
    match a {
        vectors::Addr::V4(b) => OwnedAddr::Ip(IpAddr::from(*b)),
        vectors::Addr::V6(b) => OwnedAddr::Ip(IpAddr::from(*b)),
        vectors::Addr::Host(h) => OwnedAddr::Host(h.to_vec()),
    }
}

fn vector_spec(r: &vectors::Req) -> Spec {
    Spec {
        version: r.version,
        cmd: r.command,
        addr: vector_addr(&r.addr),
        port: r.port,
        auth: match &r.auth {
            vectors::Auth::None => OwnedAuth::None,
            vectors::Auth::Socks4(id) => OwnedAuth::Socks4(id.to_vec()),
            vectors::Auth::UserPass(u, p) => OwnedAuth::UserPass(u.to_vec(), p.to_vec()),
        },
    }
}

#[test]
fn facade_matches_real_proxy_handshake() {
    let start = Instant::now();
    let mut t = Tally::default();
    // The ported vectors (Tor's test_socks.c, tor-socksproto's own tests, the reference).
    for v in vectors::PROXY {
        compare_proxy(&mut t, v.input);
    }
    for v in vectors::REPLIES {
        compare_proxy(&mut t, v.request_input);
    }
    // The generated inputs of `tests/differential.rs`, same seed and mix.
    let mut rng = Rng::new(0x5EED_0001);
    for i in 0..PROXY_SEEDS {
        let input = match i % 16 {
            0..=3 => valid_proxy_input(&mut rng),
            4..=9 => structured_proxy_input(&mut rng),
            10..=14 => mutated_proxy_input(&mut rng),
            _ => border_proxy_input(&mut rng),
        };
        if !input.is_empty() && chance(&mut rng, if i % 16 == 15 { 70 } else { 40 }) {
            let cut = rng.below(input.len());
            compare_proxy(&mut t, &input[..cut]);
        }
        compare_proxy(&mut t, &input);
    }
    let differences = t.finish("proxy", start);
    assert!(
        t.inputs > PROXY_SEEDS && t.outcomes.len() > 6,
        "{:?}",
        t.outcomes
    );
    assert_eq!(
        differences, 0,
        "facade and tor-socksproto 0.47 differ (see above)"
    );
}

#[test]
fn facade_matches_real_client_handshake() {
    let start = Instant::now();
    let mut t = Tally::default();
    for v in vectors::CLIENT {
        compare_client(&mut t, &vector_spec(&v.request), v.server);
    }
    let mut rng = Rng::new(0x5EED_0002);
    for i in 0..CLIENT_SEEDS {
        let spec = gen_spec(&mut rng);
        let server = gen_server(&mut rng, &spec);
        match i % 3 {
            0 => {}
            1 => {
                let cut = rng.below(server.len() + 1);
                compare_client(&mut t, &spec, &server[..cut]);
            }
            _ => {
                let mut m = server.clone();
                for _ in 0..1 + rng.below(3) {
                    rng.mutate(&mut m);
                }
                compare_client(&mut t, &spec, &m);
            }
        }
        compare_client(&mut t, &spec, &server);
    }
    let differences = t.finish("client", start);
    assert!(
        t.inputs > CLIENT_SEEDS && t.outcomes.len() > 6,
        "{:?}",
        t.outcomes
    );
    assert_eq!(
        differences, 0,
        "facade and tor-socksproto 0.47 differ (see above)"
    );
}

/// `SocksRequest::new` on random, often invalid, fields, and `reply()` on what it accepts
/// (SOCKS4 requests with IPv6 or hostname targets too); `SocksHostname::try_from`;
/// `SocksVersion::try_from`; the codes' names.
#[test]
fn facade_matches_real_request_new_reply_and_codes() {
    let start = Instant::now();
    let mut t = Tally::default();
    let mut rng = Rng::new(0x5EED_0003);
    for _ in 0..3000 {
        t.inputs += 1;
        let version = pick(&mut rng, &[4, 5, 5, 4, 3, 0]);
        let cmd = gen_command(&mut rng);
        let port = gen_port(&mut rng);
        let addr = gen_valid_addr(&mut rng);
        let auth = match rng.below(4) {
            0 => OwnedAuth::None,
            1 => {
                let len = gen_len(&mut rng, 20);
                OwnedAuth::Socks4(gen_text(&mut rng, len, true))
            }
            _ => {
                let (u, p) = (gen_len(&mut rng, 300), gen_len(&mut rng, 300));
                OwnedAuth::UserPass(gen_text(&mut rng, u, true), gen_text(&mut rng, p, true))
            }
        };
        let what = format!("new({version}, {cmd:#x}, {addr:?}, {port}, {auth:?})");
        let ours = facade::request(version, cmd, &addr, port, &auth)
            .map(|r| (format!("{r:?}"), facade::replies(&r, owned::reply_addrs())));
        let real = oracle::request(version, cmd, &addr, port, &auth)
            .map(|r| (format!("{r:?}"), oracle::replies(&r, owned::reply_addrs())));
        let l = if real.is_ok() { "Ok" } else { "Err" };
        t.check(&what, ours, real, l);
    }
    for _ in 0..1000 {
        let len = gen_len(&mut rng, 300);
        let Ok(text) = String::from_utf8(gen_text(&mut rng, len, true)) else {
            continue;
        };
        t.inputs += 1;
        let ours = tor_socksproto::SocksHostname::try_from(text.clone())
            .map(|h| format!("{h:?}"))
            .map_err(|e| facade::err_text(&e));
        let real = real::SocksHostname::try_from(text.clone())
            .map(|h| format!("{h:?}"))
            .map_err(|e| oracle::err_text(&e));
        t.check(
            &format!("hostname {}", hex(text.as_bytes())),
            ours,
            real,
            "hostname",
        );
    }
    for b in 0..=255u8 {
        t.inputs += 1;
        let ours = (
            tor_socksproto::SocksVersion::try_from(b).map(|v| format!("{v} {v:?}")),
            format!("{0} {0:?}", tor_socksproto::SocksCmd::from(b)),
            format!("{0} {0:?}", tor_socksproto::SocksStatus::from(b)),
            tor_socksproto::SocksCmd::from(b).is_recognized(),
            tor_socksproto::SocksStatus::from(b).is_recognized(),
        );
        let real = (
            real::SocksVersion::try_from(b).map(|v| format!("{v} {v:?}")),
            format!("{0} {0:?}", real::SocksCmd::from(b)),
            format!("{0} {0:?}", real::SocksStatus::from(b)),
            real::SocksCmd::from(b).is_recognized(),
            real::SocksStatus::from(b).is_recognized(),
        );
        let (ours, real) = (
            (
                ours.0.map_err(|e| e.to_string()),
                ours.1,
                ours.2,
                ours.3,
                ours.4,
            ),
            (
                real.0.map_err(|e| e.to_string()),
                real.1,
                real.2,
                real.3,
                real.4,
            ),
        );
        t.check(&format!("codes {b:#x}"), ours, real, "codes");
    }
    let differences = t.finish("construction", start);
    assert!(t.outcomes.len() >= 4, "{:?}", t.outcomes);
    assert_eq!(
        differences, 0,
        "facade and tor-socksproto 0.47 differ (see above)"
    );
}

/// The comparison is not vacuous: runs that differ in one observable compare unequal.
#[test]
fn facade_comparison_notices_differences() {
    let base: &[u8] = b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x50";
    let a = facade::proxy(base, 7, false);
    assert_eq!(a, oracle::proxy(base, 7, false));
    let others: [&[u8]; 4] = [
        b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x51",
        b"\x05\x02\x02\x00\x01\x00\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x50",
        &base[..12],
        b"\x05\x01\x00\x05\x01\x00\x01\x01\x02\x03\x04\x00\x50!",
    ];
    for other in others {
        assert_ne!(a, oracle::proxy(other, 7, false), "{}", hex(other));
    }
    // Same bytes, other chunking: only the steps differ, and that is noticed too.
    let b = oracle::proxy(base, 1, false);
    assert_eq!((&a.sent, &a.end, &a.rest), (&b.sent, &b.end, &b.rest));
    assert_ne!(a.steps, b.steps);
}
