//! The five checks of every wire fixture (STYLE.md rule 9), and the shape of a message that
//! says what `Needed` every prefix must give.

#![allow(dead_code)]

/// One part of a message, in wire order, as the exact-prefix contract sees it.
#[derive(Clone, Copy, Debug)]
pub enum Seg {
    /// A run whose size is known once the previous parts are read: a prefix ending inside it
    /// needs exactly the rest of the run.
    Fixed(usize),
    /// A NUL-terminated field of this many bytes, NUL included: a prefix ending inside it needs 1.
    Nul(usize),
}

/// The `Needed` count the contract demands for every proper prefix length `0..len`.
pub fn needs(segs: &[Seg]) -> Vec<usize> {
    let mut out = Vec::new();
    for seg in segs {
        match *seg {
            Seg::Fixed(n) => out.extend((1..=n).rev()),
            Seg::Nul(n) => out.extend(std::iter::repeat_n(1, n)),
        }
    }
    out
}

/// Runs the five checks on a fixture:
/// 1. the whole message parses into `expected` with nothing left;
/// 2. re-encoding gives the bytes back (and a short buffer is refused untouched);
/// 3. every proper prefix is `Incomplete` with the exact count from `segs`;
/// 4. in complete mode every proper prefix is an error (`Truncated` with the same count, or
///    `MissingNul`);
/// 5. trailing bytes are left untouched.
macro_rules! check_fixture {
    ($builder:expr, $bytes:expr, $expected:expr, $segs:expr) => {{
        use nom::Parser as _;
        use sockswire::{Encode as _, WireError};
        let bytes: &[u8] = &$bytes;
        let expected = $expected;
        let needs = $crate::fixture::needs(&$segs);
        let mut longer = bytes.to_vec();
        longer.extend_from_slice(&[0xEE, 0x05, 0x00]);
        let mut parser = $crate::fixture::wire($builder);
        assert_eq!(
            needs.len(),
            bytes.len(),
            "segments must add up to the message length"
        );

        // 1. fields
        let (rest, view) = parser.parse(bytes).expect("fixture parses");
        assert_eq!(view, expected, "fields");
        assert!(rest.is_empty(), "whole message consumed");

        // 2. byte-exact re-encode
        assert_eq!(view.encoded_len(), bytes.len(), "encoded_len");
        let mut out = vec![0xAA_u8; bytes.len() + 8];
        let n = view.encode(&mut out).expect("encodes");
        assert_eq!(&out[..n], bytes, "re-encode");
        let mut short = vec![0xAA_u8; bytes.len() - 1];
        assert_eq!(
            view.encode(&mut short),
            Err(sockswire::EncodeError::BufferTooSmall {
                needed: bytes.len(),
                available: bytes.len() - 1
            })
        );
        assert!(short.iter().all(|&b| b == 0xAA), "nothing written on error");

        // 3. exact Needed on every proper prefix; 4. complete mode errors
        for (k, &need) in needs.iter().enumerate() {
            let prefix = &bytes[..k];
            assert_eq!(
                parser.parse(prefix),
                Err(nom::Err::Incomplete(nom::Needed::new(need))),
                "streaming prefix of {k} bytes"
            );
            match parser.parse_complete(prefix) {
                Err(nom::Err::Error(WireError::Truncated { needed, .. })) => {
                    assert_eq!(needed, need, "complete prefix of {k} bytes")
                }
                Err(nom::Err::Error(WireError::MissingNul { .. })) => assert_eq!(need, 1),
                other => panic!("complete prefix of {k} bytes: {other:?}"),
            }
        }

        // 5. trailing bytes untouched
        let (rest, again) = parser.parse(&longer).expect("parses with trailing bytes");
        assert_eq!(again, expected);
        assert_eq!(rest, &[0xEE, 0x05, 0x00]);
    }};
}

/// Pins a builder's error type to `WireError`.
pub fn wire<'a, P: nom::Parser<&'a [u8], Error = sockswire::WireError>>(p: P) -> P {
    p
}

/// Parses hex with optional spaces, for fixtures taken from captures.
pub fn hex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    digits
        .chunks(2)
        .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap())
        .collect()
}
