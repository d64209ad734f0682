//! One capture of classic pcap or pcapng files dissected by `n` workers with no reading
//! thread in between. Each file is read in chunks ([`super::chunk`]), [`RUN`] chunks in a row
//! by one worker, then as many by the next, each chunk framed by the worker that read it and
//! routes its packets (a TCP connection's to its owner, UDP datagrams to all) while the others
//! dissect; then every worker dissects its packets of the chunk, which all share, not copied.
//! The records of each batch of chunks ([`BATCH`]) are merged by key, as
//! [`super::engine::parallel`] merges them.
//!
//! Why no reading thread: reading (the kernel's copy) and decoding in a thread of their own
//! were a serial part about as long as a worker's whole share of two, and they moved every
//! packet's bytes from one core to another. Here the copies run side by side, each chunk is
//! framed by the core that read it, and a worker only touches its own packets. Chunks are
//! framed as soon as the chunk before is at hand, up to [`AHEAD`] chunks before the one being
//! dissected, so that workers seldom wait for each other. Only framing is a chain (a chunk's
//! first record depends on where the chunk before left off): a worker whose next chunk cannot
//! be framed yet reads the rest of its run meanwhile, so the kernel's copy (two thirds of the
//! time of framing) is not part of the chain. With the copy in the chain, the framing front
//! hardly ran ahead of the dissection and the workers waited on each other at every few
//! chunks.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};

use super::chunk::{Chunked, MAX_BLOCK, Next, Piece};
use super::engine::{Outcome, Output, Progress, account, merge};
use super::sink::{Out, Stats};
use super::worker::{At, Setup, Worker};
use crate::capture::ReadStats;

/// Every file of `files` opened to be read in chunks; `None` if one cannot be (stdin, not a
/// capture, missing, unreadable: [`super::engine::parallel`]'s reading thread takes those
/// runs).
pub fn open(setup: &Setup, files: &[usize]) -> Option<Vec<Chunked>> {
    files
        .iter()
        .map(|&i| Chunked::open(setup.files.get(i)?, i))
        .collect()
}

/// What a worker sends the merger: a chunk's records, or at the end its last ones and counts.
enum Done {
    Chunk {
        out: Out,
        /// The capture's first packet was in this chunk, at this time.
        first: Option<f64>,
        /// Which file (its index in the run's), and its packet bytes so far.
        progress: (usize, u64),
    },
    End {
        out: Out,
        stats: Stats,
        reads: Vec<ReadStats>,
        last_ts: Option<f64>,
    },
}

/// One worker: which one it is, its dissection, where it is in the capture.
struct Share<'s> {
    w: usize,
    worker: Worker<'s>,
    at: At,
    first: Option<f64>,
    last_ts: Option<f64>,
}

impl Share<'_> {
    /// This worker's packets of a chunk.
    fn dissect(&mut self, piece: &Piece) {
        let (index, frame) = (self.at.index, self.at.frame);
        for r in piece.routes.get(self.w).map_or(&[][..], Vec::as_slice) {
            self.at.index = index + u64::from(r.i) + 1;
            self.at.frame = frame + u64::from(r.i) + 1;
            self.worker.segment(self.at, &piece.segment(r));
        }
        let counts = &piece.counts;
        self.at.index = index + counts.packets;
        self.at.frame = frame + counts.packets;
        if self.last_ts.is_none() {
            self.first = counts.first_ts;
        }
        self.last_ts = counts.last_ts.or(self.last_ts);
    }
}

/// How many consecutive chunks a worker reads and frames in a row: framing chunk `k` needs
/// chunk `k - 1` framed (a record its end cut), so this is how often that wait crosses
/// workers.
const RUN: u64 = 4;
/// How far ahead of the chunk being dissected chunks are framed.
const AHEAD: u64 = 4 * RUN;
/// How many chunks' records a worker hands the merger at a time (a multiple of [`RUN`]; the
/// same in every worker, so that a batch's records can be merged by key). The merger, a third
/// thread on as many cores as workers, is woken for every batch: batches of [`RUN`] chunks
/// (1 MB) woke it about 1,000 times for a 512 MB file, 1,500 context switches and 12% more
/// CPU time than batches of 16 MB (`perf stat`, `--workers 2`, 2 cores).
const BATCH: u64 = 16 * RUN;

