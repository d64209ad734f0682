//! The `Buffer` contract of both handshakes: every proper prefix asks for more, caller
//! storage and small buffers, and the documented stack sizes.

#[path = "support/drive.rs"]
mod drive;

use drive::{End, drive};
use sockswire::*;

#[test]
fn every_proper_prefix_asks_for_more() {
    let inputs: [&[u8]; 6] = [
        b"\x04\x01\x00\x50\x00\x00\x00\x01user\x00example.com\x00",
        b"\x05\x02\x00\x02\x01\x02me\x02pw\x05\x01\x00\x03\x0bexample.com\x01\xbb",
        b"\x05\x01\x00\x05\x01\x00\x04\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01\x00\x16",
        b"\x05\x01\x00\x05\xf0\x00\x03\x03a.b\x00\x00",
        b"\x04\xf0\x00\x00\x00\x00\x00\x09\x00x\x00",
        b"\x05\x01\x02\x01\x00\x00\x05\xf1\x00\x01\x01\x02\x03\x04\x00\x00",
    ];
    for input in inputs {
        for k in 0..input.len() {
            for precise in [false, true] {
                let mut hs = SocksProxyHandshake::new();
                let run = if precise {
                    drive(&mut hs, &mut drive::precise(), &input[..k], 1, |_| ())
                } else {
                    drive(&mut hs, &mut Buffer::new(), &input[..k], 1, |_| ())
                };
                assert!(
                    matches!(run.end, End::NeedMore),
                    "{input:02x?} prefix {k}: {:?}",
                    run.end
                );
            }
        }
        let mut hs = SocksProxyHandshake::new();
        let run = drive(&mut hs, &mut drive::precise(), input, usize::MAX, |_| ());
        assert!(matches!(run.end, End::Finished(..)), "{input:02x?}");
        assert_eq!(run.read_ahead, 0);
    }
}

#[test]
fn caller_storage_and_small_buffers() {
    // Any storage: a slice of the caller's.
    let mut storage = [0u8; 300];
    let mut buf = Buffer::<(), &mut [u8]>::with_storage(&mut storage[..]);
    let mut hs = SocksProxyHandshake::new();
    let run = drive(
        &mut hs,
        &mut buf,
        b"\x05\x01\x00\x05\x01\x00\x03\x0bexample.com\x00\x50",
        1,
        |r| r.target().to_string(),
    );
    assert!(matches!(run.end, End::Finished(ref t, _) if t == "example.com:80"));
    // A maximal user/pass and request need 513 + 262 bytes kept at once; 775 suffice.
    let mut input = b"\x05\x01\x02\x01\xff".to_vec();
    input.extend([b'u'; 255]);
    input.push(255);
    input.extend([b'p'; 255]);
    input.extend_from_slice(b"\x05\x01\x00\x03\xff");
    input.extend([b'h'; 255]);
    input.extend_from_slice(b"\x00\x50");
    let mut storage = vec![0u8; 775];
    let mut hs = SocksProxyHandshake::new();
    let run = drive(
        &mut hs,
        &mut Buffer::<(), &mut [u8]>::with_storage(&mut storage[..]),
        &input,
        64,
        |r| match *r.auth() {
            SocksAuth::Username(u, p) => (u.len(), p.len(), r.target().to_string().len()),
            _ => (0, 0, 0),
        },
    );
    assert!(
        matches!(run.end, End::Finished((255, 255, 258), _)),
        "{:?}",
        run.end
    );
    let mut storage = vec![0u8; 774];
    let mut hs = SocksProxyHandshake::new();
    let run = drive(
        &mut hs,
        &mut Buffer::<(), &mut [u8]>::with_storage(&mut storage[..]),
        &input,
        64,
        |_| (),
    );
    assert!(
        matches!(run.end, End::Error(Error::MessageTooLong { limit: 774 })),
        "{:?}",
        run.end
    );
}

/// The sizes the docs give (`Buffer`, the two handshakes): a change shows up here first.
#[test]
#[cfg(target_pointer_width = "64")]
fn stack_sizes_are_as_documented() {
    assert_eq!(std::mem::size_of::<Buffer>(), 1040);
    assert_eq!(std::mem::size_of::<SocksClientHandshake<'static>>(), 1144);
    assert_eq!(std::mem::size_of::<SocksProxyHandshake<'static>>(), 240);
    assert_eq!(std::mem::size_of::<ProxyPolicy<'static>>(), 112);
    assert_eq!(std::mem::size_of::<Error>(), 24);
}
