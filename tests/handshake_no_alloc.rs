//! Whole handshakes, proxy and client, in both read modes, allocate nothing: a counting global
//! allocator watches this thread.

use std::net::{IpAddr, Ipv6Addr};

use sockswire::*;

#[path = "support/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::allocations_during;

/// Drives a handshake over `peer`'s bytes without allocating; returns bytes sent and a
/// checksum of the output.
fn run<H: Handshake, P: ReadPrecision>(
    hs: &mut H,
    buf: &mut Buffer<P>,
    mut peer: &[u8],
    out: impl for<'b> Fn(H::Output<'b>) -> usize,
) -> usize {
    let mut sent = 0;
    loop {
        match hs.step(buf).expect("step") {
            NextStep::Send(b) => sent += b.len(),
            NextStep::Recv(mut r) => {
                let dst = r.buf();
                let n = dst.len().min(peer.len()).min(5);
                dst[..n].copy_from_slice(&peer[..n]);
                peer = &peer[n..];
                r.note_received(n).expect("peer has bytes");
            }
            NextStep::Finished(f) => {
                let (o, rest) = f.into_output_and_slice();
                return sent + out(o) + rest.len();
            }
        }
    }
}

#[test]
fn whole_handshakes_allocate_nothing() {
    assert_eq!(
        allocations_during(|| drop(std::hint::black_box(vec![1u8]))),
        1
    );
    let proxy_inputs: [&[u8]; 4] = [
        b"\x05\x01\x00\x05\x01\x00\x03\x0bexample.com\x01\xbb",
        b"\x05\x01\x02\x01\x05alice\x06secret\x05\x01\x00\x04\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01\x00\x16",
        b"\x04\x01\x00\x50\x00\x00\x00\x01tor\x00torproject.org\x00",
        b"\x05\x01\x00\x05\xf0\x00\x03\x03a.b\x00\x00data",
    ];
    let host = SocksHostname::try_from("example.com").unwrap();
    let requests = [
        SocksRequest::new(
            SocksVersion::V5,
            SocksCmd::CONNECT,
            SocksAddr::Hostname(host),
            443,
            SocksAuth::NoAuth,
        )
        .unwrap(),
        SocksRequest::new(
            SocksVersion::V5,
            SocksCmd::CONNECT,
            SocksAddr::Ip(IpAddr::V6(Ipv6Addr::LOCALHOST)),
            22,
            SocksAuth::Username(b"u", b"p"),
        )
        .unwrap(),
        SocksRequest::new(
            SocksVersion::V4,
            SocksCmd::CONNECT,
            SocksAddr::Hostname(host),
            80,
            SocksAuth::Socks4(b"id"),
        )
        .unwrap(),
    ];
    let servers: [&[u8]; 3] = [
        b"\x05\x00\x05\x00\x00\x03\x0bexample.com\x01\xbb",
        b"\x05\x02\x01\x00\x05\x00\x00\x01\x7f\x00\x00\x01\x00\x16",
        b"\x00\x5a\x00\x50\x01\x02\x03\x04",
    ];
    let mut total = 0;
    let n = allocations_during(|| {
        for input in proxy_inputs {
            let mut hs = SocksProxyHandshake::new();
            total += run(&mut hs, &mut Buffer::new(), input, |r| {
                r.reply(SocksStatus::SUCCEEDED, Some(r.addr()))
                    .map_or(0, |b| b.len())
                    + r.target().port as usize
            });
            let mut hs = SocksProxyHandshake::with_policy(ProxyPolicy::CTOR);
            total += run(&mut hs, &mut Buffer::new_precise(), input, |r| {
                r.port() as usize
            });
        }
        for (request, server) in requests.iter().zip(servers) {
            let mut hs = SocksClientHandshake::new(*request);
            total += run(&mut hs, &mut Buffer::new(), server, |r| r.port() as usize);
            let mut hs = SocksClientHandshake::new(*request);
            total += run(&mut hs, &mut Buffer::new_precise(), server, |r| {
                r.port() as usize
            });
        }
        // Failure paths allocate nothing either.
        let mut hs = SocksProxyHandshake::new();
        let mut buf = Buffer::new();
        buf.unfilled_slice()[..3].copy_from_slice(b"\x05\x01\x01");
        buf.note_received(3).unwrap();
        total += hs.step(&mut buf).is_err() as usize + hs.failure_reply().map_or(0, <[u8]>::len);
    });
    assert_eq!(n, 0, "allocations during whole handshakes");
    assert!(total > 500, "{total}");
}
