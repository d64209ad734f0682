//! Sockets: blocking and async adapters over the sans-IO [handshakes](crate::handshake).
//!
//! I/O sits beside the core, never inside it (as tokio-rustls sits beside rustls): each
//! adapter is a thin loop over [`Handshake::step`](crate::Handshake::step) that writes what it
//! says to send and reads what it asks for, and hands back every byte read past the
//! handshake. The handshakes still allocate nothing; neither do the adapters on success (their
//! buffer is a 1024-byte array inside the value they return).
//!
//! | | client | proxy | one call |
//! |---|---|---|---|
//! | [`blocking`] (feature `std`) | [`blocking::connect`] | [`blocking::accept`] | [`blocking::connect_to`] |
//! | `tokio` (feature `tokio`) | `tokio::connect` | `tokio::accept` | `tokio::connect_to` |
//! | `futures` (feature `futures-io`) | `futures::connect` | `futures::accept` | `futures::connect_stream` |
//!
//! A client handshake gives [`Connected`] (the proxy's reply and the leftover bytes), a proxy
//! handshake gives [`Accepted`] (the client's request and the leftover bytes). Both own their
//! buffer, so they can be moved and kept; the request and reply borrow from them.
//!
//! # Leftover bytes
//!
//! A read-ahead buffer may pick up bytes that follow the handshake: a target that speaks
//! first (an SSH or SMTP banner) can land in the same read as the proxy's reply; a client
//! may send its first data right behind its request. They are never an error and never
//! dropped: [`Connected::leftover`] and [`Accepted::leftover`] give them, and
//! [`SocksStream`] yields them before anything else it reads.
//!
//! # Which `into_output*`
//!
//! Driving a handshake by hand, a [`Finished`](crate::Finished) step offers three ways out:
//!
//! * [`into_output_and_slice`](crate::Finished::into_output_and_slice): the output and the
//!   bytes read past the handshake, which are the start of the stream. Use this with
//!   [`Buffer::new`](crate::Buffer::new) (read-ahead) on either side; it is what these
//!   adapters do. It never fails.
//! * [`into_output`](crate::Finished::into_output), for a
//!   [`Buffer::new_precise`](crate::Buffer::new_precise) buffer: it reads exactly the
//!   handshake's bytes (one read per message part, so more system calls), so nothing is left
//!   over and the socket can go to code that cannot take leftovers (another process, a TLS
//!   library that only takes the socket).
//! * [`into_output_forbid_pipelining`](crate::Finished::into_output_forbid_pipelining): proxy
//!   side only, Arti's TROVE-2024-010 guard: refuse a client that sent data before it had the
//!   reply. On the client side with a read-ahead buffer it breaks server-first protocols: the
//!   banner that arrives with the reply makes it fail with
//!   [`ForbiddenPipelining`](crate::Error::ForbiddenPipelining).
//!
//! # Deadlines
//!
//! Every entry point takes an optional deadline for the whole handshake, not per read: past
//! it, [`Error::Deadline`] says which step was waiting. The blocking adapters set the
//! socket's timeouts to the time left before each read and write (see
//! [`blocking::Timeouts`]), and restore them afterwards; the tokio adapters use tokio's
//! timer. futures-io has no timer: race the future against your executor's.
//!
//! # Cancellation
//!
//! The async `connect` and `accept` futures are `Send` when the stream is, and **not**
//! cancellation safe: dropping one mid-handshake leaves the stream at an unknown point of
//! the protocol (some bytes written, some read and dropped with the future). Drop the stream
//! too. Use the deadline argument rather than cancelling by timeout; the stream is then just
//! as unusable, but the error says where the handshake stopped. [`SocksStream`]'s reads and
//! writes are as cancellation safe as the stream's own.
//!
//! # Modules
//!
//! The `tokio` and `futures` submodules exist with the features of the same name
//! (`futures-io` for `futures`).

#[cfg(any(feature = "tokio", feature = "futures-io"))]
mod drive;
mod error;
mod owned;
mod stream;

pub mod blocking;
#[cfg(feature = "futures-io")]
pub mod futures;
#[cfg(feature = "tokio")]
pub mod tokio;

pub use error::{Error, Waiting};
pub use owned::{Accepted, Connected};
pub use stream::SocksStream;

use crate::handshake::{SocksAddr, SocksAuth, SocksCmd, SocksHostname, SocksRequest, SocksVersion};

/// A SOCKS5 CONNECT request to `host:port` without authentication: an IP literal is sent as
/// an address, anything else as a hostname for the proxy to resolve (as curl's
/// `--socks5-hostname` does). This is what the one-call helpers send.
///
/// ```
/// let req = sockswire::io::socks5_connect("example.com", 443).unwrap();
/// assert_eq!(req.target().to_string(), "example.com:443");
/// assert!(!req.is_raw_ip());
/// assert!(sockswire::io::socks5_connect("::1", 22).unwrap().is_raw_ip());
/// ```
pub fn socks5_connect(host: &str, port: u16) -> Result<SocksRequest<'_>, crate::handshake::Error> {
    let addr = match host.parse() {
        Ok(ip) => SocksAddr::Ip(ip),
        Err(_) => SocksAddr::Hostname(
            SocksHostname::try_from(host).map_err(crate::handshake::Error::BadHostname)?,
        ),
    };
    SocksRequest::new(
        SocksVersion::V5,
        SocksCmd::CONNECT,
        addr,
        port,
        SocksAuth::NoAuth,
    )
}
