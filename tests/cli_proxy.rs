//! `sockswire proxy` and `sockswire probe` over loopback, with no other program: raw
//! TcpStreams and the probe as clients, a local echo server as the target. Every wait is
//! bounded by a socket timeout or a deadline.
#![cfg(feature = "cli")]

use std::io::Write;
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

#[path = "support/proxy_process.rs"]
mod proxy_process;
use proxy_process::{BIN, Proxy, T, closed_port, echo_server, read_all, read_n, v5_connect_v4};

fn v4_request(cmd: u8, port: u16, ip: [u8; 4], userid: &[u8], host: Option<&[u8]>) -> Vec<u8> {
    let mut r = vec![4, cmd];
    r.extend_from_slice(&port.to_be_bytes());
    r.extend_from_slice(&ip);
    r.extend_from_slice(userid);
    r.push(0);
    if let Some(h) = host {
        r.extend_from_slice(h);
        r.push(0);
    }
    r
}

const V5_OK: [u8; 10] = [5, 0, 0, 1, 0, 0, 0, 0, 0, 0];

/// SOCKS5 no-auth greeting, then a request; returns the reply's first `n` bytes.
fn v5_request(s: &mut TcpStream, request: &[u8], n: usize) -> Vec<u8> {
    s.write_all(&[5, 1, 0]).unwrap();
    assert_eq!(read_n(s, 2), [5, 0]);
    s.write_all(request).unwrap();
    read_n(s, n)
}

fn assert_echo(s: &mut TcpStream, payload: &[u8]) {
    s.write_all(payload).unwrap();
    s.shutdown(Shutdown::Write).unwrap();
    assert_eq!(read_all(s), payload, "echo through the half-closed tunnel");
}

fn probe(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(BIN)
        .arg("probe")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        input.write_all(bytes).unwrap();
    }
    drop(input);
    wait_bounded(child)
}

fn wait_bounded(mut child: Child) -> Output {
    let deadline = Instant::now() + T;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("child did not finish within {T:?}");
        }
        thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

fn code(s: ExitStatus) -> i32 {
    s.code().unwrap_or(-1)
}

#[test]
fn socks5_connect_relays_both_ways_with_half_close() {
    let echo = echo_server();
    let mut proxy = Proxy::start(&[]);
    let mut s = proxy.connect();
    assert_eq!(v5_request(&mut s, &v5_connect_v4(echo), 10), V5_OK);
    assert_echo(&mut s, b"hello through the proxy");
    let line = proxy.expect_log(&["socks5 CONNECT", "SUCCEEDED"]);
    assert!(line.contains("up=23 down=23"), "{line}");
    assert!(line.contains("closed both ways"), "{line}");
}

#[test]
fn socks4_and_socks4a_connect() {
    let echo = echo_server();
    let mut proxy = Proxy::start(&[]);
    let port = echo.port();

    let mut s = proxy.connect();
    s.write_all(&v4_request(1, port, [127, 0, 0, 1], b"someone", None))
        .unwrap();
    assert_eq!(read_n(&mut s, 8), [0, 0x5A, 0, 0, 0, 0, 0, 0]);
    assert_echo(&mut s, b"four");
    proxy.expect_log(&[
        "socks4 CONNECT 127.0.0.1",
        "user-id=\"someone\"",
        "5A GRANTED",
    ]);

    let mut s = proxy.connect();
    s.write_all(&v4_request(1, port, [0, 0, 0, 1], b"", Some(b"localhost")))
        .unwrap();
    assert_eq!(read_n(&mut s, 2), [0, 0x5A]);
    read_n(&mut s, 6);
    assert_echo(&mut s, b"four-a");
    proxy.expect_log(&["socks4a CONNECT localhost:", "5A GRANTED"]);
}

