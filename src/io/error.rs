//! The adapters' error: the handshake's own, or what the socket did.

use core::fmt;
use std::vec::Vec;

use crate::handshake::{Error as HandshakeError, SocksStatus};
use crate::wire::Socks4Status;

/// What a handshake was waiting for when it stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Waiting {
    /// Connecting to the proxy (the one-call helpers only).
    Connect,
    /// Writing a message: `written` of its `len` bytes had gone out.
    Send {
        /// Bytes of this message written so far.
        written: usize,
        /// The message's length.
        len: usize,
    },
    /// Reading: the handshake needed at least `deficit` more bytes.
    Recv {
        /// The least number of bytes the handshake was asking for.
        deficit: usize,
    },
}

impl fmt::Display for Waiting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Waiting::Connect => f.write_str("connecting to the proxy"),
            Waiting::Send { written, len } => {
                write!(f, "sending a {len}-byte message ({written} written)")
            }
            Waiting::Recv { deficit } => write!(f, "waiting for {deficit} more bytes"),
        }
    }
}

/// Why a socket handshake failed.
///
/// After any error the stream is at an unknown point of the protocol: close it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The handshake failed and the protocol has no reply for it (or this is the client
    /// side): nothing more was sent.
    #[error("handshake failed: {0}")]
    Handshake(#[source] HandshakeError),
    /// Proxy side: the handshake failed and its failure reply
    /// ([`SocksProxyHandshake::failure_reply`](crate::SocksProxyHandshake::failure_reply))
    /// was written before returning, unless `sent` is false (the write failed).
    #[error("handshake failed: {error}; {} the {}-byte failure reply",
        if *sent { "sent" } else { "could not send" }, reply.len())]
    Refused {
        /// The handshake's error.
        #[source]
        error: HandshakeError,
        /// The failure reply (`05 FF`, `05 07 …`, `00 5B …`, an HTTP 501 page, ...).
        reply: Vec<u8>,
        /// Whether all of it was written.
        sent: bool,
    },
    /// Client side: the proxy answered, with a status other than success.
    #[error("the proxy refused the request: {status}")]
    Rejected {
        /// The status (SOCKS4 codes mapped as [`SocksReply::status`](crate::SocksReply::status) does).
        status: SocksStatus,
        /// The SOCKS4 code as sent, for SOCKS4.
        socks4_status: Option<Socks4Status>,
    },
    /// The whole-handshake deadline passed.
    #[error("handshake deadline passed while {waiting}")]
    Deadline {
        /// The step the handshake was in.
        waiting: Waiting,
    },
    /// The peer closed the connection before the handshake finished.
    #[error("peer closed the connection after {received} handshake bytes, while {waiting}")]
    Closed {
        /// How many bytes had arrived from the peer, in all.
        received: usize,
        /// The step the handshake was in.
        waiting: Waiting,
    },
    /// Reading, writing or connecting failed.
    #[error("I/O error while {waiting}: {source}")]
    Io {
        /// The error.
        #[source]
        source: std::io::Error,
        /// The step the handshake was in.
        waiting: Waiting,
    },
}

impl Error {
    /// The handshake's own error, if that is what failed.
    #[must_use]
    pub fn handshake_error(&self) -> Option<&HandshakeError> {
        match self {
            Error::Handshake(e) | Error::Refused { error: e, .. } => Some(e),
            _ => None,
        }
    }
}

impl From<Error> for std::io::Error {
    /// For callers in `io::Result` code: deadlines become `TimedOut`, early closes
    /// `UnexpectedEof`, I/O errors keep their kind, the rest `Other` (or `ConnectionRefused`
    /// for a proxy's refusal), with this error inside.
    fn from(e: Error) -> Self {
        use std::io::ErrorKind;
        let kind = match &e {
            Error::Io { source, .. } => source.kind(),
            Error::Deadline { .. } => ErrorKind::TimedOut,
            Error::Closed { .. } => ErrorKind::UnexpectedEof,
            Error::Rejected { .. } => ErrorKind::ConnectionRefused,
            _ => ErrorKind::Other,
        };
        std::io::Error::new(kind, e)
    }
}
