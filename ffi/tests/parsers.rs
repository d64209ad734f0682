//! The per-message parsers, probe and text helpers through their C entry points: fields,
//! exact `needed` counts, typed errors, and every refusal.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use core::ffi::{CStr, c_char};
use core::ptr;

use sockswire_ffi::*;

type Parser = unsafe extern "C" fn(*const u8, usize, *mut SwMessage, *mut SwParseResult) -> i32;

fn parse(p: Parser, input: &[u8]) -> (i32, SwMessage, SwParseResult) {
    let (mut m, mut r) = (SwMessage::EMPTY, SwParseResult::EMPTY);
    // SAFETY: live slice and locals.
    let s = unsafe { p(input.as_ptr(), input.len(), &mut m, &mut r) };
    (s, m, r)
}

fn bytes<'a>(p: *const u8, len: usize) -> &'a [u8] {
    // SAFETY: pointers into the test's own input, alive for the test.
    unsafe { core::slice::from_raw_parts(p, len) }
}

/// Every parser, with one valid message and its kind.
const ALL: &[(&str, Parser, &[u8], SwKind)] = &[
    (
        "socks4_request",
        sockswire_parse_socks4_request,
        b"\x04\x01\x00\x50\x00\x00\x00\x01bob\x00ex.com\x00",
        SW_KIND_SOCKS4_REQUEST,
    ),
    (
        "socks4_reply",
        sockswire_parse_socks4_reply,
        b"\x00\x5a\x1f\x40\x01\x02\x03\x04",
        SW_KIND_SOCKS4_REPLY,
    ),
    (
        "socks5_greeting",
        sockswire_parse_socks5_greeting,
        b"\x05\x02\x00\x02",
        SW_KIND_GREETING,
    ),
    (
        "socks5_method_choice",
        sockswire_parse_socks5_method_choice,
        b"\x05\x02",
        SW_KIND_METHOD_CHOICE,
    ),
    (
        "socks5_request",
        sockswire_parse_socks5_request,
        b"\x05\xf0\x00\x03\x05a.com\x00\x00",
        SW_KIND_SOCKS5_REQUEST,
    ),
    (
        "socks5_reply",
        sockswire_parse_socks5_reply,
        b"\x05\xf1\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x50",
        SW_KIND_SOCKS5_REPLY,
    ),
    (
        "userpass_request",
        sockswire_parse_userpass_request,
        b"\x01\x05alice\x06s3cret",
        SW_KIND_USERPASS_REQUEST,
    ),
    (
        "userpass_reply",
        sockswire_parse_userpass_reply,
        b"\x01\x00",
        SW_KIND_USERPASS_REPLY,
    ),
    (
        "gssapi_message",
        sockswire_parse_gssapi_message,
        b"\x01\x01\x00\x02\xab\xcd",
        SW_KIND_GSSAPI,
    ),
];

#[test]
fn every_parser_accepts_its_message_and_leaves_trailing_bytes() {
    for &(name, p, msg, kind) in ALL {
        let mut input = msg.to_vec();
        input.extend_from_slice(b"TRAIL");
        let (s, m, r) = parse(p, &input);
        assert_eq!((s, m.kind, r.consumed), (SW_OK, kind, msg.len()), "{name}");
    }
}

#[test]
fn every_parser_says_incomplete_on_every_proper_prefix() {
    for &(name, p, msg, _) in ALL {
        for end in 0..msg.len() {
            let (s, m, r) = parse(p, &msg[..end]);
            assert_eq!(
                (s, m.kind),
                (SW_INCOMPLETE, SW_KIND_NONE),
                "{name} prefix {end}"
            );
            assert!(
                r.needed <= msg.len() - end,
                "{name} prefix {end}: needed {}",
                r.needed
            );
        }
    }
}

#[test]
fn parsers_fill_the_fields() {
    let (_, m, _) = parse(sockswire_parse_socks4_request, ALL[0].2);
    assert_eq!(
        (m.version, m.code, m.addr.port, m.addr.ip[3]),
        (4, 1, 80, 1)
    );
    assert_eq!(bytes(m.user, m.user_len), b"bob");
    assert_eq!(bytes(m.hostname, m.hostname_len), b"ex.com");
    let (_, m, _) = parse(sockswire_parse_socks5_reply, ALL[5].2);
    assert_eq!(
        (m.code, m.atyp, m.addr.kind, m.addr.ip[15], m.addr.port),
        (0xf1, 4, SW_ADDR_IPV6, 1, 80)
    );
    let (_, m, _) = parse(sockswire_parse_userpass_request, ALL[6].2);
    assert_eq!(bytes(m.password, m.password_len), b"s3cret");
    let (_, m, _) = parse(sockswire_parse_gssapi_message, ALL[8].2);
    assert_eq!(
        (m.code, bytes(m.bytes, m.bytes_len)),
        (1, &[0xab, 0xcd][..])
    );
    // Exact `needed` where the format knows it: a SOCKS4 reply is 8 bytes.
    let (_, _, r) = parse(sockswire_parse_socks4_reply, b"\x00\x5a");
    assert_eq!(r.needed, 6);
}

