//! The dissect layer: a passive, bidirectional decoder for captured SOCKS conversations
//! (packet analysers, IDS, forensics).
//!
//! A [`Dissector`] takes each direction's bytes as captured, in any segmentation and any
//! interleaving, and yields typed [`Event`]s that borrow from those bytes: every handshake
//! message of SOCKS4, 4a and 5 (with RFC 1929, RFC 1961 frames, Tor's RESOLVE, RESOLVE_PTR and
//! reply codes, BIND's second reply), where tunnelled payload starts in each direction, and
//! [`Anomaly`] findings: DNS-leak risks, optimistic data, credentials in clear, no-auth chosen
//! although user/pass was offered, non-zero reserved bytes, long or non-UTF-8 hostnames,
//! version switches, non-SOCKS traffic, gaps and truncation. Passwords are redacted unless
//! [`DissectOptions::reveal_passwords`] is set.
//!
//! For embedding in a packet analyser: [`probe`] tells SOCKS from other traffic (and the
//! client from the server) on a connection's first bytes; [`Dissector::phase`] and
//! [`Dissector::payload_index`] say when the handshake is over and where, inside the segment
//! just fed, the tunnelled payload starts; with feature `alloc`, events and summaries have
//! owned forms (`OwnedEvent`, `OwnedSummary`) and `for e in dissector.feed(dir, bytes)`
//! walks owned events.
//!
//! A capture that joined a connection late ([`DissectOptions::mid_stream`]) or lost bytes
//! inside the handshake ([`Dissector::gap`]) is picked up at the next message
//! [`find_message`] recognises, and what was skipped is reported ([`Anomaly::Skipped`]).
//!
//! [`UdpReassembler`] decodes the datagrams of a UDP association and reassembles fragmented
//! ones (`FRAG` != 0), which no SOCKS server or analyser surveyed does.
//!
//! Memory is bounded: one reassembly buffer per direction, inline or the caller's. No input
//! makes it panic, and it never allocates.

pub(crate) mod conversation;
pub(crate) mod decode;
pub(crate) mod event;
#[cfg(feature = "alloc")]
pub(crate) mod owned;
pub(crate) mod probe;
pub(crate) mod resync;
pub(crate) mod side;
#[cfg(feature = "alloc")]
pub(crate) mod transaction;
pub(crate) mod udp;

pub use conversation::{DISSECT_BUF_LEN, DissectOptions, Dissector, Events, Phase};
pub use event::{Anomaly, Direction, Event, EventKind, Summary};
#[cfg(feature = "alloc")]
pub use owned::{OwnedEvent, OwnedEvents, OwnedHost, OwnedHostPort, OwnedSummary};
pub use probe::{Confidence, Detection, ProbeResult, Protocol, probe};
pub use resync::{FindResult, Found, Landmark, MAX_CANDIDATE, RESYNC_LIMIT, find_message};
#[cfg(feature = "alloc")]
pub use transaction::{AuthOutcome, Transaction, TransactionReply, Transactions};
pub use udp::{UdpOutcome, UdpReassembler};
