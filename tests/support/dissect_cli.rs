//! Helpers for the `sockswire dissect` tests: running the binary, the samples, pcap records,
//! generated captures, and the Python with the PyPI checkers.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_sockswire");

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn sample(name: &str) -> PathBuf {
    root().join("samples/pcap").join(name)
}

pub fn samples() -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(root().join("samples/pcap"))
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

pub fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run sockswire")
}

pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sockswire-{name}-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    dir
}

/// The records (header and data) of a classic little-endian pcap: 24 header bytes, then each
/// packet with its 16-byte record header.
pub fn pcap_records(pcap: &[u8]) -> (Vec<u8>, Vec<Vec<u8>>) {
    let mut packets = Vec::new();
    let mut at = 24;
    while at + 16 <= pcap.len() {
        let len = u32::from_le_bytes(pcap[at + 8..at + 12].try_into().unwrap()) as usize;
        packets.push(pcap[at..at + 16 + len].to_vec());
        at += 16 + len;
    }
    assert_eq!(at, pcap.len());
    (pcap[..24].to_vec(), packets)
}

/// A JSON string or number field of one of our lines (flat objects, no escapes in these).
pub fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let pat = format!("\"{key}\":");
    let rest = &line[line.find(&pat)? + pat.len()..];
    match rest.strip_prefix('"') {
        Some(s) => s.split('"').next(),
        None => rest.split([',', '}']).next(),
    }
}

/// The Python with the PyPI checkers (`communityid`, `duckdb`): `SOCKSWIRE_PYTHON`, else the
/// venv .ci/run makes, else `python3`. `None` when `module` is missing: under `CI=true` that
/// fails the test; elsewhere it says SKIPPED.
pub fn python_with(module: &str) -> Option<PathBuf> {
    let venv = root().join("target/ci-venv/bin/python");
    let python = std::env::var_os("SOCKSWIRE_PYTHON")
        .map(PathBuf::from)
        .or_else(|| venv.exists().then_some(venv))
        .unwrap_or_else(|| PathBuf::from("python3"));
    let ok = Command::new(&python)
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(python);
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    assert!(
        !ci,
        "{}: no Python module {module} and CI=true: .ci/run must install it in its venv",
        python.display()
    );
    eprintln!("SKIPPED: Python module {module} missing (pip install {module}; .ci/run does)");
    None
}

/// One classic pcap holding the packets of all of `pcaps` (same link type), file after file.
pub fn concat(pcaps: &[PathBuf]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in pcaps {
        let (header, packets) = pcap_records(&fs::read(p).unwrap());
        if out.is_empty() {
            out = header;
        }
        out.extend(packets.concat());
    }
    out
}

pub fn classic_samples() -> Vec<PathBuf> {
    samples()
        .into_iter()
        .filter(|p| p.ends_with(".pcap"))
        .map(PathBuf::from)
        .collect()
}

/// `scripts/gen_capture.py` output of about `mb` MB (mixed SOCKS and HTTP, thousands of
/// segments), made once per test run.
pub fn generated(dir: &Path, mb: u32) -> PathBuf {
    let out = dir.join(format!("gen{mb}.pcap"));
    let status = Command::new("python3")
        .arg(root().join("scripts/gen_capture.py"))
        .arg(&out)
        .arg(mb.to_string())
        .stdout(Stdio::null())
        .status()
        .expect("python3 scripts/gen_capture.py");
    assert!(status.success());
    out
}
