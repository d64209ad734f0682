//! One entry per message parser, for analysers that frame messages themselves.
//!
//! Each `sockswire_parse_<message>(bytes, len, *msg, *result)` reads the message at the
//! start of `bytes` in streaming mode, exactly as the Rust `parse_<message>` does:
//! [`SW_OK`] with `*msg` filled and `result.consumed` its length; [`SW_INCOMPLETE`] with
//! `result.needed` (a proper prefix of a message is never an error); or
//! [`SW_ERR_MALFORMED`] with the `SW_WIRE_*` reason in `result.error`. Pointers in `*msg`
//! point into `bytes`. The UDP datagram parser takes one whole datagram (complete mode).

use nom::Err as NomErr;
use sockswire::dissect::EventKind;
use sockswire::{WireError, nom};

use crate::guard::{guard, slice};
use crate::types::{
    SW_ERR_MALFORMED, SW_ERR_NULL, SW_INCOMPLETE, SW_KIND_UDP_DATAGRAM, SW_OK, SwHostPort,
    SwMessage, SwParseResult,
};

/// Writes the outcome of a parse.
fn finish(
    input_len: usize,
    r: Result<(usize, SwMessage), NomErr<WireError>>,
    msg: *mut SwMessage,
    result: *mut SwParseResult,
) -> i32 {
    let (status, m, res) = match r {
        Ok((rest, m)) => (
            SW_OK,
            m,
            SwParseResult {
                consumed: input_len - rest,
                ..SwParseResult::EMPTY
            },
        ),
        Err(NomErr::Incomplete(n)) => (
            SW_INCOMPLETE,
            SwMessage::EMPTY,
            SwParseResult {
                needed: match n {
                    nom::Needed::Size(s) => s.get(),
                    nom::Needed::Unknown => 0,
                },
                ..SwParseResult::EMPTY
            },
        ),
        Err(NomErr::Error(e) | NomErr::Failure(e)) => (
            SW_ERR_MALFORMED,
            SwMessage::EMPTY,
            SwParseResult::from_error(&e),
        ),
    };
    // SAFETY: both were checked non-NULL; the header says they must be writable.
    unsafe {
        msg.write(m);
        result.write(res);
    }
    status
}

/// The body every message parser shares: checks, parse, outcome.
///
/// # Safety
/// As the entry points: `bytes` readable for `len` (or NULL with 0); `msg`, `result`
/// writable or NULL.
unsafe fn run<'a>(
    bytes: *const u8,
    len: usize,
    msg: *mut SwMessage,
    result: *mut SwParseResult,
    parse: impl FnOnce(&'a [u8]) -> Result<(usize, SwMessage), NomErr<WireError>>,
) -> i32 {
    if msg.is_null() || result.is_null() {
        return SW_ERR_NULL;
    }
    guard(|| {
        // SAFETY: the caller's promise.
        let input = match unsafe { slice(bytes, len) } {
            Ok(i) => i,
            Err(e) => return e,
        };
        finish(input.len(), parse(input), msg, result)
    })
}

/// A SOCKS4 or SOCKS4a request (`SW_KIND_SOCKS4_REQUEST`).
///
/// # Safety
/// `bytes` must point to `len` readable bytes (or be NULL with `len` 0); `msg` and
/// `result` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_parse_socks4_request(
    bytes: *const u8,
    len: usize,
    msg: *mut SwMessage,
    result: *mut SwParseResult,
) -> i32 {
    // SAFETY: the caller's promise, passed on.
    unsafe {
        run(bytes, len, msg, result, |i| {
            sockswire::parse_socks4_request(i).map(|(rest, v)| {
                (
                    rest.len(),
                    SwMessage::from_kind(&EventKind::Socks4Request(v)),
                )
            })
        })
    }
}

/// A SOCKS4 reply (`SW_KIND_SOCKS4_REPLY`).
///
/// # Safety
/// `bytes` must point to `len` readable bytes (or be NULL with `len` 0); `msg` and
/// `result` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_parse_socks4_reply(
    bytes: *const u8,
    len: usize,
    msg: *mut SwMessage,
    result: *mut SwParseResult,
) -> i32 {
    // SAFETY: the caller's promise, passed on.
    unsafe {
        run(bytes, len, msg, result, |i| {
            sockswire::parse_socks4_reply(i)
                .map(|(rest, v)| (rest.len(), SwMessage::from_kind(&EventKind::Socks4Reply(v))))
        })
    }
}

/// A SOCKS5 greeting (`SW_KIND_GREETING`).
///
/// # Safety
/// `bytes` must point to `len` readable bytes (or be NULL with `len` 0); `msg` and
/// `result` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_parse_socks5_greeting(
    bytes: *const u8,
    len: usize,
    msg: *mut SwMessage,
    result: *mut SwParseResult,
) -> i32 {
    // SAFETY: the caller's promise, passed on.
    unsafe {
        run(bytes, len, msg, result, |i| {
            sockswire::parse_socks5_greeting(i)
                .map(|(rest, v)| (rest.len(), SwMessage::from_kind(&EventKind::Greeting(v))))
        })
    }
}

/// A SOCKS5 method choice (`SW_KIND_METHOD_CHOICE`).
///
/// # Safety
/// `bytes` must point to `len` readable bytes (or be NULL with `len` 0); `msg` and
/// `result` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_parse_socks5_method_choice(
    bytes: *const u8,
    len: usize,
    msg: *mut SwMessage,
    result: *mut SwParseResult,
) -> i32 {
    // SAFETY: the caller's promise, passed on.
    unsafe {
        run(bytes, len, msg, result, |i| {
            sockswire::parse_socks5_method_choice(i).map(|(rest, v)| {
                (
                    rest.len(),
                    SwMessage::from_kind(&EventKind::MethodChoice(v)),
                )
            })
        })
    }
}

