//! Framing: finding where a message ends exactly as tor-socksproto 0.47 reads it, field by
//! field, so every prefix asks for the same number of bytes and every error comes at the same
//! byte. Only framed (complete) messages go to sockswire's parsers.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::num::NonZeroUsize;

use sockswire::{Addr, Encode as _, HostPort};
use tor_bytes::{EncodeResult, Error as BytesError, Readable, Reader, Writeable, Writer};
use tor_error::{internal, into_internal};

use crate::Error;
use crate::msg::{SocksAddr, SocksHostname};

/// An action to take in response to a SOCKS handshake message.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Action {
    /// If nonzero, this many bytes should be drained from the client's inputs.
    pub drain: usize,
    /// If nonempty, this reply should be sent to the other party.
    pub reply: Vec<u8>,
    /// If true, then this handshake is over, either successfully or not.
    pub finished: bool,
}

/// Why a handshake step stopped.
#[derive(Debug)]
pub(crate) enum Stop {
    /// The message is incomplete: at least this many more bytes are needed (0.47's deficit).
    Need(NonZeroUsize),
    /// The message is wrong.
    Fail(Error),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        Stop::Fail(e)
    }
}

impl From<BytesError> for Stop {
    fn from(e: BytesError) -> Self {
        Stop::Fail(Error::Decode(e))
    }
}

impl From<tor_error::Bug> for Stop {
    fn from(e: tor_error::Bug) -> Self {
        Stop::Fail(Error::Bug(e))
    }
}

/// A step's result.
pub(crate) type Step<T> = Result<T, Stop>;

/// What a handshake implementation decided on one message.
pub(crate) enum ImplNextStep {
    /// Send this to the peer.
    Reply(Vec<u8>),
    /// The handshake is over; the output is stored.
    Finished,
}

/// A cursor over the buffered bytes that reports 0.47's deficits.
pub(crate) struct Frame<'a> {
    /// The buffered bytes.
    input: &'a [u8],
    /// How many of them the message so far takes.
    pos: usize,
}

impl<'a> Frame<'a> {
    /// A cursor at the start of `input`.
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Frame { input, pos: 0 }
    }

    /// The bytes the message so far takes (the drain).
    pub(crate) fn consumed(&self) -> usize {
        self.pos
    }

    /// The message so far: after the last field, the whole framed message.
    pub(crate) fn framed(&self) -> &'a [u8] {
        self.input.get(..self.pos).unwrap_or_default()
    }

    /// The first byte, without taking it (0.47's `peek(1)`).
    pub(crate) fn peek(&self) -> Step<u8> {
        self.input
            .get(self.pos)
            .copied()
            .ok_or(Stop::Need(NonZeroUsize::MIN))
    }

    /// The next `n` bytes; if fewer are buffered, the deficit is the rest of this field.
    pub(crate) fn take(&mut self, n: usize) -> Step<&'a [u8]> {
        let rest = self.input.get(self.pos..).unwrap_or_default();
        match rest.get(..n) {
            Some(field) => {
                self.pos += n;
                Ok(field)
            }
            None => Err(Stop::Need(
                NonZeroUsize::new(n - rest.len()).unwrap_or(NonZeroUsize::MIN),
            )),
        }
    }

    /// One byte.
    pub(crate) fn u8(&mut self) -> Step<u8> {
        Ok(self.take(1)?.first().copied().unwrap_or_default())
    }

    /// A big-endian `u16` (the deficit counts the missing bytes of the field).
    pub(crate) fn u16(&mut self) -> Step<u16> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    /// Bytes up to a NUL, which is taken too; without a NUL the deficit is 1.
    pub(crate) fn until_nul(&mut self) -> Step<&'a [u8]> {
        let rest = self.input.get(self.pos..).unwrap_or_default();
        match rest.iter().position(|&b| b == 0) {
            Some(at) => {
                self.pos += at + 1;
                Ok(rest.get(..at).unwrap_or_default())
            }
            None => Err(Stop::Need(NonZeroUsize::MIN)),
        }
    }

    /// A SOCKS5 `ATYP ADDR`, with 0.47's checks in 0.47's order: the type byte, then the
    /// name's UTF-8, then a NUL in it (reported, as 0.47 does, as "hostname too long").
    pub(crate) fn socks5_addr(&mut self) -> Step<()> {
        match self.u8()? {
            1 => {
                self.take(4)?;
            }
            3 => {
                let len = self.u8()?;
                let name = self.take(usize::from(len))?;
                if std::str::from_utf8(name).is_err() {
                    return Err(BytesError::InvalidMessage("bad utf8 on hostname".into()).into());
                }
                if name.contains(&0) {
                    return Err(BytesError::InvalidMessage("hostname too long".into()).into());
                }
            }
            4 => {
                self.take(16)?;
            }
            _ => {
                return Err(BytesError::InvalidMessage("unrecognized address type.".into()).into());
            }
        }
        Ok(())
    }
}

