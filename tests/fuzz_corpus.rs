//! Replays the committed fuzz inputs on stable: every file in `fuzz/seeds/<target>/`,
//! `fuzz/regressions/<target>/` and `fuzz/grown/<target>/` goes through the
//! `sockswire::fuzz_support` body of that name, the same code `cargo fuzz run <target>` runs.
//! A panic is a failure.
//!
//! The directory names must map onto the bodies exactly: a directory with no body fails, and
//! so does a body with no seed directory. `differential_proxy_handshake` is the one fuzz target
//! whose body lives in `fuzz/` (it needs tor-socksproto), so it is replayed only by cargo-fuzz.
//!
//! Each crash the fuzzer finds is kept as a file in `fuzz/regressions/<target>/` and as a named
//! `regression_<target>_<what>` test below.
#![cfg(feature = "std")]

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use sockswire::fuzz_support as fs_;

type Body = fn(&[u8]) -> Option<usize>;

/// What replaying a directory means.
enum Replay {
    Run(Body),
    Skip(&'static str),
}

/// Every body in `fuzz_support`, by name: the parsers' table and the others.
fn bodies() -> Vec<(&'static str, Option<Body>)> {
    let mut all: Vec<(&'static str, Option<Body>)> = fs_::PARSE_TARGETS
        .iter()
        .map(|&(name, body)| (name, Some(body)))
        .collect();
    all.push((
        "parse_socks5_udp_datagram",
        Some(fs_::parse_socks5_udp_datagram),
    ));
    all.push(("parse_extended_auth", Some(fs_::parse_extended_auth)));
    all.push(("proxy_handshake", Some(fs_::proxy_handshake)));
    all.push(("blocking_accept", Some(fs_::blocking_accept)));
    all.push(("blocking_connect", Some(fs_::blocking_connect)));
    all.push(("dissect", Some(fs_::dissect)));
    all.push(("probe", Some(fs_::probe)));
    all.push(("socks_hostname_check", Some(fs_::socks_hostname_check)));
    all.push(("socks5_greeting_len", Some(fs_::socks5_greeting_len)));
    all.push(("socks5_request_len", Some(fs_::socks5_request_len)));
    all.push(("socks5_reply_len", Some(fs_::socks5_reply_len)));
    all.push(("userpass_request_len", Some(fs_::userpass_request_len)));
    all.push(("find_message", Some(fs_::find_message)));
    all.push(("dissect_resync", Some(fs_::dissect_resync)));
    all.push(("access_check", Some(fs_::access_check)));
    all.push(("parse_cidr", Some(fs_::parse_cidr)));
    all.push(("tor_special_name", Some(fs_::tor_special_name)));
    all.push(("udp_reassembler", Some(fs_::udp_reassembler)));
    all.push(("udp_relay_datagram", Some(fs_::udp_relay_datagram)));
    all.push(("owned_events", Some(fs_::owned_events)));
    all.push(("transactions", Some(fs_::transactions)));
    all.push(("dissector_state", Some(fs_::dissector_state)));
    #[cfg(feature = "tokio")]
    all.extend([
        ("tokio_accept", Some(fs_::tokio_accept as Body)),
        ("tokio_connect", Some(fs_::tokio_connect as Body)),
    ]);
    #[cfg(not(feature = "tokio"))]
    all.extend([("tokio_accept", None), ("tokio_connect", None)]);
    #[cfg(feature = "arbitrary")]
    all.extend([
        ("client_handshake", Some(fs_::client_handshake as Body)),
        ("roundtrip", Some(fs_::roundtrip as Body)),
        (
            "dissect_conversation",
            Some(fs_::dissect_conversation as Body),
        ),
    ]);
    // They exist only with the `arbitrary` feature; the name still counts.
    #[cfg(not(feature = "arbitrary"))]
    all.extend([
        ("client_handshake", None),
        ("roundtrip", None),
        ("dissect_conversation", None),
    ]);
    all
}

/// The replay for a fuzz target (directory) name; `None` if there is no such target.
fn replay_for(target: &str) -> Option<Replay> {
    if target.starts_with("ffi_") {
        return Some(Replay::Skip(
            "a C API target: sockswire-ffi's ffi/tests/fuzz_corpus.rs replays it",
        ));
    }
    if target.starts_with("dropin_") {
        return Some(Replay::Skip(
            "a drop-in facade target: compat/tor-socksproto/tests/fuzz_seeds.rs replays it",
        ));
    }
    if target == "differential_proxy_handshake" {
        return Some(Replay::Skip(
            "its body is in fuzz/fuzz_targets/ (tor-socksproto oracle); cargo fuzz replays it",
        ));
    }
    bodies()
        .into_iter()
        .find(|(name, _)| *name == target)
        .map(|(_, body)| match body {
            Some(body) => Replay::Run(body),
            None => Replay::Skip("needs the `arbitrary` or `tokio` feature"),
        })
}

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The subdirectories of `fuzz/<kind>/`, by name.
fn target_dirs(kind: &str) -> Vec<(String, PathBuf)> {
    let Ok(entries) = fs::read_dir(fuzz_dir().join(kind)) else {
        return Vec::new();
    };
    let mut dirs: Vec<_> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect();
    dirs.sort();
    dirs
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs `body` on every file of `dir`; returns (files, accepted), or the failing files.
fn replay_dir(body: Body, dir: &Path) -> Result<(usize, usize), Vec<String>> {
    let mut failures = Vec::new();
    let (mut count, mut accepted) = (0, 0);
    for file in files(dir) {
        let data = fs::read(&file).unwrap();
        count += 1;
        match catch_unwind(AssertUnwindSafe(|| body(&data))) {
            Ok(Some(_)) => accepted += 1,
            Ok(None) => {}
            Err(_) => failures.push(file.display().to_string()),
        }
    }
    if failures.is_empty() {
        Ok((count, accepted))
    } else {
        Err(failures)
    }
}

/// Findings not fixed yet live in `fuzz/regressions/open/<target>/`, outside what the replay
/// (and build.sh's seed corpora) read, each with an `#[ignore]`d regression test; a fix moves
/// the file to `fuzz/regressions/<target>/` and drops the `#[ignore]`.
const OPEN: &str = "open";

/// Replays every directory of `fuzz/<kind>/`; every directory must name a fuzz target.
fn replay_all(kind: &str) -> Vec<(String, usize, usize)> {
    let mut failures = Vec::new();
    let mut seen = Vec::new();
    for (name, dir) in target_dirs(kind) {
        if kind == "regressions" && name == OPEN {
            for (target, dir) in target_dirs(&format!("regressions/{OPEN}")) {
                let n = files(&dir).len();
                eprintln!("fuzz/regressions/{OPEN}/{target}: {n} OPEN findings, not replayed");
            }
            continue;
        }
        match replay_for(&name) {
            None => failures.push(format!("fuzz/{kind}/{name}: no fuzz body of that name")),
            Some(Replay::Skip(why)) => eprintln!("fuzz/{kind}/{name}: skipped: {why}"),
            Some(Replay::Run(body)) => match replay_dir(body, &dir) {
                Ok((n, accepted)) => {
                    eprintln!("fuzz/{kind}/{name}: {n} inputs, {accepted} accepted");
                    seen.push((name, n, accepted));
                }
                Err(files) => failures.extend(files.into_iter().map(|f| format!("{f}: panicked"))),
            },
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    seen
}

#[test]
fn seeds_replay_without_panics() {
    let seen = replay_all("seeds");
    // A seed directory that no input gets through is not exercising its body.
    for (name, n, accepted) in seen {
        assert!(n > 0, "fuzz/seeds/{name} is empty");
        assert!(
            accepted > 0,
            "no seed in fuzz/seeds/{name} is accepted by its body"
        );
    }
}

#[test]
fn regressions_replay_without_panics() {
    replay_all("regressions");
}

#[test]
fn grown_corpus_replays_without_panics() {
    // What the long fuzz runs found beyond the seeds (fuzz/grown/README.md).
    let seen = replay_all("grown");
    let inputs: usize = seen.iter().map(|(_, n, _)| n).sum();
    assert!(inputs >= 500, "fuzz/grown holds only {inputs} inputs");
}

#[test]
fn every_body_has_seeds_and_a_fuzz_target() {
    let seeds: Vec<String> = target_dirs("seeds").into_iter().map(|(n, _)| n).collect();
    for (name, _) in bodies() {
        assert!(seeds.iter().any(|s| s == name), "no fuzz/seeds/{name}/");
        let target = fuzz_dir().join("fuzz_targets").join(format!("{name}.rs"));
        let src =
            fs::read_to_string(&target).unwrap_or_else(|e| panic!("{}: {e}", target.display()));
        assert!(
            src.contains(&format!("fuzz_support::{name}(")),
            "{} does not call fuzz_support::{name}",
            target.display()
        );
    }
}

#[test]
fn every_fuzz_target_has_seeds_and_a_known_body() {
    let manifest = fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
    for file in files(&fuzz_dir().join("fuzz_targets")) {
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        assert!(
            replay_for(&name).is_some(),
            "fuzz target {name} has no body"
        );
        assert!(
            fuzz_dir().join("seeds").join(&name).is_dir(),
            "no fuzz/seeds/{name}/"
        );
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "{name} is not a [[bin]] in fuzz/Cargo.toml"
        );
    }
}

// -------------------------------------------------------------------------------------------
// Regressions: one named test per crash the fuzzer found, each replaying its file in
// fuzz/regressions/<target>/.

/// The bytes of `fuzz/regressions/<target>/<file>`.
fn regression_input(target: &str, file: &str) -> Vec<u8> {
    let path = fuzz_dir().join("regressions").join(target).join(file);
    fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// How our proxy handshake (profile `Arti`) ends on `input` given all at once.
fn proxy_outcome(input: &[u8]) -> Result<&'static str, sockswire::Error> {
    use sockswire::{Buffer, Handshake, NextStep, SocksProxyHandshake};
    let mut hs = SocksProxyHandshake::new();
    let mut buf = Buffer::new();
    let mut left = input;
    loop {
        match hs.step(&mut buf)? {
            NextStep::Send(_) => {}
            NextStep::Recv(mut recv) => {
                if left.is_empty() {
                    return Ok("NeedMore");
                }
                let n = recv.buf().len().min(left.len());
                recv.buf()[..n].copy_from_slice(&left[..n]);
                left = &left[n..];
                recv.note_received(n).unwrap();
            }
            NextStep::Finished(_) => return Ok("Finished"),
        }
    }
}

/// differential_proxy_handshake: a SOCKS5 hostname with a NUL (or not UTF-8) and no port yet.
/// tor-socksproto fails at once (it checks the name before reading the port); we keep to the
/// prefix contract and ask for the port, then fail with `BadHostname`. The fuzz target accepts
/// this difference; this test pins our side of it.
#[test]
fn regression_differential_proxy_handshake_socks5_bad_hostname_before_port() {
    for file in [
        "socks5_nul_hostname_before_port",
        "socks5_non_utf8_hostname_before_port",
    ] {
        let input = regression_input("differential_proxy_handshake", file);
        assert_eq!(proxy_outcome(&input), Ok("NeedMore"), "{file}");
        let whole = [&input[..], &[0x00, 0x50]].concat();
        assert!(
            matches!(proxy_outcome(&whole), Err(sockswire::Error::BadHostname(_))),
            "{file} + port: {:?}",
            proxy_outcome(&whole)
        );
    }
}

/// dissect: a client stream that ends inside a SOCKS4 request (`04 f0`). The `Truncated`
/// anomaly was queued and came out after the direction's `End`, so offsets went backwards.
/// Found by `fuzz/run.sh` in its first seconds on the dissect target.
#[test]
fn regression_dissect_truncated_reported_after_end() {
    let input = regression_input("dissect", "truncated_reported_after_end");
    assert!(sockswire::fuzz_support::dissect(&input).is_some());
    let mut d = sockswire::dissect::Dissector::new();
    drop(d.feed(sockswire::dissect::Direction::ClientToServer, &[4, 0xF0]));
    let mut events = d.finish(sockswire::dissect::Direction::ClientToServer);
    let mut seen = Vec::new();
    while let Some(e) = events.next() {
        seen.push(format!("@{} {}", e.offset, e.kind));
    }
    assert_eq!(
        seen,
        [
            "@0 anomaly: stream ended inside a message",
            "@2 end, 0 payload bytes"
        ]
    );
}

/// dissect: a proxy stream larger than the reassembly buffer while it waits for the client.
/// The `TooLong` paths did not move the offset past the dropped bytes, so the direction ended
/// at offset 0 instead of its length (2053).
#[test]
fn regression_dissect_server_end_offset() {
    let input = regression_input("dissect", "server_end_offset");
    assert!(sockswire::fuzz_support::dissect(&input).is_some());
}

/// The events of a conversation fed as `(direction, bytes)` calls, then finished, as text.
fn dissect_calls(calls: &[(sockswire::dissect::Direction, &[u8])]) -> Vec<String> {
    use sockswire::dissect::{Direction, Dissector};
    let mut d = Dissector::new();
    let mut seen = Vec::new();
    for &(dir, bytes) in calls {
        d.feed(dir, bytes)
            .for_each(|e| seen.push(format!("{} @{} {}", e.dir.short(), e.offset, e.kind)));
    }
    for dir in [Direction::ClientToServer, Direction::ServerToClient] {
        d.finish(dir)
            .for_each(|e| seen.push(format!("{} @{} {}", e.dir.short(), e.offset, e.kind)));
    }
    seen
}

/// dissect_conversation: GSS-API chosen, then BIND, with the proxy's bytes captured before the
/// client's request. The proxy's first reply was decoded before the client's request (the
/// wait for the request that `ServerReply` has was missing after GSS-API), so BIND's second
/// reply was taken for tunnelled payload. Found by `dissect_conversation` in its first
/// seconds (its input: GSS-API chosen, no token exchanged); fixed on main by the dissector's
/// owner. Fed client first, the same bytes always decoded right.
#[test]
fn regression_dissect_conversation_gssapi_bind_proxy_first() {
    let input = regression_input("dissect_conversation", "gssapi_bind_proxy_first");
    let body = catch_unwind(|| sockswire::fuzz_support::dissect_conversation(&input));
    assert!(body.is_ok(), "the fuzz body fails on the fuzzer's input");
    use sockswire::dissect::Direction::{ClientToServer as C, ServerToClient as S};
    let client: &[u8] = &[
        /*greeting*/ 5, 1, 1, /*gssapi*/ 1, 1, 0, 1, 0xAA, /*BIND*/ 5, 2, 0, 1, 10,
        0, 0, 1, 0x1F, 0x90,
    ];
    let server: &[u8] = &[
        /*choice*/ 5, 1, /*gssapi*/ 1, 1, 0, 1, 0xBB, /*reply*/ 5, 0, 0, 1, 10, 0,
        0, 2, 0x04, 0x38, /*second reply*/ 5, 0, 0, 1, 10, 0, 0, 3, 0xC0, 0x01,
    ];
    let client_first = dissect_calls(&[(C, client), (S, server)]);
    let server_first = dissect_calls(&[(S, server), (C, client)]);
    let kinds = |events: &[String], dir: &str| -> Vec<String> {
        events
            .iter()
            .filter(|e| e.starts_with(dir) && !e.contains("anomaly"))
            .cloned()
            .collect()
    };
    assert!(
        client_first.iter().any(|e| e.contains("BIND second reply")),
        "{client_first:#?}"
    );
    assert_eq!(kinds(&server_first, "s2c"), kinds(&client_first, "s2c"));
}

/// dissector_state: after a gap inside the handshake the direction resynchronises, but
/// `payload_index` counted the segment's start in bytes fed, without the gap, while
/// `payload_offset` counts stream offsets, with it: the index came out too large by the gap's
/// length, so `&segment[index..]` skipped the first payload bytes (here 13 where the payload
/// starts at 8) or was `None`. Fixed: a gap moves the stream position too. Found by the
/// contract sweep's random inputs through the `dissector_state` body, then by that fuzz target
/// in 3,600 executions; `fuzz/regressions/dissector_state/payload_index_after_gap_resync` is
/// the fuzzer's input minimised (`-minimize_crash=1`, 100 to 54 bytes).
#[test]
fn regression_dissector_state_payload_index_after_gap_resync() {
    use sockswire::dissect::{Direction, Dissector};
    let input = regression_input("dissector_state", "payload_index_after_gap_resync");
    let body = catch_unwind(|| sockswire::fuzz_support::dissector_state(&input));
    let mut d = Dissector::new();
    d.feed(
        Direction::ClientToServer,
        &[4, 1, 0, 0x50, 0x7F, 0, 0, 1, 0],
    )
    .for_each(|_| {});
    assert!(d.gap(Direction::ServerToClient, 5).is_some());
    let seg = b"\x00\x5a\x00\x50\x7f\x00\x00\x01HELLO WORLD";
    d.feed(Direction::ServerToClient, seg).for_each(|_| {});
    assert_eq!(d.payload_offset(Direction::ServerToClient), Some(13));
    assert_eq!(
        d.payload_index(Direction::ServerToClient),
        Some(8),
        "&seg[8..] is HELLO WORLD"
    );
    assert!(body.is_ok(), "the fuzz body fails on the sweep's input");
}

/// dissector_state: a BIND whose second reply refuses the incoming connection left the
/// conversation's `failed` flag unset, so the proxy's direction was `Refused` until more bytes
/// (or a gap) came, and then `NotDecoded`: the refusal was forgotten. Fixed: a failed second
/// reply fails the request as a failed first reply does (SOCKS5 and SOCKS4). Found by the
/// `dissector_state` target (mid-stream capture, BIND request found by resynchronisation) in
/// its first 2 minutes of the December long run, three times;
/// `fuzz/regressions/dissector_state/bind_second_reply_refused_then_data` is its input
/// minimised (`-minimize_crash=1`, 112 to 50 bytes).
#[test]
fn regression_dissector_state_bind_second_reply_refused_then_data() {
    use sockswire::dissect::{Anomaly, Dissector, EventKind, Phase};
    use sockswire::dissect::{Direction::ClientToServer as C, Direction::ServerToClient as S};
    let input = regression_input("dissector_state", "bind_second_reply_refused_then_data");
    let body = catch_unwind(|| sockswire::fuzz_support::dissector_state(&input));
    // SOCKS5: greeting, choice, BIND, first reply granted, second reply 0x05 (refused).
    let mut d = Dissector::new();
    d.feed(C, b"\x05\x01\x00\x05\x02\x00\x01\x0a\x00\x00\x01\x1f\x90")
        .for_each(|_| {});
    d.feed(S, b"\x05\x00\x05\x00\x00\x01\x0a\x00\x00\x02\x04\x38")
        .for_each(|_| {});
    assert_eq!(d.phase(S), Phase::Handshake, "waiting for the second reply");
    d.feed(S, b"\x05\x05\x00\x01\x00\x00\x00\x00\x00\x00")
        .for_each(|_| {});
    assert_eq!(d.phase(S), Phase::Refused);
    let mut kinds = Vec::new();
    d.feed(S, b"junk")
        .for_each(|e| kinds.push(e.kind.to_string()));
    assert_eq!(kinds, ["anomaly: data after a failed handshake"]);
    assert_eq!(d.phase(S), Phase::Refused, "still refused after more bytes");
    // SOCKS4: BIND granted, then the second reply 0x5B (rejected), then a gap.
    let mut d = Dissector::new();
    d.feed(C, b"\x04\x02\x1f\x90\x0a\x00\x00\x01\x00")
        .for_each(|_| {});
    d.feed(
        S,
        b"\x00\x5a\x04\x38\x0a\x00\x00\x02\x00\x5b\x00\x00\x00\x00\x00\x00",
    )
    .for_each(|_| {});
    assert_eq!(d.phase(S), Phase::Refused);
    let gap = d.gap(S, 7).map(|e| e.kind);
    assert_eq!(gap, Some(EventKind::Anomaly(Anomaly::Gap(7))));
    assert_eq!(d.phase(S), Phase::Refused, "still refused after a gap");
    assert!(body.is_ok(), "the fuzz body fails on the fuzzer's input");
}

/// dissector_state: once the proxy refused, a gap in the client's direction (still inside its
/// handshake) sent that direction back to resynchronising, so its phase went from `Refused` to
/// `Resynchronising`, against `Dissector::phase`'s promise that a refusal holds for both
/// directions (made in the same session, 24cb68d). Fixed: after a refusal a gap stops
/// decoding in either direction (as it already did in the proxy's) and `phase` puts the refusal
/// first. Found by the `dissector_state` target 15 s into its next long run, on the first
/// binary built with 24cb68d; `fuzz/regressions/dissector_state/client_gap_after_refusal` is
/// its input minimised (`-minimize_crash=1`, 718 to 24 bytes).
#[test]
fn regression_dissector_state_client_gap_after_refusal() {
    use sockswire::dissect::{Anomaly, Dissector, EventKind, Phase};
    use sockswire::dissect::{Direction::ClientToServer as C, Direction::ServerToClient as S};
    let input = regression_input("dissector_state", "client_gap_after_refusal");
    let body = catch_unwind(|| sockswire::fuzz_support::dissector_state(&input));
    let mut d = Dissector::new();
    d.feed(C, b"\x05\x01\x00").for_each(|_| {});
    d.feed(S, b"\x05\xff").for_each(|_| {});
    assert_eq!((d.phase(C), d.phase(S)), (Phase::Refused, Phase::Refused));
    let gap = d.gap(C, 3).map(|e| e.kind);
    assert_eq!(gap, Some(EventKind::Anomaly(Anomaly::Gap(3))));
    assert_eq!(d.phase(C), Phase::Refused, "still refused after a gap");
    let mut kinds = Vec::new();
    d.feed(C, b"\x05\x01\x00\x01\x7f\x00\x00\x01\x00\x50")
        .for_each(|e| kinds.push(e.kind.to_string()));
    assert_eq!(kinds, Vec::<String>::new(), "nothing decoded after the gap");
    assert_eq!(d.phase(C), Phase::Refused);
    // Mid-stream: the client's direction resynchronises from the start; a refusal found in the
    // proxy's direction is the conversation's, so the client's phase says so too.
    let mut options = sockswire::dissect::DissectOptions::default();
    options.mid_stream = true;
    let mut d = Dissector::with_storage([0; 64], [0; 64], options);
    d.feed(S, b"\x05\x00\x05\x05\x00\x01\x00\x00\x00\x00\x00\x00")
        .for_each(|_| {});
    assert_eq!((d.phase(C), d.phase(S)), (Phase::Refused, Phase::Refused));
    assert!(body.is_ok(), "the fuzz body fails on the fuzzer's input");
}

/// dissect_conversation: the same bug as
/// `regression_dissector_state_bind_second_reply_refused_then_data` (a refused BIND second
/// reply did not fail the request, so the proxy's phase went from `Refused` to `NotDecoded`),
/// found again by the structure-aware target 20 minutes into its December long run, on a
/// binary built before the fix. Its 45-byte input, as libFuzzer wrote it.
#[test]
fn regression_dissect_conversation_bind_second_reply_refused() {
    let input = regression_input("dissect_conversation", "bind_second_reply_refused");
    let body = catch_unwind(|| sockswire::fuzz_support::dissect_conversation(&input));
    assert!(body.is_ok(), "the fuzz body fails on the fuzzer's input");
}
