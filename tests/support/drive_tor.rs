//! Drives a tor-socksproto 0.47 handshake over an in-memory peer, in chunks, in either read
//! mode: the oracle's twin of `drive.rs`, with the same loop, so runs of both compare step
//! for step.

#![allow(dead_code)]

use tor_socksproto::{Buffer, Error, Handshake, NextStep, ReadPrecision};

/// What a driven tor-socksproto handshake did.
#[derive(Debug)]
pub struct TorRun<O> {
    /// Every byte the handshake sent.
    pub sent: Vec<u8>,
    /// Every step's kind, in order: 'S' send, 'R' recv, 'F' finished.
    pub steps: String,
    pub end: TorEnd<O>,
    /// How many bytes past the handshake were already in the buffer when it finished (always
    /// 0 with precise reads).
    pub read_ahead: usize,
}

#[derive(Debug)]
pub enum TorEnd<O> {
    /// Finished: the output (made comparable by the caller's closure) and the bytes left
    /// after it.
    Finished(O, Vec<u8>),
    /// Wanted more bytes than the peer has.
    NeedMore,
    Error(Error),
}

/// Feeds `input` to `hs`, at most `chunk` bytes per read.
pub fn drive_tor<H, P, O>(
    hs: &mut H,
    buf: &mut Buffer<P>,
    mut input: &[u8],
    chunk: usize,
    own: impl FnOnce(H::Output) -> O,
) -> TorRun<O>
where
    H: Handshake,
    P: ReadPrecision,
{
    let mut sent = Vec::new();
    let mut steps = String::new();
    for _ in 0..100_000 {
        match hs.step(buf) {
            Ok(NextStep::Send(bytes)) => {
                steps.push('S');
                sent.extend_from_slice(&bytes);
            }
            Ok(NextStep::Recv(mut recv)) => {
                steps.push('R');
                if input.is_empty() {
                    return TorRun {
                        sent,
                        steps,
                        end: TorEnd::NeedMore,
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
                return TorRun {
                    sent,
                    steps,
                    end: TorEnd::Finished(own(out), rest),
                    read_ahead,
                };
            }
            Err(e) => {
                return TorRun {
                    sent,
                    steps,
                    end: TorEnd::Error(e),
                    read_ahead: 0,
                };
            }
        }
    }
    panic!("tor-socksproto handshake did not end in 100000 steps");
}
