//! Fuzz bodies for the socket adapters (`crate::io`): each runs an adapter over an in-memory
//! stream that hands out the input in chunks, and, with the `futures-io` feature, the async
//! loop on the same input, which must agree byte for byte. With the `tokio` feature, the tokio
//! adapters run over an in-memory stream that also stalls (`Pending`) and takes short writes,
//! and must agree with the blocking loop.

use std::vec;

use super::plan;
use crate::{Buffer, SocksProxyHandshake};

/// An in-memory peer for the socket adapters: reads hand out `input` in chunks drawn from
/// `seed` (then end of stream), writes are kept.
struct ChunkedPeer<'a> {
    input: &'a [u8],
    fed: usize,
    seed: u8,
    written: vec::Vec<u8>,
}

impl<'a> ChunkedPeer<'a> {
    fn new(input: &'a [u8], seed: u8) -> Self {
        ChunkedPeer {
            input,
            fed: 0,
            seed,
            written: vec::Vec::new(),
        }
    }
}

impl std::io::Read for ChunkedPeer<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.seed = self.seed.wrapping_mul(31).wrapping_add(7);
        let want = 1 + usize::from(self.seed % 16);
        let n = want.min(buf.len()).min(self.input.len() - self.fed);
        buf[..n].copy_from_slice(&self.input[self.fed..self.fed + n]);
        self.fed += n;
        Ok(n)
    }
}

impl std::io::Write for ChunkedPeer<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.written.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(feature = "futures-io")]
mod futures_peer {
    use core::pin::Pin;
    use core::task::{Context, Poll};

    impl futures_io::AsyncRead for super::ChunkedPeer<'_> {
        fn poll_read(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &mut [u8],
        ) -> Poll<std::io::Result<usize>> {
            Poll::Ready(std::io::Read::read(self.get_mut(), buf))
        }
    }

    impl futures_io::AsyncWrite for super::ChunkedPeer<'_> {
        fn poll_write(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &[u8],
        ) -> Poll<std::io::Result<usize>> {
            Poll::Ready(std::io::Write::write(self.get_mut(), buf))
        }
        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            Poll::Ready(Ok(()))
        }
        fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }

    /// Polls a future over a peer that is always ready: it must finish in one poll.
    pub(super) fn run<F: core::future::Future>(fut: F) -> F::Output {
        let mut fut = core::pin::pin!(fut);
        let mut cx = Context::from_waker(core::task::Waker::noop());
        match fut.as_mut().poll(&mut cx) {
            Poll::Ready(out) => out,
            Poll::Pending => panic!("pending over an always-ready stream"),
        }
    }
}

/// An adapter's outcome as text, to compare the blocking and async loops.
#[cfg(any(feature = "futures-io", feature = "tokio"))]
fn outcome_text<T>(
    r: &Result<T, crate::io::Error>,
    ok: impl Fn(&T) -> std::string::String,
    peer: &ChunkedPeer<'_>,
) -> std::string::String {
    let head = match r {
        Ok(v) => ok(v),
        Err(e) => std::format!("{e:?}"),
    };
    std::format!("{head} fed {} wrote {:?}", peer.fed, peer.written)
}