#[test]
fn socks5_hostname_and_pipelined_data() {
    let echo = echo_server();
    let proxy = Proxy::start(&[]);
    let mut s = proxy.connect();
    // Greeting, request and payload in one write: the payload must reach the target.
    let mut all = vec![5, 1, 0, 5, 1, 0, 3, 9];
    all.extend_from_slice(b"localhost");
    all.extend_from_slice(&echo.port().to_be_bytes());
    all.extend_from_slice(b"early bytes");
    s.write_all(&all).unwrap();
    assert_eq!(read_n(&mut s, 2), [5, 0]);
    assert_eq!(read_n(&mut s, 10), V5_OK);
    s.shutdown(Shutdown::Write).unwrap();
    assert_eq!(read_all(&mut s), b"early bytes");
}

#[test]
fn probe_each_scheme_and_relay() {
    let echo = echo_server();
    let proxy = Proxy::start(&[]);
    let target = format!("localhost:{}", echo.port());
    for (scheme, want) in [
        ("socks4", "reply: 5A GRANTED"),
        ("socks4a", "reply: 5A GRANTED"),
        ("socks5", "reply: 00 SUCCEEDED"),
        ("socks5h", "reply: 00 SUCCEEDED"),
    ] {
        let out = probe(&["--proxy", &proxy.url(scheme), &target], None);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(code(out.status), 0, "{scheme}: {stdout}");
        assert!(stdout.contains(want), "{scheme}: {stdout}");
        // socks4 and socks5 resolve here: the request carries an address.
        let sent_name = stdout.contains("CONNECT localhost:");
        assert_eq!(
            sent_name,
            scheme.ends_with('a') || scheme.ends_with('h'),
            "{stdout}"
        );
    }

    let out = probe(
        &["--proxy", &proxy.url("socks5h"), "--relay", &target],
        Some(b"ping\n"),
    );
    assert_eq!(code(out.status), 0);
    assert_eq!(out.stdout, b"ping\n");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("> 05 01 00"), "{stderr}");
    assert!(stderr.contains("SOCKS5 reply SUCCEEDED"), "{stderr}");

    let out = probe(
        &["--proxy", &proxy.url("socks5h"), "--optimistic", &target],
        None,
    );
    assert_eq!(code(out.status), 0);
}

#[test]
fn username_password_good_and_bad() {
    let echo = echo_server();
    let mut proxy = Proxy::start(&["--user", "alice", "--password", "s3cret"]);

    let mut s = proxy.connect();
    s.write_all(&[5, 2, 0, 2]).unwrap();
    assert_eq!(read_n(&mut s, 2), [5, 2]);
    s.write_all(b"\x01\x05alice\x06s3cret").unwrap();
    assert_eq!(read_n(&mut s, 2), [1, 0]);
    s.write_all(&v5_connect_v4(echo)).unwrap();
    assert_eq!(read_n(&mut s, 10), V5_OK);
    assert_echo(&mut s, b"authenticated");
    proxy.expect_log(&["user=\"alice\"", "SUCCEEDED"]);

    let mut s = proxy.connect();
    s.write_all(&[5, 1, 2]).unwrap();
    assert_eq!(read_n(&mut s, 2), [5, 2]);
    s.write_all(b"\x01\x05alice\x05wrong").unwrap();
    assert_eq!(read_all(&mut s), [1, 1]);
    proxy.expect_log(&["credentials refused", "sent 01 01"]);

    // No-auth only: no acceptable method.
    let mut s = proxy.connect();
    s.write_all(&[5, 1, 0]).unwrap();
    assert_eq!(read_all(&mut s), [5, 0xFF]);

    // SOCKS4 has no way to authenticate.
    let mut s = proxy.connect();
    s.write_all(&v4_request(1, echo.port(), [127, 0, 0, 1], b"alice", None))
        .unwrap();
    assert_eq!(read_all(&mut s), [0, 0x5B, 0, 0, 0, 0, 0, 0]);

    let target = echo.to_string();
    let url = proxy.url("socks5");
    let good = probe(
        &[
            "--proxy",
            &url,
            "--user",
            "alice",
            "--password",
            "s3cret",
            &target,
        ],
        None,
    );
    assert_eq!(code(good.status), 0);
    let bad = probe(
        &[
            "--proxy",
            &url,
            "--user",
            "alice",
            "--password",
            "nope",
            &target,
        ],
        None,
    );
    assert_eq!(code(bad.status), 1);
    let stdout = String::from_utf8_lossy(&bad.stdout);
    assert!(stdout.contains("< 01 01"), "{stdout}");
    assert!(
        stdout.contains("refused: the proxy rejected our credentials"),
        "{stdout}"
    );
    let url = format!("socks5://alice:s3cret@{}", proxy.addr);
    assert_eq!(code(probe(&["--proxy", &url, &target], None).status), 0);
}

