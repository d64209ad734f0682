//! The encoders, ours beside the floor.

use super::*;

/// What an encoder wrote, as a fingerprint.
#[inline]
fn written(out: &[u8], n: usize) -> u64 {
    let head = out.first_chunk::<8>().map_or(0, |h| u64::from_le_bytes(*h));
    let last = out[..n].last().copied().unwrap_or_default();
    crate::drive::fp(&[n as u64, head, u64::from(last)])
}

pub(super) fn encode_cases(v: &mut impl Visit) {
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
    let ours_req = fx::client_request(SocksVersion::V5);
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
        let req = fx::tor_client_request(tor_socksproto::SocksVersion::V5);
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