/// Fuzz body for [`crate::io::blocking::accept`]: the proxy handshake over an in-memory
/// stream (input laid out as for [`super::proxy_handshake`]: mode, chunk seed, client bytes).
/// Checks: a request's leftover is what followed it in the input and its reply encodes; a
/// refusal's failure reply is the last thing written; an early close counts every byte the
/// client sent; nothing else can fail on a stream without I/O errors or a deadline. With
/// the `futures-io` feature, the async loop must give the same outcome and bytes.
pub fn blocking_accept(data: &[u8]) -> Option<usize> {
    use crate::io::{Error, blocking};
    let (precise, policy, seed, input) = plan(data);
    let mut peer = blocking::Untimed(ChunkedPeer::new(input, seed));
    let hs = SocksProxyHandshake::with_policy(policy);
    let outcome = if precise {
        blocking::accept_with_buffer(&mut peer, hs, Buffer::new_precise(), None)
    } else {
        blocking::accept(&mut peer, hs, None)
    };
    let peer = peer.0;
    #[cfg(feature = "futures-io")]
    {
        let text =
            |a: &crate::io::Accepted<'_>| std::format!("{:?} {:?}", a.request(), a.leftover());
        let mut apeer = ChunkedPeer::new(input, seed);
        let hs = SocksProxyHandshake::with_policy(policy);
        let async_outcome = if precise {
            futures_peer::run(crate::io::futures::accept_with_buffer(
                &mut apeer,
                hs,
                Buffer::new_precise(),
            ))
        } else {
            futures_peer::run(crate::io::futures::accept(&mut apeer, hs))
        };
        assert_eq!(
            outcome_text(&outcome, text, &peer),
            outcome_text(&async_outcome, text, &apeer)
        );
    }
    match outcome {
        Ok(accepted) => {
            assert!(input[..peer.fed].ends_with(accepted.leftover()));
            let request = accepted.request();
            assert!(request.reply(crate::SocksStatus::SUCCEEDED, None).is_ok());
            Some(peer.fed - accepted.leftover().len())
        }
        Err(Error::Refused { reply, sent, .. }) => {
            assert!(sent && peer.written.ends_with(&reply) && !reply.is_empty());
            None
        }
        Err(Error::Closed { received, .. }) => {
            assert_eq!(received, input.len());
            None
        }
        Err(Error::Handshake(_)) => None,
        Err(e) => panic!("{e:?}"),
    }
}

/// The client handshake `mode` picks (bits 0-1: SOCKS5 hostname, SOCKS5 IPv4, SOCKS4 IPv4,
/// SOCKS4a hostname; bit 2: optimistic), as a maker of fresh copies.
fn connect_handshake(mode: u8) -> Option<impl Fn() -> crate::SocksClientHandshake<'static>> {
    use crate::{SocksAddr, SocksAuth, SocksClientHandshake, SocksCmd, SocksHostname};
    use crate::{SocksRequest, SocksVersion};
    let (version, addr) = match mode % 4 {
        0 => (
            SocksVersion::V5,
            SocksAddr::Hostname(SocksHostname::try_from("example.com").ok()?),
        ),
        1 => (SocksVersion::V5, SocksAddr::Ip([192, 0, 2, 1].into())),
        2 => (SocksVersion::V4, SocksAddr::Ip([192, 0, 2, 1].into())),
        _ => (
            SocksVersion::V4,
            SocksAddr::Hostname(SocksHostname::try_from("example.com").ok()?),
        ),
    };
    let request =
        SocksRequest::new(version, SocksCmd::CONNECT, addr, 443, SocksAuth::NoAuth).ok()?;
    let optimistic = mode & 4 != 0;
    Some(move || SocksClientHandshake::new(request).optimistic(optimistic))
}