/// The channels between workers: each sends the chunks it reads to every other, in order.
struct Links {
    to: Vec<Option<Sender<Arc<Piece>>>>,
    from: Vec<Option<Receiver<Arc<Piece>>>>,
}

impl Links {
    fn send(&self, piece: &Arc<Piece>) {
        for to in self.to.iter().flatten() {
            // A worker that is gone has panicked; the run reports that.
            let _ = to.send(Arc::clone(piece));
        }
    }
}

/// A chunk to read into: one of this worker's earlier ones every other worker is done with,
/// or a new one.
fn reclaim(spent: &mut VecDeque<Arc<Piece>>) -> Piece {
    if let Some(free) = spent.iter().position(|p| Arc::strong_count(p) == 1) {
        if let Some(Ok(piece)) = spent.remove(free).map(Arc::try_unwrap) {
            return piece;
        }
    }
    // Bounded: the oldest still in use are let go (freed by the last worker done with them).
    while spent.len() > 4 * AHEAD as usize {
        spent.pop_front();
    }
    Piece::new()
}

/// One worker's chunks of one file: those it framed and those it received, until dissected.
struct Ring<'a> {
    c: &'a Chunked,
    w: usize,
    n: usize,
    links: &'a Links,
    total: u64,
    /// The next chunk this worker frames.
    next: u64,
    /// A chunk said the file does not go on after it: no more framing.
    stopped: bool,
    mine: VecDeque<Arc<Piece>>,
    inbox: Vec<VecDeque<Arc<Piece>>>,
    /// The chunk dissected last.
    last: Option<Arc<Piece>>,
    /// This worker's next chunks to frame, read already (consecutive, from `next`).
    read: VecDeque<Piece>,
    spent: &'a mut VecDeque<Arc<Piece>>,
}

impl Ring<'_> {
    fn owner(&self, k: u64) -> usize {
        ((k / RUN) % self.n as u64) as usize
    }

    /// Chunk `k`, if this worker has it (framed, received, or just dissected).
    fn find(&mut self, k: u64) -> Option<Arc<Piece>> {
        let o = self.owner(k);
        if o != self.w {
            if let Some(rx) = self.links.from.get(o).and_then(Option::as_ref) {
                self.inbox[o].extend(rx.try_iter());
            }
        }
        let queue = if o == self.w {
            &self.mine
        } else {
            &self.inbox[o]
        };
        queue.iter().chain(&self.last).find(|p| p.k == k).cloned()
    }

    /// Frames this worker's next chunks while the chunks before them are at hand, up to
    /// [`AHEAD`] past chunk `k`; when the chunk before is not, reads the rest of this run
    /// (reading needs no other chunk: only framing is a chain from chunk to chunk, so the
    /// kernel's copy, most of the time of framing, is kept out of it). Never waits.
    fn advance(&mut self, k: u64) {
        while !self.stopped && self.next < self.total && self.next <= k + AHEAD {
            let j = self.next;
            let prev = match j {
                0 => None,
                _ => match self.find(j - 1) {
                    Some(p) => Some(p),
                    None => {
                        self.read_run(k);
                        return;
                    }
                },
            };
            if prev.as_ref().is_some_and(|p| p.next != Next::More) {
                self.stopped = true;
                return;
            }
            let mut piece = match self.read.pop_front() {
                Some(p) if p.k == j => p,
                _ => {
                    let mut p = reclaim(self.spent);
                    self.c.read_chunk(j, &mut p);
                    p
                }
            };
            self.c.frame(prev.as_deref(), &mut piece, self.n);
            let piece = Arc::new(piece);
            self.links.send(&piece);
            self.mine.push_back(piece);
            self.next = if (j + 1) % RUN == 0 {
                j + 1 + (self.n as u64 - 1) * RUN
            } else {
                j + 1
            };
        }
    }

    /// Reads this worker's chunks from the next to frame to the end of its run (up to
    /// [`AHEAD`] past chunk `k`), those not read yet.
    fn read_run(&mut self, k: u64) {
        let end = (self.next / RUN + 1) * RUN;
        let mut j = self.next + self.read.len() as u64;
        while j < end && j < self.total && j <= k + AHEAD {
            let mut p = reclaim(self.spent);
            self.c.read_chunk(j, &mut p);
            self.read.push_back(p);
            j += 1;
        }
    }

    /// Chunk `k`, waiting for it (and framing what can be meanwhile); `None` if a worker is
    /// gone.
    fn take(&mut self, k: u64) -> Option<Arc<Piece>> {
        let o = self.owner(k);
        loop {
            self.advance(k);
            let queue = if o == self.w {
                &mut self.mine
            } else {
                &mut self.inbox[o]
            };
            if queue.front().is_some_and(|p| p.k == k) {
                return queue.pop_front();
            }
            if o == self.w {
                // Its chunk before is another's, not here yet.
                let before = self.owner(k.checked_sub(1)?);
                let p = self.links.from.get(before)?.as_ref()?.recv().ok()?;
                self.inbox[before].push_back(p);
            } else {
                let p = self.links.from.get(o)?.as_ref()?.recv().ok()?;
                self.inbox[o].push_back(p);
            }
        }
    }
}

