//! The shipped captures of real programs (samples/streams, made by samples/make.sh): the wire
//! parsers split each conversation into exactly the messages that an independent reader
//! (samples/tools/handshakes.py, written to samples/handshakes.txt) found, every message
//! re-encodes byte for byte, and the proxy handshake accepts every real client's bytes.

#[path = "support/drive.rs"]
mod drive;

use std::fs;
use std::path::Path;

use nom::IResult;
use sockswire::*;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples");

/// Splits off one message and checks that it re-encodes to exactly its bytes.
fn take<'a, V: Encode + std::fmt::Debug>(
    out: &mut Vec<String>,
    input: &mut &'a [u8],
    parse: impl Fn(&'a [u8]) -> IResult<&'a [u8], V, WireError>,
) -> Option<V> {
    let (rest, view) = parse(input).ok()?;
    let consumed = &input[..input.len() - rest.len()];
    let mut buf = vec![0; view.encoded_len()];
    let n = view.encode(&mut buf).unwrap();
    assert_eq!(&buf[..n], consumed, "re-encode of {view:?}");
    out.push(consumed.iter().map(|b| format!("{b:02x}")).collect());
    *input = rest;
    Some(view)
}

/// The handshake messages in each direction, as hex, and the payload lengths after them.
fn split(c2s: &[u8], s2c: &[u8]) -> (Vec<String>, Vec<String>, usize, usize) {
    let (mut c, mut s) = (c2s, s2c);
    let (mut cm, mut sm) = (Vec::new(), Vec::new());
    match c.first() {
        Some(4) if take(&mut cm, &mut c, parse_socks4_request).is_some() => {
            take(&mut sm, &mut s, parse_socks4_reply);
        }
        Some(5) => 'v5: {
            take(&mut cm, &mut c, parse_socks5_greeting);
            let Some(choice) = take(&mut sm, &mut s, parse_socks5_method_choice) else {
                break 'v5;
            };
            if choice.method == Method::USERNAME_PASSWORD {
                take(&mut cm, &mut c, parse_userpass_request);
                let reply = take(&mut sm, &mut s, parse_userpass_reply);
                if !reply.is_some_and(|r| r.status.is_success()) {
                    break 'v5;
                }
            }
            let Some(req) = take(&mut cm, &mut c, parse_socks5_request) else {
                break 'v5;
            };
            let reply = take(&mut sm, &mut s, parse_socks5_reply);
            if req.command == Command::BIND
                && reply.is_some_and(|r| r.reply == ReplyCode::SUCCEEDED)
            {
                take(&mut sm, &mut s, parse_socks5_reply);
            }
        }
        _ => {}
    }
    (cm, sm, c.len(), s.len())
}

/// One conversation as the independent reader saw it: stem, c2s messages, c2s payload
/// length, s2c messages, s2c payload length.
type Seen = (String, Vec<String>, usize, Vec<String>, usize);

fn expected() -> Vec<Seen> {
    let text = fs::read_to_string(Path::new(DIR).join("handshakes.txt")).unwrap();
    let mut out = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(head) = lines.next() {
        let stem = head.trim_end_matches(':').to_string();
        let mut dirs = Vec::new();
        while let Some(line) = lines.next_if(|l| l.starts_with("  ")) {
            dirs.push(line.trim().to_string());
        }
        if dirs.len() != 2 {
            continue; // "not a SOCKS handshake"
        }
        let parse = |l: &str| {
            let (msgs, payload) = l[5..].split_once("   (+").unwrap();
            let payload = payload.split(' ').next().unwrap().parse().unwrap();
            let msgs = msgs
                .split(" | ")
                .filter(|m| !m.is_empty())
                .map(str::to_string)
                .collect();
            (msgs, payload)
        };
        let (cm, cp) = parse(&dirs[0]);
        let (sm, sp) = parse(&dirs[1]);
        out.push((stem, cm, cp, sm, sp));
    }
    out
}

#[test]
fn samples_split_into_the_messages_an_independent_reader_found() {
    let cases = expected();
    assert!(cases.len() >= 20, "{}", cases.len());
    for (stem, cm, cp, sm, sp) in cases {
        let c2s = fs::read(Path::new(DIR).join(format!("streams/{stem}.c2s.bin"))).unwrap();
        let s2c = fs::read(Path::new(DIR).join(format!("streams/{stem}.s2c.bin"))).unwrap();
        let (ours_c, ours_s, ours_cp, ours_sp) = split(&c2s, &s2c);
        assert_eq!((ours_c, ours_cp), (cm, cp), "{stem} c2s");
        assert_eq!((ours_s, ours_sp), (sm, sp), "{stem} s2c");
    }
}

#[test]
fn samples_udp_datagrams_decode() {
    let dg = |n: u8, dir: &str| {
        fs::read(Path::new(DIR).join(format!(
            "streams/socks5_udp_associate_python_dante.udp{n}.{dir}.bin"
        )))
        .unwrap()
    };
    let out = dg(1, "c2s");
    let d = parse_socks5_udp_datagram(&out).unwrap();
    assert_eq!((d.header.reserved, d.header.fragment), (0, 0));
    assert_eq!(d.header.target().to_string(), "127.0.0.1:19999");
    assert_eq!(d.data, b"ping-1");
    let back = dg(2, "s2c");
    let d = parse_socks5_udp_datagram(&back).unwrap();
    assert_eq!(d.header.target().to_string(), "127.0.0.1:19999");
    assert_eq!(d.data, b"echo:ping-1");
}

#[test]
fn proxy_handshake_accepts_every_real_client() {
    for (stem, ..) in expected() {
        let c2s = fs::read(Path::new(DIR).join(format!("streams/{stem}.c2s.bin"))).unwrap();
        // BIND and UDP ASSOCIATE need a plain RFC 1928 server; Tor's commands the Arti profile.
        let policy = if stem.contains("bind") || stem.contains("udp") {
            ProxyPolicy::RFC1928
        } else {
            ProxyPolicy::ARTI
        };
        let mut hs = SocksProxyHandshake::with_policy(policy);
        let run = drive::drive(&mut hs, &mut Buffer::new(), &c2s, 1, |r| {
            r.target().to_string()
        });
        match (&run.end, stem.as_str()) {
            (drive::End::Finished(target, _), _) => assert!(
                target.contains("127.0.0.")
                    || target.contains("localhost")
                    || target.contains("::1"),
                "{stem}: {target}"
            ),
            // Clients that stopped after a refused password, or CONNECT to port 1 is fine.
            (drive::End::NeedMore, s) if s.contains("badpass") => {}
            (end, _) => panic!("{stem}: {end:?}"),
        }
    }
}
