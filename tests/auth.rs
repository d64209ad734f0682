//! RFC 1929 username/password fixtures.

#[macro_use]
#[path = "support/fixture.rs"]
mod fixture;

use fixture::Seg::Fixed;
use sockswire::*;

#[test]
fn parse_userpass_request_basic() {
    // curl --proxy-user alice:secret (RFC 1929 layout).
    let bytes = [
        /*VER*/ 1, /*ULEN*/ 5, b'a', b'l', b'i', b'c', b'e', /*PLEN*/ 6, b's', b'e',
        b'c', b'r', b'e', b't',
    ];
    let req = UserPassRequest {
        username: b"alice",
        password: b"secret",
    };
    check_fixture!(
        userpass_request(),
        bytes,
        req,
        [Fixed(2), Fixed(6), Fixed(6)]
    );
    // The password never shows in Debug output.
    assert_eq!(
        format!("{req:?}"),
        "UserPassRequest { username: [97, 108, 105, 99, 101], password: <6 bytes> }"
    );
}

#[test]
fn parse_userpass_request_empty_and_longest_fields() {
    // test_socks.c / tor-socksproto T25: empty username and password are valid (isolation tokens).
    check_fixture!(
        userpass_request(),
        [1, 0, 0],
        UserPassRequest {
            username: b"",
            password: b""
        },
        [Fixed(2), Fixed(1)]
    );
    // tor-socksproto T41: 255/255.
    let (u, p) = ([b'u'; 255], [0xFF; 255]);
    let mut bytes = vec![1, 255];
    bytes.extend_from_slice(&u);
    bytes.push(255);
    bytes.extend_from_slice(&p);
    assert_eq!(bytes.len(), USERPASS_REQUEST_MAX_LEN);
    check_fixture!(
        userpass_request(),
        bytes,
        UserPassRequest {
            username: &u,
            password: &p
        },
        [Fixed(2), Fixed(256), Fixed(255)]
    );
}

#[test]
fn parse_userpass_request_tor_extended_auth_username() {
    // prop351: "<torS0X>0" with the isolation string as password; the wire layer just carries it.
    let mut bytes = vec![1, 9];
    bytes.extend_from_slice(b"<torS0X>0");
    bytes.push(3);
    bytes.extend_from_slice(b"iso");
    check_fixture!(
        userpass_request(),
        bytes,
        UserPassRequest {
            username: b"<torS0X>0",
            password: b"iso"
        },
        [Fixed(2), Fixed(10), Fixed(3)]
    );
}

#[test]
fn parse_userpass_request_rejects_wrong_version() {
    // tor-socksproto T29: RFC 1929 VER must be 1.
    assert_eq!(
        parse_userpass_request(&[5, 1, 0]),
        Err(nom::Err::Error(WireError::BadVersion {
            got: 5,
            expected: 1
        }))
    );
}

#[test]
fn encode_userpass_request_refuses_long_fields() {
    let long = [b'x'; 256];
    assert_eq!(
        UserPassRequest {
            username: &long,
            password: b""
        }
        .to_bytes(),
        Err(EncodeError::FieldTooLong {
            field: Field::Username,
            len: 256,
            limit: 255
        })
    );
    assert_eq!(
        UserPassRequest {
            username: b"",
            password: &long
        }
        .to_bytes(),
        Err(EncodeError::FieldTooLong {
            field: Field::Password,
            len: 256,
            limit: 255
        })
    );
}

#[test]
fn parse_userpass_reply_success_and_failure() {
    check_fixture!(
        userpass_reply(),
        [1, 0],
        UserPassReply {
            status: AuthStatus::SUCCESS
        },
        [Fixed(2)]
    );
    check_fixture!(
        userpass_reply(),
        [1, 1],
        UserPassReply {
            status: AuthStatus::FAILURE
        },
        [Fixed(2)]
    );
    // Any non-zero status is a failure (RFC 1929).
    let (_, r) = parse_userpass_reply(&[1, 0xFF]).unwrap();
    assert!(!r.status.is_success());
    assert_eq!(
        parse_userpass_reply(&[5, 0]),
        Err(nom::Err::Error(WireError::BadVersion {
            got: 5,
            expected: 1
        }))
    );
}
