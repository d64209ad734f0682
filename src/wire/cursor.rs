//! The machinery under every parser and encoder: a bounds-checked read cursor, the adapter that
//! turns a message reader into a mode-generic nom [`Parser`], and a write cursor.
//!
//! Readers are plain functions over a [`Cursor`] so that messages compose without paying for
//! nom's generic plumbing at every field; the adapter gives each message the full nom 8
//! interface (streaming, complete and check modes, any error type that can carry a
//! [`WireError`]).

use core::marker::PhantomData;
use core::num::NonZeroUsize;

use arrayvec::ArrayVec;

use nom::error::{ErrorKind, FromExternalError, ParseError};
use nom::{Err, IsStreaming, Mode, Needed, OutputMode, PResult, Parser};

use crate::wire::{EncodeError, Field, WireError};

/// Why a reader stopped.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Fail {
    /// More input is needed: at least `needed` bytes. `complete` is the error to give instead
    /// when the input is known to be complete.
    Incomplete {
        needed: NonZeroUsize,
        complete: WireError,
    },
    /// The bytes are invalid.
    Invalid(WireError),
}

impl From<WireError> for Fail {
    fn from(e: WireError) -> Self {
        Fail::Invalid(e)
    }
}

/// A read position in a borrowed input. Never reads past the input.
pub(crate) struct Cursor<'a> {
    /// The bytes not read yet.
    rest: &'a [u8],
    /// The whole input's length.
    len: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(input: &'a [u8]) -> Self {
        Cursor {
            rest: input,
            len: input.len(),
        }
    }

    /// Bytes not read yet.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.rest
    }

    /// Bytes read so far.
    pub(crate) fn consumed(&self) -> usize {
        self.len - self.rest.len()
    }

    /// Fails at once if the next byte is present and differs from `expected`, so a wrong
    /// version is reported before the rest of a fixed header arrives.
    pub(crate) fn expect_version(&self, expected: u8) -> Result<(), Fail> {
        match self.rest().first() {
            Some(&got) if got != expected => Err(WireError::BadVersion { got, expected }.into()),
            _ => Ok(()),
        }
    }

    /// Takes exactly `n` bytes, or asks for the exact number missing.
    #[inline]
    pub(crate) fn take(&mut self, n: usize, field: Field) -> Result<&'a [u8], Fail> {
        match self.rest.split_at_checked(n) {
            Some((bytes, rest)) => {
                self.rest = rest;
                Ok(bytes)
            }
            None => Err(truncated(n - self.rest.len(), field)),
        }
    }

    /// Takes exactly `N` bytes as an array.
    #[inline]
    pub(crate) fn array<const N: usize>(&mut self, field: Field) -> Result<[u8; N], Fail> {
        let bytes = self.take(N, field)?;
        let mut out = [0; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    /// Takes a NUL-terminated field of at most `limit` bytes (the NUL is consumed, not
    /// returned). Fails with `over` as soon as `limit + 1` bytes without a NUL are present, so a
    /// stream reader stops buffering; otherwise asks for one more byte.
    pub(crate) fn until_nul(
        &mut self,
        field: Field,
        limit: usize,
        over: WireError,
    ) -> Result<&'a [u8], Fail> {
        let rest = self.rest;
        let window = rest.get(..limit.saturating_add(1)).unwrap_or(rest);
        match window.iter().position(|&b| b == 0) {
            Some(len) => {
                self.rest = rest.get(len + 1..).unwrap_or_default();
                Ok(window.get(..len).unwrap_or_default())
            }
            None if window.len() > limit => Err(Fail::Invalid(over)),
            None => Err(Fail::Incomplete {
                needed: NonZeroUsize::MIN,
                complete: WireError::MissingNul { field },
            }),
        }
    }
}

fn truncated(missing: usize, field: Field) -> Fail {
    Fail::Incomplete {
        needed: NonZeroUsize::new(missing).unwrap_or(NonZeroUsize::MIN),
        complete: WireError::Truncated {
            field,
            needed: missing,
        },
    }
}