/// Worker `w` of `n` over every file.
fn work(
    setup: &Setup,
    files: &[Chunked],
    (w, n): (usize, usize),
    links: Links,
    (to_merger, spent_outs): (SyncSender<Done>, Receiver<Out>),
) {
    let mut share = Share {
        w,
        worker: Worker::new(setup),
        at: At {
            index: 0,
            frame: 0,
            file: 0,
        },
        first: None,
        last_ts: None,
    };
    let mut reads = Vec::new();
    let mut spent: VecDeque<Arc<Piece>> = VecDeque::new();
    for c in files {
        share.at.frame = 0;
        share.at.file = c.index;
        let path = setup.files.get(c.index).map_or("-", String::as_str);
        let mut read = ReadStats {
            packets: 0,
            bytes: 0,
            error: None,
        };
        let mut ring = Ring {
            c,
            w,
            n,
            links: &links,
            total: c.chunks(),
            next: w as u64 * RUN,
            stopped: false,
            mine: VecDeque::new(),
            inbox: (0..n).map(|_| VecDeque::new()).collect(),
            last: None,
            read: VecDeque::new(),
            spent: &mut spent,
        };
        let mut cut = false;
        for k in 0..ring.total {
            let Some(piece) = ring.take(k) else {
                return;
            };
            share.dissect(&piece);
            read.packets += piece.counts.packets;
            read.bytes += piece.counts.bytes;
            // The file ends inside a record (or a pcapng block the reader would read on for).
            cut = !piece.carry.is_empty() || piece.next == Next::Truncated;
            read.error = match &piece.next {
                Next::More | Next::End | Next::Truncated => None,
                Next::TooLarge => Some(format!("{path}: a block larger than {MAX_BLOCK} bytes")),
                Next::ReadError(e) => Some(format!(
                    "{path}: read error after {} packets: {e}",
                    read.packets
                )),
                Next::Unreadable(e) => Some(format!(
                    "{path}: unreadable after {} packets: {e}",
                    read.packets
                )),
            };
            let go_on = piece.next == Next::More;
            if ring.owner(k) == w {
                ring.spent.push_back(Arc::clone(&piece));
            }
            ring.last = Some(piece);
            // The next chunks, now that this one is here: others may be waiting for them.
            ring.advance(k + 1);
            // The records of a batch of chunks at a time (the same in every worker).
            if (k + 1) % BATCH != 0 && k + 1 < ring.total && go_on {
                continue;
            }
            let fresh = spent_outs.try_recv().unwrap_or_default();
            let done = Done::Chunk {
                out: share.worker.swap_out(fresh),
                first: share.first.take(),
                progress: (c.index, read.bytes),
            };
            if to_merger.send(done).is_err() {
                return;
            }
            if !go_on {
                break;
            }
        }
        if read.error.is_none() && cut {
            read.error = Some(format!("{path}: truncated after {} packets", read.packets));
        }
        reads.push(read);
    }
    let stats = share.worker.finish(share.last_ts.unwrap_or(0.0));
    let _ = to_merger.send(Done::End {
        out: share.worker.take_out(),
        stats,
        reads,
        last_ts: share.last_ts,
    });
}

