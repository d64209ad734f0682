//! The sans-IO driver API of tor-socksproto 0.47: `Buffer`, `Handshake::step`, `NextStep`,
//! `RecvStep`, `Finished` and the deprecated `handshake()`, with 0.47's semantics.

use std::fmt::{self, Debug};
use std::mem;
use std::num::{NonZeroUsize, TryFromIntError};

use tor_error::{Bug, internal};

use crate::frame::{Frame, ImplNextStep, Stop};
use crate::{Action, Error, SOCKS_BUF_LEN, Truncated};

/// Markers indicating whether we're allowing read-ahead.
///
/// `()` for normal operation, with readahead: [`RecvStep::<()>::buf`] is all the free space
/// in the buffer. [`PreciseReads`] for reading only what the protocol knows it needs:
/// [`RecvStep::<PreciseReads>::buf()`] is exactly the deficit, and
/// `Finished::into_output` is available.
pub trait ReadPrecision: ReadPrecisionSealed + Default + Copy + Debug {}
impl ReadPrecision for PreciseReads {}
impl ReadPrecision for () {}

/// Sealed, and adjustment of `RecvStep::buf`
pub trait ReadPrecisionSealed {
    /// Adjust `buf` to `deficit`, iff we're doing precise reads
    fn recv_step_buf(buf: &mut [u8], deficit: NonZeroUsize) -> &mut [u8];
}
impl ReadPrecisionSealed for () {
    fn recv_step_buf(buf: &mut [u8], _deficit: NonZeroUsize) -> &mut [u8] {
        buf
    }
}
impl ReadPrecisionSealed for PreciseReads {
    fn recv_step_buf(buf: &mut [u8], deficit: NonZeroUsize) -> &mut [u8] {
        &mut buf[0..deficit.into()]
    }
}

/// Marker indicating precise reads
///
/// See [`ReadPrecision`].
#[derive(Default, Clone, Copy, Debug, Eq, PartialEq, Ord, PartialOrd)]
#[allow(clippy::exhaustive_structs)]
pub struct PreciseReads;

/// An input buffer containing maybe some socks data
///
/// `Buffer` has a capacity set at creation time, and records how much data it contains.
/// Data is consumed by [`step()`](Handshake::step), and received data is appended using a
/// [`RecvStep`] returned from `step`.
pub struct Buffer<P: ReadPrecision = ()> {
    /// The actual buffer
    buf: Box<[u8]>,
    /// `[0..filled]` has data that's been read but not yet drained
    filled: usize,
    /// Marker for the precision
    precision: P,
}

/// Like 0.47's (derived with the buffer's bytes left out).
impl<P: ReadPrecision> Debug for Buffer<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Buffer")
            .field("filled", &self.filled)
            .field("precision", &self.precision)
            .finish()
    }
}

/// Next step to take in the handshake
///
/// Returned by [`Handshake::step`]. The caller should match on this and perform the
/// requested action.
#[derive(Debug)]
#[allow(clippy::exhaustive_enums)]
pub enum NextStep<'b, O, P: ReadPrecision> {
    /// Caller should send this data to the peer
    Send(Vec<u8>),
    /// Caller should read from the peer and call one of the `received` functions.
    Recv(RecvStep<'b, P>),
    /// The handshake is complete
    ///
    /// The returned [`Finished`] can be used to obtain the handshake output.
    Finished(Finished<'b, O, P>),
}

/// A completed handshake: the [`Handshake::Output`] and possibly some data which was
/// received but didn't form part of the protocol.
#[derive(Debug)]
#[must_use]
pub struct Finished<'b, O, P: ReadPrecision> {
    /// The buffer
    buffer: &'b mut Buffer<P>,
    /// Details of the completed handshake:
    output: O,
}

impl<'b, O> Finished<'b, O, PreciseReads> {
    /// Return (just) the output of the completed handshake
    ///
    /// Available only if the `Buffer` was constructed with [`Buffer::new_precise()`] (or
    /// equivalent).
    pub fn into_output(self) -> Result<O, Bug> {
        if let Ok(nonzero) = NonZeroUsize::try_from(self.buffer.filled_slice().len()) {
            Err(internal!(
                "handshake complete, but we read too much earlier, and are now misframed by {nonzero} bytes!"
            ))
        } else {
            Ok(self.output)
        }
    }
}

impl<'b, O, P: ReadPrecision> Finished<'b, O, P> {
    /// Return the output, and the following already-read data as a slice
    ///
    /// (After calling this, the following already-read data will no longer be in the
    /// `Buffer`.)
    pub fn into_output_and_slice(self) -> (O, &'b [u8]) {
        let filled = mem::take(&mut self.buffer.filled);
        let data = &self.buffer.buf[0..filled];
        (self.output, data)
    }

