//! The wire contract on any bytes, for every parser: no panic, no read past the input, exact
//! prefixes, and lossless re-encoding of whatever is accepted. Inputs: every input of up to two
//! bytes, every three-byte input starting with a version byte, and mutations of valid messages
//! from a seeded generator.

#[path = "support/gen.rs"]
mod generator;

use sockswire::fuzz_support;

/// Runs every parser's fuzz body (sockswire::fuzz_support) on `input`; returns how many
/// accepted it.
fn check_all(input: &[u8]) -> usize {
    // The dissector's probe is no parser, but it takes the same untrusted first bytes.
    let _ = fuzz_support::probe(input);
    let _ = fuzz_support::find_message(input);
    // So are the UDP reassembler's and the UDP relay's datagrams, and the dissector's state
    // queries.
    let _ = fuzz_support::udp_reassembler(input);
    let _ = fuzz_support::udp_relay_datagram(input);
    let _ = fuzz_support::dissector_state(input);
    fuzz_support::PARSE_TARGETS
        .iter()
        .filter(|(_, body)| body(input).is_some())
        .count()
}

#[test]
fn every_short_input() {
    let mut accepted = 0;
    accepted += check_all(&[]);
    for a in 0..=255u8 {
        accepted += check_all(&[a]);
        for b in 0..=255u8 {
            accepted += check_all(&[a, b]);
            if matches!(a, 0 | 1 | 4 | 5) {
                for c in [0, 1, 2, 3, 4, 5, 0x7F, 0xF0, 0xFF] {
                    accepted += check_all(&[a, b, c]);
                }
            }
        }
    }
    // Two-byte messages: method choices, userpass replies, GSS-API aborts, greetings with
    // NMETHODS=0, and more: the count pins that short inputs do get accepted.
    assert!(accepted > 256 * 3, "{accepted}");
}

const SEEDS: &[&[u8]] = &[
    b"\x04\x01\x00\x50\x7f\x00\x00\x01\x00",
    b"\x04\x01\x01\xbb\x00\x00\x00\x01tor\x00torproject.org\x00",
    b"\x00\x5a\x00\x50\x7f\x00\x00\x01",
    b"\x05\x02\x00\x02",
    b"\x05\x02",
    b"\x05\x01\x00\x03\x0bexample.com\x00\x50",
    b"\x05\x01\x00\x01\x7f\x00\x00\x01\x1f\x90",
    b"\x05\x01\x00\x04\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x01\xbb",
    b"\x05\x04\x00\x00\x00\x00\x00\x00\x00\x00",
    b"\x01\x05alice\x06secret",
    b"\x01\x00",
    b"\x01\x01\x00\x04\x60\x82\x01\x23",
    b"\x01\xff",
    b"\x00\x00\x00\x01\x7f\x00\x00\x01\x00\x35data",
    b"\x00\x00\x81\x03\x09localhost\x1f\x90",
    b"\x03\x02hi\x00\x50",
];

#[test]
fn mutated_messages() {
    let mut rng = generator::Rng::new(0x50C5);
    let mut accepted = 0;
    for round in 0..200_000 {
        let mut input = SEEDS[round % SEEDS.len()].to_vec();
        for _ in 0..=rng.below(4) {
            rng.mutate(&mut input);
        }
        accepted += check_all(&input);
    }
    assert!(accepted > 200_000, "{accepted}");
}

#[test]
fn random_bytes() {
    let mut rng = generator::Rng::new(7);
    for _ in 0..100_000 {
        let len = rng.below(300);
        let mut input = rng.bytes(len);
        if let Some(first) = input.first_mut() {
            *first = [0, 1, 4, 5][rng.below(4)];
        }
        check_all(&input);
    }
}
