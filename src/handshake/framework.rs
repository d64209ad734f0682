//! The sans-IO step loop shared by both sides: [`Buffer`], [`NextStep`], [`RecvStep`],
//! [`Finished`] and the [`Handshake`] trait.
//!
//! The caller owns the socket and loops:
//!
//! * [`NextStep::Send`]: write these bytes, then step again;
//! * [`NextStep::Recv`]: read into [`RecvStep::buf`], report the count with
//!   [`RecvStep::note_received`], then step again;
//! * [`NextStep::Finished`]: take the output, and any bytes read past the handshake.
//!
//! Bytes are never copied out of the buffer: the finished output borrows the hostname,
//! user-id, username and password straight from it.

use core::marker::PhantomData;
use core::num::NonZeroUsize;

use crate::handshake::Error;
use crate::wire::Storage;

/// The default buffer size, as in tor-socksproto: every SOCKS5 message and any SOCKS4 request
/// of up to 1024 bytes fit.
pub const SOCKS_BUF_LEN: usize = 1024;

mod sealed {
    pub trait Sealed {}
    impl Sealed for () {}
    impl Sealed for super::PreciseReads {}
}

/// How a [`Buffer`] reads: `()` reads ahead as much as fits; [`PreciseReads`] never reads a
/// byte past the current message.
pub trait ReadPrecision: sealed::Sealed + Copy + Default + core::fmt::Debug {
    #[doc(hidden)]
    const PRECISE: bool;
}

impl ReadPrecision for () {
    const PRECISE: bool = false;
}

/// Marker for a [`Buffer`] that asks for exactly the bytes the next message part needs, so
/// nothing after the handshake is ever read from the socket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PreciseReads;

impl ReadPrecision for PreciseReads {
    const PRECISE: bool = true;
}

/// The receive buffer of a handshake. It lives where the caller puts it (by default a
/// 1024-byte array inline) and never allocates.
///
/// Size: [`Buffer::new`] is 1,040 bytes on the stack (the array and three words). To keep it
/// off the stack, give it other storage: `Buffer::with_storage(vec![0; 1024])`, a boxed array,
/// or a `&mut [u8]` into memory you already have.
///
/// Bytes `..parsed` are messages the handshake has consumed (kept while the finished output
/// may still borrow from them); `parsed..filled` are received but not yet consumed.
#[derive(Clone, Debug)]
pub struct Buffer<P = (), S = [u8; SOCKS_BUF_LEN]> {
    storage: S,
    filled: usize,
    parsed: usize,
    _precision: PhantomData<P>,
}

impl Buffer {
    /// A 1024-byte buffer that reads ahead.
    #[must_use]
    pub const fn new() -> Self {
        Buffer::with_storage([0; SOCKS_BUF_LEN])
    }
}

impl Default for Buffer {
    fn default() -> Self {
        Buffer::new()
    }
}

impl Buffer<PreciseReads> {
    /// A 1024-byte buffer that never reads past the handshake.
    #[must_use]
    pub const fn new_precise() -> Self {
        Buffer::with_storage([0; SOCKS_BUF_LEN])
    }
}

impl<P, S> Buffer<P, S> {
    /// A buffer over the caller's storage (its size is the message size limit).
    pub const fn with_storage(storage: S) -> Self {
        Buffer {
            storage,
            filled: 0,
            parsed: 0,
            _precision: PhantomData,
        }
    }

    /// Returns the storage and the range of unconsumed bytes in it.
    pub fn into_parts(self) -> (S, core::ops::Range<usize>) {
        (self.storage, self.parsed..self.filled)
    }
}

impl<P: ReadPrecision, S: Storage> Buffer<P, S> {
    /// The buffer's capacity.
    pub fn capacity(&self) -> usize {
        self.storage.as_ref().len()
    }

    /// Received bytes the handshake has not consumed.
    pub fn filled_slice(&self) -> &[u8] {
        self.storage
            .as_ref()
            .get(self.parsed..self.filled)
            .unwrap_or_default()
    }

    /// Free space after the received bytes.
    pub fn unfilled_slice(&mut self) -> &mut [u8] {
        let filled = self.filled;
        self.storage.as_mut().get_mut(filled..).unwrap_or_default()
    }

    /// Records that `n` bytes were written to the front of [`Buffer::unfilled_slice`].
    /// Asking for more than is free is an error, never a panic.
    pub fn note_received(&mut self, n: usize) -> Result<(), Error> {
        let room = self.capacity() - self.filled;
        if n > room {
            return Err(Error::ReceivedPastRoom { received: n, room });
        }
        self.filled += n;
        Ok(())
    }

    pub(crate) fn consume(&mut self, n: usize) {
        self.parsed = (self.parsed + n).min(self.filled);
    }

