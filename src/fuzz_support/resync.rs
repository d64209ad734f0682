//! Fuzz bodies for resynchronisation: [`crate::dissect::find_message`], and the dissector
//! joining a connection late and losing bytes inside the handshake.

use crate::Storage;
use crate::dissect::{Direction, DissectOptions, Dissector, EventKind, FindResult};

/// Fuzz body for [`crate::dissect::find_message`]: the first byte's low bit picks the
/// direction. Checks: a message found lies inside the input, and is found again, the same, at
/// the start of the bytes from its index; "need more" points inside the input.
pub fn find_message(data: &[u8]) -> Option<usize> {
    let (&d, bytes) = data.split_first()?;
    let dir = if d & 1 == 0 {
        Direction::ClientToServer
    } else {
        Direction::ServerToClient
    };
    match crate::dissect::find_message(dir, bytes) {
        FindResult::Found(f) => {
            assert!(f.index + f.len <= bytes.len(), "message past the input");
            assert!(f.len > 0, "an empty message");
            let again = crate::dissect::find_message(dir, &bytes[f.index..]);
            if f.index > 0 {
                let FindResult::Found(g) = again else {
                    panic!("not found again at its index: {again:?}")
                };
                assert_eq!((g.index, g.landmark, g.len), (0, f.landmark, f.len));
            }
            Some(f.index + f.len)
        }
        FindResult::NeedMore { index } => {
            assert!(index < bytes.len(), "need more past the input");
            None
        }
        FindResult::NotFound => None,
    }
}

/// Fuzz body for the dissector resynchronising: like `dissect`, two streams from the input
/// fed in chunks, with [`DissectOptions::mid_stream`] from the seed's top bit, 64-byte buffers,
/// and some chunks reported as gaps ([`Dissector::gap`]) instead of fed. Checks as `dissect`,
/// gaps counted in the stream lengths.
pub fn dissect_resync(data: &[u8]) -> Option<usize> {
    let seed = *data.get(2)?;
    let options = DissectOptions {
        mid_stream: seed & 0x80 != 0,
        ..DissectOptions::default()
    };
    drive(
        Dissector::with_storage([0u8; 64], [0u8; 64], options),
        data,
        true,
    )
}

/// Drives dissector `d` over `data`: the first two bytes say where it splits into a client and
/// a server stream, the third seeds the chunk sizes, the interleaving and (with `gaps`) which
/// chunks are lost. Checks: no panic; offsets never go backwards within a direction nor past
/// what was fed; both directions end exactly at their stream's length.
pub(super) fn drive<S: Storage>(mut d: Dissector<S>, data: &[u8], gaps: bool) -> Option<usize> {
    let &[a, b, seed, ref rest @ ..] = data else {
        return None;
    };
    let mut seed = seed;
    let cut = usize::from(u16::from_le_bytes([a, b])) % (rest.len() + 1);
    let (client, server) = rest.split_at(cut);
    let (mut fed, mut last) = ([0usize; 2], [0u64; 2]);
    let mut events = 0;
    let check = |dir: Direction, offset: u64, fed: &[usize; 2], last: &mut [u64; 2]| {
        let i = usize::from(dir == Direction::ServerToClient);
        assert!(offset >= last[i], "offsets go backwards");
        assert!(offset <= fed[i] as u64, "offset past the fed bytes");
        last[i] = offset;
    };
    while fed[0] < client.len() || fed[1] < server.len() {
        seed = seed.wrapping_mul(37).wrapping_add(11);
        let to_client = (seed & 1 == 0 && fed[0] < client.len()) || fed[1] >= server.len();
        let (dir, stream, i) = if to_client {
            (Direction::ClientToServer, client, 0)
        } else {
            (Direction::ServerToClient, server, 1)
        };
        let n = (1 + usize::from(seed >> 3)).min(stream.len() - fed[i]);
        let chunk = &stream[fed[i]..fed[i] + n];
        fed[i] += n;
        if gaps && seed & 0x06 == 0x06 {
            if let Some(e) = d.gap(dir, n as u64) {
                check(e.dir, e.offset, &fed, &mut last);
                events += 1;
            }
            continue;
        }
        let mut ev = d.feed(dir, chunk);
        while let Some(e) = ev.next() {
            check(e.dir, e.offset, &fed, &mut last);
            events += 1;
        }
    }
    for (dir, len) in [
        (Direction::ClientToServer, client.len()),
        (Direction::ServerToClient, server.len()),
    ] {
        let mut ended = false;
        let mut ev = d.finish(dir);
        while let Some(e) = ev.next() {
            check(e.dir, e.offset, &fed, &mut last);
            if let EventKind::End { .. } = e.kind {
                assert_eq!(e.offset, len as u64, "the direction ends at its length");
                ended = true;
            }
            events += 1;
        }
        assert!(ended, "finish reports the end");
    }
    Some(events)
}
