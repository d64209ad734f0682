//! A capture file, classic pcap or pcapng, read in chunks for [`super::split`]: opening it,
//! reading one chunk, framing its records (classic) or blocks (pcapng) and routing each packet
//! to the worker that dissects it (its TCP connection's [`owner`]; every worker for a UDP
//! datagram). pcapng blocks are parsed with pcap-parser's block parsers and read with
//! [`Interfaces::packet`], as [`crate::capture::read`] reads them.

use std::fs::File;
use std::os::unix::fs::FileExt;

use pcap_parser::Linktype;
use pcap_parser::pcapng::{parse_block_be, parse_block_le, parse_sectionheaderblock};

use super::flow::Endpoint;
use super::worker::owner;
use crate::capture::{Interfaces, Packet, Proto, Segment, describe};

/// Bytes per chunk: small enough to stay in a core's L2 cache while it is framed, right
/// after it was read.
pub const CHUNK: u64 = 256 << 10;
/// The size from which a record (header and data) is refused: what
/// [`crate::capture::read`] grows its buffer to, so that one worker and several agree.
pub const MAX_BLOCK: usize = 1 << 26;

/// A capture file, opened, its format known.
pub struct Chunked {
    /// Its index in the run's files.
    pub index: usize,
    file: File,
    /// Where its records start: after a classic file's 24-byte header; 0 for pcapng, whose
    /// section header block is framed as any other.
    start: u64,
    /// Its length when opened, from `start`: what is read.
    len: u64,
    layout: Layout,
}

/// How a file's records are laid out.
#[derive(Clone, Copy)]
enum Layout {
    /// Classic pcap: 16-byte record headers; the byte order, timestamp fraction unit
    /// (microseconds or nanoseconds) and link type of its file header.
    Classic {
        le: bool,
        unit: f64,
        linktype: Linktype,
    },
    /// pcapng: blocks, each with its length at bytes 4-8 in its section's byte order.
    Ng,
}

/// What framing a pcapng chunk needs from the blocks before it: the section's byte order and
/// its interfaces. Each chunk keeps the state at its end, for the next.
#[derive(Clone, Default)]
pub struct Section {
    be: bool,
    interfaces: Interfaces,
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
    /// A pcapng block pcap-parser refuses (what is wrong with it).
    Unreadable(String),
    /// The file ends inside a pcapng block whose contents claim more than its length.
    Truncated,
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
    /// pcapng: the section after this chunk's last whole block.
    pub section: Section,
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
            section: Section::default(),
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

/// A 32-bit word of `b` at `at`, in the given byte order; 0 past its end.
fn word(le: bool, b: &[u8], at: usize) -> u32 {
    let w = b
        .get(at..at + 4)
        .and_then(|w| <[u8; 4]>::try_from(w).ok())
        .unwrap_or_default();
    if le {
        u32::from_le_bytes(w)
    } else {
        u32::from_be_bytes(w)
    }
}

/// What parsing a record came to: the bytes it took, or how many more its parser wants.
enum Parsed {
    Took(usize),
    Wants(usize),
}

/// A pcapng section header block's type, the same bytes in either byte order.
const SHB_TYPE: [u8; 4] = [0x0A, 0x0D, 0x0D, 0x0A];

impl Chunked {
    /// `None` unless `path` is a classic pcap or pcapng file that can be read (pcapng: one
    /// that starts with a section header block pcap-parser takes, as its reader requires).
    pub fn open(path: &str, index: usize) -> Option<Chunked> {
        if path == "-" {
            return None;
        }
        let file = File::open(path).ok()?;
        let size = file.metadata().ok()?.len();
        let mut header = [0u8; 24];
        file.read_exact_at(&mut header, 0).ok()?;
        let classic = match header.first_chunk::<4>().copied()? {
            [0xd4, 0xc3, 0xb2, 0xa1] => Some((true, 1e-6)),
            [0x4d, 0x3c, 0xb2, 0xa1] => Some((true, 1e-9)),
            [0xa1, 0xb2, 0xc3, 0xd4] => Some((false, 1e-6)),
            [0xa1, 0xb2, 0x3c, 0x4d] => Some((false, 1e-9)),
            _ => None,
        };
        if let Some((le, unit)) = classic {
            let linktype = Linktype(word(le, &header, 20) as i32);
            return Some(Chunked {
                index,
                file,
                start: 24,
                len: size.checked_sub(24)?,
                layout: Layout::Classic { le, unit, linktype },
            });
        }
        let mut head = vec![0u8; size.min(1 << 16) as usize];
        file.read_exact_at(&mut head, 0).ok()?;
        parse_sectionheaderblock(&head).ok()?;
        Some(Chunked {
            index,
            file,
            start: 0,
            len: size,
            layout: Layout::Ng,
        })
    }

