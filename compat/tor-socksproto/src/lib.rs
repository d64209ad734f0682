//! A drop-in for [tor-socksproto](https://docs.rs/tor-socksproto/0.47.0) 0.47.0, Arti's SOCKS
//! crate, implemented over [`sockswire`].
//!
//! Same package name, version, features and public API (every item, with the same
//! signatures, owned `String`/`Vec` where 0.47 has them, the deprecated `handshake()` API
//! included), and the same behaviour, so `[patch.crates-io]` can swap it into Arti:
//!
//! ```toml
//! [patch.crates-io]
//! tor-socksproto = { path = "path/to/sockswire/compat/tor-socksproto" }
//! ```
//!
//! # How it is built on sockswire
//!
//! sockswire's handshake driver differs from 0.47 on purpose (it fails early on over-long
//! fields, refuses requests SOCKS4 cannot carry, accepts C Tor's replies, poisons itself after
//! an error). Undoing that would mean fighting the driver, so the facade reuses sockswire's
//! **wire layer** instead: this crate frames each message itself, field by field, exactly as
//! 0.47 reads it (the same "need n more bytes" at every prefix, the same error at the same
//! byte), then decodes the framed message with sockswire's parsers
//! (`parse_socks4_request`, `parse_socks5_greeting`, ...) and encodes every message it sends
//! with sockswire's encoders. sockswire itself is unchanged and its core still allocates
//! nothing; the allocations (owned outputs, a `Vec` per message sent, the heap `Buffer`) are
//! the ones 0.47's API demands.
#![deny(missing_docs)]
#![warn(unreachable_pub)]
// Without both handshakes some framing helpers go unused, as in 0.47.
#![cfg_attr(
    not(all(feature = "proxy-handshake", feature = "client-handshake")),
    allow(dead_code)
)]

mod err;
mod frame;
mod msg;
mod reply;

#[cfg(any(feature = "proxy-handshake", feature = "client-handshake"))]
mod framework;

#[cfg(feature = "client-handshake")]
mod client;
#[cfg(feature = "proxy-handshake")]
mod proxy;

pub use err::Error;
pub use frame::Action;

#[cfg(feature = "proxy-handshake")]
pub use proxy::SocksProxyHandshake;

#[cfg(feature = "client-handshake")]
pub use client::SocksClientHandshake;

#[cfg(any(feature = "proxy-handshake", feature = "client-handshake"))]
pub use framework::{Buffer, Finished, Handshake, NextStep, PreciseReads, ReadPrecision, RecvStep};

#[deprecated(since = "0.5.2", note = "Use SocksProxyHandshake instead.")]
#[cfg(feature = "proxy-handshake")]
pub use SocksProxyHandshake as SocksHandshake;

pub use msg::{
    SocksAddr, SocksAuth, SocksCmd, SocksHostname, SocksReply, SocksRequest, SocksStatus,
    SocksVersion,
};
pub use tor_error::Truncated;

/// A Result type for the tor_socksproto crate.
pub type Result<T> = std::result::Result<T, Error>;

/// A Result type for the tor_socksproto crate, including the possibility of a truncated
/// message.
///
/// This is a separate type from Result because a truncated message is not a true error: it
/// just means that you need to read more bytes and try again.
pub type TResult<T> = std::result::Result<Result<T>, Truncated>;

/// Suggested buffer length for socks handshakes.
pub const SOCKS_BUF_LEN: usize = 1024;
