//! Detection and text: `sockswire_probe`, the names of codes and anomalies, addresses as
//! text, the library version.

use core::ffi::{CStr, c_char};

use sockswire::dissect::{Confidence, ProbeResult, Protocol, probe};
use sockswire::{
    AddrType, AuthStatus, Command, GssapiMessageType, Method, ReplyCode, Socks4Status,
};

use crate::guard::{clear, guard, slice, text_out};
use crate::types::{
    SW_ANOMALY_CLEARTEXT_CREDENTIALS, SW_ANOMALY_DATA_AFTER_FAILURE, SW_ANOMALY_DNS_LEAK_RISK,
    SW_ANOMALY_GAP, SW_ANOMALY_LONG_HOSTNAME, SW_ANOMALY_MALFORMED,
    SW_ANOMALY_NO_AUTH_DESPITE_USERPASS, SW_ANOMALY_NON_UTF8_HOSTNAME,
    SW_ANOMALY_NONSTANDARD_ADDRESS_TYPE, SW_ANOMALY_NONZERO_RESERVED, SW_ANOMALY_NOT_SOCKS,
    SW_ANOMALY_OPTIMISTIC_DATA, SW_ANOMALY_TOO_LONG, SW_ANOMALY_TRUNCATED,
    SW_ANOMALY_VERSION_SWITCH, SwAnomaly,
};
use crate::types::{SW_ERR_BAD_ARGUMENT, SW_ERR_NULL, SW_OK, SwHostPort, dir_code};

/// The bytes start a SOCKS conversation: a [`SwProbe`] verdict.
pub const SW_PROBE_SOCKS: u8 = 0;
/// A proper prefix of a possible first message: `needed` more bytes of the same direction.
pub const SW_PROBE_NEED_MORE: u8 = 1;
/// Not SOCKS.
pub const SW_PROBE_NOT_SOCKS: u8 = 2;

/// What [`sockswire_probe`] says.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct SwProbe {
    /// An `SW_PROBE_*` verdict.
    pub verdict: u8,
    /// SOCKS: 4, 5, or 0x4A for SOCKS4a.
    pub protocol: u8,
    /// SOCKS: which way the probed bytes travel (`SW_DIR_C2S`: a client's first message).
    pub dir: u8,
    /// SOCKS: 1 low, 2 medium, 3 high.
    pub confidence: u8,
    /// SOCKS: the first message's length in the probed bytes.
    pub len: usize,
    /// Need more: how many more bytes.
    pub needed: usize,
}

/// Detects SOCKS from the first bytes of one direction (`first`) and those of the other, if
/// any were seen (`other`, may be NULL with length 0). Reads only the bytes given.
///
/// # Safety
/// `first` and `other` must point to their lengths of readable bytes (or be NULL with length
/// 0); `out` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_probe(
    first: *const u8,
    first_len: usize,
    other: *const u8,
    other_len: usize,
    out: *mut SwProbe,
) -> i32 {
    if out.is_null() {
        return SW_ERR_NULL;
    }
    guard(|| {
        // SAFETY: the caller's promise.
        let (a, b) = match unsafe { (slice(first, first_len), slice(other, other_len)) } {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => return e,
        };
        let mut p = SwProbe::default();
        match probe(a, b) {
            ProbeResult::Socks(d) => {
                p.verdict = SW_PROBE_SOCKS;
                p.protocol = match d.protocol {
                    Protocol::Socks4 => 4,
                    Protocol::Socks4a => 0x4A,
                    Protocol::Socks5 => 5,
                };
                p.dir = dir_code(d.dir);
                p.confidence = match d.confidence {
                    Confidence::Low => 1,
                    Confidence::Medium => 2,
                    Confidence::High => 3,
                };
                p.len = d.len;
            }
            ProbeResult::NeedMore(n) => {
                p.verdict = SW_PROBE_NEED_MORE;
                p.needed = n;
            }
            ProbeResult::NotSocks => p.verdict = SW_PROBE_NOT_SOCKS,
        }
        // SAFETY: checked non-NULL; must be writable.
        unsafe { out.write(p) };
        SW_OK
    })
}

/// SOCKS4/5 commands (`CONNECT`, ..., Tor's `RESOLVE`): a [`sockswire_code_name`] set.
pub const SW_CODES_COMMAND: u32 = 1;
/// SOCKS5 reply codes, Tor's 0xF0 to 0xF7 included.
pub const SW_CODES_REPLY: u32 = 2;
/// SOCKS5 authentication methods.
pub const SW_CODES_METHOD: u32 = 3;
/// SOCKS4 reply codes (`CD`).
pub const SW_CODES_SOCKS4_STATUS: u32 = 4;
/// RFC 1929 status.
pub const SW_CODES_AUTH_STATUS: u32 = 5;
/// RFC 1961 message types.
pub const SW_CODES_GSSAPI_TYPE: u32 = 6;
/// SOCKS5 address types.
pub const SW_CODES_ADDR_TYPE: u32 = 7;

