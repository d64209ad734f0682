//! The differential harness shared by `tests/differential.rs` (proxy side, request
//! construction) and `tests/differential_client.rs`: outcome classes, the comparison of one
//! run of each crate, the tally of verdicts, and the report that minimises unexplained
//! differences.

#![allow(dead_code)]

use std::collections::BTreeMap;

use crate::drive::{End, Run, drive};
use crate::drive_tor::{TorEnd, TorRun, drive_tor};
use crate::minimise::minimise;
use crate::owned::*;
use sockswire as sw;
use tor_socksproto as tor;

/// Bytes per read: all at once, then 1, 7 and 100.
pub const CHUNKS: [usize; 4] = [usize::MAX, 1, 7, 100];

/// Generated proxy-side inputs (plus a cut-off copy of 40% of them; each run 8 ways, see
/// [`LONG_INPUT`]).
pub const PROXY_SEEDS: usize = 6000;
/// Generated client-side requests (each with one or two server streams, run 8 ways).
pub const CLIENT_SEEDS: usize = 10_000;

// ---------------------------------------------------------------------------------------------
// Outcome classes.

/// tor-socksproto's error variant.
pub fn tor_class(e: &tor::Error) -> &'static str {
    match e {
        tor::Error::Syntax => "Syntax",
        tor::Error::Decode(_) => "Decode",
        tor::Error::BadProtocol(_) => "BadProtocol",
        tor::Error::NotImplemented(_) => "NotImplemented",
        tor::Error::AlreadyFinished(_) => "AlreadyFinished",
        tor::Error::AuthRejected => "AuthRejected",
        tor::Error::MessageTooLong { .. } => "MessageTooLong",
        tor::Error::UnexpectedEof => "UnexpectedEof",
        tor::Error::ForbiddenPipelining => "ForbiddenPipelining",
        tor::Error::Bug(_) => "Bug",
        _ => "(unknown tor error)",
    }
}

/// tor-socksproto's error variant for one of ours (as in `tests/handshake_tor_vectors.rs`).
/// Errors tor has no counterpart for get their own name, so they never compare equal.
pub fn our_class(e: &sw::Error) -> &'static str {
    use sw::Unrepresentable as U;
    match e {
        sw::Error::BadProtocol(_) => "BadProtocol",
        sw::Error::UnexpectedMessage { .. }
        | sw::Error::NotAllowed(sw::Refusal::PortZero)
        | sw::Error::MethodNotOffered(_)
        | sw::Error::Unrepresentable(
            U::UsernameOverSocks4
            | U::UseridOverSocks5
            | U::NulInUserid { .. }
            | U::CredentialTooLong { .. },
        ) => "Syntax",
        // tor-socksproto reports a bad SOCKS5 hostname (not UTF-8, or with a NUL) as Decode,
        // a non-UTF-8 SOCKS4a one as Syntax (`our_socks4_class`).
        sw::Error::BadHostname(_) => "Decode",
        sw::Error::Decode(_) => "Decode",
        sw::Error::NoAcceptableMethod
        | sw::Error::CommandNotSupported(_)
        | sw::Error::UnsupportedMethod(_) => "NotImplemented",
        sw::Error::MessageTooLong { .. } => "MessageTooLong",
        sw::Error::AuthRejected => "AuthRejected",
        sw::Error::UnexpectedEof => "UnexpectedEof",
        sw::Error::ForbiddenPipelining => "ForbiddenPipelining",
        sw::Error::NotAllowed(_) => "ours-only NotAllowed",
        sw::Error::BadCredentials => "ours-only BadCredentials",
        sw::Error::Unrepresentable(_) => "ours-only Unrepresentable",
        sw::Error::AlreadyFinished => "ours-only AlreadyFinished",
        sw::Error::AlreadyFailed => "ours-only AlreadyFailed",
        sw::Error::ReceivedPastRoom { .. } => "ours-only ReceivedPastRoom",
        _ => "ours-only (unknown error)",
    }
}

/// [`our_class`] for a SOCKS4 input: tor reports a non-UTF-8 SOCKS4a hostname as Syntax.
pub fn our_socks4_class(e: &sw::Error) -> &'static str {
    match e {
        sw::Error::BadHostname(sw::HostnameProblem::NotUtf8) => "Syntax",
        e => our_class(e),
    }
}

/// The class function for a proxy input, by its first byte.
pub fn proxy_class(input: &[u8]) -> fn(&sw::Error) -> &'static str {
    if input.first() == Some(&4) {
        our_socks4_class
    } else {
        our_class
    }
}

