//! Whole proxy and client handshakes in both read modes.

use super::*;

/// Proxy handshakes for `input` in both read modes: ours, tor and floor side by side.
fn proxy_cases(v: &mut impl Visit, g: &'static str, input: &'static [u8]) {
    let len = input.len();
    v.case(case(g, "eager", OURS, len), || {
        let mut buf = sockswire::Buffer::new();
        move || {
            let mut hs = SocksProxyHandshake::new();
            drive_ours(&mut hs, &mut buf, black_box(input))
                .decision
                .fingerprint()
        }
    });
    v.case(case(g, "eager", TOR, len), || {
        let mut buf = tor_socksproto::Buffer::new();
        move || {
            let mut hs = tor_socksproto::SocksProxyHandshake::new();
            drive_tor(&mut hs, &mut buf, black_box(input))
                .decision
                .fingerprint()
        }
    });
    v.case(case(g, "eager", FLOOR, len), || {
        let mut buf = [0; 1024];
        move || {
            floor::proxy::<false>(&mut buf, black_box(input))
                .expect("floor decides")
                .fingerprint()
        }
    });
    v.case(case(g, "precise", OURS, len), || {
        let mut buf = sockswire::Buffer::new_precise();
        move || {
            let mut hs = SocksProxyHandshake::new();
            drive_ours(&mut hs, &mut buf, black_box(input))
                .decision
                .fingerprint()
        }
    });
    v.case(case(g, "precise", TOR, len), || {
        let mut buf = tor_socksproto::Buffer::new_precise();
        move || {
            let mut hs = tor_socksproto::SocksProxyHandshake::new();
            drive_tor(&mut hs, &mut buf, black_box(input))
                .decision
                .fingerprint()
        }
    });
    v.case(case(g, "precise", FLOOR, len), || {
        let mut buf = [0; 1024];
        move || {
            floor::proxy::<true>(&mut buf, black_box(input))
                .expect("floor decides")
                .fingerprint()
        }
    });
}

/// Client handshakes (no auth, CONNECT example.com:443) in both read modes: `version` picks
/// SOCKS5 or SOCKS4a, `input` is what the proxy answers, `storage` makes our receive
/// buffer's storage (a type of its own per scenario: see `drive_ours`), `floor` the floor's
/// client (buffer, server bytes, host, port, precise), a closure so that it is inlined.
fn client_cases<S: sockswire::Storage + 'static>(
    v: &mut impl Visit,
    g: &'static str,
    version: SocksVersion,
    input: &'static [u8],
    storage: impl Fn() -> S + Copy + 'static,
    floor: impl Fn(&mut [u8], &[u8], &str, u16, bool) -> Option<crate::drive::Decision> + Copy,
) {
    let len = input.len();
    let req = fx::client_request(version);
    let tor_version = match version {
        SocksVersion::V4 => tor_socksproto::SocksVersion::V4,
        _ => tor_socksproto::SocksVersion::V5,
    };
    for (scenario, precise) in [("eager", false), ("precise", true)] {
        v.case(case(g, scenario, OURS, len), || {
            let mut eager = sockswire::Buffer::<(), S>::with_storage(storage());
            let mut precise_buf =
                sockswire::Buffer::<sockswire::PreciseReads, S>::with_storage(storage());
            move || {
                let mut hs = SocksClientHandshake::new(black_box(req));
                let d = if precise {
                    drive_ours(&mut hs, &mut precise_buf, black_box(input))
                } else {
                    drive_ours(&mut hs, &mut eager, black_box(input))
                };
                d.decision.fingerprint()
            }
        });
        v.case(case(g, scenario, TOR, len), || {
            let req = fx::tor_client_request(tor_version);
            let mut eager = tor_socksproto::Buffer::new();
            let mut precise_buf = tor_socksproto::Buffer::new_precise();
            move || {
                let mut hs = tor_socksproto::SocksClientHandshake::new(black_box(&req).clone());
                let d = if precise {
                    drive_tor(&mut hs, &mut precise_buf, black_box(input))
                } else {
                    drive_tor(&mut hs, &mut eager, black_box(input))
                };
                d.decision.fingerprint()
            }
        });
        v.case(case(g, scenario, FLOOR, len), || {
            let mut buf = [0; 1024];
            move || {
                let (host, port) = black_box((fx::CLIENT_HOST, fx::CLIENT_PORT));
                floor(&mut buf, black_box(input), host, port, precise)
                    .expect("floor decides")
                    .fingerprint()
            }
        });
    }
}

/// Full handshakes: the seven proxy and client scenarios, each in eager and precise
/// read modes.
pub fn handshake_cases(v: &mut impl Visit) {
    proxy_cases(v, "proxy_socks5_domain", &fx::PROXY_SOCKS5_DOMAIN);
    proxy_cases(
        v,
        "proxy_socks5_userpass_ipv6",
        &fx::PROXY_SOCKS5_USERPASS_IPV6,
    );
    proxy_cases(v, "proxy_socks4a", &fx::PROXY_SOCKS4A);
    proxy_cases(v, "proxy_socks4", &fx::SOCKS4_IPV4);
    proxy_cases(v, "proxy_socks5_resolve_ptr", &fx::PROXY_SOCKS5_RESOLVE_PTR);
    client_cases(
        v,
        "client_socks5_domain",
        SocksVersion::V5,
        &fx::CLIENT_SOCKS5_SERVER_BYTES,
        || [0; sockswire::SOCKS_BUF_LEN],
        |buf, input, host, port, precise| {
            if precise {
                floor::client::<true>(buf, input, host, port)
            } else {
                floor::client::<false>(buf, input, host, port)
            }
        },
    );
    client_cases(
        v,
        "client_socks4a_domain",
        SocksVersion::V4,
        &fx::CLIENT_SOCKS4_SERVER_BYTES,
        // 512 bytes: an 8-byte reply needs no more, and the type keeps this loop apart.
        || [0; 512],
        |buf, input, host, port, precise| {
            if precise {
                floor::client_socks4::<true>(buf, input, host, port)
            } else {
                floor::client_socks4::<false>(buf, input, host, port)
            }
        },
    );

    // What a fresh receive buffer per handshake adds (tor-socksproto allocates it).
    let (g, scenario) = ("proxy_socks5_domain", "eager_new_buffer");
    let input: &'static [u8] = &fx::PROXY_SOCKS5_DOMAIN;
    v.case(case(g, scenario, OURS, input.len()), || {
        move || {
            let mut buf = black_box(sockswire::Buffer::new());
            let mut hs = SocksProxyHandshake::new();
            drive_ours(&mut hs, &mut buf, black_box(input))
                .decision
                .fingerprint()
        }
    });
    v.case(case(g, scenario, TOR, input.len()), || {
        move || {
            let mut buf = tor_socksproto::Buffer::new();
            let mut hs = tor_socksproto::SocksProxyHandshake::new();
            drive_tor(&mut hs, &mut buf, black_box(input))
                .decision
                .fingerprint()
        }
    });
    v.case(case(g, scenario, FLOOR, input.len()), || {
        move || {
            let mut buf = black_box([0; 1024]);
            floor::proxy::<false>(&mut buf, black_box(input))
                .expect("floor decides")
                .fingerprint()
        }
    });
}
