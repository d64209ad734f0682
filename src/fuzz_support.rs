//! Fuzz target bodies. They live here, not in `fuzz/`, so `cargo test` replays the committed
//! corpora and every past crash on stable Rust, and `cargo fuzz` runs the same code.
//!
//! Each `parse_*` body runs one parser on the input in streaming and complete mode and checks
//! the wire contract: the modes agree; an accepted message re-encodes to exactly the consumed
//! bytes and leaves the rest untouched; every proper prefix of it is `Incomplete` asking for
//! at least one byte and no more than the message has left. The driver bodies feed arbitrary
//! chunkings to the handshakes in both read modes.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs,
    reason = "fuzz bodies assert: a panic is a finding"
)]

use std::vec;

use nom::{Needed, Parser};

use crate::{
    Buffer, Encode, Handshake, Limits, NextStep, ProxyPolicy, ReadPrecision, SocksProxyHandshake,
    Storage, WireError,
};

/// Checks one parser on one input; returns the consumed length when it accepted.
pub fn check<'a, V, P>(mut parser: impl FnMut() -> P, input: &'a [u8]) -> Option<usize>
where
    V: Encode + core::fmt::Debug + PartialEq,
    P: Parser<&'a [u8], Output = V, Error = WireError>,
{
    let streaming = parser().parse(input);
    let complete = parser().parse_complete(input);
    match (&streaming, &complete) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "modes agree"),
        (Err(nom::Err::Incomplete(_)), Err(nom::Err::Error(_))) => {}
        (Err(nom::Err::Error(a)), Err(nom::Err::Error(b))) => assert_eq!(a, b),
        other => panic!("modes disagree: {other:?}"),
    }
    match streaming {
        Ok((rest, view)) => {
            let consumed = input.len() - rest.len();
            assert!(
                core::ptr::eq(rest, &input[consumed..]),
                "rest is the suffix"
            );
            let mut out = vec![0; view.encoded_len()];
            let n = view.encode(&mut out).unwrap();
            assert_eq!(&out[..n], &input[..consumed], "re-encode");
            for k in 0..consumed {
                match parser().parse(&input[..k]) {
                    Err(nom::Err::Incomplete(Needed::Size(n))) => {
                        assert!(k + n.get() <= consumed, "prefix {k} asks {n}")
                    }
                    other => panic!("prefix {k}: {other:?}"),
                }
            }
            Some(consumed)
        }
        Err(nom::Err::Incomplete(Needed::Size(_)) | nom::Err::Error(_)) => None,
        Err(e) => panic!("{e:?}"),
    }
}

macro_rules! parse_targets {
    ($($name:ident => $builder:expr;)*) => {
        $(
            #[doc = concat!("Fuzz body for the `", stringify!($name), "` parser.")]
            pub fn $name(data: &[u8]) -> Option<usize> {
                check(|| $builder, data)
            }
        )*
        /// Every parser body, by name.
        pub const PARSE_TARGETS: &[(&str, fn(&[u8]) -> Option<usize>)] = &[
            $((stringify!($name), $name),)*
        ];
    };
}

parse_targets! {
    parse_socks4_request => crate::socks4_request(Limits::DEFAULT);
    parse_socks4_reply => crate::socks4_reply();
    parse_socks5_greeting => crate::socks5_greeting();
    parse_socks5_method_choice => crate::socks5_method_choice();
    parse_socks5_request => crate::socks5_request();
    parse_socks5_reply => crate::socks5_reply();
    parse_userpass_request => crate::userpass_request();
    parse_userpass_reply => crate::userpass_reply();
    parse_gssapi_message => crate::gssapi_message(Limits::DEFAULT);
    parse_socks5_udp_header => crate::socks5_udp_header();
    parse_socks5_addr => crate::socks5_addr();
}

/// Fuzz body for [`crate::parse_socks5_udp_datagram`]: a datagram re-encodes to itself.
pub fn parse_socks5_udp_datagram(data: &[u8]) -> Option<usize> {
    let dg = crate::parse_socks5_udp_datagram(data).ok()?;
    let mut out = vec![0; dg.encoded_len()];
    let n = dg.encode(&mut out).unwrap();
    assert_eq!(&out[..n], data);
    Some(n)
}

