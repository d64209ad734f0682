//! Blocking adapters over any `Read + Write` (feature `std`).
//!
//! ```no_run
//! use std::time::{Duration, Instant};
//! use std::io::{Read, Write};
//!
//! // One call: connect to the proxy, CONNECT to the target, get a stream back.
//! let deadline = Instant::now() + Duration::from_secs(10);
//! let mut s = sockswire::io::blocking::connect_to("127.0.0.1:9050", "example.com", 80, Some(deadline))?;
//! s.write_all(b"GET / HTTP/1.0\r\nHost: example.com\r\n\r\n")?;
//! let mut page = Vec::new();
//! s.read_to_end(&mut page)?; // starts with any bytes that came in with the proxy's reply
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{ErrorKind, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use crate::Storage;
use crate::handshake::{
    Buffer, Handshake, NextStep, ReadPrecision, SocksClientHandshake, SocksProxyHandshake,
    SocksRequest, SocksStatus,
};
use crate::io::{Accepted, Connected, Error, SocksStream, Waiting};

/// A stream whose read and write timeouts can be set: how the blocking adapters keep a
/// whole-handshake deadline. Implemented for `TcpStream` and `UnixStream` (and references
/// and boxes of them); wrap anything else in [`Untimed`].
pub trait Timeouts {
    /// The current read and write timeouts.
    fn timeouts(&self) -> std::io::Result<(Option<Duration>, Option<Duration>)>;
    /// Sets both (never to zero).
    fn set_timeouts(
        &mut self,
        read: Option<Duration>,
        write: Option<Duration>,
    ) -> std::io::Result<()>;
}

macro_rules! socket_timeouts {
    ($($t:ty),*) => {$(
        impl Timeouts for $t {
            fn timeouts(&self) -> std::io::Result<(Option<Duration>, Option<Duration>)> {
                Ok((self.read_timeout()?, self.write_timeout()?))
            }
            fn set_timeouts(
                &mut self,
                read: Option<Duration>,
                write: Option<Duration>,
            ) -> std::io::Result<()> {
                self.set_read_timeout(read)?;
                self.set_write_timeout(write)
            }
        }
    )*};
}

socket_timeouts!(TcpStream, &TcpStream);
#[cfg(unix)]
socket_timeouts!(
    std::os::unix::net::UnixStream,
    &std::os::unix::net::UnixStream
);

impl<T: Timeouts + ?Sized> Timeouts for &mut T {
    fn timeouts(&self) -> std::io::Result<(Option<Duration>, Option<Duration>)> {
        (**self).timeouts()
    }
    fn set_timeouts(
        &mut self,
        read: Option<Duration>,
        write: Option<Duration>,
    ) -> std::io::Result<()> {
        (**self).set_timeouts(read, write)
    }
}

impl<T: Timeouts + ?Sized> Timeouts for std::boxed::Box<T> {
    fn timeouts(&self) -> std::io::Result<(Option<Duration>, Option<Duration>)> {
        (**self).timeouts()
    }
    fn set_timeouts(
        &mut self,
        read: Option<Duration>,
        write: Option<Duration>,
    ) -> std::io::Result<()> {
        (**self).set_timeouts(read, write)
    }
}

/// A stream without timeouts (a TLS session, a pipe, an in-memory buffer): the deadline is
/// then only checked between reads and writes, so a peer that goes quiet blocks a read
/// for as long as the stream lets it.
#[derive(Debug, Default)]
pub struct Untimed<T>(pub T);

impl<T> Timeouts for Untimed<T> {
    fn timeouts(&self) -> std::io::Result<(Option<Duration>, Option<Duration>)> {
        Ok((None, None))
    }
    fn set_timeouts(&mut self, _: Option<Duration>, _: Option<Duration>) -> std::io::Result<()> {
        Ok(())
    }
}

impl<T: Read> Read for Untimed<T> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }
}

impl<T: Write> Write for Untimed<T> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// The stream with the deadline applied to every read and write; the timeouts it had are
/// put back when dropped.
struct Timed<'t, T: Timeouts> {
    stream: &'t mut T,
    deadline: Option<Instant>,
    saved: Option<(Option<Duration>, Option<Duration>)>,
    received: usize,
}

