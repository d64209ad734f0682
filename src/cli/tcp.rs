//! TCP stream reassembly for one direction: ordering, retransmissions, overlaps and gaps.

use std::collections::BTreeMap;

/// Most out-of-order bytes held per direction before a hole is declared a gap.
const MAX_PENDING: usize = 1 << 20;

/// What to hand the dissector next.
#[derive(Debug, PartialEq, Eq)]
pub enum Chunk<'a> {
    Data(&'a [u8]),
    Gap(u64),
}

/// One direction of a TCP connection, reassembled by sequence number.
#[derive(Debug, Default)]
pub struct Reassembler {
    /// The next sequence number to deliver; `None` until the first segment.
    next: Option<u32>,
    /// Segments ahead of `next`, by sequence number.
    pending: BTreeMap<u32, Vec<u8>>,
    pending_bytes: usize,
    pub fin: bool,
}

/// Wrapping distance from `a` to `b`.
fn ahead(a: u32, b: u32) -> i64 {
    i64::from(b.wrapping_sub(a) as i32)
}

impl Reassembler {
    /// Takes a segment; calls `deliver` with whatever is now in order, in order.
    pub fn segment(
        &mut self,
        seq: u32,
        syn: bool,
        fin: bool,
        payload: &[u8],
        mut deliver: impl FnMut(Chunk<'_>),
    ) {
        let data_seq = if syn { seq.wrapping_add(1) } else { seq };
        let next = *self.next.get_or_insert(data_seq);
        if fin {
            self.fin = true;
        }
        if payload.is_empty() {
            return;
        }
        let offset = ahead(next, data_seq);
        if offset <= 0 {
            // In order, or overlapping what was delivered (a retransmission): skip the overlap.
            let skip = usize::try_from(-offset).unwrap_or(usize::MAX);
            if let Some(fresh) = payload.get(skip..).filter(|f| !f.is_empty()) {
                deliver(Chunk::Data(fresh));
                self.next = Some(next.wrapping_add(fresh.len() as u32));
                self.drain(&mut deliver);
            }
        } else {
            if self.pending_bytes + payload.len() > MAX_PENDING {
                self.skip_hole(&mut deliver);
                return self.segment(seq, syn, false, payload, deliver);
            }
            if !self.pending.contains_key(&data_seq) {
                self.pending_bytes += payload.len();
                self.pending.insert(data_seq, payload.to_vec());
            }
        }
    }

    /// Delivers pending segments that are now in order.
    fn drain(&mut self, deliver: &mut impl FnMut(Chunk<'_>)) {
        while let Some(next) = self.next {
            let Some((&seq, _)) = self.pending.iter().find(|(s, _)| ahead(next, **s) <= 0) else {
                return;
            };
            let data = self.pending.remove(&seq).unwrap_or_default();
            self.pending_bytes -= data.len();
            let skip = usize::try_from(ahead(seq, next)).unwrap_or(0);
            if let Some(fresh) = data.get(skip..).filter(|f| !f.is_empty()) {
                deliver(Chunk::Data(fresh));
                self.next = Some(next.wrapping_add(fresh.len() as u32));
            }
        }
    }

    /// Gives up on the hole before the first pending segment: a gap, then what follows it.
    fn skip_hole(&mut self, deliver: &mut impl FnMut(Chunk<'_>)) {
        let (Some(next), Some((&first, _))) = (
            self.next,
            self.pending
                .iter()
                .min_by_key(|(s, _)| ahead(self.next.unwrap_or(0), **s)),
        ) else {
            return;
        };
        deliver(Chunk::Gap(ahead(next, first).max(0) as u64));
        self.next = Some(first);
        self.drain(deliver);
    }

    /// At the end of the capture: report holes as gaps and deliver everything held.
    pub fn flush(&mut self, mut deliver: impl FnMut(Chunk<'_>)) {
        while !self.pending.is_empty() {
            self.skip_hole(&mut deliver);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(segments: &[(u32, &[u8])]) -> Vec<String> {
        let mut r = Reassembler::default();
        let mut out = Vec::new();
        r.segment(999, true, false, &[], |_| {});
        for &(seq, data) in segments {
            r.segment(seq, false, false, data, |c| out.push(format!("{c:?}")));
        }
        r.flush(|c| out.push(format!("{c:?}")));
        out
    }

    #[test]
    fn orders_trims_and_reports_gaps() {
        // In order.
        assert_eq!(
            run(&[(1000, b"ab"), (1002, b"cd")]),
            ["Data([97, 98])", "Data([99, 100])"]
        );
        // Out of order, then the hole filled.
        assert_eq!(
            run(&[(1002, b"cd"), (1000, b"ab")]),
            ["Data([97, 98])", "Data([99, 100])"]
        );
        // Retransmission and overlap.
        assert_eq!(
            run(&[(1000, b"abc"), (1000, b"abc"), (1002, b"cde")]),
            ["Data([97, 98, 99])", "Data([100, 101])"]
        );
        // A hole never filled: a gap at the end.
        assert_eq!(
            run(&[(1000, b"a"), (1005, b"f")]),
            ["Data([97])", "Gap(4)", "Data([102])"]
        );
        // Sequence numbers wrap.
        let mut r = Reassembler::default();
        let mut out = Vec::new();
        r.segment(u32::MAX - 1, true, false, &[], |_| {});
        r.segment(u32::MAX, false, false, b"xy", |c| {
            out.push(format!("{c:?}"))
        });
        r.segment(1, false, false, b"z", |c| out.push(format!("{c:?}")));
        assert_eq!(out, ["Data([120, 121])", "Data([122])"]);
    }
}
