//! `sockswire proxy`'s access policy through the real binary on loopback: every refusal
//! shown with its exact reply bytes and its log line.
#![cfg(feature = "cli")]

use std::io::Write;
use std::net::SocketAddr;
use std::process::Command;

#[path = "support/proxy_process.rs"]
mod proxy_process;
use proxy_process::{BIN, Proxy, echo_server, read_all, read_n};

const V5_OK: [u8; 10] = [5, 0, 0, 1, 0, 0, 0, 0, 0, 0];
const V5_NOT_ALLOWED: [u8; 10] = [5, 2, 0, 1, 0, 0, 0, 0, 0, 0];
const V4_REJECTED: [u8; 8] = [0, 0x5B, 0, 0, 0, 0, 0, 0];

/// A SOCKS5 greeting (no auth) and a CONNECT with this ATYP and address bytes.
fn v5_connect(atyp: u8, addr: &[u8], port: u16) -> Vec<u8> {
    let mut m = vec![5, 1, 0, 5, 1, 0, atyp];
    if atyp == 3 {
        m.push(addr.len() as u8);
    }
    m.extend_from_slice(addr);
    m.extend_from_slice(&port.to_be_bytes());
    m
}

/// Sends `request`, returns the method choice and the reply (then the proxy closes).
fn v5_reply(proxy: &Proxy, request: &[u8]) -> Vec<u8> {
    let mut s = proxy.connect();
    s.write_all(request).unwrap();
    assert_eq!(read_n(&mut s, 2), [5, 0]);
    read_all(&mut s)
}

fn v4_reply(proxy: &Proxy, ip: [u8; 4], port: u16, host: Option<&[u8]>) -> Vec<u8> {
    let mut m = vec![4, 1];
    m.extend_from_slice(&port.to_be_bytes());
    m.extend_from_slice(&ip);
    m.push(0);
    if let Some(h) = host {
        m.extend_from_slice(h);
        m.push(0);
    }
    let mut s = proxy.connect();
    s.write_all(&m).unwrap();
    read_all(&mut s)
}

#[test]
fn the_proxy_itself_is_refused_in_every_spelling() {
    let mut proxy = Proxy::start(&[]);
    let port = proxy.addr.port();
    let mapped = "::ffff:127.0.0.1"
        .parse::<std::net::Ipv6Addr>()
        .unwrap()
        .octets();
    let cases: [(&str, Vec<u8>); 6] = [
        ("127.0.0.1", v5_connect(1, &[127, 0, 0, 1], port)),
        ("0.0.0.0", v5_connect(1, &[0, 0, 0, 0], port)),
        ("::ffff:127.0.0.1", v5_connect(4, &mapped, port)),
        (
            "[::ffff:127.0.0.1] as a name",
            v5_connect(3, b"[::ffff:127.0.0.1]", port),
        ),
        ("127.0.0.1 as a name", v5_connect(3, b"127.0.0.1", port)),
        // Checked once resolved: the handshake lets the name through.
        ("localhost", v5_connect(3, b"localhost", port)),
    ];
    for (what, request) in cases {
        assert_eq!(v5_reply(&proxy, &request), V5_NOT_ALLOWED, "{what}");
    }
    proxy.expect_log(&["sent 05 02", "destination is the proxy itself"]);
    proxy.expect_log(&["socks5 CONNECT localhost:", "NOT_ALLOWED: access policy"]);
    assert_eq!(v4_reply(&proxy, [127, 0, 0, 1], port, None), V4_REJECTED);
    assert_eq!(
        v4_reply(&proxy, [0, 0, 0, 1], port, Some(b"localhost")),
        V4_REJECTED
    );
    proxy.expect_log(&["5B REJECTED (NOT_ALLOWED)", "access policy"]);
    // Other loopback services stay reachable from a loopback listener.
    let echo = echo_server();
    let reply = v5_reply_open(&proxy, echo);
    assert_eq!(reply, V5_OK);
}

fn v5_reply_open(proxy: &Proxy, target: SocketAddr) -> Vec<u8> {
    let SocketAddr::V4(t) = target else { panic!() };
    let mut s = proxy.connect();
    s.write_all(&v5_connect(1, &t.ip().octets(), t.port()))
        .unwrap();
    assert_eq!(read_n(&mut s, 2), [5, 0]);
    read_n(&mut s, 10)
}

#[test]
fn a_chain_through_itself_is_refused_and_the_proxy_keeps_serving() {
    let proxy = Proxy::start(&[]);
    let port = proxy.addr.port();
    // CONNECT to itself, then inside the tunnel (were it granted) the same again.
    let nested = [
        v5_connect(1, &[127, 0, 0, 1], port),
        v5_connect(1, &[127, 0, 0, 1], port),
    ]
    .concat();
    for _ in 0..50 {
        assert_eq!(v5_reply(&proxy, &nested), V5_NOT_ALLOWED);
    }
    assert_eq!(v5_reply_open(&proxy, echo_server()), V5_OK);
}

