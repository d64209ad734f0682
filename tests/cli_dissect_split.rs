//! `sockswire dissect --workers N` on classic pcap files, which its workers read in 256 KB
//! chunks among themselves (src/cli/dissect/split.rs): records cut by a chunk's end, records
//! larger than a chunk, a file cut short and a record too large to be one give the same
//! output, the same error and the same exit status as one worker reading with pcap-parser.
#![cfg(feature = "cli")]

use std::fs;
use std::path::Path;

#[path = "support/dissect_cli.rs"]
mod dissect_cli;
use dissect_cli::*;

/// A pcap record of `len` bytes that is not IP (an unknown ethertype): framed, not decoded.
fn filler_record(len: usize, ts: u32) -> Vec<u8> {
    let mut r = Vec::with_capacity(16 + len);
    for w in [ts, 0, len as u32, len as u32] {
        r.extend_from_slice(&w.to_le_bytes());
    }
    let mut frame = vec![0u8; len];
    frame[12] = 0x99;
    frame[13] = 0x99;
    r.extend_from_slice(&frame);
    r
}

/// Runs `dissect --quiet ARGS --workers W FILES` for W = 1, 2, 3 and 7: the same stdout,
/// stderr and exit status. Returns what one worker wrote.
fn same_for_any_workers(args: &[&str], files: &[&Path]) -> std::process::Output {
    let mut base: Option<std::process::Output> = None;
    for workers in ["1", "2", "3", "7"] {
        let mut all = vec!["dissect", "--quiet", "--workers", workers];
        all.extend(args);
        all.extend(files.iter().map(|p| p.to_str().unwrap()));
        let out = run(&all);
        match &base {
            None => base = Some(out),
            Some(b) => {
                assert!(
                    b.stdout == out.stdout,
                    "stdout: --workers {workers} {args:?}"
                );
                assert_eq!(
                    String::from_utf8_lossy(&b.stderr),
                    String::from_utf8_lossy(&out.stderr),
                    "--workers {workers} {args:?}"
                );
                assert_eq!(b.status.code(), out.status.code(), "{workers} {args:?}");
            }
        }
    }
    base.unwrap()
}

#[test]
fn dissect_split_frames_records_larger_than_a_chunk() {
    // Every classic sample's packets, with records of 300 KB, 700 KB and 1.5 MB (over one,
    // two and five chunk ends; one worker's reader grows its 1 MB buffer for the last) and
    // many of 40 KB (cut by chunk ends at every offset) between them.
    let dir = temp_dir("split-large");
    let (header, packets) = pcap_records(&concat(&classic_samples()));
    let mut pcap = header;
    for (i, p) in packets.iter().enumerate() {
        pcap.extend_from_slice(p);
        let ts = u32::from_le_bytes(p[..4].try_into().unwrap());
        match i % 40 {
            7 => pcap.extend(filler_record(300_000, ts)),
            23 if i < 40 => pcap.extend(filler_record(1_500_000, ts)),
            23 => pcap.extend(filler_record(700_000, ts)),
            _ => pcap.extend(filler_record(40_000 + 13 * i, ts)),
        }
    }
    assert!(pcap.len() > 4 << 20, "{}", pcap.len());
    let path = dir.join("large-records.pcap");
    fs::write(&path, &pcap).unwrap();
    for format in [&[][..], &["--json"], &["--zeek"]] {
        let out = same_for_any_workers(format, &[&path]);
        assert!(out.status.success());
        assert!(out.stdout.len() > 1000, "{format:?}");
    }
    // The same packets as two rotated files, one cut inside a 700 KB record's place.
    let (a, b) = (dir.join("part0.pcap"), dir.join("part1.pcap"));
    let (header, records) = pcap_records(&pcap);
    let half = records.len() / 2;
    fs::write(&a, [header.clone(), records[..half].concat()].concat()).unwrap();
    fs::write(&b, [header, records[half..].concat()].concat()).unwrap();
    let joined = same_for_any_workers(&["--json", "--continue-flows"], &[&a, &b]);
    let whole = run(&["dissect", "--quiet", "--json", path.to_str().unwrap()]);
    let lines = |o: &[u8]| String::from_utf8_lossy(o).lines().count();
    assert_eq!(lines(&joined.stdout), lines(&whole.stdout));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn dissect_split_reports_a_cut_file_as_one_worker_does() {
    let dir = temp_dir("split-cut");
    let generated = fs::read(generated(&dir, 2)).unwrap();
    // Cut inside a record's data, and inside a record's header, past the first chunk.
    let (_, records) = pcap_records(&generated);
    let mut at = 24;
    let mut cuts = Vec::new();
    for r in &records {
        if at > 600_000 && cuts.len() < 2 {
            cuts.push(if cuts.is_empty() {
                at + 16 + 10
            } else {
                at + 9
            });
        }
        at += r.len();
    }
    for (i, cut) in cuts.into_iter().enumerate() {
        let path = dir.join(format!("cut{i}.pcap"));
        fs::write(&path, &generated[..cut]).unwrap();
        let out = same_for_any_workers(&["--zeek"], &[&path]);
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("truncated after "), "{stderr}");
        assert!(out.stdout.len() > 1000);
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn dissect_split_stops_at_a_record_too_large_to_be_one() {
    // A record header claiming 2 GB: the packets before it dissected, the file reported as
    // one worker's reader reports it.
    let dir = temp_dir("split-huge");
    let (header, packets) = pcap_records(&concat(&classic_samples()));
    let mut pcap = header;
    let half = packets.len() / 2;
    pcap.extend(packets[..half].concat());
    pcap.extend(filler_record(300_000, 1));
    pcap.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0x80]);
    pcap.extend(packets[half..].concat());
    let path = dir.join("huge.pcap");
    fs::write(&path, &pcap).unwrap();
    let out = same_for_any_workers(&["--json"], &[&path]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("huge.pcap: a block larger than 67108864 bytes"),
        "{stderr}"
    );
    assert!(!out.stdout.is_empty());
    let _ = fs::remove_dir_all(&dir);
}