#[test]
fn parsers_report_typed_errors() {
    let (s, _, r) = parse(sockswire_parse_socks5_greeting, b"\x04\x01\x00");
    assert_eq!(
        (s, r.error, r.got, r.expected),
        (SW_ERR_MALFORMED, SW_WIRE_BAD_VERSION, 4, 5)
    );
    let (s, _, r) = parse(sockswire_parse_socks5_request, b"\x05\x01\x00\x09");
    assert_eq!(
        (s, r.error, r.got),
        (SW_ERR_MALFORMED, SW_WIRE_UNKNOWN_ADDR_TYPE, 9)
    );
}

#[test]
fn udp_datagram_parser_takes_a_whole_datagram() {
    let dg = b"\x00\x00\x00\x01\x7f\x00\x00\x01\x4e\x1fhello";
    let (s, m, r) = parse(sockswire_parse_socks5_udp_datagram, dg);
    assert_eq!(
        (s, m.kind, m.code, m.atyp, m.addr.port, r.consumed),
        (SW_OK, SW_KIND_UDP_DATAGRAM, 0, 1, 19999, dg.len())
    );
    assert_eq!(bytes(m.bytes, m.bytes_len), b"hello");
    // Cut short: an error (a datagram is whole or nothing), not "incomplete".
    let (s, _, r) = parse(sockswire_parse_socks5_udp_datagram, &dg[..6]);
    assert_eq!((s, r.error), (SW_ERR_MALFORMED, SW_WIRE_TRUNCATED));
}

#[test]
fn parsers_refuse_null_and_absurd_lengths() {
    let mut all: Vec<Parser> = ALL.iter().map(|a| a.1).collect();
    all.push(sockswire_parse_socks5_udp_datagram);
    for p in all {
        let (mut m, mut r) = (SwMessage::EMPTY, SwParseResult::EMPTY);
        // SAFETY: refused before any read or write.
        unsafe {
            assert_eq!(p(ptr::null(), 3, &mut m, &mut r), SW_ERR_NULL);
            assert_eq!(
                p(b"\x05".as_ptr(), SW_MAX_INPUT + 1, &mut m, &mut r),
                SW_ERR_TOO_LONG
            );
            assert_eq!(p(b"\x05".as_ptr(), 1, ptr::null_mut(), &mut r), SW_ERR_NULL);
            assert_eq!(p(b"\x05".as_ptr(), 1, &mut m, ptr::null_mut()), SW_ERR_NULL);
        }
    }
}

fn probe(first: &[u8], other: &[u8]) -> SwProbe {
    let mut out = SwProbe::default();
    // SAFETY: live slices and local.
    let s = unsafe {
        sockswire_probe(
            first.as_ptr(),
            first.len(),
            other.as_ptr(),
            other.len(),
            &mut out,
        )
    };
    assert_eq!(s, SW_OK);
    out
}

#[test]
fn probe_detects_socks_and_its_direction() {
    let p = probe(b"\x05\x01\x00", b"");
    assert_eq!(
        (p.verdict, p.protocol, p.dir, p.confidence, p.len),
        (SW_PROBE_SOCKS, 5, SW_DIR_C2S, 2, 3)
    );
    let p = probe(b"\x05\x00", b"\x05\x01\x00");
    assert_eq!(
        (p.verdict, p.dir, p.confidence),
        (SW_PROBE_SOCKS, SW_DIR_S2C, 3)
    );
    let p = probe(b"\x05\x01", b"\x05\x00");
    assert_eq!((p.verdict, p.needed), (SW_PROBE_NEED_MORE, 1));
    assert_eq!(
        probe(b"GET / HTTP/1.1\r\n", b"").verdict,
        SW_PROBE_NOT_SOCKS
    );
    assert_eq!(
        probe(b"\x04\x01\x00\x50\x00\x00\x00\x01\x00a.b\x00", b"").protocol,
        0x4A
    );
}

#[test]
fn probe_refuses_null_and_absurd_lengths() {
    let mut out = SwProbe::default();
    // SAFETY: refused before any read or write.
    unsafe {
        assert_eq!(
            sockswire_probe(b"\x05".as_ptr(), 1, ptr::null(), 0, ptr::null_mut()),
            SW_ERR_NULL
        );
        assert_eq!(
            sockswire_probe(ptr::null(), 1, ptr::null(), 0, &mut out),
            SW_ERR_NULL
        );
        assert_eq!(
            sockswire_probe(b"\x05".as_ptr(), 1, ptr::null(), 4, &mut out),
            SW_ERR_NULL
        );
        assert_eq!(
            sockswire_probe(b"\x05".as_ptr(), usize::MAX, ptr::null(), 0, &mut out),
            SW_ERR_TOO_LONG
        );
    }
}

