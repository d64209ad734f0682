//! The encoding interface every view implements.

use arrayvec::ArrayVec;
use nom::error::{FromExternalError, ParseError};

use crate::wire::cursor::{Sink, Writer};
use crate::wire::{EncodeError, WireError};

/// Writes a view back to wire bytes.
///
/// For every input a parser accepts, encoding the view writes exactly the bytes it consumed.
/// Encoding never panics: it checks that the view is representable and that `out` is large
/// enough before it writes anything.
pub trait Encode {
    /// How many bytes [`Encode::encode`] writes.
    fn encoded_len(&self) -> usize;

    /// Writes the message to the front of `out` and returns its length. On error nothing is
    /// written.
    fn encode(&self, out: &mut [u8]) -> Result<usize, EncodeError>;

    /// Appends the message to `out` and returns its length: the bytes of
    /// [`Encode::encode`], without zeroing room for them first. On error (`out` too full,
    /// or what [`Encode::encode`] refuses) nothing is appended.
    ///
    /// ```
    /// use arrayvec::ArrayVec;
    /// use sockswire::{Encode, EncodeError, Socks5Greeting};
    ///
    /// let mut out = ArrayVec::<u8, 4>::new();
    /// assert_eq!(Socks5Greeting { methods: &[0] }.encode_append(&mut out), Ok(3));
    /// assert_eq!(&out[..], [5, 1, 0]);
    /// assert_eq!(
    ///     Socks5Greeting { methods: &[0] }.encode_append(&mut out),
    ///     Err(EncodeError::BufferTooSmall { needed: 3, available: 1 })
    /// );
    /// assert_eq!(out.len(), 3);
    /// ```
    fn encode_append<const N: usize>(&self, out: &mut ArrayVec<u8, N>) -> Result<usize, EncodeError>
    where
        Self: Sized,
    {
        let start = out.len();
        grow_zeroed(out, self.encoded_len());
        match self.encode(out.get_mut(start..).unwrap_or_default()) {
            Ok(n) => {
                out.truncate(start + n);
                Ok(n)
            }
            Err(e) => {
                out.truncate(start);
                Err(e)
            }
        }
    }
}

/// An encoder written once for any [`Sink`]; [`encode_from_body`] derives
/// [`Encode::encode`] and [`Encode::encode_append`] from it.
pub(crate) trait Body: Encode {
    /// Refuses a view that cannot be written, before any byte is.
    fn check(&self) -> Result<(), EncodeError> {
        Ok(())
    }

    /// Writes exactly [`Encode::encoded_len`] bytes.
    fn body<S: Sink>(&self, w: &mut S);
}

/// [`Encode::encode`] from a [`Body`].
#[inline]
pub(crate) fn encode_into<T: Body>(view: &T, out: &mut [u8]) -> Result<usize, EncodeError> {
    view.check()?;
    let mut w = Writer::new(out, view.encoded_len())?;
    view.body(&mut w);
    Ok(w.finish())
}

/// [`Encode::encode_append`] from a [`Body`].
#[inline]
pub(crate) fn append_to<T: Body, const N: usize>(
    view: &T,
    out: &mut ArrayVec<u8, N>,
) -> Result<usize, EncodeError> {
    view.check()?;
    let (needed, available) = (view.encoded_len(), out.remaining_capacity());
    if needed > available {
        return Err(EncodeError::BufferTooSmall { needed, available });
    }
    view.body(out);
    Ok(needed)
}

/// The two writing methods of an `impl Encode` whose type has a [`Body`].
macro_rules! encode_from_body {
    () => {
        fn encode(&self, out: &mut [u8]) -> Result<usize, $crate::wire::EncodeError> {
            $crate::wire::encode::encode_into(self, out)
        }

        fn encode_append<const N: usize>(
            &self,
            out: &mut arrayvec::ArrayVec<u8, N>,
        ) -> Result<usize, $crate::wire::EncodeError> {
            $crate::wire::encode::append_to(self, out)
        }
    };
}
pub(crate) use encode_from_body;

/// Encodes into an `ArrayVec` of capacity `N`.
pub(crate) fn to_array<const N: usize, T: Encode>(
    view: &T,
) -> Result<ArrayVec<u8, N>, EncodeError> {
    let mut out = ArrayVec::new();
    view.encode_append(&mut out)?;
    Ok(out)
}

/// Zeros copied to make room before an encode: one `memcpy` instead of a per-byte fill.
static ZEROS: [u8; 1024] = [0; 1024];

/// Appends `len` zero bytes to `out` (as many as fit), so an encoder can write into them.
#[inline]
pub(crate) fn grow_zeroed<const N: usize>(out: &mut ArrayVec<u8, N>, len: usize) {
    let len = len.min(out.remaining_capacity());
    match ZEROS.get(..len) {
        Some(zeros) => {
            let _fits = out.try_extend_from_slice(zeros);
        }
        None => out.extend(core::iter::repeat_n(0, len)),
    }
}

/// The error types a wire parser can report into: any nom error that can carry a
/// [`WireError`]. [`WireError`] itself is the usual choice; `nom::error::Error` works too.
pub trait FromWireError<'a>: ParseError<&'a [u8]> + FromExternalError<&'a [u8], WireError> {}

impl<'a, E: ParseError<&'a [u8]> + FromExternalError<&'a [u8], WireError>> FromWireError<'a> for E {}