impl<'t, T: Read + Write + Timeouts> Timed<'t, T> {
    fn new(stream: &'t mut T, deadline: Option<Instant>) -> Result<Self, Error> {
        let saved = match deadline {
            Some(_) => Some(stream.timeouts().map_err(|source| Error::Io {
                source,
                waiting: Waiting::Connect,
            })?),
            None => None,
        };
        Ok(Timed {
            stream,
            deadline,
            saved,
            received: 0,
        })
    }

    /// Sets the timeouts to the time left.
    fn arm(&mut self, waiting: Waiting) -> Result<(), Error> {
        let Some(deadline) = self.deadline else {
            return Ok(());
        };
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Error::Deadline { waiting });
        }
        self.stream
            .set_timeouts(Some(left), Some(left))
            .map_err(|source| Error::Io { source, waiting })
    }

    fn fail(&self, source: std::io::Error, waiting: Waiting) -> Error {
        let timed_out = matches!(source.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut);
        if timed_out && self.deadline.is_some() {
            Error::Deadline { waiting }
        } else {
            Error::Io { source, waiting }
        }
    }

    fn write_all(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let mut written = 0;
        while let Some(rest) = bytes.get(written..).filter(|r| !r.is_empty()) {
            let waiting = Waiting::Send {
                written,
                len: bytes.len(),
            };
            self.arm(waiting)?;
            match self.stream.write(rest) {
                Ok(0) => return Err(self.fail(ErrorKind::WriteZero.into(), waiting)),
                Ok(n) => written += n,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(self.fail(e, waiting)),
            }
        }
        let waiting = Waiting::Send {
            written,
            len: bytes.len(),
        };
        self.arm(waiting)?;
        self.stream.flush().map_err(|e| self.fail(e, waiting))
    }

    /// Reads at least one byte into `buf`; an orderly close is [`Error::Closed`].
    fn read(&mut self, buf: &mut [u8], deficit: usize) -> Result<usize, Error> {
        let waiting = Waiting::Recv { deficit };
        loop {
            self.arm(waiting)?;
            match self.stream.read(buf) {
                Ok(0) => {
                    return Err(Error::Closed {
                        received: self.received,
                        waiting,
                    });
                }
                Ok(n) => {
                    self.received += n;
                    return Ok(n);
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(self.fail(e, waiting)),
            }
        }
    }

    /// Steps `hs` to the end. A handshake error comes back as [`Error::Handshake`].
    fn drive<H: Handshake, P: ReadPrecision, S: Storage>(
        &mut self,
        hs: &mut H,
        buffer: &mut Buffer<P, S>,
    ) -> Result<(), Error> {
        loop {
            match hs.step(buffer).map_err(Error::Handshake)? {
                NextStep::Send(bytes) => self.write_all(bytes)?,
                NextStep::Recv(mut recv) => {
                    let deficit = recv.deficit().get();
                    let n = self.read(recv.buf(), deficit)?;
                    recv.note_received(n).map_err(Error::Handshake)?;
                }
                NextStep::Finished(_) => return Ok(()),
            }
        }
    }
}

impl<T: Timeouts> Drop for Timed<'_, T> {
    fn drop(&mut self) {
        if let Some((read, write)) = self.saved {
            // Best effort: the handshake's outcome matters more than this.
            let _ = self.stream.set_timeouts(read, write);
        }
    }
}

/// Client side: runs `handshake` over `stream` (already connected to the proxy) with a
/// 1024-byte read-ahead buffer.
///
/// Returns the reply and any bytes read past it ([`Connected::leftover`]: a server-first
/// target's banner, for example). A reply other than success is [`Error::Rejected`].
/// `deadline` bounds the whole handshake.
pub fn connect<'a, T: Read + Write + Timeouts>(
    stream: &mut T,
    handshake: SocksClientHandshake<'a>,
    deadline: Option<Instant>,
) -> Result<Connected<'a>, Error> {
    connect_with_buffer(stream, handshake, Buffer::new(), deadline)
}

/// [`connect`] with the caller's buffer (a [`Buffer::new_precise`] one never reads past
/// the reply).
pub fn connect_with_buffer<'a, T, P, S>(
    stream: &mut T,
    mut handshake: SocksClientHandshake<'a>,
    mut buffer: Buffer<P, S>,
    deadline: Option<Instant>,
) -> Result<Connected<'a, S>, Error>
where
    T: Read + Write + Timeouts,
    P: ReadPrecision,
    S: Storage,
{
    Timed::new(stream, deadline)?.drive(&mut handshake, &mut buffer)?;
    check_reply(Connected::new(handshake, buffer))
}

