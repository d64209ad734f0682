//! Round trips over generated views: for every view that encodes, parsing the encoding gives
//! the same view back and consumes exactly the encoding. Views come from `arbitrary` fed by a
//! seeded generator.
#![cfg(feature = "arbitrary")]

#[path = "support/gen.rs"]
mod generator;

use arbitrary::{Arbitrary, Unstructured};
use nom::Parser;
use sockswire::*;

const ROUNDS: usize = 20_000;

// Views borrow from the generator's bytes, so each message type gets its own test from one
// macro rather than one generic function.
macro_rules! roundtrip_test {
    ($name:ident, $ty:ident, $parser:expr, $min:expr) => {
        #[test]
        fn $name() {
            let mut rng = generator::Rng::new(stringify!($name).len() as u64);
            let mut encoded = 0;
            for _ in 0..ROUNDS {
                let len = rng.below(600);
                let raw = rng.bytes(len);
                let Ok(view) = $ty::arbitrary(&mut Unstructured::new(&raw)) else {
                    continue;
                };
                let mut out = vec![0; view.encoded_len()];
                let encoded_now = view.encode(&mut out);
                append_agrees(&view, &encoded_now, &out);
                let Ok(n) = encoded_now else {
                    continue;
                };
                assert_eq!(n, out.len(), "encoded_len for {view:?}");
                let (rest, back) = $parser
                    .parse(&out[..])
                    .unwrap_or_else(|e: nom::Err<WireError>| panic!("{view:?}: {e:?}"));
                assert!(rest.is_empty(), "{view:?}");
                assert_eq!(back, view);
                encoded += 1;
            }
            assert!(encoded >= $min, "only {encoded} of {ROUNDS} views encoded");
        }
    };
}

/// `encode_append` writes what `encode` wrote, after what was there, or refuses with the
/// same error (or `BufferTooSmall` where the room is short) and appends nothing.
fn append_agrees<V: Encode + std::fmt::Debug>(
    view: &V,
    encoded: &Result<usize, EncodeError>,
    out: &[u8],
) {
    let mut roomy = arrayvec::ArrayVec::<u8, 70_000>::new();
    roomy.push(0xAA);
    assert_eq!(view.encode_append(&mut roomy), *encoded, "{view:?}");
    match encoded {
        Ok(n) => assert_eq!(&roomy[1..], &out[..*n], "{view:?}"),
        Err(_) => assert_eq!(&roomy[..], [0xAA], "{view:?}"),
    }
    let mut small = arrayvec::ArrayVec::<u8, 16>::new();
    small.push(0xAA);
    match (view.encode_append(&mut small), encoded) {
        (Ok(m), Ok(n)) => {
            assert_eq!(m, *n);
            assert_eq!(&small[1..], &out[..*n], "{view:?}");
        }
        (Err(EncodeError::BufferTooSmall { needed, available }), Ok(n)) => {
            assert_eq!((needed, available), (*n, 15), "{view:?}");
            assert_eq!(&small[..], [0xAA], "{view:?}");
        }
        (Err(e), Err(expected)) => {
            assert_eq!(&e, expected, "{view:?}");
            assert_eq!(&small[..], [0xAA], "{view:?}");
        }
        other => panic!("{view:?}: {other:?}"),
    }
}

const UNLIMITED: Limits = Limits {
    socks4_userid: usize::MAX,
    socks4_hostname: usize::MAX,
    socks4_message: usize::MAX,
    gssapi_token: usize::MAX,
};

roundtrip_test!(
    roundtrip_socks4_request,
    Socks4Request,
    socks4_request(UNLIMITED),
    ROUNDS / 2
);
roundtrip_test!(
    roundtrip_socks4_reply,
    Socks4Reply,
    socks4_reply(),
    ROUNDS / 2
);
roundtrip_test!(
    roundtrip_socks5_greeting,
    Socks5Greeting,
    socks5_greeting(),
    ROUNDS / 2
);
roundtrip_test!(
    roundtrip_socks5_method_choice,
    Socks5MethodChoice,
    socks5_method_choice(),
    ROUNDS / 2
);
roundtrip_test!(
    roundtrip_socks5_request,
    Socks5Request,
    socks5_request(),
    ROUNDS / 2
);
roundtrip_test!(
    roundtrip_socks5_reply,
    Socks5Reply,
    socks5_reply(),
    ROUNDS / 2
);
roundtrip_test!(
    roundtrip_userpass_request,
    UserPassRequest,
    userpass_request(),
    ROUNDS / 2
);
roundtrip_test!(
    roundtrip_userpass_reply,
    UserPassReply,
    userpass_reply(),
    ROUNDS / 2
);
roundtrip_test!(
    roundtrip_gssapi_message,
    GssapiMessage,
    gssapi_message(UNLIMITED),
    ROUNDS / 2
);
roundtrip_test!(
    roundtrip_socks5_udp_header,
    Socks5UdpHeader,
    socks5_udp_header(),
    ROUNDS / 2
);

#[test]
fn roundtrip_socks5_udp_datagram() {
    let mut rng = generator::Rng::new(99);
    let mut encoded = 0;
    for _ in 0..ROUNDS {
        let len = rng.below(600);
        let raw = rng.bytes(len);
        let Ok(dg) = Socks5UdpDatagram::arbitrary(&mut Unstructured::new(&raw)) else {
            continue;
        };
        let mut out = vec![0; dg.encoded_len()];
        let encoded_now = dg.encode(&mut out);
        // The one encoder on `encode_append`'s default (zero-filling) path.
        append_agrees(&dg, &encoded_now, &out);
        let Ok(_) = encoded_now else { continue };
        assert_eq!(parse_socks5_udp_datagram(&out), Ok(dg));
        encoded += 1;
    }
    assert!(encoded >= ROUNDS / 2, "{encoded}");
}
