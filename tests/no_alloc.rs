//! Parsing and encoding never allocate: a counting global allocator watches this thread while
//! every parser runs on valid, truncated and invalid input and every view is encoded.

use nom::Parser;
use sockswire::*;

#[path = "support/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::allocations_during;

fn encode_into(view: &impl Encode, out: &mut [u8]) -> usize {
    view.encode(out).expect("encodes")
}

#[test]
fn parse_and_encode_allocate_nothing() {
    // The counter sees allocations on this thread.
    assert_eq!(
        allocations_during(|| drop(std::hint::black_box(vec![1u8]))),
        1
    );

    let inputs: [&[u8]; 8] = [
        b"\x04\x01\x01\xbb\x00\x00\x00\x01tor\x00torproject.org\x00",
        b"\x05\x02\x00\x02",
        b"\x05\x01\x00\x03\x0bexample.com\x00\x50",
        b"\x05\xf6\x00\x04\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x01\xbb",
        b"\x01\x05alice\x06secret",
        b"\x01\x01\x00\x02\x60\x82",
        b"\x00\x00\x81\x03\x09localhost\x1f\x90payload",
        b"\x05\x01\x00\x03\x0bexam",
    ];
    let mut out = [0u8; 600];
    let mut total = 0;
    let n = allocations_during(|| {
        for input in inputs {
            for k in 0..=input.len() {
                let i = &input[..k];
                if let Ok((_, v)) = parse_socks4_request(i) {
                    total += encode_into(&v, &mut out);
                }
                if let Ok((_, v)) = parse_socks4_reply(i) {
                    total += encode_into(&v, &mut out);
                }
                if let Ok((_, v)) = parse_socks5_greeting(i) {
                    total += encode_into(&v, &mut out);
                    total += v.to_bytes().map_or(0, |b| b.len());
                }
                if let Ok((_, v)) = parse_socks5_method_choice(i) {
                    total += encode_into(&v, &mut out);
                }
                if let Ok((_, v)) = parse_socks5_request(i) {
                    total += encode_into(&v, &mut out);
                    total += v.to_bytes().map_or(0, |b| b.len());
                }
                if let Ok((_, v)) = parse_socks5_reply(i) {
                    total += encode_into(&v, &mut out);
                }
                if let Ok((_, v)) = parse_userpass_request(i) {
                    total += encode_into(&v, &mut out);
                }
                if let Ok((_, v)) = parse_userpass_reply(i) {
                    total += encode_into(&v, &mut out);
                }
                if let Ok((_, v)) = parse_gssapi_message(i) {
                    total += encode_into(&v, &mut out);
                }
                if let Ok(v) = parse_socks5_udp_datagram(i) {
                    total += encode_into(&v, &mut out);
                }
                let _ = socks5_request::<WireError>().parse_complete(i);
                let _ = socks4_request::<WireError>(Limits::CTOR).parse_complete(i);
            }
        }
    });
    assert_eq!(n, 0, "allocations while parsing and encoding");
    // The loop really parsed and encoded: this many bytes were written.
    assert!(total > 400, "{total}");
}
