//! Every measured operation, once: the criterion benches, the allocation counter and the
//! callgrind runner all walk this catalogue, so they measure the same closures on the same
//! bytes. A case is named `group/scenario/impl`, e.g. `parse_socks5_request/domain/ours`.
//!
//! Per operation, handshakes create a fresh handshake and reuse one receive buffer (as a
//! server reuses a connection's buffer); the `eager_new_buffer` scenario creates the buffer
//! too. Wire cases for tor-socksproto go through its handshake (its only parsing API), primed
//! and cloned so only the message in question is parsed.

#![allow(dead_code)]

use std::collections::HashMap;
use std::hint::black_box;
use std::net::Ipv4Addr;

use sockswire::{
    Addr, Command, Encode, Method, Socks4Request, Socks5Greeting, Socks5Reply, Socks5Request,
    Socks5UdpHeader, SocksAddr, SocksAuth, SocksClientHandshake, SocksHostname,
    SocksProxyHandshake, SocksRequest, SocksStatus, SocksVersion, UserPassRequest,
    parse_socks4_request, parse_socks5_greeting, parse_socks5_reply, parse_socks5_request,
    parse_socks5_udp_header, parse_userpass_request,
};

use crate::drive::{
    Decision, drive_ours, drive_tor, drive_tor_until_send, ipv4_bits, ipv6_bits, prime_ours,
    prime_tor,
};
use crate::fixtures::{self as fx, StreamKind};
use crate::floor;

/// sockswire.
pub const OURS: &str = "ours";
/// tor-socksproto 0.47.
pub const TOR: &str = "tor";
/// The hand-written floor.
pub const FLOOR: &str = "floor";

/// One measured operation.
#[derive(Clone, Copy, Debug)]
pub struct Case {
    /// Criterion group: the message family or handshake scenario.
    pub group: &'static str,
    /// What varies inside the group: the message variant or the read mode.
    pub scenario: &'static str,
    /// Whose code: [`OURS`], [`TOR`], [`FLOOR`] or a variant of one.
    pub imp: &'static str,
    /// Input (or output, for encoders) bytes per operation.
    pub bytes: u64,
    /// Messages per operation (many for streams).
    pub units: u64,
    /// Whether the fingerprint must equal the other implementations' for this scenario.
    pub check: bool,
}

impl Case {
    /// `group/scenario/impl`.
    pub fn name(&self) -> String {
        format!("{}/{}/{}", self.group, self.scenario, self.imp)
    }
}

/// An operation: runs once and returns a fingerprint of what it decided.
pub trait Op {
    fn run(&mut self) -> u64;
}

impl<F: FnMut() -> u64> Op for F {
    #[inline(always)]
    fn run(&mut self) -> u64 {
        self()
    }
}

/// Walks the catalogue. `make` builds the operation's state (buffers, primed handshakes,
/// streams); only what the operation does per call is measured.
pub trait Visit {
    fn case<O: Op>(&mut self, case: Case, make: impl FnOnce() -> O);
}