/// Client side: a wrong version byte in a reply is our `BadVersion`, tor's `Syntax`.
pub fn our_client_class(e: &sw::Error) -> &'static str {
    match e {
        sw::Error::Decode(sw::WireError::BadVersion { .. }) => "Syntax",
        e => our_class(e),
    }
}

pub fn tor_label<O>(end: &TorEnd<O>) -> String {
    match end {
        TorEnd::Finished(..) => "Finished".to_string(),
        TorEnd::NeedMore => "NeedMore".to_string(),
        TorEnd::Error(e) => format!("Error({})", tor_class(e)),
    }
}

pub fn our_label<O>(end: &End<O>, class: fn(&sw::Error) -> &'static str) -> String {
    match end {
        End::Finished(..) => "Finished".to_string(),
        End::NeedMore => "NeedMore".to_string(),
        End::Error(e) => format!("Error({})", class(e)),
    }
}

/// Compares two runs: `Ok(outcome class)` if they agree, otherwise a short signature of the
/// first difference (same kind of difference, same signature) and the details.
pub fn compare<O: Output>(
    ours: &Run<O>,
    tors: &TorRun<O>,
    class: fn(&sw::Error) -> &'static str,
) -> Result<String, (String, String)> {
    let ol = our_label(&ours.end, class);
    let tl = tor_label(&tors.end);
    if ol != tl {
        let detail = format!(
            "ours {ol} ({}), tor {tl} ({})",
            end_detail(&ours.end),
            tor_end_detail(&tors.end)
        );
        return Err((format!("outcome: ours {ol}, tor {tl}"), detail));
    }
    if ours.sent != tors.sent {
        return Err((
            format!("sent bytes differ ({tl})"),
            format!(
                "ours sent {}, tor sent {}",
                hex(&ours.sent),
                hex(&tors.sent)
            ),
        ));
    }
    if let (End::Finished(a, ra), TorEnd::Finished(b, rb)) = (&ours.end, &tors.end) {
        if a != b {
            let (field, detail) = a.diff(b).unwrap_or_default();
            return Err((format!("output field {field} differs"), detail));
        }
        if ra != rb {
            return Err((
                "leftover bytes differ".to_string(),
                format!("ours {}, tor {}", hex(ra), hex(rb)),
            ));
        }
    }
    Ok(tl)
}

pub fn end_detail<O>(end: &End<O>) -> String {
    match end {
        End::Error(e) => format!("{e:?}"),
        End::Finished(_, rest) => format!("rest {}", hex(rest)),
        End::NeedMore => String::new(),
    }
}

pub fn tor_end_detail<O>(end: &TorEnd<O>) -> String {
    match end {
        TorEnd::Error(e) => format!("{e:?}"),
        TorEnd::Finished(_, rest) => format!("rest {}", hex(rest)),
        TorEnd::NeedMore => String::new(),
    }
}

