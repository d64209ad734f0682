//! The handshake layer: sans-IO proxy and client drivers with tor-socksproto's vocabulary and,
//! by default, its behaviour; without its allocations and copies.
//!
//! * [`SocksProxyHandshake`] reads a client's SOCKS4/4a/5 messages, answers them, and yields
//!   a [`SocksRequest`] that borrows its hostname, user-id and credentials from the
//!   [`Buffer`]. On failure, [`SocksProxyHandshake::failure_reply`] gives the reply to send
//!   before closing (`05 FF`, `05 07 …`, `00 5B …`, ...).
//! * [`SocksClientHandshake`] sends a [`SocksRequest`] and yields the proxy's [`SocksReply`].
//!
//! Both are driven by [`Handshake::step`] (see [`framework`](self#the-step-loop)). Neither
//! allocates: the buffer is an inline array or the caller's storage, replies are small inline
//! arrays, and the driver only calls the public [wire](crate::wire) parsers and encoders.
//!
//! # The step loop
//!
//! Call [`Handshake::step`] until it says [`NextStep::Finished`]:
//! [`NextStep::Send`] hands out bytes to write; [`NextStep::Recv`] asks for at least
//! [`RecvStep::deficit`] bytes, read into [`RecvStep::buf`] (all free space, or exactly the
//! deficit with a [`PreciseReads`] buffer, which never reads past the handshake). Errors
//! poison the handshake: later steps give [`Error::AlreadyFailed`], and stepping a finished
//! handshake gives [`Error::AlreadyFinished`]. Nothing panics, whatever the caller does.
//!
//! # Profiles
//!
//! [`ProxyPolicy::ARTI`] (the default) behaves as tor-socksproto 0.47 on every input (the same
//! bytes sent, the same request, the same leftover bytes, the same error class), except for
//! the deliberate differences below. [`ProxyPolicy::CTOR`] follows C Tor where it differs
//! (section 8 of the reference notes), and [`ProxyPolicy::RFC1928`] is a plain RFC server
//! with BIND and UDP ASSOCIATE. Every knob can be set on its own.
//!
//! # Deliberate differences from tor-socksproto 0.47 (profile `Arti`)
//!
//! Each is pinned by a test in `tests/handshake_differences.rs` that runs both crates on the
//! same bytes; `tests/handshake_tor_vectors.rs` shows that nothing else differs on 189 proxy
//! and 70 client vectors, and `tests/differential.rs` and `tests/differential_client.rs` on generated and mutated inputs.
//!
//! | input | tor-socksproto | sockswire |
//! |---|---|---|
//! | any failure with a SOCKS reply (no method, bad command, bad ATYP, SOCKS4 refusal) | sends nothing | same steps, and [`SocksProxyHandshake::failure_reply`] has a reply (arti#258): per profile as its table says, which also lists the 5 rows where the default profile's reply is not C Tor's |
//! | a step after an error | the same error again | [`Error::AlreadyFailed`] |
//! | a step after finishing with an empty buffer | `Recv` | [`Error::AlreadyFinished`] |
//! | [`PreciseReads`]: how much each `Recv` asks for | byte by byte or field by field (`05 01 00 01 7f 00 00 01 00 50` as 1,1,1,1,4,2 after the greeting) | the whole next part whose size is known: a SOCKS5 request's first five bytes, which give its length (5 then 5), then the rest; the client reads a reply the same way. Fewer reads, never past the message (the shortest request or reply is 7 bytes); a client that sends only four bytes of a malformed request and waits is refused at its fifth byte, not its fourth |
//! | SOCKS4a hostname or SOCKS4 user-id over its limit | asks for more until the NUL, then errors | errors as soon as the limit is passed |
//! | a 2,000-byte SOCKS4a hostname | `MessageTooLong` once its buffer is full | `Decode(LengthOverLimit { field: Hostname, limit: 255 })` at byte 256 of the name: another error class |
//! | a SOCKS5 hostname that is not UTF-8 or holds a NUL, before its port arrives | `Decode` at once | asks for the port, then [`Error::BadHostname`] (a request is checked once whole) |
//! | unknown codes in `Display` | decimal (`153`) | hex (`0x99`), crate-wide, as the RFCs and Tor's spec write codes |
//! | `SocksRequest::new` with an IPv6 or `0.0.0.x` address over SOCKS4 | accepted; the client then sends IPv6 as a 4a hostname `"2001:db8::1"` and `0.0.0.x` raw (which stalls a 4a server) | [`Error::Unrepresentable`] at construction |
//! | client: a SOCKS4 request over 1024 bytes (long user-id) | sent | [`Error::MessageTooLong`] ([`CLIENT_SEND_MAX`]; no Tor proxy accepts it) |
//! | client: SOCKS4 reply with `VN` 4 | `Syntax` | accepted, as C Tor does |
//! | client: C Tor's `05 04 00 00 …` reply (ATYP 0) | `Decode` | accepted, address 0.0.0.0 |
//! | client: a reply with a wrong version byte | `Syntax` | `Decode(BadVersion { got, expected })`: the wire layer's error, naming the byte |
//! | `note_received` past the buffer | panics | [`Error::ReceivedPastRoom`] |
//!
//! # Error classes
//!
//! tor-socksproto's `Error` is coarser. Where both fail, ours maps to its class as follows
//! (the vector and differential tests check this mapping on every input):
//!
//! | sockswire | tor-socksproto 0.47 |
//! |---|---|
//! | [`Error::BadProtocol`] | `BadProtocol` |
//! | [`Error::UnexpectedMessage`], [`Error::MethodNotOffered`], [`Error::NotAllowed`]`(`[`Refusal::PortZero`]`)`, [`Error::Unrepresentable`] for the auth (`UsernameOverSocks4`, `UseridOverSocks5`, `NulInUserid`, `CredentialTooLong`) | `Syntax` |
//! | [`Error::BadHostname`] | `Decode` (SOCKS5), `Syntax` (SOCKS4a, not UTF-8) |
//! | [`Error::Decode`] | `Decode`, except a client reply's version byte (`Syntax`, above) and an over-long 4a hostname (`MessageTooLong`, above) |
//! | [`Error::NoAcceptableMethod`], [`Error::CommandNotSupported`], [`Error::UnsupportedMethod`] | `NotImplemented` |
//! | [`Error::MessageTooLong`] | `MessageTooLong` |
//! | [`Error::AuthRejected`], [`Error::UnexpectedEof`], [`Error::ForbiddenPipelining`] | the same names |
//! | [`Error::AlreadyFinished`], [`Error::AlreadyFailed`], [`Error::ReceivedPastRoom`], [`Error::BadCredentials`], other [`Error::NotAllowed`] and [`Error::Unrepresentable`] | none: policy knobs and misuse tor-socksproto does not have (or panics on) |
//!
//! # Migration from tor-socksproto 0.47
//!
//! | tor-socksproto | sockswire |
//! |---|---|
//! | `SocksProxyHandshake::new()` | [`SocksProxyHandshake::new`]; [`SocksProxyHandshake::with_policy`] for profiles and knobs |
//! | `SocksHandshake` (deprecated alias) | [`SocksHandshake`], deprecated too |
//! | `SocksClientHandshake::new(req)` | [`SocksClientHandshake::new`], plus [`SocksClientHandshake::optimistic`] |
//! | `Handshake::step(&mut Buffer<P>)` | [`Handshake::step`]: `Send` borrows its bytes |
//! | `Handshake::handshake(&[u8])` (deprecated), `Action`, `TResult`, `Truncated` | not provided: use `step` |
//! | `Buffer::new()`, `new_precise()` | [`Buffer::new`], [`Buffer::new_precise`] (inline 1024-byte arrays) |
//! | `Buffer::with_size(n)`, `from_parts(box, filled)` | [`Buffer::with_storage`] with any `AsMut<[u8]>` storage |
//! | `Buffer::into_parts()` | [`Buffer::into_parts`] |
//! | `Buffer::unfilled_slice()`, `filled_slice()`, `note_received(NonZeroUsize)` | same names; `note_received` returns a `Result` |
//! | `NextStep::{Send(Vec<u8>), Recv, Finished}` | [`NextStep`]`::{Send(&[u8]), Recv, Finished}` |
//! | `RecvStep::buf()`, `note_received(n)` | [`RecvStep::buf`], [`RecvStep::note_received`], plus [`RecvStep::deficit`] |
//! | `Finished::into_output()` | [`Finished::into_output`] (precise buffers) |
//! | `Finished::into_output_and_slice()` | [`Finished::into_output_and_slice`] |
//! | `Finished::into_output_and_vec()` | not provided: the output borrows the buffer; copy what you keep |
//! | `Finished::into_output_forbid_pipelining()` | [`Finished::into_output_forbid_pipelining`] |
//! | `SocksProxyHandshake::finished()`, `into_request()` | the output of [`Finished`] |
//! | `SocksRequest::{new, version, command, addr, port, auth, reply}` | same, plus [`SocksRequest::reply_with_port`], [`SocksRequest::target`], [`SocksRequest::methods_offered`], [`SocksRequest::is_raw_ip`], [`SocksRequest::is_socks4a`], [`SocksRequest::reserved`] |
//! | `SocksReply::{status, addr, port}` | same, plus [`SocksReply::new`] and [`SocksReply::socks4_status`] |
//! | `SocksAddr::{Hostname, Ip}` | [`SocksAddr`], borrowing |
//! | `SocksHostname` (`String`) | [`SocksHostname`] (`&str`), `TryFrom<&str>` |
//! | `SocksAuth::{NoAuth, Socks4(Vec), Username(Vec, Vec)}` | [`SocksAuth`] with slices, plus [`SocksAuth::extended`] (prop351) |
//! | `SocksCmd`, `SocksStatus` (caret) | [`SocksCmd`] = [`crate::Command`], [`SocksStatus`] = [`crate::ReplyCode`]: same constants, plus `Hash`, `Ord` |
//! | `SocksVersion` | [`SocksVersion`] |
//! | `Error` | [`Error`], with finer variants carrying data (see "Error classes") |
//! | `SOCKS_BUF_LEN` | [`SOCKS_BUF_LEN`] |

