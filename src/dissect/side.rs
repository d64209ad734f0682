//! One direction of a conversation: its reassembly buffer, its place in the stream, and what
//! it expects next.

use crate::Storage;
use crate::dissect::decode::Expect;
use crate::dissect::{Direction, Event, EventKind};

/// One direction's reassembly state.
#[derive(Clone, Debug)]
pub(crate) struct Side<S> {
    pub(crate) buf: S,
    /// Buffered bytes.
    pub(crate) len: usize,
    /// Buffered bytes at the front already reported (dropped on the next call, since the
    /// last event borrowed them).
    pub(crate) skip: usize,
    /// Stream offset of the first byte not yet decoded.
    pub(crate) offset: u64,
    pub(crate) expect: Expect,
    pub(crate) payload: u64,
    pub(crate) payload_started: bool,
    pub(crate) ended: bool,
    /// Bytes fed so far.
    pub(crate) fed: u64,
    /// Where the last segment fed starts in the stream, and its length.
    pub(crate) last_segment: (u64, usize),
    /// Where tunnelled payload starts in the stream, once known.
    pub(crate) payload_at: Option<u64>,
    /// Bytes skipped so far while looking for a message to resume at, not yet reported.
    pub(crate) resync_skipped: u64,
}

impl<S> Side<S> {
    pub(crate) fn new(buf: S, expect: Expect) -> Self {
        Side {
            buf,
            len: 0,
            skip: 0,
            offset: 0,
            expect,
            payload: 0,
            payload_started: false,
            ended: false,
            fed: 0,
            last_segment: (0, 0),
            payload_at: None,
            resync_skipped: 0,
        }
    }

    /// Whether this direction still decodes handshake messages.
    pub(crate) fn decoding(&self) -> bool {
        !self.ended
            && !matches!(
                self.expect,
                Expect::Payload | Expect::AfterFailure | Expect::Stopped
            )
    }

    /// Whether this direction decodes handshake messages in order (not looking for one to
    /// resume at): the other direction may wait for what it learns.
    pub(crate) fn live(&self) -> bool {
        self.decoding() && self.expect != Expect::Resync
    }

    /// Takes note of a segment fed in this direction.
    pub(crate) fn fed(&mut self, len: usize) {
        self.last_segment = (self.fed, len);
        self.fed += len as u64;
    }

    /// Stops decoding this direction, counting `more` bytes past what is buffered as seen.
    pub(crate) fn stop(&mut self, more: usize) {
        self.offset += (self.len + more) as u64;
        self.len = 0;
        self.expect = Expect::Stopped;
    }

    /// The `End` event, when the direction is being finished.
    pub(crate) fn end_event(
        &mut self,
        dir: Direction,
        finishing: &mut bool,
    ) -> Option<Event<'static>> {
        if !*finishing {
            return None;
        }
        *finishing = false;
        self.ended = true;
        Some(Event {
            dir,
            offset: self.offset,
            kind: EventKind::End {
                payload: self.payload,
            },
        })
    }
}

impl<S: Storage> Side<S> {
    /// Drops the bytes the last event borrowed.
    pub(crate) fn compact(&mut self) {
        if self.skip > 0 {
            self.buf.as_mut().copy_within(self.skip..self.len, 0);
            self.len -= self.skip;
            self.skip = 0;
        }
    }

    pub(crate) fn capacity(&self) -> usize {
        self.buf.as_ref().len()
    }

    /// The buffered bytes.
    pub(crate) fn buffered(&self) -> &[u8] {
        self.buf.as_ref().get(..self.len).unwrap_or_default()
    }

    /// Appends what fits of `seg` to a partial message; returns how many bytes were taken.
    pub(crate) fn append(&mut self, seg: &[u8]) -> usize {
        let take = (self.capacity() - self.len).min(seg.len());
        let start = self.len;
        if let (Some(dst), Some(src)) = (
            self.buf.as_mut().get_mut(start..start + take),
            seg.get(..take),
        ) {
            dst.copy_from_slice(src);
            self.len += take;
            take
        } else {
            0
        }
    }

    /// Keeps a partial message from a segment, into the empty buffer; `false` if it does not
    /// fit.
    pub(crate) fn keep(&mut self, seg: &[u8]) -> bool {
        match self.buf.as_mut().get_mut(..seg.len()) {
            Some(dst) => {
                dst.copy_from_slice(seg);
                self.len = seg.len();
                true
            }
            None => false,
        }
    }
}
