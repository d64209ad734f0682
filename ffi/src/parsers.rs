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

macro_rules! parser {
    ($(#[$doc:meta])* $name:ident, $parse:path, $kind:expr) => {
        $(#[$doc])*
        ///
        /// # Safety
        /// `bytes` must point to `len` readable bytes (or be NULL with `len` 0); `msg` and
        /// `result` must be writable.
        #[unsafe(no_mangle)]
        pub unsafe extern "C" fn $name(
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
                let r = $parse(input).map(|(rest, v)| (rest.len(), SwMessage::from_kind(&$kind(v))));
                finish(input.len(), r, msg, result)
            })
        }
    };
}

parser!(
    /// A SOCKS4 or SOCKS4a request (`SW_KIND_SOCKS4_REQUEST`).
    sockswire_parse_socks4_request,
    sockswire::parse_socks4_request,
    EventKind::Socks4Request
);
parser!(
    /// A SOCKS4 reply (`SW_KIND_SOCKS4_REPLY`).
    sockswire_parse_socks4_reply,
    sockswire::parse_socks4_reply,
    EventKind::Socks4Reply
);
parser!(
    /// A SOCKS5 greeting (`SW_KIND_GREETING`).
    sockswire_parse_socks5_greeting,
    sockswire::parse_socks5_greeting,
    EventKind::Greeting
);
parser!(
    /// A SOCKS5 method choice (`SW_KIND_METHOD_CHOICE`).
    sockswire_parse_socks5_method_choice,
    sockswire::parse_socks5_method_choice,
    EventKind::MethodChoice
);
parser!(
    /// A SOCKS5 request (`SW_KIND_SOCKS5_REQUEST`).
    sockswire_parse_socks5_request,
    sockswire::parse_socks5_request,
    EventKind::Socks5Request
);
parser!(
    /// A SOCKS5 reply (`SW_KIND_SOCKS5_REPLY`; also BIND's second reply, which has the same
    /// bytes).
    sockswire_parse_socks5_reply,
    sockswire::parse_socks5_reply,
    EventKind::Socks5Reply
);
parser!(
    /// An RFC 1929 username/password request (`SW_KIND_USERPASS_REQUEST`, password shown).
    sockswire_parse_userpass_request,
    sockswire::parse_userpass_request,
    userpass
);
parser!(
    /// An RFC 1929 reply (`SW_KIND_USERPASS_REPLY`).
    sockswire_parse_userpass_reply,
    sockswire::parse_userpass_reply,
    EventKind::UserPassReply
);
parser!(
    /// An RFC 1961 GSS-API frame (`SW_KIND_GSSAPI`).
    sockswire_parse_gssapi_message,
    sockswire::parse_gssapi_message,
    EventKind::Gssapi
);

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
