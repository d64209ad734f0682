//! Streams of back-to-back requests, with and without a proxy's checks.

use super::*;

/// What a stream decoder adds up per request: the same for every implementation.
#[inline]
fn tally(d: &Decision) -> u64 {
    u64::from(d.code) + u64::from(d.port) + d.host as u64 + (d.ip as u64 ^ (d.ip >> 64) as u64)
}

/// The scenario name of a stream decoded with a proxy's checks.
fn checked_scenario(kind: StreamKind) -> &'static str {
    match kind {
        StreamKind::Domain => "domain_checked",
        StreamKind::Mixed => "mixed_checked",
    }
}

/// Back-to-back SOCKS5 requests decoded in a loop.
pub fn stream_cases(v: &mut impl Visit) {
    let g = "stream_socks5_requests";
    for (scenario, kind) in [("domain", StreamKind::Domain), ("mixed", StreamKind::Mixed)] {
        let (len, units) = {
            let (data, units) = fx::stream(kind);
            (data.len(), units)
        };
        let stream_case = |imp| Case {
            units,
            ..case(g, scenario, imp, len)
        };
        v.case(stream_case(OURS), || {
            let (data, _) = fx::stream(kind);
            move || {
                let mut rest = black_box(&data[..]);
                let mut acc = 0u64;
                while !rest.is_empty() {
                    let (next, r) = parse_socks5_request(rest).expect("parses");
                    acc = acc.wrapping_add(tally(&frame_decision(r.command.0, &r.addr, r.port, 0)));
                    rest = next;
                }
                acc
            }
        });
        v.case(stream_case(FLOOR), || {
            let (data, _) = fx::stream(kind);
            move || {
                let mut rest = black_box(&data[..]);
                let mut acc = 0u64;
                while !rest.is_empty() {
                    let (r, n) = floor::socks5_request(rest).expect("parses");
                    acc = acc.wrapping_add(tally(&floor_frame_decision(&r, 0)));
                    rest = &rest[n..];
                }
                acc
            }
        });
        // The same two with a proxy's checks on every request (command, port, hostname).
        let checked_case = |imp| Case {
            units,
            ..case(g, checked_scenario(kind), imp, len)
        };
        v.case(checked_case(OURS), || {
            let (data, _) = fx::stream(kind);
            move || {
                let mut rest = black_box(&data[..]);
                let mut acc = 0u64;
                while !rest.is_empty() {
                    let (next, r) = parse_socks5_request(rest).expect("parses");
                    acc = acc.wrapping_add(tally(&checked_decision(&r, 0)));
                    rest = next;
                }
                acc
            }
        });
        v.case(checked_case(FLOOR), || {
            let (data, _) = fx::stream(kind);
            move || {
                let mut rest = black_box(&data[..]);
                let mut acc = 0u64;
                while !rest.is_empty() {
                    let (r, n) = floor::socks5_request(rest).expect("parses");
                    acc = acc.wrapping_add(tally(&floor_checked_decision(&r, 0)));
                    rest = &rest[n..];
                }
                acc
            }
        });
        // Our proxy handshake, primed past the greeting and cloned per request.
        v.case(stream_case("ours_step"), || {
            let (data, _) = fx::stream(kind);
            let mut primed = SocksProxyHandshake::new();
            prime_ours(&mut primed, &fx::GREETING_NO_AUTH);
            let mut buf = sockswire::Buffer::new_precise();
            move || {
                let mut rest = black_box(&data[..]);
                let mut acc = 0u64;
                while !rest.is_empty() {
                    let mut hs = primed.clone();
                    let d = drive_ours(&mut hs, &mut buf, rest);
                    acc = acc.wrapping_add(tally(&d.decision));
                    rest = &rest[d.consumed..];
                }
                acc
            }
        });
        // tor-socksproto has no request parser of its own: its proxy handshake, primed past
        // the greeting and cloned per request, with precise reads (so nothing is read past a
        // request) or eager ones (a 1 KiB read, then its memmove of the rest).
        for (imp, precise) in [(TOR, true), ("tor_eager", false)] {
            v.case(stream_case(imp), || {
                let (data, _) = fx::stream(kind);
                let primed = tor_proxy_after(&fx::GREETING_NO_AUTH);
                let mut eager = tor_socksproto::Buffer::new();
                let mut precise_buf = tor_socksproto::Buffer::new_precise();
                move || {
                    let mut rest = black_box(&data[..]);
                    let mut acc = 0u64;
                    while !rest.is_empty() {
                        let mut hs = primed.clone();
                        let d = if precise {
                            drive_tor(&mut hs, &mut precise_buf, rest)
                        } else {
                            drive_tor(&mut hs, &mut eager, rest)
                        };
                        acc = acc.wrapping_add(tally(&d.decision));
                        rest = &rest[d.consumed..];
                    }
                    acc
                }
            });
        }
    }
}