/// A SOCKS5 request (`SW_KIND_SOCKS5_REQUEST`).
///
/// # Safety
/// `bytes` must point to `len` readable bytes (or be NULL with `len` 0); `msg` and
/// `result` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_parse_socks5_request(
    bytes: *const u8,
    len: usize,
    msg: *mut SwMessage,
    result: *mut SwParseResult,
) -> i32 {
    // SAFETY: the caller's promise, passed on.
    unsafe {
        run(bytes, len, msg, result, |i| {
            sockswire::parse_socks5_request(i).map(|(rest, v)| {
                (
                    rest.len(),
                    SwMessage::from_kind(&EventKind::Socks5Request(v)),
                )
            })
        })
    }
}

/// A SOCKS5 reply (`SW_KIND_SOCKS5_REPLY`; also BIND's second reply, which has the same
/// bytes).
///
/// # Safety
/// `bytes` must point to `len` readable bytes (or be NULL with `len` 0); `msg` and
/// `result` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_parse_socks5_reply(
    bytes: *const u8,
    len: usize,
    msg: *mut SwMessage,
    result: *mut SwParseResult,
) -> i32 {
    // SAFETY: the caller's promise, passed on.
    unsafe {
        run(bytes, len, msg, result, |i| {
            sockswire::parse_socks5_reply(i)
                .map(|(rest, v)| (rest.len(), SwMessage::from_kind(&EventKind::Socks5Reply(v))))
        })
    }
}

/// An RFC 1929 username/password request (`SW_KIND_USERPASS_REQUEST`, password shown).
///
/// # Safety
/// `bytes` must point to `len` readable bytes (or be NULL with `len` 0); `msg` and
/// `result` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_parse_userpass_request(
    bytes: *const u8,
    len: usize,
    msg: *mut SwMessage,
    result: *mut SwParseResult,
) -> i32 {
    // SAFETY: the caller's promise, passed on.
    unsafe {
        run(bytes, len, msg, result, |i| {
            sockswire::parse_userpass_request(i)
                .map(|(rest, v)| (rest.len(), SwMessage::from_kind(&userpass(v))))
        })
    }
}

/// An RFC 1929 reply (`SW_KIND_USERPASS_REPLY`).
///
/// # Safety
/// `bytes` must point to `len` readable bytes (or be NULL with `len` 0); `msg` and
/// `result` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_parse_userpass_reply(
    bytes: *const u8,
    len: usize,
    msg: *mut SwMessage,
    result: *mut SwParseResult,
) -> i32 {
    // SAFETY: the caller's promise, passed on.
    unsafe {
        run(bytes, len, msg, result, |i| {
            sockswire::parse_userpass_reply(i).map(|(rest, v)| {
                (
                    rest.len(),
                    SwMessage::from_kind(&EventKind::UserPassReply(v)),
                )
            })
        })
    }
}

/// An RFC 1961 GSS-API frame (`SW_KIND_GSSAPI`).
///
/// # Safety
/// `bytes` must point to `len` readable bytes (or be NULL with `len` 0); `msg` and
/// `result` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_parse_gssapi_message(
    bytes: *const u8,
    len: usize,
    msg: *mut SwMessage,
    result: *mut SwParseResult,
) -> i32 {
    // SAFETY: the caller's promise, passed on.
    unsafe {
        run(bytes, len, msg, result, |i| {
            sockswire::parse_gssapi_message(i)
                .map(|(rest, v)| (rest.len(), SwMessage::from_kind(&EventKind::Gssapi(v))))
        })
    }
}

fn userpass(r: sockswire::UserPassRequest<'_>) -> EventKind<'_> {
    EventKind::UserPassRequest {
        username: r.username,
        password: Some(r.password),
        password_len: r.password.len(),
    }
}

/// One whole SOCKS5 UDP datagram (`SW_KIND_UDP_DATAGRAM`: `reserved16` RSV, `code` FRAG,
/// `atyp`, `addr`, `bytes` the data; `consumed` is the whole datagram). A datagram cut short
/// is [`SW_ERR_MALFORMED`] (`SW_WIRE_TRUNCATED`), never [`SW_INCOMPLETE`].
///
/// # Safety
/// `bytes` must point to `len` readable bytes (or be NULL with `len` 0); `msg` and `result`
/// must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_parse_socks5_udp_datagram(
    bytes: *const u8,
    len: usize,
    msg: *mut SwMessage,
    result: *mut SwParseResult,
) -> i32 {
    if msg.is_null() || result.is_null() {
        return SW_ERR_NULL;
    }
    guard(|| {
        // SAFETY: the caller's promise.
        let input = match unsafe { slice(bytes, len) } {
            Ok(i) => i,
            Err(e) => return e,
        };
        let r = sockswire::parse_socks5_udp_datagram(input).map_err(NomErr::Error);
        let r = r.map(|dg| {
            let h = dg.header;
            let mut m = SwMessage {
                kind: SW_KIND_UDP_DATAGRAM,
                version: 5,
                code: h.fragment,
                reserved16: h.reserved,
                atyp: h.addr.addr_type().0,
                addr: SwHostPort::from_view(h.target()),
                ..SwMessage::EMPTY
            };
            m.bytes = dg.data.as_ptr();
            m.bytes_len = dg.data.len();
            (0, m)
        });
        finish(input.len(), r, msg, result)
    })
}