/// The capture files `files` as one capture, `n` workers; this thread merges their
/// records, batch by batch.
pub fn parallel(
    setup: &Setup,
    files: &[Chunked],
    quiet: bool,
    n: usize,
    out: &mut dyn Output,
) -> Outcome {
    // to[w][v]: from worker w to worker v.
    let mut to: Vec<Vec<Option<Sender<Arc<Piece>>>>> = (0..n).map(|_| vec![None; n]).collect();
    let mut from: Vec<Vec<Option<Receiver<Arc<Piece>>>>> =
        (0..n).map(|_| (0..n).map(|_| None).collect()).collect();
    for (w, row) in to.iter_mut().enumerate() {
        for (v, slot) in row.iter_mut().enumerate() {
            if v != w {
                let (tx, rx) = channel();
                *slot = Some(tx);
                if let Some(r) = from.get_mut(v).and_then(|r| r.get_mut(w)) {
                    *r = Some(rx);
                }
            }
        }
    }
    std::thread::scope(|s| {
        let mut results = Vec::with_capacity(n);
        let mut give_back = Vec::with_capacity(n);
        for (w, (to, from)) in to.into_iter().zip(from).enumerate() {
            let (to_merger, from_worker) = sync_channel::<Done>(8);
            results.push(from_worker);
            let (back, spent_outs) = channel::<Out>();
            give_back.push(back);
            let links = Links { to, from };
            let merger = (to_merger, spent_outs);
            s.spawn(move || work(setup, files, (w, n), links, merger));
        }
        let mut outcome = Outcome {
            ok: true,
            ..Outcome::default()
        };
        let path = |f: usize| setup.files.get(f).map_or("-", String::as_str);
        let first_file = files.first().map_or(0, |c| c.index);
        let mut progress = (first_file, Progress::new(path(first_file), quiet));
        let mut ended = false;
        let mut reads = Vec::new();
        while !ended {
            let mut outs = Vec::with_capacity(n);
            for (w, from) in results.iter().enumerate() {
                match from.recv() {
                    Ok(Done::Chunk {
                        out: o,
                        first,
                        progress: (f, bytes),
                    }) => {
                        if let Some(ts) = first {
                            out.first_packet(ts);
                        }
                        if w == 0 {
                            if f != progress.0 {
                                progress = (f, Progress::new(path(f), quiet));
                            }
                            progress.1.bytes(bytes);
                        }
                        outs.push(o);
                    }
                    Ok(Done::End {
                        out: o,
                        stats,
                        reads: r,
                        last_ts,
                    }) => {
                        outcome.stats.add(&stats);
                        if w == 0 {
                            reads = r;
                            outcome.last_ts = last_ts;
                        }
                        outs.push(o);
                        ended = true;
                    }
                    Err(_) => ended = true,
                }
            }
            merge(&outs, out);
            // Their buffers go back to be written again (not freed by this thread and
            // allocated again by theirs).
            for (o, back) in outs.into_iter().zip(&give_back) {
                let _ = back.send(o);
            }
        }
        for r in reads {
            outcome.ok &= account(&mut outcome.stats, Ok(r));
        }
        out.flush();
        outcome
    })
}