    /// Return the output, and the following already-read data as a `Vec`
    ///
    /// The `Vec` is quite likely to have a considerably larger capacity than contents. The
    /// `Buffer` should not be discarded after calling this; it will not be usable.
    pub fn into_output_and_vec(self) -> (O, Vec<u8>) {
        let mut data = mem::take(&mut self.buffer.buf).into_vec();
        data.truncate(self.buffer.filled);
        (self.output, data)
    }

    /// Return the output of the completed handshake, declaring any readahead a protocol error
    /// ([`Error::ForbiddenPipelining`]).
    pub fn into_output_forbid_pipelining(self) -> Result<O, Error> {
        if !self.buffer.filled_slice().is_empty() {
            Err(Error::ForbiddenPipelining)
        } else {
            Ok(self.output)
        }
    }
}

/// Next step - details for reading from the peer
///
/// Value in [`NextStep::Recv`]. The caller should either read into
/// [`.buf()`](RecvStep::buf) and call [`.note_received()`](RecvStep::note_received), or
/// write into the buffer's [`unfilled_slice()`](Buffer::unfilled_slice) and call
/// [`Buffer::note_received`].
#[derive(Debug)]
pub struct RecvStep<'b, P: ReadPrecision> {
    /// The buffer
    buffer: &'b mut Buffer<P>,
    /// Lower bound on the number of bytes that the handshake needs to read to complete.
    deficit: NonZeroUsize,
}

impl<'b, P: ReadPrecision> RecvStep<'b, P> {
    /// Returns the buffer slice the caller should write data into.
    ///
    /// For precise reads, returns the slice of the buffer of length `deficit`.
    pub fn buf(&mut self) -> &mut [u8] {
        P::recv_step_buf(self.buffer.unfilled_slice(), self.deficit)
    }

    /// Notes that `len` bytes have been received.
    ///
    /// If `len == 0`, treats this as having received EOF (which is an error).
    ///
    /// # Panics
    ///
    /// `len` must be no more than `.buf().len()`.
    pub fn note_received(self, len: usize) -> Result<(), Error> {
        let len = len
            .try_into()
            .map_err(|_: TryFromIntError| Error::UnexpectedEof)?;
        self.buffer.note_received(len);
        Ok(())
    }
}

impl<P: ReadPrecision> Default for Buffer<P> {
    fn default() -> Self {
        Buffer::with_size(SOCKS_BUF_LEN)
    }
}

impl Buffer<()> {
    /// Creates a new default `Buffer`
    pub fn new() -> Self {
        Self::default()
    }
}

impl Buffer<PreciseReads> {
    /// Creates a new `Buffer` for reading precisely
    ///
    /// ```
    /// let mut buf = tor_socksproto::Buffer::new_precise();
    /// # let _ = &mut buf;
    /// ```
    pub fn new_precise() -> Self {
        Self::default()
    }
}

impl<P: ReadPrecision> Buffer<P> {
    /// Creates a new `Buffer` with a specified size
    ///
    /// ```
    /// let mut buf = tor_socksproto::Buffer::<tor_socksproto::PreciseReads>::with_size(2048);
    /// # let _ = &mut buf;
    /// ```
    pub fn with_size(size: usize) -> Self {
        Buffer {
            buf: vec![0xaa; size].into(),
            filled: 0,
            precision: P::default(),
        }
    }

    /// Creates a new `Buffer` from a partially-filed buffer: `buf[..filled]` holds data
    /// already read from the peer.
    pub fn from_parts(buf: Box<[u8]>, filled: usize) -> Self {
        Buffer {
            buf,
            filled,
            precision: P::default(),
        }
    }

    /// Disassembles a `Buffer`, returning the pieces
    pub fn into_parts(self) -> (Box<[u8]>, usize) {
        let Buffer {
            buf,
            filled,
            precision: _,
        } = self;
        (buf, filled)
    }

    /// The portion of the buffer that is available for writing new data.
    pub fn unfilled_slice(&mut self) -> &mut [u8] {
        &mut self.buf[self.filled..]
    }

    /// The portion of the buffer that contains already-read, but unprocessed, data.
    pub fn filled_slice(&mut self) -> &[u8] {
        &self.buf[..self.filled]
    }

    /// Notes that `len` bytes have been received.
    ///
    /// # Panics
    ///
    /// `len` must be no more than `.unfilled_slice().len()`.
    pub fn note_received(&mut self, len: NonZeroUsize) {
        let len = usize::from(len);
        assert!(len <= self.unfilled_slice().len());
        self.filled += len;
    }
}