/// A message reader: a function from a cursor to a value.
pub(crate) trait Reader<'a> {
    type Output;
    fn read(&mut self, c: &mut Cursor<'a>) -> Result<Self::Output, Fail>;
}

impl<'a, O, F: FnMut(&mut Cursor<'a>) -> Result<O, Fail>> Reader<'a> for F {
    type Output = O;
    #[inline]
    fn read(&mut self, c: &mut Cursor<'a>) -> Result<O, Fail> {
        self(c)
    }
}

/// A [`Reader`] as a mode-generic nom parser.
pub(crate) struct WireParser<R, E> {
    reader: R,
    _error: PhantomData<fn() -> E>,
}

impl<R, E> WireParser<R, E> {
    pub(crate) fn new(reader: R) -> Self {
        WireParser {
            reader,
            _error: PhantomData,
        }
    }
}

impl<'a, R, E> Parser<&'a [u8]> for WireParser<R, E>
where
    R: Reader<'a>,
    E: ParseError<&'a [u8]> + FromExternalError<&'a [u8], WireError>,
{
    type Output = R::Output;
    type Error = E;

    #[inline]
    fn process<OM: OutputMode>(&mut self, input: &'a [u8]) -> PResult<OM, &'a [u8], R::Output, E> {
        let mut c = Cursor::new(input);
        match self.reader.read(&mut c) {
            Ok(out) => Ok((c.rest(), OM::Output::bind(|| out))),
            Err(Fail::Incomplete { needed, complete }) => {
                if OM::Incomplete::is_streaming() {
                    Err(Err::Incomplete(Needed::Size(needed)))
                } else {
                    Err(Err::Error(OM::Error::bind(|| {
                        E::from_external_error(input, ErrorKind::Eof, complete)
                    })))
                }
            }
            Err(Fail::Invalid(e)) => Err(Err::Error(OM::Error::bind(|| {
                E::from_external_error(input, ErrorKind::Verify, e)
            }))),
        }
    }
}

/// A write position in a caller's buffer. Encoders size the message first and call
/// [`Writer::new`] with that size, so a too-small buffer is refused before any byte is written.
pub(crate) struct Writer<'b> {
    out: &'b mut [u8],
    pos: usize,
}

impl<'b> Writer<'b> {
    pub(crate) fn new(out: &'b mut [u8], needed: usize) -> Result<Self, EncodeError> {
        let available = out.len();
        match out.get_mut(..needed) {
            Some(out) => Ok(Writer { out, pos: 0 }),
            None => Err(EncodeError::BufferTooSmall { needed, available }),
        }
    }

    /// Bytes written.
    pub(crate) fn finish(&self) -> usize {
        self.pos
    }
}

/// Where an encoder's bytes go: a caller's slice ([`Writer`]) or the end of an `ArrayVec`.
/// Room is checked before the first byte, so a write never fails.
pub(crate) trait Sink {
    fn bytes(&mut self, bytes: &[u8]) -> &mut Self;

    #[inline]
    fn u8(&mut self, b: u8) -> &mut Self {
        self.bytes(&[b])
    }

    #[inline]
    fn u16(&mut self, v: u16) -> &mut Self {
        self.bytes(&v.to_be_bytes())
    }
}

impl Sink for Writer<'_> {
    #[inline]
    fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        let end = self.pos + bytes.len();
        if let Some(dst) = self.out.get_mut(self.pos..end) {
            dst.copy_from_slice(bytes);
        }
        self.pos = end;
        self
    }
}

/// Appending: no zero fill first, unlike encoding into a slice of fresh room.
impl<const N: usize> Sink for ArrayVec<u8, N> {
    #[inline]
    fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        let _fits = self.try_extend_from_slice(bytes);
        self
    }

    #[inline]
    fn u8(&mut self, b: u8) -> &mut Self {
        let _fits = self.try_push(b);
        self
    }
}

/// Checks that a length-prefixed field fits its prefix.
pub(crate) fn check_len(field: Field, len: usize, limit: usize) -> Result<(), EncodeError> {
    if len > limit {
        Err(EncodeError::FieldTooLong { field, len, limit })
    } else {
        Ok(())
    }
}