pub(crate) mod access;
pub(crate) mod client;
pub(crate) mod error;
pub(crate) mod extauth;
pub(crate) mod framework;
pub(crate) mod policy;
pub(crate) mod proxy;
pub(crate) mod request;
pub(crate) mod special;
pub(crate) mod udp_relay;

pub use access::{
    AccessPolicy, AccessQuery, AccessRule, Action, Cidr, CidrError, Denial, Destination, PortRange,
    canonical_ip, is_local_scope,
};
pub use client::{CLIENT_SEND_MAX, SocksClientHandshake, SocksReply};
pub use error::{Error, HostnameProblem, MessageKind, Refusal, Unrepresentable};
pub use extauth::{EXTENDED_AUTH_PREFIX, ExtendedAuth, ExtendedAuthError, parse_extended_auth};
pub use framework::{
    Buffer, Finished, Handshake, NextStep, PreciseReads, ReadPrecision, RecvStep, SOCKS_BUF_LEN,
};
pub use policy::{
    Credentials, ExtendedAuthRules, Profile, ProxyPolicy, RFC1928_COMMANDS, TOR_COMMANDS,
    is_valid_dest,
};
#[allow(deprecated)]
pub use proxy::{HTTP_NOT_A_PROXY, SocksHandshake, SocksProxyHandshake};
pub use request::{
    ReplyBytes, SocksAddr, SocksAuth, SocksCmd, SocksHostname, SocksRequest, SocksStatus,
    SocksVersion,
};
pub use special::{SpecialName, tor_special_name};
pub use udp_relay::{UdpDestination, UdpDrop, UdpRelay, UdpRelayAction};
