//! `sockswire dissect` at scale: captures from stdin as they come, the same bytes for any
//! `--workers`, Community IDs checked against the reference implementation, flows continued
//! across rotated files, and a damaged file in a batch.
#![cfg(feature = "cli")]

use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

#[path = "support/dissect_cli.rs"]
mod dissect_cli;
use dissect_cli::*;

#[test]
fn dissect_reads_stdin_as_it_comes() {
    // A SOCKS4 CONNECT: its request is the 4th packet. With the first four packets written
    // and stdin still open, the request's JSON line must come out; only then is the rest
    // written.
    let path = sample("socks4_connect_curl_dante.pcap");
    let (header, packets) = pcap_records(&fs::read(&path).unwrap());
    let from_file = run(&["dissect", "--quiet", "--json", path.to_str().unwrap()]);
    let want = String::from_utf8(from_file.stdout)
        .unwrap()
        .replace(path.to_str().unwrap(), "-");
    for workers in ["1", "2"] {
        let mut child = Command::new(BIN)
            .args(["dissect", "--quiet", "--json", "--workers", workers, "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let lines = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let _ = tx.send(line.unwrap());
            }
        });
        stdin.write_all(&header).unwrap();
        for p in &packets[..4] {
            stdin.write_all(p).unwrap();
        }
        stdin.flush().unwrap();
        let first = rx.recv_timeout(Duration::from_secs(30));
        let first = first.unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("--workers {workers}: no output while stdin stays open")
        });
        assert!(
            first.contains("\"event\":\"socks4_request\"") && first.contains("\"frame\":4"),
            "{first}"
        );
        assert!(first.contains("\"pcap_file\":\"-\""), "{first}");
        for p in &packets[4..] {
            stdin.write_all(p).unwrap();
        }
        drop(stdin);
        assert!(child.wait().unwrap().success());
        lines.join().unwrap();
        let mut all = vec![first];
        all.extend(rx.try_iter());
        assert_eq!(all.join("\n") + "\n", want, "--workers {workers}");
    }
}

