//! Replays the committed inputs of the C API's fuzz targets on stable: every file in
//! `fuzz/seeds/ffi_<name>/` and `fuzz/regressions/ffi_<name>/` goes through
//! `sockswire_ffi::fuzz_support::ffi_<name>`, the body `cargo fuzz run ffi_<name>` runs. A
//! panic is a failure. (The root crate's `tests/fuzz_corpus.rs` leaves `ffi_*` to this file.)
#![allow(clippy::unwrap_used)]

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use sockswire_ffi::fuzz_support as fs_;

type Body = fn(&[u8]) -> Option<usize>;

const BODIES: &[(&str, Body)] = &[
    ("ffi_dissector_feed", fs_::ffi_dissector_feed),
    ("ffi_probe", fs_::ffi_probe),
    ("ffi_parse_message", fs_::ffi_parse_message),
    ("ffi_code_name", fs_::ffi_code_name),
];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

#[test]
fn ffi_seeds_and_regressions_replay_without_panics() {
    for &(name, body) in BODIES {
        let seeds = files(&fuzz_dir().join("seeds").join(name));
        assert!(!seeds.is_empty(), "no fuzz/seeds/{name}/");
        let regressions = files(&fuzz_dir().join("regressions").join(name));
        let mut accepted = 0;
        for file in seeds.iter().chain(&regressions) {
            let data = fs::read(file).unwrap();
            match catch_unwind(AssertUnwindSafe(|| body(&data))) {
                Ok(Some(_)) => accepted += 1,
                Ok(None) => {}
                Err(_) => panic!("{}: panicked", file.display()),
            }
        }
        assert!(
            accepted > 0,
            "no seed of {name} gets past the first decision"
        );
    }
}

#[test]
fn every_ffi_body_has_a_registered_fuzz_target() {
    let manifest = fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
    for &(name, _) in BODIES {
        let target = fuzz_dir().join("fuzz_targets").join(format!("{name}.rs"));
        let src = fs::read_to_string(&target).unwrap();
        assert!(
            src.contains(&format!("fuzz_support::{name}(")),
            "{}",
            target.display()
        );
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "{name} not in fuzz/Cargo.toml"
        );
    }
}
