//! Differential tests against the model, tor-socksproto 0.47.0, client side: both crates'
//! client handshakes run over generated requests and generated, cut and mutated server
//! streams, at four chunkings in both read modes, and must agree on the outcome class, the
//! bytes sent, the reply fields and the bytes left over (harness: `support/differential.rs`).
//!
//! Only the first error of a run is compared: after it ours is poisoned and tor's is not.

#[path = "support/drive.rs"]
mod drive;
#[path = "support/drive_tor.rs"]
mod drive_tor;
#[path = "support/gen.rs"]
mod generator;
#[path = "support/differential.rs"]
mod harness;
#[path = "support/minimise.rs"]
mod minimise;
#[path = "support/owned.rs"]
mod owned;
#[path = "support/socks_gen.rs"]
mod socks_gen;

use std::time::Instant;

use drive::{End, Run};
use drive_tor::{TorEnd, TorRun};
use generator::Rng;
use harness::*;
use owned::*;
use socks_gen::*;
use sockswire as sw;
use tor_socksproto as tor;

// ---------------------------------------------------------------------------------------------
// Client side.

fn run_client(
    spec: &Spec,
    server: &[u8],
    chunk: usize,
    precise: bool,
) -> (Run<OwnedReply>, TorRun<OwnedReply>) {
    run_both(
        sw::SocksClientHandshake::new(spec.ours().expect("checked before")),
        tor::SocksClientHandshake::new(spec.tors().expect("valid for tor")),
        server,
        chunk,
        precise,
        |r| own_sw_reply(&r),
        |r| own_tor_reply(&r),
    )
}

// The deliberate client-side differences (see the table in `src/handshake.rs`).
const CLIENT_IPV6_OVER_SOCKS4: &str = "SOCKS4 IPv6 target refused (tor sends a 4a hostname)";
const CLIENT_MARKER_OVER_SOCKS4: &str = "SOCKS4 0.0.0.x target refused (tor sends it raw)";
const CLIENT_VN4: &str = "SOCKS4 reply with VN 4 accepted (tor: Syntax)";
const CLIENT_ATYP0: &str = "SOCKS5 reply with ATYP 0 accepted (tor: Decode)";
const CLIENT_BAD_NAME_BEFORE_PORT: &str =
    "bad hostname in a SOCKS5 reply, port not yet received: we ask for the port, tor: Decode";
const CLIENT_SOCKS4_TOO_LONG: &str =
    "SOCKS4 request over 1024 bytes (CLIENT_SEND_MAX): we refuse to send it, tor sends it";
const CLIENT_KNOWN: [&str; 6] = [
    CLIENT_IPV6_OVER_SOCKS4,
    CLIENT_MARKER_OVER_SOCKS4,
    CLIENT_VN4,
    CLIENT_ATYP0,
    CLIENT_BAD_NAME_BEFORE_PORT,
    CLIENT_SOCKS4_TOO_LONG,
];

/// The deliberate client-side differences, by kind. Where we accept a reply tor refuses, the
/// reply must mean to us what its standard form (VN 0, ATYP 1) means to tor.
fn known_client_difference(
    spec: &Spec,
    server: &[u8],
    (chunk, precise): (usize, bool),
    ours: &Run<OwnedReply>,
    tors: &TorRun<OwnedReply>,
) -> Option<&'static str> {
    let same_as_tor_with = |at: usize, byte: u8| {
        let mut patched = server.to_vec();
        patched[at] = byte;
        let (_, tors) = run_client(spec, &patched, chunk, precise);
        compare(ours, &tors, our_client_class).is_ok()
    };
    if spec.version == 4
        && ours.sent.is_empty()
        && matches!(
            ours.end,
            End::Error(sw::Error::MessageTooLong { limit: 1024 })
        )
        && tors.sent.len() > 1024
    {
        return Some(CLIENT_SOCKS4_TOO_LONG);
    }
    if let (End::NeedMore, TorEnd::Error(tor::Error::Decode(_))) = (&ours.end, &tors.end) {
        let mut with_port = server.to_vec();
        with_port.extend_from_slice(&[0, 80]);
        let (ours, _) = run_client(spec, &with_port, chunk, precise);
        if matches!(ours.end, End::Error(sw::Error::BadHostname(_))) {
            return Some(CLIENT_BAD_NAME_BEFORE_PORT);
        }
    }
    match &tors.end {
        TorEnd::Error(tor::Error::Syntax)
            if spec.version == 4 && server.first() == Some(&4) && same_as_tor_with(0, 0) =>
        {
            Some(CLIENT_VN4)
        }
        TorEnd::Error(tor::Error::Decode(_)) if spec.version == 5 => {
            let atyp = spec.v5_reply_offset(server) + 3;
            (server.get(atyp) == Some(&0) && same_as_tor_with(atyp, 1)).then_some(CLIENT_ATYP0)
        }
        _ => None,
    }
}

