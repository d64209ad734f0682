//! Fuzz target bodies for the C API (feature `fuzz`), driven through the same `extern "C"`
//! functions C calls: `fuzz/fuzz_targets/ffi_<name>.rs` hands libFuzzer's bytes to the body
//! of that name, and `ffi/tests/fuzz_corpus.rs` replays `fuzz/seeds/ffi_<name>/` on stable.
//! Each body reads every byte every returned pointer claims (so a dangling or out-of-range
//! pointer is caught by the sanitizer or by the checks), and returns `Some(n)` when the input
//! got past the first decision.
#![allow(clippy::indexing_slicing, clippy::unwrap_used, missing_docs)]

use core::ffi::{CStr, c_char};
use core::mem::MaybeUninit;

use crate::*;

/// Sums bytes so that every one is read.
fn touch(p: *const u8, len: usize) -> u64 {
    if p.is_null() {
        assert_eq!(len, 0, "NULL with a length");
        return 0;
    }
    // SAFETY: the library promises `len` readable bytes until the next call.
    let s = unsafe { core::slice::from_raw_parts(p, len) };
    s.iter().map(|&b| u64::from(b)).sum()
}

fn touch_str(p: *const c_char) -> usize {
    assert!(!p.is_null());
    // SAFETY: the library hands out NUL-terminated strings.
    unsafe { CStr::from_ptr(p) }.to_bytes().len()
}

fn touch_message(m: &SwMessage) -> u64 {
    touch(m.addr.name, m.addr.name_len)
        + touch(m.hostname, m.hostname_len)
        + touch(m.user, m.user_len)
        // An unrevealed password is NULL with its length.
        + if m.password.is_null() { 0 } else { touch(m.password, m.password_len) }
        + touch(m.bytes, m.bytes_len)
}

/// Drains events and transactions, reading everything they point to.
///
/// # Safety
/// `h` is a live handle used by this thread only.
unsafe fn drain(h: *mut SwDissector) -> usize {
    let mut n = 0;
    loop {
        let mut e = MaybeUninit::<SwEvent>::uninit();
        // SAFETY: the caller's promise; a writable out-pointer.
        match unsafe { sockswire_dissector_next_event(h, e.as_mut_ptr()) } {
            SW_OK => {
                // SAFETY: SW_OK filled it.
                let e = unsafe { e.assume_init() };
                touch_message(&e.message);
                touch_str(e.text);
                touch_str(e.detail);
                n += 1;
            }
            s => {
                assert_eq!(s, SW_NONE);
                break;
            }
        }
    }
    loop {
        let mut t = MaybeUninit::<SwTransaction>::uninit();
        // SAFETY: as above.
        match unsafe { sockswire_dissector_next_transaction(h, t.as_mut_ptr()) } {
            SW_OK => {
                // SAFETY: SW_OK filled it.
                let t = unsafe { t.assume_init() };
                touch(t.methods, t.methods_len);
                touch(t.user, t.user_len);
                touch(t.password, t.password_len);
                touch(t.target.name, t.target.name_len);
                if t.replies_len > 0 {
                    // SAFETY: `replies_len` replies, valid until the next call.
                    let r = unsafe { core::slice::from_raw_parts(t.replies, t.replies_len) };
                    r.iter().for_each(|r| {
                        touch(r.bound.name, r.bound.name_len);
                    });
                }
                if t.anomalies_len > 0 {
                    // SAFETY: as above.
                    let a = unsafe { core::slice::from_raw_parts(t.anomalies, t.anomalies_len) };
                    assert!(a.iter().all(|a| a.dir <= SW_DIR_S2C));
                }
            }
            s => {
                assert_eq!(s, SW_NONE);
                return n;
            }
        }
    }
}

/// `sockswire_dissector_*`: the input is a script of calls. Each step's first byte picks the
/// call (feed either direction, a gap, a finish, an out-of-range direction, an absurd
/// length) and its length; the bytes after it are the segment.
pub fn ffi_dissector_feed(data: &[u8]) -> Option<usize> {
    let h = sockswire_dissector_new(u8::from(data.first()? & 1 == 1));
    let mut rest = &data[1..];
    let mut events = 0;
    while let Some((&op, tail)) = rest.split_first() {
        let len = usize::from(op >> 3).min(tail.len());
        let (seg, next) = tail.split_at(len);
        rest = next;
        let dir = op & 1;
        let mut n = 0;
        // SAFETY: `h` is live and ours; `seg` is a live slice.
        let status = unsafe {
            match (op >> 1) & 3 {
                0 | 1 => sockswire_dissector_feed(h, dir, seg.as_ptr(), seg.len(), &mut n),
                2 if len % 2 == 0 => sockswire_dissector_gap(h, dir, len as u64, &mut n),
                2 => sockswire_dissector_finish(h, dir, &mut n),
                _ if len % 2 == 0 => sockswire_dissector_feed(h, 2 + dir, seg.as_ptr(), 1, &mut n),
                _ => sockswire_dissector_feed(h, dir, seg.as_ptr(), usize::MAX - len, &mut n),
            }
        };
        match (op >> 1) & 3 {
            3 if len % 2 == 0 => assert_eq!(status, SW_ERR_BAD_DIRECTION),
            3 => assert_eq!(status, SW_ERR_TOO_LONG),
            _ => assert_eq!(status, SW_OK),
        }
        // SAFETY: as above.
        let drained = unsafe { drain(h) };
        if status == SW_OK {
            assert_eq!(drained, n, "count and events agree");
        }
        events += drained;
        let (mut phase, mut index) = (0, 0);
        // SAFETY: as above.
        unsafe {
            assert_eq!(sockswire_dissector_phase(h, dir, &mut phase), SW_OK);
            let s = sockswire_dissector_payload_index(h, dir, &mut index);
            assert!(s == SW_OK || s == SW_NONE);
        }
    }
    // SAFETY: as above; freed once, then refused.
    unsafe {
        assert_eq!(sockswire_dissector_free(h), SW_OK);
        assert_eq!(sockswire_dissector_free(h), SW_ERR_BAD_HANDLE);
    }
    Some(events)
}

