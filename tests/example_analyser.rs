//! `examples/analyser.rs`, the dissector embedded as a packet analyser would embed it, on the
//! shipped captures: its whole output, byte for byte (`tests/expected/analyser.txt`, checked
//! against `sockswire dissect` by hand: the same 23 SOCKS connections and transactions, and the
//! HTTP requests and responses in the tunnels that carry them).
#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::Command;

#[test]
fn example_analyser_on_the_samples() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // `cargo test` builds the examples beside the test binaries: target/<profile>/examples.
    let exe: PathBuf = std::env::current_exe()
        .unwrap()
        .parent()
        .and_then(Path::parent)
        .unwrap()
        .join("examples/analyser");
    assert!(exe.exists(), "{} not built", exe.display());
    let mut captures: Vec<PathBuf> = std::fs::read_dir(root.join("samples/pcap"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pcap"))
        .collect();
    captures.sort();
    let out = Command::new(&exe).args(&captures).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let expected = std::fs::read_to_string(root.join("tests/expected/analyser.txt")).unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
}