pub(crate) fn check_reply<S: Storage>(
    connected: Connected<'_, S>,
) -> Result<Connected<'_, S>, Error> {
    let reply = connected.reply();
    if reply.status() == SocksStatus::SUCCEEDED {
        Ok(connected)
    } else {
        Err(Error::Rejected {
            status: reply.status(),
            socks4_status: reply.socks4_status(),
        })
    }
}

/// Proxy side: runs `handshake` over `stream` (a client's connection) with a 1024-byte
/// read-ahead buffer.
///
/// Returns the request and any bytes the client sent after it ([`Accepted::leftover`]).
/// Answer with [`SocksRequest::reply`](crate::SocksRequest::reply). When the handshake
/// fails, its failure reply is written before the error ([`Error::Refused`]) is returned.
/// `deadline` bounds the whole handshake.
pub fn accept<'p, T: Read + Write + Timeouts>(
    stream: &mut T,
    handshake: SocksProxyHandshake<'p>,
    deadline: Option<Instant>,
) -> Result<Accepted<'p>, Error> {
    accept_with_buffer(stream, handshake, Buffer::new(), deadline)
}

/// [`accept`] with the caller's buffer.
pub fn accept_with_buffer<'p, T, P, S>(
    stream: &mut T,
    mut handshake: SocksProxyHandshake<'p>,
    mut buffer: Buffer<P, S>,
    deadline: Option<Instant>,
) -> Result<Accepted<'p, S>, Error>
where
    T: Read + Write + Timeouts,
    P: ReadPrecision,
    S: Storage,
{
    let mut timed = Timed::new(stream, deadline)?;
    match timed.drive(&mut handshake, &mut buffer) {
        Ok(()) => Ok(Accepted::new(handshake, buffer)),
        Err(Error::Handshake(error)) => match handshake.failure_reply() {
            Some(reply) => {
                let sent = timed.write_all(reply).is_ok();
                Err(Error::Refused {
                    error,
                    reply: reply.to_vec(),
                    sent,
                })
            }
            None => Err(Error::Handshake(error)),
        },
        Err(e) => Err(e),
    }
}

/// One call: connects to the proxy at `proxy`, sends a SOCKS5 CONNECT to `host:port` (an
/// IP literal as an address, any other name for the proxy to resolve), and returns the
/// stream, which yields any bytes that came with the reply first. `deadline` bounds the
/// TCP connect and the handshake together.
pub fn connect_to(
    proxy: impl ToSocketAddrs,
    host: &str,
    port: u16,
    deadline: Option<Instant>,
) -> Result<SocksStream<TcpStream>, Error> {
    let request = crate::io::socks5_connect(host, port).map_err(Error::Handshake)?;
    connect_request_to(proxy, request, deadline)
}

/// [`connect_to`] with any request (SOCKS4/4a, credentials, ...).
pub fn connect_request_to(
    proxy: impl ToSocketAddrs,
    request: SocksRequest<'_>,
    deadline: Option<Instant>,
) -> Result<SocksStream<TcpStream>, Error> {
    let mut stream = tcp_connect(proxy, deadline)?;
    let connected = connect(&mut stream, SocksClientHandshake::new(request), deadline)?;
    Ok(SocksStream::new(stream, connected))
}

fn tcp_connect(proxy: impl ToSocketAddrs, deadline: Option<Instant>) -> Result<TcpStream, Error> {
    let io = |source| Error::Io {
        source,
        waiting: Waiting::Connect,
    };
    let mut last = None;
    for addr in proxy.to_socket_addrs().map_err(io)? {
        let attempt = match deadline {
            None => TcpStream::connect(addr),
            Some(d) => match d
                .checked_duration_since(Instant::now())
                .filter(|t| !t.is_zero())
            {
                Some(left) => TcpStream::connect_timeout(&addr, left),
                None => {
                    return Err(Error::Deadline {
                        waiting: Waiting::Connect,
                    });
                }
            },
        };
        match attempt {
            Ok(s) => return Ok(s),
            Err(e) if e.kind() == ErrorKind::TimedOut && deadline.is_some() => {
                return Err(Error::Deadline {
                    waiting: Waiting::Connect,
                });
            }
            Err(e) => last = Some(e),
        }
    }
    Err(io(last.unwrap_or_else(|| {
        std::io::Error::new(
            ErrorKind::InvalidInput,
            "the proxy address resolved to nothing",
        )
    })))
}
