//! The dissector handle through its C entry points (called as Rust functions): what it
//! reports, and every refusal (NULL, freed or forged handle, bad direction, absurd length,
//! NULL out-pointer).
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use core::ffi::CStr;
use core::mem::MaybeUninit;
use core::ptr;

use sockswire_ffi::*;

/// Feeds `bytes` and returns the status and event count.
fn feed(h: *mut SwDissector, dir: u8, bytes: &[u8]) -> (i32, usize) {
    let mut n = usize::MAX;
    // SAFETY: `h` is used by this thread only; `bytes` is a live slice.
    let s = unsafe { sockswire_dissector_feed(h, dir, bytes.as_ptr(), bytes.len(), &mut n) };
    (s, n)
}

fn bytes<'a>(p: *const u8, len: usize) -> &'a [u8] {
    if p.is_null() {
        assert_eq!(len, 0);
        return &[];
    }
    // SAFETY: the library's pointers are valid until the next feed; tests read them before.
    unsafe { core::slice::from_raw_parts(p, len) }
}

fn cstr<'a>(p: *const core::ffi::c_char) -> &'a str {
    // SAFETY: the library hands out NUL-terminated strings valid until the next feed.
    unsafe { CStr::from_ptr(p) }.to_str().unwrap()
}

/// Every event ready on `h`.
fn events(h: *mut SwDissector) -> Vec<SwEvent> {
    let mut out = Vec::new();
    loop {
        let mut e = MaybeUninit::<SwEvent>::uninit();
        // SAFETY: single-threaded use, writable out-pointer.
        match unsafe { sockswire_dissector_next_event(h, e.as_mut_ptr()) } {
            // SAFETY: SW_OK filled it.
            SW_OK => out.push(unsafe { e.assume_init() }),
            SW_NONE => return out,
            s => panic!("next_event: {s}"),
        }
    }
}

fn transactions(h: *mut SwDissector) -> Vec<SwTransaction> {
    let mut out = Vec::new();
    loop {
        let mut t = MaybeUninit::<SwTransaction>::uninit();
        // SAFETY: single-threaded use, writable out-pointer.
        match unsafe { sockswire_dissector_next_transaction(h, t.as_mut_ptr()) } {
            // SAFETY: SW_OK filled it.
            SW_OK => out.push(unsafe { t.assume_init() }),
            SW_NONE => return out,
            s => panic!("next_transaction: {s}"),
        }
    }
}

fn texts(evs: &[SwEvent]) -> Vec<String> {
    evs.iter()
        .map(|e| format!("{} @{} {}", e.dir, e.offset, cstr(e.text)))
        .collect()
}

fn free(h: *mut SwDissector) -> i32 {
    // SAFETY: single-threaded use.
    unsafe { sockswire_dissector_free(h) }
}

