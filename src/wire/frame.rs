//! Message lengths from their heads: how long a length-prefixed message is, once the bytes
//! that say so are in, without parsing the rest.
//!
//! A reader that asks for exact amounts (a precise handshake, an analyser cutting a stream into
//! messages) asks for the rest of a message in one go and runs the parser once, on the whole
//! message, instead of running it on every prefix to learn how much is missing.
//!
//! The contract, for every function here and every input (checked by the fuzz targets of the
//! same names): when it answers `Some(len)`,
//! * on the first `len` bytes the message's parser succeeds and consumes exactly `len`;
//! * on any shorter prefix that still holds the head, the parser says exactly
//!   `Incomplete(Needed(len - prefix))`.
//!
//! `None` means "not decided from the head": too few bytes, a wrong version byte or an unknown
//! address type. The parser then says which (more bytes, or the error).

use crate::wire::{AddrType, SOCKS5_VERSION, USERPASS_VERSION};

/// The length of the [`crate::Socks5Greeting`] at the start of `input`, from its first two
/// bytes.
///
/// ```
/// use sockswire::wire::socks5_greeting_len;
///
/// assert_eq!(socks5_greeting_len(&[5, 2]), Some(4));
/// assert_eq!(socks5_greeting_len(&[5]), None);
/// assert_eq!(socks5_greeting_len(&[4, 2]), None);
/// ```
#[must_use]
#[inline]
pub const fn socks5_greeting_len(input: &[u8]) -> Option<usize> {
    match input {
        [SOCKS5_VERSION, n, ..] => Some(2 + *n as usize),
        _ => None,
    }
}

/// The length of the [`crate::Socks5Request`] at the start of `input`, from its first five
/// bytes (`VER CMD RSV ATYP` and the first address byte, which for a domain is its length).
///
/// ```
/// use sockswire::wire::socks5_request_len;
///
/// assert_eq!(socks5_request_len(&[5, 1, 0, 3, 11]), Some(18)); // 11-byte name
/// assert_eq!(socks5_request_len(&[5, 1, 0, 1, 127]), Some(10)); // IPv4
/// assert_eq!(socks5_request_len(&[5, 1, 0, 4, 0x20]), Some(22)); // IPv6
/// assert_eq!(socks5_request_len(&[5, 1, 0, 0, 0]), None); // ATYP 0: the parser refuses it
/// assert_eq!(socks5_request_len(&[5, 1, 0, 3]), None);
/// ```
#[must_use]
#[inline]
pub const fn socks5_request_len(input: &[u8]) -> Option<usize> {
    frame_len(input, false)
}

/// The length of the [`crate::Socks5Reply`] at the start of `input`, from its first five
/// bytes; as [`socks5_request_len`], with C Tor's `ATYP` 0 (four address bytes) too.
///
/// ```
/// use sockswire::wire::socks5_reply_len;
///
/// assert_eq!(socks5_reply_len(&[5, 0, 0, 1, 127]), Some(10));
/// assert_eq!(socks5_reply_len(&[5, 4, 0, 0, 0]), Some(10));
/// ```
#[must_use]
#[inline]
pub const fn socks5_reply_len(input: &[u8]) -> Option<usize> {
    frame_len(input, true)
}

/// `05 CODE RSV ATYP ADDR PORT`, from its first five bytes.
#[inline]
const fn frame_len(input: &[u8], unspecified: bool) -> Option<usize> {
    let [SOCKS5_VERSION, _, _, atyp, first, ..] = *input else {
        return None;
    };
    match AddrType(atyp) {
        AddrType::IPV4 => Some(4 + 4 + 2),
        AddrType::DOMAIN => Some(4 + 1 + first as usize + 2),
        AddrType::IPV6 => Some(4 + 16 + 2),
        AddrType::UNSPECIFIED if unspecified => Some(4 + 4 + 2),
        _ => None,
    }
}

/// The length of the [`crate::UserPassRequest`] at the start of `input`, once its username
/// and the password's length byte are in (`01 ULEN UNAME PLEN`).
///
/// ```
/// use sockswire::wire::userpass_request_len;
///
/// assert_eq!(userpass_request_len(b"\x01\x05alice\x06"), Some(14));
/// assert_eq!(userpass_request_len(b"\x01\x05alice"), None);
/// ```
#[must_use]
#[inline]
pub const fn userpass_request_len(input: &[u8]) -> Option<usize> {
    let [USERPASS_VERSION, ulen, ..] = *input else {
        return None;
    };
    let plen_at = 2 + ulen as usize;
    match input.split_at_checked(plen_at) {
        Some((_, [plen, ..])) => Some(plen_at + 1 + *plen as usize),
        _ => None,
    }
}