/// Fuzz body for [`crate::io::blocking::connect`]: the first byte picks the request (bits
/// 0-1: SOCKS5 hostname, SOCKS5 IPv4, SOCKS4 IPv4, SOCKS4a hostname; bit 2: optimistic;
/// bit 7: precise reads), the second the chunk seed; the rest is the proxy's bytes. Checks:
/// a success's leftover is what followed the reply; a refusal is a non-success status; an
/// early close counts every byte the proxy sent; no other error. With the `futures-io`
/// feature, the async loop must give the same outcome and bytes.
pub fn blocking_connect(data: &[u8]) -> Option<usize> {
    use crate::io::{Error, blocking};
    let [mode, seed, input @ ..] = data else {
        return None;
    };
    let hs = connect_handshake(*mode)?;
    let precise = mode & 0x80 != 0;
    let mut peer = blocking::Untimed(ChunkedPeer::new(input, *seed));
    let outcome = if precise {
        blocking::connect_with_buffer(&mut peer, hs(), Buffer::new_precise(), None)
    } else {
        blocking::connect(&mut peer, hs(), None)
    };
    let peer = peer.0;
    #[cfg(feature = "futures-io")]
    {
        let text =
            |c: &crate::io::Connected<'_>| std::format!("{:?} {:?}", c.reply(), c.leftover());
        let mut apeer = ChunkedPeer::new(input, *seed);
        let async_outcome = if precise {
            futures_peer::run(crate::io::futures::connect_with_buffer(
                &mut apeer,
                hs(),
                Buffer::new_precise(),
            ))
        } else {
            futures_peer::run(crate::io::futures::connect(&mut apeer, hs()))
        };
        assert_eq!(
            outcome_text(&outcome, text, &peer),
            outcome_text(&async_outcome, text, &apeer)
        );
    }
    assert!(!peer.written.is_empty(), "the greeting or request went out");
    match outcome {
        Ok(connected) => {
            assert!(input[..peer.fed].ends_with(connected.leftover()));
            assert_eq!(connected.reply().status(), crate::SocksStatus::SUCCEEDED);
            Some(peer.fed - connected.leftover().len())
        }
        Err(Error::Rejected { status, .. }) => {
            assert_ne!(status, crate::SocksStatus::SUCCEEDED);
            None
        }
        Err(Error::Closed { received, .. }) => {
            assert_eq!(received, input.len());
            None
        }
        Err(Error::Handshake(_)) => None,
        Err(e) => panic!("{e:?}"),
    }
}

#[cfg(feature = "tokio")]
mod tokio_peer {
    use core::cell::Cell;
    use core::pin::Pin;
    use core::task::{Context, Poll};

    use tokio::io::ReadBuf;

    /// An in-memory tokio stream over [`super::ChunkedPeer`]: the bits of `stall` (rotating)
    /// say which reads, writes and flushes return `Pending` first (waking at once, counted in
    /// `pendings`), and writes take 1 to 8 bytes, so the adapters' poll loops resume
    /// mid-message.
    pub(super) struct StallingPeer<'a, 'c> {
        pub(super) peer: super::ChunkedPeer<'a>,
        pub(super) stall: u8,
        pub(super) pendings: &'c Cell<usize>,
    }

    impl StallingPeer<'_, '_> {
        fn stall(&mut self, cx: &mut Context<'_>) -> bool {
            self.stall = self.stall.rotate_left(1);
            if self.stall & 1 != 0 && self.pendings.get() < 10_000 {
                self.pendings.set(self.pendings.get() + 1);
                cx.waker().wake_by_ref();
                return true;
            }
            false
        }
    }

    impl tokio::io::AsyncRead for StallingPeer<'_, '_> {
        fn poll_read(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &mut ReadBuf<'_>,
        ) -> Poll<std::io::Result<()>> {
            let this = self.get_mut();
            if this.stall(cx) {
                return Poll::Pending;
            }
            let n = std::io::Read::read(&mut this.peer, buf.initialize_unfilled())?;
            buf.advance(n);
            Poll::Ready(Ok(()))
        }
    }

    impl tokio::io::AsyncWrite for StallingPeer<'_, '_> {
        fn poll_write(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
            buf: &[u8],
        ) -> Poll<std::io::Result<usize>> {
            let this = self.get_mut();
            if this.stall(cx) {
                return Poll::Pending;
            }
            let n = buf.len().min(1 + usize::from(this.stall % 8));
            Poll::Ready(std::io::Write::write(&mut this.peer, &buf[..n]))
        }
        fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            let this = self.get_mut();
            if this.stall(cx) {
                return Poll::Pending;
            }
            Poll::Ready(Ok(()))
        }
        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }

    /// Polls `fut` to completion. Every `Pending` of the stream woke the task at once, so a
    /// `Pending` the stream did not cause would be a lost wake-up: it fails.
    pub(super) fn run<F: core::future::Future>(fut: F, pendings: &Cell<usize>) -> F::Output {
        let mut fut = core::pin::pin!(fut);
        let mut cx = Context::from_waker(core::task::Waker::noop());
        for _ in 0..20_000 {
            let before = pendings.get();
            match fut.as_mut().poll(&mut cx) {
                Poll::Ready(out) => return out,
                Poll::Pending => assert!(pendings.get() > before, "Pending without a cause"),
            }
        }
        panic!("the adapter did not finish in 20000 polls");
    }
}