#[test]
fn non_loopback_listener_needs_auth_or_a_client_rule() {
    let out = Command::new(BIN)
        .args(["proxy", "--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not loopback") && err.contains("--allow-client"),
        "{err}"
    );

    // With a client rule it runs, and refuses loopback targets...
    let echo = echo_server();
    let mut proxy = Proxy::try_start("0.0.0.0:0", &["--allow-client", "127.0.0.0/8"]).unwrap();
    proxy.addr.set_ip([127, 0, 0, 1].into());
    assert_eq!(
        v5_reply(&proxy, &v5_connect(1, &[127, 0, 0, 1], echo.port())),
        V5_NOT_ALLOWED
    );
    assert_eq!(
        v5_reply(&proxy, &v5_connect(3, b"localhost", echo.port())),
        V5_NOT_ALLOWED
    );
    assert_eq!(
        v5_reply(&proxy, &v5_connect(1, &[169, 254, 0, 1], 80)),
        V5_NOT_ALLOWED
    );
    proxy.expect_log(&["local destination on a non-loopback listener", "sent 05 02"]);
    // ...unless a rule allows them.
    let rule = format!("allow to 127.0.0.1 port {}", echo.port());
    let mut proxy = Proxy::try_start(
        "0.0.0.0:0",
        &["--allow-client", "127.0.0.0/8", "--rule", &rule],
    )
    .unwrap();
    proxy.addr.set_ip([127, 0, 0, 1].into());
    assert_eq!(v5_reply_open(&proxy, echo), V5_OK);
}

#[test]
fn client_and_destination_rules() {
    let echo = echo_server();
    // This client is outside the allowed network.
    let mut proxy = Proxy::start(&["--allow-client", "10.0.0.0/8"]);
    assert_eq!(
        v5_reply(&proxy, &v5_connect(1, &[127, 0, 0, 1], echo.port())),
        V5_NOT_ALLOWED
    );
    proxy.expect_log(&["client not allowed"]);
    // A domain rule refuses before any lookup; an address rule refuses after it.
    let port = echo.port().to_string();
    let mut proxy = Proxy::start(&[
        "--rule",
        "deny to .example.test",
        "--rule",
        &format!("deny to 127.0.0.0/8 port {port}"),
    ]);
    assert_eq!(
        v5_reply(&proxy, &v5_connect(3, b"www.example.test", 80)),
        V5_NOT_ALLOWED
    );
    proxy.expect_log(&["denied by rule 0"]);
    assert_eq!(
        v5_reply(&proxy, &v5_connect(3, b"localhost", echo.port())),
        V5_NOT_ALLOWED
    );
    proxy.expect_log(&["denied by rule 1"]);
}

#[test]
fn bad_access_flags_are_usage_errors() {
    for args in [
        &["--rule", "permit all"][..],
        &["--allow-client", "everyone"],
        &["--rule", "deny port 9-1"],
    ] {
        let out = Command::new(BIN).arg("proxy").args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn tor_special_names_are_answered_at_once() {
    let v3 = b"2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion";
    let mut arti = Proxy::start(&[]);
    let f0 = [5, 0xF0, 0, 1, 0, 0, 0, 0, 0, 0];
    let f6 = [5, 0xF6, 0, 1, 0, 0, 0, 0, 0, 0];
    let general = [5, 1, 0, 1, 0, 0, 0, 0, 0, 0];
    assert_eq!(v5_reply(&arti, &v5_connect(3, v3, 80)), f0);
    assert_eq!(v5_reply(&arti, &v5_connect(3, b"facebook.onion", 443)), f6);
    assert_eq!(
        v5_reply(&arti, &v5_connect(3, b"example.com.relay.exit", 80)),
        general
    );
    arti.expect_log(&["socks5 CONNECT", ".onion", "never resolved"]);
    // RESOLVE too (Tor's F0 command), and SOCKS4a.
    let mut resolve = vec![5, 1, 0, 5, 0xF0, 0, 3, v3.len() as u8];
    resolve.extend_from_slice(v3);
    resolve.extend_from_slice(&[0, 0]);
    assert_eq!(v5_reply(&arti, &resolve), f0);
    assert_eq!(v4_reply(&arti, [0, 0, 0, 1], 80, Some(v3)), V4_REJECTED);
    // Without extended errors (profile ctor), F0-F7 go out as GENERAL_FAILURE.
    let ctor = Proxy::start(&["--profile", "ctor"]);
    assert_eq!(v5_reply(&ctor, &v5_connect(3, v3, 80)), general);
}