fn judge_client(spec: &Spec, server: &[u8], chunk: usize, precise: bool) -> Verdict {
    let (ours, tors) = run_client(spec, server, chunk, precise);
    let refused = match (&ours.end, ours.sent.is_empty() && !tors.sent.is_empty()) {
        (End::Error(e), true) => Some(e),
        _ => None,
    };
    match compare(&ours, &tors, our_client_class) {
        Ok(label) => Verdict::Match(label),
        // Whatever the proxy then says, this is one difference: group it.
        Err(_)
            if refused.is_some()
                && known_client_difference(spec, server, (chunk, precise), &ours, &tors)
                    .is_none() =>
        {
            Verdict::Unexplained {
                signature: format!("ours refuses to send the request: {:?}", refused.unwrap()),
                detail: format!(
                    "tor sent {} bytes: {}..",
                    tors.sent.len(),
                    hex(&tors.sent[..tors.sent.len().min(40)])
                ),
            }
        }
        Err((signature, detail)) => {
            match known_client_difference(spec, server, (chunk, precise), &ours, &tors) {
                Some(kind) => Verdict::Known(kind),
                None => Verdict::Unexplained { signature, detail },
            }
        }
    }
}

#[test]
fn differential_client_handshake() {
    let start = Instant::now();
    let mut rng = Rng::new(0x5EED_0002);
    let mut specs = Vec::new();
    let mut cases = Vec::new();
    let mut refused = Vec::new();
    let mut stats = Stats::new(&CLIENT_KNOWN);
    for i in 0..CLIENT_SEEDS {
        let spec = gen_spec(&mut rng);
        if let Err(e) = spec.ours() {
            // Deliberate: refused when built (`SocksRequest::new`), where tor sends it anyway.
            match (spec.unrepresentable_over_socks4(), e) {
                (true, sw::Error::Unrepresentable(sw::Unrepresentable::Ipv6OverSocks4(_))) => {
                    *stats.known.entry(CLIENT_IPV6_OVER_SOCKS4).or_default() += 1;
                }
                (true, sw::Error::Unrepresentable(sw::Unrepresentable::Socks4aMarker(_))) => {
                    *stats.known.entry(CLIENT_MARKER_OVER_SOCKS4).or_default() += 1;
                }
                _ => refused.push(format!("{}: {e:?}", spec.describe())),
            }
            continue;
        }
        let server = gen_server(&mut rng, &spec);
        match i % 3 {
            0 => {}
            1 => {
                let cut = rng.below(server.len() + 1);
                cases.push((specs.len(), server[..cut].to_vec()));
            }
            _ => {
                let mut m = server.clone();
                for _ in 0..1 + rng.below(3) {
                    rng.mutate(&mut m);
                }
                cases.push((specs.len(), m));
            }
        }
        cases.push((specs.len(), server));
        specs.push(spec);
    }
    let slices: Vec<&[u8]> = cases.iter().map(|(_, server)| server.as_slice()).collect();
    run_all(&mut stats, &slices, |case, chunk, precise| {
        let (spec, server) = &cases[case];
        judge_client(&specs[*spec], server, chunk, precise)
    });
    let unexplained = report(
        "client",
        &stats,
        |f| format!("request {}", specs[cases[f.case].0].describe()),
        |f, candidate| judge_client(&specs[cases[f.case].0], candidate, f.chunk, f.precise),
    );
    for r in &refused {
        eprintln!("UNEXPLAINED: our SocksRequest::new refuses a request tor accepts: {r}");
    }
    eprintln!("{}", stats.summary("client", start.elapsed()));
    assert!(stats.inputs > CLIENT_SEEDS && stats.outcomes.len() > 5);
    assert!(
        refused.is_empty(),
        "our SocksRequest::new refused valid requests"
    );
    assert_eq!(unexplained, 0, "unexplained client differences (see above)");
}
