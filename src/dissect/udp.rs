//! UDP ASSOCIATE datagrams, with reassembly of fragmented ones (RFC 1928 section 7).

use arrayvec::ArrayVec;

use crate::wire::{Socks5UdpDatagram, WireError, parse_socks5_udp_datagram};

/// What a datagram came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UdpOutcome<'a> {
    /// A whole datagram (`FRAG` 0): the payload is the datagram's own.
    Whole(Socks5UdpDatagram<'a>),
    /// A fragment was queued; the datagram is not complete yet.
    Queued {
        /// Its position, 1 to 127.
        position: u8,
    },
    /// The last fragment arrived: the reassembled payload, in order.
    Reassembled(&'a [u8]),
    /// A fragment out of sequence, or too much data: the queue was dropped, as RFC 1928
    /// says a relay must.
    Dropped,
    /// Not a SOCKS5 UDP datagram.
    Malformed(WireError),
}

/// Reassembles the fragments of one UDP association, as RFC 1928 section 7 describes: a
/// sequence starts at position 1, positions rise, the high bit of `FRAG` marks the last; a
/// lower position than the last one seen abandons the queue. At most `N` payload bytes are
/// held; no allocation.
#[derive(Clone, Debug, Default)]
pub struct UdpReassembler<const N: usize> {
    data: ArrayVec<u8, N>,
    last: u8,
    /// The last push handed out a reassembled payload: clear before the next.
    done: bool,
}

impl<const N: usize> UdpReassembler<N> {
    /// An empty queue.
    #[must_use]
    pub const fn new() -> Self {
        UdpReassembler {
            data: ArrayVec::new_const(),
            last: 0,
            done: false,
        }
    }

    /// Takes one datagram of the association.
    pub fn push<'a>(&'a mut self, datagram: &'a [u8]) -> UdpOutcome<'a> {
        if self.done {
            self.data.clear();
            self.done = false;
        }
        let dg = match parse_socks5_udp_datagram(datagram) {
            Ok(dg) => dg,
            Err(e) => return UdpOutcome::Malformed(e),
        };
        if !dg.header.is_fragment() {
            return UdpOutcome::Whole(dg);
        }
        let position = dg.header.fragment_position();
        let in_sequence = position > self.last && (position == 1) == (self.last == 0);
        if !in_sequence || self.data.try_extend_from_slice(dg.data).is_err() {
            self.data.clear();
            self.last = 0;
            return UdpOutcome::Dropped;
        }
        self.last = position;
        if dg.header.is_last_fragment() {
            self.last = 0;
            self.done = true;
            return UdpOutcome::Reassembled(&self.data);
        }
        UdpOutcome::Queued { position }
    }
}