#[test]
fn reject_replies() {
    let target = SocketAddr::from(([127, 0, 0, 1], 9));
    let mut arti = Proxy::start(&[]);

    // BIND and UDP ASSOCIATE under the arti profile: 05 07 from the handshake.
    for cmd in [2, 3] {
        let mut s = arti.connect();
        let mut req = v5_connect_v4(target);
        req[1] = cmd;
        assert_eq!(
            v5_request(&mut s, &req, 10),
            [5, 7, 0, 1, 0, 0, 0, 0, 0, 0],
            "command {cmd}"
        );
        assert_eq!(read_all(&mut s), b"");
    }
    arti.expect_log(&["command BIND not supported", "sent 05 07"]);

    // SOCKS4 BIND: 00 5B.
    let mut s = arti.connect();
    s.write_all(&v4_request(2, 9, [127, 0, 0, 1], b"", None))
        .unwrap();
    assert_eq!(read_all(&mut s), [0, 0x5B, 0, 0, 0, 0, 0, 0]);

    // An unknown address type: 05 08.
    let mut s = arti.connect();
    assert_eq!(v5_request(&mut s, &[5, 1, 0, 9], 2), [5, 8]);
    // Under rfc1928, BIND and UDP ASSOCIATE are served: tests/cli_proxy_bind.rs and
    // tests/cli_proxy_udp.rs.
}

#[test]
fn connect_errors_give_mapped_replies() {
    let port = closed_port();
    let mut proxy = Proxy::start(&[]);
    let refused = SocketAddr::from(([127, 0, 0, 1], port));

    let mut s = proxy.connect();
    assert_eq!(
        v5_request(&mut s, &v5_connect_v4(refused), 10),
        [5, 5, 0, 1, 0, 0, 0, 0, 0, 0]
    );
    proxy.expect_log(&["CONNECTION_REFUSED"]);

    let mut s = proxy.connect();
    s.write_all(&v4_request(1, port, [127, 0, 0, 1], b"", None))
        .unwrap();
    assert_eq!(read_n(&mut s, 8), [0, 0x5B, 0, 0, 0, 0, 0, 0]);

    // A name the resolver cannot resolve: HOST_UNREACHABLE. (The empty name fails inside
    // getaddrinfo, so no DNS query leaves the machine.)
    let mut s = proxy.connect();
    assert_eq!(v5_request(&mut s, &[5, 1, 0, 3, 0, 0, 80], 2), [5, 4]);
    proxy.expect_log(&["socks5 CONNECT :80", "HOST_UNREACHABLE: cannot resolve"]);

    let out = probe(
        &["--proxy", &proxy.url("socks5"), &refused.to_string()],
        None,
    );
    assert_eq!(code(out.status), 1);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("reply: 05 CONNECTION_REFUSED"), "{stdout}");
}

