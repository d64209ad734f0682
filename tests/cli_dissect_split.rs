//! `sockswire dissect --workers N` on classic pcap and pcapng files, which its workers read in
//! 256 KB chunks among themselves (src/cli/dissect/split.rs): records cut by a chunk's end,
//! records larger than a chunk, a file cut short, a malformed pcapng block and a record too
//! large to be one give the same output, the same error and the same exit status as one
//! worker reading with pcap-parser's reader.
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

/// Every classic sample's packets, with records of 300 KB, 700 KB and 1.5 MB (over one, two
/// and five chunk ends; one worker's reader grows its 1 MB buffer for the last) and many of
/// 40 KB (cut by chunk ends at every offset) between them.
fn large_records_pcap() -> Vec<u8> {
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
    pcap
}

#[test]
fn dissect_split_frames_records_larger_than_a_chunk() {
    let dir = temp_dir("split-large");
    let pcap = large_records_pcap();
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

/// pcapng blocks in one byte order (pcap-parser reads either).
struct Ng {
    be: bool,
    out: Vec<u8>,
}

impl Ng {
    fn u32(&self, v: u32) -> [u8; 4] {
        if self.be {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    }

    fn u16(&self, v: u16) -> [u8; 2] {
        if self.be {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    }

    /// A block: type, length, the body padded to 32 bits, the length again.
    fn block(&mut self, ty: u32, body: &[u8]) {
        let pad = (4 - body.len() % 4) % 4;
        let len = self.u32((12 + body.len() + pad) as u32);
        let ty = self.u32(ty);
        self.out.extend(ty);
        self.out.extend(len);
        self.out.extend(body);
        self.out.extend(std::iter::repeat_n(0, pad));
        self.out.extend(len);
    }

    /// A section header: its byte-order magic, version 1.0, length unknown.
    fn shb(&mut self) {
        let mut b = self.u32(0x1A2B_3C4D).to_vec();
        b.extend(self.u16(1));
        b.extend(self.u16(0));
        b.extend((-1i64).to_le_bytes());
        self.block(0x0A0D_0D0A, &b);
    }

    /// An interface: Ethernet, and `if_tsresol` 10^-`resol` when given.
    fn idb(&mut self, linktype: u16, resol: Option<u8>) {
        let mut b = self.u16(linktype).to_vec();
        b.extend(self.u16(0));
        b.extend(self.u32(0));
        if let Some(r) = resol {
            b.extend(self.u16(9));
            b.extend(self.u16(1));
            b.extend([r, 0, 0, 0]);
            b.extend([0, 0, 0, 0]);
        }
        self.block(1, &b);
    }

    fn epb(&mut self, interface: u32, ticks: u64, data: &[u8]) {
        let mut b = self.u32(interface).to_vec();
        b.extend(self.u32((ticks >> 32) as u32));
        b.extend(self.u32(ticks as u32));
        b.extend(self.u32(data.len() as u32));
        b.extend(self.u32(data.len() as u32));
        b.extend(data);
        self.block(6, &b);
    }

    fn spb(&mut self, data: &[u8]) {
        let mut b = self.u32(data.len() as u32).to_vec();
        b.extend(data);
        self.block(3, &b);
    }

    /// A custom block (copyable, private enterprise number 32473): skipped by readers.
    fn custom(&mut self) {
        let mut b = self.u32(32473).to_vec();
        b.extend(b"sockswire test");
        self.block(0x0000_0BAD, &b);
    }
}

/// The records of a classic pcap (microsecond times) as pcapng sections: `sections` gives each
/// section's byte order and timestamp resolution, the records shared out in order. Non-IP
/// filler records go in simple packet blocks where `spb`; a custom block and an unused
/// second interface come after every 50th record.
fn to_pcapng(pcap: &[u8], sections: &[(bool, Option<u8>)], spb: bool) -> Vec<u8> {
    let (_, records) = pcap_records(pcap);
    let per = records.len().div_ceil(sections.len());
    let mut out = Vec::new();
    for (part, &(be, resol)) in records.chunks(per).zip(sections) {
        let mut ng = Ng {
            be,
            out: Vec::new(),
        };
        ng.shb();
        ng.idb(1, resol);
        let scale = 10u64.pow(u32::from(resol.unwrap_or(6)));
        for (i, r) in part.iter().enumerate() {
            let word = |at: usize| u64::from(u32::from_le_bytes(r[at..at + 4].try_into().unwrap()));
            let ticks = word(0) * scale + word(4) * scale / 1_000_000;
            let data = &r[16..];
            if spb && data.len() > 14 && data[12..14] == [0x99, 0x99] {
                ng.spb(data);
            } else {
                ng.epb(0, ticks, data);
            }
            if i % 50 == 49 {
                ng.custom();
                ng.idb(1, None);
            }
        }
        out.extend(ng.out);
    }
    out
}

/// The blocks of a pcapng made by [`to_pcapng`] with one little-endian section: where each
/// starts.
fn block_starts(ng: &[u8]) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut at = 0;
    while at < ng.len() {
        starts.push(at);
        at += u32::from_le_bytes(ng[at + 4..at + 8].try_into().unwrap()) as usize;
    }
    starts
}

#[test]
fn dissect_split_frames_pcapng_as_one_worker_does() {
    let dir = temp_dir("split-pcapng");
    let pcap = large_records_pcap();
    let classic = dir.join("large.pcap");
    fs::write(&classic, &pcap).unwrap();
    // One little-endian section in microseconds: the same records as the classic file.
    let plain = dir.join("large.pcapng");
    fs::write(&plain, to_pcapng(&pcap, &[(false, None)], false)).unwrap();
    for format in ["--json", "--zeek"] {
        let from_ng = same_for_any_workers(&[format], &[&plain]);
        assert!(from_ng.status.success());
        let from_pcap = run(&["dissect", "--quiet", format, classic.to_str().unwrap()]);
        let named =
            |o: &[u8], p: &Path| String::from_utf8_lossy(o).replace(p.to_str().unwrap(), "F");
        assert_eq!(
            named(&from_ng.stdout, &plain),
            named(&from_pcap.stdout, &classic)
        );
        assert!(from_ng.stdout.len() > 1000);
    }
    // Big-endian in nanoseconds with custom blocks and more interfaces; then three sections
    // of both byte orders and resolutions, with simple packet blocks.
    let variants = [
        (
            "be-nanos.pcapng",
            to_pcapng(&pcap, &[(true, Some(9))], false),
        ),
        (
            "sections.pcapng",
            to_pcapng(
                &pcap,
                &[(false, Some(9)), (true, None), (false, Some(3))],
                true,
            ),
        ),
    ];
    for (name, bytes) in variants {
        let path = dir.join(name);
        fs::write(&path, bytes).unwrap();
        for format in [&["--json"][..], &["--zeek"]] {
            let out = same_for_any_workers(format, &[&path]);
            assert!(out.status.success(), "{name}");
            assert!(out.stdout.len() > 1000, "{name}");
        }
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn dissect_split_reports_damaged_pcapng_as_one_worker_does() {
    let dir = temp_dir("split-pcapng-bad");
    let ng = to_pcapng(
        &fs::read(generated(&dir, 3)).unwrap(),
        &[(false, None)],
        false,
    );
    assert!(ng.len() > 2_500_000, "{}", ng.len());
    let starts = block_starts(&ng);
    let past = |bytes: usize| *starts.iter().find(|&&s| s > bytes).unwrap();
    // Cut inside a block's data and inside a block's header, past the first chunk.
    for (i, cut) in [past(600_000) + 40, past(900_000) + 6]
        .into_iter()
        .enumerate()
    {
        let path = dir.join(format!("cut{i}.pcapng"));
        fs::write(&path, &ng[..cut]).unwrap();
        let out = same_for_any_workers(&["--zeek"], &[&path]);
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("truncated after "), "{stderr}");
        assert!(out.stdout.len() > 1000);
    }
    // A block whose length is below a block's least (8), one whose trailing length differs
    // from its leading one, one claiming 2 GB, one whose contents claim more than it holds:
    // the packets before it dissected, the file reported as one worker's reader reports it.
    let at = past(2_000_000);
    let mut short = ng.clone();
    short[at + 4..at + 8].copy_from_slice(&8u32.to_le_bytes());
    let mut trailer = ng.clone();
    let len = u32::from_le_bytes(ng[at + 4..at + 8].try_into().unwrap()) as usize;
    trailer[at + len - 4..at + len].copy_from_slice(&(len as u32 + 4).to_le_bytes());
    let mut huge = ng.clone();
    huge[at + 4..at + 8].copy_from_slice(&0x8000_0000u32.to_le_bytes());
    // A packet block whose captured length runs past its block: the reader reads on for it
    // to the end of this file (less than its 64 MB limit away), or, when the length alone
    // reaches that limit, refuses it as too large.
    let epb = *starts.iter().find(|&&s| s > at && ng[s] == 6).unwrap();
    let mut overlong = ng.clone();
    overlong[epb + 20..epb + 24].copy_from_slice(&60_000u32.to_le_bytes());
    let mut claims = ng.clone();
    claims[epb + 20..epb + 24].copy_from_slice(&0x7000_0000u32.to_le_bytes());
    // A packet block of length 12 (below its fixed 32 bytes) starting 20 bytes before a
    // chunk's end, moved there by a custom block: its parser needs bytes of the next chunk
    // before it can refuse it.
    let chunk = 256 << 10;
    let before = past(1_000_000);
    let mut pad = (before / chunk + 1) * chunk - 20 - before;
    if pad < 16 {
        pad += chunk;
    }
    let mut custom = vec![0xAD, 0x0B, 0, 0];
    custom.extend((pad as u32).to_le_bytes());
    custom.extend(32473u32.to_le_bytes());
    custom.resize(pad - 4, 0);
    custom.extend((pad as u32).to_le_bytes());
    let mut straddling = [&ng[..before], &custom[..], &ng[before..]].concat();
    let moved = before + pad;
    assert_eq!(ng[before], 6, "a packet block follows");
    straddling[moved + 4..moved + 8].copy_from_slice(&12u32.to_le_bytes());
    for (name, bytes, says) in [
        ("short.pcapng", short, "unreadable after "),
        ("trailer.pcapng", trailer, "unreadable after "),
        (
            "huge.pcapng",
            huge,
            "huge.pcapng: a block larger than 67108864 bytes",
        ),
        (
            "overlong.pcapng",
            overlong,
            "overlong.pcapng: truncated after ",
        ),
        (
            "claims.pcapng",
            claims,
            "claims.pcapng: a block larger than 67108864 bytes",
        ),
        (
            "straddling.pcapng",
            straddling,
            "straddling.pcapng: unreadable after ",
        ),
    ] {
        let path = dir.join(name);
        fs::write(&path, bytes).unwrap();
        let out = same_for_any_workers(&["--json"], &[&path]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(says), "{name}: {stderr}");
        assert!(
            !stderr.contains("[0"),
            "{name}: no bytes in the message: {stderr}"
        );
        assert!(out.stdout.len() > 1000, "{name}");
    }
    let _ = fs::remove_dir_all(&dir);
}

#[test]
fn dissect_split_agrees_on_pcapng_damaged_anywhere() {
    // Damage at 48 places drawn from a fixed seed, in a pcapng whose 70 KB records cross
    // chunk ends: a block length, a trailing length, a byte of a block's first 64, a block
    // type or a packet block's captured length changed, or the file cut. Whatever the
    // damage, every worker count writes and reports what one worker does.
    let dir = temp_dir("split-pcapng-any");
    let (header, records) = pcap_records(&fs::read(generated(&dir, 2)).unwrap());
    let mut pcap = header;
    for (i, r) in records.iter().enumerate() {
        pcap.extend_from_slice(r);
        if i % 200 == 199 {
            pcap.extend(filler_record(70_000 + i, 1));
        }
    }
    let ng = to_pcapng(&pcap, &[(false, None)], false);
    let starts = block_starts(&ng);
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = |below: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % below as u64) as usize
    };
    for case in 0..48 {
        let at = starts[1 + next(starts.len() - 1)];
        let mut bad = ng.clone();
        match case % 6 {
            0 => bad[at + 4..at + 8]
                .copy_from_slice(&[[8, 0, 0, 0], [20, 0, 0, 0], [0, 0, 0, 0x40]][next(3)]),
            1 => {
                let len = u32::from_le_bytes(ng[at + 4..at + 8].try_into().unwrap()) as usize;
                bad[at + len - 4..at + len].copy_from_slice(&(next(5000) as u32).to_le_bytes());
            }
            2 => bad[(at + next(64)).min(ng.len() - 1)] = next(256) as u8,
            3 => bad[at..at + 4]
                .copy_from_slice(&[[0x0A, 0x0D, 0x0D, 0x0A], [1, 0, 0, 0], [3, 0, 0, 0]][next(3)]),
            4 => bad[at + 20..at + 24].copy_from_slice(&(next(100_000) as u32).to_le_bytes()),
            _ => bad.truncate(at + next(200)),
        }
        let path = dir.join(format!("damaged{case}.pcapng"));
        fs::write(&path, bad).unwrap();
        same_for_any_workers(&["--zeek"], &[&path]);
    }
    let _ = fs::remove_dir_all(&dir);
}
