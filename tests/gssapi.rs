//! RFC 1961 GSS-API frame fixtures.

#[macro_use]
#[path = "support/fixture.rs"]
mod fixture;

use fixture::Seg::Fixed;
use nom::Parser;
use sockswire::*;

#[test]
fn parse_gssapi_message_authentication_token() {
    // RFC 1961 section 3.3: VER 1, MTYP 1, LEN, TOKEN (a Kerberos AP-REQ starts 60 82).
    let bytes = [
        /*VER*/ 1, /*MTYP*/ 1, /*LEN*/ 0, 4, 0x60, 0x82, 0x01, 0x23,
    ];
    let msg = GssapiMessage {
        message_type: GssapiMessageType::AUTHENTICATION,
        token: &[0x60, 0x82, 0x01, 0x23],
    };
    check_fixture!(
        gssapi_message(Limits::DEFAULT),
        bytes,
        msg,
        [Fixed(2), Fixed(2), Fixed(4)]
    );
}

#[test]
fn parse_gssapi_message_protection_and_empty_token() {
    let bytes = [1, 2, 0, 1, 0x01];
    let msg = GssapiMessage {
        message_type: GssapiMessageType::PROTECTION,
        token: &[1],
    };
    check_fixture!(
        gssapi_message(Limits::DEFAULT),
        bytes,
        msg,
        [Fixed(2), Fixed(2), Fixed(1)]
    );
    let empty = GssapiMessage {
        message_type: GssapiMessageType::ENCAPSULATION,
        token: &[],
    };
    check_fixture!(
        gssapi_message(Limits::DEFAULT),
        [1, 3, 0, 0],
        empty,
        [Fixed(2), Fixed(2)]
    );
}

#[test]
fn parse_gssapi_message_abort_has_no_length() {
    // RFC 1961 section 3.4: the abort message is just 01 FF.
    let abort = GssapiMessage {
        message_type: GssapiMessageType::ABORT,
        token: &[],
    };
    check_fixture!(
        gssapi_message(Limits::DEFAULT),
        [1, 0xFF],
        abort,
        [Fixed(2)]
    );
    let bad = GssapiMessage {
        token: b"x",
        ..abort
    };
    assert_eq!(bad.encode(&mut [0; 8]), Err(EncodeError::AbortWithToken));
}

#[test]
fn parse_gssapi_message_token_limit_fails_on_the_length() {
    let limits = Limits {
        gssapi_token: 3,
        ..Limits::DEFAULT
    };
    assert_eq!(
        gssapi_message::<WireError>(limits).parse(&[1, 1, 0, 4]),
        Err(nom::Err::Error(WireError::LengthOverLimit {
            field: Field::Token,
            limit: 3
        }))
    );
    assert_eq!(
        parse_gssapi_message(&[5, 1]),
        Err(nom::Err::Error(WireError::BadVersion {
            got: 5,
            expected: 1
        }))
    );
}