/// The owned form of an address sockswire parsed from a framed message (whose name the
/// framing already checked).
pub(crate) fn own_addr(addr: Addr<'_>) -> Step<SocksAddr> {
    Ok(match addr {
        Addr::Ipv4(ip) => SocksAddr::Ip(ip.into()),
        Addr::Ipv6(ip) => SocksAddr::Ip(ip.into()),
        Addr::Domain(name) => SocksAddr::Hostname(own_hostname(name)?),
        Addr::Unspecified(_) => return Err(internal!("ATYP 0 got past the framing").into()),
    })
}

/// The owned form of a hostname the framing already checked (UTF-8, no NUL, at most 255).
pub(crate) fn own_hostname(name: &[u8]) -> Step<SocksHostname> {
    let text = std::str::from_utf8(name).map_err(|_| internal!("unchecked hostname"))?;
    Ok(SocksHostname::try_from(text.to_owned())?)
}

/// sockswire's view of an address.
pub(crate) fn wire_addr(addr: &SocksAddr) -> Addr<'_> {
    match addr {
        SocksAddr::Ip(IpAddr::V4(ip)) => Addr::Ipv4(*ip),
        SocksAddr::Ip(IpAddr::V6(ip)) => Addr::Ipv6(*ip),
        SocksAddr::Hostname(h) => Addr::Domain(h.as_ref().as_bytes()),
    }
}

/// Encodes a sockswire view into a fresh `Vec` (0.47's API hands out owned messages).
pub(crate) fn encode_vec(view: &impl sockswire::Encode) -> Result<Vec<u8>, tor_error::Bug> {
    let mut out = vec![0; view.encoded_len()];
    let len = view
        .encode(&mut out)
        .map_err(|e| internal!("sockswire refused to encode: {e}"))?;
    out.truncate(len);
    Ok(out)
}

/// A sockswire parse of a framed message; failure means the framing and sockswire disagree,
/// a bug.
pub(crate) fn parsed<T>(r: sockswire::nom::IResult<&[u8], T, sockswire::WireError>) -> Step<T> {
    match r {
        Ok(([], view)) => Ok(view),
        Ok(_) => Err(internal!("sockswire framed a message differently").into()),
        Err(e) => Err(internal!("sockswire refused a framed message: {e:?}").into()),
    }
}

impl Readable for SocksAddr {
    fn take_from(r: &mut Reader<'_>) -> tor_bytes::Result<SocksAddr> {
        let atype = r.take_u8()?;
        match atype {
            1 => {
                let ip4: Ipv4Addr = r.extract()?;
                Ok(SocksAddr::Ip(ip4.into()))
            }
            3 => {
                let hlen = r.take_u8()?;
                let hostname = r.take(hlen as usize)?;
                let hostname = std::str::from_utf8(hostname)
                    .map_err(|_| BytesError::InvalidMessage("bad utf8 on hostname".into()))?
                    .to_string();
                let hostname = hostname
                    .try_into()
                    .map_err(|_| BytesError::InvalidMessage("hostname too long".into()))?;
                Ok(SocksAddr::Hostname(hostname))
            }
            4 => {
                let ip6: Ipv6Addr = r.extract()?;
                Ok(SocksAddr::Ip(ip6.into()))
            }
            _ => Err(BytesError::InvalidMessage(
                "unrecognized address type.".into(),
            )),
        }
    }
}

impl Writeable for SocksAddr {
    /// `ATYP ADDR`, written by sockswire's address encoder.
    fn write_onto<W: Writer + ?Sized>(&self, w: &mut W) -> EncodeResult<()> {
        let with_port = HostPort {
            addr: wire_addr(self),
            port: 0,
        };
        let mut out = [0u8; 1 + 1 + 255 + 2];
        let len = with_port
            .encode(&mut out)
            .map_err(into_internal!("address not encodable"))?;
        w.write_all(out.get(..len - 2).unwrap_or_default());
        Ok(())
    }
}