/// Checks that every implementation of a scenario decides the same.
#[derive(Default)]
pub struct Checker {
    seen: HashMap<(&'static str, &'static str), (&'static str, u64)>,
}

impl Checker {
    pub fn check(&mut self, case: &Case, fingerprint: u64) {
        if !case.check {
            return;
        }
        let (imp, expected) = *self
            .seen
            .entry((case.group, case.scenario))
            .or_insert((case.imp, fingerprint));
        assert_eq!(
            fingerprint,
            expected,
            "{} decides differently from {imp}",
            case.name()
        );
    }
}

fn case(group: &'static str, scenario: &'static str, imp: &'static str, bytes: usize) -> Case {
    Case {
        group,
        scenario,
        imp,
        bytes: bytes as u64,
        units: 1,
        check: true,
    }
}

fn wire_addr(addr: &Addr<'_>) -> (usize, u128) {
    match *addr {
        Addr::Ipv4(ip) => (0, ipv4_bits(ip.octets())),
        Addr::Domain(name) => (name.len(), 0),
        Addr::Ipv6(ip) => (0, ipv6_bits(ip.octets())),
        Addr::Unspecified(raw) => (0, ipv4_bits(raw)),
    }
}

fn frame_decision(code: u8, addr: &Addr<'_>, port: u16, n: usize) -> Decision {
    let (host, ip) = wire_addr(addr);
    Decision {
        code,
        port,
        host,
        ip,
        n,
        ..Decision::default()
    }
}

fn floor_frame_decision(f: &floor::Frame<'_>, n: usize) -> Decision {
    let (host, ip) = f.addr.summary();
    Decision {
        code: f.code,
        port: f.port,
        host,
        ip,
        n,
        ..Decision::default()
    }
}

/// The method a Tor proxy picks: username/password, else no-auth, else none.
/// The checks a proxy makes on a SOCKS5 request before acting on it, as the floor and
/// tor-socksproto make them: a served command (CONNECT, RESOLVE, RESOLVE_PTR), no CONNECT to
/// port 0, and a hostname that is UTF-8 without NUL. A refused request decides code 0.
#[inline]
fn checked_decision(r: &sockswire::Socks5Request<'_>, n: usize) -> Decision {
    let ok = matches!(r.command.0, 1 | 0xF0 | 0xF1)
        && !(r.command == Command::CONNECT && r.port == 0)
        && r.addr
            .domain()
            .is_none_or(|name| SocksHostname::check(name).is_ok());
    let d = frame_decision(r.command.0, &r.addr, r.port, n);
    if ok { d } else { Decision { code: 0, ..d } }
}

/// [`checked_decision`] for the floor, with its own checks.
#[inline]
fn floor_checked_decision(f: &floor::Frame<'_>, n: usize) -> Decision {
    let ok = matches!(f.code, 1 | 0xF0 | 0xF1)
        && !(f.code == 1 && f.port == 0)
        && match f.addr {
            floor::Addr::Domain(name) => floor::hostname_ok(name),
            _ => true,
        };
    let d = floor_frame_decision(f, n);
    if ok { d } else { Decision { code: 0, ..d } }
}

fn pick(userpass: bool, no_auth: bool) -> u8 {
    if userpass {
        2
    } else if no_auth {
        0
    } else {
        0xFF
    }
}

fn consumed(input: &[u8], rest: &[u8]) -> usize {
    input.len() - rest.len()
}

/// A tor-socksproto proxy handshake waiting for the message after `prefix`.
fn tor_proxy_after(prefix: &[u8]) -> tor_socksproto::SocksProxyHandshake {
    let mut hs = tor_socksproto::SocksProxyHandshake::new();
    prime_tor(&mut hs, prefix);
    hs
}

/// A tor-socksproto client handshake (CONNECT to an IP, so cloning it allocates nothing)
/// waiting for the proxy's reply.
fn tor_client_awaiting_reply() -> tor_socksproto::SocksClientHandshake {
    let req = tor_socksproto::SocksRequest::new(
        tor_socksproto::SocksVersion::V5,
        tor_socksproto::SocksCmd::CONNECT,
        tor_socksproto::SocksAddr::Ip(Ipv4Addr::new(192, 0, 2, 7).into()),
        443,
        tor_socksproto::SocksAuth::NoAuth,
    )
    .expect("tor request");
    let mut hs = tor_socksproto::SocksClientHandshake::new(req);
    prime_tor(&mut hs, &[5, 0]);
    hs
}

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

    encode_cases(v);
}

/// What an encoder wrote, as a fingerprint.
#[inline]
fn written(out: &[u8], n: usize) -> u64 {
    let head = out.first_chunk::<8>().map_or(0, |h| u64::from_le_bytes(*h));
    let last = out[..n].last().copied().unwrap_or_default();
    crate::drive::fp(&[n as u64, head, u64::from(last)])
}