/// Fuzz body for [`crate::parse_extended_auth`] (prop351): the first byte is the username's
/// length, the username follows, the rest is the password. Checks the answer against the
/// spec's rules: `None` exactly when the username lacks `<torS0X>`; format `0` only for the
/// bare `<torS0X>0`; format `1` returns the rest of the username as the object id; the
/// isolation string is the password itself (borrowed, not copied).
pub fn parse_extended_auth(data: &[u8]) -> Option<usize> {
    use crate::{EXTENDED_AUTH_PREFIX, ExtendedAuth, ExtendedAuthError};
    let (&len, rest) = data.split_first()?;
    let (user, pass) = rest.split_at(usize::from(len).min(rest.len()));
    let answer = crate::parse_extended_auth(user, pass);
    let Some(tail) = user.strip_prefix(EXTENDED_AUTH_PREFIX) else {
        assert_eq!(answer, None, "no prefix, no extended auth");
        return None;
    };
    let answer = answer.expect("the prefix is there");
    match (tail, answer) {
        ([], Err(ExtendedAuthError::MissingFormat)) => None,
        ([b'0'], Ok(ExtendedAuth::Isolation { isolation })) => {
            assert!(core::ptr::eq(isolation, pass), "isolation is the password");
            Some(user.len())
        }
        ([b'0', _, ..], Err(ExtendedAuthError::TrailingBytes)) => None,
        (
            [b'1', object @ ..],
            Ok(ExtendedAuth::RpcObject {
                object: o,
                isolation,
            }),
        ) => {
            assert_eq!(o.as_bytes(), object);
            assert!(!o.is_empty());
            assert!(core::ptr::eq(isolation, pass), "isolation is the password");
            Some(user.len())
        }
        ([b'1', object @ ..], Err(ExtendedAuthError::BadObjectId)) => {
            assert!(object.is_empty() || core::str::from_utf8(object).is_err());
            None
        }
        ([code, ..], Err(ExtendedAuthError::UnknownFormat(c))) => {
            assert_eq!(*code, c);
            assert!(!matches!(code, b'0' | b'1'));
            None
        }
        (tail, answer) => panic!("{tail:?} gave {answer:?}"),
    }
}

/// Reads a chunking plan from the front of the input: the first byte picks the read mode and
/// the profile, the next the chunk sizes' seed.
fn plan(data: &[u8]) -> (bool, ProxyPolicy<'static>, u8, &[u8]) {
    match data {
        [mode, seed, rest @ ..] => {
            let policy = match mode % 3 {
                0 => ProxyPolicy::ARTI,
                1 => ProxyPolicy::CTOR,
                _ => ProxyPolicy::RFC1928,
            };
            (mode & 0x80 != 0, policy, *seed, rest)
        }
        _ => (false, ProxyPolicy::ARTI, 0, data),
    }
}

/// Drives a handshake over `input` with chunk sizes drawn from `seed`, checking the driver's
/// invariants: at most one byte more is read than the peer has, reads never exceed the room
/// offered, precise reads never exceed the deficit, and a finished handshake's leftover is a
/// suffix of the input.
fn drive<H: Handshake, P: ReadPrecision, S: Storage>(
    hs: &mut H,
    buf: &mut Buffer<P, S>,
    input: &[u8],
    mut seed: u8,
) -> Option<usize> {
    let mut fed = 0;
    for _ in 0..10_000 {
        match hs.step(buf) {
            Ok(NextStep::Send(bytes)) => assert!(!bytes.is_empty()),
            Ok(NextStep::Recv(mut recv)) => {
                let deficit = recv.deficit().get();
                let room = recv.buf().len();
                assert!(room >= deficit, "room for the deficit");
                if P::PRECISE {
                    assert_eq!(room, deficit, "precise reads offer exactly the deficit");
                }
                let left = &input[fed..];
                if left.is_empty() {
                    return None;
                }
                seed = seed.wrapping_mul(31).wrapping_add(7);
                let want = 1 + usize::from(seed % 16);
                let n = want.min(room).min(left.len());
                recv.buf()[..n].copy_from_slice(&left[..n]);
                fed += n;
                recv.note_received(n).unwrap();
            }
            Ok(NextStep::Finished(done)) => {
                let (_, rest) = done.into_output_and_slice();
                assert!(
                    input[..fed].ends_with(rest),
                    "leftover is what followed the handshake"
                );
                return Some(fed - rest.len());
            }
            Err(_) => {
                assert!(hs.step(buf).is_err(), "errors poison");
                return None;
            }
        }
    }
    panic!("handshake did not end in 10000 steps");
}

/// Fuzz body for [`SocksProxyHandshake`]: any profile, any chunking, both read modes; a
/// finished request's reply encodes.
pub fn proxy_handshake(data: &[u8]) -> Option<usize> {
    let (precise, policy, seed, input) = plan(data);
    let mut hs = SocksProxyHandshake::with_policy(policy);
    let n = if precise {
        drive(&mut hs, &mut Buffer::new_precise(), input, seed)
    } else {
        drive(&mut hs, &mut Buffer::new(), input, seed)
    };
    if n.is_none() {
        // A failure reply, where there is one, is a valid reply message.
        if let Some(reply) = hs.failure_reply() {
            assert!(!reply.is_empty());
        }
    }
    n
}