#[test]
fn resolve_and_resolve_ptr() {
    let mut proxy = Proxy::start(&[]);
    // An IP literal answers itself; "localhost" gives the IPv4 loopback (IPv4 preferred).
    for (name, ip) in [
        (&b"127.0.0.5"[..], [127, 0, 0, 5]),
        (b"localhost", [127, 0, 0, 1]),
    ] {
        let mut s = proxy.connect();
        let mut req = vec![5, 0xF0, 0, 3, name.len() as u8];
        req.extend_from_slice(name);
        req.extend_from_slice(&[0, 0]);
        let reply = v5_request(&mut s, &req, 10);
        assert_eq!(reply[..4], [5, 0, 0, 1]);
        assert_eq!(reply[4..8], ip);
    }
    proxy.expect_log(&["socks5 RESOLVE 127.0.0.5:0", "SUCCEEDED 127.0.0.5"]);

    let out = probe(
        &["--proxy", &proxy.url("socks4a"), "--resolve", "127.0.0.5"],
        None,
    );
    assert_eq!(code(out.status), 0);
    assert!(String::from_utf8_lossy(&out.stdout).contains("resolved: 127.0.0.5"));

    // RESOLVE_PTR goes to `getent hosts`: a name, or HOST_UNREACHABLE / GENERAL_FAILURE
    // where the system has none.
    let out = probe(
        &[
            "--proxy",
            &proxy.url("socks5h"),
            "--resolve-ptr",
            "127.0.0.1",
        ],
        None,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        (code(out.status) == 0 && stdout.contains("resolved: "))
            || (code(out.status) == 1
                && (stdout.contains("HOST_UNREACHABLE") || stdout.contains("GENERAL_FAILURE"))),
        "{stdout}"
    );
    // RESOLVE_PTR of a name that is not an address: 05 08.
    let out = probe(
        &[
            "--proxy",
            &proxy.url("socks5h"),
            "--resolve-ptr",
            "example.com",
        ],
        None,
    );
    assert_eq!(code(out.status), 1);
    assert!(String::from_utf8_lossy(&out.stdout).contains("08 ADDRTYPE_NOT_SUPPORTED"));
}

#[test]
fn handshake_deadline_closes_slow_clients() {
    let mut proxy = Proxy::start(&["--handshake-timeout", "0.5"]);
    for partial in [&b""[..], b"\x05", b"\x05\x01\x00\x05\x01\x00\x03\x09local"] {
        let start = Instant::now();
        let mut s = proxy.connect();
        s.write_all(partial).unwrap();
        let got = read_all(&mut s);
        let waited = start.elapsed();
        if partial.len() > 3 {
            assert_eq!(got, [5, 0]);
        } else {
            assert_eq!(got, b"");
        }
        assert!(waited >= Duration::from_millis(400), "{waited:?}");
        assert!(waited < Duration::from_secs(5), "{waited:?}");
    }
    proxy.expect_log(&["handshake failed: handshake timed out"]);
}

#[test]
fn garbage_is_closed_and_the_proxy_survives() {
    let echo = echo_server();
    let mut proxy = Proxy::start(&[]);
    let long_userid = [
        b"\x04\x01\x00\x50\x7f\x00\x00\x01".as_slice(),
        &[b'a'; 2000],
    ]
    .concat();
    for junk in [
        &b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"[..],
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        b"\x00\x00\x00\x00",
        b"\xff",
        &long_userid,
    ] {
        let mut s = proxy.connect();
        let _ = s.write_all(junk);
        let got = read_all(&mut s);
        assert!(
            got.is_empty() || got == [0, 0x5B, 0, 0, 0, 0, 0, 0],
            "{got:?}"
        );
    }
    proxy.expect_log(&["not a SOCKS handshake"]);
    let mut s = proxy.connect();
    assert_eq!(v5_request(&mut s, &v5_connect_v4(echo), 10), V5_OK);
    assert_echo(&mut s, b"still alive");

    // C Tor's profile answers HTTP with its 501 page.
    let ctor = Proxy::start(&["--profile", "ctor"]);
    let mut s = ctor.connect();
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let page = read_all(&mut s);
    assert!(page.starts_with(b"HTTP/1.0 501 Tor is not an HTTP Proxy\r\n"));
}