    /// How many chunks the file is read in.
    pub fn chunks(&self) -> u64 {
        self.len.div_ceil(CHUNK)
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

    /// How many bytes of a record's start are enough to know its length.
    fn head_len(&self) -> usize {
        match self.layout {
            Layout::Classic { .. } => 16,
            // Type, length, and a section header's byte-order magic.
            Layout::Ng => 12,
        }
    }

    /// How many bytes a pcapng block's parser may read before it refuses a length below its
    /// type's fixed part (at most 32 bytes for the block types pcap-parser knows): given it
    /// where the file has them, so that such a block is refused, not waited on.
    fn parse_min(&self) -> usize {
        match self.layout {
            Layout::Classic { .. } => 0,
            Layout::Ng => 64,
        }
    }

    /// What follows a pcapng block at `block_at` whose parser wants `more` bytes past its
    /// length (its contents claim more than it holds). pcap-parser's reader reads on for it,
    /// growing its buffer to [`MAX_BLOCK`] bytes: it refuses the block as too large once what
    /// it holds from the block's start and what the parser wants reach that, and says the file
    /// is truncated if the file ends first.
    fn overlong(&self, block_at: u64, more: usize) -> Next {
        if self.len.saturating_sub(block_at) + more as u64 >= MAX_BLOCK as u64 {
            Next::TooLarge
        } else {
            Next::Truncated
        }
    }

    /// The length of the record whose first [`Chunked::head_len`] bytes are `head`; `None`
    /// while fewer are there. A pcapng block's as its header says (at least the 12 bytes of
    /// the smallest block, so a length below that is parsed, and refused, not waited on).
    fn record_len(&self, head: &[u8], section: &Section) -> Option<usize> {
        if head.len() < self.head_len() {
            return None;
        }
        let len = match self.layout {
            Layout::Classic { le, .. } => 16 + word(le, head, 8) as usize,
            Layout::Ng => {
                let le = match (head.first_chunk::<4>(), head.get(8..12)) {
                    (Some(&SHB_TYPE), Some([0x4d, 0x3c, 0x2b, 0x1a])) => true,
                    (Some(&SHB_TYPE), Some([0x1a, 0x2b, 0x3c, 0x4d])) => false,
                    _ => !section.be,
                };
                (word(le, head, 4) as usize).max(12)
            }
        };
        Some(len)
    }

    /// Frames chunk `piece` (read by [`Chunked::read_chunk`]) for `n` workers; `prev`: the
    /// chunk before, with the record its end cut and (pcapng) the section it ended in.
    pub fn frame(&self, prev: Option<&Piece>, piece: &mut Piece, n: usize) {
        piece.routes.resize_with(n, Vec::new);
        piece.routes.iter_mut().for_each(Vec::clear);
        piece.straddle.clear();
        piece.carry.clear();
        piece.counts = Counts::default();
        piece.section = prev.map(|p| p.section.clone()).unwrap_or_default();
        if let Next::ReadError(_) = piece.next {
            return;
        }
        let chunk_at = piece.k * CHUNK;
        let Piece {
            buf,
            len,
            routes,
            straddle,
            carry,
            counts,
            next,
            section,
            ..
        } = piece;
        let data = buf.get(..*len).unwrap_or_default();
        let mut at = 0;
        if let Some(p) = prev.filter(|p| !p.carry.is_empty()) {
            // First the record begun earlier: its head, then the rest of it (and for a pcapng
            // block, at least what its parser reads before it can refuse a short length).
            let before = p.carry.len();
            straddle.extend_from_slice(&p.carry);
            let head = self
                .head_len()
                .saturating_sub(straddle.len())
                .min(data.len());
            straddle.extend_from_slice(data.get(..head).unwrap_or_default());
            let Some(len) = self.record_len(straddle, section) else {
                std::mem::swap(carry, straddle);
                return;
            };
            if len >= MAX_BLOCK {
                *next = Next::TooLarge;
                return;
            }
            let want = len.max(self.parse_min());
            let more = want.saturating_sub(straddle.len()).min(data.len() - head);
            straddle.extend_from_slice(data.get(head..head + more).unwrap_or_default());
            if straddle.len() < len {
                // Longer than this chunk too.
                std::mem::swap(carry, straddle);
                return;
            }
            match self.record(straddle, (true, 0), section, routes, counts) {
                Ok(Parsed::Took(took)) => at = took.saturating_sub(before),
                Ok(Parsed::Wants(_)) if straddle.len() < want => {
                    std::mem::swap(carry, straddle);
                    return;
                }
                Ok(Parsed::Wants(more)) => {
                    *next = self.overlong(chunk_at.saturating_sub(before as u64), more);
                    return;
                }
                Err(e) => {
                    *next = Next::Unreadable(e);
                    return;
                }
            }
        }
        while let Some(head) = data.get(at..at + self.head_len()) {
            let Some(len) = self.record_len(head, section) else {
                break;
            };
            if len >= MAX_BLOCK {
                *next = Next::TooLarge;
                return;
            }
            if at + len > data.len() {
                break;
            }
            let rest = data.get(at..).unwrap_or_default();
            match self.record(rest, (false, at), section, routes, counts) {
                Ok(Parsed::Took(took)) => at += took,
                // Its parser wants more than the chunk has: the next chunk may tell.
                Ok(Parsed::Wants(_)) if rest.len() < len.max(self.parse_min()) => break,
                Ok(Parsed::Wants(more)) => {
                    *next = self.overlong(chunk_at + at as u64, more);
                    return;
                }
                Err(e) => {
                    *next = Next::Unreadable(e);
                    return;
                }
            }
        }
        carry.extend_from_slice(data.get(at..).unwrap_or_default());
    }

    /// The record at the start of `data` (in the straddle buffer or not, at offset `at`):
    /// routed if it is a packet, taken into `section` if it is a pcapng section header or
    /// interface description. How many bytes it took, or how many more its parser wants than
    /// `data` has; the reason if pcap-parser refuses it.
    fn record(
        &self,
        data: &[u8],
        place: (bool, usize),
        section: &mut Section,
        routes: &mut [Vec<Route>],
        counts: &mut Counts,
    ) -> Result<Parsed, String> {
        let (linktype, le, unit) = match self.layout {
            Layout::Classic { le, unit, linktype } => (linktype, le, unit),
            Layout::Ng => {
                let parse = if section.be {
                    parse_block_be
                } else {
                    parse_block_le
                };
                return match parse(data) {
                    Ok((rest, block)) => {
                        if let pcap_parser::pcapng::Block::SectionHeader(shb) = &block {
                            section.be = shb.big_endian();
                        }
                        if let Some(packet) = section.interfaces.packet(&block) {
                            route(&packet, data, place, routes, counts);
                        }
                        Ok(Parsed::Took(data.len() - rest.len()))
                    }
                    Err(nom::Err::Incomplete(nom::Needed::Size(n))) => Ok(Parsed::Wants(n.get())),
                    Err(nom::Err::Incomplete(nom::Needed::Unknown)) => Ok(Parsed::Wants(0)),
                    Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(describe(&e)),
                };
            }
        };
        let caplen = word(le, data, 8) as usize;
        let ts = f64::from(word(le, data, 0)) + f64::from(word(le, data, 4)) * unit;
        let packet = Packet {
            linktype,
            ts,
            data: data.get(16..16 + caplen).unwrap_or_default(),
        };
        route(&packet, data, place, routes, counts);
        Ok(Parsed::Took(16 + caplen))
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
            let n = self.file.read_at(to, self.start + k * CHUNK + got as u64)?;
            if n == 0 {
                break;
            }
            got += n;
        }
        Ok(got)
    }
}

/// Routes `packet` (whose bytes lie in `record`, in the straddle buffer or not, at offset
/// `at`) to its workers, and counts it.
fn route(
    packet: &Packet<'_>,
    record: &[u8],
    (straddle, at): (bool, usize),
    routes: &mut [Vec<Route>],
    counts: &mut Counts,
) {
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