/// Fuzz body for [`crate::SocksClientHandshake`]: a request drawn from the input, then the
/// rest as the server's bytes, any chunking, both read modes.
pub fn client_handshake(data: &[u8]) -> Option<usize> {
    use crate::{
        SocksAddr, SocksAuth, SocksClientHandshake, SocksCmd, SocksHostname, SocksRequest,
        SocksVersion,
    };
    use arbitrary::{Arbitrary, Unstructured};
    let mut u = Unstructured::new(data);
    let precise = bool::arbitrary(&mut u).ok()?;
    let optimistic = bool::arbitrary(&mut u).ok()?;
    let seed = u8::arbitrary(&mut u).ok()?;
    let version = if bool::arbitrary(&mut u).ok()? {
        SocksVersion::V5
    } else {
        SocksVersion::V4
    };
    let cmd = SocksCmd::from(u8::arbitrary(&mut u).ok()?);
    let name: &str = <&str>::arbitrary(&mut u).ok()?;
    let addr = match u8::arbitrary(&mut u).ok()? % 3 {
        0 => SocksAddr::Hostname(SocksHostname::try_from(name).ok()?),
        1 => SocksAddr::Ip(core::net::IpAddr::V4(u32::arbitrary(&mut u).ok()?.into())),
        _ => SocksAddr::Ip(core::net::IpAddr::V6(u128::arbitrary(&mut u).ok()?.into())),
    };
    let port = u16::arbitrary(&mut u).ok()?;
    let user: &[u8] = <&[u8]>::arbitrary(&mut u).ok()?;
    let auth = match (version, user.is_empty()) {
        (_, true) => SocksAuth::NoAuth,
        (SocksVersion::V4, false) => SocksAuth::Socks4(user),
        (_, false) => SocksAuth::Username(user, b"pw"),
    };
    let request = SocksRequest::new(version, cmd, addr, port, auth).ok()?;
    let server = u.take_rest();
    let mut hs = SocksClientHandshake::new(request).optimistic(optimistic);
    if precise {
        drive(&mut hs, &mut Buffer::new_precise(), server, seed)
    } else {
        drive(&mut hs, &mut Buffer::new(), server, seed)
    }
}

