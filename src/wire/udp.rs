//! The SOCKS5 UDP request header of RFC 1928 section 7: `RSV(2) FRAG ATYP DST.ADDR DST.PORT`,
//! then the payload.

use arrayvec::ArrayVec;
use nom::{IResult, Parser};

use crate::wire::addr::{read_addr_port, write_host_port};
use crate::wire::cursor::{Cursor, Fail, Sink, WireParser, Writer};
use crate::wire::encode::{Body, encode_from_body, to_array};
use crate::wire::{
    Addr, Encode, EncodeError, Field, FromWireError, HostPort, SOCKS5_REQUEST_MAX_LEN, WireError,
};

/// The header in front of every datagram relayed through a UDP ASSOCIATE.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Socks5UdpHeader<'a> {
    /// `RSV`, which RFC 1928 says is 0; kept as sent.
    pub reserved: u16,
    /// `FRAG`: 0 for a whole datagram; otherwise the position, with the high bit marking the
    /// last fragment.
    pub fragment: u8,
    /// `DST.ADDR` (`ATYP` 1, 3 or 4).
    pub addr: Addr<'a>,
    /// `DST.PORT`.
    pub port: u16,
}

impl<'a> Socks5UdpHeader<'a> {
    /// The destination.
    #[must_use]
    pub const fn target(&self) -> HostPort<'a> {
        HostPort {
            addr: self.addr,
            port: self.port,
        }
    }

    /// Whether this datagram is a fragment (`FRAG != 0`).
    #[must_use]
    pub const fn is_fragment(&self) -> bool {
        self.fragment != 0
    }

    /// The fragment position, 1 to 127, when this is a fragment.
    #[must_use]
    pub const fn fragment_position(&self) -> u8 {
        self.fragment & 0x7F
    }

    /// Whether this fragment ends a sequence (the high bit of `FRAG`).
    #[must_use]
    pub const fn is_last_fragment(&self) -> bool {
        self.fragment & 0x80 != 0
    }

    /// Strictness check: `RSV` must be 0.
    pub fn check_reserved(&self) -> Result<(), WireError> {
        match self.reserved {
            0 => Ok(()),
            got => Err(WireError::BadReserved { got }),
        }
    }

    /// The encoding, in a fixed-capacity buffer.
    pub fn to_bytes(&self) -> Result<ArrayVec<u8, SOCKS5_REQUEST_MAX_LEN>, EncodeError> {
        to_array(self)
    }
}

fn read_header<'a>(c: &mut Cursor<'a>) -> Result<Socks5UdpHeader<'a>, Fail> {
    let [r0, r1, fragment, atyp] = c.array::<4>(Field::Header)?;
    let target = read_addr_port(c, atyp, false)?;
    Ok(Socks5UdpHeader {
        reserved: u16::from_be_bytes([r0, r1]),
        fragment,
        addr: target.addr,
        port: target.port,
    })
}

/// Builds a parser for a [`Socks5UdpHeader`] (the payload is left as the remaining input).
pub fn socks5_udp_header<'a, E: FromWireError<'a>>()
-> impl Parser<&'a [u8], Output = Socks5UdpHeader<'a>, Error = E> {
    WireParser::new(read_header)
}

/// Parses a [`Socks5UdpHeader`] in streaming mode; the rest of the input is the payload.
///
/// ```
/// use sockswire::{Addr, parse_socks5_udp_header};
/// use nom::Needed;
///
/// let datagram = [0, 0, 0, 1, 127, 0, 0, 1, 0, 53, 0xAB];
/// let (payload, header) = parse_socks5_udp_header(&datagram).unwrap();
/// assert_eq!((header.addr, header.port, payload), (Addr::Ipv4([127, 0, 0, 1].into()), 53, &[0xAB][..]));
/// assert_eq!(parse_socks5_udp_header(&datagram[..4]), Err(nom::Err::Incomplete(Needed::new(6))));
/// ```
pub fn parse_socks5_udp_header(input: &[u8]) -> IResult<&[u8], Socks5UdpHeader<'_>, WireError> {
    socks5_udp_header().parse(input)
}

impl Encode for Socks5UdpHeader<'_> {
    fn encoded_len(&self) -> usize {
        3 + self.addr.encoded_len() + 2
    }

    encode_from_body!();
}

impl Body for Socks5UdpHeader<'_> {
    fn check(&self) -> Result<(), EncodeError> {
        self.addr.check()
    }

    #[inline]
    fn body<S: Sink>(&self, w: &mut S) {
        w.u16(self.reserved).u8(self.fragment);
        write_host_port(w, &self.target());
    }
}

/// A whole UDP datagram: the header and the payload that follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Socks5UdpDatagram<'a> {
    /// The header.
    pub header: Socks5UdpHeader<'a>,
    /// The payload: every byte after the header.
    pub data: &'a [u8],
}

/// Parses a whole datagram. A datagram is never partial, so this runs in complete mode: a
/// truncated header is an error, not `Incomplete`.
///
/// ```
/// use sockswire::{WireError, Field, parse_socks5_udp_datagram};
///
/// let dg = parse_socks5_udp_datagram(&[0, 0, 0, 3, 1, b'a', 0, 53, b'q']).unwrap();
/// assert_eq!((dg.header.port, dg.data), (53, &b"q"[..]));
/// assert_eq!(
///     parse_socks5_udp_datagram(&[0, 0, 0, 1, 127]),
///     Err(WireError::Truncated { field: Field::Address, needed: 5 })
/// );
/// ```
pub fn parse_socks5_udp_datagram(input: &[u8]) -> Result<Socks5UdpDatagram<'_>, WireError> {
    match socks5_udp_header::<WireError>().parse_complete(input) {
        Ok((data, header)) => Ok(Socks5UdpDatagram { header, data }),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(e),
        Err(nom::Err::Incomplete(_)) => Err(WireError::Nom {
            kind: nom::error::ErrorKind::Complete,
        }),
    }
}

impl Encode for Socks5UdpDatagram<'_> {
    fn encoded_len(&self) -> usize {
        self.header.encoded_len() + self.data.len()
    }

    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError> {
        // What the view cannot be comes before whether it fits, as for every other encoder.
        self.header.check()?;
        let header_len = self.header.encoded_len();
        let total = header_len + self.data.len();
        if out.len() < total {
            return Err(EncodeError::BufferTooSmall {
                needed: total,
                available: out.len(),
            });
        }
        let (head, tail) = out.split_at_mut(header_len);
        self.header.encode(head)?;
        let mut w = Writer::new(tail, self.data.len())?;
        w.bytes(self.data);
        Ok(total)
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for Socks5UdpHeader<'a> {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let addr = match Addr::arbitrary(u)? {
            Addr::Unspecified(raw) => Addr::Ipv4(raw.into()),
            addr => addr,
        };
        Ok(Socks5UdpHeader {
            reserved: u16::arbitrary(u)?,
            fragment: u8::arbitrary(u)?,
            addr,
            port: u16::arbitrary(u)?,
        })
    }
}
