//! RFC 1961 GSS-API sub-negotiation frames: `01 MTYP LEN(2) TOKEN`, and the two-byte abort
//! `01 FF`. Frames are recognised and carried; tokens are not interpreted.

use nom::{IResult, Parser};

use crate::wire::cursor::{Cursor, Fail, Sink, WireParser, check_len};
use crate::wire::encode::{Body, encode_from_body};
use crate::wire::{
    Encode, EncodeError, Field, FromWireError, GssapiMessageType, Limits, WireError,
};

/// The RFC 1961 sub-negotiation version byte.
pub const GSSAPI_VERSION: u8 = 1;

/// One GSS-API sub-negotiation message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GssapiMessage<'a> {
    /// `MTYP`.
    pub message_type: GssapiMessageType,
    /// The token; always empty for [`GssapiMessageType::ABORT`], which has no length field.
    pub token: &'a [u8],
}

fn read_message<'a>(c: &mut Cursor<'a>, limits: &Limits) -> Result<GssapiMessage<'a>, Fail> {
    c.expect_version(GSSAPI_VERSION)?;
    let [_, mtyp] = c.array::<2>(Field::Header)?;
    let message_type = GssapiMessageType(mtyp);
    if message_type == GssapiMessageType::ABORT {
        return Ok(GssapiMessage {
            message_type,
            token: &[],
        });
    }
    let len = usize::from(u16::from_be_bytes(c.array::<2>(Field::Token)?));
    if len > limits.gssapi_token {
        return Err(WireError::LengthOverLimit {
            field: Field::Token,
            limit: limits.gssapi_token,
        }
        .into());
    }
    let token = c.take(len, Field::Token)?;
    Ok(GssapiMessage {
        message_type,
        token,
    })
}

/// Builds a parser for a [`GssapiMessage`] with the given limits.
pub fn gssapi_message<'a, E: FromWireError<'a>>(
    limits: Limits,
) -> impl Parser<&'a [u8], Output = GssapiMessage<'a>, Error = E> {
    WireParser::new(move |c: &mut Cursor<'a>| read_message(c, &limits))
}

/// Parses a [`GssapiMessage`] in streaming mode with [`Limits::DEFAULT`].
///
/// ```
/// use sockswire::{GssapiMessageType, parse_gssapi_message};
/// use nom::Needed;
///
/// let (_, msg) = parse_gssapi_message(&[1, 1, 0, 2, 0x60, 0x82]).unwrap();
/// assert_eq!((msg.message_type, msg.token), (GssapiMessageType::AUTHENTICATION, &[0x60, 0x82][..]));
/// assert_eq!(parse_gssapi_message(&[1, 1, 0, 2, 0x60]), Err(nom::Err::Incomplete(Needed::new(1))));
/// ```
pub fn parse_gssapi_message(input: &[u8]) -> IResult<&[u8], GssapiMessage<'_>, WireError> {
    gssapi_message(Limits::DEFAULT).parse(input)
}

impl Encode for GssapiMessage<'_> {
    fn encoded_len(&self) -> usize {
        if self.message_type == GssapiMessageType::ABORT {
            2
        } else {
            4 + self.token.len()
        }
    }

    encode_from_body!();
}

impl Body for GssapiMessage<'_> {
    fn check(&self) -> Result<(), EncodeError> {
        if self.message_type == GssapiMessageType::ABORT && !self.token.is_empty() {
            return Err(EncodeError::AbortWithToken);
        }
        check_len(Field::Token, self.token.len(), usize::from(u16::MAX))
    }

    #[inline]
    fn body<S: Sink>(&self, w: &mut S) {
        w.u8(GSSAPI_VERSION).u8(self.message_type.0);
        if self.message_type != GssapiMessageType::ABORT {
            w.u16(self.token.len() as u16).bytes(self.token);
        }
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for GssapiMessage<'a> {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let message_type = GssapiMessageType::arbitrary(u)?;
        let token = if message_type == GssapiMessageType::ABORT {
            &[]
        } else {
            <&[u8]>::arbitrary(u)?
        };
        Ok(GssapiMessage {
            message_type,
            token,
        })
    }
}
