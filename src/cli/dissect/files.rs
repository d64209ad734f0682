//! Several files at once, one worker each, their outputs written in the order the files
//! were given: the same bytes as one file after another.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};

use super::engine::{Outcome, Output, inline};
use super::worker::Setup;

/// A file's output on its way to the writing thread.
enum Msg {
    First(f64),
    Bytes(Vec<u8>),
    Flush,
    Done(Outcome),
}

struct Channel(SyncSender<Msg>);

impl Output for Channel {
    fn first_packet(&mut self, ts: f64) {
        let _ = self.0.send(Msg::First(ts));
    }
    fn bytes(&mut self, b: &[u8]) {
        let _ = self.0.send(Msg::Bytes(b.to_vec()));
    }
    fn flush(&mut self) {
        let _ = self.0.send(Msg::Flush);
    }
}

/// Every file on its own, `n` at a time, one worker each; the outputs are written in the
/// order of the files (a file's output waits, up to 64 MB, while an earlier one is read).
/// `header`: a `### FILE` line before each file's output.
pub fn files(setup: &Setup, quiet: bool, n: usize, header: bool, out: &mut dyn Output) -> Outcome {
    let count = setup.files.len();
    let next = AtomicUsize::new(0);
    let mut senders = Vec::with_capacity(count);
    let mut receivers = Vec::with_capacity(count);
    for _ in 0..count {
        // 64 KB messages: up to 64 MB per file.
        let (tx, rx) = sync_channel::<Msg>(1024);
        senders.push(Some(tx));
        receivers.push(rx);
    }
    let senders = Mutex::new(senders);
    let mut outcome = Outcome {
        ok: true,
        ..Outcome::default()
    };
    std::thread::scope(|s| {
        for _ in 0..n.min(count) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let tx = match senders.lock() {
                        Ok(mut v) => v.get_mut(i).and_then(Option::take),
                        Err(_) => None,
                    };
                    let Some(tx) = tx else {
                        return;
                    };
                    let mut channel = Channel(tx);
                    let o = inline(setup, &[i], quiet, &mut channel);
                    let _ = channel.0.send(Msg::Done(o));
                }
            });
        }
        for (i, rx) in receivers.iter().enumerate() {
            if header {
                let path = setup.files.get(i).map_or("-", String::as_str);
                out.bytes(format!("### {path}\n").as_bytes());
            }
            let mut done = false;
            for msg in rx {
                match msg {
                    Msg::First(ts) => out.first_packet(ts),
                    Msg::Bytes(b) => out.bytes(&b),
                    Msg::Flush => out.flush(),
                    Msg::Done(o) => {
                        outcome.stats.add(&o.stats);
                        outcome.ok &= o.ok;
                        outcome.last_ts = o.last_ts.or(outcome.last_ts);
                        done = true;
                        break;
                    }
                }
            }
            // A worker that panicked leaves its file unfinished.
            outcome.ok &= done;
        }
    });
    outcome
}