#[test]
fn dissect_reads_pcapng_from_stdin() {
    let path = sample("socks5_connect_domain_curl_dante.pcapng");
    let mut child = Command::new(BIN)
        .args(["dissect", "--quiet", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // A byte at a time: the section header arrives in pieces.
    let mut stdin = child.stdin.take().unwrap();
    for b in fs::read(&path).unwrap() {
        stdin.write_all(&[b]).unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let from_file = run(&["dissect", "--quiet", path.to_str().unwrap()]);
    assert!(!out.stdout.is_empty());
    assert_eq!(out.stdout, from_file.stdout);
}

#[test]
fn dissect_community_id_matches_the_reference_implementation() {
    let Some(python) = python_with("communityid") else {
        return;
    };
    let mut args = vec!["dissect", "--quiet", "--json"];
    let files = samples();
    args.extend(files.iter().map(String::as_str));
    let json = String::from_utf8(run(&args).stdout).unwrap();
    let mut flows = std::collections::BTreeSet::new();
    for line in json.lines() {
        let id = field(line, "community_id").expect(line);
        if field(line, "event") == Some("udp_datagram") {
            let split = |s: &str| {
                let (ip, port) = s.rsplit_once(':').unwrap();
                format!("{} {port}", ip.trim_matches(['[', ']']))
            };
            let (from, to) = (field(line, "from").unwrap(), field(line, "to").unwrap());
            flows.insert(format!("udp {} {} {id}", split(from), split(to)));
        } else {
            let f = |k| field(line, k).unwrap();
            flows.insert(format!(
                "tcp {} {} {} {} {id}",
                f("client"),
                f("client_port"),
                f("server"),
                f("server_port")
            ));
        }
    }
    // Every SOCKS connection of the samples (23) and both directions of the UDP relay.
    assert!(flows.len() >= 25, "{flows:?}");
    assert!(flows.iter().any(|f| f.starts_with("udp ")), "{flows:?}");
    let mut child = Command::new(python)
        .arg(root().join("tests/support/community_id_check.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let input: String = flows.iter().map(|f| format!("{f}\n")).collect();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}");
    assert_eq!(report.trim(), format!("checked {}", flows.len()));
}

#[test]
fn dissect_workers_write_the_same_bytes() {
    let dir = temp_dir("workers");
    // One capture with every sample's connections (the UDP association's datagrams
    // included), and a generated one of 9 MB with a hundred connections (36 of the 256 KB
    // chunks the workers read a classic pcap in, so packets cut by a chunk's end too; records
    // longer than a chunk: tests/cli_dissect_split.rs).
    let all = dir.join("all.pcap");
    fs::write(&all, concat(&classic_samples())).unwrap();
    let generated = generated(&dir, 9);
    let many = samples();
    let cases: Vec<Vec<String>> = vec![
        vec![all.to_string_lossy().into_owned()],
        vec![generated.to_string_lossy().into_owned()],
        many,
    ];
    for files in &cases {
        for format in ["--summary", "--json", "--zeek"] {
            let mut base: Option<Vec<u8>> = None;
            for workers in ["1", "2", "3", "7"] {
                let mut args = vec!["dissect", "--quiet", "--workers", workers];
                if format != "--summary" {
                    args.push(format);
                }
                args.extend(files.iter().map(String::as_str));
                let out = run(&args);
                assert!(out.status.success());
                assert!(out.stdout.len() > 1000, "{args:?}");
                match &base {
                    None => base = Some(out.stdout),
                    Some(b) => assert!(
                        *b == out.stdout,
                        "{format} --workers {workers} differs from --workers 1 on {} file(s)",
                        files.len()
                    ),
                }
            }
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

/// The UDP ASSOCIATE sample's conversation `copies` times, every copy announcing the same
/// relay: copy k's TCP client port moved up by k (its UDP datagrams unchanged). One after the
/// other (each copy 10 s after the previous), or interleaved packet by packet (all open at
/// once). Made from samples/pcap/socks5_udp_associate_python_dante.pcap (Ethernet, IPv4).
fn relay_reused(copies: u16, interleaved: bool) -> Vec<u8> {
    let pcap = fs::read(sample("socks5_udp_associate_python_dante.pcap")).unwrap();
    let (header, packets) = pcap_records(&pcap);
    assert_eq!(u32::from_le_bytes(header[20..24].try_into().unwrap()), 1);
    let copy = |k: u16, record: &[u8]| {
        let mut r = record.to_vec();
        let ts = u32::from_le_bytes(r[..4].try_into().unwrap());
        let shift = if interleaved { 0 } else { 10 * u32::from(k) };
        r[..4].copy_from_slice(&(ts + shift).to_le_bytes());
        let ip = 16 + 14;
        let l4 = ip + usize::from(r[ip] & 0x0F) * 4;
        if r[ip + 9] == 6 {
            for at in [l4, l4 + 2] {
                let port = u16::from_be_bytes([r[at], r[at + 1]]);
                if port != 11080 {
                    r[at..at + 2].copy_from_slice(&(port + k).to_be_bytes());
                }
            }
        }
        r
    };
    let mut out = header;
    if interleaved {
        for p in &packets {
            for k in 0..copies {
                out.extend(copy(k, p));
            }
        }
    } else {
        for k in 0..copies {
            for p in &packets {
                out.extend(copy(k, p));
            }
        }
    }
    out
}

/// Blocks of a summary: each conversation's uid with its `udp` lines counted.
fn udp_lines_per_block(summary: &str) -> Vec<usize> {
    let mut blocks = Vec::new();
    for line in summary.lines() {
        if line.starts_with("== ") {
            assert!(
                !line.contains(" udp "),
                "a datagram outside its block: {line}"
            );
            blocks.push(0);
        } else if line.starts_with("  udp ") {
            *blocks.last_mut().unwrap() += 1;
        }
    }
    blocks
}

#[test]
fn dissect_udp_relay_announced_twice_is_the_same_for_any_workers() {
    // Before: every worker kept each relay it saw announced for good, and one worker let the
    // latest announcement take it over; so with several workers a closed association still
    // claimed datagrams of a later one that reused its relay ("== uid udp ..." lines, one
    // block short), unlike with one. Now an association's claim ends with its connection, and
    // associations open at once each get the datagrams.
    let dir = temp_dir("relay-reused");
    for (interleaved, per_block) in [(false, 4), (true, 4 * 6)] {
        let path = dir.join(format!("relay-{interleaved}.pcap"));
        fs::write(&path, relay_reused(6, interleaved)).unwrap();
        let path = path.to_str().unwrap();
        for format in ["--summary", "--json"] {
            let mut base: Option<Vec<u8>> = None;
            for workers in ["1", "2", "3", "7"] {
                let mut args = vec!["dissect", "--quiet", "--workers", workers, path];
                if format != "--summary" {
                    args.push(format);
                }
                let out = run(&args);
                assert!(out.status.success());
                match &base {
                    None => base = Some(out.stdout),
                    Some(b) => assert!(
                        *b == out.stdout,
                        "{format} --workers {workers} differs from --workers 1 ({path})\n{}",
                        String::from_utf8_lossy(&out.stdout)
                    ),
                }
            }
            let out = String::from_utf8(base.unwrap()).unwrap();
            if format == "--summary" {
                assert_eq!(udp_lines_per_block(&out), [per_block; 6], "{out}");
            } else {
                let datagrams = out
                    .lines()
                    .filter(|l| field(l, "event") == Some("udp_datagram"))
                    .count();
                assert_eq!(datagrams, 6 * per_block, "{out}");
            }
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

/// Zeek rows without their last two columns (pcap_file, frame), sorted.
fn zeek_rows(out: &[u8]) -> Vec<String> {
    let mut rows: Vec<String> = String::from_utf8_lossy(out)
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.rsplitn(3, '\t').nth(2).unwrap().to_string())
        .collect();
    rows.sort();
    rows
}

#[test]
fn dissect_uids_are_the_same_in_any_shard() {
    // The samples dissected one file at a time, and all in one capture: the same rows, the
    // same uids and Community IDs.
    let dir = temp_dir("shards");
    let all = dir.join("all.pcap");
    fs::write(&all, concat(&classic_samples())).unwrap();
    let one = run(&["dissect", "--quiet", "--zeek", all.to_str().unwrap()]);
    let mut args = vec!["dissect", "--quiet", "--zeek", "--workers", "2"];
    let files: Vec<String> = classic_samples()
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    args.extend(files.iter().map(String::as_str));
    let shards = run(&args);
    let rows = zeek_rows(&one.stdout);
    assert_eq!(rows.len(), 23);
    assert_eq!(rows, zeek_rows(&shards.stdout));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn dissect_connection_reopened_on_the_same_ports() {
    // The SOCKS4 CONNECT sample (12 packets, both FINs at packet 11), then its HTTP response
    // (packet 9) sent again after the end, then the whole conversation again 10 s later on
    // the same ports. The late segment belongs to the ended connection and is ignored; the
    // second SYN opens a new one: two conversations, two rows, two uids, for any workers.
    // (An ended connection keeps only its key, its state freed: this pins that it is still
    // told apart from a new one.)
    let pcap = fs::read(sample("socks4_connect_curl_dante.pcap")).unwrap();
    let (header, packets) = pcap_records(&pcap);
    assert_eq!(packets.len(), 12);
    let later = |record: &[u8], by: u32| {
        let mut r = record.to_vec();
        let ts = u32::from_le_bytes(r[..4].try_into().unwrap());
        r[..4].copy_from_slice(&(ts + by).to_le_bytes());
        r
    };
    let mut capture = header;
    packets.iter().for_each(|p| capture.extend(p));
    capture.extend(later(&packets[8], 1));
    packets.iter().for_each(|p| capture.extend(later(p, 10)));
    let dir = temp_dir("reopened");
    let path = dir.join("reopened.pcap");
    fs::write(&path, &capture).unwrap();
    let path = path.to_str().unwrap();
    for workers in ["1", "2"] {
        let zeek = run(&["dissect", "--quiet", "--zeek", "--workers", workers, path]);
        assert!(zeek.status.success());
        let rows = zeek_rows(&zeek.stdout);
        assert_eq!(rows.len(), 2, "--workers {workers}: {rows:?}");
        let uid = |row: &String| row.split('\t').nth(1).unwrap().to_string();
        assert_ne!(uid(&rows[0]), uid(&rows[1]));
        // The two conversations read alike, line for line, but for their uids; nothing else.
        let summary = run(&["dissect", "--workers", workers, path]);
        let text = String::from_utf8(summary.stdout).unwrap();
        let blocks: Vec<&str> = text.split("== ").skip(1).collect();
        assert_eq!(blocks.len(), 2, "{text}");
        let body = |b: &str| b.split_once('\n').unwrap().1.to_string();
        assert_eq!(body(blocks[0]), body(blocks[1]), "{text}");
        assert!(body(blocks[0]).contains("SOCKS4 reply GRANTED"), "{text}");
        let stats = String::from_utf8(summary.stderr).unwrap();
        assert!(
            stats.contains(
                "TCP connections: 2 SOCKS (2 recognised on their first segment), 0 skipped"
            ),
            "{stats}"
        );
        let json = run(&["dissect", "--quiet", "--json", "--workers", workers, path]);
        let json = String::from_utf8(json.stdout).unwrap();
        let frames: Vec<&str> = json
            .lines()
            .filter(|l| l.contains("\"event\":\"socks4_request\""))
            .filter_map(|l| field(l, "frame"))
            .collect();
        // The requests: packet 4 of each copy (the second copy starts at frame 14).
        assert_eq!(frames, ["4", "17"], "{json}");
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn dissect_continue_flows_joins_a_connection_split_across_files() {
    // A SOCKS5 CONNECT split as a rotating tcpdump would: packets 1-7 (handshake, greeting,
    // method choice) in one file, the request, reply, payload and FIN in the next.
    let dir = temp_dir("continue");
    let whole = sample("socks5_connect_domain_curl_dante.pcap");
    let prefix = dir.join("part");
    let status = Command::new("python3")
        .arg(root().join("scripts/split_pcap.py"))
        .arg(&whole)
        .arg(&prefix)
        .arg("7")
        .status()
        .expect("python3 scripts/split_pcap.py");
    assert!(status.success());
    let (a, b) = (dir.join("part0.pcap"), dir.join("part1.pcap"));
    let (a, b, whole) = (
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        whole.to_str().unwrap(),
    );
    let one = run(&["dissect", "--quiet", whole]);
    let one_json = String::from_utf8(run(&["dissect", "--quiet", "--json", whole]).stdout).unwrap();
    for workers in ["1", "2"] {
        // Apart, the second file's connection starts mid-way: two conversations, the second
        // joined late and resynchronised on the request, never seeing the greeting.
        let apart = run(&["dissect", "--quiet", "--workers", workers, a, b]);
        let apart = String::from_utf8(apart.stdout).unwrap();
        assert_eq!(apart.matches("\n== ").count(), 2, "{apart}");
        assert!(
            apart.contains("\n== CVaop67owu70DZTZR1 127.0.0.1:55284 -> 127.0.0.1:11080\n  c2s @0     SOCKS5 request CONNECT localhost:18080\n"),
            "{apart}"
        );
        // Continued: the very same conversation as in the whole file.
        let args = [
            "dissect",
            "--quiet",
            "--continue-flows",
            "--workers",
            workers,
            a,
            b,
        ];
        let joined = run(&args);
        assert!(joined.status.success());
        assert_eq!(
            String::from_utf8(joined.stdout).unwrap(),
            String::from_utf8(one.stdout.clone()).unwrap()
        );
        // In JSON, each record names the file and the frame in it its packet came from.
        let mut json_args = args.to_vec();
        json_args.insert(2, "--json");
        let joined = String::from_utf8(run(&json_args).stdout).unwrap();
        let mut want = String::new();
        for line in one_json.lines() {
            let frame: u64 = field(line, "frame").unwrap().parse().unwrap();
            let (file, frame2) = if frame > 7 {
                (b, frame - 7)
            } else {
                (a, frame)
            };
            want += &line.replace(whole, file).replace(
                &format!("\"frame\":{frame},"),
                &format!("\"frame\":{frame2},"),
            );
            want.push('\n');
        }
        assert!(want.contains("part1.pcap\",\"frame\":1,"), "{want}");
        assert_eq!(joined, want, "--workers {workers}");
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn dissect_reports_a_damaged_file_and_goes_on() {
    let dir = temp_dir("damaged");
    let good1 = sample("socks4_connect_curl_dante.pcap");
    let good2 = sample("socks5_connect_ipv6_curl_dante.pcap");
    let ok = fs::read(sample("socks5_userpass_ok_curl_microsocks.pcap")).unwrap();
    let cut = dir.join("cut.pcap");
    fs::write(&cut, &ok[..ok.len() - 30]).unwrap();
    let garbage = dir.join("garbage.pcap");
    fs::write(&garbage, b"this is not a capture file at all").unwrap();
    let missing = dir.join("missing.pcap");
    let files = [&good1, &cut, &garbage, &missing, &good2].map(|p| p.to_str().unwrap());
    for workers in ["1", "2"] {
        for continued in [false, true] {
            let mut args = vec!["dissect", "--json", "--workers", workers];
            if continued {
                args.push("--continue-flows");
            }
            args.extend(files);
            let out = run(&args);
            let what = format!("--workers {workers}, continued {continued}");
            assert_eq!(out.status.code(), Some(1), "{what}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            for e in [
                "cut.pcap: truncated after",
                "garbage.pcap: not a pcap or pcapng file",
                "missing.pcap: No such file",
            ] {
                assert!(stderr.contains(e), "{what}: {e} not in {stderr}");
            }
            assert!(stderr.contains("5 files"), "{what}: {stderr}");
            // The good files' records are all there, and what the cut one held.
            let stdout = String::from_utf8(out.stdout).unwrap();
            for good in [&good1, &good2] {
                let alone = run(&["dissect", "--quiet", "--json", good.to_str().unwrap()]);
                let alone = String::from_utf8(alone.stdout).unwrap();
                assert!(!alone.is_empty() && stdout.contains(&alone), "{what}");
            }
            assert!(
                stdout.contains("\"event\":\"auth_request\"") && stdout.contains("cut.pcap"),
                "{what}"
            );
        }
    }
    let _ = fs::remove_dir_all(&dir);
}
