//! `sockswire proxy` under pressure, through the real binary on loopback: the caps on
//! connections (all, and per client address), the short wait for a slot, the clean refusal
//! past it, and the listen backlog.
#![cfg(feature = "cli")]

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

#[path = "support/proxy_process.rs"]
mod proxy_process;
use proxy_process::{Proxy, T, echo_server, read_all, read_n, v5_connect_v4};

const V5_OK: [u8; 10] = [5, 0, 0, 1, 0, 0, 0, 0, 0, 0];

fn assert_echo(s: &mut TcpStream, payload: &[u8]) {
    s.write_all(payload).unwrap();
    s.shutdown(std::net::Shutdown::Write).unwrap();
    assert_eq!(read_all(s), payload, "echo through the half-closed tunnel");
}

fn served(proxy: &Proxy, echo: SocketAddr) {
    let mut s = proxy.connect();
    s.write_all(&[5, 1, 0]).unwrap();
    assert_eq!(read_n(&mut s, 2), [5, 0]);
    s.write_all(&v5_connect_v4(echo)).unwrap();
    assert_eq!(read_n(&mut s, 10), V5_OK);
    assert_echo(&mut s, b"served");
}

#[test]
fn max_conns_queues_extra_clients_briefly() {
    let echo = echo_server();
    let mut proxy = Proxy::start(&["--max-conns", "1", "--handshake-timeout", "30"]);
    let first = proxy.connect();
    thread::sleep(Duration::from_millis(100));
    let mut second = proxy.connect();
    second.write_all(&[5, 1, 0]).unwrap();
    second
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let mut b = [0; 2];
    let waited = second.read(&mut b);
    assert!(
        matches!(&waited, Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)),
        "the second client was served while the first held the only slot: {waited:?}"
    );
    proxy.expect_log(&["connections open (--max-conns): new clients wait"]);
    drop(first);
    second.set_read_timeout(Some(T)).unwrap();
    second.read_exact(&mut b).unwrap();
    assert_eq!(b, [5, 0]);
    second.write_all(&v5_connect_v4(echo)).unwrap();
    assert_eq!(read_n(&mut second, 10), V5_OK);
    assert_echo(&mut second, b"served after the first left");
}

#[test]
fn a_full_proxy_refuses_cleanly_and_recovers() {
    let echo = echo_server();
    let mut proxy = Proxy::start(&[
        "--max-conns",
        "2",
        "--queue-timeout",
        "0.3",
        "--handshake-timeout",
        "30",
    ]);
    let held = [proxy.connect(), proxy.connect()];
    thread::sleep(Duration::from_millis(100));
    let start = Instant::now();
    let mut s = proxy.connect();
    s.write_all(&[5, 1, 0]).unwrap();
    assert_eq!(
        read_all(&mut s),
        [5, 0xFF],
        "SOCKS5: no acceptable method, then close"
    );
    let waited = start.elapsed();
    assert!(waited >= Duration::from_millis(250), "{waited:?}");
    let mut s = proxy.connect();
    s.write_all(&[4, 1, 0, 80, 127, 0, 0, 1, 0]).unwrap();
    assert_eq!(read_all(&mut s), [0, 0x5B, 0, 0, 0, 0, 0, 0], "SOCKS4: 5B");
    proxy.expect_log(&["refused: 2 connections open (--max-conns); sent 05 ff"]);
    drop(held);
    thread::sleep(Duration::from_millis(100));
    served(&proxy, echo);
}

#[test]
fn max_per_client_refuses_at_once() {
    let echo = echo_server();
    let mut proxy = Proxy::start(&["--max-per-client", "2", "--handshake-timeout", "30"]);
    let held = [proxy.connect(), proxy.connect()];
    thread::sleep(Duration::from_millis(100));
    let start = Instant::now();
    let mut s = proxy.connect();
    s.write_all(&[5, 1, 0]).unwrap();
    assert_eq!(read_all(&mut s), [5, 0xFF]);
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    proxy.expect_log(&["refused: 2 connections from this address (--max-per-client)"]);
    // Another loopback address is another client.
    let other = SocketAddr::from(([127, 0, 0, 2], 0));
    let sock = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).unwrap();
    sock.bind(&other.into()).unwrap();
    sock.connect_timeout(&proxy.addr.into(), T).unwrap();
    let mut s: TcpStream = sock.into();
    s.set_read_timeout(Some(T)).unwrap();
    s.write_all(&[5, 1, 0]).unwrap();
    assert_eq!(read_n(&mut s, 2), [5, 0]);
    drop(held);
    thread::sleep(Duration::from_millis(100));
    served(&proxy, echo);
}

/// Opens up to `burst` connections to `addr`, stopping at the first that does not complete
/// within 300 ms (its SYN dropped: the accept queue is full). Returns the open ones.
fn burst_connect(addr: SocketAddr, burst: usize) -> Vec<TcpStream> {
    let mut open = Vec::new();
    for _ in 0..burst {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
            Ok(s) => open.push(s),
            Err(_) => break,
        }
    }
    open
}

fn signal(proxy: &Proxy, sig: &str) {
    let pid = proxy.child.id().to_string();
    assert!(
        Command::new("kill")
            .args([sig, &pid])
            .status()
            .unwrap()
            .success()
    );
}

/// Waits (at most 2 s) until every thread of the proxy is stopped (`T` in
/// `/proc/PID/task/*/stat`): `kill -STOP` returns before the signal has taken effect, and a
/// thread still running would accept connections the test counts on staying queued.
fn wait_stopped(proxy: &Proxy) {
    let tasks = format!("/proc/{}/task", proxy.child.id());
    let deadline = Instant::now() + Duration::from_secs(2);
    loop {
        let all_stopped = std::fs::read_dir(&tasks).unwrap().all(|task| {
            let stat = std::fs::read_to_string(task.unwrap().path().join("stat")).unwrap();
            // "pid (comm) S ...": the state follows the last ')'.
            let state = stat.rsplit(')').next().unwrap().trim_start();
            state.starts_with('T')
        });
        if all_stopped {
            return;
        }
        assert!(Instant::now() < deadline, "proxy not stopped after 2 s");
        thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn backlog_sets_the_accept_queue() {
    // With the proxy stopped (SIGSTOP), nothing is accepted: the kernel completes
    // connections into the accept queue, which Linux fills to backlog + 1; past that it
    // drops SYNs. std's own listener would cap the queue at 128.
    for (backlog, burst, expect) in [(8, 40, 8 + 1), (300, 200, 200)] {
        let proxy = Proxy::start(&["--backlog", &backlog.to_string()]);
        signal(&proxy, "-STOP");
        wait_stopped(&proxy);
        let open = burst_connect(proxy.addr, burst);
        signal(&proxy, "-CONT");
        assert_eq!(open.len(), expect, "--backlog {backlog}");
    }
}
