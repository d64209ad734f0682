//! What a finished socket handshake gives: [`Connected`] and [`Accepted`], each owning the
//! buffer its reply or request borrows from.

use core::ops::Range;

use crate::Storage;
use crate::handshake::{
    Buffer, Handshake, SOCKS_BUF_LEN, SocksClientHandshake, SocksProxyHandshake, SocksReply,
    SocksRequest,
};

/// A finished client handshake: the proxy's reply and the bytes read past it.
///
/// It owns the buffer (1024 bytes inline by default), so it can be returned and kept
/// without allocating; [`Connected::reply`] borrows from it.
#[derive(Clone, Debug)]
pub struct Connected<'a, S: Storage = [u8; SOCKS_BUF_LEN]> {
    handshake: SocksClientHandshake<'a>,
    storage: S,
    leftover: Range<usize>,
}

impl<'a, S: Storage> Connected<'a, S> {
    /// From a handshake that has finished on `buffer`.
    pub(crate) fn new<P>(handshake: SocksClientHandshake<'a>, buffer: Buffer<P, S>) -> Self {
        let (storage, leftover) = buffer.into_parts();
        Connected {
            handshake,
            storage,
            leftover,
        }
    }

    /// The proxy's reply.
    #[must_use]
    pub fn reply(&self) -> SocksReply<'_> {
        self.handshake.output(self.storage.as_ref())
    }

    /// Bytes that arrived after the reply: the start of the stream from the target (a
    /// server-first protocol's banner, say). Often empty.
    #[must_use]
    pub fn leftover(&self) -> &[u8] {
        self.storage
            .as_ref()
            .get(self.leftover.clone())
            .unwrap_or_default()
    }

    /// The handshake (and through it the request that was sent).
    #[must_use]
    pub const fn handshake(&self) -> &SocksClientHandshake<'a> {
        &self.handshake
    }

    /// The buffer's storage and the range of leftover bytes in it.
    pub fn into_parts(self) -> (S, Range<usize>) {
        (self.storage, self.leftover)
    }
}

/// A finished proxy handshake: the client's request and any bytes it sent after it.
///
/// It owns the buffer (1024 bytes inline by default), so the request can outlive the
/// function that read it without allocating; [`Accepted::request`] borrows from it.
#[derive(Clone, Debug)]
pub struct Accepted<'p, S: Storage = [u8; SOCKS_BUF_LEN]> {
    handshake: SocksProxyHandshake<'p>,
    storage: S,
    leftover: Range<usize>,
}

impl<'p, S: Storage> Accepted<'p, S> {
    /// From a handshake that has finished on `buffer`.
    pub(crate) fn new<P>(handshake: SocksProxyHandshake<'p>, buffer: Buffer<P, S>) -> Self {
        let (storage, leftover) = buffer.into_parts();
        Accepted {
            handshake,
            storage,
            leftover,
        }
    }

    /// The client's request; answer it with [`SocksRequest::reply`].
    #[must_use]
    pub fn request(&self) -> SocksRequest<'_> {
        self.handshake.output(self.storage.as_ref())
    }

    /// Bytes the client sent after its request, before it had the reply (optimistic data):
    /// forward them to the target first. Often empty.
    #[must_use]
    pub fn leftover(&self) -> &[u8] {
        self.storage
            .as_ref()
            .get(self.leftover.clone())
            .unwrap_or_default()
    }

    /// The handshake (its policy, its version).
    #[must_use]
    pub const fn handshake(&self) -> &SocksProxyHandshake<'p> {
        &self.handshake
    }

    /// The buffer's storage and the range of leftover bytes in it.
    pub fn into_parts(self) -> (S, Range<usize>) {
        (self.storage, self.leftover)
    }
}
