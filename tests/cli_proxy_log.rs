//! `sockswire proxy`'s log lines: one when a request is known, one at the end, each with an
//! RFC 3339 timestamp; JSON lines with `--log-json`.
#![cfg(feature = "cli")]

use std::io::Write;
use std::net::SocketAddr;

#[path = "support/proxy_process.rs"]
mod proxy_process;
use proxy_process::{Proxy, echo_server, read_all, read_n};

fn connect_and_echo(proxy: &Proxy, echo: SocketAddr, payload: &[u8]) {
    let SocketAddr::V4(a) = echo else { panic!() };
    let mut s = proxy.connect();
    let mut m = vec![5, 2, 0, 2];
    m.extend_from_slice(&[1, 5, b'a', b'l', b'i', b'c', b'e', 1, b'x']);
    m.extend_from_slice(&[5, 1, 0, 1]);
    m.extend_from_slice(&a.ip().octets());
    m.extend_from_slice(&a.port().to_be_bytes());
    s.write_all(&m).unwrap();
    assert_eq!(
        read_n(&mut s, 4 + 10),
        [5, 2, 1, 0, 5, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    );
    s.write_all(payload).unwrap();
    s.shutdown(std::net::Shutdown::Write).unwrap();
    assert_eq!(read_all(&mut s), payload);
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` at the start of `line`.
fn starts_with_rfc3339(line: &str) -> bool {
    let b = line.as_bytes();
    b.len() > 24
        && b[..24].iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'.',
            23 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

#[test]
fn open_and_close_lines_with_timestamps() {
    let echo = echo_server();
    let mut proxy = Proxy::start(&[]);
    connect_and_echo(&proxy, echo, b"12345");
    let open = proxy.expect_log(&["socks5 CONNECT", "user=\"alice\" open"]);
    assert!(starts_with_rfc3339(&open), "{open}");
    let close = proxy.expect_log(&["user=\"alice\" -> SUCCEEDED", "up=5 down=5"]);
    assert!(starts_with_rfc3339(&close), "{close}");
}

#[test]
fn json_lines() {
    let echo = echo_server();
    let mut proxy = Proxy::start(&["--log-json"]);
    connect_and_echo(&proxy, echo, b"1234567");
    let target = format!("\"target\":\"{echo}\"");
    let open = proxy.expect_log(&["\"event\":\"open\"", &target]);
    assert!(
        open.starts_with("{\"ts\":\"") && open.ends_with('}'),
        "{open}"
    );
    assert!(starts_with_rfc3339(&open[7..]), "{open}");
    assert!(
        open.contains("\"version\":\"socks5\",\"user\":\"alice\",\"command\":\"CONNECT\""),
        "{open}"
    );
    let close = proxy.expect_log(&["\"event\":\"close\"", &target]);
    assert!(
        close.contains("\"reply\":\"SUCCEEDED\",\"up\":7,\"down\":7,\"duration\":"),
        "{close}"
    );
}