/// `sockswire_probe`: the first byte splits the rest into the two directions.
pub fn ffi_probe(data: &[u8]) -> Option<usize> {
    let (&cut, rest) = data.split_first()?;
    let (first, other) = rest.split_at(usize::from(cut).min(rest.len()));
    let mut p = SwProbe::default();
    // SAFETY: live slices and a local.
    let s = unsafe {
        sockswire_probe(
            first.as_ptr(),
            first.len(),
            other.as_ptr(),
            other.len(),
            &mut p,
        )
    };
    assert_eq!(s, SW_OK);
    match p.verdict {
        SW_PROBE_SOCKS => {
            assert!(p.len <= first.len(), "message past the input");
            Some(p.len)
        }
        SW_PROBE_NEED_MORE => {
            assert!(p.needed > 0);
            None
        }
        v => {
            assert_eq!(v, SW_PROBE_NOT_SOCKS);
            None
        }
    }
}

type Parser = unsafe extern "C" fn(*const u8, usize, *mut SwMessage, *mut SwParseResult) -> i32;

const PARSERS: [Parser; 10] = [
    sockswire_parse_socks4_request,
    sockswire_parse_socks4_reply,
    sockswire_parse_socks5_greeting,
    sockswire_parse_socks5_method_choice,
    sockswire_parse_socks5_request,
    sockswire_parse_socks5_reply,
    sockswire_parse_userpass_request,
    sockswire_parse_userpass_reply,
    sockswire_parse_gssapi_message,
    sockswire_parse_socks5_udp_datagram,
];

/// `sockswire_parse_*`: the first byte picks the parser; every pointer must land inside the
/// input, `consumed` must fit, and `needed` must be positive unless unknown.
pub fn ffi_parse_message(data: &[u8]) -> Option<usize> {
    let (&which, input) = data.split_first()?;
    let p = PARSERS[usize::from(which) % PARSERS.len()];
    let (mut m, mut r) = (SwMessage::EMPTY, SwParseResult::EMPTY);
    // SAFETY: a live slice and locals.
    let s = unsafe { p(input.as_ptr(), input.len(), &mut m, &mut r) };
    let inside = |ptr: *const u8, len: usize| {
        // An empty field may point anywhere (a GSS-API abort has no token at all).
        ptr.is_null()
            || len == 0
            || (ptr >= input.as_ptr()
                && ptr as usize + len <= input.as_ptr() as usize + input.len())
    };
    match s {
        SW_OK => {
            assert!(r.consumed <= input.len());
            assert!(inside(m.addr.name, m.addr.name_len) && inside(m.hostname, m.hostname_len));
            assert!(inside(m.user, m.user_len) && inside(m.password, m.password_len));
            assert!(inside(m.bytes, m.bytes_len));
            touch_message(&m);
            Some(r.consumed)
        }
        SW_INCOMPLETE => None,
        s => {
            assert_eq!(s, SW_ERR_MALFORMED);
            assert_ne!(r.error, SW_WIRE_OK);
            None
        }
    }
}

/// `sockswire_code_name` and `sockswire_format_host_port` on arbitrary values and buffer
/// sizes: either the text fits and is NUL-terminated, or the call says the buffer is small.
pub fn ffi_code_name(data: &[u8]) -> Option<usize> {
    let [set, code, cap, kind, port, ref name @ ..] = *data else {
        return None;
    };
    let mut buf = [0x55 as c_char; 64];
    let cap = usize::from(cap) % (buf.len() + 1);
    let mut n = usize::MAX;
    // SAFETY: `buf` has at least `cap` writable bytes.
    let s = unsafe { sockswire_code_name(u32::from(set % 9), code, buf.as_mut_ptr(), cap, &mut n) };
    if s == SW_OK {
        assert!(n < cap && buf[n] == 0);
    }
    let mut hp = SwHostPort::NONE;
    hp.kind = kind % 7;
    hp.port = u16::from(port) * 257;
    hp.ip[..name.len().min(16)].copy_from_slice(&name[..name.len().min(16)]);
    hp.name = name.as_ptr();
    hp.name_len = name.len();
    // SAFETY: `hp.name` points to `name_len` bytes; `buf` as above.
    let s2 = unsafe { sockswire_format_host_port(&hp, buf.as_mut_ptr(), cap, &mut n) };
    if s2 == SW_OK {
        assert!(n < cap && buf[n] == 0);
        return Some(n);
    }
    None
}
