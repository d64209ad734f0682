//! [`SocksStream`]: a stream after its handshake, which yields the leftover bytes first.

use core::ops::Range;
#[cfg(any(feature = "tokio", feature = "futures-io"))]
use core::{
    pin::Pin,
    task::{Context, Poll},
};

use crate::Storage;
use crate::handshake::SOCKS_BUF_LEN;
use crate::io::{Accepted, Connected};

/// A stream whose handshake is done: reads give the bytes that were read past the
/// handshake first, then whatever the stream reads; writes go straight to the stream.
///
/// It implements `Read` and `Write` (std), and tokio's and futures-io's `AsyncRead` and
/// `AsyncWrite` when the inner stream does (features `tokio`, `futures-io`). The leftover
/// bytes stay in the handshake's buffer (inline, 1024 bytes by default): no copy, no
/// allocation.
#[derive(Debug)]
pub struct SocksStream<T, S: Storage = [u8; SOCKS_BUF_LEN]> {
    inner: T,
    storage: S,
    leftover: Range<usize>,
}

impl<T, S: Storage> SocksStream<T, S> {
    /// The client side's stream: `inner` is the connection `connected` came from.
    pub fn new(inner: T, connected: Connected<'_, S>) -> Self {
        let (storage, leftover) = connected.into_parts();
        SocksStream::from_parts(inner, storage, leftover)
    }

    /// The proxy side's stream from the client: reads start with the client's optimistic
    /// data.
    pub fn from_accepted(inner: T, accepted: Accepted<'_, S>) -> Self {
        let (storage, leftover) = accepted.into_parts();
        SocksStream::from_parts(inner, storage, leftover)
    }

    /// A stream that yields `storage[leftover]` first (an empty or out-of-range `leftover`
    /// yields nothing extra).
    pub fn from_parts(inner: T, storage: S, leftover: Range<usize>) -> Self {
        let leftover = if storage.as_ref().get(leftover.clone()).is_some() {
            leftover
        } else {
            0..0
        };
        SocksStream {
            inner,
            storage,
            leftover,
        }
    }

    /// The leftover bytes not read yet.
    #[must_use]
    pub fn leftover(&self) -> &[u8] {
        self.storage
            .as_ref()
            .get(self.leftover.clone())
            .unwrap_or_default()
    }

    /// The inner stream.
    pub const fn get_ref(&self) -> &T {
        &self.inner
    }

    /// The inner stream. Reading from it directly skips the leftover bytes.
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.inner
    }

    /// The inner stream, the storage and the range of leftover bytes not read yet.
    pub fn into_parts(self) -> (T, S, Range<usize>) {
        (self.inner, self.storage, self.leftover)
    }

    /// Copies leftover bytes into `buf`; `None` when there are none.
    fn take_leftover(&mut self, buf: &mut [u8]) -> Option<usize> {
        let rest = self.leftover();
        if rest.is_empty() {
            return None;
        }
        let n = rest.len().min(buf.len());
        buf.get_mut(..n)?.copy_from_slice(rest.get(..n)?);
        self.leftover.start += n;
        Some(n)
    }
}

impl<T: std::io::Read, S: Storage> std::io::Read for SocksStream<T, S> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.take_leftover(buf) {
            Some(n) => Ok(n),
            None => self.inner.read(buf),
        }
    }
}

impl<T: std::io::Write, S: Storage> std::io::Write for SocksStream<T, S> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

// The storage is never pinned (it is only read through `&mut self`), so the stream is
// Unpin whenever the inner stream is, and these impls need nothing more.
#[cfg(feature = "tokio")]
impl<T: tokio::io::AsyncRead + Unpin, S: Storage + Unpin> tokio::io::AsyncRead
    for SocksStream<T, S>
{
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let rest = this.leftover();
        if !rest.is_empty() {
            let n = rest.len().min(buf.remaining());
            buf.put_slice(rest.get(..n).unwrap_or_default());
            this.leftover.start += n;
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

#[cfg(feature = "tokio")]
impl<T: tokio::io::AsyncWrite + Unpin, S: Storage + Unpin> tokio::io::AsyncWrite
    for SocksStream<T, S>
{
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(feature = "futures-io")]
impl<T: futures_io::AsyncRead + Unpin, S: Storage + Unpin> futures_io::AsyncRead
    for SocksStream<T, S>
{
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        match this.take_leftover(buf) {
            Some(n) => Poll::Ready(Ok(n)),
            None => Pin::new(&mut this.inner).poll_read(cx, buf),
        }
    }
}

#[cfg(feature = "futures-io")]
impl<T: futures_io::AsyncWrite + Unpin, S: Storage + Unpin> futures_io::AsyncWrite
    for SocksStream<T, S>
{
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }
    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_close(cx)
    }
}
