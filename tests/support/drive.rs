//! Drives a handshake over an in-memory peer, in chunks, in either read mode.

#![allow(dead_code)]

use sockswire::{Buffer, Error, Handshake, NextStep, PreciseReads, ReadPrecision, Storage};

/// What a driven handshake did.
#[derive(Debug)]
pub struct Run<O> {
    /// Every byte the handshake sent.
    pub sent: Vec<u8>,
    /// Every step's kind, in order: 'S' send, 'R' recv, 'F' finished.
    pub steps: String,
    pub end: End<O>,
    /// How many bytes past the handshake were already in the buffer when it finished (always
    /// 0 with precise reads).
    pub read_ahead: usize,
}

#[derive(Debug)]
pub enum End<O> {
    /// Finished: the output (made owned by the caller's closure) and the bytes left after it.
    Finished(O, Vec<u8>),
    /// Wanted more bytes than the peer has.
    NeedMore,
    Error(Error),
}

/// Feeds `input` to `hs`, at most `chunk` bytes per read. `own` turns the borrowed output into
/// something the test can keep.
pub fn drive<H, P, S, O>(
    hs: &mut H,
    buf: &mut Buffer<P, S>,
    mut input: &[u8],
    chunk: usize,
    own: impl for<'b> Fn(H::Output<'b>) -> O,
) -> Run<O>
where
    H: Handshake,
    P: ReadPrecision,
    S: Storage,
{
    let mut sent = Vec::new();
    let mut steps = String::new();
    for _ in 0..100_000 {
        match hs.step(buf) {
            Ok(NextStep::Send(bytes)) => {
                steps.push('S');
                sent.extend_from_slice(bytes);
            }
            Ok(NextStep::Recv(mut recv)) => {
                steps.push('R');
                if input.is_empty() {
                    return Run {
                        sent,
                        steps,
                        end: End::NeedMore,
                        read_ahead: 0,
                    };
                }
                let dst = recv.buf();
                assert!(!dst.is_empty(), "Recv with no room");
                let n = dst.len().min(chunk).min(input.len());
                dst[..n].copy_from_slice(&input[..n]);
                input = &input[n..];
                recv.note_received(n).expect("note_received");
            }
            Ok(NextStep::Finished(done)) => {
                steps.push('F');
                let (out, rest) = done.into_output_and_slice();
                let read_ahead = rest.len();
                let mut rest = rest.to_vec();
                rest.extend_from_slice(input);
                return Run {
                    sent,
                    steps,
                    end: End::Finished(own(out), rest),
                    read_ahead,
                };
            }
            Err(e) => {
                return Run {
                    sent,
                    steps,
                    end: End::Error(e),
                    read_ahead: 0,
                };
            }
        }
    }
    panic!("handshake did not end in 100000 steps");
}

/// A precise buffer, for symmetry with `Buffer::new()`.
pub fn precise() -> Buffer<PreciseReads> {
    Buffer::new_precise()
}
