//! Running workers over a capture: one worker in the reading thread, or several fed
//! batches of their connections' segments by a reading thread, their records merged by key
//! (several files at once: `files.rs`). The bytes written are the same either way.

use std::io::{BufWriter, StdoutLock, Write};
use std::ops::Range;
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};
use std::time::Instant;

use super::flow::Endpoint;
use super::sink::{Out, Stats};
use super::worker::{At, Setup, Worker, owner};
use crate::capture::{self, Packet, Packets, Proto, ReadStats, Segment};
use crate::output::{zeek_header, zeek_time};

/// Where ordered output goes.
pub trait Output {
    /// The run's first packet (Zeek's `#open`).
    fn first_packet(&mut self, ts: f64);
    fn bytes(&mut self, b: &[u8]);
    /// Everything so far should reach the reader now (streaming from stdin).
    fn flush(&mut self);
}

/// Standard output, with Zeek's header and footer.
pub struct Stdout<'o> {
    w: BufWriter<StdoutLock<'o>>,
    zeek: bool,
    opened: bool,
}

impl<'o> Stdout<'o> {
    pub fn new(w: BufWriter<StdoutLock<'o>>, zeek: bool) -> Self {
        Stdout {
            w,
            zeek,
            opened: false,
        }
    }

    /// The end of the run; `last_ts`: its last packet's time, for Zeek's `#close`.
    pub fn close(&mut self, last_ts: f64) {
        if self.zeek {
            self.first_packet(last_ts);
            let _ = writeln!(self.w, "#close\t{}", zeek_time(last_ts));
        }
        let _ = self.w.flush();
    }
}

impl Output for Stdout<'_> {
    fn first_packet(&mut self, ts: f64) {
        if self.zeek && !self.opened {
            self.opened = true;
            let _ = writeln!(self.w, "{}", zeek_header(ts));
        }
    }

    fn bytes(&mut self, b: &[u8]) {
        let _ = self.w.write_all(b);
    }

    fn flush(&mut self) {
        let _ = self.w.flush();
    }
}

/// What running over a capture came to.
#[derive(Default)]
pub struct Outcome {
    pub stats: Stats,
    pub last_ts: Option<f64>,
    /// Every file was read to its end.
    pub ok: bool,
}

/// Progress lines on stderr, every 64 MB.
pub struct Progress<'a> {
    path: &'a str,
    quiet: bool,
    last: u64,
    started: Instant,
}

impl<'a> Progress<'a> {
    pub fn new(path: &'a str, quiet: bool) -> Self {
        Progress {
            path,
            quiet,
            last: 0,
            started: Instant::now(),
        }
    }

    pub fn bytes(&mut self, bytes: u64) {
        if !self.quiet && bytes >= self.last + (64 << 20) {
            self.last = bytes;
            let secs = self.started.elapsed().as_secs_f64();
            eprintln!(
                "sockswire: {}: {} MB read, {:.0} MB/s",
                self.path,
                bytes >> 20,
                bytes as f64 / 1e6 / secs.max(1e-9)
            );
        }
    }
}

/// Counts a file read and reports how it ended; false when it could not be read to its end.
pub fn account(stats: &mut Stats, result: Result<ReadStats, String>) -> bool {
    stats.files += 1;
    match result {
        Ok(r) => {
            stats.bytes += r.bytes;
            stats.packets += r.packets;
            if let Some(e) = r.error {
                eprintln!("sockswire: {e}; everything before it was decoded");
                return false;
            }
            true
        }
        Err(e) => {
            eprintln!("sockswire: {e}");
            false
        }
    }
}

fn drain(worker: &mut Worker<'_>, out: &mut dyn Output) {
    let o = worker.take_out();
    if !o.buf.is_empty() {
        out.bytes(&o.buf);
    }
}

/// One worker, in the reading thread: records are written as they come, in key order.
struct Inline<'w, 's, 'o> {
    worker: &'w mut Worker<'s>,
    out: &'o mut dyn Output,
    at: At,
    last_ts: Option<f64>,
    streaming: bool,
    progress: Progress<'w>,
}

impl Packets for Inline<'_, '_, '_> {
    fn packet(&mut self, p: &Packet<'_>) {
        if self.last_ts.is_none() {
            self.out.first_packet(p.ts);
        }
        self.last_ts = Some(p.ts);
        self.at.index += 1;
        self.at.frame += 1;
        self.worker.packet(self.at, p);
        if self.worker.sink.out.buf.len() >= 1 << 16 {
            drain(self.worker, self.out);
        }
    }

    fn idle(&mut self) {
        if self.streaming {
            drain(self.worker, self.out);
            self.out.flush();
        }
    }

    fn progress(&mut self, bytes: u64) {
        self.progress.bytes(bytes);
    }
}

