//! The encoding interface every view implements.

use arrayvec::ArrayVec;
use nom::error::{FromExternalError, ParseError};

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
}

/// Encodes into an `ArrayVec` of capacity `N`.
pub(crate) fn to_array<const N: usize, T: Encode + ?Sized>(
    view: &T,
) -> Result<ArrayVec<u8, N>, EncodeError> {
    let mut out = ArrayVec::new();
    out.extend(core::iter::repeat_n(0, view.encoded_len().min(N)));
    let len = view.encode(&mut out)?;
    out.truncate(len);
    Ok(out)
}

/// The error types a wire parser can report into: any nom error that can carry a
/// [`WireError`]. [`WireError`] itself is the usual choice; `nom::error::Error` works too.
pub trait FromWireError<'a>: ParseError<&'a [u8]> + FromExternalError<&'a [u8], WireError> {}

impl<'a, E: ParseError<&'a [u8]> + FromExternalError<&'a [u8], WireError>> FromWireError<'a> for E {}
