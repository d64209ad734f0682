//! The shipped sample streams (`samples/streams/*.{c2s,s2c}.bin`) and a dissector run that
//! renders every event as text, shared by the dissector's test files.

#![allow(dead_code)]

use std::fs;
use std::path::Path;

use sockswire::dissect::{Direction, DissectOptions, Dissector};

/// Feeds `segments` in order, finishes both directions, and renders every event.
pub fn dissect(segments: &[(Direction, &[u8])], options: DissectOptions) -> Vec<String> {
    let mut d = Dissector::with_storage([0u8; 2048], [0u8; 2048], options);
    let mut out = Vec::new();
    for &(dir, bytes) in segments {
        let mut events = d.feed(dir, bytes);
        while let Some(e) = events.next() {
            out.push(format!("{} @{} {}", e.dir.short(), e.offset, e.kind));
        }
    }
    for dir in [Direction::ClientToServer, Direction::ServerToClient] {
        let mut events = d.finish(dir);
        while let Some(e) = events.next() {
            out.push(format!("{} @{} {}", e.dir.short(), e.offset, e.kind));
        }
    }
    out
}

/// The client and server bytes of sample `stem`.
pub fn sample(stem: &str) -> (Vec<u8>, Vec<u8>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/streams");
    (
        fs::read(dir.join(format!("{stem}.c2s.bin"))).unwrap(),
        fs::read(dir.join(format!("{stem}.s2c.bin"))).unwrap(),
    )
}

/// The stems of every TCP sample stream, sorted.
pub fn stems() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/streams");
    let mut stems: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.unwrap().file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".c2s.bin").map(str::to_string))
        .filter(|n| !n.contains(".udp"))
        .collect();
    stems.sort();
    stems
}
