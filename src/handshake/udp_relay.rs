//! What a SOCKS5 UDP relay (RFC 1928 section 7) does with each datagram, without I/O: whether
//! it comes from the client, from a host the client has sent to, or from a stranger; the
//! client's datagrams parsed and their fragments reassembled; the answer's header built.
//! Resolving a hostname, the access policy and the sockets stay with the caller (the CLI
//! proxy's `udp.rs`).

use core::net::{IpAddr, SocketAddr};

use crate::dissect::{UdpOutcome, UdpReassembler};
use crate::handshake::canonical_ip;
use crate::wire::{Addr, Socks5UdpHeader, WireError, parse_socks5_udp_datagram};

/// Where a client's datagram goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UdpDestination<'a> {
    /// An IPv4 or IPv6 address and port.
    Ip(SocketAddr),
    /// A hostname (UTF-8, as the header carried it) and port, to resolve.
    Name {
        /// The hostname.
        name: &'a str,
        /// The port.
        port: u16,
    },
}

/// Why a datagram is dropped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UdpDrop {
    /// From the client, but not a SOCKS5 UDP datagram: its header does not parse (in
    /// complete mode: a datagram is never partial).
    Malformed(WireError),
    /// From the client, with a destination that cannot be sent to: a hostname that is not
    /// UTF-8, or an address type without an address.
    BadDestination,
    /// Neither from the client nor from a host the client has sent to (or the client's port
    /// is not known yet).
    Stranger,
}

/// What to do with one datagram.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UdpRelayAction<'a> {
    /// From the client, whole or the last fragment of a sequence: send `payload` to `to`
    /// (once resolved and allowed). A reassembled payload goes where its last fragment says.
    Forward {
        /// The destination of the datagram (of its last fragment, if reassembled).
        to: UdpDestination<'a>,
        /// The payload, without the header: the datagram's own, or the reassembled one.
        payload: &'a [u8],
    },
    /// From a host the client has sent to: send `header`, then the whole datagram, to
    /// `client`.
    Return {
        /// The client's UDP address.
        client: SocketAddr,
        /// The header naming the sender (`RSV` 0, `FRAG` 0, its address and port).
        header: Socks5UdpHeader<'static>,
    },
    /// From the client, a fragment: queued, or (out of sequence, or past the reassembly
    /// room) the queue abandoned as RFC 1928 says. Nothing to send.
    Held,
    /// Dropped: nothing to send.
    Dropped(UdpDrop),
}

/// One UDP association's relay state: the client's address and the fragment queue (at most
/// `N` payload bytes; no allocation).
///
/// Datagrams count as the client's when they come from the IP address of its TCP connection
/// (IPv4 in any IPv6 spelling counts as that IPv4 address) and from the port its UDP
/// ASSOCIATE request named; with port 0 the first datagram from that IP fixes the port.
///
/// ```
/// use sockswire::{UdpDestination, UdpRelay, UdpRelayAction};
/// let mut relay = UdpRelay::<1024>::new("127.0.0.1".parse()?, 0);
/// let from = "127.0.0.1:5000".parse()?;
/// let datagram = [0, 0, 0, 1, 192, 0, 2, 7, 0, 53, b'h', b'i'];
/// assert_eq!(
///     relay.datagram(from, &datagram, false),
///     UdpRelayAction::Forward {
///         to: UdpDestination::Ip("192.0.2.7:53".parse()?),
///         payload: b"hi",
///     }
/// );
/// assert_eq!(relay.client(), Some(from));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct UdpRelay<const N: usize> {
    client_ip: IpAddr,
    client: Option<SocketAddr>,
    reassembler: UdpReassembler<N>,
}

impl<const N: usize> UdpRelay<N> {
    /// The relay of a client whose TCP connection comes from `client_ip` and whose request
    /// named `port` (0: not known yet).
    #[must_use]
    pub fn new(client_ip: IpAddr, port: u16) -> Self {
        UdpRelay {
            client_ip: canonical_ip(client_ip),
            client: (port != 0).then(|| SocketAddr::new(client_ip, port)),
            reassembler: UdpReassembler::new(),
        }
    }

    /// The client's UDP address, once known.
    #[must_use]
    pub const fn client(&self) -> Option<SocketAddr> {
        self.client
    }

    /// Decides what to do with `datagram`, received from `from`. `known_peer` says whether
    /// the client has sent to `from` before (the caller keeps that set: only their answers
    /// go back to the client).
    pub fn datagram<'a>(
        &'a mut self,
        from: SocketAddr,
        datagram: &'a [u8],
        known_peer: bool,
    ) -> UdpRelayAction<'a> {
        let from_client = canonical_ip(from.ip()) == self.client_ip
            && self.client.is_none_or(|c| c.port() == from.port());
        if !from_client {
            return match self.client.filter(|_| known_peer) {
                Some(client) => UdpRelayAction::Return {
                    client,
                    header: Socks5UdpHeader {
                        reserved: 0,
                        fragment: 0,
                        addr: match from.ip() {
                            IpAddr::V4(ip) => Addr::Ipv4(ip),
                            IpAddr::V6(ip) => Addr::Ipv6(ip),
                        },
                        port: from.port(),
                    },
                },
                None => UdpRelayAction::Dropped(UdpDrop::Stranger),
            };
        }
        self.client.get_or_insert(from);
        // The header first: a reassembled payload goes where its last fragment says.
        let header = match parse_socks5_udp_datagram(datagram) {
            Ok(dg) => dg.header,
            Err(e) => return UdpRelayAction::Dropped(UdpDrop::Malformed(e)),
        };
        let payload = match self.reassembler.push(datagram) {
            UdpOutcome::Whole(dg) => dg.data,
            UdpOutcome::Reassembled(data) => data,
            UdpOutcome::Malformed(e) => return UdpRelayAction::Dropped(UdpDrop::Malformed(e)),
            UdpOutcome::Queued { .. } | UdpOutcome::Dropped => return UdpRelayAction::Held,
        };
        let to = match header.addr {
            Addr::Ipv4(ip) => UdpDestination::Ip(SocketAddr::new(IpAddr::V4(ip), header.port)),
            Addr::Ipv6(ip) => UdpDestination::Ip(SocketAddr::new(IpAddr::V6(ip), header.port)),
            Addr::Domain(name) => match core::str::from_utf8(name) {
                Ok(name) => UdpDestination::Name {
                    name,
                    port: header.port,
                },
                Err(_) => return UdpRelayAction::Dropped(UdpDrop::BadDestination),
            },
            Addr::Unspecified(_) => return UdpRelayAction::Dropped(UdpDrop::BadDestination),
        };
        UdpRelayAction::Forward { to, payload }
    }
}
