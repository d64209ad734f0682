//! # sockswire
//!
//! SOCKS4, SOCKS4a and SOCKS5 the way Tor speaks them, as a zero-copy nom 8 toolkit.
//!
//! * [`wire`]: parsers from `&[u8]` into borrowed views and encoders that mirror them, for
//!   every message in both directions (RFC 1928, 1929, 1961, SOCKS4/4a, Tor's RESOLVE,
//!   RESOLVE_PTR and extended reply codes). `no_std`, no allocation, no panics.
//! * [`handshake`]: sans-IO proxy and client drivers with tor-socksproto's vocabulary and
//!   behaviour, reject replies and policy knobs, still without allocation.
//! * [`dissect`]: a passive decoder for both directions of captured conversations.
//! * [`io`] (feature `std`; `tokio`, `futures-io` for async): the handshakes over sockets,
//!   blocking and async, with deadlines and every byte read past the handshake handed back.
//!
//! The `wire` and `handshake` layers are also re-exported here, flat (`sockswire::Socks5Request`,
//! `sockswire::SocksProxyHandshake`). The `dissect` layer is not: its names (`Event`,
//! `Direction`, `Summary`, ...) are too general for the crate root, so they stay under
//! [`dissect`] (`sockswire::dissect::Dissector`).
//!
//! # Features
//!
//! * `std` (default): `std::error::Error` impls and the `alloc` feature.
//! * `alloc`: nothing in the core needs it; it is passed on to nom.
//! * `arbitrary`: `Arbitrary` for every view, for property tests and fuzzers.
//! * `cli`: the `sockswire` binary (`dissect`, `proxy`, `probe`).
//! * `fuzz`: the hidden fuzz target bodies (`fuzz/` and the corpus replay tests use it); never
//!   needed by users.
//!
//! ```
//! use sockswire::{Addr, Command, Encode, parse_socks5_request};
//!
//! let bytes = [5, 0xF0, 0, 3, 11, b'e', b'x', b'a', b'm', b'p', b'l', b'e', b'.', b'c', b'o', b'm', 0, 0];
//! let (rest, req) = parse_socks5_request(&bytes).unwrap();
//! assert_eq!(req.command, Command::RESOLVE);
//! assert_eq!(req.addr.domain_str(), Some("example.com"));
//! assert!(rest.is_empty());
//!
//! let mut out = [0; 64];
//! let n = req.encode(&mut out).unwrap();
//! assert_eq!(&out[..n], &bytes[..]);
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![deny(rustdoc::broken_intra_doc_links)]
#![warn(unreachable_pub)]
#![cfg_attr(not(test), warn(clippy::unwrap_used, clippy::indexing_slicing))]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod dissect;
pub mod handshake;
#[cfg(feature = "std")]
pub mod io;
pub mod wire;

#[cfg(feature = "fuzz")]
#[doc(hidden)]
pub mod fuzz_support;

pub use handshake::*;
pub use nom;
pub use wire::*;

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