#[test]
fn dissector_feed_reports_a_socks5_conversation_with_its_transaction() {
    let h = sockswire_dissector_new(0);
    assert!(!h.is_null());
    // The request split inside the domain name: reassembled.
    assert_eq!(feed(h, SW_DIR_C2S, b"\x05\x02\x00\x02"), (SW_OK, 1));
    let e = events(h);
    assert_eq!(e[0].message.kind, SW_KIND_GREETING);
    assert_eq!(bytes(e[0].message.bytes, e[0].message.bytes_len), [0, 2]);
    assert_eq!(feed(h, SW_DIR_S2C, b"\x05\x00"), (SW_OK, 2));
    let e = events(h);
    assert_eq!(
        texts(&e),
        [
            "1 @0 SOCKS5 method choice NO_AUTH",
            "1 @0 anomaly: no authentication chosen although username/password was offered"
        ]
    );
    assert_eq!(e[1].anomaly, SW_ANOMALY_NO_AUTH_DESPITE_USERPASS);
    assert_eq!(
        cstr(e[1].detail),
        "no authentication chosen although username/password was offered"
    );
    assert_eq!(cstr(e[0].detail), "");
    assert_eq!(feed(h, SW_DIR_C2S, b"\x05\x01\x00\x03\x0bexam"), (SW_OK, 0));
    assert_eq!(feed(h, SW_DIR_C2S, b"ple.com\x01\xbb"), (SW_OK, 1));
    let e = events(h)[0];
    assert_eq!(
        (e.message.kind, e.message.code, e.offset),
        (SW_KIND_SOCKS5_REQUEST, 1, 4)
    );
    assert_eq!((e.message.atyp, e.message.addr.kind), (3, SW_ADDR_DOMAIN));
    assert_eq!(
        bytes(e.message.addr.name, e.message.addr.name_len),
        b"example.com"
    );
    assert_eq!(e.message.addr.port, 443);
    let reply = b"\x05\x00\x00\x01\x7f\x00\x00\x01\x04\x38HTTP";
    assert_eq!(feed(h, SW_DIR_S2C, reply), (SW_OK, 2));
    let e = events(h);
    assert_eq!(e[0].message.kind, SW_KIND_SOCKS5_REPLY);
    assert_eq!(e[0].completes_transaction, 1);
    assert_eq!(&e[0].message.addr.ip[..4], [127, 0, 0, 1]);
    assert_eq!(e[1].message.kind, SW_KIND_PAYLOAD_START);
    let mut index = 0;
    // SAFETY: single-threaded use, writable out-pointer.
    assert_eq!(
        unsafe { sockswire_dissector_payload_index(h, SW_DIR_S2C, &mut index) },
        SW_OK
    );
    assert_eq!(index, 10);
    let mut phase = 9;
    // SAFETY: as above.
    assert_eq!(
        unsafe { sockswire_dissector_phase(h, SW_DIR_S2C, &mut phase) },
        SW_OK
    );
    assert_eq!(phase, SW_PHASE_TUNNEL);
    let mut version = 0;
    // SAFETY: as above.
    assert_eq!(
        unsafe { sockswire_dissector_version(h, &mut version) },
        SW_OK
    );
    assert_eq!(version, 5);
    let t = transactions(h);
    assert_eq!(t.len(), 1);
    let t = t[0];
    assert_eq!(
        (t.version, t.has_method, t.method, t.auth),
        (5, 1, 0, SW_AUTH_NOT_NEEDED)
    );
    assert_eq!(bytes(t.methods, t.methods_len), [0, 2]);
    assert_eq!(
        (t.has_command, t.command, t.complete, t.succeeded),
        (1, 1, 1, 1)
    );
    assert_eq!(bytes(t.target.name, t.target.name_len), b"example.com");
    assert_eq!((t.has_request_offset, t.request_offset), (1, 4));
    assert!(t.user.is_null() && t.password.is_null());
    // SAFETY: `replies_len` replies are readable until the next feed.
    let replies = unsafe { core::slice::from_raw_parts(t.replies, t.replies_len) };
    assert_eq!(replies.len(), 1);
    assert_eq!(
        (replies[0].status, replies[0].offset, replies[0].bound.port),
        (0, 2, 1080)
    );
    // SAFETY: as above.
    let anomalies = unsafe { core::slice::from_raw_parts(t.anomalies, t.anomalies_len) };
    assert_eq!(anomalies.len(), 1);
    assert_eq!(anomalies[0].anomaly, SW_ANOMALY_NO_AUTH_DESPITE_USERPASS);
    assert_eq!((anomalies[0].dir, anomalies[0].offset), (SW_DIR_S2C, 0));
    let mut n = 0;
    // SAFETY: single-threaded use.
    assert_eq!(
        unsafe { sockswire_dissector_finish(h, SW_DIR_C2S, &mut n) },
        SW_OK
    );
    let e = events(h);
    assert_eq!(
        (n, e[0].message.kind, e[0].value, e[0].offset),
        (1, SW_KIND_END, 0, 22)
    );
    assert_eq!(free(h), SW_OK);
}

#[test]
fn dissector_finish_hands_out_an_open_transaction_after_both_directions() {
    let h = sockswire_dissector_new(1);
    feed(h, SW_DIR_C2S, b"\x05\x01\x02");
    feed(h, SW_DIR_S2C, b"\x05\x02");
    feed(h, SW_DIR_C2S, b"\x01\x05alice\x06s3cret\x05\x01");
    let e = events(h);
    assert_eq!(e[0].message.kind, SW_KIND_USERPASS_REQUEST);
    // Revealed: the password is there.
    assert_eq!(
        bytes(e[0].message.password, e[0].message.password_len),
        b"s3cret"
    );
    assert_eq!(bytes(e[0].message.user, e[0].message.user_len), b"alice");
    let mut n = 0;
    // SAFETY: single-threaded use.
    unsafe { sockswire_dissector_finish(h, SW_DIR_C2S, &mut n) };
    let e = events(h);
    assert_eq!(
        texts(&e),
        [
            "0 @17 anomaly: stream ended inside a message",
            "0 @19 end, 0 payload bytes"
        ]
    );
    assert!(transactions(h).is_empty(), "one direction is still open");
    // SAFETY: single-threaded use.
    unsafe { sockswire_dissector_finish(h, SW_DIR_S2C, &mut n) };
    let t = transactions(h);
    assert_eq!(t.len(), 1);
    assert_eq!(
        (t[0].complete, t[0].auth, t[0].succeeded),
        (0, SW_AUTH_UNKNOWN, 0)
    );
    assert_eq!(bytes(t[0].password, t[0].password_len), b"s3cret");
    assert_eq!(bytes(t[0].user, t[0].user_len), b"alice");
    assert_eq!(free(h), SW_OK);
}