pub enum Verdict {
    Match(String),
    Known(&'static str),
    Unexplained { signature: String, detail: String },
}

/// What one side of the test saw.
#[derive(Default)]
pub struct Stats {
    pub inputs: usize,
    pub runs: usize,
    pub outcomes: BTreeMap<String, usize>,
    pub known: BTreeMap<&'static str, usize>,
    /// Signature → how often, and the first input that showed it.
    pub unexplained: BTreeMap<String, Finding>,
}

pub struct Finding {
    pub count: usize,
    /// Index of the input (proxy) or of the request and server stream (client).
    pub case: usize,
    pub input: Vec<u8>,
    pub chunk: usize,
    pub precise: bool,
    pub detail: String,
}

impl Stats {
    /// Stats that list every known kind of difference, seen or not.
    pub fn new(known: &[&'static str]) -> Self {
        Stats {
            known: known.iter().map(|k| (*k, 0)).collect(),
            ..Stats::default()
        }
    }

    pub fn record(&mut self, v: Verdict, case: usize, input: &[u8], chunk: usize, precise: bool) {
        self.runs += 1;
        match v {
            Verdict::Match(label) => *self.outcomes.entry(label).or_default() += 1,
            Verdict::Known(kind) => *self.known.entry(kind).or_default() += 1,
            Verdict::Unexplained { signature, detail } => {
                self.unexplained
                    .entry(signature)
                    .or_insert_with(|| Finding {
                        count: 0,
                        case,
                        input: input.to_vec(),
                        chunk,
                        precise,
                        detail,
                    })
                    .count += 1;
            }
        }
    }

    pub fn summary(&self, side: &str, elapsed: std::time::Duration) -> String {
        format!(
            "differential {side}: {} inputs, {} runs in {:.1?}; matching outcomes {:?}; \
             known differences {:?}; unexplained differences {}",
            self.inputs,
            self.runs,
            elapsed,
            self.outcomes,
            self.known,
            self.unexplained.values().map(|f| f.count).sum::<usize>()
        )
    }
}

/// Ours after a failed run: poisoned, where tor's would repeat the error (so only the first
/// error is compared).
pub fn assert_poisoned<H: sw::Handshake, P: sw::ReadPrecision, O>(
    hs: &mut H,
    buf: &mut sw::Buffer<P>,
    run: &Run<O>,
) {
    if let End::Error(e) = &run.end {
        let again = hs.step(buf).err();
        assert_eq!(again, Some(sw::Error::AlreadyFailed), "after {e:?}");
    }
}

/// Drives our handshake and tor's over the same input.
pub fn run_both<H: sw::Handshake, T: tor::Handshake, O>(
    mut ours: H,
    mut tors: T,
    input: &[u8],
    chunk: usize,
    precise: bool,
    own_ours: impl for<'b> Fn(H::Output<'b>) -> O,
    own_tors: impl Fn(T::Output) -> O,
) -> (Run<O>, TorRun<O>) {
    let ours = if precise {
        let mut buf = sw::Buffer::new_precise();
        let run = drive(&mut ours, &mut buf, input, chunk, own_ours);
        assert_poisoned(&mut ours, &mut buf, &run);
        assert_eq!(run.read_ahead, 0, "a precise buffer read ahead");
        run
    } else {
        let mut buf = sw::Buffer::new();
        let run = drive(&mut ours, &mut buf, input, chunk, own_ours);
        assert_poisoned(&mut ours, &mut buf, &run);
        run
    };
    let tors = if precise {
        let run = drive_tor(
            &mut tors,
            &mut tor::Buffer::new_precise(),
            input,
            chunk,
            own_tors,
        );
        assert_eq!(run.read_ahead, 0, "tor's precise buffer read ahead");
        run
    } else {
        drive_tor(&mut tors, &mut tor::Buffer::new(), input, chunk, own_tors)
    };
    (ours, tors)
}

/// Prints and minimises every unexplained difference; returns how many kinds there were.
/// `judge` re-runs a finding's case and configuration on another input.
pub fn report(
    side: &str,
    stats: &Stats,
    describe: impl Fn(&Finding) -> String,
    judge: impl Fn(&Finding, &[u8]) -> Verdict,
) -> usize {
    let unexplained = |f: &Finding, input: &[u8]| match judge(f, input) {
        Verdict::Unexplained { signature, detail } => Some((signature, detail)),
        _ => None,
    };
    for (signature, f) in &stats.unexplained {
        let min = minimise(&f.input, |candidate| {
            unexplained(f, candidate).is_some_and(|(s, _)| s == *signature)
        });
        let min_detail = unexplained(f, &min).map(|(_, d)| d).unwrap_or_default();
        eprintln!(
            "UNEXPLAINED {side} difference [{signature}] x{}: chunk {} precise {}\n  \
             {}\n  input     {}\n    {}\n  minimised {}\n    {min_detail}",
            f.count,
            f.chunk,
            f.precise,
            describe(f),
            hex(&f.input),
            f.detail,
            hex(&min),
        );
    }
    stats.unexplained.len()
}

/// Inputs longer than this run in precise mode at one chunking only: a precise buffer reads
/// NUL-terminated fields one byte per step whatever the chunking, and each step re-parses the
/// message (in both crates), so the other chunkings would cost quadratic time for nothing.
pub const LONG_INPUT: usize = 512;

/// Runs every input at every chunking in both read modes (see [`LONG_INPUT`]).
pub fn run_all(stats: &mut Stats, inputs: &[&[u8]], judge: impl Fn(usize, usize, bool) -> Verdict) {
    for (case, input) in inputs.iter().enumerate() {
        stats.inputs += 1;
        for chunk in CHUNKS {
            for precise in [false, true] {
                if precise && input.len() > LONG_INPUT && chunk != usize::MAX {
                    continue;
                }
                stats.record(judge(case, chunk, precise), case, input, chunk, precise);
            }
        }
    }
}
