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
    grow_zeroed(&mut out, view.encoded_len());
    let len = view.encode(&mut out)?;
    out.truncate(len);
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
