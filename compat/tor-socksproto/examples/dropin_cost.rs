//! What the drop-in costs, on equal work: one proxy-side handshake as Arti's SOCKS port runs it
//! (a fresh handshake and `Buffer::new()`, the client's bytes read at once, `step` until
//! finished, `into_output_forbid_pipelining`, then `reply(SUCCEEDED, None)`), the same bytes
//! sent and the same request and reply, by three implementations: the facade, the published
//! tor-socksproto 0.47.0 and sockswire's own API.
//!
//! `dropin_cost allocs` prints allocations per handshake; `dropin_cost run IMPL CASE N` runs N
//! handshakes (for `scripts/dropin_cost.sh`, which counts instructions with callgrind as
//! `(Ir(N) - Ir(0)) / N`). IMPL: facade, real, sockswire. CASE: socks5 (user/pass, hostname),
//! socks4a.

#[path = "../../../tests/support/counting_alloc.rs"]
mod counting_alloc;

use std::hint::black_box;

/// SOCKS5: greeting offering user/pass, RFC 1929 alice/secret, CONNECT example.com:443.
const SOCKS5: &[u8] =
    b"\x05\x02\x00\x02\x01\x05alice\x06secret\x05\x01\x00\x03\x0bexample.com\x01\xbb";
/// SOCKS4a: CONNECT example.com:443 with user-id "alice".
const SOCKS4A: &[u8] = b"\x04\x01\x01\xbb\x00\x00\x00\x01alice\x00example.com\x00";

/// One handshake through a tor-socksproto-shaped crate; returns the bytes sent and the reply.
macro_rules! arti_way {
    ($name:ident, $c:ident) => {
        fn $name(input: &[u8]) -> (usize, Vec<u8>) {
            use $c::{Handshake as _, NextStep};
            let mut hs = $c::SocksProxyHandshake::new();
            let mut buf = $c::Buffer::new();
            let mut input = input;
            let mut sent = 0;
            let request = loop {
                match hs.step(&mut buf).expect("valid") {
                    NextStep::Send(bytes) => sent += black_box(bytes).len(),
                    NextStep::Recv(mut recv) => {
                        let n = recv.buf().len().min(input.len());
                        recv.buf()[..n].copy_from_slice(&input[..n]);
                        input = &input[n..];
                        recv.note_received(n).expect("data");
                    }
                    NextStep::Finished(done) => {
                        break done.into_output_forbid_pipelining().expect("no pipelining");
                    }
                }
            };
            let reply = request
                .reply($c::SocksStatus::SUCCEEDED, None)
                .expect("encodable");
            black_box(&request);
            (sent, reply)
        }
    };
}

arti_way!(facade, tor_socksproto);
arti_way!(real, real);

/// The same work with sockswire's own API.
fn sockswire_way(input: &[u8]) -> (usize, Vec<u8>) {
    use sockswire::{Handshake as _, NextStep};
    let mut hs = sockswire::SocksProxyHandshake::new();
    let mut buf = sockswire::Buffer::new();
    let mut input = input;
    let mut sent = 0;
    loop {
        match hs.step(&mut buf).expect("valid") {
            NextStep::Send(bytes) => sent += black_box(bytes).len(),
            NextStep::Recv(mut recv) => {
                let n = recv.buf().len().min(input.len());
                recv.buf()[..n].copy_from_slice(&input[..n]);
                input = &input[n..];
                recv.note_received(n).expect("data");
            }
            NextStep::Finished(done) => {
                let request = done.into_output_forbid_pipelining().expect("no pipelining");
                let reply = request
                    .reply(sockswire::SocksStatus::SUCCEEDED, None)
                    .expect("encodable");
                black_box(&request);
                // Only to compare with the others below; not part of the measured work.
                return (sent, black_box(reply).to_vec());
            }
        }
    }
}

/// The measured work without the comparison copy.
fn sockswire_measured(input: &[u8]) {
    use sockswire::{Handshake as _, NextStep};
    let mut hs = sockswire::SocksProxyHandshake::new();
    let mut buf = sockswire::Buffer::new();
    let mut input = input;
    loop {
        match hs.step(&mut buf).expect("valid") {
            NextStep::Send(bytes) => {
                black_box(bytes);
            }
            NextStep::Recv(mut recv) => {
                let n = recv.buf().len().min(input.len());
                recv.buf()[..n].copy_from_slice(&input[..n]);
                input = &input[n..];
                recv.note_received(n).expect("data");
            }
            NextStep::Finished(done) => {
                let request = done.into_output_forbid_pipelining().expect("no pipelining");
                let reply = request.reply(sockswire::SocksStatus::SUCCEEDED, None);
                black_box((&request, reply.expect("encodable")));
                return;
            }
        }
    }
}

fn case(name: &str) -> &'static [u8] {
    match name {
        "socks5" => SOCKS5,
        "socks4a" => SOCKS4A,
        other => panic!("unknown case {other}"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["allocs"] => {
            println!("| case | facade | tor-socksproto 0.47 | sockswire |");
            println!("|---|---|---|---|");
            for name in ["socks5", "socks4a"] {
                let input = case(name);
                // Equal work: the same bytes sent and the same reply from all three.
                let (f, r, s) = (facade(input), real(input), sockswire_way(input));
                assert!(f == r && r == s, "{f:?} {r:?} {s:?}");
                let a = |g: &dyn Fn()| counting_alloc::allocations_during(g);
                println!(
                    "| {name} | {} | {} | {} |",
                    a(&|| drop(black_box(facade(input)))),
                    a(&|| drop(black_box(real(input)))),
                    a(&|| sockswire_measured(input)),
                );
            }
        }
        ["run", imp, name, n] => {
            let input = case(name);
            let n: usize = n.parse().expect("N");
            for _ in 0..n {
                match *imp {
                    "facade" => drop(black_box(facade(black_box(input)))),
                    "real" => drop(black_box(real(black_box(input)))),
                    "sockswire" => sockswire_measured(black_box(input)),
                    other => panic!("unknown implementation {other}"),
                }
            }
        }
        _ => eprintln!("usage: dropin_cost allocs | dropin_cost run IMPL CASE N"),
    }
}
