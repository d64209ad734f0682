//! Async adapters over futures-io's `AsyncRead + AsyncWrite + Unpin` (feature
//! `futures-io`), the traits Arti and smol-style runtimes use.
//!
//! The same loops as [`blocking`](crate::io::blocking). futures-io has neither a timer nor a
//! socket type, so there is no deadline argument (race the future against your runtime's
//! timer) and no connect-by-address helper: connect with your runtime, then call
//! [`connect`] and wrap the stream in [`SocksStream::new`](crate::io::SocksStream::new),
//! which yields the leftover bytes first. The futures are `Send` when the stream is, and
//! not cancellation safe (see [the module docs](crate::io#cancellation)).

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_io::{AsyncRead, AsyncWrite};

use crate::Storage;
use crate::handshake::{Buffer, ReadPrecision, SocksClientHandshake, SocksProxyHandshake};
use crate::io::blocking::check_reply;
use crate::io::drive::{self, PollIo, Progress};
use crate::io::{Accepted, Connected, Error, SocksStream};

struct Io<'t, T>(&'t mut T);

impl<T: AsyncRead + AsyncWrite + Unpin> PollIo for Io<'_, T> {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut *self.0).poll_read(cx, buf)
    }
    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut *self.0).poll_write(cx, buf)
    }
    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut *self.0).poll_flush(cx)
    }
}

/// Client side: runs `handshake` over `stream` (already connected to the proxy) with a
/// 1024-byte read-ahead buffer; see [`blocking::connect`](crate::io::blocking::connect).
pub fn connect<'a, T: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut T,
    handshake: SocksClientHandshake<'a>,
) -> impl Future<Output = Result<Connected<'a>, Error>> {
    connect_with_buffer(stream, handshake, Buffer::new())
}

/// [`connect`] with the caller's buffer.
#[allow(clippy::manual_async_fn)] // an async fn future would hold its arguments twice
pub fn connect_with_buffer<'a, T, P, S>(
    stream: &mut T,
    mut handshake: SocksClientHandshake<'a>,
    mut buffer: Buffer<P, S>,
) -> impl Future<Output = Result<Connected<'a, S>, Error>>
where
    T: AsyncRead + AsyncWrite + Unpin,
    P: ReadPrecision,
    S: Storage,
{
    // An async block, not an async fn: it uses the captured handshake and buffer in
    // place, where an async fn would keep a second copy of its arguments.
    async move {
        let progress = &mut Progress::default();
        drive::connect(&mut Io(stream), &mut handshake, &mut buffer, progress).await?;
        check_reply(Connected::new(handshake, buffer))
    }
}

/// One call over a connected stream: the handshake, then the stream wrapped so that it
/// yields any bytes that came with the reply first.
pub async fn connect_stream<T: AsyncRead + AsyncWrite + Unpin>(
    mut stream: T,
    handshake: SocksClientHandshake<'_>,
) -> Result<SocksStream<T>, Error> {
    let connected = connect(&mut stream, handshake).await?;
    Ok(SocksStream::new(stream, connected))
}

/// Proxy side: runs `handshake` over `stream` (a client's connection) with a 1024-byte
/// read-ahead buffer, writing the failure reply before an error; see
/// [`blocking::accept`](crate::io::blocking::accept).
pub fn accept<'p, T: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut T,
    handshake: SocksProxyHandshake<'p>,
) -> impl Future<Output = Result<Accepted<'p>, Error>> {
    accept_with_buffer(stream, handshake, Buffer::new())
}

/// [`accept`] with the caller's buffer.
#[allow(clippy::manual_async_fn)] // an async fn future would hold its arguments twice
pub fn accept_with_buffer<'p, T, P, S>(
    stream: &mut T,
    mut handshake: SocksProxyHandshake<'p>,
    mut buffer: Buffer<P, S>,
) -> impl Future<Output = Result<Accepted<'p, S>, Error>>
where
    T: AsyncRead + AsyncWrite + Unpin,
    P: ReadPrecision,
    S: Storage,
{
    // An async block, not an async fn: it uses the captured handshake and buffer in
    // place, where an async fn would keep a second copy of its arguments.
    async move {
        let progress = &mut Progress::default();
        drive::accept(&mut Io(stream), &mut handshake, &mut buffer, progress).await?;
        Ok(Accepted::new(handshake, buffer))
    }
}