/// Fuzz body for [`crate::io::tokio::accept`]: input laid out as for [`blocking_accept`]; the
/// tokio loop runs over an in-memory stream that stalls and takes short writes (drawn from
/// the chunk seed) and must give the blocking loop's outcome, having read and written the
/// same bytes.
#[cfg(feature = "tokio")]
pub fn tokio_accept(data: &[u8]) -> Option<usize> {
    use crate::io::blocking;
    let (precise, policy, seed, input) = plan(data);
    let text = |a: &crate::io::Accepted<'_>| std::format!("{:?} {:?}", a.request(), a.leftover());
    let mut peer = blocking::Untimed(ChunkedPeer::new(input, seed));
    let hs = || SocksProxyHandshake::with_policy(policy);
    let outcome = if precise {
        blocking::accept_with_buffer(&mut peer, hs(), Buffer::new_precise(), None)
    } else {
        blocking::accept(&mut peer, hs(), None)
    };
    let pendings = core::cell::Cell::new(0);
    let mut tpeer = tokio_peer::StallingPeer {
        peer: ChunkedPeer::new(input, seed),
        stall: seed.rotate_left(3),
        pendings: &pendings,
    };
    let got = if precise {
        let fut =
            crate::io::tokio::accept_with_buffer(&mut tpeer, hs(), Buffer::new_precise(), None);
        tokio_peer::run(fut, &pendings)
    } else {
        tokio_peer::run(crate::io::tokio::accept(&mut tpeer, hs(), None), &pendings)
    };
    assert_eq!(
        outcome_text(&outcome, text, &peer.0),
        outcome_text(&got, text, &tpeer.peer),
        "tokio and blocking agree"
    );
    outcome.ok().map(|a| peer.0.fed - a.leftover().len())
}

/// Fuzz body for [`crate::io::tokio::connect`]: input laid out as for [`blocking_connect`];
/// the tokio loop runs over the stalling in-memory stream and must give the blocking loop's
/// outcome, having read and written the same bytes.
#[cfg(feature = "tokio")]
pub fn tokio_connect(data: &[u8]) -> Option<usize> {
    use crate::io::blocking;
    let [mode, seed, input @ ..] = data else {
        return None;
    };
    let hs = connect_handshake(*mode)?;
    let precise = mode & 0x80 != 0;
    let text = |c: &crate::io::Connected<'_>| std::format!("{:?} {:?}", c.reply(), c.leftover());
    let mut peer = blocking::Untimed(ChunkedPeer::new(input, *seed));
    let outcome = if precise {
        blocking::connect_with_buffer(&mut peer, hs(), Buffer::new_precise(), None)
    } else {
        blocking::connect(&mut peer, hs(), None)
    };
    let pendings = core::cell::Cell::new(0);
    let mut tpeer = tokio_peer::StallingPeer {
        peer: ChunkedPeer::new(input, *seed),
        stall: seed.rotate_left(3),
        pendings: &pendings,
    };
    let got = if precise {
        let fut =
            crate::io::tokio::connect_with_buffer(&mut tpeer, hs(), Buffer::new_precise(), None);
        tokio_peer::run(fut, &pendings)
    } else {
        tokio_peer::run(crate::io::tokio::connect(&mut tpeer, hs(), None), &pendings)
    };
    assert_eq!(
        outcome_text(&outcome, text, &peer.0),
        outcome_text(&got, text, &tpeer.peer),
        "tokio and blocking agree"
    );
    outcome.ok().map(|c| peer.0.fed - c.leftover().len())
}
