//! Proof 3 of the drop-in: the facade has every public item of tor-socksproto 0.47.0.
//!
//! `api/tor-socksproto-0.47.0.txt` lists 0.47's public items (re-exports, types, variants,
//! public fields, methods with their signatures, trait impls, derives), one normalised line
//! each. It was made by `api/extract_items.py` from the published crate's source in the cargo
//! registry (`~/.cargo/registry/src/*/tor-socksproto-0.47.0/src`, present because the oracle
//! `real` is a dev-dependency); this test re-runs that extraction and fails if 0.47's items
//! changed. Then every item must be declared in the facade's source with the same signature
//! (the same extractor over `src/`) and must have its compiled check in
//! `tests/api_surface.rs`, where it is used through the facade with 0.47's exact signature.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn here() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn checked_in() -> BTreeSet<String> {
    let text = std::fs::read_to_string(here().join("api/tor-socksproto-0.47.0.txt"))
        .expect("the checked-in item list");
    text.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false")
}

/// Skips (printing SKIPPED) outside CI, fails in CI.
fn missing_tool(what: &str) {
    assert!(!in_ci(), "required in CI: {what}");
    eprintln!("SKIPPED: {what}");
}

/// Runs the extractor over a source directory.
fn extract(src: &Path) -> Option<BTreeSet<String>> {
    let out = Command::new("python3")
        .arg(here().join("api/extract_items.py"))
        .arg(src)
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    Some(text.lines().map(str::to_string).collect())
}

/// The published 0.47.0 source in the cargo registry.
fn registry_source() -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))?;
    std::fs::read_dir(home.join("registry/src"))
        .ok()?
        .flatten()
        .map(|index| index.path().join("tor-socksproto-0.47.0/src"))
        .find(|p| p.join("lib.rs").is_file())
}

/// Items of `list` that `have` lacks.
fn missing(list: &BTreeSet<String>, have: &BTreeSet<String>) -> Vec<String> {
    list.difference(have).cloned().collect()
}

#[test]
fn item_list_is_tor_socksproto_0_47s() {
    let Some(src) = registry_source() else {
        return missing_tool("tor-socksproto 0.47.0's source in the cargo registry");
    };
    let Some(items) = extract(&src) else {
        return missing_tool("python3");
    };
    let list = checked_in();
    assert!(list.len() > 200, "{} items", list.len());
    assert_eq!(
        (missing(&items, &list), missing(&list, &items)),
        (vec![], vec![]),
        "(in 0.47 but not in the list, in the list but not in 0.47): regenerate the list"
    );
}

#[test]
fn facade_source_declares_every_item() {
    let Some(ours) = extract(&here().join("src")) else {
        return missing_tool("python3");
    };
    let lacking = missing(&checked_in(), &ours);
    assert!(lacking.is_empty(), "the facade lacks: {lacking:#?}");
}

#[test]
fn every_item_has_a_compiled_check() {
    let surface = std::fs::read_to_string(here().join("tests/api_surface.rs")).expect("read");
    let tagged: BTreeSet<String> = surface
        .lines()
        .filter_map(|l| l.trim().strip_prefix("// api: "))
        .map(str::to_string)
        .collect();
    let list = checked_in();
    assert_eq!(
        missing(&list, &tagged),
        Vec::<String>::new(),
        "items without a check"
    );
    assert_eq!(
        missing(&tagged, &list),
        Vec::<String>::new(),
        "checks of no listed item"
    );
}

/// Not vacuous: an item the facade lacks is reported, with its signature.
#[test]
fn a_lacking_item_is_reported() {
    let Some(ours) = extract(&here().join("src")) else {
        return missing_tool("python3");
    };
    let mut list = checked_in();
    let changed = "fn SocksRequest::port(&self) -> u32".to_string();
    let new = "fn SocksRequest::isolation(&self) -> &[u8]".to_string();
    list.insert(changed.clone());
    list.insert(new.clone());
    assert_eq!(missing(&list, &ours), vec![new, changed]);
}