fn encode_cases(v: &mut impl Visit) {
    let g = "encode";
    const HOST: &[u8] = b"example.com";

    let request = Socks5Request {
        command: Command::CONNECT,
        reserved: 0,
        addr: Addr::Domain(HOST),
        port: 443,
    };
    let len = request.encoded_len();
    v.case(case(g, "socks5_request_domain", OURS, len), || {
        let mut out = [0; 512];
        move || {
            let n = black_box(&request).encode(&mut out).expect("encodes");
            written(&out, n)
        }
    });
    v.case(case(g, "socks5_request_domain", FLOOR, len), || {
        let mut out = [0; 512];
        move || {
            let n = floor::encode_frame(&mut out, 1, &black_box(floor::Addr::Domain(HOST)), 443)
                .expect("encodes");
            written(&out, n)
        }
    });

    let reply = Socks5Reply::new(
        SocksStatus::SUCCEEDED,
        Addr::Ipv4(Ipv4Addr::new(127, 0, 0, 1)),
        443,
    );
    let len = reply.encoded_len();
    v.case(case(g, "socks5_reply_ipv4", OURS, len), || {
        let mut out = [0; 512];
        move || {
            let n = black_box(&reply).encode(&mut out).expect("encodes");
            written(&out, n)
        }
    });
    v.case(case(g, "socks5_reply_ipv4", "ours_to_bytes", len), || {
        move || {
            let bytes = black_box(&reply).to_bytes().expect("encodes");
            let mut out = [0; 16];
            out[..bytes.len()].copy_from_slice(&bytes);
            written(&out, bytes.len())
        }
    });
    v.case(case(g, "socks5_reply_ipv4", FLOOR, len), || {
        let mut out = [0; 512];
        move || {
            let addr = black_box(floor::Addr::V4([127, 0, 0, 1]));
            let n = floor::encode_frame(&mut out, 0, &addr, 443).expect("encodes");
            written(&out, n)
        }
    });

    let greeting = Socks5Greeting { methods: &[0, 2] };
    let len = greeting.encoded_len();
    v.case(case(g, "socks5_greeting", OURS, len), || {
        let mut out = [0; 512];
        move || {
            let n = black_box(&greeting).encode(&mut out).expect("encodes");
            written(&out, n)
        }
    });
    v.case(case(g, "socks5_greeting", FLOOR, len), || {
        let mut out = [0; 512];
        move || {
            let n = floor::encode_greeting(&mut out, black_box(&[0, 2])).expect("encodes");
            written(&out, n)
        }
    });

    let up = UserPassRequest {
        username: b"alice",
        password: b"secret",
    };
    let len = up.encoded_len();
    v.case(case(g, "userpass_request", OURS, len), || {
        let mut out = [0; 600];
        move || {
            let n = black_box(&up).encode(&mut out).expect("encodes");
            written(&out, n)
        }
    });
    v.case(case(g, "userpass_request", FLOOR, len), || {
        let mut out = [0; 600];
        move || {
            let (u, p) = black_box((&b"alice"[..], &b"secret"[..]));
            let n = floor::encode_userpass(&mut out, u, p).expect("encodes");
            written(&out, n)
        }
    });

    let s4 = Socks4Request {
        command: Command::CONNECT,
        port: 443,
        ip: Ipv4Addr::new(0, 0, 0, 1),
        userid: b"tor",
        hostname: Some(b"torproject.org"),
    };
    let len = s4.encoded_len();
    v.case(case(g, "socks4a_request", OURS, len), || {
        let mut out = [0; 600];
        move || {
            let n = black_box(&s4).encode(&mut out).expect("encodes");
            written(&out, n)
        }
    });
    v.case(case(g, "socks4a_request", FLOOR, len), || {
        let mut out = [0; 600];
        let r = floor::Socks4 {
            cmd: 1,
            port: 443,
            ip: [0, 0, 0, 1],
            userid: b"tor",
            host: Some(b"torproject.org"),
        };
        move || {
            let n = floor::encode_socks4(&mut out, black_box(&r)).expect("encodes");
            written(&out, n)
        }
    });

    let udp = Socks5UdpHeader {
        reserved: 0,
        fragment: 0,
        addr: Addr::Domain(HOST),
        port: 53,
    };
    let len = udp.encoded_len();
    v.case(case(g, "socks5_udp_header_domain", OURS, len), || {
        let mut out = [0; 512];
        move || {
            let n = black_box(&udp).encode(&mut out).expect("encodes");
            written(&out, n)
        }
    });
    v.case(case(g, "socks5_udp_header_domain", FLOOR, len), || {
        let mut out = [0; 512];
        move || {
            let addr = black_box(floor::Addr::Domain(HOST));
            let n = floor::encode_udp_header(&mut out, 0, &addr, 53).expect("encodes");
            written(&out, n)
        }
    });

    // A proxy's success reply to CONNECT example.com:443, the way each side builds it.
    let host = SocksHostname::try_from(fx::CLIENT_HOST).expect("hostname");
    let ours_req = SocksRequest::new(
        SocksVersion::V5,
        Command::CONNECT,
        SocksAddr::Hostname(host),
        443,
        SocksAuth::NoAuth,
    )
    .expect("request");
    v.case(case(g, "proxy_reply", OURS, 10), || {
        move || {
            let bytes = black_box(&ours_req)
                .reply(SocksStatus::SUCCEEDED, None)
                .expect("encodes");
            let mut out = [0; 16];
            out[..bytes.len()].copy_from_slice(&bytes);
            written(&out, bytes.len())
        }
    });
    v.case(case(g, "proxy_reply", TOR, 10), || {
        let req = tor_request_domain();
        move || {
            let bytes = black_box(&req)
                .reply(tor_socksproto::SocksStatus::SUCCEEDED, None)
                .expect("encodes");
            let mut out = [0; 16];
            out[..bytes.len()].copy_from_slice(&bytes);
            written(&out, bytes.len())
        }
    });
    v.case(case(g, "proxy_reply", FLOOR, 10), || {
        move || {
            let mut out = [0; 16];
            let addr = black_box(floor::Addr::V4([0; 4]));
            let n = floor::encode_frame(&mut out, 0, &addr, 0).expect("encodes");
            written(&out, n)
        }
    });
}

