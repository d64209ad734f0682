//! A classic pcap file read in chunks for [`super::split`]: opening it, and reading one chunk,
//! framing its records and routing each packet to the worker that dissects it (its TCP
//! connection's [`owner`]; every worker for a UDP datagram).

use std::fs::File;
use std::os::unix::fs::FileExt;

use pcap_parser::Linktype;

use super::flow::Endpoint;
use super::worker::owner;
use crate::capture::{Packet, Proto, Segment};

/// Bytes per chunk: small enough to stay in a core's L2 cache while it is framed, right
/// after it was read.
pub const CHUNK: u64 = 256 << 10;
/// The size from which a record (header and data) is refused: what
/// [`crate::capture::read`] grows its buffer to, so that one worker and several agree.
pub const MAX_BLOCK: usize = 1 << 26;

/// A classic pcap file, opened, its header read.
pub struct Classic {
    /// Its index in the run's files.
    pub index: usize,
    file: File,
    /// Its length when opened, after the 24-byte header: what is read.
    len: u64,
    le: bool,
    /// Timestamp fraction unit: microseconds or nanoseconds.
    unit: f64,
    linktype: Linktype,
}

/// A packet of a chunk for a worker, decoded: its place among the chunk's packets, and its
/// segment with its payload's place in the chunk's buffer (or in [`Piece::straddle`]). The
/// worker reads these one after another and touches no packet header: reading every record's
/// header again, from a chunk another core read, cost a cache miss per packet (a third of
/// a worker's time).
#[derive(Clone, Copy)]
pub struct Route {
    pub i: u32,
    pub ts: f64,
    pub src: Endpoint,
    pub dst: Endpoint,
    pub proto: Proto,
    straddle: bool,
    payload: (u32, u32),
}

/// Whether the file goes on after a chunk.
#[derive(Clone, Debug, PartialEq)]
pub enum Next {
    More,
    /// The file ended (or shrank) here.
    End,
    /// A record claims [`MAX_BLOCK`] bytes or more.
    TooLarge,
    /// The chunk could not be read.
    ReadError(String),
}

/// A chunk, read and framed: shared by every worker.
pub struct Piece {
    /// Which chunk of its file.
    pub k: u64,
    buf: Vec<u8>,
    /// How many bytes of `buf` the chunk has.
    len: usize,
    /// Each worker's packets.
    pub routes: Vec<Vec<Route>>,
    /// The record that ends in this chunk and began in an earlier one.
    pub straddle: Vec<u8>,
    /// A record begun in this chunk (or earlier) and not complete at its end.
    pub carry: Vec<u8>,
    pub counts: Counts,
    pub next: Next,
}

/// The packets whose records end in a chunk.
#[derive(Default)]
pub struct Counts {
    pub packets: u64,
    /// Their captured bytes.
    pub bytes: u64,
    /// The first and last of their times.
    pub first_ts: Option<f64>,
    pub last_ts: Option<f64>,
}

impl Piece {
    pub fn new() -> Self {
        Piece {
            k: 0,
            buf: Vec::new(),
            len: 0,
            routes: Vec::new(),
            straddle: Vec::new(),
            carry: Vec::new(),
            counts: Counts::default(),
            next: Next::More,
        }
    }

    /// The segment of a route.
    pub fn segment(&self, r: &Route) -> Segment<'_> {
        let from = if r.straddle {
            &self.straddle
        } else {
            &self.buf
        };
        let (start, len) = (r.payload.0 as usize, r.payload.1 as usize);
        Segment {
            ts: r.ts,
            src: r.src,
            dst: r.dst,
            proto: r.proto,
            payload: from.get(start..start + len).unwrap_or_default(),
        }
    }
}

impl Classic {
    /// `None` unless `path` is a classic pcap file that can be read.
    pub fn open(path: &str, index: usize) -> Option<Classic> {
        if path == "-" {
            return None;
        }
        let file = File::open(path).ok()?;
        let len = file.metadata().ok()?.len().checked_sub(24)?;
        let mut header = [0u8; 24];
        file.read_exact_at(&mut header, 0).ok()?;
        let (le, unit) = match header.first_chunk::<4>().copied()? {
            [0xd4, 0xc3, 0xb2, 0xa1] => (true, 1e-6),
            [0x4d, 0x3c, 0xb2, 0xa1] => (true, 1e-9),
            [0xa1, 0xb2, 0xc3, 0xd4] => (false, 1e-6),
            [0xa1, 0xb2, 0x3c, 0x4d] => (false, 1e-9),
            _ => return None,
        };
        let mut c = Classic {
            index,
            file,
            len,
            le,
            unit,
            linktype: Linktype::ETHERNET,
        };
        c.linktype = Linktype(c.word(&header, 20) as i32);
        Some(c)
    }

    fn word(&self, b: &[u8], at: usize) -> u32 {
        let w = b
            .get(at..at + 4)
            .and_then(|w| <[u8; 4]>::try_from(w).ok())
            .unwrap_or_default();
        if self.le {
            u32::from_le_bytes(w)
        } else {
            u32::from_be_bytes(w)
        }
    }

    /// How many chunks the file is read in.
    pub fn chunks(&self) -> u64 {
        self.len.div_ceil(CHUNK)
    }

