//! Criterion: the dissector (`sockswire::dissect::Dissector`) on the shipped real conversations
//! (handshake-heavy), on one conversation with a megabyte of payload in 1448-byte segments
//! (payload is counted, never copied), and on a handshake fed one byte at a time (reassembly).

use std::fs;
use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sockswire::dissect::{Direction, Dissector};

type Conversation = (Vec<u8>, Vec<u8>);

fn samples() -> Vec<Conversation> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/streams");
    let mut names: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".c2s.bin").map(str::to_string))
        .filter(|n| !n.contains(".udp"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|n| {
            let c = fs::read(dir.join(format!("{n}.c2s.bin"))).unwrap();
            let s = fs::read(dir.join(format!("{n}.s2c.bin"))).unwrap();
            (c, s)
        })
        .collect()
}

/// Feeds segments and counts events.
fn run(segments: &[(Direction, &[u8])]) -> usize {
    let mut d = Dissector::new();
    let mut n = 0;
    for &(dir, bytes) in segments {
        let mut events = d.feed(dir, bytes);
        while let Some(e) = events.next() {
            n += black_box(e.offset) as usize & 1 | 1;
        }
    }
    n
}

fn dissect(c: &mut Criterion) {
    let convs = samples();
    let mut g = c.benchmark_group("dissect");

    let whole: Vec<Vec<(Direction, &[u8])>> = convs
        .iter()
        .map(|(c, s)| {
            vec![
                (Direction::ClientToServer, &c[..]),
                (Direction::ServerToClient, &s[..]),
            ]
        })
        .collect();
    let bytes: usize = convs.iter().map(|(c, s)| c.len() + s.len()).sum();
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("sample_conversations", |b| {
        b.iter(|| whole.iter().map(|segs| run(segs)).sum::<usize>())
    });

    // One SOCKS5 conversation with 1 MiB of payload each way, in 1448-byte segments.
    let mut client = b"\x05\x01\x00\x05\x01\x00\x03\x0bexample.com\x01\xbb".to_vec();
    client.extend(std::iter::repeat_n(0x5A, 1 << 20));
    let mut server = b"\x05\x00\x05\x00\x00\x01\x7f\x00\x00\x01\x10\x00".to_vec();
    server.extend(std::iter::repeat_n(0xA5, 1 << 20));
    let mut segs = Vec::new();
    for (cc, ss) in client.chunks(1448).zip(server.chunks(1448)) {
        segs.push((Direction::ClientToServer, cc));
        segs.push((Direction::ServerToClient, ss));
    }
    g.throughput(Throughput::Bytes((client.len() + server.len()) as u64));
    g.bench_function("payload_1448_byte_segments", |b| b.iter(|| run(&segs)));

    // The userpass handshake, one byte per segment, alternating directions.
    let (c, s) = &convs[convs.len() / 2];
    let hs_c = &c[..c.len().min(40)];
    let hs_s = &s[..s.len().min(20)];
    let mut bytewise = Vec::new();
    for i in 0..hs_c.len().max(hs_s.len()) {
        if let Some(b) = hs_c.get(i..i + 1) {
            bytewise.push((Direction::ClientToServer, b));
        }
        if let Some(b) = hs_s.get(i..i + 1) {
            bytewise.push((Direction::ServerToClient, b));
        }
    }
    g.throughput(Throughput::Bytes((hs_c.len() + hs_s.len()) as u64));
    g.bench_function("handshake_one_byte_segments", |b| b.iter(|| run(&bytewise)));
    g.finish();
}

criterion_group!(benches, dissect);
criterion_main!(benches);
