//! Fuzz bodies for the message-length functions of `wire::frame`.

use nom::{Needed, Parser};

use crate::WireError;

/// The contract of a `*_len` function against its parser: when it gives `n`, every prefix
/// that still gives an answer gives the same `n`, and the parser asks such a prefix for
/// exactly the rest; on `n` bytes (and on all of the input) it consumes exactly `n`.
fn agrees<'a, V, P>(
    len: fn(&[u8]) -> Option<usize>,
    mut parser: impl FnMut() -> P,
    input: &'a [u8],
) -> Option<usize>
where
    V: core::fmt::Debug,
    P: Parser<&'a [u8], Output = V, Error = WireError>,
{
    let n = len(input)?;
    for k in 0..n.min(input.len()) {
        let prefix = &input[..k];
        match len(prefix) {
            None => continue,
            Some(m) => assert_eq!(m, n, "prefix {k} gives another length"),
        }
        match parser().parse(prefix) {
            Err(nom::Err::Incomplete(Needed::Size(need))) => {
                assert_eq!(
                    need.get(),
                    n - k,
                    "prefix {k}: the parser asks another amount"
                );
            }
            other => panic!("prefix {k} of a {n}-byte message: {other:?}"),
        }
    }
    if input.len() >= n {
        for whole in [&input[..n], input] {
            match parser().parse(whole) {
                Ok((rest, _)) => assert_eq!(whole.len() - rest.len(), n, "consumed"),
                Err(e) => panic!("{n} bytes of a {n}-byte message: {e:?}"),
            }
        }
    }
    Some(n)
}

/// Fuzz body for [`crate::socks5_greeting_len`].
pub fn socks5_greeting_len(data: &[u8]) -> Option<usize> {
    agrees(crate::socks5_greeting_len, crate::socks5_greeting, data)
}

/// Fuzz body for [`crate::socks5_request_len`].
pub fn socks5_request_len(data: &[u8]) -> Option<usize> {
    agrees(crate::socks5_request_len, crate::socks5_request, data)
}

/// Fuzz body for [`crate::socks5_reply_len`].
pub fn socks5_reply_len(data: &[u8]) -> Option<usize> {
    agrees(crate::socks5_reply_len, crate::socks5_reply, data)
}

/// Fuzz body for [`crate::userpass_request_len`].
pub fn userpass_request_len(data: &[u8]) -> Option<usize> {
    agrees(crate::userpass_request_len, crate::userpass_request, data)
}
