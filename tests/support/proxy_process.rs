//! A running `sockswire proxy` as a child process, with its log lines: for the CLI tests.
//! Include it with `#[path]`.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_sockswire");
/// The bound on every wait that should succeed.
pub const T: Duration = Duration::from_secs(10);

/// A running `sockswire proxy`, killed on drop.
pub struct Proxy {
    pub child: Child,
    pub addr: SocketAddr,
    pub log: mpsc::Receiver<String>,
}

impl Proxy {
    pub fn start(args: &[&str]) -> Proxy {
        Proxy::try_start("127.0.0.1:0", args).expect("proxy did not start")
    }

    pub fn try_start(listen: &str, args: &[&str]) -> Option<Proxy> {
        Proxy::try_start_env(listen, args, &[])
    }

    /// [`Proxy::try_start`] with environment variables for the child.
    pub fn try_start_env(listen: &str, args: &[&str], env: &[(&str, &str)]) -> Option<Proxy> {
        let mut child = Command::new(BIN)
            .envs(env.iter().copied())
            .arg("proxy")
            .args(["--listen", listen])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut proxy = Proxy {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            log: rx,
        };
        let line = proxy.wait_log(|l| l.contains("listening on") || l.contains("cannot"))?;
        let addr = line.split("listening on ").nth(1)?.split(' ').next()?;
        proxy.addr = addr.parse().ok()?;
        Some(proxy)
    }

    /// The first log line (from now on) that matches, within [`T`].
    pub fn wait_log(&mut self, want: impl Fn(&str) -> bool) -> Option<String> {
        let deadline = Instant::now() + T;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.log.recv_timeout(left) {
                Ok(line) if want(&line) => return Some(line),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    }

    pub fn expect_log(&mut self, parts: &[&str]) -> String {
        let seen = std::cell::RefCell::new(Vec::new());
        self.wait_log(|l| {
            seen.borrow_mut().push(l.to_string());
            parts.iter().all(|p| l.contains(p))
        })
        .unwrap_or_else(|| panic!("no log line with {parts:?}; saw {:?}", seen.borrow()))
    }

    pub fn connect(&self) -> TcpStream {
        let s = TcpStream::connect_timeout(&self.addr, T).unwrap();
        s.set_read_timeout(Some(T)).unwrap();
        s.set_write_timeout(Some(T)).unwrap();
        s
    }

    pub fn url(&self, scheme: &str) -> String {
        format!("{scheme}://{}", self.addr)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An echo server: each chunk read is written back; at EOF it half-closes in turn.
pub fn echo_server() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    thread::spawn(move || {
        for s in l.incoming() {
            let Ok(mut s) = s else { continue };
            thread::spawn(move || {
                s.set_read_timeout(Some(T)).unwrap();
                let mut buf = [0; 4096];
                while let Ok(n @ 1..) = s.read(&mut buf) {
                    if s.write_all(&buf[..n]).is_err() {
                        return;
                    }
                }
                let _ = s.shutdown(Shutdown::Write);
            });
        }
    });
    addr
}

/// A port with nothing listening.
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

pub fn read_n(s: &mut TcpStream, n: usize) -> Vec<u8> {
    let mut buf = vec![0; n];
    s.read_exact(&mut buf).unwrap();
    buf
}

/// Everything until EOF (a reset counts as the end too).
pub fn read_all(s: &mut TcpStream) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return out,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return out,
            Err(e) => panic!("read: {e}"),
        }
    }
}

/// A SOCKS5 CONNECT request for an IPv4 `addr`.
pub fn v5_connect_v4(addr: SocketAddr) -> Vec<u8> {
    let SocketAddr::V4(a) = addr else {
        panic!("IPv4 only")
    };
    let mut r = vec![5, 1, 0, 1];
    r.extend_from_slice(&a.ip().octets());
    r.extend_from_slice(&a.port().to_be_bytes());
    r
}