/// The files `files` (indices into `setup.files`) as one capture, one worker.
pub fn inline(setup: &Setup, files: &[usize], quiet: bool, out: &mut dyn Output) -> Outcome {
    let mut worker = Worker::new(setup);
    let mut outcome = Outcome {
        ok: true,
        ..Outcome::default()
    };
    let mut index = 0;
    for &file in files {
        let path = setup.files.get(file).map_or("-", String::as_str);
        let mut reader = Inline {
            worker: &mut worker,
            out,
            at: At {
                index,
                frame: 0,
                file,
            },
            last_ts: outcome.last_ts,
            streaming: path == "-",
            progress: Progress::new(path, quiet),
        };
        let result = capture::read(path, &mut reader);
        index = reader.at.index;
        outcome.last_ts = reader.last_ts;
        outcome.ok &= account(&mut outcome.stats, result);
    }
    let stats = worker.finish(outcome.last_ts.unwrap_or(0.0));
    outcome.stats.add(&stats);
    drain(&mut worker, out);
    out.flush();
    outcome
}

/// One worker's segments, their payloads copied out of the reader's buffer.
#[derive(Default)]
struct Batch {
    segments: Vec<(At, f64, Endpoint, Endpoint, Proto, Range<usize>)>,
    data: Vec<u8>,
    /// Write what this batch produced now: the input is a pipe that has nothing more yet.
    flush: bool,
    /// The capture's first packet is in this batch, at this time.
    first: Option<f64>,
    /// The latest packet's time so far (the capture's last, in the last batch).
    last: Option<f64>,
}

impl Batch {
    fn push(&mut self, at: At, seg: &Segment<'_>) {
        let start = self.data.len();
        self.data.extend_from_slice(seg.payload);
        let range = start..self.data.len();
        self.segments
            .push((at, seg.ts, seg.src, seg.dst, seg.proto, range));
    }
}

const BATCH_BYTES: usize = 4 << 20;
const BATCH_SEGMENTS: usize = 16_384;

/// The reading thread of a parallel run: decodes every packet, sends each TCP segment to the
/// worker that owns its connection and every UDP datagram to all (only the worker that saw
/// an association announce its relay takes it).
struct Batcher<'a> {
    to: &'a [SyncSender<Batch>],
    spent: &'a Receiver<Batch>,
    batches: Vec<Batch>,
    bytes: usize,
    segments: usize,
    at: At,
    first: Option<f64>,
    last_ts: Option<f64>,
    streaming: bool,
    progress: Progress<'a>,
}

impl Batcher<'_> {
    /// Sends every worker its batch (empty ones too: the merger takes one from each).
    fn send(&mut self, flush: bool) {
        if self.segments == 0 && self.first.is_none() && !flush {
            return;
        }
        for (to, slot) in self.to.iter().zip(self.batches.iter_mut()) {
            // Buffers come back from the workers, to be used again.
            let fresh = match self.spent.try_recv() {
                Ok(mut b) => {
                    b.segments.clear();
                    b.data.clear();
                    b
                }
                Err(_) => Batch {
                    segments: Vec::with_capacity(BATCH_SEGMENTS),
                    // A segment more than the threshold: never grown (and copied) on the way.
                    data: Vec::with_capacity(BATCH_BYTES + (1 << 16)),
                    ..Batch::default()
                },
            };
            let mut batch = std::mem::replace(slot, fresh);
            batch.flush = flush;
            batch.first = self.first;
            batch.last = self.last_ts;
            // A worker that is gone has panicked; the run reports that.
            let _ = to.send(batch);
        }
        self.first = None;
        self.bytes = 0;
        self.segments = 0;
    }
}

impl Packets for Batcher<'_> {
    fn packet(&mut self, p: &Packet<'_>) {
        if self.last_ts.is_none() {
            self.first = Some(p.ts);
        }
        self.last_ts = Some(p.ts);
        self.at.index += 1;
        self.at.frame += 1;
        let Some(seg) = p.segment() else {
            return;
        };
        let n = self.batches.len();
        match seg.proto {
            Proto::Tcp { .. } => {
                let owner = owner(seg.src, seg.dst, n);
                if let Some(b) = self.batches.get_mut(owner) {
                    b.push(self.at, &seg);
                }
            }
            Proto::Udp => {
                for b in &mut self.batches {
                    b.push(self.at, &seg);
                }
            }
        }
        self.segments += 1;
        self.bytes += seg.payload.len();
        if self.bytes >= BATCH_BYTES || self.segments >= BATCH_SEGMENTS {
            self.send(false);
        }
    }

    fn idle(&mut self) {
        if self.streaming && self.segments > 0 {
            self.send(true);
        }
    }

    fn progress(&mut self, bytes: u64) {
        self.progress.bytes(bytes);
    }
}

