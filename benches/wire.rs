//! Criterion: every wire parser and encoder, one group per message family
//! (`parse_socks5_request/domain/ours`, `.../floor`, `.../tor`, `encode/...`), with byte
//! throughput. tor-socksproto appears where its handshake parses the same message.

#[path = "support/cases.rs"]
mod cases;
#[path = "support/criterion_visit.rs"]
mod criterion_visit;
#[path = "support/drive.rs"]
mod drive;
#[path = "support/fixtures.rs"]
mod fixtures;
#[path = "support/floor.rs"]
mod floor;

use criterion::{Criterion, criterion_group, criterion_main};

fn wire(c: &mut Criterion) {
    cases::wire_cases(&mut criterion_visit::Bench::new(c));
}

criterion_group!(benches, wire);
criterion_main!(benches);