    /// Drops bytes before `keep`: free when nothing after it is buffered, a move of the
    /// unconsumed tail otherwise. Returns how far the kept bytes moved down.
    pub(crate) fn discard_before(&mut self, keep: usize) -> usize {
        let keep = keep.min(self.parsed);
        if keep == 0 {
            return 0;
        }
        if keep == self.filled {
            // Nothing after it: no bytes to move.
            self.filled = 0;
            self.parsed = 0;
            return keep;
        }
        self.storage.as_mut().copy_within(keep..self.filled, 0);
        self.filled -= keep;
        self.parsed -= keep;
        keep
    }

    pub(crate) fn free(&self) -> usize {
        self.capacity() - self.filled
    }

    /// Empties the buffer, returning the unconsumed range; the bytes stay in place.
    pub(crate) fn take_rest(&mut self) -> core::ops::Range<usize> {
        let rest = self.parsed..self.filled;
        self.parsed = 0;
        self.filled = 0;
        rest
    }

    pub(crate) fn storage(&self) -> &[u8] {
        self.storage.as_ref()
    }
}

/// What the caller must do next.
#[must_use]
#[derive(Debug)]
pub enum NextStep<'s, H: Handshake, P: ReadPrecision, S: Storage> {
    /// Send these bytes to the peer, then step again.
    Send(&'s [u8]),
    /// Receive bytes into the buffer, then step again.
    Recv(RecvStep<'s, P, S>),
    /// The handshake is over.
    Finished(Finished<'s, H, P, S>),
}

/// A request for more bytes.
#[must_use]
#[derive(Debug)]
pub struct RecvStep<'s, P: ReadPrecision, S: Storage> {
    buffer: &'s mut Buffer<P, S>,
    deficit: NonZeroUsize,
}

impl<'s, P: ReadPrecision, S: Storage> RecvStep<'s, P, S> {
    pub(crate) fn new(buffer: &'s mut Buffer<P, S>, deficit: NonZeroUsize) -> Self {
        RecvStep { buffer, deficit }
    }

    /// The least number of bytes the handshake needs before it can make progress.
    pub fn deficit(&self) -> NonZeroUsize {
        self.deficit
    }

    /// Where to read into: all free space, or with [`PreciseReads`] exactly the deficit.
    pub fn buf(&mut self) -> &mut [u8] {
        let deficit = self.deficit.get();
        let free = self.buffer.unfilled_slice();
        if P::PRECISE {
            let len = free.len().min(deficit);
            free.get_mut(..len).unwrap_or_default()
        } else {
            free
        }
    }

    /// Records that `n` bytes were read into [`RecvStep::buf`]. Zero means the peer closed
    /// the connection: [`Error::UnexpectedEof`].
    pub fn note_received(self, n: usize) -> Result<(), Error> {
        if n == 0 {
            return Err(Error::UnexpectedEof);
        }
        if P::PRECISE {
            if n > self.deficit.get() {
                return Err(Error::ReceivedPastRoom {
                    received: n,
                    room: self.deficit.get(),
                });
            }
            // A step asks for a deficit only when that much is free.
            self.buffer.filled += n;
            return Ok(());
        }
        self.buffer.note_received(n)
    }
}

/// A finished handshake: its output borrows from the buffer.
#[must_use]
#[derive(Debug)]
pub struct Finished<'s, H: Handshake, P: ReadPrecision, S: Storage> {
    handshake: &'s H,
    buffer: &'s mut Buffer<P, S>,
}

impl<'s, H: Handshake, P: ReadPrecision, S: Storage> Finished<'s, H, P, S> {
    pub(crate) fn new(handshake: &'s H, buffer: &'s mut Buffer<P, S>) -> Self {
        Finished { handshake, buffer }
    }

    /// The output and any bytes received after the handshake (pipelined or optimistic data),
    /// which the caller must treat as the start of the stream. The buffer is left empty.
    #[inline]
    pub fn into_output_and_slice(self) -> (H::Output<'s>, &'s [u8]) {
        let rest = self.buffer.take_rest();
        let data: &'s [u8] = self.buffer.storage();
        (
            self.handshake.output(data),
            data.get(rest).unwrap_or_default(),
        )
    }

    /// The output, or [`Error::ForbiddenPipelining`] if any byte followed the handshake
    /// (the TROVE-2024-010 guard Arti uses).
    pub fn into_output_forbid_pipelining(self) -> Result<H::Output<'s>, Error> {
        match self.into_output_and_slice() {
            (output, []) => Ok(output),
            _ => Err(Error::ForbiddenPipelining),
        }
    }
}

impl<'s, H: Handshake, S: Storage> Finished<'s, H, PreciseReads, S> {
    /// The output. With [`PreciseReads`] nothing can follow the handshake in the buffer
    /// unless the caller put it there, which is [`Error::ForbiddenPipelining`].
    pub fn into_output(self) -> Result<H::Output<'s>, Error> {
        self.into_output_forbid_pipelining()
    }
}

