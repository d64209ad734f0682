//! The wire parsers, ours beside tor-socksproto (through its primed handshake) and the floor.

use super::*;

/// Wire parsers and encoders: one group per message family, plus `encode`.
pub fn wire_cases(v: &mut impl Visit) {
    // SOCKS4/4a requests.
    for (scenario, bytes) in [
        ("socks4", &fx::SOCKS4_IPV4[..]),
        ("socks4a", &fx::PROXY_SOCKS4A[..]),
    ] {
        let g = "parse_socks4_request";
        v.case(case(g, scenario, OURS, bytes.len()), || {
            move || {
                let input = black_box(bytes);
                let (rest, r) = parse_socks4_request(input).expect("parses");
                let (host, ip) = match r.hostname {
                    Some(h) => (h.len(), 0),
                    None => (0, ipv4_bits(r.ip.octets())),
                };
                Decision {
                    code: r.command.0,
                    port: r.port,
                    host,
                    ip,
                    user: r.userid.len(),
                    n: consumed(input, rest),
                    ..Decision::default()
                }
                .fingerprint()
            }
        });
        v.case(case(g, scenario, FLOOR, bytes.len()), || {
            move || {
                let (r, n) = floor::socks4_request(black_box(bytes)).expect("parses");
                let (host, ip) = match r.host {
                    Some(h) => (h.len(), 0),
                    None => (0, ipv4_bits(r.ip)),
                };
                Decision {
                    code: r.cmd,
                    port: r.port,
                    host,
                    ip,
                    user: r.userid.len(),
                    n,
                    ..Decision::default()
                }
                .fingerprint()
            }
        });
        v.case(case(g, scenario, TOR, bytes.len()), || {
            let mut buf = tor_socksproto::Buffer::new();
            move || {
                let mut hs = tor_socksproto::SocksProxyHandshake::new();
                let d = drive_tor(&mut hs, &mut buf, black_box(bytes));
                Decision {
                    n: d.consumed,
                    ..d.decision
                }
                .fingerprint()
            }
        });
    }

    // SOCKS5 greetings.
    for (scenario, bytes) in [
        ("no_auth", &fx::GREETING_NO_AUTH[..]),
        ("two_methods", &fx::GREETING_TWO_METHODS[..]),
    ] {
        let g = "parse_socks5_greeting";
        v.case(case(g, scenario, OURS, bytes.len()), || {
            move || {
                let input = black_box(bytes);
                let (rest, gr) = parse_socks5_greeting(input).expect("parses");
                let code = pick(
                    gr.offers(Method::USERNAME_PASSWORD),
                    gr.offers(Method::NO_AUTH),
                );
                Decision {
                    code,
                    n: consumed(input, rest),
                    ..Decision::default()
                }
                .fingerprint()
            }
        });
        v.case(case(g, scenario, FLOOR, bytes.len()), || {
            move || {
                let (methods, n) = floor::socks5_greeting(black_box(bytes)).expect("parses");
                let code = pick(methods.contains(&2), methods.contains(&0));
                Decision {
                    code,
                    n,
                    ..Decision::default()
                }
                .fingerprint()
            }
        });
        v.case(case(g, scenario, TOR, bytes.len()), || {
            let mut buf = tor_socksproto::Buffer::new();
            move || {
                let mut hs = tor_socksproto::SocksProxyHandshake::new();
                let (code, n) = drive_tor_until_send(&mut hs, &mut buf, black_box(bytes));
                Decision {
                    code,
                    n,
                    ..Decision::default()
                }
                .fingerprint()
            }
        });
    }

    // SOCKS5 requests.
    for (scenario, bytes) in [
        ("domain", &fx::REQUEST_DOMAIN[..]),
        ("ipv4", &fx::REQUEST_IPV4[..]),
        ("ipv6", &fx::REQUEST_IPV6[..]),
    ] {
        let g = "parse_socks5_request";
        v.case(case(g, scenario, OURS, bytes.len()), || {
            move || {
                let input = black_box(bytes);
                let (rest, r) = parse_socks5_request(input).expect("parses");
                frame_decision(r.command.0, &r.addr, r.port, consumed(input, rest)).fingerprint()
            }
        });
        v.case(case(g, scenario, FLOOR, bytes.len()), || {
            move || {
                let (r, n) = floor::socks5_request(black_box(bytes)).expect("parses");
                floor_frame_decision(&r, n).fingerprint()
            }
        });
        v.case(case(g, scenario, TOR, bytes.len()), || {
            let primed = tor_proxy_after(&fx::GREETING_NO_AUTH);
            let mut buf = tor_socksproto::Buffer::new();
            move || {
                let mut hs = primed.clone();
                let d = drive_tor(&mut hs, &mut buf, black_box(bytes));
                let Decision {
                    code,
                    port,
                    host,
                    ip,
                    ..
                } = d.decision;
                Decision {
                    code,
                    port,
                    host,
                    ip,
                    n: d.consumed,
                    ..Decision::default()
                }
                .fingerprint()
            }
        });
    }

    // One SOCKS5 request with the checks a proxy makes (command, port, hostname): equal work
    // for all three (tor-socksproto's handshake makes them anyway).
    for (scenario, bytes) in [
        ("domain", &fx::REQUEST_DOMAIN[..]),
        ("ipv4", &fx::REQUEST_IPV4[..]),
    ] {
        let g = "check_socks5_request";
        v.case(case(g, scenario, OURS, bytes.len()), || {
            move || {
                let input = black_box(bytes);
                let (rest, r) = parse_socks5_request(input).expect("parses");
                checked_decision(&r, consumed(input, rest)).fingerprint()
            }
        });
        v.case(case(g, scenario, FLOOR, bytes.len()), || {
            move || {
                let (r, n) = floor::socks5_request(black_box(bytes)).expect("parses");
                floor_checked_decision(&r, n).fingerprint()
            }
        });
        v.case(case(g, scenario, TOR, bytes.len()), || {
            let primed = tor_proxy_after(&fx::GREETING_NO_AUTH);
            let mut buf = tor_socksproto::Buffer::new();
            move || {
                let mut hs = primed.clone();
                let d = drive_tor(&mut hs, &mut buf, black_box(bytes));
                let Decision {
                    code,
                    port,
                    host,
                    ip,
                    ..
                } = d.decision;
                Decision {
                    code,
                    port,
                    host,
                    ip,
                    n: d.consumed,
                    ..Decision::default()
                }
                .fingerprint()
            }
        });
    }

    // SOCKS5 replies.
    for (scenario, bytes) in [
        ("ipv4", &fx::REPLY_IPV4[..]),
        ("ipv6", &fx::REPLY_IPV6[..]),
        ("domain", &fx::REPLY_DOMAIN[..]),
    ] {
        let g = "parse_socks5_reply";
        v.case(case(g, scenario, OURS, bytes.len()), || {
            move || {
                let input = black_box(bytes);
                let (rest, r) = parse_socks5_reply(input).expect("parses");
                frame_decision(r.reply.0, &r.addr, r.port, consumed(input, rest)).fingerprint()
            }
        });
        v.case(case(g, scenario, FLOOR, bytes.len()), || {
            move || {
                let (r, n) = floor::socks5_reply(black_box(bytes)).expect("parses");
                floor_frame_decision(&r, n).fingerprint()
            }
        });
        v.case(case(g, scenario, TOR, bytes.len()), || {
            let primed = tor_client_awaiting_reply();
            let mut buf = tor_socksproto::Buffer::new();
            move || {
                let mut hs = primed.clone();
                let d = drive_tor(&mut hs, &mut buf, black_box(bytes));
                Decision {
                    n: d.consumed,
                    ..d.decision
                }
                .fingerprint()
            }
        });
    }

    // RFC 1929 requests.
    {
        let (g, scenario, bytes) = ("parse_userpass_request", "alice", &fx::USERPASS[..]);
        v.case(case(g, scenario, OURS, bytes.len()), || {
            move || {
                let input = black_box(bytes);
                let (rest, r) = parse_userpass_request(input).expect("parses");
                Decision {
                    user: r.username.len(),
                    pass: r.password.len(),
                    n: consumed(input, rest),
                    ..Decision::default()
                }
                .fingerprint()
            }
        });
        v.case(case(g, scenario, FLOOR, bytes.len()), || {
            move || {
                let (u, p, n) = floor::userpass_request(black_box(bytes)).expect("parses");
                Decision {
                    user: u.len(),
                    pass: p.len(),
                    n,
                    ..Decision::default()
                }
                .fingerprint()
            }
        });
        // Tor keeps the credentials to itself until the request: compare nothing.
        let tor_case = Case {
            check: false,
            ..case(g, scenario, TOR, bytes.len())
        };
        v.case(tor_case, || {
            let primed = tor_proxy_after(&fx::GREETING_USERPASS);
            let mut buf = tor_socksproto::Buffer::new();
            move || {
                let mut hs = primed.clone();
                let (code, n) = drive_tor_until_send(&mut hs, &mut buf, black_box(bytes));
                Decision {
                    code,
                    n,
                    ..Decision::default()
                }
                .fingerprint()
            }
        });
    }

    // SOCKS5 UDP headers (tor-socksproto has none).
    for (scenario, bytes) in [("ipv4", &fx::UDP_IPV4[..]), ("domain", &fx::UDP_DOMAIN[..])] {
        let g = "parse_socks5_udp_header";
        v.case(case(g, scenario, OURS, bytes.len()), || {
            move || {
                let input = black_box(bytes);
                let (payload, h) = parse_socks5_udp_header(input).expect("parses");
                Decision {
                    user: usize::from(h.reserved),
                    ..frame_decision(h.fragment, &h.addr, h.port, consumed(input, payload))
                }
                .fingerprint()
            }
        });
        v.case(case(g, scenario, FLOOR, bytes.len()), || {
            move || {
                let (rsv, frag, addr, port, n) =
                    floor::socks5_udp_header(black_box(bytes)).expect("parses");
                let (host, ip) = addr.summary();
                Decision {
                    code: frag,
                    port,
                    host,
                    ip,
                    user: usize::from(rsv),
                    n,
                    ..Decision::default()
                }
                .fingerprint()
            }
        });
    }

    super::encode::encode_cases(v);
}
