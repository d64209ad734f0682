//! The message-length functions (`wire::frame`): lengths from heads, byte-exact, and the
//! contract against the parsers on every prefix of every sample message.

use nom::{Needed, Parser};
use sockswire::{
    WireError, socks5_greeting, socks5_greeting_len, socks5_reply, socks5_reply_len,
    socks5_request, socks5_request_len, userpass_request, userpass_request_len,
};

#[test]
fn socks5_greeting_len_from_two_bytes() {
    assert_eq!(socks5_greeting_len(&[]), None);
    assert_eq!(socks5_greeting_len(&[5]), None);
    assert_eq!(socks5_greeting_len(&[5, 0]), Some(2));
    assert_eq!(socks5_greeting_len(&[5, 1, 0]), Some(3));
    assert_eq!(socks5_greeting_len(&[5, 255]), Some(257));
    assert_eq!(socks5_greeting_len(&[4, 1, 0]), None);
}

#[test]
fn socks5_request_len_from_five_bytes() {
    assert_eq!(socks5_request_len(&[5, 1, 0, 3]), None);
    assert_eq!(socks5_request_len(&[5, 1, 0, 1, 192]), Some(10));
    assert_eq!(socks5_request_len(&[5, 1, 0, 3, 0]), Some(7));
    assert_eq!(socks5_request_len(&[5, 1, 0, 3, 255]), Some(262));
    assert_eq!(socks5_request_len(&[5, 0xF0, 0, 4, 0x20]), Some(22));
    // ATYP 0 is a reply's; unknown ATYPs and other versions are left to the parser.
    assert_eq!(socks5_request_len(&[5, 1, 0, 0, 0]), None);
    assert_eq!(socks5_request_len(&[5, 1, 0, 2, 0]), None);
    assert_eq!(socks5_request_len(&[4, 1, 0, 1, 0]), None);
}

#[test]
fn socks5_reply_len_takes_atyp_zero() {
    assert_eq!(socks5_reply_len(&[5, 4, 0, 0, 0]), Some(10));
    assert_eq!(socks5_reply_len(&[5, 0, 0, 3, 11]), Some(18));
    assert_eq!(socks5_reply_len(&[5, 0, 0, 5, 0]), None);
}

#[test]
fn userpass_request_len_once_the_password_length_is_in() {
    assert_eq!(userpass_request_len(b"\x01"), None);
    assert_eq!(userpass_request_len(b"\x01\x05alic"), None);
    assert_eq!(userpass_request_len(b"\x01\x05alice"), None);
    assert_eq!(userpass_request_len(b"\x01\x05alice\x06"), Some(14));
    assert_eq!(userpass_request_len(b"\x01\x00\x00"), Some(3));
    assert_eq!(userpass_request_len(b"\x05\x05alice\x06"), None);
}

/// On every prefix of `msg`: a length, when given, is `msg.len()`; the parser then asks for
/// exactly the rest; and the head decides from `head` bytes on.
fn prefixes_agree<'a, V: std::fmt::Debug, P: Parser<&'a [u8], Output = V, Error = WireError>>(
    len: fn(&[u8]) -> Option<usize>,
    mut parser: impl FnMut() -> P,
    msg: &'a [u8],
    head: usize,
) {
    for k in 0..=msg.len() {
        let prefix = &msg[..k];
        let got = len(prefix);
        assert_eq!(got.is_some(), k >= head, "{msg:?} prefix {k}");
        if k < msg.len() && got.is_some() {
            assert_eq!(got, Some(msg.len()), "{msg:?} prefix {k}");
            assert_eq!(
                parser().parse(prefix).map(|_| ()),
                Err(nom::Err::Incomplete(Needed::new(msg.len() - k))),
                "{msg:?} prefix {k}"
            );
        }
    }
    assert_eq!(len(msg), Some(msg.len()));
    let (rest, _) = parser().parse(msg).unwrap();
    assert!(rest.is_empty());
}

#[test]
fn every_prefix_asks_what_the_parser_asks() {
    let greetings: [&[u8]; 3] = [&[5, 0], &[5, 1, 0], &[5, 3, 0, 1, 2]];
    for g in greetings {
        prefixes_agree(socks5_greeting_len, socks5_greeting, g, 2);
    }
    let requests: [&[u8]; 4] = [
        b"\x05\x01\x00\x03\x0bexample.com\x01\xbb",
        b"\x05\x01\x00\x03\x00\x00\x50",
        &[5, 1, 0, 1, 192, 0, 2, 7, 1, 0xbb],
        &[
            5, 0xF0, 0, 4, 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
        ],
    ];
    for r in requests {
        prefixes_agree(socks5_request_len, socks5_request, r, 5);
        prefixes_agree(socks5_reply_len, socks5_reply, r, 5);
    }
    prefixes_agree(
        socks5_reply_len,
        socks5_reply,
        &[5, 4, 0, 0, 0, 0, 0, 0, 0, 0],
        5,
    );
    prefixes_agree(
        userpass_request_len,
        userpass_request,
        b"\x01\x05alice\x06secret",
        8,
    );
    prefixes_agree(userpass_request_len, userpass_request, b"\x01\x00\x00", 3);
}
