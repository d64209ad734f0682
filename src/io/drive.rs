//! The async step loop, written once for tokio and futures-io: each adapter module only
//! says how to poll a read, a write and a flush ([`PollIo`]).
//!
//! The loops borrow the handshake and the buffer: the public async fns own them once, so a
//! future holds one copy of the 1024-byte buffer rather than one per layer (an `accept`
//! future is about 1.5 KB; passing them by value through three layers made it 7 KB).

use core::future::poll_fn;
use core::task::{Context, Poll};

use crate::Storage;
use crate::handshake::{
    Buffer, Handshake, NextStep, ReadPrecision, SocksClientHandshake, SocksProxyHandshake,
};
use crate::io::{Error, Waiting};

/// Reads, writes and flushes, polled.
pub(crate) trait PollIo {
    fn poll_read(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<std::io::Result<usize>>;
    fn poll_write(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>>;
    fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<()>>;
}

/// Where the handshake is, kept outside its future so a deadline can say where it stopped.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Progress {
    pub(crate) waiting: Waiting,
    pub(crate) received: usize,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            waiting: Waiting::Send { written: 0, len: 0 },
            received: 0,
        }
    }
}

fn io_error(source: std::io::Error, waiting: Waiting) -> Error {
    Error::Io { source, waiting }
}

async fn write_all<IO: PollIo>(
    io: &mut IO,
    bytes: &[u8],
    progress: &mut Progress,
) -> Result<(), Error> {
    let len = bytes.len();
    let mut written = 0;
    while let Some(rest) = bytes.get(written..).filter(|r| !r.is_empty()) {
        progress.waiting = Waiting::Send { written, len };
        match poll_fn(|cx| io.poll_write(cx, rest)).await {
            Ok(0) => {
                return Err(io_error(
                    std::io::ErrorKind::WriteZero.into(),
                    progress.waiting,
                ));
            }
            Ok(n) => written += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_error(e, progress.waiting)),
        }
    }
    progress.waiting = Waiting::Send { written, len };
    poll_fn(|cx| io.poll_flush(cx))
        .await
        .map_err(|e| io_error(e, progress.waiting))
}

async fn read<IO: PollIo>(
    io: &mut IO,
    buf: &mut [u8],
    progress: &mut Progress,
) -> Result<usize, Error> {
    loop {
        match poll_fn(|cx| io.poll_read(cx, buf)).await {
            Ok(0) => {
                return Err(Error::Closed {
                    received: progress.received,
                    waiting: progress.waiting,
                });
            }
            Ok(n) => {
                progress.received += n;
                return Ok(n);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io_error(e, progress.waiting)),
        }
    }
}

async fn drive<IO: PollIo, H: Handshake, P: ReadPrecision, S: Storage>(
    io: &mut IO,
    hs: &mut H,
    buffer: &mut Buffer<P, S>,
    progress: &mut Progress,
) -> Result<(), Error> {
    loop {
        match hs.step(buffer).map_err(Error::Handshake)? {
            NextStep::Send(bytes) => write_all(io, bytes, progress).await?,
            NextStep::Recv(mut recv) => {
                progress.waiting = Waiting::Recv {
                    deficit: recv.deficit().get(),
                };
                let n = read(io, recv.buf(), progress).await?;
                recv.note_received(n).map_err(Error::Handshake)?;
            }
            NextStep::Finished(_) => return Ok(()),
        }
    }
}

/// Steps `hs` to the end (the caller then checks the reply).
pub(crate) async fn connect<IO: PollIo, P: ReadPrecision, S: Storage>(
    io: &mut IO,
    hs: &mut SocksClientHandshake<'_>,
    buffer: &mut Buffer<P, S>,
    progress: &mut Progress,
) -> Result<(), Error> {
    drive(io, hs, buffer, progress).await
}

/// Steps `hs` to the end; on a handshake error, writes its failure reply first.
pub(crate) async fn accept<IO: PollIo, P: ReadPrecision, S: Storage>(
    io: &mut IO,
    hs: &mut SocksProxyHandshake<'_>,
    buffer: &mut Buffer<P, S>,
    progress: &mut Progress,
) -> Result<(), Error> {
    match drive(io, hs, buffer, progress).await {
        Err(Error::Handshake(error)) => match hs.failure_reply() {
            Some(reply) => {
                let sent = write_all(io, reply, progress).await.is_ok();
                Err(Error::Refused {
                    error,
                    reply: reply.to_vec(),
                    sent,
                })
            }
            None => Err(Error::Handshake(error)),
        },
        other => other,
    }
}