/// What a handshake does at each step, given the consumed and unconsumed bytes.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub enum Advance {
    /// Send the handshake's pending bytes after consuming this many.
    Send { consumed: usize },
    /// Finished after consuming this many.
    Finished { consumed: usize },
    /// Consumed this many without anything to send; advance again.
    Consumed { consumed: usize },
    /// Need at least this many more bytes.
    Need(NonZeroUsize),
}

/// A wire parser's failure as "need more" or an error.
pub(crate) fn need(e: nom::Err<crate::wire::WireError>) -> Result<Advance, Error> {
    match e {
        nom::Err::Incomplete(nom::Needed::Size(n)) => Ok(Advance::Need(n)),
        nom::Err::Incomplete(nom::Needed::Unknown) => Ok(Advance::Need(NonZeroUsize::MIN)),
        nom::Err::Error(e) | nom::Err::Failure(e) => Err(Error::from(e)),
    }
}

/// With precise reads, how many bytes a message whose whole length its head gave
/// (`wire::*_len`) still lacks: exactly what its parser would say, without running it to fail.
/// `None` with eager reads.
#[inline(always)]
pub(crate) fn short_of(precise: bool, len: Option<usize>, input: &[u8]) -> Option<NonZeroUsize> {
    if !precise {
        return None;
    }
    NonZeroUsize::new(len?.saturating_sub(input.len()))
}

pub(crate) mod private {
    use super::Advance;
    use crate::handshake::Error;

    /// The per-side logic behind [`super::Handshake::step`].
    pub trait Driver {
        /// Looks at `input`, the unconsumed bytes `data[parsed..filled]`. `data` is the whole
        /// storage (bytes before `input` are consumed messages still kept; those after it
        /// are not received), the base the output's ranges are taken from.
        /// `precise`: the caller reads exactly what is asked, so a message's head arrives
        /// alone and its length is worth taking from it before any parse.
        fn advance(&mut self, data: &[u8], input: &[u8], precise: bool) -> Result<Advance, Error>;
        /// The pending bytes to send.
        fn pending(&self) -> &[u8];
        /// The first buffered byte the output still refers to, given the consumed length.
        fn keep_from(&self, parsed: usize) -> usize;
        /// Kept bytes moved down by `by`.
        fn shift(&mut self, by: usize);
        /// Marks the handshake failed.
        fn fail(&mut self, e: &Error);
        /// Marks the handshake finished.
        fn finish(&mut self);
    }
}

/// A SOCKS handshake, proxy or client side.
pub trait Handshake: private::Driver + Sized {
    /// What a finished handshake gives, borrowing from the buffer.
    type Output<'b>;

    #[doc(hidden)]
    fn output<'b>(&self, data: &'b [u8]) -> Self::Output<'b>;

    /// Advances the handshake with what is in `buffer`; see [`NextStep`].
    #[inline]
    fn step<'s, P: ReadPrecision, S: Storage>(
        &'s mut self,
        buffer: &'s mut Buffer<P, S>,
    ) -> Result<NextStep<'s, Self, P, S>, Error> {
        // Consumed messages stay until room is short (below): then those nobody refers to
        // any more are dropped, for free when nothing is buffered after them. (Dropping them
        // at the start of every step, as before, cost up to about 10 instructions a step.)
        let result = loop {
            // The unconsumed bytes, clamped so that taking them needs no check that can fail
            // (the buffer keeps `parsed <= filled <= capacity` anyway). Before, the received
            // prefix and then its tail were each checked, a branch and a select more a step.
            let data = buffer.storage();
            let filled = buffer.filled.min(data.len());
            let input = data
                .get(buffer.parsed.min(filled)..filled)
                .unwrap_or_default();
            match self.advance(data, input, P::PRECISE) {
                Ok(Advance::Consumed { consumed }) => buffer.consume(consumed),
                Ok(Advance::Send { consumed }) => {
                    buffer.consume(consumed);
                    return Ok(NextStep::Send(self.pending()));
                }
                Ok(Advance::Finished { consumed }) => {
                    buffer.consume(consumed);
                    self.finish();
                    return Ok(NextStep::Finished(Finished::new(self, buffer)));
                }
                Ok(Advance::Need(deficit)) => break Ok(deficit),
                // A finished or failed handshake refuses the step and stays as it is.
                Err(e @ (Error::AlreadyFinished | Error::AlreadyFailed)) => return Err(e),
                Err(e) => break Err(e),
            }
        };
        match result {
            Ok(deficit) => {
                if buffer.free() < deficit.get() {
                    let by = buffer.discard_before(self.keep_from(buffer.parsed));
                    self.shift(by);
                    if buffer.free() < deficit.get() {
                        let e = Error::MessageTooLong {
                            limit: buffer.capacity(),
                        };
                        self.fail(&e);
                        return Err(e);
                    }
                }
                Ok(NextStep::Recv(RecvStep::new(buffer, deficit)))
            }
            Err(e) => {
                self.fail(&e);
                Err(e)
            }
        }
    }
}