fn text(f: impl FnOnce(*mut c_char, usize, *mut usize) -> i32) -> (i32, String) {
    let mut buf = [0x55 as c_char; 64];
    let mut n = 0;
    let s = f(buf.as_mut_ptr(), buf.len(), &mut n);
    // SAFETY: the library NUL-terminates whenever `cap` > 0.
    let t = unsafe { CStr::from_ptr(buf.as_ptr()) }
        .to_str()
        .unwrap()
        .to_string();
    if s == SW_OK {
        assert_eq!(n, t.len());
    }
    (s, t)
}

#[test]
fn code_name_and_format_host_port_write_text() {
    // SAFETY (all closures): the buffers are live locals of the given size.
    let name = |set, code| text(|b, c, n| unsafe { sockswire_code_name(set, code, b, c, n) });
    assert_eq!(name(SW_CODES_COMMAND, 0xF0), (SW_OK, "RESOLVE".into()));
    assert_eq!(name(SW_CODES_REPLY, 0xF6), (SW_OK, "HS_BAD_ADDRESS".into()));
    assert_eq!(
        name(SW_CODES_METHOD, 2),
        (SW_OK, "USERNAME_PASSWORD".into())
    );
    assert_eq!(name(SW_CODES_COMMAND, 0x42), (SW_OK, "0x42".into()));
    assert_eq!(name(99, 1), (SW_ERR_BAD_ARGUMENT, String::new()));
    let mut hp = SwHostPort::NONE;
    hp.kind = SW_ADDR_IPV6;
    hp.ip[15] = 1;
    hp.port = 443;
    assert_eq!(
        text(|b, c, n| unsafe { sockswire_format_host_port(&hp, b, c, n) }),
        (SW_OK, "[::1]:443".into())
    );
    let name = b"ex\x01.com";
    let (mut hp, hpn) = (SwHostPort::NONE, name.as_ptr());
    hp.kind = SW_ADDR_DOMAIN;
    hp.name = hpn;
    hp.name_len = name.len();
    hp.port = 80;
    assert_eq!(
        text(|b, c, n| unsafe { sockswire_format_host_port(&hp, b, c, n) }),
        (SW_OK, "ex\\x01.com:80".into())
    );
    hp.kind = 2;
    assert_eq!(
        text(|b, c, n| unsafe { sockswire_format_host_port(&hp, b, c, n) }).0,
        SW_ERR_BAD_ARGUMENT
    );
}

#[test]
fn text_helpers_refuse_small_buffers_and_null() {
    let mut buf = [0x55 as c_char; 4];
    let mut n = 99;
    // SAFETY: `buf` is 4 writable bytes; NULL and oversize arguments are refused unread.
    unsafe {
        assert_eq!(
            sockswire_code_name(SW_CODES_COMMAND, 1, buf.as_mut_ptr(), 4, &mut n),
            SW_ERR_BUFFER_TOO_SMALL
        );
        assert_eq!((buf[0], n), (0, 99), "an empty string, no count");
        assert_eq!(
            sockswire_code_name(SW_CODES_COMMAND, 1, ptr::null_mut(), 4, &mut n),
            SW_ERR_NULL
        );
        assert_eq!(
            sockswire_code_name(SW_CODES_COMMAND, 1, buf.as_mut_ptr(), usize::MAX, &mut n),
            SW_ERR_TOO_LONG
        );
        assert_eq!(
            sockswire_format_host_port(ptr::null(), buf.as_mut_ptr(), 4, &mut n),
            SW_ERR_NULL
        );
        let mut hp = SwHostPort::NONE;
        hp.kind = SW_ADDR_DOMAIN;
        hp.name_len = 5;
        assert_eq!(
            sockswire_format_host_port(&hp, buf.as_mut_ptr(), 4, &mut n),
            SW_ERR_BAD_ARGUMENT
        );
    }
}

#[test]
fn anomaly_names_and_version_are_static_text() {
    // SAFETY: static NUL-terminated strings.
    let s = |p| unsafe { CStr::from_ptr(p) }.to_str().unwrap();
    assert_eq!(
        s(sockswire_anomaly_name(SW_ANOMALY_DNS_LEAK_RISK)),
        "dns_leak_risk"
    );
    assert_eq!(
        s(sockswire_anomaly_name(SW_ANOMALY_NONSTANDARD_ADDRESS_TYPE)),
        "nonstandard_address_type"
    );
    assert_eq!(s(sockswire_anomaly_name(12345)), "other");
    assert_eq!(s(sockswire_version()), env!("CARGO_PKG_VERSION"));
    assert_eq!(sockswire_api_version(), SW_API_VERSION);
}