/// What a worker hands back: a batch's records, or at the end, the last ones and its counts.
enum Done {
    Batch {
        out: Out,
        flush: bool,
        first: Option<f64>,
    },
    End {
        out: Out,
        stats: Stats,
    },
}

/// Writes the workers' records in key order.
pub fn merge(outs: &[Out], to: &mut dyn Output) {
    let mut all: Vec<(_, usize, usize, usize)> = Vec::new();
    for (w, o) in outs.iter().enumerate() {
        let mut start = 0;
        for &(key, end) in &o.marks {
            all.push((key, w, start, end));
            start = end;
        }
    }
    all.sort_unstable_by_key(|&(key, w, ..)| (key, w));
    let mut buf = Vec::with_capacity(outs.iter().map(|o| o.buf.len()).sum());
    for (_, w, start, end) in all {
        if let Some(bytes) = outs.get(w).and_then(|o| o.buf.get(start..end)) {
            buf.extend_from_slice(bytes);
        }
    }
    if !buf.is_empty() {
        to.bytes(&buf);
    }
}

/// The files `files` as one capture, `n` workers: a reading thread decodes packets and
/// hands each worker its connections' segments in batches; this thread merges the
/// workers' records.
pub fn parallel(
    setup: &Setup,
    files: &[usize],
    quiet: bool,
    n: usize,
    out: &mut dyn Output,
) -> Outcome {
    #[cfg(unix)]
    if let Some(classic) = super::split::open(setup, files) {
        return super::split::parallel(setup, &classic, quiet, n, out);
    }
    std::thread::scope(|s| {
        let mut batches = Vec::new();
        let mut results: Vec<Receiver<Done>> = Vec::new();
        let (recycle, spent) = channel::<Batch>();
        for _ in 0..n {
            let (to_worker, from_reader) = sync_channel::<Batch>(4);
            let (to_merger, from_worker) = sync_channel::<Done>(4);
            batches.push(to_worker);
            results.push(from_worker);
            let recycle = recycle.clone();
            s.spawn(move || {
                let mut worker = Worker::new(setup);
                let mut last_ts = None;
                for b in from_reader {
                    last_ts = b.last.or(last_ts);
                    let data = &b.data;
                    for (at, ts, src, dst, proto, range) in &b.segments {
                        let seg = Segment {
                            ts: *ts,
                            src: *src,
                            dst: *dst,
                            proto: *proto,
                            payload: data.get(range.clone()).unwrap_or_default(),
                        };
                        worker.segment(*at, &seg);
                    }
                    let done = Done::Batch {
                        out: worker.take_out(),
                        flush: b.flush,
                        first: b.first,
                    };
                    let _ = recycle.send(b);
                    if to_merger.send(done).is_err() {
                        return;
                    }
                }
                let stats = worker.finish(last_ts.unwrap_or(0.0));
                let out = worker.take_out();
                let _ = to_merger.send(Done::End { out, stats });
            });
        }
        drop(recycle);
        let reader = s.spawn(move || {
            let mut outcome = Outcome {
                ok: true,
                ..Outcome::default()
            };
            let mut at = At {
                index: 0,
                frame: 0,
                file: 0,
            };
            let mut batcher = Batcher {
                to: &batches,
                spent: &spent,
                batches: (0..n).map(|_| Batch::default()).collect(),
                bytes: 0,
                segments: 0,
                at,
                first: None,
                last_ts: None,
                streaming: false,
                progress: Progress::new("-", quiet),
            };
            for &file in files {
                let path = setup.files.get(file).map_or("-", String::as_str);
                at.frame = 0;
                at.file = file;
                batcher.at = At {
                    index: batcher.at.index,
                    ..at
                };
                batcher.streaming = path == "-";
                batcher.progress = Progress::new(path, quiet);
                let result = capture::read(path, &mut batcher);
                outcome.ok &= account(&mut outcome.stats, result);
            }
            // The last batch, even if empty: it carries the capture's last packet time.
            batcher.send(true);
            outcome.last_ts = batcher.last_ts;
            outcome
        });
        let mut stats = Stats::default();
        let mut ended = false;
        while !ended {
            let mut outs = Vec::with_capacity(n);
            let mut flush = false;
            for from in &results {
                match from.recv() {
                    Ok(Done::Batch {
                        out: o,
                        flush: f,
                        first,
                    }) => {
                        if let (Some(ts), true) = (first, outs.is_empty()) {
                            out.first_packet(ts);
                        }
                        flush |= f;
                        outs.push(o);
                    }
                    Ok(Done::End { out: o, stats: s }) => {
                        stats.add(&s);
                        outs.push(o);
                        ended = true;
                    }
                    Err(_) => ended = true,
                }
            }
            merge(&outs, out);
            if flush {
                out.flush();
            }
        }
        let mut outcome = reader.join().unwrap_or_default();
        outcome.stats.add(&stats);
        out.flush();
        outcome
    })
}
