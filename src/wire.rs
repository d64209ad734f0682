//! The wire layer: zero-copy nom 8 parsers and mirror encoders for every SOCKS message.
//!
//! Each message has a borrowed view (pub fields), a mode-generic nom builder (`socks5_request()`
//! and so on: call `.parse` for streaming, `.parse_complete` for a datagram or a finished
//! capture), a `parse_*` function in streaming mode with [`WireError`], and an [`Encode`] impl.
//!
//! | message | direction | view | parser |
//! |---|---|---|---|
//! | SOCKS4/4a request | client | [`Socks4Request`] | [`parse_socks4_request`] |
//! | SOCKS4 reply | server | [`Socks4Reply`] | [`parse_socks4_reply`] |
//! | SOCKS5 greeting | client | [`Socks5Greeting`] | [`parse_socks5_greeting`] |
//! | SOCKS5 method choice | server | [`Socks5MethodChoice`] | [`parse_socks5_method_choice`] |
//! | RFC 1929 request | client | [`UserPassRequest`] | [`parse_userpass_request`] |
//! | RFC 1929 reply | server | [`UserPassReply`] | [`parse_userpass_reply`] |
//! | RFC 1961 GSS-API frame | both | [`GssapiMessage`] | [`parse_gssapi_message`] |
//! | SOCKS5 request | client | [`Socks5Request`] | [`parse_socks5_request`] |
//! | SOCKS5 reply (and BIND's second) | server | [`Socks5Reply`] | [`parse_socks5_reply`] |
//! | SOCKS5 UDP header / datagram | both | [`Socks5UdpHeader`], [`Socks5UdpDatagram`] | [`parse_socks5_udp_header`], [`parse_socks5_udp_datagram`] |
//! | SOCKS5 address | - | [`HostPort`] | [`parse_socks5_addr`] |
//!
//! # Contract
//!
//! * **Never panics, never allocates, never reads past its input**, on any bytes.
//! * **Exact prefixes.** In streaming mode every proper prefix of a valid message gives
//!   `Err::Incomplete(Needed::Size(n))`, where `n` is exactly the number of bytes missing up to
//!   the end of the next part whose size is known: the whole rest of a fixed-size message, a
//!   fixed header, a length-prefixed field with what follows it up to the next length. While
//!   scanning a NUL-terminated field (SOCKS4) `n` is 1. So a reader that reads exactly `n`
//!   bytes never reads past the message. In complete mode a prefix is an error
//!   ([`WireError::Truncated`], [`WireError::MissingNul`]).
//! * **Errors say what is wrong** as soon as the offending byte is present: a bad version on
//!   the first byte, a field over its [`Limits`] as soon as the limit is passed (so a stream
//!   reader stops buffering), an unknown address type on the `ATYP` byte.
//! * **Lossless.** For every accepted input, encoding the view writes exactly the consumed
//!   bytes (reserved bytes, unknown commands and codes, SOCKS4 reply `VN` are kept). For every
//!   view that encodes, parsing the encoding gives the view back.
//! * **Trailing bytes are never consumed**: they are the remaining input.
//! * **Lenient by design.** Parsers accept every well-framed message (any command, any reply
//!   code, any reserved value, empty names, non-UTF-8 names); policy such as "RSV must be 0"
//!   lives in checks like [`Socks5Request::check_reserved`] and in the handshake layer.

pub(crate) mod addr;
pub(crate) mod auth;
pub(crate) mod codes;
pub(crate) mod cursor;
pub(crate) mod encode;
pub(crate) mod error;
pub(crate) mod frame;
pub(crate) mod gssapi;
pub(crate) mod limits;
pub(crate) mod scan;
pub(crate) mod storage;
pub(crate) mod udp;
pub(crate) mod v4;
pub(crate) mod v5;

pub use addr::{Addr, HostPort, parse_socks5_addr, socks5_addr};
pub use auth::{
    USERPASS_REQUEST_MAX_LEN, USERPASS_VERSION, UserPassReply, UserPassRequest,
    parse_userpass_reply, parse_userpass_request, userpass_reply, userpass_request,
};
pub use codes::{
    AddrType, AuthStatus, Command, GssapiMessageType, Method, MethodSet, ReplyCode, Socks4Status,
};
pub use encode::{Encode, FromWireError};
pub use error::{EncodeError, Field, WireError};
pub use frame::{socks5_greeting_len, socks5_reply_len, socks5_request_len, userpass_request_len};
pub use gssapi::{GSSAPI_VERSION, GssapiMessage, gssapi_message, parse_gssapi_message};
pub use limits::Limits;
pub use storage::Storage;
pub use udp::{
    Socks5UdpDatagram, Socks5UdpHeader, parse_socks5_udp_datagram, parse_socks5_udp_header,
    socks5_udp_header,
};
pub use v4::{
    SOCKS4_REPLY_LEN, SOCKS4_VERSION, Socks4Reply, Socks4Request, is_socks4a_marker,
    parse_socks4_reply, parse_socks4_request, socks4_reply, socks4_request,
};
pub use v5::{
    SOCKS5_GREETING_MAX_LEN, SOCKS5_REQUEST_MAX_LEN, SOCKS5_VERSION, Socks5Greeting,
    Socks5MethodChoice, Socks5Reply, Socks5Request, parse_socks5_greeting,
    parse_socks5_method_choice, parse_socks5_reply, parse_socks5_request, socks5_greeting,
    socks5_method_choice, socks5_reply, socks5_request,
};