#[test]
fn dissector_hides_passwords_unless_asked() {
    let h = sockswire_dissector_new(0);
    feed(h, SW_DIR_C2S, b"\x05\x01\x02");
    feed(h, SW_DIR_S2C, b"\x05\x02");
    feed(h, SW_DIR_C2S, b"\x01\x05alice\x06s3cret");
    let e = events(h);
    assert!(e[0].message.password.is_null());
    assert_eq!(e[0].message.password_len, 6);
    assert_eq!(
        cstr(e[0].text),
        "username/password request, username \"alice\", password <6 bytes>"
    );
    assert_eq!(free(h), SW_OK);
}

#[test]
fn dissector_reports_bind_second_reply_and_tor_atyp_0() {
    let h = sockswire_dissector_new(0);
    feed(
        h,
        SW_DIR_C2S,
        b"\x05\x01\x00\x05\x02\x00\x01\x7f\x00\x00\x01\x00\x00",
    );
    feed(
        h,
        SW_DIR_S2C,
        b"\x05\x00\x05\x00\x00\x01\x7f\x00\x00\x01\x10\x00",
    );
    assert_eq!(transactions(h).len(), 0);
    let (s, n) = feed(h, SW_DIR_S2C, b"\x05\x00\x00\x01\x0a\x00\x00\x02\x20\x00");
    assert_eq!((s, n), (SW_OK, 1));
    let e = events(h)[0];
    assert_eq!(
        (e.message.kind, e.message.addr.port),
        (SW_KIND_BIND_SECOND_REPLY, 0x2000)
    );
    assert_eq!(e.completes_transaction, 1);
    assert_eq!(transactions(h)[0].replies_len, 2);
    assert_eq!(free(h), SW_OK);

    // C Tor's failed RESOLVE: ATYP 0 and four zero bytes.
    let h = sockswire_dissector_new(0);
    feed(
        h,
        SW_DIR_C2S,
        b"\x05\x01\x00\x05\xf0\x00\x03\x04a.bc\x00\x00",
    );
    feed(
        h,
        SW_DIR_S2C,
        b"\x05\x00\x05\x04\x00\x00\x00\x00\x00\x00\x00\x00",
    );
    let e = events(h);
    let reply = e
        .iter()
        .find(|e| e.message.kind == SW_KIND_SOCKS5_REPLY)
        .unwrap();
    assert_eq!(
        (
            reply.message.code,
            reply.message.atyp,
            reply.message.addr.kind
        ),
        (4, 0, SW_ADDR_UNSPECIFIED)
    );
    let anomaly = e
        .iter()
        .find(|e| e.message.kind == SW_KIND_ANOMALY)
        .unwrap();
    assert_eq!(
        (anomaly.anomaly, anomaly.value),
        (SW_ANOMALY_NONSTANDARD_ADDRESS_TYPE, 0)
    );
    assert_eq!(free(h), SW_OK);
}

#[test]
fn dissector_gap_in_the_handshake_stops_the_direction() {
    let h = sockswire_dissector_new(0);
    feed(h, SW_DIR_C2S, b"\x05\x01");
    let mut n = 0;
    // SAFETY: single-threaded use.
    assert_eq!(
        unsafe { sockswire_dissector_gap(h, SW_DIR_C2S, 7, &mut n) },
        SW_OK
    );
    let e = events(h);
    assert_eq!(
        (n, e[0].anomaly, e[0].value, e[0].offset),
        (1, SW_ANOMALY_GAP, 7, 2)
    );
    let mut phase = 0;
    // SAFETY: single-threaded use.
    unsafe { sockswire_dissector_phase(h, SW_DIR_C2S, &mut phase) };
    assert_eq!(phase, SW_PHASE_NOT_DECODED);
    assert_eq!(free(h), SW_OK);
}

