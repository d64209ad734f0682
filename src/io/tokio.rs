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

use core::pin::Pin;
use core::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpStream, ToSocketAddrs};
use tokio::time::Instant;

use crate::Storage;
use crate::handshake::{
    Buffer, ReadPrecision, SocksClientHandshake, SocksProxyHandshake, SocksRequest,
};
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

/// Runs `fut` (which records its step in `progress`) before `deadline`.
async fn before<R>(
    deadline: Option<Instant>,
    progress: &mut Progress,
    fut: impl AsyncFnOnce(&mut Progress) -> Result<R, Error>,
) -> Result<R, Error> {
    let outcome = match deadline {
        None => Some(fut(progress).await),
        Some(d) => tokio::time::timeout_at(d, fut(progress)).await.ok(),
    };
    outcome.unwrap_or(Err(Error::Deadline {
        waiting: progress.waiting,
    }))
}

/// Client side: runs `handshake` over `stream` (already connected to the proxy) with a
/// 1024-byte read-ahead buffer; see [`blocking::connect`](crate::io::blocking::connect).
pub async fn connect<'a, T: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut T,
    handshake: SocksClientHandshake<'a>,
    deadline: Option<Instant>,
) -> Result<Connected<'a>, Error> {
    connect_with_buffer(stream, handshake, Buffer::new(), deadline).await
}

/// [`connect`] with the caller's buffer.
pub async fn connect_with_buffer<'a, T, P, S>(
    stream: &mut T,
    handshake: SocksClientHandshake<'a>,
    buffer: Buffer<P, S>,
    deadline: Option<Instant>,
) -> Result<Connected<'a, S>, Error>
where
    T: AsyncRead + AsyncWrite + Unpin,
    P: ReadPrecision,
    S: Storage,
{
    let mut progress = Progress::default();
    before(deadline, &mut progress, async |p| {
        drive::connect(&mut Io(stream), handshake, buffer, p).await
    })
    .await
}

/// Proxy side: runs `handshake` over `stream` (a client's connection) with a 1024-byte
/// read-ahead buffer, writing the failure reply before an error; see
/// [`blocking::accept`](crate::io::blocking::accept).
pub async fn accept<'p, T: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut T,
    handshake: SocksProxyHandshake<'p>,
    deadline: Option<Instant>,
) -> Result<Accepted<'p>, Error> {
    accept_with_buffer(stream, handshake, Buffer::new(), deadline).await
}

/// [`accept`] with the caller's buffer.
pub async fn accept_with_buffer<'p, T, P, S>(
    stream: &mut T,
    handshake: SocksProxyHandshake<'p>,
    buffer: Buffer<P, S>,
    deadline: Option<Instant>,
) -> Result<Accepted<'p, S>, Error>
where
    T: AsyncRead + AsyncWrite + Unpin,
    P: ReadPrecision,
    S: Storage,
{
    let mut progress = Progress::default();
    before(deadline, &mut progress, async |p| {
        drive::accept(&mut Io(stream), handshake, buffer, p).await
    })
    .await
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
    let mut progress = Progress {
        waiting: Waiting::Connect,
        received: 0,
    };
    let mut stream = before(deadline, &mut progress, async |_| {
        TcpStream::connect(proxy).await.map_err(|source| Error::Io {
            source,
            waiting: Waiting::Connect,
        })
    })
    .await?;
    let connected = connect(&mut stream, SocksClientHandshake::new(request), deadline).await?;
    Ok(SocksStream::new(stream, connected))
}