/// Writes the name of `code` in code set `set` (`SW_CODES_*`) into `buf`, NUL-terminated:
/// `"CONNECT"`, `"TTL_EXPIRED"`, or `"0x42"` for a code without a name. `*written` (if not
/// NULL) gets the length without the NUL. On any error `buf` holds an empty string (when
/// it is not NULL and `cap` > 0).
///
/// # Safety
/// `buf` must be writable for `cap` bytes; `written` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_code_name(
    set: u32,
    code: u8,
    buf: *mut c_char,
    cap: usize,
    written: *mut usize,
) -> i32 {
    // SAFETY: the caller's promise.
    unsafe { clear(buf, cap) };
    guard(|| {
        let text = match set {
            SW_CODES_COMMAND => Command(code).to_string(),
            SW_CODES_REPLY => ReplyCode(code).to_string(),
            SW_CODES_METHOD => Method(code).to_string(),
            SW_CODES_SOCKS4_STATUS => Socks4Status(code).to_string(),
            SW_CODES_AUTH_STATUS => AuthStatus(code).to_string(),
            SW_CODES_GSSAPI_TYPE => GssapiMessageType(code).to_string(),
            SW_CODES_ADDR_TYPE => AddrType(code).to_string(),
            _ => return SW_ERR_BAD_ARGUMENT,
        };
        // SAFETY: the caller's promise.
        unsafe { text_out(&text, buf, cap, written) }
    })
}

/// Writes `hp` as text into `buf`, NUL-terminated: `127.0.0.1:80`, `[::1]:443`,
/// `example.com:443` (bytes that are not printable ASCII as `\xNN`). `*written` (if not
/// NULL) gets the length without the NUL. An unknown `kind` is [`SW_ERR_BAD_ARGUMENT`].
///
/// # Safety
/// `hp` must be readable, its `name` readable for `name_len` bytes when `kind` is
/// `SW_ADDR_DOMAIN`; `buf` writable for `cap` bytes; `written` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_format_host_port(
    hp: *const SwHostPort,
    buf: *mut c_char,
    cap: usize,
    written: *mut usize,
) -> i32 {
    // SAFETY: the caller's promise.
    unsafe { clear(buf, cap) };
    if hp.is_null() {
        return SW_ERR_NULL;
    }
    guard(|| {
        // SAFETY: the caller's promise.
        let Some(view) = (unsafe { (*hp).as_view() }) else {
            return SW_ERR_BAD_ARGUMENT;
        };
        // SAFETY: the caller's promise.
        unsafe { text_out(&view.to_string(), buf, cap, written) }
    })
}

/// The short name of an anomaly code, as `sockswire dissect --json` writes it
/// (`"dns_leak_risk"`), NUL-terminated and static; `"other"` for a code not named here.
#[unsafe(no_mangle)]
pub extern "C" fn sockswire_anomaly_name(anomaly: SwAnomaly) -> *const c_char {
    let name: &'static CStr = match anomaly {
        SW_ANOMALY_DNS_LEAK_RISK => c"dns_leak_risk",
        SW_ANOMALY_OPTIMISTIC_DATA => c"optimistic_data",
        SW_ANOMALY_CLEARTEXT_CREDENTIALS => c"cleartext_credentials",
        SW_ANOMALY_NO_AUTH_DESPITE_USERPASS => c"no_auth_despite_userpass",
        SW_ANOMALY_NONZERO_RESERVED => c"nonzero_reserved",
        SW_ANOMALY_LONG_HOSTNAME => c"long_hostname",
        SW_ANOMALY_NON_UTF8_HOSTNAME => c"non_utf8_hostname",
        SW_ANOMALY_VERSION_SWITCH => c"version_switch",
        SW_ANOMALY_NOT_SOCKS => c"not_socks",
        SW_ANOMALY_MALFORMED => c"malformed",
        SW_ANOMALY_TOO_LONG => c"too_long",
        SW_ANOMALY_GAP => c"gap",
        SW_ANOMALY_TRUNCATED => c"truncated",
        SW_ANOMALY_DATA_AFTER_FAILURE => c"data_after_failure",
        SW_ANOMALY_NONSTANDARD_ADDRESS_TYPE => c"nonstandard_address_type",
        _ => c"other",
    };
    name.as_ptr()
}

/// The library's version (`"0.2.0"`), NUL-terminated and static.
#[unsafe(no_mangle)]
pub extern "C" fn sockswire_version() -> *const c_char {
    const V: &CStr =
        match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
            Ok(v) => v,
            Err(_) => c"unknown",
        };
    V.as_ptr()
}

/// The highest `SW_*` API revision this library implements; a header with a higher
/// [`SW_API_VERSION`](crate::SW_API_VERSION) needs a newer library.
#[unsafe(no_mangle)]
pub extern "C" fn sockswire_api_version() -> u32 {
    crate::SW_API_VERSION
}
