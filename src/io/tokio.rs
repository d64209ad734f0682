//! Async adapters over tokio's `AsyncRead + AsyncWrite + Unpin` (feature `tokio`).
//!
//! The same loops as [`blocking`](crate::io::blocking), with tokio's timer for the
//! whole-handshake deadline (a deadline needs a runtime with the time driver enabled). The
//! futures are `Send` when the stream is, and not cancellation safe (see
//! [the module docs](crate::io#cancellation)).
//!
//! ```no_run
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//!
//! # async fn f() -> Result<(), Box<dyn std::error::Error>> {
//! let mut s = sockswire::io::tokio::connect_to("127.0.0.1:9050", "example.com", 80, None).await?;
//! s.write_all(b"GET / HTTP/1.0\r\nHost: example.com\r\n\r\n").await?;
//! let mut page = Vec::new();
//! s.read_to_end(&mut page).await?; // starts with any bytes that came in with the reply
//! # Ok(()) }
//! ```

use core::future::{Future, poll_fn};
use core::pin::{Pin, pin};
use core::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpStream, ToSocketAddrs};
use tokio::time::Instant;

use crate::Storage;
use crate::handshake::{
    Buffer, ReadPrecision, SocksClientHandshake, SocksProxyHandshake, SocksRequest,
};
use crate::io::blocking::check_reply;
use crate::io::drive::{self, PollIo, Progress};
use crate::io::{Accepted, Connected, Error, SocksStream, Waiting};

struct Io<'t, T>(&'t mut T);

impl<T: AsyncRead + AsyncWrite + Unpin> PollIo for Io<'_, T> {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<std::io::Result<usize>> {
        let mut buf = ReadBuf::new(buf);
        match Pin::new(&mut *self.0).poll_read(cx, &mut buf) {
            Poll::Ready(Ok(())) => Poll::Ready(Ok(buf.filled().len())),
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => Poll::Pending,
        }
    }
    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut *self.0).poll_write(cx, buf)
    }
    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut *self.0).poll_flush(cx)
    }
}

/// Runs `fut` until `deadline`: `None` when the deadline came first.
async fn before<F: Future>(deadline: Option<Instant>, fut: F) -> Option<F::Output> {
    let mut fut = pin!(fut);
    let mut sleep = pin!(deadline.map(tokio::time::sleep_until));
    poll_fn(|cx| {
        if let Poll::Ready(out) = fut.as_mut().poll(cx) {
            return Poll::Ready(Some(out));
        }
        match sleep.as_mut().as_pin_mut().map(|s| s.poll(cx)) {
            Some(Poll::Ready(())) => Poll::Ready(None),
            _ => Poll::Pending,
        }
    })
    .await
}

/// Client side: runs `handshake` over `stream` (already connected to the proxy) with a
/// 1024-byte read-ahead buffer; see [`blocking::connect`](crate::io::blocking::connect).
pub fn connect<'a, T: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut T,
    handshake: SocksClientHandshake<'a>,
    deadline: Option<Instant>,
) -> impl Future<Output = Result<Connected<'a>, Error>> {
    connect_with_buffer(stream, handshake, Buffer::new(), deadline)
}

/// [`connect`] with the caller's buffer.
#[allow(clippy::manual_async_fn)] // an async fn future would hold its arguments twice
pub fn connect_with_buffer<'a, T, P, S>(
    stream: &mut T,
    mut handshake: SocksClientHandshake<'a>,
    mut buffer: Buffer<P, S>,
    deadline: Option<Instant>,
) -> impl Future<Output = Result<Connected<'a, S>, Error>>
where
    T: AsyncRead + AsyncWrite + Unpin,
    P: ReadPrecision,
    S: Storage,
{
    // An async block, not an async fn: it uses the captured handshake and buffer in
    // place, where an async fn would keep a second copy of its arguments.
    async move {
        let mut progress = Progress::default();
        let mut io = Io(stream);
        let done = before(
            deadline,
            drive::connect(&mut io, &mut handshake, &mut buffer, &mut progress),
        )
        .await;
        done.unwrap_or(Err(Error::Deadline {
            waiting: progress.waiting,
        }))?;
        check_reply(Connected::new(handshake, buffer))
    }
}

/// Proxy side: runs `handshake` over `stream` (a client's connection) with a 1024-byte
/// read-ahead buffer, writing the failure reply before an error; see
/// [`blocking::accept`](crate::io::blocking::accept).
pub fn accept<'p, T: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut T,
    handshake: SocksProxyHandshake<'p>,
    deadline: Option<Instant>,
) -> impl Future<Output = Result<Accepted<'p>, Error>> {
    accept_with_buffer(stream, handshake, Buffer::new(), deadline)
}

/// [`accept`] with the caller's buffer.
#[allow(clippy::manual_async_fn)] // an async fn future would hold its arguments twice
pub fn accept_with_buffer<'p, T, P, S>(
    stream: &mut T,
    mut handshake: SocksProxyHandshake<'p>,
    mut buffer: Buffer<P, S>,
    deadline: Option<Instant>,
) -> impl Future<Output = Result<Accepted<'p, S>, Error>>
where
    T: AsyncRead + AsyncWrite + Unpin,
    P: ReadPrecision,
    S: Storage,
{
    // An async block, not an async fn: it uses the captured handshake and buffer in
    // place, where an async fn would keep a second copy of its arguments.
    async move {
        let mut progress = Progress::default();
        let mut io = Io(stream);
        let done = before(
            deadline,
            drive::accept(&mut io, &mut handshake, &mut buffer, &mut progress),
        )
        .await;
        done.unwrap_or(Err(Error::Deadline {
            waiting: progress.waiting,
        }))?;
        Ok(Accepted::new(handshake, buffer))
    }
}

/// One call: connects to the proxy, sends a SOCKS5 CONNECT to `host:port` (an IP literal
/// as an address, any other name for the proxy to resolve), and returns the stream, which
/// yields any bytes that came with the reply first. `deadline` bounds the TCP connect and
/// the handshake together.
pub async fn connect_to(
    proxy: impl ToSocketAddrs,
    host: &str,
    port: u16,
    deadline: Option<Instant>,
) -> Result<SocksStream<TcpStream>, Error> {
    let request = crate::io::socks5_connect(host, port).map_err(Error::Handshake)?;
    connect_request_to(proxy, request, deadline).await
}

/// [`connect_to`] with any request (SOCKS4/4a, credentials, ...).
pub async fn connect_request_to(
    proxy: impl ToSocketAddrs,
    request: SocksRequest<'_>,
    deadline: Option<Instant>,
) -> Result<SocksStream<TcpStream>, Error> {
    let waiting = Waiting::Connect;
    let mut stream = before(deadline, TcpStream::connect(proxy))
        .await
        .ok_or(Error::Deadline { waiting })?
        .map_err(|source| Error::Io { source, waiting })?;
    let connected = connect(&mut stream, SocksClientHandshake::new(request), deadline).await?;
    Ok(SocksStream::new(stream, connected))
}
