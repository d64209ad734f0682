//! `sockswire dissect --parquet DIR` read back with DuckDB (PyPI `duckdb`, through
//! tests/support/parquet_check.py): the socks table holds the Zeek log's rows and the events
//! table the JSON events, value for value, on the samples and a generated capture; shards
//! queried together equal one run over all their files.
#![cfg(feature = "parquet")]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/dissect_cli.rs"]
mod dissect_cli;
use dissect_cli::*;

/// `sockswire dissect ARGS FILES` into a file, which it returns.
fn to_file(dir: &Path, name: &str, args: &[&str], files: &[String]) -> PathBuf {
    let mut all = vec!["dissect", "--quiet"];
    all.extend(args);
    all.extend(files.iter().map(String::as_str));
    let out = run(&all);
    assert!(
        out.status.success(),
        "{all:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = dir.join(name);
    fs::write(&path, out.stdout).unwrap();
    path
}

fn parquet(dir: &Path, name: &str, workers: &str, files: &[String]) -> PathBuf {
    let out = dir.join(name);
    to_file(
        dir,
        "stdout",
        &["--workers", workers, "--parquet", out.to_str().unwrap()],
        files,
    );
    assert!(
        fs::read(dir.join("stdout")).unwrap().is_empty(),
        "--parquet writes no stdout"
    );
    out
}

fn check(python: &Path, args: &[&Path]) -> String {
    let out = Command::new(python)
        .arg(root().join("tests/support/parquet_check.py"))
        .args(args)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    report
}

#[test]
fn dissect_parquet_tables_equal_the_zeek_and_json_outputs() {
    let Some(python) = python_with("duckdb") else {
        return;
    };
    let dir = temp_dir("parquet");
    let generated = generated(&dir, 2).to_string_lossy().into_owned();
    // Socks rows: the samples' 23 transactions and the pcapng copy of one; the generated
    // capture's 17.
    for (name, files, workers, rows) in [
        ("samples", samples(), "2", 24),
        ("generated", vec![generated.clone()], "2", 17),
        ("generated1", vec![generated], "1", 17),
    ] {
        let tables = parquet(&dir, name, workers, &files);
        let zeek = to_file(&dir, "zeek.log", &["--zeek"], &files);
        let json = to_file(&dir, "events.json", &["--json"], &files);
        let report = check(&python, &[Path::new("rows"), &tables, &zeek, &json]);
        let socks: usize = report.split(' ').nth(1).unwrap().parse().unwrap();
        assert_eq!(socks, rows, "{name}: {report}");
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn dissect_parquet_shards_queried_together_equal_one_run() {
    let Some(python) = python_with("duckdb") else {
        return;
    };
    let dir = temp_dir("parquet-shards");
    let files = samples();
    let (a, b) = files.split_at(files.len() / 2);
    let one = parquet(&dir, "one", "2", &files);
    let shard_a = parquet(&dir, "shard-a", "1", a);
    let shard_b = parquet(&dir, "shard-b", "2", b);
    let report = check(&python, &[Path::new("shards"), &one, &shard_a, &shard_b]);
    assert!(
        report.contains("socks: 24 rows, the same from 2 shards"),
        "{report}"
    );
    let _ = fs::remove_dir_all(&dir);
}