fn tor_request_domain() -> tor_socksproto::SocksRequest {
    tor_socksproto::SocksRequest::new(
        tor_socksproto::SocksVersion::V5,
        tor_socksproto::SocksCmd::CONNECT,
        tor_socksproto::SocksAddr::Hostname(
            fx::CLIENT_HOST.to_string().try_into().expect("hostname"),
        ),
        fx::CLIENT_PORT,
        tor_socksproto::SocksAuth::NoAuth,
    )
    .expect("tor request")
}

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

/// Client handshakes (SOCKS5, no auth, CONNECT example.com:443) in both read modes.
fn client_cases(v: &mut impl Visit, g: &'static str) {
    let input: &'static [u8] = &fx::CLIENT_SOCKS5_SERVER_BYTES;
    let len = input.len();
    let host = SocksHostname::try_from(fx::CLIENT_HOST).expect("hostname");
    let req = SocksRequest::new(
        SocksVersion::V5,
        Command::CONNECT,
        SocksAddr::Hostname(host),
        fx::CLIENT_PORT,
        SocksAuth::NoAuth,
    )
    .expect("request");
    for (scenario, precise) in [("eager", false), ("precise", true)] {
        v.case(case(g, scenario, OURS, len), || {
            let mut eager = sockswire::Buffer::new();
            let mut precise_buf = sockswire::Buffer::new_precise();
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
            let req = tor_request_domain();
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
                let d = if precise {
                    floor::client::<true>(&mut buf, black_box(input), host, port)
                } else {
                    floor::client::<false>(&mut buf, black_box(input), host, port)
                };
                d.expect("floor decides").fingerprint()
            }
        });
    }
}

/// Full handshakes: the four scenarios of the issue, each in eager and precise read modes.
pub fn handshake_cases(v: &mut impl Visit) {
    proxy_cases(v, "proxy_socks5_domain", &fx::PROXY_SOCKS5_DOMAIN);
    proxy_cases(
        v,
        "proxy_socks5_userpass_ipv6",
        &fx::PROXY_SOCKS5_USERPASS_IPV6,
    );
    proxy_cases(v, "proxy_socks4a", &fx::PROXY_SOCKS4A);
    client_cases(v, "client_socks5_domain");

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

/// The whole catalogue.
pub fn all_cases(v: &mut impl Visit) {
    wire_cases(v);
    handshake_cases(v);
    stream_cases(v);
}
