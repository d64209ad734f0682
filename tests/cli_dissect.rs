//! `sockswire dissect` on the shipped captures: expected outputs (summary, JSON, Zeek), pcapng
//! equal to pcap, clear errors for truncated and unreadable files, and a comparison with
//! tshark's SOCKS dissector where tshark is installed.
//!
//! Set `SOCKSWIRE_BLESS=1` to rewrite the expected files after a deliberate change, then read
//! the diff.
#![cfg(feature = "cli")]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_sockswire");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn captures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(root().join("samples/pcap"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("run sockswire")
}

fn expect(name: &str, actual: &str) {
    let path = root().join("tests/expected/dissect").join(name);
    if std::env::var_os("SOCKSWIRE_BLESS").is_some() {
        fs::write(&path, actual).unwrap();
        return;
    }
    let wanted = fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with SOCKSWIRE_BLESS=1)", path.display()));
    assert_eq!(actual, wanted, "{name} differs from the expected output");
}

#[test]
fn dissect_each_sample_capture_as_expected() {
    for pcap in captures() {
        let out = run(&["dissect", "--quiet", pcap.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{}: {}",
            pcap.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let name = format!("{}.txt", pcap.file_name().unwrap().to_string_lossy());
        expect(&name, &String::from_utf8(out.stdout).unwrap());
    }
}

#[test]
fn dissect_json_and_zeek_as_expected() {
    let files: Vec<String> = captures()
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pcap"))
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let mut args = vec!["dissect", "--quiet", "--json"];
    args.extend(files.iter().map(String::as_str));
    let json = String::from_utf8(run(&args).stdout).unwrap();
    // Every line is one JSON object with the conversation and the event.
    for line in json.lines() {
        assert!(
            line.starts_with("{\"ts\":") && line.ends_with('}'),
            "{line}"
        );
        assert!(
            line.contains("\"uid\":\"C") && line.contains("\"event\":"),
            "{line}"
        );
    }
    // One transaction object per SOCKS connection (23 in the samples).
    assert_eq!(json.matches("\"event\":\"transaction\"").count(), 23);
    expect("all.json", &json.replace(root().to_str().unwrap(), "."));
    args[2] = "--zeek";
    let zeek = String::from_utf8(run(&args).stdout).unwrap();
    assert!(zeek.starts_with("#separator \\x09\n"));
    // Zeek's #open and #close: the first and last packet's times (UTC), so the log is the
    // same on every run.
    let open = zeek.lines().find(|l| l.starts_with("#open\t")).unwrap();
    assert_eq!(open.len(), "#open\t2026-11-24-20-05-32".len(), "{open}");
    assert!(zeek.lines().last().unwrap().starts_with("#close\t2026-"));
    let rows: Vec<&str> = zeek.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(rows.len(), 23, "one row per transaction");
    for row in &rows {
        let fields: Vec<&str> = row.split('\t').collect();
        // Zeek's 16 socks.log columns, then community_id, pcap_file and frame.
        assert_eq!(fields.len(), 19, "{row}");
        assert!(
            fields[16].starts_with("1:") && fields[16].len() == 30,
            "{row}"
        );
        assert!(fields[17].ends_with(".pcap"), "{row}");
        assert!(fields[18].parse::<u64>().is_ok_and(|f| f >= 1), "{row}");
        // Zeek's uid shape: C and 17 base-62 characters.
        assert!(
            fields[1].len() == 18
                && fields[1].starts_with('C')
                && fields[1].chars().all(|c| c.is_ascii_alphanumeric()),
            "{row}"
        );
    }
    // SOCKS4a as Zeek logs it: the 0.0.0.x address in request.host, the name in request.name.
    assert!(
        rows.iter()
            .any(|r| r.contains("\t0.0.0.1\tlocalhost\t18080\t")),
        "{zeek}"
    );
    // The same uids on a second run, in every format.
    assert_eq!(String::from_utf8(run(&args).stdout).unwrap(), zeek);
    let summary =
        String::from_utf8(run(&["dissect", "--quiet", &files[0], &files[2]]).stdout).unwrap();
    for line in summary.lines().filter(|l| l.starts_with("== ")) {
        let uid = line.split(' ').nth(1).unwrap();
        assert!(
            zeek.contains(&format!("\t{uid}\t")),
            "{uid} not in the Zeek log"
        );
    }
    expect("all.zeek.log", &zeek.replace(root().to_str().unwrap(), "."));
}

#[test]
fn dissect_help_explains_the_outputs() {
    let out = run(&["dissect", "--help"]);
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for topic in [
        "--zeek",
        "--json",
        "skipped",
        "Run summary",
        "UIDs",
        "Exit status",
    ] {
        assert!(help.contains(topic), "{topic} missing from:\n{help}");
    }
}

#[test]
fn dissect_pcapng_equals_pcap() {
    let a = run(&[
        "dissect",
        "--quiet",
        "samples/pcap/socks5_connect_domain_curl_dante.pcap",
    ]);
    let b = run(&[
        "dissect",
        "--quiet",
        "samples/pcap/socks5_connect_domain_curl_dante.pcapng",
    ]);
    assert!(a.status.success() && b.status.success());
    assert!(!a.stdout.is_empty());
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn dissect_reports_truncated_and_unreadable_files() {
    let dir = std::env::temp_dir().join(format!("sockswire-cli-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let whole =
        fs::read(root().join("samples/pcap/socks5_userpass_ok_curl_microsocks.pcap")).unwrap();
    let cut = dir.join("cut.pcap");
    fs::write(&cut, &whole[..whole.len() - 30]).unwrap();
    let out = run(&["dissect", "--quiet", cut.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("truncated after") && stderr.contains("everything before it was decoded"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("username/password request, username \"alice\""),
        "{stdout}"
    );

    let garbage = dir.join("garbage.pcap");
    fs::write(&garbage, b"this is not a capture file at all").unwrap();
    let out = run(&["dissect", garbage.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a pcap or pcapng file"));

    let out = run(&["dissect", dir.join("missing.pcap").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("No such file"));

    let out = run(&["dissect"]);
    assert_eq!(out.status.code(), Some(2));
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn dissect_ports_option_reports_non_socks_traffic() {
    // By default a non-SOCKS connection is skipped, and says so, with the reason; the run
    // summary counts it.
    let plain = run(&["dissect", "samples/pcap/nonsocks_http_curl_tor.pcap"]);
    assert_eq!(
        String::from_utf8_lossy(&plain.stdout),
        "-- CToXtHcI3tatyJ1uQ1 127.0.0.1:45484 -> 127.0.0.1:19050: skipped, not SOCKS (first bytes 47 45 54 20 2f 20 48 54)\n"
    );
    let summary = String::from_utf8_lossy(&plain.stderr);
    assert!(
        summary.contains("TCP connections: 0 SOCKS (0 recognised on their first segment), 1 skipped (1 not SOCKS)"),
        "{summary}"
    );
    let out = run(&[
        "dissect",
        "--quiet",
        "--ports",
        "19050",
        "samples/pcap/nonsocks_http_curl_tor.pcap",
    ]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("anomaly: not SOCKS (first byte 0x47)"));
    let none = run(&[
        "dissect",
        "--quiet",
        "--ports",
        "1",
        "samples/pcap/socks5_connect_ipv4_curl_dante.pcap",
    ]);
    assert!(none.stdout.is_empty());
    let none = run(&[
        "dissect",
        "--ports",
        "1",
        "samples/pcap/socks5_connect_ipv4_curl_dante.pcap",
    ]);
    let summary = String::from_utf8_lossy(&none.stderr);
    assert!(
        summary.contains("0 skipped, 1 not looked at (outside --ports)"),
        "{summary}"
    );
}

/// A classic pcap without its first `drop` packets.
fn pcap_without_first(pcap: &[u8], drop: usize) -> Vec<u8> {
    let mut out = pcap[..24].to_vec();
    let mut at = 24;
    let mut n = 0;
    while at + 16 <= pcap.len() {
        let len = u32::from_le_bytes(pcap[at + 8..at + 12].try_into().unwrap()) as usize;
        if n >= drop {
            out.extend_from_slice(&pcap[at..at + 16 + len]);
        }
        at += 16 + len;
        n += 1;
    }
    out
}

#[test]
fn dissect_mid_stream_capture_finds_the_client() {
    // Without the three-way handshake and the client's greeting, the first payload seen is
    // the proxy's method choice (after its bare ACK): the probe says it flows from the
    // server, so the roles are the right way round.
    let whole = fs::read(root().join("samples/pcap/socks5_connect_ipv4_curl_dante.pcap")).unwrap();
    let dir = std::env::temp_dir().join(format!("sockswire-mid-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let cut = dir.join("mid.pcap");
    fs::write(&cut, pcap_without_first(&whole, 4)).unwrap();
    let out = run(&["dissect", "--quiet", cut.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut lines = stdout.lines();
    assert_eq!(
        lines.next(),
        Some("== CuwClzzCQ3xstg17b1 127.0.0.1:55278 -> 127.0.0.1:11080"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  s2c @0     SOCKS5 method choice NO_AUTH\n"),
        "{stdout}"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn dissect_capture_joined_after_the_method_choice_resynchronises() {
    // Without the handshake, the greeting and the method choice, the first payload seen is
    // the client's request: no first message, so the flow is dissected from the first message
    // `find_message` recognises, with a resynchronising dissector.
    let whole = fs::read(root().join("samples/pcap/socks5_connect_ipv4_curl_dante.pcap")).unwrap();
    let dir = std::env::temp_dir().join(format!("sockswire-late-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let cut = dir.join("late.pcap");
    fs::write(&cut, pcap_without_first(&whole, 7)).unwrap();
    let out = run(&["dissect", cut.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("  c2s @0     SOCKS5 request CONNECT 127.0.0.1:18080\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  s2c @0     SOCKS5 reply SUCCEEDED bound 127.0.0.1:54419\n"),
        "{stdout}"
    );
    let summary = String::from_utf8_lossy(&out.stderr);
    assert!(
        summary.contains(
            "TCP connections: 1 SOCKS (1 recognised on their first segment, 1 joined late and resynchronised), 0 skipped"
        ),
        "{summary}"
    );
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn dissect_run_summary_counts_every_connection() {
    let mut args = vec!["dissect".to_string()];
    args.extend(
        captures()
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "pcap"))
            .map(|p| p.to_string_lossy().into_owned()),
    );
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(&args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    // A header per file when there are several.
    assert_eq!(stdout.matches("\n### ").count() + 1, 25, "{stdout}");
    let summary = String::from_utf8_lossy(&out.stderr);
    // Every SOCKS connection of the samples is recognised on its first segment but the one
    // whose client writes its greeting a byte at a time; the two HTTP connections and BIND's
    // incoming data connection are not SOCKS.
    assert!(
        summary.starts_with("sockswire dissect: 25 files, 440 packets, "),
        "{summary}"
    );
    assert!(
        summary.contains(
            "TCP connections: 23 SOCKS (22 recognised on their first segment), 4 skipped (3 not SOCKS, 1 no payload)"
        ),
        "{summary}"
    );
    assert!(summary.contains("SOCKS5 UDP datagrams: 4"), "{summary}");
}

/// Field values per capture, as sets: field name -> sorted distinct values.
type Fields = BTreeMap<String, Vec<String>>;

const COMPARED: &[&str] = &[
    "version",
    "command",
    "dst",
    "dstV6",
    "remote_name",
    "v4a_dns_name",
    "username",
    "password",
    "auth_method",
    "auth_accepted_method",
    "results",
    "address_type",
    "port",
    "dstport",
];

fn add(fields: &mut Fields, key: &str, value: &str) {
    let v = fields.entry(key.to_string()).or_default();
    if !v.contains(&value.to_string()) {
        v.push(value.to_string());
        v.sort();
    }
}

/// Our fields, from --json (command compared by code, as tshark prints it).
fn ours(pcap: &str) -> Fields {
    let out = run(&["dissect", "--quiet", "--json", "--show-passwords", pcap]);
    let mut fields = Fields::new();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        for key in COMPARED {
            let json_key = if *key == "command" {
                "command_code"
            } else {
                key
            };
            let pat = format!("\"{json_key}\":");
            if let Some(at) = line.find(&pat) {
                let rest = &line[at + pat.len()..];
                let value: String = if let Some(s) = rest.strip_prefix('"') {
                    s.split('"').next().unwrap().to_string()
                } else if let Some(list) = rest.strip_prefix('[') {
                    for v in list.split(']').next().unwrap().split(',') {
                        add(&mut fields, key, v);
                    }
                    continue;
                } else {
                    rest.split([',', '}']).next().unwrap().to_string()
                };
                add(&mut fields, key, &value);
            }
        }
    }
    fields
}

/// tshark's fields for the same capture, decoding `port` as SOCKS.
fn tsharks(pcap: &str, port: u16) -> Fields {
    let mut args: Vec<String> = [
        "-r",
        pcap,
        "-d",
        &format!("tcp.port=={port},socks"),
        "-Y",
        "socks",
        "-T",
        "fields",
        "-E",
        "separator=\t",
        "-E",
        "aggregator=,",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for key in COMPARED {
        args.push("-e".into());
        args.push(format!("socks.{key}"));
    }
    let out = Command::new("tshark").args(&args).output().unwrap();
    let mut fields = Fields::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        for (key, value) in COMPARED.iter().zip(line.split('\t')) {
            for v in value.split(',').filter(|v| !v.is_empty()) {
                add(&mut fields, key, v);
            }
        }
    }
    fields
}

/// Whether `tool` runs. When it does not: under `CI=true` the test fails (a comparison that
/// passes because its tool is missing proves nothing); elsewhere it says SKIPPED on stderr.
fn tool_present(tool: &str) -> bool {
    let ok = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
        assert!(
            !ci,
            "{tool} is not installed and CI=true: .ci/run must install it (apt-get install tshark)"
        );
        eprintln!(
            "SKIPPED: {tool} is not installed (.ci/run installs it; CI=true makes this fail)"
        );
    }
    ok
}

#[test]
fn dissect_agrees_with_tshark_where_tshark_is_right() {
    if !tool_present("tshark") {
        return;
    }
    // Where tshark is wrong, and why; everything else must match field for field.
    let tshark_wrong: &[(&str, &str, &str)] = &[
        (
            "socks4",
            "dst",
            "Wireshark also shows VN CD DSTPORT (04 01 46 a0) read as an address, 4.1.70.160",
        ),
        (
            "socks5_bind",
            "version",
            "Wireshark dissects the tunnelled payload (\"hello\") as SOCKS",
        ),
        (
            "socks5_bind",
            "results",
            "Wireshark dissects the tunnelled payload as SOCKS",
        ),
        (
            "socks5_bind",
            "address_type",
            "Wireshark dissects the tunnelled payload as SOCKS",
        ),
        (
            "socks5_bind",
            "port",
            "Wireshark skips BIND's second reply (BND.PORT 38066)",
        ),
        (
            "socks5_bytewise",
            "*",
            "Wireshark does not reassemble messages split across segments",
        ),
        (
            "tor_resolve_error",
            "dst",
            "Wireshark does not decode C Tor's ATYP 0 reply address",
        ),
        (
            "tor_resolve_ptr_error",
            "dst",
            "Wireshark does not decode C Tor's ATYP 0 reply address",
        ),
    ];
    let mut compared = 0;
    let mut notes = Vec::new();
    let mut unexplained = Vec::new();
    for pcap in captures() {
        let name = pcap.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("nonsocks") || name.ends_with(".pcapng") {
            continue;
        }
        let ours = ours(pcap.to_str().unwrap());
        let port: u16 = ["11080", "11082", "11083", "19050"]
            .iter()
            .find(|p| {
                fs::read_to_string(
                    root()
                        .join("tests/expected/dissect")
                        .join(format!("{name}.txt")),
                )
                .unwrap_or_default()
                .contains(&format!(":{p}"))
            })
            .map_or(1080, |p| p.parse().unwrap());
        let theirs = tsharks(pcap.to_str().unwrap(), port);
        for key in COMPARED {
            // For SOCKS5, Wireshark's dstport is generated on payload frames, not decoded.
            if *key == "dstport" && !name.starts_with("socks4") && !name.contains("udp") {
                continue;
            }
            let (a, b) = (ours.get(*key), theirs.get(*key));
            if a == b {
                continue;
            }
            let excused = tshark_wrong.iter().find(|(prefix, field, _)| {
                name.starts_with(prefix) && (field == key || *field == "*")
            });
            match excused {
                Some((_, _, why)) => {
                    notes.push(format!("{name} {key}: ours {a:?}, tshark {b:?}: {why}"))
                }
                None => unexplained.push(format!("{name} {key}: ours {a:?}, tshark {b:?}")),
            }
        }
        compared += 1;
    }
    assert!(compared >= 20, "{compared}");
    for n in &notes {
        eprintln!("tshark is wrong: {n}");
    }
    assert!(
        unexplained.is_empty(),
        "differences from tshark:\n{}",
        unexplained.join("\n")
    );
}