#[test]
fn dissector_refuses_null_freed_and_forged_handles() {
    let freed = sockswire_dissector_new(0);
    assert_eq!(free(freed), SW_OK);
    // Memory that is not a handle: it must not even be read.
    let mut forged = [0xAAu8; 64];
    let forged = forged.as_mut_ptr().cast::<SwDissector>();
    for h in [ptr::null_mut(), freed, forged] {
        let mut n = 0;
        let (mut ev, mut tx) = (MaybeUninit::uninit(), MaybeUninit::uninit());
        let (mut phase, mut index, mut version) = (0, 0, 0);
        // SAFETY: the handles are refused before use; out-pointers are live locals.
        unsafe {
            assert_eq!(
                sockswire_dissector_feed(h, 0, b"x".as_ptr(), 1, &mut n),
                SW_ERR_BAD_HANDLE
            );
            assert_eq!(sockswire_dissector_gap(h, 0, 1, &mut n), SW_ERR_BAD_HANDLE);
            assert_eq!(sockswire_dissector_finish(h, 0, &mut n), SW_ERR_BAD_HANDLE);
            assert_eq!(
                sockswire_dissector_next_event(h, ev.as_mut_ptr()),
                SW_ERR_BAD_HANDLE
            );
            assert_eq!(
                sockswire_dissector_next_transaction(h, tx.as_mut_ptr()),
                SW_ERR_BAD_HANDLE
            );
            assert_eq!(
                sockswire_dissector_phase(h, 0, &mut phase),
                SW_ERR_BAD_HANDLE
            );
            assert_eq!(
                sockswire_dissector_payload_index(h, 0, &mut index),
                SW_ERR_BAD_HANDLE
            );
            assert_eq!(
                sockswire_dissector_version(h, &mut version),
                SW_ERR_BAD_HANDLE
            );
            assert_eq!(sockswire_dissector_free(h), SW_ERR_BAD_HANDLE);
        }
        assert_eq!(n, 0, "nothing written on refusal");
    }
}

#[test]
fn dissector_refuses_bad_directions_lengths_and_null_pointers() {
    let h = sockswire_dissector_new(0);
    let mut n = 0;
    let (mut phase, mut index) = (0, 0);
    // SAFETY: single-threaded use; the too-long length is refused before any read.
    unsafe {
        assert_eq!(
            sockswire_dissector_feed(h, 2, b"x".as_ptr(), 1, &mut n),
            SW_ERR_BAD_DIRECTION
        );
        assert_eq!(
            sockswire_dissector_gap(h, 7, 1, &mut n),
            SW_ERR_BAD_DIRECTION
        );
        assert_eq!(
            sockswire_dissector_finish(h, 255, &mut n),
            SW_ERR_BAD_DIRECTION
        );
        assert_eq!(
            sockswire_dissector_phase(h, 2, &mut phase),
            SW_ERR_BAD_DIRECTION
        );
        assert_eq!(
            sockswire_dissector_payload_index(h, 2, &mut index),
            SW_ERR_BAD_DIRECTION
        );
        assert_eq!(
            sockswire_dissector_feed(h, 0, ptr::null(), 5, &mut n),
            SW_ERR_NULL
        );
        assert_eq!(
            sockswire_dissector_feed(h, 0, b"x".as_ptr(), SW_MAX_INPUT + 1, &mut n),
            SW_ERR_TOO_LONG
        );
        assert_eq!(
            sockswire_dissector_feed(h, 0, b"x".as_ptr(), usize::MAX, &mut n),
            SW_ERR_TOO_LONG
        );
        assert_eq!(
            sockswire_dissector_next_event(h, ptr::null_mut()),
            SW_ERR_NULL
        );
        assert_eq!(
            sockswire_dissector_next_transaction(h, ptr::null_mut()),
            SW_ERR_NULL
        );
        assert_eq!(
            sockswire_dissector_phase(h, 0, ptr::null_mut()),
            SW_ERR_NULL
        );
        assert_eq!(
            sockswire_dissector_payload_index(h, 0, ptr::null_mut()),
            SW_ERR_NULL
        );
        assert_eq!(sockswire_dissector_version(h, ptr::null_mut()), SW_ERR_NULL);
        // NULL with length 0 is the empty segment; a NULL count is allowed.
        assert_eq!(
            sockswire_dissector_feed(h, 0, ptr::null(), 0, ptr::null_mut()),
            SW_OK
        );
        // No payload in this segment.
        assert_eq!(sockswire_dissector_payload_index(h, 0, &mut index), SW_NONE);
    }
    assert_eq!(n, 0);
    // After all those refusals the handle still works.
    assert_eq!(
        feed(h, SW_DIR_C2S, b"\x04\x01\x00\x50\x7f\x00\x00\x01\x00"),
        (SW_OK, 2)
    );
    assert_eq!(free(h), SW_OK);
}