/// Every message view, for round-trip fuzzing.
#[derive(Debug, arbitrary::Arbitrary)]
pub enum AnyMessage<'a> {
    Socks4Request(crate::Socks4Request<'a>),
    Socks4Reply(crate::Socks4Reply),
    Socks5Greeting(crate::Socks5Greeting<'a>),
    Socks5MethodChoice(crate::Socks5MethodChoice),
    Socks5Request(crate::Socks5Request<'a>),
    Socks5Reply(crate::Socks5Reply<'a>),
    UserPassRequest(crate::UserPassRequest<'a>),
    UserPassReply(crate::UserPassReply),
    GssapiMessage(crate::GssapiMessage<'a>),
    Socks5UdpHeader(crate::Socks5UdpHeader<'a>),
    Socks5UdpDatagram(crate::Socks5UdpDatagram<'a>),
}

/// Fuzz body for round trips: every view that encodes parses back to itself, and
/// `encode_append` writes the same bytes (or refuses alike).
pub fn roundtrip(data: &[u8]) -> Option<usize> {
    use arbitrary::{Arbitrary, Unstructured};
    const UNLIMITED: Limits = Limits {
        socks4_userid: usize::MAX,
        socks4_hostname: usize::MAX,
        socks4_message: usize::MAX,
        gssapi_token: usize::MAX,
    };
    fn back<'a, V: Encode + PartialEq + core::fmt::Debug>(
        v: &V,
        out: &'a mut vec::Vec<u8>,
        parse: impl FnOnce(&'a [u8]) -> Result<(&'a [u8], V), nom::Err<WireError>>,
    ) -> Option<usize> {
        out.resize(v.encoded_len(), 0);
        let encoded = v.encode(out);
        // Appending writes the same bytes after what was there, or nothing.
        let mut appended = arrayvec::ArrayVec::<u8, 70_000>::new();
        appended.push(0xAA);
        assert_eq!(v.encode_append(&mut appended), encoded);
        let n = encoded.ok()?;
        assert_eq!(&appended[1..], &out[..n]);
        let (rest, parsed) = parse(&out[..n]).unwrap();
        assert!(rest.is_empty());
        assert_eq!(&parsed, v);
        Some(n)
    }
    let msg = AnyMessage::arbitrary(&mut Unstructured::new(data)).ok()?;
    let mut out = vec::Vec::new();
    match &msg {
        AnyMessage::Socks4Request(v) => {
            back(v, &mut out, |b| crate::socks4_request(UNLIMITED).parse(b))
        }
        AnyMessage::Socks4Reply(v) => back(v, &mut out, crate::parse_socks4_reply),
        AnyMessage::Socks5Greeting(v) => back(v, &mut out, crate::parse_socks5_greeting),
        AnyMessage::Socks5MethodChoice(v) => back(v, &mut out, crate::parse_socks5_method_choice),
        AnyMessage::Socks5Request(v) => back(v, &mut out, crate::parse_socks5_request),
        AnyMessage::Socks5Reply(v) => back(v, &mut out, crate::parse_socks5_reply),
        AnyMessage::UserPassRequest(v) => back(v, &mut out, crate::parse_userpass_request),
        AnyMessage::UserPassReply(v) => back(v, &mut out, crate::parse_userpass_reply),
        AnyMessage::GssapiMessage(v) => {
            back(v, &mut out, |b| crate::gssapi_message(UNLIMITED).parse(b))
        }
        AnyMessage::Socks5UdpHeader(v) => back(v, &mut out, crate::parse_socks5_udp_header),
        AnyMessage::Socks5UdpDatagram(v) => {
            out.resize(v.encoded_len(), 0);
            let encoded = v.encode(&mut out);
            // `encode_append`'s default path: the same bytes, or the same refusal.
            let mut appended = arrayvec::ArrayVec::<u8, 70_000>::new();
            let append = v.encode_append(&mut appended);
            let n = match encoded {
                Ok(n) => n,
                Err(e) => {
                    assert_eq!(append, Err(e));
                    return None;
                }
            };
            // A payload past the capacity is refused for room alone.
            if n <= appended.capacity() {
                assert_eq!(append, Ok(n));
                assert_eq!(&appended[..], &out[..n]);
            }
            assert_eq!(crate::parse_socks5_udp_datagram(&out[..n]).as_ref(), Ok(v));
            Some(n)
        }
    }
}

/// Fuzz body for [`crate::dissect::Dissector`]: the input is split into a client and a server
/// stream (the first two bytes say where), fed in chunks and an interleaving drawn from the
/// third byte. Checks: no panic; offsets never go backwards within a direction nor past what
/// was fed; both directions end exactly at their stream's length.
pub fn dissect(data: &[u8]) -> Option<usize> {
    resync::drive(crate::dissect::Dissector::new(), data, false)
}

/// Fuzz body for [`crate::dissect::probe`]: the first byte says where the input splits into
/// the probed direction and the other. Checks: a detection's message lies inside the probed
/// bytes; "need more" asks for at least one byte, and fewer added bytes never give a
/// detection; "not SOCKS" (without the other direction) stays so when bytes are added.
pub fn probe(data: &[u8]) -> Option<usize> {
    use crate::dissect::{ProbeResult, probe};
    let (&cut, rest) = data.split_first()?;
    let (first, other) = rest.split_at(usize::from(cut).min(rest.len()));
    let alone = probe(first, &[]);
    for end in 0..first.len() {
        match probe(&first[..end], &[]) {
            ProbeResult::NotSocks => assert_eq!(alone, ProbeResult::NotSocks, "un-ruled out"),
            ProbeResult::NeedMore(n) if first.len() - end < n => {
                assert!(!matches!(alone, ProbeResult::Socks(_)), "detected early")
            }
            _ => {}
        }
    }
    match probe(first, other) {
        ProbeResult::Socks(d) => {
            assert!(d.len <= first.len(), "message past the input");
            Some(d.len)
        }
        ProbeResult::NeedMore(n) => {
            assert!(n >= 1);
            None
        }
        ProbeResult::NotSocks => None,
    }
}

mod access;
mod conversation;
mod dissector;
mod frame;
mod hostname;
mod io;
mod resync;
mod udp_relay;
pub use access::{access_check, parse_cidr, tor_special_name};
pub use conversation::{
    GenAddr, GenAuth, GenChunk, GenCommand, GenConversation, GenDamage, GenHandshake, Streams,
    dissect_conversation,
};
pub use dissector::{dissector_state, owned_events, transactions, udp_reassembler};
pub use frame::{socks5_greeting_len, socks5_reply_len, socks5_request_len, userpass_request_len};
pub use hostname::socks_hostname_check;
pub use io::{blocking_accept, blocking_connect};
#[cfg(feature = "tokio")]
pub use io::{tokio_accept, tokio_connect};
pub use resync::{dissect_resync, find_message};
pub use udp_relay::udp_relay_datagram;