/// `Handshake` structs that can be marked failed (the legacy API does, on an error).
pub(crate) trait HasHandshakeState {
    /// Set the state to `Failed`
    fn set_failed(&mut self);
}

/// `Handshake` structs whose output can be taken.
pub(crate) trait HasHandshakeOutput<O> {
    /// The output, once (later calls give `None`).
    fn take_output(&mut self) -> Option<O>;
}

/// The protocol side of a handshake: one message per call.
pub(crate) trait HandshakeImpl: HasHandshakeState {
    /// Handles the next message in `f`: drains `f.consumed()` bytes on success, changes
    /// nothing on error.
    fn handshake_impl(&mut self, f: &mut Frame<'_>) -> Result<ImplNextStep, Stop>;

    /// Runs [`HandshakeImpl::handshake_impl`] on `input`; returns the drain and the result.
    fn call_handshake_impl(&mut self, input: &[u8]) -> (usize, Result<ImplNextStep, Stop>) {
        let mut f = Frame::new(input);
        let rv = self.handshake_impl(&mut f);
        (f.consumed(), rv)
    }
}

/// Handshake
#[allow(private_bounds)] // This is a sealed trait, that's expected
pub trait Handshake: HandshakeImpl + HasHandshakeOutput<Self::Output> {
    /// Output from the handshake: the meaning, as we understand it
    type Output: Debug;

    /// Drive a handshake forward, determining what the next step is
    ///
    /// ```
    /// use tor_socksproto::{Handshake as _, NextStep, SocksProxyHandshake};
    ///
    /// let mut hs = SocksProxyHandshake::new();
    /// let mut buf = tor_socksproto::Buffer::new();
    /// let mut peer: &[u8] = &[4, 1, 0, 80, 127, 0, 0, 1, 0];
    /// let request = loop {
    ///     match hs.step(&mut buf).unwrap() {
    ///         NextStep::Send(_) => unreachable!("SOCKS4 sends nothing"),
    ///         NextStep::Recv(mut recv) => {
    ///             let n = recv.buf().len().min(peer.len());
    ///             recv.buf()[..n].copy_from_slice(&peer[..n]);
    ///             peer = &peer[n..];
    ///             recv.note_received(n).unwrap();
    ///         }
    ///         NextStep::Finished(done) => break done.into_output_forbid_pipelining().unwrap(),
    ///     }
    /// };
    /// assert_eq!(request.port(), 80);
    /// ```
    fn step<'b, P: ReadPrecision>(
        &mut self,
        buffer: &'b mut Buffer<P>,
    ) -> Result<NextStep<'b, <Self as Handshake>::Output, P>, Error> {
        let (drain, rv) = self.call_handshake_impl(buffer.filled_slice());
        let rv = match rv {
            Err(Stop::Need(deficit)) => {
                return if usize::from(deficit) > buffer.unfilled_slice().len() {
                    Err(Error::MessageTooLong {
                        limit: buffer.buf.len(),
                    })
                } else {
                    Ok(NextStep::Recv(RecvStep { buffer, deficit }))
                };
            }
            Err(Stop::Fail(e)) => return Err(e),
            Ok(rv) => rv,
        };
        buffer.buf.copy_within(drain..buffer.filled, 0);
        buffer.filled -= drain;
        Ok(match rv {
            ImplNextStep::Reply(reply) => NextStep::Send(reply),
            ImplNextStep::Finished => {
                let output = self.take_output().ok_or_else(|| internal!("no output!"))?;
                NextStep::Finished(Finished { buffer, output })
            }
        })
    }

    /// Try to advance the handshake, given some peer input in `input`.
    ///
    /// If there isn't enough input, gives a [`Truncated`]: the caller must retain the input
    /// and pass it to a later invocation. Other errors indicate a failure. On success, return
    /// an Action describing what to tell the peer, and how much of its input to consume.
    #[deprecated = "use the new Handshake::step API instead"]
    fn handshake(&mut self, input: &[u8]) -> crate::TResult<Action> {
        let (drain, rv) = self.call_handshake_impl(input);
        match rv {
            Err(Stop::Need(_)) => Err(Truncated::new()),
            Err(Stop::Fail(e)) => {
                self.set_failed();
                Ok(Err(e))
            }
            Ok(ImplNextStep::Reply(reply)) => Ok(Ok(Action {
                drain,
                reply,
                finished: false,
            })),
            Ok(ImplNextStep::Finished) => Ok(Ok(Action {
                drain,
                reply: vec![],
                finished: true,
            })),
        }
    }
}