#[test]
fn a_client_vanishing_mid_relay_closes_the_target() {
    // A target that streams until its writes fail, then reports when.
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let target = l.local_addr().unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        s.set_write_timeout(Some(T)).unwrap();
        let chunk = [b'x'; 16384];
        let start = Instant::now();
        while start.elapsed() < T {
            if s.write_all(&chunk).is_err() {
                let _ = tx.send(true);
                return;
            }
        }
        let _ = tx.send(false);
    });
    let mut proxy = Proxy::start(&["--max-buffer", "4096"]);
    let mut s = proxy.connect();
    assert_eq!(v5_request(&mut s, &v5_connect_v4(target), 10), V5_OK);
    read_n(&mut s, 20000);
    drop(s); // unread data: the kernel resets the connection
    assert!(
        rx.recv_timeout(T).unwrap_or(false),
        "the target's connection was not closed"
    );
    let line = proxy.expect_log(&["socks5 CONNECT", "failed"]);
    assert!(line.contains("down="), "{line}");

    let echo = echo_server();
    let mut s = proxy.connect();
    assert_eq!(v5_request(&mut s, &v5_connect_v4(echo), 10), V5_OK);
    assert_echo(&mut s, b"next client");
}

#[test]
fn idle_timeout_ends_a_silent_relay() {
    let echo = echo_server();
    let mut proxy = Proxy::start(&["--idle-timeout", "0.3"]);
    let mut s = proxy.connect();
    assert_eq!(v5_request(&mut s, &v5_connect_v4(echo), 10), V5_OK);
    let start = Instant::now();
    assert_eq!(read_all(&mut s), b"");
    assert!(start.elapsed() < Duration::from_secs(5));
    proxy.expect_log(&["idle timeout"]);
}

#[test]
fn ipv6_listener() {
    let Some(proxy) = Proxy::try_start("[::1]:0", &[]) else {
        eprintln!("SKIPPED: no IPv6 loopback");
        return;
    };
    assert!(proxy.addr.is_ipv6());
    let echo = echo_server();
    let mut s = proxy.connect();
    assert_eq!(v5_request(&mut s, &v5_connect_v4(echo), 10), V5_OK);
    assert_echo(&mut s, b"over ::1");
    let out = probe(&["--proxy", &proxy.url("socks5h"), &echo.to_string()], None);
    assert_eq!(code(out.status), 0);
}

#[test]
fn usage_errors() {
    for args in [
        &["proxy", "--bogus"][..],
        &["proxy", "--user", "a"],
        &["proxy", "--profile", "socks"],
        &["probe"],
        &["probe", "--proxy", "http://x", "a:1"],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(code(out.status), 2, "{args:?}");
    }
    // Nothing listening: the probe says so and exits 3.
    let url = format!(
        "socks5://{}",
        SocketAddr::from((Ipv4Addr::LOCALHOST, closed_port()))
    );
    let out = probe(&["--proxy", &url, "example.com:80"], None);
    assert_eq!(code(out.status), 3);
}

#[test]
fn sigint_shuts_down_cleanly_after_open_connections_finish() {
    let echo = echo_server();
    let mut proxy = Proxy::start(&[]);
    // A relay in progress when Ctrl-C comes.
    let mut s = proxy.connect();
    assert_eq!(v5_request(&mut s, &v5_connect_v4(echo), 10), V5_OK);
    s.write_all(b"before").unwrap();
    assert_eq!(read_n(&mut s, 6), b"before");
    let pid = proxy.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    proxy.expect_log(&["shutting down", "1 connections open"]);
    // New clients are refused while it drains.
    let mut late = proxy.connect();
    assert_eq!(read_all(&mut late), b"");
    // The open tunnel still works, then closes.
    s.write_all(b"during").unwrap();
    assert_eq!(read_n(&mut s, 6), b"during");
    drop(s);
    proxy.expect_log(&["stopped (0 connections cut)"]);
    let status = proxy.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}