    /// A record's packet (`record`: its 16-byte header, then its data).
    fn packet<'r>(&self, record: &'r [u8]) -> Packet<'r> {
        let ts = f64::from(self.word(record, 0)) + f64::from(self.word(record, 4)) * self.unit;
        let caplen = self.word(record, 8) as usize;
        let data = record.get(16..16 + caplen).unwrap_or_default();
        Packet {
            linktype: self.linktype,
            ts,
            data,
        }
    }

    /// Reads chunk `k` into `piece` (a spent one, its buffers reused): the half of framing
    /// that needs no other chunk, so it can be done before the chunk before is framed.
    pub fn read_chunk(&self, k: u64, piece: &mut Piece) {
        piece.k = k;
        let want = CHUNK.min(self.len.saturating_sub(k * CHUNK)) as usize;
        piece.len = want;
        piece.next = match self.read(k, &mut piece.buf, want) {
            Ok(got) if got < want => {
                piece.len = got;
                Next::End
            }
            Ok(_) => Next::More,
            Err(e) => Next::ReadError(e.to_string()),
        };
    }

    /// Frames chunk `piece` (read by [`Classic::read_chunk`]) for `n` workers; `prev`: the
    /// chunk before, with the record its end cut.
    pub fn frame(&self, prev: Option<&Piece>, piece: &mut Piece, n: usize) {
        piece.routes.resize_with(n, Vec::new);
        piece.routes.iter_mut().for_each(Vec::clear);
        piece.straddle.clear();
        piece.carry.clear();
        piece.counts = Counts::default();
        if let Next::ReadError(_) = piece.next {
            return;
        }
        let Piece {
            buf,
            len,
            routes,
            straddle,
            carry,
            counts,
            next,
            ..
        } = piece;
        let data = buf.get(..*len).unwrap_or_default();
        let mut at = 0;
        if let Some(p) = prev.filter(|p| !p.carry.is_empty()) {
            // First the record begun earlier: its header, then its data.
            straddle.extend_from_slice(&p.carry);
            let head = 16usize.saturating_sub(straddle.len()).min(data.len());
            straddle.extend_from_slice(data.get(..head).unwrap_or_default());
            at = head;
            let caplen = self.word(straddle, 8) as usize;
            if straddle.len() >= 16 && 16 + caplen >= MAX_BLOCK {
                *next = Next::TooLarge;
                return;
            }
            let rest = (16 + caplen).saturating_sub(straddle.len());
            let rest = rest.min(data.len() - at);
            straddle.extend_from_slice(data.get(at..at + rest).unwrap_or_default());
            at += rest;
            if straddle.len() < 16 + caplen {
                // Longer than this chunk too.
                std::mem::swap(carry, straddle);
                return;
            }
            self.route(straddle, (true, 0), routes, counts);
        }
        while let Some(header) = data.get(at..at + 16) {
            let caplen = self.word(header, 8) as usize;
            if 16 + caplen >= MAX_BLOCK {
                *next = Next::TooLarge;
                return;
            }
            if at + 16 + caplen > data.len() {
                break;
            }
            self.route(
                data.get(at..).unwrap_or_default(),
                (false, at),
                routes,
                counts,
            );
            at += 16 + caplen;
        }
        carry.extend_from_slice(data.get(at..).unwrap_or_default());
    }

    /// Routes the packet of `record` (in the straddle buffer or not, at offset `at`) to its
    /// workers, and counts it.
    fn route(
        &self,
        record: &[u8],
        (straddle, at): (bool, usize),
        routes: &mut [Vec<Route>],
        counts: &mut Counts,
    ) {
        let packet = self.packet(record);
        let i = counts.packets as u32;
        counts.packets += 1;
        counts.bytes += packet.data.len() as u64;
        counts.first_ts.get_or_insert(packet.ts);
        counts.last_ts = Some(packet.ts);
        let Some(seg) = packet.segment() else {
            return;
        };
        let start = at + (seg.payload.as_ptr() as usize - record.as_ptr() as usize);
        let route = Route {
            i,
            ts: seg.ts,
            src: seg.src,
            dst: seg.dst,
            proto: seg.proto,
            straddle,
            payload: (start as u32, seg.payload.len() as u32),
        };
        match seg.proto {
            Proto::Tcp { .. } => {
                let n = routes.len();
                if let Some(r) = routes.get_mut(owner(seg.src, seg.dst, n)) {
                    r.push(route);
                }
            }
            Proto::Udp => routes.iter_mut().for_each(|r| r.push(route)),
        }
    }

    /// Chunk `k`'s `want` bytes, read into `buf`: how many there were, fewer if the file
    /// shrank. (`buf` keeps its length: zeroing it for every read cost as much as framing.)
    fn read(&self, k: u64, buf: &mut Vec<u8>, want: usize) -> std::io::Result<usize> {
        if buf.len() < want {
            buf.resize(want, 0);
        }
        let mut got = 0;
        while got < want {
            let to = buf.get_mut(got..want).unwrap_or_default();
            let n = self.file.read_at(to, 24 + k * CHUNK + got as u64)?;
            if n == 0 {
                break;
            }
            got += n;
        }
        Ok(got)
    }
}
